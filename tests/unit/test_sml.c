/*
 * test_sml.c: the service-maintenance-level evaluation (src/analysis/sml.c)
 * at, below and above every boundary of every numeric rule generated from
 * data/sectors.json, and the cases a person meets: a level that is text,
 * figures missing, an outage still going on, the facility a broadcasting
 * rule depends on, a reporter who ticked the other answer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "analysis/analysis.h"
#include "util/util.h"

#define START	"2026-11-21T10:00:00+09:00"

static int64_t start_us;

/* A form for rule r with every figure at its minimum plus delta[i]. */
static json_t *
form_for(const struct vocab_sml_rule *r, const long long *delta)
{
	int s = vocab_index(vocab_service, r->service);
	json_t *im = json_pack("{s:s}", "service", r->service);
	char end[40];

	if (r->facility != NULL)
		json_object_set_new(im, "facility", json_string(r->facility));
	for (int i = 0; i < r->ncond; i++) {
		long long v = r->cond[i].min + delta[i];

		switch (r->cond[i].metric) {
		case VOCAB_SML_USERS:
			json_object_set_new(im, "affected_users", json_integer(v));
			break;
		case VOCAB_SML_HOUSEHOLDS:
			json_object_set_new(im, "households", json_integer(v));
			break;
		case VOCAB_SML_KW:
			json_object_set_new(im, "disrupted_supply_kw",
			    json_integer(v));
			break;
		case VOCAB_SML_SECONDS:
			cs_time_format(start_us + v * 1000000, end, sizeof(end));
			json_object_set_new(im, "started_at", json_string(START));
			json_object_set_new(im, "ended_at", json_string(end));
			break;
		}
	}
	return json_pack("{s:s, s:o}", "sector", vocab_service[s].parent,
	    "impact", im);
}

static enum sml_eval
eval(json_t *form, int64_t at_us, struct sml_result *res)
{
	analysis_sml_eval(form, at_us, res);
	json_decref(form);
	return res->eval;
}

/* Every rule: at the boundary a breach, one below on any figure none. */
static void
test_every_boundary(void **state)
{
	const struct vocab_sml_rule *r;
	struct sml_result res;
	long long d[8];
	int rules = 0;

	(void)state;
	for (r = vocab_sml_rules; r->id != NULL; r++) {
		rules++;
		assert_true(r->ncond >= 1 && r->ncond <= 8);
		memset(d, 0, sizeof(d));
		assert_int_equal(eval(form_for(r, d), start_us, &res),
		    SML_DEVIATION);
		assert_ptr_equal(res.rule, r);
		for (int i = 0; i < r->ncond; i++) {
			memset(d, 0, sizeof(d));
			d[i] = -1;
			if (eval(form_for(r, d), start_us, &res) !=
			    SML_NO_DEVIATION)
				fail_msg("%s: condition %d one below its minimum "
				    "is not no_deviation", r->id, i);
			d[i] = 1;
			assert_int_equal(eval(form_for(r, d), start_us, &res),
			    SML_DEVIATION);
		}
	}
	/* 電気通信, 放送 (three rules), ケーブルテレビ, 電力 (two), ガス (two). */
	assert_int_equal(rules, 9);
}

/* The action plan's own figures, spelled out. */
static void
test_named_levels(void **state)
{
	struct sml_result res;
	json_t *f;

	(void)state;
	/* 電気通信: 30,000 users for 2 hours. */
	f = json_pack("{s:s, s:{s:s, s:i, s:s, s:s}}", "sector", "ict",
	    "impact", "service", "ict.g01.s01", "affected_users", 30000,
	    "started_at", START, "ended_at", "2026-11-21T12:00:00+09:00");
	assert_int_equal(eval(f, start_us, &res), SML_DEVIATION);
	assert_string_equal(res.rule->id, "ict.g01.s01");
	f = json_pack("{s:s, s:{s:s, s:i, s:s, s:s}}", "sector", "ict",
	    "impact", "service", "ict.g01.s01", "affected_users", 29999,
	    "started_at", START, "ended_at", "2026-11-21T13:00:00+09:00");
	assert_int_equal(eval(f, start_us, &res), SML_NO_DEVIATION);
	/* 電力: 100,000 kW for 10 minutes, 9 min 59 s is not. */
	f = json_pack("{s:s, s:{s:s, s:i, s:s, s:s}}", "sector",
	    "electricity", "impact", "service", "electricity.g01.s01",
	    "disrupted_supply_kw", 150000, "started_at", START, "ended_at",
	    "2026-11-21T10:09:59+09:00");
	assert_int_equal(eval(f, start_us, &res), SML_NO_DEVIATION);
	/* ガス: 30 households, no duration. */
	f = json_pack("{s:s, s:{s:s, s:i}}", "sector", "gas", "impact",
	    "service", "gas.g01.s01", "households", 30);
	assert_int_equal(eval(f, start_us, &res), SML_DEVIATION);
}

