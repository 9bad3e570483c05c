/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lexer of -f files: a line into words.
 */
#ifndef HAIRPINCTL_LEX_H
#define HAIRPINCTL_LEX_H

#include <stdbool.h>

/* The most words a line may have; more is an error. */
#define HP_MAX_WORDS 32

/*
 * Splits line into words, written NUL-terminated into out (at least
 * strlen(line) + 1 bytes), pointers in argv (HP_MAX_WORDS entries). Words are
 * separated by white space; "double quoted text" is one word, in which \" and
 * \\ stand for " and \; a word starting with # ends the line. False after
 * printing the error (parse_error()).
 */
bool parse_words(const char *line, char *out, int *argc, char *argv[]);

#endif
