/*
 * widening.c: scope-widening requests on reports (see svc_widening.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/flow.h"
#include "svc/svc_widening.h"

bool
svc_widening_answers(const struct svc_ctx *c, const struct cs_report_acl *acl)
{
	enum cs_relation rel = policy_report_relation(&c->who, acl);

	if (!policy_report_may_read(&c->who, acl))
		return false;
	if (acl->anonymised)
		return rel == REL_CEPTOAR;
	return rel == REL_SUBMITTER;
}

enum cs_err
svc_widening_request(struct svc_ctx *c, const struct svc_report *x,
    struct store_widening *w, struct cs_error *e)
{
	enum cs_err rc;

	if (policy_report_relation(&c->who, &x->acl) != REL_NISC)
		return cs_fail(e, CS_EPERM, "", "NISC analysts ask a source to widen");
	if (!flow_widening_wider(w->tlp, w->sectors, x->r.tlp, x->r.sector))
		return cs_fail(e, CS_EINVAL, "tlp", "that is not wider than what the "
		    "source already allowed");
	w->report = x->r.id;
	w->state = WIDEN_PENDING;
	w->by_user = c->who.user_id;
	w->by_org = c->who.org_id;
	w->created_us = c->now_us;
	if ((rc = store_widening_insert(c->st, w)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if ((rc = svc_audit_op(c, "widening.request", "report", x->r.id,
	    json_pack("{s:I, s:s}", "request", (json_int_t)w->id, "tlp",
	    core_tlp_id(w->tlp)), false, e)) != CS_OK)
		return rc;
	return CS_OK;
}

void
svc_widening_fini(struct svc_widening *x)
{
	store_widening_fini(&x->w);
	svc_report_fini(&x->rep);
}

bool
svc_widening_visible(const struct svc_ctx *c, const struct cs_report_acl *acl)
{
	if (svc_widening_answers(c, acl))
		return true;
	return policy_report_may_read(&c->who, acl) &&
	    policy_report_relation(&c->who, acl) == REL_NISC;
}

enum cs_err
svc_widening_load_visible(struct svc_ctx *c, int64_t id, struct svc_widening *x,
    struct cs_error *e)
{
	enum cs_err rc;

	/* x->rep is set up by svc_report_load(), even when it fails. */
	if ((rc = store_widening_get(c->st, id, &x->w)) != CS_OK)
		return svc_load_failed(rc, "widening request", e);
	if ((rc = svc_report_load(c, x->w.report, 0, &x->rep, e)) != CS_OK) {
		/* A request whose report is gone is no request. */
		if (rc == CS_ENOENT)
			rc = svc_load_failed(rc, "widening request", e);
		goto fail;
	}
	/* Invisible is absent: the very answer of a missing id. */
	if (!svc_widening_visible(c, &x->rep.acl)) {
		rc = svc_load_failed(CS_ENOENT, "widening request", e);
		goto fail;
	}
	return CS_OK;
fail:
	svc_widening_fini(x);
	return rc;
}

enum cs_err
svc_widening_load(struct svc_ctx *c, int64_t id, struct svc_widening *x,
    struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = svc_widening_load_visible(c, id, x, e)) != CS_OK)
		return rc;
	if (!svc_widening_answers(c, &x->rep.acl)) {
		svc_widening_fini(x);
		return cs_fail(e, CS_EPERM, "", "only the source (or, anonymised, "
		    "its CEPTOAR secretariat) answers a widening request");
	}
	return CS_OK;
}

enum cs_err
svc_widening_decide(struct svc_ctx *c, struct svc_widening *x, bool approve,
    struct cs_error *e)
{
	struct store_widening *w = &x->w;
	enum cs_err rc;

	if (w->state != WIDEN_PENDING)
		return cs_fail(e, CS_ECONFLICT, "", "already answered");
	w->state = approve ? WIDEN_APPROVED : WIDEN_REFUSED;
	w->decided_us = c->now_us;
	/* The anonymised source's secretariat answers in its own name. */
	w->decided_by_org = c->who.org_id;
	w->decided_by_user = c->who.user_id;
	if (x->rep.acl.anonymised &&
	    policy_report_relation(&c->who, &x->rep.acl) == REL_SUBMITTER) {
		w->decided_by_org = 0;
		w->decided_by_user = 0;
	}
	if ((rc = store_widening_update(c->st, w)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return svc_audit_op(c, approve ? "widening.approve" : "widening.refuse",
	    "report", w->report, json_pack("{s:I}", "request", (json_int_t)w->id),
	    w->decided_by_org == 0, e);
}
