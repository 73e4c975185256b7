/*
 * tokwf: local files counted whole; MCP calls made once each with the
 * discovery client (core/probe/discover) and their results reduced to the
 * text a model reads (protocol/mtext) before counting. Runs on the main
 * thread before or beside the load, never on a worker.
 */
#include "core/probe/tokwf.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/jsc.h"
#include "protocol/mtext.h"
#include "protocol/rfile.h"

static int fail(char *why, size_t wl, int err, const char *fmt, const char *a, const char *b,
		const char *c)
{
	snprintf(why, wl, fmt, a, b, c);
	return err;
}

/* One file into w (once): its bytes and tokens. */
static int count_file(struct tok *t, const char *path, const char *shown, struct tokeff_wf *w,
		      char *why, size_t wl)
{
	size_t len;
	char *buf;
	int64_t n;
	for (unsigned i = 0; i < w->nfiles; i++)
		if (!strcmp(w->files[i].path, shown))
			return 0;
	if (w->nfiles == TOKEFF_MAX_FILES) {
		snprintf(why, wl, "workflow '%s': more than %d files", w->name, TOKEFF_MAX_FILES);
		return -ENOSPC;
	}
	if (!(buf = rfile_path(path, TOKWF_MAX_FILE, &len)))
		return fail(why, wl, -errno, "workflow '%s': %s: %s", w->name, path,
			    strerror(errno));
	n = tok_count(t, buf, len);
	free(buf);
	if (n < 0)
		return fail(why, wl, (int)n, "workflow '%s': %s: %s", w->name, path,
			    strerror((int)-n));
	struct tokeff_file *f = &w->files[w->nfiles++];
	snprintf(f->path, sizeof(f->path), "%s", shown);
	f->bytes = len;
	f->tokens = (uint64_t)n;
	w->base_bytes += len;
	w->base_tokens += (uint64_t)n;
	return 0;
}

/* One name of a workflow: a file, or a glob's matches in order. */
static int count_name(struct tok *t, const char *dir, const char *name, struct tokeff_wf *w,
		      char *why, size_t wl)
{
	char full[4096];
	size_t skip = name[0] == '/' ? 0 : strlen(dir) + 1;
	glob_t g;
	int r = 0;
	snprintf(full, sizeof(full), "%s%s%s", name[0] == '/' ? "" : dir, name[0] == '/' ? "" : "/",
		 name);
	if (!strpbrk(name, "*?["))
		return count_file(t, full, full + skip, w, why, wl);
	if (glob(full, GLOB_ERR, NULL, &g) != 0 || g.gl_pathc == 0) {
		if (g.gl_pathc == 0)
			globfree(&g);
		return fail(why, wl, -ENOENT, "workflow '%s': '%s' matches no file in %s", w->name,
			    name, dir);
	}
	for (size_t i = 0; i < g.gl_pathc && r == 0; i++)
		r = count_file(t, g.gl_pathv[i], g.gl_pathv[i] + skip, w, why, wl);
	globfree(&g);
	return r;
}

