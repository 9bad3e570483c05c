/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HAIRPIN_CONNTRACK_H
#define _HAIRPIN_CONNTRACK_H

struct net;
struct hairpin_table;

void hairpin_ct_flush(struct net *net, struct hairpin_table **graves,
		      unsigned int n);
void hairpin_ct_flush_all(struct net *net);

#endif /* _HAIRPIN_CONNTRACK_H */
