/*
 * cli: the command line. `mcpload http URL [options]` fills a struct cfg
 * (URL parsed and resolved, request prebuilt); bad input gets one line on
 * stderr and a usage error.
 */
#ifndef MCPL_CORE_CMD_CLI_H
#define MCPL_CORE_CMD_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "core/engine/cfg.h"

/* Exit codes (also documented in --help and the README). */
#define CLI_EXIT_OK	      0
#define CLI_EXIT_FAIL	      1 /* the run could not be done (target unreachable...) */
#define CLI_EXIT_USAGE	      2 /* bad flag, bad URL, bad value */
#define CLI_EXIT_INCONCLUSIVE 3 /* the generator could not keep its schedule */

/* cli_parse results besides 0 (run it). */
#define CLI_DONE 1 /* --help or --version printed: exit 0 */

/*
 * Parse argv into cfg. Returns 0 (run), CLI_DONE, or -EINVAL after printing
 * one line to `err`. cfg owns what it allocates; release with cli_free().
 */
int cli_parse(struct cfg *cfg, int argc, char **argv, FILE *err);
void cli_free(struct cfg *cfg);

/*
 * Parse a duration: a number (fractions allowed) with a unit ns, us, ms, s,
 * m or h; a bare number is seconds. Returns 0 or -EINVAL.
 */
int cli_parse_duration(const char *s, uint64_t *ns);

/* Parse a positive count with an optional k/M suffix (1000, 10k, 2M). */
int cli_parse_count(const char *s, uint64_t *n);

#endif
