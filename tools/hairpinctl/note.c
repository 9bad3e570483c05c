// SPDX-License-Identifier: GPL-2.0
/*
 * The notes of note.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "note.h"

bool hp_note(struct hp_notes *n, unsigned int line, const char *fmt, ...)
{
	struct hp_note note = { .line = line };
	struct hp_note *notes;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(note.text, sizeof(note.text), fmt, ap);
	va_end(ap);
	notes = hp_append(n->notes, &n->len, &n->cap, &note, sizeof(note));
	if (!notes)
		return false;
	n->notes = notes;
	return true;
}

bool hp_notes_has(const struct hp_notes *n, const struct hp_note *note)
{
	size_t i;

	for (i = 0; i < n->len; i++)
		if (n->notes[i].line == note->line &&
		    !strcmp(n->notes[i].text, note->text))
			return true;
	return false;
}

void hp_notes_free(struct hp_notes *n)
{
	free(n->notes);
	memset(n, 0, sizeof(*n));
}
