/*
 * CLI, URL and request-writer tests: exact request bytes, duration and count
 * syntax, URL forms (IPv4, [IPv6], names, ports, defaults), the options of
 * `mcpload http` through the option table, the prepare step and the derived
 * run, and that every bad input is refused by the binary with exit 2 and
 * one line on stderr.
 */
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cmd/cmd.h"
#include "core/cmd/prep.h"
#include "protocol/h1w.h"
#include "protocol/url.h"
#include "tests/t.h"

static void test_writer(void)
{
	char buf[512];
	const char *why = NULL;
	struct h1w_header hs[] = {{"Accept", "application/json, text/event-stream"},
				  {"X-Empty", ""}};
	struct h1w_request req = {.method = "POST",
				  .authority = "127.0.0.1:8000",
				  .target = "/mcp?x=1",
				  .headers = hs,
				  .header_count = 2,
				  .user_agent = "mcpload/t",
				  .body = "{}",
				  .body_len = 2};
	static const char want[] = "POST /mcp?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"
				   "User-Agent: mcpload/t\r\n"
				   "Accept: application/json, text/event-stream\r\nX-Empty: \r\n"
				   "Content-Length: 2\r\n\r\n{}";
	ssize_t n = h1w_write(buf, sizeof(buf), &req, &why);
	CHECK_MEM(buf, (size_t)(n > 0 ? n : 0), want, sizeof(want) - 1);

	/* GET: no Content-Length; a caller's Host and User-Agent win */
	struct h1w_header own[] = {{"host", "example"}, {"user-agent", "x"}};
	struct h1w_request get = {.method = "GET",
				  .authority = "a:1",
				  .target = "/",
				  .headers = own,
				  .header_count = 2,
				  .user_agent = "mcpload/t"};
	static const char want_get[] = "GET / HTTP/1.1\r\nhost: example\r\nuser-agent: x\r\n\r\n";
	n = h1w_write(buf, sizeof(buf), &get, &why);
	CHECK_MEM(buf, (size_t)(n > 0 ? n : 0), want_get, sizeof(want_get) - 1);

	/* POST without a body still says Content-Length: 0 */
	struct h1w_request post = {.method = "POST", .authority = "a", .target = "/"};
	static const char want_post[] = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n";
	n = h1w_write(buf, sizeof(buf), &post, &why);
	CHECK_MEM(buf, (size_t)(n > 0 ? n : 0), want_post, sizeof(want_post) - 1);

	/* refusals */
	struct h1w_header bad_v[] = {{"X", "a\r\nInjected: 1"}};
	struct h1w_header bad_n[] = {{"X Y", "a"}};
	struct h1w_request r = get;
	r.headers = bad_v;
	r.header_count = 1;
	CHECK_INT(h1w_write(buf, sizeof(buf), &r, &why), -EINVAL);
	r.headers = bad_n;
	CHECK_INT(h1w_write(buf, sizeof(buf), &r, &why), -EINVAL);
	r = get;
	r.method = "GE T";
	CHECK_INT(h1w_write(buf, sizeof(buf), &r, &why), -EINVAL);
	r = get;
	r.target = "/a b";
	CHECK_INT(h1w_write(buf, sizeof(buf), &r, &why), -EINVAL);
	CHECK_INT(h1w_write(buf, 10, &req, &why), -ENOSPC);
}

static void test_url(void)
{
	struct url u;
	const char *why;
	CHECK_INT(url_parse(&u, "http://127.0.0.1:18080/small", &why), 0);
	CHECK_STR(u.host, "127.0.0.1");
	CHECK_INT(u.port, 18080);
	CHECK_STR(u.authority, "127.0.0.1:18080");
	CHECK_STR(u.target, "/small");
	CHECK_INT(url_parse(&u, "http://[::1]:8000", &why), 0);
	CHECK_STR(u.host, "::1");
	CHECK_STR(u.authority, "[::1]:8000");
	CHECK_STR(u.target, "/");
	CHECK_INT(url_parse(&u, "HTTP://localhost?q=1#frag", &why), 0);
	CHECK_INT(u.port, 80);
	CHECK_STR(u.authority, "localhost");
	CHECK_STR(u.target, "/?q=1");
	CHECK_INT(url_parse(&u, "https://h/x", &why), 0);
	CHECK(u.tls);
	CHECK_INT(u.port, 443);
	const char *bad[] = {"ftp://h/",	"http://",	"http://:80/",	"http://h:0/",
			     "http://h:65536/", "http://h:8x/", "http://[::1/", "http://u:p@h/",
			     "http://h/a b",	"127.0.0.1:80", "http://h]:80/"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		int r = url_parse(&u, bad[i], &why);
		if (r != -EINVAL)
			fprintf(stderr, "accepted bad URL %s\n", bad[i]);
		CHECK_INT(r, -EINVAL);
		CHECK(why != NULL);
	}
}

