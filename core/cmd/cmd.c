/*
 * cmd: the command table and the dispatch. A command's options live in
 * opt.c's table; its text here is what --help, `mcpload help` and the man
 * page print about it.
 */
#include "core/cmd/cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd/compare.h"
#include "core/cmd/help.h"
#include "core/cmd/init.h"
#include "core/cmd/list.h"
#include "core/cmd/load.h"
#include "core/cmd/opt.h"
#include "core/cmd/show.h"
#include "core/cmd/stress.h"
#include "core/cmd/suite.h"
#include "core/cmd/merge.h"
#include "core/cmd/tokens.h"
#include "protocol/h1w.h"

static const struct cmd cmds[] = {
    {CMD_HTTP, "URL [options]", "HTTP/1.1 load on one URL, closed or open loop",
     "Closed loop: every connection sends its next request as soon as the previous\n"
     "response is complete (like wrk and oha). With -R, open loop: requests arrive on a\n"
     "fixed schedule whatever the server does, and latency is reported corrected, from\n"
     "when each request was due, beside the uncorrected figure. URL:\n"
     "http://host[:port]/path, host a name (resolved once) or an IPv4 or [IPv6] literal.",
     "0 the run completed, 1 it could not be done (target unreachable, setup failed,\n"
     "no 2xx response at all, the server's memory FAILed), 2 bad usage, 3 inconclusive\n"
     "(the generator fell behind, the server's memory could not be read), 99 a\n"
     "--threshold was missed.",
     NULL, load_main},
    {CMD_RUN, "SCENARIO|FILE --target URL [options]", "a scenario's virtual users against a server",
     "Runs a compiled-in scenario (mcpload list shows them) or a scenario file (a\n"
     "name ending in .toml, or a path: mcpload show writes one to start from):\n"
     "virtual users, each with its own keep-alive connection and variables, run\n"
     "weighted tasks of steps; every step's label is reported apart. Defaults come\n"
     "from the scenario; the options override them.",
     "0 the run completed and its checks passed, 1 it could not be done, no request\n"
     "succeeded, a post-run check failed or the server's memory FAILed, 2 bad usage, 3\n"
     "inconclusive (the open-model generator could not keep its schedule, or the\n"
     "server's memory could not be read), 99 a threshold was missed.",
     "scenario", load_main},
    {CMD_LIST, "", "the compiled-in scenarios, their defaults and variables",
     "Prints every compiled-in scenario with its default load and its variables (set\n"
     "them with --set NAME=VALUE on mcpload run).",
     "0.", NULL, list_main},
    {CMD_SHOW, "NAME|FILE", "a scenario written out as a scenario file",
     "Prints a compiled-in scenario (mcpload list shows them), or a scenario file read\n"
     "and written back, in the scenario-file form (TOML): start a file of your own\n"
     "from it and run it with mcpload run FILE --target URL. docs/scenarios.md\n"
     "describes every key.",
     "0, or 2 for an unknown scenario or a file that does not read.", "scenario", show_main},
    {CMD_SUITE, "--target URL [--config FILE] [options]",
     "the NFR-Performance suite: a verdict per target",
     "Runs the NFR-Performance suite against an MCP server and its REST services and\n"
     "judges every target: PASS (at most 5 % over is PASS within tolerance), WARNING\n"
     "(5-10 % over), FAIL (more, or more than 10 % of requests failed), INCONCLUSIVE\n"
     "(the load generator fell behind, the client waited for its CPU, a target had\n"
     "nothing to judge). What it sends comes\n"
     "from --config FILE (mcpload init writes one), else from the server's own MCP\n"
     "lists, else (the bundled reference server) from its defaults; an NFR the server\n"
     "has nothing for is NOT APPLICABLE, one not configured NOT CONFIGURED. Latency is\n"
     "judged over the requests that succeeded. Prints what each NFR changes before it\n"
     "starts, each phase's command, and writes DIR/benchmark_DATE_TIME.json always.",
     "0 every NFR that ran PASS or WARNING, 1 a FAIL (or the suite could not run), 2\n"
     "bad usage, 3 INCONCLUSIVE, or nothing judged at all.",
     NULL, suite_main},
    {CMD_INIT, "URL [-o FILE] [options]", "a suite configuration from what the server offers",
     "Asks the server what it offers and writes a commented suite configuration for\n"
     "mcpload suite --config FILE: every MCP resource (NFR-01), every tool with\n"
     "arguments synthesized from its inputSchema and tried once, the server's refusal\n"
     "written next to any it refused (NFR-02), the prompts, the routes of its OpenAPI\n"
     "document (/openapi.json) for the REST flow (NFR-04), and a tool that answers\n"
     "with a range for the reservations (NFR-05). Either MCP era, every page.",
     "0 written, 1 the server could not be reached or the file not written, 2 bad\n"
     "usage.",
     NULL, init_main},
    {CMD_STRESS, "SCENARIO --target URL [options]",
     "the breaking point: rising load until the SLO breaks",
     "Finds the most load the target sustains: open-model steps of rising offered rate\n"
     "(iterations/s) until the SLO breaks, then a bisection between the last good and\n"
     "the first bad step. A step the generator itself could not drive ends the search\n"
     "INCONCLUSIVE instead of blaming the server. Every step is an mcpload run whose\n"
     "command is printed.",
     "0 found, 1 the search could not run or the first step already broke, 2 bad\n"
     "usage, 3 inconclusive (the generator fell behind) or interrupted.",
     "scenario", stress_main},
    {CMD_COMPARE, "BASELINE.json NEW.json [options]", "regressions between two runs' JSON",
     "Compares two runs' figures (mcpload http/run --json files, --repeat reports or two\n"
     "suite reports): p50/p95/p99, requests/s and failed requests, overall and per label\n"
     "or NFR. A figure regresses when it is worse by more than the threshold and by more\n"
     "than the runs' noise: the spread of their per-second timeline or, for --repeat\n"
     "reports, the spread between the repeated runs.",
     "0 no regression, 1 a regression, 2 bad usage or unreadable files, 3 only latency\n"
     "regressions while a client waited for its CPU or its generator fell behind (in\n"
     "doubt).",
     "file", compare_main},
    {CMD_TOKENS, "FILE... | - [options] | --baseline [--config FILE] --files DIR -o FILE",
     "exact LLM token counts, as tiktoken counts them",
     "Counts the tokens of each file (or of standard input, -) exactly as OpenAI's\n"
     "tiktoken does with cl100k_base or o200k_base: the same token ids, not an\n"
     "estimate. Like wc: a line COUNT NAME per input and a total when there are\n"
     "several; standard input alone prints only its count. --estimate shows the\n"
     "chars/4 rule of thumb beside it and how far off it is. --baseline records\n"
     "NFR-03's baseline: each workflow's local files counted, for suite --baseline.",
     "0, 1 an input could not be read (the others are counted), 2 bad usage.", "file", tokens_main},
    {CMD_MERGE, "OUT.json SHARD.json...", "one report from the shards of a run (--shard)",
     "Adds up the JSON reports of the shards of one run spread over machines\n"
     "(mcpload http|run --shard I/N): the latency histograms bucket by bucket (never\n"
     "percentiles averaged), every count, the seconds on the wall clock, the\n"
     "thresholds judged again on the sum; names the start skew and every shard that\n"
     "is missing or did not run. Refuses reports of different runs or versions and\n"
     "a shard twice.",
     "0 merged and every threshold passed, 1 a threshold failed, 2 bad usage or\n"
     "reports that are not shards of one run, 3 a shard missing or not run.",
     "file", merge_main},
    {CMD_HELP, "[COMMAND] [--man]", "the overview, a command's options, or the manual page",
     "Without a command: every command and its options. With one: the same as mcpload\n"
     "COMMAND --help. --man prints the manual page (roff).",
     "0, or 2 for an unknown command.", "command", help_main},
    {CMD_COMPLETION, "bash|zsh", "a shell completion script",
     "Prints the completion script for bash or zsh, made from the option table. bash:\n"
     "source it, or install it as share/bash-completion/completions/mcpload; zsh:\n"
     "install it as _mcpload in a directory of $fpath.",
     "0, or 2 for another shell.", "bash zsh", completion_main},
};

