// SPDX-License-Identifier: GPL-2.0
/*
 * The growable arrays of list.h.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"

void *hp_append(void *items, size_t *len, size_t *cap, const void *item,
		size_t size)
{
	char *p = items;

	if (*len == *cap) {
		size_t n = *cap ? *cap * 2 : 64;

		p = realloc(items, n * size);
		if (!p)
			return NULL;
		*cap = n;
	}
	memcpy(p + *len * size, item, size);
	(*len)++;
	return p;
}

bool hp_oplist_push(struct hp_oplist *list, const struct hp_op *op)
{
	void *ops = hp_append(list->ops, &list->len, &list->cap, op, sizeof(*op));

	if (!ops)
		return false;
	list->ops = ops;
	return true;
}

bool hp_maplist_push(struct hp_maplist *list, const struct hp_map *m)
{
	void *maps = hp_append(list->maps, &list->len, &list->cap, m, sizeof(*m));

	if (!maps)
		return false;
	list->maps = maps;
	return true;
}

bool hp_masqlist_push(struct hp_masqlist *list, const struct hp_masq *m)
{
	void *masqs = hp_append(list->masqs, &list->len, &list->cap, m, sizeof(*m));

	if (!masqs)
		return false;
	list->masqs = masqs;
	return true;
}

bool hp_bindinglist_push(struct hp_bindinglist *list, const struct hp_binding *b)
{
	void *bindings = hp_append(list->bindings, &list->len, &list->cap, b, sizeof(*b));

	if (!bindings)
		return false;
	list->bindings = bindings;
	return true;
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

static int map_cmp(const void *pa, const void *pb)
{
	const struct hp_map *a = pa, *b = pb;

	if (a->proto != b->proto)
		return cmp_u32(a->proto, b->proto);
	if (a->has_addr != b->has_addr)
		return a->has_addr ? 1 : -1;
	if (a->addr != b->addr)
		return cmp_u32(ntohl(a->addr), ntohl(b->addr));
	if (a->port != b->port)
		return cmp_u32(a->port, b->port);
	return cmp_u32(a->port_max, b->port_max);
}

void hp_maplist_sort(struct hp_maplist *list)
{
	if (list->len)
		qsort(list->maps, list->len, sizeof(*list->maps), map_cmp);
}

static int masq_cmp(const void *pa, const void *pb)
{
	const struct hp_masq *a = pa, *b = pb;

	return strcmp(a->ifname, b->ifname);
}

void hp_masqlist_sort(struct hp_masqlist *list)
{
	if (list->len)
		qsort(list->masqs, list->len, sizeof(*list->masqs), masq_cmp);
}

static int binding_cmp(const void *pa, const void *pb)
{
	const struct hp_binding *a = pa, *b = pb;

	if (a->proto != b->proto)
		return cmp_u32(a->proto, b->proto);
	if (a->int_addr != b->int_addr)
		return cmp_u32(ntohl(a->int_addr), ntohl(b->int_addr));
	if (a->int_port != b->int_port)
		return cmp_u32(a->int_port, b->int_port);
	if (a->ext_addr != b->ext_addr)
		return cmp_u32(ntohl(a->ext_addr), ntohl(b->ext_addr));
	return cmp_u32(a->ext_port, b->ext_port);
}

void hp_bindinglist_sort(struct hp_bindinglist *list)
{
	if (list->len)
		qsort(list->bindings, list->len, sizeof(*list->bindings), binding_cmp);
}

void hp_oplist_free(struct hp_oplist *list)
{
	free(list->ops);
	memset(list, 0, sizeof(*list));
}

void hp_maplist_free(struct hp_maplist *list)
{
	free(list->maps);
	memset(list, 0, sizeof(*list));
}

void hp_masqlist_free(struct hp_masqlist *list)
{
	free(list->masqs);
	memset(list, 0, sizeof(*list));
}

void hp_bindinglist_free(struct hp_bindinglist *list)
{
	free(list->bindings);
	memset(list, 0, sizeof(*list));
}
