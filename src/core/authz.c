/*
 * authz.c: the table of who may attempt each action (authz.h).
 *
 * Each action lists grants; a principal may attempt the action when one
 * grant admits its organisation type, one of its roles (a grant with no
 * roles needs none) and the operating mode.  The refusal texts are the
 * ones the handlers answered before the table existed: `why` when no grant
 * admits the organisation type, the grant's `why_role` (or "your roles do
 * not allow this") when the type is admitted but not the roles.
 *
 * Derived from the inline checks of src/api as of 1a7dabc; the relation
 * parts of those checks (on the report's path, the source's CEPTOAR, the
 * caller's own organisation or user) stay with the policy functions and
 * the handlers.  docs/internals/authz.md lists every row and its source.
 */
#include <string.h>

#include "core/authz.h"

#define ORG(t)		(1u << (t))
#define ANY_ORG		((1u << ORG__COUNT) - 1)
/*
 * Every grant of the normal system holds in every mode: 別紙４－２ extends
 * 別紙４－１.  A grant of the large-scale system only holds in it.
 */
#define ALWAYS		CS_ALL_MODES
#define LARGE_SCALE	CS_MODE_BIT(MODE_LARGE_SCALE)

#define NGRANTS		4
#define ROLES_DENIED	"your roles do not allow this"

struct grant {
	unsigned	 orgs;		/* bit per enum cs_org_type; 0 ends */
	unsigned	 roles;		/* any of these; 0: no role needed */
	unsigned	 modes;		/* bit per enum cs_mode */
	const char	*why_role;	/* NULL: ROLES_DENIED */
};

struct rule {
	const char	*id;
	bool		 public;	/* no credential needed, any mode */
	const char	*field;		/* the refusal names it; NULL: "" */
	const char	*why;		/* no grant admits the org type */
	struct grant	 g[NGRANTS];
};

/* Anyone with a credential, any role, in normal mode. */
#define ANYONE		.g = { { ANY_ORG, 0, ALWAYS, NULL } }
/* One grant; a refusal, by organisation type or by role, says `w`. */
#define ONLY(o, r, w)	.why = (w), .g = { { (o), (r), ALWAYS, (w) } }
/* Working users of an organisation; the admins of one or of the platform. */
#define STAFF		(ROLE_MEMBER | ROLE_POC | ROLE_ORG_ADMIN)
#define ADMINS		(ROLE_ADMIN | ROLE_ORG_ADMIN)
#define HOLD_WHY	"a legal hold is placed or lifted by NISC analysts or an admin"
#define ANALYSTS	(ROLE_ANALYST | ROLE_APPROVER)
#define AUDITORS	{ { ANY_ORG, ROLE_ADMIN, ALWAYS, AUDIT_WHY },	\
			  { ORG(ORG_NISC), ANALYSTS | ROLE_ORG_ADMIN, ALWAYS, \
			    AUDIT_WHY } }
#define AUDIT_WHY	"the audit log is for admins and NISC"
#define PEER_WHY	"federation peers are for admins and NISC analysts"
#define SHARE_WHY	"your roles do not allow sharing this report"
#define INQUIRY_WHY	"inquiries to NISC are sent by the liaison of a CI " \
			"ministry (operators and CEPTOARs ask their ministry)"

