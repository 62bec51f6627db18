/*
 * peer.c: federation peers, what they sent, and the federated inbox
 * (svc_peer.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "interop/stix.h"
#include "svc/svc_obj.h"
#include "svc/svc_peer.h"
#include "util/net.h"

static const char *const auth_ids[] = { "none", "bearer", "basic" };

static json_t *
opt_time(int64_t us)
{
	return us != 0 ? svc_time(us) : json_null();
}

static json_t *
opt_str(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

json_t *
svc_peer_json(const struct store_peer *p)
{
	json_t *auth;

	auth = json_pack("{s:s, s:b}", "type", auth_ids[p->auth >= 0 &&
	    p->auth <= PEER_AUTH_BASIC ? p->auth : 0], "secret_set",
	    p->secret != NULL && *p->secret);
	if (p->auth == PEER_AUTH_BASIC && p->login != NULL)
		json_object_set_new(auth, "login", json_string(p->login));
	return json_pack("{s:I, s:s, s:I, s:o, s:s, s:o, s:i, s:b, s:o, s:o,"
	    " s:o, s:o, s:i, s:o, s:I, s:o}",
	    "id", (json_int_t)p->id, "name", p->name,
	    "org", (json_int_t)p->org, "url", opt_str(p->url),
	    "collection", p->collection, "auth", auth,
	    "interval_s", p->interval_s, "enabled", p->enabled,
	    "cursor", opt_str(p->cursor),
	    "last_try_at", opt_time(p->last_try_us),
	    "last_ok_at", opt_time(p->last_ok_us),
	    "last_error", opt_str(p->last_error),
	    "failures", p->failures,
	    "next_at", p->enabled && p->url != NULL ? opt_time(p->next_us) :
	    json_null(),
	    "received", (json_int_t)p->received,
	    "created_at", svc_time(p->created_us));
}

/* Printable text of 1..max bytes without control characters. */
static bool
text_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max || cs_utf8_len(s, n) < 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/*
 * ASVS 9.2.2: a peer is polled over TLS; plain http:// only to a loopback
 * address (a node beside this one, or a test).
 */
static bool
loopback_host(const char *s)
{
	struct net_url u;
	struct in_addr a4;
	struct cs_error le;

	if (net_url_parse(s, "url", &u, &le) != CS_OK)
		return false;
	if (strcmp(u.host, "localhost") == 0 || strcmp(u.host, "::1") == 0)
		return true;
	return inet_pton(AF_INET, u.host, &a4) == 1 &&
	    net_class_v4(ntohl(a4.s_addr)) == NET_LOOPBACK;
}

static bool
url_ok(const char *s)
{
	size_t n = strlen(s);

	if (n > SVC_PEER_URL_MAX || (strncmp(s, "http://", 7) != 0 &&
	    strncmp(s, "https://", 8) != 0))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f ||
		    s[i] == '?' || s[i] == '#')
			return false;
	if (strncmp(s, "http://", 7) == 0 && !loopback_host(s))
		return false;
	return n > 8;
}

