/*
 * worker: the per-thread loop. Each iteration: expire timers, stamp and
 * queue the sends gathered since the last submit, submit everything and wait
 * in one io_uring_enter, then handle the whole batch of completions with one
 * CQ advance. Only the stop flag and the published counters cross threads.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/engine/backlog.h"
#include "core/engine/clock.h"
#include "core/engine/run.h"
#include "core/engine/worker.h"
#include "core/engine/xtcp.h"
#include "core/engine/xtls.h"

/* The loop's clock tick: a timeout SQE re-armed whenever it fires, so the
 * wait itself never arms a timer (that cost an hrtimer start and cancel per
 * wakeup). Timeouts, the end of the run and the stop flag are seen within a
 * tick; the request path never waits for it. */
#define TICK_NS	       (10 * 1000000ull)
#define TICK_USER_DATA UINT64_C(0xffffffffffffff00)
/* Lazy reaping (below) arms no tick, whose timeout would wake the thread
 * every 10 ms: a wait for the next arrival is cut at this instead, so the
 * stop flag and timeouts are still seen. */
#define LAZY_SLEEP_MAX_NS (100 * 1000000ull)
/* Give up when nothing succeeded for this long while connections fail. */
#define STALL_GIVE_UP_NS (10 * 1000000000ull)
/* Open loop: sleep until early_ns before the next arrival is due, then spin
 * to it. Timer wake-ups come late by a few µs on a busy core and ~50 µs on an
 * idle one (this VM), so the margin adapts: doubled when a wake-up lands
 * after the due time, shrunk by 1/64 when it lands before. It settles near
 * the upper end of the lateness actually seen; the spin costs only the rest. */
#define EARLY_MIN_NS (2 * 1000ull)
#define EARLY_MAX_NS (500 * 1000ull)
/* Lean pacing: most arrivals sent on one wake-up. Bounds the lookahead's
 * work and one submit's sends; with the default 2 ms window it binds only
 * above 32,000 req/s a thread. */
#define LEAN_BATCH_MAX 64u
/* At the end of the measured phase, in-flight requests get this long. */
#define DRAIN_MAX_NS (2 * 1000000000ull)

static void pin(struct worker *w)
{
	cpu_set_t allowed, one;
	int n = 0;
	w->cpu = -1;
	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0)
		return;
	/* The id-th allowed CPU, so taskset restrictions are honoured. */
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &allowed))
			continue;
		if ((unsigned)n++ == w->id % (unsigned)CPU_COUNT(&allowed)) {
			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			if (sched_setaffinity(0, sizeof(one), &one) == 0)
				w->cpu = cpu;
			return;
		}
	}
}

static int setup(struct worker *w)
{
	w->conns = calloc(w->nconns, sizeof(*w->conns));
	w->batch = calloc(w->nconns, sizeof(*w->batch));
	if (!w->conns || !w->batch) {
		w->setup_why = "allocating connections";
		return -ENOMEM;
	}
	for (unsigned i = 0; i < w->nconns; i++) {
		w->conns[i].idx = i;
		w->conns[i].fd = -1;
	}
	/* rows for the measured phase plus the drain; without -d, the maximum */
	uint64_t secs =
	    w->cfg->duration_ns ? w->cfg->duration_ns / 1000000000u + 4 : TLINE_MAX_SECONDS;
	if (tline_init(&w->tl, (unsigned)(secs < TLINE_MAX_SECONDS ? secs : TLINE_MAX_SECONDS),
		       0)) {
		w->setup_why = "allocating the timeline";
		return -ENOMEM;
	}
	if (ltl_init(&w->ltl, w->src->slots ? w->src->slots(w->cfg) : 1, w->tl.nrows,
		     w->cfg->rate > 0)) {
		w->setup_why = "allocating the per-label timeline";
		return -ENOMEM;
	}
	w->open_loop = w->cfg->rate > 0;
	w->stamps = w->cfg->stamps != CFG_STAMPS_AUTO	   ? w->cfg->stamps
		    : w->open_loop && !w->cfg->pacing_lean ? CFG_STAMPS_KERNEL
							   : CFG_STAMPS_RX;
	if (w->open_loop) {
		w->q_cap = w->cfg->max_queue;
		w->queue = calloc(w->q_cap, sizeof(*w->queue));
		w->idle = calloc(w->nconns, sizeof(*w->idle));
		if (!w->queue || !w->idle) {
			w->setup_why = "allocating the open-loop backlog";
			return -ENOMEM;
		}
	}
	if (w->src->setup) {
		int r = w->src->setup(w);
		if (r < 0)
			return r;
	}
	if (w->xp->setup) {
		int r = w->xp->setup(w);
		if (r < 0)
			return r;
	}
	stamp_errq_init(&w->errq);
	w->connect_q.duration_ns = w->cfg->connect_timeout_ns;
	w->request_q.duration_ns = w->cfg->timeout_ns;
	w->deadline_q.duration_ns = w->cfg->deadline_ns;
	w->deadline_first = w->cfg->deadline_ns <= w->cfg->timeout_ns;
	for (unsigned i = 0; i < CONN_BACKOFF_LEVELS; i++)
		w->backoff_q[i].duration_ns = CONN_BACKOFF_BASE_NS << i;
	int r = ring_init(&w->ring, w->nconns, &w->setup_why);
	if (w->stamps == CFG_STAMPS_USER)
		w->ring.feat.rx_stamps = false;
	/* Twins only where the spans agree (else one histogram copy in the
	 * middle of the run, at the first response): the cross-check timed in
	 * user space; the first byte, timed from the span's start, wherever a
	 * response is read whole (its first byte and its end are one read).
	 * Sources with their own response handler record the first byte per
	 * label. */
	w->user_twin = w->stamps == CFG_STAMPS_USER;
	w->first_twin = !w->src->response;
	return r;
}

