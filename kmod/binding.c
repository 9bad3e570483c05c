// SPDX-License-Identifier: GPL-2.0
/*
 * The binding table: every binding in an rhashtable by external endpoint
 * (inbound connections, and outbound ones whose port is preserved), the
 * others in a second one by internal endpoint and external address; read
 * by the NAT hooks under RCU. Bindings are made by packets, in softirq
 * context, so writers take a spinlock rather than the namespace's mutex;
 * what a binding is for and how long it lives is masq.c's and lifetime.c's
 * business.
 */

#include <linux/hairpin.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "binding.h"

/* by_in's key, as it lies in a binding: the internal endpoint, then the
 * external address.
 */
struct in_key {
	struct hairpin_bkey in;
	__be32 addr;
};

static_assert(offsetof(struct hairpin_binding, ext) ==
	      offsetof(struct hairpin_binding, in) + HAIRPIN_BKEY_LEN);
static_assert(offsetof(struct hairpin_binding, ext.addr) ==
	      offsetof(struct hairpin_binding, ext));
static_assert(sizeof(struct in_key) == HAIRPIN_BKEY_LEN + sizeof(__be32));
/* The goal is 128 bytes a binding with the table's buckets. */
static_assert(sizeof(struct hairpin_binding) <= 64);

static const struct rhashtable_params by_ext_params = {
	.head_offset = offsetof(struct hairpin_binding, by_ext),
	.key_offset = offsetof(struct hairpin_binding, ext),
	.key_len = HAIRPIN_BKEY_LEN,
	.automatic_shrinking = true,
};

static const struct rhashtable_params by_in_params = {
	.head_offset = offsetof(struct hairpin_binding, by_in),
	.key_offset = offsetof(struct hairpin_binding, in),
	.key_len = sizeof(struct in_key),
	.automatic_shrinking = true,
};

/* Accounted, as the maps are: made on behalf of a namespace's users. One
 * cache without peers, one with.
 */
static struct kmem_cache *hairpin_binding_cache __ro_after_init;
static struct kmem_cache *hairpin_binding_peers_cache __ro_after_init;

int __init hairpin_binding_init(void)
{
	hairpin_binding_cache = KMEM_CACHE(hairpin_binding, SLAB_ACCOUNT);
	if (!hairpin_binding_cache)
		return -ENOMEM;
	hairpin_binding_peers_cache =
		kmem_cache_create("hairpin_binding_peers",
				  struct_size_t(struct hairpin_binding, peers,
						HAIRPIN_BINDING_PEERS),
				  __alignof__(struct hairpin_binding),
				  SLAB_ACCOUNT, NULL);
	if (!hairpin_binding_peers_cache) {
		kmem_cache_destroy(hairpin_binding_cache);
		return -ENOMEM;
	}
	return 0;
}

void hairpin_binding_uninit(void)
{
	/* Bindings are freed after a grace period: wait for the last. */
	rcu_barrier();
	kmem_cache_destroy(hairpin_binding_peers_cache);
	kmem_cache_destroy(hairpin_binding_cache);
}

int hairpin_bindings_create(struct hairpin_bindings *b)
{
	int ret;

	spin_lock_init(&b->lock);
	atomic_set(&b->count, 0);
	ret = rhashtable_init(&b->by_ext, &by_ext_params);
	if (ret)
		return ret;
	ret = rhashtable_init(&b->by_in, &by_in_params);
	if (ret) {
		rhashtable_destroy(&b->by_ext);
		return ret;
	}
	b->ready = true;
	return 0;
}

static void free_binding(void *ptr, void *arg)
{
	struct hairpin_binding *bd = ptr;

	kmem_cache_free(bd->npeers ? hairpin_binding_peers_cache :
				     hairpin_binding_cache, bd);
}

/* Not kfree_rcu(): the caches' destruction waits for these with an
 * rcu_barrier(), which does not wait for kfree_rcu()'s batches.
 */
static void free_binding_rcu(struct rcu_head *head)
{
	free_binding(container_of(head, struct hairpin_binding, rcu), NULL);
}

