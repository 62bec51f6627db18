/*
 * test_authz.c: the table of who may attempt each action (src/core/authz.c),
 * cell by cell.
 *
 * The matrix crosses every action x organisation type (the 11 client-
 * visible types and ORG_PLATFORM) x every set of the 7 roles x every
 * operating mode (and one past the last) x with or without a credential.
 * Each cell's expected answer comes from the oracle below, written from
 * docs/api.md (the "(who)" after each endpoint), docs/policy.md ("Sharing",
 * "Relay") and shared/spec/actors_and_flows.json (operators report, NISC
 * issues, ministries and CEPTOAR secretariats pass on), without reading
 * the table; each refusal's field and text against the handlers' texts
 * before the table existed.  Relations (on the report's path, the
 * source's CEPTOAR, the caller's own organisation or user) are not part
 * of the table: the oracle answers "may this kind of principal attempt it
 * at all".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/authz.h"

#define ALL_ROLES	((1u << CS_NROLES) - 1)

/* ---- the oracle ------------------------------------------------------ */

struct cell {
	enum authz_action	 a;
	enum cs_org_type	 type;
	unsigned		 roles;
	int			 mode;	/* MODE__COUNT: a mode that does not exist */
	bool			 authed;
};

static bool
has(unsigned roles, unsigned any)
{
	return (roles & any) != 0;
}

