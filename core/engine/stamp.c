/*
 * stamp: SO_TIMESTAMPING with software receive and transmit stamps (the
 * transmit ones only as stamps, OPT_TSONLY, keyed by byte, OPT_ID), or
 * SO_TIMESTAMPNS for receive stamps where that is refused. The kernel
 * stamps with CLOCK_REALTIME; the engine measures on CLOCK_MONOTONIC.
 */
#include "core/engine/stamp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/engine/clock.h"

enum stamp_kind stamp_enable(int fd, bool tx)
{
	int one = 1;
	unsigned flags = SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_TX_SOFTWARE |
			 SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_TSONLY;
	if (tx && setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)) == 0)
		return STAMP_RXTX;
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) == 0)
		return STAMP_RX;
	return STAMP_NONE;
}

uint64_t stamp_rx_after(struct io_uring_recvmsg_out *o, struct msghdr *m, struct cmsghdr *h,
			int64_t real_minus_mono_ns)
{
	while ((h = io_uring_recvmsg_cmsg_nexthdr(o, m, h)) != NULL) {
		uint64_t t = stamp_of(h, real_minus_mono_ns);
		if (t)
			return t;
	}
	return 0;
}

/* One datagram to itself; true when it came back with a receive stamp.
 * Loopback delivers it within sendto; one not there yet is read by the
 * next probe (stamp_hold probes again until its deadline). */
static bool probe_stamped(int fd, const struct sockaddr_in *self)
{
	char byte = 0;
	union {
		char buf[256];
		struct cmsghdr align;
	} ctrl;
	struct iovec io = {&byte, 1};
	struct msghdr m = {.msg_iov = &io,
			   .msg_iovlen = 1,
			   .msg_control = ctrl.buf,
			   .msg_controllen = sizeof(ctrl.buf)};
	if (sendto(fd, &byte, 1, 0, (const struct sockaddr *)self, sizeof(*self)) != 1 ||
	    recvmsg(fd, &m, MSG_DONTWAIT) != 1)
		return false;
	for (struct cmsghdr *h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h))
		if (stamp_of(h, 0))
			return true;
	return false;
}

int stamp_hold(uint64_t max_wait_ns, bool *ready)
{
	unsigned flags = SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
	struct sockaddr_in self = {.sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(self);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	*ready = false;
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	/* no loopback address (a namespace with lo down): held, not probed */
	if (bind(fd, (struct sockaddr *)&self, sizeof(self)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&self, &len) < 0)
		return fd;
	uint64_t until_ns = clock_now_ns() + max_wait_ns;
	for (;;) {
		*ready = probe_stamped(fd, &self);
		if (*ready || clock_now_ns() >= until_ns)
			return fd;
		/* the work queue's thread may need this CPU to run */
		struct timespec pause = {0, 100000};
		nanosleep(&pause, NULL);
	}
}

void stamp_errq_init(struct stamp_errq *q)
{
	memset(q, 0, sizeof(*q));
	q->m.msg_control = q->ctrl;
}

/* The stamp among the control messages after h in q's message, or 0. */
static uint64_t stamp_after(struct stamp_errq *q, struct cmsghdr *h, int64_t real_minus_mono_ns,
			    uint64_t not_before_ns)
{
	for (; h; h = CMSG_NXTHDR(&q->m, h)) {
		uint64_t t = stamp_of(h, real_minus_mono_ns);
		if (t)
			return t >= not_before_ns ? t : 0; /* older: an earlier request's */
	}
	return 0;
}

uint64_t stamp_tx_drain(struct stamp_errq *q, int fd, int64_t real_minus_mono_ns,
			uint64_t not_before_ns)
{
	struct cmsghdr *first = CMSG_FIRSTHDR(&q->m);
	uint64_t t =
	    first ? stamp_after(q, CMSG_NXTHDR(&q->m, first), real_minus_mono_ns, not_before_ns)
		  : 0;
	for (int i = 1; !t && i < STAMP_TX_DRAIN_MAX; i++) {
		q->m.msg_controllen = sizeof(q->ctrl);
		if (stamp_recvmsg(fd, &q->m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return 0; /* EAGAIN: nothing (left) */
		t = stamp_after(q, CMSG_FIRSTHDR(&q->m), real_minus_mono_ns, not_before_ns);
	}
	return t;
}
