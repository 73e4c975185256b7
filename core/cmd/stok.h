/*
 * stok: NFR-03 in the suite and in `mcpload tokens --baseline`: the
 * baseline from a recorded file or from the workflows' local files
 * counted now, the MCP side counted through a session of its own, the
 * per-workflow table printed.
 */
#ifndef MCPL_CORE_CMD_STOK_H
#define MCPL_CORE_CMD_STOK_H

#include <stddef.h>

#include "core/cmd/prep.h"
#include "protocol/tok.h"
#include "scenarios/wflow.h"
#include "stats/assess.h"
#include "stats/tokeff.h"

/* Where NFR-03's baseline comes from (the command line over the
 * configuration; the configuration's paths relative to its file). */
struct stok_src {
	const char *files;    /* the files directory, or NULL */
	const char *baseline; /* a recorded baseline, or NULL */
	char files_buf[4096], baseline_buf[4096];
};

/* Fill src from --files / --baseline (NULL: not given) and the
 * configuration's files_dir / baseline read from config (NULL: none). */
void stok_src(struct stok_src *src, const char *files, const char *baseline,
	      const struct wflow_set *s, const char *config);

/* The encoding of s: its own, else cl100k_base. */
enum tok_encoding stok_encoding(const struct wflow_set *s);

/*
 * The baseline of s into *t: the recorded file src->baseline (its
 * workflows must include every one of s, in the same encoding), else the
 * files under src->files counted with tk. Returns 0 or -errno with a
 * one-line reason in why.
 */
int stok_baseline(const struct stok_src *src, const struct wflow_set *s, struct tok *tk,
		  struct tokeff *t, char *why, size_t wl);

/*
 * The suite's NFR-03: rn->tok gets the baseline and the MCP side (a
 * workflow that cannot be done through the server at p carries its error;
 * a baseline that cannot be had makes rn INCONCLUSIVE with the reason).
 * Returns 0, or -1 out of memory.
 */
int stok_run(const struct stok_src *src, const struct prep *p, const struct lopt *l,
	     const struct wflow_set *s, bool quiet, struct assess_nfr *rn);

#endif
