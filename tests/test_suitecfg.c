/*
 * A team's own REST service (tests/trest: other routes, another status
 * vocabulary, other field names, ranges that end exclusively, no MCP) as
 * the suite meets it through a configuration file: NFR-04's flow and
 * NFR-05's reservations run with 0 errors while NFR-01/02 are NOT
 * APPLICABLE, the restore steps put the data back, the report is written;
 * the same ranges read as inclusive collide; a flow that changes data
 * without saying so is NOT CONFIGURED and sends nothing; --plan sends
 * nothing; init lists the routes. A three-step flow file with a capture
 * runs, with thresholds met and missed; mcpload http renders templates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/t.h"
#include "tests/trest.h"
#include "tests/trun.h"

static const char *bin(void)
{
	return getenv("MCPLOAD_ASAN") ? getenv("MCPLOAD_ASAN") : mcpload();
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static const char flow[] = "[nfr04]\n"
			   "rate = 40\n"
			   "duration = \"3s\"\n"
			   "p99_ms = 250\n"
			   "[[nfr04.step]]\n"
			   "label = \"claim\"\n"
			   "method = \"GET\"\n"
			   "path = \"/api/v2/queue/claim\"\n"
			   "capture = { key = \"json:ticket.key\" }\n"
			   "[[nfr04.step]]\n"
			   "label = \"start work\"\n"
			   "method = \"PATCH\"\n"
			   "path = \"/api/v2/tickets/{{key}}\"\n"
			   "body = '{\"state\":\"WORKING\"}'\n"
			   "status = 204\n";

static const char restore[] = "[[nfr04.restore]]\n"
			      "label = \"reopen all\"\n"
			      "method = \"POST\"\n"
			      "path = \"/api/v2/queue/reset\"\n";

static const char blocks[] = "[nfr05]\n"
			     "reservations = 30\n"
			     "[nfr05.rest]\n"
			     "method = \"POST\"\n"
			     "path = \"/api/v2/blocks\"\n"
			     "body = '{\"size\":10}'\n"
			     "status = 201\n"
			     "start = \"block.first\"\n"
			     "end = \"block.stop\"\n";

/* The suite with config text; the report loaded into r. */
static void suite(struct run *r, const char *url, const char *text, const char *extra)
{
	const char *cfg = "/tmp/mcpload-suitecfg.toml";
	write_file(cfg, text);
	const char *args[] = {"suite",
			      "--config",
			      cfg,
			      "--target",
			      url,
			      "--smoke",
			      "--report-dir",
			      "/tmp/mcpload-suitecfg",
			      "-q",
			      extra,
			      NULL};
	run_bin(r, bin(), args);
}

static void test_own_service(struct trest *s, const char *url, struct run *r)
{
	char text[4096];
	unsigned long patches;
	snprintf(text, sizeof(text), "%s%s%send_exclusive = true\n", flow, restore, blocks);
	suite(r, url, text, NULL);
	printf("  own service: exit %d, NFR-04 %.0f requests, NFR-05 %.0f ranges\n", r->status,
	       num(r, "nfrs.3.requests"), num(r, "nfrs.4.ranges_read"));
	CHECK_INT(r->status, 0);
	CHECK(r->report[0] != 0);
	CHECK(str_is(r, "nfrs.0.verdict", "NOT APPLICABLE"));
	CHECK(str_is(r, "nfrs.1.verdict", "NOT APPLICABLE"));
	CHECK(str_is(r, "nfrs.3.verdict", "PASS"));
	CHECK(num(r, "nfrs.3.requests") > 0);
	CHECK(num(r, "nfrs.3.errors.total") == 0);
	CHECK(num(r, "nfrs.3.criteria.0.target") == 250);
	CHECK(num(r, "nfrs.3.criteria.0.judged") > 0);
	CHECK(str_is(r, "nfrs.4.verdict", "PASS"));
	CHECK(num(r, "nfrs.4.ranges_read") == 30 && num(r, "nfrs.4.collisions") == 0);
	CHECK(num(r, "nfrs.4.errors.total") == 0);
	CHECK(s->bad_states == 0 && s->resets == 1);
	CHECK_INT(trest_taken(s), 0); /* the restore steps put every ticket back */
	CHECK(strstr(r->err, "NFR-04 changes data on the server: PATCH") == NULL); /* -q */

	/* the same ranges read as inclusive: one id shared by each pair */
	snprintf(text, sizeof(text), "%s%send_exclusive = false\n", flow, blocks);
	suite(r, url, strstr(text, "[nfr05]"), NULL);
	CHECK_INT(r->status, 1);
	CHECK(str_is(r, "nfrs.4.verdict", "FAIL"));
	CHECK(num(r, "nfrs.4.collisions") == 29);
	CHECK(str_is(r, "nfrs.3.verdict", "NOT CONFIGURED"));

	/* a flow that changes data without saying so: not run, nothing sent */
	patches = s->patches;
	suite(r, url, flow, NULL);
	CHECK_INT(r->status, 3); /* nothing judged */
	CHECK(str_is(r, "nfrs.3.verdict", "NOT CONFIGURED"));
	CHECK(strstr(r->json, "destructive = true") != NULL);
	CHECK(s->patches == patches);

	/* --plan: every request shown, none sent */
	unsigned long before = s->claims + s->patches + s->blocks + s->others;
	snprintf(text, sizeof(text), "[nfr04]\ndestructive = true\n%s%s%send_exclusive = true\n",
		 flow + strlen("[nfr04]\n"), restore, blocks);
	suite(r, url, text, "--plan");
	CHECK_INT(r->status, 0);
	CHECK(strstr(r->out, "PATCH /api/v2/tickets/{{key}}") != NULL);
	CHECK(strstr(r->out, "POST /api/v2/blocks") != NULL);
	CHECK(strstr(r->out, "NOT CONFIGURED") != NULL); /* nothing probed: not known */
	CHECK(s->claims + s->patches + s->blocks + s->others == before);
}

