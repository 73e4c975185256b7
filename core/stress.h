/*
 * stress: `mcpload stress SCENARIO --target URL`: the breaking-point search.
 * Open-model steps of rising offered load until the SLO breaks (corrected
 * p99, error share, achieved rate), then a bisection between the last good
 * and the first bad step; a step the generator could not drive stops the
 * search as INCONCLUSIVE instead of blaming the server (docs/stress.md).
 */
#ifndef MCPL_CORE_STRESS_H
#define MCPL_CORE_STRESS_H

/* argv[0] is "mcpload", argv[1] "stress". Returns the exit status: 0 the
 * maximum sustainable load was found, 1 the search could not run or not
 * even the first step held, 2 bad usage, 3 inconclusive. */
int stress_main(int argc, char **argv);

#endif
