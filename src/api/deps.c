/*
 * deps.c: GET/PUT /dependencies and GET /reports/{id}/cascade (API.md
 * "Analysis"): parse → svc_deps → render.
 */
#include "api/api_int.h"
#include "svc/svc_deps.h"
#include "svc/svc_report.h"

static enum cs_err
deps_get(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_deps_get(&c, &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
deps_put(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_deps_put(&c, q->body, e)) != CS_OK ||
	    (rc = svc_deps_get(&c, &q->out, e)) != CS_OK)
		return rc;
	q->status = 200;
	return CS_OK;
}

static enum cs_err
report_cascade(struct api_req *q, struct cs_error *e)
{
	struct svc_report x;
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_report_load_visible(&c, q->ids[0], SVC_LOAD_VERSIONS, &x,
	    e)) != CS_OK)
		return rc;
	if ((rc = svc_report_cascade(&c, &x, &q->out, e)) == CS_OK &&
	    (rc = svc_report_read(&c, &x, e)) == CS_OK)
		q->status = 200;
	svc_report_fini(&x);
	return rc;
}

const struct api_route api_deps_routes[] = {
	API_ROUTE("GET", "/dependencies", ACT_DEPS_READ, .flags = API_SNAPSHOT,
	    .fn = deps_get),
	API_ROUTE("PUT", "/dependencies", ACT_DEPS_EDIT, .flags = API_BODY,
	    .body = API_KEYS("edges"), .fn = deps_put),
	API_ROUTE("GET", "/reports/:id/cascade", ACT_REPORT_CASCADE,
	    .visible = api_report_visible, .fn = report_cascade),
	API_ROUTES_END
};
