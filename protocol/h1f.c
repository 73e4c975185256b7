/*
 * h1f: framing field values. List fields (Transfer-Encoding, Connection) are
 * matched token by token against the few words that matter; Content-Length
 * accepts a list of identical values and nothing else.
 */
#include "protocol/h1f.h"

#include <string.h>

static const char *const list_words[] = {"chunked", "close", "keep-alive"};
static const uint8_t list_word_lens[] = {7, 5, 10};
enum { WORD_CHUNKED = 1, WORD_CLOSE = 2, WORD_KEEP_ALIVE = 4 };
enum { TOK_BEFORE, TOK_IN, TOK_AFTER };

void h1f_begin(struct h1f *f, enum h1f_kind kind)
{
	f->kind = (uint8_t)kind;
	f->tok_len = 0;
	f->tok_mask = 0;
	f->tok_phase = TOK_BEFORE;
	f->digits = 0;
	f->num = 0;
}

/* What a word (its bit, or 0) says in a field of this kind. */
static inline void word_says(struct h1f *f, enum h1f_kind kind, uint8_t word)
{
	if (kind == H1F_TRANSFER_ENCODING)
		f->te_chunked = word == WORD_CHUNKED;
	else if (word == WORD_CLOSE)
		f->conn_close = true;
	else if (word == WORD_KEEP_ALIVE)
		f->conn_keepalive = true;
}

/* One list token is over: what it says, and the next one begins. */
static void word_fact(struct h1f *f, uint8_t word)
{
	word_says(f, (enum h1f_kind)f->kind, word);
	f->tok_phase = TOK_BEFORE;
	f->tok_len = 0;
}

/* End of one list token. */
static void end_token(struct h1f *f)
{
	uint8_t word = 0;
	if (f->tok_phase == TOK_BEFORE)
		return; /* empty list element: ignored (RFC 9110 5.6.1) */
	for (unsigned i = 0; i < sizeof(list_words) / sizeof(list_words[0]); i++) {
		if ((f->tok_mask & (1u << i)) && list_word_lens[i] == f->tok_len)
			word = (uint8_t)(1u << i);
	}
	word_fact(f, word);
}

static void list_byte(struct h1f *f, unsigned char c)
{
	if (c == ',') {
		end_token(f);
		return;
	}
	if (c == ' ' || c == '\t') {
		if (f->tok_phase == TOK_IN)
			f->tok_phase = TOK_AFTER;
		return;
	}
	if (f->tok_phase == TOK_AFTER) {
		f->tok_mask = 0; /* "a b": not a word we know (parameters included) */
		return;
	}
	if (f->tok_phase == TOK_BEFORE) {
		f->tok_phase = TOK_IN;
		f->tok_mask = WORD_CHUNKED | WORD_CLOSE | WORD_KEEP_ALIVE;
	}
	if (c >= 'A' && c <= 'Z')
		c |= 0x20;
	for (unsigned i = 0; i < sizeof(list_words) / sizeof(list_words[0]); i++) {
		if (f->tok_len >= list_word_lens[i] ||
		    (unsigned char)list_words[i][f->tok_len] != c)
			f->tok_mask &= (uint8_t) ~(1u << i);
	}
	if (f->tok_len < UINT8_MAX)
		f->tok_len++;
}

/* One Content-Length value ended (at ',' or the end of the line). */
static int length_value_end(struct h1f *f)
{
	if (f->digits == 0)
		return H1F_BAD_LENGTH;
	if (f->cl_seen && f->content_length != f->num)
		return H1F_LENGTH_CONFLICT;
	f->cl_seen = true;
	f->content_length = f->num;
	f->num = 0;
	f->digits = 0;
	f->tok_phase = TOK_BEFORE;
	return 0;
}

