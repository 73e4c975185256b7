/*
 * out: the one way mcpload writes a file. "-" is standard output; a path
 * that is not a regular file (a FIFO, /dev/stdout, /dev/fd/N, a terminal)
 * is written in place, appended to; a regular file, or a new one, is
 * written atomically: a temporary file in the same directory, fsync, then
 * rename, so a reader never sees half a report. out_check runs before a
 * run, so an unwritable path is refused before any request is sent.
 */
#ifndef MCPL_STATS_REPORT_OUT_H
#define MCPL_STATS_REPORT_OUT_H

#include <stddef.h>
#include <stdio.h>

/* Can path be written as out_write would? Returns 0, or -errno with a
 * one-line reason in why (no such directory, not writable, a directory). */
int out_check(const char *path, char *why, size_t why_len);

/* Writes the document into f; returns 0 or -errno. */
typedef int (*out_fill_fn)(FILE *f, const void *ctx);

/* Write what fill produces to path. Returns 0, or -errno with a one-line
 * reason in why; a failed atomic write leaves no file behind. */
int out_write(const char *path, out_fill_fn fill, const void *ctx, char *why, size_t why_len);

#endif
