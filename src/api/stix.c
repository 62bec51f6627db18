/*
 * stix.c: GET /reports/{id}/stix and GET /advisories/{id}/stix (API.md
 * "STIX 2.1 and TAXII 2.1") — the item's JSON, loaded, audited and rendered
 * exactly as GET /reports/{id} and GET /advisories/{id} do, mapped to a
 * STIX 2.1 bundle by src/interop (docs/interop.md).  A caller that may not
 * read the item gets the same 404 as on the item.
 */

#include "api/api_int.h"
#include "interop/stix.h"

static void
add_org(struct api_req *q, json_t *orgs, int64_t id)
{
	struct store_org o;
	char key[24];

	if (id == 0 || store_org_get(q->st, id, &o) != CS_OK)
		return;
	cs_fmt(key, sizeof(key), "%lld", (long long)id);
	json_object_set_new(orgs, key, json_pack("{s:s}", "name",
	    o.name ? o.name : ""));
	store_org_fini(&o);
}

/*
 * {"<org id>": {"name"}} for the organisations the caller's JSON names: its
 * path and, when the report is not anonymised, the submitter.  The sealed
 * identity of an anonymised source is never looked up.
 */
json_t *
api_stix_report_orgs(struct api_req *q, const json_t *rep)
{
	json_t *orgs = json_object(), *p;
	size_t i;

	json_array_foreach(json_object_get(rep, "path"), i, p)
		add_org(q, orgs, json_integer_value(json_object_get(p, "org")));
	if (!json_is_true(json_object_get(rep, "anonymised")))
		add_org(q, orgs, json_integer_value(json_object_get(
		    json_object_get(rep, "submitter"), "org")));
	return orgs;
}

static enum cs_err
report_stix(struct api_req *q, struct cs_error *e)
{
	json_t *rep = NULL, *orgs;
	enum cs_err rc;

	if ((rc = api_report_get_json(q, &rep, e)) != CS_OK)
		return rc;
	orgs = api_stix_report_orgs(q, rep);
	if ((q->out = stix_report_bundle(rep, orgs, e)) == NULL)
		rc = e->code;
	else {
		q->content_type = STIX_MEDIA_TYPE;
		q->status = 200;
	}
	json_decref(orgs);
	json_decref(rep);
	return rc;
}

static enum cs_err
advisory_stix(struct api_req *q, struct cs_error *e)
{
	json_t *adv = NULL;
	enum cs_err rc;

	if ((rc = api_adv_get_json(q, &adv, NULL, e)) != CS_OK)
		return rc;
	if ((q->out = stix_advisory_bundle(adv, e)) == NULL)
		rc = e->code;
	else {
		q->content_type = STIX_MEDIA_TYPE;
		q->status = 200;
	}
	json_decref(adv);
	return rc;
}

const struct api_route api_stix_routes[] = {
	API_ROUTE("GET", "/reports/:id/stix", ACT_REPORT_READ,
	    .flags = API_SNAPSHOT, .fn = report_stix),
	API_ROUTE("GET", "/advisories/:id/stix", ACT_ADV_READ,
	    .fn = advisory_stix),
	API_ROUTES_END
};