/* Nobody may be reading the tables any more. */
void hairpin_bindings_destroy(struct hairpin_bindings *b)
{
	if (!b->ready)
		return;
	rhashtable_destroy(&b->by_in);
	rhashtable_free_and_destroy(&b->by_ext, free_binding, NULL);
	b->ready = false;
}

static bool moved(const struct hairpin_binding *bd)
{
	return bd->ext.port != bd->in.port;
}

struct hairpin_binding *hairpin_binding_by_ext(struct hairpin_bindings *b,
					       const struct hairpin_bkey *ext)
{
	return rhashtable_lookup(&b->by_ext, ext, by_ext_params);
}

/* @in's binding on @addr: where its own port would be, else among those
 * whose port moved. Two lookups at most, one for most.
 */
struct hairpin_binding *hairpin_binding_find(struct hairpin_bindings *b,
					     const struct hairpin_bkey *in,
					     __be32 addr)
{
	struct in_key key = { .in = *in, .addr = addr };
	struct hairpin_bkey ext = *in;
	struct hairpin_binding *bd;

	ext.addr = addr;
	bd = hairpin_binding_by_ext(b, &ext);
	if (bd && !memcmp(&bd->in, in, HAIRPIN_BKEY_LEN))
		return bd;
	return rhashtable_lookup(&b->by_in, &key, by_in_params);
}

static struct hairpin_binding *alloc_binding(u8 filter, gfp_t gfp)
{
	struct hairpin_binding *bd;

	if (filter == HAIRPIN_FILTER_INDEPENDENT)
		return kmem_cache_zalloc(hairpin_binding_cache, gfp);
	bd = kmem_cache_zalloc(hairpin_binding_peers_cache, gfp);
	if (bd)
		bd->npeers = HAIRPIN_BINDING_PEERS;
	return bd;
}

/* A new binding, or NULL if @in has one on @ext's address or @ext is
 * bound already (a packet on another CPU was first), or the namespace
 * has @max.
 */
struct hairpin_binding *hairpin_binding_add(struct hairpin_bindings *b,
					    const struct hairpin_bkey *in,
					    const struct hairpin_bkey *ext,
					    u8 filter, bool named, u32 max, gfp_t gfp)
{
	struct hairpin_binding *bd;

	if (atomic_read(&b->count) >= max)
		return NULL;
	bd = alloc_binding(filter, gfp);
	if (!bd)
		return NULL;
	bd->in = *in;
	bd->ext = *ext;
	bd->filter = filter;
	bd->named = named;
	bd->used = (u32)jiffies;

	spin_lock_bh(&b->lock);
	/* Writers hold the lock, so what readers find here is all there
	 * is: one binding for @in on an address, as by_in alone would keep.
	 */
	rcu_read_lock();
	if (hairpin_binding_find(b, in, ext->addr)) {
		rcu_read_unlock();
		goto err;
	}
	rcu_read_unlock();
	if (rhashtable_lookup_insert_fast(&b->by_ext, &bd->by_ext, by_ext_params))
		goto err;
	if (moved(bd) &&
	    rhashtable_lookup_insert_fast(&b->by_in, &bd->by_in, by_in_params)) {
		rhashtable_remove_fast(&b->by_ext, &bd->by_ext, by_ext_params);
		spin_unlock_bh(&b->lock);
		/* Readers may have found it by its external end. */
		call_rcu(&bd->rcu, free_binding_rcu);
		return NULL;
	}
	atomic_inc(&b->count);
	spin_unlock_bh(&b->lock);
	return bd;

err:
	spin_unlock_bh(&b->lock);
	free_binding(bd, NULL);
	return NULL;
}

void hairpin_binding_del(struct hairpin_bindings *b, struct hairpin_binding *bd)
{
	spin_lock_bh(&b->lock);
	/* Twice is harmless: the walk and a packet may both find it stale. */
	if (!rhashtable_remove_fast(&b->by_ext, &bd->by_ext, by_ext_params)) {
		if (moved(bd))
			rhashtable_remove_fast(&b->by_in, &bd->by_in, by_in_params);
		atomic_dec(&b->count);
		WRITE_ONCE(bd->dead, true);
		call_rcu(&bd->rcu, free_binding_rcu);
	}
	spin_unlock_bh(&b->lock);
}

