// SPDX-License-Identifier: GPL-2.0
/*
 * Removing the conntrack entries of deleted mappings. Established flows
 * never consult the mappings again, so without this a deleted or replaced
 * mapping would live on in every flow it translated.
 */

#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_tuple.h>

#include "compat.h"
#include "conntrack.h"
#include "table.h"

struct flush_ctx {
	struct hairpin_table **graves;
	unsigned int n;
};

static bool translated_by(const struct nf_conn *ct, const struct hairpin_map *m)
{
	const struct nf_conntrack_tuple *orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	const struct nf_conntrack_tuple *reply = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;

	return m && reply->src.u3.ip == m->to_addr &&
	       reply->src.u.all == hairpin_map_target_port(m, orig->dst.u.all);
}

/* Called under the conntrack table's locks with BH off: lookups only. */
static int flush_match(struct nf_conn *ct, void *data)
{
	const struct nf_conntrack_tuple *orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	const struct flush_ctx *ctx = data;
	unsigned int i;
	u8 proto;

	if (!test_bit(IPS_DST_NAT_BIT, &ct->status) || nf_ct_l3num(ct) != NFPROTO_IPV4)
		return 0;
	proto = orig->dst.protonum;
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return 0;
	for (i = 0; i < ctx->n; i++) {
		const struct hairpin_table *t = ctx->graves[i];

		if (!t)
			continue;
		if (translated_by(ct, hairpin_table_lookup(t, proto, orig->dst.u3.ip,
							   orig->dst.u.all)) ||
		    translated_by(ct, hairpin_table_lookup(t, proto, 0,
							   orig->dst.u.all)))
			return 1;
	}
	return 0;
}

void hairpin_ct_flush(struct net *net, struct hairpin_table **graves,
		      unsigned int n)
{
	struct flush_ctx ctx = { .graves = graves, .n = n };

	hairpin_compat_ct_iterate(net, flush_match, &ctx);
}

static int flush_dnat(struct nf_conn *ct, void *data)
{
	return test_bit(IPS_DST_NAT_BIT, &ct->status) && nf_ct_l3num(ct) == NFPROTO_IPV4;
}

void hairpin_ct_flush_all(struct net *net)
{
	hairpin_compat_ct_iterate(net, flush_dnat, NULL);
}
