/*
 * tmpl: a one-pass compiler for {{...}} slots and a renderer that only
 * copies and formats integers. No allocation; every limit is in tmpl.h.
 */
#include "scenarios/tmpl.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/rng.h"

static int fail(const char **why, const char *text)
{
	*why = text;
	return -EINVAL;
}

static int add_text(struct tmpl *t, const char *p, size_t n, uint32_t *off)
{
	if (t->text_len + n > TMPL_MAX_BYTES)
		return -1;
	memcpy(t->text + t->text_len, p, n);
	*off = (uint32_t)t->text_len;
	t->text_len += n;
	return 0;
}

static struct tmpl_seg *add_seg(struct tmpl *t, enum tmpl_kind kind)
{
	if (t->nsegs == TMPL_MAX_SEGS)
		return NULL;
	struct tmpl_seg *s = &t->segs[t->nsegs++];
	memset(s, 0, sizeof(*s));
	s->kind = (uint8_t)kind;
	return s;
}

static bool is(const char *p, size_t n, const char *word)
{
	return n == strlen(word) && memcmp(p, word, n) == 0;
}

/* "A:B" with A <= B, both 64-bit integers. */
static int parse_range(const char *p, size_t n, int64_t *lo, int64_t *hi)
{
	char buf[64], *colon, *end;
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, p, n);
	buf[n] = 0;
	colon = strchr(buf, ':');
	if (!colon)
		return -1;
	*colon = 0;
	errno = 0;
	*lo = strtoll(buf, &end, 10);
	if (errno || *end || end == buf)
		return -1;
	*hi = strtoll(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || *hi < *lo)
		return -1;
	return 0;
}

/* "a|b*3|c": options with optional integer weights (default 1). */
static int parse_pick(struct tmpl *t, struct tmpl_seg *s, const char *p, size_t n, const char **why)
{
	double total = 0;
	s->first = (uint16_t)t->npicks;
	for (const char *opt = p, *end = p + n; opt <= end;) {
		const char *bar = memchr(opt, '|', (size_t)(end - opt));
		const char *stop = bar ? bar : end, *star = NULL;
		for (const char *q = opt; q < stop; q++)
			if (*q == '*')
				star = q;
		double w = 1;
		if (star) {
			char *e;
			char num[16];
			size_t nl = (size_t)(stop - star - 1);
			if (nl == 0 || nl >= sizeof(num))
				return fail(why, "pick weight must be a positive integer");
			memcpy(num, star + 1, nl);
			num[nl] = 0;
			w = (double)strtoul(num, &e, 10);
			if (*e || w <= 0)
				return fail(why, "pick weight must be a positive integer");
		}
		size_t len = (size_t)((star ? star : stop) - opt);
		if (len == 0)
			return fail(why, "empty option in {{pick:...}}");
		if (t->npicks == TMPL_MAX_PICKS)
			return fail(why, "too many pick options in one template");
		struct tmpl_pick *k = &t->picks[t->npicks++];
		if (add_text(t, opt, len, &k->off) < 0)
			return fail(why, "template too long");
		k->len = (uint32_t)len;
		total += w;
		k->upto = total; /* normalised below */
		opt = stop + 1;
		if (!bar)
			break;
	}
	s->n = (uint16_t)(t->npicks - s->first);
	for (unsigned i = s->first; i < t->npicks; i++)
		t->picks[i].upto /= total;
	t->picks[t->npicks - 1].upto = 1.0; /* exact, whatever rounding did */
	return 0;
}

static int slot(struct tmpl *t, const char *p, size_t n, const char *const names[], unsigned nnames,
		const char **why)
{
	struct tmpl_seg *s;
	if (is(p, n, "rpc_id")) {
		s = add_seg(t, TMPL_RPCID);
		return s ? 0 : fail(why, "too many slots in one template");
	}
	if (is(p, n, "user") || is(p, n, "iter") || is(p, n, "seq")) {
		s = add_seg(t, p[0] == 'u' ? TMPL_USER : p[0] == 'i' ? TMPL_ITER : TMPL_SEQ);
		return s ? 0 : fail(why, "too many slots in one template");
	}
	if (n > 5 && memcmp(p, "rand:", 5) == 0) {
		s = add_seg(t, TMPL_RAND);
		if (!s)
			return fail(why, "too many slots in one template");
		if (parse_range(p + 5, n - 5, &s->lo, &s->hi) < 0)
			return fail(why, "{{rand:A:B}} needs integers A <= B");
		return 0;
	}
	if (n > 5 && (memcmp(p, "pick:", 5) == 0 || memcmp(p, "each:", 5) == 0)) {
		s = add_seg(t, p[0] == 'p' ? TMPL_PICK : TMPL_EACH);
		return s ? parse_pick(t, s, p + 5, n - 5, why) : fail(why, "too many slots");
	}
	for (unsigned i = 0; i < nnames; i++) {
		if (is(p, n, names[i])) {
			s = add_seg(t, TMPL_VAR);
			if (!s)
				return fail(why, "too many slots in one template");
			s->var = (uint16_t)i;
			return 0;
		}
	}
	return fail(why,
		    "unknown {{name}}: not user, iter, seq, rand:, pick:, each: or a variable");
}

