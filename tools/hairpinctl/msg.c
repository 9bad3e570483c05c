// SPDX-License-Identifier: GPL-2.0
/*
 * hairpin messages: requests from struct hp_op; struct hp_map, struct
 * hp_masq and struct hp_binding from dumps; HAIRPIN_CMD_BATCH in a
 * growable buffer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "genl.h"
#include "msg.h"

struct nlmsghdr *hp_msg_start(void *buf, uint16_t family, uint8_t cmd,
			      uint16_t flags)
{
	return genl_start(buf, family, cmd, HAIRPIN_GENL_VERSION, flags);
}

void hp_map_put(struct nlmsghdr *nlh, uint16_t type, const struct hp_map *m)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u8(nlh, HAIRPIN_MAP_A_PROTO, m->proto);
	if (m->has_addr)
		mnl_attr_put_u32(nlh, HAIRPIN_MAP_A_ADDR, m->addr);
	mnl_attr_put_u16(nlh, HAIRPIN_MAP_A_PORT, m->port);
	if (m->port_max != m->port)
		mnl_attr_put_u16(nlh, HAIRPIN_MAP_A_PORT_MAX, m->port_max);
	if (m->has_to) {
		mnl_attr_put_u32(nlh, HAIRPIN_MAP_A_TO_ADDR, m->to_addr);
		if (m->has_to_port)
			mnl_attr_put_u16(nlh, HAIRPIN_MAP_A_TO_PORT, m->to_port);
	}
	if (m->comment[0])
		mnl_attr_put_strz(nlh, HAIRPIN_MAP_A_COMMENT, m->comment);
	/* Absent means 0: a mapping without flags still goes to a module
	 * older than them.
	 */
	if (m->flags)
		mnl_attr_put_u32(nlh, HAIRPIN_MAP_A_FLAGS, m->flags);
	mnl_attr_nest_end(nlh, nest);
}

/* What each hairpin_map_attr must look like in a reply. */
static const enum mnl_attr_data_type map_attr_types[HAIRPIN_MAP_A_MAX + 1] = {
	[HAIRPIN_MAP_A_PROTO] = MNL_TYPE_U8,
	[HAIRPIN_MAP_A_ADDR] = MNL_TYPE_U32,
	[HAIRPIN_MAP_A_PORT] = MNL_TYPE_U16,
	[HAIRPIN_MAP_A_PORT_MAX] = MNL_TYPE_U16,
	[HAIRPIN_MAP_A_TO_ADDR] = MNL_TYPE_U32,
	[HAIRPIN_MAP_A_TO_PORT] = MNL_TYPE_U16,
	[HAIRPIN_MAP_A_COMMENT] = MNL_TYPE_NUL_STRING,
	[HAIRPIN_MAP_A_CONNS] = MNL_TYPE_U64,
	[HAIRPIN_MAP_A_HAIRPINNED] = MNL_TYPE_U64,
	[HAIRPIN_MAP_A_FLAGS] = MNL_TYPE_U32,
};

/* A nest or a message's attributes into tb, each of the type types[] says;
 * newer modules may add attributes: what we do not know is skipped.
 */
struct attr_table {
	const struct nlattr **tb;
	const enum mnl_attr_data_type *types;
	uint16_t max;
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct attr_table *t = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, t->max) < 0 ||
	    t->types[type] == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, t->types[type]) < 0)
		return MNL_CB_ERROR;
	t->tb[type] = attr;
	return MNL_CB_OK;
}

