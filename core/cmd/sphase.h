/*
 * sphase: one phase of the suite: its run derived from the NFR table and
 * the suite's prepared target (no argv round trip: the target is resolved
 * and probed once for the whole suite), printed as the equivalent `mcpload
 * run` command, and what it measured merged into the NFR's assessment; the
 * stress phase and the unrecorded --full warmup.
 */
#ifndef MCPL_CORE_CMD_SPHASE_H
#define MCPL_CORE_CMD_SPHASE_H

#include <stdbool.h>

#include "core/cmd/stok.h"
#include "core/cmd/lopt.h"
#include "core/cmd/prep.h"
#include "scenarios/nfr.h"
#include "stats/assess.h"

/* What `mcpload suite` was asked (core/cmd/suite parses it). */
struct suite_opts {
	struct lopt base; /* every phase's run: target, threads, MCP version and path */
	const char *metrics_url, *only, *report_dir;
	const char *html, *junit;      /* --html (default: beside the JSON), --junit */
	const char *config;	       /* --config FILE, or NULL */
	bool plan;		       /* --plan: print what would be sent, send nothing */
	const struct profile *profile; /* --profile: the load and soak phases' level */
	int server_pid;		       /* --server-pid: the soak reads /proc */
	bool mem_metrics;	       /* the soak reads --metrics-url (it has the gauge) */
	bool smoke, quiet, full;
	const char *files, *baseline; /* --files, --baseline (NFR-03) */
	struct stok_src tok;	      /* NFR-03's baseline: these and the configuration's */
};

/* The `mcpload run` options of phase ph (from o->base). */
void sphase_load(const struct suite_opts *o, const struct nfr_phase *ph, struct lopt *l);

/* A zeroed tally on the heap (1.3 MB: never on the stack), or NULL. */
struct tally *sphase_new_tally(void);

/*
 * Run phase def of the NFR rn on the prepared target p and merge what it
 * measured. a gets the client's peak memory. Returns 0, 1 (interrupted:
 * stop the suite) or -1 (the suite cannot go on; the reason printed).
 */
int sphase_run(const struct suite_opts *o, const struct prep *p, const struct nfr_phase *def,
	       struct assess_nfr *rn, struct assess *a);

/* The stress phase: the breaking-point search into rn->stress. Returns as
 * sphase_run. */
int sphase_stress(const struct suite_opts *o, const struct prep *p, const struct nfr_phase *ph,
		  struct assess_nfr *rn);

/* Run phase def without recording it (the warmup, NFR-04's restore).
 * Returns 0 when every request succeeded, 1 when one did not, 2 when the
 * run was interrupted, -1 when it could not run (the reason printed). */
int sphase_quiet(const struct suite_opts *o, const struct prep *p, const struct nfr_phase *def);

/* The --full warmup, not recorded. Returns as sphase_run. */
int sphase_warmup(const struct suite_opts *o, const struct prep *p);

#endif
