// SPDX-License-Identifier: GPL-2.0
/*
 * Talking to the hairpin generic netlink family with libmnl.
 */
#include <errno.h>
#include <limits.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "error.h"
#include "genl.h"
#include "hairpinctl.h"
#include "msg.h"
#include "nl.h"

/* Not in older <linux/netlink.h>; the numbers are ABI. */
#define HP_NLMSGERR_ATTR_MSG 1
#define HP_NLMSGERR_ATTR_OFFS 2
#define HP_NLMSGERR_ATTR_MISS_TYPE 5

struct talk {
	mnl_cb_t cb;
	void *data;
	struct hp_nl_err *err;
};

static int extack_attr_cb(const struct nlattr *attr, void *data)
{
	struct hp_nl_err *err = data;

	switch (mnl_attr_get_type(attr)) {
	case HP_NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(err->msg, sizeof(err->msg), "%s",
				 mnl_attr_get_str(attr));
		break;
	case HP_NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0) {
			err->has_offset = true;
			err->offset = mnl_attr_get_u32(attr);
		}
		break;
	case HP_NLMSGERR_ATTR_MISS_TYPE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0) {
			err->has_miss_type = true;
			err->miss_type = mnl_attr_get_u32(attr);
		}
		break;
	}
	return MNL_CB_OK;
}

/* NLMSG_ERROR: an ack (error 0) or an error, either with extack TLVs. */
static int ctl_error(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	unsigned int off = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		t->err->error = EBADMSG;
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	/* NETLINK_CAP_ACK normally spares us the echo of the request. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len > sizeof(struct nlmsghdr))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, off, extack_attr_cb, t->err);
	if (e->error == 0)
		return MNL_CB_STOP;
	t->err->error = e->error < 0 ? -e->error : e->error;
	errno = t->err->error;
	return MNL_CB_ERROR;
}

/* NLMSG_DONE ends a dump; an error during the dump is its int payload. */
static int ctl_done(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int error = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(error)) {
		memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
		if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
			mnl_attr_parse(nlh, sizeof(error), extack_attr_cb, t->err);
	}
	if (error < 0) {
		t->err->error = -error;
		errno = -error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int ret;

	if (!t->cb)
		return MNL_CB_OK;
	errno = 0;
	ret = t->cb(nlh, t->data);
	if (ret == MNL_CB_ERROR)
		t->err->error = errno ? errno : EBADMSG;
	return ret;
}

/* After libmnl stopped at NLM_F_DUMP_INTR, reads the rest of the dump so
 * the socket is clean for the next one. buf holds len bytes just received.
 */
static void drain_dump(struct hp_nl *nl, uint32_t seq, size_t len)
{
	for (;;) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)nl->rbuf;
		int rem = (int)len;
		ssize_t n;

		for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem))
			if (nlh->nlmsg_seq == seq &&
			    (nlh->nlmsg_type == NLMSG_DONE ||
			     nlh->nlmsg_type == NLMSG_ERROR))
				return;
		n = mnl_socket_recvfrom(nl->sock, nl->rbuf, HP_NL_RECV_LEN);
		if (n <= 0)
			return;
		len = (size_t)n;
	}
}

/* A netlink message must fit the sender's buffer (len <= sk_sndbuf - 32).
 * SO_SNDBUFFORCE needs CAP_NET_ADMIN in the initial namespace; SO_SNDBUF is
 * capped by net.core.wmem_max. If neither is enough, the send fails with
 * EMSGSIZE and hp_nl_perror() says what to do.
 */
static void fit_sndbuf(struct hp_nl *nl, size_t len)
{
	int fd = mnl_socket_get_fd(nl->sock);
	size_t need = len + 4096;
	socklen_t sl = sizeof(int);
	int cur = 0, val;

	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &cur, &sl) == 0 &&
	    cur > 0 && (size_t)cur >= need)
		return;
	if (need > INT_MAX / 2)
		return;
	val = (int)need;	/* the kernel doubles it for overhead */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &val, sizeof(val)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &val, sizeof(val));
}