bool hp_map_parse(const struct nlattr *nest, struct hp_map *m)
{
	const struct nlattr *tb[HAIRPIN_MAP_A_MAX + 1] = { NULL };
	struct attr_table t = { tb, map_attr_types, HAIRPIN_MAP_A_MAX };

	memset(m, 0, sizeof(*m));
	if (mnl_attr_parse_nested(nest, attr_cb, &t) < 0)
		return false;
	if (tb[HAIRPIN_MAP_A_COMMENT] &&
	    mnl_attr_get_payload_len(tb[HAIRPIN_MAP_A_COMMENT]) > HAIRPIN_COMMENT_MAX) {
		errno = ERANGE;
		return false;
	}
	if (!tb[HAIRPIN_MAP_A_PROTO] || !tb[HAIRPIN_MAP_A_PORT]) {
		errno = EBADMSG;
		return false;
	}
	m->proto = mnl_attr_get_u8(tb[HAIRPIN_MAP_A_PROTO]);
	m->port = mnl_attr_get_u16(tb[HAIRPIN_MAP_A_PORT]);
	m->port_max = m->port;
	if (tb[HAIRPIN_MAP_A_PORT_MAX])
		m->port_max = mnl_attr_get_u16(tb[HAIRPIN_MAP_A_PORT_MAX]);
	if (m->port_max < m->port) {
		errno = EBADMSG;
		return false;
	}
	if (tb[HAIRPIN_MAP_A_ADDR]) {
		m->has_addr = true;
		m->addr = mnl_attr_get_u32(tb[HAIRPIN_MAP_A_ADDR]);
	}
	if (tb[HAIRPIN_MAP_A_TO_ADDR]) {
		m->has_to = true;
		m->to_addr = mnl_attr_get_u32(tb[HAIRPIN_MAP_A_TO_ADDR]);
	}
	m->to_port = m->port;
	if (tb[HAIRPIN_MAP_A_TO_PORT]) {
		m->has_to_port = true;
		m->to_port = mnl_attr_get_u16(tb[HAIRPIN_MAP_A_TO_PORT]);
	}
	if (tb[HAIRPIN_MAP_A_COMMENT]) {
		/* Validated: NUL-terminated and at most HAIRPIN_COMMENT_MAX. */
		strcpy(m->comment, mnl_attr_get_str(tb[HAIRPIN_MAP_A_COMMENT]));
	}
	if (tb[HAIRPIN_MAP_A_FLAGS])
		m->flags = mnl_attr_get_u32(tb[HAIRPIN_MAP_A_FLAGS]);
	if (tb[HAIRPIN_MAP_A_CONNS] || tb[HAIRPIN_MAP_A_HAIRPINNED]) {
		m->has_counters = true;
		if (tb[HAIRPIN_MAP_A_CONNS])
			m->conns = mnl_attr_get_u64(tb[HAIRPIN_MAP_A_CONNS]);
		if (tb[HAIRPIN_MAP_A_HAIRPINNED])
			m->hairpinned = mnl_attr_get_u64(tb[HAIRPIN_MAP_A_HAIRPINNED]);
	}
	return true;
}

void hp_masq_put(struct nlmsghdr *nlh, uint16_t type, const struct hp_masq *m,
		 bool rule)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_strz(nlh, HAIRPIN_MASQ_A_IFNAME, m->ifname);
	if (rule && m->filter != HAIRPIN_FILTER_INDEPENDENT)
		mnl_attr_put_u8(nlh, HAIRPIN_MASQ_A_FILTER, (uint8_t)m->filter);
	if (rule && m->has_addr)
		mnl_attr_put_u32(nlh, HAIRPIN_MASQ_A_ADDR, m->addr);
	mnl_attr_nest_end(nlh, nest);
}

static const enum mnl_attr_data_type masq_attr_types[HAIRPIN_MASQ_A_MAX + 1] = {
	[HAIRPIN_MASQ_A_IFNAME] = MNL_TYPE_NUL_STRING,
	[HAIRPIN_MASQ_A_FILTER] = MNL_TYPE_U8,
	[HAIRPIN_MASQ_A_BINDINGS] = MNL_TYPE_U32,
	[HAIRPIN_MASQ_A_ADDR] = MNL_TYPE_U32,
};

bool hp_masq_parse(const struct nlattr *nest, struct hp_masq *m)
{
	const struct nlattr *tb[HAIRPIN_MASQ_A_MAX + 1] = { NULL };
	struct attr_table t = { tb, masq_attr_types, HAIRPIN_MASQ_A_MAX };

	memset(m, 0, sizeof(*m));
	m->filter = HAIRPIN_FILTER_INDEPENDENT;
	if (mnl_attr_parse_nested(nest, attr_cb, &t) < 0)
		return false;
	if (!tb[HAIRPIN_MASQ_A_IFNAME]) {
		errno = EBADMSG;
		return false;
	}
	if (mnl_attr_get_payload_len(tb[HAIRPIN_MASQ_A_IFNAME]) > IFNAMSIZ) {
		errno = ERANGE;
		return false;
	}
	/* Validated: NUL-terminated and at most IFNAMSIZ. */
	strcpy(m->ifname, mnl_attr_get_str(tb[HAIRPIN_MASQ_A_IFNAME]));
	if (tb[HAIRPIN_MASQ_A_FILTER])
		m->filter = mnl_attr_get_u8(tb[HAIRPIN_MASQ_A_FILTER]);
	if (tb[HAIRPIN_MASQ_A_ADDR]) {
		m->has_addr = true;
		m->addr = mnl_attr_get_u32(tb[HAIRPIN_MASQ_A_ADDR]);
	}
	if (tb[HAIRPIN_MASQ_A_BINDINGS]) {
		m->has_bindings = true;
		m->bindings = mnl_attr_get_u32(tb[HAIRPIN_MASQ_A_BINDINGS]);
	}
	return true;
}

