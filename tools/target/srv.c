/*
 * srv: epoll loop per thread. A connection's bytes accumulate in its input
 * buffer; a complete request (head + Content-Length body) is routed, its
 * response built and either written at once or parked in the heap until
 * its release time. Chunked request bodies are answered 501 (no client of
 * the target sends them; RFC 9112 6.1 lets a server refuse with 501).
 */
#include "tools/target/srv.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "core/engine/clock.h"
#include "protocol/h1q.h"
#include "tools/target/metrics.h"
#include "tools/target/route.h"

#define MAX_BODY (1u << 20) /* request body limit: 413 beyond */
#define MAX_FD	 65536u	    /* connections tracked by descriptor number */
#define HEAP_MAX MAX_FD	    /* at most one parked response per connection */

static _Atomic int stopping;

struct sconn {
	int fd;
	uint32_t gen;
	char *in; /* received, not yet consumed */
	size_t in_len, in_cap;
	char *out; /* response being written */
	size_t out_len, out_off, out_cap;
	unsigned served;
	bool close_after; /* close once out is written */
	bool parked;	  /* response waits in the heap */
	uint32_t events;  /* what epoll watches now: changed only when needed */
	/* for metrics, recorded when the response is released */
	uint64_t arrived_ns;	  /* head of the request in hand: 0 when none */
	uint64_t release_from_ns; /* arrival of the parked response's request */
	int status, res_type;
	int tool;
	enum fault_group group;
	bool hit;
};

struct parked {
	uint64_t at_ns;
	int fd;
	uint32_t gen;
};

struct sthread {
	const struct srv_cfg *cfg;
	int ep, lfd;
	struct sconn *conns; /* indexed by fd */
	struct parked *heap;
	unsigned heap_len;
	uint64_t rng;
	struct resp resp;
	pthread_t tid;
};

void srv_stop(void)
{
	atomic_store(&stopping, 1);
}

/* --- heap of parked responses, earliest first --- */
static void heap_push(struct sthread *t, struct parked p)
{
	unsigned i = t->heap_len++;
	while (i && t->heap[(i - 1) / 2].at_ns > p.at_ns) {
		t->heap[i] = t->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	t->heap[i] = p;
}

static struct parked heap_pop(struct sthread *t)
{
	struct parked top = t->heap[0], last = t->heap[--t->heap_len];
	unsigned i = 0;
	for (;;) {
		unsigned c = 2 * i + 1;
		if (c >= t->heap_len)
			break;
		if (c + 1 < t->heap_len && t->heap[c + 1].at_ns < t->heap[c].at_ns)
			c++;
		if (t->heap[c].at_ns >= last.at_ns)
			break;
		t->heap[i] = t->heap[c];
		i = c;
	}
	if (t->heap_len)
		t->heap[i] = last;
	return top;
}

static void conn_close(struct sthread *t, struct sconn *c)
{
	epoll_ctl(t->ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->gen++;
	c->in_len = c->out_len = c->out_off = 0;
	c->served = 0;
	c->close_after = c->parked = false;
}

static int set_events(struct sthread *t, struct sconn *c, uint32_t ev)
{
	struct epoll_event e = {.events = ev, .data.fd = c->fd};
	if (c->events == ev)
		return 0; /* one system call per request saved */
	c->events = ev;
	return epoll_ctl(t->ep, EPOLL_CTL_MOD, c->fd, &e);
}

static int reserve_out(struct sconn *c, size_t need)
{
	if (c->out_cap >= need)
		return 0;
	size_t cap = c->out_cap ? c->out_cap : 4096;
	while (cap < need)
		cap *= 2;
	char *b = realloc(c->out, cap);
	if (!b)
		return -ENOMEM;
	c->out = b;
	c->out_cap = cap;
	return 0;
}

static const char *reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 202:
		return "Accepted";
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 413:
		return "Content Too Large";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 507:
		return "Insufficient Storage";
	default:
		return "Status";
	}
}

/* Serialise t->resp into c->out: Content-Length, or one chunk and the
 * last-chunk when the response is chunked. */
