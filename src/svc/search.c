/*
 * search.c: full-text search (svc_search.h).  The index answers which
 * items may hold the query; the policy and the text each caller sees of
 * each version answer which do, for this caller, and where.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/ident.h"
#include "svc/svc_adv.h"
#include "svc/svc_report.h"
#include "svc/svc_search.h"

#define BATCH	512		/* index rows per store call */

/* The hits of one item as the caller sees it. */
struct walk {
	const struct ident_set	*set;
	json_t			*snippets;	/* may be NULL: count only */
	int			 version;
	size_t			 nhits;
};

static void
walk(json_t *v, const char *path, struct walk *w)
{
	const char *key;
	json_t *child;
	size_t i;
	char sub[160];

	if (json_is_string(v)) {
		struct ident_hit *h = NULL;
		size_t n = 0;

		if (ident_find(w->set, json_string_value(v), &h, &n) != CS_OK)
			return;
		/* One snippet per version (the first field), newest first. */
		if (n > 0 && w->snippets != NULL && w->nhits == 0 &&
		    json_array_size(w->snippets) < SVC_SEARCH_SNIPPETS) {
			json_t *s = ident_snippet(json_string_value(v), h, n,
			    SVC_SEARCH_CONTEXT);

			json_object_set_new(s, "version", json_integer(w->version));
			json_object_set_new(s, "field", json_string(path));
			json_array_append_new(w->snippets, s);
		}
		w->nhits += n;
		free(h);
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, child) {
			cs_fmt(sub, sizeof(sub), "%s.%s", path, key);
			walk(child, sub, w);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child) {
			cs_fmt(sub, sizeof(sub), "%s.%zu", path, i);
			walk(child, sub, w);
		}
	}
}

/* Matches one version's form; true when it holds the query. */
static bool
match(const struct ident_set *set, json_t *form, int k, json_t *snippets)
{
	struct walk w = { set, snippets, k, 0 };

	walk(form, "form", &w);
	return w.nhits > 0;
}

static json_t *
pick(json_t *form, const char *group, const char *key)
{
	json_t *v = json_object_get(json_object_get(form, group), key);

	return v != NULL && json_is_string(v) ? json_incref(v) : NULL;
}

/* A report the caller reads, matched version by version; false: no match. */
static bool
hit_report(struct svc_ctx *c, int64_t id, const struct ident_set *set,
    bool anon_only, struct svc_search_hit *h)
{
	struct svc_report x;
	struct cs_error le;
	bool ok = false;

	if (svc_report_load_visible(c, id, SVC_LOAD_VERSIONS, &x, &le) != CS_OK)
		return false;
	/* A source's own anonymised report stays apart (reports_list). */
	if (x.r.anonymised && policy_report_relation(&c->who, &x.acl) ==
	    REL_SUBMITTER)
		goto out;
	if (anon_only && !x.r.anonymised)
		goto out;
	memset(h, 0, sizeof(*h));
	h->snippets = json_array();
	for (int k = x.r.nversions; k >= 1; k--) {
		json_t *form = svc_report_visible_form(c, &x, k, NULL);

		if (form == NULL)
			continue;
		if (h->version == 0) {
			h->version = k;
			h->summary = pick(form, "overview", "event_summary");
		}
		if (match(set, form, k, h->snippets))
			h->rank++;
		json_decref(form);
	}
	if (h->rank == 0) {
		json_decref(h->summary);
		json_decref(h->snippets);
		goto out;
	}
	h->kind = STORE_SEARCH_REPORT;
	h->id = id;
	h->number = x.r.r_number;
	h->tlp = x.r.tlp;
	h->sector = x.r.sector;
	h->updated_us = x.r.updated_us;
	ok = true;
out:
	svc_report_fini(&x);
	return ok;
}

/* An advisory the caller reads (its versions as svc_adv_load shows them). */
static bool
hit_adv(struct svc_ctx *c, int64_t id, const struct ident_set *set,
    struct svc_search_hit *h)
{
	struct svc_adv x;
	struct cs_error le;
	bool ok = false;

	if (svc_adv_load_visible(c, id, &x, &le) != CS_OK)
		return false;
	memset(h, 0, sizeof(*h));
	h->snippets = json_array();
	for (size_t i = x.nv; i-- > 0;) {
		json_t *form = json_loads(x.v[i].form, 0, NULL);

		if (form == NULL)
			continue;
		if (h->version == 0) {
			h->version = x.v[i].version;
			h->summary = pick(form, "threat_content", "summary");
		}
		if (match(set, form, x.v[i].version, h->snippets))
			h->rank++;
		json_decref(form);
	}
	if (h->rank == 0) {
		json_decref(h->summary);
		json_decref(h->snippets);
		goto out;
	}
	h->kind = STORE_SEARCH_ADVISORY;
	h->id = id;
	h->number = x.a.t_number;
	h->tlp = x.a.tlp;
	h->sector = -1;
	h->sectors = x.a.sectors;
	h->updated_us = x.a.updated_us;
	ok = true;
out:
	svc_adv_fini(&x);
	return ok;
}

