/*
 * vstep: what a virtual user sends and reads. A user runs iterations: pick
 * a task by weight, send its steps in order on the user's connection
 * (rendering each template into the user's buffer), check and capture from
 * each response, then think (closed model) or wait for the next arrival
 * (open model). MCP session steps come first where the session needs them
 * (vmcp.c); a connection error before any response byte sends the step
 * again, backing off.
 */
#include <stdio.h>
#include <string.h>

#include "core/users/inner.h"
#include "core/users/vcheck.h"
#include "core/users/vmcp.h"
#include "core/users/vreq.h"
#include "scenarios/rng.h"

static const struct plan *vp(const struct worker *w)
{
	return vu_of(w)->plan;
}

static const struct plan_task *task_of(const struct worker *w, const struct vu *u)
{
	return &vp(w)->tasks[u->task];
}

/* --- response sink: headers for captures and splits, the body --- */

static void on_header(void *ctx, const char *name, size_t nlen, const char *val, size_t vlen,
		      bool last)
{
	struct vu *u = ctx;
	const struct plan *p = vp(u->w);
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
	size_t cap = vp(u->w)->body_cap;
	if (vmcp_body(u, p, len))
		return;
	if (u->body_over || u->body_len + len > cap) {
		u->body_over = true;
		return;
	}
	memcpy(u->body + u->body_len, p, len);
	u->body_len += (uint32_t)len;
}

/* A step that reads no body still shows what an error response said: the
 * start of a 4xx/5xx body is kept for the label's messages. */
static void on_err_body(void *ctx, const char *p, size_t len)
{
	struct vu *u = ctx;
	size_t room = sizeof(u->err) - 1 - u->err_len;
	if (vu_conn(u->w, u)->parser.status < 400 || !room)
		return;
	if (len > room)
		len = room;
	memcpy(u->err + u->err_len, p, len);
	u->err_len = (uint16_t)(u->err_len + len);
}

void vstep_sink_init(struct vu *u)
{
	u->sink = (struct h1p_sink){on_header, on_body, u};
	u->err_sink = (struct h1p_sink){NULL, on_err_body, u};
}

const struct h1p_sink *vstep_sink(struct worker *w, struct conn *c)
{
	struct vu *u = vu_user(w, c);
	const struct plan_step *ps = &vp(w)->steps[u->cur];
	if (!ps->need_body && !ps->need_headers)
		return &u->err_sink;
	return &u->sink;
}

/* --- iterations and steps --- */

static void end_iteration(struct worker *w, struct vu *u)
{
	const struct plan_task *t = task_of(w, u);
	const struct scn_shape *s = &vp(w)->shape;
	u->in_iter = false;
	if (s->model == SCN_OPEN)
		return;
	if (s->iterations && u->iter >= s->iterations) {
		vu_leave(w, u, VU_DONE);
		return;
	}
	if (u->stopping) {
		vu_leave(w, u, VU_DORMANT);
		return;
	}
	if (t->think_max_ns)
		vu_think(w, u, t->think_min_ns, t->think_max_ns);
	else if (!u->sent_any)
		vu_think(w, u, IDLE_RETRY_NS, IDLE_RETRY_NS); /* never spin on an empty iteration */
}

static void begin_iteration(struct worker *w, struct vu *u)
{
	const struct plan *p = vp(w);
	for (unsigned v = 0; v < p->nvars; v++) {
		if (p->vars[v].captured && !p->vars[v].session)
			u->vars[v] = (struct tmpl_var){p->vars[v].value, p->vars[v].len,
						       p->vars[v].value != NULL};
	}
	if (p->mcp.churn && u->sess == VU_SESS_READY) /* a new session every iteration */
		u->sess = vmcp_has_session(w, u) ? VU_SESS_END_DUE : VU_SESS_NONE;
	u->task = (uint16_t)plan_pick_task(p, rng_uniform(&vu_of(w)->rng));
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
		vu_of(w)->slots[vp(w)->labels[ps->label].slot].skipped++;
	}
}

/* Put the rendered step idx (n bytes in u->req) on c. Session steps do
 * not use up the -n budget. */
