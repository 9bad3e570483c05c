// SPDX-License-Identifier: GPL-2.0
/*
 * How long a binding lives, decided from the conntrack table alone. A
 * binding is in use while an entry carries it in its tuples; without the
 * conntrack event notifier (which is conntrackd's, and which full-cone
 * modules break by taking it), we learn that by walking the namespace's
 * entries every few seconds. The same walk makes the binding of an entry
 * that has none: after a masq rule is added over live connections, or on a
 * backup router to which conntrackd replicated them.
 *
 * A binding goes when no entry has used it for the UDP timeout (UDP) or
 * 240 s (TCP, RFC 5382 REQ-5); when its rule goes; and with its entries
 * when its address does (a redial, a DHCP change), as masquerade's do,
 * unless it was made on its rule's own address: a source NAT's bindings
 * and entries outlive the address, which another router holds for now
 * and conntrackd would otherwise be told to forget.
 */

#include <linux/hairpin.h>
#include <linux/inetdevice.h>
#include <linux/workqueue.h>
#include <net/netfilter/nf_conntrack.h>

#include "binding.h"
#include "lifetime.h"
#include "masq.h"
#include "netns.h"
#include "table.h"

#define TCP_TIMEOUT 240
/* The gone addresses of the dead bindings one walk remembers, to delete
 * every entry translated to them: a router loses one at a time (a redial,
 * a DHCP change).
 */
#define GONE_MAX 4

struct walk {
	struct hairpin_net *hn;
	u32 gen;
	unsigned int ngone;
	__be32 gone[GONE_MAX];
};

static bool gone(const struct walk *w, __be32 addr)
{
	unsigned int i;

	for (i = 0; i < w->ngone; i++)
		if (w->gone[i] == addr)
			return true;
	return false;
}

static void note_gone(struct walk *w, __be32 addr)
{
	if (!gone(w, addr) && w->ngone < GONE_MAX)
		w->gone[w->ngone++] = addr;
}

static struct hairpin_bkey bkey(__be32 addr, __be16 port, u8 proto)
{
	struct hairpin_bkey k = { .addr = addr, .port = port, .proto = proto };

	return k;
}

/* The binding an entry's tuples name, given by its internal and external
 * ends; made if @make (an outbound entry through a masq rule). @to is the
 * remote the internal end sent to, if it did: a filtering binding lets it
 * in, as the packet that made the entry taught it (masq.c's used()), so
 * that one rebuilt on a backup router refuses none of its connections'
 * remotes.
 */
static bool see(struct walk *w, const struct hairpin_bkey *in,
		const struct hairpin_bkey *ext, const struct hairpin_bkey *to,
		bool make)
{
	struct hairpin_net *hn = w->hn;
	const struct hairpin_masq_rule *rule;
	struct hairpin_binding *bd;

	bd = hairpin_binding_by_ext(&hn->bindings, ext);
	if (bd) {
		if (memcmp(&bd->in, in, sizeof(*in)))
			return false;
		if (READ_ONCE(bd->dead))
			return true;
		bd->seen = w->gen;
		WRITE_ONCE(bd->used, (u32)jiffies);
		if (bd->counting < U16_MAX)
			bd->counting++;
	} else {
		if (!make || hairpin_table_find(rcu_dereference(hn->table),
						ext->proto, ext->addr, ext->port))
			return false;
		rule = hairpin_masq_addr(hn, ext->addr);
		if (!rule)
			return false;
		bd = hairpin_binding_add(&hn->bindings, in, ext, rule->filter,
					 rule->addr && rule->addr == ext->addr,
					 READ_ONCE(hn->max_bindings), GFP_ATOMIC);
		if (!bd)
			return false;
		bd->seen = w->gen;
		bd->counting = 1;
	}
	if (to && READ_ONCE(bd->filter) != HAIRPIN_FILTER_INDEPENDENT)
		hairpin_binding_add_peer(bd, to->addr, to->port);
	return false;
}

/* Under the conntrack table's locks, BH off. Returns true to delete the
 * entry: its binding's address is gone. So is any other entry translated
 * to that address, with or without a binding: one made through a binding
 * that went on the way (its rule deleted and added again, which rebuilds
 * bindings from outbound entries only) can no longer be answered either.
 */
static int see_entry(struct nf_conn *ct, void *data)
{
	const struct nf_conntrack_tuple *orig = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	const struct nf_conntrack_tuple *reply = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	struct hairpin_bkey in, ext, to = hairpin_bkey_dst(orig);
	u8 proto = orig->dst.protonum;
	bool kill = false;

	if (nf_ct_l3num(ct) != NFPROTO_IPV4 ||
	    (proto != IPPROTO_TCP && proto != IPPROTO_UDP))
		return 0;
	if ((test_bit(IPS_SRC_NAT_BIT, &ct->status) && gone(data, reply->dst.u3.ip)) ||
	    (test_bit(IPS_DST_NAT_BIT, &ct->status) && gone(data, orig->dst.u3.ip)))
		return 1;
	rcu_read_lock();
	/* Outbound, or the sender's side of a hairpinned one: it sent to
	 * the original destination, a binding's public end if hairpinned.
	 */
	if (test_bit(IPS_SRC_NAT_BIT, &ct->status)) {
		in = bkey(orig->src.u3.ip, orig->src.u.all, proto);
		ext = bkey(reply->dst.u3.ip, reply->dst.u.all, proto);
		kill |= see(data, &in, &ext, &to,
			    !test_bit(IPS_DST_NAT_BIT, &ct->status));
	}
	/* Inbound through a binding. */
	if (test_bit(IPS_DST_NAT_BIT, &ct->status)) {
		in = bkey(reply->src.u3.ip, reply->src.u.all, proto);
		kill |= see(data, &in, &to, NULL, false);
	}
	rcu_read_unlock();
	return kill;
}

