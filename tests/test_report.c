/*
 * The report writers end to end against mcpload-target: the progress line
 * (--progress) and the JSON timeline agree second by second; each label
 * has its own seconds in the JSON, summing to its requests; the --csv files
 * have Locust's headers (tests/fixtures/locust, byte for byte) and rows that
 * add up; --junit validates against the JUnit schema (xmllint).
 */
#include <math.h>
#include <sys/stat.h>

#include "stats/hdr.h"
#include "tests/tproc.h"
#include "tests/trun.h"

#define OUT "build/asan/tests/report-out"

/* The JSON's full distribution decodes to the run's count and p99. */
static void distribution(const struct run *r)
{
	static struct hist h;
	struct jsc_val v;
	CHECK_INT(jsc_get(r->json, r->json_len, "labels.0.latency_distribution.histogram", &v), 0);
	CHECK_INT(hdr_decode_base64(v.ptr, v.len, &h), 0);
	CHECK_INT(h.count, num(r, "labels.0.latency_distribution.count"));
	CHECK_INT(h.count, num(r, "labels.0.latency_ms.count"));
	double p99 = (double)hist_percentile_ns(&h, 99) / 1e6,
	       want = num(r, "labels.0.latency_ms.p99");
	CHECK(fabs(p99 - want) <= want / 1000 + 1e-6); /* one bucket: 3 significant digits */
}

static void url_of(const struct target *t, char *buf, size_t n)
{
	snprintf(buf, n, "http://127.0.0.1:%u", t->port);
}

/* Parse the progress lines: per second, the requests and the errors. */
static unsigned progress_rows(const char *err, unsigned long long *req, unsigned long long *errs,
			      unsigned cap)
{
	unsigned n = 0;
	for (const char *l = err; l && *l && n < cap; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *rps = strstr(l, " req/s"), *e = strstr(l, "errors ");
		const char *eol = strchr(l, '\n');
		if (l[0] != '[' || !rps || !e || (eol && (rps > eol || e > eol)))
			continue;
		const char *p = rps;
		while (p > l && p[-1] >= '0' && p[-1] <= '9')
			p--;
		req[n] = strtoull(p, NULL, 10);
		errs[n] = strtoull(e + 7, NULL, 10);
		n++;
	}
	return n;
}

static void agree(const struct run *r, const char *what)
{
	unsigned long long req[64], errs[64];
	unsigned n = progress_rows(r->err, req, errs, 64), rows = 0, bad = 0;
	char path[64];
	for (;; rows++) {
		snprintf(path, sizeof(path), "timeline.%u.requests", rows);
		if (num(r, path) < 0)
			break;
	}
	printf("  %s: %u progress lines, %u timeline seconds\n", what, n, rows);
	CHECK(n >= 2);
	CHECK_INT(n, rows);
	for (unsigned i = 0; i < n && i < rows; i++) {
		snprintf(path, sizeof(path), "timeline.%u.requests", i);
		bad += num(r, path) != (double)req[i];
		snprintf(path, sizeof(path), "timeline.%u.errors", i);
		bad += num(r, path) != (double)errs[i];
		if (bad)
			printf("    second %u: line %llu/%llu, json %.0f\n", i, req[i], errs[i],
			       num(r, path));
	}
	CHECK_INT(bad, 0);
}

/* Each label's seconds sum to its requests. */
static void label_seconds(const struct run *r, unsigned nlabels)
{
	char path[96];
	for (unsigned l = 0; l < nlabels; l++) {
		double sum = 0;
		for (unsigned s = 0;; s++) {
			snprintf(path, sizeof(path), "labels.%u.timeline.%u.requests", l, s);
			double v = num(r, path);
			if (v < 0)
				break;
			sum += v;
		}
		snprintf(path, sizeof(path), "labels.%u.requests", l);
		CHECK(num(r, path) > 0);
		CHECK(sum == num(r, path));
	}
}

static size_t load(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, cap - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = 0;
	return n;
}

/* The fields of one CSV line (quotes undone) into cells; returns how many. */
static unsigned csv_fields(const char *line, size_t len, char cells[][256], unsigned cap)
{
	unsigned n = 0;
	size_t i = 0;
	while (n < cap) {
		size_t k = 0;
		bool q = i < len && line[i] == '"';
		i += q;
		for (; i < len; i++) {
			if (q && line[i] == '"' && i + 1 < len && line[i + 1] == '"')
				i++;
			else if (q && line[i] == '"') {
				i++;
				break;
			} else if (!q && line[i] == ',')
				break;
			if (k < 255)
				cells[n][k++] = line[i];
		}
		cells[n++][k] = 0;
		if (i >= len || line[i] != ',')
			return n;
		i++;
	}
	return n;
}

