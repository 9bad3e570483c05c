/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands that change something, shared by the command line and -f
 * files: "map add|del|replace|flush ...", "masq add|del ..." and "set ...",
 * into a struct hp_op. Errors as in value.h.
 */
#ifndef HAIRPINCTL_GRAMMAR_H
#define HAIRPINCTL_GRAMMAR_H

#include <stdbool.h>
#include <stdint.h>

#include "types.h"

/* PROTO [ADDR:]PORT[-PORT] [to ADDR[:PORT[-PORT]] [comment TEXT] [mirror]]:
 * the "to" part is required for HAIRPIN_CMD_NEW_MAP and _REPLACE_MAP and
 * refused for HAIRPIN_CMD_DEL_MAP; "mirror" sets HAIRPIN_MAP_F_MIRROR.
 */
bool parse_map_args(int argc, char *argv[], uint8_t cmd, struct hp_map *m);

/* argv[0] is add, del, replace or flush ("map" already consumed). */
bool parse_map_cmd(int argc, char *argv[], struct hp_op *op);
/* argv[0] is add (dev IFNAME [to ADDRESS] [filter F], in that order) or
 * del (dev IFNAME), "masq" already consumed.
 */
bool parse_masq_cmd(int argc, char *argv[], struct hp_op *op);
/* argv[0] is "set"; then any of "source S" (lan, external or
 * ADDR), "hairpin M", "scope own|all",
 * "udp-timeout SECONDS" and "limit" followed by any of "mappings N",
 * "ports N" and "bindings N", each once, in any order.
 */
bool parse_set_cmd(int argc, char *argv[], struct hp_op *op);
/* One line of a -f file, split into words: "map ...", "masq ..." or
 * "set ...".
 */
bool parse_op(int argc, char *argv[], struct hp_op *op);

#endif
