/*
 * trest: the tests' REST service (see trest.h). One thread a connection,
 * keep-alive, Content-Length bodies; state behind one mutex, so the id
 * blocks it hands out never overlap and the suite's collision check
 * must find none.
 */
#include "tests/trest.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/tsrv.h"

static const char openapi[] =
    "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"Ticket service\",\"version\":\"2.0\"},"
    "\"paths\":{"
    "\"/api/v2/queue/claim\":{\"get\":{\"summary\":\"Claim the next ticket\","
    "\"responses\":{\"200\":{\"description\":\"OK\"}}}},"
    "\"/api/v2/tickets/{key}\":{\"get\":{\"summary\":\"Read a ticket\",\"responses\":{\"200\":"
    "{\"description\":\"OK\"}}},\"patch\":{\"summary\":\"Move a ticket\",\"requestBody\":{"
    "\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/Move\"}}}},"
    "\"responses\":{\"204\":{\"description\":\"Moved\"},\"422\":{\"description\":\"Bad "
    "state\"}}}},"
    "\"/api/v2/queue/reset\":{\"post\":{\"summary\":\"Reopen every ticket\",\"responses\":{"
    "\"200\":{\"description\":\"OK\"}}}},"
    "\"/api/v2/blocks\":{\"post\":{\"summary\":\"Reserve a block of ids\",\"requestBody\":{"
    "\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/Block\"}}}},"
    "\"responses\":{\"201\":{\"description\":\"Reserved\"}}}}},"
    "\"components\":{\"schemas\":{\"Move\":{\"type\":\"object\",\"properties\":{\"state\":{"
    "\"type\":\"string\",\"enum\":[\"WORKING\",\"DONE\",\"OPEN\"]}},\"required\":[\"state\"]},"
    "\"Block\":{\"type\":\"object\",\"properties\":{\"size\":{\"type\":\"integer\",\"minimum\":1,"
    "\"default\":10}},\"required\":[\"size\"]}}}}";

static bool reply(int fd, unsigned status, const char *reason, const char *body)
{
	char head[256];
	size_t blen = body ? strlen(body) : 0;
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %u %s\r\n%sContent-Length: %zu\r\n\r\n",
			 status, reason, blen ? "Content-Type: application/json\r\n" : "", blen);
	if (send(fd, head, (size_t)n, MSG_NOSIGNAL) != n)
		return false;
	return !blen || send(fd, body, blen, MSG_NOSIGNAL) == (ssize_t)blen;
}

static bool claim(struct trest *s, int fd)
{
	char body[128];
	int key = -1;
	pthread_mutex_lock(&s->lock);
	for (unsigned i = 0; i < TREST_TICKETS && key < 0; i++) {
		unsigned k = (s->next_claim + i) % TREST_TICKETS;
		if (s->state[k] == 0) {
			key = (int)k + 1;
			s->next_claim = k + 1;
		}
	}
	pthread_mutex_unlock(&s->lock);
	s->claims++;
	if (key < 0)
		return reply(fd, 409, "Conflict", "{\"detail\":\"queue empty\"}");
	snprintf(body, sizeof(body), "{\"ticket\":{\"key\":%d,\"state\":\"OPEN\"}}", key);
	return reply(fd, 200, "OK", body);
}

static bool ticket(struct trest *s, int fd, const char *method, unsigned key, const char *body)
{
	static const char *const names[] = {"OPEN", "WORKING", "DONE"};
	char out[128];
	if (key < 1 || key > TREST_TICKETS)
		return reply(fd, 404, "Not Found", "{\"detail\":\"no such ticket\"}");
	if (!strcmp(method, "GET")) {
		snprintf(out, sizeof(out), "{\"ticket\":{\"key\":%u,\"state\":\"%s\"}}", key,
			 names[s->state[key - 1]]);
		return reply(fd, 200, "OK", out);
	}
	s->patches++;
	for (int st = 0; st < 3; st++) {
		snprintf(out, sizeof(out), "\"state\":\"%s\"", names[st]);
		if (body && strstr(body, out)) {
			pthread_mutex_lock(&s->lock);
			s->state[key - 1] = (unsigned char)st;
			pthread_mutex_unlock(&s->lock);
			return reply(fd, 204, "No Content", NULL);
		}
	}
	s->bad_states++;
	return reply(fd, 422, "Unprocessable Entity",
		     "{\"detail\":\"state must be OPEN, WORKING or DONE\"}");
}

static bool route(struct trest *s, int fd, const char *method, const char *path, const char *body)
{
	unsigned key;
	char out[128];
	if (!strcmp(method, "GET") && !strcmp(path, "/api/v2/queue/claim"))
		return claim(s, fd);
	if (sscanf(path, "/api/v2/tickets/%u", &key) == 1 &&
	    (!strcmp(method, "GET") || !strcmp(method, "PATCH")))
		return ticket(s, fd, method, key, body);
	if (!strcmp(method, "POST") && !strcmp(path, "/api/v2/queue/reset")) {
		unsigned n = 0;
		pthread_mutex_lock(&s->lock);
		for (unsigned i = 0; i < TREST_TICKETS; i++) {
			n += s->state[i] != 0;
			s->state[i] = 0;
		}
		s->next_claim = 0;
		pthread_mutex_unlock(&s->lock);
		s->resets++;
		snprintf(out, sizeof(out), "{\"reopened\":%u}", n);
		return reply(fd, 200, "OK", out);
	}
	if (!strcmp(method, "POST") && !strcmp(path, "/api/v2/blocks")) {
		const char *sz = body ? strstr(body, "\"size\":") : NULL;
		long n = sz ? strtol(sz + 7, NULL, 10) : 0;
		if (n < 1 || n > 1000)
			return reply(fd, 422, "Unprocessable Entity",
				     "{\"detail\":\"size: 1 to 1000\"}");
		pthread_mutex_lock(&s->lock);
		int64_t first = s->next_id;
		s->next_id += n;
		pthread_mutex_unlock(&s->lock);
		s->blocks++;
		snprintf(out, sizeof(out), "{\"block\":{\"first\":%lld,\"stop\":%lld}}",
			 (long long)first, (long long)(first + n));
		return reply(fd, 201, "Created", out);
	}
	if (!strcmp(method, "GET") && !strcmp(path, "/openapi.json"))
		return reply(fd, 200, "OK", openapi);
	s->others++;
	return reply(fd, 404, "Not Found", "{\"detail\":\"Not Found\"}");
}

static bool answer(void *srv, int fd, const char *method, const char *path, const char *body)
{
	return route(srv, fd, method, path, body);
}

static void *client_thread(void *arg)
{
	tsrv_serve_requests(arg, answer);
	return NULL;
}

bool trest_start(struct trest *s)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	s->next_id = 1000;
	s->fd = tsrv_listen(AF_INET, &s->port, client_thread, s, &s->stop);
	return s->fd >= 0;
}

unsigned trest_taken(struct trest *s)
{
	unsigned n = 0;
	pthread_mutex_lock(&s->lock);
	for (unsigned i = 0; i < TREST_TICKETS; i++)
		n += s->state[i] != 0;
	pthread_mutex_unlock(&s->lock);
	return n;
}
