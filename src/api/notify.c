/*
 * notify.c: notification channels (e-mail, webhook) and the outbox as the
 * API shows them.  Notifications are composed by svc (src/svc/notify.c)
 * inside the event's transaction; the sending worker lives in
 * src/daemon/worker.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "svc/svc_dir.h"
#include "util/net.h"

/* ---- channels API ---------------------------------------------------------- */

static json_t *
channel_json(const struct store_channel *c)
{
	return json_pack("{s:I, s:I, s:o, s:s, s:s, s:b, s:o}", "id",
	    (json_int_t)c->id, "org", (json_int_t)c->org, "user", c->user ?
	    json_integer(c->user) : json_null(), "kind", c->kind == CHAN_EMAIL ?
	    "email" : "webhook", "target", c->target, "active", c->active,
	    "created_at", api_time(c->created_us));
}

static bool
manages_org(const struct api_req *q, int64_t org)
{
	return (q->who.roles & ROLE_ADMIN) ||
	    ((q->who.roles & ROLE_ORG_ADMIN) && q->who.org_id == org);
}

/* A channel's target: an e-mail address, or an http(s) URL for a webhook. */
static enum cs_err
target_shape(enum store_channel_kind kind, const char *target, struct cs_error *e)
{
	if (target == NULL || strlen(target) < 3 || strlen(target) > 512 ||
	    cs_utf8_len(target, strlen(target)) < 0 || strpbrk(target, " \r\n<>\"") != NULL)
		return cs_fail(e, CS_EINVAL, "target", "must be an e-mail address "
		    "or an http(s) URL");
	if (kind == CHAN_EMAIL && (strchr(target, '@') == NULL ||
	    strchr(target, '@') == target))
		return cs_fail(e, CS_EINVAL, "target", "not an e-mail address");
	return CS_OK;
}

/*
 * Whose channel (the body's org and user; the caller's organisation by
 * default), and may the caller set it up?  Before the user is looked up:
 * the same 403 whether it exists or not.
 */
static enum cs_err
channel_owner(struct api_req *q, int64_t *org, int64_t *user,
    struct cs_error *e)
{
	json_t *v;

	*org = q->who.org_id;
	*user = 0;
	v = json_object_get(q->body, "org");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return cs_fail(e, CS_EINVAL, "org", "must be an organisation id");
		*org = json_integer_value(v);
	}
	v = json_object_get(q->body, "user");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return cs_fail(e, CS_EINVAL, "user", "must be a user id");
		*user = json_integer_value(v);
	}
	if (!manages_org(q, *org) && !(*user != 0 && *user == q->who.user_id))
		return cs_fail(e, CS_EPERM, "", "an org_admin sets up its "
		    "organisation's channels; users their own");
	return CS_OK;
}

/*
 * .pre of POST /notification-channels: a webhook goes to public https://
 * addresses only (checked again at send time, the connection pinned to
 * the address checked).  The lookup runs outside the transaction: a slow
 * resolver must not hold every writer of the deployment.
 */
static enum cs_err
channel_resolve(struct api_req *q, struct cs_error *e)
{
	const char *kind = json_string_value(json_object_get(q->body, "kind"));
	const char *target = json_string_value(json_object_get(q->body,
	    "target"));
	struct net_url u;
	int64_t org, user;
	char addr[64];
	enum cs_err rc;

	if (kind == NULL || strcmp(kind, "webhook") != 0)
		return CS_OK;		/* the handler judges the rest */
	/* Nothing is looked up for a caller who will be refused. */
	if ((rc = target_shape(CHAN_WEBHOOK, target, e)) != CS_OK ||
	    (rc = channel_owner(q, &org, &user, e)) != CS_OK)
		return rc;
	return net_resolve_checked(target, "target",
	    q->cfg->allow_loopback_webhooks, &u, addr, e);
}

/* POST /notification-channels {kind, target, user, org} */
static enum cs_err
channel_create(struct api_req *q, struct cs_error *e)
{
	struct store_channel c;
	const char *key, *kind, *target;
	json_t *v;
	unsigned char k[32];
	char hex[65];
	enum cs_err rc;

	memset(&c, 0, sizeof(c));
	json_object_foreach(q->body, key, v)
		if (strcmp(key, "kind") && strcmp(key, "target") &&
		    strcmp(key, "user") && strcmp(key, "org"))
			return cs_fail(e, CS_EINVAL, key, "unknown field");
	kind = json_string_value(json_object_get(q->body, "kind"));
	if (kind == NULL)
		return cs_fail(e, CS_EINVAL, "kind", "must be email or webhook");
	if (strcmp(kind, "email") == 0)
		c.kind = CHAN_EMAIL;
	else if (strcmp(kind, "webhook") == 0)
		c.kind = CHAN_WEBHOOK;
	else
		return cs_fail(e, CS_EINVAL, "kind", "must be email or webhook");
	target = json_string_value(json_object_get(q->body, "target"));
	if ((rc = target_shape(c.kind, target, e)) != CS_OK)
		return rc;
	/* A webhook's addresses were checked by channel_resolve (.pre). */
	if ((rc = channel_owner(q, &c.org, &c.user, e)) != CS_OK)
		return rc;
	if (c.user != 0) {
		struct store_user u;
		struct svc_ctx sc;
		struct cs_error le;

		/* A user the caller may not see is absent (svc_user_load). */
		api_svc_ctx(q, &sc);
		if (svc_user_load(&sc, c.user, &u, &le) != CS_OK)
			return cs_fail(e, CS_EINVAL, "user", "no such user");
		if (u.org != c.org) {
			store_user_fini(&u);
			return cs_fail(e, CS_EINVAL, "user", "the user is not in "
			    "organisation %lld", (long long)c.org);
		}
		store_user_fini(&u);
	}
	c.target = (char *)target;
	c.active = true;
	c.created_us = q->now_us;
	if (c.kind == CHAN_WEBHOOK) {
		randombytes_buf(k, sizeof(k));
		core_hex(k, sizeof(k), hex);
		c.secret = hex;
	}
	rc = store_channel_insert(q->st, &c);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if ((rc = api_created(q, "channel.create", json_pack("{s:I, s:s}",
	    "channel", (json_int_t)c.id, "kind", kind), c.id, e)) != CS_OK)
		return rc;
	if (c.kind == CHAN_WEBHOOK)
		json_object_set_new(q->out, "secret", json_string(hex));
	sodium_memzero(hex, sizeof(hex));
	return CS_OK;
}

