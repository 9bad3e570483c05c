// SPDX-License-Identifier: GPL-2.0
/*
 * The bytes hairpinctl sends, without a kernel: a HAIRPIN_CMD_BATCH built
 * from a small file is taken apart again with mnl_attr_parse() and checked
 * attribute by attribute; single requests likewise; mapping, masq and
 * binding nests as a dump carries them are parsed back; extack offsets map
 * back to operations.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdalign.h>
#include <stdint.h>
#include <time.h>
#include <linux/genetlink.h>

#include "../file.h"
#include "../format.h"
#include "../msg.h"
#include "tap.h"

#define FAMILY 0x1234

static uint32_t ip(const char *s)
{
	struct in_addr in;

	inet_pton(AF_INET, s, &in);
	return in.s_addr;
}

/* Collects attributes by type, failing on duplicates and unknown types. */
struct collect {
	const struct nlattr **tb;
	uint16_t max;
	bool bad;
};

static int collect_cb(const struct nlattr *attr, void *data)
{
	struct collect *c = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, c->max) < 0 || type == 0 || c->tb[type]) {
		diag("unexpected attribute %u", type);
		c->bad = true;
		return MNL_CB_OK;
	}
	c->tb[type] = attr;
	return MNL_CB_OK;
}

/* Every attribute of the HAIRPIN_A_OP list, in order. */
struct ops {
	const struct nlattr *op[64];
	unsigned int n;
	bool bad;
};

static int top_cb(const struct nlattr *attr, void *data)
{
	struct ops *o = data;

	if (mnl_attr_get_type(attr) != HAIRPIN_A_OP ||
	    mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 || o->n == 64) {
		o->bad = true;
		return MNL_CB_OK;
	}
	o->op[o->n++] = attr;
	return MNL_CB_OK;
}

/* What a map nest must hold, exactly: absent fields are 0/NULL. */
struct want_map {
	uint8_t proto;
	const char *addr;
	uint16_t port, port_max;	/* port_max 0: no PORT_MAX attribute */
	const char *to_addr;
	uint16_t to_port;		/* 0: no TO_PORT attribute */
	const char *comment;
	uint32_t flags;			/* 0: no FLAGS attribute */
};

static bool check_map(const struct nlattr *nest, const struct want_map *w)
{
	const struct nlattr *tb[HAIRPIN_MAP_A_MAX + 1] = { NULL };
	struct collect c = { tb, HAIRPIN_MAP_A_MAX, false };
	bool good = true;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0 ||
	    mnl_attr_parse_nested(nest, collect_cb, &c) < 0 || c.bad)
		return false;

#define EXPECT(cond) do { if (!(cond)) { diag("failed: %s", #cond); good = false; } } while (0)
	EXPECT(tb[HAIRPIN_MAP_A_PROTO] &&
	       mnl_attr_validate(tb[HAIRPIN_MAP_A_PROTO], MNL_TYPE_U8) == 0 &&
	       mnl_attr_get_u8(tb[HAIRPIN_MAP_A_PROTO]) == w->proto);
	if (w->addr)
		EXPECT(tb[HAIRPIN_MAP_A_ADDR] &&
		       mnl_attr_validate(tb[HAIRPIN_MAP_A_ADDR], MNL_TYPE_U32) == 0 &&
		       mnl_attr_get_u32(tb[HAIRPIN_MAP_A_ADDR]) == ip(w->addr));
	else
		EXPECT(!tb[HAIRPIN_MAP_A_ADDR]);
	EXPECT(tb[HAIRPIN_MAP_A_PORT] &&
	       mnl_attr_validate(tb[HAIRPIN_MAP_A_PORT], MNL_TYPE_U16) == 0 &&
	       mnl_attr_get_u16(tb[HAIRPIN_MAP_A_PORT]) == w->port);
	if (w->port_max)
		EXPECT(tb[HAIRPIN_MAP_A_PORT_MAX] &&
		       mnl_attr_validate(tb[HAIRPIN_MAP_A_PORT_MAX], MNL_TYPE_U16) == 0 &&
		       mnl_attr_get_u16(tb[HAIRPIN_MAP_A_PORT_MAX]) == w->port_max);
	else
		EXPECT(!tb[HAIRPIN_MAP_A_PORT_MAX]);
	if (w->to_addr)
		EXPECT(tb[HAIRPIN_MAP_A_TO_ADDR] &&
		       mnl_attr_validate(tb[HAIRPIN_MAP_A_TO_ADDR], MNL_TYPE_U32) == 0 &&
		       mnl_attr_get_u32(tb[HAIRPIN_MAP_A_TO_ADDR]) == ip(w->to_addr));
	else
		EXPECT(!tb[HAIRPIN_MAP_A_TO_ADDR]);
	if (w->to_port)
		EXPECT(tb[HAIRPIN_MAP_A_TO_PORT] &&
		       mnl_attr_validate(tb[HAIRPIN_MAP_A_TO_PORT], MNL_TYPE_U16) == 0 &&
		       mnl_attr_get_u16(tb[HAIRPIN_MAP_A_TO_PORT]) == w->to_port);
	else
		EXPECT(!tb[HAIRPIN_MAP_A_TO_PORT]);
	if (w->comment)
		EXPECT(tb[HAIRPIN_MAP_A_COMMENT] &&
		       mnl_attr_validate(tb[HAIRPIN_MAP_A_COMMENT], MNL_TYPE_NUL_STRING) == 0 &&
		       mnl_attr_get_payload_len(tb[HAIRPIN_MAP_A_COMMENT]) ==
			       strlen(w->comment) + 1 &&
		       mnl_attr_get_payload_len(tb[HAIRPIN_MAP_A_COMMENT]) <= HAIRPIN_COMMENT_MAX &&
		       !strcmp(mnl_attr_get_str(tb[HAIRPIN_MAP_A_COMMENT]), w->comment));
	else
		EXPECT(!tb[HAIRPIN_MAP_A_COMMENT]);
	if (w->flags)
		EXPECT(tb[HAIRPIN_MAP_A_FLAGS] &&
		       mnl_attr_validate(tb[HAIRPIN_MAP_A_FLAGS], MNL_TYPE_U32) == 0 &&
		       mnl_attr_get_u32(tb[HAIRPIN_MAP_A_FLAGS]) == w->flags);
	else
		EXPECT(!tb[HAIRPIN_MAP_A_FLAGS]);
	EXPECT(!tb[HAIRPIN_MAP_A_CONNS] && !tb[HAIRPIN_MAP_A_HAIRPINNED] &&
	       !tb[HAIRPIN_MAP_A_PAD]);
#undef EXPECT
	return good;
}

static bool check_header(const struct nlmsghdr *nlh, uint8_t cmd, uint16_t flags)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	/* NLM_F_DUMP shares its bits with NLM_F_REPLACE | NLM_F_EXCL. */
	uint16_t never = flags & NLM_F_DUMP ? NLM_F_CREATE
					    : NLM_F_CREATE | NLM_F_EXCL | NLM_F_REPLACE;

	return nlh->nlmsg_type == FAMILY && nlh->nlmsg_flags == (NLM_F_REQUEST | flags) &&
	       !(nlh->nlmsg_flags & never) &&
	       nlh->nlmsg_len >= MNL_NLMSG_HDRLEN + sizeof(*genl) &&
	       nlh->nlmsg_len % 4 == 0 &&
	       genl->cmd == cmd && genl->version == HAIRPIN_GENL_VERSION &&
	       genl->reserved == 0;
}

static bool parse_text(const char *text, struct hp_oplist *list)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	bool ret = parse_file(f, "test", list);

	fclose(f);
	return ret;
}

static const char batch_file[] =
	"# a small batch\n"
	"map flush\n"
	"map add tcp 80 to 192.168.1.10 comment web\n"
	"map add udp 203.0.113.5:5000-5010 to 10.0.0.2:6000-6010 comment \"game server\"\n"
	"\n"
	"map del tcp 8080-8090\n"
	"set source external\n"
	"set hairpin off\n"
	"map replace udp 53 to 10.0.0.53\n"
	"set limit mappings 1024 ports 4294967295\n"
	"set hairpin always limit ports 0\n"
	"set udp-timeout 600 limit bindings 4096\n"
	"set limit bindings 0 ports 7 source lan\n"
	"map add tcp 8081 to 10.20.30.100:80 comment \"miniupnpd: cam\" mirror\n";

