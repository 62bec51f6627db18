/*
 * exercises.c: cross-sector exercises — POST/GET /exercises,
 * GET /exercises/{id}, POST /exercises/{id}/start, GET
 * /exercises/{id}/injects, POST /exercises/{id}/injects/{n}/responses,
 * POST /exercises/{id}/issues, GET /exercises/{id}/after-action (API.md
 * "Operating modes", Exercises): parse → svc_exercise → render.
 */
#include "api/api_int.h"
#include "svc/svc_exercise.h"

static enum cs_err
ex_create(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	int64_t id = 0;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_exercise_create(&c, q->body, &id, e)) != CS_OK)
		return rc;
	q->status = 201;
	q->out = json_pack("{s:I}", "id", (json_int_t)id);
	return CS_OK;
}

static enum cs_err
ex_list(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *items;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_exercise_list(&c, &items, e)) != CS_OK)
		return rc;
	q->out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	q->status = 200;
	return CS_OK;
}

static enum cs_err
ex_get(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_exercise_get(&c, q->ids[0], &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
ex_start(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_exercise_start(&c, q->ids[0], q->body, e)) != CS_OK ||
	    (rc = svc_exercise_get(&c, q->ids[0], &q->out, e)) != CS_OK)
		return rc;
	q->status = 200;
	return CS_OK;
}

static enum cs_err
ex_injects(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_exercise_injects(&c, q->ids[0], &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
ex_note(struct api_req *q, int n, struct cs_error *e)
{
	struct svc_ctx c;
	int64_t id = 0;
	enum cs_err rc;

	if (n < 0 || n > SVC_EXERCISE_INJECTS)
		return cs_fail(e, CS_ENOENT, "", "no such inject");
	api_svc_ctx(q, &c);
	if ((rc = svc_exercise_note(&c, q->ids[0], n, q->body, &id, e)) != CS_OK)
		return rc;
	q->status = 201;
	q->out = json_pack("{s:I}", "id", (json_int_t)id);
	return CS_OK;
}

static enum cs_err
ex_respond(struct api_req *q, struct cs_error *e)
{
	return ex_note(q, q->ids[1] > SVC_EXERCISE_INJECTS ? -1 : (int)q->ids[1],
	    e);
}

static enum cs_err
ex_issue(struct api_req *q, struct cs_error *e)
{
	return ex_note(q, 0, e);
}

static enum cs_err
ex_after_action(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_exercise_after_action(&c, q->ids[0], &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

/* .visible: NISC or a participant sees the exercise (else its 404). */
static enum cs_err
ex_visible(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *j = NULL;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	rc = svc_exercise_get(&c, q->ids[0], &j, e);
	json_decref(j);
	return rc;
}

const struct api_route api_exercises_routes[] = {
	API_ROUTE("POST", "/exercises", ACT_EXERCISE_MANAGE, .flags = API_BODY,
	    .body = API_KEYS("name", "participants", "injects"), .fn = ex_create),
	API_ROUTE("GET", "/exercises", ACT_EXERCISE_READ, .fn = ex_list),
	API_ROUTE("GET", "/exercises/:id", ACT_EXERCISE_READ, .fn = ex_get),
	API_ROUTE("POST", "/exercises/:id/start", ACT_EXERCISE_MANAGE,
	    .flags = API_OPTBODY, .body = API_KEYS("speed"),
	    .visible = ex_visible, .fn = ex_start),
	API_ROUTE("GET", "/exercises/:id/injects", ACT_EXERCISE_READ,
	    .fn = ex_injects),
	API_ROUTE("POST", "/exercises/:id/injects/:id/responses",
	    ACT_EXERCISE_READ, .flags = API_BODY, .body = API_KEYS("text"),
	    .fn = ex_respond),
	API_ROUTE("POST", "/exercises/:id/issues", ACT_EXERCISE_READ,
	    .flags = API_BODY, .body = API_KEYS("text"), .fn = ex_issue),
	API_ROUTE("GET", "/exercises/:id/after-action", ACT_EXERCISE_MANAGE,
	    .visible = ex_visible, .fn = ex_after_action),
	API_ROUTES_END
};
