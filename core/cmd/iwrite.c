/*
 * iwrite: one function a section. Strings go out through sshow_string, so
 * whatever the server named its tools and resources reads back the same;
 * a section with nothing to run is written commented out, so the file
 * always loads.
 */
#include "core/cmd/iwrite.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "protocol/jsc.h"
#include "scenarios/sshow.h"

static const char *const start_keys[] = {"start", "first", "from", "begin", "low", NULL};
static const char *const end_keys[] = {"end", "last", "to", "stop", "high", NULL};
static const char *const count_keys[] = {"count", "size", "n", NULL};

static const char *int_key(const char *obj, const char *const *keys, int64_t *v)
{
	struct jsc_val x;
	size_t len = strlen(obj);
	for (const char *const *k = keys; *k; k++)
		if (jsc_member(obj, len, *k, &x) == 0 && x.type == JSC_NUMBER &&
		    jsc_int(&x, v) == 0)
			return *k;
	return NULL;
}

bool iwrite_range_of(const char *sample, struct iwrite_range *r)
{
	int64_t s = 0, e = 0, c = 0;
	memset(r, 0, sizeof(*r));
	if (!sample[0])
		return false;
	r->start = int_key(sample, start_keys, &s);
	r->end = int_key(sample, end_keys, &e);
	r->count = int_key(sample, count_keys, &c);
	if (!r->start || (!r->end && !r->count))
		return false;
	if (r->end && r->count && c > 0) {
		r->sure = e - s == c || e - s + 1 == c;
		r->end_exclusive = e - s == c;
	} else if (r->end) {
		r->end_exclusive = e > s; /* one id asked for: [s, s] or [s, s+1) */
	}
	return true;
}

static void header(FILE *f, const struct iwrite_in *in)
{
	const struct survey *s = in->survey;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
	fprintf(f, "# mcpload suite configuration for %s, written by mcpload init on %s.\n",
		in->target, when);
	if (!s->mcp_missing[0])
		fprintf(f, "# MCP: %s%s%s, protocol %s (%s era)%s.\n",
			s->srv.server_name[0] ? s->srv.server_name : "a server", " ",
			s->srv.server_version, s->srv.version,
			s->srv.era == MCP_ERA_MODERN ? "2026-07-28" : "legacy",
			s->srv.era == MCP_ERA_LEGACY && !s->srv.stateless ? ", sessions" : "");
	else
		fprintf(f, "# MCP: none (%s).\n", s->mcp_missing);
	fprintf(f,
		"#\n"
		"# Check what it would send:  mcpload suite --config THIS_FILE --plan\n"
		"# Run it in about a minute:  mcpload suite --config THIS_FILE --smoke\n"
		"# Each NFR's target figure is the user stories' unless changed here with its\n"
		"# key (p95_ms = 150, ...): resources p95 < 100 ms, tools p95 < 500 ms, the task\n"
		"# API at 100 req/s with p99 < 200 ms and no 5xx, 50 concurrent reservations\n"
		"# without a collision. An NFR left out is NOT CONFIGURED; one that cannot\n"
		"# apply says so with not_applicable = \"why\". docs/suite.md has every key.\n\n");
	fprintf(f, "target = ");
	sshow_string(f, in->target);
	fprintf(f, "\n");
	if (in->mcp_path) {
		fprintf(f, "mcp_path = ");
		sshow_string(f, in->mcp_path);
		fprintf(f, "\n");
	} else {
		fprintf(f, "# mcp_path = \"/mcp\"\n");
	}
	fprintf(f, "# Credentials for every request, from the environment (reports redact them):\n"
		   "# headers = [\"Authorization: Bearer ${MCP_TOKEN}\"]\n");
}

