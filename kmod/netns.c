// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: created empty with the namespace; the NAT
 * lookups and conntrack are only switched on by the first mapping.
 */

#include <linux/hairpin.h>

#include "netns.h"
#include "table.h"
#include "nat.h"

static unsigned int hairpin_net_id __read_mostly;

struct hairpin_net *hairpin_net(const struct net *net)
{
	return net_generic(net, hairpin_net_id);
}

static int __net_init hairpin_net_init(struct net *net)
{
	struct hairpin_net *hn = hairpin_net(net);
	struct hairpin_table *table;

	table = hairpin_table_create(0);
	if (!table)
		return -ENOMEM;

	hn->net = net;
	mutex_init(&hn->lock);
	hn->source = HAIRPIN_SOURCE_LAN;
	hn->mode = HAIRPIN_MODE_AUTO;
	hn->seq = 1;
	RCU_INIT_POINTER(hn->table, table);
	pr_debug("netns %u: created\n", net->ns.inum);
	return 0;
}

/* Unhook first: the core waits a grace period between pre_exit and exit, so
 * no packet can still be looking at the table when exit frees it.
 */
static void __net_exit hairpin_net_pre_exit(struct net *net)
{
	struct hairpin_net *hn = hairpin_net(net);

	mutex_lock(&hn->lock);
	hairpin_nat_unregister(hn);
	mutex_unlock(&hn->lock);
}

static void __net_exit hairpin_net_exit(struct net *net)
{
	struct hairpin_net *hn = hairpin_net(net);

	hairpin_table_destroy(rcu_dereference_protected(hn->table, true));
	mutex_destroy(&hn->lock);
	pr_debug("netns %u: destroyed\n", net->ns.inum);
}

static struct pernet_operations hairpin_net_ops = {
	.init = hairpin_net_init,
	.pre_exit = hairpin_net_pre_exit,
	.exit = hairpin_net_exit,
	.id = &hairpin_net_id,
	.size = sizeof(struct hairpin_net),
};

int __init hairpin_netns_init(void)
{
	return register_pernet_subsys(&hairpin_net_ops);
}

void hairpin_netns_uninit(void)
{
	unregister_pernet_subsys(&hairpin_net_ops);
}
