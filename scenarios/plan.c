/*
 * plan: compiles a scenario table for one run. Every check that can be made
 * before load starts is made here, so a table or --set that does not fit is
 * a one-line error, never a failure in the middle of a run.
 */
#include "scenarios/plan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int find_var(const struct plan *p, const char *name, size_t len)
{
	for (unsigned i = 0; i < p->nvars; i++) {
		if (strlen(p->vars[i].name) == len && memcmp(p->vars[i].name, name, len) == 0)
			return (int)i;
	}
	return -1;
}

static int add_var(struct plan *p, const char *name, const char *value)
{
	int i = find_var(p, name, strlen(name));
	if (i >= 0)
		return i;
	if (p->nvars == PLAN_MAX_VARS)
		return -1;
	struct plan_var *v = &p->vars[p->nvars];
	v->name = name;
	v->value = value;
	v->len = value ? strlen(value) : 0;
	p->names[p->nvars] = name;
	return (int)p->nvars++;
}

/* Variables: the table's, then every capture target, then --set values. */
static int build_vars(struct plan *p, const struct scn *s, const struct plan_opts *o, char *why,
		      size_t wl)
{
	for (unsigned i = 0; i < s->nvars; i++) {
		if (add_var(p, s->vars[i].name, s->vars[i].value) < 0)
			return fail(why, wl, "scenario %s: more than %u variables", s->name,
				    PLAN_MAX_VARS);
	}
	for (unsigned t = 0; t < s->ntasks; t++) {
		for (unsigned k = 0; k < s->tasks[t].nsteps; k++) {
			const struct scn_step *st = &s->tasks[t].steps[k];
			for (unsigned c = 0; c < SCN_MAX_CAPTURES && st->captures[c].var; c++) {
				int v = add_var(p, st->captures[c].var, NULL);
				if (v < 0)
					return fail(why, wl, "scenario %s: more than %u variables",
						    s->name, PLAN_MAX_VARS);
				p->vars[v].captured = true;
			}
		}
	}
	if (p->mcp.era != MCP_ERA_NONE) {
		p->mcp.name_var = add_var(p, "mcp_name", NULL);
		if (p->mcp.name_var < 0)
			return fail(why, wl, "scenario %s: more than %u variables", s->name,
				    PLAN_MAX_VARS);
		p->vars[p->mcp.name_var].captured = p->vars[p->mcp.name_var].session = true;
		p->mcp.name_hdr_var = add_var(p, "mcp_name_hdr", NULL);
		if (p->mcp.name_hdr_var < 0)
			return fail(why, wl, "scenario %s: more than %u variables", s->name,
				    PLAN_MAX_VARS);
		p->vars[p->mcp.name_hdr_var].captured = p->vars[p->mcp.name_hdr_var].session = true;
	}
	if (p->mcp.era == MCP_ERA_LEGACY) {
		/* the version a session negotiated and its Mcp-Session-Id line:
		 * filled per user by the handshake, kept across iterations */
		const char *offer = o->mcp_version ? o->mcp_version : MCP_VERSION_LEGACY;
		p->mcp.version_var = add_var(p, "mcp_version", offer);
		p->mcp.session_var = add_var(p, "mcp_session_line", NULL);
		if (p->mcp.version_var < 0 || p->mcp.session_var < 0)
			return fail(why, wl, "scenario %s: more than %u variables", s->name,
				    PLAN_MAX_VARS);
		p->vars[p->mcp.version_var].captured = p->vars[p->mcp.version_var].session = true;
		p->vars[p->mcp.session_var].captured = p->vars[p->mcp.session_var].session = true;
	}
	for (unsigned i = 0; i < o->nsets; i++) {
		const char *eq = strchr(o->sets[i], '=');
		int v = eq ? find_var(p, o->sets[i], (size_t)(eq - o->sets[i])) : -1;
		if (!eq)
			return fail(why, wl, "--set needs name=value, got '%s'", o->sets[i]);
		if (v < 0)
			return fail(why, wl, "--set: scenario %s has no variable '%.*s'", s->name,
				    (int)(eq - o->sets[i]), o->sets[i]);
		p->vars[v].value = eq + 1;
		p->vars[v].len = strlen(eq + 1);
	}
	return 0;
}

