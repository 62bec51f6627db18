/*
 * test_disclosure.c: the disclosure basis in core (src/core/disclosure.c,
 * issue 10 item 10): the basis vocabulary, the check of a client's body,
 * who may record one (NISC analyst/approver or a ministry liaison on the
 * report's path; an invisible report is "no such report"), and what a
 * share under one changes in the policy: a target outside the TLP ceiling
 * is allowed, and reads the report; without one it is refused as before.
 * Expectations from API.md "Disclosure basis" and docs/policy.md.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/core.h"

static void
test_basis_ids(void **state)
{
	enum cs_disclosure_basis b;

	(void)state;
	assert_string_equal(core_disclosure_basis_id(DISC_LAW), "law");
	assert_string_equal(core_disclosure_basis_id(DISC_CONSENT), "consent");
	assert_string_equal(core_disclosure_basis_id(DISC_PUBLIC_INTEREST),
	    "public_interest");
	assert_string_equal(core_disclosure_basis_id((enum cs_disclosure_basis)3),
	    "unknown");
	assert_int_equal(core_disclosure_basis_parse("consent", &b), 0);
	assert_int_equal(b, DISC_CONSENT);
	assert_int_equal(core_disclosure_basis_parse("Law", &b), -1);
	assert_int_equal(core_disclosure_basis_parse("", &b), -1);
	assert_int_equal(core_disclosure_basis_parse(NULL, &b), -1);
}

/* core_disclosure_check(text) refuses with field, or accepts (field NULL). */
static void
check(const char *json, const char *field)
{
	struct cs_disclosure_in in;
	struct cs_error e;
	json_error_t je;
	json_t *body = json_loads(json, JSON_ALLOW_NUL, &je);
	enum cs_err rc;

	if (body == NULL)
		fail_msg("bad test JSON %s: %s", json, je.text);
	cs_error_clear(&e);
	rc = core_disclosure_check(body, &in, &e);
	if (field == NULL) {
		if (rc != CS_OK)
			fail_msg("%s: refused (%s: %s)", json, e.field, e.msg);
	} else if (rc != CS_EINVAL || strcmp(e.field, field) != 0)
		fail_msg("%s: rc %d field '%s' (%s), want 400 %s", json, (int)rc,
		    e.field, e.msg, field);
	json_decref(body);
}

static void
test_check(void **state)
{
	char *big;
	size_t n;

	(void)state;
	check("{\"basis\": \"law\", \"reason\": \"法令に基づく照会\", \"to\": \"警察庁\"}",
	    NULL);
	check("{\"basis\": \"public_interest\", \"reason\": \"一行目\\n二行目\\t。\","
	    " \"to\": \"一般\"}", NULL);
	check("{\"reason\": \"r\", \"to\": \"t\"}", "basis");
	check("{\"basis\": null, \"reason\": \"r\", \"to\": \"t\"}", "basis");
	check("{\"basis\": \"court_order\", \"reason\": \"r\", \"to\": \"t\"}", "basis");
	check("{\"basis\": 1, \"reason\": \"r\", \"to\": \"t\"}", "basis");
	check("{\"basis\": \"law\", \"to\": \"t\"}", "reason");
	check("{\"basis\": \"law\", \"reason\": \"  \\n \", \"to\": \"t\"}", "reason");
	check("{\"basis\": \"law\", \"reason\": 5, \"to\": \"t\"}", "reason");
	check("{\"basis\": \"law\", \"reason\": \"a\\u0007b\", \"to\": \"t\"}", "reason");
	check("{\"basis\": \"law\", \"reason\": \"a\\u0085b\", \"to\": \"t\"}", "reason");
	check("{\"basis\": \"law\", \"reason\": \"a\\u0000b\", \"to\": \"t\"}", "reason");
	check("{\"basis\": \"law\", \"reason\": \"r\"}", "to");
	check("{\"basis\": \"law\", \"reason\": \"r\", \"to\": \"a\\nb\"}", "to");
	check("{\"basis\": \"law\", \"reason\": \"r\", \"to\": \"a\\u007fb\"}", "to");
	check("{\"basis\": \"law\", \"reason\": \"r\", \"to\": \"\"}", "to");
	/* sizes: CS_MAX_TEXT code points of reason, CS_MAX_STRING of to */
	n = CS_MAX_TEXT + 1;
	big = xcalloc(n * 3 + 128, 1);
	memcpy(big, "{\"basis\": \"law\", \"to\": \"t\", \"reason\": \"", 39);
	for (size_t i = 0; i < n; i++)
		memcpy(big + 39 + 3 * i, "理", 3);
	memcpy(big + 39 + 3 * n, "\"}", 3);
	check(big, "reason");
	memcpy(big + 39 + 3 * (n - 1), "\"}", 3);
	check(big, NULL);
	free(big);
	n = CS_MAX_STRING + 1;
	big = xcalloc(n + 128, 1);
	memcpy(big, "{\"basis\": \"law\", \"reason\": \"r\", \"to\": \"", 39);
	memset(big + 39, 'x', n);
	memcpy(big + 39 + n, "\"}", 3);
	check(big, "to");
	free(big);
}

/* ---- who records one, and a share under one --------------------------- */

#define SECTOR	5

static struct cs_principal
who(int64_t org, enum cs_org_type t, unsigned roles, uint32_t sectors)
{
	struct cs_principal p;

	memset(&p, 0, sizeof(p));
	p.user_id = 100 + org;
	p.org_id = org;
	p.org_type = t;
	p.roles = roles;
	p.org_sectors = sectors;
	return p;
}

/* A direct report of operator 1, at the ministry 2 and NISC 3. */
struct fx_report {
	struct cs_path_entry	 path[2];
	struct cs_org_ref	 shared[2];
	enum cs_state		 reach[2];
	int64_t			 disc[2];
	struct cs_report_acl	 acl;
};

