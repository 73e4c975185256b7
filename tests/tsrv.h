/*
 * tsrv: the tests' loopback HTTP/1.1 server. One thread per connection; the
 * request path picks the behaviour (see respond() in tsrv.c): /ok, /close,
 * /chunked, /500, /garbage, /cut, /bytewise, /hang, /slow/MS/N (/ok after MS
 * ms, N requests a connection, then none answered), and hostile ones:
 * /flood1xx (interim responses only), /endlesshdr (a header line past every
 * limit), /hugechunk (a chunk size of 2^56), /drop (closes unanswered); else 404.
 */
#ifndef MCPL_TESTS_TSRV_H
#define MCPL_TESTS_TSRV_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tsrv {
	int fd;
	int family;			/* AF_INET (127.0.0.1) or AF_INET6 ([::1]) */
	uint16_t port;			/* ephemeral, chosen by the kernel */
	_Atomic unsigned long requests; /* request heads received */
	_Atomic bool stop;
	/* CLOCK_MONOTONIC ns: until then the whole server answers nothing
	 * (a stall); requests that arrive meanwhile are answered after it. */
	_Atomic uint64_t freeze_until_ns;
};

/* 100 bytes: the /ok body. */
extern const char tsrv_body100[];

/* Listen on an ephemeral loopback port and serve in the background.
 * Returns false when the address family is unavailable. */
bool tsrv_start(struct tsrv *s, int family);

/* Send all of p; false when the peer went. */
bool tsrv_send_all(int fd, const char *p, size_t n);

/* Answer one request (body NUL-terminated, or NULL); false closes. */
typedef bool (*tsrv_answer_fn)(void *srv, int fd, const char *method, const char *path,
			       const char *body);

/* One accepted connection (malloc'd: its thread frees it). */
struct tsrv_conn {
	void *srv;
	int fd;
};

/* Listen on an ephemeral port of family's loopback and accept in the
 * background, each connection on a thread of its own running serve (with
 * a struct tsrv_conn), until *stop. Returns the listening socket (its port
 * in *port) or -1. Any test server of ours starts this way. */
int tsrv_listen(int family, uint16_t *port, void *(*serve)(void *), void *srv, _Atomic bool *stop);

/* A connection's requests (head, Content-Length body) to answer, one by
 * one, until it or the peer closes; frees c. For a thread function. */
void tsrv_serve_requests(struct tsrv_conn *c, tsrv_answer_fn answer);

#endif
