/*
 * cli_run: the scenario commands. `mcpload list` prints the compiled-in
 * scenarios; `mcpload run SCENARIO --target URL` takes the scenario's load
 * shape, applies the command line's overrides (users, spawn rate, think
 * time, iterations, rate, stages, --set) and compiles the plan.
 */
#include "core/cmd/cli_run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd/cli.h"
#include "core/probe/probe.h"
#include "scenarios/stage.h"

static int bad(FILE *err, const char *what, const char *value)
{
	fprintf(err, "mcpload: %s: '%s' (see mcpload run --help)\n", what, value ? value : "");
	return -EINVAL;
}

static void fmt_dur(char *buf, size_t n, uint64_t ns)
{
	if (ns % 1000000000ull == 0)
		snprintf(buf, n, "%llus", (unsigned long long)(ns / 1000000000ull));
	else
		snprintf(buf, n, "%llums", (unsigned long long)(ns / 1000000ull));
}

void cli_run_list(FILE *out)
{
	unsigned n;
	const struct scn *const *all = scn_all(&n);
	fprintf(out, "Scenarios (mcpload run NAME --target URL):\n");
	for (unsigned i = 0; i < n; i++) {
		const struct scn_shape *s = &all[i]->shape;
		char d[32];
		fmt_dur(d, sizeof(d), s->duration_ns);
		fprintf(out, "  %-22s %s\n", all[i]->name, all[i]->desc);
		if (s->model == SCN_OPEN)
			fprintf(
			    out,
			    "  %-22s   default: open model, %.0f iterations/s, %u users max, %s\n",
			    "", s->rate, s->users, d);
		else
			fprintf(out,
				"  %-22s   default: closed model, %u users, spawn %.0f/s, %s%s\n",
				"", s->users, s->spawn_rate, d,
				s->iterations ? ", fixed iterations" : "");
		for (unsigned v = 0; v < all[i]->nvars; v++)
			fprintf(out, "  %-22s   --set %s=%s  (%s)\n", "", all[i]->vars[v].name,
				all[i]->vars[v].value ? all[i]->vars[v].value : "",
				all[i]->vars[v].doc);
	}
}

int cli_run_begin(struct cfg *cfg, const char *name, FILE *err)
{
	cfg->scn = scn_find(name);
	if (!cfg->scn) {
		fprintf(err, "mcpload: unknown scenario '%s' (mcpload list shows them)\n", name);
		return -EINVAL;
	}
	cfg->shape = cfg->scn->shape;
	return 0;
}

/* "MIN:MAX" durations, or one duration for a fixed think time. */
static int parse_think(const char *arg, uint64_t *lo, uint64_t *hi)
{
	char buf[64], *colon;
	if (strlen(arg) >= sizeof(buf))
		return -1;
	strcpy(buf, arg);
	colon = strchr(buf, ':');
	if (colon)
		*colon = 0;
	if (cli_parse_duration(buf, lo) < 0 && strcmp(buf, "0") != 0)
		return -1;
	if (strcmp(buf, "0") == 0)
		*lo = 0;
	*hi = *lo;
	if (colon && cli_parse_duration(colon + 1, hi) < 0)
		return -1;
	return *hi >= *lo ? 0 : -1;
}

/* "DURATION:TARGET", e.g. 30s:100. */
static int parse_stage(const char *arg, struct scn_stage *st)
{
	char buf[64], *colon, *end;
	if (strlen(arg) >= sizeof(buf))
		return -1;
	strcpy(buf, arg);
	colon = strchr(buf, ':');
	if (!colon)
		return -1;
	*colon = 0;
	if (cli_parse_duration(buf, &st->duration_ns) < 0 && strcmp(buf, "0") != 0)
		return -1;
	if (strcmp(buf, "0") == 0)
		st->duration_ns = 0; /* a jump to the target */
	st->target = strtod(colon + 1, &end);
	return *end || end == colon + 1 || st->target < 0 || st->target > 1e8 ? -1 : 0;
}

