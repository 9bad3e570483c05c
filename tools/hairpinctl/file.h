/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a -f file: one command a line, "#" comments, blank lines.
 */
#ifndef HAIRPINCTL_FILE_H
#define HAIRPINCTL_FILE_H

#include <stdbool.h>
#include <stdio.h>

#include "list.h"

/* Parses a whole file (name is used in messages, with the line) into list,
 * which the caller frees with hp_oplist_free() whatever the result.
 */
bool parse_file(FILE *f, const char *name, struct hp_oplist *list);

#endif
