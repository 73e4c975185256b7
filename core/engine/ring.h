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
	/* The send of a request: MSG_NOSIGNAL | MSG_WAITALL (the kernel
	 * retries short sends itself, so a success completion is skipped
	 * where the ring can: a short one is flagged as failed), on the file
	 * table's index where the ring has one. */
	struct io_uring_sqe send_sqe;
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
 * every send and receive takes one. liburing's io_uring_get_sqe less its
 * tests of the ring's flags: this ring has neither 128-byte entries nor a
 * polling thread (setup_uring), so the head is the kernel's plain store. */
static inline struct io_uring_sqe *ring_sqe(struct ring *r)
{
	struct io_uring_sq *sq = &r->uring.sq;
	unsigned tail = sq->sqe_tail;
	if (tail + 1 - IO_URING_READ_ONCE(*sq->khead) > sq->ring_entries)
		return ring_sqe_full(r);
	sq->sqe_tail = tail + 1;
	return &sq->sqes[tail & sq->ring_mask];
}

/* Submit what is queued and wait for wait_nr completions (running the
 * deferred ones): liburing's io_uring_submit_and_wait less its tests of the
 * ring's flags (see ring_sqe; no registered ring descriptor). Returns the
 * count submitted or -errno. Inline: the loop's every wait. */
static inline int ring_submit_and_wait(struct ring *r, unsigned wait_nr)
{
	struct io_uring_sq *sq = &r->uring.sq;
	unsigned tail = sq->sqe_tail;
	if (sq->sqe_head != tail) {
		sq->sqe_head = tail;
		IO_URING_WRITE_ONCE(*sq->ktail, tail);
	}
	return io_uring_enter((unsigned)r->uring.ring_fd, tail - IO_URING_READ_ONCE(*sq->khead),
			      wait_nr, IORING_ENTER_GETEVENTS, NULL);
}

/* Prepare sqe as a copy of the ring's send template (ring_init: a plain
 * send, every other field zero) with its own socket, bytes and user data:
 * one copy of the entry instead of liburing's field-by-field preparation.
 * Inline: every request is sent this way. */
static inline void ring_prep_send(const struct ring *r, struct io_uring_sqe *sqe, int fd,
				  const void *p, size_t n, uint64_t user_data)
{
	*sqe = r->send_sqe;
	sqe->fd = fd;
	sqe->addr = (uint64_t)(uintptr_t)p;
	sqe->len = (uint32_t)n;
	sqe->user_data = user_data;
}

#endif
