// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family: the only file that speaks netlink. See
 * uapi/linux/hairpin.h for the protocol.
 *
 * Every change, a single command or a batch, runs as one transaction under
 * the namespace's mutex; the NAT hooks never wait for it.
 */

#include <linux/hairpin.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "binding.h"
#include "masq.h"
#include "netlink.h"
#include "netns.h"
#include "table.h"
#include "txn.h"

static struct genl_family hairpin_family;

static const struct nla_policy map_policy[HAIRPIN_MAP_A_MAX + 1] = {
	[HAIRPIN_MAP_A_PROTO] = { .type = NLA_U8 },
	[HAIRPIN_MAP_A_ADDR] = { .type = NLA_BE32 },
	[HAIRPIN_MAP_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[HAIRPIN_MAP_A_PORT_MAX] = NLA_POLICY_MIN(NLA_U16, 1),
	[HAIRPIN_MAP_A_TO_ADDR] = { .type = NLA_BE32 },
	[HAIRPIN_MAP_A_TO_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[HAIRPIN_MAP_A_COMMENT] = { .type = NLA_NUL_STRING,
				    .len = HAIRPIN_COMMENT_MAX - 1 },
	[HAIRPIN_MAP_A_CONNS] = { .type = NLA_REJECT },
	[HAIRPIN_MAP_A_HAIRPINNED] = { .type = NLA_REJECT },
	[HAIRPIN_MAP_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, HAIRPIN_MAP_F_ALL),
};

static const struct nla_policy masq_policy[HAIRPIN_MASQ_A_MAX + 1] = {
	[HAIRPIN_MASQ_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[HAIRPIN_MASQ_A_FILTER] = NLA_POLICY_MAX(NLA_U8, HAIRPIN_FILTER_MAX),
	[HAIRPIN_MASQ_A_BINDINGS] = { .type = NLA_REJECT },
	[HAIRPIN_MASQ_A_ADDR] = { .type = NLA_BE32 },
};

/* A UDP binding outlives a NAT's shortest allowed mapping (RFC 4787
 * REQ-5: two minutes); a day is long enough for anyone.
 */
static struct netlink_range_validation udp_timeout_range __ro_after_init = {
	.min = 120,
	.max = 86400,
};

#define UDP_TIMEOUT_POLICY NLA_POLICY_FULL_RANGE(NLA_U32, &udp_timeout_range)

static const struct nla_policy op_policy[HAIRPIN_OP_A_MAX + 1] = {
	[HAIRPIN_OP_A_CMD] = NLA_POLICY_RANGE(NLA_U8, HAIRPIN_CMD_SET_CONFIG,
					      HAIRPIN_CMD_DEL_MASQ),
	[HAIRPIN_OP_A_MAP] = NLA_POLICY_NESTED(map_policy),
	[HAIRPIN_OP_A_SOURCE] = NLA_POLICY_MAX(NLA_U8, HAIRPIN_SOURCE_MAX),
	[HAIRPIN_OP_A_MODE] = NLA_POLICY_MAX(NLA_U8, HAIRPIN_MODE_MAX),
	[HAIRPIN_OP_A_MAX_MAPS] = { .type = NLA_U32 },
	[HAIRPIN_OP_A_MAX_PORTS] = { .type = NLA_U32 },
	[HAIRPIN_OP_A_MASQ] = NLA_POLICY_NESTED(masq_policy),
	[HAIRPIN_OP_A_UDP_TIMEOUT] = UDP_TIMEOUT_POLICY,
	[HAIRPIN_OP_A_MAX_BINDINGS] = { .type = NLA_U32 },
	[HAIRPIN_OP_A_SCOPE] = NLA_POLICY_MAX(NLA_U8, HAIRPIN_SCOPE_MAX),
	[HAIRPIN_OP_A_SOURCE_ADDR] = { .type = NLA_BE32 },
};

/* One policy per kind of request, so that an attribute a command does not
 * take is rejected rather than ignored.
 */
static const struct nla_policy none_policy[HAIRPIN_A_MAX + 1] = {};

static const struct nla_policy config_policy[HAIRPIN_A_MAX + 1] = {
	[HAIRPIN_A_SOURCE] = NLA_POLICY_MAX(NLA_U8, HAIRPIN_SOURCE_MAX),
	[HAIRPIN_A_MODE] = NLA_POLICY_MAX(NLA_U8, HAIRPIN_MODE_MAX),
	[HAIRPIN_A_MAX_MAPS] = { .type = NLA_U32 },
	[HAIRPIN_A_MAX_PORTS] = { .type = NLA_U32 },
	[HAIRPIN_A_UDP_TIMEOUT] = UDP_TIMEOUT_POLICY,
	[HAIRPIN_A_MAX_BINDINGS] = { .type = NLA_U32 },
	[HAIRPIN_A_SCOPE] = NLA_POLICY_MAX(NLA_U8, HAIRPIN_SCOPE_MAX),
	[HAIRPIN_A_SOURCE_ADDR] = { .type = NLA_BE32 },
};

static const struct nla_policy masq_cmd_policy[HAIRPIN_A_MAX + 1] = {
	[HAIRPIN_A_MASQ] = NLA_POLICY_NESTED(masq_policy),
};

static const struct nla_policy map_cmd_policy[HAIRPIN_A_MAX + 1] = {
	[HAIRPIN_A_MAP] = NLA_POLICY_NESTED(map_policy),
};

static const struct nla_policy batch_policy[HAIRPIN_A_MAX + 1] = {
	[HAIRPIN_A_OP] = NLA_POLICY_NESTED(op_policy),
};

/* One change, from a single command or from one operation of a batch. */
struct request {
	u8 cmd;
	const struct nlattr *where;	/* blamed when it fails */
	const struct nlattr *op;	/* the batch's HAIRPIN_A_OP, or NULL */
	const struct nlattr *map;
	const struct nlattr *source;
	const struct nlattr *mode;
	const struct nlattr *max_maps;
	const struct nlattr *max_ports;
	const struct nlattr *masq;
	const struct nlattr *udp_timeout;
	const struct nlattr *max_bindings;
	const struct nlattr *scope;
	const struct nlattr *source_addr;
	/* CAP_NET_ADMIN in the initial user namespace: may raise limits. */
	bool host_admin;
};

static bool bad_address(__be32 addr)
{
	return ipv4_is_zeronet(addr) || ipv4_is_loopback(addr) ||
	       ipv4_is_multicast(addr) || ipv4_is_lbcast(addr);
}

static int parse_map(const struct request *req, struct hairpin_map_spec *spec,
		     bool target, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[HAIRPIN_MAP_A_MAX + 1];
	u32 last;
	int ret;

	if (!req->map) {
		NL_SET_ERR_MSG_ATTR(extack, req->where, "a mapping is required");
		return -EINVAL;
	}
	ret = nla_parse_nested(tb, HAIRPIN_MAP_A_MAX, req->map, map_policy, extack);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(extack, req->map, tb, HAIRPIN_MAP_A_PROTO) ||
	    NL_REQ_ATTR_CHECK(extack, req->map, tb, HAIRPIN_MAP_A_PORT))
		return -EINVAL;

	memset(spec, 0, sizeof(*spec));
	spec->proto = nla_get_u8(tb[HAIRPIN_MAP_A_PROTO]);
	if (spec->proto != IPPROTO_TCP && spec->proto != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HAIRPIN_MAP_A_PROTO],
				    "protocol must be tcp (6) or udp (17)");
		return -EINVAL;
	}
	if (tb[HAIRPIN_MAP_A_ADDR]) {
		spec->addr = nla_get_in_addr(tb[HAIRPIN_MAP_A_ADDR]);
		if (bad_address(spec->addr)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[HAIRPIN_MAP_A_ADDR],
					    "external address must be a unicast address");
			return -EINVAL;
		}
	}
	spec->port = nla_get_u16(tb[HAIRPIN_MAP_A_PORT]);
	spec->port_max = spec->port;
	if (tb[HAIRPIN_MAP_A_PORT_MAX]) {
		spec->port_max = nla_get_u16(tb[HAIRPIN_MAP_A_PORT_MAX]);
		if (spec->port_max < spec->port) {
			NL_SET_ERR_MSG_ATTR(extack, tb[HAIRPIN_MAP_A_PORT_MAX],
					    "port range ends before it starts");
			return -EINVAL;
		}
	}
	/* Deletion names a mapping by what identifies it; the rest is ignored,
	 * so that a line of "map show" can be pasted into "map del".
	 */
	if (!target)
		return 0;

	if (NL_REQ_ATTR_CHECK(extack, req->map, tb, HAIRPIN_MAP_A_TO_ADDR))
		return -EINVAL;
	spec->to_addr = nla_get_in_addr(tb[HAIRPIN_MAP_A_TO_ADDR]);
	if (bad_address(spec->to_addr)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HAIRPIN_MAP_A_TO_ADDR],
				    "internal address must be a unicast address");
		return -EINVAL;
	}
	spec->to_port = spec->port;
	if (tb[HAIRPIN_MAP_A_TO_PORT])
		spec->to_port = nla_get_u16(tb[HAIRPIN_MAP_A_TO_PORT]);
	last = (u32)spec->to_port + spec->port_max - spec->port;
	if (last > U16_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HAIRPIN_MAP_A_TO_PORT],
				    "internal port range ends beyond 65535");
		return -EINVAL;
	}
	if (tb[HAIRPIN_MAP_A_COMMENT] && nla_len(tb[HAIRPIN_MAP_A_COMMENT]) > 1)
		spec->comment = nla_data(tb[HAIRPIN_MAP_A_COMMENT]);
	if (tb[HAIRPIN_MAP_A_FLAGS])
		spec->flags = nla_get_u32(tb[HAIRPIN_MAP_A_FLAGS]);
	return 0;
}

