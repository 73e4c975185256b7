/*
 * sshow: the TOML writer of a scenario. Everything that is not its default
 * is written, durations in the unit that states them exactly, strings in
 * the form that reads back byte for byte; tests/test_sfile.c reads every
 * compiled-in scenario back and compares the compiled plans.
 */
#include "scenarios/sshow.h"

#include <inttypes.h>
#include <string.h>

#include "protocol/h1w.h"

/* The bytes of s, escaped for a basic string when basic, each "${" as
 * "$${" when env (the reader takes ${NAME} from the environment). */
static void put_text(FILE *out, const char *s, bool basic, bool env)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (env && p[0] == '$' && p[1] == '{')
			fputc('$', out);
		if (!basic)
			fputc(*p, out);
		else if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '\r')
			fputs("\\r", out);
		else if (*p == '\t')
			fputs("\\t", out);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\u%04X", *p);
		else
			fputc(*p, out);
	}
}

static void put_value(FILE *out, const char *s, bool env)
{
	bool plain = true;
	for (const char *p = s; *p && plain; p++)
		plain = !((unsigned char)*p < 0x20 && *p != '\t') && *p != 0x7f;
	/* a literal string ('...') keeps quotes and backslashes as they are */
	bool literal = plain && strpbrk(s, "\"\\") && !strchr(s, '\'');
	fputc(literal ? '\'' : '"', out);
	put_text(out, s, !literal, env);
	fputc(literal ? '\'' : '"', out);
}

void sshow_string(FILE *out, const char *s)
{
	put_value(out, s, true);
}

void sshow_literal(FILE *out, const char *s)
{
	put_value(out, s, false);
}

static void key_str(FILE *out, const char *indent, const char *key, const char *v)
{
	if (!v)
		return;
	fprintf(out, "%s%s = ", indent, key);
	sshow_string(out, v);
	fputc('\n', out);
}

