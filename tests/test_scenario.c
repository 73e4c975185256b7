/*
 * Scenarios end to end: `mcpload run` ($MCPLOAD, and $MCPLOAD_ASAN for the
 * memory checks) against the reference target ($MCPLOAD_TARGET), read back
 * through its --json report: the weighted mix, captures flowing between
 * steps, skipped steps, spawn rate, think time, stage ramps (open and
 * closed), the disjointness check, --set, and usage errors.
 */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "protocol/jsc.h"
#include "tests/tproc.h"
#include "tests/trun.h"

/* Index of the label called name in the report, or -1. */
static int label(const struct run *r, const char *name)
{
	char path[64];
	for (int i = 0; i < 32; i++) {
		snprintf(path, sizeof(path), "labels.%d.label", i);
		if (str_is(r, path, name))
			return i;
	}
	return -1;
}

static double lnum(const struct run *r, const char *name, const char *field)
{
	char path[128];
	snprintf(path, sizeof(path), "labels.%d.%s", label(r, name), field);
	return num(r, path);
}

static double tl(const struct run *r, int second, const char *field)
{
	char path[64];
	snprintf(path, sizeof(path), "timeline.%d.%s", second, field);
	return num(r, path);
}

static void url_of(const struct target *t, char *buf, size_t n)
{
	snprintf(buf, n, "http://127.0.0.1:%u", t->port);
}

static void test_usage(void)
{
	static struct run r;
	const char *list[] = {"list", NULL};
	run_bin(&r, mcpload(), list);
	CHECK_INT(r.status, 0);
	CHECK(strstr(r.out, "rest-resources") && strstr(r.out, "task-api") &&
	      strstr(r.out, "id-reservation-rest"));
	const char *unknown[] = {"run", "no-such", "--target", "http://127.0.0.1:1", NULL};
	run_bin(&r, mcpload(), unknown);
	CHECK_INT(r.status, 2);
	CHECK(strstr(r.err, "unknown scenario 'no-such'") != NULL);
	const char *noset[] = {"run",	"task-api", "--target", "http://127.0.0.1:1",
			       "--set", "nope=1",   NULL};
	run_bin(&r, mcpload(), noset);
	CHECK_INT(r.status, 2);
	CHECK(strstr(r.err, "no variable 'nope'") != NULL);
	const char *notarget[] = {"run", "task-api", NULL};
	run_bin(&r, mcpload(), notarget);
	CHECK_INT(r.status, 2);
	CHECK(strstr(r.err, "missing --target") != NULL);
	const char *body[] = {"run", "task-api", "--target", "http://127.0.0.1:1", "-b", "x", NULL};
	run_bin(&r, mcpload(), body);
	CHECK_INT(r.status, 2);
	const char *stage[] = {"run",	  "task-api", "--target", "http://127.0.0.1:1",
			       "--stage", "10s",      NULL};
	run_bin(&r, mcpload(), stage);
	CHECK_INT(r.status, 2);
	const char *runopt[] = {"http", "http://127.0.0.1:1/", "--users", "3", NULL};
	run_bin(&r, mcpload(), runopt);
	CHECK_INT(r.status, 2);
}

/* 20 users x 500 iterations with no think time: each task's share within
 * 2 points of 5:4:2:1 (the smallest, 1/12 over 10,000, has sigma 0.28). */
