/*
 * vu: virtual users. A user runs iterations: pick a task by weight, send its
 * steps in order on the user's connection (rendering each template into the
 * user's buffer), check and capture from each response, then think (closed
 * model) or wait for the next arrival (open model). The load shape decides
 * how many users of this worker run: users are numbered across workers so
 * that user g runs while the shape's target is above g.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "scenarios/rng.h"
#include "core/users/vcheck.h"
#include "core/users/vmcp.h"
#include "core/users/vreq.h"
#include "core/engine/worker.h"
#include "protocol/jsc.h"
#include "scenarios/stage.h"

#define SHAPE_POLL_NS  (10 * 1000000ull)  /* ramps down are noticed this quickly */
#define IDLE_RETRY_NS  (10 * 1000000ull)  /* an iteration that sent nothing */
#define SETUP_RETRY_NS (100 * 1000000ull) /* after a failed MCP handshake */
#define RETRY_BASE_NS  (10 * 1000000ull)  /* connection errors: 0, 10, 20 ms */
#define RETRIES_MAX    3

static struct vu *user_of(struct worker *w, const struct conn *c)
{
	return &w->vus[c->idx];
}

static struct conn *conn_of(struct worker *w, const struct vu *u)
{
	return &w->conns[u - w->vus];
}

static const struct plan_task *task_of(const struct worker *w, const struct vu *u)
{
	return &w->plan->tasks[u->task];
}

/* --- response sink: headers for captures and splits, the body --- */

static void on_header(void *ctx, const char *name, size_t nlen, const char *val, size_t vlen,
		      bool last)
{
	struct vu *u = ctx;
	const struct plan *p = u->w->plan;
	const struct plan_step *ps = &p->steps[u->cur];
	const char *split = p->labels[ps->label].split;

	if (ps->mcp)
		vmcp_header(u, name, nlen, val, vlen, last);
	if (split && strlen(split) == nlen && memcmp(split, name, nlen) == 0) {
		size_t room = sizeof(u->split_val) - u->split_len;
		size_t n = vlen < room ? vlen : room;
		memcpy(u->split_val + u->split_len, val, n);
		u->split_len = (uint8_t)(u->split_len + n);
		if (last)
			u->split_slot = plan_split_slot(p, ps, u->split_val, u->split_len);
	}
	for (unsigned i = 0; i < SCN_MAX_CAPTURES; i++) {
		const char *h = ps->def->captures[i].header;
		int v = ps->capture_var[i];
		if (!h || v < 0 || strlen(h) != nlen || memcmp(h, name, nlen) != 0)
			continue;
		struct tmpl_var *tv = &u->vars[v];
		char *slot = u->store + (size_t)v * PLAN_VAR_BYTES;
		if (tv->ptr != slot) { /* first fragment */
			tv->ptr = slot;
			tv->len = 0;
			tv->set = 0;
		}
		if (tv->len + vlen > PLAN_VAR_BYTES) {
			tv->len = PLAN_VAR_BYTES + 1; /* too long: stays unset */
			continue;
		}
		memcpy(slot + tv->len, val, vlen);
		tv->len += vlen;
		tv->set = last && tv->len <= PLAN_VAR_BYTES;
	}
}

static void on_body(void *ctx, const char *p, size_t len)
{
	struct vu *u = ctx;
	size_t cap = u->w->plan->body_cap;
	if (vmcp_body(u, p, len))
		return;
	if (u->body_over || u->body_len + len > cap) {
		u->body_over = true;
		return;
	}
	memcpy(u->body + u->body_len, p, len);
	u->body_len += (uint32_t)len;
}

const struct h1p_sink *vu_sink(struct worker *w, struct conn *c)
{
	struct vu *u = user_of(w, c);
	const struct plan_step *ps = &w->plan->steps[u->cur];
	if (!ps->need_body && !ps->need_headers)
		return NULL;
	return &u->sink;
}

/* --- setup --- */

