/*
 * rlab: the labels of a run as every per-label report lists them (JSON,
 * CSV, HdrHistogram log, HTML): a scenario's labels and their split
 * values, or, for a fixed request, one label named "METHOD /path".
 */
#ifndef MCPL_STATS_REPORT_RLAB_H
#define MCPL_STATS_REPORT_RLAB_H

#include "stats/report/rdesc.h"
#include "stats/result.h"

#define RLAB_MAX      (PLAN_MAX_LABELS * 8)
#define RLAB_NAME_LEN 256

struct rlab {
	char name[RLAB_NAME_LEN]; /* a split value is "label [value]" */
	const char *method;	  /* "GET", ... or "MCP"/"" when a label mixes them */
	const struct tally *t;	  /* its tally in res */
	unsigned slot;		  /* its rows in res->ltl */
	int parent;		  /* a split value: its label's index; else -1 */
};

/* The method of a label's first step ("GET", ...): "MCP" for a JSON-RPC
 * call, "" when the label has no step. */
const char *rlab_method(const struct plan *p, unsigned label);

/* Fill out[0..cap) with the run's labels; returns how many. */
unsigned rlab_list(const struct rdesc *d, const struct result *res, struct rlab *out, unsigned cap);

#endif
