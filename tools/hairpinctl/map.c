// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl map add|del|replace|show|flush
 */
#include <string.h>

#include "error.h"
#include "format.h"
#include "grammar.h"
#include "hairpinctl.h"
#include "nl.h"
#include "print.h"

static void map_usage(FILE *f);

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

static int map_help(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	map_usage(stdout);
	return EXIT_OK;
}

static const struct {
	const char *name;
	int (*handler)(int argc, char *argv[]);
	const char *args;
	const char *description;
} map_commands[] = {
	{ "add", map_change, "PROTO [ADDR:]PORT[-PORT] to ADDR[:PORT[-PORT]] [comment TEXT]",
	  "add a mapping; fails if it overlaps one" },
	{ "del", map_change, "PROTO [ADDR:]PORT[-PORT]",
	  "delete the mapping of exactly these ports" },
	{ "replace", map_change, "PROTO [ADDR:]PORT[-PORT] to ADDR[:PORT[-PORT]] [comment TEXT]",
	  "replace the mapping of exactly these ports, or add it" },
	{ "show", map_show, "[-j] [-p]", "list the mappings with their counters" },
	{ "flush", map_change, "", "delete every mapping" },
	{ "help", map_help, "", "show this help" },
};

#define N_MAP_COMMANDS ARRAY_SIZE(map_commands)

static void map_usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s map COMMAND [ARGS]\n\n", PROG_NAME);
	for (i = 0; i < N_MAP_COMMANDS; i++)
		fprintf(f, "  map %s%s%s\n      %s\n", map_commands[i].name,
			*map_commands[i].args ? " " : "", map_commands[i].args,
			map_commands[i].description);
	fputs("\nPROTO is tcp or udp. Without ADDR: every local address. Without\n"
	      "the internal ports: the external ones; with them, as many as the\n"
	      "external ones. TEXT: one word, at most 63 bytes.\n", f);
}

int map_main(int argc, char *argv[])
{
	size_t i;

	if (argc < 2) {
		hp_error("missing map command (add, del, replace, show or flush)");
		return EXIT_USAGE;
	}
	if (is_help(argv[1]))
		return map_help(argc - 1, argv + 1);
	for (i = 0; i < N_MAP_COMMANDS; i++)
		if (!strcmp(argv[1], map_commands[i].name))
			return map_commands[i].handler(argc - 1, argv + 1);
	hp_error("unknown map command '%s'", argv[1]);
	return EXIT_USAGE;
}
