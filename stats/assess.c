/*
 * assess: judging an NFR from its merged tallies, the bottleneck rules
 * (what was measured names a likely cause, with a remedy), the figures of
 * the --full phases (cold vs warm, achieved rate, the stress search, the
 * soak's memory) and the suite's exit status.
 */
#include "stats/assess.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1024.0 * 1024.0)

/* A latency percentile of t's successful responses (a failed request's
 * latency proves nothing: a 404 is fast), and how many it is over. */
static double ok_pct_ms(const struct tally *t, double p, uint64_t *judged)
{
	struct hist *ok = malloc(sizeof(*ok));
	double v = 0;
	*judged = 0;
	if (!t || !ok) {
		free(ok);
		return 0;
	}
	tally_ok_latency(t, ok);
	*judged = ok->count;
	v = (double)hist_percentile_ns(ok, p) / 1e6;
	free(ok);
	return v;
}

static double pct_ms(const struct tally *t, double p)
{
	uint64_t n;
	return ok_pct_ms(t, p, &n);
}

static bool p95_of(const struct tally *t, double *v, uint64_t *judged)
{
	*v = ok_pct_ms(t, 95, judged);
	return *judged > 0;
}

/* The soak's memory can be judged: enough samples, none of them lost. */
static bool mem_ok(const struct assess_nfr *n)
{
	return n->soaked && n->mem.server && n->mem.verdict != VERDICT_INCONCLUSIVE &&
	       n->mem.measured >= 3;
}

/* The figures of the --full phases beyond the NFR tallies. */
static bool measure_full(const struct assess_nfr *n, enum nfr_metric m, double *v, uint64_t *judged)
{
	const struct knee *s = n->stress;
	switch (m) {
	case NFR_ERROR_PCT:
		*v = tally_error_pct(n->all);
		*judged = tally_attempted(n->all);
		return *judged > 0;
	case NFR_ACHIEVED_PCT:
		*v = n->offered_rps > 0 ? 100.0 * n->achieved_rps / n->offered_rps : 0;
		*judged = n->all->responses;
		return n->offered_rps > 0;
	case NFR_FIRST_P95_MS:
		return p95_of(n->first, v, judged);
	case NFR_REST_P95_MS:
		return p95_of(n->rest, v, judged);
	case NFR_MAX_RPS:
		if (!s || (s->best < 0 && strcmp(s->verdict, "BROKE AT START") != 0))
			return false;
		*v = s->best >= 0 ? s->steps[s->best].achieved_rps : 0;
		*judged = s->n;
		return true;
	case NFR_MEM_GROWTH_MB:
		*v = n->mem.trend_growth_bytes / MIB;
		*judged = n->mem.measured;
		return mem_ok(n);
	case NFR_SERVER_RSS_MB:
		*v = n->mem.peak_bytes / MIB;
		*judged = n->mem.measured;
		return mem_ok(n);
	case NFR_TOKEN_REDUCTION_PCT:
		*v = n->tok ? n->tok->reduction_pct : 0;
		*judged = n->tok ? n->tok->n - n->tok->failed : 0;
		return n->tok && n->tok->mcp_done && n->tok->base_total > 0;
	case NFR_NOT_REDUCED: /* a workflow whose MCP way failed shows no reduction */
		*v = n->tok ? n->tok->not_reduced + n->tok->failed : 0;
		*judged = n->tok ? n->tok->n : 0;
		return n->tok && n->tok->mcp_done && n->tok->n > 0;
	default:
		return false;
	}
}

static double ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

/* Requests that did not succeed: error classes, 4xx and 5xx. */
static uint64_t failed(const struct tally *t)
{
	return tally_error_total(t);
}

static const struct assess_label *worst_label(const struct assess_nfr *n)
{
	const struct assess_label *w = NULL;
	double worst = 0;
	for (unsigned i = 0; i < n->nlabels; i++) {
		uint64_t k;
		double v = ok_pct_ms(n->labels[i].t, 95, &k);
		if (k && (!w || v > worst)) {
			w = &n->labels[i];
			worst = v;
		}
	}
	return w;
}

