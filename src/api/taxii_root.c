/*
 * taxii_root.c: the TAXII 2.1 server's discovery, API root, collections,
 * status resources and POST objects/ (docs/interop.md "TAXII 2.1"), and
 * the route table of every TAXII endpoint.  A collection the caller may
 * not read is never listed and answers 404, as an absent one
 * (policy_taxii_collection_may_read).
 */
#include <string.h>

#include "api/taxii.h"
#include "svc/svc_obj.h"

static const struct {
	const char	*id;
	const char	*title;
	const char	*description;
} colls[TAXII__COUNT] = {
	[TAXII_ADVISORIES] = { "advisories", "Advisories (情報提供)",
	    "The advisories that reached the caller, each a report object with "
	    "its indicators and observables" },
	[TAXII_INDICATORS] = { "indicators", "Indicators",
	    "The indicators of the advisories that reached the caller" },
	[TAXII_REPORTS] = { "reports", "Reports (情報連絡)",
	    "The reports the caller holds, each an incident" },
	[TAXII_CONTRIBUTIONS] = { "contributions", "Contributions",
	    "STIX objects contributed by cybersecurity agencies, cyberspace "
	    "businesses and NISC; readable by NISC and by their contributor" },
};

int
taxii_coll_parse(const char *s)
{
	for (int i = 0; i < TAXII__COUNT; i++)
		if (strcmp(colls[i].id, s) == 0)
			return i;
	return -1;
}

const char *
taxii_coll_id(int c)
{
	return c >= 0 && c < TAXII__COUNT ? colls[c].id : "";
}

void
taxii_seg(const struct api_req *q, int n, char *out, size_t outsz)
{
	const char *p = q->path;

	*out = '\0';
	for (int i = 0; *p != '\0'; i++) {
		size_t k;

		while (*p == '/')
			p++;
		k = strcspn(p, "/");
		if (k == 0)
			return;
		if (i == n) {
			if (k < outsz) {
				memcpy(out, p, k);
				out[k] = '\0';
			}
			return;
		}
		p += k;
	}
}

enum cs_err
taxii_coll_visible(struct api_req *q, struct cs_error *e)
{
	char seg[64];
	int c;

	taxii_seg(q, 3, seg, sizeof(seg));
	c = taxii_coll_parse(seg);
	if (c < 0 || !q->authed ||
	    !policy_taxii_collection_may_read(&q->who, (enum cs_taxii_coll)c))
		return cs_fail(e, CS_ENOENT, "", "no such collection");
	return CS_OK;
}

void
taxii_answer(struct api_req *q, json_t *out)
{
	q->out = out;
	q->content_type = TAXII_MEDIA_TYPE;
	q->status = 200;
}

static bool
may_write(struct api_req *q, int c)
{
	struct cs_error e;

	return c == TAXII_CONTRIBUTIONS &&
	    authz_require(ACT_TAXII_CONTRIBUTE, &q->who, MODE_NORMAL, &e) == CS_OK;
}

static json_t *
coll_json(struct api_req *q, int c)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:b, s:[s]}", "id", colls[c].id,
	    "title", colls[c].title, "description", colls[c].description,
	    "can_read", 1, "can_write", may_write(q, c), "media_types",
	    STIX_MEDIA_TYPE);
}

/* GET /taxii2/ */
static enum cs_err
discovery(struct api_req *q, struct cs_error *e)
{
	(void)e;
	taxii_answer(q, json_pack("{s:s, s:s, s:s, s:[s]}", "title",
	    "cishare TAXII 2.1", "description", "Critical-infrastructure "
	    "cybersecurity information sharing (重要インフラの情報共有)",
	    "default", TAXII_ROOT, "api_roots", TAXII_ROOT));
	return CS_OK;
}

/* GET /taxii2/cishare/ */
static enum cs_err
api_root(struct api_req *q, struct cs_error *e)
{
	(void)e;
	taxii_answer(q, json_pack("{s:s, s:s, s:[s], s:i}", "title", "cishare",
	    "description", "The reports, advisories and indicators the caller "
	    "may read, and contributed STIX objects", "versions",
	    TAXII_MEDIA_TYPE, "max_content_length", CS_MAX_BODY));
	return CS_OK;
}

