/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Growable arrays of operations (a -f file), of mappings, masq rules and
 * bindings (dumps).
 */
#ifndef HAIRPINCTL_LIST_H
#define HAIRPINCTL_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "types.h"

struct hp_oplist {
	struct hp_op *ops;
	size_t len;
	size_t cap;
};

/* The mappings of a dump, in the order hp_maplist_sort() gives. */
struct hp_maplist {
	struct hp_map *maps;
	size_t len;
	size_t cap;
};

/* The masq rules of a dump, in the order hp_masqlist_sort() gives. */
struct hp_masqlist {
	struct hp_masq *masqs;
	size_t len;
	size_t cap;
};

/* The bindings of a dump, in the order hp_bindinglist_sort() gives. */
struct hp_bindinglist {
	struct hp_binding *bindings;
	size_t len;
	size_t cap;
};

/* Appends the size bytes at item to items, an array of *len items with
 * room for *cap: returns the array, moved maybe, or NULL when out of
 * memory (items unchanged then). For arrays of other types than these.
 */
void *hp_append(void *items, size_t *len, size_t *cap, const void *item,
		size_t size);

/* Append a copy; false with errno set. */
bool hp_oplist_push(struct hp_oplist *list, const struct hp_op *op);
bool hp_maplist_push(struct hp_maplist *list, const struct hp_map *m);
bool hp_masqlist_push(struct hp_masqlist *list, const struct hp_masq *m);
bool hp_bindinglist_push(struct hp_bindinglist *list, const struct hp_binding *b);
/* By protocol, then address (any first), then ports. */
void hp_maplist_sort(struct hp_maplist *list);
/* By interface name. */
void hp_masqlist_sort(struct hp_masqlist *list);
/* By protocol, then internal address and port, then external ones. */
void hp_bindinglist_sort(struct hp_bindinglist *list);
void hp_oplist_free(struct hp_oplist *list);
void hp_maplist_free(struct hp_maplist *list);
void hp_masqlist_free(struct hp_masqlist *list);
void hp_bindinglist_free(struct hp_bindinglist *list);

#endif