int vu_setup(struct worker *w)
{
	const struct plan *p = w->plan;
	size_t req = (p->req_cap + 63) & ~(size_t)63; /* keeps what follows aligned */
	size_t vars = p->nvars * (sizeof(struct tmpl_var) + PLAN_VAR_BYTES);
	size_t mcp = p->mcp.era != MCP_ERA_NONE
			 ? ((sizeof(struct sse) + 63) & ~(size_t)63) + p->body_cap
			 : 0;
	size_t per = req + p->body_cap + ((vars + 63) & ~(size_t)63) + mcp;
	per = (per + 63) & ~(size_t)63;
	w->vus = calloc(w->nconns, sizeof(*w->vus));
	w->slots = calloc(p->nslots, sizeof(*w->slots));
	w->heap.cap = 2 * w->nconns + 16;
	w->heap.e = calloc(w->heap.cap, sizeof(*w->heap.e));
	w->arena_len = per * w->nconns;
	/* Pages are touched only as users fill them: a body buffer sized for
	 * the largest response costs what the responses actually use. */
	w->arena = mmap(NULL, w->arena_len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (w->arena == MAP_FAILED)
		w->arena = NULL;
	if (!w->vus || !w->slots || !w->heap.e || !w->arena) {
		w->setup_why = "allocating the virtual users";
		return -ENOMEM;
	}
	for (unsigned c = 0; c < p->scn->nchecks; c++) {
		struct worker_recs *r = &w->recs[c];
		r->cap = 1u << 20;
		r->recs = mmap(NULL, r->cap * sizeof(*r->recs), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (r->recs == MAP_FAILED) {
			r->recs = NULL;
			w->setup_why = "allocating the check buffers";
			return -ENOMEM;
		}
	}
	for (unsigned i = 0; i < w->nconns; i++) {
		struct vu *u = &w->vus[i];
		char *base = (char *)w->arena + per * i;
		u->w = w;
		u->user = w->id + (uint64_t)i * w->cfg->threads;
		u->req = base;
		u->body = p->body_cap ? base + req : NULL;
		u->vars = (struct tmpl_var *)(base + req + p->body_cap);
		u->store = (char *)(u->vars + p->nvars);
		if (mcp) {
			u->stream =
			    (struct sse *)(base + req + p->body_cap + ((vars + 63) & ~(size_t)63));
			u->ev = (char *)u->stream + ((sizeof(struct sse) + 63) & ~(size_t)63);
		}
		u->sink = (struct h1p_sink){on_header, on_body, u};
		u->split_slot = -1;
		for (unsigned v = 0; v < p->nvars; v++)
			u->vars[v] = (struct tmpl_var){p->vars[v].value, p->vars[v].len,
						       p->vars[v].value != NULL};
	}
	w->seq = w->id;
	w->rng = w->cfg->seed ^ (0xd1b54a32d192ed03ull * (w->id + 1));
	return 0;
}

void vu_teardown(struct worker *w)
{
	if (w->arena)
		munmap(w->arena, w->arena_len);
	free(w->vus);
	free(w->heap.e);
	w->vus = NULL;
	w->heap.e = NULL;
	w->arena = NULL;
}

void vu_free_results(struct worker *w)
{
	for (unsigned c = 0; c < PLAN_MAX_CHECKS; c++) {
		if (w->recs[c].recs)
			munmap(w->recs[c].recs, w->recs[c].cap * sizeof(*w->recs[c].recs));
		w->recs[c].recs = NULL;
	}
	free(w->slots);
	w->slots = NULL;
}

/* --- the load shape --- */

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
	const struct scn_shape *s = &w->plan->shape;
	if (!s->nstages)
		return s->users;
	return stage_value(s->stages, s->nstages, now_ns - w->t0_ns);
}

static void note_users(struct worker *w)
{
	struct tline_row *r = tline_at(&w->tl, w->now_ns);
	unsigned n = vu_running(w);
	if (r && n > r->users)
		r->users = n;
}

static void stop_user(struct worker *w, struct vu *u, enum vu_state to)
{
	struct conn *c = conn_of(w, u);
	u->state = (uint8_t)to;
	w->vu_live--; /* only running users are stopped */
	u->gen++;     /* a pending think wake-up is stale */
	u->in_iter = false;
	if (c->state == CONN_IDLE || c->state == CONN_RETRY || c->state == CONN_CONNECTING)
		conn_close(w, c);
	if (to == VU_DONE && ++w->vu_done == w->nconns)
		w->issuing = false; /* every user of this worker has finished */
}

static void leave(struct worker *w, struct vu *u, enum vu_state to);

/* A ramp-down stops a user between iterations (thinking, or idle): one with
 * a legacy session is woken to DELETE it first. */
static void leave_now(struct worker *w, struct vu *u)
{
	struct conn *c = conn_of(w, u);
	if (!vmcp_has_session(w, u)) {
		stop_user(w, u, VU_DORMANT);
		return;
	}
	u->state = VU_ACTIVE;
	u->gen++; /* its think wake-up is stale */
	u->retry_wait = false;
	leave(w, u, VU_DORMANT);
	if (c->state == CONN_IDLE && !c->queued)
		conn_issue(w, c);
}

static void follow_shape(struct worker *w)
{
	const struct scn_shape *s = &w->plan->shape;
	unsigned want = users_for(w, shape_target(w, w->now_ns));

	for (unsigned i = w->vu_target; i < want; i++) {
		struct vu *u = &w->vus[i];
		u->stopping = false;
		u->stop_to = 0; /* leaving: ends its session, then goes on */
		if (u->state == VU_DORMANT) {
			u->state = VU_ACTIVE;
			w->vu_live++;
			conn_open(w, &w->conns[i]);
		}
	}
	for (unsigned i = want; i < w->vu_target; i++) {
		struct vu *u = &w->vus[i];
		if (u->state == VU_THINKING || (u->state == VU_ACTIVE && !u->in_iter))
			leave_now(w, u);
		else if (u->state == VU_ACTIVE)
			u->stopping = true;
	}
	w->vu_target = want;
	if (want == w->nconns && !w->all_started_ns)
		w->all_started_ns = w->now_ns;
	note_users(w);
	w->shape_next_ns = w->now_ns + SHAPE_POLL_NS;
	if (s->nstages && want < w->nconns) {
		/* the moment the next user of this worker is due */
		double g = (double)w->id + (double)want * w->cfg->threads;
		uint64_t t =
		    stage_time_reaching(s->stages, s->nstages, w->now_ns - w->t0_ns, g + 1e-6);
		if (t != UINT64_MAX && w->t0_ns + t < w->shape_next_ns)
			w->shape_next_ns = w->t0_ns + t;
	}
}

void vu_start(struct worker *w, uint64_t t0_ns)
{
	w->t0_ns = t0_ns;
	if (w->plan->shape.model == SCN_OPEN) {
		/* the pool: every user connected from the start */
		for (unsigned i = 0; i < w->nconns; i++) {
			w->vus[i].state = VU_ACTIVE;
			w->vu_live++;
			conn_open(w, &w->conns[i]);
		}
		w->vu_target = w->nconns;
		w->shape_next_ns = UINT64_MAX;
		return;
	}
	follow_shape(w);
}

static void wake(struct worker *w, struct vu *u)
{
	struct conn *c = conn_of(w, u);
	if (w->now_ns >= w->record_from_ns && !u->retry_wait)
		hist_record(&w->tally.think, w->now_ns - u->think_from_ns);
	u->retry_wait = false;
	u->state = VU_ACTIVE;
	if (u->stopping) {
		stop_user(w, u, VU_DORMANT);
		return;
	}
	if (c->state == CONN_IDLE && !c->queued)
		conn_issue(w, c);
}

void vu_tick(struct worker *w)
{
	struct theap_ent e;
	while (theap_pop_due(&w->heap, w->now_ns, &e)) {
		struct vu *u = &w->vus[e.idx];
		if (u->gen == e.gen && u->state == VU_THINKING)
			wake(w, u);
	}
	if (w->issuing && w->now_ns >= w->shape_next_ns)
		follow_shape(w);
}

uint64_t vu_next_due_ns(const struct worker *w)
{
	uint64_t h = theap_next_ns(&w->heap);
	return h < w->shape_next_ns ? h : w->shape_next_ns;
}

unsigned vu_running(const struct worker *w)
{
	return w->vu_live;
}

/* --- iterations and steps --- */

static void think(struct worker *w, struct vu *u, uint64_t min_ns, uint64_t max_ns)
{
	uint64_t d = min_ns + (uint64_t)(rng_uniform(&w->rng) * (double)(max_ns - min_ns));
	u->state = VU_THINKING;
	u->think_from_ns = w->now_ns;
	u->gen++;
	if (!theap_push(&w->heap, w->now_ns + d, (uint32_t)(u - w->vus), u->gen))
		u->state = VU_ACTIVE; /* cannot happen: one live entry per user */
}

/* A user leaves (its iterations done, or a ramp-down): a legacy MCP
 * session is ended with DELETE first, and the user stops once it is. */
static void leave(struct worker *w, struct vu *u, enum vu_state to)
{
	if (vmcp_has_session(w, u)) {
		u->sess = VU_SESS_END_DUE;
		u->stop_to = (uint8_t)to;
		return;
	}
	stop_user(w, u, to);
}

static void end_iteration(struct worker *w, struct vu *u)
{
	const struct plan_task *t = task_of(w, u);
	const struct scn_shape *s = &w->plan->shape;
	u->in_iter = false;
	if (s->model == SCN_OPEN)
		return;
	if (s->iterations && u->iter >= s->iterations) {
		leave(w, u, VU_DONE);
		return;
	}
	if (u->stopping) {
		leave(w, u, VU_DORMANT);
		return;
	}
	if (t->think_max_ns)
		think(w, u, t->think_min_ns, t->think_max_ns);
	else if (!u->sent_any)
		think(w, u, IDLE_RETRY_NS, IDLE_RETRY_NS); /* never spin on an empty iteration */
}

static void begin_iteration(struct worker *w, struct vu *u)
{
	const struct plan *p = w->plan;
	for (unsigned v = 0; v < p->nvars; v++) {
		if (p->vars[v].captured && !p->vars[v].session)
			u->vars[v] = (struct tmpl_var){p->vars[v].value, p->vars[v].len,
						       p->vars[v].value != NULL};
	}
	if (p->mcp.churn && u->sess == VU_SESS_READY) /* a new session every iteration */
		u->sess = vmcp_has_session(w, u) ? VU_SESS_END_DUE : VU_SESS_NONE;
	u->task = (uint16_t)plan_pick_task(p, rng_uniform(&w->rng));
	u->step = 0;
	u->iter++;
	u->in_iter = true;
	u->sent_any = false;
	if (conn_is_measured(w))
		w->tally.iterations++;
}

static void count_skipped(struct worker *w, const struct plan_step *ps)
{
	if (conn_is_measured(w)) {
		w->tally.skipped++;
		w->slots[w->plan->labels[ps->label].slot].skipped++;
	}
}

/* Put the rendered step idx (n bytes in u->req) on c. Session steps do
 * not use up the -n budget. */
static void send_step(struct worker *w, struct conn *c, struct vu *u, unsigned idx, size_t n)
{
	const struct plan_step *ps = &w->plan->steps[idx];
	bool closed = w->plan->shape.model == SCN_CLOSED, first = !u->sent_any;
	/* header captures start afresh (after rendering: a step may send the
	 * value it replaces) */
	for (unsigned i = 0; i < SCN_MAX_CAPTURES; i++)
		if (ps->def->captures[i].header && ps->capture_var[i] >= 0)
			u->vars[ps->capture_var[i]] = (struct tmpl_var){NULL, 0, 0};
	u->cur = (uint16_t)idx;
	u->sent_any = true;
	u->body_len = 0;
	u->body_over = false;
	u->split_slot = -1;
	u->split_len = 0;
	if (w->plan->mcp.era != MCP_ERA_NONE)
		vmcp_sent(w, u, idx);
	c->req = u->req;
	c->req_len = (uint32_t)n;
	if (!w->issuing) {
		c->counted = false; /* a session's DELETE while the run winds down */
		conn_start_request(w, c, 0);
	} else if (closed) {
		c->counted = conn_is_measured(w);
		w->issued += c->counted && !vmcp_is_session_step(w, idx);
		conn_start_request(w, c, 0);
	} else {
		/* later steps are due when the previous one completed */
		conn_start_request(w, c, first ? c->intended_ns : w->now_ns);
		c->arrival = first;
	}
}

/* A legacy MCP session step due before u's next request, if any. */
static bool session_step(struct worker *w, struct conn *c, struct vu *u)
{
	int idx = vmcp_pending(w, u);
	if (idx < 0)
		return false;
	ssize_t n = vreq_render(w, u, &w->plan->steps[idx]);
	if (n < 0) {
		/* cannot happen: session steps use only what the engine sets */
		u->sess = VU_SESS_NONE;
		return false;
	}
	send_step(w, c, u, (unsigned)idx, (size_t)n);
	return true;
}

/* Send the next step of u's iteration that can be rendered. */
static bool next_step(struct worker *w, struct conn *c, struct vu *u)
{
	const struct plan_task *t = task_of(w, u);
	/* a session is (re)opened only for a step still to send: a user whose
	 * last request lost its session leaves without a new one */
	if (u->step < t->nsteps && session_step(w, c, u))
		return true;
	while (u->step < t->nsteps) {
		unsigned idx = t->first + u->step++;
		const struct plan_step *ps = &w->plan->steps[idx];
		ssize_t n = vreq_render(w, u, ps);
		if (n < 0) {
			count_skipped(w, ps);
			continue;
		}
		bool closed = w->plan->shape.model == SCN_CLOSED;
		if (closed && w->budget && conn_is_measured(w) && w->issued >= w->budget) {
			w->issuing = false;
			u->in_iter = false;
			return false;
		}
		send_step(w, c, u, idx, (size_t)n);
		return true;
	}
	end_iteration(w, u);
	return u->stop_to && session_step(w, c, u);
}

bool vu_issue(struct worker *w, struct conn *c)
{
	struct vu *u = user_of(w, c);
	if (u->stop_to && u->sess != VU_SESS_END_DUE && u->sess != VU_SESS_END_SENT) {
		enum vu_state to = (enum vu_state)u->stop_to;
		u->stop_to = 0;
		stop_user(w, u, to);
		return false;
	}
	if (u->stop_to)
		return session_step(w, c, u);
	if (u->state == VU_THINKING)
		return false; /* backing off mid-iteration */
	for (int tries = 0; tries < 2; tries++) {
		if (u->in_iter && next_step(w, c, u))
			return true;
		if (w->plan->shape.model == SCN_OPEN || u->state != VU_ACTIVE || !w->issuing)
			return false;
		begin_iteration(w, u);
	}
	return false;
}

bool vu_begin_arrival(struct worker *w, struct conn *c, uint64_t intended_ns)
{
	struct vu *u = user_of(w, c);
	begin_iteration(w, u);
	c->intended_ns = intended_ns;
	return next_step(w, c, u);
}

/* --- responses --- */

static void record(struct tally *t, const struct conn *c, uint64_t lat_ns, uint64_t service_ns,
		   bool open_loop, unsigned err, uint64_t first_ns)
{
	unsigned st = c->parser.status;
	t->responses++;
	t->bytes_in += c->resp_bytes;
	t->bytes_out += c->req_len;
	t->status[st < LIM_STATUS_CODES ? st : 0]++;
	hist_record(&t->latency, lat_ns);
	hist_record(&t->first, first_ns);
	if (open_loop)
		hist_record(&t->service, service_ns);
	if (err < TALLY_ERR__COUNT)
		t->errors[err]++;
}

static void forget_captures(struct vu *u, const struct plan_step *ps)
{
	for (unsigned i = 0; i < SCN_MAX_CAPTURES; i++)
		if (ps->capture_var[i] >= 0)
			u->vars[ps->capture_var[i]].set = 0;
}

void vu_response(struct worker *w, struct conn *c, uint64_t lat_ns, uint64_t service_ns)
{
	struct vu *u = user_of(w, c);
	const struct plan_step *ps = &w->plan->steps[u->cur];
	const struct plan_label *l = &w->plan->labels[ps->label];
	unsigned st = c->parser.status;
	bool ok = vcheck_status_ok(ps->def->status, st);
	/* a 4xx/5xx is already an error by its status; an MCP outcome or a
	 * failed check is one on top of a response that was otherwise fine */
	unsigned err = TALLY_ERR__COUNT;

	u->retries = 0;
	if (ps->mcp && vmcp_is_session_step(w, u->cur)) {
		if (vmcp_session_response(w, c, u, u->cur, c->counted) == VMCP_BACKOFF) {
			u->retry_wait = true;
			think(w, u, SETUP_RETRY_NS, SETUP_RETRY_NS);
		}
		return;
	}
	if (!ps->mcp && vmcp_is_session_step(w, u->cur)) {
		vmcp_session_response(w, c, u, u->cur, c->counted); /* the DELETE */
		return;
	}
	if (ps->mcp)
		err = vmcp_response(w, c, u, c->counted);
	if (ok && err == TALLY_ERR__COUNT && !vcheck_inspect(w, u, ps))
		err = TALLY_ERR_CHECK;
	else if (!ok && st < 400 && err == TALLY_ERR__COUNT)
		err = TALLY_ERR_CHECK;
	if (!ok || err != TALLY_ERR__COUNT)
		forget_captures(u, ps);
	if (ok && err == TALLY_ERR__COUNT && ps->check >= 0)
		vcheck_gather(w, u, ps->check);
	if (c->counted) {
		uint64_t first = c->first_ns > c->sent_ns ? c->first_ns - c->sent_ns : 0;
		record(&w->slots[l->slot], c, lat_ns, service_ns, w->open_loop, err, first);
		if (u->split_slot >= 0)
			record(&w->slots[u->split_slot], c, lat_ns, service_ns, w->open_loop, err,
			       first);
		if (err < TALLY_ERR__COUNT)
			w->tally.errors[err]++;
	}
}

void vu_failed(struct worker *w, struct conn *c, unsigned cls)
{
	struct vu *u = user_of(w, c);
	const struct plan_step *ps = &w->plan->steps[u->cur];
	if (conn_is_measured(w))
		w->slots[w->plan->labels[ps->label].slot].errors[cls]++;
	forget_captures(u, ps);
	u->retries = 0;
	if (vmcp_is_session_step(w, u->cur)) {
		vmcp_failed(u, u->cur, w);
		if (u->state == VU_ACTIVE && w->issuing) {
			u->retry_wait = true;
			think(w, u, SETUP_RETRY_NS, SETUP_RETRY_NS);
		}
	}
}

bool vu_retry(struct worker *w, struct conn *c, unsigned cls)
{
	struct vu *u = user_of(w, c);
	const struct plan_task *t = task_of(w, u);
	bool session = vmcp_is_session_step(w, u->cur);
	if ((cls != TALLY_ERR_RECV && cls != TALLY_ERR_SEND) || c->queued || c->resp_bytes ||
	    u->retries >= RETRIES_MAX || !w->issuing || u->state != VU_ACTIVE)
		return false;
	if (session)
		vmcp_failed(u, u->cur, w);
	else if (u->in_iter && u->step > 0 && u->cur == t->first + u->step - 1)
		u->step--;
	else
		return false;
	if (conn_is_measured(w))
		w->tally.retried++;
	/* a keep-alive connection the server had just closed: at once; then
	 * backing off */
	if (u->retries++ > 0) {
		u->retry_wait = true;
		think(w, u, RETRY_BASE_NS << (u->retries - 2), RETRY_BASE_NS << (u->retries - 2));
	}
	return true;
}

bool vu_goodbye(struct worker *w, struct conn *c)
{
	struct vu *u = user_of(w, c);
	if (!vmcp_has_session(w, u) && u->sess != VU_SESS_END_DUE)
		return false;
	u->sess = VU_SESS_END_DUE;
	return session_step(w, c, u);
}

void vu_wind_down(struct worker *w)
{
	if (w->plan->mcp.era != MCP_ERA_LEGACY)
		return;
	for (unsigned i = 0; i < w->nconns; i++) {
		struct conn *c = &w->conns[i];
		if (c->state == CONN_IDLE && !c->queued)
			vu_goodbye(w, c);
	}
}

uint64_t vu_answered_ns(struct worker *w, struct conn *c)
{
	const struct vu *u = user_of(w, c);
	return u->sse && u->matched ? u->answered_ns : 0;
}

void vu_unsend(struct worker *w, struct conn *c)
{
	struct vu *u = user_of(w, c);
	const struct plan_task *t = task_of(w, u);
	if (u->in_iter && u->step > 0 && u->cur == t->first + u->step - 1)
		u->step--;
}