static void nfr01(FILE *f, const struct survey *s)
{
	unsigned gets = 0;
	fprintf(f, "\n# NFR-01 resource loading: every resource read 10 times, then a load that\n"
		   "# picks among them (MCP resources/read; REST GETs if you list them).\n");
	if (!s->nres)
		fprintf(f, "# The server lists no resources%s.\n# ",
			s->mcp_missing[0] ? " (no MCP endpoint)" : " (resources/list)");
	fprintf(f, "[nfr01]\n");
	if (s->nres) {
		fprintf(f, "resources = [\n");
		for (unsigned i = 0; i < s->nres; i++) {
			fprintf(f, "  ");
			sshow_string(f, s->res[i].name);
			fprintf(f, ",%s%s\n", s->res[i].about[0] ? "  # " : "", s->res[i].about);
		}
		fprintf(f, "]\n");
	}
	for (unsigned i = 0; i < s->nops; i++)
		gets += !strcmp(s->ops[i].method, "GET") && !s->ops[i].params;
	if (gets) {
		fprintf(f,
			"# REST GETs of the OpenAPI document; keep the ones that serve resources:\n"
			"# rest = [\n");
		for (unsigned i = 0; i < s->nops; i++)
			if (!strcmp(s->ops[i].method, "GET") && !s->ops[i].params)
				fprintf(f, "#   \"%s\",%s%s\n", s->ops[i].path,
					s->ops[i].summary[0] ? "  # " : "", s->ops[i].summary);
		fprintf(f, "# ]\n");
	} else {
		fprintf(f, "# rest = [\"/resources/readme\"]   # REST GET paths, if the service "
			   "has them\n");
	}
	fprintf(f, "# How a response says it came from the cache (a header and its values), or\n"
		   "# the server's Prometheus counters at suite --metrics-url:\n"
		   "# cache = { header = \"X-Cache\", hit = \"HIT\", miss = \"MISS\" }\n"
		   "# cache = { hits_metric = \"cache_hits_total\", misses_metric = "
		   "\"cache_misses_total\" }\n"
		   "# p95_ms = 100\n");
}

static void tool(FILE *f, const struct survey_tool *t, bool on)
{
	const char *c = on ? "" : "# ";
	fprintf(f, "%s[[nfr02.tool]]\n%sname = ", c, c);
	sshow_string(f, t->name);
	if (t->about[0])
		fprintf(f, "   # %s", t->about);
	fprintf(f, "\n%sargs = ", c);
	sshow_string(f, t->args);
	if (t->guessed)
		fprintf(f, "   # review: %u value%s guessed from the type", t->guessed,
			t->guessed == 1 ? "" : "s");
	fprintf(f, "\n");
}

/* A tool NFR-02 calls as written: tried and accepted, not marked
 * destructive or open-world, not slow (--no-calls: untried ones too). */
static bool usable(const struct survey_tool *t)
{
	return !t->refused && !t->destructive && !t->open_world && !t->slow;
}

static void nfr02(FILE *f, const struct iwrite_in *in)
{
	const struct survey *s = in->survey;
	unsigned on = 0;
	for (unsigned i = 0; i < s->ntools; i++)
		on += usable(&s->tools[i]);
	fprintf(f,
		"\n# NFR-02 tool execution: each tool called 50 times, p95 < 500 ms each.\n"
		"# The arguments come from each tool's inputSchema (required properties; its\n"
		"# enum, default or examples first): review them%s.\n",
		in->no_calls ? "; they were not tried (--no-calls)"
			     : "; each tool was called once with them");
	if (!on)
		fprintf(f, "# No tool to call%s.\n# ",
			s->mcp_missing[0] ? " (no MCP endpoint)" : "");
	fprintf(f, "[nfr02]\n# tool_p95_ms = 500\n# calls = 50\n");
	for (unsigned i = 0; i < s->ntools; i++) {
		const struct survey_tool *t = &s->tools[i];
		fprintf(f, "\n");
		if (t->destructive)
			fprintf(
			    f,
			    "# Marked destructive by the server (annotations): not called; enable "
			    "it knowing what 50 calls change.\n");
		else if (t->open_world)
			fprintf(
			    f,
			    "# Marked open-world by the server (annotations): it reaches outside "
			    "the server, so\n# 50 calls load someone else's service; not "
			    "called.\n");
		else if (t->refused)
			fprintf(f, "# The server refused it: %s\n", t->said);
		else if (t->slow && t->said[0])
			fprintf(f,
				"# When tried it gave %s: 50 calls take minutes; enable it to "
				"measure it.\n",
				t->said);
		else if (t->slow)
			fprintf(f,
				"# It took %.1f s when tried: 50 calls take minutes; enable it to "
				"measure it.\n",
				(double)t->took_ns / 1e9);
		tool(f, t, usable(t));
	}
	if (s->nprompts) {
		fprintf(
		    f, "\n# Prompts (prompts/get): NFR-03's workflows can use them; load them with "
		       "mcpload run:\n");
		for (unsigned i = 0; i < s->nprompts; i++)
			fprintf(f, "#   %s  args %s%s%s\n", s->prompts[i].name, s->prompts[i].args,
				s->prompts[i].about[0] ? "  - " : "", s->prompts[i].about);
	}
}

