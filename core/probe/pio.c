/*
 * pio: blocking probe I/O over a non-blocking socket and poll(), with
 * BearSSL's engine between for https: records go out whenever the engine
 * has them, come in whenever it asks, until what the caller waits for
 * (the handshake's end, room for application bytes, application bytes).
 */
#include "core/probe/pio.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/engine/clock.h"
#include "protocol/tlsc.h"

static int wait_fd(int fd, short ev, uint64_t deadline_ns)
{
	uint64_t now = clock_now_ns();
	struct pollfd p = {fd, ev, 0};
	if (now >= deadline_ns)
		return -ETIMEDOUT;
	int r = poll(&p, 1, (int)((deadline_ns - now) / 1000000 + 1));
	return r > 0 ? 0 : r == 0 ? -ETIMEDOUT : -errno;
}

static int tls_failed(struct pio *p, bool handshake)
{
	int err = br_ssl_engine_last_error(&p->tc->cc.eng);
	tlsc_classify(err, handshake, p->plain_http == 1, p->tls->host, p->why, sizeof(p->why));
	return -EPROTO;
}

/* Move the engine until its state has one of the bits of want. Returns 0,
 * 1 at a clean end of the stream (close_notify, or a TCP end between
 * records), or -errno. */
static int run_until(struct pio *p, unsigned want, bool handshake)
{
	br_ssl_engine_context *e = &p->tc->cc.eng;
	for (;;) {
		unsigned st = br_ssl_engine_current_state(e);
		size_t len;
		ssize_t n;
		if (st & BR_SSL_CLOSED)
			return br_ssl_engine_last_error(e) == BR_ERR_OK && !handshake
				   ? 1
				   : tls_failed(p, handshake);
		if (st & BR_SSL_SENDREC) {
			unsigned char *b = br_ssl_engine_sendrec_buf(e, &len);
			n = send(p->fd, b, len, MSG_NOSIGNAL);
			if (n > 0)
				br_ssl_engine_sendrec_ack(e, (size_t)n);
			else if (n < 0 && errno != EAGAIN)
				return -errno;
			else if ((n = wait_fd(p->fd, POLLOUT, p->deadline_ns)) < 0)
				return (int)n;
			continue;
		}
		if (st & want)
			return 0;
		if (!(st & BR_SSL_RECVREC))
			return -EIO;
		unsigned char *b = br_ssl_engine_recvrec_buf(e, &len);
		n = recv(p->fd, b, len, 0);
		if (n > 0) {
			if (p->plain_http < 0)
				p->plain_http = n >= 5 && !memcmp(b, "HTTP/", 5);
			br_ssl_engine_recvrec_ack(e, (size_t)n);
		} else if (n == 0) {
			if (!handshake)
				return 1;
			snprintf(p->why, sizeof(p->why), "%s",
				 p->plain_http == 1
				     ? "the server answered in plain HTTP, not TLS: use http://"
				     : "the server closed the connection during the TLS handshake");
			return -EPROTO;
		} else if (errno != EAGAIN) {
			return -errno;
		} else if ((n = wait_fd(p->fd, POLLIN, p->deadline_ns)) < 0) {
			return (int)n;
		}
	}
}

static int start_tls(struct pio *p)
{
	p->tc = malloc(sizeof(*p->tc));
	p->ibuf = malloc(TLSC_IBUF);
	p->obuf = malloc(TLSC_OBUF);
	if (!p->tc || !p->ibuf || !p->obuf)
		return -ENOMEM;
	tlsc_conn_init(p->tc, p->tls, p->ibuf, p->obuf, NULL);
	if (tlsc_conn_start(p->tc, p->tls, NULL) < 0)
		return tls_failed(p, true);
	return run_until(p, BR_SSL_SENDAPP | BR_SSL_RECVAPP, true);
}

int pio_open(struct pio *p, const struct sockaddr *addr, socklen_t addr_len, const struct tlsc *tls,
	     uint64_t connect_ns, uint64_t deadline_ns)
{
	int r = 0, soerr = 0;
	socklen_t sl = sizeof(soerr);
	memset(p, 0, sizeof(*p));
	p->tls = tls;
	p->deadline_ns = deadline_ns;
	p->plain_http = -1;
	p->fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (p->fd < 0)
		return -errno;
	if (connect(p->fd, addr, addr_len) < 0 && errno != EINPROGRESS)
		return -errno;
	r = wait_fd(p->fd, POLLOUT, clock_now_ns() + connect_ns);
	if (r == 0 && getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr)
		r = -soerr;
	if (r == 0 && tls)
		r = start_tls(p);
	return r;
}

int pio_send(struct pio *p, const void *buf, size_t len)
{
	const unsigned char *at = buf;
	if (!p->tls) {
		for (size_t off = 0; off < len;) {
			ssize_t n = send(p->fd, at + off, len - off, MSG_NOSIGNAL);
			int r = 0;
			if (n > 0)
				off += (size_t)n;
			else if (n < 0 && errno != EAGAIN)
				return -errno;
			else if ((r = wait_fd(p->fd, POLLOUT, p->deadline_ns)) < 0)
				return r;
		}
		return 0;
	}
	br_ssl_engine_context *e = &p->tc->cc.eng;
	while (len) {
		size_t room;
		int r = run_until(p, BR_SSL_SENDAPP, false);
		if (r != 0)
			return r < 0 ? r : -EPIPE;
		unsigned char *b = br_ssl_engine_sendapp_buf(e, &room);
		size_t n = room < len ? room : len;
		memcpy(b, at, n);
		br_ssl_engine_sendapp_ack(e, n);
		at += n;
		len -= n;
	}
	br_ssl_engine_flush(e, 0);
	/* out with the records: wait for room to write again, which is there
	 * once nothing is left to send */
	int r = run_until(p, BR_SSL_SENDAPP, false);
	return r < 0 ? r : 0;
}

ssize_t pio_recv(struct pio *p, void *buf, size_t cap)
{
	if (!p->tls) {
		for (;;) {
			ssize_t n = recv(p->fd, buf, cap, 0);
			int r;
			if (n >= 0)
				return n;
			if (errno != EAGAIN)
				return -errno;
			if ((r = wait_fd(p->fd, POLLIN, p->deadline_ns)) < 0)
				return r;
		}
	}
	br_ssl_engine_context *e = &p->tc->cc.eng;
	size_t len;
	int r = run_until(p, BR_SSL_RECVAPP, false);
	if (r != 0)
		return r < 0 ? r : 0;
	unsigned char *b = br_ssl_engine_recvapp_buf(e, &len);
	size_t n = len < cap ? len : cap;
	memcpy(buf, b, n);
	br_ssl_engine_recvapp_ack(e, n);
	return (ssize_t)n;
}

void pio_close(struct pio *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	free(p->tc);
	free(p->ibuf);
	free(p->obuf);
	p->tc = NULL;
	p->ibuf = p->obuf = NULL;
}
