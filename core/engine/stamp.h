/*
 * stamp: the kernel's own timestamps of a connection's traffic (software
 * timestamping, no NIC support needed): when each read's data arrived,
 * delivered with it as a control message, and when each send left, read
 * from the socket's error queue. Latency between the two leaves out the
 * client's scheduling delay, which user-space clocks put into every figure.
 */
#ifndef MCPL_CORE_ENGINE_STAMP_H
#define MCPL_CORE_ENGINE_STAMP_H

#include <liburing.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* What a socket was given. */
enum stamp_kind {
	STAMP_NONE, /* neither: user-space clocks only */
	STAMP_RX,   /* SO_TIMESTAMPNS: receive times only */
	STAMP_RXTX, /* SO_TIMESTAMPING: receive and transmit (software) */
};

/* Ask for software receive and transmit timestamps on fd; tx false: receive
 * only. Returns what the kernel agreed to. */
enum stamp_kind stamp_enable(int fd, bool tx);

/* The software stamp of a control message on the monotonic clock
 * (real_minus_mono_ns: CLOCK_REALTIME - CLOCK_MONOTONIC), or 0 (not a
 * stamp): SCM_TIMESTAMPING's first timespec, or SCM_TIMESTAMPNS's only
 * one, both CLOCK_REALTIME. */
static inline uint64_t stamp_of(const struct cmsghdr *h, int64_t real_minus_mono_ns)
{
	struct timespec ts;
	if (h->cmsg_level != SOL_SOCKET ||
	    !((h->cmsg_type == SCM_TIMESTAMPING &&
	       h->cmsg_len >= CMSG_LEN(3 * sizeof(struct timespec))) ||
	      (h->cmsg_type == SCM_TIMESTAMPNS &&
	       h->cmsg_len >= CMSG_LEN(sizeof(struct timespec)))))
		return 0;
	memcpy(&ts, CMSG_DATA(h), sizeof(ts));
	int64_t real = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	int64_t mono = real - real_minus_mono_ns;
	return real > 0 && mono > 0 ? (uint64_t)mono : 0;
}

/* The stamp among the control messages after h, or 0. */
uint64_t stamp_rx_after(struct io_uring_recvmsg_out *o, struct msghdr *m, struct cmsghdr *h,
			int64_t real_minus_mono_ns);

/* A multishot recvmsg read's receive time (o, laid out as m says: no name,
 * m->msg_namelen 0), on the monotonic clock; 0 when it carries none. The
 * caller checks it against its clock: a stamp later than a fresh clock
 * read is a clock step, not an arrival. Inline for the usual read, whose
 * only control message is it, right after the header. */
static inline uint64_t stamp_rx(struct io_uring_recvmsg_out *o, struct msghdr *m,
				int64_t real_minus_mono_ns)
{
	struct cmsghdr *h = o->controllen >= sizeof(*h) ? (struct cmsghdr *)(void *)(o + 1) : NULL;
	uint64_t t = h ? stamp_of(h, real_minus_mono_ns) : 0;
	return t || !h ? t : stamp_rx_after(o, m, h, real_minus_mono_ns);
}

/* Turn the kernel's receive stamping on for a run and wait, at most
 * max_wait_ns, until it stamps. Linux stamps arriving packets only while
 * some socket asks for it, and switches that on from a work queue after
 * the first socket asks: the first responses of a run would come
 * unstamped (more of them on a busy machine, where the work waits for a
 * CPU). Holds a loopback UDP socket that asks, and probes it with its own
 * datagrams until one comes stamped. Returns that socket (the caller
 * closes it when the run ends: it keeps the stamping on meanwhile) or
 * -errno; *ready says whether a stamped datagram was seen. */
int stamp_hold(uint64_t max_wait_ns, bool *ready);

/* Read fd's error queue (without blocking) up to the first transmit
 * timestamp at or after not_before_ns (this thread's own stamp of the send:
 * older ones are left from an earlier request) and return it on the
 * monotonic clock; 0 when there is none. One read for a request sent in
 * one call: the kernel's stamp of its last byte leaving. */
uint64_t stamp_tx_drain(int fd, int64_t real_minus_mono_ns, uint64_t not_before_ns);

#endif
