// SPDX-License-Identifier: GPL-2.0
/*
 * Endpoints, names and lines of the protocol, and the command line's
 * values.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "punch.h"

const char *ep_str(const struct sockaddr_in *sin, char buf[EP_STRLEN])
{
	char addr[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof(addr));
	snprintf(buf, EP_STRLEN, "%s:%u", addr, ntohs(sin->sin_port));
	return buf;
}

bool ep_equal(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
	return a->sin_addr.s_addr == b->sin_addr.s_addr &&
	       a->sin_port == b->sin_port;
}

static bool port_value(const char *s, unsigned long *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !errno && !*end && *v <= 65535;
}

bool ep_parse(const char *s, struct sockaddr_in *sin)
{
	char addr[INET_ADDRSTRLEN];
	const char *colon = strrchr(s, ':');
	unsigned long port;

	if (!colon || (size_t)(colon - s) >= sizeof(addr))
		return false;
	memcpy(addr, s, colon - s);
	addr[colon - s] = '\0';
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1 ||
	    !port_value(colon + 1, &port) || !port)
		return false;
	sin->sin_port = htons(port);
	return true;
}

bool name_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > PUNCH_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

bool parse_port(const char *s, uint16_t *port, bool zero_ok, const char *what)
{
	unsigned long v;

	if (!port_value(s, &v) || (!v && !zero_ok)) {
		pr_err("bad %s \"%s\": a number from %d to 65535", what, s,
		       zero_ok ? 0 : 1);
		return false;
	}
	*port = v;
	return true;
}

bool parse_seconds(const char *s, unsigned int *sec, const char *what)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!isdigit((unsigned char)*s) || errno || *end || !v || v > 86400) {
		pr_err("bad %s \"%s\": seconds, from 1 to 86400", what, s);
		return false;
	}
	*sec = v;
	return true;
}

bool parse_ttl(const char *s, unsigned int *ttl, const char *what)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!isdigit((unsigned char)*s) || errno || *end || v > 255) {
		pr_err("bad %s \"%s\": a TTL from 1 to 255, or 0 for none", what, s);
		return false;
	}
	*ttl = v;
	return true;
}

bool parse_name(const char *s, const char *what)
{
	if (!name_ok(s)) {
		pr_err("bad %s \"%s\": 1 to %d letters, digits, '.', '_' or '-'",
		       what, s, PUNCH_NAME_MAX);
		return false;
	}
	return true;
}

bool parse_server(const char *s, struct sockaddr_in *sin)
{
	struct addrinfo hints = { .ai_family = AF_INET }, *res;
	const char *colon = strrchr(s, ':');
	char host[256];
	uint16_t port = PUNCH_PORT;
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	int rc;

	if (!n || n >= sizeof(host)) {
		pr_err("bad server \"%s\": HOST or HOST:PORT", s);
		return false;
	}
	memcpy(host, s, n);
	host[n] = '\0';
	if (colon && !parse_port(colon + 1, &port, false, "server port"))
		return false;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc) {
		pr_err("bad server \"%s\": %s", host, gai_strerror(rc));
		return false;
	}
	memcpy(sin, res->ai_addr, sizeof(*sin));
	sin->sin_port = htons(port);
	freeaddrinfo(res);
	return true;
}

int split_words(char *line, char *words[], int max)
{
	size_t len = strlen(line);
	char *p, *save;
	int n = 0;

	if (len && line[len - 1] == '\n')
		line[--len] = '\0';
	if (len && line[len - 1] == '\r')
		line[--len] = '\0';
	for (p = line; *p; p++)
		if (iscntrl((unsigned char)*p))
			return -1;
	for (p = strtok_r(line, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
		if (n == max)
			return -1;
		words[n++] = p;
	}
	return n;
}
