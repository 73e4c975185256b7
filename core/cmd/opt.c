/*
 * opt: the option table, the argv parser that reads by it, and the value
 * syntaxes. The table is the one place an option is described: add a row
 * here and it is parsed, in --help, in the man page and in completion.
 */
#include "core/cmd/opt.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LOAD   (CMD_HTTP | CMD_RUN)
#define DRIVEN (CMD_HTTP | CMD_RUN | CMD_STRESS | CMD_SUITE)

static const char *const cmd_names[CMD_COUNT] = {"http",   "run",     "list",	"suite",
						 "stress", "compare", "help",	"completion",
						 "show",   "init",    "tokens", "merge"};

static const struct opt table[] = {
    /* every command */
    {OPT_HELP, "help", 'h', NULL, NULL, NULL, "this text", CMD_ALL, NULL},
    {OPT_VERSION, "version", 'V', NULL, NULL, NULL, "print the version", CMD_ALL, NULL},
    {OPT_QUIET, "quiet", 'q', NULL, NULL, NULL, "no summary on stdout, no progress line", LOAD,
     NULL},
    {OPT_PROGRESS, "progress", 0, NULL, NULL, NULL,
     "a progress line per second on stderr even when it is not a terminal\n"
     "(CI logs): each second as the JSON timeline counts it",
     LOAD, NULL},
    {OPT_LIVE_METRICS, "live-metrics", 0, NULL, "ADDR:PORT", NULL,
     "serve the run's live figures at http://ADDR:PORT/metrics (Prometheus\n"
     "text format: responses, failures by class, the last second's latency)",
     LOAD, NULL},
    {OPT_QUIET, "quiet", 'q', NULL, NULL, NULL, "only the result", CMD_STRESS, NULL},
    {OPT_QUIET, "quiet", 'q', NULL, NULL, NULL, "only the table", CMD_SUITE, NULL},

    /* the load: connections, users, time */
    {OPT_TARGET, "target", 0, NULL, "URL", NULL,
     "the server: REST paths are appended to it, MCP is at URL/mcp",
     CMD_RUN | CMD_STRESS | CMD_SUITE, NULL},
    {OPT_CONNECTIONS, "connections", 'c', NULL, "N", "64", "open connections, spread over threads",
     CMD_HTTP, NULL},
    {OPT_USERS, "users", 'c', "max-users", "N", "the scenario's",
     "closed model: users; open model: the most at once", CMD_RUN, NULL},
    {OPT_USERS, "users", 'c', NULL, "N", "the scenario's",
     "the users of every step (open model: the most at once)", CMD_STRESS, NULL},
    {OPT_THREADS, "threads", 't', NULL, "N", "all CPUs", "worker threads, one pinned per CPU",
     DRIVEN, NULL},
    {OPT_DURATION, "duration", 'd', NULL, "D", "10s", "measured phase, e.g. 10s, 2m, 500ms",
     CMD_HTTP, NULL},
    {OPT_DURATION, "duration", 'd', NULL, "D", "the scenario's, or the stages' total",
     "measured phase, e.g. 10s, 2m, 500ms", CMD_RUN, NULL},
    {OPT_REQUESTS, "requests", 'n', NULL, "N", NULL,
     "stop after N requests (with -d: whichever comes first)", LOAD, NULL},
    {OPT_WARMUP, "warmup", 0, NULL, "D", "0", "run this long first without recording",
     LOAD | CMD_STRESS, NULL},
    {OPT_TIMEOUT, "timeout", 0, NULL, "D", "10s",
     "a request fails when no byte of its response comes for D (idle)", LOAD | CMD_STRESS, NULL},
    {OPT_DEADLINE, "deadline", 0, NULL, "D", "30s",
     "a request fails when it takes longer than D as a whole, its connect included",
     LOAD | CMD_STRESS, NULL},
    {OPT_CONNECT_TIMEOUT, "connect-timeout", 0, NULL, "D", "5s", "per-connection-attempt timeout",
     LOAD, NULL},

    /* the request of mcpload http */
    {OPT_METHOD, "method", 'm', NULL, "M", "GET, or POST with a body", "request method", CMD_HTTP,
     "GET POST PUT PATCH DELETE HEAD OPTIONS"},
    {OPT_HEADER, "header", 'H', NULL, "'K: V'", NULL,
     "add a request header (repeatable; ${NAME} takes an environment variable)", CMD_HTTP, NULL},
    {OPT_HEADER, "header", 'H', NULL, "'K: V'", NULL,
     "add a header to every request, the MCP probe's included (repeatable;\n"
     "${NAME} takes an environment variable)",
     CMD_RUN | CMD_STRESS | CMD_SUITE | CMD_INIT, NULL},
    {OPT_HEADER_FILE, "header-file", 0, NULL, "FILE", NULL,
     "headers from a file, one 'Name: value' a line (# comments), so secrets stay\n"
     "off the command line; Authorization, Cookie and key or token values are\n"
     "redacted in every report and printed command line",
     LOAD | CMD_STRESS | CMD_SUITE | CMD_INIT, "file"},
    {OPT_CACERT, "cacert", 0, NULL, "FILE", "the system's",
     "https: trust the CA certificates in FILE (PEM) instead of the system's\n"
     "(/etc/ssl/certs/ca-certificates.crt); a self-signed server certificate works too",
     LOAD | CMD_STRESS | CMD_SUITE | CMD_INIT, "file"},
    {OPT_INSECURE, "insecure", 'k', NULL, NULL, NULL,
     "https: do not verify the server's certificate (said in the summary and the report)",
     LOAD | CMD_STRESS | CMD_SUITE | CMD_INIT, NULL},
    {OPT_CERT, "cert", 0, NULL, "FILE", NULL,
     "https: a client certificate chain (PEM) for a server that requires mutual TLS;\n"
     "with --key",
     LOAD | CMD_STRESS | CMD_SUITE | CMD_INIT, "file"},
    {OPT_KEY, "key", 0, NULL, "FILE", NULL,
     "https: the client certificate's private key (PEM, RSA or EC)",
     LOAD | CMD_STRESS | CMD_SUITE | CMD_INIT, "file"},
    {OPT_TLS_RESUME, "tls-resume", 0, NULL, "on|off", "on",
     "https: new connections resume the last TLS session (an abbreviated handshake);\n"
     "off: every connection does a full handshake",
     LOAD | CMD_STRESS | CMD_SUITE | CMD_INIT, "on off"},
    {OPT_BODY, "body", 'b', NULL, "TEXT", NULL, "request body", CMD_HTTP, NULL},
    {OPT_BODY_FILE, "body-file", 0, NULL, "FILE", NULL,
     "request body from a file (a regular file of at most 1 MiB)", CMD_HTTP, "file"},

    /* open loop */
    {OPT_RATE, "rate", 'R', NULL, "N", NULL,
     "open loop: N requests per second arrive on a fixed schedule, whatever\n"
     "the server does; latency is corrected from when each was due",
     CMD_HTTP, NULL},
    {OPT_RATE, "rate", 'R', NULL, "N", NULL,
     "open model: N iterations started per second (implies --model open)", CMD_RUN, NULL},
    {OPT_ARRIVAL, "arrival", 0, NULL, "A", "constant",
     "open loop: constant spacing or poisson (exponential gaps)", LOAD, "constant poisson"},
    {OPT_SHARD, "shard", 0, NULL, "I/N", "SLURM_PROCID/SLURM_NTASKS, JOB_COMPLETION_INDEX",
     "run shard I (from 0) of N: 1/N of the rate, users, connections and\n"
     "requests, its own {{user}} and {{seq}} values; mcpload merge adds the\n"
     "shards' reports up (docs/distributed.md)",
     LOAD, NULL},
    {OPT_START_AT, "start-at", 0, NULL, "TIME", NULL,
     "start on this instant (epoch seconds or RFC 3339): later than\n"
     "--start-tolerance, or after the run's end, send nothing and say so",
     LOAD, NULL},
    {OPT_START_TOLERANCE, "start-tolerance", 0, NULL, "D", "2s",
     "how late after --start-at a shard may still start", LOAD, NULL},
    {OPT_SHARD, "shard", 0, NULL, "I/N", "SLURM_PROCID/SLURM_NTASKS, JOB_COMPLETION_INDEX",
     "search as shard I (from 0) of N: each step 1/N of the rate or users; the\n"
     "shards judge every step on their reports added up (--sync-dir)",
     CMD_STRESS, NULL},
    {OPT_START_AT, "start-at", 0, NULL, "TIME", NULL,
     "the first step's common start (epoch seconds or RFC 3339); later steps\n"
     "start together a second after the slowest shard's last one ended",
     CMD_STRESS, NULL},
    {OPT_START_TOLERANCE, "start-tolerance", 0, NULL, "D", "2s",
     "how late a shard may start a step, and how far apart the shards may start", CMD_STRESS, NULL},
    {OPT_SYNC_DIR, "sync-dir", 0, NULL, "DIR", NULL,
     "with --shard: a directory every shard sees (NFS, a Kubernetes volume) for\n"
     "the step reports each shard reads to judge the step on the sum",
     CMD_STRESS, "dir"},
    {OPT_SEED, "seed", 0, NULL, "N", "the time",
     "seed of the random draws (Poisson gaps, picks, think times)", LOAD, NULL},
    {OPT_MAX_QUEUE, "max-queue", 0, NULL, "N", "1024, or a second of arrivals per thread",
     "open loop: arrivals that may wait for a free connection, per thread;\n"
     "more are dropped and counted",
     LOAD, NULL},
    {OPT_PACING, "pacing", 0, NULL, "P", "precise",
     "open loop: precise (sleep, then spin to each due time) or lean (sleep\n"
     "only, arrivals due close together sent together: least client CPU,\n"
     "later sends, each one's lateness counted as its send lag)",
     LOAD, "precise lean"},
    {OPT_PACING_WINDOW, "pacing-window", 0, NULL, "D", "2ms",
     "--pacing lean: an arrival waits for those due within D after it, and\n"
     "they leave together when the last is due (one wake-up for them all);\n"
     "0: each at its own time",
     LOAD, NULL},
    {OPT_TIMESTAMPS, "timestamps", 0, NULL, "T", "auto",
     "whose clock times each response: kernel (the kernel's software receive\n"
     "and transmit timestamps: the client's own scheduling delay left out),\n"
     "rx (receive only: no error-queue read per request), user, or auto:\n"
     "kernel with a rate (-R, --stage), rx without one or with --pacing lean\n"
     "(a transmit stamp per response costs a closed loop about a tenth of its\n"
     "throughput, and lean pacing a fifth of its CPU)",
     LOAD, "auto kernel rx user"},
    {OPT_ON_TIME, "on-time", 0, NULL, "P", "99%",
     "open loop: the self-check's bar: at least P % of arrivals applied within\n"
     "1 ms (lean pacing: past its window), else the run is INCONCLUSIVE (the\n"
     "machine woke the generator late, or the generator is saturated: it says\n"
     "which)",
     LOAD | CMD_STRESS | CMD_SUITE, NULL},
    {OPT_BUSY_POLL, "busy-poll", 0, NULL, "D", "2us",
     "poll for responses this long before sleeping (0: never); a sleeping\n"
     "client makes the server pay to wake it on every response",
     LOAD, NULL},
    {OPT_KEEP_AWAKE, "keep-awake", 0, NULL, NULL, NULL,
     "keep each worker's CPU from idling: a spinning thread of the lowest\n"
     "priority (SCHED_IDLE) beside it. On a virtual machine an idle CPU goes\n"
     "back to the host and each wake-up waits for it (steal: late sends); the\n"
     "worker loses no time to the spinner, the CPU's idle time goes (its CPU\n"
     "time is left out of the client's)",
     LOAD | CMD_STRESS | CMD_SUITE, NULL},

    /* scenarios */
    {OPT_SPAWN_RATE, "spawn-rate", 0, NULL, "R", "the scenario's",
     "closed model: users started per second (0: all at once)", CMD_RUN, NULL},
    {OPT_THINK, "think", 0, NULL, "MIN:MAX", "the scenario's",
     "closed model: think time after each task, e.g. 100ms:500ms", CMD_RUN, NULL},
    {OPT_ITERATIONS, "iterations", 0, NULL, "N", "the scenario's",
     "closed model: iterations per user, then the user stops (0: no limit,\n"
     "the duration ends the run)",
     CMD_RUN, NULL},
    {OPT_MODEL, "model", 0, NULL, "M", "the scenario's", "closed or open", CMD_RUN, "closed open"},
    {OPT_MODEL, "model", 0, NULL, "M", "open",
     "open: step the rate; closed: step the users (all started at once, no\n"
     "iteration limit)",
     CMD_STRESS, "open closed"},
    {OPT_STAGE, "stage", 0, NULL, "D:T", NULL,
     "ramp linearly to T users (closed) or iterations/s (open) over D (0:T\n"
     "jumps); repeat for more stages",
     CMD_RUN, NULL},
    {OPT_SET, "set", 0, NULL, "NAME=VALUE", NULL,
     "set a scenario variable (mcpload list shows them)", CMD_RUN | CMD_STRESS, NULL},
    {OPT_PROFILE, "profile", 0, NULL, "NAME", NULL,
     "the load levels as an open model: normal (10 users, 5 requests/s),\n"
     "peak (25, 15), storm (50, 30), stress (100, 50), spike (150, 100\n"
     "after a third at normal)",
     CMD_RUN, "normal peak storm stress spike"},
    {OPT_PROFILE, "profile", 0, NULL, "NAME", "normal",
     "the load and memory phases' level: normal, peak, storm, stress, spike;\n"
     "without --full: the NFRs and the load phase",
     CMD_SUITE, "normal peak storm stress spike"},
    {OPT_SESSION_CHURN, "session-churn", 0, NULL, NULL, NULL,
     "legacy MCP: a new session (initialize ... DELETE) every iteration", CMD_RUN, NULL},
    {OPT_MCP_VERSION, "mcp-version", 0, NULL, "V", "auto",
     "MCP: auto (2026-07-28 when the server answers it, else the legacy\n"
     "handshake), or one of 2025-03-26, 2025-06-18, 2025-11-25, 2026-07-28",
     CMD_RUN | CMD_STRESS | CMD_SUITE | CMD_INIT,
     "auto 2025-03-26 2025-06-18 2025-11-25 2026-07-28"},
    {OPT_MCP_PATH, "mcp-path", 0, NULL, "P", "/mcp", "the MCP endpoint under the target URL",
     CMD_RUN | CMD_STRESS | CMD_SUITE | CMD_INIT, NULL},

    /* pass/fail */
    {OPT_THRESH_EXPR, "threshold", 0, NULL, "EXPR", NULL,
     "judged at the end: 'p99<200ms', 'errors<1%', 'rps>=95', per label\n"
     "'tasks_next:p95<100ms' (repeatable); a missed one exits 99",
     LOAD, NULL},

    /* output and repetition */
    {OPT_JSON, "json", 0, NULL, "FILE", NULL,
     "write the results as JSON (units in the key names; - for stdout)", LOAD, "file"},
    {OPT_JSON, "json", 0, NULL, "FILE", NULL,
     "the step table, the verdict and the curve as JSON (- for stdout)", CMD_STRESS, "file"},
    {OPT_HTML, "html", 0, NULL, "FILE", NULL,
     "a self-contained HTML report: verdicts with grades, latency over time,\n"
     "the percentile spectrum, throughput and failures, per-label table",
     LOAD, "file"},
    {OPT_CSV, "csv", 0, NULL, "PREFIX", NULL,
     "PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv with\n"
     "Locust's columns (what reads Locust's reads these)",
     LOAD, "file"},
    {OPT_JUNIT, "junit", 0, NULL, "FILE", NULL,
     "the verdicts as JUnit XML for CI: a testcase per threshold and check", LOAD, "file"},
    {OPT_HDR_LOG, "hdr-log", 0, NULL, "FILE", NULL,
     "an HdrHistogram interval log: one interval a second per label (tag)", LOAD, "file"},
    {OPT_REPEAT, "repeat", 0, NULL, "N", NULL,
     "the same run N times: each run's req/s, p50/p95/p99 and errors, their\n"
     "mean and CV (over 5 %: UNSTABLE)",
     LOAD, NULL},
    {OPT_REPORT_DIR, "report-dir", 0, NULL, "DIR", "reports",
     "where the reports go (benchmark_DATE_TIME.json and .html)", CMD_SUITE, "dir"},
    {OPT_HTML, "html", 0, NULL, "FILE", "beside the JSON",
     "the self-contained HTML report: verdicts with grades, per NFR latency\n"
     "over time, percentile spectrum, throughput, the stress curve, memory",
     CMD_SUITE, "file"},
    {OPT_HTML, "html", 0, NULL, "FILE", NULL,
     "a self-contained HTML report: verdicts, the latency-vs-load curve, steps", CMD_STRESS,
     "file"},
    {OPT_JUNIT, "junit", 0, NULL, "FILE", NULL,
     "the verdicts as JUnit XML for CI: a testcase per NFR criterion", CMD_SUITE, "file"},
    {OPT_JUNIT, "junit", 0, NULL, "FILE", NULL,
     "the verdicts as JUnit XML for CI: a testcase per step and the outcome", CMD_STRESS, "file"},

    /* server memory (soak) */
    {OPT_SERVER_PID, "server-pid", 0, NULL, "PID", NULL,
     "soak: sample the server's resident memory from /proc once a second; its\n"
     "trend over the run is judged",
     LOAD, NULL},
    {OPT_SERVER_PID, "server-pid", 0, NULL, "PID", NULL,
     "the memory phase reads the server's resident set in /proc (else from\n"
     "--metrics-url's process_resident_memory_bytes)",
     CMD_SUITE, NULL},
    {OPT_METRICS_URL, "metrics-url", 0, NULL, "URL", NULL,
     "soak: the same from process_resident_memory_bytes at this URL", LOAD, NULL},
    {OPT_METRICS_URL, "metrics-url", 0, NULL, "URL", NULL,
     "the server's Prometheus /metrics: the cache counters are read before\n"
     "and after NFR-01",
     CMD_SUITE, NULL},
    {OPT_MEM_GROWTH_MAX, "mem-growth-max", 0, NULL, "S", "50MB",
     "the server memory trend may grow this much over the run (sizes in B, KB,\n"
     "MB, GB of 1024)",
     LOAD, NULL},
    {OPT_SERVER_RSS_MAX, "server-rss-max", 0, NULL, "S", "any",
     "the server's resident memory may peak at this", LOAD, NULL},

    /* stress */
    {OPT_START, "start", 0, NULL, "R", "10", "first step's rate, iterations/s, or users",
     CMD_STRESS, NULL},
    {OPT_FACTOR, "factor", 0, NULL, "F", "1.5", "each step multiplies the rate by F", CMD_STRESS,
     NULL},
    {OPT_STEP, "step", 0, NULL, "D", "10s", "each step's measured duration (500ms at least)",
     CMD_STRESS, NULL},
    {OPT_P99, "p99", 0, NULL, "D", "200ms", "SLO: corrected p99 at most D", CMD_STRESS, NULL},
    {OPT_MAX_ERRORS, "max-errors", 0, NULL, "P", "1", "SLO: at most P % of requests failed",
     CMD_STRESS, NULL},
    {OPT_MIN_ACHIEVED, "min-achieved", 0, NULL, "P", "95",
     "SLO, open model: at least P % of the offered requests completed", CMD_STRESS, NULL},
    {OPT_RESOLUTION, "resolution", 0, NULL, "P", "5", "bisect until the interval is within P %",
     CMD_STRESS, NULL},
    {OPT_MAX_RATE, "max-rate", 0, NULL, "R", "1000000",
     "never offer more than R iterations/s or users", CMD_STRESS, NULL},

    /* suite */
    {OPT_CONFIG, "config", 0, NULL, "FILE", NULL,
     "what your server has for each NFR: the resources and cache signal, the\n"
     "tools, the REST flow and how it is undone, the reservation calls, target\n"
     "figures (mcpload init writes one; docs/suite.md). Without it the suite\n"
     "reads the server's own MCP lists",
     CMD_SUITE, "file"},
    {OPT_FILES, "files", 0, NULL, "DIR", NULL,
     "NFR-03: the directory of the local files the workflows' baseline loads\n"
     "whole, counted now (mcpload-target --write-files DIR writes the\n"
     "reference server's)",
     CMD_SUITE | CMD_TOKENS, "dir"},
    {OPT_BASELINE, "baseline", 0, NULL, "FILE", NULL,
     "NFR-03: compare with a recorded baseline (mcpload tokens --baseline)\n"
     "instead of counting the files now",
     CMD_SUITE, "file"},
    {OPT_PLAN, "plan", 0, NULL, NULL, NULL,
     "print every phase's requests, load and what it changes; send nothing", CMD_SUITE, NULL},
    {OPT_ONLY, "only", 0, NULL, "LIST", NULL,
     "NFRs, phases or halves to run, e.g. NFR-01,NFR-04, NFR-01.rest,\n"
     "NFR-05.mcp, NFR-04.flow or cache,memory",
     CMD_SUITE, NULL},
    {OPT_SMOKE, "smoke", 0, NULL, NULL, NULL,
     "reduced loads: the whole suite in under a minute (CI)", CMD_SUITE, NULL},
    {OPT_FULL, "full", 0, NULL, NULL, NULL,
     "also the benchmark phases, first: a warmup (not recorded), baseline\n"
     "(one user), load (at --profile), cache (cold vs warm), stress (the\n"
     "breaking point) and memory (a soak at --profile)",
     CMD_SUITE, NULL},

    /* init */
    {OPT_OUTPUT, "output", 'o', NULL, "FILE", "stdout", "where the configuration goes", CMD_INIT,
     "file"},
    {OPT_NO_CALLS, "no-calls", 0, NULL, NULL, NULL,
     "do not call each tool once (its synthesized arguments stay untried)", CMD_INIT, NULL},

    /* compare, help */
    {OPT_THRESHOLD, "threshold", 0, NULL, "P", "10",
     "a figure regresses when worse by more than P % (and than the noise)", CMD_COMPARE, NULL},
    {OPT_HTML, "html", 0, NULL, "FILE", NULL,
     "a self-contained HTML page: every figure with its change and verdict", CMD_COMPARE, "file"},
    {OPT_JUNIT, "junit", 0, NULL, "FILE", NULL,
     "the verdicts as JUnit XML for CI: a testcase per figure (a regression fails)", CMD_COMPARE,
     "file"},
    {OPT_ENCODING, "encoding", 0, NULL, "NAME", "cl100k_base",
     "the tokenizer: cl100k_base (GPT-4, GPT-3.5) or o200k_base (GPT-4o, o1, o3)", CMD_TOKENS,
     "cl100k_base o200k_base"},
    {OPT_ESTIMATE, "estimate", 0, NULL, NULL, NULL,
     "the chars/4 estimate beside the exact count, and how far off it is", CMD_TOKENS, NULL},
    {OPT_JSON, "json", 0, NULL, "FILE", NULL, "the counts as JSON (- for stdout)", CMD_TOKENS,
     "file"},
    {OPT_BASELINE, "baseline", 0, NULL, NULL, NULL,
     "record the token baseline of the workflows in --config's [nfr03]: their\n"
     "local files counted (under --files or its files_dir), written to -o",
     CMD_TOKENS, NULL},
    {OPT_CONFIG, "config", 0, NULL, "FILE", NULL,
     "--baseline: the suite configuration whose workflows are counted\n"
     "(without it: the reference server's ten)",
     CMD_TOKENS, "file"},
    {OPT_OUTPUT, "output", 'o', NULL, "FILE", "stdout", "--baseline: where the baseline goes",
     CMD_TOKENS, "file"},
    {OPT_JUNIT, "junit", 0, NULL, "FILE", NULL,
     "the merge's verdicts as JUnit XML: all shards there, each threshold", CMD_MERGE, "file"},
    {OPT_HDR_LOG, "hdr-log", 0, NULL, "FILE", NULL,
     "the merged histograms as a HdrHistogram interval log: one interval a\n"
     "second per label (tag), each the shards' histograms of that second added",
     CMD_MERGE, "file"},
    {OPT_HTML, "html", 0, NULL, "FILE", NULL,
     "the merged run as a self-contained HTML report: verdicts, latency over\n"
     "time, the percentile spectrum, throughput and failures, per-label table",
     CMD_MERGE, "file"},
    {OPT_CSV, "csv", 0, NULL, "PREFIX", NULL,
     "the merged run as PREFIX_stats.csv, PREFIX_stats_history.csv and\n"
     "PREFIX_failures.csv with Locust's columns",
     CMD_MERGE, "file"},
    {OPT_MAN, "man", 0, NULL, NULL, NULL, "the manual page (roff) for every command", CMD_HELP,
     NULL},
};

