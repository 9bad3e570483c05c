// SPDX-License-Identifier: GPL-2.0
/*
 * The printers of map show, show, monitor and save.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <string.h>

#include "format.h"
#include "names.h"
#include "print.h"

static int digits(uint64_t v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static void json_addr(struct json *j, const char *key, bool has, uint32_t addr)
{
	char text[INET_ADDRSTRLEN];
	struct in_addr in = { .s_addr = addr };

	if (!has) {
		json_null(j, key);
		return;
	}
	inet_ntop(AF_INET, &in, text, sizeof(text));
	json_string(j, key, text);
}

/* A name where there is one, else the number; null when unknown. */
static void json_name(struct json *j, const char *key, int value,
		      const char *name)
{
	if (name)
		json_string(j, key, name);
	else if (value == HP_UNSET)
		json_null(j, key);
	else
		json_u64(j, key, (uint64_t)value);
}

void print_map_json(struct json *j, const char *key, const struct hp_map *m)
{
	unsigned int to_port = m->has_to_port ? m->to_port : m->port;

	json_open_object(j, key);
	json_name(j, "proto", m->proto, proto_name(m->proto));
	json_addr(j, "addr", m->has_addr, m->addr);
	json_u64(j, "port", m->port);
	json_u64(j, "port_max", m->port_max);
	json_addr(j, "to_addr", m->has_to, m->to_addr);
	if (m->has_to) {
		json_u64(j, "to_port", to_port);
		json_u64(j, "to_port_max", to_port + (unsigned int)(m->port_max - m->port));
	} else {
		json_null(j, "to_port");
		json_null(j, "to_port_max");
	}
	json_string(j, "comment", m->comment[0] ? m->comment : NULL);
	if (m->has_counters) {
		json_u64(j, "conns", m->conns);
		json_u64(j, "hairpinned", m->hairpinned);
	} else {
		json_null(j, "conns");
		json_null(j, "hairpinned");
	}
	json_close_object(j);
}

static void print_maps_json(FILE *f, const struct hp_maplist *list,
			    unsigned int flags)
{
	struct json j;
	size_t i;

	json_init(&j, f, flags & PRINT_PRETTY);
	json_open_object(&j, NULL);
	json_open_array(&j, "mappings");
	for (i = 0; i < list->len; i++)
		print_map_json(&j, NULL, &list->maps[i]);
	json_close_array(&j);
	json_close_object(&j);
	json_end(&j);
}

/*
 *   tcp 80 to 192.168.1.10:80 comment web    conns 12 hairpinned 3
 *   udp 5000-5010 to 192.168.1.20:6000-6010  conns 0  hairpinned 0
 */
void print_maps(FILE *f, const struct hp_maplist *list, unsigned int flags)
{
	int text_w = 0, conns_w = 1;
	char text[HP_MAP_TEXT_MAX];
	size_t i;

	if (flags & PRINT_JSON) {
		print_maps_json(f, list, flags);
		return;
	}
	for (i = 0; i < list->len; i++) {
		int n = format_map(text, sizeof(text), &list->maps[i]);

		if (n > text_w)
			text_w = n;
		if (digits(list->maps[i].conns) > conns_w)
			conns_w = digits(list->maps[i].conns);
	}
	for (i = 0; i < list->len; i++) {
		const struct hp_map *m = &list->maps[i];

		format_map(text, sizeof(text), m);
		if (m->has_counters)
			fprintf(f, "%-*s  conns %-*" PRIu64 " hairpinned %" PRIu64 "\n",
				text_w, text, conns_w, m->conns, m->hairpinned);
		else
			fprintf(f, "%s\n", text);
	}
}

static void print_setting(FILE *f, const char *key, int value, const char *name)
{
	if (name)
		fprintf(f, "%s %s\n", key, name);
	else if (value != HP_UNSET)
		fprintf(f, "%s %d\n", key, value);
}

/* A number the module may not have told: null then. */
static void json_opt_u32(struct json *j, const char *key, bool has, uint32_t v)
{
	if (has)
		json_u64(j, key, v);
	else
		json_null(j, key);
}

/* "limits mappings 3/1024 ports 3/65536": what is in use, out of the
 * limit; nothing from a module without limits.
 */
static void print_limits(FILE *f, const struct hp_config *c)
{
	if (!c->has_max_maps && !c->has_max_ports)
		return;
	fputs("limits", f);
	if (c->has_max_maps)
		fprintf(f, " mappings %" PRIu32 "/%" PRIu32, c->mappings, c->max_maps);
	if (c->has_max_ports && c->has_ports)
		fprintf(f, " ports %" PRIu32 "/%" PRIu32, c->ports, c->max_ports);
	else if (c->has_max_ports)
		fprintf(f, " ports %" PRIu32, c->max_ports);
	fputc('\n', f);
}

