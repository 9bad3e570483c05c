/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HAIRPIN_SELFTEST_H
#define _HAIRPIN_SELFTEST_H

#include <linux/types.h>

/* Debug builds only (Kbuild: HAIRPIN_DEBUG=y, which defines DEBUG): run at
 * load, after the namespaces' state exists and before netlink does. False
 * when the engine disagrees with its naive twin: the load fails.
 */
#ifdef DEBUG
bool hairpin_txn_selftest(void);
#else
static inline bool hairpin_txn_selftest(void)
{
	return true;
}
#endif

#endif /* _HAIRPIN_SELFTEST_H */
