/*
 * risk.c: the risk-management workspace (see svc_risk.h).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/risk.h"
#include "gen/vocab.h"
#include "svc/svc_report.h"
#include "svc/svc_risk.h"

#define NO_WS	"no such risk workspace"
#define NO_RISK	"no such risk"

/* A loaded workspace: the row (or the defaults) with its parsed parts. */
struct ws {
	int64_t			 org;
	struct store_org	 o;
	json_t			*profile, *matrix, *checks, *shared;
	struct risk_matrix	 m;
	int64_t			*sh;		/* shared org ids */
	size_t			 nsh;
	int64_t			 updated_us;
};

static void
ws_fini(struct ws *w)
{
	store_org_fini(&w->o);
	json_decref(w->profile);
	json_decref(w->matrix);
	json_decref(w->checks);
	json_decref(w->shared);
	free(w->sh);
	memset(w, 0, sizeof(*w));
}

static json_t *
parsed(const char *text, bool array)
{
	json_t *j = text != NULL ? json_loads(text, 0, NULL) : NULL;

	if (array ? json_is_array(j) : json_is_object(j))
		return j;
	json_decref(j);
	return NULL;
}

/* The workspace of org, defaults where it has none; no visibility check. */
static enum cs_err
ws_load(struct svc_ctx *c, int64_t org, struct ws *w, struct cs_error *e)
{
	struct store_risk_ws row;
	struct cs_error ig;
	enum cs_err rc;
	json_t *v;
	size_t i;

	memset(w, 0, sizeof(*w));
	memset(&row, 0, sizeof(row));
	w->org = org;
	if ((rc = store_org_get(c->st, org, &w->o)) != CS_OK)
		return rc == CS_ENOENT ? cs_fail(e, rc, "", NO_WS) :
		    cs_fail(e, rc, "", "store error");
	rc = store_risk_ws_get(c->st, org, &row);
	if (rc != CS_OK && rc != CS_ENOENT) {
		ws_fini(w);
		return cs_fail(e, rc, "", "store error");
	}
	if (rc == CS_OK) {
		w->profile = parsed(row.profile, false);
		w->matrix = parsed(row.matrix, false);
		w->checks = parsed(row.checks, false);
		w->shared = parsed(row.shared, true);
		w->updated_us = row.updated_us;
		store_risk_ws_fini(&row);
		if (w->profile == NULL || w->matrix == NULL || w->checks == NULL ||
		    w->shared == NULL) {
			ws_fini(w);
			return cs_fail(e, CS_EINTERNAL, "", "a corrupt risk workspace");
		}
	} else {
		w->profile = json_object();
		w->matrix = risk_matrix_default();
		w->checks = json_object();
		w->shared = json_array();
	}
	if (risk_matrix_parse(w->matrix, &w->m, &ig) != CS_OK) {
		ws_fini(w);
		return cs_fail(e, CS_EINTERNAL, "", "a corrupt risk matrix");
	}
	w->sh = xcalloc(json_array_size(w->shared) + 1, sizeof(*w->sh));
	json_array_foreach(w->shared, i, v)
		w->sh[w->nsh++] = json_integer_value(v);
	return CS_OK;
}

/* The workspace of org (0: own) when the caller may read it, else 404. */
static enum cs_err
ws_load_visible(struct svc_ctx *c, int64_t org, struct ws *w,
    struct cs_error *e)
{
	enum cs_err rc;

	if (org == 0)
		org = c->who.org_id;
	if (org <= 0)
		return cs_fail(e, CS_ENOENT, "", NO_WS);
	if ((rc = ws_load(c, org, w, e)) != CS_OK)
		return rc;
	if (!policy_risk_may_read(&c->who, org, w->sh, w->nsh)) {
		ws_fini(w);
		return cs_fail(e, CS_ENOENT, "", NO_WS);
	}
	return CS_OK;
}

static enum cs_err
ws_save(struct svc_ctx *c, struct ws *w, struct cs_error *e)
{
	struct store_risk_ws row;
	enum cs_err rc;

	memset(&row, 0, sizeof(row));
	row.org = w->org;
	row.profile = json_dumps(w->profile, JSON_COMPACT);
	row.matrix = json_dumps(w->matrix, JSON_COMPACT);
	row.checks = json_dumps(w->checks, JSON_COMPACT);
	row.shared = json_dumps(w->shared, JSON_COMPACT);
	row.updated_us = c->now_us;
	row.by_user = c->who.user_id;
	rc = store_risk_ws_put(c->st, &row);
	free(row.profile);
	free(row.matrix);
	free(row.checks);
	free(row.shared);
	return rc == CS_OK ? CS_OK : cs_fail(e, rc, "", "store error");
}

/* The caller's own workspace, to change (operators' own staff only). */
static enum cs_err
ws_load_own(struct svc_ctx *c, struct ws *w, struct cs_error *e)
{
	if (!policy_risk_may_write(&c->who, c->who.org_id))
		return cs_fail(e, CS_EPERM, "", "the risk workspace is kept by the "
		    "operator's own staff");
	return ws_load(c, c->who.org_id, w, e);
}

static enum cs_err
audited(struct svc_ctx *c, const char *action, const char *kind, int64_t id,
    json_t *detail, struct cs_error *e)
{
	return svc_audit_op(c, action, kind, id, detail, false, e);
}

/* ---- validation ------------------------------------------------------ */

static enum cs_err
opt_string(json_t *o, const char *key, size_t max, const char *path,
    struct cs_error *e)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return CS_OK;
	return core_check_string(v, max, path, e);
}

static enum cs_err
req_string(json_t *o, const char *key, size_t max, const char *path,
    struct cs_error *e)
{
	json_t *v = json_object_get(o, key);
	enum cs_err rc;

