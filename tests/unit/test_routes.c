/*
 * test_routes.c: the route tables of src/api as declarations, and the
 * router's checks that read them (src/http/router.c).  Every route names
 * an action; an :id route whose action not everyone may attempt says how
 * its item's visibility is decided (.visible), so that a refusal never
 * confirms an item the caller may not see; body specs go with body flags;
 * no two entries share a method and pattern; no GET takes a file (API_RAW);
 * API_CACHED goes with API_SNAPSHOT; `cishared routes` lists every
 * entry.  Then path matching, body keys and modes on fixed examples (the
 * fuzz target `route` covers matching at large).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

/* May every kind of principal attempt it (or no credential needed)? */
static bool
open_to_all(enum authz_action a)
{
	char d[64];

	authz_describe(a, d, sizeof(d));
	return strcmp(d, "any") == 0 || strcmp(d, "public") == 0;
}

static void
test_declarations(void **state)
{
	size_t n = 0;

	(void)state;
	for (const struct api_route *const *t = api_tables; *t != NULL; t++)
		for (const struct api_route *x = *t; x->method != NULL; x++) {
			n++;
			assert_non_null(x->pattern);
			assert_true(x->action > ACT_NONE && x->action < ACT__COUNT);
			if (x->flags & API_STREAM)
				assert_null(x->fn);
			else
				assert_non_null(x->fn);
			if (x->body != NULL)
				assert_true(x->flags & (API_BODY | API_OPTBODY));
			/* server.c's body_cap looks no GET up: files are POSTed. */
			if (x->flags & API_RAW)
				assert_string_not_equal(x->method, "GET");
			/* A cached try is a snapshot's (store_begin_cached). */
			if (x->flags & API_CACHED)
				assert_true(x->flags & API_SNAPSHOT);
			if (strchr(x->pattern, ':') != NULL && !open_to_all(x->action)) {
				if (x->visible == NULL)
					fail_msg("%s %s: no .visible", x->method,
					    x->pattern);
			}
			for (const struct api_route *const *u = api_tables; *u; u++)
				for (const struct api_route *y = *u; y->method; y++)
					if (y != x && strcmp(y->method, x->method) == 0 &&
					    strcmp(y->pattern, x->pattern) == 0)
						fail_msg("%s %s twice", x->method,
						    x->pattern);
		}
	assert_true(n >= 40);
}

static void
test_listing(void **state)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0, lines = 0, routes = 0;
	FILE *f;

	(void)state;
	for (const struct api_route *const *t = api_tables; *t != NULL; t++)
		for (const struct api_route *x = *t; x->method != NULL; x++)
			routes++;
	/* and the TAXII 2.1 routes, listed by their full paths */
	for (const struct api_route *const *t = api_taxii_tables; *t != NULL; t++)
		for (const struct api_route *x = *t; x->method != NULL; x++)
			routes++;
	f = open_memstream(&text, &len);
	assert_non_null(f);
	http_routes_print(f);
	fclose(f);
	assert_non_null(strstr(text, "POST    /api/v1/reports"));
	assert_non_null(strstr(text, "report.file        "
	    "ci_operator(member,poc,org_admin)  body: route,legal_duty,form,"
	    "extra_recipients,drill\n"));
	assert_non_null(strstr(text, "/api/v1/login"));
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		lines++;
	assert_int_equal(lines, routes + 1);	/* and the header */
	free(text);
}

static void
test_match(void **state)
{
	int64_t ids[2];

	(void)state;
	ids[0] = ids[1] = 0;
	assert_true(http_route_match("/reports/:id/forward",
	    "/reports/12/forward", ids));
	assert_int_equal(ids[0], 12);
	assert_true(http_route_match("/reports/:id/forward",
	    "/reports/12/forward/", ids));
	assert_true(http_route_match("/reports/:id", "/reports/x1", ids));
	assert_int_equal(ids[0], -1);
	assert_true(http_route_match("/reports/:id", "/reports/0", ids));
	assert_int_equal(ids[0], -1);
	assert_false(http_route_match("/reports/:id", "/reports/", ids));
	assert_false(http_route_match("/reports/:id", "/reports//", ids));
	assert_false(http_route_match("/reports/:id", "/reports/1/forward", ids));
	assert_false(http_route_match("/reports", "/reports//", ids));
	assert_false(http_route_match("/reports/:id",
	    "/reports/012345678901234567890123", ids));
}

static void
test_find(void **state)
{
	const struct api_route *r;
	int64_t ids[2];
	bool matched;

	(void)state;
	r = http_route_find(api_tables, "POST", "/reports/7/share", ids, &matched);
	assert_non_null(r);
	assert_int_equal(r->action, ACT_REPORT_SHARE);
	assert_int_equal(ids[0], 7);
	assert_true(matched);
	r = http_route_find(api_tables, "PUT", "/reports/7/share", ids, &matched);
	assert_null(r);
	assert_true(matched);		/* 405 */
	r = http_route_find(api_tables, "GET", "/nowhere", ids, &matched);
	assert_null(r);
	assert_false(matched);		/* 404 */
	r = http_route_find(api_tables, "GET", "/inbox/stream", ids, &matched);
	assert_non_null(r);
	assert_true(r->flags & API_STREAM);
}

static void
test_body_and_modes(void **state)
{
	const struct api_route *r;
	struct api_route only_elsewhere;
	struct cs_principal p;
	struct cs_error e;
	json_t *body;
	int64_t ids[2];
	bool matched;

	(void)state;
	r = http_route_find(api_tables, "POST", "/reports/7/share", ids, &matched);
	assert_non_null(r);
	body = json_pack("{s:[i]}", "to", 3);
	cs_error_clear(&e);
	assert_int_equal(http_body_check(r, body, &e), CS_OK);
	json_object_set_new(body, "cc", json_integer(4));
	assert_int_equal(http_body_check(r, body, &e), CS_EINVAL);
	assert_string_equal(e.field, "cc");
	assert_string_equal(e.msg, "unknown field");
	json_decref(body);

	memset(&p, 0, sizeof(p));
	p.org_id = 3;
	p.org_type = ORG_NISC;
	p.roles = ROLE_ANALYST;
	cs_error_clear(&e);
	assert_int_equal(http_route_admit(r, &p, MODE_NORMAL, &e), CS_OK);
	only_elsewhere = *r;
	only_elsewhere.modes = 1u << 7;	/* a mode that is not the current one */
	assert_int_equal(http_route_admit(&only_elsewhere, &p, MODE_NORMAL, &e),
	    CS_EPERM);
	assert_non_null(strstr(e.msg, "normal operating mode"));
	p.org_type = ORG_CAS;
	cs_error_clear(&e);
	assert_int_equal(http_route_admit(r, &p, MODE_NORMAL, &e), CS_EPERM);
	assert_int_equal(http_route_admit(r, NULL, MODE_NORMAL, &e), CS_EAUTH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_declarations),
		cmocka_unit_test(test_listing),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_body_and_modes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
