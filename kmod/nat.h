/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HAIRPIN_NAT_H
#define _HAIRPIN_NAT_H

struct hairpin_net;

int hairpin_nat_register(struct hairpin_net *hn);
void hairpin_nat_unregister(struct hairpin_net *hn);

#endif /* _HAIRPIN_NAT_H */
