/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * hairpin: port mapping (DNAT) with automatic hairpin NAT, configured over
 * generic netlink.
 *
 * Family "hairpin" (HAIRPIN_GENL_NAME), version 1. Every request needs
 * CAP_NET_ADMIN in the user namespace that owns the network namespace of the
 * socket, and acts on that network namespace only. Requests are validated
 * strictly: unknown attributes, wrong lengths and out-of-range values are
 * rejected, and every rejection carries an extended ack message and, where
 * one is to blame, the offset of the offending attribute. The command says
 * what to do: "do" requests carry no NLM_F_CREATE, NLM_F_EXCL or
 * NLM_F_REPLACE (generic netlink reserves those bits).
 *
 * A mapping
 * ---------
 * A mapping sends a new connection to (proto, external address, P) with P
 * in [PORT, PORT_MAX] to (TO_ADDR, TO_PORT + (P - PORT)). Without an
 * external address it matches every local address of the router (what
 * "fib daddr type local" matches, loopback excluded), decided per new
 * connection, so an address change needs no reconfiguration. A mapping that
 * names an address wins over an any-address mapping of the same port. Two
 * mappings overlap when they share the protocol, the address (or lack of
 * one) and at least one port; overlaps are rejected.
 *
 * HAIRPIN_A_MAP: NLA_NESTED
 *     HAIRPIN_MAP_A_PROTO: NLA_U8, IPPROTO_TCP or IPPROTO_UDP (required)
 *     HAIRPIN_MAP_A_ADDR: NLA_BE32, external IPv4 address; absent = any
 *     HAIRPIN_MAP_A_PORT: NLA_U16, first external port, 1..65535 (required)
 *     HAIRPIN_MAP_A_PORT_MAX: NLA_U16, last external port; absent = PORT
 *     HAIRPIN_MAP_A_TO_ADDR: NLA_BE32, internal address (required for add)
 *     HAIRPIN_MAP_A_TO_PORT: NLA_U16, first internal port; absent = PORT.
 *                            The internal range has the external range's
 *                            length and must end at or below 65535.
 *     HAIRPIN_MAP_A_COMMENT: NLA_NUL_STRING, at most HAIRPIN_COMMENT_MAX
 *                            bytes with the NUL
 *     HAIRPIN_MAP_A_CONNS: NLA_U64, connections mapped (read only)
 *     HAIRPIN_MAP_A_HAIRPINNED: NLA_U64, of those, source-NATed by hairpin
 *                               (read only)
 *     HAIRPIN_MAP_A_PAD: padding for the 64-bit counters
 *
 * A mapping is identified by PROTO, ADDR (or its absence) and PORT..PORT_MAX;
 * DEL_MAP needs exactly those, and ignores the other attributes.
 *
 * Limits
 * ------
 * A namespace holds at most HAIRPIN_A_MAX_MAPS mappings with at most
 * HAIRPIN_A_MAX_PORTS external ports between them (a range counts each of
 * its ports). The defaults are generous in the initial user namespace and
 * tight in the others, which any user can create; a namespace's own admin
 * may lower its limits, and only CAP_NET_ADMIN in the initial user
 * namespace raises them above the defaults. A limit below what is in use
 * is refused (ENOSPC). The memory behind a namespace's mappings is charged
 * to the memory cgroup of whoever created them.
 *
 * Commands
 * --------
 * HAIRPIN_CMD_GET_CONFIG (do): replies with HAIRPIN_A_VERSION,
 *     HAIRPIN_A_SOURCE, HAIRPIN_A_MODE, HAIRPIN_A_MAPPINGS, HAIRPIN_A_CONNS,
 *     HAIRPIN_A_HAIRPINNED (totals since the namespace got the module),
 *     HAIRPIN_A_PORTS, HAIRPIN_A_MAX_MAPS and HAIRPIN_A_MAX_PORTS.
 * HAIRPIN_CMD_SET_CONFIG (do): any of HAIRPIN_A_SOURCE, HAIRPIN_A_MODE,
 *     HAIRPIN_A_MAX_MAPS, HAIRPIN_A_MAX_PORTS.
 * HAIRPIN_CMD_NEW_MAP (do): one HAIRPIN_A_MAP to add; fails with EEXIST
 *     (and the extack message) when it overlaps an existing mapping, and
 *     with ENOSPC when the namespace would hold more mappings or external
 *     ports than its limits allow.
 * HAIRPIN_CMD_DEL_MAP (do): one HAIRPIN_A_MAP naming the mapping; ENOENT
 *     when there is none.
 * HAIRPIN_CMD_REPLACE_MAP (do): one HAIRPIN_A_MAP; replaces the mapping with
 *     the same identity, or adds it when there is none. It keeps the old
 *     one's place in the dump.
 * HAIRPIN_CMD_GET_MAP (dump): one message per mapping, each holding one
 *     HAIRPIN_A_MAP with its counters. A dump that races a change ends with
 *     NLM_F_DUMP_INTR set; start it again.
 * HAIRPIN_CMD_FLUSH_MAPS (do): removes every mapping.
 * HAIRPIN_CMD_BATCH (do): any number of HAIRPIN_A_OP, applied in order and
 *     all or nothing: on the first failure nothing has changed, and the
 *     extack offset points at the failing HAIRPIN_A_OP or inside it.
 *     HAIRPIN_A_OP: NLA_NESTED
 *         HAIRPIN_OP_A_CMD: NLA_U8, one of HAIRPIN_CMD_SET_CONFIG, NEW_MAP,
 *                           DEL_MAP, REPLACE_MAP, FLUSH_MAPS (required)
 *         HAIRPIN_OP_A_MAP, HAIRPIN_OP_A_SOURCE, HAIRPIN_OP_A_MODE: as the
 *                           single command's HAIRPIN_A_MAP, _SOURCE, _MODE
 *     A batch with a flush replaces the whole table at once; without,
 *     each port passes from its old mapping to its new one at commit,
 *     never through none. A batch is one netlink message, so its size is
 *     bounded by the socket's send buffer; raise SO_SNDBUF (or
 *     SO_SNDBUFFORCE) for large tables.
 *
 * After every change, the conntrack entries that a mapping translated and
 * that the table now translates differently (or not at all) are removed,
 * as are untranslated UDP flows to a port that is now mapped; the others,
 * the operator's own DNAT entries among them, stay.
 *
 * Events
 * ------
 * The multicast group HAIRPIN_MCGRP_CHANGES ("changes") carries one message
 * per change, after it has been applied: HAIRPIN_CMD_NEW_MAP and
 * HAIRPIN_CMD_DEL_MAP with the mapping (a replacement is a DEL then a NEW),
 * HAIRPIN_CMD_FLUSH_MAPS, and HAIRPIN_CMD_SET_CONFIG with the settings.
 */
