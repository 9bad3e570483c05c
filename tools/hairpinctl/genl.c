// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink headers, and a family's ids from nlctrl.
 */
#include <errno.h>
#include <stdalign.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>

#include "genl.h"

struct nlmsghdr *genl_start(void *buf, uint16_t type, uint8_t cmd,
			    uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *genl_family_request(void *buf, const struct genl_family *fam)
{
	struct nlmsghdr *nlh = genl_start(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
					  1, NLM_F_ACK);

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, fam->name);
	return nlh;
}

static int mcgrp_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type == CTRL_ATTR_MCAST_GRP_NAME &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		tb[type] = attr;
	else if (type == CTRL_ATTR_MCAST_GRP_ID &&
		 mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
		tb[type] = attr;
	return MNL_CB_OK;
}

/* CTRL_ATTR_MCAST_GROUPS: a nest of nests, each a name and an id. */
static uint32_t find_mcgrp(const struct nlattr *groups, const char *name)
{
	const struct nlattr *grp;

	mnl_attr_for_each_nested(grp, groups) {
		const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = { NULL };

		if (mnl_attr_parse_nested(grp, mcgrp_attr_cb, tb) < 0)
			continue;
		if (tb[CTRL_ATTR_MCAST_GRP_NAME] && tb[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
			    name))
			return mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	switch (type) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
			return MNL_CB_ERROR;
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
			return MNL_CB_ERROR;
		break;
	default:
		return MNL_CB_OK;
	}
	tb[type] = attr;
	return MNL_CB_OK;
}

int genl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = { NULL };
	struct genl_family *fam = data;

	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, tb) < 0)
		return MNL_CB_ERROR;
	if (!tb[CTRL_ATTR_FAMILY_ID]) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	fam->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_MCAST_GROUPS] && fam->group)
		fam->mcgrp = find_mcgrp(tb[CTRL_ATTR_MCAST_GROUPS], fam->group);
	return MNL_CB_OK;
}

int genl_family_lookup(struct mnl_socket *s, struct genl_family *fam)
{
	alignas(struct nlmsghdr) char buf[16384];
	struct nlmsghdr *nlh = genl_family_request(buf, fam);
	uint32_t seq = (uint32_t)time(NULL);
	int ret = MNL_CB_OK;

	fam->id = 0;
	fam->mcgrp = 0;
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(s, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		ssize_t n = mnl_socket_recvfrom(s, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		ret = mnl_cb_run(buf, (size_t)n, seq, mnl_socket_get_portid(s),
				 genl_family_cb, fam);
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		return -1;
	if (!fam->id) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}
