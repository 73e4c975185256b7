/*
 * rtok: the workflow objects of NFR-03: "baseline" (what the local files
 * cost) and "mcp" (what the calls returned, the turns, the tool list's
 * share), per workflow and in total.
 */
#include "stats/report/rtok.h"

#include <errno.h>
#include <time.h>

#include "stats/report/out.h"
#include "stats/report/vocab.h"

static void baseline(struct jw *j, const struct tokeff_wf *w)
{
	jw_obj_begin(j, "baseline");
	jw_u64(j, "tokens", w->base_tokens);
	jw_u64(j, "bytes", w->base_bytes);
	jw_arr_begin(j, "files");
	for (unsigned k = 0; k < w->nfiles; k++) {
		jw_obj_begin(j, NULL);
		jw_str(j, "path", w->files[k].path);
		jw_u64(j, "bytes", w->files[k].bytes);
		jw_u64(j, "tokens", w->files[k].tokens);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_obj_end(j);
}

static void mcp(struct jw *j, const struct tokeff *t, const struct tokeff_wf *w)
{
	jw_obj_begin(j, "mcp");
	jw_u64(j, "tokens", w->mcp_tokens);
	jw_u64(j, "content_tokens", w->content_tokens);
	jw_u64(j, "turns", w->turns);
	jw_u64(j, "tool_list_tokens",
	       t->tool_list_counted ? (uint64_t)w->turns * t->tool_list_tokens : 0);
	jw_arr_begin(j, "calls");
	for (unsigned k = 0; k < w->ncalls; k++) {
		jw_obj_begin(j, NULL);
		jw_str(j, "call", w->calls[k].what);
		jw_u64(j, "tokens", w->calls[k].tokens);
		jw_u64(j, "bytes", w->calls[k].bytes);
		jw_u64(j, "binary_items", w->calls[k].uncounted);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_obj_end(j);
	jw_f64(j, "reduction_pct", w->error[0] ? 0 : w->reduction_pct);
	jw_bool(j, "reduced", !w->error[0] && w->mcp_tokens < w->base_tokens);
	jw_str(j, "error", w->error[0] ? w->error : NULL);
}

void rtok_json(struct jw *j, const char *key, const struct tokeff *t)
{
	jw_obj_begin(j, key);
	jw_str(j, "encoding", t->encoding);
	jw_str(j, "baseline_from", t->baseline_from);
	jw_str(j, "baseline_recorded_at", t->recorded_at[0] ? t->recorded_at : NULL);
	if (t->mcp_done) {
		jw_obj_begin(j, "tool_list");
		jw_bool(j, "counted", t->tool_list_counted);
		jw_u64(j, "tools", t->ntools);
		jw_u64(j, "tokens_per_turn", t->tool_list_tokens);
		jw_obj_end(j);
		jw_u64(j, "baseline_tokens", t->base_total);
		jw_u64(j, "mcp_tokens", t->mcp_total);
		jw_f64(j, "reduction_pct", t->reduction_pct);
		jw_u64(j, "workflows_not_reduced", t->not_reduced);
		jw_u64(j, "workflows_failed", t->failed);
	}
	jw_arr_begin(j, "workflows");
	for (unsigned i = 0; i < t->n; i++) {
		jw_obj_begin(j, NULL);
		jw_str(j, "name", t->wf[i].name);
		baseline(j, &t->wf[i]);
		if (t->mcp_done)
			mcp(j, t, &t->wf[i]);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_obj_end(j);
}

struct bdoc {
	const struct tokeff *t;
	const char *cmdline, *files_dir;
};

static int fill(FILE *f, const void *ctx)
{
	const struct bdoc *d = ctx;
	uint64_t total = 0;
	struct jw j;
	jw_init(&j, f);
	vocab_doc_begin(&j, TOKEFF_MODE, d->cmdline, time(NULL));
	jw_str(&j, "encoding", d->t->encoding);
	jw_str(&j, "files_dir", d->files_dir);
	for (unsigned i = 0; i < d->t->n; i++)
		total += d->t->wf[i].base_tokens;
	jw_u64(&j, "baseline_tokens", total);
	jw_arr_begin(&j, "workflows");
	for (unsigned i = 0; i < d->t->n; i++) {
		jw_obj_begin(&j, NULL);
		jw_str(&j, "name", d->t->wf[i].name);
		baseline(&j, &d->t->wf[i]);
		jw_obj_end(&j);
	}
	jw_arr_end(&j);
	jw_obj_end(&j);
	fputc('\n', f);
	return ferror(f) ? -EIO : 0;
}

int rtok_baseline_write(const char *path, const struct tokeff *t, const char *cmdline,
			const char *files_dir, char *why, size_t wl)
{
	struct bdoc d = {t, cmdline, files_dir};
	return out_write(path, fill, &d, why, wl);
}

void rtok_print(FILE *f, const struct tokeff *t, const char *in)
{
	fprintf(f, "%s%-28s %12s %12s %10s\n", in, "workflow", "baseline", "MCP", "reduction");
	for (unsigned i = 0; i < t->n; i++) {
		const struct tokeff_wf *w = &t->wf[i];
		if (w->error[0]) {
			fprintf(f, "%s%-28.28s %12llu %12s %10s  %s\n", in, w->name,
				(unsigned long long)w->base_tokens, "-", "FAILED", w->error);
			continue;
		}
		fprintf(f, "%s%-28.28s %12llu %12llu %9.1f%%%s\n", in, w->name,
			(unsigned long long)w->base_tokens, (unsigned long long)w->mcp_tokens,
			w->reduction_pct, w->mcp_tokens < w->base_tokens ? "" : "  no reduction");
	}
	fprintf(f, "%s%-28s %12llu %12llu %9.1f%%\n", in, "all workflows",
		(unsigned long long)t->base_total, (unsigned long long)t->mcp_total,
		t->reduction_pct);
	fprintf(f,
		"%s(%s tokens; baseline: %s; MCP: what the calls returned%s%u tools, %llu tokens, "
		"once per turn)\n",
		in, t->encoding, t->baseline_from,
		t->tool_list_counted ? " + the tool list: " : ", the tool list not counted: ",
		t->ntools, (unsigned long long)t->tool_list_tokens);
}