bool assess_measure(const struct assess_nfr *n, const struct nfr_criterion *c, double *v,
		    uint64_t *judged)
{
	const struct tally *a = n->all;
	uint64_t hits = n->hit->responses, misses = n->miss->responses;
	const struct assess_label *w;
	*judged = 0;
	switch (c->metric) {
	case NFR_P50_MS:
	case NFR_P95_MS:
	case NFR_P99_MS:
		*v = ok_pct_ms(a,
			       c->metric == NFR_P50_MS	 ? 50
			       : c->metric == NFR_P95_MS ? 95
							 : 99,
			       judged);
		return *judged > 0;
	case NFR_FAILED:
		*v = (double)failed(a);
		*judged = tally_attempted(a);
		return *judged > 0;
	case NFR_5XX:
		*v = (double)tally_status_range(a, 500, 599);
		*judged = a->responses;
		return *judged > 0;
	case NFR_HIT_RATE_PCT:
		if (!hits && !misses && n->server_hit_rate_pct >= 0) {
			*v = n->server_hit_rate_pct; /* the server's own counters */
			*judged = a->responses;
			return true;
		}
		*v = hits + misses ? 100.0 * (double)hits / (double)(hits + misses) : 0;
		*judged = hits + misses;
		return hits + misses > 0;
	case NFR_HIT_P95_MS:
		return p95_of(n->hit, v, judged);
	case NFR_MISS_P95_MS:
		return p95_of(n->miss, v, judged);
	case NFR_LABEL_P95_MS:
		w = worst_label(n);
		*v = w ? ok_pct_ms(w->t, 95, judged) : 0;
		return w != NULL;
	case NFR_COLLISIONS:
		*v = (double)n->collisions;
		*judged = n->ranges;
		return n->ranges > 0;
	case NFR_UNSUCCESSFUL:
		*v = (double)n->unsuccessful;
		*judged = n->expected;
		return n->expected > 0;
	default:
		return measure_full(n, c->metric, v, judged);
	}
}

