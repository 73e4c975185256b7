/*
 * report: judging an NFR from its merged tallies, the bottleneck rules
 * (seed Scenario 6) that name a likely cause with a remediation line, the
 * terminal table, and the JSON report.
 */
#include "stats/report/report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "protocol/jw.h"
#include "stats/report/rfull.h"

static double ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

static double pct_ms(const struct tally *t, double p)
{
	return ms(hist_percentile_ns(&t->latency, p));
}

/* Requests that did not succeed: error classes, 4xx and 5xx. */
static uint64_t failed(const struct tally *t)
{
	return tally_error_total(t);
}

static const struct report_label *worst_label(const struct report_nfr *n)
{
	const struct report_label *w = NULL;
	for (unsigned i = 0; i < n->nlabels; i++)
		if (n->labels[i].t->responses &&
		    (!w || pct_ms(n->labels[i].t, 95) > pct_ms(w->t, 95)))
			w = &n->labels[i];
	return w;
}

static bool measure(const struct report_nfr *n, const struct nfr_criterion *c, double *v)
{
	const struct tally *a = n->all;
	uint64_t hits = n->hit->responses, misses = n->miss->responses;
	const struct report_label *w;
	switch (c->metric) {
	case NFR_P50_MS:
	case NFR_P95_MS:
	case NFR_P99_MS:
		*v = pct_ms(a, c->metric == NFR_P50_MS ? 50 : c->metric == NFR_P95_MS ? 95 : 99);
		return a->latency.count > 0;
	case NFR_FAILED:
		*v = (double)failed(a);
		return true;
	case NFR_5XX:
		*v = (double)tally_status_range(a, 500, 599);
		return true;
	case NFR_HIT_RATE_PCT:
		*v = hits + misses ? 100.0 * (double)hits / (double)(hits + misses) : 0;
		return hits + misses > 0;
	case NFR_HIT_P95_MS:
		*v = pct_ms(n->hit, 95);
		return hits > 0;
	case NFR_MISS_P95_MS:
		*v = pct_ms(n->miss, 95);
		return misses > 0;
	case NFR_LABEL_P95_MS:
		w = worst_label(n);
		*v = w ? pct_ms(w->t, 95) : 0;
		return w != NULL;
	case NFR_COLLISIONS:
		*v = (double)n->collisions;
		return true;
	case NFR_UNSUCCESSFUL:
		*v = (double)n->unsuccessful;
		return n->expected > 0;
	default:
		return rfull_measure(n, c->metric, v);
	}
}