static int build(struct sthread *t, struct sconn *c, bool head_only)
{
	const struct resp *r = &t->resp;
	char head[768], extra[256] = "", frame[24] = "";
	int e = 0;
	if (r->ctype)
		e += snprintf(extra + e, sizeof(extra) - (size_t)e, "Content-Type: %s\r\n",
			      r->ctype);
	if (r->chunked)
		e += snprintf(extra + e, sizeof(extra) - (size_t)e,
			      "Transfer-Encoding: chunked\r\n");
	else
		e += snprintf(extra + e, sizeof(extra) - (size_t)e, "Content-Length: %zu\r\n",
			      r->len);
	if (r->allow)
		e += snprintf(extra + e, sizeof(extra) - (size_t)e, "Allow: %s\r\n", r->allow);
	if (r->xcache)
		e += snprintf(extra + e, sizeof(extra) - (size_t)e, "X-Cache: %s\r\n", r->xcache);
	if (r->session[0])
		e += snprintf(extra + e, sizeof(extra) - (size_t)e, "Mcp-Session-Id: %s\r\n",
			      r->session);
	if (c->close_after)
		snprintf(extra + e, sizeof(extra) - (size_t)e, "Connection: close\r\n");
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\n%s\r\n", r->status,
			 reason(r->status), extra);
	size_t body = head_only ? 0 : r->len;
	int fl = 0;
	if (r->chunked && !head_only && body)
		fl = snprintf(frame, sizeof(frame), "%zx\r\n", body);
	static const char last[] = "\r\n0\r\n\r\n";
	size_t tail = r->chunked && !head_only ? (body ? sizeof(last) - 1 : 5) : 0;
	if (r->open_stream && body)
		tail = 2; /* the chunk's CRLF, never the last-chunk */
	if (n < 0 || (size_t)n >= sizeof(head) ||
	    reserve_out(c, (size_t)n + (size_t)fl + body + tail) < 0)
		return -ENOMEM;
	memcpy(c->out, head, (size_t)n);
	memcpy(c->out + n, frame, (size_t)fl);
	if (body)
		memcpy(c->out + n + fl, r->body, body);
	memcpy(c->out + n + fl + body, body ? last : last + 2, tail);
	c->out_len = (size_t)n + (size_t)fl + body + tail;
	c->out_off = 0;
	return 0;
}

static void simple(struct sthread *t, int status, const char *msg)
{
	t->resp.status = status;
	t->resp.ctype = "application/json";
	t->resp.allow = NULL;
	t->resp.len = 0;
	t->resp.group = FG_HEALTH;
	t->resp.extra_delay_ns = 0;
	t->resp.xcache = NULL;
	t->resp.session[0] = 0;
	t->resp.chunked = false;
	t->resp.tool = -1;
	t->resp.res_type = -1;
	resp_printf(&t->resp, "{\"error\":\"%s\"}", msg);
}

static void flush_out(struct sthread *t, struct sconn *c);

/*
 * Handle the next complete request in c->in, if any. Returns true when a
 * response was produced (sent or parked).
 */
static bool next_request(struct sthread *t, struct sconn *c)
{
	const struct fault_cfg *f = &t->cfg->faults;
	struct h1q_req q;
	ssize_t head = h1q_parse(c->in, c->in_len, &q);
	size_t used;
	bool head_only = false;

	if (head == H1Q_AGAIN)
		return false;
	if (c->arrived_ns == 0)
		c->arrived_ns = clock_now_ns();
	if (head == H1Q_ERROR) {
		simple(t, 400, h1q_err_str(q.err));
		c->close_after = true;
		used = c->in_len;
	} else if (q.chunked) {
		simple(t, 501, "chunked request bodies are not supported");
		c->close_after = true;
		used = c->in_len;
	} else if (q.content_length > MAX_BODY) {
		simple(t, 413, "request body over 1 MiB");
		c->close_after = true;
		used = c->in_len;
	} else {
		if (c->in_len - (size_t)head < q.content_length)
			return false; /* the body is still coming; arrived_ns stays */
		used = (size_t)head + q.content_length;
		head_only = q.method.len == 4 && memcmp(q.method.ptr, "HEAD", 4) == 0;
		route_handle(&q, c->in + head, (size_t)q.content_length, f, &t->rng, &t->resp);
		c->close_after = !q.keep_alive;
	}
	c->served++;
	if (f->close_after && c->served >= f->close_after)
		c->close_after = true;
	if (f->leak_bytes) {
		char *leak = malloc(f->leak_bytes);
		if (leak)
			memset(leak, 0xa5, f->leak_bytes); /* resident, never freed */
	}
	if (build(t, c, head_only) < 0) {
		conn_close(t, c);
		return false;
	}
	memmove(c->in, c->in + used, c->in_len - used);
	uint64_t arrived = c->arrived_ns;
	c->arrived_ns = 0;
	c->in_len -= used;
	c->status = t->resp.status;
	c->group = t->resp.group;
	c->res_type = t->resp.res_type;
	c->tool = t->resp.tool;
	c->hit = t->resp.xcache && t->resp.xcache[0] == 'H';

	uint64_t now = clock_now_ns();
	uint64_t ready =
	    now + fault_draw_delay(&f->delay[t->resp.group], &t->rng) + t->resp.extra_delay_ns;
	uint64_t at = fault_release_ns(f, t->cfg->origin_ns, ready);
	if (at > now) {
		c->parked = true;
		set_events(t, c, 0);
		c->release_from_ns = arrived;
		heap_push(t, (struct parked){at, c->fd, c->gen});
		return true;
	}
	metrics_record(c->group, c->status, clock_now_ns() - arrived, c->res_type, c->hit);
	metrics_tool(c->tool, clock_now_ns() - arrived);
	flush_out(t, c);
	return true;
}

