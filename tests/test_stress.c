/*
 * The breaking-point search (mcpload stress) against mcpload-target
 * --capacity N: the knee found within 15 % of N on a REST and an MCP
 * scenario, a starved client ending INCONCLUSIVE instead of blaming the
 * server, and bad flags refused. And mcpload compare: two clean runs are
 * no regression, a run against a --delay target is; and the load
 * profiles run at their pool and rate.
 */
#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "tests/tproc.h"
#include "tests/trun.h"

/* Pin pid (0: this process) to one CPU; false when there is no such CPU. */
static bool pin(pid_t pid, int cpu)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	return sched_setaffinity(pid, sizeof(s), &s) == 0;
}

/* One search against a target limited to `capacity` responses/s. */
static void knee(const char *scenario, unsigned capacity, const char *const extra[])
{
	struct run *r = calloc(1, sizeof(*r));
	struct target t;
	char cap[16], url[64];
	snprintf(cap, sizeof(cap), "%u", capacity);
	const char *const faults[] = {"--capacity", cap, NULL};
	if (!r || !start(&t, faults)) {
		CHECK(false);
		free(r);
		return;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", t.port);
	const char *args[24] = {"stress", scenario, "--target", url, "--start",
				"40",	  "--step", "1s",	"-q"};
	int n = 9;
	for (int i = 0; extra && extra[i] && n < 22; i++)
		args[n++] = extra[i];
	args[n] = NULL;
	uint64_t t0 = clock_now_ns();
	run_bin(r, mcpload(), args);
	double secs = (double)(clock_now_ns() - t0) / 1e9;
	stop(&t);
	double got = num(r, "max_sustainable.requests_per_s");
	printf("  %s, capacity %u/s: exit %d, knee %.0f requests/s in %.0f s: %s", scenario,
	       capacity, r->status, got, secs, r->out);
	/* on a busy machine the search may stop at the generator's own
	 * measured trouble (INCONCLUSIVE, exit 3), never with a wrong knee */
	bool client = r->status == 3 && str_is(r, "verdict", "INCONCLUSIVE") &&
		      strstr(r->out, "the generator") != NULL;
	CHECK(r->status == 0 || client);
	CHECK(str_is(r, "verdict", "FOUND") || client);
	if (!client)
		CHECK(got >= 0.85 * capacity && got <= 1.15 * capacity);
	CHECK(secs < 90);
	CHECK(num(r, "steps.0.offered_iterations_per_s") == 40);
	/* every step carries its generator self-check */
	double on_time = num(r, "steps.0.generator.applied_on_time_pct");
	CHECK(on_time > 0 && on_time <= 100);
	CHECK(num(r, "steps.0.generator.busiest_thread_busy_pct") >= 0);
	free(r);
}

/* The client gets a sliver of its CPU (niced, beside a busy loop on the
 * same core): the generator cannot keep any schedule, and the search says
 * so rather than finding a "breaking point" of the idle server. */
/* Closed model: the search steps users; at capacity C req/s a user waits
 * about users / C, so the p99 bound of 200 ms breaks near 0.2 C users. */
static void test_closed(void)
{
	static const char *const cap[] = {"--capacity", "600", NULL};
	struct run *r = calloc(1, sizeof(*r));
	struct target t;
	char url[64];
	if (!r || !start(&t, cap)) {
		CHECK(false);
		free(r);
		return;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", t.port);
	const char *const args[] = {"stress", "task-api", "--model", "closed", "--target", url,
				    "--step", "1s",	  "-t",	     "1",      "-q",	   NULL};
	run_bin(r, mcpload(), args);
	stop(&t);
	double users = num(r, "max_sustainable.users"),
	       rps = num(r, "max_sustainable.requests_per_s");
	printf("  closed model, capacity 600/s: exit %d, %.0f users at %.0f requests/s\n",
	       r->status, users, rps);
	CHECK_INT(r->status, 0);
	CHECK(str_is(r, "model", "closed") && str_is(r, "verdict", "FOUND"));
	CHECK(num(r, "steps.0.generator.applied_on_time_pct") == -1e300); /* no schedule */
	/* a client held back from its CPU in a step sees a slower server:
	 * the bands hold when no step measured that */
	bool held = false;
	for (unsigned i = 0; i < 32; i++) {
		char k[64];
		snprintf(k, sizeof(k), "steps.%u.generator.cpu_wait_pct", i);
		held |= num(r, k) >= 1;
	}
	if (held)
		printf("  the client waited for a CPU: the knee's bands not held\n");
	CHECK(held || (users >= 0.85 * 120 && users <= 1.15 * 120));
	CHECK(held || (rps >= 0.85 * 600 && rps <= 1.15 * 600));
	free(r);
}

static void test_starved(void)
{
	struct run *r = calloc(1, sizeof(*r));
	struct target t;
	char url[64];
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2 || !r) {
		printf("  starved client: needs 2 CPUs, skipped\n");
		free(r);
		return;
	}
	if (!start(&t, NULL)) {
		CHECK(false);
		free(r);
		return;
	}
	pin(t.pid, 1);
	pid_t busy = fork();
	if (busy == 0) {
		pin(0, 0);
		alarm(20); /* never outlive the test */
		for (;;)
			;
	}
	cpu_set_t mine;
	sched_getaffinity(0, sizeof(mine), &mine);
	int prio = getpriority(PRIO_PROCESS, 0);
	pin(0, 0);
	setpriority(PRIO_PROCESS, 0, 19); /* inherited by mcpload */
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", t.port);
	const char *const args[] = {"stress", "task-api", "--target", url,  "--start",
				    "5000",   "--step",	  "2s",	      "-c", "500",
				    "-t",     "1",	  "-q",	      NULL};
	run_bin(r, mcpload(), args);
	setpriority(PRIO_PROCESS, 0, prio);
	sched_setaffinity(0, sizeof(mine), &mine);
	kill(busy, SIGKILL);
	waitpid(busy, NULL, 0);
	stop(&t);
	printf("  starved client: exit %d: %s", r->status, r->out);
	CHECK_INT(r->status, 3);
	CHECK(str_is(r, "verdict", "INCONCLUSIVE"));
	CHECK(strstr(r->out, "generator") != NULL);
	free(r);
}

/* One 4-s task-api run at 100 iterations/s into `out`. */
static bool task_run(const struct target *t, const char *out)
{
	char url[64], cmd[256];
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", t->port);
	snprintf(cmd, sizeof(cmd), "%s run task-api --target %s -R 100 -d 4s -q --json %s",
		 mcpload(), url, out);
	int rc = system(cmd);
	/* 3: the generator was late on this VM; the figures are still written */
	return WIFEXITED(rc) && (WEXITSTATUS(rc) == 0 || WEXITSTATUS(rc) == 3) &&
	       access(out, R_OK) == 0;
}

/* Three 2-s task-api runs at 100 iterations/s (--repeat 3) into `out`. */
static bool repeat_run(const struct target *t, const char *out)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd),
		 "%s run task-api --target http://127.0.0.1:%u -R 100 -d 2s --repeat 3 -q "
		 "--json %s",
		 mcpload(), t->port, out);
	int rc = system(cmd);
	return WIFEXITED(rc) && (WEXITSTATUS(rc) == 0 || WEXITSTATUS(rc) == 3) &&
	       access(out, R_OK) == 0;
}

