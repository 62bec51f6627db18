/*
 * obs.c: the observable index (see svc_obs.h).  Writing: the observables
 * of a clear version text (analysis/obs.h) into the store.  Reading: every
 * index row is checked against the acting principal before it is listed
 * or counted — its item through the one read policy (svc_report_load_visible,
 * svc_adv_load_visible) and its version row as the principal sees it (the
 * hop svc_report_visible_row shows it; an advisory version a source review
 * holds back is not shown) — so an item it may not read changes no count
 * and no order it sees.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/obs.h"
#include "svc/svc_adv.h"
#include "svc/svc_obs.h"
#include "svc/svc_drill.h"

#define DAY_US		(86400LL * 1000000LL)
#define BACKFILL_STEP	200

static enum cs_err	index_found(struct store *, int, int64_t, int, int, int,
			    const char *, const json_t *, int64_t);

/* ---- writing --------------------------------------------------------------- */

enum cs_err
svc_obs_index(struct store *st, int item_kind, int64_t item, int version,
    int hop, int sector, const char *text, int64_t at_us)
{
	json_t *j;
	enum cs_err rc;

	if (text == NULL)
		return CS_OK;
	if ((j = json_loads(text, JSON_DECODE_ANY, NULL)) != NULL) {
		rc = svc_obs_index_json(st, item_kind, item, version, hop, sector,
		    j, at_us);
		json_decref(j);
		return rc;
	}
	return index_found(st, item_kind, item, version, hop, sector, text,
	    NULL, at_us);
}

enum cs_err
svc_obs_index_json(struct store *st, int item_kind, int64_t item, int version,
    int hop, int sector, const json_t *form, int64_t at_us)
{
	return index_found(st, item_kind, item, version, hop, sector, NULL,
	    form, at_us);
}

/* The observables of text or (when text is NULL) of the form j, indexed. */
static enum cs_err
index_found(struct store *st, int item_kind, int64_t item, int version,
    int hop, int sector, const char *text, const json_t *j, int64_t at_us)
{
	struct obs *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	if (text != NULL)
		obs_extract(text, strlen(text), &v, &n);
	else
		obs_extract_json(j, &v, &n);
	rc = svc_obs_index_list(st, item_kind, item, version, hop, sector, v, n,
	    at_us);
	obs_free(v, n);
	return rc;
}

enum cs_err
svc_obs_index_list(struct store *st, int item_kind, int64_t item,
    int version, int hop, int sector, const struct obs *v, size_t n,
    int64_t at_us)
{
	struct store_item_obs r;
	enum cs_err rc = CS_OK;

	memset(&r, 0, sizeof(r));
	r.item_kind = item_kind;
	r.item = item;
	r.version = version;
	r.hop = hop;
	r.sector = sector;
	r.at_us = at_us;
	for (size_t i = 0; i < n && rc == CS_OK; i++) {
		if ((rc = store_obs_id(st, (int)v[i].kind, v[i].value, true,
		    &r.observable)) == CS_OK)
			rc = store_item_obs_add(st, &r);
	}
	return rc;
}

static enum cs_err
backfill_kind(struct store *st, int item_kind, int64_t max)
{
	enum cs_err rc = CS_OK;

	for (int64_t lo = 0; lo < max && rc == CS_OK; lo += BACKFILL_STEP) {
		struct store_obs_src *v = NULL;
		size_t n = 0;

		rc = item_kind == STORE_ITEM_REPORT ?
		    store_obs_report_src(st, lo, lo + BACKFILL_STEP, &v, &n) :
		    store_obs_adv_src(st, lo, lo + BACKFILL_STEP, &v, &n);
		for (size_t i = 0; i < n && rc == CS_OK; i++)
			rc = svc_obs_index(st, item_kind, v[i].item, v[i].version,
			    v[i].hop, v[i].sector, v[i].form, v[i].at_us);
		store_obs_src_free(v, n);
	}
	return rc;
}

