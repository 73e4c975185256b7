/*
 * rout: one place that knows which report files a run writes.
 */
#include "stats/report/rout.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "stats/report/out.h"
#include "stats/report/rcsv.h"
#include "stats/report/rhdr.h"
#include "stats/report/rhtml.h"
#include "stats/report/rjson.h"
#include "stats/report/rjunit.h"

int rout_check(const struct rout *o, char *why, size_t wl)
{
	const char *files[] = {o->json, o->junit, o->hdr_log, o->html};
	for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (files[i] && out_check(files[i], why, wl) < 0)
			return -EINVAL;
	return o->csv && rcsv_check(o->csv, why, wl) < 0 ? -EINVAL : 0;
}

static int junit(const char *path, const struct rdesc *d, const struct result *res, char *why,
		 size_t wl)
{
	struct rjunit *u = calloc(1, sizeof(*u));
	int r;
	if (!u) {
		snprintf(why, wl, "--junit: out of memory");
		return -ENOMEM;
	}
	u->name = d->cmdline;
	u->started_at = res->started_at;
	u->time_s = (double)res->elapsed_ns / 1e9;
	rjunit_run_cases(u, d, res);
	r = rjunit_write(path, u, why, wl);
	free(u);
	return r;
}

/* Keep the first failure's reason; go on with the other files. */
static void keep(int r, int *first, const char *msg, char *why, size_t wl)
{
	if (r < 0 && *first == 0) {
		*first = r;
		snprintf(why, wl, "%s", msg);
	}
}

int rout_write(const struct rout *o, const struct rdesc *d, const struct result *res, char *why,
	       size_t wl)
{
	char msg[512];
	int first = 0;
	if (o->json)
		keep(rjson_write(o->json, d, res, msg, sizeof(msg)), &first, msg, why, wl);
	if (o->csv)
		keep(rcsv_write(o->csv, d, res, msg, sizeof(msg)), &first, msg, why, wl);
	if (o->junit)
		keep(junit(o->junit, d, res, msg, sizeof(msg)), &first, msg, why, wl);
	if (o->hdr_log)
		keep(rhdr_write(o->hdr_log, d, res, msg, sizeof(msg)), &first, msg, why, wl);
	if (o->html)
		keep(rhtml_write(o->html, d, res, msg, sizeof(msg)), &first, msg, why, wl);
	return first;
}

int rout_write_unrun(const struct rout *o, const char *mode, const char *cmdline,
		     const char *target, time_t started_at, const char *reason,
		     const struct rshard *shard, char *why, size_t wl)
{
	char msg[512];
	int first = 0;
	if (o->json)
		keep(rjson_write_unrun(o->json, mode, cmdline, target, started_at, reason, shard,
				       msg, sizeof(msg)),
		     &first, msg, why, wl);
	if (o->junit) {
		struct rjunit *u = calloc(1, sizeof(*u));
		if (!u)
			return -ENOMEM;
		u->name = cmdline;
		u->started_at = started_at;
		rjunit_add(u, "run", "the run started", VERDICT_FAIL, 0, "%s: %s", target, reason);
		keep(rjunit_write(o->junit, u, msg, sizeof(msg)), &first, msg, why, wl);
		free(u);
	}
	return first;
}
