// SPDX-License-Identifier: GPL-2.0
/*
 * Debug builds only: a race window a test can hold open. Commit registers
 * the NAT hooks before it publishes a new table, so a packet may look up
 * the table being replaced: a window of microseconds, which a test under
 * traffic would hit once in thousands of tries. With race_delay_ms set,
 * commit waits that long inside its window, and a packet that comes
 * meanwhile holds the table it found for as long again, past the
 * publication and whatever commit then does with the old table. If that
 * is freed too early, KASAN sees the packet's lookup (selftests/reload.sh).
 */
#include <linux/delay.h>
#include <linux/moduleparam.h>

#include "../netns.h"
#include "selftest.h"

static unsigned int race_delay_ms;
module_param(race_delay_ms, uint, 0644);
MODULE_PARM_DESC(race_delay_ms, "debug builds: hold race windows open this long");

void hairpin_race_writer(struct hairpin_net *hn)
{
	unsigned int ms = READ_ONCE(race_delay_ms);

	if (!ms)
		return;
	WRITE_ONCE(hn->race_open, true);
	msleep(ms);
	WRITE_ONCE(hn->race_open, false);
}

void hairpin_race_reader(const struct hairpin_net *hn)
{
	/* Busy: readers run in softirq context. */
	if (READ_ONCE(hn->race_open))
		mdelay(READ_ONCE(race_delay_ms));
}
