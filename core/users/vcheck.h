/*
 * vcheck: what a virtual user reads from a complete response: the step's
 * expectations (status, contains, json_has), its captures into the user's
 * variables, and the values a post-run check gathers. Split from vstep.c,
 * which decides what is sent when.
 */
#ifndef MCPL_CORE_USERS_VCHECK_H
#define MCPL_CORE_USERS_VCHECK_H

#include <stdbool.h>

struct worker;
struct vu;
struct plan_step;

/* Expected status: 0 any below 400, 1..5 a class (2 is 2xx), else exact. */
bool vcheck_status_ok(unsigned want, unsigned got);

/* Expectations and captures of ps on u's response body. Returns false when
 * one failed (a failed capture leaves its variable unset and is counted). */
bool vcheck_inspect(struct worker *w, struct vu *u, const struct plan_step *ps);

/* Gather the values of check `check` from u's response (unreadable ones
 * and overflow counted). */
void vcheck_gather(struct worker *w, struct vu *u, int check);

#endif
