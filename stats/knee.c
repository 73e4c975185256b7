/*
 * knee: one stress step judged against the SLO. A generator that fell
 * behind makes the step INCONCLUSIVE rather than blaming the server;
 * arrivals left unsent while every connection waited are the server's.
 */
#include "stats/knee.h"

#include <stdio.h>
#include <string.h>

#include "scenarios/profile.h"

const char *knee_verdict_name(enum knee_verdict v)
{
	return v == KNEE_GOOD ? "ok" : v == KNEE_BAD ? "broke" : "inconclusive";
}

/* Break the step when a limit of the SLO is past. */
static void slo_limits(const struct knee_slo *slo, struct knee_step *s, bool backlog,
		       const char *saturation)
{
	double p99_ms = (double)hist_sum_at(&s->lat, 99) / 1e6;
	if (p99_ms > (double)slo->p99_ns / 1e6) {
		snprintf(s->why, sizeof(s->why), "p99 %.1f ms > %.1f ms", p99_ms,
			 (double)slo->p99_ns / 1e6);
		s->verdict = KNEE_BAD;
	} else if (s->err_pct > slo->max_err_pct) {
		snprintf(s->why, sizeof(s->why), "errors %.2f %% > %.2f %%", s->err_pct,
			 slo->max_err_pct);
		s->verdict = KNEE_BAD;
	} else if (!slo->closed && s->achieved_rps < s->offered_rps * slo->min_achieved_pct / 100) {
		snprintf(s->why, sizeof(s->why), "achieved %.0f of %.0f requests/s (< %.0f %%)",
			 s->achieved_rps, s->offered_rps, slo->min_achieved_pct);
		s->verdict = KNEE_BAD;
	} else if (backlog) {
		snprintf(s->why, sizeof(s->why), "server backlog: %s", saturation);
		s->verdict = KNEE_BAD;
	}
}

void knee_judge(const struct knee_slo *slo, const struct plan *p, const struct result *res,
		struct tally *all, struct knee_step *s)
{
	double secs = (double)res->elapsed_ns / 1e9;
	const struct tally *t = res->total;
	for (unsigned i = 0; i < p->nlabels && res->slots; i++)
		if (p->mcp.era != MCP_ERA_LEGACY || i != p->mcp.setup_label)
			tally_merge(all, &res->slots[p->labels[i].slot]);
	s->requests = all->responses;
	s->offered_rps = slo->closed ? 0 : s->rate * profile_requests_per_iteration(p->scn);
	s->achieved_rps =
	    secs > 0 ? (double)(all->responses - all->errors[TALLY_ERR_CHECK]) / secs : 0;
	hist_summarize(&all->latency, &s->lat);
	s->err_pct = tally_error_pct(all);
	s->on_time_pct = slo->closed ? -1 : tally_applied_pct(t);
	s->busy_pct = res->busiest_busy_pct;
	s->wait_pct = res->busiest_wait_pct;
	s->verdict = KNEE_GOOD;
	/* arrivals left unsent while every connection waited: the server's */
	bool backlog = res->saturated && t->unsent && !t->unsent_idle && !t->dropped &&
		       res->busiest_busy_pct <= 90;
	bool late_only = res->saturated && !t->unsent && !t->dropped;
	if (res->saturated && !backlog && !late_only) {
		s->verdict = KNEE_INCONCLUSIVE;
		snprintf(s->why, sizeof(s->why), "generator: %s", res->saturation);
	} else if (slo->closed && res->busiest_busy_pct > 90) {
		/* closed model: no schedule to miss, but a busy client still
		 * adds its own queueing to every response */
		s->verdict = KNEE_INCONCLUSIVE;
		snprintf(s->why, sizeof(s->why), "generator: a worker thread was %.0f%% busy",
			 res->busiest_busy_pct);
	} else {
		slo_limits(slo, s, backlog, res->saturation);
	}
	/* late dispatches (every one sent) inflate the corrected latency but
	 * neither errors nor the achieved rate: only a p99 break may be the
	 * generator's doing */
	if (s->verdict == KNEE_BAD && late_only && !strncmp(s->why, "p99", 3)) {
		s->verdict = KNEE_INCONCLUSIVE;
		snprintf(s->why, sizeof(s->why), "generator: %s", res->saturation);
	}
}
