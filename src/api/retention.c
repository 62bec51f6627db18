/*
 * retention.c: retention (issue 16 item 6; docs/api.md "Retention") —
 * PUT/DELETE /reports/{id}/hold, PUT/DELETE /advisories/{id}/hold,
 * POST /reports/{id}/erase-source, GET /retention: parse →
 * svc_retention → render.  Which item a caller may hold or erase is
 * decided in core/retention.c.
 */
#include "api/api_int.h"
#include "svc/svc_retention.h"

static enum cs_err
hold(struct api_req *q, int kind, bool on, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_retention_hold(&c, kind, q->ids[0], on, &q->out, e)) ==
	    CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
report_hold(struct api_req *q, struct cs_error *e)
{
	return hold(q, STORE_ITEM_REPORT, true, e);
}

static enum cs_err
report_unhold(struct api_req *q, struct cs_error *e)
{
	return hold(q, STORE_ITEM_REPORT, false, e);
}

static enum cs_err
adv_hold(struct api_req *q, struct cs_error *e)
{
	return hold(q, STORE_ITEM_ADVISORY, true, e);
}

static enum cs_err
adv_unhold(struct api_req *q, struct cs_error *e)
{
	return hold(q, STORE_ITEM_ADVISORY, false, e);
}

static enum cs_err
erase_source(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_retention_erase_source(&c, q->ids[0], q->body, &q->out,
	    e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
plan(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_retention_plan(&c, &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

/* .visible: an admin any existing item, NISC one it reads (else 404). */
static enum cs_err
hold_visible(struct api_req *q, int kind, struct cs_error *e)
{
	struct svc_ctx c;

	api_svc_ctx(q, &c);
	return svc_retention_hold_check(&c, kind, q->ids[0], NULL, e);
}

static enum cs_err
report_hold_visible(struct api_req *q, struct cs_error *e)
{
	return hold_visible(q, STORE_ITEM_REPORT, e);
}

static enum cs_err
adv_hold_visible(struct api_req *q, struct cs_error *e)
{
	return hold_visible(q, STORE_ITEM_ADVISORY, e);
}

const struct api_route api_retention_routes[] = {
	API_ROUTE("PUT", "/reports/:id/hold", ACT_RETENTION_HOLD,
	    .visible = report_hold_visible, .fn = report_hold),
	API_ROUTE("DELETE", "/reports/:id/hold", ACT_RETENTION_HOLD,
	    .visible = report_hold_visible, .fn = report_unhold),
	API_ROUTE("PUT", "/advisories/:id/hold", ACT_RETENTION_HOLD,
	    .visible = adv_hold_visible, .fn = adv_hold),
	API_ROUTE("DELETE", "/advisories/:id/hold", ACT_RETENTION_HOLD,
	    .visible = adv_hold_visible, .fn = adv_unhold),
	API_ROUTE("POST", "/reports/:id/erase-source", ACT_REPORT_ERASE_SOURCE,
	    .flags = API_BODY, .body = API_KEYS("confirm"),
	    .visible = api_report_visible, .fn = erase_source),
	API_ROUTE("GET", "/retention", ACT_RETENTION_READ, .fn = plan),
	API_ROUTES_END
};
