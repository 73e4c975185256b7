/*
 * The NFR suite end to end: `mcpload suite --smoke` ($MCPLOAD) against the
 * reference target ($MCPLOAD_TARGET): every NFR passes on default flags and
 * its report validates against docs/report.schema.json; each NFR turns FAIL
 * when the target is told to break it (slow tool, collisions, capacity,
 * slow resources), a WARNING inside the 5-10 % band, INCONCLUSIVE never on
 * a healthy run; exit codes 0/1/2 as documented; both MCP eras and SSE.
 */
#include "tests/tproc.h"
#include "tests/trun.h"
#include "tests/tschema.h"

static char schema[1 << 16];
static size_t schema_len;
/* the reference server's pre-MCP files (mcpload-target --write-files) */
static char files[] = "/tmp/mcpload-suite-files-XXXXXX";

static bool write_files(void)
{
	char cmd[512];
	const char *target =
	    getenv("MCPLOAD_TARGET") ? getenv("MCPLOAD_TARGET") : "build/mcpload-target";
	if (!mkdtemp(files))
		return false;
	snprintf(cmd, sizeof(cmd), "%s --write-files %s >/dev/null", target, files);
	return system(cmd) == 0;
}

static bool load_schema(void)
{
	int fd = open("docs/report.schema.json", O_RDONLY);
	if (fd < 0)
		return false;
	slurp(fd, schema, sizeof(schema));
	schema_len = strlen(schema);
	close(fd);
	return schema_len > 0;
}

static bool verdict_is(const struct run *r, unsigned i, const char *want)
{
	char path[32];
	snprintf(path, sizeof(path), "nfrs.%u.verdict", i);
	return str_is(r, path, want);
}

/* Run the suite against a fresh target started with `faults`. */
static void suite(struct run *r, const char *const faults[], const char *const extra[])
{
	struct target t;
	char url[64], pid[16];
	const char *args[24] = {
	    "suite", "--target", url, "--smoke", "-q", "--report-dir", "/tmp/mcpload-test-reports"};
	int n = 7;
	bool leak = false;
	for (int i = 0; faults && faults[i]; i++)
		leak |= !strcmp(faults[i], "--leak");
	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (!(leak ? start_leaking(&t, faults) : start(&t, faults)))
		return;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", t.port);
	snprintf(pid, sizeof(pid), "%d", (int)t.pid);
	for (int i = 0; extra && extra[i] && n < 22; i++)
		args[n++] = strcmp(extra[i], "{pid}") ? extra[i] : pid; /* the target's */
	args[n] = NULL;
	run_bin(r, mcpload(), args);
	stop(&t);
	if (r->report[0])
		unlink(r->report);
}

/* A healthy target's NFR passes; on a busy machine it may instead be
 * INCONCLUSIVE, but only for the client's own measured trouble (it waited
 * for its CPU, or the machine woke it late), never FAIL. */
static bool healthy(const struct run *r, unsigned i)
{
	char path[64];
	struct jsc_val v;
	if (verdict_is(r, i, "PASS"))
		return true;
	snprintf(path, sizeof(path), "nfrs.%u.inconclusive_reason", i);
	if (!verdict_is(r, i, "INCONCLUSIVE") || jsc_get(r->json, r->json_len, path, &v) != 0 ||
	    v.type != JSC_STRING)
		return false;
	bool ours = memmem(v.ptr, v.len, "for a CPU", 9) || memmem(v.ptr, v.len, "woke the", 8);
	printf("  NFR %u INCONCLUSIVE: %.*s\n", i, (int)v.len, v.ptr);
	return ours;
}

/* Exit 0, or 3 when every NFR that did not pass was held back by the
 * client's own trouble. */
static bool healthy_exit(const struct run *r, unsigned n)
{
	bool all = true;
	for (unsigned i = 0; i < n; i++) {
		bool ok = verdict_is(r, i, "NOT MEASURED") || healthy(r, i);
		if (!ok)
			printf("  NFR %u: not healthy:\n%s", i, r->out);
		all &= ok;
	}
	return all && (r->status == 0 || r->status == 3);
}

