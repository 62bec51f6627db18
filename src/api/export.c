/*
 * export.c: the CSV exports (API.md "STIX 2.1 and TAXII 2.1", last item;
 * docs/interop.md "CSV"): GET /reports.csv, /advisories.csv and
 * /indicators.csv.
 *
 * The rows are the items of the JSON list itself: each page is produced by
 * the GET /reports or GET /advisories handler of the route table, called
 * with the request's filters and a cursor, so the CSV holds exactly what
 * the list shows to the same caller (the same filters, the same read
 * policy, the same audit of the reads) and the list's filtering lives in
 * one place.  The first page runs in the request's own transaction (a bad
 * filter is its usual 400); every later page in a transaction of its own
 * with the credential authenticated again, one page (500 items) in memory
 * at a time (struct api_stream, src/http/body.c).  At the end the export
 * itself is audited once: <kind>.export with the filters and the counts.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "interop/csv.h"
#include "interop/stix.h"

/* Items per page: the JSON lists' largest limit. */
#define EXPORT_PAGE	"500"
/* One page's CSV: 500 items of at most a few KiB each (the cap). */
#define EXPORT_PART_MAX	(64 * 1024 * 1024)

struct export_col {
	const char	*key;		/* member of the list item; the English header */
	const char	*ja;		/* the Japanese header (?lang=ja) */
};

struct export_kind {
	const char		*what;		/* "reports" */
	const char		*filename;
	const char		*audit;		/* the audit action of the export */
	const struct api_route	*table;		/* where the JSON list is */
	const char		*list;		/* its pattern */
	const char *const	*filters;	/* query members passed to it */
	const struct export_col	*cols;
	size_t			 ncols;
	bool			 snapshot;	/* pages on a read snapshot */
	bool			 indicators;	/* rows: each item's indicators */
};

static const struct export_col report_cols[] = {
	{ "id", "ID" },
	{ "identification_number", "識別番号" },
	{ "state", "状態" },
	{ "route", "経路" },
	{ "tlp", "TLP" },
	{ "sector", "分野" },
	{ "event_type", "事象の種類" },
	{ "cause_types", "原因" },
	{ "importance", "重要度" },
	{ "version", "版" },
	{ "anonymised", "匿名" },
	{ "relation", "関係" },
	{ "summary", "概要" },
	{ "created_at", "作成日時" },
	{ "updated_at", "更新日時" },
};

static const struct export_col adv_cols[] = {
	{ "id", "ID" },
	{ "identification_number", "識別番号" },
	{ "state", "状態" },
	{ "tlp", "TLP" },
	{ "importance", "重要度" },
	{ "urgent", "緊急" },
	{ "version", "版" },
	{ "summary", "概要" },
	{ "issued_at", "発出日時" },
	{ "delivered_at", "配信日時" },
	{ "read_at", "既読日時" },
	{ "acknowledged_at", "受領確認日時" },
};

/* An indicators row: built from the advisory's STIX bundle. */
static const struct export_col ind_cols[] = {
	{ "type", "種別" },
	{ "value", "値" },
	{ "pattern", "STIXパターン" },
	{ "advisory", "情報提供" },
	{ "tlp", "TLP" },
	{ "issued_at", "発出日時" },
	{ "indicator_id", "STIX ID" },
};

static const char *const report_filters[] = { "sector", "event_type",
	"since", "until", "q", "anonymised", "cause", "tlp", "importance", NULL };
static const char *const adv_filters[] = { "filter", NULL };

#define NCOLS(a)	(sizeof(a) / sizeof((a)[0]))

static const struct export_kind kinds[] = {
	{ "reports", "reports.csv", "report.export", api_reports_routes,
	    "/reports", report_filters, report_cols, NCOLS(report_cols), true,
	    false },
	{ "advisories", "advisories.csv", "advisory.export",
	    api_advisories_routes, "/advisories", adv_filters, adv_cols,
	    NCOLS(adv_cols), false, false },
	{ "indicators", "indicators.csv", "indicator.export",
	    api_advisories_routes, "/advisories", adv_filters, ind_cols,
	    NCOLS(ind_cols), false, true },
};

