/*
 * sshard: the step reports go through the shared directory as the run's
 * own JSON (with the shard stamp and the search's digest), are read back
 * with stats/mshard and judged with knee_judge on the sum: the same files
 * give every shard the same verdict and the same next start.
 */
#include "core/cmd/sshard.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/engine/run.h"
#include "stats/mseries.h"
#include "stats/mshard.h"
#include "stats/report/rjson.h"

#define POLL_NS 20000000ull /* how often the directory is looked at */

int sshard_init(struct sshard *ss, const struct shard *sh, const char *dir, const char *text,
		const char *scn_path, uint64_t start_ns, uint64_t tol_ns, char *why, size_t wl)
{
	struct stat st;
	char buf[8192];
	memset(ss, 0, sizeof(*ss));
	if (!dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK) != 0) {
		snprintf(why, wl, "--sync-dir: '%s' is not a directory this shard can write to",
			 dir ? dir : "");
		return -EINVAL;
	}
	ss->sh = *sh;
	ss->dir = dir;
	ss->next_ns = start_ns;
	ss->tol_ns = tol_ns;
	/* the start is in the digest: a rerun in the same directory is another run */
	snprintf(buf, sizeof(buf), "%s --start-at %llu", text, (unsigned long long)start_ns);
	shard_digest(buf, strlen(buf), scn_path, ss->digest);
	return 0;
}

int sshard_wait(struct sshard *ss, uint64_t warmup_ns)
{
	uint64_t now = shard_now_unix_ns();
	if (now > ss->next_ns + ss->tol_ns) {
		ss->late_ns = (int64_t)(now - ss->next_ns);
		return -ETIME;
	}
	if (!shard_wait_until(ss->next_ns))
		return 1;
	now = shard_now_unix_ns();
	ss->late_ns = (int64_t)(now - ss->next_ns);
	ss->started_ns = now + warmup_ns;
	return 0;
}

static void file_of(const struct sshard *ss, unsigned k, unsigned i, char *out)
{
	/* "sha256:" and 16 hex digits: one search's files apart from another's */
	snprintf(out, SSHARD_FILE_LEN, "%s/mcpload-stress-%.16s-step%u-shard%u.json", ss->dir,
		 ss->digest + 7, k, i);
}

/* Wait until every shard's report of step k is there; the first missing
 * one in *missing. Returns 0, 1 interrupted, -ETIMEDOUT. */
static int gather(const struct sshard *ss, unsigned k, char (*paths)[SSHARD_FILE_LEN],
		  unsigned *missing)
{
	uint64_t until = shard_now_unix_ns() + ss->tol_ns + SSHARD_GRACE_NS;
	for (unsigned i = 0; i < ss->sh.count; i++)
		file_of(ss, k, i, paths[i]);
	for (;;) {
		unsigned i = 0;
		while (i < ss->sh.count && access(paths[i], R_OK) == 0)
			i++;
		if (i == ss->sh.count)
			return 0;
		*missing = i;
		uint64_t now = shard_now_unix_ns();
		if (now >= until)
			return -ETIMEDOUT;
		if (!shard_wait_until(now + POLL_NS))
			return 1;
	}
}

/* The sum as a result the search judges: labels placed at the plan's slots
 * by name (every shard runs the same plan). */
static int judge_sum(struct mshard_set *m, const struct knee_slo *slo, const struct plan *p,
		     struct knee_step *s)
{
	struct result res = {0};
	struct tally *all = calloc(1, sizeof(*all));
	unsigned nslots = 0;
	for (unsigned i = 0; p && i < p->nlabels; i++)
		nslots = p->labels[i].slot + 1 > nslots ? p->labels[i].slot + 1 : nslots;
	res.slots = calloc(nslots ? nslots : 1, sizeof(*res.slots));
	if (!all || !res.slots) {
		free(all);
		free(res.slots);
		return -ENOMEM;
	}
	for (unsigned i = 0; p && i < p->nlabels; i++) {
		int k = mshard_label(m, p->labels[i].name);
		if (k >= 0)
			tally_merge(&res.slots[p->labels[i].slot], &m->slots[k]);
	}
	res.total = m->total;
	res.elapsed_ns = m->t_end > m->t0 ? (uint64_t)((m->t_end - m->t0) * 1e9) : 0;
	res.open_loop = !slo->closed;
	mseries_generator(m, &res);
	knee_judge(slo, p, &res, all, s);
	free(all);
	free(res.slots);
	return 0;
}

