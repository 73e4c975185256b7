/*
 * tlsc: TLS client configuration over BearSSL: PEM trust anchors and
 * client keys, the engine's settings, the --insecure certificate reader,
 * and BearSSL's errors in words and classes.
 */
#include "protocol/tlsc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *why, size_t wl, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, wl, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* --- PEM objects --- */

struct bytes {
	unsigned char *p;
	size_t len, cap;
	bool oom;
};

static void append(void *ctx, const void *buf, size_t len)
{
	struct bytes *b = ctx;
	if (b->oom)
		return;
	if (b->len + len > b->cap) {
		size_t cap = (b->len + len) * 2 + 256;
		unsigned char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, buf, len);
	b->len += len;
}

typedef int (*pem_fn)(void *arg, const char *name, const unsigned char *der, size_t len, char *why,
		      size_t wl);

/* Call fn for each PEM object in pem. Returns the number of objects, or
 * -errno with why set (by fn, or "not PEM"). */
static int pem_each(const char *pem, size_t len, pem_fn fn, void *arg, char *why, size_t wl)
{
	br_pem_decoder_context pc;
	struct bytes der = {0};
	char name[128] = "";
	int n = 0, r = 0;
	bool in = false, tail = false;
	br_pem_decoder_init(&pc);
	for (size_t off = 0; r == 0;) {
		if (off == len) {
			if (tail)
				break;
			tail = true; /* a last line without its newline */
			pem = "\n";
			len = 1;
			off = 0;
		}
		off += br_pem_decoder_push(&pc, pem + off, len - off);
		switch (br_pem_decoder_event(&pc)) {
		case BR_PEM_BEGIN_OBJ:
			snprintf(name, sizeof(name), "%s", br_pem_decoder_name(&pc));
			der.len = 0;
			br_pem_decoder_setdest(&pc, append, &der);
			in = true;
			break;
		case BR_PEM_END_OBJ:
			if (!in)
				break;
			in = false;
			if (der.oom)
				r = fail(why, wl, "out of memory");
			else if ((r = fn(arg, name, der.p, der.len, why, wl)) == 0)
				n++;
			else if (r > 0)
				r = 0; /* an object fn skips */
			break;
		case BR_PEM_ERROR:
			r = fail(why, wl,
				 "not PEM (a line of -----BEGIN ...----- base64 -----END)");
			break;
		default:
			break;
		}
	}
	free(der.p);
	return r < 0 ? r : n;
}

/* --- trust anchors --- */

static unsigned char *dup_bytes(const unsigned char *p, size_t len)
{
	unsigned char *d = malloc(len ? len : 1);
	if (d)
		memcpy(d, p, len);
	return d;
}

static int add_anchor(void *arg, const char *name, const unsigned char *der, size_t len, char *why,
		      size_t wl)
{
	struct tlsc *t = arg;
	br_x509_decoder_context dc;
	struct bytes dn = {0};
	const br_x509_pkey *pk;
	br_x509_trust_anchor *ta, *grown;
	if (strcmp(name, "CERTIFICATE") != 0 && strcmp(name, "X509 CERTIFICATE") != 0 &&
	    strcmp(name, "TRUSTED CERTIFICATE") != 0)
		return 1; /* not a certificate: skipped */
	br_x509_decoder_init(&dc, append, &dn);
	br_x509_decoder_push(&dc, der, len);
	pk = br_x509_decoder_get_pkey(&dc);
	if (!pk || dn.oom) {
		free(dn.p);
		return 1; /* a key type BearSSL does not use: skipped */
	}
	grown = realloc(t->tas, (t->ntas + 1) * sizeof(*t->tas));
	if (!grown) {
		free(dn.p);
		return fail(why, wl, "out of memory");
	}
	t->tas = grown;
	ta = &t->tas[t->ntas];
	memset(ta, 0, sizeof(*ta));
	ta->dn.data = dn.p;
	ta->dn.len = dn.len;
	ta->flags = br_x509_decoder_isCA(&dc) ? BR_X509_TA_CA : 0;
	ta->pkey.key_type = pk->key_type;
	if (pk->key_type == BR_KEYTYPE_RSA) {
		ta->pkey.key.rsa.n = dup_bytes(pk->key.rsa.n, pk->key.rsa.nlen);
		ta->pkey.key.rsa.nlen = pk->key.rsa.nlen;
		ta->pkey.key.rsa.e = dup_bytes(pk->key.rsa.e, pk->key.rsa.elen);
		ta->pkey.key.rsa.elen = pk->key.rsa.elen;
	} else {
		ta->pkey.key.ec.curve = pk->key.ec.curve;
		ta->pkey.key.ec.q = dup_bytes(pk->key.ec.q, pk->key.ec.qlen);
		ta->pkey.key.ec.qlen = pk->key.ec.qlen;
	}
	t->ntas++;
	return 0;
}