/* Applies body to p (create: every member not given takes its default). */
static enum cs_err
apply(struct svc_ctx *c, const json_t *body, struct store_peer *p,
    bool create, struct cs_error *e)
{
	const json_t *v;

	if (!json_is_object(body))
		return cs_fail(e, CS_EINVAL, "", "the body must be a JSON object");
	if ((v = json_object_get(body, "name")) != NULL || create) {
		if (!json_is_string(v) || !text_ok(json_string_value(v),
		    SVC_PEER_NAME_MAX))
			return cs_fail(e, CS_EINVAL, "name", "a name of 1-%d "
			    "characters is required", SVC_PEER_NAME_MAX);
		free(p->name);
		p->name = xstrdup(json_string_value(v));
	}
	if ((v = json_object_get(body, "org")) != NULL || create) {
		struct store_org o;
		enum cs_err rc;

		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return cs_fail(e, CS_EINVAL, "org", "the id of the "
			    "organisation that stands for the peer is required");
		rc = store_org_get(c->st, json_integer_value(v), &o);
		if (rc == CS_ENOENT)
			return cs_fail(e, CS_EINVAL, "org", "no such organisation");
		if (rc != CS_OK)
			return cs_fail(e, rc, "", "store error");
		if (o.type == ORG_PLATFORM) {
			store_org_fini(&o);
			return cs_fail(e, CS_EINVAL, "org", "the platform's own "
			    "organisation cannot stand for a peer");
		}
		store_org_fini(&o);
		p->org = json_integer_value(v);
	}
	if ((v = json_object_get(body, "url")) != NULL) {
		if (json_is_null(v)) {
			free(p->url);
			p->url = NULL;
		} else if (!json_is_string(v) || !url_ok(json_string_value(v)))
			return cs_fail(e, CS_EINVAL, "url", "the peer's TAXII 2.1 "
			    "API root: an https:// URL without query (http:// "
			    "only to a loopback address)");
		else {
			free(p->url);
			p->url = xstrdup(json_string_value(v));
		}
	}
	if ((v = json_object_get(body, "collection")) != NULL) {
		if (!json_is_string(v) || !fed_collection_valid(json_string_value(v)))
			return cs_fail(e, CS_EINVAL, "collection", "a collection "
			    "id: 1-64 of a-z 0-9 - _ .");
		free(p->collection);
		p->collection = xstrdup(json_string_value(v));
	} else if (create)
		p->collection = xstrdup("advisories");
	if ((v = json_object_get(body, "auth")) != NULL) {
		const json_t *t = json_object_get(v, "type"), *l, *s;
		const char *k;
		json_t *m;
		int a = -1;

		if (!json_is_object(v))
			return cs_fail(e, CS_EINVAL, "auth", "must be an object");
		json_object_foreach((json_t *)v, k, m)
			if (strcmp(k, "type") != 0 && strcmp(k, "login") != 0 &&
			    strcmp(k, "secret") != 0) {
				char f[64];

				cs_fmt(f, sizeof(f), "auth.%.50s", k);
				return cs_fail(e, CS_EINVAL, f, "unknown member");
			}
		for (int i = 0; i <= PEER_AUTH_BASIC && json_is_string(t); i++)
			if (strcmp(json_string_value(t), auth_ids[i]) == 0)
				a = i;
		if (a < 0)
			return cs_fail(e, CS_EINVAL, "auth.type", "none, bearer or "
			    "basic");
		l = json_object_get(v, "login");
		s = json_object_get(v, "secret");
		if (a == PEER_AUTH_BASIC && (!json_is_string(l) ||
		    !text_ok(json_string_value(l), 256) ||
		    strchr(json_string_value(l), ':') != NULL))
			return cs_fail(e, CS_EINVAL, "auth.login", "basic needs a "
			    "login (no ':')");
		if (a != PEER_AUTH_BASIC && l != NULL)
			return cs_fail(e, CS_EINVAL, "auth.login", "only basic "
			    "takes a login");
		if (a != PEER_AUTH_NONE && (!json_is_string(s) ||
		    !text_ok(json_string_value(s), SVC_PEER_SECRET_MAX)))
			return cs_fail(e, CS_EINVAL, "auth.secret", "the token or "
			    "password is required (1-%d characters)",
			    SVC_PEER_SECRET_MAX);
		if (a == PEER_AUTH_NONE && s != NULL)
			return cs_fail(e, CS_EINVAL, "auth.secret", "none takes "
			    "no secret");
		p->auth = a;
		free(p->login);
		free(p->secret);
		p->login = a == PEER_AUTH_BASIC ? xstrdup(json_string_value(l)) :
		    NULL;
		p->secret = a != PEER_AUTH_NONE ? xstrdup(json_string_value(s)) :
		    NULL;
	}
	if ((v = json_object_get(body, "interval_s")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > SVC_PEER_INTERVAL_MAX)
			return cs_fail(e, CS_EINVAL, "interval_s", "seconds "
			    "between polls: 1 to %d", SVC_PEER_INTERVAL_MAX);
		p->interval_s = (int)json_integer_value(v);
	} else if (create)
		p->interval_s = SVC_PEER_INTERVAL_DEF;
	if ((v = json_object_get(body, "enabled")) != NULL) {
		if (!json_is_boolean(v))
			return cs_fail(e, CS_EINVAL, "enabled", "must be a boolean");
		p->enabled = json_is_true(v);
	} else if (create)
		p->enabled = true;
	return CS_OK;
}

