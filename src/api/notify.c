/*
 * notify.c: notification channels (e-mail, webhook) and the outbox.
 *
 * A notification is composed when the event happens, inside the same
 * transaction (a transactional outbox), and holds no more than its
 * recipient may read: the policy is asked for the channel's user (or, for
 * an organisation-wide channel, for the least trusted person who may read
 * that mailbox: an nda_contractor).  Bodies of RED and AMBER(+STRICT)
 * advisories are never sent; the message says an item is waiting and
 * links to it.  The sending worker lives in src/daemon/worker.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"

static const char *
importance_ja(enum cs_importance i)
{
	switch (i) {
	case IMP_ALERT:		return "警報";
	case IMP_CAUTION:	return "注意喚起";
	case IMP_REFERENCE:	return "参考情報";
	default:		return "重要度なし";
	}
}

static const char *
tlp_code(enum cs_tlp t)
{
	static const char *codes[] = { "RED", "AMBER+STRICT", "AMBER", "GREEN",
	    "CLEAR" };

	return (unsigned)t <= TLP_CLEAR ? codes[t] : "?";
}

static const char *
event_ja(const char *kind)
{
	if (strcmp(kind, "updated") == 0)
		return "続報";
	if (strcmp(kind, "reminder") == 0)
		return "未確認のリマインド";
	return "新着";
}

enum cs_err
api_notify_enqueue_st(struct store *st, const struct api_config *cfg,
    int64_t now, int64_t adv, int64_t org, const char *kind)
{
	struct store_advisory a;
	struct store_adv_version *v = NULL;
	struct store_delivery *d = NULL;
	struct store_channel *ch = NULL;
	size_t nv = 0, nd = 0, nch = 0;
	int64_t *orgs = NULL;
	struct cs_advisory_acl acl;
	json_t *form = NULL;
	char ident[40], subject[256];
	const char *base = cfg && cfg->public_url ? cfg->public_url :
	    "http://127.0.0.1:8080";
	enum cs_err rc;

	if ((rc = store_adv_get(st, adv, &a)) != CS_OK)
		return rc;
	if ((rc = store_channel_list(st, org, 0, 1000, &ch, &nch)) != CS_OK)
		return rc;
	if (nch == 0) {
		free(ch);
		return CS_OK;
	}
	if ((rc = store_adv_version_list(st, adv, &v, &nv)) != CS_OK ||
	    (rc = store_delivery_list(st, adv, &d, &nd)) != CS_OK)
		goto out;
	orgs = xcalloc(nd + 1, sizeof(*orgs));
	for (size_t i = 0; i < nd; i++)
		orgs[i] = d[i].org;
	memset(&acl, 0, sizeof(acl));
	acl.id = a.id;
	acl.state = a.state;
	acl.tlp = a.tlp;
	acl.sectors = a.sectors;
	acl.delivered = orgs;
	acl.ndelivered = nd;
	form = nv ? json_loads(v[nv - 1].form, 0, NULL) : NULL;
	core_advisory_ident(a.t_number, a.nversions, ident, sizeof(ident));
	cs_fmt(subject, sizeof(subject), "[TLP:%s][%s] 情報提供 %s（%s）",
	    tlp_code(a.tlp), importance_ja(a.importance), ident, event_ja(kind));
	for (size_t i = 0; i < nch; i++) {
		struct cs_principal p;
		struct store_notification x;
		struct cs_buf b;
		bool full;
		char *url;

		if (!ch[i].active)
			continue;
		if (ch[i].user != 0) {
			if (api_principal_of(st, ch[i].user, &p) != CS_OK ||
			    p.org_id != org)
				continue;
			/* A person the advisory does not admit hears nothing of it. */
			if (!policy_advisory_may_read(&p, &acl))
				continue;
		} else {
			struct store_org o;

			if (store_org_get(st, org, &o) != CS_OK)
				continue;
			memset(&p, 0, sizeof(p));
			p.org_id = o.id;
			p.org_type = o.type;
			p.org_sectors = o.sectors;
			p.roles = ROLE_MEMBER;
			p.nda_contractor = true;
			p.org_pre_arranged = o.pre_arranged;
			store_org_fini(&o);
		}
		full = a.tlp >= TLP_GREEN && policy_advisory_may_read(&p, &acl);
		url = xasprintf("%s/advisories/%lld", base, (long long)a.id);
		cs_buf_init(&b, 64 * 1024);
		if (ch[i].kind == CHAN_EMAIL) {
			cs_buf_printf(&b, "%s\n\n情報提供 %s\n情報共有範囲: TLP:%s\n"
			    "重要度: %s\n", subject, ident, tlp_code(a.tlp),
			    importance_ja(a.importance));
			if (full && form != NULL) {
				json_t *tc = json_object_get(form, "threat_content");
				const char *sum = json_string_value(json_object_get(tc,
				    "summary"));
				const char *cm = json_string_value(json_object_get(form,
				    "countermeasures"));

				if (sum)
					cs_buf_printf(&b, "\n①概要:\n%s\n", sum);
				if (cm)
					cs_buf_printf(&b, "\n③対処方針:\n%s\n", cm);
			} else
				cs_buf_printf(&b, "\nこの情報提供の本文はメールでは送られ"
				    "ません。cishare にログインして確認してください。\n");
			cs_buf_printf(&b, "\n%s\n", url);
		} else {
			json_t *j = json_pack("{s:s, s:{s:I, s:s, s:s, s:s, s:b, s:s}, s:I}",
			    "event", kind, "advisory", "id", (json_int_t)a.id,
			    "identification_number", ident, "tlp", core_tlp_id(a.tlp),
			    "importance", core_importance_id(a.importance),
			    "urgent", a.urgent, "url", url, "org", (json_int_t)org);
			char *text;

			if (full && form != NULL)
				json_object_set(json_object_get(j, "advisory"), "form", form);
			text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
			json_decref(j);
			cs_buf_adds(&b, text);
			free(text);
		}
		free(url);
		memset(&x, 0, sizeof(x));
		x.channel = ch[i].id;
		x.advisory = a.id;
		(void)cs_strlcpy(x.event, kind, sizeof(x.event));
		x.subject = subject;
		x.body = cs_buf_finish(&b);
		x.next_us = now;
		x.state = NOTIF_PENDING;
		x.created_us = now;
		if (x.body == NULL)
			x.body = xstrdup(subject);
		rc = store_notif_insert(st, &x);
		free(x.body);
		if (rc != CS_OK)
			goto out;
	}
	rc = CS_OK;
