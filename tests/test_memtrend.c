/*
 * memtrend and memsrc: size syntax, and the soak verdict on this process's own memory
 * with the sample times fed in: a steady process PASSes, one that grows
 * 16 MiB a "second" FAILs on its trend, a watched process that is gone FAILs.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cmd/opt.h"
#include "core/probe/memsrc.h"
#include "tests/t.h"

#define MIB (1024.0 * 1024.0)
#define SEC 1000000000ull

static void test_sizes(void)
{
	uint64_t b;
	CHECK_INT(units_size("50MB", &b), 0);
	CHECK(b == 50ull << 20);
	CHECK_INT(units_size("2GiB", &b), 0);
	CHECK(b == 2ull << 30);
	CHECK_INT(units_size("512k", &b), 0);
	CHECK(b == 512ull << 10);
	CHECK_INT(units_size("1.5M", &b), 0);
	CHECK(b == 3ull << 19);
	CHECK_INT(units_size("4096", &b), 0);
	CHECK(b == 4096);
	const char *bad[] = {"", "MB", "-1MB", "5XB", "10 MB", "nan", "1e300GB"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(units_size(bad[i], &b), -EINVAL);
}

/* Samples at t0 + k s; `grow` MiB allocated and touched before each. */
static void soak(struct memtrend *m, const struct memtrend_opts *o, unsigned grow, char **keep)
{
	uint64_t t0 = 1000 * SEC;
	CHECK_INT(memsrc_start(m, o, t0, 0, 10), 0);
	for (unsigned k = 1; k <= 5; k++) {
		if (grow) {
			keep[k] = malloc((size_t)grow << 20);
			if (keep[k])
				memset(keep[k], 0x5a, (size_t)grow << 20);
		}
		memsrc_tick(m, t0 + k * SEC);
	}
	memsrc_finish(m, t0 + 5 * SEC + SEC / 2);
}

static void test_verdicts(void)
{
	struct memtrend_opts o = {.server_pid = (int)getpid(), .growth_max_bytes = 50ull << 20};
	struct memtrend m;
	char *keep[8] = {0};
	soak(&m, &o, 0, keep);
	printf("  steady: %s, trend %+.2f MiB\n", verdict_name(m.verdict),
	       m.trend_growth_bytes / MIB);
	CHECK(m.verdict == VERDICT_PASS);
	CHECK(m.measured == 7 && m.failed == 0); /* start, 5 ticks, the last */
	CHECK(fabs(m.trend_growth_bytes) < 8 * MIB);
	CHECK(m.client_start_bytes > 0 && m.client_end_bytes > 0);
	CHECK(memtrend_near(&m, 3.0) == 3 && memtrend_near(&m, 3.4) == 3);
	CHECK(memtrend_near(&m, 99) == -1);
	memtrend_free(&m);

	soak(&m, &o, 16, keep);
	printf("  16 MiB/s: %s, slope %.1f MiB/s, trend %+.1f MiB: %s\n", verdict_name(m.verdict),
	       m.slope_bytes_per_s / MIB, m.trend_growth_bytes / MIB, m.reason);
	CHECK(m.verdict == VERDICT_FAIL);
	CHECK(m.slope_bytes_per_s > 12 * MIB && m.slope_bytes_per_s < 20 * MIB);
	CHECK(m.peak_bytes - m.start_bytes > 70 * MIB);
	memtrend_free(&m);
	for (unsigned k = 0; k < 8; k++)
		free(keep[k]);

	/* a peak bound */
	o.rss_max_bytes = 1 << 20;
	soak(&m, &o, 0, keep);
	CHECK(m.verdict == VERDICT_FAIL && strstr(m.reason, "peaked") != NULL);
	memtrend_free(&m);

	/* the process is gone (a reaped child's pid) */
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	o.server_pid = (int)child;
	o.rss_max_bytes = 0;
	CHECK(memsrc_check(&o, (char[128]){0}, 128) < 0);
	soak(&m, &o, 0, keep);
	CHECK(m.verdict == VERDICT_FAIL && m.gone);
	memtrend_free(&m);

	/* no server source: the client is still sampled, no verdict */
	struct memtrend_opts none = {.growth_max_bytes = 50ull << 20};
	soak(&m, &none, 0, keep);
	CHECK(m.verdict == VERDICT_NOT_MEASURED && !m.server && m.client_end_bytes > 0);
	memtrend_free(&m);
}

int main(void)
{
	test_sizes();
	test_verdicts();
	T_DONE();
}
