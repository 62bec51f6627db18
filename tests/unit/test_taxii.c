/*
 * test_taxii.c: the TAXII 2.1 query parser (api/taxii_filter.c), the
 * HTTP Basic and content negotiation parsers (http/router.c), the TAXII
 * route patterns ('*' segments), and the bundle check of the importer
 * (interop/stix_import.c) on fixed cases.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "api/taxii.h"
#include "http/http.h"

struct kv {
	const char	*k[8];
	const char	*v[8];
};

static const char *
get(void *arg, const char *key)
{
	struct kv *q = arg;

	for (int i = 0; i < 8 && q->k[i] != NULL; i++)
		if (strcmp(q->k[i], key) == 0)
			return q->v[i];
	return NULL;
}

static void
test_filter(void **state)
{
	struct taxii_filter f;
	struct cs_error e;
	struct kv none = { { NULL }, { NULL } };
	struct kv q = { { "limit", "match[type]", "match[id]", "match[version]",
	    "added_after", "next", NULL }, { "5", "indicator,url",
	    "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "first,2026-12-01T00:00:00.000Z",
	    "2026-12-01T00:00:00.123456Z", "1764547200000000.42", NULL } };
	char tok[200];

	(void)state;
	assert_int_equal(taxii_filter_parse(get, &none, &f, &e), CS_OK);
	assert_int_equal(f.limit, TAXII_LIMIT_DEFAULT);
	assert_true(f.v_last);
	assert_int_equal(f.added_after, -1);
	assert_false(f.has_next);
	assert_int_equal(taxii_filter_parse(get, &q, &f, &e), CS_OK);
	assert_int_equal(f.limit, 5);
	assert_int_equal(f.ntypes, 2);
	assert_string_equal(f.types[1], "url");
	assert_int_equal(f.nids, 1);
	assert_true(f.v_first);
	assert_false(f.v_last);
	assert_int_equal(f.nversions, 1);
	assert_int_equal(f.added_after % 1000000, 123456);
	assert_true(f.has_next);
	assert_int_equal(f.next_us, 1764547200000000LL);
	assert_string_equal(f.next_key, "42");
	taxii_next_token(f.next_us, f.next_key, tok, sizeof(tok));
	assert_string_equal(tok, "1764547200000000.42");
	assert_true(taxii_match(&f, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
	    "indicator"));
	assert_false(taxii_match(&f, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
	    "malware"));
	assert_false(taxii_match(&f, "url--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "url"));
}

static void
test_filter_bad(void **state)
{
	static const char *const bad[][2] = {
		{ "limit", "0" }, { "limit", "1001" }, { "limit", "x" },
		{ "added_after", "2026-12-01" }, { "added_after", "2026-13-01T00:00:00Z" },
		{ "match[type]", "Bad" }, { "match[type]", "a,," }, { "match[type]", "" },
		{ "match[type]", "ok-type," }, { "match[id]", "indicator--x" },
		{ "match[version]", "newest" }, { "next", "garbage" },
		{ "next", ".x" }, { "next", "12." }, { "next", "12.A B" },
		{ "next", "-5.x" },
	};
	struct taxii_filter f;
	struct cs_error e;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kv q = { { bad[i][0], NULL }, { bad[i][1], NULL } };

		cs_error_clear(&e);
		if (taxii_filter_parse(get, &q, &f, &e) != CS_EINVAL)
			fail_msg("accepted %s=%s", bad[i][0], bad[i][1]);
		assert_string_equal(e.field, bad[i][0]);
	}
}

static void
test_basic(void **state)
{
	char out[CS_BASIC_MAX];
	const char *h;

	(void)state;
	/* "tx-ag-pw:taxii:pass" */
	h = "Basic dHgtYWctcHc6dGF4aWk6cGFzcw==";
	assert_int_equal(http_basic_parse(h, strlen(h), out, sizeof(out)), 0);
	assert_string_equal(out, "tx-ag-pw");
	assert_string_equal(out + strlen(out) + 1, "taxii:pass");
	h = "basic  dHgtYWctcHc6dGF4aWk6cGFzcw==";
	assert_int_equal(http_basic_parse(h, strlen(h), out, sizeof(out)), 0);
	h = "Basic !!!";
	assert_int_equal(http_basic_parse(h, strlen(h), out, sizeof(out)), -1);
	h = "Basic bm9jb2xvbg==";		/* "nocolon" */
	assert_int_equal(http_basic_parse(h, strlen(h), out, sizeof(out)), -1);
	h = "Basic OnB3";			/* ":pw": empty login */
	assert_int_equal(http_basic_parse(h, strlen(h), out, sizeof(out)), -1);
	h = "Basic YQpiOmM=";			/* "a\nb:c" */
	assert_int_equal(http_basic_parse(h, strlen(h), out, sizeof(out)), -1);
	h = "Bearer abc";
	assert_int_equal(http_basic_parse(h, strlen(h), out, sizeof(out)), -1);
	h = "Basic dHgtYWctcHc6dGF4aWk6cGFzcw==";
	assert_int_equal(http_basic_parse(h, strlen(h), out, 8), -1);
}

