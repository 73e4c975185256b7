/*
 * awake: keeps the workers' CPUs from idling (--keep-awake). On a virtual
 * machine an idle CPU halts and is handed back to the host; every wake-up
 * (a timer, a response) then waits until the host runs it again: the
 * hypervisor's steal, late sends. A spinning thread of the lowest priority
 * (SCHED_IDLE) on each worker's CPU keeps it running without taking any
 * time the worker wants.
 */
#ifndef MCPL_CORE_ENGINE_AWAKE_H
#define MCPL_CORE_ENGINE_AWAKE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define AWAKE_MAX_CPUS	  1024
#define AWAKE_THREAD_NAME "mcpload-awake" /* at most 15 characters */

struct awake_spinner {
	int cpu;
	pthread_t thread;
	struct awake *owner;
};

struct awake {
	unsigned n;			/* spinners started */
	_Atomic unsigned spun;		/* of them, those pinned and lowered that spun */
	_Atomic bool stop;		/* set by awake_stop */
	_Atomic uint64_t cpu_ns;	/* the spinners' own CPU time, added as each ends */
	struct awake_spinner *spinners; /* owned */
};

/* One spinner on each distinct CPU of cpus[0..n) (negative ones: a worker
 * not pinned, skipped). Returns 0 or -errno (nothing left running then). */
int awake_start(struct awake *a, const int *cpus, unsigned n);

/* Stop and join the spinners; returns the CPU time they used (ns), which
 * is not the client's work, and *spun (unless NULL) the CPUs they really
 * kept awake (a spinner that could not pin or lower itself ends at once).
 * Safe on a zeroed struct. */
uint64_t awake_stop(struct awake *a, unsigned *spun);

#endif