static int length_byte(struct h1f *f, unsigned char c)
{
	if (c >= '0' && c <= '9') {
		if (f->tok_phase == TOK_AFTER || f->digits >= 19)
			return H1F_BAD_LENGTH; /* "1 2", or more than fits in 64 bits */
		f->num = f->num * 10 + (uint64_t)(c - '0');
		f->digits++;
		f->tok_phase = TOK_IN;
		return 0;
	}
	if (c == ' ' || c == '\t') {
		if (f->tok_phase == TOK_IN)
			f->tok_phase = TOK_AFTER;
		return 0;
	}
	if (c == ',' && f->digits > 0)
		return length_value_end(f);
	return H1F_BAD_LENGTH;
}

int h1f_feed(struct h1f *f, const char *p, size_t n)
{
	if (f->kind == H1F_OTHER)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (f->kind == H1F_CONTENT_LENGTH) {
			int r = length_byte(f, (unsigned char)p[i]);
			if (r < 0)
				return r;
		} else {
			list_byte(f, (unsigned char)p[i]);
		}
	}
	return 0;
}

/* A value that is exactly one known word (any case) sets its fact directly;
 * anything else goes through the token matcher. */
static bool whole_word(struct h1f *f, const char *p, size_t n)
{
	for (unsigned i = 0; i < sizeof(list_words) / sizeof(list_words[0]); i++) {
		if (n != list_word_lens[i] || !h1f_fold_eq(p, list_words[i], n))
			continue;
		f->tok_phase = TOK_IN;
		f->tok_mask = (uint8_t)(1u << i);
		f->tok_len = list_word_lens[i];
		return true;
	}
	return false;
}

/* 1*DIGIT that fits: its value in *v. */
static bool plain_length(const char *p, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	if (n == 0 || n > 19)
		return false;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned)(p[i] - '0') >= 10)
			return false;
		x = x * 10 + (uint64_t)(p[i] - '0');
	}
	*v = x;
	return true;
}

int h1f_whole(struct h1f *f, const char *p, size_t n)
{
	if (f->kind == H1F_CONTENT_LENGTH) {
		uint64_t v;
		if (f->digits == 0 && f->tok_phase == TOK_BEFORE && plain_length(p, n, &v)) {
			f->num = v;
			f->digits = (uint8_t)n;
			f->tok_phase = TOK_IN;
			return 0;
		}
		return h1f_feed(f, p, n); /* lists, spaces, errors */
	}
	if (f->kind != H1F_OTHER && f->tok_phase == TOK_BEFORE && whole_word(f, p, n))
		return 0;
	return h1f_feed(f, p, n);
}

int h1f_end(struct h1f *f)
{
	switch (f->kind) {
	case H1F_CONTENT_LENGTH:
		return length_value_end(f);
	case H1F_TRANSFER_ENCODING:
		f->saw_te = true;
		end_token(f);
		return 0;
	case H1F_CONNECTION:
		end_token(f);
		return 0;
	default:
		return 0;
	}
}

int h1f_field(struct h1f *f, enum h1f_kind kind, const char *p, size_t n)
{
	uint64_t v;
	int r;
	/* The usual values say their fact at once (a plain length, the one
	 * word each field is sent with): no token machine, so none of its
	 * state to begin. */
	switch (kind) {
	case H1F_CONTENT_LENGTH:
		if (!plain_length(p, n, &v))
			break;
		if (f->cl_seen && f->content_length != v)
			return H1F_LENGTH_CONFLICT;
		f->cl_seen = true;
		f->content_length = v;
		return 0;
	case H1F_CONNECTION:
		if (n == 10 && h1f_fold_eq(p, "keep-alive", 10)) {
			word_says(f, kind, WORD_KEEP_ALIVE);
			return 0;
		}
		if (n == 5 && h1f_fold_eq(p, "close", 5)) {
			word_says(f, kind, WORD_CLOSE);
			return 0;
		}
		break;
	case H1F_TRANSFER_ENCODING:
		if (n == 7 && h1f_fold_eq(p, "chunked", 7)) {
			f->saw_te = true;
			word_says(f, kind, WORD_CHUNKED);
			return 0;
		}
		break;
	default:
		return 0;
	}
	h1f_begin(f, kind);
	r = h1f_whole(f, p, n);
	return r < 0 ? r : h1f_end(f);
}