static void test_mix(const struct target *t)
{
	static struct run r;
	char url[64];
	url_of(t, url, sizeof(url));
	const char *args[] = {
	    "run", "rest-resources", "--target", url,  "-c", "20", "--spawn-rate", "0", "--think",
	    "0",   "--iterations",   "500",	 "-q", NULL};
	run_bin(&r, mcpload(), args);
	CHECK_INT(r.status, 0);
	CHECK(num(&r, "scenario.iterations") == 10000);
	CHECK(num(&r, "requests") == 10000);
	static const struct {
		const char *label;
		double share;
	} want[] = {{"sdlc_core", 5 / 12.0},
		    {"patterns", 4 / 12.0},
		    {"templates", 2 / 12.0},
		    {"template_list", 1 / 12.0}};
	for (int i = 0; i < 4; i++) {
		double share = lnum(&r, want[i].label, "requests") / 10000;
		if (fabs(share - want[i].share) > 0.02)
			printf("  %s share %.4f, want %.4f\n", want[i].label, share, want[i].share);
		CHECK(fabs(share - want[i].share) <= 0.02);
	}
	/* the split: a hit and a miss share that add up, misses present (the
	 * first request of every resource misses) */
	double hit = lnum(&r, "patterns", "split.0.requests");
	double miss = lnum(&r, "patterns", "split.1.requests");
	CHECK(hit + miss == lnum(&r, "patterns", "requests"));
	CHECK(miss >= 1 && hit > miss);
	CHECK(str_is(&r, "labels.0.split.0.value", "HIT"));
}

/* GET /tasks/next -> capture id -> PUT /tasks/{id}/status: the target says
 * every update named a task it handed out (in the response and /metrics). */
static void test_captures(const struct target *t)
{
	static struct run r;
	static struct reply m;
	char url[64];
	url_of(t, url, sizeof(url));
	const char *args[] = {"run", "task-api", "--target", url,  "-R",
			      "200", "-d",	 "2",	     "-q", NULL};
	run_bin(&r, mcpload(), args);
	/* 3: the pacing self-check saw a late wake-up (two VMs' worth of
	 * threads on two vCPUs); captures are what this test is about */
	CHECK(r.status == 0 || r.status == 3);
	double next = lnum(&r, "tasks_next", "requests");
	double put = lnum(&r, "task_status", "requests");
	CHECK(next >= 380 && next <= 420);
	CHECK(put >= next - 5 && put <= next);
	CHECK(lnum(&r, "task_status", "errors.check") == 0);
	CHECK(lnum(&r, "task_status", "errors.total") == 0);
	CHECK(num(&r, "scenario.captures_failed") == 0);
	CHECK(num(&r, "scenario.steps_skipped") == 0);
	CHECK_INT(once(t, "GET", "/metrics", NULL, &m), 200);
	CHECK(strstr(m.body, "task_status_updates_unissued_total 0\n") != NULL);
}

/* A failed GET leaves task_id unset: its PUT is skipped and counted, never
 * sent with an empty id. */
static void test_skipped(void)
{
	static struct run r;
	static struct target t;
	char url[64];
	const char *extra[] = {"--error-rate", "0.3", NULL};
	if (!start(&t, extra)) {
		CHECK(!"target started");
		return;
	}
	url_of(&t, url, sizeof(url));
	const char *args[] = {"run", "task-api", "--target", url,  "-R",
			      "200", "-d",	 "2",	     "-q", NULL};
	run_bin(&r, mcpload(), args);
	stop(&t);
	CHECK(r.status == 0 || r.status == 3); /* as in test_captures */
	double failed = lnum(&r, "tasks_next", "errors.status_5xx");
	double skipped = num(&r, "scenario.steps_skipped");
	double next = lnum(&r, "tasks_next", "requests");
	double put = lnum(&r, "task_status", "requests");
	CHECK(failed > 60);
	CHECK(skipped <= failed && skipped >= failed - 5);
	CHECK(lnum(&r, "task_status", "skipped") == skipped);
	CHECK(put >= next - failed - 5 && put <= next - failed);
}

