/*
 * tsrv: the tests' loopback HTTP/1.1 server (see tsrv.h). Deliberately
 * simple and blocking; it only ever listens on 127.0.0.1 or [::1].
 */
#include "tests/tsrv.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

const char tsrv_body100[] = "0123456789012345678901234567890123456789012345678901234567890123456789"
			    "012345678901234567890123456789";

bool tsrv_send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static bool respond_ok(int fd)
{
	char buf[256];
	int n = snprintf(buf, sizeof(buf), "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n%s",
			 tsrv_body100);
	return tsrv_send_all(fd, buf, (size_t)n);
}

/* /slow/MS/N: /ok after MS milliseconds, the first N requests of a
 * connection (N 0: every one); the next is never answered. */
static bool slow(int fd, const char *path, unsigned served)
{
	unsigned ms = 0, most = 0;
	if (sscanf(path, "/slow/%u/%u", &ms, &most) != 2 || ms > 10000)
		return false;
	if (most && served >= most)
		return true; /* read the next request, which never comes */
	struct timespec pause = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000};
	nanosleep(&pause, NULL);
	return respond_ok(fd);
}

/* Answer one request, the connection's served-th (from 0); returns false
 * to close the connection. */
static bool respond(int fd, const char *path, unsigned served)
{
	char buf[512];
	if (strncmp(path, "/slow/", 6) == 0)
		return slow(fd, path, served);
	if (strncmp(path, "/ok", 3) == 0)
		return respond_ok(fd);
	if (strncmp(path, "/close", 6) == 0) {
		int n =
		    snprintf(buf, sizeof(buf),
			     "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
		tsrv_send_all(fd, buf, (size_t)n);
		return false;
	}
	if (strncmp(path, "/chunked", 8) == 0) {
		static const char r[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
					"5\r\nhello\r\n7;x=y\r\n, world\r\n0\r\nX-T: 1\r\n\r\n";
		return tsrv_send_all(fd, r, sizeof(r) - 1);
	}
	if (strncmp(path, "/500", 4) == 0) {
		static const char r[] =
		    "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n";
		return tsrv_send_all(fd, r, sizeof(r) - 1);
	}
	if (strncmp(path, "/garbage", 8) == 0) {
		static const char r[] = "HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n";
		tsrv_send_all(fd, r, sizeof(r) - 1);
		return true; /* the client must drop the connection itself */
	}
	if (strncmp(path, "/cut", 4) == 0) {
		static const char r[] = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789";
		tsrv_send_all(fd, r, sizeof(r) - 1);
		return false;
	}
	if (strncmp(path, "/bytewise", 9) == 0) {
		int n = snprintf(buf, sizeof(buf),
				 "HTTP/1.1 200 OK\r\nX-Long: %s\r\nContent-Length: 100\r\n\r\n%s",
				 tsrv_body100, tsrv_body100);
		for (int i = 0; i < n; i++) {
			if (!tsrv_send_all(fd, buf + i, 1))
				return false;
			if (i % 16 == 0)
				usleep(50);
		}
		return true;
	}
	if (strncmp(path, "/flood1xx", 9) == 0) {
		/* interim responses forever: the final one never comes */
		static const char c100[] = "HTTP/1.1 100 Continue\r\n\r\n";
		for (int i = 0; i < 20000; i++) {
			if (!tsrv_send_all(fd, c100, sizeof(c100) - 1))
				return false;
		}
		return true;
	}
	if (strncmp(path, "/endlesshdr", 11) == 0) {
		/* a header line that never ends: the head limit must stop it */
		static char a[65536];
		memset(a, 'a', sizeof(a));
		tsrv_send_all(fd, "HTTP/1.1 200 OK\r\nX: ", 20);
		for (int i = 0; i < 4; i++) {
			if (!tsrv_send_all(fd, a, sizeof(a)))
				return false;
		}
		return true;
	}
	if (strncmp(path, "/hugechunk", 10) == 0) {
		static const char r[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
					"ffffffffffffff\r\nxx";
		return tsrv_send_all(fd, r, sizeof(r) - 1);
	}
	if (strncmp(path, "/drop", 5) == 0) {
		return false; /* read the request, answer nothing, close */
	}
	if (strncmp(path, "/hang", 5) == 0) {
		return true; /* read the next request, which never comes */
	}
	static const char r[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
	return tsrv_send_all(fd, r, sizeof(r) - 1);
}

static void *client_thread(void *arg)
{
	struct tsrv_conn *cl = arg;
	struct tsrv *srv = cl->srv;
	char buf[8192];
	size_t have = 0;
	for (unsigned served = 0;;) {
		ssize_t n = recv(cl->fd, buf + have, sizeof(buf) - 1 - have, 0);
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = 0;
		char *end = strstr(buf, "\r\n\r\n");
		if (!end)
			continue;
		atomic_fetch_add(&srv->requests, 1);
		char path[256] = "";
		for (;;) {
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			uint64_t now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
			if (now >= atomic_load(&srv->freeze_until_ns))
				break;
			usleep(200);
		}
		sscanf(buf, "%*s %255s", path);
		size_t used = (size_t)(end + 4 - buf);
		memmove(buf, buf + used, have - used);
		have -= used;
		if (!respond(cl->fd, path, served++))
			break;
	}
	close(cl->fd);
	free(cl);
	return NULL;
}

struct acceptor {
	int fd;
	void *(*serve)(void *);
	void *srv;
	_Atomic bool *stop;
};

static void *accept_thread(void *arg)
{
	struct acceptor *a = arg;
	while (!atomic_load(a->stop)) {
		int fd = accept(a->fd, NULL, NULL);
		if (fd < 0)
			continue;
		struct tsrv_conn *c = malloc(sizeof(*c));
		pthread_t t;
		c->srv = a->srv;
		c->fd = fd;
		pthread_create(&t, NULL, a->serve, c);
		pthread_detach(t);
	}
	free(a);
	return NULL;
}

int tsrv_listen(int family, uint16_t *port, void *(*serve)(void *), void *srv, _Atomic bool *stop)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1, fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	pthread_t t;
	memset(&ss, 0, sizeof(ss));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*a);
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 512) < 0) {
		close(fd);
		return -1;
	}
	getsockname(fd, (struct sockaddr *)&ss, &len);
	*port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					 : ((struct sockaddr_in *)&ss)->sin_port);
	struct acceptor *a = malloc(sizeof(*a));
	*a = (struct acceptor){fd, serve, srv, stop};
	pthread_create(&t, NULL, accept_thread, a);
	pthread_detach(t);
	return fd;
}