/* Read and add the N reports, judge, and set the next start. */
static int add_up(struct sshard *ss, const struct knee_slo *slo, const struct plan *p,
		  const char *const *paths, struct knee_step *s)
{
	char why[512];
	struct mshard_set *m = calloc(1, sizeof(*m));
	double end = 0;
	int r = m ? mshard_load(m, paths, ss->sh.count, why, sizeof(why)) : -ENOMEM;
	if (r == 0)
		r = mshard_add(m, why, sizeof(why));
	if (r == 0 && m->ran != m->expected) {
		s->verdict = KNEE_INCONCLUSIVE;
		snprintf(s->why, sizeof(s->why), "step not run on every shard: %.260s",
			 m->incomplete);
	} else if (r == 0 && m->skew_ms * 1e6 > (double)ss->tol_ns) {
		s->verdict = KNEE_INCONCLUSIVE;
		snprintf(s->why, sizeof(s->why), "the shards started this step %.0f ms apart",
			 m->skew_ms);
	} else if (r == 0) {
		r = judge_sum(m, slo, p, s);
	}
	for (unsigned i = 0; r == 0 && i < m->n; i++)
		end = fmax(end, m->docs[i].measured_s + m->docs[i].duration_s);
	if (r == 0)
		ss->next_ns = (uint64_t)(ceil(end * 1e3) * 1e6) + SSHARD_PAUSE_NS;
	else
		fprintf(stderr, "mcpload: %s\n", r == -ENOMEM ? "out of memory" : why);
	if (m)
		mshard_free(m);
	free(m);
	return r;
}

int sshard_judge(struct sshard *ss, unsigned k, const struct knee_slo *slo, struct phase *ph,
		 const struct result *res, struct knee_step *s)
{
	char why[512], (*paths)[SSHARD_FILE_LEN] = calloc(ss->sh.count, SSHARD_FILE_LEN);
	const char **list = calloc(ss->sh.count, sizeof(*list));
	unsigned missing = 0;
	struct rshard rs = {.index = ss->sh.index,
			    .count = ss->sh.count,
			    .from = ss->sh.from,
			    .start_at_ns = ss->next_ns,
			    .start_late_ns = ss->late_ns,
			    .measured_unix_ns = ss->started_ns,
			    .status = "ran"};
	int r = paths && list ? 0 : -1;
	memcpy(rs.digest, ss->digest, sizeof(rs.digest));
	ph->desc.shard = &rs;
	if (r == 0) {
		file_of(ss, k, ss->sh.index, paths[ss->sh.index]);
		if (rjson_write(paths[ss->sh.index], &ph->desc, res, why, sizeof(why)) < 0)
			r = -1, fprintf(stderr, "mcpload: %s\n", why);
	}
	ph->desc.shard = NULL;
	if (r == 0)
		r = gather(ss, k, paths, &missing);
	if (r == -ETIMEDOUT) {
		s->verdict = KNEE_INCONCLUSIVE;
		snprintf(s->why, sizeof(s->why), "shard %u did not report the step within %.0f s",
			 missing, (double)(ss->tol_ns + SSHARD_GRACE_NS) / 1e9);
		r = 0;
	} else if (r == 0) {
		for (unsigned i = 0; i < ss->sh.count; i++)
			list[i] = paths[i];
		r = add_up(ss, slo, ph->plan, list, s) < 0 ? -1 : 0;
	}
	free(paths);
	free(list);
	return r;
}