static void send_step(struct worker *w, struct conn *c, struct vu *u, unsigned idx, size_t n)
{
	const struct plan_step *ps = &vp(w)->steps[idx];
	bool closed = vp(w)->shape.model == SCN_CLOSED, first = !u->sent_any;
	/* header captures start afresh (after rendering: a step may send the
	 * value it replaces) */
	for (unsigned i = 0; i < SCN_MAX_CAPTURES; i++)
		if (ps->def->captures[i].header && ps->capture_var[i] >= 0)
			u->vars[ps->capture_var[i]] = (struct tmpl_var){NULL, 0, 0};
	u->cur = (uint16_t)idx;
	u->sent_any = true;
	u->body_len = 0;
	u->body_over = false;
	u->err_len = 0;
	u->split_slot = -1;
	u->split_len = 0;
	if (vp(w)->mcp.era != MCP_ERA_NONE)
		vmcp_sent(w, u, idx);
	c->req = u->req;
	c->req_len = (uint32_t)n;
	if (!w->issuing) {
		c->counted = false; /* a session's DELETE while the run winds down */
		conn_start_request(w, c, 0, false);
	} else if (closed) {
		c->counted = conn_is_measured(w);
		w->issued += c->counted && !vmcp_is_session_step(w, idx);
		conn_start_request(w, c, 0, false);
	} else {
		/* later steps are due when the previous one completed */
		conn_start_request(w, c, first ? c->intended_ns : w->now_ns, first);
	}
}