/* What each hairpin_attr must look like in a reply or an event. */
static const enum mnl_attr_data_type top_attr_types[HAIRPIN_A_MAX + 1] = {
	[HAIRPIN_A_VERSION] = MNL_TYPE_NUL_STRING,
	[HAIRPIN_A_SOURCE] = MNL_TYPE_U8,
	[HAIRPIN_A_MODE] = MNL_TYPE_U8,
	[HAIRPIN_A_MAP] = MNL_TYPE_NESTED,
	[HAIRPIN_A_MAPPINGS] = MNL_TYPE_U32,
	[HAIRPIN_A_CONNS] = MNL_TYPE_U64,
	[HAIRPIN_A_HAIRPINNED] = MNL_TYPE_U64,
	[HAIRPIN_A_MAX_MAPS] = MNL_TYPE_U32,
	[HAIRPIN_A_MAX_PORTS] = MNL_TYPE_U32,
	[HAIRPIN_A_PORTS] = MNL_TYPE_U32,
	[HAIRPIN_A_MASQ] = MNL_TYPE_NESTED,
	[HAIRPIN_A_BINDING] = MNL_TYPE_NESTED,
	[HAIRPIN_A_UDP_TIMEOUT] = MNL_TYPE_U32,
	[HAIRPIN_A_MAX_BINDINGS] = MNL_TYPE_U32,
	[HAIRPIN_A_BINDINGS] = MNL_TYPE_U32,
	[HAIRPIN_A_SCOPE] = MNL_TYPE_U8,
	[HAIRPIN_A_OTHERS_HAIRPINNED] = MNL_TYPE_U64,
	[HAIRPIN_A_SOURCE_ADDR] = MNL_TYPE_U32,
};

static bool parse_top(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	struct attr_table t = { tb, top_attr_types, HAIRPIN_A_MAX };

	memset(tb, 0, (HAIRPIN_A_MAX + 1) * sizeof(*tb));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr)) {
		errno = EBADMSG;
		return false;
	}
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, &t) >= 0;
}

/* A source or mode (u8) into *v, if attr is there. */
static void get_setting(const struct nlattr *attr, int *v)
{
	if (attr)
		*v = mnl_attr_get_u8(attr);
}

/* The u8 of attr into *v, if it is there: whether it was. */
static bool get_u8(const struct nlattr *attr, uint8_t *v)
{
	if (attr)
		*v = mnl_attr_get_u8(attr);
	return attr != NULL;
}

/* The u32 of attr into *v, if it is there: whether it was. */
static bool get_u32(const struct nlattr *attr, uint32_t *v)
{
	if (attr)
		*v = mnl_attr_get_u32(attr);
	return attr != NULL;
}

int hp_config_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HAIRPIN_A_MAX + 1];
	struct hp_config *c = data;

	if (!parse_top(nlh, tb))
		return MNL_CB_ERROR;
	if (tb[HAIRPIN_A_VERSION])
		snprintf(c->version, sizeof(c->version), "%s",
			 mnl_attr_get_str(tb[HAIRPIN_A_VERSION]));
	get_setting(tb[HAIRPIN_A_SOURCE], &c->source);
	get_u32(tb[HAIRPIN_A_SOURCE_ADDR], &c->source_addr);
	get_setting(tb[HAIRPIN_A_MODE], &c->mode);
	get_u32(tb[HAIRPIN_A_MAPPINGS], &c->mappings);
	if (tb[HAIRPIN_A_CONNS])
		c->conns = mnl_attr_get_u64(tb[HAIRPIN_A_CONNS]);
	if (tb[HAIRPIN_A_HAIRPINNED])
		c->hairpinned = mnl_attr_get_u64(tb[HAIRPIN_A_HAIRPINNED]);
	/* Older modules have no limits, no UDP timeout, no bindings and no
	 * scope: the has_* flags stay false.
	 */
	c->has_ports = get_u32(tb[HAIRPIN_A_PORTS], &c->ports);
	c->has_max_maps = get_u32(tb[HAIRPIN_A_MAX_MAPS], &c->max_maps);
	c->has_max_ports = get_u32(tb[HAIRPIN_A_MAX_PORTS], &c->max_ports);
	c->has_udp_timeout = get_u32(tb[HAIRPIN_A_UDP_TIMEOUT], &c->udp_timeout);
	c->has_bindings = get_u32(tb[HAIRPIN_A_BINDINGS], &c->bindings);
	c->has_max_bindings = get_u32(tb[HAIRPIN_A_MAX_BINDINGS], &c->max_bindings);
	c->has_scope = get_u8(tb[HAIRPIN_A_SCOPE], &c->scope);
	if (tb[HAIRPIN_A_OTHERS_HAIRPINNED]) {
		c->has_others = true;
		c->others_hairpinned = mnl_attr_get_u64(tb[HAIRPIN_A_OTHERS_HAIRPINNED]);
	}
	return MNL_CB_OK;
}