static void test_values(void)
{
	uint64_t v;
	CHECK_INT(units_duration("10s", &v), 0);
	CHECK_INT(v, 10000000000ull);
	CHECK_INT(units_duration("2m", &v), 0);
	CHECK_INT(v, 120000000000ull);
	CHECK_INT(units_duration("1.5s", &v), 0);
	CHECK_INT(v, 1500000000ull);
	CHECK_INT(units_duration("250ms", &v), 0);
	CHECK_INT(v, 250000000ull);
	CHECK_INT(units_duration("30us", &v), 0);
	CHECK_INT(v, 30000ull);
	CHECK_INT(units_duration("1h", &v), 0);
	CHECK_INT(v, 3600000000000ull);
	CHECK_INT(units_duration("7", &v), 0);
	CHECK_INT(v, 7000000000ull);
	const char *bad_d[] = {"", "s", "-1s", "10x", "1e30h", "nan", "inf", "10 s", "+5s"};
	for (size_t i = 0; i < sizeof(bad_d) / sizeof(bad_d[0]); i++)
		CHECK_INT(units_duration(bad_d[i], &v), -EINVAL);
	CHECK_INT(units_count("10k", &v), 0);
	CHECK_INT(v, 10000);
	CHECK_INT(units_count("2M", &v), 0);
	CHECK_INT(v, 2000000);
	const char *bad_c[] = {"0", "-3", "1.5", "k", "10kk", "99999999999999999999", ""};
	for (size_t i = 0; i < sizeof(bad_c) / sizeof(bad_c[0]); i++)
		CHECK_INT(units_count(bad_c[i], &v), -EINVAL);
}

struct parsed {
	struct lopt o;
	struct prep p;
	struct phase ph;
};

/* Parse, prepare (no connect) and derive a command line as `mcpload http`
 * does. Returns 0, 1 for --help, or -EINVAL with the one-line reason in
 * out (its notes on success). */