/* A namespace's admin may lower its limits; raising them above the
 * defaults takes the host's admin, or the limits would bound nothing.
 */
static int parse_limit(const struct request *req, const struct nlattr *attr,
		       u32 dflt, s64 *limit, struct netlink_ext_ack *extack)
{
	u32 v;

	if (!attr)
		return 0;
	v = nla_get_u32(attr);
	if (v > dflt && !req->host_admin) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "raising a limit above the namespace's default needs CAP_NET_ADMIN in the initial user namespace");
		return -EPERM;
	}
	*limit = v;
	return 0;
}

/* The address goes with HAIRPIN_SOURCE_ADDR, and only with it. It need
 * not be local: a backup router gets it only when it takes over.
 */
static int parse_source_addr(const struct request *req, __be32 *addr,
			     struct netlink_ext_ack *extack)
{
	bool named = req->source &&
		     nla_get_u8(req->source) == HAIRPIN_SOURCE_ADDR;

	if (!named && req->source_addr) {
		NL_SET_ERR_MSG_ATTR(extack, req->source_addr,
				    "the source address is only for source HAIRPIN_SOURCE_ADDR");
		return -EINVAL;
	}
	if (!named)
		return 0;
	if (!req->source_addr) {
		NL_SET_ERR_MSG_ATTR(extack, req->source,
				    "source HAIRPIN_SOURCE_ADDR needs the source address");
		NL_SET_ERR_ATTR_MISS(extack, req->op, req->op ?
				     HAIRPIN_OP_A_SOURCE_ADDR : HAIRPIN_A_SOURCE_ADDR);
		return -EINVAL;
	}
	*addr = nla_get_in_addr(req->source_addr);
	if (bad_address(*addr)) {
		NL_SET_ERR_MSG_ATTR(extack, req->source_addr,
				    "source address must be a unicast address");
		return -EINVAL;
	}
	return 0;
}