/* A duration in the largest unit that states it exactly. */
static void dur(FILE *out, uint64_t ns)
{
	static const struct {
		uint64_t per;
		const char *unit;
	} units[] = {{3600000000000ull, "h"}, {60000000000ull, "m"}, {1000000000ull, "s"},
		     {1000000ull, "ms"},      {1000ull, "us"},	     {1, "ns"}};
	if (!ns) {
		fputs("0", out);
		return;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (ns % units[i].per == 0) {
			fprintf(out, "%" PRIu64 "%s", ns / units[i].per, units[i].unit);
			return;
		}
}

static void think(FILE *out, const char *indent, uint64_t lo, uint64_t hi)
{
	fprintf(out, "%sthink = \"", indent);
	dur(out, lo);
	fputc(':', out);
	dur(out, hi);
	fputs("\"\n", out);
}

static void shape(FILE *out, const struct scn_shape *sh)
{
	fprintf(out, "\n[shape]\nmodel = \"%s\"\nusers = %u\n",
		sh->model == SCN_OPEN ? "open" : "closed", sh->users);
	if (sh->spawn_rate > 0)
		fprintf(out, "spawn_rate = %.17g\n", sh->spawn_rate);
	if (sh->think_min_ns || sh->think_max_ns)
		think(out, "", sh->think_min_ns, sh->think_max_ns);
	if (sh->iterations)
		fprintf(out, "iterations = %" PRIu64 "\n", sh->iterations);
	fputs("duration = \"", out);
	dur(out, sh->duration_ns);
	fputs("\"\n", out);
	if (sh->rate > 0)
		fprintf(out, "rate = %.17g\n", sh->rate);
	if (sh->nstages) {
		fputs("stages = [", out);
		for (unsigned i = 0; i < sh->nstages; i++) {
			fputs(i ? ", \"" : "\"", out);
			dur(out, sh->stages[i].duration_ns);
			fprintf(out, ":%.17g\"", sh->stages[i].target);
		}
		fputs("]\n", out);
	}
}

/* The step's header lines ("Name: value\r\n"...) as an array, credential
 * values redacted. */
static void headers(FILE *out, const char *h)
{
	fputs("  headers = [", out);
	for (const char *p = h; *p;) {
		const char *e = strstr(p, "\r\n");
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char line[1024];
		const char *colon = memchr(p, ':', n);
		/* a credential (from ${NAME} or typed in) is not printed */
		if (colon && h1w_is_secret(p, (size_t)(colon - p)))
			snprintf(line, sizeof(line), "%.*s: REDACTED", (int)(colon - p), p);
		else
			snprintf(line, sizeof(line), "%.*s", (int)n, p);
		fputs(p == h ? "" : ", ", out);
		sshow_string(out, line);
		p += n + (e ? 2 : 0);
	}
	fputs("]\n", out);
}

static void step(FILE *out, const struct scn_step *st)
{
	fputs("\n  [[task.step]]\n", out);
	key_str(out, "  ", "label", st->label);
	key_str(out, "  ", "mcp", st->mcp);
	key_str(out, "  ", "name", st->name);
	key_str(out, "  ", "args", st->args);
	key_str(out, "  ", "method", st->method);
	key_str(out, "  ", "path", st->path);
	if (st->headers)
		headers(out, st->headers);
	key_str(out, "  ", "body", st->body);
	if (st->status == SCN_STATUS_ANY)
		fputs("  status = \"any\"\n", out);
	else if (st->status >= 100)
		fprintf(out, "  status = %u\n", st->status);
	else if (st->status)
		fprintf(out, "  status = \"%uxx\"\n", st->status);
	key_str(out, "  ", "contains", st->contains);
	key_str(out, "  ", "json_has", st->json_has);
	if (st->captures[0].var) {
		fputs("  capture = { ", out);
		for (unsigned i = 0; i < SCN_MAX_CAPTURES && st->captures[i].var; i++) {
			const struct scn_capture *c = &st->captures[i];
			char v[600];
			snprintf(v, sizeof(v), "%s:%s", c->header ? "header" : "json",
				 c->header ? c->header : c->json);
			fprintf(out, "%s%s = ", i ? ", " : "", c->var);
			sshow_literal(out, v);
		}
		fputs(" }\n", out);
	}
	if (st->split) {
		fputs("  split = { header = ", out);
		sshow_string(out, st->split);
		fputs(", values = [", out);
		for (unsigned i = 0; i < SCN_MAX_SPLIT && st->split_values[i]; i++) {
			fputs(i ? ", " : "", out);
			sshow_literal(out, st->split_values[i]);
		}
		fputs("] }\n", out);
	}
}

static void check(FILE *out, const struct scn_check *c)
{
	fputs("\n[[check]]\n", out);
	key_str(out, "", "name", c->name);
	fprintf(out, "kind = \"%s\"\n", c->kind == SCN_CHECK_UNIQUE ? "unique" : "disjoint");
	key_str(out, "", "label", c->label);
	key_str(out, "", "start", c->start);
	key_str(out, "", "end", c->end);
	key_str(out, "", "count", c->count);
	if (c->end_exclusive)
		fputs("end_exclusive = true\n", out);
	key_str(out, "", "what", c->what);
}

void sshow_write(FILE *out, const struct scn *s)
{
	fputs("# The scenario ", out);
	for (const char *p = s->name; *p; p++) /* a comment ends at a newline */
		fputc((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p, out);
	fputs(", as a file: `mcpload run FILE --target URL`.\n", out);
	fputs("# Durations: \"10s\", \"250ms\"; status: a code, a class (\"4xx\") or \"any\" "
	      "(below 400),\n# 2xx when not given; templates: {{NAME}}, {{rand:A:B}}, "
	      "{{pick:a|b}}, {{seq}}, {{user}}.\n",
	      out);
	key_str(out, "", "name", s->name);
	key_str(out, "", "description", s->desc);
	if (s->nvars) {
		fputs("\n[variables]\n", out);
		for (unsigned i = 0; i < s->nvars; i++) {
			const struct scn_var *v = &s->vars[i];
			fprintf(out, "%s = { ", v->name);
			if (v->value) {
				fputs("value = ", out);
				sshow_string(out, v->value);
				fputs(", ", out);
			}
			fputs("doc = ", out);
			sshow_string(out, v->doc ? v->doc : "");
			fputs(" }\n", out);
		}
	}
	shape(out, &s->shape);
	for (unsigned t = 0; t < s->ntasks; t++) {
		const struct scn_task *tk = &s->tasks[t];
		fputs("\n[[task]]\n", out);
		key_str(out, "", "name", tk->name);
		fprintf(out, "weight = %u\n", tk->weight);
		if (tk->think_min_ns || tk->think_max_ns)
			think(out, "", tk->think_min_ns, tk->think_max_ns);
		for (unsigned i = 0; i < tk->nsteps; i++)
			step(out, &tk->steps[i]);
	}
	for (unsigned c = 0; c < s->nchecks; c++)
		check(out, &s->checks[c]);
}
