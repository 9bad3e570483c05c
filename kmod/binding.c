// SPDX-License-Identifier: GPL-2.0
/*
 * The binding table: two rhashtables over one set of bindings, by internal
 * endpoint (outbound connections) and by external endpoint (inbound ones),
 * read by the NAT hooks under RCU. Bindings are made by packets, in
 * softirq context, so writers take a spinlock rather than the namespace's
 * mutex; what a binding is for and how long it lives is masq.c's and
 * lifetime.c's business.
 */

#include <linux/hairpin.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "binding.h"

static const struct rhashtable_params by_in_params = {
	.head_offset = offsetof(struct hairpin_binding, by_in),
	.key_offset = offsetof(struct hairpin_binding, in),
	.key_len = HAIRPIN_BKEY_LEN,
	.automatic_shrinking = true,
};

static const struct rhashtable_params by_ext_params = {
	.head_offset = offsetof(struct hairpin_binding, by_ext),
	.key_offset = offsetof(struct hairpin_binding, ext),
	.key_len = HAIRPIN_BKEY_LEN,
	.automatic_shrinking = true,
};

/* Accounted, as the maps are: made on behalf of a namespace's users. */
static struct kmem_cache *hairpin_binding_cache __ro_after_init;

int __init hairpin_binding_init(void)
{
	hairpin_binding_cache = KMEM_CACHE(hairpin_binding, SLAB_ACCOUNT);
	return hairpin_binding_cache ? 0 : -ENOMEM;
}

void hairpin_binding_uninit(void)
{
	/* Bindings are freed after a grace period: wait for the last. */
	rcu_barrier();
	kmem_cache_destroy(hairpin_binding_cache);
}

int hairpin_bindings_create(struct hairpin_bindings *b)
{
	int ret;

	spin_lock_init(&b->lock);
	atomic_set(&b->count, 0);
	ret = rhashtable_init(&b->by_in, &by_in_params);
	if (ret)
		return ret;
	ret = rhashtable_init(&b->by_ext, &by_ext_params);
	if (ret) {
		rhashtable_destroy(&b->by_in);
		return ret;
	}
	b->ready = true;
	return 0;
}

static void free_binding(void *ptr, void *arg)
{
	kmem_cache_free(hairpin_binding_cache, ptr);
}

/* Not kfree_rcu(): the cache's destruction waits for these with an
 * rcu_barrier(), which does not wait for kfree_rcu()'s batches.
 */
static void free_binding_rcu(struct rcu_head *head)
{
	kmem_cache_free(hairpin_binding_cache,
			container_of(head, struct hairpin_binding, rcu));
}

/* Nobody may be reading the tables any more. */
void hairpin_bindings_destroy(struct hairpin_bindings *b)
{
	if (!b->ready)
		return;
	rhashtable_destroy(&b->by_ext);
	rhashtable_free_and_destroy(&b->by_in, free_binding, NULL);
	b->ready = false;
}

struct hairpin_binding *hairpin_binding_by_in(struct hairpin_bindings *b,
					      const struct hairpin_bkey *in)
{
	return rhashtable_lookup(&b->by_in, in, by_in_params);
}

struct hairpin_binding *hairpin_binding_by_ext(struct hairpin_bindings *b,
					       const struct hairpin_bkey *ext)
{
	return rhashtable_lookup(&b->by_ext, ext, by_ext_params);
}

/* A new binding, or NULL if either endpoint is bound already (a packet on
 * another CPU was first) or the namespace has @max.
 */
struct hairpin_binding *hairpin_binding_add(struct hairpin_bindings *b,
					    const struct hairpin_bkey *in,
					    const struct hairpin_bkey *ext,
					    u8 filter, u32 max, gfp_t gfp)
{
	struct hairpin_binding *bd;

	if (atomic_read(&b->count) >= max)
		return NULL;
	bd = kmem_cache_zalloc(hairpin_binding_cache, gfp);
	if (!bd)
		return NULL;
	bd->in = *in;
	bd->ext = *ext;
	bd->filter = filter;
	bd->used = jiffies;

	spin_lock_bh(&b->lock);
	if (rhashtable_lookup_insert_fast(&b->by_in, &bd->by_in, by_in_params))
		goto err;
	if (rhashtable_lookup_insert_fast(&b->by_ext, &bd->by_ext, by_ext_params)) {
		rhashtable_remove_fast(&b->by_in, &bd->by_in, by_in_params);
		spin_unlock_bh(&b->lock);
		/* Readers may have found it by its internal end. */
		call_rcu(&bd->rcu, free_binding_rcu);
		return NULL;
	}
	atomic_inc(&b->count);
	spin_unlock_bh(&b->lock);
	return bd;

err:
	spin_unlock_bh(&b->lock);
	kmem_cache_free(hairpin_binding_cache, bd);
	return NULL;
}

void hairpin_binding_del(struct hairpin_bindings *b, struct hairpin_binding *bd)
{
	spin_lock_bh(&b->lock);
	/* Twice is harmless: the walk and a packet may both find it stale. */
	if (!rhashtable_remove_fast(&b->by_in, &bd->by_in, by_in_params)) {
		rhashtable_remove_fast(&b->by_ext, &bd->by_ext, by_ext_params);
		atomic_dec(&b->count);
		WRITE_ONCE(bd->dead, true);
		call_rcu(&bd->rcu, free_binding_rcu);
	}
	spin_unlock_bh(&b->lock);
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

	for (i = 0; i < HAIRPIN_BINDING_PEERS; i++)
		if (READ_ONCE(bd->peers[i]) == w)
			return;
	for (i = HAIRPIN_BINDING_PEERS - 1; i > 0; i--)
		WRITE_ONCE(bd->peers[i], READ_ONCE(bd->peers[i - 1]));
	WRITE_ONCE(bd->peers[0], w);
}

/* RFC 4787 REQ-8: whether an inbound connection from @addr:@port may pass. */
bool hairpin_binding_allows(const struct hairpin_binding *bd, __be32 addr,
			    __be16 port)
{
	u64 w = peer_word(addr, port);
	int i;

	for (i = 0; i < HAIRPIN_BINDING_PEERS; i++) {
		u64 p = READ_ONCE(bd->peers[i]);

		if (!p)
			break;
		if (bd->filter == HAIRPIN_FILTER_ADDRESS ? p >> 16 == w >> 16 : p == w)
			return true;
	}
	return bd->filter == HAIRPIN_FILTER_INDEPENDENT;
}

int hairpin_bindings_walk(struct hairpin_bindings *b,
			  int (*fn)(struct hairpin_binding *bd, void *data),
			  void *data)
{
	struct rhashtable_iter iter;
	struct hairpin_binding *bd;
	unsigned int n = 0;
	int ret = 0;

	rhashtable_walk_enter(&b->by_in, &iter);
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
