// SPDX-License-Identifier: GPL-2.0
/*
 * The values of the grammar, each with the error that names it.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "names.h"
#include "value.h"

bool parse_proto(const char *s, uint8_t *proto)
{
	if (!strcmp(s, "tcp")) {
		*proto = IPPROTO_TCP;
		return true;
	}
	if (!strcmp(s, "udp")) {
		*proto = IPPROTO_UDP;
		return true;
	}
	parse_error("unknown protocol '%s'", s);
	return false;
}

bool parse_addr(const char *s, uint32_t *addr)
{
	struct in_addr in;

	/* inet_pton() takes dotted quads only: no "10.1", no hex, no
	 * leading zeros, nothing after the last digit.
	 */
	if (inet_pton(AF_INET, s, &in) != 1 || in.s_addr == htonl(INADDR_ANY)) {
		parse_error("invalid address '%s'", s);
		return false;
	}
	*addr = in.s_addr;
	return true;
}

bool parse_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;
	const char *p;

	for (p = s; *p; p++) {
		if (!isdigit((unsigned char)*p)) {
			parse_error("invalid port '%s'", s);
			return false;
		}
		if (v <= 65535)
			v = v * 10 + (unsigned long)(*p - '0');
	}
	if (p == s || v < 1 || v > 65535) {
		parse_error("invalid port '%s' (must be 1-65535)", s);
		return false;
	}
	*port = (uint16_t)v;
	return true;
}

bool parse_port_range(const char *s, uint16_t *first, uint16_t *last)
{
	const char *dash = strchr(s, '-');
	char head[8];
	size_t n;

	if (!dash)
		return parse_port(s, first) && (*last = *first, true);

	n = (size_t)(dash - s);
	if (n == 0 || n >= sizeof(head) || !dash[1] || strchr(dash + 1, '-')) {
		parse_error("invalid port range '%s'", s);
		return false;
	}
	memcpy(head, s, n);
	head[n] = '\0';
	if (!parse_port(head, first) || !parse_port(dash + 1, last))
		return false;
	if (*last < *first) {
		parse_error("reversed port range '%s'", s);
		return false;
	}
	return true;
}

bool parse_comment(const char *s, char out[HAIRPIN_COMMENT_MAX])
{
	size_t len = strlen(s), i;

	if (len == 0) {
		parse_error("empty comment (leave out 'comment' for none)");
		return false;
	}
	if (len > HAIRPIN_COMMENT_MAX - 1) {
		parse_error("comment '%s' is too long (%zu bytes, at most %d)",
			    s, len, HAIRPIN_COMMENT_MAX - 1);
		return false;
	}
	for (i = 0; i < len; i++) {
		if (!comment_char_ok((unsigned char)s[i])) {
			parse_error("comment '%s' has a control character", s);
			return false;
		}
	}
	memcpy(out, s, len + 1);
	return true;
}

/* A value from names.c: -1 if the name was none. */
static bool set_named(int value, int *out)
{
	if (value < 0)
		return false;
	*out = value;
	return true;
}

bool parse_source(const char *s, int *source, uint32_t *addr)
{
	int v = source_value(s);

	/* "address" is what JSON calls it: here the address itself. */
	if (v >= 0 && v != HAIRPIN_SOURCE_ADDR)
		return set_named(v, source);
	if (isdigit((unsigned char)*s)) {
		if (!parse_addr(s, addr))
			return false;
		*source = HAIRPIN_SOURCE_ADDR;
		return true;
	}
	parse_error("unknown source '%s' (lan, external or an address)", s);
	return false;
}

bool parse_mode(const char *s, int *mode)
{
	if (set_named(mode_value(s), mode))
		return true;
	parse_error("unknown hairpin mode '%s' (auto, always or off)", s);
	return false;
}

bool parse_scope(const char *s, uint8_t *scope)
{
	int v = scope_value(s);

	if (v >= 0) {
		*scope = (uint8_t)v;
		return true;
	}
	parse_error("unknown scope '%s' (own or all)", s);
	return false;
}

/* A decimal number of 32 bits. Digits only: no sign, so "-1" is no way
 * to say "unlimited", and no unit.
 */
