/*
 * conn: the connection state machine. Every transition happens here, in
 * response to a completion or a timer: connect -> (transport ready) -> send
 * -> receive/parse -> record -> next request on the same connection, or close
 * and reconnect, counting each failure by class. What is sent comes from the
 * request source (src.h); how it is sent, from the transport (xport.h).
 */
#include "core/engine/conn.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/engine/backlog.h"
#include "core/engine/clock.h"
#include "core/engine/stamp.h"
#include "core/engine/worker.h"

bool conn_is_measured(const struct worker *w)
{
	return w->now_ns >= w->record_from_ns;
}

/* The source may keep a connection closed (a user that stopped). */
static bool wants_conn(const struct worker *w, const struct conn *c)
{
	if (!w->issuing)
		return false;
	return !w->src->wants_conn || w->src->wants_conn(w, c);
}

int conn_sqe_fd(const struct worker *w, const struct conn *c)
{
	return w->ring.feat.fixed_files ? (int)c->idx : c->fd;
}

void conn_sqe_finish(struct worker *w, struct io_uring_sqe *sqe, struct conn *c, enum conn_op op)
{
	if (w->ring.feat.fixed_files)
		sqe->flags |= IOSQE_FIXED_FILE;
	io_uring_sqe_set_data64(sqe, conn_user_data(c, op));
}

void conn_note_failed(struct worker *w, unsigned kind)
{
	if (conn_is_measured(w))
		tline_failed(&w->tl, w->now_ns, kind);
}

static void count_error(struct worker *w, enum tally_err cls)
{
	if (conn_is_measured(w)) {
		w->tally.errors[cls]++;
		conn_note_failed(w, cls);
		if (!w->src->failed) /* the fixed request: its one label */
			ltl_fail(&w->ltl, 0, w->now_ns);
	}
}

void conn_close(struct worker *w, struct conn *c)
{
	if (c->state == CONN_BUSY)
		w->in_flight--;
	if (c->queued)
		w->src->unsent(w, c); /* never sent: the source takes it back */
	tq_remove(&c->tq);
	tq_remove(&c->dl);
	if (c->fd >= 0) {
		/* shutdown ends an outstanding (multishot) recv, which holds its
		 * own reference to the socket; its completion is then stale. */
		shutdown(c->fd, SHUT_RDWR);
		if (w->ring.feat.fixed_files) {
			int none = -1;
			io_uring_register_files_update(&w->ring.uring, c->idx, &none, 1);
		}
		close(c->fd);
		c->fd = -1;
	}
	c->gen++;
	c->state = CONN_CLOSED;
	c->recv_armed = false;
	c->queued = false;
}

/* Wait before reconnecting: level L waits CONN_BACKOFF_BASE_NS << L, or
 * half of that (a coin from the connection and the clock): jitter. */
static void back_off(struct worker *w, struct conn *c, unsigned level)
{
	uint32_t coin = (c->idx * 2654435761u) ^ (uint32_t)(w->now_ns >> 10) ^ c->gen;
	if (level >= CONN_BACKOFF_LEVELS)
		level = CONN_BACKOFF_LEVELS - 1;
	if (level > 0 && (coin & 0x100))
		level--;
	c->state = CONN_RETRY;
	tq_add(&w->backoff_q[level], &c->tq, w->now_ns);
	w->backoff_armed |= 1u << level;
	if (conn_is_measured(w)) {
		w->tally.backoffs++;
		w->tally.backoff_ns += CONN_BACKOFF_BASE_NS << level;
	}
}

/* Close after a failure and decide how to come back. */
void conn_fail(struct worker *w, struct conn *c, enum tally_err cls)
{
	bool connecting = c->state == CONN_CONNECTING, busy = c->state == CONN_BUSY;
	/* a source may send again after a connection error, counted apart */
	bool again = busy && w->src->retry && w->src->retry(w, c, cls);
	if ((busy || connecting) && !again)
		count_error(w, cls);
	if (busy && conn_is_measured(w))
		w->tally.bytes_in += c->resp_bytes; /* delivered, if not usable */
	if (busy && !again && w->src->failed)
		w->src->failed(w, c, cls);
	conn_close(w, c);
	if (!wants_conn(w, c))
		return;
	if (c->fails < 255)
		c->fails++;
	if (!connecting && c->fails == 1)
		conn_open(w, c); /* an open connection's first failure: at once */
	else
		back_off(w, c, c->fails - 1u - !connecting);
}