static void test_compare(void)
{
	struct run *r = calloc(1, sizeof(*r));
	struct target clean, slow;
	/* 50 ms: more than a busy machine's own waits can add to a run */
	static const char *const delay[] = {"--delay", "tasks=fixed:50ms", NULL};
	/* this process's own files: two test trees may run at once */
	char a[64], b[64], d[64], old[64], ra[64], rb[64], rd[64];
	snprintf(a, sizeof(a), "/tmp/mcpload-cmp-%d-a.json", (int)getpid());
	snprintf(b, sizeof(b), "/tmp/mcpload-cmp-%d-b.json", (int)getpid());
	snprintf(d, sizeof(d), "/tmp/mcpload-cmp-%d-d.json", (int)getpid());
	snprintf(old, sizeof(old), "/tmp/mcpload-cmp-%d-old.json", (int)getpid());
	snprintf(ra, sizeof(ra), "/tmp/mcpload-cmp-%d-ra.json", (int)getpid());
	snprintf(rb, sizeof(rb), "/tmp/mcpload-cmp-%d-rb.json", (int)getpid());
	snprintf(rd, sizeof(rd), "/tmp/mcpload-cmp-%d-rd.json", (int)getpid());
	if (!r || !start(&clean, NULL) || !start(&slow, delay)) {
		CHECK(false);
		free(r);
		return;
	}
	CHECK(task_run(&clean, a) && task_run(&clean, b) && task_run(&slow, d));
	stop(&clean);
	stop(&slow);
	const char *const same[] = {"compare", a, b, NULL};
	run_bin(r, mcpload(), same);
	printf("  compare two clean runs: exit %d\n%s", r->status, r->status ? r->out : "");
	/* on a busy machine the clients' own waits can move the latency:
	 * then it says so (exit 3), never a regression */
	CHECK(r->status == 0 || (r->status == 3 && strstr(r->out, "in doubt")));
	CHECK(strstr(r->out, "0 regressions") != NULL);
	const char *const worse[] = {"compare", a, d, NULL};
	run_bin(r, mcpload(), worse);
	CHECK_INT(r->status, 1);
	CHECK(strstr(r->out, "all p50 ms") && strstr(r->out, "REGRESSION"));
	/* an older report without labels or timeline still compares */
	FILE *f = fopen(old, "w");
	if (f) {
		fputs("{\"latency_us\":{\"p50\":100,\"p99\":400},\"requests_per_s\":10}\n", f);
		fclose(f);
	}
	const char *const older[] = {"compare", old, a, NULL};
	run_bin(r, mcpload(), older);
	printf("  compare with an older report: exit %d\n%s%s", r->status, r->out, r->err);
	/* a busy machine's late generator in run a: in doubt (3), said so */
	CHECK(r->status == 0 || r->status == 1 || (r->status == 3 && strstr(r->out, "in doubt")));
	CHECK(strstr(r->out, "3 figures compared") != NULL);
	/* --repeat reports: the noise is the spread between the runs */
	struct target c2, s2;
	if (start(&c2, NULL) && start(&s2, delay)) {
		CHECK(repeat_run(&c2, ra) && repeat_run(&c2, rb) && repeat_run(&s2, rd));
		stop(&c2);
		stop(&s2);
		const char *const rsame[] = {"compare", ra, rb, NULL};
		run_bin(r, mcpload(), rsame);
		printf("  compare two clean --repeat 3 reports: exit %d\n%s", r->status,
		       r->status ? r->out : "");
		CHECK(r->status == 0 || (r->status == 3 && strstr(r->out, "in doubt")));
		CHECK(strstr(r->out, "3 repeated runs and 3 repeated runs") != NULL);
		const char *const rworse[] = {"compare", ra, rd, NULL};
		run_bin(r, mcpload(), rworse);
		CHECK_INT(r->status, 1);
		CHECK(strstr(r->out, "all p50 ms") && strstr(r->out, "REGRESSION"));
	} else {
		CHECK(false);
	}
	unlink(ra);
	unlink(rb);
	unlink(rd);
	unlink(a);
	unlink(b);
	unlink(d);
	unlink(old);
	free(r);
}

