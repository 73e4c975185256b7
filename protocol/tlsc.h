/*
 * tlsc: the TLS client's configuration and its BearSSL contexts, without
 * I/O: trust anchors from PEM (--cacert or the system bundle), a client
 * certificate and key (--cert, --key), verification or --insecure, the
 * engine's settings (TLS 1.2, ALPN http/1.1, AES-GCM first with AES-NI),
 * and the words and class of every failure. The engine (core/engine/tls)
 * and the probe drive the contexts with their own I/O.
 */
#ifndef MCPL_PROTOCOL_TLSC_H
#define MCPL_PROTOCOL_TLSC_H

#include <bearssl.h>
#include <stdbool.h>
#include <stddef.h>

#include "protocol/tlsv.h"

#define TLSC_SYSTEM_CAS "/etc/ssl/certs/ca-certificates.crt"

/* Buffer sizes of one connection: a whole record in (BearSSL cannot take
 * less unless the server agrees to a smaller fragment length, which few
 * do), 4 KiB of plaintext per record out (a request larger than that goes
 * as several records). */
#define TLSC_IBUF BR_SSL_BUFSIZE_INPUT
#define TLSC_OBUF (4096 + 85)

struct tlsc {
	br_x509_trust_anchor *tas; /* owned */
	size_t ntas;
	br_x509_certificate *chain; /* owned: the client certificate chain */
	size_t nchain;
	br_skey_decoder_context key; /* the client key (when nchain) */
	bool insecure;		     /* no verification (--insecure) */
	bool resume;		     /* offer the last session again (default on) */
	bool aes_first;		     /* AES-GCM before ChaCha20: the CPU has AES-NI */
	char name[256];		     /* SNI and the name checked, "" for an IP literal */
	char host[256];		     /* the URL's host, for messages */
};

/* The classes of TLS failures, each told apart in reports. */
enum tlsc_class {
	TLSC_CA,	/* the chain is not signed by a trusted anchor */
	TLSC_EXPIRED,	/* expired or not yet valid */
	TLSC_NAME,	/* the certificate is not for the host */
	TLSC_HANDSHAKE, /* any other handshake failure */
	TLSC_ALERT,	/* after the handshake: a fatal alert, a record that fails its check */
	TLSC_TRUNCATED, /* the connection ended inside a record */
	TLSC_VERSION,	/* the server will not speak TLS 1.2 (TLS 1.3 only) */
};

/*
 * Load the trust anchors from cafile (NULL: the system bundle), and a
 * client certificate chain and key (both NULL: none). host is the URL's
 * host: a name is sent as SNI and checked against the certificate; an IP
 * literal is neither (BearSSL matches names only). Returns 0, or -errno
 * with a one-line reason in why. tlsc_free() either way.
 */
int tlsc_load(struct tlsc *t, const char *host, const char *cafile, const char *cert,
	      const char *key, bool insecure, char *why, size_t why_len);
/* The same from PEM text in memory (cafile's contents; fuzzed). */
int tlsc_load_cas(struct tlsc *t, const char *pem, size_t len, char *why, size_t why_len);
void tlsc_free(struct tlsc *t);
/* The host t connects to: its SNI and checked name ("" for an IP literal). */
void tlsc_set_host(struct tlsc *t, const char *host);

/* A connection's contexts: the client engine and its certificate check
 * (minimal verification, or the end certificate's key alone with
 * --insecure). */
struct tlsc_any {
	const br_x509_class *vtable;
	br_x509_decoder_context dec;
	unsigned certs; /* certificates of the chain seen */
};

struct tlsc_conn {
	br_ssl_client_context cc;
	br_x509_minimal_context min;
	union {
		struct tlsv v; /* the verified-chain cache in front of min */
		struct tlsc_any any;
	} x;
};

/* Set up tc for t once, with its buffers (TLSC_IBUF and TLSC_OBUF bytes,
 * the caller's); cache: chains verified on this thread (NULL: none). */
void tlsc_conn_init(struct tlsc_conn *tc, const struct tlsc *t, unsigned char *ibuf,
		    unsigned char *obuf, struct tlsv_cache *cache);
/* Start a handshake on tc, offering resume (NULL: none) for resumption.
 * Returns 0, or -EINVAL when BearSSL refuses (its error in the engine). */
int tlsc_conn_start(struct tlsc_conn *tc, const struct tlsc *t,
		    const br_ssl_session_parameters *resume);

/* The class and the words of BearSSL's error err on a connection that
 * failed; handshake: it was still in the handshake; plain_http: the first
 * bytes the server sent began "HTTP/". Writes one line into why. */
enum tlsc_class tlsc_classify(int err, bool handshake, bool plain_http, const char *host, char *why,
			      size_t why_len);

/* The suite's name ("ECDHE-RSA-AES128-GCM-SHA256"), or "unknown". */
const char *tlsc_suite_name(unsigned suite);

#endif