	if (v == NULL || json_is_null(v))
		return cs_fail(e, CS_EINVAL, path, "required field is missing");
	if ((rc = core_check_string(v, max, path, e)) != CS_OK)
		return rc;
	if (json_string_length(v) == 0)
		return cs_fail(e, CS_EINVAL, path, "required field is missing");
	return CS_OK;
}

/* A service id of one of the organisation's sectors. */
static bool
service_ok(const struct store_org *o, const char *id)
{
	int s = vocab_index(vocab_service, id), sec;

	if (s < 0)
		return false;
	sec = vocab_index(vocab_sector, vocab_service[s].parent);
	return sec >= 0 && (o->sectors & (1u << sec)) != 0;
}

static const char *const dep_kinds[] = { "supply_chain", "cloud",
	"ci_service", "outsourcing", "other", NULL };

static bool
in_list(const char *const *l, const char *s)
{
	for (; s != NULL && *l != NULL; l++)
		if (strcmp(*l, s) == 0)
			return true;
	return false;
}

static enum cs_err
keys_only(json_t *o, const char *const *allowed, const char *prefix,
    struct cs_error *e)
{
	char path[96];
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v)
		if (!in_list(allowed, key)) {
			cs_fmt(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." :
			    "", key);
			return cs_fail(e, CS_EINVAL, path, "unknown field");
		}
	return CS_OK;
}

/* A list of at most max objects with the allowed keys, each with its name. */
static enum cs_err
named_list(json_t *a, const char *name, size_t max,
    const char *const *allowed, struct cs_error *e)
{
	char path[96];
	enum cs_err rc;
	json_t *v;
	size_t i;

	if (a == NULL || json_is_null(a))
		return CS_OK;
	if (!json_is_array(a) || json_array_size(a) > max)
		return cs_fail(e, CS_EINVAL, name, "a list of at most %zu entries",
		    max);
	json_array_foreach(a, i, v) {
		cs_fmt(path, sizeof(path), "%s.%zu", name, i);
		if (!json_is_object(v))
			return cs_fail(e, CS_EINVAL, path, "must be an object");
		if ((rc = keys_only(v, allowed, path, e)) != CS_OK)
			return rc;
		cs_fmt(path, sizeof(path), "%s.%zu.name", name, i);
		if ((rc = req_string(v, "name", CS_MAX_STRING, path, e)) != CS_OK)
			return rc;
		cs_fmt(path, sizeof(path), "%s.%zu.description", name, i);
		if ((rc = opt_string(v, "description", CS_MAX_TEXT, path, e)) !=
		    CS_OK)
			return rc;
		cs_fmt(path, sizeof(path), "%s.%zu.provider", name, i);
		if ((rc = opt_string(v, "provider", CS_MAX_STRING, path, e)) !=
		    CS_OK)
			return rc;
	}
	return CS_OK;
}

static enum cs_err
profile_check(const struct store_org *o, json_t *p, struct cs_error *e)
{
	static const char *const top[] = { "services", "critical_systems",
		"dependencies", "as_is", "to_be", NULL };
	static const char *const sys[] = { "name", "description", "services",
		NULL };
	static const char *const dep[] = { "name", "kind", "provider",
		"description", NULL };
	json_t *sv = json_object_get(p, "services"), *v, *x;
	char path[96];
	enum cs_err rc;
	size_t i, j;

	if ((rc = keys_only(p, top, "", e)) != CS_OK)
		return rc;
	if (sv != NULL && !json_is_null(sv)) {
		if (!json_is_array(sv) || json_array_size(sv) > VOCAB_SERVICE_N)
			return cs_fail(e, CS_EINVAL, "services", "a list of service "
			    "ids of the organisation's sectors");
		json_array_foreach(sv, i, v) {
			cs_fmt(path, sizeof(path), "services.%zu", i);
			if (!service_ok(o, json_string_value(v)))
				return cs_fail(e, CS_EINVAL, path, "not a service of "
				    "the organisation's sectors");
		}
	}
	if ((rc = named_list(json_object_get(p, "critical_systems"),
	    "critical_systems", 200, sys, e)) != CS_OK ||
	    (rc = named_list(json_object_get(p, "dependencies"), "dependencies",
	    200, dep, e)) != CS_OK)
		return rc;
	json_array_foreach(json_object_get(p, "critical_systems"), i, v) {
		x = json_object_get(v, "services");
		cs_fmt(path, sizeof(path), "critical_systems.%zu.services", i);
		if (x == NULL || json_is_null(x))
			continue;
		if (!json_is_array(x) || json_array_size(x) > VOCAB_SERVICE_N)
			return cs_fail(e, CS_EINVAL, path, "a list of service ids");
		for (j = 0; j < json_array_size(x); j++)
			if (!service_ok(o, json_string_value(json_array_get(x, j)))) {
				cs_fmt(path, sizeof(path),
				    "critical_systems.%zu.services.%zu", i, j);
				return cs_fail(e, CS_EINVAL, path, "not a service of "
				    "the organisation's sectors");
			}
	}
	json_array_foreach(json_object_get(p, "dependencies"), i, v) {
		cs_fmt(path, sizeof(path), "dependencies.%zu.kind", i);
		if (!in_list(dep_kinds, json_string_value(json_object_get(v,
		    "kind"))))
			return cs_fail(e, CS_EINVAL, path, "supply_chain, cloud, "
			    "ci_service, outsourcing or other");
	}
	if ((rc = opt_string(p, "as_is", CS_MAX_TEXT, "as_is", e)) != CS_OK ||
	    (rc = opt_string(p, "to_be", CS_MAX_TEXT, "to_be", e)) != CS_OK)
		return rc;
	return CS_OK;
}

static const char *const risk_keys[] = { "title", "source", "event",
	"service", "sml_breach", "likelihood", "impact", "owner", "treatment",
	"residual_likelihood", "residual_impact", "viewpoint", "review_date",
	"reports", "controls", "notes", NULL };

