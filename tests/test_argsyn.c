/*
 * Arguments from a schema: required properties only, the schema's own
 * values first (const, enum, default, examples), bounds kept, $ref and
 * anyOf followed, nullable types, nesting bounded; guesses counted; what
 * is not a schema refused; a full buffer said so.
 */
#include <errno.h>

#include "scenarios/argsyn.h"
#include "tests/t.h"

static void expect(const char *schema, const char *want, unsigned want_guessed)
{
	char out[1024];
	unsigned g = 99;
	long n = argsyn_make(schema, strlen(schema), out, sizeof(out), &g);
	if (n < 0 || strcmp(out, want))
		fprintf(stderr, "schema %s\n  gave %s (%ld)\n  want %s\n", schema, out, n, want);
	CHECK(n == (long)strlen(want));
	CHECK_STR(out, want);
	CHECK_INT(g, want_guessed);
}

int main(void)
{
	/* the SDK test server's validate_artifact: content required, format optional */
	expect(
	    "{\"type\":\"object\",\"properties\":{\"content\":{\"type\":\"string\"},"
	    "\"format\":{\"default\":\"json\",\"type\":\"string\",\"enum\":[\"json\",\"text\"]}},"
	    "\"required\":[\"content\"]}",
	    "{\"content\":\"example\"}", 1);
	expect(
	    "{\"type\":\"object\",\"properties\":{\"format\":{\"type\":\"string\",\"enum\":["
	    "\"json\","
	    "\"text\"]},\"n\":{\"type\":\"integer\",\"minimum\":5,\"maximum\":9},\"b\":{\"type\":"
	    "\"boolean\"}},\"required\":[\"format\",\"n\",\"b\"]}",
	    "{\"format\":\"json\",\"n\":5,\"b\":false}", 2);
	expect(
	    "{\"type\":\"object\",\"properties\":{\"count\":{\"type\":\"integer\",\"default\":10},"
	    "\"ns\":{\"type\":\"string\",\"examples\":[\"US\"]},\"c\":{\"const\":3}},"
	    "\"required\":[\"count\",\"ns\",\"c\"]}",
	    "{\"count\":10,\"ns\":\"US\",\"c\":3}", 0);
	/* bounds: exclusive, fractions, lengths, formats */
	expect(
	    "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\",\"exclusiveMinimum\":"
	    "1},\"b\":{\"type\":\"number\",\"maximum\":0.5},\"s\":{\"type\":\"string\","
	    "\"minLength\":10},\"t\":{\"type\":\"string\",\"maxLength\":3},\"u\":{\"type\":"
	    "\"string\",\"format\":\"uuid\"}},\"required\":[\"a\",\"b\",\"s\",\"t\",\"u\"]}",
	    "{\"a\":2,\"b\":0,\"s\":\"examplexxx\",\"t\":\"exa\","
	    "\"u\":\"00000000-0000-4000-8000-000000000000\"}",
	    5);
	/* $ref, anyOf with null, nullable type lists, arrays with minItems */
	expect(
	    "{\"type\":\"object\",\"$defs\":{\"P\":{\"type\":\"object\",\"properties\":{\"x\":{"
	    "\"type\":\"integer\"}},\"required\":[\"x\"]}},\"properties\":{\"p\":{\"$ref\":\"#/"
	    "$defs/P\"},\"o\":{\"anyOf\":[{\"type\":\"null\"},{\"type\":\"string\"}]},\"l\":{"
	    "\"type\":[\"null\",\"integer\"]},\"arr\":{\"type\":\"array\",\"minItems\":2,\"items\":"
	    "{\"type\":\"boolean\"}}},\"required\":[\"p\",\"o\",\"l\",\"arr\"]}",
	    "{\"p\":{\"x\":1},\"o\":\"example\",\"l\":1,\"arr\":[false,false]}", 6);
	/* no properties: {} (a tool without arguments); no type: any value */
	expect("{\"type\":\"object\"}", "{}", 0);
	expect("{\"type\":\"object\",\"properties\":{\"v\":{}},\"required\":[\"v\"]}",
	       "{\"v\":\"example\"}", 1);
	/* a $ref loop stops at the depth bound */
	char out[4096];
	unsigned g;
	const char *loop = "{\"$defs\":{\"L\":{\"$ref\":\"#/$defs/L\"}},\"$ref\":\"#/$defs/L\"}";
	CHECK(argsyn_make(loop, strlen(loop), out, sizeof(out), &g) > 0);
	/* not a schema, no room */
	CHECK_INT(argsyn_make("[1]", 3, out, sizeof(out), &g), -EINVAL);
	CHECK_INT(argsyn_make("{\"type\":", 8, out, sizeof(out), &g), -EINVAL);
	const char *big =
	    "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"minLength\":"
	    "100}},\"required\":[\"s\"]}";
	CHECK_INT(argsyn_make(big, strlen(big), out, 50, &g), -ENOSPC);
	T_DONE();
}
