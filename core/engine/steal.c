/*
 * steal: the per-CPU steal time of /proc/stat ("cpuN user nice system idle
 * iowait irq softirq steal ..."), in USER_HZ ticks, as nanoseconds. Read
 * twice a run by the orchestrator, never by a worker.
 */
#include "core/engine/steal.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

unsigned steal_read(uint64_t *ns, unsigned ncpu)
{
	char line[512];
	unsigned got = 0;
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f = fopen("/proc/stat", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned cpu;
		unsigned long long v[8];
		/* "cpuN", not the total line "cpu " (nor a piece of a long one) */
		if (strncmp(line, "cpu", 3) != 0 || line[3] < '0' || line[3] > '9')
			continue;
		if (sscanf(line, "cpu%u %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &v[0],
			   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 9 ||
		    cpu >= ncpu || hz <= 0)
			continue; /* a kernel without the steal column */
		ns[cpu] = (uint64_t)v[7] * (1000000000u / (uint64_t)hz);
		got++;
	}
	fclose(f);
	return got;
}
