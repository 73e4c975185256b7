/*
 * stage: a load shape as linear segments (k6 `stages`, Locust's
 * LoadTestShape): the target (users or iterations/s) at any time, which
 * stage is current, when a target level is first reached, and, for an
 * arrival rate, when the k-th arrival is due (the inverse of the integral).
 * Times are ns from the start of the shape. Pure functions of the table.
 */
#ifndef MCPL_SCENARIOS_STAGE_H
#define MCPL_SCENARIOS_STAGE_H

#include <stdint.h>

#include "scenarios/scn.h"

/* Sum of the stages' durations. */
uint64_t stage_total_ns(const struct scn_stage *st, unsigned n);

/* The stage in force at t (n once all have ended). */
unsigned stage_index(const struct scn_stage *st, unsigned n, uint64_t t_ns);

/* Target at t: a stage ramps linearly from the previous stage's target (0
 * before the first) to its own; after the last stage, the last target. */
double stage_value(const struct scn_stage *st, unsigned n, uint64_t t_ns);

/* First time >= from_ns when the target is >= v; UINT64_MAX when never. */
uint64_t stage_time_reaching(const struct scn_stage *st, unsigned n, uint64_t from_ns, double v);

/* Arrivals due by t when the target is a rate per second: the integral. */
double stage_arrivals(const struct scn_stage *st, unsigned n, uint64_t t_ns);

/* When the integral reaches k (arrival k is due; arrival 0 at the first
 * moment the rate is positive); UINT64_MAX when not within the stages. */
uint64_t stage_time_of(const struct scn_stage *st, unsigned n, double k);

#endif
