/*
 * survey.c: the yearly self-assessment survey (see svc_survey.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/survey.h"
#include "svc/svc_survey.h"

#define LIST_MAX	500
#define TOP_ITEMS	10

static int
stats_k(const struct svc_ctx *c)
{
	return c->cfg != NULL && c->cfg->stats_k > 0 ? c->cfg->stats_k : 3;
}

static json_t *
sectors_json(uint32_t mask)
{
	json_t *a = json_array();

	for (int s = 0; s < CS_NSECTORS; s++)
		if (mask & (1u << s))
			json_array_append_new(a, json_string(core_sector_id(s)));
	return a;
}

static int
edition_items(const char *edition)
{
	int n = 0;

	for (size_t i = 0; i < vocab_controls_n; i++)
		n += strcmp(vocab_controls[i].edition, edition) == 0;
	return n;
}

static json_t *
survey_json(const struct store_survey *s)
{
	return json_pack("{s:I, s:i, s:o, s:s, s:s, s:i, s:o, s:o}", "id",
	    (json_int_t)s->id, "fiscal_year", s->fiscal_year, "sectors",
	    sectors_json(s->sectors), "edition", s->edition, "state",
	    s->state ? "closed" : "open", "items", edition_items(s->edition),
	    "created_at", svc_time(s->created_us), "closed_at",
	    svc_time(s->closed_us));
}

/* A campaign the caller sees (else its 404). */
static enum cs_err
load_visible(struct svc_ctx *c, int64_t id, struct store_survey *s,
    struct cs_error *e)
{
	enum cs_err rc;

	memset(s, 0, sizeof(*s));
	if ((rc = store_survey_get(c->st, id, s)) != CS_OK)
		return svc_load_failed(rc, "survey", e);
	if (!policy_survey_may_see(&c->who, s->sectors)) {
		store_survey_fini(s);
		return cs_fail(e, CS_ENOENT, "", "no such survey");
	}
	return CS_OK;
}

static enum cs_err
audit(struct svc_ctx *c, const char *action, int64_t id, json_t *detail,
    struct cs_error *e)
{
	return svc_audit_op(c, action, "survey", id, detail, false, e);
}

/* ---- opening and closing ------------------------------------------------ */

enum cs_err
svc_survey_open(struct svc_ctx *c, json_t *body, int64_t *id,
    struct cs_error *e)
{
	json_t *fy = json_object_get(body, "fiscal_year");
	json_t *secs = json_object_get(body, "sectors"), *ed, *v;
	struct store_survey s, *all = NULL;
	uint32_t mask = 0;
	size_t i, n = 0;
	char path[32];
	enum cs_err rc;

