// SPDX-License-Identifier: GPL-2.0
/*
 * The difference between a lease file and the mirrors follow owns in the
 * table, as the operations of one batch.
 */
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "mirror.h"
#include "names.h"

bool mirror_owned(const struct hp_map *m)
{
	return (m->flags & HAIRPIN_MAP_F_MIRROR) &&
	       !strncmp(m->comment, LEASE_COMMENT_PREFIX,
			strlen(LEASE_COMMENT_PREFIX));
}

bool mirror_same_key(const struct hp_map *a, const struct hp_map *b)
{
	return a->proto == b->proto && a->has_addr == b->has_addr &&
	       (!a->has_addr || a->addr == b->addr) && a->port == b->port &&
	       a->port_max == b->port_max;
}

/* As the kernel sees it: the protocol, the address (or lack of one) and
 * at least one port in common.
 */
static bool overlaps(const struct hp_map *a, const struct hp_map *b)
{
	return a->proto == b->proto && a->has_addr == b->has_addr &&
	       (!a->has_addr || a->addr == b->addr) &&
	       a->port <= b->port_max && b->port <= a->port_max;
}

/* Whether a mirror of the table already does what the lease's would. */
static bool same_mirror(const struct hp_map *a, const struct hp_map *b)
{
	return a->to_addr == b->to_addr &&
	       (a->has_to_port ? a->to_port : a->port) ==
	       (b->has_to_port ? b->to_port : b->port) &&
	       !strcmp(a->comment, b->comment) && a->flags == b->flags;
}

static bool has_key(const struct hp_maplist *list, const struct hp_map *m)
{
	size_t i;

	for (i = 0; list && i < list->len; i++)
		if (mirror_same_key(&list->maps[i], m))
			return true;
	return false;
}

/* op of m on line; a deletion carries the key alone. */
static bool push(struct hp_oplist *ops, uint8_t cmd, const struct hp_map *m,
		 unsigned int line)
{
	struct hp_op op;

	hp_op_init(&op, cmd);
	op.line = line;
	op.map.proto = m->proto;
	op.map.has_addr = m->has_addr;
	op.map.addr = m->addr;
	op.map.port = m->port;
	op.map.port_max = m->port_max;
	if (cmd != HAIRPIN_CMD_DEL_MAP)
		op.map = *m;
	return hp_oplist_push(ops, &op);
}

/* Whether lease i of want is left out: noted when it is. */
static bool left_out(const struct hp_leases *want, size_t i, const bool *taken,
		     const struct hp_maplist *table, struct hp_notes *notes,
		     bool *ok)
{
	const struct hp_lease *l = &want->leases[i];
	const char *proto = proto_name(l->map.proto);
	char text[HP_MAP_TEXT_MAX];
	size_t j;

	for (j = 0; j < i; j++) {
		if (taken[j] && mirror_same_key(&want->leases[j].map, &l->map)) {
			*ok = hp_note(notes, l->line, "%s %u again (line %u has it), left out",
				      proto, l->map.port, want->leases[j].line);
			return true;
		}
	}
	for (j = 0; j < table->len; j++) {
		const struct hp_map *t = &table->maps[j];

		if (!mirror_owned(t) && overlaps(t, &l->map)) {
			format_map(text, sizeof(text), t);
			*ok = hp_note(notes, l->line, "%s %u overlaps the mapping '%s', left out",
				      proto, l->map.port, text);
			return true;
		}
	}
	return false;
}

/* The mirror of the table with the key of m that follow owns, or NULL. */
static const struct hp_map *owned(const struct hp_maplist *table,
				  const struct hp_map *m)
{
	size_t j;

	for (j = 0; j < table->len; j++)
		if (mirror_owned(&table->maps[j]) &&
		    mirror_same_key(&table->maps[j], m))
			return &table->maps[j];
	return NULL;
}

static bool append_ops(struct hp_oplist *to, const struct hp_oplist *from)
{
	size_t i;

	for (i = 0; i < from->len; i++)
		if (!hp_oplist_push(to, &from->ops[i]))
			return false;
	return true;
}

bool mirror_plan(const struct hp_leases *want, const struct hp_maplist *table,
		 const struct hp_maplist *keep, struct mirror_plan *plan)
{
	size_t n = want ? want->len : 0, i, j;
	struct hp_oplist replaces = { NULL, 0, 0 }, adds = { NULL, 0, 0 };
	bool *taken = calloc(n ? n : 1, sizeof(*taken));
	bool ok = taken != NULL;

	memset(plan, 0, sizeof(*plan));
	for (i = 0; ok && i < n; i++) {
		const struct hp_lease *l = &want->leases[i];
		const struct hp_map *mine;

		if (has_key(keep, &l->map) ||
		    left_out(want, i, taken, table, &plan->notes, &ok))
			continue;
		taken[i] = true;
		mine = owned(table, &l->map);
		if (!mine)
			ok = push(&adds, HAIRPIN_CMD_NEW_MAP, &l->map, l->line);
		else if (!same_mirror(mine, &l->map))
			ok = push(&replaces, HAIRPIN_CMD_REPLACE_MAP, &l->map, l->line);
	}
	/* Deletions first: they make room under the limits. */
	for (j = 0; ok && j < table->len; j++) {
		const struct hp_map *t = &table->maps[j];

		if (!mirror_owned(t) || has_key(keep, t))
			continue;
		for (i = 0; i < n; i++)
			if (taken[i] && mirror_same_key(&want->leases[i].map, t))
				break;
		if (i == n)
			ok = push(&plan->ops, HAIRPIN_CMD_DEL_MAP, t, 0);
	}
	ok = ok && append_ops(&plan->ops, &replaces) && append_ops(&plan->ops, &adds);
	hp_oplist_free(&replaces);
	hp_oplist_free(&adds);
	free(taken);
	return ok;
}

void mirror_plan_free(struct mirror_plan *plan)
{
	hp_oplist_free(&plan->ops);
	hp_notes_free(&plan->notes);
}
