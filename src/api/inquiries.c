/*
 * inquiries.c: inquiries (問合せ) about an advisory — POST/GET
 * /advisories/{id}/inquiries, POST /inquiries/{id}/answer (API.md
 * "Disclosure basis, sample requests, inquiries") — the questions that
 * reach NISC through a ministry — POST/GET /advisories/{id}/questions,
 * POST /questions/{id}/forward and /answer — a user's to-do list, GET
 * /tasks, and NISC's handling state of received reports, POST
 * /reports/{id}/triage and GET /triage (issue 15 items 3 and 4).
 *
 * Parse → svc (src/svc/inquiry.c, tasks.c) → render.
 */
#include <string.h>

#include "api/api_int.h"
#include "svc/svc_inquiry.h"

static enum cs_err
load(struct api_req *q, struct svc_ctx *c, struct svc_adv *x,
    struct cs_error *e)
{
	api_svc_ctx(q, c);
	return svc_adv_load_visible(c, q->ids[0], x, e);
}

/* .visible of the advisory routes: the advisory is there for the caller. */
static enum cs_err
adv_visible(struct api_req *q, struct cs_error *e)
{
	struct svc_adv x;
	struct svc_ctx c;
	enum cs_err rc;

	if ((rc = load(q, &c, &x, e)) == CS_OK)
		svc_adv_fini(&x);
	return rc;
}

static enum cs_err
inquiry_visible(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;

	api_svc_ctx(q, &c);
	return svc_inquiry_visible(&c, q->ids[0], e);
}

static enum cs_err
question_visible(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;

	api_svc_ctx(q, &c);
	return svc_question_visible(&c, q->ids[0], e);
}

/* POST /advisories/{id}/inquiries and /questions. */
static enum cs_err
ask(struct api_req *q, bool inquiry, struct cs_error *e)
{
	struct svc_adv x;
	struct svc_ctx c;
	const char *text;
	int64_t id = 0;
	enum cs_err rc;

	if ((rc = load(q, &c, &x, e)) != CS_OK)
		return rc;
	if ((rc = core_inquiry_text(q->body, "text", &text, e)) == CS_OK)
		rc = inquiry ? svc_inquiry_send(&c, &x, text, &id, e) :
		    svc_question_ask(&c, &x, text, &id, e);
	svc_adv_fini(&x);
	if (rc == CS_OK) {
		q->status = 201;
		q->out = json_pack("{s:I}", "id", (json_int_t)id);
	}
	return rc;
}

static enum cs_err
inquiries_create(struct api_req *q, struct cs_error *e)
{
	return ask(q, true, e);
}

static enum cs_err
questions_create(struct api_req *q, struct cs_error *e)
{
	return ask(q, false, e);
}

/* GET /advisories/{id}/inquiries and /questions. */
static enum cs_err
list(struct api_req *q, bool inquiry, struct cs_error *e)
{
	struct svc_adv x;
	struct svc_ctx c;
	json_t *items = NULL;
	enum cs_err rc;

	if ((rc = load(q, &c, &x, e)) != CS_OK)
		return rc;
	rc = inquiry ? svc_inquiry_list(&c, &x, &items, e) :
	    svc_question_list(&c, &x, &items, e);
	svc_adv_fini(&x);
	if (rc != CS_OK) {
		json_decref(items);
		return rc;
	}
	q->status = 200;
	q->out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return CS_OK;
}

static enum cs_err
inquiries_list(struct api_req *q, struct cs_error *e)
{
	return list(q, true, e);
}

static enum cs_err
questions_list(struct api_req *q, struct cs_error *e)
{
	return list(q, false, e);
}

static enum cs_err
inquiries_answer(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	const char *text;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_inquiry_visible(&c, q->ids[0], e)) != CS_OK ||
	    (rc = core_inquiry_text(q->body, "text", &text, e)) != CS_OK ||
	    (rc = svc_inquiry_answer(&c, q->ids[0], text, &q->out, e)) != CS_OK)
		return rc;
	q->status = 200;
	return CS_OK;
}

static enum cs_err
questions_forward(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	const char *text = NULL;
	int64_t id = 0;
	json_t *v = json_object_get(q->body, "text");
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_question_visible(&c, q->ids[0], e)) != CS_OK)
		return rc;
	if (v != NULL && !json_is_null(v) &&
	    (rc = core_inquiry_text(q->body, "text", &text, e)) != CS_OK)
		return rc;
	if ((rc = svc_question_forward(&c, q->ids[0], text, &id, e)) != CS_OK)
		return rc;
	q->status = 201;
	q->out = json_pack("{s:I}", "inquiry", (json_int_t)id);
	return CS_OK;
}

static enum cs_err
questions_answer(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	const char *text;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_question_visible(&c, q->ids[0], e)) != CS_OK ||
	    (rc = core_inquiry_text(q->body, "text", &text, e)) != CS_OK ||
	    (rc = svc_question_answer(&c, q->ids[0], text, &q->out, e)) != CS_OK)
		return rc;
	q->status = 200;
	return CS_OK;
}

static enum cs_err
tasks(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_tasks(&c, &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
triage_set(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_triage t;
	json_t *v = json_object_get(q->body, "state");

	if (!json_is_string(v) || core_triage_parse(json_string_value(v),
	    &t) != 0)
		return cs_fail(e, CS_EINVAL, "state", "must be one of open, "
		    "assigned, done");
	api_svc_ctx(q, &c);
	if (svc_triage_set(&c, q->ids[0], t, &q->out, e) != CS_OK)
		return e->code;
	q->status = 200;
	return CS_OK;
}

static enum cs_err
triage_list(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *items = NULL;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_triage_list(&c, &items, e)) != CS_OK)
		return rc;
	q->status = 200;
	q->out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return CS_OK;
}

const struct api_route api_inquiries_routes[] = {
	API_ROUTE("POST", "/advisories/:id/inquiries", ACT_INQUIRY_SEND,
	    .flags = API_BODY, .body = API_KEYS("text"), .visible = adv_visible,
	    .fn = inquiries_create),
	API_ROUTE("GET", "/advisories/:id/inquiries", ACT_INQUIRY_READ,
	    .fn = inquiries_list),
	API_ROUTE("POST", "/inquiries/:id/answer", ACT_INQUIRY_ANSWER,
	    .flags = API_BODY, .body = API_KEYS("text"),
	    .visible = inquiry_visible, .fn = inquiries_answer),
	API_ROUTE("POST", "/advisories/:id/questions", ACT_QUESTION_ASK,
	    .flags = API_BODY, .body = API_KEYS("text"), .visible = adv_visible,
	    .fn = questions_create),
	API_ROUTE("GET", "/advisories/:id/questions", ACT_INQUIRY_READ,
	    .fn = questions_list),
	API_ROUTE("POST", "/questions/:id/forward", ACT_QUESTION_HANDLE,
	    .flags = API_OPTBODY, .body = API_KEYS("text"),
	    .visible = question_visible, .fn = questions_forward),
	API_ROUTE("POST", "/questions/:id/answer", ACT_QUESTION_HANDLE,
	    .flags = API_BODY, .body = API_KEYS("text"),
	    .visible = question_visible, .fn = questions_answer),
	API_ROUTE("GET", "/tasks", ACT_TASKS_READ, .fn = tasks),
	API_ROUTE("POST", "/reports/:id/triage", ACT_REPORT_TRIAGE,
	    .flags = API_BODY, .body = API_KEYS("state"),
	    .visible = api_report_visible, .fn = triage_set),
	API_ROUTE("GET", "/triage", ACT_REPORT_TRIAGE, .fn = triage_list),
	API_ROUTES_END
};
