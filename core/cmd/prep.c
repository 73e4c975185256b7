/*
 * prep: the I/O a command does once before its load (prep_open), and the
 * derivation of each run from the options (phase_build: pure).
 */
#include "core/cmd/prep.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/cmd/lline.h"
#include "core/probe/memsrc.h"
#include "core/users/vu.h"
#include "scenarios/stage.h"
#include "stats/report/rout.h"

static int read_file(const char *path, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size > (off_t)LIM_REQUEST_BYTES) {
		close(fd);
		return -EFBIG;
	}
	*out = malloc((size_t)sb.st_size + 1);
	ssize_t n = *out ? read(fd, *out, (size_t)sb.st_size) : -1;
	close(fd);
	if (n != sb.st_size)
		return -EIO;
	*len = (size_t)n;
	return 0;
}

#define SCENARIO_FILE_MAX (4u << 20) /* a hand-written file is far smaller */

/* --header-file: "Name: value" lines, blank lines and # comments skipped. */
static int header_file(struct lopt *o, char *why, size_t wl)
{
	char line[8192];
	unsigned n = 0;
	FILE *f = fopen(o->header_file, "r");
	if (!f) {
		snprintf(why, wl, "cannot read header file %s: %s", o->header_file,
			 strerror(errno));
		return -EINVAL;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t k = strcspn(line, "\r\n");
		char hwhy[256];
		n++;
		line[k] = 0;
		if (!line[strspn(line, " \t")] || line[strspn(line, " \t")] == '#')
			continue;
		if (lopt_add_header(o, line, hwhy, sizeof(hwhy)) < 0) {
			snprintf(why, wl, "%s:%u: %s", o->header_file, n, hwhy);
			fclose(f);
			return -EINVAL;
		}
	}
	fclose(f);
	return 0;
}

/* ${NAME} in header values, from the environment. */
static int expand_headers(struct lopt *o, char *why, size_t wl)
{
	for (size_t i = 0; i < o->nheaders; i++) {
		struct h1w_header *h = &o->headers[i];
		char missing[128], *v;
		size_t nlen = strlen(h->name), cap = strlen(h->value) + (64u << 10);
		if (!strstr(h->value, "${"))
			continue;
		char *block = malloc(nlen + 1 + cap);
		if (!block) {
			snprintf(why, wl, "out of memory");
			return -ENOMEM;
		}
		memcpy(block, h->name, nlen + 1);
		v = block + nlen + 1;
		long n = sfile_expand(h->value, v, cap, missing, sizeof(missing));
		if (n == -ENOENT)
			snprintf(why, wl, "header %s: the environment variable %s is not set",
				 h->name, missing);
		else if (n < 0)
			snprintf(why, wl, "header %s: too long with its ${...} expanded", h->name);
		if (n < 0) {
			free(block);
			return -EINVAL;
		}
		free((char *)h->name); /* name and value were one block */
		*h = (struct h1w_header){block, v};
	}
	return 0;
}

int prep_read_text(const char *path, const char *what, char **out, size_t *len, char *why,
		   size_t wl)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	*out = NULL;
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > (off_t)SCENARIO_FILE_MAX) {
		snprintf(why, wl, "cannot read %s %s: %s", what, path,
			 fd < 0 ? strerror(errno) : "not a regular file of at most 4 MiB");
		if (fd >= 0)
			close(fd);
		return -EINVAL;
	}
	*out = malloc((size_t)sb.st_size + 1);
	ssize_t n = *out ? read(fd, *out, (size_t)sb.st_size) : -1;
	close(fd);
	if (n != sb.st_size) {
		snprintf(why, wl, "cannot read %s %s", what, path);
		free(*out);
		*out = NULL;
		return -EINVAL;
	}
	(*out)[n] = 0;
	*len = (size_t)n;
	return 0;
}

int prep_inputs(struct lopt *o, char *why, size_t wl)
{
	char *text = NULL;
	size_t len = 0;
	if (o->header_file && header_file(o, why, wl) < 0)
		return -EINVAL;
	o->header_file = NULL; /* read once, whatever copies of o do */
	int r = expand_headers(o, why, wl);
	if (r < 0)
		return r;
	if (!o->scn_path || o->scn)
		return 0;
	if (prep_read_text(o->scn_path, "scenario file", &text, &len, why, wl) < 0)
		return -EINVAL;
	o->file = calloc(1, sizeof(*o->file));
	if (!o->file) {
		free(text);
		snprintf(why, wl, "out of memory");
		return -ENOMEM;
	}
	r = sfile_parse(o->file, o->scn_path, text, len, why, wl);
	free(text); /* the file's strings live in its own arena */
	if (r < 0)
		return r;
	o->scn = &o->file->scn;
	for (unsigned i = 0; i < o->file->nthresholds; i++) {
		struct thresh t;
		char twhy[256];
		if (o->nthresholds == THRESH_MAX) {
			snprintf(why, wl, "%s: more than %d thresholds with the command line's",
				 o->scn_path, THRESH_MAX);
			return -EINVAL;
		}
		if (thresh_parse(o->file->thresholds[i], &t, twhy, sizeof(twhy)) < 0) {
			snprintf(why, wl, "%s: %s", o->scn_path, twhy);
			return -EINVAL;
		}
		o->thresholds[o->nthresholds++] = o->file->thresholds[i];
	}
	return 0;
}