static bool parse_u32(const char *s, uint32_t *out)
{
	uint64_t v = 0;
	const char *p;

	for (p = s; *p && v <= UINT32_MAX; p++) {
		if (!isdigit((unsigned char)*p))
			break;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (p == s || *p || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool parse_ifname(const char *s, char out[IFNAMSIZ])
{
	size_t len = strlen(s), i;

	if (len == 0) {
		parse_error("empty interface name");
		return false;
	}
	if (len > IFNAMSIZ - 1) {
		parse_error("interface name '%s' is too long (%zu bytes, at most %d)",
			    s, len, IFNAMSIZ - 1);
		return false;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '/' || c == ':' || isspace(c) || !comment_char_ok(c))
			break;
	}
	if (i < len || !strcmp(s, ".") || !strcmp(s, "..")) {
		parse_error("invalid interface name '%s'", s);
		return false;
	}
	memcpy(out, s, len + 1);
	return true;
}

bool parse_filter(const char *s, int *filter)
{
	if (set_named(filter_value(s), filter))
		return true;
	parse_error("unknown filter '%s' (independent, address or address-port)", s);
	return false;
}

bool parse_limit(const char *s, uint32_t *limit)
{
	if (parse_u32(s, limit))
		return true;
	parse_error("invalid limit '%s' (must be 0-4294967295)", s);
	return false;
}

bool parse_udp_timeout(const char *s, uint32_t *seconds)
{
	uint32_t v;

	if (parse_u32(s, &v) && v >= HP_UDP_TIMEOUT_MIN &&
	    v <= HP_UDP_TIMEOUT_MAX) {
		*seconds = v;
		return true;
	}
	parse_error("invalid udp-timeout '%s' (must be %d-%d seconds)", s,
		    HP_UDP_TIMEOUT_MIN, HP_UDP_TIMEOUT_MAX);
	return false;
}

/* Mappings: [ADDR:]PORT[-PORT] and ADDR[:PORT[-PORT]] */

/* Splits "ADDR:REST" at the last colon; *addr is NULL without one. */
static bool split_addr(const char *s, char *abuf, size_t alen,
		       const char **addr, const char **rest)
{
	const char *colon = strrchr(s, ':');
	size_t n;

	if (!colon) {
		*addr = NULL;
		*rest = s;
		return true;
	}
	n = (size_t)(colon - s);
	if (n == 0) {
		parse_error("missing address in '%s'", s);
		return false;
	}
	if (n >= alen) {
		parse_error("invalid address '%.*s'", (int)n, s);
		return false;
	}
	memcpy(abuf, s, n);
	abuf[n] = '\0';
	*addr = abuf;
	*rest = colon + 1;
	return true;
}

static bool looks_like_addr(const char *s)
{
	return strchr(s, '.') != NULL;
}

bool parse_map_key(const char *s, struct hp_map *m)
{
	char abuf[64];
	const char *addr, *ports;

	if (!split_addr(s, abuf, sizeof(abuf), &addr, &ports))
		return false;
	if (!*ports || (!addr && looks_like_addr(ports))) {
		parse_error("missing port in '%s'", s);
		return false;
	}
	m->has_addr = addr != NULL;
	if (addr && !parse_addr(addr, &m->addr))
		return false;
	return parse_port_range(ports, &m->port, &m->port_max);
}

bool parse_map_target(const char *s, struct hp_map *m)
{
	char abuf[64];
	const char *addr, *ports;
	unsigned int ext_len, int_len;
	uint16_t first, last;

	if (!split_addr(s, abuf, sizeof(abuf), &addr, &ports))
		return false;
	if (!addr) {
		/* No colon: the whole word is the address. */
		addr = s;
		ports = NULL;
	} else if (!*ports) {
		parse_error("missing port in '%s'", s);
		return false;
	}
	if (!parse_addr(addr, &m->to_addr))
		return false;
	m->has_to = true;
	m->has_to_port = false;
	m->to_port = m->port;
	if (!ports)
		return true;

	if (!parse_port_range(ports, &first, &last))
		return false;
	ext_len = (unsigned int)(m->port_max - m->port) + 1;
	int_len = (unsigned int)(last - first) + 1;
	if (ext_len != int_len) {
		char ext[16], hint[40] = "";

		if (m->port_max == m->port)
			snprintf(ext, sizeof(ext), "%u", m->port);
		else
			snprintf(ext, sizeof(ext), "%u-%u", m->port, m->port_max);
		if (int_len == 1 && first + ext_len - 1 <= 65535)
			snprintf(hint, sizeof(hint), " (did you mean '%u-%u'?)",
				 first, first + ext_len - 1);
		parse_error("internal port range '%s' has %u port%s, external '%s' has %u%s",
			    ports, int_len, int_len == 1 ? "" : "s", ext,
			    ext_len, hint);
		return false;
	}
	m->has_to_port = true;
	m->to_port = first;
	return true;
}
