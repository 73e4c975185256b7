/*
 * snfr: composing each configured NFR's scenarios. A sweep reads every
 * resource in turn ({{each:@items}}), a load picks among them, the tools
 * are one step each, a reservation is one step with its range check; the
 * loads and targets the user stories give are the defaults.
 */
#include "scenarios/snfr.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/tmpl.h"

#define S(x)	    ((uint64_t)(x)*1000000000ull)
#define SCN_BYTES   (64u << 10)
#define SWEEPS	    10 /* every resource read this many times (--smoke: 2 by each of 5 users) */
#define CALLS	    50 /* per tool */
#define FLOW_RATE   100.0
#define RESERVATION 50

static void note(struct snfr *s, const char *fmt, const char *a, unsigned x, unsigned y)
{
	size_t n = strlen(s->notes);
	snprintf(s->notes + n, sizeof(s->notes) - n, fmt, a, x, y);
}

static void off(struct snfr *s, unsigned i, enum nfr_avail a, const char *why)
{
	s->nfrs[i].avail = a;
	snprintf(s->why[i], sizeof(s->why[i]), "%s", why);
	s->nfrs[i].avail_why = s->why[i];
	s->nfrs[i].nphases = 0;
}

static struct sfile *new_scn(struct snfr *s, const char *name, const char *desc)
{
	if (s->nscns == SNFR_SCNS)
		return NULL;
	struct sfile *f = &s->scns[s->nscns];
	if (sfile_init(f, SCN_BYTES) < 0)
		return NULL;
	s->nscns++;
	f->scn.name = name;
	f->scn.desc = desc;
	return f;
}

/* A step of f's one task (made on first use). */
static struct scn_step *new_step(struct sfile *f)
{
	unsigned used = 0;
	for (unsigned i = 0; i < f->scn.ntasks; i++)
		used += f->tasks[i].nsteps;
	if (used == PLAN_MAX_STEPS)
		return NULL;
	if (!f->scn.ntasks) {
		f->tasks[0] = (struct scn_task){.name = "main", .weight = 1, .steps = f->steps};
		f->scn.ntasks = 1;
	}
	struct scn_task *t = &f->tasks[f->scn.ntasks - 1];
	t->nsteps++;
	return &f->steps[used];
}

/* An item a template list can carry: no '|' (the separator), '*' (a
 * weight), braces (slots), quotes or control bytes (JSON and headers). */
static bool listable(const char *v)
{
	if (!v[0] || strstr(v, "{{") || strstr(v, "}}"))
		return false;
	for (const char *p = v; *p; p++)
		if (*p == '|' || *p == '*' || *p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
			return false;
	return true;
}

/* items joined by '|' into the variable `items` of f. Returns how many fit. */
static unsigned list_var(struct snfr *s, struct sfile *f, const char *const *items, unsigned n,
			 const char *what)
{
	char *v = malloc(TMPL_MAX_BYTES);
	size_t len = 0;
	unsigned kept = 0, bad = 0;
	if (!v)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		size_t k = strlen(items[i]);
		if (!listable(items[i])) {
			bad++;
			continue;
		}
		if (len + k + 1 >= TMPL_MAX_BYTES - 64 || kept == TMPL_MAX_PICKS)
			break;
		memcpy(v + len, items[i], k);
		len += k;
		v[len++] = '|';
		kept++;
	}
	v[len ? len - 1 : 0] = 0;
	f->vars[0] = (struct scn_var){"items", sfile_copy(f, v), "the list the steps go through"};
	f->scn.nvars = 1;
	free(v);
	if (bad)
		note(s, "%s: %u left out: a '|', '*', quote, brace or control byte in the name\n",
		     what, bad, 0);
	if (kept + bad < n)
		note(s, "%s: the first %u of %u read (the rest do not fit one template)\n", what,
		     kept, n);
	return f->vars[0].value ? kept : 0;
}