static int apply_config(struct hairpin_txn *txn, const struct request *req,
			struct netlink_ext_ack *extack)
{
	struct hairpin_settings set = {
		.source = req->source ? nla_get_u8(req->source) : -1,
		.mode = req->mode ? nla_get_u8(req->mode) : -1,
		.max_maps = -1,
		.max_ports = -1,
		/* Not "?:" with -1: u32 would win, and -1 become 2^32 - 1. */
		.udp_timeout = -1,
		.max_bindings = -1,
		.scope = req->scope ? nla_get_u8(req->scope) : -1,
	};
	u32 maps, ports;
	int ret;

	if (req->udp_timeout)
		set.udp_timeout = nla_get_u32(req->udp_timeout);
	/* First: an address alone is misplaced rather than nothing. */
	ret = parse_source_addr(req, &set.source_addr, extack);
	if (ret)
		return ret;
	if (!req->source && !req->mode && !req->max_maps && !req->max_ports &&
	    !req->udp_timeout && !req->max_bindings && !req->scope) {
		NL_SET_ERR_MSG_ATTR(extack, req->where, "nothing to set");
		return -EINVAL;
	}
	hairpin_net_default_limits(txn->hn->net, &maps, &ports);
	ret = parse_limit(req, req->max_maps, maps, &set.max_maps, extack);
	if (!ret)
		ret = parse_limit(req, req->max_ports, ports, &set.max_ports, extack);
	if (!ret)
		ret = parse_limit(req, req->max_bindings,
				  hairpin_net_default_bindings(txn->hn->net),
				  &set.max_bindings, extack);
	if (!ret)
		hairpin_txn_config(txn, &set);
	return ret;
}

