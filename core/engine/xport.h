/*
 * xport: the transport under a connection, as a small ops table. Plain TCP
 * passes bytes through (conn.c's multishot receive into the ring's buffers);
 * TLS (xtls.c, BearSSL's buffer engine) submits its own receives and sends
 * into and from the engine's buffers, driven by the same completions.
 */
#ifndef MCPL_CORE_ENGINE_XPORT_H
#define MCPL_CORE_ENGINE_XPORT_H

#include <stddef.h>

#include <stdbool.h>

struct worker;
struct conn;

struct xport_ops {
	const char *name;
	/* TCP is connected. Returns 0 when the connection can carry requests
	 * now, 1 when the transport first exchanges bytes of its own (a
	 * handshake; it calls conn_ready() when done), -errno on failure. */
	int (*connected)(struct worker *w, struct conn *c);
	/* Bytes arrived from the socket; application bytes are passed on to
	 * conn_on_data(). The buffer is valid only during the call. */
	void (*received)(struct worker *w, struct conn *c, const char *p, size_t n);
	/* Queue application bytes for sending; they stay valid until the send
	 * completes. Returns 0 or -errno. */
	int (*send)(struct worker *w, struct conn *c, const char *p, size_t n);
	/* The transport submits its own receives and sends (ops OP_XRECV and
	 * OP_XSEND, completed() gets them); conn.c arms none. */
	bool own_io;
	void (*completed)(struct worker *w, struct conn *c, unsigned op, int res);
	/* Per-worker state, at the worker's start and end (NULL: none). */
	int (*setup)(struct worker *w);
	void (*teardown)(struct worker *w);
};

#endif
