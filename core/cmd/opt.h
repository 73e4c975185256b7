/*
 * opt: every option of every command in one table (name, short letter,
 * argument, default, help line, the commands that take it), the parser
 * that reads argv by it, and the value syntaxes (durations, counts, sizes,
 * percentages). Help, the man page and shell completion are generated from
 * the same table (help.c), so they cannot drift from what is parsed. The
 * value syntaxes are protocol/units.h.
 */
#ifndef MCPL_CORE_CMD_OPT_H
#define MCPL_CORE_CMD_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/units.h"

/* The commands, as bits: an option lists the commands that take it. */
enum {
	CMD_HTTP = 1u << 0,
	CMD_RUN = 1u << 1,
	CMD_LIST = 1u << 2,
	CMD_SUITE = 1u << 3,
	CMD_STRESS = 1u << 4,
	CMD_COMPARE = 1u << 5,
	CMD_HELP = 1u << 6,
	CMD_COMPLETION = 1u << 7,
	CMD_SHOW = 1u << 8,
	CMD_INIT = 1u << 9,
	CMD_TOKENS = 1u << 10,
	CMD_MERGE = 1u << 11,
};
#define CMD_COUNT 12
#define CMD_ALL	  ((1u << CMD_COUNT) - 1)

/* What a command's setter switches on. One id may have several table rows
 * (the same option worded for different commands). */
enum opt_id {
	OPT_HELP = 1,
	OPT_VERSION,
	OPT_QUIET,
	OPT_PROGRESS,
	OPT_LIVE_METRICS,
	OPT_ENCODING,
	OPT_ESTIMATE,
	OPT_FILES,
	OPT_BASELINE,
	OPT_SHARD,
	OPT_START_AT,
	OPT_START_TOLERANCE,
	OPT_SYNC_DIR,
	OPT_CONNECTIONS,
	OPT_USERS,
	OPT_THREADS,
	OPT_DURATION,
	OPT_REQUESTS,
	OPT_METHOD,
	OPT_HEADER,
	OPT_BODY,
	OPT_BODY_FILE,
	OPT_TIMEOUT,
	OPT_DEADLINE,
	OPT_CONNECT_TIMEOUT,
	OPT_WARMUP,
	OPT_JSON,
	OPT_CSV,
	OPT_JUNIT,
	OPT_HDR_LOG,
	OPT_HTML,
	OPT_REPEAT,
	OPT_RATE,
	OPT_ARRIVAL,
	OPT_SEED,
	OPT_MAX_QUEUE,
	OPT_PACING,
	OPT_PACING_WINDOW,
	OPT_TIMESTAMPS,
	OPT_BUSY_POLL,
	OPT_KEEP_AWAKE,
	OPT_SERVER_PID,
	OPT_METRICS_URL,
	OPT_MEM_GROWTH_MAX,
	OPT_SERVER_RSS_MAX,
	OPT_TARGET,
	OPT_SPAWN_RATE,
	OPT_THINK,
	OPT_ITERATIONS,
	OPT_MODEL,
	OPT_STAGE,
	OPT_SET,
	OPT_MCP_VERSION,
	OPT_MCP_PATH,
	OPT_PROFILE,
	OPT_SESSION_CHURN,
	OPT_START,
	OPT_FACTOR,
	OPT_STEP,
	OPT_P99,
	OPT_MAX_ERRORS,
	OPT_MIN_ACHIEVED,
	OPT_RESOLUTION,
	OPT_MAX_RATE,
	OPT_ONLY,
	OPT_SMOKE,
	OPT_FULL,
	OPT_REPORT_DIR,
	OPT_THRESHOLD,
	OPT_THRESH_EXPR,
	OPT_HEADER_FILE,
	OPT_CACERT,
	OPT_INSECURE,
	OPT_CERT,
	OPT_KEY,
	OPT_TLS_RESUME,
	OPT_PLAN,
	OPT_CONFIG,
	OPT_OUTPUT,
	OPT_NO_CALLS,
	OPT_ON_TIME,
	OPT_MAN,
};

struct opt {
	enum opt_id id;
	const char *name;     /* long name, without "--" */
	char short_name;      /* 0: none */
	const char *alias;    /* a second long name, or NULL */
	const char *arg;      /* the value's name in help ("N", "D"); NULL: a flag */
	const char *def;      /* the default as help shows it; NULL: none */
	const char *help;     /* lines separated by '\n' */
	unsigned cmds;	      /* CMD_* bits */
	const char *complete; /* completion: NULL (free text), "file", "dir", or words */
};

/* The table; *n gets its length. */
const struct opt *opt_all(size_t *n);

/* The row of `name` (long name or alias, without "--") for command cmd
 * (one CMD_* bit), or NULL. */
const struct opt *opt_find_long(unsigned cmd, const char *name, size_t len);
/* The row of short letter c for cmd, or NULL. */
const struct opt *opt_find_short(unsigned cmd, char c);

/*
 * A command's setter: takes option id with its value (NULL for a flag).
 * Pure: no I/O. Returns 0, or -EINVAL with a one-line reason in why.
 */
typedef int (*opt_set_fn)(void *ctx, enum opt_id id, const char *arg, char *why, size_t why_len);

#define OPT_ASKED_HELP	  1 /* opt_parse: -h/--help was given */
#define OPT_ASKED_VERSION 2 /* opt_parse: -V/--version was given */

/*
 * Parse argv[first..argc) for command cmd (a CMD_* bit): "--name value",
 * "--name=value", "-x value", "-xvalue", bundled short flags ("-qh"), "--"
 * ending the options; options may come before or after the positional
 * arguments, which go into pos[0..*npos) (at most maxpos). Every option is
 * handed to set. Returns 0, OPT_ASKED_HELP, OPT_ASKED_VERSION, or -EINVAL
 * with a one-line reason in why (an unknown option names the commands that
 * take it).
 */
int opt_parse(unsigned cmd, int argc, char **argv, int first, opt_set_fn set, void *ctx,
	      const char **pos, unsigned maxpos, unsigned *npos, char *why, size_t why_len);

/* The command's name for a CMD_* bit ("http"), NULL for none. */
const char *opt_cmd_name(unsigned cmd);

#endif