/* An outage still going on: the time so far counts, and may yet grow. */
static void
test_ongoing(void **state)
{
	struct sml_result res;
	json_t *f;

	(void)state;
	f = json_pack("{s:s, s:{s:s, s:i, s:s, s:b}}", "sector", "ict",
	    "impact", "service", "ict.g01.s01", "affected_users", 50000,
	    "started_at", START, "ongoing", 1);
	assert_int_equal(eval(json_deep_copy(f), start_us + 3600 * 1000000LL,
	    &res), SML_INSUFFICIENT);
	assert_int_equal(eval(f, start_us + 2 * 3600 * 1000000LL, &res),
	    SML_DEVIATION);
}

/* Broadcasting: 15 minutes, or 2 hours for relay-station radio equipment. */
static void
test_broadcast_facility(void **state)
{
	struct sml_result res;
	json_t *f;
	const char *end = "2026-11-21T10:30:00+09:00";	/* 30 minutes */

	(void)state;
	f = json_pack("{s:s, s:{s:s, s:s, s:s}}", "sector", "ict", "impact",
	    "service", "ict.g02.s01", "started_at", START, "ended_at", end);
	/* Without the facility the rules disagree: a person must say. */
	assert_int_equal(eval(f, start_us, &res), SML_INSUFFICIENT);
	f = json_pack("{s:s, s:{s:s, s:s, s:s, s:s}}", "sector", "ict",
	    "impact", "service", "ict.g02.s01", "facility", "中継局の無線設備",
	    "started_at", START, "ended_at", end);
	assert_int_equal(eval(f, start_us, &res), SML_NO_DEVIATION);
	assert_string_equal(res.rule->facility, "中継局の無線設備");
	f = json_pack("{s:s, s:{s:s, s:s, s:s, s:s}}", "sector", "ict",
	    "impact", "service", "ict.g02.s01", "facility", "基幹放送設備",
	    "started_at", START, "ended_at", end);
	assert_int_equal(eval(f, start_us, &res), SML_DEVIATION);
	/* Three hours breach every rule: the facility does not matter. */
	f = json_pack("{s:s, s:{s:s, s:s, s:s}}", "sector", "ict", "impact",
	    "service", "ict.g02.s01", "started_at", START, "ended_at",
	    "2026-11-21T13:00:00+09:00");
	assert_int_equal(eval(f, start_us, &res), SML_DEVIATION);
}

/* Text levels, missing figures, the only service, a disagreeing tick. */
static void
test_text_and_missing(void **state)
{
	struct sml_result res;
	json_t *f, *j;

	(void)state;
	f = json_pack("{s:s, s:{s:s}}", "sector", "finance", "impact",
	    "service_level_deviation", "yes");
	assert_int_equal(eval(f, start_us, &res), SML_NOT_NUMERIC);
	assert_false(res.disagrees);
	f = json_pack("{s:s, s:{s:s}}", "sector", "ict", "impact", "service",
	    "ict.g01.s01");
	assert_int_equal(eval(f, start_us, &res), SML_INSUFFICIENT);
	/* ICT has three services: which one is not to be guessed. */
	f = json_pack("{s:s}", "sector", "ict");
	assert_int_equal(eval(f, start_us, &res), SML_INSUFFICIENT);
	assert_int_equal(res.service, -1);
	/* Gas figures, and the reporter ticked 無: the server disagrees. */
	f = json_pack("{s:s, s:{s:s, s:i, s:s}}", "sector", "gas", "impact",
	    "service", "gas.g01.s02", "households", 120,
	    "service_level_deviation", "no");
	assert_int_equal(eval(f, start_us, &res), SML_DEVIATION);
	assert_true(res.disagrees);
	j = analysis_sml_json(&res);
	assert_string_equal(json_string_value(json_object_get(j, "evaluated")),
	    "deviation");
	assert_string_equal(json_string_value(json_object_get(j, "reported")),
	    "no");
	assert_true(json_is_true(json_object_get(j, "disagrees")));
	assert_non_null(strstr(json_string_value(json_object_get(j, "text_ja")),
	    "30"));
	assert_non_null(strstr(json_string_value(json_object_get(j,
	    "citation")), "001_"));
	json_decref(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_boundary),
		cmocka_unit_test(test_named_levels),
		cmocka_unit_test(test_ongoing),
		cmocka_unit_test(test_broadcast_facility),
		cmocka_unit_test(test_text_and_missing),
	};

	if (cs_time_parse(START, &start_us) != CS_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