static int parse_masq(const struct request *req, struct hairpin_masq_rule *rule,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[HAIRPIN_MASQ_A_MAX + 1];
	int ret;

	if (!req->masq) {
		NL_SET_ERR_MSG_ATTR(extack, req->where, "a masq rule is required");
		return -EINVAL;
	}
	ret = nla_parse_nested(tb, HAIRPIN_MASQ_A_MAX, req->masq, masq_policy, extack);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(extack, req->masq, tb, HAIRPIN_MASQ_A_IFNAME))
		return -EINVAL;
	memset(rule, 0, sizeof(*rule));
	nla_strscpy(rule->ifname, tb[HAIRPIN_MASQ_A_IFNAME], IFNAMSIZ);
	if (!rule->ifname[0]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HAIRPIN_MASQ_A_IFNAME],
				    "the interface name is empty");
		return -EINVAL;
	}
	if (tb[HAIRPIN_MASQ_A_FILTER])
		rule->filter = nla_get_u8(tb[HAIRPIN_MASQ_A_FILTER]);
	/* Not necessarily local: a virtual address may be the other
	 * router's for now.
	 */
	if (tb[HAIRPIN_MASQ_A_ADDR]) {
		rule->addr = nla_get_in_addr(tb[HAIRPIN_MASQ_A_ADDR]);
		if (bad_address(rule->addr)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[HAIRPIN_MASQ_A_ADDR],
					    "masq address must be a unicast address");
			return -EINVAL;
		}
	}
	return 0;
}

static int apply(struct hairpin_txn *txn, const struct request *req,
		 struct netlink_ext_ack *extack)
{
	struct hairpin_map_spec spec;
	struct hairpin_map *m;
	int ret;

	switch (req->cmd) {
	case HAIRPIN_CMD_SET_CONFIG:
		return apply_config(txn, req, extack);
	case HAIRPIN_CMD_NEW_MAP:
	case HAIRPIN_CMD_REPLACE_MAP:
		ret = parse_map(req, &spec, true, extack);
		if (ret)
			return ret;
		m = hairpin_map_create(&spec);
		if (!m) {
			NL_SET_ERR_MSG(extack, "no memory for the mapping");
			return -ENOMEM;
		}
		if (req->cmd == HAIRPIN_CMD_NEW_MAP)
			return hairpin_txn_add(txn, m, extack);
		return hairpin_txn_replace(txn, m, extack);
	case HAIRPIN_CMD_DEL_MAP:
		ret = parse_map(req, &spec, false, extack);
		if (ret)
			return ret;
		return hairpin_txn_del(txn, &spec, extack);
	case HAIRPIN_CMD_FLUSH_MAPS:
		return hairpin_txn_flush(txn, extack);
	case HAIRPIN_CMD_NEW_MASQ:
	case HAIRPIN_CMD_DEL_MASQ: {
		struct hairpin_masq_rule rule;

		ret = parse_masq(req, &rule, extack);
		if (ret)
			return ret;
		if (req->cmd == HAIRPIN_CMD_NEW_MASQ)
			return hairpin_txn_masq_add(txn, &rule, extack);
		return hairpin_txn_masq_del(txn, rule.ifname, extack);
	}
	}
	NL_SET_ERR_MSG_ATTR(extack, req->where, "command not allowed in a batch");
	return -EINVAL;
}

/* FLAGS only when a flag is set, as ADDR and COMMENT only when there is
 * one: the nest is what a request for the same mapping would carry.
 */
