/*
 * Suite configurations: the documented example reads into every field;
 * mistakes are refused at their line and column; the suite made from a
 * configuration has the phases, loads, targets and reasons it says
 * (NOT APPLICABLE without MCP, NOT CONFIGURED for a flow that changes data
 * unannounced or a missing section, the reference server's defaults kept
 * where the file is silent); cutting a mixed scenario into halves.
 */
#include <errno.h>
#include <stdlib.h>

#include "scenarios/sconf.h"
#include "scenarios/snfr.h"
#include "tests/t.h"

static const char example[] =
    "target = \"http://127.0.0.1:8000\"\n"
    "headers = [\"Authorization: Bearer ${SCONF_TEST_TOKEN}\"]\n"
    "[nfr01]\n"
    "resources = [\"docs://readme\", \"docs://policy\"]\n"
    "rest = [\"/resources/readme\"]\n"
    "cache = { header = \"X-Cache\", hit = \"HIT\", miss = \"MISS\" }\n"
    "p95_ms = 150\n"
    "[nfr02]\n"
    "calls = 20\n"
    "[[nfr02.tool]]\n"
    "name = \"reserve_id_range\"\n"
    "args = '{\"count\":1}'\n"
    "[nfr04]\n"
    "rate = 60\n"
    "duration = \"20s\"\n"
    "[[nfr04.step]]\n"
    "label = \"claim\"\nmethod = \"GET\"\npath = \"/tasks/next\"\n"
    "capture = { task_id = \"json:id\" }\n"
    "[[nfr04.step]]\n"
    "label = \"update\"\nmethod = \"PUT\"\npath = \"/tasks/{{task_id}}/status\"\n"
    "body = '{\"status\":\"done\"}'\n"
    "[[nfr04.restore]]\n"
    "label = \"reset\"\nmethod = \"POST\"\npath = \"/tasks/reset\"\n"
    "[nfr05]\n"
    "reservations = 20\n"
    "[nfr05.rest]\n"
    "method = \"POST\"\npath = \"/ids\"\nstatus = 201\n"
    "start = \"first\"\nend = \"stop\"\nend_exclusive = true\n";

static int parse(struct sconf *c, const char *text, char *why, size_t wl)
{
	return sconf_parse(c, "s.toml", text, strlen(text), why, wl);
}

static void test_example(void)
{
	static struct sconf c;
	static struct snfr t;
	char why[512] = "";
	setenv("SCONF_TEST_TOKEN", "abc", 1);
	CHECK_INT(parse(&c, example, why, sizeof(why)), 0);
	if (why[0])
		printf("  %s\n", why);
	CHECK_STR(c.target, "http://127.0.0.1:8000");
	CHECK_STR(c.headers[0], "Authorization: Bearer abc");
	CHECK(c.nresources == 2 && c.nrest == 1 && c.ntools == 1 && c.calls == 20);
	CHECK_STR(c.cache_header, "X-Cache");
	CHECK(c.rate == 60 && c.duration_ns == 20000000000ull && c.has_restore);
	CHECK(c.res_rest.set && c.res_rest.end_exclusive && c.res_rest.step.status == 201);
	CHECK(c.reservations == 20 && !c.res_mcp.set);

	struct snfr_server srv = {.target = "http://h/"};
	CHECK_INT(snfr_build(&t, &c, &srv, why, sizeof(why)), 0);
	const struct nfr *d1 = &t.nfrs[0], *d2 = &t.nfrs[1], *d4 = &t.nfrs[3], *d5 = &t.nfrs[4];
	CHECK(d1->avail == NFR_RUNS && d1->nphases == 4);
	CHECK_STR(d1->phases[0].name, "mcp-sweep");
	CHECK(d1->phases[0].iterations == 20); /* 2 resources, 10 times */
	CHECK_STR(d1->cache_header, "x-cache");
	CHECK(d1->criteria[0].target == 150 && !d1->criteria[4].unconfigured);
	CHECK(d2->avail == NFR_RUNS && d2->phases[0].users == 10 && d2->phases[0].iterations == 2);
	CHECK(d4->avail == NFR_RUNS && d4->restore && d4->phases[0].rate == 30);
	CHECK(d4->changes && strstr(d4->changes, "PUT /tasks/{{task_id}}/status"));
	CHECK(d5->nphases == 1 && d5->phases[0].users == 20);
	const struct scn *r5 = nfr_phase_scn(&d5->phases[0]);
	CHECK(r5->nchecks == 1 && r5->checks[0].end_exclusive);
	snfr_free(&t);

	/* no MCP endpoint: the MCP parts go, the REST parts stay */
	srv.mcp_missing = "HTTP 404 at /mcp";
	CHECK_INT(snfr_build(&t, &c, &srv, why, sizeof(why)), 0);
	CHECK(t.nfrs[0].avail == NFR_RUNS && t.nfrs[0].nphases == 2);
	CHECK_STR(t.nfrs[0].phases[0].name, "rest-sweep");
	CHECK(t.nfrs[1].avail == NFR_NOT_APPLICABLE);
	CHECK(strstr(t.notes, "NFR-01: the MCP resources are not read: HTTP 404") != NULL);
	snfr_free(&t);
	sconf_free(&c);
}

