/*
 * Scenario files: every compiled-in scenario written out by `show` reads
 * back to the same scenario and compiles to the same plan (templates byte
 * for byte, labels, variables, tasks, checks, bounds); a hand-written file
 * with every key; and bad files refused at their line and column with what
 * was expected.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "scenarios/plan.h"
#include "scenarios/sfile.h"
#include "scenarios/sshow.h"
#include "tests/t.h"

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_tmpl(const struct tmpl *a, const struct tmpl *b)
{
	if (a->nsegs != b->nsegs || a->npicks != b->npicks || a->text_len != b->text_len ||
	    memcmp(a->text, b->text, a->text_len))
		return false;
	for (unsigned i = 0; i < a->nsegs; i++) {
		const struct tmpl_seg *x = &a->segs[i], *y = &b->segs[i];
		if (x->kind != y->kind || x->var != y->var || x->off != y->off ||
		    x->len != y->len || x->lo != y->lo || x->hi != y->hi || x->first != y->first ||
		    x->n != y->n)
			return false;
	}
	for (unsigned i = 0; i < a->npicks; i++)
		if (a->picks[i].off != b->picks[i].off || a->picks[i].len != b->picks[i].len ||
		    a->picks[i].upto != b->picks[i].upto)
			return false;
	return true;
}

/* The compiled plans are the same, field by field. */
static bool same_plan(const struct plan *a, const struct plan *b, const char **what)
{
	*what = "counts";
	if (a->nsteps != b->nsteps || a->ntasks != b->ntasks || a->nlabels != b->nlabels ||
	    a->nslots != b->nslots || a->nvars != b->nvars || a->req_cap != b->req_cap ||
	    a->body_cap != b->body_cap || a->mcp.era != b->mcp.era)
		return false;
	for (unsigned i = 0; i < a->nsteps; i++) {
		const struct plan_step *x = &a->steps[i], *y = &b->steps[i];
		*what = "a step";
		if (!same_tmpl(&x->head, &y->head) || !same_tmpl(&x->body, &y->body) ||
		    x->has_body != y->has_body || x->label != y->label ||
		    x->need_body != y->need_body || x->need_headers != y->need_headers ||
		    x->check != y->check || x->mcp != y->mcp || x->has_name != y->has_name ||
		    (x->has_name && !same_tmpl(&x->name, &y->name)) ||
		    strcmp(x->has_path, y->has_path) || !same_str(x->has_value, y->has_value) ||
		    x->max_len != y->max_len || x->def->status != y->def->status ||
		    !same_str(x->def->contains, y->def->contains) ||
		    memcmp(x->capture_var, y->capture_var, sizeof(x->capture_var)))
			return false;
	}
	for (unsigned i = 0; i < a->ntasks; i++) {
		*what = "a task";
		if (a->tasks[i].first != b->tasks[i].first ||
		    a->tasks[i].nsteps != b->tasks[i].nsteps ||
		    a->tasks[i].upto != b->tasks[i].upto ||
		    a->tasks[i].think_min_ns != b->tasks[i].think_min_ns ||
		    a->tasks[i].think_max_ns != b->tasks[i].think_max_ns)
			return false;
	}
	for (unsigned i = 0; i < a->nlabels; i++) {
		const struct plan_label *x = &a->labels[i], *y = &b->labels[i];
		*what = "a label";
		if (strcmp(x->name, y->name) || !same_str(x->split, y->split) ||
		    x->nsplit != y->nsplit || x->slot != y->slot)
			return false;
		for (unsigned k = 0; k < x->nsplit; k++)
			if (strcmp(x->split_values[k], y->split_values[k]))
				return false;
	}
	for (unsigned i = 0; i < a->nvars; i++) {
		*what = "a variable";
		if (strcmp(a->vars[i].name, b->vars[i].name) ||
		    !same_str(a->vars[i].value, b->vars[i].value) ||
		    a->vars[i].captured != b->vars[i].captured ||
		    a->vars[i].session != b->vars[i].session)
			return false;
	}
	*what = "the shape";
	return !memcmp(&a->shape, &b->shape, sizeof(a->shape));
}

static bool same_checks(const struct scn *a, const struct scn *b)
{
	if (a->nchecks != b->nchecks)
		return false;
	for (unsigned i = 0; i < a->nchecks; i++) {
		const struct scn_check *x = &a->checks[i], *y = &b->checks[i];
		if (!same_str(x->name, y->name) || x->kind != y->kind ||
		    !same_str(x->label, y->label) || !same_str(x->start, y->start) ||
		    !same_str(x->end, y->end) || !same_str(x->count, y->count) ||
		    x->end_exclusive != y->end_exclusive || !same_str(x->what, y->what))
			return false;
	}
	return true;
}

