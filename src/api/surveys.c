/*
 * surveys.c: the control catalogue and the yearly self-assessment survey
 * (API.md "Survey and risk"; issue 14; docs/survey.md) — GET /controls,
 * POST/GET /surveys, GET /surveys/{id}, PUT /surveys/{id}/answers, POST
 * /surveys/{id}/submit, POST /surveys/{id}/share, POST /surveys/{id}/close,
 * GET /surveys/{id}/progress, GET /surveys/{id}/results (and .csv), GET
 * /surveys/{id}/respondents/{org}: parse → svc_survey → render.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/refdata.h"
#include "gen/vocab.h"
#include "interop/csv.h"
#include "svc/svc_survey.h"

#define CSV_MAX		(4 * 1024 * 1024)

/* GET /controls?edition=: the catalogue of one edition (default: current). */
static enum cs_err
controls(struct api_req *q, struct cs_error *e)
{
	const char *ed = q->query(q->conn, "edition");
	const struct cs_embedded *f = refdata_find("controls.json");
	const struct vocab_edition *v;
	json_t *doc, *items, *it, *eds, *x;
	size_t i;

	if (ed == NULL || *ed == '\0')
		ed = vocab_editions[0].id;
	if ((v = vocab_edition_find(ed)) == NULL)
		return cs_fail(e, CS_EINVAL, "edition", "not an edition of the "
		    "control catalogue");
	if (f == NULL || (doc = json_loadb(f->data, f->size, 0, NULL)) == NULL)
		return cs_fail(e, CS_EINTERNAL, "", "the catalogue is missing");
	items = json_array();
	json_array_foreach(json_object_get(doc, "items"), i, it)
		if (cs_streq(json_string_value(json_object_get(it, "edition")), ed))
			json_array_append(items, it);
	eds = json_array();
	json_array_foreach(json_object_get(doc, "editions"), i, x)
		json_array_append_new(eds, json_pack("{s:O, s:O, s:O, s:O, s:O}",
		    "id", json_object_get(x, "id"), "label_ja",
		    json_object_get(x, "label_ja"), "label_en",
		    json_object_get(x, "label_en"), "status",
		    json_object_get(x, "status"), "items",
		    json_object_get(x, "items")));
	q->out = json_pack("{s:s, s:o, s:O, s:O, s:o}", "edition", v->id,
	    "editions", eds, "categories", json_object_get(doc, "categories"),
	    "level_definitions", json_object_get(json_object_get(doc, "about"),
	    "level_definitions"), "items", items);
	json_decref(doc);
	q->status = 200;
	return CS_OK;
}

static enum cs_err
sv_open(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	int64_t id = 0;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_survey_open(&c, q->body, &id, e)) != CS_OK ||
	    (rc = svc_survey_get(&c, id, &q->out, e)) != CS_OK)
		return rc;
	q->status = 201;
	return CS_OK;
}

static enum cs_err
sv_list(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *items;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_survey_list(&c, &items, e)) != CS_OK)
		return rc;
	q->out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	q->status = 200;
	return CS_OK;
}

static enum cs_err
sv_get(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_survey_get(&c, q->ids[0], &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
sv_answer(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_survey_answer(&c, q->ids[0], q->body, &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
sv_submit(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_survey_submit(&c, q->ids[0], e)) != CS_OK ||
	    (rc = svc_survey_get(&c, q->ids[0], &q->out, e)) != CS_OK)
		return rc;
	q->status = 200;
	return CS_OK;
}

static enum cs_err
sv_share(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_survey_share(&c, q->ids[0], q->body, e)) != CS_OK ||
	    (rc = svc_survey_get(&c, q->ids[0], &q->out, e)) != CS_OK)
		return rc;
	q->status = 200;
	return CS_OK;
}

static enum cs_err
sv_close(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_survey_close(&c, q->ids[0], e)) != CS_OK ||
	    (rc = svc_survey_get(&c, q->ids[0], &q->out, e)) != CS_OK)
		return rc;
	q->status = 200;
	return CS_OK;
}

