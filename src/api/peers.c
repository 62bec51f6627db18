/*
 * peers.c: federation between cishare nodes (docs/interop.md
 * "Federation") — GET/POST /peers, GET/PATCH/DELETE /peers/{id},
 * POST /peers/{id}/sync, and GET /inbox/federated (what peer nodes sent,
 * for NISC analysts): parse → svc_peer → render.
 */
#include "api/api_int.h"
#include "svc/svc_peer.h"

static enum cs_err
peer_create(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	int64_t id = 0;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_peer_create(&c, q->body, &id, e)) != CS_OK ||
	    (rc = svc_peer_get(&c, id, &q->out, e)) != CS_OK)
		return rc;
	q->status = 201;
	return CS_OK;
}

static enum cs_err
peer_list(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *items;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_peer_list(&c, &items, e)) != CS_OK)
		return rc;
	q->out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	q->status = 200;
	return CS_OK;
}

static enum cs_err
peer_get(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_peer_get(&c, q->ids[0], &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
peer_update(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_peer_update(&c, q->ids[0], q->body, e)) != CS_OK ||
	    (rc = svc_peer_get(&c, q->ids[0], &q->out, e)) != CS_OK)
		return rc;
	q->status = 200;
	return CS_OK;
}

static enum cs_err
peer_delete(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_peer_delete(&c, q->ids[0], e)) != CS_OK)
		return rc;
	q->out = json_pack("{s:b}", "ok", 1);
	q->status = 200;
	return CS_OK;
}

/* POST /peers/{id}/sync: due now; the poller takes it within a second. */
static enum cs_err
peer_sync(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_peer_sync(&c, q->ids[0], e)) != CS_OK ||
	    (rc = svc_peer_get(&c, q->ids[0], &q->out, e)) != CS_OK)
		return rc;
	q->status = 202;
	return CS_OK;
}

/* GET /inbox/federated?limit=&cursor= */
static enum cs_err
fed_inbox(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *items;
	int64_t cursor, next;
	int limit;
	enum cs_err rc;

	if ((rc = api_list_limit(q, &limit, &cursor, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	if ((rc = svc_peer_inbox(&c, cursor, limit, &items, &next, e)) != CS_OK)
		return rc;
	q->out = api_list_json(items, next != 0, next);
	q->status = 200;
	return CS_OK;
}

/*
 * .visible: a peer exists for those who may read the registry (admins,
 * NISC analysts); for anyone else every peer is absent (404).
 */
static enum cs_err
peer_visible(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *j = NULL;
	enum cs_err rc;

	if (!q->authed || !authz_check(ACT_PEER_READ, &q->who, MODE_NORMAL))
		return cs_fail(e, CS_ENOENT, "", "no such peer");
	api_svc_ctx(q, &c);
	rc = svc_peer_get(&c, q->ids[0], &j, e);
	json_decref(j);
	return rc;
}

#define PEER_KEYS	API_KEYS("name", "org", "url", "collection", "auth", \
			    "interval_s", "enabled")

const struct api_route api_peers_routes[] = {
	API_ROUTE("GET", "/peers", ACT_PEER_READ, .fn = peer_list),
	API_ROUTE("POST", "/peers", ACT_PEER_MANAGE, .flags = API_BODY,
	    .body = PEER_KEYS, .fn = peer_create),
	API_ROUTE("GET", "/peers/:id", ACT_PEER_READ, .visible = peer_visible,
	    .fn = peer_get),
	API_ROUTE("PATCH", "/peers/:id", ACT_PEER_MANAGE, .flags = API_BODY,
	    .body = PEER_KEYS, .visible = peer_visible, .fn = peer_update),
	API_ROUTE("DELETE", "/peers/:id", ACT_PEER_MANAGE,
	    .visible = peer_visible, .fn = peer_delete),
	API_ROUTE("POST", "/peers/:id/sync", ACT_PEER_MANAGE,
	    .visible = peer_visible, .fn = peer_sync),
	API_ROUTE("GET", "/inbox/federated", ACT_FED_INBOX, .fn = fed_inbox),
	API_ROUTES_END
};
