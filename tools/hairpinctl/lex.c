// SPDX-License-Identifier: GPL-2.0
/*
 * Words, quotes and comments of a -f file's line.
 */
#include <ctype.h>
#include <string.h>

#include "error.h"
#include "lex.h"

bool parse_words(const char *line, char *out, int *argc, char *argv[])
{
	const char *r = line;
	char *w = out;

	*argc = 0;
	for (;;) {
		const char *quote = NULL;

		while (isspace((unsigned char)*r))
			r++;
		if (!*r || *r == '#')
			return true;
		if (*argc == HP_MAX_WORDS) {
			parse_error("more than %d words on the line", HP_MAX_WORDS);
			return false;
		}
		argv[(*argc)++] = w;
		while (*r && (quote || !isspace((unsigned char)*r))) {
			if (*r == '"') {
				quote = quote ? NULL : r;
				r++;
				continue;
			}
			if (quote && *r == '\\' && (r[1] == '"' || r[1] == '\\'))
				r++;
			*w++ = *r++;
		}
		*w++ = '\0';
		if (quote) {
			size_t n = strlen(quote);

			while (n && isspace((unsigned char)quote[n - 1]))
				n--;
			parse_error("unterminated quote in '%.*s'", (int)n, quote);
			return false;
		}
	}
}