int tmpl_compile(struct tmpl *t, const char *src, const char *const names[], unsigned nnames,
		 const char **why)
{
	const char *p = src;
	memset(t, 0, sizeof(*t));
	while (*p) {
		const char *open = strstr(p, "{{");
		const char *lit_end = open ? open : p + strlen(p);
		if (lit_end > p) {
			struct tmpl_seg *s = add_seg(t, TMPL_LIT);
			if (!s || add_text(t, p, (size_t)(lit_end - p), &s->off) < 0)
				return fail(why, "template too long");
			s->len = (uint32_t)(lit_end - p);
		}
		if (!open)
			break;
		const char *close = strstr(open + 2, "}}");
		if (!close)
			return fail(why, "{{ without }}");
		if (slot(t, open + 2, (size_t)(close - open - 2), names, nnames, why) < 0)
			return -EINVAL;
		p = close + 2;
	}
	return 0;
}

int tmpl_is_constant(const struct tmpl *t)
{
	for (unsigned i = 0; i < t->nsegs; i++) {
		if (t->segs[i].kind != TMPL_LIT)
			return 0;
	}
	return 1;
}

static ssize_t put(char *buf, size_t cap, size_t n, const void *p, size_t len)
{
	if (n + len > cap)
		return -ENOSPC;
	if (len)
		memcpy(buf + n, p, len); /* p may be NULL for an empty value */
	return (ssize_t)(n + len);
}

static ssize_t put_i64(char *buf, size_t cap, size_t n, int64_t v)
{
	char tmp[24];
	int k = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	return put(buf, cap, n, tmp, (size_t)k);
}

ssize_t tmpl_render(const struct tmpl *t, const struct tmpl_ctx *ctx, char *buf, size_t cap)
{
	ssize_t n = 0;
	for (unsigned i = 0; i < t->nsegs && n >= 0; i++) {
		const struct tmpl_seg *s = &t->segs[i];
		switch (s->kind) {
		case TMPL_LIT:
			n = put(buf, cap, (size_t)n, t->text + s->off, s->len);
			break;
		case TMPL_USER:
			n = put_i64(buf, cap, (size_t)n, (int64_t)ctx->user);
			break;
		case TMPL_ITER:
			n = put_i64(buf, cap, (size_t)n, (int64_t)ctx->iter);
			break;
		case TMPL_RPCID:
			n = put_i64(buf, cap, (size_t)n, (int64_t)ctx->rpc_id);
			break;
		case TMPL_SEQ:
			/* worker w hands out w, w + W, w + 2W, ...: unique, no atomics */
			n = put_i64(buf, cap, (size_t)n, (int64_t)*ctx->seq);
			*ctx->seq += ctx->seq_step ? ctx->seq_step : 1;
			break;
		case TMPL_RAND: {
			uint64_t span = (uint64_t)(s->hi - s->lo) + 1;
			uint64_t r = span ? (uint64_t)(rng_uniform(ctx->rng) * (double)span) : 0;
			if (span && r >= span)
				r = span - 1;
			n = put_i64(buf, cap, (size_t)n, s->lo + (int64_t)r);
			break;
		}
		case TMPL_PICK: {
			double u = rng_uniform(ctx->rng);
			unsigned k = s->first;
			while (k + 1 < (unsigned)(s->first + s->n) && u >= t->picks[k].upto)
				k++;
			n = put(buf, cap, (size_t)n, t->text + t->picks[k].off, t->picks[k].len);
			break;
		}
		case TMPL_EACH: {
			/* the options in turn: iteration i takes option i mod n */
			unsigned k = s->first + (unsigned)(ctx->iter % s->n);
			n = put(buf, cap, (size_t)n, t->text + t->picks[k].off, t->picks[k].len);
			break;
		}
		default: { /* TMPL_VAR */
			if (s->var >= ctx->nvars || !ctx->vars[s->var].set)
				return -ENOENT;
			n = put(buf, cap, (size_t)n, ctx->vars[s->var].ptr, ctx->vars[s->var].len);
		}
		}
	}
	return n;
}
