/*
 * test_flow.c: the report and advisory life-cycle rules (src/core/flow.c):
 * route vs legal duty, initial states, how far a version has travelled,
 * the reach of a share, which versions a forward moves and the state it
 * leaves, TLP narrowing, four-eyes approval and widening requests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/flow.h"

static void
test_route_check(void **state)
{
	struct cs_error e;

	(void)state;
	assert_int_equal(flow_report_route_check(ROUTE_DIRECT, true, &e), CS_OK);
	assert_int_equal(flow_report_route_check(ROUTE_URGENT, true, &e), CS_OK);
	assert_int_equal(flow_report_route_check(ROUTE_VIA_CEPTOAR, false, &e),
	    CS_OK);
	memset(&e, 0, sizeof(e));
	assert_int_equal(flow_report_route_check(ROUTE_VIA_CEPTOAR, true, &e),
	    CS_EINVAL);
	assert_string_equal(e.field, "route");
}

static void
test_initial_state(void **state)
{
	(void)state;
	assert_int_equal(flow_report_initial_state(ROUTE_DIRECT), ST_AT_MINISTRY);
	assert_int_equal(flow_report_initial_state(ROUTE_VIA_CEPTOAR),
	    ST_AT_CEPTOAR);
	assert_int_equal(flow_report_initial_state(ROUTE_URGENT), ST_AT_NISC);
	assert_true(flow_report_numbered_at_source(ROUTE_URGENT));
	assert_false(flow_report_numbered_at_source(ROUTE_DIRECT));
	assert_false(flow_report_numbered_at_source(ROUTE_VIA_CEPTOAR));
}

static void
test_version_reached(void **state)
{
	(void)state;
	/* No row at all: nowhere yet. */
	assert_int_equal(flow_version_reached(ROUTE_DIRECT, false, false, false),
	    ST_AT_CEPTOAR);
	/* Direct: at the ministry until it completes it for NISC. */
	assert_int_equal(flow_version_reached(ROUTE_DIRECT, true, false, false),
	    ST_AT_MINISTRY);
	assert_int_equal(flow_version_reached(ROUTE_DIRECT, true, false, true),
	    ST_AT_NISC);
	/* Anonymised: at the secretariat until it forwards. */
	assert_int_equal(flow_version_reached(ROUTE_VIA_CEPTOAR, true, false,
	    false), ST_AT_CEPTOAR);
	assert_int_equal(flow_version_reached(ROUTE_VIA_CEPTOAR, true, true,
	    false), ST_AT_MINISTRY);
	assert_int_equal(flow_version_reached(ROUTE_VIA_CEPTOAR, true, true,
	    true), ST_AT_NISC);
	/* Urgent: at NISC at once. */
	assert_int_equal(flow_version_reached(ROUTE_URGENT, true, false, false),
	    ST_AT_NISC);
}

static void
test_share_reach(void **state)
{
	const struct cs_path_entry path[] = {
		{ 10, ORG_CEPTOAR_SEC, 1 }, { 20, ORG_CI_MINISTRY, 2 },
		{ 30, ORG_NISC, 3 }
	};

	(void)state;
	assert_int_equal(flow_share_reach(10, 0, path, 3), ST_AT_CEPTOAR);
	assert_int_equal(flow_share_reach(20, 0, path, 3), ST_AT_MINISTRY);
	assert_int_equal(flow_share_reach(30, 0, path, 3), ST_AT_NISC);
	/* The submitter shares what it sent. */
	assert_int_equal(flow_share_reach(5, 5, path, 3), ST_AT_CEPTOAR);
	/* Anyone else (not on the path): only what reached NISC. */
	assert_int_equal(flow_share_reach(99, 5, path, 3), ST_AT_NISC);
	assert_int_equal(flow_share_reach(99, 5, NULL, 0), ST_AT_NISC);
}

