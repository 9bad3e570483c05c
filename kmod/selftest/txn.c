// SPDX-License-Identifier: GPL-2.0
/*
 * A randomized self-test of the table and the transactions, built only into
 * debug builds (HAIRPIN_DEBUG=y) and run at load: random batches of changes
 * go both to the engine and to a deliberately naive twin, a flat array of
 * mappings, and the two must agree on every operation's result, on what
 * packets see while a batch is under way (the table of before), and after
 * it: the table's list in order, its counts, its ports and random lookups.
 *
 * The key space is small, so that overlaps, ports deleted and taken again
 * in one batch, replaces and the limits come up all the time. It runs on
 * the initial namespace's own state, made by the module's own code, before
 * netlink exists: what commit sets off (NAT hooks, conntrack walks, grace
 * periods) happens for real, and the namespace is left as it was found.
 *
 * A failure names its seed: "insmod hairpin.ko selftest_seed=SEED" replays
 * the same operations.
 */

#include <linux/atomic.h>
#include <linux/hairpin.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/netlink.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../netns.h"
#include "../table.h"
#include "../txn.h"
#include "selftest.h"

static unsigned long long selftest_seed;
module_param(selftest_seed, ullong, 0444);
MODULE_PARM_DESC(selftest_seed, "Debug builds: the seed of the self-test, to replay one (0: a random one)");

/* Operations, at least. Each load draws a new seed, so a lane that loads
 * the module several times may run fewer per load for the same coverage.
 */
static unsigned int selftest_ops = 100000;
module_param(selftest_ops, uint, 0444);
MODULE_PARM_DESC(selftest_ops, "Debug builds: operations the self-test runs at load, at least");

/* Operations in a batch, at most: every batch but those that only add ends
 * with a grace period, which takes 20 ms under TCG. 64 rather than 32
 * halves the test's time.
 */
#define BATCH		64
#define RANGE		8	/* ports in a mapping, at most */
/* The top of the port space: its edge is tested too, and no service listens
 * there that the test's mappings could take from the initial namespace.
 */
#define PORT_MAX	65535
#define PORTS		64
#define PORT_MIN	(PORT_MAX - PORTS + 1)
#define LOOKUPS_OP	2	/* random lookups after each operation */
#define LOOKUPS		32	/* and after each batch */
#define PRINT_MAX	64	/* maps of a table a report lists */

static const u8 protos[] __initconst = { IPPROTO_TCP, IPPROTO_UDP };

/* Documentation addresses (RFC 5737): nothing in the initial namespace is
 * theirs. 0 is any local address, which a lookup tells apart from them.
 */
static const __be32 addrs[] __initconst = {
	0, cpu_to_be32(0xc0000201), cpu_to_be32(0xc0000202),
};

static const __be32 targets[] __initconst = {
	cpu_to_be32(0xc6336401), cpu_to_be32(0xc6336402),
};

/* A comment gives even a single port its map_ext. */
static const char *const comments[] __initconst = { NULL, "a", "a longer one" };

/* No two maps share a port: one map for each port of the key space. */
#define REF_MAX	(ARRAY_SIZE(protos) * ARRAY_SIZE(addrs) * PORTS)

/* A mapping as the twin knows it. */
struct ref_map {
	__be32 addr;
	__be32 to_addr;
	u16 port;
	u16 port_max;
	u16 to_port;
	u8 proto;
	u8 comment;		/* an index in comments[] */
	bool mirror;
	bool added;		/* by the batch under way, in place */
};

/* The twin: the mappings in the order the table lists them, which is the
 * order they were added in, but for replacements (ref_apply()); and the
 * settings.
 */
struct ref {
	struct ref_map maps[REF_MAX];
	unsigned int n;
	unsigned int ports;
	u32 max_maps;
	u32 max_ports;
	u8 source;
	u8 mode;
};

enum op_kind { OP_ADD, OP_DEL, OP_REPLACE, OP_FLUSH, OP_CONFIG };

/* An operation of the batch under way, kept for the report of a failure. */
struct op {
	enum op_kind kind;
	struct ref_map map;
	struct hairpin_settings set;
	int ret;
};

