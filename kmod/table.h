/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HAIRPIN_TABLE_H
#define _HAIRPIN_TABLE_H

#include <linux/bits.h>
#include <linux/hairpin.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

struct hairpin_net;
struct hairpin_map;
struct netlink_ext_ack;

/* What a packet is looked up by: one external port. The key is its first
 * HAIRPIN_KEY_LEN bytes, compared as bytes; @flags is the port's own.
 */
struct hairpin_key {
	__be32 addr;		/* external address, 0 for any local address */
	__be16 port;
	u8 proto;
	u8 flags;		/* HAIRPIN_PORT_* */
};

#define HAIRPIN_KEY_LEN offsetof(struct hairpin_key, flags)

/* The port is one of ext->more[], not a map's head. */
#define HAIRPIN_PORT_MORE	BIT(0)
/* (A head) its map is followed by a struct hairpin_map_ext. */
#define HAIRPIN_PORT_EXT	BIT(1)

/* One external port of a mapping: a mapping of a range has one per port,
 * so that a packet finds it with one hash lookup whatever the ranges. The
 * head port is in the map itself, which container_of() finds.
 */
struct hairpin_port {
	struct rhash_head node;
	struct hairpin_key key;
};

/* The ports of a range after the first, which need to point to their map. */
struct hairpin_more_port {
	struct hairpin_port port;
	struct hairpin_map *map;
};

/* What most mappings do without: a comment, and the ports of a range but
 * the first. Kept apart, right after the map, so that a table of single
 * ports stays small.
 */
struct hairpin_map_ext {
	char comment[HAIRPIN_COMMENT_MAX];	/* empty for none */
	struct hairpin_more_port more[];	/* port + 1 .. port_max */
};

/* Per CPU, so that a flood of new connections to one mapping does not
 * bounce a cache line that every lookup reads.
 */
struct hairpin_stats {
	u64_stats_t conns;
	u64_stats_t hairpinned;
	struct u64_stats_sync syncp;
};

/* Immutable once published, but for its statistics. */
struct hairpin_map {
	struct hairpin_port head;	/* the first external port */
	__be32 to_addr;
	u16 port_max;			/* host order, like to_port */
	u16 to_port;
	struct hairpin_stats __percpu *stats;
	struct list_head list;		/* in the table, or in a transaction */
};

static inline struct hairpin_map_ext *hairpin_map_ext(const struct hairpin_map *m)
{
	if (!(m->head.key.flags & HAIRPIN_PORT_EXT))
		return NULL;
	return (struct hairpin_map_ext *)(m + 1);
}

/* A mapping as requested, before it exists. */
struct hairpin_map_spec {
	u8 proto;
	__be32 addr;
	u16 port;
	u16 port_max;
	__be32 to_addr;
	u16 to_port;
	const char *comment;
};

struct hairpin_table {
	struct rhashtable ht;
	struct list_head maps;	/* in the order they were added */
	unsigned int count;
};

static inline const char *hairpin_map_comment(const struct hairpin_map *m)
{
	struct hairpin_map_ext *ext = hairpin_map_ext(m);

	return ext && ext->comment[0] ? ext->comment : NULL;
}

static inline u16 hairpin_map_port(const struct hairpin_map *m)
{
	return ntohs(m->head.key.port);
}

static inline __be16 hairpin_map_target_port(const struct hairpin_map *m,
					     __be16 port)
{
	return htons(m->to_port + (ntohs(port) - hairpin_map_port(m)));
}

/* A change under way: operations apply to the table as they come, and
 * commit or abort leaves either all of them or none in place.
 */
struct hairpin_txn_op {
	u8 cmd;			/* enum hairpin_cmd */
	bool live;		/* applied to the published table */
	struct hairpin_map *map;	/* added, or deleted for DEL_MAP */
	struct hairpin_map *old;	/* replaced, for REPLACE_MAP */
};

struct hairpin_txn {
	struct hairpin_net *hn;
	struct hairpin_table *live;	/* the published table */
	struct hairpin_table *work;	/* live, or a private one after a flush */
	struct list_head removed;	/* unlinked maps, freed by the end */
	struct hairpin_txn_op *ops;
	unsigned int n_ops;
	unsigned int max_ops;
	u8 source;
	u8 mode;
	bool committed;
};

void hairpin_map_count(struct hairpin_map *m, bool hairpinned);
void hairpin_map_stats(const struct hairpin_map *m, u64 *conns, u64 *hairpinned);

int hairpin_table_init(void);
void hairpin_table_uninit(void);

struct hairpin_table *hairpin_table_create(unsigned int hint);
void hairpin_table_destroy(struct hairpin_table *table);

struct hairpin_map *hairpin_table_lookup(const struct hairpin_table *table,
					 u8 proto, __be32 addr, __be16 port);

struct hairpin_map *hairpin_map_create(const struct hairpin_map_spec *spec);
void hairpin_map_free(struct hairpin_map *m);

int hairpin_txn_begin(struct hairpin_txn *txn, struct hairpin_net *hn,
		      unsigned int max_ops);
int hairpin_txn_add(struct hairpin_txn *txn, struct hairpin_map *m,
		    struct netlink_ext_ack *extack);
int hairpin_txn_del(struct hairpin_txn *txn,
		    const struct hairpin_map_spec *spec,
		    struct netlink_ext_ack *extack);
int hairpin_txn_replace(struct hairpin_txn *txn, struct hairpin_map *m,
			struct netlink_ext_ack *extack);
int hairpin_txn_flush(struct hairpin_txn *txn);
void hairpin_txn_config(struct hairpin_txn *txn, int source, int mode);
int hairpin_txn_commit(struct hairpin_txn *txn);
void hairpin_txn_abort(struct hairpin_txn *txn);
void hairpin_txn_end(struct hairpin_txn *txn);

#endif /* _HAIRPIN_TABLE_H */
