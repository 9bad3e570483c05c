/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building hairpin requests and reading replies; no socket here, so the
 * tests can check the bytes without a kernel.
 */
#ifndef HAIRPINCTL_MSG_H
#define HAIRPINCTL_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "list.h"
#include "types.h"

/* Upper bound of what hp_op_put() adds: the HAIRPIN_A_OP nest with a
 * command, a full mapping with a HAIRPIN_COMMENT_MAX comment, a source and
 * its address, a mode, a UDP timeout and three limits is about 210 bytes.
 */
#define HP_OP_MAX_LEN 256
/* Enough for any single request (header plus one operation). */
#define HP_REQ_MAX_LEN (MNL_NLMSG_HDRLEN + MNL_ALIGN(4) + HP_OP_MAX_LEN)

/* Puts a request header for cmd of family into buf: NLM_F_REQUEST plus
 * flags (never CREATE, EXCL or REPLACE), the genl header with
 * HAIRPIN_GENL_VERSION. The sequence number is set when it is sent.
 */
struct nlmsghdr *hp_msg_start(void *buf, uint16_t family, uint8_t cmd,
			      uint16_t flags);

/* Appends m as a nest of type (HAIRPIN_A_MAP or HAIRPIN_OP_A_MAP). Only the
 * fields the request needs are put: PORT_MAX when it differs from PORT,
 * the TO_* attributes when has_to, TO_PORT when has_to_port, COMMENT when
 * not empty, FLAGS when not 0. Counters are read only and never put.
 */
void hp_map_put(struct nlmsghdr *nlh, uint16_t type, const struct hp_map *m);

/* Parses a HAIRPIN_A_MAP nest (from a dump) into m. Unknown attributes are
 * skipped; a malformed one, or a missing PROTO or PORT, is an error:
 * returns false with errno set.
 */
bool hp_map_parse(const struct nlattr *nest, struct hp_map *m);

/* Appends m as a nest of type (HAIRPIN_A_MASQ or HAIRPIN_OP_A_MASQ): the
 * IFNAME, and with rule the FILTER unless it is independent (which its
 * absence means). BINDINGS is read only and never put.
 */
void hp_masq_put(struct nlmsghdr *nlh, uint16_t type, const struct hp_masq *m,
		 bool rule);

/* Parses a HAIRPIN_A_MASQ nest (from a dump or an event) into m, as
 * hp_map_parse() does; IFNAME is required.
 */
bool hp_masq_parse(const struct nlattr *nest, struct hp_masq *m);

/* Parses a HAIRPIN_A_BINDING nest into b, as hp_map_parse() does: PROTO
 * and both endpoints are required, FILTER, CONNS and IDLE are not.
 */
bool hp_binding_parse(const struct nlattr *nest, struct hp_binding *b);

/* Reply callbacks (mnl_cb_t) for hp_nl_talk(): a GET_CONFIG reply into
 * the struct hp_config at data (whose source and mode the caller set to
 * HP_UNSET), one GET_MAP dump message into the struct hp_maplist at data,
 * one GET_MASQ dump message into the struct hp_masqlist at data, one
 * GET_BINDING dump message into the struct hp_bindinglist at data.
 */
int hp_config_cb(const struct nlmsghdr *nlh, void *data);
int hp_maps_cb(const struct nlmsghdr *nlh, void *data);
int hp_masqs_cb(const struct nlmsghdr *nlh, void *data);
int hp_bindings_cb(const struct nlmsghdr *nlh, void *data);

/*
 * A message of the "changes" multicast group as the operation that would
 * make the same change: HAIRPIN_CMD_NEW_MAP (with the counters),
 * HAIRPIN_CMD_DEL_MAP, HAIRPIN_CMD_FLUSH_MAPS, HAIRPIN_CMD_NEW_MASQ,
 * HAIRPIN_CMD_DEL_MASQ (with the bindings when the event carries them) or
 * HAIRPIN_CMD_SET_CONFIG (with the UDP timeout and the limits when the
 * event carries them).
 * Returns 1, 0 for a command that is not an event (newer modules may add
 * some), or -1 with errno set for a malformed one.
 */
int hp_event_parse(const struct nlmsghdr *nlh, struct hp_op *op);

/* Appends the attributes of op as its single command's request wants
 * them: HAIRPIN_A_MAP, HAIRPIN_A_MASQ, or any of HAIRPIN_A_SOURCE (and
 * HAIRPIN_A_SOURCE_ADDR with HAIRPIN_SOURCE_ADDR), HAIRPIN_A_MODE,
 * HAIRPIN_A_MAX_MAPS, HAIRPIN_A_MAX_PORTS, HAIRPIN_A_UDP_TIMEOUT and
 * HAIRPIN_A_MAX_BINDINGS.
 */
void hp_request_put(struct nlmsghdr *nlh, const struct hp_op *op);
/* Appends op as one HAIRPIN_A_OP nest of a HAIRPIN_CMD_BATCH. */
void hp_op_put(struct nlmsghdr *nlh, const struct hp_op *op);

/* A HAIRPIN_CMD_BATCH request in a buffer that grows as needed. */
struct hp_batch {
	char *buf;
	size_t cap;
	uint32_t *off;	/* off[i]: offset of op i's HAIRPIN_A_OP in the message */
	size_t n;
};

/* Builds the batch of ops; false with errno set (ENOMEM, EMSGSIZE). */
bool hp_batch_build(struct hp_batch *b, uint16_t family,
		    const struct hp_op *ops, size_t n);
static inline struct nlmsghdr *hp_batch_msg(const struct hp_batch *b)
{
	return (struct nlmsghdr *)b->buf;
}
/* The index of the op whose HAIRPIN_A_OP holds byte offset (counted from
 * the start of the message, as NLMSGERR_ATTR_OFFS is), or -1.
 */
long hp_batch_find(const struct hp_batch *b, uint32_t offset);
void hp_batch_free(struct hp_batch *b);

#endif