int tlsc_load_cas(struct tlsc *t, const char *pem, size_t len, char *why, size_t wl)
{
	size_t before = t->ntas;
	int r = pem_each(pem, len, add_anchor, t, why, wl);
	if (r < 0)
		return r;
	if (t->ntas == before)
		return fail(why, wl, "no certificate BearSSL can use (RSA or EC, PEM)");
	return 0;
}

static int read_file(const char *path, char **out, size_t *len, char *why, size_t wl)
{
	FILE *f = fopen(path, "rb");
	struct bytes b = {0};
	char buf[8192];
	size_t n;
	if (!f)
		return fail(why, wl, "%s: %s", path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && b.len < (64u << 20))
		append(&b, buf, n);
	fclose(f);
	if (b.oom) {
		free(b.p);
		return fail(why, wl, "%s: out of memory", path);
	}
	*out = (char *)b.p;
	*len = b.len;
	return 0;
}

/* --- the client certificate and key --- */

static int add_cert(void *arg, const char *name, const unsigned char *der, size_t len, char *why,
		    size_t wl)
{
	struct tlsc *t = arg;
	br_x509_certificate *grown;
	if (strcmp(name, "CERTIFICATE") != 0 && strcmp(name, "X509 CERTIFICATE") != 0)
		return 1;
	grown = realloc(t->chain, (t->nchain + 1) * sizeof(*t->chain));
	if (!grown)
		return fail(why, wl, "out of memory");
	t->chain = grown;
	t->chain[t->nchain].data = dup_bytes(der, len);
	t->chain[t->nchain].data_len = len;
	t->nchain++;
	return 0;
}

static int add_key(void *arg, const char *name, const unsigned char *der, size_t len, char *why,
		   size_t wl)
{
	struct tlsc *t = arg;
	if (strcmp(name, "PRIVATE KEY") != 0 && strcmp(name, "RSA PRIVATE KEY") != 0 &&
	    strcmp(name, "EC PRIVATE KEY") != 0)
		return 1;
	br_skey_decoder_init(&t->key);
	br_skey_decoder_push(&t->key, der, len);
	if (br_skey_decoder_last_error(&t->key) != 0)
		return fail(why, wl, "the key is not an RSA or EC private key BearSSL can read");
	return 0;
}

static int load_client(struct tlsc *t, const char *cert, const char *key, char *why, size_t wl)
{
	char *text = NULL, inner[200];
	size_t len = 0;
	int r = read_file(cert, &text, &len, why, wl);
	if (r == 0 && (r = pem_each(text, len, add_cert, t, inner, sizeof(inner))) < 0)
		fail(why, wl, "--cert %s: %s", cert, inner);
	free(text);
	if (r < 0)
		return r;
	if (!t->nchain)
		return fail(why, wl, "--cert %s: no certificate in it", cert);
	text = NULL;
	r = read_file(key, &text, &len, why, wl);
	if (r == 0 && (r = pem_each(text, len, add_key, t, inner, sizeof(inner))) < 0)
		fail(why, wl, "--key %s: %s", key, inner);
	free(text);
	if (r == 0)
		return fail(why, wl, "--key %s: no private key in it", key);
	return r < 0 ? r : 0;
}

