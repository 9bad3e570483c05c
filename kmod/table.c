// SPDX-License-Identifier: GPL-2.0
/*
 * The mapping table: an rhashtable of external ports, read by the NAT hooks
 * under RCU. It knows maps and ports only; how a change is made all at once
 * is txn.c's business.
 */

#include <linux/hairpin.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "table.h"

static const struct rhashtable_params hairpin_rht_params = {
	.head_offset = offsetof(struct hairpin_port, node),
	.key_offset = offsetof(struct hairpin_port, key),
	.key_len = HAIRPIN_KEY_LEN,
	.automatic_shrinking = true,
};

/* Maps are the one thing a large table has many of: a cache of their own
 * keeps them at their real size. Accounted: they are made on behalf of
 * whoever holds CAP_NET_ADMIN in a namespace, any user in a user namespace.
 */
static struct kmem_cache *hairpin_map_cache __ro_after_init;

int __init hairpin_table_init(void)
{
	hairpin_map_cache = KMEM_CACHE(hairpin_map, SLAB_ACCOUNT);
	return hairpin_map_cache ? 0 : -ENOMEM;
}

void hairpin_table_uninit(void)
{
	kmem_cache_destroy(hairpin_map_cache);
}

struct hairpin_table *hairpin_table_create(unsigned int hint)
{
	struct rhashtable_params params = hairpin_rht_params;
	struct hairpin_table *table;

	table = kzalloc(sizeof(*table), GFP_KERNEL_ACCOUNT);
	if (!table)
		return NULL;
	/* A bulk load sizes the table once instead of growing it by steps. */
	params.nelem_hint = min(hint, U16_MAX);
	if (rhashtable_init(&table->ht, &params)) {
		kfree(table);
		return NULL;
	}
	INIT_LIST_HEAD(&table->maps);
	return table;
}

/* Frees the table and every map in it: nobody may be reading it any more. */
void hairpin_table_destroy(struct hairpin_table *table)
{
	struct hairpin_map *m, *tmp;

	if (!table)
		return;
	/* First: it waits for a resize in progress, which walks the maps. */
	rhashtable_destroy(&table->ht);
	list_for_each_entry_safe(m, tmp, &table->maps, list)
		hairpin_map_free(m);
	kfree(table);
}

/* Any port with this key, committed or not; under RCU or the mutex. */
struct hairpin_port *hairpin_table_find_port(const struct hairpin_table *table,
					     const struct hairpin_key *key)
{
	return rhashtable_lookup((struct rhashtable *)&table->ht, key,
				 hairpin_rht_params);
}

struct hairpin_map *hairpin_port_map(struct hairpin_port *p)
{
	if (READ_ONCE(p->key.flags) & HAIRPIN_PORT_MORE)
		return container_of(p, struct hairpin_more_port, port)->map;
	return container_of(p, struct hairpin_map, head);
}

/* The committed map holding this port, for packets. */
struct hairpin_map *hairpin_table_lookup(const struct hairpin_table *table,
					 u8 proto, __be32 addr, __be16 port)
{
	struct hairpin_key key = {
		.addr = addr,
		.port = port,
		.proto = proto,
	};
	struct hairpin_port *p;
	struct hairpin_map *m;

	p = hairpin_table_find_port(table, &key);
	if (!p)
		return NULL;
	m = hairpin_port_map(p);
	return hairpin_map_pending(m) ? NULL : m;
}

/* The committed map for a connection to @addr:@port: one that names the
 * address wins over one for any local address.
 */
struct hairpin_map *hairpin_table_find(const struct hairpin_table *table,
				       u8 proto, __be32 addr, __be16 port)
{
	return hairpin_table_lookup(table, proto, addr, port) ?:
	       hairpin_table_lookup(table, proto, 0, port);
}

int hairpin_table_insert(struct hairpin_table *t, struct hairpin_port *p)
{
	return rhashtable_lookup_insert_fast(&t->ht, &p->node, hairpin_rht_params);
}

/* Removing can only fail for a port that is not there, which would be a bug
 * of ours: the caller knows what it linked.
 */
void hairpin_table_remove(struct hairpin_table *t, struct hairpin_port *p)
{
	WARN_ON_ONCE(rhashtable_remove_fast(&t->ht, &p->node, hairpin_rht_params));
}

/* In place, so that a packet finds one port or the other, never none. It
 * cannot fail: the key is the same and @from is linked.
 */
