/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mappings and operations back into text, in the grammar of the commands:
 * a line parse_op() reads back.
 */
#ifndef HAIRPINCTL_FORMAT_H
#define HAIRPINCTL_FORMAT_H

#include <stddef.h>

#include "types.h"

/* "tcp 80", "udp 192.0.2.1:5000-5010". Returns what snprintf() returns. */
int format_map_key(char *buf, size_t len, const struct hp_map *m);
/* The key, then " to ADDR:PORT[-PORT]" and " comment TEXT" (quoted if
 * needed), in the grammar of "map add": the line can be pasted back.
 */
int format_map(char *buf, size_t len, const struct hp_map *m);
/* Big enough for format_map() of any mapping. */
#define HP_MAP_TEXT_MAX 256

/* op as the line of a -f file that parse_op() reads back as op: "map add
 * ...", "map replace ...", "map del KEY", "map flush" or "set [source S]
 * [hairpin M] [limit [mappings N] [ports N]]".
 */
int format_op(char *buf, size_t len, const struct hp_op *op);
/* Big enough for format_op() of any operation. */
#define HP_OP_TEXT_MAX (HP_MAP_TEXT_MAX + 32)

#endif
