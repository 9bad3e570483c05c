// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl masq add|del|show
 */
#include <stdio.h>

#include "format.h"
#include "grammar.h"
#include "hairpinctl.h"
#include "nl.h"
#include "print.h"

/* add, del: one request. */
static int masq_change(int argc, char *argv[])
{
	char context[HP_OP_TEXT_MAX];
	struct hp_op op;

	if (!parse_masq_cmd(argc, argv, &op))
		return EXIT_USAGE;
	format_op(context, sizeof(context), &op);
	return hp_nl_run_op(&op, context);
}

static int masq_show(int argc, char *argv[])
{
	struct hp_masqlist list = { NULL, 0, 0 };
	struct hp_nl_err err;
	struct hp_nl nl;
	int ret = EXIT_RUNTIME;

	if (!parse_print_args(argc, argv))
		return EXIT_USAGE;
	if (!hp_nl_open(&nl))
		return EXIT_RUNTIME;
	if (hp_nl_get_masqs(&nl, &list, &err) == 0) {
		print_masqs(stdout, &list, print_flags);
		ret = EXIT_OK;
	} else {
		hp_nl_perror("masq show", &err);
	}
	hp_masqlist_free(&list);
	hp_nl_close(&nl);
	return ret;
}

const struct hp_cmd masq_commands[] = {
	{ .name = "add", .handler = masq_change,
	  .args = { "dev IFNAME [to ADDRESS] [filter independent|address|address-port]" },
	  .description = "masquerade what leaves by IFNAME, through bindings" },
	{ .name = "del", .handler = masq_change, .args = { "dev IFNAME" },
	  .description = "delete the rule of IFNAME, its bindings and their connections" },
	{ .name = "show", .handler = masq_show, .args = { "[-j] [-p]" },
	  .description = "list the rules with their bindings" },
	{ .name = "help", .description = "show this help" },
	{ .name = NULL },
};