static void test_reasons(void)
{
	static struct sconf c;
	static struct snfr t;
	char why[512];
	struct snfr_server srv = {.target = "http://h/"};
	/* a flow that changes data, said by nobody */
	const char *flow = "[nfr04]\n[[nfr04.step]]\nlabel = \"x\"\nmethod = \"DELETE\"\n"
			   "path = \"/all\"\n";
	CHECK_INT(parse(&c, flow, why, sizeof(why)), 0);
	CHECK_INT(snfr_build(&t, &c, &srv, why, sizeof(why)), 0);
	CHECK(t.nfrs[3].avail == NFR_NOT_CONFIGURED);
	CHECK(strstr(t.nfrs[3].avail_why, "DELETE /all") &&
	      strstr(t.nfrs[3].avail_why, "destructive"));
	CHECK(t.nfrs[0].avail == NFR_NOT_CONFIGURED && t.nfrs[4].avail == NFR_NOT_CONFIGURED);
	snfr_free(&t);
	/* the reference server keeps its defaults where the file is silent */
	srv.bundled = true;
	CHECK_INT(snfr_build(&t, &c, &srv, why, sizeof(why)), 0);
	CHECK(t.nfrs[0].avail == NFR_RUNS && t.nfrs[0].phases[0].scn == NULL);
	CHECK_STR(t.nfrs[0].phases[0].scenario, "resource-sweep");
	snfr_free(&t);
	sconf_free(&c);
	/* said not to apply */
	CHECK_INT(parse(&c, "[nfr05]\nnot_applicable = \"ids come from the database\"\n", why,
			sizeof(why)),
		  0);
	srv.bundled = false;
	CHECK_INT(snfr_build(&t, &c, &srv, why, sizeof(why)), 0);
	CHECK(t.nfrs[4].avail == NFR_NOT_APPLICABLE);
	CHECK_STR(t.nfrs[4].avail_why, "ids come from the database");
	snfr_free(&t);
	sconf_free(&c);
}

