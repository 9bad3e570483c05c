// SPDX-License-Identifier: GPL-2.0
/*
 * The map, masq and set commands: words into a struct hp_op.
 */
#include <string.h>

#include "error.h"
#include "grammar.h"
#include "hairpinctl.h"
#include "value.h"

bool parse_map_args(int argc, char *argv[], uint8_t cmd, struct hp_map *m)
{
	int i;

	memset(m, 0, sizeof(*m));
	if (argc < 1) {
		parse_error("missing protocol (tcp or udp)");
		return false;
	}
	if (!parse_proto(argv[0], &m->proto))
		return false;
	if (argc < 2) {
		parse_error("missing port after '%s'", argv[0]);
		return false;
	}
	if (!parse_map_key(argv[1], m))
		return false;
	if (cmd == HAIRPIN_CMD_DEL_MAP) {
		if (argc > 2) {
			parse_error("unexpected argument '%s'", argv[2]);
			return false;
		}
		return true;
	}

	if (argc < 3) {
		parse_error("missing 'to ADDR[:PORT[-PORT]]' after '%s'", argv[1]);
		return false;
	}
	if (strcmp(argv[2], "to")) {
		parse_error("expected 'to' instead of '%s'", argv[2]);
		return false;
	}
	if (argc < 4) {
		parse_error("missing address after 'to'");
		return false;
	}
	if (!parse_map_target(argv[3], m))
		return false;

	i = 4;
	if (i < argc && !strcmp(argv[i], "comment")) {
		if (i + 1 >= argc) {
			parse_error("missing text after 'comment'");
			return false;
		}
		if (!parse_comment(argv[i + 1], m->comment))
			return false;
		i += 2;
	}
	if (i < argc && !strcmp(argv[i], "mirror")) {
		m->flags |= HAIRPIN_MAP_F_MIRROR;
		i++;
	}
	if (i < argc) {
		parse_error("unexpected argument '%s'", argv[i]);
		return false;
	}
	return true;
}

bool parse_map_cmd(int argc, char *argv[], struct hp_op *op)
{
	static const struct {
		const char *word;
		uint8_t cmd;
	} words[] = {
		{ "add", HAIRPIN_CMD_NEW_MAP },
		{ "del", HAIRPIN_CMD_DEL_MAP },
		{ "replace", HAIRPIN_CMD_REPLACE_MAP },
		{ "flush", HAIRPIN_CMD_FLUSH_MAPS },
	};
	size_t i;

	if (argc < 1) {
		parse_error("missing map command (add, del, replace, show or flush)");
		return false;
	}
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcmp(argv[0], words[i].word))
			break;
	if (i == ARRAY_SIZE(words)) {
		if (!strcmp(argv[0], "show"))
			parse_error("'map show' cannot be part of a batch");
		else
			parse_error("unknown map command '%s'", argv[0]);
		return false;
	}

	hp_op_init(op, words[i].cmd);
	if (op->cmd == HAIRPIN_CMD_FLUSH_MAPS) {
		if (argc > 1) {
			parse_error("unexpected argument '%s'", argv[1]);
			return false;
		}
		return true;
	}
	return parse_map_args(argc - 1, argv + 1, op->cmd, &op->map);
}

bool parse_masq_cmd(int argc, char *argv[], struct hp_op *op)
{
	struct hp_masq *m = &op->masq;
	int i;

	if (argc < 1) {
		parse_error("missing masq command (add, del or show)");
		return false;
	}
	if (!strcmp(argv[0], "add")) {
		hp_op_init(op, HAIRPIN_CMD_NEW_MASQ);
	} else if (!strcmp(argv[0], "del")) {
		hp_op_init(op, HAIRPIN_CMD_DEL_MASQ);
	} else {
		if (!strcmp(argv[0], "show"))
			parse_error("'masq show' cannot be part of a batch");
		else
			parse_error("unknown masq command '%s'", argv[0]);
		return false;
	}
	if (argc < 2) {
		parse_error("missing 'dev IFNAME' after '%s'", argv[0]);
		return false;
	}
	if (strcmp(argv[1], "dev")) {
		parse_error("expected 'dev' instead of '%s'", argv[1]);
		return false;
	}
	if (argc < 3) {
		parse_error("missing interface name after 'dev'");
		return false;
	}
	if (!parse_ifname(argv[2], m->ifname))
		return false;

	/* Then, for add, in this order: [to ADDRESS] [filter F]. */
	i = 3;
	if (op->cmd == HAIRPIN_CMD_NEW_MASQ && i < argc && !strcmp(argv[i], "to")) {
		if (i + 1 >= argc) {
			parse_error("missing address after 'to'");
			return false;
		}
		if (!parse_addr(argv[i + 1], &m->addr))
			return false;
		m->has_addr = true;
		i += 2;
	}
	if (op->cmd == HAIRPIN_CMD_NEW_MASQ && i < argc && !strcmp(argv[i], "filter")) {
		if (i + 1 >= argc) {
			parse_error("missing value after 'filter' (independent, address or address-port)");
			return false;
		}
		if (!parse_filter(argv[i + 1], &m->filter))
			return false;
		i += 2;
	}
	if (i < argc) {
		parse_error("unexpected argument '%s'", argv[i]);
		return false;
	}
	return true;
}

