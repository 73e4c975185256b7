/*
 * memsrc: where a soak's memory samples come from: the client's own
 * resident set and the server's, from /proc/PID/statm (--server-pid) or
 * process_resident_memory_bytes at --metrics-url. Blocking reads, taken by
 * the supervising main thread once a second, never by a worker.
 */
#ifndef MCPL_CORE_PROBE_MEMSRC_H
#define MCPL_CORE_PROBE_MEMSRC_H

#include <stddef.h>
#include <stdint.h>

#include "stats/memtrend.h"

/* A metrics scrape slower than this is a missed sample. */
#define MEMSRC_SCRAPE_NS 900000000ull

/* Can the server's memory be read now? Returns 0 (also with no source), or
 * -errno with a one-line reason (no such process, no metric at that URL). */
int memsrc_check(const struct memtrend_opts *o, char *why, size_t why_len);

/* memtrend_init, then the first sample at t0_ns. Returns 0 or -ENOMEM. */
int memsrc_start(struct memtrend *m, const struct memtrend_opts *o, uint64_t t0_ns,
		 uint64_t warmup_ns, uint64_t seconds);

/* Take a sample when one is due (call often; blocks up to MEMSRC_SCRAPE_NS
 * for a metrics scrape). */
void memsrc_tick(struct memtrend *m, uint64_t now_ns);

/* The last sample, then the slope and the verdict. */
void memsrc_finish(struct memtrend *m, uint64_t now_ns);

/* The resident set of a process (pid 0: this one) from /proc, in bytes;
 * -errno when it cannot be read (-ESRCH: it has exited). */
int64_t memsrc_rss(int pid);

#endif