struct test {
	struct hairpin_net *hn;
	struct rnd_state rnd;
	u64 seed;
	struct ref before;	/* committed when the batch began */
	struct ref now;		/* committed */
	struct ref next;	/* as the batch under way stands */
	/* The last map the batch removed: new maps aim at its ports half the
	 * time, so that a port changes hands within a batch.
	 */
	struct ref_map freed;
	bool have_freed;
	bool in_place;		/* no flush in the batch so far */
	struct op log[BATCH];
	unsigned int n_log;
	bool committing;
	int end_ret;		/* of the commit */
	u32 dflt_maps;
	u32 dflt_ports;
	unsigned int seq;	/* hn->seq before the first batch */
	unsigned long ops;
	unsigned long txns;
	unsigned long commits;
	unsigned long failed;	/* ended by an error */
	unsigned long aborted;	/* aborted on purpose */
};

static __printf(2, 3) bool __init fail(struct test *t, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("selftest: seed %llu, transaction %lu, operation %lu: %pV\n",
	       t->seed, t->txns + 1, t->ops, &vaf);
	va_end(args);
	return false;
}

static u32 __init rnd(struct test *t, u32 n)
{
	return prandom_u32_state(&t->rnd) % n;
}

static unsigned int __init ref_ports(const struct ref_map *m)
{
	return m->port_max - m->port + 1;
}

/* A map's identity: what a delete names and a replace replaces. */
static bool __init same_key(const struct ref_map *a, const struct ref_map *b)
{
	return a->proto == b->proto && a->addr == b->addr &&
	       a->port == b->port && a->port_max == b->port_max;
}

static bool __init overlap(const struct ref_map *a, const struct ref_map *b)
{
	return a->proto == b->proto && a->addr == b->addr &&
	       a->port <= b->port_max && b->port <= a->port_max;
}

static int __init ref_find(const struct ref *r, const struct ref_map *m)
{
	int i;

	for (i = 0; i < r->n; i++) {
		if (same_key(&r->maps[i], m))
			return i;
	}
	return -1;
}

static bool __init ref_overlaps(const struct ref *r, const struct ref_map *m,
				int skip)
{
	int i;

	for (i = 0; i < r->n; i++) {
		if (i != skip && overlap(&r->maps[i], m))
			return true;
	}
	return false;
}

static void __init ref_remove(struct test *t, struct ref *r, unsigned int i)
{
	t->freed = r->maps[i];
	t->have_freed = true;
	r->ports -= ref_ports(&r->maps[i]);
	r->n--;
	memmove(&r->maps[i], &r->maps[i + 1], (r->n - i) * sizeof(r->maps[0]));
}

/* Moves the last map to @i, the others after it one down. */
static void __init ref_move_last(struct ref *r, unsigned int i)
{
	struct ref_map m = r->maps[r->n - 1];

	memmove(&r->maps[i + 1], &r->maps[i], (r->n - 1 - i) * sizeof(r->maps[0]));
	r->maps[i] = m;
}

/* The limits first, then the ports, in the engine's order: a map both too
 * many and overlapping gets the engine's error.
 */
static int __init ref_add(struct test *t, struct ref *r, const struct ref_map *m)
{
	if (r->n + 1 > r->max_maps || r->ports + ref_ports(m) > r->max_ports)
		return -ENOSPC;
	if (ref_overlaps(r, m, -1))
		return -EEXIST;
	r->maps[r->n] = *m;
	r->maps[r->n++].added = t->in_place;
	r->ports += ref_ports(m);
	return 0;
}

static int __init ref_apply(struct test *t, const struct op *op)
{
	struct ref *r = &t->next;
	const struct hairpin_settings *set = &op->set;
	int i, ret;

	switch (op->kind) {
	case OP_ADD:
		return ref_add(t, r, &op->map);
	case OP_DEL:
		i = ref_find(r, &op->map);
		if (i < 0)
			return -ENOENT;
		ref_remove(t, r, i);
		return 0;
	case OP_REPLACE:
		/* The map of the same ports goes, if any, then the new one
		 * is added like any other, and takes the old one's place in
		 * the list.
		 */
		i = ref_find(r, &op->map);
		if (i >= 0)
			ref_remove(t, r, i);
		ret = ref_add(t, r, &op->map);
		if (!ret && i >= 0)
			ref_move_last(r, i);
		return ret;
	case OP_FLUSH:
		t->in_place = false;
		r->n = 0;
		r->ports = 0;
		return 0;
	case OP_CONFIG:
		if (set->source >= 0)
			r->source = set->source;
		if (set->mode >= 0)
			r->mode = set->mode;
		if (set->max_maps >= 0)
			r->max_maps = set->max_maps;
		if (set->max_ports >= 0)
			r->max_ports = set->max_ports;
		return 0;
	}
	return -EINVAL;
}

