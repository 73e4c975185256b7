/*
 * lopt: one load's options: the setter the option table feeds and the
 * checks that need the whole command line (core/cmd/lline writes the
 * equivalent command line back). Nothing here touches the network or the
 * file system.
 */
#include "core/cmd/lopt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cmd/cmd.h"
#include "core/engine/cfg.h"
#include "core/cmd/lmetrics.h"
#include "core/cmd/repeat.h"
#include "protocol/mcp.h"
#include "protocol/url.h"

void lopt_init(struct lopt *o, unsigned bit)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	memset(o, 0, sizeof(*o));
	o->bit = bit;
	o->connections = 64;
	o->threads = cpus > 0 ? (unsigned)cpus : 1;
	o->timeout_ns = 10 * 1000000000ull;
	o->deadline_ns = 30 * 1000000000ull;
	o->start_tol_ns = 2 * 1000000000ull;
	o->connect_timeout_ns = 5 * 1000000000ull;
	o->busy_poll_ns = 2000;
	o->pacing_window_ns = 2000000;
	o->mem.growth_max_bytes = MEMTREND_GROWTH_DEFAULT;
}

void lopt_free(struct lopt *o)
{
	for (size_t i = 0; i < o->nheaders; i++)
		free((char *)o->headers[i].name);
	o->nheaders = 0;
	if (o->file)
		sfile_free(o->file);
	free(o->file);
	o->file = NULL;
}

static int bad(char *why, size_t wl, const char *what, const char *value)
{
	snprintf(why, wl, "%s: '%s'", what, value ? value : "");
	return -EINVAL;
}

int lopt_add_header(struct lopt *o, const char *arg, char *why, size_t wl)
{
	const char *colon = strchr(arg, ':');
	if (!colon || colon == arg)
		return bad(why, wl, "header must be 'Name: value'", arg);
	if (o->nheaders == LIM_USER_HEADERS)
		return bad(why, wl, "too many -H headers", arg);
	char *copy = strdup(arg);
	if (!copy)
		return bad(why, wl, "out of memory", arg);
	char *v = copy + (colon - arg) + 1;
	copy[colon - arg] = 0;
	while (*v == ' ' || *v == '\t')
		v++;
	o->headers[o->nheaders++] = (struct h1w_header){copy, v};
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
	if (strcmp(buf, "0") == 0)
		*lo = 0;
	else if (units_duration(buf, lo) < 0)
		return -1;
	*hi = *lo;
	if (colon && units_duration(colon + 1, hi) < 0)
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
	if (strcmp(buf, "0") == 0)
		st->duration_ns = 0; /* a jump to the target */
	else if (units_duration(buf, &st->duration_ns) < 0)
		return -1;
	st->target = strtod(colon + 1, &end);
	return *end || end == colon + 1 || st->target < 0 || st->target > 1e8 ? -1 : 0;
}

/* The options of the scenario's shape. Returns 1 when id is not one. */
static int set_shape(struct lopt *o, enum opt_id id, const char *arg, char *why, size_t wl)
{
	struct lopt_shape *s = &o->shape;
	uint64_t v;
	switch (id) {
	case OPT_USERS:
		if (units_count(arg, &v) < 0 || v > LIM_CONNECTIONS)
			return bad(why, wl, "users must be 1 to 1048576", arg);
		s->users = (unsigned)v;
		s->users_set = true;
		return 0;
	case OPT_SPAWN_RATE:
		if (units_number(arg, 0, 1e6, &s->spawn_rate) < 0)
			return bad(why, wl, "spawn rate must be 0 (all at once) to 1M users/s",
				   arg);
		s->spawn_set = true;
		return 0;
	case OPT_THINK:
		if (parse_think(arg, &s->think_min_ns, &s->think_max_ns) < 0)
			return bad(why, wl,
				   "think time must be MIN:MAX durations, e.g. 100ms:500ms", arg);
		s->think_set = true;
		return 0;
	case OPT_ITERATIONS:
		if (strcmp(arg, "0") == 0)
			s->iterations = 0; /* no limit: the duration ends the run */
		else if (units_count(arg, &s->iterations) < 0)
			return bad(why, wl, "iterations must be a count (0: no limit)", arg);
		s->iterations_set = true;
		return 0;
	case OPT_STAGE:
		if (s->nstages == SCN_MAX_STAGES)
			return bad(why, wl, "too many --stage (16 at most)", arg);
		if (parse_stage(arg, &s->stages[s->nstages]) < 0)
			return bad(why, wl, "stage must be DURATION:TARGET, e.g. 30s:100", arg);
		s->nstages++;
		return 0;
	case OPT_MODEL:
		if (strcmp(arg, "closed") != 0 && strcmp(arg, "open") != 0)
			return bad(why, wl, "model must be closed or open", arg);
		s->model = strcmp(arg, "open") == 0 ? SCN_OPEN : SCN_CLOSED;
		s->model_set = true;
		return 0;
	default:
		return 1;
	}
}

