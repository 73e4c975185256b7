/*
 * help: renders the command and option tables for people (--help, the
 * overview), for man (roff) and for shells (bash, zsh completion). Each
 * renderer walks the same tables, so an option added to opt.c appears in
 * all of them at once; tests/test_help.c checks that they agree.
 */
#include "core/cmd/help.h"

#include <errno.h>
#include <string.h>

#include "core/cmd/opt.h"
#include "scenarios/scn.h"

#define HELP_COL 28 /* where option help starts in --help */

static const char about_mcpload[] =
    "mcpload measures how fast an MCP server (JSON-RPC 2.0 over Streamable HTTP) and the\n"
    "HTTP services behind it are: one io_uring per pinned worker thread drives the\n"
    "connections, every worker records latency into its own histogram, and the run ends\n"
    "with a verdict a CI job can gate on.";

/* "-c, --users, --max-users N" */
static int opt_left(char *buf, size_t n, const struct opt *o)
{
	int at = 0;
	if (o->short_name)
		at += snprintf(buf + at, n - (size_t)at, "-%c, ", o->short_name);
	else
		at += snprintf(buf + at, n - (size_t)at, "    ");
	at += snprintf(buf + at, n - (size_t)at, "--%s", o->name);
	if (o->alias)
		at += snprintf(buf + at, n - (size_t)at, ", --%s", o->alias);
	if (o->arg)
		at += snprintf(buf + at, n - (size_t)at, " %s", o->arg);
	return at;
}

/* One option: the left column, then its help lines, the default last. */
static void print_opt(FILE *f, const struct opt *o, int indent)
{
	char left[96];
	const char *h = o->help;
	int w = opt_left(left, sizeof(left), o);
	fprintf(f, "%*s%s", indent, "", left);
	if (indent + w + 2 > HELP_COL)
		fprintf(f, "\n%*s", HELP_COL, "");
	else
		fprintf(f, "%*s", HELP_COL - indent - w, "");
	for (;;) {
		const char *nl = strchr(h, '\n');
		int len = nl ? (int)(nl - h) : (int)strlen(h);
		fprintf(f, "%.*s", len, h);
		if (!nl)
			break;
		fprintf(f, "\n%*s", HELP_COL, "");
		h = nl + 1;
	}
	if (o->def)
		fprintf(f, " (default %s)", o->def);
	fputc('\n', f);
}

static void print_opts(FILE *f, unsigned bit, int indent)
{
	size_t n;
	const struct opt *t = opt_all(&n);
	for (size_t i = 0; i < n; i++)
		if (t[i].cmds & bit)
			print_opt(f, &t[i], indent);
}

void help_command(FILE *f, const struct cmd *c)
{
	const char *name = opt_cmd_name(c->bit);
	fprintf(f, "usage: mcpload %s %s\n\n%s\n\nOptions:\n", name, c->synopsis, c->about);
	print_opts(f, c->bit, 2);
	fprintf(f, "\nExit status: %s\n", c->exit_text);
}

static void commands(FILE *f)
{
	size_t n;
	const struct cmd *c = cmd_all(&n);
	fprintf(f, "Commands:\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-12s %s\n", opt_cmd_name(c[i].bit), c[i].summary);
}

void help_usage(FILE *f)
{
	fprintf(f, "usage: mcpload COMMAND [options]\n\n");
	commands(f);
	fprintf(f,
		"\nmcpload --help lists every command's options; mcpload COMMAND --help one's.\n");
}

void help_overview(FILE *f)
{
	size_t n;
	const struct cmd *c = cmd_all(&n);
	fprintf(f, "usage: mcpload COMMAND [options]\n\n%s\n\n", about_mcpload);
	commands(f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "\nmcpload %s %s\n", opt_cmd_name(c[i].bit), c[i].synopsis);
		print_opts(f, c[i].bit, 2);
	}
	fprintf(f, "\nmcpload COMMAND --help describes one command and its exit statuses; "
		   "mcpload help --man\nprints the manual page.\n");
}

/* --- man page --- */

/* Text for roff: backslashes and hyphens escaped, a leading dot or quote
 * kept from being read as a request. */
static void roff(FILE *f, const char *s)
{
	bool bol = true;
	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
		bol = *s == '\n';
	}
}

static void man_opt(FILE *f, const struct opt *o)
{
	fputs(".TP\n", f);
	if (o->short_name)
		fprintf(f, "\\fB\\-%c\\fR, ", o->short_name);
	fputs("\\fB\\-\\-", f);
	roff(f, o->name);
	fputs("\\fR", f);
	if (o->alias) {
		fputs(", \\fB\\-\\-", f);
		roff(f, o->alias);
		fputs("\\fR", f);
	}
	if (o->arg) {
		fputs(" \\fI", f);
		roff(f, o->arg);
		fputs("\\fR", f);
	}
	fputc('\n', f);
	roff(f, o->help);
	if (o->def) {
		fputs(" (default ", f);
		roff(f, o->def);
		fputc(')', f);
	}
	fputc('\n', f);
}