/* Each profile's pool and request rate, as the seed's table has them
 * (spike: a third at 5 requests/s, then 100: 68.3 on average). */
static void test_profiles(void)
{
	static const struct {
		const char *name;
		double users, rps;
	} want[] = {{"normal", 10, 5},
		    {"peak", 25, 15},
		    {"storm", 50, 30},
		    {"stress", 100, 50},
		    {"spike", 150, 205.0 / 3}};
	struct run *r = calloc(1, sizeof(*r));
	struct target t;
	char url[64];
	if (!r || !start(&t, NULL)) {
		CHECK(false);
		free(r);
		return;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", t.port);
	for (unsigned i = 0; i < 5; i++) {
		const char *const args[] = {
		    "run",	 "mcp-call",
		    "--target",	 url,
		    "--set",	 "name=reserve_id_range",
		    "--set",	 "args={\"artifact_type\":\"US\",\"count\":1}",
		    "--profile", want[i].name,
		    "-d",	 "3s",
		    "-q",	 NULL};
		run_bin(r, mcpload(), args);
		double rps = num(r, "requests_per_s");
		printf("  --profile %s: exit %d, %.0f users, %.1f requests/s\n", want[i].name,
		       r->status, num(r, "connections"), rps);
		/* 3: the generator was late on this VM; the load was still applied */
		CHECK(r->status == 0 || r->status == 3);
		CHECK(num(r, "connections") == want[i].users);
		/* fewer responses in the window only when this run measured
		 * the client held back (late, or waiting for a CPU) */
		bool held = r->status == 3 || num(r, "client.cpu_wait_pct") >= 1;
		CHECK(rps < 1.15 * want[i].rps);
		CHECK(rps > 0.85 * want[i].rps || (held && rps > 0.5 * want[i].rps));
		CHECK(str_is(r, "scenario.model", "open"));
	}
	/* --repeat: each run's figures, their mean and CV */
	const char *const rep[] = {"run", "task-api", "--target", url, "-R", "50",
				   "-d",  "1s",	      "--repeat", "3", "-q", NULL};
	run_bin(r, mcpload(), rep);
	printf("  --repeat 3: exit %d, CV of requests/s %.1f %%\n", r->status,
	       num(r, "repeat.cv_pct.requests_per_s"));
	CHECK(r->status == 0 || r->status == 3);
	CHECK(num(r, "repeat.runs_done") == 3 && num(r, "repeat.runs.2.requests_per_s") > 90);
	CHECK(num(r, "repeat.mean.requests_per_s") > 90 &&
	      num(r, "repeat.cv_pct.latency_ms.p99") >= 0);
	CHECK(num(r, "repeat.cv_pct.requests_per_s") < 5); /* the rate is the generator's */
	const char *const both[] = {"run",   "task-api", "--target", url, "--profile",
				    "storm", "-R",	 "5",	     NULL};
	run_bin(r, mcpload(), both);
	CHECK_INT(r->status, 2);
	stop(&t);
	free(r);
}

/* A soak's memory finding: a target that leaks FAILs, a clean one PASSes
 * (from /proc and from its /metrics), and a server that dies is a FAIL. */
static void test_memory(void)
{
	static const char *const leak[] = {"--leak", "65536", NULL};
	struct run *r = calloc(1, sizeof(*r));
	struct target clean, leaky;
	char url[64], murl[80], pid[16];
	if (!r || !start_leaking(&leaky, leak) || !start(&clean, NULL)) {
		CHECK(false);
		free(r);
		return;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", leaky.port);
	snprintf(pid, sizeof(pid), "%d", (int)leaky.pid);
	const char *const soak[] = {"run", "task-api", "--target",     url, "-R", "200", "-d",
				    "6s",  "-q",       "--server-pid", pid, NULL};
	run_bin(r, mcpload(), soak);
	printf("  --leak 64KiB: exit %d, server memory %s, trend %+.1f MiB\n", r->status,
	       strstr(r->json, "\"FAIL\"") ? "FAIL" : "not FAIL",
	       num(r, "server_memory.trend_growth_bytes") / 1048576);
	CHECK_INT(r->status, 1);
	CHECK(str_is(r, "server_memory.verdict", "FAIL"));
	CHECK(num(r, "server_memory.trend_growth_bytes") > 50 * 1048576.0);
	CHECK(num(r, "server_memory.samples") >= 6);
	CHECK(num(r, "timeline.3.server_rss_bytes") > num(r, "timeline.0.server_rss_bytes"));
	CHECK(num(r, "client.rss_end_bytes") > 0 && num(r, "client.rss_start_bytes") > 0);
	CHECK(strstr(r->err, "FAIL - server memory grew") != NULL);

	snprintf(url, sizeof(url), "http://127.0.0.1:%u", clean.port);
	snprintf(murl, sizeof(murl), "%s/metrics", url);
	snprintf(pid, sizeof(pid), "%d", (int)clean.pid);
	const char *const by_pid[] = {"run", "task-api", "--target",	 url, "-R", "200", "-d",
				      "6s",  "-q",	 "--server-pid", pid, NULL};
	const char *const by_url[] = {"run", "task-api", "--target",	  url,	"-R", "200", "-d",
				      "6s",  "-q",	 "--metrics-url", murl, NULL};
	const char *const *clean_runs[] = {by_pid, by_url};
	for (unsigned i = 0; i < 2; i++) {
		run_bin(r, mcpload(), clean_runs[i]);
		printf("  clean target (%s): exit %d, trend %+.2f MiB\n", i ? "metrics" : "pid",
		       r->status, num(r, "server_memory.trend_growth_bytes") / 1048576);
		CHECK(r->status == 0 || r->status == 3);
		CHECK(str_is(r, "server_memory.verdict", "PASS"));
		CHECK(num(r, "timeline.2.server_rss_bytes") > 1e6);
	}
	/* the server process ends two seconds in */
	pid_t killer = fork();
	if (killer == 0) {
		sleep(2);
		kill(clean.pid, SIGKILL);
		_exit(0);
	}
	run_bin(r, mcpload(), by_pid);
	waitpid(killer, NULL, 0);
	printf("  server killed mid-run: exit %d\n", r->status);
	CHECK_INT(r->status, 1);
	CHECK(str_is(r, "server_memory.verdict", "FAIL"));
	CHECK(strstr(r->err, "exited during the run") != NULL);
	waitpid(clean.pid, NULL, 0); /* killed above: no clean stop to check */
	stop(&leaky);
	free(r);
}

static void test_usage(void)
{
	struct run *r = calloc(1, sizeof(*r));
	const char *const none[] = {"stress", "task-api", NULL};
	const char *const factor[] = {"stress",	  "task-api", "--target", "http://127.0.0.1:1",
				      "--factor", "1",	      NULL};
	const char *const step[] = {"stress", "task-api", "--target", "http://127.0.0.1:1",
				    "--step", "10ms",	  NULL};
	const char *const pct[] = {"stress",	   "task-api", "--target", "http://127.0.0.1:1",
				   "--max-errors", "150",      NULL};
	const char *const pid[] = {"run",	   "task-api",	 "--target", "http://127.0.0.1:1",
				   "--server-pid", "2147483647", NULL};
	const char *const size[] = {
	    "run", "task-api", "--target", "http://127.0.0.1:1", "--mem-growth-max", "5XB", NULL};
	const char *const *bad[] = {none, factor, step, pct, pid, size};
	for (unsigned i = 0; r && i < 6; i++) {
		run_bin(r, mcpload(), bad[i]);
		CHECK_INT(r->status, 2);
		CHECK(strncmp(r->err, "mcpload: ", 9) == 0 &&
		      strchr(r->err, '\n') == r->err + strlen(r->err) - 1);
	}
	const char *const scn[] = {"stress", "no-such", "--target", "http://127.0.0.1:1", NULL};
	run_bin(r, mcpload(), scn);
	CHECK(r->status == 1 || r->status == 2);
	free(r);
}

int main(void)
{
	static const char *const mcp[] = {"--set", "name=reserve_id_range", "--set",
					  "args={\"artifact_type\":\"US\",\"count\":1}", NULL};
	signal(SIGPIPE, SIG_IGN);
	test_usage();
	test_memory();
	knee("task-api", 600, NULL);
	knee("task-api", 1500, NULL);
	knee("mcp-call", 800, mcp);
	test_closed();
	test_starved();
	test_compare();
	test_profiles();
	T_DONE();
}