struct export {
	const struct export_kind *k;
	enum cs_err		(*list)(struct api_req *, struct cs_error *);
	struct store		*st;
	const struct api_config	*cfg;
	char			*bearer;
	bool			 via_cookie;
	json_t			*params;	/* the list's query: filters, limit, cursor */
	json_t			*filters;	/* what the caller asked (the audit) */
	int64_t			 since_us;	/* advisories: issued at or after */
	bool			 ja;
	bool			 anon;		/* ?anonymised=mine: audited anonymously */
	int64_t			 items, rows;
	bool			 finished;
};

static const char *
ex_query(void *conn, const char *key)
{
	struct export *x = conn;

	return json_string_value(json_object_get(x->params, key));
}

void
api_stream_free(struct api_stream *s)
{
	if (s == NULL)
		return;
	if (s->free != NULL)
		s->free(s->state);
	if (s->whole_free != NULL)
		s->whole_free(s->whole_arg);
	cs_buf_fini(&s->first);
	free(s->disposition);
	free(s->repr_digest);
	free(s);
}

static void
export_free(void *state)
{
	struct export *x = state;

	if (x == NULL)
		return;
	if (!x->finished)
		log_info("event=export_abandoned what=%s rows=%lld", x->k->what,
		    (long long)x->rows);
	free(x->bearer);
	json_decref(x->params);
	json_decref(x->filters);
	free(x);
}

/* A list item's member as the text of a cell (NULL: empty). */
static char *
cell_text(json_t *v)
{
	json_t *el;
	size_t i;
	struct cs_buf b;

	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	if (json_is_boolean(v))
		return xstrdup(json_is_true(v) ? "true" : "false");
	if (json_is_array(v)) {
		/* a list of ids: separated by semicolons */
		cs_buf_init(&b, 1 << 20);
		json_array_foreach(v, i, el) {
			char *t = cell_text(el);

			if (i > 0)
				cs_buf_adds(&b, ";");
			cs_buf_adds(&b, t ? t : "");
			free(t);
		}
		return cs_buf_finish(&b);
	}
	return json_dumps(v, JSON_COMPACT);
}

static int
item_row(const struct export_kind *k, json_t *it, struct cs_buf *out)
{
	int rc = 0;

	for (size_t i = 0; i < k->ncols && rc == 0; i++) {
		char *t = cell_text(json_object_get(it, k->cols[i].key));

		rc = csv_cell(out, t, t ? strlen(t) : 0, i == 0);
		free(t);
	}
	return rc == 0 ? csv_row_end(out) : -1;
}

/*
 * The indicators of the advisory `it` (a list item) as rows: the advisory
 * read as GET /advisories/{id}/stix reads it (the same load, policy and
 * audit), mapped by src/interop; one row per indicator of the bundle.
 */
static enum cs_err
indicator_rows(struct export *x, struct api_req *q, json_t *it,
    struct cs_buf *out)
{
	json_t *adv = NULL, *bundle, *o;
	struct cs_error le;
	int64_t saved = q->ids[0];
	size_t i;

	q->ids[0] = json_integer_value(json_object_get(it, "id"));
	cs_error_clear(&le);
	if (api_adv_get_json(q, &adv, NULL, &le) != CS_OK) {
		/* gone since the list was read: no rows */
		q->ids[0] = saved;
		return CS_OK;
	}
	q->ids[0] = saved;
	if ((bundle = stix_advisory_bundle(adv, &le)) == NULL) {
		json_decref(adv);
		return CS_OK;
	}
	json_array_foreach(json_object_get(bundle, "objects"), i, o) {
		const char *name = json_string_value(json_object_get(o, "name"));
		const char *sp = name ? strchr(name, ' ') : NULL;
		char *type;
		const char *cells[7];

		if (!cs_streq(json_string_value(json_object_get(o, "type")),
		    "indicator") || sp == NULL)
			continue;
		type = xstrndup(name, (size_t)(sp - name));
		cells[0] = type;
		cells[1] = sp + 1;
		cells[2] = json_string_value(json_object_get(o, "pattern"));
		cells[3] = json_string_value(json_object_get(it,
		    "identification_number"));
		cells[4] = json_string_value(json_object_get(it, "tlp"));
		cells[5] = json_string_value(json_object_get(it, "issued_at"));
		cells[6] = json_string_value(json_object_get(o, "id"));
		(void)csv_row(out, cells, 7);
		free(type);
		x->rows++;
	}
	json_decref(bundle);
	json_decref(adv);
	return CS_OK;
}

