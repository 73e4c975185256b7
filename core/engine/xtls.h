/*
 * xtls: the TLS transport (xport.h) over BearSSL's buffer engine, driven by
 * the worker's io_uring completions: records are received straight into the
 * engine's input buffer and sent straight from its output buffer, never
 * through BearSSL's blocking I/O wrapper. Contexts and buffers come from
 * one allocation per worker at its start (XTLS_CONN_BYTES a connection).
 */
#ifndef MCPL_CORE_ENGINE_XTLS_H
#define MCPL_CORE_ENGINE_XTLS_H

#include "core/engine/xport.h"

extern const struct xport_ops xtls_ops;

/* Memory of one connection's TLS state, contexts and buffers included. */
extern const size_t XTLS_CONN_BYTES;

#endif
