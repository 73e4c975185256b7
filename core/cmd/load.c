/*
 * load: parse (pure), prepare once (resolve, connect, probe, check the
 * output path), derive the run, run it under the live hooks, then the
 * summary, the JSON and the verdicts that set the exit status.
 */
#include "core/cmd/load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cmd/cmd.h"
#include "core/cmd/live.h"
#include "core/cmd/prep.h"
#include "core/cmd/repeat.h"
#include "stats/report/rjson.h"
#include "stats/report/summary.h"

static void print_notes(const char *notes)
{
	for (const char *p = notes; *p;) {
		const char *nl = strchr(p, '\n');
		fprintf(stderr, "mcpload: note: %.*s\n", (int)(nl - p), p);
		p = nl + 1;
	}
}

/* The verdicts of a finished run, on stderr, as an exit status. */
static int verdicts(const struct lopt *o, const struct result *res)
{
	int status = CMD_EXIT_OK;
	if (res->saturated) {
		fprintf(stderr, "mcpload: INCONCLUSIVE - generator saturated: %s\n",
			res->saturation);
		status = CMD_EXIT_INCONCLUSIVE;
	}
	if (res->checks_failed) {
		fprintf(stderr, "mcpload: FAIL - a post-run check of scenario %s failed\n",
			o->scn->name);
		status = CMD_EXIT_FAIL;
	}
	if (res->mem.verdict == VERDICT_FAIL) {
		fprintf(stderr, "mcpload: FAIL - %s\n", res->mem.reason);
		status = CMD_EXIT_FAIL;
	} else if (res->mem.verdict == VERDICT_INCONCLUSIVE && status == CMD_EXIT_OK) {
		fprintf(stderr, "mcpload: INCONCLUSIVE - %s\n", res->mem.reason);
		status = CMD_EXIT_INCONCLUSIVE;
	}
	if (res->gave_up) {
		fprintf(stderr, "mcpload: stopped early: %s\n", res->gave_up);
		status = CMD_EXIT_FAIL;
	}
	return status;
}

static int once(const struct lopt *o, struct phase *ph)
{
	char why[512] = "";
	struct result res;
	bool progress = isatty(STDERR_FILENO) && !o->quiet;
	if (live_execute(&ph->cfg, ph->plan, progress, &o->mem, &res, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		return CMD_EXIT_FAIL;
	}
	if (!o->quiet)
		summary_print(stdout, &ph->desc, &res);
	int status = verdicts(o, &res);
	if (o->json && rjson_write(o->json, &ph->desc, &res, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		status = CMD_EXIT_FAIL;
	}
	result_free(&res);
	return status;
}

int load_main(int argc, char **argv)
{
	unsigned bit = strcmp(argv[1], "http") == 0 ? CMD_HTTP : CMD_RUN;
	struct lopt o;
	struct prep p;
	struct phase ph;
	char why[512] = "", *cmdline = NULL;
	int r = lopt_parse_argv(&o, bit, argc, argv), status;
	if (r != CMD_GO)
		goto out_opts;
	cmdline = cmd_line(argc, argv);
	run_install_signals();
	memset(&p, 0, sizeof(p));
	memset(&ph, 0, sizeof(ph));
	r = prep_scenario(&o, why, sizeof(why));
	if (r == 0)
		r = prep_open(&p, &o, why, sizeof(why));
	if (r == 0)
		r = phase_check(&o, &p, why, sizeof(why));
	if (r == 0)
		r = prep_reach(&p, &o, bit == CMD_RUN && scn_has_mcp(o.scn), why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = r == -EINVAL ? CMD_EXIT_USAGE : CMD_EXIT_FAIL;
		goto out_prep;
	}
	r = phase_build(&ph, &o, &p, cmdline, why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = r == -EINVAL ? CMD_EXIT_USAGE : CMD_EXIT_FAIL;
		goto out_phase;
	}
	print_notes(ph.notes);
	if (prep_fd_limit(ph.cfg.connections, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = CMD_EXIT_FAIL;
		goto out_phase;
	}
	status = o.repeat > 1 ? repeat_runs(&o, &ph) : once(&o, &ph);
	r = status;
out_phase:
	phase_free(&ph);
out_prep:
	prep_free(&p);
	free(cmdline);
out_opts:
	lopt_free(&o);
	return r;
}
