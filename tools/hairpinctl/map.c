// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl map add|del|replace|show|flush
 */
#include <stdio.h>

#include "format.h"
#include "grammar.h"
#include "hairpinctl.h"
#include "nl.h"
#include "print.h"

/* add, del, replace, flush: one request. */
static int map_change(int argc, char *argv[])
{
	char context[HP_MAP_TEXT_MAX + 32], key[HP_MAP_TEXT_MAX];
	struct hp_op op;

	if (!parse_map_cmd(argc, argv, &op))
		return EXIT_USAGE;
	if (op.cmd == HAIRPIN_CMD_FLUSH_MAPS) {
		snprintf(context, sizeof(context), "map %s", argv[0]);
	} else {
		format_map_key(key, sizeof(key), &op.map);
		snprintf(context, sizeof(context), "map %s %s", argv[0], key);
	}
	return hp_nl_run_op(&op, context);
}

static int map_show(int argc, char *argv[])
{
	struct hp_maplist list = { NULL, 0, 0 };
	struct hp_nl_err err;
	struct hp_nl nl;
	int ret = EXIT_RUNTIME;

	if (!parse_print_args(argc, argv))
		return EXIT_USAGE;
	if (!hp_nl_open(&nl))
		return EXIT_RUNTIME;
	if (hp_nl_get_maps(&nl, &list, &err) == 0) {
		print_maps(stdout, &list, print_flags);
		ret = EXIT_OK;
	} else {
		hp_nl_perror("map show", &err);
	}
	hp_maplist_free(&list);
	hp_nl_close(&nl);
	return ret;
}

#define MAP_RULE "PROTO [ADDR:]PORT[-PORT] to ADDR[:PORT[-PORT]] [comment TEXT] [mirror]"

const struct hp_cmd map_commands[] = {
	{ .name = "add", .handler = map_change, .args = { MAP_RULE },
	  .description = "add a mapping; fails if it overlaps one" },
	{ .name = "del", .handler = map_change, .args = { "PROTO [ADDR:]PORT[-PORT]" },
	  .description = "delete the mapping of exactly these ports" },
	{ .name = "replace", .handler = map_change, .args = { MAP_RULE },
	  .description = "replace the mapping of exactly these ports, or add it" },
	{ .name = "show", .handler = map_show, .args = { "[-j] [-p]" },
	  .description = "list the mappings with their counters" },
	{ .name = "flush", .handler = map_change,
	  .description = "delete every mapping" },
	{ .name = "help", .description = "show this help" },
	{ .name = NULL },
};
