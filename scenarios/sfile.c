/*
 * sfile: the TOML form of a scenario, read into struct scn and written
 * back. Every key is checked against the keys its table may hold, every
 * value against its type, so a typo is an error at its line and column,
 * never a silently ignored setting.
 */
#include "scenarios/sfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/units.h"

int sfile_bad(struct sfile_rd *s, const struct toml_val *v, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(s->why, s->wl, "%s:%u:%u: ", s->name, v ? v->line : 1, v ? v->col : 1);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < s->wl)
		vsnprintf(s->why + n, s->wl - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Every member of t is one of keys (a NULL-terminated list). */
int sfile_known(struct sfile_rd *s, const struct toml_val *t, const char *const *keys,
		const char *in)
{
	for (const struct toml_val *v = t->first; v; v = v->next) {
		bool ok = false;
		for (const char *const *k = keys; *k && !ok; k++)
			ok = !strcmp(*k, v->key);
		if (!ok) {
			char list[256];
			size_t at = 0;
			for (const char *const *k = keys; *k && at < sizeof(list); k++)
				at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s",
						       k == keys ? "" : ", ", *k);
			return sfile_bad(s, v, "unknown key '%s' in %s (it takes %s)", v->key, in,
					 list);
		}
	}
	return 0;
}

long sfile_expand(const char *in, char *out, size_t cap, char *missing, size_t ml)
{
	size_t n = 0;
	for (const char *p = in; *p;) {
		const char *add = p;
		size_t len = 1;
		char name[128];
		if (p[0] == '$' && p[1] == '$' && p[2] == '{') {
			add = "${";
			len = 2;
			p += 3;
		} else if (p[0] == '$' && p[1] == '{' && strchr(p, '}')) {
			size_t k = (size_t)(strchr(p, '}') - p - 2);
			snprintf(name, sizeof(name), "%.*s", (int)(k < sizeof(name) ? k : 0),
				 p + 2);
			add = getenv(name);
			if (!add || !name[0]) {
				snprintf(missing, ml, "%.*s", (int)k, p + 2);
				return -ENOENT;
			}
			len = strlen(add);
			p += k + 3;
		} else {
			p++;
		}
		if (n + len + 1 > cap)
			return -ENOSPC;
		memcpy(out + n, add, len);
		n += len;
	}
	out[n] = 0;
	return (long)n;
}

/* A string with ${NAME}s taken from the environment (into own bytes). */
static int expand(struct sfile_rd *s, const struct toml_val *v, const char **out)
{
	char missing[128];
	size_t room = s->f->own_len - s->f->own_used;
	if (!strstr(v->str, "${"))
		return 0;
	long n =
	    room ? sfile_expand(v->str, s->f->own + s->f->own_used, room, missing, sizeof(missing))
		 : -ENOSPC;
	if (n == -ENOENT)
		return sfile_bad(s, v, "the environment variable %s is not set", missing);
	if (n < 0)
		return sfile_bad(s, v, "the file is too large with its ${...} expanded");
	*out = s->f->own + s->f->own_used;
	s->f->own_used += (size_t)n + 1;
	return 0;
}

int sfile_str(struct sfile_rd *s, const struct toml_val *t, const char *key, const char **out)
{
	const struct toml_val *v = toml_get(t, key);
	if (!v)
		return 0;
	if (v->type != TOML_STRING)
		return sfile_bad(s, v, "'%s' must be a string, not a%s %s", key,
				 v->type == TOML_INT || v->type == TOML_ARRAY ? "n" : "",
				 toml_type_name(v->type));
	if (strlen(v->str) != v->len)
		return sfile_bad(s, v, "'%s' holds a NUL byte", key);
	*out = v->str;
	return expand(s, v, out);
}

