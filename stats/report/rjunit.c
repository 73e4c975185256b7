/*
 * rjunit: building the cases of a run and writing the XML. Every text goes
 * through the one XML escaper (svg_text), which also replaces what XML
 * cannot hold (control bytes, invalid UTF-8) from a server's words.
 */
#include "stats/report/rjunit.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stats/report/out.h"
#include "stats/report/svg.h"

void rjunit_add(struct rjunit *u, const char *classname, const char *name, enum verdict v,
		double time_s, const char *fmt, ...)
{
	struct rjunit_case *c;
	va_list ap;
	if (u->n >= RJUNIT_MAX_CASES)
		return;
	c = &u->cases[u->n++];
	snprintf(c->classname, sizeof(c->classname), "%s", classname);
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->verdict = v;
	c->time_s = time_s;
	c->use = NAN;
	va_start(ap, fmt);
	vsnprintf(c->message, sizeof(c->message), fmt, ap);
	va_end(ap);
}

static void thresholds(struct rjunit *u, const struct rdesc *d, double secs)
{
	for (unsigned i = 0; i < d->nthresholds; i++) {
		const struct thresh *t = &d->thresholds[i];
		if (!t->measured)
			rjunit_add(u, "thresholds", t->text, VERDICT_FAIL, secs,
				   "%s: nothing to judge (no such label, or none succeeded)",
				   t->text);
		else
			rjunit_add(u, "thresholds", t->text,
				   t->passed ? VERDICT_PASS : VERDICT_FAIL, secs,
				   "%s: measured %.3f %s over %llu", t->text, t->value,
				   thresh_unit(t), (unsigned long long)t->requests);
		if (t->measured && u->n)
			u->cases[u->n - 1].use = thresh_use(t);
		if (t->measured && u->n)
			u->cases[u->n - 1].use = thresh_use(t);
	}
}

static void checks(struct rjunit *u, const struct result *res, double secs)
{
	for (unsigned i = 0; i < res->nchecks; i++) {
		const struct check_result *c = &res->checks[i];
		rjunit_add(u, "checks", c->def->name, c->passed ? VERDICT_PASS : VERDICT_FAIL, secs,
			   "%s: %llu values, %llu collisions, %llu wrong counts, %llu unreadable",
			   c->def->what ? c->def->what : c->def->name,
			   (unsigned long long)c->values, (unsigned long long)c->collisions,
			   (unsigned long long)c->bad_count, (unsigned long long)c->unreadable);
	}
}

void rjunit_run_cases(struct rjunit *u, const struct rdesc *d, const struct result *res)
{
	const struct tally *t = res->total;
	double secs = (double)res->elapsed_ns / 1e9;
	/* a merge's shards said what succeeded (their plans are not here) */
	uint64_t ok = d->merge ? t->ok : result_succeeded(res, d->plan), att = tally_attempted(t);
	if (d->merge)
		rjunit_add(u, "merge", "every shard merged",
			   d->merge->ran == d->merge->expected ? VERDICT_PASS
							       : VERDICT_INCONCLUSIVE,
			   secs, "%u of %u shards merged, start skew %.3f ms%s%s", d->merge->ran,
			   d->merge->expected, d->merge->skew_ms,
			   d->merge->ran == d->merge->expected ? "" : ": ",
			   d->merge->ran == d->merge->expected ? "" : d->merge->incomplete);
	rjunit_add(u, "run", "requests succeeded", ok || !att ? VERDICT_PASS : VERDICT_FAIL, secs,
		   "%llu of %llu requests succeeded (%.2f %% failed)", (unsigned long long)ok,
		   (unsigned long long)att, tally_error_pct(t));
	if (res->gave_up || res->interrupted)
		rjunit_add(u, "run", "ran to the end",
			   res->gave_up ? VERDICT_FAIL : VERDICT_INCONCLUSIVE, secs, "%s",
			   res->gave_up ? res->gave_up : "interrupted by a signal");
	thresholds(u, d, secs);
	checks(u, res, secs);
	if (res->mem.server)
		rjunit_add(u, "server memory", "memory trend", res->mem.verdict, secs, "%s",
			   res->mem.reason[0] ? res->mem.reason : "within its limits");
	if (res->open_loop)
		rjunit_add(u, "generator", "generator self-check",
			   res->saturated ? VERDICT_INCONCLUSIVE : VERDICT_PASS, secs,
			   "%.2f %% of arrivals applied on time%s%s", tally_applied_pct(t),
			   res->saturated ? ": " : "", res->saturated ? res->saturation : "");
}

