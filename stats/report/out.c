/*
 * out: standard output, in place, or atomically by rename. A regular file
 * reached through a symbolic link is replaced at the link's target, so the
 * link stays a link; /dev/ and /proc/ paths are never replaced, whatever
 * they point at (replacing /dev/stdout would turn the link into a file).
 */
#include "stats/report/out.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_stdout(const char *path)
{
	return strcmp(path, "-") == 0;
}

static bool in_place(const char *path)
{
	struct stat st;
	if (!strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6))
		return true;
	/* a directory is neither: it is refused, not written into */
	return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

/* The file an atomic write replaces: a symlink's target (even one that
 * does not exist yet), so the link stays a link; buf is PATH_MAX bytes. */
static const char *final_path(const char *path, char *buf)
{
	struct stat st;
	char link[PATH_MAX], dir[PATH_MAX];
	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return path;
	if (realpath(path, buf))
		return buf;
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return path;
	link[n] = 0;
	if (link[0] == '/') {
		snprintf(buf, PATH_MAX, "%s", link);
		return buf;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	if (snprintf(buf, PATH_MAX, "%s/%s", dirname(dir), link) >= PATH_MAX)
		return path;
	return buf;
}

static int fail(char *why, size_t wl, const char *path, int err)
{
	snprintf(why, wl, "cannot write %s: %s", path, strerror(err));
	return -err;
}

int out_check(const char *path, char *why, size_t wl)
{
	char real[PATH_MAX], dir[PATH_MAX];
	struct stat st;
	if (is_stdout(path))
		return 0;
	if (!*path)
		return fail(why, wl, "''", ENOENT);
	if (in_place(path))
		return access(path, W_OK) == 0 ? 0 : fail(why, wl, path, errno);
	const char *target = final_path(path, real);
	if (stat(target, &st) == 0 && S_ISDIR(st.st_mode))
		return fail(why, wl, path, EISDIR);
	snprintf(dir, sizeof(dir), "%s", target);
	const char *d = dirname(dir);
	if (stat(d, &st) < 0)
		return fail(why, wl, path, errno);
	if (!S_ISDIR(st.st_mode))
		return fail(why, wl, path, ENOTDIR);
	if (access(d, W_OK | X_OK) < 0)
		return fail(why, wl, path, errno);
	return 0;
}

static int finish(FILE *f, int err)
{
	if (fflush(f) != 0 && !err)
		err = -errno;
	if (ferror(f) && !err)
		err = -EIO;
	return err;
}

static int write_stdout(out_fill_fn fill, const void *ctx, char *why, size_t wl)
{
	int err = finish(stdout, fill(stdout, ctx));
	return err ? fail(why, wl, "standard output", -err) : 0;
}

static int write_in_place(const char *path, out_fill_fn fill, const void *ctx, char *why, size_t wl)
{
	/* what went to stdout before goes first when path is stdout again */
	fflush(stdout);
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "a") : NULL;
	if (!f) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return fail(why, wl, path, e);
	}
	int err = finish(f, fill(f, ctx));
	if (fclose(f) != 0 && !err)
		err = -errno;
	return err ? fail(why, wl, path, -err) : 0;
}

static int write_atomic(const char *path, out_fill_fn fill, const void *ctx, char *why, size_t wl)
{
	char real[PATH_MAX], tmp[PATH_MAX + 16], dir[PATH_MAX];
	const char *target = final_path(path, real);
	mode_t mask = umask(0);
	umask(mask);
	snprintf(dir, sizeof(dir), "%s", target);
	if (snprintf(tmp, sizeof(tmp), "%s/.mcpload.XXXXXX", dirname(dir)) >= (int)sizeof(tmp))
		return fail(why, wl, path, ENAMETOOLONG);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return fail(why, wl, path, errno);
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return fail(why, wl, path, e);
	}
	int err = finish(f, fill(f, ctx));
	if (!err && fchmod(fd, 0666 & ~mask) != 0)
		err = -errno;
	if (!err && fsync(fd) != 0)
		err = -errno;
	if (fclose(f) != 0 && !err)
		err = -errno;
	if (!err && rename(tmp, target) != 0)
		err = -errno;
	if (err) {
		unlink(tmp);
		return fail(why, wl, path, -err);
	}
	return 0;
}

int out_write(const char *path, out_fill_fn fill, const void *ctx, char *why, size_t wl)
{
	if (is_stdout(path))
		return write_stdout(fill, ctx, why, wl);
	if (in_place(path))
		return write_in_place(path, fill, ctx, why, wl);
	return write_atomic(path, fill, ctx, why, wl);
}