static void test_all_pass(void)
{
	struct run *r = calloc(1, sizeof(*r));
	struct tschema s;
	static const char *const with_files[] = {"--files", files, NULL};
	suite(r, NULL, with_files);
	printf("  default suite: exit %d\n%s", r->status, r->out);
	CHECK(healthy_exit(r, 5));
	CHECK(r->json_len > 0);
	CHECK(tschema_validate(&s, schema, schema_len, r->json, r->json_len));
	if (s.err[0])
		printf("  schema: %s\n", s.err);
	CHECK(str_is(r, "nfrs.0.id", "NFR-Performance-01"));
	CHECK(healthy(r, 0) && healthy(r, 1) && healthy(r, 3) && healthy(r, 4));
	CHECK(verdict_is(r, 2, "PASS")); /* token counts: no machine can make them worse */
	CHECK(num(r, "nfrs.2.tokens.reduction_pct") >= 40);
	CHECK(num(r, "nfrs.2.tokens.workflows_not_reduced") == 0);
	CHECK(str_is(r, "nfrs.2.tokens.workflows.9.name", "load-pattern-and-template"));
	CHECK(num(r, "nfrs.2.tokens.tool_list.tools") == 6);
	CHECK(str_is(r, "server.name", "mcpload-target"));
	CHECK(str_is(r, "server.protocol_version", "2026-07-28")); /* auto: modern first */
	CHECK(num(r, "summary.exit_code") == r->status &&
	      num(r, "summary.pass") + num(r, "summary.inconclusive") == 5);
	CHECK(num(r, "nfrs.0.cache.hit_rate_pct") > 70);
	CHECK(num(r, "nfrs.0.requests") > 500);
	CHECK(num(r, "nfrs.4.collisions") == 0 && num(r, "nfrs.4.expected_successes") == 100);
	CHECK(num(r, "nfrs.3.phases.0.rate_per_s") == 50);
	CHECK(num(r, "nfrs.3.phases.0.timeline.5.requests") > 80); /* 100 req/s */
	free(r);
}

static void test_legacy_sse(void)
{
	struct run *r = calloc(1, sizeof(*r));
	static const char *const sse[] = {"--response", "sse", NULL};
	static const char *const legacy[] = {"--mcp-version", "2025-11-25", "--only",
					     "NFR-02,NFR-05", NULL};
	suite(r, sse, legacy);
	CHECK(healthy_exit(r, 2));
	CHECK(str_is(r, "server.era", "legacy") &&
	      str_is(r, "server.protocol_version", "2025-11-25"));
	CHECK(healthy(r, 0) && healthy(r, 1));
	CHECK(num(r, "nfrs.0.requests") == 250); /* setup requests are not tool calls */
	free(r);
}

static void test_fail_cases(void)
{
	struct run *r = calloc(1, sizeof(*r));
	static const char *const slow[] = {"--bug", "slow-tool", "store_artifact", NULL};
	static const char *const nfr2[] = {"--only", "NFR-02", NULL};
	suite(r, slow, nfr2);
	CHECK_INT(r->status, 1);
	CHECK(verdict_is(r, 0, "FAIL"));
	CHECK(strstr(r->out, "one slow tool: tool store_artifact") != NULL);
	CHECK(num(r, "nfrs.0.measured") > 600);

	static const char *const coll[] = {"--bug", "id-collisions", NULL};
	static const char *const nfr5[] = {"--only", "NFR-05", NULL};
	suite(r, coll, nfr5);
	CHECK_INT(r->status, 1);
	CHECK(verdict_is(r, 0, "FAIL") && num(r, "nfrs.0.collisions") > 0);
	CHECK(strstr(r->out, "collisions: reserved id ranges overlapped") != NULL);

	static const char *const cap[] = {"--capacity", "50", NULL};
	static const char *const nfr4[] = {"--only", "NFR-04", NULL};
	suite(r, cap, nfr4);
	CHECK_INT(r->status, 1);
	CHECK(verdict_is(r, 0, "FAIL") && num(r, "nfrs.0.measured") > 200);
	CHECK(strstr(r->out, "server queueing") != NULL);

	static const char *const slowres[] = {"--delay", "resources=fixed:150ms", NULL};
	static const char *const nfr1[] = {"--only", "NFR-01", NULL};
	suite(r, slowres, nfr1);
	CHECK_INT(r->status, 1);
	CHECK(verdict_is(r, 0, "FAIL") && num(r, "nfrs.0.measured") >= 150);
	CHECK(strstr(r->out, "even cache hits are slow") != NULL);
	free(r);
}