/* A limit lowered in the batch counts at commit. */
static int __init ref_commit(const struct ref *r)
{
	return r->n > r->max_maps || r->ports > r->max_ports ? -ENOSPC : 0;
}

/* What a packet to exactly this key finds: a map naming the address, or for
 * 0 one for any local address; which of the two wins is the caller's.
 */
static const struct ref_map *__init ref_lookup(const struct ref *r, u8 proto,
					       __be32 addr, u16 port)
{
	unsigned int i;

	for (i = 0; i < r->n; i++) {
		const struct ref_map *m = &r->maps[i];

		if (m->proto == proto && m->addr == addr &&
		    m->port <= port && port <= m->port_max)
			return m;
	}
	return NULL;
}

static bool __init same_map(const struct hairpin_map *m, const struct ref_map *r)
{
	const char *comment = hairpin_map_comment(m);

	return m->head.key.proto == r->proto && m->head.key.addr == r->addr &&
	       hairpin_map_port(m) == r->port && m->port_max == r->port_max &&
	       m->to_addr == r->to_addr && m->to_port == r->to_port &&
	       hairpin_map_mirror(m) == r->mirror &&
	       !strcmp(comment ?: "", comments[r->comment] ?: "");
}

static const char *__init proto_name(u8 proto)
{
	return proto == IPPROTO_TCP ? "tcp" : "udp";
}

static void __init print_ref_map(const char *what, const struct ref_map *m)
{
	pr_err("selftest:   %s%s %pI4:%u-%u to %pI4:%u%s%s%s\n", what,
	       proto_name(m->proto), &m->addr, m->port, m->port_max,
	       &m->to_addr, m->to_port, m->comment ? " comment " : "",
	       comments[m->comment] ?: "", m->mirror ? " mirror" : "");
}

static void __init print_map(const char *what, const struct hairpin_map *m)
{
	const char *comment = hairpin_map_comment(m);

	pr_err("selftest:   %s%s %pI4:%u-%u to %pI4:%u%s%s%s\n", what,
	       proto_name(m->head.key.proto), &m->head.key.addr,
	       hairpin_map_port(m), m->port_max, &m->to_addr, m->to_port,
	       comment ? " comment " : "", comment ?: "",
	       hairpin_map_mirror(m) ? " mirror" : "");
}

/* What the batch that failed started from and did: enough to write it as
 * a test case, or to replay it with the seed.
 */
static void __init report(const struct test *t)
{
	const struct ref *r = &t->before;
	unsigned int i;

	pr_err("selftest: the table before the batch: %u maps, %u ports, limits %u/%u\n",
	       r->n, r->ports, r->max_maps, r->max_ports);
	for (i = 0; i < r->n && i < PRINT_MAX; i++)
		print_ref_map("", &r->maps[i]);
	pr_err("selftest: the batch:\n");
	for (i = 0; i < t->n_log; i++) {
		const struct op *op = &t->log[i];
		const struct hairpin_settings *s = &op->set;

		switch (op->kind) {
		case OP_ADD:
			print_ref_map("add ", &op->map);
			break;
		case OP_DEL:
			print_ref_map("del ", &op->map);
			break;
		case OP_REPLACE:
			print_ref_map("replace ", &op->map);
			break;
		case OP_FLUSH:
			pr_err("selftest:   flush\n");
			break;
		case OP_CONFIG:
			pr_err("selftest:   config source %d mode %d max_maps %lld max_ports %lld\n",
			       s->source, s->mode, s->max_maps, s->max_ports);
			break;
		}
		pr_err("selftest:     = %d\n", op->ret);
	}
	if (t->committing)
		pr_err("selftest:   commit = %d\n", t->end_ret);
	else
		pr_err("selftest:   abort\n");
}