static int put_map(struct sk_buff *skb, int type, const struct hairpin_map *m)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	u64 conns, hairpinned;

	if (!nest)
		return -EMSGSIZE;
	hairpin_map_stats(m, &conns, &hairpinned);
	if (nla_put_u8(skb, HAIRPIN_MAP_A_PROTO, m->head.key.proto) ||
	    (m->head.key.addr &&
	     nla_put_in_addr(skb, HAIRPIN_MAP_A_ADDR, m->head.key.addr)) ||
	    nla_put_u16(skb, HAIRPIN_MAP_A_PORT, hairpin_map_port(m)) ||
	    nla_put_u16(skb, HAIRPIN_MAP_A_PORT_MAX, m->port_max) ||
	    nla_put_in_addr(skb, HAIRPIN_MAP_A_TO_ADDR, m->to_addr) ||
	    nla_put_u16(skb, HAIRPIN_MAP_A_TO_PORT, m->to_port) ||
	    (hairpin_map_comment(m) &&
	     nla_put_string(skb, HAIRPIN_MAP_A_COMMENT, hairpin_map_comment(m))) ||
	    (hairpin_map_flags(m) &&
	     nla_put_u32(skb, HAIRPIN_MAP_A_FLAGS, hairpin_map_flags(m))) ||
	    nla_put_u64_64bit(skb, HAIRPIN_MAP_A_CONNS, conns, HAIRPIN_MAP_A_PAD) ||
	    nla_put_u64_64bit(skb, HAIRPIN_MAP_A_HAIRPINNED, hairpinned,
			      HAIRPIN_MAP_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_masq(struct sk_buff *skb, const struct hairpin_masq_rule *rule,
		    int bindings)
{
	struct nlattr *nest = nla_nest_start(skb, HAIRPIN_A_MASQ);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, HAIRPIN_MASQ_A_IFNAME, rule->ifname) ||
	    nla_put_u8(skb, HAIRPIN_MASQ_A_FILTER, rule->filter) ||
	    (rule->addr && nla_put_in_addr(skb, HAIRPIN_MASQ_A_ADDR, rule->addr)) ||
	    (bindings >= 0 &&
	     nla_put_u32(skb, HAIRPIN_MASQ_A_BINDINGS, bindings))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The address only with the source that has one, as a request has it. */
static int put_source(struct sk_buff *skb, const struct hairpin_net *hn)
{
	if (nla_put_u8(skb, HAIRPIN_A_SOURCE, hn->source))
		return -EMSGSIZE;
	if (hn->source == HAIRPIN_SOURCE_ADDR &&
	    nla_put_in_addr(skb, HAIRPIN_A_SOURCE_ADDR, hn->source_addr))
		return -EMSGSIZE;
	return 0;
}

static void notify(struct hairpin_net *hn, u8 cmd, const struct hairpin_map *m,
		   const struct hairpin_masq_rule *rule)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		goto err;
	hdr = genlmsg_put(skb, 0, 0, &hairpin_family, 0, cmd);
	if (!hdr)
		goto err_free;
	if (m && put_map(skb, HAIRPIN_A_MAP, m))
		goto err_free;
	if (rule && put_masq(skb, rule, -1))
		goto err_free;
	if (cmd == HAIRPIN_CMD_SET_CONFIG &&
	    (put_source(skb, hn) ||
	     nla_put_u8(skb, HAIRPIN_A_MODE, hn->mode) ||
	     nla_put_u32(skb, HAIRPIN_A_UDP_TIMEOUT, hn->udp_timeout) ||
	     nla_put_u8(skb, HAIRPIN_A_SCOPE, hn->scope)))
		goto err_free;
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&hairpin_family, hn->net, skb, 0, 0, GFP_KERNEL);
	return;

err_free:
	nlmsg_free(skb);
err:
	/* Listeners learn that they missed something, as with any overrun. */
	netlink_set_err(hn->net->genl_sock, 0, hairpin_family.mcgrp_offset, ENOBUFS);
}

static void notify_txn(const struct hairpin_txn *txn)
{
	struct hairpin_net *hn = txn->hn;
	unsigned int i;

	if (!genl_has_listeners(&hairpin_family, hn->net, 0))
		return;
	for (i = 0; i < txn->n_ops; i++) {
		const struct hairpin_txn_op *op = &txn->ops[i];

		if (op->old)
			notify(hn, HAIRPIN_CMD_DEL_MAP, op->old, NULL);
		notify(hn, op->cmd == HAIRPIN_CMD_REPLACE_MAP ?
		       HAIRPIN_CMD_NEW_MAP : op->cmd, op->map,
		       op->cmd == HAIRPIN_CMD_NEW_MASQ ||
		       op->cmd == HAIRPIN_CMD_DEL_MASQ ? &op->masq : NULL);
		cond_resched();
	}
}

