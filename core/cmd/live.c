/*
 * live: the progress line and the memory samples, both from the
 * supervising thread. A second is shown once every worker is past it,
 * merged from their timeline rows exactly as the report merges them, so
 * the line and the JSON timeline agree second by second.
 */
#include "core/cmd/live.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/cmd/lmetrics.h"
#include "core/probe/memsrc.h"
#include "scenarios/stage.h"

#define BAR_WIDTH  20
#define LINE_KINDS 3 /* error kinds shown on the line: the most frequent */

enum live_progress live_mode(bool quiet, bool forced)
{
	if (quiet)
		return LIVE_QUIET;
	if (forced)
		return LIVE_LINES;
	return isatty(STDERR_FILENO) ? LIVE_TERMINAL : LIVE_QUIET;
}

static void start(void *ctx, uint64_t t0_ns)
{
	struct live *l = ctx;
	l->t0_ns = t0_ns;
	l->next_ns = t0_ns + 1000000000ull;
	if (memsrc_start(&l->trend, &l->mem, t0_ns, l->warmup_ns, l->seconds ? l->seconds : 3600) <
	    0)
		fprintf(stderr, "mcpload: note: no memory samples (out of memory)\n");
	if ((l->progress || l->metrics) && !(l->row = calloc(1, sizeof(*l->row)))) {
		fprintf(stderr,
			"mcpload: note: no progress line or live metrics (out of memory)\n");
		l->progress = LIVE_QUIET;
		l->metrics = NULL;
	}
	if (l->metrics)
		l->metrics->duration_s = (l->duration_ns + 999999999ull) / 1000000000ull;
}

/* The most frequent error kinds of the second: "(timeout 3, 5xx 1)". */
static void error_kinds(const struct tline_sec *s)
{
	bool shown[TLINE_ERR_KINDS] = {false};
	for (unsigned n = 0; n < LINE_KINDS; n++) {
		unsigned best = TLINE_ERR_KINDS;
		for (unsigned k = 0; k < TLINE_ERR_KINDS; k++)
			if (s->errs[k] && !shown[k] &&
			    (best == TLINE_ERR_KINDS || s->errs[k] > s->errs[best]))
				best = k;
		if (best == TLINE_ERR_KINDS)
			break;
		shown[best] = true;
		fprintf(stderr, "%s%s %llu", n ? ", " : " (", tline_err_key(best),
			(unsigned long long)s->errs[best]);
	}
	if (s->errors)
		fputc(')', stderr);
}

/* "[  12/30 s] [######..............]" over the measured phase. */
static void elapsed(const struct live *l, unsigned sec)
{
	uint64_t total = (l->duration_ns + 999999999ull) / 1000000000ull;
	if (!total || sec >= total) { /* unbounded, or the drain after the end */
		fprintf(stderr, "[%5u s]%*s", sec + 1, total ? BAR_WIDTH + 7 : 0, "");
		return;
	}
	uint64_t fill = (sec + 1) * BAR_WIDTH / total;
	fprintf(stderr, "[%5u/%llu s] [", sec + 1, (unsigned long long)total);
	for (unsigned i = 0; i < BAR_WIDTH; i++)
		fputc(i < fill ? '#' : '.', stderr);
	fputc(']', stderr);
}

