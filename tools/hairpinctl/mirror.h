/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What upnp follow changes to make the table hold the mirrors of a lease
 * file: the difference between the file's forwards and the mirrors follow
 * owns in the table, as one batch. Follow owns the mirrors whose comment
 * begins with LEASE_COMMENT_PREFIX, whoever added them (a run of follow
 * that ended without removing its own, a restored file): the table, not
 * follow's memory, says what is there. No I/O, so the tests can check it.
 */
#ifndef HAIRPINCTL_MIRROR_H
#define HAIRPINCTL_MIRROR_H

#include <stdbool.h>

#include "lease.h"
#include "list.h"
#include "note.h"

/* Whether m is one of follow's: a mirror whose comment has the prefix. */
bool mirror_owned(const struct hp_map *m);

struct mirror_plan {
	/* HAIRPIN_CMD_DEL_MAP of follow's mirrors that no lease wants (by
	 * their key alone, line 0), then HAIRPIN_CMD_REPLACE_MAP of those a
	 * lease wants otherwise, then HAIRPIN_CMD_NEW_MAP of the leases'
	 * new mirrors, each with the line of its lease.
	 */
	struct hp_oplist ops;
	/* The leases left out: another lease of the same protocol and port
	 * came first, or the mirror would overlap a mapping that is not
	 * follow's (which the kernel would refuse).
	 */
	struct hp_notes notes;
};

/*
 * The plan that takes table (a dump) to the mirrors of want; want NULL
 * stands for no lease at all, which removes every mirror follow owns.
 * What has the key of a mapping in keep is left as it is: a change the
 * kernel refused once in this round. False when memory ran out (errno
 * set); plan is for mirror_plan_free() whatever the result.
 */
bool mirror_plan(const struct hp_leases *want, const struct hp_maplist *table,
		 const struct hp_maplist *keep, struct mirror_plan *plan);
void mirror_plan_free(struct mirror_plan *plan);

/* Whether a and b have the same key: protocol, address and ports. */
bool mirror_same_key(const struct hp_map *a, const struct hp_map *b);

#endif
