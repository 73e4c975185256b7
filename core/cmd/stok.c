/*
 * stok: NFR-03's run: the baseline first (it needs no server), then an MCP
 * session of its own (discover's client: either era) for the tool list
 * and every workflow's calls, once each. No load: the figures are counts,
 * the same on any machine.
 */
#include "core/cmd/stok.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/probe/discover.h"
#include "core/probe/tokwf.h"

/* path as given, or relative to the configuration file's directory. */
static const char *beside(const char *path, const char *config, char *buf, size_t cap)
{
	char dir[4096];
	if (!path || path[0] == '/' || !config)
		return path;
	snprintf(dir, sizeof(dir), "%s", config);
	snprintf(buf, cap, "%s/%s", dirname(dir), path);
	return buf;
}

void stok_src(struct stok_src *src, const char *files, const char *baseline,
	      const struct wflow_set *s, const char *config)
{
	memset(src, 0, sizeof(*src));
	src->files =
	    files ? files
		  : beside(s ? s->files_dir : NULL, config, src->files_buf, sizeof(src->files_buf));
	src->baseline = baseline ? baseline
				 : beside(s ? s->baseline : NULL, config, src->baseline_buf,
					  sizeof(src->baseline_buf));
	if (files && !baseline)
		src->baseline = NULL; /* --files: count the files now */
}

enum tok_encoding stok_encoding(const struct wflow_set *s)
{
	return s->encoding && !strcmp(s->encoding, "o200k_base") ? TOK_O200K_BASE : TOK_CL100K_BASE;
}

static int recorded(const struct stok_src *src, const struct wflow_set *s, struct tok *tk,
		    struct tokeff *t, char *why, size_t wl)
{
	char *text, rwhy[300];
	size_t len;
	if (prep_read_text(src->baseline, "token baseline", &text, &len, why, wl) < 0)
		return -EINVAL;
	int r = tokeff_read_baseline(t, text, len, rwhy, sizeof(rwhy));
	free(text);
	if (r < 0)
		return snprintf(why, wl, "%s: %s", src->baseline, rwhy), -EINVAL;
	if (strcmp(t->encoding, tok_name(tk)))
		return snprintf(why, wl, "%s was counted in %s, the workflows ask for %s",
				src->baseline, t->encoding, tok_name(tk)),
		       -EINVAL;
	for (unsigned i = 0; i < s->n; i++)
		if (!tokeff_find(t, s->wf[i].name))
			return snprintf(why, wl, "%s has no workflow '%s' (record it again)",
					src->baseline, s->wf[i].name),
			       -EINVAL;
	snprintf(t->baseline_from, sizeof(t->baseline_from), "%s (recorded %s)", src->baseline,
		 t->recorded_at);
	return 0;
}

int stok_baseline(const struct stok_src *src, const struct wflow_set *s, struct tok *tk,
		  struct tokeff *t, char *why, size_t wl)
{
	if (src->baseline)
		return recorded(src, s, tk, t, why, wl);
	if (!src->files)
		return snprintf(why, wl, "no baseline: give --files DIR or --baseline FILE"),
		       -EINVAL;
	return tokwf_baseline(s, src->files, tk, t, why, wl);
}

/* Every workflow of t failed with the same reason (no session, no list). */
static void all_failed(struct tokeff *t, const char *why)
{
	for (unsigned i = 0; i < t->n; i++)
		snprintf(t->wf[i].error, sizeof(t->wf[i].error), "%.230s", why);
	t->mcp_done = true;
	tokeff_total(t);
}

int stok_run(const struct stok_src *src, const struct prep *p, const struct lopt *l,
	     const struct wflow_set *s, bool quiet, struct assess_nfr *rn)
{
	char why[512], path[1024];
	struct disc d;
	struct tok *tk = tok_open(stok_encoding(s));
	struct tokeff *t = calloc(1, sizeof(*t));
	if (!tk || !t) {
		tok_close(tk);
		free(t);
		return -1;
	}
	rn->tok = t;
	if (!quiet)
		fprintf(stderr, "  %s: %u workflows, baseline against MCP (%s)\n",
			rn->def->short_id, s->n, tok_name(tk));
	if (stok_baseline(src, s, tk, t, why, sizeof(why)) < 0) {
		snprintf(rn->inconclusive, sizeof(rn->inconclusive), "the baseline: %.260s", why);
		tok_close(tk);
		return 0;
	}
	prep_mcp_path(p, l, path, sizeof(path));
	if (disc_open(&d, &p->peer, path, &p->mcp, why, sizeof(why)) < 0) {
		all_failed(t, why);
	} else {
		if (tokwf_mcp(&d, s, tk, t, why, sizeof(why)) < 0)
			all_failed(t, why);
		disc_close(&d);
	}
	tok_close(tk);
	return 0;
}