/* Hand each of q's expired entries to on_expiry: its connection, the node
 * `at` bytes into it. */
static inline void expire(struct worker *w, struct tq *q, size_t at,
			  void (*on_expiry)(struct worker *, struct conn *))
{
	struct tq_node *n;
	while ((n = tq_expired(q, w->now_ns)) != NULL)
		on_expiry(w, (struct conn *)((char *)n - at));
}

/* The backoff queues that may hold connections (most runs: none), each
 * forgotten once found empty. */
static void expire_backoffs(struct worker *w)
{
	for (unsigned m = w->backoff_armed; m; m &= m - 1) {
		unsigned level = (unsigned)__builtin_ctz(m);
		expire(w, &w->backoff_q[level], offsetof(struct conn, tq), conn_on_timeout);
		if (!w->backoff_q[level].head)
			w->backoff_armed &= ~(1u << level);
	}
}

/* CLOCK_REALTIME - CLOCK_MONOTONIC now: the kernel stamps reads on the
 * former, the engine measures on the latter. Taken again every second, so a
 * clock slewed by NTP moves the stamps with it. */
static int64_t real_minus_mono(void)
{
	int64_t best = 0;
	uint64_t narrowest = UINT64_MAX;
	/* the narrowest of three brackets: an interrupt between the reads
	 * would otherwise move every stamp by up to its length */
	for (int i = 0; i < 3; i++) {
		struct timespec r;
		uint64_t a = clock_now_ns();
		clock_gettime(CLOCK_REALTIME, &r);
		uint64_t b = clock_now_ns();
		if (b - a < narrowest) {
			narrowest = b - a;
			best =
			    (int64_t)r.tv_sec * 1000000000 + r.tv_nsec - (int64_t)(a + (b - a) / 2);
		}
	}
	return best;
}

static void publish(struct worker *w)
{
	w->real_minus_mono_ns = real_minus_mono();
	atomic_store_explicit(&w->pub.responses, w->tally.responses, memory_order_relaxed);
	atomic_store_explicit(&w->pub.errors, tally_error_total(&w->tally), memory_order_relaxed);
	atomic_store_explicit(&w->pub.scheduled, w->tally.scheduled, memory_order_relaxed);
	atomic_store_explicit(&w->pub.on_time, w->tally.on_time, memory_order_relaxed);
	atomic_store_explicit(&w->pub.dropped, w->tally.dropped, memory_order_relaxed);
	if (w->src->running) {
		unsigned users = w->src->running(w);
		/* the second that just ended: published below as final */
		struct tline_row *r = tline_at(&w->tl, w->now_ns - 1);
		atomic_store_explicit(&w->pub.users, users, memory_order_relaxed);
		if (r && users > r->users)
			r->users = users;
	}
	w->next_pub_ns = w->now_ns + 1000000000ull;
	/* at each second of the timeline, so the progress line shows each
	 * second as soon as every worker is past it */
	if (w->now_ns >= w->tl.origin_ns) {
		uint64_t done = (w->now_ns - w->tl.origin_ns) / 1000000000ull;
		atomic_store_explicit(&w->pub.secs_done,
				      (uint32_t)(done < UINT32_MAX ? done : UINT32_MAX - 1),
				      memory_order_release);
		w->next_pub_ns = w->tl.origin_ns + (done + 1) * 1000000000ull;
	} else if (w->next_pub_ns > w->tl.origin_ns) {
		w->next_pub_ns = w->tl.origin_ns;
	}
}

