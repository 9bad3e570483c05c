// SPDX-License-Identifier: GPL-2.0
/*
 * The output layer of out.h: text to a FILE or a buffer, JSON through
 * json.c.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"

void out_to_file(struct out *o, FILE *f, unsigned int flags)
{
	memset(o, 0, sizeof(*o));
	o->flags = flags;
	o->f = f;
	json_init(&o->json, f, flags & PRINT_PRETTY);
}

void out_to_buf(struct out *o, char *buf, size_t size)
{
	memset(o, 0, sizeof(*o));
	o->buf = buf;
	o->left = size;
	if (size)
		buf[0] = '\0';
}

static bool is_json(const struct out *o)
{
	return o->flags & PRINT_JSON;
}

/* Whether a field of type is printed in this output's form. */
static bool shows(const struct out *o, unsigned int type)
{
	return type & (is_json(o) ? PRINT_JSON : PRINT_FP);
}

void out_close(struct out *o)
{
	if (is_json(o))
		json_end(&o->json);
}

static void put(struct out *o, const char *s, size_t n)
{
	const char *nl = memrchr(s, '\n', n);

	o->col = nl ? (int)(s + n - nl - 1) : o->col + (int)n;
	o->len += (int)n;
	if (o->f) {
		fwrite(s, 1, n, o->f);
	} else if (o->left) {
		if (n > o->left - 1)
			n = o->left - 1;
		memcpy(o->buf, s, n);
		o->buf += n;
		o->left -= n;
		*o->buf = '\0';
	}
}

static void vtext(struct out *o, const char *fmt, va_list ap)
{
	char small[256], *s = small;
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n >= (int)sizeof(small)) {
		s = malloc((size_t)n + 1);
		if (s)
			vsnprintf(s, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	if (n >= 0 && s)
		put(o, s, (size_t)n);
	if (s != small)
		free(s);
}

void print_text(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (is_json(o))
		return;
	va_start(ap, fmt);
	vtext(o, fmt, ap);
	va_end(ap);
}

void print_tab(struct out *o, int col)
{
	while (!is_json(o) && o->col < col)
		put(o, " ", 1);
}

void print_nl(struct out *o)
{
	print_text(o, "\n");
}

void open_object(struct out *o, const char *key)
{
	if (is_json(o))
		json_open_object(&o->json, key);
}

void close_object(struct out *o)
{
	if (is_json(o))
		json_close_object(&o->json);
}

void open_array(struct out *o, const char *key)
{
	if (is_json(o))
		json_open_array(&o->json, key);
}

void close_array(struct out *o)
{
	if (is_json(o))
		json_close_array(&o->json);
}

void print_string(struct out *o, unsigned int type, const char *key,
		  const char *fmt, const char *s)
{
	if (!shows(o, type))
		return;
	if (is_json(o))
		json_string(&o->json, key, s);
	else if (s)
		print_text(o, fmt, s);
}

void print_uint(struct out *o, unsigned int type, const char *key,
		const char *fmt, uint64_t v)
{
	if (!shows(o, type))
		return;
	if (is_json(o))
		json_u64(&o->json, key, v);
	else
		print_text(o, fmt, v);
}

void print_uint_opt(struct out *o, unsigned int type, const char *key,
		    const char *fmt, bool has, uint64_t v)
{
	if (has)
		print_uint(o, type, key, fmt, v);
	else
		print_string(o, type, key, fmt, NULL);
}

void print_name(struct out *o, unsigned int type, const char *key,
		const char *fmt, int value, const char *name)
{
	char num[16];

	if (name || value < 0) {
		print_string(o, type, key, fmt, name);
		return;
	}
	snprintf(num, sizeof(num), "%d", value);
	print_string(o, type & PRINT_FP, key, fmt, num);
	print_uint(o, type & PRINT_JSON, key, NULL, (uint64_t)value);
}

void print_flag(struct out *o, unsigned int type, const char *key,
		const char *fmt, bool v)
{
	if (!shows(o, type))
		return;
	if (is_json(o))
		json_bool(&o->json, key, v);
	else if (v)
		print_text(o, "%s", fmt);
}

void print_null(struct out *o, const char *key)
{
	print_string(o, PRINT_JSON, key, NULL, NULL);
}