static void test_init(const char *url, struct run *r)
{
	const char *out = "/tmp/mcpload-init.toml";
	const char *args[] = {"init", url, "-o", out, NULL};
	char text[65536] = "";
	unlink(out);
	run_bin(r, bin(), args);
	CHECK_INT(r->status, 0);
	FILE *f = fopen(out, "r");
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	if (f)
		fclose(f);
	text[n] = 0;
	CHECK(
	    strstr(text, "PATCH  /api/v2/tickets/{{key}}  body '{\"state\":\"WORKING\"}'  -> 204"));
	CHECK(strstr(text, "# method = \"POST\"\n# path = \"/api/v2/blocks\"\n# body = "
			   "'{\"size\":10}'\n# status = 201") != NULL);
	CHECK(strstr(text, "# MCP: none") != NULL);
	CHECK(strstr(text, "# [nfr03]\n# files_dir = ") != NULL); /* a workflow to fill in */
	/* as written it configures nothing that runs: every NFR says why */
	const char *run_it[] = {
	    "suite", "--config", out, "--smoke", "--report-dir", "/tmp/mcpload-suitecfg", NULL};
	run_bin(r, bin(), run_it);
	CHECK_INT(r->status, 3);
	CHECK(r->report[0] != 0);
	CHECK(str_is(r, "nfrs.1.verdict", "NOT APPLICABLE"));
	CHECK(str_is(r, "nfrs.2.verdict", "NOT APPLICABLE")); /* no MCP: no workflow */
	CHECK(str_is(r, "nfrs.3.verdict", "NOT CONFIGURED"));
}

static const char three_steps[] =
    "# claim a ticket, start it, read it back: three steps, one capture\n"
    "name = \"ticket-flow\"\n"
    "thresholds = [\"p99<10s\", \"errors<1%\"]\n"
    "[shape]\nusers = 4\niterations = 5\n"
    "[[task]]\nname = \"work\"\n"
    "  [[task.step]]\n  label = \"claim\"\n  method = \"GET\"\n"
    "  path = \"/api/v2/queue/claim\"\n  capture = { key = \"json:ticket.key\" }\n"
    "  [[task.step]]\n  label = \"start\"\n  method = \"PATCH\"\n"
    "  path = \"/api/v2/tickets/{{key}}\"\n  body = '{\"state\":\"WORKING\"}'\n  status = 204\n"
    "  [[task.step]]\n  label = \"read back\"\n  method = \"GET\"\n"
    "  path = \"/api/v2/tickets/{{key}}\"\n  json_has = \"ticket.state=WORKING\"\n";

static void test_flow_file(struct trest *s, const char *url, struct run *r)
{
	const char *file = "/tmp/mcpload-flow.toml";
	write_file(file, three_steps);
	unsigned long patches = s->patches;
	const char *args[] = {"run", file, "--target", url, "-q", NULL};
	run_bin(r, bin(), args);
	CHECK_INT(r->status, 0);
	CHECK(num(r, "requests") == 60 && num(r, "errors.total") == 0);
	CHECK(num(r, "labels.2.succeeded") == 20);
	CHECK(str_is(r, "thresholds.1.verdict", "PASS"));
	CHECK(s->patches == patches + 20);
	const char *missed[] = {"run", file,	      "--target",	   url,
				"-q",  "--threshold", "read back:p50<1ns", NULL};
	run_bin(r, bin(), missed);
	CHECK_INT(r->status, 99);
	CHECK(str_is(r, "thresholds.0.verdict", "FAIL")); /* the command line's come first */
	/* the claim's field renamed: nothing to capture, the next steps skipped */
	char broken[sizeof(three_steps)];
	snprintf(broken, sizeof(broken), "%s", three_steps);
	memcpy(strstr(broken, "json:ticket.key"), "json:ticket.kex", 15);
	write_file(file, broken);
	const char *none[] = {"run", file, "--target", url, "-q", NULL};
	run_bin(r, bin(), none);
	CHECK(r->status == 99 || r->status == 1);
	CHECK(num(r, "steps_skipped") > 0 || num(r, "scenario.steps_skipped") > 0);
}

static void test_http_templates(const char *url, struct run *r)
{
	char u[256];
	snprintf(u, sizeof(u), "%s/api/v2/tickets/{{rand:1:50}}", url);
	const char *args[] = {"http", u, "-n", "100", "-c", "2", "-q", NULL};
	run_bin(r, bin(), args);
	CHECK_INT(r->status, 0);
	CHECK(num(r, "status_counts.200") == 100);
}

int main(void)
{
	static struct trest s;
	static struct run r;
	char url[64];
	mkdir("/tmp/mcpload-suitecfg", 0777);
	CHECK(trest_start(&s));
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", s.port);
	test_own_service(&s, url, &r);
	test_init(url, &r);
	test_flow_file(&s, url, &r);
	test_http_templates(url, &r);
	T_DONE();
}