/* A key in the key space, or just below it, where nothing is ever mapped. */
static bool __init lookup_agrees(struct test *t,
				 const struct hairpin_table *table,
				 const struct ref *r)
{
	u8 proto = protos[rnd(t, ARRAY_SIZE(protos))];
	__be32 addr = addrs[rnd(t, ARRAY_SIZE(addrs))];
	u16 port = PORT_MIN - 1 + rnd(t, PORTS + 1);
	const struct ref_map *want = ref_lookup(r, proto, addr, port);
	const struct hairpin_map *m;
	bool ok;

	rcu_read_lock();
	m = hairpin_table_lookup(table, proto, addr, htons(port));
	ok = m ? want && same_map(m, want) : !want;
	if (!ok) {
		fail(t, "lookup of %s %pI4:%u disagrees", proto_name(proto),
		     &addr, port);
		if (m)
			print_map("table: ", m);
		if (want)
			print_ref_map("twin: ", want);
	}
	rcu_read_unlock();
	return ok;
}

/* What packets see: the settings, and lookups of the published table. */
static bool __init check_seen(struct test *t, const struct ref *r,
			      unsigned int lookups)
{
	struct hairpin_net *hn = t->hn;
	const struct hairpin_table *table;
	unsigned int i;

	if (hn->source != r->source || hn->mode != r->mode ||
	    hn->max_maps != r->max_maps || hn->max_ports != r->max_ports)
		return fail(t, "settings %u %u %u/%u, the twin's %u %u %u/%u",
			    hn->source, hn->mode, hn->max_maps, hn->max_ports,
			    r->source, r->mode, r->max_maps, r->max_ports);
	table = rcu_dereference_protected(hn->table, lockdep_is_held(&hn->lock));
	for (i = 0; i < lookups; i++) {
		if (!lookup_agrees(t, table, r))
			return false;
	}
	return true;
}

/* Each port of a committed map: found by its key, leading back to its map,
 * and with none of a transaction's marks left on it.
 */
static bool __init port_ok(const struct hairpin_table *table,
			   struct hairpin_map *m, const struct ref_map *r,
			   unsigned int i)
{
	struct hairpin_port *p = hairpin_map_nth(m, i);
	u8 flags;
	bool ok;

	if (i)
		flags = HAIRPIN_PORT_MORE;
	else
		flags = (ref_ports(r) > 1 || r->comment ? HAIRPIN_PORT_EXT : 0) |
			(r->mirror ? HAIRPIN_PORT_MIRROR : 0);
	rcu_read_lock();
	ok = p->key.flags == flags && p->key.proto == r->proto &&
	     p->key.addr == r->addr && ntohs(p->key.port) == r->port + i &&
	     hairpin_table_find_port(table, &p->key) == p &&
	     hairpin_port_map(p) == m;
	rcu_read_unlock();
	return ok;
}

/* After the end of a batch: the table is the twin's, exactly. */
static bool __init check_table(struct test *t)
{
	const struct ref *r = &t->now;
	struct hairpin_net *hn = t->hn;
	struct hairpin_table *table;
	struct hairpin_map *m;
	unsigned int i = 0, j;

	table = rcu_dereference_protected(hn->table, lockdep_is_held(&hn->lock));
	list_for_each_entry(m, &table->maps, list) {
		if (i == r->n) {
			fail(t, "the table lists more than the twin's %u maps", r->n);
			print_map("extra: ", m);
			return false;
		}
		if (!same_map(m, &r->maps[i])) {
			fail(t, "map %u of the list differs", i);
			print_map("table: ", m);
			print_ref_map("twin: ", &r->maps[i]);
			return false;
		}
		if (m->txn != HAIRPIN_MAP_IDLE)
			return fail(t, "map %u still has the mark %u", i, m->txn);
		for (j = 0; j < hairpin_map_ports(m); j++) {
			if (!port_ok(table, m, &r->maps[i], j)) {
				fail(t, "port %u of map %u: flags %#x, or not found",
				     j, i, hairpin_map_nth(m, j)->key.flags);
				print_map("", m);
				return false;
			}
		}
		i++;
	}
	if (i != r->n)
		return fail(t, "the table lists %u maps, the twin %u", i, r->n);
	if (table->count != r->n || table->ports != r->ports)
		return fail(t, "the table counts %u maps and %u ports, the twin %u and %u",
			    table->count, table->ports, r->n, r->ports);
	/* A port left behind by a map that is gone shows only here. */
	if (atomic_read(&table->ht.nelems) != r->ports)
		return fail(t, "the hash table holds %d ports, the twin %u",
			    atomic_read(&table->ht.nelems), r->ports);
	if (hn->nat_registered != !!r->n)
		return fail(t, "NAT hooks %sregistered with %u maps",
			    hn->nat_registered ? "" : "not ", r->n);
	if (hn->seq != (unsigned int)(t->seq + 2 * t->commits))
		return fail(t, "seq %u after %lu commits from %u", hn->seq,
			    t->commits, t->seq);
	return check_seen(t, r, LOOKUPS);
}

