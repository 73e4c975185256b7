/*
 * snfr: the NFR suite for one server. The bundled reference server gets
 * the compiled-in table as it is; any other server gets the phases its
 * configuration (scenarios/sconf, from a file or from discovery) gives,
 * as scenarios composed in memory (the same struct scn the engine runs),
 * the target figures it changes, and for each NFR it cannot run the
 * reason: NOT APPLICABLE (nothing there to measure) or NOT CONFIGURED.
 */
#ifndef MCPL_SCENARIOS_SNFR_H
#define MCPL_SCENARIOS_SNFR_H

#include <stdbool.h>
#include <stddef.h>

#include "scenarios/nfr.h"
#include "scenarios/sconf.h"
#include "scenarios/sfile.h"

#define SNFR_MAX  5 /* NFR-01 .. NFR-05 */
#define SNFR_SCNS 8 /* scenarios composed */

struct snfr {
	struct nfr nfrs[SNFR_MAX];
	unsigned n;
	struct sfile scns[SNFR_SCNS]; /* owned */
	unsigned nscns;
	char why[SNFR_MAX][400];     /* avail_why texts */
	char changes[SNFR_MAX][512]; /* changes texts */
	char notes[1024];	     /* what was left out, one per line */
	char cache_header[64];	     /* lower case */
	struct scn flow, restore;    /* NFR-04's, their shapes set */
};

/* What the suite knows of the server besides its configuration. */
struct snfr_server {
	bool bundled;		 /* the reference server (tools/target) */
	const char *mcp_missing; /* why there is no MCP endpoint, or NULL */
	const char *target;	 /* the URL, for messages */
	bool token_source;	 /* NFR-03 has its baseline: files or a recorded one */
};

/*
 * The suite for the server srv with configuration c (NULL: none). Returns
 * 0, or -EINVAL with a one-line reason in why (a configured scenario that
 * does not fit: too long, too many steps), or -ENOMEM. snfr_free it
 * either way; c must outlive s.
 */
int snfr_build(struct snfr *s, const struct sconf *c, const struct snfr_server *srv, char *why,
	       size_t why_len);

void snfr_free(struct snfr *s);

/* A scenario cut to one half (for --only NFR-01.mcp / .rest). */
struct snfr_part {
	struct scn scn;
	struct scn_task tasks[PLAN_MAX_TASKS];
	struct scn_step steps[PLAN_MAX_STEPS];
	struct scn_check checks[PLAN_MAX_CHECKS];
};

/* in with only its MCP steps (mcp) or only its plain HTTP steps: a task
 * left without steps is dropped, a check on a label gone too. Returns the
 * number of steps kept. */
unsigned snfr_part(const struct scn *in, bool mcp, struct snfr_part *out);

/* Which kinds of step sc has; true when both. */
bool snfr_is_mixed(const struct scn *sc, bool *mcp, bool *rest);

#endif