static void
report_fx(struct fx_report *f, enum cs_tlp tlp)
{
	memset(f, 0, sizeof(*f));
	f->path[0].org_id = 2;
	f->path[0].org_type = ORG_CI_MINISTRY;
	f->path[1].org_id = 3;
	f->path[1].org_type = ORG_NISC;
	f->acl.id = 9;
	f->acl.route = ROUTE_DIRECT;
	f->acl.tlp = tlp;
	f->acl.sector = SECTOR;
	f->acl.submitter_org = 1;
	f->acl.path = f->path;
	f->acl.npath = 2;
	f->acl.shared = f->shared;
	f->acl.shared_reach = f->reach;
	f->acl.shared_disclosure = f->disc;
}

static void
test_may_disclose(void **state)
{
	struct fx_report f;
	struct cs_error e;
	struct cs_principal p;

	(void)state;
	report_fx(&f, TLP_AMBER);
	p = who(3, ORG_NISC, ROLE_ANALYST, 0);
	assert_int_equal(policy_report_may_disclose(&p, &f.acl, &e), CS_OK);
	p = who(3, ORG_NISC, ROLE_APPROVER, 0);
	assert_int_equal(policy_report_may_disclose(&p, &f.acl, &e), CS_OK);
	p = who(3, ORG_NISC, ROLE_MEMBER, 0);
	assert_int_equal(policy_report_may_disclose(&p, &f.acl, &e), CS_EPERM);
	p = who(2, ORG_CI_MINISTRY, ROLE_LIAISON, 1u << SECTOR);
	assert_int_equal(policy_report_may_disclose(&p, &f.acl, &e), CS_OK);
	p = who(2, ORG_CI_MINISTRY, ROLE_MEMBER, 1u << SECTOR);
	assert_int_equal(policy_report_may_disclose(&p, &f.acl, &e), CS_EPERM);
	/* the source reads it but does not decide */
	p = who(1, ORG_CI_OPERATOR, ROLE_ORG_ADMIN, 1u << SECTOR);
	assert_int_equal(policy_report_may_disclose(&p, &f.acl, &e), CS_EPERM);
	/* a ministry not on the path, NISC before the report reached it: 404 */
	p = who(4, ORG_CI_MINISTRY, ROLE_LIAISON, 1u << SECTOR);
	assert_int_equal(policy_report_may_disclose(&p, &f.acl, &e), CS_ENOENT);
	assert_string_equal(e.msg, "no such report");
	f.acl.npath = 1;
	p = who(3, ORG_NISC, ROLE_ANALYST, 0);
	assert_int_equal(policy_report_may_disclose(&p, &f.acl, &e), CS_ENOENT);
	/* shared with a ministry not on the path: it reads, but may not decide */
	f.acl.npath = 2;
	f.shared[0].id = 4;
	f.shared[0].type = ORG_CI_MINISTRY;
	f.shared[0].sectors = 1u << SECTOR;
	f.reach[0] = ST_AT_MINISTRY;
	f.acl.nshared = 1;
	p = who(4, ORG_CI_MINISTRY, ROLE_LIAISON, 1u << SECTOR);
	assert_true(policy_report_may_read(&p, &f.acl));
	assert_int_equal(policy_report_may_disclose(&p, &f.acl, &e), CS_EPERM);
}

static void
test_share_disclosed(void **state)
{
	struct fx_report f;
	struct cs_error e;
	struct cs_principal nisc = who(3, ORG_NISC, ROLE_ANALYST, 0);
	struct cs_principal nisc_member = who(3, ORG_NISC, ROLE_MEMBER, 0);
	struct cs_principal police = who(5, ORG_CYBER_BUSINESS, ROLE_MEMBER, 0);
	struct cs_principal other = who(6, ORG_CYBER_BUSINESS, ROLE_MEMBER, 0);
	struct cs_org_ref t = { 0 };

	(void)state;
	report_fx(&f, TLP_AMBER);
	t.id = 5;
	t.type = ORG_CYBER_BUSINESS;
	/* outside AMBER: refused without a basis, allowed with one */
	assert_int_equal(policy_report_may_share(&nisc, &f.acl, &t, "to.0", &e),
	    CS_EPERM);
	assert_string_equal(e.field, "to.0");
	assert_int_equal(policy_report_may_share_disclosed(&nisc, &f.acl, &t,
	    "to.0", &e), CS_OK);
	/* the basis does not replace the holder's roles or relation */
	assert_int_equal(policy_report_may_share_disclosed(&nisc_member, &f.acl,
	    &t, "to.0", &e), CS_EPERM);
	assert_int_equal(policy_report_may_share_disclosed(&police, &f.acl, &t,
	    "to.0", &e), CS_ENOENT);
	/* a plain share outside the ceiling does not let it read ... */
	f.shared[0] = t;
	f.reach[0] = ST_AT_NISC;
	f.acl.nshared = 1;
	assert_false(policy_report_may_read(&police, &f.acl));
	/* ... a share under a basis does, and only that organisation */
	f.disc[0] = 42;
	assert_true(policy_report_may_read(&police, &f.acl));
	assert_false(policy_report_may_read(&other, &f.acl));
	/* without the parallel array nothing is disclosed */
	f.acl.shared_disclosure = NULL;
	assert_false(policy_report_may_read(&police, &f.acl));
	/* personnel limits still hold: RED never reaches an NDA contractor */
	f.acl.shared_disclosure = f.disc;
	f.acl.tlp = TLP_RED;
	police.nda_contractor = true;
	assert_false(policy_report_may_read(&police, &f.acl));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basis_ids),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_may_disclose),
		cmocka_unit_test(test_share_disclosed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