static enum cs_err
channel_list(struct api_req *q, struct cs_error *e)
{
	struct store_channel *v;
	size_t n;
	int limit;
	int64_t cursor;
	json_t *items = json_array();
	enum cs_err rc;

	if ((rc = api_list_limit(q, &limit, &cursor, e)) != CS_OK) {
		json_decref(items);
		return rc;
	}
	if ((rc = store_channel_list(q->st, q->who.roles & ROLE_ADMIN ? 0 :
	    q->who.org_id, cursor, 1000, &v, &n)) != CS_OK) {
		json_decref(items);
		return cs_fail(e, rc, "", "store error");
	}
	for (size_t i = 0; i < n; i++)
		if (manages_org(q, v[i].org) || v[i].user == q->who.user_id)
			json_array_append_new(items, channel_json(&v[i]));
	store_channels_free(v, n);
	q->out = api_list_json(items, false, 0);
	q->status = 200;
	return CS_OK;
}

static enum cs_err
channel_toggle(struct api_req *q, struct cs_error *e, bool on)
{
	struct store_channel c;
	enum cs_err rc;

	if (store_channel_get(q->st, q->ids[0], &c) != CS_OK)
		return cs_fail(e, CS_ENOENT, "", "no such channel");
	if (!manages_org(q, c.org) && c.user != q->who.user_id) {
		store_channel_fini(&c);
		return cs_fail(e, CS_ENOENT, "", "no such channel");
	}
	c.active = on;
	rc = store_channel_set_active(q->st, c.id, on);
	if (rc == CS_OK)
		q->out = channel_json(&c);
	store_channel_fini(&c);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	q->status = 200;
	return CS_OK;
}

static enum cs_err
channel_enable(struct api_req *q, struct cs_error *e)
{
	return channel_toggle(q, e, true);
}

static enum cs_err
channel_disable(struct api_req *q, struct cs_error *e)
{
	return channel_toggle(q, e, false);
}

/* GET /notifications?status=pending|sent|failed — failures visible to org admins. */
static enum cs_err
notif_list(struct api_req *q, struct cs_error *e)
{
	static const char *states[] = { "pending", "sent", "failed" };
	const char *status = q->query(q->conn, "status");
	struct store_notification *v;
	struct api_page p;
	size_t n;
	int st = -1;
	enum cs_err rc;

	if ((rc = api_page_begin(q, &p, e)) != CS_OK)
		return rc;
	if (status != NULL) {
		for (st = 0; st < 3 && strcmp(states[st], status) != 0; st++)
			;
		if (st == 3)
			return cs_fail(e, CS_EINVAL, "status", "must be pending, "
			    "sent or failed");
	}
	if (!(q->who.roles & (ROLE_ADMIN | ROLE_ORG_ADMIN)))
		return cs_fail(e, CS_EPERM, "", "org_admin or admin only");
	if ((rc = store_notif_list(q->st, q->who.roles & ROLE_ADMIN ? 0 :
	    q->who.org_id, st, p.cursor, p.limit + 1, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	for (size_t i = 0; i < n && !api_page_full(&p); i++)
		api_page_add(&p, json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:o}",
		    "id", (json_int_t)v[i].id, "channel", (json_int_t)v[i].channel,
		    "advisory", (json_int_t)v[i].advisory, "event", v[i].event,
		    "subject", v[i].subject ? v[i].subject : "",
		    "status", states[v[i].state], "attempts", v[i].attempts,
		    "last_error", v[i].last_error ? json_string(v[i].last_error) :
		    json_null(), "created_at", api_time(v[i].created_us),
		    "next_attempt_at", v[i].state == NOTIF_PENDING ?
		    api_time(v[i].next_us) : json_null(),
		    "sent_at", api_time(v[i].sent_us)), v[i].id);
	store_notifs_free(v, n);
	return api_page_end(q, &p);
}

const struct api_route api_notify_routes[] = {
	API_ROUTE("POST", "/notification-channels", ACT_CHANNEL_CREATE,
	    .flags = API_BODY,
	    .body = API_KEYS("kind", "target", "user", "org"),
	    .pre = channel_resolve, .fn = channel_create),
	API_ROUTE("GET", "/notification-channels", ACT_CHANNEL_LIST,
	    .fn = channel_list),
	API_ROUTE("POST", "/notification-channels/:id/enable",
	    ACT_CHANNEL_UPDATE, .flags = API_OPTBODY, .fn = channel_enable),
	API_ROUTE("POST", "/notification-channels/:id/disable",
	    ACT_CHANNEL_UPDATE, .flags = API_OPTBODY, .fn = channel_disable),
	API_ROUTE("GET", "/notifications", ACT_NOTIF_LIST, .fn = notif_list),
	API_ROUTES_END
};
