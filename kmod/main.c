// SPDX-License-Identifier: GPL-2.0
/*
 * hairpin: port mapping with automatic hairpin NAT.
 */

#include <linux/module.h>
#include <linux/hairpin.h>

#include "binding.h"
#include "lifetime.h"
#include "netns.h"
#include "table.h"
#include "netlink.h"
#include "selftest/selftest.h"

static int __init hairpin_init(void)
{
	int ret;

	ret = hairpin_table_init();
	if (ret)
		goto err_table;

	ret = hairpin_binding_init();
	if (ret)
		goto err_binding;

	ret = hairpin_netns_init();
	if (ret)
		goto err_netns;

	/* After the namespaces: it queues their walks. */
	ret = hairpin_lifetime_init();
	if (ret)
		goto err_lifetime;

	/* Debug builds only: the engine against a naive twin, on the initial
	 * namespace's state before anyone can reach it.
	 */
	if (!hairpin_txn_selftest()) {
		ret = -ENOTRECOVERABLE;
		goto err_selftest;
	}

	/* Last: requests can arrive as soon as the family exists. */
	ret = hairpin_netlink_init();
	if (ret)
		goto err_netlink;

	pr_info("version %s loaded\n", HAIRPIN_VERSION);
	return 0;

err_netlink:
err_selftest:
	hairpin_lifetime_uninit();
err_lifetime:
	hairpin_netns_uninit();
err_netns:
	hairpin_binding_uninit();
err_binding:
	hairpin_table_uninit();
err_table:
	return ret;
}

static void __exit hairpin_exit(void)
{
	/* First: waits for requests in flight, so none races the teardown. */
	hairpin_netlink_uninit();
	hairpin_lifetime_uninit();
	hairpin_netns_uninit();
	hairpin_binding_uninit();
	hairpin_table_uninit();
	pr_debug("unloaded\n");
}

module_init(hairpin_init);
module_exit(hairpin_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Port mapping (DNAT) with automatic hairpin NAT");
MODULE_AUTHOR("The hairpin developers");
MODULE_VERSION(HAIRPIN_VERSION);