static bool
oracle(const struct cell *c)
{
	enum cs_org_type t = c->type;
	unsigned r = c->roles;
	/* "member, poc or org_admin": an organisation's working users. */
	unsigned staff = ROLE_MEMBER | ROLE_POC | ROLE_ORG_ADMIN;
	bool nisc = t == ORG_NISC, op = t == ORG_CI_OPERATOR;
	bool min = t == ORG_CI_MINISTRY, cep = t == ORG_CEPTOAR_SEC;

	/* No login: POST /login, POST /session, GET /public/advisories. */
	switch (c->a) {
	case ACT_LOGIN:
	case ACT_SESSION_CREATE:
	case ACT_PUBLIC_READ:
		return true;
	default:
		break;
	}
	if (!c->authed || c->mode >= MODE__COUNT)
		return false;
	switch (c->a) {
	case ACT_NONE:
	case ACT_LOGIN:
	case ACT_SESSION_CREATE:
	case ACT_PUBLIC_READ:
	case ACT__COUNT:
		return false;
	/* any user; what each sees is the read policy's or the handler's */
	case ACT_SESSION_READ:
	case ACT_SESSION_DELETE:
	case ACT_ME:
	case ACT_REF_READ:
	case ACT_ORG_LIST:
	case ACT_ORG_READ:
	case ACT_TOKEN_CREATE:		/* admin, the user's org_admin, or the user */
	case ACT_TOKEN_LIST:
	case ACT_TOKEN_REVOKE:
	case ACT_REPORT_LIST:
	case ACT_REPORT_READ:
	case ACT_ADV_LIST:
	case ACT_ADV_READ:
	case ACT_ADV_ACK:		/* 409 if not delivered to the caller */
	case ACT_INBOX_READ:
	case ACT_WIDEN_LIST:
	case ACT_CHANNEL_CREATE:	/* a user sets up its own */
	case ACT_CHANNEL_LIST:
	case ACT_CHANNEL_UPDATE:
	case ACT_STATS_READ:		/* counts of what the caller may read */
	case ACT_DEPS_READ:
	case ACT_MODE_READ:
	case ACT_COUNCIL_READ:		/* who reads a post: policy_council_may_read */
	case ACT_EXERCISE_READ:		/* NISC or a participant: svc */
	case ACT_TAXII_READ:		/* collections: the policy */
	case ACT_REPORT_CORRELATIONS:	/* among what the caller may read */
	case ACT_RISK_READ:		/* whose workspace: policy_risk_may_read */
	case ACT_ATTACHMENT_READ:	/* the item's read policy */
	case ACT_SAMPLE_LIST:		/* NISC and the answerer: the policy */
		return true;
	/* API.md "Attachments": the source, or an anonymised report's secretariat */
	case ACT_REPORT_ATTACH:
	case ACT_SAMPLE_ANSWER:
		return (op || cep) && has(r, staff);
	/* API.md "Attachments", "sample requests": NISC */
	case ACT_ADV_ATTACH:
	case ACT_SAMPLE_REQUEST:
		return nisc && has(r, ROLE_ANALYST | ROLE_APPROVER);
	case ACT_INQUIRY_READ:		/* NISC all, a ministry its own: policy */
	case ACT_TASKS_READ:		/* the caller's own to-do list */
		return true;
	/* API.md "inquiries": a ministry liaison asks NISC; NISC answers */
	case ACT_INQUIRY_SEND:
		return min && has(r, ROLE_LIAISON);
	case ACT_INQUIRY_ANSWER:
	case ACT_REPORT_TRIAGE:		/* issue 15: NISC's 未処理/担当 */
		return nisc && has(r, ROLE_ANALYST | ROLE_APPROVER);
	/* issue 15: an operator's question reaches NISC through its ministry */
	case ACT_QUESTION_ASK:
		return (op || cep) && has(r, staff);
	case ACT_QUESTION_HANDLE:
		return min && has(r, ROLE_LIAISON);
	/* POST /orgs (admin) */
	case ACT_ORG_CREATE:
		return has(r, ROLE_ADMIN);
	/* admin, or org_admin for its own organisation / its users */
	case ACT_ORG_UPDATE:
	case ACT_USER_CREATE:
	case ACT_USER_LIST:
	case ACT_USER_UPDATE:
	case ACT_NOTIF_LIST:
		return has(r, ROLE_ADMIN | ROLE_ORG_ADMIN);
	/* GET /audit (admin; NISC analyst/approver/org_admin) */
	case ACT_AUDIT_READ:
	case ACT_AUDIT_VERIFY:
		return has(r, ROLE_ADMIN) || (nisc &&
		    has(r, ROLE_ANALYST | ROLE_APPROVER | ROLE_ORG_ADMIN));
	/* a ci_operator user with member, poc or org_admin */
	case ACT_REPORT_FILE:
	case ACT_REPORT_FOLLOWUP:	/* the submitting organisation */
		return op && has(r, staff);
	/* the CEPTOAR secretariat: poc/member/org_admin; the ministry: liaison */
	case ACT_REPORT_FORWARD:
		return (cep && has(r, staff)) || (min && has(r, ROLE_LIAISON));
	/* policy.md 8: holders share, each through its roles */
	case ACT_REPORT_SHARE:
		return (nisc && has(r, ROLE_ANALYST | ROLE_APPROVER)) ||
		    (min && has(r, ROLE_LIAISON)) || (cep && has(r, staff)) ||
		    (op && has(r, staff));
	/* NISC, analyst or approver */
	case ACT_ADV_ISSUE:
	case ACT_ADV_FOLLOWUP:
	case ACT_WIDEN_REQUEST:
	/* API.md "Analysis": NISC keeps the graph and predicts the cascade */
	case ACT_DEPS_EDIT:
	case ACT_REPORT_CASCADE:
	case ACT_DRILL_MANAGE:
	case ACT_EXERCISE_MANAGE:
	/* API.md "Analysis": observables across sectors are NISC's */
	case ACT_OBS_LOOKUP:
	case ACT_CORRELATIONS_READ:
		return nisc && has(r, ROLE_ANALYST | ROLE_APPROVER);
	/* NISC approver (not the drafter: a relation, checked later) */
	case ACT_ADV_APPROVE:
		return nisc && has(r, ROLE_APPROVER);
	/* policy.md advisories 3: liaisons, PoCs (or org_admin), NISC analysts */
	case ACT_ADV_RELAY:
		return (min && has(r, ROLE_LIAISON)) ||
		    (cep && has(r, ROLE_POC | ROLE_ORG_ADMIN)) ||
		    (nisc && has(r, ROLE_ANALYST | ROLE_APPROVER));
	/* the secretariat of an anonymised source (which one: svc) */
	case ACT_ADV_SOURCE_REVIEW:
		return cep && has(r, staff | ROLE_LIAISON);
	/* the source, or for an anonymised report its CEPTOAR secretariat */
	case ACT_WIDEN_DECIDE:
		return (op || cep) && has(r, staff | ROLE_LIAISON);
	/* the council: CEPTOAR secretariats' working users */
	case ACT_COUNCIL_POST:
	case ACT_COUNCIL_SHARE:
		return cep && has(r, staff);
	/* API.md "Operating modes": a NISC approver declares and ends */
	case ACT_MODE_DECLARE:
		return nisc && has(r, ROLE_APPROVER);
	/* 別紙４－２: NISC, CAS, the IR and DM ministries, the CI ministries */
	case ACT_SITUATION_READ:
		return nisc || min || t == ORG_CAS || t == ORG_IR_MINISTRY ||
		    t == ORG_DM_MINISTRY;
	case ACT_SITUATION_POST:
		return c->mode == MODE_LARGE_SCALE && (nisc || min ||
		    t == ORG_CAS || t == ORG_IR_MINISTRY || t == ORG_DM_MINISTRY) &&
		    has(r, ROLE_ANALYST | ROLE_APPROVER | staff | ROLE_LIAISON);
	/* API.md "Disclosure basis": NISC, or a ministry on the path */
	case ACT_REPORT_DISCLOSE:
		return (nisc && has(r, ROLE_ANALYST | ROLE_APPROVER)) ||
		    (min && has(r, ROLE_LIAISON));
	/* API.md "TAXII": agencies, cyberspace businesses, NISC analysts */
	case ACT_TAXII_CONTRIBUTE:
		return (nisc && has(r, ROLE_ANALYST | ROLE_APPROVER)) ||
		    ((t == ORG_CS_AGENCY || t == ORG_CYBER_BUSINESS) &&
		    has(r, staff));
	/* API.md "Survey and risk": NISC opens; operators answer; the
	 * responsible person (org_admin) submits; NISC and ministries see
	 * progress (which campaign and sectors: the policy) */
	case ACT_SURVEY_MANAGE:
		return nisc && has(r, ROLE_ANALYST | ROLE_APPROVER);
	case ACT_SURVEY_READ:
		return true;
	case ACT_SURVEY_ANSWER:
		return op && has(r, staff);
	case ACT_SURVEY_SUBMIT:
		return op && has(r, ROLE_ORG_ADMIN);
	case ACT_SURVEY_PROGRESS:
		return nisc || min;
	/* issue 14: an operator's own staff keep its risk workspace */
	case ACT_RISK_WRITE:
		return op && has(r, staff);
	/* issue 15: the approver returns a draft (差戻し) */
	case ACT_ADV_RETURN:
		return nisc && has(r, ROLE_APPROVER);
	/* issue 15: 督促 by whoever delivered (as relay) */
	case ACT_ADV_REMIND:
		return (min && has(r, ROLE_LIAISON)) ||
		    (cep && has(r, ROLE_POC | ROLE_ORG_ADMIN)) ||
		    (nisc && has(r, ROLE_ANALYST | ROLE_APPROVER));
	/* issue 15: admin, or the user's org_admin */
	case ACT_USER_PASSWORD_RESET:
		return has(r, ROLE_ADMIN | ROLE_ORG_ADMIN);
	/* ASVS 2.1.6: the user itself, with its current password (svc) */
	case ACT_USER_PASSWORD_CHANGE:
		return true;
	/* docs/interop.md "Federation": admins keep peers, NISC reads them */
	case ACT_PEER_READ:
		return has(r, ROLE_ADMIN) ||
		    (nisc && has(r, ROLE_ANALYST | ROLE_APPROVER));
	case ACT_PEER_MANAGE:
		return has(r, ROLE_ADMIN);
	case ACT_FED_INBOX:
		return nisc && has(r, ROLE_ANALYST | ROLE_APPROVER);
	/* the second factor: the user itself or its manager (svc_totp) */
	case ACT_TOTP_READ:
	case ACT_TOTP_MANAGE:
		return true;
	/* docs/internals/retention.md: holds by NISC analysts or an admin */
	case ACT_RETENTION_HOLD:
		return has(r, ROLE_ADMIN) ||
		    (nisc && has(r, ROLE_ANALYST | ROLE_APPROVER));
	/* the source or its secretariat (relation: core/retention.c) */
	case ACT_REPORT_ERASE_SOURCE:
		return (op || cep) && has(r, staff);
	case ACT_RETENTION_READ:
		return has(r, ROLE_ADMIN);
	}
	return false;
}

