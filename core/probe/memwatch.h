/*
 * memwatch: memory over a run, for soak tests. Once a second the supervisor
 * samples the client's own resident set and, when asked, the server's:
 * /proc/PID/statm for --server-pid, process_resident_memory_bytes from
 * --metrics-url. At the end: start, end, peak, a least-squares slope over the
 * measured phase, and a verdict on the growth (a leak) and on the peak.
 */
#ifndef MCPL_CORE_PROBE_MEMWATCH_H
#define MCPL_CORE_PROBE_MEMWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/jw.h"
#include "stats/verdict.h"

/* What the command line asked for; zeroes: nothing to watch on the server. */
struct memwatch_opts {
	int server_pid;		   /* --server-pid, 0: none */
	const char *metrics_url;   /* --metrics-url, NULL: none */
	uint64_t growth_max_bytes; /* --mem-growth-max (default 50 MiB) */
	uint64_t rss_max_bytes;	   /* --server-rss-max, 0: no bound */
};

#define MEMWATCH_GROWTH_DEFAULT (50ull << 20)
#define MEMWATCH_SCRAPE_NS	900000000ull /* a scrape slower than this is a missed sample */

/*
 * Samples are taken at t_s[k] seconds from the start of the run (warmup
 * included); server[k] / client[k] are bytes, NAN when the read failed.
 * The figures below are over the measured phase (after warmup).
 */
struct memwatch {
	struct memwatch_opts o;
	bool server;	  /* a server source was given */
	char source[128]; /* "pid 1234" or the metrics URL */
	uint64_t t0_ns;	  /* the run's start */
	uint64_t next_ns; /* next sample due */
	double warmup_s;
	double *t_s, *server_bytes, *client_bytes; /* owned */
	unsigned n, cap; /* samples kept (a longer run keeps its first cap) */
	/* server, measured phase: every sample, kept or not */
	unsigned measured, failed;
	double start_bytes, end_bytes, peak_bytes;
	double sum_t, sum_y, sum_tt, sum_ty; /* least squares */
	double first_t_s, last_t_s;
	char why[160]; /* the last failed read */
	bool gone;     /* the server process exited */
	double client_start_bytes, client_end_bytes;
	/* memwatch_finish */
	double slope_bytes_per_s;
	double trend_growth_bytes; /* the slope over the measured span */
	enum verdict verdict;	   /* NOT_MEASURED without a server source */
	char reason[256];
};

/* Can the server's memory be read now? Returns 0, or -errno with a one-line
 * reason (no such process, no metric at that URL). */
int memwatch_check(const struct memwatch_opts *o, char *why, size_t why_len);

/* Set up for a run of at most `seconds` (warmup included) from t0_ns and
 * take the first sample. Returns 0 or -ENOMEM. */
int memwatch_start(struct memwatch *m, const struct memwatch_opts *o, uint64_t t0_ns,
		   uint64_t warmup_ns, uint64_t seconds);

/* Take a sample when one is due (call often; blocks up to
 * MEMWATCH_SCRAPE_NS for a metrics scrape). */
void memwatch_tick(struct memwatch *m, uint64_t now_ns);

/* The last sample, the slope and the verdict. */
void memwatch_finish(struct memwatch *m, uint64_t now_ns);

void memwatch_free(struct memwatch *m);

/* The server figures (source, samples, start/end/peak, growth, slope,
 * trend, span, limits, verdict, reason) as members of the JSON object
 * being written; null source and verdict without a server source. */
void memwatch_json(struct jw *j, const struct memwatch *m);

/* The sample nearest to t_s seconds from the start: its index, or -1. */
int memwatch_near(const struct memwatch *m, double t_s);

/* The resident set of a process (pid 0: this one) from /proc, in bytes;
 * -errno when it cannot be read. */
int64_t memwatch_rss(int pid);

/* Parse a size: a number with an optional unit B, K/KB/KiB, M/MB/MiB,
 * G/GB/GiB, any case (all powers of 1024). Returns 0 or -EINVAL. */
int memwatch_parse_size(const char *s, uint64_t *bytes);

#endif
