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

	if (!parse_set_cmd(argc, argv, &op))
		return EXIT_USAGE;
	/* The context of an error: the command in canonical form. */
	format_op(context, sizeof(context), &op);
	return hp_nl_run_op(&op, context);
}
