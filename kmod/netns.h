/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HAIRPIN_NETNS_H
#define _HAIRPIN_NETNS_H

#include <linux/mutex.h>
#include <linux/u64_stats_sync.h>
#include <linux/netfilter.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "binding.h"

struct hairpin_masq;
struct hairpin_table;

enum { HAIRPIN_NAT_DNAT_PRE, HAIRPIN_NAT_DNAT_OUT, HAIRPIN_NAT_SNAT, HAIRPIN_NAT_OPS };
enum { HAIRPIN_MASQ_IN, HAIRPIN_MASQ_OUT, HAIRPIN_MASQ_OPS };

/* What the DNAT lookup tells the SNAT lookup about a new connection: the
 * one it translated last on this CPU. A packet goes from PRE_ROUTING to
 * POST_ROUTING on one CPU in one go, and a conntrack entry has no room for
 * a module's own mark. The pointer is only compared, never followed: the
 * entry may be gone.
 */
struct hairpin_pcpu {
	const struct nf_conn *translated;
	/* The same for a binding an internal host connected to (masq.c). */
	const struct nf_conn *bound;
	/* Connections hairpinned for forwards no mapping made (scope all). */
	u64_stats_t others;
	struct u64_stats_sync syncp;
};

/* Everything hairpin knows about one network namespace. */
struct hairpin_net {
	struct net *net;

	/* Serialises every change to the table and the settings. */
	struct mutex lock;

	/* Replaced whole by a flush, so that "flush, then add" is atomic. */
	struct hairpin_table __rcu *table;

	/* enum hairpin_source, enum hairpin_mode and enum hairpin_scope,
	 * read by the NAT hooks without the lock.
	 */
	u8 source;
	u8 mode;
	u8 scope;
	/* HAIRPIN_SOURCE_ADDR's address. It stays when the source becomes
	 * another, and is written before source (release; acquire in the
	 * hook), so that a connection starting during a change gets the
	 * old choice or the new one, never a source paired with an address
	 * that was not its own.
	 */
	__be32 source_addr;

	/* What the namespace may hold, against memory exhaustion by anyone
	 * who can create a user namespace.
	 */
	u32 max_maps;
	u32 max_ports;

	/* NAT lookups are registered only while the table is not empty or
	 * the scope is all, so that a namespace without mappings pays
	 * nothing, conntrack included.
	 */
	bool nat_registered;
	struct nf_hook_ops nat_ops[HAIRPIN_NAT_OPS];
	struct hairpin_pcpu __percpu *pcpu;

	/* Masquerade through bindings: the rules (NULL for none), hooked
	 * only while there are some; the bindings they make, and the walk
	 * that ends them (lifetime.c).
	 */
	struct hairpin_masq __rcu *masq;
	bool masq_registered;
	struct nf_hook_ops masq_ops[HAIRPIN_MASQ_OPS];
	struct hairpin_bindings bindings;
	u32 max_bindings;
	u32 udp_timeout;		/* seconds */
	struct delayed_work walk;
	u32 walk_gen;
	bool walk_stopped;		/* under bindings.lock */

#ifdef DEBUG
	/* selftest/race.c: commit holds its race window open. */
	bool race_open;
#endif

	/* Counters of deleted mappings, so that totals survive deletion. */
	u64 retired_conns;
	u64 retired_hairpinned;

	/* Bumped on every change, so that a dump can tell it raced one. */
	unsigned int seq;
};

struct hairpin_net *hairpin_net(const struct net *net);
void hairpin_net_count_other(struct hairpin_net *hn);
u64 hairpin_net_others(const struct hairpin_net *hn);
void hairpin_net_default_limits(const struct net *net, u32 *maps, u32 *ports);
u32 hairpin_net_default_bindings(const struct net *net);

int hairpin_netns_init(void);
void hairpin_netns_uninit(void);

#endif /* _HAIRPIN_NETNS_H */
