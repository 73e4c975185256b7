/*
 * tload: a `mcpload http ...` or `mcpload run ...` command line parsed,
 * prepared and derived in process the way the command does it (the option
 * table, prep_open, phase_build), for the engine tests that call
 * run_execute themselves. Header-only.
 */
#ifndef MCPL_TESTS_TLOAD_H
#define MCPL_TESTS_TLOAD_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/cmd/prep.h"
#include "core/engine/run.h"

struct tload {
	struct lopt o;
	struct prep p;
	struct phase ph;
};

/* argv[1] is "http" or "run". Returns 0, or -EINVAL after printing why. */
static inline int tload_parse(struct tload *t, int argc, char **argv)
{
	unsigned bit = strcmp(argv[1], "run") == 0 ? CMD_RUN : CMD_HTTP;
	const char *pos[1] = {NULL};
	unsigned npos = 0;
	char why[512];
	memset(t, 0, sizeof(*t));
	lopt_init(&t->o, bit);
	if (opt_parse(bit, argc, argv, 2, lopt_set, &t->o, pos, 1, &npos, why, sizeof(why)) != 0 ||
	    lopt_finish(&t->o, npos ? pos[0] : NULL, why, sizeof(why)) < 0 ||
	    prep_inputs(&t->o, why, sizeof(why)) < 0 ||
	    prep_open(&t->p, &t->o, why, sizeof(why)) < 0 ||
	    prep_reach(&t->p, &t->o, bit == CMD_RUN && scn_has_mcp(t->o.scn), why, sizeof(why)) <
		0 ||
	    phase_build(&t->ph, &t->o, &t->p, NULL, why, sizeof(why)) < 0) {
		fprintf(stderr, "tload: %s\n", why);
		return -EINVAL;
	}
	return 0;
}

/* A whole command line ("mcpload http URL -c 2 ..."), split at spaces,
 * parsed and run in process. Returns run_execute's result, or -EINVAL. */
static inline int tload_run_line(const char *line_in, struct tload *cfg, struct result *res)
{
	char line[512], why[256];
	char *argv[40];
	int argc = 0;
	snprintf(line, sizeof(line), "%s", line_in);
	for (char *tok = strtok(line, " "); tok && argc < 39; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	if (tload_parse(cfg, argc, argv) != 0)
		return -EINVAL;
	int r = run_execute(&cfg->ph.cfg, NULL, res, why, sizeof(why));
	if (r < 0)
		fprintf(stderr, "run failed: %s\n", why);
	return r;
}

static inline void tload_free(struct tload *t)
{
	phase_free(&t->ph);
	prep_free(&t->p);
	lopt_free(&t->o);
}

#endif
