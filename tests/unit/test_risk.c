/*
 * test_risk.c: the risk workspace's pure rules (src/analysis/risk.c):
 * the default and a configured matrix, their validation naming the member
 * at fault, scoring and banding at every cell, the two checklists and
 * their citations, the improvement plan's order (docs/analysis.md "Risk
 * register"), dates and today in Japan.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "analysis/risk.h"

static void
test_default(void **state)
{
	struct risk_matrix m;
	struct cs_error e;
	json_t *j = risk_matrix_default();

	(void)state;
	assert_int_equal(risk_matrix_parse(j, &m, &e), CS_OK);
	assert_int_equal(m.nl, 5);
	assert_int_equal(m.ni, 5);
	assert_int_equal(m.appetite, 4);
	/* every cell: the score is the product, the band the first that holds it */
	for (int l = 1; l <= 5; l++)
		for (int i = 1; i <= 5; i++) {
			int s = risk_score(&m, l, i);
			const char *b = risk_band(&m, s);

			assert_int_equal(s, l * i);
			assert_string_equal(b, s <= 4 ? "low" : s <= 9 ? "medium" :
			    s <= 16 ? "high" : "critical");
		}
	assert_int_equal(risk_score(&m, 0, 3), -1);
	assert_int_equal(risk_score(&m, 6, 1), -1);
	assert_int_equal(risk_score(&m, 1, 6), -1);
	assert_null(risk_band(&m, 0));
	assert_null(risk_band(&m, 26));
	json_decref(j);
}

/* What a broken matrix is refused with: the member at fault. */
static void
expect_field(const char *edit_json, const char *field)
{
	json_t *j = risk_matrix_default(), *p = json_loads(edit_json, 0, NULL);
	struct risk_matrix m;
	struct cs_error e;

	assert_non_null(p);
	json_object_update(j, p);
	memset(&e, 0, sizeof(e));
	assert_int_equal(risk_matrix_parse(j, &m, &e), CS_EINVAL);
	assert_string_equal(e.field, field);
	json_decref(p);
	json_decref(j);
}

static void
test_invalid(void **state)
{
	(void)state;
	expect_field("{\"likelihood\": [{\"ja\": \"a\"}]}", "likelihood");
	expect_field("{\"impact\": 3}", "impact");
	expect_field("{\"impact\": [{\"ja\": \"a\"}, {\"en\": \"b\"}]}", "impact.1.ja");
	expect_field("{\"impact\": [{\"ja\": \"a\"}, {\"ja\": \"\"}]}", "impact.1.ja");
	expect_field("{\"impact\": [{\"ja\": \"a\"}, {\"ja\": \"b\", \"x\": \"c\"}]}",
	    "impact.1.x");
	expect_field("{\"bands\": []}", "bands");
	expect_field("{\"bands\": [{\"id\": \"Low\", \"max\": 25}]}", "bands.0.id");
	expect_field("{\"bands\": [{\"id\": \"a\", \"max\": 5}, {\"id\": \"a\","
	    " \"max\": 25}]}", "bands.1.id");
	expect_field("{\"bands\": [{\"id\": \"a\", \"max\": 5}, {\"id\": \"b\","
	    " \"max\": 5}]}", "bands.1.max");
	expect_field("{\"bands\": [{\"id\": \"a\", \"max\": 5}, {\"id\": \"b\","
	    " \"max\": 24}]}", "bands.1.max");
	expect_field("{\"bands\": [{\"id\": \"a\", \"max\": 26}]}", "bands.0.max");
	expect_field("{\"appetite\": 26}", "appetite");
	expect_field("{\"appetite\": -1}", "appetite");
	expect_field("{\"appetite\": \"4\"}", "appetite");
	expect_field("{\"colour\": 1}", "colour");
}

static void
test_configured(void **state)
{
	json_t *j = json_loads("{\"likelihood\": [{\"ja\": \"低\"}, {\"ja\": \"高\"}],"
	    " \"impact\": [{\"ja\": \"小\"}, {\"ja\": \"中\"}, {\"ja\": \"大\"}],"
	    " \"bands\": [{\"id\": \"ok\", \"max\": 2}, {\"id\": \"act\", \"max\": 6}],"
	    " \"appetite\": 2}", 0, NULL);
	struct risk_matrix m;
	struct cs_error e;

	(void)state;
	assert_int_equal(risk_matrix_parse(j, &m, &e), CS_OK);
	assert_int_equal(m.nl, 2);
	assert_int_equal(m.ni, 3);
	assert_int_equal(risk_score(&m, 2, 3), 6);
	assert_int_equal(risk_score(&m, 3, 1), -1);	/* outside: 2 levels */
	assert_string_equal(risk_band(&m, 2), "ok");
	assert_string_equal(risk_band(&m, 3), "act");
	/* the plan wants what lies above the appetite, or is not accepted */
	assert_false(risk_plan_wants(&m, 2, RISK_ACCEPT));
	assert_true(risk_plan_wants(&m, 3, RISK_ACCEPT));
	assert_true(risk_plan_wants(&m, 1, RISK_REDUCE));
	assert_true(risk_plan_wants(&m, 1, -1));
	json_decref(j);
}

