/*
 * NFR-03's parts without a server: the text an LLM gets from MCP results
 * (protocol/mtext), a tool as a model API takes it, the totals and the
 * reduction (stats/tokeff), the recorded baseline written and read back
 * (stats/report/rtok), the files counted (core/probe/tokwf: globs, a file
 * named twice, a missing one) and the verdicts (exact: 39.99 % is a FAIL).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/probe/tokwf.h"
#include "protocol/mtext.h"
#include "stats/assess.h"
#include "stats/report/rtok.h"
#include "tests/t.h"

struct pieces {
	char all[1024];
	size_t len;
	unsigned n;
};

static void collect(void *ctx, const char *text, size_t len)
{
	struct pieces *p = ctx;
	if (p->len + len + 1 < sizeof(p->all)) {
		memcpy(p->all + p->len, text, len);
		p->len += len;
		p->all[p->len++] = '|';
		p->all[p->len] = 0;
	}
	p->n++;
}

static long each(enum mtext_kind k, const char *json, struct pieces *p)
{
	static char scratch[4096];
	memset(p, 0, sizeof(*p));
	return mtext_each(k, json, strlen(json), scratch, sizeof(scratch), collect, p);
}

static void test_mtext(void)
{
	struct pieces p;
	CHECK_INT(each(MTEXT_RESOURCE,
		       "{\"contents\":[{\"uri\":\"a\",\"text\":\"caf\\u00e9\\n\"},{\"uri\":\"b\","
		       "\"blob\":\"AAAA\"}]}",
		       &p),
		  1);
	CHECK_STR(p.all, "caf\xc3\xa9\n|");
	CHECK_INT(
	    each(MTEXT_TOOL,
		 "{\"content\":[{\"type\":\"text\",\"text\":\"{\\\"id\\\":7}\"},{\"type\":"
		 "\"image\",\"data\":\"AA\",\"mimeType\":\"image/png\"},{\"type\":\"resource\","
		 "\"resource\":{\"uri\":\"u\",\"text\":\"doc\"}},{\"type\":\"resource_link\","
		 "\"uri\":\"file:///x\",\"name\":\"x\"}],\"structuredContent\":{\"id\":7}}",
		 &p),
	    1);
	CHECK_STR(p.all, "{\"id\":7}|doc|x|file:///x|");
	/* no content: the structuredContent's JSON, whitespace outside strings gone */
	CHECK_INT(
	    each(MTEXT_TOOL, "{\"content\":[],\"structuredContent\":{ \"a\" : \"b c\" }}", &p), 0);
	CHECK_STR(p.all, "{\"a\":\"b c\"}|");
	CHECK_INT(
	    each(MTEXT_PROMPT,
		 "{\"description\":\"not sent\",\"messages\":[{\"role\":\"user\",\"content\":{"
		 "\"type\":\"text\",\"text\":\"Write it\"}},{\"role\":\"assistant\","
		 "\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]}]}",
		 &p),
	    0);
	CHECK_STR(p.all, "Write it|ok|");
	CHECK_INT(each(MTEXT_RESOURCE, "{\"contents\":{}}", &p), -1);
	CHECK_INT(each(MTEXT_PROMPT, "{\"messages\":[{\"role\":\"user\"}]}", &p), -1);
	CHECK_INT(each(MTEXT_TOOL, "{\"content\":[{\"text\":\"no type\"}]}", &p), -1);
	CHECK_INT(each(MTEXT_RESOURCE, "{\"contents\":[{\"text\":\"\\ud800\"}]}", &p), -1);
	CHECK_INT(each(MTEXT_RESOURCE, "[1]", &p), -1);

	char out[256];
	const char tool[] =
	    "{\"name\":\"get\",\"title\":\"Get\",\"description\":\"Say \\\"hi\\\"\","
	    "\"inputSchema\":{ \"type\" : \"object\" },\"annotations\":{}}";
	long n = mtext_tool(tool, strlen(tool), out, sizeof(out));
	const char want[] = "{\"name\":\"get\",\"description\":\"Say \\\"hi\\\"\",\"parameters\":{"
			    "\"type\":\"object\"}}";
	CHECK_MEM(out, n > 0 ? (size_t)n : 0, want, strlen(want));
	CHECK_INT(mtext_tool("{\"description\":\"x\"}", 19, out, sizeof(out)), -1);
	CHECK_INT(mtext_tool(tool, strlen(tool), out, 20), -1);
}

