/*
 * risks.c: the risk-management workspace (API.md "Survey and risk";
 * docs/api.md "Risk workspace") — GET|POST /risks, GET|PATCH|DELETE
 * /risks/{id}, GET /risks/plan, GET /risks/workspace, GET
 * /risks/workspaces, PUT /risks/profile, /risks/matrix, /risks/checklists,
 * /risks/sharing, GET /risks.csv: parse → svc_risk → render.
 */
#include <string.h>

#include "analysis/risk.h"
#include "api/api_int.h"
#include "interop/csv.h"
#include "svc/svc_risk.h"

/* ?org= (a workspace shared with the caller), 0 when absent. */
static enum cs_err
org_param(struct api_req *q, int64_t *org, struct cs_error *e)
{
	const char *s = q->query(q->conn, "org");

	*org = 0;
	if (s == NULL)
		return CS_OK;
	if (cs_str_to_i64(s, 1, INT64_MAX, org) != CS_OK)
		return cs_fail(e, CS_ENOENT, "", "no such risk workspace");
	return CS_OK;
}

static enum cs_err
archived_param(struct api_req *q, bool *yes, struct cs_error *e)
{
	const char *s = q->query(q->conn, "archived");

	*yes = false;
	if (s == NULL || strcmp(s, "0") == 0)
		return CS_OK;
	if (strcmp(s, "1") != 0)
		return cs_fail(e, CS_EINVAL, "archived", "must be 0 or 1");
	*yes = true;
	return CS_OK;
}

static enum cs_err
risks_list(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *items;
	int64_t org;
	bool arch;
	enum cs_err rc;

	if ((rc = org_param(q, &org, e)) != CS_OK ||
	    (rc = archived_param(q, &arch, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	if ((rc = svc_risk_list(&c, org, arch, &items, e)) != CS_OK)
		return rc;
	q->out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	q->status = 200;
	return CS_OK;
}

static enum cs_err
risks_create(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *out = NULL;
	int64_t id = 0;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_risk_create(&c, q->body, &id, e)) != CS_OK ||
	    (rc = svc_risk_get(&c, id, &out, e)) != CS_OK)
		return rc;
	q->status = 201;
	q->out = out;
	return CS_OK;
}

static enum cs_err
risks_get(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_risk_get(&c, q->ids[0], &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
risks_patch(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_risk_patch(&c, q->ids[0], q->body, e)) != CS_OK ||
	    (rc = svc_risk_get(&c, q->ids[0], &q->out, e)) != CS_OK)
		return rc;
	q->status = 200;
	return CS_OK;
}

static enum cs_err
risks_delete(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_risk_archive(&c, q->ids[0], e)) != CS_OK ||
	    (rc = svc_risk_get(&c, q->ids[0], &q->out, e)) != CS_OK)
		return rc;
	q->status = 200;
	return CS_OK;
}

