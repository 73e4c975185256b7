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
#include <stdint.h>

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

/* An empty scenario with own_len bytes for strings, for a loader that
 * composes one (scenarios/snfr). Returns 0 or -ENOMEM; sfile_free it. */
int sfile_init(struct sfile *f, size_t own_len);

/* text copied into f's own bytes; NULL when they are used up. */
const char *sfile_copy(struct sfile *f, const char *text);

/*
 * Reading other TOML files of the family (a suite configuration) with the
 * scenario file's rules: each function reads one key or part from table t
 * into f, checks its type and range, takes ${NAME} from the environment,
 * and on error writes "NAME:LINE:COL: what was expected" to why and
 * returns -EINVAL (a missing key is not an error: *out is left alone).
 */
struct sfile_rd {
	struct sfile *f;  /* where strings and parts go */
	const char *name; /* the file, for messages */
	char *why;
	size_t wl;
};

int sfile_bad(struct sfile_rd *s, const struct toml_val *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Every member of t is one of keys (NULL-terminated); in: "a step", for the message. */
int sfile_known(struct sfile_rd *s, const struct toml_val *t, const char *const *keys,
		const char *in);
int sfile_str(struct sfile_rd *s, const struct toml_val *t, const char *key, const char **out);
/* t's array of strings `key` (each ${NAME}-expanded) appended to out[*n..max);
 * absent: nothing. */
int sfile_strs(struct sfile_rd *r, const struct toml_val *t, const char *key, const char **out,
	       unsigned max, unsigned *n);
int sfile_int(struct sfile_rd *s, const struct toml_val *t, const char *key, int64_t lo, int64_t hi,
	      int64_t *out);
int sfile_num(struct sfile_rd *s, const struct toml_val *t, const char *key, double lo, double hi,
	      double *out);
int sfile_dur(struct sfile_rd *s, const struct toml_val *t, const char *key, uint64_t *out);
int sfile_range(struct sfile_rd *s, const struct toml_val *t, const char *key, uint64_t *lo,
		uint64_t *hi);
/* n bytes (and a NUL) of f's own; NULL when used up. */
char *sfile_own(struct sfile_rd *s, size_t n);
/* status = 200, "2xx" (a class) or "any" (any below 400), v the value. */
int sfile_status(struct sfile_rd *s, const struct toml_val *v, struct scn_step *st);
/* A [variables] table into f's variables. */
int sfile_vars(struct sfile_rd *s, const struct toml_val *t);
/* A task of f from steps, an array of step tables ([[task.step]] keys);
 * at: where to point when there are none. *out (may be NULL) gets it. */
int sfile_add_task(struct sfile_rd *s, const struct toml_val *at, const char *name,
		   const struct toml_val *steps, struct scn_task **out);

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