static int parse(const char *line, char *out, size_t outlen, struct parsed *r)
{
	char copy[512];
	char *argv[32];
	const char *pos[1] = {NULL};
	unsigned npos = 0;
	int argc = 0, n;
	snprintf(copy, sizeof(copy), "%s", line);
	for (char *t = strtok(copy, " "); t && argc < 31; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	memset(out, 0, outlen);
	memset(r, 0, sizeof(*r));
	lopt_init(&r->o, CMD_HTTP);
	n = opt_parse(CMD_HTTP, argc, argv, 2, lopt_set, &r->o, pos, 1, &npos, out, outlen);
	if (n == OPT_ASKED_HELP)
		return 1;
	if (n < 0 || lopt_finish(&r->o, npos ? pos[0] : NULL, out, outlen) < 0 ||
	    prep_open(&r->p, &r->o, out, outlen) < 0 ||
	    phase_build(&r->ph, &r->o, &r->p, line, out, outlen) < 0)
		return -EINVAL;
	snprintf(out, outlen, "%s", r->ph.notes);
	return 0;
}

static void parsed_free(struct parsed *r)
{
	phase_free(&r->ph);
	prep_free(&r->p);
	lopt_free(&r->o);
}

/* Run the binary on line; its exit status, what it wrote to stderr in err. */
static int run_bin(const char *line, char *err, size_t errlen)
{
	char copy[512];
	char *argv[32];
	int argc = 0, pfd[2], st = 0;
	const char *bin = getenv("MCPLOAD") ? getenv("MCPLOAD") : "build/mcpload";
	snprintf(copy, sizeof(copy), "%s", line);
	for (char *t = strtok(copy, " "); t && argc < 31; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[0] = (char *)bin;
	argv[argc] = NULL;
	if (pipe(pfd) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 2);
		close(pfd[0]);
		close(1);
		alarm(20);
		execv(bin, argv);
		_exit(127);
	}
	close(pfd[1]);
	size_t n = 0;
	ssize_t k;
	char drain[4096];
	while (n + 1 < errlen && (k = read(pfd[0], err + n, errlen - 1 - n)) > 0)
		n += (size_t)k;
	err[n] = 0;
	while (read(pfd[0], drain, sizeof(drain)) > 0)
		; /* the rest, so the child never blocks on a full pipe */
	close(pfd[0]);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void test_cli(void)
{
	struct parsed r;
	char out[512];

	CHECK_INT(parse("mcpload http http://127.0.0.1:9/x -c 10 -t 3 -d 2s -n 5k -H X-A:1 "
			"-b hello --timeout 1s --warmup 500ms --json /tmp/x.json",
			out, sizeof(out), &r),
		  0);
	CHECK_INT(r.ph.cfg.connections, 10);
	CHECK_INT(r.ph.cfg.threads, 3);
	CHECK_INT(r.ph.cfg.duration_ns, 2000000000ull);
	CHECK_INT(r.ph.cfg.requests, 5000);
	CHECK_INT(r.ph.cfg.timeout_ns, 1000000000ull);
	CHECK_INT(r.ph.cfg.warmup_ns, 500000000ull);
	CHECK_INT(r.ph.cfg.busy_poll_ns, 2000);
	CHECK_STR(r.ph.desc.method, "POST");
	CHECK_STR(r.o.headers[0].name, "X-A");
	CHECK_STR(r.o.headers[0].value, "1");
	CHECK(strstr(r.p.request, "\r\n\r\nhello") != NULL);
	CHECK_STR(r.p.peer.addr_text, "127.0.0.1:9");
	parsed_free(&r);

	/* more threads than connections: clamped, with a note */
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ -c 2 -t 8", out, sizeof(out), &r), 0);
	CHECK_INT(r.ph.cfg.threads, 2);
	CHECK(strstr(out, "using 2") != NULL);
	parsed_free(&r);
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ -R 5k --arrival poisson --seed 7 "
			"--pacing lean --max-queue 99 -t 2",
			out, sizeof(out), &r),
		  0);
	CHECK(r.ph.cfg.rate == 5000 && r.ph.cfg.poisson && r.ph.cfg.seed == 7 &&
	      r.ph.cfg.pacing_lean);
	CHECK_INT(r.ph.cfg.max_queue, 99);
	CHECK_INT(r.ph.cfg.pacing_window_ns, 2000000); /* lean's default window */
	parsed_free(&r);
	CHECK_INT(
	    parse("mcpload http http://127.0.0.1:9/ -R 2k --pacing lean --pacing-window 500us", out,
		  sizeof(out), &r),
	    0);
	CHECK_INT(r.ph.cfg.pacing_window_ns, 500000);
	CHECK(strstr(r.ph.cmdline, "--pacing lean --pacing-window 500us") != NULL);
	parsed_free(&r);
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ -R 2k", out, sizeof(out), &r), 0);
	CHECK_INT(r.ph.cfg.pacing_window_ns, 0); /* precise pacing: no batches */
	parsed_free(&r);
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ -R 2k --pacing-window 1ms", out,
			sizeof(out), &r),
		  -EINVAL);
	CHECK(strstr(out, "--pacing-window applies to --pacing lean") != NULL);
	parsed_free(&r);
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ -R 100k -t 2", out, sizeof(out), &r), 0);
	CHECK_INT(r.ph.cfg.max_queue, 50000); /* one second of arrivals per thread */
	parsed_free(&r);
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ --busy-poll 0", out, sizeof(out), &r), 0);
	CHECK_INT(r.ph.cfg.busy_poll_ns, 0);
	parsed_free(&r);
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ --busy-poll=5us", out, sizeof(out), &r),
		  0);
	CHECK_INT(r.ph.cfg.busy_poll_ns, 5000);
	parsed_free(&r);
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ --busy-poll 2s", out, sizeof(out), &r),
		  -EINVAL);
	CHECK(strstr(out, "at most 1ms") != NULL);
	parsed_free(&r);
	CHECK_INT(
	    parse("mcpload http http://127.0.0.1:9/ -R 1k --keep-awake", out, sizeof(out), &r), 0);
	CHECK(r.ph.cfg.keep_awake);
	CHECK(strstr(r.ph.cmdline, " --keep-awake") != NULL);
	parsed_free(&r);
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ -R 1k", out, sizeof(out), &r), 0);
	CHECK(!r.ph.cfg.keep_awake);
	parsed_free(&r);
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ -m HEAD", out, sizeof(out), &r), 0);
	CHECK(r.ph.cfg.head_request);
	parsed_free(&r);
	/* options after the URL, bundled flags, "--" before a positional */
	CHECK_INT(parse("mcpload http -qc7 -- http://127.0.0.1:9/", out, sizeof(out), &r), 0);
	CHECK(r.o.quiet && r.ph.cfg.connections == 7);
	parsed_free(&r);

	const char *bad[] = {
	    "mcpload",
	    "mcpload frobnicate",
	    "mcpload http",
	    "mcpload http http://a/ http://b/",
	    "mcpload http http://127.0.0.1/ -c 0",
	    "mcpload http http://127.0.0.1/ -c",
	    "mcpload http http://127.0.0.1/ -d forever",
	    "mcpload http http://127.0.0.1/ --bogus",
	    "mcpload http http://127.0.0.1/ -H NoColon",
	    "mcpload http http://127.0.0.1/ -t 100000",
	    "mcpload http http://127.0.0.1/ --timeout 0s",
	    "mcpload http http://127.0.0.1/ -R 100 --pacing sloppy",
	    "mcpload http http://127.0.0.1/ -R 100 --pacing lean --pacing-window 2s",
	    "mcpload http http://127.0.0.1/ -R 100 --pacing lean --pacing-window soon",
	    "mcpload http http://127.0.0.1/ -R 0",
	    "mcpload http http://127.0.0.1/ --arrival burst",
	    "mcpload http http://127.0.0.1/ --body-file /nonexistent/file",
	    "mcpload http http://127.0.0.1/ -m G(ET",
	    "mcpload http https://127.0.0.1/ --cacert /nonexistent.pem",
	    "mcpload http https://127.0.0.1/ --tls-resume maybe",
	    "mcpload http https://127.0.0.1/ --cert /etc/hostname",
	    "mcpload http ftp://127.0.0.1/",
	    "mcpload http http://no-such-host.invalid/",
	    "mcpload http http://127.0.0.1/ --quiet=1",
	    "mcpload http http://127.0.0.1/ --target http://127.0.0.1/",
	    "mcpload http http://127.0.0.1/ --json /nonexistent/x.json",
	    "mcpload http http://127.0.0.1/ --json /tmp",
	    "mcpload http http://127.0.0.1/ --html /tmp/",
	    "mcpload http http://127.0.0.1/ --csv /nonexistent/prefix",
	    "mcpload http http://127.0.0.1/ --junit /nonexistent/j.xml",
	    "mcpload http http://127.0.0.1/ --hdr-log /nonexistent/h.hlog",
	    "mcpload http http://127.0.0.1/ --live-metrics localhost",
	    "mcpload http http://127.0.0.1/ --html r.html --repeat 3",
	    "mcpload compare a.json b.json --threshold=x",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[1024];
		int st = run_bin(bad[i], err, sizeof(err));
		char *nl = strchr(err, '\n');
		bool one_line = nl && nl[1] == 0 && strncmp(err, "mcpload: ", 9) == 0;
		if (st != 2 || (i > 0 && !one_line))
			fprintf(stderr, "for '%s': exit %d, printed '%s'\n", bad[i], st, err);
		CHECK_INT(st, 2);
		if (i > 0) /* bare "mcpload" prints the overview */
			CHECK(one_line);
		if (i < 2 || strstr(bad[i], "compare"))
			continue;
		/* in process the same line is refused with a one-line reason */
		int pr = parse(bad[i], out, sizeof(out), &r);
		parsed_free(&r);
		CHECK_INT(pr, -EINVAL);
		CHECK(out[0] && !strchr(out, '\n'));
	}
	CHECK_INT(parse("mcpload http --help", out, sizeof(out), &r), 1);
	parsed_free(&r);
	char err[256];
	CHECK_INT(run_bin("mcpload --version", err, sizeof(err)), 0);
	CHECK_INT(run_bin("mcpload compare --threshold=5 --help", err, sizeof(err)), 0);
}

int main(void)
{
	test_writer();
	test_url();
	test_values();
	test_cli();
	T_DONE();
}
