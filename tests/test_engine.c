/*
 * Engine tests over loopback against tests/tsrv (behaviour chosen by the
 * request path): real runs through the CLI parser and run_execute(). Counts are checked against
 * what the server saw.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/probe/probe.h"
#include "core/engine/awake.h"
#include "core/engine/clock.h"
#include "core/engine/run.h"
#include "core/engine/stamp.h"
#include "core/engine/steal.h"
#include "tests/t.h"
#include "tests/tload.h"
#include "tests/tsrv.h"

/* Run `mcpload http URL args...` in-process; returns run_execute's result. */
static int run_cli(struct tsrv *s, const char *path, const char *args, struct tload *cfg,
		   struct result *res)
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
	if (tload_parse(cfg, argc, argv) != 0)
		return -EINVAL;
	int r = run_execute(&cfg->ph.cfg, NULL, res, why, sizeof(why));
	if (r < 0)
		fprintf(stderr, "run failed: %s\n", why);
	/* the server counts a request when its head arrives: let it catch up */
	usleep(20000);
	return r;
}

static void test_counts(struct tsrv *s)
{
	struct tload cfg;
	struct result res;

	CHECK_INT(run_cli(s, "/ok", "-c 4 -t 2 -n 2000", &cfg, &res), 0);
	CHECK_INT(res.total->responses, 2000);
	CHECK_INT(res.total->status[200], 2000);
	CHECK_INT(res.total->latency.count, 2000);
	CHECK_INT(tally_error_total(res.total), 0);
	CHECK_INT(atomic_load(&s->requests), 2000);
	CHECK_INT(res.total->bytes_in, 2000 * (40 + 100)); /* 40-byte head */
	CHECK_INT(res.total->bytes_out, 2000 * cfg.p.fixed.len);
	CHECK(res.total->latency.min_ns > 0 && res.total->latency.max_ns < 5000000000ull);
	result_free(&res);
	tload_free(&cfg);

	CHECK_INT(run_cli(s, "/close", "-c 4 -t 1 -n 300", &cfg, &res), 0);
	CHECK_INT(res.total->responses, 300);
	CHECK_INT(tally_error_total(res.total), 0);
	CHECK(res.total->closes_by_server >= 296);
	CHECK_INT(atomic_load(&s->requests), 300);
	result_free(&res);
	tload_free(&cfg);

	CHECK_INT(run_cli(s, "/chunked", "-c 2 -n 500", &cfg, &res), 0);
	CHECK_INT(res.total->responses, 500);
	CHECK_INT(tally_error_total(res.total), 0);
	result_free(&res);
	tload_free(&cfg);

	CHECK_INT(run_cli(s, "/bytewise", "-c 3 -n 30", &cfg, &res), 0);
	CHECK_INT(res.total->responses, 30);
	CHECK_INT(tally_error_total(res.total), 0);
	result_free(&res);
	tload_free(&cfg);
}

static void test_failures(struct tsrv *s)
{
	struct tload cfg;
	struct result res;

	CHECK_INT(run_cli(s, "/500", "-c 2 -n 100", &cfg, &res), 0);
	CHECK_INT(res.total->status[500], 100);
	CHECK_INT(tally_status_range(res.total, 500, 599), 100);
	CHECK_INT(tally_error_total(res.total), 100);
	result_free(&res);
	tload_free(&cfg);

	CHECK_INT(run_cli(s, "/garbage", "-c 2 -n 40", &cfg, &res), 0);
	CHECK_INT(res.total->responses, 0);
	CHECK_INT(res.total->errors[TALLY_ERR_PARSE], 40);
	CHECK_INT(atomic_load(&s->requests), 40);
	result_free(&res);
	tload_free(&cfg);

	CHECK_INT(run_cli(s, "/cut", "-c 2 -n 20", &cfg, &res), 0);
	CHECK_INT(res.total->responses, 0);
	CHECK_INT(res.total->errors[TALLY_ERR_TRUNCATED], 20); /* cut short, not malformed */
	CHECK(res.total->bytes_in >= 20 * 10);		       /* what came is counted */
	result_free(&res);
	tload_free(&cfg);

	uint64_t t0 = clock_now_ns();
	CHECK_INT(run_cli(s, "/hang", "-c 2 -d 1s --timeout 200ms", &cfg, &res), 0);
	uint64_t took = clock_now_ns() - t0;
	printf("  /hang: %llu timeouts in %.2f s\n",
	       (unsigned long long)res.total->errors[TALLY_ERR_TIMEOUT], (double)took / 1e9);
	CHECK_INT(res.total->responses, 0);
	/* Each connection's request times out every 200 ms (plus the timer
	 * tick and however late this machine wakes the thread), and the one in
	 * flight at the end times out in the drain: at least one each, and
	 * never more than one per 200 ms of the run's own measured length
	 * plus the drain's. */
	uint64_t to = res.total->errors[TALLY_ERR_TIMEOUT];
	uint64_t most = 2 * ((took / 1000000) / 200 + 1);
	printf("  /hang: at most %llu timeouts fit in %.2f s\n", (unsigned long long)most,
	       (double)took / 1e9);
	CHECK(to >= 2 && to <= most);
	result_free(&res);
	tload_free(&cfg);
}

