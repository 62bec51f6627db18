/*
 * disclosures.c: POST /reports/{id}/disclosures — the disclosure basis of
 * a report (API.md "Disclosure basis, sample requests, inquiries"; issue
 * 10 item 10), the "disclosures" list of GET /reports/{id} and the
 * "disclosure" member of POST /reports/{id}/share.
 *
 * Parse (core_disclosure_check) → svc (src/svc/disclosure.c) → render.
 */
#include <string.h>

#include "api/api_int.h"
#include "svc/svc_disclosure.h"

json_t *
api_disclosures_json(struct svc_ctx *c, const struct svc_report *x)
{
	struct store_disclosure *v = NULL;
	struct cs_error e;
	json_t *out;
	size_t n = 0;

	if (svc_disclosure_list(c, x, &v, &n, &e) != CS_OK) {
		log_warn("event=disclosures_unlisted report=%lld error=%s",
		    (long long)x->r.id, e.msg);
		return json_null();
	}
	out = json_array();
	/* by_org is the deciding organisation (NISC or a ministry), never a source. */
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:s, s:I, s:o}",
		    "id", (json_int_t)v[i].id,
		    "basis", core_disclosure_basis_id(v[i].basis),
		    "reason", v[i].reason ? v[i].reason : "",
		    "to", v[i].to ? v[i].to : "",
		    "by_org", (json_int_t)v[i].by_org,
		    "at", api_time(v[i].at_us)));
	store_disclosures_free(v, n);
	return out;
}

enum cs_err
api_disclosure_arg(struct api_req *q, int64_t *id, struct cs_error *e)
{
	json_t *v = json_object_get(q->body, "disclosure");

	*id = 0;
	if (v == NULL || json_is_null(v))
		return CS_OK;
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return cs_fail(e, CS_EINVAL, "disclosure", "must be the id of a "
		    "disclosure basis recorded on this report");
	*id = json_integer_value(v);
	return CS_OK;
}

/* ---- POST /reports/{id}/disclosures -------------------------------------- */

static enum cs_err
disclosures_create(struct api_req *q, struct cs_error *e)
{
	struct cs_disclosure_in in;
	struct svc_report x;
	struct svc_ctx c;
	int64_t id = 0;
	enum cs_err rc;

	if ((rc = core_disclosure_check(q->body, &in, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	if ((rc = svc_report_load_visible(&c, q->ids[0], 0, &x, e)) != CS_OK)
		return rc;
	if ((rc = svc_disclosure_record(&c, &x, &in, &id, e)) == CS_OK) {
		q->status = 201;
		q->out = json_pack("{s:I}", "id", (json_int_t)id);
	}
	svc_report_fini(&x);
	return rc;
}

const struct api_route api_disclosures_routes[] = {
	API_ROUTE("POST", "/reports/:id/disclosures", ACT_REPORT_DISCLOSE,
	    .flags = API_BODY, .body = API_KEYS("basis", "reason", "to"),
	    .visible = api_report_visible, .fn = disclosures_create),
	API_ROUTES_END
};