/* 20 users at 10/s: all running 1.9 s after the start (N/R = 2 s, +-10 %). */
static void test_spawn(const struct target *t)
{
	static struct run r;
	char url[64];
	url_of(t, url, sizeof(url));
	const char *args[] = {
	    "run", "rest-resources", "--target",   url,	 "-c", "20", "--spawn-rate",
	    "10",  "--think",	     "50ms:100ms", "-d", "3",  "-q", NULL};
	run_bin(&r, mcpload(), args);
	CHECK_INT(r.status, 0);
	double s = num(&r, "scenario.all_users_started_s");
	if (fabs(s - 2.0) > 0.2)
		printf("  all users started at %.3f s\n", s);
	CHECK(fabs(s - 2.0) <= 0.2);
	CHECK(tl(&r, 0, "users") <= 11);
	CHECK(tl(&r, 2, "users") == 20);
}

/* 100 users thinking uniform 100-300 ms: ~2,000 pauses, whose mean, median
 * and p90 match the uniform distribution (sigma of each about 1.3-2.2 ms). */
static void test_think(const struct target *t)
{
	static struct run r;
	char url[64];
	url_of(t, url, sizeof(url));
	const char *args[] = {
	    "run", "rest-resources", "--target",    url,  "-c", "100", "--spawn-rate",
	    "0",   "--think",	     "100ms:300ms", "-d", "4",	"-q",  NULL};
	run_bin(&r, mcpload(), args);
	CHECK_INT(r.status, 0);
	double n = num(&r, "scenario.think_ms.count");
	double mean = num(&r, "scenario.think_ms.mean");
	double p50 = num(&r, "scenario.think_ms.p50");
	double p90 = num(&r, "scenario.think_ms.p90");
	double lo = num(&r, "scenario.think_ms.min");
	double hi = num(&r, "scenario.think_ms.max");
	/* a pause taken is the one drawn plus the thread's wake-up delay: on
	 * a busy machine the run's own measured wait for a CPU (mean per
	 * wake-up) widens the upper margins, and the maximum is not held */
	double wait = num(&r, "client.cpu_wait_pct") >= 1 ? num(&r, "client.cpu_wait_mean_ms") : 0;
	bool quiet = wait == 0;
	printf("  think: n %.0f mean %.1f p50 %.1f p90 %.1f min %.1f max %.1f ms; client wait %.2f "
	       "ms a wake-up\n",
	       n, mean, p50, p90, lo, hi, wait);
	CHECK(n >= 1500);
	CHECK(mean >= 190 && mean <= 210 + 3 * wait);
	CHECK(p50 >= 185 && p50 <= 215 + 3 * wait);
	CHECK(p90 >= 265 && p90 <= 295 + 3 * wait);
	CHECK(lo >= 100); /* never shorter than asked */
	if (quiet)
		CHECK(hi <= 310);
}

/* Open model ramp 0 -> 200 iterations/s over 2 s, then 200/s for 2 s:
 * iterations started per second 50, 150, 200, 200, each within 5 %. */
static void test_open_ramp(const struct target *t)
{
	static struct run r;
	char url[64];
	static const double plan[] = {50, 150, 200, 200};
	url_of(t, url, sizeof(url));
	const char *args[] = {"run",	"task-api", "--target", url,  "--stage",
			      "2s:200", "--stage",  "2s:200",	"-q", NULL};
	for (int attempt = 0; attempt < 2; attempt++) {
		bool ok = true;
		run_bin(&r, mcpload(), args);
		for (int s = 0; s < 4; s++) {
			double got = tl(&r, s, "sent");
			ok &= fabs(got - plan[s]) <= 0.05 * plan[s];
			if (fabs(got - plan[s]) > 0.05 * plan[s])
				printf("  second %d: %.0f started, plan %.0f\n", s, got, plan[s]);
		}
		ok &= tl(&r, 1, "stage") == 1 && tl(&r, 2, "stage") == 2;
		/* a disturbed run (the generator says so: exit 3) gets one more
		 * try; twice disturbed (this VM's timer bursts) the schedule must
		 * still have been kept to 5 %, which is what is tested here */
		if ((ok && r.status == 0) || r.status != 3 || attempt == 1) {
			CHECK(ok);
			CHECK(r.status == 0 || (r.status == 3 && attempt == 1));
			break;
		}
	}
	CHECK(fabs(num(&r, "scenario.iterations") - 600) <= 2);
}

