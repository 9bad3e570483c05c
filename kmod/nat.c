// SPDX-License-Identifier: GPL-2.0
/*
 * The NAT decisions, made once per new connection from the NAT core's own
 * lookup list, exactly where iptables' and nftables' nat chains run:
 *
 *  PRE_ROUTING, LOCAL_OUT: a connection to a mapped port of the router gets
 *    its destination translated to the internal server; to a mirror's, only
 *    one from an internal client, with scope all.
 *  POST_ROUTING: a connection we translated whose reply would not come back
 *    through the router (client and server on one link) gets its source
 *    translated too: that is hairpin NAT. With scope all, so does one that
 *    someone else destination-NATed to an internal host.
 *
 * The NAT core asks only while a conntrack entry has no binding for the
 * direction, so established packets never get here.
 */

#include <linux/hairpin.h>
#include <linux/inetdevice.h>
#include <linux/netfilter_ipv4.h>
#include <net/ip_fib.h>
#include <net/route.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_nat.h>

#include "binding.h"
#include "nat.h"
#include "netns.h"
#include "table.h"
#include "selftest/selftest.h"

/* Connections to these are never mapped: they are the router's own. */
static bool local_target(struct net *net, const struct net_device *dev,
			 __be32 daddr)
{
	return !ipv4_is_loopback(daddr) &&
	       inet_addr_type_dev_table(net, dev, daddr) == RTN_LOCAL;
}

static struct hairpin_map *find_map(const struct hairpin_net *hn,
				    const struct nf_conntrack_tuple *tuple)
{
	const struct hairpin_table *t = rcu_dereference(hn->table);

	hairpin_race_reader(hn);
	return hairpin_table_find(t, tuple->dst.protonum, tuple->dst.u3.ip,
				  tuple->dst.u.all);
}

/* A mirror opens nothing to the outside: it serves internal hosts, the
 * router itself (LOCAL_OUT) among them, and only while the scope is all.
 */
static bool mirror_serves(const struct hairpin_net *hn,
			  const struct nf_hook_state *state,
			  const struct nf_conntrack_tuple *tuple)
{
	return READ_ONCE(hn->scope) == HAIRPIN_SCOPE_ALL &&
	       (state->hook == NF_INET_LOCAL_OUT ||
		hairpin_internal_host(state->net, tuple->src.u3.ip,
				      tuple->dst.u3.ip));
}

static unsigned int hairpin_dnat(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct hairpin_net *hn = priv;
	const struct nf_conntrack_tuple *tuple;
	struct nf_nat_range2 range = {};
	enum ip_conntrack_info ctinfo;
	struct hairpin_map *m;
	struct nf_conn *ct;
	unsigned int ret;

	ct = nf_ct_get(skb, &ctinfo);
	/* A confirmed entry without a binding (one conntrackd or ctnetlink
	 * made) is one nf_nat_setup_info() would not translate.
	 */
	if (!ct || ctinfo != IP_CT_NEW || nf_ct_is_confirmed(ct))
		return NF_ACCEPT;
	tuple = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	if (tuple->dst.protonum != IPPROTO_TCP && tuple->dst.protonum != IPPROTO_UDP)
		return NF_ACCEPT;

	m = find_map(hn, tuple);
	if (!m)
		return NF_ACCEPT;
	/* A named address too: after a DHCP change it may be someone else's. */
	if (!local_target(state->net, state->in ?: state->out, tuple->dst.u3.ip))
		return NF_ACCEPT;
	/* Otherwise the forward it repeats, or nothing, has the connection. */
	if (unlikely(hairpin_map_mirror(m)) && !mirror_serves(hn, state, tuple))
		return NF_ACCEPT;

	range.flags = NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED;
	range.min_addr.ip = m->to_addr;
	range.max_addr.ip = m->to_addr;
	range.min_proto.all = hairpin_map_target_port(m, tuple->dst.u.all);
	range.max_proto.all = range.min_proto.all;
	ret = nf_nat_setup_info(ct, &range, NF_NAT_MANIP_DST);
	if (ret == NF_ACCEPT) {
		hairpin_map_count(m, false);
		this_cpu_write(hn->pcpu->translated, ct);
	}
	return ret;
}

