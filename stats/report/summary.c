/*
 * summary: renders a run result for people (aligned text, readable at a
 * glance like wrk's and oha's) and for programs (JSON with units in keys).
 */
#include "stats/report/summary.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "protocol/jw.h"
#include "scenarios/stage.h"
#include "stats/report/mcpsum.h"

static const struct {
	const char *key; /* JSON key */
	const char *label;
	double pct;
} pcts[] = {
    {"p50", "p50", 50}, {"p90", "p90", 90},	  {"p95", "p95", 95},
    {"p99", "p99", 99}, {"p99_9", "p99.9", 99.9}, {"p99_99", "p99.99", 99.99},
};

static void fmt_ns(char *buf, size_t n, double ns)
{
	if (ns < 1e6)
		snprintf(buf, n, "%.1fus", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, n, "%.2fms", ns / 1e6);
	else
		snprintf(buf, n, "%.3fs", ns / 1e9);
}

static void fmt_bytes(char *buf, size_t n, double b)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	unsigned u = 0;
	while (b >= 1024 && u < 4) {
		b /= 1024;
		u++;
	}
	snprintf(buf, n, u ? "%.2f %s" : "%.0f %s", b, units[u]);
}

static double per_sec(uint64_t count, uint64_t ns)
{
	return ns ? (double)count * 1e9 / (double)ns : 0;
}

static void engine_line(FILE *f, const struct cfg *cfg, const struct run_result *res)
{
	const struct ring_feat *ft = &res->feat;
	fprintf(f, "  Engine       io_uring, busy-poll %.1fus%s%s%s%s%s\n",
		(double)cfg->busy_poll_ns / 1e3,
		ft->single_issuer ? ", single-issuer+defer-taskrun" : "",
		ft->coop_taskrun ? ", coop-taskrun" : "",
		ft->skip_success ? ", skip-success sends" : "",
		ft->fixed_files ? ", fixed files" : "",
		ft->multishot ? ", multishot recv" : ", single-shot recv");
}

static void print_latency(FILE *f, const char *label, const struct hist *h)
{
	char a[32], b[32], c[32], d[32];
	fmt_ns(a, sizeof(a), (double)h->min_ns);
	fmt_ns(b, sizeof(b), hist_mean_ns(h));
	fmt_ns(c, sizeof(c), hist_stddev_ns(h));
	fmt_ns(d, sizeof(d), (double)h->max_ns);
	fprintf(f, "  %-12s min %s  mean %s  stdev %s  max %s\n", label, a, b, c, d);
	fprintf(f, "              ");
	for (size_t i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++) {
		fmt_ns(a, sizeof(a), (double)hist_percentile_ns(h, pcts[i].pct));
		fprintf(f, " %s %s ", pcts[i].label, a);
	}
	fprintf(f, "\n");
}

static void print_counts(FILE *f, const struct tally *t)
{
	bool any = false;
	fprintf(f, "  Status      ");
	for (unsigned s = 1; s < LIM_STATUS_CODES; s++) {
		if (t->status[s]) {
			fprintf(f, " %u: %llu ", s, (unsigned long long)t->status[s]);
			any = true;
		}
	}
	if (t->status[0])
		fprintf(f, " other: %llu", (unsigned long long)t->status[0]);
	fprintf(f, "%s\n", any || t->status[0] ? "" : " none");
	any = false;
	fprintf(f, "  Errors      ");
	for (unsigned e = 0; e < TALLY_ERR__COUNT; e++) {
		if (t->errors[e]) {
			fprintf(f, " %s %llu ", tally_err_text(e),
				(unsigned long long)t->errors[e]);
			any = true;
		}
	}
	uint64_t s4 = tally_status_range(t, 400, 499), s5 = tally_status_range(t, 500, 599);
	if (s4)
		fprintf(f, " status-4xx %llu ", (unsigned long long)s4);
	if (s5)
		fprintf(f, " status-5xx %llu ", (unsigned long long)s5);
	fprintf(f, "%s\n", any || s4 || s5 ? "" : " none");
}

/* Share of scheduled arrivals the generator applied on time: dispatched
 * within 1 ms and actually sent (see run.c check_generator). */
