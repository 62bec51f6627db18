/*
 * taxii_objects.c: GET objects/, manifest/, objects/{id}/ and
 * objects/{id}/versions/ of a TAXII 2.1 collection (docs/interop.md
 * "TAXII 2.1").
 *
 * Where the objects come from:
 * - advisories, indicators, reports: rendered for the caller from the
 *   items it may read, exactly as GET /advisories/{id}/stix and
 *   GET /reports/{id}/stix render them (the item loaded through the one
 *   read policy, then src/interop); an object's date_added is the time of
 *   the newest version of its item the caller reads (its `modified`), and
 *   an object several items share (NISC's identity, a marking, an SCO)
 *   is listed once, with the earliest.  Nothing is materialised, so
 *   visibility stays the item's.
 * - contributions: the stix_objects table, paged in SQL by
 *   (date_added, seq), limited to what the policy lets the caller read
 *   (policy_contribution_scope).
 * Pages are ordered by (date_added, key) — key the seq or the STIX id —
 * and `next` is that pair, so a page never repeats or skips an object
 * when objects are added meanwhile.  One audit entry per request names
 * the items whose objects it served.
 */
#include <stdlib.h>
#include <string.h>

#include "api/taxii.h"
#include "svc/svc_drill.h"
#include "svc/svc_obj.h"

struct trow {
	int64_t		 us;
	char		 key[TAXII_KEY_MAX];
	char		 id[STIX_ID_MAX];
	char		 type[64];
	const char	*version;	/* in obj; NULL: none */
	int64_t		 ver_us;
	json_t		*obj;
	char		 item[32];
};

struct rows {
	struct trow	*v;
	size_t		 n, cap;
};

static void
rows_free(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		json_decref(r->v[i].obj);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static struct trow *
rows_add(struct rows *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	memset(&r->v[r->n], 0, sizeof(r->v[0]));
	return &r->v[r->n++];
}

static void
row_set(struct trow *t, json_t *obj_take, int64_t us, const char *item)
{
	const char *ver = stix_object_version(obj_take);

	t->obj = obj_take;
	t->us = us;
	cs_strlcpy(t->id, json_string_value(json_object_get(obj_take, "id")),
	    sizeof(t->id));
	cs_strlcpy(t->type, json_string_value(json_object_get(obj_take,
	    "type")), sizeof(t->type));
	cs_strlcpy(t->key, t->id, sizeof(t->key));
	t->version = ver;
	t->ver_us = ver != NULL ? stix_timestamp_us(ver) : us;
	cs_strlcpy(t->item, item, sizeof(t->item));
}

/* The objects of one bundle, dated by its main object's `modified`. */
static void
add_bundle(struct rows *r, json_t *b, const char *main_type, const char *item,
    bool indicators_only)
{
	json_t *objs = json_object_get(b, "objects"), *o;
	int64_t us = 0;
	size_t i;

	json_array_foreach(objs, i, o)
		if (cs_streq(json_string_value(json_object_get(o, "type")),
		    main_type))
			us = stix_timestamp_us(json_string_value(json_object_get(o,
			    "modified")));
	if (us <= 0)
		return;
	json_array_foreach(objs, i, o) {
		if (indicators_only && !cs_streq(json_string_value(
		    json_object_get(o, "type")), "indicator"))
			continue;
		row_set(rows_add(r), json_incref(o), us, item);
	}
}

static int
by_id_then_us(const void *a, const void *b)
{
	const struct trow *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c != 0)
		return c;
	return x->us < y->us ? -1 : x->us > y->us;
}