static enum cs_err
level_check(json_t *r, const char *key, int max, bool required,
    struct cs_error *e)
{
	json_t *v = json_object_get(r, key);

	if (v == NULL || json_is_null(v))
		return required ? cs_fail(e, CS_EINVAL, key, "required field is "
		    "missing") : CS_OK;
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > max)
		return cs_fail(e, CS_EINVAL, key, "outside the matrix: 1 to %d", max);
	return CS_OK;
}

/* Each linked report must be one the caller's organisation filed. */
static enum cs_err
reports_check(struct svc_ctx *c, json_t *a, struct cs_error *e)
{
	struct svc_report x;
	struct cs_error ig;
	char path[48];
	json_t *v;
	size_t i, j;
	bool own;

	if (a == NULL || json_is_null(a))
		return CS_OK;
	if (!json_is_array(a) || json_array_size(a) > SVC_RISK_LINKS)
		return cs_fail(e, CS_EINVAL, "reports", "a list of at most %d "
		    "report ids", SVC_RISK_LINKS);
	json_array_foreach(a, i, v) {
		cs_fmt(path, sizeof(path), "reports.%zu", i);
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return cs_fail(e, CS_EINVAL, path, "no such report");
		for (j = 0; j < i; j++)
			if (json_integer_value(json_array_get(a, j)) ==
			    json_integer_value(v))
				return cs_fail(e, CS_EINVAL, path, "a duplicate");
		if (svc_report_load_visible(c, json_integer_value(v), 0, &x,
		    &ig) != CS_OK)
			return cs_fail(e, CS_EINVAL, path, "no such report");
		own = policy_report_relation(&c->who, &x.acl) == REL_SUBMITTER;
		svc_report_fini(&x);
		if (!own)
			return cs_fail(e, CS_EINVAL, path, "no such report");
	}
	return CS_OK;
}

static enum cs_err
controls_check(json_t *a, struct cs_error *e)
{
	char path[48];
	json_t *v;
	size_t i, j;

	if (a == NULL || json_is_null(a))
		return CS_OK;
	if (!json_is_array(a) || json_array_size(a) > SVC_RISK_LINKS)
		return cs_fail(e, CS_EINVAL, "controls", "a list of at most %d "
		    "control ids", SVC_RISK_LINKS);
	json_array_foreach(a, i, v) {
		cs_fmt(path, sizeof(path), "controls.%zu", i);
		if (!svc_risk_control_known(json_string_value(v)))
			return cs_fail(e, CS_EINVAL, path, "no such control in the "
			    "指針 catalogue");
		for (j = 0; j < i; j++)
			if (cs_streq(json_string_value(json_array_get(a, j)),
			    json_string_value(v)))
				return cs_fail(e, CS_EINVAL, path, "a duplicate");
	}
	return CS_OK;
}

/* A whole risk record (nulls already dropped) against the workspace. */
static enum cs_err
risk_check(struct svc_ctx *c, const struct ws *w, json_t *r,
    struct cs_error *e)
{
	json_t *v;
	enum cs_err rc;
	const char *vp;

	if ((rc = keys_only(r, risk_keys, "", e)) != CS_OK ||
	    (rc = req_string(r, "title", CS_MAX_STRING, "title", e)) != CS_OK ||
	    (rc = opt_string(r, "source", CS_MAX_TEXT, "source", e)) != CS_OK ||
	    (rc = req_string(r, "event", CS_MAX_TEXT, "event", e)) != CS_OK ||
	    (rc = opt_string(r, "owner", CS_MAX_STRING, "owner", e)) != CS_OK ||
	    (rc = opt_string(r, "notes", CS_MAX_TEXT, "notes", e)) != CS_OK)
		return rc;
	v = json_object_get(r, "service");
	if (v != NULL && !service_ok(&w->o, json_string_value(v)))
		return cs_fail(e, CS_EINVAL, "service", "not a service of the "
		    "organisation's sectors");
	v = json_object_get(r, "sml_breach");
	if (v != NULL && !json_is_boolean(v))
		return cs_fail(e, CS_EINVAL, "sml_breach", "must be true or false");
	if ((rc = level_check(r, "likelihood", w->m.nl, true, e)) != CS_OK ||
	    (rc = level_check(r, "impact", w->m.ni, true, e)) != CS_OK ||
	    (rc = level_check(r, "residual_likelihood", w->m.nl, false, e)) !=
	    CS_OK || (rc = level_check(r, "residual_impact", w->m.ni, false, e)) !=
	    CS_OK)
		return rc;
	if ((json_object_get(r, "residual_likelihood") == NULL) !=
	    (json_object_get(r, "residual_impact") == NULL))
		return cs_fail(e, CS_EINVAL, json_object_get(r,
		    "residual_impact") == NULL ? "residual_impact" :
		    "residual_likelihood", "the residual risk needs both "
		    "likelihood and impact");
	v = json_object_get(r, "treatment");
	if (v != NULL && risk_treatment_parse(json_string_value(v)) < 0)
		return cs_fail(e, CS_EINVAL, "treatment", "avoid, reduce, transfer "
		    "or accept");
	v = json_object_get(r, "viewpoint");
	vp = json_string_value(v);
	if (v != NULL && risk_check_find(RISK_LIST_VIEWPOINTS, vp) == NULL)
		return cs_fail(e, CS_EINVAL, "viewpoint", "one of the five "
		    "viewpoints i, ii, iii, iv, v (行動計画 IV 4.1)");
	v = json_object_get(r, "review_date");
	if (v != NULL && risk_date_parse(json_string_value(v)) == 0)
		return cs_fail(e, CS_EINVAL, "review_date", "a date YYYY-MM-DD");
	if ((rc = reports_check(c, json_object_get(r, "reports"), e)) != CS_OK ||
	    (rc = controls_check(json_object_get(r, "controls"), e)) != CS_OK)
		return rc;
	return CS_OK;
}

