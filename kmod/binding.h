/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HAIRPIN_BINDING_H
#define _HAIRPIN_BINDING_H

#include <linux/atomic.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <net/netfilter/nf_conntrack_tuple.h>

/* One endpoint, as the tables are keyed: the first HAIRPIN_BKEY_LEN bytes. */
struct hairpin_bkey {
	__be32 addr;
	__be16 port;
	u8 proto;
	u8 pad;		/* zero: part of the key */
};

#define HAIRPIN_BKEY_LEN sizeof(struct hairpin_bkey)

/* The endpoint a connection was sent to, as a binding's external one is
 * keyed: what masq and the hairpin decision both look bindings up by.
 */
static inline struct hairpin_bkey
hairpin_bkey_dst(const struct nf_conntrack_tuple *orig)
{
	struct hairpin_bkey ext = {
		.addr = orig->dst.u3.ip,
		.port = orig->dst.u.all,
		.proto = orig->dst.protonum,
	};

	return ext;
}

/* The remote endpoints a filtering binding has sent to, most recent
 * first, as address << 16 | port: one word each, so that CPUs adding
 * peers at once never tear one.
 */
#define HAIRPIN_BINDING_PEERS 4

/* An endpoint-independent mapping (RFC 4787 REQ-1): every connection from
 * @in to anywhere by @ext's address leaves from @ext. Found by either end
 * in O(1); freed after a grace period. Everything but the keys changes
 * under the packets' feet.
 *
 * One cache line, for there may be hundreds of thousands: times in 32-bit
 * jiffies (a binding idles a day at most), and the peers of a filtering
 * binding after it, where an independent one has none.
 */
struct hairpin_binding {
	struct rhash_head by_ext;
	struct rhash_head by_in;	/* only if @ext's port is not @in's */
	struct hairpin_bkey in;		/* by_in's key: @in and @ext.addr */
	struct hairpin_bkey ext;
	u32 used;			/* jiffies: last seen in use */
	u32 seen;			/* the last walk that saw an entry */
	u16 conns;			/* entries using it at the last walk */
	u16 counting;			/* the same, during a walk */
	u8 filter;			/* enum hairpin_filter */
	bool dead;			/* unlinked, or about to be */
	u8 npeers;			/* room in @peers: 0 or all */
	bool named;			/* on its rule's own address */
	struct rcu_head rcu;
	u64 peers[];
};

/* A namespace's bindings: RCU readers, and writers (packets creating,
 * the walk removing) serialised by @lock. Every binding is in @by_ext;
 * one whose port is its internal endpoint's, as most are (RFC 4787
 * REQ-1's port preservation), is found from inside there too, so that
 * @by_in holds only the others: one bucket array's memory, not two.
 */
struct hairpin_bindings {
	struct rhashtable by_ext;
	struct rhashtable by_in;
	spinlock_t lock;		/* the writers' */
	atomic_t count;
	bool ready;
};

int hairpin_binding_init(void);
void hairpin_binding_uninit(void);

int hairpin_bindings_create(struct hairpin_bindings *b);
void hairpin_bindings_destroy(struct hairpin_bindings *b);

struct hairpin_binding *hairpin_binding_find(struct hairpin_bindings *b,
					     const struct hairpin_bkey *in,
					     __be32 addr);
struct hairpin_binding *hairpin_binding_by_ext(struct hairpin_bindings *b,
					       const struct hairpin_bkey *ext);
struct hairpin_binding *hairpin_binding_add(struct hairpin_bindings *b,
					    const struct hairpin_bkey *in,
					    const struct hairpin_bkey *ext,
					    u8 filter, bool named, u32 max, gfp_t gfp);
void hairpin_binding_del(struct hairpin_bindings *b, struct hairpin_binding *bd);
bool hairpin_binding_refilter(struct hairpin_bindings *b,
			      struct hairpin_binding *bd, u8 filter);

void hairpin_binding_add_peer(struct hairpin_binding *bd, __be32 addr, __be16 port);
bool hairpin_binding_allows(const struct hairpin_binding *bd, __be32 addr,
			    __be16 port);

/* Calls @fn on every binding, in process context, with the RCU read lock
 * held and dropped between bindings; @fn may delete the one it is given.
 * Returns what it was given if @fn stops it with nonzero, else 0.
 */
int hairpin_bindings_walk(struct hairpin_bindings *b,
			  int (*fn)(struct hairpin_binding *bd, void *data),
			  void *data);

#endif /* _HAIRPIN_BINDING_H */
