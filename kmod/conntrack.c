// SPDX-License-Identifier: GPL-2.0
/*
 * Removing conntrack entries that a change made stale. Established flows
 * never consult the mappings again, so without this a deleted or replaced
 * mapping would live on in every flow it translated, and a new mapping would
 * not apply to a UDP flow that was already knocking at the port.
 *
 * An entry goes only when the new table would translate it differently from
 * the old one: re-applying an unchanged table, or a comment's change, leaves
 * every connection alone. A mirror translates only internal clients'
 * connections, and only with scope all: a mapping that becomes a mirror
 * loses the others', a mirror whose scope becomes own all of its. Entries
 * that a mapping did not translate (the operator's own DNAT rules', the
 * router's own connections) stay, but for untranslated UDP flows to a port
 * that is mapped now.
 */

#include <linux/inetdevice.h>
#include <linux/rcupdate.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_tuple.h>

#include "conntrack.h"
#include "nat.h"
#include "table.h"

/* The map a table gives a tuple, as in the packet path. */
static const struct hairpin_map *lookup(const struct hairpin_table *t,
					const struct nf_conntrack_tuple *orig)
{
	return hairpin_table_find(t, orig->dst.protonum, orig->dst.u3.ip,
				  orig->dst.u.all);
}

/* The same, for the removed maps, by index or one by one. */
static const struct hairpin_map *lookup_removed(const struct hairpin_ct_change *c,
						const struct nf_conntrack_tuple *orig,
						__be32 addr)
{
	u16 port = ntohs(orig->dst.u.all);
	const struct hairpin_map *m;

	if (c->graves)
		return hairpin_table_lookup(c->graves, orig->dst.protonum, addr,
					    orig->dst.u.all);
	list_for_each_entry(m, c->removed, list) {
		if (m->head.key.proto == orig->dst.protonum &&
		    m->head.key.addr == addr &&
		    hairpin_map_port(m) <= port && port <= m->port_max)
			return m;
	}
	return NULL;
}

/* What the table before the change held for one key. */
static const struct hairpin_map *lookup_before_key(const struct hairpin_ct_change *c,
						   const struct nf_conntrack_tuple *orig,
						   __be32 addr)
{
	const struct hairpin_map *m = lookup_removed(c, orig, addr);

	if (m)
		return m;
	m = hairpin_table_lookup(c->live, orig->dst.protonum, addr, orig->dst.u.all);
	return m && m->txn != HAIRPIN_MAP_ADDED ? m : NULL;
}

static const struct hairpin_map *lookup_before(const struct hairpin_ct_change *c,
					       const struct nf_conntrack_tuple *orig)
{
	if (c->old)
		return lookup(c->old, orig);
	return lookup_before_key(c, orig, orig->dst.u3.ip) ?:
	       lookup_before_key(c, orig, 0);
}

/* The packet path asks the FIB with the ingress device, which the entry no
 * longer knows: an address of any device, in any VRF, is local.
 */
static bool local_address(struct net *net, __be32 addr)
{
	return !ipv4_is_loopback(addr) && __ip_dev_find(net, addr, false);
}

/* Whether @m takes @ct's connection at all under @scope: a mirror only an
 * internal client's (the router's own among them) with scope all, as in
 * the packet path (nat.c).
 */
static bool serves(const struct hairpin_ct_change *c, const struct hairpin_map *m,
		   const struct nf_conn *ct, u8 scope)
{
	const struct nf_conntrack_tuple *orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;

	if (!m)
		return false;
	if (!hairpin_map_mirror(m))
		return true;
	return scope == HAIRPIN_SCOPE_ALL &&
	       (local_address(c->net, orig->src.u3.ip) ||
		hairpin_internal_host(c->net, orig->src.u3.ip, orig->dst.u3.ip));
}

/* Whether @m sends @ct where it goes. */
static bool translates(const struct hairpin_ct_change *c, const struct hairpin_map *m,
		       const struct nf_conn *ct, u8 scope)
{
	const struct nf_conntrack_tuple *reply = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;

	return hairpin_map_sends(m, ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.dst.u.all,
				 reply->src.u3.ip, reply->src.u.all) &&
	       serves(c, m, ct, scope);
}

/* Called under the conntrack table's locks with BH off: lookups only. */
static int stale(struct nf_conn *ct, void *data)
{
	const struct nf_conntrack_tuple *orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	const struct hairpin_ct_change *c = data;
	const struct hairpin_map *now;
	bool kill = false;

	if (nf_ct_l3num(ct) != NFPROTO_IPV4 ||
	    (orig->dst.protonum != IPPROTO_TCP && orig->dst.protonum != IPPROTO_UDP))
		return 0;
	/* The tables are RCU-protected: say so, even though we hold the lock
	 * that keeps them from changing.
	 */
	rcu_read_lock();
	now = lookup(c->live, orig);
	if (test_bit(IPS_DST_NAT_BIT, &ct->status))
		/* Ours, and sent elsewhere now, or not taken at all. Whether
		 * the address is the router's at this moment does not enter:
		 * it is the same for the table before and after. A backup
		 * router holds entries that conntrackd replicated to the
		 * address it will take over, and an unchanged file applied
		 * there must leave them be.
		 */
		kill = translates(c, lookup_before(c, orig), ct, c->scope_before) &&
		       !translates(c, now, ct, c->scope);
	else
		/* A new mapping takes a flow only where the packet path
		 * would: on an address of the router's.
		 */
		kill = c->udp_added && orig->dst.protonum == IPPROTO_UDP &&
		       local_address(c->net, orig->dst.u3.ip) &&
		       serves(c, now, ct, c->scope);
	rcu_read_unlock();
	return kill;
}

void hairpin_ct_flush(const struct hairpin_ct_change *change)
{
	struct nf_ct_iter_data d = {
		.net = change->net,
		.data = (void *)change,
	};

	nf_ct_iterate_cleanup_net(stale, &d);
}