/*
 * One page: the JSON list's handler with the export's query, its items as
 * rows into out; x->finished after the last page.
 */
static enum cs_err
export_page(struct export *x, struct api_req *q, struct cs_buf *out,
    struct cs_error *e)
{
	const char *(*query)(void *, const char *) = q->query;
	void *conn = q->conn;
	json_t *items, *it, *next;
	size_t i;
	enum cs_err rc;

	q->query = ex_query;
	q->conn = x;
	q->want_out = true;
	rc = x->list(q, e);
	q->want_out = false;
	q->query = query;
	q->conn = conn;
	if (rc != CS_OK)
		return rc;
	items = json_object_get(q->out, "items");
	json_array_foreach(items, i, it) {
		int64_t at;

		if (x->since_us > 0 && (cs_time_parse(json_string_value(
		    json_object_get(it, "issued_at")), &at) != CS_OK ||
		    at < x->since_us))
			continue;
		x->items++;
		if (x->k->indicators) {
			if ((rc = indicator_rows(x, q, it, out)) != CS_OK)
				break;
		} else {
			(void)item_row(x->k, it, out);
			x->rows++;
		}
	}
	next = json_object_get(q->out, "next_cursor");
	if (json_is_string(next))
		json_object_set(x->params, "cursor", next);
	else
		x->finished = true;
	json_decref(q->out);
	q->out = NULL;
	q->status = 0;
	if (rc == CS_OK && cs_buf_failed(out))
		rc = cs_fail(e, CS_ETOOBIG, "", "a page of the export is too "
		    "large");
	return rc;
}

/* The export's one audit entry, in q's transaction. */
static enum cs_err
export_audit(struct export *x, struct api_req *q)
{
	return api_audit(q, x->k->audit, NULL, json_pack("{s:s, s:O, s:I, s:I}",
	    "what", x->k->what, "filters", x->filters, "items",
	    (json_int_t)x->items, "rows", (json_int_t)x->rows), x->anon);
}

/* api_stream.next: the next page in a transaction of its own. */
static enum cs_err
export_next(void *state, struct cs_buf *out, bool *done)
{
	struct export *x = state;
	struct api_req r;
	struct cs_error e;
	enum cs_err rc;

	memset(&r, 0, sizeof(r));
	cs_error_clear(&e);
	r.st = x->st;
	r.cfg = x->cfg;
	r.method = "GET";
	r.path = x->k->list;
	r.now_us = cs_time_now_us();
	r.bearer = x->bearer;
	r.via_cookie = x->via_cookie;
	r.query = ex_query;
	r.conn = x;
	/* No token touch on a read snapshot (PostgreSQL refuses the write). */
	r.snapshot = x->k->snapshot;
	rc = x->k->snapshot ? store_begin_snapshot(x->st) :
	    store_begin_read(x->st);
	if (rc != CS_OK)
		return rc;
	/* A credential revoked during the export ends it. */
	if ((rc = api_authenticate(&r, &e)) != CS_OK ||
	    (rc = export_page(x, &r, out, &e)) != CS_OK ||
	    (x->finished && (rc = export_audit(x, &r)) != CS_OK)) {
		store_rollback(x->st);
		api_req_fini(&r);
		return rc;
	}
	rc = store_commit(x->st);
	api_req_fini(&r);
	*done = x->finished;
	return rc;
}

static enum cs_err
export_start(struct api_req *q, const struct export_kind *k,
    struct cs_error *e)
{
	const char *bom = q->query(q->conn, "bom");
	const char *lang = q->query(q->conn, "lang");
	const char *since = q->query(q->conn, "since");
	struct api_stream *s;
	struct export *x;
	enum cs_err rc;

