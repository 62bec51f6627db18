/*
 * test_policy_fed.c: federation in the core policy (docs/interop.md
 * "Federation"), cell by cell.  The oracle, written from the rule and
 * never from the code: a peer node's account (fed_peer) never receives a
 * TLP:RED item nor a drill's; for every other principal the federation
 * check adds nothing (the read policy decides).  The read policies refuse
 * RED to a peer account where the same organisation, not a peer's, reads
 * it; the same for contributed STIX objects.  The federated inbox is
 * for NISC's users (an nda_contractor never reads AMBER+STRICT or RED
 * there either).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/core.h"

#define SECTOR	3

static struct cs_principal
who(enum cs_org_type t, bool peer)
{
	struct cs_principal p;

	memset(&p, 0, sizeof(p));
	p.user_id = 7;
	p.org_id = 501;
	p.org_type = t;
	p.org_sectors = 1u << SECTOR;
	p.roles = ROLE_ANALYST | ROLE_LIAISON | ROLE_MEMBER;
	p.fed_peer = peer;
	return p;
}

static void
test_may_send(void **state)
{
	(void)state;
	for (int t = 0; t < ORG__COUNT; t++)
		for (int tlp = TLP_RED; tlp <= TLP_CLEAR; tlp++)
			for (int d = 0; d < 2; d++) {
				struct cs_principal p = who((enum cs_org_type)t, false);
				struct cs_principal q = who((enum cs_org_type)t, true);

				assert_true(policy_federation_may_send(&p,
				    (enum cs_tlp)tlp, d));
				assert_int_equal(policy_federation_may_send(&q,
				    (enum cs_tlp)tlp, d), tlp != TLP_RED && !d);
			}
	assert_false(policy_federation_may_send(NULL, TLP_CLEAR, false));
}

static void
test_advisory_read(void **state)
{
	static const int64_t delivered[] = { 501 };
	struct cs_advisory_acl a;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.id = 9;
	a.state = ADV_ISSUED;
	a.sectors = 1u << SECTOR;
	a.delivered = delivered;
	a.ndelivered = 1;
	for (int tlp = TLP_RED; tlp <= TLP_CLEAR; tlp++) {
		struct cs_principal nisc = who(ORG_NISC, false);
		struct cs_principal nisc_peer = who(ORG_NISC, true);
		struct cs_principal min = who(ORG_CI_MINISTRY, false);
		struct cs_principal min_peer = who(ORG_CI_MINISTRY, true);

		a.tlp = (enum cs_tlp)tlp;
		/* the addressee ministry reads every level, RED included ... */
		assert_true(policy_advisory_may_read(&min, &a));
		assert_true(policy_advisory_may_read(&nisc, &a));
		/* ... a peer account of the same organisation never RED */
		assert_int_equal(policy_advisory_may_read(&min_peer, &a),
		    tlp != TLP_RED);
		assert_int_equal(policy_advisory_may_read(&nisc_peer, &a),
		    tlp != TLP_RED);
	}
}

static void
test_report_read(void **state)
{
	struct cs_path_entry path[] = { { 501, ORG_CI_MINISTRY, 1 },
	    { 777, ORG_NISC, 2 } };
	struct cs_report_acl r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.id = 12;
	r.sector = SECTOR;
	r.submitter_org = 300;
	r.path = path;
	r.npath = 2;
	for (int tlp = TLP_RED; tlp <= TLP_CLEAR; tlp++) {
		struct cs_principal min = who(ORG_CI_MINISTRY, false);
		struct cs_principal min_peer = who(ORG_CI_MINISTRY, true);

		r.tlp = (enum cs_tlp)tlp;
		assert_true(policy_report_may_read(&min, &r));
		assert_int_equal(policy_report_may_read(&min_peer, &r),
		    tlp != TLP_RED);
	}
}

static void
test_contribution_read(void **state)
{
	(void)state;
	for (int tlp = TLP_RED; tlp <= TLP_CLEAR; tlp++) {
		struct cs_principal nisc = who(ORG_NISC, false);
		struct cs_principal nisc_peer = who(ORG_NISC, true);
		struct cs_principal ag_peer = who(ORG_CS_AGENCY, true);

		assert_true(policy_contribution_may_read(&nisc, 900, (enum cs_tlp)tlp));
		assert_int_equal(policy_contribution_may_read(&nisc_peer, 900,
		    (enum cs_tlp)tlp), tlp != TLP_RED);
		/* its own contributions too: never RED to a peer's account */
		assert_int_equal(policy_contribution_may_read(&ag_peer, 501,
		    (enum cs_tlp)tlp), tlp != TLP_RED);
		assert_false(policy_contribution_may_read(&ag_peer, 900,
		    (enum cs_tlp)tlp));
	}
}

static void
test_federated_inbox(void **state)
{
	(void)state;
	for (int t = 0; t < ORG__COUNT; t++)
		for (int tlp = TLP_RED; tlp <= TLP_CLEAR; tlp++) {
			struct cs_principal p = who((enum cs_org_type)t, false);

			assert_int_equal(policy_federated_may_read(&p,
			    (enum cs_tlp)tlp), t == ORG_NISC);
			p.nda_contractor = true;
			assert_int_equal(policy_federated_may_read(&p,
			    (enum cs_tlp)tlp), t == ORG_NISC &&
			    tlp > TLP_AMBER_STRICT);
			p.org_id = 0;
			assert_false(policy_federated_may_read(&p, (enum cs_tlp)tlp));
		}
	assert_false(policy_federated_may_read(NULL, TLP_CLEAR));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_may_send),
		cmocka_unit_test(test_advisory_read),
		cmocka_unit_test(test_report_read),
		cmocka_unit_test(test_contribution_read),
		cmocka_unit_test(test_federated_inbox),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
