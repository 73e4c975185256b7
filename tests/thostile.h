/*
 * thostile: the project's own hostile server, for tests/test_hostile.
 * Every path /h/NAME is one way of being broken or malicious (the status
 * line, line endings, headers, Content-Length, chunked coding, timing,
 * bodies, JSON-RPC, SSE, MCP sessions); POSTs to it answer the MCP
 * handshake properly, so that the case's fault meets a scenario's
 * tools/call. The table says which error class mcpload must report.
 * Loopback only.
 */
#ifndef MCPL_TESTS_THOSTILE_H
#define MCPL_TESTS_THOSTILE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "stats/tally.h"

/* How a case answers, beside its canned bytes. */
enum thostile_do {
	TH_SEND,       /* send the bytes, keep the connection */
	TH_SEND_CLOSE, /* send the bytes, then close */
	TH_SEND_HANG,  /* send the bytes, then never anything more */
	TH_SEND_RST,   /* send the bytes, then reset the connection */
	TH_DRIP,       /* send the bytes one every 50 ms */
	TH_LATE,       /* send the bytes 600 ms later */
	TH_ENDLESS,    /* repeat the bytes for ever */
	TH_TWICE,      /* send the bytes twice at once (a second, unsolicited) */
	TH_HEADERS,    /* a status line, then the bytes (header lines) for ever */
};

/* What mcpload must report for a case: an error class, or a status class
 * (4 or 5: 4xx/5xx), or success; MCP cases go through tools/call. */
struct thostile_case {
	const char *name;
	const char *bytes; /* the response, as sent (may be NULL: none) */
	enum thostile_do how;
	bool mcp;	  /* the fault answers tools/call after a proper handshake */
	int want;	  /* an enum tally_err; -4 / -5: status 4xx / 5xx; -1: success */
	bool unsolicited; /* and unsolicited bytes are counted */
};

/* The cases, in order; *n gets the count. */
const struct thostile_case *thostile_cases(unsigned *n);

struct thostile {
	int fd;
	uint16_t port;
	_Atomic bool stop;
	_Atomic unsigned long requests;
};

/* Listen on an ephemeral 127.0.0.1 port and serve in the background. */
bool thostile_start(struct thostile *s);

#endif
