// SPDX-License-Identifier: GPL-2.0
/*
 * Masquerade through bindings (RFC 4787 for UDP, RFC 5382 for TCP), from
 * the NAT core's lookup list as nat.c's decisions are:
 *
 *  POST_ROUTING, before the operator's masquerade: a new connection leaving
 *    by a masq rule's interface leaves from its internal endpoint's binding,
 *    made on the spot if it has none; one that an internal host sent to a
 *    binding of the router (hairpin) leaves from the sender's own binding.
 *  PRE_ROUTING, after the mappings: a new connection to a bound external
 *    endpoint goes to the binding's internal one if the filter lets it in,
 *    and is dropped without a trace if not. An internal host that sends to
 *    an unbound port of a masq address gets its own binding there.
 *
 * A conntrack entry carries the binding in its tuples (internal endpoint in
 * one, external in the other), and nothing else: lifetime.c rebuilds the
 * bindings from the entries, as a backup router must.
 */

#include <linux/inetdevice.h>
#include <linux/netfilter_ipv4.h>
#include <linux/random.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_zones.h>
#include <net/netfilter/nf_nat.h>

#include "binding.h"
#include "masq.h"
#include "netns.h"
#include "table.h"

/* Random ports a new binding tries when its internal port is taken. */
#define PORT_TRIES 64

const struct hairpin_masq_rule *hairpin_masq_rule(const struct hairpin_masq *masq,
						  const char *ifname)
{
	unsigned int i;

	for (i = 0; masq && i < masq->n; i++)
		if (!strncmp(masq->rule[i].ifname, ifname, IFNAMSIZ))
			return &masq->rule[i];
	return NULL;
}

/* By name, as nftables' oifname: a PPPoE link keeps its rule on redial. */
const struct hairpin_masq_rule *hairpin_masq_dev(const struct hairpin_net *hn,
						 const struct net_device *dev)
{
	return dev ? hairpin_masq_rule(rcu_dereference(hn->masq), dev->name) : NULL;
}

/* The rule a binding on @addr belongs to, under RCU: the one that names
 * @addr, local or not, so that what was source-NATed to it outlives its
 * absence (a virtual address on the other router); else the rule of the
 * device that has @addr.
 */
const struct hairpin_masq_rule *hairpin_masq_addr(const struct hairpin_net *hn,
						  __be32 addr)
{
	const struct hairpin_masq *masq = rcu_dereference(hn->masq);
	unsigned int i;

	for (i = 0; addr && masq && i < masq->n; i++)
		if (masq->rule[i].addr == addr)
			return &masq->rule[i];
	return hairpin_masq_dev(hn, __ip_dev_find(hn->net, addr, false));
}

struct count {
	struct hairpin_net *hn;
	const char *ifname;
	unsigned int n;
};

static int count_binding(struct hairpin_binding *bd, void *data)
{
	struct count *c = data;
	const struct hairpin_masq_rule *rule = hairpin_masq_addr(c->hn, bd->ext.addr);

	if (rule && !READ_ONCE(bd->dead) && !strncmp(rule->ifname, c->ifname, IFNAMSIZ))
		c->n++;
	return 0;
}

/* The bindings through @ifname's rule, for people: a walk. */
unsigned int hairpin_masq_bindings(struct hairpin_net *hn, const char *ifname)
{
	struct count c = { .hn = hn, .ifname = ifname };

	hairpin_bindings_walk(&hn->bindings, count_binding, &c);
	return c.n;
}

/* The external port of a static mapping is never a binding's. */
static bool mapped_port(const struct hairpin_net *hn, u8 proto, __be32 addr,
			__be16 port)
{
	return hairpin_table_find(rcu_dereference(hn->table), proto, addr, port);
}

/* The simultaneous punch: a peer's packet that arrived before our host's
 * own left made an unreplied entry to the router itself, which holds the
 * external endpoint we want. It has nothing to keep: it goes.
 */
static bool evict(struct net *net, const struct nf_conn *ct,
		  const struct nf_conntrack_tuple *reply)
{
	struct nf_conntrack_tuple_hash *h;
	struct nf_conn *other;
	bool gone = false;

	h = nf_conntrack_find_get(net, nf_ct_zone(ct), reply);
	if (!h)
		return false;
	other = nf_ct_tuplehash_to_ctrack(h);
	if (NF_CT_DIRECTION(h) == IP_CT_DIR_ORIGINAL &&
	    !test_bit(IPS_SEEN_REPLY_BIT, &other->status) &&
	    !(other->status & IPS_NAT_MASK))
		gone = nf_ct_delete(other, 0, 0);
	nf_ct_put(other);
	return gone;
}