static void test_batch(void)
{
	static const struct {
		uint8_t cmd;
		unsigned int line;
		bool has_map;
		struct want_map map;
		int source, mode;
		int64_t max_maps, max_ports;	/* -1: no attribute */
		int64_t udp_timeout, max_bindings;
	} want[] = {
		{ HAIRPIN_CMD_FLUSH_MAPS, 2, false, { 0 }, -1, -1, -1, -1, -1, -1 },
		{ HAIRPIN_CMD_NEW_MAP, 3, true,
		  { IPPROTO_TCP, NULL, 80, 0, "192.168.1.10", 0, "web", 0 },
		  -1, -1, -1, -1, -1, -1 },
		{ HAIRPIN_CMD_NEW_MAP, 4, true,
		  { IPPROTO_UDP, "203.0.113.5", 5000, 5010, "10.0.0.2", 6000,
		    "game server", 0 }, -1, -1, -1, -1, -1, -1 },
		{ HAIRPIN_CMD_DEL_MAP, 6, true,
		  { IPPROTO_TCP, NULL, 8080, 8090, NULL, 0, NULL, 0 },
		  -1, -1, -1, -1, -1, -1 },
		{ HAIRPIN_CMD_SET_CONFIG, 7, false, { 0 }, HAIRPIN_SOURCE_EXTERNAL, -1,
		  -1, -1, -1, -1 },
		{ HAIRPIN_CMD_SET_CONFIG, 8, false, { 0 }, -1, HAIRPIN_MODE_OFF,
		  -1, -1, -1, -1 },
		{ HAIRPIN_CMD_REPLACE_MAP, 9, true,
		  { IPPROTO_UDP, NULL, 53, 0, "10.0.0.53", 0, NULL, 0 },
		  -1, -1, -1, -1, -1, -1 },
		{ HAIRPIN_CMD_SET_CONFIG, 10, false, { 0 }, -1, -1, 1024, UINT32_MAX,
		  -1, -1 },
		{ HAIRPIN_CMD_SET_CONFIG, 11, false, { 0 }, -1, HAIRPIN_MODE_ALWAYS,
		  -1, 0, -1, -1 },
		{ HAIRPIN_CMD_SET_CONFIG, 12, false, { 0 }, -1, -1, -1, -1, 600, 4096 },
		{ HAIRPIN_CMD_SET_CONFIG, 13, false, { 0 }, HAIRPIN_SOURCE_LAN, -1,
		  -1, 7, -1, 0 },
		{ HAIRPIN_CMD_NEW_MAP, 14, true,
		  { IPPROTO_TCP, NULL, 8081, 0, "10.20.30.100", 80, "miniupnpd: cam",
		    HAIRPIN_MAP_F_MIRROR }, -1, -1, -1, -1, -1, -1 },
	};
	const unsigned int n_want = sizeof(want) / sizeof(want[0]);
	struct ops ops = { .n = 0 };
	struct hp_oplist list;
	struct hp_batch b;
	struct nlmsghdr *nlh;
	unsigned int i;
	const struct nlattr *inner;

	if (!ok(parse_text(batch_file, &list) && list.len == n_want,
		"small file parses into %u operations", n_want))
		return;
	if (!ok(hp_batch_build(&b, FAMILY, list.ops, list.len), "batch builds"))
		return;
	nlh = hp_batch_msg(&b);
	ok(check_header(nlh, HAIRPIN_CMD_BATCH, NLM_F_ACK),
	   "header: family, NLM_F_REQUEST|NLM_F_ACK only, HAIRPIN_CMD_BATCH, version %d",
	   HAIRPIN_GENL_VERSION);

	ok(mnl_attr_parse(nlh, sizeof(struct genlmsghdr), top_cb, &ops) >= 0 &&
	   !ops.bad && ops.n == n_want,
	   "top level: exactly %u HAIRPIN_A_OP nests and nothing else", n_want);
	ok(ops.n && (const char *)ops.op[ops.n - 1] + MNL_ALIGN(ops.op[ops.n - 1]->nla_len) ==
	   (const char *)nlh + nlh->nlmsg_len, "the last nest ends the message");

	for (i = 0; i < ops.n && i < n_want; i++) {
		const struct nlattr *tb[HAIRPIN_OP_A_MAX + 1] = { NULL };
		struct collect c = { tb, HAIRPIN_OP_A_MAX, false };
		bool good;

		good = mnl_attr_parse_nested(ops.op[i], collect_cb, &c) >= 0 && !c.bad;
		good = good && tb[HAIRPIN_OP_A_CMD] &&
		       mnl_attr_validate(tb[HAIRPIN_OP_A_CMD], MNL_TYPE_U8) == 0 &&
		       mnl_attr_get_u8(tb[HAIRPIN_OP_A_CMD]) == want[i].cmd;
		good = good && !tb[HAIRPIN_OP_A_MAP] == !want[i].has_map;
		if (good && want[i].has_map)
			good = check_map(tb[HAIRPIN_OP_A_MAP], &want[i].map);
		good = good && !tb[HAIRPIN_OP_A_SOURCE] == (want[i].source < 0) &&
		       !tb[HAIRPIN_OP_A_MODE] == (want[i].mode < 0);
		if (good && tb[HAIRPIN_OP_A_SOURCE])
			good = mnl_attr_validate(tb[HAIRPIN_OP_A_SOURCE], MNL_TYPE_U8) == 0 &&
			       mnl_attr_get_u8(tb[HAIRPIN_OP_A_SOURCE]) == want[i].source;
		if (good && tb[HAIRPIN_OP_A_MODE])
			good = mnl_attr_validate(tb[HAIRPIN_OP_A_MODE], MNL_TYPE_U8) == 0 &&
			       mnl_attr_get_u8(tb[HAIRPIN_OP_A_MODE]) == want[i].mode;
		good = good && !tb[HAIRPIN_OP_A_MAX_MAPS] == (want[i].max_maps < 0) &&
		       !tb[HAIRPIN_OP_A_MAX_PORTS] == (want[i].max_ports < 0);
		if (good && tb[HAIRPIN_OP_A_MAX_MAPS])
			good = mnl_attr_validate(tb[HAIRPIN_OP_A_MAX_MAPS], MNL_TYPE_U32) == 0 &&
			       mnl_attr_get_u32(tb[HAIRPIN_OP_A_MAX_MAPS]) == want[i].max_maps;
		if (good && tb[HAIRPIN_OP_A_MAX_PORTS])
			good = mnl_attr_validate(tb[HAIRPIN_OP_A_MAX_PORTS], MNL_TYPE_U32) == 0 &&
			       mnl_attr_get_u32(tb[HAIRPIN_OP_A_MAX_PORTS]) == want[i].max_ports;
		good = good && !tb[HAIRPIN_OP_A_UDP_TIMEOUT] == (want[i].udp_timeout < 0) &&
		       !tb[HAIRPIN_OP_A_MAX_BINDINGS] == (want[i].max_bindings < 0);
		if (good && tb[HAIRPIN_OP_A_UDP_TIMEOUT])
			good = mnl_attr_validate(tb[HAIRPIN_OP_A_UDP_TIMEOUT], MNL_TYPE_U32) == 0 &&
			       mnl_attr_get_u32(tb[HAIRPIN_OP_A_UDP_TIMEOUT]) ==
				       want[i].udp_timeout;
		if (good && tb[HAIRPIN_OP_A_MAX_BINDINGS])
			good = mnl_attr_validate(tb[HAIRPIN_OP_A_MAX_BINDINGS], MNL_TYPE_U32) == 0 &&
			       mnl_attr_get_u32(tb[HAIRPIN_OP_A_MAX_BINDINGS]) ==
				       want[i].max_bindings;
		ok(good, "op %u (line %u): command %u and its attributes", i + 1,
		   want[i].line, want[i].cmd);
		ok((uint32_t)((const char *)ops.op[i] - (const char *)nlh) == b.off[i] &&
		   list.ops[i].line == want[i].line,
		   "op %u: recorded offset %u and line %u", i + 1, b.off[i], want[i].line);
	}

	/* NLMSGERR_ATTR_OFFS may name the op or something inside it. */
	ok(hp_batch_find(&b, b.off[0]) == 0, "extack offset of op 1 -> op 1");
	ok(hp_batch_find(&b, b.off[6]) == 6, "extack offset of op 7 -> op 7");
	inner = mnl_attr_next(mnl_attr_get_payload(ops.op[8]));	/* op 9's OP_A_MODE */
	inner = mnl_attr_next(inner);				/* its OP_A_MAX_PORTS */
	ok(mnl_attr_get_type(inner) == HAIRPIN_OP_A_MAX_PORTS &&
	   hp_batch_find(&b, (uint32_t)((const char *)inner - (const char *)nlh)) == 8 &&
	   list.ops[8].line == 11,
	   "extack offset of the limit inside op 9 -> op 9 (line 11)");
	inner = mnl_attr_get_payload(ops.op[2]);	/* OP_A_CMD of op 3 */
	inner = mnl_attr_next(inner);			/* OP_A_MAP of op 3 */
	inner = mnl_attr_next(mnl_attr_get_payload(inner));	/* its ADDR */
	ok(mnl_attr_get_type(inner) == HAIRPIN_MAP_A_ADDR &&
	   hp_batch_find(&b, (uint32_t)((const char *)inner - (const char *)nlh)) == 2,
	   "extack offset of an attribute inside op 3 -> op 3 (line %u)",
	   list.ops[2].line);
	ok(hp_batch_find(&b, b.off[4] - 1) == 3, "last byte of op 4 -> op 4");
	ok(hp_batch_find(&b, 0) == -1, "offset in the netlink header -> none");
	ok(hp_batch_find(&b, MNL_NLMSG_HDRLEN) == -1, "offset of the genl header -> none");
	ok(hp_batch_find(&b, nlh->nlmsg_len) == -1, "offset past the end -> none");

	hp_batch_free(&b);
	hp_oplist_free(&list);
}