static void
test_negotiation(void **state)
{
	(void)state;
	assert_true(http_taxii_accept_ok(NULL));
	assert_true(http_taxii_accept_ok("application/taxii+json;version=2.1"));
	assert_true(http_taxii_accept_ok("application/taxii+json; version=2.1"));
	assert_true(http_taxii_accept_ok("application/taxii+json"));
	assert_true(http_taxii_accept_ok("*/*"));
	assert_true(http_taxii_accept_ok("text/html, application/*;q=0.5"));
	assert_false(http_taxii_accept_ok("text/html"));
	assert_false(http_taxii_accept_ok("application/json"));
	assert_false(http_taxii_accept_ok("application/taxii+json;version=2.0"));
	assert_false(http_taxii_accept_ok("application/taxii+json;version=2.1;q=0"));
	assert_true(http_taxii_type_ok("application/taxii+json;version=2.1"));
	assert_true(http_taxii_type_ok("application/stix+json;version=2.1"));
	assert_false(http_taxii_type_ok("application/json"));
	assert_false(http_taxii_type_ok(NULL));
}

static void
test_routes(void **state)
{
	int64_t ids[2];
	bool m;
	const struct api_route *r;

	(void)state;
	r = http_route_find(api_taxii_tables, "GET",
	    "/taxii2/cishare/collections/advisories/objects/", ids, &m);
	assert_non_null(r);
	assert_ptr_equal(r->fn, taxii_objects_get);
	r = http_route_find(api_taxii_tables, "GET",
	    "/taxii2/cishare/collections/advisories/objects/indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f/versions/",
	    ids, &m);
	assert_non_null(r);
	assert_ptr_equal(r->fn, taxii_versions_get);
	r = http_route_find(api_taxii_tables, "GET",
	    "/taxii2/cishare/collections//objects/", ids, &m);
	assert_null(r);
	r = http_route_find(api_taxii_tables, "DELETE",
	    "/taxii2/cishare/collections/advisories/objects/", ids, &m);
	assert_null(r);
	assert_true(m);
	for (const struct api_route *x = api_taxii_routes; x->method; x++)
		assert_true(x->action == ACT_TAXII_READ ||
		    x->action == ACT_TAXII_CONTRIBUTE);
}

static void
test_import(void **state)
{
	struct cs_error e;
	json_t *b;
	static const char *const ok =
	    "{\"objects\":[{\"type\":\"x-thing\",\"spec_version\":\"2.1\","
	    "\"id\":\"x-thing--31b940d4-6f7f-459a-80ea-9c1f17b5891b\","
	    "\"created\":\"2026-12-01T00:00:00.000Z\","
	    "\"modified\":\"2026-12-01T00:00:00.000Z\"},"
	    "{\"type\":\"domain-name\",\"id\":\"domain-name--31b940d4-6f7f-459a-80ea-9c1f17b5891b\","
	    "\"value\":\"x.example\",\"object_marking_refs\":["
	    "\"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb\","
	    "\"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1\"]}]}";

	(void)state;
	b = json_loads(ok, 0, NULL);
	assert_non_null(b);
	assert_int_equal(stix_import_check(b, 10, &e), CS_OK);
	/* no marking: AMBER; GREEN and RED: the strictest */
	assert_int_equal(stix_object_tlp(json_array_get(json_object_get(b,
	    "objects"), 0)), TLP_AMBER);
	assert_int_equal(stix_object_tlp(json_array_get(json_object_get(b,
	    "objects"), 1)), TLP_RED);
	assert_int_equal(stix_import_check(b, 1, &e), CS_ETOOBIG);
	json_object_set_new(json_array_get(json_object_get(b, "objects"), 1),
	    "id", json_string("url--31b940d4-6f7f-459a-80ea-9c1f17b5891b"));
	assert_int_equal(stix_import_check(b, 10, &e), CS_EINVAL);
	assert_string_equal(e.field, "objects.1.id");
	json_decref(b);
	assert_true(stix_timestamp_us("1970-01-01T00:00:01.5Z") == 1500000);
	assert_true(stix_timestamp_us("2024-02-29T00:00:00Z") > 0);
	assert_true(stix_timestamp_us("2023-02-29T00:00:00Z") < 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_filter_bad),
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_negotiation),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_import),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