static void cache_split(const struct nfr *d, struct scn_step *st)
{
	if (!d->cache_header)
		return;
	st->split = d->cache_header;
	st->split_values[0] = d->cache_hit;
	st->split_values[1] = d->cache_miss;
}

/* NFR-01's sweep (every item SWEEPS times) and load (picks) for one half. */
static int resources(struct snfr *s, struct nfr *d, const char *const *items, unsigned n, bool mcp)
{
	struct sfile *sw = new_scn(s, mcp ? "nfr01-mcp-sweep" : "nfr01-rest-sweep",
				   mcp ? "every configured MCP resource in turn (resources/read)"
				       : "every configured REST resource in turn (GET)");
	struct sfile *ld = new_scn(s, mcp ? "nfr01-mcp-load" : "nfr01-rest-load",
				   mcp ? "MCP resources/read of a random configured resource"
				       : "GET of a random configured REST resource");
	if (!sw || !ld)
		return -ENOMEM;
	unsigned kept = list_var(s, sw, items, n, mcp ? "NFR-01 MCP resources" : "NFR-01 REST");
	if (!kept)
		return 0;
	ld->vars[0] = sw->vars[0];
	ld->scn.nvars = 1;
	struct scn_step *a = new_step(sw), *b = new_step(ld);
	*a = (struct scn_step){.label = mcp ? "mcp resources/read" : "rest resources"};
	*b = *a;
	if (mcp) {
		a->mcp = b->mcp = "resources/read";
		a->name = "{{each:@items}}";
		b->name = "{{pick:@items}}";
	} else {
		a->method = b->method = "GET";
		a->path = "{{each:@items}}";
		b->path = "{{pick:@items}}";
	}
	cache_split(d, a);
	cache_split(d, b);
	ld->scn.shape = (struct scn_shape){
	    .model = SCN_CLOSED, .think_min_ns = 100000000ull, .think_max_ns = 500000000ull};
	sw->scn.shape.model = SCN_CLOSED;
	d->phases[d->nphases++] = (struct nfr_phase){.name = mcp ? "mcp-sweep" : "rest-sweep",
						     .scenario = sw->scn.name,
						     .scn = &sw->scn,
						     .users = 1,
						     .iterations = SWEEPS * kept,
						     .smoke_users = 5,
						     .smoke_iterations = 2 * kept};
	d->phases[d->nphases++] = (struct nfr_phase){.name = mcp ? "mcp-load" : "rest-load",
						     .scenario = ld->scn.name,
						     .scn = &ld->scn,
						     .users = mcp ? 50 : 100,
						     .spawn_rate = 10,
						     .duration_ns = mcp ? S(30) : S(60),
						     .smoke_users = mcp ? 10 : 30,
						     .smoke_spawn_rate = mcp ? 10 : 15,
						     .smoke_duration_ns = mcp ? S(4) : S(8)};
	return 0;
}

