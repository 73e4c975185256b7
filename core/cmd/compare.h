/*
 * compare: `mcpload compare BASELINE.json NEW.json [--threshold P]`: the
 * regression check between two runs (run/http --json files or suite
 * reports): a figure worse by more than P % and by more than the runs' own
 * per-second noise is a regression. Exit 0 none, 1 a regression, 2 usage.
 */
#ifndef MCPL_CORE_CMD_COMPARE_H
#define MCPL_CORE_CMD_COMPARE_H

/* argv[0] is "mcpload", argv[1] "compare". Returns the exit status. */
int compare_main(int argc, char **argv);

#endif
