// SPDX-License-Identifier: GPL-2.0
/*
 * Transactions: a batch of changes to a namespace's mappings and settings,
 * applied all or not at all, under the namespace's mutex.
 *
 * Nothing leaves the published table before commit. An added map is linked
 * at once, which is the one step that can fail, but marked pending, so that
 * packets pass it by; a deleted map is only marked. A new map whose port a
 * deleted one still holds takes the port over at commit, in place. Abort so
 * unlinks what was added and cannot fail; commit flips marks and swaps
 * nodes, and cannot fail either once the NAT hooks are registered.
 *
 * A flush swaps in a new, private table instead, which the operations after
 * it fill: "flush, then add everything" is published at once by commit.
 *
 * What commit sets off, in order (hairpin_txn_end): a grace period, after
 * which no packet sees an old map; the removal of the conntrack entries
 * whose translation the new table no longer gives; freeing; and the NAT
 * hooks' removal when the table is empty and the scope is hairpin's own.
 */

#include <linux/hairpin.h>
#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "conntrack.h"
#include "lifetime.h"
#include "masq.h"
#include "nat.h"
#include "netns.h"
#include "table.h"
#include "txn.h"
#include "selftest/selftest.h"

static bool in_place(const struct hairpin_txn *txn)
{
	return txn->work == txn->live;
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
	INIT_LIST_HEAD(&txn->added);
	INIT_LIST_HEAD(&txn->removed);
	INIT_LIST_HEAD(&txn->dropped);
	txn->maps = txn->live->count;
	txn->ports = txn->live->ports;
	txn->max_maps = hn->max_maps;
	txn->max_ports = hn->max_ports;
	txn->source = hn->source;
	txn->source_addr = hn->source_addr;
	txn->mode = hn->mode;
	txn->scope = hn->scope;
	txn->scope_before = hn->scope;
	txn->udp_timeout = hn->udp_timeout;
	txn->max_bindings = hn->max_bindings;
	txn->masq_live = rcu_dereference_protected(hn->masq,
						   lockdep_is_held(&hn->lock));
	txn->max_ops = max_ops;
	txn->ops = kvcalloc(max_ops, sizeof(*txn->ops), GFP_KERNEL_ACCOUNT);
	txn->deleted = kvcalloc(max_ops, sizeof(*txn->deleted), GFP_KERNEL_ACCOUNT);
	if (!txn->ops || !txn->deleted) {
		kvfree(txn->ops);
		kvfree(txn->deleted);
		txn->ops = NULL;
		txn->deleted = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int txn_log(struct hairpin_txn *txn, u8 cmd, struct hairpin_map *m,
		   struct hairpin_map *old)
{
	struct hairpin_txn_op *op;

	/* The caller sized the log by its operations. */
	if (WARN_ON_ONCE(txn->n_ops >= txn->max_ops))
		return -EINVAL;
	op = &txn->ops[txn->n_ops++];
	op->cmd = cmd;
	op->map = m;
	op->old = old;
	op->place = NULL;
	return 0;
}

static int check_limits(const struct hairpin_txn *txn, unsigned int maps,
			unsigned int ports, struct netlink_ext_ack *extack)
{
	if (maps > txn->max_maps) {
		NL_SET_ERR_MSG(extack, "over the namespace's limit of mappings");
		return -ENOSPC;
	}
	if (ports > txn->max_ports) {
		NL_SET_ERR_MSG(extack, "over the namespace's limit of external ports");
		return -ENOSPC;
	}
	return 0;
}

/* The port of a pending map that takes over @key at commit, if any. */
static struct hairpin_port *claimer(const struct hairpin_txn *txn,
				    const struct hairpin_key *key)
{
	return txn->claims ? hairpin_table_find_port(txn->claims, key) : NULL;
}

/* The map a key leads to as the transaction stands, pending or not. */
static struct hairpin_map *view(const struct hairpin_txn *txn,
				const struct hairpin_key *key)
{
	struct hairpin_port *p;
	struct hairpin_map *m;

	/* The mutex keeps the maps; rhashtable lookups are RCU readers. */
	rcu_read_lock();
	p = in_place(txn) ? claimer(txn, key) : NULL;
	if (p) {
		m = hairpin_port_map(p);
	} else {
		p = hairpin_table_find_port(txn->work, key);
		m = p ? hairpin_port_map(p) : NULL;
		if (m && m->txn == HAIRPIN_MAP_DELETED)
			m = NULL;
	}
	rcu_read_unlock();
	return m;
}

/* The map with exactly this identity: protocol, address and port range. */
static struct hairpin_map *find(const struct hairpin_txn *txn,
				const struct hairpin_map_spec *spec)
{
	struct hairpin_key key = {
		.addr = spec->addr,
		.port = htons(spec->port),
		.proto = spec->proto,
	};
	struct hairpin_map *m = view(txn, &key);

	if (!m || hairpin_map_port(m) != spec->port || m->port_max != spec->port_max)
		return NULL;
	return m;
}

/* A port of the published table that @p can take over at commit: one of a
 * map deleted by this transaction that no other new map has claimed.
 */
static struct hairpin_port *claimable(struct hairpin_txn *txn,
				      struct hairpin_port *p)
{
	struct hairpin_port *old;

	rcu_read_lock();
	old = hairpin_table_find_port(txn->live, &p->key);
	rcu_read_unlock();
	if (!old)
		return NULL;
	if (hairpin_port_map(old)->txn != HAIRPIN_MAP_DELETED ||
	    (old->key.flags & HAIRPIN_PORT_CLAIMED))
		return ERR_PTR(-EEXIST);
	return old;
}

static void unclaim(struct hairpin_txn *txn, struct hairpin_port *p)
{
	struct hairpin_port *old;

	hairpin_table_remove(txn->claims, p);
	p->key.flags &= ~HAIRPIN_PORT_DEFERRED;
	rcu_read_lock();
	old = hairpin_table_find_port(txn->live, &p->key);
	rcu_read_unlock();
	if (!WARN_ON_ONCE(!old))
		hairpin_port_set(old, HAIRPIN_PORT_CLAIMED, false);
}

/* Undoes the linking of @m's first @n ports into the published table. */
static void unlink_pending(struct hairpin_txn *txn, struct hairpin_map *m,
			   unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct hairpin_port *p = hairpin_map_nth(m, i);

		if (p->key.flags & HAIRPIN_PORT_DEFERRED)
			unclaim(txn, p);
		else
			hairpin_table_remove(txn->live, p);
	}
}

/* Links @m into the published table, pending: each of its ports either
 * free, or held by a deleted map that it takes over at commit.
 */
static int link_pending(struct hairpin_txn *txn, struct hairpin_map *m)
{
	unsigned int i;
	int ret = 0;

	hairpin_port_set(&m->head, HAIRPIN_PORT_PENDING, true);
	for (i = 0; i < hairpin_map_ports(m); i++) {
		struct hairpin_port *p = hairpin_map_nth(m, i);
		struct hairpin_port *old = claimable(txn, p);

		if (IS_ERR(old)) {
			ret = PTR_ERR(old);
		} else if (!old) {
			ret = hairpin_table_insert(txn->live, p);
		} else {
			if (!txn->claims)
				txn->claims = hairpin_table_create(0);
			ret = txn->claims ? hairpin_table_insert(txn->claims, p) : -ENOMEM;
			if (!ret) {
				p->key.flags |= HAIRPIN_PORT_DEFERRED;
				hairpin_port_set(old, HAIRPIN_PORT_CLAIMED, true);
			}
		}
		if (ret) {
			unlink_pending(txn, m, i);
			return ret;
		}
	}
	m->txn = HAIRPIN_MAP_ADDED;
	list_add_tail(&m->list, &txn->added);
	return 0;
}

/* A map nobody has seen leaves the transaction. It was in the published
 * table, so it is freed only after a grace period, by the end.
 */
static void drop_pending(struct hairpin_txn *txn, struct hairpin_map *m)
{
	unlink_pending(txn, m, hairpin_map_ports(m));
	m->txn = HAIRPIN_MAP_DROPPED;
	list_move_tail(&m->list, &txn->dropped);
}

static void add_counts(struct hairpin_txn *txn, const struct hairpin_map *m,
		       int sign)
{
	txn->maps += sign;
	txn->ports += sign * (int)hairpin_map_ports(m);
}

/* Takes ownership of @m, whatever the outcome. */
int hairpin_txn_add(struct hairpin_txn *txn, struct hairpin_map *m,
		    struct netlink_ext_ack *extack)
{
	int ret;

	lockdep_assert_held(&txn->hn->lock);

	ret = check_limits(txn, txn->maps + 1, txn->ports + hairpin_map_ports(m),
			   extack);
	if (ret)
		goto err;
	if (in_place(txn))
		ret = link_pending(txn, m);
	else
		ret = hairpin_table_link(txn->work, m);
	if (ret) {
		if (ret == -EEXIST)
			NL_SET_ERR_MSG(extack, "mapping overlaps an existing mapping");
		else
			NL_SET_ERR_MSG(extack, "no memory for the mapping");
		if (!in_place(txn))
			goto err;
		/* Some of its ports may have been in the published table. */
		m->txn = HAIRPIN_MAP_DROPPED;
		list_add_tail(&m->list, &txn->dropped);
		return ret;
	}
	add_counts(txn, m, 1);
	if (m->head.key.proto == IPPROTO_UDP)
		txn->udp_added = true;
	m->op = txn->n_ops;
	return txn_log(txn, HAIRPIN_CMD_NEW_MAP, m, NULL);

err:
	hairpin_map_free(m);
	return ret;
}

static void remove_map(struct hairpin_txn *txn, struct hairpin_map *m)
{
	add_counts(txn, m, -1);
	if (!in_place(txn)) {
		/* Private: nobody can be looking. */
		hairpin_table_unlink(txn->work, m);
		m->txn = HAIRPIN_MAP_DROPPED;
		list_add_tail(&m->list, &txn->dropped);
	} else if (m->txn == HAIRPIN_MAP_ADDED) {
		drop_pending(txn, m);
	} else {
		m->txn = HAIRPIN_MAP_DELETED;
		txn->deleted[txn->n_deleted++] = m;
	}
}

int hairpin_txn_del(struct hairpin_txn *txn,
		    const struct hairpin_map_spec *spec,
		    struct netlink_ext_ack *extack)
{
	struct hairpin_map *m;

	lockdep_assert_held(&txn->hn->lock);

	m = find(txn, spec);
	if (!m) {
		NL_SET_ERR_MSG(extack, "no mapping with this protocol, address and range");
		return -ENOENT;
	}
	remove_map(txn, m);
	return txn_log(txn, HAIRPIN_CMD_DEL_MAP, m, NULL);
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
	struct hairpin_map *old, *place = NULL;
	struct list_head *prev = NULL;
	struct hairpin_txn_op *op;
	int ret;

	lockdep_assert_held(&txn->hn->lock);

	/* It takes the old one's place in the list: in a private table or
	 * among the pending maps at once, in the published table at commit,
	 * where a chain of replacements goes to the place of its first.
	 */
	old = find(txn, &spec);
	if (old) {
		if (old->txn == HAIRPIN_MAP_ADDED)
			place = txn->ops[old->op].place;
		else if (in_place(txn))
			place = old;
		if (!place)
			prev = old->list.prev;
		remove_map(txn, old);
	}
	ret = hairpin_txn_add(txn, m, extack);
	if (ret)
		return ret;
	if (prev)
		list_move(&m->list, prev);
	op = &txn->ops[txn->n_ops - 1];
	op->cmd = HAIRPIN_CMD_REPLACE_MAP;
	op->old = old;
	op->place = place;
	return 0;
}

/* Takes the published table back to how it was before the transaction. */
static void undo_in_place(struct hairpin_txn *txn)
{
	struct hairpin_map *m, *tmp;
	unsigned int i, j;

	list_for_each_entry_safe(m, tmp, &txn->added, list)
		drop_pending(txn, m);
	for (i = 0; i < txn->n_deleted; i++) {
		m = txn->deleted[i];
		for (j = 0; j < hairpin_map_ports(m); j++)
			hairpin_port_set(hairpin_map_nth(m, j),
					 HAIRPIN_PORT_CLAIMED, false);
		m->txn = HAIRPIN_MAP_IDLE;
	}
	txn->n_deleted = 0;
	/* Empty now: every claim went with its pending map. */
	hairpin_table_destroy(txn->claims);
	txn->claims = NULL;
}

int hairpin_txn_flush(struct hairpin_txn *txn, struct netlink_ext_ack *extack)
{
	struct hairpin_table *fresh;

	lockdep_assert_held(&txn->hn->lock);

	fresh = hairpin_table_create(txn->max_ops - txn->n_ops);
	if (!fresh) {
		NL_SET_ERR_MSG(extack, "no memory for a new table");
		return -ENOMEM;
	}
	if (in_place(txn)) {
		/* The published table goes whole at commit. */
		undo_in_place(txn);
	} else {
		/* A second flush: the first one's table was never seen. */
		list_splice_tail_init(&txn->work->maps, &txn->dropped);
		txn->work->count = 0;
		hairpin_table_destroy(txn->work);
	}
	txn->work = fresh;
	txn->maps = 0;
	txn->ports = 0;
	return txn_log(txn, HAIRPIN_CMD_FLUSH_MAPS, NULL, NULL);
}

void hairpin_txn_config(struct hairpin_txn *txn,
			const struct hairpin_settings *set)
{
	lockdep_assert_held(&txn->hn->lock);

	if (set->source >= 0)
		txn->source = set->source;
	if (set->source == HAIRPIN_SOURCE_ADDR)
		txn->source_addr = set->source_addr;
	if (set->mode >= 0)
		txn->mode = set->mode;
	if (set->max_maps >= 0)
		txn->max_maps = set->max_maps;
	if (set->max_ports >= 0)
		txn->max_ports = set->max_ports;
	if (set->udp_timeout >= 0)
		txn->udp_timeout = set->udp_timeout;
	if (set->max_bindings >= 0)
		txn->max_bindings = set->max_bindings;
	if (set->scope >= 0)
		txn->scope = set->scope;
	txn_log(txn, HAIRPIN_CMD_SET_CONFIG, NULL, NULL);
}

/* The rules as this transaction has them, copied on first change. */
static struct hairpin_masq *masq_work(struct hairpin_txn *txn)
{
	if (!txn->masq) {
		txn->masq = kzalloc(sizeof(*txn->masq), GFP_KERNEL_ACCOUNT);
		if (txn->masq && txn->masq_live)
			memcpy(txn->masq->rule, txn->masq_live->rule,
			       sizeof(txn->masq->rule));
		if (txn->masq && txn->masq_live)
			txn->masq->n = txn->masq_live->n;
	}
	return txn->masq;
}

static int log_masq(struct hairpin_txn *txn, u8 cmd,
		    const struct hairpin_masq_rule *rule)
{
	int ret = txn_log(txn, cmd, NULL, NULL);

	if (!ret)
		txn->ops[txn->n_ops - 1].masq = *rule;
	return ret;
}

int hairpin_txn_masq_add(struct hairpin_txn *txn,
			 const struct hairpin_masq_rule *rule,
			 struct netlink_ext_ack *extack)
{
	struct hairpin_masq_rule *existing;
	struct hairpin_masq *masq;
	unsigned int i;

	lockdep_assert_held(&txn->hn->lock);
	masq = masq_work(txn);
	if (!masq) {
		NL_SET_ERR_MSG(extack, "no memory for the masq rules");
		return -ENOMEM;
	}
	/* A binding's address leads to one rule (hairpin_masq_addr()). */
	for (i = 0; rule->addr && i < masq->n; i++) {
		if (masq->rule[i].addr == rule->addr &&
		    strncmp(masq->rule[i].ifname, rule->ifname, IFNAMSIZ)) {
			NL_SET_ERR_MSG(extack, "another masq rule has that address");
			return -EEXIST;
		}
	}
	/* A replacement: what a saved file restored over itself does. */
	existing = (struct hairpin_masq_rule *)hairpin_masq_rule(masq, rule->ifname);
	if (existing) {
		*existing = *rule;
		return log_masq(txn, HAIRPIN_CMD_NEW_MASQ, rule);
	}
	if (masq->n >= HAIRPIN_MASQ_MAX) {
		NL_SET_ERR_MSG(extack, "too many masq rules");
		return -ENOSPC;
	}
	masq->rule[masq->n++] = *rule;
	return log_masq(txn, HAIRPIN_CMD_NEW_MASQ, rule);
}

int hairpin_txn_masq_del(struct hairpin_txn *txn, const char *ifname,
			 struct netlink_ext_ack *extack)
{
	const struct hairpin_masq_rule *found;
	struct hairpin_masq_rule rule;
	struct hairpin_masq *masq;
	unsigned int i;

	lockdep_assert_held(&txn->hn->lock);
	masq = masq_work(txn);
	if (!masq) {
		NL_SET_ERR_MSG(extack, "no memory for the masq rules");
		return -ENOMEM;
	}
	found = hairpin_masq_rule(masq, ifname);
	if (!found) {
		NL_SET_ERR_MSG(extack, "no masq rule on that interface");
		return -ENOENT;
	}
	rule = *found;
	i = found - masq->rule;
	memmove(&masq->rule[i], &masq->rule[i + 1],
		(masq->n - i - 1) * sizeof(masq->rule[0]));
	masq->n--;
	return log_masq(txn, HAIRPIN_CMD_DEL_MASQ, &rule);
}

/* Makes the pending maps seen and takes the deleted ones out, port by port
 * in place: a packet finds the old map or the new one, never neither.
 */
static void commit_in_place(struct hairpin_txn *txn)
{
	struct hairpin_table *live = txn->live;
	struct hairpin_map *m, *tmp;
	unsigned int i, j;

	/* First: its nodes are about to be relinked into the live table. */
	hairpin_table_destroy(txn->claims);
	txn->claims = NULL;

	list_for_each_entry(m, &txn->added, list) {
		hairpin_port_set(&m->head, HAIRPIN_PORT_PENDING, false);
		for (i = 0; i < hairpin_map_ports(m); i++) {
			struct hairpin_port *p = hairpin_map_nth(m, i);
			struct hairpin_port *old;

			if (!(p->key.flags & HAIRPIN_PORT_DEFERRED))
				continue;
			rcu_read_lock();
			old = hairpin_table_find_port(live, &p->key);
			rcu_read_unlock();
			p->key.flags &= ~HAIRPIN_PORT_DEFERRED;
			if (!WARN_ON_ONCE(!old))
				hairpin_table_swap(live, old, p);
		}
	}
	for (i = 0; i < txn->n_deleted; i++) {
		m = txn->deleted[i];
		for (j = 0; j < hairpin_map_ports(m); j++) {
			struct hairpin_port *p = hairpin_map_nth(m, j);

			if (!(p->key.flags & HAIRPIN_PORT_CLAIMED))
				hairpin_table_remove(live, p);
		}
	}
	/* A replacement of a committed map takes its place, the others go
	 * last, in order. Still marked ADDED: the end tells them from the
	 * maps of before.
	 */
	for (i = 0; i < txn->n_ops; i++) {
		const struct hairpin_txn_op *op = &txn->ops[i];

		if (op->place && op->map->txn == HAIRPIN_MAP_ADDED)
			list_move(&op->map->list, &op->place->list);
	}
	for (i = 0; i < txn->n_deleted; i++)
		list_move_tail(&txn->deleted[i]->list, &txn->removed);
	list_for_each_entry_safe(m, tmp, &txn->added, list)
		list_move_tail(&m->list, &live->maps);
	live->count = txn->maps;
	live->ports = txn->ports;
}

int hairpin_txn_commit(struct hairpin_txn *txn, struct netlink_ext_ack *extack)
{
	struct hairpin_net *hn = txn->hn;
	int ret;

	lockdep_assert_held(&hn->lock);

	/* A limit lowered in the batch applies to what the batch added. */
	ret = check_limits(txn, txn->maps, txn->ports, extack);
	if (ret)
		return ret;
	/* The one step that can fail comes before anything is published.
	 * Scope all hairpins others' forwards, with or without mappings.
	 */
	if (txn->maps || txn->scope == HAIRPIN_SCOPE_ALL) {
		ret = hairpin_nat_register(hn);
		if (ret) {
			NL_SET_ERR_MSG(extack, "could not register with the NAT core");
			return ret;
		}
	}
	if (txn->maps)
		/* Packets now look up the table being replaced. */
		hairpin_race_writer(hn);
	if (txn->masq && txn->masq->n) {
		ret = hairpin_masq_register(hn);
		if (ret) {
			NL_SET_ERR_MSG(extack, "could not register with the NAT core");
			return ret;
		}
	}
	if (txn->masq) {
		struct hairpin_masq *old = txn->masq_live;

		if (txn->masq->n) {
			rcu_assign_pointer(hn->masq, txn->masq);
		} else {
			RCU_INIT_POINTER(hn->masq, NULL);
			kfree(txn->masq);
		}
		/* From here on, the rules that packets may still be reading,
		 * freed by the end.
		 */
		txn->masq = old;
		txn->masq_live = NULL;
		txn->masq_changed = true;
	}
	if (in_place(txn))
		commit_in_place(txn);
	else
		rcu_assign_pointer(hn->table, txn->work);
	WRITE_ONCE(hn->source_addr, txn->source_addr);
	/* After its address: see struct hairpin_net. */
	smp_store_release(&hn->source, txn->source);
	WRITE_ONCE(hn->mode, txn->mode);
	WRITE_ONCE(hn->scope, txn->scope);
	hn->max_maps = txn->max_maps;
	hn->max_ports = txn->max_ports;
	WRITE_ONCE(hn->udp_timeout, txn->udp_timeout);
	WRITE_ONCE(hn->max_bindings, txn->max_bindings);
	/* Odd, never zero: zero means "not tracked" to the dump check. */
	hn->seq += 2;
	txn->committed = true;
	return 0;
}

void hairpin_txn_abort(struct hairpin_txn *txn)
{
	lockdep_assert_held(&txn->hn->lock);

	if (!in_place(txn)) {
		/* Never published: freed at once, with its maps. */
		hairpin_table_destroy(txn->work);
		txn->work = txn->live;
	} else {
		undo_in_place(txn);
	}
}

/* A mirror's counts were never part of the totals (hairpin_nl_get_config). */
static void retire(struct hairpin_net *hn, struct hairpin_map *m)
{
	u64 conns, hairpinned;

	if (hairpin_map_mirror(m))
		return;
	hairpin_map_stats(m, &conns, &hairpinned);
	hn->retired_conns += conns;
	hn->retired_hairpinned += hairpinned;
}

/* Indexes the maps commit removed by port: their nodes are nobody's after
 * the grace period. NULL when there is no memory for it: the flush then
 * walks the list.
 */
static struct hairpin_table *graves_build(struct hairpin_txn *txn)
{
	struct hairpin_table *graves;
	struct hairpin_map *m;
	unsigned int i;

	graves = hairpin_table_create(txn->n_deleted);
	if (!graves)
		return NULL;
	/* Their keys are unique: they were all in the table at once. */
	list_for_each_entry(m, &txn->removed, list) {
		for (i = 0; i < hairpin_map_ports(m); i++) {
			if (hairpin_table_insert(graves, hairpin_map_nth(m, i))) {
				hairpin_table_destroy(graves);
				return NULL;
			}
		}
	}
	return graves;
}

static void free_list(struct hairpin_net *hn, struct list_head *list, bool seen)
{
	struct hairpin_map *m, *tmp;

	list_for_each_entry_safe(m, tmp, list, list) {
		if (seen)
			retire(hn, m);
		hairpin_map_free(m);
	}
}

/* The rules replaced, after a grace period; the bindings they made, or
 * that the new ones make of live connections, at once rather than at the
 * next walk.
 */
static void masq_end(struct hairpin_txn *txn)
{
	struct hairpin_net *hn = txn->hn;

	if (!txn->committed || !txn->masq_changed) {
		kfree(txn->masq);
		txn->masq = NULL;
		return;
	}
	if (txn->masq) {
		synchronize_rcu();
		kfree(txn->masq);
		txn->masq = NULL;
	}
	if (!rcu_access_pointer(hn->masq))
		hairpin_masq_unregister(hn);
	hairpin_lifetime_walk(hn);
	hairpin_lifetime_kick(hn, HAIRPIN_WALK_INTERVAL);
}

/* Whether a committed change of scope changes what the table translates:
 * what mirrors serve. Scope changes are rare, a walk of the list cheap
 * next to the conntrack table's that it may spare.
 */
static bool rescoped(const struct hairpin_txn *txn,
		     const struct hairpin_table *live)
{
	const struct hairpin_map *m;

	if (!txn->committed || txn->scope_before == txn->hn->scope)
		return false;
	list_for_each_entry(m, &live->maps, list) {
		if (hairpin_map_mirror(m))
			return true;
	}
	return false;
}

/* After commit or abort, in this order: no packet sees what was replaced
 * after a grace period; then the conntrack entries whose translation
 * changed go; then what was replaced is freed.
 */
void hairpin_txn_end(struct hairpin_txn *txn)
{
	struct hairpin_net *hn = txn->hn;
	struct hairpin_table *live, *old = NULL;
	struct hairpin_map *m;
	unsigned int i;
	bool scoped;

	lockdep_assert_held(&hn->lock);

	live = rcu_dereference_protected(hn->table, lockdep_is_held(&hn->lock));
	if (txn->committed && !in_place(txn))
		old = txn->live;
	scoped = rescoped(txn, live);
	/* Anything that was ever linked into a published table, pending or
	 * empty, may still be under a packet's lookup; a mirror, under one
	 * that read the scope of before.
	 */
	if (old || scoped || !list_empty(&txn->removed) ||
	    !list_empty(&txn->dropped))
		synchronize_rcu();

	if (txn->committed &&
	    (old || scoped || !list_empty(&txn->removed) || txn->udp_added)) {
		struct hairpin_ct_change change = {
			.net = hn->net,
			.old = old,
			.removed = &txn->removed,
			.live = live,
			/* Mirrors that begin to serve: as for new maps. */
			.udp_added = txn->udp_added ||
				     (scoped && hn->scope == HAIRPIN_SCOPE_ALL),
			.scope_before = txn->scope_before,
			.scope = hn->scope,
		};
		struct hairpin_table *graves = NULL;

		if (!old && !list_empty(&txn->removed))
			graves = graves_build(txn);
		change.graves = graves;
		hairpin_ct_flush(&change);
		/* Its list is empty: the removed maps are freed below. */
		hairpin_table_destroy(graves);
	}
	/* The maps this added are the table's like any other now. */
	for (i = 0; txn->committed && i < txn->n_ops; i++) {
		m = txn->ops[i].map;
		if (m && m->txn == HAIRPIN_MAP_ADDED)
			m->txn = HAIRPIN_MAP_IDLE;
	}
	free_list(hn, &txn->removed, true);
	free_list(hn, &txn->dropped, false);
	if (old) {
		list_for_each_entry(m, &old->maps, list)
			retire(hn, m);
		hairpin_table_destroy(old);
	}
	if (hn->nat_registered && hn->scope != HAIRPIN_SCOPE_ALL && !live->count)
		hairpin_nat_unregister(hn);
	masq_end(txn);
	kvfree(txn->ops);
	kvfree(txn->deleted);
	txn->ops = NULL;
	txn->deleted = NULL;
}
