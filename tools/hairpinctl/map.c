// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl map add|del|replace|show|flush
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "hairpinctl.h"
#include "msg.h"
#include "nl.h"
#include "parse.h"

/* How often "map show" restarts a dump that raced a change. */
#define DUMP_TRIES 10

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

struct map_list {
	struct hp_map *maps;
	size_t len, cap;
};

static int map_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct map_list *list = data;
	const struct nlattr *attr;
	struct hp_map m;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != HAIRPIN_A_MAP)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ||
		    !hp_map_parse(attr, &m))
			return MNL_CB_ERROR;
		if (list->len == list->cap) {
			size_t cap = list->cap ? list->cap * 2 : 64;
			struct hp_map *maps = realloc(list->maps, cap * sizeof(*maps));

			if (!maps)
				return MNL_CB_ERROR;
			list->maps = maps;
			list->cap = cap;
		}
		list->maps[list->len++] = m;
	}
	return MNL_CB_OK;
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

/* By protocol, then address (any first), then ports. */
static int map_cmp(const void *pa, const void *pb)
{
	const struct hp_map *a = pa, *b = pb;

	if (a->proto != b->proto)
		return cmp_u32(a->proto, b->proto);
	if (a->has_addr != b->has_addr)
		return a->has_addr ? 1 : -1;
	if (a->addr != b->addr)
		return cmp_u32(ntohl(a->addr), ntohl(b->addr));
	if (a->port != b->port)
		return cmp_u32(a->port, b->port);
	return cmp_u32(a->port_max, b->port_max);
}

static int digits(uint64_t v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/*
 * One line per mapping, in the grammar of "map add", then the counters in
 * aligned columns:
 *   tcp 80 to 192.168.1.10:80 comment web    conns 12 hairpinned 3
 *   udp 5000-5010 to 192.168.1.20:6000-6010  conns 0  hairpinned 0
 */
static void print_maps(const struct map_list *list)
{
	int text_w = 0, conns_w = 1;
	char text[HP_MAP_TEXT_MAX];
	size_t i;

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
			printf("%-*s  conns %-*" PRIu64 " hairpinned %" PRIu64 "\n",
			       text_w, text, conns_w, m->conns, m->hairpinned);
		else
			printf("%s\n", text);
	}
}

static int map_show(int argc, char *argv[])
{
	alignas(struct nlmsghdr) char buf[MNL_NLMSG_HDRLEN + 64];
	struct map_list list = { NULL, 0, 0 };
	struct hp_nl_err err;
	struct hp_nl nl;
	int tries, ret = EXIT_RUNTIME;

	if (argc > 1) {
		hp_error("unexpected argument '%s'", argv[1]);
		return EXIT_USAGE;
	}
	if (!hp_nl_open(&nl))
		return EXIT_RUNTIME;
	for (tries = 1; tries <= DUMP_TRIES; tries++) {
		struct nlmsghdr *nlh = hp_nl_start(&nl, buf, HAIRPIN_CMD_GET_MAP,
						   NLM_F_DUMP);

		list.len = 0;
		if (hp_nl_talk(&nl, nlh, map_dump_cb, &list, &err) == 0) {
			qsort(list.maps, list.len, sizeof(*list.maps), map_cmp);
			print_maps(&list);
			ret = EXIT_OK;
			break;
		}
		if (!err.dump_intr) {
			hp_nl_perror("map show", &err);
			break;
		}
	}
	if (tries > DUMP_TRIES)
		hp_error("map show: the mappings kept changing during %d dumps; try again",
			 DUMP_TRIES);
	free(list.maps);
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
	{ "show", map_show, "", "list the mappings with their counters" },
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