enum cs_err
svc_obs_backfill(struct store *st)
{
	int64_t maxr = 0, maxa = 0;
	char *done = NULL;
	enum cs_err rc;

	rc = store_meta_get(st, "obs_indexed", &done);
	free(done);
	if (rc == CS_OK)
		return CS_OK;
	if (rc != CS_ENOENT)
		return rc;
	if ((rc = store_obs_max_ids(st, &maxr, &maxa)) != CS_OK ||
	    (rc = backfill_kind(st, STORE_ITEM_REPORT, maxr)) != CS_OK ||
	    (rc = backfill_kind(st, STORE_ITEM_ADVISORY, maxa)) != CS_OK)
		return rc;
	return store_meta_set(st, "obs_indexed", "1");
}

/* ---- what the principal sees ------------------------------------------------- */

struct vis_item {
	int		 kind;
	int64_t		 id;
	bool		 readable;
	struct svc_report x;
	struct svc_adv	 a;
	int		*hop;		/* per report version: -2 unknown, -1 none */
};

struct vis {
	struct vis_item	*v;
	size_t		 n;
};

static struct vis_item *
vis_item(struct svc_ctx *c, struct vis *vs, int kind, int64_t id)
{
	struct vis_item *it;
	struct cs_error le;

	for (size_t i = 0; i < vs->n; i++)
		if (vs->v[i].kind == kind && vs->v[i].id == id)
			return &vs->v[i];
	vs->v = xreallocarray(vs->v, vs->n + 1, sizeof(vs->v[0]));
	it = &vs->v[vs->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->id = id;
	/* A drill's items never correlate with anything (issue 13). */
	if (svc_drill_of(c, kind == STORE_ITEM_REPORT ? DRILL_ITEM_REPORT :
	    DRILL_ITEM_ADVISORY, id) != 0)
		return it;
	if (kind == STORE_ITEM_REPORT) {
		it->readable = svc_report_load_visible(c, id, SVC_LOAD_VERSIONS,
		    &it->x, &le) == CS_OK;
		if (it->readable) {
			int nv = it->x.r.nversions + 1;

			it->hop = xreallocarray(NULL, (size_t)nv, sizeof(int));
			for (int k = 0; k < nv; k++)
				it->hop[k] = -2;
		}
	} else
		it->readable = svc_adv_load_visible(c, id, &it->a, &le) == CS_OK;
	return it;
}

static void
vis_free(struct vis *vs)
{
	for (size_t i = 0; i < vs->n; i++) {
		if (!vs->v[i].readable)
			continue;
		if (vs->v[i].kind == STORE_ITEM_REPORT)
			svc_report_fini(&vs->v[i].x);
		else
			svc_adv_fini(&vs->v[i].a);
		free(vs->v[i].hop);
	}
	free(vs->v);
}

/* Does the principal see the version row r holds an observable of? */
static bool
row_visible(struct svc_ctx *c, struct vis *vs, const struct store_item_obs *r,
    struct vis_item **out)
{
	struct vis_item *it = vis_item(c, vs, r->item_kind, r->item);

	*out = it;
	if (!it->readable)
		return false;
	if (r->item_kind == STORE_ITEM_ADVISORY) {
		for (size_t i = 0; i < it->a.nv; i++)
			if (it->a.v[i].version == r->version)
				return true;
		return false;
	}
	if (r->version < 1 || r->version > it->x.r.nversions)
		return false;
	if (it->hop[r->version] == -2) {
		enum cs_hop h = HOP_SOURCE;
		char *plain = NULL;

		it->hop[r->version] = svc_report_visible_row(c, &it->x,
		    r->version, &plain, &h) != NULL ? (int)h : -1;
		free(plain);
	}
	return it->hop[r->version] == r->hop;
}

static const char *
item_type(int kind)
{
	return kind == STORE_ITEM_REPORT ? "report" : "advisory";
}

static json_t *
obs_json(int kind, const char *value)
{
	return json_pack("{s:s, s:s}", "kind", obs_kind_id((enum obs_kind)kind),
	    "value", value);
}

/* The item entry of an answer, found or added in `items` (by type and id). */
static json_t *
item_entry(json_t *items, const struct store_item_obs *r,
    const struct vis_item *vi)
{
	json_t *it;
	size_t i;

	json_array_foreach(items, i, it)
		if (strcmp(json_string_value(json_object_get(it, "type")),
		    item_type(r->item_kind)) == 0 &&
		    json_integer_value(json_object_get(it, "id")) == r->item) {
			if (r->at_us > json_integer_value(json_object_get(it,
			    "_at"))) {
				json_object_set_new(it, "_at",
				    json_integer(r->at_us));
				json_object_set_new(it, "last_seen",
				    svc_time(r->at_us));
			}
			return it;
		}
	it = json_pack("{s:s, s:I, s:o, s:o, s:[]}", "type",
	    item_type(r->item_kind), "id", (json_int_t)r->item, "sector",
	    r->sector >= 0 ? json_string(core_sector_id(r->sector)) : json_null(),
	    "last_seen", svc_time(r->at_us), "versions");
	/* What users know an item by: R- or T-number (null before NISC's). */
	json_object_set_new(it, "identification_number",
	    r->item_kind == STORE_ITEM_REPORT ? (vi->x.r.r_number ?
	    json_sprintf("R%lld", (long long)vi->x.r.r_number) : json_null()) :
	    (vi->a.a.t_number ? json_sprintf("T%lld",
	    (long long)vi->a.a.t_number) : json_null()));
	json_object_set_new(it, "_at", json_integer(r->at_us));
	json_array_append_new(items, it);
	return it;
}

static void
add_version(json_t *it, int version)
{
	json_t *vs = json_object_get(it, "versions"), *x;
	size_t i;

	json_array_foreach(vs, i, x)
		if (json_integer_value(x) == version)
			return;
	json_array_append_new(vs, json_integer(version));
}

static void
strip_private(json_t *items)
{
	json_t *it;
	size_t i;

	json_array_foreach(items, i, it)
		json_object_del(it, "_at");
}

/* ---- GET /observables ------------------------------------------------------------ */

enum cs_err
svc_obs_lookup(struct svc_ctx *c, const char *value, json_t **out,
    struct cs_error *e)
{
	struct store_item_obs *rows = NULL;
	struct vis vs = { NULL, 0 };
	struct obs o;
	json_t *items = json_array(), *sectors = json_array();
	uint32_t seen = 0;
	int64_t id = 0;
	size_t n = 0;
	char *reg;
	enum cs_err rc;

	*out = NULL;
	if (value == NULL || *value == '\0' || strlen(value) > 2048 ||
	    !obs_normalise(value, &o)) {
		json_decref(items);
		json_decref(sectors);
		return cs_fail(e, CS_EINVAL, "value", "must be one observable: an "
		    "IPv4/IPv6 address or CIDR block, a domain, a URL, an e-mail "
		    "address, an MD5/SHA-1/SHA-256 hash or a CVE id");
	}
	if ((rc = svc_obs_backfill(c->st)) != CS_OK)
		goto fail;
	rc = store_obs_id(c->st, (int)o.kind, o.value, false, &id);
	if (rc == CS_OK)
		rc = store_obs_rows(c->st, id, 0, &rows, &n);
	else if (rc == CS_ENOENT)
		rc = CS_OK;
	if (rc != CS_OK)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		struct vis_item *it;

		if (!row_visible(c, &vs, &rows[i], &it))
			continue;
		add_version(item_entry(items, &rows[i], it), rows[i].version);
		if (rows[i].sector >= 0 && rows[i].sector < 32 &&
		    !(seen & (1u << rows[i].sector))) {
			seen |= 1u << rows[i].sector;
			json_array_append_new(sectors, json_string(core_sector_id(
			    rows[i].sector)));
		}
	}
	strip_private(items);
	*out = json_pack("{s:s, s:s, s:o, s:o}", "value", o.value, "kind",
	    obs_kind_id(o.kind), "items", items, "sectors", sectors);
	items = sectors = NULL;
	if ((reg = obs_registrable(&o)) != NULL)
		json_object_set_new(*out, "registrable_domain", json_string(reg));
	free(reg);
	rc = svc_audit(c, "observable.lookup", NULL, json_pack("{s:s, s:s}",
	    "kind", obs_kind_id(o.kind), "value", o.value), false);
	if (rc != CS_OK) {
		json_decref(*out);
		*out = NULL;
	}
fail:
	json_decref(items);
	json_decref(sectors);
	store_item_obs_free(rows, n);
	vis_free(&vs);
	free(o.value);
	return rc == CS_OK ? CS_OK : cs_fail(e, rc, "", "store error");
}