static void __init random_map(struct test *t, struct ref_map *m)
{
	unsigned int len = rnd(t, 2) ? 1 : 1 + rnd(t, RANGE);
	int port;

	if (t->have_freed && !rnd(t, 8)) {
		/* Its very ports. */
		*m = t->freed;
	} else if (t->have_freed && rnd(t, 2)) {
		/* Some of them, or some more. */
		m->proto = t->freed.proto;
		m->addr = t->freed.addr;
		port = t->freed.port + (int)rnd(t, 5) - 2;
		m->port = clamp(port, PORT_MIN, PORT_MAX);
		m->port_max = min_t(unsigned int, m->port + len - 1, PORT_MAX);
	} else {
		m->proto = protos[rnd(t, ARRAY_SIZE(protos))];
		m->addr = addrs[rnd(t, ARRAY_SIZE(addrs))];
		m->port = PORT_MIN + rnd(t, PORTS);
		m->port_max = min_t(unsigned int, m->port + len - 1, PORT_MAX);
	}
	m->to_addr = targets[rnd(t, ARRAY_SIZE(targets))];
	m->to_port = 1 + rnd(t, 65536 - RANGE);
	m->comment = rnd(t, 4) ? 0 : 1 + rnd(t, ARRAY_SIZE(comments) - 1);
	m->mirror = !rnd(t, 4);
}

/* Whether @m fits the batch as it stands, in place of the map @skip. */
static bool __init fits(const struct ref *r, const struct ref_map *m, int skip)
{
	unsigned int n = r->n + 1, ports = r->ports + ref_ports(m);

	if (skip >= 0) {
		n--;
		ports -= ref_ports(&r->maps[skip]);
	}
	return n <= r->max_maps && ports <= r->max_ports &&
	       !ref_overlaps(r, m, skip);
}

/* A new map that fits, for a replace in place of the one of its ports. */
static bool __init random_new_map(struct test *t, struct ref_map *m,
				  bool replace)
{
	unsigned int tries = 8;

	do {
		random_map(t, m);
		if (fits(&t->next, m, replace ? ref_find(&t->next, m) : -1))
			return true;
	} while (--tries);
	return false;
}

/* A map of the batch, committed or added by it. */
static void __init random_old_map(struct test *t, struct ref_map *m)
{
	*m = t->next.maps[rnd(t, t->next.n)];
}

/* Limits near what the table holds: the next adds reach them, or the
 * commit finds them exceeded already.
 */
static void __init random_config(struct test *t, struct hairpin_settings *set)
{
	const struct ref *r = &t->next;

	set->source = rnd(t, 2) ? rnd(t, __HAIRPIN_SOURCE_MAX) : -1;
	set->mode = rnd(t, 2) ? rnd(t, __HAIRPIN_MODE_MAX) : -1;
	set->max_maps = -1;
	set->max_ports = -1;
	/* Masq's settings are not the engine's: left alone. */
	set->udp_timeout = -1;
	set->max_bindings = -1;
	set->scope = -1;
	switch (rnd(t, 4)) {
	case 0:
		set->max_maps = max_t(int, 0, r->n + rnd(t, 8) - 2);
		break;
	case 1:
		set->max_ports = max_t(int, 0, r->ports + rnd(t, 16) - 4);
		break;
	case 2:
		set->max_maps = t->dflt_maps;
		set->max_ports = t->dflt_ports;
		break;
	}
}

/* An operation that most likely fails: an overlap, a delete of nothing, one
 * map too many.
 */
static void __init random_bad_op(struct test *t, struct op *op)
{
	u32 r = rnd(t, 4);

	op->kind = r < 2 ? OP_ADD : r < 3 ? OP_DEL : OP_REPLACE;
	random_map(t, &op->map);
}

/* An operation that succeeds, unless a limit lowered in the batch leaves
 * no room.
 */