/* One second of the measured phase, as the JSON timeline has it. */
static void line(struct live *l, unsigned sec, const struct tline_sec *s)
{
	l->requests += s->responses;
	l->errors += s->errors;
	fputs(l->progress == LIVE_TERMINAL ? "\r\033[K" : "", stderr);
	elapsed(l, sec);
	fprintf(stderr, " %8llu req/s  p50 %.3f ms  p99 %.3f ms  errors %llu",
		(unsigned long long)s->responses, (double)s->p50_ns / 1e6, (double)s->p99_ns / 1e6,
		(unsigned long long)s->errors);
	error_kinds(s);
	if (l->plan) {
		const struct scn_shape *sh = &l->plan->shape;
		fprintf(stderr, "  users %llu", (unsigned long long)s->users);
		if (sh->nstages) {
			unsigned k = stage_index(sh->stages, sh->nstages,
						 l->warmup_ns + (uint64_t)sec * 1000000000ull);
			fprintf(stderr, "  stage %u/%u", k < sh->nstages ? k + 1 : sh->nstages,
				sh->nstages);
		}
	}
	if (l->open_loop)
		fprintf(stderr, "  on time %.1f%%  dropped %llu",
			s->scheduled ? 100.0 * (double)s->on_time / (double)s->scheduled : 100.0,
			(unsigned long long)s->dropped);
	fprintf(stderr, "  total %llu", (unsigned long long)l->requests);
	fputs(l->progress == LIVE_LINES ? "\n" : "", stderr);
	fflush(stderr);
	l->last = *s;
}

/* Show the seconds every worker is past; at the end (done UINT32_MAX) the
 * rest up to the last one with anything in it, as the JSON keeps them. */
static void catch_up(struct live *l, const struct run_live *v)
{
	struct tline_sec s;
	unsigned upto = v->secs_done, last = l->next_sec;
	if (upto == UINT32_MAX) {
		for (unsigned i = l->next_sec; run_live_second(v, i, l->row, &s); i++)
			if (tline_sec_active(&s))
				last = i + 1;
		upto = last;
	}
	for (; l->next_sec < upto; l->next_sec++) {
		if (!run_live_second(v, l->next_sec, l->row, &s))
			break;
		if (l->metrics)
			lmetrics_second(l->metrics, &s);
		if (l->progress)
			line(l, l->next_sec, &s);
	}
}

static void warming(const struct live *l, uint64_t now_ns)
{
	fprintf(stderr, "%s[warmup %4.1f/%.0f s]%s", l->progress == LIVE_TERMINAL ? "\r\033[K" : "",
		(double)(now_ns - l->t0_ns) / 1e9, (double)l->warmup_ns / 1e9,
		l->progress == LIVE_LINES ? "\n" : "");
}

static void tick(void *ctx, uint64_t now_ns, const struct run_live *v)
{
	struct live *l = ctx;
	memsrc_tick(&l->trend, now_ns);
	if (l->metrics)
		lmetrics_serve(l->metrics, now_ns);
	if (!l->progress && !l->metrics)
		return;
	if (now_ns - l->t0_ns < l->warmup_ns) {
		if (!l->progress)
			return;
		if (now_ns >= l->next_ns) {
			warming(l, now_ns);
			l->next_ns += 1000000000ull;
		}
		return;
	}
	catch_up(l, v);
}

static void end(void *ctx, uint64_t now_ns, const struct run_live *v)
{
	struct live *l = ctx;
	memsrc_finish(&l->trend, now_ns);
	if (l->progress || l->metrics)
		catch_up(l, v);
	if (l->progress == LIVE_TERMINAL)
		fprintf(stderr, "\r\033[K");
	free(l->row);
	l->row = NULL;
}

struct run_watch live_watch(struct live *l)
{
	return (struct run_watch){start, tick, end, l};
}

int live_execute(struct cfg *cfg, const struct plan *plan, enum live_progress progress,
		 const struct memtrend_opts *mem, struct lmetrics *metrics, struct result *res,
		 char *why, size_t wl)
{
	struct live l = {.progress = progress,
			 .plan = plan,
			 .open_loop = cfg->rate > 0,
			 .mem = *mem,
			 .warmup_ns = cfg->warmup_ns,
			 .duration_ns = cfg->duration_ns,
			 .metrics = metrics};
	l.seconds = cfg->duration_ns ? (cfg->warmup_ns + cfg->duration_ns) / 1000000000ull + 1 : 0;
	struct run_watch w = live_watch(&l);
	int r = run_execute(cfg, &w, res, why, wl);
	if (r < 0) {
		memtrend_free(&l.trend);
		return r;
	}
	res->mem = l.trend; /* the result owns the samples now */
	return 0;
}
