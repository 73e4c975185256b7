/*
 * tline: allocation, merge and percentiles for the per-second timeline.
 */
#include "stats/tline.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int tline_init(struct tline *t, unsigned seconds, uint64_t origin_ns)
{
	memset(t, 0, sizeof(*t));
	if (seconds > TLINE_MAX_SECONDS)
		seconds = TLINE_MAX_SECONDS;
	if (seconds == 0)
		seconds = 1;
	t->rows = calloc(seconds, sizeof(*t->rows));
	if (!t->rows)
		return -ENOMEM;
	t->nrows = seconds;
	t->origin_ns = origin_ns;
	return 0;
}

void tline_free(struct tline *t)
{
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

static uint64_t bucket_high(unsigned idx)
{
	return hist_log_high(idx, TLINE_SUB_BITS);
}

uint64_t tline_row_percentile(const struct tline_row *r, double pct)
{
	uint64_t total = 0, seen = 0, want;
	for (unsigned i = 0; i < TLINE_COUNTS; i++)
		total += r->lat[i];
	if (!total)
		return 0;
	want = (uint64_t)ceil(pct / 100.0 * (double)total);
	if (want == 0)
		want = 1;
	for (unsigned i = 0; i < TLINE_COUNTS; i++) {
		seen += r->lat[i];
		if (seen >= want)
			return bucket_high(i);
	}
	return bucket_high(TLINE_COUNTS - 1);
}

void tline_row_add(struct tline_row *acc, const struct tline_row *r)
{
	acc->responses += r->responses;
	acc->errors += r->errors;
	acc->sent += r->sent;
	acc->dropped += r->dropped;
	acc->users += r->users;
	acc->scheduled += r->scheduled;
	acc->on_time += r->on_time;
	for (unsigned k = 0; k < TLINE_ERR_KINDS; k++)
		acc->errs[k] += r->errs[k];
	for (unsigned i = 0; i < TLINE_COUNTS; i++)
		acc->lat[i] += r->lat[i];
}

void tline_row_sec(const struct tline_row *acc, struct tline_sec *o)
{
	o->responses = acc->responses;
	o->errors = acc->errors;
	o->sent = acc->sent;
	o->dropped = acc->dropped;
	o->users = acc->users;
	o->scheduled = acc->scheduled;
	o->on_time = acc->on_time;
	for (unsigned k = 0; k < TLINE_ERR_KINDS; k++)
		o->errs[k] = acc->errs[k];
	o->p50_ns = tline_row_percentile(acc, 50);
	o->p99_ns = tline_row_percentile(acc, 99);
	o->max_bucket_ns = tline_row_percentile(acc, 100);
}

bool tline_sec_active(const struct tline_sec *s)
{
	return s->responses || s->errors || s->sent || s->dropped || s->users || s->scheduled;
}

int tline_merge(const struct tline *parts, unsigned n, struct tline_sec **out, unsigned *nsec)
{
	unsigned rows = 0, last = 0;
	struct tline_row *acc;

	for (unsigned w = 0; w < n; w++)
		if (parts[w].used > rows)
			rows = parts[w].used;
	*out = calloc(rows ? rows : 1, sizeof(**out));
	acc = calloc(1, sizeof(*acc));
	if (!*out || !acc) {
		free(*out);
		free(acc);
		*out = NULL;
		return -ENOMEM;
	}
	for (unsigned s = 0; s < rows; s++) {
		memset(acc, 0, sizeof(*acc));
		for (unsigned w = 0; w < n; w++)
			if (s < parts[w].used)
				tline_row_add(acc, &parts[w].rows[s]);
		tline_row_sec(acc, &(*out)[s]);
		if (tline_sec_active(&(*out)[s]))
			last = s + 1;
	}
	free(acc);
	*nsec = last;
	return 0;
}

const char *tline_err_key(unsigned k)
{
	return k == TLINE_ERR_4XX   ? "status_4xx"
	       : k == TLINE_ERR_5XX ? "status_5xx"
				    : tally_err_key((enum tally_err)k);
}

const char *tline_err_text(unsigned k)
{
	return k == TLINE_ERR_4XX   ? "status 4xx"
	       : k == TLINE_ERR_5XX ? "status 5xx"
				    : tally_err_text((enum tally_err)k);
}
