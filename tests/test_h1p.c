/*
 * Parser tests: every fixture in tests/fixtures/h1p is replayed whole, one
 * byte at a time, and split at every point, and the event trace must equal
 * the fixture's expected trace each time. Plus generated cases for limits.
 *
 * Fixture format: a line ">>> input", then the bytes with C escapes (\r \n
 * \t \\ \xHH; the file's own newlines are ignored), then "<<< expect" and the
 * trace. Lines "option head" / "option eof" before ">>> input" set the
 * request method to HEAD / signal the peer's close after the input.
 */
#include <dirent.h>
#include <stdbool.h>

#include "protocol/h1p.h"
#include "tests/t.h"

struct trace {
	char text[16384];
	size_t len;
	char value[4096]; /* header value being assembled from fragments */
	size_t value_len;
	char body[4096];
	size_t body_len;
};

static void tr_printf(struct trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void tr_printf(struct trace *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->text + t->len, sizeof(t->text) - t->len, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(t->text) - t->len)
		t->len += (size_t)n;
}

static void on_header(void *ctx, const char *name, size_t name_len, const char *val, size_t len,
		      bool last)
{
	struct trace *t = ctx;
	if (t->value_len + len < sizeof(t->value)) {
		memcpy(t->value + t->value_len, val, len);
		t->value_len += len;
	}
	if (last) {
		tr_printf(t, "header %.*s: %.*s\n", (int)name_len, name, (int)t->value_len,
			  t->value);
		t->value_len = 0;
	}
}

static void on_body(void *ctx, const char *p, size_t len)
{
	struct trace *t = ctx;
	if (t->body_len + len <= sizeof(t->body)) {
		memcpy(t->body + t->body_len, p, len);
		t->body_len += len;
	}
}

/* Feed `in` in the given pieces; write the trace. */
static void run_parser(const char *in, size_t n, const size_t *cuts, size_t ncuts, bool head,
		       bool eof, struct trace *t, enum hvec_level level)
{
	struct h1p st;
	struct h1p_sink sink = {on_header, on_body, t};
	size_t pos = 0;
	ssize_t r = H1P_AGAIN;

	memset(t, 0, sizeof(*t));
	h1p_reset(&st, head);
	h1p_limit_vectors(&st, level);
	for (size_t i = 0; i <= ncuts && r == H1P_AGAIN; i++) {
		size_t stop = i < ncuts ? cuts[i] : n;
		/* a private copy per piece: spans must not outlive their buffer */
		char *piece = malloc(stop - pos + 1);
		memcpy(piece, in + pos, stop - pos);
		r = h1p_feed(&st, piece, stop - pos, &sink);
		free(piece);
		if (r >= 0)
			r = (ssize_t)(pos + (size_t)r);
		pos = stop;
	}
	if (r == H1P_AGAIN && eof)
		r = h1p_eof(&st) == 0 ? (ssize_t)n : H1P_ERROR;
	if (r == H1P_ERROR) {
#define NAME(name, text) #name,
		static const char *const names[] = {H1P_ERRORS(NAME)};
#undef NAME
		t->len = 0;
		tr_printf(t, "error %s\n", names[st.err]);
		return;
	}
	if (r == H1P_AGAIN) {
		t->len = 0;
		tr_printf(t, "incomplete\n");
		return;
	}
	tr_printf(t, "status %u\nversion 1.%u\nkeep_alive %d\nchunked %d\nbody_len %llu\n",
		  st.status, st.version_minor, st.keep_alive, st.chunked,
		  (unsigned long long)st.body_bytes);
	if (t->body_len)
		tr_printf(t, "body %.*s\n", (int)t->body_len, t->body);
	tr_printf(t, "rest %zu\n", n - (size_t)r);
}

static int unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return (c | 0x20) - 'a' + 10;
}