#define ROLES	"your roles do not allow this"

/*
 * What a refusal of an authenticated caller says: the texts the handlers
 * answered before the table existed (their field is "" but for POST
 * /users, which names "org"); a mode that does not exist is refused last.
 */
static const char *
oracle_why(const struct cell *c, const char **field)
{
	enum cs_org_type t = c->type;
	bool nisc = t == ORG_NISC, op = t == ORG_CI_OPERATOR;
	bool min = t == ORG_CI_MINISTRY, cep = t == ORG_CEPTOAR_SEC;
	static char modemsg[64];
	struct cell other = *c;

	*field = "";
	/* Allowed in another mode: the mode is named (an unknown one: "current"). */
	for (int m = 0; m < MODE__COUNT; m++) {
		other.mode = m;
		if (oracle(&other)) {
			snprintf(modemsg, sizeof(modemsg), "not allowed in the %s "
			    "operating mode", c->mode < MODE__COUNT ?
			    authz_mode_id((enum cs_mode)c->mode) : "current");
			return modemsg;
		}
	}
	switch (c->a) {
	case ACT_ORG_CREATE:
		return "admin only";
	case ACT_ORG_UPDATE:
		return "admin, or the organisation's own org_admin, only";
	case ACT_USER_CREATE:
		*field = "org";
		return "only an admin, or the org_admin of that organisation, "
		    "may add users to it";
	case ACT_USER_LIST:
		return "admin or org_admin only";
	case ACT_NOTIF_LIST:
		return "org_admin or admin only";
	case ACT_USER_UPDATE:
		return "only an admin, or the user's org_admin, changes a user";
	case ACT_AUDIT_READ:
	case ACT_AUDIT_VERIFY:
		return "the audit log is for admins and NISC";
	case ACT_REPORT_FILE:
		return op ? ROLES : "reports are filed by critical-infrastructure "
		    "operators (ci_operator)";
	case ACT_REPORT_FOLLOWUP:
		return op ? ROLES : "only the reporting organisation files "
		    "follow-up reports (続報)";
	case ACT_REPORT_FORWARD:
		return cep || min ? ROLES : "only the CEPTOAR secretariat or the "
		    "ministry on the report's path forwards it";
	case ACT_REPORT_SHARE:
		return nisc || min || cep || op ? "your roles do not allow "
		    "sharing this report" : "only an organisation that holds "
		    "the report (its source, CEPTOAR secretariat, ministry or "
		    "NISC) may share it";
	case ACT_ADV_ISSUE:
		return nisc ? ROLES : "advisories are issued by NISC";
	case ACT_ADV_FOLLOWUP:
		return "follow-ups are issued by NISC analysts";
	case ACT_ADV_APPROVE:
		return "approval needs a NISC user with the approver role";
	case ACT_ADV_RELAY:
		return nisc ? "NISC relays through its analysts" :
		    min ? "a ministry relays through its liaison" :
		    cep ? "a CEPTOAR relays through its PoC" :
		    "only ministry liaisons and CEPTOAR PoCs relay advisories";
	case ACT_WIDEN_REQUEST:
		return "NISC analysts ask a source to widen";
	case ACT_DEPS_EDIT:
		return "NISC analysts keep the dependency graph";
	case ACT_REPORT_CASCADE:
		return "NISC predicts the impact on other sectors (影響予測)";
	case ACT_OBS_LOOKUP:
		return "NISC analysts look up observables across sectors";
	case ACT_CORRELATIONS_READ:
		return "NISC analysts read the multi-sector observables";
	case ACT_ADV_SOURCE_REVIEW:
		return cep ? ROLES : "only the CEPTOAR secretariat of an "
		    "anonymised source reviews an advisory";
	case ACT_WIDEN_DECIDE:
		return op || cep ? ROLES : "only the source (or, anonymised, its "
		    "CEPTOAR secretariat) answers a widening request";
	case ACT_MODE_DECLARE:
		return "a NISC approver declares and ends the large-scale mode";
	case ACT_DRILL_MANAGE:
		return "NISC analysts run CEPTOAR drills";
	case ACT_EXERCISE_MANAGE:
		return "NISC analysts run the cross-sector exercises";
	case ACT_COUNCIL_POST:
		return "council posts are written by CEPTOAR secretariats";
	case ACT_COUNCIL_SHARE:
		return "a council post is shared by its author's CEPTOAR";
	case ACT_SITUATION_READ:
		return "the situation board is for NISC, 内閣官房（事態対処・危機管理担当）, "
		    "the incident-response and disaster-management ministries and "
		    "the CI ministries";
	case ACT_SITUATION_POST:
		return nisc || min || t == ORG_CAS || t == ORG_IR_MINISTRY ||
		    t == ORG_DM_MINISTRY ? ROLES : "damage and response-status "
		    "updates are filed by NISC, 内閣官房（事態対処・危機管理担当）, the "
		    "incident-response and disaster-management ministries and the "
		    "CI ministries while the large-scale mode is on";
	case ACT_TAXII_CONTRIBUTE:
		return nisc || t == ORG_CS_AGENCY || t == ORG_CYBER_BUSINESS ?
		    ROLES : "STIX objects are contributed by cybersecurity "
		    "agencies, cyberspace businesses and NISC";
	case ACT_ADV_RETURN:
		return "returning a draft needs a NISC user with the approver "
		    "role";
	case ACT_ADV_REMIND:
		return nisc ? "NISC reminds through its analysts" :
		    min ? "a ministry reminds through its liaison" :
		    cep ? "a CEPTOAR reminds through its PoC" :
		    "only NISC, ministry liaisons and CEPTOAR PoCs remind "
		    "recipients";
	case ACT_USER_PASSWORD_RESET:
		return "only an admin, or the user's org_admin, resets a password";
	case ACT_PEER_READ:
		return "federation peers are for admins and NISC analysts";
	case ACT_PEER_MANAGE:
		return "federation peers are managed by an admin";
	case ACT_FED_INBOX:
		return "NISC analysts read what peer nodes sent";
	case ACT_RETENTION_HOLD:
		return "a legal hold is placed or lifted by NISC analysts or an "
		    "admin";
	case ACT_REPORT_ERASE_SOURCE:
		return op || cep ? ROLES : "only the source of an anonymised "
		    "report or its CEPTOAR secretariat erases its source";
	case ACT_RETENTION_READ:
		return "the retention policy is for admins";
	case ACT_REPORT_DISCLOSE:
		return nisc ? "NISC records a disclosure basis through its "
		    "analysts" : min ? "a ministry records a disclosure basis "
		    "through its liaison" : "only NISC or a ministry on the "
		    "report's path records a disclosure basis";
	case ACT_SURVEY_MANAGE:
		return "NISC analysts run the yearly survey";
	case ACT_SURVEY_ANSWER:
		return op ? ROLES : "the survey is answered by critical-"
		    "infrastructure operators (ci_operator)";
	case ACT_SURVEY_SUBMIT:
		return "the operator's org_admin (its responsible person) "
		    "submits the survey";
	case ACT_SURVEY_PROGRESS:
		return "survey progress is for NISC and the CI ministries";
	case ACT_RISK_WRITE:
		return "the risk workspace is kept by the operator's own staff";
	case ACT_REPORT_ATTACH:
		return op || cep ? ROLES : "attachments are added by the "
		    "organisation that filed the report or its CEPTOAR secretariat";
	case ACT_ADV_ATTACH:
		return "attachments to advisories are added by NISC analysts";
	case ACT_SAMPLE_REQUEST:
		return "samples (検体) are requested by NISC analysts";
	case ACT_SAMPLE_ANSWER:
		return op || cep ? ROLES : "a sample request is answered by the "
		    "report's source or its CEPTOAR secretariat";
	case ACT_INQUIRY_SEND:
		return "inquiries to NISC are sent by the liaison of a CI ministry "
		    "(operators and CEPTOARs ask their ministry)";
	case ACT_INQUIRY_ANSWER:
		return "NISC analysts answer inquiries";
	case ACT_REPORT_TRIAGE:
		return "NISC analysts keep the handling state of received reports";
	case ACT_QUESTION_ASK:
		return "operators and CEPTOAR secretariats ask their ministry; a "
		    "ministry sends NISC an inquiry";
	case ACT_QUESTION_HANDLE:
		return "a ministry's liaison answers or forwards the questions "
		    "addressed to it";
	default:
		return "this action is not declared";
	}
}