static int hairpin_nl_change(struct sk_buff *skb, struct genl_info *info)
{
	struct hairpin_net *hn = hairpin_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	const struct nlattr *attr = NULL;
	struct request req = {};
	struct hairpin_txn txn;
	unsigned int n = 1;
	int rem, ret;

	if (info->genlhdr->cmd == HAIRPIN_CMD_BATCH) {
		n = 0;
		nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem)
			n++;
		if (!n) {
			NL_SET_ERR_MSG(extack, "empty batch");
			return -EINVAL;
		}
	} else {
		req.cmd = info->genlhdr->cmd;
		req.where = info->attrs[HAIRPIN_A_MAP];
		req.map = info->attrs[HAIRPIN_A_MAP];
		req.source = info->attrs[HAIRPIN_A_SOURCE];
		req.mode = info->attrs[HAIRPIN_A_MODE];
		req.max_maps = info->attrs[HAIRPIN_A_MAX_MAPS];
		req.max_ports = info->attrs[HAIRPIN_A_MAX_PORTS];
		req.masq = info->attrs[HAIRPIN_A_MASQ];
		req.udp_timeout = info->attrs[HAIRPIN_A_UDP_TIMEOUT];
		req.max_bindings = info->attrs[HAIRPIN_A_MAX_BINDINGS];
		req.scope = info->attrs[HAIRPIN_A_SCOPE];
		req.source_addr = info->attrs[HAIRPIN_A_SOURCE_ADDR];
		if (req.masq)
			req.where = req.masq;
	}
	req.host_admin = netlink_capable(skb, CAP_NET_ADMIN);

	mutex_lock(&hn->lock);
	ret = hairpin_txn_begin(&txn, hn, n);
	if (ret) {
		NL_SET_ERR_MSG(extack, "no memory for the transaction");
		goto out_unlock;
	}

	if (info->genlhdr->cmd != HAIRPIN_CMD_BATCH) {
		ret = apply(&txn, &req, extack);
	} else {
		nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
			struct nlattr *tb[HAIRPIN_OP_A_MAX + 1];

			/* First: a failure below blames this op, not the last. */
			req.where = attr;
			req.op = attr;
			ret = nla_parse_nested(tb, HAIRPIN_OP_A_MAX, attr,
					       op_policy, extack);
			if (ret)
				break;
			if (NL_REQ_ATTR_CHECK(extack, attr, tb, HAIRPIN_OP_A_CMD)) {
				ret = -EINVAL;
				break;
			}
			req.cmd = nla_get_u8(tb[HAIRPIN_OP_A_CMD]);
			req.map = tb[HAIRPIN_OP_A_MAP];
			req.source = tb[HAIRPIN_OP_A_SOURCE];
			req.mode = tb[HAIRPIN_OP_A_MODE];
			req.max_maps = tb[HAIRPIN_OP_A_MAX_MAPS];
			req.max_ports = tb[HAIRPIN_OP_A_MAX_PORTS];
			req.masq = tb[HAIRPIN_OP_A_MASQ];
			req.udp_timeout = tb[HAIRPIN_OP_A_UDP_TIMEOUT];
			req.max_bindings = tb[HAIRPIN_OP_A_MAX_BINDINGS];
			req.scope = tb[HAIRPIN_OP_A_SCOPE];
			req.source_addr = tb[HAIRPIN_OP_A_SOURCE_ADDR];
			ret = apply(&txn, &req, extack);
			if (ret)
				break;
			cond_resched();
		}
	}
	/* Point at the failed operation, unless something inside it is named. */
	if (ret && extack && !extack->bad_attr && req.where)
		NL_SET_BAD_ATTR(extack, req.where);
	if (!ret)
		ret = hairpin_txn_commit(&txn, extack);
	if (ret)
		hairpin_txn_abort(&txn);
	else
		notify_txn(&txn);
	hairpin_txn_end(&txn);
out_unlock:
	mutex_unlock(&hn->lock);
	return ret;
}