static json_t *
audit_detail(const struct store_peer *p)
{
	return json_pack("{s:s, s:I, s:o, s:s, s:s}", "name", p->name,
	    "org", (json_int_t)p->org, "url", opt_str(p->url), "collection",
	    p->collection, "auth", auth_ids[p->auth]);
}

enum cs_err
svc_peer_create(struct svc_ctx *c, const json_t *body, int64_t *id,
    struct cs_error *e)
{
	struct store_peer p;
	enum cs_err rc;

	memset(&p, 0, sizeof(p));
	*id = 0;
	if ((rc = apply(c, body, &p, true, e)) != CS_OK)
		goto out;
	p.next_us = c->now_us;
	p.created_us = c->now_us;
	rc = store_peer_insert(c->st, &p);
	if (rc == CS_ECONFLICT) {
		rc = cs_fail(e, CS_ECONFLICT, "name", "a peer of that name exists");
		goto out;
	}
	if (rc != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	*id = p.id;
	rc = svc_audit_op(c, "peer.create", "peer", p.id, audit_detail(&p),
	    false, e);
out:
	store_peer_fini(&p);
	return rc;
}

static enum cs_err
load(struct svc_ctx *c, int64_t id, struct store_peer *p, struct cs_error *e)
{
	enum cs_err rc = store_peer_get(c->st, id, p);

	if (rc == CS_ENOENT)
		return cs_fail(e, CS_ENOENT, "", "no such peer");
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return CS_OK;
}

enum cs_err
svc_peer_update(struct svc_ctx *c, int64_t id, const json_t *body,
    struct cs_error *e)
{
	struct store_peer p;
	enum cs_err rc;

	char *url0, *coll0;
	bool reset;