static void test_single(void)
{
	alignas(struct nlmsghdr) char buf[HP_REQ_MAX_LEN];
	struct want_map wm = { IPPROTO_TCP, "198.51.100.1", 1, 65535, "10.9.8.7", 1,
			       "123456789012345678901234567890123456789012345678901234567890123",
			       HAIRPIN_MAP_F_MIRROR };
	const struct nlattr *tb[HAIRPIN_A_MAX + 1] = { NULL };
	struct collect c = { tb, HAIRPIN_A_MAX, false };
	struct hp_oplist list;
	struct nlmsghdr *nlh;

	/* The biggest op there is, to check HP_REQ_MAX_LEN too. */
	if (!ok(parse_text("map replace tcp 198.51.100.1:1-65535 to 10.9.8.7:1-65535 comment "
			   "123456789012345678901234567890123456789012345678901234567890123 mirror\n"
			   "set source lan hairpin auto\n"
			   "map flush\n"
			   "set limit ports 65536 mappings 4294967295\n"
			   "set source external limit mappings 0\n"
			   "set udp-timeout 86400 limit bindings 65536\n", &list) && list.len == 6,
		"six single commands parse"))
		return;

	nlh = hp_msg_start(buf, FAMILY, list.ops[0].cmd, NLM_F_ACK);
	hp_request_put(nlh, &list.ops[0]);
	ok(check_header(nlh, HAIRPIN_CMD_REPLACE_MAP, NLM_F_ACK) &&
	   nlh->nlmsg_len <= sizeof(buf), "replace: header, %u of %zu bytes",
	   nlh->nlmsg_len, sizeof(buf));
	ok(mnl_attr_parse(nlh, sizeof(struct genlmsghdr), collect_cb, &c) >= 0 && !c.bad &&
	   tb[HAIRPIN_A_MAP] && !tb[HAIRPIN_A_OP] && !tb[HAIRPIN_A_SOURCE] &&
	   check_map(tb[HAIRPIN_A_MAP], &wm), "replace: one HAIRPIN_A_MAP with every field");

	memset(tb, 0, sizeof(tb));
	nlh = hp_msg_start(buf, FAMILY, list.ops[1].cmd, NLM_F_ACK);
	hp_request_put(nlh, &list.ops[1]);
	ok(check_header(nlh, HAIRPIN_CMD_SET_CONFIG, NLM_F_ACK) &&
	   mnl_attr_parse(nlh, sizeof(struct genlmsghdr), collect_cb, &c) >= 0 && !c.bad &&
	   tb[HAIRPIN_A_SOURCE] && mnl_attr_validate(tb[HAIRPIN_A_SOURCE], MNL_TYPE_U8) == 0 &&
	   mnl_attr_get_u8(tb[HAIRPIN_A_SOURCE]) == HAIRPIN_SOURCE_LAN &&
	   tb[HAIRPIN_A_MODE] && mnl_attr_validate(tb[HAIRPIN_A_MODE], MNL_TYPE_U8) == 0 &&
	   mnl_attr_get_u8(tb[HAIRPIN_A_MODE]) == HAIRPIN_MODE_AUTO && !tb[HAIRPIN_A_MAP] &&
	   !tb[HAIRPIN_A_MAX_MAPS] && !tb[HAIRPIN_A_MAX_PORTS],
	   "set: HAIRPIN_A_SOURCE and HAIRPIN_A_MODE as u8, no limits");

	memset(tb, 0, sizeof(tb));
	nlh = hp_msg_start(buf, FAMILY, list.ops[3].cmd, NLM_F_ACK);
	hp_request_put(nlh, &list.ops[3]);
	ok(check_header(nlh, HAIRPIN_CMD_SET_CONFIG, NLM_F_ACK) &&
	   mnl_attr_parse(nlh, sizeof(struct genlmsghdr), collect_cb, &c) >= 0 && !c.bad &&
	   tb[HAIRPIN_A_MAX_MAPS] && mnl_attr_validate(tb[HAIRPIN_A_MAX_MAPS], MNL_TYPE_U32) == 0 &&
	   mnl_attr_get_u32(tb[HAIRPIN_A_MAX_MAPS]) == UINT32_MAX &&
	   tb[HAIRPIN_A_MAX_PORTS] && mnl_attr_validate(tb[HAIRPIN_A_MAX_PORTS], MNL_TYPE_U32) == 0 &&
	   mnl_attr_get_u32(tb[HAIRPIN_A_MAX_PORTS]) == 65536 &&
	   !tb[HAIRPIN_A_SOURCE] && !tb[HAIRPIN_A_MODE] && !tb[HAIRPIN_A_MAP] &&
	   !tb[HAIRPIN_A_OP] && !tb[HAIRPIN_A_PORTS] &&
	   nlh->nlmsg_len == MNL_NLMSG_HDRLEN + sizeof(struct genlmsghdr) + 2 * 8,
	   "set limit: HAIRPIN_A_MAX_MAPS and HAIRPIN_A_MAX_PORTS as u32, nothing else");

	memset(tb, 0, sizeof(tb));
	nlh = hp_msg_start(buf, FAMILY, list.ops[4].cmd, NLM_F_ACK);
	hp_request_put(nlh, &list.ops[4]);
	ok(check_header(nlh, HAIRPIN_CMD_SET_CONFIG, NLM_F_ACK) &&
	   mnl_attr_parse(nlh, sizeof(struct genlmsghdr), collect_cb, &c) >= 0 && !c.bad &&
	   tb[HAIRPIN_A_SOURCE] && mnl_attr_get_u8(tb[HAIRPIN_A_SOURCE]) == HAIRPIN_SOURCE_EXTERNAL &&
	   tb[HAIRPIN_A_MAX_MAPS] && mnl_attr_validate(tb[HAIRPIN_A_MAX_MAPS], MNL_TYPE_U32) == 0 &&
	   mnl_attr_get_u32(tb[HAIRPIN_A_MAX_MAPS]) == 0 &&
	   !tb[HAIRPIN_A_MAX_PORTS] && !tb[HAIRPIN_A_MODE],
	   "set source and a limit of 0: HAIRPIN_A_SOURCE and HAIRPIN_A_MAX_MAPS only");

	memset(tb, 0, sizeof(tb));
	nlh = hp_msg_start(buf, FAMILY, list.ops[5].cmd, NLM_F_ACK);
	hp_request_put(nlh, &list.ops[5]);
	ok(check_header(nlh, HAIRPIN_CMD_SET_CONFIG, NLM_F_ACK) &&
	   mnl_attr_parse(nlh, sizeof(struct genlmsghdr), collect_cb, &c) >= 0 && !c.bad &&
	   tb[HAIRPIN_A_UDP_TIMEOUT] &&
	   mnl_attr_validate(tb[HAIRPIN_A_UDP_TIMEOUT], MNL_TYPE_U32) == 0 &&
	   mnl_attr_get_u32(tb[HAIRPIN_A_UDP_TIMEOUT]) == 86400 &&
	   tb[HAIRPIN_A_MAX_BINDINGS] &&
	   mnl_attr_validate(tb[HAIRPIN_A_MAX_BINDINGS], MNL_TYPE_U32) == 0 &&
	   mnl_attr_get_u32(tb[HAIRPIN_A_MAX_BINDINGS]) == 65536 &&
	   !tb[HAIRPIN_A_MAX_MAPS] && !tb[HAIRPIN_A_MAX_PORTS] && !tb[HAIRPIN_A_SOURCE] &&
	   !tb[HAIRPIN_A_MODE] && !tb[HAIRPIN_A_BINDINGS] &&
	   nlh->nlmsg_len == MNL_NLMSG_HDRLEN + sizeof(struct genlmsghdr) + 2 * 8,
	   "set udp-timeout and limit bindings: HAIRPIN_A_UDP_TIMEOUT and "
	   "HAIRPIN_A_MAX_BINDINGS as u32, nothing else");

	nlh = hp_msg_start(buf, FAMILY, list.ops[2].cmd, NLM_F_ACK);
	hp_request_put(nlh, &list.ops[2]);
	ok(check_header(nlh, HAIRPIN_CMD_FLUSH_MAPS, NLM_F_ACK) &&
	   nlh->nlmsg_len == MNL_NLMSG_HDRLEN + sizeof(struct genlmsghdr),
	   "flush: no attributes");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MAP, NLM_F_DUMP);
	ok(check_header(nlh, HAIRPIN_CMD_GET_MAP, NLM_F_DUMP), "dump request: NLM_F_DUMP");
	hp_oplist_free(&list);
}

