/*
 * cmd: the command table (each command's name, synopsis, one-line summary,
 * description and exit statuses; its options are the rows of opt.c that
 * name it) and the dispatch from argv to the command's main. The exit
 * statuses every command returns are defined here.
 */
#ifndef MCPL_CORE_CMD_CMD_H
#define MCPL_CORE_CMD_CMD_H

#include <stddef.h>

#include "core/cmd/opt.h"

/* Exit statuses of every command. */
#define CMD_EXIT_OK	      0
#define CMD_EXIT_FAIL	      1 /* a target FAILed, a check failed, or the run could not be done */
#define CMD_EXIT_USAGE	      2 /* bad flag, bad value, a file or path that does not fit */
#define CMD_EXIT_INCONCLUSIVE 3 /* the generator could not keep its schedule, and the like */

struct cmd {
	unsigned bit;	       /* CMD_* of opt.h: the name, and which options it takes */
	const char *synopsis;  /* what follows "mcpload NAME" */
	const char *summary;   /* one line, for the overview */
	const char *about;     /* a paragraph: --help and the man page */
	const char *exit_text; /* the exit statuses, one paragraph */
	/* completion of the positional arguments: NULL (free text), "file",
	 * "scenario", "command", or a list of words */
	const char *pos_complete;
	/* argv[0] "mcpload", argv[1] the command's name; returns an exit status */
	int (*main)(int argc, char **argv);
};

/* The commands in the order help lists them; *n gets the count. */
const struct cmd *cmd_all(size_t *n);

/* The command by name, or NULL. */
const struct cmd *cmd_find(const char *name);

/* The program: dispatch argv[1] to its command (no command, -h or --help:
 * the overview; -V or --version: the version). Returns the exit status. */
int cmd_main(int argc, char **argv);

#define CMD_GO (-1) /* cmd_parse: go on with the command */

/*
 * Parse a command's argv (from argv[2]) by the option table: set takes each
 * option, the positional arguments go to pos[0..*npos) (at most maxpos).
 * -h/--help and -V/--version are answered here and a usage error printed.
 * Returns CMD_GO to go on, else the exit status to return.
 */
int cmd_parse(unsigned bit, int argc, char **argv, opt_set_fn set, void *ctx, const char **pos,
	      unsigned maxpos, unsigned *npos);

/* argv joined by spaces, as typed but for the value of a credential header
 * (-H 'Authorization: ...'), which is redacted (malloc'd; NULL when out of
 * memory). */
char *cmd_line(int argc, char **argv);

#define CMD_REDACTED "REDACTED"

/* h ("Name: value") as a report may print it: h itself, or out holding
 * "Name: REDACTED" when the name says the value is a credential. */
const char *cmd_redact_header(const char *h, char *out, size_t cap);

/* The setter of a command with no options of its own (but -h, -V). */
int cmd_no_options(void *ctx, enum opt_id id, const char *arg, char *why, size_t why_len);

/* Print "mcpload: WHY (see mcpload NAME --help)" on stderr for a usage error
 * of command bit; returns CMD_EXIT_USAGE. */
int cmd_usage_error(unsigned bit, const char *why);

#endif
