/*
 * stage: linear segments. Within a segment of duration D from a to b the
 * target is a + (b - a) * tau / D, so its integral is a * tau +
 * (b - a) * tau^2 / (2 D), inverted with the quadratic formula.
 */
#include "scenarios/stage.h"

#include <math.h>

uint64_t stage_total_ns(const struct scn_stage *st, unsigned n)
{
	uint64_t t = 0;
	for (unsigned i = 0; i < n; i++)
		t += st[i].duration_ns;
	return t;
}

unsigned stage_index(const struct scn_stage *st, unsigned n, uint64_t t_ns)
{
	uint64_t end = 0;
	for (unsigned i = 0; i < n; i++) {
		end += st[i].duration_ns;
		if (t_ns < end)
			return i;
	}
	return n;
}

double stage_value(const struct scn_stage *st, unsigned n, uint64_t t_ns)
{
	double from = 0;
	uint64_t start = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t d = st[i].duration_ns;
		if (t_ns < start + d)
			return from + (st[i].target - from) * (double)(t_ns - start) / (double)d;
		start += d;
		from = st[i].target;
	}
	return from;
}

uint64_t stage_time_reaching(const struct scn_stage *st, unsigned n, uint64_t from_ns, double v)
{
	double a = 0;
	uint64_t start = 0;
	if (stage_value(st, n, from_ns) >= v)
		return from_ns;
	for (unsigned i = 0; i < n; i++) {
		uint64_t d = st[i].duration_ns;
		double b = st[i].target;
		/* rising through v inside this segment, after from_ns */
		if (start + d > from_ns && b >= v && b > a) {
			double tau = a >= v ? 0 : (v - a) / (b - a) * (double)d;
			uint64_t t = start + (uint64_t)ceil(tau);
			if (t < from_ns)
				t = from_ns;
			if (t <= start + d && stage_value(st, n, t) >= v)
				return t;
			if (t <= start + d)
				return t + 1; /* rounding: the next ns is past v */
		}
		start += d;
		a = b;
	}
	return UINT64_MAX;
}

double stage_arrivals(const struct scn_stage *st, unsigned n, uint64_t t_ns)
{
	double a = 0, sum = 0;
	uint64_t start = 0;
	for (unsigned i = 0; i < n; i++) {
		double d = (double)st[i].duration_ns / 1e9, b = st[i].target;
		uint64_t end = start + st[i].duration_ns;
		double tau = (double)((t_ns < end ? t_ns : end) - start) / 1e9;
		if (d > 0) /* a zero-length stage is a jump */
			sum += a * tau + (b - a) * tau * tau / (2 * d);
		if (t_ns < end)
			return sum;
		start = end;
		a = b;
	}
	return sum;
}

uint64_t stage_time_of(const struct scn_stage *st, unsigned n, double k)
{
	double a = 0, sum = 0;
	uint64_t start = 0;
	for (unsigned i = 0; i < n; i++) {
		double d = (double)st[i].duration_ns / 1e9, b = st[i].target;
		double whole = (a + b) / 2 * d;
		double need = k - sum;
		if (d > 0 && need < whole) {
			double slope = (b - a) / d, tau;
			if (fabs(slope) < 1e-12)
				tau = a > 0 ? need / a : 0;
			else /* slope/2 tau^2 + a tau - need = 0, the root in [0, d] */
				tau = (-a + sqrt(fmax(0, a * a + 2 * slope * need))) / slope;
			if (tau < 0)
				tau = 0;
			if (tau > d)
				tau = d;
			return start + (uint64_t)(tau * 1e9);
		}
		sum += whole;
		start += st[i].duration_ns;
		a = b;
	}
	return UINT64_MAX;
}