/* Decide whether to stop issuing or stop altogether. Returns false to exit. */
static bool keep_running(struct worker *w)
{
	if (run_stop_requested()) {
		w->tally.unfinished += w->in_flight;
		return false;
	}
	if (w->issuing && w->now_ns >= w->stop_issuing_ns)
		w->issuing = false;
	if (w->issuing && w->now_ns - w->last_progress_ns > STALL_GIVE_UP_NS &&
	    w->now_ns > w->record_from_ns) {
		w->gave_up = "no connection or response succeeded for 10 s";
		w->issuing = false;
	}
	if (!w->issuing) {
		if (w->drain_until_ns == UINT64_MAX) {
			uint64_t d =
			    w->cfg->timeout_ns < DRAIN_MAX_NS ? w->cfg->timeout_ns : DRAIN_MAX_NS;
			w->drain_until_ns = w->now_ns + d;
			if (w->src->wind_down)
				w->src->wind_down(w); /* e.g. MCP sessions end with a DELETE */
		}
		if (w->in_flight == 0)
			return false;
		if (w->now_ns >= w->drain_until_ns) {
			w->tally.unfinished += w->in_flight;
			return false;
		}
	}
	return true;
}

static void arm_tick(struct worker *w)
{
	static const struct __kernel_timespec tick = {.tv_sec = 0, .tv_nsec = (long long)TICK_NS};
	struct io_uring_sqe *sqe = ring_sqe(&w->ring);
	if (!sqe)
		return; /* tried again next iteration */
	io_uring_prep_timeout(sqe, (struct __kernel_timespec *)&tick, 0, 0);
	io_uring_sqe_set_data64(sqe, TICK_USER_DATA);
	w->tick_armed = true;
}

/* One completion: ours (a tick, a connection's operation) or liburing's. */
static void on_cqe(struct worker *w, const struct io_uring_cqe *cqe)
{
	uint64_t ud = cqe->user_data;
	uint32_t idx = (uint32_t)(ud >> 8) & 0xffffff;
	/* liburing's own timeout SQE (kernels without EXT_ARG) is not ours */
	if (ud == TICK_USER_DATA) {
		w->tick_armed = false;
		return;
	}
	if (ud == LIBURING_UDATA_TIMEOUT || idx >= w->nconns)
		return;
	struct conn *c = &w->conns[idx];
	if ((uint32_t)(ud >> 32) != c->gen) {
		/* Stale: the connection was closed since. Its buffer, if it
		 * took one, still goes back to the ring. */
		if (cqe->flags & IORING_CQE_F_BUFFER)
			ring_return_buf(&w->ring, cqe->flags >> IORING_CQE_BUFFER_SHIFT);
		return;
	}
	conn_on_cqe(w, c, (enum conn_op)(ud & 0xff), cqe->res, cqe->flags);
}

/* Every completion ready, a batch at a time: the tail is read once a batch
 * (liburing's io_uring_for_each_cqe reads it, and works out the entry size,
 * for every entry); the ring has 16-byte entries (no CQE32). Completions
 * posted while a batch is handled (a ring without deferred task work) are
 * the next batch's. */
static void handle_cqes(struct worker *w)
{
	struct io_uring_cq *cq = &w->ring.uring.cq;
	unsigned head = *cq->khead, tail, seen = 0;

	while (head != (tail = io_uring_smp_load_acquire(cq->ktail))) {
		for (; head != tail; head++, seen++)
			on_cqe(w, &cq->cqes[head & cq->ring_mask]);
		io_uring_smp_store_release(cq->khead, head);
	}
	w->tally.completions += seen;
}

