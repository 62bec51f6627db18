/*
 * test_survey.c: the yearly survey's scoring and gap ranking
 * (src/core/survey.c; docs/survey.md "Scores", "Gap priority").
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/survey.h"

static void
test_status(void **state)
{
	(void)state;
	assert_int_equal(survey_status_parse("implemented"), SURVEY_IMPLEMENTED);
	assert_int_equal(survey_status_parse("not_applicable"),
	    SURVEY_NOT_APPLICABLE);
	assert_int_equal(survey_status_parse("not_implemented"),
	    SURVEY_NOT_IMPLEMENTED);
	assert_int_equal(survey_status_parse(""), -1);
	assert_int_equal(survey_status_parse("Implemented"), -1);
	assert_int_equal(survey_status_parse(NULL), -1);
	for (int s = 1; s < SURVEY__COUNT; s++)
		assert_int_equal(survey_status_parse(survey_status_id(s)), s);
	assert_string_equal(survey_status_id(99), "");
}

/* 2.1-2.3 are the 2023 edition's "general" items (3 of them). */
static void
test_scores(void **state)
{
	struct survey_answer a[] = {
		{ "shishin2023:2.1", SURVEY_IMPLEMENTED },
		{ "shishin2023:2.2", SURVEY_PARTIAL },
		{ "shishin2023:2.3", SURVEY_NOT_APPLICABLE },
		{ "shishin2015:6.3.2", SURVEY_IMPLEMENTED },	/* other edition */
		{ "shishin2023:3.1.1", SURVEY_PLANNED },
	};
	struct survey_score sc[16];
	size_t n;

	(void)state;
	n = survey_scores("2023", a, 5, sc, 16);
	assert_int_equal(n, 6);			/* overall + 5 categories */
	assert_null(sc[0].category);
	assert_int_equal(sc[0].items, 77);
	assert_int_equal(sc[0].applicable, 76);
	assert_int_equal(sc[0].points, 3);	/* 2 + 1 */
	assert_int_equal(sc[0].percent, 2);	/* round(300 / 152) */
	assert_int_equal(sc[0].count[SURVEY_UNANSWERED], 73);
	assert_string_equal(sc[1].category, "general");
	assert_int_equal(sc[1].items, 3);
	assert_int_equal(sc[1].applicable, 2);
	assert_int_equal(sc[1].percent, 75);	/* (2 + 1) / 4 */
	assert_string_equal(sc[2].category, "organisational_governance");
	assert_int_equal(sc[2].count[SURVEY_PLANNED], 1);
	/* every item not applicable: no percent */
	{
		struct survey_answer na[] = {
			{ "shishin2023:2.1", SURVEY_NOT_APPLICABLE },
			{ "shishin2023:2.2", SURVEY_NOT_APPLICABLE },
			{ "shishin2023:2.3", SURVEY_NOT_APPLICABLE },
		};

		n = survey_scores("2023", na, 3, sc, 16);
		assert_int_equal(sc[1].percent, -1);
	}
	/* the 2015 edition has only the legacy category */
	n = survey_scores("2015", a, 5, sc, 16);
	assert_int_equal(n, 2);
	assert_string_equal(sc[1].category, "legacy");
	assert_int_equal(sc[1].items, 25);
	assert_int_equal(sc[1].points, 2);
	assert_int_equal(survey_scores("2023", a, 5, sc, 0), 0);
}

/* The oracle of the ranking, written from the rule in docs/survey.md. */
static int
lrank(int l)
{
	return l == VOCAB_CL_MANDATORY ? 0 : l == VOCAB_CL_MIXED ? 1 :
	    l == VOCAB_CL_RECOMMENDED ? 2 : 3;
}

static int
prank(int p)
{
	return p == VOCAB_PDCA_PLAN ? 0 : p == VOCAB_PDCA_DO ? 1 : 2;
}

static int
grank(int s)
{
	return s == SURVEY_PARTIAL ? 2 : s == SURVEY_PLANNED ? 1 : 0;
}

