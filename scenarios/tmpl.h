/*
 * tmpl: request templates for scenarios, compiled once into literal
 * segments and slots so that rendering only copies bytes. Slots: {{user}},
 * {{iter}}, {{seq}} (unique across all workers), {{rpc_id}} (the JSON-RPC id the
 * engine gave the request), {{rand:A:B}}, {{pick:a|b|c}}
 * (weights as {{pick:core*5|tooling*4|testing}}), {{each:a|b|c}} (the
 * options in turn, one per iteration: a sweep; weights unused), and {{NAME}} for a
 * scenario variable (set by --set or captured from an earlier response).
 */
#ifndef MCPL_SCENARIOS_TMPL_H
#define MCPL_SCENARIOS_TMPL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define TMPL_MAX_SEGS  64
#define TMPL_MAX_BYTES 8192 /* literal bytes and pick options of one template */
#define TMPL_MAX_PICKS 256  /* options of all picks in one template */

enum tmpl_kind {
	TMPL_LIT,
	TMPL_USER,
	TMPL_ITER,
	TMPL_SEQ,
	TMPL_RAND,
	TMPL_PICK,
	TMPL_EACH,
	TMPL_VAR,
	TMPL_RPCID,
};

struct tmpl_seg {
	uint8_t kind;	   /* enum tmpl_kind */
	uint16_t var;	   /* TMPL_VAR: index into the variable table */
	uint32_t off, len; /* TMPL_LIT: bytes in text[] */
	int64_t lo, hi;	   /* TMPL_RAND: inclusive bounds */
	uint16_t first, n; /* TMPL_PICK, TMPL_EACH: options picks[first .. first+n) */
};

struct tmpl_pick {
	uint32_t off, len; /* the option's bytes in text[] */
	double upto;	   /* cumulative weight share: pick while u < upto */
};

struct tmpl {
	struct tmpl_seg segs[TMPL_MAX_SEGS];
	unsigned nsegs;
	struct tmpl_pick picks[TMPL_MAX_PICKS];
	unsigned npicks;
	char text[TMPL_MAX_BYTES];
	size_t text_len;
};

/* A variable's current value for one virtual user (a span it owns). */
struct tmpl_var {
	const char *ptr;
	size_t len;
	int set; /* 0 until assigned */
};

struct tmpl_ctx {
	uint64_t user;	   /* virtual user number */
	uint64_t iter;	   /* the user's iteration */
	uint64_t *seq;	   /* this worker's sequence counter */
	unsigned seq_step; /* number of workers; worker w starts its counter at w */
	uint64_t *rng;	   /* splitmix64 state */
	const struct tmpl_var *vars;
	unsigned nvars;
	uint64_t rpc_id; /* the JSON-RPC id of the request being rendered */
};

/*
 * Compile src. names[0..nnames) are the scenario's variable names: {{NAME}}
 * must be one of them. Returns 0, or -EINVAL with *why set to a static
 * reason (unterminated slot, unknown name, bad range, empty pick, too big).
 */
int tmpl_compile(struct tmpl *t, const char *src, const char *const names[], unsigned nnames,
		 const char **why);

/*
 * Render into buf. Returns the length, -ENOSPC when buf is too small, or
 * -ENOENT when a variable is unset (the step must be skipped and counted,
 * never sent with an empty value). Advances *ctx->seq once per {{seq}}.
 */
ssize_t tmpl_render(const struct tmpl *t, const struct tmpl_ctx *ctx, char *buf, size_t cap);

/* True when the template has no slots (its bytes never change). */
int tmpl_is_constant(const struct tmpl *t);

#endif
