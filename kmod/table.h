/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HAIRPIN_TABLE_H
#define _HAIRPIN_TABLE_H

#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/hairpin.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

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
/* (A head) its map is linked, but not yet committed: packets pass it by. */
#define HAIRPIN_PORT_PENDING	BIT(2)
/* A port of a map being deleted that a new map takes over at commit. */
#define HAIRPIN_PORT_CLAIMED	BIT(3)
/* A port of a new map that takes over a claimed one at commit: unlinked. */
#define HAIRPIN_PORT_DEFERRED	BIT(4)
/* (A head) its map is a mirror (HAIRPIN_MAP_F_MIRROR). Here rather than in
 * a field of the map: a lookup has just read these flags, so that telling
 * a mirror apart costs the other maps nothing.
 */
#define HAIRPIN_PORT_MIRROR	BIT(5)

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

/* A transaction's mark on a map, under the namespace's mutex only. */
enum hairpin_map_txn {
	HAIRPIN_MAP_IDLE,
	HAIRPIN_MAP_ADDED,	/* added by the transaction under way */
	HAIRPIN_MAP_DELETED,	/* in the table, deleted at commit */
	HAIRPIN_MAP_DROPPED,	/* added, then deleted again: never seen */
};

/* Immutable once published, but for its statistics. */
struct hairpin_map {
	struct hairpin_port head;	/* the first external port */
	__be32 to_addr;
	u16 port_max;			/* host order, like to_port */
	u16 to_port;
	struct hairpin_stats __percpu *stats;
	struct list_head list;		/* in the table, or in a transaction */
	u8 txn;				/* enum hairpin_map_txn */
	u32 op;				/* ADDED: the operation that added it */
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
	u32 flags;		/* HAIRPIN_MAP_F_* */
	const char *comment;
};

struct hairpin_table {
	struct rhashtable ht;
	struct list_head maps;	/* in the order they were added */
	unsigned int count;	/* maps */
	unsigned int ports;	/* external ports of all maps */
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

static inline unsigned int hairpin_map_ports(const struct hairpin_map *m)
{
	return m->port_max - hairpin_map_port(m) + 1;
}

static inline struct hairpin_port *hairpin_map_nth(struct hairpin_map *m,
						   unsigned int i)
{
	return i ? &hairpin_map_ext(m)->more[i - 1].port : &m->head;
}

static inline __be16 hairpin_map_target_port(const struct hairpin_map *m,
					     __be16 port)
{
	return htons(m->to_port + (ntohs(port) - hairpin_map_port(m)));
}

/* Whether @m sends a connection to external port @dport to @addr:@port. */
static inline bool hairpin_map_sends(const struct hairpin_map *m, __be16 dport,
				     __be32 addr, __be16 port)
{
	return m && addr == m->to_addr &&
	       port == hairpin_map_target_port(m, dport);
}

/* Flags change under the mutex while packets read them. */
static inline void hairpin_port_set(struct hairpin_port *p, u8 flag, bool on)
{
	u8 f = p->key.flags;

	WRITE_ONCE(p->key.flags, on ? f | flag : f & ~flag);
}

static inline bool hairpin_map_pending(const struct hairpin_map *m)
{
	return READ_ONCE(m->head.key.flags) & HAIRPIN_PORT_PENDING;
}

/* Set at creation, never changed: but its byte is, under the mutex. */
static inline bool hairpin_map_mirror(const struct hairpin_map *m)
{
	return READ_ONCE(m->head.key.flags) & HAIRPIN_PORT_MIRROR;
}

/* HAIRPIN_MAP_F_* */
static inline u32 hairpin_map_flags(const struct hairpin_map *m)
{
	return hairpin_map_mirror(m) ? HAIRPIN_MAP_F_MIRROR : 0;
}

void hairpin_map_count(struct hairpin_map *m, bool hairpinned);
void hairpin_map_stats(const struct hairpin_map *m, u64 *conns, u64 *hairpinned);

int hairpin_table_init(void);
void hairpin_table_uninit(void);

struct hairpin_table *hairpin_table_create(unsigned int hint);
void hairpin_table_destroy(struct hairpin_table *table);

struct hairpin_port *hairpin_table_find_port(const struct hairpin_table *table,
					     const struct hairpin_key *key);
struct hairpin_map *hairpin_port_map(struct hairpin_port *p);
struct hairpin_map *hairpin_table_lookup(const struct hairpin_table *table,
					 u8 proto, __be32 addr, __be16 port);
struct hairpin_map *hairpin_table_find(const struct hairpin_table *table,
				       u8 proto, __be32 addr, __be16 port);

int hairpin_table_insert(struct hairpin_table *t, struct hairpin_port *p);
void hairpin_table_remove(struct hairpin_table *t, struct hairpin_port *p);
void hairpin_table_swap(struct hairpin_table *t, struct hairpin_port *from,
			struct hairpin_port *to);
int hairpin_table_link(struct hairpin_table *t, struct hairpin_map *m);
void hairpin_table_unlink(struct hairpin_table *t, struct hairpin_map *m);

struct hairpin_map *hairpin_map_create(const struct hairpin_map_spec *spec);
void hairpin_map_free(struct hairpin_map *m);

#endif /* _HAIRPIN_TABLE_H */