/* A nest as the kernel would dump it: counters, padding, unknown things. */
static void test_map_parse(void)
{
	alignas(struct nlmsghdr) char buf[1024];
	struct hp_map in = {
		.proto = IPPROTO_UDP, .has_addr = true, .addr = ip("203.0.113.9"),
		.port = 7000, .port_max = 7009, .has_to = true,
		.to_addr = ip("10.0.0.9"), .has_to_port = true, .to_port = 17000,
		.comment = "dumped",
	};
	struct hp_map out;
	struct nlmsghdr *nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MAP, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, HAIRPIN_A_MAP);
	char text[HP_MAP_TEXT_MAX];

	mnl_attr_put_u8(nlh, HAIRPIN_MAP_A_PROTO, in.proto);
	mnl_attr_put_u32(nlh, HAIRPIN_MAP_A_ADDR, in.addr);
	mnl_attr_put_u16(nlh, HAIRPIN_MAP_A_PORT, in.port);
	mnl_attr_put_u16(nlh, HAIRPIN_MAP_A_PORT_MAX, in.port_max);
	mnl_attr_put_u32(nlh, HAIRPIN_MAP_A_TO_ADDR, in.to_addr);
	mnl_attr_put_u16(nlh, HAIRPIN_MAP_A_TO_PORT, in.to_port);
	mnl_attr_put_strz(nlh, HAIRPIN_MAP_A_COMMENT, in.comment);
	mnl_attr_put(nlh, HAIRPIN_MAP_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, HAIRPIN_MAP_A_CONNS, 12);
	mnl_attr_put_u64(nlh, HAIRPIN_MAP_A_HAIRPINNED, 3);
	mnl_attr_put_u32(nlh, 200, 0xdeadbeef);	/* from a newer module */
	mnl_attr_nest_end(nlh, nest);

	ok(hp_map_parse(nest, &out) && out.proto == in.proto && out.has_addr &&
	   out.addr == in.addr && out.port == 7000 && out.port_max == 7009 &&
	   out.has_to && out.to_addr == in.to_addr && out.has_to_port &&
	   out.to_port == 17000 && !strcmp(out.comment, "dumped") &&
	   out.has_counters && out.conns == 12 && out.hairpinned == 3,
	   "dumped nest parses back, counters included, unknown attribute skipped");
	format_map(text, sizeof(text), &out);
	ok(!strcmp(text, "udp 203.0.113.9:7000-7009 to 10.0.0.9:17000-17009 comment dumped"),
	   "and shows as: %s", text);

	/* Round trip of what hp_map_put() writes. */
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_NEW_MAP, 0);
	in.has_addr = false;
	in.port_max = in.port;
	in.comment[0] = '\0';
	hp_map_put(nlh, HAIRPIN_A_MAP, &in);
	nest = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr));
	ok(hp_map_parse(nest, &out) && !out.has_addr && out.port == 7000 &&
	   out.port_max == 7000 && out.to_port == 17000 && !out.comment[0] &&
	   !out.has_counters && !out.flags, "hp_map_put() output parses back");

	/* A mirror: FLAGS both ways, and a newer module's bits kept. */
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_NEW_MAP, 0);
	in.flags = HAIRPIN_MAP_F_MIRROR;
	hp_map_put(nlh, HAIRPIN_A_MAP, &in);
	nest = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr));
	ok(check_map(nest, &(struct want_map){ IPPROTO_UDP, NULL, 7000, 0, "10.0.0.9",
					       17000, NULL, HAIRPIN_MAP_F_MIRROR }),
	   "hp_map_put(): FLAGS of a mirror, a u32");
	ok(hp_map_parse(nest, &out) && out.flags == HAIRPIN_MAP_F_MIRROR,
	   "  parses back to a mirror");
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MAP, 0);
	nest = mnl_attr_nest_start(nlh, HAIRPIN_A_MAP);
	mnl_attr_put_u8(nlh, HAIRPIN_MAP_A_PROTO, IPPROTO_TCP);
	mnl_attr_put_u16(nlh, HAIRPIN_MAP_A_PORT, 80);
	mnl_attr_put_u32(nlh, HAIRPIN_MAP_A_FLAGS, HAIRPIN_MAP_F_MIRROR | 1U << 9);
	mnl_attr_nest_end(nlh, nest);
	ok(hp_map_parse(nest, &out) && out.flags == (HAIRPIN_MAP_F_MIRROR | 1U << 9),
	   "a dump's flags, unknown bits kept");
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MAP, 0);
	nest = mnl_attr_nest_start(nlh, HAIRPIN_A_MAP);
	mnl_attr_put_u8(nlh, HAIRPIN_MAP_A_PROTO, IPPROTO_TCP);
	mnl_attr_put_u16(nlh, HAIRPIN_MAP_A_PORT, 80);
	mnl_attr_put_u8(nlh, HAIRPIN_MAP_A_FLAGS, HAIRPIN_MAP_F_MIRROR);
	mnl_attr_nest_end(nlh, nest);
	ok(!hp_map_parse(nest, &out), "FLAGS of the wrong size is refused");
	in.flags = 0;

	/* Malformed: PORT as 4 bytes. */
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MAP, 0);
	nest = mnl_attr_nest_start(nlh, HAIRPIN_A_MAP);
	mnl_attr_put_u8(nlh, HAIRPIN_MAP_A_PROTO, IPPROTO_TCP);
	mnl_attr_put_u32(nlh, HAIRPIN_MAP_A_PORT, 80);
	mnl_attr_nest_end(nlh, nest);
	ok(!hp_map_parse(nest, &out), "a PORT of the wrong size is refused");

	/* Malformed: no PROTO. */
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MAP, 0);
	nest = mnl_attr_nest_start(nlh, HAIRPIN_A_MAP);
	mnl_attr_put_u16(nlh, HAIRPIN_MAP_A_PORT, 80);
	mnl_attr_nest_end(nlh, nest);
	ok(!hp_map_parse(nest, &out), "a nest without PROTO is refused");

	/* Malformed: comment without its NUL. */
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MAP, 0);
	nest = mnl_attr_nest_start(nlh, HAIRPIN_A_MAP);
	mnl_attr_put_u8(nlh, HAIRPIN_MAP_A_PROTO, IPPROTO_TCP);
	mnl_attr_put_u16(nlh, HAIRPIN_MAP_A_PORT, 80);
	mnl_attr_put(nlh, HAIRPIN_MAP_A_COMMENT, 3, "abc");
	mnl_attr_nest_end(nlh, nest);
	ok(!hp_map_parse(nest, &out), "a comment without its NUL is refused");
}

/* Events as the kernel multicasts them, and the replies of show and map
 * show, into the structures the printers take.
 */
