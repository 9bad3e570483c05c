/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels we build against, in one place.
 * Supported: 6.1 (Debian 12) to 6.12 (bookworm-backports).
 */
#ifndef _HAIRPIN_COMPAT_H
#define _HAIRPIN_COMPAT_H

#include <linux/netlink.h>
#include <net/netfilter/nf_conntrack.h>

/* 6.1 takes the namespace and the cookie in a struct; so does 6.12. Before
 * 6.0 they were separate arguments: kept here should we ever go back.
 */
static inline void hairpin_compat_ct_iterate(struct net *net,
					     int (*iter)(struct nf_conn *, void *),
					     void *data)
{
	struct nf_ct_iter_data d = { .net = net, .data = data };

	nf_ct_iterate_cleanup_net(iter, &d);
}

/* Formatted extack messages exist from 6.2; before, the fixed text. */
#ifdef NL_SET_ERR_MSG_ATTR_FMT
#define HAIRPIN_ERR_ATTR_FMT(extack, attr, fixed, fmt, ...) \
	NL_SET_ERR_MSG_ATTR_FMT(extack, attr, fmt, ##__VA_ARGS__)
#else
#define HAIRPIN_ERR_ATTR_FMT(extack, attr, fixed, fmt, ...) \
	NL_SET_ERR_MSG_ATTR(extack, attr, fixed)
#endif

#endif /* _HAIRPIN_COMPAT_H */
