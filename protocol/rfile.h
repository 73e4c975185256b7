/*
 * rfile: a whole stream read into memory, growing by doubling, with a cap:
 * the local files NFR-03 counts, the inputs of mcpload tokens, the shard
 * reports mcpload merge adds up.
 */
#ifndef MCPL_PROTOCOL_RFILE_H
#define MCPL_PROTOCOL_RFILE_H

#include <stddef.h>
#include <stdio.h>

/*
 * All of f into a malloc'd buffer (the caller frees it), its length in
 * *len. Returns NULL with errno ENOMEM, EFBIG (more than max bytes) or EIO
 * (a read error).
 */
char *rfile_read(FILE *f, size_t max, size_t *len);

/* rfile_read of the file at path (opened and closed here); errno also
 * what fopen said. */
char *rfile_path(const char *path, size_t max, size_t *len);

#endif
