/*
 * fixed: the request source of `mcpload http`: one prebuilt request, the
 * same bytes on every connection, again and again (closed loop) or once per
 * arrival (open loop).
 */
#ifndef MCPL_CORE_ENGINE_FIXED_H
#define MCPL_CORE_ENGINE_FIXED_H

#include <stddef.h>

#include "core/engine/src.h"

/* cfg->src_arg of fixed_src: the request bytes, owned by the caller for the
 * whole run. */
struct fixed_req {
	const char *bytes;
	size_t len;
};

extern const struct src_ops fixed_src;

#endif
