/*
 * xtcp: the plain TCP transport (xport.h): ready once connected, each
 * request one send from the ring's send template, each read straight to
 * the connection's parser.
 */
#ifndef MCPL_CORE_ENGINE_XTCP_H
#define MCPL_CORE_ENGINE_XTCP_H

#include "core/engine/xport.h"

extern const struct xport_ops xport_tcp;

#endif
