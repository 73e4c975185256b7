/*
 * The release binary as a user meets it: exit codes, one-line errors, the
 * summary, a --json document that parses and holds the promised keys, and
 * SIGINT/SIGTERM mid-run still printing and writing what was measured.
 * Runs $MCPLOAD (default build/mcpload) and, when set, $MCPLOAD_ASAN (the
 * same program under ASan+UBSan) against tests/tsrv on loopback.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/t.h"
#include "tests/tsrv.h"

struct result {
	int status; /* exit status, or 128 + signal */
	char out[16384];
	char err[4096];
	double secs;
};

static void read_all(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t r;
	while (n + 1 < cap && (r = read(fd, buf + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = 0;
}

/* Run the binary with args; send `sig` after `sig_after_ms` (0: none). */
static void run(struct result *res, char *const argv[], int sig, int sig_after_ms)
{
	int out[2], err[2];
	struct timespec t0, t1;
	pid_t pid;
	if (pipe(out) || pipe(err)) {
		res->status = -1;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		alarm(60); /* never outlive the test */
		execv(argv[0], argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	if (sig) {
		usleep((useconds_t)sig_after_ms * 1000);
		kill(pid, sig);
	}
	read_all(out[0], res->out, sizeof(res->out));
	read_all(err[0], res->err, sizeof(res->err));
	close(out[0]);
	close(err[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	res->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

static bool one_line(const char *s)
{
	const char *nl = strchr(s, '\n');
	return strncmp(s, "mcpload: ", 9) == 0 && nl && nl[1] == 0;
}

/* --- a minimal JSON validator (RFC 8259 grammar, no semantics) --- */
static const char *ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	return p;
}

static const char *value(const char *p, int depth);

static const char *string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p && *p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (!*p || !strchr("\"\\/bfnrtu", *p))
				return NULL;
		}
		p++;
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *number(const char *p)
{
	const char *s = p;
	if (*p == '-')
		p++;
	while ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' || *p == '+' ||
	       *p == '-')
		p++;
	return p > s ? p : NULL;
}

static const char *compound(const char *p, int depth, char close, bool keys)
{
	p = ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (keys) {
			p = string(ws(p));
			if (!p || *(p = ws(p)) != ':')
				return NULL;
			p++;
		}
		p = value(p, depth + 1);
		if (!p)
			return NULL;
		p = ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *value(const char *p, int depth)
{
	p = ws(p);
	if (depth > 64)
		return NULL;
	switch (*p) {
	case '{':
		return compound(p, depth, '}', true);
	case '[':
		return compound(p, depth, ']', false);
	case '"':
		return string(p);
	case 't':
		return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f':
		return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n':
		return strncmp(p, "null", 4) ? NULL : p + 4;
	default:
		return number(p);
	}
}

static bool json_file_ok(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	read_all(fd, buf, cap);
	close(fd);
	const char *end = value(buf, 0);
	return end && *ws(end) == 0;
}

/* --json -, --json /dev/stdout (a symlink that must stay one), an
 * unwritable path (exit 2 before the server sees a request), and compare
 * taking --threshold=5 from the same option table. */
static void check_outputs(const char *bin, const struct tsrv *srv, char *url, const char *jpath,
			  char *json, size_t cap)
{
	static struct result r;
	struct stat st;
	char *to_stdout[] = {(char *)bin, "http", url,	    "-n", "50", "-c",
			     "2",	  "-q",	  "--json", "-",  NULL};
	run(&r, to_stdout, 0, 0);
	CHECK_INT(r.status, 0);
	const char *end = value(r.out, 0);
	CHECK(end && *ws(end) == 0 && strstr(r.out, "\"requests\": 50"));

	char *dev[] = {(char *)bin, "http", url,      "-n",	     "50", "-c",
		       "2",	    "-q",   "--json", "/dev/stdout", NULL};
	bool link_before = lstat("/dev/stdout", &st) == 0 && S_ISLNK(st.st_mode);
	run(&r, dev, 0, 0);
	CHECK_INT(r.status, 0);
	end = value(r.out, 0);
	CHECK(end && *ws(end) == 0 && strstr(r.out, "\"requests\": 50"));
	if (link_before)
		CHECK(lstat("/dev/stdout", &st) == 0 && S_ISLNK(st.st_mode));

	unsigned long before = atomic_load(&srv->requests);
	char *nowhere[] = {(char *)bin,		  "http", url, "-n", "50", "--json",
			   "/nonexistent/x.json", NULL};
	run(&r, nowhere, 0, 0);
	CHECK_INT(r.status, 2);
	CHECK(one_line(r.err) && strstr(r.err, "/nonexistent/x.json"));
	CHECK_INT(atomic_load(&srv->requests), before);

	char *counted[] = {(char *)bin, "http", url,	  "-n",		 "200", "-c",
			   "2",		"-q",	"--json", (char *)jpath, NULL};
	run(&r, counted, 0, 0);
	CHECK_INT(r.status, 0);
	CHECK(json_file_ok(jpath, json, cap));
	char *cmp[] = {(char *)bin, "compare", (char *)jpath, (char *)jpath, "--threshold=5", NULL};
	run(&r, cmp, 0, 0);
	CHECK_INT(r.status, 0);
	CHECK(strstr(r.out, "0 regressions (threshold 5.0 %") != NULL);
}

static void check_binary(const char *bin, const struct tsrv *srv)
{
	static struct result r;
	static char json[65536];
	char url[128], bad_url[128], jpath[] = "/tmp/mcpload-test-XXXXXX";
	int jfd = mkstemp(jpath);

	printf("binary %s\n", bin);
	CHECK(jfd >= 0);
	close(jfd);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/ok", srv->port);

	char *version[] = {(char *)bin, "--version", NULL};
	run(&r, version, 0, 0);
	CHECK_INT(r.status, 0);
	CHECK(strncmp(r.out, "mcpload ", 8) == 0);

	char *bogus[] = {(char *)bin, "http", url, "--bogus", NULL};
	run(&r, bogus, 0, 0);
	CHECK_INT(r.status, 2);
	CHECK(one_line(r.err));

	/* a port nobody listens on: bind one, note it, close it */
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	bind(s, (struct sockaddr *)&a, sizeof(a));
	getsockname(s, (struct sockaddr *)&a, &alen);
	close(s);
	snprintf(bad_url, sizeof(bad_url), "http://127.0.0.1:%u/", ntohs(a.sin_port));
	char *unreachable[] = {(char *)bin, "http", bad_url, "-d", "1s", NULL};
	run(&r, unreachable, 0, 0);
	CHECK_INT(r.status, 1);
	CHECK(one_line(r.err) && strstr(r.err, "cannot connect"));

	char *counted[] = {(char *)bin, "http", url,   "-c",	 "4",	"-t",
			   "2",		"-n",	"500", "--json", jpath, NULL};
	run(&r, counted, 0, 0);
	CHECK_INT(r.status, 0);
	CHECK(strstr(r.out, "500 requests in") != NULL);
	CHECK(strstr(r.out, "p99") && strstr(r.out, "Status       200: 500"));
	CHECK(json_file_ok(jpath, json, sizeof(json)));
	const char *keys[] = {"\"schema_version\": 2",
			      "\"requests\": 500",
			      "\"latency_ms\"",
			      "\"p99\"",
			      "\"p99_9\"",
			      "\"command_line\"",
			      "\"started_at\"",
			      "\"host\"",
			      "\"version\"",
			      "\"requests_per_s\"",
			      "\"errors\"",
			      "\"status_5xx\": 0",
			      "\"peak_rss_bytes\"",
			      "\"user_cpu_s\"",
			      "\"interrupted\": false",
			      "\"timeline\": [",
			      "\"p99_ms\"",
			      "\"second\": 0"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!strstr(json, keys[i]))
			fprintf(stderr, "JSON lacks %s\n", keys[i]);
		CHECK(strstr(json, keys[i]) != NULL);
	}

	/* thresholds: met 0, missed 99 (judged and tabled); no success, no pass */
	char *met[] = {(char *)bin, "http", url,	   "-c",      "2",
		       "-n",	    "200",  "--threshold", "p99<30s", "--threshold=errors<1%",
		       NULL};
	run(&r, met, 0, 0);
	CHECK_INT(r.status, 0);
	CHECK(strstr(r.out, "p99<30s") && strstr(r.out, "PASS"));
	char *missed[] = {(char *)bin, "http",	      url,	  "-c",	    "2",   "-n",
			  "200",       "--threshold", "rps>1e12", "--json", jpath, NULL};
	run(&r, missed, 0, 0);
	CHECK_INT(r.status, 99);
	CHECK(one_line(r.err) && strstr(r.err, "1 of 1 thresholds missed"));
	CHECK(json_file_ok(jpath, json, sizeof(json)));
	CHECK(strstr(json, "\"thresholds\"") && strstr(json, "\"verdict\": \"FAIL\""));
	snprintf(bad_url, sizeof(bad_url), "http://127.0.0.1:%u/nothere", srv->port);
	char *all404[] = {(char *)bin, "http", bad_url, "-c", "2", "-n", "50", NULL};
	run(&r, all404, 0, 0);
	CHECK_INT(r.status, 1);
	CHECK(strstr(r.err, "no request succeeded") != NULL);
	/* a 404 is fast: a latency threshold over failures must not pass */
	char *fast404[] = {(char *)bin, "http", bad_url,       "-c",	  "2",
			   "-n",	"50",	"--threshold", "p99<10s", NULL};
	run(&r, fast404, 0, 0);
	CHECK_INT(r.status, 99);
	CHECK(strstr(r.out, "none succeeded") != NULL);

	/* more than the machine can send: inconclusive, exit 3, and why */
	/* 2 s at 2M/s: more than the backlog's second of arrivals, so some
	 * are dropped: saturated on any machine, busy or not */
	char *flood[] = {(char *)bin, "http", url,  "-R", "2M",	    "-d",  "2s",
			 "-c",	      "4",    "-t", "1",  "--json", jpath, NULL};
	run(&r, flood, 0, 0);
	CHECK_INT(r.status, 3);
	CHECK(strstr(r.err, "INCONCLUSIVE - the generator is saturated") != NULL);
	CHECK(strstr(r.out, "Generator    INCONCLUSIVE") != NULL);
	CHECK(json_file_ok(jpath, json, sizeof(json)));
	CHECK(strstr(json, "\"verdict\": \"INCONCLUSIVE\"") != NULL);
	CHECK(strstr(json, "\"latency_uncorrected_ms\"") && strstr(json, "\"send_lag_ms\""));

	/* the output path: stdout, in place, refused before any request */
	check_outputs(bin, srv, url, jpath, json, sizeof(json));

	int sigs[] = {SIGINT, SIGTERM};
	for (int i = 0; i < 2; i++) {
		unlink(jpath);
		char *longrun[] = {(char *)bin, "http", url,	  "-c",	 "4",
				   "-d",	"30s",	"--json", jpath, NULL};
		run(&r, longrun, sigs[i], 700);
		CHECK_INT(r.status, 0);
		/* the signal at 0.7 s, the drain's 2 s bound, a second of slack */
		CHECK(r.secs < 0.7 + 2.0 + 1.0);
		CHECK(strstr(r.out, "(interrupted)") != NULL);
		CHECK(strstr(r.out, "requests in") != NULL);
		CHECK(json_file_ok(jpath, json, sizeof(json)));
		CHECK(strstr(json, "\"interrupted\": true") != NULL);
	}
	unlink(jpath);
}

int main(void)
{
	static struct tsrv srv;
	CHECK(tsrv_start(&srv, AF_INET));
	check_binary(getenv("MCPLOAD") ? getenv("MCPLOAD") : "build/mcpload", &srv);
	if (getenv("MCPLOAD_ASAN"))
		check_binary(getenv("MCPLOAD_ASAN"), &srv);
	T_DONE();
}
