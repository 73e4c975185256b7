/*
 * summary: a run's result for people: aligned text, readable at a glance
 * like wrk's and oha's. The same figures are in the JSON (rjson.c).
 */
#include "stats/report/summary.h"

#include <math.h>
#include <string.h>

#include "stats/report/mcpsum.h"

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

static void engine_line(FILE *f, const struct rdesc *d, const struct result *res)
{
	const struct result_io *ft = &res->io;
	fprintf(
	    f, "  Engine       io_uring, busy-poll %.1fus%s%s%s%s%s\n",
	    (double)d->busy_poll_ns / 1e3, ft->single_issuer ? ", single-issuer+defer-taskrun" : "",
	    ft->coop_taskrun ? ", coop-taskrun" : "",
	    ft->skip_success ? ", skip-success sends" : "", ft->fixed_files ? ", fixed files" : "",
	    ft->multishot ? ", multishot recv" : ", single-shot recv");
	if (res->awake_cpus)
		fprintf(
		    f,
		    "               %u CPU(s) kept awake (--keep-awake): %.2fs of spin, left out "
		    "of the client's CPU\n",
		    res->awake_cpus, (double)res->awake_cpu_ns / 1e9);
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
	for (size_t i = 0; i < HIST_SUM_PCTS; i++) {
		fmt_ns(a, sizeof(a), (double)hist_percentile_ns(h, hist_sum_pct[i]));
		fprintf(f, " p%g %s ", hist_sum_pct[i], a);
	}
	fprintf(f, "\n");
}

/* One line of a phase's percentiles: p50, p90, p99 and max. */
static void print_phase(FILE *f, const char *label, const struct hist *h, const char *what)
{
	char a[32], b[32], c[32], d[32];
	if (!h->count)
		return;
	fmt_ns(a, sizeof(a), (double)hist_percentile_ns(h, 50));
	fmt_ns(b, sizeof(b), (double)hist_percentile_ns(h, 90));
	fmt_ns(c, sizeof(c), (double)hist_percentile_ns(h, 99));
	fmt_ns(d, sizeof(d), (double)h->max_ns);
	fprintf(f, "  %-12s p50 %s  p90 %s  p99 %s  max %s  (%s, %llu)\n", label, a, b, c, d, what,
		(unsigned long long)h->count);
}

/* The connection's phases apart from the request latency: TCP connect,
 * the TLS handshake (with what it was verified against), first byte. */
