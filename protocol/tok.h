/*
 * tok: OpenAI's tiktoken tokenizer for cl100k_base and o200k_base, token ids
 * identical to tiktoken's encode_ordinary: the pattern split of
 * protocol/tokpre.h, then byte-pair merging of each piece with the
 * encoding's rank table, which is built into the binary (see docs/tok.md).
 */
#ifndef MCPL_PROTOCOL_TOK_H
#define MCPL_PROTOCOL_TOK_H

#include <stddef.h>
#include <stdint.h>

enum tok_encoding {
	TOK_CL100K_BASE, /* GPT-4, GPT-3.5-turbo, text-embedding-3 */
	TOK_O200K_BASE,	 /* GPT-4o, o1, o3 */
};

struct tok; /* a loaded encoding: its rank table hashed, and work space */

/*
 * Loads encoding enc: hashes its 100,256 (cl100k) or 199,998 (o200k) ranks
 * into a table it allocates (protocol/tokrank.h: 4.4 MB or 8.8 MB), plus
 * 1 MB of cache for the ids of short pieces seen before and 256 KB of
 * two-byte ranks. Call once at start; the caller owns
 * the result until tok_close. Returns NULL with errno EINVAL
 * (no such encoding) or ENOMEM.
 */
struct tok *tok_open(enum tok_encoding enc);

/* Frees t and everything it allocated; NULL is allowed. */
void tok_close(struct tok *t);

/*
 * The number of tokens in utf8[0..len), as tiktoken's
 * len(encode_ordinary(text)): special-token text such as "<|endoftext|>" is
 * plain text. Ill-formed UTF-8 counts as if each maximal ill-formed
 * subpart were U+FFFD (Python's decode(errors="replace")). Allocates only
 * when a piece (a run of letters, say) is longer than any t has seen and
 * needs more than its 64 KB of work space. Not thread-safe on one t.
 * Returns the count (>= 0), or -ENOMEM.
 */
int64_t tok_count(struct tok *t, const char *utf8, size_t len);

/*
 * The token ids of utf8[0..len), as tok_count defines them: the first
 * min(count, cap) go to ids[], and *n gets the full count. Returns 0,
 * -ENOSPC when the count exceeds cap (*n says how many were needed), or
 * -ENOMEM.
 */
int tok_encode(struct tok *t, const char *utf8, size_t len, uint32_t *ids, size_t cap, size_t *n);

/*
 * The bytes of tokens ids[0..n) back to back into out[0..cap); *len gets
 * their total length. tok_decode(tok_encode(text)) is text with
 * ill-formed UTF-8 replaced as above. Returns 0, -EINVAL if an id is not a
 * token of t's encoding (special tokens included), or -ENOSPC when the
 * bytes exceed cap (*len says how many were needed).
 */
int tok_decode(const struct tok *t, const uint32_t *ids, size_t n, char *out, size_t cap,
	       size_t *len);

/* The encoding's name, "cl100k_base" or "o200k_base". */
const char *tok_name(const struct tok *t);

#endif
