/*
 * sconf: the suite configuration's tables read with the scenario file's
 * readers (scenarios/sfile), so a typo is an error at its line and column
 * in the same words. The NFR-04 flow is a task of scenario steps; the
 * target figures are checked against the criteria each NFR has.
 */
#include "scenarios/sconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/nfr.h"

#define STORE_BYTES (256u << 10)

static const char *const sections[] = {"nfr01", "nfr02", "nfr03", "nfr04", "nfr05"};

int sconf_init(struct sconf *c)
{
	memset(c, 0, sizeof(*c));
	c->name = "";
	if (sfile_init(&c->store, STORE_BYTES) < 0 || sfile_init(&c->flow, STORE_BYTES) < 0 ||
	    sfile_init(&c->restore, STORE_BYTES) < 0)
		return -ENOMEM;
	c->flow.scn.name = "nfr04-flow";
	c->flow.scn.desc = "the NFR-04 flow of the suite configuration";
	c->restore.scn.name = "nfr04-restore";
	c->restore.scn.desc = "puts back what the NFR-04 flow changed";
	return 0;
}

void sconf_free(struct sconf *c)
{
	sfile_free(&c->store);
	sfile_free(&c->flow);
	sfile_free(&c->restore);
	free(c->arena);
	c->arena = NULL;
}

int sconf_add_resource(struct sconf *c, const char *uri)
{
	if (c->nresources == SCONF_MAX_ITEMS)
		return -ENOSPC;
	const char *p = sfile_copy(&c->store, uri);
	if (!p)
		return -ENOSPC;
	c->resources[c->nresources++] = p;
	return 0;
}

int sconf_add_tool(struct sconf *c, const char *name, const char *args)
{
	if (c->ntools == SCONF_MAX_TOOLS)
		return -ENOSPC;
	const char *n = sfile_copy(&c->store, name), *a = args ? sfile_copy(&c->store, args) : NULL;
	if (!n || (args && !a))
		return -ENOSPC;
	c->tools[c->ntools++] = (struct sconf_tool){n, a};
	return 0;
}

/* A target figure: a key that names one of the NFR's criteria. */
static int target(struct sfile_rd *r, struct sconf *c, unsigned nfr, const struct toml_val *v)
{
	char id[8];
	snprintf(id, sizeof(id), "NFR-0%u", nfr + 1);
	const struct nfr *d = nfr_find(id);
	for (unsigned k = 0; d && k < d->ncriteria; k++) {
		if (!d->criteria[k].key || strcmp(d->criteria[k].key, v->key))
			continue;
		if (v->type != TOML_INT && v->type != TOML_FLOAT)
			return sfile_bad(r, v, "'%s' is a target figure: a number", v->key);
		if (c->ntargets == SCONF_MAX_TARGETS)
			return sfile_bad(r, v, "more than %d target figures", SCONF_MAX_TARGETS);
		c->targets[c->ntargets++] = (struct sconf_target){nfr, v->key, v->f};
		return 1;
	}
	return 0;
}

/* Every member of t is one of keys or a target figure of the NFR. */
static int members(struct sfile_rd *r, struct sconf *c, unsigned nfr, const struct toml_val *t,
		   const char *const *keys)
{
	char list[512];
	size_t at = 0;
	for (const struct toml_val *v = t->first; v; v = v->next) {
		bool ok = false;
		for (const char *const *k = keys; *k && !ok; k++)
			ok = !strcmp(*k, v->key);
		int tr = ok ? 0 : target(r, c, nfr, v);
		if (tr < 0)
			return tr;
		if (ok || tr)
			continue;
		char id[8];
		snprintf(id, sizeof(id), "NFR-0%u", nfr + 1);
		const struct nfr *d = nfr_find(id);
		for (const char *const *k = keys; *k && at < sizeof(list); k++)
			at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s", at ? ", " : "",
					       *k);
		for (unsigned k = 0; d && k < d->ncriteria && at < sizeof(list); k++)
			if (d->criteria[k].key)
				at += (size_t)snprintf(list + at, sizeof(list) - at, ", %s",
						       d->criteria[k].key);
		return sfile_bad(r, v, "unknown key '%s' in [%s] (it takes %s)", v->key,
				 sections[nfr], list);
	}
	return 0;
}

static int cache(struct sfile_rd *r, struct sconf *c, const struct toml_val *t)
{
	static const char *const keys[] = {"header",	  "hit",	   "miss",
					   "hits_metric", "misses_metric", NULL};
	if (!t)
		return 0;
	if (t->type != TOML_TABLE)
		return sfile_bad(r, t,
				 "'cache' is { header = \"X-Cache\", hit = \"HIT\", miss = "
				 "\"MISS\" } or { hits_metric = ..., misses_metric = ... }");
	if (sfile_known(r, t, keys, "'cache'") < 0 ||
	    sfile_str(r, t, "header", &c->cache_header) < 0 ||
	    sfile_str(r, t, "hit", &c->cache_hit) < 0 ||
	    sfile_str(r, t, "miss", &c->cache_miss) < 0 ||
	    sfile_str(r, t, "hits_metric", &c->hits_metric) < 0 ||
	    sfile_str(r, t, "misses_metric", &c->misses_metric) < 0)
		return -EINVAL;
	if (c->cache_header && (!c->cache_hit || !c->cache_miss))
		return sfile_bad(r, t, "a cache header needs its hit and miss values");
	if (!c->hits_metric != !c->misses_metric)
		return sfile_bad(r, t, "give both hits_metric and misses_metric");
	if (!c->cache_header && !c->hits_metric)
		return sfile_bad(r, t, "'cache' needs a header or the two metrics");
	return 0;
}