static void print_generator(FILE *f, const struct cfg *cfg, const struct run_result *res)
{
	const struct tally *t = res->total;
	double secs = (double)res->elapsed_ns / 1e9;
	if (cfg->plan)
		fprintf(
		    f,
		    "  Schedule     intended %.0f iterations/s, achieved %.1f/s; %llu scheduled, "
		    "%.2f%% applied on time, %llu started\n",
		    cfg->rate, secs > 0 ? (double)t->iterations / secs : 0,
		    (unsigned long long)t->scheduled, tally_applied_pct(t),
		    (unsigned long long)t->sent);
	else
		fprintf(f,
			"  Schedule     intended %.0f req/s, achieved %.1f req/s; %llu scheduled, "
			"%.2f%% applied on time, %llu sent\n",
			cfg->rate, secs > 0 ? (double)t->responses / secs : 0,
			(unsigned long long)t->scheduled, tally_applied_pct(t),
			(unsigned long long)t->sent);
	fprintf(f,
		"               %llu waited for a free connection (user), %llu dropped (backlog "
		"full), "
		"%llu never sent\n",
		(unsigned long long)t->waited, (unsigned long long)t->dropped,
		(unsigned long long)t->unsent);
	if (res->saturated)
		fprintf(f, "  Generator    INCONCLUSIVE - generator saturated: %s\n",
			res->saturation);
	else
		fprintf(f, "  Generator    ok (busiest thread %.0f%% busy)\n",
			res->busiest_busy_pct);
}

static void print_shape(FILE *f, const struct cfg *cfg, const struct run_result *res)
{
	const struct scn_shape *s = &cfg->shape;
	if (s->model == SCN_OPEN)
		fprintf(f, "  open model: %.0f iterations/s, %u users at most", cfg->rate,
			s->users);
	else
		fprintf(f, "  closed model: %u users", s->users);
	if (s->model == SCN_CLOSED && s->spawn_rate > 0)
		fprintf(f, ", spawn %.1f/s", s->spawn_rate);
	if (s->model == SCN_CLOSED && s->think_max_ns)
		fprintf(f, ", think %.0f-%.0f ms", (double)s->think_min_ns / 1e6,
			(double)s->think_max_ns / 1e6);
	if (s->model == SCN_CLOSED && s->iterations)
		fprintf(f, ", %llu iterations each", (unsigned long long)s->iterations);
	if (s->nstages)
		fprintf(f, ", %u stage%s", s->nstages, s->nstages == 1 ? "" : "s");
	fprintf(f, "; %u thread%s, %.2fs measured", res->threads, res->threads == 1 ? "" : "s",
		(double)res->elapsed_ns / 1e9);
}

static void print_label_row(FILE *f, const char *name, const struct tally *t, double secs,
			    uint64_t of)
{
	char p50[32], p95[32], p99[32], mx[32], share[16] = "";
	fmt_ns(p50, sizeof(p50), (double)hist_percentile_ns(&t->latency, 50));
	fmt_ns(p95, sizeof(p95), (double)hist_percentile_ns(&t->latency, 95));
	fmt_ns(p99, sizeof(p99), (double)hist_percentile_ns(&t->latency, 99));
	fmt_ns(mx, sizeof(mx), (double)t->latency.max_ns);
	if (of)
		snprintf(share, sizeof(share), "%5.1f%%",
			 100.0 * (double)t->responses / (double)of);
	fprintf(f, "  %-24s %9llu %7llu %9.1f %10s %10s %10s %10s %s\n", name,
		(unsigned long long)t->responses, (unsigned long long)tally_error_total(t),
		secs > 0 ? (double)t->responses / secs : 0, p50, p95, p99, mx, share);
}