int sfile_strs(struct sfile_rd *r, const struct toml_val *t, const char *key, const char **out,
	       unsigned max, unsigned *n)
{
	const struct toml_val *a = toml_get(t, key);
	if (!a)
		return 0;
	if (a->type != TOML_ARRAY)
		return sfile_bad(r, a, "'%s' must be an array of strings", key);
	for (const struct toml_val *v = a->first; v; v = v->next) {
		struct toml_val one = {.type = TOML_TABLE, .first = NULL};
		struct toml_val item = *v;
		if (v->type != TOML_STRING)
			return sfile_bad(r, v, "'%s' holds strings only", key);
		if (*n == max)
			return sfile_bad(r, v, "more than %u entries in '%s'", max, key);
		item.key = key;
		item.next = NULL;
		one.first = one.last = &item;
		if (sfile_str(r, &one, key, &out[*n]) < 0)
			return -EINVAL;
		(*n)++;
	}
	return 0;
}

int sfile_int(struct sfile_rd *s, const struct toml_val *t, const char *key, int64_t lo, int64_t hi,
	      int64_t *out)
{
	const struct toml_val *v = toml_get(t, key);
	if (!v)
		return 0;
	if (v->type != TOML_INT)
		return sfile_bad(s, v, "'%s' must be an integer", key);
	if (v->i < lo || v->i > hi)
		return sfile_bad(s, v, "'%s' must be %lld to %lld", key, (long long)lo,
				 (long long)hi);
	*out = v->i;
	return 0;
}

int sfile_num(struct sfile_rd *s, const struct toml_val *t, const char *key, double lo, double hi,
	      double *out)
{
	const struct toml_val *v = toml_get(t, key);
	if (!v)
		return 0;
	if (v->type != TOML_INT && v->type != TOML_FLOAT)
		return sfile_bad(s, v, "'%s' must be a number", key);
	if (!(v->f >= lo && v->f <= hi))
		return sfile_bad(s, v, "'%s' must be %g to %g", key, lo, hi);
	*out = v->f;
	return 0;
}

int sfile_dur(struct sfile_rd *s, const struct toml_val *t, const char *key, uint64_t *out)
{
	const struct toml_val *v = toml_get(t, key);
	if (!v)
		return 0;
	if (v->type != TOML_STRING || (strcmp(v->str, "0") != 0 && units_duration(v->str, out) < 0))
		return sfile_bad(s, v, "'%s' must be a duration such as \"10s\", \"250ms\"", key);
	if (!strcmp(v->str, "0"))
		*out = 0;
	return 0;
}

/* "MIN:MAX" durations, or one duration (a fixed time). */
int sfile_range(struct sfile_rd *s, const struct toml_val *t, const char *key, uint64_t *lo,
		uint64_t *hi)
{
	const struct toml_val *v = toml_get(t, key);
	char a[64], *colon;
	if (!v)
		return 0;
	if (v->type != TOML_STRING || v->len >= sizeof(a))
		return sfile_bad(s, v, "'%s' must be \"MIN:MAX\", e.g. \"100ms:500ms\"", key);
	memcpy(a, v->str, v->len + 1);
	colon = strchr(a, ':');
	if (colon)
		*colon = 0;
	if ((strcmp(a, "0") && units_duration(a, lo) < 0) ||
	    (colon && strcmp(colon + 1, "0") && units_duration(colon + 1, hi) < 0))
		return sfile_bad(s, v, "'%s' must be \"MIN:MAX\", e.g. \"100ms:500ms\"", key);
	if (!strcmp(a, "0"))
		*lo = 0;
	if (!colon)
		*hi = *lo;
	else if (!strcmp(colon + 1, "0"))
		*hi = 0;
	if (*hi < *lo)
		return sfile_bad(s, v, "'%s': MAX is below MIN", key);
	return 0;
}

/* Bytes the loader composes, NUL-terminated, owned by f. */
char *sfile_own(struct sfile_rd *s, size_t n)
{
	struct sfile *f = s->f;
	if (f->own_used + n + 1 > f->own_len)
		return NULL;
	char *p = f->own + f->own_used;
	f->own_used += n + 1;
	p[n] = 0;
	return p;
}

/* --- the parts of a scenario --- */

