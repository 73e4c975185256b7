/*
 * store: the target's in-memory data, shared by all server threads: the
 * Task Tracking tasks (1,000 seeded) and the ID registry (500 seeded
 * entries), as the seeds' staging database has them. One lock; the target
 * is a reference server, not the system under test of its own benchmarks.
 */
#ifndef MCPL_TARGET_STORE_H
#define MCPL_TARGET_STORE_H

#include <stdbool.h>
#include <stdint.h>

#define STORE_TASKS	 1000u
#define STORE_SEEDED_IDS 500u
#define STORE_ID_TYPES	 8u

enum store_status {
	STATUS_PENDING,
	STATUS_IN_PROGRESS,
	STATUS_DONE,
	STATUS_BLOCKED,
	STATUS__COUNT
};

/* A task's title, from its id (printf format taking the unsigned id). */
#define STORE_TASK_TITLE "Task %u of the SDLC backlog"

struct store_task {
	unsigned id; /* 1..STORE_TASKS, shown as TASK-0001 */
	enum store_status status;
	bool handed_out; /* given by get_next_task since start */
	uint64_t version;
};

/* Create the store (seeded, deterministic). collisions: reserve ranges with
 * an unlocked read-then-write, so concurrent reservations overlap (the
 * --bug id-collisions fault). Returns 0 or -ENOMEM. */
int store_init(bool collisions);

/* Hand out the next pending task (marking it in progress). When none is
 * pending, finished tasks return to pending, and if none is finished the
 * claimed ones do (taken as abandoned), so a long load test never runs dry.
 * Returns false only when every task is blocked. */
bool store_next_task(struct store_task *out);

/* Look up / update a task. Returns false for an unknown id. On update,
 * *was_handed_out says whether get_next_task had given it out. */
bool store_get_task(unsigned id, struct store_task *out);
bool store_set_status(unsigned id, enum store_status st, struct store_task *out,
		      bool *was_handed_out);

/* Reserve count (1..1000) contiguous ids for an artifact type (letters,
 * 1..15 chars). Returns 0 with [*first, *first + count - 1], -EINVAL for a
 * bad type or count, -ENOSPC when the type table is full. */
int store_reserve(const char *type, unsigned count, uint64_t *first);

/* The registry's i-th artifact type (0, 1, ... in the order first seen: the
 * seeded PRD, EPIC, HLS, US, TASK first): its name and the next id it will
 * hand out, so ids 1..*next - 1 are taken. Returns false past the last. */
bool store_id_type(unsigned i, char name[16], uint64_t *next);

/* Counters for /metrics and tests. */
uint64_t store_updates_of_unissued(void);

const char *store_status_name(enum store_status st);
/* Parse "pending" | "in_progress" | "done" | "blocked". Returns -1 if none. */
int store_status_parse(const char *s, unsigned len);

#endif