int hp_maps_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HAIRPIN_A_MAX + 1];
	struct hp_maplist *list = data;
	struct hp_map m;

	if (!parse_top(nlh, tb))
		return MNL_CB_ERROR;
	if (!tb[HAIRPIN_A_MAP])
		return MNL_CB_OK;
	if (!hp_map_parse(tb[HAIRPIN_A_MAP], &m) || !hp_maplist_push(list, &m))
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

int hp_masqs_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HAIRPIN_A_MAX + 1];
	struct hp_masqlist *list = data;
	struct hp_masq m;

	if (!parse_top(nlh, tb))
		return MNL_CB_ERROR;
	if (!tb[HAIRPIN_A_MASQ])
		return MNL_CB_OK;
	if (!hp_masq_parse(tb[HAIRPIN_A_MASQ], &m) || !hp_masqlist_push(list, &m))
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

static const enum mnl_attr_data_type binding_attr_types[HAIRPIN_BINDING_A_MAX + 1] = {
	[HAIRPIN_BINDING_A_PROTO] = MNL_TYPE_U8,
	[HAIRPIN_BINDING_A_INT_ADDR] = MNL_TYPE_U32,
	[HAIRPIN_BINDING_A_INT_PORT] = MNL_TYPE_U16,
	[HAIRPIN_BINDING_A_EXT_ADDR] = MNL_TYPE_U32,
	[HAIRPIN_BINDING_A_EXT_PORT] = MNL_TYPE_U16,
	[HAIRPIN_BINDING_A_FILTER] = MNL_TYPE_U8,
	[HAIRPIN_BINDING_A_CONNS] = MNL_TYPE_U32,
	[HAIRPIN_BINDING_A_IDLE] = MNL_TYPE_U32,
};

bool hp_binding_parse(const struct nlattr *nest, struct hp_binding *b)
{
	const struct nlattr *tb[HAIRPIN_BINDING_A_MAX + 1] = { NULL };
	struct attr_table t = { tb, binding_attr_types, HAIRPIN_BINDING_A_MAX };

	memset(b, 0, sizeof(*b));
	b->filter = HP_UNSET;
	if (mnl_attr_parse_nested(nest, attr_cb, &t) < 0)
		return false;
	if (!tb[HAIRPIN_BINDING_A_PROTO] || !tb[HAIRPIN_BINDING_A_INT_ADDR] ||
	    !tb[HAIRPIN_BINDING_A_INT_PORT] || !tb[HAIRPIN_BINDING_A_EXT_ADDR] ||
	    !tb[HAIRPIN_BINDING_A_EXT_PORT]) {
		errno = EBADMSG;
		return false;
	}
	b->proto = mnl_attr_get_u8(tb[HAIRPIN_BINDING_A_PROTO]);
	b->int_addr = mnl_attr_get_u32(tb[HAIRPIN_BINDING_A_INT_ADDR]);
	b->int_port = mnl_attr_get_u16(tb[HAIRPIN_BINDING_A_INT_PORT]);
	b->ext_addr = mnl_attr_get_u32(tb[HAIRPIN_BINDING_A_EXT_ADDR]);
	b->ext_port = mnl_attr_get_u16(tb[HAIRPIN_BINDING_A_EXT_PORT]);
	if (tb[HAIRPIN_BINDING_A_FILTER])
		b->filter = mnl_attr_get_u8(tb[HAIRPIN_BINDING_A_FILTER]);
	b->has_conns = get_u32(tb[HAIRPIN_BINDING_A_CONNS], &b->conns);
	b->has_idle = get_u32(tb[HAIRPIN_BINDING_A_IDLE], &b->idle);
	return true;
}

