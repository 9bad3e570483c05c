/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error output: one line on stderr, "hairpinctl: msg", or
 * "hairpinctl: FILE:LINE: msg" for an error in a -f file.
 */
#ifndef HAIRPINCTL_ERROR_H
#define HAIRPINCTL_ERROR_H

/* The line parse_error() names until it is called with file NULL. */
void parse_set_location(const char *file, unsigned int line);
/* "hairpinctl: [FILE:LINE: ]msg": for what is wrong in the input. */
void parse_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "hairpinctl: msg", never with a location. */
void hp_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
