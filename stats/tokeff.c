/*
 * tokeff: NFR-03's totals, and a recorded baseline read back with the
 * JSON scanner: every field checked, so a file edited by hand or cut short
 * is a one-line reason, not a silent zero.
 */
#include "stats/tokeff.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "protocol/jsc.h"

void tokeff_total(struct tokeff *t)
{
	uint64_t per_turn = t->tool_list_counted ? t->tool_list_tokens : 0;
	t->base_total = t->mcp_total = 0;
	t->not_reduced = t->failed = 0;
	for (unsigned i = 0; i < t->n; i++) {
		struct tokeff_wf *w = &t->wf[i];
		w->mcp_tokens = w->content_tokens + (uint64_t)w->turns * per_turn;
		w->reduction_pct = w->base_tokens
				       ? 100.0 * ((double)w->base_tokens - (double)w->mcp_tokens) /
					     (double)w->base_tokens
				       : 0;
		if (w->error[0]) {
			t->failed++;
			continue;
		}
		t->base_total += w->base_tokens;
		t->mcp_total += w->mcp_tokens;
		t->not_reduced += w->mcp_tokens >= w->base_tokens;
	}
	t->reduction_pct = t->base_total ? 100.0 * ((double)t->base_total - (double)t->mcp_total) /
					       (double)t->base_total
					 : 0;
}

struct tokeff_wf *tokeff_find(struct tokeff *t, const char *name)
{
	for (unsigned i = 0; i < t->n; i++)
		if (!strcmp(t->wf[i].name, name))
			return &t->wf[i];
	return NULL;
}

/* A string member of obj into out[cap] (decoded). 0, or -1. */
static int str_of(const struct jsc_val *obj, const char *key, char *out, size_t cap)
{
	struct jsc_val v;
	long n;
	if (jsc_get(obj->ptr, obj->len, key, &v) != 0 || v.type != JSC_STRING ||
	    (n = jsc_unescape(&v, out, cap - 1)) < 0 || memchr(out, 0, (size_t)n))
		return -1;
	out[n] = 0;
	return 0;
}

/* A non-negative integer member of obj. 0, or -1. */
static int u64_of(const struct jsc_val *obj, const char *key, uint64_t *out)
{
	struct jsc_val v;
	int64_t i;
	if (jsc_get(obj->ptr, obj->len, key, &v) != 0 || v.type != JSC_NUMBER || jsc_int(&v, &i) ||
	    i < 0)
		return -1;
	*out = (uint64_t)i;
	return 0;
}

static int files_of(const struct jsc_val *base, struct tokeff_wf *w, char *why, size_t wl)
{
	struct jsc_val arr, k, f;
	size_t pos = 0;
	int r;
	uint64_t sum = 0;
	if (jsc_get(base->ptr, base->len, "files", &arr) != 0 || arr.type != JSC_ARRAY)
		return snprintf(why, wl, "workflow '%s': no baseline.files array", w->name),
		       -EINVAL;
	while ((r = jsc_next(&arr, &pos, &k, &f)) == 0) {
		struct tokeff_file *tf = &w->files[w->nfiles];
		if (w->nfiles == TOKEFF_MAX_FILES)
			return snprintf(why, wl, "workflow '%s': more than %d files", w->name,
					TOKEFF_MAX_FILES),
			       -EINVAL;
		if (f.type != JSC_OBJECT || str_of(&f, "path", tf->path, sizeof(tf->path)) ||
		    u64_of(&f, "bytes", &tf->bytes) || u64_of(&f, "tokens", &tf->tokens))
			return snprintf(why, wl,
					"workflow '%s': a file needs path, bytes and tokens",
					w->name),
			       -EINVAL;
		sum += tf->tokens;
		w->nfiles++;
	}
	if (r == JSC_MALFORMED)
		return snprintf(why, wl, "not valid JSON"), -EINVAL;
	if (sum != w->base_tokens)
		return snprintf(
			   why, wl, "workflow '%s': its files' tokens add up to %llu, not its %llu",
			   w->name, (unsigned long long)sum, (unsigned long long)w->base_tokens),
		       -EINVAL;
	return 0;
}

static int workflow_of(struct tokeff *t, const struct jsc_val *o, char *why, size_t wl)
{
	struct tokeff_wf *w = &t->wf[t->n];
	struct jsc_val base;
	memset(w, 0, sizeof(*w));
	if (t->n == WFLOW_MAX)
		return snprintf(why, wl, "more than %d workflows", WFLOW_MAX), -EINVAL;
	if (o->type != JSC_OBJECT || str_of(o, "name", w->name, sizeof(w->name)) || !w->name[0])
		return snprintf(why, wl, "workflow %u has no name", t->n + 1), -EINVAL;
	if (tokeff_find(t, w->name))
		return snprintf(why, wl, "two workflows are named '%s'", w->name), -EINVAL;
	if (jsc_get(o->ptr, o->len, "baseline", &base) != 0 || base.type != JSC_OBJECT ||
	    u64_of(&base, "tokens", &w->base_tokens) || u64_of(&base, "bytes", &w->base_bytes))
		return snprintf(why, wl, "workflow '%s': baseline needs tokens and bytes", w->name),
		       -EINVAL;
	if (files_of(&base, w, why, wl) < 0)
		return -EINVAL;
	t->n++;
	return 0;
}

int tokeff_read_baseline(struct tokeff *t, const char *json, size_t len, char *why, size_t wl)
{
	struct jsc_val doc = {JSC_OBJECT, json, len}, arr, k, o;
	char mode[40];
	size_t pos = 0;
	int r;
	memset(t, 0, sizeof(*t));
	if (jsc_get(json, len, "", &doc) != 0 || doc.type != JSC_OBJECT)
		return snprintf(why, wl, "not a JSON object"), -EINVAL;
	if (str_of(&doc, "mode", mode, sizeof(mode)) || strcmp(mode, TOKEFF_MODE))
		return snprintf(why, wl,
				"not a token baseline (mcpload tokens --baseline writes one)"),
		       -EINVAL;
	if (str_of(&doc, "encoding", t->encoding, sizeof(t->encoding)) ||
	    (strcmp(t->encoding, "cl100k_base") && strcmp(t->encoding, "o200k_base")))
		return snprintf(why, wl, "encoding is not cl100k_base or o200k_base"), -EINVAL;
	if (str_of(&doc, "started_at", t->recorded_at, sizeof(t->recorded_at)))
		return snprintf(why, wl, "no started_at (when it was recorded)"), -EINVAL;
	if (jsc_get(json, len, "workflows", &arr) != 0 || arr.type != JSC_ARRAY)
		return snprintf(why, wl, "no workflows array"), -EINVAL;
	while ((r = jsc_next(&arr, &pos, &k, &o)) == 0)
		if (workflow_of(t, &o, why, wl) < 0)
			return -EINVAL;
	if (r == JSC_MALFORMED)
		return snprintf(why, wl, "not valid JSON"), -EINVAL;
	if (!t->n)
		return snprintf(why, wl, "no workflows recorded"), -EINVAL;
	return 0;
}