static int build(struct plan *p, const struct scn *s, char *why)
{
	/* mcp-call needs a name to call */
	static const char *const sets[] = {"name=echo"};
	bool named = false;
	for (unsigned i = 0; i < s->nvars; i++)
		named |= !strcmp(s->vars[i].name, "name");
	struct plan_opts o = {"127.0.0.1:8000",
			      "/base",
			      NULL,
			      0,
			      sets,
			      named ? 1 : 0,
			      scn_has_mcp(s) ? MCP_ERA_LEGACY : MCP_ERA_NONE,
			      "2025-11-25",
			      NULL,
			      false};
	int r = plan_build(p, s, &s->shape, &o, why, 256);
	if (r < 0)
		fprintf(stderr, "  %s: %s\n", s->name, why);
	return r;
}

static void test_round_trip(void)
{
	unsigned n;
	const struct scn *const *all = scn_all(&n);
	static struct plan a, b;
	static struct sfile f;
	for (unsigned i = 0; i < n; i++) {
		char *text = NULL, why[256] = "";
		size_t len = 0;
		FILE *m = open_memstream(&text, &len);
		sshow_write(m, all[i]);
		fclose(m);
		int r = sfile_parse(&f, all[i]->name, text, len, why, sizeof(why));
		if (r < 0)
			fprintf(stderr, "  %s: %s\n", all[i]->name, why);
		CHECK_INT(r, 0);
		if (r == 0) {
			const char *what = "";
			CHECK(!strcmp(f.scn.name, all[i]->name) &&
			      !strcmp(f.scn.desc, all[i]->desc));
			CHECK(same_checks(&f.scn, all[i]));
			CHECK_INT(build(&a, all[i], why), 0);
			CHECK_INT(build(&b, &f.scn, why), 0);
			bool same = same_plan(&a, &b, &what);
			if (!same)
				fprintf(stderr, "  %s: the plans differ in %s\n", all[i]->name,
					what);
			CHECK(same);
		}
		sfile_free(&f);
		free(text);
	}
	printf("  %u compiled-in scenarios round-trip through show\n", n);
}

static void test_hand_written(void)
{
	static const char text[] =
	    "# three steps, a capture, a header, a check\n"
	    "name = \"flow\"\n"
	    "description = \"claim, look, update\"\n"
	    "thresholds = [\"p99<200ms\", \"claim:p95<50ms\"]\n"
	    "[variables]\n"
	    "status = \"done\"\n"
	    "who = { value = \"{{user}}\", doc = \"the caller\" }\n"
	    "ticket = { doc = \"captured\" }\n"
	    "[shape]\n"
	    "model = \"closed\"\nusers = 4\nspawn_rate = 2.5\nthink = \"10ms:20ms\"\n"
	    "iterations = 3\nduration = \"5s\"\nstages = [\"1s:2\", \"0:4\"]\n"
	    "[[task]]\nname = \"t\"\nweight = 3\nthink = \"0:0\"\n"
	    "  [[task.step]]\n  label = \"claim\"\n  method = \"POST\"\n  path = \"/claim\"\n"
	    "  headers = [\"X-Who: {{who}}\", \"Accept: */*\"]\n"
	    "  body = '{\"n\":{{rand:1:9}}}'\n  status = \"2xx\"\n"
	    "  capture = { ticket = \"json:data.id\", trace = \"header:X-Trace\" }\n"
	    "  [[task.step]]\n  label = \"look\"\n  method = \"GET\"\n  path = \"/t/{{ticket}}\"\n"
	    "  contains = \"ok\"\n  json_has = \"state=open\"\n"
	    "  split = { header = \"x-cache\", values = [\"HIT\", \"MISS\"] }\n"
	    "  [[task.step]]\n  label = \"update\"\n  method = \"PUT\"\n  path = "
	    "\"/t/{{ticket}}\"\n"
	    "  body = '{\"status\":\"{{status}}\"}'\n  status = \"any\"\n"
	    "[[check]]\nname = \"ids\"\nkind = \"disjoint\"\nlabel = \"claim\"\n"
	    "start = \"data.first\"\nend = \"data.last\"\nend_exclusive = true\n";
	static struct sfile f;
	static struct plan p;
	char why[256] = "";
	int r = sfile_parse(&f, "flow.toml", text, sizeof(text) - 1, why, sizeof(why));
	if (r < 0)
		fprintf(stderr, "  %s\n", why);
	CHECK_INT(r, 0);
	const struct scn *s = &f.scn;
	CHECK(!strcmp(s->name, "flow") && s->nvars == 3 && !s->vars[2].value);
	CHECK(s->shape.users == 4 && s->shape.spawn_rate == 2.5 && s->shape.iterations == 3 &&
	      s->shape.think_max_ns == 20000000 && s->shape.nstages == 2 &&
	      s->shape.stages[1].duration_ns == 0 && s->shape.stages[1].target == 4);
	CHECK(s->ntasks == 1 && s->tasks[0].nsteps == 3 && s->tasks[0].weight == 3);
	const struct scn_step *st = s->tasks[0].steps;
	CHECK(!strcmp(st[0].headers, "X-Who: {{who}}\r\nAccept: */*\r\n") && st[0].status == 2);
	CHECK(!strcmp(st[0].captures[0].json, "data.id") &&
	      !strcmp(st[0].captures[1].header, "x-trace"));
	CHECK(!strcmp(st[1].split, "x-cache") && !strcmp(st[1].split_values[1], "MISS"));
	CHECK(st[2].status == SCN_STATUS_ANY && s->nchecks == 1 && s->checks[0].end_exclusive &&
	      !s->checks[0].count);
	CHECK(f.nthresholds == 2 && !strcmp(f.thresholds[1], "claim:p95<50ms"));
	CHECK_INT(build(&p, s, why), 0);
	sfile_free(&f);
}

