/*
 * memtrend: memory over a run, for soak tests: resident-set samples of the
 * server (when a source is given) and of the client, once a second; at the
 * end start, end, peak, a least-squares slope over the measured phase, and
 * a verdict on the growth (a leak) and on the peak. Reading the samples is
 * core/probe/memsrc's job; this module only keeps and judges them.
 */
#ifndef MCPL_STATS_MEMTREND_H
#define MCPL_STATS_MEMTREND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stats/verdict.h"

/* What to watch and the limits; zeroes: nothing to watch on the server. */
struct tlsc;

struct memtrend_opts {
	int server_pid;		   /* --server-pid, 0: none */
	const char *metrics_url;   /* --metrics-url, NULL: none */
	uint64_t growth_max_bytes; /* --mem-growth-max (default 50 MiB) */
	uint64_t rss_max_bytes;	   /* --server-rss-max, 0: no bound */
	const struct tlsc *tls;	   /* an https metrics_url: verified with the run's TLS
				      settings (--cacert, --insecure); NULL: the system's */
};

#define MEMTREND_GROWTH_DEFAULT (50ull << 20)

/*
 * Samples are taken at t_s[k] seconds from the start of the run (warmup
 * included); server_bytes[k] / client_bytes[k] are bytes, NAN when the read
 * failed. The figures below are over the measured phase (after warmup).
 */
struct memtrend {
	struct memtrend_opts o;
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
	/* memtrend_finish */
	double slope_bytes_per_s;
	double trend_growth_bytes; /* the slope over the measured span */
	enum verdict verdict;	   /* NOT_MEASURED without a server source */
	char reason[256];
};

/* Set up for a run of at most `seconds` (warmup included) from t0_ns.
 * Returns 0 or -ENOMEM. */
int memtrend_init(struct memtrend *m, const struct memtrend_opts *o, uint64_t t0_ns,
		  uint64_t warmup_ns, uint64_t seconds);

/* Is a sample due at now_ns (one a second from the start)? */
bool memtrend_due(const struct memtrend *m, uint64_t now_ns);

/*
 * One sample at now_ns: server_bytes (ignored without a server source) or
 * -errno when it could not be read (why: the reason; gone: the process has
 * exited), client_bytes or -errno. Moves the next due time to the next whole
 * second from the start: a slow read skips, never bunches.
 */
void memtrend_sample(struct memtrend *m, uint64_t now_ns, int64_t server_bytes, bool gone,
		     const char *why, int64_t client_bytes);

/* The slope and the verdict, after the last sample. */
void memtrend_finish(struct memtrend *m);

void memtrend_free(struct memtrend *m);

/* The sample nearest to t_s seconds from the start: its index, or -1. */
int memtrend_near(const struct memtrend *m, double t_s);

#endif