static void print_check(FILE *f, const struct check_result *c)
{
	fprintf(f, "  Check %-18s %s: %s; %llu values, %llu collisions", c->def->name,
		c->passed ? "PASS" : "FAIL", c->def->what, (unsigned long long)c->values,
		(unsigned long long)c->collisions);
	if (c->bad_count)
		fprintf(f, ", %llu with a wrong count", (unsigned long long)c->bad_count);
	if (c->unreadable)
		fprintf(f, ", %llu unreadable", (unsigned long long)c->unreadable);
	if (c->overflow)
		fprintf(f, ", %llu not checked (too many)", (unsigned long long)c->overflow);
	fprintf(f, "\n");
	for (unsigned i = 0; i < c->nexamples; i++)
		fprintf(f, "      [%lld, %lld] overlaps [%lld, %lld]\n",
			(long long)c->examples[i][0].start, (long long)c->examples[i][0].end,
			(long long)c->examples[i][1].start, (long long)c->examples[i][1].end);
}

static void print_scenario(FILE *f, const struct cfg *cfg, const struct run_result *res)
{
	const struct plan *p = cfg->plan;
	const struct tally *t = res->total;
	double secs = (double)res->elapsed_ns / 1e9;
	fprintf(f,
		"  Iterations   %llu begun; %llu steps skipped (a captured value was "
		"missing), %llu captures failed\n",
		(unsigned long long)t->iterations, (unsigned long long)t->skipped,
		(unsigned long long)t->captures_failed);
	if (t->think.count) {
		char a[32], b[32], c[32];
		fmt_ns(a, sizeof(a), (double)t->think.min_ns);
		fmt_ns(b, sizeof(b), hist_mean_ns(&t->think));
		fmt_ns(c, sizeof(c), (double)t->think.max_ns);
		fprintf(f, "  Think time   min %s  mean %s  max %s  (%llu pauses)\n", a, b, c,
			(unsigned long long)t->think.count);
	}
	fprintf(f, "\n  %-24s %9s %7s %9s %10s %10s %10s %10s\n", "Label", "requests", "errors",
		"req/s", "p50", "p95", "p99", "max");
	for (unsigned i = 0; i < p->nlabels && res->slots; i++) {
		const struct plan_label *l = &p->labels[i];
		const struct tally *lt = &res->slots[l->slot];
		print_label_row(f, l->name, lt, secs, 0);
		for (unsigned k = 0; k < l->nsplit; k++) {
			char name[64];
			snprintf(name, sizeof(name), "  %s: %s", l->split, l->split_values[k]);
			print_label_row(f, name, &res->slots[l->slot + 1 + k], secs, lt->responses);
		}
	}
	fprintf(f, "\n");
	mcpsum_print(f, cfg, res);
	for (unsigned i = 0; i < res->nchecks; i++)
		print_check(f, &res->checks[i]);
}

static void print_memory(FILE *f, const struct memwatch *m, long peak_kib)
{
	char a[32], b[32], c[32];
	if (m->server && m->measured) {
		fmt_bytes(a, sizeof(a), m->start_bytes);
		fmt_bytes(b, sizeof(b), m->end_bytes);
		fmt_bytes(c, sizeof(c), m->peak_bytes);
		fprintf(f, "  Server RSS   %s at start, %s at end, peak %s (%s, %u samples)\n", a,
			b, c, m->source, m->measured);
	}
	if (m->server)
		fprintf(f, "  Memory       %s: %s\n", verdict_name(m->verdict), m->reason);
	if (!isnan(m->client_start_bytes)) {
		fmt_bytes(a, sizeof(a), m->client_start_bytes);
		fmt_bytes(b, sizeof(b), m->client_end_bytes);
		fmt_bytes(c, sizeof(c), (double)peak_kib * 1024);
		fprintf(f, "  Client RSS   %s at start, %s at end, peak %s\n", a, b, c);
	}
}