static bool is_ip_literal(const char *host)
{
	if (strchr(host, ':'))
		return true; /* IPv6 */
	for (const char *p = host; *p; p++)
		if ((*p < '0' || *p > '9') && *p != '.')
			return false;
	return true;
}

void tlsc_set_host(struct tlsc *t, const char *host)
{
	snprintf(t->host, sizeof(t->host), "%s", host);
	snprintf(t->name, sizeof(t->name), "%s", is_ip_literal(host) ? "" : host);
}

int tlsc_load(struct tlsc *t, const char *host, const char *cafile, const char *cert,
	      const char *key, bool insecure, char *why, size_t wl)
{
	char *text = NULL, inner[200];
	size_t len = 0;
	int r = 0;
	memset(t, 0, sizeof(*t));
	t->insecure = insecure;
	t->resume = true;
	t->aes_first = br_aes_x86ni_ctr_get_vtable() != NULL;
	tlsc_set_host(t, host);
	if (!insecure) {
		const char *path = cafile ? cafile : TLSC_SYSTEM_CAS;
		r = read_file(path, &text, &len, inner, sizeof(inner));
		if (r == 0)
			r = tlsc_load_cas(t, text, len, inner, sizeof(inner));
		free(text);
		if (r < 0)
			return fail(why, wl, "%s %s: %s", cafile ? "--cacert" : "the system's CAs",
				    path, inner);
	}
	if ((cert != NULL) != (key != NULL))
		return fail(why, wl, "--cert and --key go together");
	return cert ? load_client(t, cert, key, why, wl) : 0;
}

void tlsc_free(struct tlsc *t)
{
	for (size_t i = 0; i < t->ntas; i++) {
		br_x509_trust_anchor *ta = &t->tas[i];
		free(ta->dn.data);
		if (ta->pkey.key_type == BR_KEYTYPE_RSA) {
			free(ta->pkey.key.rsa.n);
			free(ta->pkey.key.rsa.e);
		} else {
			free(ta->pkey.key.ec.q);
		}
	}
	for (size_t i = 0; i < t->nchain; i++)
		free(t->chain[i].data);
	free(t->tas);
	free(t->chain);
	t->tas = NULL;
	t->chain = NULL;
	t->ntas = t->nchain = 0;
}

/* --- --insecure: the end certificate's key, nothing checked --- */

static struct tlsc_any *any_of(const br_x509_class **ctx)
{
	return (struct tlsc_any *)(void *)ctx;
}

static void any_start_chain(const br_x509_class **ctx, const char *server_name)
{
	(void)server_name;
	any_of(ctx)->certs = 0;
}

static void any_start_cert(const br_x509_class **ctx, uint32_t length)
{
	(void)length;
	if (any_of(ctx)->certs == 0)
		br_x509_decoder_init(&any_of(ctx)->dec, NULL, NULL);
}

static void any_append(const br_x509_class **ctx, const unsigned char *buf, size_t len)
{
	if (any_of(ctx)->certs == 0)
		br_x509_decoder_push(&any_of(ctx)->dec, buf, len);
}

static void any_end_cert(const br_x509_class **ctx)
{
	any_of(ctx)->certs++;
}

static unsigned any_end_chain(const br_x509_class **ctx)
{
	struct tlsc_any *a = any_of(ctx);
	if (!a->certs)
		return BR_ERR_X509_EMPTY_CHAIN;
	return (unsigned)br_x509_decoder_last_error(&a->dec);
}

static const br_x509_pkey *any_get_pkey(const br_x509_class *const *ctx, unsigned *usages)
{
	if (usages)
		*usages = BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN;
	return br_x509_decoder_get_pkey(&any_of((const br_x509_class **)ctx)->dec);
}

static const br_x509_class any_vtable = {
    sizeof(struct tlsc_any), any_start_chain, any_start_cert, any_append, any_end_cert,
    any_end_chain,	     any_get_pkey,
};

/* --- the engine's settings --- */