static enum cs_err
sv_progress(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_survey_progress(&c, q->ids[0], &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
sv_results(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_survey_results(&c, q->ids[0], &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
sv_respondent(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_survey_respondent(&c, q->ids[0], q->ids[1], &q->out, e)) ==
	    CS_OK)
		q->status = 200;
	return rc;
}

/* ---- CSV ---------------------------------------------------------------- */

static void
row(struct cs_buf *b, const char *const *cells, size_t n)
{
	(void)csv_row(b, cells, n);
}

/* ?lang=ja: Japanese headers, sectors, categories and statuses. */
struct sv_csv {
	struct cs_buf	*b;
	bool		 ja;
};

static const char *
sv_label(const struct sv_csv *x, const struct vocab_item *list,
    const char *id)
{
	int i = vocab_index(list, id);

	if (!x->ja || i < 0)
		return id != NULL ? id : "";
	return list[i].short_ja != NULL ? list[i].short_ja : list[i].label_ja;
}

static const char *
sv_status(const struct sv_csv *x, const char *st)
{
	static const char *const map[][2] = {
		{ "implemented", "実施済み" }, { "partial", "一部実施" },
		{ "planned", "実施予定" }, { "not_applicable", "対象外" },
		{ "not_implemented", "未実施" }, { "unanswered", "未回答" },
	};

	if (st == NULL)
		return "";
	if (x->ja)
		for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (strcmp(map[i][0], st) == 0)
				return map[i][1];
	return st;
}

static const char *
num(char *buf, size_t len, json_t *v)
{
	if (!json_is_integer(v))
		return "";
	cs_fmt(buf, len, "%lld", (long long)json_integer_value(v));
	return buf;
}

/* The operator's answers with its gap ranks, one row per answered or gap item. */
static void
csv_operator(const struct sv_csv *cx, json_t *r)
{
	static const char *const head[] = { "control", "category", "status",
	    "priority", "previous_status", "owner", "note" };
	static const char *const head_ja[] = { "項目", "分類", "状況",
	    "優先順位", "前回の状況", "担当", "備考" };
	struct cs_buf *b = cx->b;
	json_t *ans = json_object_get(r, "answers"), *g, *a;
	size_t i;
	const char *key;
	char rank[16];

	row(b, cx->ja ? head_ja : head, 7);
	/* the gaps first, in priority order */
	json_array_foreach(json_object_get(r, "gaps"), i, g) {
		const char *id = json_string_value(json_object_get(g, "control"));
		json_t *x = json_object_get(ans, id);
		const char *cells[7] = { id,
		    sv_label(cx, vocab_control_category,
			json_string_value(json_object_get(g, "category"))),
		    sv_status(cx, json_string_value(json_object_get(g, "status"))),
		    num(rank, sizeof(rank), json_object_get(g, "rank")),
		    sv_status(cx, json_string_value(json_object_get(g,
			"previous_status"))),
		    json_string_value(json_object_get(x, "owner")),
		    json_string_value(json_object_get(x, "note")) };

		for (int k = 0; k < 7; k++)
			if (cells[k] == NULL)
				cells[k] = "";
		row(b, cells, 7);
	}
	json_object_foreach(ans, key, a) {
		const char *st = json_string_value(json_object_get(a, "status"));
		const struct vocab_control *vc;
		const char *cells[7];

		if (!cs_streq(st, "implemented") && !cs_streq(st, "not_applicable"))
			continue;
		vc = vocab_control_find(json_string_value(json_object_get(
		    json_object_get(r, "survey"), "edition")), key);
		cells[0] = key;
		cells[1] = vc ? sv_label(cx, vocab_control_category,
		    vc->category) : "";
		cells[2] = sv_status(cx, st);
		cells[3] = "";
		cells[4] = "";
		cells[5] = json_string_value(json_object_get(a, "owner"));
		cells[6] = json_string_value(json_object_get(a, "note"));
		row(b, cells, 7);
	}
}

/* The aggregates: one row per sector (and all) and category. */
static void
csv_sectors(const struct sv_csv *cx, json_t *r)
{
	static const char *const head[] = { "sector", "category", "respondents",
	    "mean_percent", "implemented", "partial", "planned", "not_applicable",
	    "not_implemented", "suppressed" };
	static const char *const head_ja[] = { "分野", "分類", "回答数",
	    "平均実施率(%)", "実施済み", "一部実施", "実施予定", "対象外",
	    "未実施", "秘匿" };
	struct cs_buf *b = cx->b;
	const char *all = cx->ja ? "全体" : "all";
	json_t *s, *cat;
	size_t i, j;

	row(b, cx->ja ? head_ja : head, 10);
	for (int pass = 0; pass < 2; pass++) {
		json_t *list = pass == 0 ? json_object_get(r, "sectors") :
		    json_pack("[O]", json_object_get(r, "overall"));

		json_array_foreach(list, i, s) {
			const char *sec = pass ? all : sv_label(cx, vocab_sector,
			    json_string_value(json_object_get(s, "sector")));
			char n1[16], n2[16], c[5][16];

			if (json_is_true(json_object_get(s, "suppressed"))) {
				const char *cells[10] = { sec, "", "", "", "", "", "", "",
				    "", cx->ja ? "はい" : "true" };

				row(b, cells, 10);
				continue;
			}
			{
				const char *cells[10] = { sec, all,
				    num(n1, sizeof(n1), json_object_get(s, "respondents")),
				    num(n2, sizeof(n2), json_object_get(s, "mean_percent")),
				    "", "", "", "", "", cx->ja ? "いいえ" : "false" };

				row(b, cells, 10);
			}
			json_array_foreach(json_object_get(s, "categories"), j, cat) {
				json_t *cn = json_object_get(cat, "counts");
				const char *cells[10] = { sec,
				    sv_label(cx, vocab_control_category,
					json_string_value(json_object_get(cat,
					"category"))),
				    num(n1, sizeof(n1), json_object_get(s, "respondents")),
				    num(n2, sizeof(n2), json_object_get(cat, "mean_percent")),
				    num(c[0], 16, json_object_get(cn, "implemented")),
				    num(c[1], 16, json_object_get(cn, "partial")),
				    num(c[2], 16, json_object_get(cn, "planned")),
				    num(c[3], 16, json_object_get(cn, "not_applicable")),
				    num(c[4], 16, json_object_get(cn, "not_implemented")),
				    cx->ja ? "いいえ" : "false" };

				row(b, cells, 10);
			}
		}
		if (pass == 1)
			json_decref(list);
	}
}

static enum cs_err
sv_results_csv(struct api_req *q, struct cs_error *e)
{
	const char *bom = q->query(q->conn, "bom");
	const char *lang = q->query(q->conn, "lang");
	struct api_stream *s;
	struct svc_ctx c;
	struct sv_csv x;
	json_t *r = NULL;
	enum cs_err rc;

	if (bom != NULL && !cs_streq(bom, "0") && !cs_streq(bom, "1"))
		return cs_fail(e, CS_EINVAL, "bom", "must be 0 or 1");
	if (lang != NULL && !cs_streq(lang, "ja") && !cs_streq(lang, "en"))
		return cs_fail(e, CS_EINVAL, "lang", "must be ja or en");
	api_svc_ctx(q, &c);
	if ((rc = svc_survey_results(&c, q->ids[0], &r, e)) != CS_OK)
		return rc;
	s = xcalloc(1, sizeof(*s));
	cs_buf_init(&s->first, CSV_MAX);
	if (cs_streq(bom, "1"))
		cs_buf_adds(&s->first, CSV_BOM);
	x.b = &s->first;
	x.ja = cs_streq(lang, "ja");
	if (cs_streq(json_string_value(json_object_get(r, "view")), "operator"))
		csv_operator(&x, r);
	else
		csv_sectors(&x, r);
	json_decref(r);
	if (cs_buf_failed(&s->first)) {
		api_stream_free(s);
		return cs_fail(e, CS_EINTERNAL, "", "the export is too large");
	}
	s->done = true;
	s->content_type = "text/csv; charset=utf-8";
	s->filename = "survey-results.csv";
	q->stream = s;
	q->status = 200;
	return CS_OK;
}

/* .visible: the campaign exists and the caller sees it (else its 404). */
static enum cs_err
sv_visible(struct api_req *q, struct cs_error *e)
{
	struct store_survey s;
	enum cs_err rc;

	if ((rc = store_survey_get(q->st, q->ids[0], &s)) != CS_OK)
		return cs_fail(e, CS_ENOENT, "", "no such survey");
	rc = policy_survey_may_see(&q->who, s.sectors) ? CS_OK :
	    cs_fail(e, CS_ENOENT, "", "no such survey");
	store_survey_fini(&s);
	return rc;
}

const struct api_route api_surveys_routes[] = {
	API_ROUTE("GET", "/controls", ACT_REF_READ, .fn = controls),
	API_ROUTE("POST", "/surveys", ACT_SURVEY_MANAGE, .flags = API_BODY,
	    .body = API_KEYS("fiscal_year", "sectors", "edition"), .fn = sv_open),
	API_ROUTE("GET", "/surveys", ACT_SURVEY_READ, .fn = sv_list),
	API_ROUTE("GET", "/surveys/:id", ACT_SURVEY_READ, .fn = sv_get),
	API_ROUTE("PUT", "/surveys/:id/answers", ACT_SURVEY_ANSWER,
	    .flags = API_BODY, .body = API_KEYS("items"), .visible = sv_visible,
	    .fn = sv_answer),
	API_ROUTE("POST", "/surveys/:id/submit", ACT_SURVEY_SUBMIT,
	    .flags = API_OPTBODY, .body = API_KEYS("confirm"),
	    .visible = sv_visible, .fn = sv_submit),
	API_ROUTE("POST", "/surveys/:id/share", ACT_SURVEY_SUBMIT,
	    .flags = API_BODY, .body = API_KEYS("shared"), .visible = sv_visible,
	    .fn = sv_share),
	API_ROUTE("POST", "/surveys/:id/close", ACT_SURVEY_MANAGE,
	    .flags = API_OPTBODY, .body = API_KEYS("confirm"),
	    .visible = sv_visible, .fn = sv_close),
	API_ROUTE("GET", "/surveys/:id/progress", ACT_SURVEY_PROGRESS,
	    .visible = sv_visible, .fn = sv_progress),
	API_ROUTE("GET", "/surveys/:id/results", ACT_SURVEY_READ,
	    .fn = sv_results),
	API_ROUTE("GET", "/surveys/:id/results.csv", ACT_SURVEY_READ,
	    .fn = sv_results_csv),
	API_ROUTE("GET", "/surveys/:id/respondents/:id", ACT_SURVEY_READ,
	    .fn = sv_respondent),
	API_ROUTES_END
};
