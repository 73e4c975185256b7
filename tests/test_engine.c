/*
 * Engine tests over loopback: a tiny thread-per-connection server whose
 * behaviour is chosen by the request path, and real runs through the CLI
 * parser and run_execute(). Counts are checked against what the server saw.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <unistd.h>

#include "core/cli.h"
#include "core/clock.h"
#include "core/run.h"
#include "tests/t.h"

struct server {
	int fd;
	int family;
	uint16_t port;
	_Atomic unsigned long requests; /* request heads received */
	_Atomic bool stop;
};

struct client {
	struct server *srv;
	int fd;
};

static const char body100[] =
    "0123456789012345678901234567890123456789012345678901234567890123456789"
    "012345678901234567890123456789";

static bool send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Answer one request; returns false to close the connection. */
static bool respond(int fd, const char *path)
{
	char buf[512];
	if (strncmp(path, "/ok", 3) == 0) {
		int n = snprintf(buf, sizeof(buf),
				 "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n%s", body100);
		return send_all(fd, buf, (size_t)n);
	}
	if (strncmp(path, "/close", 6) == 0) {
		int n =
		    snprintf(buf, sizeof(buf),
			     "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
		send_all(fd, buf, (size_t)n);
		return false;
	}
	if (strncmp(path, "/chunked", 8) == 0) {
		static const char r[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
					"5\r\nhello\r\n7;x=y\r\n, world\r\n0\r\nX-T: 1\r\n\r\n";
		return send_all(fd, r, sizeof(r) - 1);
	}
	if (strncmp(path, "/500", 4) == 0) {
		static const char r[] =
		    "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n";
		return send_all(fd, r, sizeof(r) - 1);
	}
	if (strncmp(path, "/garbage", 8) == 0) {
		static const char r[] = "HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n";
		send_all(fd, r, sizeof(r) - 1);
		return true; /* the client must drop the connection itself */
	}
	if (strncmp(path, "/cut", 4) == 0) {
		static const char r[] = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789";
		send_all(fd, r, sizeof(r) - 1);
		return false;
	}
	if (strncmp(path, "/bytewise", 9) == 0) {
		int n = snprintf(buf, sizeof(buf),
				 "HTTP/1.1 200 OK\r\nX-Long: %s\r\nContent-Length: 100\r\n\r\n%s",
				 body100, body100);
		for (int i = 0; i < n; i++) {
			if (!send_all(fd, buf + i, 1))
				return false;
			if (i % 16 == 0)
				usleep(50);
		}
		return true;
	}
	if (strncmp(path, "/hang", 5) == 0) {
		return true; /* read the next request, which never comes */
	}
	static const char r[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
	return send_all(fd, r, sizeof(r) - 1);
}

static void *client_thread(void *arg)
{
	struct client *cl = arg;
	char buf[8192];
	size_t have = 0;
	for (;;) {
		ssize_t n = recv(cl->fd, buf + have, sizeof(buf) - 1 - have, 0);
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = 0;
		char *end = strstr(buf, "\r\n\r\n");
		if (!end)
			continue;
		atomic_fetch_add(&cl->srv->requests, 1);
		char path[256] = "";
		sscanf(buf, "%*s %255s", path);
		size_t used = (size_t)(end + 4 - buf);
		memmove(buf, buf + used, have - used);
		have -= used;
		if (!respond(cl->fd, path))
			break;
	}
	close(cl->fd);
	free(cl);
	return NULL;
}

static void *accept_thread(void *arg)
{
	struct server *s = arg;
	while (!atomic_load(&s->stop)) {
		int fd = accept(s->fd, NULL, NULL);
		if (fd < 0)
			continue;
		struct client *cl = malloc(sizeof(*cl));
		pthread_t t;
		cl->srv = s;
		cl->fd = fd;
		pthread_create(&t, NULL, client_thread, cl);
		pthread_detach(t);
	}
	return NULL;
}

static bool server_start(struct server *s, int family)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1;
	pthread_t t;
	memset(s, 0, sizeof(*s));
	memset(&ss, 0, sizeof(ss));
	s->family = family;
	s->fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*a);
	}
	if (bind(s->fd, (struct sockaddr *)&ss, len) < 0 || listen(s->fd, 512) < 0) {
		close(s->fd);
		return false;
	}
	getsockname(s->fd, (struct sockaddr *)&ss, &len);
	s->port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					   : ((struct sockaddr_in *)&ss)->sin_port);
	pthread_create(&t, NULL, accept_thread, s);
	pthread_detach(t);
	return true;
}

