/*
 * worker: one pinned thread with its own io_uring, connections, receive
 * buffers and tally. Nothing on the request path is shared with other
 * threads; the supervisor reads a few published counters. The request
 * source keeps its own per-worker state in src_state.
 */
#ifndef MCPL_CORE_ENGINE_WORKER_H
#define MCPL_CORE_ENGINE_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/engine/cfg.h"
#include "core/engine/conn.h"
#include "core/engine/ring.h"
#include "core/engine/sched.h"
#include "core/engine/src.h"
#include "core/engine/stamp.h"
#include "core/engine/tq.h"
#include "core/engine/xport.h"
#include "stats/tally.h"
#include "stats/ltl.h"
#include "stats/tline.h"

/* Workers check in here after setup and wait until the orchestrator opens
 * it, so all start together and a failed setup is known before any load. */
struct start_gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned ready; /* workers that finished setup */
	bool open;
};

/* Published once a second for the supervisor (relaxed atomics). */
struct worker_pub {
	_Atomic uint64_t responses;
	_Atomic uint64_t errors;
	_Atomic uint64_t scheduled; /* open loop, cumulative */
	_Atomic uint64_t on_time;
	_Atomic uint64_t dropped;
	_Atomic uint64_t users; /* the source's users running */
	/* Timeline rows below this are final (release store: a reader that
	 * loads it with acquire may read those rows); UINT32_MAX at the end. */
	_Atomic uint32_t secs_done;
};

struct worker;

/* When the data being handled arrived: the kernel's receive timestamp when
 * the socket gives one (the client's own wake-up delay left out), else the
 * time the completions were reaped. */
static inline uint64_t worker_arrived_ns(const struct worker *w);

struct worker {
	unsigned id;
	int cpu; /* pinned to this CPU, -1 if pinning failed */
	const struct cfg *cfg;
	const struct xport_ops *xp;
	void *xp_state;		   /* the transport's per-worker state (xp->setup) */
	const struct src_ops *src; /* cfg->src */
	void *src_state;	   /* the source's per-worker state (src->setup) */
	struct ring ring;
	struct ring_feat feat; /* what the ring had, kept after teardown */
	struct conn *conns;
	unsigned nconns;
	struct tq connect_q, request_q, deadline_q;
	struct tq backoff_q[CONN_BACKOFF_LEVELS]; /* CONN_BACKOFF_BASE_NS << level */
	unsigned backoff_armed;			  /* bit L: backoff_q[L] may hold a connection */
	struct conn **batch;			  /* sends queued in this loop iteration */
	unsigned batch_len;

	uint64_t now_ns; /* time the current completions were reaped */
	uint64_t rx_ns;	 /* the kernel's receive time of the data being handled, 0: none */
	int64_t real_minus_mono_ns; /* CLOCK_REALTIME - CLOCK_MONOTONIC, for the kernel's stamps */
	struct stamp_errq errq;	    /* the transmit stamps' read */
	uint64_t record_from_ns;    /* end of warmup */
	uint64_t stop_issuing_ns;   /* end of the measured phase */
	uint64_t drain_until_ns;    /* give in-flight requests until then */
	uint64_t end_ns;	    /* when the loop ended */
	uint64_t last_progress_ns;
	uint64_t budget; /* share of the request count; 0 = none */
	uint64_t issued; /* measured requests sent */
	unsigned in_flight;
	bool deadline_first; /* --deadline <= --timeout: armed at every send */
	bool open_loop;
	unsigned char stamps; /* CFG_STAMPS_*: cfg's, with _AUTO resolved by the model */
	struct sched sched;   /* open loop: this worker's arrivals */
	uint64_t *queue;      /* open loop: intended times waiting for a connection */
	unsigned q_head, q_len, q_cap;
	struct conn **idle; /* open loop: connections ready for the next arrival */
	unsigned idle_len;
	uint64_t spin_ns;  /* time spent spinning for precision, not load */
	uint64_t early_ns; /* open loop: wake this long before an arrival */
	/* lean pacing: the next arrival's intended time and when it leaves
	 * (with those due within the window after it) */
	uint64_t lean_first_ns, lean_leave_ns;
	bool issuing;
	bool tick_armed;     /* the loop's periodic timeout is outstanding */
	const char *gave_up; /* why the worker stopped early, or NULL */

	struct tally tally;
	/* tally.service_user and tally.first are twins of the span's
	 * histogram (hist_record_twin) while these are true: timed in user
	 * space (first byte: sends timed in user space), responses read whole
	 * give the same values */
	bool user_twin, first_twin;
	struct tline tl; /* per-second rows of the measured phase */
	struct ltl ltl;	 /* per-second rows of each label */
	uint64_t next_pub_ns;
	struct worker_pub pub;

	uint64_t cpu_ns;      /* thread CPU time of the whole run */
	uint64_t wait_ns;     /* time runnable but waiting for a CPU (other work's) */
	uint64_t steal_ns;    /* the hypervisor's steal on its CPU during the run (run.c) */
	uint64_t wait_slices; /* times it was scheduled in: wait_ns over them is a wake's delay */
	uint64_t user_ns, sys_ns;
	int setup_err; /* -errno when setup failed */
	const char *setup_why;
	_Atomic bool finished; /* set last by the worker thread */
	pthread_t thread;
	struct start_gate *gate; /* shared with the orchestrator */
};

/* Thread entry: set up, wait at w->gate, run, tear down. */
void *worker_main(void *arg);

/*
 * Put the request c->req (c->req_len bytes, valid until the response) on
 * the idle connection c, due at intended_ns (0 in the closed loop); it is
 * sent at the next flush. arrival: it applies an open-loop arrival (its
 * send lag is measured). Inline: the request sources call it once per
 * request from their own files.
 */
static inline void conn_start_request(struct worker *w, struct conn *c, uint64_t intended_ns,
				      bool arrival)
{
	h1p_reset(&c->parser, w->cfg->head_request);
	c->intended_ns = intended_ns;
	c->state = CONN_BUSY;
	c->send_off = 0;
	c->resp_bytes = 0;
	w->in_flight++;
	c->queued = true;
	c->arrival = arrival;
	w->batch[w->batch_len++] = c;
}

static inline uint64_t worker_arrived_ns(const struct worker *w)
{
	return w->rx_ns ? w->rx_ns : w->now_ns;
}

/* The histogram of the span from the send: the latency itself in the
 * closed model, the uncorrected latency in the open one (what the twins of
 * hist_record_twin mirror). */
static inline struct hist *worker_span_hist(struct worker *w)
{
	return w->open_loop ? &w->tally.service : &w->tally.latency;
}

#endif
