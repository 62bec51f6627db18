/*
 * modes.c: GET /modes, POST /modes/large-scale, POST /modes/large-scale/end,
 * GET /situation and POST /situation (API.md "Operating modes"): parse →
 * svc_mode → render.  A change of mode makes src/http reload it for the
 * next request (api_req.mode_changed).
 */
#include "api/api_int.h"
#include "svc/svc_mode.h"

static enum cs_err
modes_get(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_mode_get(&c, &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
mode_declare(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_mode_declare(&c, q->body, &q->out, e)) != CS_OK)
		return rc;
	q->status = 201;
	q->mode_changed = true;
	return CS_OK;
}

static enum cs_err
mode_end(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_mode_end(&c, &q->out, e)) != CS_OK)
		return rc;
	q->status = 200;
	q->mode_changed = true;
	return CS_OK;
}

static enum cs_err
situation_get(struct api_req *q, struct cs_error *e)
{
	const char *m = q->query(q->conn, "mode");
	int64_t id = 0;
	struct svc_ctx c;
	enum cs_err rc;

	if (m != NULL && cs_str_to_i64(m, 1, INT64_MAX, &id) != CS_OK)
		return cs_fail(e, CS_EINVAL, "mode", "must be a mode id");
	api_svc_ctx(q, &c);
	if ((rc = svc_situation_board(&c, id, &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
situation_post(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	int64_t id = 0;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_situation_post(&c, q->body, &id, e)) != CS_OK)
		return rc;
	q->status = 201;
	q->out = json_pack("{s:I}", "id", (json_int_t)id);
	return CS_OK;
}

const struct api_route api_modes_routes[] = {
	API_ROUTE("GET", "/modes", ACT_MODE_READ, .fn = modes_get),
	API_ROUTE("POST", "/modes/large-scale", ACT_MODE_DECLARE,
	    .flags = API_BODY, .body = API_KEYS("cause", "sectors"),
	    .fn = mode_declare),
	API_ROUTE("POST", "/modes/large-scale/end", ACT_MODE_DECLARE,
	    .flags = API_OPTBODY, .body = API_KEYS("reason"), .fn = mode_end),
	API_ROUTE("GET", "/situation", ACT_SITUATION_READ, .fn = situation_get),
	API_ROUTE("POST", "/situation", ACT_SITUATION_POST, .flags = API_BODY,
	    .body = API_KEYS("sector", "kind", "text", "services_down",
	    "restoration_estimate"), .fn = situation_post),
	API_ROUTES_END
};
