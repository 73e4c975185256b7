/*
 * memtrend: resident-memory samples and their judgement. The slope is a
 * least-squares fit over every measured sample, so a sawtooth from a
 * garbage collector does not pass for a leak the way a last-minus-first
 * difference would.
 */
#include "stats/memtrend.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MB (1024.0 * 1024.0)

int memtrend_init(struct memtrend *m, const struct memtrend_opts *o, uint64_t t0_ns,
		  uint64_t warmup_ns, uint64_t seconds)
{
	memset(m, 0, sizeof(*m));
	m->o = *o;
	m->server = o->server_pid || o->metrics_url;
	if (o->server_pid)
		snprintf(m->source, sizeof(m->source), "pid %d", o->server_pid);
	else if (o->metrics_url)
		snprintf(m->source, sizeof(m->source), "%s", o->metrics_url);
	m->t0_ns = t0_ns;
	m->next_ns = t0_ns;
	m->warmup_s = (double)warmup_ns / 1e9;
	m->cap = (unsigned)(seconds < 3600 * 4 ? seconds : 3600 * 4) + 8;
	m->t_s = malloc(m->cap * sizeof(double));
	m->server_bytes = malloc(m->cap * sizeof(double));
	m->client_bytes = malloc(m->cap * sizeof(double));
	m->start_bytes = m->end_bytes = m->peak_bytes = NAN;
	m->client_start_bytes = m->client_end_bytes = NAN;
	m->verdict = VERDICT_NOT_MEASURED;
	if (!m->t_s || !m->server_bytes || !m->client_bytes) {
		memtrend_free(m);
		return -ENOMEM;
	}
	return 0;
}

bool memtrend_due(const struct memtrend *m, uint64_t now_ns)
{
	return m->t_s && now_ns >= m->next_ns;
}

static void add_server(struct memtrend *m, double t, double y)
{
	if (isnan(m->start_bytes))
		m->start_bytes = y;
	m->end_bytes = y;
	if (isnan(m->peak_bytes) || y > m->peak_bytes)
		m->peak_bytes = y;
	if (!m->measured)
		m->first_t_s = t;
	m->last_t_s = t;
	/* centred on the first measured sample: the sums stay small */
	double x = t - m->first_t_s;
	m->sum_t += x;
	m->sum_y += y;
	m->sum_tt += x * x;
	m->sum_ty += x * y;
	m->measured++;
}

void memtrend_sample(struct memtrend *m, uint64_t now_ns, int64_t server_bytes, bool gone,
		     const char *why, int64_t client_bytes)
{
	double t = (double)(now_ns - m->t0_ns) / 1e9, srv = NAN;
	bool measuring = t >= m->warmup_s - 1e-3;
	if (!m->t_s)
		return;
	if (m->server && !m->gone) {
		if (server_bytes >= 0)
			srv = (double)server_bytes;
		else if (why)
			snprintf(m->why, sizeof(m->why), "%s", why);
		m->gone = gone;
		if (measuring && server_bytes < 0)
			m->failed++;
		if (measuring && server_bytes >= 0)
			add_server(m, t, srv);
	}
	if (client_bytes >= 0 && measuring) {
		if (isnan(m->client_start_bytes))
			m->client_start_bytes = (double)client_bytes;
		m->client_end_bytes = (double)client_bytes;
	}
	if (m->n < m->cap) {
		m->t_s[m->n] = t;
		m->server_bytes[m->n] = srv;
		m->client_bytes[m->n] = client_bytes >= 0 ? (double)client_bytes : NAN;
		m->n++;
	}
	while (m->next_ns <= now_ns)
		m->next_ns += 1000000000ull;
}

void memtrend_finish(struct memtrend *m)
{
	double span = m->last_t_s - m->first_t_s, growth_max = (double)m->o.growth_max_bytes;
	double n = m->measured;
	if (!m->t_s || !m->server)
		return;
	if (m->gone) {
		m->verdict = VERDICT_FAIL;
		snprintf(m->reason, sizeof(m->reason),
			 "the server process %d exited during the run", m->o.server_pid);
		return;
	}
	if (m->measured < 3 || m->failed * 5 > m->measured + m->failed) {
		m->verdict = VERDICT_INCONCLUSIVE;
		snprintf(m->reason, sizeof(m->reason),
			 "%u server memory samples read, %u failed%s%s", m->measured, m->failed,
			 m->failed ? ": " : " (a soak needs a few seconds)",
			 m->failed ? m->why : "");
		return;
	}
	double den = n * m->sum_tt - m->sum_t * m->sum_t;
	m->slope_bytes_per_s = den > 0 ? (n * m->sum_ty - m->sum_t * m->sum_y) / den : 0;
	m->trend_growth_bytes = m->slope_bytes_per_s * span;
	m->verdict = VERDICT_PASS;
	if (m->trend_growth_bytes > growth_max) {
		m->verdict = VERDICT_FAIL;
		snprintf(
		    m->reason, sizeof(m->reason),
		    "server memory grew %.1f MiB over %.0f s (trend %+.3f MiB/s; limit %.0f MiB)",
		    m->trend_growth_bytes / MB, span, m->slope_bytes_per_s / MB, growth_max / MB);
	} else if (m->o.rss_max_bytes && m->peak_bytes > (double)m->o.rss_max_bytes) {
		m->verdict = VERDICT_FAIL;
		snprintf(m->reason, sizeof(m->reason),
			 "server resident memory peaked at %.1f MiB "
			 "(limit %.0f MiB)",
			 m->peak_bytes / MB, (double)m->o.rss_max_bytes / MB);
	} else {
		snprintf(m->reason, sizeof(m->reason),
			 "server memory trend %+.2f MiB over %.0f s (limit %.0f MiB)",
			 m->trend_growth_bytes / MB, span, growth_max / MB);
	}
}

void memtrend_free(struct memtrend *m)
{
	free(m->t_s);
	free(m->server_bytes);
	free(m->client_bytes);
	m->t_s = m->server_bytes = m->client_bytes = NULL;
	m->n = 0;
}

int memtrend_near(const struct memtrend *m, double t_s)
{
	/* t_s[] rises: the first sample at or after t_s, or the one before */
	unsigned lo = 0, hi = m->n;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (m->t_s[mid] < t_s)
			lo = mid + 1;
		else
			hi = mid;
	}
	int best = -1;
	double d = 0.5;
	for (unsigned k = lo ? lo - 1 : 0; k <= lo && k < m->n; k++) {
		double e = fabs(m->t_s[k] - t_s);
		if (e <= d) {
			d = e;
			best = (int)k;
		}
	}
	return best;
}
