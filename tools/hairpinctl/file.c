// SPDX-License-Identifier: GPL-2.0
/*
 * A -f file, read whole: each line through the lexer and the grammar, into
 * a list of operations that remember their line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "file.h"
#include "grammar.h"
#include "lex.h"

bool parse_file(FILE *f, const char *name, struct hp_oplist *list)
{
	char *line = NULL, *words = NULL;
	size_t line_cap = 0, words_cap = 0;
	unsigned int lineno = 0;
	bool ok = false;
	ssize_t n;

	memset(list, 0, sizeof(*list));
	while ((n = getline(&line, &line_cap, f)) >= 0) {
		char *argv[HP_MAX_WORDS];
		struct hp_op op;
		int argc;

		parse_set_location(name, ++lineno);
		if (strlen(line) != (size_t)n) {
			parse_error("NUL byte in the line");
			goto out;
		}
		if (words_cap < (size_t)n + 1) {
			free(words);
			words_cap = line_cap;
			words = malloc(words_cap);
			if (!words) {
				parse_error("%s", strerror(errno));
				goto out;
			}
		}
		if (!parse_words(line, words, &argc, argv))
			goto out;
		if (argc == 0)
			continue;
		if (!parse_op(argc, argv, &op))
			goto out;
		op.line = lineno;
		if (!hp_oplist_push(list, &op)) {
			parse_error("%s", strerror(errno));
			goto out;
		}
	}
	parse_set_location(NULL, 0);
	if (ferror(f)) {
		hp_error("%s: %s", name, strerror(errno));
		goto out;
	}
	ok = true;
out:
	parse_set_location(NULL, 0);
	free(line);
	free(words);
	return ok;
}