/* ---- GET /reports/{id}/correlations ------------------------------------------------ */

static int
cmp_items(const void *pa, const void *pb)
{
	json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	size_t na = json_array_size(json_object_get(a, "shared"));
	size_t nb = json_array_size(json_object_get(b, "shared"));
	json_int_t ta = json_integer_value(json_object_get(a, "_at"));
	json_int_t tb = json_integer_value(json_object_get(b, "_at"));
	json_int_t ia = json_integer_value(json_object_get(a, "id"));
	json_int_t ib = json_integer_value(json_object_get(b, "id"));
	int c;

	if (na != nb)
		return na > nb ? -1 : 1;
	if (ta != tb)
		return ta > tb ? -1 : 1;
	if ((c = strcmp(json_string_value(json_object_get(a, "type")),
	    json_string_value(json_object_get(b, "type")))) != 0)
		return c;
	return ia > ib ? -1 : ia < ib;
}

/* items sorted by cmp_items (a new array; items is released). */
static json_t *
sorted(json_t *items)
{
	size_t n = json_array_size(items);
	json_t **v = xreallocarray(NULL, n + 1, sizeof(*v)), *r = json_array();

	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(items, i);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_items);
	for (size_t i = 0; i < n; i++)
		json_array_append(r, v[i]);
	free(v);
	json_decref(items);
	return r;
}

