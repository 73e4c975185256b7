/*
 * splan: --only tokens matched against the suite's table, the changes
 * warning and --plan's listing: each phase's load as the suite will run
 * it (--smoke's where given) and each step as written, its variables with
 * their values, so a reader sees every request before any is sent.
 */
#include "core/cmd/splan.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <stdlib.h>

#include "stats/assess.h"

static const char *const parts[] = {"mcp",	"rest",	     "sweep", "mcp-sweep", "rest-sweep",
				    "mcp-load", "rest-load", "tools", "flow"};

/* Token t ("NFR-01", "NFR-01.rest", "cache") split into its id and part. */
static void split(const char *t, size_t n, char *id, size_t idcap, const char **part, size_t *plen)
{
	const char *dot = memchr(t, '.', n);
	size_t k = dot ? (size_t)(dot - t) : n;
	snprintf(id, idcap, "%.*s", (int)k, t);
	*part = dot ? dot + 1 : NULL;
	*plen = dot ? n - k - 1 : 0;
}

/* Call match(d, part) for each token of only naming d; true if any did. */
static bool any(const char *only, const struct nfr *d, const struct nfr_phase *ph, int *half)
{
	bool hit = false;
	*half = -1;
	for (const char *t = only; t && *t;) {
		size_t n = strcspn(t, ","), plen;
		char id[64];
		const char *part;
		split(t, n, id, sizeof(id), &part, &plen);
		t += n + (t[n] == ',');
		if (strcasecmp(id, d->id) && strcasecmp(id, d->short_id))
			continue;
		if (!part || !ph)
			return true; /* the whole NFR (or, without a phase, any of it) */
		if (ph->name && strlen(ph->name) == plen && !strncasecmp(part, ph->name, plen))
			return true;
		bool mcp = false, rest = false,
		     want_mcp = plen == 3 && !strncasecmp(part, "mcp", 3);
		if (!want_mcp && !(plen == 4 && !strncasecmp(part, "rest", 4)))
			continue;
		bool mixed = snfr_is_mixed(nfr_phase_scn(ph), &mcp, &rest);
		if (want_mcp ? mcp : rest) {
			hit = true;
			*half = mixed ? want_mcp : *half;
		}
	}
	return hit;
}

int splan_check_only(const char *only, char *why, size_t wl)
{
	if (only && !only[strspn(only, ", ")]) {
		snprintf(why, wl, "--only needs a list, e.g. NFR-01,NFR-04");
		return -EINVAL;
	}
	for (const char *t = only; t && *t;) {
		size_t n = strcspn(t, ","), plen;
		char id[64];
		const char *part;
		bool ok = false;
		split(t, n, id, sizeof(id), &part, &plen);
		for (unsigned i = 0; part && i < sizeof(parts) / sizeof(parts[0]); i++)
			ok |= strlen(parts[i]) == plen && !strncasecmp(part, parts[i], plen);
		if (n && (!nfr_find(id) || (part && !ok))) {
			snprintf(why, wl,
				 "--only: no NFR, phase or half '%.*s' (NFR-01 .. NFR-05, each "
				 "with .mcp, .rest or a phase: .sweep, .mcp-load, .rest-load, "
				 ".tools, .flow; baseline, load, cache, stress, memory)",
				 (int)n, t);
			return -EINVAL;
		}
		t += n + (t[n] == ',');
	}
	return 0;
}

bool splan_wanted(const char *only, const struct nfr *d)
{
	int half;
	return !only || any(only, d, NULL, &half);
}

bool splan_phase_wanted(const char *only, const struct nfr *d, const struct nfr_phase *ph)
{
	int half;
	return !only || any(only, d, ph, &half);
}

int splan_half(const char *only, const struct nfr *d, const struct nfr_phase *ph)
{
	int half = -1;
	if (!only)
		return -1;
	/* a token for the whole NFR or this phase wins over a half */
	for (const char *t = only; *t;) {
		size_t n = strcspn(t, ","), plen;
		char id[64];
		const char *part;
		split(t, n, id, sizeof(id), &part, &plen);
		t += n + (t[n] == ',');
		if ((!strcasecmp(id, d->id) || !strcasecmp(id, d->short_id)) &&
		    (!part ||
		     (ph->name && strlen(ph->name) == plen && !strncasecmp(part, ph->name, plen))))
			return -1;
	}
	any(only, d, ph, &half);
	return half;
}

