/*
 * vu: the virtual users of one worker as the engine's request source: their
 * buffers (one arena mapped at start), their lifecycle under the load shape
 * (users are numbered across workers, so user g runs while the shape's
 * target is above g; spawn ramps and ramp-downs need no coordination), think
 * times on a timer heap, and at the end the merge of every worker's
 * per-label tallies and post-run check values. What a user sends and reads
 * is vstep.c's.
 */
#include "core/users/vu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/users/inner.h"
#include "core/users/vmcp.h"
#include "scenarios/rng.h"
#include "scenarios/stage.h"
#include "stats/result.h"

#define SHAPE_POLL_NS (10 * 1000000ull) /* ramps down are noticed this quickly */

/* --- setup and teardown --- */

static size_t align64(size_t n)
{
	return (n + 63) & ~(size_t)63;
}

static int map_checks(struct worker *w, struct vu_worker *vw)
{
	for (unsigned c = 0; c < vw->plan->scn->nchecks; c++) {
		struct vu_recs *r = &vw->recs[c];
		r->cap = 1u << 20;
		r->recs = mmap(NULL, r->cap * sizeof(*r->recs), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (r->recs == MAP_FAILED) {
			r->recs = NULL;
			w->setup_why = "allocating the check buffers";
			return -ENOMEM;
		}
	}
	return 0;
}

static int setup(struct worker *w)
{
	const struct plan *p = w->cfg->src_arg;
	struct vu_worker *vw = calloc(1, sizeof(*vw));
	size_t req = align64(p->req_cap); /* keeps what follows aligned */
	size_t vars = align64(p->nvars * (sizeof(struct tmpl_var) + PLAN_VAR_BYTES));
	size_t sse = align64(sizeof(struct sse));
	size_t mcp = p->mcp.era != MCP_ERA_NONE ? sse + p->body_cap : 0;
	size_t per = align64(req + p->body_cap + vars + mcp);

	w->src_state = vw;
	if (!vw) {
		w->setup_why = "allocating the virtual users";
		return -ENOMEM;
	}
	vw->plan = p;
	vw->vus = calloc(w->nconns, sizeof(*vw->vus));
	vw->slots = calloc(p->nslots, sizeof(*vw->slots));
	vw->heap.cap = 2 * w->nconns + 16;
	vw->heap.e = calloc(vw->heap.cap, sizeof(*vw->heap.e));
	vw->arena_len = per * w->nconns;
	/* Pages are touched only as users fill them: a body buffer sized for
	 * the largest response costs what the responses actually use. */
	vw->arena = mmap(NULL, vw->arena_len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vw->arena == MAP_FAILED)
		vw->arena = NULL;
	if (!vw->vus || !vw->slots || !vw->heap.e || !vw->arena) {
		w->setup_why = "allocating the virtual users";
		return -ENOMEM;
	}
	if (map_checks(w, vw) < 0)
		return -ENOMEM;
	for (unsigned i = 0; i < w->nconns; i++) {
		struct vu *u = &vw->vus[i];
		char *base = (char *)vw->arena + per * i;
		u->w = w;
		u->user = w->cfg->user_base + w->id + (uint64_t)i * w->cfg->threads;
		u->req = base;
		u->body = p->body_cap ? base + req : NULL;
		u->vars = (struct tmpl_var *)(base + req + p->body_cap);
		u->store = (char *)(u->vars + p->nvars);
		if (mcp) {
			u->stream = (struct sse *)(base + req + p->body_cap + vars);
			u->ev = (char *)u->stream + sse;
		}
		vstep_sink_init(u);
		u->split_slot = -1;
		for (unsigned v = 0; v < p->nvars; v++)
			u->vars[v] = (struct tmpl_var){p->vars[v].value, p->vars[v].len,
						       p->vars[v].value != NULL};
	}
	vw->seq = w->cfg->shard_count > 1
		      ? w->cfg->shard_index + (uint64_t)w->cfg->shard_count * w->id
		      : w->id;
	vw->rng = w->cfg->seed ^ (0xd1b54a32d192ed03ull * (w->id + 1));
	return 0;
}

/* The users and their buffers go with the thread; the tallies and check
 * values stay for collect(). */
static void teardown(struct worker *w)
{
	struct vu_worker *vw = vu_of(w);
	if (!vw)
		return;
	if (vw->arena)
		munmap(vw->arena, vw->arena_len);
	free(vw->vus);
	free(vw->heap.e);
	vw->vus = NULL;
	vw->heap.e = NULL;
	vw->arena = NULL;
}

/* --- after the run: every worker's results into one --- */

/* Gather every worker's values for each check and run it. */
static void run_checks(const struct plan *p, struct worker *ws, unsigned n, struct result *res)
{
	for (unsigned c = 0; c < p->scn->nchecks; c++) {
		struct check_result *out = &res->checks[c];
		size_t total = 0, at = 0;
		memset(out, 0, sizeof(*out));
		for (unsigned i = 0; i < n; i++) {
			total += vu_of(&ws[i])->recs[c].len;
			out->unreadable += vu_of(&ws[i])->recs[c].unreadable;
			out->overflow += vu_of(&ws[i])->recs[c].overflow;
		}
		struct check_rec *all = malloc((total ? total : 1) * sizeof(*all));
		if (!all) {
			out->overflow += total; /* could not be checked: fails */
			total = 0;
		}
		for (unsigned i = 0; all && i < n; i++) {
			const struct vu_recs *r = &vu_of(&ws[i])->recs[c];
			memcpy(all + at, r->recs, r->len * sizeof(*all));
			at += r->len;
		}
		check_run(&p->scn->checks[c], all, total, out);
		res->checks_failed |= !out->passed;
		free(all);
	}
	res->nchecks = p->scn->nchecks;
}

static void merge(const struct plan *p, struct worker *ws, unsigned n, struct result *res)
{
	res->slots = calloc(p->nslots, sizeof(*res->slots));
	if (res->slots) {
		res->nslots = p->nslots;
		for (unsigned i = 0; i < n; i++)
			for (unsigned s = 0; s < p->nslots; s++)
				tally_merge(&res->slots[s], &vu_of(&ws[i])->slots[s]);
	}
	run_checks(p, ws, n, res);
	res->all_users_started_s = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct vu_worker *vw = vu_of(&ws[i]);
		if (!vw->all_started_ns) {
			res->all_users_started_s = -1;
			break;
		}
		double s = (double)(vw->all_started_ns - vw->t0_ns) / 1e9;
		if (s > res->all_users_started_s)
			res->all_users_started_s = s;
	}
}

