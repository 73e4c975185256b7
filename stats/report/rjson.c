/*
 * rjson: the JSON document of one run (`mcpload http|run --json`): the same
 * figures as the summary, in the vocabulary of every mcpload document
 * (vocab.h), with the per-second timeline, the scenario's labels and
 * checks, the MCP counts and the client's own cost.
 */
#include "stats/report/rjson.h"

#include <math.h>
#include <string.h>

#include "protocol/h1w.h"
#include "scenarios/stage.h"
#include "stats/report/mcpsum.h"
#include "stats/report/out.h"
#include "stats/report/rlab.h"
#include "stats/report/vocab.h"

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

static void json_scenario(struct jw *j, const struct rdesc *d, const struct result *res)
{
	const struct plan *p = d->plan;
	const struct scn_shape *s = &d->plan->shape;
	const struct tally *t = res->total;
	double secs = (double)res->elapsed_ns / 1e9;
	mcpsum_json(j, d, res);
	jw_obj_begin(j, "scenario");
	jw_str(j, "name", d->plan->scn->name);
	jw_str(j, "model", s->model == SCN_OPEN ? "open" : "closed");
	jw_u64(j, "users", s->users);
	jw_f64(j, "spawn_rate_per_s", s->spawn_rate);
	jw_f64(j, "think_min_s", (double)s->think_min_ns / 1e9);
	jw_f64(j, "think_max_s", (double)s->think_max_ns / 1e9);
	jw_u64(j, "iterations_per_user", s->iterations);
	jw_f64(j, "rate_per_s", s->model == SCN_OPEN ? d->rate : 0);
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
			jw_str(j, p->vars[i].name,
			       h1w_is_secret(p->vars[i].name, strlen(p->vars[i].name))
				   ? "REDACTED"
				   : p->vars[i].value);
	jw_obj_end(j);
	if (s->model == SCN_CLOSED && res->all_users_started_s >= 0)
		jw_f64(j, "all_users_started_s", res->all_users_started_s);
	else
		jw_str(j, "all_users_started_s", NULL);
	jw_u64(j, "iterations", t->iterations);
	jw_u64(j, "steps_skipped", t->skipped);
	jw_u64(j, "captures_failed", t->captures_failed);
	vocab_latency_of(j, "think_ms", &t->think);
	jw_bool(j, "checks_passed", !res->checks_failed);
	jw_obj_end(j);
	jw_arr_begin(j, "labels");
	for (unsigned i = 0; i < p->nlabels && res->slots; i++) {
		const struct plan_label *l = &p->labels[i];
		const struct tally *lt = &res->slots[l->slot];
		jw_obj_begin(j, NULL);
		vocab_label(j, l->name, lt, secs, res->open_loop);
		jw_str(j, "type", rlab_method(p, i));
		vocab_label_seconds(j, "timeline", &res->ltl, l->slot, d->shard != NULL);
		jw_str(j, "split_by", l->split);
		jw_arr_begin(j, "split");
		for (unsigned k = 0; k < l->nsplit; k++) {
			const struct tally *st = &res->slots[l->slot + 1 + k];
			jw_obj_begin(j, NULL);
			jw_str(j, "value", l->split_values[k]);
			jw_f64(j, "share_pct",
			       lt->responses ? 100.0 * (double)st->responses / (double)lt->responses
					     : 0);
			vocab_label(j, l->split_values[k], st, secs, res->open_loop);
			vocab_label_seconds(j, "timeline", &res->ltl, l->slot + 1 + k,
					    d->shard != NULL);
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

static void json_thresholds(struct jw *j, const struct rdesc *d)
{
	vocab_thresholds(j, d->thresholds, d->nthresholds);
}

/* The memory samples nearest the end of a timeline second. */
static void json_mem_row(struct jw *j, const struct memtrend *m, double t_s)
{
	int k = memtrend_near(m, t_s);
	if (k < 0)
		return;
	if (m->server && !isnan(m->server_bytes[k]))
		jw_u64(j, "server_rss_bytes", (uint64_t)m->server_bytes[k]);
	if (!isnan(m->client_bytes[k]))
		jw_u64(j, "client_rss_bytes", (uint64_t)m->client_bytes[k]);
}

static void json_server_memory(struct jw *j, const struct memtrend *m)
{
	if (!m->server)
		return;
	jw_obj_begin(j, "server_memory");
	vocab_memtrend(j, m);
	jw_obj_end(j);
}

/* Where the responses' end times came from: the kernel's receive
 * timestamps (the client's own scheduling delay left out) or this thread's
 * clock; and the latency from the actual send as this thread saw it, the
 * cross-check that shows what that delay would have added. */
static void json_stamps(struct jw *j, const struct result *res)
{
	const struct tally *t = res->total;
	jw_obj_begin(j, "timestamps");
	jw_str(j, "receive", t->stamped ? "kernel (software receive timestamp)" : "user space");
	jw_str(j, "send",
	       t->tx_stamped ? "kernel (software transmit timestamp)"
			     : "user space (before the submit)");
	jw_u64(j, "kernel_stamped_responses", t->stamped);
	jw_u64(j, "kernel_stamped_sends", t->tx_stamped);
	vocab_latency_of(j, "from_send_user_space_ms", &t->service_user);
	jw_obj_end(j);
}

/* The fixed request as the one label of the run, as a scenario's are. */
static void json_fixed_label(struct jw *j, const struct rdesc *d, const struct result *res)
{
	struct rlab l;
	rlab_list(d, res, &l, 1);
	jw_arr_begin(j, "labels");
	jw_obj_begin(j, NULL);
	vocab_label(j, l.name, res->total, (double)res->elapsed_ns / 1e9, res->open_loop);
	jw_str(j, "type", l.method);
	vocab_label_seconds(j, "timeline", &res->ltl, 0, d->shard != NULL);
	jw_obj_end(j);
	jw_arr_end(j);
}

static void json_body(struct jw *j, const struct rdesc *d, const struct result *res)
{
	const struct tally *t = res->total;

	vocab_doc_begin(j, res->open_loop ? "open-loop" : "closed-loop", d->cmdline,
			res->started_at);
	jw_str(j, "url", d->url);
	jw_str(j, "address", d->address);
	jw_str(j, "method", d->method);
	jw_u64(j, "connections", d->connections);
	jw_u64(j, "threads", res->threads);
	jw_f64(j, "duration_s", (double)res->elapsed_ns / 1e9);
	jw_f64(j, "warmup_s", (double)d->warmup_ns / 1e9);
	jw_bool(j, "interrupted", res->interrupted);
	jw_str(j, "stopped_early", res->gave_up);
	vocab_shard(j, d->shard);
	jw_u64(j, "requests", t->responses);
	jw_f64(j, "requests_per_s",
	       res->elapsed_ns ? (double)t->responses * 1e9 / (double)res->elapsed_ns : 0);
	jw_u64(j, "bytes_in", t->bytes_in);
	jw_u64(j, "bytes_out", t->bytes_out);
	vocab_latency_of(j, "latency_ms", &t->latency);
	json_stamps(j, res);
	/* the whole histogram: mcpload merge adds shards' up exactly */
	vocab_distribution(j, "latency_distribution", &t->latency);
	if (res->open_loop)
		vocab_distribution(j, "latency_uncorrected_distribution", &t->service);
	if (t->failed.count)
		vocab_distribution(j, "failed_latency_distribution", &t->failed);
	if (res->open_loop) {
		vocab_latency_of(j, "latency_uncorrected_ms", &t->service);
		vocab_latency_of(j, "send_lag_ms", &t->send_lag);
		if (d->shard)
			vocab_distribution(j, "send_lag_distribution", &t->send_lag);
		jw_obj_begin(j, "generator");
		jw_str(j, "arrival", d->poisson ? "poisson" : "constant");
		jw_str(j, "pacing", d->pacing_lean ? "lean" : "precise");
		if (d->pacing_lean)
			jw_f64(j, "pacing_window_ms", (double)d->pacing_window_ns / 1e6);
		jw_u64(j, "seed", d->seed);
		jw_f64(j, "intended_per_s", d->rate);
		vocab_arrivals(j, t);
		jw_u64(j, "max_queue_per_thread", d->max_queue);
		jw_f64(j, "busiest_thread_busy_pct", res->busiest_busy_pct);
		jw_bool(j, "saturated", res->saturated);
		/* whose doing: "late" (the machine woke it late), "saturated"
		 * (it could not keep up), "backlog" (the server kept every
		 * connection busy) */
		jw_str(j, "cause",
		       !res->saturated			? NULL
		       : res->gen == RESULT_GEN_LATE	? "late"
		       : res->gen == RESULT_GEN_BACKLOG ? "backlog"
							: "saturated");
		jw_str(j, "reason", res->saturated ? res->saturation : NULL);
		jw_obj_end(j);
		jw_str(j, "verdict", res->saturated ? "INCONCLUSIVE" : NULL);
	}
	if (d->plan)
		json_scenario(j, d, res);
	else
		json_fixed_label(j, d, res);
	vocab_status(j, t);
	vocab_errors(j, t);
	jw_u64(j, "succeeded", result_succeeded(res, d->plan));
	json_thresholds(j, d);
	jw_obj_begin(j, "connections_stats");
	jw_u64(j, "opened", t->connects);
	jw_u64(j, "closed_by_server", t->closes_by_server);
	jw_u64(j, "unfinished_at_end", t->unfinished);
	jw_u64(j, "reconnects_backed_off", t->backoffs);
	jw_f64(j, "backoff_s", (double)t->backoff_ns / 1e9);
	jw_u64(j, "recv_buffer_exhausted", t->nobufs);
	jw_u64(j, "loop_wakeups", t->wakeups);
	jw_u64(j, "completions", t->completions);
	vocab_latency_of(j, "connect_ms", &t->connect);
	jw_obj_end(j);
	if (!d->plan)
		vocab_latency_of(j, "first_byte_ms", &t->first);
	if (d->tls) {
		jw_obj_begin(j, "tls");
		jw_str(j, "version", "1.2");
		jw_bool(j, "verified", !d->tls_insecure);
		jw_bool(j, "name_checked", !d->tls_insecure && !d->tls_no_name);
		jw_str(j, "trust",
		       d->tls_insecure ? "none"
		       : d->tls_cacert ? d->tls_cacert
				       : "system");
		jw_bool(j, "resumption", d->tls_resume);
		jw_u64(j, "handshakes", t->tls_handshakes);
		jw_u64(j, "resumed", t->tls_resumed);
		jw_f64(j, "resumed_pct",
		       t->tls_handshakes
			   ? 100.0 * (double)t->tls_resumed / (double)t->tls_handshakes
			   : 0.0);
		vocab_latency_of(j, "handshake_ms", &t->handshake);
		jw_obj_end(j);
	}
	json_server_memory(j, &res->mem);
	jw_bool(j, "timeline_truncated", res->timeline_truncated);
	jw_arr_begin(j, "timeline");
	for (unsigned i = 0; i < res->timeline_len; i++) {
		const struct tline_sec *sec = &res->timeline[i];
		jw_obj_begin(j, NULL);
		vocab_second(j, i, sec, res->open_loop, d->plan != NULL);
		if (d->plan) {
			const struct scn_shape *sh = &d->plan->shape;
			if (sh->nstages) {
				uint64_t at = (uint64_t)i * 1000000000ull + d->warmup_ns;
				unsigned k = stage_index(sh->stages, sh->nstages, at);
				jw_u64(j, "stage", k < sh->nstages ? k + 1 : sh->nstages);
				jw_f64(j, "stage_target", stage_value(sh->stages, sh->nstages, at));
			}
		}
		json_mem_row(j, &res->mem, (double)d->warmup_ns / 1e9 + i + 1);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_obj_begin(j, "client");
	jw_f64(j, "user_cpu_s", (double)res->user_ns / 1e9);
	jw_f64(j, "sys_cpu_s", (double)res->sys_ns / 1e9);
	jw_f64(j, "busiest_thread_cpu_s", (double)res->worker_cpu_max_ns / 1e9);
	jw_f64(j, "busy_poll_us", (double)d->busy_poll_ns / 1e3);
	jw_u64(j, "peak_rss_bytes", (uint64_t)res->max_rss_kib * 1024);
	jw_f64(j, "cpu_wait_pct", res->busiest_wait_pct);
	jw_f64(j, "cpu_steal_pct", res->busiest_steal_pct);
	jw_u64(j, "kept_awake_cpus", res->awake_cpus);
	jw_f64(j, "keep_awake_cpu_s", (double)res->awake_cpu_ns / 1e9);
	jw_fixed(j, "cpu_wait_mean_ms", (double)res->wait_mean_ns / 1e6, 6);
	if (!isnan(res->mem.client_start_bytes)) {
		jw_u64(j, "rss_start_bytes", (uint64_t)res->mem.client_start_bytes);
		jw_u64(j, "rss_end_bytes", (uint64_t)res->mem.client_end_bytes);
	}
	jw_bool(j, "io_uring_single_issuer", res->io.single_issuer);
	jw_bool(j, "io_uring_coop_taskrun", res->io.coop_taskrun);
	jw_bool(j, "io_uring_skip_success", res->io.skip_success);
	jw_bool(j, "io_uring_fixed_files", res->io.fixed_files);
	jw_bool(j, "io_uring_multishot_recv", res->io.multishot);
	jw_bool(j, "io_uring_recvmsg_timestamps", res->io.rx_stamps);
	jw_bool(j, "kernel_stamping_ready", res->io.stamping_ready);
	jw_obj_end(j);
	jw_obj_end(j);
}

struct doc {
	const struct rdesc *d;
	const struct result *res;
};

static int fill(FILE *f, const void *ctx)
{
	const struct doc *doc = ctx;
	struct jw j;
	jw_init(&j, f);
	json_body(&j, doc->d, doc->res);
	fputc('\n', f);
	return 0;
}

int rjson_write(const char *path, const struct rdesc *d, const struct result *res, char *why,
		size_t why_len)
{
	struct doc doc = {d, res};
	return out_write(path, fill, &doc, why, why_len);
}

struct unrun {
	const char *mode, *cmdline, *target, *reason;
	time_t started_at;
	const struct rshard *shard;
};

static int fill_unrun(FILE *f, const void *ctx)
{
	const struct unrun *u = ctx;
	struct jw j;
	jw_init(&j, f);
	vocab_doc_begin(&j, u->mode, u->cmdline, u->started_at);
	jw_str(&j, "url", u->target);
	vocab_shard(&j, u->shard);
	jw_u64(&j, "requests", 0);
	jw_obj_begin(&j, "not_run");
	jw_str(&j, "reason", u->reason);
	jw_obj_end(&j);
	jw_str(&j, "verdict", "FAIL");
	jw_obj_end(&j);
	fputc('\n', f);
	return 0;
}

int rjson_write_unrun(const char *path, const char *mode, const char *cmdline, const char *target,
		      time_t started_at, const char *reason, const struct rshard *shard, char *why,
		      size_t why_len)
{
	struct unrun u = {mode, cmdline, target, reason, started_at, shard};
	return out_write(path, fill_unrun, &u, why, why_len);
}