static void
test_gaps(void **state)
{
	static struct survey_answer a[80];
	static struct survey_gap g[80];
	size_t n = 0, ng;
	int st[] = { SURVEY_IMPLEMENTED, SURVEY_PARTIAL, SURVEY_PLANNED,
	    SURVEY_NOT_APPLICABLE, SURVEY_NOT_IMPLEMENTED, SURVEY_UNANSWERED };

	(void)state;
	for (size_t i = 0; i < vocab_controls_n; i++)
		if (strcmp(vocab_controls[i].edition, "2023") == 0) {
			a[n].control = vocab_controls[i].id;
			a[n].status = st[n % 6];
			n++;
		}
	assert_int_equal(n, 77);
	ng = survey_gaps("2023", a, n, g, 80);
	/* partial, planned, not implemented, unanswered: 4 of every 6 */
	{
		size_t want = 0;

		for (size_t i = 0; i < n; i++)
			want += a[i].status != SURVEY_IMPLEMENTED &&
			    a[i].status != SURVEY_NOT_APPLICABLE;
		assert_int_equal(ng, want);
	}
	for (size_t i = 0; i < ng; i++) {
		assert_int_equal(g[i].rank, (int)i + 1);
		assert_true(g[i].status != SURVEY_IMPLEMENTED &&
		    g[i].status != SURVEY_NOT_APPLICABLE);
		if (i == 0)
			continue;
		/* non-decreasing in (level, pdca, gap size, -mandatory, order) */
		{
			const struct survey_gap *p = &g[i - 1], *q = &g[i];
			int k1[5] = { lrank(p->c->level), prank(p->c->pdca),
			    grank(p->status), -p->c->n_mandatory, (int)(p->c -
			    vocab_controls) };
			int k2[5] = { lrank(q->c->level), prank(q->c->pdca),
			    grank(q->status), -q->c->n_mandatory, (int)(q->c -
			    vocab_controls) };
			int d = 0;

			for (int k = 0; k < 5 && d == 0; k++)
				d = (k1[k] > k2[k]) - (k1[k] < k2[k]);
			assert_true(d < 0);
		}
	}
	/* a not-implemented mandatory Plan item outranks a partial one */
	{
		struct survey_answer b[] = {
			{ "shishin2023:2.1", SURVEY_PARTIAL },
			{ "shishin2023:2.2", SURVEY_NOT_IMPLEMENTED },
		};
		struct survey_gap h[80];
		size_t k = 0, m;

		m = survey_gaps("2023", b, 2, h, 80);
		assert_int_equal(m, 77);	/* 75 unanswered + 2 */
		for (size_t i = 0; i < m; i++)
			if (strcmp(h[i].c->id, "shishin2023:2.2") == 0)
				k = i;
		for (size_t i = 0; i < m; i++)
			if (strcmp(h[i].c->id, "shishin2023:2.1") == 0)
				assert_true(k < i);
	}
	assert_int_equal(survey_gaps("2023", a, n, g, 3), 3);
	assert_int_equal(survey_gaps(NULL, a, n, g, 80), 0);
}

static void
test_bucket(void **state)
{
	(void)state;
	assert_int_equal(survey_bucket(-1), 0);
	assert_int_equal(survey_bucket(0), 0);
	assert_int_equal(survey_bucket(19), 0);
	assert_int_equal(survey_bucket(20), 1);
	assert_int_equal(survey_bucket(79), 3);
	assert_int_equal(survey_bucket(80), 4);
	assert_int_equal(survey_bucket(100), 4);
}