static enum cs_err
risks_plan(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	int64_t org;
	enum cs_err rc;

	if ((rc = org_param(q, &org, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	if ((rc = svc_risk_plan(&c, org, &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
risks_workspace(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	int64_t org;
	enum cs_err rc;

	if ((rc = org_param(q, &org, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	if ((rc = svc_risk_workspace(&c, org, &q->out, e)) == CS_OK)
		q->status = 200;
	return rc;
}

static enum cs_err
risks_shared(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *items;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_risk_shared_list(&c, &items, e)) != CS_OK)
		return rc;
	q->out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	q->status = 200;
	return CS_OK;
}

/* A PUT of the caller's workspace, answered with the workspace. */
static enum cs_err
ws_put(struct api_req *q, enum cs_err (*fn)(struct svc_ctx *, json_t *,
    struct cs_error *), struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = fn(&c, q->body, e)) != CS_OK ||
	    (rc = svc_risk_workspace(&c, 0, &q->out, e)) != CS_OK)
		return rc;
	q->status = 200;
	return CS_OK;
}

static enum cs_err
risks_profile(struct api_req *q, struct cs_error *e)
{
	return ws_put(q, svc_risk_profile_put, e);
}

static enum cs_err
risks_matrix(struct api_req *q, struct cs_error *e)
{
	return ws_put(q, svc_risk_matrix_put, e);
}

static enum cs_err
risks_checklists(struct api_req *q, struct cs_error *e)
{
	return ws_put(q, svc_risk_checks_put, e);
}

static enum cs_err
risks_sharing(struct api_req *q, struct cs_error *e)
{
	return ws_put(q, svc_risk_share, e);
}

/* ---- GET /risks.csv ------------------------------------------------------ */

static const struct {
	const char	*key;
	const char	*ja;
} csv_cols[] = {
	{ "id", "ID" }, { "title", "リスク名" }, { "source", "リスク源" },
	{ "event", "事象" }, { "service", "重要インフラサービス" },
	{ "sml_breach", "サービス維持レベル逸脱" }, { "likelihood", "発生可能性" },
	{ "impact", "影響度" }, { "score", "スコア" }, { "level", "リスクレベル" },
	{ "owner", "リスク所有者" }, { "treatment", "リスク対応" },
	{ "residual_likelihood", "残留発生可能性" },
	{ "residual_impact", "残留影響度" }, { "residual_score", "残留スコア" },
	{ "viewpoint", "改善の観点" }, { "review_date", "レビュー期日" },
	{ "overdue", "期限超過" }, { "reports", "関連する情報連絡" },
	{ "controls", "関連する指針項目" }, { "archived", "アーカイブ" },
};
#define NCSV	(sizeof(csv_cols) / sizeof(csv_cols[0]))

static void
csv_value(struct cs_buf *b, json_t *v, bool first)
{
	char num[32];
	char *s;

	if (v == NULL || json_is_null(v)) {
		(void)csv_cell(b, NULL, 0, first);
	} else if (json_is_string(v)) {
		(void)csv_cell(b, json_string_value(v), json_string_length(v),
		    first);
	} else if (json_is_integer(v)) {
		cs_fmt(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		(void)csv_cell(b, num, strlen(num), first);
	} else if (json_is_boolean(v)) {
		(void)csv_cell(b, json_is_true(v) ? "true" : "false",
		    json_is_true(v) ? 4 : 5, first);
	} else if (json_is_array(v)) {
		struct cs_buf j;
		size_t i;
		json_t *x;

		cs_buf_init(&j, 64 * 1024);
		json_array_foreach(v, i, x) {
			if (i > 0)
				cs_buf_adds(&j, ";");
			if (json_is_integer(x)) {
				cs_fmt(num, sizeof(num), "%lld",
				    (long long)json_integer_value(x));
				cs_buf_adds(&j, num);
			} else if (json_is_string(x))
				cs_buf_adds(&j, json_string_value(x));
		}
		(void)csv_cell(b, cs_buf_str(&j), cs_buf_len(&j), first);
		cs_buf_fini(&j);
	} else {
		s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		(void)csv_cell(b, s, s ? strlen(s) : 0, first);
		free(s);
	}
}

static enum cs_err
risks_csv(struct api_req *q, struct cs_error *e)
{
	const char *bom = q->query(q->conn, "bom");
	const char *lang = q->query(q->conn, "lang");
	struct api_stream *s;
	struct svc_ctx c;
	json_t *items, *it;
	int64_t org;
	bool arch, ja;
	size_t i;
	enum cs_err rc;

	if (bom != NULL && strcmp(bom, "0") != 0 && strcmp(bom, "1") != 0)
		return cs_fail(e, CS_EINVAL, "bom", "must be 0 or 1");
	if (lang != NULL && strcmp(lang, "ja") != 0 && strcmp(lang, "en") != 0)
		return cs_fail(e, CS_EINVAL, "lang", "must be ja or en");
	ja = lang != NULL && strcmp(lang, "ja") == 0;
	if ((rc = org_param(q, &org, e)) != CS_OK ||
	    (rc = archived_param(q, &arch, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	if ((rc = svc_risk_list(&c, org, arch, &items, e)) != CS_OK)
		return rc;
	s = xcalloc(1, sizeof(*s));
	s->content_type = "text/csv; charset=utf-8";
	s->filename = "risks.csv";
	s->done = true;
	cs_buf_init(&s->first, 64 * 1024 * 1024);
	if (bom != NULL && strcmp(bom, "1") == 0)
		cs_buf_adds(&s->first, CSV_BOM);
	for (size_t k = 0; k < NCSV; k++)
		(void)csv_cell(&s->first, ja ? csv_cols[k].ja : csv_cols[k].key,
		    strlen(ja ? csv_cols[k].ja : csv_cols[k].key), k == 0);
	(void)csv_row_end(&s->first);
	json_array_foreach(items, i, it) {
		for (size_t k = 0; k < NCSV; k++)
			csv_value(&s->first, json_object_get(it, csv_cols[k].key),
			    k == 0);
		(void)csv_row_end(&s->first);
	}
	json_decref(items);
	if (cs_buf_failed(&s->first)) {
		api_stream_free(s);
		return cs_fail(e, CS_ETOOBIG, "", "the register is too large");
	}
	if ((rc = svc_audit_op(&c, "risk.export", "org", org ? org :
	    c.who.org_id, NULL, false, e)) != CS_OK) {
		api_stream_free(s);
		return rc;
	}
	q->stream = s;
	q->status = 200;
	return CS_OK;
}

/* .visible: the risk exists and the caller reads its workspace (else 404). */
static enum cs_err
risks_visible(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	json_t *j = NULL;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	rc = svc_risk_get(&c, q->ids[0], &j, e);
	json_decref(j);
	return rc;
}

#define RISK_BODY	API_KEYS("title", "source", "event", "service",	\
			    "sml_breach", "likelihood", "impact", "owner",	\
			    "treatment", "residual_likelihood",		\
			    "residual_impact", "viewpoint", "review_date",	\
			    "reports", "controls", "notes")

const struct api_route api_risks_routes[] = {
	API_ROUTE("GET", "/risks.csv", ACT_RISK_READ, .fn = risks_csv),
	API_ROUTE("GET", "/risks", ACT_RISK_READ, .fn = risks_list),
	API_ROUTE("POST", "/risks", ACT_RISK_WRITE, .flags = API_BODY,
	    .body = RISK_BODY, .fn = risks_create),
	API_ROUTE("GET", "/risks/plan", ACT_RISK_READ, .fn = risks_plan),
	API_ROUTE("GET", "/risks/workspace", ACT_RISK_READ,
	    .fn = risks_workspace),
	API_ROUTE("GET", "/risks/workspaces", ACT_RISK_READ, .fn = risks_shared),
	API_ROUTE("PUT", "/risks/profile", ACT_RISK_WRITE, .flags = API_BODY,
	    .body = API_KEYS("services", "critical_systems", "dependencies",
	    "as_is", "to_be"), .fn = risks_profile),
	API_ROUTE("PUT", "/risks/matrix", ACT_RISK_WRITE, .flags = API_BODY,
	    .body = API_KEYS("likelihood", "impact", "bands", "appetite"),
	    .fn = risks_matrix),
	API_ROUTE("PUT", "/risks/checklists", ACT_RISK_WRITE, .flags = API_BODY,
	    .body = API_KEYS("viewpoints", "readiness"), .fn = risks_checklists),
	API_ROUTE("PUT", "/risks/sharing", ACT_RISK_WRITE, .flags = API_BODY,
	    .body = API_KEYS("to"), .fn = risks_sharing),
	API_ROUTE("GET", "/risks/:id", ACT_RISK_READ, .fn = risks_get),
	API_ROUTE("PATCH", "/risks/:id", ACT_RISK_WRITE, .flags = API_BODY,
	    .body = RISK_BODY, .visible = risks_visible, .fn = risks_patch),
	API_ROUTE("DELETE", "/risks/:id", ACT_RISK_WRITE, .visible = risks_visible,
	    .fn = risks_delete),
	API_ROUTES_END
};