/* Hostile servers: nothing crashes or hangs, each failure has its class. */
static void test_hostile(struct tsrv *s)
{
	struct tload cfg;
	struct result res;
	static const struct {
		const char *path;
		enum tally_err cls;
	} cases[] = {
	    {"/flood1xx", TALLY_ERR_TIMEOUT},
	    {"/endlesshdr", TALLY_ERR_TOO_LARGE},
	    {"/hugechunk", TALLY_ERR_TIMEOUT},
	    {"/drop", TALLY_ERR_CLOSED},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t t0 = clock_now_ns();
		CHECK_INT(run_cli(s, cases[i].path, "-c 2 -t 1 -d 1s --timeout 300ms", &cfg, &res),
			  0);
		uint64_t took = clock_now_ns() - t0;
		printf("  %-12s %llu %s errors, %llu responses, %.2f s\n", cases[i].path,
		       (unsigned long long)res.total->errors[cases[i].cls],
		       tally_err_text(cases[i].cls), (unsigned long long)res.total->responses,
		       (double)took / 1e9);
		CHECK(res.total->errors[cases[i].cls] > 0);
		CHECK_INT(res.total->responses, 0);
		/* bounded: the run ends by itself, within its 1 s, the drain's
		 * min(--timeout, 2 s) and a loaded machine's second of slack */
		CHECK(took < 2300000000ull + 1000000000ull);
		result_free(&res);
		tload_free(&cfg);
	}
}

/*
 * The idle timeout's queue is kept lazily (a connection's entry stays put
 * from one request to the next, its deadline stale): a connection answering
 * every request well within --timeout, for longer than --timeout in all,
 * never times out; one that stops answering times out --timeout after its
 * last request, not after its first. Timed from the stale entry, the
 * second case would time out during the 7th answer (6 x 60 ms past the
 * first send and 400 ms in), not after the 8th: its answers per timeout
 * fall from 8 to 6.
 */
static void test_idle_timeout(struct tsrv *s)
{
	struct tload cfg;
	struct result res;

	CHECK_INT(run_cli(s, "/slow/20/0", "-c 2 -t 1 -d 2s --timeout 600ms", &cfg, &res), 0);
	uint64_t ok = res.total->responses, to = res.total->errors[TALLY_ERR_TIMEOUT];
	printf("  /slow/20/0, --timeout 600ms, 2 s: %llu responses, %llu timeouts\n",
	       (unsigned long long)ok, (unsigned long long)to);
	CHECK(ok >= 20); /* each connection busy for more than the timeout */
	CHECK_INT(to, 0);
	result_free(&res);
	tload_free(&cfg);

	CHECK_INT(run_cli(s, "/slow/60/8", "-c 2 -t 1 -d 2500ms --timeout 400ms", &cfg, &res), 0);
	ok = res.total->responses;
	to = res.total->errors[TALLY_ERR_TIMEOUT];
	printf("  /slow/60/8, --timeout 400ms, 2.5 s: %llu responses, %llu timeouts\n",
	       (unsigned long long)ok, (unsigned long long)to);
	/* every connection hung once at least; each timeout (but a
	 * connection's last, which may come in the drain) follows 8 answers */
	CHECK(to >= 2);
	CHECK(ok + 2 * 8 >= 8 * to);
	result_free(&res);
	tload_free(&cfg);
}