static void test_warning_band(void)
{
	struct run *r = calloc(1, sizeof(*r));
	/* every MCP answer 530 ms late: p95 about 6 % over 500 ms, WARNING on
	 * a quiet machine; a busy one (the server's timers late too) may push
	 * the measured p95 over 550 ms, and then FAIL is the right verdict:
	 * the band is judged from the p95 this run measured */
	static const char *const slow[] = {"--delay", "mcp=fixed:530ms", NULL};
	static const char *const nfr2[] = {"--only", "NFR-02", NULL};
	suite(r, slow, nfr2);
	double p95 = num(r, "nfrs.0.measured");
	const char *want = p95 <= 550 ? "WARNING" : "FAIL";
	printf("  NFR-02 p95 %.1f ms: %s expected (INCONCLUSIVE if the client waited)\n", p95,
	       want);
	CHECK(p95 >= 530);
	CHECK(verdict_is(r, 0, want) || verdict_is(r, 0, "INCONCLUSIVE"));
	if (!verdict_is(r, 0, "INCONCLUSIVE"))
		CHECK_INT(r->status, p95 <= 550 ? 0 : 1);
	CHECK(strstr(r->out, "every tool is slow") != NULL || verdict_is(r, 0, "INCONCLUSIVE"));
	free(r);
}

/* A server that keeps its SSE stream open after the response: the call
 * ends at the response's event (latency far under the timeout), the stream
 * is closed by mcpload at --timeout and nothing counts as an error. */
