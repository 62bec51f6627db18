/*
 * drills.c: CEPTOAR drills — POST/GET /drills, GET /drills/{id},
 * GET /drills/{id}/report[.csv] (API.md "Operating modes", Drills): parse →
 * svc_drill → render.
 */
#include <string.h>

#include "api/api_int.h"
#include "interop/csv.h"
#include "svc/svc_drill.h"

static enum cs_err
drills_create(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	int64_t id = 0;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_drill_create(&c, q->body, &id, e)) != CS_OK)
		return rc;
	q->status = 201;
	q->out = json_pack("{s:I}", "id", (json_int_t)id);
	return CS_OK;
}

static enum cs_err
drills_list(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *items;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_drill_list(&c, &items, e)) != CS_OK)
		return rc;
	q->out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	q->status = 200;
	return CS_OK;
}

static enum cs_err
drill_get(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_drill_get(&c, q->ids[0], &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
drill_report(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_drill_report(&c, q->ids[0], &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

/* One cell of a JSON value: strings as they are, numbers, null empty. */
static void
cell(struct cs_buf *b, json_t *v, bool first)
{
	char num[32];

	if (json_is_string(v))
		(void)csv_cell(b, json_string_value(v), json_string_length(v), first);
	else if (json_is_integer(v)) {
		cs_fmt(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		(void)csv_cell(b, num, strlen(num), first);
	} else if (json_is_true(v) || json_is_false(v))
		(void)csv_cell(b, json_is_true(v) ? "true" : "false",
		    json_is_true(v) ? 4 : 5, first);
	else
		(void)csv_cell(b, NULL, 0, first);
}

/*
 * GET /drills/{id}/report.csv[?bom=1]: a row per hop of every drill
 * advisory (the report's deliveries), with whether that organisation never
 * responded — what the drills page downloads, without a spreadsheet.
 */
static enum cs_err
drill_report_csv(struct api_req *q, struct cs_error *e)
{
	static const char *const cols[] = { "advisory", "org", "org_type",
	    "from", "via", "delivered_at", "read_at", "acknowledged_at",
	    "hop_latency_s", "read_latency_s", "ack_latency_s", "no_response" };
	const char *bom = q->query(q->conn, "bom");
	struct api_stream *s;
	struct svc_ctx c;
	json_t *rep = NULL, *a, *d, *silent;
	size_t i, j, k;
	enum cs_err rc;

	if (bom != NULL && strcmp(bom, "1") != 0 && strcmp(bom, "0") != 0)
		return cs_fail(e, CS_EINVAL, "bom", "1 or 0");
	api_svc_ctx(q, &c);
	if ((rc = svc_drill_report(&c, q->ids[0], &rep, e)) != CS_OK)
		return rc;
	s = xcalloc(1, sizeof(*s));
	cs_buf_init(&s->first, 64u << 20);
	if (bom != NULL && strcmp(bom, "1") == 0)
		cs_buf_adds(&s->first, CSV_BOM);
	(void)csv_row(&s->first, cols, sizeof(cols) / sizeof(cols[0]));
	silent = json_object_get(rep, "no_response");
	json_array_foreach(json_object_get(rep, "advisories"), i, a)
		json_array_foreach(json_object_get(a, "deliveries"), j, d) {
			bool none = false;
			json_t *o;

			json_array_foreach(silent, k, o)
				none = none || json_equal(o, json_object_get(d, "org"));
			cell(&s->first, json_object_get(a, "advisory"), true);
			for (size_t n = 1; n < sizeof(cols) / sizeof(cols[0]) - 1; n++)
				cell(&s->first, json_object_get(d, cols[n]), false);
			(void)csv_cell(&s->first, none ? "true" : "false", none ?
			    4 : 5, false);
			(void)csv_row_end(&s->first);
		}
	json_decref(rep);
	if (cs_buf_failed(&s->first)) {
		api_stream_free(s);
		return cs_fail(e, CS_ETOOBIG, "", "the report is too large");
	}
	s->done = true;
	s->content_type = "text/csv; charset=utf-8";
	s->filename = "drill-report.csv";
	q->stream = s;
	q->status = 200;
	return CS_OK;
}

/* .visible: drills are NISC's; for anyone else no drill exists. */
static enum cs_err
drill_visible(struct api_req *q, struct cs_error *e)
{
	(void)q;
	return cs_fail(e, CS_ENOENT, "", "no such drill");
}

const struct api_route api_drills_routes[] = {
	API_ROUTE("POST", "/drills", ACT_DRILL_MANAGE, .flags = API_BODY,
	    .body = API_KEYS("name", "scenario", "targets", "starts_at"),
	    .fn = drills_create),
	API_ROUTE("GET", "/drills", ACT_DRILL_MANAGE, .fn = drills_list),
	API_ROUTE("GET", "/drills/:id", ACT_DRILL_MANAGE,
	    .visible = drill_visible, .fn = drill_get),
	API_ROUTE("GET", "/drills/:id/report", ACT_DRILL_MANAGE,
	    .visible = drill_visible, .fn = drill_report),
	API_ROUTE("GET", "/drills/:id/report.csv", ACT_DRILL_MANAGE,
	    .visible = drill_visible, .fn = drill_report_csv),
	API_ROUTES_END
};