static void test_errors(void)
{
	static struct sconf c;
	const struct {
		const char *text, *want;
	} bad[] = {
	    {"[nfr01]\nresource = [\"a\"]\n", "s.toml:2:12: unknown key 'resource' in [nfr01]"},
	    {"[nfr02]\ntool_p95_ms = \"fast\"\n", "s.toml:2:15: 'tool_p95_ms' is a target figure"},
	    {"[nfr01]\ncache = { header = \"X-Cache\" }\n", "s.toml:2:9: a cache header needs"},
	    {"[nfr05.rest]\nmethod = \"POST\"\npath = \"/ids\"\n", "s.toml:1:1: a range is read"},
	    {"[nfr04]\ndestructive = 1\n", "s.toml:2:15: 'destructive' is true or false"},
	    {"[nfr04]\nrate = 10\n", "s.toml:1:1: 'flow' has no steps"},
	    {"[nfr03]\n", "s.toml:1:1: [nfr03] needs workflows"},
	    {"[nfr03]\nencoding = \"p50k_base\"\n", "s.toml:2:12: 'encoding' is"},
	    {"[nfr03]\nreduction = 40\n", "unknown key 'reduction' in [nfr03] (it takes workflow, "
					  "encoding, files_dir, baseline, tool_list, "
					  "not_applicable, reduction_pct, not_reduced)"},
	    {"[[nfr03.workflow]]\nname = \"a\"\nfiles = [\"x\"]\n", "workflow 'a' needs its MCP "
								    "calls"},
	    {"[[nfr03.workflow]]\nname = \"a\"\n[[nfr03.workflow.call]]\ntool = \"t\"\n",
	     "workflow 'a' needs the files"},
	    {"[[nfr03.workflow]]\nname = \"a\"\nfiles = [\"x\"]\ncall = [{tool = \"t\", "
	     "prompt = \"p\"}]\n",
	     "s.toml:4:9: a call names one resource, tool or prompt"},
	    {"[[nfr03.workflow]]\nname = \"a\"\nfiles = [\"x\"]\ncall = [{resource = \"r\", "
	     "args = '{}'}]\n",
	     "a resource read takes no args"},
	    {"[[nfr03.workflow]]\nname = \"a\"\nfiles = [\"x\"]\ncall = [{tool = \"t\", args = "
	     "'[1]'}]\n",
	     "'args' is a JSON object"},
	    {"[[nfr03.workflow]]\nname = \"a\"\nfiles = [\"x\"]\ncall = [{tool = \"t\"}]\n"
	     "[[nfr03.workflow]]\nname = \"a\"\nfiles = [\"y\"]\ncall = [{tool = \"t\"}]\n",
	     "two workflows are named 'a'"},
	    {"[[nfr03.workflow]]\nname = \"a\"\nfiles = [\"x\"]\nturns = 0\ncall = [{tool = "
	     "\"t\"}]\n",
	     "'turns' must be 1 to 10000"},
	    {"headers = [\"X: ${SCONF_NOT_SET_ANYWHERE}\"]\n", "the environment variable "
							       "SCONF_NOT_SET_ANYWHERE is not set"},
	    {"[nfr01]\nrest = [\"tasks\"]\n", "a REST path starts with '/'"},
	    {"nfr01 = 3\n", "s.toml:1:9: 'nfr01' is a table"},
	    {"[[nfr02.tool]]\nargs = '{}'\n", "a tool needs its name"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char why[512] = "";
		int r = parse(&c, bad[i].text, why, sizeof(why));
		if (r != -EINVAL || !strstr(why, bad[i].want))
			printf("  %s\n    gave %d %s\n", bad[i].text, r, why);
		CHECK_INT(r, -EINVAL);
		CHECK(strstr(why, bad[i].want) != NULL);
		sconf_free(&c);
	}
}

/* NFR-03: workflows read into the configuration, the suite built from
 * them; without a baseline source NOT CONFIGURED with the way to give one. */
static void test_workflows(void)
{
	static struct sconf c;
	static struct snfr t;
	char why[512] = "";
	const char text[] = "[nfr03]\nencoding = \"o200k_base\"\nfiles_dir = \"pre-mcp\"\n"
			    "reduction_pct = 50\ntool_list = false\n"
			    "[[nfr03.workflow]]\nname = \"write-prd\"\n"
			    "files = [\"CLAUDE.md\", \"templates/*.md\"]\nturns = 4\n"
			    "[[nfr03.workflow.call]]\nprompt = \"write_prd\"\n"
			    "args = '{\"topic\":\"x\"}'\n"
			    "[[nfr03.workflow.call]]\nresource = \"templates://prd\"\n"
			    "[[nfr03.workflow]]\nname = \"next\"\nfiles = [\"tasks.md\"]\n"
			    "call = [{ tool = \"get_next_task\" }]\n";
	CHECK_INT(parse(&c, text, why, sizeof(why)), 0);
	CHECK(c.has[2]);
	CHECK_INT(c.wf.n, 2);
	CHECK_STR(c.wf.encoding, "o200k_base");
	CHECK_STR(c.wf.files_dir, "pre-mcp");
	CHECK(c.wf.no_tool_list);
	CHECK_INT(c.wf.wf[0].nfiles, 2);
	CHECK_STR(c.wf.wf[0].files[1], "templates/*.md");
	CHECK_INT(c.wf.wf[0].ncalls, 2);
	CHECK(c.wf.wf[0].calls[0].kind == WFLOW_PROMPT);
	CHECK_STR(c.wf.wf[0].calls[0].args, "{\"topic\":\"x\"}");
	CHECK(c.wf.wf[0].calls[1].kind == WFLOW_RESOURCE && !c.wf.wf[0].calls[1].args);
	CHECK_INT(wflow_turns(&c.wf.wf[0]), 4);
	CHECK_INT(wflow_turns(&c.wf.wf[1]), 1);
	struct snfr_server srv = {.bundled = false, .target = "http://127.0.0.1:1"};
	CHECK_INT(snfr_build(&t, &c, &srv, why, sizeof(why)), 0);
	CHECK(t.nfrs[2].avail == NFR_NOT_CONFIGURED && strstr(t.nfrs[2].avail_why, "--files"));
	snfr_free(&t);
	srv.token_source = true;
	CHECK_INT(snfr_build(&t, &c, &srv, why, sizeof(why)), 0);
	CHECK(t.nfrs[2].avail == NFR_RUNS && t.nfrs[2].wflows == &c.wf);
	CHECK(t.nfrs[2].criteria[0].target == 50);
	CHECK(t.nfrs[2].changes && strstr(t.nfrs[2].changes, "get_next_task"));
	snfr_free(&t);
	srv.mcp_missing = "no MCP endpoint";
	CHECK_INT(snfr_build(&t, &c, &srv, why, sizeof(why)), 0);
	CHECK(t.nfrs[2].avail == NFR_NOT_APPLICABLE);
	snfr_free(&t);
	sconf_free(&c);
	/* the reference server: its ten, once files are given */
	srv = (struct snfr_server){.bundled = true, .target = "x", .token_source = true};
	CHECK_INT(snfr_build(&t, NULL, &srv, why, sizeof(why)), 0);
	CHECK(t.nfrs[2].avail == NFR_RUNS && t.nfrs[2].wflows == &wflow_bundled);
	CHECK_INT(wflow_bundled.n, 10);
	snfr_free(&t);
	srv.token_source = false;
	CHECK_INT(snfr_build(&t, NULL, &srv, why, sizeof(why)), 0);
	CHECK(t.nfrs[2].avail == NFR_NOT_CONFIGURED &&
	      strstr(t.nfrs[2].avail_why, "--write-files"));
	snfr_free(&t);
}

static void test_part(void)
{
	static struct snfr_part p;
	bool mcp, rest;
	const struct scn *sweep = scn_find("resource-sweep");
	CHECK(snfr_is_mixed(sweep, &mcp, &rest) && mcp && rest);
	CHECK_INT(snfr_part(sweep, true, &p), 17);
	CHECK(!snfr_is_mixed(&p.scn, &mcp, &rest) && mcp && !rest);
	CHECK_INT(snfr_part(sweep, false, &p), 17);
	CHECK(p.scn.tasks[0].steps[0].method && !strcmp(p.scn.tasks[0].steps[0].method, "GET"));
	const struct scn *rsv = scn_find("id-reservation-rest");
	CHECK_INT(snfr_part(rsv, true, &p), 0);
	CHECK(p.scn.ntasks == 0 && p.scn.nchecks == 0); /* the check's label went with it */
}

int main(void)
{
	test_example();
	test_reasons();
	test_errors();
	test_workflows();
	test_part();
	T_DONE();
}