static void test_events(void)
{
	alignas(struct nlmsghdr) char buf[1024];
	struct hp_maplist list = { NULL, 0, 0 };
	struct hp_config c = { .source = HP_UNSET, .mode = HP_UNSET };
	struct hp_map m = {
		.proto = IPPROTO_TCP, .port = 80, .port_max = 80, .has_to = true,
		.to_addr = ip("192.168.1.10"), .has_to_port = true, .to_port = 8080,
		.comment = "web",
	};
	const struct nlattr *attr;
	struct nlmsghdr *nlh;
	struct hp_op op;

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_NEW_MAP, 0);
	hp_map_put(nlh, HAIRPIN_A_MAP, &m);
	ok(hp_event_parse(nlh, &op) == 1 && op.cmd == HAIRPIN_CMD_NEW_MAP &&
	   op.map.port == 80 && op.map.to_port == 8080 && !strcmp(op.map.comment, "web") &&
	   op.source == HP_UNSET && op.mode == HP_UNSET, "event: a new mapping");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_DEL_MAP, 0);
	hp_map_put(nlh, HAIRPIN_A_MAP, &m);
	ok(hp_event_parse(nlh, &op) == 1 && op.cmd == HAIRPIN_CMD_DEL_MAP &&
	   op.map.port == 80, "event: a deleted mapping");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_DEL_MAP, 0);
	ok(hp_event_parse(nlh, &op) == -1, "event: a deletion without its mapping is malformed");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_FLUSH_MAPS, 0);
	ok(hp_event_parse(nlh, &op) == 1 && op.cmd == HAIRPIN_CMD_FLUSH_MAPS, "event: flush");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_SET_CONFIG, 0);
	mnl_attr_put_u8(nlh, HAIRPIN_A_SOURCE, HAIRPIN_SOURCE_EXTERNAL);
	mnl_attr_put_u8(nlh, HAIRPIN_A_MODE, HAIRPIN_MODE_OFF);
	ok(hp_event_parse(nlh, &op) == 1 && op.cmd == HAIRPIN_CMD_SET_CONFIG &&
	   op.source == HAIRPIN_SOURCE_EXTERNAL && op.mode == HAIRPIN_MODE_OFF &&
	   !op.has_max_maps && !op.has_max_ports,
	   "event: settings, without limits");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_SET_CONFIG, 0);
	mnl_attr_put_u8(nlh, HAIRPIN_A_SOURCE, HAIRPIN_SOURCE_LAN);
	mnl_attr_put_u8(nlh, HAIRPIN_A_MODE, HAIRPIN_MODE_AUTO);
	mnl_attr_put_u32(nlh, HAIRPIN_A_MAX_MAPS, 1024);
	mnl_attr_put_u32(nlh, HAIRPIN_A_MAX_PORTS, 65536);
	ok(hp_event_parse(nlh, &op) == 1 && op.cmd == HAIRPIN_CMD_SET_CONFIG &&
	   op.source == HAIRPIN_SOURCE_LAN && op.mode == HAIRPIN_MODE_AUTO &&
	   op.has_max_maps && op.max_maps == 1024 && op.has_max_ports &&
	   op.max_ports == 65536, "event: settings with the limits");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_SET_CONFIG, 0);
	mnl_attr_put_u32(nlh, HAIRPIN_A_UDP_TIMEOUT, 600);
	mnl_attr_put_u32(nlh, HAIRPIN_A_MAX_BINDINGS, 0);
	ok(hp_event_parse(nlh, &op) == 1 && op.cmd == HAIRPIN_CMD_SET_CONFIG &&
	   op.source == HP_UNSET && op.mode == HP_UNSET && !op.has_max_maps &&
	   !op.has_max_ports && op.has_udp_timeout && op.udp_timeout == 600 &&
	   op.has_max_bindings && op.max_bindings == 0,
	   "event: the UDP timeout and the bindings limit");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_SET_CONFIG, 0);
	mnl_attr_put_u16(nlh, HAIRPIN_A_UDP_TIMEOUT, 600);
	ok(hp_event_parse(nlh, &op) == -1, "event: a UDP timeout of the wrong size is malformed");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_SET_CONFIG, 0);
	mnl_attr_put_u8(nlh, HAIRPIN_A_MODE, HAIRPIN_MODE_ALWAYS);
	mnl_attr_put_u8(nlh, HAIRPIN_A_SCOPE, HAIRPIN_SCOPE_ALL);
	ok(hp_event_parse(nlh, &op) == 1 && op.mode == HAIRPIN_MODE_ALWAYS &&
	   op.has_scope && op.scope == HAIRPIN_SCOPE_ALL && op.source == HP_UNSET,
	   "event: the scope");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_SET_CONFIG, 0);
	mnl_attr_put_u8(nlh, HAIRPIN_A_MODE, HAIRPIN_MODE_ALWAYS);
	ok(hp_event_parse(nlh, &op) == 1 && !op.has_scope,
	   "event: no scope from a module without one");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_SET_CONFIG, 0);
	mnl_attr_put_u32(nlh, HAIRPIN_A_SCOPE, HAIRPIN_SCOPE_ALL);
	ok(hp_event_parse(nlh, &op) == -1, "event: a scope of the wrong size is malformed");

	op.cmd = HAIRPIN_CMD_SET_CONFIG;
	op.source = HP_UNSET;
	op.mode = HP_UNSET;
	op.has_udp_timeout = op.has_max_maps = op.has_max_ports = false;
	op.has_max_bindings = false;
	op.has_scope = true;
	op.scope = HAIRPIN_SCOPE_ALL;
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_SET_CONFIG, NLM_F_ACK);
	hp_request_put(nlh, &op);
	attr = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr));
	ok(nlh->nlmsg_len == MNL_NLMSG_HDRLEN + sizeof(struct genlmsghdr) + 8 &&
	   mnl_attr_get_type(attr) == HAIRPIN_A_SCOPE &&
	   mnl_attr_validate(attr, MNL_TYPE_U8) == 0 &&
	   mnl_attr_get_u8(attr) == HAIRPIN_SCOPE_ALL,
	   "set scope all: HAIRPIN_A_SCOPE as u8, nothing else");
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_BATCH, NLM_F_ACK);
	hp_op_put(nlh, &op);
	attr = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr));
	ok(mnl_attr_get_type(attr) == HAIRPIN_A_OP &&
	   mnl_attr_get_payload_len(attr) == 2 * 8 &&
	   mnl_attr_get_type((const struct nlattr *)((const char *)attr + 12)) ==
		   HAIRPIN_OP_A_SCOPE,
	   "set scope all in a batch: HAIRPIN_OP_A_CMD, then HAIRPIN_OP_A_SCOPE");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_SET_CONFIG, 0);
	mnl_attr_put_u16(nlh, HAIRPIN_A_MAX_MAPS, 1024);
	ok(hp_event_parse(nlh, &op) == -1, "event: a limit of the wrong size is malformed");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_SET_CONFIG, 0);
	mnl_attr_put_u16(nlh, HAIRPIN_A_MODE, HAIRPIN_MODE_OFF);
	ok(hp_event_parse(nlh, &op) == -1, "event: a mode of the wrong size is malformed");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MAP, 0);
	ok(hp_event_parse(nlh, &op) == 0, "event: other commands are not events");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_FLUSH_MAPS, 0);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	ok(hp_event_parse(nlh, &op) == -1, "event: shorter than the genl header");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_CONFIG, 0);
	mnl_attr_put_strz(nlh, HAIRPIN_A_VERSION, "1.0");
	mnl_attr_put_u8(nlh, HAIRPIN_A_SOURCE, HAIRPIN_SOURCE_LAN);
	mnl_attr_put_u8(nlh, HAIRPIN_A_MODE, HAIRPIN_MODE_ALWAYS);
	mnl_attr_put_u32(nlh, HAIRPIN_A_MAPPINGS, 3);
	mnl_attr_put_u64(nlh, HAIRPIN_A_CONNS, 12);
	mnl_attr_put_u64(nlh, HAIRPIN_A_HAIRPINNED, 5);
	ok(hp_config_cb(nlh, &c) == MNL_CB_OK && !strcmp(c.version, "1.0") &&
	   c.source == HAIRPIN_SOURCE_LAN && c.mode == HAIRPIN_MODE_ALWAYS &&
	   c.mappings == 3 && c.conns == 12 && c.hairpinned == 5 &&
	   !c.has_ports && !c.has_max_maps && !c.has_max_ports && !c.has_udp_timeout &&
	   !c.has_bindings && !c.has_max_bindings,
	   "GET_CONFIG reply of a module without limits: every field, no limits");

	memset(&c, 0, sizeof(c));
	c.source = HP_UNSET;
	c.mode = HP_UNSET;
	mnl_attr_put(nlh, HAIRPIN_A_PAD, 0, NULL);
	mnl_attr_put_u32(nlh, HAIRPIN_A_MAX_MAPS, 1024);
	mnl_attr_put_u32(nlh, HAIRPIN_A_MAX_PORTS, 65536);
	mnl_attr_put_u32(nlh, HAIRPIN_A_PORTS, 13);
	mnl_attr_put_u32(nlh, 200, 0xdeadbeef);	/* from a newer module */
	ok(hp_config_cb(nlh, &c) == MNL_CB_OK && !strcmp(c.version, "1.0") &&
	   c.mappings == 3 && c.conns == 12 && c.hairpinned == 5 &&
	   c.has_ports && c.ports == 13 && c.has_max_maps && c.max_maps == 1024 &&
	   c.has_max_ports && c.max_ports == 65536 && !c.has_udp_timeout &&
	   !c.has_bindings && !c.has_max_bindings,
	   "GET_CONFIG reply with limits: the ports in use and both limits");

	memset(&c, 0, sizeof(c));
	c.source = HP_UNSET;
	c.mode = HP_UNSET;
	mnl_attr_put_u32(nlh, HAIRPIN_A_UDP_TIMEOUT, 300);
	mnl_attr_put_u32(nlh, HAIRPIN_A_MAX_BINDINGS, 65536);
	mnl_attr_put_u32(nlh, HAIRPIN_A_BINDINGS, 5);
	ok(hp_config_cb(nlh, &c) == MNL_CB_OK && c.has_max_maps && c.max_maps == 1024 &&
	   c.has_udp_timeout && c.udp_timeout == 300 && c.has_bindings && c.bindings == 5 &&
	   c.has_max_bindings && c.max_bindings == 65536 && !c.has_scope && !c.has_others,
	   "GET_CONFIG reply with the UDP timeout, the bindings and their limit");

	mnl_attr_put_u8(nlh, HAIRPIN_A_SCOPE, HAIRPIN_SCOPE_ALL);
	mnl_attr_put_u64(nlh, HAIRPIN_A_OTHERS_HAIRPINNED, 1ULL << 40);
	ok(hp_config_cb(nlh, &c) == MNL_CB_OK && c.has_scope &&
	   c.scope == HAIRPIN_SCOPE_ALL && c.has_others &&
	   c.others_hairpinned == 1ULL << 40 && c.hairpinned == 5,
	   "GET_CONFIG reply with the scope and the others' total, apart");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_CONFIG, 0);
	mnl_attr_put_u8(nlh, HAIRPIN_A_BINDINGS, 5);
	ok(hp_config_cb(nlh, &c) == MNL_CB_ERROR,
	   "GET_CONFIG reply: HAIRPIN_A_BINDINGS of the wrong size is refused");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_CONFIG, 0);
	mnl_attr_put_u64(nlh, HAIRPIN_A_PORTS, 13);
	ok(hp_config_cb(nlh, &c) == MNL_CB_ERROR,
	   "GET_CONFIG reply: HAIRPIN_A_PORTS of the wrong size is refused");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MAP, 0);
	hp_map_put(nlh, HAIRPIN_A_MAP, &m);
	ok(hp_maps_cb(nlh, &list) == MNL_CB_OK && hp_maps_cb(nlh, &list) == MNL_CB_OK &&
	   list.len == 2 && list.maps[1].to_port == 8080, "GET_MAP dump messages append");
	hp_maplist_free(&list);
}

