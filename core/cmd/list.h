/*
 * list: `mcpload list`: the compiled-in scenarios, each with its default
 * load and its variables.
 */
#ifndef MCPL_CORE_CMD_LIST_H
#define MCPL_CORE_CMD_LIST_H

/* Returns the exit status (cmd.h). */
int list_main(int argc, char **argv);

#endif
