/*
 * obs_json.c: the observables of every text field of a form (analysis/obs.h):
 * each string of the JSON value, keys excepted, scanned on its own so a
 * field's end ends an observable.
 */
#include <string.h>

#include "analysis/obs.h"

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
		json_object_foreach((json_t *)j, k, c)
			walk(c, v, n, depth + 1);
	else if (json_is_array(j))
		json_array_foreach(j, i, c)
			walk(c, v, n, depth + 1);
}

void
obs_extract_json(const json_t *j, struct obs **v, size_t *n)
{
	walk(j, v, n, 0);
}
