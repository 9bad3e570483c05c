// SPDX-License-Identifier: GPL-2.0
/*
 * The printers of map show, masq show, binding show, show, monitor and
 * save.
 */
#include <inttypes.h>

#include "format.h"
#include "names.h"
#include "print.h"

/* The counters' columns: after the longest mapping, and after the widest
 * number of connections.
 */
static struct map_cols map_columns(const struct hp_maplist *list)
{
	int text_w = 0, conns_w = 1;
	size_t i;

	for (i = 0; i < list->len; i++) {
		const struct hp_map *m = &list->maps[i];
		int n = format_map(NULL, 0, m);
		int w = snprintf(NULL, 0, "%" PRIu64, m->conns);

		if (n > text_w)
			text_w = n;
		if (w > conns_w)
			conns_w = w;
	}
	return (struct map_cols){
		.conns = text_w + 2,
		.hairpinned = text_w + 2 + (int)sizeof("conns ") - 1 + conns_w + 1,
	};
}

/*
 *   tcp 80 to 192.168.1.10:80 comment web    conns 12 hairpinned 3
 *   udp 5000-5010 to 192.168.1.20:6000-6010  conns 0  hairpinned 0
 */
void print_maps(FILE *f, const struct hp_maplist *list, unsigned int flags)
{
	struct map_cols cols = { 0, 0 };
	struct out o;
	size_t i;

	if (!(flags & PRINT_JSON))
		cols = map_columns(list);
	out_to_file(&o, f, flags);
	open_object(&o, NULL);
	open_array(&o, "mappings");
	for (i = 0; i < list->len; i++) {
		open_object(&o, NULL);
		print_map(&o, &list->maps[i], true, &cols);
		close_object(&o);
		print_nl(&o);
	}
	close_array(&o);
	close_object(&o);
	out_close(&o);
}

/*
 *   dev ppp0 filter independent bindings 12
 *   dev wan0 filter address-port bindings 0
 */
void print_masqs(FILE *f, const struct hp_masqlist *list, unsigned int flags)
{
	struct out o;
	size_t i;

	out_to_file(&o, f, flags);
	open_object(&o, NULL);
	open_array(&o, "masq");
	for (i = 0; i < list->len; i++) {
		open_object(&o, NULL);
		print_masq(&o, &list->masqs[i], true, true);
		close_object(&o);
		print_nl(&o);
	}
	close_array(&o);
	close_object(&o);
	out_close(&o);
}

/*
 *   tcp 192.168.1.100:51000 -> 203.0.113.1:51000 filter independent conns 1 idle 0s
 *   udp 192.168.1.100:4000 -> 203.0.113.1:4000 filter independent conns 2 idle 3s
 */
void print_bindings(FILE *f, const struct hp_bindinglist *list,
		    unsigned int flags)
{
	struct out o;
	size_t i;

	out_to_file(&o, f, flags);
	open_object(&o, NULL);
	open_array(&o, "bindings");
	for (i = 0; i < list->len; i++) {
		open_object(&o, NULL);
		print_binding(&o, &list->bindings[i]);
		close_object(&o);
		print_nl(&o);
	}
	close_array(&o);
	close_object(&o);
	out_close(&o);
}

/* " ports 13/65536": what is in use out of the limit (max_key); the
 * limit alone when the use is not known, no text without a limit.
 */
static void print_use(struct out *o, const char *word, bool has, uint32_t v,
		      const char *max_key, bool has_max, uint32_t max)
{
	if (has_max && has)
		print_text(o, " %s %" PRIu32 "/", word, v);
	else if (has_max)
		print_text(o, " %s ", word);
	print_uint_opt(o, PRINT_ANY, max_key, "%" PRIu64, has_max, max);
}

/* "limits mappings 3/1024 ports 3/65536 bindings 5/65536": what is in
 * use, out of the limit; no line from a module without limits.
 */
static void print_limits(struct out *o, const struct hp_config *c)
{
	bool any = c->has_max_maps || c->has_max_ports || c->has_max_bindings;

	print_uint_opt(o, PRINT_JSON, "ports", NULL, c->has_ports, c->ports);
	if (any)
		print_text(o, "limits");
	if (c->has_max_maps)
		print_text(o, " mappings %" PRIu32 "/", c->mappings);
	print_uint_opt(o, PRINT_ANY, "max_mappings", "%" PRIu64,
		       c->has_max_maps, c->max_maps);
	print_use(o, "ports", c->has_ports, c->ports, "max_ports",
		  c->has_max_ports, c->max_ports);
	print_uint_opt(o, PRINT_JSON, "bindings", NULL, c->has_bindings,
		       c->bindings);
	print_use(o, "bindings", c->has_bindings, c->bindings, "max_bindings",
		  c->has_max_bindings, c->max_bindings);
	if (any)
		print_nl(o);
}

