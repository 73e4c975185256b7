/*
 * fixed: one prebuilt request. Closed loop: a free connection sends it
 * again unless the request budget is spent. Open loop: it is sent once per
 * arrival; a request that never left goes back to the backlog.
 */
#include "core/engine/fixed.h"

#include "core/engine/backlog.h"
#include "core/engine/worker.h"

static void put(const struct worker *w, struct conn *c)
{
	const struct fixed_req *r = w->cfg->src_arg;
	c->req = r->bytes;
	c->req_len = (uint32_t)r->len;
}

static void start(struct worker *w, uint64_t t0_ns)
{
	(void)t0_ns;
	for (unsigned i = 0; i < w->nconns; i++)
		conn_open(w, &w->conns[i]);
}

static enum src_next next(struct worker *w, struct conn *c)
{
	if (w->open_loop)
		return SRC_FREE; /* the next arrival, when one is waiting */
	c->counted = conn_is_measured(w);
	if (c->counted) {
		if (w->budget && w->issued >= w->budget) {
			w->issuing = false;
			c->state = CONN_IDLE;
			return SRC_HOLD;
		}
		w->issued++;
	}
	put(w, c);
	conn_start_request(w, c, 0, true);
	return SRC_STARTED;
}

static bool arrival(struct worker *w, struct conn *c, uint64_t intended_ns)
{
	put(w, c);
	conn_start_request(w, c, intended_ns, true);
	return true;
}

static void unsent(struct worker *w, struct conn *c)
{
	if (w->open_loop)
		backlog_requeue(w, c->intended_ns); /* the arrival waits again */
	else if (c->counted)
		w->issued--; /* does not use up the request budget */
}

const struct src_ops fixed_src = {
    .one_shot = true,
    .name = "fixed",
    .start = start,
    .next = next,
    .arrival = arrival,
    .unsent = unsent,
};