const struct opt *opt_all(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

const char *opt_cmd_name(unsigned cmd)
{
	for (unsigned i = 0; i < sizeof(cmd_names) / sizeof(cmd_names[0]); i++)
		if (cmd == 1u << i)
			return cmd_names[i];
	return NULL;
}

static bool name_is(const char *want, const char *s, size_t len)
{
	return want && strlen(want) == len && memcmp(want, s, len) == 0;
}

const struct opt *opt_find_long(unsigned cmd, const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if ((table[i].cmds & cmd) &&
		    (name_is(table[i].name, name, len) || name_is(table[i].alias, name, len)))
			return &table[i];
	return NULL;
}

const struct opt *opt_find_short(unsigned cmd, char c)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if ((table[i].cmds & cmd) && c && table[i].short_name == c)
			return &table[i];
	return NULL;
}

/* "'--target' is an option of mcpload run, stress, suite", or unknown. */
static int unknown(const char *shown, const char *name, size_t len, char c, char *why, size_t wl)
{
	unsigned elsewhere = 0;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (len ? name_is(table[i].name, name, len) || name_is(table[i].alias, name, len)
			: c && table[i].short_name == c)
			elsewhere |= table[i].cmds;
	if (!elsewhere) {
		snprintf(why, wl, "unknown option '%s'", shown);
		return -EINVAL;
	}
	size_t at = (size_t)snprintf(why, wl, "'%s' is an option of mcpload", shown);
	const char *sep = " ";
	for (unsigned b = 0; b < CMD_COUNT && at < wl; b++) {
		if (elsewhere & (1u << b)) {
			at +=
			    (size_t)snprintf(why + at, wl - at, "%s%s", sep, opt_cmd_name(1u << b));
			sep = ", ";
		}
	}
	return -EINVAL;
}