static void finding(struct report_nfr *n, const char *remedy, const char *fmt, ...)
{
	va_list ap;
	if (n->nfindings == REPORT_MAX_FINDINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(n->analysis[n->nfindings], sizeof(n->analysis[0]), fmt, ap);
	va_end(ap);
	snprintf(n->remedy[n->nfindings], sizeof(n->remedy[0]), "%s", remedy);
	n->nfindings++;
}

static void errors_finding(struct report_nfr *n)
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

/* The rules: what was measured names the likely cause. */
static void analyse(struct report_nfr *n)
{
	const struct tally *a = n->all;
	double hit = 0, hit95 = pct_ms(n->hit, 95), miss95 = pct_ms(n->miss, 95);
	bool cache = n->hit->responses + n->miss->responses > 0;
	if (cache)
		measure(n, &(struct nfr_criterion){.metric = NFR_HIT_RATE_PCT}, &hit);
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
		const struct report_label *w = worst_label(n);
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
	if (n->open_loop && a->service.count) {
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
	if (n->inconclusive[0])
		finding(n,
			"run the load generator on a machine with more free CPU, or lower the "
			"rate; the figures cannot be trusted",
			"generator: %s", n->inconclusive);
}

/* A figure a late or overloaded generator cannot have made worse: its FAIL
 * stands when the latency figures are in doubt. */
static bool timing_free(enum nfr_metric m)
{
	return m == NFR_COLLISIONS || m == NFR_MEM_GROWTH_MB || m == NFR_SERVER_RSS_MB;
}

void report_judge(struct report_nfr *n)
{
	const struct nfr *d = n->def;
	uint64_t attempted = tally_attempted(n->all);
	bool hard_fail = false;
	n->verdict = VERDICT_NOT_MEASURED;
	if (d->not_measured || !n->ran)
		return;
	for (unsigned i = 0; i < d->ncriteria; i++) {
		const struct nfr_criterion *c = &d->criteria[i];
		struct report_crit *r = &n->crit[i];
		r->measured_ok = measure(n, c, &r->measured);
		r->verdict = !r->measured_ok ? VERDICT_NOT_MEASURED
			     : c->at_least   ? verdict_at_least(r->measured, c->target)
					     : verdict_at_most(r->measured, c->target);
		if (c->gate)
			n->verdict = verdict_worst(n->verdict, r->verdict);
		hard_fail |= c->gate && r->verdict == VERDICT_FAIL && timing_free(c->metric);
	}
	if (attempted && (double)failed(n->all) > VERDICT_MAX_FAILED * (double)attempted &&
	    !n->inconclusive[0])
		snprintf(n->inconclusive, sizeof(n->inconclusive),
			 "%llu of %llu requests failed (more than 10 %%): the latency figures "
			 "describe too few requests",
			 (unsigned long long)failed(n->all), (unsigned long long)attempted);
	/* arrivals that never got a connection because the server held them
	 * all: the figures understate the latency, so a FAIL stands; anything
	 * better cannot be trusted */
	if (n->unsent_busy && n->verdict != VERDICT_FAIL && !n->inconclusive[0])
		snprintf(n->inconclusive, sizeof(n->inconclusive), "%s", n->backlog);
	/* late dispatches can only have made the corrected latency worse: a
	 * PASS stands, a WARNING or FAIL may be the generator's doing */
	if (n->late[0] && n->verdict >= VERDICT_WARNING && !n->inconclusive[0])
		snprintf(n->inconclusive, sizeof(n->inconclusive), "%s", n->late);
	if (n->inconclusive[0])
		n->verdict = hard_fail ? VERDICT_FAIL : VERDICT_INCONCLUSIVE;
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

int report_exit_code(const struct report *r)
{
	bool fail = false, inconclusive = r->interrupted;
	for (unsigned i = 0; i < r->nnfrs; i++) {
		fail |= r->nfrs[i].verdict == VERDICT_FAIL;
		inconclusive |= r->nfrs[i].verdict == VERDICT_INCONCLUSIVE;
	}
	return fail ? 1 : inconclusive ? 3 : 0;
}

static const char *unit_of(enum nfr_metric m)
{
	switch (m) {
	case NFR_HIT_RATE_PCT:
	case NFR_ERROR_PCT:
	case NFR_ACHIEVED_PCT:
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
		return "";
	default:
		return "ms";
	}
}

void report_print(FILE *f, const struct report *r)
{
	fprintf(f, "\n  %-20s %-40s %12s %12s  %s\n", "NFR", "criterion", "target", "measured",
		"verdict");
	for (unsigned i = 0; i < r->nnfrs; i++) {
		const struct report_nfr *n = &r->nfrs[i];
		const struct nfr *d = n->def;
		if (d->not_measured || !n->ran) {
			fprintf(f, "  %-20s %-40s %12s %12s  %s\n", d->id, d->title, "", "-",
				"NOT MEASURED");
			continue;
		}
		for (unsigned k = 0; k < d->ncriteria; k++) {
			const struct nfr_criterion *c = &d->criteria[k];
			const struct report_crit *rc = &n->crit[k];
			char tgt[32], got[32];
			snprintf(tgt, sizeof(tgt), "%s %g %s", c->at_least ? ">=" : "<=", c->target,
				 unit_of(c->metric));
			if (rc->measured_ok)
				snprintf(got, sizeof(got), "%.*f %s", unit_of(c->metric)[0] ? 2 : 0,
					 rc->measured, unit_of(c->metric));
			else
				snprintf(got, sizeof(got), "-");
			fprintf(f, "  %-20s %-40.40s %12s %12s  %s%s%s\n", k ? "" : d->id, c->what,
				tgt, got, c->gate ? verdict_name(rc->verdict) : "(info)",
				verdict_note(rc->verdict) && c->gate ? ", " : "",
				c->gate && verdict_note(rc->verdict) ? verdict_note(rc->verdict)
								     : "");
		}
		bool doubt = n->inconclusive[0] && n->verdict != VERDICT_INCONCLUSIVE;
		fprintf(f, "  %-20s => %s%s%s%s\n", "", verdict_name(n->verdict),
			doubt		     ? " (the latency figures are in doubt: "
			: n->inconclusive[0] ? ": "
					     : "",
			n->inconclusive, doubt ? ")" : "");
		if (n->note[0])
			fprintf(f, "  %-20s    note: %s\n", "", n->note);
		if (n->late[0] && !n->inconclusive[0])
			fprintf(f,
				"  %-20s    note: generator %s; every arrival was sent and its "
				"delay is inside the corrected latency\n",
				"", n->late);
		for (unsigned k = 0; k < n->nfindings; k++)
			fprintf(f, "  %-20s    cause: %s\n  %-20s    remedy: %s\n", "",
				n->analysis[k], "", n->remedy[k]);
	}
}

void report_json_latency(struct jw *j, const char *key, const struct tally *t)
{
	const struct hist *h = &t->latency;
	jw_obj_begin(j, key);
	jw_u64(j, "count", h->count);
	jw_f64(j, "p50", pct_ms(t, 50));
	jw_f64(j, "p95", pct_ms(t, 95));
	jw_f64(j, "p99", pct_ms(t, 99));
	jw_f64(j, "max", ms(h->max_ns));
	jw_f64(j, "mean", hist_mean_ns(h) / 1e6);
	jw_obj_end(j);
}

static void json_errors(struct jw *j, const struct tally *t)
{
	jw_obj_begin(j, "errors");
	for (unsigned e = 0; e < TALLY_ERR__COUNT; e++)
		jw_u64(j, tally_err_key(e), t->errors[e]);
	jw_u64(j, "status_4xx", tally_status_range(t, 400, 499));
	jw_u64(j, "status_5xx", tally_status_range(t, 500, 599));
	jw_u64(j, "retried", t->retried);
	jw_u64(j, "total", failed(t));
	jw_obj_end(j);
}

static void json_phase(struct jw *j, const struct report_phase *p)
{
	jw_obj_begin(j, NULL);
	jw_str(j, "scenario", p->scenario);
	jw_f64(j, "duration_s", p->elapsed_s);
	jw_u64(j, "requests", p->requests);
	jw_u64(j, "users", p->users);
	jw_f64(j, "rate_per_s", p->rate);
	jw_bool(j, "generator_saturated", p->saturated);
	jw_arr_begin(j, "timeline");
	for (unsigned s = 0; s < p->timeline_len; s++) {
		const struct tline_sec *r = &p->timeline[s];
		jw_obj_begin(j, NULL);
		jw_u64(j, "second", s);
		jw_u64(j, "responses", r->responses);
		jw_u64(j, "errors", r->errors);
		jw_u64(j, "users", r->users);
		jw_f64(j, "p50_ms", ms(r->p50_ns));
		jw_f64(j, "p99_ms", ms(r->p99_ns));
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_obj_end(j);
}

static void json_nfr(struct jw *j, const struct report_nfr *n)
{
	const struct nfr *d = n->def;
	jw_obj_begin(j, NULL);
	jw_str(j, "id", d->id);
	jw_str(j, "title", d->title);
	jw_str(j, "verdict", verdict_name(n->verdict));
	jw_str(j, "target", d->target_text);
	if (n->verdict == VERDICT_NOT_MEASURED) {
		jw_str(j, "note",
		       d->not_measured ? "measured by its own issue; not in this suite yet"
		       : n->note[0]    ? n->note
				       : "not run");
		rfull_json(j, n);
		jw_obj_end(j);
		return;
	}
	jw_f64(j, "measured", n->crit[0].measured);
	jw_str(j, "measured_unit", unit_of(d->criteria[0].metric));
	jw_str(j, "measured_what", d->criteria[0].what);
	jw_str(j, "note", verdict_note(n->crit[0].verdict));
	jw_str(j, "inconclusive_reason", n->inconclusive[0] ? n->inconclusive : NULL);
	jw_str(j, "generator_late", n->late[0] ? n->late : NULL);
	jw_arr_begin(j, "criteria");
	for (unsigned k = 0; k < d->ncriteria; k++) {
		const struct nfr_criterion *c = &d->criteria[k];
		jw_obj_begin(j, NULL);
		jw_str(j, "what", c->what);
		jw_str(j, "comparison", c->at_least ? ">=" : "<=");
		jw_f64(j, "target", c->target);
		jw_str(j, "unit", unit_of(c->metric));
		if (n->crit[k].measured_ok)
			jw_f64(j, "measured", n->crit[k].measured);
		else
			jw_str(j, "measured", NULL);
		jw_str(j, "verdict", verdict_name(n->crit[k].verdict));
		jw_bool(j, "gates_verdict", c->gate);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	report_json_latency(j, "latency_ms", n->all);
	jw_u64(j, "count", n->all->responses);
	jw_f64(j, "duration_s", n->elapsed_s);
	jw_f64(j, "throughput_rps",
	       n->elapsed_s > 0 ? (double)n->all->responses / n->elapsed_s : 0);
	json_errors(j, n->all);
	jw_obj_begin(j, "cache");
	uint64_t h = n->hit->responses, m = n->miss->responses;
	jw_u64(j, "hits", h);
	jw_u64(j, "misses", m);
	if (h + m)
		jw_f64(j, "hit_rate_pct", 100.0 * (double)h / (double)(h + m));
	else
		jw_str(j, "hit_rate_pct", NULL);
	if (n->server_hit_rate_pct >= 0)
		jw_f64(j, "server_hit_rate_pct", n->server_hit_rate_pct);
	else
		jw_str(j, "server_hit_rate_pct", NULL);
	if (h)
		report_json_latency(j, "hit_latency_ms", n->hit);
	if (m)
		report_json_latency(j, "miss_latency_ms", n->miss);
	jw_obj_end(j);
	jw_arr_begin(j, "labels");
	for (unsigned i = 0; i < n->nlabels; i++) {
		jw_obj_begin(j, NULL);
		jw_str(j, "name", n->labels[i].name);
		report_json_latency(j, "latency_ms", n->labels[i].t);
		jw_u64(j, "errors", failed(n->labels[i].t));
		jw_obj_end(j);
	}
	jw_arr_end(j);
	if (d->criteria[0].metric == NFR_COLLISIONS || d->criteria[1].metric == NFR_UNSUCCESSFUL) {
		jw_u64(j, "collisions", n->collisions);
		jw_u64(j, "expected_successes", n->expected);
		jw_u64(j, "unsuccessful", n->unsuccessful);
	}
	jw_arr_begin(j, "analysis");
	for (unsigned k = 0; k < n->nfindings; k++) {
		jw_obj_begin(j, NULL);
		jw_str(j, "finding", n->analysis[k]);
		jw_str(j, "remediation", n->remedy[k]);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	rfull_json(j, n);
	jw_arr_begin(j, "phases");
	for (unsigned p = 0; p < n->nphases; p++)
		json_phase(j, &n->phases[p]);
	jw_arr_end(j);
	jw_obj_end(j);
}

static void json_report(struct jw *j, const struct report *r)
{
	char ts[32], host[128] = "";
	struct utsname u;
	unsigned counts[6] = {0};
	struct tm tm;
	gmtime_r(&r->started_at, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	gethostname(host, sizeof(host) - 1);
	uname(&u);
	jw_obj_begin(j, NULL);
	jw_u64(j, "schema_version", 1);
	jw_str(j, "timestamp", ts);
	jw_str(j, "mcpload_version", MCPL_VERSION);
	jw_str(j, "command_line", r->cmdline);
	jw_obj_begin(j, "host");
	jw_str(j, "name", host);
	jw_str(j, "kernel", u.release);
	jw_u64(j, "cpus", (uint64_t)sysconf(_SC_NPROCESSORS_ONLN));
	jw_u64(j, "client_peak_rss_kib", r->client_rss_kib);
	jw_obj_end(j);
	jw_str(j, "target_url", r->target);
	jw_str(j, "metrics_url", r->metrics_url);
	jw_obj_begin(j, "server");
	jw_str(j, "name", r->server.server_name[0] ? r->server.server_name : NULL);
	jw_str(j, "version", r->server.server_version[0] ? r->server.server_version : NULL);
	jw_str(j, "protocol_version", r->server.version[0] ? r->server.version : NULL);
	jw_str(j, "era",
	       r->server.era == MCP_ERA_MODERN	 ? "modern"
	       : r->server.era == MCP_ERA_LEGACY ? "legacy"
						 : NULL);
	jw_obj_end(j);
	jw_bool(j, "smoke", r->smoke);
	jw_bool(j, "full", r->full);
	jw_str(j, "profile", r->profile);
	jw_bool(j, "interrupted", r->interrupted);
	jw_f64(j, "duration_s", r->duration_s);
	jw_arr_begin(j, "nfrs");
	for (unsigned i = 0; i < r->nnfrs; i++) {
		json_nfr(j, &r->nfrs[i]);
		counts[r->nfrs[i].verdict]++;
	}
	jw_arr_end(j);
	jw_obj_begin(j, "summary");
	jw_u64(j, "pass", counts[VERDICT_PASS] + counts[VERDICT_PASS_TOLERANCE]);
	jw_u64(j, "warning", counts[VERDICT_WARNING]);
	jw_u64(j, "fail", counts[VERDICT_FAIL]);
	jw_u64(j, "inconclusive", counts[VERDICT_INCONCLUSIVE]);
	jw_u64(j, "not_measured", counts[VERDICT_NOT_MEASURED]);
	jw_u64(j, "exit_code", (uint64_t)report_exit_code(r));
	jw_obj_end(j);
	jw_obj_end(j);
}

int report_write(const struct report *r, const char *dir, char *path_out, size_t path_len)
{
	char tmp[4096], stamp[32];
	struct tm tm;
	struct jw j;
	int fd, err = 0;
	FILE *f;
	localtime_r(&r->started_at, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d_%H-%M-%S", &tm);
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return -errno;
	snprintf(path_out, path_len, "%s/benchmark_%s.json", dir, stamp);
	for (int i = 2; access(path_out, F_OK) == 0 && i < 100; i++) /* two in one second */
		snprintf(path_out, path_len, "%s/benchmark_%s_%d.json", dir, stamp, i);
	snprintf(tmp, sizeof(tmp), "%s/.benchmark_%s.json.XXXXXX", dir, stamp);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		unlink(tmp);
		return err;
	}
	jw_init(&j, f);
	json_report(&j, r);
	fputc('\n', f);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		err = -errno;
	if (fclose(f) != 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path_out) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

void report_free(struct report *r)
{
	for (unsigned i = 0; i < r->nnfrs; i++) {
		struct report_nfr *n = &r->nfrs[i];
		free(n->all);
		free(n->hit);
		free(n->miss);
		for (unsigned k = 0; k < n->nlabels; k++)
			free(n->labels[k].t);
		for (unsigned p = 0; p < n->nphases; p++)
			free(n->phases[p].timeline);
		rfull_free(n);
	}
	r->nnfrs = 0;
}
