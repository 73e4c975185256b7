/*
 * run: starts one pinned worker per thread behind a start gate, prints the
 * live progress line while they run (stderr, terminals only), joins them and
 * merges their tallies. A signal only sets the stop flag; workers notice it
 * within 100 ms and the result keeps everything measured until then.
 */
#include "core/engine/run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/engine/clock.h"
#include "core/engine/worker.h"
#include "scenarios/stage.h"

static _Atomic int stop_flag;

bool run_stop_requested(void)
{
	return atomic_load_explicit(&stop_flag, memory_order_relaxed) != 0;
}

void run_request_stop(void)
{
	atomic_store_explicit(&stop_flag, 1, memory_order_relaxed);
}

static void on_signal(int sig)
{
	(void)sig;
	run_request_stop();
}

void run_install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int run_preflight(const struct cfg *cfg)
{
	int fd = socket(cfg->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int err = 0;
	socklen_t len = sizeof(err);
	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)&cfg->addr, cfg->addr_len) < 0) {
		if (errno != EINPROGRESS) {
			err = errno;
			goto out_close;
		}
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		int r = poll(&p, 1, (int)(cfg->connect_timeout_ns / 1000000u));
		if (r == 0) {
			err = ETIMEDOUT;
			goto out_close;
		}
		if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
	}
out_close:
	close(fd);
	return -err;
}

/* Cumulative counters at the previous progress line. */
struct progress {
	uint64_t responses, scheduled, on_time, dropped;
};

static void progress_line(struct worker *ws, unsigned n, uint64_t t0_ns, struct progress *last)
{
	struct progress now = {0, 0, 0, 0};
	uint64_t errs = 0, p99 = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t p = atomic_load_explicit(&ws[i].pub.p99_ns, memory_order_relaxed);
		now.responses += atomic_load_explicit(&ws[i].pub.responses, memory_order_relaxed);
		now.scheduled += atomic_load_explicit(&ws[i].pub.scheduled, memory_order_relaxed);
		now.on_time += atomic_load_explicit(&ws[i].pub.on_time, memory_order_relaxed);
		now.dropped += atomic_load_explicit(&ws[i].pub.dropped, memory_order_relaxed);
		errs += atomic_load_explicit(&ws[i].pub.errors, memory_order_relaxed);
		if (p > p99)
			p99 = p;
	}
	/* p99 here is the highest of the threads' own last-second p99s: an
	 * upper bound, exact with one thread. The summary's figures are exact. */
	fprintf(stderr, "\r\033[K[%5.1fs] %10.0f req/s   p99 %9.3f ms   errors %llu",
		(double)(clock_now_ns() - t0_ns) / 1e9, (double)(now.responses - last->responses),
		(double)p99 / 1e6, (unsigned long long)errs);
	if (ws[0].plan) {
		uint64_t users = 0;
		for (unsigned i = 0; i < n; i++)
			users += atomic_load_explicit(&ws[i].pub.users, memory_order_relaxed);
		fprintf(stderr, "   users %llu", (unsigned long long)users);
		if (ws[0].plan->shape.nstages) {
			const struct scn_shape *sh = &ws[0].plan->shape;
			unsigned k = stage_index(sh->stages, sh->nstages, clock_now_ns() - t0_ns);
			fprintf(stderr, "   stage %u/%u", k < sh->nstages ? k + 1 : sh->nstages,
				sh->nstages);
		}
	}
	if (ws[0].open_loop) {
		uint64_t sched = now.scheduled - last->scheduled;
		fprintf(stderr, "   on time %.2f%%   dropped %llu",
			sched ? 100.0 * (double)(now.on_time - last->on_time) / (double)sched
			      : 100.0,
			(unsigned long long)(now.dropped - last->dropped));
	}
	*last = now;
}

static bool all_finished(struct worker *ws, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (!atomic_load_explicit(&ws[i].finished, memory_order_acquire))
			return false;
	}
	return true;
}

/* Wait for the workers, printing progress once a second when asked to. */
static void supervise(const struct cfg *cfg, struct worker *ws, unsigned n, struct memwatch *mem)
{
	uint64_t t0 = clock_now_ns(), next = t0 + 1000000000ull;
	struct progress last = {0, 0, 0, 0};
	uint64_t secs = (cfg->warmup_ns + cfg->duration_ns) / 1000000000ull + 1;
	if (memwatch_start(mem, &cfg->mem, t0, cfg->warmup_ns, cfg->duration_ns ? secs : 3600) < 0)
		fprintf(stderr, "mcpload: note: no memory samples (out of memory)\n");
	while (!all_finished(ws, n)) {
		struct timespec ts = {0, 20 * 1000000};
		nanosleep(&ts, NULL);
		memwatch_tick(mem, clock_now_ns());
		if (cfg->progress && clock_now_ns() >= next) {
			progress_line(ws, n, t0, &last);
			next += 1000000000ull;
		}
	}
	memwatch_finish(mem, clock_now_ns());
	if (cfg->progress)
		fprintf(stderr, "\r\033[K");
}