/* Templates in the URL's path, a header or the body: then every request
 * is rendered (docs/scenarios.md, Templates). */
static bool templated(const struct prep *p, const struct lopt *o)
{
	if (strstr(p->url.target, "{{") || (p->body && memmem(p->body, p->body_len, "{{", 2)))
		return true;
	for (size_t i = 0; i < o->nheaders; i++)
		if (strstr(o->headers[i].name, "{{") || strstr(o->headers[i].value, "{{"))
			return true;
	return false;
}

/* The one-step scenario of a templated `mcpload http`. */
static void http_scenario(struct prep *p, const char *method)
{
	snprintf(p->http_label, sizeof(p->http_label), "%.16s %.200s", method, p->url.target);
	p->http_step = (struct scn_step){
	    .label = p->http_label, .method = method, .path = p->url.target, .body = p->body};
	p->http_task = (struct scn_task){"request", 1, &p->http_step, 1, 0, 0};
	p->http_scn = (struct scn){.name = "http",
				   .desc = "mcpload http with templates",
				   .tasks = &p->http_task,
				   .ntasks = 1,
				   .shape = {.model = SCN_CLOSED, .users = 1}};
	p->templated = true;
}

/* `mcpload http`: the body and the request, built once. */
static int build_request(struct prep *p, const struct lopt *o, char *why, size_t wl)
{
	const char *bwhy = NULL;
	if (o->body_file) {
		int r = read_file(o->body_file, &p->body, &p->body_len);
		if (r < 0) {
			snprintf(why, wl, "cannot read body file '%s': %s", o->body_file,
				 r == -EFBIG ? "not a regular file of at most 1 MiB"
					     : strerror(-r));
			return -EINVAL;
		}
	} else if (o->body) {
		p->body = strdup(o->body);
		p->body_len = strlen(o->body);
		if (!p->body) {
			snprintf(why, wl, "out of memory");
			return -ENOMEM;
		}
	}
	struct h1w_request req = {
	    .method = o->method ? o->method
		      : p->body ? "POST"
				: "GET",
	    .authority = p->url.authority,
	    .target = p->url.target,
	    .headers = o->headers,
	    .header_count = o->nheaders,
	    .user_agent = "mcpload/" MCPL_VERSION,
	    .body = p->body,
	    .body_len = p->body_len,
	};
	if (templated(p, o)) {
		http_scenario(p, req.method);
		return 0;
	}
	p->request = malloc(LIM_REQUEST_BYTES);
	if (!p->request) {
		snprintf(why, wl, "out of memory");
		return -ENOMEM;
	}
	ssize_t n = h1w_write(p->request, LIM_REQUEST_BYTES, &req, &bwhy);
	if (n < 0) {
		snprintf(why, wl, "%s: '%s'", bwhy, req.method);
		return -EINVAL;
	}
	p->fixed = (struct fixed_req){p->request, (size_t)n};
	return 0;
}

void prep_mcp_path(const struct prep *p, const struct lopt *o, char *path, size_t n)
{
	const char *mp = o->mcp_path ? o->mcp_path : "/mcp";
	size_t blen = strlen(p->url.target);
	while (blen && p->url.target[blen - 1] == '/')
		blen--;
	snprintf(path, n, "%.*s%s", (int)blen, p->url.target, mp);
}

/* The -H headers as lines for the probe and discovery: they carry the
 * same credentials as the load. */
