// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl binding show: the bindings of the masq rules, which traffic
 * makes and nothing else changes.
 */
#include <stdio.h>

#include "hairpinctl.h"
#include "nl.h"
#include "print.h"

static int binding_show(int argc, char *argv[])
{
	struct hp_bindinglist list = { NULL, 0, 0 };
	struct hp_nl_err err;
	struct hp_nl nl;
	int ret = EXIT_RUNTIME;

	if (!parse_print_args(argc, argv))
		return EXIT_USAGE;
	if (!hp_nl_open(&nl))
		return EXIT_RUNTIME;
	if (hp_nl_get_bindings(&nl, &list, &err) == 0) {
		print_bindings(stdout, &list, print_flags);
		ret = EXIT_OK;
	} else {
		hp_nl_perror("binding show", &err);
	}
	hp_bindinglist_free(&list);
	hp_nl_close(&nl);
	return ret;
}

const struct hp_cmd binding_commands[] = {
	{ .name = "show", .handler = binding_show, .args = { "[-j] [-p]" },
	  .description = "list every live binding, with its connections and idle time" },
	{ .name = "help", .description = "show this help" },
	{ .name = NULL },
};
