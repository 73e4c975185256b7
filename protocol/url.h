/*
 * url: parse the http:// URLs mcpload is pointed at (RFC 3986 subset: scheme,
 * host name or IPv4/IPv6 literal, port, path and query; no userinfo).
 */
#ifndef MCPL_PROTOCOL_URL_H
#define MCPL_PROTOCOL_URL_H

#include <stdbool.h>
#include <stdint.h>

struct url {
	bool tls;	     /* https */
	char host[256];	     /* name or literal, without brackets */
	uint16_t port;	     /* explicit or the scheme's default */
	char authority[270]; /* Host header value: host[:port], [v6] bracketed */
	char target[4096];   /* path and query, "/" when absent */
};

/* Returns 0, or -EINVAL with *why set to a static reason. */
int url_parse(struct url *u, const char *s, const char **why);

#endif
