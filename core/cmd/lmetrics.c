/*
 * lmetrics: a minimal HTTP/1.0 responder for Prometheus scrapes. It reads a
 * request head (at most 1 KB, 2 s), answers GET /metrics with the text
 * exposition format and anything else with 404, then closes: one scrape
 * per connection, as Prometheus does with Connection: close honoured.
 */
#include "core/cmd/lmetrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SCRAPE_TIMEOUT_NS (2 * 1000000000ull)

static int parse_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[64];
	const char *colon = strrchr(addr, ':');
	char *end;
	long port = colon ? strtol(colon + 1, &end, 10) : -1;
	size_t hl = colon ? (size_t)(colon - addr) : 0;
	if (!colon || *end || port < 1 || port > 65535 || hl == 0 || hl >= sizeof(host))
		return -EINVAL;
	if (addr[0] == '[' && hl > 2 && addr[hl - 1] == ']')
		memcpy(host, addr + 1, hl - 2), host[hl - 2] = 0;
	else
		memcpy(host, addr, hl), host[hl] = 0;
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		*len = sizeof(*v4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*v6);
		return 0;
	}
	return -EINVAL;
}

int lmetrics_check(const char *addr, char *why, size_t wl)
{
	struct sockaddr_storage ss;
	socklen_t len;
	if (parse_addr(addr, &ss, &len) == 0)
		return 0;
	snprintf(why, wl, "--live-metrics %s: an IP address and port (127.0.0.1:9464)", addr);
	return -EINVAL;
}

int lmetrics_open(struct lmetrics *m, const char *addr, char *why, size_t wl)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1, r;
	memset(m, 0, sizeof(*m));
	for (unsigned i = 0; i < LMETRICS_PENDING; i++)
		m->pending[i].fd = -1;
	m->fd = -1;
	if (parse_addr(addr, &ss, &len) < 0)
		return lmetrics_check(addr, why, wl);
	m->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (m->fd < 0 || setsockopt(m->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(m->fd, (struct sockaddr *)&ss, len) < 0 || listen(m->fd, 16) < 0) {
		r = -errno;
		snprintf(why, wl, "--live-metrics %s: %s", addr, strerror(errno));
		lmetrics_close(m);
		return r;
	}
	return 0;
}

void lmetrics_second(struct lmetrics *m, const struct tline_sec *s)
{
	m->seconds++;
	m->requests += s->responses;
	m->failures += s->errors;
	m->scheduled += s->scheduled;
	m->on_time += s->on_time;
	for (unsigned k = 0; k < TLINE_ERR_KINDS; k++)
		m->errs[k] += s->errs[k];
	m->last = *s;
}

