/*
 * tokwf: NFR-03's counting. The baseline: each workflow's local files read
 * whole and counted. The MCP way: the tool list (tools/list, every page)
 * counted once as a model API receives it, then each workflow's calls
 * made once through an MCP session and what each returns counted.
 */
#ifndef MCPL_CORE_PROBE_TOKWF_H
#define MCPL_CORE_PROBE_TOKWF_H

#include <stddef.h>

#include "core/probe/discover.h"
#include "protocol/tok.h"
#include "scenarios/wflow.h"
#include "stats/tokeff.h"

#define TOKWF_MAX_FILE ((size_t)256 << 20) /* a local file larger than 256 MiB is refused */

/*
 * Count each workflow's files under dir (a relative name is dir/NAME; a
 * name with * ? [ is a glob, its matches in order; a file named twice in a
 * workflow counts once) into out (names, files, base counts; encoding).
 * Returns 0, or -errno with a one-line reason in why: a file that cannot
 * be read, a name that matches nothing, too many files.
 */
int tokwf_baseline(const struct wflow_set *s, const char *dir, struct tok *t, struct tokeff *out,
		   char *why, size_t wl);

/*
 * The MCP side through the open session d, into out's workflows of the
 * same names (each must be there). A call that fails (no answer, a
 * JSON-RPC error, a tool error, a result of the wrong shape) is that
 * workflow's error; the others go on. Then the totals (tokeff_total).
 * Returns 0, or -errno with a reason in why when the tool list could not
 * be read or a workflow has no baseline.
 */
int tokwf_mcp(struct disc *d, const struct wflow_set *s, struct tok *t, struct tokeff *out,
	      char *why, size_t wl);

#endif
