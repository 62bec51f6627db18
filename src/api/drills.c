/*
 * drills.c: CEPTOAR drills — POST/GET /drills, GET /drills/{id},
 * GET /drills/{id}/report (API.md "Operating modes", Drills): parse →
 * svc_drill → render.
 */
#include "api/api_int.h"
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
	API_ROUTES_END
};