int cli_run_option(struct cfg *cfg, int opt, const char *arg, struct cli_run_seen *seen, FILE *err)
{
	struct scn_shape *s = &cfg->shape;
	uint64_t v;
	switch (opt) {
	case CLI_OPT_TARGET:
		seen->target = arg;
		return 0;
	case 'c':
	case CLI_OPT_USERS:
		if (cli_parse_count(arg, &v) < 0 || v > LIM_CONNECTIONS)
			return bad(err, "users must be 1 to 1048576", arg);
		s->users = (unsigned)v;
		seen->users = true;
		return 0;
	case CLI_OPT_PROFILE:
		seen->profile = profile_find(arg);
		if (!seen->profile)
			return bad(err, "--profile is normal, peak, storm, stress or spike", arg);
		return 0;
	case CLI_OPT_SPAWN:
		s->spawn_rate = strtod(arg, NULL);
		if (s->spawn_rate < 0 || s->spawn_rate > 1e6 || !strchr("0123456789.", arg[0]))
			return bad(err, "spawn rate must be 0 (all at once) to 1M users/s", arg);
		seen->spawn = true;
		return 0;
	case CLI_OPT_THINK:
		if (parse_think(arg, &s->think_min_ns, &s->think_max_ns) < 0)
			return bad(err, "think time must be MIN:MAX durations, e.g. 100ms:500ms",
				   arg);
		seen->think = true;
		return 0;
	case CLI_OPT_ITERATIONS:
		if (strcmp(arg, "0") == 0)
			s->iterations = 0; /* no limit: the duration ends the run */
		else if (cli_parse_count(arg, &s->iterations) < 0)
			return bad(err, "iterations must be a count (0: no limit)", arg);
		return 0;
	case CLI_OPT_STAGE:
		if (!seen->stages) {
			s->nstages = 0; /* the command line's stages replace the table's */
			seen->stages = true;
		}
		if (s->nstages == SCN_MAX_STAGES)
			return bad(err, "too many --stage (16 at most)", arg);
		if (parse_stage(arg, &s->stages[s->nstages]) < 0)
			return bad(err, "stage must be DURATION:TARGET, e.g. 30s:100", arg);
		s->nstages++;
		return 0;
	case CLI_OPT_SET:
		if (cfg->nsets == PLAN_MAX_SETS)
			return bad(err, "too many --set", arg);
		if (!strchr(arg, '='))
			return bad(err, "--set needs name=value", arg);
		cfg->sets[cfg->nsets++] = arg;
		return 0;
	case CLI_OPT_MODEL:
		if (strcmp(arg, "closed") != 0 && strcmp(arg, "open") != 0)
			return bad(err, "model must be closed or open", arg);
		s->model = strcmp(arg, "open") == 0 ? SCN_OPEN : SCN_CLOSED;
		seen->model = true;
		return 0;
	case CLI_OPT_MCP_VERSION:
		if (strcmp(arg, "auto") != 0 && mcp_version_era(arg, strlen(arg)) == MCP_ERA_NONE)
			return bad(err,
				   "--mcp-version is auto, 2025-03-26, 2025-06-18, 2025-11-25 "
				   "or " MCP_VERSION_MODERN,
				   arg);
		cfg->mcp_version = arg;
		return 0;
	case CLI_OPT_MCP_PATH:
		if (arg[0] != '/' || strpbrk(arg, " ?#\r\n"))
			return bad(err, "--mcp-path must be a path starting with /", arg);
		cfg->mcp_path = arg;
		return 0;
	case CLI_OPT_CHURN:
		cfg->session_churn = true;
		return 0;
	case 'R':
		if (cli_parse_count(arg, &v) < 0 || v > 100000000)
			return bad(err, "rate must be 1 to 100M iterations per second", arg);
		s->rate = (double)v;
		seen->rate = true;
		if (!seen->model)
			s->model = SCN_OPEN;
		return 0;
	default:
		return 1; /* not a scenario option */
	}
}

static double peak(const struct scn_stage *st, unsigned n)
{
	double m = 0;
	for (unsigned i = 0; i < n; i++)
		if (st[i].target > m)
			m = st[i].target;
	return m;
}

