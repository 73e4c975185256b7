/*
 * tq: timeout queue. All entries of one queue share one duration (connect
 * timeout, request timeout, retry delay), so deadlines arrive in insertion
 * order and an intrusive FIFO is a complete timer: O(1) add, remove and
 * expiry, no allocation, the node embedded in the connection. A node whose
 * time started earlier (tq_add_since) is placed by its deadline.
 */
#ifndef MCPL_CORE_ENGINE_TQ_H
#define MCPL_CORE_ENGINE_TQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tq_node {
	struct tq_node *prev, *next; /* NULL when not queued */
	uint64_t deadline_ns;
	struct tq *owner;
};

struct tq {
	struct tq_node *head, *tail;
	uint64_t duration_ns;
};

static inline void tq_remove(struct tq_node *n)
{
	struct tq *q = n->owner;
	if (!q)
		return;
	if (n->prev)
		n->prev->next = n->next;
	else
		q->head = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		q->tail = n->prev;
	n->prev = n->next = NULL;
	n->owner = NULL;
}

/* Queue n (removing it from any queue first) to expire at start_ns + duration. */
static inline void tq_add(struct tq *q, struct tq_node *n, uint64_t start_ns)
{
	tq_remove(n);
	n->deadline_ns = start_ns + q->duration_ns;
	n->owner = q;
	n->prev = q->tail;
	n->next = NULL;
	if (q->tail)
		q->tail->next = n;
	else
		q->head = n;
	q->tail = n;
}

/* Queue n to expire at start_ns + duration where start_ns may lie in the
 * past: placed by its deadline, searched from the tail (nodes queued since
 * start_ns are the only ones it can precede). */
static inline void tq_add_since(struct tq *q, struct tq_node *n, uint64_t start_ns)
{
	struct tq_node *after;
	tq_remove(n);
	n->deadline_ns = start_ns + q->duration_ns;
	n->owner = q;
	for (after = q->tail; after && after->deadline_ns > n->deadline_ns; after = after->prev)
		;
	n->prev = after;
	n->next = after ? after->next : q->head;
	if (n->next)
		n->next->prev = n;
	else
		q->tail = n;
	if (after)
		after->next = n;
	else
		q->head = n;
}

/* The first node whose deadline is <= now_ns, or NULL. The caller removes it. */
static inline struct tq_node *tq_expired(const struct tq *q, uint64_t now_ns)
{
	return q->head && q->head->deadline_ns <= now_ns ? q->head : NULL;
}

/* Earliest deadline, or UINT64_MAX when empty. */
static inline uint64_t tq_next_ns(const struct tq *q)
{
	return q->head ? q->head->deadline_ns : UINT64_MAX;
}

#endif