#ifndef _UAPI_LINUX_HAIRPIN_H
#define _UAPI_LINUX_HAIRPIN_H

#define HAIRPIN_GENL_NAME "hairpin"
#define HAIRPIN_GENL_VERSION 1
#define HAIRPIN_MCGRP_CHANGES "changes"

#define HAIRPIN_COMMENT_MAX 64

enum hairpin_cmd {
	HAIRPIN_CMD_UNSPEC,
	HAIRPIN_CMD_GET_CONFIG,
	HAIRPIN_CMD_SET_CONFIG,
	HAIRPIN_CMD_NEW_MAP,
	HAIRPIN_CMD_DEL_MAP,
	HAIRPIN_CMD_REPLACE_MAP,
	HAIRPIN_CMD_GET_MAP,
	HAIRPIN_CMD_FLUSH_MAPS,
	HAIRPIN_CMD_BATCH,
	__HAIRPIN_CMD_MAX
};

#define HAIRPIN_CMD_MAX (__HAIRPIN_CMD_MAX - 1)

/* Which address a hairpinned connection is source-NATed to. */
enum hairpin_source {
	/* The router's own address on the server-facing interface. */
	HAIRPIN_SOURCE_LAN,
	/* The public address the client connected to (RFC 4787 REQ-9). */
	HAIRPIN_SOURCE_EXTERNAL,
	__HAIRPIN_SOURCE_MAX
};