/* GET /taxii2/cishare/collections/ */
static enum cs_err
collections(struct api_req *q, struct cs_error *e)
{
	json_t *list = json_array();

	(void)e;
	for (int c = 0; c < TAXII__COUNT; c++)
		if (policy_taxii_collection_may_read(&q->who,
		    (enum cs_taxii_coll)c))
			json_array_append_new(list, coll_json(q, c));
	taxii_answer(q, json_pack("{s:o}", "collections", list));
	return CS_OK;
}

/* GET /taxii2/cishare/collections/{id}/ */
static enum cs_err
collection(struct api_req *q, struct cs_error *e)
{
	char seg[64];
	enum cs_err rc;

	if ((rc = taxii_coll_visible(q, e)) != CS_OK)
		return rc;
	taxii_seg(q, 3, seg, sizeof(seg));
	taxii_answer(q, coll_json(q, taxii_coll_parse(seg)));
	return CS_OK;
}

/* POST /taxii2/cishare/collections/{id}/objects/ -> 202 and a status */
static enum cs_err
objects_post(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *status = NULL;
	char seg[64];
	enum cs_err rc;

	if ((rc = taxii_coll_visible(q, e)) != CS_OK)
		return rc;
	taxii_seg(q, 3, seg, sizeof(seg));
	if (!may_write(q, taxii_coll_parse(seg)))
		return cs_fail(e, CS_EPERM, "", "this collection is read-only; "
		    "contribute to the contributions collection");
	api_svc_ctx(q, &c);
	if ((rc = svc_obj_import(&c, q->body, &status, e)) != CS_OK)
		return rc;
	taxii_answer(q, status);
	q->status = 202;
	return CS_OK;
}

/* GET /taxii2/cishare/status/{id}/ */
static enum cs_err
status_get(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *status = NULL;
	char seg[64];
	enum cs_err rc;

	taxii_seg(q, 3, seg, sizeof(seg));
	api_svc_ctx(q, &c);
	if ((rc = svc_obj_status(&c, seg, &status, e)) != CS_OK)
		return rc;
	taxii_answer(q, status);
	return CS_OK;
}

/*
 * POST /api/v1/stix/import: the same import into the contributions
 * collection for `cishare import` (JSON in, the status resource out, the
 * API's error form).
 */
static enum cs_err
stix_import(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *status = NULL;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_obj_import(&c, q->body, &status, e)) != CS_OK)
		return rc;
	q->out = status;
	q->status = 202;
	return CS_OK;
}

const struct api_route api_import_routes[] = {
	API_ROUTE("POST", "/stix/import", ACT_TAXII_CONTRIBUTE,
	    .flags = API_BODY, .fn = stix_import),
	API_ROUTES_END
};

const struct api_route api_taxii_routes[] = {
	API_ROUTE("GET", "/taxii2", ACT_TAXII_READ, .fn = discovery),
	API_ROUTE("GET", "/taxii2/cishare", ACT_TAXII_READ, .fn = api_root),
	API_ROUTE("GET", "/taxii2/cishare/collections", ACT_TAXII_READ,
	    .fn = collections),
	API_ROUTE("GET", "/taxii2/cishare/collections/*", ACT_TAXII_READ,
	    .fn = collection),
	API_ROUTE("GET", "/taxii2/cishare/collections/*/objects", ACT_TAXII_READ,
	    .fn = taxii_objects_get),
	API_ROUTE("POST", "/taxii2/cishare/collections/*/objects",
	    ACT_TAXII_CONTRIBUTE, .flags = API_BODY,
	    .visible = taxii_coll_visible, .fn = objects_post),
	API_ROUTE("GET", "/taxii2/cishare/collections/*/manifest",
	    ACT_TAXII_READ, .fn = taxii_manifest_get),
	API_ROUTE("GET", "/taxii2/cishare/collections/*/objects/*",
	    ACT_TAXII_READ, .fn = taxii_object_get),
	API_ROUTE("GET", "/taxii2/cishare/collections/*/objects/*/versions",
	    ACT_TAXII_READ, .fn = taxii_versions_get),
	API_ROUTE("GET", "/taxii2/cishare/status/*", ACT_TAXII_READ,
	    .fn = status_get),
	API_ROUTES_END
};
