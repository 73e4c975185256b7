/*
 * init: `mcpload init URL [-o FILE]`: asks the server what it offers (MCP
 * tools, resources and prompts in either era, through every page; the
 * OpenAPI document's routes) and writes a commented suite configuration
 * to run with `mcpload suite --config FILE` (core/cmd/iwrite writes it).
 * Exit status: 0 written, 1 the server could not be reached or the file
 * not written, 2 bad usage.
 */
#ifndef MCPL_CORE_CMD_INIT_H
#define MCPL_CORE_CMD_INIT_H

/* Returns the exit status (cmd.h). */
int init_main(int argc, char **argv);

#endif
