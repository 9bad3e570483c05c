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
 *     HAIRPIN_MAP_A_FLAGS: NLA_U32, HAIRPIN_MAP_F_* bits; absent = 0
 *
 * A mirror (HAIRPIN_MAP_F_MIRROR) repeats a forward that someone else made
 * with DNAT rules of their own which match only connections from outside,
 * as miniupnpd's do, so that internal clients reach it by the public
 * address too. It opens nothing to the outside: it translates only a
 * connection from an internal client (see Scope for which hosts are
 * internal), and only while the scope is HAIRPIN_SCOPE_ALL. Its
 * connections count in its own counters and, those hairpinned, in
 * HAIRPIN_A_OTHERS_HAIRPINNED; never in HAIRPIN_A_CONNS or
 * HAIRPIN_A_HAIRPINNED. It overlaps other mappings as any mapping does.
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
 * Masquerade with endpoint-independent mapping
 * ---------------------------------------------
 * A masq rule source-NATs every TCP and UDP connection that leaves by the
 * interface IFNAME (by name, so that it holds across a PPPoE redial) to
 * that interface's address, as masquerade does, but through bindings
 * (RFC 4787 for UDP, RFC 5382 for TCP): all connections from one internal
 * (protocol, address, port) share one external (address, port), whatever
 * their destination; the internal port is kept when no other binding or
 * mapping holds it, and a port below 1024 stays below. An inbound
 * connection to a bound external port is sent to the binding's internal
 * endpoint if the rule's filter allows it, and dropped silently if not.
 * An internal host connecting to a bound external port of the router is
 * hairpinned to the binding's endpoint, from its own binding's external
 * address and port. A binding lives while a conntrack entry uses it and at
 * least the UDP timeout (UDP) or 240 s (TCP) after; it is rebuilt from the
 * conntrack table (entries that leave by a masq rule's interface, or came
 * in through a binding), which is what conntrackd replicates, so nothing of
 * it lives only in the module. The rules take precedence over an nftables
 * or iptables masquerade (they run at srcnat - 10).
 *
 * A rule with an address of its own (ADDR) is a source NAT rather than a
 * masquerade: the connections that leave by IFNAME use ADDR while it is a
 * local address of the router, and the address masquerade would choose
 * while it is not (a virtual address that keepalived moves between two
 * routers, held by one at a time). The bindings and connections on ADDR
 * never end because ADDR went away: they are found by ADDR, local or
 * not, as conntrackd replicates them and as the router that takes ADDR
 * over needs them; and if the rule goes, or no longer names ADDR, its
 * bindings there go but the connections stay, as a deleted rule's do.
 * Those on the other addresses of the rule end with their address, as
 * masquerade's do. Two rules never name one address.
 *
 * HAIRPIN_A_MASQ: NLA_NESTED
 *     HAIRPIN_MASQ_A_IFNAME: NLA_NUL_STRING, the interface's name (required)
 *     HAIRPIN_MASQ_A_FILTER: NLA_U8, enum hairpin_filter; absent = independent
 *     HAIRPIN_MASQ_A_BINDINGS: NLA_U32, bindings through it (read only)
 *     HAIRPIN_MASQ_A_ADDR: NLA_BE32, a unicast IPv4 address, local or not;
 *                          absent = the interface's address (masquerade)
 *
 * HAIRPIN_A_BINDING: NLA_NESTED, read only
 *     HAIRPIN_BINDING_A_PROTO: NLA_U8, IPPROTO_TCP or IPPROTO_UDP
 *     HAIRPIN_BINDING_A_INT_ADDR, HAIRPIN_BINDING_A_INT_PORT: NLA_BE32,
 *         NLA_U16, the internal endpoint
 *     HAIRPIN_BINDING_A_EXT_ADDR, HAIRPIN_BINDING_A_EXT_PORT: the external
 *     HAIRPIN_BINDING_A_FILTER: NLA_U8, enum hairpin_filter
 *     HAIRPIN_BINDING_A_CONNS: NLA_U32, conntrack entries using it, as of
 *         the last walk of the conntrack table
 *     HAIRPIN_BINDING_A_IDLE: NLA_U32, seconds since a connection last used it
 *
 * A namespace holds at most HAIRPIN_A_MAX_BINDINGS bindings; past that, a
 * new connection is masqueraded without one, as by plain masquerade.
 *
 * Commands
 * --------
 * HAIRPIN_CMD_GET_CONFIG (do): replies with HAIRPIN_A_VERSION,
 *     HAIRPIN_A_SOURCE (and HAIRPIN_A_SOURCE_ADDR with HAIRPIN_SOURCE_ADDR),
 *     HAIRPIN_A_MODE, HAIRPIN_A_MAPPINGS, HAIRPIN_A_CONNS,
 *     HAIRPIN_A_HAIRPINNED (totals since the namespace got the module),
 *     HAIRPIN_A_PORTS, HAIRPIN_A_MAX_MAPS, HAIRPIN_A_MAX_PORTS,
 *     HAIRPIN_A_UDP_TIMEOUT, HAIRPIN_A_MAX_BINDINGS, HAIRPIN_A_BINDINGS,
 *     HAIRPIN_A_SCOPE and HAIRPIN_A_OTHERS_HAIRPINNED (the connections
 *     hairpinned for forwards that no mapping made, since the namespace got
 *     the module; never part of HAIRPIN_A_CONNS or HAIRPIN_A_HAIRPINNED).
 * HAIRPIN_CMD_SET_CONFIG (do): any of HAIRPIN_A_SOURCE (and
 *     HAIRPIN_A_SOURCE_ADDR: required with HAIRPIN_SOURCE_ADDR, refused
 *     otherwise), HAIRPIN_A_MODE,
 *     HAIRPIN_A_MAX_MAPS, HAIRPIN_A_MAX_PORTS, HAIRPIN_A_UDP_TIMEOUT
 *     (seconds, 120 to 86400; default 300), HAIRPIN_A_MAX_BINDINGS,
 *     HAIRPIN_A_SCOPE (default HAIRPIN_SCOPE_OWN).
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
 * HAIRPIN_CMD_NEW_MASQ (do): one HAIRPIN_A_MASQ to add, or to replace the
 *     interface's rule, whose bindings then keep their ports under the new
 *     filter (so that a saved configuration restores over itself); ENOSPC
 *     past HAIRPIN_MASQ_MAX rules, EEXIST when another rule has its ADDR.
 *     Once committed (alone or in a batch), a change to the rules walks
 *     the conntrack table before the reply: when the request returns,
 *     every connection that left by a rule's address, those conntrackd
 *     just committed to a backup router among them, has its binding
 *     (unless another took its port meanwhile), and a filtering binding
 *     lets in the remotes its connections were made to.
 * HAIRPIN_CMD_DEL_MASQ (do): one HAIRPIN_A_MASQ naming the interface; its
 *     bindings go, but not the connections made through them, which keep
 *     their translation as masquerade's do when its rule goes.
 * HAIRPIN_CMD_GET_MASQ (dump): one message per rule, each one HAIRPIN_A_MASQ.
 * HAIRPIN_CMD_GET_BINDING (dump): one message per binding, each one
 *     HAIRPIN_A_BINDING. Bindings come and go with traffic: a dump is a
 *     walk, not a snapshot, and never sets NLM_F_DUMP_INTR.
 * HAIRPIN_CMD_BATCH (do): any number of HAIRPIN_A_OP, applied in order and
 *     all or nothing: on the first failure nothing has changed, and the
 *     extack offset points at the failing HAIRPIN_A_OP or inside it.
 *     HAIRPIN_A_OP: NLA_NESTED
 *         HAIRPIN_OP_A_CMD: NLA_U8, one of HAIRPIN_CMD_SET_CONFIG, NEW_MAP,
 *                           DEL_MAP, REPLACE_MAP, FLUSH_MAPS, NEW_MASQ,
 *                           DEL_MASQ (required)
 *         HAIRPIN_OP_A_MAP, HAIRPIN_OP_A_SOURCE, HAIRPIN_OP_A_MODE,
 *         HAIRPIN_OP_A_MAX_MAPS, HAIRPIN_OP_A_MAX_PORTS, HAIRPIN_OP_A_MASQ,
 *         HAIRPIN_OP_A_UDP_TIMEOUT, HAIRPIN_OP_A_MAX_BINDINGS,
 *         HAIRPIN_OP_A_SCOPE, HAIRPIN_OP_A_SOURCE_ADDR: as the single
 *                           command's attribute of that name
 *     A batch with a flush replaces the whole table at once; without,
 *     each port passes from its old mapping to its new one at commit,
 *     never through none. A batch is one netlink message, so its size is
 *     bounded by the socket's send buffer; raise SO_SNDBUF (or
 *     SO_SNDBUFFORCE) for large tables.
 *
 * Source
 * ------
 * HAIRPIN_A_SOURCE says which address a hairpinned connection is
 * source-NATed to, decided once, when it starts. HAIRPIN_SOURCE_ADDR names
 * one in HAIRPIN_A_SOURCE_ADDR, a unicast address (0.0.0.0, loopback,
 * multicast and 255.255.255.255 are refused) that the router need not
 * hold: a connection that starts while the router holds it is source-NATed
 * to it, one that starts while it does not, as with HAIRPIN_SOURCE_LAN.
 * Two routers with one configuration so name the address that moves
 * between them (a VRRP virtual address), and their hairpinned connections
 * survive a failover, as with HAIRPIN_SOURCE_EXTERNAL when clients connect
 * to a public address that moves.
 *
 * Scope
 * -----
 * HAIRPIN_A_SCOPE says which connections the hairpin decision (SOURCE and
 * MODE) applies to. HAIRPIN_SCOPE_OWN: those a mapping translated.
 * HAIRPIN_SCOPE_ALL: also every other new TCP or UDP connection that the
 * router destination-NATed (an nftables or iptables rule, a daemon's) to an
 * internal host, one the router reaches by a route more specific than a
 * default route and not by the device of the address the client connected
 * to; but not one that already has a source NAT when hairpin's decision
 * comes (the operator's own SNAT or masquerade at srcnat or before wins),
 * nor one that a masq rule's binding translated, which masq hairpins
 * itself. HAIRPIN_SCOPE_ALL takes effect in a namespace without mappings
 * too, and turns conntrack on there.
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
 * HAIRPIN_CMD_FLUSH_MAPS, HAIRPIN_CMD_NEW_MASQ and HAIRPIN_CMD_DEL_MASQ with
 * the rule, and HAIRPIN_CMD_SET_CONFIG with the settings (the source's
 * address among them, as GET_CONFIG has it). Bindings, which come and go
 * with traffic, have no events.
 */
#ifndef _UAPI_LINUX_HAIRPIN_H
#define _UAPI_LINUX_HAIRPIN_H

#define HAIRPIN_GENL_NAME "hairpin"
#define HAIRPIN_GENL_VERSION 1
#define HAIRPIN_MCGRP_CHANGES "changes"

#define HAIRPIN_COMMENT_MAX 64
#define HAIRPIN_MASQ_MAX 16

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
	HAIRPIN_CMD_NEW_MASQ,
	HAIRPIN_CMD_DEL_MASQ,
	HAIRPIN_CMD_GET_MASQ,
	HAIRPIN_CMD_GET_BINDING,
	__HAIRPIN_CMD_MAX
};

#define HAIRPIN_CMD_MAX (__HAIRPIN_CMD_MAX - 1)

/* Which address a hairpinned connection is source-NATed to. */
enum hairpin_source {
	/* The router's own address on the server-facing interface. */
	HAIRPIN_SOURCE_LAN,
	/* The public address the client connected to (RFC 4787 REQ-9). */
	HAIRPIN_SOURCE_EXTERNAL,
	/* HAIRPIN_A_SOURCE_ADDR while the router holds it, else as LAN. */
	HAIRPIN_SOURCE_ADDR,
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

/* Which inbound connections a binding lets in (RFC 4787 REQ-8). */
enum hairpin_filter {
	/* From any remote endpoint. */
	HAIRPIN_FILTER_INDEPENDENT,
	/* From addresses the internal endpoint has sent to. */
	HAIRPIN_FILTER_ADDRESS,
	/* From address and port pairs the internal endpoint has sent to. */
	HAIRPIN_FILTER_ADDRESS_PORT,
	__HAIRPIN_FILTER_MAX
};

#define HAIRPIN_FILTER_MAX (__HAIRPIN_FILTER_MAX - 1)

/* Which connections the hairpin decision applies to. */
enum hairpin_scope {
	/* Those a mapping translated. */
	HAIRPIN_SCOPE_OWN,
	/* Those too that anyone else destination-NATed to an internal host. */
	HAIRPIN_SCOPE_ALL,
	__HAIRPIN_SCOPE_MAX
};

#define HAIRPIN_SCOPE_MAX (__HAIRPIN_SCOPE_MAX - 1)

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
	HAIRPIN_A_MASQ,		/* NLA_NESTED, enum hairpin_masq_attr */
	HAIRPIN_A_BINDING,	/* NLA_NESTED, enum hairpin_binding_attr */
	HAIRPIN_A_UDP_TIMEOUT,	/* NLA_U32, a UDP binding's idle lifetime, s */
	HAIRPIN_A_MAX_BINDINGS,	/* NLA_U32, limit on bindings */
	HAIRPIN_A_BINDINGS,	/* NLA_U32, live bindings (read only) */
	HAIRPIN_A_SCOPE,	/* NLA_U8, enum hairpin_scope */
	HAIRPIN_A_OTHERS_HAIRPINNED,	/* NLA_U64, see Scope (read only) */
	HAIRPIN_A_SOURCE_ADDR,	/* NLA_BE32, with HAIRPIN_SOURCE_ADDR */
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
	HAIRPIN_MAP_A_FLAGS,
	__HAIRPIN_MAP_A_LAST
};

#define HAIRPIN_MAP_A_MAX (__HAIRPIN_MAP_A_LAST - 1)

/* HAIRPIN_MAP_A_FLAGS */
#define HAIRPIN_MAP_F_MIRROR	0x1	/* internal clients, scope all */
#define HAIRPIN_MAP_F_ALL	HAIRPIN_MAP_F_MIRROR

enum hairpin_op_attr {
	HAIRPIN_OP_A_UNSPEC,
	HAIRPIN_OP_A_CMD,	/* NLA_U8, enum hairpin_cmd */
	HAIRPIN_OP_A_MAP,	/* NLA_NESTED, enum hairpin_map_attr */
	HAIRPIN_OP_A_SOURCE,	/* NLA_U8, enum hairpin_source */
	HAIRPIN_OP_A_MODE,	/* NLA_U8, enum hairpin_mode */
	HAIRPIN_OP_A_MAX_MAPS,	/* NLA_U32, as HAIRPIN_A_MAX_MAPS */
	HAIRPIN_OP_A_MAX_PORTS,	/* NLA_U32, as HAIRPIN_A_MAX_PORTS */
	HAIRPIN_OP_A_MASQ,	/* NLA_NESTED, enum hairpin_masq_attr */
	HAIRPIN_OP_A_UDP_TIMEOUT,	/* NLA_U32, as HAIRPIN_A_UDP_TIMEOUT */
	HAIRPIN_OP_A_MAX_BINDINGS,	/* NLA_U32, as HAIRPIN_A_MAX_BINDINGS */
	HAIRPIN_OP_A_SCOPE,	/* NLA_U8, enum hairpin_scope */
	HAIRPIN_OP_A_SOURCE_ADDR,	/* NLA_BE32, as HAIRPIN_A_SOURCE_ADDR */
	__HAIRPIN_OP_A_LAST
};

#define HAIRPIN_OP_A_MAX (__HAIRPIN_OP_A_LAST - 1)

enum hairpin_masq_attr {
	HAIRPIN_MASQ_A_UNSPEC,
	HAIRPIN_MASQ_A_IFNAME,
	HAIRPIN_MASQ_A_FILTER,
	HAIRPIN_MASQ_A_BINDINGS,
	HAIRPIN_MASQ_A_ADDR,
	__HAIRPIN_MASQ_A_LAST
};

#define HAIRPIN_MASQ_A_MAX (__HAIRPIN_MASQ_A_LAST - 1)

enum hairpin_binding_attr {
	HAIRPIN_BINDING_A_UNSPEC,
	HAIRPIN_BINDING_A_PROTO,
	HAIRPIN_BINDING_A_INT_ADDR,
	HAIRPIN_BINDING_A_INT_PORT,
	HAIRPIN_BINDING_A_EXT_ADDR,
	HAIRPIN_BINDING_A_EXT_PORT,
	HAIRPIN_BINDING_A_FILTER,
	HAIRPIN_BINDING_A_CONNS,
	HAIRPIN_BINDING_A_IDLE,
	__HAIRPIN_BINDING_A_LAST
};

#define HAIRPIN_BINDING_A_MAX (__HAIRPIN_BINDING_A_LAST - 1)

#endif /* _UAPI_LINUX_HAIRPIN_H */