/* Whether @ct can leave from @port of @ext, taking it from an early
 * punch if need be.
 */
static bool port_free(struct net *net, const struct nf_conn *ct,
		      const struct hairpin_bkey *ext)
{
	struct nf_conntrack_tuple reply = ct->tuplehash[IP_CT_DIR_REPLY].tuple;

	reply.dst.u3.ip = ext->addr;
	reply.dst.u.all = ext->port;
	return !nf_conntrack_tuple_taken(&reply, ct) || evict(net, ct, &reply);
}

/* A new binding for @in on @addr, under @rule's filter (independent
 * without one): its own port if it can (RFC 4787 REQ-1), else a random
 * one of the same class (REQ-3a: below 1024 stays below).
 */
static struct hairpin_binding *bind(struct hairpin_net *hn, struct nf_conn *ct,
				    const struct hairpin_bkey *in, __be32 addr,
				    const struct hairpin_masq_rule *rule)
{
	u8 filter = rule ? rule->filter : HAIRPIN_FILTER_INDEPENDENT;
	bool named = rule && rule->addr && rule->addr == addr;
	struct hairpin_bkey ext = { .addr = addr, .proto = in->proto };
	u16 first = ntohs(in->port), lo = 1024, span = 65535 - 1024 + 1;
	struct hairpin_binding *bd;
	unsigned int i;

	if (first < 1024) {
		lo = 1;
		span = 1023;
	}
	for (i = 0; i < PORT_TRIES; i++) {
		u16 port = first;

		if (i || !first)
			port = lo + reciprocal_scale(get_random_u32(), span);
		ext.port = htons(port);
		if (mapped_port(hn, ext.proto, addr, ext.port) ||
		    hairpin_binding_by_ext(&hn->bindings, &ext) ||
		    !port_free(hn->net, ct, &ext))
			continue;
		bd = hairpin_binding_add(&hn->bindings, in, &ext, filter, named,
					 READ_ONCE(hn->max_bindings), GFP_ATOMIC);
		if (bd)
			return bd;
		/* Full, or a packet on another CPU bound @in first. */
		bd = hairpin_binding_find(&hn->bindings, in, addr);
		if (bd || atomic_read(&hn->bindings.count) >= READ_ONCE(hn->max_bindings))
			return bd;
	}
	return NULL;
}

/* @in's live binding on @addr, or a new one. One on another address (a
 * redial) is of no use here, and goes with its address.
 */
static struct hairpin_binding *binding_for(struct hairpin_net *hn,
					   struct nf_conn *ct,
					   const struct hairpin_bkey *in, __be32 addr,
					   const struct hairpin_masq_rule *rule)
{
	struct hairpin_binding *bd = hairpin_binding_find(&hn->bindings, in, addr);

	if (!bd)
		return bind(hn, ct, in, addr, rule);
	/* An early punch may hold it (see evict()). */
	if (READ_ONCE(bd->dead) || !port_free(hn->net, ct, &bd->ext))
		return NULL;
	return bd;
}

static unsigned int snat_to(struct nf_conn *ct, __be32 addr,
			    const struct hairpin_binding *bd)
{
	struct nf_nat_range2 range = {
		.flags = NF_NAT_RANGE_MAP_IPS,
		.min_addr.ip = addr,
		.max_addr.ip = addr,
	};

	/* Without a binding (none to be had): as plain masquerade. */
	if (bd) {
		range.flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
		range.min_proto.all = bd->ext.port;
		range.max_proto.all = bd->ext.port;
	}
	return nf_nat_setup_info(ct, &range, NF_NAT_MANIP_SRC);
}

static void used(struct hairpin_binding *bd, __be32 addr, __be16 port)
{
	if (bd->filter != HAIRPIN_FILTER_INDEPENDENT)
		hairpin_binding_add_peer(bd, addr, port);
	/* Once a jiffy at most: a flood of connections from one endpoint
	 * would otherwise bounce the line between CPUs.
	 */
	if (time_after32((u32)jiffies, READ_ONCE(bd->used)))
		WRITE_ONCE(bd->used, (u32)jiffies);
}