/* NFR-03: only the team knows which files an agent read before; a
 * workflow to fill in, its calls from what the server lists. */
static void nfr03(FILE *f, const struct survey *s)
{
	fprintf(f, "\n# Token efficiency (NFR-03): per task an agent does, the local files it\n"
		   "# loaded whole before this server, and the MCP calls that replace them\n"
		   "# (docs/suite.md, \"NFR-03\"). Give files_dir or --files.\n"
		   "# [nfr03]\n# files_dir = \"../docs\"\n# reduction_pct = 40\n"
		   "# [[nfr03.workflow]]\n# name = \"first-task\"\n# files = [\"CLAUDE.md\"]\n");
	if (s->nprompts)
		fprintf(f, "# [[nfr03.workflow.call]]\n# prompt = \"%s\"\n# args = '%s'\n",
			s->prompts[0].name, s->prompts[0].args);
	if (s->nres)
		fprintf(f, "# [[nfr03.workflow.call]]\n# resource = \"%s\"\n", s->res[0].name);
	if (s->ntools)
		fprintf(f, "# [[nfr03.workflow.call]]\n# tool = \"%s\"\n# args = '%s'\n",
			s->tools[0].name, s->tools[0].args[0] ? s->tools[0].args : "{}");
}

static void nfr04(FILE *f, const struct survey *s)
{
	fprintf(f, "\n# NFR-04 the task API: a flow of REST steps at 100 req/s for 60 s, p99 < 200 "
		   "ms,\n# no 5xx. It changes data: say destructive = true, or give "
		   "[[nfr04.restore]]\n# steps that put it back (run once after the load).\n");
	if (s->nops) {
		fprintf(f, "# The service's routes (%s), as steps to pick from:\n", s->openapi_url);
		for (unsigned i = 0; i < s->nops; i++) {
			const struct openapi_op *op = &s->ops[i];
			fprintf(f, "#   %-6s %s", op->method, op->path);
			if (op->body[0])
				fprintf(f, "  body '%s'", op->body);
			if (op->status)
				fprintf(f, "  -> %u", op->status);
			if (op->summary[0])
				fprintf(f, "  (%s)", op->summary);
			fprintf(f, "\n");
		}
	} else {
		fprintf(f, "# No OpenAPI document to list the routes from (%s).\n", s->openapi_why);
	}
	fprintf(f,
		"# An example: claim a task, then move it on ({{task_id}} is what the first step\n"
		"# captured).\n"
		"# [nfr04]\n# destructive = true\n# rate = 100          # requests/s\n"
		"# duration = \"60s\"\n# p99_ms = 200\n"
		"# [[nfr04.step]]\n# label = \"claim\"\n# method = \"GET\"\n"
		"# path = \"/tasks/next\"\n# capture = { task_id = \"json:id\" }\n"
		"# [[nfr04.step]]\n# label = \"update\"\n# method = \"PUT\"\n"
		"# path = \"/tasks/{{task_id}}/status\"\n"
		"# body = '{\"status\":\"in_progress\"}'\n# status = 200\n"
		"# [[nfr04.restore]]\n# label = \"reset\"\n# method = \"POST\"\n"
		"# path = \"/tasks/reset\"\n");
}