int tokwf_baseline(const struct wflow_set *s, const char *dir, struct tok *t, struct tokeff *out,
		   char *why, size_t wl)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->encoding, sizeof(out->encoding), "%s", tok_name(t));
	snprintf(out->baseline_from, sizeof(out->baseline_from), "the files in %s", dir);
	for (unsigned i = 0; i < s->n; i++) {
		struct tokeff_wf *w = &out->wf[out->n++];
		snprintf(w->name, sizeof(w->name), "%s", s->wf[i].name);
		for (unsigned k = 0; k < s->wf[i].nfiles; k++) {
			int r = count_name(t, dir, s->wf[i].files[k], w, why, wl);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

struct counter {
	struct tok *t;
	uint64_t tokens;
	int err;
};

static void add(void *ctx, const char *text, size_t len)
{
	struct counter *c = ctx;
	int64_t n = tok_count(c->t, text, len);
	if (n < 0)
		c->err = (int)n;
	else
		c->tokens += (uint64_t)n;
}

/* tools/list's items as a model API takes them, counted. */
struct tool_list {
	struct counter c;
	unsigned n, bad;
	char buf[64 << 10];
};

static void each_tool(void *ctx, const char *item, size_t len)
{
	struct tool_list *tl = ctx;
	long n = mtext_tool(item, len, tl->buf, sizeof(tl->buf));
	if (n < 0) {
		tl->bad++;
		return;
	}
	add(&tl->c, tl->buf, (size_t)n);
	tl->n++;
}

static int tool_list(struct disc *d, struct tok *t, struct tokeff *out, char *why, size_t wl)
{
	struct tool_list *tl = calloc(1, sizeof(*tl));
	int cut = 0;
	long r;
	if (!tl)
		return -ENOMEM;
	tl->c.t = t;
	r = disc_list(d, "tools/list", "tools", each_tool, tl, &cut, why, wl);
	if (r >= 0 && (tl->c.err || tl->bad))
		r = fail(why, wl, -EPROTO, "tools/list: %s%s%s",
			 tl->bad ? "a tool without a name, or larger than 64 KB" : "",
			 tl->c.err ? " out of memory" : "", "");
	out->tool_list_counted = r >= 0;
	out->ntools = tl->n;
	out->tool_list_tokens = tl->c.tokens;
	free(tl);
	return r < 0 ? (int)r : 0;
}

/* The error of a reply, or 0: none. */
static int reply_error(const struct disc_reply *r, const char *what, char *err, size_t cap)
{
	char said[200];
	if (!r->m.rpc_error && !r->m.tool_error)
		return 0;
	if (!mcp_msg_text(r->msg, r->len, &r->m, said, sizeof(said)))
		snprintf(said, sizeof(said), "HTTP %u", r->status);
	snprintf(err, cap, "%.80s: %.150s", what, said);
	return -EPROTO;
}

/* One call: what it returns, counted into cl; an error into err. */
static int call(struct disc *d, const struct wflow_call *c, struct tok *t, struct tokeff_call *cl,
		char *err, size_t cap)
{
	static const enum mtext_kind kinds[] = {MTEXT_RESOURCE, MTEXT_TOOL, MTEXT_PROMPT};
	struct disc_reply r;
	struct jsc_val res = {JSC_NULL, NULL, 0};
	struct counter cnt = {t, 0, 0};
	char why[300], *scratch = NULL;
	long bin = -1;
	snprintf(cl->what, sizeof(cl->what), "%s %s", wflow_method(c->kind), c->name);
	int rc = disc_request(d, wflow_method(c->kind), c->name, c->args, &r, why, sizeof(why));
	if (rc < 0)
		snprintf(err, cap, "%.80s: %.150s", cl->what, why);
	else if ((rc = reply_error(&r, cl->what, err, cap)) == 0) {
		if (jsc_get(r.msg, r.len, "result", &res) == 0 && (scratch = malloc(res.len + 1)))
			bin = mtext_each(kinds[c->kind], res.ptr, res.len, scratch, res.len + 1,
					 add, &cnt);
		if (bin < 0 || cnt.err) {
			snprintf(err, cap, "%.80s: %s", cl->what,
				 cnt.err ? "out of memory counting"
					 : "the result is not of its kind");
			rc = -EPROTO;
		}
		cl->bytes = res.len;
	}
	cl->tokens = cnt.tokens;
	cl->uncounted = bin > 0 ? (unsigned)bin : 0;
	free(scratch);
	disc_reply_free(&r);
	return rc;
}

int tokwf_mcp(struct disc *d, const struct wflow_set *s, struct tok *t, struct tokeff *out,
	      char *why, size_t wl)
{
	int r;
	for (unsigned i = 0; i < s->n; i++)
		if (!tokeff_find(out, s->wf[i].name))
			return fail(why, wl, -ENOENT, "workflow '%s' has no baseline%s%s",
				    s->wf[i].name, "", "");
	if (!s->no_tool_list && (r = tool_list(d, t, out, why, wl)) < 0)
		return r;
	for (unsigned i = 0; i < s->n; i++) {
		const struct wflow *wf = &s->wf[i];
		struct tokeff_wf *w = tokeff_find(out, wf->name);
		w->turns = wflow_turns(wf);
		w->ncalls = w->content_tokens = 0;
		w->error[0] = 0;
		for (unsigned k = 0; k < wf->ncalls; k++) {
			struct tokeff_call *cl = &w->calls[w->ncalls++];
			if (call(d, &wf->calls[k], t, cl, w->error, sizeof(w->error)) < 0)
				break;
			w->content_tokens += cl->tokens;
		}
	}
	out->mcp_done = true;
	tokeff_total(out);
	return 0;
}
