/*
 * test_tls: https against the tests' own HTTPS server (tests/ttls) and
 * openssl s_server, with a CA and certificates made for the test: verified
 * runs with no error, keep-alive and one connection a request; resumption;
 * each refusal with its class in the engine and its one line (and exit
 * status) from the binary: an untrusted CA, an expired certificate, another
 * name, a fatal alert mid-stream, a record cut short, plain HTTP on the
 * port, a TLS 1.3-only server; --insecure said; mutual TLS.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/engine/run.h"
#include "tests/t.h"
#include "tests/tload.h"
#include "tests/tsrv.h"
#include "tests/ttls.h"

static struct ttls s;

static bool run_line(const char *line, struct tload *cfg, struct result *res)
{
	if (tload_run_line(line, cfg, res) == 0)
		return true;
	CHECK(false);
	tload_free(cfg);
	return false;
}

static void verified(void)
{
	char line[512];
	struct tload cfg;
	struct result res;
	snprintf(line, sizeof(line),
		 "mcpload http https://localhost:%u/ok -c 4 -n 400 -t 1 --cacert %s/ca.pem -q",
		 s.port, s.dir);
	if (!run_line(line, &cfg, &res))
		return;
	const struct tally *t = res.total;
	printf("  keep-alive: %llu responses, %llu errors, %llu handshakes\n",
	       (unsigned long long)t->responses, (unsigned long long)tally_error_total(t),
	       (unsigned long long)t->tls_handshakes);
	CHECK_INT(t->status[200], 400);
	CHECK_INT(tally_error_total(t), 0);
	/* reused connections; on a busy machine a connection may not finish
	 * its handshake before the other three have sent all 400 */
	CHECK(t->tls_handshakes >= 1 && t->tls_handshakes < 40);
	CHECK_INT(t->handshake.count, t->tls_handshakes);
	CHECK_INT(t->first.count, 400);
	CHECK(t->connect.count >= 4);
	result_free(&res);
	tload_free(&cfg);
}

/* One connection a request (Connection: close): resumed, or not when off. */
static void resumption(bool on)
{
	char line[512];
	struct tload cfg;
	struct result res;
	snprintf(line, sizeof(line),
		 "mcpload http https://localhost:%u/close -c 2 -n 200 -t 1 --cacert %s/ca.pem "
		 "--tls-resume %s -q",
		 s.port, s.dir, on ? "on" : "off");
	if (!run_line(line, &cfg, &res))
		return;
	const struct tally *t = res.total;
	double share = t->tls_handshakes ? (double)t->tls_resumed / (double)t->tls_handshakes : 0;
	printf("  resumption %s: %llu handshakes, %llu resumed (%.1f %%), %llu errors\n",
	       on ? "on" : "off", (unsigned long long)t->tls_handshakes,
	       (unsigned long long)t->tls_resumed, 100 * share,
	       (unsigned long long)tally_error_total(t));
	CHECK_INT(t->status[200], 200);
	CHECK_INT(tally_error_total(t), 0);
	CHECK(t->tls_handshakes >= 190);
	if (on)
		CHECK(share > 0.9);
	else
		CHECK_INT(t->tls_resumed, 0);
	result_free(&res);
	tload_free(&cfg);
}