const struct cmd *cmd_all(size_t *n)
{
	*n = sizeof(cmds) / sizeof(cmds[0]);
	return cmds;
}

const struct cmd *cmd_find(const char *name)
{
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(opt_cmd_name(cmds[i].bit), name))
			return &cmds[i];
	return NULL;
}

const char *cmd_redact_header(const char *h, char *out, size_t cap)
{
	const char *colon = strchr(h, ':');
	if (!colon || !h1w_is_secret(h, (size_t)(colon - h)))
		return h;
	snprintf(out, cap, "%.*s: %s", (int)(colon - h), h, CMD_REDACTED);
	return out;
}

/* The argument as printed: a -H value with a credential redacted. */
static const char *shown_arg(char **argv, int i, char *buf, size_t cap)
{
	const char *a = argv[i], *prev = i > 0 ? argv[i - 1] : "";
	if (!strcmp(prev, "-H") || !strcmp(prev, "--header"))
		return cmd_redact_header(a, buf, cap);
	if (!strncmp(a, "--header=", 9) || (!strncmp(a, "-H", 2) && a[2])) {
		size_t k = a[1] == 'H' ? 2 : 9;
		char tmp[1024];
		const char *r = cmd_redact_header(a + k, tmp, sizeof(tmp));
		if (r != a + k)
			snprintf(buf, cap, "%.*s%s", (int)k, a, r);
		return r != a + k ? buf : a;
	}
	return a;
}