static void metric(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A metric of one unlabelled sample. */
static void one(FILE *f, const char *name, const char *type, const char *help, uint64_t v)
{
	metric(f, name, type, help);
	fprintf(f, "%s %llu\n", name, (unsigned long long)v);
}

static void body(FILE *f, const struct lmetrics *m)
{
	const struct tline_sec *s = &m->last;
	static const char *const q[] = {"0.5", "0.99", "1"};
	const uint64_t lat[] = {s->p50_ns, s->p99_ns, s->max_bucket_ns};
	one(f, "mcpload_elapsed_seconds", "gauge", "Complete seconds of the measured phase.",
	    m->seconds);
	one(f, "mcpload_duration_seconds", "gauge", "Length of the measured phase (0: unbounded).",
	    m->duration_s);
	one(f, "mcpload_responses_total", "counter",
	    "Responses so far, as the JSON timeline counts them.", m->requests);
	metric(f, "mcpload_failures_total", "counter", "Failed requests so far, by class.");
	for (unsigned k = 0; k < TLINE_ERR_KINDS; k++)
		if (m->errs[k] || k == TLINE_ERR_5XX)
			fprintf(f, "mcpload_failures_total{class=\"%s\"} %llu\n", tline_err_key(k),
				(unsigned long long)m->errs[k]);
	one(f, "mcpload_last_second_responses", "gauge", "Responses in the last complete second.",
	    s->responses);
	one(f, "mcpload_last_second_failures", "gauge", "Failures in the last complete second.",
	    s->errors);
	metric(f, "mcpload_last_second_latency_seconds", "gauge",
	       "Latency of the last complete second's responses (corrected in the open model).");
	for (unsigned i = 0; i < 3; i++)
		fprintf(f, "mcpload_last_second_latency_seconds{quantile=\"%s\"} %.9f\n", q[i],
			(double)lat[i] / 1e9);
	one(f, "mcpload_last_second_users", "gauge", "Scenario users running in the last second.",
	    s->users);
	one(f, "mcpload_arrivals_total", "counter", "Open model: arrivals due so far.",
	    m->scheduled);
	one(f, "mcpload_arrivals_on_time_total", "counter",
	    "Open model: arrivals applied within 1 ms of their time (lean: of its window).",
	    m->on_time);
	one(f, "mcpload_scrapes_total", "counter", "Scrapes answered, this one included.",
	    m->scrapes);
}

/* Answer the request head in p (a GET of /metrics, else 404), close. */
static void answer(struct lmetrics *m, int fd, const char *req)
{
	char *text = NULL, head[256];
	size_t n = 0;
	bool ok = !strncmp(req, "GET /metrics ", 13) || !strncmp(req, "GET /metrics?", 13);
	FILE *f = open_memstream(&text, &n);
	if (!f) {
		close(fd);
		return;
	}
	if (ok) {
		m->scrapes++;
		body(f, m);
	} else {
		fputs("not found: GET /metrics\n", f);
	}
	fclose(f);
	int hl = snprintf(head, sizeof(head),
			  "HTTP/1.0 %s\r\nContent-Type: text/plain; version=0.0.4; "
			  "charset=utf-8\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
			  ok ? "200 OK" : "404 Not Found", n);
	/* small enough for the socket's buffer: a refused write ends the
	 * scrape, never the run */
	if (send(fd, head, (size_t)hl, MSG_NOSIGNAL) == hl)
		(void)!send(fd, text, n, MSG_NOSIGNAL);
	free(text);
	close(fd);
}

static void read_pending(struct lmetrics *m, unsigned i, uint64_t now_ns)
{
	struct lmetrics_conn *p = &m->pending[i];
	ssize_t r = recv(p->fd, p->req + p->got, sizeof(p->req) - 1 - p->got, MSG_DONTWAIT);
	if (r > 0) {
		p->got += (size_t)r;
		p->req[p->got] = 0;
	}
	if (strstr(p->req, "\r\n\r\n") || strstr(p->req, "\n\n") || p->got + 1 >= sizeof(p->req)) {
		answer(m, p->fd, p->req);
		p->fd = -1;
	} else if (r == 0 || (r < 0 && errno != EAGAIN) ||
		   now_ns - p->since_ns > SCRAPE_TIMEOUT_NS) {
		close(p->fd);
		p->fd = -1;
	}
}

void lmetrics_serve(struct lmetrics *m, uint64_t now_ns)
{
	if (m->fd < 0)
		return;
	for (unsigned i = 0; i < LMETRICS_PENDING; i++) {
		if (m->pending[i].fd < 0) {
			int fd = accept4(m->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
			if (fd < 0)
				continue;
			m->pending[i].fd = fd;
			m->pending[i].since_ns = now_ns;
			m->pending[i].got = 0;
			m->pending[i].req[0] = 0;
		}
		read_pending(m, i, now_ns);
	}
}

void lmetrics_close(struct lmetrics *m)
{
	for (unsigned i = 0; i < LMETRICS_PENDING; i++)
		if (m->pending[i].fd >= 0)
			close(m->pending[i].fd), m->pending[i].fd = -1;
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
}