/* Parse a fixture; returns false when malformed. */
static bool load_fixture(const char *text, char *in, size_t *in_len, char *expect, bool *head,
			 bool *eof)
{
	const char *a = strstr(text, ">>> input\n"), *b = strstr(text, "<<< expect\n");
	if (!a || !b || b < a)
		return false;
	*head = strstr(text, "option head\n") && strstr(text, "option head\n") < a;
	*eof = strstr(text, "option eof\n") && strstr(text, "option eof\n") < a;
	size_t n = 0;
	for (const char *p = a + 10; p < b; p++) {
		if (*p == '\n')
			continue;
		if (*p != '\\') {
			in[n++] = *p;
			continue;
		}
		p++;
		switch (*p) {
		case 'r':
			in[n++] = '\r';
			break;
		case 'n':
			in[n++] = '\n';
			break;
		case 't':
			in[n++] = '\t';
			break;
		case 'x':
			in[n++] = (char)(unhex(p[1]) * 16 + unhex(p[2]));
			p += 2;
			break;
		default:
			in[n++] = *p;
		}
	}
	*in_len = n;
	strcpy(expect, b + 11);
	return true;
}

static void replay_fixture(const char *path)
{
	static char text[65536], in[65536], expect[16384];
	static struct trace t;
	FILE *f = fopen(path, "rb");
	size_t n, in_len;
	bool head, eof;

	if (!f) {
		CHECK(!"fixture opens");
		return;
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = 0;
	if (!load_fixture(text, in, &in_len, expect, &head, &eof)) {
		fprintf(stderr, "malformed fixture %s\n", path);
		CHECK(!"fixture well-formed");
		return;
	}
	/* whole, at every vector level the parser may run at */
	static const enum hvec_level levels[] = {HVEC_BEST, HVEC_SSE2, HVEC_NONE};
	for (unsigned l = 0; l < sizeof(levels) / sizeof(levels[0]); l++) {
		run_parser(in, in_len, NULL, 0, head, eof, &t, levels[l]);
		t.text[t.len] = 0;
		if (strcmp(t.text, expect) != 0)
			fprintf(stderr, "fixture %s, whole, vector level %d:\n", path, levels[l]);
		CHECK_STR(t.text, expect);
	}

	/* one byte at a time */
	size_t *cuts = malloc((in_len + 1) * sizeof(*cuts));
	for (size_t i = 0; i + 1 < in_len; i++)
		cuts[i] = i + 1;
	run_parser(in, in_len, cuts, in_len ? in_len - 1 : 0, head, eof, &t, HVEC_BEST);
	t.text[t.len] = 0;
	if (strcmp(t.text, expect) != 0)
		fprintf(stderr, "fixture %s, byte by byte:\n", path);
	CHECK_STR(t.text, expect);

	/* every single split point */
	unsigned bad = 0;
	for (size_t s = 0; s <= in_len; s++) {
		cuts[0] = s;
		run_parser(in, in_len, cuts, 1, head, eof, &t, HVEC_BEST);
		t.text[t.len] = 0;
		if (strcmp(t.text, expect) != 0 && bad++ == 0) {
			fprintf(stderr, "fixture %s, split at %zu:\n", path, s);
			CHECK_STR(t.text, expect);
		}
	}
	CHECK_INT(bad, 0);
	free(cuts);
}

static void test_fixtures(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1024];
	unsigned count = 0;

	CHECK(d != NULL);
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 5, ".test") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		replay_fixture(path);
		count++;
	}
	closedir(d);
	CHECK(count >= 30);
}

/* Build "HTTP/1.1 200 OK\r\n" + n headers of the given value size. */
static size_t build_head(char *buf, size_t cap, unsigned headers, size_t value_len)
{
	size_t n = (size_t)snprintf(buf, cap, "HTTP/1.1 200 OK\r\n");
	for (unsigned i = 0; i < headers; i++) {
		n += (size_t)snprintf(buf + n, cap - n, "X-H%u: ", i);
		memset(buf + n, 'v', value_len);
		n += value_len;
		n += (size_t)snprintf(buf + n, cap - n, "\r\n");
	}
	n += (size_t)snprintf(buf + n, cap - n, "Content-Length: 0\r\n\r\n");
	return n;
}

