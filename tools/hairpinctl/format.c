// SPDX-License-Identifier: GPL-2.0
/*
 * A mapping, a masq rule, a binding and an operation, field by field, for
 * text and JSON at once.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <string.h>

#include "format.h"
#include "names.h"
#include "value.h"

static void print_addr(struct out *o, unsigned int type, const char *key,
		       const char *fmt, bool has, uint32_t addr)
{
	char text[INET_ADDRSTRLEN];
	struct in_addr in = { .s_addr = addr };

	inet_ntop(AF_INET, &in, text, sizeof(text));
	print_string(o, type, key, fmt, has ? text : NULL);
}

/* Characters a comment may show unquoted, on a shell line and in a file. */
static bool plain_char(unsigned char c)
{
	return isalnum(c) || strchr("._,:/@+=%^-", c);
}

/* s as one word of the grammar: as it is, or quoted with \" and \\. out
 * has room for 2 * strlen(s) + 3 bytes.
 */
static void quote(char *out, const char *s)
{
	const char *c;
	bool plain = *s != '\0';

	for (c = s; *c; c++)
		if (!plain_char((unsigned char)*c))
			plain = false;
	if (plain) {
		strcpy(out, s);
		return;
	}
	*out++ = '"';
	for (c = s; *c; c++) {
		unsigned char ch = (unsigned char)*c;

		if (ch == '"' || ch == '\\')
			*out++ = '\\';
		*out++ = comment_char_ok(ch) ? (char)ch : '?';
	}
	*out++ = '"';
	*out = '\0';
}

/* The text quotes the comment as the grammar needs, the JSON does not. */
static void print_comment(struct out *o, unsigned int type, const char *s)
{
	char quoted[2 * HAIRPIN_COMMENT_MAX + 3];

	print_string(o, type & PRINT_JSON, "comment", NULL, *s ? s : NULL);
	if (!*s)
		return;
	quote(quoted, s);
	print_string(o, type & PRINT_FP, "comment", " comment %s", quoted);
}

static void print_counters(struct out *o, const struct hp_map *m,
			   const struct map_cols *cols)
{
	unsigned int type = cols ? PRINT_ANY : PRINT_JSON;

	if (!m->has_counters) {
		print_null(o, "conns");
		print_null(o, "hairpinned");
		return;
	}
	if (cols)
		print_tab(o, cols->conns);
	print_uint(o, type, "conns", "conns %" PRIu64, m->conns);
	if (cols)
		print_tab(o, cols->hairpinned);
	print_uint(o, type, "hairpinned", "hairpinned %" PRIu64, m->hairpinned);
}

void print_map(struct out *o, const struct hp_map *m, bool target,
	       const struct map_cols *cols)
{
	unsigned int to_port = m->has_to_port ? m->to_port : m->port;
	unsigned int to_port_max = to_port + (unsigned int)(m->port_max - m->port);
	unsigned int rest = target ? PRINT_ANY : PRINT_JSON;
	bool range = m->port_max != m->port;

	print_name(o, PRINT_ANY, "proto", "%s ", m->proto, proto_name(m->proto));
	print_addr(o, PRINT_ANY, "addr", "%s:", m->has_addr, m->addr);
	print_uint(o, PRINT_ANY, "port", "%" PRIu64, m->port);
	print_uint(o, range ? PRINT_ANY : PRINT_JSON, "port_max", "-%" PRIu64,
		   m->port_max);
	print_addr(o, rest, "to_addr", " to %s:", m->has_to, m->to_addr);
	print_uint_opt(o, rest, "to_port", "%" PRIu64, m->has_to, to_port);
	print_uint_opt(o, range ? rest : PRINT_JSON, "to_port_max", "-%" PRIu64,
		       m->has_to, to_port_max);
	print_comment(o, rest, m->comment);
	print_flag(o, rest, "mirror", " mirror", m->flags & HAIRPIN_MAP_F_MIRROR);
	print_counters(o, m, cols);
}

void print_masq(struct out *o, const struct hp_masq *m, bool rule, bool show)
{
	char quoted[2 * IFNAMSIZ + 3];
	bool filter = show || (rule && m->filter != HAIRPIN_FILTER_INDEPENDENT);

	/* The text quotes the name as the grammar needs, the JSON does not. */
	quote(quoted, m->ifname);
	print_string(o, PRINT_FP, "dev", "dev %s", quoted);
	print_string(o, PRINT_JSON, "dev", NULL, m->ifname);
	print_addr(o, rule ? PRINT_ANY : PRINT_JSON, "to", " to %s", m->has_addr,
		   m->addr);
	print_name(o, filter ? PRINT_ANY : PRINT_JSON, "filter", " filter %s",
		   m->filter, filter_name(m->filter));
	print_uint_opt(o, show ? PRINT_ANY : PRINT_JSON, "bindings",
		       " bindings %" PRIu64, m->has_bindings, m->bindings);
}

