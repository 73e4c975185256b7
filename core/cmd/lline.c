/*
 * lline: the equivalent `mcpload http|run` command line of a load's
 * options, words quoted for a POSIX shell, so a run that a command derived
 * (a stress step, a suite phase) can be rerun by hand.
 */
#include "core/cmd/lline.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/cmd/cmd.h"
#include "core/engine/cfg.h"
struct line {
	char *buf;
	size_t len, at;
};

static void put(struct line *l, const char *fmt, ...)
{
	va_list ap;
	if (l->at >= l->len)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(l->buf + l->at, l->len - l->at, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->at += (size_t)n;
}

/* A word, quoted for a POSIX shell when it needs it. */
static void word(struct line *l, const char *w)
{
	if (*w && !strpbrk(w, " \t\n'\"\\$`*?[]{}()<>|&;#~!")) {
		put(l, " %s", w);
		return;
	}
	put(l, " '");
	for (; *w; w++)
		put(l, *w == '\'' ? "'\\''" : "%c", *w);
	put(l, "'");
}

/* A duration as a user would type it: 10s, 250ms, 30us. */
static const char *fmt_dur(char *b, size_t n, uint64_t ns)
{
	if (ns % 1000000000ull == 0)
		snprintf(b, n, "%llus", (unsigned long long)(ns / 1000000000ull));
	else if (ns % 1000000ull == 0)
		snprintf(b, n, "%llums", (unsigned long long)(ns / 1000000ull));
	else
		snprintf(b, n, "%lluus", (unsigned long long)(ns / 1000ull));
	return b;
}

static void dur(struct line *l, const char *flag, uint64_t ns)
{
	char d[32];
	put(l, " %s %s", flag, fmt_dur(d, sizeof(d), ns));
}

static void format_shape(struct line *l, const struct lopt *o)
{
	const struct lopt_shape *s = &o->shape;
	char a[32], b[32];
	if (s->model_set)
		put(l, " --model %s", s->model == SCN_OPEN ? "open" : "closed");
	if (s->users_set)
		put(l, " --users %u", s->users);
	if (s->spawn_set)
		put(l, " --spawn-rate %g", s->spawn_rate);
	if (s->think_set)
		put(l, " --think %s:%s", fmt_dur(a, sizeof(a), s->think_min_ns),
		    fmt_dur(b, sizeof(b), s->think_max_ns));
	if (s->iterations_set)
		put(l, " --iterations %llu", (unsigned long long)s->iterations);
	if (s->rate_set)
		put(l, " -R %.0f", s->rate);
	for (unsigned i = 0; i < s->nstages; i++)
		put(l, " --stage %s:%g", fmt_dur(a, sizeof(a), s->stages[i].duration_ns),
		    s->stages[i].target);
	if (o->profile)
		put(l, " --profile %s", o->profile->name);
}

void lline_format(const struct lopt *o, char *buf, size_t len)
{
	struct lopt d;
	struct line l = {buf, len, 0};
	lopt_init(&d, o->bit);
	buf[0] = 0;
	put(&l, "mcpload %s", opt_cmd_name(o->bit));
	if (o->bit == CMD_HTTP) {
		word(&l, o->url);
		if (o->connections != d.connections)
			put(&l, " -c %u", o->connections);
	} else {
		word(&l, o->scn_path ? o->scn_path : o->scn ? o->scn->name : "?");
		put(&l, " --target");
		word(&l, o->target);
		format_shape(&l, o);
	}
	if (o->threads_set)
		put(&l, " -t %u", o->threads);
	if (o->duration_ns)
		dur(&l, "-d", o->duration_ns);
	if (o->requests)
		put(&l, " -n %llu", (unsigned long long)o->requests);
	if (o->warmup_ns)
		dur(&l, "--warmup", o->warmup_ns);
	if (o->timeout_ns != d.timeout_ns)
		dur(&l, "--timeout", o->timeout_ns);
	if (o->deadline_ns != d.deadline_ns)
		dur(&l, "--deadline", o->deadline_ns);
	if (o->connect_timeout_ns != d.connect_timeout_ns)
		dur(&l, "--connect-timeout", o->connect_timeout_ns);
	if (o->method) {
		put(&l, " -m");
		word(&l, o->method);
	}
	for (size_t i = 0; i < o->nheaders; i++) {
		char h[1024], red[1024];
		snprintf(h, sizeof(h), "%s: %s", o->headers[i].name, o->headers[i].value);
		put(&l, " -H");
		word(&l, cmd_redact_header(h, red, sizeof(red)));
	}
	if (o->body) {
		put(&l, " -b");
		word(&l, o->body);
	}
	if (o->body_file) {
		put(&l, " --body-file");
		word(&l, o->body_file);
	}
	if (o->cacert) {
		put(&l, " --cacert");
		word(&l, o->cacert);
	}
	if (o->insecure)
		put(&l, " --insecure");
	if (o->cert) {
		put(&l, " --cert");
		word(&l, o->cert);
		put(&l, " --key");
		word(&l, o->key ? o->key : "?");
	}
	if (o->tls_resume_off)
		put(&l, " --tls-resume off");
	if (o->bit == CMD_HTTP && o->rate > 0)
		put(&l, " -R %.0f", o->rate);
	if (o->poisson)
		put(&l, " --arrival poisson");
	if (o->seed_set)
		put(&l, " --seed %llu", (unsigned long long)o->seed);
	if (o->max_queue)
		put(&l, " --max-queue %u", o->max_queue);
	if (o->pacing_lean)
		put(&l, " --pacing lean");
	if (o->pacing_lean && o->pacing_window_ns != d.pacing_window_ns)
		dur(&l, "--pacing-window", o->pacing_window_ns);
	if (o->stamps != CFG_STAMPS_AUTO)
		put(&l, " --timestamps %s",
		    o->stamps == CFG_STAMPS_KERNEL ? "kernel"
		    : o->stamps == CFG_STAMPS_RX   ? "rx"
						   : "user");
	if (o->on_time_pct > 0)
		put(&l, " --on-time %g%%", o->on_time_pct);
	if (o->busy_poll_ns != d.busy_poll_ns)
		dur(&l, "--busy-poll", o->busy_poll_ns);
	if (o->keep_awake)
		put(&l, " --keep-awake");
	for (unsigned i = 0; i < o->nsets; i++) {
		put(&l, " --set");
		word(&l, o->sets[i]);
	}
	if (o->mcp_version)
		put(&l, " --mcp-version %s", o->mcp_version);
	if (o->mcp_path) {
		put(&l, " --mcp-path");
		word(&l, o->mcp_path);
	}
	if (o->churn)
		put(&l, " --session-churn");
	if (o->mem.server_pid)
		put(&l, " --server-pid %d", o->mem.server_pid);
	if (o->mem.metrics_url) {
		put(&l, " --metrics-url");
		word(&l, o->mem.metrics_url);
	}
	if (o->repeat > 1)
		put(&l, " --repeat %u", o->repeat);
	for (unsigned i = 0; i < o->nthresholds; i++) {
		put(&l, " --threshold");
		word(&l, o->thresholds[i]);
	}
	const char *const files[][2] = {{" --json", o->json},
					{" --csv", o->csv},
					{" --junit", o->junit},
					{" --hdr-log", o->hdr_log},
					{" --html", o->html}};
	for (unsigned i = 0; i < 5; i++)
		if (files[i][1]) {
			put(&l, "%s", files[i][0]);
			word(&l, files[i][1]);
		}
	if (o->quiet)
		put(&l, " -q");
}
