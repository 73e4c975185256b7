/*
 * pio: the probe's blocking connection with deadlines, plain TCP or TLS
 * (BearSSL's engine pumped with poll(); never on a worker). A TLS failure
 * is returned as -EPROTO with its words in why.
 */
#ifndef MCPL_CORE_PROBE_PIO_H
#define MCPL_CORE_PROBE_PIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

struct tlsc;
struct tlsc_conn;

struct pio {
	int fd;
	const struct tlsc *tls;	    /* NULL: plain TCP */
	struct tlsc_conn *tc;	    /* owned, with its buffers */
	unsigned char *ibuf, *obuf; /* owned */
	uint64_t deadline_ns;	    /* for everything after the connect */
	int plain_http;		    /* -1 no byte yet, else whether "HTTP/" came first */
	char why[300];		    /* a TLS failure in words */
};

/*
 * Connect to addr within connect_ns, then (tls) do the handshake before
 * deadline_ns. Returns 0, or -errno (-EPROTO: a TLS failure, in p->why).
 * pio_close() either way.
 */
int pio_open(struct pio *p, const struct sockaddr *addr, socklen_t addr_len, const struct tlsc *tls,
	     uint64_t connect_ns, uint64_t deadline_ns);
/* Send all of buf. Returns 0 or -errno. */
int pio_send(struct pio *p, const void *buf, size_t len);
/* Receive up to cap bytes: the count, 0 at the end of the stream, -errno. */
ssize_t pio_recv(struct pio *p, void *buf, size_t cap);
void pio_close(struct pio *p);

#endif
