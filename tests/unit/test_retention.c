/*
 * test_retention.c: the pure retention rules (src/core/retention.c): the
 * cut-off per class, which items are due (held ones never, 0 days never,
 * the boundary exclusive), the class names, who may hold and who may
 * erase an anonymised source.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/retention.h"
#include "fixtures.h"

#define NOW	(INT64_C(1800000000) * 1000000)	/* 2027-01-15 */

static void
test_cutoff(void **state)
{
	struct cs_retention r;

	(void)state;
	memset(&r, 0, sizeof(r));
	for (int k = 0; k < RET__COUNT; k++)
		assert_int_equal(retention_cutoff(&r, k, NOW), 0);
	r.days[RET_REPORTS] = 30;
	r.days[RET_STIX] = 1;
	assert_true(retention_cutoff(&r, RET_REPORTS, NOW) == NOW - 30 * RET_DAY_US);
	assert_true(retention_cutoff(&r, RET_STIX, NOW) == NOW - RET_DAY_US);
	assert_int_equal(retention_cutoff(&r, RET_ADVISORIES, NOW), 0);
	/* nonsense: negative, beyond 100 years, out of range, before the epoch */
	r.days[RET_NOTIFICATIONS] = -5;
	assert_int_equal(retention_cutoff(&r, RET_NOTIFICATIONS, NOW), 0);
	r.days[RET_EXERCISES] = RET_MAX_DAYS + 1;
	assert_int_equal(retention_cutoff(&r, RET_EXERCISES, NOW), 0);
	assert_int_equal(retention_cutoff(&r, RET__COUNT, NOW), 0);
	assert_int_equal(retention_cutoff(&r, (enum cs_ret_class)-1, NOW), 0);
	assert_int_equal(retention_cutoff(NULL, RET_REPORTS, NOW), 0);
	assert_int_equal(retention_cutoff(&r, RET_REPORTS, 29 * RET_DAY_US), 0);
}

static void
test_due(void **state)
{
	struct cs_retention r;
	int64_t cut;

	(void)state;
	memset(&r, 0, sizeof(r));
	/* 0 days: nothing is ever due, however old */
	assert_false(retention_due(&r, RET_REPORTS, 0, false, NOW));
	r.days[RET_REPORTS] = 30;
	cut = NOW - 30 * RET_DAY_US;
	assert_true(retention_due(&r, RET_REPORTS, cut - 1, false, NOW));
	assert_false(retention_due(&r, RET_REPORTS, cut, false, NOW));
	assert_false(retention_due(&r, RET_REPORTS, cut + 1, false, NOW));
	assert_false(retention_due(&r, RET_REPORTS, NOW, false, NOW));
	/* held: never, however old */
	assert_false(retention_due(&r, RET_REPORTS, 0, true, NOW));
	assert_false(retention_due(&r, RET_REPORTS, cut - 1, true, NOW));
	/* another class keeps its own period */
	assert_false(retention_due(&r, RET_ADVISORIES, 0, false, NOW));
}

static void
test_names(void **state)
{
	(void)state;
	for (int k = 0; k < RET__COUNT; k++) {
		assert_true(retention_class_id(k)[0] != '\0');
		assert_int_equal(retention_class_of(retention_class_id(k)), k);
	}
	assert_string_equal(retention_class_id(RET_REPORTS), "reports");
	assert_string_equal(retention_class_id(RET__COUNT), "");
	assert_int_equal(retention_class_of("audit"), -1);
	assert_int_equal(retention_class_of(NULL), -1);
}

static void
principal(struct cs_principal *p, int64_t org, enum cs_org_type t,
    unsigned roles)
{
	memset(p, 0, sizeof(*p));
	p->user_id = org * 10;
	p->org_id = org;
	p->org_type = t;
	p->roles = roles;
}

static void
test_may_hold(void **state)
{
	struct cs_principal p;

	(void)state;
	principal(&p, 1, ORG_PLATFORM, ROLE_ADMIN);
	assert_true(retention_may_hold(&p, false));	/* any item, unread */
	principal(&p, 2, ORG_NISC, ROLE_ANALYST);
	assert_true(retention_may_hold(&p, true));
	assert_false(retention_may_hold(&p, false));	/* not one it reads */
	principal(&p, 2, ORG_NISC, ROLE_APPROVER);
	assert_true(retention_may_hold(&p, true));
	principal(&p, 2, ORG_NISC, ROLE_MEMBER);
	assert_false(retention_may_hold(&p, true));
	principal(&p, 3, ORG_CI_MINISTRY, ROLE_LIAISON);
	assert_false(retention_may_hold(&p, true));
	principal(&p, 4, ORG_CI_OPERATOR, ROLE_ORG_ADMIN);
	assert_false(retention_may_hold(&p, true));
	assert_false(retention_may_hold(NULL, true));
	principal(&p, 0, ORG_NISC, ROLE_ANALYST);
	assert_false(retention_may_hold(&p, true));
}

static void
test_may_erase(void **state)
{
	struct cs_principal p;
	struct cs_path_entry path[2];
	struct cs_report_acl r;
	const int64_t SRC = 40, CEP = 30, OTHER = 41, MIN = 20;

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(path, 0, sizeof(path));
	r.id = 7;
	r.anonymised = true;
	core_anon_tag(r.id, SRC, r.anon_tag);
	path[0].org_id = CEP;
	path[0].org_type = ORG_CEPTOAR_SEC;
	path[1].org_id = MIN;
	path[1].org_type = ORG_CI_MINISTRY;
	r.path = path;
	r.npath = 2;
	principal(&p, SRC, ORG_CI_OPERATOR, ROLE_MEMBER);
	assert_true(retention_may_erase_source(&p, &r));	/* the source */
	principal(&p, CEP, ORG_CEPTOAR_SEC, ROLE_POC);
	assert_true(retention_may_erase_source(&p, &r));	/* its secretariat */
	principal(&p, OTHER, ORG_CI_OPERATOR, ROLE_MEMBER);
	assert_false(retention_may_erase_source(&p, &r));
	principal(&p, MIN, ORG_CI_MINISTRY, ROLE_LIAISON);
	assert_false(retention_may_erase_source(&p, &r));
	principal(&p, 1, ORG_PLATFORM, ROLE_ADMIN);
	assert_false(retention_may_erase_source(&p, &r));	/* not even admin */
	/* the tag erased (random bytes): the source is no longer recognised */
	memset(r.anon_tag, 0xa5, sizeof(r.anon_tag));
	principal(&p, SRC, ORG_CI_OPERATOR, ROLE_MEMBER);
	assert_false(retention_may_erase_source(&p, &r));
	/* an identified report has no sealed source */
	r.anonymised = false;
	r.submitter_org = SRC;
	assert_false(retention_may_erase_source(&p, &r));
	assert_false(retention_may_erase_source(NULL, &r));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cutoff),
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_may_hold),
		cmocka_unit_test(test_may_erase),
	};

	return cmocka_run_group_tests(tests, fx_setup_keys, NULL);
}