static void mcp_reserve(FILE *f, const struct survey_tool *t, const struct iwrite_range *r)
{
	fprintf(f, "[nfr05.mcp]\ntool = ");
	sshow_string(f, t->name);
	fprintf(f, "\nargs = ");
	sshow_string(f, t->args);
	fprintf(f, "\nstart = \"result.structuredContent.%s\"\n", r->start);
	if (r->end)
		fprintf(f, "end = \"result.structuredContent.%s\"\n", r->end);
	if (r->count)
		fprintf(f, "count = \"result.structuredContent.%s\"\n", r->count);
	fprintf(f, "end_exclusive = %s   # %s\n", r->end_exclusive ? "true" : "false",
		r->sure ? "its answer's end and count agree on this"
			: "guessed from one answer: check it");
}

/* A route that looks like it hands out ids: POST, and "reserve", "allocate"
 * or "range" in its path or summary. */
static bool reserves(const struct openapi_op *op)
{
	static const char *const words[] = {"reserve", "allocate", "range"};
	if (strcmp(op->method, "POST"))
		return false;
	for (unsigned i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasestr(op->path, words[i]) || strcasestr(op->summary, words[i]))
			return true;
	return false;
}

static void nfr05(FILE *f, const struct survey *s)
{
	const struct survey_tool *res = NULL;
	struct iwrite_range r = {0};
	for (unsigned i = 0; i < s->ntools && !res; i++)
		if (usable(&s->tools[i]) && iwrite_range_of(s->tools[i].sample, &r))
			res = &s->tools[i];
	fprintf(f, "\n# NFR-05 concurrent id reservations: 50 at once, every one must succeed and\n"
		   "# no two ranges may overlap. A range is read from the answer: start and end\n"
		   "# (end_exclusive = true when it is one past the last id) or a count.\n");
	if (res) {
		fprintf(f,
			"# %s answered with a range when it was tried:\n# %s\n[nfr05]\n"
			"# reservations = 50\n",
			res->name, res->sample);
		mcp_reserve(f, res, &r);
	} else {
		fprintf(
		    f,
		    "# No tool answered with a range when tried; fill in the call that reserves:\n"
		    "# [nfr05]\n# [nfr05.mcp]\n# tool = \"reserve_id_range\"\n"
		    "# args = '{\"count\":10}'\n"
		    "# start = \"result.structuredContent.start\"\n"
		    "# end = \"result.structuredContent.end\"\n# end_exclusive = false\n");
	}
	fprintf(f, "# The REST half:\n# [nfr05.rest]\n");
	for (unsigned i = 0; i < s->nops; i++)
		if (reserves(&s->ops[i])) {
			fprintf(f, "# method = \"%s\"\n# path = \"%s\"\n", s->ops[i].method,
				s->ops[i].path);
			if (s->ops[i].body[0])
				fprintf(f, "# body = '%s'\n", s->ops[i].body);
			if (s->ops[i].status)
				fprintf(f, "# status = %u\n", s->ops[i].status);
			fprintf(f,
				"# start = \"start\"\n# end = \"end\"\n# end_exclusive = false\n");
			return;
		}
	fprintf(f, "# method = \"POST\"\n# path = \"/ids/reserve\"\n# body = '{\"count\":10}'\n"
		   "# start = \"start\"\n# end = \"end\"\n# end_exclusive = false\n");
}

void iwrite_config(FILE *f, const struct iwrite_in *in)
{
	header(f, in);
	nfr01(f, in->survey);
	nfr02(f, in);
	nfr03(f, in->survey);
	nfr04(f, in->survey);
	nfr05(f, in->survey);
}