char *cmd_line(int argc, char **argv)
{
	size_t len = 1;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + sizeof(CMD_REDACTED) + 1;
	char *s = calloc(1, len);
	for (int i = 0; s && i < argc; i++) {
		char buf[1024];
		if (i)
			strcat(s, " ");
		strcat(s, shown_arg(argv, i, buf, sizeof(buf)));
	}
	return s;
}

int cmd_no_options(void *ctx, enum opt_id id, const char *arg, char *why, size_t why_len)
{
	(void)ctx;
	(void)arg;
	snprintf(why, why_len, "unexpected option %d", (int)id);
	return -EINVAL; /* the table gives such a command no options to set */
}

int cmd_usage_error(unsigned bit, const char *why)
{
	fprintf(stderr, "mcpload: %s (see mcpload %s --help)\n", why, opt_cmd_name(bit));
	return CMD_EXIT_USAGE;
}

int cmd_parse(unsigned bit, int argc, char **argv, opt_set_fn set, void *ctx, const char **pos,
	      unsigned maxpos, unsigned *npos)
{
	char why[512];
	size_t n;
	int r = opt_parse(bit, argc, argv, 2, set, ctx, pos, maxpos, npos, why, sizeof(why));
	if (r < 0)
		return cmd_usage_error(bit, why);
	if (r == OPT_ASKED_VERSION) {
		printf("mcpload %s\n", MCPL_VERSION);
		return CMD_EXIT_OK;
	}
	if (r == OPT_ASKED_HELP) {
		const struct cmd *c = cmd_all(&n);
		while (c->bit != bit)
			c++;
		help_command(stdout, c);
		return CMD_EXIT_OK;
	}
	return CMD_GO;
}

int cmd_main(int argc, char **argv)
{
	if (argc < 2) {
		help_usage(stderr);
		return CMD_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		help_overview(stdout);
		return CMD_EXIT_OK;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("mcpload %s\n", MCPL_VERSION);
		return CMD_EXIT_OK;
	}
	const struct cmd *c = cmd_find(argv[1]);
	if (!c) {
		fprintf(stderr, "mcpload: unknown command '%s' (mcpload --help lists them)\n",
			argv[1]);
		return CMD_EXIT_USAGE;
	}
	return c->main(argc, argv);
}
