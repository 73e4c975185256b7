/*
 * tsrv: the tests' loopback HTTP/1.1 server. One thread per connection; the
 * request path picks the behaviour (see respond() in tsrv.c): /ok, /close,
 * /chunked, /500, /garbage, /cut, /bytewise, /hang, and hostile ones:
 * /flood1xx (interim responses only), /endlesshdr (a header line past every
 * limit), /hugechunk (a chunk size of 2^56), /drop (closes unanswered); else 404.
 */
#ifndef MCPL_TESTS_TSRV_H
#define MCPL_TESTS_TSRV_H

#include <stdatomic.h>
#include <stdbool.h>
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

#endif
