/*
 * The project's hostile server (tests/thostile): every case, run in
 * process under the sanitizers, reports the error class it must, and no
 * other; nothing crashes, nothing hangs, a success is not lost to what
 * follows it, bytes that came are counted, and who closed is told right.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/engine/run.h"
#include "tests/t.h"
#include "tests/thostile.h"
#include "tests/tload.h"

/* Every error class but want (and unsolicited bytes) is zero. */
static uint64_t others(const struct tally *t, int want)
{
	uint64_t n = 0;
	for (int e = 0; e < TALLY_ERR__COUNT; e++)
		if (e != want && e != TALLY_ERR_UNSOLICITED)
			n += t->errors[e];
	if (want != -4)
		n += tally_status_range(t, 400, 499);
	if (want != -5)
		n += tally_status_range(t, 500, 599);
	return n;
}

static void one(const struct thostile *s, const struct thostile_case *c)
{
	char line[512];
	struct tload cfg;
	struct result res;
	if (c->mcp)
		snprintf(line, sizeof(line),
			 "mcpload run mcp-call --target http://127.0.0.1:%u --mcp-path /h/%s "
			 "--mcp-version 2025-11-25 --set name=t -c 2 --iterations 3 -t 1 "
			 "--timeout 400ms -q",
			 s->port, c->name);
	else
		snprintf(line, sizeof(line),
			 "mcpload http http://127.0.0.1:%u/h/%s -c 2 -n 6 -d 4s -t 1 "
			 "--timeout 400ms -q",
			 s->port, c->name);
	if (tload_run_line(line, &cfg, &res) != 0) {
		printf("  %-22s could not run\n", c->name);
		CHECK(false);
		tload_free(&cfg);
		return;
	}
	const struct tally *t = res.total;
	uint64_t got = c->want >= 0    ? t->errors[c->want]
		       : c->want == -4 ? tally_status_range(t, 400, 499)
		       : c->want == -5 ? tally_status_range(t, 500, 599)
				       : t->responses - (t->responses ? others(t, -1) : 0);
	uint64_t wrong = others(t, c->want);
	printf("  %-22s %-28s %llu, other classes %llu, unsolicited %llu, %llu B in\n", c->name,
	       c->want >= 0    ? tally_err_text(c->want)
	       : c->want == -1 ? "success"
			       : "status",
	       (unsigned long long)got, (unsigned long long)wrong,
	       (unsigned long long)t->errors[TALLY_ERR_UNSOLICITED],
	       (unsigned long long)t->bytes_in);
	CHECK(got > 0);
	CHECK_INT(wrong, 0);
	if (c->unsolicited)
		CHECK(t->errors[TALLY_ERR_UNSOLICITED] > 0);
	result_free(&res);
	tload_free(&cfg);
}

/* A port nobody listens on: refused, each attempt backed off. */
static void refused(void)
{
	struct tload cfg;
	struct result res;
	char line[256];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	bind(fd, (struct sockaddr *)&a, sizeof(a));
	getsockname(fd, (struct sockaddr *)&a, &len);
	listen(fd, 1); /* prep's connect check passes; then it goes */
	snprintf(line, sizeof(line), "mcpload http http://127.0.0.1:%u/ -c 2 -d 2s -t 1 -q",
		 ntohs(a.sin_port));
	struct tload *c = &cfg;
	memset(c, 0, sizeof(*c));
	char *argv[16];
	int argc = 0;
	for (char *tok = strtok(line, " "); tok; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	int r = tload_parse(c, argc, argv);
	close(fd);
	if (r != 0) {
		CHECK(false);
		return;
	}
	char why[256];
	CHECK_INT(run_execute(&cfg.ph.cfg, NULL, &res, why, sizeof(why)), 0);
	printf("  %-22s connect refused %llu, backed off %llu\n", "refused",
	       (unsigned long long)res.total->errors[TALLY_ERR_CONNECT_REFUSED],
	       (unsigned long long)res.total->backoffs);
	CHECK(res.total->errors[TALLY_ERR_CONNECT_REFUSED] > 0);
	CHECK(res.total->backoffs > 0);
	/* doubling from 10 ms: two connections cannot fail 100 times in 2 s */
	CHECK(res.total->errors[TALLY_ERR_CONNECT_REFUSED] < 100);
	result_free(&res);
	tload_free(&cfg);
}

int main(void)
{
	static struct thostile s;
	unsigned n;
	const struct thostile_case *cases = thostile_cases(&n);
	setvbuf(stdout, NULL, _IOLBF, 0); /* each case's line beside its failures */
	run_install_signals();
	CHECK(thostile_start(&s));
	printf("test_hostile: %u cases\n", n);
	for (unsigned i = 0; i < n; i++)
		one(&s, &cases[i]);
	refused();
	T_DONE();
}
