/*
 * iwrite: the suite configuration mcpload init writes from a survey, every
 * section commented: what was found, what was guessed and must be
 * reviewed, what the server refused (in its own words), and commented
 * examples where the server could not tell (the REST flow).
 */
#ifndef MCPL_CORE_CMD_IWRITE_H
#define MCPL_CORE_CMD_IWRITE_H

#include <stdbool.h>
#include <stdio.h>

#include "core/cmd/survey.h"

struct iwrite_in {
	const struct survey *survey;
	const char *target;   /* the URL init was given */
	const char *mcp_path; /* --mcp-path, or NULL */
	bool no_calls;	      /* the tools were not tried */
};

/* Write the configuration (TOML that scenarios/sconf reads) to f. */
void iwrite_config(FILE *f, const struct iwrite_in *in);

/* A range read from a reservation's answer: the JSON paths and whether its
 * end is exclusive, guessed from the tool's structuredContent. */
struct iwrite_range {
	const char *start, *end, *count; /* keys of structuredContent, or NULL */
	bool end_exclusive, sure;	 /* sure: count and end agreed on it */
};

/* Does this structuredContent read as a reserved range? */
bool iwrite_range_of(const char *sample, struct iwrite_range *r);

#endif
