/*
 * trun: run an mcpload binary as a child process, capture its output and
 * exit status, and load its JSON (--json, or the suite's report) for
 * checks with protocol/jsc. Header-only, for the process-level tests.
 */
#ifndef MCPL_TESTS_TRUN_H
#define MCPL_TESTS_TRUN_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "protocol/jsc.h"

struct run {
	int status;
	char out[16384], err[4096];
	char json[1 << 20];
	char report[256]; /* suite: the report's path */
	size_t json_len;
};

static inline void slurp(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t r;
	while (n + 1 < cap && (r = read(fd, buf + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = 0;
}

/* Run bin with args (NULL-terminated) plus --json FILE; load the JSON.
 * `mcpload suite` writes no --json: the report named on its last line
 * ("report: PATH") is loaded instead. */
static inline void run_bin(struct run *r, const char *bin, const char *const args[])
{
	bool suite = args[0] && !strcmp(args[0], "suite");
	char path[256] = "/tmp/mcpload-scn-XXXXXX";
	char *argv[64];
	int n = 0, out[2], err[2], fd = mkstemp(path);
	argv[n++] = (char *)bin;
	for (int i = 0; args[i] && n < 60; i++)
		argv[n++] = (char *)args[i];
	/* compare, list, init and merge take no --json */
	bool json = !suite && strcmp(args[0], "compare") != 0 && strcmp(args[0], "list") != 0 &&
		    strcmp(args[0], "init") != 0 && strcmp(args[0], "merge") != 0;
	if (json) {
		argv[n++] = "--json";
		argv[n++] = path;
	}
	argv[n] = NULL;
	memset(r, 0, sizeof(*r));
	if (fd < 0 || pipe(out) || pipe(err)) {
		r->status = -1;
		return;
	}
	close(fd);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		alarm(90); /* never outlive the test */
		execv(bin, argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	slurp(out[0], r->out, sizeof(r->out));
	slurp(err[0], r->err, sizeof(r->err));
	close(out[0]);
	close(err[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	const char *rp = suite ? strstr(r->out, "report: ") : NULL;
	if (rp) {
		size_t k = strcspn(rp + 8, "\n");
		snprintf(path, sizeof(path), "%.*s", (int)(k < sizeof(path) - 1 ? k : 0), rp + 8);
		snprintf(r->report, sizeof(r->report), "%s", path);
	}
	fd = suite && !rp ? -1 : open(path, O_RDONLY);
	if (fd >= 0) {
		slurp(fd, r->json, sizeof(r->json));
		r->json_len = strlen(r->json);
		close(fd);
	}
	if (!suite)
		unlink(path);
}

static inline const char *mcpload(void)
{
	return getenv("MCPLOAD") ? getenv("MCPLOAD") : "build/mcpload";
}

/* A number from the report by path; NAN-free: -1e300 when absent. */
static inline double num(const struct run *r, const char *path)
{
	struct jsc_val v;
	char buf[64];
	if (jsc_get(r->json, r->json_len, path, &v) != 0 || v.type != JSC_NUMBER ||
	    v.len >= sizeof(buf))
		return -1e300;
	memcpy(buf, v.ptr, v.len);
	buf[v.len] = 0;
	return strtod(buf, NULL);
}

static inline bool str_is(const struct run *r, const char *path, const char *want)
{
	struct jsc_val v;
	return jsc_get(r->json, r->json_len, path, &v) == 0 && jsc_is(&v, want);
}

#endif