/* ---- rendering ------------------------------------------------------- */

static int
ival(json_t *r, const char *k)
{
	return (int)json_integer_value(json_object_get(r, k));
}

/* The figure of a numeric level as form.impact names it (docs/analysis.md). */
static const char *
sml_metric_id(enum vocab_sml_metric m)
{
	switch (m) {
	case VOCAB_SML_USERS:
		return "affected_users";
	case VOCAB_SML_HOUSEHOLDS:
		return "households";
	case VOCAB_SML_KW:
		return "disrupted_supply_kw";
	case VOCAB_SML_SECONDS:
		break;
	}
	return "duration_s";
}

/*
 * The service and its service-maintenance level (別紙２): the level's text,
 * and for a numeric level its rules (a deviation when every condition of
 * one rule is reached), as sml.c evaluates reports against them.
 */
static json_t *
service_json(const char *id)
{
	int s = vocab_index(vocab_service, id);
	const struct vocab_item *lv;
	json_t *rules;

	if (s < 0)
		return json_null();
	lv = &vocab_service_level[s];
	rules = json_array();
	for (const struct vocab_sml_rule *r = vocab_sml_rules; r->id != NULL; r++) {
		json_t *conds;

		if (strcmp(r->service, id) != 0)
			continue;
		conds = json_array();
		for (int k = 0; k < r->ncond; k++)
			json_array_append_new(conds, json_pack("{s:s, s:I}",
			    "metric", sml_metric_id(r->cond[k].metric), "min",
			    (json_int_t)r->cond[k].min));
		json_array_append_new(rules, json_pack("{s:s, s:s?, s:s?, s:o}",
		    "id", r->id, "facility", r->facility, "citation", r->cite,
		    "conditions", conds));
	}
	return json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:b, s:o}", "id", id,
	    "label_ja", vocab_service[s].label_ja, "label_en",
	    vocab_service[s].label_en, "text_ja", lv->label_ja, "citation",
	    lv->cite, "numeric", json_array_size(rules) > 0, "rules", rules);
}

static json_t *
risk_json(const struct ws *w, const struct store_risk *row, int today)
{
	json_t *r = json_loads(row->data, 0, NULL), *j;
	int rs = -1, rv;

	if (!json_is_object(r)) {
		json_decref(r);
		r = json_object();
	}
	j = json_deep_copy(r);
	json_decref(r);
	json_object_set_new(j, "id", json_integer(row->id));
	json_object_set_new(j, "org", json_integer(row->org));
	json_object_set_new(j, "score", json_integer(row->score));
	json_object_set_new(j, "level", json_string(risk_band(&w->m, row->score)
	    ? risk_band(&w->m, row->score) : ""));
	if (json_object_get(j, "residual_likelihood") != NULL)
		rs = risk_score(&w->m, ival(j, "residual_likelihood"), ival(j,
		    "residual_impact"));
	json_object_set_new(j, "residual_score", rs > 0 ? json_integer(rs) :
	    json_null());
	json_object_set_new(j, "residual_level", rs > 0 && risk_band(&w->m, rs) ?
	    json_string(risk_band(&w->m, rs)) : json_null());
	rv = risk_date_parse(json_string_value(json_object_get(j, "review_date")));
	json_object_set_new(j, "overdue", json_boolean(!row->archived && rv != 0 &&
	    rv < today));
	json_object_set_new(j, "above_appetite", json_boolean(row->score >
	    w->m.appetite));
	if (json_object_get(j, "service") != NULL)
		json_object_set_new(j, "service_level", service_json(
		    json_string_value(json_object_get(j, "service"))));
	json_object_set_new(j, "archived", json_boolean(row->archived));
	json_object_set_new(j, "created_at", svc_time(row->created_us));
	json_object_set_new(j, "updated_at", svc_time(row->updated_us));
	return j;
}

static json_t *
checklist_json(const struct ws *w, enum risk_list l)
{
	json_t *a = json_array();
	const struct risk_check_item *c;

	for (c = risk_list_items(l); c->id != NULL; c++) {
		json_t *v = json_object_get(json_object_get(w->checks,
		    risk_list_id(l)), c->id);

		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s,"
		    " s:s, s:O?}", "id", c->id, "ja", c->ja, "en", c->en,
		    "viewpoint", c->viewpoint, "citation", c->cite, "status",
		    json_string_value(json_object_get(v, "status")) ?
		    json_string_value(json_object_get(v, "status")) : "unanswered",
		    "note", json_object_get(v, "note")));
	}
	return a;
}

/* ---- the workspace ----------------------------------------------------- */

bool
svc_risk_control_known(const char *id)
{
	/* the survey's catalogue (data/controls.json), any edition */
	for (const struct vocab_edition *ed = vocab_editions; ed->id != NULL;
	    ed++)
		if (vocab_control_find(ed->id, id) != NULL)
			return true;
	return false;
}

static enum cs_err
open_risks(struct svc_ctx *c, const struct ws *w, bool archived,
    struct store_risk **v, size_t *n, struct cs_error *e)
{
	enum cs_err rc = store_risk_list(c->st, w->org, archived, SVC_RISK_MAX, v,
	    n);

	return rc == CS_OK ? CS_OK : cs_fail(e, rc, "", "store error");
}

enum cs_err
svc_risk_workspace(struct svc_ctx *c, int64_t org, json_t **out,
    struct cs_error *e)
{
	struct store_risk *v = NULL;
	json_t *cells, *bands;
	struct ws w;
	size_t n = 0, overdue = 0, above = 0;
	int today = risk_today(c->now_us);
	enum cs_err rc;