void summary_print(FILE *f, const struct cfg *cfg, const struct run_result *res)
{
	const struct tally *t = res->total;
	double secs = (double)res->elapsed_ns / 1e9;
	char in[32], out[32], rate[32], rss[32];
	uint64_t done = t->responses + tally_error_total(t) - tally_status_range(t, 400, 599);

	if (cfg->plan)
		fprintf(f, "mcpload %s  run %s --target %s\n", MCPL_VERSION, cfg->scn->name,
			cfg->url_text);
	else
		fprintf(f, "mcpload %s  %s %s\n", MCPL_VERSION, cfg->method, cfg->url_text);
	if (cfg->plan)
		print_shape(f, cfg, res);
	else if (res->open_loop)
		fprintf(f,
			"  %u connections, %u thread%s, open loop at %.0f req/s (%s arrivals), "
			"%.2fs measured",
			cfg->connections, res->threads, res->threads == 1 ? "" : "s", cfg->rate,
			cfg->poisson ? "poisson" : "constant", secs);
	else
		fprintf(f, "  %u connections, %u thread%s, closed loop, %.2fs measured",
			cfg->connections, res->threads, res->threads == 1 ? "" : "s", secs);
	if (cfg->warmup_ns)
		fprintf(f, " after %.2fs warmup", (double)cfg->warmup_ns / 1e9);
	fprintf(f, "%s\n\n", res->interrupted ? " (interrupted)" : "");
	fmt_bytes(in, sizeof(in), (double)t->bytes_in);
	fmt_bytes(out, sizeof(out), (double)t->bytes_out);
	fmt_bytes(rate, sizeof(rate), per_sec(t->bytes_in, res->elapsed_ns));
	fprintf(f, "  %llu requests in %.2fs, %s read, %s written\n",
		(unsigned long long)t->responses, secs, in, out);
	fprintf(f, "  Throughput   %.1f req/s, %s/s in\n", per_sec(t->responses, res->elapsed_ns),
		rate);
	if (res->open_loop) {
		print_latency(f, "Latency", &t->latency);
		fprintf(f, "               (corrected: from when each request was due)\n");
		print_latency(f, "Uncorrected", &t->service);
		fprintf(f,
			"               (from the actual send: what closed-loop tools report)\n");
		print_latency(f, "Send lag", &t->send_lag);
		print_generator(f, cfg, res);
	} else {
		print_latency(f, "Latency", &t->latency);
	}
	print_counts(f, t);
	if (cfg->plan)
		print_scenario(f, cfg, res);
	if (t->unfinished || t->closes_by_server || t->nobufs)
		fprintf(
		    f,
		    "  Connections  %llu opened, %llu closed by server, %llu unfinished at end\n",
		    (unsigned long long)t->connects, (unsigned long long)t->closes_by_server,
		    (unsigned long long)t->unfinished);
	fmt_bytes(rss, sizeof(rss), (double)res->max_rss_kib * 1024);
	fprintf(f,
		"  Client CPU   user %.2fs sys %.2fs = %.3fus user + %.3fus sys per request; "
		"peak RSS %s\n",
		(double)res->user_ns / 1e9, (double)res->sys_ns / 1e9,
		done ? (double)res->user_ns / 1e3 / (double)done : 0,
		done ? (double)res->sys_ns / 1e3 / (double)done : 0, rss);
	print_memory(f, &res->mem, res->max_rss_kib);
	engine_line(f, cfg, res);
	fprintf(f, "               %.2f requests and %.2f completions per wakeup\n",
		t->wakeups ? (double)done / (double)t->wakeups : 0,
		t->wakeups ? (double)t->completions / (double)t->wakeups : 0);
	if (res->gave_up)
		fprintf(f, "  Stopped      early: %s\n", res->gave_up);
}

static void json_latency(struct jw *j, const char *key, const struct hist *h)
{
	jw_obj_begin(j, key);
	jw_u64(j, "count", h->count);
	jw_f64(j, "min", (double)h->min_ns / 1e3);
	jw_f64(j, "mean", hist_mean_ns(h) / 1e3);
	jw_f64(j, "stddev", hist_stddev_ns(h) / 1e3);
	for (size_t i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++)
		jw_f64(j, pcts[i].key, (double)hist_percentile_ns(h, pcts[i].pct) / 1e3);
	jw_f64(j, "max", (double)h->max_ns / 1e3);
	jw_obj_end(j);
}

static void json_status(struct jw *j, const struct tally *t)
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

static void json_errors(struct jw *j, const struct tally *t)
{
	jw_obj_begin(j, "errors");
	for (unsigned e = 0; e < TALLY_ERR__COUNT; e++)
		jw_u64(j, tally_err_key(e), t->errors[e]);
	jw_u64(j, "status_4xx", tally_status_range(t, 400, 499));
	jw_u64(j, "status_5xx", tally_status_range(t, 500, 599));
	jw_u64(j, "total", tally_error_total(t));
	jw_obj_end(j);
}

