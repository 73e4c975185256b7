/*
 * steal: how long the hypervisor ran something else while a CPU of this
 * guest had work (the steal column of /proc/stat). A worker pinned to that
 * CPU lost the time without the guest's scheduler seeing it wait: its run
 * delay (schedstat) misses it, its timers fire late all the same.
 */
#ifndef MCPL_CORE_ENGINE_STEAL_H
#define MCPL_CORE_ENGINE_STEAL_H

#include <stdint.h>

/* Each CPU's steal so far in ns, into ns[cpu] for cpu < ncpu (CPUs not
 * listed are left alone). Returns how many CPUs were read: 0 where the
 * kernel does not say (no /proc, a kernel without the column). */
unsigned steal_read(uint64_t *ns, unsigned ncpu);

#endif
