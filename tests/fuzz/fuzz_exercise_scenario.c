/*
 * fuzz_exercise_scenario.c: a scenario file of a cross-sector exercise
 * (json_loadb as the server reads bodies, then core_exercise_check).
 * Invariants: an accepted scenario has a name, 1..1000 positive
 * participant ids and 1..200 injects, each with at_s in [0, 30 days], a
 * non-empty "to" of known actor types, and nothing else; a refusal names
 * a field that is a path of the body (or "").
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "core/exercise.h"

static int
known_field(const char *f)
{
	static const char *const roots[] = { "", "name", "participants", "injects" };

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		size_t n = strlen(roots[i]);

		if (strncmp(f, roots[i], n) == 0 && (f[n] == '\0' || f[n] == '.'))
			return 1;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_error e;
	json_error_t je;
	json_t *body, *inj, *v;
	size_t i;

	if (size > 65536)
		return 0;
	body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (body == NULL)
		return 0;
	cs_error_clear(&e);
	if (core_exercise_check(body, &e) != CS_OK) {
		FUZZ_CHECK(e.code == CS_EINVAL, "a refusal is CS_EINVAL");
		FUZZ_CHECK(known_field(e.field), "field %s", e.field);
		json_decref(body);
		return 0;
	}
	FUZZ_CHECK(json_string_length(json_object_get(body, "name")) > 0, "name");
	FUZZ_CHECK(json_array_size(json_object_get(body, "participants")) > 0,
	    "participants");
	inj = json_object_get(body, "injects");
	FUZZ_CHECK(json_array_size(inj) >= 1 &&
	    json_array_size(inj) <= EXERCISE_INJECTS, "inject count");
	json_array_foreach(inj, i, v) {
		json_int_t at = json_integer_value(json_object_get(v, "at_s"));

		FUZZ_CHECK(json_is_integer(json_object_get(v, "at_s")) && at >= 0 &&
		    at <= EXERCISE_MAX_AT_S, "inject %zu at_s", i);
		FUZZ_CHECK(json_array_size(json_object_get(v, "to")) > 0,
		    "inject %zu to", i);
		FUZZ_CHECK(json_object_size(v) <= 4, "inject %zu members", i);
	}
	json_decref(body);
	return 0;
}
