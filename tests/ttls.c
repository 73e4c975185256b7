/*
 * ttls: a loopback HTTPS server for the tests, on BearSSL's server engine
 * with its blocking I/O wrapper (fine in a test; the client never uses it),
 * and the certificates it serves made with the openssl command.
 */
#include "tests/ttls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/tsrv.h"

/* openssl, quietly; false when it fails. */
static bool sh(const char *dir, const char *cmd)
{
	char line[2048];
	snprintf(line, sizeof(line), "cd %s && %s >/dev/null 2>&1", dir, cmd);
	if (system(line) == 0)
		return true;
	fprintf(stderr, "ttls: failed: %s\n", cmd);
	return false;
}

#define EC "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"

static bool make_certs(const char *d)
{
	return sh(d, "printf 'subjectAltName=DNS:localhost\\nbasicConstraints=CA:FALSE\\n' > "
		     "ext.cnf && printf 'subjectAltName=DNS:other.example\\n' > other.cnf") &&
	       sh(d, "openssl req -x509 " EC " -keyout ca.key -out ca.pem -days 30 -subj "
		     "'/CN=mcpload test CA'") &&
	       sh(d, "openssl req -x509 " EC " -keyout other-ca.key -out other-ca.pem -days 30 "
		     "-subj '/CN=nobody trusts me'") &&
	       sh(d, "openssl req " EC " -keyout srv.key -out srv.csr -subj /CN=localhost") &&
	       sh(d, "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
		     "-out srv.pem -days 30 -extfile ext.cnf") &&
	       sh(d, "openssl req -new -key srv.key -out other.csr -subj /CN=other.example && "
		     "openssl x509 -req -in other.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
		     "-out other.pem -days 30 -extfile other.cnf") &&
	       sh(d, "openssl x509 -req -in srv.csr -CA other-ca.pem -CAkey other-ca.key "
		     "-CAcreateserial -out untrusted.pem -days 30 -extfile ext.cnf") &&
	       /* expired: openssl ca takes a start and end date in the past */
	       sh(d, "touch index.txt && echo 01 > serial && printf '[ca]\\ndefault_ca=d\\n[d]\\n"
		     "database=index.txt\\nserial=serial\\nnew_certs_dir=.\\ndefault_md=sha256\\n"
		     "policy=p\\n[p]\\ncommonName=supplied\\n' > ca.cnf && openssl ca -batch "
		     "-config ca.cnf -cert ca.pem -keyfile ca.key -in srv.csr -out expired.pem "
		     "-startdate 20200101000000Z -enddate 20200201000000Z -extfile ext.cnf") &&
	       sh(d, "openssl req " EC " -keyout client.key -out client.csr -subj /CN=client && "
		     "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
		     "-out client.pem -days 30");
}

static bool load(struct ttls *s, enum ttls_cert k, const char *pem)
{
	char cert[128], key[128], why[256];
	snprintf(cert, sizeof(cert), "%s/%s", s->dir, pem);
	snprintf(key, sizeof(key), "%s/srv.key", s->dir);
	if (tlsc_load(&s->certs[k], "localhost", NULL, cert, key, true, why, sizeof(why)) == 0)
		return true;
	fprintf(stderr, "ttls: %s\n", why);
	return false;
}

/* --- the session cache, locked: connections run on threads of their own --- */

static struct ttls *of_cache(const br_ssl_session_cache_class **ctx)
{
	return (struct ttls *)(void *)((char *)ctx - offsetof(struct ttls, cache_vtable));
}

static void cache_save(const br_ssl_session_cache_class **ctx, br_ssl_server_context *sc,
		       const br_ssl_session_parameters *params)
{
	struct ttls *s = of_cache(ctx);
	pthread_mutex_lock(&s->lock);
	s->lru.vtable->save(&s->lru.vtable, sc, params);
	pthread_mutex_unlock(&s->lock);
}

static int cache_load(const br_ssl_session_cache_class **ctx, br_ssl_server_context *sc,
		      br_ssl_session_parameters *params)
{
	struct ttls *s = of_cache(ctx);
	pthread_mutex_lock(&s->lock);
	int r = s->lru.vtable->load(&s->lru.vtable, sc, params);
	pthread_mutex_unlock(&s->lock);
	return r;
}

static const br_ssl_session_cache_class locked_cache = {sizeof(struct ttls *), cache_save,
							cache_load};

/* --- a connection --- */

