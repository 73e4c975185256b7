/*
 * sreport: what the NFR suite found, for people (the verdict table with the
 * findings under it) and as the JSON report (DIR/benchmark_DATE_TIME.json,
 * docs/report.schema.json describes it), in the vocabulary of every mcpload
 * document.
 */
#include "stats/report/sreport.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stats/report/out.h"
#include "stats/report/rtok.h"
#include "stats/report/vocab.h"

void sreport_print(FILE *f, const struct assess *r)
{
	fprintf(f, "\n  %-20s %-40s %12s %12s %9s  %s\n", "NFR", "criterion", "target", "measured",
		"judged", "verdict");
	for (unsigned i = 0; i < r->nnfrs; i++) {
		const struct assess_nfr *n = &r->nfrs[i];
		const struct nfr *d = n->def;
		if (d->avail != NFR_RUNS) {
			fprintf(f, "  %-20s %-40s %12s %12s %9s  %s\n  %-20s    why: %s\n", d->id,
				d->title, "", "-", "", verdict_name(n->verdict), "", d->avail_why);
			continue;
		}
		if (d->not_measured || !n->ran) {
			fprintf(f, "  %-20s %-40s %12s %12s %9s  %s\n", d->id, d->title, "", "-",
				"", verdict_name(n->verdict));
			if (n->note[0])
				fprintf(f, "  %-20s    note: %s\n", "", n->note);
			continue;
		}
		for (unsigned k = 0; k < d->ncriteria; k++) {
			const struct nfr_criterion *c = &d->criteria[k];
			const struct assess_crit *rc = &n->crit[k];
			char tgt[32], got[32], over[24] = "";
			snprintf(tgt, sizeof(tgt), "%s %g %s", c->at_least ? ">=" : "<=", c->target,
				 assess_unit(c->metric));
			if (rc->measured_ok)
				snprintf(got, sizeof(got), "%.*f %s",
					 assess_unit(c->metric)[0] ? 2 : 0, rc->measured,
					 assess_unit(c->metric));
			else
				snprintf(got, sizeof(got), "-");
			if (!c->unconfigured)
				snprintf(over, sizeof(over), "%llu",
					 (unsigned long long)rc->judged);
			fprintf(f, "  %-20s %-40.40s %12s %12s %9s  %s%s%s\n", k ? "" : d->id,
				c->what, tgt, got, over,
				c->unconfigured ? "NOT CONFIGURED: "
				: c->gate	? verdict_name(rc->verdict)
						: "(info)",
				c->unconfigured			       ? c->unconfigured
				: verdict_note(rc->verdict) && c->gate ? ", "
								       : "",
				c->gate && verdict_note(rc->verdict) ? verdict_note(rc->verdict)
								     : "");
		}
		bool doubt = n->inconclusive[0] && n->verdict != VERDICT_INCONCLUSIVE;
		fprintf(f, "  %-20s => %s%s%s%s%s%s\n", "", verdict_name(n->verdict),
			n->failed_requests[0] ? ": " : "", n->failed_requests,
			doubt		     ? " (the latency figures are in doubt: "
			: n->inconclusive[0] ? ": "
					     : "",
			n->inconclusive, doubt ? ")" : "");
		if (n->note[0])
			fprintf(f, "  %-20s    note: %s\n", "", n->note);
		if (n->tok && n->tok->mcp_done)
			rtok_print(f, n->tok, "                         ");
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

/* The --full objects of an NFR entry (profile, cold/warm, stress, memory),
 * each only when its phase ran. */
static void json_memory(struct jw *j, const struct memtrend *m)
{
	jw_obj_begin(j, "memory");
	vocab_memtrend(j, m);
	if (!isnan(m->client_start_bytes)) {
		jw_u64(j, "client_rss_start_bytes", (uint64_t)m->client_start_bytes);
		jw_u64(j, "client_rss_end_bytes", (uint64_t)m->client_end_bytes);
	}
	/* [seconds from the soak's start, server bytes or null, client bytes] */
	jw_arr_begin(j, "samples_t_server_client");
	for (unsigned k = 0; k < m->n; k++) {
		jw_arr_begin(j, NULL);
		jw_f64(j, NULL, m->t_s[k]);
		if (isnan(m->server_bytes[k]))
			jw_str(j, NULL, NULL);
		else
			jw_u64(j, NULL, (uint64_t)m->server_bytes[k]);
		jw_u64(j, NULL, isnan(m->client_bytes[k]) ? 0 : (uint64_t)m->client_bytes[k]);
		jw_arr_end(j);
	}
	jw_arr_end(j);
	jw_obj_end(j);
}

static void json_full(struct jw *j, const struct assess_nfr *n)
{
	if (n->profile) {
		jw_str(j, "profile", n->profile);
		jw_f64(j, "offered_requests_per_s", n->offered_rps);
		jw_f64(j, "achieved_requests_per_s", n->achieved_rps);
	}
	if (n->first && n->first->latency.count)
		vocab_latency_of(j, "cold_latency_ms", &n->first->latency);
	if (n->rest && n->rest->latency.count)
		vocab_latency_of(j, "warm_latency_ms", &n->rest->latency);
	if (n->stress) {
		jw_obj_begin(j, "stress");
		vocab_knee(j, n->stress);
		jw_obj_end(j);
	}
	if (n->soaked)
		json_memory(j, &n->mem);
	if (n->tok)
		rtok_json(j, "tokens", n->tok);
	jw_str(j, "phase_note", n->note[0] ? n->note : NULL);
}

static void json_phase(struct jw *j, const struct assess_phase *p)
{
	jw_obj_begin(j, NULL);
	jw_str(j, "scenario", p->scenario);
	jw_str(j, "command", p->command[0] ? p->command : NULL);
	jw_f64(j, "duration_s", p->elapsed_s);
	jw_u64(j, "requests", p->requests);
	jw_u64(j, "users", p->users);
	jw_f64(j, "rate_per_s", p->rate);
	jw_bool(j, "generator_saturated", p->saturated);
	jw_arr_begin(j, "timeline");
	for (unsigned s = 0; s < p->timeline_len; s++) {
		const struct tline_sec *r = &p->timeline[s];
		jw_obj_begin(j, NULL);
		vocab_second(j, s, r, false, true);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_obj_end(j);
}

/* What an NFR's load measured: latency, rate, errors, cache, labels. */
static void json_load_figures(struct jw *j, const struct assess_nfr *n)
{
	vocab_latency_of(j, "latency_ms", &n->all->latency);
	jw_u64(j, "requests", n->all->responses);
	jw_f64(j, "duration_s", n->elapsed_s);
	jw_f64(j, "requests_per_s",
	       n->elapsed_s > 0 ? (double)n->all->responses / n->elapsed_s : 0);
	vocab_errors(j, n->all);
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
		vocab_latency_of(j, "hit_latency_ms", &n->hit->latency);
	if (m)
		vocab_latency_of(j, "miss_latency_ms", &n->miss->latency);
	jw_obj_end(j);
	jw_arr_begin(j, "labels");
	for (unsigned i = 0; i < n->nlabels; i++) {
		jw_obj_begin(j, NULL);
		vocab_label(j, n->labels[i].name, n->labels[i].t, n->elapsed_s, n->open_loop);
		jw_obj_end(j);
	}
	jw_arr_end(j);
}

static void json_nfr(struct jw *j, const struct assess_nfr *n)
{
	const struct nfr *d = n->def;
	jw_obj_begin(j, NULL);
	jw_str(j, "id", d->id);
	jw_str(j, "title", d->title);
	jw_str(j, "verdict", verdict_name(n->verdict));
	jw_str(j, "target", d->target_text);
	if (d->avail != NFR_RUNS) {
		jw_str(j, "note", d->avail_why);
		jw_obj_end(j);
		return;
	}
	if (n->verdict == VERDICT_NOT_MEASURED || !n->ran) {
		jw_str(j, "note",
		       d->not_measured ? "measured by its own issue; not in this suite yet"
		       : n->note[0]    ? n->note
				       : "not run");
		json_full(j, n);
		jw_obj_end(j);
		return;
	}
	jw_f64(j, "measured", n->crit[0].measured);
	jw_str(j, "measured_unit", assess_unit(d->criteria[0].metric));
	jw_str(j, "measured_what", d->criteria[0].what);
	jw_str(j, "note", verdict_note(n->crit[0].verdict));
	jw_str(j, "inconclusive_reason", n->inconclusive[0] ? n->inconclusive : NULL);
	jw_str(j, "failed_requests", n->failed_requests[0] ? n->failed_requests : NULL);
	jw_str(j, "generator_late", n->late[0] ? n->late : NULL);
	jw_arr_begin(j, "criteria");
	for (unsigned k = 0; k < d->ncriteria; k++) {
		const struct nfr_criterion *c = &d->criteria[k];
		jw_obj_begin(j, NULL);
		jw_str(j, "what", c->what);
		jw_str(j, "comparison", c->at_least ? ">=" : "<=");
		jw_f64(j, "target", c->target);
		jw_str(j, "unit", assess_unit(c->metric));
		if (n->crit[k].measured_ok)
			jw_f64(j, "measured", n->crit[k].measured);
		else
			jw_str(j, "measured", NULL);
		jw_u64(j, "judged", n->crit[k].judged);
		jw_str(j, "verdict", verdict_name(n->crit[k].verdict));
		jw_str(j, "not_configured", c->unconfigured);
		jw_bool(j, "gates_verdict", c->gate);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	if (!n->tok) /* NFR-03 sends no load: its figures are in "tokens" */
		json_load_figures(j, n);
	if (d->criteria[0].metric == NFR_COLLISIONS || d->criteria[1].metric == NFR_UNSUCCESSFUL) {
		jw_u64(j, "collisions", n->collisions);
		jw_u64(j, "ranges_read", n->ranges);
		jw_u64(j, "ranges_unreadable", n->unreadable);
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
	json_full(j, n);
	jw_arr_begin(j, "phases");
	for (unsigned p = 0; p < n->nphases; p++)
		json_phase(j, &n->phases[p]);
	jw_arr_end(j);
	jw_obj_end(j);
}

static void json_report(struct jw *j, const struct assess *r)
{
	unsigned counts[VERDICT__COUNT] = {0};
	vocab_doc_begin(j, "suite", r->cmdline, r->started_at);
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
	jw_obj_begin(j, "client");
	jw_u64(j, "peak_rss_bytes", r->client_rss_kib * 1024);
	jw_obj_end(j);
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
	jw_u64(j, "not_applicable", counts[VERDICT_NOT_APPLICABLE]);
	jw_u64(j, "not_configured", counts[VERDICT_NOT_CONFIGURED]);
	jw_u64(j, "exit_code", (uint64_t)assess_exit_code(r));
	jw_obj_end(j);
	jw_obj_end(j);
}

static int fill(FILE *f, const void *ctx)
{
	struct jw j;
	jw_init(&j, f);
	json_report(&j, ctx);
	fputc('\n', f);
	return 0;
}

int sreport_write(const struct assess *a, const char *dir, char *path_out, size_t path_len,
		  char *why, size_t why_len)
{
	char stamp[32];
	struct tm tm;
	localtime_r(&a->started_at, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d_%H-%M-%S", &tm);
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		int e = errno;
		snprintf(why, why_len, "cannot create %s: %s", dir, strerror(e));
		return -e;
	}
	snprintf(path_out, path_len, "%s/benchmark_%s.json", dir, stamp);
	for (int i = 2; access(path_out, F_OK) == 0 && i < 100; i++) /* two in one second */
		snprintf(path_out, path_len, "%s/benchmark_%s_%d.json", dir, stamp, i);
	return out_write(path_out, fill, a, why, why_len);
}