static void test_total(void)
{
	static struct tokeff t;
	memset(&t, 0, sizeof(t));
	t.n = 3;
	t.tool_list_counted = true;
	t.tool_list_tokens = 100;
	t.wf[0] =
	    (struct tokeff_wf){.name = "a", .base_tokens = 1000, .content_tokens = 200, .turns = 2};
	t.wf[1] =
	    (struct tokeff_wf){.name = "b", .base_tokens = 300, .content_tokens = 150, .turns = 2};
	t.wf[2] = (struct tokeff_wf){.name = "c", .base_tokens = 500, .error = "down"};
	tokeff_total(&t);
	CHECK_INT(t.wf[0].mcp_tokens, 400);
	CHECK_INT(t.wf[1].mcp_tokens, 350); /* the tool list makes it more than the files */
	CHECK_INT(t.base_total, 1300);	    /* the failed one is left out of the totals */
	CHECK_INT(t.mcp_total, 750);
	CHECK_INT(t.not_reduced, 1);
	CHECK_INT(t.failed, 1);
	CHECK(t.reduction_pct > 42.30 && t.reduction_pct < 42.31);
	CHECK(tokeff_find(&t, "b") == &t.wf[1] && !tokeff_find(&t, "z"));
}

/* The files counted: a glob in order, a file named twice once, errors. */
static void test_files(struct tok *tk, const char *dir)
{
	static struct tokeff t;
	static struct wflow_set s;
	char path[512], why[512] = "";
	const char *names[] = {"g.md", "t/a.md", "t/b.md"};
	const char *bodies[] = {"hello world", "one", "two words"};
	snprintf(path, sizeof(path), "%s/t", dir);
	CHECK_INT(mkdir(path, 0700), 0);
	for (unsigned i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "w");
		fputs(bodies[i], f);
		fclose(f);
	}
	memset(&s, 0, sizeof(s));
	s.n = 1;
	s.wf[0] = (struct wflow){.name = "w", .files = {"g.md", "t/*.md", "t/a.md"}, .nfiles = 3};
	CHECK_INT(tokwf_baseline(&s, dir, tk, &t, why, sizeof(why)), 0);
	CHECK_INT(t.wf[0].nfiles, 3);
	CHECK_STR(t.wf[0].files[1].path, "t/a.md");
	CHECK_STR(t.wf[0].files[2].path, "t/b.md");
	CHECK_INT(t.wf[0].base_tokens, 2 + 1 + 2);
	CHECK_INT(t.wf[0].base_bytes, 11 + 3 + 9);
	CHECK_STR(t.encoding, "cl100k_base");

	/* written as a recorded baseline and read back: the same */
	static struct tokeff back;
	char file[512];
	snprintf(file, sizeof(file), "%s/base.json", dir);
	CHECK_INT(rtok_baseline_write(file, &t, "mcpload tokens --baseline", dir, why, sizeof(why)),
		  0);
	FILE *f = fopen(file, "r");
	static char text[8192];
	size_t len = f ? fread(text, 1, sizeof(text), f) : 0;
	if (f)
		fclose(f);
	CHECK_INT(tokeff_read_baseline(&back, text, len, why, sizeof(why)), 0);
	CHECK_INT(back.n, 1);
	CHECK_STR(back.wf[0].name, "w");
	CHECK_INT(back.wf[0].base_tokens, 5);
	CHECK_INT(back.wf[0].nfiles, 3);
	CHECK_STR(back.wf[0].files[2].path, "t/b.md");
	CHECK_STR(back.encoding, "cl100k_base");
	CHECK(back.recorded_at[0] == '2');

	s.wf[0].files[0] = "t/*.txt";
	CHECK_INT(tokwf_baseline(&s, dir, tk, &t, why, sizeof(why)), -ENOENT);
	CHECK(strstr(why, "'t/*.txt' matches no file") != NULL);
	s.wf[0].files[0] = "missing.md";
	CHECK(tokwf_baseline(&s, dir, tk, &t, why, sizeof(why)) == -ENOENT);
	CHECK(strstr(why, "workflow 'w': ") && strstr(why, "missing.md"));
	for (int i = 2; i >= 0; i--) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/t", dir);
	rmdir(path);
	unlink(file);
}