/* What an NFR's criterion measured, and for a miss the first finding. */
static void criterion(struct rjunit *u, const struct assess_nfr *n, unsigned k)
{
	const struct nfr_criterion *c = &n->def->criteria[k];
	const struct assess_crit *rc = &n->crit[k];
	const char *unit = assess_unit(c->metric);
	char name[192];
	enum verdict v = c->unconfigured   ? VERDICT_NOT_CONFIGURED
			 : !c->gate	   ? VERDICT_PASS
			 : rc->measured_ok ? rc->verdict
					   : VERDICT_NOT_MEASURED;
	bool miss = v == VERDICT_FAIL || v == VERDICT_WARNING;
	snprintf(name, sizeof(name), "%s %s", n->def->id, c->what);
	if (c->unconfigured) {
		rjunit_add(u, n->def->id, name, v, n->elapsed_s, "%s", c->unconfigured);
		return;
	}
	rjunit_add(
	    u, n->def->id, name, v, n->elapsed_s, "%s%s %s %g %s: measured %.3f %s over %llu%s%s",
	    c->gate ? "" : "info, not judged: ", c->what, c->at_least ? ">=" : "<=", c->target,
	    unit, rc->measured_ok ? rc->measured : 0.0, unit, (unsigned long long)rc->judged,
	    miss && n->nfindings ? "; " : "", miss && n->nfindings ? n->analysis[0] : "");
	if (c->gate && rc->measured_ok && c->target > 0 && u->n)
		u->cases[u->n - 1].use =
		    c->at_least ? (rc->measured > 0 ? c->target / rc->measured : INFINITY)
				: rc->measured / c->target;
}

/* NFR-03: a testcase per workflow, failing when it saves nothing. */
static void workflows(struct rjunit *u, const struct nfr *d, const struct tokeff *t)
{
	char name[96];
	for (unsigned i = 0; i < t->n; i++) {
		const struct tokeff_wf *w = &t->wf[i];
		snprintf(name, sizeof(name), "workflow %s", w->name);
		if (w->error[0])
			rjunit_add(u, d->id, name, VERDICT_FAIL, 0, "the MCP way failed: %s",
				   w->error);
		else
			rjunit_add(
			    u, d->id, name,
			    w->mcp_tokens < w->base_tokens ? VERDICT_PASS : VERDICT_FAIL, 0,
			    "%llu tokens through MCP against %llu loading the files: %.1f %% "
			    "fewer",
			    (unsigned long long)w->mcp_tokens, (unsigned long long)w->base_tokens,
			    w->reduction_pct);
	}
}

void rjunit_suite_cases(struct rjunit *u, const struct assess *a)
{
	for (unsigned i = 0; i < a->nnfrs; i++) {
		const struct assess_nfr *n = &a->nfrs[i];
		const struct nfr *d = n->def;
		const char *extra = n->fail_reason[0]	    ? n->fail_reason
				    : n->failed_requests[0] ? n->failed_requests
				    : n->inconclusive[0]    ? n->inconclusive
							    : NULL;
		if (d->avail != NFR_RUNS || d->not_measured || !n->ran) {
			rjunit_add(u, d->id, d->title, n->verdict, 0, "%s",
				   d->avail != NFR_RUNS ? d->avail_why
				   : n->note[0]		? n->note
							: "not measured");
			continue;
		}
		for (unsigned k = 0; k < d->ncriteria; k++)
			criterion(u, n, k);
		if (n->tok && n->tok->mcp_done)
			workflows(u, d, n->tok);
		if (extra)
			rjunit_add(u, d->id, d->title, n->verdict, n->elapsed_s, "%s", extra);
	}
}