static int sock_read(void *ctx, unsigned char *buf, size_t len)
{
	for (;;) {
		ssize_t n = read(*(int *)ctx, buf, len);
		if (n > 0)
			return (int)n;
		if (n < 0 && errno == EINTR)
			continue;
		return -1;
	}
}

static int sock_write(void *ctx, const unsigned char *buf, size_t len)
{
	ssize_t n = send(*(int *)ctx, buf, len, MSG_NOSIGNAL);
	return n > 0 ? (int)n : -1;
}

/* Read one request head; its path into path. Returns false at the end. */
static bool read_head(br_sslio_context *io, char *path, size_t cap)
{
	char head[4096];
	size_t n = 0;
	while (n < sizeof(head) - 1) {
		int r = br_sslio_read(io, head + n, 1);
		if (r <= 0)
			return false;
		n++;
		if (n >= 4 && !memcmp(head + n - 4, "\r\n\r\n", 4))
			break;
	}
	head[n] = 0;
	const char *sp = strchr(head, ' ');
	size_t k = sp ? strcspn(sp + 1, " ") : 0;
	snprintf(path, cap, "%.*s", (int)k, sp ? sp + 1 : "");
	return true;
}

static void answer(struct ttls *s, br_sslio_context *io, int fd)
{
	static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
	static const char bye[] =
	    "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";
	char path[256];
	while (read_head(io, path, sizeof(path))) {
		if (!strcmp(path, "/close")) {
			br_sslio_write_all(io, bye, sizeof(bye) - 1);
			br_sslio_close(io);
			atomic_fetch_add(&s->served, 1);
			return;
		}
		if (!strcmp(path, "/trunc")) {
			/* a record header for 100 bytes, 10 of them, the end */
			static const char cut[] = "\x17\x03\x03\x00\x64"
						  "0123456789";
			br_sslio_flush(io);
			send(fd, cut, sizeof(cut) - 1, MSG_NOSIGNAL);
			return;
		}
		if (!strcmp(path, "/alert")) {
			/* a fatal alert (handshake_failure) the client cannot
			 * authenticate: in the clear, after the handshake */
			static const char alert[] = "\x15\x03\x03\x00\x02\x02\x28";
			br_sslio_flush(io);
			send(fd, alert, sizeof(alert) - 1, MSG_NOSIGNAL);
			return;
		}
		if (br_sslio_write_all(io, ok, sizeof(ok) - 1) < 0 || br_sslio_flush(io) < 0)
			return;
		atomic_fetch_add(&s->served, 1);
	}
}

static void *serve(void *arg)
{
	struct tsrv_conn *c = arg;
	struct ttls *s = c->srv;
	struct {
		br_ssl_server_context sc;
		br_sslio_context io;
		unsigned char iobuf[BR_SSL_BUFSIZE_BIDI];
	} *m = malloc(sizeof(*m));
	const struct tlsc *k = &s->certs[atomic_load(&s->which)];
	if (m) {
		br_ssl_server_init_full_ec(&m->sc, k->chain, k->nchain, BR_KEYTYPE_EC,
					   br_skey_decoder_get_ec(&k->key));
		br_ssl_engine_set_buffer(&m->sc.eng, m->iobuf, sizeof(m->iobuf), 1);
		br_ssl_server_set_cache(&m->sc, &s->cache_vtable);
		br_ssl_server_reset(&m->sc);
		br_sslio_init(&m->io, &m->sc.eng, sock_read, &c->fd, sock_write, &c->fd);
		answer(s, &m->io, c->fd);
	}
	free(m);
	close(c->fd);
	free(c);
	return NULL;
}

bool ttls_start(struct ttls *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/mcpload-ttls-XXXXXX");
	if (!mkdtemp(s->dir) || !make_certs(s->dir))
		return false;
	if (!load(s, TTLS_GOOD, "srv.pem") || !load(s, TTLS_EXPIRED, "expired.pem") ||
	    !load(s, TTLS_OTHER_NAME, "other.pem") || !load(s, TTLS_UNTRUSTED, "untrusted.pem"))
		return false;
	pthread_mutex_init(&s->lock, NULL);
	br_ssl_session_cache_lru_init(&s->lru, s->store, sizeof(s->store));
	s->cache_vtable = &locked_cache;
	s->fd = tsrv_listen(AF_INET, &s->port, serve, s, &s->stop);
	return s->fd >= 0;
}

uint16_t ttls_free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bind(fd, (struct sockaddr *)&a, sizeof(a));
	getsockname(fd, (struct sockaddr *)&a, &len);
	close(fd);
	return ntohs(a.sin_port);
}