static void test_duration(struct tsrv *s)
{
	struct tload cfg;
	struct result res;
	uint64_t t0 = clock_now_ns();

	CHECK_INT(run_cli(s, "/ok", "-c 8 -t 2 -d 700ms --warmup 200ms", &cfg, &res), 0);
	uint64_t took = clock_now_ns() - t0;
	/* never shorter than asked; longer only by the drain (its 2 s bound)
	 * and how late a loaded machine wakes the threads */
	CHECK(res.elapsed_ns >= 690000000ull && res.elapsed_ns < 700000000ull + 2000000000ull);
	CHECK(took >= 890000000ull && took < 900000000ull + 3000000000ull);
	CHECK(res.total->responses > 100);
	CHECK_INT(tally_error_total(res.total), 0);
	/* everything sent after warmup was answered and counted (drained) */
	CHECK(atomic_load(&s->requests) >= res.total->responses);
	CHECK_INT(res.total->unfinished, 0);
	result_free(&res);
	tload_free(&cfg);
}

static void *stop_later(void *arg)
{
	(void)arg;
	usleep(300000);
	run_request_stop();
	return NULL;
}

/* Last: the stop flag stays set for the rest of the process. */
static void test_stop(struct tsrv *s)
{
	struct tload cfg;
	struct result res;
	pthread_t t;
	uint64_t t0 = clock_now_ns();
	pthread_create(&t, NULL, stop_later, NULL);
	CHECK_INT(run_cli(s, "/ok", "-c 4 -d 20s", &cfg, &res), 0);
	pthread_join(t, NULL);
	CHECK(clock_now_ns() - t0 < 1000000000ull);
	CHECK(res.interrupted);
	CHECK(res.total->responses > 0);
	result_free(&res);
	tload_free(&cfg);
}

/* One fresh loopback connection asking for receive stamps (as the engine's
 * do): true when its first read came stamped. */
static bool first_read_stamped(int listener, const struct sockaddr_in *at)
{
	char byte, ctrl[256];
	struct iovec io = {&byte, 1};
	struct msghdr m = {
	    .msg_iov = &io, .msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof(ctrl)};
	bool stamped = false;
	int c = socket(AF_INET, SOCK_STREAM, 0), s = -1;
	if (c >= 0 && stamp_enable(c, false) != STAMP_NONE &&
	    connect(c, (const struct sockaddr *)at, sizeof(*at)) == 0 &&
	    (s = accept(listener, NULL, NULL)) >= 0 && write(s, "x", 1) == 1 &&
	    recvmsg(c, &m, 0) == 1)
		for (struct cmsghdr *h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h))
			stamped |= h->cmsg_level == SOL_SOCKET;
	if (s >= 0)
		close(s);
	if (c >= 0)
		close(c);
	return stamped;
}

/* Linux turns packet stamping on from a work queue a moment after a socket
 * asks: without the run's hold, the first reads of fresh connections come
 * unstamped about half the time (measured: 118 of 200). Held, every one is
 * stamped, first to last. */
static void test_stamp_hold(void)
{
	bool ready;
	struct sockaddr_in at = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(at);
	int l = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(l >= 0 && bind(l, (struct sockaddr *)&at, sizeof(at)) == 0 && listen(l, 4) == 0 &&
	      getsockname(l, (struct sockaddr *)&at, &len) == 0);
	int held = stamp_hold(2000000000u, &ready);
	CHECK(held >= 0);
	CHECK(ready);
	unsigned stamped = 0;
	for (int i = 0; i < 50; i++)
		stamped += first_read_stamped(l, &at);
	printf("stamping held: %u of 50 fresh connections' first reads stamped\n", stamped);
	CHECK_INT(stamped, 50);
	if (held >= 0)
		close(held);
	close(l);
}

