/*
 * cfg: what the engine runs: where to connect, how many connections on how
 * many threads, for how long, closed or open loop, and the request source
 * that says what to send. Filled by the command layer, then read-only for
 * the whole run. Times in ns; counts are totals across all workers.
 */
#ifndef MCPL_CORE_ENGINE_CFG_H
#define MCPL_CORE_ENGINE_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "scenarios/scn.h"

struct src_ops;
struct tlsc;

struct cfg {
	struct sockaddr_storage addr; /* resolved once, before the run */
	socklen_t addr_len;

	unsigned connections;	     /* total, spread over threads */
	unsigned threads;	     /* workers, one per CPU */
	uint64_t duration_ns;	     /* measured phase; 0 with a request count alone */
	uint64_t warmup_ns;	     /* before the measured phase, not recorded */
	uint64_t requests;	     /* total requests to record; 0 = no limit */
	uint64_t timeout_ns;	     /* per request: no byte of the response for this long */
	uint64_t deadline_ns;	     /* per request: the whole of it, its connect included */
	uint64_t connect_timeout_ns; /* per connection attempt */
	uint64_t busy_poll_ns;	     /* poll this long before sleeping; 0 = never */
	bool keep_awake;	     /* a SCHED_IDLE spinner on each worker's CPU (awake.h) */

	double rate;	    /* open loop: arrivals per second, total; 0 = closed loop */
	bool poisson;	    /* exponential gaps instead of constant spacing */
	uint64_t seed;	    /* PRNG seed (Poisson arrivals, the source's draws) */
	unsigned max_queue; /* per worker: arrivals waiting for a connection */
	bool pacing_lean;   /* open loop: sleep to each due time, never spin */
	/* lean: arrivals due within this of the first one wait for the last of
	 * them and leave together (0: each at its own time; 0 unless lean) */
	uint64_t pacing_window_ns;
	/* whose clock ends and starts each latency: CFG_STAMPS_KERNEL (the
	 * kernel's receive and transmit stamps), _RX (receive only), _USER;
	 * _AUTO: KERNEL in the open model, RX in the closed one (a transmit
	 * stamp per response costs the client about a tenth of the throughput
	 * it can drive) and with lean pacing (whose point is the least client
	 * CPU: the stamp is a fifth of a lean request's) */
	unsigned char stamps;
	double on_time_pct; /* open loop: the self-check's bar (0: RESULT_ON_TIME_PCT) */
	/* open loop: the rate follows these stages instead (iterations/s) */
	const struct scn_stage *stages;
	unsigned nstages;

	bool head_request; /* responses carry no body (HEAD) */

	/* one shard of a run spread over machines: its users are numbered
	 * from user_base, and {{seq}} values are shard_index + shard_count * k
	 * (k as on one box), so no two shards share one; shard_count 0 or 1:
	 * the whole run */
	uint64_t user_base;
	unsigned shard_index, shard_count;

	const struct src_ops *src; /* what to send (fixed.h, core/users/vu.h) */
	const struct tlsc *tls;	   /* https: the TLS client's settings, else NULL */
	const void *src_arg;	   /* its argument: the fixed request, or the plan */
};

enum { CFG_STAMPS_AUTO, CFG_STAMPS_KERNEL, CFG_STAMPS_RX, CFG_STAMPS_USER };

#endif
