/*
 * memwatch: resident-memory samples for soak runs, taken by the supervising
 * (main) thread, never by a worker: /proc reads and a metrics scrape are
 * slow next to a request. The slope is a least-squares fit over every
 * measured sample, so a sawtooth from a garbage collector does not pass for
 * a leak the way a last-minus-first difference would.
 */
#include "core/probe/memwatch.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/probe/probe.h"
#include "protocol/prom.h"

#define MB (1024.0 * 1024.0)

int64_t memwatch_rss(int pid)
{
	char path[64], buf[128];
	unsigned long long size, resident;
	if (pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/statm", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/statm");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int err = n < 0 ? -errno : 0;
	close(fd);
	if (n <= 0)
		return err ? err : -ESRCH; /* an exited process reads empty */
	buf[n] = 0;
	if (sscanf(buf, "%llu %llu", &size, &resident) != 2)
		return -EINVAL;
	if (size == 0)
		return -ESRCH; /* a zombie: exited, not yet reaped */
	return (int64_t)resident * sysconf(_SC_PAGESIZE);
}

/* The server's resident bytes now, or -errno with the reason in why. */
static int64_t read_server(const struct memwatch_opts *o, char *why, size_t why_len)
{
	if (o->server_pid) {
		int64_t r = memwatch_rss(o->server_pid);
		if (r < 0)
			snprintf(why, why_len, "cannot read /proc/%d/statm: %s", o->server_pid,
				 r == -ENOENT || r == -ESRCH ? "no such process"
							     : strerror((int)-r));
		return r;
	}
	char *body;
	size_t len;
	double v = 0;
	int r = probe_get(o->metrics_url, MEMWATCH_SCRAPE_NS, &body, &len, why, why_len);
	if (r < 0)
		return r;
	int k = prom_sum(body, len, "process_resident_memory_bytes", &v);
	free(body);
	if (k <= 0 || v < 0) {
		snprintf(why, why_len, "%s has no process_resident_memory_bytes", o->metrics_url);
		return -ENOENT;
	}
	return (int64_t)v;
}

int memwatch_check(const struct memwatch_opts *o, char *why, size_t why_len)
{
	if (!o->server_pid && !o->metrics_url)
		return 0;
	int64_t r = read_server(o, why, why_len);
	return r < 0 ? (int)r : 0;
}

int memwatch_start(struct memwatch *m, const struct memwatch_opts *o, uint64_t t0_ns,
		   uint64_t warmup_ns, uint64_t seconds)
{
	memset(m, 0, sizeof(*m));
	m->o = *o;
	m->server = o->server_pid || o->metrics_url;
	if (o->server_pid)
		snprintf(m->source, sizeof(m->source), "pid %d", o->server_pid);
	else if (o->metrics_url)
		snprintf(m->source, sizeof(m->source), "%s", o->metrics_url);
	m->t0_ns = t0_ns;
	m->next_ns = t0_ns;
	m->warmup_s = (double)warmup_ns / 1e9;
	m->cap = (unsigned)(seconds < 3600 * 4 ? seconds : 3600 * 4) + 8;
	m->t_s = malloc(m->cap * sizeof(double));
	m->server_bytes = malloc(m->cap * sizeof(double));
	m->client_bytes = malloc(m->cap * sizeof(double));
	m->start_bytes = m->end_bytes = m->peak_bytes = NAN;
	m->client_start_bytes = m->client_end_bytes = NAN;
	m->verdict = VERDICT_NOT_MEASURED;
	if (!m->t_s || !m->server_bytes || !m->client_bytes) {
		memwatch_free(m);
		return -ENOMEM;
	}
	memwatch_tick(m, t0_ns);
	return 0;
}

static void add_server(struct memwatch *m, double t, double y)
{
	if (isnan(m->start_bytes))
		m->start_bytes = y;
	m->end_bytes = y;
	if (isnan(m->peak_bytes) || y > m->peak_bytes)
		m->peak_bytes = y;
	if (!m->measured)
		m->first_t_s = t;
	m->last_t_s = t;
	/* centred on the first measured sample: the sums stay small */
	double x = t - m->first_t_s;
	m->sum_t += x;
	m->sum_y += y;
	m->sum_tt += x * x;
	m->sum_ty += x * y;
	m->measured++;
}

static void sample(struct memwatch *m, uint64_t now_ns)
{
	double t = (double)(now_ns - m->t0_ns) / 1e9, srv = NAN;
	int64_t c = memwatch_rss(0);
	bool measuring = t >= m->warmup_s - 1e-3;
	if (m->server && !m->gone) {
		int64_t r = read_server(&m->o, m->why, sizeof(m->why));
		if (r >= 0)
			srv = (double)r;
		else if (m->o.server_pid && (r == -ENOENT || r == -ESRCH))
			m->gone = true;
		if (measuring && r < 0)
			m->failed++;
		if (measuring && r >= 0)
			add_server(m, t, srv);
	}
	if (c >= 0 && measuring) {
		if (isnan(m->client_start_bytes))
			m->client_start_bytes = (double)c;
		m->client_end_bytes = (double)c;
	}
	if (m->n < m->cap) {
		m->t_s[m->n] = t;
		m->server_bytes[m->n] = srv;
		m->client_bytes[m->n] = c >= 0 ? (double)c : NAN;
		m->n++;
	}
}