/* The address of @dev on the subnet holding both @a and @b, if any. */
static __be32 onlink_addr(const struct net_device *dev, __be32 a, __be32 b)
{
	const struct in_device *in_dev = __in_dev_get_rcu(dev);
	const struct in_ifaddr *ifa;

	if (!in_dev)
		return 0;
	in_dev_for_each_ifa_rcu(ifa, in_dev) {
		if (inet_ifa_match(a, ifa) && inet_ifa_match(b, ifa))
			return ifa->ifa_local;
	}
	return 0;
}

/* An internal host is one the router reaches by a route more specific
 * than a default route: a LAN, or a subnet routed behind one; but not by
 * the device of the public address the client connected to, whose own
 * subnet and routes lead outside.
 */
bool hairpin_internal_host(struct net *net, __be32 addr, __be32 public)
{
	struct flowi4 fl4 = { .daddr = addr };
	const struct net_device *wan;
	struct fib_result res;

	if (fib_lookup(net, &fl4, &res, 0) || !res.prefixlen ||
	    res.type != RTN_UNICAST)
		return false;
	wan = __ip_dev_find(net, public, false);
	return !wan || FIB_RES_DEV(res) != wan;
}

/* A masq rule's binding sent it there (masq.c): masq hairpins those
 * itself, before us, from the sender's own binding; we see only those it
 * left alone, and leave them alone too.
 */
static bool bound(struct hairpin_net *hn, const struct nf_conntrack_tuple *orig,
		  const struct nf_conntrack_tuple *reply)
{
	struct hairpin_bkey ext = hairpin_bkey_dst(orig);
	const struct hairpin_binding *bd;

	bd = hairpin_binding_by_ext(&hn->bindings, &ext);
	return bd && bd->in.addr == reply->src.u3.ip &&
	       bd->in.port == reply->src.u.all;
}

/* The address a hairpinned connection gets, @lan being the router's own on
 * the way to the server.
 */
static __be32 source_addr(const struct hairpin_net *hn, struct net *net,
			  const struct nf_conntrack_tuple *orig, __be32 lan)
{
	/* Acquire: the address read below is this source's own. */
	u8 source = smp_load_acquire(&hn->source);
	__be32 addr;

	if (source == HAIRPIN_SOURCE_EXTERNAL)
		return orig->dst.u3.ip;
	if (source != HAIRPIN_SOURCE_ADDR)
		return lan;
	/* Only while the router holds it: the replies to an address it
	 * does not hold would go to whoever does (a VRRP master), or
	 * nowhere. One hash lookup, and only for connections hairpinned.
	 */
	addr = READ_ONCE(hn->source_addr);
	return __ip_dev_find(net, addr, false) ? addr : lan;
}

