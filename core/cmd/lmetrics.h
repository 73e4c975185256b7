/*
 * lmetrics: --live-metrics ADDR:PORT, mcpload's own live figures in the
 * Prometheus text format for a dashboard during a long soak: a listening
 * socket served from the supervising thread between its ticks (never from
 * a worker), each scrape answered with the last complete second and the
 * totals so far, counted as the JSON timeline counts them.
 */
#ifndef MCPL_CORE_CMD_LMETRICS_H
#define MCPL_CORE_CMD_LMETRICS_H

#include <stddef.h>
#include <stdint.h>

#include "stats/tline.h"

#define LMETRICS_PENDING 8 /* scrapes being read at once; more wait in the backlog */

/* A scrape whose request head is still coming. */
struct lmetrics_conn {
	int fd; /* -1: free */
	uint64_t since_ns;
	size_t got;
	char req[1024];
};

struct lmetrics {
	int fd; /* listening, non-blocking; -1: off */
	struct lmetrics_conn pending[LMETRICS_PENDING];
	/* the figures served */
	uint64_t seconds;	     /* complete seconds of the measured phase */
	uint64_t duration_s;	     /* of the measured phase, 0: unbounded */
	uint64_t requests, failures; /* totals so far */
	uint64_t errs[TLINE_ERR_KINDS];
	uint64_t scheduled, on_time; /* open model, totals so far */
	struct tline_sec last;	     /* the last complete second */
	uint64_t scrapes;
};

/* Is addr an IP address and port? Returns 0 or -EINVAL with a one-line
 * reason in why. */
int lmetrics_check(const char *addr, char *why, size_t why_len);

/* Is addr an IP address and port? Returns 0 or -EINVAL with a one-line
 * reason in why. */
int lmetrics_check(const char *addr, char *why, size_t why_len);

/* Listen on addr ("127.0.0.1:9464", "[::1]:9464"). Returns 0 or -errno
 * with a one-line reason in why. */
int lmetrics_open(struct lmetrics *m, const char *addr, char *why, size_t why_len);

/* Count one complete second into the figures. */
void lmetrics_second(struct lmetrics *m, const struct tline_sec *s);

/* Accept and answer what is waiting; never blocks. */
void lmetrics_serve(struct lmetrics *m, uint64_t now_ns);

void lmetrics_close(struct lmetrics *m);

#endif
