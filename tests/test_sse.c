/*
 * SSE parsing: the SDK's events, the priming event, multi-line data, every
 * line ending, comments, fields without colons or unknown, the BOM, ids that
 * persist, retry, limits as errors, and the same events whatever the cuts.
 */
#include "protocol/sse.h"
#include "tests/t.h"

struct seen {
	int n;
	char type[8][64], id[8][64], data[8][256];
};

static void on_event(void *ctx, const struct sse_event *ev)
{
	struct seen *s = ctx;
	if (s->n >= 8)
		return;
	snprintf(s->type[s->n], 64, "%.*s", (int)ev->type_len, ev->type);
	snprintf(s->id[s->n], 64, "%.*s", (int)ev->id_len, ev->id);
	snprintf(s->data[s->n], 256, "%.*s", (int)ev->data_len, ev->data);
	s->n++;
}

/* Parse text fed in pieces of `step` bytes (0: whole). */
static ssize_t parse(const char *text, size_t step, struct seen *out, struct sse *s)
{
	static char buf[256];
	size_t len = strlen(text);
	ssize_t r = 0;
	memset(out, 0, sizeof(*out));
	sse_init(s, buf, sizeof(buf));
	for (size_t off = 0; off < len && r >= 0;) {
		size_t n = step && len - off > step ? step : len - off;
		r = sse_feed(s, text + off, n, on_event, out);
		off += n;
	}
	return r;
}

static void expect(const char *text, int n, const char *const want[][3])
{
	struct sse s;
	struct seen got;
	for (size_t step = 0; step <= 3; step++) {
		CHECK(parse(text, step, &got, &s) >= 0);
		CHECK_INT(got.n, n);
		for (int i = 0; i < n && i < got.n; i++) {
			CHECK_STR(got.type[i], want[i][0]);
			CHECK_STR(got.id[i], want[i][1]);
			CHECK_STR(got.data[i], want[i][2]);
		}
	}
}

static void test_events(void)
{
	const char *const sdk[][3] = {{"message", "s1_e1", "{\"jsonrpc\":\"2.0\",\"id\":1}"}};
	expect("event: message\nid: s1_e1\ndata: {\"jsonrpc\":\"2.0\",\"id\":1}\n\n", 1, sdk);
	const char *const prime[][3] = {{"", "p1", ""}, {"message", "p1", "x"}};
	expect("id: p1\nretry: 500\ndata: \n\nevent: message\ndata: x\n\n", 2, prime);
	const char *const multi[][3] = {{"", "", "a\nb\n\nc"}};
	expect("data: a\ndata: b\ndata\ndata:c\n\n", 1, multi);
	const char *const endings[][3] = {{"", "", "a\nb"}, {"", "", "c"}};
	expect("data: a\r\ndata: b\r\rdata: c\r\n\r\n", 2, endings);
	const char *const spaces[][3] = {{"", "", " two"}};
	expect("data:  two\n\n", 1, spaces);
	const char *const none[][3] = {{"", "", ""}};
	expect(": keepalive\n\nevent: x\n\nfoo: bar\ndatax: y\nid\n\n", 0, none);
	const char *const typereset[][3] = {{"", "", "y"}};
	expect("event: x\n\ndata: y\n\n", 1, typereset);
	const char *const bom[][3] = {{"", "", "a"}};
	expect("\xEF\xBB\xBF"
	       "data: a\n\n",
	       1, bom);
	expect("\xEF"
	       "data: a\n\n",
	       0, none);
	const char *const persist[][3] = {{"", "1", "a"}, {"", "1", "b"}, {"", "", "c"}};
	expect("id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n", 3, persist);
	/* not dispatched without the blank line */
	expect("data: a\n", 0, none);
}

static void test_fields(void)
{
	struct sse s;
	struct seen got;
	CHECK(parse("retry: 250\nretry: 12x\nretry:\n: c1\n: c2\n", 0, &got, &s) >= 0);
	CHECK_INT(s.retry_ms, 250);
	CHECK_INT(s.comments, 2);
	CHECK(parse("id: a\0b\n", 0, &got, &s) >= 0);
}

static void test_limits(void)
{
	struct sse s;
	struct seen got;
	char big[400];
	memset(big, 'x', sizeof(big));
	memcpy(big, "data: ", 6);
	big[sizeof(big) - 1] = 0;
	CHECK(parse(big, 0, &got, &s) == SSE_ERROR);
	CHECK_INT(s.err, SSE_ERR_DATA_TOO_LONG);
	CHECK(sse_feed(&s, "\n\n", 2, on_event, &got) == SSE_ERROR);
	/* joined lines count too */
	static char lines[1024];
	lines[0] = 0;
	for (int i = 0; i < 40; i++) /* 40 x 9 bytes joined > 256 */
		strcat(lines, "data: 01234567\n");
	CHECK(parse(lines, 7, &got, &s) == SSE_ERROR);
	static char id[400];
	memset(id, 'i', sizeof(id));
	memcpy(id, "id: ", 4);
	id[sizeof(id) - 2] = '\n';
	id[sizeof(id) - 1] = 0;
	CHECK(parse(id, 5, &got, &s) == SSE_ERROR);
	CHECK_INT(s.err, SSE_ERR_ID_TOO_LONG);
	CHECK(strcmp(sse_err_str(SSE_ERR_ID_TOO_LONG), "unknown") != 0);
}

int main(void)
{
	test_events();
	test_fields();
	test_limits();
	T_DONE();
}