/* One option with its value (NULL for a flag). */
static int take(const struct opt *o, const char *value, opt_set_fn set, void *ctx, char *why,
		size_t wl)
{
	if (o->id == OPT_HELP)
		return OPT_ASKED_HELP;
	if (o->id == OPT_VERSION)
		return OPT_ASKED_VERSION;
	return set(ctx, o->id, value, why, wl);
}

static int parse_long(unsigned cmd, int argc, char **argv, int *i, opt_set_fn set, void *ctx,
		      char *why, size_t wl)
{
	const char *a = argv[*i] + 2, *eq = strchr(a, '=');
	size_t len = eq ? (size_t)(eq - a) : strlen(a);
	const struct opt *o = opt_find_long(cmd, a, len);
	if (!o)
		return unknown(argv[*i], a, len, 0, why, wl);
	if (!o->arg && eq) {
		snprintf(why, wl, "option '--%s' takes no value", o->name);
		return -EINVAL;
	}
	if (o->arg && !eq && *i + 1 >= argc) {
		snprintf(why, wl, "option needs a value: '%s'", argv[*i]);
		return -EINVAL;
	}
	return take(o, o->arg ? (eq ? eq + 1 : argv[++*i]) : NULL, set, ctx, why, wl);
}

static int parse_short(unsigned cmd, int argc, char **argv, int *i, opt_set_fn set, void *ctx,
		       char *why, size_t wl)
{
	for (const char *p = argv[*i] + 1; *p; p++) {
		const struct opt *o = opt_find_short(cmd, *p);
		char shown[3] = {'-', *p, 0};
		if (!o)
			return unknown(shown, NULL, 0, *p, why, wl);
		if (!o->arg) {
			int r = take(o, NULL, set, ctx, why, wl);
			if (r != 0)
				return r;
			continue;
		}
		if (!p[1] && *i + 1 >= argc) {
			snprintf(why, wl, "option needs a value: '%s'", shown);
			return -EINVAL;
		}
		return take(o, p[1] ? p + 1 : argv[++*i], set, ctx, why, wl);
	}
	return 0;
}

int opt_parse(unsigned cmd, int argc, char **argv, int first, opt_set_fn set, void *ctx,
	      const char **pos, unsigned maxpos, unsigned *npos, char *why, size_t wl)
{
	bool only_pos = false;
	*npos = 0;
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		int r = 0;
		if (only_pos || a[0] != '-' || !a[1]) {
			if (*npos == maxpos) {
				snprintf(why, wl, "unexpected argument '%s'", a);
				return -EINVAL;
			}
			pos[(*npos)++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = true;
			continue;
		}
		if (a[1] == '-')
			r = parse_long(cmd, argc, argv, &i, set, ctx, why, wl);
		else
			r = parse_short(cmd, argc, argv, &i, set, ctx, why, wl);
		if (r != 0)
			return r;
	}
	return 0;
}