static const struct rule rules[ACT__COUNT] = {
	[ACT_NONE] = { .id = "", .why = "this action is not declared" },

	/* sessions, /me, reference data */
	[ACT_LOGIN] = { .id = "login", .public = true },
	[ACT_SESSION_CREATE] = { .id = "session.create", .public = true },
	[ACT_SESSION_READ] = { .id = "session.read", ANYONE },
	[ACT_SESSION_DELETE] = { .id = "session.delete", ANYONE },
	[ACT_ME] = { .id = "me", ANYONE },
	[ACT_REF_READ] = { .id = "ref.read", ANYONE },

	/* the directory (orgs.c); own organisation / own user: the handlers */
	[ACT_ORG_CREATE] = { .id = "org.create",
	  ONLY(ANY_ORG, ROLE_ADMIN, "admin only") },
	[ACT_ORG_LIST] = { .id = "org.list", ANYONE },
	[ACT_ORG_READ] = { .id = "org.read", ANYONE },
	[ACT_ORG_UPDATE] = { .id = "org.update", ONLY(ANY_ORG, ADMINS,
	  "admin, or the organisation's own org_admin, only") },
	[ACT_USER_CREATE] = { .id = "user.create", .field = "org",
	  ONLY(ANY_ORG, ADMINS, "only an admin, or the org_admin of that "
	    "organisation, may add users to it") },
	[ACT_USER_LIST] = { .id = "user.list",
	  ONLY(ANY_ORG, ADMINS, "admin or org_admin only") },
	[ACT_USER_UPDATE] = { .id = "user.update", ONLY(ANY_ORG, ADMINS,
	  "only an admin, or the user's org_admin, changes a user") },
	[ACT_TOKEN_CREATE] = { .id = "token.create", ANYONE },
	[ACT_TOKEN_LIST] = { .id = "token.list", ANYONE },
	[ACT_TOKEN_REVOKE] = { .id = "token.revoke", ANYONE },

	/* the audit log (audit.c) */
	[ACT_AUDIT_READ] = { .id = "audit.read", .g = AUDITORS },
	[ACT_AUDIT_VERIFY] = { .id = "audit.verify", .g = AUDITORS },

	/* reports, 情報連絡 (reports.c); the path and the source: policy.c */
	[ACT_REPORT_FILE] = { .id = "report.file",
	  .why = "reports are filed by critical-infrastructure operators "
	    "(ci_operator)",
	  .g = { { ORG(ORG_CI_OPERATOR), STAFF, ALWAYS, NULL } } },
	[ACT_REPORT_LIST] = { .id = "report.list", ANYONE },
	[ACT_REPORT_READ] = { .id = "report.read", ANYONE },
	[ACT_REPORT_FOLLOWUP] = { .id = "report.followup",
	  .why = "only the reporting organisation files follow-up reports "
	    "(続報)",
	  .g = { { ORG(ORG_CI_OPERATOR), STAFF, ALWAYS, NULL } } },
	[ACT_REPORT_FORWARD] = { .id = "report.forward",
	  .why = "only the CEPTOAR secretariat or the ministry on the "
	    "report's path forwards it",
	  .g = { { ORG(ORG_CEPTOAR_SEC), STAFF, ALWAYS, NULL },
		 { ORG(ORG_CI_MINISTRY), ROLE_LIAISON, ALWAYS, NULL } } },
	[ACT_REPORT_SHARE] = { .id = "report.share",
	  .why = "only an organisation that holds the report (its source, "
	    "CEPTOAR secretariat, ministry or NISC) may share it",
	  .g = { { ORG(ORG_NISC), ANALYSTS, ALWAYS, SHARE_WHY },
		 { ORG(ORG_CI_MINISTRY), ROLE_LIAISON, ALWAYS, SHARE_WHY },
		 { ORG(ORG_CEPTOAR_SEC), STAFF, ALWAYS, SHARE_WHY },
		 { ORG(ORG_CI_OPERATOR), STAFF, ALWAYS, SHARE_WHY } } },

	/* advisories, 情報提供 (advisories.c); four eyes, delivery: handler */
	[ACT_ADV_ISSUE] = { .id = "advisory.issue",
	  .why = "advisories are issued by NISC",
	  .g = { { ORG(ORG_NISC), ANALYSTS, ALWAYS, NULL } } },
	[ACT_ADV_LIST] = { .id = "advisory.list", ANYONE },
	[ACT_ADV_READ] = { .id = "advisory.read", ANYONE },
	[ACT_ADV_FOLLOWUP] = { .id = "advisory.followup", ONLY(ORG(ORG_NISC),
	  ANALYSTS, "follow-ups are issued by NISC analysts") },
	[ACT_ADV_APPROVE] = { .id = "advisory.approve", ONLY(ORG(ORG_NISC),
	  ROLE_APPROVER, "approval needs a NISC user with the approver role") },
	[ACT_ADV_RELAY] = { .id = "advisory.relay",
	  .why = "only ministry liaisons and CEPTOAR PoCs relay advisories",
	  .g = { { ORG(ORG_NISC), ANALYSTS, ALWAYS,
		   "NISC relays through its analysts" },
		 { ORG(ORG_CI_MINISTRY), ROLE_LIAISON, ALWAYS,
		   "a ministry relays through its liaison" },
		 { ORG(ORG_CEPTOAR_SEC), ROLE_POC | ROLE_ORG_ADMIN, ALWAYS,
		   "a CEPTOAR relays through its PoC" } } },
	[ACT_ADV_ACK] = { .id = "advisory.ack", ANYONE },
	/* which advisory: a pending review of the caller's org (svc) */
	[ACT_ADV_SOURCE_REVIEW] = { .id = "advisory.source_review",
	  .why = "only the CEPTOAR secretariat of an anonymised source reviews "
	    "an advisory",
	  .g = { { ORG(ORG_CEPTOAR_SEC), STAFF | ROLE_LIAISON, ALWAYS, NULL } } },
	[ACT_INBOX_READ] = { .id = "inbox.read", ANYONE },
	[ACT_PUBLIC_READ] = { .id = "public.read", .public = true },

	/* widening requests (advisories.c); which report, whose source: handler */
	[ACT_WIDEN_REQUEST] = { .id = "widening.request", ONLY(ORG(ORG_NISC),
	  ANALYSTS, "NISC analysts ask a source to widen") },
	[ACT_WIDEN_LIST] = { .id = "widening.list", ANYONE },
	[ACT_WIDEN_DECIDE] = { .id = "widening.decide",
	  .why = "only the source (or, anonymised, its CEPTOAR secretariat) "
	    "answers a widening request",
	  .g = { { ORG(ORG_CI_OPERATOR) | ORG(ORG_CEPTOAR_SEC),
		   STAFF | ROLE_LIAISON, ALWAYS, NULL } } },

	/* notification channels (notify.c); whose channel: handler */
	[ACT_CHANNEL_CREATE] = { .id = "channel.create", ANYONE },
	[ACT_CHANNEL_LIST] = { .id = "channel.list", ANYONE },
	[ACT_CHANNEL_UPDATE] = { .id = "channel.update", ANYONE },
	[ACT_NOTIF_LIST] = { .id = "notification.list",
	  ONLY(ANY_ORG, ADMINS, "org_admin or admin only") },

	/* disclosure bases (disclosures.c); on the path: policy (disclosure.c) */
	[ACT_REPORT_DISCLOSE] = { .id = "report.disclose",
	  .why = "only NISC or a ministry on the report's path records a "
	    "disclosure basis",
	  .g = { { ORG(ORG_NISC), ANALYSTS, ALWAYS,
		   "NISC records a disclosure basis through its analysts" },
		 { ORG(ORG_CI_MINISTRY), ROLE_LIAISON, ALWAYS,
		   "a ministry records a disclosure basis through its "
		   "liaison" } } },

	/* statistics (stats.c); which reports count: the read policy */
	[ACT_STATS_READ] = { .id = "stats.read", ANYONE },

	/* the sector dependency graph and a report's cascade (deps.c) */
	[ACT_DEPS_READ] = { .id = "dependencies.read", ANYONE },
	[ACT_DEPS_EDIT] = { .id = "dependencies.update", ONLY(ORG(ORG_NISC),
	  ANALYSTS, "NISC analysts keep the dependency graph") },
	[ACT_REPORT_CASCADE] = { .id = "report.cascade", ONLY(ORG(ORG_NISC),
	  ANALYSTS, "NISC predicts the impact on other sectors (影響予測)") },

	/* the CEPTOAR council space (council.c); membership and who reads: svc, policy */
	[ACT_COUNCIL_POST] = { .id = "council.post", ONLY(ORG(ORG_CEPTOAR_SEC),
	  STAFF, "council posts are written by CEPTOAR secretariats") },
	[ACT_COUNCIL_READ] = { .id = "council.read", ANYONE },
	[ACT_COUNCIL_SHARE] = { .id = "council.share", ONLY(ORG(ORG_CEPTOAR_SEC),
	  STAFF, "a council post is shared by its author's CEPTOAR") },

	/* CEPTOAR drills (drills.c) */
	[ACT_DRILL_MANAGE] = { .id = "drill.manage", ONLY(ORG(ORG_NISC),
	  ANALYSTS, "NISC analysts run CEPTOAR drills") },

	/* cross-sector exercises (exercises.c); participants: svc */
	[ACT_EXERCISE_MANAGE] = { .id = "exercise.manage", ONLY(ORG(ORG_NISC),
	  ANALYSTS, "NISC analysts run the cross-sector exercises") },
	[ACT_EXERCISE_READ] = { .id = "exercise.read", ANYONE },

	/* operating modes and the situation board (modes.c) */
	[ACT_MODE_READ] = { .id = "mode.read", ANYONE },
	[ACT_MODE_DECLARE] = { .id = "mode.declare", ONLY(ORG(ORG_NISC),
	  ROLE_APPROVER, "a NISC approver declares and ends the large-scale "
	  "mode") },
	/* 別紙４－２: NISC with CAS, the incident-response and disaster ministries */
	[ACT_SITUATION_READ] = { .id = "situation.read",
	  .why = "the situation board is for NISC, 内閣官房（事態対処・危機管理担当）, "
	    "the incident-response and disaster-management ministries and the CI "
	    "ministries",
	  .g = { { ORG(ORG_NISC) | ORG(ORG_CAS) | ORG(ORG_IR_MINISTRY) |
		   ORG(ORG_DM_MINISTRY) | ORG(ORG_CI_MINISTRY), 0, ALWAYS,
		   NULL } } },
	[ACT_SITUATION_POST] = { .id = "situation.post",
	  .why = "damage and response-status updates are filed by NISC, "
	    "内閣官房（事態対処・危機管理担当）, the incident-response and "
	    "disaster-management ministries and the CI ministries while the "
	    "large-scale mode is on",
	  .g = { { ORG(ORG_NISC) | ORG(ORG_CAS) | ORG(ORG_IR_MINISTRY) |
		   ORG(ORG_DM_MINISTRY) | ORG(ORG_CI_MINISTRY),
		   ANALYSTS | STAFF | ROLE_LIAISON, LARGE_SCALE, NULL } } },
	/* TAXII 2.1 (taxii_*.c); which collections and objects: the policy */
	[ACT_TAXII_READ] = { .id = "taxii.read", ANYONE },
	[ACT_TAXII_CONTRIBUTE] = { .id = "taxii.contribute",
	  .why = "STIX objects are contributed by cybersecurity agencies, "
	    "cyberspace businesses and NISC",
	  .g = { { ORG(ORG_NISC), ANALYSTS, ALWAYS, NULL },
		 { ORG(ORG_CS_AGENCY) | ORG(ORG_CYBER_BUSINESS), STAFF, ALWAYS,
		   NULL } } },
	/* observables and correlation (obs.c); which items: the read policy */
	[ACT_OBS_LOOKUP] = { .id = "observable.lookup", ONLY(ORG(ORG_NISC),
	  ANALYSTS, "NISC analysts look up observables across sectors") },
	[ACT_CORRELATIONS_READ] = { .id = "correlations.read", ONLY(ORG(ORG_NISC),
	  ANALYSTS, "NISC analysts read the multi-sector observables") },
	[ACT_REPORT_CORRELATIONS] = { .id = "report.correlations", ANYONE },
	/* the yearly self-assessment survey (surveys.c); which campaign: policy */
	[ACT_SURVEY_MANAGE] = { .id = "survey.manage", ONLY(ORG(ORG_NISC),
	  ANALYSTS, "NISC analysts run the yearly survey") },
	[ACT_SURVEY_READ] = { .id = "survey.read", ANYONE },
	[ACT_SURVEY_ANSWER] = { .id = "survey.answer",
	  .why = "the survey is answered by critical-infrastructure operators "
	    "(ci_operator)",
	  .g = { { ORG(ORG_CI_OPERATOR), STAFF, ALWAYS, NULL } } },
	[ACT_SURVEY_SUBMIT] = { .id = "survey.submit", ONLY(ORG(ORG_CI_OPERATOR),
	  ROLE_ORG_ADMIN, "the operator's org_admin (its responsible person) "
	  "submits the survey") },
	[ACT_SURVEY_PROGRESS] = { .id = "survey.progress",
	  .why = "survey progress is for NISC and the CI ministries",
	  .g = { { ORG(ORG_NISC) | ORG(ORG_CI_MINISTRY), 0, ALWAYS, NULL } } },
	/* the risk workspace (risks.c); whose workspace: policy_risk_* */
	[ACT_RISK_READ] = { .id = "risk.read", ANYONE },
	[ACT_RISK_WRITE] = { .id = "risk.write", ONLY(ORG(ORG_CI_OPERATOR),
	  STAFF, "the risk workspace is kept by the operator's own staff") },

	/* attachments (別紙) and samples (検体) (attachments.c); the relation: policy.c */
	[ACT_REPORT_ATTACH] = { .id = "report.attach",
	  .why = "attachments are added by the organisation that filed the "
	    "report or its CEPTOAR secretariat",
	  .g = { { ORG(ORG_CI_OPERATOR), STAFF, ALWAYS, NULL },
		 { ORG(ORG_CEPTOAR_SEC), STAFF, ALWAYS, NULL } } },
	[ACT_ADV_ATTACH] = { .id = "advisory.attach", ONLY(ORG(ORG_NISC),
	  ANALYSTS, "attachments to advisories are added by NISC analysts") },
	[ACT_ATTACHMENT_READ] = { .id = "attachment.read", ANYONE },
	[ACT_SAMPLE_REQUEST] = { .id = "sample.request", ONLY(ORG(ORG_NISC),
	  ANALYSTS, "samples (検体) are requested by NISC analysts") },
	[ACT_SAMPLE_LIST] = { .id = "sample.list", ANYONE },
	[ACT_SAMPLE_ANSWER] = { .id = "sample.answer",
	  .why = "a sample request is answered by the report's source or its "
	    "CEPTOAR secretariat",
	  .g = { { ORG(ORG_CI_OPERATOR), STAFF, ALWAYS, NULL },
		 { ORG(ORG_CEPTOAR_SEC), STAFF, ALWAYS, NULL } } },

	/* inquiries (問合せ) and questions (inquiries.c); which advisory: policy */
	[ACT_INQUIRY_SEND] = { .id = "inquiry.send",
	  ONLY(ORG(ORG_CI_MINISTRY), ROLE_LIAISON, INQUIRY_WHY) },
	[ACT_INQUIRY_READ] = { .id = "inquiry.read", ANYONE },
	[ACT_INQUIRY_ANSWER] = { .id = "inquiry.answer", ONLY(ORG(ORG_NISC),
	  ANALYSTS, "NISC analysts answer inquiries") },
	[ACT_QUESTION_ASK] = { .id = "question.ask",
	  ONLY(ORG(ORG_CI_OPERATOR) | ORG(ORG_CEPTOAR_SEC), STAFF,
	  "operators and CEPTOAR secretariats ask their ministry; a ministry "
	  "sends NISC an inquiry") },
	[ACT_QUESTION_HANDLE] = { .id = "question.handle",
	  ONLY(ORG(ORG_CI_MINISTRY), ROLE_LIAISON, "a ministry's liaison "
	  "answers or forwards the questions addressed to it") },
	/* a user's to-do list (tasks.c); what it holds: the read policy */
	[ACT_TASKS_READ] = { .id = "tasks.read", ANYONE },
	[ACT_REPORT_TRIAGE] = { .id = "report.triage", ONLY(ORG(ORG_NISC),
	  ANALYSTS, "NISC analysts keep the handling state of received "
	  "reports") },
	/* issue 15: 差戻し, 督促, password reset */
	[ACT_ADV_RETURN] = { .id = "advisory.return", ONLY(ORG(ORG_NISC),
	  ROLE_APPROVER, "returning a draft needs a NISC user with the approver "
	  "role") },
	/* which recipients: those the caller delivered to (svc) */
	[ACT_ADV_REMIND] = { .id = "advisory.remind",
	  .why = "only NISC, ministry liaisons and CEPTOAR PoCs remind recipients",
	  .g = { { ORG(ORG_NISC), ANALYSTS, ALWAYS,
		   "NISC reminds through its analysts" },
		 { ORG(ORG_CI_MINISTRY), ROLE_LIAISON, ALWAYS,
		   "a ministry reminds through its liaison" },
		 { ORG(ORG_CEPTOAR_SEC), ROLE_POC | ROLE_ORG_ADMIN, ALWAYS,
		   "a CEPTOAR reminds through its PoC" } } },
	[ACT_USER_PASSWORD_RESET] = { .id = "user.password_reset",
	  ONLY(ANY_ORG, ADMINS, "only an admin, or the user's org_admin, resets "
	  "a password") },
	/* the user itself, with its current password (svc_password_change) */
	[ACT_USER_PASSWORD_CHANGE] = { .id = "user.password_change", ANYONE },
	/* federation peers (peers.c; docs/interop.md "Federation") */
	[ACT_PEER_READ] = { .id = "peer.read",
	  .why = PEER_WHY,
	  .g = { { ANY_ORG, ROLE_ADMIN, ALWAYS, PEER_WHY },
		 { ORG(ORG_NISC), ANALYSTS, ALWAYS, PEER_WHY } } },
	[ACT_PEER_MANAGE] = { .id = "peer.manage",
	  ONLY(ANY_ORG, ROLE_ADMIN, "federation peers are managed by an admin") },
	[ACT_FED_INBOX] = { .id = "federation.inbox", ONLY(ORG(ORG_NISC),
	  ANALYSTS, "NISC analysts read what peer nodes sent") },
	/* the second factor: the user itself, or its manager (svc_totp) */
	[ACT_TOTP_READ] = { .id = "totp.read", ANYONE },
	[ACT_TOTP_MANAGE] = { .id = "totp.manage", ANYONE },
	/* retention (retention.c); which item: core/retention.c */
	[ACT_RETENTION_HOLD] = { .id = "retention.hold",
	  .why = HOLD_WHY,
	  .g = { { ANY_ORG, ROLE_ADMIN, ALWAYS, HOLD_WHY },
		 { ORG(ORG_NISC), ANALYSTS, ALWAYS, HOLD_WHY } } },
	[ACT_REPORT_ERASE_SOURCE] = { .id = "report.erase_source",
	  .why = "only the source of an anonymised report or its CEPTOAR "
	    "secretariat erases its source",
	  .g = { { ORG(ORG_CI_OPERATOR) | ORG(ORG_CEPTOAR_SEC), STAFF, ALWAYS,
		   NULL } } },
	[ACT_RETENTION_READ] = { .id = "retention.read",
	  ONLY(ANY_ORG, ROLE_ADMIN, "the retention policy is for admins") },
};