static void print_phases(FILE *f, const struct rdesc *d, const struct tally *t)
{
	if (d->tls)
		fprintf(
		    f, "  TLS          1.2, %s%s%s; %llu handshakes, %llu resumed (%.1f %%)%s\n",
		    d->tls_insecure ? "NOT VERIFIED (--insecure)" : "verified against ",
		    d->tls_insecure ? ""
		    : d->tls_cacert ? d->tls_cacert
				    : "the system's CAs",
		    !d->tls_insecure && d->tls_no_name
			? " (the chain only: an IP address is not matched against the certificate)"
			: "",
		    (unsigned long long)t->tls_handshakes, (unsigned long long)t->tls_resumed,
		    t->tls_handshakes ? 100.0 * (double)t->tls_resumed / (double)t->tls_handshakes
				      : 0.0,
		    d->tls_resume ? "" : ", resumption off");
	print_phase(f, "Connect", &t->connect, "TCP, connections");
	print_phase(f, "Handshake", &t->handshake, "TLS, handshakes");
	if (!d->plan)
		print_phase(f, "First byte", &t->first, "sent to first byte, responses");
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

/* Where the responses' arrival times came from, and what the client's own
 * wake-up would have added had they been taken in user space. */
static void print_stamps(FILE *f, const struct result *res)
{
	const struct tally *t = res->total;
	/* closed loop: latency is already from the actual send */
	const struct hist *h = res->open_loop ? &t->service : &t->latency;
	if (!t->stamped)
		return;
	fprintf(f,
		"  Arrivals     kernel receive timestamps on %.1f %% of responses; from the send\n"
		"               p99 %.3f ms (as this thread saw them: %.3f ms)\n",
		t->responses ? 100.0 * (double)t->stamped / (double)t->responses : 0,
		(double)hist_percentile_ns(h, 99) / 1e6,
		(double)hist_percentile_ns(&t->service_user, 99) / 1e6);
}

/* Share of scheduled arrivals the generator applied on time: dispatched
 * within 1 ms (lean pacing: past its window) and actually sent (see run.c
 * check_generator). */
static void print_generator(FILE *f, const struct rdesc *d, const struct result *res)
{
	const struct tally *t = res->total;
	double secs = (double)res->elapsed_ns / 1e9;
	if (d->plan)
		fprintf(
		    f,
		    "  Schedule     intended %.0f iterations/s, achieved %.1f/s; %llu scheduled, "
		    "%.2f%% applied on time, %llu started\n",
		    d->rate, secs > 0 ? (double)t->iterations / secs : 0,
		    (unsigned long long)t->scheduled, tally_applied_pct(t),
		    (unsigned long long)t->sent);
	else
		fprintf(f,
			"  Schedule     intended %.0f req/s, achieved %.1f req/s; %llu scheduled, "
			"%.2f%% applied on time, %llu sent\n",
			d->rate, secs > 0 ? (double)t->responses / secs : 0,
			(unsigned long long)t->scheduled, tally_applied_pct(t),
			(unsigned long long)t->sent);
	double late_ms = (double)(TALLY_ON_TIME_NS + d->pacing_window_ns) / 1e6;
	if (d->pacing_lean && d->pacing_window_ns)
		fprintf(f,
			"               lean pacing: arrivals due within %g ms of each other sent "
			"together; on time = at most %g ms late\n",
			(double)d->pacing_window_ns / 1e6, late_ms);
	else if (d->pacing_lean)
		fprintf(f,
			"               lean pacing: each arrival at its own time; on time = at "
			"most %g ms late\n",
			late_ms);
	fprintf(f,
		"               %llu waited for a free connection (user), %llu dropped (backlog "
		"full), "
		"%llu never sent\n",
		(unsigned long long)t->waited, (unsigned long long)t->dropped,
		(unsigned long long)t->unsent);
	if (res->saturated)
		fprintf(f, "  Generator    INCONCLUSIVE - %s\n", res->saturation);
	else
		fprintf(f, "  Generator    ok (busiest thread %.0f%% busy)\n",
			res->busiest_busy_pct);
}

static void print_shape(FILE *f, const struct rdesc *d, const struct result *res)
{
	const struct scn_shape *s = &d->plan->shape;
	if (s->model == SCN_OPEN)
		fprintf(f, "  open model: %.0f iterations/s, %u users at most", d->rate, s->users);
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

/* What went wrong, per label, in the server's words (Locust's failures). */
static void print_failures(FILE *f, const struct plan *p, const struct result *res)
{
	bool any = false;
	for (unsigned i = 0; i < p->nlabels && res->slots; i++) {
		const struct tally_msgs *m = &res->slots[p->labels[i].slot].msgs;
		for (unsigned k = 0; k < TALLY_MSGS && m->m[k].n; k++) {
			if (!any)
				fprintf(f, "  %-24s %9s  %s\n", "Failures", "count", "message");
			any = true;
			fprintf(f, "  %-24.24s %9llu  %s\n", k ? "" : p->labels[i].name,
				(unsigned long long)m->m[k].n, m->m[k].text);
		}
		if (m->other)
			fprintf(f, "  %-24s %9llu  (other messages)\n", "",
				(unsigned long long)m->other);
	}
	if (any)
		fprintf(f, "\n");
}

static void print_scenario(FILE *f, const struct rdesc *d, const struct result *res)
{
	const struct plan *p = d->plan;
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
	print_failures(f, p, res);
	mcpsum_print(f, d, res);
	for (unsigned i = 0; i < res->nchecks; i++)
		print_check(f, &res->checks[i]);
}

static void print_memory(FILE *f, const struct memtrend *m, long peak_kib)
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

void summary_print(FILE *f, const struct rdesc *d, const struct result *res)
{
	const struct tally *t = res->total;
	double secs = (double)res->elapsed_ns / 1e9;
	char in[32], out[32], rate[32], rss[32];
	uint64_t done = t->responses + tally_error_total(t) - tally_status_range(t, 400, 599);

	if (d->plan && !strcmp(d->method, "-"))
		fprintf(f, "mcpload %s  run %s --target %s\n", MCPL_VERSION, d->plan->scn->name,
			d->url);
	else
		fprintf(f, "mcpload %s  %s %s\n", MCPL_VERSION, d->method, d->url);
	if (d->plan)
		print_shape(f, d, res);
	else if (res->open_loop)
		fprintf(f,
			"  %u connections, %u thread%s, open loop at %.0f req/s (%s arrivals%s), "
			"%.2fs measured",
			d->connections, res->threads, res->threads == 1 ? "" : "s", d->rate,
			d->poisson ? "poisson" : "constant", d->pacing_lean ? ", lean pacing" : "",
			secs);
	else
		fprintf(f, "  %u connections, %u thread%s, closed loop, %.2fs measured",
			d->connections, res->threads, res->threads == 1 ? "" : "s", secs);
	if (d->warmup_ns)
		fprintf(f, " after %.2fs warmup", (double)d->warmup_ns / 1e9);
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
		print_generator(f, d, res);
	} else {
		print_latency(f, "Latency", &t->latency);
	}
	print_stamps(f, res);
	print_phases(f, d, t);
	print_counts(f, t);
	if (d->plan)
		print_scenario(f, d, res);
	if (t->unfinished || t->closes_by_server || t->nobufs || t->backoffs)
		fprintf(
		    f,
		    "  Connections  %llu opened, %llu closed by server, %llu unfinished at end\n",
		    (unsigned long long)t->connects, (unsigned long long)t->closes_by_server,
		    (unsigned long long)t->unfinished);
	if (t->backoffs)
		fprintf(f,
			"  Backoff      %llu reconnects held back after failures in a row, %.2f s "
			"in all (10 ms doubling to 1.28 s, jittered)\n",
			(unsigned long long)t->backoffs, (double)t->backoff_ns / 1e9);
	fmt_bytes(rss, sizeof(rss), (double)res->max_rss_kib * 1024);
	fprintf(f,
		"  Client CPU   user %.2fs sys %.2fs = %.3fus user + %.3fus sys per request; "
		"peak RSS %s\n",
		(double)res->user_ns / 1e9, (double)res->sys_ns / 1e9,
		done ? (double)res->user_ns / 1e3 / (double)done : 0,
		done ? (double)res->sys_ns / 1e3 / (double)done : 0, rss);
	if (res->busiest_wait_pct >= 1.0)
		fprintf(f,
			"  Client wait  a worker waited %.0f%% of the run for a CPU (other work on "
			"this machine; %.1f%% the hypervisor's steal): its latency figures include "
			"that\n",
			res->busiest_wait_pct, res->busiest_steal_pct);
	print_memory(f, &res->mem, res->max_rss_kib);
	engine_line(f, d, res);
	fprintf(f, "               %.2f requests and %.2f completions per wakeup\n",
		t->wakeups ? (double)done / (double)t->wakeups : 0,
		t->wakeups ? (double)t->completions / (double)t->wakeups : 0);
	if (res->gave_up)
		fprintf(f, "  Stopped      early: %s\n", res->gave_up);
}