static struct svc_search_key
key_of(const struct svc_search_hit *h)
{
	return (struct svc_search_key){ h->rank, h->updated_us, h->kind, h->id };
}

/* < 0: a comes first. */
static int
rkey_cmp(const struct svc_search_key *a, const struct svc_search_key *b)
{
	if (a->rank != b->rank)
		return a->rank > b->rank ? -1 : 1;
	if (a->updated_us != b->updated_us)
		return a->updated_us > b->updated_us ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->id != b->id)
		return a->id > b->id ? -1 : 1;
	return 0;
}

static int
hit_cmp(const void *a, const void *b)
{
	struct svc_search_key ka = key_of(a), kb = key_of(b);

	return rkey_cmp(&ka, &kb);
}

enum cs_err
svc_search_cursor_parse(const char *s, struct svc_search_key *k)
{
	int64_t v[4];
	const char *p = s + 1;
	char buf[24];

	if (s[0] != 's')
		return CS_EINVAL;
	for (int i = 0; i < 4; i++) {
		size_t n = strcspn(p, ".");

		if (n == 0 || n >= sizeof(buf) || (i < 3) != (p[n] == '.'))
			return CS_EINVAL;
		memcpy(buf, p, n);
		buf[n] = '\0';
		if (cs_str_to_i64(buf, 0, INT64_MAX, &v[i]) != CS_OK)
			return CS_EINVAL;
		p += n + (i < 3);
	}
	*k = (struct svc_search_key){ v[0], v[1], v[2], v[3] };
	return CS_OK;
}

void
svc_search_cursor_fmt(const struct svc_search_key *k, char *buf, size_t size)
{
	cs_fmt(buf, size, "s%lld.%lld.%lld.%lld", (long long)k->rank,
	    (long long)k->updated_us, (long long)k->kind, (long long)k->id);
}

static void
hit_fini(struct svc_search_hit *h)
{
	json_decref(h->summary);
	json_decref(h->snippets);
}

static int
id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * A CEPTOAR secretariat reads its anonymised sources' own text, which is
 * sealed to it and never indexed: its anonymised reports the index did not
 * propose (seen, any order) are matched by reading them, as GET /reports?q=
 * did before the index.  Bounded by the reports the secretariat handles.
 */
static enum cs_err
sealed_sources(struct svc_ctx *c, const struct ident_set *set, int64_t *seen,
    size_t nseen, struct svc_search_hit **v, size_t *n, size_t *cap)
{
	struct store_report_filter f = { .org = c->who.org_id, .sector = -1,
	    .limit = 200 };
	int64_t *ids = NULL;
	size_t nids;
	enum cs_err rc;

	if (nseen > 1)
		qsort(seen, nseen, sizeof(*seen), id_cmp);
	do {
		if ((rc = store_report_candidates(c->st, &f, &ids, &nids)) != CS_OK)
			return rc;
		for (size_t i = 0; i < nids && *n < SVC_SEARCH_MAX_ITEMS; i++) {
			struct svc_search_hit h;

			f.before_id = ids[i];
			if (nseen > 0 && bsearch(&ids[i], seen, nseen, sizeof(*seen),
			    id_cmp) != NULL)
				continue;
			if (!hit_report(c, ids[i], set, true, &h))
				continue;
			if (*n == *cap) {
				*cap = *cap ? *cap * 2 : 32;
				*v = xreallocarray(*v, *cap, sizeof(**v));
			}
			(*v)[(*n)++] = h;
		}
		free(ids);
	} while (nids == (size_t)f.limit && *n < SVC_SEARCH_MAX_ITEMS);
	return CS_OK;
}

enum cs_err
svc_search(struct svc_ctx *c, const struct svc_search_in *in,
    struct svc_search_out *out, struct cs_error *e)
{
	struct ident_set *set = NULL;
	struct store_search_hit *rows = NULL;
	struct svc_search_hit *v = NULL;
	struct svc_search_key after = { 0 };
	size_t n = 0, cap = 0, nrows, from = 0;
	int64_t before = 0, last_item = -1, *seen = NULL;
	size_t nseen = 0;
	unsigned last_kinds = 0;
	char *folded = NULL;
	bool done = false;
	enum cs_err rc = CS_EINVAL;
	int len;

