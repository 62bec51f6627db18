/*
 * inquiry.c: the rules of inquiries (問合せ) and questions (inquiry.h).
 */
#include <string.h>

#include "core/inquiry.h"

static bool
delivered(const struct cs_advisory_acl *a, int64_t org)
{
	for (size_t i = 0; i < a->ndelivered; i++)
		if (a->delivered[i] == org)
			return true;
	return false;
}

static bool
nisc(const struct cs_principal *p)
{
	return p != NULL && p->org_id != 0 && p->org_type == ORG_NISC;
}

enum cs_err
policy_inquiry_may_send(const struct cs_principal *p,
    const struct cs_advisory_acl *a, struct cs_error *e)
{
	if (!policy_advisory_may_read(p, a) || a->state != ADV_ISSUED ||
	    !delivered(a, p->org_id))
		return cs_fail(e, CS_ENOENT, "", "no such advisory");
	if (p->org_type != ORG_CI_MINISTRY || !(p->roles & ROLE_LIAISON))
		return cs_fail(e, CS_EPERM, "", "inquiries to NISC are sent by the "
		    "liaison of a CI ministry (operators and CEPTOARs ask their "
		    "ministry)");
	return CS_OK;
}

bool
policy_inquiry_may_read(const struct cs_principal *p, int64_t org)
{
	if (p == NULL || p->org_id == 0 || p->org_type == ORG_PLATFORM)
		return false;
	return nisc(p) || p->org_id == org;
}

bool
policy_inquiry_may_answer(const struct cs_principal *p)
{
	return nisc(p) && (p->roles & (ROLE_ANALYST | ROLE_APPROVER)) != 0;
}

enum cs_err
policy_question_may_ask(const struct cs_principal *p,
    const struct cs_advisory_acl *a, struct cs_error *e)
{
	if (!policy_advisory_may_read(p, a) || a->state != ADV_ISSUED ||
	    !delivered(a, p->org_id))
		return cs_fail(e, CS_ENOENT, "", "no such advisory");
	if (p->org_type != ORG_CI_OPERATOR && p->org_type != ORG_CEPTOAR_SEC)
		return cs_fail(e, CS_EPERM, "", "operators and CEPTOAR "
		    "secretariats ask their ministry; a ministry sends NISC an "
		    "inquiry");
	return CS_OK;
}

bool
policy_question_may_read(const struct cs_principal *p, int64_t asker,
    int64_t ministry)
{
	if (p == NULL || p->org_id == 0 || p->org_type == ORG_PLATFORM)
		return false;
	return p->org_id == asker || p->org_id == ministry;
}

bool
policy_question_may_handle(const struct cs_principal *p, int64_t ministry)
{
	return p != NULL && p->org_id != 0 && p->org_id == ministry &&
	    p->org_type == ORG_CI_MINISTRY && (p->roles & ROLE_LIAISON) != 0;
}

int64_t
core_question_ministry(uint32_t sectors, const struct cs_org_ref *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].type == ORG_CI_MINISTRY && (m[i].sectors & sectors) != 0)
			return m[i].id;
	return 0;
}

enum cs_err
core_inquiry_text(json_t *body, const char *key, const char **out,
    struct cs_error *e)
{
	json_t *v = json_object_get(body, key);
	enum cs_err rc;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return cs_fail(e, CS_EINVAL, key, "required field is missing");
	if ((rc = core_check_string(v, CS_MAX_INQUIRY, key, e)) != CS_OK)
		return rc;
	if (json_string_length(v) == 0)
		return cs_fail(e, CS_EINVAL, key, "required field is missing");
	*out = json_string_value(v);
	return CS_OK;
}

static const char *const triage_ids[] = { "open", "assigned", "done" };

const char *
core_triage_id(enum cs_triage t)
{
	return (unsigned)t < 3 ? triage_ids[t] : "";
}

int
core_triage_parse(const char *s, enum cs_triage *t)
{
	for (int i = 0; i < 3; i++)
		if (s != NULL && strcmp(s, triage_ids[i]) == 0) {
			*t = (enum cs_triage)i;
			return 0;
		}
	return -1;
}
