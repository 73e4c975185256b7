/*
 * verdict: the tolerance bands of seed US-063 (Q2/Q4) as pure functions.
 */
#include "stats/verdict.h"

#include <math.h>
#include <stddef.h>

double verdict_excess(double measured, double target, bool at_most)
{
	if (at_most)
		return measured > target && target > 0 ? measured / target - 1 : 0;
	return measured < target && target > 0 ? 1 - measured / target : 0;
}

static enum verdict band(double excess)
{
	if (excess <= 0)
		return VERDICT_PASS;
	if (excess <= VERDICT_TOLERANCE + 1e-12)
		return VERDICT_PASS_TOLERANCE;
	if (excess <= VERDICT_WARN_BAND + 1e-12)
		return VERDICT_WARNING;
	return VERDICT_FAIL;
}

enum verdict verdict_at_most(double measured, double target)
{
	if (target <= 0)
		return measured <= 0 ? VERDICT_PASS : VERDICT_FAIL;
	return band(verdict_excess(measured, target, true));
}

enum verdict verdict_at_least(double measured, double target)
{
	return band(verdict_excess(measured, target, false));
}

enum verdict verdict_worst(enum verdict a, enum verdict b)
{
	return a > b ? a : b;
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS:
	case VERDICT_PASS_TOLERANCE:
		return "PASS";
	case VERDICT_WARNING:
		return "WARNING";
	case VERDICT_FAIL:
		return "FAIL";
	case VERDICT_INCONCLUSIVE:
		return "INCONCLUSIVE";
	case VERDICT_NOT_APPLICABLE:
		return "NOT APPLICABLE";
	case VERDICT_NOT_CONFIGURED:
		return "NOT CONFIGURED";
	default:
		return "NOT MEASURED";
	}
}

const char *verdict_note(enum verdict v)
{
	return v == VERDICT_PASS_TOLERANCE ? "within the 5 % tolerance" : NULL;
}

const char *verdict_grade(enum verdict v, double use)
{
	switch (v) {
	case VERDICT_FAIL:
		return "F";
	case VERDICT_INCONCLUSIVE:
		return "?";
	case VERDICT_PASS_TOLERANCE:
	case VERDICT_WARNING:
		return "D";
	case VERDICT_PASS:
		if (isnan(use) || use <= 0.5)
			return "A";
		return use <= 0.75 ? "B" : use <= 0.9 ? "C" : "D";
	default:
		return "-";
	}
}