static int nfr01(struct snfr *s, const struct sconf *c, const struct snfr_server *srv)
{
	struct nfr *d = &s->nfrs[0];
	d->nphases = 0;
	d->cache_header = d->cache_hit = d->cache_miss = NULL;
	d->hits_metric = c->hits_metric;
	d->misses_metric = c->misses_metric;
	if (c->cache_header) {
		size_t k = 0;
		for (const char *p = c->cache_header; *p && k + 1 < sizeof(s->cache_header); p++)
			s->cache_header[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		s->cache_header[k] = 0;
		d->cache_header = s->cache_header;
		d->cache_hit = c->cache_hit;
		d->cache_miss = c->cache_miss;
	}
	for (unsigned k = 0; k < d->ncriteria; k++) {
		enum nfr_metric m = d->criteria[k].metric;
		bool needs_split = m == NFR_HIT_P95_MS || m == NFR_MISS_P95_MS;
		if ((needs_split && !d->cache_header) ||
		    (m == NFR_HIT_RATE_PCT && !d->cache_header && !d->hits_metric)) {
			d->criteria[k].unconfigured = "no cache signal configured ([nfr01] cache)";
			d->criteria[k].gate = false;
		}
	}
	if (c->nresources && !srv->mcp_missing &&
	    resources(s, d, c->resources, c->nresources, true) < 0)
		return -ENOMEM;
	if (c->nresources && srv->mcp_missing)
		note(s, "NFR-01: the MCP resources are not read: %s%u%u\n", srv->mcp_missing, 0, 0);
	if (c->nrest && resources(s, d, c->rest, c->nrest, false) < 0)
		return -ENOMEM;
	if (!d->nphases && srv->mcp_missing)
		off(s, 0, NFR_NOT_APPLICABLE, "no MCP endpoint, and no REST resources configured");
	else if (!d->nphases)
		off(s, 0, c->discovered ? NFR_NOT_APPLICABLE : NFR_NOT_CONFIGURED,
		    c->discovered ? "the server lists no resources (resources/list)"
				  : "no resources to read ([nfr01] resources, rest)");
	return 0;
}

static int nfr02(struct snfr *s, const struct sconf *c, const struct snfr_server *srv)
{
	struct nfr *d = &s->nfrs[1];
	uint64_t calls = c->calls ? c->calls : CALLS;
	unsigned kept = 0, bad = 0;
	d->nphases = 0;
	if (srv->mcp_missing) {
		off(s, 1, NFR_NOT_APPLICABLE, "no MCP endpoint: no tools to call");
		return 0;
	}
	struct sfile *f = new_scn(s, "nfr02-tools", "each configured tool in turn (tools/call)");
	if (!f)
		return -ENOMEM;
	for (unsigned i = 0; i < c->ntools; i++) {
		char label[160];
		if (!listable(c->tools[i].name)) {
			bad++;
			continue;
		}
		struct scn_step *st = new_step(f);
		snprintf(label, sizeof(label), "tool %s", c->tools[i].name);
		if (!st)
			break;
		*st = (struct scn_step){.label = sfile_copy(f, label),
					.mcp = "tools/call",
					.name = c->tools[i].name,
					.args = c->tools[i].args};
		kept++;
	}
	if (bad)
		note(s, "NFR-02: %s%u tools left out: a quote, brace or '|' in the name\n", "", bad,
		     0);
	if (!kept) {
		off(s, 1, c->discovered ? NFR_NOT_APPLICABLE : NFR_NOT_CONFIGURED,
		    c->discovered ? "the server lists no tools it can call with synthesized "
				    "arguments (tools/list; see the notes)"
				  : "no tools to call ([[nfr02.tool]])");
		return 0;
	}
	f->scn.shape.model = SCN_CLOSED;
	snprintf(s->changes[1], sizeof(s->changes[1]),
		 "calls each of %u tools %llu times: what they change is theirs to say", kept,
		 (unsigned long long)calls);
	d->changes = s->changes[1];
	d->phases[0] = (struct nfr_phase){.name = "tools",
					  .scenario = f->scn.name,
					  .scn = &f->scn,
					  .users = calls >= 10 ? 10 : (unsigned)calls,
					  .iterations = (calls + 9) / 10};
	d->nphases = 1;
	return 0;
}

/* NFR-03: the configured workflows, counted once (no load). */
static int nfr03(struct snfr *s, const struct sconf *c, const struct snfr_server *srv)
{
	struct nfr *d = &s->nfrs[2];
	size_t n = 0;
	if (srv->mcp_missing) {
		off(s, 2, NFR_NOT_APPLICABLE, srv->mcp_missing);
		return 0;
	}
	d->wflows = &c->wf;
	for (unsigned i = 0; i < c->wf.n; i++)
		for (unsigned k = 0; k < c->wf.wf[i].ncalls && n < sizeof(s->changes[2]); k++) {
			const struct wflow_call *cl = &c->wf.wf[i].calls[k];
			if (cl->kind == WFLOW_TOOL)
				n += (size_t)snprintf(s->changes[2] + n, sizeof(s->changes[2]) - n,
						      "%s%s", n ? ", " : "calls once: tools/call ",
						      cl->name);
		}
	if (n && n < sizeof(s->changes[2]))
		snprintf(s->changes[2] + n, sizeof(s->changes[2]) - n,
			 ": what they change is theirs to say");
	d->changes = n ? s->changes[2] : NULL;
	return 0;
}

/* Does the step change what it touches: a method other than GET, HEAD or
 * OPTIONS, or an MCP tool call (tools do what they like)? */
static bool changes_data(const struct scn_step *st)
{
	if (st->mcp)
		return !strcmp(st->mcp, "tools/call");
	return strcmp(st->method, "GET") && strcmp(st->method, "HEAD") &&
	       strcmp(st->method, "OPTIONS");
}

static void say_changes(struct snfr *s, unsigned i, const struct scn *sc, const char *after)
{
	size_t n = 0;
	char *out = s->changes[i];
	out[0] = 0;
	for (unsigned t = 0; t < sc->ntasks; t++)
		for (unsigned k = 0; k < sc->tasks[t].nsteps; k++) {
			const struct scn_step *st = &sc->tasks[t].steps[k];
			if (!changes_data(st) || n >= sizeof(s->changes[i]))
				continue;
			n += (size_t)snprintf(out + n, sizeof(s->changes[i]) - n, "%s%s %s",
					      n ? ", " : "", st->mcp ? "tools/call" : st->method,
					      st->mcp ? st->name : st->path);
		}
	if (n && n < sizeof(s->changes[i]))
		snprintf(out + n, sizeof(s->changes[i]) - n, "%s", after);
	s->nfrs[i].changes = n ? out : NULL;
}

static int nfr04(struct snfr *s, const struct sconf *c, const struct snfr_server *srv)
{
	struct nfr *d = &s->nfrs[3];
	double rate = c->rate > 0 ? c->rate : FLOW_RATE;
	unsigned nsteps = 0;
	s->flow = c->flow.scn;
	for (unsigned t = 0; t < s->flow.ntasks; t++)
		nsteps += s->flow.tasks[t].nsteps;
	d->nphases = 0;
	d->restore = NULL;
	if (!nsteps) {
		off(s, 3, NFR_NOT_CONFIGURED,
		    "no REST flow configured ([[nfr04.step]]; mcpload init lists the service's "
		    "routes when it publishes /openapi.json)");
		return 0;
	}
	if (scn_has_mcp(&s->flow) && srv->mcp_missing) {
		off(s, 3, NFR_NOT_APPLICABLE, "the flow calls MCP and there is no MCP endpoint");
		return 0;
	}
	say_changes(s, 3, &s->flow,
		    c->has_restore ? " (the [[nfr04.restore]] steps run after it)"
				   : " (destructive = true: not undone)");
	if (d->changes && !c->destructive && !c->has_restore) {
		snprintf(s->why[3], sizeof(s->why[3]),
			 "the flow changes data (%.150s): say destructive = true to allow it, or "
			 "give [[nfr04.restore]] steps that undo it",
			 s->changes[3]);
		d->avail = NFR_NOT_CONFIGURED;
		d->avail_why = s->why[3];
		return 0;
	}
	s->flow.shape = (struct scn_shape){.model = SCN_OPEN, .users = 64};
	d->phases[0] = (struct nfr_phase){
	    .name = "flow",
	    .scenario = s->flow.name,
	    .scn = &s->flow,
	    .rate = rate / nsteps,
	    .duration_ns = c->duration_ns ? c->duration_ns : S(60),
	    .smoke_duration_ns = c->duration_ns && c->duration_ns < S(10) ? c->duration_ns : S(10)};
	d->nphases = 1;
	if (c->has_restore) {
		s->restore = c->restore.scn;
		s->restore.shape =
		    (struct scn_shape){.model = SCN_CLOSED, .users = 1, .iterations = 1};
		d->restore = &s->restore;
	}
	return 0;
}

/* One NFR-05 half: the reservation step and its range check. */
static int reservation(struct snfr *s, struct nfr *d, const struct sconf_reserve *r, bool mcp,
		       unsigned users)
{
	struct sfile *f = new_scn(s, mcp ? "nfr05-mcp" : "nfr05-rest",
				  mcp ? "concurrent reservations through MCP (tools/call)"
				      : "concurrent reservations through REST");
	struct scn_step *st = f ? new_step(f) : NULL;
	if (!st)
		return -ENOMEM;
	if (mcp)
		*st = (struct scn_step){.mcp = "tools/call", .name = r->tool, .args = r->args};
	else
		*st = r->step;
	st->label = mcp ? "reserve (MCP)" : "reserve (REST)";
	f->checks[0] = (struct scn_check){
	    .name = "ranges_disjoint",
	    .kind = SCN_CHECK_DISJOINT,
	    .label = st->label,
	    .start = r->start,
	    .end = r->end,
	    .count = r->count,
	    .end_exclusive = r->end_exclusive,
	    .what = r->end_exclusive ? "reserved ranges [start, end) are pairwise disjoint"
				     : "reserved ranges [start, end] are pairwise disjoint"};
	f->scn.nchecks = 1;
	f->scn.shape.model = SCN_CLOSED;
	d->phases[d->nphases++] = (struct nfr_phase){.name = mcp ? "mcp" : "rest",
						     .scenario = f->scn.name,
						     .scn = &f->scn,
						     .users = users,
						     .iterations = 1};
	return 0;
}

static int nfr05(struct snfr *s, const struct sconf *c, const struct snfr_server *srv)
{
	struct nfr *d = &s->nfrs[4];
	unsigned users = c->reservations ? c->reservations : RESERVATION;
	d->nphases = 0;
	if (c->res_mcp.set && !srv->mcp_missing && reservation(s, d, &c->res_mcp, true, users) < 0)
		return -ENOMEM;
	if (c->res_mcp.set && srv->mcp_missing)
		note(s, "NFR-05: the MCP half does not run: %s%u%u\n", srv->mcp_missing, 0, 0);
	if (c->res_rest.set && reservation(s, d, &c->res_rest, false, users) < 0)
		return -ENOMEM;
	if (!d->nphases) {
		off(s, 4, c->res_mcp.set ? NFR_NOT_APPLICABLE : NFR_NOT_CONFIGURED,
		    c->res_mcp.set ? "no MCP endpoint, and no REST reservation configured"
				   : "no reservation call configured ([nfr05.mcp] or [nfr05.rest]: "
				     "the call and how to read its range)");
		return 0;
	}
	snprintf(s->changes[4], sizeof(s->changes[4]), "reserves %u id ranges per half (%s%s%s)",
		 users, d->phases[0].name, d->nphases > 1 ? " and " : "",
		 d->nphases > 1 ? d->phases[1].name : "");
	d->changes = s->changes[4];
	return 0;
}

/* The configured target figures over the defaults. */
static void targets(struct snfr *s, const struct sconf *c)
{
	for (unsigned i = 0; i < c->ntargets; i++) {
		struct nfr *d = &s->nfrs[c->targets[i].nfr];
		for (unsigned k = 0; k < d->ncriteria; k++)
			if (d->criteria[k].key && !strcmp(d->criteria[k].key, c->targets[i].key))
				d->criteria[k].target = c->targets[i].value;
	}
}

int snfr_build(struct snfr *s, const struct sconf *c, const struct snfr_server *srv, char *why,
	       size_t wl)
{
	static int (*const build[SNFR_MAX])(struct snfr *, const struct sconf *,
					    const struct snfr_server *) = {nfr01, nfr02, nfr03,
									   nfr04, nfr05};
	unsigned n;
	const struct nfr *all = nfr_all(&n);
	memset(s, 0, sizeof(*s));
	s->n = n < SNFR_MAX ? n : SNFR_MAX;
	memcpy(s->nfrs, all, s->n * sizeof(*all));
	for (unsigned i = 0; i < s->n; i++) {
		bool mine = c && c->has[i];
		if (s->nfrs[i].not_measured)
			continue;
		if (mine && c->not_applicable[i]) {
			off(s, i, NFR_NOT_APPLICABLE, c->not_applicable[i]);
			continue;
		}
		if (!mine && srv->bundled)
			continue; /* the reference server: the compiled-in table */
		if (!mine && srv->mcp_missing && i != 3) {
			off(s, i, NFR_NOT_APPLICABLE, srv->mcp_missing);
			continue;
		}
		if (!mine && i == 2) {
			off(s, i, NFR_NOT_CONFIGURED,
			    "no workflows to count: give [nfr03] in --config (docs/suite.md)");
			continue;
		}
		if (!mine) {
			off(s, i, NFR_NOT_CONFIGURED,
			    i == 3
				? "no REST flow configured: give [nfr04] in --config (mcpload init "
				  "writes one to fill in)"
				: "not configured: give it in --config (mcpload init writes one)");
			continue;
		}
		if (build[i](s, c, srv) < 0) {
			snprintf(why, wl, "out of memory composing the suite");
			return -ENOMEM;
		}
	}
	if (c)
		targets(s, c);
	if (s->nfrs[2].avail == NFR_RUNS && s->nfrs[2].wflows && !srv->token_source)
		off(s, 2, NFR_NOT_CONFIGURED,
		    srv->bundled && !(c && c->has[2])
			? "the workflows' local files: `mcpload-target --write-files DIR` writes "
			  "them; give --files DIR (or --baseline FILE)"
			: "no baseline: give --files DIR (where the workflows' files are), "
			  "files_dir or baseline in [nfr03], or --baseline FILE");
	return 0;
}

void snfr_free(struct snfr *s)
{
	for (unsigned i = 0; i < s->nscns; i++)
		sfile_free(&s->scns[i]);
	s->nscns = 0;
}

static bool has_label(const struct scn *sc, const char *label)
{
	for (unsigned t = 0; t < sc->ntasks; t++)
		for (unsigned k = 0; k < sc->tasks[t].nsteps; k++)
			if (!strcmp(sc->tasks[t].steps[k].label, label))
				return true;
	return false;
}

unsigned snfr_part(const struct scn *in, bool mcp, struct snfr_part *out)
{
	unsigned used = 0;
	memset(out, 0, sizeof(*out));
	out->scn = *in;
	out->scn.ntasks = out->scn.nchecks = 0;
	out->scn.tasks = out->tasks;
	out->scn.checks = out->checks;
	for (unsigned t = 0; t < in->ntasks; t++) {
		struct scn_task *nt = &out->tasks[out->scn.ntasks];
		*nt = in->tasks[t];
		nt->steps = &out->steps[used];
		nt->nsteps = 0;
		for (unsigned k = 0; k < in->tasks[t].nsteps && used < PLAN_MAX_STEPS; k++)
			if (!in->tasks[t].steps[k].mcp == !mcp) {
				out->steps[used++] = in->tasks[t].steps[k];
				nt->nsteps++;
			}
		out->scn.ntasks += nt->nsteps > 0;
	}
	for (unsigned c = 0; c < in->nchecks; c++)
		if (has_label(&out->scn, in->checks[c].label))
			out->checks[out->scn.nchecks++] = in->checks[c];
	return used;
}

bool snfr_is_mixed(const struct scn *sc, bool *mcp, bool *rest)
{
	*mcp = *rest = false;
	for (unsigned t = 0; t < sc->ntasks; t++)
		for (unsigned k = 0; k < sc->tasks[t].nsteps; k++) {
			*mcp |= sc->tasks[t].steps[k].mcp != NULL;
			*rest |= sc->tasks[t].steps[k].mcp == NULL;
		}
	return *mcp && *rest;
}