/* ---- the matrix ------------------------------------------------------ */

static struct cs_principal
principal(enum cs_org_type t, unsigned roles)
{
	struct cs_principal p;

	memset(&p, 0, sizeof(p));
	p.org_id = 3;
	p.org_type = t;
	p.roles = roles;
	return p;
}

static void
test_matrix(void **state)
{
	struct cell c;
	size_t cells = 0, bad = 0;

	(void)state;
	for (int a = 0; a < ACT__COUNT; a++)
	for (int t = 0; t < ORG__COUNT; t++)
	for (unsigned r = 0; r <= ALL_ROLES; r++)
	for (int m = 0; m <= MODE__COUNT; m++)
	for (int authed = 0; authed <= 1; authed++) {
		struct cs_principal p;
		struct cs_error e;
		const char *msg = "", *field = "";
		bool want, got;
		enum cs_err rc;

		c.a = (enum authz_action)a;
		c.type = (enum cs_org_type)t;
		c.roles = r;
		c.mode = m;
		c.authed = authed;
		if (!authed && (t != 0 || r != 0))
			continue;	/* no principal: one cell per action and mode */
		p = principal(c.type, c.roles);
		want = oracle(&c);
		got = authz_check(c.a, authed ? &p : NULL, (enum cs_mode)m);
		cs_error_clear(&e);
		rc = authz_require(c.a, authed ? &p : NULL, (enum cs_mode)m, &e);
		cells++;
		if (!want && authed)
			msg = oracle_why(&c, &field);
		if (got != want || (rc == CS_OK) != want ||
		    (!want && authed && (rc != CS_EPERM || strcmp(e.msg, msg) != 0 ||
		    strcmp(e.field, field) != 0)) ||
		    (!want && !authed && rc != CS_EAUTH)) {
			if (bad++ < 20)
				fprintf(stderr, "cell %s %s roles=%#x mode=%d "
				    "authed=%d: oracle %d, table %d, require %d "
				    "(%s: %s; want %s: %s)\n", authz_action_id(c.a),
				    core_org_type_id(c.type), r, m, authed, want,
				    got, (int)rc, e.field, e.msg, field, msg);
		}
	}
	fprintf(stderr, "authz matrix: %zu cells, %zu mismatches\n", cells, bad);
	assert_true(cells > 0);
	assert_int_equal(bad, 0);
}

