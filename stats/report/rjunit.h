/*
 * rjunit: verdicts as a JUnit XML file (--junit) that CI systems show as
 * tests: one testcase per threshold, check, NFR, phase or step; a FAIL is a
 * <failure> whose message is the finding, an INCONCLUSIVE an <error>, a
 * NOT MEASURED a <skipped>. The shape validates against the common JUnit
 * schema (Jenkins xUnit's junit-10.xsd).
 */
#ifndef MCPL_STATS_REPORT_RJUNIT_H
#define MCPL_STATS_REPORT_RJUNIT_H

#include <stddef.h>
#include <time.h>

#include "stats/assess.h"
#include "stats/knee.h"
#include "stats/report/rdesc.h"
#include "stats/result.h"
#include "stats/verdict.h"

#define RJUNIT_MAX_CASES 256

struct rjunit_case {
	char classname[64]; /* the group: "thresholds", "checks", "NFR", ... */
	char name[192];
	enum verdict verdict; /* PASS, FAIL, INCONCLUSIVE, NOT MEASURED */
	char message[512];    /* the finding; "" for a pass */
	double time_s;	      /* what the case measured over, 0 if none */
	double use;	      /* share of its limit used (verdict_grade), NaN: none */
};

struct rjunit {
	const char *name; /* the testsuite: "mcpload run task-api", ... */
	time_t started_at;
	double time_s;
	struct rjunit_case cases[RJUNIT_MAX_CASES];
	unsigned n;
};

/* Add a case (dropped past RJUNIT_MAX_CASES); message is printf-style. */
void rjunit_add(struct rjunit *u, const char *classname, const char *name, enum verdict v,
		double time_s, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The cases of a load run (http, run): its thresholds, post-run checks,
 * server memory, generator self-check and whether requests succeeded. */
void rjunit_run_cases(struct rjunit *u, const struct rdesc *d, const struct result *res);

/* The cases of the NFR suite: one per criterion of each NFR that ran
 * (its finding the message of a FAIL or WARNING), one per NFR that did not
 * (skipped: not applicable, not configured, not measured), and the NFR's
 * own verdict when something beyond its criteria decided it. */
void rjunit_suite_cases(struct rjunit *u, const struct assess *a);

/* The cases of a stress search: one per step and the search's outcome. */
void rjunit_stress_cases(struct rjunit *u, const struct knee *k);

/* Write u to path (atomically). Returns 0 or -errno with a one-line reason
 * in why. */
int rjunit_write(const char *path, const struct rjunit *u, char *why, size_t why_len);

#endif
