/*
 * res: the target's MCP resources (17: sdlc://core, patterns://python/...,
 * templates://...), deterministic generated markdown of realistic sizes,
 * behind a simulated cache: the first read of a resource, and any read after
 * the cache TTL, is a miss that costs the miss delay (disk, in the seeds'
 * system); other reads are hits served from memory.
 */
#ifndef MCPL_TARGET_RES_H
#define MCPL_TARGET_RES_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum res_type { RES_SDLC, RES_PATTERNS, RES_TEMPLATES, RES__TYPES };

struct res {
	const char *uri;  /* e.g. "patterns://python/testing" */
	const char *name; /* the last path part: "testing" */
	enum res_type type;
	const char *title;
	size_t size;		     /* bytes of markdown (approximate target) */
	const char *const *sections; /* templates: required "## " sections, NULL-ended */
	char *text;		     /* generated at start, owned */
	size_t len;
	_Atomic uint64_t loaded_ns; /* 0: never read; else when the cache was filled */
};

/* Generate every resource's text. Returns 0 or -ENOMEM. */
int res_init(void);

unsigned res_count(void);
struct res *res_at(unsigned i);

/* Look up by type and name ("core" for sdlc). NULL when unknown. */
struct res *res_find(enum res_type type, const char *name, size_t name_len);
struct res *res_find_uri(const char *uri, size_t len);

/* Take one read: true for a cache hit. A miss refills the cache entry. */
bool res_read_hits(struct res *r, uint64_t now_ns, uint64_t ttl_ns);

/* "sdlc" | "patterns" | "templates": the seeds' resource_type label. */
const char *res_type_name(enum res_type t);

#endif
