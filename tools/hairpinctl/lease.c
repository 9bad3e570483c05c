// SPDX-License-Identifier: GPL-2.0
/*
 * miniupnpd's lease file, line by line, into mirrors.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lease.h"
#include "list.h"
#include "value.h"

#define LEASE_FORMAT "PROTO:EPORT:IADDR:IPORT:TIMESTAMP:DESCRIPTION"

/* A field of a line: not NUL-terminated. */
struct field {
	const char *s;
	size_t n;
};

/* How a message quotes a value: at most 40 bytes of it, control
 * characters as '?'.
 */
#define QUOTE_MAX 40

static const char *quote(char out[QUOTE_MAX + 4], const char *s, size_t n)
{
	size_t i, len = n > QUOTE_MAX ? QUOTE_MAX : n;

	for (i = 0; i < len; i++)
		out[i] = comment_char_ok((unsigned char)s[i]) ? s[i] : '?';
	strcpy(out + len, n > len ? "..." : "");
	return out;
}

static enum lease_kind bad(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum lease_kind bad(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return LEASE_BAD;
}

/* Decimal digits only, at most max of them: their value into *v. */
static bool digits(struct field f, size_t max, unsigned long long *v)
{
	size_t i;

	*v = 0;
	if (f.n == 0 || f.n > max)
		return false;
	for (i = 0; i < f.n; i++) {
		if (!isdigit((unsigned char)f.s[i]))
			return false;
		*v = *v * 10 + (unsigned long long)(f.s[i] - '0');
	}
	return true;
}

static bool field_port(struct field f, uint16_t *port)
{
	unsigned long long v;

	if (!digits(f, 5, &v) || v < 1 || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

static bool field_addr(struct field f, uint32_t *addr)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr in;

	if (f.n >= sizeof(buf))
		return false;
	memcpy(buf, f.s, f.n);
	buf[f.n] = '\0';
	if (inet_pton(AF_INET, buf, &in) != 1 || in.s_addr == htonl(INADDR_ANY))
		return false;
	*addr = in.s_addr;
	return true;
}

/* At *p, digits then a colon: past them, or false. */
static bool skip_number(const char **p, const char *end)
{
	const char *s = *p;

	while (s < end && isdigit((unsigned char)*s))
		s++;
	if (s == *p || s == end || *s != ':')
		return false;
	*p = s + 1;
	return true;
}

/* The length of an IPv6 address at the start of rest (IADDR onward), whose
 * colons split it into fields: one that IPORT:TIMESTAMP: follow. 0 if none.
 */
static size_t ipv6_len(const char *rest, const char *end)
{
	const char *c;

	for (c = rest; (c = memchr(c, ':', (size_t)(end - c))); c++) {
		char buf[INET6_ADDRSTRLEN];
		size_t n = (size_t)(c - rest);
		const char *p = c + 1;
		struct in6_addr a;

		if (n >= sizeof(buf))
			break;
		memcpy(buf, rest, n);
		buf[n] = '\0';
		if (inet_pton(AF_INET6, buf, &a) == 1 && skip_number(&p, end) &&
		    skip_number(&p, end))
			return n;
	}
	return 0;
}

static bool is_name(struct field f)
{
	size_t i;

	for (i = 0; i < f.n; i++)
		if (!isalnum((unsigned char)f.s[i]))
			return false;
	return f.n > 0;
}

static bool is_proto(struct field f, const char *name)
{
	return f.n == strlen(name) && !strncasecmp(f.s, name, f.n);
}

void lease_comment(char out[HAIRPIN_COMMENT_MAX], const char *desc, size_t n)
{
	size_t len = strlen(LEASE_COMMENT_PREFIX), room, i;

	memcpy(out, LEASE_COMMENT_PREFIX, len);
	if (n)
		out[len++] = ' ';
	room = HAIRPIN_COMMENT_MAX - 1 - len;
	if (n > room) {
		/* Not inside a UTF-8 character: back to its first byte. */
		n = room;
		while (n && ((unsigned char)desc[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++)
		out[len + i] = comment_char_ok((unsigned char)desc[i]) ? desc[i] : '?';
	out[len + n] = '\0';
}

enum lease_kind lease_parse_line(const char *line, struct hp_map *m,
				 char *why, size_t len)
{
	size_t n = strcspn(line, "\n");
	const char *end, *p = line;
	char q[QUOTE_MAX + 4];
	struct field f[5];
	uint16_t eport, iport;
	unsigned long long ts;
	uint32_t iaddr;
	int i;

	if (n && line[n - 1] == '\r')
		n--;
	end = line + n;
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p == end)
		return LEASE_BLANK;

	p = line;
	for (i = 0; i < 5; i++) {
		const char *colon = memchr(p, ':', (size_t)(end - p));

		if (!colon)
			return bad(why, len, "not " LEASE_FORMAT ": '%s'",
				   quote(q, line, n));
		f[i] = (struct field){ p, (size_t)(colon - p) };
		p = colon + 1;
	}
	if (!is_name(f[0]))
		return bad(why, len, "invalid protocol '%s'", quote(q, f[0].s, f[0].n));
	if (!field_port(f[1], &eport))
		return bad(why, len, "invalid external port '%s' (must be 1-65535)",
			   quote(q, f[1].s, f[1].n));
	if (!field_addr(f[2], &iaddr)) {
		size_t v6 = ipv6_len(f[2].s, end);

		if (v6)
			return bad(why, len, "internal address '%s' is IPv6 "
				   "(mirrors are IPv4 only)", quote(q, f[2].s, v6));
		return bad(why, len, "invalid internal address '%s'",
			   quote(q, f[2].s, f[2].n));
	}
	if (!field_port(f[3], &iport))
		return bad(why, len, "invalid internal port '%s' (must be 1-65535)",
			   quote(q, f[3].s, f[3].n));
	if (!digits(f[4], 20, &ts))
		return bad(why, len, "invalid timestamp '%s'", quote(q, f[4].s, f[4].n));

	if (!is_proto(f[0], "tcp") && !is_proto(f[0], "udp")) {
		snprintf(why, len, "%.*s", (int)f[0].n, f[0].s);
		return LEASE_OTHER;
	}
	memset(m, 0, sizeof(*m));
	m->proto = is_proto(f[0], "tcp") ? IPPROTO_TCP : IPPROTO_UDP;
	m->port = eport;
	m->port_max = eport;
	m->has_to = true;
	m->to_addr = iaddr;
	m->has_to_port = true;
	m->to_port = iport;
	lease_comment(m->comment, p, (size_t)(end - p));
	m->flags = HAIRPIN_MAP_F_MIRROR;
	return LEASE_FORWARD;
}

bool lease_parse_file(FILE *f, struct hp_leases *out)
{
	unsigned int lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	bool ok = true;
	ssize_t n;

	memset(out, 0, sizeof(*out));
	while (ok && (n = getline(&line, &cap, f)) >= 0) {
		struct hp_lease l = { .line = ++lineno };
		char why[HP_NOTE_MAX];
		struct hp_lease *leases;

		if (strlen(line) != (size_t)n) {
			ok = hp_note(&out->notes, lineno, "NUL byte in the line");
			continue;
		}
		switch (lease_parse_line(line, &l.map, why, sizeof(why))) {
		case LEASE_FORWARD:
			leases = hp_append(out->leases, &out->len, &out->cap, &l,
					   sizeof(l));
			ok = leases != NULL;
			if (ok)
				out->leases = leases;
			break;
		case LEASE_OTHER:
			if (!out->other_line) {
				out->other_line = lineno;
				snprintf(out->other_proto, sizeof(out->other_proto),
					 "%.*s", (int)sizeof(out->other_proto) - 1, why);
			}
			break;
		case LEASE_BAD:
			ok = hp_note(&out->notes, lineno, "%s", why);
			break;
		case LEASE_BLANK:
			break;
		}
	}
	if (ferror(f))
		ok = false;
	free(line);
	return ok;
}

void lease_free(struct hp_leases *l)
{
	free(l->leases);
	hp_notes_free(&l->notes);
	memset(l, 0, sizeof(*l));
}
