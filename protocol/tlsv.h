/*
 * tlsv: a verified-chain cache in front of BearSSL's minimal certificate
 * check. A load generator meets the same server chain on every full
 * handshake; once it verified (trust, dates, name), the same bytes for the
 * same name are taken with the key kept from then, saving an ECDSA or RSA
 * verification per handshake. Only successes are kept; anything else, or a
 * chain over TLSV_BUF bytes, goes through the minimal check as it came.
 */
#ifndef MCPL_PROTOCOL_TLSV_H
#define MCPL_PROTOCOL_TLSV_H

#include <bearssl.h>
#include <stdbool.h>
#include <stddef.h>

#define TLSV_BUF   4096 /* a chain's bytes held back to hash (typical: 1.5-3 KiB) */
#define TLSV_CERTS 6

/* One verified chain: its hash (name, lengths, bytes) and its key. Shared
 * by the connections of one thread; owned by the caller. */
struct tlsv_cache {
	bool valid;
	unsigned char hash[32];
	br_x509_pkey pkey; /* points into key[] */
	unsigned usages;
	unsigned char key[1024];
	unsigned long hits; /* chains taken from the cache */
};

struct tlsv {
	const br_x509_class *vtable;
	br_x509_minimal_context *min; /* the check behind it */
	struct tlsv_cache *cache;
	const char *name;
	br_sha256_context sha;
	unsigned char buf[TLSV_BUF];
	size_t len;
	size_t cert_len[TLSV_CERTS];
	unsigned ncerts;
	bool in_cert; /* the last certificate has not ended yet */
	bool direct;  /* too large to hold: streamed to the minimal check */
	bool hit;
};

/* v checks through min (already set up) and remembers in cache. */
void tlsv_init(struct tlsv *v, br_x509_minimal_context *min, struct tlsv_cache *cache);

#endif
