// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl set: the settings and the limits, in one request.
 */
#include "format.h"
#include "grammar.h"
#include "hairpinctl.h"
#include "nl.h"

int set_main(int argc, char *argv[])
{
	char context[HP_OP_TEXT_MAX];
	struct hp_op op;

	if (argc > 1 && is_help(argv[1])) {
		puts("Usage: " PROG_NAME " set source lan|external\n"
		     "       " PROG_NAME " set hairpin auto|always|off\n"
		     "       " PROG_NAME " set limit mappings N [ports N]\n"
		     "       " PROG_NAME " set limit ports N [mappings N]\n"
		     "Settings combine: set source lan hairpin auto limit mappings 1024\n"
		     "N is 0-4294967295. Raising a limit above the namespace's default\n"
		     "needs CAP_NET_ADMIN in the initial user namespace.");
		return EXIT_OK;
	}
	if (!parse_set_cmd(argc, argv, &op))
		return EXIT_USAGE;
	/* The context of an error: the command in canonical form. */
	format_op(context, sizeof(context), &op);
	return hp_nl_run_op(&op, context);
}
