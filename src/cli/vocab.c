/*
 * vocab.c: how the CLI reads the generated vocabulary (gen/vocab.h, made
 * by tools/gen-vocab from data/ and tools/vocab-app.json): finding a value
 * as people write it, the name TLP 2.0 gives a level, and the "allowed:"
 * list of an error or a usage.  The lists themselves (sectors, TLP,
 * routes, event and cause types, importance, the 様式's option lists) and
 * the 情報連絡様式's field table (vocab_report_form) are the server's own,
 * so the CLI cannot drift from what cishared accepts.
 */
#include <stdlib.h>
#include <strings.h>

#include "cli/cli.h"

/*
 * The name people write for an item instead of its id, or NULL (the id):
 * TLP 2.0's code, the TLP list's short form ("AMBER+STRICT" for
 * amber_strict).  Other lists' short forms are words, not names.
 */
const char *
vocab_name(const struct vocab_item *list, const struct vocab_item *it)
{
	return list == vocab_tlp ? it->short_ja : NULL;
}

/* The number of items of a sentinel-terminated list. */
size_t
vocab_len(const struct vocab_item *list)
{
	size_t n;

	for (n = 0; list[n].id != NULL; n++)
		;
	return n;
}

/*
 * The item whose id is s, or whose name is s ignoring case
 * ("amber+strict" finds amber_strict); NULL if none.
 */
const struct vocab_item *
vocab_find(const struct vocab_item *list, const char *s)
{
	const struct vocab_item *it;
	const char *name;
	int i;

	if ((i = vocab_index(list, s)) >= 0)
		return &list[i];
	for (it = list; it->id != NULL; it++)
		if ((name = vocab_name(list, it)) != NULL &&
		    strcasecmp(name, s) == 0)
			return it;
	return NULL;
}

/*
 * "RED, AMBER+STRICT, AMBER, GREEN, CLEAR": the names (else the ids), or
 * with ids set the ids the server takes in a form ("red, amber_strict").
 */
char *
vocab_allowed(const struct vocab_item *list, int ids)
{
	const struct vocab_item *it;
	struct cs_buf b;
	const char *name;
	char *s;

	cs_buf_init(&b, 4096);
	for (it = list; it->id != NULL; it++) {
		name = ids ? NULL : vocab_name(list, it);
		(void)cs_buf_printf(&b, "%s%s", it > list ? ", " : "",
		    name != NULL ? name : it->id);
	}
	if ((s = cs_buf_finish(&b)) == NULL)
		s = xstrdup("?");
	return s;
}