static void
test_checklists(void **state)
{
	size_t n = 0;

	(void)state;
	for (const struct risk_check_item *c = risk_viewpoints; c->id; c++, n++) {
		assert_non_null(risk_check_find(RISK_LIST_VIEWPOINTS, c->viewpoint));
		assert_non_null(strstr(c->cite, "IV 4.1"));
	}
	assert_int_equal(n, 5);
	n = 0;
	for (const struct risk_check_item *c = risk_readiness; c->id; c++, n++) {
		assert_non_null(risk_check_find(RISK_LIST_VIEWPOINTS, c->viewpoint));
		assert_non_null(strstr(c->cite, "手引書"));
		assert_ptr_equal(risk_check_find(RISK_LIST_READINESS, c->id), c);
	}
	assert_int_equal(n, 12);	/* CP, BCP (2), recovery, organisation, 7 traits */
	assert_null(risk_check_find(RISK_LIST_VIEWPOINTS, "vi"));
	assert_null(risk_check_find(RISK_LIST_READINESS, NULL));
	assert_int_equal(risk_check_status_parse("gap"), RISK_CHECK_GAP);
	assert_int_equal(risk_check_status_parse("not_applicable"), RISK_CHECK_NA);
	assert_int_equal(risk_check_status_parse("unanswered"), -1);
	assert_int_equal(risk_check_status_parse(NULL), -1);
	assert_int_equal(risk_treatment_parse("transfer"), RISK_TRANSFER);
	assert_int_equal(risk_treatment_parse("share"), -1);
}

static void
test_plan_order(void **state)
{
	struct risk_plan_item p[] = {
		/* 0: a risk of 12, viewpoint iii */
		{ RISK_PLAN_RISK, 7, NULL, "iii", 12, 4, false, 0, 0 },
		/* 1: a readiness gap of viewpoint iv (gets 16 from risk 9) */
		{ RISK_PLAN_READINESS, 0, "cp", "iv", 0, -1, false, 0,
		  RISK_CHECK_GAP },
		/* 2: a risk of 16 with an overdue review */
		{ RISK_PLAN_RISK, 9, NULL, "iv", 16, -1, true, 20200101, 0 },
		/* 3: a risk of 16, review later, residual 8 */
		{ RISK_PLAN_RISK, 3, NULL, NULL, 16, 8, false, 20301231, 0 },
		/* 4: a viewpoint partial of iv: 16 */
		{ RISK_PLAN_VIEWPOINT, 0, "iv", "iv", 0, -1, false, 0,
		  RISK_CHECK_PARTIAL },
		/* 5: a viewpoint gap of ii: no risk, 0 */
		{ RISK_PLAN_VIEWPOINT, 0, "ii", "ii", 0, -1, false, 0,
		  RISK_CHECK_GAP },
		/* 6: a viewpoint gap of iii: 12 from risk 7 */
		{ RISK_PLAN_VIEWPOINT, 0, "iii", "iii", 0, -1, false, 0,
		  RISK_CHECK_GAP },
		/* 7: a risk of 16, no review, residual 8, id 2: before 3? no:
		 * 3 has a review date, which comes before none */
		{ RISK_PLAN_RISK, 2, NULL, NULL, 16, 8, false, 0, 0 },
	};
	const char *want[] = { "r9", "r3", "r2", "viv", "pcp", "r7", "viii",
		"vii" };
	size_t n = sizeof(p) / sizeof(p[0]);

	(void)state;
	risk_plan_order(p, n);
	for (size_t k = 0; k < n; k++) {
		char got[16];

		if (p[k].kind == RISK_PLAN_RISK)
			snprintf(got, sizeof(got), "r%lld", (long long)p[k].id);
		else
			snprintf(got, sizeof(got), "%c%s", p[k].kind ==
			    RISK_PLAN_VIEWPOINT ? 'v' : 'p', p[k].check);
		assert_string_equal(got, want[k]);
	}
	assert_int_equal(p[3].score, 16);	/* viewpoint iv took 16 */
	assert_int_equal(p[7].score, 0);	/* viewpoint ii: no risk */
	/* the same items in another order give the same plan */
	{
		struct risk_plan_item q[8];

		for (size_t k = 0; k < n; k++)
			q[k] = p[n - 1 - k];
		risk_plan_order(q, n);
		assert_memory_equal(p, q, sizeof(q));
	}
	risk_plan_order(p, 0);
}

static void
test_dates(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(risk_date_parse("2026-12-07"), 20261207);
	assert_int_equal(risk_date_parse("2024-02-29"), 20240229);
	assert_int_equal(risk_date_parse("2026-02-29"), 0);
	assert_int_equal(risk_date_parse("2100-02-29"), 0);
	assert_int_equal(risk_date_parse("2000-02-29"), 20000229);
	assert_int_equal(risk_date_parse("2026-13-01"), 0);
	assert_int_equal(risk_date_parse("2026-1-01"), 0);
	assert_int_equal(risk_date_parse("2026-01-01T00"), 0);
	assert_int_equal(risk_date_parse(NULL), 0);
	/* 2026-12-06T15:00:00Z is midnight of the 7th in Japan */
	assert_int_equal(cs_time_parse("2026-12-06T14:59:59Z", &t), CS_OK);
	assert_int_equal(risk_today(t), 20261206);
	assert_int_equal(cs_time_parse("2026-12-06T15:00:00Z", &t), CS_OK);
	assert_int_equal(risk_today(t), 20261207);
	assert_int_equal(cs_time_parse("2024-02-29T12:00:00+09:00", &t), CS_OK);
	assert_int_equal(risk_today(t), 20240229);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_configured),
		cmocka_unit_test(test_checklists),
		cmocka_unit_test(test_plan_order),
		cmocka_unit_test(test_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