static void test_baseline_errors(void)
{
	static struct tokeff t;
	const struct {
		const char *json, *want;
	} bad[] = {
	    {"[]", "not a JSON object"},
	    {"{\"mode\":\"suite\"}", "not a token baseline"},
	    {"{\"mode\":\"token-baseline\",\"encoding\":\"p50k_base\"}", "encoding is not"},
	    {"{\"mode\":\"token-baseline\",\"encoding\":\"o200k_base\",\"started_at\":\"x\"}",
	     "no workflows array"},
	    {"{\"mode\":\"token-baseline\",\"encoding\":\"o200k_base\",\"started_at\":\"x\","
	     "\"workflows\":[]}",
	     "no workflows recorded"},
	    {"{\"mode\":\"token-baseline\",\"encoding\":\"o200k_base\",\"started_at\":\"x\","
	     "\"workflows\":[{\"name\":\"a\",\"baseline\":{\"tokens\":3,\"bytes\":1,\"files\":[{"
	     "\"path\":\"p\",\"bytes\":1,\"tokens\":2}]}}]}",
	     "workflow 'a': its files' tokens add up to 2, not its 3"},
	    {"{\"mode\":\"token-baseline\",\"encoding\":\"o200k_base\",\"started_at\":\"x\","
	     "\"workflows\":[{\"name\":\"a\",\"baseline\":{\"tokens\":-1,\"bytes\":1}}]}",
	     "baseline needs tokens and bytes"},
	    {"{\"mode\":\"token-baseline\",\"encoding\":\"o200k_base\",\"started_at\":\"x\","
	     "\"workflows\":[{\"name\":\"a\",\"baseline\":{\"tokens\":0,\"bytes\":0,\"files\":[]}},"
	     "{\"name\":\"a\"}]}",
	     "two workflows are named 'a'"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char why[300] = "";
		CHECK_INT(
		    tokeff_read_baseline(&t, bad[i].json, strlen(bad[i].json), why, sizeof(why)),
		    -EINVAL);
		if (!strstr(why, bad[i].want))
			printf("  %s\n    gave: %s\n", bad[i].json, why);
		CHECK(strstr(why, bad[i].want) != NULL);
	}
}

/* The verdicts: exact counts, so no tolerance band; a workflow that saves
 * nothing or failed is a FAIL with a finding naming it. */
static void judge(struct assess_nfr *n, const struct nfr *d, struct tokeff *t)
{
	memset(n, 0, sizeof(*n));
	n->def = d;
	n->all = calloc(1, sizeof(*n->all));
	n->hit = calloc(1, sizeof(*n->hit));
	n->miss = calloc(1, sizeof(*n->miss));
	n->tok = t;
	n->ran = true;
	t->mcp_done = true;
	tokeff_total(t);
	assess_judge(n);
	free(n->all);
	free(n->hit);
	free(n->miss);
}

static void test_verdicts(void)
{
	static struct tokeff t;
	static struct assess_nfr n;
	const struct nfr *d = nfr_find("NFR-03");
	CHECK(d && d->ncriteria == 2 && d->wflows == &wflow_bundled);
	memset(&t, 0, sizeof(t));
	t.n = 2;
	t.wf[0] = (struct tokeff_wf){.name = "a", .base_tokens = 1000, .content_tokens = 600};
	t.wf[1] = (struct tokeff_wf){.name = "b", .base_tokens = 1000, .content_tokens = 600};
	judge(&n, d, &t);
	CHECK(n.verdict == VERDICT_PASS); /* exactly 40 % */
	t.wf[1].content_tokens = 601;
	judge(&n, d, &t);
	CHECK(n.verdict == VERDICT_FAIL); /* 39.95 %: no tolerance band for a count */
	t.wf[0].content_tokens = 100;
	t.wf[1].content_tokens = 1000;
	judge(&n, d, &t);
	CHECK(n.verdict == VERDICT_FAIL); /* 45 % in total, but b saves nothing */
	CHECK(n.crit[1].measured == 1);
	CHECK(n.nfindings >= 1 && strstr(n.analysis[0], "workflow b: MCP 1000 tokens"));
	t.wf[1] =
	    (struct tokeff_wf){.name = "b", .base_tokens = 1000, .error = "tools/call x: down"};
	judge(&n, d, &t);
	CHECK(n.verdict == VERDICT_FAIL);
	CHECK(n.crit[1].measured == 1);
	CHECK(n.nfindings >= 1 && strstr(n.analysis[0], "workflow b did not work through MCP"));
}

int main(void)
{
	char dir[] = "/tmp/mcpload-tokeff-XXXXXX";
	struct tok *tk = tok_open(TOK_CL100K_BASE);
	CHECK(tk != NULL);
	CHECK(mkdtemp(dir) != NULL);
	test_mtext();
	test_total();
	if (tk)
		test_files(tk, dir);
	test_baseline_errors();
	test_verdicts();
	rmdir(dir);
	tok_close(tk);
	T_DONE();
}