/* The internal endpoint of a connection from inside: its source. */
static struct hairpin_bkey src_key(const struct nf_conntrack_tuple *orig)
{
	struct hairpin_bkey in = {
		.addr = orig->src.u3.ip,
		.port = orig->src.u.all,
		.proto = orig->dst.protonum,
	};

	return in;
}

/* An internal host reached a binding of the router: it is seen from its
 * own binding (RFC 4787 REQ-9a), on the address it connected to.
 */
static unsigned int snat_hairpin(struct hairpin_net *hn, struct nf_conn *ct)
{
	const struct nf_conntrack_tuple *orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	const struct hairpin_masq_rule *rule;
	struct hairpin_bkey in = src_key(orig);
	struct hairpin_binding *bd;

	rule = hairpin_masq_addr(hn, orig->dst.u3.ip);
	bd = binding_for(hn, ct, &in, orig->dst.u3.ip, rule);
	if (bd)
		used(bd, orig->dst.u3.ip, orig->dst.u.all);
	return snat_to(ct, orig->dst.u3.ip, bd);
}

static unsigned int hairpin_masq_out(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	const struct nf_conntrack_tuple *orig;
	const struct hairpin_masq_rule *rule;
	struct hairpin_net *hn = priv;
	enum ip_conntrack_info ctinfo;
	struct hairpin_binding *bd;
	struct hairpin_bkey in;
	struct nf_conn *ct;
	__be32 addr;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || ctinfo != IP_CT_NEW || nf_ct_is_confirmed(ct))
		return NF_ACCEPT;
	orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	if (orig->dst.protonum != IPPROTO_TCP && orig->dst.protonum != IPPROTO_UDP)
		return NF_ACCEPT;
	if (this_cpu_read(hn->pcpu->bound) == ct) {
		this_cpu_write(hn->pcpu->bound, NULL);
		return snat_hairpin(hn, ct);
	}
	/* Another's DNAT, or the router's own connection: not ours. */
	if (ct->status & IPS_DST_NAT || !orig->src.u3.ip ||
	    __ip_dev_find(state->net, orig->src.u3.ip, false))
		return NF_ACCEPT;
	rule = hairpin_masq_dev(hn, state->out);
	if (!rule)
		return NF_ACCEPT;

	/* The rule's own address while the router has it; else, and for a
	 * rule without one, the address masquerade would choose.
	 */
	addr = rule->addr;
	if (!addr || !__ip_dev_find(state->net, addr, false))
		addr = inet_select_addr(state->out,
					rt_nexthop(skb_rtable(skb), ip_hdr(skb)->daddr),
					RT_SCOPE_UNIVERSE);
	if (!addr)
		return NF_DROP;
	in = src_key(orig);
	bd = binding_for(hn, ct, &in, addr, rule);
	if (bd)
		used(bd, orig->dst.u3.ip, orig->dst.u.all);
	return snat_to(ct, addr, bd);
}

/* An internal host sent to a port of a masq address that no binding has:
 * a peer behind this router that has not sent yet, or the router's own
 * service. The sender gets its binding now, as if the packet had left, so
 * that the peer, once it sends back, is hairpinned to it: two hosts that
 * know only each other's public endpoint meet even with nothing outside
 * to talk to first. A binding it has stays as it is.
 */
static void bind_sender(struct hairpin_net *hn, struct nf_conn *ct,
			const struct hairpin_masq_rule *rule)
{
	const struct nf_conntrack_tuple *orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	struct hairpin_bkey in = src_key(orig);
	struct hairpin_binding *bd;

	bd = hairpin_binding_find(&hn->bindings, &in, orig->dst.u3.ip);
	if (!bd)
		bd = bind(hn, ct, &in, orig->dst.u3.ip, rule);
	if (bd && !READ_ONCE(bd->dead))
		used(bd, orig->dst.u3.ip, orig->dst.u.all);
}

/* From inside: not by an interface we masquerade on. */
static bool inside(const struct hairpin_net *hn, const struct nf_hook_state *state)
{
	return state->in && !hairpin_masq_dev(hn, state->in);
}

