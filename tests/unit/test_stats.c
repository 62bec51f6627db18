/*
 * test_stats.c: the statistics aggregator (src/analysis/stats.c) — the
 * fiscal year (April to March) and its quarters in Japan time, months,
 * a report under each of its causes, and small-cell suppression by
 * distinct source organisations.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "analysis/analysis.h"
#include "util/util.h"

static int64_t
at(const char *rfc3339)
{
	int64_t us = 0;

	assert_int_equal(cs_time_parse(rfc3339, &us), CS_OK);
	return us;
}

static void
add(struct stats_acc *a, const char *sector, const char *when, int64_t src,
    const char *c1, const char *c2)
{
	const char *causes[2] = { c1, c2 };
	struct stats_fact f;

	memset(&f, 0, sizeof(f));
	f.sector = sector;
	f.event_type = "event_malware_infection";
	f.causes = causes;
	f.ncauses = c2 != NULL ? 2 : c1 != NULL ? 1 : 0;
	f.route = "direct";
	f.tlp = "amber";
	f.at_us = at(when);
	f.source = src;
	f.to_r_us = f.to_adv_us = -1;
	stats_add(a, &f);
}

static const char *
key_of(json_t *out, size_t i, const char *dim)
{
	return json_string_value(json_object_get(json_object_get(json_array_get(
	    json_object_get(out, "cells"), i), "key"), dim));
}

static json_int_t
count_of(json_t *out, size_t i)
{
	return json_integer_value(json_object_get(json_array_get(
	    json_object_get(out, "cells"), i), "count"));
}

/* 年度 and its quarters begin on 1 April, Japan time. */
static void
test_fiscal_year(void **state)
{
	struct stats_acc *a = stats_new(1u << STATS_FISCAL_YEAR |
	    1u << STATS_QUARTER | 1u << STATS_MONTH);
	json_t *out;

	(void)state;
	add(a, "ict", "2026-03-31T23:59:59+09:00", 1, NULL, NULL);
	/* 15:00 UTC on 31 March is midnight in Tokyo: the new year. */
	add(a, "ict", "2026-03-31T15:00:00+00:00", 1, NULL, NULL);
	add(a, "ict", "2027-01-10T10:00:00+09:00", 1, NULL, NULL);
	out = stats_json(a, 3, false, true);
	assert_int_equal(json_array_size(json_object_get(out, "cells")), 3);
	assert_string_equal(key_of(out, 0, "fiscal_year"), "FY2025");
	assert_string_equal(key_of(out, 0, "quarter"), "FY2025-Q4");
	assert_string_equal(key_of(out, 0, "month"), "2026-03");
	assert_string_equal(key_of(out, 1, "fiscal_year"), "FY2026");
	assert_string_equal(key_of(out, 1, "quarter"), "FY2026-Q1");
	assert_string_equal(key_of(out, 1, "month"), "2026-04");
	assert_string_equal(key_of(out, 2, "fiscal_year"), "FY2026");
	assert_string_equal(key_of(out, 2, "quarter"), "FY2026-Q4");
	json_decref(out);
	stats_free(a);
}

/* A report with two causes counts once under each; without cause, once. */
static void
test_causes(void **state)
{
	struct stats_acc *a = stats_new(1u << STATS_CAUSE);
	struct stats_acc *b = stats_new(1u << STATS_SECTOR);
	json_t *out;

	(void)state;
	add(a, "ict", "2026-11-01T10:00:00+09:00", 1, "cause_a", "cause_b");
	add(a, "ict", "2026-11-02T10:00:00+09:00", 2, "cause_a", NULL);
	out = stats_json(a, 1, false, false);
	assert_string_equal(key_of(out, 0, "cause"), "cause_a");
	assert_int_equal(count_of(out, 0), 2);
	assert_string_equal(key_of(out, 1, "cause"), "cause_b");
	assert_int_equal(count_of(out, 1), 1);
	json_decref(out);
	add(b, "ict", "2026-11-01T10:00:00+09:00", 1, "cause_a", "cause_b");
	out = stats_json(b, 1, false, false);
	assert_int_equal(count_of(out, 0), 1);
	json_decref(out);
	stats_free(a);
	stats_free(b);
}

