/*
 * sphase: one phase of the suite: its `mcpload run` command line from the
 * NFR table, merging what it measured into the NFR's tallies (and the
 * --full figures: cold/warm, the profile's rates, the soak's memory), the
 * stress phase and the unrecorded --full warmup.
 */
#ifndef MCPL_CORE_CMD_SPHASE_H
#define MCPL_CORE_CMD_SPHASE_H

#include <stdbool.h>

#include "core/engine/cfg.h"
#include "core/engine/run.h"
#include "scenarios/nfr.h"
#include "stats/report/report.h"

/* What `mcpload suite` was asked (core/suite parses it). */
struct suite_opts {
	const char *target, *metrics_url, *only, *report_dir, *mcp_version, *mcp_path;
	const char *threads;
	const char *profile;	/* --profile: the load and soak phases' level */
	const char *server_pid; /* --server-pid: the soak reads /proc */
	bool mem_metrics;	/* the soak reads --metrics-url (it has the gauge) */
	bool smoke, quiet, full;
};

/* The `mcpload run` argv of a phase (argv: 40 slots, store: 8 numbers).
 * Returns argc. */
int sphase_argv(const struct suite_opts *o, const struct nfr_phase *ph, char **argv,
		char store[][32]);

/* A zeroed tally on the heap (1.3 MB: never on the stack), or NULL. */
struct tally *sphase_new_tally(void);

/* Merge what a phase's run measured into the NFR; phase_all: a zeroed
 * scratch tally that gets the phase's labels merged. Takes the timeline
 * and the memory samples out of res. */
void sphase_take(struct report_nfr *rn, const struct nfr_phase *def, const struct cfg *cfg,
		 struct run_result *res, struct tally *phase_all);

/* The stress phase: the breaking-point search into rn->stress. Returns 0,
 * 1 interrupted, -1 it could not run (the reason printed). */
int sphase_stress(const struct suite_opts *o, const struct nfr_phase *ph, struct report_nfr *rn);

/* The --full warmup, not recorded. Returns as sphase_stress. */
int sphase_warmup(const struct suite_opts *o);

#endif