out:
	json_decref(form);
	free(orgs);
	free(d);
	store_adv_versions_free(v, nv);
	store_channels_free(ch, nch);
	return rc;
}

enum cs_err
api_notify_enqueue(struct api_req *q, int64_t adv, int64_t org, const char *kind)
{
	return api_notify_enqueue_st(q->st, q->cfg, q->now_us, adv, org, kind);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Only organisations with a channel get notifications: for a large fan-out
 * read every channel once (pages of 1,000) instead of asking per org.
 */
enum cs_err
api_notify_enqueue_many(struct api_req *q, int64_t adv, const int64_t *orgs,
    size_t n, const char *kind)
{
	struct store_channel *ch;
	int64_t *sorted, *with = NULL, after = 0;
	size_t nch, nwith = 0;
	enum cs_err rc = CS_OK;

	if (n <= 16) {
		for (size_t i = 0; i < n && rc == CS_OK; i++)
			rc = api_notify_enqueue(q, adv, orgs[i], kind);
		return rc;
	}
	sorted = xcalloc(n, sizeof(*sorted));
	memcpy(sorted, orgs, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_i64);
	do {
		if ((rc = store_channel_list(q->st, 0, after, 1000, &ch, &nch)) != CS_OK)
			goto out;
		for (size_t i = 0; i < nch; i++) {
			after = ch[i].id;
			if (ch[i].active && bsearch(&ch[i].org, sorted, n,
			    sizeof(*sorted), cmp_i64) != NULL) {
				with = xreallocarray(with, nwith + 1, sizeof(*with));
				with[nwith++] = ch[i].org;
			}
		}
		store_channels_free(ch, nch);
	} while (nch == 1000);
	/* An org with several channels is enqueued once (it covers them all). */
	if (nwith > 0)
		qsort(with, nwith, sizeof(*with), cmp_i64);
	for (size_t i = 0; i < nwith && rc == CS_OK; i++)
		if (i == 0 || with[i] != with[i - 1])
			rc = api_notify_enqueue(q, adv, with[i], kind);
out:
	free(with);
	free(sorted);
	return rc;
}

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

/*
 * https://HOST[:PORT]/..., or http:// to a loopback host only; never user
 * info in the authority (http://127.0.0.1@evil.example is not loopback).
 */
static bool
webhook_url_ok(const char *url)
{
	const char *auth, *end;
	char host[256];
	size_t n;
	bool https;

	if (strncmp(url, "https://", 8) == 0) {
		https = true;
		auth = url + 8;
	} else if (strncmp(url, "http://", 7) == 0) {
		https = false;
		auth = url + 7;
	} else
		return false;
	end = auth + strcspn(auth, "/?#");
	if (end == auth || memchr(auth, '@', (size_t)(end - auth)) != NULL)
		return false;
	if (*auth == '[') {
		const char *rb = memchr(auth, ']', (size_t)(end - auth));

		if (rb == NULL)
			return false;
		n = (size_t)(rb + 1 - auth);
	} else
		n = strcspn(auth, ":/?#");
	if (n == 0 || n >= sizeof(host))
		return false;
	memcpy(host, auth, n);
	host[n] = '\0';
	if (https)
		return true;
	if (strcmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0)
		return true;
	if (strncmp(host, "127.", 4) == 0) {
		for (const char *p = host + 4; *p; p++)
			if (!((*p >= '0' && *p <= '9') || *p == '.'))
				return false;
		return true;
	}
	return false;
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
	if (target == NULL || strlen(target) < 3 || strlen(target) > 512 ||
	    cs_utf8_len(target, strlen(target)) < 0 || strpbrk(target, " \r\n<>\"") != NULL)
		return cs_fail(e, CS_EINVAL, "target", "must be an e-mail address "
		    "or an http(s) URL");
	if (c.kind == CHAN_EMAIL && (strchr(target, '@') == NULL ||
	    strchr(target, '@') == target))
		return cs_fail(e, CS_EINVAL, "target", "not an e-mail address");
	if (c.kind == CHAN_WEBHOOK && !webhook_url_ok(target))
		return cs_fail(e, CS_EINVAL, "target", "webhooks use https:// "
		    "(http:// only to a loopback host), without user info");
	c.org = q->who.org_id;
	v = json_object_get(q->body, "org");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return cs_fail(e, CS_EINVAL, "org", "must be an organisation id");
		c.org = json_integer_value(v);
	}
	v = json_object_get(q->body, "user");
	if (v != NULL && !json_is_null(v)) {
		struct store_user u;

		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return cs_fail(e, CS_EINVAL, "user", "must be a user id");
		if (store_user_get(q->st, json_integer_value(v), &u) != CS_OK)
			return cs_fail(e, CS_EINVAL, "user", "no such user");
		c.user = u.id;
		if (u.org != c.org) {
			store_user_fini(&u);
			return cs_fail(e, CS_EINVAL, "user", "the user is not in "
			    "organisation %lld", (long long)c.org);
		}
		store_user_fini(&u);
	}
	if (!manages_org(q, c.org) && !(c.user != 0 && c.user == q->who.user_id))
		return cs_fail(e, CS_EPERM, "", "an org_admin sets up its "
		    "organisation's channels; users their own");
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
	if ((rc = api_audit(q, "channel.create", NULL, json_pack("{s:I, s:s}",
	    "channel", (json_int_t)c.id, "kind", kind), false)) != CS_OK)
		return cs_fail(e, rc, "", "audit failed");
	q->status = 201;
	q->out = json_pack("{s:I}", "id", (json_int_t)c.id);
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
	q->out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
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
	size_t n;
	int limit, st = -1;
	int64_t cursor, last = 0;
	json_t *items;
	enum cs_err rc;

	if ((rc = api_list_limit(q, &limit, &cursor, e)) != CS_OK)
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
	    q->who.org_id, st, cursor, limit + 1, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	items = json_array();
	for (size_t i = 0; i < n && i < (size_t)limit; i++) {
		json_array_append_new(items, json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:o}",
		    "id", (json_int_t)v[i].id, "channel", (json_int_t)v[i].channel,
		    "advisory", (json_int_t)v[i].advisory, "event", v[i].event,
		    "subject", v[i].subject ? v[i].subject : "",
		    "status", states[v[i].state], "attempts", v[i].attempts,
		    "last_error", v[i].last_error ? json_string(v[i].last_error) :
		    json_null(), "created_at", api_time(v[i].created_us),
		    "next_attempt_at", v[i].state == NOTIF_PENDING ?
		    api_time(v[i].next_us) : json_null(),
		    "sent_at", api_time(v[i].sent_us)));
		last = v[i].id;
	}
	q->out = api_list_json(items, n > (size_t)limit, last);
	store_notifs_free(v, n);
	q->status = 200;
	return CS_OK;
}

const struct api_route api_notify_routes[] = {
	{ .method = "POST", .pattern = "/notification-channels",
	  .action = ACT_CHANNEL_CREATE, .flags = API_BODY,
	  .body = API_KEYS("kind", "target", "user", "org"),
	  .fn = channel_create },
	{ .method = "GET", .pattern = "/notification-channels",
	  .action = ACT_CHANNEL_LIST, .fn = channel_list },
	{ .method = "POST", .pattern = "/notification-channels/:id/enable",
	  .action = ACT_CHANNEL_UPDATE, .flags = API_OPTBODY,
	  .fn = channel_enable },
	{ .method = "POST", .pattern = "/notification-channels/:id/disable",
	  .action = ACT_CHANNEL_UPDATE, .flags = API_OPTBODY,
	  .fn = channel_disable },
	{ .method = "GET", .pattern = "/notifications",
	  .action = ACT_NOTIF_LIST, .fn = notif_list },
	{ .method = NULL }
};