static void collect(struct worker *ws, unsigned n, struct result *res)
{
	bool whole = res != NULL;
	for (unsigned i = 0; i < n; i++)
		whole &= vu_of(&ws[i]) && vu_of(&ws[i])->slots;
	if (whole)
		merge(ws[0].cfg->src_arg, ws, n, res);
	for (unsigned i = 0; i < n; i++) {
		struct vu_worker *vw = vu_of(&ws[i]);
		if (!vw)
			continue;
		for (unsigned c = 0; c < PLAN_MAX_CHECKS; c++)
			if (vw->recs[c].recs)
				munmap(vw->recs[c].recs,
				       vw->recs[c].cap * sizeof(*vw->recs[c].recs));
		free(vw->slots);
		free(vw);
		ws[i].src_state = NULL;
	}
}

/* --- the lifecycle under the load shape --- */

/* Users of this worker that should run when the shape's target is v. */
static unsigned users_for(const struct worker *w, double v)
{
	unsigned t = w->cfg->threads;
	if (v <= w->id)
		return 0;
	double n = (v - w->id + t - 1e-9) / t;
	return n >= w->nconns ? w->nconns : (unsigned)n;
}

static double shape_target(const struct worker *w, uint64_t now_ns)
{
	const struct vu_worker *vw = vu_of(w);
	const struct scn_shape *s = &vw->plan->shape;
	if (!s->nstages)
		return s->users;
	return stage_value(s->stages, s->nstages, now_ns - vw->t0_ns);
}

static unsigned running(const struct worker *w)
{
	return vu_of(w)->live;
}

static unsigned slots(const struct cfg *cfg)
{
	const struct plan *p = cfg->src_arg;
	return p->nslots ? p->nslots : 1;
}

static void note_users(struct worker *w)
{
	struct tline_row *r = tline_at(&w->tl, w->now_ns);
	unsigned n = running(w);
	if (r && n > r->users)
		r->users = n;
}

void vu_stop(struct worker *w, struct vu *u, enum vu_state to)
{
	struct vu_worker *vw = vu_of(w);
	struct conn *c = vu_conn(w, u);
	u->state = (uint8_t)to;
	vw->live--; /* only running users are stopped */
	u->gen++;   /* a pending think wake-up is stale */
	u->in_iter = false;
	if (c->state == CONN_IDLE || c->state == CONN_RETRY || c->state == CONN_CONNECTING)
		conn_close(w, c);
	if (to == VU_DONE && ++vw->done == w->nconns)
		w->issuing = false; /* every user of this worker has finished */
}

void vu_leave(struct worker *w, struct vu *u, enum vu_state to)
{
	if (vmcp_has_session(w, u)) {
		u->sess = VU_SESS_END_DUE;
		u->stop_to = (uint8_t)to;
		return;
	}
	vu_stop(w, u, to);
}

void vu_think(struct worker *w, struct vu *u, uint64_t min_ns, uint64_t max_ns)
{
	struct vu_worker *vw = vu_of(w);
	uint64_t d = min_ns + (uint64_t)(rng_uniform(&vw->rng) * (double)(max_ns - min_ns));
	u->state = VU_THINKING;
	u->think_from_ns = w->now_ns;
	u->gen++;
	if (!theap_push(&vw->heap, w->now_ns + d, (uint32_t)(u - vw->vus), u->gen))
		u->state = VU_ACTIVE; /* cannot happen: one live entry per user */
}

