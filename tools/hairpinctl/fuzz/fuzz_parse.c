// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the grammar: the input is a -f file, and a lease
 * file of miniupnpd's too. What parses must also survive everything that
 * follows from it, and come back the same:
 *   - each operation, formatted by format_op() as monitor and save print
 *     it, parses back to the same operation;
 *   - the batch builds, every HAIRPIN_A_OP is found back by its offset, and
 *     every mapping and masq nest in it parses back to what it came from;
 *   - the printers (text and JSON) take every operation;
 *   - each lease's mirror is one that upnp follow owns, and its map add
 *     line (as save writes it) parses back to the same mirror; a plan
 *     against an empty table adds each protocol and port once.
 * Anything else aborts, which libFuzzer reports as a crash.
 *
 *   make fuzz            (clang -fsanitize=fuzzer,address,undefined)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "format.h"
#include "grammar.h"
#include "lease.h"
#include "lex.h"
#include "mirror.h"
#include "msg.h"
#include "print.h"

#define FAMILY 0x1234

#define require(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_parse: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

static bool same_map(const struct hp_map *a, const struct hp_map *b)
{
	return a->proto == b->proto && a->has_addr == b->has_addr &&
	       (!a->has_addr || a->addr == b->addr) && a->port == b->port &&
	       a->port_max == b->port_max && a->has_to == b->has_to &&
	       (!a->has_to || (a->to_addr == b->to_addr && a->to_port == b->to_port)) &&
	       !strcmp(a->comment, b->comment) && a->flags == b->flags;
}

static bool same_op(const struct hp_op *a, const struct hp_op *b)
{
	if (a->cmd != b->cmd)
		return false;
	switch (a->cmd) {
	case HAIRPIN_CMD_NEW_MAP:
	case HAIRPIN_CMD_REPLACE_MAP:
		return same_map(&a->map, &b->map);
	case HAIRPIN_CMD_DEL_MAP:
		return a->map.proto == b->map.proto &&
		       a->map.has_addr == b->map.has_addr &&
		       (!a->map.has_addr || a->map.addr == b->map.addr) &&
		       a->map.port == b->map.port && a->map.port_max == b->map.port_max;
	case HAIRPIN_CMD_NEW_MASQ:
		return !strcmp(a->masq.ifname, b->masq.ifname) &&
		       a->masq.filter == b->masq.filter;
	case HAIRPIN_CMD_DEL_MASQ:
		return !strcmp(a->masq.ifname, b->masq.ifname);
	case HAIRPIN_CMD_SET_CONFIG:
		return a->source == b->source && a->mode == b->mode &&
		       a->has_max_maps == b->has_max_maps &&
		       (!a->has_max_maps || a->max_maps == b->max_maps) &&
		       a->has_max_ports == b->has_max_ports &&
		       (!a->has_max_ports || a->max_ports == b->max_ports) &&
		       a->has_udp_timeout == b->has_udp_timeout &&
		       (!a->has_udp_timeout || a->udp_timeout == b->udp_timeout) &&
		       a->has_max_bindings == b->has_max_bindings &&
		       (!a->has_max_bindings || a->max_bindings == b->max_bindings) &&
		       a->has_scope == b->has_scope &&
		       (!a->has_scope || a->scope == b->scope);
	}
	return true;
}

static void check_text(const struct hp_op *op)
{
	char text[HP_OP_TEXT_MAX], words[HP_OP_TEXT_MAX], *argv[HP_MAX_WORDS];
	struct hp_op back;
	int argc, n;

	n = format_op(text, sizeof(text), op);
	require(n > 0 && (size_t)n < sizeof(text));
	require(parse_words(text, words, &argc, argv));
	require(parse_op(argc, argv, &back));
	require(same_op(op, &back));
}

static void check_batch(const struct hp_oplist *list)
{
	struct hp_batch b;
	size_t i;

	if (!hp_batch_build(&b, FAMILY, list->ops, list->len))
		return;
	require(b.n == list->len);
	for (i = 0; i < b.n; i++) {
		const struct nlattr *nest = (const struct nlattr *)(b.buf + b.off[i]);
		const struct nlattr *attr;
		struct hp_masq q;
		struct hp_map m;

		require(hp_batch_find(&b, b.off[i]) == (long)i);
		require(hp_batch_find(&b, b.off[i] + nest->nla_len - 1) == (long)i);
		mnl_attr_for_each_nested(attr, nest) {
			if (mnl_attr_get_type(attr) == HAIRPIN_OP_A_MASQ) {
				require(hp_masq_parse(attr, &q));
				require(!strcmp(q.ifname, list->ops[i].masq.ifname));
				require(list->ops[i].cmd == HAIRPIN_CMD_DEL_MASQ ||
					q.filter == list->ops[i].masq.filter);
				continue;
			}
			if (mnl_attr_get_type(attr) != HAIRPIN_OP_A_MAP)
				continue;
			require(hp_map_parse(attr, &m));
			require(m.proto == list->ops[i].map.proto &&
				m.port == list->ops[i].map.port &&
				m.port_max == list->ops[i].map.port_max &&
				!strcmp(m.comment, list->ops[i].map.comment) &&
				m.flags == list->ops[i].map.flags);
		}
	}
	require(hp_batch_find(&b, 0) == -1);
	hp_batch_free(&b);
}

static void check_print(const struct hp_op *op, FILE *out)
{
	struct hp_maplist one = { (struct hp_map *)&op->map, 1, 1 };
	struct hp_masqlist one_masq = { (struct hp_masq *)&op->masq, 1, 1 };

	print_event(out, op, 0);
	print_event(out, op, PRINT_JSON);
	print_event(out, op, PRINT_JSON | PRINT_PRETTY);
	if (op->cmd == HAIRPIN_CMD_NEW_MAP) {
		print_maps(out, &one, 0);
		print_maps(out, &one, PRINT_JSON);
	}
	if (op->cmd == HAIRPIN_CMD_NEW_MASQ) {
		print_masqs(out, &one_masq, 0);
		print_masqs(out, &one_masq, PRINT_JSON);
	}
}

static void check_leases(const uint8_t *data, size_t size)
{
	struct hp_maplist empty = { NULL, 0, 0 };
	struct mirror_plan plan;
	struct hp_leases l;
	size_t i;
	FILE *in = fmemopen((void *)data, size, "r");

	require(in);
	if (lease_parse_file(in, &l)) {
		for (i = 0; i < l.len; i++) {
			struct hp_op op = { .cmd = HAIRPIN_CMD_NEW_MAP };

			op.map = l.leases[i].map;
			require(mirror_owned(&op.map) && op.map.port && op.map.to_port &&
				strlen(op.map.comment) < HAIRPIN_COMMENT_MAX);
			check_text(&op);
		}
		require(mirror_plan(&l, &empty, NULL, &plan));
		require(plan.ops.len + plan.notes.len == l.len);
		mirror_plan_free(&plan);
	}
	lease_free(&l);
	fclose(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hp_oplist list;
	FILE *in, *out;
	size_t i;

	if (size == 0)
		return 0;
	in = fmemopen((void *)data, size, "r");
	out = fopen("/dev/null", "w");
	require(in && out);
	if (parse_file(in, "fuzz", &list)) {
		for (i = 0; i < list.len; i++) {
			check_text(&list.ops[i]);
			check_print(&list.ops[i], out);
		}
		check_batch(&list);
	}
	hp_oplist_free(&list);
	fclose(in);
	fclose(out);
	check_leases(data, size);
	return 0;
}