static int find_label(struct plan *p, const struct scn_step *st)
{
	for (unsigned i = 0; i < p->nlabels; i++) {
		if (strcmp(p->labels[i].name, st->label) == 0)
			return (int)i;
	}
	if (p->nlabels == PLAN_MAX_LABELS)
		return -1;
	struct plan_label *l = &p->labels[p->nlabels];
	l->name = st->label;
	l->split = st->split;
	l->split_values = st->split_values;
	while (l->split && l->nsplit < SCN_MAX_SPLIT && st->split_values[l->nsplit])
		l->nsplit++;
	l->slot = p->nslots;
	p->nslots += 1 + l->nsplit;
	return (int)p->nlabels++;
}

/* The most bytes a template can render to with this plan's variables. */
static size_t bound(const struct plan *p, const struct tmpl *t)
{
	size_t n = 0;
	for (unsigned i = 0; i < t->nsegs; i++) {
		const struct tmpl_seg *s = &t->segs[i];
		size_t most = 0;
		switch (s->kind) {
		case TMPL_LIT:
			n += s->len;
			break;
		case TMPL_PICK:
		case TMPL_EACH:
			for (unsigned k = 0; k < s->n; k++)
				if (t->picks[s->first + k].len > most)
					most = t->picks[s->first + k].len;
			n += most;
			break;
		case TMPL_VAR:
			most = p->vars[s->var].len;
			n += p->vars[s->var].captured && most < PLAN_VAR_BYTES ? PLAN_VAR_BYTES
									       : most;
			break;
		default:
			n += 21; /* a signed 64-bit integer */
		}
	}
	return n;
}

/* Append the NULL-terminated list of strings, in order. */
static int append(char *buf, size_t cap, size_t *len, ...)
{
	va_list ap;
	const char *s;
	int r = 0;
	va_start(ap, len);
	while ((s = va_arg(ap, const char *)) != NULL) {
		size_t n = strlen(s);
		if (*len + n >= cap) {
			r = -1;
			break;
		}
		memcpy(buf + *len, s, n + 1);
		*len += n;
	}
	va_end(ap);
	return r;
}

/* The request head's template text: request line, Host, User-Agent, -H
 * headers, the protocol's and the step's headers, and a JSON content type
 * for a body. */
static int head_source(char *src, size_t cap, const char *method, const char *path,
		       const char *proto_headers, bool body, const struct scn_step *st,
		       const struct plan_opts *o)
{
	size_t len = 0, blen = o->base_path ? strlen(o->base_path) : 0;
	bool ctype = false;
	int r = append(src, cap, &len, method, " ", NULL);
	while (blen && o->base_path[blen - 1] == '/')
		blen--; /* the step's path brings its own */
	if (len + blen >= cap)
		return -1;
	memcpy(src + len, o->base_path, blen);
	len += blen;
	r |= append(src, cap, &len, path, " HTTP/1.1\r\nHost: ", o->authority,
		    "\r\nUser-Agent: mcpload/" MCPL_VERSION "\r\n", NULL);
	for (size_t i = 0; i < o->nheaders; i++) {
		r |= append(src, cap, &len, o->headers[i].name, ": ", o->headers[i].value, "\r\n",
			    NULL);
		ctype |= strcasecmp(o->headers[i].name, "content-type") == 0;
	}
	if (proto_headers)
		r |= append(src, cap, &len, proto_headers, NULL);
	if (st->headers) {
		r |= append(src, cap, &len, st->headers, NULL);
		ctype |= strcasestr(st->headers, "content-type:") != NULL;
	}
	if (body && !ctype)
		r |= append(src, cap, &len, "Content-Type: application/json\r\n", NULL);
	return r ? -1 : 0;
}

/*
 * Variables with a fixed value (a default or --set) are spliced into the
 * template text before it is compiled, so they cost nothing per request:
 * {{NAME}} becomes the value, {{pick:@NAME}} ({{each:@NAME}}) picks from (goes through) the value's
 * `|`-separated list. Captured variables stay slots. Returns 0, or -1 with
 * why set.
 */