int sfile_vars(struct sfile_rd *s, const struct toml_val *t)
{
	static const char *const keys[] = {"value", "doc", NULL};
	struct scn *sc = &s->f->scn;
	if (!t)
		return 0;
	if (t->type != TOML_TABLE)
		return sfile_bad(s, t, "'variables' must be a table of name = value");
	for (const struct toml_val *v = t->first; v; v = v->next) {
		struct scn_var *var = &s->f->vars[sc->nvars];
		if (sc->nvars == PLAN_MAX_VARS)
			return sfile_bad(s, v, "more than %d variables", PLAN_MAX_VARS);
		var->name = v->key;
		if (v->type == TOML_STRING) {
			var->value = v->str;
			if (expand(s, v, &var->value) < 0)
				return -EINVAL;
		} else if (v->type == TOML_TABLE) {
			if (sfile_known(s, v, keys, "a variable") < 0 ||
			    sfile_str(s, v, "value", &var->value) < 0 ||
			    sfile_str(s, v, "doc", &var->doc) < 0)
				return -EINVAL;
		} else {
			return sfile_bad(
			    s, v, "variable '%s' must be a string or { value = ..., doc = ... }",
			    v->key);
		}
		if (!var->doc)
			var->doc = "";
		sc->nvars++;
	}
	sc->vars = s->f->vars;
	return 0;
}

static int stages(struct sfile_rd *s, const struct toml_val *v, struct scn_shape *sh)
{
	if (v->type != TOML_ARRAY)
		return sfile_bad(s, v, "'stages' must be an array of \"DURATION:TARGET\"");
	for (const struct toml_val *e = v->first; e; e = e->next) {
		struct scn_stage *st = &sh->stages[sh->nstages];
		char a[64], *colon, *end;
		if (sh->nstages == SCN_MAX_STAGES)
			return sfile_bad(s, e, "more than %d stages", SCN_MAX_STAGES);
		if (e->type != TOML_STRING || e->len >= sizeof(a) || !(colon = strchr(e->str, ':')))
			return sfile_bad(s, e, "a stage is \"DURATION:TARGET\", e.g. \"30s:100\"");
		memcpy(a, e->str, e->len + 1);
		a[colon - e->str] = 0;
		if (strcmp(a, "0") && units_duration(a, &st->duration_ns) < 0)
			return sfile_bad(s, e, "a stage is \"DURATION:TARGET\", e.g. \"30s:100\"");
		if (!strcmp(a, "0"))
			st->duration_ns = 0;
		st->target = strtod(colon + 1, &end);
		if (*end || end == colon + 1 || st->target < 0 || st->target > 1e8)
			return sfile_bad(s, e,
					 "a stage's target is a number of users or iterations/s");
		sh->nstages++;
	}
	return 0;
}

static int shape(struct sfile_rd *s, const struct toml_val *t)
{
	static const char *const keys[] = {"model",    "users", "spawn_rate", "think", "iterations",
					   "duration", "rate",	"stages",     NULL};
	struct scn_shape *sh = &s->f->scn.shape;
	const char *model = NULL;
	int64_t users = 10, iters = 0;
	sh->model = SCN_CLOSED;
	sh->users = 10;
	sh->duration_ns = 60 * 1000000000ull;
	if (!t)
		return 0;
	if (t->type != TOML_TABLE)
		return sfile_bad(s, t, "'shape' must be a table");
	if (sfile_known(s, t, keys, "[shape]") < 0 || sfile_str(s, t, "model", &model) < 0 ||
	    sfile_int(s, t, "users", 1, 1 << 20, &users) < 0 ||
	    sfile_num(s, t, "spawn_rate", 0, 1e6, &sh->spawn_rate) < 0 ||
	    sfile_range(s, t, "think", &sh->think_min_ns, &sh->think_max_ns) < 0 ||
	    sfile_int(s, t, "iterations", 0, 1ll << 48, &iters) < 0 ||
	    sfile_dur(s, t, "duration", &sh->duration_ns) < 0 ||
	    sfile_num(s, t, "rate", 0, 1e8, &sh->rate) < 0)
		return -EINVAL;
	if (model && strcmp(model, "closed") && strcmp(model, "open"))
		return sfile_bad(s, toml_get(t, "model"), "'model' is \"closed\" or \"open\"");
	sh->model = model && !strcmp(model, "open") ? SCN_OPEN : SCN_CLOSED;
	sh->users = (unsigned)users;
	sh->iterations = (uint64_t)iters;
	if (toml_get(t, "stages") && stages(s, toml_get(t, "stages"), sh) < 0)
		return -EINVAL;
	return 0;
}

