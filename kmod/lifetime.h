/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HAIRPIN_LIFETIME_H
#define _HAIRPIN_LIFETIME_H

#include <linux/jiffies.h>

struct hairpin_net;

/* How often bindings are checked against the conntrack table. */
#define HAIRPIN_WALK_INTERVAL (10 * HZ)

void hairpin_lifetime_walk(struct hairpin_net *hn);
void hairpin_lifetime_kick(struct hairpin_net *hn, unsigned long delay);
void hairpin_lifetime_start(struct hairpin_net *hn);
void hairpin_lifetime_stop(struct hairpin_net *hn);

int hairpin_lifetime_init(void);
void hairpin_lifetime_uninit(void);

#endif /* _HAIRPIN_LIFETIME_H */
