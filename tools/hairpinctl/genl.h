/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink, shared by hairpinctl and tools/fuzz-nl (whose Makefile
 * builds this file in): a request's headers, and the lookup of a family's
 * id and multicast group through nlctrl.
 */
#ifndef HAIRPINCTL_GENL_H
#define HAIRPINCTL_GENL_H

#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/hairpin.h>

/* Puts the netlink and genl headers of a request into buf: type (the
 * family), NLM_F_REQUEST | flags, cmd and version. The sequence number is
 * for the sender to set.
 */
struct nlmsghdr *genl_start(void *buf, uint16_t type, uint8_t cmd,
			    uint8_t version, uint16_t flags);

/* A generic netlink family as nlctrl tells it. */
struct genl_family {
	const char *name;	/* the family's name */
	const char *group;	/* the multicast group wanted, or NULL */
	uint16_t id;		/* the family's id, 0 until found */
	uint32_t mcgrp;		/* the group's id, 0 if none */
};

/* The hairpin family and its "changes" group. */
#define HP_FAMILY { .name = HAIRPIN_GENL_NAME, .group = HAIRPIN_MCGRP_CHANGES }

/* Room for genl_family_request(). */
#define GENL_FAMILY_REQ_LEN 256

/* CTRL_CMD_GETFAMILY of fam->name, with NLM_F_ACK, into buf. */
struct nlmsghdr *genl_family_request(void *buf, const struct genl_family *fam);
/* mnl_cb_t for its reply: fills the struct genl_family at data. MNL_CB_ERROR
 * with errno set for a malformed reply.
 */
int genl_family_cb(const struct nlmsghdr *nlh, void *data);
/* The request and its reply on s, a bound socket: 0, or -1 with errno set
 * (ENOENT: no such family, for hairpin: the module is not loaded).
 */
int genl_family_lookup(struct mnl_socket *s, struct genl_family *fam);

#endif
