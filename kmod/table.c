// SPDX-License-Identifier: GPL-2.0
/*
 * The mapping table: an rhashtable of external ports, read by the NAT hooks
 * under RCU and changed by transactions under the namespace's mutex.
 *
 * A transaction applies its operations to the published table as they come
 * and keeps what it displaced, so that abort can put it back. A flush swaps
 * in a new, private table instead, and the operations after it fill that one:
 * "flush, then add everything" is published at once by commit. Displaced
 * mappings are freed only by the end of the transaction, after a grace
 * period, once the conntrack entries they created are gone.
 */

#include <linux/hairpin.h>
#include <linux/netlink.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "table.h"
#include "netns.h"
#include "nat.h"
#include "conntrack.h"

static const struct rhashtable_params hairpin_rht_params = {
	.head_offset = offsetof(struct hairpin_port, node),
	.key_offset = offsetof(struct hairpin_port, key),
	.key_len = HAIRPIN_KEY_LEN,
	.automatic_shrinking = true,
};

/* Maps are the one thing a large table has many of: a cache of their own
 * keeps them at their real size.
 */
static struct kmem_cache *hairpin_map_cache __ro_after_init;

int __init hairpin_table_init(void)
{
	hairpin_map_cache = KMEM_CACHE(hairpin_map, 0);
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

	table = kzalloc(sizeof(*table), GFP_KERNEL);
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

struct hairpin_map *hairpin_table_lookup(const struct hairpin_table *table,
					 u8 proto, __be32 addr, __be16 port)
{
	struct hairpin_key key = {
		.addr = addr,
		.port = port,
		.proto = proto,
	};
	struct hairpin_port *p;

	p = rhashtable_lookup((struct rhashtable *)&table->ht, &key,
			      hairpin_rht_params);
	if (!p)
		return NULL;
	if (p->key.flags & HAIRPIN_PORT_MORE)
		return container_of(p, struct hairpin_more_port, port)->map;
	return container_of(p, struct hairpin_map, head);
}

static unsigned int map_ports(const struct hairpin_map *m)
{
	return m->port_max - hairpin_map_port(m) + 1;
}

static struct hairpin_port *map_port(struct hairpin_map *m, unsigned int i)
{
	return i ? &hairpin_map_ext(m)->more[i - 1].port : &m->head;
}

struct hairpin_map *hairpin_map_create(const struct hairpin_map_spec *spec)
{
	unsigned int i, n = spec->port_max - spec->port + 1;
	struct hairpin_map_ext *ext;
	struct hairpin_map *m;

	if (n > 1 || spec->comment) {
		m = kvzalloc(sizeof(*m) + struct_size(ext, more, n - 1), GFP_KERNEL);
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
	m->stats = alloc_percpu_gfp(struct hairpin_stats, GFP_KERNEL);
	if (!m->stats) {
		hairpin_map_free(m);
		return NULL;
	}
	m->to_addr = spec->to_addr;
	m->to_port = spec->to_port;
	m->port_max = spec->port_max;
	INIT_LIST_HEAD(&m->list);
	for (i = 0; i < n; i++) {
		struct hairpin_port *p = map_port(m, i);

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

/* Unlinking can only fail for a port that is not there, which would be a
 * bug of ours: the table owns every node of a map it holds.
 */
static void table_unlink(struct hairpin_table *t, struct hairpin_map *m)
{
	unsigned int i;

	for (i = 0; i < map_ports(m); i++)
		WARN_ON_ONCE(rhashtable_remove_fast(&t->ht, &map_port(m, i)->node,
						    hairpin_rht_params));
	list_del_init(&m->list);
	t->count--;
}

/* Inserts every port of @m, or none. A port already present is an overlap. */
static int ports_link(struct hairpin_table *t, struct hairpin_map *m)
{
	unsigned int i;
	int ret;

	for (i = 0; i < map_ports(m); i++) {
		ret = rhashtable_lookup_insert_fast(&t->ht, &map_port(m, i)->node,
						    hairpin_rht_params);
		if (ret)
			goto err;
	}
	return 0;

err:
	while (i--)
		rhashtable_remove_fast(&t->ht, &map_port(m, i)->node,
				       hairpin_rht_params);
	return ret;
}

static int table_link(struct hairpin_table *t, struct hairpin_map *m)
{
	int ret = ports_link(t, m);

	if (ret)
		return ret;
	list_add_tail(&m->list, &t->maps);
	t->count++;
	return 0;
}

/* Putting back what a transaction displaced must not fail. The only errors
 * left are a resize that has yet to catch up, so wait for it.
 */
static void table_relink(struct hairpin_table *t, struct hairpin_map *m)
{
	int tries;

	for (tries = 0; tries < 1000; tries++) {
		if (!table_link(t, m))
			return;
		cond_resched();
	}
	WARN_ONCE(1, "could not restore a mapping\n");
}

/* Swaps every port's node of @from for the one of @to, in place, so that a
 * packet finds one mapping or the other, never none.
 */
static void ports_swap(struct hairpin_table *t, struct hairpin_map *from,
		       struct hairpin_map *to)
{
	unsigned int i;

	for (i = 0; i < map_ports(from); i++)
		WARN_ON_ONCE(rhashtable_replace_fast(&t->ht, &map_port(from, i)->node,
						     &map_port(to, i)->node,
						     hairpin_rht_params));
}

/* The map with exactly this identity: protocol, address and port range. */
static struct hairpin_map *table_find(struct hairpin_table *t,
				      const struct hairpin_map_spec *spec)
{
	struct hairpin_map *m;

	/* The mutex keeps the map, but rhashtable lookups are RCU readers. */
	rcu_read_lock();
	m = hairpin_table_lookup(t, spec->proto, spec->addr, htons(spec->port));
	rcu_read_unlock();
	if (!m || hairpin_map_port(m) != spec->port || m->port_max != spec->port_max)
		return NULL;
	return m;
}

int hairpin_txn_begin(struct hairpin_txn *txn, struct hairpin_net *hn,
		      unsigned int max_ops)
{
	lockdep_assert_held(&hn->lock);

	memset(txn, 0, sizeof(*txn));
	txn->hn = hn;
	txn->live = rcu_dereference_protected(hn->table,
					      lockdep_is_held(&hn->lock));
	txn->work = txn->live;
	INIT_LIST_HEAD(&txn->removed);
	txn->source = hn->source;
	txn->mode = hn->mode;
	txn->max_ops = max_ops;
	txn->ops = kvcalloc(max_ops, sizeof(*txn->ops), GFP_KERNEL);
	return txn->ops ? 0 : -ENOMEM;
}

static void txn_log(struct hairpin_txn *txn, u8 cmd, struct hairpin_map *m,
		    struct hairpin_map *old)
{
	struct hairpin_txn_op *op = &txn->ops[txn->n_ops++];

	op->cmd = cmd;
	op->live = txn->work == txn->live;
	op->map = m;
	op->old = old;
}

static int txn_room(struct hairpin_txn *txn)
{
	lockdep_assert_held(&txn->hn->lock);
	return WARN_ON_ONCE(txn->n_ops >= txn->max_ops) ? -EINVAL : 0;
}

/* Takes ownership of @m, whatever the outcome. */
int hairpin_txn_add(struct hairpin_txn *txn, struct hairpin_map *m,
		    struct netlink_ext_ack *extack)
{
	int ret = txn_room(txn);

	if (!ret)
		ret = table_link(txn->work, m);
	if (ret) {
		if (ret == -EEXIST)
			NL_SET_ERR_MSG(extack, "mapping overlaps an existing mapping");
		else
			NL_SET_ERR_MSG(extack, "no memory for the mapping");
		hairpin_map_free(m);
		return ret;
	}
	txn_log(txn, HAIRPIN_CMD_NEW_MAP, m, NULL);
	return 0;
}

int hairpin_txn_del(struct hairpin_txn *txn,
		    const struct hairpin_map_spec *spec,
		    struct netlink_ext_ack *extack)
{
	struct hairpin_map *m;
	int ret = txn_room(txn);

	if (ret)
		return ret;
	m = table_find(txn->work, spec);
	if (!m) {
		NL_SET_ERR_MSG(extack, "no mapping with this protocol, address and range");
		return -ENOENT;
	}
	table_unlink(txn->work, m);
	list_add_tail(&m->list, &txn->removed);
	txn_log(txn, HAIRPIN_CMD_DEL_MAP, m, NULL);
	return 0;
}

int hairpin_txn_replace(struct hairpin_txn *txn, struct hairpin_map *m,
			struct netlink_ext_ack *extack)
{
	struct hairpin_map_spec spec = {
		.proto = m->head.key.proto,
		.addr = m->head.key.addr,
		.port = hairpin_map_port(m),
		.port_max = m->port_max,
	};
	struct hairpin_table *t = txn->work;
	struct hairpin_map *old;
	int ret = txn_room(txn);

	if (ret) {
		hairpin_map_free(m);
		return ret;
	}
	old = table_find(t, &spec);
	if (!old) {
		ret = hairpin_txn_add(txn, m, extack);
		if (!ret)
			txn->ops[txn->n_ops - 1].cmd = HAIRPIN_CMD_REPLACE_MAP;
		return ret;
	}
	ports_swap(t, old, m);
	list_replace_init(&old->list, &m->list);
	list_add_tail(&old->list, &txn->removed);
	txn_log(txn, HAIRPIN_CMD_REPLACE_MAP, m, old);
	return 0;
}

int hairpin_txn_flush(struct hairpin_txn *txn)
{
	struct hairpin_table *fresh;
	int ret = txn_room(txn);

	if (ret)
		return ret;
	fresh = hairpin_table_create(txn->max_ops - txn->n_ops);
	if (!fresh)
		return -ENOMEM;
	/* A second flush: what the first one's table got is displaced. */
	if (txn->work != txn->live) {
		list_splice_tail_init(&txn->work->maps, &txn->removed);
		txn->work->count = 0;
		hairpin_table_destroy(txn->work);
	}
	txn->work = fresh;
	txn_log(txn, HAIRPIN_CMD_FLUSH_MAPS, NULL, NULL);
	return 0;
}

void hairpin_txn_config(struct hairpin_txn *txn, int source, int mode)
{
	if (source >= 0)
		txn->source = source;
	if (mode >= 0)
		txn->mode = mode;
	if (!txn_room(txn))
		txn_log(txn, HAIRPIN_CMD_SET_CONFIG, NULL, NULL);
}

int hairpin_txn_commit(struct hairpin_txn *txn)
{
	struct hairpin_net *hn = txn->hn;
	int ret;

	lockdep_assert_held(&hn->lock);

	/* The one step that can fail comes before anything is published. */
	if (txn->work->count) {
		ret = hairpin_nat_register(hn);
		if (ret)
			return ret;
	}
	if (txn->work != txn->live)
		rcu_assign_pointer(hn->table, txn->work);
	WRITE_ONCE(hn->source, txn->source);
	WRITE_ONCE(hn->mode, txn->mode);
	/* Odd, never zero: zero means "not tracked" to the dump check. */
	hn->seq += 2;
	txn->committed = true;
	return 0;
}

/* Undoes, newest first, what was done to the published table. */
void hairpin_txn_abort(struct hairpin_txn *txn)
{
	struct hairpin_table *live = txn->live;
	unsigned int i;

	lockdep_assert_held(&txn->hn->lock);

	if (txn->work != live) {
		hairpin_table_destroy(txn->work);
		txn->work = live;
	}
	for (i = txn->n_ops; i--; ) {
		struct hairpin_txn_op *op = &txn->ops[i];

		if (!op->live)
			continue;
		switch (op->cmd) {
		case HAIRPIN_CMD_NEW_MAP:
			table_unlink(live, op->map);
			list_add_tail(&op->map->list, &txn->removed);
			break;
		case HAIRPIN_CMD_DEL_MAP:
			list_del_init(&op->map->list);
			table_relink(live, op->map);
			break;
		case HAIRPIN_CMD_REPLACE_MAP:
			if (!op->old) {
				table_unlink(live, op->map);
				list_add_tail(&op->map->list, &txn->removed);
				break;
			}
			ports_swap(live, op->map, op->old);
			list_del_init(&op->old->list);
			list_replace_init(&op->map->list, &op->old->list);
			list_add_tail(&op->map->list, &txn->removed);
			break;
		}
	}
	txn->n_ops = 0;
}

static void retire(struct hairpin_net *hn, struct hairpin_map *m)
{
	u64 conns, hairpinned;

	hairpin_map_stats(m, &conns, &hairpinned);
	hn->retired_conns += conns;
	hn->retired_hairpinned += hairpinned;
}

/* Indexes the displaced maps, so that deciding about each conntrack entry
 * is a lookup or two. Nobody else reads them any more, so their nodes are
 * free to reuse. Two of them can share a port (deleted, added again, deleted
 * again in one batch): the second goes to a second index.
 */
static int graves_build(struct hairpin_txn *txn, struct hairpin_table **graves,
			unsigned int *n, unsigned int max)
{
	struct hairpin_map *m;
	unsigned int i;

	list_for_each_entry(m, &txn->removed, list) {
		for (i = 1; i < max; i++) {
			if (i == *n) {
				graves[i] = hairpin_table_create(0);
				if (!graves[i])
					return -ENOMEM;
				(*n)++;
			}
			if (!ports_link(graves[i], m))
				break;
		}
		if (i == max)
			return -ENOSPC;
	}
	return 0;
}

static bool txn_added_udp(const struct hairpin_txn *txn)
{
	unsigned int i;

	for (i = 0; i < txn->n_ops; i++) {
		const struct hairpin_map *m = txn->ops[i].map;

		if (m && txn->ops[i].cmd != HAIRPIN_CMD_DEL_MAP &&
		    m->head.key.proto == IPPROTO_UDP)
			return true;
	}
	return false;
}

/* After commit or abort: frees what was displaced, once no packet can be
 * using it and the conntrack entries it created are gone (a UDP flow would
 * otherwise keep its stale translation for as long as it keeps sending).
 */
void hairpin_txn_end(struct hairpin_txn *txn)
{
	struct hairpin_table *graves[8] = { NULL };
	const struct hairpin_table *live = NULL;
	struct hairpin_net *hn = txn->hn;
	struct hairpin_table *old = NULL;
	struct hairpin_map *m, *tmp;
	unsigned int i, n = 1;
	bool all = false;

	lockdep_assert_held(&hn->lock);

	if (txn->committed && txn->work != txn->live)
		old = txn->live;
	if (txn->committed && txn_added_udp(txn))
		live = rcu_dereference_protected(hn->table, lockdep_is_held(&hn->lock));

	if (!list_empty(&txn->removed) || (old && old->count)) {
		/* No packet can be using a displaced map after this. */
		synchronize_rcu();
		graves[0] = old;
		/* Without an index: rather too much than too little. */
		all = graves_build(txn, graves, &n, ARRAY_SIZE(graves)) < 0;
	}
	if (all || graves[0] || n > 1 || live)
		hairpin_ct_flush(hn->net, graves, n, live, all);
	for (i = 1; i < n; i++)
		hairpin_table_destroy(graves[i]);
	list_for_each_entry_safe(m, tmp, &txn->removed, list) {
		retire(hn, m);
		hairpin_map_free(m);
	}
	if (old) {
		list_for_each_entry(m, &old->maps, list)
			retire(hn, m);
		hairpin_table_destroy(old);
	}
	if (hn->nat_registered &&
	    !rcu_dereference_protected(hn->table, lockdep_is_held(&hn->lock))->count)
		hairpin_nat_unregister(hn);
	kvfree(txn->ops);
	txn->ops = NULL;
}