int hp_bindings_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[HAIRPIN_A_MAX + 1];
	struct hp_bindinglist *list = data;
	struct hp_binding b;

	if (!parse_top(nlh, tb))
		return MNL_CB_ERROR;
	if (!tb[HAIRPIN_A_BINDING])
		return MNL_CB_OK;
	if (!hp_binding_parse(tb[HAIRPIN_A_BINDING], &b) ||
	    !hp_bindinglist_push(list, &b))
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

int hp_event_parse(const struct nlmsghdr *nlh, struct hp_op *op)
{
	const struct nlattr *tb[HAIRPIN_A_MAX + 1];
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	if (!parse_top(nlh, tb))
		return -1;
	hp_op_init(op, genl->cmd);
	switch (genl->cmd) {
	case HAIRPIN_CMD_NEW_MAP:
	case HAIRPIN_CMD_DEL_MAP:
		if (!tb[HAIRPIN_A_MAP]) {
			errno = EBADMSG;
			return -1;
		}
		return hp_map_parse(tb[HAIRPIN_A_MAP], &op->map) ? 1 : -1;
	case HAIRPIN_CMD_FLUSH_MAPS:
		return 1;
	case HAIRPIN_CMD_NEW_MASQ:
	case HAIRPIN_CMD_DEL_MASQ:
		if (!tb[HAIRPIN_A_MASQ]) {
			errno = EBADMSG;
			return -1;
		}
		return hp_masq_parse(tb[HAIRPIN_A_MASQ], &op->masq) ? 1 : -1;
	case HAIRPIN_CMD_SET_CONFIG:
		get_setting(tb[HAIRPIN_A_SOURCE], &op->source);
		get_u32(tb[HAIRPIN_A_SOURCE_ADDR], &op->source_addr);
		get_setting(tb[HAIRPIN_A_MODE], &op->mode);
		op->has_max_maps = get_u32(tb[HAIRPIN_A_MAX_MAPS], &op->max_maps);
		op->has_max_ports = get_u32(tb[HAIRPIN_A_MAX_PORTS], &op->max_ports);
		op->has_udp_timeout = get_u32(tb[HAIRPIN_A_UDP_TIMEOUT],
					      &op->udp_timeout);
		op->has_max_bindings = get_u32(tb[HAIRPIN_A_MAX_BINDINGS],
					       &op->max_bindings);
		op->has_scope = get_u8(tb[HAIRPIN_A_SCOPE], &op->scope);
		return 1;
	}
	return 0;
}

/* The single commands and HAIRPIN_A_OP number the same things differently. */
struct op_attrs {
	uint16_t map, masq, source, mode, max_maps, max_ports, udp_timeout,
		 max_bindings, scope, source_addr;
};

static const struct op_attrs request_attrs = {
	.map = HAIRPIN_A_MAP, .masq = HAIRPIN_A_MASQ, .source = HAIRPIN_A_SOURCE,
	.mode = HAIRPIN_A_MODE, .max_maps = HAIRPIN_A_MAX_MAPS,
	.max_ports = HAIRPIN_A_MAX_PORTS, .udp_timeout = HAIRPIN_A_UDP_TIMEOUT,
	.max_bindings = HAIRPIN_A_MAX_BINDINGS, .scope = HAIRPIN_A_SCOPE,
	.source_addr = HAIRPIN_A_SOURCE_ADDR,
};

static const struct op_attrs batch_attrs = {
	.map = HAIRPIN_OP_A_MAP, .masq = HAIRPIN_OP_A_MASQ,
	.source = HAIRPIN_OP_A_SOURCE,
	.mode = HAIRPIN_OP_A_MODE, .max_maps = HAIRPIN_OP_A_MAX_MAPS,
	.max_ports = HAIRPIN_OP_A_MAX_PORTS,
	.udp_timeout = HAIRPIN_OP_A_UDP_TIMEOUT,
	.max_bindings = HAIRPIN_OP_A_MAX_BINDINGS,
	.scope = HAIRPIN_OP_A_SCOPE,
	.source_addr = HAIRPIN_OP_A_SOURCE_ADDR,
};