/* TLS 1.2 suites, forward secret first; AES-GCM leads on a CPU with
 * AES-NI and PCLMUL (BearSSL's x86ni code), ChaCha20 without them. */
static const uint16_t suites[] = {
    BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    BR_TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
    BR_TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
    BR_TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    BR_TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    BR_TLS_RSA_WITH_AES_128_GCM_SHA256,
    BR_TLS_RSA_WITH_AES_256_GCM_SHA384,
    BR_TLS_RSA_WITH_AES_128_CBC_SHA256,
    BR_TLS_RSA_WITH_AES_128_CBC_SHA,
};
#define NSUITES	  (sizeof(suites) / sizeof(suites[0]))
#define CHACHA_AT 4 /* the two ChaCha20 suites' place in suites[] */

/* The suites in order: as listed with AES-NI, else ChaCha20's two first. */
static void set_suites(br_ssl_engine_context *e, bool aes_first)
{
	uint16_t order[NSUITES];
	size_t n = 0;
	if (aes_first) {
		br_ssl_engine_set_suites(e, suites, NSUITES);
		return;
	}
	order[n++] = suites[CHACHA_AT];
	order[n++] = suites[CHACHA_AT + 1];
	for (size_t i = 0; i < NSUITES; i++)
		if (i != CHACHA_AT && i != CHACHA_AT + 1)
			order[n++] = suites[i];
	br_ssl_engine_set_suites(e, order, n);
}

void tlsc_conn_init(struct tlsc_conn *tc, const struct tlsc *t, unsigned char *ibuf,
		    unsigned char *obuf, struct tlsv_cache *cache)
{
	static const char *const alpn[] = {"http/1.1"};
	br_ssl_engine_context *e = &tc->cc.eng;
	br_ssl_client_init_full(&tc->cc, &tc->min, t->tas, t->ntas);
	if (t->insecure) {
		tc->x.any.vtable = &any_vtable;
		br_ssl_engine_set_x509(e, &tc->x.any.vtable);
	} else if (cache) {
		tlsv_init(&tc->x.v, &tc->min, cache);
		br_ssl_engine_set_x509(e, &tc->x.v.vtable);
	}
	br_ssl_engine_set_versions(e, BR_TLS12, BR_TLS12);
	set_suites(e, t->aes_first);
	br_ssl_engine_set_buffers_bidi(e, ibuf, TLSC_IBUF, obuf, TLSC_OBUF);
	br_ssl_engine_set_protocol_names(e, (const char **)alpn, 1);
	if (!t->nchain)
		return;
	if (br_skey_decoder_key_type(&t->key) == BR_KEYTYPE_RSA)
		br_ssl_client_set_single_rsa(&tc->cc, t->chain, t->nchain,
					     br_skey_decoder_get_rsa(&t->key),
					     br_rsa_pkcs1_sign_get_default());
	else
		br_ssl_client_set_single_ec(
		    &tc->cc, t->chain, t->nchain, br_skey_decoder_get_ec(&t->key), BR_KEYTYPE_SIGN,
		    BR_KEYTYPE_EC, br_ec_get_default(), br_ecdsa_sign_asn1_get_default());
}

int tlsc_conn_start(struct tlsc_conn *tc, const struct tlsc *t,
		    const br_ssl_session_parameters *resume)
{
	bool again = resume && t->resume;
	if (again)
		br_ssl_engine_set_session_parameters(&tc->cc.eng, resume);
	return br_ssl_client_reset(&tc->cc, t->name[0] ? t->name : NULL, again) ? 0 : -EINVAL;
}

/* --- failures in words --- */

