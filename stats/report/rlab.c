/*
 * rlab: a run's labels in report order, with the method Locust's "Type"
 * column shows for them.
 */
#include "stats/report/rlab.h"

#include <stdio.h>
#include <string.h>

const char *rlab_method(const struct plan *p, unsigned label)
{
	for (unsigned i = 0; i < p->nsteps; i++)
		if (p->steps[i].label == label)
			return p->steps[i].def->mcp ? "MCP" : p->steps[i].def->method;
	return p->mcp.init >= 0 && p->mcp.setup_label == label ? "MCP" : "";
}

/* "GET /path?query" of a URL. */
static void fixed_name(const struct rdesc *d, char *out, size_t cap)
{
	const char *u = d->url ? d->url : "";
	const char *s = strstr(u, "://");
	const char *path = s ? strchr(s + 3, '/') : NULL;
	snprintf(out, cap, "%s", path ? path : "/");
}

/* A merge's labels: no plan, so no split values apart. */
static unsigned merged(const struct rmerge *m, const struct result *res, struct rlab *out,
		       unsigned cap)
{
	unsigned n = 0;
	for (; n < m->nlabels && n < cap; n++) {
		snprintf(out[n].name, sizeof(out[n].name), "%s", m->labels[n]);
		out[n].method = m->types[n];
		out[n].t = &res->slots[n];
		out[n].slot = n;
		out[n].parent = -1;
	}
	return n;
}

unsigned rlab_list(const struct rdesc *d, const struct result *res, struct rlab *out, unsigned cap)
{
	const struct plan *p = d->plan;
	unsigned n = 0;
	if (!p && d->merge && d->merge->nlabels && res->slots)
		return merged(d->merge, res, out, cap);
	if (!p || !res->slots) {
		if (cap == 0)
			return 0;
		fixed_name(d, out[0].name, sizeof(out[0].name));
		out[0].method = d->method ? d->method : "GET";
		out[0].t = res->total;
		out[0].slot = 0;
		out[0].parent = -1;
		return 1;
	}
	for (unsigned i = 0; i < p->nlabels && n < cap; i++) {
		const struct plan_label *l = &p->labels[i];
		int parent = (int)n;
		snprintf(out[n].name, sizeof(out[n].name), "%s", l->name);
		out[n].method = rlab_method(p, i);
		out[n].t = &res->slots[l->slot];
		out[n].slot = l->slot;
		out[n].parent = -1;
		n++;
		for (unsigned k = 0; k < l->nsplit && n < cap; k++, n++) {
			snprintf(out[n].name, sizeof(out[n].name), "%s [%s]", l->name,
				 l->split_values[k]);
			out[n].method = out[parent].method;
			out[n].t = &res->slots[l->slot + 1 + k];
			out[n].slot = l->slot + 1 + k;
			out[n].parent = parent;
		}
	}
	return n;
}