/* The options of a scenario besides its shape. Returns 1 when id is not one. */
static int set_scenario(struct lopt *o, enum opt_id id, const char *arg, char *why, size_t wl)
{
	struct url u;
	const char *uwhy;
	switch (id) {
	case OPT_TARGET:
		if (url_parse(&u, arg, &uwhy) < 0)
			return bad(why, wl, uwhy, arg);
		o->target = arg;
		return 0;
	case OPT_SET:
		if (o->nsets == PLAN_MAX_SETS)
			return bad(why, wl, "too many --set", arg);
		if (!strchr(arg, '='))
			return bad(why, wl, "--set needs name=value", arg);
		o->sets[o->nsets++] = arg;
		return 0;
	case OPT_MCP_VERSION:
		if (strcmp(arg, "auto") != 0 && mcp_version_era(arg, strlen(arg)) == MCP_ERA_NONE)
			return bad(why, wl,
				   "--mcp-version is auto, 2025-03-26, 2025-06-18, 2025-11-25 "
				   "or " MCP_VERSION_MODERN,
				   arg);
		o->mcp_version = arg;
		return 0;
	case OPT_MCP_PATH:
		if (arg[0] != '/' || strpbrk(arg, " ?#\r\n"))
			return bad(why, wl, "--mcp-path must be a path starting with /", arg);
		o->mcp_path = arg;
		return 0;
	case OPT_SESSION_CHURN:
		o->churn = true;
		return 0;
	case OPT_KEEP_AWAKE:
		o->keep_awake = true;
		return 0;
	case OPT_PROFILE:
		o->profile = profile_find(arg);
		if (!o->profile)
			return bad(why, wl, "--profile is normal, peak, storm, stress or spike",
				   arg);
		return 0;
	default:
		return set_shape(o, id, arg, why, wl);
	}
}