/* Parse (and pre-flight) a command line split at spaces; false on failure. */
static bool parse_line(char *line, struct tload *cfg)
{
	char *argv[24];
	int argc = 0;
	for (char *tok = strtok(line, " "); tok && argc < 23; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	if (tload_parse(cfg, argc, argv) == 0)
		return true;
	CHECK(false);
	return false;
}

/* The pre-flight sees the good certificate; the load gets `serve`. */
static void refused(enum ttls_cert serve, const char *path, enum tally_err want)
{
	char line[512];
	struct tload cfg;
	struct result res;
	char why[256];
	snprintf(line, sizeof(line),
		 "mcpload http https://localhost:%u%s -c 2 -d 1s -t 1 --cacert %s/ca.pem -q",
		 s.port, path, s.dir);
	if (!parse_line(line, &cfg))
		return;
	atomic_store(&s.which, (int)serve);
	int r = run_execute(&cfg.ph.cfg, NULL, &res, why, sizeof(why));
	atomic_store(&s.which, TTLS_GOOD);
	CHECK_INT(r, 0);
	if (r != 0) {
		tload_free(&cfg);
		return;
	}
	const struct tally *t = res.total;
	uint64_t others = tally_error_total(t) - t->errors[want];
	printf("  %-24s %s %llu, other classes %llu, successes %llu: %s\n", path,
	       tally_err_text(want), (unsigned long long)t->errors[want],
	       (unsigned long long)others, (unsigned long long)t->status[200],
	       t->msgs.m[0].n ? t->msgs.m[0].text : "(no words)");
	CHECK(t->errors[want] > 0);
	CHECK_INT(others, 0);
	CHECK(t->msgs.m[0].n > 0);
	if (want != TALLY_ERR_TLS_ALERT && want != TALLY_ERR_TLS_TRUNCATED)
		CHECK_INT(t->status[200], 0);
	result_free(&res);
	tload_free(&cfg);
}

/* Once the server has answered three requests (or after 10 s), it
 * changes to a chain nobody trusts. */
static void *untrusted_later(void *arg)
{
	unsigned long from = *(const unsigned long *)arg;
	for (int i = 0; i < 2000 && atomic_load(&s.served) < from + 3; i++)
		usleep(5000);
	atomic_store(&s.which, TTLS_UNTRUSTED);
	return NULL;
}

/* Full handshakes on one connection a request; after three answers the
 * server changes to a chain nobody trusts: the verified-chain cache takes
 * the chain it verified, never another one. */
static void chain_cache(void)
{
	char line[512], why[256];
	struct tload cfg;
	struct result res;
	pthread_t th;
	snprintf(line, sizeof(line),
		 "mcpload http https://localhost:%u/close -c 2 -d 3s -t 1 --cacert %s/ca.pem "
		 "--tls-resume off -q",
		 s.port, s.dir);
	if (!parse_line(line, &cfg))
		return;
	unsigned long from = atomic_load(&s.served);
	pthread_create(&th, NULL, untrusted_later, &from);
	int r = run_execute(&cfg.ph.cfg, NULL, &res, why, sizeof(why));
	pthread_join(th, NULL);
	atomic_store(&s.which, TTLS_GOOD);
	CHECK_INT(r, 0);
	if (r == 0) {
		const struct tally *t = res.total;
		printf("  chain cache: %llu full handshakes, %llu responses, then %llu refused "
		       "(untrusted)\n",
		       (unsigned long long)t->tls_handshakes, (unsigned long long)t->status[200],
		       (unsigned long long)t->errors[TALLY_ERR_TLS_CA]);
		CHECK(t->status[200] >= 2);
		CHECK(t->errors[TALLY_ERR_TLS_CA] > 0);
		CHECK_INT(t->tls_resumed, 0);
		result_free(&res);
	}
	tload_free(&cfg);
}

/* --- the binary: one line and the exit status --- */

static int run_bin(const char *args, char *out, size_t cap)
{
	const char *bin = getenv("MCPLOAD") ? getenv("MCPLOAD") : "build/mcpload";
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", bin, args);
	FILE *p = popen(cmd, "r");
	size_t n = p ? fread(out, 1, cap - 1, p) : 0;
	out[n] = 0;
	int st = p ? pclose(p) : -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void says(const char *args, int want_exit, const char *want_text)
{
	char out[8192];
	int st = run_bin(args, out, sizeof(out));
	bool has = strstr(out, want_text) != NULL;
	printf("  exit %d, %s: %s\n", st, has ? "says" : "DOES NOT SAY", want_text);
	if (!has || st != want_exit)
		fprintf(stderr, "%s\n", out);
	CHECK_INT(st, want_exit);
	CHECK(has);
}

static void binary_lines(const struct tsrv *plain)
{
	char a[512];
	snprintf(a, sizeof(a), "http https://localhost:%u/ok -n 5 -q", s.port);
	says(a, 1, "is not signed by a CA mcpload trusts (give the CA with --cacert FILE");
	snprintf(a, sizeof(a), "http https://localhost:%u/ok -n 5 --cacert %s/other-ca.pem -q",
		 s.port, s.dir);
	says(a, 1, "is not signed by a CA mcpload trusts");
	snprintf(a, sizeof(a), "http https://localhost:%u/ok -n 5 --insecure", s.port);
	says(a, 0, "NOT VERIFIED (--insecure)");
	snprintf(a, sizeof(a), "http https://localhost:%u/ok -n 5 --cacert %s/ca.pem", s.port,
		 s.dir);
	says(a, 0, "verified against");
	snprintf(a, sizeof(a), "http https://127.0.0.1:%u/ok -n 5 --cacert %s/ca.pem", s.port,
		 s.dir);
	says(a, 0, "the chain only: an IP address is not matched");
	snprintf(a, sizeof(a), "http https://localhost:%u/ok -n 5 --cacert %s/ca.pem -q",
		 plain->port, s.dir);
	says(a, 1, "the server answered in plain HTTP, not TLS: use http://");
	snprintf(a, sizeof(a), "http https://localhost:%u/ -n 5 --cacert /nonexistent.pem", s.port);
	says(a, 2, "--cacert /nonexistent.pem");
}

/* openssl s_server on a free port with args, until the returned pid is
 * killed; 0 when it does not come up. */
static pid_t s_server(uint16_t port, const char *args)
{
	char cmd[1024];
	pid_t pid = fork();
	if (pid == 0) {
		snprintf(cmd, sizeof(cmd),
			 "cd %s && exec openssl s_server -accept 127.0.0.1:%u -cert srv.pem -key "
			 "srv.key "
			 "-www -quiet %s >/dev/null 2>&1",
			 s.dir, port, args);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100; i++) { /* until it listens, at most 5 s */
		char probe[128];
		snprintf(probe, sizeof(probe), "exec 3<>/dev/tcp/127.0.0.1/%u", port);
		char sh[256];
		snprintf(sh, sizeof(sh), "bash -c '%s' 2>/dev/null", probe);
		if (system(sh) == 0)
			return pid;
		usleep(50000);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return 0;
}

static void stop_server(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

static void openssl_servers(void)
{
	char a[512];
	uint16_t port = ttls_free_port();
	pid_t pid = s_server(port, "-tls1_3");
	CHECK(pid > 0);
	if (pid > 0) {
		snprintf(a, sizeof(a), "http https://localhost:%u/ -n 2 --cacert %s/ca.pem -q",
			 port, s.dir);
		says(a, 1, "it speaks only TLS 1.3");
		stop_server(pid);
	}
	port = ttls_free_port();
	pid = s_server(port, "-Verify 1 -CAfile ca.pem");
	CHECK(pid > 0);
	if (pid > 0) {
		snprintf(a, sizeof(a),
			 "http https://localhost:%u/ -n 3 --cacert %s/ca.pem --cert %s/client.pem "
			 "--key %s/client.key",
			 port, s.dir, s.dir, s.dir);
		says(a, 0, "200: 3");
		snprintf(a, sizeof(a), "http https://localhost:%u/ -n 3 --cacert %s/ca.pem -q",
			 port, s.dir);
		says(a, 1, "TLS handshake failed");
		stop_server(pid);
	}
}

/* A plain HTTP server: whatever comes, a 400 and the close. */
static void *plain_serve(void *arg)
{
	static const char no[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
				 "Connection: close\r\n\r\n";
	struct tsrv_conn *c = arg;
	char buf[512];
	if (read(c->fd, buf, sizeof(buf)) > 0)
		tsrv_send_all(c->fd, no, sizeof(no) - 1);
	close(c->fd);
	free(c);
	return NULL;
}

int main(void)
{
	static struct tsrv plain;
	static _Atomic bool plain_stop;
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_install_signals();
	if (!ttls_start(&s)) {
		CHECK(false);
		T_DONE();
	}
	plain.fd = tsrv_listen(AF_INET, &plain.port, plain_serve, NULL, &plain_stop);
	CHECK(plain.fd >= 0);
	printf("test_tls: certificates in %s, server on port %u\n", s.dir, s.port);
	verified();
	resumption(true);
	resumption(false);
	refused(TTLS_UNTRUSTED, "/ok", TALLY_ERR_TLS_CA);
	refused(TTLS_EXPIRED, "/ok", TALLY_ERR_TLS_EXPIRED);
	refused(TTLS_OTHER_NAME, "/ok", TALLY_ERR_TLS_NAME);
	refused(TTLS_GOOD, "/alert", TALLY_ERR_TLS_ALERT);
	refused(TTLS_GOOD, "/trunc", TALLY_ERR_TLS_TRUNCATED);
	chain_cache();
	binary_lines(&plain);
	openssl_servers();
	char rm[128];
	snprintf(rm, sizeof(rm), "rm -rf %s", s.dir);
	if (system(rm) != 0)
		fprintf(stderr, "test_tls: could not remove %s\n", s.dir);
	T_DONE();
}