static const char *const mode_ids[MODE__COUNT] = {
	[MODE_NORMAL] = "normal",
	[MODE_LARGE_SCALE] = "large_scale",
};

const char *
authz_mode_id(enum cs_mode m)
{
	if ((unsigned)m >= MODE__COUNT)
		return "";
	return mode_ids[m];
}

static const struct rule *
rule_of(enum authz_action a)
{
	if ((unsigned)a >= ACT__COUNT)
		return &rules[ACT_NONE];
	return &rules[a];
}

const char *
authz_action_id(enum authz_action a)
{
	return rule_of(a)->id;
}

bool
authz_public(enum authz_action a)
{
	return rule_of(a)->public;
}

static bool
org_in(const struct grant *g, const struct cs_principal *p)
{
	return (unsigned)p->org_type < ORG__COUNT &&
	    (g->orgs & ORG(p->org_type)) != 0;
}

static bool
roles_in(const struct grant *g, const struct cs_principal *p)
{
	return g->roles == 0 || (p->roles & g->roles) != 0;
}

static bool
mode_in(const struct grant *g, enum cs_mode m)
{
	return (unsigned)m < MODE__COUNT && (g->modes & CS_MODE_BIT(m)) != 0;
}

bool
authz_check(enum authz_action a, const struct cs_principal *p, enum cs_mode m)
{
	const struct rule *r = rule_of(a);

	if (r->public)
		return true;
	if (p == NULL)
		return false;
	for (size_t i = 0; i < NGRANTS && r->g[i].orgs != 0; i++)
		if (org_in(&r->g[i], p) && roles_in(&r->g[i], p) &&
		    mode_in(&r->g[i], m))
			return true;
	return false;
}