/* Lines of a CRLF file: starts into at[], lengths without the CRLF. */
static unsigned crlf_lines(const char *buf, const char **at, size_t *len, unsigned cap)
{
	unsigned n = 0;
	for (const char *p = buf; *p && n < cap;) {
		const char *e = strstr(p, "\r\n");
		if (!e)
			return n + 1000; /* a line without CRLF: counted as wrong */
		at[n] = p;
		len[n++] = (size_t)(e - p);
		p = e + 2;
	}
	return n;
}

static char cells[32][256];

/* Our file's header equals Locust's; every row has as many fields. */
static unsigned csv_shape(const char *ours, const char *locust, char *buf, size_t cap,
			  const char **at, size_t *len)
{
	static char theirs[8192];
	const char *tat[2];
	size_t tlen[2];
	unsigned n, bad = 0, want;
	load(locust, theirs, sizeof(theirs));
	CHECK(crlf_lines(theirs, tat, tlen, 1) >= 1);
	CHECK(load(ours, buf, cap) > 0);
	n = crlf_lines(buf, at, len, 4096);
	CHECK(n >= 2 && n < 1000);
	if (n < 1 || n >= 1000)
		return 0;
	CHECK_MEM(at[0], len[0], tat[0], tlen[0]);
	want = csv_fields(at[0], len[0], cells, 32);
	for (unsigned i = 1; i < n; i++)
		bad += csv_fields(at[i], len[i], cells, 32) != want;
	CHECK_INT(bad, 0);
	return n;
}

/* The three files of --csv: Locust's headers; the stats rows add up to
 * the Aggregated row; history's last Aggregated totals are the stats';
 * the failures of each name add up to its Failure Count. */
static void check_csv(void)
{
	static char buf[1 << 20];
	static const char *at[4096];
	static size_t len[4096];
	unsigned long long sum = 0, fsum = 0, agg = 0, aggf = 0, occ = 0;
	unsigned n =
	    csv_shape(OUT "/loc_stats.csv", "tests/fixtures/locust/locust-2.12.1_stats.csv", buf,
		      sizeof(buf), at, len);
	for (unsigned i = 1; i < n; i++) {
		csv_fields(at[i], len[i], cells, 32);
		bool last = i + 1 == n;
		CHECK(last == (!strcmp(cells[1], "Aggregated") && !cells[0][0]));
		if (last) {
			agg = strtoull(cells[2], NULL, 10);
			aggf = strtoull(cells[3], NULL, 10);
		} else {
			sum += strtoull(cells[2], NULL, 10);
			fsum += strtoull(cells[3], NULL, 10);
		}
		CHECK(strspn(cells[11], "0123456789") == strlen(cells[11])); /* 50%: an integer */
	}
	CHECK(agg > 0);
	CHECK_INT(sum, agg);
	CHECK_INT(fsum, aggf);
	CHECK(aggf > 0); /* the target fails some on purpose */
	n = csv_shape(OUT "/loc_stats_history.csv",
		      "tests/fixtures/locust/locust-2.12.1_stats_history.csv", buf, sizeof(buf), at,
		      len);
	if (n > 1) {
		csv_fields(at[n - 1], len[n - 1], cells, 32);
		CHECK_STR(cells[3], "Aggregated");
		CHECK_INT(strtoull(cells[17], NULL, 10), agg);
		CHECK_INT(strtoull(cells[18], NULL, 10), aggf);
	}
	n = csv_shape(OUT "/loc_failures.csv", "tests/fixtures/locust/locust-2.12.1_failures.csv",
		      buf, sizeof(buf), at, len);
	for (unsigned i = 1; i < n; i++) {
		csv_fields(at[i], len[i], cells, 32);
		occ += strtoull(cells[3], NULL, 10);
	}
	CHECK_INT(occ, aggf);
}

static void check_junit(const char *file, unsigned min_cases)
{
	static char buf[1 << 16];
	char cmd[512];
	unsigned cases = 0;
	load(file, buf, sizeof(buf));
	for (const char *p = buf; (p = strstr(p, "<testcase ")); p++)
		cases++;
	printf("  %s: %u testcases\n", file, cases);
	CHECK(cases >= min_cases);
	if (system("command -v xmllint >/dev/null 2>&1") != 0) {
		printf("  SKIP: xmllint missing (apt-get install libxml2-utils): schema not "
		       "checked\n");
		return;
	}
	snprintf(cmd, sizeof(cmd),
		 "xmllint --noout --schema tests/fixtures/junit-10.xsd %s 2>&1 | tail -n 3", file);
	CHECK_INT(system(cmd), 0);
	snprintf(cmd, sizeof(cmd),
		 "xmllint --noout --schema tests/fixtures/junit-10.xsd %s >/dev/null 2>&1", file);
	CHECK_INT(system(cmd), 0);
}