/* Write what is pending; then close, or go on with buffered requests. */
static void flush_out(struct sthread *t, struct sconn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			set_events(t, c, EPOLLOUT);
			return;
		}
		if (w <= 0) {
			conn_close(t, c);
			return;
		}
		c->out_off += (size_t)w;
	}
	c->out_len = c->out_off = 0;
	if (c->close_after) {
		conn_close(t, c);
		return;
	}
	set_events(t, c, EPOLLIN);
	if (c->in_len)
		next_request(t, c); /* pipelined or already buffered */
}

static void on_readable(struct sthread *t, struct sconn *c)
{
	for (;;) {
		if (c->in_cap - c->in_len < 4096) {
			size_t cap = c->in_cap ? c->in_cap * 2 : 16384;
			char *b;
			if (cap > LIM_HEAD_BYTES + MAX_BODY + 16384) {
				conn_close(t, c);
				return;
			}
			b = realloc(c->in, cap);
			if (!b) {
				conn_close(t, c);
				return;
			}
			c->in = b;
			c->in_cap = cap;
		}
		size_t room = c->in_cap - c->in_len;
		ssize_t n = recv(c->fd, c->in + c->in_len, room, 0);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			conn_close(t, c);
			return;
		}
		c->in_len += (size_t)n;
		/* A short read took everything there was; level-triggered epoll
		 * reports anything newer, so no second recv just to see EAGAIN. */
		if ((size_t)n < room)
			break;
	}
	if (!c->parked && c->out_len == 0)
		next_request(t, c);
}