enum cs_err
authz_require(enum authz_action a, const struct cs_principal *p,
    enum cs_mode m, struct cs_error *e)
{
	const struct rule *r = rule_of(a);
	const struct grant *org_ok = NULL;
	const char *field = r->field != NULL ? r->field : "";
	bool role_ok = false;

	if (authz_check(a, p, m))
		return CS_OK;
	if (p == NULL)
		return cs_fail(e, CS_EAUTH, "", "missing bearer token");
	for (size_t i = 0; i < NGRANTS && r->g[i].orgs != 0; i++) {
		if (!org_in(&r->g[i], p))
			continue;
		if (org_ok == NULL)
			org_ok = &r->g[i];
		role_ok |= roles_in(&r->g[i], p);
	}
	if (org_ok == NULL)
		return cs_fail(e, CS_EPERM, field, "%s", r->why != NULL ? r->why :
		    "your organisation may not do this");
	if (!role_ok)
		return cs_fail(e, CS_EPERM, field, "%s", org_ok->why_role != NULL ?
		    org_ok->why_role : ROLES_DENIED);
	return cs_fail(e, CS_EPERM, "", "not allowed in the %s operating mode",
	    (unsigned)m < MODE__COUNT ? authz_mode_id(m) : "current");
}

/* Appends to out[sz] at *n, cutting at the end. */
static void
put(char *out, size_t sz, size_t *n, const char *s)
{
	size_t l = strlen(s);

	if (*n + 1 >= sz)
		return;
	if (l > sz - 1 - *n)
		l = sz - 1 - *n;
	memcpy(out + *n, s, l);
	*n += l;
	out[*n] = '\0';
}