static void json_label(struct jw *j, const struct tally *t, const struct run_result *res)
{
	jw_u64(j, "requests", t->responses);
	jw_f64(j, "requests_per_s", per_sec(t->responses, res->elapsed_ns));
	jw_u64(j, "bytes_in", t->bytes_in);
	jw_u64(j, "bytes_out", t->bytes_out);
	jw_u64(j, "skipped", t->skipped);
	json_latency(j, "latency_us", &t->latency);
	if (res->open_loop)
		json_latency(j, "latency_uncorrected_us", &t->service);
	json_latency(j, "first_byte_us", &t->first);
	json_errors(j, t);
	json_status(j, t);
}

static void json_check(struct jw *j, const struct check_result *c)
{
	jw_obj_begin(j, NULL);
	jw_str(j, "name", c->def->name);
	jw_str(j, "kind", c->def->kind == SCN_CHECK_DISJOINT ? "disjoint_ranges" : "unique");
	jw_str(j, "label", c->def->label);
	jw_str(j, "what", c->def->what);
	jw_str(j, "verdict", c->passed ? "PASS" : "FAIL");
	jw_u64(j, "values", c->values);
	jw_u64(j, "collisions", c->collisions);
	jw_u64(j, "wrong_count", c->bad_count);
	jw_u64(j, "unreadable", c->unreadable);
	jw_u64(j, "not_checked", c->overflow);
	jw_arr_begin(j, "examples");
	for (unsigned i = 0; i < c->nexamples; i++) {
		jw_obj_begin(j, NULL);
		jw_i64(j, "a_start", c->examples[i][0].start);
		jw_i64(j, "a_end", c->examples[i][0].end);
		jw_i64(j, "b_start", c->examples[i][1].start);
		jw_i64(j, "b_end", c->examples[i][1].end);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_obj_end(j);
}

static void json_scenario(struct jw *j, const struct cfg *cfg, const struct run_result *res)
{
	const struct plan *p = cfg->plan;
	const struct scn_shape *s = &cfg->shape;
	const struct tally *t = res->total;
	mcpsum_json(j, cfg, res);
	jw_obj_begin(j, "scenario");
	jw_str(j, "name", cfg->scn->name);
	jw_str(j, "model", s->model == SCN_OPEN ? "open" : "closed");
	jw_u64(j, "users", s->users);
	jw_f64(j, "spawn_rate_per_s", s->spawn_rate);
	jw_f64(j, "think_min_s", (double)s->think_min_ns / 1e9);
	jw_f64(j, "think_max_s", (double)s->think_max_ns / 1e9);
	jw_u64(j, "iterations_per_user", s->iterations);
	jw_f64(j, "rate_per_s", s->model == SCN_OPEN ? cfg->rate : 0);
	jw_arr_begin(j, "stages");
	for (unsigned i = 0; i < s->nstages; i++) {
		jw_obj_begin(j, NULL);
		jw_f64(j, "duration_s", (double)s->stages[i].duration_ns / 1e9);
		jw_f64(j, "target", s->stages[i].target);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_obj_begin(j, "variables");
	for (unsigned i = 0; i < p->nvars; i++)
		if (p->vars[i].value)
			jw_str(j, p->vars[i].name, p->vars[i].value);
	jw_obj_end(j);
	if (s->model == SCN_CLOSED && res->all_users_started_s >= 0)
		jw_f64(j, "all_users_started_s", res->all_users_started_s);
	else
		jw_str(j, "all_users_started_s", NULL);
	jw_u64(j, "iterations", t->iterations);
	jw_u64(j, "steps_skipped", t->skipped);
	jw_u64(j, "captures_failed", t->captures_failed);
	json_latency(j, "think_us", &t->think);
	jw_bool(j, "checks_passed", !res->checks_failed);
	jw_obj_end(j);
	jw_arr_begin(j, "labels");
	for (unsigned i = 0; i < p->nlabels && res->slots; i++) {
		const struct plan_label *l = &p->labels[i];
		const struct tally *lt = &res->slots[l->slot];
		jw_obj_begin(j, NULL);
		jw_str(j, "label", l->name);
		json_label(j, lt, res);
		jw_str(j, "split_by", l->split);
		jw_arr_begin(j, "split");
		for (unsigned k = 0; k < l->nsplit; k++) {
			const struct tally *st = &res->slots[l->slot + 1 + k];
			jw_obj_begin(j, NULL);
			jw_str(j, "value", l->split_values[k]);
			jw_f64(j, "share_pct",
			       lt->responses ? 100.0 * (double)st->responses / (double)lt->responses
					     : 0);
			json_label(j, st, res);
			jw_obj_end(j);
		}
		jw_arr_end(j);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_arr_begin(j, "checks");
	for (unsigned i = 0; i < res->nchecks; i++)
		json_check(j, &res->checks[i]);
	jw_arr_end(j);
}

/* The memory samples nearest the end of a timeline second. */
static void json_mem_row(struct jw *j, const struct memwatch *m, double t_s)
{
	int k = memwatch_near(m, t_s);
	if (k < 0)
		return;
	if (m->server && !isnan(m->server_bytes[k]))
		jw_u64(j, "server_rss_bytes", (uint64_t)m->server_bytes[k]);
	if (!isnan(m->client_bytes[k]))
		jw_u64(j, "client_rss_bytes", (uint64_t)m->client_bytes[k]);
}

static void json_server_memory(struct jw *j, const struct memwatch *m)
{
	if (!m->server)
		return;
	jw_obj_begin(j, "server_memory");
	memwatch_json(j, m);
	jw_obj_end(j);
}

static void json_body(struct jw *j, const struct cfg *cfg, const struct run_result *res)
{
	const struct tally *t = res->total;
	char host[256] = "", when[32];
	struct tm tm;

	gethostname(host, sizeof(host) - 1);
	gmtime_r(&res->started_at, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	jw_obj_begin(j, NULL);
	jw_str(j, "tool", "mcpload");
	jw_str(j, "version", MCPL_VERSION);
	jw_str(j, "command_line", cfg->cmdline);
	jw_str(j, "started_at", when);
	jw_str(j, "host", host);
	jw_str(j, "mode", res->open_loop ? "open-loop" : "closed-loop");
	jw_str(j, "url", cfg->url_text);
	jw_str(j, "address", cfg->addr_text);
	jw_str(j, "method", cfg->method);
	jw_u64(j, "connections", cfg->connections);
	jw_u64(j, "threads", res->threads);
	jw_f64(j, "duration_s", (double)res->elapsed_ns / 1e9);
	jw_f64(j, "warmup_s", (double)cfg->warmup_ns / 1e9);
	jw_bool(j, "interrupted", res->interrupted);
	jw_str(j, "stopped_early", res->gave_up);
	jw_u64(j, "requests", t->responses);
	jw_f64(j, "requests_per_s", per_sec(t->responses, res->elapsed_ns));
	jw_u64(j, "bytes_in", t->bytes_in);
	jw_u64(j, "bytes_out", t->bytes_out);
	json_latency(j, "latency_us", &t->latency);
	if (res->open_loop) {
		json_latency(j, "latency_uncorrected_us", &t->service);
		json_latency(j, "send_lag_us", &t->send_lag);
		jw_obj_begin(j, "generator");
		jw_str(j, "arrival", cfg->poisson ? "poisson" : "constant");
		jw_str(j, "pacing", cfg->pacing_lean ? "lean" : "precise");
		jw_u64(j, "seed", cfg->seed);
		jw_f64(j, "intended_per_s", cfg->rate);
		jw_u64(j, "scheduled", t->scheduled);
		jw_u64(j, "sent", t->sent);
		jw_u64(j, "waited_for_connection", t->waited);
		jw_f64(j, "applied_on_time_pct", tally_applied_pct(t));
		jw_u64(j, "dropped", t->dropped);
		jw_u64(j, "unsent_at_end", t->unsent);
		jw_u64(j, "max_queue_per_thread", cfg->max_queue);
		jw_f64(j, "busiest_thread_busy_pct", res->busiest_busy_pct);
		jw_bool(j, "saturated", res->saturated);
		jw_str(j, "reason", res->saturated ? res->saturation : NULL);
		jw_obj_end(j);
		jw_str(j, "verdict", res->saturated ? "INCONCLUSIVE" : NULL);
	}
	if (cfg->plan)
		json_scenario(j, cfg, res);
	json_status(j, t);
	json_errors(j, t);
	jw_obj_begin(j, "connections_stats");
	jw_u64(j, "opened", t->connects);
	jw_u64(j, "closed_by_server", t->closes_by_server);
	jw_u64(j, "unfinished_at_end", t->unfinished);
	jw_u64(j, "recv_buffer_exhausted", t->nobufs);
	jw_u64(j, "loop_wakeups", t->wakeups);
	jw_u64(j, "completions", t->completions);
	jw_obj_end(j);
	json_server_memory(j, &res->mem);
	jw_bool(j, "timeline_truncated", res->timeline_truncated);
	jw_arr_begin(j, "timeline");
	for (unsigned i = 0; i < res->timeline_len; i++) {
		const struct tline_sec *sec = &res->timeline[i];
		jw_obj_begin(j, NULL);
		jw_u64(j, "second", i);
		jw_u64(j, "requests", sec->responses);
		jw_u64(j, "errors", sec->errors);
		if (res->open_loop) {
			jw_u64(j, "sent", sec->sent);
			jw_u64(j, "dropped", sec->dropped);
		}
		if (cfg->plan) {
			const struct scn_shape *sh = &cfg->shape;
			jw_u64(j, "users", sec->users);
			if (sh->nstages) {
				uint64_t at = (uint64_t)i * 1000000000ull + cfg->warmup_ns;
				unsigned k = stage_index(sh->stages, sh->nstages, at);
				jw_u64(j, "stage", k < sh->nstages ? k + 1 : sh->nstages);
				jw_f64(j, "stage_target", stage_value(sh->stages, sh->nstages, at));
			}
		}
		jw_f64(j, "p50_us", (double)sec->p50_ns / 1e3);
		jw_f64(j, "p99_us", (double)sec->p99_ns / 1e3);
		json_mem_row(j, &res->mem, (double)cfg->warmup_ns / 1e9 + i + 1);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_obj_begin(j, "client");
	jw_f64(j, "user_cpu_s", (double)res->user_ns / 1e9);
	jw_f64(j, "sys_cpu_s", (double)res->sys_ns / 1e9);
	jw_f64(j, "busiest_thread_cpu_s", (double)res->worker_cpu_max_ns / 1e9);
	jw_f64(j, "busy_poll_us", (double)cfg->busy_poll_ns / 1e3);
	jw_u64(j, "peak_rss_bytes", (uint64_t)res->max_rss_kib * 1024);
	if (!isnan(res->mem.client_start_bytes)) {
		jw_u64(j, "rss_start_bytes", (uint64_t)res->mem.client_start_bytes);
		jw_u64(j, "rss_end_bytes", (uint64_t)res->mem.client_end_bytes);
	}
	jw_bool(j, "io_uring_single_issuer", res->feat.single_issuer);
	jw_bool(j, "io_uring_coop_taskrun", res->feat.coop_taskrun);
	jw_bool(j, "io_uring_skip_success", res->feat.skip_success);
	jw_bool(j, "io_uring_fixed_files", res->feat.fixed_files);
	jw_bool(j, "io_uring_multishot_recv", res->feat.multishot);
	jw_obj_end(j);
	jw_obj_end(j);
}

int summary_write_json(const char *path, const struct cfg *cfg, const struct run_result *res)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	FILE *f;
	struct jw j;
	int err = 0;

	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
	f = fopen(tmp, "w");
	if (!f) {
		err = -errno;
		goto out_free;
	}
	jw_init(&j, f);
	json_body(&j, cfg, res);
	if (ferror(f))
		err = -EIO;
	if (fclose(f) != 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) != 0)
		err = -errno;
	if (err)
		unlink(tmp);
out_free:
	free(tmp);
	return err;
}