/* A masq nest: exactly the name, the filter when want_filter >= 0, and
 * the address when want_addr is not 0.
 */
static bool check_masq(const struct nlattr *nest, const char *ifname, int want_filter,
		       uint32_t want_addr)
{
	const struct nlattr *tb[HAIRPIN_MASQ_A_MAX + 1] = { NULL };
	struct collect c = { tb, HAIRPIN_MASQ_A_MAX, false };

	return mnl_attr_validate(nest, MNL_TYPE_NESTED) == 0 &&
	       mnl_attr_parse_nested(nest, collect_cb, &c) >= 0 && !c.bad &&
	       tb[HAIRPIN_MASQ_A_IFNAME] &&
	       mnl_attr_validate(tb[HAIRPIN_MASQ_A_IFNAME], MNL_TYPE_NUL_STRING) == 0 &&
	       mnl_attr_get_payload_len(tb[HAIRPIN_MASQ_A_IFNAME]) == strlen(ifname) + 1 &&
	       !strcmp(mnl_attr_get_str(tb[HAIRPIN_MASQ_A_IFNAME]), ifname) &&
	       !tb[HAIRPIN_MASQ_A_FILTER] == (want_filter < 0) &&
	       (!tb[HAIRPIN_MASQ_A_FILTER] ||
		(mnl_attr_validate(tb[HAIRPIN_MASQ_A_FILTER], MNL_TYPE_U8) == 0 &&
		 mnl_attr_get_u8(tb[HAIRPIN_MASQ_A_FILTER]) == want_filter)) &&
	       !tb[HAIRPIN_MASQ_A_ADDR] == !want_addr &&
	       (!tb[HAIRPIN_MASQ_A_ADDR] ||
		(mnl_attr_validate(tb[HAIRPIN_MASQ_A_ADDR], MNL_TYPE_U32) == 0 &&
		 mnl_attr_get_u32(tb[HAIRPIN_MASQ_A_ADDR]) == want_addr)) &&
	       !tb[HAIRPIN_MASQ_A_BINDINGS];
}

/* masq add and del in a batch and alone; masq nests from dumps and events. */
static void test_masq(void)
{
	static const struct {
		uint8_t cmd;
		const char *ifname;
		int filter;	/* -1: no FILTER attribute */
		const char *addr;	/* NULL: no ADDR attribute */
	} want[] = {
		{ HAIRPIN_CMD_NEW_MASQ, "wan0", -1, NULL },
		{ HAIRPIN_CMD_NEW_MASQ, "ppp0", HAIRPIN_FILTER_ADDRESS_PORT, "203.0.113.1" },
		{ HAIRPIN_CMD_NEW_MASQ, "eth1", -1, "198.51.100.9" },
		{ HAIRPIN_CMD_DEL_MASQ, "wan0", -1, NULL },
		{ HAIRPIN_CMD_FLUSH_MAPS, NULL, -1, NULL },
	};
	alignas(struct nlmsghdr) char buf[HP_REQ_MAX_LEN];
	const struct nlattr *top[HAIRPIN_A_MAX + 1] = { NULL };
	struct collect tc = { top, HAIRPIN_A_MAX, false };
	struct hp_masqlist masqs = { NULL, 0, 0 };
	struct ops ops = { .n = 0 };
	struct nlattr *nest;
	struct nlmsghdr *nlh;
	struct hp_oplist list;
	struct hp_batch b;
	struct hp_masq m;
	struct hp_op op;
	unsigned int i;

	if (!ok(parse_text("masq add dev wan0\n"
			   "masq add dev ppp0 to 203.0.113.1 filter address-port\n"
			   "masq add dev eth1 to 198.51.100.9 filter independent\n"
			   "masq del dev wan0\n"
			   "map flush\n", &list) && list.len == 5,
		"a file of masq lines parses into 5 operations"))
		return;
	if (!ok(hp_batch_build(&b, FAMILY, list.ops, list.len), "and builds into a batch"))
		return;
	nlh = hp_batch_msg(&b);
	ok(mnl_attr_parse(nlh, sizeof(struct genlmsghdr), top_cb, &ops) >= 0 &&
	   !ops.bad && ops.n == 5, "5 HAIRPIN_A_OP nests");
	for (i = 0; i < ops.n && i < 5; i++) {
		const struct nlattr *tb[HAIRPIN_OP_A_MAX + 1] = { NULL };
		struct collect c = { tb, HAIRPIN_OP_A_MAX, false };
		bool good;

		good = mnl_attr_parse_nested(ops.op[i], collect_cb, &c) >= 0 && !c.bad &&
		       tb[HAIRPIN_OP_A_CMD] &&
		       mnl_attr_get_u8(tb[HAIRPIN_OP_A_CMD]) == want[i].cmd &&
		       !tb[HAIRPIN_OP_A_MAP] && !tb[HAIRPIN_OP_A_SOURCE] &&
		       !tb[HAIRPIN_OP_A_MODE] && !tb[HAIRPIN_OP_A_UDP_TIMEOUT];
		if (want[i].ifname)
			good = good && tb[HAIRPIN_OP_A_MASQ] &&
			       check_masq(tb[HAIRPIN_OP_A_MASQ], want[i].ifname,
					  want[i].filter,
					  want[i].addr ? ip(want[i].addr) : 0);
		else
			good = good && !tb[HAIRPIN_OP_A_MASQ];
		ok(good && hp_batch_find(&b, b.off[i]) == (long)i,
		   "op %u: command %u, HAIRPIN_OP_A_MASQ with the name%s%s", i + 1,
		   want[i].cmd, want[i].filter >= 0 ? ", the filter" : "",
		   want[i].addr ? ", the address" : "");
	}
	hp_batch_free(&b);

	/* Alone: HAIRPIN_A_MASQ, and a del never carries a filter. */
	nlh = hp_msg_start(buf, FAMILY, list.ops[1].cmd, NLM_F_ACK);
	hp_request_put(nlh, &list.ops[1]);
	ok(check_header(nlh, HAIRPIN_CMD_NEW_MASQ, NLM_F_ACK) &&
	   mnl_attr_parse(nlh, sizeof(struct genlmsghdr), collect_cb, &tc) >= 0 && !tc.bad &&
	   top[HAIRPIN_A_MASQ] && !top[HAIRPIN_A_OP] && !top[HAIRPIN_A_MAP] &&
	   check_masq(top[HAIRPIN_A_MASQ], "ppp0", HAIRPIN_FILTER_ADDRESS_PORT,
		      ip("203.0.113.1")),
	   "masq add: one HAIRPIN_A_MASQ with IFNAME, FILTER and ADDR");
	list.ops[3].masq.filter = HAIRPIN_FILTER_ADDRESS;
	list.ops[3].masq.has_addr = true;
	list.ops[3].masq.addr = ip("203.0.113.1");
	memset(top, 0, sizeof(top));
	nlh = hp_msg_start(buf, FAMILY, list.ops[3].cmd, NLM_F_ACK);
	hp_request_put(nlh, &list.ops[3]);
	ok(check_header(nlh, HAIRPIN_CMD_DEL_MASQ, NLM_F_ACK) &&
	   mnl_attr_parse(nlh, sizeof(struct genlmsghdr), collect_cb, &tc) >= 0 && !tc.bad &&
	   top[HAIRPIN_A_MASQ] && check_masq(top[HAIRPIN_A_MASQ], "wan0", -1, 0),
	   "masq del: HAIRPIN_A_MASQ with IFNAME only, whatever the filter and address");
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MASQ, NLM_F_DUMP);
	ok(check_header(nlh, HAIRPIN_CMD_GET_MASQ, NLM_F_DUMP), "masq dump request: NLM_F_DUMP");
	hp_oplist_free(&list);

	/* A dump message, as the kernel builds it. */
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MASQ, 0);
	nest = mnl_attr_nest_start(nlh, HAIRPIN_A_MASQ);
	mnl_attr_put_strz(nlh, HAIRPIN_MASQ_A_IFNAME, "123456789012345");
	mnl_attr_put_u8(nlh, HAIRPIN_MASQ_A_FILTER, HAIRPIN_FILTER_ADDRESS);
	mnl_attr_put_u32(nlh, HAIRPIN_MASQ_A_BINDINGS, 42);
	mnl_attr_put_u32(nlh, 200, 0xdeadbeef);	/* from a newer module */
	mnl_attr_nest_end(nlh, nest);
	ok(hp_masq_parse(nest, &m) && !strcmp(m.ifname, "123456789012345") &&
	   m.filter == HAIRPIN_FILTER_ADDRESS && m.has_bindings && m.bindings == 42 &&
	   !m.has_addr,
	   "dumped masq nest parses, the longest name, unknown attribute skipped");
	ok(hp_masqs_cb(nlh, &masqs) == MNL_CB_OK && hp_masqs_cb(nlh, &masqs) == MNL_CB_OK &&
	   masqs.len == 2 && masqs.masqs[1].bindings == 42, "GET_MASQ dump messages append");
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MASQ, 0);
	ok(hp_masqs_cb(nlh, &masqs) == MNL_CB_OK && masqs.len == 2,
	   "a dump message without HAIRPIN_A_MASQ adds nothing");
	hp_masqlist_free(&masqs);

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MASQ, 0);
	nest = mnl_attr_nest_start(nlh, HAIRPIN_A_MASQ);
	mnl_attr_put_strz(nlh, HAIRPIN_MASQ_A_IFNAME, "wan0");
	mnl_attr_nest_end(nlh, nest);
	ok(hp_masq_parse(nest, &m) && !strcmp(m.ifname, "wan0") &&
	   m.filter == HAIRPIN_FILTER_INDEPENDENT && !m.has_bindings,
	   "a nest without FILTER is independent, without BINDINGS has none");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MASQ, 0);
	nest = mnl_attr_nest_start(nlh, HAIRPIN_A_MASQ);
	mnl_attr_put_strz(nlh, HAIRPIN_MASQ_A_IFNAME, "wan0");
	mnl_attr_put_u32(nlh, HAIRPIN_MASQ_A_ADDR, ip("203.0.113.1"));
	mnl_attr_nest_end(nlh, nest);
	ok(hp_masq_parse(nest, &m) && m.has_addr && m.addr == ip("203.0.113.1"),
	   "a nest with ADDR has the address");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MASQ, 0);
	nest = mnl_attr_nest_start(nlh, HAIRPIN_A_MASQ);
	mnl_attr_put_strz(nlh, HAIRPIN_MASQ_A_IFNAME, "wan0");
	mnl_attr_put_u16(nlh, HAIRPIN_MASQ_A_ADDR, 1);
	mnl_attr_nest_end(nlh, nest);
	ok(!hp_masq_parse(nest, &m), "an ADDR of the wrong size is refused");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MASQ, 0);
	nest = mnl_attr_nest_start(nlh, HAIRPIN_A_MASQ);
	mnl_attr_put_u8(nlh, HAIRPIN_MASQ_A_FILTER, HAIRPIN_FILTER_ADDRESS);
	mnl_attr_nest_end(nlh, nest);
	ok(!hp_masq_parse(nest, &m), "a nest without IFNAME is refused");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MASQ, 0);
	nest = mnl_attr_nest_start(nlh, HAIRPIN_A_MASQ);
	mnl_attr_put_strz(nlh, HAIRPIN_MASQ_A_IFNAME, "1234567890123456");
	mnl_attr_nest_end(nlh, nest);
	ok(!hp_masq_parse(nest, &m), "a name longer than IFNAMSIZ is refused");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MASQ, 0);
	nest = mnl_attr_nest_start(nlh, HAIRPIN_A_MASQ);
	mnl_attr_put(nlh, HAIRPIN_MASQ_A_IFNAME, 4, "wan0");
	mnl_attr_nest_end(nlh, nest);
	ok(!hp_masq_parse(nest, &m), "a name without its NUL is refused");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MASQ, 0);
	nest = mnl_attr_nest_start(nlh, HAIRPIN_A_MASQ);
	mnl_attr_put_strz(nlh, HAIRPIN_MASQ_A_IFNAME, "wan0");
	mnl_attr_put_u16(nlh, HAIRPIN_MASQ_A_FILTER, HAIRPIN_FILTER_ADDRESS);
	mnl_attr_nest_end(nlh, nest);
	ok(!hp_masq_parse(nest, &m), "a FILTER of the wrong size is refused");

	/* Events. */
	m = (struct hp_masq){ .ifname = "wan0", .filter = HAIRPIN_FILTER_ADDRESS,
			      .has_addr = true, .addr = ip("203.0.113.1") };
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_NEW_MASQ, 0);
	hp_masq_put(nlh, HAIRPIN_A_MASQ, &m, true);
	ok(hp_event_parse(nlh, &op) == 1 && op.cmd == HAIRPIN_CMD_NEW_MASQ &&
	   !strcmp(op.masq.ifname, "wan0") && op.masq.filter == HAIRPIN_FILTER_ADDRESS &&
	   op.masq.has_addr && op.masq.addr == ip("203.0.113.1") &&
	   op.source == HP_UNSET, "event: a new masq rule, with its address");
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_DEL_MASQ, 0);
	hp_masq_put(nlh, HAIRPIN_A_MASQ, &m, true);
	ok(hp_event_parse(nlh, &op) == 1 && op.cmd == HAIRPIN_CMD_DEL_MASQ &&
	   !strcmp(op.masq.ifname, "wan0"), "event: a deleted masq rule");
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_NEW_MASQ, 0);
	ok(hp_event_parse(nlh, &op) == -1, "event: a masq rule's event without it is malformed");
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_MASQ, 0);
	ok(hp_event_parse(nlh, &op) == 0, "event: a masq dump message is not one");
}