static int captures(struct sfile_rd *s, const struct toml_val *t, struct scn_step *st)
{
	unsigned n = 0;
	if (t->type != TOML_TABLE)
		return sfile_bad(
		    s, t, "'capture' must be { VARIABLE = \"json:PATH\" or \"header:NAME\" }");
	for (const struct toml_val *v = t->first; v; v = v->next) {
		struct scn_capture *c = &st->captures[n];
		if (n == SCN_MAX_CAPTURES)
			return sfile_bad(s, v, "more than %d captures in one step",
					 SCN_MAX_CAPTURES);
		if (v->type != TOML_STRING)
			return sfile_bad(
			    s, v, "capture '%s' must be \"json:PATH\" or \"header:NAME\"", v->key);
		c->var = v->key;
		if (!strncmp(v->str, "header:", 7)) {
			char *h = sfile_own(s, v->len - 7);
			if (!h)
				return sfile_bad(s, v, "the file is too large");
			for (size_t i = 0; i < v->len - 7;
			     i++) /* header names compare lower case */
				h[i] = (char)(v->str[7 + i] >= 'A' && v->str[7 + i] <= 'Z'
						  ? v->str[7 + i] + 32
						  : v->str[7 + i]);
			c->header = h;
		} else {
			c->json = !strncmp(v->str, "json:", 5) ? v->str + 5 : v->str;
		}
		if (!*(c->header ? c->header : c->json))
			return sfile_bad(s, v, "capture '%s' names no path or header", v->key);
		n++;
	}
	return 0;
}

static int split(struct sfile_rd *s, const struct toml_val *t, struct scn_step *st)
{
	static const char *const keys[] = {"header", "values", NULL};
	const struct toml_val *vals = toml_get(t, "values");
	unsigned n = 0;
	if (t->type != TOML_TABLE || sfile_known(s, t, keys, "a split") < 0 ||
	    sfile_str(s, t, "header", &st->split) < 0)
		return t->type != TOML_TABLE
			   ? sfile_bad(s, t,
				       "'split' must be { header = \"x-cache\", values = [...] }")
			   : -EINVAL;
	if (!st->split || !vals || vals->type != TOML_ARRAY)
		return sfile_bad(s, t, "'split' needs a header and an array of values");
	for (const char *h = st->split; *h; h++)
		if (*h >= 'A' && *h <= 'Z')
			return sfile_bad(s, t, "the split header is written in lower case");
	for (const struct toml_val *v = vals->first; v; v = v->next) {
		if (n == SCN_MAX_SPLIT)
			return sfile_bad(s, v, "more than %d split values", SCN_MAX_SPLIT);
		if (v->type != TOML_STRING)
			return sfile_bad(s, v, "a split value is a string");
		st->split_values[n++] = v->str;
	}
	return 0;
}

/* headers = ["Name: value", ...] into the template's "Name: value\r\n" lines. */
static int headers(struct sfile_rd *s, const struct toml_val *t, struct scn_step *st)
{
	size_t len = 0;
	if (t->type != TOML_ARRAY)
		return sfile_bad(s, t, "'headers' must be an array of \"Name: value\"");
	const char *lines[64];
	unsigned n = 0;
	for (const struct toml_val *v = t->first; v; v = v->next) {
		const char *line = v->str;
		if (n == sizeof(lines) / sizeof(lines[0]))
			return sfile_bad(s, v, "more than 64 headers in one step");
		if (v->type != TOML_STRING)
			return sfile_bad(s, v, "a header is \"Name: value\" on one line");
		if (expand(s, v, &line) < 0)
			return -EINVAL;
		if (!strchr(line, ':') || line[0] == ':' || strpbrk(line, "\r\n"))
			return sfile_bad(s, v, "a header is \"Name: value\" on one line");
		lines[n++] = line;
		len += strlen(line) + 2;
	}
	char *h = sfile_own(s, len), *at = h;
	if (!h)
		return sfile_bad(s, t, "the file is too large");
	for (unsigned i = 0; i < n; i++) {
		size_t k = strlen(lines[i]);
		memcpy(at, lines[i], k);
		memcpy(at + k, "\r\n", 2);
		at += k + 2;
	}
	st->headers = h;
	return 0;
}

