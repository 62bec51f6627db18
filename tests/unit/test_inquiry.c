/*
 * test_inquiry.c: the rules of inquiries (問合せ) and questions
 * (src/core/inquiry.c), written from API.md "Disclosure basis, sample
 * requests, inquiries" and issue 15 item 3: a ministry liaison the
 * advisory reached asks NISC; operators and CEPTOARs get 403 (they ask
 * their ministry); an organisation it never reached gets 404; NISC reads
 * every inquiry, a ministry its own; a question goes to the ministry of
 * the asker's sector that received the advisory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/inquiry.h"

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

/* An issued GREEN advisory to sector 0, delivered to orgs 2 (ministry), 3 (CEPTOAR), 4 (operator). */
static const int64_t delivered[] = { 2, 3, 4 };

static struct cs_advisory_acl
adv(enum cs_adv_state st)
{
	struct cs_advisory_acl a;

	memset(&a, 0, sizeof(a));
	a.id = 9;
	a.state = st;
	a.tlp = TLP_GREEN;
	a.sectors = 1u << 0;
	a.delivered = delivered;
	a.ndelivered = 3;
	return a;
}

static void
test_send(void **state)
{
	struct cs_advisory_acl a = adv(ADV_ISSUED);
	struct cs_principal p;
	struct cs_error e;

	(void)state;
	p = who(2, ORG_CI_MINISTRY, ROLE_LIAISON, 1u << 0);
	assert_int_equal(policy_inquiry_may_send(&p, &a, &e), CS_OK);
	p = who(2, ORG_CI_MINISTRY, ROLE_MEMBER, 1u << 0);
	assert_int_equal(policy_inquiry_may_send(&p, &a, &e), CS_EPERM);
	p = who(3, ORG_CEPTOAR_SEC, ROLE_POC, 1u << 0);
	assert_int_equal(policy_inquiry_may_send(&p, &a, &e), CS_EPERM);
	p = who(4, ORG_CI_OPERATOR, ROLE_MEMBER, 1u << 0);
	assert_int_equal(policy_inquiry_may_send(&p, &a, &e), CS_EPERM);
	/* A ministry it never reached (another sector's): absent. */
	p = who(5, ORG_CI_MINISTRY, ROLE_LIAISON, 1u << 3);
	assert_int_equal(policy_inquiry_may_send(&p, &a, &e), CS_ENOENT);
	/* A ministry of the sector that was not delivered to: absent too. */
	p = who(6, ORG_CI_MINISTRY, ROLE_LIAISON, 1u << 0);
	assert_int_equal(policy_inquiry_may_send(&p, &a, &e), CS_ENOENT);
	/* NISC reads it but asks nobody. */
	p = who(1, ORG_NISC, ROLE_ANALYST, 0);
	assert_int_equal(policy_inquiry_may_send(&p, &a, &e), CS_ENOENT);
	/* Pending approval: not delivered, so nobody asks yet. */
	a = adv(ADV_PENDING_APPROVAL);
	p = who(2, ORG_CI_MINISTRY, ROLE_LIAISON, 1u << 0);
	assert_int_equal(policy_inquiry_may_send(&p, &a, &e), CS_ENOENT);
}

static void
test_read_answer(void **state)
{
	struct cs_principal p;

	(void)state;
	p = who(1, ORG_NISC, ROLE_MEMBER, 0);
	assert_true(policy_inquiry_may_read(&p, 2));
	assert_false(policy_inquiry_may_answer(&p));
	p = who(1, ORG_NISC, ROLE_ANALYST, 0);
	assert_true(policy_inquiry_may_answer(&p));
	p = who(2, ORG_CI_MINISTRY, ROLE_LIAISON, 1);
	assert_true(policy_inquiry_may_read(&p, 2));
	assert_false(policy_inquiry_may_read(&p, 7));
	assert_false(policy_inquiry_may_answer(&p));
	p = who(4, ORG_CI_OPERATOR, ROLE_MEMBER, 1);
	assert_false(policy_inquiry_may_read(&p, 2));
	p = who(8, ORG_PLATFORM, ROLE_ADMIN, 0);
	assert_false(policy_inquiry_may_read(&p, 8));
	assert_false(policy_inquiry_may_read(NULL, 2));
}

