/*
 * units: the value syntaxes of mcpload's command lines and files. Each
 * returns 0 or -EINVAL.
 */
#ifndef MCPL_PROTOCOL_UNITS_H
#define MCPL_PROTOCOL_UNITS_H

#include <stdint.h>

/* A duration: a number (fractions allowed) with a unit ns, us, ms, s, m or
 * h; a bare number is seconds. */
int units_duration(const char *s, uint64_t *ns);
/* A positive count with an optional k/M suffix (1000, 10k, 2M), at most
 * 2^48. */
int units_count(const char *s, uint64_t *n);
/* A size: a number with an optional unit B, K/KB/KiB, M/MB/MiB, G/GB/GiB,
 * any case (all powers of 1024). */
int units_size(const char *s, uint64_t *bytes);
/* A percentage, 0 to 100. */
int units_pct(const char *s, double *v);
/* A number in [lo, hi] (no unit). */
int units_number(const char *s, double lo, double hi, double *v);

#endif
