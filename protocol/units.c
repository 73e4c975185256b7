/*
 * units: the value syntaxes of mcpload's command lines and files:
 * durations with their unit, counts with k/M, sizes in powers of 1024,
 * percentages and plain numbers in a range. Pure functions.
 */
#include "protocol/units.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int units_duration(const char *s, uint64_t *ns)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = {{"ns", 1},	  {"us", 1e3},	 {"ms", 1e6}, {"s", 1e9},
		     {"m", 60e9}, {"h", 3600e9}, {"", 1e9}};
	char *end;
	double v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) == 0) {
			double t = v * units[i].ns;
			if (t > 1e18)
				return -EINVAL;
			*ns = (uint64_t)llround(t);
			return 0;
		}
	}
	return -EINVAL;
}

int units_count(const char *s, uint64_t *n)
{
	char *end;
	unsigned long long v;
	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	if (*end == 'k' && end[1] == 0)
		v *= 1000;
	else if (*end == 'M' && end[1] == 0)
		v *= 1000000;
	else if (*end != 0)
		return -EINVAL;
	if (v == 0 || v > (1ull << 48))
		return -EINVAL;
	*n = v;
	return 0;
}

int units_size(const char *s, uint64_t *bytes)
{
	static const struct {
		const char *unit;
		double mul;
	} units[] = {{"", 1},		{"B", 1},	    {"K", 1024},	{"KB", 1024},
		     {"KiB", 1024},	{"M", 1048576},	    {"MB", 1048576},	{"MiB", 1048576},
		     {"G", 1073741824}, {"GB", 1073741824}, {"GiB", 1073741824}};
	char *end;
	if (!s || !s[0] || !strchr("0123456789.", s[0]))
		return -EINVAL;
	double v = strtod(s, &end);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(end, units[i].unit) == 0) {
			double b = v * units[i].mul;
			if (!(b >= 0) || b > 1e15)
				return -EINVAL;
			*bytes = (uint64_t)b;
			return 0;
		}
	}
	return -EINVAL;
}

int units_number(const char *s, double lo, double hi, double *v)
{
	char *end;
	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	*v = strtod(s, &end);
	return !errno && end != s && *end == 0 && *v >= lo && *v <= hi ? 0 : -EINVAL;
}

int units_pct(const char *s, double *v)
{
	return units_number(s, 0, 100, v);
}
