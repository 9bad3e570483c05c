// SPDX-License-Identifier: GPL-2.0
/*
 * -n NETNS: setns() into a namespace of /run/netns. The netlink sockets
 * opened afterwards belong to it; nothing else needs to follow (the
 * module's sysfs files are the same in every namespace).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "hairpinctl.h"
#include "netns.h"

/* As "ip netns add" takes them: a file name, not a path. */
static bool name_ok(const char *name)
{
	return *name && strlen(name) < NAME_MAX && !strchr(name, '/') &&
	       strcmp(name, ".") && strcmp(name, "..");
}

int netns_enter(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 1];
	int fd, ret = EXIT_OK;

	if (!name_ok(name)) {
		hp_error("invalid network namespace name '%s'", name);
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			hp_error("network namespace '%s' does not exist (no %s)", name, path);
		else
			hp_error("network namespace '%s': %s: %s", name, path, strerror(errno));
		return EXIT_RUNTIME;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		hp_error("network namespace '%s': cannot enter it: %s%s", name,
			 strerror(errno), errno == EPERM ? " (CAP_SYS_ADMIN is needed)" : "");
		ret = EXIT_RUNTIME;
	}
	close(fd);
	return ret;
}