static void put_op_attrs(struct nlmsghdr *nlh, const struct hp_op *op,
			 const struct op_attrs *a)
{
	switch (op->cmd) {
	case HAIRPIN_CMD_NEW_MAP:
	case HAIRPIN_CMD_DEL_MAP:
	case HAIRPIN_CMD_REPLACE_MAP:
		hp_map_put(nlh, a->map, &op->map);
		break;
	case HAIRPIN_CMD_NEW_MASQ:
	case HAIRPIN_CMD_DEL_MASQ:
		hp_masq_put(nlh, a->masq, &op->masq, op->cmd == HAIRPIN_CMD_NEW_MASQ);
		break;
	case HAIRPIN_CMD_SET_CONFIG:
		if (op->source != HP_UNSET)
			mnl_attr_put_u8(nlh, a->source, (uint8_t)op->source);
		if (op->source == HAIRPIN_SOURCE_ADDR)
			mnl_attr_put_u32(nlh, a->source_addr, op->source_addr);
		if (op->mode != HP_UNSET)
			mnl_attr_put_u8(nlh, a->mode, (uint8_t)op->mode);
		if (op->has_max_maps)
			mnl_attr_put_u32(nlh, a->max_maps, op->max_maps);
		if (op->has_max_ports)
			mnl_attr_put_u32(nlh, a->max_ports, op->max_ports);
		if (op->has_udp_timeout)
			mnl_attr_put_u32(nlh, a->udp_timeout, op->udp_timeout);
		if (op->has_max_bindings)
			mnl_attr_put_u32(nlh, a->max_bindings, op->max_bindings);
		if (op->has_scope)
			mnl_attr_put_u8(nlh, a->scope, op->scope);
		break;
	default:	/* HAIRPIN_CMD_FLUSH_MAPS has no attributes */
		break;
	}
}

void hp_request_put(struct nlmsghdr *nlh, const struct hp_op *op)
{
	put_op_attrs(nlh, op, &request_attrs);
}

void hp_op_put(struct nlmsghdr *nlh, const struct hp_op *op)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, HAIRPIN_A_OP);

	mnl_attr_put_u8(nlh, HAIRPIN_OP_A_CMD, op->cmd);
	put_op_attrs(nlh, op, &batch_attrs);
	mnl_attr_nest_end(nlh, nest);
}

/* nlmsg_len is 32 bits; stay far below, the kernel wants it in one skb. */
#define HP_BATCH_MAX_LEN (1UL << 30)

bool hp_batch_build(struct hp_batch *b, uint16_t family,
		    const struct hp_op *ops, size_t n)
{
	struct nlmsghdr *nlh;
	size_t i;

	memset(b, 0, sizeof(*b));
	b->off = calloc(n ? n : 1, sizeof(*b->off));
	b->cap = 64 * 1024;
	/* Zeroed, as libmnl before 1.0.5 leaves an attribute's padding as
	 * it finds it: what we send is ours to the last byte.
	 */
	b->buf = calloc(1, b->cap);
	if (!b->off || !b->buf)
		goto nomem;

	nlh = hp_msg_start(b->buf, family, HAIRPIN_CMD_BATCH, NLM_F_ACK);
	for (i = 0; i < n; i++) {
		/* Grow between operations only: nests never span a realloc. */
		if (nlh->nlmsg_len + HP_OP_MAX_LEN > b->cap) {
			size_t cap = b->cap * 2;
			char *buf;

			if (cap > HP_BATCH_MAX_LEN) {
				errno = EMSGSIZE;
				goto fail;
			}
			buf = realloc(b->buf, cap);
			if (!buf)
				goto nomem;
			memset(buf + b->cap, 0, cap - b->cap);
			b->buf = buf;
			b->cap = cap;
			nlh = hp_batch_msg(b);
		}
		b->off[i] = nlh->nlmsg_len;
		hp_op_put(nlh, &ops[i]);
	}
	b->n = n;
	return true;
nomem:
	errno = ENOMEM;
fail:
	hp_batch_free(b);
	return false;
}

long hp_batch_find(const struct hp_batch *b, uint32_t offset)
{
	size_t lo = 0, hi = b->n;
	const struct nlattr *op;

	/* The last op starting at or before offset... */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->off[mid] <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -1;
	/* ...if offset is inside it. */
	op = (const struct nlattr *)(b->buf + b->off[lo - 1]);
	if (offset >= b->off[lo - 1] + op->nla_len)
		return -1;
	return (long)(lo - 1);
}

void hp_batch_free(struct hp_batch *b)
{
	int saved = errno;

	free(b->buf);
	free(b->off);
	memset(b, 0, sizeof(*b));
	errno = saved;
}
