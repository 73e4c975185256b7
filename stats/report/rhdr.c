/*
 * rhdr: the interval log from the per-label timeline. Its histograms have
 * the timeline's 2 significant digits (within 0.8 %), said in each
 * histogram's header, so a reader's percentiles are as precise as it says.
 */
#include "stats/report/rhdr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stats/hdr.h"
#include "stats/report/out.h"
#include "stats/report/rlab.h"

struct log {
	const struct rdesc *d;
	const struct result *res;
	struct rlab lab[RLAB_MAX];
	unsigned n;
	uint64_t *one, *all; /* LTL_COUNTS each: a label's second, the second's sum */
};

/* The top of the highest bucket: the interval's max within the precision. */
static uint64_t top_ns(const uint64_t *c)
{
	for (unsigned i = LTL_COUNTS; i > 0; i--)
		if (c[i - 1])
			return ltl_bucket_high_ns(i - 1);
	return 0;
}

static int second(FILE *f, const struct log *g, unsigned s)
{
	struct hdr_counts hc = {g->one, LTL_COUNTS, LTL_DIGITS};
	struct ltl_view v;
	bool any = false;
	int r = 0;
	memset(g->all, 0, LTL_COUNTS * sizeof(*g->all));
	for (unsigned i = 0; r == 0 && i < g->n; i++) {
		if (!ltl_get(&g->res->ltl, s, g->lab[i].slot, &v) || !v.n)
			continue;
		memset(g->one, 0, LTL_COUNTS * sizeof(*g->one));
		ltl_add_counts(&v, 0, g->one);
		ltl_add_counts(&v, 0, g->all);
		any = true;
		r = hdr_log_counts(f, g->lab[i].name, s, 1.0, top_ns(g->one), &hc);
	}
	hc.counts = g->all;
	if (r == 0 && any)
		r = hdr_log_counts(f, NULL, s, 1.0, top_ns(g->all), &hc);
	return r;
}

static int fill(FILE *f, const void *ctx)
{
	const struct log *g = ctx;
	const struct rshard *sh = g->d->shard;
	/* a shard's own clock reading, to the microsecond, for merging logs */
	double start = sh && sh->measured_unix_ns ? (double)sh->measured_unix_ns / 1e9
		       : g->d->merge		  ? g->d->merge->t0_unix_s
				     : (double)g->res->started_at + (double)g->d->warmup_ns / 1e9;
	int r = hdr_log_header(f, start);
	if (r == 0 && sh &&
	    fprintf(f, "#[mcpload shard %u of %u, run_digest %s]\n", sh->index, sh->count,
		    sh->digest) < 0)
		r = -EIO;
	if (r == 0 && g->d->merge &&
	    fprintf(f, "#[mcpload merge of %u of %u shards, start skew %.3f ms]\n",
		    g->d->merge->ran, g->d->merge->expected, g->d->merge->skew_ms) < 0)
		r = -EIO;
	for (unsigned s = 0; r == 0 && s < g->res->ltl.nsec; s++)
		r = second(f, g, s);
	return r;
}

int rhdr_write(const char *path, const struct rdesc *d, const struct result *res, char *why,
	       size_t wl)
{
	struct log *g = calloc(1, sizeof(*g));
	struct rlab *all = calloc(RLAB_MAX, sizeof(*all));
	int r = -ENOMEM;
	if (g && all && (g->one = malloc(LTL_COUNTS * sizeof(uint64_t))) &&
	    (g->all = malloc(LTL_COUNTS * sizeof(uint64_t)))) {
		unsigned n = rlab_list(d, res, all, RLAB_MAX);
		g->d = d;
		g->res = res;
		for (unsigned i = 0; i < n; i++)
			if (all[i].parent < 0) /* a split value is a part of its label */
				g->lab[g->n++] = all[i];
		r = out_write(path, fill, g, why, wl);
	} else {
		snprintf(why, wl, "--hdr-log: out of memory");
	}
	if (g) {
		free(g->one);
		free(g->all);
	}
	free(g);
	free(all);
	return r;
}
