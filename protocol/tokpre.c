/*
 * tiktoken's pre-token patterns as scanners. Each alternative of the regex
 * is tried in order at the piece's start, with the backtracking the regex
 * would do spelled out where it matters (the optional prefix of a word, the
 * A*B+ split of o200k_base's words, the whitespace lookahead); every path is
 * linear in the piece.
 */

#include "protocol/tokpre.h"
#include "protocol/tokuc.h"

#define ALNUM	  (TOKUC_L | TOKUC_N)
#define OTHER_NOT TOKPRE_OTHER_NOT
#define O_A	  (TOKUC_LUT | TOKUC_LM | TOKUC_LO | TOKUC_M) /* [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] */
#define O_B	  (TOKUC_LL | TOKUC_LM | TOKUC_LO | TOKUC_M)  /* [\p{Ll}\p{Lm}\p{Lo}\p{M}] */

/* The continuation byte range allowed right after lead byte b (Unicode table 3-7). */
static bool utf8_second_ok(uint8_t b, uint8_t c)
{
	if (b == 0xe0)
		return c >= 0xa0 && c <= 0xbf;
	if (b == 0xed)
		return c >= 0x80 && c <= 0x9f;
	if (b == 0xf0)
		return c >= 0x90 && c <= 0xbf;
	if (b == 0xf4)
		return c >= 0x80 && c <= 0x8f;
	return c >= 0x80 && c <= 0xbf;
}

size_t tokpre_utf8(const uint8_t *s, size_t len, uint32_t *cp, bool *bad)
{
	uint8_t b = s[0];
	size_t need, i;
	uint32_t v;
	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		need = 2;
		v = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		need = 3;
		v = b & 0x0f;
	} else if (b >= 0xf0 && b <= 0xf4) {
		need = 4;
		v = b & 0x07;
	} else {
		goto out_bad_one;
	}
	for (i = 1; i < need; i++) {
		if (i >= len || (i == 1 ? !utf8_second_ok(b, s[1]) : (s[i] & 0xc0) != 0x80))
			goto out_bad;
		v = v << 6 | (s[i] & 0x3f);
	}
	*cp = v;
	return need;
out_bad_one:
	i = 1;
out_bad:
	*cp = 0xfffd;
	*bad = true;
	return i;
}

/* A cursor over the whole text: the lookahead may look past the piece. */
struct cur {
	const uint8_t *s;
	size_t len;
	bool *bad;
};

/* The code point at i (< len), its width in *w and its TOKUC_* class in *k. */
static inline uint32_t at(const struct cur *c, size_t i, size_t *w, unsigned *k)
{
	uint32_t cp = c->s[i];
	if (cp < 0x80) {
		*w = 1;
		*k = tokuc_byte[cp];
		return cp;
	}
	*w = tokpre_utf8(c->s + i, c->len - i, &cp, c->bad);
	*k = tokuc_class(cp);
	return cp;
}

/*
 * The end of the run of code points from i whose class meets mask (want) or
 * misses it. Source text is mostly ASCII: its bytes are classed one load
 * each, without decoding.
 */
static size_t run(const struct cur *c, size_t i, unsigned mask, bool want)
{
	size_t w;
	unsigned k;
	while (i < c->len) {
		if (c->s[i] < 0x80) {
			if (((tokuc_byte[c->s[i]] & mask) != 0) != want)
				break;
			i++;
			continue;
		}
		at(c, i, &w, &k);
		if (((k & mask) != 0) != want)
			break;
		i += w;
	}
	return i;
}

static bool is_nl(uint32_t cp)
{
	return cp == '\r' || cp == '\n';
}

static uint32_t lower_ascii(uint32_t cp)
{
	return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
}

/*
 * The end of a contraction whose apostrophe is at i, or 0. ONE lists the
 * one-letter suffixes; (?i:) in Rust's regex folds case by Unicode, so
 * 's also matches U+017F LATIN SMALL LETTER LONG S.
 */
static size_t contraction(const struct cur *c, size_t i, const char *one)
{
	size_t w, w2;
	unsigned k;
	uint32_t a, b;
	if (i >= c->len || c->s[i] != '\'' || i + 1 >= c->len)
		return 0;
	a = lower_ascii(at(c, i + 1, &w, &k));
	if (a == 0x17f)
		a = 's';
	for (const char *p = one; *p; p++)
		if (a == (uint32_t)*p)
			return i + 1 + w;
	if (a > 0x7f || i + 1 + w >= c->len)
		return 0;
	b = lower_ascii(at(c, i + 1 + w, &w2, &k));
	if ((a == 'l' && b == 'l') || (a == 'v' && b == 'e') || (a == 'r' && b == 'e'))
		return i + 1 + w + w2;
	return 0;
}