void help_man(FILE *f)
{
	size_t n, no;
	const struct cmd *c = cmd_all(&n);
	const struct opt *t = opt_all(&no);
	fprintf(f, ".TH MCPLOAD 1 \"\" \"mcpload %s\" \"User Commands\"\n", MCPL_VERSION);
	fputs(".SH NAME\nmcpload \\- load engine for MCP servers and the HTTP services behind "
	      "them\n.SH SYNOPSIS\n.B mcpload\n.I COMMAND\n[options]\n.SH DESCRIPTION\n",
	      f);
	roff(f, about_mcpload);
	fputs("\n.SH COMMANDS\n", f);
	for (size_t i = 0; i < n; i++) {
		fputs(".SS mcpload ", f);
		roff(f, opt_cmd_name(c[i].bit));
		fputc(' ', f);
		roff(f, c[i].synopsis);
		fputc('\n', f);
		roff(f, c[i].about);
		fputs("\n.PP\nExit status: ", f);
		roff(f, c[i].exit_text);
		fputc('\n', f);
		for (size_t k = 0; k < no; k++)
			if (t[k].cmds & c[i].bit)
				man_opt(f, &t[k]);
	}
	fputs(".SH EXIT STATUS\n0 success, 1 a failure (a target missed, a check failed, or the "
	      "run could not be done), 2 bad usage, 3 inconclusive.\n",
	      f);
}

/* --- completion --- */

static void words_of(FILE *f, const char *complete)
{
	if (!strcmp(complete, "scenario")) {
		unsigned ns;
		const struct scn *const *s = scn_all(&ns);
		for (unsigned i = 0; i < ns; i++)
			fprintf(f, "%s%s", i ? " " : "", s[i]->name);
	} else if (!strcmp(complete, "command")) {
		size_t n;
		const struct cmd *c = cmd_all(&n);
		for (size_t i = 0; i < n; i++)
			fprintf(f, "%s%s", i ? " " : "", opt_cmd_name(c[i].bit));
	} else {
		fputs(complete, f);
	}
}

static void bash_words(FILE *f, const char *complete)
{
	if (!strcmp(complete, "file") || !strcmp(complete, "dir"))
		fprintf(f, "COMPREPLY=($(compgen -%c -- \"$cur\"))",
			complete[0] == 'f' ? 'f' : 'd');
	else {
		fputs("COMPREPLY=($(compgen -W \"", f);
		words_of(f, complete);
		fputs("\" -- \"$cur\"))", f);
	}
}

static void bash(FILE *f)
{
	size_t n, no;
	const struct cmd *c = cmd_all(&n);
	const struct opt *t = opt_all(&no);
	fputs("# bash completion for mcpload (mcpload completion bash)\n"
	      "_mcpload() {\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd= i\n"
	      "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	      "\t\tcase ${COMP_WORDS[i]} in -*) ;; *) cmd=${COMP_WORDS[i]}; break ;; esac\n"
	      "\tdone\n"
	      "\tif [ -z \"$cmd\" ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"",
	      f);
	words_of(f, "command");
	fputs(" --help --version\" -- \"$cur\"))\n\t\treturn\n\tfi\n\tcase \"$cmd $prev\" in\n", f);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < no; k++) {
			const struct opt *o = &t[k];
			if (!(o->cmds & c[i].bit) || !o->arg)
				continue;
			fprintf(f, "\t\"%s --%s\"", opt_cmd_name(c[i].bit), o->name);
			if (o->short_name)
				fprintf(f, " | \"%s -%c\"", opt_cmd_name(c[i].bit), o->short_name);
			if (o->alias)
				fprintf(f, " | \"%s --%s\"", opt_cmd_name(c[i].bit), o->alias);
			fputs(")\n\t\t", f);
			if (o->complete)
				bash_words(f, o->complete);
			else
				fputs("COMPREPLY=()", f);
			fputs("\n\t\treturn ;;\n", f);
		}
	}
	fputs("\tesac\n\tcase \"$cmd\" in\n", f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "\t%s)\n\t\tif [[ $cur == -* ]]; then\n\t\t\tCOMPREPLY=($(compgen -W \"",
			opt_cmd_name(c[i].bit));
		const char *sep = "";
		for (size_t k = 0; k < no; k++) {
			const struct opt *o = &t[k];
			if (!(o->cmds & c[i].bit))
				continue;
			if (o->short_name)
				fprintf(f, "%s-%c", sep, o->short_name), sep = " ";
			fprintf(f, "%s--%s", sep, o->name);
			sep = " ";
			if (o->alias)
				fprintf(f, " --%s", o->alias);
		}
		fputs("\" -- \"$cur\"))\n\t\telse\n\t\t\t", f);
		if (c[i].pos_complete)
			bash_words(f, c[i].pos_complete);
		else
			fputs("COMPREPLY=()", f);
		fputs("\n\t\tfi ;;\n", f);
	}
	fputs("\tesac\n}\ncomplete -F _mcpload mcpload\n", f);
}