/* "limit" and what follows it, from argv[*i] on: at least one of
 * "mappings N", "ports N" and "bindings N", each once. Stops at the first
 * other word, which the caller takes as the next setting.
 */
static bool parse_limits(int argc, char *argv[], int *i, struct hp_op *op)
{
	const struct {
		const char *name;
		bool *has;
		uint32_t *slot;
	} limits[] = {
		{ "mappings", &op->has_max_maps, &op->max_maps },
		{ "ports", &op->has_max_ports, &op->max_ports },
		{ "bindings", &op->has_max_bindings, &op->max_bindings },
	};
	int first = ++*i;

	while (*i < argc) {
		const char *key = argv[*i];
		size_t l;

		for (l = 0; l < ARRAY_SIZE(limits); l++)
			if (!strcmp(key, limits[l].name))
				break;
		if (l == ARRAY_SIZE(limits)) {
			if (*i > first)
				break;
			parse_error("unknown limit '%s' (mappings, ports or bindings)", key);
			return false;
		}
		if (*limits[l].has) {
			parse_error("'%s' given twice", key);
			return false;
		}
		if (*i + 1 >= argc) {
			parse_error("missing value after '%s' (0-4294967295)", key);
			return false;
		}
		if (!parse_limit(argv[*i + 1], limits[l].slot))
			return false;
		*limits[l].has = true;
		*i += 2;
	}
	if (*i == first) {
		parse_error("missing limit after 'limit' (mappings, ports or bindings)");
		return false;
	}
	return true;
}

#define SETTINGS "source, hairpin, scope, udp-timeout or limit"

/* The value after the setting argv[i], or NULL after the error. */
static const char *value_after(int argc, char *argv[], int i, const char *what)
{
	if (i + 1 < argc)
		return argv[i + 1];
	parse_error("missing value after '%s' (%s)", argv[i], what);
	return NULL;
}

bool parse_set_cmd(int argc, char *argv[], struct hp_op *op)
{
	bool had_limit = false;
	int i = 1;

	hp_op_init(op, HAIRPIN_CMD_SET_CONFIG);
	if (argc < 2) {
		parse_error("missing setting (" SETTINGS ")");
		return false;
	}
	while (i < argc) {
		const char *key = argv[i], *value;
		bool is_source = !strcmp(key, "source");
		int *slot = is_source ? &op->source : &op->mode;

		if (!strcmp(key, "limit")) {
			if (had_limit) {
				parse_error("'%s' given twice", key);
				return false;
			}
			had_limit = true;
			if (!parse_limits(argc, argv, &i, op))
				return false;
			continue;
		}
		if (!strcmp(key, "scope")) {
			if (op->has_scope) {
				parse_error("'%s' given twice", key);
				return false;
			}
			value = value_after(argc, argv, i, "own or all");
			if (!value || !parse_scope(value, &op->scope))
				return false;
			op->has_scope = true;
			i += 2;
			continue;
		}
		if (!strcmp(key, "udp-timeout")) {
			if (op->has_udp_timeout) {
				parse_error("'%s' given twice", key);
				return false;
			}
			value = value_after(argc, argv, i, "120-86400 seconds");
			if (!value || !parse_udp_timeout(value, &op->udp_timeout))
				return false;
			op->has_udp_timeout = true;
			i += 2;
			continue;
		}
		if (!is_source && strcmp(key, "hairpin")) {
			parse_error("unknown setting '%s' (" SETTINGS ")", key);
			return false;
		}
		if (*slot != HP_UNSET) {
			parse_error("'%s' given twice", key);
			return false;
		}
		value = value_after(argc, argv, i, is_source ? "lan, external or an address"
							     : "auto, always or off");
		if (!value)
			return false;
		if (is_source ? !parse_source(value, slot, &op->source_addr)
			      : !parse_mode(value, slot))
			return false;
		i += 2;
	}
	return true;
}

bool parse_op(int argc, char *argv[], struct hp_op *op)
{
	if (argc < 1) {
		parse_error("missing command");
		return false;
	}
	if (!strcmp(argv[0], "map"))
		return parse_map_cmd(argc - 1, argv + 1, op);
	if (!strcmp(argv[0], "masq"))
		return parse_masq_cmd(argc - 1, argv + 1, op);
	if (!strcmp(argv[0], "set"))
		return parse_set_cmd(argc, argv, op);
	if (!strcmp(argv[0], "show") || !strcmp(argv[0], "version") ||
	    !strcmp(argv[0], "binding") || !strcmp(argv[0], "upnp"))
		parse_error("'%s' cannot be part of a batch", argv[0]);
	else if (!strcmp(argv[0], PROG_NAME))
		parse_error("unknown command '%s' (leave out the word %s)",
			    argv[0], PROG_NAME);
	else
		parse_error("unknown command '%s'", argv[0]);
	return false;
}
