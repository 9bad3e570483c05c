/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HAIRPIN_CONNTRACK_H
#define _HAIRPIN_CONNTRACK_H

#include <linux/list.h>
#include <linux/types.h>

struct net;
struct hairpin_table;

/* A committed change, as the conntrack table needs to see it: how a
 * connection was translated before it, and how it would be now.
 */
struct hairpin_ct_change {
	struct net *net;
	/* Before, when the table was replaced whole: the old table. */
	const struct hairpin_table *old;
	/* Before, when changed in place: the maps it removed, indexed by
	 * port in @graves when there was memory for it, and the maps of
	 * @live that it did not add.
	 */
	const struct hairpin_table *graves;
	const struct list_head *removed;
	/* Now. */
	const struct hairpin_table *live;
	/* UDP maps were added, or mirrors began to serve: a flow already
	 * knocking at one is not mapped.
	 */
	bool udp_added;
	/* The scope before and now: what mirrors serve. */
	u8 scope_before;
	u8 scope;
};

void hairpin_ct_flush(const struct hairpin_ct_change *change);

#endif /* _HAIRPIN_CONNTRACK_H */