static void test_open_stream(void)
{
	struct run *r = calloc(1, sizeof(*r));
	struct target t;
	static const char *const faults[] = {"--response", "sse", "--bug", "sse-open", NULL};
	char url[64];
	if (!r || !start(&t, faults)) {
		CHECK(false);
		free(r);
		return;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", t.port);
	const char *const args[] = {"run",	    "mcp-call",
				    "--target",	    url,
				    "--set",	    "name=reserve_id_range",
				    "--set",	    "args={\"artifact_type\":\"US\",\"count\":1}",
				    "-c",	    "2",
				    "--iterations", "3",
				    "--timeout",    "300ms",
				    "-q",	    NULL};
	run_bin(r, mcpload(), args);
	stop(&t);
	printf("  open stream: exit %d %s\n", r->status, r->err);
	CHECK_INT(r->status, 0);
	CHECK(num(r, "requests") == 6 && num(r, "errors.total") == 0);
	CHECK(num(r, "latency_ms.max") > 0 && num(r, "latency_ms.max") < 150);
	CHECK(num(r, "mcp.sse_responses") == 6);
	free(r);
}

/* Stages going down stop thinking users: each one DELETEs its legacy
 * session first, so every session opened is ended. */
static void test_ramp_down_sessions(void)
{
	struct run *r = calloc(1, sizeof(*r));
	struct target t;
	char url[64];
	if (!r || !start(&t, NULL)) {
		CHECK(false);
		free(r);
		return;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", t.port);
	const char *const args[] = {"run",
				    "mcp-call",
				    "--target",
				    url,
				    "--set",
				    "name=reserve_id_range",
				    "--set",
				    "args={\"artifact_type\":\"US\",\"count\":1}",
				    "--mcp-version",
				    "2025-11-25",
				    "--stage",
				    "1s:6",
				    "--stage",
				    "1s:2",
				    "--stage",
				    "1s:6",
				    "--stage",
				    "1s:0",
				    "--think",
				    "200ms:300ms",
				    "-q",
				    NULL};
	run_bin(r, mcpload(), args);
	stop(&t);
	printf("  ramp down: exit %d, %.0f sessions, %.0f ended\n", r->status,
	       num(r, "mcp.sessions"), num(r, "mcp.sessions_ended"));
	CHECK_INT(r->status, 0);
	CHECK(num(r, "mcp.sessions") >= 10); /* 6, then 4 new after the dip */
	CHECK(num(r, "mcp.sessions_ended") == num(r, "mcp.sessions"));
	CHECK(num(r, "errors.total") == 0);
	free(r);
}

/* suite --full: the benchmark phases first, then the NFRs; each phase's
 * figures in the report; the memory phase FAILs on a leaking server and
 * is NOT MEASURED without a source; --profile sets the load phase. */
static void test_full(void)
{
	struct run *r = calloc(1, sizeof(*r));
	struct tschema s;
	static const char *const full[] = {"--full",  "--server-pid", "{pid}",
					   "--files", files,	      NULL};
	suite(r, NULL, full);
	printf("  suite --full: exit %d\n%s", r->status, r->status ? r->out : "");
	CHECK(healthy_exit(r, 10));
	CHECK(tschema_validate(&s, schema, schema_len, r->json, r->json_len));
	if (s.err[0])
		printf("  schema: %s\n", s.err);
	CHECK(str_is(r, "nfrs.0.id", "BENCH-baseline") && str_is(r, "nfrs.4.id", "BENCH-memory"));
	CHECK(str_is(r, "nfrs.5.id", "NFR-Performance-01"));
	for (unsigned i = 0; i < 5; i++)
		CHECK(healthy(r, i));
	CHECK(str_is(r, "nfrs.1.profile", "normal"));
	CHECK(num(r, "nfrs.1.achieved_requests_per_s") > 4.25); /* normal: 5 requests/s */
	/* one user's first sweep reads each of the 34 resources once */
	CHECK(num(r, "nfrs.2.cold_latency_ms.count") == 34);
	CHECK(num(r, "nfrs.2.warm_latency_ms.count") == 68);
	CHECK(str_is(r, "nfrs.3.stress.verdict", "NOT REACHED")); /* held to the cap */
	CHECK(num(r, "nfrs.3.stress.steps.0.offered_iterations_per_s") == 2);
	CHECK(num(r, "nfrs.3.criteria.0.measured") > 150);
	CHECK(num(r, "nfrs.4.memory.samples") >= 5 && num(r, "nfrs.4.memory.peak_bytes") > 1e6);
	if (num(r, "summary.pass") + num(r, "summary.inconclusive") != 10)
		printf("  suite --full: not 10 PASS or INCONCLUSIVE:\n%s", r->out);
	CHECK(num(r, "summary.pass") + num(r, "summary.inconclusive") == 10);

	/* a leak of 512 KiB per request at storm's 30 requests/s */
	static const char *const leak[] = {"--leak", "524288", NULL};
	static const char *const mem[] = {"--only", "memory", "--server-pid", "{pid}", "--profile",
					  "storm",  NULL};
	suite(r, leak, mem);
	printf("  --leak 512KiB, memory phase: exit %d, growth %.0f MiB\n", r->status,
	       num(r, "nfrs.0.criteria.0.measured"));
	CHECK_INT(r->status, 1);
	CHECK(verdict_is(r, 0, "FAIL") && num(r, "nfrs.0.criteria.0.measured") > 50);
	CHECK(str_is(r, "nfrs.0.profile", "storm"));

	static const char *const nosrc[] = {"--only", "memory", NULL};
	suite(r, NULL, nosrc);
	CHECK_INT(r->status, 3); /* nothing judged: CI must not read it as a pass */
	CHECK(verdict_is(r, 0, "NOT MEASURED"));
	CHECK(strstr(r->json, "give --server-pid") != NULL);
	static const char *const peak[] = {"--only", "load", "--profile", "peak", NULL};
	suite(r, NULL, peak);
	double got = num(r, "nfrs.0.achieved_requests_per_s");
	printf("  --profile peak, load phase: exit %d, %.1f requests/s\n", r->status, got);
	CHECK(r->status == 0 || r->status == 3);
	CHECK(str_is(r, "nfrs.0.profile", "peak") && got > 0.85 * 15 && got < 1.15 * 15);
	free(r);
}

/* The report r loaded, written to path (suite() removes its own). */
static void keep(const struct run *r, const char *path)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fwrite(r->json, 1, r->json_len, f);
		fclose(f);
	}
}