/*
 * A measurement the client distorted must not pass as a server figure: the
 * run is inconclusive when the generator applied fewer than 99 % of the
 * scheduled requests on time: dispatched within 1 ms of their intended time
 * (to a connection or to the backlog) and sent at all; dropped arrivals and
 * those never sent are load that was not applied. Or when a worker was
 * busier than 90 %
 * (time spent spinning for precision excluded). Waiting for a free
 * connection is not the generator's lateness: it is the server's, and it is
 * in the corrected latency.
 */
static void check_generator(struct run_result *res)
{
	const struct tally *t = res->total;
	/* arrivals still in the backlog at the end were dispatched on time
	 * but never applied (tally.unsent_idle says how many of them had a
	 * free connection; the suite uses it to tell the server's queueing
	 * from the generator's) */
	double pct = tally_applied_pct(t);
	if (t->scheduled && pct < 99.0) {
		res->saturated = true;
		snprintf(
		    res->saturation, sizeof(res->saturation),
		    "only %.2f%% of %llu scheduled requests were applied on time (%llu dropped, "
		    "%llu never sent)",
		    pct, (unsigned long long)t->scheduled, (unsigned long long)t->dropped,
		    (unsigned long long)t->unsent);
	} else if (res->busiest_busy_pct > 90.0) {
		res->saturated = true;
		snprintf(res->saturation, sizeof(res->saturation),
			 "a worker thread was %.0f%% busy (limit 90%%)", res->busiest_busy_pct);
	}
}

static void merge_timelines(struct worker *ws, unsigned n, struct run_result *res)
{
	struct tline *parts = calloc(n, sizeof(*parts));
	if (!parts)
		return;
	for (unsigned i = 0; i < n; i++) {
		parts[i] = ws[i].tl;
		res->timeline_truncated |= ws[i].tl.truncated;
	}
	if (tline_merge(parts, n, &res->timeline, &res->timeline_len) < 0)
		res->timeline_len = 0;
	free(parts);
}

/* Gather every worker's values for each check and run it. */
static void run_checks(const struct plan *p, struct worker *ws, unsigned n, struct run_result *res)
{
	for (unsigned c = 0; c < p->scn->nchecks; c++) {
		struct check_result *out = &res->checks[c];
		size_t total = 0, at = 0;
		memset(out, 0, sizeof(*out));
		for (unsigned i = 0; i < n; i++) {
			total += ws[i].recs[c].len;
			out->unreadable += ws[i].recs[c].unreadable;
			out->overflow += ws[i].recs[c].overflow;
		}
		struct check_rec *all = malloc((total ? total : 1) * sizeof(*all));
		if (!all) {
			out->overflow += total; /* could not be checked: fails */
			total = 0;
		}
		for (unsigned i = 0; all && i < n; i++) {
			memcpy(all + at, ws[i].recs[c].recs, ws[i].recs[c].len * sizeof(*all));
			at += ws[i].recs[c].len;
		}
		check_run(&p->scn->checks[c], all, total, out);
		res->checks_failed |= !out->passed;
		free(all);
	}
	res->nchecks = p->scn->nchecks;
}

static void merge_scenario(struct worker *ws, unsigned n, struct run_result *res)
{
	const struct plan *p = ws[0].plan;
	res->slots = calloc(p->nslots, sizeof(*res->slots));
	if (res->slots) {
		res->nslots = p->nslots;
		for (unsigned i = 0; i < n; i++)
			for (unsigned s = 0; s < p->nslots; s++)
				tally_merge(&res->slots[s], &ws[i].slots[s]);
	}
	run_checks(p, ws, n, res);
	res->all_users_started_s = 0;
	for (unsigned i = 0; i < n; i++) {
		if (!ws[i].all_started_ns) {
			res->all_users_started_s = -1;
			break;
		}
		double s = (double)(ws[i].all_started_ns - ws[i].t0_ns) / 1e9;
		if (s > res->all_users_started_s)
			res->all_users_started_s = s;
	}
}

