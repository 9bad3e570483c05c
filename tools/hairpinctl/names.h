/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The names of protocols, sources, hairpin modes, scopes and filters, both
 * ways.
 */
#ifndef HAIRPINCTL_NAMES_H
#define HAIRPINCTL_NAMES_H

#include <stdint.h>

/* NULL for values without a name. */
const char *proto_name(uint8_t proto);
const char *source_name(int source);
const char *mode_name(int mode);
const char *scope_name(int scope);
const char *filter_name(int filter);

/* The value named s, or -1 (no error printed). */
int source_value(const char *s);
int mode_value(const char *s);
int scope_value(const char *s);
int filter_value(const char *s);

#endif