static unsigned int hairpin_snat(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	const struct nf_conntrack_tuple *orig, *reply;
	struct hairpin_net *hn = priv;
	struct nf_nat_range2 range = {};
	enum ip_conntrack_info ctinfo;
	__be32 client, server, lan;
	struct hairpin_map *m;
	struct nf_conn *ct;
	unsigned int ret;
	bool ours;
	u8 mode;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || ctinfo != IP_CT_NEW || nf_ct_is_confirmed(ct) ||
	    !(ct->status & IPS_DST_NAT))
		return NF_ACCEPT;
	/* Ours only if our DNAT lookup translated it: one of the operator's
	 * rules may have sent it to a mapping's target as well. Others'
	 * only with scope all; a source NAT of the operator's, at srcnat or
	 * before, has kept the NAT core from asking us at all.
	 */
	ours = this_cpu_read(hn->pcpu->translated) == ct;
	if (ours)
		this_cpu_write(hn->pcpu->translated, NULL);
	else if (READ_ONCE(hn->scope) != HAIRPIN_SCOPE_ALL)
		return NF_ACCEPT;
	mode = READ_ONCE(hn->mode);
	if (mode == HAIRPIN_MODE_OFF)
		return NF_ACCEPT;

	/* Whether the reply would bypass the router first: for most new
	 * connections (from the WAN) it would not, and a walk of the egress
	 * device's few addresses spares them the mapping lookup below.
	 */
	orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	reply = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	client = orig->src.u3.ip;
	server = reply->src.u3.ip;
	lan = onlink_addr(state->out, client, server);
	if (lan == client)		/* the router itself */
		return NF_ACCEPT;
	if (!lan && (mode != HAIRPIN_MODE_ALWAYS ||
		     !hairpin_internal_host(state->net, client, orig->dst.u3.ip)))
		return NF_ACCEPT;
	/* A mapping's target is internal by the operator's word; another
	 * forward's must be, and not masq's.
	 */
	if (!ours && (!hairpin_internal_host(state->net, server, orig->dst.u3.ip) ||
		      bound(hn, orig, reply)))
		return NF_ACCEPT;

	if (!lan) {
		lan = inet_select_addr(state->out, server, RT_SCOPE_UNIVERSE);
		if (!lan)
			return NF_ACCEPT;
	}

	/* Addresses only: the core keeps the client's port where it can, and
	 * for the public address reuses the client's existing external port
	 * (RFC 4787 REQ-9, RFC 5382 REQ-8).
	 */
	range.flags = NF_NAT_RANGE_MAP_IPS;
	range.min_addr.ip = source_addr(hn, state->net, orig, lan);
	range.max_addr.ip = range.min_addr.ip;
	ret = nf_nat_setup_info(ct, &range, NF_NAT_MANIP_SRC);
	if (ret != NF_ACCEPT)
		return ret;
	if (!ours) {
		hairpin_net_count_other(hn);
		return ret;
	}
	/* The mapping that translated it, unless a change replaced it since.
	 * A mirror repeats someone else's forward: counted as theirs too.
	 */
	m = find_map(hn, orig);
	if (hairpin_map_sends(m, orig->dst.u.all, server, reply->src.u.all)) {
		hairpin_map_count(m, true);
		if (hairpin_map_mirror(m))
			hairpin_net_count_other(hn);
	}
	return ret;
}

/* After the operator's own nat chains at the standard priorities: a rule
 * they wrote for a connection wins over a mapping.
 */
static const struct nf_hook_ops hairpin_nat_ops[HAIRPIN_NAT_OPS] = {
	[HAIRPIN_NAT_DNAT_PRE] = {
		.hook = hairpin_dnat,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_NAT_DST + 10,
	},
	[HAIRPIN_NAT_DNAT_OUT] = {
		.hook = hairpin_dnat,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_NAT_DST + 10,
	},
	[HAIRPIN_NAT_SNAT] = {
		.hook = hairpin_snat,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = NF_IP_PRI_NAT_SRC + 10,
	},
};

int hairpin_nat_register(struct hairpin_net *hn)
{
	int i, ret;

	lockdep_assert_held(&hn->lock);
	if (hn->nat_registered)
		return 0;

	ret = nf_ct_netns_get(hn->net, NFPROTO_IPV4);
	if (ret)
		return ret;
	for (i = 0; i < HAIRPIN_NAT_OPS; i++) {
		hn->nat_ops[i] = hairpin_nat_ops[i];
		hn->nat_ops[i].priv = hn;
		ret = nf_nat_ipv4_register_fn(hn->net, &hn->nat_ops[i]);
		if (ret)
			goto err;
	}
	hn->nat_registered = true;
	pr_debug("netns %u: nat registered\n", hn->net->ns.inum);
	return 0;

err:
	while (i--)
		nf_nat_ipv4_unregister_fn(hn->net, &hn->nat_ops[i]);
	nf_ct_netns_put(hn->net, NFPROTO_IPV4);
	return ret;
}

/* The ops stay in hairpin_net, alive until the namespace is gone, which is
 * what the NAT core needs of them after unregistration.
 */
void hairpin_nat_unregister(struct hairpin_net *hn)
{
	int i;

	lockdep_assert_held(&hn->lock);
	if (!hn->nat_registered)
		return;

	for (i = 0; i < HAIRPIN_NAT_OPS; i++)
		nf_nat_ipv4_unregister_fn(hn->net, &hn->nat_ops[i]);
	nf_ct_netns_put(hn->net, NFPROTO_IPV4);
	hn->nat_registered = false;
	pr_debug("netns %u: nat unregistered\n", hn->net->ns.inum);
}
