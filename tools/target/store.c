/*
 * store: tasks and ID ranges behind one mutex. Reservations are atomic
 * (checked and advanced under the lock) unless the collision bug is on:
 * then every second reservation's update is lost, which is what the
 * lost-update race a real registry must not have does, on every run.
 */
#include "tools/target/store.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct id_type {
	char name[16];
	uint64_t next;	/* next free id */
	bool lose_next; /* the collision bug: the next update is lost */
};

static struct {
	pthread_mutex_t lock;
	struct store_task tasks[STORE_TASKS];
	unsigned cursor; /* where get_next_task looks first */
	struct id_type types[STORE_ID_TYPES];
	unsigned ntypes;
	bool collisions;
	uint64_t unissued_updates;
} db = {.lock = PTHREAD_MUTEX_INITIALIZER};

static const char *const status_names[] = {"pending", "in_progress", "done", "blocked"};

/* The seeded registry: 500 entries spread over the usual artifact types. */
static const char *const seeded_types[] = {"PRD", "EPIC", "HLS", "US", "TASK"};

int store_init(bool collisions)
{
	pthread_mutex_lock(&db.lock);
	db.collisions = collisions;
	for (unsigned i = 0; i < STORE_TASKS; i++) {
		/* deterministic mix: a quarter already done, one in twenty blocked
		 * (every tenth that is not already done) */
		db.tasks[i] = (struct store_task){.id = i + 1,
						  .status = i % 4 == 3	  ? STATUS_DONE
							    : i % 10 == 9 ? STATUS_BLOCKED
									  : STATUS_PENDING};
	}
	db.ntypes = sizeof(seeded_types) / sizeof(seeded_types[0]);
	for (unsigned t = 0; t < db.ntypes; t++) {
		strcpy(db.types[t].name, seeded_types[t]);
		db.types[t].next = STORE_SEEDED_IDS / db.ntypes + 1;
	}
	pthread_mutex_unlock(&db.lock);
	return 0;
}

bool store_next_task(struct store_task *out)
{
	bool found = false;
	pthread_mutex_lock(&db.lock);
	for (int pass = 0; pass < 2 && !found; pass++) {
		for (unsigned k = 0; k < STORE_TASKS; k++) {
			struct store_task *t = &db.tasks[(db.cursor + k) % STORE_TASKS];
			if (t->status != STATUS_PENDING)
				continue;
			t->status = STATUS_IN_PROGRESS;
			t->handed_out = true;
			t->version++;
			db.cursor = (unsigned)(t - db.tasks + 1) % STORE_TASKS;
			*out = *t;
			found = true;
			break;
		}
		if (!found) {
			/* Nothing pending: finished tasks come back; and if none is
			 * finished either, claims are taken as abandoned. A load test
			 * that never reports status still gets tasks. */
			unsigned back = 0;
			for (unsigned k = 0; k < STORE_TASKS; k++) {
				if (db.tasks[k].status == STATUS_DONE) {
					db.tasks[k].status = STATUS_PENDING;
					back++;
				}
			}
			for (unsigned k = 0; !back && k < STORE_TASKS; k++) {
				if (db.tasks[k].status == STATUS_IN_PROGRESS)
					db.tasks[k].status = STATUS_PENDING;
			}
		}
	}
	pthread_mutex_unlock(&db.lock);
	return found;
}

bool store_get_task(unsigned id, struct store_task *out)
{
	if (id < 1 || id > STORE_TASKS)
		return false;
	pthread_mutex_lock(&db.lock);
	*out = db.tasks[id - 1];
	pthread_mutex_unlock(&db.lock);
	return true;
}

bool store_set_status(unsigned id, enum store_status st, struct store_task *out,
		      bool *was_handed_out)
{
	if (id < 1 || id > STORE_TASKS || st >= STATUS__COUNT)
		return false;
	pthread_mutex_lock(&db.lock);
	struct store_task *t = &db.tasks[id - 1];
	*was_handed_out = t->handed_out;
	if (!t->handed_out)
		db.unissued_updates++;
	t->status = st;
	t->version++;
	*out = *t;
	pthread_mutex_unlock(&db.lock);
	return true;
}

static struct id_type *find_type(const char *type, bool create)
{
	for (unsigned t = 0; t < db.ntypes; t++) {
		if (strcmp(db.types[t].name, type) == 0)
			return &db.types[t];
	}
	if (!create || db.ntypes == STORE_ID_TYPES)
		return NULL;
	struct id_type *n = &db.types[db.ntypes++];
	strcpy(n->name, type);
	n->next = 1;
	return n;
}

int store_reserve(const char *type, unsigned count, uint64_t *first)
{
	size_t len = strlen(type);
	if (len == 0 || len >= sizeof(db.types[0].name) || count < 1 || count > 1000)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (!((type[i] >= 'A' && type[i] <= 'Z') || (type[i] >= 'a' && type[i] <= 'z')))
			return -EINVAL;
	}
	pthread_mutex_lock(&db.lock);
	struct id_type *t = find_type(type, true);
	if (!t) {
		pthread_mutex_unlock(&db.lock);
		return -ENOSPC;
	}
	*first = t->next;
	/* The bug, as a read-modify-write race leaves it but on every second
	 * reservation, not when the scheduler happens to interleave two: that
	 * one's update is lost, so the next gets the same range. */
	if (!db.collisions || !t->lose_next)
		t->next += count;
	if (db.collisions)
		t->lose_next = !t->lose_next;
	pthread_mutex_unlock(&db.lock);
	return 0;
}

bool store_id_type(unsigned i, char name[16], uint64_t *next)
{
	bool found = false;
	pthread_mutex_lock(&db.lock);
	if (i < db.ntypes) {
		memcpy(name, db.types[i].name, sizeof(db.types[i].name));
		*next = __atomic_load_n(&db.types[i].next, __ATOMIC_RELAXED);
		found = true;
	}
	pthread_mutex_unlock(&db.lock);
	return found;
}

uint64_t store_updates_of_unissued(void)
{
	pthread_mutex_lock(&db.lock);
	uint64_t n = db.unissued_updates;
	pthread_mutex_unlock(&db.lock);
	return n;
}

const char *store_status_name(enum store_status st)
{
	return (unsigned)st < STATUS__COUNT ? status_names[st] : "unknown";
}

int store_status_parse(const char *s, unsigned len)
{
	for (unsigned i = 0; i < STATUS__COUNT; i++) {
		if (strlen(status_names[i]) == len && memcmp(s, status_names[i], len) == 0)
			return (int)i;
	}
	return -1;
}
