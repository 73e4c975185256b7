/*
 * awake: the spinners of --keep-awake. Each pins itself to its CPU, drops
 * to SCHED_IDLE (it runs only when nothing else there wants to), and spins
 * until awake_stop; its CPU time is kept apart
 * so the client's own figures leave it out.
 */
#include "core/engine/awake.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

#include "core/engine/clock.h"

static void *spin(void *arg)
{
	struct awake_spinner *s = arg;
	struct sched_param none = {0};
	cpu_set_t one;
	pthread_setname_np(pthread_self(), AWAKE_THREAD_NAME);
	CPU_ZERO(&one);
	CPU_SET(s->cpu, &one);
	/* a spinner that could not be pinned or lowered would compete with
	 * the worker: it ends at once instead */
	if (sched_setaffinity(0, sizeof(one), &one) == 0 &&
	    sched_setscheduler(0, SCHED_IDLE, &none) == 0) {
		atomic_fetch_add(&s->owner->spun, 1);
		/* no pause instruction: a hypervisor takes a run of them for
		 * a vCPU spinning on a lock and hands its CPU to another guest
		 * (pause-loop exiting), the very thing this is to prevent */
		while (!atomic_load_explicit(&s->owner->stop, memory_order_relaxed))
			;
	}
	atomic_fetch_add(&s->owner->cpu_ns, clock_thread_cpu_ns());
	return NULL;
}

static bool seen(const struct awake *a, int cpu)
{
	for (unsigned i = 0; i < a->n; i++)
		if (a->spinners[i].cpu == cpu)
			return true;
	return false;
}

int awake_start(struct awake *a, const int *cpus, unsigned n)
{
	a->n = 0;
	atomic_store(&a->spun, 0);
	atomic_store(&a->stop, false);
	atomic_store(&a->cpu_ns, 0);
	a->spinners = calloc(n ? n : 1, sizeof(*a->spinners));
	if (!a->spinners)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		if (cpus[i] < 0 || cpus[i] >= AWAKE_MAX_CPUS || seen(a, cpus[i]))
			continue;
		struct awake_spinner *s = &a->spinners[a->n];
		s->cpu = cpus[i];
		s->owner = a;
		int err = pthread_create(&s->thread, NULL, spin, s);
		if (err) {
			awake_stop(a, NULL);
			return -err;
		}
		a->n++;
	}
	return 0;
}

uint64_t awake_stop(struct awake *a, unsigned *spun)
{
	atomic_store(&a->stop, true);
	for (unsigned i = 0; i < a->n; i++)
		pthread_join(a->spinners[i].thread, NULL);
	if (spun)
		*spun = atomic_load(&a->spun);
	free(a->spinners);
	a->spinners = NULL;
	a->n = 0;
	return atomic_load(&a->cpu_ns);
}
