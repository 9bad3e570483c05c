/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HAIRPIN_SELFTEST_H
#define _HAIRPIN_SELFTEST_H

#include <linux/types.h>

/* Debug builds only (Kbuild: HAIRPIN_DEBUG=y, which defines DEBUG): run at
 * load, after the namespaces' state exists and before netlink does. False
 * when the engine disagrees with its naive twin: the load fails.
 */
struct hairpin_net;

/* Debug builds only: with the race_delay_ms parameter set, the writer
 * holds its window open where readers can see one change but not yet the
 * next, and a reader that comes meanwhile holds what it dereferenced for
 * as long (selftest/race.c).
 */
#ifdef DEBUG
bool hairpin_txn_selftest(void);
void hairpin_race_writer(struct hairpin_net *hn);
void hairpin_race_reader(const struct hairpin_net *hn);
#else
static inline bool hairpin_txn_selftest(void)
{
	return true;
}

static inline void hairpin_race_writer(struct hairpin_net *hn)
{
}

static inline void hairpin_race_reader(const struct hairpin_net *hn)
{
}
#endif

#endif /* _HAIRPIN_SELFTEST_H */