static int
by_us_then_key(const void *a, const void *b)
{
	const struct trow *x = a, *y = b;

	if (x->us != y->us)
		return x->us < y->us ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* One row per id (its earliest), in page order. */
static void
rows_settle(struct rows *r)
{
	size_t w = 0;

	if (r->n == 0)
		return;
	qsort(r->v, r->n, sizeof(r->v[0]), by_id_then_us);
	for (size_t i = 0; i < r->n; i++) {
		if (w > 0 && strcmp(r->v[w - 1].id, r->v[i].id) == 0) {
			json_decref(r->v[i].obj);
			continue;
		}
		r->v[w++] = r->v[i];
	}
	r->n = w;
	qsort(r->v, r->n, sizeof(r->v[0]), by_us_then_key);
}

static enum cs_err
collect_advisories(struct api_req *q, struct rows *r, bool indicators_only,
    struct cs_error *e)
{
	struct store_advisory *v = NULL;
	struct svc_ctx c;
	int64_t before = 0;
	size_t n;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	for (;;) {
		if ((rc = store_adv_list(q->st, before, 200, &v, &n)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
		for (size_t i = 0; i < n; i++) {
			struct svc_adv x;
			struct cs_error le;
			json_t *adv, *b;
			char item[32];

			before = v[i].id;
			if (svc_adv_load_visible(&c, v[i].id, &x, &le) != CS_OK)
				continue;
			/* A peer node: never RED, never a drill's (issue 13). */
			if (!policy_federation_may_send(&q->who, x.acl.tlp,
			    svc_drill_of(&c, DRILL_ITEM_ADVISORY, v[i].id) != 0)) {
				svc_adv_fini(&x);
				continue;
			}
			adv = api_adv_json(q, &x, true);
			svc_adv_fini(&x);
			cs_error_clear(&le);
			b = stix_advisory_bundle(adv, &le);
			json_decref(adv);
			if (b == NULL)
				continue;
			cs_fmt(item, sizeof(item), "advisory:%lld",
			    (long long)v[i].id);
			add_bundle(r, b, "report", item, indicators_only);
			json_decref(b);
		}
		free(v);
		v = NULL;
		if (n < 200)
			break;
	}
	rows_settle(r);
	return CS_OK;
}

static enum cs_err
collect_reports(struct api_req *q, struct rows *r, struct cs_error *e)
{
	struct store_report_filter f;
	struct svc_ctx c;
	int64_t *ids = NULL;
	size_t n;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	memset(&f, 0, sizeof(f));
	f.org = q->who.org_id;
	f.sector = -1;
	f.limit = 200;
	for (;;) {
		if ((rc = svc_report_candidates(&c, &f, &ids, &n)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
		for (size_t i = 0; i < n; i++) {
			struct cs_error le;
			json_t *rep = NULL, *orgs, *b;
			char item[32];

			f.before_id = ids[i];
			cs_error_clear(&le);
			if (api_report_json_of(q, ids[i], &rep, &le) != CS_OK)
				continue;
			{
				enum cs_tlp t = TLP_RED;

				(void)core_tlp_parse(json_string_value(
				    json_object_get(rep, "tlp")), &t);
				if (!policy_federation_may_send(&q->who, t,
				    svc_drill_of(&c, DRILL_ITEM_REPORT, ids[i]) != 0)) {
					json_decref(rep);
					continue;
				}
			}
			orgs = api_stix_report_orgs(q, rep);
			b = stix_report_bundle(rep, orgs, &le);
			json_decref(orgs);
			json_decref(rep);
			if (b == NULL)
				continue;
			cs_fmt(item, sizeof(item), "report:%lld", (long long)ids[i]);
			add_bundle(r, b, "incident", item, false);
			json_decref(b);
		}
		free(ids);
		ids = NULL;
		if (n < 200)
			break;
	}
	rows_settle(r);
	return CS_OK;
}

/* Is the row past the cursor? */
static bool
after_cursor(const struct taxii_filter *f, const struct trow *t)
{
	if (!f->has_next)
		return true;
	if (t->us != f->next_us)
		return t->us > f->next_us;
	return strcmp(t->key, f->next_key) > 0;
}

/* match[version] against the versions an id has here (lo..hi). */
static bool
version_ok(const struct taxii_filter *f, int64_t v, int64_t lo, int64_t hi)
{
	if (f->v_all || (f->v_first && v == lo) || (f->v_last && v == hi))
		return true;
	for (size_t i = 0; i < f->nversions; i++)
		if (f->versions[i] == v)
			return true;
	return false;
}

static int
obj_by_id(const void *a, const void *b)
{
	return strcmp(((const struct store_obj *)a)->stix_id,
	    ((const struct store_obj *)b)->stix_id);
}

static int64_t
obj_version_us(const struct store_obj *o)
{
	return o->modified[0] ? stix_timestamp_us(o->modified) : o->added_us;
}

/* The first and last version times of id among vv (sorted by id). */
static void
version_bounds(const struct store_obj *vv, size_t nv, const char *id,
    int64_t *lo, int64_t *hi)
{
	size_t a = 0, b = nv;

	*lo = INT64_MAX;
	*hi = -1;
	while (a < b) {		/* the first row with stix_id >= id */
		size_t m = a + (b - a) / 2;

		if (strcmp(vv[m].stix_id, id) < 0)
			a = m + 1;
		else
			b = m;
	}
	for (; a < nv && strcmp(vv[a].stix_id, id) == 0; a++) {
		int64_t t = obj_version_us(&vv[a]);

		if (t < *lo)
			*lo = t;
		if (t > *hi)
			*hi = t;
	}
}

/*
 * The contributions page: rows of the caller's scope after the cursor,
 * filtered, until limit + 1 pass (the extra one says "more").
 */
static enum cs_err
collect_contributions(struct api_req *q, const struct taxii_filter *f,
    struct rows *r, bool all_versions, struct cs_error *e)
{
	int64_t scope = policy_contribution_scope(&q->who);
	int64_t aus = f->has_next ? f->next_us : 0, aseq = 0;
	struct store_obj *v = NULL, *vv = NULL;
	size_t n, nv = 0;
	int batch;
	enum cs_err rc;

	if (f->has_next && cs_str_to_i64(f->next_key, 0, INT64_MAX, &aseq) !=
	    CS_OK)
		return cs_fail(e, CS_EINVAL, "next", "malformed next token");
	if (f->added_after >= 0 && aus <= f->added_after) {
		aus = f->added_after;
		aseq = INT64_MAX;
	}
	while ((int)r->n <= f->limit) {
		/*
		 * The rows still wanted (limit + 1 in all; at least 64, as a
		 * filter may skip some): reading 500 rows for a page of 100 cost
		 * more than the page (bench/README.md, TAXII).
		 */
		batch = f->limit + 1 - (int)r->n;
		if (batch < 64)
			batch = 64;
		if ((rc = store_obj_page(q->st, SVC_OBJ_CONTRIBUTIONS, scope, aus,
		    aseq, batch, &v, &n)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
		/* The versions of the batch's ids, in one query. */
		if (!all_versions && n > 0) {
			if ((rc = store_obj_page_versions(q->st,
			    SVC_OBJ_CONTRIBUTIONS, scope, aus, aseq, batch, &vv,
			    &nv)) != CS_OK) {
				store_objs_free(v, n);
				return cs_fail(e, rc, "", "store error");
			}
			qsort(vv, nv, sizeof(*vv), obj_by_id);
		}
		for (size_t i = 0; i < n && (int)r->n <= f->limit; i++) {
			int64_t lo, hi, ver;
			json_t *o;
			char item[32];

			aus = v[i].added_us;
			aseq = v[i].seq;
			if (!policy_contribution_may_read(&q->who, v[i].org,
			    (enum cs_tlp)v[i].tlp) ||
			    !taxii_match(f, v[i].stix_id, v[i].type))
				continue;
			ver = obj_version_us(&v[i]);
			if (!all_versions) {
				version_bounds(vv, nv, v[i].stix_id, &lo, &hi);
				if (!version_ok(f, ver, lo, hi))
					continue;
			}
			if ((o = json_loads(v[i].json, 0, NULL)) == NULL)
				continue;
			cs_fmt(item, sizeof(item), "contribution:%lld",
			    (long long)v[i].seq);
			row_set(rows_add(r), o, v[i].added_us, item);
			cs_fmt(r->v[r->n - 1].key, TAXII_KEY_MAX, "%lld",
			    (long long)v[i].seq);
		}
		store_objs_free(v, n);
		store_objs_free(vv, nv);
		v = vv = NULL;
		nv = 0;
		if (n < (size_t)batch)
			break;
	}
	return CS_OK;
}

/*
 * The rows of the page: the collection's objects that pass the filter
 * after the cursor, at most limit + 1.
 */
static enum cs_err
page_rows(struct api_req *q, int coll, const struct taxii_filter *f,
    bool all_versions, struct rows *out, struct cs_error *e)
{
	struct rows all = { 0 };
	enum cs_err rc;

	switch (coll) {
	case TAXII_CONTRIBUTIONS:
		return collect_contributions(q, f, out, all_versions, e);
	case TAXII_REPORTS:
		rc = collect_reports(q, &all, e);
		break;
	default:
		rc = collect_advisories(q, &all, coll == TAXII_INDICATORS, e);
		break;
	}
	if (rc != CS_OK) {
		rows_free(&all);
		return rc;
	}
	for (size_t i = 0; i < all.n; i++) {
		struct trow *t = &all.v[i];

		if ((int)out->n > f->limit || !after_cursor(f, t) ||
		    (f->added_after >= 0 && t->us <= f->added_after) ||
		    !taxii_match(f, t->id, t->type) ||
		    !version_ok(f, t->ver_us, t->ver_us, t->ver_us)) {
			json_decref(t->obj);
			continue;
		}
		*rows_add(out) = *t;
	}
	free(all.v);
	return CS_OK;
}

/* One audit entry for the request: the items whose objects it served. */
static enum cs_err
audit_page(struct api_req *q, int coll, const struct rows *r, size_t n,
    struct cs_error *e)
{
	json_t *items = json_array(), *seen = json_object();

	for (size_t i = 0; i < n; i++) {
		if (json_object_get(seen, r->v[i].item) != NULL)
			continue;
		json_object_set_new(seen, r->v[i].item, json_true());
		json_array_append_new(items, json_string(r->v[i].item));
	}
	json_decref(seen);
	if (api_audit(q, "taxii.read", NULL, json_pack("{s:s, s:I, s:o}",
	    "collection", taxii_coll_id(coll), "objects", (json_int_t)n,
	    "items", items), false) != CS_OK)
		return cs_fail(e, CS_ESTORE, "", "audit failed");
	return CS_OK;
}

static void
date_headers(struct api_req *q, const struct rows *r, size_t n)
{
	if (n == 0)
		return;
	q->headers[0].name = "X-TAXII-Date-Added-First";
	taxii_time(r->v[0].us, q->headers[0].value, sizeof(q->headers[0].value));
	q->headers[1].name = "X-TAXII-Date-Added-Last";
	taxii_time(r->v[n - 1].us, q->headers[1].value,
	    sizeof(q->headers[1].value));
	q->nheaders = 2;
}

enum taxii_view { VIEW_OBJECTS, VIEW_MANIFEST, VIEW_ONE, VIEW_VERSIONS };

static enum cs_err
objects_view(struct api_req *q, enum taxii_view view, struct cs_error *e)
{
	struct taxii_filter f;
	struct rows r = { 0 };
	json_t *out, *list;
	char seg[STIX_ID_MAX + 8];
	size_t n;
	bool more;
	int coll;
	enum cs_err rc;

	if ((rc = taxii_coll_visible(q, e)) != CS_OK)
		return rc;
	taxii_seg(q, 3, seg, sizeof(seg));
	coll = taxii_coll_parse(seg);
	if ((rc = taxii_filter_parse(q->query, q->conn, &f, e)) != CS_OK)
		return rc;
	if (view == VIEW_ONE || view == VIEW_VERSIONS) {
		taxii_seg(q, 5, seg, sizeof(seg));
		if (!stix_id_valid(seg, NULL))
			return cs_fail(e, CS_ENOENT, "", "no such object");
		cs_strlcpy(f.ids[0], seg, sizeof(f.ids[0]));
		f.nids = 1;
		if (view == VIEW_VERSIONS) {
			f.v_all = true;
			f.ntypes = 0;
		}
	}
	if ((rc = page_rows(q, coll, &f, view == VIEW_VERSIONS, &r, e)) != CS_OK) {
		rows_free(&r);
		return rc;
	}
	more = (int)r.n > f.limit;
	n = more ? (size_t)f.limit : r.n;
	if (n == 0 && (view == VIEW_ONE || view == VIEW_VERSIONS) &&
	    !f.has_next) {
		rows_free(&r);
		return cs_fail(e, CS_ENOENT, "", "no such object in this "
		    "collection");
	}
	list = json_array();
	for (size_t i = 0; i < n; i++) {
		struct trow *t = &r.v[i];
		char ts[40];

		taxii_time(t->us, ts, sizeof(ts));
		if (view == VIEW_MANIFEST) {
			json_t *m = json_pack("{s:s, s:s, s:s}", "id", t->id,
			    "date_added", ts, "media_type", STIX_MEDIA_TYPE);

			json_object_set_new(m, "version", json_string(t->version ?
			    t->version : ts));
			json_array_append_new(list, m);
		} else if (view == VIEW_VERSIONS)
			json_array_append_new(list, json_string(t->version ?
			    t->version : ts));
		else
			json_array_append(list, t->obj);
	}
	out = json_pack("{s:b}", "more", more);
	if (more) {
		char tok[TAXII_KEY_MAX + 24];

		taxii_next_token(r.v[n - 1].us, r.v[n - 1].key, tok, sizeof(tok));
		json_object_set_new(out, "next", json_string(tok));
	}
	if (n > 0)
		json_object_set_new(out, view == VIEW_VERSIONS ? "versions" :
		    "objects", list);
	else
		json_decref(list);
	date_headers(q, &r, n);
	rc = view == VIEW_MANIFEST || view == VIEW_VERSIONS ? CS_OK :
	    audit_page(q, coll, &r, n, e);
	rows_free(&r);
	if (rc != CS_OK) {
		json_decref(out);
		return rc;
	}
	taxii_answer(q, out);
	return CS_OK;
}

enum cs_err
taxii_objects_get(struct api_req *q, struct cs_error *e)
{
	return objects_view(q, VIEW_OBJECTS, e);
}

enum cs_err
taxii_manifest_get(struct api_req *q, struct cs_error *e)
{
	return objects_view(q, VIEW_MANIFEST, e);
}

enum cs_err
taxii_object_get(struct api_req *q, struct cs_error *e)
{
	return objects_view(q, VIEW_ONE, e);
}

enum cs_err
taxii_versions_get(struct api_req *q, struct cs_error *e)
{
	return objects_view(q, VIEW_VERSIONS, e);
}
