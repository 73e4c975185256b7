/*
 * lline: the equivalent command line of a load's options (lopt), so a run
 * a command derived can be rerun by hand and shards can compare what they
 * were asked to do.
 */
#ifndef MCPL_CORE_CMD_LLINE_H
#define MCPL_CORE_CMD_LLINE_H

#include <stddef.h>

#include "core/cmd/lopt.h"

/* The equivalent command line, "mcpload run SCENARIO --target URL ..."
 * (what was set, nothing resolved), into buf (len bytes, NUL-ended, cut
 * to fit). */
void lline_format(const struct lopt *o, char *buf, size_t len);

#endif
