/*
 * test_tq: the timeout queues. Nodes of one duration expire in insertion
 * order; a node whose time started earlier (tq_add_since, the request
 * deadline armed at a response's first partial read) takes its place by
 * deadline, and a queue stays a well-formed list through adds and removes.
 */
#include <stdint.h>

#include "core/engine/tq.h"
#include "tests/t.h"

/* The queue's deadlines in order, and its links both ways intact. */
static unsigned walk(const struct tq *q, uint64_t *out, unsigned cap)
{
	unsigned n = 0;
	const struct tq_node *prev = NULL;
	for (const struct tq_node *p = q->head; p && n < cap; p = p->next) {
		CHECK(p->prev == prev);
		CHECK(p->owner == q);
		out[n++] = p->deadline_ns;
		prev = p;
	}
	CHECK(q->tail == prev);
	return n;
}

static void test_fifo(void)
{
	struct tq q = {.duration_ns = 100};
	struct tq_node a = {0}, b = {0}, c = {0};
	uint64_t d[4];
	tq_add(&q, &a, 0);
	tq_add(&q, &b, 10);
	tq_add(&q, &c, 20);
	CHECK_INT(walk(&q, d, 4), 3);
	CHECK_INT(tq_next_ns(&q), 100);
	CHECK(tq_expired(&q, 99) == NULL);
	CHECK(tq_expired(&q, 100) == &a);
	tq_add(&q, &a, 30); /* re-armed: to the tail */
	CHECK_INT(walk(&q, d, 4), 3);
	CHECK_INT(d[0], 110);
	CHECK_INT(d[2], 130);
	tq_remove(&b);
	tq_remove(&b); /* removing twice is harmless */
	CHECK(b.owner == NULL);
	CHECK_INT(walk(&q, d, 4), 2);
	CHECK_INT(d[0], 120);
}

static void test_since(void)
{
	struct tq q = {.duration_ns = 1000};
	struct tq_node n[6] = {{0}};
	uint64_t d[8];
	tq_add(&q, &n[0], 100);	      /* 1100 */
	tq_add(&q, &n[1], 200);	      /* 1200 */
	tq_add_since(&q, &n[2], 150); /* 1150: between them */
	tq_add_since(&q, &n[3], 50);  /* 1050: the new head */
	tq_add_since(&q, &n[4], 300); /* 1300: the new tail */
	tq_add_since(&q, &n[5], 200); /* 1200: after its equal, in order */
	CHECK_INT(walk(&q, d, 8), 6);
	static const uint64_t want[] = {1050, 1100, 1150, 1200, 1200, 1300};
	for (unsigned i = 0; i < 6; i++)
		CHECK_INT(d[i], want[i]);
	CHECK(q.head == &n[3]);
	CHECK(q.tail == &n[4]);
	CHECK(q.head->next->next->next->next == &n[5]);
	tq_remove(&n[3]);
	tq_remove(&n[4]);
	CHECK_INT(walk(&q, d, 8), 4);
	CHECK_INT(d[0], 1100);
	CHECK_INT(d[3], 1200);
	tq_add_since(&q, &n[0], 0); /* moved within the queue */
	CHECK(q.head == &n[0]);
	CHECK_INT(walk(&q, d, 8), 4);
}

int main(void)
{
	test_fifo();
	test_since();
	T_DONE();
}