/* \p{N}{1,3} from i, whose code point is N. */
static size_t digits(const struct cur *c, size_t i)
{
	size_t w;
	unsigned k;
	for (int n = 0; n < 3 && i < c->len; n++) {
		at(c, i, &w, &k);
		if (!(k & TOKUC_N))
			break;
		i += w;
	}
	return i;
}

/*
 * " ?[^\s\p{L}\p{N}]+" then a run of [\r\n] ([\r\n/] with slash), from i;
 * 0 if it does not match there.
 */
static size_t punct(const struct cur *c, size_t i, bool slash)
{
	size_t w, j = i;
	unsigned k;
	if (c->s[j] == ' ' && j + 1 < c->len)
		j++;
	at(c, j, &w, &k);
	if (k & OTHER_NOT) {
		if (j == i)
			return 0;
		j = i; /* without the optional space: a space is \s, so no match */
		at(c, j, &w, &k);
		if (k & OTHER_NOT)
			return 0;
	}
	j = run(c, j, OTHER_NOT, false);
	while (j < c->len && (is_nl(c->s[j]) || (slash && c->s[j] == '/')))
		j++;
	return j;
}

/*
 * \s*[\r\n] | \s+(?!\S) | \s+ from i, whose code point is \s: up to the
 * run's last newline; else all of a run that ends the text; else all but
 * the run's last code point, which is left to prefix the next word.
 */
static size_t space(const struct cur *c, size_t i)
{
	size_t w, j = i, nl_end = 0, last = i;
	unsigned k;
	while (j < c->len) {
		uint32_t cp = at(c, j, &w, &k);
		if (!(k & TOKUC_WS))
			break;
		if (is_nl(cp))
			nl_end = j + w;
		last = j;
		j += w;
	}
	if (nl_end)
		return nl_end;
	if (j == c->len || last == i)
		return j;
	return last;
}

/* The general scanner, a code point at a time: out of line, so the fast path needs no frame. */
static __attribute__((noinline)) size_t slow_cl100k(const uint8_t *s, size_t len, bool *bad)
{
	struct cur c = {s, len, bad};
	size_t w, w1, e;
	unsigned k, k1;
	uint32_t cp = at(&c, 0, &w, &k);
	if (cp == '\'') {
		e = contraction(&c, 0, "sdmt");
		if (e)
			return e;
	}
	if (k & TOKUC_L)
		return run(&c, 0, TOKUC_L, true);
	if (!is_nl(cp) && !(k & ALNUM) && w < len) {
		at(&c, w, &w1, &k1);
		if (k1 & TOKUC_L)
			return run(&c, w, TOKUC_L, true);
	}
	if (k & TOKUC_N)
		return digits(&c, 0);
	e = punct(&c, 0, false);
	return e ? e : space(&c, 0);
}

size_t tokpre_cl100k(const uint8_t *s, size_t len, bool *bad)
{
	size_t e = tokpre_fast_cl100k(s, len);
	return e ? e : slow_cl100k(s, len, bad);
}

/*
 * [A]*[B]+ from i (o200k_base's first word form): the greedy A* gives back
 * code points until B+ can start, so the word ends after the run of B that
 * follows the A run, else after the A run's last code point that is also B.
 * 0 if neither.
 */
static size_t word_ab(const struct cur *c, size_t i)
{
	size_t w, j = i, last_b = 0;
	unsigned k;
	while (j < c->len) {
		at(c, j, &w, &k);
		if (!(k & O_A))
			break;
		if (k & O_B)
			last_b = j + w;
		j += w;
	}
	if (j < c->len) {
		at(c, j, &w, &k);
		if (k & O_B)
			return run(c, j, O_B, true);
	}
	return last_b;
}

/* [A]+[B]* from i (the second word form); 0 if no A at i. */
static size_t word_a(const struct cur *c, size_t i)
{
	size_t j = run(c, i, O_A, true);
	return j == i ? 0 : run(c, j, O_B, true);
}

static __attribute__((noinline)) size_t slow_o200k(const uint8_t *s, size_t len, bool *bad)
{
	struct cur c = {s, len, bad};
	size_t w, e = 0, ce;
	unsigned k;
	uint32_t cp = at(&c, 0, &w, &k);
	bool pre = !is_nl(cp) && !(k & ALNUM); /* [^\r\n\p{L}\p{N}]? may take it */
	if (pre)
		e = word_ab(&c, w);
	if (!e)
		e = word_ab(&c, 0);
	if (!e && pre)
		e = word_a(&c, w);
	if (!e)
		e = word_a(&c, 0);
	if (e) {
		ce = contraction(&c, e, "sdmt");
		return ce ? ce : e;
	}
	if (k & TOKUC_N)
		return digits(&c, 0);
	e = punct(&c, 0, true);
	return e ? e : space(&c, 0);
}

size_t tokpre_o200k(const uint8_t *s, size_t len, bool *bad)
{
	size_t e = tokpre_fast_o200k(s, len);
	return e ? e : slow_o200k(s, len, bad);
}
