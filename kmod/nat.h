/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HAIRPIN_NAT_H
#define _HAIRPIN_NAT_H

#include <linux/types.h>

struct hairpin_net;
struct net;

int hairpin_nat_register(struct hairpin_net *hn);
void hairpin_nat_unregister(struct hairpin_net *hn);
bool hairpin_internal_host(struct net *net, __be32 addr, __be32 public);

#endif /* _HAIRPIN_NAT_H */