/*
 * Before sleeping with requests in flight, poll for completions a little
 * (--busy-poll). A sleeping client makes the server pay for waking it on
 * every response (a cross-CPU wakeup from its softirq): on a 2-vCPU VM that
 * cost nginx 20 % of its throughput, which a load tool must not do to the
 * server it measures. Each poll is an io_uring_enter that runs deferred
 * completions without blocking.
 */
static void busy_poll(struct worker *w)
{
	uint64_t until;
	if (!w->cfg->busy_poll_ns || !w->in_flight)
		return;
	io_uring_submit(&w->ring.uring);
	until = clock_now_ns() + w->cfg->busy_poll_ns;
	while (!io_uring_cq_ready(&w->ring.uring) && clock_now_ns() < until)
		io_uring_enter(w->ring.uring.ring_fd, 0, 0, IORING_ENTER_GETEVENTS, NULL);
}

/* Run deferred completions without blocking (connects included: with
 * DEFER_TASKRUN nothing completes until the ring is entered for events). */
static void get_events(struct worker *w)
{
	io_uring_enter(w->ring.uring.ring_fd, 0, 0, IORING_ENTER_GETEVENTS, NULL);
}

/* Spin until the clock reaches t, taking completions as they come so that
 * responses are not observed late. */
static void spin_until(struct worker *w, uint64_t t)
{
	uint64_t start = clock_now_ns(), now = start;
	while (now < t && !io_uring_cq_ready(&w->ring.uring)) {
		get_events(w);
		now = clock_now_ns();
	}
	w->spin_ns += now - start;
}

/* Closed loop with a source that keeps timers (users thinking, users due
 * to start): wait for a completion or until the source is due. */
static int wait_for_source(struct worker *w)
{
	struct io_uring *u = &w->ring.uring;
	struct io_uring_cqe *cqe;
	uint64_t due = w->src->next_due_ns(w), now = clock_now_ns();
	if (due <= now) {
		int ret = io_uring_submit(u);
		get_events(w);
		return ret;
	}
	busy_poll(w);
	if (due == UINT64_MAX || io_uring_cq_ready(u))
		return ring_submit_and_wait(&w->ring, 1);
	uint64_t d = due - now;
	struct __kernel_timespec ts = {.tv_sec = (long long)(d / 1000000000u),
				       .tv_nsec = (long long)(d % 1000000000u)};
	int ret = io_uring_submit_and_wait_timeout(u, &cqe, 1, &ts, NULL);
	return ret == -ETIME ? 0 : ret;
}

/*
 * Lazy reaping: with the kernel stamping each response's arrival, the time a
 * response is reaped no longer enters its latency, so an open-loop worker
 * waiting for its next arrival need not wake for responses: it asks for more
 * completions than can come, and with DEFER_TASKRUN the kernel does not wake
 * it until the timeout (one wake-up per request at low rates). It waits for
 * one when an arrival is waiting for a connection that a response frees,
 * and for a source whose responses start more work (a user's next step).
 */
static unsigned lazy_wait_nr(const struct worker *w)
{
	if (!w->src->one_shot || !w->ring.feat.rx_stamps || !w->ring.feat.single_issuer || w->q_len)
		return 1;
	/* more than the responses (a few reads each) and the 10 ms tick can
	 * bring before the timeout, which therefore comes first */
	return 4 * w->in_flight + 8;
}

/*
 * Lean pacing's batches: a wake-up costs the client more than a request's own
 * work (a VM's timer, context switches and idle exit: ~19 µs here against
 * ~15 µs, docs/perf.md 22), so the next arrival waits for those due within
 * the window after it, up to LEAN_BATCH_MAX, and they leave together when the
 * last is due. Late, never early: each one's lateness is its send lag and is
 * in its corrected latency. An arrival with none due in its window leaves at
 * its own time. Looked ahead (a step of a copy of the schedule each) once a
 * batch.
 */
static uint64_t lean_leave_ns(struct worker *w)
{
	uint64_t first = w->sched.next_ns;
	if (first != w->lean_first_ns) {
		/* arrivals past the end of issuing or the request budget never
		 * leave: the batch does not wait for them */
		uint64_t room = w->budget ? w->budget - w->issued : LEAN_BATCH_MAX;
		w->lean_first_ns = first;
		w->lean_leave_ns =
		    sched_batch_end(&w->sched, w->cfg->pacing_window_ns, w->stop_issuing_ns,
				    room < LEAN_BATCH_MAX ? room : LEAN_BATCH_MAX);
	}
	return w->lean_leave_ns;
}

