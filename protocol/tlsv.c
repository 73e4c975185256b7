/*
 * tlsv: the verified-chain cache. The chain is held back and hashed as it
 * comes; at its end a known hash is taken at once, an unknown one is
 * replayed into the minimal check and remembered when that succeeds.
 */
#include "protocol/tlsv.h"

#include <string.h>

static struct tlsv *of(const br_x509_class **ctx)
{
	return (struct tlsv *)(void *)ctx;
}

static const br_x509_class **checker(struct tlsv *v)
{
	return &v->min->vtable;
}

static void v_start_chain(const br_x509_class **ctx, const char *name)
{
	struct tlsv *v = of(ctx);
	v->name = name;
	v->len = 0;
	v->ncerts = 0;
	v->in_cert = false;
	v->direct = v->hit = false;
	br_sha256_init(&v->sha);
	br_sha256_update(&v->sha, name ? name : "", name ? strlen(name) + 1 : 1);
}

/* What was held back goes to the minimal check; from now on, as it comes. */
static void go_direct(struct tlsv *v)
{
	const br_x509_class **m = checker(v);
	size_t at = 0;
	(*m)->start_chain(m, v->name);
	for (unsigned i = 0; i < v->ncerts; i++) {
		size_t n = v->len - at < v->cert_len[i] ? v->len - at : v->cert_len[i];
		(*m)->start_cert(m, (uint32_t)v->cert_len[i]);
		(*m)->append(m, v->buf + at, n);
		at += n;
		if (i + 1 < v->ncerts || !v->in_cert)
			(*m)->end_cert(m);
	}
	v->direct = true;
}

static void v_start_cert(const br_x509_class **ctx, uint32_t length)
{
	struct tlsv *v = of(ctx);
	const br_x509_class **m = checker(v);
	unsigned char be[4] = {(unsigned char)(length >> 24), (unsigned char)(length >> 16),
			       (unsigned char)(length >> 8), (unsigned char)length};
	br_sha256_update(&v->sha, be, sizeof(be));
	if (!v->direct && v->ncerts == TLSV_CERTS)
		go_direct(v);
	if (v->direct) {
		(*m)->start_cert(m, length);
		return;
	}
	v->cert_len[v->ncerts++] = length;
	v->in_cert = true;
}

static void v_append(const br_x509_class **ctx, const unsigned char *buf, size_t len)
{
	struct tlsv *v = of(ctx);
	const br_x509_class **m = checker(v);
	br_sha256_update(&v->sha, buf, len);
	if (!v->direct && v->len + len > TLSV_BUF)
		go_direct(v);
	if (v->direct) {
		(*m)->append(m, buf, len);
		return;
	}
	memcpy(v->buf + v->len, buf, len);
	v->len += len;
}

static void v_end_cert(const br_x509_class **ctx)
{
	struct tlsv *v = of(ctx);
	const br_x509_class **m = checker(v);
	if (v->direct)
		(*m)->end_cert(m);
	else
		v->in_cert = false;
}

/* Keep the key of a chain that verified (when it fits). */
static void remember(struct tlsv *v, const unsigned char *hash)
{
	struct tlsv_cache *c = v->cache;
	const br_x509_class **m = checker(v);
	unsigned usages = 0;
	const br_x509_pkey *pk = (*m)->get_pkey(m, &usages);
	c->valid = false;
	if (!pk)
		return;
	c->pkey.key_type = pk->key_type;
	if (pk->key_type == BR_KEYTYPE_RSA) {
		if (pk->key.rsa.nlen + pk->key.rsa.elen > sizeof(c->key))
			return;
		memcpy(c->key, pk->key.rsa.n, pk->key.rsa.nlen);
		memcpy(c->key + pk->key.rsa.nlen, pk->key.rsa.e, pk->key.rsa.elen);
		c->pkey.key.rsa.n = c->key;
		c->pkey.key.rsa.nlen = pk->key.rsa.nlen;
		c->pkey.key.rsa.e = c->key + pk->key.rsa.nlen;
		c->pkey.key.rsa.elen = pk->key.rsa.elen;
	} else {
		if (pk->key.ec.qlen > sizeof(c->key))
			return;
		memcpy(c->key, pk->key.ec.q, pk->key.ec.qlen);
		c->pkey.key.ec.curve = pk->key.ec.curve;
		c->pkey.key.ec.q = c->key;
		c->pkey.key.ec.qlen = pk->key.ec.qlen;
	}
	c->usages = usages;
	memcpy(c->hash, hash, sizeof(c->hash));
	c->valid = true;
}

static unsigned v_end_chain(const br_x509_class **ctx)
{
	struct tlsv *v = of(ctx);
	const br_x509_class **m = checker(v);
	unsigned char hash[32];
	if (v->direct)
		return (*m)->end_chain(m);
	br_sha256_out(&v->sha, hash);
	if (v->cache->valid && !memcmp(hash, v->cache->hash, sizeof(hash))) {
		v->hit = true;
		v->cache->hits++;
		return 0;
	}
	go_direct(v);
	unsigned r = (*m)->end_chain(m);
	if (r == 0)
		remember(v, hash);
	return r;
}

static const br_x509_pkey *v_get_pkey(const br_x509_class *const *ctx, unsigned *usages)
{
	struct tlsv *v = of((const br_x509_class **)ctx);
	const br_x509_class **m = checker(v);
	if (!v->hit)
		return (*m)->get_pkey(m, usages);
	if (usages)
		*usages = v->cache->usages;
	return &v->cache->pkey;
}

static const br_x509_class tlsv_vtable = {
    sizeof(struct tlsv), v_start_chain, v_start_cert, v_append, v_end_cert, v_end_chain, v_get_pkey,
};

void tlsv_init(struct tlsv *v, br_x509_minimal_context *min, struct tlsv_cache *cache)
{
	memset(v, 0, sizeof(*v));
	v->vtable = &tlsv_vtable;
	v->min = min;
	v->cache = cache;
}