	memset(out, 0, sizeof(*out));
	len = in->q != NULL ? cs_utf8_len(in->q, strlen(in->q)) : -1;
	if (len < 1 || len > SVC_SEARCH_QMAX)
		return cs_fail(e, CS_EINVAL, "q", "1 to 256 characters of UTF-8");
	if (in->cursor != NULL && svc_search_cursor_parse(in->cursor,
	    &after) != CS_OK)
		return cs_fail(e, CS_EINVAL, "cursor", "malformed cursor");
	if ((folded = ident_fold(in->q)) == NULL || *folded == '\0' ||
	    ident_set_new_min(&in->q, 1, 1, &set) != CS_OK ||
	    ident_set_count(set) == 0) {
		rc = cs_fail(e, CS_EINVAL, "q", "nothing to search for but "
		    "white space");
		goto out;
	}
	/* Index rows, greatest key first: each item's rows are adjacent. */
	while (!done && n < SVC_SEARCH_MAX_ITEMS) {
		if ((rc = store_search_find(c->st, folded, in->kind, before, BATCH,
		    &rows, &nrows)) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
		done = nrows < BATCH;
		for (size_t i = 0; i < nrows && n < SVC_SEARCH_MAX_ITEMS; i++) {
			struct svc_search_hit h;
			bool ok;

			before = rows[i].key;
			if (rows[i].item != last_item) {
				last_item = rows[i].item;
				last_kinds = 0;
			}
			if (last_kinds & (1u << rows[i].kind))
				continue;
			last_kinds |= 1u << rows[i].kind;
			if (rows[i].kind == STORE_SEARCH_REPORT) {
				seen = xreallocarray(seen, nseen + 1, sizeof(*seen));
				seen[nseen++] = rows[i].item;
			}
			ok = rows[i].kind == STORE_SEARCH_REPORT ?
			    hit_report(c, rows[i].item, set, false, &h) :
			    hit_adv(c, rows[i].item, set, &h);
			if (!ok)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 32;
				v = xreallocarray(v, cap, sizeof(*v));
			}
			v[n++] = h;
		}
		free(rows);
		rows = NULL;
	}
	if (c->who.org_type == ORG_CEPTOAR_SEC && in->kind != STORE_SEARCH_ADVISORY &&
	    (rc = sealed_sources(c, set, seen, nseen, &v, &n, &cap)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), hit_cmp);
	if (in->cursor != NULL)
		while (from < n) {
			struct svc_search_key k = key_of(&v[from]);

			if (rkey_cmp(&k, &after) > 0)
				break;
			from++;
		}
	out->n = n - from < (size_t)in->limit ? n - from : (size_t)in->limit;
	out->v = xcalloc(out->n ? out->n : 1, sizeof(*out->v));
	for (size_t i = 0; i < n; i++) {
		if (i >= from && i < from + out->n) {
			out->v[i - from] = v[i];
			continue;
		}
		hit_fini(&v[i]);
	}
	if (from + out->n < n) {
		struct svc_search_key k = key_of(&out->v[out->n - 1]);
		char buf[SVC_SEARCH_CURSOR_MAX];

		svc_search_cursor_fmt(&k, buf, sizeof(buf));
		out->next_cursor = xstrdup(buf);
	}
	rc = CS_OK;
out:
	free(v);
	free(seen);
	free(rows);
	free(folded);
	ident_set_free(set);
	return rc;
}

void
svc_search_out_fini(struct svc_search_out *o)
{
	for (size_t i = 0; i < o->n; i++)
		hit_fini(&o->v[i]);
	free(o->v);
	free(o->next_cursor);
	memset(o, 0, sizeof(*o));
}

enum cs_err
svc_search_report_ids(struct svc_ctx *c, const char *folded, int64_t before,
    int limit, int64_t **ids, size_t *n)
{
	struct store_search_hit *rows;
	int64_t *v = NULL, key = before > 0 ? store_search_key(
	    STORE_SEARCH_REPORT, before, 0, 0) : 0;
	size_t nv = 0, nrows;
	enum cs_err rc;

	*ids = NULL;
	*n = 0;
	while ((int)nv < limit) {
		if ((rc = store_search_find(c->st, folded, STORE_SEARCH_REPORT, key,
		    BATCH, &rows, &nrows)) != CS_OK) {
			free(v);
			return rc;
		}
		for (size_t i = 0; i < nrows && (int)nv < limit; i++) {
			key = rows[i].key;
			if (nv > 0 && v[nv - 1] == rows[i].item)
				continue;
			v = xreallocarray(v, nv + 1, sizeof(*v));
			v[nv++] = rows[i].item;
		}
		free(rows);
		if (nrows < BATCH)
			break;
	}
	*ids = v;
	*n = nv;
	return CS_OK;
}
