/*
 * show: `mcpload show NAME|FILE`: a scenario written out as a scenario
 * file, the way to start one's own from a compiled-in scenario.
 */
#ifndef MCPL_CORE_CMD_SHOW_H
#define MCPL_CORE_CMD_SHOW_H

/* Returns the exit status (cmd.h). */
int show_main(int argc, char **argv);

#endif