void memwatch_tick(struct memwatch *m, uint64_t now_ns)
{
	if (!m->t_s || now_ns < m->next_ns)
		return;
	sample(m, now_ns);
	/* the next whole second from the start; a slow scrape skips, never bunches */
	while (m->next_ns <= now_ns)
		m->next_ns += 1000000000ull;
}

static void judge(struct memwatch *m)
{
	double span = m->last_t_s - m->first_t_s, growth_max = (double)m->o.growth_max_bytes;
	double n = m->measured;
	if (m->gone) {
		m->verdict = VERDICT_FAIL;
		snprintf(m->reason, sizeof(m->reason),
			 "the server process %d exited during the run", m->o.server_pid);
		return;
	}
	if (m->measured < 3 || m->failed * 5 > m->measured + m->failed) {
		m->verdict = VERDICT_INCONCLUSIVE;
		snprintf(m->reason, sizeof(m->reason),
			 "%u server memory samples read, %u failed%s%s", m->measured, m->failed,
			 m->failed ? ": " : " (a soak needs a few seconds)",
			 m->failed ? m->why : "");
		return;
	}
	double den = n * m->sum_tt - m->sum_t * m->sum_t;
	m->slope_bytes_per_s = den > 0 ? (n * m->sum_ty - m->sum_t * m->sum_y) / den : 0;
	m->trend_growth_bytes = m->slope_bytes_per_s * span;
	m->verdict = VERDICT_PASS;
	if (m->trend_growth_bytes > growth_max) {
		m->verdict = VERDICT_FAIL;
		snprintf(
		    m->reason, sizeof(m->reason),
		    "server memory grew %.1f MiB over %.0f s (trend %+.3f MiB/s; limit %.0f MiB)",
		    m->trend_growth_bytes / MB, span, m->slope_bytes_per_s / MB, growth_max / MB);
	} else if (m->o.rss_max_bytes && m->peak_bytes > (double)m->o.rss_max_bytes) {
		m->verdict = VERDICT_FAIL;
		snprintf(m->reason, sizeof(m->reason),
			 "server resident memory peaked at %.1f MiB "
			 "(limit %.0f MiB)",
			 m->peak_bytes / MB, (double)m->o.rss_max_bytes / MB);
	} else {
		snprintf(m->reason, sizeof(m->reason),
			 "server memory trend %+.2f MiB over %.0f s (limit %.0f MiB)",
			 m->trend_growth_bytes / MB, span, growth_max / MB);
	}
}

void memwatch_finish(struct memwatch *m, uint64_t now_ns)
{
	if (!m->t_s)
		return;
	sample(m, now_ns);
	if (m->server)
		judge(m);
}

void memwatch_free(struct memwatch *m)
{
	free(m->t_s);
	free(m->server_bytes);
	free(m->client_bytes);
	m->t_s = m->server_bytes = m->client_bytes = NULL;
	m->n = 0;
}

int memwatch_near(const struct memwatch *m, double t_s)
{
	/* t_s[] rises: the first sample at or after t_s, or the one before */
	unsigned lo = 0, hi = m->n;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (m->t_s[mid] < t_s)
			lo = mid + 1;
		else
			hi = mid;
	}
	int best = -1;
	double d = 0.5;
	for (unsigned k = lo ? lo - 1 : 0; k <= lo && k < m->n; k++) {
		double e = fabs(m->t_s[k] - t_s);
		if (e <= d) {
			d = e;
			best = (int)k;
		}
	}
	return best;
}

int memwatch_parse_size(const char *s, uint64_t *bytes)
{
	static const struct {
		const char *unit;
		double mul;
	} units[] = {{"", 1},		{"B", 1},	    {"K", 1024},	{"KB", 1024},
		     {"KiB", 1024},	{"M", 1048576},	    {"MB", 1048576},	{"MiB", 1048576},
		     {"G", 1073741824}, {"GB", 1073741824}, {"GiB", 1073741824}};
	char *end;
	if (!s || !s[0] || !strchr("0123456789.", s[0]))
		return -EINVAL;
	double v = strtod(s, &end);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(end, units[i].unit) == 0) {
			double b = v * units[i].mul;
			if (!(b >= 0) || b > 1e15)
				return -EINVAL;
			*bytes = (uint64_t)b;
			return 0;
		}
	}
	return -EINVAL;
}

void memwatch_json(struct jw *j, const struct memwatch *m)
{
	jw_str(j, "source", m->server ? m->source : NULL);
	jw_u64(j, "samples", m->measured);
	jw_u64(j, "failed_samples", m->failed);
	if (m->server && m->measured) {
		jw_u64(j, "start_bytes", (uint64_t)m->start_bytes);
		jw_u64(j, "end_bytes", (uint64_t)m->end_bytes);
		jw_u64(j, "peak_bytes", (uint64_t)m->peak_bytes);
		jw_f64(j, "growth_bytes", m->end_bytes - m->start_bytes);
		jw_f64(j, "slope_bytes_per_s", m->slope_bytes_per_s);
		jw_f64(j, "trend_growth_bytes", m->trend_growth_bytes);
		jw_f64(j, "span_s", m->last_t_s - m->first_t_s);
	}
	jw_u64(j, "growth_limit_bytes", m->o.growth_max_bytes);
	if (m->o.rss_max_bytes)
		jw_u64(j, "rss_limit_bytes", m->o.rss_max_bytes);
	jw_bool(j, "process_exited", m->gone);
	jw_str(j, "verdict", m->server ? verdict_name(m->verdict) : NULL);
	jw_str(j, "reason", m->reason[0] ? m->reason : NULL);
}
