/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink socket of hairpinctl: opening it (extended acks on,
 * family resolved), one request and its replies, and error reporting.
 */
#ifndef HAIRPINCTL_NL_H
#define HAIRPINCTL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "list.h"
#include "types.h"

struct hp_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;	/* resolved id of HAIRPIN_GENL_NAME */
	uint32_t mcgrp;		/* id of HAIRPIN_MCGRP_CHANGES, 0 if none */
	char *rbuf;		/* receive buffer, HP_NL_RECV_LEN bytes */
};

/* Big enough for any dump message the kernel builds (it caps them at 32k). */
#define HP_NL_RECV_LEN 32768

/* Why a request failed. */
struct hp_nl_err {
	int error;		/* positive errno; 0: no error */
	char msg[256];		/* NLMSGERR_ATTR_MSG, "" if none */
	bool has_offset;
	uint32_t offset;	/* NLMSGERR_ATTR_OFFS */
	bool has_miss_type;
	uint32_t miss_type;	/* NLMSGERR_ATTR_MISS_TYPE */
	bool dump_intr;		/* error is EINTR: NLM_F_DUMP_INTR was seen */
};

/* Opens a socket, asks for extended and capped acks, resolves the hairpin
 * family. On failure prints why (the module is not loaded, ...) and returns
 * false.
 */
bool hp_nl_open(struct hp_nl *nl);
/* Only the socket part of hp_nl_open(): no family. */
bool hp_nl_socket(struct hp_nl *nl);
void hp_nl_close(struct hp_nl *nl);

/* Starts a hairpin request in buf (see hp_msg_start()). */
struct nlmsghdr *hp_nl_start(const struct hp_nl *nl, void *buf, uint8_t cmd,
			     uint16_t flags);

/*
 * Sends req (NLM_F_ACK for a do, NLM_F_DUMP for a dump), raising the send
 * buffer first if req is big, and hands every reply message to cb (may be
 * NULL) until the ack or NLMSG_DONE. cb returns MNL_CB_OK, or MNL_CB_ERROR
 * with errno set. Returns 0, or -1 with err filled in, including the
 * kernel's extended ack.
 */
int hp_nl_talk(struct hp_nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
	       void *data, struct hp_nl_err *err);

/* "hairpinctl: CONTEXT: strerror[ (hint)][ (kernel: extack)]" */
void hp_nl_perror(const char *context, const struct hp_nl_err *err);
/* The same without "hairpinctl: CONTEXT: " into buf, cut as snprintf()
 * does; HP_NL_ERR_TEXT_MAX bytes hold any of them.
 */
void hp_nl_strerror(char *buf, size_t len, const struct hp_nl_err *err);
#define HP_NL_ERR_TEXT_MAX 512

/* Opens the socket, sends op as its single command, reports a failure
 * under context. Returns an exit code.
 */
int hp_nl_run_op(const struct hp_op *op, const char *context);

/* HAIRPIN_CMD_GET_CONFIG into c. Returns 0, or -1 with err filled in. */
int hp_nl_get_config(struct hp_nl *nl, struct hp_config *c,
		     struct hp_nl_err *err);
/* Opens a socket for one HAIRPIN_CMD_GET_CONFIG into c. Returns 0; -1 when
 * the socket or the family failed (and said so); 1 when the kernel refused,
 * with err for the caller to report.
 */
int hp_nl_read_config(struct hp_config *c, struct hp_nl_err *err);
/* Every mapping, sorted, into list (emptied first); a dump that races a
 * change is started again a few times. Returns 0, or -1 with err filled in.
 */
int hp_nl_get_maps(struct hp_nl *nl, struct hp_maplist *list,
		   struct hp_nl_err *err);
/* Every masq rule, sorted, into list (emptied first), as hp_nl_get_maps()
 * does. A module older than the masq rules fails with EOPNOTSUPP.
 */
int hp_nl_get_masqs(struct hp_nl *nl, struct hp_masqlist *list,
		    struct hp_nl_err *err);
/* Every binding, sorted, into list (emptied first). Bindings come and go
 * with traffic: this is a walk of them, not a snapshot.
 */
int hp_nl_get_bindings(struct hp_nl *nl, struct hp_bindinglist *list,
		       struct hp_nl_err *err);

#endif
