/*
 * url: http(s)://host[:port][/path][?query]. The fragment is dropped (it is
 * never sent, RFC 9110 4.2.4). Host names are resolved by the caller.
 */
#include "protocol/url.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int fail(const char **why, const char *text)
{
	*why = text;
	return -EINVAL;
}

static int parse_port(const char *p, size_t n, uint16_t *port)
{
	unsigned long v = 0;
	if (n == 0 || n > 5)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(p[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

int url_parse(struct url *u, const char *s, const char **why)
{
	const char *p, *host_end, *auth_end;
	size_t host_len;
	bool v6 = false;

	memset(u, 0, sizeof(*u));
	if (strncasecmp(s, "http://", 7) == 0) {
		p = s + 7;
		u->port = 80;
	} else if (strncasecmp(s, "https://", 8) == 0) {
		p = s + 8;
		u->tls = true;
		u->port = 443;
	} else {
		return fail(why, "URL must start with http:// or https://");
	}
	auth_end = p + strcspn(p, "/?#");
	if (memchr(p, '@', (size_t)(auth_end - p)))
		return fail(why, "user:password@ in URLs is not supported");
	if (*p == '[') {
		host_end = memchr(p, ']', (size_t)(auth_end - p));
		if (!host_end)
			return fail(why, "IPv6 literal lacks its closing ]");
		p++;
		v6 = true;
		host_len = (size_t)(host_end - p);
		host_end++;
	} else {
		host_end = p + strcspn(p, ":/?#");
		host_len = (size_t)(host_end - p);
	}
	if (host_len == 0)
		return fail(why, "URL has no host");
	if (host_len >= sizeof(u->host))
		return fail(why, "host name too long");
	memcpy(u->host, p, host_len);
	for (size_t i = 0; i < host_len; i++) {
		unsigned char c = (unsigned char)u->host[i];
		if (c <= ' ' || c == 0x7f || strchr("\"<>\\^`{|}%[]", c))
			return fail(why, "invalid character in host");
	}
	if (*host_end == ':') {
		if (parse_port(host_end + 1, (size_t)(auth_end - host_end - 1), &u->port) < 0)
			return fail(why, "port must be a number from 1 to 65535");
	} else if (host_end != auth_end) {
		return fail(why, "unexpected characters after the host");
	}
	bool default_port = u->port == (u->tls ? 443 : 80);
	snprintf(u->authority, sizeof(u->authority), v6 ? "[%s]" : "%s", u->host);
	if (!default_port) {
		size_t l = strlen(u->authority);
		snprintf(u->authority + l, sizeof(u->authority) - l, ":%u", u->port);
	}
	size_t tlen = strcspn(auth_end, "#");
	if (tlen + 2 > sizeof(u->target))
		return fail(why, "path too long");
	for (size_t i = 0; i < tlen; i++) {
		unsigned char c = (unsigned char)auth_end[i];
		if (c <= ' ' || c == 0x7f)
			return fail(why, "space or control character in path (percent-encode it)");
	}
	if (tlen == 0 || auth_end[0] == '?')
		u->target[0] = '/';
	memcpy(u->target + strlen(u->target), auth_end, tlen);
	return 0;
}
