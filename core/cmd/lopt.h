/*
 * lopt: the options of one load (`mcpload http`, `mcpload run`, a stress
 * step, a suite phase) as typed values: what the command line said, before
 * anything is resolved or probed. Parsing is pure (lopt_set, lopt_finish);
 * prep.c does the I/O once per command and derives each run from these;
 * core/cmd/lline writes the equivalent command line back.
 */
#ifndef MCPL_CORE_CMD_LOPT_H
#define MCPL_CORE_CMD_LOPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cmd/shard.h"
#include "core/cmd/opt.h"
#include "protocol/h1w.h"
#include "protocol/limits.h"
#include "scenarios/plan.h"
#include "scenarios/profile.h"
#include "scenarios/sfile.h"
#include "stats/memtrend.h"
#include "stats/thresh.h"
#include "stats/report/rout.h"

/* Scenario shape settings the command line gave (they override the
 * scenario's own when set). */
struct lopt_shape {
	bool users_set, spawn_set, think_set, iterations_set, model_set, rate_set;
	unsigned users;
	double spawn_rate;
	uint64_t think_min_ns, think_max_ns;
	uint64_t iterations; /* 0: no limit */
	enum scn_model model;
	double rate; /* open model: iterations/s */
	struct scn_stage stages[SCN_MAX_STAGES];
	unsigned nstages; /* 0: none given */
};

struct lopt {
	unsigned bit; /* CMD_HTTP or CMD_RUN: what the options describe */
	/* the engine */
	unsigned connections; /* http */
	unsigned threads;
	bool threads_set;
	uint64_t duration_ns; /* 0: the default (http 10 s, run the scenario's) */
	uint64_t warmup_ns, requests, timeout_ns, deadline_ns, connect_timeout_ns, busy_poll_ns;
	double rate; /* http -R: requests/s; 0 closed loop */
	bool poisson;
	uint64_t seed;
	bool seed_set;
	unsigned max_queue; /* 0: the default */
	bool pacing_lean;
	uint64_t pacing_window_ns; /* --pacing-window */
	bool pacing_window_set;
	unsigned char stamps; /* --timestamps: CFG_STAMPS_* */
	bool keep_awake;      /* --keep-awake */
	double on_time_pct;   /* --on-time, 0: the default */
	/* a shard of a run spread over machines (--shard, or the scheduler's
	 * environment), and the common start */
	struct shard shard;
	uint64_t start_at_ns;  /* --start-at, Unix ns; 0: now */
	uint64_t start_tol_ns; /* --start-tolerance */
	/* the request of `mcpload http` */
	const char *url;
	const char *method;			     /* NULL: GET, or POST with a body */
	struct h1w_header headers[LIM_USER_HEADERS]; /* owned strings */
	size_t nheaders;
	const char *header_file; /* --header-file, read by prep_inputs */
	/* https */
	const char *cacert, *cert, *key; /* NULL: the system's CAs; no client certificate */
	bool insecure;
	bool tls_resume_off;
	const char *body;      /* -b */
	const char *body_file; /* --body-file, read by prep */
	/* the scenario of `mcpload run` */
	const char *target;
	const struct scn *scn; /* compiled-in, or the file's once loaded */
	const char *scn_path;  /* a scenario file (prep_inputs loads it) */
	struct sfile *file;    /* owned: the loaded file */
	struct lopt_shape shape;
	const char *sets[PLAN_MAX_SETS];
	unsigned nsets;
	const char *mcp_version; /* NULL: auto */
	const char *mcp_path;	 /* NULL: /mcp */
	bool churn;
	const struct profile *profile;
	/* pass/fail: --threshold, then the scenario file's */
	const char *thresholds[THRESH_MAX];
	unsigned nthresholds;
	/* output */
	const char *json; /* --json FILE, or NULL */
	/* --csv PREFIX, --junit, --hdr-log, --html FILE, or NULL */
	const char *csv, *junit, *hdr_log, *html;
	const char *live_metrics; /* --live-metrics ADDR:PORT, or NULL */
	unsigned repeat;	  /* 0 or 1: one run */
	bool quiet;
	bool progress; /* --progress: a line per second even off a terminal */
	struct memtrend_opts mem;
};

/* The report files asked for. */
struct rout lopt_reports(const struct lopt *o);

/* The defaults of command bit (CMD_HTTP or CMD_RUN). */
void lopt_init(struct lopt *o, unsigned bit);

/* Add "Name: value" to o's headers (owned). Returns 0 or -EINVAL. */
int lopt_add_header(struct lopt *o, const char *line, char *why, size_t why_len);

/* Take one option (an opt_set_fn over struct lopt). */
int lopt_set(void *ctx, enum opt_id id, const char *arg, char *why, size_t why_len);

/*
 * After the options: the positional argument (http: the URL; run: the
 * scenario) and the checks that need the whole command line. Pure. Returns
 * 0 or -EINVAL with a one-line reason in why.
 */
int lopt_finish(struct lopt *o, const char *positional, char *why, size_t why_len);

/* A --target URL fit for a scenario: http://, no query. Returns 0 or
 * -EINVAL with the reason in why. */
int lopt_check_target(const char *target, char *why, size_t why_len);

/* Parse a whole `mcpload http|run ...` argv into o (lopt_init, the table,
 * lopt_finish). Returns CMD_GO, or the exit status after printing help,
 * the version or a usage error. */
int lopt_parse_argv(struct lopt *o, unsigned bit, int argc, char **argv);

void lopt_free(struct lopt *o);

#endif
