/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HAIRPIN_CONNTRACK_H
#define _HAIRPIN_CONNTRACK_H

#include <linux/types.h>

struct net;
struct hairpin_table;

void hairpin_ct_flush(struct net *net, struct hairpin_table **graves,
		      unsigned int n, const struct hairpin_table *live, bool all);

#endif /* _HAIRPIN_CONNTRACK_H */
