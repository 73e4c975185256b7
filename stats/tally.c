/*
 * tally: merge and derived counts over per-worker tallies.
 */
#include "stats/tally.h"

#include <string.h>

void tally_reset(struct tally *t)
{
	memset(t, 0, sizeof(*t));
}

void tally_count_code(struct tally_mcp *m, int64_t code, uint64_t n)
{
	for (unsigned i = 0; i < TALLY_CODES; i++) {
		if (m->codes[i].n && m->codes[i].code == code) {
			m->codes[i].n += n;
			return;
		}
		if (!m->codes[i].n) {
			m->codes[i] = (struct tally_code){code, n};
			return;
		}
	}
	m->codes_other += n;
}

void tally_count_method(struct tally_mcp *m, const char *name, size_t len, uint64_t n)
{
	for (unsigned i = 0; len < TALLY_METHOD_LEN && i < TALLY_METHODS; i++) {
		struct tally_method *t = &m->methods[i];
		if (t->n && strlen(t->name) == len && memcmp(t->name, name, len) == 0) {
			t->n += n;
			return;
		}
		if (!t->n) {
			memcpy(t->name, name, len);
			t->name[len] = 0;
			t->n = n;
			return;
		}
	}
	m->methods_other += n;
}

static void merge_mcp(struct tally_mcp *d, const struct tally_mcp *s)
{
	d->sessions += s->sessions;
	d->reinits += s->reinits;
	d->ended += s->ended;
	d->sse += s->sse;
	d->events += s->events;
	d->notifications += s->notifications;
	d->progress += s->progress;
	d->server_requests += s->server_requests;
	for (unsigned i = 0; i < TALLY_CODES && s->codes[i].n; i++)
		tally_count_code(d, s->codes[i].code, s->codes[i].n);
	d->codes_other += s->codes_other;
	for (unsigned i = 0; i < TALLY_METHODS && s->methods[i].n; i++)
		tally_count_method(d, s->methods[i].name, strlen(s->methods[i].name),
				   s->methods[i].n);
	d->methods_other += s->methods_other;
}

void tally_count_msg(struct tally_msgs *m, const char *text, size_t len, uint64_t n)
{
	char t[TALLY_MSG_LEN];
	size_t k = len < sizeof(t) - 1 ? len : sizeof(t) - 1;
	for (size_t i = 0; i < k; i++)
		t[i] = (unsigned char)text[i] < 0x20 || text[i] == 0x7f ? ' ' : text[i];
	if (len > k)
		memcpy(t + k - 3, "...", 3);
	t[k] = 0;
	for (unsigned i = 0; i < TALLY_MSGS; i++) {
		if (m->m[i].n && !strcmp(m->m[i].text, t)) {
			m->m[i].n += n;
			return;
		}
		if (!m->m[i].n) {
			memcpy(m->m[i].text, t, k + 1);
			m->m[i].n = n;
			return;
		}
	}
	m->other += n;
}

void tally_ok_latency(const struct tally *t, struct hist *out)
{
	hist_subtract(out, &t->latency, &t->failed);
}

void tally_merge(struct tally *dst, const struct tally *src)
{
	dst->responses += src->responses;
	dst->stamped += src->stamped;
	dst->tx_stamped += src->tx_stamped;
	dst->ok += src->ok;
	for (unsigned i = 0; i < TALLY_MSGS && src->msgs.m[i].n; i++)
		tally_count_msg(&dst->msgs, src->msgs.m[i].text, strlen(src->msgs.m[i].text),
				src->msgs.m[i].n);
	dst->msgs.other += src->msgs.other;
	dst->bytes_in += src->bytes_in;
	dst->body_bytes += src->body_bytes;
	dst->bytes_out += src->bytes_out;
	for (unsigned i = 0; i < LIM_STATUS_CODES; i++)
		dst->status[i] += src->status[i];
	for (unsigned i = 0; i < TALLY_ERR__COUNT; i++)
		dst->errors[i] += src->errors[i];
	dst->connects += src->connects;
	dst->closes_by_server += src->closes_by_server;
	dst->unfinished += src->unfinished;
	dst->nobufs += src->nobufs;
	dst->wakeups += src->wakeups;
	dst->completions += src->completions;
	dst->scheduled += src->scheduled;
	dst->sent += src->sent;
	dst->iterations += src->iterations;
	dst->skipped += src->skipped;
	dst->captures_failed += src->captures_failed;
	dst->retried += src->retried;
	dst->backoffs += src->backoffs;
	dst->backoff_ns += src->backoff_ns;
	dst->tls_handshakes += src->tls_handshakes;
	dst->tls_resumed += src->tls_resumed;
	merge_mcp(&dst->mcp, &src->mcp);
	dst->on_time += src->on_time;
	dst->waited += src->waited;
	dst->dropped += src->dropped;
	dst->unsent += src->unsent;
	dst->unsent_idle += src->unsent_idle;
	hist_merge(&dst->latency, &src->latency);
	hist_merge(&dst->service, &src->service);
	hist_merge(&dst->service_user, &src->service_user);
	hist_merge(&dst->send_lag, &src->send_lag);
	hist_merge(&dst->think, &src->think);
	hist_merge(&dst->first, &src->first);
	hist_merge(&dst->failed, &src->failed);
	hist_merge(&dst->connect, &src->connect);
	hist_merge(&dst->handshake, &src->handshake);
}

uint64_t tally_status_range(const struct tally *t, unsigned lo, unsigned hi)
{
	uint64_t n = 0;
	for (unsigned i = lo; i <= hi && i < LIM_STATUS_CODES; i++)
		n += t->status[i];
	return n;
}

uint64_t tally_error_total(const struct tally *t)
{
	uint64_t n = tally_status_range(t, 400, 599);
	for (unsigned i = 0; i < TALLY_ERR__COUNT; i++)
		n += i == TALLY_ERR_UNSOLICITED ? 0 : t->errors[i];
	return n;
}

uint64_t tally_attempted(const struct tally *t)
{
	uint64_t n = t->responses;
	for (unsigned i = 0; i <= TALLY_ERR_LAST_TRANSPORT; i++)
		n += t->errors[i];
	return n;
}

double tally_error_pct(const struct tally *t)
{
	uint64_t a = tally_attempted(t);
	return a ? 100.0 * (double)tally_error_total(t) / (double)a : 0;
}

double tally_applied_pct(const struct tally *t)
{
	/* arrivals still in the backlog at the end were dispatched on time
	 * but never applied */
	uint64_t ok = t->on_time > t->unsent ? t->on_time - t->unsent : 0;
	return t->scheduled ? 100.0 * (double)ok / (double)t->scheduled : 100.0;
}

#define TALLY_ERR_KEY(name, key, text)	[TALLY_ERR_##name] = key,
#define TALLY_ERR_TEXT(name, key, text) [TALLY_ERR_##name] = text,
static const char *const err_keys[] = {TALLY_ERRORS(TALLY_ERR_KEY)};
static const char *const err_texts[] = {TALLY_ERRORS(TALLY_ERR_TEXT)};

const char *tally_err_key(enum tally_err e)
{
	return (unsigned)e < TALLY_ERR__COUNT ? err_keys[e] : "unknown";
}

const char *tally_err_text(enum tally_err e)
{
	return (unsigned)e < TALLY_ERR__COUNT ? err_texts[e] : "unknown";
}
