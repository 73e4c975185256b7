/*
 * ttls: the tests' loopback HTTPS server (BearSSL's server side, one thread
 * per connection through tsrv_listen) with certificates the tests make
 * with openssl: a CA, a server certificate for localhost, one expired, one
 * for another name, one from a CA nobody trusts. The certificate served
 * can be switched while it runs; the request path picks the behaviour:
 * /ok (keep-alive), /close (Connection: close, close_notify), /alert (a
 * fatal alert in the clear, which the client cannot authenticate, instead
 * of the response), /trunc (a record cut by the close).
 */
#ifndef MCPL_TESTS_TTLS_H
#define MCPL_TESTS_TTLS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "protocol/tlsc.h"

enum ttls_cert { TTLS_GOOD, TTLS_EXPIRED, TTLS_OTHER_NAME, TTLS_UNTRUSTED, TTLS_CERTS };

struct ttls {
	char dir[64]; /* where the PEM files are: ca.pem, other-ca.pem, client.pem ... */
	struct tlsc certs[TTLS_CERTS];
	_Atomic int which; /* enum ttls_cert served to new connections */
	int fd;
	uint16_t port;
	_Atomic bool stop;
	_Atomic unsigned long served; /* responses written */
	/* the session cache, shared by the connection threads */
	pthread_mutex_t lock;
	br_ssl_session_cache_lru lru;
	const br_ssl_session_cache_class *cache_vtable;
	unsigned char store[64 * 1024];
};

/* Make the certificates (openssl, in a new temporary directory) and serve.
 * Returns false, with the reason on stderr, when that fails. */
bool ttls_start(struct ttls *s);

/* A free loopback port for a server of another program (bound, closed). */
uint16_t ttls_free_port(void);

#endif
