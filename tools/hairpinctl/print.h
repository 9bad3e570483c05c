/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the commands print: map show, masq show, binding show, show,
 * monitor and save, as text for people (in the grammar of the commands where it can be) or as
 * JSON for scripts, each field once through the output layer (out.h). No
 * netlink here, so the tests can check every byte.
 *
 * JSON keys (hairpinctl(8) documents them; only ever added to):
 *   mapping:  proto, addr, port, port_max, to_addr, to_port, to_port_max,
 *             comment, mirror, conns, hairpinned
 *   map show: {"mappings": [mapping...]}
 *   masq:     dev, to, filter, bindings
 *   masq show: {"masq": [masq...]}
 *   binding:  proto, internal, internal_port, external, external_port,
 *             filter, conns, idle
 *   binding show: {"bindings": [binding...]}
 *   show:     {"version", "source", "source_addr", "hairpin", "scope",
 *              "udp_timeout", "mappings", "ports", "max_mappings",
 *              "max_ports", "bindings", "max_bindings", "conns",
 *              "hairpinned", "others_hairpinned"}
 *   monitor:  one object per event: {"event": "add"|"del", "mapping"},
 *             {"event": "add"|"del", "masq"},
 *             {"event": "flush"}, {"event": "set", "source", "source_addr",
 *             "hairpin", "scope", "udp_timeout", "max_mappings",
 *             "max_ports", "max_bindings"}
 * flags: PRINT_JSON, PRINT_PRETTY, PRINT_STATS (out.h).
 */
#ifndef HAIRPINCTL_PRINT_H
#define HAIRPINCTL_PRINT_H

#include <stdio.h>

#include "list.h"
#include "out.h"
#include "types.h"

/* map show: one line per mapping in the grammar of "map add", counters in
 * aligned columns after it.
 */
void print_maps(FILE *f, const struct hp_maplist *list, unsigned int flags);
/* masq show: one line per rule, "dev IFNAME [to ADDRESS] filter F
 * bindings N".
 */
void print_masqs(FILE *f, const struct hp_masqlist *list, unsigned int flags);
/* binding show: one line per binding, "udp 192.168.1.100:4000 ->
 * 203.0.113.1:4000 filter independent conns 2 idle 3s".
 */
void print_bindings(FILE *f, const struct hp_bindinglist *list,
		    unsigned int flags);
/* show: "source S" (lan, external or an address), "hairpin M", "scope
 * own|all" and "udp-timeout N" (when the module has them), "module V", "mappings N", "limits mappings
 * N/MAX ports N/MAX bindings N/MAX" (what the module has of them), and
 * with PRINT_STATS "conns N hairpinned N" and "others-hairpinned N" (when
 * the module counts it).
 */
void print_config(FILE *f, const struct hp_config *c, unsigned int flags);
/* monitor: the event as the -f line that makes the same change. */
void print_event(FILE *f, const struct hp_op *op, unsigned int flags);
/* save: a -f file that restores the settings, the limits, the masq rules
 * and the mappings: "map flush", "set source S hairpin M", "set
 * udp-timeout N" (when the module has one other than the default), "set
 * scope all" (the same), "set
 * limit mappings N ports N bindings N" (the limits the module has), "masq
 * add ..." per rule, then "map add ..." per mapping. Never the bindings.
 */
void print_save(FILE *f, const struct hp_config *c,
		const struct hp_masqlist *masqs, const struct hp_maplist *maps);

#endif
