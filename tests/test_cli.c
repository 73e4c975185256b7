/*
 * CLI, URL and request-writer tests: exact request bytes, duration and count
 * syntax, URL forms (IPv4, [IPv6], names, ports, defaults), and that every
 * bad input is refused with one line on stderr.
 */
#include <errno.h>

#include "core/cmd/cli.h"
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
	CHECK_INT(cli_parse_duration("10s", &v), 0);
	CHECK_INT(v, 10000000000ull);
	CHECK_INT(cli_parse_duration("2m", &v), 0);
	CHECK_INT(v, 120000000000ull);
	CHECK_INT(cli_parse_duration("1.5s", &v), 0);
	CHECK_INT(v, 1500000000ull);
	CHECK_INT(cli_parse_duration("250ms", &v), 0);
	CHECK_INT(v, 250000000ull);
	CHECK_INT(cli_parse_duration("30us", &v), 0);
	CHECK_INT(v, 30000ull);
	CHECK_INT(cli_parse_duration("1h", &v), 0);
	CHECK_INT(v, 3600000000000ull);
	CHECK_INT(cli_parse_duration("7", &v), 0);
	CHECK_INT(v, 7000000000ull);
	const char *bad_d[] = {"", "s", "-1s", "10x", "1e30h", "nan", "inf", "10 s", "+5s"};
	for (size_t i = 0; i < sizeof(bad_d) / sizeof(bad_d[0]); i++)
		CHECK_INT(cli_parse_duration(bad_d[i], &v), -EINVAL);
	CHECK_INT(cli_parse_count("10k", &v), 0);
	CHECK_INT(v, 10000);
	CHECK_INT(cli_parse_count("2M", &v), 0);
	CHECK_INT(v, 2000000);
	const char *bad_c[] = {"0", "-3", "1.5", "k", "10kk", "99999999999999999999", ""};
	for (size_t i = 0; i < sizeof(bad_c) / sizeof(bad_c[0]); i++)
		CHECK_INT(cli_parse_count(bad_c[i], &v), -EINVAL);
}

/* Parse a command line; returns cli_parse's result and what it printed. */
static int parse(const char *line, char *out, size_t outlen, struct cfg *cfg)
{
	char copy[512];
	char *argv[32];
	int argc = 0;
	FILE *err = fmemopen(out, outlen, "w");
	snprintf(copy, sizeof(copy), "%s", line);
	for (char *t = strtok(copy, " "); t && argc < 31; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	memset(out, 0, outlen);
	int r = cli_parse(cfg, argc, argv, err);
	fclose(err);
	return r;
}

static void test_cli(void)
{
	struct cfg cfg;
	char out[512];

	CHECK_INT(parse("mcpload http http://127.0.0.1:9/x -c 10 -t 3 -d 2s -n 5k -H X-A:1 "
			"-b hello --timeout 1s --warmup 500ms --json /tmp/x.json",
			out, sizeof(out), &cfg),
		  0);
	CHECK_INT(cfg.connections, 10);
	CHECK_INT(cfg.threads, 3);
	CHECK_INT(cfg.duration_ns, 2000000000ull);
	CHECK_INT(cfg.requests, 5000);
	CHECK_INT(cfg.timeout_ns, 1000000000ull);
	CHECK_INT(cfg.warmup_ns, 500000000ull);
	CHECK_INT(cfg.busy_poll_ns, 2000);
	CHECK_STR(cfg.method, "POST");
	CHECK_STR(cfg.headers[0].name, "X-A");
	CHECK_STR(cfg.headers[0].value, "1");
	CHECK(strstr(cfg.request, "\r\n\r\nhello") != NULL);
	CHECK_STR(cfg.addr_text, "127.0.0.1:9");
	cli_free(&cfg);

	/* more threads than connections: clamped */
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ -c 2 -t 8", out, sizeof(out), &cfg), 0);
	CHECK_INT(cfg.threads, 2);
	CHECK(strstr(out, "using 2") != NULL);
	cli_free(&cfg);
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ -R 5k --arrival poisson --seed 7 "
			"--pacing lean --max-queue 99 -t 2",
			out, sizeof(out), &cfg),
		  0);
	CHECK(cfg.rate == 5000 && cfg.poisson && cfg.seed == 7 && cfg.pacing_lean);
	CHECK_INT(cfg.max_queue, 99);
	cli_free(&cfg);
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ -R 100k -t 2", out, sizeof(out), &cfg),
		  0);
	CHECK_INT(cfg.max_queue, 50000); /* one second of arrivals per thread */
	cli_free(&cfg);
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ --busy-poll 0", out, sizeof(out), &cfg),
		  0);
	CHECK_INT(cfg.busy_poll_ns, 0);
	cli_free(&cfg);
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ --busy-poll 5us", out, sizeof(out), &cfg),
		  0);
	CHECK_INT(cfg.busy_poll_ns, 5000);
	cli_free(&cfg);
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ --busy-poll 2s", out, sizeof(out), &cfg),
		  -EINVAL);
	CHECK(strstr(out, "at most 1ms") != NULL);
	cli_free(&cfg);
	CHECK_INT(parse("mcpload http http://127.0.0.1:9/ -m HEAD", out, sizeof(out), &cfg), 0);
	CHECK(cfg.head_request);
	cli_free(&cfg);

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
	    "mcpload http http://127.0.0.1/ -R 0",
	    "mcpload http http://127.0.0.1/ --arrival burst",
	    "mcpload http http://127.0.0.1/ --body-file /nonexistent/file",
	    "mcpload http http://127.0.0.1/ -m G(ET",
	    "mcpload http https://127.0.0.1/",
	    "mcpload http ftp://127.0.0.1/",
	    "mcpload http http://no-such-host.invalid/",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = parse(bad[i], out, sizeof(out), &cfg);
		cli_free(&cfg);
		char *nl = strchr(out, '\n');
		bool one_line = nl && nl[1] == 0 && strncmp(out, "mcpload: ", 9) == 0;
		if (r != -EINVAL || (i > 0 && !one_line))
			fprintf(stderr, "for '%s': r=%d, printed '%s'\n", bad[i], r, out);
		CHECK_INT(r, -EINVAL);
		if (i > 0) /* bare "mcpload" prints the usage */
			CHECK(one_line);
	}
	CHECK_INT(parse("mcpload http --help", out, sizeof(out), &cfg), CLI_DONE);
	cli_free(&cfg);
	CHECK_INT(parse("mcpload --version", out, sizeof(out), &cfg), CLI_DONE);
	cli_free(&cfg);
}

int main(void)
{
	test_writer();
	test_url();
	test_values();
	test_cli();
	T_DONE();
}
