/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HAIRPIN_TXN_H
#define _HAIRPIN_TXN_H

#include <linux/list.h>
#include <linux/types.h>

#include "masq.h"

struct hairpin_map;
struct hairpin_map_spec;
struct hairpin_net;
struct hairpin_table;
struct netlink_ext_ack;

/* What a transaction did, in order, for the events sent after commit. */
struct hairpin_txn_op {
	u8 cmd;			/* enum hairpin_cmd */
	struct hairpin_map *map;	/* added, or deleted for DEL_MAP */
	struct hairpin_map *old;	/* replaced, for REPLACE_MAP */
	/* In place: the committed map whose place in the list @map takes at
	 * commit, the first of a chain of replacements.
	 */
	struct hairpin_map *place;
	/* NEW_MASQ, DEL_MASQ: the rule. */
	struct hairpin_masq_rule masq;
};

/* Settings a transaction changes; a negative value leaves one as it is. */
struct hairpin_settings {
	int source;
	__be32 source_addr;	/* with HAIRPIN_SOURCE_ADDR */
	int mode;
	s64 max_maps;
	s64 max_ports;
	s64 udp_timeout;
	s64 max_bindings;
	int scope;
};

/* A change under way. Until commit the published table only gains maps
 * that packets pass by (pending), and loses nothing: deleted maps are only
 * marked, so that abort is a matter of unlinking what was added, which
 * cannot fail. A flush switches to a private table instead, which the
 * operations after it fill and commit publishes whole.
 */
struct hairpin_txn {
	struct hairpin_net *hn;
	struct hairpin_table *live;	/* the published table */
	struct hairpin_table *work;	/* live, or a private one after a flush */
	/* In the published table: ports that new maps take over from deleted
	 * ones at commit, found by key (the new maps' unlinked ports).
	 */
	struct hairpin_table *claims;
	struct list_head added;		/* pending maps, in order */
	struct hairpin_map **deleted;	/* marked for deletion */
	unsigned int n_deleted;
	struct list_head removed;	/* committed maps, unlinked by commit */
	struct list_head dropped;	/* pending maps deleted again */
	struct hairpin_txn_op *ops;
	unsigned int n_ops;
	unsigned int max_ops;
	/* What the table holds once this commits, against the limits. */
	unsigned int maps;
	unsigned int ports;
	u32 max_maps;
	u32 max_ports;
	u32 udp_timeout;
	u32 max_bindings;
	__be32 source_addr;
	u8 source;
	u8 mode;
	u8 scope;
	u8 scope_before;	/* the published one, when it began */
	bool udp_added;
	bool committed;
	/* The masq rules: published, and a private copy once an operation
	 * changes them, which commit publishes whole.
	 */
	struct hairpin_masq *masq_live;
	struct hairpin_masq *masq;
	bool masq_changed;
};

int hairpin_txn_begin(struct hairpin_txn *txn, struct hairpin_net *hn,
		      unsigned int max_ops);
int hairpin_txn_add(struct hairpin_txn *txn, struct hairpin_map *m,
		    struct netlink_ext_ack *extack);
int hairpin_txn_del(struct hairpin_txn *txn,
		    const struct hairpin_map_spec *spec,
		    struct netlink_ext_ack *extack);
int hairpin_txn_replace(struct hairpin_txn *txn, struct hairpin_map *m,
			struct netlink_ext_ack *extack);
int hairpin_txn_flush(struct hairpin_txn *txn, struct netlink_ext_ack *extack);
void hairpin_txn_config(struct hairpin_txn *txn,
			const struct hairpin_settings *set);
int hairpin_txn_masq_add(struct hairpin_txn *txn,
			 const struct hairpin_masq_rule *rule,
			 struct netlink_ext_ack *extack);
int hairpin_txn_masq_del(struct hairpin_txn *txn, const char *ifname,
			 struct netlink_ext_ack *extack);
int hairpin_txn_commit(struct hairpin_txn *txn, struct netlink_ext_ack *extack);
void hairpin_txn_abort(struct hairpin_txn *txn);
void hairpin_txn_end(struct hairpin_txn *txn);

#endif /* _HAIRPIN_TXN_H */