static int hairpin_nl_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct hairpin_net *hn = hairpin_net(genl_info_net(info));
	const struct hairpin_table *t;
	const struct hairpin_map *m;
	u64 conns, hairpinned;
	struct sk_buff *msg;
	void *hdr;
	int ret = -EMSGSIZE;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &hairpin_family, 0, HAIRPIN_CMD_GET_CONFIG);
	if (!hdr)
		goto err;

	mutex_lock(&hn->lock);
	t = rcu_dereference_protected(hn->table, lockdep_is_held(&hn->lock));
	conns = hn->retired_conns;
	hairpinned = hn->retired_hairpinned;
	list_for_each_entry(m, &t->maps, list) {
		u64 c, h;

		/* A mirror's connections are someone else's forward's. */
		if (hairpin_map_mirror(m))
			continue;
		hairpin_map_stats(m, &c, &h);
		conns += c;
		hairpinned += h;
	}
	if (nla_put_string(msg, HAIRPIN_A_VERSION, HAIRPIN_VERSION) ||
	    put_source(msg, hn) ||
	    nla_put_u8(msg, HAIRPIN_A_MODE, hn->mode) ||
	    nla_put_u32(msg, HAIRPIN_A_MAPPINGS, t->count) ||
	    nla_put_u64_64bit(msg, HAIRPIN_A_CONNS, conns, HAIRPIN_A_PAD) ||
	    nla_put_u64_64bit(msg, HAIRPIN_A_HAIRPINNED, hairpinned, HAIRPIN_A_PAD) ||
	    nla_put_u32(msg, HAIRPIN_A_PORTS, t->ports) ||
	    nla_put_u32(msg, HAIRPIN_A_MAX_MAPS, hn->max_maps) ||
	    nla_put_u32(msg, HAIRPIN_A_MAX_PORTS, hn->max_ports) ||
	    nla_put_u32(msg, HAIRPIN_A_UDP_TIMEOUT, hn->udp_timeout) ||
	    nla_put_u32(msg, HAIRPIN_A_MAX_BINDINGS, hn->max_bindings) ||
	    nla_put_u32(msg, HAIRPIN_A_BINDINGS, atomic_read(&hn->bindings.count)) ||
	    nla_put_u8(msg, HAIRPIN_A_SCOPE, hn->scope) ||
	    nla_put_u64_64bit(msg, HAIRPIN_A_OTHERS_HAIRPINNED,
			      hairpin_net_others(hn), HAIRPIN_A_PAD)) {
		mutex_unlock(&hn->lock);
		goto err;
	}
	mutex_unlock(&hn->lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err:
	nlmsg_free(msg);
	return ret;
}

/* One message per mapping. The cursor is an index into the table's list;
 * the namespace's change counter marks a dump that raced a change.
 */
static int hairpin_nl_dump_maps(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct hairpin_net *hn = hairpin_net(sock_net(skb->sk));
	const struct hairpin_table *t;
	const struct hairpin_map *m;
	long idx = 0;
	void *hdr;

	mutex_lock(&hn->lock);
	cb->seq = hn->seq;
	t = rcu_dereference_protected(hn->table, lockdep_is_held(&hn->lock));
	list_for_each_entry(m, &t->maps, list) {
		if (idx++ < cb->args[0])
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &hairpin_family, NLM_F_MULTI, HAIRPIN_CMD_GET_MAP);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (put_map(skb, HAIRPIN_A_MAP, m)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = idx;
	}
	mutex_unlock(&hn->lock);
	return skb->len;
}

/* One message per masq rule, with the bindings on its interface. */
static int hairpin_nl_dump_masq(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct hairpin_net *hn = hairpin_net(sock_net(skb->sk));
	const struct hairpin_masq *masq;
	long idx;
	void *hdr;

	mutex_lock(&hn->lock);
	cb->seq = hn->seq;
	masq = rcu_dereference_protected(hn->masq, lockdep_is_held(&hn->lock));
	for (idx = cb->args[0]; masq && idx < masq->n; idx++) {
		unsigned int n = hairpin_masq_bindings(hn, masq->rule[idx].ifname);

		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &hairpin_family, NLM_F_MULTI, HAIRPIN_CMD_GET_MASQ);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (put_masq(skb, &masq->rule[idx], n)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = idx + 1;
	}
	mutex_unlock(&hn->lock);
	return skb->len;
}

struct binding_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	long idx;
};

