/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The output layer: one call per field for text and JSON alike, as
 * iproute2's lib/json_print.c does. print_uint(o, PRINT_ANY, "port",
 * " port %" PRIu64, v) prints " port 80" as text and "port": 80 in JSON, so
 * the two forms cannot drift apart. A field that only one form has is
 * printed with PRINT_FP or PRINT_JSON, text between fields with
 * print_text(); in text, objects and arrays are nothing.
 *
 * Text goes to a FILE, or into a buffer as with snprintf(), which also
 * measures it (out_to_buf(o, NULL, 0)). print_tab() aligns text in columns.
 */
#ifndef HAIRPINCTL_OUT_H
#define HAIRPINCTL_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"

enum {
	PRINT_FP = 1 << 0,	/* a field's text form */
	PRINT_JSON = 1 << 1,	/* its JSON form; in an output's flags, JSON (-j) */
	PRINT_ANY = PRINT_FP | PRINT_JSON,
	PRINT_PRETTY = 1 << 2,	/* flags: JSON indented (-p) */
	PRINT_STATS = 1 << 3,	/* flags: the totals too (-s) */
};

struct out {
	unsigned int flags;	/* PRINT_JSON, PRINT_PRETTY, PRINT_STATS */
	FILE *f;		/* NULL: the text goes to buf */
	char *buf;		/* the end of the text, NUL-terminated */
	size_t left;		/* room at buf, the NUL included */
	int len;		/* length of the text, what did not fit included */
	int col;		/* column of the text's current line */
	struct json json;
};

/* Text, or JSON when flags has PRINT_JSON, to f. */
void out_to_file(struct out *o, FILE *f, unsigned int flags);
/* Text into buf (size bytes), cut as snprintf() does; o->len is the
 * length it would have had.
 */
void out_to_buf(struct out *o, char *buf, size_t size);
/* The end of the output: the newline after the JSON value. */
void out_close(struct out *o);

/* JSON containers; key NULL inside an array or at the top. */
void open_object(struct out *o, const char *key);
void close_object(struct out *o);
void open_array(struct out *o, const char *key);
void close_array(struct out *o);

/* type is PRINT_FP, PRINT_JSON or PRINT_ANY; key is the JSON key (NULL
 * inside an array), fmt the text, with the value as its one argument.
 */
/* s NULL: null in JSON, nothing in text. */
void print_string(struct out *o, unsigned int type, const char *key,
		  const char *fmt, const char *s);
void print_uint(struct out *o, unsigned int type, const char *key,
		const char *fmt, uint64_t v);
/* A number that may be unknown (has false): null in JSON, no text. */
void print_uint_opt(struct out *o, unsigned int type, const char *key,
		    const char *fmt, bool has, uint64_t v);
/* A value with a name: the name (fmt's %s) where there is one, else the
 * number; value < 0 is unknown: null, no text.
 */
void print_name(struct out *o, unsigned int type, const char *key,
		const char *fmt, int value, const char *name);
/* A flag: true or false in JSON; in text, fmt (a word) only when v. */
void print_flag(struct out *o, unsigned int type, const char *key,
		const char *fmt, bool v);
/* JSON only. */
void print_null(struct out *o, const char *key);

/* Text only. */
void print_text(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Text only: spaces up to column col of the line, if it is not there. */
void print_tab(struct out *o, int col);
/* Text only: the end of a line. */
void print_nl(struct out *o);

#endif
