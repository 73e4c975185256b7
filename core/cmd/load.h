/*
 * load: `mcpload http URL` and `mcpload run SCENARIO`: one load (or
 * --repeat N of them), the summary, the JSON and the exit status.
 */
#ifndef MCPL_CORE_CMD_LOAD_H
#define MCPL_CORE_CMD_LOAD_H

/* argv[1] is "http" or "run". Returns the exit status (cmd.h). */
int load_main(int argc, char **argv);

#endif
