/*
 * run: starts one pinned worker per thread behind a start gate, supervises
 * them (the watcher's hooks every 20 ms), joins them and merges their
 * tallies, then the source's own results. A signal only sets the stop flag;
 * workers notice it within a loop tick and the result keeps everything
 * measured until then.
 */
#include "core/engine/run.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/engine/awake.h"
#include "core/engine/clock.h"
#include "core/engine/stamp.h"
#include "core/engine/steal.h"
#include "core/engine/worker.h"

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

static bool all_finished(struct worker *ws, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (!atomic_load_explicit(&ws[i].finished, memory_order_acquire))
			return false;
	}
	return true;
}

static void read_live(struct worker *ws, unsigned n, struct run_live *l)
{
	memset(l, 0, sizeof(*l));
	l->ws = ws;
	l->nworkers = n;
	l->secs_done = UINT32_MAX;
	for (unsigned i = 0; i < n; i++) {
		struct worker_pub *p = &ws[i].pub;
		uint32_t done = atomic_load_explicit(&p->secs_done, memory_order_acquire);
		if (done < l->secs_done)
			l->secs_done = done;
		l->responses += atomic_load_explicit(&p->responses, memory_order_relaxed);
		l->errors += atomic_load_explicit(&p->errors, memory_order_relaxed);
		l->scheduled += atomic_load_explicit(&p->scheduled, memory_order_relaxed);
		l->on_time += atomic_load_explicit(&p->on_time, memory_order_relaxed);
		l->dropped += atomic_load_explicit(&p->dropped, memory_order_relaxed);
		l->users += atomic_load_explicit(&p->users, memory_order_relaxed);
	}
}

bool run_live_second(const struct run_live *live, unsigned s, struct tline_row *scratch,
		     struct tline_sec *out)
{
	bool any = false;
	memset(scratch, 0, sizeof(*scratch));
	for (unsigned i = 0; i < live->nworkers; i++) {
		const struct tline *t = &live->ws[i].tl;
		if (s < t->nrows) {
			tline_row_add(scratch, &t->rows[s]);
			any = true;
		}
	}
	tline_row_sec(scratch, out);
	return any;
}

/* Wait for the workers, calling the watcher's hooks. */
static void supervise(const struct run_watch *wt, struct worker *ws, unsigned n)
{
	struct run_live live;
	if (wt && wt->start)
		wt->start(wt->ctx, clock_now_ns());
	while (!all_finished(ws, n)) {
		struct timespec ts = {0, 20 * 1000000};
		nanosleep(&ts, NULL);
		if (wt && wt->tick) {
			read_live(ws, n, &live);
			wt->tick(wt->ctx, clock_now_ns(), &live);
		}
	}
	if (wt && wt->end) {
		read_live(ws, n, &live);
		wt->end(wt->ctx, clock_now_ns(), &live);
	}
}

static void merge_timelines(struct worker *ws, unsigned n, struct result *res)
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
	struct ltl *lparts = calloc(n, sizeof(*lparts));
	if (!lparts)
		return;
	for (unsigned i = 0; i < n; i++)
		lparts[i] = ws[i].ltl;
	if (ltl_merge(lparts, n, &res->ltl) < 0)
		memset(&res->ltl, 0, sizeof(res->ltl)); /* no per-label timeline */
	free(lparts);
}

/* --keep-awake's spinners on the workers' CPUs (pinned by now). */
static int keep_awake(struct awake *a, const struct worker *ws, unsigned n, char *why, size_t wl)
{
	int cpus[AWAKE_MAX_CPUS];
	unsigned k = 0;
	for (unsigned i = 0; i < n && k < AWAKE_MAX_CPUS; i++)
		cpus[k++] = ws[i].cpu;
	int err = awake_start(a, cpus, k);
	if (err) {
		snprintf(why, wl, "--keep-awake: cannot start its threads: %s", strerror(-err));
		run_request_stop();
	}
	return err;
}

/* The process's CPU less the spinners': they are not the client's work
 * (pure spin: user time, any rest from system time). */
