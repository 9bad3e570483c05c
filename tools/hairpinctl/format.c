// SPDX-License-Identifier: GPL-2.0
/*
 * A mapping and an operation as text, in the grammar of the commands.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "names.h"
#include "value.h"

static void put(char **p, size_t *left, int *total, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void put(char **p, size_t *left, int *total, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*p, *left, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*total += n;
	if ((size_t)n >= *left)
		n = *left ? (int)*left - 1 : 0;
	*p += n;
	*left -= (size_t)n;
}

static void put_ports(char **p, size_t *left, int *total,
		      unsigned int first, unsigned int last)
{
	if (first == last)
		put(p, left, total, "%u", first);
	else
		put(p, left, total, "%u-%u", first, last);
}

static void put_addr(char **p, size_t *left, int *total, uint32_t addr)
{
	char text[INET_ADDRSTRLEN];
	struct in_addr in = { .s_addr = addr };

	inet_ntop(AF_INET, &in, text, sizeof(text));
	put(p, left, total, "%s", text);
}

static void put_key(char **p, size_t *left, int *total, const struct hp_map *m)
{
	const char *proto = proto_name(m->proto);

	if (proto)
		put(p, left, total, "%s ", proto);
	else
		put(p, left, total, "%u ", m->proto);
	if (m->has_addr) {
		put_addr(p, left, total, m->addr);
		put(p, left, total, ":");
	}
	put_ports(p, left, total, m->port, m->port_max);
}

int format_map_key(char *buf, size_t len, const struct hp_map *m)
{
	int total = 0;

	if (len)
		buf[0] = '\0';
	put_key(&buf, &len, &total, m);
	return total;
}

/* Characters a comment may show unquoted, on a shell line and in a file. */
static bool plain_char(unsigned char c)
{
	return isalnum(c) || strchr("._,:/@+=%^-", c);
}

static void put_comment(char **p, size_t *left, int *total, const char *s)
{
	const char *c;
	bool plain = *s != '\0';

	for (c = s; *c; c++)
		if (!plain_char((unsigned char)*c))
			plain = false;
	if (plain) {
		put(p, left, total, "%s", s);
		return;
	}
	put(p, left, total, "\"");
	for (c = s; *c; c++) {
		unsigned char ch = (unsigned char)*c;

		if (ch == '"' || ch == '\\')
			put(p, left, total, "\\%c", ch);
		else
			put(p, left, total, "%c", comment_char_ok(ch) ? ch : '?');
	}
	put(p, left, total, "\"");
}

int format_map(char *buf, size_t len, const struct hp_map *m)
{
	int total = 0;

	if (len)
		buf[0] = '\0';
	put_key(&buf, &len, &total, m);
	if (m->has_to) {
		unsigned int first = m->has_to_port ? m->to_port : m->port;

		put(&buf, &len, &total, " to ");
		put_addr(&buf, &len, &total, m->to_addr);
		put(&buf, &len, &total, ":");
		put_ports(&buf, &len, &total, first,
			  first + (unsigned int)(m->port_max - m->port));
	}
	if (m->comment[0]) {
		put(&buf, &len, &total, " comment ");
		put_comment(&buf, &len, &total, m->comment);
	}
	return total;
}

static void put_setting(char **p, size_t *left, int *total, const char *key,
			int value, const char *name)
{
	if (value == HP_UNSET)
		return;
	if (name)
		put(p, left, total, " %s %s", key, name);
	else
		put(p, left, total, " %s %d", key, value);
}

int format_op(char *buf, size_t len, const struct hp_op *op)
{
	int total = 0;

	if (len)
		buf[0] = '\0';
	switch (op->cmd) {
	case HAIRPIN_CMD_NEW_MAP:
	case HAIRPIN_CMD_REPLACE_MAP:
		put(&buf, &len, &total, "map %s ",
		    op->cmd == HAIRPIN_CMD_NEW_MAP ? "add" : "replace");
		total += format_map(buf, len, &op->map);
		break;
	case HAIRPIN_CMD_DEL_MAP:
		put(&buf, &len, &total, "map del ");
		total += format_map_key(buf, len, &op->map);
		break;
	case HAIRPIN_CMD_FLUSH_MAPS:
		put(&buf, &len, &total, "map flush");
		break;
	case HAIRPIN_CMD_SET_CONFIG:
		put(&buf, &len, &total, "set");
		put_setting(&buf, &len, &total, "source", op->source,
			    source_name(op->source));
		put_setting(&buf, &len, &total, "hairpin", op->mode,
			    mode_name(op->mode));
		if (op->has_max_maps || op->has_max_ports)
			put(&buf, &len, &total, " limit");
		if (op->has_max_maps)
			put(&buf, &len, &total, " mappings %" PRIu32, op->max_maps);
		if (op->has_max_ports)
			put(&buf, &len, &total, " ports %" PRIu32, op->max_ports);
		break;
	default:
		put(&buf, &len, &total, "# unknown operation %u", op->cmd);
		break;
	}
	return total;
}
