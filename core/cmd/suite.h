/*
 * suite: `mcpload suite --target URL`: runs the NFR-Performance suite
 * (scenarios/nfr.c) phase by phase on the engine, judges every NFR, prints
 * the table and writes the JSON report. Exit status: 0 every NFR passed or
 * warned, 1 one failed, 2 bad usage, 3 inconclusive.
 */
#ifndef MCPL_CORE_CMD_SUITE_H
#define MCPL_CORE_CMD_SUITE_H

/* --smoke's self-check bar (--on-time) unless one is given: phases of a
 * few seconds, where a shared machine's late timer wake-ups weigh more. */
#define SUITE_SMOKE_ON_TIME_PCT 95.0

/* Returns the exit status (cmd.h). */
int suite_main(int argc, char **argv);

#endif