static void expect_result(const char *buf, size_t n, ssize_t want, enum h1p_err err)
{
	struct h1p st;
	h1p_reset(&st, false);
	ssize_t r = h1p_feed(&st, buf, n, NULL);
	CHECK_INT(r, want);
	if (want == H1P_ERROR)
		CHECK_STR(h1p_err_str(st.err), h1p_err_str(err));
	/* the same at one byte per call */
	h1p_reset(&st, false);
	r = H1P_AGAIN;
	for (size_t i = 0; i < n && r == H1P_AGAIN; i++)
		r = h1p_feed(&st, buf + i, 1, NULL);
	if (want >= 0)
		CHECK_INT(r, 1);
	else
		CHECK_INT(r, want);
	if (want == H1P_ERROR)
		CHECK_STR(h1p_err_str(st.err), h1p_err_str(err));
}

static void test_limits(void)
{
	static char buf[1 << 20];
	size_t n;

	n = build_head(buf, sizeof(buf), LIM_HEADER_COUNT - 1, 4);
	expect_result(buf, n, (ssize_t)n, H1P_ERR_NONE);
	n = build_head(buf, sizeof(buf), LIM_HEADER_COUNT, 4);
	expect_result(buf, n, H1P_ERROR, H1P_ERR_TOO_MANY_HEADERS);

	n = build_head(buf, sizeof(buf), 1, LIM_HEAD_BYTES - 100);
	expect_result(buf, n, (ssize_t)n, H1P_ERR_NONE);
	n = build_head(buf, sizeof(buf), 1, LIM_HEAD_BYTES - 40);
	expect_result(buf, n, H1P_ERROR, H1P_ERR_HEAD_TOO_LONG);

	n = (size_t)snprintf(buf, sizeof(buf), "HTTP/1.1 200 ");
	memset(buf + n, 'r', LIM_STATUS_LINE_BYTES);
	n += LIM_STATUS_LINE_BYTES;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\r\nContent-Length: 0\r\n\r\n");
	expect_result(buf, n, H1P_ERROR, H1P_ERR_STATUS_LINE_TOO_LONG);
}

/* Two responses back to back on one stream: the first returns where it ends. */
static void test_back_to_back(void)
{
	static const char two[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"
				  "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
	struct h1p st;
	h1p_reset(&st, false);
	ssize_t r = h1p_feed(&st, two, sizeof(two) - 1, NULL);
	CHECK_INT(r, 40);
	CHECK(h1p_is_done(&st));
	CHECK_INT(h1p_feed(&st, two + r, sizeof(two) - 1 - (size_t)r, NULL), 0);
	h1p_reset(&st, false);
	CHECK_INT(h1p_feed(&st, two + r, sizeof(two) - 1 - (size_t)r, NULL),
		  (ssize_t)sizeof(two) - 1 - r);
	CHECK_INT(st.status, 404);
	/* a parser in error stays in error */
	h1p_reset(&st, false);
	CHECK_INT(h1p_feed(&st, "XTTP", 4, NULL), H1P_ERROR);
	CHECK_INT(h1p_feed(&st, "HTTP/1.1 200 OK\r\n", 17, NULL), H1P_ERROR);
	CHECK_INT(h1p_eof(&st), H1P_ERROR);
	CHECK_INT(st.err, H1P_ERR_VERSION);
	/* EOF before any byte is a truncation the caller can tell apart */
	h1p_reset(&st, false);
	CHECK(!h1p_is_started(&st));
	CHECK_INT(h1p_eof(&st), H1P_ERROR);
	CHECK_INT(st.err, H1P_ERR_TRUNCATED);
	CHECK_STR(h1p_err_str((enum h1p_err)999), "unknown error");
}

int main(int argc, char **argv)
{
	test_fixtures(argc > 1 ? argv[1] : "tests/fixtures/h1p");
	test_limits();
	test_back_to_back();
	T_DONE();
}
