/* SPDX-License-Identifier: GPL-2.0 */
/*
 * -n NETNS: running in a named network namespace, as "ip -n" does.
 */
#ifndef HAIRPINCTL_NETNS_H
#define HAIRPINCTL_NETNS_H

/* Where "ip netns add NAME" pins a namespace. */
#define NETNS_RUN_DIR "/run/netns"

/* Moves the process into the network namespace NETNS_RUN_DIR/name.
 * Returns EXIT_OK, or an exit code after printing an error that names it.
 */
int netns_enter(const char *name);

#endif
