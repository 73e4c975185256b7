/*
 * sfile: scenario files. A scenario written by hand in TOML (docs/
 * scenarios.md, "Scenario files") is read into the same `struct scn` the
 * compiled-in tables are, so there is one representation and one engine
 * path (sshow.c writes any scenario back in that form). Errors name the
 * file, line and column and what was expected there.
 */
#ifndef MCPL_SCENARIOS_SFILE_H
#define MCPL_SCENARIOS_SFILE_H

#include <stddef.h>
#include <stdbool.h>

#include "protocol/toml.h"
#include "scenarios/plan.h"
#include "scenarios/scn.h"

#define SFILE_MAX_THRESHOLDS 16

/* A scenario read from a file: the scenario and everything it points at. */
struct sfile {
	struct scn scn;
	struct scn_var vars[PLAN_MAX_VARS];
	struct scn_task tasks[PLAN_MAX_TASKS];
	struct scn_step steps[PLAN_MAX_STEPS];
	struct scn_check checks[PLAN_MAX_CHECKS];
	const char *thresholds[SFILE_MAX_THRESHOLDS]; /* thresholds = [...], as written */
	unsigned nthresholds;
	struct toml_doc doc;
	char *arena; /* owned: the parsed document's nodes and strings */
	char *own;   /* owned: strings the loader composes (header lines) */
	size_t own_len, own_used;
};

/*
 * Read the scenario in text[0..len) (name: the file's name, for messages)
 * into *f. Returns 0, -EINVAL with "NAME:LINE:COL: what was expected" in
 * why, or -ENOMEM. sfile_free releases it either way.
 */
int sfile_parse(struct sfile *f, const char *name, const char *text, size_t len, char *why,
		size_t why_len);

void sfile_free(struct sfile *f);

/*
 * Copy in to out (cap bytes) with every ${NAME} replaced by the environment
 * variable NAME ($${ writes a literal ${). Returns the length, -ENOENT with
 * the name in missing (an unset variable), or -ENOSPC.
 */
long sfile_expand(const char *in, char *out, size_t cap, char *missing, size_t missing_len);

/* Does this name look like a scenario file rather than a compiled-in
 * scenario (it ends in .toml or holds a '/')? */
bool sfile_is_path(const char *name);

#endif
