/*
 * retention.c: see retention.h.
 */
#include <string.h>

#include "core/retention.h"

static const char *const class_ids[RET__COUNT] = {
	[RET_REPORTS] = "reports",
	[RET_ADVISORIES] = "advisories",
	[RET_STIX] = "stix",
	[RET_NOTIFICATIONS] = "notifications",
	[RET_EXERCISES] = "exercises",
};

const char *
retention_class_id(enum cs_ret_class k)
{
	if ((unsigned)k >= RET__COUNT)
		return "";
	return class_ids[k];
}

int
retention_class_of(const char *id)
{
	if (id == NULL)
		return -1;
	for (int k = 0; k < RET__COUNT; k++)
		if (strcmp(class_ids[k], id) == 0)
			return k;
	return -1;
}

int64_t
retention_cutoff(const struct cs_retention *r, enum cs_ret_class k,
    int64_t now_us)
{
	int64_t days;

	if (r == NULL || (unsigned)k >= RET__COUNT)
		return 0;
	days = r->days[k];
	if (days <= 0 || days > RET_MAX_DAYS || now_us <= days * RET_DAY_US)
		return 0;
	return now_us - days * RET_DAY_US;
}

bool
retention_due(const struct cs_retention *r, enum cs_ret_class k,
    int64_t last_us, bool held, int64_t now_us)
{
	int64_t cut = retention_cutoff(r, k, now_us);

	if (held || cut == 0)
		return false;
	return last_us < cut;
}

bool
retention_may_hold(const struct cs_principal *p, bool readable)
{
	if (p == NULL || p->org_id == 0)
		return false;
	if ((p->roles & ROLE_ADMIN) != 0)
		return true;
	return readable && p->org_type == ORG_NISC &&
	    (p->roles & (ROLE_ANALYST | ROLE_APPROVER)) != 0;
}

bool
retention_may_erase_source(const struct cs_principal *p,
    const struct cs_report_acl *r)
{
	enum cs_relation rel;

	if (p == NULL || r == NULL || !r->anonymised)
		return false;
	rel = policy_report_relation(p, r);
	return rel == REL_SUBMITTER || rel == REL_CEPTOAR;
}