static void __init random_good_op(struct test *t, struct op *op, bool flush)
{
	u32 r = rnd(t, 100);

	if (flush || r < 2) {
		op->kind = OP_FLUSH;
		return;
	}
	if (r < 5) {
		op->kind = OP_CONFIG;
		random_config(t, &op->set);
		return;
	}
	if (r >= 47 && r < 69 && t->next.n) {
		op->kind = OP_DEL;
		random_old_map(t, &op->map);
		return;
	}
	if (r >= 69 && t->next.n && rnd(t, 2)) {
		/* New targets for the same ports, or the same ones, of a
		 * mirror now or no longer.
		 */
		op->kind = OP_REPLACE;
		random_old_map(t, &op->map);
		if (rnd(t, 4)) {
			op->map.to_addr = targets[rnd(t, ARRAY_SIZE(targets))];
			op->map.to_port = 1 + rnd(t, 65536 - RANGE);
			op->map.comment = rnd(t, ARRAY_SIZE(comments));
		}
		op->map.mirror = rnd(t, 2);
		return;
	}
	op->kind = r >= 69 ? OP_REPLACE : OP_ADD;
	if (random_new_map(t, &op->map, op->kind == OP_REPLACE))
		return;
	/* No room: make some. */
	if (t->next.n) {
		op->kind = OP_DEL;
		random_old_map(t, &op->map);
	} else {
		op->kind = OP_CONFIG;
		op->set.source = -1;
		op->set.mode = -1;
		op->set.max_maps = t->dflt_maps;
		op->set.max_ports = t->dflt_ports;
		op->set.udp_timeout = -1;
		op->set.max_bindings = -1;
		op->set.scope = -1;
	}
}

static int __init engine_apply(struct hairpin_txn *txn, const struct op *op,
			       struct netlink_ext_ack *extack)
{
	struct hairpin_map_spec spec = {
		.proto = op->map.proto,
		.addr = op->map.addr,
		.port = op->map.port,
		.port_max = op->map.port_max,
		.to_addr = op->map.to_addr,
		.to_port = op->map.to_port,
		.comment = comments[op->map.comment],
		.flags = op->map.mirror ? HAIRPIN_MAP_F_MIRROR : 0,
	};
	struct hairpin_map *m;

	switch (op->kind) {
	case OP_ADD:
	case OP_REPLACE:
		m = hairpin_map_create(&spec);
		if (!m)
			return -ENOMEM;
		if (op->kind == OP_ADD)
			return hairpin_txn_add(txn, m, extack);
		return hairpin_txn_replace(txn, m, extack);
	case OP_DEL:
		return hairpin_txn_del(txn, &spec, extack);
	case OP_FLUSH:
		return hairpin_txn_flush(txn, extack);
	case OP_CONFIG:
		hairpin_txn_config(txn, &op->set);
		return 0;
	}
	return -EINVAL;
}

/* One operation to both; packets must still see the table of before. */
static bool __init step(struct test *t, struct hairpin_txn *txn, struct op *op)
{
	struct netlink_ext_ack extack = {};
	int want;

	op->ret = engine_apply(txn, op, &extack);
	want = ref_apply(t, op);
	t->ops++;
	if (op->ret != want)
		return fail(t, "the engine returned %d, the twin %d", op->ret, want);
	if (op->ret && !extack._msg)
		return fail(t, "error %d without a message", op->ret);
	return check_seen(t, &t->now, LOOKUPS_OP);
}

/* A batch, as netlink runs one: the first error ends it, and it is aborted
 * then, or on purpose once in a while, or committed. One in five has an
 * operation meant to fail; the others fail on a lowered limit only.
 */