/* Who sees, answers and oversees a campaign (core/policy.c). */
static void
test_policy(void **state)
{
	uint32_t fin = 1u << core_sector_parse("finance");
	uint32_t ele = 1u << core_sector_parse("electricity");
	uint32_t gas = 1u << core_sector_parse("gas");
	struct cs_principal nisc = { .org_id = 1, .org_type = ORG_NISC };
	struct cs_principal fsa = { .org_id = 2, .org_type = ORG_CI_MINISTRY,
	    .org_sectors = fin };
	struct cs_principal bank = { .org_id = 3, .org_type = ORG_CI_OPERATOR,
	    .org_sectors = fin, .roles = ROLE_MEMBER };
	struct cs_principal gasop = { .org_id = 4, .org_type = ORG_CI_OPERATOR,
	    .org_sectors = gas };
	struct cs_principal cep = { .org_id = 5, .org_type = ORG_CEPTOAR_SEC,
	    .org_sectors = fin };

	(void)state;
	assert_true(policy_survey_may_see(&nisc, fin | ele));
	assert_true(policy_survey_may_see(&fsa, fin | ele));
	assert_false(policy_survey_may_see(&fsa, ele));
	assert_true(policy_survey_may_see(&bank, fin));
	assert_false(policy_survey_may_see(&gasop, fin | ele));
	assert_false(policy_survey_may_see(&cep, fin));
	assert_false(policy_survey_may_see(NULL, fin));
	assert_true(policy_survey_may_answer(&bank, fin | ele));
	assert_false(policy_survey_may_answer(&gasop, fin));
	assert_false(policy_survey_may_answer(&fsa, fin));
	assert_false(policy_survey_may_answer(&nisc, fin));
	assert_int_equal(policy_survey_oversight(&nisc, fin | ele), fin | ele);
	assert_int_equal(policy_survey_oversight(&fsa, fin | ele), fin);
	assert_int_equal(policy_survey_oversight(&fsa, ele), 0);
	assert_int_equal(policy_survey_oversight(&bank, fin), 0);
	/* answers: its own; NISC and its ministries only once shared */
	assert_true(policy_survey_answers_may_read(&bank, 3, fin, false));
	assert_false(policy_survey_answers_may_read(&fsa, 3, fin, false));
	assert_true(policy_survey_answers_may_read(&fsa, 3, fin, true));
	assert_false(policy_survey_answers_may_read(&fsa, 4, gas, true));
	assert_false(policy_survey_answers_may_read(&nisc, 3, fin, false));
	assert_true(policy_survey_answers_may_read(&nisc, 3, fin, true));
	assert_false(policy_survey_answers_may_read(&gasop, 3, fin, true));
}

/* The body check: the first bad member named, both editions. */
static void
test_check(void **state)
{
	static const struct { const char *ed, *body, *field; } c[] = {
		{ "2023", "{\"shishin2023:2.1\": {\"status\": \"implemented\"}}", NULL },
		{ "2023", "{\"shishin2023:2.1\": {\"status\": \"done\"}}", "items.shishin2023:2.1.status" },
		{ "2023", "{\"shishin2023:2.1\": {}}", "items.shishin2023:2.1.status" },
		{ "2023", "{\"shishin2023:2.2\": {\"status\": \"not_applicable\"}}", "items.shishin2023:2.2.note" },
		{ "2023", "{\"shishin2023:2.2\": {\"status\": \"not_applicable\", \"note\": \"なし\"}}", NULL },
		{ "2023", "{\"shishin2015:6.3.2\": {\"status\": \"partial\"}}", "items.shishin2015:6.3.2" },
		{ "2015", "{\"shishin2015:6.3.2\": {\"status\": \"partial\"}}", NULL },
		{ "2023", "{\"shishin2023:2.1\": {\"status\": \"partial\", \"x\": 1}}", "items.shishin2023:2.1.x" },
		{ "2023", "{\"shishin2023:2.1\": {\"status\": \"partial\", \"owner\": 1}}", "items.shishin2023:2.1.owner" },
		{ "2023", "{\"shishin2023:2.1\": 1}", "items.shishin2023:2.1" },
		{ "2023", "{}", "items" },
		{ "2023", "[]", "items" },
		{ "1999", "{\"shishin2023:2.1\": {\"status\": \"implemented\"}}", "edition" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		json_t *j = json_loads(c[i].body, 0, NULL);
		struct cs_error e;
		enum cs_err rc;

		assert_non_null(j);
		memset(&e, 0, sizeof(e));
		rc = survey_answers_check(c[i].ed, j, &e);
		if (c[i].field == NULL)
			assert_int_equal(rc, CS_OK);
		else {
			assert_int_equal(rc, CS_EINVAL);
			assert_string_equal(e.field, c[i].field);
		}
		json_decref(j);
	}
}

/* The catalogue's related links between editions, both ways. */
static void
test_related(void **state)
{
	const struct vocab_control *a = vocab_control_find("2015", "shishin2015:II.4");
	const struct vocab_control *b = vocab_control_find("2023", "shishin2023:3.4");
	const struct vocab_control *c = vocab_control_find("2023", "shishin2023:3.5");

	(void)state;
	assert_non_null(a);
	assert_true(survey_related(a, b));
	assert_true(survey_related(b, a));
	assert_true(survey_related(b, b));
	assert_false(survey_related(a, c));
	assert_false(survey_related(NULL, b));
	/* pointers into other spec files are not control links */
	assert_null(strstr(vocab_control_find("2015", "shishin2015:II.3")->related,
	    ".json"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_scores),
		cmocka_unit_test(test_gaps),
		cmocka_unit_test(test_bucket),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_related),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
