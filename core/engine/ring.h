/*
 * ring: one io_uring per worker, set up with the best features the running
 * kernel offers (probed, with fallbacks), plus the provided-buffer ring that
 * all of the worker's connections receive into.
 */
#ifndef MCPL_CORE_ENGINE_RING_H
#define MCPL_CORE_ENGINE_RING_H

#include <liburing.h>
#include <sys/socket.h>
#include <time.h>
#include <stdbool.h>
#include <stdint.h>

/* What the kernel gave us; reported in the summary and the JSON. */
struct ring_feat {
	bool single_issuer; /* IORING_SETUP_SINGLE_ISSUER + DEFER_TASKRUN (6.1) */
	bool coop_taskrun;  /* IORING_SETUP_COOP_TASKRUN (5.19) */
	bool skip_success;  /* IOSQE_CQE_SKIP_SUCCESS on sends (5.17) */
	bool fixed_files;   /* sockets in a registered file table */
	bool multishot;	    /* multishot recv (6.0); cleared at run time on -EINVAL */
	bool rx_stamps;	    /* multishot recvmsg with SO_TIMESTAMPNS: the kernel's receive
			       time of each read (6.0); cleared at run time on -EINVAL */
};

struct ring {
	struct io_uring uring;
	struct ring_feat feat;
	struct io_uring_buf_ring *br; /* provided buffers, group RING_BGID */
	char *bufs;		      /* buf_count * buf_size bytes */
	unsigned buf_size;	      /* bytes per buffer */
	unsigned buf_count;	      /* a power of two */
	unsigned buf_pending;	      /* buffers returned since the last publish */
	struct msghdr rx_msg;	      /* recvmsg's layout: no name, room for one timestamp */
};

#define RING_BGID 1
/* A receive timestamp's control message: SO_TIMESTAMPING's three struct
 * timespec (software first), or SO_TIMESTAMPNS's one; CLOCK_REALTIME. */
#define RING_RX_CONTROL CMSG_SPACE(3 * sizeof(struct timespec))

/*
 * Create the ring on the calling thread (DEFER_TASKRUN requires that the
 * submitting thread is the creator) for `conns` connections.
 * Features listed in the environment variable MCPLOAD_DISABLE (comma list of
 * defer, coop, skip, fixed, multishot, rxstamp) are not used: for measuring what
 * each one buys.
 * Returns 0 or -errno; on error *why names the step that failed.
 */
int ring_init(struct ring *r, unsigned conns, const char **why);
void ring_exit(struct ring *r);

/* Start address of provided buffer `bid`. */
static inline char *ring_buf(struct ring *r, unsigned bid)
{
	return r->bufs + (uint64_t)bid * r->buf_size;
}

/* Give buffer `bid` back to the kernel; visible after ring_publish_bufs(). */
static inline void ring_return_buf(struct ring *r, unsigned bid)
{
	io_uring_buf_ring_add(r->br, ring_buf(r, bid), r->buf_size, (unsigned short)bid,
			      (int)(r->buf_count - 1), (int)r->buf_pending);
	r->buf_pending++;
}

static inline void ring_publish_bufs(struct ring *r)
{
	if (r->buf_pending) {
		io_uring_buf_ring_advance(r->br, (int)r->buf_pending);
		r->buf_pending = 0;
	}
}

/* ring_sqe's way when the SQ is full: submit to make room. */
struct io_uring_sqe *ring_sqe_full(struct ring *r);

/* An SQE, submitting to make room when the SQ is full. NULL only if the
 * kernel refuses to take any (then the caller counts an error). Inline:
 * every send and receive takes one. */
static inline struct io_uring_sqe *ring_sqe(struct ring *r)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&r->uring);
	return sqe ? sqe : ring_sqe_full(r);
}

#endif
