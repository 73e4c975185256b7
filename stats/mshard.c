/*
 * mshard: every field read with the JSON scanner and checked; the
 * histograms come back through HdrHistogram's decoder (bucket counts, so
 * the sum is the distribution of every response), the counts by name.
 * A shard that did not run (late, after the run's end) is named, not
 * added; one that is missing is named too.
 */
#include "stats/mshard.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/jsc.h"
#include "protocol/rfile.h"
#include "scenarios/plan.h"
#include "stats/hdr.h"
#include "stats/result.h"

static int bad(char *why, size_t wl, const char *path, const char *what)
{
	snprintf(why, wl, "%s: %s", path, what);
	return -EINVAL;
}

bool mshard_str_at(const char *p, size_t n, const char *path, char *out, size_t cap)
{
	struct jsc_val v;
	long k;
	if (jsc_get(p, n, path, &v) != 0 || v.type != JSC_STRING ||
	    (k = jsc_unescape(&v, out, cap - 1)) < 0)
		return false;
	out[k] = 0;
	return true;
}

bool mshard_num_at(const char *p, size_t n, const char *path, double *out)
{
	struct jsc_val v;
	char buf[64];
	if (jsc_get(p, n, path, &v) != 0 || v.type != JSC_NUMBER || v.len >= sizeof(buf))
		return false;
	memcpy(buf, v.ptr, v.len);
	buf[v.len] = 0;
	*out = strtod(buf, NULL);
	return isfinite(*out);
}

uint64_t mshard_u64_at(const char *p, size_t n, const char *path)
{
	struct jsc_val v;
	int64_t i;
	if (jsc_get(p, n, path, &v) != 0 || v.type != JSC_NUMBER || jsc_int(&v, &i) || i < 0)
		return 0;
	return (uint64_t)i;
}

/* A distribution object's histogram into h. 0, 1 absent, -1 damaged. */
static int dist_at(const char *p, size_t n, const char *key, struct hist *h)
{
	struct jsc_val v;
	char path[96];
	snprintf(path, sizeof(path), "%s.histogram", key);
	if (jsc_get(p, n, key, &v) == JSC_NOT_FOUND)
		return 1;
	if (jsc_get(p, n, path, &v) != 0 || v.type != JSC_STRING)
		return -1;
	return hdr_decode_base64(v.ptr, v.len, h) == 0 ? 0 : -1;
}

/* The failures' messages in the server's words, with their counts. */
static void failures_of(const char *p, size_t n, struct tally_msgs *m)
{
	struct jsc_val arr, f;
	size_t pos = 0;
	char text[TALLY_MSG_LEN];
	if (jsc_get(p, n, "failures", &arr) != 0 || arr.type != JSC_ARRAY)
		return;
	while (jsc_next(&arr, &pos, NULL, &f) == 0)
		if (mshard_str_at(f.ptr, f.len, "message", text, sizeof(text)))
			tally_count_msg(m, text, strlen(text),
					mshard_u64_at(f.ptr, f.len, "count"));
}

/* A tally from a report object (the top level or a label): counts by
 * name, the histograms from their distributions. */
static int tally_of(const char *p, size_t n, struct tally *t)
{
	struct jsc_val sc, k, v;
	char path[64];
	size_t pos = 0;
	memset(t, 0, sizeof(*t));
	t->responses = mshard_u64_at(p, n, "requests");
	t->ok =
	    jsc_get(p, n, "succeeded", &v) == 0 ? mshard_u64_at(p, n, "succeeded") : t->responses;
	t->bytes_in = mshard_u64_at(p, n, "bytes_in");
	t->bytes_out = mshard_u64_at(p, n, "bytes_out");
	t->retried = mshard_u64_at(p, n, "errors.retried");
	for (unsigned e = 0; e < TALLY_ERR__COUNT; e++) {
		snprintf(path, sizeof(path), "errors.%s", tally_err_key(e));
		t->errors[e] = mshard_u64_at(p, n, path);
	}
	t->scheduled = mshard_u64_at(p, n, "generator.scheduled");
	t->sent = mshard_u64_at(p, n, "generator.sent");
	t->on_time = mshard_u64_at(p, n, "generator.on_time");
	t->waited = mshard_u64_at(p, n, "generator.waited_for_connection");
	t->dropped = mshard_u64_at(p, n, "generator.dropped");
	t->unsent = mshard_u64_at(p, n, "generator.unsent_at_end");
	t->unsent_idle = mshard_u64_at(p, n, "generator.unsent_while_idle");
	t->stamped = mshard_u64_at(p, n, "timestamps.kernel_stamped_responses");
	t->tx_stamped = mshard_u64_at(p, n, "timestamps.kernel_stamped_sends");
	failures_of(p, n, &t->msgs);
	if (jsc_get(p, n, "status_counts", &sc) == 0 && sc.type == JSC_OBJECT)
		while (jsc_next(&sc, &pos, &k, &v) == 0) {
			int64_t c;
			char code[8];
			if (k.len >= sizeof(code) || jsc_int(&v, &c) || c < 0)
				continue;
			memcpy(code, k.ptr, k.len);
			code[k.len] = 0;
			long s = strtol(code, NULL, 10);
			t->status[s > 0 && s < LIM_STATUS_CODES ? s : 0] += (uint64_t)c;
		}
	if (dist_at(p, n, "latency_distribution", &t->latency) != 0 ||
	    dist_at(p, n, "latency_uncorrected_distribution", &t->service) < 0 ||
	    dist_at(p, n, "failed_latency_distribution", &t->failed) < 0 ||
	    dist_at(p, n, "send_lag_distribution", &t->send_lag) < 0)
		return -1;
	return 0;
}

