/*
 * vreq: a virtual user's next request rendered into its buffer: the step's
 * head and body templates with the user's variables, an MCP name rendered
 * once for the body and the Mcp-Name header, and Content-Length written in
 * place. Split from vstep.c, which decides what is sent when.
 */
#include "core/users/vreq.h"

#include <errno.h>
#include <string.h>

#include "core/users/vu.h"
#include "protocol/mcp.h"

static void put_u32(char *buf, size_t *len, uint32_t v)
{
	char d[10];
	int n = 0;
	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		buf[(*len)++] = d[--n];
}

/* {{seq}}'s stride: every worker of every shard has its own residue. */
static unsigned seq_step(const struct cfg *c)
{
	return c->shard_count > 1 ? c->threads * c->shard_count : c->threads;
}

ssize_t vreq_render(struct worker *w, struct vu *u, const struct plan_step *ps)
{
	const struct plan *p = vu_of(w)->plan;
	struct tmpl_ctx ctx = {u->user,	       u->iter - 1, &vu_of(w)->seq, seq_step(w->cfg),
			       &vu_of(w)->rng, u->vars,	    p->nvars,	    ++u->rpc_id};
	size_t cap = p->req_cap;
	ssize_t head, body = 0;
	size_t len;
	const char *m = ps->def->method;
	if (ps->has_name) {
		/* header and body must name the same tool or uri: render it once */
		int v = p->mcp.name_var;
		char *slot = u->store + (size_t)v * PLAN_VAR_BYTES;
		ssize_t n = tmpl_render(&ps->name, &ctx, slot, PLAN_VAR_BYTES);
		if (n < 0)
			return n;
		u->vars[v] = (struct tmpl_var){slot, (size_t)n, 1};
		int hv = p->mcp.name_hdr_var;
		char *hslot = u->store + (size_t)hv * PLAN_VAR_BYTES;
		int hn = mcp_name_header(slot, (size_t)n, hslot, PLAN_VAR_BYTES);
		if (hn < 0)
			return -ENOSPC;
		u->vars[hv] = (struct tmpl_var){hslot, (size_t)hn, 1};
	}
	head = tmpl_render(&ps->head, &ctx, u->req, cap);
	if (head < 0)
		return head;
	if (ps->has_body) {
		/* the body goes after room for the Content-Length line, then
		 * moves up against it */
		if ((size_t)head + 32 > cap)
			return -ENOSPC;
		body = tmpl_render(&ps->body, &ctx, u->req + head + 32, cap - (size_t)head - 32);
		if (body < 0)
			return body;
	}
	len = (size_t)head;
	if (ps->has_body || !strcmp(m, "POST") || !strcmp(m, "PUT") || !strcmp(m, "PATCH")) {
		memcpy(u->req + len, "Content-Length: ", 16);
		len += 16;
		put_u32(u->req, &len, (uint32_t)body);
		memcpy(u->req + len, "\r\n", 2);
		len += 2;
	}
	memcpy(u->req + len, "\r\n", 2);
	len += 2;
	memmove(u->req + len, u->req + head + 32, (size_t)body);
	return (ssize_t)(len + (size_t)body);
}
