/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HAIRPIN_NETLINK_H
#define _HAIRPIN_NETLINK_H

int hairpin_netlink_init(void);
void hairpin_netlink_uninit(void);

#endif /* _HAIRPIN_NETLINK_H */
