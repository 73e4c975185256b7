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
			 "--timeout 400ms --deadline 1s -q",
			 s->port, c->name);
	else
		snprintf(line, sizeof(line),
			 "mcpload http http://127.0.0.1:%u/h/%s -c 2 -n 6 -d 4s -t 1 "
			 "--timeout 400ms --deadline 1s -q",
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

/* Run line against the listener fd without the pre-flight's wait: the
 * listener is checked by prep while it still accepts, then fill() may
 * fill its queue or close it. Returns run_execute's value, -1 on a bad
 * line. */
static int run_direct(char *line, int fd, void (*fill)(int), struct tload *cfg, struct result *res)
{
	char *argv[24];
	int argc = 0;
	char why[256];
	memset(cfg, 0, sizeof(*cfg));
	for (char *tok = strtok(line, " "); tok && argc < 23; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	int r = tload_parse(cfg, argc, argv);
	fill(fd);
	if (r != 0)
		return -1;
	return run_execute(&cfg->ph.cfg, NULL, res, why, sizeof(why));
}

static unsigned loopback_listener(int *fd, int backlog)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	*fd = socket(AF_INET, SOCK_STREAM, 0);
	bind(*fd, (struct sockaddr *)&a, sizeof(a));
	getsockname(*fd, (struct sockaddr *)&a, &len);
	listen(*fd, backlog);
	return ntohs(a.sin_port);
}

static void close_listener(int fd)
{
	close(fd);
}

/* The listener's accept queue (backlog 0: one connection) gets one more
 * connection nobody accepts: from then on the kernel drops every SYN. */
static void fill_queue(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int filler = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	connect(filler, (struct sockaddr *)&a, sizeof(a));
	usleep(100000); /* its handshake completes on loopback */
}

/* A port nobody listens on: refused, each attempt backed off. */
static void refused(void)
{
	struct tload cfg;
	struct result res;
	char line[256];
	int fd;
	unsigned port = loopback_listener(&fd, 1);
	snprintf(line, sizeof(line), "mcpload http http://127.0.0.1:%u/ -c 2 -d 2s -t 1 -q", port);
	int r = run_direct(line, fd, close_listener, &cfg, &res);
	CHECK_INT(r, 0);
	if (r == -1)
		return;
	printf("  %-22s connect refused %llu, backed off %llu\n", "refused",
	       (unsigned long long)res.total->errors[TALLY_ERR_CONNECT_REFUSED],
	       (unsigned long long)res.total->backoffs);
	CHECK(res.total->errors[TALLY_ERR_CONNECT_REFUSED] > 0);
	CHECK(res.total->backoffs > 0);
	/* doubling from 10 ms: two connections cannot fail 100 times in 2 s,
	 * and each tries again (its wait expires) more than twice */
	CHECK(res.total->errors[TALLY_ERR_CONNECT_REFUSED] < 100);
	CHECK(res.total->errors[TALLY_ERR_CONNECT_REFUSED] >= 6);
	result_free(&res);
	tload_free(&cfg);
}

/* A listener that never accepts: each attempt ends at --connect-timeout
 * (connect timeout), or at --deadline when that comes first (deadline);
 * nothing is a success, nothing is dropped. */
static void never_accepts(const char *limits, enum tally_err want)
{
	struct tload cfg;
	struct result res;
	char line[256];
	int fd;
	unsigned port = loopback_listener(&fd, 0);
	snprintf(line, sizeof(line), "mcpload http http://127.0.0.1:%u/ -c 2 -d 1500ms -t 1 -q %s",
		 port, limits);
	int r = run_direct(line, fd, fill_queue, &cfg, &res);
	CHECK_INT(r, 0);
	close(fd);
	if (r == -1)
		return;
	const struct tally *t = res.total;
	uint64_t other =
	    t->errors[want == TALLY_ERR_DEADLINE ? TALLY_ERR_CONNECT_TIMEOUT : TALLY_ERR_DEADLINE];
	printf("  %-22s %s %llu, %s %llu, responses %llu, unfinished %llu\n", "never-accepts",
	       tally_err_text(want), (unsigned long long)t->errors[want],
	       tally_err_text(want == TALLY_ERR_DEADLINE ? TALLY_ERR_CONNECT_TIMEOUT
							 : TALLY_ERR_DEADLINE),
	       (unsigned long long)other, (unsigned long long)t->responses,
	       (unsigned long long)t->unfinished);
	CHECK(t->errors[want] > 0);
	CHECK_INT(other, 0);
	CHECK_INT(t->responses, 0);
	result_free(&res);
	tload_free(&cfg);
}

/* A deadline shorter than the idle timeout comes first, before any byte. */
static void deadline_first(const struct thostile *s)
{
	char line[256];
	struct tload cfg;
	struct result res;
	snprintf(line, sizeof(line),
		 "mcpload http http://127.0.0.1:%u/h/never -c 2 -n 4 -d 4s -t 1 --timeout 5s "
		 "--deadline 300ms -q",
		 s->port);
	if (tload_run_line(line, &cfg, &res) != 0) {
		CHECK(false);
		tload_free(&cfg);
		return;
	}
	const struct tally *t = res.total;
	printf("  %-22s deadline %llu, timeout %llu\n", "never, short deadline",
	       (unsigned long long)t->errors[TALLY_ERR_DEADLINE],
	       (unsigned long long)t->errors[TALLY_ERR_TIMEOUT]);
	CHECK(t->errors[TALLY_ERR_DEADLINE] > 0);
	CHECK_INT(t->errors[TALLY_ERR_TIMEOUT], 0);
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
	deadline_first(&s);
	refused();
	never_accepts("--connect-timeout 300ms", TALLY_ERR_CONNECT_TIMEOUT);
	never_accepts("--connect-timeout 5s --deadline 300ms", TALLY_ERR_DEADLINE);
	T_DONE();
}
