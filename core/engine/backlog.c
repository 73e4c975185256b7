/*
 * backlog: the open loop's arrivals that wait for a free connection (a ring
 * per worker, oldest first) and its idle connections (a stack); every due
 * arrival goes to one or the other, else it is dropped and counted.
 */
#include "core/engine/backlog.h"

#include "core/engine/conn.h"
#include "core/engine/worker.h"

static bool queue_push(struct worker *w, uint64_t t)
{
	if (w->q_len == w->q_cap)
		return false;
	w->queue[(w->q_head + w->q_len++) % w->q_cap] = t;
	return true;
}

static uint64_t queue_pop(struct worker *w)
{
	uint64_t t = w->queue[w->q_head];
	w->q_head = (w->q_head + 1) % w->q_cap;
	w->q_len--;
	return t;
}

void backlog_requeue(struct worker *w, uint64_t t)
{
	if (w->q_len == w->q_cap) {
		w->tally.dropped += t >= w->record_from_ns;
		return;
	}
	w->q_head = (w->q_head + w->q_cap - 1) % w->q_cap;
	w->queue[w->q_head] = t;
	w->q_len++;
}

/* Entries go stale when a parked connection closes; they are skipped here,
 * and in_idle keeps a connection from being listed twice. */
static struct conn *idle_pop(struct worker *w)
{
	while (w->idle_len) {
		struct conn *c = w->idle[--w->idle_len];
		c->in_idle = false;
		if (c->state == CONN_IDLE)
			return c;
	}
	return NULL;
}

static void park(struct worker *w, struct conn *c)
{
	c->state = CONN_IDLE;
	if (!c->in_idle) {
		c->in_idle = true;
		w->idle[w->idle_len++] = c;
	}
}

/* c is free and no request of the source's own is due: the oldest arrival
 * waiting in the backlog, else it parks. */
void backlog_give(struct worker *w, struct conn *c)
{
	while (w->q_len) {
		uint64_t t = queue_pop(w);
		c->counted = t >= w->record_from_ns;
		if (w->src->arrival(w, c, t))
			return;
	}
	park(w, c);
}

/* A measured arrival: in the tally and in this second's row. */
static void note_arrival(struct worker *w, bool dispatched, bool on_time)
{
	struct tline_row *r = tline_at(&w->tl, w->now_ns);
	w->tally.on_time += on_time;
	if (r) {
		r->scheduled++;
		r->on_time += on_time;
		r->dropped += !dispatched;
	}
}

/*
 * Open loop: every arrival whose intended time has come goes to an idle
 * connection, else waits in the backlog, else is dropped (and counted).
 */
void backlog_release_due(struct worker *w)
{
	while (w->issuing && w->sched.next_ns <= w->now_ns) {
		uint64_t t = sched_take(&w->sched);
		bool counted = t >= w->record_from_ns;
		if (counted) {
			if (w->budget && w->issued >= w->budget) {
				w->issuing = false;
				return;
			}
			w->issued++;
			w->tally.scheduled++;
		}
		/* The generator is on time when it dispatches an arrival within
		 * 1 ms (lean pacing: 1 ms after its window, the lateness it
		 * chose), to a connection or to the backlog; a wait in the backlog
		 * for a free connection is the server's doing (and part of the
		 * corrected latency), a drop is load that was not applied. */
		bool dispatched = true;
		struct conn *c = idle_pop(w);
		if (c) {
			c->counted = counted;
			if (!w->src->arrival(w, c, t))
				park(w, c); /* nothing to send: the arrival is spent */
		} else if (queue_push(w, t)) {
			w->tally.waited += counted;
		} else {
			dispatched = false;
			w->tally.dropped += counted;
		}
		if (counted)
			note_arrival(w, dispatched,
				     dispatched && w->now_ns - t <
						       TALLY_ON_TIME_NS + w->cfg->pacing_window_ns);
	}
}

/* At the end: arrivals still waiting for a connection. */
void backlog_count_unsent(struct worker *w)
{
	/* with every connection busy they waited for the server; with one
	 * idle, for the generator */
	bool idle = idle_pop(w) != NULL;
	for (unsigned i = 0; i < w->q_len; i++) {
		bool counted = w->queue[(w->q_head + i) % w->q_cap] >= w->record_from_ns;
		w->tally.unsent += counted;
		w->tally.unsent_idle += counted && idle;
	}
	w->q_len = 0;
}
