/*
 * tproc: the process-level test helpers: start mcpload-target
 * ($MCPLOAD_TARGET) on a free loopback port and talk to it with a plain
 * blocking client that reads responses with protocol/h1p. Header-only
 * (static inline), like t.h, for the tests that drive the target.
 */
#ifndef MCPL_TESTS_TPROC_H
#define MCPL_TESTS_TPROC_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/engine/clock.h"
#include "protocol/h1p.h"
#include "tests/t.h"

struct target {
	pid_t pid;
	uint16_t port;
};

struct reply {
	int status;
	bool chunked;
	char session[40];
	char ctype[48];
	char xcache[8];
	bool closed_after; /* Connection: close, and the server closed */
	char body[65536];
	size_t len;
	char conn_hdr[32];
};

static inline bool start(struct target *t, const char *const extra[])
{
	const char *bin =
	    getenv("MCPLOAD_TARGET") ? getenv("MCPLOAD_TARGET") : "build/mcpload-target";
	char *argv[24];
	int n = 0, out[2];
	argv[n++] = (char *)bin;
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	argv[n++] = "-t";
	argv[n++] = "2";
	for (int i = 0; extra && extra[i] && n < 22; i++)
		argv[n++] = (char *)extra[i];
	argv[n] = NULL;
	if (pipe(out))
		return false;
	t->pid = fork();
	if (t->pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		alarm(120); /* never outlive the test */
		/* the server the suite judges, ahead of other work on a busy
		 * machine where that is allowed (as make demo does): the tests
		 * check the suite's judgement, not this machine's scheduler */
		if (setpriority(PRIO_PROCESS, 0, -10) != 0)
			errno = 0;
		execv(bin, argv);
		_exit(127);
	}
	close(out[1]);
	char line[128] = "";
	ssize_t r = read(out[0], line, sizeof(line) - 1);
	close(out[0]);
	if (r <= 0)
		return false;
	line[r] = 0;
	unsigned port = 0;
	if (sscanf(line, "mcpload-target listening on port %u", &port) != 1)
		return false;
	t->port = (uint16_t)port;
	return true;
}

/* start() a target told to leak (--leak): the sanitizer build would report
 * at exit the leak it was asked for, so its leak check is off for it. */
static inline bool start_leaking(struct target *t, const char *const extra[])
{
	const char *asan = getenv("ASAN_OPTIONS");
	char saved[256];
	snprintf(saved, sizeof(saved), "%s", asan ? asan : "");
	setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
	bool up = start(t, extra);
	if (asan)
		setenv("ASAN_OPTIONS", saved, 1);
	else
		unsetenv("ASAN_OPTIONS");
	return up;
}

static inline void stop(struct target *t)
{
	int st;
	kill(t->pid, SIGTERM);
	waitpid(t->pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0); /* a clean stop */
}

static inline int dial(const struct target *t)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons(t->port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static inline void on_header(void *ctx, const char *name, size_t nl, const char *v, size_t vl,
			     bool last)
{
	struct reply *r = ctx;
	(void)last;
	if (nl == 14 && memcmp(name, "mcp-session-id", 14) == 0 && vl < sizeof(r->session)) {
		memcpy(r->session, v, vl);
		r->session[vl] = 0;
	}
	if (nl == 12 && memcmp(name, "content-type", 12) == 0 && vl < sizeof(r->ctype)) {
		memcpy(r->ctype, v, vl);
		r->ctype[vl] = 0;
	}
	if (nl == 7 && memcmp(name, "x-cache", 7) == 0 && vl < sizeof(r->xcache)) {
		memcpy(r->xcache, v, vl);
		r->xcache[vl] = 0;
	}
	if (nl == 10 && memcmp(name, "connection", 10) == 0 && vl < sizeof(r->conn_hdr)) {
		memcpy(r->conn_hdr, v, vl);
		r->conn_hdr[vl] = 0;
	}
}

static inline void on_body(void *ctx, const char *p, size_t n)
{
	struct reply *r = ctx;
	if (r->len + n < sizeof(r->body)) {
		memcpy(r->body + r->len, p, n);
		r->len += n;
	}
	r->body[r->len] = 0;
}

/* Send one request on fd and read its response. Returns false on a
 * transport or parse failure. */
static inline bool exchange_h(int fd, const char *method, const char *path, const char *headers,
			      const char *body, struct reply *r)
{
	char req[4096], buf[16384];
	int n = snprintf(req, sizeof(req),
			 "%s %s HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n%s"
			 "Content-Length: %zu\r\n\r\n%s",
			 method, path, headers ? headers : "", body ? strlen(body) : 0,
			 body ? body : "");
	struct h1p st;
	struct h1p_sink sink = {on_header, on_body, r};
	memset(r, 0, sizeof(*r));
	if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n)
		return false;
	h1p_reset(&st, strcmp(method, "HEAD") == 0);
	for (;;) {
		ssize_t got = recv(fd, buf, sizeof(buf), 0);
		if (got <= 0)
			return false;
		ssize_t p = h1p_feed(&st, buf, (size_t)got, &sink);
		if (p == H1P_ERROR)
			return false;
		if (p >= 0)
			break;
	}
	r->status = st.status;
	r->chunked = st.chunked;
	if (!st.keep_alive)
		r->closed_after = recv(fd, buf, 1, 0) == 0;
	return true;
}

static inline bool exchange(int fd, const char *method, const char *path, const char *body,
			    struct reply *r)
{
	return exchange_h(fd, method, path, NULL, body, r);
}

/* One request on a new connection. */
static inline int once(const struct target *t, const char *method, const char *path,
		       const char *body, struct reply *r)
{
	int fd = dial(t);
	bool ok = fd >= 0 && exchange(fd, method, path, body, r);
	if (fd >= 0)
		close(fd);
	return ok ? r->status : -1;
}

static inline double ms_since(uint64_t t0)
{
	return (double)(clock_now_ns() - t0) / 1e6;
}

#endif