	if (bom != NULL && strcmp(bom, "0") != 0 && strcmp(bom, "1") != 0)
		return cs_fail(e, CS_EINVAL, "bom", "must be 0 or 1");
	if (lang != NULL && strcmp(lang, "ja") != 0 && strcmp(lang, "en") != 0)
		return cs_fail(e, CS_EINVAL, "lang", "must be ja or en");
	x = xcalloc(1, sizeof(*x));
	x->k = k;
	x->st = q->st;
	x->cfg = q->cfg;
	x->bearer = q->bearer ? xstrdup(q->bearer) : NULL;
	x->via_cookie = q->via_cookie;
	x->ja = lang != NULL && strcmp(lang, "ja") == 0;
	x->params = json_pack("{s:s}", "limit", EXPORT_PAGE);
	x->filters = json_object();
	for (const struct api_route *r = k->table; r->method != NULL; r++)
		if (strcmp(r->method, "GET") == 0 && strcmp(r->pattern,
		    k->list) == 0) {
			x->list = r->fn;
			break;
		}
	for (size_t i = 0; k->filters[i] != NULL; i++) {
		const char *v = q->query(q->conn, k->filters[i]);

		if (v == NULL)
			continue;
		json_object_set_new(x->params, k->filters[i], json_string(v));
		json_object_set_new(x->filters, k->filters[i], json_string(v));
	}
	/* advisories and indicators: issued at or after (the CLI's --since) */
	if (strcmp(k->list, "/advisories") == 0 && since != NULL) {
		if (cs_time_parse(since, &x->since_us) != CS_OK) {
			export_free(x);
			return cs_fail(e, CS_EINVAL, "since", "must be an RFC 3339 "
			    "date-time");
		}
		json_object_set_new(x->filters, "since", json_string(since));
	}
	x->anon = cs_streq(ex_query(x, "anonymised"), "mine");
	if (x->list == NULL) {
		export_free(x);
		return cs_fail(e, CS_EINVAL, "", "no list to export");
	}
	s = xcalloc(1, sizeof(*s));
	s->state = x;
	s->next = export_next;
	s->free = export_free;
	s->content_type = "text/csv; charset=utf-8";
	s->filename = k->filename;
	cs_buf_init(&s->first, EXPORT_PART_MAX);
	if (bom != NULL && strcmp(bom, "1") == 0)
		cs_buf_adds(&s->first, CSV_BOM);
	for (size_t i = 0; i < k->ncols; i++)
		(void)csv_cell(&s->first, x->ja ? k->cols[i].ja : k->cols[i].key,
		    strlen(x->ja ? k->cols[i].ja : k->cols[i].key), i == 0);
	(void)csv_row_end(&s->first);
	/* The first page in the request's transaction: its errors are the list's. */
	if ((rc = export_page(x, q, &s->first, e)) != CS_OK ||
	    (x->finished && (rc = export_audit(x, q)) != CS_OK)) {
		api_stream_free(s);
		return rc;
	}
	s->done = x->finished;
	q->stream = s;
	q->status = 200;
	return CS_OK;
}

static enum cs_err
reports_csv(struct api_req *q, struct cs_error *e)
{
	return export_start(q, &kinds[0], e);
}

static enum cs_err
advisories_csv(struct api_req *q, struct cs_error *e)
{
	return export_start(q, &kinds[1], e);
}

static enum cs_err
indicators_csv(struct api_req *q, struct cs_error *e)
{
	return export_start(q, &kinds[2], e);
}

const struct api_route api_export_routes[] = {
	API_ROUTE("GET", "/reports.csv", ACT_REPORT_LIST, .flags = API_SNAPSHOT,
	    .fn = reports_csv),
	API_ROUTE("GET", "/advisories.csv", ACT_ADV_LIST, .fn = advisories_csv),
	API_ROUTE("GET", "/indicators.csv", ACT_ADV_LIST, .fn = indicators_csv),
	API_ROUTES_END
};