static int put_binding(struct hairpin_binding *bd, void *data)
{
	struct binding_dump *d = data;
	struct nlattr *nest;
	void *hdr;

	if (READ_ONCE(bd->dead) || d->idx++ < d->cb->args[0])
		return 0;
	hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &hairpin_family, NLM_F_MULTI,
			  HAIRPIN_CMD_GET_BINDING);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(d->skb, HAIRPIN_A_BINDING);
	if (!nest ||
	    nla_put_u8(d->skb, HAIRPIN_BINDING_A_PROTO, bd->in.proto) ||
	    nla_put_in_addr(d->skb, HAIRPIN_BINDING_A_INT_ADDR, bd->in.addr) ||
	    nla_put_u16(d->skb, HAIRPIN_BINDING_A_INT_PORT, ntohs(bd->in.port)) ||
	    nla_put_in_addr(d->skb, HAIRPIN_BINDING_A_EXT_ADDR, bd->ext.addr) ||
	    nla_put_u16(d->skb, HAIRPIN_BINDING_A_EXT_PORT, ntohs(bd->ext.port)) ||
	    nla_put_u8(d->skb, HAIRPIN_BINDING_A_FILTER, READ_ONCE(bd->filter)) ||
	    nla_put_u32(d->skb, HAIRPIN_BINDING_A_CONNS, READ_ONCE(bd->conns)) ||
	    nla_put_u32(d->skb, HAIRPIN_BINDING_A_IDLE,
			((u32)jiffies - READ_ONCE(bd->used)) / HZ)) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(d->skb, nest);
	genlmsg_end(d->skb, hdr);
	d->cb->args[0] = d->idx;
	return 0;
}

/* One message per binding. Packets make and end them without the mutex:
 * the cursor is a position in a walk, and a binding made or ended during
 * the dump may be missed or shown twice, as with /proc/net/nf_conntrack.
 */
static int hairpin_nl_dump_bindings(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct hairpin_net *hn = hairpin_net(sock_net(skb->sk));
	struct binding_dump d = { .skb = skb, .cb = cb };

	hairpin_bindings_walk(&hn->bindings, put_binding, &d);
	return skb->len;
}

static const struct genl_ops hairpin_ops[] = {
	{
		.cmd = HAIRPIN_CMD_GET_CONFIG,
		.doit = hairpin_nl_get_config,
		.policy = none_policy,
		.maxattr = HAIRPIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = HAIRPIN_CMD_SET_CONFIG,
		.doit = hairpin_nl_change,
		.policy = config_policy,
		.maxattr = HAIRPIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = HAIRPIN_CMD_NEW_MAP,
		.doit = hairpin_nl_change,
		.policy = map_cmd_policy,
		.maxattr = HAIRPIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = HAIRPIN_CMD_DEL_MAP,
		.doit = hairpin_nl_change,
		.policy = map_cmd_policy,
		.maxattr = HAIRPIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = HAIRPIN_CMD_REPLACE_MAP,
		.doit = hairpin_nl_change,
		.policy = map_cmd_policy,
		.maxattr = HAIRPIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = HAIRPIN_CMD_GET_MAP,
		.dumpit = hairpin_nl_dump_maps,
		.policy = none_policy,
		.maxattr = HAIRPIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = HAIRPIN_CMD_FLUSH_MAPS,
		.doit = hairpin_nl_change,
		.policy = none_policy,
		.maxattr = HAIRPIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = HAIRPIN_CMD_BATCH,
		.doit = hairpin_nl_change,
		.policy = batch_policy,
		.maxattr = HAIRPIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = HAIRPIN_CMD_NEW_MASQ,
		.doit = hairpin_nl_change,
		.policy = masq_cmd_policy,
		.maxattr = HAIRPIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = HAIRPIN_CMD_DEL_MASQ,
		.doit = hairpin_nl_change,
		.policy = masq_cmd_policy,
		.maxattr = HAIRPIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = HAIRPIN_CMD_GET_MASQ,
		.dumpit = hairpin_nl_dump_masq,
		.policy = none_policy,
		.maxattr = HAIRPIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = HAIRPIN_CMD_GET_BINDING,
		.dumpit = hairpin_nl_dump_bindings,
		.policy = none_policy,
		.maxattr = HAIRPIN_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group hairpin_mcgrps[] = {
	{ .name = HAIRPIN_MCGRP_CHANGES, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family hairpin_family __ro_after_init = {
	.name = HAIRPIN_GENL_NAME,
	.version = HAIRPIN_GENL_VERSION,
	.maxattr = HAIRPIN_A_MAX,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = hairpin_ops,
	.n_ops = ARRAY_SIZE(hairpin_ops),
	.mcgrps = hairpin_mcgrps,
	.n_mcgrps = ARRAY_SIZE(hairpin_mcgrps),
};

int __init hairpin_netlink_init(void)
{
	return genl_register_family(&hairpin_family);
}

void hairpin_netlink_uninit(void)
{
	genl_unregister_family(&hairpin_family);
}

/* So that the first request autoloads the module. */
MODULE_ALIAS_GENL_FAMILY(HAIRPIN_GENL_NAME);