void print_config(FILE *f, const struct hp_config *c, unsigned int flags)
{
	struct json j;

	if (flags & PRINT_JSON) {
		json_init(&j, f, flags & PRINT_PRETTY);
		json_open_object(&j, NULL);
		json_string(&j, "version", c->version[0] ? c->version : NULL);
		json_name(&j, "source", c->source, source_name(c->source));
		json_name(&j, "hairpin", c->mode, mode_name(c->mode));
		json_u64(&j, "mappings", c->mappings);
		json_opt_u32(&j, "ports", c->has_ports, c->ports);
		json_opt_u32(&j, "max_mappings", c->has_max_maps, c->max_maps);
		json_opt_u32(&j, "max_ports", c->has_max_ports, c->max_ports);
		json_u64(&j, "conns", c->conns);
		json_u64(&j, "hairpinned", c->hairpinned);
		json_close_object(&j);
		json_end(&j);
		return;
	}
	print_setting(f, "source", c->source, source_name(c->source));
	print_setting(f, "hairpin", c->mode, mode_name(c->mode));
	fprintf(f, "module %s\n", c->version[0] ? c->version : "unknown");
	fprintf(f, "mappings %" PRIu32 "\n", c->mappings);
	print_limits(f, c);
	if (flags & PRINT_STATS)
		fprintf(f, "conns %" PRIu64 " hairpinned %" PRIu64 "\n",
			c->conns, c->hairpinned);
}

static const char *event_name(uint8_t cmd)
{
	switch (cmd) {
	case HAIRPIN_CMD_NEW_MAP:
		return "add";
	case HAIRPIN_CMD_DEL_MAP:
		return "del";
	case HAIRPIN_CMD_FLUSH_MAPS:
		return "flush";
	case HAIRPIN_CMD_SET_CONFIG:
		return "set";
	}
	return NULL;
}

void print_event(FILE *f, const struct hp_op *op, unsigned int flags)
{
	char text[HP_OP_TEXT_MAX];
	struct json j;

	if (!(flags & PRINT_JSON)) {
		format_op(text, sizeof(text), op);
		fprintf(f, "%s\n", text);
		return;
	}
	json_init(&j, f, flags & PRINT_PRETTY);
	json_open_object(&j, NULL);
	json_name(&j, "event", op->cmd, event_name(op->cmd));
	switch (op->cmd) {
	case HAIRPIN_CMD_NEW_MAP:
	case HAIRPIN_CMD_DEL_MAP:
		print_map_json(&j, "mapping", &op->map);
		break;
	case HAIRPIN_CMD_SET_CONFIG:
		json_name(&j, "source", op->source, source_name(op->source));
		json_name(&j, "hairpin", op->mode, mode_name(op->mode));
		json_opt_u32(&j, "max_mappings", op->has_max_maps, op->max_maps);
		json_opt_u32(&j, "max_ports", op->has_max_ports, op->max_ports);
		break;
	}
	json_close_object(&j);
	json_end(&j);
}

void print_save(FILE *f, const struct hp_config *c,
		const struct hp_maplist *list)
{
	char text[HP_OP_TEXT_MAX];
	struct hp_op op;
	size_t i;

	memset(&op, 0, sizeof(op));
	op.source = HP_UNSET;
	op.mode = HP_UNSET;

	op.cmd = HAIRPIN_CMD_FLUSH_MAPS;
	format_op(text, sizeof(text), &op);
	fprintf(f, "%s\n", text);

	if (c->source != HP_UNSET || c->mode != HP_UNSET) {
		op.cmd = HAIRPIN_CMD_SET_CONFIG;
		op.source = c->source;
		op.mode = c->mode;
		format_op(text, sizeof(text), &op);
		fprintf(f, "%s\n", text);
		op.source = HP_UNSET;
		op.mode = HP_UNSET;
	}

	/* On a line of its own, before the mappings: restoring a table
	 * bigger than the limits in force needs them raised first.
	 */
	if (c->has_max_maps || c->has_max_ports) {
		op.cmd = HAIRPIN_CMD_SET_CONFIG;
		op.has_max_maps = c->has_max_maps;
		op.max_maps = c->max_maps;
		op.has_max_ports = c->has_max_ports;
		op.max_ports = c->max_ports;
		format_op(text, sizeof(text), &op);
		fprintf(f, "%s\n", text);
	}

	op.cmd = HAIRPIN_CMD_NEW_MAP;
	for (i = 0; i < list->len; i++) {
		op.map = list->maps[i];
		format_op(text, sizeof(text), &op);
		fprintf(f, "%s\n", text);
	}
}