/* A ramp-down stops a user between iterations (thinking, or idle): one with
 * a legacy session is woken to DELETE it first. */
static void leave_now(struct worker *w, struct vu *u)
{
	struct conn *c = vu_conn(w, u);
	if (!vmcp_has_session(w, u)) {
		vu_stop(w, u, VU_DORMANT);
		return;
	}
	u->state = VU_ACTIVE;
	u->gen++; /* its think wake-up is stale */
	u->retry_wait = false;
	vu_leave(w, u, VU_DORMANT);
	if (c->state == CONN_IDLE && !c->queued)
		conn_issue(w, c);
}

static void follow_shape(struct worker *w)
{
	struct vu_worker *vw = vu_of(w);
	const struct scn_shape *s = &vw->plan->shape;
	unsigned want = users_for(w, shape_target(w, w->now_ns));

	for (unsigned i = vw->target; i < want; i++) {
		struct vu *u = &vw->vus[i];
		u->stopping = false;
		u->stop_to = 0; /* leaving: ends its session, then goes on */
		if (u->state == VU_DORMANT) {
			u->state = VU_ACTIVE;
			vw->live++;
			conn_open(w, &w->conns[i]);
		}
	}
	for (unsigned i = want; i < vw->target; i++) {
		struct vu *u = &vw->vus[i];
		if (u->state == VU_THINKING || (u->state == VU_ACTIVE && !u->in_iter))
			leave_now(w, u);
		else if (u->state == VU_ACTIVE)
			u->stopping = true;
	}
	vw->target = want;
	if (want == w->nconns && !vw->all_started_ns)
		vw->all_started_ns = w->now_ns;
	note_users(w);
	vw->shape_next_ns = w->now_ns + SHAPE_POLL_NS;
	if (s->nstages && want < w->nconns) {
		/* the moment the next user of this worker is due */
		double g = (double)w->id + (double)want * w->cfg->threads;
		uint64_t t =
		    stage_time_reaching(s->stages, s->nstages, w->now_ns - vw->t0_ns, g + 1e-6);
		if (t != UINT64_MAX && vw->t0_ns + t < vw->shape_next_ns)
			vw->shape_next_ns = vw->t0_ns + t;
	}
}

static void start(struct worker *w, uint64_t t0_ns)
{
	struct vu_worker *vw = vu_of(w);
	vw->t0_ns = t0_ns;
	if (vw->plan->shape.model == SCN_OPEN) {
		/* the pool: every user connected from the start */
		for (unsigned i = 0; i < w->nconns; i++) {
			vw->vus[i].state = VU_ACTIVE;
			vw->live++;
			conn_open(w, &w->conns[i]);
		}
		vw->target = w->nconns;
		vw->shape_next_ns = UINT64_MAX;
		return;
	}
	follow_shape(w);
}

static void wake(struct worker *w, struct vu *u)
{
	struct conn *c = vu_conn(w, u);
	if (w->now_ns >= w->record_from_ns && !u->retry_wait)
		hist_record(&w->tally.think, w->now_ns - u->think_from_ns);
	u->retry_wait = false;
	u->state = VU_ACTIVE;
	if (u->stopping) {
		vu_stop(w, u, VU_DORMANT);
		return;
	}
	if (c->state == CONN_IDLE && !c->queued)
		conn_issue(w, c);
}

static void tick(struct worker *w)
{
	struct vu_worker *vw = vu_of(w);
	struct theap_ent e;
	while (theap_pop_due(&vw->heap, w->now_ns, &e)) {
		struct vu *u = &vw->vus[e.idx];
		if (u->gen == e.gen && u->state == VU_THINKING)
			wake(w, u);
	}
	if (w->issuing && w->now_ns >= vw->shape_next_ns)
		follow_shape(w);
}

static uint64_t next_due_ns(const struct worker *w)
{
	const struct vu_worker *vw = vu_of(w);
	uint64_t h = theap_next_ns(&vw->heap);
	return h < vw->shape_next_ns ? h : vw->shape_next_ns;
}

/* Users that are stopped or done do not reconnect. */
static bool wants_conn(const struct worker *w, const struct conn *c)
{
	uint8_t st = vu_of(w)->vus[c->idx].state;
	return st == VU_ACTIVE || st == VU_THINKING;
}

const struct src_ops vu_src = {
    .name = "users",
    .setup = setup,
    .teardown = teardown,
    .start = start,
    .tick = tick,
    .next_due_ns = next_due_ns,
    .wants_conn = wants_conn,
    .next = vstep_next,
    .arrival = vstep_arrival,
    .unsent = vstep_unsent,
    .sink = vstep_sink,
    .answered_ns = vstep_answered_ns,
    .response = vstep_response,
    .retry = vstep_retry,
    .failed = vstep_failed,
    .stopped = vstep_stopped,
    .wind_down = vstep_wind_down,
    .running = running,
    .slots = slots,
    .collect = collect,
};