/* A literal "${" (written "$${") stays literal through show: a file
 * read and shown again must not reach into the environment (nor let a
 * name a server sent do so in what init writes). */
static void test_dollar(void)
{
	static const char text[] = "name = \"d\"\n"
				   "[variables]\n"
				   "v = \"$${HOME} and $$${HOME} and $\"\n"
				   "[[task]]\nname = \"t\"\n"
				   "  [[task.step]]\n  label = \"x\"\n  method = \"GET\"\n"
				   "  path = \"/${MCPL_TEST_DOLLAR}/$${not}\"\n"
				   "  capture = { c = \"json:a${b}\" }\n";
	static struct sfile f, g;
	char why[256] = "", *out = NULL;
	size_t len = 0;
	setenv("MCPL_TEST_DOLLAR", "env", 1);
	int r = sfile_parse(&f, "d.toml", text, sizeof(text) - 1, why, sizeof(why));
	if (r < 0)
		fprintf(stderr, "  %s\n", why);
	CHECK_INT(r, 0);
	if (r < 0)
		return;
	CHECK_STR(f.scn.vars[0].value, "${HOME} and $${HOME} and $");
	CHECK_STR(f.scn.tasks[0].steps[0].path, "/env/${not}");
	CHECK_STR(f.scn.tasks[0].steps[0].captures[0].json, "a${b}");
	FILE *m = open_memstream(&out, &len);
	sshow_write(m, &f.scn);
	fclose(m);
	unsetenv("MCPL_TEST_DOLLAR");
	r = sfile_parse(&g, "g.toml", out, len, why, sizeof(why));
	if (r < 0)
		fprintf(stderr, "  shown again: %s\n", why);
	CHECK_INT(r, 0);
	if (r == 0) {
		CHECK_STR(g.scn.vars[0].value, f.scn.vars[0].value);
		CHECK_STR(g.scn.tasks[0].steps[0].path, "/env/${not}");
		CHECK_STR(g.scn.tasks[0].steps[0].captures[0].json, "a${b}");
	}
	sfile_free(&g);
	sfile_free(&f);
	free(out);
}

static void test_errors(void)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
	    {"name = \"x\"\n", "x.toml:1:1: the scenario has no tasks"},
	    {"[[task]]\n[[task.step]]\nlabel='a'\nmethod='GET'\npath='/'\n", "names no scenario"},
	    {"name='x'\nlable = 1\n", "x.toml:2:9: unknown key 'lable' in a scenario file"},
	    {"name='x'\n[[task]]\n[[task.step]]\nlabel = 'a'\nmethod = 'GET'\n",
	     "needs a method and a path"},
	    {"name='x'\n[[task]]\n[[task.step]]\nlabel='a'\nmethod='GET'\npath='/'\nstatus = 7\n",
	     "x.toml:7:10: 'status' is a code"},
	    {"name='x'\n[shape]\nusers = 'many'\n", "x.toml:3:9: 'users' must be an integer"},
	    {"name='x'\n[shape]\nduration = 5\n", "x.toml:3:12: 'duration' must be a duration"},
	    {"name='x'\n[shape]\nmodel = 'burst'\n", "x.toml:3:9: 'model' is"},
	    {"name='x'\n[[task]]\n[[task.step]]\nlabel='a'\nmcp='tools/call'\npath='/'\n",
	     "is an MCP step"},
	    {"name='x'\n[[task]]\n[[task.step]]\nlabel='a'\nmethod='GET'\npath='/'\n"
	     "[[check]]\nname='c'\nkind='disjoint'\nlabel='a'\nstart='s'\n",
	     "needs an end path, a count path, or both"},
	    {"name = 'x\n", "x.toml:1:"},
	};
	static struct sfile f;
	char why[256];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = 0;
		int r =
		    sfile_parse(&f, "x.toml", bad[i].text, strlen(bad[i].text), why, sizeof(why));
		bool ok = r == -EINVAL && strstr(why, bad[i].want) && !strchr(why, '\n');
		if (!ok)
			fprintf(stderr, "  %zu: r=%d '%s'\n", i, r, why);
		CHECK(ok);
		sfile_free(&f);
	}
}

int main(void)
{
	test_round_trip();
	test_hand_written();
	test_dollar();
	test_errors();
	T_DONE();
}