/* Fewer than k distinct sources: the cell is left out, and counted. */
static void
test_suppression(void **state)
{
	struct stats_acc *a = stats_new(1u << STATS_SECTOR);
	json_t *out;

	(void)state;
	/* finance: five reports from three banks; gas: four from one. */
	for (int i = 0; i < 5; i++)
		add(a, "finance", "2026-11-01T10:00:00+09:00", 10 + i % 3, NULL,
		    NULL);
	for (int i = 0; i < 4; i++)
		add(a, "gas", "2026-11-01T10:00:00+09:00", 20, NULL, NULL);
	out = stats_json(a, 3, true, false);
	assert_int_equal(json_array_size(json_object_get(out, "cells")), 1);
	assert_string_equal(key_of(out, 0, "sector"), "finance");
	assert_int_equal(count_of(out, 0), 5);
	assert_int_equal(json_integer_value(json_object_get(out, "suppressed")), 1);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 5);
	assert_null(json_object_get(json_array_get(json_object_get(out,
	    "cells"), 0), "sources"));
	json_decref(out);
	/* NISC: every cell, with its number of sources. */
	out = stats_json(a, 3, false, true);
	assert_int_equal(json_array_size(json_object_get(out, "cells")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    json_object_get(out, "cells"), 1), "sources")), 1);
	json_decref(out);
	stats_free(a);
}

static void
test_dims(void **state)
{
	struct stats_acc *a = stats_new(1u << STATS_SECTOR);
	json_t *out;

	(void)state;
	/* Nothing to count: no cells, nothing suppressed. */
	out = stats_json(a, 3, true, false);
	assert_int_equal(json_array_size(json_object_get(out, "cells")), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 0);
	json_decref(out);
	stats_free(a);
	assert_int_equal(stats_dim_parse("fiscal_year"), STATS_FISCAL_YEAR);
	assert_int_equal(stats_dim_parse("org"), -1);
	assert_int_equal(stats_dim_parse(NULL), -1);
	assert_string_equal(stats_dim_id(STATS_CAUSE), "cause");
}

static json_int_t
timing(json_t *t, const char *which, const char *fig)
{
	return json_integer_value(json_object_get(json_object_get(t, which), fig));
}

/* Time to the R-number and to an advisory: nearest-rank median and p90. */
static void
test_timings(void **state)
{
	struct stats_acc *a = stats_new(1u << STATS_SECTOR);
	struct stats_fact f;
	json_t *out, *t;
	int64_t v[] = { 40, 10, 30, 20 };

	(void)state;
	/* Ten finance reports from three banks, NISC numbered each after i min. */
	memset(&f, 0, sizeof(f));
	f.sector = "finance";
	f.at_us = at("2026-11-01T10:00:00+09:00");
	for (int i = 1; i <= 10; i++) {
		f.source = i % 3;
		f.to_r_us = (int64_t)i * 60 * 1000000;
		/* An advisory followed only the first two, after 1 h and 3 h. */
		f.to_adv_us = i == 1 ? 3600LL * 1000000 : i == 2 ?
		    3 * 3600LL * 1000000 : -1;
		stats_add(a, &f);
	}
	/* gas: one report, one source, not yet numbered. */
	f.sector = "gas";
	f.source = 9;
	f.to_r_us = f.to_adv_us = -1;
	stats_add(a, &f);
	out = stats_json(a, 3, true, false);
	t = json_object_get(json_array_get(json_object_get(out, "cells"), 0),
	    "timings");
	assert_int_equal(timing(t, "to_r_number", "n"), 10);
	assert_int_equal(timing(t, "to_r_number", "median_s"), 300);
	assert_int_equal(timing(t, "to_r_number", "p90_s"), 540);
	assert_int_equal(timing(t, "to_advisory", "n"), 2);
	assert_int_equal(timing(t, "to_advisory", "median_s"), 3600);
	assert_int_equal(timing(t, "to_advisory", "p90_s"), 3 * 3600);
	/* Overall: four sources, k = 3 is met; the gas report is not numbered. */
	t = json_object_get(out, "timings");
	assert_int_equal(timing(t, "to_r_number", "n"), 10);
	json_decref(out);
	/* k = 5: the overall figures would single out too few sources. */
	out = stats_json(a, 5, true, false);
	assert_true(json_is_null(json_object_get(out, "timings")));
	json_decref(out);
	out = stats_json(a, 5, false, true);
	assert_false(json_is_null(json_object_get(out, "timings")));
	t = json_object_get(json_array_get(json_object_get(out, "cells"), 1),
	    "timings");
	assert_int_equal(timing(t, "to_r_number", "n"), 0);
	assert_true(json_is_null(json_object_get(json_object_get(t,
	    "to_r_number"), "median_s")));
	json_decref(out);
	stats_free(a);
	/* Unsorted input, an even count: the lower middle. */
	out = stats_durations_json(v, 4);
	assert_int_equal(json_integer_value(json_object_get(out, "n")), 4);
	json_decref(out);
	assert_int_equal(v[0], 10);
	assert_int_equal(v[3], 40);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fiscal_year),
		cmocka_unit_test(test_causes),
		cmocka_unit_test(test_suppression),
		cmocka_unit_test(test_dims),
		cmocka_unit_test(test_timings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
