/*
 * attachments.c: attachments (別紙) and sample requests (検体) (API.md
 * "Attachments (別紙) and samples (検体)" and "sample requests"; issue 15
 * items 1-2).
 *
 *   POST /reports/{id}/attachments?name=FILE&version=K   raw file body
 *   POST /advisories/{id}/attachments?name=FILE          raw file body
 *   GET  /attachments/{id}                                the bytes, streamed
 *   POST /reports/{id}/sample-requests {"what", "reason"}
 *   GET  /sample-requests, GET /sample-requests/{id}
 *   POST /sample-requests/{id}/answer {"attachment"} | {"decline"}
 *
 * Parse -> svc (src/svc/attach.c) -> render.  The upload routes are
 * API_RAW: src/http hands the body as sent (req->raw), capped at
 * --max-attachment (413 above).  A download is streamed chunk by chunk,
 * each read in a transaction of its own after the first.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api_int.h"
#include "svc/svc_attach.h"

/* The file of an upload request: ?name=, ?version=, the body. */
static enum cs_err
file_arg(struct api_req *q, bool versioned, struct svc_attach_in *in,
    struct cs_error *e)
{
	const char *ver = q->query(q->conn, "version");
	int64_t k = 0;

	memset(in, 0, sizeof(*in));
	in->name = q->query(q->conn, "name");
	in->content_type = q->raw_type;
	in->data = q->raw;
	in->n = q->nraw;
	if (ver != NULL) {
		if (!versioned)
			return cs_fail(e, CS_EINVAL, "version", "an advisory's "
			    "attachment belongs to its newest version");
		if (cs_str_to_i64(ver, 1, 1000000, &k) != CS_OK)
			return cs_fail(e, CS_EINVAL, "version", "must be a "
			    "version number (1, 2, ...)");
	}
	in->version = (int)k;
	return core_attach_name_check(in->name, e);
}

