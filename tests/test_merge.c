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
#include <math.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "core/cmd/shard.h"
#include "scenarios/scn.h"
#include "stats/hdr.h"
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
				   NULL};
	run_bin(m, mcpload(), out_first);
	printf("  merge of 3 shards: exit %d\n%s", m->status, m->out);
	CHECK_INT(m->status, 0);
	CHECK(load(m, "/tmp/mcpload-merged.json"));
	double sum = num(&r[0], "requests") + num(&r[1], "requests") + num(&r[2], "requests");
	CHECK(num(m, "requests") == sum && sum >= 3 * 200);
	CHECK(num(m, "labels.0.requests") == sum);
	CHECK(num(m, "shards.merged") == 3 && str_is(m, "verdict", "PASS"));
	double p99 = num(m, "latency_ms.p99"), want = p99_added(r, 3);
	printf("  merged p99 %.6f ms, the shards' histograms added %.6f ms; shard p99s %.3f %.3f "
	       "%.3f; start skew %.3f ms\n",
	       p99, want, num(&r[0], "latency_ms.p99"), num(&r[1], "latency_ms.p99"),
	       num(&r[2], "latency_ms.p99"), num(m, "shards.start_skew_ms"));
	CHECK(fabs(p99 - want) < 1e-6);
	CHECK(num(m, "shards.start_skew_ms") >= 0 && num(m, "shards.start_skew_ms") < 2000);
	CHECK(str_is(m, "thresholds.0.verdict", "PASS"));
	struct run *x = calloc(1, sizeof(*x));
	if (x && load(x, "/tmp/mcpload-merged.xml")) {
		CHECK(strstr(x->json, "name=\"every shard merged\"") != NULL);
		CHECK(strstr(x->json, "name=\"p99&lt;60s\"") ||
		      strstr(x->json, "name=\"p99<60s\""));
		CHECK(strstr(x->json, "failures=\"0\" errors=\"0\"") != NULL);
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

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_split();
	test_merge();
	test_seccomp();
	T_DONE();
}