static unsigned int hairpin_masq_in(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	const struct nf_conntrack_tuple *orig;
	const struct hairpin_masq_rule *rule;
	struct hairpin_net *hn = priv;
	struct nf_nat_range2 range = {};
	enum ip_conntrack_info ctinfo;
	struct hairpin_binding *bd, *from;
	struct hairpin_bkey ext;
	__be32 peer_addr;
	__be16 peer_port;
	struct nf_conn *ct;
	bool hairpin;
	unsigned int ret;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || ctinfo != IP_CT_NEW || nf_ct_is_confirmed(ct))
		return NF_ACCEPT;
	orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	if (orig->dst.protonum != IPPROTO_TCP && orig->dst.protonum != IPPROTO_UDP)
		return NF_ACCEPT;
	/* Bindings are on masq rules' addresses only: most connections,
	 * all outbound ones, need look no further.
	 */
	rule = hairpin_masq_addr(hn, orig->dst.u3.ip);
	if (!rule)
		return NF_ACCEPT;
	ext = hairpin_bkey_dst(orig);
	bd = hairpin_binding_by_ext(&hn->bindings, &ext);
	if (!bd) {
		if (inside(hn, state))
			bind_sender(hn, ct, rule);
		return NF_ACCEPT;
	}
	/* The binding's own endpoint, to itself: that would be one tuple
	 * both ways. Another port of its host is hairpinned (RFC 5780's
	 * hairpinning test sends from one).
	 */
	if (READ_ONCE(bd->dead) ||
	    (bd->in.addr == orig->src.u3.ip && bd->in.port == orig->src.u.all))
		return NF_ACCEPT;

	/* Filtered by the endpoint it will be seen from: a hairpinned
	 * sender's own binding, made at POST_ROUTING if it has none (and
	 * then, where it can, on its own port).
	 */
	hairpin = inside(hn, state);
	peer_addr = orig->src.u3.ip;
	peer_port = orig->src.u.all;
	if (hairpin) {
		struct hairpin_bkey in = src_key(orig);

		peer_addr = ext.addr;
		from = hairpin_binding_find(&hn->bindings, &in, ext.addr);
		if (from)
			peer_port = from->ext.port;
	}
	/* RFC 5382 REQ-4: refused silently, and the entry goes with the
	 * packet, unconfirmed: nothing holds the port afterwards.
	 */
	if (!hairpin_binding_allows(bd, peer_addr, peer_port))
		return NF_DROP;

	range.flags = NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED;
	range.min_addr.ip = bd->in.addr;
	range.max_addr.ip = bd->in.addr;
	range.min_proto.all = bd->in.port;
	range.max_proto.all = bd->in.port;
	ret = nf_nat_setup_info(ct, &range, NF_NAT_MANIP_DST);
	if (ret == NF_ACCEPT && hairpin)
		this_cpu_write(hn->pcpu->bound, ct);
	return ret;
}

/* Before the operator's masquerade, which a rule on the same interface
 * replaces; after the mappings, whose ports bindings never take.
 */
static const struct nf_hook_ops hairpin_masq_ops[HAIRPIN_MASQ_OPS] = {
	[HAIRPIN_MASQ_IN] = {
		.hook = hairpin_masq_in,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_NAT_DST + 11,
	},
	[HAIRPIN_MASQ_OUT] = {
		.hook = hairpin_masq_out,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = NF_IP_PRI_NAT_SRC - 10,
	},
};

int hairpin_masq_register(struct hairpin_net *hn)
{
	int i, ret;

	lockdep_assert_held(&hn->lock);
	if (hn->masq_registered)
		return 0;

	ret = nf_ct_netns_get(hn->net, NFPROTO_IPV4);
	if (ret)
		return ret;
	for (i = 0; i < HAIRPIN_MASQ_OPS; i++) {
		hn->masq_ops[i] = hairpin_masq_ops[i];
		hn->masq_ops[i].priv = hn;
		ret = nf_nat_ipv4_register_fn(hn->net, &hn->masq_ops[i]);
		if (ret)
			goto err;
	}
	hn->masq_registered = true;
	pr_debug("netns %u: masq registered\n", hn->net->ns.inum);
	return 0;

err:
	while (i--)
		nf_nat_ipv4_unregister_fn(hn->net, &hn->masq_ops[i]);
	nf_ct_netns_put(hn->net, NFPROTO_IPV4);
	return ret;
}

void hairpin_masq_unregister(struct hairpin_net *hn)
{
	int i;

	lockdep_assert_held(&hn->lock);
	if (!hn->masq_registered)
		return;

	for (i = 0; i < HAIRPIN_MASQ_OPS; i++)
		nf_nat_ipv4_unregister_fn(hn->net, &hn->masq_ops[i]);
	nf_ct_netns_put(hn->net, NFPROTO_IPV4);
	hn->masq_registered = false;
	pr_debug("netns %u: masq unregistered\n", hn->net->ns.inum);
}