/* Closed model stages: up to 10 users in 1 s, hold, down to 2. */
static void test_closed_stages(const struct target *t)
{
	static struct run r;
	char url[64];
	url_of(t, url, sizeof(url));
	const char *args[] = {"run",	 "rest-resources", "--target", url,
			      "--think", "20ms:20ms",	   "--stage",  "1s:10",
			      "--stage", "1s:10",	   "--stage",  "500ms:2",
			      "--stage", "1500ms:2",	   "-q",       NULL};
	run_bin(&r, mcpload(), args);
	CHECK_INT(r.status, 0);
	CHECK(num(&r, "scenario.users") == 10);
	CHECK(tl(&r, 0, "users") >= 9 && tl(&r, 0, "users") <= 10);
	CHECK(tl(&r, 1, "users") == 10);
	CHECK(tl(&r, 3, "users") == 2);
	CHECK(tl(&r, 3, "stage") == 4);
}

static void test_disjoint(const char *bin, const struct target *good, const struct target *bad)
{
	static struct run r;
	char url[64];
	url_of(good, url, sizeof(url));
	const char *args[] = {"run", "id-reservation-rest", "--target", url, "-q", NULL};
	run_bin(&r, bin, args);
	CHECK_INT(r.status, 0);
	CHECK(str_is(&r, "checks.0.verdict", "PASS"));
	CHECK(num(&r, "checks.0.values") == 50);
	CHECK(num(&r, "checks.0.collisions") == 0);
	CHECK(lnum(&r, "reserve", "requests") == 50);
	CHECK(lnum(&r, "reserve", "status_counts.200") == 50);
	CHECK(lnum(&r, "reserve", "bytes_out") > 50 * 100);

	url_of(bad, url, sizeof(url));
	const char *bargs[] = {"run", "id-reservation-rest", "--target", url, NULL};
	run_bin(&r, bin, bargs);
	CHECK_INT(r.status, 1);
	CHECK(str_is(&r, "checks.0.verdict", "FAIL"));
	CHECK(num(&r, "checks.0.collisions") >= 1);
	CHECK(num(&r, "checks.0.examples.0.a_start") == num(&r, "checks.0.examples.0.b_start") ||
	      num(&r, "checks.0.examples.0.b_start") <= num(&r, "checks.0.examples.0.a_end"));
	CHECK(strstr(r.out, "FAIL") != NULL);
	CHECK(strstr(r.err, "post-run check") != NULL);

	url_of(good, url, sizeof(url));
	const char *sargs[] = {"run",	"id-reservation-rest", "--target", url, "--set", "count=3",
			       "--set", "artifact_type=EPIC",  "-q",	   NULL};
	run_bin(&r, bin, sargs);
	CHECK_INT(r.status, 0);
	CHECK(str_is(&r, "scenario.variables.count", "3"));
	CHECK(str_is(&r, "checks.0.verdict", "PASS"));
}

int main(void)
{
	static struct target t, bad;
	const char *collide[] = {"--bug", "id-collisions", NULL};
	test_usage();
	signal(SIGPIPE, SIG_IGN);
	if (!start(&t, NULL) || !start(&bad, collide)) {
		CHECK(!"targets started");
		T_DONE();
	}
	test_mix(&t);
	test_captures(&t);
	test_skipped();
	test_spawn(&t);
	test_think(&t);
	test_open_ramp(&t);
	test_closed_stages(&t);
	test_disjoint(mcpload(), &t, &bad);
	if (getenv("MCPLOAD_ASAN"))
		test_disjoint(getenv("MCPLOAD_ASAN"), &t, &bad);
	stop(&t);
	stop(&bad);
	T_DONE();
}