/* Binding nests as the kernel dumps them, and malformed ones. */
static void test_bindings(void)
{
	alignas(struct nlmsghdr) char buf[1024];
	struct hp_bindinglist list = { NULL, 0, 0 };
	struct nlmsghdr *nlh;
	struct hp_binding b;
	struct nlattr *nest;
	int i;

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_BINDING, NLM_F_DUMP);
	ok(check_header(nlh, HAIRPIN_CMD_GET_BINDING, NLM_F_DUMP),
	   "binding dump request: NLM_F_DUMP");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_BINDING, 0);
	nest = mnl_attr_nest_start(nlh, HAIRPIN_A_BINDING);
	mnl_attr_put_u8(nlh, HAIRPIN_BINDING_A_PROTO, IPPROTO_UDP);
	mnl_attr_put_u32(nlh, HAIRPIN_BINDING_A_INT_ADDR, ip("192.168.1.100"));
	mnl_attr_put_u16(nlh, HAIRPIN_BINDING_A_INT_PORT, 4000);
	mnl_attr_put_u32(nlh, HAIRPIN_BINDING_A_EXT_ADDR, ip("203.0.113.1"));
	mnl_attr_put_u16(nlh, HAIRPIN_BINDING_A_EXT_PORT, 4001);
	mnl_attr_put_u8(nlh, HAIRPIN_BINDING_A_FILTER, HAIRPIN_FILTER_ADDRESS);
	mnl_attr_put_u32(nlh, HAIRPIN_BINDING_A_CONNS, 2);
	mnl_attr_put_u32(nlh, HAIRPIN_BINDING_A_IDLE, 3);
	mnl_attr_put_u32(nlh, 200, 0xdeadbeef);	/* from a newer module */
	mnl_attr_nest_end(nlh, nest);
	ok(hp_binding_parse(nest, &b) && b.proto == IPPROTO_UDP &&
	   b.int_addr == ip("192.168.1.100") && b.int_port == 4000 &&
	   b.ext_addr == ip("203.0.113.1") && b.ext_port == 4001 &&
	   b.filter == HAIRPIN_FILTER_ADDRESS && b.has_conns && b.conns == 2 &&
	   b.has_idle && b.idle == 3,
	   "dumped binding nest parses, every field, unknown attribute skipped");
	ok(hp_bindings_cb(nlh, &list) == MNL_CB_OK && hp_bindings_cb(nlh, &list) == MNL_CB_OK &&
	   list.len == 2 && list.bindings[1].ext_port == 4001, "GET_BINDING dump messages append");
	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_BINDING, 0);
	ok(hp_bindings_cb(nlh, &list) == MNL_CB_OK && list.len == 2,
	   "a dump message without HAIRPIN_A_BINDING adds nothing");
	hp_bindinglist_free(&list);

	/* The endpoints alone; then each of them missing in turn. */
	for (i = 0; i <= HAIRPIN_BINDING_A_EXT_PORT; i++) {
		nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_BINDING, 0);
		nest = mnl_attr_nest_start(nlh, HAIRPIN_A_BINDING);
		if (i != HAIRPIN_BINDING_A_PROTO)
			mnl_attr_put_u8(nlh, HAIRPIN_BINDING_A_PROTO, IPPROTO_TCP);
		if (i != HAIRPIN_BINDING_A_INT_ADDR)
			mnl_attr_put_u32(nlh, HAIRPIN_BINDING_A_INT_ADDR, ip("10.0.0.2"));
		if (i != HAIRPIN_BINDING_A_INT_PORT)
			mnl_attr_put_u16(nlh, HAIRPIN_BINDING_A_INT_PORT, 80);
		if (i != HAIRPIN_BINDING_A_EXT_ADDR)
			mnl_attr_put_u32(nlh, HAIRPIN_BINDING_A_EXT_ADDR, ip("198.51.100.7"));
		if (i != HAIRPIN_BINDING_A_EXT_PORT)
			mnl_attr_put_u16(nlh, HAIRPIN_BINDING_A_EXT_PORT, 1080);
		mnl_attr_nest_end(nlh, nest);
		if (i == 0)
			ok(hp_binding_parse(nest, &b) && b.proto == IPPROTO_TCP &&
			   b.ext_port == 1080 && b.filter == HP_UNSET && !b.has_conns &&
			   !b.has_idle, "a nest of the endpoints alone: no filter, conns or idle");
		else
			ok(!hp_binding_parse(nest, &b), "a nest without attribute %d is refused", i);
	}

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_BINDING, 0);
	nest = mnl_attr_nest_start(nlh, HAIRPIN_A_BINDING);
	mnl_attr_put_u8(nlh, HAIRPIN_BINDING_A_PROTO, IPPROTO_TCP);
	mnl_attr_put_u32(nlh, HAIRPIN_BINDING_A_INT_ADDR, ip("10.0.0.2"));
	mnl_attr_put_u32(nlh, HAIRPIN_BINDING_A_INT_PORT, 80);
	mnl_attr_put_u32(nlh, HAIRPIN_BINDING_A_EXT_ADDR, ip("198.51.100.7"));
	mnl_attr_put_u16(nlh, HAIRPIN_BINDING_A_EXT_PORT, 1080);
	mnl_attr_nest_end(nlh, nest);
	ok(!hp_binding_parse(nest, &b), "a port of the wrong size is refused");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_BINDING, 0);
	mnl_attr_put_u32(nlh, HAIRPIN_A_BINDING, 1);
	ok(hp_bindings_cb(nlh, &list) == MNL_CB_ERROR && list.len == 0,
	   "a HAIRPIN_A_BINDING that is no nest is refused");
	hp_bindinglist_free(&list);
}

