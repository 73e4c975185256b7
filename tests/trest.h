/*
 * trest: a REST service that is not the reference server, for the suite
 * configuration tests: other routes, another status vocabulary, other
 * field names, ranges that end exclusively, no MCP endpoint, and an
 * OpenAPI document as FastAPI serves one. On 127.0.0.1 only.
 *
 *   GET   /api/v2/queue/claim       200 {"ticket":{"key":K,"state":"OPEN"}}, 409 when none
 *   GET   /api/v2/tickets/K         200 {"ticket":{"key":K,"state":S}}
 *   PATCH /api/v2/tickets/K         {"state":"WORKING"|"DONE"|"OPEN"} 204; else 422
 *   POST  /api/v2/queue/reset       200 {"reopened":N}: every ticket OPEN again
 *   POST  /api/v2/blocks            {"size":N} 201 {"block":{"first":F,"stop":F+N}}
 *   GET   /openapi.json             the routes above
 *   anything else                   404 {"detail":"Not Found"}
 */
#ifndef MCPL_TESTS_TREST_H
#define MCPL_TESTS_TREST_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define TREST_TICKETS 4096

struct trest {
	int fd;
	uint16_t port;
	_Atomic bool stop;
	pthread_mutex_t lock;		    /* the tickets and the next block */
	unsigned char state[TREST_TICKETS]; /* 0 OPEN, 1 WORKING, 2 DONE */
	unsigned next_claim;
	int64_t next_id;
	_Atomic unsigned long claims, patches, bad_states, resets, blocks, others;
};

/* Listen on an ephemeral 127.0.0.1 port and serve in the background. */
bool trest_start(struct trest *s);

/* Tickets not OPEN now. */
unsigned trest_taken(struct trest *s);

#endif