int mshard_parse(struct mshard_doc *d, const char *p, size_t n, struct tally *t, char *why,
		 size_t wl)
{
	double idx, cnt;
	struct jsc_val v;
	if (jsc_get(p, n, "", &v) != 0 || v.type != JSC_OBJECT)
		return bad(why, wl, d->path, "not a JSON object");
	if (!mshard_num_at(p, n, "shard.index", &idx) ||
	    !mshard_num_at(p, n, "shard.count", &cnt) || cnt < 1 || cnt > 100000 || idx < 0 ||
	    idx >= cnt || idx != floor(idx) || cnt != floor(cnt))
		return bad(why, wl, d->path, "not a shard's report (run it with --shard I/N)");
	d->index = (unsigned)idx;
	d->count = (unsigned)cnt;
	if (!mshard_str_at(p, n, "shard.status", d->status, sizeof(d->status)))
		return bad(why, wl, d->path, "its shard has no status");
	d->ran = !strcmp(d->status, "ran");
	(void)mshard_num_at(p, n, "shard.measured_start_unix_s", &d->measured_s);
	(void)mshard_num_at(p, n, "shard.start_late_ms", &d->late_ms);
	(void)mshard_num_at(p, n, "duration_s", &d->duration_s);
	d->requests = mshard_u64_at(p, n, "requests");
	if (!mshard_str_at(p, n, "not_run.reason", d->reason, sizeof(d->reason)))
		d->reason[0] = 0;
	if (d->ran && d->measured_s <= 0)
		return bad(why, wl, d->path, "a shard that ran without its start time");
	if (t && d->ran && tally_of(p, n, t) < 0)
		return bad(why, wl, d->path,
			   "no latency_distribution, or a damaged one: a report of another "
			   "mcpload version?");
	return 0;
}

/* The whole file into d->text. */
static int slurp(struct mshard_doc *d, char *why, size_t wl)
{
	if ((d->text = rfile_path(d->path, MSHARD_MAX_BYTES, &d->len)))
		return 0;
	int e = errno;
	snprintf(why, wl, "%s: %s", d->path, strerror(e));
	return e == EFBIG ? -EINVAL : -e;
}

/* Every document of the same run as the first. */
static int same_run(struct mshard_set *m, struct mshard_doc *d, char *why, size_t wl)
{
	char digest[80], version[32];
	if (!mshard_str_at(d->text, d->len, "run_digest", digest, sizeof(digest)) ||
	    !mshard_str_at(d->text, d->len, "version", version, sizeof(version)))
		return bad(why, wl, d->path, "no run_digest or version");
	if (!m->digest[0]) {
		snprintf(m->digest, sizeof(m->digest), "%s", digest);
		snprintf(m->version, sizeof(m->version), "%s", version);
		m->expected = d->count;
		if (!mshard_str_at(d->text, d->len, "url", m->url, sizeof(m->url)))
			m->url[0] = 0;
		if (!mshard_str_at(d->text, d->len, "command_line", m->run_cmd, sizeof(m->run_cmd)))
			m->run_cmd[0] = 0;
		return 0;
	}
	if (strcmp(version, m->version))
		return bad(why, wl, d->path, "written by another mcpload version than the first");
	if (strcmp(digest, m->digest))
		return bad(
		    why, wl, d->path,
		    "a shard of another run (its scenario or options differ from the first's)");
	if (d->count != m->expected)
		return bad(why, wl, d->path, "another shard count than the first's");
	return 0;
}

