// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink plumbing against a real kernel, without the hairpin module:
 * its absence is reported as such, and the generic netlink controller
 * ("nlctrl", always there) stands in for hairpin to exercise acks, dumps,
 * extended acks with their offsets, and a multi-megabyte request. Skipped
 * when there is no generic netlink (a sandbox).
 */
#include <errno.h>
#include <stdalign.h>
#include <linux/genetlink.h>

#include "../genl.h"
#include "../msg.h"
#include "../nl.h"
#include "tap.h"

static struct nlmsghdr *ctrl_request(void *buf, uint16_t flags)
{
	struct nlmsghdr *nlh = hp_msg_start(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, flags);
	struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	genl->version = 1;
	return nlh;
}

struct count {
	unsigned int messages;
	unsigned int nlctrl_id;
};

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	struct count *c = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
		c->nlctrl_id = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	struct count *c = data;

	c->messages++;
	if (c->messages == 1)
		mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, c);
	return MNL_CB_OK;
}

int main(void)
{
	alignas(struct nlmsghdr) char buf[512];
	struct hp_nl_err err;
	struct count c = { 0, 0 };
	struct nlmsghdr *nlh;
	struct nlattr *name;
	struct hp_nl nl;
	const char *msg;
	int ret;

	capture_start();
	ret = hp_nl_socket(&nl);
	msg = capture_end();
	if (!ret) {
		printf("1..0 # SKIP no generic netlink here: %s\n", msg);
		return 0;
	}
	hp_nl_close(&nl);

	capture_start();
	ret = hp_nl_open(&nl);
	msg = capture_end();
	if (ret) {
		skip("the hairpin module is loaded");
		hp_nl_close(&nl);
	} else {
		ok(!strcmp(msg, "hairpinctl: the hairpin module is not loaded (try: modprobe hairpin)"),
		   "missing module reported as such");
		if (strcmp(msg, "hairpinctl: the hairpin module is not loaded (try: modprobe hairpin)"))
			diag("got '%s'", msg);
	}

	if (!hp_nl_socket(&nl))
		return 1;

	/* A do with an ack: reply, then ack. */
	nlh = ctrl_request(buf, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	ret = hp_nl_talk(&nl, nlh, count_cb, &c, &err);
	ok(ret == 0 && c.messages == 1 && c.nlctrl_id == GENL_ID_CTRL,
	   "do request: one reply (nlctrl id %u) and the ack", c.nlctrl_id);

	/* Twice on the same socket: nothing left over. */
	c.messages = 0;
	ret = hp_nl_talk(&nl, nlh, count_cb, &c, &err);
	ok(ret == 0 && c.messages == 1, "same again on the same socket");

	/* A dump: many messages, NLMSG_DONE. */
	c.messages = 0;
	nlh = ctrl_request(buf, NLM_F_DUMP);
	ret = hp_nl_talk(&nl, nlh, count_cb, &c, &err);
	ok(ret == 0 && c.messages > 1, "dump: %u families until NLMSG_DONE", c.messages);

	/* ENOENT with the kernel's words. */
	nlh = ctrl_request(buf, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "no-such-family");
	ret = hp_nl_talk(&nl, nlh, NULL, NULL, &err);
	ok(ret < 0 && err.error == ENOENT, "unknown family: ENOENT (%s)", strerror(err.error));

	/* A policy violation: extack message and the attribute's offset,
	 * counted from the start of the request as hp_batch_find() assumes.
	 */
	nlh = ctrl_request(buf, NLM_F_ACK);
	name = (struct nlattr *)mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put(nlh, CTRL_ATTR_FAMILY_NAME, 200, memset(buf + 256, 'x', 200));
	ret = hp_nl_talk(&nl, nlh, NULL, NULL, &err);
	ok(ret < 0 && err.error != 0, "bad attribute refused: %s", strerror(err.error));
	ok(err.msg[0] != '\0', "with an extack message: %s", err.msg);
	ok(err.has_offset && err.offset == (uint32_t)((char *)name - (char *)nlh),
	   "and NLMSGERR_ATTR_OFFS %u = the attribute's offset %u",
	   err.offset, (unsigned int)((char *)name - (char *)nlh));
	capture_start();
	hp_nl_perror("test", &err);
	msg = capture_end();
	ok(!strncmp(msg, "hairpinctl: test: ", 18) && strstr(msg, " (kernel: ") &&
	   strstr(msg, err.msg), "printed as: %s", msg);

	/* 4 MB in one message: the send buffer is raised, and the capped ack
	 * does not echo it back.
	 */
	{
		size_t big = 4u << 20, i;
		char *bbuf = malloc(big + 4096);
		struct nlmsghdr *bnlh = ctrl_request(bbuf, NLM_F_ACK);

		for (i = 0; bnlh->nlmsg_len + 8 <= big; i++)
			mnl_attr_put_u16(bnlh, CTRL_ATTR_FAMILY_ID, GENL_ID_CTRL);
		c.messages = 0;
		ret = hp_nl_talk(&nl, bnlh, count_cb, &c, &err);
		ok(err.error != EMSGSIZE && err.error != ENOSPC && err.error != ENOBUFS,
		   "%u-byte request sent and answered (%s%s%s)", bnlh->nlmsg_len,
		   ret ? strerror(err.error) : "ok", err.msg[0] ? ": " : "", err.msg);
		free(bbuf);
	}

	/* The family lookup that hairpinctl and fuzz-nl share, on nlctrl
	 * itself: its id and its "notify" group; ENOENT for no family. Then
	 * the same request and callback through hp_nl_talk(), as hp_nl_open()
	 * does it.
	 */
	{
		struct genl_family fam = { .name = "nlctrl", .group = "notify" };
		struct genl_family none = { .name = "no-such-family" };

		ret = genl_family_lookup(nl.sock, &fam);
		ok(ret == 0 && fam.id == GENL_ID_CTRL && fam.mcgrp != 0,
		   "genl_family_lookup: nlctrl %u, its notify group %u", fam.id, fam.mcgrp);
		ret = genl_family_lookup(nl.sock, &none);
		ok(ret < 0 && errno == ENOENT && none.id == 0,
		   "genl_family_lookup: ENOENT for no family (%s)", strerror(errno));
		memset(&fam, 0, sizeof(fam));
		fam.name = "nlctrl";
		ret = hp_nl_talk(&nl, genl_family_request(buf, &fam), genl_family_cb,
				 &fam, &err);
		ok(ret == 0 && fam.id == GENL_ID_CTRL && fam.mcgrp == 0,
		   "genl_family_request and _cb through hp_nl_talk: %u, no group asked", fam.id);
	}

	/* Still in step after all that. */
	c.messages = 0;
	nlh = ctrl_request(buf, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	ok(hp_nl_talk(&nl, nlh, count_cb, &c, &err) == 0 && c.messages == 1,
	   "socket still in step");

	hp_nl_close(&nl);
	return done_testing();
}