static void
test_questions(void **state)
{
	struct cs_advisory_acl a = adv(ADV_ISSUED);
	struct cs_org_ref m[3];
	struct cs_principal p;
	struct cs_error e;

	(void)state;
	p = who(4, ORG_CI_OPERATOR, ROLE_MEMBER, 1u << 0);
	assert_int_equal(policy_question_may_ask(&p, &a, &e), CS_OK);
	p = who(3, ORG_CEPTOAR_SEC, ROLE_POC, 1u << 0);
	assert_int_equal(policy_question_may_ask(&p, &a, &e), CS_OK);
	p = who(2, ORG_CI_MINISTRY, ROLE_LIAISON, 1u << 0);
	assert_int_equal(policy_question_may_ask(&p, &a, &e), CS_EPERM);
	p = who(10, ORG_CI_OPERATOR, ROLE_MEMBER, 1u << 0);	/* not reached */
	assert_int_equal(policy_question_may_ask(&p, &a, &e), CS_ENOENT);
	p = who(4, ORG_CI_OPERATOR, ROLE_MEMBER, 1u << 0);
	assert_true(policy_question_may_read(&p, 4, 2));
	p = who(2, ORG_CI_MINISTRY, ROLE_MEMBER, 1u << 0);
	assert_true(policy_question_may_read(&p, 4, 2));
	assert_false(policy_question_may_handle(&p, 2));	/* not a liaison */
	p = who(2, ORG_CI_MINISTRY, ROLE_LIAISON, 1u << 0);
	assert_true(policy_question_may_handle(&p, 2));
	assert_false(policy_question_may_handle(&p, 5));
	p = who(1, ORG_NISC, ROLE_ANALYST, 0);
	assert_false(policy_question_may_read(&p, 4, 2));
	/* The ministry of one of the asker's sectors, among those it reached. */
	memset(m, 0, sizeof(m));
	m[0].id = 20;
	m[0].type = ORG_CI_MINISTRY;
	m[0].sectors = 1u << 5;
	m[1].id = 21;
	m[1].type = ORG_CI_MINISTRY;
	m[1].sectors = (1u << 0) | (1u << 1);
	m[2].id = 22;
	m[2].type = ORG_CEPTOAR_SEC;
	m[2].sectors = 1u << 3;
	assert_int_equal(core_question_ministry(1u << 1, m, 3), 21);
	assert_int_equal(core_question_ministry(1u << 5, m, 3), 20);
	assert_int_equal(core_question_ministry(1u << 3, m, 3), 0);
	assert_int_equal(core_question_ministry(1u << 1, m, 0), 0);
}

static void
text_case(const char *json, const char *want)
{
	json_t *b = json_loads(json, 0, NULL);
	const char *out = NULL;
	struct cs_error e;
	enum cs_err rc;

	assert_non_null(b);
	cs_error_clear(&e);
	rc = core_inquiry_text(b, "text", &out, &e);
	if (want == NULL) {
		assert_int_equal(rc, CS_OK);
		assert_non_null(out);
	} else {
		assert_int_equal(rc, CS_EINVAL);
		assert_string_equal(e.field, want);
	}
	json_decref(b);
}

static void
test_text(void **state)
{
	char *big;
	size_t n;

	(void)state;
	text_case("{\"text\": \"対象製品の版数は\"}", NULL);
	text_case("{}", "text");
	text_case("{\"text\": null}", "text");
	text_case("{\"text\": \"\"}", "text");
	text_case("{\"text\": 3}", "text");
	text_case("{\"text\": [\"a\"]}", "text");
	/* 4,000 code points pass, 4,001 do not (三 is 3 bytes). */
	n = 4001;
	big = malloc(n * 3 + 32);
	assert_non_null(big);
	memcpy(big, "{\"text\": \"", 10);
	for (size_t i = 0; i < n - 1; i++)
		memcpy(big + 10 + i * 3, "三", 3);
	memcpy(big + 10 + (n - 1) * 3, "\"}", 3);
	text_case(big, NULL);
	memcpy(big + 10 + (n - 1) * 3, "三\"}", 6);
	text_case(big, "text");
	free(big);
}

static void
test_triage(void **state)
{
	enum cs_triage t;

	(void)state;
	for (int i = TRIAGE_OPEN; i <= TRIAGE_DONE; i++) {
		assert_int_equal(core_triage_parse(core_triage_id((enum cs_triage)i),
		    &t), 0);
		assert_int_equal((int)t, i);
	}
	assert_int_equal(core_triage_parse("later", &t), -1);
	assert_int_equal(core_triage_parse(NULL, &t), -1);
	assert_string_equal(core_triage_id((enum cs_triage)7), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_send),
		cmocka_unit_test(test_read_answer),
		cmocka_unit_test(test_questions),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_triage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
