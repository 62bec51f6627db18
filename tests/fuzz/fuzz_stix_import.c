/*
 * fuzz_stix_import.c: the STIX bundle check of the importer
 * (stix_import_check in src/interop/stix_import.c) over any bytes parsed
 * as JSON, and over the bytes wrapped as one object of an envelope.
 *
 * Invariants: it answers CS_OK, CS_EINVAL or CS_ETOOBIG; a refusal of an
 * object names "objects.<i>" with i inside the list; the answer is
 * deterministic; an accepted envelope's every object has a valid id of
 * its own type and a TLP in range; and the objects of an accepted
 * envelope, one at a time, are accepted too.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "interop/stix.h"

/* Is field the cut name (92-95 bytes) of a longer member of body? */
static bool
named_cut(json_t *body, const char *field, size_t cap)
{
	const char *key;
	json_t *v;
	size_t fl = strlen(field);

	if (fl + 4 < cap)
		return false;
	json_object_foreach(body, key, v)
		if (strncmp(key, field, fl) == 0 && key[fl] != '\0')
			return true;
	return false;
}

static void
check(json_t *body)
{
	struct cs_error e, e2;
	enum cs_err a, b;
	json_t *objs, *o;
	size_t i;

	cs_error_clear(&e);
	cs_error_clear(&e2);
	a = stix_import_check(body, 64, &e);
	b = stix_import_check(body, 64, &e2);
	FUZZ_CHECK(a == CS_OK || a == CS_EINVAL || a == CS_ETOOBIG, "answer %d",
	    (int)a);
	FUZZ_CHECK(a == b && strcmp(e.field, e2.field) == 0, "not deterministic");
	objs = json_object_get(body, "objects");
	if (a != CS_OK) {
		/*
		 * (an unknown member may itself be named "objects.x", and a
		 * long name is named by its first whole characters that fit)
		 */
		if (strncmp(e.field, "objects.", 8) == 0 &&
		    json_object_get(body, e.field) == NULL &&
		    !named_cut(body, e.field, sizeof(e.field))) {
			char *end;
			unsigned long k = strtoul(e.field + 8, &end, 10);

			FUZZ_CHECK(end != e.field + 8 && k < json_array_size(objs),
			    "field %s beyond the list", e.field);
		}
		return;
	}
	json_array_foreach(objs, i, o) {
		const char *type = json_string_value(json_object_get(o, "type"));
		int tlp = stix_object_tlp(o);
		json_t *one;

		FUZZ_CHECK(type != NULL && stix_id_valid(json_string_value(
		    json_object_get(o, "id")), type), "object %zu id", i);
		FUZZ_CHECK(tlp >= TLP_RED && tlp <= TLP_CLEAR, "tlp %d", tlp);
		one = json_pack("{s:[O]}", "objects", o);
		FUZZ_CHECK(stix_import_check(one, 64, &e) == CS_OK,
		    "object %zu alone refused: %s %s", i, e.field, e.msg);
		json_decref(one);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j, *env;

	if (size > 64 * 1024)
		return 0;
	j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (j == NULL)
		return 0;
	check(j);
	env = json_pack("{s:[O]}", "objects", j);
	check(env);
	json_decref(env);
	json_decref(j);
	return 0;
}
