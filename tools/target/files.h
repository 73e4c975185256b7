/*
 * files: the file tree an AI agent loaded whole before the SDLC framework
 * moved behind MCP (`mcpload-target --write-files DIR`, docs/target.md): the
 * framework guide, its pattern and template files, and the local task and
 * ID tracking files, written from the data the server serves, so that a
 * token count of the files and one of the MCP answers measure the same text.
 */
#ifndef MCPL_TARGET_FILES_H
#define MCPL_TARGET_FILES_H

#include <stddef.h>
#include <stdint.h>

struct files_total {
	unsigned files;
	uint64_t bytes; /* of all files written */
};

/*
 * Write the tree under dir, creating directories as needed and overwriting
 * the files it writes (nothing else is touched):
 *   CLAUDE.md                                  the resource sdlc://core
 *   prompts/CLAUDE/python/patterns-NAME.md     each patterns://python/NAME
 *   prompts/templates/TYPE.md                  each templates://TYPE
 *   artifacts/tasks.md                         the tasks, a markdown table
 *   artifacts/id_registry.md                   the ID registry, a table
 * Resource files are byte-identical to what resources/read returns. Needs
 * res_init and store_init done, and the store as seeded for the same bytes
 * every run. Returns 0 with *total set, or a negative errno with the path
 * that failed in where (cap bytes, terminated).
 */
int files_write(const char *dir, struct files_total *total, char *where, size_t cap);

#endif
