/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What hairpinctl works on: a mapping, a masquerade rule, an operation (one
 * command line or one line of a -f file), and what the module says of its
 * bindings and its settings.
 */
#ifndef HAIRPINCTL_TYPES_H
#define HAIRPINCTL_TYPES_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <net/if.h>
#include <linux/hairpin.h>

/* One mapping, as parsed from text or from a HAIRPIN_A_MAP nest. */
struct hp_map {
	uint8_t proto;			/* IPPROTO_TCP or IPPROTO_UDP */
	bool has_addr;			/* false: every local address */
	uint32_t addr;			/* external address, network order */
	uint16_t port;			/* first external port */
	uint16_t port_max;		/* last external port, >= port */
	bool has_to;			/* to_addr is set (add, replace, dumps) */
	uint32_t to_addr;		/* internal address, network order */
	bool has_to_port;		/* false: the external ports */
	uint16_t to_port;		/* first internal port (port if unset) */
	char comment[HAIRPIN_COMMENT_MAX];	/* "" = none */
	uint32_t flags;			/* HAIRPIN_MAP_F_* */
	bool has_counters;		/* conns and hairpinned came from a dump */
	uint64_t conns;
	uint64_t hairpinned;
};

/* One masquerade rule, as parsed from text or from a HAIRPIN_A_MASQ nest. */
struct hp_masq {
	char ifname[IFNAMSIZ];	/* the interface's name, NUL-terminated */
	bool has_addr;		/* "to ADDRESS": SNAT to it while local */
	uint32_t addr;		/* network order */
	int filter;		/* enum hairpin_filter; absent = independent */
	bool has_bindings;	/* bindings came from a dump or an event */
	uint32_t bindings;
};

#define HP_UNSET (-1)

/* One binding of a masq rule, from a HAIRPIN_A_BINDING nest (read only). */
struct hp_binding {
	uint8_t proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint32_t int_addr;	/* the internal endpoint, network order */
	uint16_t int_port;
	uint32_t ext_addr;	/* the external one it is bound to */
	uint16_t ext_port;
	int filter;		/* enum hairpin_filter, or HP_UNSET */
	bool has_conns;		/* conntrack entries using it */
	uint32_t conns;
	bool has_idle;		/* seconds since a connection last used it */
	uint32_t idle;
};

/* HAIRPIN_A_UDP_TIMEOUT, in seconds: the range the module takes, and its
 * default (which save leaves out).
 */
#define HP_UDP_TIMEOUT_MIN 120
#define HP_UDP_TIMEOUT_MAX 86400
#define HP_UDP_TIMEOUT_DEFAULT 300

/* One change: a command line or one line of a -f file. */
struct hp_op {
	uint8_t cmd;		/* HAIRPIN_CMD_{NEW,DEL,REPLACE}_MAP, _FLUSH_MAPS,
				 * _{NEW,DEL}_MASQ, _SET_CONFIG */
	struct hp_map map;	/* for the three map commands */
	struct hp_masq masq;	/* for the two masq commands */
	int source;		/* enum hairpin_source, or HP_UNSET */
	uint32_t source_addr;	/* HAIRPIN_SOURCE_ADDR's, network order */
	int mode;		/* enum hairpin_mode, or HP_UNSET */
	bool has_max_maps;	/* "limit mappings N" */
	uint32_t max_maps;
	bool has_max_ports;	/* "limit ports N" */
	uint32_t max_ports;
	bool has_udp_timeout;	/* "udp-timeout SECONDS" */
	uint32_t udp_timeout;
	bool has_max_bindings;	/* "limit bindings N" */
	uint32_t max_bindings;
	bool has_scope;		/* "scope own|all" */
	uint8_t scope;		/* enum hairpin_scope */
	unsigned int line;	/* line number in a file, 0 otherwise */
};

/* An operation of cmd that changes nothing yet. */
static inline void hp_op_init(struct hp_op *op, uint8_t cmd)
{
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->masq.filter = HAIRPIN_FILTER_INDEPENDENT;
	op->source = HP_UNSET;
	op->mode = HP_UNSET;
}

/* What HAIRPIN_CMD_GET_CONFIG tells. The has_* flags are false for what
 * the module did not say (older modules have no limits, no UDP timeout, no
 * bindings and no scope).
 */
struct hp_config {
	char version[64];	/* "" if the module did not say */
	int source;		/* enum hairpin_source, or HP_UNSET */
	uint32_t source_addr;	/* HAIRPIN_SOURCE_ADDR's, network order; 0 if
				 * the module did not say */
	int mode;		/* enum hairpin_mode, or HP_UNSET */
	uint32_t mappings;
	uint64_t conns;
	uint64_t hairpinned;
	bool has_ports;		/* external ports in use */
	uint32_t ports;
	bool has_max_maps;	/* the limit on mappings */
	uint32_t max_maps;
	bool has_max_ports;	/* the limit on external ports */
	uint32_t max_ports;
	bool has_udp_timeout;	/* a UDP binding's idle lifetime, seconds */
	uint32_t udp_timeout;
	bool has_bindings;	/* bindings live */
	uint32_t bindings;
	bool has_max_bindings;	/* the limit on bindings */
	uint32_t max_bindings;
	bool has_scope;		/* enum hairpin_scope */
	uint8_t scope;
	bool has_others;	/* hairpinned for forwards no mapping made */
	uint64_t others_hairpinned;
};

#endif