/* This process's threads named name (/proc/self/task/N/comm). */
static unsigned threads_named(const char *name)
{
	unsigned n = 0;
	char path[64], comm[32];
	DIR *d = opendir("/proc/self/task");
	for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%.20s/comm", e->d_name);
		FILE *f = fopen(path, "r");
		if (f && fgets(comm, sizeof(comm), f))
			n += strncmp(comm, name, strlen(name)) == 0;
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

/* --keep-awake: a spinner on the worker's CPU while the run lasts, gone
 * after it; its spin is not the client's CPU. When it got most of the run
 * (a quiet CPU), the client's user time (this process: the test server's
 * threads too) must be less than the spin it would otherwise include. */
static void test_keep_awake(struct tsrv *s)
{
	struct tload cfg;
	struct result res;
	CHECK_INT(run_cli(s, "/ok", "-R 200 -d 1s -c 2 -t 1 --keep-awake", &cfg, &res), 0);
	unsigned left = threads_named(AWAKE_THREAD_NAME);
	printf("  --keep-awake: %u CPU kept awake, spin %.2f s, client user %.3f s; spinners "
	       "left %u\n",
	       res.awake_cpus, (double)res.awake_cpu_ns / 1e9, (double)res.user_ns / 1e9, left);
	CHECK_INT(res.awake_cpus, 1);
	CHECK(res.total->responses > 100);
	CHECK_INT(left, 0);
	if (res.awake_cpu_ns > 800000000u)
		CHECK(res.user_ns < res.awake_cpu_ns);
	else
		printf("  (the spinner got %.2f s: this CPU was busy; the CPU check needs a quiet "
		       "one)\n",
		       (double)res.awake_cpu_ns / 1e9);
	result_free(&res);
	tload_free(&cfg);
}

/* /proc/stat's steal per CPU: the online CPUs read (some at least, none
 * past those asked for), never going backwards. */
static void test_steal(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);
	uint64_t a[64], b[64], guard = 12345;
	unsigned ncpu = n > 0 && n < 64 ? (unsigned)n : 64;
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	unsigned got = steal_read(a, ncpu);
	CHECK(got >= 1 && got <= ncpu);
	CHECK_INT(steal_read(b, ncpu), got);
	for (unsigned i = 0; i < ncpu; i++)
		CHECK(b[i] >= a[i]);
	CHECK(steal_read(&guard, 0) == 0 && guard == 12345); /* none asked for */
	printf("  steal read on %u CPUs, CPU 0 %.3f s so far\n", ncpu, (double)b[0] / 1e9);
}

int main(void)
{
	static struct tsrv s4, s6;
	struct tload cfg;
	run_install_signals();
	test_stamp_hold();
	test_steal();
	CHECK(tsrv_start(&s4, AF_INET));
	test_counts(&s4);
	test_failures(&s4);
	test_hostile(&s4);
	test_idle_timeout(&s4);
	test_keep_awake(&s4);
	test_duration(&s4);
	if (tsrv_start(&s6, AF_INET6)) {
		struct result res;
		CHECK_INT(run_cli(&s6, "/ok", "-c 2 -n 100", &cfg, &res), 0);
		CHECK_INT(res.total->responses, 100);
		result_free(&res);
		tload_free(&cfg);
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
	struct lopt o;
	struct prep p;
	char why[256];
	lopt_init(&o, CMD_HTTP);
	CHECK_INT(lopt_finish(&o, url, why, sizeof(why)), 0);
	CHECK_INT(prep_open(&p, &o, why, sizeof(why)), 0);
	char cwhy[256];
	CHECK_INT(probe_connect(&p.peer, cwhy, sizeof(cwhy)), -ECONNREFUSED);
	CHECK_INT(prep_reach(&p, &o, false, why, sizeof(why)), -ECONNREFUSED);
	CHECK(strstr(why, "cannot connect") != NULL);
	prep_free(&p);
	lopt_free(&o);
	static struct tsrv s5;
	CHECK(tsrv_start(&s5, AF_INET));
	test_stop(&s5);
	T_DONE();
}