int hp_nl_talk(struct hp_nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
	       void *data, struct hp_nl_err *err)
{
	/* libmnl takes a non-const array */
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = ctl_error,
		[NLMSG_DONE] = ctl_done,
	};
	struct talk t = { .cb = cb, .data = data, .err = err };

	memset(err, 0, sizeof(*err));
	req->nlmsg_seq = ++nl->seq;
	req->nlmsg_pid = 0;
	fit_sndbuf(nl, req->nlmsg_len);
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0) {
		err->error = errno;
		return -1;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->rbuf, HP_NL_RECV_LEN);
		int ret;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err->error = errno;
			return -1;
		}
		ret = mnl_cb_run2(nl->rbuf, (size_t)n, req->nlmsg_seq, nl->portid,
				  data_cb, &t, ctl, NLMSG_MIN_TYPE);
		if (ret == MNL_CB_STOP)
			return 0;
		if (ret == MNL_CB_ERROR) {
			if (!err->error) {
				/* libmnl's own verdict on the message */
				err->error = errno ? errno : EPROTO;
				if (err->error == EINTR) {
					err->dump_intr = true;
					drain_dump(nl, req->nlmsg_seq, (size_t)n);
				}
			}
			return -1;
		}
	}
}

struct nlmsghdr *hp_nl_start(const struct hp_nl *nl, void *buf, uint8_t cmd,
			     uint16_t flags)
{
	return hp_msg_start(buf, nl->family, cmd, flags);
}

static bool resolve_family(struct hp_nl *nl)
{
	alignas(struct nlmsghdr) char buf[GENL_FAMILY_REQ_LEN];
	struct genl_family fam = HP_FAMILY;
	struct hp_nl_err err;

	if (hp_nl_talk(nl, genl_family_request(buf, &fam), genl_family_cb, &fam,
		       &err) < 0) {
		if (err.error == ENOENT)
			hp_error("the hairpin module is not loaded (try: modprobe hairpin)");
		else
			hp_nl_perror("looking up the generic netlink family '"
				     HAIRPIN_GENL_NAME "'", &err);
		return false;
	}
	if (!fam.id) {
		hp_error("looking up the generic netlink family '"
			 HAIRPIN_GENL_NAME "': no id in the reply");
		return false;
	}
	nl->family = fam.id;
	nl->mcgrp = fam.mcgrp;
	return true;
}

bool hp_nl_socket(struct hp_nl *nl)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->rbuf = malloc(HP_NL_RECV_LEN);
	if (!nl->rbuf) {
		hp_error("%s", strerror(errno));
		return false;
	}
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		hp_error("generic netlink socket: %s", strerror(errno));
		goto fail;
	}
	/* Best effort (Linux 4.12 and 4.3): without them, errors carry less
	 * detail and echo the whole request.
	 */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		hp_error("generic netlink socket: %s", strerror(errno));
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	return true;
fail:
	hp_nl_close(nl);
	return false;
}

bool hp_nl_open(struct hp_nl *nl)
{
	if (!hp_nl_socket(nl))
		return false;
	if (!resolve_family(nl)) {
		hp_nl_close(nl);
		return false;
	}
	return true;
}

void hp_nl_close(struct hp_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->rbuf);
	memset(nl, 0, sizeof(*nl));
}

void hp_nl_strerror(char *buf, size_t len, const struct hp_nl_err *err)
{
	const char *hint = "";
	char kernel[sizeof(err->msg) + 16] = "";

	switch (err->error) {
	case EPERM:
		/* With a message, the kernel says what is missing: raising a
		 * limit needs more than CAP_NET_ADMIN in the namespace.
		 */
		if (!err->msg[0])
			hint = " (CAP_NET_ADMIN is needed)";
		break;
	case ENOSPC:
		if (!err->msg[0])
			hint = " (over a limit of the namespace: see hairpinctl show)";
		break;
	case EMSGSIZE:
		hint = " (too big for the socket's send buffer: run as root or raise net.core.wmem_max)";
		break;
	case EOPNOTSUPP:
		hint = " (the module does not know this command: is it older than hairpinctl?)";
		break;
	case EINTR:
		if (err->dump_intr)
			hint = " (the table kept changing during the dump; try again)";
		break;
	}
	if (err->msg[0])
		snprintf(kernel, sizeof(kernel), " (kernel: %s)", err->msg);
	else if (err->has_miss_type)
		snprintf(kernel, sizeof(kernel), " (kernel: missing attribute %u)",
			 err->miss_type);
	snprintf(buf, len, "%s%s%s", strerror(err->error), hint, kernel);
}

