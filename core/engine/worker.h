/*
 * worker: one pinned thread with its own io_uring, connections, receive
 * buffers and tally. Nothing on the request path is shared with other
 * threads; the reporter reads a few published counters once a second.
 */
#ifndef MCPL_CORE_ENGINE_WORKER_H
#define MCPL_CORE_ENGINE_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/engine/cfg.h"
#include "core/engine/ring.h"
#include "core/engine/sched.h"
#include "core/users/theap.h"
#include "core/engine/tq.h"
#include "core/users/vu.h"
#include "core/engine/xport.h"
#include "protocol/h1p.h"
#include "scenarios/plan.h"
#include "stats/check.h"
#include "stats/tally.h"
#include "stats/tline.h"

/* Pause after a failed connect before the next attempt: a refused port
 * would otherwise be retried in a tight loop. */
#define CONN_RETRY_DELAY_NS (100 * 1000000ull)

enum conn_state {
	CONN_CLOSED,	 /* no socket */
	CONN_CONNECTING, /* connect submitted (on connect_q) */
	CONN_IDLE,	 /* open, no request in flight */
	CONN_BUSY,	 /* request in flight (on request_q once sent) */
	CONN_RETRY,	 /* waiting before the next connect attempt (on retry_q) */
};

/* Operation in the low byte of user_data; index and generation above it. */
enum conn_op { OP_CONNECT = 1, OP_SEND, OP_RECV };

struct conn {
	struct tq_node tq; /* on at most one queue, by state */
	uint32_t idx;	   /* position in worker->conns and the file table */
	uint32_t gen;	   /* bumped on close: older completions are stale */
	int fd;
	uint8_t state;	      /* enum conn_state */
	bool recv_armed;      /* a recv is outstanding */
	bool counted;	      /* the request in flight is in the measured phase */
	bool queued;	      /* in the send batch of this loop iteration */
	bool arrival;	      /* open loop: this request applies an arrival (the first
				 step of a scenario iteration; every plain request) */
	uint32_t send_off;    /* bytes of the request already sent */
	uint64_t sent_ns;     /* when the request was submitted */
	uint64_t first_ns;    /* when the response's first byte arrived */
	uint64_t intended_ns; /* open loop: when it was due */
	bool in_idle;	      /* open loop: has an entry in worker->idle */
	uint64_t resp_bytes;  /* bytes of the current response so far */
	const char *req;      /* the request being sent (cfg's, or the user's) */
	uint32_t req_len;
	struct h1p parser;
};

/* Workers check in here after setup and wait until the orchestrator opens
 * it, so all start together and a failed setup is known before any load. */
struct start_gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned ready; /* workers that finished setup */
	bool open;
};

/* Published once a second for the progress line (relaxed atomics). */
struct worker_pub {
	_Atomic uint64_t responses;
	_Atomic uint64_t errors;
	_Atomic uint64_t p99_ns;    /* of the last second, this worker */
	_Atomic uint64_t scheduled; /* open loop, cumulative */
	_Atomic uint64_t on_time;
	_Atomic uint64_t dropped;
	_Atomic uint64_t users; /* scenarios: users running */
};

/* Values a worker gathers for one post-run check. */
struct worker_recs {
	struct check_rec *recs; /* cap entries, mapped lazily */
	size_t len, cap;
	uint64_t unreadable, overflow;
};

struct worker {
	unsigned id;
	int cpu; /* pinned to this CPU, -1 if pinning failed */
	const struct cfg *cfg;
	const struct xport_ops *xp;
	struct ring ring;
	struct ring_feat feat; /* what the ring had, kept after teardown */
	struct conn *conns;
	unsigned nconns;
	struct tq connect_q, request_q, retry_q;
	struct conn **batch; /* sends queued in this loop iteration */
	unsigned batch_len;

	uint64_t now_ns;	  /* time the current completions were reaped */
	uint64_t record_from_ns;  /* end of warmup */
	uint64_t stop_issuing_ns; /* end of the measured phase */
	uint64_t drain_until_ns;  /* give in-flight requests until then */
	uint64_t end_ns;	  /* when the loop ended */
	uint64_t last_progress_ns;
	uint64_t budget; /* -n share; 0 = none */
	uint64_t issued; /* measured requests sent */
	unsigned in_flight;
	bool open_loop;
	struct sched sched; /* open loop: this worker's arrivals */
	uint64_t *queue;    /* open loop: intended times waiting for a connection */
	unsigned q_head, q_len, q_cap;
	struct conn **idle; /* open loop: connections ready for the next arrival */
	unsigned idle_len;
	uint64_t spin_ns;  /* time spent spinning for precision, not load */
	uint64_t early_ns; /* open loop: wake this long before an arrival */
	bool issuing;
	bool tick_armed;     /* the loop's periodic timeout is outstanding */
	const char *gave_up; /* why the worker stopped early, or NULL */

	/* scenarios (vu.c); plan is NULL for plain `mcpload http` */
	const struct plan *plan;
	struct vu *vus;
	void *arena; /* the users' buffers */
	size_t arena_len;
	struct theap heap;   /* think times */
	struct tally *slots; /* per label (and split value), plan->nslots */
	struct worker_recs recs[PLAN_MAX_CHECKS];
	uint64_t t0_ns;		 /* start of the load shape */
	unsigned vu_target;	 /* users [0, vu_target) of this worker should run */
	unsigned vu_live;	 /* users active or thinking (kept, not counted per call) */
	unsigned vu_done;	 /* users that ran all their iterations */
	uint64_t shape_next_ns;	 /* when to look at the shape again */
	uint64_t all_started_ns; /* when all of its users were first running, or 0 */
	uint64_t seq, rng;	 /* {{seq}} counter and PRNG state */

	struct tally tally;
	struct tline tl;       /* per-second rows of the measured phase */
	struct hist *interval; /* last second's latencies (progress only) */
	uint64_t next_pub_ns;
	struct worker_pub pub;

	uint64_t cpu_ns; /* thread CPU time of the whole run */
	uint64_t user_ns, sys_ns;
	int setup_err; /* -errno when setup failed */
	const char *setup_why;
	_Atomic bool finished; /* set last by the worker thread */
	pthread_t thread;
	struct start_gate *gate; /* shared with the orchestrator */
};

/* Thread entry: set up, wait at w->gate, run, tear down. */
void *worker_main(void *arg);

/* --- connection state machine (conn.c), called by the loop --- */
void conn_open(struct worker *w, struct conn *c);
void conn_ready(struct worker *w, struct conn *c);
void conn_on_cqe(struct worker *w, struct conn *c, enum conn_op op, int res, unsigned flags);
void conn_on_data(struct worker *w, struct conn *c, const char *p, size_t n);
void conn_on_timeout(struct worker *w, struct conn *c);
void conn_flush_sends(struct worker *w, uint64_t now_ns);
void conn_release_due(struct worker *w);
void conn_count_unsent(struct worker *w);
void conn_close(struct worker *w, struct conn *c);
/* Scenario users: put the request in c->req on the idle connection c (sent
 * at the next flush); give a freed connection its next request. */
void conn_start_request(struct worker *w, struct conn *c, uint64_t intended_ns);
void conn_issue(struct worker *w, struct conn *c);
bool conn_is_measured(const struct worker *w);

static inline uint64_t conn_user_data(const struct conn *c, enum conn_op op)
{
	return ((uint64_t)c->gen << 32) | ((uint64_t)c->idx << 8) | (uint64_t)op;
}

#endif
