/*
 * authz: who may attempt an action.  One table, action x organisation
 * type x role x operating mode, checked once by the router (src/http) from
 * the route's declaration before the handler runs.  Pure: no store, no I/O.
 *
 * The table answers only "may a principal of this organisation type, with
 * these roles, in this mode, attempt the action at all".  Whether the
 * caller stands in the right relation to the item (the report's path, the
 * source's CEPTOAR, its own organisation) is decided afterwards by the
 * policy functions in core.h and by the handler.  docs/internals/authz.md.
 */
#ifndef CS_AUTHZ_H
#define CS_AUTHZ_H

#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"

/*
 * Operating modes: the normal system (別紙４－１) and the large-scale CI
 * service failure system (別紙４－２), which extends it: whatever the normal
 * system allows stays allowed, and the crisis-management actors join.
 */
enum cs_mode {
	MODE_NORMAL = 0,
	MODE_LARGE_SCALE,
	MODE__COUNT
};
#define CS_MODE_BIT(m)	(1u << (m))
#define CS_ALL_MODES	((1u << MODE__COUNT) - 1)

const char	*authz_mode_id(enum cs_mode);

/* One per route; the id strings ("report.file") are in authz.c. */
enum authz_action {
	ACT_NONE = 0,		/* undeclared: always refused */
	ACT_LOGIN,
	ACT_SESSION_CREATE,
	ACT_SESSION_READ,
	ACT_SESSION_DELETE,
	ACT_ME,
	ACT_REF_READ,
	ACT_ORG_CREATE,
	ACT_ORG_LIST,
	ACT_ORG_READ,
	ACT_ORG_UPDATE,
	ACT_USER_CREATE,
	ACT_USER_LIST,
	ACT_USER_UPDATE,
	ACT_TOKEN_CREATE,
	ACT_TOKEN_LIST,
	ACT_TOKEN_REVOKE,
	ACT_AUDIT_READ,
	ACT_AUDIT_VERIFY,
	ACT_REPORT_FILE,
	ACT_REPORT_LIST,
	ACT_REPORT_READ,
	ACT_REPORT_FOLLOWUP,
	ACT_REPORT_FORWARD,
	ACT_REPORT_SHARE,
	ACT_ADV_ISSUE,
	ACT_ADV_LIST,
	ACT_ADV_READ,
	ACT_ADV_FOLLOWUP,
	ACT_ADV_APPROVE,
	ACT_ADV_RELAY,
	ACT_ADV_ACK,
	ACT_ADV_SOURCE_REVIEW,
	ACT_INBOX_READ,
	ACT_PUBLIC_READ,
	ACT_WIDEN_REQUEST,
	ACT_WIDEN_LIST,
	ACT_WIDEN_DECIDE,
	ACT_CHANNEL_CREATE,
	ACT_CHANNEL_LIST,
	ACT_CHANNEL_UPDATE,
	ACT_NOTIF_LIST,
	ACT_REPORT_DISCLOSE,
	ACT_STATS_READ,
	ACT_DEPS_READ,
	ACT_DEPS_EDIT,
	ACT_REPORT_CASCADE,
	ACT_MODE_READ,
	ACT_MODE_DECLARE,
	ACT_SITUATION_READ,
	ACT_SITUATION_POST,
	ACT_COUNCIL_POST,
	ACT_COUNCIL_READ,
	ACT_COUNCIL_SHARE,
	ACT_DRILL_MANAGE,
	ACT_EXERCISE_MANAGE,
	ACT_EXERCISE_READ,
	ACT_TAXII_READ,
	ACT_TAXII_CONTRIBUTE,
	ACT_OBS_LOOKUP,
	ACT_CORRELATIONS_READ,
	ACT_REPORT_CORRELATIONS,
	ACT_SURVEY_MANAGE,
	ACT_SURVEY_READ,
	ACT_SURVEY_ANSWER,
	ACT_SURVEY_SUBMIT,
	ACT_SURVEY_PROGRESS,
	ACT_RISK_READ,
	ACT_RISK_WRITE,
	ACT_REPORT_ATTACH,
	ACT_ADV_ATTACH,
	ACT_ATTACHMENT_READ,
	ACT_SAMPLE_REQUEST,
	ACT_SAMPLE_LIST,
	ACT_SAMPLE_ANSWER,
	ACT_INQUIRY_SEND,
	ACT_INQUIRY_READ,
	ACT_INQUIRY_ANSWER,
	ACT_QUESTION_ASK,
	ACT_QUESTION_HANDLE,
	ACT_TASKS_READ,
	ACT_REPORT_TRIAGE,
	ACT_ADV_RETURN,
	ACT_ADV_REMIND,
	ACT_USER_PASSWORD_RESET,
	ACT_PEER_READ,
	ACT_PEER_MANAGE,
	ACT_FED_INBOX,
	ACT_TOTP_READ,
	ACT_TOTP_MANAGE,
	ACT_RETENTION_HOLD,
	ACT_REPORT_ERASE_SOURCE,
	ACT_RETENTION_READ,
	ACT_USER_PASSWORD_CHANGE,
	ACT__COUNT
};

/* "report.file"; "" for ACT_NONE or out of range. */
const char	*authz_action_id(enum authz_action);
/* Needs no credential (login, the public advisories). */
bool		 authz_public(enum authz_action);
/*
 * May `p` attempt `action` in `mode`?  p may be NULL (no credential): only
 * public actions are then allowed.
 */
bool		 authz_check(enum authz_action, const struct cs_principal *p,
		    enum cs_mode);
/*
 * authz_check, and on refusal fills e with CS_EPERM and the action's
 * message (the texts the handlers answered before the table existed).
 */
enum cs_err	 authz_require(enum authz_action, const struct cs_principal *p,
		    enum cs_mode, struct cs_error *e) CS_WUR;
/*
 * Who may: "public", "any", or grants such as
 * "nisc(analyst,approver) ci_ministry(liaison)"; for `cishared routes`.
 */
void		 authz_describe(enum authz_action, char *out, size_t sz);

#endif