static int expand(const struct plan *p, const char *in, char *out, size_t cap, char *why, size_t wl)
{
	size_t len = 0;
	while (*in) {
		const char *open = strstr(in, "{{"), *close = open ? strstr(open, "}}") : NULL;
		size_t lit = close ? (size_t)(open - in) : strlen(in);
		if (len + lit >= cap)
			goto too_long;
		memcpy(out + len, in, lit);
		len += lit;
		if (!close)
			break;
		const char *name = open + 2;
		bool each = strncmp(name, "each:@", 6) == 0;
		bool pick = each || strncmp(name, "pick:@", 6) == 0;
		if (pick)
			name += 6;
		int v = find_var(p, name, (size_t)(close - name));
		const struct plan_var *pv = v >= 0 ? &p->vars[v] : NULL;
		const char *pre = each	 ? "{{each:"
				  : pick ? "{{pick:"
					 : "",
			   *post = pick ? "}}" : "";
		size_t take = (size_t)(close + 2 - open);
		if (pick && !pv) {
			fail(why, wl, "{{%s:@%.*s}}: no such variable", each ? "each" : "pick",
			     (int)(close - name), name);
			return -1;
		}
		if (pv && !pv->captured && !pv->value) {
			fail(why, wl, "variable '%s' has no value (give it one with --set %s=...)",
			     pv->name, pv->name);
			return -1;
		}
		if (pv && !pv->captured) {
			if (len + strlen(pre) + pv->len + strlen(post) >= cap)
				goto too_long;
			len += (size_t)sprintf(out + len, "%s%s%s", pre, pv->value, post);
		} else {
			if (len + take >= cap)
				goto too_long;
			memcpy(out + len, open, take);
			len += take;
		}
		in = close + 2;
	}
	out[len] = 0;
	return 0;
too_long:
	fail(why, wl, "template longer than %u bytes once variables are filled in", TMPL_MAX_BYTES);
	return -1;
}

/* Expand `in` into plan-owned text; NULL stays NULL. Returns 0 or -1. */
static int resolve(struct plan *p, const char *in, const char **out, char *why, size_t wl)
{
	static char buf[TMPL_MAX_BYTES + 1];
	*out = in;
	if (!in || !strstr(in, "{{"))
		return 0;
	if (expand(p, in, buf, sizeof(buf), why, wl) < 0)
		return -1;
	size_t n = strlen(buf);
	while (n && buf[n - 1] == ' ')
		n--; /* "{{method}} {{name}}" with no name */
	if (p->ntext + n + 1 > sizeof(p->text))
		return fail(why, wl, "resolved step text longer than %u bytes", PLAN_TEXT_BYTES);
	memcpy(p->text + p->ntext, buf, n);
	p->text[p->ntext + n] = 0;
	*out = p->text + p->ntext;
	p->ntext += n + 1;
	return 0;
}

/*
 * The step as the plan uses it: the table's own, or a copy in p->own with
 * the MCP method, label and arguments resolved from fixed variables. The
 * arguments must then be one JSON object (slots left for captures and
 * picks are checked when rendered).
 */
static int own_step(struct plan *p, unsigned i, const struct scn_step *st,
		    const struct scn_step **out, char *why, size_t wl)
{
	struct scn_step *c = &p->own[i];
	struct jsc_val v;
	*out = st;
	if (!st->mcp ||
	    !(strstr(st->mcp, "{{") || (st->label && strstr(st->label, "{{")) ||
	      (st->name && strstr(st->name, "{{")) || (st->args && strstr(st->args, "{{"))))
		return 0;
	*c = *st;
	if (resolve(p, st->mcp, &c->mcp, why, wl) < 0 ||
	    resolve(p, st->label, &c->label, why, wl) < 0 ||
	    resolve(p, st->name, &c->name, why, wl) < 0 ||
	    resolve(p, st->args, &c->args, why, wl) < 0)
		return -EINVAL;
	for (const char *q = c->name; q && !strstr(c->name, "{{") && *q; q++)
		if (*q == '"' || *q == '\\' || (unsigned char)*q < 0x20)
			return fail(why, wl,
				    "step '%s': the name may not hold quotes, "
				    "backslashes or control characters",
				    c->label);
	if (!c->mcp[0] || strpbrk(c->mcp, "\"{} \t\r\n"))
		return fail(why, wl, "step '%s': '%s' is not an MCP method name", c->label, c->mcp);
	if (c->args && !strstr(c->args, "{{") &&
	    (jsc_get(c->args, strlen(c->args), "", &v) < 0 || v.type != JSC_OBJECT))
		return fail(why, wl, "step '%s': the arguments are not one JSON object: %s",
			    c->label, c->args);
	*out = c;
	return 0;
}