int cli_run_probe(struct cfg *cfg, FILE *err)
{
	char path[1024], why[256];
	const char *mp = cfg->mcp_path ? cfg->mcp_path : "/mcp";
	size_t blen = strlen(cfg->url.target);
	while (blen && cfg->url.target[blen - 1] == '/')
		blen--;
	snprintf(path, sizeof(path), "%.*s%s", (int)blen, cfg->url.target, mp);
	int r = probe_mcp(cfg, path, cfg->mcp_version, &cfg->mcp, why, sizeof(why));
	if (r < 0)
		fprintf(err, "mcpload: %s\n", why);
	return r;
}

/* The shape as the engine runs it. */
static int settle_shape(struct cfg *cfg, const struct cli_run_seen *seen, FILE *err)
{
	struct scn_shape *s = &cfg->shape;
	if (seen->profile) {
		if (seen->rate || seen->users || seen->stages || seen->model) {
			fprintf(err,
				"mcpload: --profile sets the model, users and rate: it does not "
				"go with -R, -c, --stage or --model\n");
			return -EINVAL;
		}
		uint64_t d = cfg->duration_ns ? cfg->duration_ns : s->duration_ns;
		profile_apply(seen->profile, cfg->scn, d ? d : 60 * 1000000000ull, s);
	}
	if (s->model == SCN_CLOSED) {
		if (!s->nstages && s->spawn_rate > 0) {
			/* spawning is a ramp from 0 to the users at the spawn rate */
			s->stages[0].duration_ns = (uint64_t)(s->users / s->spawn_rate * 1e9);
			s->stages[0].target = s->users;
			s->nstages = s->stages[0].duration_ns ? 1 : 0;
		} else if (s->nstages) {
			s->users = (unsigned)(peak(s->stages, s->nstages) + 0.999999);
		}
		if (s->users == 0) {
			fprintf(err, "mcpload: the shape has no users\n");
			return -EINVAL;
		}
		cfg->rate = 0;
	} else {
		double r = s->nstages ? peak(s->stages, s->nstages) : s->rate;
		if (r <= 0) {
			fprintf(err, "mcpload: the open model needs a rate (-R) or --stage "
				     "DURATION:RATE\n");
			return -EINVAL;
		}
		if (seen->think || seen->spawn)
			fprintf(err, "mcpload: note: --think and --spawn-rate apply to the closed "
				     "model only\n");
		cfg->rate = r;
		if (!cfg->max_queue) {
			double per = r / cfg->threads;
			cfg->max_queue = per < 1024 ? 1024 : (unsigned)per;
		}
	}
	cfg->connections = s->users;
	if (!cfg->duration_ns)
		cfg->duration_ns =
		    seen->stages ? stage_total_ns(s->stages, s->nstages) : s->duration_ns;
	if (!cfg->duration_ns)
		cfg->duration_ns = s->iterations ? 3600 * 1000000000ull : 60 * 1000000000ull;
	return 0;
}

int cli_run_finish(struct cfg *cfg, const struct cli_run_seen *seen, FILE *err)
{
	char why[256];
	struct plan *plan;

	if (strchr(cfg->url.target, '?'))
		return bad(err, "the target URL must not have a query", cfg->url_text);
	for (size_t i = 0; i < cfg->header_count; i++) {
		const struct h1w_header *h = &cfg->headers[i];
		if (!h1w_is_token(h->name, strlen(h->name)) || strpbrk(h->value, "\r\n"))
			return bad(err, "invalid -H header", h->name);
	}
	if (settle_shape(cfg, seen, err) < 0)
		return -EINVAL;
	if (scn_has_mcp(cfg->scn)) {
		int r = cli_run_probe(cfg, err);
		if (r < 0)
			return r;
	}
	plan = malloc(sizeof(*plan));
	if (!plan)
		return -ENOMEM;
	struct plan_opts o = {cfg->url.authority, cfg->url.target,  cfg->headers,
			      cfg->header_count,  cfg->sets,	    cfg->nsets,
			      cfg->mcp.era,	  cfg->mcp.version, cfg->mcp_path,
			      cfg->session_churn};
	if (plan_build(plan, cfg->scn, &cfg->shape, &o, why, sizeof(why)) < 0) {
		fprintf(err, "mcpload: %s\n", why);
		free(plan);
		return -EINVAL;
	}
	cfg->plan = plan;
	cfg->method = "-";
	return 0;
}
