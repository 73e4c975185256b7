/*
 * Help cannot drift: for every command, the options in `mcpload CMD
 * --help`, in `mcpload --help`, in the man page (`mcpload help --man`) and
 * in the bash and zsh completion scripts are exactly the options the table
 * gives that command (both ways: none missing, none extra), and every
 * command is in the overview, the man page and both scripts. The binary is
 * $MCPLOAD (default build/mcpload).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd/cmd.h"
#include "core/cmd/opt.h"
#include "tests/t.h"

#define OUT_MAX (1u << 20)
#define SET_MAX 128

struct set {
	char names[SET_MAX][40];
	unsigned n;
};

static void add(struct set *s, const char *name, size_t len)
{
	if (len >= sizeof(s->names[0]) || s->n == SET_MAX)
		return;
	for (unsigned i = 0; i < s->n; i++)
		if (strlen(s->names[i]) == len && !memcmp(s->names[i], name, len))
			return;
	memcpy(s->names[s->n], name, len);
	s->names[s->n++][len] = 0;
}

static bool has(const struct set *s, const char *name)
{
	for (unsigned i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], name))
			return true;
	return false;
}

/* What the table says command bit takes: "--name", "--alias", "-c". */
static void table_set(unsigned bit, struct set *s)
{
	size_t n;
	const struct opt *t = opt_all(&n);
	char b[48];
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < n; i++) {
		if (!(t[i].cmds & bit))
			continue;
		snprintf(b, sizeof(b), "--%s", t[i].name);
		add(s, b, strlen(b));
		if (t[i].alias) {
			snprintf(b, sizeof(b), "--%s", t[i].alias);
			add(s, b, strlen(b));
		}
		if (t[i].short_name) {
			snprintf(b, sizeof(b), "-%c", t[i].short_name);
			add(s, b, strlen(b));
		}
	}
}

/* Every option-looking word in text[0..len): "--x-y" and "-c". */
static void words(const char *text, size_t len, struct set *s)
{
	for (size_t i = 0; i < len; i++) {
		if (text[i] != '-' || (i && strchr("-abcdefghijklmnopqrstuvwxyz", text[i - 1])))
			continue;
		size_t k = i + 1;
		if (k < len && text[k] == '-')
			k++;
		size_t start = k;
		while (k < len && (strchr("abcdefghijklmnopqrstuvwxyz0123456789-", text[k]) ||
				   (k == start && text[k] >= 'A' && text[k] <= 'Z')))
			k++;
		if (k == start || (k - i == 2 && text[i + 1] == '-'))
			continue;
		if (text[i + 1] != '-' && k - start != 1)
			continue; /* "-foo" is no option of ours */
		add(s, text + i, k - i);
		i = k - 1;
	}
}

static bool same(const char *what, const struct set *want, const struct set *got)
{
	bool ok = true;
	for (unsigned i = 0; i < want->n; i++)
		if (!has(got, want->names[i])) {
			fprintf(stderr, "  %s: lacks %s\n", what, want->names[i]);
			ok = false;
		}
	for (unsigned i = 0; i < got->n; i++)
		if (!has(want, got->names[i])) {
			fprintf(stderr, "  %s: has %s, which the table does not give it\n", what,
				got->names[i]);
			ok = false;
		}
	return ok;
}

static size_t run(const char *args, char *out)
{
	char cmd[512];
	const char *bin = getenv("MCPLOAD") ? getenv("MCPLOAD") : "build/mcpload";
	snprintf(cmd, sizeof(cmd), "%s %s 2>/dev/null", bin, args);
	FILE *p = popen(cmd, "r");
	size_t n = p ? fread(out, 1, OUT_MAX - 1, p) : 0;
	if (p)
		pclose(p);
	out[n] = 0;
	return n;
}

/* The option column of --help lines: "  -c, --connections N   help". */
static void help_columns(const char *from, const char *to, struct set *s)
{
	memset(s, 0, sizeof(*s));
	for (const char *l = from; l && l < to; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (strncmp(l, "  -", 3) != 0 && strncmp(l, "      --", 8) != 0)
			continue;
		const char *opt = strchr(l, '-');
		const char *end = strstr(opt, "  ");
		const char *nl = strchr(l, '\n');
		if (!end || (nl && end > nl))
			end = nl ? nl : l + strlen(l);
		words(opt, (size_t)(end - opt), s);
	}
}

