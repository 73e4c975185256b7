/*
 * xtls: TLS on the worker's completions. pump() moves BearSSL's engine as
 * far as it can go: application bytes out of the engine to the HTTP parser,
 * the request into it, one send of its output records and one receive into
 * its input buffer outstanding at a time; every completion acknowledges
 * what moved and pumps again.
 */
#include "core/engine/xtls.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/worker.h"
#include "protocol/tlsc.h"

struct xtls_conn {
	struct tlsc_conn tc;
	const char *app; /* request bytes not yet in the engine */
	size_t app_left;
	uint64_t tcp_ns;  /* TCP established: the handshake's start */
	size_t rec_left;  /* bytes of the record being received still to come */
	uint8_t hdr[5];	  /* a record header, as far as it came */
	uint8_t hdr_have; /* ... its bytes so far */
	bool recv_armed, send_armed;
	bool ready;	 /* the handshake is done */
	bool offered;	 /* a session was offered for resumption */
	bool got_bytes;	 /* any byte came on this connection */
	bool plain_http; /* the first bytes were "HTTP/": not a TLS server */
	unsigned char ibuf[TLSC_IBUF];
	unsigned char obuf[TLSC_OBUF];
};

/* Per worker: the connections' state, the last full session, offered
 * again by every new connection (BearSSL 0.6 resumes by session ID), and
 * the server's chain once verified (a full handshake then verifies only
 * the key exchange's signature). */
struct xtls {
	struct xtls_conn *conns;
	br_ssl_session_parameters sess;
	bool have_sess;
	struct tlsv_cache chains; /* the server's chain, once verified */
};

const size_t XTLS_CONN_BYTES = sizeof(struct xtls_conn);

static struct xtls_conn *of(struct worker *w, const struct conn *c)
{
	return &((struct xtls *)w->xp_state)->conns[c->idx];
}

static int xtls_setup(struct worker *w)
{
	struct xtls *x = calloc(1, sizeof(*x));
	if (x)
		x->conns = calloc(w->nconns, sizeof(*x->conns));
	if (!x || !x->conns) {
		free(x);
		w->setup_why = "allocating the TLS contexts";
		return -ENOMEM;
	}
	for (unsigned i = 0; i < w->nconns; i++)
		tlsc_conn_init(&x->conns[i].tc, w->cfg->tls, x->conns[i].ibuf, x->conns[i].obuf,
			       &x->chains);
	w->xp_state = x;
	return 0;
}

static void xtls_teardown(struct worker *w)
{
	struct xtls *x = w->xp_state;
	if (x)
		free(x->conns);
	free(x);
	w->xp_state = NULL;
}

/* The connection failed in TLS: the class and BearSSL's words, counted. */
static void fail_tls(struct worker *w, struct conn *c, struct xtls_conn *t, int err)
{
	static const enum tally_err cls[] = {
	    [TLSC_CA] = TALLY_ERR_TLS_CA,	    [TLSC_EXPIRED] = TALLY_ERR_TLS_EXPIRED,
	    [TLSC_NAME] = TALLY_ERR_TLS_NAME,	    [TLSC_HANDSHAKE] = TALLY_ERR_TLS_HANDSHAKE,
	    [TLSC_ALERT] = TALLY_ERR_TLS_ALERT,	    [TLSC_TRUNCATED] = TALLY_ERR_TLS_TRUNCATED,
	    [TLSC_VERSION] = TALLY_ERR_TLS_VERSION,
	};
	char why[300];
	enum tlsc_class k =
	    tlsc_classify(err, !t->ready, t->plain_http, w->cfg->tls->host, why, sizeof(why));
	if (conn_is_measured(w))
		tally_count_msg(&w->tally.msgs, why, strlen(why), 1);
	conn_fail(w, c, cls[k]);
}

/* A failure of ours to name without a BearSSL error. */
static void fail_words(struct worker *w, struct conn *c, enum tally_err cls, const char *why)
{
	if (conn_is_measured(w))
		tally_count_msg(&w->tally.msgs, why, strlen(why), 1);
	conn_fail(w, c, cls);
}

static void handshake_done(struct worker *w, struct conn *c, struct xtls_conn *t)
{
	struct xtls *x = w->xp_state;
	br_ssl_session_parameters p;
	br_ssl_engine_get_session_parameters(&t->tc.cc.eng, &p);
	bool resumed = t->offered && p.session_id_len &&
		       p.session_id_len == x->sess.session_id_len &&
		       !memcmp(p.session_id, x->sess.session_id, p.session_id_len);
	t->ready = true;
	if (!resumed && p.session_id_len) {
		x->sess = p;
		x->have_sess = true;
	}
	if (conn_is_measured(w)) {
		w->tally.tls_handshakes++;
		w->tally.tls_resumed += resumed;
		hist_record(&w->tally.handshake, w->now_ns - t->tcp_ns);
	}
	conn_ready(w, c);
}

static int submit(struct worker *w, struct conn *c, struct xtls_conn *t, bool recv)
{
	br_ssl_engine_context *e = &t->tc.cc.eng;
	struct io_uring_sqe *sqe = ring_sqe(&w->ring);
	size_t len;
	unsigned char *p;
	if (!sqe)
		return -EBUSY;
	if (recv) {
		p = br_ssl_engine_recvrec_buf(e, &len);
		io_uring_prep_recv(sqe, conn_sqe_fd(w, c), p, len, 0);
		conn_sqe_finish(w, sqe, c, OP_XRECV);
		t->recv_armed = true;
	} else {
		p = br_ssl_engine_sendrec_buf(e, &len);
		io_uring_prep_send(sqe, conn_sqe_fd(w, c), p, len, MSG_NOSIGNAL);
		conn_sqe_finish(w, sqe, c, OP_XSEND);
		t->send_armed = true;
	}
	return 0;
}