static uint16_t free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	uint16_t port = 0;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static unsigned long long metric_of(const char *body, const char *name)
{
	const char *p = strstr(body, name);
	while (p && p > body && p[-1] != '\n')
		p = strstr(p + 1, name);
	return p ? strtoull(p + strlen(name), NULL, 10) : 0;
}

/* --live-metrics scraped while a run goes: the totals of the complete
 * seconds it has served equal the JSON timeline's same seconds. */
static void live_metrics(const char *url)
{
	static struct run r;
	static struct reply rep;
	struct target m = {0, free_port()};
	char addr[32], path[64];
	unsigned long long secs = 0, total = 0;
	snprintf(addr, sizeof(addr), "127.0.0.1:%u", m.port);
	const char *args[] = {
	    "run",    "task-api",     "--target",	url,  "-R", "100", "-d", "4",
	    "--json", OUT "/lm.json", "--live-metrics", addr, "-q", NULL};
	char *argv[16];
	unsigned n = 0;
	argv[n++] = (char *)mcpload();
	for (unsigned i = 0; args[i]; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	pid_t pid = fork();
	if (pid == 0) {
		alarm(60);
		execv(argv[0], argv);
		_exit(127);
	}
	/* scrape until two seconds are complete or the run is over */
	for (unsigned tries = 0; tries < 400 && secs < 2; tries++) {
		struct timespec ts = {0, 20 * 1000000};
		nanosleep(&ts, NULL);
		if (once(&m, "GET", "/metrics", NULL, &rep) != 200)
			continue;
		secs = metric_of(rep.body, "mcpload_elapsed_seconds ");
		total = metric_of(rep.body, "mcpload_responses_total ");
	}
	int st = 0;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 3));
	r.json_len = load(OUT "/lm.json", r.json, sizeof(r.json));
	double sum = 0;
	for (unsigned i = 0; i < secs; i++) {
		snprintf(path, sizeof(path), "timeline.%u.requests", i);
		sum += num(&r, path);
	}
	printf("  --live-metrics: %llu seconds served, %llu responses; the JSON's: %.0f\n", secs,
	       total, sum);
	CHECK(secs >= 1);
	CHECK(sum == (double)total);
}

int main(void)
{
	static struct run r;
	struct target t;
	char url[64], health[96];
	const char *extra[] = {"--error-rate", "0.2", NULL};
	if (!start(&t, extra)) {
		CHECK(!"target started");
		T_DONE();
	}
	url_of(&t, url, sizeof(url));
	snprintf(health, sizeof(health), "%s/tasks/next", url);

	const char *open[] = {"http", health, "-R", "400",	  "-d",
			      "3s",   "-c",   "8",  "--progress", NULL};
	run_bin(&r, mcpload(), open);
	CHECK(r.status == 0 || r.status == 3); /* 3: the generator was late (a busy machine) */
	agree(&r, "http open model");
	label_seconds(&r, 1);
	distribution(&r);

	const char *closed[] = {"http", health, "-d", "2s",	    "-c",
				"4",	"-t",	"2",  "--progress", NULL};
	run_bin(&r, mcpload(), closed);
	agree(&r, "http closed model, 2 threads");

	const char *scn[] = {"run", "task-api", "--target", url,	  "-R",
			     "100", "-d",	"3",	    "--progress", NULL};
	run_bin(&r, mcpload(), scn);
	CHECK(r.status == 0 || r.status == 3);
	agree(&r, "run task-api");
	label_seconds(&r, 2);
	CHECK(strstr(r.err, "5xx") != NULL); /* errors by class on the line */

	mkdir("build/asan/tests", 0777);
	mkdir(OUT, 0777);
	const char *files[] = {"run",	      "task-api",
			       "--target",    url,
			       "-R",	      "100",
			       "-d",	      "3",
			       "--csv",	      OUT "/loc",
			       "--junit",     OUT "/run.xml",
			       "--html",      OUT "/run.html",
			       "--hdr-log",   OUT "/run.hlog",
			       "--threshold", "p99<1s",
			       "--threshold", "errors<0.1%",
			       "-q",	      NULL};
	run_bin(&r, mcpload(), files);
	/* the errors threshold is missed on purpose; 3: the generator was late
	 * (a busy machine), which overrides it */
	CHECK(r.status == 99 || r.status == 3);
	check_csv();
	check_junit(OUT "/run.xml", 4);
	live_metrics(url);
	stop(&t);
	T_DONE();
}