/* An MCP step's JSON-RPC body and protocol headers, as template text. */
static int mcp_sources(const struct plan *p, const struct scn_step *st, const struct plan_opts *o,
		       char *body, size_t bcap, char *hdrs, size_t hcap, char *why, size_t wl)
{
	enum mcp_kind k = mcp_kind_of(st->mcp);
	bool varies = st->name && strstr(st->name, "{{") != NULL;
	struct mcp_req rq = {p->mcp.era,
			     st->mcp,
			     varies ? "{{mcp_name}}" : st->name,
			     st->args,
			     "{{rpc_id}}",
			     "{{mcp_version}}",
			     "{{mcp_session_line}}",
			     MCPL_VERSION};
	rq.header_name = varies ? "{{mcp_name_hdr}}" : NULL;
	(void)o;
	if (st->method || st->body)
		return fail(why, wl, "step '%s': an MCP step has no method or body of its own",
			    st->label);
	if ((k == MCP_K_CALL || k == MCP_K_PROMPT || k == MCP_K_READ) &&
	    (!st->name || !st->name[0]))
		return fail(why, wl, "step '%s': %s needs a name (the uri for resources/read)",
			    st->label, st->mcp);
	if (k == MCP_K_PING && p->mcp.era == MCP_ERA_MODERN)
		return fail(why, wl, "step '%s': ping does not exist in MCP " MCP_VERSION_MODERN,
			    st->label);
	if (mcp_body_src(body, bcap, &rq) < 0 || mcp_header_src(hdrs, hcap, &rq) < 0)
		return fail(why, wl,
			    "step '%s': the JSON-RPC request does not fit (arguments "
			    "must be a JSON object)",
			    st->label);
	return 0;
}

static int build_step(struct plan *p, struct plan_step *ps, const struct scn_step *st,
		      const struct plan_opts *o, char *why, size_t wl)
{
	static char raw[TMPL_MAX_BYTES + 1], src[TMPL_MAX_BYTES + 1];
	static char mbody[TMPL_MAX_BYTES + 1], mhdrs[1024];
	const char *terr = NULL, *method = st->method, *path = st->path, *body = st->body;
	const char *proto = NULL;
	int lab;

	ps->def = st;
	ps->mcp = st->mcp != NULL;
	if (ps->mcp && st->name && strstr(st->name, "{{")) {
		/* picks and variables in a name are rendered once per request */
		if (expand(p, st->name, src, sizeof(src), why, wl) < 0)
			return -EINVAL;
		if (tmpl_compile(&ps->name, src, p->names, p->nvars, &terr) < 0)
			return fail(why, wl, "step '%s': name: %s", st->label, terr);
		if (bound(p, &ps->name) > PLAN_VAR_BYTES)
			return fail(why, wl, "step '%s': the name may exceed %u bytes", st->label,
				    PLAN_VAR_BYTES);
		ps->has_name = true;
	}
	if (ps->mcp) {
		if (mcp_sources(p, st, o, mbody, sizeof(mbody), mhdrs, sizeof(mhdrs), why, wl) < 0)
			return -EINVAL;
		method = "POST";
		path = o->mcp_path ? o->mcp_path : "/mcp";
		body = mbody;
		proto = mhdrs;
	}
	if (!st->label || !method || !h1w_is_token(method, strlen(method)) || !path ||
	    path[0] != '/')
		return fail(why, wl,
			    "step '%s': needs a label, a method token and a path "
			    "starting with /",
			    st->label ? st->label : "?");
	if (head_source(raw, sizeof(raw), method, path, proto, body != NULL, st, o) < 0)
		return fail(why, wl, "step '%s': request head longer than %u bytes", st->label,
			    TMPL_MAX_BYTES);
	if (expand(p, raw, src, sizeof(src), why, wl) < 0)
		return -EINVAL;
	if (tmpl_compile(&ps->head, src, p->names, p->nvars, &terr) < 0)
		return fail(why, wl, "step '%s': request head: %s", st->label, terr);
	ps->has_body = body != NULL;
	if (ps->has_body && expand(p, body, src, sizeof(src), why, wl) < 0)
		return -EINVAL;
	if (ps->has_body && tmpl_compile(&ps->body, src, p->names, p->nvars, &terr) < 0)
		return fail(why, wl, "step '%s': body: %s", st->label, terr);
	lab = find_label(p, st);
	if (lab < 0)
		return fail(why, wl, "more than %u labels", PLAN_MAX_LABELS);
	ps->label = (unsigned)lab;
	ps->check = -1;
	for (unsigned c = 0; c < SCN_MAX_CAPTURES; c++) {
		const struct scn_capture *cap = &st->captures[c];
		ps->capture_var[c] = cap->var ? find_var(p, cap->var, strlen(cap->var)) : -1;
		if (cap->var && !cap->json == !cap->header)
			return fail(why, wl,
				    "step '%s': capture '%s' needs a JSON path or a header",
				    st->label, cap->var);
		ps->need_body |= cap->json != NULL;
		ps->need_headers |= cap->header != NULL;
	}
	ps->need_body |= st->contains || st->json_has || ps->mcp;
	ps->need_headers |= st->split != NULL || ps->mcp;
	if (st->json_has) {
		const char *eq = strchr(st->json_has, '=');
		size_t n = eq ? (size_t)(eq - st->json_has) : strlen(st->json_has);
		if (n >= sizeof(ps->has_path))
			return fail(why, wl, "step '%s': json_has path too long", st->label);
		memcpy(ps->has_path, st->json_has, n);
		ps->has_path[n] = 0;
		ps->has_value = eq ? eq + 1 : NULL;
	}
	/* head + "Content-Length: N\r\n\r\n" + body */
	ps->max_len = bound(p, &ps->head) + 40 + (ps->has_body ? bound(p, &ps->body) : 0);
	if (ps->max_len > p->req_cap)
		p->req_cap = ps->max_len;
	return 0;
}