void hairpin_table_swap(struct hairpin_table *t, struct hairpin_port *from,
			struct hairpin_port *to)
{
	WARN_ON_ONCE(rhashtable_replace_fast(&t->ht, &from->node, &to->node,
					     hairpin_rht_params));
}

/* Every port of @m, or none; a port already present is an overlap. For a
 * table nobody reads yet: @m is in its list and its counts at once.
 */
int hairpin_table_link(struct hairpin_table *t, struct hairpin_map *m)
{
	unsigned int i;
	int ret;

	for (i = 0; i < hairpin_map_ports(m); i++) {
		ret = hairpin_table_insert(t, hairpin_map_nth(m, i));
		if (ret)
			goto err;
	}
	list_add_tail(&m->list, &t->maps);
	t->count++;
	t->ports += hairpin_map_ports(m);
	return 0;

err:
	while (i--)
		hairpin_table_remove(t, hairpin_map_nth(m, i));
	return ret;
}

void hairpin_table_unlink(struct hairpin_table *t, struct hairpin_map *m)
{
	unsigned int i;

	for (i = 0; i < hairpin_map_ports(m); i++)
		hairpin_table_remove(t, hairpin_map_nth(m, i));
	list_del_init(&m->list);
	t->count--;
	t->ports -= hairpin_map_ports(m);
}

struct hairpin_map *hairpin_map_create(const struct hairpin_map_spec *spec)
{
	unsigned int i, n = spec->port_max - spec->port + 1;
	struct hairpin_map_ext *ext;
	struct hairpin_map *m;

	if (n > 1 || spec->comment) {
		m = kvzalloc(sizeof(*m) + struct_size(ext, more, n - 1),
			     GFP_KERNEL_ACCOUNT);
		if (!m)
			return NULL;
		m->head.key.flags = HAIRPIN_PORT_EXT;
		ext = hairpin_map_ext(m);
		if (spec->comment)
			strscpy(ext->comment, spec->comment, sizeof(ext->comment));
		for (i = 1; i < n; i++) {
			ext->more[i - 1].port.key.flags = HAIRPIN_PORT_MORE;
			ext->more[i - 1].map = m;
		}
	} else {
		m = kmem_cache_zalloc(hairpin_map_cache, GFP_KERNEL);
		if (!m)
			return NULL;
	}
	m->stats = alloc_percpu_gfp(struct hairpin_stats, GFP_KERNEL_ACCOUNT);
	if (!m->stats) {
		hairpin_map_free(m);
		return NULL;
	}
	if (spec->flags & HAIRPIN_MAP_F_MIRROR)
		m->head.key.flags |= HAIRPIN_PORT_MIRROR;
	m->to_addr = spec->to_addr;
	m->to_port = spec->to_port;
	m->port_max = spec->port_max;
	INIT_LIST_HEAD(&m->list);
	for (i = 0; i < n; i++) {
		struct hairpin_port *p = hairpin_map_nth(m, i);

		p->key.addr = spec->addr;
		p->key.port = htons(spec->port + i);
		p->key.proto = spec->proto;
	}
	return m;
}

void hairpin_map_free(struct hairpin_map *m)
{
	free_percpu(m->stats);
	if (hairpin_map_ext(m))
		kvfree(m);
	else
		kmem_cache_free(hairpin_map_cache, m);
}

/* From the NAT hooks: in softirq, or in LOCAL_OUT from a process, which BH
 * off keeps on its CPU and apart from the softirq's own updates.
 */
void hairpin_map_count(struct hairpin_map *m, bool hairpinned)
{
	struct hairpin_stats *s;

	local_bh_disable();
	s = this_cpu_ptr(m->stats);
	u64_stats_update_begin(&s->syncp);
	if (hairpinned)
		u64_stats_inc(&s->hairpinned);
	else
		u64_stats_inc(&s->conns);
	u64_stats_update_end(&s->syncp);
	local_bh_enable();
}

void hairpin_map_stats(const struct hairpin_map *m, u64 *conns, u64 *hairpinned)
{
	int cpu;

	*conns = 0;
	*hairpinned = 0;
	for_each_possible_cpu(cpu) {
		const struct hairpin_stats *s = per_cpu_ptr(m->stats, cpu);
		unsigned int start;
		u64 c, h;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			c = u64_stats_read(&s->conns);
			h = u64_stats_read(&s->hairpinned);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		*conns += c;
		*hairpinned += h;
	}
}