	if ((rc = load(c, id, &p, e)) != CS_OK)
		return rc;
	url0 = p.url != NULL ? xstrdup(p.url) : NULL;
	coll0 = xstrdup(p.collection);
	rc = apply(c, body, &p, false, e);
	/* Another collection: its cursor means nothing there. */
	reset = !cs_streq(url0 != NULL ? url0 : "", p.url != NULL ? p.url : "") ||
	    strcmp(coll0, p.collection) != 0;
	free(url0);
	free(coll0);
	if (rc != CS_OK)
		goto out;
	rc = store_peer_update(c->st, &p, reset, c->now_us);
	if (rc == CS_ECONFLICT) {
		rc = cs_fail(e, CS_ECONFLICT, "name", "a peer of that name exists");
		goto out;
	}
	if (rc != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	rc = svc_audit_op(c, "peer.update", "peer", id, audit_detail(&p),
	    false, e);
out:
	store_peer_fini(&p);
	return rc;
}

enum cs_err
svc_peer_configure(struct svc_ctx *c, const json_t *file, int *created,
    int *updated, struct cs_error *e)
{
	struct store_peer *v = NULL;
	const json_t *list, *body;
	const char *k;
	json_t *m;
	size_t n = 0, i;
	enum cs_err rc = CS_OK;

	*created = *updated = 0;
	if (!json_is_object(file) || !json_is_array(list = json_object_get(file,
	    "peers")))
		return cs_fail(e, CS_EINVAL, "peers", "the file must be "
		    "{\"peers\": [...]}");
	json_object_foreach((json_t *)file, k, m)
		if (strcmp(k, "peers") != 0)
			return cs_fail(e, CS_EINVAL, k, "unknown member");
	if ((rc = store_peer_list(c->st, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	json_array_foreach(list, i, body) {
		static const char *const keys[] = { "name", "org", "url",
		    "collection", "auth", "interval_s", "enabled", NULL };
		struct store_peer p, *old = NULL;
		struct cs_error le;
		char f[96];

		memset(&p, 0, sizeof(p));
		cs_error_clear(&le);
		json_object_foreach((json_t *)body, k, m) {
			size_t j;

			for (j = 0; keys[j] != NULL && strcmp(keys[j], k) != 0; j++)
				;
			if (keys[j] == NULL) {
				rc = cs_fail(&le, CS_EINVAL, k, "unknown member");
				break;
			}
		}
		if (rc == CS_OK)
			rc = apply(c, body, &p, true, &le);
		if (rc != CS_OK) {
			cs_fmt(f, sizeof(f), "peers.%zu%s%.60s", i, *le.field ?
			    "." : "", le.field);
			rc = cs_fail(e, rc, f, "%s", le.msg);
			store_peer_fini(&p);
			break;
		}
		for (size_t j = 0; j < n; j++)
			if (strcmp(v[j].name, p.name) == 0)
				old = &v[j];
		p.next_us = c->now_us;
		p.created_us = c->now_us;
		if (old == NULL) {
			rc = store_peer_insert(c->st, &p);
			if (rc == CS_OK)
				(*created)++;
		} else {
			p.id = old->id;
			rc = store_peer_update(c->st, &p, !cs_streq(old->url != NULL ?
			    old->url : "", p.url != NULL ? p.url : "") ||
			    strcmp(old->collection, p.collection) != 0, c->now_us);
			if (rc == CS_OK)
				(*updated)++;
		}
		cs_fmt(f, sizeof(f), "peers.%zu.name", i);
		if (rc == CS_ECONFLICT)
			rc = cs_fail(e, rc, f, "two peers of that name");
		else if (rc != CS_OK)
			rc = cs_fail(e, rc, "", "store error");
		else
			rc = svc_audit_op(c, old == NULL ? "peer.create" :
			    "peer.update", "peer", p.id, audit_detail(&p), false, e);
		store_peer_fini(&p);
		if (rc != CS_OK)
			break;
	}
	store_peers_free(v, n);
	return rc;
}

enum cs_err
svc_peer_delete(struct svc_ctx *c, int64_t id, struct cs_error *e)
{
	struct store_peer p;
	enum cs_err rc;

	if ((rc = load(c, id, &p, e)) != CS_OK)
		return rc;
	if ((rc = store_peer_delete(c->st, id)) != CS_OK)
		rc = cs_fail(e, rc, "", "store error");
	else
		rc = svc_audit_op(c, "peer.delete", "peer", id,
		    audit_detail(&p), false, e);
	store_peer_fini(&p);
	return rc;
}

enum cs_err
svc_peer_get(struct svc_ctx *c, int64_t id, json_t **out, struct cs_error *e)
{
	struct store_peer p;
	enum cs_err rc;

	*out = NULL;
	if ((rc = load(c, id, &p, e)) != CS_OK)
		return rc;
	*out = svc_peer_json(&p);
	store_peer_fini(&p);
	return CS_OK;
}

enum cs_err
svc_peer_list(struct svc_ctx *c, json_t **items, struct cs_error *e)
{
	struct store_peer *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	*items = NULL;
	if ((rc = store_peer_list(c->st, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(*items, svc_peer_json(&v[i]));
	store_peers_free(v, n);
	return CS_OK;
}

enum cs_err
svc_peer_sync(struct svc_ctx *c, int64_t id, struct cs_error *e)
{
	struct store_peer p;
	enum cs_err rc;

	if ((rc = load(c, id, &p, e)) != CS_OK)
		return rc;
	if (p.url == NULL)
		rc = cs_fail(e, CS_ECONFLICT, "url", "the peer has no url to poll");
	else if (!p.enabled)
		rc = cs_fail(e, CS_ECONFLICT, "enabled", "the peer is disabled");
	else if ((rc = store_peer_schedule(c->st, id, c->now_us)) != CS_OK)
		rc = cs_fail(e, rc, "", "store error");
	else
		rc = svc_audit_op(c, "peer.sync", "peer", id, NULL, false, e);
	store_peer_fini(&p);
	return rc;
}

enum cs_err
svc_peer_ingest(struct svc_ctx *c, const struct store_peer *p,
    const struct fed_page *pg, int *stored, struct cs_error *e)
{
	struct store_org o;
	struct svc_ctx pc = *c;
	json_t *status = NULL;
	enum cs_err rc;

	*stored = 0;
	if (json_array_size(json_object_get(pg->envelope, "objects")) == 0)
		return CS_OK;
	if ((rc = store_org_get(c->st, p->org, &o)) != CS_OK)
		return cs_fail(e, rc, "org", "the peer's organisation is gone");
	/* The peer's organisation is the provenance (and the audit's actor). */
	memset(&pc.who, 0, sizeof(pc.who));
	pc.who.org_id = o.id;
	pc.who.org_type = o.type;
	pc.who.org_sectors = o.sectors;
	pc.who.fed_peer = true;
	pc.org = &o;
	pc.user = NULL;
	rc = svc_obj_import_as(&pc, "federation.ingest", pg->envelope, &status,
	    e);
	if (rc == CS_OK) {
		const json_t *v;
		size_t i;

		/* What was new here ("already held" versions are not counted). */
		json_array_foreach(json_object_get(status, "successes"), i, v)
			if (strcmp(json_string_value(json_object_get(v,
			    "message")), "added") == 0)
				(*stored)++;
	}
	json_decref(status);
	store_org_fini(&o);
	return rc;
}

/* The name of the peer that stands for org (the peers are few). */
static json_t *
peer_of(const struct store_peer *v, size_t n, int64_t org)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].org == org)
			return json_pack("{s:I, s:s, s:I}", "id", (json_int_t)v[i].id,
			    "name", v[i].name, "org", (json_int_t)org);
	return json_pack("{s:n, s:n, s:I}", "id", "name", "org",
	    (json_int_t)org);
}

enum cs_err
svc_peer_inbox(struct svc_ctx *c, int64_t before, int limit, json_t **items,
    int64_t *next, struct cs_error *e)
{
	struct store_obj *v = NULL;
	struct store_peer *pv = NULL;
	size_t n = 0, np = 0;
	json_t *seen;
	enum cs_err rc;

	*items = NULL;
	*next = 0;
	if ((rc = store_peer_list(c->st, &pv, &np)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if ((rc = store_obj_from_peers(c->st, SVC_OBJ_CONTRIBUTIONS, "report",
	    before, limit + 1, &v, &n)) != CS_OK) {
		store_peers_free(pv, np);
		return cs_fail(e, rc, "", "store error");
	}
	*items = json_array();
	seen = json_array();
	for (size_t i = 0; i < n && i < (size_t)limit; i++) {
		json_t *o = json_loads(v[i].json, 0, NULL), *it;
		char at[40];

		if (i + 1 == (size_t)limit && n > (size_t)limit)
			*next = v[i].seq;
		if (o == NULL || !policy_federated_may_read(&c->who,
		    (enum cs_tlp)v[i].tlp)) {
			json_decref(o);
			continue;
		}
		cs_time_format(v[i].added_us, at, sizeof(at));
		it = json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:o, s:o}",
		    "id", (json_int_t)v[i].seq, "stix_id", v[i].stix_id,
		    "tlp", core_tlp_id((enum cs_tlp)v[i].tlp),
		    "name", opt_str(json_string_value(json_object_get(o, "name"))),
		    "description", opt_str(json_string_value(json_object_get(o,
		    "description"))),
		    "published", opt_str(json_string_value(json_object_get(o,
		    "published"))),
		    "modified", v[i].modified, "received_at", at,
		    "labels", json_is_array(json_object_get(o, "labels")) ?
		    json_incref(json_object_get(o, "labels")) : json_array(),
		    "peer", peer_of(pv, np, v[i].org));
		json_array_append_new(*items, it);
		json_array_append_new(seen, json_string(v[i].stix_id));
		json_decref(o);
	}
	store_objs_free(v, n);
	store_peers_free(pv, np);
	if (json_array_size(seen) == 0) {
		json_decref(seen);
		return CS_OK;
	}
	return svc_audit(c, "federation.read", NULL, json_pack("{s:o}",
	    "objects", seen), false) == CS_OK ? CS_OK :
	    cs_fail(e, CS_ESTORE, "", "audit failed");
}