	memset(&s, 0, sizeof(s));
	if (fy == NULL)
		return cs_fail(e, CS_EINVAL, "fiscal_year", "required field is missing");
	if (!json_is_integer(fy) || json_integer_value(fy) < 2000 ||
	    json_integer_value(fy) > 2100)
		return cs_fail(e, CS_EINVAL, "fiscal_year", "a fiscal year, 2000 to 2100");
	if (!json_is_array(secs) || json_array_size(secs) == 0 ||
	    json_array_size(secs) > CS_NSECTORS)
		return cs_fail(e, CS_EINVAL, "sectors", "a list of 1 to %d sector ids",
		    CS_NSECTORS);
	json_array_foreach(secs, i, v) {
		int k = core_sector_parse(json_string_value(v));

		cs_fmt(path, sizeof(path), "sectors.%zu", i);
		if (k < 0)
			return cs_fail(e, CS_EINVAL, path, "not a sector id");
		if (mask & (1u << k))
			return cs_fail(e, CS_EINVAL, path, "listed twice");
		mask |= 1u << k;
	}
	ed = json_object_get(body, "edition");
	if (ed == NULL)
		s.edition = (char *)vocab_editions[0].id;	/* the current one */
	else if (!json_is_string(ed) || vocab_edition_find(json_string_value(ed)) == NULL)
		return cs_fail(e, CS_EINVAL, "edition", "not an edition of the "
		    "control catalogue (GET /controls)");
	else
		s.edition = (char *)json_string_value(ed);
	/* One campaign per fiscal year and sector. */
	if ((rc = store_survey_list(c->st, -1, &all, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	for (i = 0; i < n; i++)
		if (all[i].fiscal_year == (int)json_integer_value(fy) &&
		    (all[i].sectors & mask) != 0) {
			store_surveys_free(all, n);
			return cs_fail(e, CS_ECONFLICT, "sectors", "a campaign of this "
			    "fiscal year covers one of these sectors already");
		}
	store_surveys_free(all, n);
	s.fiscal_year = (int)json_integer_value(fy);
	s.sectors = mask;
	s.by_org = c->who.org_id;
	s.by_user = c->who.user_id;
	s.created_us = c->now_us;
	if ((rc = store_survey_insert(c->st, &s)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*id = s.id;
	return audit(c, "survey.open", s.id, json_pack("{s:i, s:o, s:s}",
	    "fiscal_year", s.fiscal_year, "sectors", sectors_json(mask),
	    "edition", s.edition), e);
}

enum cs_err
svc_survey_close(struct svc_ctx *c, int64_t id, struct cs_error *e)
{
	struct store_survey s;
	enum cs_err rc;

	if ((rc = load_visible(c, id, &s, e)) != CS_OK)
		return rc;
	store_survey_fini(&s);
	if ((rc = store_survey_close(c->st, id, c->now_us)) == CS_ENOENT)
		return cs_fail(e, CS_ECONFLICT, "state", "the campaign is closed "
		    "already");
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return audit(c, "survey.close", id, NULL, e);
}

/* ---- reading ------------------------------------------------------------- */

/* The caller's own state in s: {"state", "shared", "answered"}. */
static json_t *
mine_json(struct svc_ctx *c, const struct store_survey *s)
{
	struct store_survey_org o;
	struct store_survey_answer *a = NULL;
	size_t n = 0;
	json_t *j;

	if (store_survey_org_get(c->st, s->id, c->who.org_id, &o) != CS_OK)
		return json_pack("{s:s, s:b, s:i, s:n}", "state", "not_started",
		    "shared", 0, "answered", 0, "submitted_at");
	if (store_survey_answers(c->st, s->id, c->who.org_id, &a, &n) != CS_OK)
		n = 0;
	j = json_pack("{s:s, s:b, s:i, s:o, s:o}", "state", o.state ? "submitted" :
	    "draft", "shared", o.shared, "answered", (int)n, "submitted_at",
	    svc_time(o.submitted_us), "updated_at", svc_time(o.updated_us));
	store_survey_answers_free(a, n);
	return j;
}

enum cs_err
svc_survey_list(struct svc_ctx *c, json_t **items, struct cs_error *e)
{
	struct store_survey *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	if ((rc = store_survey_list(c->st, LIST_MAX, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *j;

		if (!policy_survey_may_see(&c->who, v[i].sectors))
			continue;
		j = survey_json(&v[i]);
		if (policy_survey_may_answer(&c->who, v[i].sectors))
			json_object_set_new(j, "mine", mine_json(c, &v[i]));
		json_array_append_new(*items, j);
	}
	store_surveys_free(v, n);
	if ((rc = svc_audit(c, "survey.list", NULL, NULL, false)) != CS_OK) {
		json_decref(*items);
		*items = NULL;
		return cs_fail(e, rc, "", "audit failed");
	}
	return CS_OK;
}

/* {"<control id>": {"status", "note", "owner", "updated_at"}} */
static json_t *
answers_json(const struct store_survey_answer *a, size_t n)
{
	json_t *o = json_object();

	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, a[i].control, json_pack("{s:s, s:s, s:s, s:o}",
		    "status", survey_status_id(a[i].status), "note", a[i].note,
		    "owner", a[i].owner, "updated_at", svc_time(a[i].updated_us)));
	return o;
}

enum cs_err
svc_survey_get(struct svc_ctx *c, int64_t id, json_t **out, struct cs_error *e)
{
	struct store_survey s;
	enum cs_err rc;

	if ((rc = load_visible(c, id, &s, e)) != CS_OK)
		return rc;
	*out = survey_json(&s);
	if (policy_survey_may_answer(&c->who, s.sectors)) {
		struct store_survey_answer *a = NULL;
		size_t n = 0;
		json_t *m = mine_json(c, &s);

		if ((rc = store_survey_answers(c->st, id, c->who.org_id, &a, &n)) !=
		    CS_OK) {
			json_decref(m);
			json_decref(*out);
			store_survey_fini(&s);
			*out = NULL;
			return cs_fail(e, rc, "", "store error");
		}
		json_object_set_new(m, "answers", answers_json(a, n));
		store_survey_answers_free(a, n);
		json_object_set_new(*out, "mine", m);
	}
	store_survey_fini(&s);
	if ((rc = audit(c, "survey.read", id, NULL, e)) != CS_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- answering ------------------------------------------------------------ */

/* The campaign open and the caller's draft not submitted (else 409 on field). */
static enum cs_err
check_writable(struct svc_ctx *c, const struct store_survey *s,
    const char *field, struct cs_error *e)
{
	struct store_survey_org o;

	if (s->state != 0)
		return cs_fail(e, CS_ECONFLICT, field, "the campaign is closed");
	if (store_survey_org_get(c->st, s->id, c->who.org_id, &o) == CS_OK &&
	    o.state != 0)
		return cs_fail(e, CS_ECONFLICT, field, "your organisation has "
		    "submitted already");
	return CS_OK;
}

enum cs_err
svc_survey_answer(struct svc_ctx *c, int64_t id, json_t *body, json_t **out,
    struct cs_error *e)
{
	json_t *items = json_object_get(body, "items"), *v;
	struct store_survey s;
	const char *key;
	enum cs_err rc;

	if ((rc = load_visible(c, id, &s, e)) != CS_OK)
		return rc;
	if (!policy_survey_may_answer(&c->who, s.sectors)) {
		store_survey_fini(&s);
		return cs_fail(e, CS_EPERM, "", "the campaign is answered by the "
		    "operators of its sectors");
	}
	if ((rc = check_writable(c, &s, "items", e)) != CS_OK)
		goto out;
	/* Everything checked before anything is written. */
	if ((rc = survey_answers_check(s.edition, items, e)) != CS_OK)
		goto out;
	if ((rc = store_survey_org_touch(c->st, id, c->who.org_id, c->now_us)) !=
	    CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	json_object_foreach(items, key, v) {
		struct store_survey_answer a;
		json_t *note = json_object_get(v, "note");
		json_t *owner = json_object_get(v, "owner");

		memset(&a, 0, sizeof(a));
		a.survey = id;
		a.org = c->who.org_id;
		a.control = (char *)key;
		a.status = survey_status_parse(json_string_value(json_object_get(v,
		    "status")));
		a.note = (char *)(note ? json_string_value(note) : "");
		a.owner = (char *)(owner ? json_string_value(owner) : "");
		a.updated_us = c->now_us;
		a.by_user = c->who.user_id;
		if ((rc = store_survey_answer_put(c->st, &a)) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
	}
	if ((rc = audit(c, "survey.answer", id, json_pack("{s:i}", "items",
	    (int)json_object_size(items)), e)) != CS_OK)
		goto out;
	*out = mine_json(c, &s);
	json_object_set_new(*out, "items", json_integer(edition_items(s.edition)));
out:
	store_survey_fini(&s);
	return rc;
}

enum cs_err
svc_survey_submit(struct svc_ctx *c, int64_t id, struct cs_error *e)
{
	struct store_survey_answer *a = NULL;
	struct store_survey s;
	size_t n = 0;
	enum cs_err rc;

	if ((rc = load_visible(c, id, &s, e)) != CS_OK)
		return rc;
	if (!policy_survey_may_answer(&c->who, s.sectors)) {
		store_survey_fini(&s);
		return cs_fail(e, CS_EPERM, "", "the campaign is answered by the "
		    "operators of its sectors");
	}
	if ((rc = check_writable(c, &s, "state", e)) != CS_OK)
		goto out;
	if ((rc = store_survey_answers(c->st, id, c->who.org_id, &a, &n)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	/* Every item of the edition answered. */
	for (size_t i = 0; i < vocab_controls_n; i++) {
		const struct vocab_control *k = &vocab_controls[i];
		bool found = false;

		if (strcmp(k->edition, s.edition) != 0)
			continue;
		for (size_t j = 0; j < n && !found; j++)
			found = strcmp(a[j].control, k->id) == 0;
		if (!found) {
			char path[96];

			cs_fmt(path, sizeof(path), "items.%s", k->id);
			rc = cs_fail(e, CS_EINVAL, path, "not answered yet: every item "
			    "is answered before the submission");
			goto out;
		}
	}
	if ((rc = store_survey_org_submit(c->st, id, c->who.org_id, c->now_us,
	    c->who.user_id)) != CS_OK) {
		rc = rc == CS_ENOENT ? cs_fail(e, CS_ECONFLICT, "state",
		    "submitted already") : cs_fail(e, rc, "", "store error");
		goto out;
	}
	rc = audit(c, "survey.submit", id, json_pack("{s:i}", "items", (int)n), e);
out:
	store_survey_answers_free(a, n);
	store_survey_fini(&s);
	return rc;
}

enum cs_err
svc_survey_share(struct svc_ctx *c, int64_t id, json_t *body,
    struct cs_error *e)
{
	json_t *sh = json_object_get(body, "shared");
	struct store_survey s;
	enum cs_err rc;

	if ((rc = load_visible(c, id, &s, e)) != CS_OK)
		return rc;
	if (!policy_survey_may_answer(&c->who, s.sectors)) {
		store_survey_fini(&s);
		return cs_fail(e, CS_EPERM, "", "the campaign is answered by the "
		    "operators of its sectors");
	}
	store_survey_fini(&s);
	if (!json_is_boolean(sh))
		return cs_fail(e, CS_EINVAL, "shared", "must be true or false");
	if ((rc = store_survey_org_touch(c->st, id, c->who.org_id, c->now_us)) !=
	    CS_OK ||
	    (rc = store_survey_org_share(c->st, id, c->who.org_id,
	    json_is_true(sh))) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return audit(c, "survey.share", id, json_pack("{s:b}", "shared",
	    json_is_true(sh)), e);
}

/* ---- progress -------------------------------------------------------------- */

static const struct store_survey_org *
org_row(const struct store_survey_org *v, size_t n, int64_t org)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].org == org)
			return &v[i];
	return NULL;
}

enum cs_err
svc_survey_progress(struct svc_ctx *c, int64_t id, json_t **out,
    struct cs_error *e)
{
	struct store_survey_org *rows = NULL;
	struct store_org *ops = NULL;
	struct store_survey s;
	size_t nr = 0, no = 0;
	uint32_t scope;
	json_t *resp, *per;
	enum cs_err rc;

	if ((rc = load_visible(c, id, &s, e)) != CS_OK)
		return rc;
	if ((scope = policy_survey_oversight(&c->who, s.sectors)) == 0) {
		store_survey_fini(&s);
		return cs_fail(e, CS_EPERM, "", "survey progress is for NISC and "
		    "the ministries of its sectors");
	}
	if ((rc = store_survey_orgs(c->st, id, &rows, &nr)) != CS_OK ||
	    (rc = store_org_find(c->st, ORG_CI_OPERATOR, scope, &ops, &no)) !=
	    CS_OK) {
		store_survey_orgs_free(rows, nr);
		store_survey_fini(&s);
		return cs_fail(e, rc, "", "store error");
	}
	resp = json_array();
	per = json_array();
	for (int k = 0; k < CS_NSECTORS; k++) {
		int total = 0, sub = 0, draft = 0;

		if (!(scope & (1u << k)))
			continue;
		for (size_t i = 0; i < no; i++) {
			const struct store_survey_org *r;

			if (!(ops[i].sectors & (1u << k)))
				continue;
			total++;
			r = org_row(rows, nr, ops[i].id);
			sub += r != NULL && r->state == 1;
			draft += r != NULL && r->state == 0;
		}
		json_array_append_new(per, json_pack("{s:s, s:i, s:i, s:i, s:i}",
		    "sector", core_sector_id(k), "operators", total, "submitted",
		    sub, "draft", draft, "not_started", total - sub - draft));
	}
	for (size_t i = 0; i < no; i++) {
		const struct store_survey_org *r = org_row(rows, nr, ops[i].id);

		json_array_append_new(resp, json_pack("{s:I, s:s, s:o, s:s, s:o, s:b}",
		    "org", (json_int_t)ops[i].id, "name", ops[i].name ? ops[i].name :
		    "", "sectors", sectors_json(ops[i].sectors & s.sectors), "state",
		    r == NULL ? "not_started" : r->state ? "submitted" : "draft",
		    "submitted_at", svc_time(r ? r->submitted_us : 0), "shared",
		    r != NULL && r->shared));
	}
	*out = json_pack("{s:o, s:o, s:o}", "survey", survey_json(&s), "sectors",
	    per, "respondents", resp);
	store_orgs_free(ops, no);
	store_survey_orgs_free(rows, nr);
	store_survey_fini(&s);
	if ((rc = audit(c, "survey.progress", id, NULL, e)) != CS_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- results ----------------------------------------------------------------- */

static json_t *
score_json(const struct survey_score *sc)
{
	json_t *cnt = json_object();

	for (int k = 1; k < SURVEY__COUNT; k++)
		json_object_set_new(cnt, survey_status_id(k),
		    json_integer(sc->count[k]));
	json_object_set_new(cnt, "unanswered", json_integer(sc->count[0]));
	return json_pack("{s:s?, s:i, s:i, s:o, s:o}", "category", sc->category,
	    "items", sc->items, "applicable", sc->applicable, "percent",
	    sc->percent < 0 ? json_null() : json_integer(sc->percent), "counts",
	    cnt);
}

/* answers a[0..n) of one org as the rules see them (pointers into a). */
static struct survey_answer *
rule_answers(const struct store_survey_answer *a, size_t n)
{
	struct survey_answer *r = xcalloc(n + 1, sizeof(*r));

	for (size_t i = 0; i < n; i++) {
		r[i].control = a[i].control;
		r[i].status = a[i].status;
	}
	return r;
}

static const struct survey_score *
find_cat(const struct survey_score *v, size_t n, const char *cat)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(v[i].category, cat) == 0)
			return &v[i];
	return NULL;
}

/* The operator's own results. */
static enum cs_err
own_results(struct svc_ctx *c, const struct store_survey *s, json_t **out,
    struct cs_error *e)
{
	struct store_survey_answer *a = NULL, *pa = NULL;
	struct survey_score sc[16], ps[16];
	struct survey_gap *gaps;
	struct survey_answer *ra, *pra = NULL;
	struct store_survey prev;
	size_t n = 0, pn = 0, nsc, nps = 0, ng;
	bool has_prev;
	json_t *cats, *gj, *items, *pj = json_null();
	enum cs_err rc;

	if ((rc = store_survey_answers(c->st, s->id, c->who.org_id, &a, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	memset(&prev, 0, sizeof(prev));
	rc = store_survey_prev(c->st, c->who.org_id, s->fiscal_year, s->id, &prev);
	if (rc != CS_OK && rc != CS_ENOENT) {
		store_survey_answers_free(a, n);
		return cs_fail(e, rc, "", "store error");
	}
	has_prev = rc == CS_OK;
	if (has_prev && (rc = store_survey_answers(c->st, prev.id, c->who.org_id,
	    &pa, &pn)) != CS_OK) {
		store_survey_answers_free(a, n);
		store_survey_fini(&prev);
		return cs_fail(e, rc, "", "store error");
	}
	ra = rule_answers(a, n);
	nsc = survey_scores(s->edition, ra, n, sc, 16);
	if (has_prev) {
		pra = rule_answers(pa, pn);
		nps = survey_scores(prev.edition, pra, pn, ps, 16);
	}
	cats = json_array();
	for (size_t i = 1; i < nsc; i++) {
		const struct survey_score *p = has_prev ? find_cat(ps, nps,
		    sc[i].category) : NULL;
		json_t *j = score_json(&sc[i]);

		json_object_set_new(j, "previous_percent", p && p->percent >= 0 ?
		    json_integer(p->percent) : json_null());
		json_object_set_new(j, "trend", p && p->percent >= 0 &&
		    sc[i].percent >= 0 ? json_integer(sc[i].percent - p->percent) :
		    json_null());
		json_array_append_new(cats, j);
	}
	gaps = xcalloc(vocab_controls_n + 1, sizeof(*gaps));
	ng = survey_gaps(s->edition, ra, n, gaps, vocab_controls_n);
	gj = json_array();
	for (size_t i = 0; i < ng; i++) {
		const char *pst = NULL;

		/*
		 * last time's status of the same control, or on another edition
		 * of its counterparts (the catalogue's related links; of several,
		 * the one furthest along the status enum)
		 */
		for (size_t j = 0; has_prev && j < pn; j++) {
			const struct vocab_control *pc = vocab_control_find(
			    prev.edition, pa[j].control);

			if ((strcmp(prev.edition, s->edition) == 0 ?
			    pc == gaps[i].c : survey_related(pc, gaps[i].c)) &&
			    (pst == NULL ||
			    survey_status_parse(pst) < pa[j].status))
				pst = survey_status_id(pa[j].status);
		}
		json_array_append_new(gj, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, "
		    "s:s, s:s, s:s?}", "rank", gaps[i].rank, "control", gaps[i].c->id,
		    "number", gaps[i].c->number, "title_ja", gaps[i].c->title_ja,
		    "title_en", gaps[i].c->title_en, "category", gaps[i].c->category,
		    "status", gaps[i].status ? survey_status_id(gaps[i].status) :
		    "unanswered", "requirement_level",
		    gaps[i].c->level == VOCAB_CL_MANDATORY ? "mandatory" :
		    gaps[i].c->level == VOCAB_CL_MIXED ? "mixed" :
		    gaps[i].c->level == VOCAB_CL_RECOMMENDED ? "recommended" :
		    "informative", "previous_status", pst));
	}
	free(gaps);
	items = answers_json(a, n);
	if (has_prev) {
		json_t *pc = json_array();

		for (size_t i = 1; i < nps; i++)
			json_array_append_new(pc, score_json(&ps[i]));
		pj = json_pack("{s:o, s:o, s:o}", "survey", survey_json(&prev),
		    "overall", score_json(&ps[0]), "categories", pc);
	}
	*out = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "view", "operator",
	    "survey", survey_json(s), "overall", score_json(&sc[0]), "categories",
	    cats, "gaps", gj, "answers", items, "previous", pj);
	json_object_set_new(json_object_get(*out, "overall"), "trend", has_prev &&
	    ps[0].percent >= 0 && sc[0].percent >= 0 ?
	    json_integer(sc[0].percent - ps[0].percent) : json_null());
	free(ra);
	free(pra);
	store_survey_answers_free(a, n);
	store_survey_answers_free(pa, pn);
	store_survey_fini(&prev);
	return CS_OK;
}

/* One organisation's scores, for the aggregates. */
struct resp {
	int64_t			 org;
	uint32_t		 sectors;
	struct survey_score	 sc[16];
	size_t			 nsc;
};

/* Aggregate of the respondents of `mask` (any of its sectors). */
static json_t *
aggregate(const struct resp *r, size_t nr, uint32_t mask, int k,
    bool *suppressed)
{
	int n = 0, sum = 0, nsum = 0, dist[SURVEY_BUCKETS] = { 0 };
	json_t *cats = json_array(), *dj = json_array();

	for (size_t i = 0; i < nr; i++)
		n += (r[i].sectors & mask) != 0;
	*suppressed = n < k;
	if (*suppressed) {
		json_decref(cats);
		json_decref(dj);
		return NULL;
	}
	for (size_t i = 0; i < nr; i++) {
		if (!(r[i].sectors & mask) || r[i].sc[0].percent < 0)
			continue;
		sum += r[i].sc[0].percent;
		nsum++;
		dist[survey_bucket(r[i].sc[0].percent)]++;
	}
	for (int b = 0; b < SURVEY_BUCKETS; b++)
		json_array_append_new(dj, json_integer(dist[b]));
	/* per category: the mean and the answers by status */
	for (size_t ci = 1; nr > 0 && ci < r[0].nsc; ci++) {
		int csum = 0, cn = 0, cnt[SURVEY__COUNT] = { 0 };
		json_t *cj = json_object();

		for (size_t i = 0; i < nr; i++) {
			if (!(r[i].sectors & mask))
				continue;
			if (r[i].sc[ci].percent >= 0) {
				csum += r[i].sc[ci].percent;
				cn++;
			}
			for (int s = 0; s < SURVEY__COUNT; s++)
				cnt[s] += r[i].sc[ci].count[s];
		}
		for (int s = 1; s < SURVEY__COUNT; s++)
			json_object_set_new(cj, survey_status_id(s), json_integer(cnt[s]));
		json_array_append_new(cats, json_pack("{s:s, s:o, s:o}", "category",
		    r[0].sc[ci].category, "mean_percent", cn ?
		    json_integer((csum + cn / 2) / cn) : json_null(), "counts", cj));
	}
	return json_pack("{s:i, s:o, s:o, s:o}", "respondents", n, "mean_percent",
	    nsum ? json_integer((sum + nsum / 2) / nsum) : json_null(),
	    "distribution", dj, "categories", cats);
}

/* NISC and the ministries: the aggregates of their sectors. */
static enum cs_err
sector_results(struct svc_ctx *c, const struct store_survey *s, uint32_t scope,
    json_t **out, struct cs_error *e)
{
	struct store_survey_answer *a = NULL;
	struct store_org *ops = NULL;
	struct resp *r;
	size_t n = 0, no = 0, nr = 0, i, j;
	int k = stats_k(c), hidden = 0, *ni;
	bool sup;
	json_t *secs = json_array(), *all, *top;
	enum cs_err rc;

	if ((rc = store_survey_answers(c->st, s->id, 0, &a, &n)) != CS_OK ||
	    (rc = store_org_find(c->st, ORG_CI_OPERATOR, scope, &ops, &no)) != CS_OK) {
		store_survey_answers_free(a, n);
		json_decref(secs);
		return cs_fail(e, rc, "", "store error");
	}
	r = xcalloc(no + 1, sizeof(*r));
	/* One respondent per submitted organisation of the scope. */
	for (i = 0; i < n; i = j) {
		const struct store_org *o = NULL;

		for (j = i; j < n && a[j].org == a[i].org; j++)
			;
		for (size_t m = 0; m < no && o == NULL; m++)
			if (ops[m].id == a[i].org)
				o = &ops[m];
		if (o == NULL || nr >= no)
			continue;
		{
			struct survey_answer *ra = rule_answers(&a[i], j - i);

			r[nr].org = o->id;
			r[nr].sectors = o->sectors & scope;
			r[nr].nsc = survey_scores(s->edition, ra, j - i, r[nr].sc, 16);
			free(ra);
			nr++;
		}
	}
	for (int x = 0; x < CS_NSECTORS; x++) {
		json_t *g;

		if (!(scope & (1u << x)))
			continue;
		g = aggregate(r, nr, 1u << x, k, &sup);
		if (sup) {
			hidden++;
			json_array_append_new(secs, json_pack("{s:s, s:b}", "sector",
			    core_sector_id(x), "suppressed", 1));
			continue;
		}
		json_object_set_new(g, "sector", json_string(core_sector_id(x)));
		json_object_set_new(g, "suppressed", json_false());
		json_array_append_new(secs, g);
	}
	all = aggregate(r, nr, scope, k, &sup);
	/* the items most often not implemented (only above k respondents) */
	top = json_array();
	ni = xcalloc(vocab_controls_n + 1, sizeof(*ni));
	for (i = 0; !sup && i < n; i++) {
		const struct vocab_control *vc;
		bool in = false;

		for (size_t m = 0; m < nr && !in; m++)
			in = r[m].org == a[i].org;
		if (in && a[i].status == SURVEY_NOT_IMPLEMENTED &&
		    (vc = vocab_control_find(s->edition, a[i].control)) != NULL)
			ni[vc - vocab_controls]++;
	}
	for (int t = 0; !sup && t < TOP_ITEMS; t++) {
		size_t best = 0;

		for (i = 1; i < vocab_controls_n; i++)
			if (ni[i] > ni[best])
				best = i;
		if (ni[best] == 0)
			break;
		json_array_append_new(top, json_pack("{s:s, s:s, s:s, s:s, s:i}",
		    "control", vocab_controls[best].id, "number",
		    vocab_controls[best].number, "title_ja",
		    vocab_controls[best].title_ja, "title_en",
		    vocab_controls[best].title_en, "not_implemented", ni[best]));
		ni[best] = 0;
	}
	free(ni);
	*out = json_pack("{s:s, s:o, s:i, s:i, s:o, s:o, s:o}", "view", "sectors",
	    "survey", survey_json(s), "k", k, "suppressed", hidden, "sectors", secs,
	    "overall", sup ? json_pack("{s:b}", "suppressed", 1) : all,
	    "top_not_implemented", top);
	if (!sup)
		json_object_set_new(all, "suppressed", json_false());
	free(r);
	store_orgs_free(ops, no);
	store_survey_answers_free(a, n);
	return CS_OK;
}

enum cs_err
svc_survey_results(struct svc_ctx *c, int64_t id, json_t **out,
    struct cs_error *e)
{
	struct store_survey s;
	uint32_t scope;
	enum cs_err rc;

	*out = NULL;
	if ((rc = load_visible(c, id, &s, e)) != CS_OK)
		return rc;
	if (policy_survey_may_answer(&c->who, s.sectors))
		rc = own_results(c, &s, out, e);
	else if ((scope = policy_survey_oversight(&c->who, s.sectors)) != 0)
		rc = sector_results(c, &s, scope, out, e);
	else
		rc = cs_fail(e, CS_EPERM, "", "results are for the operators, the "
		    "ministries and NISC");
	store_survey_fini(&s);
	if (rc == CS_OK && (rc = audit(c, "survey.results", id, NULL, e)) != CS_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

enum cs_err
svc_survey_respondent(struct svc_ctx *c, int64_t id, int64_t org, json_t **out,
    struct cs_error *e)
{
	struct store_survey_answer *a = NULL;
	struct store_survey_org row;
	struct store_survey s;
	struct store_org o;
	size_t n = 0;
	enum cs_err rc;

	if ((rc = load_visible(c, id, &s, e)) != CS_OK)
		return rc;
	store_survey_fini(&s);
	memset(&row, 0, sizeof(row));
	if (store_org_get(c->st, org, &o) != CS_OK)
		return cs_fail(e, CS_ENOENT, "", "no such respondent");
	if (store_survey_org_get(c->st, id, org, &row) != CS_OK ||
	    !policy_survey_answers_may_read(&c->who, org, o.sectors, row.shared)) {
		store_org_fini(&o);
		return cs_fail(e, CS_ENOENT, "", "no such respondent");
	}
	if ((rc = store_survey_answers(c->st, id, org, &a, &n)) != CS_OK) {
		store_org_fini(&o);
		return cs_fail(e, rc, "", "store error");
	}
	*out = json_pack("{s:I, s:s, s:s, s:b, s:o, s:o}", "org", (json_int_t)org,
	    "name", o.name ? o.name : "", "state", row.state ? "submitted" : "draft",
	    "shared", row.shared, "submitted_at", svc_time(row.submitted_us),
	    "answers", answers_json(a, n));
	store_survey_answers_free(a, n);
	store_org_fini(&o);
	if ((rc = audit(c, "survey.respondent", id, json_pack("{s:I}", "org",
	    (json_int_t)org), e)) != CS_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
