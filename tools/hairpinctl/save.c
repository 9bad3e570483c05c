// SPDX-License-Identifier: GPL-2.0
/*
 * hairpinctl save: the settings, the masq rules and the mappings as a -f
 * file.
 */
#include <errno.h>
#include <string.h>

#include "error.h"
#include "hairpinctl.h"
#include "nl.h"
#include "print.h"

/*
 *   map flush
 *   set source lan hairpin auto
 *   set limit mappings 1024 ports 65536 bindings 65536
 *   masq add dev wan0
 *   map add tcp 80 to 192.168.1.10:80 comment web
 *
 * Restoring it with "hairpinctl -f" is one batch, so the table is replaced
 * all at once. The settings, the masq rules and the mappings are read by
 * three requests: a change made between them can show in one and not in
 * another.
 */
int save_main(int argc, char *argv[])
{
	struct hp_masqlist masqs = { NULL, 0, 0 };
	struct hp_maplist list = { NULL, 0, 0 };
	struct hp_nl_err err;
	struct hp_config c;
	struct hp_nl nl;
	int ret = EXIT_RUNTIME;

	if (!no_args(argc, argv))
		return EXIT_USAGE;
	if (print_flags & PRINT_JSON) {
		hp_error("save writes a file for -f, not JSON (try: map show -j and show -j)");
		return EXIT_USAGE;
	}
	if (!hp_nl_open(&nl))
		return EXIT_RUNTIME;
	if (hp_nl_get_config(&nl, &c, &err) < 0) {
		hp_nl_perror("save", &err);
		goto out;
	}
	/* A module older than the masq rules has none. */
	if (hp_nl_get_masqs(&nl, &masqs, &err) < 0 && err.error != EOPNOTSUPP) {
		hp_nl_perror("save", &err);
		goto out;
	}
	if (hp_nl_get_maps(&nl, &list, &err) < 0) {
		hp_nl_perror("save", &err);
		goto out;
	}
	print_save(stdout, &c, &masqs, &list);
	if (fflush(stdout) == 0 && !ferror(stdout))
		ret = EXIT_OK;
	else
		hp_error("save: writing the output: %s", strerror(errno));
out:
	hp_masqlist_free(&masqs);
	hp_maplist_free(&list);
	hp_nl_close(&nl);
	return ret;
}
