/*
 * stamp: the kernel's own timestamps of a connection's traffic (software
 * timestamping, no NIC support needed): when each read's data arrived,
 * delivered with it as a control message, and when each send left, read
 * from the socket's error queue. Latency between the two leaves out the
 * client's scheduling delay, which user-space clocks put into every figure.
 */
#ifndef MCPL_CORE_ENGINE_STAMP_H
#define MCPL_CORE_ENGINE_STAMP_H

#include <errno.h>
#include <liburing.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* What a socket was given. */
enum stamp_kind {
	STAMP_NONE, /* neither: user-space clocks only */
	STAMP_RX,   /* SO_TIMESTAMPNS: receive times only */
	STAMP_RXTX, /* SO_TIMESTAMPING: receive and transmit (software) */
};

/* Ask for software receive and transmit timestamps on fd; tx false: receive
 * only. Returns what the kernel agreed to. */
enum stamp_kind stamp_enable(int fd, bool tx);

/* A control message's level and type as one word, as they lie in memory. */
static inline uint64_t stamp_level_type(int level, int type)
{
	int pair[2] = {level, type};
	uint64_t v;
	memcpy(&v, pair, sizeof(v));
	return v;
}

/* The software stamp of a control message on the monotonic clock
 * (real_minus_mono_ns: CLOCK_REALTIME - CLOCK_MONOTONIC), or 0 (not a
 * stamp): the first timespec of SCM_TIMESTAMPING (the software one) or
 * SCM_TIMESTAMPNS (the only one), both CLOCK_REALTIME. Level and type are
 * compared as one word: this runs once or twice a response. */
static inline uint64_t stamp_of(const struct cmsghdr *h, int64_t real_minus_mono_ns)
{
	struct timespec ts;
	uint64_t kind;
	memcpy(&kind, &h->cmsg_level, sizeof(kind));
	if ((kind != stamp_level_type(SOL_SOCKET, SCM_TIMESTAMPING) &&
	     kind != stamp_level_type(SOL_SOCKET, SCM_TIMESTAMPNS)) ||
	    h->cmsg_len < CMSG_LEN(sizeof(struct timespec)))
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

/* recvmsg as one instruction where the ABI is known: glibc's recvmsg is a
 * cancellation point (two calls around it, and no thread here is
 * cancelled), its syscall() a call that moves six arguments. Returns the
 * byte count or -errno. */
static inline long stamp_recvmsg(int fd, struct msghdr *m, int flags)
{
#if defined(__x86_64__)
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)SYS_recvmsg), "D"((long)fd), "S"(m), "d"((long)flags)
			 : "rcx", "r11", "memory");
	return ret;
#else
	long ret = syscall(SYS_recvmsg, fd, m, flags);
	return ret < 0 ? -errno : ret;
#endif
}

/* An error-queue message's room: SCM_TIMESTAMPING's three timespecs, then
 * IP_RECVERR's (or IPV6_RECVERR's) extended error and address. */
#define STAMP_ERRQ_CONTROL 256

/* Error-queue messages read per response at most: a request is sent in a
 * few calls, a stamp each. */
#define STAMP_TX_DRAIN_MAX 16

/* The error queue's read: its message header (no name, no data) and
 * control buffer, set up once by stamp_errq_init and reused by every read
 * (a worker's own: one thread reads it). */
struct stamp_errq {
	struct msghdr m;
	/* aligned as the control messages' headers (struct cmsghdr, whose
	 * flexible data member keeps it out of a union here) */
	_Alignas(size_t) char ctrl[STAMP_ERRQ_CONTROL];
};

void stamp_errq_init(struct stamp_errq *q);

/* stamp_tx_read's rest: the control messages after the first of the
 * message in q, then more messages (at most STAMP_TX_DRAIN_MAX in all). */
uint64_t stamp_tx_drain(struct stamp_errq *q, int fd, int64_t real_minus_mono_ns,
			uint64_t not_before_ns);

/* Read fd's error queue (without blocking) up to the first transmit
 * timestamp at or after not_before_ns (this thread's own stamp of the send,
 * never 0: older ones are left from an earlier request) and return it on
 * the monotonic clock; 0 when there is none. One read for a request sent in
 * one call: the kernel's stamp of its last byte leaving, the message's
 * first control message (the kernel puts the stamp before the error's);
 * anything else goes to stamp_tx_drain. Inline: once a response. */
static inline uint64_t stamp_tx_read(struct stamp_errq *q, int fd, int64_t real_minus_mono_ns,
				     uint64_t not_before_ns)
{
	q->m.msg_controllen = sizeof(q->ctrl);
	if (stamp_recvmsg(fd, &q->m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return 0; /* EAGAIN: none */
	uint64_t t =
	    q->m.msg_controllen >= sizeof(struct cmsghdr)
		? stamp_of((const struct cmsghdr *)(const void *)q->ctrl, real_minus_mono_ns)
		: 0;
	return t >= not_before_ns ? t : stamp_tx_drain(q, fd, real_minus_mono_ns, not_before_ns);
}

#endif
