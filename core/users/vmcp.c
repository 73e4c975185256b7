/*
 * vmcp: a virtual user's MCP session and response reading. Responses to
 * requests come as application/json (the message is the body) or as
 * text/event-stream: events are parsed as they arrive, the one whose id is
 * ours is copied into the user's body buffer, the others (priming events,
 * notifications, server requests) are counted.
 */
#include "core/users/vmcp.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/users/vu.h"
#include "protocol/mcp.h"

#define SESSION_LINE "Mcp-Session-Id: "

bool vmcp_is_session_step(const struct worker *w, unsigned idx)
{
	const struct plan_mcp *m = &vu_of(w)->plan->mcp;
	return (int)idx == m->init || (int)idx == m->notify || (int)idx == m->end;
}

bool vmcp_has_session(const struct worker *w, const struct vu *u)
{
	const struct plan_mcp *m = &vu_of(w)->plan->mcp;
	return m->era == MCP_ERA_LEGACY && u->sess == VU_SESS_READY &&
	       u->vars[m->session_var].len > 0;
}

int vmcp_pending(const struct worker *w, const struct vu *u)
{
	const struct plan_mcp *m = &vu_of(w)->plan->mcp;
	if (m->era != MCP_ERA_LEGACY)
		return -1;
	switch (u->sess) {
	case VU_SESS_NONE:
		return m->init;
	case VU_SESS_NOTIFY_DUE:
		return m->notify;
	case VU_SESS_END_DUE:
		return m->end;
	default:
		return -1;
	}
}

static struct tmpl_var *session_var(struct vu *u, const struct plan *p, char **slot)
{
	*slot = u->store + (size_t)p->mcp.session_var * PLAN_VAR_BYTES;
	return &u->vars[p->mcp.session_var];
}

void vmcp_sent(struct worker *w, struct vu *u, unsigned idx)
{
	const struct plan_mcp *m = &vu_of(w)->plan->mcp;
	u->sse = false;
	u->matched = false;
	if ((int)idx == m->init) {
		char *slot;
		struct tmpl_var *sv = session_var(u, vu_of(w)->plan, &slot);
		u->sess = VU_SESS_INIT_SENT;
		u->setup_from_ns = w->now_ns;
		/* a stateless server sends no id: then the line stays empty */
		*sv = (struct tmpl_var){slot, 0, 1};
	} else if ((int)idx == m->notify) {
		u->sess = VU_SESS_NOTIFY_SENT;
	} else if ((int)idx == m->end) {
		u->sess = VU_SESS_END_SENT;
	}
}

void vmcp_failed(struct vu *u, unsigned idx, const struct worker *w)
{
	const struct plan_mcp *m = &vu_of(w)->plan->mcp;
	if ((int)idx == m->init)
		u->sess = VU_SESS_NONE;
	else if ((int)idx == m->notify)
		u->sess = VU_SESS_NOTIFY_DUE;
	else if ((int)idx == m->end)
		u->sess = VU_SESS_END_DUE;
}

static bool name_is(const char *name, size_t nlen, const char *want)
{
	return strlen(want) == nlen && memcmp(name, want, nlen) == 0;
}

void vmcp_header(struct vu *u, const char *name, size_t nlen, const char *val, size_t vlen,
		 bool last)
{
	const struct plan *p = vu_of(u->w)->plan;
	(void)last;
	if (name_is(name, nlen, "content-type")) {
		/* the value may come in pieces: its start decides */
		if (vlen >= 17 && strncasecmp(val, "text/event-stream", 17) == 0 && !u->sse) {
			u->sse = true;
			sse_init(u->stream, u->ev, p->body_cap);
		}
		return;
	}
	if ((int)u->cur != p->mcp.init || !name_is(name, nlen, "mcp-session-id"))
		return;
	char *slot;
	struct tmpl_var *sv = session_var(u, p, &slot);
	size_t have = sv->len ? sv->len - 2 : strlen(SESSION_LINE);
	/* visible ASCII only (spec: 0x21-0x7E), and it must fit */
	for (size_t i = 0; i < vlen; i++)
		if ((unsigned char)val[i] < 0x21 || (unsigned char)val[i] > 0x7e)
			goto bad;
	if (have + vlen + 2 > PLAN_VAR_BYTES)
		goto bad;
	memcpy(slot, SESSION_LINE, strlen(SESSION_LINE));
	memcpy(slot + have, val, vlen);
	memcpy(slot + have + vlen, "\r\n", 2);
	sv->len = have + vlen + 2;
	return;
bad:
	sv->len = 0;
	u->sess = VU_SESS_NONE; /* the handshake fails: an id we cannot echo */
}