static int header_lines(struct prep *p, const struct lopt *o, char *why, size_t wl)
{
	size_t n = 1, at = 0;
	for (size_t i = 0; i < o->nheaders; i++)
		n += strlen(o->headers[i].name) + strlen(o->headers[i].value) + 4;
	p->header_lines = malloc(n);
	if (!p->header_lines) {
		snprintf(why, wl, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < o->nheaders; i++)
		at += (size_t)sprintf(p->header_lines + at, "%s: %s\r\n", o->headers[i].name,
				      o->headers[i].value);
	p->header_lines[at] = 0;
	p->peer.headers = p->header_lines;
	return 0;
}

int prep_open(struct prep *p, const struct lopt *o, char *why, size_t wl)
{
	const char *uwhy;
	int r;
	memset(p, 0, sizeof(*p));
	p->seed = o->seed_set ? o->seed : (uint64_t)time(NULL);
	if (url_parse(&p->url, o->bit == CMD_HTTP ? o->url : o->target, &uwhy) < 0) {
		snprintf(why, wl, "%s", uwhy);
		return -EINVAL;
	}
	r = probe_resolve(&p->url, &p->peer, why, wl);
	if (r < 0)
		return -EINVAL;
	p->peer.timeout_ns = o->timeout_ns;
	p->peer.connect_timeout_ns = o->connect_timeout_ns;
	if (p->url.tls) {
		if (tlsc_load(&p->tls, p->url.host, o->cacert, o->cert, o->key, o->insecure, why,
			      wl) < 0)
			return -EINVAL;
		p->tls.resume = !o->tls_resume_off;
		p->peer.tls = &p->tls;
	}
	if (o->nheaders && (r = header_lines(p, o, why, wl)) < 0)
		return r;
	if (o->bit == CMD_HTTP && (r = build_request(p, o, why, wl)) < 0)
		return r;
	if (memsrc_check(&o->mem, why, wl) < 0)
		return -EINVAL;
	struct rout reports = lopt_reports(o);
	if (rout_check(&reports, why, wl) < 0)
		return -EINVAL;
	return 0;
}

int prep_reach(struct prep *p, const struct lopt *o, bool need_mcp, char *why, size_t wl)
{
	char err[320];
	int r = probe_connect(&p->peer, err, sizeof(err));
	if (r == -EPROTO) {
		snprintf(why, wl, "https://%s (%s): %s", p->url.authority, p->peer.addr_text, err);
		return r;
	}
	if (r < 0) {
		snprintf(why, wl, "cannot connect to %s (%s): %s", p->url.authority,
			 p->peer.addr_text, err);
		return r == -EINVAL ? -ECONNREFUSED : r;
	}
	if (need_mcp) {
		char path[1024];
		prep_mcp_path(p, o, path, sizeof(path));
		r = probe_mcp(&p->peer, path, o->mcp_version, &p->mcp, why, wl);
		if (r < 0)
			return r == -EINVAL ? -EPROTO : r;
	}
	return 0;
}

void prep_free(struct prep *p)
{
	free(p->body);
	free(p->request);
	free(p->header_lines);
	p->body = p->request = p->header_lines = NULL;
	p->peer.headers = NULL;
	tlsc_free(&p->tls);
	p->peer.tls = NULL;
}

int prep_fd_limit(unsigned connections, char *why, size_t wl)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)connections + 64; /* the rings and stdio besides */
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need) {
		rl.rlim_cur = need;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			return 0;
	}
	snprintf(why, wl,
		 "%u connections need more open files than allowed (ulimit -Hn); raise the hard "
		 "limit or use fewer connections",
		 connections);
	return -EMFILE;
}

/* --- deriving a run --- */

static double peak(const struct scn_stage *st, unsigned n)
{
	double m = 0;
	for (unsigned i = 0; i < n; i++)
		if (st[i].target > m)
			m = st[i].target;
	return m;
}

/* The scenario's shape with the command line's settings over it. */
static void overrides(const struct lopt *o, struct scn_shape *s)
{
	const struct lopt_shape *c = &o->shape;
	*s = o->scn->shape;
	if (c->users_set)
		s->users = c->users;
	if (c->spawn_set)
		s->spawn_rate = c->spawn_rate;
	if (c->think_set) {
		s->think_min_ns = c->think_min_ns;
		s->think_max_ns = c->think_max_ns;
	}
	if (c->iterations_set)
		s->iterations = c->iterations;
	if (c->nstages) {
		memcpy(s->stages, c->stages, sizeof(c->stages));
		s->nstages = c->nstages;
	}
	if (c->rate_set) {
		s->rate = c->rate;
		s->model = SCN_OPEN; /* -R is the open model, unless --model says */
	}
	if (c->model_set)
		s->model = c->model;
}