	if ((rc = ws_load_visible(c, org, &w, e)) != CS_OK)
		return rc;
	if ((rc = open_risks(c, &w, false, &v, &n, e)) != CS_OK) {
		ws_fini(&w);
		return rc;
	}
	cells = json_array();
	bands = json_array();
	for (int l = w.m.nl; l >= 1; l--) {
		json_t *row = json_array(), *brow = json_array();

		for (int i = 1; i <= w.m.ni; i++) {
			json_array_append_new(row, json_array());
			json_array_append_new(brow, json_string(risk_band(&w.m,
			    l * i)));
		}
		json_array_append_new(cells, row);
		json_array_append_new(bands, brow);
	}
	/* each open risk once: its cell, its review, its appetite */
	for (size_t k = 0; k < n; k++) {
		json_t *d = json_loads(v[k].data, 0, NULL);
		int l = ival(d, "likelihood"), i = ival(d, "impact");
		int rv = risk_date_parse(json_string_value(json_object_get(d,
		    "review_date")));

		if (l >= 1 && l <= w.m.nl && i >= 1 && i <= w.m.ni)
			json_array_append_new(json_array_get(json_array_get(cells,
			    (size_t)(w.m.nl - l)), (size_t)(i - 1)),
			    json_integer(v[k].id));
		if (rv != 0 && rv < today)
			overdue++;
		if (v[k].score > w.m.appetite)
			above++;
		json_decref(d);
	}
	*out = json_pack("{s:I, s:s, s:O, s:O, s:o, s:o, s:O, s:{s:s, s:o, s:o},"
	    " s:{s:I, s:I, s:I}, s:b, s:o}",
	    "org", (json_int_t)w.org, "org_name", w.o.name ? w.o.name : "",
	    "profile", w.profile, "matrix", w.matrix,
	    "viewpoints", checklist_json(&w, RISK_LIST_VIEWPOINTS),
	    "readiness", checklist_json(&w, RISK_LIST_READINESS),
	    "shared_with", w.shared,
	    "heatmap", "rows", "likelihood, highest first; columns: impact, "
	    "lowest first", "cells", cells, "bands", bands,
	    "counts", "open", (json_int_t)n, "overdue", (json_int_t)overdue,
	    "above_appetite", (json_int_t)above,
	    "may_write", policy_risk_may_write(&c->who, w.org),
	    "updated_at", svc_time(w.updated_us));
	store_risks_free(v, n);
	rc = audited(c, "risk.workspace.read", "org", w.org, NULL, e);
	ws_fini(&w);
	if (rc != CS_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

enum cs_err
svc_risk_shared_list(struct svc_ctx *c, json_t **items, struct cs_error *e)
{
	struct store_risk_ws *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	if ((rc = store_risk_ws_list(c->st, 10000, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *sh = parsed(v[i].shared, true), *x;
		struct store_org o;
		size_t k;
		bool yes = false;

		json_array_foreach(sh, k, x)
			if (json_integer_value(x) == c->who.org_id &&
			    v[i].org != c->who.org_id)
				yes = true;
		json_decref(sh);
		if (!yes || store_org_get(c->st, v[i].org, &o) != CS_OK)
			continue;
		json_array_append_new(*items, json_pack("{s:I, s:s}", "org",
		    (json_int_t)o.id, "name", o.name ? o.name : ""));
		store_org_fini(&o);
	}
	store_risk_wss_free(v, n);
	return audited(c, "risk.workspace.list", "org", c->who.org_id, NULL, e);
}

enum cs_err
svc_risk_profile_put(struct svc_ctx *c, json_t *body, struct cs_error *e)
{
	struct ws w;
	enum cs_err rc;

	if ((rc = ws_load_own(c, &w, e)) != CS_OK)
		return rc;
	if ((rc = profile_check(&w.o, body, e)) == CS_OK) {
		json_decref(w.profile);
		w.profile = json_deep_copy(body);
		if ((rc = ws_save(c, &w, e)) == CS_OK)
			rc = audited(c, "risk.profile.update", "org", w.org, NULL, e);
	}
	ws_fini(&w);
	return rc;
}

enum cs_err
svc_risk_matrix_put(struct svc_ctx *c, json_t *body, struct cs_error *e)
{
	struct store_risk *v = NULL;
	struct risk_matrix m;
	size_t n = 0;
	struct ws w;
	enum cs_err rc;

	if ((rc = ws_load_own(c, &w, e)) != CS_OK)
		return rc;
	if ((rc = risk_matrix_parse(body, &m, e)) != CS_OK ||
	    (rc = open_risks(c, &w, true, &v, &n, e)) != CS_OK) {
		ws_fini(&w);
		return rc;
	}
	/* Every risk of the register, archived too, stays on the matrix. */
	for (size_t k = 0; k < n && rc == CS_OK; k++) {
		json_t *d = json_loads(v[k].data, 0, NULL);

		if (ival(d, "likelihood") > m.nl || ival(d, "residual_likelihood") >
		    m.nl)
			rc = cs_fail(e, CS_ECONFLICT, "likelihood", "risk %lld lies "
			    "outside the new matrix", (long long)v[k].id);
		else if (ival(d, "impact") > m.ni || ival(d, "residual_impact") >
		    m.ni)
			rc = cs_fail(e, CS_ECONFLICT, "impact", "risk %lld lies "
			    "outside the new matrix", (long long)v[k].id);
		json_decref(d);
	}
	store_risks_free(v, n);
	if (rc == CS_OK) {
		json_decref(w.matrix);
		w.matrix = json_deep_copy(body);
		w.m = m;
		if ((rc = ws_save(c, &w, e)) == CS_OK)
			rc = audited(c, "risk.matrix.update", "org", w.org, NULL, e);
	}
	ws_fini(&w);
	return rc;
}

static enum cs_err
checks_merge(json_t *into, json_t *body, enum risk_list l, struct cs_error *e)
{
	const char *name = risk_list_id(l), *key;
	json_t *given = json_object_get(body, name), *v, *list;
	char path[64];

	if (given == NULL)
		return CS_OK;
	if (!json_is_object(given))
		return cs_fail(e, CS_EINVAL, name, "an object of item ids");
	json_object_foreach(given, key, v) {
		static const char *const ks[] = { "status", "note", NULL };
		enum cs_err rc;

		cs_fmt(path, sizeof(path), "%s.%s", name, key);
		if (risk_check_find(l, key) == NULL)
			return cs_fail(e, CS_EINVAL, path, "no such item");
		if (!json_is_object(v))
			return cs_fail(e, CS_EINVAL, path, "{\"status\", \"note\"}");
		if ((rc = keys_only(v, ks, path, e)) != CS_OK)
			return rc;
		cs_fmt(path, sizeof(path), "%s.%s.status", name, key);
		if (risk_check_status_parse(json_string_value(json_object_get(v,
		    "status"))) < 0)
			return cs_fail(e, CS_EINVAL, path, "done, partial, gap or "
			    "not_applicable");
		cs_fmt(path, sizeof(path), "%s.%s.note", name, key);
		if ((rc = opt_string(v, "note", CS_MAX_TEXT, path, e)) != CS_OK)
			return rc;
	}
	if ((list = json_object_get(into, name)) == NULL) {
		list = json_object();
		json_object_set_new(into, name, list);
	}
	json_object_foreach(given, key, v)
		json_object_set_new(list, key, json_deep_copy(v));
	return CS_OK;
}

enum cs_err
svc_risk_checks_put(struct svc_ctx *c, json_t *body, struct cs_error *e)
{
	json_t *merged;
	struct ws w;
	enum cs_err rc;

	if ((rc = ws_load_own(c, &w, e)) != CS_OK)
		return rc;
	merged = json_deep_copy(w.checks);
	if ((rc = checks_merge(merged, body, RISK_LIST_VIEWPOINTS, e)) == CS_OK &&
	    (rc = checks_merge(merged, body, RISK_LIST_READINESS, e)) == CS_OK) {
		json_decref(w.checks);
		w.checks = merged;
		merged = NULL;
		if ((rc = ws_save(c, &w, e)) == CS_OK)
			rc = audited(c, "risk.checklists.update", "org", w.org, NULL,
			    e);
	}
	json_decref(merged);
	ws_fini(&w);
	return rc;
}

enum cs_err
svc_risk_share(struct svc_ctx *c, json_t *body, struct cs_error *e)
{
	json_t *to = json_object_get(body, "to"), *v;
	char path[48];
	struct ws w;
	enum cs_err rc;
	size_t i, j;

	if (!json_is_array(to) || json_array_size(to) > 50)
		return cs_fail(e, CS_EINVAL, "to", "a list of organisation ids (its "
		    "ministry, NISC); [] stops sharing");
	if ((rc = ws_load_own(c, &w, e)) != CS_OK)
		return rc;
	json_array_foreach(to, i, v) {
		struct store_org o;
		struct cs_org_ref ref;
		bool ok;

		cs_fmt(path, sizeof(path), "to.%zu", i);
		if (!json_is_integer(v) || store_org_get(c->st, json_integer_value(v),
		    &o) != CS_OK) {
			ws_fini(&w);
			return cs_fail(e, CS_EINVAL, path, "no such organisation");
		}
		svc_org_ref(&o, &ref);
		ok = policy_risk_may_share_to(&c->who, &ref);
		store_org_fini(&o);
		for (j = 0; j < i; j++)
			if (json_integer_value(json_array_get(to, j)) ==
			    json_integer_value(v))
				ok = false;
		if (!ok) {
			ws_fini(&w);
			return cs_fail(e, CS_EINVAL, path, "a workspace is shared "
			    "only with NISC or the operator's own ministry");
		}
	}
	json_decref(w.shared);
	w.shared = json_deep_copy(to);
	if ((rc = ws_save(c, &w, e)) == CS_OK)
		rc = audited(c, "risk.share", "org", w.org, json_pack("{s:O}", "to",
		    to), e);
	ws_fini(&w);
	return rc;
}

/* ---- the register ------------------------------------------------------ */

enum cs_err
svc_risk_list(struct svc_ctx *c, int64_t org, bool archived, json_t **items,
    struct cs_error *e)
{
	struct store_risk *v = NULL;
	int today = risk_today(c->now_us);
	size_t n = 0;
	struct ws w;
	enum cs_err rc;

	if ((rc = ws_load_visible(c, org, &w, e)) != CS_OK)
		return rc;
	if ((rc = open_risks(c, &w, archived, &v, &n, e)) == CS_OK) {
		*items = json_array();
		for (size_t k = 0; k < n; k++)
			json_array_append_new(*items, risk_json(&w, &v[k], today));
		store_risks_free(v, n);
		if ((rc = audited(c, "risk.list", "org", w.org, NULL, e)) != CS_OK) {
			json_decref(*items);
			*items = NULL;
		}
	}
	ws_fini(&w);
	return rc;
}

/* The record to store: the given members without nulls. */
static json_t *
without_nulls(json_t *o)
{
	json_t *r = json_object(), *v;
	const char *k;

	json_object_foreach(o, k, v)
		if (!json_is_null(v))
			json_object_set(r, k, v);
	return r;
}

enum cs_err
svc_risk_create(struct svc_ctx *c, json_t *body, int64_t *id,
    struct cs_error *e)
{
	struct store_risk row;
	int64_t count = 0;
	json_t *r;
	struct ws w;
	enum cs_err rc;

	if ((rc = ws_load_own(c, &w, e)) != CS_OK)
		return rc;
	r = without_nulls(body);
	if ((rc = risk_check(c, &w, r, e)) != CS_OK)
		goto out;
	if ((rc = store_risk_count(c->st, w.org, &count)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	if (count >= SVC_RISK_MAX) {
		rc = cs_fail(e, CS_ECONFLICT, "", "the register holds %d risks "
		    "already", SVC_RISK_MAX);
		goto out;
	}
	memset(&row, 0, sizeof(row));
	row.org = w.org;
	row.data = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS);
	row.score = risk_score(&w.m, ival(r, "likelihood"), ival(r, "impact"));
	row.created_us = row.updated_us = c->now_us;
	row.by_user = c->who.user_id;
	rc = store_risk_insert(c->st, &row);
	free(row.data);
	if (rc != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	*id = row.id;
	rc = audited(c, "risk.create", "risk", row.id, json_pack("{s:I, s:i}",
	    "org", (json_int_t)w.org, "score", row.score), e);
out:
	json_decref(r);
	ws_fini(&w);
	return rc;
}

/* A risk and its workspace, when the caller may read it (else 404). */
static enum cs_err
risk_load(struct svc_ctx *c, int64_t id, struct store_risk *row, struct ws *w,
    struct cs_error *e)
{
	enum cs_err rc;

	memset(row, 0, sizeof(*row));
	if (id <= 0 || (rc = store_risk_get(c->st, id, row)) == CS_ENOENT)
		return cs_fail(e, CS_ENOENT, "", NO_RISK);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if (ws_load_visible(c, row->org, w, e) != CS_OK) {
		store_risk_fini(row);
		return cs_fail(e, CS_ENOENT, "", NO_RISK);
	}
	return CS_OK;
}

enum cs_err
svc_risk_get(struct svc_ctx *c, int64_t id, json_t **out, struct cs_error *e)
{
	struct store_risk row;
	struct ws w;
	enum cs_err rc;

	if ((rc = risk_load(c, id, &row, &w, e)) != CS_OK)
		return rc;
	*out = risk_json(&w, &row, risk_today(c->now_us));
	store_risk_fini(&row);
	ws_fini(&w);
	if ((rc = audited(c, "risk.read", "risk", id, NULL, e)) != CS_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* A risk of the caller's own register, to change. */
static enum cs_err
risk_load_own(struct svc_ctx *c, int64_t id, struct store_risk *row,
    struct ws *w, struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = risk_load(c, id, row, w, e)) != CS_OK)
		return rc;
	if (!policy_risk_may_write(&c->who, row->org)) {
		store_risk_fini(row);
		ws_fini(w);
		return cs_fail(e, CS_EPERM, "", "the risk workspace is kept by the "
		    "operator's own staff");
	}
	return CS_OK;
}

enum cs_err
svc_risk_patch(struct svc_ctx *c, int64_t id, json_t *body, struct cs_error *e)
{
	struct store_risk row;
	json_t *r = NULL, *m, *v;
	const char *k;
	char *old;
	struct ws w;
	enum cs_err rc;

	if ((rc = risk_load_own(c, id, &row, &w, e)) != CS_OK)
		return rc;
	m = json_loads(row.data, 0, NULL);
	if (!json_is_object(m)) {
		rc = cs_fail(e, CS_EINTERNAL, "", "a corrupt risk");
		goto out;
	}
	if (row.archived) {
		rc = cs_fail(e, CS_ECONFLICT, "", "the risk is archived");
		goto out;
	}
	json_object_foreach(body, k, v)
		json_object_set(m, k, v);
	r = without_nulls(m);
	if ((rc = risk_check(c, &w, r, e)) != CS_OK)
		goto out;
	old = row.data;
	row.data = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS);
	free(old);
	row.score = risk_score(&w.m, ival(r, "likelihood"), ival(r, "impact"));
	row.updated_us = c->now_us;
	row.by_user = c->who.user_id;
	if ((rc = store_risk_update(c->st, &row)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	rc = audited(c, "risk.update", "risk", id, json_pack("{s:i}", "score",
	    row.score), e);
out:
	json_decref(m);
	json_decref(r);
	store_risk_fini(&row);
	ws_fini(&w);
	return rc;
}

enum cs_err
svc_risk_archive(struct svc_ctx *c, int64_t id, struct cs_error *e)
{
	struct store_risk row;
	struct ws w;
	enum cs_err rc;

	if ((rc = risk_load_own(c, id, &row, &w, e)) != CS_OK)
		return rc;
	if (row.archived)
		rc = cs_fail(e, CS_ECONFLICT, "", "the risk is archived already");
	else {
		row.archived = true;
		row.updated_us = c->now_us;
		row.by_user = c->who.user_id;
		if ((rc = store_risk_update(c->st, &row)) != CS_OK)
			rc = cs_fail(e, rc, "", "store error");
		else
			rc = audited(c, "risk.archive", "risk", id, NULL, e);
	}
	store_risk_fini(&row);
	ws_fini(&w);
	return rc;
}

/* ---- the improvement plan ---------------------------------------------- */

static const char *const treatments[] = { "avoid", "reduce", "transfer",
	"accept" };

static void
checks_to_plan(const struct ws *w, enum risk_list l, struct risk_plan_item *p,
    size_t *np)
{
	const struct risk_check_item *ci;

	for (ci = risk_list_items(l); ci->id != NULL; ci++) {
		json_t *a = json_object_get(json_object_get(w->checks,
		    risk_list_id(l)), ci->id);
		int st = risk_check_status_parse(json_string_value(
		    json_object_get(a, "status")));

		if (st != RISK_CHECK_GAP && st != RISK_CHECK_PARTIAL)
			continue;
		memset(&p[*np], 0, sizeof(p[*np]));
		p[*np].kind = l == RISK_LIST_VIEWPOINTS ? RISK_PLAN_VIEWPOINT :
		    RISK_PLAN_READINESS;
		p[*np].check = ci->id;
		p[*np].viewpoint = ci->viewpoint;
		p[*np].status = (enum risk_check_status)st;
		p[*np].residual = -1;
		(*np)++;
	}
}

enum cs_err
svc_risk_plan(struct svc_ctx *c, int64_t org, json_t **out, struct cs_error *e)
{
	struct store_risk *v = NULL;
	struct risk_plan_item *p;
	json_t **data, *items;
	int today = risk_today(c->now_us);
	size_t n = 0, np = 0;
	struct ws w;
	enum cs_err rc;

	if ((rc = ws_load_visible(c, org, &w, e)) != CS_OK)
		return rc;
	if ((rc = open_risks(c, &w, false, &v, &n, e)) != CS_OK) {
		ws_fini(&w);
		return rc;
	}
	p = xcalloc(n + 32, sizeof(*p));
	data = xcalloc(n + 1, sizeof(*data));
	for (size_t k = 0; k < n; k++) {
		json_t *d = data[k] = json_loads(v[k].data, 0, NULL);
		int t = risk_treatment_parse(json_string_value(json_object_get(d,
		    "treatment")));
		int rs = -1;

		if (!risk_plan_wants(&w.m, v[k].score, t))
			continue;
		if (json_object_get(d, "residual_likelihood") != NULL)
			rs = risk_score(&w.m, ival(d, "residual_likelihood"),
			    ival(d, "residual_impact"));
		p[np].kind = RISK_PLAN_RISK;
		p[np].id = v[k].id;
		p[np].viewpoint = json_string_value(json_object_get(d, "viewpoint"));
		p[np].score = v[k].score;
		p[np].residual = rs;
		p[np].review = risk_date_parse(json_string_value(json_object_get(d,
		    "review_date")));
		p[np].overdue = p[np].review != 0 && p[np].review < today;
		np++;
	}
	checks_to_plan(&w, RISK_LIST_VIEWPOINTS, p, &np);
	checks_to_plan(&w, RISK_LIST_READINESS, p, &np);
	risk_plan_order(p, np);
	items = json_array();
	for (size_t k = 0; k < np; k++) {
		json_t *it = json_pack("{s:I, s:s, s:i, s:s?, s:b}", "rank",
		    (json_int_t)(k + 1), "kind", p[k].kind == RISK_PLAN_RISK ?
		    "risk" : p[k].kind == RISK_PLAN_VIEWPOINT ? "viewpoint" :
		    "readiness", "score", p[k].score, "viewpoint", p[k].viewpoint,
		    "overdue", p[k].overdue);

		if (p[k].kind == RISK_PLAN_RISK) {
			json_t *d = NULL;
			int t;

			for (size_t r = 0; r < n; r++)
				if (v[r].id == p[k].id)
					d = data[r];
			t = risk_treatment_parse(json_string_value(json_object_get(d,
			    "treatment")));
			json_object_set_new(it, "risk", json_integer(p[k].id));
			json_object_set(it, "title", json_object_get(d, "title"));
			json_object_set_new(it, "level", json_string(risk_band(&w.m,
			    p[k].score)));
			json_object_set_new(it, "residual_score", p[k].residual > 0 ?
			    json_integer(p[k].residual) : json_null());
			json_object_set_new(it, "treatment", t >= 0 ?
			    json_string(treatments[t]) : json_null());
			json_object_set(it, "owner", json_object_get(d, "owner") ?
			    json_object_get(d, "owner") : json_null());
			json_object_set(it, "review_date", json_object_get(d,
			    "review_date") ? json_object_get(d, "review_date") :
			    json_null());
			json_object_set_new(it, "above_appetite", json_boolean(
			    p[k].score > w.m.appetite));
			/* the evidence: its reports and the 指針 gaps it links */
			json_object_set_new(it, "reports", json_object_get(d,
			    "reports") ? json_deep_copy(json_object_get(d,
			    "reports")) : json_array());
			json_object_set_new(it, "controls", json_object_get(d,
			    "controls") ? json_deep_copy(json_object_get(d,
			    "controls")) : json_array());
		} else {
			enum risk_list l = p[k].kind == RISK_PLAN_VIEWPOINT ?
			    RISK_LIST_VIEWPOINTS : RISK_LIST_READINESS;
			const struct risk_check_item *ci = risk_check_find(l,
			    p[k].check);
			json_t *a = json_object_get(json_object_get(w.checks,
			    risk_list_id(l)), p[k].check);

			json_object_set_new(it, "check", json_string(p[k].check));
			json_object_set_new(it, "ja", json_string(ci->ja));
			json_object_set_new(it, "en", json_string(ci->en));
			json_object_set_new(it, "citation", json_string(ci->cite));
			json_object_set_new(it, "status", json_string(
			    risk_check_status_id(p[k].status)));
			json_object_set(it, "note", json_object_get(a, "note") ?
			    json_object_get(a, "note") : json_null());
		}
		json_array_append_new(items, it);
	}
	for (size_t k = 0; k < n; k++)
		json_decref(data[k]);
	free(data);
	free(p);
	store_risks_free(v, n);
	*out = json_pack("{s:I, s:o, s:i, s:s}", "org", (json_int_t)w.org,
	    "items", items, "appetite", w.m.appetite, "ordering", "score "
	    "(likelihood × impact; a checklist gap takes the highest score of "
	    "the open risks of its viewpoint) highest first; then an overdue "
	    "review, the earlier review date, the higher residual score; then "
	    "risks, viewpoint gaps, readiness gaps, a gap before a partial; "
	    "then id");
	ws_fini(&w);
	if ((rc = audited(c, "risk.plan.read", "org", org ? org :
	    c->who.org_id, NULL, e)) != CS_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