static int nfr01(struct sfile_rd *r, struct sconf *c, const struct toml_val *t)
{
	static const char *const keys[] = {"resources", "rest", "cache", "not_applicable", NULL};
	if (members(r, c, 0, t, keys) < 0 ||
	    sfile_strs(r, t, "resources", c->resources, SCONF_MAX_ITEMS, &c->nresources) < 0 ||
	    sfile_strs(r, t, "rest", c->rest, SCONF_MAX_ITEMS, &c->nrest) < 0 ||
	    cache(r, c, toml_get(t, "cache")) < 0)
		return -EINVAL;
	for (unsigned i = 0; i < c->nrest; i++)
		if (c->rest[i][0] != '/')
			return sfile_bad(r, toml_get(t, "rest"),
					 "a REST path starts with '/': '%s'", c->rest[i]);
	return 0;
}

static int nfr02(struct sfile_rd *r, struct sconf *c, const struct toml_val *t)
{
	static const char *const keys[] = {"tool", "calls", "not_applicable", NULL};
	static const char *const tkeys[] = {"name", "args", NULL};
	const struct toml_val *tools = toml_get(t, "tool");
	int64_t calls = 0;
	if (members(r, c, 1, t, keys) < 0 || sfile_int(r, t, "calls", 1, 1000000, &calls) < 0)
		return -EINVAL;
	c->calls = (uint64_t)calls;
	if (tools && tools->type != TOML_ARRAY)
		return sfile_bad(r, tools, "'tool' is an array of tables ([[nfr02.tool]])");
	for (const struct toml_val *v = tools ? tools->first : NULL; v; v = v->next) {
		struct sconf_tool *tl = &c->tools[c->ntools];
		if (v->type != TOML_TABLE)
			return sfile_bad(r, v, "a tool is a table ([[nfr02.tool]])");
		if (c->ntools == SCONF_MAX_TOOLS)
			return sfile_bad(r, v, "more than %d tools", SCONF_MAX_TOOLS);
		if (sfile_known(r, v, tkeys, "a tool") < 0 ||
		    sfile_str(r, v, "name", &tl->name) < 0 ||
		    sfile_str(r, v, "args", &tl->args) < 0)
			return -EINVAL;
		if (!tl->name)
			return sfile_bad(r, v, "a tool needs its name");
		c->ntools++;
	}
	return 0;
}

static int nfr04(struct sfile_rd *r, struct sconf *c, const struct toml_val *t)
{
	static const char *const keys[] = {"step", "restore",  "variables",	 "destructive",
					   "rate", "duration", "not_applicable", NULL};
	const struct toml_val *d = toml_get(t, "destructive"), *rs = toml_get(t, "restore");
	struct sfile_rd fr = *r, rr = *r;
	fr.f = &c->flow;
	rr.f = &c->restore;
	if (members(r, c, 3, t, keys) < 0 || sfile_num(r, t, "rate", 0.001, 1e7, &c->rate) < 0 ||
	    sfile_dur(r, t, "duration", &c->duration_ns) < 0)
		return -EINVAL;
	if (d && d->type != TOML_BOOL)
		return sfile_bad(r, d, "'destructive' is true or false");
	c->destructive = d && d->b;
	if (toml_get(t, "not_applicable"))
		return 0;
	if (sfile_vars(&fr, toml_get(t, "variables")) < 0 ||
	    sfile_add_task(&fr, t, "flow", toml_get(t, "step"), NULL) < 0)
		return -EINVAL;
	if (rs) {
		if (sfile_vars(&rr, toml_get(t, "variables")) < 0 ||
		    sfile_add_task(&rr, rs, "restore", rs, NULL) < 0)
			return -EINVAL;
		c->has_restore = true;
	}
	return 0;
}

/* NFR-03: the workflows (scenarios/wflow) and the target figures. */
static int nfr03(struct sfile_rd *r, struct sconf *c, const struct toml_val *t)
{
	if (members(r, c, 2, t, wflow_keys) < 0 || wflow_read(r, t, &c->wf) < 0)
		return -EINVAL;
	return 0;
}