/* NFR-03 against the reference server: the files counted now and a
 * recorded baseline give the same figures; a workflow that costs more
 * through MCP than its files FAILs with its finding; a baseline in another
 * encoding is INCONCLUSIVE; a --files that is not a directory is refused. */
static void test_tokens(void)
{
	struct run *r = calloc(1, sizeof(*r));
	char base[600], conf[600], mine[600];
	snprintf(base, sizeof(base), "%s/baseline.json", files);
	const char *const record[] = {"tokens", "--baseline", "--files", files, "-o", base, NULL};
	run_bin(r, mcpload(), record);
	CHECK_INT(r->status, 0);
	CHECK(strstr(r->err, "write-prd (3 files)") != NULL);
	static const char *const counted[] = {"--only", "NFR-03", "--files", files, NULL};
	suite(r, NULL, counted);
	double now = num(r, "nfrs.0.tokens.baseline_tokens");
	CHECK_INT(r->status, 0);
	CHECK(verdict_is(r, 0, "PASS") && now > 100000);
	char ten[600], two[600];
	snprintf(ten, sizeof(ten), "%s/ten.json", files);
	snprintf(two, sizeof(two), "%s/two.json", files);
	keep(r, ten);
	const char *const recorded[] = {"--only", "NFR-03", "--baseline", base, NULL};
	suite(r, NULL, recorded);
	CHECK_INT(r->status, 0);
	CHECK(num(r, "nfrs.0.tokens.baseline_tokens") == now);
	CHECK(strstr(r->json, "(recorded 20") != NULL);

	/* one workflow whose MCP way returns more than its file holds */
	snprintf(mine, sizeof(mine), "%s/small.md", files);
	FILE *f = fopen(mine, "w");
	if (f) {
		fputs("# next\nTASK-0001\n", f);
		fclose(f);
	}
	snprintf(conf, sizeof(conf), "%s/s.toml", files);
	f = fopen(conf, "w");
	if (f) {
		fprintf(f,
			"[nfr03]\nfiles_dir = \".\"\n"
			"[[nfr03.workflow]]\nname = \"guide\"\nfiles = [\"CLAUDE.md\", "
			"\"prompts/CLAUDE/python/*.md\"]\ncall = [{ resource = \"sdlc://core\" }]\n"
			"[[nfr03.workflow]]\nname = \"next\"\nfiles = [\"small.md\"]\n"
			"call = [{ tool = \"get_next_task\" }]\n");
		fclose(f);
	}
	const char *const worse[] = {"--only", "NFR-03", "--config", conf, NULL};
	suite(r, NULL, worse);
	printf("  a workflow that costs more through MCP: exit %d\n", r->status);
	CHECK_INT(r->status, 1);
	CHECK(verdict_is(r, 0, "FAIL") && num(r, "nfrs.0.criteria.1.measured") == 1);
	CHECK(num(r, "nfrs.0.criteria.0.measured") > 40); /* the total alone would pass */
	CHECK(strstr(r->json, "workflow next: MCP ") != NULL);
	/* compare: the ten workflows' MCP tokens after these two's is a
	 * regression of NFR-03's figure (a count: no noise to hide in) */
	keep(r, two);
	const char *const cmp[] = {"compare", two, ten, NULL};
	run_bin(r, mcpload(), cmp);
	CHECK_INT(r->status, 1);
	CHECK(strstr(r->out, "NFR-Performance-03 MCP tokens") != NULL);
	CHECK(strstr(r->out, "REGRESSION") != NULL);
	unlink(ten);
	unlink(two);

	f = fopen(conf, "w");
	if (f) {
		fprintf(f, "[nfr03]\nencoding = \"o200k_base\"\nbaseline = \"baseline.json\"\n"
			   "[[nfr03.workflow]]\nname = \"write-prd\"\nfiles = [\"CLAUDE.md\"]\n"
			   "call = [{ resource = \"sdlc://core\" }]\n");
		fclose(f);
	}
	suite(r, NULL, worse);
	CHECK_INT(r->status, 3);
	CHECK(verdict_is(r, 0, "INCONCLUSIVE"));
	CHECK(strstr(r->json, "was counted in cl100k_base, the workflows ask for o200k_base"));

	const char *const notdir[] = {"suite",	 "--target", "http://127.0.0.1:9",
				      "--files", base,	     NULL};
	run_bin(r, mcpload(), notdir);
	CHECK_INT(r->status, 2);
	CHECK(strstr(r->err, "is not a directory") != NULL);
	const char *const nofiles[] = {"tokens", "--baseline", "-o", base, NULL};
	run_bin(r, mcpload(), nofiles);
	CHECK_INT(r->status, 2);
	CHECK(strstr(r->err, "--baseline needs --files") != NULL);
	unlink(mine);
	unlink(conf);
	unlink(base);
	free(r);
}

