/*
 * disclosure.c: a report's disclosure bases (see svc_disclosure.h; the
 * rules are core's disclosure.c).
 */
#include <string.h>

#include "svc/svc_disclosure.h"

enum cs_err
svc_disclosure_record(struct svc_ctx *c, const struct svc_report *x,
    const struct cs_disclosure_in *in, int64_t *id, struct cs_error *e)
{
	struct store_disclosure d;
	enum cs_err rc;

	if ((rc = policy_report_may_disclose(&c->who, &x->acl, e)) != CS_OK)
		return rc;
	memset(&d, 0, sizeof(d));
	d.report = x->r.id;
	d.basis = in->basis;
	/* Borrowed for the insert only. */
	d.reason = (char *)in->reason;
	d.to = (char *)in->to;
	d.by_org = c->who.org_id;
	d.by_user = c->who.user_id;
	d.at_us = c->now_us;
	if ((rc = store_disclosure_insert(c->st, &d)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*id = d.id;
	return svc_audit_op(c, "report.disclose", "report", x->r.id,
	    json_pack("{s:I, s:s}", "disclosure", (json_int_t)d.id, "basis",
	    core_disclosure_basis_id(d.basis)), false, e);
}

enum cs_err
svc_disclosure_list(struct svc_ctx *c, const struct svc_report *x,
    struct store_disclosure **v, size_t *n, struct cs_error *e)
{
	enum cs_err rc;

	*v = NULL;
	*n = 0;
	if (!policy_report_may_read(&c->who, &x->acl))
		return cs_fail(e, CS_ENOENT, "", "no such report");
	if ((rc = store_disclosure_list(c->st, x->r.id, v, n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return CS_OK;
}

enum cs_err
svc_disclosure_find(struct svc_ctx *c, const struct svc_report *x, int64_t id,
    struct store_disclosure *d, struct cs_error *e)
{
	enum cs_err rc;

	memset(d, 0, sizeof(*d));
	if (id <= 0)
		return cs_fail(e, CS_EINVAL, "disclosure", "must be the id of a "
		    "disclosure basis recorded on this report");
	rc = store_disclosure_get(c->st, id, d);
	if (rc == CS_OK && d->report == x->r.id)
		return CS_OK;
	store_disclosure_fini(d);
	if (rc != CS_OK && rc != CS_ENOENT)
		return cs_fail(e, rc, "", "store error");
	return cs_fail(e, CS_EINVAL, "disclosure", "no such disclosure basis on "
	    "this report");
}
