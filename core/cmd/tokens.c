/*
 * tokens: like wc, a line "COUNT NAME" per input and a total line when
 * there are several; standard input ("-") prints only its count. With
 * --estimate, the chars/4 rule of thumb beside the exact count and how far
 * off it is; --json writes the same as a document (--json - alone on
 * stdout).
 */
#include "core/cmd/tokens.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd/cmd.h"
#include "core/cmd/stok.h"
#include "protocol/jw.h"
#include "protocol/rfile.h"
#include "protocol/tok.h"
#include "scenarios/sconf.h"
#include "stats/report/rtok.h"
#include "stats/report/out.h"
#include "stats/report/vocab.h"

#define MAX_INPUTS 256
#define MAX_BYTES  ((size_t)1 << 30) /* an input larger than 1 GiB is refused */

struct tok_opts {
	enum tok_encoding enc;
	bool estimate, enc_set, baseline;
	const char *json, *config, *files, *output;
};

struct count {
	const char *name;
	int64_t tokens; /* -1: could not be read */
	uint64_t bytes, chars;
};

static int set(void *ctx, enum opt_id id, const char *arg, char *why, size_t wl)
{
	struct tok_opts *o = ctx;
	switch (id) {
	case OPT_ENCODING:
		if (!strcmp(arg, "cl100k_base"))
			o->enc = TOK_CL100K_BASE;
		else if (!strcmp(arg, "o200k_base"))
			o->enc = TOK_O200K_BASE;
		else
			return snprintf(why, wl, "--encoding is cl100k_base or o200k_base: '%s'",
					arg),
			       -EINVAL;
		o->enc_set = true;
		return 0;
	case OPT_BASELINE:
		o->baseline = true;
		return 0;
	case OPT_CONFIG:
		o->config = arg;
		return 0;
	case OPT_FILES:
		o->files = arg;
		return 0;
	case OPT_OUTPUT:
		o->output = arg;
		return out_check(arg, why, wl) < 0 ? -EINVAL : 0;
	case OPT_ESTIMATE:
		o->estimate = true;
		return 0;
	case OPT_JSON:
		o->json = arg;
		return out_check(arg, why, wl) < 0 ? -EINVAL : 0;
	default:
		snprintf(why, wl, "tokens takes no such option");
		return -EINVAL;
	}
}

/* Code points: every byte that does not continue a UTF-8 sequence. */
static uint64_t chars_of(const char *p, size_t n)
{
	uint64_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)p[i] & 0xc0) != 0x80;
	return c;
}

static void count_one(struct tok *t, struct count *c)
{
	bool in = !strcmp(c->name, "-");
	FILE *f = in ? stdin : fopen(c->name, "rb");
	size_t len = 0;
	char *buf = f ? rfile_read(f, MAX_BYTES, &len) : NULL;
	c->tokens = -1;
	if (!buf) {
		fprintf(stderr, "mcpload: %s: %s\n", c->name, strerror(errno));
	} else {
		c->tokens = tok_count(t, buf, len);
		c->bytes = len;
		c->chars = chars_of(buf, len);
		if (c->tokens < 0)
			fprintf(stderr, "mcpload: %s: %s\n", c->name, strerror((int)-c->tokens));
	}
	free(buf);
	if (f && !in)
		fclose(f);
}

static uint64_t estimate_of(const struct count *c)
{
	return (c->chars + 2) / 4; /* the "4 characters a token" rule, rounded */
}

static void line(const struct tok_opts *o, const struct count *c, bool name)
{
	printf("%10lld", (long long)c->tokens);
	if (o->estimate) {
		uint64_t e = estimate_of(c);
		printf(" %10llu %+7.1f%%", (unsigned long long)e,
		       c->tokens ? 100.0 * ((double)e - (double)c->tokens) / (double)c->tokens
				 : 0.0);
	}
	printf(name ? " %s\n" : "\n", c->name);
}

struct doc {
	const struct tok_opts *o;
	const struct count *c;
	unsigned n;
	const struct count *total;
	const char *cmdline, *encoding;
};

static void json_count(struct jw *j, const char *key, const struct count *c)
{
	jw_obj_begin(j, key);
	if (!key)
		jw_str(j, "name", c->name);
	jw_u64(j, "tokens", (uint64_t)c->tokens);
	jw_u64(j, "bytes", c->bytes);
	jw_u64(j, "chars", c->chars);
	jw_u64(j, "estimate_chars_div_4", estimate_of(c));
	jw_obj_end(j);
}

static int fill(FILE *f, const void *ctx)
{
	const struct doc *d = ctx;
	struct jw j;
	jw_init(&j, f);
	vocab_doc_begin(&j, "tokens", d->cmdline, time(NULL));
	jw_str(&j, "encoding", d->encoding);
	jw_arr_begin(&j, "inputs");
	for (unsigned i = 0; i < d->n; i++)
		if (d->c[i].tokens >= 0)
			json_count(&j, NULL, &d->c[i]);
	jw_arr_end(&j);
	json_count(&j, "total", d->total);
	jw_obj_end(&j);
	fputc('\n', f);
	return ferror(f) ? -EIO : 0;
}

