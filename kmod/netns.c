// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: created empty with the namespace; the NAT
 * lookups and conntrack are only switched on by the first mapping.
 */

#include <linux/hairpin.h>
#include <linux/user_namespace.h>

#include "lifetime.h"
#include "masq.h"
#include "nat.h"
#include "netns.h"
#include "table.h"

static unsigned int hairpin_net_id __read_mostly;

struct hairpin_net *hairpin_net(const struct net *net)
{
	return net_generic(net, hairpin_net_id);
}

/* A connection hairpinned for someone else's forward: per CPU, as a
 * mapping's counters are, so that a flood of them bounces no cache line.
 */
void hairpin_net_count_other(struct hairpin_net *hn)
{
	struct hairpin_pcpu *p;

	local_bh_disable();
	p = this_cpu_ptr(hn->pcpu);
	u64_stats_update_begin(&p->syncp);
	u64_stats_inc(&p->others);
	u64_stats_update_end(&p->syncp);
	local_bh_enable();
}

u64 hairpin_net_others(const struct hairpin_net *hn)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct hairpin_pcpu *p = per_cpu_ptr(hn->pcpu, cpu);
		unsigned int start;
		u64 v;

		do {
			start = u64_stats_fetch_begin(&p->syncp);
			v = u64_stats_read(&p->others);
		} while (u64_stats_fetch_retry(&p->syncp, start));
		sum += v;
	}
	return sum;
}

/* Generous where only the host's root can be (a full-range mapping costs
 * about 2.5 MB), tight where any user can: a user namespace's own.
 */
void hairpin_net_default_limits(const struct net *net, u32 *maps, u32 *ports)
{
	if (net->user_ns == &init_user_ns) {
		*maps = 1048576;
		*ports = 4194304;
	} else {
		*maps = 1024;
		*ports = 65536;
	}
}

/* A binding costs about 100 bytes with its bucket; a router's conntrack
 * table holds a few hundred thousand entries at most, each with at most
 * one binding.
 */
u32 hairpin_net_default_bindings(const struct net *net)
{
	return net->user_ns == &init_user_ns ? 262144 : 4096;
}

static int __net_init hairpin_net_init(struct net *net)
{
	struct hairpin_net *hn = hairpin_net(net);
	struct hairpin_table *table;
	int cpu, ret = -ENOMEM;

	hn->pcpu = alloc_percpu(struct hairpin_pcpu);
	if (!hn->pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(hn->pcpu, cpu)->syncp);
	table = hairpin_table_create(0);
	if (!table)
		goto err_table;
	ret = hairpin_bindings_create(&hn->bindings);
	if (ret)
		goto err_bindings;

	hn->net = net;
	mutex_init(&hn->lock);
	hn->source = HAIRPIN_SOURCE_LAN;
	hn->mode = HAIRPIN_MODE_AUTO;
	hn->scope = HAIRPIN_SCOPE_OWN;
	hn->seq = 1;
	hairpin_net_default_limits(net, &hn->max_maps, &hn->max_ports);
	hn->max_bindings = hairpin_net_default_bindings(net);
	hn->udp_timeout = 300;
	hairpin_lifetime_start(hn);
	RCU_INIT_POINTER(hn->table, table);
	pr_debug("netns %u: created\n", net->ns.inum);
	return 0;

err_bindings:
	hairpin_table_destroy(table);
err_table:
	free_percpu(hn->pcpu);
	return ret;
}

/* Unhook first: the core waits a grace period between pre_exit and exit, so
 * no packet can still be looking at the table when exit frees it.
 */
static void __net_exit hairpin_net_pre_exit(struct net *net)
{
	struct hairpin_net *hn = hairpin_net(net);

	hairpin_lifetime_stop(hn);
	mutex_lock(&hn->lock);
	hairpin_nat_unregister(hn);
	hairpin_masq_unregister(hn);
	mutex_unlock(&hn->lock);
}

static void __net_exit hairpin_net_exit(struct net *net)
{
	struct hairpin_net *hn = hairpin_net(net);

	hairpin_table_destroy(rcu_dereference_protected(hn->table, true));
	hairpin_bindings_destroy(&hn->bindings);
	kfree(rcu_dereference_protected(hn->masq, true));
	free_percpu(hn->pcpu);
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