void conn_open(struct worker *w, struct conn *c)
{
	const struct cfg *cfg = w->cfg;
	struct io_uring_sqe *sqe;
	int one = 1;

	c->fd = socket(cfg->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	if (c->fd < 0)
		goto out_fail;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* the kernel stamps each read with its arrival, and each send as it
	 * leaves (software: no NIC support needed) */
	c->stamp = w->ring.feat.rx_stamps ? stamp_enable(c->fd, w->stamps == CFG_STAMPS_KERNEL)
					  : STAMP_NONE;
	if (w->ring.feat.fixed_files &&
	    io_uring_register_files_update(&w->ring.uring, c->idx, &c->fd, 1) != 1)
		goto out_fail;
	sqe = ring_sqe(&w->ring);
	if (!sqe)
		goto out_fail;
	io_uring_prep_connect(sqe, conn_sqe_fd(w, c), (const struct sockaddr *)&cfg->addr,
			      cfg->addr_len);
	conn_sqe_finish(w, sqe, c, OP_CONNECT);
	c->state = CONN_CONNECTING;
	c->open_ns = w->now_ns;
	tq_add(&w->connect_q, &c->tq, w->now_ns);
	/* the deadline of the request this connection will carry first
	 * starts with its connect (disarmed if none follows at once) */
	tq_add(&w->deadline_q, &c->dl, w->now_ns);
	return;

out_fail:
	/* Out of descriptors or SQEs: a connect error, retried later. */
	c->state = CONN_CONNECTING;
	conn_fail(w, c, TALLY_ERR_CONNECT_REFUSED);
}

static void arm_recv(struct worker *w, struct conn *c)
{
	struct io_uring_sqe *sqe = ring_sqe(&w->ring);
	if (!sqe) {
		conn_fail(w, c, TALLY_ERR_RESET);
		return;
	}
	if (w->ring.feat.rx_stamps)
		io_uring_prep_recvmsg_multishot(sqe, conn_sqe_fd(w, c), &w->ring.rx_msg, 0);
	else if (w->ring.feat.multishot)
		io_uring_prep_recv_multishot(sqe, conn_sqe_fd(w, c), NULL, 0, 0);
	else
		io_uring_prep_recv(sqe, conn_sqe_fd(w, c), NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = RING_BGID;
	conn_sqe_finish(w, sqe, c, OP_RECV);
	c->recv_armed = true;
}

/* An open connection is free: the source's next request, else (open loop)
 * the next arrival waiting in the backlog, else it idles. */
void conn_issue(struct worker *w, struct conn *c)
{
	if (!w->issuing) {
		c->state = CONN_IDLE;
		if (w->src->stopped)
			w->src->stopped(w, c); /* e.g. ends an MCP session */
		return;
	}
	if (w->src->next(w, c) != SRC_FREE || c->state != CONN_IDLE || !w->open_loop || !w->issuing)
		return;
	backlog_give(w, c);
}

void conn_ready(struct worker *w, struct conn *c)
{
	if (c->state == CONN_CONNECTING) {
		tq_remove(&c->tq); /* the connect timer ran through the handshake */
		c->state = CONN_IDLE;
	}
	w->last_progress_ns = w->now_ns;
	if (conn_is_measured(w))
		w->tally.connects++;
	if (!c->recv_armed && !w->xp->own_io)
		arm_recv(w, c);
	if (c->state != CONN_CLOSED)
		conn_issue(w, c);
	if (c->state != CONN_BUSY)
		tq_remove(&c->dl); /* no request followed the connect */
}

/*
 * The idle timeout from now_ns. request_q is kept lazily: a connection's
 * node stays on it from one request to the next (through the response and
 * the idle time between), so most requests only store the time, where
 * taking the node off at the response and queueing it again at the next
 * send would be two list updates. The node's deadline may therefore be
 * stale (earlier than the true one); conn_on_request_expiry tells.
 */
static inline void arm_idle(struct worker *w, struct conn *c, uint64_t now_ns)
{
	c->idle_from_ns = now_ns;
	if (c->tq.owner != &w->request_q)
		tq_add(&w->request_q, &c->tq, now_ns);
}

/*
 * Submit the sends queued in this iteration, stamped with one clock read
 * taken just before the submit that carries them.
 */
void conn_flush_sends(struct worker *w, uint64_t now_ns)
{
	for (unsigned i = 0; i < w->batch_len; i++) {
		struct conn *c = w->batch[i];
		if (!c->queued || c->state != CONN_BUSY)
			continue;
		c->queued = false;
		c->sent_ns = now_ns;
		if (w->open_loop && c->counted && c->arrival) {
			uint64_t lag = now_ns > c->intended_ns ? now_ns - c->intended_ns : 0;
			struct tline_row *r = tline_at(&w->tl, now_ns);
			hist_record(&w->tally.send_lag, lag);
			w->tally.sent++;
			if (r)
				r->sent++;
		}
		arm_idle(w, c, now_ns);
		/* the deadline is armed here only when it can come before the
		 * idle timeout; else at the response's first partial read */
		if (w->deadline_first && !c->dl.owner)
			tq_add(&w->deadline_q, &c->dl, now_ns);
		if (w->xp->send(w, c, c->req, c->req_len) < 0)
			conn_fail(w, c, TALLY_ERR_SEND);
	}
	w->batch_len = 0;
}

/* The fixed request has no source to judge it: success is a 2xx. */
static void judge_2xx(struct worker *w, const struct conn *c, uint64_t lat, uint64_t service)
{
	struct tally *t = &w->tally;
	unsigned st = c->parser.status;
	bool failed = st - 200u >= 100u;
	ltl_record(&w->ltl, 0, w->now_ns, lat, service, c->parser.body_bytes, failed);
	if (!failed)
		return;
	hist_record(&t->failed, lat);
	conn_note_failed(w, tline_err_kind(TALLY_ERR__COUNT, st));
	if (st - 300u < 100u)
		t->errors[TALLY_ERR_STATUS_3XX]++;
	else if (st - 100u >= 500u)
		t->errors[TALLY_ERR_STATUS_INVALID]++;
}

/* A response is complete (or, cut, an SSE stream is given up after the
 * response it carried: the connection is ours to close, not the server's).
 * An MCP response that came as an SSE event ends the request there, not
 * where the stream ends. */
static void complete(struct worker *w, struct conn *c, bool cut)
{
	struct tally *t = &w->tally;
	bool keep = c->parser.keep_alive && !cut;
	uint64_t answered = w->src->answered_ns ? w->src->answered_ns(w, c) : 0;
	uint64_t end_ns = answered ? answered : worker_arrived_ns(w);
	bool rx_end = !answered && w->rx_ns; /* ends at the kernel's receive stamp */
	if (end_ns < c->sent_ns) {	     /* a stamp before the send's: the clocks disagree */
		end_ns = w->now_ns;
		rx_end = false;
	}
	uint64_t sent_ns = c->sent_ns;
	bool tx_start = false; /* starts at the kernel's transmit stamp */
	if (c->stamp == STAMP_RXTX) {
		/* 0 (none) or after this thread's stamp; before the answer
		 * too, else the clocks disagree: tx - 1 wraps at 0 */
		uint64_t tx = stamp_tx_read(&w->errq, c->fd, w->real_minus_mono_ns, c->sent_ns);
		tx_start = tx - 1 < end_ns;
		sent_ns = tx_start ? tx : sent_ns;
	}
	/* the first byte from the span's own start: a response read whole
	 * (first byte and end one read) makes it the span itself */
	uint64_t first = c->first_ns > sent_ns ? c->first_ns - sent_ns : 0;

	if (c->counted) {
		struct hist *span;
		unsigned st = c->parser.status;
		uint64_t service = end_ns - sent_ns;
		uint64_t lat = w->open_loop ? end_ns - c->intended_ns : service;
		t->responses++;
		t->bytes_in += c->resp_bytes;
		t->body_bytes += c->parser.body_bytes;
		t->bytes_out += c->req_len;
		t->status[st < LIM_STATUS_CODES ? st : 0]++;
		/* the span from the moment this thread saw it (the cross-check),
		 * and the first byte's, before the span's own histogram gets it */
		span = worker_span_hist(w);
		hist_record_twin(&t->service_user, &w->user_twin, span, service,
				 w->now_ns - c->sent_ns);
		if (!w->src->response) /* else it records the first byte per label */
			hist_record_twin(&t->first, &w->first_twin, span, service, first);
		hist_record(&t->latency, lat);
		tline_latency(&w->tl, w->now_ns, lat);
		if (w->open_loop)
			hist_record(&t->service, service);
		t->stamped += rx_end;
		t->tx_stamped += tx_start;
		if (w->src->response)
			w->src->response(w, c, lat, service, first);
		else
			judge_2xx(w, c, lat, service);
	} else if (w->src->response) {
		w->src->response(w, c, 0, 0, 0); /* warmup: captures still flow */
	}
	w->last_progress_ns = w->now_ns;
	tq_remove(&c->dl); /* c->tq stays on request_q: arm_idle */
	w->in_flight--;
	c->state = CONN_IDLE;
	c->fails = 0;
	if (keep) {
		conn_issue(w, c);
		return;
	}
	t->closes_by_server += conn_is_measured(w) && !cut && c->parser.peer_closes;
	conn_close(w, c);
	if (wants_conn(w, c))
		conn_open(w, c);
}

/* Bytes with no request outstanding (we never pipeline): counted apart,
 * and the connection closed (what else it carries cannot be trusted). */
static void unsolicited(struct worker *w, struct conn *c, size_t n)
{
	if (conn_is_measured(w)) {
		w->tally.errors[TALLY_ERR_UNSOLICITED]++;
		w->tally.bytes_in += n;
	}
	conn_close(w, c);
	if (wants_conn(w, c))
		conn_open(w, c);
}

/* The class of a response the parser refused. */
static enum tally_err parse_class(const struct h1p *p)
{
	switch (p->err) {
	case H1P_ERR_STATUS_LINE_TOO_LONG:
	case H1P_ERR_HEAD_TOO_LONG:
	case H1P_ERR_TOO_MANY_HEADERS:
		return TALLY_ERR_TOO_LARGE;
	default:
		return TALLY_ERR_PARSE;
	}
}

void conn_on_data(struct worker *w, struct conn *c, const char *p, size_t n)
{
	ssize_t r;

	if (c->state != CONN_BUSY || c->queued) {
		unsolicited(w, c, n);
		return;
	}
	if (c->resp_bytes == 0)
		c->first_ns = worker_arrived_ns(w);
	r = h1p_feed(&c->parser, p, n, w->src->sink ? w->src->sink(w, c) : NULL);
	if (r == H1P_AGAIN) {
		/* --timeout is idle time: it starts again with every read;
		 * --deadline runs from the send (or the connect before it) */
		c->resp_bytes += n;
		arm_idle(w, c, w->now_ns);
		if (!c->dl.owner)
			tq_add_since(&w->deadline_q, &c->dl, c->sent_ns);
		return;
	}
	if (r == H1P_ERROR) {
		c->resp_bytes += n; /* delivered, if not usable */
		conn_fail(w, c, parse_class(&c->parser));
		return;
	}
	c->resp_bytes += (size_t)r;
	/* a whole response, then bytes nobody asked for: the response stands,
	 * the rest is unsolicited and ends the connection (ours to close) */
	bool extra = (size_t)r != n;
	if (extra && conn_is_measured(w)) {
		w->tally.errors[TALLY_ERR_UNSOLICITED]++;
		w->tally.bytes_in += n - (size_t)r;
	}
	complete(w, c, extra);
}

void conn_on_eof(struct worker *w, struct conn *c)
{
	if (c->state != CONN_BUSY || c->queued) {
		/* An idle keep-alive connection closed by the server. */
		if (c->state == CONN_IDLE)
			w->tally.closes_by_server += conn_is_measured(w);
		conn_close(w, c);
		if (wants_conn(w, c))
			conn_open(w, c);
		return;
	}
	if (h1p_eof(&c->parser) == 0) {
		complete(w, c, false); /* a body delimited by the close */
		return;
	}
	conn_fail(w, c, h1p_is_started(&c->parser) ? TALLY_ERR_TRUNCATED : TALLY_ERR_CLOSED);
}

/* A multishot recvmsg read: the payload after the header and the control
 * message, handled with its arrival time; an empty payload is the peer's
 * close. Returns 0, or -1 when the connection was closed here. */
static int on_recvmsg(struct worker *w, struct conn *c, int res, unsigned flags)
{
	/* rx_msg's layout, fixed: the header, no name, RING_RX_CONTROL bytes
	 * of control messages, the payload (liburing's helpers read the
	 * sizes from the msghdr for every read) */
	const size_t head = sizeof(struct io_uring_recvmsg_out) + RING_RX_CONTROL;
	unsigned bid = flags >> IORING_CQE_BUFFER_SHIFT;
	char *buf = ring_buf(&w->ring, bid);
	if ((size_t)res > head) { /* a payload */
		struct io_uring_recvmsg_out *o = (struct io_uring_recvmsg_out *)(void *)buf;
		uint64_t rx = stamp_rx(o, &w->ring.rx_msg, w->real_minus_mono_ns);
		if (rx > w->now_ns) /* came in after this batch read the clock */
			w->now_ns = clock_now_ns();
		w->rx_ns = rx <= w->now_ns ? rx : 0; /* else a clock step */
		w->xp->received(w, c, buf + head, (size_t)res - head);
		w->rx_ns = 0;
		ring_return_buf(&w->ring, bid);
		return 0;
	}
	ring_return_buf(&w->ring, bid);
	if ((size_t)res == head)
		conn_on_eof(w, c); /* a header, no payload */
	else
		conn_fail(w, c, TALLY_ERR_RESET); /* not even the header */
	return -1;
}

static void on_recv(struct worker *w, struct conn *c, int res, unsigned flags)
{
	uint32_t gen = c->gen;
	bool more = flags & IORING_CQE_F_MORE;

	if (!more)
		c->recv_armed = false;
	if (res > 0 && w->ring.feat.rx_stamps) {
		if (on_recvmsg(w, c, res, flags) < 0)
			return;
	} else if (res > 0) {
		unsigned bid = flags >> IORING_CQE_BUFFER_SHIFT;
		w->xp->received(w, c, ring_buf(&w->ring, bid), (size_t)res);
		ring_return_buf(&w->ring, bid);
	} else if (res == -ENOBUFS) {
		w->tally.nobufs++; /* buffers come back as this batch is handled */
	} else if (res == -EINVAL && w->ring.feat.rx_stamps) {
		w->ring.feat.rx_stamps = false; /* kernel without multishot recvmsg */
	} else if (res == -EINVAL && w->ring.feat.multishot) {
		w->ring.feat.multishot = false; /* kernel without multishot recv */
	} else if (res == 0) {
		conn_on_eof(w, c);
		return;
	} else {
		conn_fail(w, c, TALLY_ERR_RESET);
		return;
	}
	if (c->gen == gen && !c->recv_armed && c->state != CONN_CLOSED)
		arm_recv(w, c);
}

static void on_send(struct worker *w, struct conn *c, int res)
{
	if (res < 0) {
		conn_fail(w, c, TALLY_ERR_SEND);
		return;
	}
	c->send_off += (uint32_t)res;
	if (c->send_off < c->req_len &&
	    w->xp->send(w, c, c->req + c->send_off, c->req_len - c->send_off) < 0)
		conn_fail(w, c, TALLY_ERR_SEND);
}

static void on_connect(struct worker *w, struct conn *c, int res)
{
	int r;
	if (res < 0) {
		conn_fail(w, c,
			  res == -ETIMEDOUT ? TALLY_ERR_CONNECT_TIMEOUT
					    : TALLY_ERR_CONNECT_REFUSED);
		return;
	}
	if (conn_is_measured(w))
		hist_record(&w->tally.connect, w->now_ns - c->open_ns);
	r = w->xp->connected(w, c);
	if (r < 0)
		conn_fail(w, c, TALLY_ERR_CONNECT_REFUSED);
	else if (r == 0)
		conn_ready(w, c);
	/* else a handshake: CONN_CONNECTING, on the connect timer, until the
	 * transport calls conn_ready() */
}

void conn_on_cqe(struct worker *w, struct conn *c, enum conn_op op, int res, unsigned flags)
{
	switch (op) {
	case OP_RECV:
		on_recv(w, c, res, flags);
		break;
	case OP_SEND:
		on_send(w, c, res);
		break;
	case OP_CONNECT:
		on_connect(w, c, res);
		break;
	default:
		w->xp->completed(w, c, op, res);
	}
}

void conn_on_timeout(struct worker *w, struct conn *c)
{
	switch (c->state) {
	case CONN_CONNECTING:
		conn_fail(w, c, TALLY_ERR_CONNECT_TIMEOUT);
		break;
	case CONN_BUSY:
		/* an SSE stream the server left open after our response: the
		 * request succeeded, the connection cannot be reused */
		if (w->src->answered_ns && w->src->answered_ns(w, c))
			complete(w, c, true);
		else
			conn_fail(w, c, TALLY_ERR_TIMEOUT);
		break;
	case CONN_RETRY:
		tq_remove(&c->tq);
		c->state = CONN_CLOSED;
		if (wants_conn(w, c))
			conn_open(w, c);
		break;
	default:
		tq_remove(&c->tq);
	}
}

void conn_on_request_expiry(struct worker *w, struct conn *c)
{
	if (c->state != CONN_BUSY || c->queued)
		tq_remove(&c->tq); /* left from a request answered: none in flight */
	else if (w->now_ns < c->idle_from_ns + w->request_q.duration_ns)
		tq_add_since(&w->request_q, &c->tq, c->idle_from_ns); /* sent since */
	else
		conn_on_timeout(w, c);
}

void conn_on_deadline(struct worker *w, struct conn *c)
{
	tq_remove(&c->dl);
	if (c->state == CONN_CONNECTING)
		conn_fail(w, c, TALLY_ERR_DEADLINE);
	else if (c->state != CONN_BUSY)
		return;
	else if (w->src->answered_ns && w->src->answered_ns(w, c))
		complete(w, c, true); /* the response came; the stream goes on */
	else
		conn_fail(w, c, TALLY_ERR_DEADLINE);
}
