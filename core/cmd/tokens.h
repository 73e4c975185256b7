/*
 * tokens: `mcpload tokens`: exact LLM token counts of files or standard
 * input, as tiktoken counts them (cl100k_base or o200k_base).
 */
#ifndef MCPL_CORE_CMD_TOKENS_H
#define MCPL_CORE_CMD_TOKENS_H

/* Returns 0, 1 (an input could not be read; the others are counted), or 2
 * (bad usage). */
int tokens_main(int argc, char **argv);

#endif