static void on_event(void *ctx, const struct sse_event *ev)
{
	struct vu *u = ctx;
	struct worker *w = u->w;
	struct tally_mcp *t = &w->tally.mcp;
	struct mcp_msg m;
	bool counted = conn_is_measured(w);

	t->events += counted;
	if (ev->data_len == 0)
		return; /* the priming event: an id to resume from, no message */
	if (mcp_msg_parse(ev->data, ev->data_len, &m) < 0)
		return; /* not JSON-RPC: the response is still to come */
	if (m.kind == MCP_MSG_RESPONSE && mcp_msg_id_is(&m, u->rpc_id) && !u->matched) {
		if (ev->data_len > vu_of(w)->plan->body_cap) {
			u->body_over = true;
			return;
		}
		memcpy(u->body, ev->data, ev->data_len);
		u->body_len = (uint32_t)ev->data_len;
		u->matched = true;
		u->answered_ns = worker_arrived_ns(w);
		return;
	}
	if (m.kind == MCP_MSG_NOTIFICATION && counted) {
		char name[TALLY_METHOD_LEN];
		long n = jsc_unescape(&m.method, name, sizeof(name));
		t->notifications++;
		t->progress += jsc_is(&m.method, "notifications/progress");
		if (n > 0)
			tally_count_method(t, name, (size_t)n, 1);
		else
			t->methods_other++;
	} else if (m.kind == MCP_MSG_REQUEST) {
		t->server_requests += counted;
	}
}

bool vmcp_body(struct vu *u, const char *p, size_t len)
{
	if (!u->sse)
		return false;
	if (sse_feed(u->stream, p, len, on_event, u) < 0)
		u->body_over = true; /* an event beyond our buffer, or a broken stream */
	return true;
}

/* The setup latency of a session, or a failed handshake, under its label:
 * cls is TALLY_ERR__COUNT for a success, an error class, or above both for
 * a failure its status already counts. */
static void record_setup(struct worker *w, struct conn *c, struct vu *u, unsigned cls)
{
	const struct plan *p = vu_of(w)->plan;
	struct tally *t = &vu_of(w)->slots[p->labels[p->mcp.setup_label].slot];
	unsigned st = c->parser.status;
	t->responses++;
	t->bytes_in += c->resp_bytes;
	t->body_bytes += c->parser.body_bytes;
	t->status[st < LIM_STATUS_CODES ? st : 0]++;
	if (cls < TALLY_ERR__COUNT) {
		t->errors[cls]++;
		w->tally.errors[cls]++;
	} else if (cls == TALLY_ERR__COUNT) {
		hist_record(&t->latency, w->now_ns - u->setup_from_ns);
	}
	ltl_record(&w->ltl, p->labels[p->mcp.setup_label].slot, w->now_ns,
		   w->now_ns - u->setup_from_ns, w->now_ns - u->setup_from_ns, c->parser.body_bytes,
		   cls != TALLY_ERR__COUNT);
}

/* Read the JSON-RPC response to the request in flight into *m: false when
 * there is none (not JSON-RPC, another id, a stream without it). */
static bool read_message(struct vu *u, struct mcp_msg *m)
{
	if (u->body_over || (u->sse && !u->matched))
		return false;
	if (mcp_msg_parse(u->body, u->body_len, m) < 0 || m->kind != MCP_MSG_RESPONSE)
		return false;
	return mcp_msg_id_is(m, u->rpc_id);
}