static int build_checks(struct plan *p, const struct scn *s, char *why, size_t wl)
{
	if (s->nchecks > PLAN_MAX_CHECKS)
		return fail(why, wl, "scenario %s: more than %u checks", s->name, PLAN_MAX_CHECKS);
	for (unsigned c = 0; c < s->nchecks; c++) {
		const struct scn_check *ck = &s->checks[c];
		bool found = false;
		if (!ck->start || (ck->kind == SCN_CHECK_DISJOINT && !ck->end && !ck->count))
			return fail(why, wl, "check '%s': missing JSON paths", ck->name);
		for (unsigned i = 0; i < p->nsteps; i++) {
			if (strcmp(p->labels[p->steps[i].label].name, ck->label) != 0)
				continue;
			if (p->steps[i].check >= 0)
				return fail(why, wl, "label '%s' feeds two checks", ck->label);
			p->steps[i].check = (int)c;
			p->steps[i].need_body = true;
			found = true;
		}
		if (!found)
			return fail(why, wl, "check '%s': no step is labelled '%s'", ck->name,
				    ck->label);
	}
	return 0;
}

/* Legacy era: the handshake and the DELETE that end a session, as steps
 * outside every task that the engine sends when a user needs them. */
static int add_session_steps(struct plan *p, const struct plan_opts *o, char *why, size_t wl)
{
	struct plan_mcp *m = &p->mcp;
	static const char end_headers[] = "MCP-Protocol-Version: {{mcp_version}}\r\n"
					  "{{mcp_session_line}}";
	m->defs[0] =
	    (struct scn_step){.label = "mcp session setup", .mcp = "initialize", .status = 2};
	m->defs[1] = (struct scn_step){
	    .label = "mcp session setup", .mcp = "notifications/initialized", .status = 2};
	m->defs[2] = (struct scn_step){.label = "mcp session setup",
				       .method = "DELETE",
				       .path = o->mcp_path ? o->mcp_path : "/mcp",
				       .headers = end_headers};
	if (p->nsteps + 3 > PLAN_MAX_STEPS)
		return fail(why, wl, "%u steps at most, with the MCP session's three",
			    PLAN_MAX_STEPS);
	for (int i = 0; i < 3; i++) {
		int r = build_step(p, &p->steps[p->nsteps], &m->defs[i], o, why, wl);
		if (r < 0)
			return r;
		int *idx = i == 0 ? &m->init : i == 1 ? &m->notify : &m->end;
		*idx = (int)p->nsteps++;
	}
	m->setup_label = p->steps[m->init].label;
	return 0;
}