void rjunit_stress_cases(struct rjunit *u, const struct knee *k)
{
	char name[96];
	for (unsigned i = 0; i < k->n; i++) {
		const struct knee_step *s = &k->steps[i];
		snprintf(name, sizeof(name), "step %u: %.0f %s", i + 1, s->rate,
			 k->closed ? "users" : "iterations/s");
		/* a step past the knee broke as the search wanted (a warning:
		 * the edge, not a failure of the run); only the generator's
		 * trouble is an error */
		rjunit_add(u, "steps", name,
			   s->verdict == KNEE_INCONCLUSIVE ? VERDICT_INCONCLUSIVE
			   : s->verdict == KNEE_BAD	   ? VERDICT_WARNING
							   : VERDICT_PASS,
			   0, "%s: %.1f req/s achieved, p99 %.3f ms, %.2f %% errors%s%s",
			   knee_verdict_name(s->verdict), s->achieved_rps,
			   (double)hist_sum_at(&s->lat, 99) / 1e6, s->err_pct,
			   s->why[0] ? "; " : "", s->why);
	}
	bool found =
	    k->verdict && (!strcmp(k->verdict, "FOUND") || !strcmp(k->verdict, "NOT REACHED"));
	bool unsure = k->verdict &&
		      (!strcmp(k->verdict, "INCONCLUSIVE") || !strcmp(k->verdict, "INTERRUPTED"));
	rjunit_add(u, "stress", "the breaking point",
		   found    ? VERDICT_PASS
		   : unsure ? VERDICT_INCONCLUSIVE
			    : VERDICT_FAIL,
		   0, "%s: %s", k->verdict ? k->verdict : "-", k->why);
}

static bool failed(enum verdict v)
{
	return v == VERDICT_FAIL;
}

static bool errored(enum verdict v)
{
	return v == VERDICT_INCONCLUSIVE;
}

static bool skipped(enum verdict v)
{
	return v == VERDICT_NOT_MEASURED || v == VERDICT_NOT_APPLICABLE ||
	       v == VERDICT_NOT_CONFIGURED;
}

static void attr(FILE *f, const char *name, const char *value)
{
	fprintf(f, " %s=\"", name);
	svg_text(f, value);
	fputc('"', f);
}

static void one_case(FILE *f, const struct rjunit_case *c)
{
	const char *tag = failed(c->verdict)	? "failure"
			  : errored(c->verdict) ? "error"
			  : skipped(c->verdict) ? "skipped"
						: NULL;
	fputs("    <testcase", f);
	attr(f, "classname", c->classname);
	attr(f, "name", c->name);
	fprintf(f, " time=\"%.3f\">\n", c->time_s);
	if (tag) {
		fprintf(f, "      <%s", tag);
		attr(f, "message", c->message);
		attr(f, "type", verdict_name(c->verdict));
		fputs(">", f);
		svg_text(f, c->message);
		fprintf(f, "</%s>\n", tag);
	} else if (c->message[0]) {
		fputs("      <system-out>", f);
		svg_text(f, verdict_name(c->verdict));
		fputs(": ", f);
		svg_text(f, c->message);
		fputs("</system-out>\n", f);
	}
	fputs("    </testcase>\n", f);
}

static int fill(FILE *f, const void *ctx)
{
	const struct rjunit *u = ctx;
	unsigned nf = 0, ne = 0, ns = 0;
	char stamp[32] = "", host[256] = "localhost";
	struct tm tm;
	for (unsigned i = 0; i < u->n; i++) {
		nf += failed(u->cases[i].verdict);
		ne += errored(u->cases[i].verdict);
		ns += skipped(u->cases[i].verdict);
	}
	if (gmtime_r(&u->started_at, &tm))
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	gethostname(host, sizeof(host) - 1);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", f);
	attr(f, "name", u->name);
	fprintf(f, " tests=\"%u\" failures=\"%u\" errors=\"%u\" time=\"%.3f\">\n  <testsuite", u->n,
		nf, ne, u->time_s);
	attr(f, "name", u->name);
	fprintf(f, " tests=\"%u\" failures=\"%u\" errors=\"%u\" skipped=\"%u\" time=\"%.3f\"", u->n,
		nf, ne, ns, u->time_s);
	attr(f, "timestamp", stamp);
	attr(f, "hostname", host);
	fputs(">\n", f);
	for (unsigned i = 0; i < u->n; i++)
		one_case(f, &u->cases[i]);
	fputs("  </testsuite>\n</testsuites>\n", f);
	return ferror(f) ? -EIO : 0;
}

int rjunit_write(const char *path, const struct rjunit *u, char *why, size_t wl)
{
	return out_write(path, fill, u, why, wl);
}
