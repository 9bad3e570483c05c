/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal TAP producer for the host-side tests, and a way to capture what
 * the code under test prints on stderr.
 */
#ifndef HAIRPINCTL_TAP_H
#define HAIRPINCTL_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned int tap_n, tap_failed;

static inline bool __attribute__((format(printf, 2, 3)))
ok(bool cond, const char *fmt, ...)
{
	char desc[512];
	const char *c;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	printf("%s %u - ", cond ? "ok" : "not ok", ++tap_n);
	/* TAP: "#" starts a directive, a newline ends the line. */
	for (c = desc; *c; c++) {
		if (*c == '#')
			fputs("\\#", stdout);
		else
			putchar(*c == '\n' || *c == '\t' ? ' ' : *c);
	}
	putchar('\n');
	fflush(stdout);
	if (!cond)
		tap_failed++;
	return cond;
}

static inline void skip(const char *why)
{
	printf("ok %u # SKIP %s\n", ++tap_n, why);
}

static inline void __attribute__((format(printf, 1, 2)))
diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Prints the plan (at the end, which TAP allows) and gives the exit code. */
static inline int done_testing(void)
{
	printf("1..%u\n", tap_n);
	if (tap_failed)
		diag("%u of %u failed", tap_failed, tap_n);
	return tap_failed ? 1 : 0;
}

/* stderr capture: between capture_start() and capture_end(), whatever goes
 * to fd 2 lands in a temporary file; capture_end() returns it without the
 * final newline.
 */
static FILE *cap_file;
static int cap_saved_fd = -1;
static char cap_text[4096];

static inline void capture_start(void)
{
	fflush(stderr);
	cap_file = tmpfile();
	if (!cap_file) {
		perror("tmpfile");
		exit(99);
	}
	cap_saved_fd = dup(2);
	dup2(fileno(cap_file), 2);
}

static inline const char *capture_end(void)
{
	size_t n;

	fflush(stderr);
	dup2(cap_saved_fd, 2);
	close(cap_saved_fd);
	rewind(cap_file);
	n = fread(cap_text, 1, sizeof(cap_text) - 1, cap_file);
	cap_text[n] = '\0';
	fclose(cap_file);
	while (n && cap_text[n - 1] == '\n')
		cap_text[--n] = '\0';
	return cap_text;
}

#endif