static void finding(struct assess_nfr *n, const char *remedy, const char *fmt, ...)
{
	va_list ap;
	if (n->nfindings == ASSESS_MAX_FINDINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(n->analysis[n->nfindings], sizeof(n->analysis[0]), fmt, ap);
	va_end(ap);
	snprintf(n->remedy[n->nfindings], sizeof(n->remedy[0]), "%s", remedy);
	n->nfindings++;
}

static void errors_finding(struct assess_nfr *n)
{
	const struct tally *a = n->all;
	char by[192] = "";
	size_t len = 0;
	for (unsigned e = 0; e < TALLY_ERR__COUNT; e++)
		if (a->errors[e] && len < sizeof(by))
			len += (size_t)snprintf(by + len, sizeof(by) - len, "%s %s %llu",
						len ? "," : "", tally_err_key(e),
						(unsigned long long)a->errors[e]);
	uint64_t s4 = tally_status_range(a, 400, 499), s5 = tally_status_range(a, 500, 599);
	if (s4 && len < sizeof(by))
		len += (size_t)snprintf(by + len, sizeof(by) - len, "%s 4xx %llu", len ? "," : "",
					(unsigned long long)s4);
	if (s5 && len < sizeof(by))
		snprintf(by + len, sizeof(by) - len, "%s 5xx %llu", len ? "," : "",
			 (unsigned long long)s5);
	finding(n,
		s5 ? "read the server's error log for the 5xx; check its resource limits "
		     "(workers, pool sizes, memory) under this load"
		   : "see the errors by class: transport errors point at the network or the "
		     "server's accept queue, JSON-RPC and tool errors at the server's logic",
		"%llu of %llu requests failed:%s", (unsigned long long)failed(a),
		(unsigned long long)tally_attempted(a), by);
}

/* NFR-03: the workflows that failed or saved nothing, and why. */
static void token_findings(struct assess_nfr *n)
{
	const struct tokeff *t = n->tok;
	for (unsigned i = 0; i < t->n && n->nfindings < ASSESS_MAX_FINDINGS - 1; i++) {
		const struct tokeff_wf *w = &t->wf[i];
		uint64_t list = t->tool_list_counted ? (uint64_t)w->turns * t->tool_list_tokens : 0;
		if (w->error[0])
			finding(n,
				"check the call in [nfr03] (name, arguments) against the server's "
				"lists, and the server's log",
				"workflow %s did not work through MCP: %s", w->name, w->error);
		else if (w->mcp_tokens >= w->base_tokens)
			finding(
			    n,
			    list > w->content_tokens
				? "the tool list rides along every turn: shorten tool "
				  "descriptions and input schemas, or serve fewer tools"
				: "return less per call: a section rather than the whole "
				  "document, tool results without what the model does not need",
			    "workflow %s: MCP %llu tokens (results %llu + tool list %llu over %u "
			    "turns) against %llu loading its files",
			    w->name, (unsigned long long)w->mcp_tokens,
			    (unsigned long long)w->content_tokens, (unsigned long long)list,
			    w->turns, (unsigned long long)w->base_tokens);
	}
	if (t->mcp_done && t->base_total && t->reduction_pct < n->def->criteria[0].target)
		finding(
		    n,
		    "look at the workflows with the smallest reduction: what their calls "
		    "return and the tool list's share",
		    "all workflows: %llu tokens through MCP against %llu loading files (%.1f %% "
		    "fewer, target >= %.0f %%)",
		    (unsigned long long)t->mcp_total, (unsigned long long)t->base_total,
		    t->reduction_pct, n->def->criteria[0].target);
}

/* The rules: what was measured names the likely cause. */
static void analyse(struct assess_nfr *n)
{
	const struct tally *a = n->all;
	double hit = 0, hit95 = pct_ms(n->hit, 95), miss95 = pct_ms(n->miss, 95);
	bool cache = n->hit->responses + n->miss->responses > 0;
	if (cache)
		assess_measure(n, &(struct nfr_criterion){.metric = NFR_HIT_RATE_PCT}, &hit,
			       &(uint64_t){0});
	if (cache && hit < 70)
		finding(n,
			"size the cache for the working set, raise its TTL, or preload the hot "
			"resources at start",
			"low cache hit rate: %.1f %% of resource reads were hits (target > 70 %%)",
			hit);
	if (cache && n->miss->responses && miss95 > 100 && hit95 <= 10)
		finding(n,
			"speed up the backing store (the disk or database read behind a miss) "
			"or preload the resources so fewer requests miss",
			"cache misses dominate the tail: miss p95 %.1f ms against hit p95 %.2f ms",
			miss95, hit95);
	if (cache && n->hit->responses && hit95 > 10)
		finding(
		    n,
		    "profile the request path: even cached reads are slow, so the time is "
		    "spent in the server itself (CPU, locks, queueing)",
		    "resource latency: even cache hits are slow (hit p95 %.1f ms, target < 10 ms)",
		    hit95);
	if (n->def->criteria[0].metric == NFR_LABEL_P95_MS) {
		const struct assess_label *w = worst_label(n);
		double next = 0;
		for (unsigned i = 0; w && i < n->nlabels; i++)
			if (&n->labels[i] != w && pct_ms(n->labels[i].t, 95) > next)
				next = pct_ms(n->labels[i].t, 95);
		double worst = w ? pct_ms(w->t, 95) : 0;
		if (w && worst > n->def->criteria[0].target && worst > 1.5 * next)
			finding(
			    n,
			    "profile that tool's handler; look for a slow dependency, a "
			    "missing index or work that could be cached",
			    "one slow tool: %s p95 %.1f ms (target < %.0f ms); the next slowest "
			    "p95 %.1f ms",
			    w->name, worst, n->def->criteria[0].target, next);
		else if (w && worst > n->def->criteria[0].target)
			finding(
			    n,
			    "look at what every call shares: the transport, the server's "
			    "request loop, a common dependency, CPU saturation",
			    "every tool is slow: p95 from %.1f to %.1f ms (target < %.0f ms), so "
			    "the cause is not one tool",
			    next, worst, n->def->criteria[0].target);
	}
	/* corrected above uncorrected is the server's queue only when
	 * arrivals waited for a connection the server held; without one
	 * waiting, the gap is the generator's late sends */
	if (n->open_loop && a->service.count && a->waited) {
		double corr = pct_ms(a, 99), unc = ms(hist_percentile_ns(&a->service, 99));
		if (corr > 200 || corr > 2 * unc + 1)
			finding(
			    n,
			    "add capacity (workers, CPU) or shed load: requests wait in the "
			    "server's queue at this rate",
			    "server queueing: p99 %.1f ms from the intended send time against %.1f "
			    "ms from the actual send; requests waited for the server",
			    corr, unc);
	}
	if (n->collisions)
		finding(n,
			"make the reservation atomic: one increment in a transaction, a row "
			"lock or an atomic counter, not read-then-write",
			"%llu collisions: reserved id ranges overlapped under %llu concurrent "
			"reservations",
			(unsigned long long)n->collisions, (unsigned long long)n->expected);
	if (failed(a))
		errors_finding(n);
	if (a->closes_by_server > a->responses / 10 && a->closes_by_server > 10)
		finding(n,
			"enable HTTP keep-alive on the server (or raise its keep-alive request "
			"limit): every new connection adds a handshake to the latency",
			"connection churn: the server closed %llu keep-alive connections for %llu "
			"responses",
			(unsigned long long)a->closes_by_server, (unsigned long long)a->responses);
	if (n->tok)
		token_findings(n);
	if (n->inconclusive[0] && n->generator)
		finding(n,
			"run the load generator on a machine with more free CPU, or lower the "
			"rate; the figures cannot be trusted",
			"generator: %s", n->inconclusive);
}

/* A figure a late or overloaded generator cannot have made worse: its FAIL
 * stands when the latency figures are in doubt. */
static bool timing_free(enum nfr_metric m)
{
	return m == NFR_COLLISIONS || m == NFR_MEM_GROWTH_MB || m == NFR_SERVER_RSS_MB ||
	       m == NFR_TOKEN_REDUCTION_PCT || m == NFR_NOT_REDUCED;
}

/*
 * A client that waited for its CPU (RESULT_CLIENT_WAIT_PCT of a phase or
 * more) measured its own waits as latency: a WARNING or FAIL whose latency
 * excess is within what ten such waits add is in doubt; a larger one, or a
 * PASS, stands.
 */
static void client_wait_doubt(struct assess_nfr *n)
{
	const struct nfr *d = n->def;
	double room = 10 * n->client_wait_mean_ms;
	bool any = false;
	if (n->verdict < VERDICT_WARNING || n->client_wait_pct <= RESULT_CLIENT_WAIT_PCT ||
	    n->inconclusive[0] || n->failed_requests[0])
		return;
	for (unsigned i = 0; i < d->ncriteria; i++) {
		const struct nfr_criterion *c = &d->criteria[i];
		const struct assess_crit *r = &n->crit[i];
		if (!c->gate || r->verdict < VERDICT_WARNING)
			continue;
		if (strcmp(assess_unit(c->metric), "ms") || r->measured - c->target > room)
			return; /* a miss the client's waits cannot explain */
		any = true;
	}
	if (any) {
		snprintf(n->inconclusive, sizeof(n->inconclusive),
			 "the client waited %.0f%% of a phase for a CPU (other work on this "
			 "machine, %.2f ms a time): the latency over target is within what that "
			 "adds",
			 n->client_wait_pct, n->client_wait_mean_ms);
		n->generator = true;
	}
}

/* A figure counted exactly (tokens): no measurement noise to tolerate. */
static bool exact(enum nfr_metric m)
{
	return m == NFR_TOKEN_REDUCTION_PCT || m == NFR_NOT_REDUCED;
}

/* Why a criterion has nothing to judge, for the NFR's INCONCLUSIVE. */
static const char *nothing_because(const struct assess_nfr *n, enum nfr_metric m)
{
	switch (m) {
	case NFR_COLLISIONS:
		return n->unreadable ? "no response held a range where the configuration says "
				       "(start/end/count)"
				     : "no range was read";
	case NFR_HIT_RATE_PCT:
	case NFR_HIT_P95_MS:
	case NFR_MISS_P95_MS:
		return "no response carried the cache signal";
	case NFR_UNSUCCESSFUL:
		return "no reservation was expected";
	case NFR_TOKEN_REDUCTION_PCT:
	case NFR_NOT_REDUCED:
		return n->tok && n->tok->failed ? "no workflow worked through MCP"
						: "the baseline's files hold no tokens";
	default:
		return tally_attempted(n->all) ? "no request succeeded" : "no request was made";
	}
}

void assess_judge(struct assess_nfr *n)
{
	const struct nfr *d = n->def;
	uint64_t attempted = tally_attempted(n->all);
	bool hard_fail = false;
	unsigned gates_judged = 0;
	char unjudged[160] = "";
	n->verdict = VERDICT_NOT_MEASURED;
	if (d->avail != NFR_RUNS) {
		n->verdict = d->avail == NFR_NOT_APPLICABLE ? VERDICT_NOT_APPLICABLE
							    : VERDICT_NOT_CONFIGURED;
		return;
	}
	if (d->not_measured || !n->ran)
		return;
	for (unsigned i = 0; i < d->ncriteria; i++) {
		const struct nfr_criterion *c = &d->criteria[i];
		struct assess_crit *r = &n->crit[i];
		if (c->unconfigured) {
			r->verdict = VERDICT_NOT_CONFIGURED;
			continue;
		}
		r->measured_ok = assess_measure(n, c, &r->measured, &r->judged);
		r->verdict = !r->measured_ok	? VERDICT_NOT_MEASURED
			     : exact(c->metric) ? (c->at_least ? r->measured >= c->target
							       : r->measured <= c->target)
						      ? VERDICT_PASS
						      : VERDICT_FAIL
			     : c->at_least	? verdict_at_least(r->measured, c->target)
						: verdict_at_most(r->measured, c->target);
		if (c->gate)
			n->verdict = verdict_worst(n->verdict, r->verdict);
		hard_fail |= c->gate && r->verdict == VERDICT_FAIL && timing_free(c->metric);
		/* a gate with nothing to judge proves nothing: not a PASS (a
		 * cache class that never came, beside one that did, is no doubt) */
		bool one_class = (c->metric == NFR_HIT_P95_MS || c->metric == NFR_MISS_P95_MS) &&
				 n->hit->responses + n->miss->responses > 0;
		gates_judged += c->gate && r->measured_ok;
		if (c->gate && !r->measured_ok && !one_class && !unjudged[0])
			snprintf(unjudged, sizeof(unjudged), "%s: nothing to judge (%s)", c->what,
				 nothing_because(n, c->metric));
	}
	/* nothing judged at all: no verdict, and why; some judged: in doubt
	 * (not token counts: a workflow that failed is already a FAIL) */
	if (unjudged[0] && !gates_judged && !n->note[0])
		snprintf(n->note, sizeof(n->note), "%s", unjudged);
	else if (unjudged[0] && gates_judged && !n->inconclusive[0] && !n->tok)
		snprintf(n->inconclusive, sizeof(n->inconclusive), "%s", unjudged);
	/* the server failed the requests: that is its verdict, not a doubt
	 * (the findings give the classes) */
	if (attempted && (double)failed(n->all) > VERDICT_MAX_FAILED * (double)attempted)
		snprintf(n->failed_requests, sizeof(n->failed_requests),
			 "%llu of %llu requests failed (more than 10 %%)",
			 (unsigned long long)failed(n->all), (unsigned long long)attempted);
	/* arrivals that never got a connection because the server held them
	 * all: the figures understate the latency, so a FAIL stands; anything
	 * better cannot be trusted */
	if (n->unsent_busy && n->verdict != VERDICT_FAIL && !n->inconclusive[0])
		snprintf(n->inconclusive, sizeof(n->inconclusive), "%s", n->backlog);
	/* late dispatches can only have made the corrected latency worse: a
	 * PASS stands, a WARNING or FAIL may be the generator's doing */
	if (n->late[0] && n->verdict >= VERDICT_WARNING && !n->inconclusive[0]) {
		snprintf(n->inconclusive, sizeof(n->inconclusive), "%s", n->late);
		n->generator = true;
	}
	client_wait_doubt(n);
	if (n->inconclusive[0])
		n->verdict = hard_fail ? VERDICT_FAIL : VERDICT_INCONCLUSIVE;
	if (n->failed_requests[0])
		n->verdict = VERDICT_FAIL;
	if (n->fail_reason[0]) {
		n->verdict = VERDICT_FAIL;
		finding(n, "read the server's log and its exit status: it ended under load", "%s",
			n->fail_reason);
	}
	if (n->verdict >= VERDICT_WARNING)
		analyse(n);
	if (n->unsent_busy && n->verdict == VERDICT_FAIL)
		finding(n,
			"the server cannot take this rate: add capacity or lower the offered "
			"load to find what it sustains",
			"%llu arrivals were never sent: every connection was waiting for the "
			"server, so the true latency is worse than measured",
			(unsigned long long)n->unsent_busy);
}

int assess_exit_code(const struct assess *r)
{
	bool fail = false, inconclusive = r->interrupted, judged = false;
	for (unsigned i = 0; i < r->nnfrs; i++) {
		enum verdict v = r->nfrs[i].verdict;
		fail |= v == VERDICT_FAIL;
		inconclusive |= v == VERDICT_INCONCLUSIVE;
		judged |= v >= VERDICT_PASS;
	}
	return fail ? 1 : inconclusive || !judged ? 3 : 0;
}

const char *assess_unit(enum nfr_metric m)
{
	switch (m) {
	case NFR_HIT_RATE_PCT:
	case NFR_ERROR_PCT:
	case NFR_ACHIEVED_PCT:
	case NFR_TOKEN_REDUCTION_PCT:
		return "%";
	case NFR_MAX_RPS:
		return "req/s";
	case NFR_MEM_GROWTH_MB:
	case NFR_SERVER_RSS_MB:
		return "MiB";
	case NFR_FAILED:
	case NFR_5XX:
	case NFR_COLLISIONS:
	case NFR_UNSUCCESSFUL:
	case NFR_NOT_REDUCED:
		return "";
	default:
		return "ms";
	}
}

void assess_free(struct assess *a)
{
	for (unsigned i = 0; i < a->nnfrs; i++) {
		struct assess_nfr *n = &a->nfrs[i];
		free(n->all);
		free(n->hit);
		free(n->miss);
		for (unsigned k = 0; k < n->nlabels; k++)
			free(n->labels[k].t);
		for (unsigned p = 0; p < n->nphases; p++)
			free(n->phases[p].timeline);
		free(n->first);
		free(n->rest);
		free(n->stress);
		free(n->tok);
		n->tok = NULL;
		memtrend_free(&n->mem);
		n->first = n->rest = NULL;
		n->stress = NULL;
	}
	a->nnfrs = 0;
}