/* zsh _arguments text: no quotes, brackets or colons of its own. */
static void zsh_text(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len && s[i]; i++) {
		if (s[i] == '\'')
			fputs("'\\''", f);
		else if (s[i] == '[' || s[i] == ']' || s[i] == ':')
			fprintf(f, "\\%c", s[i]);
		else
			fputc(s[i], f);
	}
}

static void zsh_action(FILE *f, const char *complete)
{
	if (!complete)
		return;
	if (!strcmp(complete, "file"))
		fputs("_files", f);
	else if (!strcmp(complete, "dir"))
		fputs("_files -/", f);
	else {
		fputc('(', f);
		words_of(f, complete);
		fputc(')', f);
	}
}

static void zsh_opt(FILE *f, const struct opt *o)
{
	const char *nl = strchr(o->help, '\n');
	size_t hl = nl ? (size_t)(nl - o->help) : strlen(o->help);
	const char *names[3] = {NULL, o->name, o->alias};
	char shortn[3] = {'-', o->short_name, 0};
	names[0] = o->short_name ? shortn : NULL;
	for (int k = 0; k < 3; k++) {
		if (!names[k])
			continue;
		fprintf(f, "\t\t'%s%s[", k ? "--" : "", names[k]);
		zsh_text(f, o->help, hl);
		fputc(']', f);
		if (o->arg) {
			fputc(':', f);
			zsh_text(f, o->arg, strlen(o->arg));
			fputc(':', f);
			zsh_action(f, o->complete);
		}
		fputs("' \\\n", f);
	}
}

static void zsh(FILE *f)
{
	size_t n, no;
	const struct cmd *c = cmd_all(&n);
	const struct opt *t = opt_all(&no);
	fputs("#compdef mcpload\n# zsh completion for mcpload (mcpload completion zsh)\n"
	      "_mcpload() {\n\tlocal -a cmds\n\tcmds=(\n",
	      f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "\t\t'%s:", opt_cmd_name(c[i].bit));
		zsh_text(f, c[i].summary, strlen(c[i].summary));
		fputs("'\n", f);
	}
	fputs("\t)\n\tif (( CURRENT == 2 )); then\n\t\t_describe -t commands 'mcpload command' "
	      "cmds\n\t\treturn\n\tfi\n\tlocal cmd=$words[2]\n\tshift words\n\t(( CURRENT-- "
	      "))\n\tcase $cmd in\n",
	      f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "\t%s)\n\t\t_arguments -s \\\n", opt_cmd_name(c[i].bit));
		for (size_t k = 0; k < no; k++)
			if (t[k].cmds & c[i].bit)
				zsh_opt(f, &t[k]);
		fputs("\t\t'*:argument:", f);
		zsh_action(f, c[i].pos_complete);
		fputs("' ;;\n", f);
	}
	fputs("\tesac\n}\n_mcpload \"$@\"\n", f);
}

int help_completion(FILE *f, const char *shell)
{
	if (!strcmp(shell, "bash"))
		bash(f);
	else if (!strcmp(shell, "zsh"))
		zsh(f);
	else
		return -EINVAL;
	return 0;
}

struct help_opts {
	bool man;
};

static int help_set(void *ctx, enum opt_id id, const char *arg, char *why, size_t wl)
{
	(void)arg;
	(void)why;
	(void)wl;
	if (id == OPT_MAN)
		((struct help_opts *)ctx)->man = true;
	return 0;
}

int help_main(int argc, char **argv)
{
	struct help_opts o = {false};
	const char *pos[1];
	unsigned npos;
	char why[256];
	int r = cmd_parse(CMD_HELP, argc, argv, help_set, &o, pos, 1, &npos);
	if (r != CMD_GO)
		return r;
	if (o.man) {
		help_man(stdout);
		return CMD_EXIT_OK;
	}
	if (!npos) {
		help_overview(stdout);
		return CMD_EXIT_OK;
	}
	const struct cmd *c = cmd_find(pos[0]);
	if (!c) {
		snprintf(why, sizeof(why), "no command '%s'", pos[0]);
		return cmd_usage_error(CMD_HELP, why);
	}
	help_command(stdout, c);
	return CMD_EXIT_OK;
}

int completion_main(int argc, char **argv)
{
	const char *pos[1];
	unsigned npos;
	int r = cmd_parse(CMD_COMPLETION, argc, argv, cmd_no_options, NULL, pos, 1, &npos);
	if (r != CMD_GO)
		return r;
	if (npos != 1 || help_completion(stdout, pos[0]) < 0)
		return cmd_usage_error(CMD_COMPLETION, "completion for bash or zsh");
	return CMD_EXIT_OK;
}
