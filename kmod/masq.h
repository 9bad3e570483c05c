/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HAIRPIN_MASQ_H
#define _HAIRPIN_MASQ_H

#include <linux/hairpin.h>
#include <linux/if.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct hairpin_net;
struct net_device;

/* Masquerade through bindings for connections leaving by @ifname; to
 * @addr while it is local, if the rule has one (SNAT to it).
 */
struct hairpin_masq_rule {
	char ifname[IFNAMSIZ];
	__be32 addr;		/* 0: none, masquerade only */
	u8 filter;		/* enum hairpin_filter */
};

/* The rules, replaced whole by a change. */
struct hairpin_masq {
	unsigned int n;
	struct hairpin_masq_rule rule[HAIRPIN_MASQ_MAX];
	struct rcu_head rcu;
};

const struct hairpin_masq_rule *hairpin_masq_rule(const struct hairpin_masq *masq,
						  const char *ifname);
const struct hairpin_masq_rule *hairpin_masq_dev(const struct hairpin_net *hn,
						 const struct net_device *dev);
const struct hairpin_masq_rule *hairpin_masq_addr(const struct hairpin_net *hn,
						  __be32 addr);

unsigned int hairpin_masq_bindings(struct hairpin_net *hn, const char *ifname);

int hairpin_masq_register(struct hairpin_net *hn);
void hairpin_masq_unregister(struct hairpin_net *hn);

#endif /* _HAIRPIN_MASQ_H */
