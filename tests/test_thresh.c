/*
 * Thresholds: every expression form parses to the metric, operator and
 * limit it says, bad ones are refused with a reason; judged on a built
 * result, latency counts the successful responses only, an errors
 * threshold every attempt, a label its own tally, and nothing to judge fails.
 */
#include <errno.h>
#include <stdlib.h>

#include "stats/thresh.h"
#include "tests/t.h"

static void test_parse(void)
{
	struct thresh t;
	char why[256];
	CHECK_INT(thresh_parse("p99<200ms", &t, why, sizeof(why)), 0);
	CHECK(t.metric == THRESH_PCT && t.pct == 99 && t.op == THRESH_LT && t.limit == 200);
	CHECK_INT(thresh_parse("p99.9 <= 1.5s", &t, why, sizeof(why)), 0);
	CHECK(t.pct == 99.9 && t.op == THRESH_LE && t.limit == 1500);
	CHECK_INT(thresh_parse("mean<250us", &t, why, sizeof(why)), 0);
	CHECK(t.metric == THRESH_MEAN && t.limit == 0.25);
	CHECK_INT(thresh_parse("errors<1%", &t, why, sizeof(why)), 0);
	CHECK(t.metric == THRESH_ERRORS && t.limit == 1);
	CHECK_INT(thresh_parse("rps>=95", &t, why, sizeof(why)), 0);
	CHECK(t.metric == THRESH_RPS && t.op == THRESH_GE && t.limit == 95);
	CHECK_INT(thresh_parse("tasks_next:p95<100", &t, why, sizeof(why)), 0);
	CHECK_STR(t.label, "tasks_next");
	CHECK(t.limit == 100 && t.metric == THRESH_PCT);
	CHECK_INT(thresh_parse("max>2ms", &t, why, sizeof(why)), 0);
	CHECK(t.metric == THRESH_MAX_MS && t.op == THRESH_GT && t.limit == 2);

	const char *bad[] = {"",	 "p99",	      "p99=200ms", "p0<1ms",	 "p101<1ms",
			     "q99<1ms",	 "p99<200xs", "errors<1x", "errors<101", "rps>fast",
			     ":p99<1ms", "p99<-1ms",  "latency<1", "errorsx<1",	 "p99<"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = 0;
		CHECK_INT(thresh_parse(bad[i], &t, why, sizeof(why)), -EINVAL);
		CHECK(strstr(why, "threshold '") == why);
	}
}

/* A result of n fast failures (404, 1 ms) and m slower successes (20 ms)
 * over one second, all under label 0 too. */
static void build(struct result *res, struct plan *p, uint64_t n, uint64_t m)
{
	struct tally *t = calloc(2, sizeof(*t));
	memset(res, 0, sizeof(*res));
	memset(p, 0, sizeof(*p));
	for (unsigned k = 0; k < 2; k++) {
		for (uint64_t i = 0; i < n; i++) {
			hist_record(&t[k].latency, 1000000);
			hist_record(&t[k].failed, 1000000);
			t[k].status[404]++;
		}
		for (uint64_t i = 0; i < m; i++) {
			hist_record(&t[k].latency, 20000000);
			t[k].status[200]++;
		}
		t[k].responses = n + m;
		t[k].ok = m;
	}
	res->total = &t[0];
	res->slots = &t[1];
	res->nslots = 1;
	res->elapsed_ns = 1000000000ull;
	p->nlabels = 1;
	p->labels[0].name = "claim";
	p->labels[0].slot = 0;
}

static void judge(const char *text, const struct result *res, const struct plan *p,
		  struct thresh *t)
{
	char why[256];
	CHECK_INT(thresh_parse(text, t, why, sizeof(why)), 0);
	thresh_judge(t, res, p);
}

static void test_judge(void)
{
	struct result res;
	static struct plan p;
	struct thresh t;

	build(&res, &p, 90, 10);
	/* the fast 404s do not make the latency: the 20 ms successes do */
	judge("p50<5ms", &res, &p, &t);
	CHECK(t.measured && !t.passed && t.requests == 10);
	CHECK(t.value >= 19.9 && t.value <= 20.1);
	judge("p99<25ms", &res, &p, &t);
	CHECK(t.measured && t.passed);
	judge("errors<1%", &res, &p, &t);
	CHECK(t.measured && !t.passed && t.requests == 100 && t.value == 90);
	judge("rps>=100", &res, &p, &t);
	CHECK(t.measured && t.passed && t.value == 100);
	judge("claim:max<=21ms", &res, &p, &t);
	CHECK(t.measured && t.passed && t.requests == 10);
	judge("nolabel:p99<1s", &res, &p, &t);
	CHECK(!t.measured && !t.passed);
	free(res.total);

	/* nothing succeeded: a latency threshold has nothing to judge, fails */
	build(&res, &p, 50, 0);
	judge("p99<1s", &res, &p, &t);
	CHECK(!t.measured && !t.passed && t.requests == 0);
	judge("errors<=100%", &res, &p, &t);
	CHECK(t.measured && t.passed);
	free(res.total);
}

int main(void)
{
	test_parse();
	test_judge();
	T_DONE();
}