enum cs_err
svc_obs_correlations(struct svc_ctx *c, const struct svc_report *x,
    json_t **out, struct cs_error *e)
{
	struct store_item_obs *mine = NULL;
	struct vis vs = { NULL, 0 };
	json_t *shared = json_array(), *items = json_array();
	size_t nmine = 0;
	int64_t last = 0;
	enum cs_err rc;

	*out = NULL;
	if ((rc = svc_obs_backfill(c->st)) != CS_OK ||
	    (rc = store_item_obs_list(c->st, STORE_ITEM_REPORT, x->r.id, &mine,
	    &nmine)) != CS_OK)
		goto done;
	/* Rows by observable: each observable of the report once. */
	for (size_t i = 0; i < nmine && rc == CS_OK; i++) {
		struct store_item_obs *rows = NULL;
		struct vis_item *it;
		size_t n = 0;

		if (mine[i].observable == last ||
		    !row_visible(c, &vs, &mine[i], &it))
			continue;
		last = mine[i].observable;
		json_array_append_new(shared, obs_json(mine[i].kind,
		    mine[i].value));
		if ((rc = store_obs_rows(c->st, mine[i].observable, 0, &rows,
		    &n)) != CS_OK)
			break;
		for (size_t k = 0; k < n; k++) {
			json_t *ent, *sh, *o;
			size_t j;
			bool have = false;

			if ((rows[k].item_kind == STORE_ITEM_REPORT &&
			    rows[k].item == x->r.id) ||
			    !row_visible(c, &vs, &rows[k], &it))
				continue;
			ent = item_entry(items, &rows[k], it);
			add_version(ent, rows[k].version);
			if ((sh = json_object_get(ent, "shared")) == NULL) {
				sh = json_array();
				json_object_set_new(ent, "shared", sh);
			}
			json_array_foreach(sh, j, o)
				have |= strcmp(json_string_value(json_object_get(o,
				    "value")), mine[i].value) == 0 &&
				    strcmp(json_string_value(json_object_get(o,
				    "kind")), obs_kind_id((enum obs_kind)
				    mine[i].kind)) == 0;
			if (!have)
				json_array_append_new(sh, obs_json(mine[i].kind,
				    mine[i].value));
		}
		store_item_obs_free(rows, n);
	}
	if (rc != CS_OK)
		goto done;
	items = sorted(items);
	strip_private(items);
	*out = json_pack("{s:I, s:o, s:o}", "report", (json_int_t)x->r.id,
	    "observables", shared, "items", items);
	shared = items = NULL;
done:
	json_decref(shared);
	json_decref(items);
	store_item_obs_free(mine, nmine);
	vis_free(&vs);
	return rc == CS_OK ? CS_OK : cs_fail(e, rc, "", "store error");
}

