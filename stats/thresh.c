/*
 * thresh: the threshold expressions and their judgement. Latency figures
 * come from the label's (or the run's) successful responses, the error share from
 * tally_error_pct, the rate from the measured phase's length.
 */
#include "stats/thresh.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad(char *why, size_t wl, const char *text, const char *what)
{
	snprintf(why, wl, "threshold '%s': %s", text, what);
	return -EINVAL;
}

/* METRIC at the start of s; returns its length or 0. */
static size_t metric(const char *s, struct thresh *t)
{
	static const struct {
		const char *name;
		enum thresh_metric m;
	} named[] = {{"mean", THRESH_MEAN},	    {"avg", THRESH_MEAN},
		     {"max", THRESH_MAX_MS},	    {"errors", THRESH_ERRORS},
		     {"error_rate", THRESH_ERRORS}, {"rps", THRESH_RPS}};
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		size_t n = strlen(named[i].name);
		if (!strncmp(s, named[i].name, n) && !strchr("abcdefghijklmnopqrstuvwxyz_", s[n])) {
			t->metric = named[i].m;
			return n;
		}
	}
	if (s[0] == 'p' && s[1] >= '0' && s[1] <= '9') {
		char *end;
		t->pct = strtod(s + 1, &end);
		if (t->pct <= 0 || t->pct > 100)
			return 0;
		t->metric = THRESH_PCT;
		return (size_t)(end - s);
	}
	return 0;
}

static int value(const char *s, struct thresh *t)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || !isfinite(v) || v < 0)
		return -1;
	while (*end == ' ')
		end++;
	if (t->metric == THRESH_PCT || t->metric == THRESH_MEAN || t->metric == THRESH_MAX_MS) {
		double to_ms = !strcmp(end, "ns")	     ? 1e-6
			       : !strcmp(end, "us")	     ? 1e-3
			       : !strcmp(end, "ms") || !*end ? 1
			       : !strcmp(end, "s")	     ? 1e3
							     : -1;
		if (to_ms < 0)
			return -1;
		t->limit = v * to_ms;
		return 0;
	}
	if (t->metric == THRESH_ERRORS && (!*end || !strcmp(end, "%"))) {
		t->limit = v;
		return v <= 100 ? 0 : -1;
	}
	if (t->metric == THRESH_RPS && (!*end || !strcmp(end, "/s"))) {
		t->limit = v;
		return 0;
	}
	return -1;
}

int thresh_parse(const char *text, struct thresh *t, char *why, size_t wl)
{
	memset(t, 0, sizeof(*t));
	if (strlen(text) >= sizeof(t->text))
		return bad(why, wl, text, "too long");
	snprintf(t->text, sizeof(t->text), "%s", text);
	const char *s = text, *colon = strrchr(text, ':');
	if (colon) {
		if (colon == text || (size_t)(colon - text) >= sizeof(t->label))
			return bad(why, wl, text, "an empty or too long label before ':'");
		memcpy(t->label, text, (size_t)(colon - text));
		s = colon + 1;
	}
	while (*s == ' ')
		s++;
	size_t n = metric(s, t);
	if (!n)
		return bad(why, wl, text,
			   "the metric is p50, p95, p99 (any pN), mean, max, errors or rps");
	s += n;
	while (*s == ' ')
		s++;
	if (s[0] == '<')
		t->op = s[1] == '=' ? THRESH_LE : THRESH_LT;
	else if (s[0] == '>')
		t->op = s[1] == '=' ? THRESH_GE : THRESH_GT;
	else
		return bad(why, wl, text, "expected <, <=, > or >= after the metric");
	s += s[1] == '=' ? 2 : 1;
	while (*s == ' ')
		s++;
	if (value(s, t) < 0)
		return bad(why, wl, text,
			   t->metric == THRESH_ERRORS ? "expected a percentage, e.g. 1%"
			   : t->metric == THRESH_RPS  ? "expected a rate, e.g. 95"
						      : "expected a duration, e.g. 200ms");
	return 0;
}

const char *thresh_unit(const struct thresh *t)
{
	return t->metric == THRESH_ERRORS ? "%" : t->metric == THRESH_RPS ? "req/s" : "ms";
}

/* The tally a threshold is about: the run's, or one label's. */
static const struct tally *subject(const struct thresh *t, const struct result *res,
				   const struct plan *p)
{
	if (!t->label[0])
		return res->total;
	for (unsigned i = 0; p && res->slots && i < p->nlabels; i++)
		if (!strcmp(p->labels[i].name, t->label))
			return &res->slots[p->labels[i].slot];
	return NULL;
}

/* A latency figure of the successful responses: a latency over requests
 * that failed proves nothing (a 404 is fast). */
static bool ok_latency(struct thresh *t, const struct tally *ta)
{
	struct hist *ok = malloc(sizeof(*ok));
	if (!ok)
		return false;
	tally_ok_latency(ta, ok);
	t->requests = ok->count;
	t->value = t->metric == THRESH_PCT    ? (double)hist_percentile_ns(ok, t->pct) / 1e6
		   : t->metric == THRESH_MEAN ? hist_mean_ns(ok) / 1e6
					      : (double)ok->max_ns / 1e6;
	free(ok);
	return t->requests > 0;
}

void thresh_judge(struct thresh *t, const struct result *res, const struct plan *p)
{
	const struct tally *ta = subject(t, res, p);
	double secs = (double)res->elapsed_ns / 1e9;
	t->measured = false;
	t->passed = false;
	t->requests = 0;
	if (!ta)
		return;
	switch (t->metric) {
	case THRESH_PCT:
	case THRESH_MEAN:
	case THRESH_MAX_MS:
		if (!ok_latency(t, ta))
			return;
		break;
	case THRESH_ERRORS:
		t->requests = tally_attempted(ta);
		t->value = tally_error_pct(ta);
		break;
	case THRESH_RPS:
		t->requests = ta->responses;
		t->value = secs > 0 ? (double)ta->responses / secs : 0;
		break;
	}
	if (!t->requests)
		return;
	t->measured = true;
	t->passed = t->op == THRESH_LT	 ? t->value < t->limit
		    : t->op == THRESH_LE ? t->value <= t->limit
		    : t->op == THRESH_GT ? t->value > t->limit
					 : t->value >= t->limit;
}

double thresh_use(const struct thresh *t)
{
	bool upper = t->op == THRESH_LT || t->op == THRESH_LE;
	if (!t->measured || t->limit <= 0)
		return NAN;
	if (upper)
		return t->value / t->limit;
	return t->value > 0 ? t->limit / t->value : INFINITY;
}