/* Before the walk: a binding whose rule went goes now; one whose address
 * went is marked, so that the walk deletes its entries, unless it was
 * made on its rule's own address (SNAT's, not masquerade's): that one
 * stays while a rule names the address, and goes alone when none does.
 * (One that could not be given room for its rule's new filter goes too;
 * the walk makes it again from its outbound entries, with the same port.)
 */
static int check_binding(struct hairpin_binding *bd, void *data)
{
	struct walk *w = data;
	const struct hairpin_masq_rule *rule;

	rule = hairpin_masq_addr(w->hn, bd->ext.addr);
	if (!rule && !bd->named && !__ip_dev_find(w->hn->net, bd->ext.addr, false)) {
		WRITE_ONCE(bd->dead, true);
		note_gone(w, bd->ext.addr);
	} else if (!rule) {
		hairpin_binding_del(&w->hn->bindings, bd);
	} else {
		bd->counting = 0;
		if (!hairpin_binding_refilter(&w->hn->bindings, bd, rule->filter))
			hairpin_binding_del(&w->hn->bindings, bd);
	}
	return 0;
}

static int expire_binding(struct hairpin_binding *bd, void *data)
{
	struct walk *w = data;
	unsigned long timeout = TCP_TIMEOUT;

	if (bd->ext.proto == IPPROTO_UDP)
		timeout = READ_ONCE(w->hn->udp_timeout);
	WRITE_ONCE(bd->conns, bd->seen == w->gen ? bd->counting : 0);
	if (READ_ONCE(bd->dead) ||
	    (bd->seen != w->gen &&
	     time_after32((u32)jiffies, READ_ONCE(bd->used) + timeout * HZ)))
		hairpin_binding_del(&w->hn->bindings, bd);
	return 0;
}

/* One pass: under the namespace's mutex, so that it never runs twice at
 * once and sees the rules as they are.
 */
void hairpin_lifetime_walk(struct hairpin_net *hn)
{
	struct walk w = { .hn = hn, .gen = ++hn->walk_gen };
	struct nf_ct_iter_data d = { .net = hn->net, .data = &w };

	lockdep_assert_held(&hn->lock);
	if (!hn->masq_registered && !atomic_read(&hn->bindings.count))
		return;
	hairpin_bindings_walk(&hn->bindings, check_binding, &w);
	if (hn->masq_registered)
		nf_ct_iterate_cleanup_net(see_entry, &d);
	hairpin_bindings_walk(&hn->bindings, expire_binding, &w);
}

static void hairpin_lifetime_work(struct work_struct *work)
{
	struct hairpin_net *hn = container_of(to_delayed_work(work),
					      struct hairpin_net, walk);

	mutex_lock(&hn->lock);
	hairpin_lifetime_walk(hn);
	mutex_unlock(&hn->lock);
	hairpin_lifetime_kick(hn, HAIRPIN_WALK_INTERVAL);
}

/* Schedules the next walk in @delay, unless the namespace is going. */
void hairpin_lifetime_kick(struct hairpin_net *hn, unsigned long delay)
{
	spin_lock_bh(&hn->bindings.lock);
	if (!hn->walk_stopped && (hn->masq_registered ||
				  atomic_read(&hn->bindings.count)))
		mod_delayed_work(system_wq, &hn->walk, delay);
	spin_unlock_bh(&hn->bindings.lock);
}

void hairpin_lifetime_start(struct hairpin_net *hn)
{
	INIT_DELAYED_WORK(&hn->walk, hairpin_lifetime_work);
}

void hairpin_lifetime_stop(struct hairpin_net *hn)
{
	spin_lock_bh(&hn->bindings.lock);
	hn->walk_stopped = true;
	spin_unlock_bh(&hn->bindings.lock);
	cancel_delayed_work_sync(&hn->walk);
}

/* An address went: walk now, so that its bindings and their entries go
 * before a new connection could take them, as masquerade's do.
 */
static int hairpin_inetaddr_event(struct notifier_block *nb,
				  unsigned long event, void *ptr)
{
	const struct in_ifaddr *ifa = ptr;

	if (event == NETDEV_DOWN)
		hairpin_lifetime_kick(hairpin_net(dev_net(ifa->ifa_dev->dev)), 0);
	return NOTIFY_DONE;
}

static struct notifier_block hairpin_inetaddr_notifier = {
	.notifier_call = hairpin_inetaddr_event,
};

int __init hairpin_lifetime_init(void)
{
	return register_inetaddr_notifier(&hairpin_inetaddr_notifier);
}

void hairpin_lifetime_uninit(void)
{
	unregister_inetaddr_notifier(&hairpin_inetaddr_notifier);
}
