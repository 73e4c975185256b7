/*
 * verdict: how a measured figure compares with its target (seed US-063):
 * at or better than the target PASS; up to 5 % worse PASS within
 * tolerance; 5-10 % worse WARNING; more FAIL. INCONCLUSIVE when the figure
 * cannot be trusted (too many failed requests, the generator fell behind).
 */
#ifndef MCPL_STATS_VERDICT_H
#define MCPL_STATS_VERDICT_H

#include <stdbool.h>

/* Ordered from best to worst: the worst of several is the larger. */
enum verdict {
	VERDICT_NOT_MEASURED,
	VERDICT_NOT_APPLICABLE, /* the server has nothing there to measure */
	VERDICT_NOT_CONFIGURED, /* the suite was not told what to measure */
	VERDICT_PASS,
	VERDICT_PASS_TOLERANCE,
	VERDICT_WARNING,
	VERDICT_FAIL,
	VERDICT_INCONCLUSIVE,
};

#define VERDICT_TOLERANCE  0.05 /* worse by up to this share: still PASS */
#define VERDICT_WARN_BAND  0.10 /* worse by up to this share: WARNING */
#define VERDICT_MAX_FAILED 0.10 /* more failed requests than this: INCONCLUSIVE */

/* A figure that must stay below target (latency, errors): measured <=
 * target PASS. A target of 0 allows nothing above 0 (no tolerance). */
enum verdict verdict_at_most(double measured, double target);

/* A figure that must reach target (a hit rate): measured >= target PASS. */
enum verdict verdict_at_least(double measured, double target);

enum verdict verdict_worst(enum verdict a, enum verdict b);

#define VERDICT__COUNT (VERDICT_INCONCLUSIVE + 1)

/* "PASS", "WARNING", "FAIL", "INCONCLUSIVE", "NOT MEASURED", "NOT
 * APPLICABLE", "NOT CONFIGURED" (PASS within
 * tolerance is "PASS"; verdict_note says so). */
const char *verdict_name(enum verdict v);

/*
 * The report's grade of a verdict, from how much of its limit the measured
 * figure used (use = measured / limit for an at-most target, limit /
 * measured for an at-least one; NaN when there is no figure): A at most
 * half of the limit, B at most 75 %, C at most 90 %, D a pass above that or
 * within the tolerance or warning bands, F a FAIL; "?" INCONCLUSIVE, "-"
 * nothing measured. A pass without a figure (a check) is A.
 */
const char *verdict_grade(enum verdict v, double use);

/* "within the 5 % tolerance" for PASS_TOLERANCE, else NULL. */
const char *verdict_note(enum verdict v);

/* How far worse than the target, as a share (0.07 = 7 % over); 0 when not
 * worse. */
double verdict_excess(double measured, double target, bool at_most);

#endif