int mshard_load(struct mshard_set *m, const char *const *paths, unsigned n, char *why, size_t wl)
{
	memset(m, 0, sizeof(*m));
	m->docs = calloc(n, sizeof(*m->docs));
	if (!m->docs)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		struct mshard_doc *d = &m->docs[m->n++];
		int r;
		d->path = paths[i];
		if ((r = slurp(d, why, wl)) < 0 ||
		    (r = mshard_parse(d, d->text, d->len, NULL, why, wl)) < 0 ||
		    (r = same_run(m, d, why, wl)) < 0)
			return r;
	}
	m->seen = calloc(m->expected, sizeof(*m->seen));
	if (!m->seen)
		return -ENOMEM;
	for (unsigned i = 0; i < m->n; i++) {
		if (m->seen[m->docs[i].index]) {
			char what[64];
			snprintf(what, sizeof(what), "shard %u is there twice", m->docs[i].index);
			return bad(why, wl, m->docs[i].path, what);
		}
		m->seen[m->docs[i].index] = true;
	}
	return 0;
}

int mshard_label(const struct mshard_set *m, const char *name)
{
	for (unsigned i = 0; i < m->nlabels; i++)
		if (!strcmp(m->names[i], name))
			return (int)i;
	return -1;
}

/* The label's slot, added when new. -1 when there are too many. */
static int slot_of(struct mshard_set *m, const char *name)
{
	int s = mshard_label(m, name);
	if (s >= 0)
		return s;
	if (m->nlabels == MSHARD_MAX_LABELS)
		return -1;
	snprintf(m->names[m->nlabels], sizeof(m->names[0]), "%s", name);
	return (int)m->nlabels++;
}

static int add_labels(struct mshard_set *m, const struct mshard_doc *d, struct tally *t)
{
	struct jsc_val arr, l;
	size_t pos = 0;
	char name[128];
	if (jsc_get(d->text, d->len, "labels", &arr) != 0 || arr.type != JSC_ARRAY)
		return 0;
	while (jsc_next(&arr, &pos, NULL, &l) == 0) {
		int s;
		if (!mshard_str_at(l.ptr, l.len, "label", name, sizeof(name)) ||
		    (s = slot_of(m, name)) < 0 || tally_of(l.ptr, l.len, t) < 0)
			return -1;
		if (!m->types[s][0] &&
		    !mshard_str_at(l.ptr, l.len, "type", m->types[s], sizeof(m->types[s])))
			m->types[s][0] = 0;
		tally_merge(&m->slots[s], t);
	}
	return 0;
}

/* Each shard's seconds on the wall clock: second k of a shard that began
 * measuring at M lands at round(M - t0) + k. */
static int add_timeline(struct mshard_set *m, const struct mshard_doc *d)
{
	struct jsc_val arr, row;
	size_t pos = 0;
	unsigned k = 0, off = (unsigned)llround(d->measured_s - m->t0);
	if (jsc_get(d->text, d->len, "timeline", &arr) != 0 || arr.type != JSC_ARRAY)
		return 0;
	while (jsc_next(&arr, &pos, NULL, &row) == 0 && off + k < MSHARD_MAX_SECONDS) {
		unsigned s = off + k++;
		if (s >= m->tl_len) {
			size_t len = (size_t)s + 1;
			uint64_t *a = realloc(m->tl_req, len * sizeof(*a)), *b, *c;
			if (a)
				m->tl_req = a;
			b = realloc(m->tl_err, len * sizeof(*b));
			if (b)
				m->tl_err = b;
			c = realloc(m->tl_shards, len * sizeof(*c));
			if (c)
				m->tl_shards = c;
			if (!a || !b || !c)
				return -ENOMEM;
			for (size_t i = m->tl_len; i < len; i++)
				m->tl_req[i] = m->tl_err[i] = m->tl_shards[i] = 0;
			m->tl_len = (unsigned)len;
		}
		m->tl_req[s] += mshard_u64_at(row.ptr, row.len, "requests");
		m->tl_err[s] += mshard_u64_at(row.ptr, row.len, "errors");
		m->tl_shards[s]++;
	}
	return 0;
}

