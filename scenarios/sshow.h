/*
 * sshow: a scenario written out as a scenario file (`mcpload show NAME`),
 * in the form sfile.c reads back to the same scenario: the way to start a
 * file of one's own from a compiled-in scenario.
 */
#ifndef MCPL_SCENARIOS_SSHOW_H
#define MCPL_SCENARIOS_SSHOW_H

#include <stdio.h>

#include "scenarios/scn.h"

/* Write s as TOML. */
void sshow_write(FILE *out, const struct scn *s);

/* A string as a TOML value that reads back to the same bytes: literal
 * ('...') when it can be, else basic with escapes; each "${" is written
 * "$${", for the reader takes ${NAME} from the environment (a name a
 * server sent cannot reach into it). */
void sshow_string(FILE *out, const char *s);
/* The same for a value the reader takes as it is (captures, split values). */
void sshow_literal(FILE *out, const char *s);

#endif