/* Every action has an id, unique, and is described. */
static void
test_ids(void **state)
{
	char d[256];

	(void)state;
	assert_string_equal(authz_action_id(ACT_NONE), "");
	assert_string_equal(authz_action_id((enum authz_action)ACT__COUNT), "");
	for (int a = 1; a < ACT__COUNT; a++) {
		assert_true(authz_action_id((enum authz_action)a)[0] != '\0');
		for (int b = 1; b < a; b++)
			assert_string_not_equal(authz_action_id((enum authz_action)a),
			    authz_action_id((enum authz_action)b));
		authz_describe((enum authz_action)a, d, sizeof(d));
		assert_true(d[0] != '\0');
	}
	authz_describe(ACT_REPORT_FILE, d, sizeof(d));
	assert_string_equal(d, "ci_operator(member,poc,org_admin)");
	authz_describe(ACT_LOGIN, d, sizeof(d));
	assert_string_equal(d, "public");
	authz_describe(ACT_ME, d, sizeof(d));
	assert_string_equal(d, "any");
	authz_describe(ACT_REPORT_SHARE, d, 8);	/* cut, still terminated */
	assert_int_equal(strlen(d), 7);
	assert_string_equal(authz_mode_id(MODE_NORMAL), "normal");
}

/* The mode column is real: outside a grant's modes the answer is no. */
static void
test_modes(void **state)
{
	struct cs_principal p = principal(ORG_CI_OPERATOR, ROLE_MEMBER);
	enum cs_mode none = (enum cs_mode)MODE__COUNT;
	struct cs_error e;

	(void)state;
	assert_true(authz_check(ACT_REPORT_FILE, &p, MODE_NORMAL));
	assert_false(authz_check(ACT_REPORT_FILE, &p, none));
	cs_error_clear(&e);
	assert_int_equal(authz_require(ACT_REPORT_FILE, &p, none, &e), CS_EPERM);
	assert_non_null(strstr(e.msg, "operating mode"));
	/* public actions are open in every mode */
	assert_true(authz_check(ACT_LOGIN, NULL, none));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_modes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