bool splan_bench_wanted(const struct suite_opts *o, const struct nfr *d)
{
	if (o->only)
		return splan_wanted(o->only, d);
	return o->full || (o->profile && !strcmp(d->short_id, "load"));
}

void splan_changes(FILE *f, const struct suite_opts *o, const struct snfr *t)
{
	for (unsigned i = 0; i < t->n; i++) {
		const struct nfr *d = &t->nfrs[i];
		if (d->avail == NFR_RUNS && d->changes && d->nphases && splan_wanted(o->only, d))
			fprintf(f, "  %s changes data on the server: %s\n", d->short_id,
				d->changes);
	}
}

static void print_step(FILE *f, const struct scn_step *st)
{
	if (st->mcp)
		fprintf(f, "      MCP %s%s%s%s%s", st->mcp, st->name ? " " : "",
			st->name ? st->name : "", st->args ? " " : "", st->args ? st->args : "");
	else
		fprintf(f, "      %s %s%s%s", st->method, st->path, st->body ? "  body " : "",
			st->body ? st->body : "");
	fprintf(f, "   [%s", st->label);
	if (st->status == SCN_STATUS_ANY)
		fprintf(f, ", expects any status below 400");
	else if (st->status)
		fprintf(f, ", expects %u%s", st->status, st->status < 10 ? "xx" : "");
	for (unsigned c = 0; c < SCN_MAX_CAPTURES && st->captures[c].var; c++)
		fprintf(f, ", %s <- %s:%s", st->captures[c].var,
			st->captures[c].json ? "json" : "header",
			st->captures[c].json ? st->captures[c].json : st->captures[c].header);
	if (st->split)
		fprintf(f, ", split by %s", st->split);
	fprintf(f, "]\n");
}

static void print_scn(FILE *f, const struct scn *sc)
{
	for (unsigned v = 0; v < sc->nvars; v++)
		if (sc->vars[v].value)
			fprintf(f, "      %s = %s\n", sc->vars[v].name, sc->vars[v].value);
	for (unsigned k = 0; k < sc->ntasks; k++) {
		if (sc->ntasks > 1)
			fprintf(f, "    task %s (weight %u):\n", sc->tasks[k].name,
				sc->tasks[k].weight);
		for (unsigned s = 0; s < sc->tasks[k].nsteps; s++)
			print_step(f, &sc->tasks[k].steps[s]);
	}
	for (unsigned c = 0; c < sc->nchecks; c++)
		fprintf(f, "    then checks %s: %s\n", sc->checks[c].name, sc->checks[c].what);
}

static void print_load(FILE *f, const struct suite_opts *o, const struct nfr_phase *ph)
{
	const struct scn *sc = nfr_phase_scn(ph);
	unsigned users = o->smoke && ph->smoke_users ? ph->smoke_users : ph->users;
	if (!users && sc)
		users = sc->shape.users;
	uint64_t dur = o->smoke && ph->smoke_duration_ns ? ph->smoke_duration_ns : ph->duration_ns;
	uint64_t iters = o->smoke && ph->smoke_iterations ? ph->smoke_iterations : ph->iterations;
	if (ph->kind == NFR_KIND_STRESS)
		fprintf(f, "rising open-model steps until p99 > 500 ms");
	else if (ph->kind != NFR_KIND_RUN)
		fprintf(f, "at the --profile's rate");
	else if (ph->rate > 0)
		fprintf(f, "open model, %g iterations/s", ph->rate);
	else
		fprintf(f, "%u user%s", users, users == 1 ? "" : "s");
	if (iters)
		fprintf(f, " x %llu iteration%s", (unsigned long long)iters, iters == 1 ? "" : "s");
	if (dur)
		fprintf(f, ", %.0f s", (double)dur / 1e9);
}

