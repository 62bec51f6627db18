/*
 * ref.c: GET /sectors and GET /taxonomy — the reference data loaded by
 * `cishared init` from the project's data/ files.
 */
#include <stdlib.h>

#include "api/api.h"

static enum cs_err
ref_json(struct api_req *r, const char *name, json_t **out, struct cs_error *e)
{
	char *text;
	enum cs_err rc;

	rc = store_ref_get(r->st, name, &text);
	if (rc == CS_ENOENT)
		return cs_fail(e, CS_ENOENT, "", "reference data %s not loaded: run "
		    "cishared init", name);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*out = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	free(text);
	if (*out == NULL)
		return cs_fail(e, CS_EINTERNAL, "", "corrupt reference data %s", name);
	return CS_OK;
}

/* GET /sectors -> {"items": [15 sectors], "next_cursor": null, "about": ...} */
static enum cs_err
sectors(struct api_req *r, struct cs_error *e)
{
	json_t *j;
	enum cs_err rc;

	if ((rc = ref_json(r, "sectors.json", &j, e)) != CS_OK)
		return rc;
	r->out = json_pack("{s:O, s:n, s:O}", "items", json_object_get(j, "sectors"),
	    "next_cursor", "about", json_object_get(j, "about"));
	json_decref(j);
	r->status = 200;
	return CS_OK;
}

/* GET /taxonomy -> taxonomy.json as loaded. */
static enum cs_err
taxonomy(struct api_req *r, struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = ref_json(r, "taxonomy.json", &r->out, e)) != CS_OK)
		return rc;
	r->status = 200;
	return CS_OK;
}

const struct api_route api_ref_routes[] = {
	API_ROUTE("GET", "/sectors", ACT_REF_READ, .fn = sectors),
	API_ROUTE("GET", "/taxonomy", ACT_REF_READ, .fn = taxonomy),
	API_ROUTES_END
};
