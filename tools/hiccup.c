/*
 * hiccup: how quiet is this CPU? Spins reading CLOCK_MONOTONIC for a while
 * and reports the pauses it saw (time slices given to other work, the
 * hypervisor's steal, interrupts) and the share of evenly spread arrivals
 * that a thread spinning for them would have met more than 50 us late:
 * the floor under any load generator's send lag on this CPU.
 * Usage: taskset -c CPU build/hiccup [SECONDS]   (default 5, at most 600)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define LATE_NS 50000u

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 5;
	if (argc > 2 || !(secs > 0 && secs <= 600)) {
		fprintf(stderr, "hiccup: usage: hiccup [SECONDS] (more than 0, at most 600)\n");
		return 2;
	}
	uint64_t start = now_ns(), end = start + (uint64_t)(secs * 1e9), prev = start;
	uint64_t over20 = 0, over50 = 0, over200 = 0, over1000 = 0, late_ns = 0, max = 0;
	for (;;) {
		uint64_t t = now_ns(), gap = t - prev;
		prev = t;
		if (t >= end)
			break;
		over20 += gap > 20000;
		over200 += gap > 200000;
		over1000 += gap > 1000000;
		if (gap > LATE_NS) {
			over50++;
			/* an arrival due in the gap's first (gap - 50 us) leaves
			 * more than 50 us late */
			late_ns += gap - LATE_NS;
		}
		max = gap > max ? gap : max;
	}
	printf("hiccup: %.1f s: pauses over 20 us %llu, 50 us %llu, 200 us %llu, 1 ms %llu; "
	       "longest %.3f ms; arrivals over 50 us late %.3f%%\n",
	       (double)(prev - start) / 1e9, (unsigned long long)over20, (unsigned long long)over50,
	       (unsigned long long)over200, (unsigned long long)over1000, (double)max / 1e6,
	       100.0 * (double)late_ns / (double)(prev - start));
	return 0;
}
