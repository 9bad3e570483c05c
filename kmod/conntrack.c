// SPDX-License-Identifier: GPL-2.0
/*
 * Removing conntrack entries that a change made stale. Established flows
 * never consult the mappings again, so without this a deleted or replaced
 * mapping would live on in every flow it translated, and a new mapping would
 * not apply to a UDP flow that was already knocking at the port.
 */

#include <linux/rcupdate.h>
#include <net/route.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_tuple.h>

#include "compat.h"
#include "conntrack.h"
#include "table.h"

struct flush_ctx {
	struct net *net;
	struct hairpin_table **graves;
	unsigned int n;
	const struct hairpin_table *live;
	bool all;
};

static bool translated_by(const struct nf_conn *ct, const struct hairpin_map *m)
{
	const struct nf_conntrack_tuple *orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	const struct nf_conntrack_tuple *reply = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;

	return m && reply->src.u3.ip == m->to_addr &&
	       reply->src.u.all == hairpin_map_target_port(m, orig->dst.u.all);
}

static bool translated_by_grave(const struct flush_ctx *ctx,
				const struct nf_conntrack_tuple *orig,
				const struct nf_conn *ct)
{
	unsigned int i;

	for (i = 0; i < ctx->n; i++) {
		const struct hairpin_table *t = ctx->graves[i];

		if (!t)
			continue;
		if (translated_by(ct, hairpin_table_lookup(t, orig->dst.protonum,
							   orig->dst.u3.ip,
							   orig->dst.u.all)) ||
		    translated_by(ct, hairpin_table_lookup(t, orig->dst.protonum, 0,
							   orig->dst.u.all)))
			return true;
	}
	return false;
}

/* A UDP flow to a port that is mapped now, but that was not translated:
 * it started before the mapping, and would never be.
 */
static bool stale_udp(const struct flush_ctx *ctx,
		      const struct nf_conntrack_tuple *orig,
		      const struct nf_conn *ct)
{
	__be32 daddr = orig->dst.u3.ip;

	if (!ctx->live || orig->dst.protonum != IPPROTO_UDP ||
	    test_bit(IPS_DST_NAT_BIT, &ct->status))
		return false;
	if (hairpin_table_lookup(ctx->live, IPPROTO_UDP, daddr, orig->dst.u.all))
		return true;
	return hairpin_table_lookup(ctx->live, IPPROTO_UDP, 0, orig->dst.u.all) &&
	       !ipv4_is_loopback(daddr) &&
	       inet_addr_type(ctx->net, daddr) == RTN_LOCAL;
}

/* Called under the conntrack table's locks with BH off: lookups only. */
static int flush_match(struct nf_conn *ct, void *data)
{
	const struct nf_conntrack_tuple *orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	const struct flush_ctx *ctx = data;
	bool kill;

	if (nf_ct_l3num(ct) != NFPROTO_IPV4 ||
	    (orig->dst.protonum != IPPROTO_TCP && orig->dst.protonum != IPPROTO_UDP))
		return 0;
	/* The tables are RCU-protected: say so, even though we hold the lock
	 * that keeps them from changing.
	 */
	rcu_read_lock();
	kill = (test_bit(IPS_DST_NAT_BIT, &ct->status) &&
		(ctx->all || translated_by_grave(ctx, orig, ct))) ||
	       stale_udp(ctx, orig, ct);
	rcu_read_unlock();
	return kill;
}

/* Kills the entries translated by a mapping in one of @graves (by any
 * mapping, with @all), and, with @live, the UDP flows that a mapping in @live
 * should have translated.
 */
void hairpin_ct_flush(struct net *net, struct hairpin_table **graves,
		      unsigned int n, const struct hairpin_table *live, bool all)
{
	struct flush_ctx ctx = {
		.net = net,
		.graves = graves,
		.n = n,
		.live = live,
		.all = all,
	};

	hairpin_compat_ct_iterate(net, flush_match, &ctx);
}
