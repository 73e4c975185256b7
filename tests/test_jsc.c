/*
 * JSON scanner tests: paths into objects and arrays, every value type,
 * escapes and surrogate pairs, integers at their limits, and malformed
 * documents refused whole (RFC 8259 grammar), including deep nesting.
 */
#include "protocol/jsc.h"
#include "tests/t.h"

static int get(const char *doc, const char *path, struct jsc_val *v)
{
	return jsc_get(doc, strlen(doc), path, v);
}

static void test_paths(void)
{
	static const char doc[] =
	    " {\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"task\":{\"id\":\"TASK-0042\","
	    "\"n\":-12.5e3},\"ok\":true,\"none\":null,\"no\":false,"
	    "\"items\":[{\"name\":\"a\"},{\"name\":\"b\\\"q\"},[1,2,[3]]]},"
	    "\"id\":99} ";
	struct jsc_val v;
	CHECK_INT(get(doc, "result.task.id", &v), 0);
	CHECK(jsc_is(&v, "TASK-0042"));
	CHECK_INT(get(doc, "id", &v), 0); /* the first of duplicate keys */
	CHECK_INT(v.type, JSC_NUMBER);
	CHECK_MEM(v.ptr, v.len, "7", 1);
	CHECK_INT(get(doc, "result.task.n", &v), 0);
	CHECK_MEM(v.ptr, v.len, "-12.5e3", 7);
	CHECK_INT(get(doc, "result.ok", &v), 0);
	CHECK_INT(v.type, JSC_TRUE);
	CHECK_INT(get(doc, "result.none", &v), 0);
	CHECK_INT(v.type, JSC_NULL);
	CHECK_INT(get(doc, "result.no", &v), 0);
	CHECK_INT(v.type, JSC_FALSE);
	CHECK_INT(get(doc, "result.items.1.name", &v), 0);
	CHECK_MEM(v.ptr, v.len, "b\\\"q", 4);
	char buf[16];
	CHECK_INT(jsc_unescape(&v, buf, sizeof(buf)), 3);
	CHECK_MEM(buf, 3, "b\"q", 3);
	CHECK_INT(get(doc, "result.items.2.2.0", &v), 0);
	CHECK_MEM(v.ptr, v.len, "3", 1);
	CHECK_INT(get(doc, "result.items.2", &v), 0);
	CHECK_INT(v.type, JSC_ARRAY);
	CHECK_MEM(v.ptr, v.len, "[1,2,[3]]", 9);
	CHECK_INT(get(doc, "result.task", &v), 0);
	CHECK_INT(v.type, JSC_OBJECT);
	CHECK_INT(get(doc, "", &v), 0);
	CHECK_INT(v.type, JSC_OBJECT);
	CHECK_INT(get(doc, "result.items.3", &v), JSC_NOT_FOUND);
	CHECK_INT(get(doc, "result.items.x", &v), JSC_NOT_FOUND);
	CHECK_INT(get(doc, "result.missing", &v), JSC_NOT_FOUND);
	CHECK_INT(get(doc, "jsonrpc.x", &v), JSC_NOT_FOUND);
}

static void test_escapes(void)
{
	struct jsc_val v;
	char buf[32];
	CHECK_INT(get("\"a\\u00e9\\ud83d\\ude00\\n\\/\"", "", &v), 0);
	long n = jsc_unescape(&v, buf, sizeof(buf));
	CHECK_MEM(buf, (size_t)(n > 0 ? n : 0), "a\xc3\xa9\xf0\x9f\x98\x80\n/", 9);
	CHECK_INT(get("\"\\ud83d\"", "", &v), 0); /* valid JSON, lone surrogate */
	CHECK_INT(jsc_unescape(&v, buf, sizeof(buf)), -1);
	CHECK_INT(get("\"\\udc00x\"", "", &v), 0);
	CHECK_INT(jsc_unescape(&v, buf, sizeof(buf)), -1);
	CHECK_INT(get("\"abcdef\"", "", &v), 0);
	CHECK_INT(jsc_unescape(&v, buf, 3), -1); /* does not fit */
}

static void test_ints(void)
{
	struct jsc_val v;
	int64_t i;
	CHECK_INT(get("9223372036854775807", "", &v), 0);
	CHECK_INT(jsc_int(&v, &i), 0);
	CHECK(i == INT64_MAX);
	CHECK_INT(get("-9223372036854775808", "", &v), 0);
	CHECK_INT(jsc_int(&v, &i), 0);
	CHECK(i == INT64_MIN);
	CHECK_INT(get("9223372036854775808", "", &v), 0);
	CHECK_INT(jsc_int(&v, &i), -1);
	CHECK_INT(get("1.5", "", &v), 0);
	CHECK_INT(jsc_int(&v, &i), -1);
	CHECK_INT(get("\"5\"", "", &v), 0);
	CHECK_INT(jsc_int(&v, &i), -1);
}