void print_config(FILE *f, const struct hp_config *c, unsigned int flags)
{
	unsigned int totals = flags & PRINT_STATS ? PRINT_ANY : PRINT_JSON;
	struct out o;

	out_to_file(&o, f, flags);
	open_object(&o, NULL);
	print_string(&o, PRINT_JSON, "version", NULL,
		     c->version[0] ? c->version : NULL);
	print_source(&o, "source %s\n", c->source, c->source_addr);
	print_name(&o, PRINT_ANY, "hairpin", "hairpin %s\n", c->mode,
		   mode_name(c->mode));
	print_name(&o, PRINT_ANY, "scope", "scope %s\n",
		   c->has_scope ? c->scope : HP_UNSET,
		   c->has_scope ? scope_name(c->scope) : NULL);
	print_uint_opt(&o, PRINT_ANY, "udp_timeout", "udp-timeout %" PRIu64 "\n",
		       c->has_udp_timeout, c->udp_timeout);
	print_text(&o, "module %s\n", c->version[0] ? c->version : "unknown");
	print_uint(&o, PRINT_ANY, "mappings", "mappings %" PRIu64 "\n", c->mappings);
	print_limits(&o, c);
	print_uint(&o, totals, "conns", "conns %" PRIu64, c->conns);
	print_uint(&o, totals, "hairpinned", " hairpinned %" PRIu64 "\n",
		   c->hairpinned);
	/* Others' forwards (scope all), on a line of their own: never in
	 * the mappings' totals.
	 */
	print_uint_opt(&o, totals, "others_hairpinned",
		       "others-hairpinned %" PRIu64 "\n", c->has_others,
		       c->others_hairpinned);
	close_object(&o);
	out_close(&o);
}

void print_event(FILE *f, const struct hp_op *op, unsigned int flags)
{
	struct out o;

	out_to_file(&o, f, flags);
	open_object(&o, NULL);
	print_op(&o, op);
	close_object(&o);
	print_nl(&o);
	out_close(&o);
}

static void print_line(struct out *o, const struct hp_op *op)
{
	print_op(o, op);
	print_nl(o);
}

void print_save(FILE *f, const struct hp_config *c,
		const struct hp_masqlist *masqs, const struct hp_maplist *maps)
{
	struct hp_op op;
	struct out o;
	size_t i;

	out_to_file(&o, f, 0);
	hp_op_init(&op, HAIRPIN_CMD_FLUSH_MAPS);
	print_line(&o, &op);

	if (c->source != HP_UNSET || c->mode != HP_UNSET) {
		hp_op_init(&op, HAIRPIN_CMD_SET_CONFIG);
		op.source = c->source;
		op.source_addr = c->source_addr;
		op.mode = c->mode;
		print_line(&o, &op);
	}

	/* Only when it is not the default: a file that does not need a
	 * module with the timeout does not ask for one.
	 */
	if (c->has_udp_timeout && c->udp_timeout != HP_UDP_TIMEOUT_DEFAULT) {
		hp_op_init(&op, HAIRPIN_CMD_SET_CONFIG);
		op.has_udp_timeout = true;
		op.udp_timeout = c->udp_timeout;
		print_line(&o, &op);
	}

	/* The same: "own" is the default. */
	if (c->has_scope && c->scope != HAIRPIN_SCOPE_OWN) {
		hp_op_init(&op, HAIRPIN_CMD_SET_CONFIG);
		op.has_scope = true;
		op.scope = c->scope;
		print_line(&o, &op);
	}

	/* On a line of its own, before the mappings: restoring a table
	 * bigger than the limits in force needs them raised first.
	 */
	if (c->has_max_maps || c->has_max_ports || c->has_max_bindings) {
		hp_op_init(&op, HAIRPIN_CMD_SET_CONFIG);
		op.has_max_maps = c->has_max_maps;
		op.max_maps = c->max_maps;
		op.has_max_ports = c->has_max_ports;
		op.max_ports = c->max_ports;
		op.has_max_bindings = c->has_max_bindings;
		op.max_bindings = c->max_bindings;
		print_line(&o, &op);
	}

	/* "map flush" leaves the rules alone; "masq add" of a rule that is
	 * there replaces it, so the file restores over itself.
	 */
	hp_op_init(&op, HAIRPIN_CMD_NEW_MASQ);
	for (i = 0; i < masqs->len; i++) {
		op.masq = masqs->masqs[i];
		print_line(&o, &op);
	}

	hp_op_init(&op, HAIRPIN_CMD_NEW_MAP);
	for (i = 0; i < maps->len; i++) {
		op.map = maps->maps[i];
		print_line(&o, &op);
	}
}
