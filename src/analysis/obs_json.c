/*
 * obs_json.c: the observables of every text field of a form (analysis/obs.h):
 * each string of the JSON value, keys excepted, scanned on its own so a
 * field's end ends an observable.  The 様式's contact groups (the report's
 * `reporter`, the advisory's `nisc_contact`: the sender's own name, phone
 * and e-mail address) are no indicators and are skipped: else every report
 * of an organisation would correlate through its contact address.
 */
#include <string.h>

#include "analysis/obs.h"

static const char *const contact_groups[] = { "reporter", "nisc_contact" };

static bool
contact_group(const char *k, int depth)
{
	if (depth != 0)
		return false;
	for (size_t i = 0; i < sizeof(contact_groups) / sizeof(contact_groups[0]);
	    i++)
		if (strcmp(k, contact_groups[i]) == 0)
			return true;
	return false;
}

static void
walk(const json_t *j, struct obs **v, size_t *n, int depth)
{
	const char *k;
	json_t *c;
	size_t i;

	if (depth > 32)
		return;
	if (json_is_string(j))
		obs_extract(json_string_value(j), json_string_length(j), v, n);
	else if (json_is_object(j))
		json_object_foreach((json_t *)j, k, c) {
			if (!contact_group(k, depth))
				walk(c, v, n, depth + 1);
		}
	else if (json_is_array(j))
		json_array_foreach(j, i, c)
			walk(c, v, n, depth + 1);
}

void
obs_extract_json(const json_t *j, struct obs **v, size_t *n)
{
	walk(j, v, n, 0);
}

void
obs_extract_json_at(const json_t *j, int depth, struct obs **v, size_t *n)
{
	walk(j, v, n, depth);
}
