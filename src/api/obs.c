/*
 * obs.c: GET /observables, GET /reports/{id}/correlations and
 * GET /correlations (API.md "Analysis"): parse → svc_obs → render.  Which
 * items are listed and counted is the read policy's (svc/obs.c).
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "svc/svc_obs.h"
#include "svc/svc_report.h"

static enum cs_err
obs_lookup(struct api_req *q, struct cs_error *e)
{
	const char *value = q->query(q->conn, "value");
	struct svc_ctx c;
	enum cs_err rc;

	if (value == NULL || *value == '\0')
		return cs_fail(e, CS_EINVAL, "value", "required");
	api_svc_ctx(q, &c);
	if ((rc = svc_obs_lookup(&c, value, &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
report_correlations(struct api_req *q, struct cs_error *e)
{
	struct svc_report x;
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_report_load_visible(&c, q->ids[0], SVC_LOAD_VERSIONS, &x,
	    e)) != CS_OK)
		return rc;
	if ((rc = svc_obs_correlations(&c, &x, &q->out, e)) == CS_OK &&
	    (rc = svc_report_read(&c, &x, e)) == CS_OK)
		q->status = 200;
	svc_report_fini(&x);
	return rc;
}

/* A small positive integer query parameter (default def). */
static enum cs_err
int_param(struct api_req *q, const char *name, int def, int min, int max,
    int *out, struct cs_error *e)
{
	const char *s = q->query(q->conn, name);
	int64_t v;

	*out = def;
	if (s == NULL)
		return CS_OK;
	if (cs_str_to_i64(s, min, max, &v) != CS_OK)
		return cs_fail(e, CS_EINVAL, name, "must be an integer from %d "
		    "to %d", min, max);
	*out = (int)v;
	return CS_OK;
}

static enum cs_err
correlations(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	int min, days;
	enum cs_err rc;

	if ((rc = int_param(q, "min_sectors", 2, 1, 32, &min, e)) != CS_OK ||
	    (rc = int_param(q, "days", 7, 1, 3660, &days, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	if ((rc = svc_obs_queue(&c, min, days, &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

const struct api_route api_obs_routes[] = {
	API_ROUTE("GET", "/observables", ACT_OBS_LOOKUP, .fn = obs_lookup),
	API_ROUTE("GET", "/reports/:id/correlations", ACT_REPORT_CORRELATIONS,
	    .visible = api_report_visible, .fn = report_correlations),
	API_ROUTE("GET", "/correlations", ACT_CORRELATIONS_READ,
	    .fn = correlations),
	API_ROUTES_END
};
