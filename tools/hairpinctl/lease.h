/* SPDX-License-Identifier: GPL-2.0 */
/*
 * miniupnpd's lease file (its lease_file= option): one line per forward,
 *
 *   PROTO:EPORT:IADDR:IPORT:TIMESTAMP:DESCRIPTION
 *   TCP:8081:10.20.30.100:80:1797166787:web cam
 *
 * the description running to the end of the line, colons and all, the
 * timestamp 0 for a forward without an end. Each TCP or UDP line becomes
 * a mirror: PROTO on any local address, port EPORT, to IADDR:IPORT,
 * commented "miniupnpd: DESCRIPTION". No I/O but reading the FILE given.
 */
#ifndef HAIRPINCTL_LEASE_H
#define HAIRPINCTL_LEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "note.h"
#include "types.h"

/* How the comment of a mirror made from a lease begins: what marks the
 * mirrors upnp follow owns.
 */
#define LEASE_COMMENT_PREFIX "miniupnpd:"

/* One forward of the file, as the mirror that repeats it. */
struct hp_lease {
	struct hp_map map;
	unsigned int line;
};

struct hp_leases {
	struct hp_lease *leases;	/* in the order of the file */
	size_t len;
	size_t cap;
	struct hp_notes notes;		/* the lines left out, and why */
	/* The first line of a protocol other than TCP and UDP (which
	 * miniupnpd may forward too), left out without a note; 0: none.
	 */
	unsigned int other_line;
	char other_proto[16];
};

enum lease_kind {
	LEASE_FORWARD,	/* a TCP or UDP forward: the mirror is filled in */
	LEASE_BLANK,	/* nothing on the line */
	LEASE_OTHER,	/* a forward of another protocol */
	LEASE_BAD,	/* not a lease: why says what is wrong */
};

/* One line, its newline (if any) included: into m, or why not into why
 * (len bytes, a message that quotes the bad value).
 */
enum lease_kind lease_parse_line(const char *line, struct hp_map *m,
				 char *why, size_t len);

/* The comment of a mirror for description desc (n bytes): the prefix, a
 * space and desc, its control characters as '?', cut to fit
 * HAIRPIN_COMMENT_MAX without splitting a UTF-8 character.
 */
void lease_comment(char out[HAIRPIN_COMMENT_MAX], const char *desc, size_t n);

/* Every line of f into out (emptied first): the forwards, and a note per
 * line left out. False when f could not be read or memory ran out (errno
 * set); out is for lease_free() whatever the result.
 */
bool lease_parse_file(FILE *f, struct hp_leases *out);
void lease_free(struct hp_leases *l);

#endif