int sfile_status(struct sfile_rd *s, const struct toml_val *v, struct scn_step *st)
{
	if (v->type == TOML_INT && v->i >= 100 && v->i <= 599) {
		st->status = (unsigned)v->i;
		return 0;
	}
	if (v->type == TOML_STRING && v->len == 3 && v->str[0] >= '1' && v->str[0] <= '5' &&
	    !strcmp(v->str + 1, "xx")) {
		st->status = (unsigned)(v->str[0] - '0');
		return 0;
	}
	if (v->type == TOML_STRING && !strcmp(v->str, "any")) {
		st->status = SCN_STATUS_ANY;
		return 0;
	}
	return sfile_bad(s, v,
			 "'status' is a code (200), a class (\"2xx\") or \"any\" (below 400)");
}

static int step(struct sfile_rd *s, const struct toml_val *t, struct scn_step *st)
{
	static const char *const keys[] = {"label",  "method",	 "path",     "headers", "body",
					   "status", "contains", "json_has", "capture", "split",
					   "mcp",    "name",	 "args",     NULL};
	if (t->type != TOML_TABLE)
		return sfile_bad(s, t, "a step is a table ([[task.step]])");
	if (sfile_known(s, t, keys, "a step") < 0 || sfile_str(s, t, "label", &st->label) < 0 ||
	    sfile_str(s, t, "method", &st->method) < 0 || sfile_str(s, t, "path", &st->path) < 0 ||
	    sfile_str(s, t, "body", &st->body) < 0 ||
	    sfile_str(s, t, "contains", &st->contains) < 0 ||
	    sfile_str(s, t, "json_has", &st->json_has) < 0 ||
	    sfile_str(s, t, "mcp", &st->mcp) < 0 || sfile_str(s, t, "name", &st->name) < 0 ||
	    sfile_str(s, t, "args", &st->args) < 0)
		return -EINVAL;
	if (!st->label)
		return sfile_bad(s, t, "a step needs a label");
	if (!st->mcp && (!st->method || !st->path))
		return sfile_bad(s, t, "step '%s' needs a method and a path (or mcp = \"METHOD\")",
				 st->label);
	if (st->mcp && (st->method || st->path || st->body))
		return sfile_bad(s, t,
				 "step '%s' is an MCP step: the engine writes its method, path and "
				 "body (give name and args)",
				 st->label);
	if (toml_get(t, "status") && sfile_status(s, toml_get(t, "status"), st) < 0)
		return -EINVAL;
	if (toml_get(t, "headers") && headers(s, toml_get(t, "headers"), st) < 0)
		return -EINVAL;
	if (toml_get(t, "capture") && captures(s, toml_get(t, "capture"), st) < 0)
		return -EINVAL;
	if (toml_get(t, "split") && split(s, toml_get(t, "split"), st) < 0)
		return -EINVAL;
	return 0;
}