/* The options of the open loop. Returns 1 when id is not one. */
static int set_open_loop(struct lopt *o, enum opt_id id, const char *arg, char *why, size_t wl)
{
	uint64_t v;
	char *end;
	switch (id) {
	case OPT_RATE:
		if (units_count(arg, &v) < 0 || v > 100000000)
			return bad(why, wl,
				   o->bit == CMD_HTTP
				       ? "rate must be 1 to 100M requests per second"
				       : "rate must be 1 to 100M iterations per second",
				   arg);
		o->rate = (double)v;
		o->shape.rate = (double)v;
		o->shape.rate_set = true;
		return 0;
	case OPT_ARRIVAL:
		if (strcmp(arg, "constant") != 0 && strcmp(arg, "poisson") != 0)
			return bad(why, wl, "arrival must be constant or poisson", arg);
		o->poisson = strcmp(arg, "poisson") == 0;
		return 0;
	case OPT_SEED:
		errno = 0;
		o->seed = strtoull(arg, &end, 0);
		if (errno || *end || !*arg)
			return bad(why, wl, "seed must be a number", arg);
		o->seed_set = true;
		return 0;
	case OPT_MAX_QUEUE:
		if (units_count(arg, &v) < 0 || v > 100000000)
			return bad(why, wl, "max-queue must be 1 to 100M", arg);
		o->max_queue = (unsigned)v;
		return 0;
	case OPT_PACING:
		if (strcmp(arg, "precise") != 0 && strcmp(arg, "lean") != 0)
			return bad(why, wl, "pacing must be precise or lean", arg);
		o->pacing_lean = strcmp(arg, "lean") == 0;
		return 0;
	case OPT_PACING_WINDOW:
		if (units_duration(arg, &o->pacing_window_ns) < 0 ||
		    o->pacing_window_ns > 1000000000ull)
			return bad(why, wl, "--pacing-window must be a duration of at most 1s",
				   arg);
		o->pacing_window_set = true;
		return 0;
	case OPT_TIMESTAMPS:
		if (strcmp(arg, "auto") && strcmp(arg, "kernel") && strcmp(arg, "rx") &&
		    strcmp(arg, "user"))
			return bad(why, wl, "timestamps must be auto, kernel, rx or user", arg);
		o->stamps = !strcmp(arg, "kernel") ? CFG_STAMPS_KERNEL
			    : !strcmp(arg, "rx")   ? CFG_STAMPS_RX
			    : !strcmp(arg, "user") ? CFG_STAMPS_USER
						   : CFG_STAMPS_AUTO;
		return 0;
	case OPT_SHARD:
		return shard_parse(arg, &o->shard, why, wl);
	case OPT_START_AT:
		return shard_start_at_parse(arg, &o->start_at_ns, why, wl);
	case OPT_START_TOLERANCE:
		if (units_duration(arg, &o->start_tol_ns) < 0)
			return bad(why, wl, "--start-tolerance must be a duration", arg);
		return 0;
	case OPT_ON_TIME:
		if (units_pct(arg, &o->on_time_pct) < 0 || o->on_time_pct < 50 ||
		    o->on_time_pct > 100)
			return bad(why, wl, "--on-time must be 50% to 100%", arg);
		return 0;
	case OPT_BUSY_POLL:
		if (units_duration(arg, &o->busy_poll_ns) < 0 || o->busy_poll_ns > 1000000)
			return bad(why, wl, "busy-poll must be a duration of at most 1ms", arg);
		return 0;
	default:
		return set_scenario(o, id, arg, why, wl);
	}
}

/* Output, repetition and server memory. Returns 1 when id is not one. */
static int set_output(struct lopt *o, enum opt_id id, const char *arg, char *why, size_t wl)
{
	uint64_t v;
	struct url u;
	const char *uwhy;
	switch (id) {
	case OPT_JSON:
		if (!*arg)
			return bad(why, wl, "--json needs a file name (- for stdout)", arg);
		o->json = arg;
		return 0;
	case OPT_CSV:
	case OPT_JUNIT:
	case OPT_HDR_LOG:
	case OPT_HTML:
		if (!*arg)
			return bad(why, wl, "a report option needs a file name", arg);
		*(id == OPT_CSV	    ? &o->csv
		  : id == OPT_JUNIT ? &o->junit
		  : id == OPT_HTML  ? &o->html
				    : &o->hdr_log) = arg;
		return 0;
	case OPT_REPEAT:
		if (units_count(arg, &v) < 0 || v > REPEAT_MAX)
			return bad(why, wl, "repeat must be 1 to 100 runs", arg);
		o->repeat = (unsigned)v;
		return 0;
	case OPT_QUIET:
		o->quiet = true;
		return 0;
	case OPT_PROGRESS:
		o->progress = true;
		return 0;
	case OPT_LIVE_METRICS:
		if (lmetrics_check(arg, why, wl) < 0)
			return -EINVAL;
		o->live_metrics = arg;
		return 0;
	case OPT_THRESH_EXPR: {
		struct thresh t;
		if (o->nthresholds == THRESH_MAX)
			return bad(why, wl, "too many --threshold (32 at most)", arg);
		if (thresh_parse(arg, &t, why, wl) < 0)
			return -EINVAL;
		o->thresholds[o->nthresholds++] = arg;
		return 0;
	}
	case OPT_SERVER_PID:
		if (units_count(arg, &v) < 0 || v > 0x7fffffff)
			return bad(why, wl, "server-pid must be a process id", arg);
		o->mem.server_pid = (int)v;
		return 0;
	case OPT_METRICS_URL:
		if (url_parse(&u, arg, &uwhy) < 0 || u.tls)
			return bad(why, wl, "metrics-url must be an http:// URL", arg);
		o->mem.metrics_url = arg;
		return 0;
	case OPT_MEM_GROWTH_MAX:
		if (units_size(arg, &o->mem.growth_max_bytes) < 0)
			return bad(why, wl, "mem-growth-max must be a size, e.g. 50MB", arg);
		return 0;
	case OPT_SERVER_RSS_MAX:
		if (units_size(arg, &o->mem.rss_max_bytes) < 0)
			return bad(why, wl, "server-rss-max must be a size, e.g. 2GB", arg);
		return 0;
	default:
		return set_open_loop(o, id, arg, why, wl);
	}
}

