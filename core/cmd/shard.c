/*
 * shard: the arithmetic of splitting a run and the parsing of its common
 * start. A split never leaves a shard with nothing to do (the caller
 * refuses more shards than users), and the parts are exact: no request,
 * user or sequence number is lost or doubled between shards.
 */
#include "core/cmd/shard.h"

#include <bearssl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/engine/run.h"
#include "scenarios/scn.h"

static int num(const char *p, char **end, unsigned long long *v)
{
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	*v = strtoull(p, end, 10);
	return errno ? -1 : 0;
}

int shard_parse(const char *arg, struct shard *s, char *why, size_t wl)
{
	unsigned long long i, n;
	char *end;
	if (num(arg, &end, &i) < 0 || *end != '/' || num(end + 1, &end, &n) < 0 || *end || n == 0 ||
	    n > SHARD_MAX || i >= n) {
		snprintf(why, wl, "--shard is I/N with 0 <= I < N <= %d (I counts from 0): '%s'",
			 SHARD_MAX, arg);
		return -EINVAL;
	}
	*s = (struct shard){(unsigned)i, (unsigned)n, "--shard"};
	return 0;
}

static int env_pair(const char *iname, const char *nname, struct shard *s, char *why, size_t wl)
{
	char arg[64];
	const char *i = getenv(iname), *n = getenv(nname);
	if (!i || !n) {
		snprintf(why, wl, "%s is set but %s is not: the shard count is unknown",
			 i ? iname : nname, i ? nname : iname);
		return -EINVAL;
	}
	snprintf(arg, sizeof(arg), "%.24s/%.24s", i, n);
	if (shard_parse(arg, s, why, wl) < 0) {
		snprintf(why, wl, "%s=%s and %s=%s do not make a shard (0 <= index < count)", iname,
			 i, nname, n);
		return -EINVAL;
	}
	s->from = !strcmp(iname, "SLURM_PROCID") ? "SLURM_PROCID/SLURM_NTASKS"
						 : "JOB_COMPLETION_INDEX/MCPLOAD_SHARDS";
	return 1;
}

int shard_from_env(struct shard *s, char *why, size_t wl)
{
	const char *ntasks = getenv("SLURM_NTASKS");
	if (ntasks && strcmp(ntasks, "1") != 0)
		return env_pair("SLURM_PROCID", "SLURM_NTASKS", s, why, wl);
	if (getenv("JOB_COMPLETION_INDEX"))
		return env_pair("JOB_COMPLETION_INDEX", "MCPLOAD_SHARDS", s, why, wl);
	return 0;
}

uint64_t shard_part(const struct shard *s, uint64_t total)
{
	if (s->count <= 1)
		return total;
	return total / s->count + (s->index < total % s->count);
}

uint64_t shard_first(const struct shard *s, uint64_t total)
{
	if (s->count <= 1)
		return 0;
	uint64_t q = total / s->count, r = total % s->count;
	return s->index * q + (s->index < r ? s->index : r);
}

double shard_rate(const struct shard *s, double rate)
{
	return s->count <= 1 ? rate : rate / s->count;
}

int shard_shape(const struct shard *s, struct scn_shape *sh, uint64_t *user_base, char *why,
		size_t wl)
{
	*user_base = 0;
	if (s->count <= 1)
		return 0;
	if (sh->users < s->count) {
		snprintf(why, wl, "%u shards for %u users: every shard needs one at least",
			 s->count, sh->users);
		return -EINVAL;
	}
	*user_base = shard_first(s, sh->users);
	sh->users = (unsigned)shard_part(s, sh->users);
	sh->spawn_rate = shard_rate(s, sh->spawn_rate);
	sh->rate = shard_rate(s, sh->rate);
	for (unsigned i = 0; i < sh->nstages; i++)
		sh->stages[i].target =
		    sh->model == SCN_OPEN
			? shard_rate(s, sh->stages[i].target)
			: (double)shard_part(s, (uint64_t)(sh->stages[i].target + 0.5));
	return 0;
}

/* "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)" into Unix ns. */
static int rfc3339(const char *p, uint64_t *out)
{
	struct tm tm = {0};
	int n = 0;
	double frac = 0;
	if (sscanf(p, "%4d-%2d-%2d%*[Tt ]%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    !n)
		return -1;
	p += n;
	if (*p == '.') {
		char *end;
		frac = strtod(p, &end);
		p = end;
	}
	long off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int h, m, k = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &h, &m, &k) != 2 || k != 5)
			return -1;
		off = (*p == '+' ? 1 : -1) * (h * 3600L + m * 60L);
		p += 6;
	} else {
		return -1; /* a time without its offset is ambiguous */
	}
	if (*p)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm);
	if (t == (time_t)-1 || t - off < 0)
		return -1;
	*out = (uint64_t)(t - off) * 1000000000ull + (uint64_t)(frac * 1e9);
	return 0;
}

int shard_start_at_parse(const char *arg, uint64_t *unix_ns, char *why, size_t wl)
{
	unsigned long long sec;
	char *end;
	/* seconds and a fraction apart: a double has no ns at today's epoch */
	if (num(arg, &end, &sec) == 0 && sec > 0 && sec < 100000000000ull &&
	    (!*end || (*end == '.' && end[1]))) {
		uint64_t ns = 0, scale = 100000000ull;
		for (const char *p = *end ? end + 1 : end; *p; p++, scale /= 10) {
			if (*p < '0' || *p > '9')
				goto rfc;
			ns += (uint64_t)(*p - '0') * scale;
		}
		*unix_ns = (uint64_t)sec * 1000000000ull + ns;
		return 0;
	}
rfc:
	if (rfc3339(arg, unix_ns) == 0)
		return 0;
	snprintf(why, wl,
		 "--start-at is epoch seconds or RFC 3339 with an offset "
		 "(2026-12-03T00:10:00Z): '%s'",
		 arg);
	return -EINVAL;
}

void shard_digest(const char *text, size_t len, const char *path, char out[80])
{
	br_sha256_context c;
	unsigned char h[32], buf[8192];
	size_t n;
	br_sha256_init(&c);
	br_sha256_update(&c, MCPL_VERSION "\n", sizeof(MCPL_VERSION));
	br_sha256_update(&c, text, len);
	FILE *f = path ? fopen(path, "rb") : NULL;
	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		br_sha256_update(&c, buf, n);
	if (f)
		fclose(f);
	br_sha256_out(&c, h);
	int at = snprintf(out, 80, "sha256:");
	for (unsigned i = 0; i < 32; i++)
		at += snprintf(out + at, (size_t)(80 - at), "%02x", h[i]);
}

uint64_t shard_now_unix_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bool shard_wait_until(uint64_t unix_ns)
{
	/* in slices, so a SIGINT stops the wait as it stops a run */
	while (!run_stop_requested()) {
		uint64_t now = shard_now_unix_ns();
		if (now >= unix_ns)
			return true;
		uint64_t left = unix_ns - now, step = left > 100000000ull ? 100000000ull : left;
		struct timespec ts = {(time_t)(step / 1000000000ull), (long)(step % 1000000000ull)};
		nanosleep(&ts, NULL);
	}
	return false;
}