int phase_shape(const struct lopt *o, struct scn_shape *s, uint64_t *duration_ns, char *why,
		size_t wl)
{
	overrides(o, s);
	*duration_ns = o->duration_ns;
	if (o->profile) {
		uint64_t d = *duration_ns ? *duration_ns : s->duration_ns;
		profile_apply(o->profile, o->scn, d ? d : 60 * 1000000000ull, s);
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
			snprintf(why, wl, "the shape has no users");
			return -EINVAL;
		}
	} else if ((s->nstages ? peak(s->stages, s->nstages) : s->rate) <= 0) {
		snprintf(why, wl, "the open model needs a rate (-R) or --stage DURATION:RATE");
		return -EINVAL;
	}
	if (!*duration_ns)
		*duration_ns =
		    o->shape.nstages ? stage_total_ns(s->stages, s->nstages) : s->duration_ns;
	if (!*duration_ns)
		*duration_ns = s->iterations ? 3600 * 1000000000ull : 60 * 1000000000ull;
	return 0;
}

static void note(struct phase *ph, const char *text)
{
	size_t at = strlen(ph->notes);
	snprintf(ph->notes + at, sizeof(ph->notes) - at, "%s\n", text);
}

/* `mcpload run`: the shape, the plan and what the engine needs of them. */
static int build_run(struct phase *ph, const struct lopt *o, const struct prep *p, char *why,
		     size_t wl)
{
	struct cfg *c = &ph->cfg;
	struct scn_shape shape;
	if (phase_shape(o, &shape, &c->duration_ns, why, wl) < 0 ||
	    shard_shape(&o->shard, &shape, &c->user_base, why, wl) < 0)
		return -EINVAL;
	if (shape.model == SCN_OPEN && (o->shape.think_set || o->shape.spawn_set))
		note(ph, "--think and --spawn-rate apply to the closed model only");
	ph->plan = malloc(sizeof(*ph->plan));
	if (!ph->plan) {
		snprintf(why, wl, "out of memory");
		return -ENOMEM;
	}
	struct plan_opts po = {p->url.authority, p->url.target, o->headers, o->nheaders,
			       o->sets,		 o->nsets,	p->mcp.era, p->mcp.version,
			       o->mcp_path,	 o->churn};
	if (plan_build(ph->plan, o->scn, &shape, &po, why, wl) < 0)
		return -EINVAL;
	c->connections = shape.users;
	c->rate = shape.model == SCN_OPEN
		      ? (shape.nstages ? peak(shape.stages, shape.nstages) : shape.rate)
		      : 0;
	if (shape.model == SCN_OPEN && shape.nstages) {
		c->stages = ph->plan->shape.stages;
		c->nstages = ph->plan->shape.nstages;
	}
	c->src = &vu_src;
	c->src_arg = ph->plan;
	return 0;
}

/* A templated `mcpload http`: its one-step scenario, the connections as
 * users that never think, closed loop or -R arrivals. */
static int build_templated(struct phase *ph, const struct lopt *o, const struct prep *p, char *why,
			   size_t wl)
{
	struct cfg *c = &ph->cfg;
	struct scn_shape shape = {
	    .model = o->rate > 0 ? SCN_OPEN : SCN_CLOSED, .users = o->connections, .rate = o->rate};
	if (shard_shape(&o->shard, &shape, &c->user_base, why, wl) < 0)
		return -EINVAL;
	ph->plan = malloc(sizeof(*ph->plan));
	if (!ph->plan) {
		snprintf(why, wl, "out of memory");
		return -ENOMEM;
	}
	struct plan_opts po = {p->url.authority, "",   o->headers, o->nheaders, NULL, 0,
			       MCP_ERA_NONE,	 NULL, NULL,	   false};
	if (plan_build(ph->plan, &p->http_scn, &shape, &po, why, wl) < 0)
		return -EINVAL;
	c->src = &vu_src;
	c->src_arg = ph->plan;
	ph->desc.plan = ph->plan;
	return 0;
}