static void collect(struct worker *ws, unsigned n, struct run_result *res)
{
	struct rusage ru;
	uint64_t from = UINT64_MAX, to = 0;
	for (unsigned i = 0; i < n; i++) {
		struct worker *w = &ws[i];
		tally_merge(res->total, &w->tally);
		if (w->record_from_ns < from)
			from = w->record_from_ns;
		if (w->end_ns > to)
			to = w->end_ns;
		if (w->cpu_ns > res->worker_cpu_max_ns)
			res->worker_cpu_max_ns = w->cpu_ns;
		uint64_t ran = w->end_ns > w->record_from_ns - w->cfg->warmup_ns
				   ? w->end_ns - (w->record_from_ns - w->cfg->warmup_ns)
				   : 0;
		uint64_t busy = w->cpu_ns > w->spin_ns ? w->cpu_ns - w->spin_ns : 0;
		double pct = ran ? 100.0 * (double)busy / (double)ran : 0;
		if (pct > res->busiest_busy_pct)
			res->busiest_busy_pct = pct;
		if (w->gave_up && !res->gave_up)
			res->gave_up = w->gave_up;
	}
	res->elapsed_ns = to > from ? to - from : 0;
	res->feat = ws[0].feat;
	if (getrusage(RUSAGE_SELF, &ru) == 0) {
		res->user_ns = (uint64_t)ru.ru_utime.tv_sec * 1000000000u +
			       (uint64_t)ru.ru_utime.tv_usec * 1000u;
		res->sys_ns = (uint64_t)ru.ru_stime.tv_sec * 1000000000u +
			      (uint64_t)ru.ru_stime.tv_usec * 1000u;
		res->max_rss_kib = ru.ru_maxrss;
	}
	res->interrupted = run_stop_requested();
	res->open_loop = ws[0].open_loop;
	merge_timelines(ws, n, res);
	if (ws[0].plan)
		merge_scenario(ws, n, res);
	if (res->open_loop)
		check_generator(res);
}

int run_execute(const struct cfg *cfg, struct run_result *res, char *why_buf, size_t why_len)
{
	unsigned n = cfg->threads;
	struct worker *ws = calloc(n, sizeof(*ws));
	struct start_gate gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, false};
	sigset_t block, old;
	unsigned started = 0;
	int err = 0;

	memset(res, 0, sizeof(*res));
	res->total = calloc(1, sizeof(*res->total));
	if (!ws || !res->total) {
		free(ws);
		snprintf(why_buf, why_len, "out of memory");
		return -ENOMEM;
	}
	res->threads = n;
	res->started_at = time(NULL);
	/* Workers never take signals: the main thread handles them. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (unsigned i = 0; i < n; i++) {
		struct worker *w = &ws[i];
		w->id = i;
		w->cfg = cfg;
		w->gate = &gate;
		w->nconns = cfg->connections / n + (i < cfg->connections % n);
		if (cfg->requests)
			w->budget = cfg->requests / n + (i < cfg->requests % n);
		err = -pthread_create(&w->thread, NULL, worker_main, w);
		if (err) {
			snprintf(why_buf, why_len, "cannot start worker thread %u: %s", i,
				 strerror(-err));
			run_request_stop();
			break;
		}
		started++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_mutex_lock(&gate.lock);
	while (gate.ready < started)
		pthread_cond_wait(&gate.cond, &gate.lock);
	pthread_mutex_unlock(&gate.lock);
	for (unsigned i = 0; i < started; i++) {
		if (ws[i].setup_err && !err) {
			err = ws[i].setup_err;
			snprintf(why_buf, why_len, "worker %u: %s: %s", i, ws[i].setup_why,
				 strerror(-err));
			run_request_stop();
		}
	}
	pthread_mutex_lock(&gate.lock);
	gate.open = true;
	pthread_cond_broadcast(&gate.cond);
	pthread_mutex_unlock(&gate.lock);
	supervise(cfg, ws, started, &res->mem);
	for (unsigned i = 0; i < started; i++)
		pthread_join(ws[i].thread, NULL);
	if (!err)
		collect(ws, n, res);
	for (unsigned i = 0; i < n; i++) {
		tline_free(&ws[i].tl); /* kept past the threads for the merge */
		vu_free_results(&ws[i]);
	}
	free(ws);
	if (err)
		run_result_free(res);
	return err;
}

void run_result_free(struct run_result *res)
{
	free(res->total);
	free(res->timeline);
	free(res->slots);
	res->slots = NULL;
	memwatch_free(&res->mem);
	res->total = NULL;
	res->timeline = NULL;
}
