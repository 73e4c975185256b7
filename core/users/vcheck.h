/*
 * vcheck: what a virtual user reads from a complete response: the step's
 * expectations (status, contains, json_has), its captures into the user's
 * variables, and the values a post-run check gathers. Split from vstep.c,
 * which decides what is sent when.
 */
#ifndef MCPL_CORE_USERS_VCHECK_H
#define MCPL_CORE_USERS_VCHECK_H

#include <stdbool.h>
#include <stddef.h>

struct worker;
struct vu;
struct plan_step;

/* Expected status (scn_step.status): 0 (the default) 2xx, SCN_STATUS_ANY
 * any below 400, 1..5 a class (4 is 4xx), else exact. */
bool vcheck_status_ok(unsigned want, unsigned got);

/* "2xx", "200", "a status below 400": what want expects, into buf. */
void vcheck_status_text(unsigned want, char *buf, size_t cap);

/* Expectations and captures of ps on u's response body. Returns false when
 * one failed (a failed capture leaves its variable unset and is counted),
 * with what failed in why (cap bytes). */
bool vcheck_inspect(struct worker *w, struct vu *u, const struct plan_step *ps, char *why,
		    size_t cap);

/* Gather the values of check `check` from u's response (unreadable ones
 * and overflow counted). Returns false when the response does not hold
 * them (a truncated or other body): the step did not succeed. */
bool vcheck_gather(struct worker *w, struct vu *u, int check);

#endif
