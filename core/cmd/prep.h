/*
 * prep: the one prepare step of a command, and the runs derived from it.
 * prep_open does the I/O once (resolve the target, check it answers, read
 * the body file, build the fixed request, probe the MCP era, check the
 * memory source and the output path); phase_build derives one run from the
 * options and what was prepared, without I/O: the shape settled, the plan
 * compiled, the engine's configuration and the report's description. suite
 * and stress derive every phase and step this way from one prep.
 */
#ifndef MCPL_CORE_CMD_PREP_H
#define MCPL_CORE_CMD_PREP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/cmd/lopt.h"
#include "core/engine/cfg.h"
#include "core/engine/fixed.h"
#include "core/probe/probe.h"
#include "protocol/tlsc.h"
#include "protocol/url.h"
#include "stats/report/rdesc.h"

/* The files and the environment the command line names: --header-file's
 * headers added to -H's, ${NAME} in every header value taken from the
 * environment, and a scenario file (o->scn_path) read and parsed into
 * o->file and o->scn with its thresholds. Returns 0 or -EINVAL / -ENOMEM
 * with one line in why ("FILE:LINE:COL: what was expected"). */
int prep_inputs(struct lopt *o, char *why, size_t why_len);

/* A text file of at most 4 MiB (a scenario file, a suite configuration)
 * into *out (malloc'd, NUL-terminated) and *len. what names it in the
 * message. Returns 0 or -EINVAL with "cannot read WHAT PATH: why". */
int prep_read_text(const char *path, const char *what, char **out, size_t *len, char *why,
		   size_t why_len);

struct prep {
	struct url url;		/* http: the URL; run: the target */
	struct probe_peer peer; /* resolved once */
	char *body;		/* http: -b or --body-file (owned) */
	size_t body_len;
	char *request;	    /* http: the prebuilt request (owned) */
	char *header_lines; /* -H as "Name: value\r\n" lines, for the probe (owned) */
	struct fixed_req fixed;
	struct mcp_server mcp; /* what the MCP probe found (era NONE: not probed) */
	uint64_t seed;	       /* --seed, or the time at prepare */
	/* http with {{...}} in the URL, a header or the body: a one-step
	 * scenario the virtual users render, instead of the fixed request */
	bool templated;
	struct scn http_scn;
	struct scn_task http_task;
	struct scn_step http_step;
	char http_label[300];
	struct tlsc tls; /* https: the TLS client's settings (url.tls) */
};

/*
 * Prepare o (finished) once: what a run needs from outside the process
 * that the user gave: resolve the target's name, read the body file and
 * build the request, check the memory source and the output path. Returns
 * 0, or -EINVAL with a one-line reason in why (input that does not fit: a
 * usage error). prep_free releases it either way.
 */
int prep_open(struct prep *p, const struct lopt *o, char *why, size_t why_len);

/*
 * Check that the prepared target answers (a connect) and, with need_mcp,
 * probe its MCP endpoint (era, version, serverInfo). Returns 0 or -errno
 * with a one-line reason in why: the run cannot be done.
 */
int prep_reach(struct prep *p, const struct lopt *o, bool need_mcp, char *why, size_t why_len);

void prep_free(struct prep *p);

/* The MCP endpoint's path: the target's path, then --mcp-path (default
 * /mcp), into path (n bytes). */
void prep_mcp_path(const struct prep *p, const struct lopt *o, char *path, size_t n);

/* Raise the open-files limit for `connections` sockets. Returns 0 or
 * -EMFILE with the reason in why. */
int prep_fd_limit(unsigned connections, char *why, size_t why_len);

/* One run, derived from the options and the prep. */
struct phase {
	struct cfg cfg;	    /* the engine's */
	struct plan *plan;  /* run: owned; NULL for http */
	struct rdesc desc;  /* for the report writers */
	char cmdline[4096]; /* the equivalent command line */
	char notes[320];    /* things the user may want to know, one per line, or "" */
};

/*
 * Derive a run from o and p (no I/O): settle the scenario's shape, compile
 * the plan, fill the engine's configuration. cmdline: the command line to
 * report (NULL: the equivalent one from o). Returns 0 or -EINVAL with a
 * one-line reason in why (a --set that names no variable, a shape without
 * users or rate).
 */
int phase_build(struct phase *ph, const struct lopt *o, const struct prep *p, const char *cmdline,
		char *why, size_t why_len);
void phase_free(struct phase *ph);

/* Would phase_build accept o? The checks that need the compiled plan (a
 * --set that names no variable, a shape without users), made before the
 * target is reached so that they are usage errors whatever the target
 * does; an MCP scenario not yet probed passes when either era accepts it.
 * Returns 0 or -EINVAL with the reason in why. */
int phase_check(const struct lopt *o, const struct prep *p, char *why, size_t why_len);

/* The scenario's shape as the engine will run it: the scenario's own, the
 * command line's overrides and profile applied, spawning turned into a
 * ramp. Returns 0 or -EINVAL with the reason in why. */
int phase_shape(const struct lopt *o, struct scn_shape *s, uint64_t *duration_ns, char *why,
		size_t why_len);

#endif