static void leave_out_spin(struct result *res)
{
	uint64_t spin = res->awake_cpu_ns;
	uint64_t from_user = spin < res->user_ns ? spin : res->user_ns;
	res->user_ns -= from_user;
	spin -= from_user;
	res->sys_ns -= spin < res->sys_ns ? spin : res->sys_ns;
}

/* Each worker's share of its CPU's steal between the two reads (none for
 * a worker not pinned). */
static void steal_spent(struct worker *ws, unsigned n, const uint64_t *before,
			const uint64_t *after, unsigned ncpu)
{
	for (unsigned i = 0; i < n; i++) {
		int cpu = ws[i].cpu;
		if (cpu >= 0 && (unsigned)cpu < ncpu && after[cpu] >= before[cpu])
			ws[i].steal_ns = after[cpu] - before[cpu];
	}
}

static void collect(struct worker *ws, unsigned n, struct result *res)
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
		double cpu = ran ? 100.0 * (double)w->cpu_ns / (double)ran : 0;
		/* the hypervisor's steal is a wait for a CPU the guest's
		 * scheduler does not see: counted with its run delay */
		double steal = ran ? 100.0 * (double)w->steal_ns / (double)ran : 0;
		double wait = ran ? 100.0 * (double)(w->wait_ns + w->steal_ns) / (double)ran : 0;
		if (pct > res->busiest_busy_pct)
			res->busiest_busy_pct = pct;
		if (cpu + wait > res->busiest_cpu_pct + res->busiest_wait_pct) {
			res->busiest_cpu_pct = cpu;
			res->busiest_wait_pct = wait;
			res->busiest_steal_pct = steal;
		}
		if (w->wait_slices && w->wait_ns / w->wait_slices > res->wait_mean_ns)
			res->wait_mean_ns = w->wait_ns / w->wait_slices;
		if (w->gave_up && !res->gave_up)
			res->gave_up = w->gave_up;
	}
	res->elapsed_ns = to > from ? to - from : 0;
	res->io = (struct result_io){ws[0].feat.single_issuer, ws[0].feat.coop_taskrun,
				     ws[0].feat.skip_success,  ws[0].feat.fixed_files,
				     ws[0].feat.multishot,     ws[0].feat.rx_stamps};
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
}

/* How long a run waits for the kernel to start stamping packets (its work
 * queue's thread, on a busy machine, waits for a CPU): far longer than it
 * takes, short beside a run. */
#define STAMP_HOLD_MAX_NS 500000000u

int run_execute(const struct cfg *cfg, const struct run_watch *watch, struct result *res,
		char *why_buf, size_t why_len)
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
	bool stamping = false;
	int held = cfg->stamps == CFG_STAMPS_USER ? -1 : stamp_hold(STAMP_HOLD_MAX_NS, &stamping);
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
	struct awake awake = {0};
	if (!err && cfg->keep_awake)
		err = keep_awake(&awake, ws, started, why_buf, why_len);
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	uint64_t *steal = ncpu > 0 ? calloc(2 * (size_t)ncpu, sizeof(*steal)) : NULL;
	if (steal)
		steal_read(steal, (unsigned)ncpu);
	pthread_mutex_lock(&gate.lock);
	gate.open = true;
	pthread_cond_broadcast(&gate.cond);
	pthread_mutex_unlock(&gate.lock);
	supervise(watch, ws, started);
	for (unsigned i = 0; i < started; i++)
		pthread_join(ws[i].thread, NULL);
	if (steal && steal_read(steal + ncpu, (unsigned)ncpu))
		steal_spent(ws, started, steal, steal + ncpu, (unsigned)ncpu);
	free(steal);
	res->awake_cpu_ns = awake_stop(&awake, &res->awake_cpus);
	if (!err) {
		collect(ws, n, res);
		leave_out_spin(res);
		res->io.stamping_ready = stamping;
	}
	if (cfg->src->collect)
		cfg->src->collect(ws, n, err ? NULL : res); /* or only released */
	if (!err)
		result_check_generator(res, cfg->on_time_pct);
	for (unsigned i = 0; i < n; i++) {
		tline_free(&ws[i].tl); /* kept past the threads for the merge */
		ltl_free(&ws[i].ltl);
	}
	free(ws);
	if (held >= 0)
		close(held);
	if (err)
		result_free(res);
	return err;
}