int lopt_set(void *ctx, enum opt_id id, const char *arg, char *why, size_t wl)
{
	struct lopt *o = ctx;
	uint64_t v;
	int r;
	switch (id) {
	case OPT_CONNECTIONS:
		if (units_count(arg, &v) < 0 || v > LIM_CONNECTIONS)
			return bad(why, wl, "connections must be 1 to 1048576", arg);
		o->connections = (unsigned)v;
		return 0;
	case OPT_THREADS:
		if (units_count(arg, &v) < 0 || v > LIM_THREADS)
			return bad(why, wl, "threads must be 1 to 256", arg);
		o->threads = (unsigned)v;
		o->threads_set = true;
		return 0;
	case OPT_DURATION:
		if (units_duration(arg, &o->duration_ns) < 0 || o->duration_ns == 0)
			return bad(why, wl, "bad duration (e.g. 10s, 2m, 500ms)", arg);
		return 0;
	case OPT_REQUESTS:
		if (units_count(arg, &o->requests) < 0)
			return bad(why, wl, "requests must be a positive count", arg);
		return 0;
	case OPT_METHOD:
		o->method = arg;
		return 0;
	case OPT_HEADER:
		return lopt_add_header(o, arg, why, wl);
	case OPT_HEADER_FILE:
		o->header_file = arg;
		return 0;
	case OPT_CACERT:
		o->cacert = arg;
		return 0;
	case OPT_INSECURE:
		o->insecure = true;
		return 0;
	case OPT_CERT:
		o->cert = arg;
		return 0;
	case OPT_KEY:
		o->key = arg;
		return 0;
	case OPT_TLS_RESUME:
		if (strcmp(arg, "on") != 0 && strcmp(arg, "off") != 0)
			return bad(why, wl, "--tls-resume takes on or off", arg);
		o->tls_resume_off = !strcmp(arg, "off");
		return 0;
	case OPT_BODY:
		o->body = arg;
		o->body_file = NULL;
		return 0;
	case OPT_BODY_FILE:
		o->body_file = arg;
		o->body = NULL;
		return 0;
	case OPT_TIMEOUT:
		if (units_duration(arg, &o->timeout_ns) < 0 || o->timeout_ns < 1000000)
			return bad(why, wl, "timeout must be a duration of at least 1ms", arg);
		return 0;
	case OPT_DEADLINE:
		if (units_duration(arg, &o->deadline_ns) < 0 || o->deadline_ns < 1000000)
			return bad(why, wl, "deadline must be a duration of at least 1ms", arg);
		return 0;
	case OPT_CONNECT_TIMEOUT:
		if (units_duration(arg, &o->connect_timeout_ns) < 0 ||
		    o->connect_timeout_ns < 1000000)
			return bad(why, wl, "connect timeout must be a duration of at least 1ms",
				   arg);
		return 0;
	case OPT_WARMUP:
		if (units_duration(arg, &o->warmup_ns) < 0)
			return bad(why, wl, "bad warmup duration", arg);
		return 0;
	default:
		r = set_output(o, id, arg, why, wl);
		if (r > 0)
			return bad(why, wl, "not an option of a load", opt_cmd_name(o->bit));
		return r;
	}
}

