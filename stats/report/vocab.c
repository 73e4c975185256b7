/*
 * vocab: the writers of the object kinds the JSON documents share. A key
 * that names a quantity carries its unit (_ms, _bytes, _s, _pct, _per_s).
 */
#include "stats/report/vocab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "protocol/limits.h"
#include "stats/report/rdesc.h"
#include "stats/hdr.h"
#include "stats/thresh.h"

void vocab_doc_begin(struct jw *j, const char *mode, const char *cmdline, time_t started_at)
{
	char host[256] = "", when[32];
	struct utsname u;
	struct tm tm;
	gethostname(host, sizeof(host) - 1);
	gmtime_r(&started_at, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	jw_obj_begin(j, NULL);
	jw_u64(j, "schema_version", VOCAB_SCHEMA_VERSION);
	jw_str(j, "tool", "mcpload");
	jw_str(j, "version", MCPL_VERSION);
	jw_str(j, "mode", mode);
	jw_str(j, "command_line", cmdline);
	jw_str(j, "started_at", when);
	jw_obj_begin(j, "host");
	jw_str(j, "name", host);
	jw_str(j, "kernel", uname(&u) == 0 ? u.release : NULL);
	jw_u64(j, "cpus", (uint64_t)sysconf(_SC_NPROCESSORS_ONLN));
	jw_obj_end(j);
}

void vocab_thresholds(struct jw *j, const struct thresh *t, unsigned n)
{
	jw_arr_begin(j, "thresholds");
	for (unsigned i = 0; i < n; i++) {
		jw_obj_begin(j, NULL);
		jw_str(j, "threshold", t[i].text);
		jw_str(j, "label", t[i].label[0] ? t[i].label : NULL);
		jw_str(j, "unit", thresh_unit(&t[i]));
		jw_f64(j, "limit", t[i].limit);
		if (t[i].measured)
			jw_fixed(j, "measured", t[i].value, 6);
		else
			jw_str(j, "measured", NULL);
		jw_u64(j, "judged", t[i].requests);
		jw_str(j, "verdict", t[i].passed ? "PASS" : "FAIL");
		jw_obj_end(j);
	}
	jw_arr_end(j);
}

void vocab_shard(struct jw *j, const struct rshard *s)
{
	if (!s)
		return;
	jw_obj_begin(j, "shard");
	jw_u64(j, "index", s->index);
	jw_u64(j, "count", s->count);
	jw_str(j, "from", s->from);
	if (s->start_at_ns)
		jw_fixed(j, "start_at", (double)s->start_at_ns / 1e9, 3);
	else
		jw_str(j, "start_at", NULL);
	jw_fixed(j, "start_late_ms", (double)s->start_late_ns / 1e6, 3);
	jw_fixed(j, "measured_start_unix_s", (double)s->measured_unix_ns / 1e9, 6);
	jw_str(j, "status", s->status);
	jw_obj_end(j);
	jw_str(j, "run_digest", s->digest);
}

static void ms(struct jw *j, const char *key, double ns)
{
	jw_fixed(j, key, ns / 1e6, 6);
}

void vocab_latency(struct jw *j, const char *key, const struct hist_sum *s)
{
	static const char *const keys[HIST_SUM_PCTS] = {"p50", "p90",	"p95",
							"p99", "p99_9", "p99_99"};
	jw_obj_begin(j, key);
	jw_u64(j, "count", s->count);
	ms(j, "min", (double)s->min_ns);
	ms(j, "mean", s->mean_ns);
	ms(j, "stddev", s->stddev_ns);
	for (unsigned i = 0; i < HIST_SUM_PCTS; i++)
		ms(j, keys[i], (double)s->pct_ns[i]);
	ms(j, "max", (double)s->max_ns);
	jw_obj_end(j);
}

void vocab_latency_of(struct jw *j, const char *key, const struct hist *h)
{
	struct hist_sum s;
	hist_summarize(h, &s);
	vocab_latency(j, key, &s);
}

void vocab_errors(struct jw *j, const struct tally *t)
{
	jw_obj_begin(j, "errors");
	for (unsigned e = 0; e < TALLY_ERR__COUNT; e++)
		jw_u64(j, tally_err_key(e), t->errors[e]);
	jw_u64(j, "status_4xx", tally_status_range(t, 400, 499));
	jw_u64(j, "status_5xx", tally_status_range(t, 500, 599));
	jw_u64(j, "retried", t->retried);
	jw_u64(j, "total", tally_error_total(t));
	jw_f64(j, "pct", tally_error_pct(t));
	jw_obj_end(j);
}

void vocab_status(struct jw *j, const struct tally *t)
{
	char code[8];
	jw_obj_begin(j, "status_counts");
	for (unsigned s = 1; s < LIM_STATUS_CODES; s++) {
		if (t->status[s]) {
			snprintf(code, sizeof(code), "%u", s);
			jw_u64(j, code, t->status[s]);
		}
	}
	if (t->status[0])
		jw_u64(j, "other", t->status[0]);
	jw_obj_end(j);
}

void vocab_label(struct jw *j, const char *name, const struct tally *t, double secs, bool open_loop)
{
	jw_str(j, "label", name);
	jw_u64(j, "requests", t->responses);
	jw_u64(j, "succeeded", t->ok);
	jw_f64(j, "requests_per_s", secs > 0 ? (double)t->responses / secs : 0);
	jw_u64(j, "bytes_in", t->bytes_in);
	jw_u64(j, "bytes_out", t->bytes_out);
	jw_u64(j, "skipped", t->skipped);
	vocab_latency_of(j, "latency_ms", &t->latency);
	if (open_loop)
		vocab_latency_of(j, "latency_uncorrected_ms", &t->service);
	vocab_latency_of(j, "first_byte_ms", &t->first);
	vocab_errors(j, t);
	vocab_status(j, t);
	vocab_failures(j, &t->msgs);
	vocab_distribution(j, "latency_distribution", &t->latency);
	if (open_loop)
		vocab_distribution(j, "latency_uncorrected_distribution", &t->service);
	if (t->failed.count) /* what a merge needs to judge the successful ones */
		vocab_distribution(j, "failed_latency_distribution", &t->failed);
}

void vocab_arrivals(struct jw *j, const struct tally *t)
{
	jw_u64(j, "scheduled", t->scheduled);
	jw_u64(j, "sent", t->sent);
	jw_u64(j, "on_time", t->on_time);
	jw_u64(j, "waited_for_connection", t->waited);
	jw_f64(j, "applied_on_time_pct", tally_applied_pct(t));
	jw_u64(j, "dropped", t->dropped);
	jw_u64(j, "unsent_at_end", t->unsent);
	jw_u64(j, "unsent_while_idle", t->unsent_idle);
}

void vocab_distribution(struct jw *j, const char *key, const struct hist *h)
{
	uint8_t *bin = malloc(HDR_ENCODED_MAX);
	char *text = NULL;
	size_t len;
	if (bin && hdr_encode(h, bin, HDR_ENCODED_MAX, &len) == 0 &&
	    (text = malloc(HDR_B64_LEN(len) + 1)))
		hdr_base64(bin, len, text);
	jw_obj_begin(j, key);
	jw_str(j, "encoding", "HdrHistogram V2 compressed, base64");
	jw_str(j, "unit", "ns");
	jw_u64(j, "significant_digits", 3);
	jw_u64(j, "count", h->count);
	jw_str(j, "histogram", text);
	jw_obj_end(j);
	free(text);
	free(bin);
}

void vocab_failures(struct jw *j, const struct tally_msgs *m)
{
	jw_arr_begin(j, "failures");
	for (unsigned i = 0; i < TALLY_MSGS && m->m[i].n; i++) {
		jw_obj_begin(j, NULL);
		jw_str(j, "message", m->m[i].text);
		jw_u64(j, "count", m->m[i].n);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_u64(j, "failures_other", m->other);
}

void vocab_second(struct jw *j, unsigned i, const struct tline_sec *s, bool open_loop, bool users)
{
	jw_u64(j, "second", i);
	jw_u64(j, "requests", s->responses);
	jw_u64(j, "errors", s->errors);
	if (open_loop) {
		jw_u64(j, "sent", s->sent);
		jw_u64(j, "dropped", s->dropped);
		jw_u64(j, "scheduled", s->scheduled);
		jw_u64(j, "on_time", s->on_time);
	}
	if (users)
		jw_u64(j, "users", s->users);
	ms(j, "p50_ms", (double)s->p50_ns);
	ms(j, "p99_ms", (double)s->p99_ns);
	vocab_second_errors(j, s);
}

void vocab_second_errors(struct jw *j, const struct tline_sec *s)
{
	jw_obj_begin(j, "errors_by_class");
	for (unsigned k = 0; k < TLINE_ERR_KINDS; k++)
		if (s->errs[k])
			jw_u64(j, tline_err_key(k), s->errs[k]);
	jw_obj_end(j);
}

static const double second_pcts[] = {50, 95, 99, 100};
static const char *const second_keys[2][4] = {
    {"p50_ms", "p95_ms", "p99_ms", "max_ms"},
    {"uncorrected_p50_ms", "uncorrected_p95_ms", "uncorrected_p99_ms", "uncorrected_max_ms"}};

/* Kind k of a (second, label) as HdrHistogram V2 base64 text with 2
 * significant digits (dense and bin: scratch of LTL_COUNTS counts and
 * HDR_ENCODED_MAX bytes). */
static void second_histogram(struct jw *j, const char *key, const struct ltl_view *v, unsigned k,
			     uint64_t *dense, uint8_t *bin)
{
	struct hdr_counts c = {dense, LTL_COUNTS, LTL_DIGITS};
	size_t len;
	char *text = NULL;
	memset(dense, 0, LTL_COUNTS * sizeof(*dense));
	ltl_add_counts(v, k, dense);
	if (hdr_encode_counts(&c, bin, HDR_ENCODED_MAX, &len) == 0 &&
	    (text = malloc(HDR_B64_LEN(len) + 1)))
		hdr_base64(bin, len, text);
	jw_str(j, key, text);
	free(text);
}

void vocab_label_seconds(struct jw *j, const char *key, const struct ltl_run *r, unsigned slot,
			 bool histograms)
{
	struct ltl_view v;
	uint64_t *dense = histograms ? malloc(LTL_COUNTS * sizeof(*dense)) : NULL;
	uint8_t *bin = histograms ? malloc(HDR_ENCODED_MAX) : NULL;
	jw_arr_begin(j, key);
	for (unsigned s = 0; s < r->nsec; s++) {
		if (!ltl_get(r, s, slot, &v))
			continue;
		jw_obj_begin(j, NULL);
		jw_u64(j, "second", s);
		jw_u64(j, "requests", v.n);
		jw_u64(j, "failed", v.failed);
		for (unsigned k = 0; k < (r->service ? 2u : 1u); k++)
			for (unsigned i = 0; i < 4; i++)
				ms(j, second_keys[k][i],
				   v.n ? (double)ltl_percentile_ns(&v, k, second_pcts[i]) : NAN);
		if (dense && bin) {
			jw_u64(j, "lost", v.lost);
			jw_u64(j, "body_bytes", v.body);
			for (unsigned k = 0; k < (r->service ? 2u : 1u); k++)
				second_histogram(j, k ? "uncorrected_histogram" : "histogram", &v,
						 k, dense, bin);
		}
		jw_obj_end(j);
	}
	jw_arr_end(j);
	free(dense);
	free(bin);
}

void vocab_memtrend(struct jw *j, const struct memtrend *m)
{
	jw_str(j, "source", m->server ? m->source : NULL);
	jw_u64(j, "samples", m->measured);
	jw_u64(j, "failed_samples", m->failed);
	if (m->server && m->measured) {
		jw_u64(j, "start_bytes", (uint64_t)m->start_bytes);
		jw_u64(j, "end_bytes", (uint64_t)m->end_bytes);
		jw_u64(j, "peak_bytes", (uint64_t)m->peak_bytes);
		jw_f64(j, "growth_bytes", m->end_bytes - m->start_bytes);
		jw_f64(j, "slope_bytes_per_s", m->slope_bytes_per_s);
		jw_f64(j, "trend_growth_bytes", m->trend_growth_bytes);
		jw_f64(j, "span_s", m->last_t_s - m->first_t_s);
	}
	jw_u64(j, "growth_limit_bytes", m->o.growth_max_bytes);
	if (m->o.rss_max_bytes)
		jw_u64(j, "rss_limit_bytes", m->o.rss_max_bytes);
	jw_bool(j, "process_exited", m->gone);
	jw_str(j, "verdict", m->server ? verdict_name(m->verdict) : NULL);
	jw_str(j, "reason", m->reason[0] ? m->reason : NULL);
}

static void knee_step(struct jw *j, const struct knee_step *s, bool closed)
{
	jw_obj_begin(j, NULL);
	jw_f64(j, closed ? "users" : "offered_iterations_per_s", s->rate);
	jw_f64(j, "offered_requests_per_s", s->offered_rps);
	jw_f64(j, "achieved_requests_per_s", s->achieved_rps);
	jw_u64(j, "requests", s->requests);
	vocab_latency(j, "latency_ms", &s->lat);
	jw_f64(j, "errors_pct", s->err_pct);
	jw_obj_begin(j, "generator");
	if (!closed)
		jw_f64(j, "applied_on_time_pct", s->on_time_pct);
	jw_f64(j, "busiest_thread_busy_pct", s->busy_pct);
	jw_f64(j, "cpu_wait_pct", s->wait_pct);
	jw_obj_end(j);
	jw_str(j, "verdict", knee_verdict_name(s->verdict));
	jw_str(j, "why", s->why[0] ? s->why : NULL);
	jw_str(j, "command", s->command[0] ? s->command : NULL);
	jw_obj_end(j);
}

void vocab_knee(struct jw *j, const struct knee *k)
{
	jw_str(j, "model", k->closed ? "closed" : "open");
	jw_str(j, "verdict", k->verdict);
	jw_str(j, "reason", k->why);
	if (k->best >= 0) {
		const struct knee_step *b = &k->steps[k->best];
		jw_obj_begin(j, "max_sustainable");
		jw_f64(j, k->closed ? "users" : "iterations_per_s", b->rate);
		jw_f64(j, "requests_per_s", b->achieved_rps);
		vocab_latency(j, "latency_ms", &b->lat);
		jw_f64(j, "errors_pct", b->err_pct);
		jw_str(j, "command", b->command[0] ? b->command : NULL);
		jw_obj_end(j);
	}
	jw_arr_begin(j, "steps");
	for (unsigned i = 0; i < k->n; i++)
		knee_step(j, &k->steps[i], k->closed);
	jw_arr_end(j);
}
