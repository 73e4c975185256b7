/*
 * The TOML reader: every value form, tables and arrays of tables, dotted
 * keys, the four string forms with their escapes, numbers in every base,
 * and refusals that name the line and column (a table defined twice, a key
 * set twice, dates, an open array, a bad escape) — each also fed through
 * every arena size from too small upwards.
 */
#include <errno.h>
#include <math.h>

#include "protocol/toml.h"
#include "tests/t.h"

static char arena[1 << 20];

static int parse(struct toml_doc *d, const char *text, char *why)
{
	return toml_parse(d, text, strlen(text), arena, sizeof(arena), why, 256);
}

static const struct toml_val *at(const struct toml_val *t, const char *path)
{
	char buf[128], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k && t; k = strtok_r(NULL, ".", &save))
		t = toml_get(t, k);
	return t;
}

static void test_values(void)
{
	struct toml_doc d;
	char why[256] = "";
	const struct toml_val *v;
	CHECK_INT(parse(&d,
			"# c\n"
			"s = \"a\\tb\\u00e9\\U0001F600\\\"\"  # after\n"
			"l = 'C:\\x\\n'\n"
			"m = \"\"\"\nline \\\n   joined\n2\"\"\"\n"
			"ml = '''\nraw \\n\n'''\n"
			"i = -1_000\nh = 0xff\no = 0o17\nb = 0b101\n"
			"f = 1.5e3\nt = true\nn = inf\n"
			"arr = [ 1, \"two\", [3], { x = 4 }, ]\n"
			"\"quoted key\" = 1\n"
			"a.b.c = 'deep'\n",
			why),
		  0);
	if (why[0])
		fprintf(stderr, "  %s\n", why);
	v = at(d.root, "s");
	CHECK(v && v->type == TOML_STRING && !strcmp(v->str, "a\tb\xc3\xa9\xf0\x9f\x98\x80\""));
	v = at(d.root, "l");
	CHECK(v && !strcmp(v->str, "C:\\x\\n"));
	v = at(d.root, "m");
	CHECK(v && !strcmp(v->str, "line joined\n2"));
	v = at(d.root, "ml");
	CHECK(v && !strcmp(v->str, "raw \\n\n"));
	CHECK(at(d.root, "i")->i == -1000 && at(d.root, "h")->i == 255 &&
	      at(d.root, "o")->i == 15 && at(d.root, "b")->i == 5);
	CHECK(at(d.root, "f")->type == TOML_FLOAT && at(d.root, "f")->f == 1500);
	CHECK(at(d.root, "t")->type == TOML_BOOL && at(d.root, "t")->b);
	CHECK(isinf(at(d.root, "n")->f));
	v = at(d.root, "arr");
	CHECK(v && v->type == TOML_ARRAY && v->first && v->first->i == 1 &&
	      !strcmp(v->first->next->str, "two") && v->first->next->next->type == TOML_ARRAY &&
	      toml_get(v->last, "x")->i == 4);
	CHECK(at(d.root, "quoted key") && at(d.root, "quoted key")->i == 1);
	v = at(d.root, "a.b.c");
	CHECK(v && !strcmp(v->str, "deep") && v->line == 20 && v->col == 9);
}

static void test_tables(void)
{
	struct toml_doc d;
	char why[256] = "";
	CHECK_INT(
	    parse(&d,
		  "top = 1\n[x]\ny = 2\n[[task]]\nname = 'a'\n  [[task.step]]\n  label = 's1'\n"
		  "  [[task.step]]\n  label = 's2'\n[[task]]\nname = 'b'\n[task.opt]\nk = 1\n"
		  "[p.q]\nr = 1\n[p]\ns = 2\n",
		  why),
	    0);
	if (why[0])
		fprintf(stderr, "  %s\n", why);
	const struct toml_val *task = at(d.root, "task");
	CHECK(task && task->type == TOML_ARRAY && task->first && task->first->next &&
	      !task->first->next->next);
	const struct toml_val *steps = toml_get(task->first, "step");
	CHECK(steps && steps->first && !strcmp(toml_get(steps->last, "label")->str, "s2"));
	CHECK(toml_get(toml_get(task->last, "opt"), "k")->i == 1);
	CHECK(at(d.root, "p.q.r")->i == 1 && at(d.root, "p.s")->i == 2);
	CHECK(at(d.root, "x")->line == 2);
}

static void test_errors(void)
{
	static const struct {
		const char *text, *where, *what;
	} bad[] = {
	    {"[a]\nx = 1\n[a]\n", "3:", "defined twice"},
	    {"x = 1\nx = 2\n", "2:", "defined twice"},
	    {"when = 1979-05-27T07:32:00Z\n", "1:8", "dates"},
	    {"x = [1, 2\ny = 3\n", "2:", "expected ','"},
	    {"s = \"\\q\"\n", "1:", "unknown escape"},
	    {"s = \"open\n", "1:", "newline"},
	    {"= 3\n", "1:1", "expected a key"},
	    {"k = \n", "1:", "expected a value"},
	    {"k = 1 2\n", "1:7", "end of the line"},
	    {"x = 1\n[x]\n", "2:", "not a table"},
	    {"i = 01\n", "1:", "not a number"},
	    {"i = 1__0\n", "1:", "not a number"},
	    {"big = 9223372036854775808\n", "1:", "64 bits"},
	    {"t = {a = 1}\n[t]\n", "2:", ""},
	    {"s = '\x01'\n", "1:", "control"},
	    {"[[a]]\n[a]\n", "2:", ""},
	};
	struct toml_doc d;
	char why[256];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = 0;
		int r = parse(&d, bad[i].text, why);
		bool ok = r == -EINVAL && !strncmp(why, bad[i].where, strlen(bad[i].where)) &&
			  strstr(why, bad[i].what);
		if (!ok)
			fprintf(stderr, "  %zu: r=%d why '%s'\n", i, r, why);
		CHECK(ok);
	}
}

/* Every arena size below what the document needs fails cleanly. */
static void test_arena(void)
{
	static const char text[] = "[[t]]\na = 'x'\nb = [1, 2, {c = \"d\"}]\n";
	struct toml_doc d;
	char why[256];
	size_t need = 0;
	for (size_t cap = 0; cap < 4096; cap += 8) {
		int r = toml_parse(&d, text, sizeof(text) - 1, arena, cap, why, sizeof(why));
		if (r == 0) {
			need = cap;
			break;
		}
		CHECK_INT(r, -ENOMEM);
	}
	CHECK(need > 0 && need <= TOML_ARENA_BYTES(sizeof(text) - 1));
}

int main(void)
{
	test_values();
	test_tables();
	test_errors();
	test_arena();
	T_DONE();
}
