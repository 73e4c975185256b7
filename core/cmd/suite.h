/*
 * suite: `mcpload suite --target URL`: runs the NFR-Performance suite
 * (scenarios/nfr.c) phase by phase on the engine, judges every NFR, prints
 * the table and writes the JSON report. Exit status: 0 every NFR passed or
 * warned, 1 one failed, 2 bad usage, 3 inconclusive.
 */
#ifndef MCPL_CORE_CMD_SUITE_H
#define MCPL_CORE_CMD_SUITE_H

/* Returns the exit status (cmd.h). */
int suite_main(int argc, char **argv);

#endif
