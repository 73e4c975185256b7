/*
 * files: writes the pre-MCP file tree. Resource files are the resources'
 * own bytes; the two tracking files are markdown tables drawn from the
 * store as seeded, with paths from the same rule resolve_artifact_path uses.
 * Tables are built in memory (open_memstream) so every file is written, and
 * counted, the same way.
 */
#include "tools/target/files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/target/res.h"
#include "tools/target/store.h"
#include "tools/target/tool.h"

/* Where a write stands: the tree's root, the totals, the failing path. */
struct files_out {
	const char *dir;
	struct files_total *total;
	char *where;
	size_t cap;
};

static int failed(struct files_out *o, const char *path, int err)
{
	snprintf(o->where, o->cap, "%s", path);
	return -err;
}

/* One directory: made, or already there as a directory. */
static int make_dir(const char *path)
{
	struct stat st;
	if (mkdir(path, 0755) == 0)
		return 0;
	if (errno != EEXIST)
		return -errno;
	if (stat(path, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/* mkdir -p: each prefix of path that ends before a '/', then path. */
static int make_dirs(struct files_out *o, char *path)
{
	int rc;
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		rc = make_dir(path);
		if (rc < 0)
			return failed(o, path, -rc);
		*p = '/';
	}
	rc = make_dir(path);
	return rc < 0 ? failed(o, path, -rc) : 0;
}

/* Write data[0..len) to dir/rel, replacing what was there. */
static int put(struct files_out *o, const char *rel, const char *data, size_t len)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s/%s", o->dir, rel);
	if (n < 0 || (size_t)n >= sizeof(path))
		return failed(o, rel, ENAMETOOLONG);
	char *slash = strrchr(path, '/');
	*slash = 0;
	int rc = make_dirs(o, path);
	*slash = '/';
	if (rc < 0)
		return rc;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return failed(o, path, errno);
	for (size_t done = 0; done < len;) {
		ssize_t w = write(fd, data + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			rc = errno;
			goto out_close_fd;
		}
		done += (size_t)w;
	}
	if (close(fd) < 0)
		return failed(o, path, errno);
	o->total->files++;
	o->total->bytes += len;
	return 0;
out_close_fd:
	close(fd);
	return failed(o, path, rc);
}

static int put_tasks(struct files_out *o)
{
	struct store_task t[STORE_TASKS];
	unsigned count[STATUS__COUNT] = {0};
	char *buf = NULL;
	size_t len = 0;
	for (unsigned i = 0; i < STORE_TASKS; i++) {
		store_get_task(i + 1, &t[i]);
		count[t[i].status]++;
	}
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return failed(o, "artifacts/tasks.md", ENOMEM);
	fprintf(f,
		"# Task Tracking\n\n"
		"The SDLC backlog: %u tasks (%u pending, %u in progress, %u done, %u blocked).\n"
		"Take the first pending task and set it to in_progress; on every status\n"
		"change (pending, in_progress, done, blocked) bump its version.\n\n"
		"| ID | Title | Status | Version |\n"
		"|----|-------|--------|---------|\n",
		STORE_TASKS, count[STATUS_PENDING], count[STATUS_IN_PROGRESS], count[STATUS_DONE],
		count[STATUS_BLOCKED]);
	for (unsigned i = 0; i < STORE_TASKS; i++) {
		fprintf(f, "| TASK-%04u | " STORE_TASK_TITLE " | %s | %llu |\n", t[i].id, t[i].id,
			store_status_name(t[i].status), (unsigned long long)t[i].version);
	}
	if (fclose(f) != 0) {
		free(buf);
		return failed(o, "artifacts/tasks.md", ENOMEM);
	}
	int rc = put(o, "artifacts/tasks.md", buf, len);
	free(buf);
	return rc;
}

/* A row per id taken (1 .. next - 1 of each type), with its path. */
static int put_registry(struct files_out *o)
{
	char *buf = NULL, name[16], path[128];
	size_t len = 0;
	uint64_t next;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return failed(o, "artifacts/id_registry.md", ENOMEM);
	fprintf(f, "# ID Registry\n\n"
		   "Every artifact id handed out, one row per id. Before writing an artifact,\n"
		   "take the next free id of its type and add its row here.\n\nNext free:");
	for (unsigned i = 0; store_id_type(i, name, &next); i++)
		fprintf(f, "%s %s-%03llu", i ? "," : "", name, (unsigned long long)next);
	fprintf(f, ".\n\n"
		   "| ID | Type | Path | Status |\n"
		   "|----|------|------|--------|\n");
	for (unsigned i = 0; store_id_type(i, name, &next); i++) {
		for (uint64_t id = 1; id < next; id++) {
			if (tool_artifact_path(name, strlen(name), id, path, sizeof(path)) < 0)
				snprintf(path, sizeof(path), "-");
			fprintf(f, "| %s-%03llu | %s | %s | reserved |\n", name,
				(unsigned long long)id, name, path);
		}
	}
	if (fclose(f) != 0) {
		free(buf);
		return failed(o, "artifacts/id_registry.md", ENOMEM);
	}
	int rc = put(o, "artifacts/id_registry.md", buf, len);
	free(buf);
	return rc;
}

int files_write(const char *dir, struct files_total *total, char *where, size_t cap)
{
	struct files_out o = {.dir = dir, .total = total, .where = where, .cap = cap};
	char rel[128];
	int rc;
	*total = (struct files_total){0};
	for (unsigned i = 0; i < res_count(); i++) {
		const struct res *r = res_at(i);
		if (r->type == RES_SDLC)
			snprintf(rel, sizeof(rel), "CLAUDE.md");
		else if (r->type == RES_PATTERNS)
			snprintf(rel, sizeof(rel), "prompts/CLAUDE/python/patterns-%s.md", r->name);
		else
			snprintf(rel, sizeof(rel), "prompts/templates/%s.md", r->name);
		rc = put(&o, rel, r->text, r->len);
		if (rc < 0)
			return rc;
	}
	rc = put_tasks(&o);
	return rc < 0 ? rc : put_registry(&o);
}