static void pump(struct worker *w, struct conn *c, struct xtls_conn *t)
{
	br_ssl_engine_context *e = &t->tc.cc.eng;
	uint32_t gen = c->gen;
	size_t len;
	for (;;) {
		unsigned st = br_ssl_engine_current_state(e);
		if (st & BR_SSL_CLOSED) {
			int err = br_ssl_engine_last_error(e);
			if (err != BR_ERR_OK)
				fail_tls(w, c, t, err);
			else if (t->ready)
				conn_on_eof(w, c); /* the server's close_notify */
			else
				fail_words(w, c, TALLY_ERR_TLS_HANDSHAKE,
					   "the server ended TLS during the handshake");
			return;
		}
		if (!t->ready && (st & (BR_SSL_SENDAPP | BR_SSL_RECVAPP))) {
			handshake_done(w, c, t);
			if (c->gen != gen)
				return;
			continue;
		}
		if (st & BR_SSL_RECVAPP) {
			unsigned char *p = br_ssl_engine_recvapp_buf(e, &len);
			conn_on_data(w, c, (const char *)p, len);
			if (c->gen != gen)
				return; /* the parser closed the connection */
			br_ssl_engine_recvapp_ack(e, len);
			continue;
		}
		if (t->app_left && (st & BR_SSL_SENDAPP)) {
			unsigned char *p = br_ssl_engine_sendapp_buf(e, &len);
			size_t n = len < t->app_left ? len : t->app_left;
			memcpy(p, t->app, n);
			br_ssl_engine_sendapp_ack(e, n);
			t->app += n;
			t->app_left -= n;
			if (!t->app_left)
				br_ssl_engine_flush(e, 0);
			continue;
		}
		if ((st & BR_SSL_SENDREC) && !t->send_armed && submit(w, c, t, false) < 0) {
			conn_fail(w, c, TALLY_ERR_SEND);
			return;
		}
		if ((st & BR_SSL_RECVREC) && !t->recv_armed && submit(w, c, t, true) < 0) {
			conn_fail(w, c, TALLY_ERR_RESET);
			return;
		}
		return;
	}
}

/* Follow the record boundaries in what came, so that an end of stream
 * inside a record is told from one between records. */
static void track(struct xtls_conn *t, const unsigned char *p, size_t n)
{
	if (!t->got_bytes) {
		t->got_bytes = true;
		t->plain_http = n >= 5 && !memcmp(p, "HTTP/", 5);
	}
	while (n) {
		if (t->rec_left) {
			size_t k = n < t->rec_left ? n : t->rec_left;
			t->rec_left -= k;
			p += k;
			n -= k;
			continue;
		}
		t->hdr[t->hdr_have++] = *p++;
		n--;
		if (t->hdr_have == 5) {
			t->rec_left = ((size_t)t->hdr[3] << 8) | t->hdr[4];
			t->hdr_have = 0;
		}
	}
}

static void on_eof(struct worker *w, struct conn *c, struct xtls_conn *t)
{
	if (!t->ready)
		fail_words(w, c, TALLY_ERR_TLS_HANDSHAKE,
			   t->got_bytes
			       ? "the server closed the connection during the TLS handshake"
			       : "the server closed the connection before any TLS byte "
				 "(is it a TLS port?)");
	else if (t->rec_left || t->hdr_have)
		fail_words(w, c, TALLY_ERR_TLS_TRUNCATED,
			   "the connection ended inside a TLS record");
	else
		conn_on_eof(w, c); /* no close_notify: an HTTP end, as browsers take it */
}

static void xtls_completed(struct worker *w, struct conn *c, unsigned op, int res)
{
	struct xtls_conn *t = of(w, c);
	br_ssl_engine_context *e = &t->tc.cc.eng;
	if (op == OP_XSEND) {
		t->send_armed = false;
		if (res <= 0) {
			conn_fail(w, c, TALLY_ERR_SEND);
			return;
		}
		br_ssl_engine_sendrec_ack(e, (size_t)res);
	} else {
		t->recv_armed = false;
		if (res == 0) {
			on_eof(w, c, t);
			return;
		}
		if (res < 0) {
			conn_fail(w, c, TALLY_ERR_RESET);
			return;
		}
		track(t, br_ssl_engine_recvrec_buf(e, &(size_t){0}), (size_t)res);
		br_ssl_engine_recvrec_ack(e, (size_t)res);
	}
	pump(w, c, t);
}

static int xtls_connected(struct worker *w, struct conn *c)
{
	struct xtls *x = w->xp_state;
	struct xtls_conn *t = of(w, c);
	t->app_left = 0;
	t->rec_left = 0;
	t->hdr_have = 0;
	t->recv_armed = t->send_armed = t->ready = t->got_bytes = t->plain_http = false;
	t->tcp_ns = w->now_ns;
	t->offered = x->have_sess && w->cfg->tls->resume;
	if (tlsc_conn_start(&t->tc, w->cfg->tls, x->have_sess ? &x->sess : NULL) < 0)
		return -EPROTO;
	pump(w, c, t);
	return 1;
}

static int xtls_send(struct worker *w, struct conn *c, const char *p, size_t n)
{
	struct xtls_conn *t = of(w, c);
	t->app = p;
	t->app_left = n;
	pump(w, c, t);
	return 0;
}

const struct xport_ops xtls_ops = {
    .name = "tls",
    .connected = xtls_connected,
    .received = conn_on_data,
    .send = xtls_send,
    .own_io = true,
    .completed = xtls_completed,
    .setup = xtls_setup,
    .teardown = xtls_teardown,
};
