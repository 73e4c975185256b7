/*
 * srv: the target's HTTP/1.1 server engine. One thread per CPU, each with
 * its own SO_REUSEPORT listener and epoll set; connections stay on the
 * thread that accepted them. A response that must wait (delay, stall,
 * capacity) is held in a per-thread min-heap; the connection reads nothing
 * more until it has left, so requests on one connection are answered in order.
 */
#ifndef MCPL_TARGET_SRV_H
#define MCPL_TARGET_SRV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "tools/target/fault.h"

struct srv_cfg {
	struct sockaddr_storage addr; /* where to listen */
	socklen_t addr_len;
	unsigned threads;
	struct fault_cfg faults;
	uint64_t origin_ns; /* start: stall windows count from here */
};

/*
 * Bind every thread's listener (so a bad address fails before anything
 * runs), then serve until srv_stop(). *port_out: the port actually bound
 * (for port 0). Returns 0, or -errno with *why naming the step.
 */
int srv_run(const struct srv_cfg *cfg, uint16_t *port_out, void (*on_listening)(uint16_t port),
	    const char **why);

/* Async-signal-safe: ask every thread to stop. */
void srv_stop(void);

#endif
