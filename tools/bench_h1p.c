/*
 * bench_h1p: ns per response for the HTTP/1.1 parser on nginx's real
 * response to GET /small (242 bytes, head of 142), no sink, as the engine's
 * hot path uses it. Run by `make bench`; pin it: taskset -c 0.
 */
#include <stdio.h>
#include <string.h>

#include "core/engine/clock.h"
#include "protocol/h1p.h"

static const char response[] = "HTTP/1.1 200 OK\r\nServer: nginx\r\n"
			       "Date: Sun, 22 Nov 2026 14:56:22 GMT\r\n"
			       "Content-Type: text/plain\r\nContent-Length: 100\r\n"
			       "Connection: keep-alive\r\n\r\n"
			       "anchors-small-body-0123456789abcdefghijklmnopqrstuvwxyz-"
			       "ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789-vwxyz\n";

int main(void)
{
	const long n = 5000000;
	long ok = 0;
	struct h1p st;
	uint64_t t0 = clock_now_ns();
	for (long i = 0; i < n; i++) {
		h1p_reset(&st, false);
		ok += h1p_feed(&st, response, sizeof(response) - 1, NULL) ==
		      (ssize_t)(sizeof(response) - 1);
	}
	uint64_t t1 = clock_now_ns();
	printf("h1p: %.1f ns per %zu-byte response (%ld of %ld parsed)\n",
	       (double)(t1 - t0) / (double)n, sizeof(response) - 1, ok, n);
	return ok == n ? 0 : 1;
}
