/*
 * rfull: what the `suite --full` phases found beyond the NFR tallies, as
 * criteria figures and as JSON: cold vs warm reads, the profile's offered
 * and achieved rates, the stress search's step table (the latency-vs-load
 * curve) and the soak's memory samples.
 */
#include "stats/report/rfull.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1024.0 * 1024.0)

static bool p95_of(const struct tally *t, double *v)
{
	if (!t || !t->latency.count)
		return false;
	*v = (double)hist_percentile_ns(&t->latency, 95) / 1e6;
	return true;
}

/* The soak's memory can be judged: enough samples, none of them lost. */
static bool mem_ok(const struct report_nfr *n)
{
	return n->soaked && n->mem.server && n->mem.verdict != VERDICT_INCONCLUSIVE &&
	       n->mem.measured >= 3;
}

bool rfull_measure(const struct report_nfr *n, enum nfr_metric m, double *v)
{
	const struct stress_outcome *s = n->stress;
	switch (m) {
	case NFR_ERROR_PCT: {
		uint64_t a = tally_attempted(n->all);
		*v = a ? 100.0 * (double)tally_error_total(n->all) / (double)a : 0;
		return a > 0;
	}
	case NFR_ACHIEVED_PCT:
		*v = n->offered_rps > 0 ? 100.0 * n->achieved_rps / n->offered_rps : 0;
		return n->offered_rps > 0;
	case NFR_FIRST_P95_MS:
		return p95_of(n->first, v);
	case NFR_REST_P95_MS:
		return p95_of(n->rest, v);
	case NFR_MAX_RPS:
		if (!s || (s->best < 0 && strcmp(s->verdict, "BROKE AT START") != 0))
			return false;
		*v = s->best >= 0 ? s->steps[s->best].achieved_rps : 0;
		return true;
	case NFR_MEM_GROWTH_MB:
		*v = n->mem.trend_growth_bytes / MIB;
		return mem_ok(n);
	case NFR_SERVER_RSS_MB:
		*v = n->mem.peak_bytes / MIB;
		return mem_ok(n);
	default:
		return false;
	}
}

static void json_stress(struct jw *j, const struct stress_outcome *s)
{
	jw_obj_begin(j, "stress");
	stress_json_result(j, s);
	jw_obj_end(j);
}

static void json_memory(struct jw *j, const struct memwatch *m)
{
	jw_obj_begin(j, "memory");
	memwatch_json(j, m);
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

void rfull_json(struct jw *j, const struct report_nfr *n)
{
	if (n->profile) {
		jw_str(j, "profile", n->profile);
		jw_f64(j, "offered_requests_per_s", n->offered_rps);
		jw_f64(j, "achieved_requests_per_s", n->achieved_rps);
	}
	if (n->first && n->first->latency.count)
		report_json_latency(j, "cold_latency_ms", n->first);
	if (n->rest && n->rest->latency.count)
		report_json_latency(j, "warm_latency_ms", n->rest);
	if (n->stress)
		json_stress(j, n->stress);
	if (n->soaked)
		json_memory(j, &n->mem);
	jw_str(j, "phase_note", n->note[0] ? n->note : NULL);
}

void rfull_free(struct report_nfr *n)
{
	free(n->first);
	free(n->rest);
	free(n->stress);
	memwatch_free(&n->mem);
	n->first = n->rest = NULL;
	n->stress = NULL;
}