/* The man page's options under ".SS mcpload NAME", roff undone. */
static void man_section(const char *man, const char *name, struct set *s)
{
	char head[64], line[512];
	memset(s, 0, sizeof(*s));
	snprintf(head, sizeof(head), ".SS mcpload %s ", name);
	const char *p = strstr(man, head), *end;
	if (!p)
		return;
	end = strstr(p + 1, ".SS ");
	end = end ? end : man + strlen(man);
	for (const char *tp = strstr(p, ".TP\n"); tp && tp < end; tp = strstr(tp + 1, ".TP\n")) {
		const char *l = tp + 4, *nl = strchr(l, '\n');
		size_t n = 0;
		for (; l < nl && n + 1 < sizeof(line); l++) {
			if (*l == '\\' && (l[1] == '-' || l[1] == 'e'))
				l++, line[n++] = l[0] == 'e' ? '\\' : '-';
			else if (*l == '\\' && l[1] == 'f')
				l += 2;
			else
				line[n++] = *l;
		}
		words(line, n, s);
	}
}

/* bash: the words compgen offers once the command is NAME. */
static void bash_section(const char *sh, const char *name, struct set *s)
{
	char head[64];
	memset(s, 0, sizeof(*s));
	snprintf(head, sizeof(head), "\t%s)\n", name);
	const char *p = strstr(sh, head);
	const char *q = p ? strstr(p, "compgen -W \"") : NULL;
	const char *e = q ? strchr(q + 12, '"') : NULL;
	if (e)
		words(q + 12, (size_t)(e - q - 12), s);
}

/* zsh: the option specs of the NAME) branch of _arguments. */
static void zsh_section(const char *sh, const char *name, struct set *s)
{
	char head[64];
	memset(s, 0, sizeof(*s));
	snprintf(head, sizeof(head), "\t%s)\n\t\t_arguments", name);
	const char *p = strstr(sh, head);
	const char *e = p ? strstr(p, " ;;\n") : NULL;
	for (const char *l = p; l && l < e; l = strchr(l + 1, '\n')) {
		const char *q = strstr(l, "\t\t'-");
		const char *b = q ? strchr(q, '[') : NULL;
		if (q && q < e && b && (size_t)(q - l) < 3)
			words(q + 3, (size_t)(b - q - 3), s);
	}
}

int main(void)
{
	static char help[OUT_MAX], all[OUT_MAX], man[OUT_MAX], bash[OUT_MAX], zsh[OUT_MAX];
	size_t n;
	const struct cmd *c = cmd_all(&n);
	struct set want, got;
	char args[64], what[96];

	CHECK(run("--help", all) > 0);
	CHECK(run("help --man", man) > 0);
	CHECK(run("completion bash", bash) > 0);
	CHECK(run("completion zsh", zsh) > 0);
	for (size_t i = 0; i < n; i++) {
		const char *name = opt_cmd_name(c[i].bit);
		table_set(c[i].bit, &want);
		snprintf(args, sizeof(args), "%s --help", name);
		size_t len = run(args, help);
		const char *opts = strstr(help, "\nOptions:\n");
		CHECK(opts != NULL);
		help_columns(opts, help + len, &got);
		snprintf(what, sizeof(what), "mcpload %s --help", name);
		CHECK(same(what, &want, &got));

		/* the overview: the section after "mcpload NAME SYNOPSIS" */
		char head[128];
		snprintf(head, sizeof(head), "\nmcpload %s %s\n", name, c[i].synopsis);
		const char *sec = strstr(all, head);
		CHECK(sec != NULL);
		const char *next = sec ? strstr(sec + 1, "\n\n") : NULL;
		help_columns(sec, next ? next : all + strlen(all), &got);
		snprintf(what, sizeof(what), "mcpload --help, %s", name);
		CHECK(same(what, &want, &got));

		man_section(man, name, &got);
		snprintf(what, sizeof(what), "the man page, %s", name);
		CHECK(same(what, &want, &got));
		bash_section(bash, name, &got);
		snprintf(what, sizeof(what), "bash completion, %s", name);
		CHECK(same(what, &want, &got));
		zsh_section(zsh, name, &got);
		snprintf(what, sizeof(what), "zsh completion, %s", name);
		CHECK(same(what, &want, &got));

		/* the command itself is everywhere */
		snprintf(head, sizeof(head), "  %s ", name);
		CHECK(strstr(all, head) != NULL);
		snprintf(head, sizeof(head), "'%s:", name);
		CHECK(strstr(zsh, head) != NULL);
		CHECK(strstr(bash, name) != NULL);
	}
	/* the scripts parse in their shells when those are here */
	FILE *f = fopen("/tmp/mcpload-test-bash", "w");
	if (f) {
		fputs(bash, f);
		fclose(f);
		CHECK(system("bash -n /tmp/mcpload-test-bash") == 0);
		remove("/tmp/mcpload-test-bash");
	}
	T_DONE();
}
