// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl monitor: the changes to the mappings and settings as they
 * happen, from the "changes" multicast group, until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "error.h"
#include "hairpinctl.h"
#include "msg.h"
#include "nl.h"
#include "print.h"
#include "waitsig.h"

/* A batch of many changes sends as many events at once: room for some. */
#define MONITOR_RCVBUF (4 << 20)

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void raise_rcvbuf(int fd)
{
	int val = MONITOR_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &val, sizeof(val)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &val, sizeof(val));
}

/* nlctrl's CTRL_CMD_DELFAMILY for our family: the module is gone. */
static bool family_removed(const struct nlmsghdr *nlh, uint16_t family)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl) ||
	    genl->cmd != CTRL_CMD_DELFAMILY)
		return false;
	mnl_attr_for_each(attr, nlh, sizeof(*genl))
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(attr, MNL_TYPE_U16) == 0 &&
		    mnl_attr_get_u16(attr) == family)
			return true;
	return false;
}

/* Prints the events in buf. Returns false when the module went away. */
static bool print_events(const void *buf, size_t len, uint16_t family)
{
	const struct nlmsghdr *nlh = buf;
	int rem = (int)len;

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		struct hp_op op;
		int ret;

		if (nlh->nlmsg_type == GENL_ID_CTRL) {
			if (family_removed(nlh, family))
				return false;
			continue;
		}
		if (nlh->nlmsg_type != family)
			continue;
		ret = hp_event_parse(nlh, &op);
		if (ret < 0)
			hp_error("monitor: malformed event: %s", strerror(errno));
		else if (ret > 0)
			print_event(stdout, &op, print_flags);
	}
	return true;
}

static bool join(struct hp_nl *nl, uint32_t group)
{
	struct hp_nl_err err = { 0 };

	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) == 0)
		return true;
	err.error = errno;
	hp_nl_perror("monitor", &err);
	return false;
}

int monitor_main(int argc, char *argv[])
{
	static const int sigs[] = { SIGINT, SIGTERM };
	sigset_t orig;
	struct hp_nl nl;
	int fd, ret = EXIT_RUNTIME;

	if (!parse_print_args(argc, argv))
		return EXIT_USAGE;
	if (!hp_nl_open(&nl))
		return EXIT_RUNTIME;
	if (!nl.mcgrp) {
		hp_error("monitor: the module has no '" HAIRPIN_MCGRP_CHANGES
			 "' multicast group (is it older than hairpinctl?)");
		goto out;
	}
	if (!join(&nl, nl.mcgrp))
		goto out;
	/* nlctrl's "notify" group always has the controller's id; through it
	 * we learn that the module was unloaded. Without it, we would not.
	 */
	mnl_socket_setsockopt(nl.sock, NETLINK_ADD_MEMBERSHIP,
			      &(uint32_t){ GENL_ID_CTRL }, sizeof(uint32_t));
	fd = mnl_socket_get_fd(nl.sock);
	raise_rcvbuf(fd);

	hp_waitsig(sigs, ARRAY_SIZE(sigs), on_signal, &orig);

	while (!stop) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (ppoll(&pfd, 1, NULL, &orig) < 0) {
			if (errno == EINTR)
				continue;
			hp_error("monitor: %s", strerror(errno));
			goto out;
		}
		n = mnl_socket_recvfrom(nl.sock, nl.rbuf, HP_NL_RECV_LEN);
		if (n < 0) {
			if (errno == ENOBUFS) {
				/* The kernel could not queue some events. */
				hp_error("monitor: events were lost (receive buffer overrun); "
					 "'" PROG_NAME " map show' shows the current table");
				continue;
			}
			if (errno == EINTR || errno == EAGAIN)
				continue;
			hp_error("monitor: %s", strerror(errno));
			goto out;
		}
		if (!print_events(nl.rbuf, (size_t)n, nl.family)) {
			fflush(stdout);
			hp_error("monitor: the hairpin module was unloaded");
			goto out;
		}
		if (fflush(stdout) != 0) {
			hp_error("monitor: writing the output: %s", strerror(errno));
			goto out;
		}
	}
	ret = EXIT_OK;
out:
	hp_nl_close(&nl);
	return ret;
}