/* A 100k-line file: one message, found back by offset. */
static void test_big_batch(void)
{
	const unsigned int lines = 100000;
	size_t cap = (size_t)lines * 80, len = 0;
	char *text = malloc(cap);
	struct hp_oplist list;
	struct hp_batch b;
	unsigned int i;
	bool built;
	clock_t t0 = clock();

	for (i = 0; i < lines; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"map add %s %u to 10.%u.%u.%u comment n%u\n",
					i % 2 ? "udp" : "tcp", 1 + i / 2, (i >> 16) & 255,
					(i >> 8) & 255, 1 + (i & 127), i);
	ok(parse_text(text, &list) && list.len == lines, "%u-line file parses", lines);
	built = hp_batch_build(&b, FAMILY, list.ops, list.len);
	if (!ok(built && b.n == lines, "and builds into one message of %u bytes (%.2f s)",
		built ? hp_batch_msg(&b)->nlmsg_len : 0,
		(double)(clock() - t0) / CLOCKS_PER_SEC)) {
		hp_oplist_free(&list);
		free(text);
		return;
	}
	ok(hp_batch_find(&b, b.off[lines - 1] + 8) == (long)lines - 1 &&
	   list.ops[hp_batch_find(&b, b.off[lines - 1] + 8)].line == lines &&
	   hp_batch_find(&b, b.off[lines / 2]) == (long)lines / 2,
	   "extack offsets map back to lines %u and %u", lines, lines / 2 + 1);
	hp_batch_free(&b);
	hp_oplist_free(&list);
	free(text);
}

/* A source address: its attribute with the source alone, single or in a
 * batch, and read back from replies and events.
 */
static void test_source_addr(void)
{
	alignas(struct nlmsghdr) char buf[1024];
	const struct nlattr *tb[HAIRPIN_A_MAX + 1] = { NULL };
	const struct nlattr *otb[HAIRPIN_OP_A_MAX + 1] = { NULL };
	struct collect c = { tb, HAIRPIN_A_MAX, false };
	struct collect oc = { otb, HAIRPIN_OP_A_MAX, false };
	struct hp_config cfg = { .source = HP_UNSET, .mode = HP_UNSET };
	const struct nlattr *attr;
	struct hp_oplist list;
	struct nlmsghdr *nlh;
	struct hp_op op;

	if (!ok(parse_text("set source 192.168.1.254 hairpin auto\n"
			   "set source lan\n", &list) && list.len == 2,
		"two source settings parse"))
		return;

	nlh = hp_msg_start(buf, FAMILY, list.ops[0].cmd, NLM_F_ACK);
	hp_request_put(nlh, &list.ops[0]);
	ok(mnl_attr_parse(nlh, sizeof(struct genlmsghdr), collect_cb, &c) >= 0 && !c.bad &&
	   tb[HAIRPIN_A_SOURCE] && mnl_attr_get_u8(tb[HAIRPIN_A_SOURCE]) == HAIRPIN_SOURCE_ADDR &&
	   tb[HAIRPIN_A_SOURCE_ADDR] &&
	   mnl_attr_validate(tb[HAIRPIN_A_SOURCE_ADDR], MNL_TYPE_U32) == 0 &&
	   !memcmp(mnl_attr_get_payload(tb[HAIRPIN_A_SOURCE_ADDR]), "\xc0\xa8\x01\xfe", 4) &&
	   tb[HAIRPIN_A_MODE] &&
	   nlh->nlmsg_len == MNL_NLMSG_HDRLEN + sizeof(struct genlmsghdr) + 3 * 8,
	   "set source ADDR: HAIRPIN_A_SOURCE, HAIRPIN_A_SOURCE_ADDR in network order, the mode");

	memset(tb, 0, sizeof(tb));
	nlh = hp_msg_start(buf, FAMILY, list.ops[1].cmd, NLM_F_ACK);
	hp_request_put(nlh, &list.ops[1]);
	ok(mnl_attr_parse(nlh, sizeof(struct genlmsghdr), collect_cb, &c) >= 0 && !c.bad &&
	   tb[HAIRPIN_A_SOURCE] && !tb[HAIRPIN_A_SOURCE_ADDR],
	   "set source lan: no HAIRPIN_A_SOURCE_ADDR");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_BATCH, NLM_F_ACK);
	hp_op_put(nlh, &list.ops[0]);
	attr = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr));
	ok(mnl_attr_get_type(attr) == HAIRPIN_A_OP &&
	   mnl_attr_parse_nested(attr, collect_cb, &oc) >= 0 && !oc.bad &&
	   otb[HAIRPIN_OP_A_SOURCE] &&
	   mnl_attr_get_u8(otb[HAIRPIN_OP_A_SOURCE]) == HAIRPIN_SOURCE_ADDR &&
	   otb[HAIRPIN_OP_A_SOURCE_ADDR] &&
	   mnl_attr_get_u32(otb[HAIRPIN_OP_A_SOURCE_ADDR]) == ip("192.168.1.254"),
	   "set source ADDR in a batch: HAIRPIN_OP_A_SOURCE and HAIRPIN_OP_A_SOURCE_ADDR");
	hp_oplist_free(&list);

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_SET_CONFIG, 0);
	mnl_attr_put_u8(nlh, HAIRPIN_A_SOURCE, HAIRPIN_SOURCE_ADDR);
	mnl_attr_put_u32(nlh, HAIRPIN_A_SOURCE_ADDR, ip("192.168.1.254"));
	mnl_attr_put_u8(nlh, HAIRPIN_A_MODE, HAIRPIN_MODE_AUTO);
	ok(hp_event_parse(nlh, &op) == 1 && op.source == HAIRPIN_SOURCE_ADDR &&
	   op.source_addr == ip("192.168.1.254") && op.mode == HAIRPIN_MODE_AUTO,
	   "event: a source address");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_SET_CONFIG, 0);
	mnl_attr_put_u16(nlh, HAIRPIN_A_SOURCE_ADDR, 1);
	ok(hp_event_parse(nlh, &op) == -1, "event: a source address of the wrong size is malformed");

	nlh = hp_msg_start(buf, FAMILY, HAIRPIN_CMD_GET_CONFIG, 0);
	mnl_attr_put_u8(nlh, HAIRPIN_A_SOURCE, HAIRPIN_SOURCE_ADDR);
	mnl_attr_put_u32(nlh, HAIRPIN_A_SOURCE_ADDR, ip("203.0.113.1"));
	ok(hp_config_cb(nlh, &cfg) == MNL_CB_OK && cfg.source == HAIRPIN_SOURCE_ADDR &&
	   cfg.source_addr == ip("203.0.113.1"), "GET_CONFIG reply with a source address");
}

int main(void)
{
	test_batch();
	test_single();
	test_source_addr();
	test_map_parse();
	test_events();
	test_masq();
	test_bindings();
	test_big_batch();
	return done_testing();
}
