/*
 * memsrc: resident-memory reads for soak runs: /proc/PID/statm, or a
 * Prometheus scrape of process_resident_memory_bytes. Slow next to a
 * request, so only the supervising thread calls them.
 */
#include "core/probe/memsrc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/probe/probe.h"
#include "protocol/prom.h"

int64_t memsrc_rss(int pid)
{
	char path[64], buf[128];
	unsigned long long size, resident;
	if (pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/statm", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/statm");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int err = n < 0 ? -errno : 0;
	close(fd);
	if (n <= 0)
		return err ? err : -ESRCH; /* an exited process reads empty */
	buf[n] = 0;
	if (sscanf(buf, "%llu %llu", &size, &resident) != 2)
		return -EINVAL;
	if (size == 0)
		return -ESRCH; /* a zombie: exited, not yet reaped */
	return (int64_t)resident * sysconf(_SC_PAGESIZE);
}

/* The server's resident bytes now, or -errno with the reason in why. */
static int64_t read_server(const struct memtrend_opts *o, char *why, size_t why_len)
{
	if (o->server_pid) {
		int64_t r = memsrc_rss(o->server_pid);
		if (r < 0)
			snprintf(why, why_len, "cannot read /proc/%d/statm: %s", o->server_pid,
				 r == -ENOENT || r == -ESRCH ? "no such process"
							     : strerror((int)-r));
		return r;
	}
	char *body;
	size_t len;
	double v = 0;
	int r =
	    probe_get(o->metrics_url, NULL, o->tls, MEMSRC_SCRAPE_NS, &body, &len, why, why_len);
	if (r < 0)
		return r;
	int k = prom_sum(body, len, "process_resident_memory_bytes", &v);
	free(body);
	if (k <= 0 || v < 0) {
		snprintf(why, why_len, "%s has no process_resident_memory_bytes", o->metrics_url);
		return -ENOENT;
	}
	return (int64_t)v;
}

int memsrc_check(const struct memtrend_opts *o, char *why, size_t why_len)
{
	if (!o->server_pid && !o->metrics_url)
		return 0;
	int64_t r = read_server(o, why, why_len);
	return r < 0 ? (int)r : 0;
}

static void sample(struct memtrend *m, uint64_t now_ns)
{
	char why[160] = "";
	int64_t srv = -ENOENT;
	bool gone = false;
	if (m->server && !m->gone) {
		srv = read_server(&m->o, why, sizeof(why));
		gone = srv < 0 && m->o.server_pid && (srv == -ENOENT || srv == -ESRCH);
	}
	memtrend_sample(m, now_ns, srv, gone, why, memsrc_rss(0));
}

int memsrc_start(struct memtrend *m, const struct memtrend_opts *o, uint64_t t0_ns,
		 uint64_t warmup_ns, uint64_t seconds)
{
	int r = memtrend_init(m, o, t0_ns, warmup_ns, seconds);
	if (r == 0)
		sample(m, t0_ns);
	return r;
}

void memsrc_tick(struct memtrend *m, uint64_t now_ns)
{
	if (memtrend_due(m, now_ns))
		sample(m, now_ns);
}

void memsrc_finish(struct memtrend *m, uint64_t now_ns)
{
	if (!m->t_s)
		return;
	sample(m, now_ns);
	memtrend_finish(m);
}
