/*
 * test_exercise.c: the scenario file of a cross-sector exercise
 * (src/core/exercise.c; API.md "Cross-sector exercises"): a good one
 * passes; each fault is refused naming its field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/exercise.h"

static const char good[] = "{\"name\": \"演習\", \"participants\": [3, 4],"
    " \"injects\": [{\"at_s\": 0, \"to\": [\"ci_operator\"], \"title\":"
    " \"不審メール\", \"text\": \"第1報を作成せよ\"}, {\"at_s\": 2592000,"
    " \"to\": [\"ci_ministry\", \"ceptoar_secretariat\"], \"title\": \"t\","
    " \"text\": \"x\"}]}";

/* The field good's check names once `jq` (a jansson edit) is applied. */
static const char *
refusal(void (*edit)(json_t *))
{
	static char field[64];
	struct cs_error e;
	json_t *b = json_loads(good, 0, NULL);

	assert_non_null(b);
	edit(b);
	cs_error_clear(&e);
	if (core_exercise_check(b, &e) == CS_OK)
		(void)cs_strlcpy(field, "(accepted)", sizeof(field));
	else
		(void)cs_strlcpy(field, e.field, sizeof(field));
	json_decref(b);
	return field;
}

static json_t *
inject(json_t *b, size_t i)
{
	return json_array_get(json_object_get(b, "injects"), i);
}

static void no_edit(json_t *b) { (void)b; }
static void empty_name(json_t *b) { json_object_set_new(b, "name", json_string("")); }
static void no_parts(json_t *b) { json_object_set_new(b, "participants", json_array()); }
static void zero_part(json_t *b) { json_array_set_new(json_object_get(b, "participants"), 1, json_integer(0)); }
static void late(json_t *b) { json_object_set_new(inject(b, 1), "at_s", json_integer(2592001)); }
static void negative(json_t *b) { json_object_set_new(inject(b, 0), "at_s", json_integer(-1)); }
static void pirate(json_t *b) { json_array_append_new(json_object_get(inject(b, 1), "to"), json_string("pirates")); }
static void nobody(json_t *b) { json_object_set_new(inject(b, 0), "to", json_array()); }
static void extra(json_t *b) { json_object_set_new(inject(b, 1), "owner", json_string("x")); }
static void no_text(json_t *b) { json_object_del(inject(b, 0), "text"); }

static void
test_scenario(void **state)
{
	(void)state;
	assert_string_equal(refusal(no_edit), "(accepted)");
	assert_string_equal(refusal(empty_name), "name");
	assert_string_equal(refusal(no_parts), "participants");
	assert_string_equal(refusal(zero_part), "participants.1");
	assert_string_equal(refusal(late), "injects.1.at_s");
	assert_string_equal(refusal(negative), "injects.0.at_s");
	assert_string_equal(refusal(pirate), "injects.1.to.2");
	assert_string_equal(refusal(nobody), "injects.0.to");
	assert_string_equal(refusal(extra), "injects.1.owner");
	assert_string_equal(refusal(no_text), "injects.0.text");
}

/* 200 injects pass, 201 do not. */
static void
test_limits(void **state)
{
	json_t *b = json_loads(good, 0, NULL), *inj = json_array();
	struct cs_error e;

	(void)state;
	for (int i = 0; i < EXERCISE_INJECTS; i++)
		json_array_append(inj, inject(b, 0));
	json_object_set_new(b, "injects", inj);
	assert_int_equal(core_exercise_check(b, &e), CS_OK);
	json_array_append(inj, json_array_get(inj, 0));
	assert_int_equal(core_exercise_check(b, &e), CS_EINVAL);
	assert_string_equal(e.field, "injects");
	json_decref(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenario),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