int sfile_add_task(struct sfile_rd *s, const struct toml_val *at, const char *name,
		   const struct toml_val *steps, struct scn_task **out)
{
	struct sfile *f = s->f;
	struct scn_task *tk = &f->tasks[f->scn.ntasks];
	unsigned used = 0;
	for (unsigned i = 0; i < f->scn.ntasks; i++)
		used += f->tasks[i].nsteps;
	if (f->scn.ntasks == PLAN_MAX_TASKS)
		return sfile_bad(s, at, "more than %d tasks", PLAN_MAX_TASKS);
	tk->name = name ? name : "task";
	tk->weight = 1;
	if (!steps || steps->type != TOML_ARRAY || !steps->first)
		return sfile_bad(s, steps ? steps : at, "'%s' has no steps ([[...step]])",
				 tk->name);
	tk->steps = &f->steps[used];
	for (const struct toml_val *v = steps->first; v; v = v->next) {
		if (used + tk->nsteps == PLAN_MAX_STEPS)
			return sfile_bad(s, v, "more than %d steps", PLAN_MAX_STEPS);
		if (step(s, v, &f->steps[used + tk->nsteps]) < 0)
			return -EINVAL;
		tk->nsteps++;
	}
	f->scn.ntasks++;
	f->scn.tasks = f->tasks;
	if (out)
		*out = tk;
	return 0;
}

static int task(struct sfile_rd *s, const struct toml_val *t)
{
	static const char *const keys[] = {"name", "weight", "think", "step", NULL};
	const char *name = NULL;
	struct scn_task *tk;
	uint64_t lo = 0, hi = 0;
	int64_t weight = 1;
	if (sfile_known(s, t, keys, "a task") < 0 || sfile_str(s, t, "name", &name) < 0 ||
	    sfile_int(s, t, "weight", 1, 1000000, &weight) < 0 ||
	    sfile_range(s, t, "think", &lo, &hi) < 0 ||
	    sfile_add_task(s, t, name, toml_get(t, "step"), &tk) < 0)
		return -EINVAL;
	tk->weight = (unsigned)weight;
	tk->think_min_ns = lo;
	tk->think_max_ns = hi;
	return 0;
}

static int check(struct sfile_rd *s, const struct toml_val *t)
{
	static const char *const keys[] = {"name",  "kind", "label",	     "start", "end",
					   "count", "what", "end_exclusive", NULL};
	struct sfile *f = s->f;
	struct scn_check *c = &f->checks[f->scn.nchecks];
	const char *kind = NULL;
	const struct toml_val *ex = toml_get(t, "end_exclusive");
	if (f->scn.nchecks == PLAN_MAX_CHECKS)
		return sfile_bad(s, t, "more than %d checks", PLAN_MAX_CHECKS);
	if (t->type != TOML_TABLE || sfile_known(s, t, keys, "a check") < 0 ||
	    sfile_str(s, t, "name", &c->name) < 0 || sfile_str(s, t, "kind", &kind) < 0 ||
	    sfile_str(s, t, "label", &c->label) < 0 || sfile_str(s, t, "start", &c->start) < 0 ||
	    sfile_str(s, t, "end", &c->end) < 0 || sfile_str(s, t, "count", &c->count) < 0 ||
	    sfile_str(s, t, "what", &c->what) < 0)
		return t->type != TOML_TABLE ? sfile_bad(s, t, "a check is a table ([[check]])")
					     : -EINVAL;
	if (!kind || (strcmp(kind, "disjoint") && strcmp(kind, "unique")))
		return sfile_bad(s, t,
				 "a check's kind is \"disjoint\" (ranges) or \"unique\" (values)");
	c->kind = !strcmp(kind, "unique") ? SCN_CHECK_UNIQUE : SCN_CHECK_DISJOINT;
	if (ex && ex->type != TOML_BOOL)
		return sfile_bad(s, ex, "'end_exclusive' is true or false");
	c->end_exclusive = ex && ex->b;
	if (!c->name || !c->label || !c->start)
		return sfile_bad(s, t, "a check needs a name, a label and a start path");
	if (c->kind == SCN_CHECK_DISJOINT && !c->end && !c->count)
		return sfile_bad(s, t, "a disjoint check needs an end path, a count path, or both");
	if (!c->what)
		c->what = c->kind == SCN_CHECK_UNIQUE ? "the values never repeat"
						      : "the ranges are pairwise disjoint";
	f->scn.nchecks++;
	return 0;
}