static void test_malformed(void)
{
	struct jsc_val v;
	const char *bad[] = {"",	   " ",		"{",	       "{\"a\"}",    "{\"a\":}",
			     "{\"a\":1,}", "[1,]",	"[1 2]",       "01",	     "1.",
			     "-",	   "1e",	".5",	       "tru",	     "nul",
			     "\"abc",	   "\"\\x\"",	"\"\\u12g4\"", "\"a\nb\"",   "{\"a\":1}x",
			     "{1:2}",	   "[\"a\":1]", "{\"a\" 1}",   "\"\\u123\"", "+1"};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		int r = get(bad[k], "", &v);
		if (r != JSC_MALFORMED)
			fprintf(stderr, "accepted: %s\n", bad[k]);
		CHECK_INT(r, JSC_MALFORMED);
	}
	/* malformed after the value asked for is still malformed */
	CHECK_INT(get("{\"a\":1,\"b\":[}", "a", &v), JSC_MALFORMED);
	/* depth: 64 levels fine, deeper refused */
	char deep[300];
	size_t n = 0;
	for (int d = 0; d < 64; d++)
		deep[n++] = '[';
	for (int d = 0; d < 64; d++)
		deep[n++] = ']';
	CHECK_INT(jsc_get(deep, n, "", &v), 0);
	n = 0;
	for (int d = 0; d < 100; d++)
		deep[n++] = '[';
	for (int d = 0; d < 100; d++)
		deep[n++] = ']';
	CHECK_INT(jsc_get(deep, n, "", &v), JSC_MALFORMED);
	/* embedded NUL inside a string is a control byte */
	CHECK_INT(jsc_get("\"a\0b\"", 5, "", &v), JSC_MALFORMED);
}

static void test_member(void)
{
	static const char meta[] =
	    "{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
	    "\"io\":{\"modelcontextprotocol/protocolVersion\":\"no\"},\"a\":[1]}";
	struct jsc_val v;
	CHECK_INT(jsc_member(meta, sizeof(meta) - 1, "io.modelcontextprotocol/protocolVersion", &v),
		  0);
	CHECK(jsc_is(&v, "2026-07-28"));
	CHECK_INT(jsc_get(meta, sizeof(meta) - 1, "io.modelcontextprotocol/protocolVersion", &v),
		  0);
	CHECK(jsc_is(&v, "no")); /* the dotted path descends instead */
	CHECK_INT(jsc_member(meta, sizeof(meta) - 1, "a.0", &v), JSC_NOT_FOUND);
	CHECK_INT(jsc_member(meta, sizeof(meta) - 1, "", &v), JSC_NOT_FOUND);
	CHECK_INT(jsc_member("[1]", 3, "0", &v), JSC_NOT_FOUND);
	CHECK_INT(jsc_member("{\"a\":}", 6, "a", &v), JSC_MALFORMED);
}

/* The SDK writes members in any order: one pass finds them all. */
static void test_many(void)
{
	static const char msg[] = "{\"result\":{\"content\":[],\"isError\":true},"
				  "\"jsonrpc\":\"2.0\",\"id\":7,\"id\":8}";
	const char *paths[] = {"id", "error.code", "result.isError", "method", "result.content.0"};
	struct jsc_val v[5];
	unsigned found = 99;
	CHECK_INT(jsc_get_n(msg, sizeof(msg) - 1, paths, 5, v, &found), 0);
	CHECK_INT(found, 1u | 4u);
	CHECK(v[0].type == JSC_NUMBER && v[0].len == 1 && v[0].ptr[0] == '7'); /* first wins */
	CHECK(v[2].type == JSC_TRUE);
	CHECK_INT(jsc_get_n("{\"id\":1,}", 9, paths, 2, v, &found), JSC_MALFORMED);
	const char *same[] = {"a.b", "a", "a.b"};
	CHECK_INT(jsc_get_n("{\"a\":{\"b\":[2]}}", 15, same, 3, v, &found), 0);
	CHECK_INT(found, 7);
	CHECK(v[0].type == JSC_ARRAY && v[2].ptr == v[0].ptr && v[1].type == JSC_OBJECT);
	const char *nine[9] = {"a"};
	CHECK_INT(jsc_get_n("{}", 2, nine, 9, v, &found), JSC_MALFORMED);
}

int main(void)
{
	test_many();
	test_member();
	test_paths();
	test_escapes();
	test_ints();
	test_malformed();
	T_DONE();
}
