/*
 * main: mcpload's entry point: the command table decides what runs
 * (core/cmd/cmd.c). Exit status: 0 done, 1 a failure (a target missed, a
 * check failed, or the run could not be done), 2 bad usage, 3 inconclusive.
 */
#include "core/cmd/cmd.h"

int main(int argc, char **argv)
{
	return cmd_main(argc, argv);
}