int plan_build(struct plan *p, const struct scn *s, const struct scn_shape *shape,
	       const struct plan_opts *o, char *why, size_t wl)
{
	double total = 0, sum = 0;
	int r;

	memset(p, 0, sizeof(*p));
	p->scn = s;
	p->shape = *shape;
	p->mcp.init = p->mcp.notify = p->mcp.end = -1;
	p->mcp.version_var = p->mcp.session_var = p->mcp.name_var = p->mcp.name_hdr_var = -1;
	if (s->ntasks == 0 || s->ntasks > PLAN_MAX_TASKS)
		return fail(why, wl, "scenario %s: 1 to %u tasks", s->name, PLAN_MAX_TASKS);
	if (scn_has_mcp(s)) {
		if (o->mcp_era == MCP_ERA_NONE)
			return fail(why, wl, "scenario %s: MCP steps need a protocol era", s->name);
		if (o->mcp_path && o->mcp_path[0] != '/')
			return fail(why, wl, "--mcp-path must start with /");
		p->mcp.era = o->mcp_era;
		p->mcp.churn = o->session_churn && o->mcp_era == MCP_ERA_LEGACY;
	}
	r = build_vars(p, s, o, why, wl);
	if (r < 0)
		return r;
	for (unsigned t = 0; t < s->ntasks; t++)
		total += s->tasks[t].weight;
	if (total <= 0)
		return fail(why, wl, "scenario %s: task weights add up to 0", s->name);
	for (unsigned t = 0; t < s->ntasks; t++) {
		const struct scn_task *tk = &s->tasks[t];
		struct plan_task *pt = &p->tasks[p->ntasks++];
		if (tk->nsteps == 0 || p->nsteps + tk->nsteps > PLAN_MAX_STEPS)
			return fail(why, wl, "task '%s': 1 step at least, %u in all at most",
				    tk->name, PLAN_MAX_STEPS);
		pt->first = p->nsteps;
		pt->nsteps = tk->nsteps;
		sum += tk->weight;
		pt->upto = sum / total;
		pt->think_min_ns = tk->think_min_ns;
		pt->think_max_ns = tk->think_max_ns;
		if (!pt->think_min_ns && !pt->think_max_ns) {
			pt->think_min_ns = shape->think_min_ns;
			pt->think_max_ns = shape->think_max_ns;
		}
		for (unsigned k = 0; k < tk->nsteps; k++) {
			const struct scn_step *st;
			if (own_step(p, p->nsteps, &tk->steps[k], &st, why, wl) < 0)
				return -EINVAL;
			r = build_step(p, &p->steps[p->nsteps++], st, o, why, wl);
			if (r < 0)
				return r;
		}
	}
	p->tasks[p->ntasks - 1].upto = 2; /* rounding never falls off the end */
	if (p->mcp.era == MCP_ERA_LEGACY) {
		r = add_session_steps(p, o, why, wl);
		if (r < 0)
			return r;
	}
	r = build_checks(p, s, why, wl);
	if (r < 0)
		return r;
	for (unsigned i = 0; i < p->nsteps; i++)
		if (p->steps[i].need_body)
			p->body_cap = PLAN_BODY_BYTES;
	return 0;
}

unsigned plan_pick_task(const struct plan *p, double u)
{
	unsigned i = 0;
	while (i + 1 < p->ntasks && u >= p->tasks[i].upto)
		i++;
	return i;
}

int plan_split_slot(const struct plan *p, const struct plan_step *st, const char *v, size_t len)
{
	const struct plan_label *l = &p->labels[st->label];
	for (unsigned i = 0; v && i < l->nsplit; i++) {
		if (strlen(l->split_values[i]) == len &&
		    strncasecmp(l->split_values[i], v, len) == 0)
			return (int)(l->slot + 1 + i);
	}
	return -1;
}