/* Negotiated version from initialize's result, into the session variable. */
static bool take_version(struct vu *u, const struct plan *p)
{
	struct jsc_val v;
	int var = p->mcp.version_var;
	char *slot = u->store + (size_t)var * PLAN_VAR_BYTES;
	if (jsc_get(u->body, u->body_len, "result.protocolVersion", &v) != 0 ||
	    v.type != JSC_STRING || mcp_version_era(v.ptr, v.len) != MCP_ERA_LEGACY)
		return false;
	memcpy(slot, v.ptr, v.len);
	u->vars[var] = (struct tmpl_var){slot, v.len, 1};
	return true;
}

enum vmcp_next vmcp_session_response(struct worker *w, struct conn *c, struct vu *u, unsigned idx,
				     bool counted, unsigned *failed_cls)
{
	const struct plan_mcp *m = &vu_of(w)->plan->mcp;
	unsigned st = c->parser.status;
	struct mcp_msg msg = {0};
	unsigned cls = TALLY_ERR__COUNT;

	*failed_cls = cls;
	if ((int)idx == m->end) {
		w->tally.mcp.ended += st / 100 == 2 || st == 404 || st == 405;
		u->sess = VU_SESS_NONE;
		return VMCP_GO_ON;
	}
	if (st / 100 != 2) {
		cls = TALLY_ERR__COUNT + 1; /* counted by its status */
	} else if ((int)idx == m->init) {
		if (!read_message(u, &msg))
			cls = TALLY_ERR_PROTOCOL;
		else if (msg.rpc_error)
			cls = TALLY_ERR_RPC;
		else if (u->sess != VU_SESS_INIT_SENT || !take_version(u, vu_of(w)->plan))
			cls = TALLY_ERR_PROTOCOL; /* an unusable session id or version */
	}
	*failed_cls = cls;
	if (cls != TALLY_ERR__COUNT) {
		if (counted)
			record_setup(w, c, u, cls);
		if (cls == TALLY_ERR_RPC && counted)
			tally_count_code(&w->tally.mcp, msg.code, 1);
		u->sess = VU_SESS_NONE;
		return VMCP_BACKOFF;
	}
	if ((int)idx == m->init) {
		u->sess = VU_SESS_NOTIFY_DUE;
		return VMCP_GO_ON;
	}
	u->sess = VU_SESS_READY;
	if (counted) {
		w->tally.mcp.sessions++;
		record_setup(w, c, u, TALLY_ERR__COUNT);
	}
	return VMCP_GO_ON;
}

unsigned vmcp_response(struct worker *w, struct conn *c, struct vu *u, bool counted, char *text,
		       size_t cap, size_t *tlen)
{
	unsigned st = c->parser.status;
	struct mcp_msg m;
	bool ok;

	w->tally.mcp.sse += counted && u->sse;
	ok = read_message(u, &m);
	if (ok && m.rpc_error && counted)
		tally_count_code(&w->tally.mcp, m.code, 1);
	if (st >= 400) {
		/* a legacy server lost the session (404; server-everything
		 * answers 400): the next request initializes again */
		if (vu_of(w)->plan->mcp.era == MCP_ERA_LEGACY && (st == 404 || st == 400) &&
		    u->sess == VU_SESS_READY) {
			u->sess = VU_SESS_NONE;
			w->tally.mcp.reinits += counted;
		}
		return TALLY_ERR__COUNT; /* counted by its status */
	}
	if (!ok) {
		int n = snprintf(text, cap, "%s",
				 u->body_over ? "a JSON-RPC response larger than mcpload keeps"
				 : u->sse && !u->matched
				     ? "the SSE stream held no response to the request"
				     : "no JSON-RPC response to the request");
		*tlen = n > 0 ? (size_t)n : 0;
		return TALLY_ERR_PROTOCOL;
	}
	if (m.rpc_error || m.tool_error)
		*tlen = mcp_msg_text(u->body, u->body_len, &m, text, cap);
	if (m.rpc_error)
		return TALLY_ERR_RPC;
	if (m.tool_error)
		return TALLY_ERR_TOOL;
	return TALLY_ERR__COUNT;
}
