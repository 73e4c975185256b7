/*
 * vcheck: expectations, captures and check values from a response body,
 * with protocol/jsc; captured strings are unescaped into the user's store.
 */
#include "core/users/vcheck.h"

#include <stdio.h>
#include <string.h>

#include "core/users/vu.h"
#include "protocol/jsc.h"

bool vcheck_status_ok(unsigned want, unsigned got)
{
	if (want == 0)
		return got / 100 == 2;
	if (want == SCN_STATUS_ANY)
		return got < 400;
	if (want < 6)
		return got / 100 == want;
	return got == want;
}

void vcheck_status_text(unsigned want, char *buf, size_t cap)
{
	if (want == SCN_STATUS_ANY)
		snprintf(buf, cap, "a status below 400");
	else if (want < 6)
		snprintf(buf, cap, "%uxx", want ? want : 2);
	else
		snprintf(buf, cap, "%u", want);
}
static bool value_is(const struct jsc_val *v, const char *want)
{
	size_t n = strlen(want);
	return v->len == n && memcmp(v->ptr, want, n) == 0;
}

/* Store a captured JSON value: strings unescaped, anything else as written. */
static bool store_json(struct vu *u, int var, const struct jsc_val *jv)
{
	struct tmpl_var *tv = &u->vars[var];
	char *slot = u->store + (size_t)var * PLAN_VAR_BYTES;
	long n;
	if (jv->type == JSC_OBJECT || jv->type == JSC_ARRAY)
		return false;
	if (jv->type == JSC_STRING) {
		n = jsc_unescape(jv, slot, PLAN_VAR_BYTES);
	} else {
		n = jv->len <= PLAN_VAR_BYTES ? (long)jv->len : -1;
		if (n >= 0)
			memcpy(slot, jv->ptr, jv->len);
	}
	if (n < 0)
		return false;
	*tv = (struct tmpl_var){slot, (size_t)n, 1};
	return true;
}

static int get_int(const char *body, size_t len, const char *path, int64_t *out)
{
	struct jsc_val v;
	return jsc_get(body, len, path, &v) == 0 && jsc_int(&v, out) == 0 ? 0 : -1;
}

/* A range as [start, end] inclusive with its count, however the response
 * states it: an end (inclusive or exclusive), a count, or both (then the
 * check compares them). Returns -1 when a value is missing or the range
 * does not fit in 64 bits. */
static int read_range(const struct scn_check *ck, const char *b, size_t len, struct check_rec *rec)
{
	int64_t end = 0, count = 0;
	if (ck->end && get_int(b, len, ck->end, &end) < 0)
		return -1;
	if (ck->count && get_int(b, len, ck->count, &count) < 0)
		return -1;
	if (ck->end && ck->end_exclusive && __builtin_sub_overflow(end, 1, &end))
		return -1;
	if (!ck->count && (__builtin_sub_overflow(end, rec->start, &count) ||
			   __builtin_add_overflow(count, 1, &count)))
		return -1;
	if (!ck->end && (__builtin_add_overflow(rec->start, count, &end) ||
			 __builtin_sub_overflow(end, 1, &end)))
		return -1;
	rec->end = end;
	rec->count = count;
	return 0;
}

bool vcheck_gather(struct worker *w, struct vu *u, int check)
{
	const struct scn_check *ck = &vu_of(w)->plan->scn->checks[check];
	struct vu_recs *r = &vu_of(w)->recs[check];
	struct check_rec rec = {0, 0, 0};
	if (u->body_over || get_int(u->body, u->body_len, ck->start, &rec.start) < 0 ||
	    (ck->kind == SCN_CHECK_DISJOINT && read_range(ck, u->body, u->body_len, &rec) < 0)) {
		r->unreadable++;
		return false;
	}
	if (r->len == r->cap) {
		r->overflow++;
		return true;
	}
	r->recs[r->len++] = rec;
	return true;
}

/* Expectations and captures. Returns false when one failed. */
bool vcheck_inspect(struct worker *w, struct vu *u, const struct plan_step *ps, char *why,
		    size_t cap)
{
	const struct scn_step *d = ps->def;
	const char *b = u->body;
	size_t bl = u->body_len;
	bool ok = true;
	struct jsc_val v;

	if (ps->need_body && u->body_over) {
		snprintf(why, cap, "a body larger than mcpload keeps for expectations");
		return false;
	}
	if (d->contains && !memmem(b, bl, d->contains, strlen(d->contains))) {
		snprintf(why, cap, "the body does not contain '%s'", d->contains);
		ok = false;
	}
	if (ok && d->json_has &&
	    (jsc_get(b, bl, ps->has_path, &v) != 0 ||
	     (ps->has_value && !value_is(&v, ps->has_value)))) {
		snprintf(why, cap, "the body has no %s%s%s", ps->has_path,
			 ps->has_value ? " = " : "", ps->has_value ? ps->has_value : "");
		ok = false;
	}
	for (unsigned i = 0; i < SCN_MAX_CAPTURES; i++) {
		int var = ps->capture_var[i];
		if (var < 0)
			continue;
		if (d->captures[i].json) {
			if (jsc_get(b, bl, d->captures[i].json, &v) != 0 || !store_json(u, var, &v))
				goto capture_failed;
		} else if (!u->vars[var].set ||
			   u->vars[var].ptr != u->store + (size_t)var * PLAN_VAR_BYTES) {
			goto capture_failed;
		}
		continue;
	capture_failed:
		u->vars[var].set = 0;
		if (ok)
			snprintf(why, cap, "nothing to capture into %s from %s %s",
				 d->captures[i].var,
				 d->captures[i].json ? "the body's" : "the header",
				 d->captures[i].json ? d->captures[i].json : d->captures[i].header);
		ok = false;
		if (conn_is_measured(w))
			w->tally.captures_failed++;
	}
	return ok;
}
