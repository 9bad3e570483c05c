/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mappings, masq rules, bindings and operations through the output layer:
 * as text, in the grammar of the commands (a line parse_op() reads back)
 * where there is one, and as JSON objects.
 */
#ifndef HAIRPINCTL_FORMAT_H
#define HAIRPINCTL_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "out.h"
#include "types.h"

/* Where map show's text puts the counters. */
struct map_cols {
	int conns;		/* column of "conns N" */
	int hairpinned;		/* column of "hairpinned N" */
};

/*
 * The fields of m (JSON keys: proto, addr, port, port_max, to_addr,
 * to_port, to_port_max, comment, mirror, conns, hairpinned; null for what
 * m has not). The text is m's key, "tcp 80" or "udp 192.0.2.1:5000-5010",
 * as "map del" takes it; with target, also " to ADDR:PORT[-PORT]",
 * " comment TEXT" (quoted if needed) and " mirror", as "map add" takes
 * them; with cols, the counters in those columns.
 */
void print_map(struct out *o, const struct hp_map *m, bool target,
	       const struct map_cols *cols);

/*
 * The fields of m (JSON keys: dev, to, filter, bindings; null for the
 * address and the bindings m has not). The text is "dev IFNAME", the name
 * quoted if needed, as "masq del" takes it; with rule, also " to ADDRESS"
 * if m has one and " filter F" unless F is independent, as "masq add"
 * takes them; with show, " filter F bindings N" whatever F.
 */
void print_masq(struct out *o, const struct hp_masq *m, bool rule, bool show);

/*
 * The fields of b (JSON keys: proto, internal, internal_port, external,
 * external_port, filter, conns, idle; null for what b has not). The text
 * is "udp 192.168.1.100:4000 -> 203.0.113.1:4000 filter independent
 * conns 2 idle 3s", without what b has not.
 */
void print_binding(struct out *o, const struct hp_binding *b);

/*
 * The source (JSON keys: source, source_addr; null for what there is
 * not): as text, fmt with lan, external or HAIRPIN_SOURCE_ADDR's address,
 * as "set source" takes it; in JSON, "source" is "address" then, and
 * "source_addr" the address.
 */
void print_source(struct out *o, const char *fmt, int source, uint32_t addr);

/* op as the line of a -f file that parse_op() reads back as op: "map add
 * ...", "map replace ...", "map del KEY", "map flush", "masq add ...",
 * "masq del dev IFNAME" or "set [source S] [hairpin M] [udp-timeout N]
 * [limit [mappings N] [ports N] [bindings N]]". In JSON, monitor's event:
 * "event" (add, del, flush, set) and "mapping" or "masq", or the settings
 * ("source", "source_addr", "hairpin", "udp_timeout", "max_mappings",
 * "max_ports", "max_bindings").
 */
void print_op(struct out *o, const struct hp_op *op);

/* The same into a buffer; they return what snprintf() returns. */
int format_map_key(char *buf, size_t len, const struct hp_map *m);
int format_map(char *buf, size_t len, const struct hp_map *m);
int format_op(char *buf, size_t len, const struct hp_op *op);

/* Big enough for format_map() of any mapping. */
#define HP_MAP_TEXT_MAX 256
/* Big enough for format_op() of any operation. */
#define HP_OP_TEXT_MAX (HP_MAP_TEXT_MAX + 32)

#endif
