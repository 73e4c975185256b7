/*
 * Request-head parser tests: accepted requests with their fields, every
 * refusal with its reason, and resumption: every prefix of a valid head is
 * AGAIN, never an error or a shorter head.
 */
#include "protocol/h1q.h"
#include "tests/t.h"

struct ok_case {
	const char *in;
	const char *method, *target;
	unsigned minor;
	int keep_alive, chunked;
	unsigned long long length;
	unsigned headers;
};

static const struct ok_case oks[] = {
    {"GET /tasks/next HTTP/1.1\r\nHost: a\r\n\r\n", "GET", "/tasks/next", 1, 1, 0, 0, 1},
    {"PUT /tasks/7/status HTTP/1.1\r\nHost: a:8000\r\nContent-Type: application/json\r\n"
     "Content-Length: 18\r\n\r\n",
     "PUT", "/tasks/7/status", 1, 1, 0, 18, 3},
    {"POST /mcp HTTP/1.1\r\nhost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
     "POST", "/mcp", 1, 0, 1, 0, 3},
    {"\r\nGET / HTTP/1.0\nConnection: keep-alive\n\n", "GET", "/", 0, 1, 0, 0, 1},
    {"GET / HTTP/1.0\r\n\r\n", "GET", "/", 0, 0, 0, 0, 0},
    {"DELETE /mcp?x=1 HTTP/1.1\r\nHost: h\r\nX-Sp:  v  \r\n\r\n", "DELETE", "/mcp?x=1", 1, 1, 0, 0,
     2},
};

struct bad_case {
	const char *in;
	enum h1q_err err;
};

static const struct bad_case bads[] = {
    {"G(T / HTTP/1.1\r\nHost: a\r\n\r\n", H1Q_ERR_METHOD},
    {"GET  HTTP/1.1\r\nHost: a\r\n\r\n", H1Q_ERR_TARGET},
    {"GET / HTTP/2.0\r\nHost: a\r\n\r\n", H1Q_ERR_VERSION},
    {"GET / HTTP/1.1 \r\nHost: a\r\n\r\n", H1Q_ERR_VERSION},
    {"GET / HTTP/1.1\r\nHo st: a\r\n\r\n", H1Q_ERR_HEADER_NAME},
    {"GET / HTTP/1.1\r\nHost : a\r\n\r\n", H1Q_ERR_HEADER_NAME},
    {"GET / HTTP/1.1\r\nHost: a\r\nX: a\x01z\r\n\r\n", H1Q_ERR_HEADER_VALUE},
    {"GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", H1Q_ERR_LINE_ENDING},
    {"GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n", H1Q_ERR_OBS_FOLD},
    {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
     H1Q_ERR_CONTENT_LENGTH},
    {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n", H1Q_ERR_CONTENT_LENGTH},
    {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
     H1Q_ERR_TRANSFER_ENCODING},
    {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", H1Q_ERR_TRANSFER_ENCODING},
    {"GET / HTTP/1.1\r\n\r\n", H1Q_ERR_HOST},
    {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", H1Q_ERR_HOST},
};

static void test_ok(void)
{
	struct h1q_req r;
	for (size_t i = 0; i < sizeof(oks) / sizeof(oks[0]); i++) {
		const struct ok_case *c = &oks[i];
		size_t n = strlen(c->in);
		ssize_t got = h1q_parse(c->in, n, &r);
		if (got != (ssize_t)n)
			fprintf(stderr, "case %zu: %zd (%s)\n", i, got, h1q_err_str(r.err));
		CHECK_INT(got, n);
		CHECK_MEM(r.method.ptr, r.method.len, c->method, strlen(c->method));
		CHECK_MEM(r.target.ptr, r.target.len, c->target, strlen(c->target));
		CHECK_INT(r.version_minor, c->minor);
		CHECK_INT(r.keep_alive, c->keep_alive);
		CHECK_INT(r.chunked, c->chunked);
		CHECK_INT(r.content_length, c->length);
		CHECK_INT(r.header_count, c->headers);
		unsigned wrong = 0;
		for (size_t k = 0; k < n; k++) {
			ssize_t p = h1q_parse(c->in, k, &r);
			wrong += p != H1Q_AGAIN;
		}
		CHECK_INT(wrong, 0);
	}
	/* a body and the next request after the head are not the head's */
	static const char two[] = "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhiGET";
	CHECK_INT(h1q_parse(two, sizeof(two) - 1, &r), sizeof(two) - 1 - 5);
	const struct h1q_header *h = h1q_find(&r, "content-length");
	CHECK(h && h->value.len == 1 && h->value.ptr[0] == '2');
	CHECK(h1q_find(&r, "X-Missing") == NULL);
	CHECK_INT(h1q_parse(oks[5].in, strlen(oks[5].in), &r), strlen(oks[5].in));
	h = h1q_find(&r, "x-sp");
	CHECK(h && h->value.len == 1 && h->value.ptr[0] == 'v');
}

static void test_bad(void)
{
	struct h1q_req r;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		ssize_t got = h1q_parse(bads[i].in, strlen(bads[i].in), &r);
		if (got != H1Q_ERROR || r.err != bads[i].err)
			fprintf(stderr, "bad case %zu: %zd, %s (want %s)\n", i, got,
				h1q_err_str(r.err), h1q_err_str(bads[i].err));
		CHECK_INT(got, H1Q_ERROR);
		CHECK_INT(r.err, bads[i].err);
	}
	static char big[LIM_HEAD_BYTES + 64];
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	memset(big + 19, 'a', sizeof(big) - 19);
	CHECK_INT(h1q_parse(big, sizeof(big), &r), H1Q_ERROR);
	CHECK_INT(r.err, H1Q_ERR_HEAD_TOO_LONG);
	CHECK_INT(h1q_parse(big, 1000, &r), H1Q_AGAIN);
	CHECK_STR(h1q_err_str((enum h1q_err)99), "unknown error");
}

int main(void)
{
	test_ok();
	test_bad();
	T_DONE();
}
