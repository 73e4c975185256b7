/*
 * backlog: the open loop's arrivals waiting for a free connection and its
 * idle connections (conn.c hands a free connection here, the loop the due
 * arrivals).
 */
#ifndef MCPL_CORE_ENGINE_BACKLOG_H
#define MCPL_CORE_ENGINE_BACKLOG_H

#include <stdint.h>

struct worker;
struct conn;

/* Hand out the arrivals that are due: to an idle connection, else to the
 * backlog, else dropped (counted). */
void backlog_release_due(struct worker *w);

/* c is free and idle: the oldest waiting arrival, else c parks. */
void backlog_give(struct worker *w, struct conn *c);

/* An arrival taken for a connection that closed before sending it goes
 * back to the front of the backlog (it is the oldest). */
void backlog_requeue(struct worker *w, uint64_t intended_ns);

/* At the end: count the arrivals still waiting (unsent; unsent while a
 * connection was idle: the generator's doing). */
void backlog_count_unsent(struct worker *w);

#endif
