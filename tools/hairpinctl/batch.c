// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl -f FILE: the whole file as one HAIRPIN_CMD_BATCH, all or
 * nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "file.h"
#include "hairpinctl.h"
#include "msg.h"
#include "nl.h"

/* Sends the parsed file; reports a failure at the line the kernel's extack
 * points at. Returns an exit code.
 */
static int send_batch(const char *name, const struct hp_oplist *list)
{
	size_t clen = strlen(name) + 16;
	char *context = malloc(clen);
	struct hp_nl_err err;
	struct hp_batch b;
	struct hp_nl nl;
	int ret = EXIT_RUNTIME;

	if (!context) {
		hp_error("%s", strerror(errno));
		return EXIT_RUNTIME;
	}
	if (!hp_nl_open(&nl))
		goto out;
	if (!hp_batch_build(&b, nl.family, list->ops, list->len)) {
		hp_error("%s: %s", name, strerror(errno));
		goto close;
	}
	if (hp_nl_talk(&nl, hp_batch_msg(&b), NULL, NULL, &err) < 0) {
		long i = err.has_offset ? hp_batch_find(&b, err.offset) : -1;

		if (i >= 0)
			snprintf(context, clen, "%s:%u", name, list->ops[i].line);
		else
			snprintf(context, clen, "%s", name);
		hp_nl_perror(context, &err);
	} else {
		if (err.msg[0])
			hp_error("%s: warning (kernel: %s)", name, err.msg);
		ret = EXIT_OK;
	}
	hp_batch_free(&b);
close:
	hp_nl_close(&nl);
out:
	free(context);
	return ret;
}

int batch_main(const char *file)
{
	const char *name = file;
	struct hp_oplist list;
	int ret = EXIT_USAGE;
	FILE *f = stdin;

	if (!strcmp(file, "-")) {
		name = "<stdin>";
	} else {
		f = fopen(file, "r");
		if (!f) {
			hp_error("%s: %s", file, strerror(errno));
			return EXIT_RUNTIME;
		}
	}
	/* All of it is parsed before anything is sent. */
	if (parse_file(f, name, &list))
		ret = list.len ? send_batch(name, &list) : EXIT_OK;
	else if (ferror(f))
		ret = EXIT_RUNTIME;	/* could not read it, rather than bad */
	if (f != stdin)
		fclose(f);
	hp_oplist_free(&list);
	return ret;
}
