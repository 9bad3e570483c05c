// SPDX-License-Identifier: GPL-2.0
/*
 * Error output, with the file and line of a -f file while one is read.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "hairpinctl.h"

static const char *loc_file;
static unsigned int loc_line;

void parse_set_location(const char *file, unsigned int line)
{
	loc_file = file;
	loc_line = line;
}

static void vreport(bool located, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (located && loc_file)
		fprintf(stderr, PROG_NAME ": %s:%u: %s\n", loc_file, loc_line, msg);
	else
		fprintf(stderr, PROG_NAME ": %s\n", msg);
}

void parse_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(true, fmt, ap);
	va_end(ap);
}

void hp_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(false, fmt, ap);
	va_end(ap);
}
