/*
 * inner: what the files of core/users share and nothing else uses: the
 * user of a connection and back, and the lifecycle steps (vu.c) that the
 * iteration logic (vstep.c) takes, and the other way round.
 */
#ifndef MCPL_CORE_USERS_INNER_H
#define MCPL_CORE_USERS_INNER_H

#include "core/users/vu.h"

#define IDLE_RETRY_NS  (10 * 1000000ull)  /* an iteration that sent nothing */
#define SETUP_RETRY_NS (100 * 1000000ull) /* after a failed MCP handshake */
#define RETRY_BASE_NS  (10 * 1000000ull)  /* connection errors: 0, 10, 20 ms */
#define RETRIES_MAX    3

static inline struct vu *vu_user(struct worker *w, const struct conn *c)
{
	return &vu_of(w)->vus[c->idx];
}

static inline struct conn *vu_conn(struct worker *w, const struct vu *u)
{
	return &w->conns[u - vu_of(w)->vus];
}

/* --- vu.c: the lifecycle --- */
/* u thinks (sleeps) for a uniform draw in [min_ns, max_ns]. */
void vu_think(struct worker *w, struct vu *u, uint64_t min_ns, uint64_t max_ns);
/* u leaves (its iterations done, or a ramp-down) as `to`: a legacy MCP
 * session is ended with DELETE first, and the user stops once it is. */
void vu_leave(struct worker *w, struct vu *u, enum vu_state to);
/* u stops now as `to`; its idle connection is closed. */
void vu_stop(struct worker *w, struct vu *u, enum vu_state to);

/* --- vstep.c: what a user sends and reads (the source ops) --- */
enum src_next vstep_next(struct worker *w, struct conn *c);
bool vstep_arrival(struct worker *w, struct conn *c, uint64_t intended_ns);
void vstep_unsent(struct worker *w, struct conn *c);
void vstep_response(struct worker *w, struct conn *c, uint64_t lat_ns, uint64_t service_ns,
		    uint64_t first_ns);
void vstep_failed(struct worker *w, struct conn *c, unsigned cls);
bool vstep_retry(struct worker *w, struct conn *c, unsigned cls);
void vstep_stopped(struct worker *w, struct conn *c);
void vstep_wind_down(struct worker *w);
uint64_t vstep_answered_ns(struct worker *w, struct conn *c);
/* The headers and body sink of a user (set up once per user). */
void vstep_sink_init(struct vu *u);
const struct h1p_sink *vstep_sink(struct worker *w, struct conn *c);

#endif
