/*
 * survey: the MCP lists read through core/probe/discover (each item
 * picked apart with jsc), tools tried once with argsyn's arguments, the
 * OpenAPI document fetched with probe_get and read by scenarios/openapi.
 */
#include "core/cmd/survey.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/clock.h"
#include "core/probe/discover.h"
#include "protocol/jsc.h"
#include "scenarios/argsyn.h"

#define OPENAPI_TIMEOUT_NS (10 * 1000000000ull)

static void note(struct survey *s, const char *fmt, ...)
{
	size_t n = strlen(s->notes);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->notes + n, sizeof(s->notes) - n, fmt, ap);
	va_end(ap);
}

/* A string member of item, decoded, one line; "" when absent. */
static void text(const char *item, size_t len, const char *key, char *out, size_t cap)
{
	struct jsc_val v;
	long n = -1;
	if (jsc_member(item, len, key, &v) == 0 && v.type == JSC_STRING)
		n = jsc_unescape(&v, out, cap - 1);
	out[n > 0 ? n : 0] = 0;
	for (long i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = ' ';
}

static bool hint(const char *item, size_t len, const char *name)
{
	struct jsc_val a, v;
	return jsc_member(item, len, "annotations", &a) == 0 && a.type == JSC_OBJECT &&
	       jsc_member(a.ptr, a.len, name, &v) == 0 && v.type == JSC_TRUE;
}

static void each_tool(void *ctx, const char *item, size_t len)
{
	struct survey *s = ctx;
	struct jsc_val schema;
	s->all_tools++;
	if (s->ntools == SURVEY_MAX)
		return;
	struct survey_tool *t = &s->tools[s->ntools];
	memset(t, 0, sizeof(*t));
	text(item, len, "name", t->name, sizeof(t->name));
	if (!t->name[0])
		return;
	text(item, len, "title", t->about, sizeof(t->about));
	if (!t->about[0])
		text(item, len, "description", t->about, sizeof(t->about));
	t->read_only = hint(item, len, "readOnlyHint");
	t->destructive = hint(item, len, "destructiveHint") && !t->read_only;
	t->open_world = hint(item, len, "openWorldHint");
	if (jsc_member(item, len, "inputSchema", &schema) != 0 || schema.type != JSC_OBJECT ||
	    argsyn_make(schema.ptr, schema.len, t->args, sizeof(t->args), &t->guessed) < 0)
		snprintf(t->args, sizeof(t->args), "{}");
	s->ntools++;
}

static void each_resource(void *ctx, const char *item, size_t len)
{
	struct survey *s = ctx;
	s->all_res++;
	if (s->nres == SURVEY_MAX)
		return;
	struct survey_item *r = &s->res[s->nres];
	memset(r, 0, sizeof(*r));
	text(item, len, "uri", r->name, sizeof(r->name));
	text(item, len, "name", r->about, sizeof(r->about));
	s->nres += r->name[0] != 0;
}

/* A prompt's required arguments, each "example" (prompts take strings). */
static void prompt_args(const char *item, size_t len, char *out, size_t cap)
{
	struct jsc_val list, a, req, name;
	size_t pos = 0, n = 0;
	n += (size_t)snprintf(out, cap, "{");
	if (jsc_member(item, len, "arguments", &list) == 0 && list.type == JSC_ARRAY)
		while (jsc_next(&list, &pos, NULL, &a) == 0 && n + 64 < cap) {
			if (a.type != JSC_OBJECT || jsc_member(a.ptr, a.len, "name", &name) ||
			    name.type != JSC_STRING || name.len > cap / 4 ||
			    jsc_member(a.ptr, a.len, "required", &req) || req.type != JSC_TRUE)
				continue;
			n += (size_t)snprintf(out + n, cap - n, "%s\"%.*s\":\"example\"",
					      n > 1 ? "," : "", (int)name.len, name.ptr);
		}
	if (n + 2 <= cap)
		snprintf(out + n, cap - n, "}");
}

static void each_prompt(void *ctx, const char *item, size_t len)
{
	struct survey *s = ctx;
	s->all_prompts++;
	if (s->nprompts == SURVEY_MAX)
		return;
	struct survey_item *p = &s->prompts[s->nprompts];
	memset(p, 0, sizeof(*p));
	text(item, len, "name", p->name, sizeof(p->name));
	text(item, len, "description", p->about, sizeof(p->about));
	prompt_args(item, len, p->args, sizeof(p->args));
	s->nprompts += p->name[0] != 0;
}

/* One list into the survey; a refusal is a note. */
static void list(struct survey *s, struct disc *d, const char *method, const char *key,
		 void (*each)(void *, const char *, size_t))
{
	char why[320];
	int cut;
	long n = disc_list(d, method, key, each, s, &cut, why, sizeof(why));
	if (n < 0)
		note(s, "%s: %s\n", method, why);
	else if (cut)
		note(s, "%s: more than %d pages; the rest not read\n", method, DISC_MAX_PAGES);
}

/* After a call in a legacy session: does the session still answer? A tool
 * that ends the caller's session (the next request gets 404, or 400 from
 * server-everything) cannot be measured call after call. */
static bool session_lost(struct disc *d)
{
	struct disc_reply r;
	char why[128];
	if (d->srv.era != MCP_ERA_LEGACY || !d->session_line[0])
		return false;
	int rc = disc_request(d, "ping", NULL, NULL, &r, why, sizeof(why));
	bool lost = r.status == 404 || (rc < 0 && r.status == 400);
	disc_reply_free(&r);
	return lost;
}

/* Call tool t once with its arguments: the server's words if it refuses,
 * its structuredContent if it answers. Returns -1 when the call ended the
 * session (open another), else 0. */
static int try_tool(struct disc *d, struct survey_tool *t)
{
	struct disc_reply r;
	struct jsc_val sc;
	char why[256];
	uint64_t t0 = clock_now_ns();
	t->tried = true;
	int rc = disc_request(d, "tools/call", t->name, t->args, &r, why, sizeof(why));
	t->took_ns = clock_now_ns() - t0;
	t->slow = t->took_ns >= SURVEY_SLOW_NS;
	if (rc < 0 && t->slow) {
		snprintf(t->said, sizeof(t->said), "no answer within %.1f s",
			 (double)t->took_ns / 1e9);
	} else if (rc < 0) {
		t->refused = true;
		snprintf(t->said, sizeof(t->said), "%s", why);
	} else if (r.m.rpc_error || r.m.tool_error) {
		t->refused = true;
		mcp_msg_text(r.msg, r.len, &r.m, t->said, sizeof(t->said));
	} else if (jsc_get(r.msg, r.len, "result.structuredContent", &sc) == 0 &&
		   sc.type == JSC_OBJECT && sc.len < sizeof(t->sample)) {
		memcpy(t->sample, sc.ptr, sc.len);
		t->sample[sc.len] = 0;
	}
	for (char *p = t->said; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	disc_reply_free(&r);
	if (!session_lost(d))
		return 0;
	t->refused = true;
	snprintf(t->said, sizeof(t->said),
		 "the server ended the session after this call (the next request got HTTP 404)");
	d->session_line[0] = 0; /* gone: nothing to DELETE */
	return -1;
}

int survey_mcp(struct survey *s, const struct probe_peer *peer, const char *path,
	       const struct mcp_server *srv, const char *why_missing, bool call_tools)
{
	struct disc d;
	char why[320];
	s->srv = *srv;
	s->tools = calloc(SURVEY_MAX, sizeof(*s->tools));
	s->res = calloc(SURVEY_MAX, sizeof(*s->res));
	s->prompts = calloc(SURVEY_MAX, sizeof(*s->prompts));
	if (!s->tools || !s->res || !s->prompts)
		return -ENOMEM;
	if (srv->era == MCP_ERA_NONE) {
		snprintf(s->mcp_missing, sizeof(s->mcp_missing), "%s",
			 why_missing ? why_missing : "no MCP endpoint");
		return 0;
	}
	if (disc_open(&d, peer, path, srv, why, sizeof(why)) < 0) {
		snprintf(s->mcp_missing, sizeof(s->mcp_missing), "%s", why);
		s->requests += d.requests;
		return 0;
	}
	list(s, &d, "tools/list", "tools", each_tool);
	list(s, &d, "resources/list", "resources", each_resource);
	list(s, &d, "prompts/list", "prompts", each_prompt);
	for (unsigned i = 0; call_tools && i < s->ntools; i++) {
		if (s->tools[i].destructive || s->tools[i].open_world ||
		    try_tool(&d, &s->tools[i]) == 0)
			continue;
		s->requests += d.requests; /* the session is gone: a new one */
		if (disc_open(&d, peer, path, srv, why, sizeof(why)) < 0) {
			note(s, "the session could not be opened again: %s\n", why);
			break;
		}
	}
	disc_close(&d);
	s->requests += d.requests;
	if (s->all_tools > s->ntools || s->all_res > s->nres || s->all_prompts > s->nprompts)
		note(s, "more than %d tools, resources or prompts: the first %d of each kept\n",
		     SURVEY_MAX, SURVEY_MAX);
	return 0;
}

static void each_op(void *ctx, const struct openapi_op *op)
{
	struct survey *s = ctx;
	if (s->nops < OPENAPI_MAX_OPS)
		s->ops[s->nops++] = *op;
}

int survey_openapi(struct survey *s, const struct url *target, const char *headers,
		   const struct tlsc *tls)
{
	char *doc = NULL, why[320];
	size_t len = 0;
	s->ops = calloc(OPENAPI_MAX_OPS, sizeof(*s->ops));
	if (!s->ops)
		return -ENOMEM;
	snprintf(s->openapi_url, sizeof(s->openapi_url), "%s://%s/openapi.json",
		 target->tls ? "https" : "http", target->authority);
	s->requests++;
	if (probe_get(s->openapi_url, headers, tls, OPENAPI_TIMEOUT_NS, &doc, &len, why,
		      sizeof(why)) < 0) {
		snprintf(s->openapi_why, sizeof(s->openapi_why), "%s", why);
		return 0;
	}
	long n = openapi_ops(doc, len, each_op, s);
	free(doc);
	if (n < 0)
		snprintf(s->openapi_why, sizeof(s->openapi_why),
			 "%.250s is not an OpenAPI document (no paths)", s->openapi_url);
	else
		s->all_ops = (unsigned)n;
	return 0;
}

void survey_free(struct survey *s)
{
	free(s->tools);
	free(s->res);
	free(s->prompts);
	free(s->ops);
	s->tools = NULL;
	s->res = s->prompts = NULL;
	s->ops = NULL;
}
