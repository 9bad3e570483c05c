// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl version: the tool's and the module's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hairpinctl.h"
#include "nl.h"

/* The module's version without CAP_NET_ADMIN: MODULE_VERSION in sysfs. */
static bool sysfs_version(char *buf, size_t len)
{
	FILE *f = fopen("/sys/module/" HAIRPIN_GENL_NAME "/version", "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok && buf[0];
}

/*
 *   hairpinctl 0.1.0
 *   module 1.0
 */
int version_main(int argc, char *argv[])
{
	struct hp_nl_err err;
	struct hp_config c;
	int ret;

	if (!no_args(argc, argv))
		return EXIT_USAGE;
	printf(PROG_NAME " %s\n", HAIRPINCTL_VERSION);
	fflush(stdout);
	ret = hp_nl_read_config(&c, &err);
	if (ret > 0 && err.error == EPERM &&
	    sysfs_version(c.version, sizeof(c.version)))
		ret = 0;
	else if (ret > 0)
		hp_nl_perror("version", &err);
	if (ret)
		return EXIT_RUNTIME;
	printf("module %s\n", c.version[0] ? c.version : "unknown");
	return EXIT_OK;
}
