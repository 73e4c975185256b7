/*
 * The report writers end to end against mcpload-target: the progress line
 * (--progress) and the JSON timeline agree second by second; each label
 * has its own seconds in the JSON, summing to its requests.
 */
#include "tests/tproc.h"
#include "tests/trun.h"

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
	stop(&t);
	T_DONE();
}
