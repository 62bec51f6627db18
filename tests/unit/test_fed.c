/*
 * test_fed.c: the pure part of federation (interop/fed.c): the back-off
 * schedule, cursors, page URLs, and what a page from a peer may carry in
 * (RED and drill objects never enter; malformed envelopes are refused
 * naming the member).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "interop/fed.h"
#include "interop/stix.h"

#define S	INT64_C(1000000)

static void
test_backoff(void **state)
{
	(void)state;
	assert_int_equal(fed_delay_us(300, 0), 300 * S);
	assert_int_equal(fed_delay_us(1, 0), 1 * S);
	assert_int_equal(fed_delay_us(1, 1), 2 * S);
	assert_int_equal(fed_delay_us(1, 2), 4 * S);
	assert_int_equal(fed_delay_us(1, 3), 8 * S);
	assert_int_equal(fed_delay_us(300, 3), 2400 * S);
	assert_int_equal(fed_delay_us(300, 4), 3600 * S);	/* capped */
	assert_int_equal(fed_delay_us(300, 1000), 3600 * S);
	assert_int_equal(fed_delay_us(7200, 5), 7200 * S);	/* never below */
	assert_int_equal(fed_delay_us(0, 0), 1 * S);
}

static void
test_cursor(void **state)
{
	(void)state;
	assert_true(fed_cursor_valid("2026-12-07T06:46:47Z"));
	assert_true(fed_cursor_valid("2026-12-07T06:46:47.123456Z"));
	assert_false(fed_cursor_valid(NULL));
	assert_false(fed_cursor_valid(""));
	assert_false(fed_cursor_valid("2026-12-07 06:46:47Z"));
	assert_false(fed_cursor_valid("2026-02-30T06:46:47Z"));
	assert_false(fed_cursor_valid("2026-12-07T06:46:47+09:00"));
	assert_string_equal(fed_cursor_max(NULL, "2026-12-07T06:46:47Z"),
	    "2026-12-07T06:46:47Z");
	assert_string_equal(fed_cursor_max("2026-12-07T06:46:47Z", NULL),
	    "2026-12-07T06:46:47Z");
	assert_null(fed_cursor_max(NULL, "junk"));
	/* A peer's header never moves the cursor back. */
	assert_string_equal(fed_cursor_max("2026-12-07T06:46:48Z",
	    "2026-12-07T06:46:47.999999Z"), "2026-12-07T06:46:48Z");
	assert_string_equal(fed_cursor_max("2026-12-07T06:46:48Z",
	    "2026-12-07T06:46:48.000001Z"), "2026-12-07T06:46:48.000001Z");
}

static void
test_url(void **state)
{
	char *u;

	(void)state;
	u = fed_page_url("http://a.example/taxii2/cishare", "advisories", NULL,
	    NULL, 100);
	assert_string_equal(u, "http://a.example/taxii2/cishare/collections/"
	    "advisories/objects/?limit=100");
	free(u);
	u = fed_page_url("http://a.example/taxii2/cishare/", "advisories",
	    "2026-12-07T06:46:47.5Z", "17.report--x y&z=1", 100);
	assert_string_equal(u, "http://a.example/taxii2/cishare/collections/"
	    "advisories/objects/?limit=100&added_after=2026-12-07T06%3A46%3A47.5Z"
	    "&next=17.report--x%20y%26z%3D1");
	free(u);
	assert_true(fed_collection_valid("advisories"));
	assert_true(fed_collection_valid("91a7b528-80eb-42ed-a74d-c6fbd5a26116"));
	assert_false(fed_collection_valid(""));
	assert_false(fed_collection_valid(".."));
	assert_false(fed_collection_valid("a/b"));
	assert_false(fed_collection_valid("A"));
}

#define RED	"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
#define AMBER	"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"

static enum cs_err
parse(const char *s, struct fed_page *p, struct cs_error *e)
{
	cs_error_clear(e);
	return fed_page_parse(s, strlen(s), p, e);
}

static void
test_page(void **state)
{
	struct fed_page p;
	struct cs_error e;
	const json_t *objs;
	const char *page =
	    "{\"more\": true, \"next\": \"12.x\", \"objects\": ["
	    "{\"type\": \"report\", \"id\": \"report--1\", \"object_refs\":"
	    " [\"indicator--1\", \"identity--n\"], \"object_marking_refs\": [\"" AMBER "\"]},"
	    "{\"type\": \"indicator\", \"id\": \"indicator--1\"},"
	    "{\"type\": \"report\", \"id\": \"report--r\", \"object_refs\":"
	    " [\"indicator--r\"], \"object_marking_refs\": [\"" RED "\"]},"
	    "{\"type\": \"indicator\", \"id\": \"indicator--r\", \"object_marking_refs\": [\"" RED "\"]},"
	    "{\"type\": \"report\", \"id\": \"report--d\", \"labels\": [\"initial\", \"drill\"],"
	    " \"object_refs\": [\"indicator--d\", \"identity--n\"]},"
	    "{\"type\": \"indicator\", \"id\": \"indicator--d\"},"
	    "{\"type\": \"identity\", \"id\": \"identity--n\"}]}";

	(void)state;
	assert_int_equal(parse(page, &p, &e), CS_OK);
	assert_true(p.more);
	assert_string_equal(p.next, "12.x");
	assert_int_equal(p.total, 7);
	assert_int_equal(p.dropped_red, 2);
	/* the drill's report and its own indicator; the shared identity stays */
	assert_int_equal(p.dropped_drill, 2);
	objs = json_object_get(p.envelope, "objects");
	assert_int_equal(json_array_size(objs), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(objs,
	    0), "id")), "report--1");
	assert_string_equal(json_string_value(json_object_get(json_array_get(objs,
	    2), "id")), "identity--n");
	fed_page_fini(&p);

	assert_int_equal(parse("{}", &p, &e), CS_OK);
	assert_int_equal(json_array_size(json_object_get(p.envelope, "objects")), 0);
	assert_false(p.more);
	assert_null(p.next);
	fed_page_fini(&p);
}

static void
test_page_bad(void **state)
{
	static const struct { const char *in, *field; enum cs_err rc; } bad[] = {
		{ "<html>garbage", "", CS_EINVAL },
		{ "", "", CS_EINVAL },
		{ "[]", "", CS_EINVAL },
		{ "{\"more\": 1}", "more", CS_EINVAL },
		{ "{\"next\": 5}", "next", CS_EINVAL },
		{ "{\"next\": \"\"}", "next", CS_EINVAL },
		{ "{\"next\": \"a b\"}", "next", CS_EINVAL },
		{ "{\"objects\": {}}", "objects", CS_EINVAL },
		{ "{\"objects\": [1]}", "objects.0", CS_EINVAL },
		{ "{\"objects\": [{}, \"x\"]}", "objects.1", CS_EINVAL },
		{ "{\"more\": true, \"more\": false}", "", CS_EINVAL },
	};
	struct fed_page p;
	struct cs_error e;
	char *big;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i].in, &p, &e), bad[i].rc);
		assert_string_equal(e.field, bad[i].field);
		assert_null(p.envelope);
		assert_null(p.next);
	}
	big = calloc(1, FED_BODY_MAX + 2);
	memset(big, ' ', FED_BODY_MAX + 1);
	assert_int_equal(parse(big, &p, &e), CS_ETOOBIG);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_cursor),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_page_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