static const char *alert_name(int a)
{
	switch (a) {
	case BR_ALERT_CLOSE_NOTIFY:
		return "close_notify";
	case BR_ALERT_UNEXPECTED_MESSAGE:
		return "unexpected_message";
	case BR_ALERT_BAD_RECORD_MAC:
		return "bad_record_mac";
	case BR_ALERT_HANDSHAKE_FAILURE:
		return "handshake_failure";
	case BR_ALERT_BAD_CERTIFICATE:
		return "bad_certificate";
	case BR_ALERT_CERTIFICATE_EXPIRED:
		return "certificate_expired";
	case BR_ALERT_CERTIFICATE_UNKNOWN:
		return "certificate_unknown";
	case BR_ALERT_ILLEGAL_PARAMETER:
		return "illegal_parameter";
	case BR_ALERT_UNKNOWN_CA:
		return "unknown_ca";
	case BR_ALERT_ACCESS_DENIED:
		return "access_denied";
	case BR_ALERT_DECODE_ERROR:
		return "decode_error";
	case BR_ALERT_DECRYPT_ERROR:
		return "decrypt_error";
	case BR_ALERT_PROTOCOL_VERSION:
		return "protocol_version";
	case BR_ALERT_INSUFFICIENT_SECURITY:
		return "insufficient_security";
	case BR_ALERT_INTERNAL_ERROR:
		return "internal_error";
	case BR_ALERT_USER_CANCELED:
		return "user_canceled";
	case BR_ALERT_NO_RENEGOTIATION:
		return "no_renegotiation";
	case BR_ALERT_UNSUPPORTED_EXTENSION:
		return "unsupported_extension";
	case BR_ALERT_NO_APPLICATION_PROTOCOL:
		return "no_application_protocol";
	case 116:
		return "certificate_required";
	default:
		return "an alert";
	}
}