void hp_nl_perror(const char *context, const struct hp_nl_err *err)
{
	char why[HP_NL_ERR_TEXT_MAX];

	hp_nl_strerror(why, sizeof(why), err);
	fprintf(stderr, PROG_NAME ": %s: %s\n", context, why);
}

int hp_nl_run_op(const struct hp_op *op, const char *context)
{
	/* Zeroed: the padding of attributes too (see hp_batch_build()). */
	alignas(struct nlmsghdr) char buf[HP_REQ_MAX_LEN] = { 0 };
	struct hp_nl_err err;
	struct nlmsghdr *nlh;
	struct hp_nl nl;
	int ret = EXIT_OK;

	if (!hp_nl_open(&nl))
		return EXIT_RUNTIME;
	nlh = hp_nl_start(&nl, buf, op->cmd, NLM_F_ACK);
	hp_request_put(nlh, op);
	if (hp_nl_talk(&nl, nlh, NULL, NULL, &err) < 0) {
		hp_nl_perror(context, &err);
		ret = EXIT_RUNTIME;
	} else if (err.msg[0]) {
		hp_error("%s: warning (kernel: %s)", context, err.msg);
	}
	hp_nl_close(&nl);
	return ret;
}

int hp_nl_get_config(struct hp_nl *nl, struct hp_config *c,
		     struct hp_nl_err *err)
{
	alignas(struct nlmsghdr) char buf[MNL_NLMSG_HDRLEN + 64];
	struct nlmsghdr *nlh = hp_nl_start(nl, buf, HAIRPIN_CMD_GET_CONFIG,
					   NLM_F_ACK);

	memset(c, 0, sizeof(*c));
	c->source = HP_UNSET;
	c->mode = HP_UNSET;
	return hp_nl_talk(nl, nlh, hp_config_cb, c, err);
}

int hp_nl_read_config(struct hp_config *c, struct hp_nl_err *err)
{
	struct hp_nl nl;
	int ret = 0;

	if (!hp_nl_open(&nl))
		return -1;
	if (hp_nl_get_config(&nl, c, err) < 0)
		ret = 1;
	hp_nl_close(&nl);
	return ret;
}

/* How often a dump that raced a change is started again. */
#define DUMP_TRIES 10

/* The dump of cmd, each message to cb with data; *len (of the list at
 * data) goes back to 0 before each try. Returns 0, or -1 with err.
 */
static int dump(struct hp_nl *nl, uint8_t cmd, mnl_cb_t cb, void *data,
		size_t *len, struct hp_nl_err *err)
{
	alignas(struct nlmsghdr) char buf[MNL_NLMSG_HDRLEN + 64];
	int tries;

	for (tries = 0; tries < DUMP_TRIES; tries++) {
		struct nlmsghdr *nlh = hp_nl_start(nl, buf, cmd, NLM_F_DUMP);

		*len = 0;
		if (hp_nl_talk(nl, nlh, cb, data, err) == 0)
			return 0;
		if (!err->dump_intr)
			break;
	}
	return -1;
}

int hp_nl_get_maps(struct hp_nl *nl, struct hp_maplist *list,
		   struct hp_nl_err *err)
{
	if (dump(nl, HAIRPIN_CMD_GET_MAP, hp_maps_cb, list, &list->len, err) < 0)
		return -1;
	hp_maplist_sort(list);
	return 0;
}

int hp_nl_get_bindings(struct hp_nl *nl, struct hp_bindinglist *list,
		       struct hp_nl_err *err)
{
	if (dump(nl, HAIRPIN_CMD_GET_BINDING, hp_bindings_cb, list, &list->len,
		 err) < 0)
		return -1;
	hp_bindinglist_sort(list);
	return 0;
}

int hp_nl_get_masqs(struct hp_nl *nl, struct hp_masqlist *list,
		    struct hp_nl_err *err)
{
	if (dump(nl, HAIRPIN_CMD_GET_MASQ, hp_masqs_cb, list, &list->len, err) < 0)
		return -1;
	hp_masqlist_sort(list);
	return 0;
}