static void on_accept(struct sthread *t)
{
	for (;;) {
		int fd = accept4(t->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		int one = 1;
		if (fd < 0)
			return;
		if ((unsigned)fd >= MAX_FD) {
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		struct sconn *c = &t->conns[fd];
		c->fd = fd;
		c->events = EPOLLIN;
		struct epoll_event e = {.events = EPOLLIN, .data.fd = fd};
		if (epoll_ctl(t->ep, EPOLL_CTL_ADD, fd, &e) < 0) {
			close(fd);
			c->fd = -1;
		}
	}
}

static void release_due(struct sthread *t, uint64_t now)
{
	while (t->heap_len && t->heap[0].at_ns <= now) {
		struct parked p = heap_pop(t);
		struct sconn *c = &t->conns[p.fd];
		if (c->fd != p.fd || c->gen != p.gen)
			continue; /* the connection went away meanwhile */
		c->parked = false;
		metrics_record(c->group, c->status, now - c->release_from_ns, c->res_type, c->hit);
		metrics_tool(c->tool, now - c->release_from_ns);
		flush_out(t, c);
	}
}

static void *thread_main(void *arg)
{
	struct sthread *t = arg;
	struct epoll_event ev[256];
	while (!atomic_load(&stopping)) {
		uint64_t now = clock_now_ns(), wait = 100000000ull;
		if (t->heap_len)
			wait = t->heap[0].at_ns > now ? t->heap[0].at_ns - now : 0;
		if (wait > 100000000ull)
			wait = 100000000ull; /* see the stop flag within 100 ms */
		struct timespec ts = {(time_t)(wait / 1000000000u), (long)(wait % 1000000000u)};
		int n = epoll_pwait2(t->ep, ev, 256, &ts, NULL);
		for (int i = 0; i < n; i++) {
			if (ev[i].data.fd == t->lfd) {
				on_accept(t);
				continue;
			}
			struct sconn *c = &t->conns[ev[i].data.fd];
			if (c->fd < 0)
				continue;
			if (ev[i].events & (EPOLLERR | EPOLLHUP) && !(ev[i].events & EPOLLIN))
				conn_close(t, c);
			else if (ev[i].events & EPOLLOUT)
				flush_out(t, c);
			else if (ev[i].events & EPOLLIN)
				on_readable(t, c);
		}
		release_due(t, clock_now_ns());
	}
	return NULL;
}

static int listen_on(const struct srv_cfg *cfg, struct sthread *t, uint16_t port, const char **why)
{
	struct sockaddr_storage a = cfg->addr;
	int one = 1;
	if (a.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&a)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)&a)->sin_port = htons(port);
	t->lfd = socket(a.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->lfd < 0) {
		*why = "socket";
		return -errno;
	}
	setsockopt(t->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(t->lfd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	if (bind(t->lfd, (struct sockaddr *)&a, cfg->addr_len) < 0) {
		*why = "bind";
		return -errno;
	}
	if (listen(t->lfd, 4096) < 0) {
		*why = "listen";
		return -errno;
	}
	t->ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event e = {.events = EPOLLIN, .data.fd = t->lfd};
	if (t->ep < 0 || epoll_ctl(t->ep, EPOLL_CTL_ADD, t->lfd, &e) < 0) {
		*why = "epoll";
		return -errno;
	}
	t->conns = calloc(MAX_FD, sizeof(*t->conns));
	t->heap = calloc(HEAP_MAX, sizeof(*t->heap));
	if (!t->conns || !t->heap) {
		*why = "allocating connections";
		return -ENOMEM;
	}
	for (unsigned i = 0; i < MAX_FD; i++)
		t->conns[i].fd = -1;
	return 0;
}

int srv_run(const struct srv_cfg *cfg, uint16_t *port_out, void (*on_listening)(uint16_t port),
	    const char **why)
{
	struct sthread *ts = calloc(cfg->threads, sizeof(*ts));
	uint16_t port = ntohs(cfg->addr.ss_family == AF_INET6
				  ? ((const struct sockaddr_in6 *)&cfg->addr)->sin6_port
				  : ((const struct sockaddr_in *)&cfg->addr)->sin_port);
	int err = 0;
	if (!ts) {
		*why = "allocating threads";
		return -ENOMEM;
	}
	for (unsigned i = 0; i < cfg->threads && !err; i++) {
		ts[i].cfg = cfg;
		ts[i].rng = cfg->origin_ns ^ (0x9e3779b97f4a7c15ull * (i + 1));
		err = listen_on(cfg, &ts[i], port, why);
		if (!err && port == 0) {
			/* the first listener picked the port: the others share it */
			struct sockaddr_storage got;
			socklen_t len = sizeof(got);
			getsockname(ts[i].lfd, (struct sockaddr *)&got, &len);
			port = ntohs(got.ss_family == AF_INET6
					 ? ((struct sockaddr_in6 *)&got)->sin6_port
					 : ((struct sockaddr_in *)&got)->sin_port);
		}
	}
	if (!err) {
		*port_out = port;
		if (on_listening)
			on_listening(port);
		for (unsigned i = 0; i < cfg->threads; i++)
			pthread_create(&ts[i].tid, NULL, thread_main, &ts[i]);
		for (unsigned i = 0; i < cfg->threads; i++)
			pthread_join(ts[i].tid, NULL);
	}
	for (unsigned i = 0; i < cfg->threads; i++) {
		if (ts[i].conns) {
			for (unsigned fd = 0; fd < MAX_FD; fd++) {
				free(ts[i].conns[fd].in);
				free(ts[i].conns[fd].out);
				if (ts[i].conns[fd].fd >= 0)
					close(ts[i].conns[fd].fd);
			}
		}
		free(ts[i].conns);
		free(ts[i].heap);
		free(ts[i].resp.body);
		if (ts[i].lfd > 0)
			close(ts[i].lfd);
		if (ts[i].ep > 0)
			close(ts[i].ep);
	}
	free(ts);
	return err;
}
