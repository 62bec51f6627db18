/*
 * council.c: the CEPTOAR council space — POST/GET /council/posts,
 * GET /council/posts/{id}, POST /council/posts/{id}/share (API.md
 * "Operating modes", Council): parse → svc_council → render.
 */
#include "api/api_int.h"
#include "svc/svc_council.h"

static enum cs_err
posts_create(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	int64_t id = 0;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_council_post(&c, q->body, &id, e)) != CS_OK)
		return rc;
	q->status = 201;
	q->out = json_pack("{s:I}", "id", (json_int_t)id);
	return CS_OK;
}

static enum cs_err
posts_list(struct api_req *q, struct cs_error *e)
{
	struct api_page p;
	struct svc_ctx c;
	json_t *items;
	int64_t last;
	bool more;
	enum cs_err rc;

	if ((rc = api_list_limit(q, &p.limit, &p.cursor, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	if ((rc = svc_council_list(&c, p.cursor, p.limit, &items, &last, &more,
	    e)) != CS_OK)
		return rc;
	q->out = api_list_json(items, more, last);
	q->status = 200;
	return CS_OK;
}

static enum cs_err
post_get(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_council_get(&c, q->ids[0], &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
post_share(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_council_share(&c, q->ids[0], q->body, e)) != CS_OK)
		return rc;
	return svc_council_get(&c, q->ids[0], &q->out, e) == CS_OK ?
	    (q->status = 200, CS_OK) : CS_OK;
}

/* .visible: the :id post exists and the caller reads it (else its 404). */
static enum cs_err
post_visible(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *j = NULL;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	rc = svc_council_get(&c, q->ids[0], &j, e);
	json_decref(j);
	return rc;
}

const struct api_route api_council_routes[] = {
	API_ROUTE("POST", "/council/posts", ACT_COUNCIL_POST, .flags = API_BODY,
	    .body = API_KEYS("text", "tlp", "to"), .fn = posts_create),
	API_ROUTE("GET", "/council/posts", ACT_COUNCIL_READ, .fn = posts_list),
	API_ROUTE("GET", "/council/posts/:id", ACT_COUNCIL_READ, .fn = post_get),
	API_ROUTE("POST", "/council/posts/:id/share", ACT_COUNCIL_SHARE,
	    .flags = API_BODY, .body = API_KEYS("to"), .visible = post_visible,
	    .fn = post_share),
	API_ROUTES_END
};