/* A legacy MCP session step due before u's next request, if any. */
static bool session_step(struct worker *w, struct conn *c, struct vu *u)
{
	int idx = vmcp_pending(w, u);
	if (idx < 0)
		return false;
	ssize_t n = vreq_render(w, u, &vp(w)->steps[idx]);
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
		const struct plan_step *ps = &vp(w)->steps[idx];
		ssize_t n = vreq_render(w, u, ps);
		if (n < 0) {
			count_skipped(w, ps);
			continue;
		}
		bool closed = vp(w)->shape.model == SCN_CLOSED;
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

/* The user's next request on its free connection (the source's `next`). */
static bool issue(struct worker *w, struct conn *c)
{
	struct vu *u = vu_user(w, c);
	if (u->stop_to && u->sess != VU_SESS_END_DUE && u->sess != VU_SESS_END_SENT) {
		enum vu_state to = (enum vu_state)u->stop_to;
		u->stop_to = 0;
		vu_stop(w, u, to);
		return false;
	}
	if (u->stop_to)
		return session_step(w, c, u);
	if (u->state == VU_THINKING)
		return false; /* backing off mid-iteration */
	for (int tries = 0; tries < 2; tries++) {
		if (u->in_iter && next_step(w, c, u))
			return true;
		if (vp(w)->shape.model == SCN_OPEN || u->state != VU_ACTIVE || !w->issuing)
			return false;
		begin_iteration(w, u);
	}
	return false;
}

enum src_next vstep_next(struct worker *w, struct conn *c)
{
	if (issue(w, c))
		return SRC_STARTED;
	/* backing off mid-iteration: no new arrival for it */
	return vu_user(w, c)->state == VU_THINKING ? SRC_HOLD : SRC_FREE;
}

bool vstep_arrival(struct worker *w, struct conn *c, uint64_t intended_ns)
{
	struct vu *u = vu_user(w, c);
	begin_iteration(w, u);
	c->intended_ns = intended_ns;
	return next_step(w, c, u);
}

/* --- responses --- */

/* What a label's tally keeps of one response: msg[0..mlen) is what went
 * wrong in the server's words (mlen 0: nothing did). */
struct outcome {
	unsigned err; /* enum tally_err, TALLY_ERR__COUNT for none */
	bool ok;      /* the step's expectations held */
	const char *msg;
	size_t mlen;
};

static void record(struct tally *t, const struct conn *c, uint64_t lat_ns, uint64_t service_ns,
		   bool open_loop, const struct outcome *o, uint64_t first_ns)
{
	unsigned st = c->parser.status;
	t->responses++;
	t->ok += o->ok;
	t->bytes_in += c->resp_bytes;
	t->body_bytes += c->parser.body_bytes;
	t->bytes_out += c->req_len;
	t->status[st < LIM_STATUS_CODES ? st : 0]++;
	hist_record(&t->latency, lat_ns);
	if (!o->ok)
		hist_record(&t->failed, lat_ns);
	hist_record(&t->first, first_ns);
	if (open_loop)
		hist_record(&t->service, service_ns);
	if (o->err < TALLY_ERR__COUNT)
		t->errors[o->err]++;
	if (o->mlen)
		tally_count_msg(&t->msgs, o->msg, o->mlen, 1);
}

/* "HTTP 404: <the start of its body>". */
static size_t http_said(const struct vu *u, const struct plan_step *ps, unsigned st, char *out,
			size_t cap)
{
	const char *b = ps->need_body && !u->body_over ? u->body : u->err;
	size_t len = ps->need_body && !u->body_over ? u->body_len : u->err_len;
	int n = snprintf(out, cap, "HTTP %u%s%.*s", st, len ? ": " : "", (int)len, b ? b : "");
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

static void forget_captures(struct vu *u, const struct plan_step *ps)
{
	for (unsigned i = 0; i < SCN_MAX_CAPTURES; i++)
		if (ps->capture_var[i] >= 0)
			u->vars[ps->capture_var[i]].set = 0;
}

/* A session the server lost: the first is initialized again at once; more
 * in a row back off (10 ms doubling to 1.28 s, jittered down to half), so
 * a server that forgets every session is not flooded with handshakes. */
static void lost_session(struct worker *w, struct vu *u)
{
	if (u->lost < 255)
		u->lost++;
	if (u->lost < 2)
		return;
	uint64_t d = RETRY_BASE_NS << (u->lost - 2 < 7 ? u->lost - 2 : 7);
	u->retry_wait = true;
	vu_think(w, u, d / 2, d);
	if (conn_is_measured(w))
		w->tally.backoffs++;
}

void vstep_response(struct worker *w, struct conn *c, uint64_t lat_ns, uint64_t service_ns,
		    uint64_t first)
{
	struct vu *u = vu_user(w, c);
	const struct plan_step *ps = &vp(w)->steps[u->cur];
	const struct plan_label *l = &vp(w)->labels[ps->label];
	unsigned st = c->parser.status;
	bool ok = vcheck_status_ok(ps->def->status, st);
	char msg[TALLY_MSG_LEN];
	/* a 4xx/5xx is already an error by its status; an MCP outcome or a
	 * failed check is one on top of a response that was otherwise fine */
	struct outcome o = {TALLY_ERR__COUNT, false, msg, 0};

	u->retries = 0;
	if (ps->mcp && vmcp_is_session_step(w, u->cur)) {
		unsigned cls = TALLY_ERR__COUNT;
		if (vmcp_session_response(w, c, u, u->cur, c->counted, &cls) == VMCP_BACKOFF) {
			if (c->counted) {
				hist_record(&w->tally.failed, lat_ns);
				conn_note_failed(w, tline_err_kind(cls, st));
			}
			u->retry_wait = true;
			vu_think(w, u, SETUP_RETRY_NS, SETUP_RETRY_NS);
		}
		return;
	}
	if (!ps->mcp && vmcp_is_session_step(w, u->cur)) {
		unsigned cls = TALLY_ERR__COUNT;
		vmcp_session_response(w, c, u, u->cur, c->counted, &cls); /* the DELETE */
		return;
	}
	if (ps->mcp) {
		bool had = u->sess == VU_SESS_READY;
		o.err = vmcp_response(w, c, u, c->counted, msg, sizeof(msg), &o.mlen);
		if (had && u->sess == VU_SESS_NONE)
			lost_session(w, u);
	}
	if (ok && o.err == TALLY_ERR__COUNT && !vcheck_inspect(w, u, ps, msg, sizeof(msg))) {
		o.err = TALLY_ERR_CHECK;
		o.mlen = strlen(msg);
	} else if (!ok && (st < 400 || st > 599) && o.err == TALLY_ERR__COUNT) {
		/* a status the step does not expect and no 4xx/5xx counts:
		 * a redirect, a code outside 100-599, another 2xx */
		char want[32];
		vcheck_status_text(ps->def->status, want, sizeof(want));
		o.err = st - 100u >= 500u  ? TALLY_ERR_STATUS_INVALID
			: st - 300u < 100u ? TALLY_ERR_STATUS_3XX
					   : TALLY_ERR_CHECK;
		o.mlen = (size_t)snprintf(msg, sizeof(msg), "status %u, expected %s", st, want);
	}
	if (st >= 400 && !o.mlen)
		o.mlen = http_said(u, ps, st, msg, sizeof(msg));
	o.ok = ok && o.err == TALLY_ERR__COUNT;
	if (!o.ok)
		forget_captures(u, ps);
	else
		u->lost = 0;
	if (o.ok && ps->check >= 0 && !vcheck_gather(w, u, ps->check)) {
		/* a reservation whose range cannot be read did not succeed */
		o.ok = false;
		o.err = TALLY_ERR_CHECK;
		o.mlen = (size_t)snprintf(msg, sizeof(msg),
					  "the response holds no value where the post-run check "
					  "reads it");
	}
	if (c->counted) {
		record(&vu_of(w)->slots[l->slot], c, lat_ns, service_ns, w->open_loop, &o, first);
		ltl_record(&w->ltl, l->slot, w->now_ns, lat_ns, service_ns, c->parser.body_bytes,
			   !o.ok);
		if (u->split_slot >= 0) {
			record(&vu_of(w)->slots[u->split_slot], c, lat_ns, service_ns, w->open_loop,
			       &o, first);
			ltl_record(&w->ltl, (unsigned)u->split_slot, w->now_ns, lat_ns, service_ns,
				   c->parser.body_bytes, !o.ok);
		}
		if (o.err < TALLY_ERR__COUNT)
			w->tally.errors[o.err]++;
		if (!o.ok) {
			hist_record(&w->tally.failed, lat_ns);
			conn_note_failed(w, tline_err_kind(o.err, st));
		}
		w->tally.ok += o.ok;
	}
}

void vstep_failed(struct worker *w, struct conn *c, unsigned cls)
{
	struct vu *u = vu_user(w, c);
	const struct plan_step *ps = &vp(w)->steps[u->cur];
	if (conn_is_measured(w)) {
		unsigned slot = vp(w)->labels[ps->label].slot;
		vu_of(w)->slots[slot].errors[cls]++;
		ltl_fail(&w->ltl, slot, w->now_ns);
	}
	forget_captures(u, ps);
	u->retries = 0;
	if (vmcp_is_session_step(w, u->cur)) {
		vmcp_failed(u, u->cur, w);
		if (u->state == VU_ACTIVE && w->issuing) {
			u->retry_wait = true;
			vu_think(w, u, SETUP_RETRY_NS, SETUP_RETRY_NS);
		}
	}
}

bool vstep_retry(struct worker *w, struct conn *c, unsigned cls)
{
	struct vu *u = vu_user(w, c);
	const struct plan_task *t = task_of(w, u);
	bool session = vmcp_is_session_step(w, u->cur);
	if ((cls != TALLY_ERR_CLOSED && cls != TALLY_ERR_RESET && cls != TALLY_ERR_SEND) ||
	    c->queued || c->resp_bytes || u->retries >= RETRIES_MAX || !w->issuing ||
	    u->state != VU_ACTIVE)
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
		vu_think(w, u, RETRY_BASE_NS << (u->retries - 2),
			 RETRY_BASE_NS << (u->retries - 2));
	}
	return true;
}

/* The run stops issuing and c is free: end the user's MCP session with a
 * DELETE (not recorded). Returns true when one was sent. */
static bool goodbye(struct worker *w, struct conn *c)
{
	struct vu *u = vu_user(w, c);
	if (!vmcp_has_session(w, u) && u->sess != VU_SESS_END_DUE)
		return false;
	u->sess = VU_SESS_END_DUE;
	return session_step(w, c, u);
}

void vstep_stopped(struct worker *w, struct conn *c)
{
	(void)goodbye(w, c);
}

/* When issuing stops: every idle user with a session sends its DELETE. */
void vstep_wind_down(struct worker *w)
{
	if (vp(w)->mcp.era != MCP_ERA_LEGACY)
		return;
	for (unsigned i = 0; i < w->nconns; i++) {
		struct conn *c = &w->conns[i];
		if (c->state == CONN_IDLE && !c->queued)
			goodbye(w, c);
	}
}

uint64_t vstep_answered_ns(struct worker *w, struct conn *c)
{
	const struct vu *u = vu_user(w, c);
	return u->sse && u->matched ? u->answered_ns : 0;
}

void vstep_unsent(struct worker *w, struct conn *c)
{
	struct vu *u = vu_user(w, c);
	const struct plan_task *t = task_of(w, u);
	if (u->in_iter && u->step > 0 && u->cur == t->first + u->step - 1)
		u->step--;
}