/* @bd under @filter from now on. One made independent has no room for
 * peers: a copy with room takes its place in the tables, the same binding
 * to readers but for the peers it starts without. False if memory fails.
 */
bool hairpin_binding_refilter(struct hairpin_bindings *b,
			      struct hairpin_binding *bd, u8 filter)
{
	struct hairpin_binding *new;
	bool ok = false;

	if (filter == HAIRPIN_FILTER_INDEPENDENT || bd->npeers) {
		WRITE_ONCE(bd->filter, filter);
		return true;
	}
	new = alloc_binding(filter, GFP_ATOMIC);
	if (!new)
		return false;
	new->in = bd->in;
	new->ext = bd->ext;
	new->filter = filter;
	new->named = bd->named;

	spin_lock_bh(&b->lock);
	new->used = READ_ONCE(bd->used);
	new->seen = bd->seen;
	new->conns = READ_ONCE(bd->conns);
	new->counting = bd->counting;
	if (!READ_ONCE(bd->dead) &&
	    !rhashtable_replace_fast(&b->by_ext, &bd->by_ext, &new->by_ext,
				     by_ext_params)) {
		if (moved(bd))
			rhashtable_replace_fast(&b->by_in, &bd->by_in,
						&new->by_in, by_in_params);
		WRITE_ONCE(bd->dead, true);
		call_rcu(&bd->rcu, free_binding_rcu);
		ok = true;
	}
	spin_unlock_bh(&b->lock);
	if (!ok)
		free_binding(new, NULL);
	return ok;
}

static u64 peer_word(__be32 addr, __be16 port)
{
	return (u64)be32_to_cpu(addr) << 16 | be16_to_cpu(port);
}

/* Remembers that the internal endpoint sent to @addr:@port, for filtering.
 * Racy by design: two CPUs adding at once may lose one of the older peers,
 * never a torn one.
 */
void hairpin_binding_add_peer(struct hairpin_binding *bd, __be32 addr, __be16 port)
{
	u64 w = peer_word(addr, port);
	int i;

	if (!bd->npeers)
		return;
	for (i = 0; i < bd->npeers; i++)
		if (READ_ONCE(bd->peers[i]) == w)
			return;
	for (i = bd->npeers - 1; i > 0; i--)
		WRITE_ONCE(bd->peers[i], READ_ONCE(bd->peers[i - 1]));
	WRITE_ONCE(bd->peers[0], w);
}

/* RFC 4787 REQ-8: whether an inbound connection from @addr:@port may pass. */
bool hairpin_binding_allows(const struct hairpin_binding *bd, __be32 addr,
			    __be16 port)
{
	u8 filter = READ_ONCE(bd->filter);
	u64 w = peer_word(addr, port);
	int i;

	if (filter == HAIRPIN_FILTER_INDEPENDENT)
		return true;
	for (i = 0; i < bd->npeers; i++) {
		u64 p = READ_ONCE(bd->peers[i]);

		if (!p)
			break;
		if (filter == HAIRPIN_FILTER_ADDRESS ? p >> 16 == w >> 16 : p == w)
			return true;
	}
	return false;
}

int hairpin_bindings_walk(struct hairpin_bindings *b,
			  int (*fn)(struct hairpin_binding *bd, void *data),
			  void *data)
{
	struct rhashtable_iter iter;
	struct hairpin_binding *bd;
	unsigned int n = 0;
	int ret = 0;

	rhashtable_walk_enter(&b->by_ext, &iter);
	rhashtable_walk_start(&iter);
	while ((bd = rhashtable_walk_next(&iter))) {
		if (IS_ERR(bd)) {
			/* Resized under us: some may come twice. */
			if (PTR_ERR(bd) == -EAGAIN)
				continue;
			break;
		}
		ret = fn(bd, data);
		if (ret)
			break;
		if (++n % 256 == 0) {
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return ret;
}