bool tsrv_start(struct tsrv *s, int family)
{
	memset(s, 0, sizeof(*s));
	s->family = family;
	s->fd = tsrv_listen(family, &s->port, client_thread, s, &s->stop);
	return s->fd >= 0;
}

void tsrv_serve_requests(struct tsrv_conn *c, tsrv_answer_fn answer)
{
	size_t cap = 1 << 17, have = 0;
	char *buf = malloc(cap);
	while (buf) {
		ssize_t n = recv(c->fd, buf + have, cap - 1 - have, 0);
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = 0;
		char *end, *cl, method[16], path[512];
		bool keep = true;
		while (keep && (end = strstr(buf, "\r\n\r\n")) != NULL) {
			size_t head = (size_t)(end + 4 - buf);
			cl = strcasestr(buf, "\r\nContent-Length:");
			size_t blen = cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0;
			if (blen > 65536 || sscanf(buf, "%15s %511s", method, path) != 2) {
				keep = false;
				break;
			}
			if (head + blen > have)
				break;
			char save = buf[head + blen];
			buf[head + blen] = 0;
			keep = answer(c->srv, c->fd, method, path, blen ? buf + head : NULL);
			buf[head + blen] = save;
			memmove(buf, buf + head + blen, have - head - blen);
			have -= head + blen;
			buf[have] = 0;
		}
		if (!keep || have + 1 >= cap)
			break;
	}
	free(buf);
	close(c->fd);
	free(c);
}
