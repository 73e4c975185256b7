/*
 * summary: renders a run result for people (aligned text, readable at a
 * glance like wrk's and oha's) and for programs (JSON with units in keys).
 */
#include "stats/summary.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "protocol/jw.h"

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
static double applied_pct(const struct tally *t)
{
	uint64_t ok = t->on_time > t->unsent ? t->on_time - t->unsent : 0;
	return t->scheduled ? 100.0 * (double)ok / (double)t->scheduled : 100.0;
}

static void print_generator(FILE *f, const struct cfg *cfg, const struct run_result *res)
{
	const struct tally *t = res->total;
	double secs = (double)res->elapsed_ns / 1e9;
	fprintf(f,
		"  Schedule     intended %.0f req/s, achieved %.1f req/s; %llu scheduled, "
		"%.2f%% applied on time, %llu sent\n",
		cfg->rate, secs > 0 ? (double)t->responses / secs : 0,
		(unsigned long long)t->scheduled, applied_pct(t), (unsigned long long)t->sent);
	fprintf(f,
		"               %llu waited for a free connection, %llu dropped (backlog full), "
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

void summary_print(FILE *f, const struct cfg *cfg, const struct run_result *res)
{
	const struct tally *t = res->total;
	double secs = (double)res->elapsed_ns / 1e9;
	char in[32], out[32], rate[32], rss[32];
	uint64_t done = t->responses + tally_error_total(t) - tally_status_range(t, 400, 599);

	fprintf(f, "mcpload %s  %s %s\n", MCPL_VERSION, cfg->method, cfg->url_text);
	if (res->open_loop)
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

static void json_body(struct jw *j, const struct cfg *cfg, const struct run_result *res)
{
	const struct tally *t = res->total;
	char host[256] = "", when[32], code[8];
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
		jw_f64(j, "applied_on_time_pct", applied_pct(t));
		jw_u64(j, "dropped", t->dropped);
		jw_u64(j, "unsent_at_end", t->unsent);
		jw_u64(j, "max_queue_per_thread", cfg->max_queue);
		jw_f64(j, "busiest_thread_busy_pct", res->busiest_busy_pct);
		jw_bool(j, "saturated", res->saturated);
		jw_str(j, "reason", res->saturated ? res->saturation : NULL);
		jw_obj_end(j);
		jw_str(j, "verdict", res->saturated ? "INCONCLUSIVE" : NULL);
	}
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
	jw_obj_begin(j, "errors");
	for (unsigned e = 0; e < TALLY_ERR__COUNT; e++)
		jw_u64(j, tally_err_key(e), t->errors[e]);
	jw_u64(j, "status_4xx", tally_status_range(t, 400, 499));
	jw_u64(j, "status_5xx", tally_status_range(t, 500, 599));
	jw_u64(j, "total", tally_error_total(t));
	jw_obj_end(j);
	jw_obj_begin(j, "connections_stats");
	jw_u64(j, "opened", t->connects);
	jw_u64(j, "closed_by_server", t->closes_by_server);
	jw_u64(j, "unfinished_at_end", t->unfinished);
	jw_u64(j, "recv_buffer_exhausted", t->nobufs);
	jw_u64(j, "loop_wakeups", t->wakeups);
	jw_u64(j, "completions", t->completions);
	jw_obj_end(j);
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
		jw_f64(j, "p50_us", (double)sec->p50_ns / 1e3);
		jw_f64(j, "p99_us", (double)sec->p99_ns / 1e3);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_obj_begin(j, "client");
	jw_f64(j, "user_cpu_s", (double)res->user_ns / 1e9);
	jw_f64(j, "sys_cpu_s", (double)res->sys_ns / 1e9);
	jw_f64(j, "busiest_thread_cpu_s", (double)res->worker_cpu_max_ns / 1e9);
	jw_f64(j, "busy_poll_us", (double)cfg->busy_poll_ns / 1e3);
	jw_u64(j, "peak_rss_bytes", (uint64_t)res->max_rss_kib * 1024);
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