static void test_usage(void)
{
	struct run *r = calloc(1, sizeof(*r));
	static const char *const notarget[] = {"suite", "--smoke", NULL};
	static const char *const badonly[] = {"suite",	"--target", "http://127.0.0.1:9",
					      "--only", "NFR-9",    NULL};
	static const char *const badver[] = {"suite",	      "--target", "http://127.0.0.1:9",
					     "--mcp-version", "1999",	  NULL};
	static const char *const down[] = {
	    "suite", "--target", "http://127.0.0.1:9", "--only", "NFR-04", "-q", NULL};
	run_bin(r, mcpload(), notarget);
	CHECK_INT(r->status, 2);
	CHECK(strstr(r->err, "missing --target") != NULL);
	run_bin(r, mcpload(), badonly);
	CHECK_INT(r->status, 2);
	run_bin(r, mcpload(), badver);
	CHECK_INT(r->status, 2);
	static const char *const badprof[] = {"suite",	   "--target", "http://127.0.0.1:9",
					      "--profile", "calm",     NULL};
	static const char *const badpid[] = {"suite",	     "--target",   "http://127.0.0.1:9",
					     "--server-pid", "2147483647", NULL};
	run_bin(r, mcpload(), badprof);
	CHECK_INT(r->status, 2);
	run_bin(r, mcpload(), badpid);
	CHECK_INT(r->status, 2);
	CHECK(strstr(r->err, "no such process") != NULL);
	run_bin(r, mcpload(), down); /* nothing listens on port 9 */
	CHECK_INT(r->status, 1);
	CHECK(strstr(r->err, "cannot connect") != NULL);
	free(r);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	CHECK(load_schema());
	CHECK(write_files());
	test_usage();
	test_tokens();
	test_all_pass();
	test_legacy_sse();
	test_fail_cases();
	test_warning_band();
	test_open_stream();
	test_ramp_down_sessions();
	test_full();
	char rm[600];
	snprintf(rm, sizeof(rm), "rm -rf %s", files);
	CHECK(system(rm) == 0);
	T_DONE();
}