static int finish_http(struct lopt *o, const char *url, char *why, size_t wl)
{
	struct url u;
	const char *uwhy;
	if (!url) {
		snprintf(why, wl, "missing URL");
		return -EINVAL;
	}
	if (url_parse(&u, url, &uwhy) < 0)
		return bad(why, wl, uwhy, url);
	o->url = url;
	return 0;
}

int lopt_check_target(const char *target, char *why, size_t wl)
{
	struct url u;
	const char *uwhy;
	if (!target) {
		snprintf(why, wl, "missing --target URL");
		return -EINVAL;
	}
	if (url_parse(&u, target, &uwhy) < 0)
		return bad(why, wl, uwhy, target);
	if (strchr(u.target, '?'))
		return bad(why, wl, "the target URL must not have a query", target);
	return 0;
}

static int finish_run(struct lopt *o, const char *scenario, char *why, size_t wl)
{
	const struct lopt_shape *s = &o->shape;
	if (!scenario) {
		snprintf(why, wl, "missing scenario name (mcpload list shows them)");
		return -EINVAL;
	}
	if (sfile_is_path(scenario)) {
		o->scn_path = scenario; /* read by prep_inputs */
	} else if (!(o->scn = scn_find(scenario))) {
		snprintf(why, wl,
			 "unknown scenario '%s' (mcpload list shows them; a file's name ends in "
			 ".toml)",
			 scenario);
		return -EINVAL;
	}
	if (lopt_check_target(o->target, why, wl) < 0)
		return -EINVAL;
	for (size_t i = 0; i < o->nheaders; i++) {
		const struct h1w_header *h = &o->headers[i];
		if (!h1w_is_token(h->name, strlen(h->name)) || strpbrk(h->value, "\r\n"))
			return bad(why, wl, "invalid -H header", h->name);
	}
	if (o->profile && (s->rate_set || s->users_set || s->nstages || s->model_set)) {
		snprintf(why, wl,
			 "--profile sets the model, users and rate: it does not go with -R, -c, "
			 "--stage or --model");
		return -EINVAL;
	}
	return 0;
}

int lopt_finish(struct lopt *o, const char *positional, char *why, size_t wl)
{
	int r = o->bit == CMD_HTTP ? finish_http(o, positional, why, wl)
				   : finish_run(o, positional, why, wl);
	if (r < 0)
		return r;
	if (o->mem.server_pid && o->mem.metrics_url) {
		snprintf(why, wl, "--server-pid or --metrics-url: one source of server memory");
		return -EINVAL;
	}
	if (o->repeat > 1 && (o->csv || o->junit || o->hdr_log || o->html || o->live_metrics)) {
		snprintf(why, wl,
			 "--csv, --junit, --hdr-log, --html and --live-metrics describe one run: "
			 "not with --repeat (its --json compares the runs)");
		return -EINVAL;
	}
	return 0;
}

struct rout lopt_reports(const struct lopt *o)
{
	return (struct rout){o->json, o->csv, o->junit, o->hdr_log, o->html};
}

int lopt_parse_argv(struct lopt *o, unsigned bit, int argc, char **argv)
{
	const char *pos[1] = {NULL};
	unsigned npos;
	char why[512];
	lopt_init(o, bit);
	int r = cmd_parse(bit, argc, argv, lopt_set, o, pos, 1, &npos);
	if (r != CMD_GO)
		return r;
	if (lopt_finish(o, npos ? pos[0] : NULL, why, sizeof(why)) < 0)
		return cmd_usage_error(bit, why);
	return CMD_GO;
}
