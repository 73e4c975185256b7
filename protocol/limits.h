/*
 * Every compile-time limit of mcpload in one place, each with its reason.
 * Runtime knobs (connections, timeouts) live in struct cfg; these are the
 * bounds that size memory or protect against hostile peers.
 */
#ifndef MCPL_PROTOCOL_LIMITS_H
#define MCPL_PROTOCOL_LIMITS_H

/* Status line: "HTTP/1.1 200 " plus a reason phrase. Real servers send < 64
 * bytes; 8 KiB matches common server-side request-line limits. */
#define LIM_STATUS_LINE_BYTES 8192u

/* Whole response head (status line + headers). nginx and Node default to
 * 8-16 KiB for requests; responses with large cookies rarely pass 32 KiB. */
#define LIM_HEAD_BYTES 65536u

/* Header fields in one response (or trailer section). Node's default is 2000
 * for requests; 256 is far beyond any real response and bounds the work. */
#define LIM_HEADER_COUNT 256u

/* A header name longer than this cannot be one the parser interprets, so
 * only this much of it is kept (lower-cased) for matching. */
#define LIM_HEADER_NAME_KEEP 48u

/* Hex digits in a chunk size: 16 digits overflow uint64; real chunks are < 2^32. */
#define LIM_CHUNK_SIZE_DIGITS 15u

/* Request bytes prebuilt per worker (request line + headers + body). */
#define LIM_REQUEST_BYTES (1u << 20)

/* Threads: one per core; more than this is a mistake on any box we target. */
#define LIM_THREADS 256u

/* Connections per process: fixed-file table and user_data index width. */
#define LIM_CONNECTIONS (1u << 20)

/* User-supplied -H headers. */
#define LIM_USER_HEADERS 64u

/* Provided-buffer ring: bytes of receive buffers per worker. Shared by all of
 * a worker's connections, so 10k connections do not need 10k buffers. */
#define LIM_RECV_POOL_BYTES (16u << 20)

/* Bounds on one receive buffer and on the ring's entry count (a power of two
 * the kernel accepts, at most 32768). */
#define LIM_RECV_BUF_MIN  4096u
#define LIM_RECV_BUF_MAX  65536u
#define LIM_RECV_BUFS_MIN 256u
#define LIM_RECV_BUFS_MAX 4096u

/* Status codes counted one by one; anything else is "other". */
#define LIM_STATUS_CODES 600u

#endif