static bool __init batch(struct test *t)
{
	struct hairpin_net *hn = t->hn;
	unsigned int i, n = 1 + rnd(t, BATCH);
	unsigned int bad = rnd(t, 5) ? n : rnd(t, n);
	bool flush = !rnd(t, 8), abort = !rnd(t, 10);
	struct netlink_ext_ack extack = {};
	struct hairpin_txn txn;
	bool ok = true;
	int ret = 0;

	t->before = t->now;
	t->next = t->now;
	t->have_freed = false;
	t->in_place = true;
	for (i = 0; i < t->next.n; i++)
		t->next.maps[i].added = false;
	t->n_log = 0;
	t->committing = false;
	mutex_lock(&hn->lock);
	ret = hairpin_txn_begin(&txn, hn, n);
	if (ret) {
		mutex_unlock(&hn->lock);
		return fail(t, "begin: %d", ret);
	}
	for (i = 0; i < n; i++) {
		struct op *op = &t->log[t->n_log++];

		memset(op, 0, sizeof(*op));
		if (i == bad)
			random_bad_op(t, op);
		else
			random_good_op(t, op, flush && !i);
		ok = step(t, &txn, op);
		ret = op->ret;
		if (!ok || ret)
			break;
	}
	if (ok && !ret && !abort) {
		int want = ref_commit(&t->next);

		t->committing = true;
		t->end_ret = hairpin_txn_commit(&txn, &extack);
		ret = t->end_ret;
		if (ret != want)
			ok = fail(t, "commit returned %d, the twin %d", ret, want);
		else if (ret && !extack._msg)
			ok = fail(t, "commit: error %d without a message", ret);
	}
	if (!ok || ret || abort) {
		hairpin_txn_abort(&txn);
		if (ret)
			t->failed++;
		else
			t->aborted++;
	} else {
		t->now = t->next;
		t->commits++;
	}
	/* Before the end: it only frees what nobody can see any more. */
	if (ok)
		ok = check_seen(t, &t->now, LOOKUPS_OP);
	hairpin_txn_end(&txn);
	if (ok)
		ok = check_table(t);
	mutex_unlock(&hn->lock);
	if (!ok)
		report(t);
	t->txns++;
	return ok;
}

/* Leaves the namespace as the test found it: empty, unhooked, with its
 * settings, and its totals at zero.
 */
static bool __init reset(struct test *t, const struct hairpin_settings *set)
{
	struct hairpin_net *hn = t->hn;
	struct hairpin_table *table;
	struct hairpin_txn txn;
	int ret;

	mutex_lock(&hn->lock);
	ret = hairpin_txn_begin(&txn, hn, 2);
	if (!ret) {
		ret = hairpin_txn_flush(&txn, NULL);
		hairpin_txn_config(&txn, set);
		if (!ret)
			ret = hairpin_txn_commit(&txn, NULL);
		if (ret)
			hairpin_txn_abort(&txn);
		hairpin_txn_end(&txn);
	}
	hn->retired_conns = 0;
	hn->retired_hairpinned = 0;
	table = rcu_dereference_protected(hn->table, lockdep_is_held(&hn->lock));
	if (!ret && (table->count || hn->nat_registered))
		ret = -EBUSY;
	mutex_unlock(&hn->lock);
	if (ret)
		pr_err("selftest: could not empty the namespace: %d\n", ret);
	return !ret;
}

bool __init hairpin_txn_selftest(void)
{
	struct hairpin_settings set;
	ktime_t start = ktime_get();
	struct hairpin_net *hn;
	struct test *t;
	bool ok = true;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return false;
	hn = hairpin_net(&init_net);
	t->hn = hn;
	t->seed = selftest_seed ?: get_random_u64();
	prandom_seed_state(&t->rnd, t->seed);
	pr_info("selftest: seed %llu\n", t->seed);
	hairpin_net_default_limits(&init_net, &t->dflt_maps, &t->dflt_ports);

	mutex_lock(&hn->lock);
	t->now.source = hn->source;
	t->now.mode = hn->mode;
	t->now.max_maps = hn->max_maps;
	t->now.max_ports = hn->max_ports;
	t->seq = hn->seq;
	if (rcu_dereference_protected(hn->table, lockdep_is_held(&hn->lock))->count)
		ok = fail(t, "the initial namespace has mappings already");
	mutex_unlock(&hn->lock);
	set.source = t->now.source;
	set.mode = t->now.mode;
	set.max_maps = t->now.max_maps;
	set.max_ports = t->now.max_ports;
	set.udp_timeout = -1;
	set.max_bindings = -1;
	set.scope = -1;

	while (ok && t->ops < selftest_ops) {
		ok = batch(t);
		/* A minute of work in insmod: let the rest of the system in. */
		cond_resched();
	}
	ok = reset(t, &set) && ok;
	pr_debug("selftest: %lu committed, %lu failed, %lu aborted, in %lld ms\n",
		 t->commits, t->failed, t->aborted,
		 ktime_ms_delta(ktime_get(), start));
	if (ok)
		pr_info("selftest: %lu operations in %lu transactions: pass\n",
			t->ops, t->txns);
	kfree(t);
	return ok;
}