/* The workflows of o->config's [nfr03] into *c, or the reference
 * server's ten. NULL with the reason printed. */
static const struct wflow_set *workflows(const struct tok_opts *o, struct sconf *c)
{
	char *text, why[512];
	size_t len;
	if (!o->config)
		return &wflow_bundled;
	if (prep_read_text(o->config, "suite configuration", &text, &len, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		return NULL;
	}
	int r = sconf_parse(c, o->config, text, len, why, sizeof(why));
	free(text);
	if (r == 0 && !c->wf.n)
		snprintf(why, sizeof(why), "%s has no workflows ([[nfr03.workflow]])", o->config);
	if (r < 0 || !c->wf.n) {
		fprintf(stderr, "mcpload: %s\n", why);
		return NULL;
	}
	return &c->wf;
}

/* --baseline: the workflows' files counted and written as the recorded
 * baseline the suite compares with (--baseline FILE there). */
static int record(const struct tok_opts *o, const char *cmdline)
{
	struct sconf c = {0};
	struct stok_src src;
	struct tokeff *t = calloc(1, sizeof(*t));
	struct tok *tk = NULL;
	char why[512];
	int code = CMD_EXIT_FAIL;
	const struct wflow_set *s = t ? workflows(o, &c) : NULL;
	if (!s)
		goto out;
	stok_src(&src, o->files, NULL, s, o->config);
	src.baseline = NULL; /* recording counts the files */
	if (!src.files) {
		code = cmd_usage_error(CMD_TOKENS, "--baseline needs --files DIR (or files_dir "
						   "in the configuration's [nfr03])");
		goto out;
	}
	if (!(tk = tok_open(o->enc_set ? o->enc : stok_encoding(s)))) {
		fprintf(stderr, "mcpload: the tokenizer's tables: %s\n", strerror(errno));
		goto out;
	}
	if (stok_baseline(&src, s, tk, t, why, sizeof(why)) < 0 ||
	    rtok_baseline_write(o->output ? o->output : "-", t, cmdline, src.files, why,
				sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		goto out;
	}
	for (unsigned i = 0; i < t->n; i++)
		fprintf(stderr, "%10llu %s (%u files)\n", (unsigned long long)t->wf[i].base_tokens,
			t->wf[i].name, t->wf[i].nfiles);
	code = CMD_EXIT_OK;
out:
	tok_close(tk);
	free(t);
	sconf_free(&c);
	return code;
}

int tokens_main(int argc, char **argv)
{
	static struct count c[MAX_INPUTS];
	const char *pos[MAX_INPUTS];
	struct tok_opts o = {TOK_CL100K_BASE, false, NULL};
	struct count total = {"total", 0, 0, 0};
	unsigned n, failed = 0;
	char why[512];
	int r = cmd_parse(CMD_TOKENS, argc, argv, set, &o, pos, MAX_INPUTS, &n);
	struct tok *t;
	if (r != CMD_GO)
		return r;
	if (o.baseline && n)
		return cmd_usage_error(CMD_TOKENS, "--baseline counts the workflows' files: no "
						   "FILE arguments");
	if (!o.baseline && (o.config || o.files || o.output))
		return cmd_usage_error(CMD_TOKENS, "--config, --files and -o go with --baseline");
	if (o.baseline) {
		char *cmdline = cmd_line(argc, argv);
		r = cmdline ? record(&o, cmdline) : CMD_EXIT_FAIL;
		free(cmdline);
		return r;
	}
	if (!n)
		return cmd_usage_error(CMD_TOKENS, "tokens needs files, or - for standard input");
	bool quiet = o.json && !strcmp(o.json, "-"); /* stdout holds the JSON alone */
	if (!(t = tok_open(o.enc))) {
		fprintf(stderr, "mcpload: the %s tables: %s\n",
			o.enc == TOK_CL100K_BASE ? "cl100k_base" : "o200k_base", strerror(errno));
		return CMD_EXIT_FAIL;
	}
	for (unsigned i = 0; i < n; i++) {
		c[i] = (struct count){pos[i], -1, 0, 0};
		count_one(t, &c[i]);
		if (c[i].tokens < 0) {
			failed++;
			continue;
		}
		total.tokens += c[i].tokens;
		total.bytes += c[i].bytes;
		total.chars += c[i].chars;
		if (!quiet)
			line(&o, &c[i], n > 1 || strcmp(pos[i], "-"));
	}
	if (n > 1 && !quiet)
		line(&o, &total, true);
	if (o.json) {
		char *cmdline = cmd_line(argc, argv);
		struct doc d = {&o, c, n, &total, cmdline, tok_name(t)};
		if (out_write(o.json, fill, &d, why, sizeof(why)) < 0) {
			fprintf(stderr, "mcpload: %s\n", why);
			failed++;
		}
		free(cmdline);
	}
	tok_close(t);
	return failed ? CMD_EXIT_FAIL : CMD_EXIT_OK;
}