/*
 * Submit what is queued and wait for a completion; in open loop also for the
 * next arrival: sleep until EARLY_WAKE_NS before it, then spin to it.
 * Returns io_uring's result (negative errno or count).
 */
static int wait_for_work(struct worker *w)
{
	struct io_uring *u = &w->ring.uring;
	if (!w->open_loop && w->issuing && w->src->next_due_ns)
		return wait_for_source(w);
	if (!w->open_loop || !w->issuing) {
		busy_poll(w);
		return ring_submit_and_wait(&w->ring, 1);
	}
	uint64_t due = w->cfg->pacing_window_ns ? lean_leave_ns(w) : w->sched.next_ns;
	uint64_t now = clock_now_ns();
	if (due <= now + w->early_ns) {
		int ret = io_uring_submit(u);
		if (due > now && !w->cfg->pacing_lean)
			spin_until(w, due);
		else
			get_events(w); /* behind schedule: no waiting at all */
		return ret;
	}
	uint64_t d = due - now - w->early_ns;
	unsigned nr = lazy_wait_nr(w);
	bool capped = nr > 1 && d > LAZY_SLEEP_MAX_NS; /* no tick is armed: wake anyway */
	if (capped)
		d = LAZY_SLEEP_MAX_NS;
	struct __kernel_timespec ts = {.tv_sec = (long long)(d / 1000000000u),
				       .tv_nsec = (long long)(d % 1000000000u)};
	struct io_uring_cqe *cqe;
	int ret = io_uring_submit_and_wait_timeout(u, &cqe, nr, &ts, NULL);
	if (ret == -ETIME && (w->cfg->pacing_lean || capped))
		return 0; /* lean: whatever the timer's lateness, no spin */
	if (ret == -ETIME) {
		if (clock_now_ns() > due)
			w->early_ns =
			    w->early_ns * 2 < EARLY_MAX_NS ? w->early_ns * 2 : EARLY_MAX_NS;
		else if (w->early_ns > EARLY_MIN_NS)
			w->early_ns -= w->early_ns / 64;
		spin_until(w, due);
	}
	return ret == -ETIME ? 0 : ret;
}

static void loop(struct worker *w)
{
	w->now_ns = clock_now_ns();
	for (;;) {
		expire(w, &w->connect_q, offsetof(struct conn, tq), conn_on_timeout);
		expire(w, &w->request_q, offsetof(struct conn, tq), conn_on_request_expiry);
		expire(w, &w->deadline_q, offsetof(struct conn, dl), conn_on_deadline);
		expire_backoffs(w);
		if (w->src->tick)
			w->src->tick(w);
		if (w->now_ns >= w->next_pub_ns)
			publish(w);
		if (w->open_loop)
			backlog_release_due(w);
		if (!keep_running(w))
			break;
		if (!w->tick_armed && !(w->open_loop && w->issuing && lazy_wait_nr(w) > 1))
			arm_tick(w);
		conn_flush_sends(w, clock_now_ns());
		ring_publish_bufs(&w->ring);
		int ret = wait_for_work(w);
		w->tally.wakeups++;
		if (ret < 0 && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY && ret != -ETIME) {
			w->gave_up = "io_uring_enter failed";
			w->tally.unfinished += w->in_flight;
			break;
		}
		w->now_ns = clock_now_ns();
		handle_cqes(w);
		/* the timers and the loop's checks run on the time the
		 * completions were reaped (late by their handling, which no
		 * timeout notices); the open loop's arrivals on a fresh one */
		if (w->open_loop)
			w->now_ns = clock_now_ns();
	}
	w->end_ns = clock_now_ns();
	ltl_finish(&w->ltl);
	/* connects still pending are attempts too: unfinished, not dropped */
	for (unsigned i = 0; i < w->nconns && w->now_ns >= w->record_from_ns; i++)
		w->tally.unfinished += w->conns[i].state == CONN_CONNECTING;
	if (w->open_loop)
		backlog_count_unsent(w);
	const struct hist *span = worker_span_hist(w);
	hist_twin_settle(&w->tally.service_user, &w->user_twin, span);
	hist_twin_settle(&w->tally.first, &w->first_twin, span);
}

