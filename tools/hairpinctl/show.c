// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl show: the settings, the usage and the limits.
 */
#include "hairpinctl.h"
#include "nl.h"
#include "print.h"

/*
 *   source lan
 *   hairpin auto
 *   module 1.0
 *   mappings 3
 *   limits mappings 3/1024 ports 13/65536	(a module with limits)
 *   conns 12 hairpinned 3	(with -s)
 */
int show_main(int argc, char *argv[])
{
	struct hp_nl_err err;
	struct hp_config c;
	int ret;

	if (!parse_print_args(argc, argv))
		return EXIT_USAGE;
	ret = hp_nl_read_config(&c, &err);
	if (ret > 0)
		hp_nl_perror("show", &err);
	if (ret)
		return EXIT_RUNTIME;
	print_config(stdout, &c, print_flags);
	return EXIT_OK;
}