static const char *error_name(int err)
{
	static const struct {
		int err;
		const char *text;
	} names[] = {
	    {BR_ERR_UNSUPPORTED_VERSION, "the server chose a TLS version other than 1.2"},
	    {BR_ERR_BAD_VERSION, "a record with a bad version: not TLS"},
	    {BR_ERR_BAD_LENGTH, "a record with a bad length"},
	    {BR_ERR_TOO_LARGE, "a record larger than TLS allows"},
	    {BR_ERR_BAD_MAC, "a record failed its integrity check (bad MAC)"},
	    {BR_ERR_UNKNOWN_TYPE, "a record of an unknown type: not TLS"},
	    {BR_ERR_UNEXPECTED, "an unexpected handshake message"},
	    {BR_ERR_BAD_CCS, "a bad ChangeCipherSpec"},
	    {BR_ERR_BAD_ALERT, "a malformed alert"},
	    {BR_ERR_BAD_HANDSHAKE, "a malformed handshake message"},
	    {BR_ERR_OVERSIZED_ID, "a session ID over 32 bytes"},
	    {BR_ERR_BAD_CIPHER_SUITE, "the server chose a cipher suite not offered"},
	    {BR_ERR_BAD_COMPRESSION, "the server chose compression"},
	    {BR_ERR_BAD_FRAGLEN, "a bad fragment length"},
	    {BR_ERR_BAD_SECRENEG, "a bad secure renegotiation"},
	    {BR_ERR_EXTRA_EXTENSION, "an extension not asked for"},
	    {BR_ERR_BAD_SNI, "a bad server name"},
	    {BR_ERR_BAD_HELLO_DONE, "a bad ServerHelloDone"},
	    {BR_ERR_LIMIT_EXCEEDED, "a limit of BearSSL exceeded (a chain too long?)"},
	    {BR_ERR_BAD_FINISHED, "a bad Finished message"},
	    {BR_ERR_RESUME_MISMATCH, "a resumed session with other parameters"},
	    {BR_ERR_INVALID_ALGORITHM, "an algorithm BearSSL does not support"},
	    {BR_ERR_BAD_SIGNATURE, "a bad signature in the key exchange"},
	    {BR_ERR_WRONG_KEY_USAGE, "a certificate key not allowed for this use"},
	    {BR_ERR_NO_CLIENT_AUTH, "the server asked for a client certificate and got none"},
	    {BR_ERR_X509_EMPTY_CHAIN, "the server sent no certificate"},
	    {BR_ERR_X509_BAD_SIGNATURE, "a certificate's signature does not verify"},
	    {BR_ERR_X509_UNSUPPORTED, "a certificate BearSSL cannot read"},
	    {BR_ERR_X509_WEAK_PUBLIC_KEY, "a certificate with a weak key"},
	    {BR_ERR_X509_NOT_CA, "a chain through a certificate that is not a CA"},
	    {BR_ERR_X509_CRITICAL_EXTENSION, "a certificate with an unknown critical extension"},
	    {BR_ERR_X509_FORBIDDEN_KEY_USAGE, "a certificate whose key may not be used for TLS"},
	    {BR_ERR_X509_TIME_UNKNOWN, "the time is unknown"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].text;
	return err >= BR_ERR_X509_OK && err < 64 ? "a certificate BearSSL cannot read"
						 : "an error of BearSSL";
}

enum tlsc_class tlsc_classify(int err, bool handshake, bool plain_http, const char *host, char *why,
			      size_t wl)
{
	int alert = err & 0xff;
	if (plain_http) {
		fail(why, wl, "the server answered in plain HTTP, not TLS: use http://");
		return TLSC_HANDSHAKE;
	}
	switch (err) {
	case BR_ERR_X509_NOT_TRUSTED:
		fail(why, wl,
		     "the certificate of %s is not signed by a CA mcpload trusts (give the CA "
		     "with --cacert FILE, or --insecure)",
		     host);
		return TLSC_CA;
	case BR_ERR_X509_EXPIRED:
		fail(why, wl, "the certificate of %s has expired or is not yet valid", host);
		return TLSC_EXPIRED;
	case BR_ERR_X509_BAD_SERVER_NAME:
		fail(why, wl, "the certificate is not for %s (its names differ)", host);
		return TLSC_NAME;
	default:
		break;
	}
	if ((err & ~0xff) == BR_ERR_RECV_FATAL_ALERT && handshake &&
	    alert == BR_ALERT_PROTOCOL_VERSION) {
		fail(why, wl,
		     "the server refused TLS 1.2 (alert protocol_version): it speaks only TLS "
		     "1.3, which BearSSL does not; enable TLS 1.2 on it, or benchmark over http:// "
		     "behind its TLS terminator");
		return TLSC_VERSION;
	}
	if ((err & ~0xff) == BR_ERR_RECV_FATAL_ALERT) {
		fail(why, wl, "%s the server sent the fatal alert %s (%d)",
		     handshake ? "TLS handshake failed:" : "TLS:", alert_name(alert), alert);
		return handshake ? TLSC_HANDSHAKE : TLSC_ALERT;
	}
	if ((err & ~0xff) == BR_ERR_SEND_FATAL_ALERT) {
		fail(why, wl, "TLS%s failed: mcpload sent the alert %s (%d)",
		     handshake ? " handshake" : "", alert_name(alert), alert);
		return handshake ? TLSC_HANDSHAKE : TLSC_ALERT;
	}
	fail(why, wl, "TLS%s failed: %s (BearSSL error %d)", handshake ? " handshake" : "",
	     error_name(err), err);
	return handshake ? TLSC_HANDSHAKE : TLSC_ALERT;
}

const char *tlsc_suite_name(unsigned suite)
{
	switch (suite) {
	case BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:
		return "ECDHE-ECDSA-AES128-GCM-SHA256";
	case BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:
		return "ECDHE-RSA-AES128-GCM-SHA256";
	case BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:
		return "ECDHE-ECDSA-AES256-GCM-SHA384";
	case BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:
		return "ECDHE-RSA-AES256-GCM-SHA384";
	case BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:
		return "ECDHE-ECDSA-CHACHA20-POLY1305";
	case BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256:
		return "ECDHE-RSA-CHACHA20-POLY1305";
	case BR_TLS_RSA_WITH_AES_128_GCM_SHA256:
		return "AES128-GCM-SHA256";
	case BR_TLS_RSA_WITH_AES_256_GCM_SHA384:
		return "AES256-GCM-SHA384";
	default:
		return "a CBC suite";
	}
}