/* One half of NFR-05: [nfr05.mcp] (a tool) or [nfr05.rest] (a request). */
static int reserve(struct sfile_rd *r, const struct toml_val *t, struct sconf_reserve *rs, bool mcp)
{
	static const char *const mkeys[] = {"tool",  "args",	      "start", "end",
					    "count", "end_exclusive", NULL};
	static const char *const rkeys[] = {"method", "path", "body",  "status",	"headers",
					    "start",  "end",  "count", "end_exclusive", NULL};
	const struct toml_val *ex = toml_get(t, "end_exclusive");
	if (t->type != TOML_TABLE)
		return sfile_bad(r, t, "'%s' is a table", mcp ? "nfr05.mcp" : "nfr05.rest");
	if (sfile_known(r, t, mcp ? mkeys : rkeys, mcp ? "[nfr05.mcp]" : "[nfr05.rest]") < 0 ||
	    sfile_str(r, t, "start", &rs->start) < 0 || sfile_str(r, t, "end", &rs->end) < 0 ||
	    sfile_str(r, t, "count", &rs->count) < 0)
		return -EINVAL;
	if (mcp &&
	    (sfile_str(r, t, "tool", &rs->tool) < 0 || sfile_str(r, t, "args", &rs->args) < 0))
		return -EINVAL;
	if (!mcp &&
	    (sfile_str(r, t, "method", &rs->step.method) < 0 ||
	     sfile_str(r, t, "path", &rs->step.path) < 0 ||
	     sfile_str(r, t, "body", &rs->step.body) < 0 ||
	     (toml_get(t, "status") && sfile_status(r, toml_get(t, "status"), &rs->step) < 0)))
		return -EINVAL;
	if (ex && ex->type != TOML_BOOL)
		return sfile_bad(r, ex, "'end_exclusive' is true or false");
	rs->end_exclusive = ex && ex->b;
	if (mcp ? !rs->tool : !rs->step.method || !rs->step.path)
		return sfile_bad(r, t,
				 mcp ? "[nfr05.mcp] needs the tool that reserves"
				     : "[nfr05.rest] needs the method and path that reserve");
	if (!rs->start || (!rs->end && !rs->count))
		return sfile_bad(
		    r, t,
		    "a range is read from 'start' and 'end' (or 'count'): JSON paths "
		    "in the response, e.g. start = \"result.structuredContent.start\"");
	rs->set = true;
	return 0;
}

static int nfr05(struct sfile_rd *r, struct sconf *c, const struct toml_val *t)
{
	static const char *const keys[] = {"mcp", "rest", "reservations", "not_applicable", NULL};
	int64_t n = 0;
	if (members(r, c, 4, t, keys) < 0 || sfile_int(r, t, "reservations", 2, 100000, &n) < 0)
		return -EINVAL;
	c->reservations = (unsigned)n;
	if (toml_get(t, "mcp") && reserve(r, toml_get(t, "mcp"), &c->res_mcp, true) < 0)
		return -EINVAL;
	if (toml_get(t, "rest") && reserve(r, toml_get(t, "rest"), &c->res_rest, false) < 0)
		return -EINVAL;
	return 0;
}

static int top(struct sfile_rd *r, struct sconf *c)
{
	static const char *const keys[] = {"target", "mcp_path", "metrics_url", "headers", "nfr01",
					   "nfr02",  "nfr03",	 "nfr04",	"nfr05",   NULL};
	static int (*const read[5])(struct sfile_rd *, struct sconf *,
				    const struct toml_val *) = {nfr01, nfr02, nfr03, nfr04, nfr05};
	const struct toml_val *root = c->doc.root;
	if (sfile_known(r, root, keys, "a suite configuration") < 0 ||
	    sfile_str(r, root, "target", &c->target) < 0 ||
	    sfile_str(r, root, "mcp_path", &c->mcp_path) < 0 ||
	    sfile_str(r, root, "metrics_url", &c->metrics_url) < 0 ||
	    sfile_strs(r, root, "headers", c->headers, LIM_USER_HEADERS, &c->nheaders) < 0)
		return -EINVAL;
	for (unsigned i = 0; i < 5; i++) {
		const struct toml_val *t = toml_get(root, sections[i]);
		if (!t)
			continue;
		if (t->type != TOML_TABLE)
			return sfile_bad(r, t, "'%s' is a table ([%s])", sections[i], sections[i]);
		c->has[i] = true;
		if (sfile_str(r, t, "not_applicable", &c->not_applicable[i]) < 0 ||
		    read[i](r, c, t) < 0)
			return -EINVAL;
	}
	return 0;
}

int sconf_parse(struct sconf *c, const char *name, const char *text, size_t len, char *why,
		size_t wl)
{
	char twhy[256];
	int r = sconf_init(c);
	c->name = name;
	if (r == 0 && !(c->arena = malloc(TOML_ARENA_BYTES(len))))
		r = -ENOMEM;
	if (r < 0) {
		snprintf(why, wl, "%s: out of memory", name);
		return r;
	}
	r = toml_parse(&c->doc, text, len, c->arena, TOML_ARENA_BYTES(len), twhy, sizeof(twhy));
	if (r < 0) {
		snprintf(why, wl, "%s:%s", name, twhy);
		return r;
	}
	struct sfile_rd rd = {&c->store, name, why, wl};
	return top(&rd, c);
}
