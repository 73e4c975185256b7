/*
 * `mcpload tokens` end to end: wc's shape (a line per file, a total, only
 * the count for standard input), the counts equal protocol/tok's, known
 * counts in both encodings, --estimate's columns, --json, and an unreadable
 * file said in one line while the others are still counted (exit 1).
 */
#include <sys/stat.h>

#include "protocol/tok.h"
#include "tests/t.h"
#include "tests/trun.h"

#define DIR "build/asan/tests/tokens-out"

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* Run mcpload with args, stdin from in (NULL: /dev/null): status, stdout. */
static int run_in(const char *const *args, const char *in, char *out, size_t cap)
{
	char cmd[1024] = "", *p = cmd;
	p += snprintf(p, sizeof(cmd), "%s%s%s", in ? "printf '%s' '" : "", in ? in : "",
		      in ? "' | " : "");
	p += snprintf(p, sizeof(cmd) - (size_t)(p - cmd), "%s", mcpload());
	for (unsigned i = 0; args[i]; i++)
		p += snprintf(p, sizeof(cmd) - (size_t)(p - cmd), " %s", args[i]);
	snprintf(p, sizeof(cmd) - (size_t)(p - cmd), "%s", in ? " 2>&1" : " 2>&1 </dev/null");
	FILE *f = popen(cmd, "r");
	size_t n = f ? fread(out, 1, cap - 1, f) : 0;
	out[n] = 0;
	int st = f ? pclose(f) : -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(void)
{
	static char out[1 << 16], readme[1 << 20];
	char want[256];
	mkdir("build/asan/tests", 0777);
	mkdir(DIR, 0777);
	put(DIR "/hello.txt", "hello world");
	put(DIR "/two.txt", "hello world, hello world");

	const char *one[] = {"tokens", DIR "/hello.txt", NULL};
	CHECK_INT(run_in(one, NULL, out, sizeof(out)), 0);
	CHECK_STR(out, "         2 " DIR "/hello.txt\n");
	const char *in[] = {"tokens", "-", NULL};
	CHECK_INT(run_in(in, "hello world", out, sizeof(out)), 0);
	CHECK_STR(out, "         2\n");
	const char *o200[] = {"tokens", "--encoding", "o200k_base", "-", NULL};
	CHECK_INT(run_in(o200, "hello world", out, sizeof(out)), 0);
	CHECK_STR(out, "         2\n");
	const char *both[] = {"tokens", DIR "/hello.txt", DIR "/two.txt", NULL};
	CHECK_INT(run_in(both, NULL, out, sizeof(out)), 0);
	CHECK(strstr(out, " total\n") != NULL);
	CHECK_INT(strchr(out, '\n') - out, 11 + (long)strlen(DIR "/hello.txt"));

	/* the command counts what the library counts, on a real file */
	struct tok *t = tok_open(TOK_CL100K_BASE);
	FILE *f = fopen("README.md", "rb");
	size_t len = f ? fread(readme, 1, sizeof(readme), f) : 0;
	if (f)
		fclose(f);
	CHECK(t && len > 0);
	snprintf(want, sizeof(want), "%10lld README.md\n",
		 (long long)(t ? tok_count(t, readme, len) : -1));
	tok_close(t);
	const char *rd[] = {"tokens", "README.md", NULL};
	CHECK_INT(run_in(rd, NULL, out, sizeof(out)), 0);
	CHECK_STR(out, want);

	const char *est[] = {"tokens", "--estimate", DIR "/two.txt", NULL};
	CHECK_INT(run_in(est, NULL, out, sizeof(out)), 0);
	CHECK(strstr(out, "%") != NULL); /* count, estimate, the difference */

	const char *js[] = {"tokens", "--json", "-", DIR "/hello.txt", DIR "/two.txt", NULL};
	CHECK_INT(run_in(js, NULL, out, sizeof(out)), 0);
	struct jsc_val v;
	CHECK_INT(jsc_get(out, strlen(out), "inputs.0.tokens", &v), 0);
	CHECK(v.type == JSC_NUMBER && v.len == 1 && v.ptr[0] == '2');
	CHECK_INT(jsc_get(out, strlen(out), "encoding", &v), 0);

	const char *missing[] = {"tokens", DIR "/hello.txt", DIR "/nope.txt", NULL};
	CHECK_INT(run_in(missing, NULL, out, sizeof(out)), 1);
	CHECK(strstr(out, "mcpload: " DIR "/nope.txt: No such file or directory\n") != NULL);
	CHECK(strstr(out, "         2 " DIR "/hello.txt\n") != NULL);
	const char *none[] = {"tokens", NULL};
	CHECK_INT(run_in(none, NULL, out, sizeof(out)), 2);
	const char *enc[] = {"tokens", "--encoding", "p50k_base", "-", NULL};
	CHECK_INT(run_in(enc, "x", out, sizeof(out)), 2);
	T_DONE();
}
