/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Notes: what upnp follow has to say about the lines of a lease file
 * (left out, and why), gathered rather than printed, so that the tests can
 * read them and follow can say each once.
 */
#ifndef HAIRPINCTL_NOTE_H
#define HAIRPINCTL_NOTE_H

#include <stdbool.h>
#include <stddef.h>

#define HP_NOTE_MAX 800

struct hp_note {
	unsigned int line;	/* the line it is about; 0: the whole file */
	char text[HP_NOTE_MAX];
};

struct hp_notes {
	struct hp_note *notes;
	size_t len;
	size_t cap;
};

/* Appends a note, cut to HP_NOTE_MAX; false with errno set. */
bool hp_note(struct hp_notes *n, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Whether n has a note of that line and text. */
bool hp_notes_has(const struct hp_notes *n, const struct hp_note *note);
void hp_notes_free(struct hp_notes *n);

#endif