static void start_phase(struct worker *w, uint64_t t0_ns)
{
	const struct cfg *cfg = w->cfg;
	w->now_ns = t0_ns;
	w->real_minus_mono_ns = real_minus_mono();
	w->record_from_ns = t0_ns + cfg->warmup_ns;
	w->stop_issuing_ns = cfg->duration_ns ? w->record_from_ns + cfg->duration_ns : UINT64_MAX;
	w->tl.origin_ns = w->record_from_ns;
	w->ltl.origin_ns = w->record_from_ns;
	w->ltl.sec_from_ns = w->record_from_ns;
	w->drain_until_ns = UINT64_MAX;
	w->last_progress_ns = t0_ns;
	w->next_pub_ns = t0_ns + 1000000000ull;
	w->issuing = true;
	w->early_ns = cfg->pacing_lean ? 0 : 20 * 1000ull;
	w->lean_first_ns = 0; /* no batch looked ahead yet */
	if (w->open_loop && cfg->nstages) {
		sched_init_stages(&w->sched, cfg->stages, cfg->nstages, cfg->threads, w->id, t0_ns);
	} else if (w->open_loop) {
		/* Workers take turns: worker i's arrivals are offset by i gaps of
		 * the total rate, so together they form one even schedule. */
		double total_gap = 1e9 / cfg->rate;
		sched_init(&w->sched, cfg->rate / cfg->threads, cfg->poisson,
			   cfg->seed + 0x9e3779b97f4a7c15ull * (w->id + 1),
			   t0_ns + (uint64_t)(total_gap * w->id));
	}
	w->src->start(w, t0_ns);
}

/* How long this thread waited for a CPU while it was runnable (the
 * scheduler's run delay) and how many times it was scheduled in; zeros
 * where the kernel does not say. */
static void run_delay(uint64_t *wait_ns, uint64_t *slices)
{
	unsigned long long on = 0, wait = 0, n = 0;
	FILE *f = fopen("/proc/thread-self/schedstat", "r");
	*wait_ns = *slices = 0;
	if (!f)
		return;
	if (fscanf(f, "%llu %llu %llu", &on, &wait, &n) == 3) {
		*wait_ns = wait;
		*slices = n;
	}
	fclose(f);
}

static void teardown(struct worker *w)
{
	struct rusage ru;
	w->feat = w->ring.feat;
	w->cpu_ns = clock_thread_cpu_ns();
	run_delay(&w->wait_ns, &w->wait_slices);
	if (getrusage(RUSAGE_THREAD, &ru) == 0) {
		w->user_ns = (uint64_t)ru.ru_utime.tv_sec * 1000000000u +
			     (uint64_t)ru.ru_utime.tv_usec * 1000u;
		w->sys_ns = (uint64_t)ru.ru_stime.tv_sec * 1000000000u +
			    (uint64_t)ru.ru_stime.tv_usec * 1000u;
	}
	for (unsigned i = 0; w->conns && i < w->nconns; i++) {
		if (w->conns[i].fd >= 0)
			close(w->conns[i].fd);
	}
	ring_exit(&w->ring); /* no receive writes into a transport's buffers after this */
	if (w->xp->teardown)
		w->xp->teardown(w);
	if (w->src->teardown)
		w->src->teardown(w);
	free(w->conns);
	free(w->batch);
	free(w->queue);
	free(w->idle);
	w->queue = NULL;
	w->idle = NULL;
	w->conns = NULL;
	w->batch = NULL;
}

void *worker_main(void *arg)
{
	struct worker *w = arg;
	pin(w);
	/* Timer wake-ups exactly when asked, not up to 50 µs later. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	w->xp = w->cfg->tls ? &xtls_ops : &xport_tcp;
	w->src = w->cfg->src;
	w->setup_err = setup(w);
	pthread_mutex_lock(&w->gate->lock);
	w->gate->ready++;
	pthread_cond_broadcast(&w->gate->cond);
	while (!w->gate->open)
		pthread_cond_wait(&w->gate->cond, &w->gate->lock);
	pthread_mutex_unlock(&w->gate->lock);
	if (w->setup_err == 0 && !run_stop_requested()) {
		start_phase(w, clock_now_ns());
		loop(w);
		publish(w);
	}
	atomic_store_explicit(&w->pub.secs_done, UINT32_MAX, memory_order_release);
	teardown(w);
	atomic_store_explicit(&w->finished, true, memory_order_release);
	return NULL;
}
