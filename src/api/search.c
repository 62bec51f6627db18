/*
 * search.c: GET /search (API.md "Analysis"): full-text search over every
 * version the caller may read, reports and advisories, ranked, with
 * snippets; parse → svc_search → render.
 */
#include <string.h>

#include "api/api_int.h"
#include "svc/svc_search.h"

static json_t *
hit_json(const struct svc_search_hit *h)
{
	char b[40];
	json_t *j;

	if (h->kind == STORE_SEARCH_REPORT)
		core_report_ident(h->number, 1, b, sizeof(b));
	else
		core_advisory_ident(h->number, 1, b, sizeof(b));
	j = json_pack("{s:s, s:I, s:o, s:s, s:i, s:i, s:o, s:O, s:O}",
	    "type", h->kind == STORE_SEARCH_REPORT ? "report" : "advisory",
	    "id", (json_int_t)h->id,
	    "identification_number", b[0] ? json_string(b) : json_null(),
	    "tlp", core_tlp_id(h->tlp),
	    "version", h->version,
	    "rank", h->rank,
	    "updated_at", api_time(h->updated_us),
	    "summary", h->summary ? h->summary : json_null(),
	    "snippets", h->snippets);
	if (h->kind == STORE_SEARCH_REPORT)
		json_object_set_new(j, "sector", json_string(core_sector_id(
		    h->sector)));
	else
		json_object_set_new(j, "sectors", api_bits_json(h->sectors,
		    CS_NSECTORS, core_sector_id));
	return j;
}

enum cs_err
api_search_query(struct api_req *q, struct svc_search_in *in,
    struct cs_error *e)
{
	const char *type = q->query(q->conn, "type");
	const char *limit = q->query(q->conn, "limit");
	int64_t v;

	*in = (struct svc_search_in){ .q = q->query(q->conn, "q"), .kind = -1,
	    .limit = 50, .cursor = q->query(q->conn, "cursor") };
	if (type != NULL) {
		if (strcmp(type, "report") == 0)
			in->kind = STORE_SEARCH_REPORT;
		else if (strcmp(type, "advisory") == 0)
			in->kind = STORE_SEARCH_ADVISORY;
		else
			return cs_fail(e, CS_EINVAL, "type", "report or advisory");
	}
	if (limit != NULL) {
		if (cs_str_to_i64(limit, 1, 500, &v) != CS_OK)
			return cs_fail(e, CS_EINVAL, "limit", "limit must be an "
			    "integer from 1 to 500");
		in->limit = (int)v;
	}
	if (in->q == NULL)
		return cs_fail(e, CS_EINVAL, "q", "1 to 256 characters of UTF-8");
	return CS_OK;
}

static enum cs_err
search_get(struct api_req *q, struct cs_error *e)
{
	struct svc_search_in in;
	struct svc_search_out out;
	struct svc_ctx c;
	json_t *items, *reports;
	enum cs_err rc;

	if ((rc = api_search_query(q, &in, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	if ((rc = svc_search(&c, &in, &out, e)) != CS_OK)
		return rc;
	items = json_array();
	reports = json_array();
	for (size_t i = 0; i < out.n; i++) {
		json_array_append_new(items, hit_json(&out.v[i]));
		if (out.v[i].kind == STORE_SEARCH_REPORT)
			json_array_append_new(reports, json_integer(out.v[i].id));
	}
	/* What a report list would record: the reports whose text was shown. */
	if (json_array_size(reports) == 0)
		json_decref(reports);
	else if ((rc = api_audit(q, "report.list", NULL, json_pack("{s:o}",
	    "reports", reports), false)) != CS_OK) {
		json_decref(items);
		svc_search_out_fini(&out);
		return cs_fail(e, rc, "", "audit failed");
	}
	q->out = json_pack("{s:o, s:o}", "items", items, "next_cursor",
	    out.next_cursor ? json_string(out.next_cursor) : json_null());
	svc_search_out_fini(&out);
	q->status = 200;
	return CS_OK;
}

const struct api_route api_search_routes[] = {
	/* A list of what the caller reads: anyone who lists reports. */
	API_ROUTE("GET", "/search", ACT_REPORT_LIST, .flags = API_SNAPSHOT,
	    .fn = search_get),
	API_ROUTES_END
};
