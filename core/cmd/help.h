/*
 * help: everything printed about the commands and their options, generated
 * from the command table (cmd.c) and the option table (opt.c): a command's
 * --help, the overview, the man page and the bash and zsh completion
 * scripts. Nothing here is written by hand per option.
 */
#ifndef MCPL_CORE_CMD_HELP_H
#define MCPL_CORE_CMD_HELP_H

#include <stdio.h>

#include "core/cmd/cmd.h"

/* A command's --help: usage, description, options, exit statuses. */
void help_command(FILE *f, const struct cmd *c);

/* Bare `mcpload`: the usage line and the commands, for stderr. */
void help_usage(FILE *f);

/* `mcpload --help`: every command with its summary and its options. */
void help_overview(FILE *f);

/* The manual page, roff (man 7 man). */
void help_man(FILE *f);

/* The completion script for "bash" or "zsh". Returns 0, or -EINVAL for
 * another shell. */
int help_completion(FILE *f, const char *shell);

/* `mcpload help [COMMAND] [--man]`. Returns an exit status. */
int help_main(int argc, char **argv);

/* `mcpload completion bash|zsh`. Returns an exit status. */
int completion_main(int argc, char **argv);

#endif
