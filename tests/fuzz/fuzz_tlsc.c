/*
 * libFuzzer target for the trust-anchor reader (--cacert): any bytes as a
 * PEM bundle. Each anchor taken must hold a distinguished name and a key
 * of a type BearSSL uses; an error says why in one line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/tlsc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tlsc t;
	char why[256] = "";
	char *text = malloc(size ? size : 1); /* exact size: reads past it are caught */
	memcpy(text, data, size);
	memset(&t, 0, sizeof(t));
	int r = tlsc_load_cas(&t, text, size, why, sizeof(why));
	if (r == 0 && t.ntas == 0)
		abort();
	if (r < 0 && (!why[0] || strchr(why, '\n')))
		abort();
	for (size_t i = 0; i < t.ntas; i++) {
		const br_x509_trust_anchor *ta = &t.tas[i];
		if (ta->pkey.key_type != BR_KEYTYPE_RSA && ta->pkey.key_type != BR_KEYTYPE_EC)
			abort();
		if (ta->pkey.key_type == BR_KEYTYPE_RSA &&
		    (!ta->pkey.key.rsa.nlen || !ta->pkey.key.rsa.elen))
			abort();
	}
	tlsc_free(&t);
	free(text);
	return 0;
}
