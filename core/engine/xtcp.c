/*
 * xtcp: the plain TCP transport. Nothing between the socket and the
 * connection's state machine: a connected socket is ready, a request is one
 * send (MSG_WAITALL: the kernel finishes a short one itself), and data goes
 * to conn_on_data as it is read.
 */
#include "core/engine/xtcp.h"

#include <errno.h>

#include "core/engine/conn.h"
#include "core/engine/ring.h"
#include "core/engine/worker.h"

static int tcp_connected(struct worker *w, struct conn *c)
{
	(void)w;
	(void)c;
	return 0;
}

static int tcp_send(struct worker *w, struct conn *c, const char *p, size_t n)
{
	struct io_uring_sqe *sqe = ring_sqe(&w->ring);
	if (!sqe)
		return -EBUSY;
	ring_prep_send(&w->ring, sqe, conn_sqe_fd(w, c), p, n, conn_user_data(c, OP_SEND));
	return 0;
}

const struct xport_ops xport_tcp = {
    .name = "tcp",
    .connected = tcp_connected,
    .received = conn_on_data,
    .send = tcp_send,
};