static int thresholds(struct sfile_rd *s, const struct toml_val *t)
{
	if (!t)
		return 0;
	if (t->type != TOML_ARRAY)
		return sfile_bad(s, t, "'thresholds' must be an array, e.g. [\"p99<200ms\"]");
	for (const struct toml_val *v = t->first; v; v = v->next) {
		if (s->f->nthresholds == SFILE_MAX_THRESHOLDS)
			return sfile_bad(s, v, "more than %d thresholds", SFILE_MAX_THRESHOLDS);
		if (v->type != TOML_STRING)
			return sfile_bad(s, v, "a threshold is a string, e.g. \"p99<200ms\"");
		s->f->thresholds[s->f->nthresholds++] = v->str;
	}
	return 0;
}

static int scenario(struct sfile_rd *s)
{
	static const char *const keys[] = {"name", "description", "variables",	"shape",
					   "task", "check",	  "thresholds", NULL};
	struct sfile *f = s->f;
	const struct toml_val *root = f->doc.root, *tasks = toml_get(root, "task");
	const struct toml_val *checks = toml_get(root, "check");
	if (sfile_known(s, root, keys, "a scenario file") < 0 ||
	    sfile_str(s, root, "name", &f->scn.name) < 0 ||
	    sfile_str(s, root, "description", &f->scn.desc) < 0)
		return -EINVAL;
	if (!f->scn.name)
		return sfile_bad(s, NULL, "the file names no scenario (name = \"...\")");
	if (!f->scn.desc)
		f->scn.desc = "";
	if (sfile_vars(s, toml_get(root, "variables")) < 0 ||
	    shape(s, toml_get(root, "shape")) < 0 ||
	    thresholds(s, toml_get(root, "thresholds")) < 0)
		return -EINVAL;
	if (!tasks || tasks->type != TOML_ARRAY || !tasks->first)
		return sfile_bad(s, tasks,
				 "the scenario has no tasks ([[task]] with [[task.step]])");
	for (const struct toml_val *t = tasks->first; t; t = t->next)
		if (task(s, t) < 0)
			return -EINVAL;
	if (checks && checks->type != TOML_ARRAY)
		return sfile_bad(s, checks, "'check' is an array of tables ([[check]])");
	for (const struct toml_val *c = checks ? checks->first : NULL; c; c = c->next)
		if (check(s, c) < 0)
			return -EINVAL;
	f->scn.tasks = f->tasks;
	f->scn.checks = f->checks;
	return 0;
}

int sfile_init(struct sfile *f, size_t own_len)
{
	memset(f, 0, sizeof(*f));
	f->own_len = own_len;
	f->own = malloc(own_len);
	f->scn.tasks = f->tasks;
	f->scn.vars = f->vars;
	f->scn.checks = f->checks;
	return f->own ? 0 : -ENOMEM;
}

const char *sfile_copy(struct sfile *f, const char *text)
{
	struct sfile_rd rd = {.f = f};
	size_t n = strlen(text);
	char *p = sfile_own(&rd, n);
	if (p)
		memcpy(p, text, n);
	return p;
}

int sfile_parse(struct sfile *f, const char *name, const char *text, size_t len, char *why,
		size_t wl)
{
	struct sfile_rd s = {f, name, why, wl};
	char twhy[256];
	/* header lines, lower-cased names, ${...} */
	if (sfile_init(f, 2 * len + (64u << 10)) < 0 ||
	    !(f->arena = malloc(TOML_ARENA_BYTES(len)))) {
		snprintf(why, wl, "%s: out of memory", name);
		return -ENOMEM;
	}
	int r = toml_parse(&f->doc, text, len, f->arena, TOML_ARENA_BYTES(len), twhy, sizeof(twhy));
	if (r < 0) {
		snprintf(why, wl, "%s:%s", name, twhy);
		return r;
	}
	return scenario(&s);
}

void sfile_free(struct sfile *f)
{
	free(f->arena);
	free(f->own);
	f->arena = f->own = NULL;
}

bool sfile_is_path(const char *name)
{
	size_t n = strlen(name);
	return strchr(name, '/') || (n > 5 && !strcmp(name + n - 5, ".toml"));
}