int phase_build(struct phase *ph, const struct lopt *o, const struct prep *p, const char *cmdline,
		char *why, size_t wl)
{
	struct cfg *c = &ph->cfg;
	memset(ph, 0, sizeof(*ph));
	memcpy(&c->addr, &p->peer.addr, sizeof(c->addr));
	c->addr_len = p->peer.addr_len;
	c->threads = o->threads;
	c->warmup_ns = o->warmup_ns;
	c->timeout_ns = o->timeout_ns;
	c->deadline_ns = o->deadline_ns;
	c->tls = p->url.tls ? &p->tls : NULL;
	c->connect_timeout_ns = o->connect_timeout_ns;
	c->busy_poll_ns = o->busy_poll_ns;
	c->keep_awake = o->keep_awake;
	c->poisson = o->poisson;
	c->seed = p->seed;
	c->pacing_lean = o->pacing_lean;
	if (o->pacing_window_set && !o->pacing_lean) {
		snprintf(why, wl, "--pacing-window applies to --pacing lean");
		return -EINVAL;
	}
	c->pacing_window_ns = o->pacing_lean ? o->pacing_window_ns : 0;
	c->stamps = o->stamps;
	c->on_time_pct = o->on_time_pct;
	if (o->requests && o->requests < o->shard.count) {
		snprintf(why, wl, "%u shards for %llu requests: every shard needs one at least",
			 o->shard.count, (unsigned long long)o->requests);
		return -EINVAL;
	}
	c->requests = shard_part(&o->shard, o->requests);
	c->shard_index = o->shard.index;
	c->shard_count = o->shard.count;
	if (o->shard.count > 1)
		c->seed ^= 0x9e3779b97f4a7c15ull * (o->shard.index + 1); /* its own draws */
	if (o->bit == CMD_HTTP) {
		const char *m = o->method ? o->method : p->body ? "POST" : "GET";
		if (o->shard.count > o->connections) {
			snprintf(why, wl,
				 "%u shards for %u connections: every shard needs one at least",
				 o->shard.count, o->connections);
			return -EINVAL;
		}
		c->connections = (unsigned)shard_part(&o->shard, o->connections);
		c->rate = shard_rate(&o->shard, o->rate);
		c->duration_ns = o->duration_ns || o->requests ? o->duration_ns : 10000000000ull;
		c->head_request = strcmp(m, "HEAD") == 0;
		c->src = &fixed_src;
		c->src_arg = &p->fixed;
		ph->desc.method = m;
		if (p->templated) {
			int r = build_templated(ph, o, p, why, wl);
			if (r < 0)
				return r;
		}
	} else {
		int r = build_run(ph, o, p, why, wl);
		if (r < 0)
			return r;
		ph->desc.method = "-";
		ph->desc.plan = ph->plan;
		ph->desc.mcp = p->mcp.era != MCP_ERA_NONE ? &p->mcp : NULL;
	}
	if (c->threads > c->connections) {
		char n[128];
		snprintf(n, sizeof(n), "%u threads for %u connections; using %u", c->threads,
			 c->connections, c->connections);
		if (o->threads_set && o->bit == CMD_HTTP)
			note(ph, n);
		c->threads = c->connections;
	}
	c->max_queue = o->max_queue;
	if (c->rate > 0 && !c->max_queue) {
		double per_thread = c->rate / c->threads;
		c->max_queue = per_thread < 1024 ? 1024 : (unsigned)per_thread;
	}
	if (cmdline)
		snprintf(ph->cmdline, sizeof(ph->cmdline), "%s", cmdline);
	else
		lline_format(o, ph->cmdline, sizeof(ph->cmdline));
	ph->desc = (struct rdesc){ph->cmdline,	     o->bit == CMD_HTTP ? o->url : o->target,
				  p->peer.addr_text, ph->desc.method,
				  c->connections,    c->threads,
				  c->rate,	     c->poisson,
				  c->pacing_lean,    c->seed,
				  c->max_queue,	     c->warmup_ns,
				  c->busy_poll_ns,   ph->desc.plan,
				  ph->desc.mcp};
	ph->desc.pacing_window_ns = c->pacing_window_ns;
	ph->desc.tls = p->url.tls;
	ph->desc.tls_insecure = o->insecure;
	ph->desc.tls_resume = !o->tls_resume_off;
	ph->desc.tls_cacert = o->cacert;
	ph->desc.tls_no_name = p->url.tls && !p->tls.name[0];
	return 0;
}

void phase_free(struct phase *ph)
{
	free(ph->plan);
	ph->plan = NULL;
}

int phase_check(const struct lopt *o, const struct prep *p, char *why, size_t wl)
{
	struct prep probed = *p;
	struct phase ph;
	bool unprobed = o->bit == CMD_RUN && p->mcp.era == MCP_ERA_NONE && scn_has_mcp(o->scn);
	/* not probed yet: what one of the two eras accepts may be right */
	if (unprobed) {
		probed.mcp.era = MCP_ERA_LEGACY;
		snprintf(probed.mcp.version, sizeof(probed.mcp.version), "%s", MCP_VERSION_LEGACY);
	}
	int r = phase_build(&ph, o, &probed, NULL, why, wl);
	phase_free(&ph);
	if (r < 0 && unprobed) {
		char other[256];
		probed.mcp.era = MCP_ERA_MODERN;
		snprintf(probed.mcp.version, sizeof(probed.mcp.version), "%s", MCP_VERSION_MODERN);
		if (phase_build(&ph, o, &probed, NULL, other, sizeof(other)) == 0)
			r = 0;
		phase_free(&ph);
	}
	return r;
}