/* ---- GET /correlations ------------------------------------------------------------- */

static int
cmp_queue(const void *pa, const void *pb)
{
	json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	size_t na = json_array_size(json_object_get(a, "sectors"));
	size_t nb = json_array_size(json_object_get(b, "sectors"));
	json_int_t ta = json_integer_value(json_object_get(a, "_at"));
	json_int_t tb = json_integer_value(json_object_get(b, "_at"));

	if (na != nb)
		return na > nb ? -1 : 1;
	if (ta != tb)
		return ta > tb ? -1 : 1;
	return strcmp(json_string_value(json_object_get(a, "value")),
	    json_string_value(json_object_get(b, "value")));
}

enum cs_err
svc_obs_queue(struct svc_ctx *c, int min_sectors, int days, json_t **out,
    struct cs_error *e)
{
	struct vis vs = { NULL, 0 };
	int64_t *cand = NULL, since = c->now_us - (int64_t)days * DAY_US;
	json_t **q = NULL, *arr;
	size_t ncand = 0, nq = 0;
	enum cs_err rc;

	*out = NULL;
	if ((rc = svc_obs_backfill(c->st)) != CS_OK ||
	    (rc = store_obs_multi_sector(c->st, since, min_sectors, -1, &cand,
	    &ncand)) != CS_OK)
		goto done;
	/* Raw counts only narrow the candidates; each is recounted here. */
	for (size_t i = 0; i < ncand && rc == CS_OK; i++) {
		struct store_item_obs *rows = NULL;
		json_t *items = json_array(), *sectors = json_array(), *ent;
		uint32_t seen = 0;
		int64_t at = 0;
		size_t n = 0;

		if ((rc = store_obs_rows(c->st, cand[i], since, &rows, &n)) !=
		    CS_OK) {
			json_decref(items);
			json_decref(sectors);
			break;
		}
		for (size_t k = 0; k < n; k++) {
			struct vis_item *it;

			if (!row_visible(c, &vs, &rows[k], &it))
				continue;
			add_version(item_entry(items, &rows[k], it), rows[k].version);
			if (rows[k].at_us > at)
				at = rows[k].at_us;
			if (rows[k].sector >= 0 && rows[k].sector < 32 &&
			    !(seen & (1u << rows[k].sector))) {
				seen |= 1u << rows[k].sector;
				json_array_append_new(sectors, json_string(
				    core_sector_id(rows[k].sector)));
			}
		}
		if ((int)json_array_size(sectors) >= min_sectors && n > 0) {
			strip_private(items);
			ent = json_pack("{s:s, s:s, s:o, s:o, s:o, s:I}", "kind",
			    obs_kind_id((enum obs_kind)rows[0].kind), "value",
			    rows[0].value, "sectors", sectors, "items", items,
			    "last_seen", svc_time(at), "_at", (json_int_t)at);
			q = xreallocarray(q, nq + 1, sizeof(*q));
			q[nq++] = ent;
		} else {
			json_decref(items);
			json_decref(sectors);
		}
		store_item_obs_free(rows, n);
	}
	if (rc != CS_OK)
		goto done;
	if (nq > 1)
		qsort(q, nq, sizeof(*q), cmp_queue);
	arr = json_array();
	for (size_t i = 0; i < nq; i++) {
		json_object_del(q[i], "_at");
		json_array_append_new(arr, q[i]);
	}
	nq = 0;
	*out = json_pack("{s:i, s:i, s:o}", "min_sectors", min_sectors, "days",
	    days, "observables", arr);
	rc = svc_audit(c, "correlations.read", NULL, json_pack("{s:i, s:i}",
	    "min_sectors", min_sectors, "days", days), false);
	if (rc != CS_OK) {
		json_decref(*out);
		*out = NULL;
	}
done:
	for (size_t i = 0; i < nq; i++)
		json_decref(q[i]);
	free(q);
	free(cand);
	vis_free(&vs);
	return rc == CS_OK ? CS_OK : cs_fail(e, rc, "", "store error");
}
