/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON writer: objects, arrays, strings, numbers, booleans and null,
 * compact ({"a":1}) or pretty (two-space indent, as jq prints). Strings are
 * escaped for any input: quotes, backslashes and control characters, and
 * bytes that are not UTF-8 become U+FFFD, so the output is always valid
 * JSON.
 */
#ifndef HAIRPINCTL_JSON_H
#define HAIRPINCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 8

struct json {
	FILE *f;
	bool pretty;
	unsigned int depth;
	bool has_members[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f, bool pretty);

/* Members: key is the member's name inside an object, NULL inside an array
 * or for the top-level value.
 */
void json_open_object(struct json *j, const char *key);
void json_close_object(struct json *j);
void json_open_array(struct json *j, const char *key);
void json_close_array(struct json *j);
/* s NULL: null. */
void json_string(struct json *j, const char *key, const char *s);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);

/* Ends the top-level value with a newline. */
void json_end(struct json *j);

/* Writes s as a JSON string, quotes included. */
void json_put_string(FILE *f, const char *s);

#endif