static void
test_forward_hop(void **state)
{
	struct cs_error e;
	enum cs_hop h;

	(void)state;
	assert_int_equal(flow_forward_hop(REL_CEPTOAR, &h, &e), CS_OK);
	assert_int_equal(h, HOP_CEPTOAR);
	assert_int_equal(flow_forward_hop(REL_MINISTRY, &h, &e), CS_OK);
	assert_int_equal(h, HOP_MINISTRY);
	assert_int_equal(flow_forward_hop(REL_NISC, &h, &e), CS_EPERM);
	assert_int_equal(flow_forward_hop(REL_SUBMITTER, &h, &e), CS_EPERM);
	assert_int_equal(flow_forward_hop(REL_SHARED, &h, &e), CS_EPERM);
	assert_int_equal(flow_forward_hop(REL_NONE, &h, &e), CS_EPERM);
}

/* Which versions a forward moves, case by case. */
static void
test_forward_plan(void **state)
{
	static const struct {
		enum cs_hop	hop;
		int		n;
		struct flow_version v[5];	/* at_hop, reached */
		enum cs_err	rc;
		int		last;
		bool		moves[5];
	} cases[] = {
		/*
		 * 1 and 2 done, 3 at the ministry, 4 still at the secretariat,
		 * 5 at the ministry: from the first to the last that may move,
		 * nothing is left behind.
		 */
		{ HOP_MINISTRY, 5, { { true, ST_AT_NISC, false },
		  { true, ST_AT_NISC, false }, { false, ST_AT_MINISTRY, false },
		  { false, ST_AT_CEPTOAR, false }, { false, ST_AT_MINISTRY, false } },
		  CS_OK, 5, { false, false, true, true, true } },
		/* The secretariat forwards what it still holds. */
		{ HOP_CEPTOAR, 3, { { true, ST_AT_MINISTRY, false },
		  { false, ST_AT_CEPTOAR, false }, { false, ST_AT_CEPTOAR, false } },
		  CS_OK, 3, { false, true, true } },
		/* Everything has left the hop. */
		{ HOP_MINISTRY, 2, { { true, ST_AT_NISC, false },
		  { true, ST_AT_NISC, false } }, CS_ECONFLICT, 0, { false } },
		/* The ministry cannot forward what the secretariat still holds. */
		{ HOP_MINISTRY, 1, { { false, ST_AT_CEPTOAR, false } },
		  CS_ECONFLICT, 0, { false } },
		{ HOP_CEPTOAR, 0, { { false, ST_AT_CEPTOAR, false } },
		  CS_ECONFLICT, 0, { false } },
	};
	struct cs_error e;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct flow_version v[5];
		int last = -1;

		memcpy(v, cases[i].v, sizeof(v));
		assert_int_equal(flow_forward_plan(cases[i].hop, v, cases[i].n,
		    &last, &e), cases[i].rc);
		assert_int_equal(last, cases[i].last);
		for (int k = 0; cases[i].rc == CS_OK && k < cases[i].n; k++)
			assert_int_equal(v[k].moves, cases[i].moves[k]);
	}
}

static void
test_forward_state(void **state)
{
	(void)state;
	assert_int_equal(flow_forward_state(HOP_CEPTOAR, ST_AT_CEPTOAR),
	    ST_AT_MINISTRY);
	assert_int_equal(flow_forward_state(HOP_CEPTOAR, ST_AT_NISC), ST_AT_NISC);
	assert_int_equal(flow_forward_state(HOP_MINISTRY, ST_AT_MINISTRY),
	    ST_AT_NISC);
	assert_true(flow_forward_numbers(HOP_MINISTRY));
	assert_false(flow_forward_numbers(HOP_CEPTOAR));
}

