/*
 * vreq: render a virtual user's request for one plan step into u->req.
 */
#ifndef MCPL_CORE_USERS_VREQ_H
#define MCPL_CORE_USERS_VREQ_H

#include <sys/types.h>

#include "core/users/vu.h"
#include "scenarios/plan.h"

struct worker;

/* The request bytes of step ps for user u (head, Content-Length, body) in
 * u->req; a fresh JSON-RPC id is taken. Returns the length, or -ENOENT (a
 * variable is unset) / -ENOSPC (it does not fit plan.req_cap). */
ssize_t vreq_render(struct worker *w, struct vu *u, const struct plan_step *ps);

#endif