void print_binding(struct out *o, const struct hp_binding *b)
{
	print_name(o, PRINT_ANY, "proto", "%s ", b->proto, proto_name(b->proto));
	print_addr(o, PRINT_ANY, "internal", "%s:", true, b->int_addr);
	print_uint(o, PRINT_ANY, "internal_port", "%" PRIu64, b->int_port);
	print_addr(o, PRINT_ANY, "external", " -> %s:", true, b->ext_addr);
	print_uint(o, PRINT_ANY, "external_port", "%" PRIu64, b->ext_port);
	print_name(o, PRINT_ANY, "filter", " filter %s", b->filter,
		   filter_name(b->filter));
	print_uint_opt(o, PRINT_ANY, "conns", " conns %" PRIu64, b->has_conns,
		       b->conns);
	print_uint_opt(o, PRINT_ANY, "idle", " idle %" PRIu64 "s", b->has_idle,
		       b->idle);
}

/* The names of monitor's events (never a replace) and of upnp follow's
 * changes.
 */
static const char *event_name(uint8_t cmd)
{
	switch (cmd) {
	case HAIRPIN_CMD_REPLACE_MAP:
		return "replace";
	case HAIRPIN_CMD_NEW_MAP:
	case HAIRPIN_CMD_NEW_MASQ:
		return "add";
	case HAIRPIN_CMD_DEL_MAP:
	case HAIRPIN_CMD_DEL_MASQ:
		return "del";
	case HAIRPIN_CMD_FLUSH_MAPS:
		return "flush";
	case HAIRPIN_CMD_SET_CONFIG:
		return "set";
	}
	return NULL;
}

void print_source(struct out *o, const char *fmt, int source, uint32_t addr)
{
	bool named = source == HAIRPIN_SOURCE_ADDR && addr;

	print_addr(o, PRINT_FP, NULL, fmt, named, addr);
	print_name(o, named ? PRINT_JSON : PRINT_ANY, "source", fmt, source,
		   source_name(source));
	print_addr(o, PRINT_JSON, "source_addr", NULL, named, addr);
}

static void print_set(struct out *o, const struct hp_op *op)
{
	print_text(o, "set");
	print_source(o, " source %s", op->source, op->source_addr);
	print_name(o, PRINT_ANY, "hairpin", " hairpin %s", op->mode,
		   mode_name(op->mode));
	print_name(o, PRINT_ANY, "scope", " scope %s",
		   op->has_scope ? op->scope : HP_UNSET,
		   op->has_scope ? scope_name(op->scope) : NULL);
	print_uint_opt(o, PRINT_ANY, "udp_timeout", " udp-timeout %" PRIu64,
		       op->has_udp_timeout, op->udp_timeout);
	if (op->has_max_maps || op->has_max_ports || op->has_max_bindings)
		print_text(o, " limit");
	print_uint_opt(o, PRINT_ANY, "max_mappings", " mappings %" PRIu64,
		       op->has_max_maps, op->max_maps);
	print_uint_opt(o, PRINT_ANY, "max_ports", " ports %" PRIu64,
		       op->has_max_ports, op->max_ports);
	print_uint_opt(o, PRINT_ANY, "max_bindings", " bindings %" PRIu64,
		       op->has_max_bindings, op->max_bindings);
}

void print_op(struct out *o, const struct hp_op *op)
{
	print_name(o, PRINT_JSON, "event", NULL, op->cmd, event_name(op->cmd));
	switch (op->cmd) {
	case HAIRPIN_CMD_NEW_MAP:
	case HAIRPIN_CMD_REPLACE_MAP:
	case HAIRPIN_CMD_DEL_MAP:
		print_text(o, "map %s ", op->cmd == HAIRPIN_CMD_NEW_MAP ? "add" :
			   op->cmd == HAIRPIN_CMD_DEL_MAP ? "del" : "replace");
		open_object(o, "mapping");
		print_map(o, &op->map, op->cmd != HAIRPIN_CMD_DEL_MAP, NULL);
		close_object(o);
		break;
	case HAIRPIN_CMD_FLUSH_MAPS:
		print_text(o, "map flush");
		break;
	case HAIRPIN_CMD_NEW_MASQ:
	case HAIRPIN_CMD_DEL_MASQ:
		print_text(o, "masq %s ", op->cmd == HAIRPIN_CMD_NEW_MASQ ? "add" : "del");
		open_object(o, "masq");
		print_masq(o, &op->masq, op->cmd == HAIRPIN_CMD_NEW_MASQ, false);
		close_object(o);
		break;
	case HAIRPIN_CMD_SET_CONFIG:
		print_set(o, op);
		break;
	default:
		print_text(o, "# unknown operation %u", op->cmd);
		break;
	}
}

int format_map_key(char *buf, size_t len, const struct hp_map *m)
{
	struct out o;

	out_to_buf(&o, buf, len);
	print_map(&o, m, false, NULL);
	return o.len;
}

int format_map(char *buf, size_t len, const struct hp_map *m)
{
	struct out o;

	out_to_buf(&o, buf, len);
	print_map(&o, m, true, NULL);
	return o.len;
}

int format_op(char *buf, size_t len, const struct hp_op *op)
{
	struct out o;

	out_to_buf(&o, buf, len);
	print_op(&o, op);
	return o.len;
}