static void
test_tlp(void **state)
{
	struct cs_error e;

	(void)state;
	assert_int_equal(flow_tlp_check(TLP_AMBER, TLP_AMBER, false, &e), CS_OK);
	assert_int_equal(flow_tlp_check(TLP_AMBER, TLP_RED, false, &e), CS_OK);
	memset(&e, 0, sizeof(e));
	assert_int_equal(flow_tlp_check(TLP_AMBER, TLP_GREEN, false, &e),
	    CS_EINVAL);
	assert_string_equal(e.field, "form.tlp");
	assert_string_equal(e.msg, "a follow-up may narrow the sharing range "
	    "but not widen it (now amber)");
	assert_int_equal(flow_tlp_check(TLP_GREEN, TLP_AMBER_STRICT, true, &e),
	    CS_OK);
	memset(&e, 0, sizeof(e));
	assert_int_equal(flow_tlp_check(TLP_GREEN, TLP_CLEAR, true, &e), CS_EINVAL);
	assert_string_equal(e.field, "form.tlp");
	assert_string_equal(e.msg, "a hop may narrow the sharing range but not "
	    "widen it (received green)");
	assert_int_equal(flow_tlp_narrowed(TLP_GREEN, TLP_RED), TLP_RED);
	assert_int_equal(flow_tlp_narrowed(TLP_RED, TLP_GREEN), TLP_RED);
}

static void
test_adv_approval(void **state)
{
	(void)state;
	assert_true(flow_adv_needs_approval(true, false, IMP_ALERT));
	assert_false(flow_adv_needs_approval(true, false, IMP_CAUTION));
	assert_false(flow_adv_needs_approval(false, false, IMP_ALERT));
	assert_true(flow_adv_needs_approval(false, true, IMP_REFERENCE));
	assert_true(flow_adv_needs_approval(false, true, IMP_NONE));
}

static void
test_adv_source_review(void **state)
{
	(void)state;
	/* A refusal wins over everything; pending holds; then four eyes. */
	assert_int_equal(flow_adv_hold(1, 1, true, true), ADV_RETURNED);
	assert_int_equal(flow_adv_hold(0, 1, false, false), ADV_RETURNED);
	assert_int_equal(flow_adv_hold(2, 0, false, false),
	    ADV_PENDING_SOURCE_REVIEW);
	assert_int_equal(flow_adv_hold(1, 0, true, true),
	    ADV_PENDING_SOURCE_REVIEW);
	assert_int_equal(flow_adv_hold(0, 0, true, false), ADV_PENDING_APPROVAL);
	assert_int_equal(flow_adv_hold(0, 0, true, true), ADV_ISSUED);
	assert_int_equal(flow_adv_hold(0, 0, false, false), ADV_ISSUED);
	assert_true(flow_adv_version_released(0, 0));
	assert_false(flow_adv_version_released(1, 0));
	assert_false(flow_adv_version_released(0, 1));
	assert_true(flow_adv_may_approve(ADV_PENDING_APPROVAL));
	assert_true(flow_adv_may_approve(ADV_PENDING_SOURCE_REVIEW));
	assert_false(flow_adv_may_approve(ADV_ISSUED));
	assert_false(flow_adv_may_approve(ADV_RETURNED));
}

static void
test_widening_wider(void **state)
{
	(void)state;
	/* Same TLP, own sector only: not wider. */
	assert_false(flow_widening_wider(TLP_AMBER, 1u << 3, TLP_AMBER, 3));
	assert_false(flow_widening_wider(TLP_RED, 0, TLP_AMBER, 3));
	assert_true(flow_widening_wider(TLP_GREEN, 0, TLP_AMBER, 3));
	assert_true(flow_widening_wider(TLP_AMBER, 1u << 4, TLP_AMBER, 3));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_check),
		cmocka_unit_test(test_initial_state),
		cmocka_unit_test(test_version_reached),
		cmocka_unit_test(test_share_reach),
		cmocka_unit_test(test_forward_hop),
		cmocka_unit_test(test_forward_plan),
		cmocka_unit_test(test_forward_state),
		cmocka_unit_test(test_tlp),
		cmocka_unit_test(test_adv_approval),
		cmocka_unit_test(test_adv_source_review),
		cmocka_unit_test(test_widening_wider),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