/* NFR-03: each workflow's files (the baseline) and calls (the MCP way). */
static void print_wflows(FILE *f, const struct suite_opts *o, const struct wflow_set *s)
{
	fprintf(f, "  phase tokens: %u workflows, each once (no load); baseline: %s\n", s->n,
		o->tok.baseline ? o->tok.baseline
		: o->tok.files	? o->tok.files
				: "none given (--files DIR or --baseline FILE)");
	for (unsigned i = 0; i < s->n; i++) {
		const struct wflow *w = &s->wf[i];
		fprintf(f, "    %s (%u turns): files", w->name, wflow_turns(w));
		for (unsigned k = 0; k < w->nfiles; k++)
			fprintf(f, " %s", w->files[k]);
		for (unsigned k = 0; k < w->ncalls; k++)
			fprintf(f, "%s%s %s%s%s",
				k ? ", " : "; MCP: ", wflow_method(w->calls[k].kind),
				w->calls[k].name, w->calls[k].args ? " " : "",
				w->calls[k].args ? w->calls[k].args : "");
		fprintf(f, "\n");
	}
}

static void print_nfr(FILE *f, const struct suite_opts *o, const struct nfr *d)
{
	fprintf(f, "\n%s  %s\n  target: %s\n", d->id, d->title, d->target_text);
	if (d->not_measured) {
		fprintf(f, "  NOT MEASURED: measured by its own issue; not in this suite yet\n");
		return;
	}
	if (d->avail != NFR_RUNS) {
		fprintf(f, "  %s: %s\n",
			d->avail == NFR_NOT_APPLICABLE ? "NOT APPLICABLE" : "NOT CONFIGURED",
			d->avail_why);
		return;
	}
	for (unsigned k = 0; k < d->nphases; k++) {
		const struct nfr_phase *ph = &d->phases[k];
		const struct scn *sc = nfr_phase_scn(ph);
		if (!splan_phase_wanted(o->only, d, ph))
			continue;
		if (ph->kind == NFR_KIND_TOKENS) {
			print_wflows(f, o, d->wflows);
			continue;
		}
		int half = splan_half(o->only, d, ph);
		fprintf(f, "  phase %s (scenario %s%s): ", ph->name, sc ? sc->name : ph->scenario,
			half < 0 ? ""
			: half	 ? ", its MCP steps"
				 : ", its plain HTTP steps");
		print_load(f, o, ph);
		fprintf(f, "\n");
		if (sc && half >= 0) {
			struct snfr_part *part = malloc(sizeof(*part));
			if (part) {
				snfr_part(sc, half == 1, part);
				print_scn(f, &part->scn);
			}
			free(part);
		} else if (sc) {
			print_scn(f, sc);
		}
	}
	if (d->restore) {
		fprintf(f, "  then restore, once:\n");
		print_scn(f, d->restore);
	}
	fprintf(f, "  changes: %s\n", d->changes ? d->changes : "nothing (reads only)");
	for (unsigned k = 0; k < d->ncriteria; k++) {
		const struct nfr_criterion *c = &d->criteria[k];
		const char *unit = assess_unit(c->metric);
		fprintf(f, "  judged: %s %s %g%s%s%s%s\n", c->what,
			c->at_least ? ">=" : "<=", c->target, unit[0] ? " " : "", unit,
			c->unconfigured ? " - not configured: "
			: c->gate	? ""
					: " (information only)",
			c->unconfigured ? c->unconfigured : "");
	}
}

int splan_print(FILE *f, const struct suite_opts *o, const struct snfr *t)
{
	unsigned nfull;
	const struct nfr *full = nfr_full(&nfull);
	fprintf(f, "mcpload suite --plan: what the suite would send to %s%s (nothing is sent)\n",
		o->base.target, o->smoke ? ", --smoke loads" : "");
	if (!o->config)
		fprintf(f, "without --config: the reference server's defaults below; against any "
			   "other server the suite first reads its MCP resources and tools "
			   "(mcpload init shows what it finds)\n");
	for (unsigned i = 0; i < nfull; i++)
		if (splan_bench_wanted(o, &full[i]))
			print_nfr(f, o, &full[i]);
	for (unsigned i = 0; i < t->n; i++)
		if (splan_wanted(o->only, &t->nfrs[i]))
			print_nfr(f, o, &t->nfrs[i]);
	return 0;
}