static enum cs_err
report_attach(struct api_req *q, struct cs_error *e)
{
	struct svc_attach_in in;
	struct svc_report x;
	struct svc_ctx c;
	enum cs_err rc;

	if ((rc = file_arg(q, true, &in, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	if ((rc = svc_report_load_visible(&c, q->ids[0], SVC_LOAD_VERSIONS, &x,
	    e)) != CS_OK)
		return rc;
	if ((rc = svc_attach_report(&c, &x, &in, &q->out, e)) == CS_OK)
		q->status = 201;
	api_svc_done(q, &c);
	svc_report_fini(&x);
	return rc;
}

static enum cs_err
adv_attach(struct api_req *q, struct cs_error *e)
{
	struct svc_attach_in in;
	struct svc_ctx c;
	enum cs_err rc;

	if ((rc = file_arg(q, false, &in, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	if ((rc = svc_attach_advisory(&c, q->ids[0], &in, &q->out, e)) == CS_OK)
		q->status = 201;
	return rc;
}

/* ---- GET /attachments/{id} ------------------------------------------------ */

struct download {
	struct store		*st;
	struct svc_attach_read	 r;
};

static void
download_free(void *state)
{
	struct download *d = state;

	if (d == NULL)
		return;
	svc_attach_read_fini(&d->r);
	free(d);
}

/* api_stream.next: the next chunk, in a read transaction of its own. */
static enum cs_err
download_next(void *state, struct cs_buf *out, bool *done)
{
	struct download *d = state;
	enum cs_err rc;

	if ((rc = store_begin_read(d->st)) != CS_OK)
		return rc;
	if ((rc = svc_attach_next(d->st, &d->r, out, done)) != CS_OK) {
		store_rollback(d->st);
		return rc;
	}
	return store_commit(d->st);
}

static enum cs_err
attachment_get(struct api_req *q, struct cs_error *e)
{
	struct download *d = xcalloc(1, sizeof(*d));
	struct api_stream *s;
	struct svc_ctx c;
	enum cs_err rc;

	d->st = q->st;
	api_svc_ctx(q, &c);
	if ((rc = svc_attach_open(&c, q->ids[0], &d->r, e)) != CS_OK) {
		free(d);
		return rc;
	}
	s = xcalloc(1, sizeof(*s));
	s->state = d;
	s->next = download_next;
	s->free = download_free;
	s->content_type = d->r.content_type;
	s->disposition = core_attach_disposition(d->r.name);
	s->length = d->r.a.size;
	/* The SHA-256 travels too (RFC 9530), for a client to verify. */
	{
		unsigned char h[32];
		char b64[sodium_base64_ENCODED_LEN(32,
		    sodium_base64_VARIANT_ORIGINAL)];

		if (core_unhex(d->r.sha256, h, 32) == 0) {
			sodium_bin2base64(b64, sizeof(b64), h, 32,
			    sodium_base64_VARIANT_ORIGINAL);
			s->repr_digest = xasprintf("sha-256=:%s:", b64);
		}
	}
	q->stream = s;
	cs_buf_init(&s->first, CS_ATTACH_CHUNK + 1);
	/* The first chunk in the request's transaction: its errors are a 500. */
	if ((rc = svc_attach_next(q->st, &d->r, &s->first, &s->done)) != CS_OK)
		return cs_fail(e, rc, "", "the attachment does not read");
	q->status = 200;
	return CS_OK;
}

/* ---- sample requests ------------------------------------------------------ */

static enum cs_err
sample_create(struct api_req *q, struct cs_error *e)
{
	struct cs_sample_in in;
	struct svc_report x;
	struct svc_ctx c;
	int64_t id = 0;
	enum cs_err rc;

	if ((rc = core_sample_check(q->body, &in, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	if ((rc = svc_report_load_visible(&c, q->ids[0], SVC_LOAD_VERSIONS, &x,
	    e)) != CS_OK)
		return rc;
	if ((rc = svc_sample_request(&c, &x, &in, &id, e)) == CS_OK) {
		q->status = 201;
		q->out = json_pack("{s:I}", "id", (json_int_t)id);
	}
	svc_report_fini(&x);
	return rc;
}

static enum cs_err
sample_list(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *items;
	int64_t cursor, last;
	bool more;
	int limit;
	enum cs_err rc;

	if ((rc = api_list_limit(q, &limit, &cursor, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	if ((rc = svc_sample_list(&c, cursor, limit, &items, &more, &last, e)) !=
	    CS_OK) {
		json_decref(items);
		return rc;
	}
	q->status = 200;
	q->out = api_list_json(items, more, last);
	return CS_OK;
}

static enum cs_err
sample_get(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_sample_get(&c, q->ids[0], &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
sample_answer(struct api_req *q, struct cs_error *e)
{
	const char *decline;
	struct svc_ctx c;
	int64_t att;
	enum cs_err rc;

	if ((rc = core_sample_answer_check(q->body, &att, &decline, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	if ((rc = svc_sample_answer(&c, q->ids[0], att, decline, &q->out, e)) ==
	    CS_OK)
		q->status = 200;
	return rc;
}

/* .visible: the :id sample request is there for this caller. */
static enum cs_err
sample_visible(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *j = NULL;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_sample_get(&c, q->ids[0], &j, e)) == CS_OK)
		json_decref(j);
	return rc;
}

/* .visible: the :id advisory is there for this caller. */
static enum cs_err
adv_visible(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	struct svc_adv x;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_adv_load_visible(&c, q->ids[0], &x, e)) == CS_OK)
		svc_adv_fini(&x);
	return rc;
}

const struct api_route api_attachments_routes[] = {
	API_ROUTE("POST", "/reports/:id/attachments", ACT_REPORT_ATTACH,
	    .flags = API_RAW, .visible = api_report_visible,
	    .fn = report_attach),
	API_ROUTE("POST", "/advisories/:id/attachments", ACT_ADV_ATTACH,
	    .flags = API_RAW, .visible = adv_visible, .fn = adv_attach),
	API_ROUTE("GET", "/attachments/:id", ACT_ATTACHMENT_READ,
	    .fn = attachment_get),
	API_ROUTE("POST", "/reports/:id/sample-requests", ACT_SAMPLE_REQUEST,
	    .flags = API_BODY, .body = API_KEYS("what", "reason"),
	    .visible = api_report_visible, .fn = sample_create),
	API_ROUTE("GET", "/sample-requests", ACT_SAMPLE_LIST, .fn = sample_list),
	API_ROUTE("GET", "/sample-requests/:id", ACT_SAMPLE_LIST,
	    .fn = sample_get),
	API_ROUTE("POST", "/sample-requests/:id/answer", ACT_SAMPLE_ANSWER,
	    .flags = API_BODY, .body = API_KEYS("attachment", "decline"),
	    .visible = sample_visible, .fn = sample_answer),
	API_ROUTES_END
};