#define HAIRPIN_SOURCE_MAX (__HAIRPIN_SOURCE_MAX - 1)

/* When a mapped connection is source-NATed. */
enum hairpin_mode {
	/* Only when the client is on-link with the server on the egress
	 * interface, that is when the reply would bypass the router.
	 */
	HAIRPIN_MODE_AUTO,
	/* Every mapped connection from an internal client: one whose address
	 * the router reaches by a route more specific than a default route.
	 */
	HAIRPIN_MODE_ALWAYS,
	/* Never. */
	HAIRPIN_MODE_OFF,
	__HAIRPIN_MODE_MAX
};

#define HAIRPIN_MODE_MAX (__HAIRPIN_MODE_MAX - 1)

enum hairpin_attr {
	HAIRPIN_A_UNSPEC,
	HAIRPIN_A_VERSION,	/* NLA_NUL_STRING, module version (read only) */
	HAIRPIN_A_SOURCE,	/* NLA_U8, enum hairpin_source */
	HAIRPIN_A_MODE,		/* NLA_U8, enum hairpin_mode */
	HAIRPIN_A_MAP,		/* NLA_NESTED, enum hairpin_map_attr */
	HAIRPIN_A_OP,		/* NLA_NESTED, enum hairpin_op_attr */
	HAIRPIN_A_MAPPINGS,	/* NLA_U32, number of mappings (read only) */
	HAIRPIN_A_CONNS,	/* NLA_U64, connections mapped (read only) */
	HAIRPIN_A_HAIRPINNED,	/* NLA_U64, of those, hairpinned (read only) */
	HAIRPIN_A_PAD,
	HAIRPIN_A_MAX_MAPS,	/* NLA_U32, limit on mappings */
	HAIRPIN_A_MAX_PORTS,	/* NLA_U32, limit on external ports in all */
	HAIRPIN_A_PORTS,	/* NLA_U32, external ports mapped (read only) */
	__HAIRPIN_A_LAST
};

#define HAIRPIN_A_MAX (__HAIRPIN_A_LAST - 1)

enum hairpin_map_attr {
	HAIRPIN_MAP_A_UNSPEC,
	HAIRPIN_MAP_A_PROTO,
	HAIRPIN_MAP_A_ADDR,
	HAIRPIN_MAP_A_PORT,
	HAIRPIN_MAP_A_PORT_MAX,
	HAIRPIN_MAP_A_TO_ADDR,
	HAIRPIN_MAP_A_TO_PORT,
	HAIRPIN_MAP_A_COMMENT,
	HAIRPIN_MAP_A_CONNS,
	HAIRPIN_MAP_A_HAIRPINNED,
	HAIRPIN_MAP_A_PAD,
	__HAIRPIN_MAP_A_LAST
};

#define HAIRPIN_MAP_A_MAX (__HAIRPIN_MAP_A_LAST - 1)

enum hairpin_op_attr {
	HAIRPIN_OP_A_UNSPEC,
	HAIRPIN_OP_A_CMD,	/* NLA_U8, enum hairpin_cmd */
	HAIRPIN_OP_A_MAP,	/* NLA_NESTED, enum hairpin_map_attr */
	HAIRPIN_OP_A_SOURCE,	/* NLA_U8, enum hairpin_source */
	HAIRPIN_OP_A_MODE,	/* NLA_U8, enum hairpin_mode */
	HAIRPIN_OP_A_MAX_MAPS,	/* NLA_U32, as HAIRPIN_A_MAX_MAPS */
	HAIRPIN_OP_A_MAX_PORTS,	/* NLA_U32, as HAIRPIN_A_MAX_PORTS */
	__HAIRPIN_OP_A_LAST
};

#define HAIRPIN_OP_A_MAX (__HAIRPIN_OP_A_LAST - 1)

#endif /* _UAPI_LINUX_HAIRPIN_H */
