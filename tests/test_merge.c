/*
 * Shards and their merge: the split adds up (quotient and remainder, users
 * numbered without a gap or an overlap); three shards of one run started on
 * a common instant against the reference target merge into one report
 * whose requests are the shards' sum and whose p99 is the p99 of their
 * histograms added (not an average of their p99s); a missing shard is
 * named (exit 3); shards of another run or a shard twice are refused
 * (exit 2); a shard started after its run's end sends nothing (the target
 * saw no request); --shard from Slurm's environment.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <dirent.h>
#include <math.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "core/cmd/shard.h"
#include "scenarios/scn.h"
#include "stats/hdr.h"
#include "stats/ltl.h"
#include "tests/tproc.h"
#include "tests/trun.h"

static void test_split(void)
{
	bool ok = true;
	for (unsigned n = 1; n <= 9; n++)
		for (uint64_t total = n; total <= 60; total++) {
			uint64_t sum = 0;
			for (unsigned i = 0; i < n; i++) {
				struct shard s = {i, n, "t"};
				ok &= shard_first(&s, total) == sum;
				ok &= shard_part(&s, total) >= total / n;
				sum += shard_part(&s, total);
			}
			ok &= sum == total;
		}
	CHECK(ok);
	struct shard s;
	char why[256];
	CHECK_INT(shard_parse("2/4", &s, why, sizeof(why)), 0);
	CHECK(s.index == 2 && s.count == 4);
	CHECK(shard_parse("4/4", &s, why, sizeof(why)) < 0);
	CHECK(shard_parse("1/0", &s, why, sizeof(why)) < 0);
	CHECK(shard_parse("-1/4", &s, why, sizeof(why)) < 0);
	CHECK(shard_parse("1/4x", &s, why, sizeof(why)) < 0);
	struct scn_shape sh = {.model = SCN_CLOSED, .users = 10, .spawn_rate = 4};
	uint64_t base;
	s = (struct shard){3, 4, "t"};
	CHECK_INT(shard_shape(&s, &sh, &base, why, sizeof(why)), 0);
	CHECK(sh.users == 2 && base == 8 && sh.spawn_rate == 1);
	sh.users = 3;
	CHECK(shard_shape(&s, &sh, &base, why, sizeof(why)) < 0 && strstr(why, "4 shards for 3"));
	uint64_t ns;
	CHECK_INT(shard_start_at_parse("2026-12-03T00:10:00Z", &ns, why, sizeof(why)), 0);
	CHECK(ns == 1796256600ull * 1000000000ull);
	CHECK_INT(shard_start_at_parse("2026-12-03T01:10:00.5+01:00", &ns, why, sizeof(why)), 0);
	CHECK(ns == 1796256600ull * 1000000000ull + 500000000ull);
	CHECK_INT(shard_start_at_parse("1796256600.25", &ns, why, sizeof(why)), 0);
	CHECK(ns == 1796256600ull * 1000000000ull + 250000000ull);
	CHECK(shard_start_at_parse("2026-12-03T00:10:00", &ns, why, sizeof(why)) < 0);
	CHECK(shard_start_at_parse("soon", &ns, why, sizeof(why)) < 0);
}

/* Run mcpload with args in the background; its pid. */
static pid_t spawn(const char *const args[])
{
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[40];
		int n = 0;
		argv[n++] = (char *)mcpload();
		for (int i = 0; args[i] && n < 38; i++)
			argv[n++] = (char *)args[i];
		argv[n] = NULL;
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		alarm(60);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static int reap(pid_t pid)
{
	int st = 0;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static bool load(struct run *r, const char *path)
{
	int fd = open(path, O_RDONLY);
	memset(r, 0, sizeof(*r));
	if (fd < 0)
		return false;
	slurp(fd, r->json, sizeof(r->json));
	r->json_len = strlen(r->json);
	close(fd);
	return r->json_len > 0;
}

/* The p99 (ms) of the shards' distributions added bucket by bucket. */
static double p99_added(struct run *shards, unsigned n)
{
	struct hist *sum = calloc(1, sizeof(*sum)), *one = calloc(1, sizeof(*one));
	double p = -1;
	for (unsigned i = 0; sum && one && i < n; i++) {
		struct jsc_val v;
		if (jsc_get(shards[i].json, shards[i].json_len, "latency_distribution.histogram",
			    &v) != 0 ||
		    hdr_decode_base64(v.ptr, v.len, one) != 0)
			goto out;
		hist_merge(sum, one);
	}
	if (sum)
		p = (double)hist_percentile_ns(sum, 99) / 1e6;
out:
	free(sum);
	free(one);
	return p;
}

/* Shard 1 of the same run started while its server is away: its report
 * carries its stamp, and the merge names it as failed, not as a stranger. */
static void failed_shard(const char *url, const char *at, char files[3][64])
{
	struct run *m = calloc(1, sizeof(*m));
	const char *f = "/tmp/mcpload-merge-failed.json";
	const char *args[] = {"http", url,	     "-R",	"300",	   "-d",  "2s",
			      "-c",   "6",	     "-q",	"--shard", "1/3", "--start-at",
			      at,     "--threshold", "p99<60s", "--json",  f,	  NULL};
	const char *merge[] = {"merge", "/tmp/mcpload-merged.json", files[0], f, files[2], NULL};
	if (!m) {
		CHECK(false);
		return;
	}
	CHECK_INT(reap(spawn(args)), 1);
	CHECK(load(m, f) && str_is(m, "shard.status", "failed"));
	run_bin(m, mcpload(), merge);
	CHECK_INT(m->status, 3);
	CHECK(strstr(m->err, "expected 3 shards, got 2: 1 did not run (failed)") != NULL);
	unlink(f);
	free(m);
}

/* Second s of label 0 in the merge against the shards' own histograms of
 * that second added: requests equal and p99 equal (the top of the same
 * 2-digit bucket), not an average of the shards' p99s. */
static bool second_exact(struct run *shards, unsigned n, const struct run *m, unsigned s)
{
	uint64_t *sum = calloc(LTL_COUNTS, sizeof(*sum)), *one = calloc(LTL_COUNTS, sizeof(*one));
	uint64_t total = 0, seen = 0, want = 0, requests = 0;
	char path[96];
	bool ok = sum && one;
	for (unsigned i = 0; ok && i < n; i++) {
		struct jsc_val v;
		uint64_t t;
		snprintf(path, sizeof(path), "labels.0.timeline.%u.histogram", s);
		ok = jsc_get(shards[i].json, shards[i].json_len, path, &v) == 0 &&
		     hdr_decode_counts_base64(v.ptr, v.len, LTL_DIGITS, one, LTL_COUNTS, &t) == 0;
		for (unsigned k = 0; ok && k < LTL_COUNTS; k++)
			sum[k] += one[k];
		total += t;
		snprintf(path, sizeof(path), "labels.0.timeline.%u.requests", s);
		requests += (uint64_t)num(&shards[i], path);
	}
	for (unsigned k = 0; ok && k < LTL_COUNTS; k++)
		if (sum[k] && (seen += sum[k]) * 100 >= total * 99 && !want)
			want = ltl_bucket_high_ns(k);
	snprintf(path, sizeof(path), "labels.0.timeline.%u.p99_ms", s);
	double got = num(m, path);
	snprintf(path, sizeof(path), "labels.0.timeline.%u.requests", s);
	printf("  merged second %u: %.0f requests (shards %llu), p99 %.6f ms, the shards' "
	       "histograms of that second added %.6f ms\n",
	       s, num(m, path), (unsigned long long)requests, got, (double)want / 1e6);
	ok = ok && total == requests && num(m, path) == (double)requests &&
	     fabs(got - (double)want / 1e6) < 1e-6;
	free(sum);
	free(one);
	return ok;
}

static void test_merge(void)
{
	struct target t;
	struct run *r = calloc(4, sizeof(*r)), *m = calloc(1, sizeof(*m));
	char url[96], at[32], files[3][64];
	if (!r || !m || !start(&t, NULL)) {
		CHECK(false);
		free(r);
		free(m);
		return;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/health", t.port);
	snprintf(at, sizeof(at), "%.3f", (double)shard_now_unix_ns() / 1e9 + 1.5);
	char first_at[32];
	snprintf(first_at, sizeof(first_at), "%s", at);
	pid_t pids[3];
	for (unsigned i = 0; i < 3; i++) {
		char shard[16];
		snprintf(shard, sizeof(shard), "%u/3", i);
		snprintf(files[i], sizeof(files[i]), "/tmp/mcpload-merge-%u.json", i);
		const char *args[] = {"http",	url,	      "-R", "300",	   "-d",
				      "2s",	"-c",	      "6",  "-q",	   "--shard",
				      shard,	"--start-at", at,   "--threshold", "p99<60s",
				      "--json", files[i],     NULL};
		pids[i] = spawn(args);
	}
	for (unsigned i = 0; i < 3; i++) {
		/* 3: a busy machine woke a shard's generator late; it still ran */
		int st = reap(pids[i]);
		CHECK(st == 0 || st == 3);
	}
	for (unsigned i = 0; i < 3; i++)
		CHECK(load(&r[i], files[i]));
	const char *out_first[] = {"merge",
				   "/tmp/mcpload-merged.json",
				   files[0],
				   files[1],
				   files[2],
				   "--junit",
				   "/tmp/mcpload-merged.xml",
				   "--hdr-log",
				   "/tmp/mcpload-merged.hlog",
				   "--html",
				   "/tmp/mcpload-merged.html",
				   "--csv",
				   "/tmp/mcpload-merged",
				   NULL};
	run_bin(m, mcpload(), out_first);
	printf("  merge of 3 shards: exit %d\n%s%s", m->status, m->out, m->err);
	/* 3: a busy machine woke a shard's generator late, and the merge says so */
	bool behind = m->status == 3 && strstr(m->err, "INCONCLUSIVE - shard ") != NULL;
	CHECK(m->status == 0 || behind);
	CHECK(load(m, "/tmp/mcpload-merged.json"));
	double sum = num(&r[0], "requests") + num(&r[1], "requests") + num(&r[2], "requests");
	CHECK(num(m, "requests") == sum && sum >= 3 * 200);
	CHECK(num(m, "labels.0.requests") == sum);
	CHECK(num(m, "shards.merged") == 3 &&
	      str_is(m, "verdict", behind ? "INCONCLUSIVE" : "PASS"));
	double p99 = num(m, "latency_ms.p99"), want = p99_added(r, 3);
	printf("  merged p99 %.6f ms, the shards' histograms added %.6f ms; shard p99s %.3f %.3f "
	       "%.3f; start skew %.3f ms\n",
	       p99, want, num(&r[0], "latency_ms.p99"), num(&r[1], "latency_ms.p99"),
	       num(&r[2], "latency_ms.p99"), num(m, "shards.start_skew_ms"));
	CHECK(fabs(p99 - want) < 1e-6);
	CHECK(num(m, "shards.start_skew_ms") >= 0 && num(m, "shards.start_skew_ms") < 2000);
	CHECK(str_is(m, "thresholds.0.verdict", "PASS"));
	/* each second of the merge is its shards' second added, exactly */
	CHECK(second_exact(r, 3, m, 0));
	CHECK(second_exact(r, 3, m, 1));
	CHECK(num(m, "timeline.0.shards") == 3);
	CHECK(num(m, "timeline.0.requests") + num(m, "timeline.1.requests") +
		  num(m, "timeline.2.requests") ==
	      sum);
	struct run *x = calloc(1, sizeof(*x));
	/* the merged run's pages: the HTML report and Locust's CSV */
	if (x && load(x, "/tmp/mcpload-merged.html")) {
		CHECK(strstr(x->json, "mcpload merged report") != NULL);
		CHECK(strstr(x->json, "3 of 3 merged") != NULL);
		CHECK(strstr(x->json, "id=\"chart-latency-0\"") != NULL);
	} else {
		CHECK(false);
	}
	if (x && load(x, "/tmp/mcpload-merged_stats.csv")) {
		char want_row[96];
		snprintf(want_row, sizeof(want_row), "GET,/health,%.0f,0,", sum);
		CHECK(strstr(x->json, want_row) != NULL);
	} else {
		CHECK(false);
	}
	CHECK(access("/tmp/mcpload-merged_stats_history.csv", R_OK) == 0 &&
	      access("/tmp/mcpload-merged_failures.csv", R_OK) == 0);
	for (unsigned i = 0; i < 3; i++) {
		static const char *const csv[] = {"stats", "stats_history", "failures"};
		char path[64];
		snprintf(path, sizeof(path), "/tmp/mcpload-merged_%s.csv", csv[i]);
		unlink(path);
	}
	unlink("/tmp/mcpload-merged.html");
	if (x && load(x, "/tmp/mcpload-merged.xml")) {
		CHECK(strstr(x->json, "name=\"every shard merged\"") != NULL);
		CHECK(strstr(x->json, "name=\"p99&lt;60s\"") ||
		      strstr(x->json, "name=\"p99<60s\""));
		/* errors: a busy machine may leave the generator's check INCONCLUSIVE */
		CHECK(strstr(x->json, "failures=\"0\"") != NULL);
	} else {
		CHECK(false);
	}
	/* the merged histograms as an interval log: the run and its label */
	if (x && load(x, "/tmp/mcpload-merged.hlog")) {
		CHECK(strstr(x->json, "\n0.000,") != NULL);
		CHECK(strstr(x->json, "\nTag=/health,0.000,") != NULL);
	} else {
		CHECK(false);
	}
	free(x);
	unlink("/tmp/mcpload-merged.xml");
	unlink("/tmp/mcpload-merged.hlog");
	/* a shard whose generator missed its schedule: the merge is in doubt too */
	if (load(m, files[1])) { /* (a busy machine may have done it already) */
		char *sat_at = strstr(m->json, "\"saturated\": false");
		FILE *f = fopen("/tmp/mcpload-merge-sat.json", "w");
		if (sat_at && f) {
			fwrite(m->json, 1, (size_t)(sat_at - m->json), f);
			fputs("\"saturated\": true", f);
			fputs(sat_at + strlen("\"saturated\": false"), f);
		} else if (f)
			fputs(m->json, f);
		if (f)
			fclose(f);
		CHECK(sat_at || strstr(m->json, "\"saturated\": true"));
		const char *sat[] = {"merge",  "/tmp/mcpload-merged.json",
				     files[0], "/tmp/mcpload-merge-sat.json",
				     files[2], NULL};
		run_bin(m, mcpload(), sat);
		CHECK_INT(m->status, 3);
		CHECK(strstr(m->err, "INCONCLUSIVE - shard ") != NULL);
		unlink("/tmp/mcpload-merge-sat.json");
	}
	/* one missing: named, INCONCLUSIVE */
	const char *two[] = {"merge", "/tmp/mcpload-merged.json", files[0], files[2], NULL};
	run_bin(m, mcpload(), two);
	CHECK_INT(m->status, 3);
	CHECK(strstr(m->err, "expected 3 shards, got 2: 1 is missing") != NULL);
	/* the same shard twice, another run */
	const char *twice[] = {"merge", "/tmp/mcpload-merged.json", files[0], files[0], NULL};
	run_bin(m, mcpload(), twice);
	CHECK_INT(m->status, 2);
	CHECK(strstr(m->err, "shard 0 is there twice") != NULL);
	const char *other[] = {"http",
			       url,
			       "-n",
			       "21",
			       "-c",
			       "3",
			       "-q",
			       "--shard",
			       "1/3",
			       "--json",
			       "/tmp/mcpload-merge-x.json",
			       NULL};
	CHECK_INT(reap(spawn(other)), 0);
	const char *mixed[] = {"merge", "/tmp/mcpload-merged.json", files[0],
			       "/tmp/mcpload-merge-x.json", NULL};
	run_bin(m, mcpload(), mixed);
	CHECK_INT(m->status, 2);
	CHECK(strstr(m->err, "a shard of another run") != NULL);

	/* a shard that comes after its run's end (a recreated pod) sends nothing */
	snprintf(at, sizeof(at), "%.3f", (double)shard_now_unix_ns() / 1e9 - 30);
	const char *late[] = {"http", url,  "-R",      "300", "-d",	    "2s", "-c",
			      "6",    "-q", "--shard", "2/3", "--start-at", at,	  NULL};
	run_bin(m, mcpload(), late);
	CHECK_INT(m->status, 3);
	CHECK(str_is(m, "shard.status", "after_end") && num(m, "requests") == 0);
	CHECK(strstr(m->err, "after the run's end: no load sent") != NULL);
	int fd = dial(&t);
	CHECK(fd >= 0);
	if (fd >= 0) {
		/* the target counted only the three shards' requests to /health */
		struct reply *resp = calloc(1, sizeof(*resp));
		if (resp && exchange(fd, "GET", "/metrics", NULL, resp)) {
			char want_line[160];
			snprintf(want_line, sizeof(want_line),
				 "mcp_http_requests_total{route=\"health\",code=\"200\"} %.0f",
				 sum + 7); /* and the other run's shard 1 of 3 of 21 */
			CHECK(strstr(resp->body, want_line) != NULL);
		}
		free(resp);
		close(fd);
	}
	/* the shard from Slurm's environment */
	setenv("SLURM_PROCID", "1", 1);
	setenv("SLURM_NTASKS", "2", 1);
	const char *env[] = {"http", url, "-n", "10", "-c", "2", "-q", NULL};
	run_bin(m, mcpload(), env);
	CHECK_INT(m->status, 0);
	CHECK(str_is(m, "shard.from", "SLURM_PROCID/SLURM_NTASKS") && num(m, "shard.index") == 1 &&
	      num(m, "requests") == 5);
	setenv("SLURM_PROCID", "2", 1);
	run_bin(m, mcpload(), env);
	CHECK_INT(m->status, 2);
	unsetenv("SLURM_PROCID");
	unsetenv("SLURM_NTASKS");
	stop(&t);
	/* a shard that could not reach the server: named as failed */
	snprintf(at, sizeof(at), "%s", first_at);
	failed_shard(url, at, files);
	for (unsigned i = 0; i < 3; i++)
		unlink(files[i]);
	unlink("/tmp/mcpload-merged.json");
	unlink("/tmp/mcpload-merge-x.json");
	free(r);
	free(m);
}

/* Under a seccomp filter that refuses io_uring_setup (as Docker's and
 * containerd's default profiles do), mcpload says so in one line. */
static void test_seccomp(void)
{
	int err[2];
	char buf[1024] = "", url[96];
	struct target t;
	if (!start(&t, NULL) || pipe(err)) {
		CHECK(false);
		return;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/health", t.port);
	pid_t pid = fork();
	if (pid == 0) {
		struct sock_filter f[] = {
		    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
		    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
		    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog prog = {sizeof(f) / sizeof(f[0]), f};
		dup2(err[1], 2);
		close(err[0]);
		alarm(30);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
			_exit(126);
		execl(mcpload(), mcpload(), "http", url, "-n", "1", "-q", NULL);
		_exit(127);
	}
	close(err[1]);
	slurp(err[0], buf, sizeof(buf));
	close(err[0]);
	int st = reap(pid);
	stop(&t);
	printf("  io_uring refused by seccomp: exit %d: %s", st, buf);
	CHECK_INT(st, 1);
	CHECK(strstr(buf, "seccomp profile blocks io_uring") != NULL);
}

/* Two shards of one breaking-point search: every step judged on both
 * shards' reports added up, so both take the same steps to the same end;
 * a step's requests are the sum of the shards'. One shard alone is left
 * waiting for the other and says which one did not report. */
static void test_stress_shards(void)
{
	struct target t;
	char base[96], at[32], dir[] = "/tmp/mcpload-sync-XXXXXX", out[2][64], step[600];
	struct run *r = calloc(3, sizeof(*r));
	if (!r || !start(&t, NULL) || !mkdtemp(dir)) {
		CHECK(false);
		free(r);
		return;
	}
	snprintf(base, sizeof(base), "http://127.0.0.1:%u", t.port);
	snprintf(at, sizeof(at), "%.3f", (double)shard_now_unix_ns() / 1e9 + 1.0);
	pid_t pids[2];
	for (unsigned i = 0; i < 2; i++) {
		char shard[16];
		snprintf(shard, sizeof(shard), "%u/2", i);
		snprintf(out[i], sizeof(out[i]), "%s/search-%u.json", dir, i);
		const char *args[] = {"stress", "task-api",   "--target", base,		"--start",
				      "40",	"--factor",   "2",	  "--max-rate", "80",
				      "--step", "1s",	      "--p99",	  "60s",	"--shard",
				      shard,	"--start-at", at,	  "--sync-dir", dir,
				      "--json", out[i],	      "-q",	  NULL};
		pids[i] = spawn(args);
	}
	int st0 = reap(pids[0]), st1 = reap(pids[1]);
	CHECK(st0 == st1 && (st0 == 0 || st0 == 3)); /* 3: a busy machine's generator */
	CHECK(load(&r[0], out[0]) && load(&r[1], out[1]));
	CHECK(str_is(&r[0], "verdict", st0 == 0 ? "NOT REACHED" : "INCONCLUSIVE"));
	CHECK(num(&r[0], "shard.count") == 2 && num(&r[1], "shard.index") == 1);
	for (unsigned k = 0; st0 == 0 && k < 2; k++) {
		char path[64];
		double sum = 0;
		snprintf(path, sizeof(path), "steps.%u.requests", k);
		CHECK(num(&r[0], path) == num(&r[1], path));
		DIR *d = opendir(dir);
		struct dirent *e;
		while (d && (e = readdir(d)))
			for (unsigned i = 0; i < 2; i++) {
				char want[32];
				snprintf(want, sizeof(want), "-step%u-shard%u.json", k, i);
				size_t n = strlen(e->d_name), w = strlen(want);
				if (n > w && !strcmp(e->d_name + n - w, want)) {
					snprintf(step, sizeof(step), "%s/%s", dir, e->d_name);
					CHECK(load(&r[2], step));
					sum += num(&r[2], "requests");
					unlink(step);
				}
			}
		if (d)
			closedir(d);
		snprintf(path, sizeof(path), "steps.%u.requests", k);
		printf("  sharded search, step %u: %.0f requests judged = the shards' %.0f\n", k,
		       num(&r[0], path), sum);
		CHECK(sum > 0 && num(&r[0], path) == sum);
	}
	/* shard 1 never comes: shard 0 says so after the tolerance and its grace */
	snprintf(at, sizeof(at), "%.3f", (double)shard_now_unix_ns() / 1e9 + 0.5);
	const char *alone[] = {"stress",
			       "task-api",
			       "--target",
			       base,
			       "--start",
			       "40",
			       "--step",
			       "1s",
			       "--shard",
			       "0/2",
			       "--start-at",
			       at,
			       "--start-tolerance",
			       "0.2s",
			       "--sync-dir",
			       dir,
			       "--json",
			       out[0],
			       "-q",
			       NULL};
	CHECK_INT(reap(spawn(alone)), 3);
	CHECK(load(&r[0], out[0]) && str_is(&r[0], "verdict", "INCONCLUSIVE"));
	CHECK(strstr(r[0].json, "shard 1 did not report the step") != NULL);
	/* usage: a sharded search without its directory */
	const char *nodir[] = {"stress", "task-api",   "--target", base, "--shard",
			       "0/2",	 "--start-at", at,	   NULL};
	run_bin(&r[1], mcpload(), nodir);
	CHECK_INT(r[1].status, 2);
	CHECK(strstr(r[1].err, "--sync-dir DIR") != NULL);
	stop(&t);
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0);
	free(r);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_split();
	test_merge();
	test_stress_shards();
	test_seccomp();
	T_DONE();
}