/* Run `mcpload http URL args...` in-process; returns run_execute's result. */
static int run_cli(struct server *s, const char *path, const char *args, struct cfg *cfg,
		   struct run_result *res)
{
	char url[128], line[512], why[256];
	char *argv[32];
	int argc = 0;
	snprintf(url, sizeof(url),
		 s->family == AF_INET6 ? "http://[::1]:%u%s" : "http://127.0.0.1:%u%s", s->port,
		 path);
	snprintf(line, sizeof(line), "mcpload http %s -q %s", url, args);
	for (char *tok = strtok(line, " "); tok && argc < 31; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	atomic_store(&s->requests, 0);
	if (cli_parse(cfg, argc, argv, stderr) != 0)
		return -EINVAL;
	int r = run_execute(cfg, res, why, sizeof(why));
	if (r < 0)
		fprintf(stderr, "run failed: %s\n", why);
	/* the server counts a request when its head arrives: let it catch up */
	usleep(20000);
	return r;
}

static void test_counts(struct server *s)
{
	struct cfg cfg;
	struct run_result res;

	CHECK_INT(run_cli(s, "/ok", "-c 4 -t 2 -n 2000", &cfg, &res), 0);
	CHECK_INT(res.total->responses, 2000);
	CHECK_INT(res.total->status[200], 2000);
	CHECK_INT(res.total->latency.count, 2000);
	CHECK_INT(tally_error_total(res.total), 0);
	CHECK_INT(atomic_load(&s->requests), 2000);
	CHECK_INT(res.total->bytes_in, 2000 * (40 + 100)); /* 40-byte head */
	CHECK_INT(res.total->bytes_out, 2000 * cfg.request_len);
	CHECK(res.total->latency.min_ns > 0 && res.total->latency.max_ns < 5000000000ull);
	run_result_free(&res);
	cli_free(&cfg);

	CHECK_INT(run_cli(s, "/close", "-c 4 -t 1 -n 300", &cfg, &res), 0);
	CHECK_INT(res.total->responses, 300);
	CHECK_INT(tally_error_total(res.total), 0);
	CHECK(res.total->closes_by_server >= 296);
	CHECK_INT(atomic_load(&s->requests), 300);
	run_result_free(&res);
	cli_free(&cfg);

	CHECK_INT(run_cli(s, "/chunked", "-c 2 -n 500", &cfg, &res), 0);
	CHECK_INT(res.total->responses, 500);
	CHECK_INT(tally_error_total(res.total), 0);
	run_result_free(&res);
	cli_free(&cfg);

	CHECK_INT(run_cli(s, "/bytewise", "-c 3 -n 30", &cfg, &res), 0);
	CHECK_INT(res.total->responses, 30);
	CHECK_INT(tally_error_total(res.total), 0);
	run_result_free(&res);
	cli_free(&cfg);
}

static void test_failures(struct server *s)
{
	struct cfg cfg;
	struct run_result res;

	CHECK_INT(run_cli(s, "/500", "-c 2 -n 100", &cfg, &res), 0);
	CHECK_INT(res.total->status[500], 100);
	CHECK_INT(tally_status_range(res.total, 500, 599), 100);
	CHECK_INT(tally_error_total(res.total), 100);
	run_result_free(&res);
	cli_free(&cfg);

	CHECK_INT(run_cli(s, "/garbage", "-c 2 -n 40", &cfg, &res), 0);
	CHECK_INT(res.total->responses, 0);
	CHECK_INT(res.total->errors[TALLY_ERR_PARSE], 40);
	CHECK_INT(atomic_load(&s->requests), 40);
	run_result_free(&res);
	cli_free(&cfg);

	CHECK_INT(run_cli(s, "/cut", "-c 2 -n 20", &cfg, &res), 0);
	CHECK_INT(res.total->responses, 0);
	CHECK_INT(res.total->errors[TALLY_ERR_PARSE], 20);
	run_result_free(&res);
	cli_free(&cfg);

	uint64_t t0 = clock_now_ns();
	CHECK_INT(run_cli(s, "/hang", "-c 2 -d 1s --timeout 200ms", &cfg, &res), 0);
	uint64_t took = clock_now_ns() - t0;
	CHECK_INT(res.total->responses, 0);
	/* each connection times out every 200 ms (+ a tick): 6 to 10 in all */
	CHECK(res.total->errors[TALLY_ERR_TIMEOUT] >= 6 &&
	      res.total->errors[TALLY_ERR_TIMEOUT] <= 10);
	CHECK(took < 2500000000ull);
	run_result_free(&res);
	cli_free(&cfg);
}

static void test_duration(struct server *s)
{
	struct cfg cfg;
	struct run_result res;
	uint64_t t0 = clock_now_ns();

	CHECK_INT(run_cli(s, "/ok", "-c 8 -t 2 -d 700ms --warmup 200ms", &cfg, &res), 0);
	uint64_t took = clock_now_ns() - t0;
	CHECK(res.elapsed_ns >= 690000000ull && res.elapsed_ns < 800000000ull);
	CHECK(took >= 890000000ull && took < 1500000000ull);
	CHECK(res.total->responses > 100);
	CHECK_INT(tally_error_total(res.total), 0);
	/* everything sent after warmup was answered and counted (drained) */
	CHECK(atomic_load(&s->requests) >= res.total->responses);
	CHECK_INT(res.total->unfinished, 0);
	run_result_free(&res);
	cli_free(&cfg);
}

static void *stop_later(void *arg)
{
	(void)arg;
	usleep(300000);
	run_request_stop();
	return NULL;
}

/* Last: the stop flag stays set for the rest of the process. */
static void test_stop(struct server *s)
{
	struct cfg cfg;
	struct run_result res;
	pthread_t t;
	uint64_t t0 = clock_now_ns();
	pthread_create(&t, NULL, stop_later, NULL);
	CHECK_INT(run_cli(s, "/ok", "-c 4 -d 20s", &cfg, &res), 0);
	pthread_join(t, NULL);
	CHECK(clock_now_ns() - t0 < 1000000000ull);
	CHECK(res.interrupted);
	CHECK(res.total->responses > 0);
	run_result_free(&res);
	cli_free(&cfg);
}

int main(void)
{
	static struct server s4, s6;
	struct cfg cfg;
	run_install_signals();
	CHECK(server_start(&s4, AF_INET));
	test_counts(&s4);
	test_failures(&s4);
	test_duration(&s4);
	if (server_start(&s6, AF_INET6)) {
		struct run_result res;
		CHECK_INT(run_cli(&s6, "/ok", "-c 2 -n 100", &cfg, &res), 0);
		CHECK_INT(res.total->responses, 100);
		run_result_free(&res);
		cli_free(&cfg);
	} else {
		printf("IPv6 loopback unavailable: skipped the [::1] run\n");
	}
	/* nothing listens on the server's port once it is closed */
	uint16_t dead_port = s4.port;
	atomic_store(&s4.stop, true);
	shutdown(s4.fd, SHUT_RDWR);
	close(s4.fd);
	char url[64];
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/", dead_port);
	char *argv[] = {"mcpload", "http", url, NULL};
	CHECK_INT(cli_parse(&cfg, 3, argv, stderr), 0);
	CHECK_INT(run_preflight(&cfg), -ECONNREFUSED);
	cli_free(&cfg);
	static struct server s5;
	CHECK(server_start(&s5, AF_INET));
	test_stop(&s5);
	T_DONE();
}
