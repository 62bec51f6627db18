/*
 * audit.c: GET /audit and GET /audit/verify.  The log is append-only (the
 * store refuses updates and deletes) and hash-chained (store_audit_append).
 * Who may read it (admins; NISC analysts, approvers and org_admins) is
 * ACT_AUDIT_READ / ACT_AUDIT_VERIFY in core/authz.c; which entries a
 * non-admin reads is svc_audit_visible (svc/audit.c).  /audit/verify walks
 * the whole chain for both and answers only ok, the count and the seq of a
 * broken link: what the seq numbers of any page already tell.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "svc/svc_audit.h"

/* Scans of SVC_AUDIT_SCAN entries one filtered page may take. */
#define AUDIT_FILTER_ROUNDS	20

static json_t *
entry_json(const struct store_audit *a)
{
	char h[65];
	json_t *j, *d;

	core_hex(a->hash, 32, h);
	j = json_pack("{s:I, s:o, s:s, s:s}", "seq", (json_int_t)a->seq,
	    "at", api_time(a->at_us), "action", a->action, "hash", h);
	json_object_set_new(j, "user", a->user ? json_integer(a->user) : json_null());
	json_object_set_new(j, "org", a->org ? json_integer(a->org) : json_null());
	json_object_set_new(j, "item", a->item ? json_string(a->item) : json_null());
	d = a->detail ? json_loads(a->detail, 0, NULL) : NULL;
	json_object_set_new(j, "detail", d ? d : json_null());
	core_hex(a->prev, 32, h);
	json_object_set_new(j, "prev", json_string(h));
	return j;
}

/* The query of GET /audit (api.h). */
enum cs_err
api_audit_query(struct api_req *r, struct api_audit_query *aq,
    struct cs_error *e)
{
	const char *since = r->query(r->conn, "since");
	const char *action = r->query(r->conn, "action");
	const char *orgq = r->query(r->conn, "org"), *item = r->query(r->conn,
	    "item");
	enum cs_err rc;

	memset(aq, 0, sizeof(*aq));
	if ((rc = api_list_limit(r, &aq->limit, &aq->cursor, e)) != CS_OK)
		return rc;
	if (since != NULL && cs_time_parse(since, &aq->since_us) != CS_OK)
		return cs_fail(e, CS_EINVAL, "since", "must be an RFC 3339 date-time");
	/* The viewer's filters (issue 15): action prefix, organisation, item. */
	if (action != NULL && (strlen(action) == 0 || strlen(action) > 64 ||
	    strspn(action, "abcdefghijklmnopqrstuvwxyz_.") != strlen(action)))
		return cs_fail(e, CS_EINVAL, "action", "an action or its prefix "
		    "(a-z, _ and .)");
	if (orgq != NULL && cs_str_to_i64(orgq, 1, INT64_MAX, &aq->org) != CS_OK)
		return cs_fail(e, CS_EINVAL, "org", "an organisation id");
	if (item != NULL && (strlen(item) == 0 || strlen(item) > 64 ||
	    cs_utf8_len(item, strlen(item)) < 0))
		return cs_fail(e, CS_EINVAL, "item", "an item such as advisory:12");
	aq->action = action;
	aq->item = item;
	return CS_OK;
}

/*
 * GET /audit?since=&limit=&cursor=: the entries the caller may read
 * (svc_audit_list: every entry for an admin; for NISC those about items it
 * reads and its own organisation's).  A filtered page may be short, even
 * empty, with a next_cursor to go on from.
 */
static enum cs_err
audit_list(struct api_req *r, struct cs_error *e)
{
	struct api_audit_query aq;
	struct store_audit *v;
	struct api_page p;
	struct svc_ctx c;
	size_t n;
	const char *action, *item;
	int64_t since_us, last, org;
	bool more;
	enum cs_err rc;

	if ((rc = api_audit_query(r, &aq, e)) != CS_OK)
		return rc;
	memset(&p, 0, sizeof(p));
	p.limit = aq.limit;
	p.cursor = aq.cursor;
	since_us = aq.since_us;
	action = aq.action;
	org = aq.org;
	item = aq.item;
	api_svc_ctx(r, &c);
	/* Filtered: read on (a bounded number of scans) until the page fills. */
	for (int round = 0, added = 0; round < AUDIT_FILTER_ROUNDS; round++) {
		if ((rc = svc_audit_list(&c, p.cursor, since_us, p.limit - added,
		    &v, &n, &last, &more, e)) != CS_OK) {
			api_page_fini(&p);
			return rc;
		}
		for (size_t i = 0; i < n; i++) {
			if ((action != NULL && strncmp(v[i].action, action,
			    strlen(action)) != 0) || (org != 0 && v[i].org != org) ||
			    (item != NULL && (v[i].item == NULL ||
			    strcmp(v[i].item, item) != 0)))
				continue;
			api_page_add(&p, entry_json(&v[i]), v[i].seq);
			added++;
		}
		store_audits_free(v, n);
		p.cursor = last;
		if (!more || added >= p.limit || (action == NULL && org == 0 &&
		    item == NULL))
			break;
	}
	p.more = more;
	if (more)
		p.last = last;
	return api_page_end(r, &p);
}

/* GET /audit/verify -> {"ok": true, "entries": N} or the first broken link. */
static enum cs_err
audit_verify(struct api_req *r, struct cs_error *e)
{
	struct store_audit *v;
	unsigned char prev[32], h[32];
	size_t n;
	int64_t after = 0, count = 0;
	enum cs_err rc;

	memset(prev, 0, sizeof(prev));
	for (;;) {
		if ((rc = store_audit_list(r->st, after, 0, 1000, &v, &n)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
		for (size_t i = 0; i < n; i++) {
			const char *why = NULL;

			store_audit_rehash(&v[i], h);
			if (v[i].seq != count + 1)
				why = "sequence gap";
			else if (memcmp(v[i].prev, prev, 32) != 0)
				why = "prev does not match the previous entry's hash";
			else if (memcmp(h, v[i].hash, 32) != 0)
				why = "entry does not match its hash";
			if (why != NULL) {
				r->out = json_pack("{s:b, s:I, s:I, s:s}", "ok", 0,
				    "entries", (json_int_t)count, "broken_at",
				    (json_int_t)v[i].seq, "reason", why);
				store_audits_free(v, n);
				r->status = 200;
				return CS_OK;
			}
			memcpy(prev, v[i].hash, 32);
			count++;
			after = v[i].seq;
		}
		store_audits_free(v, n);
		if (n < 1000)
			break;
	}
	r->out = json_pack("{s:b, s:I}", "ok", 1, "entries", (json_int_t)count);
	r->status = 200;
	return CS_OK;
}

const struct api_route api_audit_routes[] = {
	API_ROUTE("GET", "/audit", ACT_AUDIT_READ, .flags = API_AUDIT_LOG,
	    .fn = audit_list),
	API_ROUTE("GET", "/audit/verify", ACT_AUDIT_VERIFY, .flags = API_AUDIT_LOG,
	    .fn = audit_verify),
	API_ROUTES_END
};