/* The ids of the bits of mask, among count, joined by sep. */
static void
put_bits(char *out, size_t sz, size_t *n, unsigned mask, int count,
    const char *(*id)(int), const char *sep)
{
	bool first = true;

	for (int b = 0; b < count; b++) {
		if (!(mask & (1u << b)))
			continue;
		if (!first)
			put(out, sz, n, sep);
		put(out, sz, n, id(b));
		first = false;
	}
}

static const char *
org_id(int t)
{
	return core_org_type_id((enum cs_org_type)t);
}

static const char *
mode_id(int m)
{
	return authz_mode_id((enum cs_mode)m);
}

void
authz_describe(enum authz_action a, char *out, size_t sz)
{
	const struct rule *r = rule_of(a);
	size_t n = 0;

	if (sz == 0)
		return;
	out[0] = '\0';
	if (r->public) {
		put(out, sz, &n, "public");
		return;
	}
	if (r->g[0].orgs == 0) {
		put(out, sz, &n, "nobody");
		return;
	}
	for (size_t i = 0; i < NGRANTS && r->g[i].orgs != 0; i++) {
		const struct grant *g = &r->g[i];

		if (i > 0)
			put(out, sz, &n, " ");
		if (g->orgs == ANY_ORG)
			put(out, sz, &n, "any");
		else
			put_bits(out, sz, &n, g->orgs, ORG__COUNT, org_id, "|");
		if (g->roles != 0) {
			put(out, sz, &n, "(");
			put_bits(out, sz, &n, g->roles, CS_NROLES, core_role_id, ",");
			put(out, sz, &n, ")");
		}
		if (g->modes != CS_ALL_MODES) {
			put(out, sz, &n, "[");
			put_bits(out, sz, &n, g->modes, MODE__COUNT, mode_id, ",");
			put(out, sz, &n, "]");
		}
	}
}