/* The thresholds the shards were given, judged on the sum. */
static void thresholds(struct mshard_set *m, const struct mshard_doc *d)
{
	struct jsc_val arr, t;
	size_t pos = 0;
	char text[128], why[160];
	struct plan *p = calloc(1, sizeof(*p));
	struct result res = {.total = m->total,
			     .elapsed_ns = (uint64_t)((m->t_end - m->t0) * 1e9),
			     .slots = m->slots,
			     .nslots = m->nlabels};
	if (!p)
		return;
	for (unsigned i = 0; i < m->nlabels && i < PLAN_MAX_LABELS; i++) {
		p->labels[i].name = m->names[i];
		p->labels[i].slot = i;
		p->nlabels = i + 1;
	}
	if (jsc_get(d->text, d->len, "thresholds", &arr) == 0 && arr.type == JSC_ARRAY)
		while (jsc_next(&arr, &pos, NULL, &t) == 0 && m->nth < THRESH_MAX)
			if (mshard_str_at(t.ptr, t.len, "threshold", text, sizeof(text)) &&
			    thresh_parse(text, &m->th[m->nth], why, sizeof(why)) == 0) {
				thresh_judge(&m->th[m->nth], &res, p);
				m->failed |= !m->th[m->nth].passed;
				m->nth++;
			}
	free(p);
}

/* Which shards are missing or did not run, in words. */
static void incomplete(struct mshard_set *m)
{
	size_t at = (size_t)snprintf(m->incomplete, sizeof(m->incomplete),
				     "expected %u shards, got %u", m->expected, m->ran);
	for (unsigned i = 0; i < m->expected && at < sizeof(m->incomplete); i++)
		if (!m->seen[i])
			at += (size_t)snprintf(m->incomplete + at, sizeof(m->incomplete) - at,
					       ": %u is missing", i);
	for (unsigned i = 0; i < m->n && at < sizeof(m->incomplete); i++)
		if (!m->docs[i].ran)
			at += (size_t)snprintf(m->incomplete + at, sizeof(m->incomplete) - at,
					       ": %u did not run (%s)", m->docs[i].index,
					       m->docs[i].status);
}

int mshard_add(struct mshard_set *m, char *why, size_t wl)
{
	struct tally *t = malloc(sizeof(*t));
	const struct mshard_doc *first = NULL;
	double lo = INFINITY, hi = -INFINITY;
	m->total = calloc(1, sizeof(*m->total));
	m->slots = calloc(MSHARD_MAX_LABELS, sizeof(*m->slots));
	if (!t || !m->total || !m->slots) {
		free(t);
		return -ENOMEM;
	}
	m->t0 = INFINITY;
	for (unsigned i = 0; i < m->n; i++)
		if (m->docs[i].ran) {
			m->t0 = fmin(m->t0, m->docs[i].measured_s);
			m->t_end = fmax(m->t_end, m->docs[i].measured_s + m->docs[i].duration_s);
		}
	for (unsigned i = 0; i < m->n; i++) {
		struct mshard_doc *d = &m->docs[i];
		struct jsc_val v;
		if (!d->ran)
			continue;
		first = first ? first : d;
		m->ran++;
		m->open_loop |= jsc_get(d->text, d->len, "latency_uncorrected_ms", &v) == 0;
		if (mshard_parse(d, d->text, d->len, t, why, wl) < 0)
			return free(t), -EINVAL;
		tally_merge(m->total, t);
		if (add_labels(m, d, t) < 0)
			return free(t), bad(why, wl, d->path, "a label without its distribution");
		if (add_timeline(m, d) < 0)
			return free(t), -ENOMEM;
		lo = fmin(lo, d->measured_s);
		hi = fmax(hi, d->measured_s);
		m->late_max_ms = fmax(m->late_max_ms, d->late_ms);
	}
	free(t);
	if (!first)
		m->t0 = m->t_end = 0;
	m->skew_ms = first ? (hi - lo) * 1e3 : 0;
	if (first)
		thresholds(m, first);
	incomplete(m);
	m->verdict = m->ran != m->expected ? "INCONCLUSIVE" : m->failed ? "FAIL" : "PASS";
	return 0;
}

void mshard_free(struct mshard_set *m)
{
	for (unsigned i = 0; i < m->n; i++)
		free(m->docs[i].text);
	free(m->docs);
	free(m->seen);
	free(m->total);
	free(m->slots);
	free(m->tl_req);
	free(m->tl_err);
	free(m->tl_shards);
	memset(m, 0, sizeof(*m));
}
