/*
 * advisories.c: 情報提供 — POST /advisories, /followups, /approve, /relay,
 * /ack, GET one and list, the inbox, public CLEAR advisories, and the
 * scope-widening requests on reports (API.md "Advisories").
 *
 * Handlers parse the request, call svc (src/svc/advisory.c and
 * widening.c: the operations and the one loader of an advisory's access
 * facts) and render.  Who reads what is core's policy_advisory_*.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "svc/svc_drill.h"
#include "gen/vocab.h"
#include "svc/svc_adv.h"
#include "svc/svc_widening.h"

/* Load the advisory of the path's :id for the caller (absent if invisible). */
static enum cs_err
load(struct api_req *q, struct svc_ctx *c, struct svc_adv *x,
    struct cs_error *e)
{
	api_svc_ctx(q, c);
	return svc_adv_load_visible(c, q->ids[0], x, e);
}

static enum cs_err
id_list(json_t *body, const char *key, int64_t **ids, size_t *n,
    struct cs_error *e)
{
	json_t *v = json_object_get(body, key);

	*ids = NULL;
	*n = 0;
	if (v == NULL || json_is_null(v))
		return CS_OK;
	return api_id_array(v, key, ids, n, e);
}

/* related_reports and consented_sources of a create or follow-up body. */
static enum cs_err
sources_in(struct api_req *q, struct svc_adv_in *in, int64_t **rel,
    int64_t **cons, struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = id_list(q->body, "related_reports", rel, &in->nrelated,
	    e)) != CS_OK ||
	    (rc = id_list(q->body, "consented_sources", cons, &in->nconsented,
	    e)) != CS_OK)
		return rc;
	in->related = *rel;
	in->consented = *cons;
	return CS_OK;
}

static json_t *
out_json(const struct svc_adv_out *o, bool version)
{
	json_t *j = json_pack("{s:I, s:o, s:s}", "id", (json_int_t)o->id,
	    "identification_number", api_adv_ident_json(o->t_number, o->version),
	    "state", core_adv_state_id(o->state));

	if (version)
		json_object_set_new(j, "version", json_integer(o->version));
	return j;
}

/* ---- POST /advisories ----------------------------------------------------- */

static enum cs_err
advisories_create(struct api_req *q, struct cs_error *e)
{
	struct svc_adv_in in;
	struct svc_adv_out out;
	struct svc_ctx c;
	int64_t *rel = NULL, *cons = NULL;
	enum cs_err rc;

	memset(&in, 0, sizeof(in));
	if ((rc = api_bool_arg(q->body, "urgent", false, &in.urgent,
	    e)) != CS_OK)
		return rc;
	in.form = json_object_get(q->body, "form");
	if ((rc = svc_adv_issue_check(&in, e)) != CS_OK)
		return rc;
	in.checked = true;
	api_svc_ctx(q, &c);
	if ((rc = svc_drill_arg(&c, q->body, &in.drill, e)) != CS_OK)
		return rc;
	if ((rc = sources_in(q, &in, &rel, &cons, e)) != CS_OK ||
	    (rc = svc_adv_issue(&c, &in, &out, e)) != CS_OK)
		goto out;
	api_svc_done(q, &c);
	q->status = 201;
	q->out = out_json(&out, true);
out:
	free(rel);
	free(cons);
	return rc;
}

/* ---- POST /advisories/{id}/approve -------------------------------------- */

static enum cs_err
advisories_approve(struct api_req *q, struct cs_error *e)
{
	struct svc_adv x;
	struct svc_adv_out out;
	struct svc_ctx c;
	enum cs_err rc;

	if ((rc = load(q, &c, &x, e)) != CS_OK)
		return rc;
	if ((rc = svc_adv_approve(&c, &x, &out, e)) != CS_OK)
		goto out;
	api_svc_done(q, &c);
	q->status = 200;
	q->out = out_json(&out, false);
out:
	svc_adv_fini(&x);
	return rc;
}

/* ---- POST /advisories/{id}/followups ------------------------------------ */

static enum cs_err
advisories_followup(struct api_req *q, struct cs_error *e)
{
	struct svc_adv x;
	struct svc_adv_in in;
	struct svc_adv_out out;
	struct svc_ctx c;
	int64_t *rel = NULL, *cons = NULL;
	enum cs_err rc;

	memset(&in, 0, sizeof(in));
	if ((rc = load(q, &c, &x, e)) != CS_OK)
		return rc;
	in.form = json_object_get(q->body, "form");
	if ((rc = core_advisory_form_validate(in.form, "form", e)) != CS_OK)
		goto out;
	in.checked = true;
	if ((rc = sources_in(q, &in, &rel, &cons, e)) != CS_OK ||
	    (rc = svc_adv_followup(&c, &x, &in, &out, e)) != CS_OK)
		goto out;
	api_svc_done(q, &c);
	q->status = 201;
	q->out = json_pack("{s:I, s:i, s:o, s:s}", "id", (json_int_t)out.id,
	    "version", out.version, "identification_number",
	    api_adv_ident_json(out.t_number, out.version), "state",
	    core_adv_state_id(out.state));
out:
	free(rel);
	free(cons);
	svc_adv_fini(&x);
	return rc;
}

/*
 * An optional (required: must be there) comment of at most CS_MAX_TEXT
 * characters; "" counts as none.
 */
static enum cs_err
comment_arg(json_t *body, bool required, const char **out,
    struct cs_error *e)
{
	json_t *v = json_object_get(body, "comment");
	long n;

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return cs_fail(e, CS_EINVAL, "comment", "required field is "
			    "missing");
		return CS_OK;
	}
	if (!json_is_string(v) || (n = cs_utf8_len(json_string_value(v),
	    json_string_length(v))) < 0 || n > CS_MAX_TEXT)
		return cs_fail(e, CS_EINVAL, "comment", "must be text of at most "
		    "%d characters", CS_MAX_TEXT);
	if (n == 0 && required)
		return cs_fail(e, CS_EINVAL, "comment", "must not be empty");
	if (n > 0)
		*out = json_string_value(v);
	return CS_OK;
}

/* ---- POST /advisories/{id}/return: 差戻し ------------------------------- */

static enum cs_err
advisories_return(struct api_req *q, struct cs_error *e)
{
	struct svc_adv x;
	struct svc_adv_out out;
	struct svc_ctx c;
	const char *comment;
	enum cs_err rc;

	if ((rc = comment_arg(q->body, true, &comment, e)) != CS_OK)
		return rc;
	if ((rc = load(q, &c, &x, e)) != CS_OK)
		return rc;
	if ((rc = svc_adv_return(&c, &x, comment, &out, e)) != CS_OK)
		goto out;
	api_svc_done(q, &c);
	q->status = 200;
	q->out = out_json(&out, true);
	json_object_set_new(q->out, "comment", json_string(comment));
out:
	svc_adv_fini(&x);
	return rc;
}

/* ---- POST /advisories/{id}/remind: 督促 ---------------------------------- */

static enum cs_err
advisories_remind(struct api_req *q, struct cs_error *e)
{
	struct svc_adv x;
	struct svc_ctx c;
	int64_t *orgs = NULL, *done = NULL;
	size_t norgs = 0, ndone = 0;
	enum cs_err rc;

	if (q->body != NULL && (rc = id_list(q->body, "orgs", &orgs, &norgs,
	    e)) != CS_OK)
		return rc;
	if ((rc = load(q, &c, &x, e)) != CS_OK) {
		free(orgs);
		return rc;
	}
	if ((rc = svc_adv_remind_some(&c, &x, orgs, norgs, &done, &ndone,
	    e)) != CS_OK)
		goto out;
	api_svc_done(q, &c);
	q->status = 200;
	q->out = json_pack("{s:I, s:o}", "id", (json_int_t)x.a.id,
	    "reminded", svc_ids_json(done, ndone));
out:
	free(orgs);
	free(done);
	svc_adv_fini(&x);
	return rc;
}

/* ---- POST /advisories/{id}/relay ---------------------------------------- */

static enum cs_err
advisories_relay(struct api_req *q, struct cs_error *e)
{
	struct svc_adv x;
	struct svc_ctx c;
	int64_t *to = NULL;
	size_t nto = 0;
	const char *comment;
	bool acked;
	enum cs_err rc;

	if ((rc = comment_arg(q->body, false, &comment, e)) != CS_OK ||
	    (rc = api_to_list(q, &to, &nto, e)) != CS_OK)
		return rc;
	if ((rc = load(q, &c, &x, e)) != CS_OK) {
		free(to);
		return rc;
	}
	if ((rc = svc_adv_relay(&c, &x, to, nto, e)) != CS_OK ||
	    (rc = svc_adv_relay_after(&c, &x, comment, &acked, e)) != CS_OK)
		goto out;
	api_svc_done(q, &c);
	q->status = 200;
	q->out = json_pack("{s:I, s:o, s:o, s:b}", "id", (json_int_t)x.a.id,
	    "delivered_to", svc_ids_json(to, nto), "comment", comment ?
	    json_string(comment) : json_null(), "acknowledged", acked ||
	    (svc_adv_delivery(&x, q->who.org_id) != NULL &&
	    svc_adv_delivery(&x, q->who.org_id)->ack_us != 0));
out:
	free(to);
	svc_adv_fini(&x);
	return rc;
}

/* ---- POST /advisories/{id}/ack ------------------------------------------ */

static enum cs_err
advisories_ack(struct api_req *q, struct cs_error *e)
{
	struct svc_adv x;
	struct svc_ctx c;
	int64_t at;
	enum cs_err rc;

	if ((rc = load(q, &c, &x, e)) != CS_OK)
		return rc;
	if ((rc = svc_adv_ack(&c, &x, &at, e)) == CS_OK) {
		q->status = 200;
		q->out = json_pack("{s:I, s:I, s:o}", "id", (json_int_t)x.a.id,
		    "org", (json_int_t)q->who.org_id, "acknowledged_at",
		    api_time(at));
	}
	svc_adv_fini(&x);
	return rc;
}

/* ---- GET ------------------------------------------------------------------ */

/*
 * GET /advisories/{id} as JSON (also the input of its STIX form,
 * api/stix.c); with review, the source review the caller may see (or NULL).
 */
enum cs_err
api_adv_get_json(struct api_req *q, json_t **out, json_t **review,
    struct cs_error *e)
{
	struct svc_adv x;
	struct svc_ctx c;
	enum cs_err rc;

	if ((rc = load(q, &c, &x, e)) != CS_OK)
		return rc;
	if ((rc = svc_adv_read(&c, &x, e)) == CS_OK) {
		if (review != NULL)
			*review = api_adv_review_json(q, &c, &x);
		*out = api_adv_json(q, &x, true);
	}
	svc_adv_fini(&x);
	return rc;
}

/* ---- source review (policy.md "No oracle") ------------------------------- */

/* POST /advisories/{id}/source-review {"decision", "comment"} */
static enum cs_err
advisories_source_review(struct api_req *q, struct cs_error *e)
{
	struct svc_adv_review_in in;
	struct svc_adv_out out;
	struct svc_adv x;
	struct svc_ctx c;
	json_t *v;
	const char *d;
	enum cs_err rc;

	memset(&in, 0, sizeof(in));
	v = json_object_get(q->body, "decision");
	d = json_string_value(v);
	if (v == NULL)
		return cs_fail(e, CS_EINVAL, "decision", "required field is missing");
	if (d == NULL || (strcmp(d, "approve") != 0 && strcmp(d, "refuse") != 0))
		return cs_fail(e, CS_EINVAL, "decision", "must be approve or refuse");
	in.approve = strcmp(d, "approve") == 0;
	v = json_object_get(q->body, "comment");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v) || cs_utf8_len(json_string_value(v),
		    json_string_length(v)) < 0 || cs_utf8_len(json_string_value(v),
		    json_string_length(v)) > CS_MAX_TEXT)
			return cs_fail(e, CS_EINVAL, "comment", "must be text of at "
			    "most %d characters", CS_MAX_TEXT);
		if (json_string_length(v) > 0)
			in.comment = json_string_value(v);
	}
	if ((rc = load(q, &c, &x, e)) != CS_OK)
		return rc;
	if ((rc = svc_adv_source_review(&c, &x, &in, &out, e)) != CS_OK)
		goto out;
	api_svc_done(q, &c);
	q->status = 200;
	q->out = json_pack("{s:I, s:o, s:i, s:s, s:s}", "id", (json_int_t)out.id,
	    "identification_number", api_adv_ident_json(out.t_number,
	    out.version), "version", out.version, "state",
	    core_adv_state_id(out.state), "decision", in.approve ? "approved" :
	    "refused");
out:
	svc_adv_fini(&x);
	return rc;
}

/* GET /source-reviews?state=pending|approved|refused: the caller's own. */
static enum cs_err
source_reviews(struct api_req *q, struct cs_error *e)
{
	static const char *const states[] = { "pending", "approved", "refused" };
	const char *sq = q->query(q->conn, "state");
	struct store_adv_review *v = NULL;
	struct svc_ctx c;
	struct api_page p;
	size_t n = 0;
	int st = -1;
	enum cs_err rc;

	for (int i = 0; i < 3; i++)
		if (sq == NULL ? i == 0 : strcmp(sq, states[i]) == 0)
			st = i;
	if (st < 0)
		return cs_fail(e, CS_EINVAL, "state", "must be pending, approved "
		    "or refused");
	if ((rc = api_page_begin(q, &p, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	if ((rc = store_adv_review_by_org(q->st, q->who.org_id,
	    (enum store_review_state)st, p.cursor, p.limit + 1, &v,
	    &n)) != CS_OK) {
		api_page_fini(&p);
		return cs_fail(e, rc, "", "store error");
	}
	for (size_t i = 0; i < n && !api_page_full(&p); i++) {
		struct svc_adv x;
		struct cs_error le;
		json_t *it;

		if (svc_adv_load(&c, v[i].advisory, &x, &le) != CS_OK)
			continue;
		if (policy_advisory_may_review(&q->who, &x.acl)) {
			it = api_adv_review_row_json(q, &v[i]);
			json_object_set_new(it, "item", api_adv_item_json(q, &x,
			    NULL, NULL));
			api_page_add(&p, it, v[i].id);
		}
		svc_adv_fini(&x);
	}
	store_adv_reviews_free(v, n);
	return api_page_end(q, &p);
}

static enum cs_err
advisories_get(struct api_req *q, struct cs_error *e)
{
	json_t *sr = NULL;
	enum cs_err rc;

	if ((rc = api_adv_get_json(q, &q->out, &sr, e)) == CS_OK) {
		/* The source review is the GET's only: never in the STIX form. */
		if (sr != NULL)
			json_object_set_new(q->out, "source_review", sr);
		q->status = 200;
	}
	return rc;
}

/* GET /inbox?filter=unread|unacknowledged */
static enum cs_err
inbox(struct api_req *q, struct cs_error *e)
{
	const char *filter = q->query(q->conn, "filter");
	const char *dq = q->query(q->conn, "drill");
	int64_t drill = 0;
	struct svc_ctx c;
	struct store_delivery *d = NULL;
	struct api_page p;
	struct api_raws raws = { NULL, 0, 0 };
	size_t n = 0;
	json_t *seen;
	enum cs_err rc;

	if ((rc = api_page_begin(q, &p, e)) != CS_OK)
		return rc;
	if (filter != NULL && strcmp(filter, "unread") != 0 &&
	    strcmp(filter, "unacknowledged") != 0)
		return cs_fail(e, CS_EINVAL, "filter", "must be unread or "
		    "unacknowledged");
	/* ?drill=ID: that drill's; ?drill=all: every drill's; none: production. */
	if (dq != NULL && strcmp(dq, "all") == 0)
		drill = -1;
	else if (dq != NULL && cs_str_to_i64(dq, 1, INT64_MAX, &drill) != CS_OK)
		return cs_fail(e, CS_EINVAL, "drill", "a drill id or all");
	api_svc_ctx(q, &c);
	seen = json_array();
	for (;;) {
		/* A page and one more (to know whether there is more). */
		if ((rc = store_delivery_inbox(q->st, q->who.org_id, p.cursor,
		    p.limit + 1, &d, &n)) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
		/* The page's advisories in one round trip (PostgreSQL). */
		if (n > 0) {
			int64_t *ids = xcalloc(n, sizeof(*ids));

			for (size_t i = 0; i < n; i++)
				ids[i] = d[i].advisory;
			store_drill_prefetch(q->st, DRILL_ITEM_ADVISORY, ids, n);
			store_adv_prefetch(q->st, ids, n);
			free(ids);
		}
		for (size_t i = 0; i < n && !api_page_full(&p); i++) {
			struct svc_adv x;
			struct cs_error le;

			p.cursor = d[i].id;
			if ((filter && strcmp(filter, "unread") == 0 && d[i].read_us) ||
			    (filter && strcmp(filter, "unacknowledged") == 0 &&
			    d[i].ack_us))
				continue;
			/* A drill's advisories stay out of the production inbox. */
			{
				int64_t of = svc_drill_of(&c, DRILL_ITEM_ADVISORY,
				    d[i].advisory);

				if (drill < 0 ? of == 0 : of != drill)
					continue;
			}
			if (svc_adv_load_for(&c, d[i].advisory, q->who.org_id,
			    &d[i], &x, &le) != CS_OK)
				continue;
			if (policy_advisory_may_read(&q->who, &x.acl)) {
				api_page_add(&p, api_adv_item_json(q, &x, &d[i],
				    &raws),
				    d[i].id);
				json_array_append_new(seen, json_integer(x.a.id));
			}
			svc_adv_fini(&x);
		}
		free(d);
		if (p.more || n < (size_t)p.limit + 1)
			break;
	}
	if (json_array_size(seen) > 0 && (rc = api_audit(q, "inbox.read", NULL,
	    json_pack("{s:O}", "advisories", seen), false)) != CS_OK) {
		rc = cs_fail(e, rc, "", "audit failed");
		goto out;
	}
	/* The stored summaries go into the answer as they are. */
	rc = api_page_end_raws(q, &p, &raws);
out:
	api_page_fini(&p);
	api_raws_fini(&raws);
	json_decref(seen);
	return rc;
}

/* GET /advisories: NISC sees every advisory; others what was delivered to them. */
static enum cs_err
advisories_list(struct api_req *q, struct cs_error *e)
{
	struct store_advisory *v;
	struct svc_ctx c;
	struct api_page p;
	size_t n;
	enum cs_err rc;

	if (q->who.org_type != ORG_NISC)
		return inbox(q, e);
	if ((rc = api_page_begin(q, &p, e)) != CS_OK)
		return rc;
	if ((rc = store_adv_list(q->st, p.cursor, p.limit + 1, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	api_svc_ctx(q, &c);
	for (size_t i = 0; i < n && !api_page_full(&p); i++) {
		struct svc_adv x;
		struct cs_error le;

		if (svc_adv_load(&c, v[i].id, &x, &le) != CS_OK)
			continue;
		if (policy_advisory_may_read(&q->who, &x.acl)) {
			json_t *it = api_adv_item_json(q, &x, NULL, NULL);
			json_t *dj = api_adv_delivery_json(q, &x);

			json_object_set(it, "delivery_summary", json_object_get(dj,
			    "summary"));
			json_decref(dj);
			api_page_add(&p, it, v[i].id);
		}
		svc_adv_fini(&x);
	}
	free(v);
	return api_page_end(q, &p);
}

/*
 * The form as the public sees it: the 連絡先 is NISC itself, never the
 * drafting analyst (their name, login, phone or e-mail) — the 様式 says
 * inquiries come from CI ministries only, and they read the advisory
 * itself, where the contact stays.
 */
static json_t *
public_form(const char *text)
{
	json_t *f = json_loads(text, 0, NULL);

	if (json_is_object(f) && json_object_get(f, "nisc_contact") != NULL)
		json_object_set_new(f, "nisc_contact", json_pack("{s:s}",
		    "contact_person", vocab_org[VOCAB_ORG_NISC].label_ja));
	return f;
}

/* GET /public/advisories: issued TLP:CLEAR advisories, no login. */
static enum cs_err
public_advisories(struct api_req *q, struct cs_error *e)
{
	struct store_advisory *v;
	struct svc_ctx c;
	struct api_page p;
	size_t n;
	enum cs_err rc;

	if ((rc = api_page_begin(q, &p, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	for (;;) {
		if ((rc = store_adv_list(q->st, p.cursor, 200, &v, &n)) != CS_OK) {
			api_page_fini(&p);
			return cs_fail(e, rc, "", "store error");
		}
		for (size_t i = 0; i < n && !api_page_full(&p); i++) {
			struct cs_advisory_acl acl;
			struct svc_adv x;
			struct cs_error le;

			p.cursor = v[i].id;
			svc_adv_acl(&v[i], NULL, 0, &acl);
			if (!policy_advisory_public(&acl) ||
			    svc_adv_load(&c, v[i].id, &x, &le) != CS_OK)
				continue;
			api_page_add(&p, json_pack("{s:I, s:o, s:s, s:o, s:o, s:o}",
			    "id", (json_int_t)x.a.id, "identification_number",
			    api_adv_ident_json(x.a.t_number, x.a.nversions), "tlp",
			    "clear", "importance", x.a.importance ? json_string(
			    core_importance_id(x.a.importance)) : json_null(),
			    "issued_at", api_time(x.a.issued_us), "form",
			    public_form(x.v[x.nv - 1].form)), x.a.id);
			svc_adv_fini(&x);
		}
		free(v);
		if (p.more || n < 200)
			break;
	}
	return api_page_end(q, &p);
}

/* ---- widening requests --------------------------------------------------- */

static json_t *
widening_json(const struct store_widening *w)
{
	static const char *states[] = { "pending", "approved", "refused" };

	return json_pack("{s:I, s:I, s:s, s:o, s:s?, s:s, s:o, s:o, s:I}",
	    "id", (json_int_t)w->id, "report", (json_int_t)w->report,
	    "tlp", core_tlp_id(w->tlp), "sectors",
	    api_bits_json(w->sectors, CS_NSECTORS, core_sector_id),
	    "reason", w->reason, "state", states[w->state],
	    "created_at", api_time(w->created_us),
	    "decided_at", api_time(w->decided_us),
	    "requested_by_org", (json_int_t)w->by_org);
}

static enum cs_err
widening_create(struct api_req *q, struct cs_error *e)
{
	struct svc_report x;
	struct store_widening w;
	struct svc_ctx c;
	json_t *v;
	enum cs_err rc;

	memset(&w, 0, sizeof(w));
	v = json_object_get(q->body, "tlp");
	if (v == NULL)
		return cs_fail(e, CS_EINVAL, "tlp", "required field is missing");
	if (!json_is_string(v) || core_tlp_parse(json_string_value(v), &w.tlp) != 0)
		return cs_fail(e, CS_EINVAL, "tlp", "must be a TLP level id");
	v = json_object_get(q->body, "sectors");
	if (v != NULL && !json_is_null(v) &&
	    (rc = api_sectors_arg(v, &w.sectors, e)) != CS_OK)
		return rc;
	v = json_object_get(q->body, "reason");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v) || cs_utf8_len(json_string_value(v),
		    json_string_length(v)) < 0 || json_string_length(v) > 3 * CS_MAX_TEXT)
			return cs_fail(e, CS_EINVAL, "reason", "must be text");
		w.reason = (char *)json_string_value(v);
	}
	api_svc_ctx(q, &c);
	if ((rc = svc_report_load_visible(&c, q->ids[0], 0, &x, e)) != CS_OK)
		return rc;
	if ((rc = svc_widening_request(&c, &x, &w, e)) != CS_OK)
		goto out;
	q->status = 201;
	q->out = json_pack("{s:I, s:s}", "id", (json_int_t)w.id, "state", "pending");
out:
	svc_report_fini(&x);
	return rc;
}

static enum cs_err
widening_decide(struct api_req *q, struct cs_error *e, bool approve)
{
	struct svc_widening x;
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_widening_load(&c, q->ids[0], &x, e)) != CS_OK)
		return rc;
	if ((rc = svc_widening_decide(&c, &x, approve, e)) != CS_OK)
		goto out;
	q->status = 200;
	q->out = widening_json(&x.w);
out:
	svc_widening_fini(&x);
	return rc;
}

static enum cs_err
widening_approve(struct api_req *q, struct cs_error *e)
{
	return widening_decide(q, e, true);
}

static enum cs_err
widening_refuse(struct api_req *q, struct cs_error *e)
{
	return widening_decide(q, e, false);
}

/* GET /widening-requests: NISC sees all; a source (or secretariat) its own. */
static enum cs_err
widening_list(struct api_req *q, struct cs_error *e)
{
	struct store_widening *w;
	struct svc_ctx c;
	struct api_page p;
	size_t n;
	enum cs_err rc;

	if ((rc = api_page_begin(q, &p, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	for (;;) {
		if ((rc = store_widening_list(q->st, 0, p.cursor, 200, &w,
		    &n)) != CS_OK) {
			api_page_fini(&p);
			return cs_fail(e, rc, "", "store error");
		}
		for (size_t i = 0; i < n && !api_page_full(&p); i++) {
			struct svc_report x;
			struct cs_error le;
			bool show;

			p.cursor = w[i].id;
			if (svc_report_load(&c, w[i].report, 0, &x, &le) != CS_OK)
				continue;
			show = svc_widening_visible(&c, &x.acl);
			if (show) {
				json_t *wj = widening_json(&w[i]);
				char idb[40];

				core_report_ident(x.r.r_number, 1, idb, sizeof(idb));
				json_object_set_new(wj, "report_identification_number",
				    idb[0] ? json_string(idb) : json_null());
				api_page_add(&p, wj, w[i].id);
			}
			svc_report_fini(&x);
		}
		store_widenings_free(w, n);
		if (p.more || n < 200)
			break;
	}
	return api_page_end(q, &p);
}

/*
 * Inbox events after `after` visible to the caller, as SSE-ready JSON
 * objects {"seq", "kind", "item"}; used by the live inbox in src/http.
 * The policy answers for q->who, event by event.
 */
enum cs_err
api_inbox_events(struct api_req *q, int64_t after, int limit, json_t **out,
    int64_t *last, bool *more, json_t **ids, struct cs_error *e)
{
	struct store_event *ev;
	struct svc_ctx c;
	size_t n;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	*out = json_array();
	*ids = json_array();
	*last = after;
	*more = false;
	if ((rc = store_event_list(q->st, q->who.org_id, after, limit, &ev, &n)) != CS_OK) {
		json_decref(*out);
		json_decref(*ids);
		*out = *ids = NULL;
		return cs_fail(e, rc, "", "store error");
	}
	*more = limit > 0 && n == (size_t)limit;
	for (size_t i = 0; i < n; i++) {
		struct svc_adv x;
		struct cs_error le;
		const struct store_delivery *d = NULL;

		*last = ev[i].seq;
		if (svc_adv_load_for(&c, ev[i].advisory, q->who.org_id, NULL,
		    &x, &le) != CS_OK)
			continue;
		for (size_t k = 0; k < x.nd; k++)
			if (x.d[k].org == q->who.org_id)
				d = &x.d[k];
		if (policy_advisory_may_read(&q->who, &x.acl)) {
			json_array_append_new(*out, json_pack("{s:I, s:s, s:o}",
			    "seq", (json_int_t)ev[i].seq, "kind", ev[i].kind,
			    "item", api_adv_item_json(q, &x, d, NULL)));
			json_array_append_new(*ids, json_integer(x.a.id));
		}
		svc_adv_fini(&x);
	}
	free(ev);
	return CS_OK;
}

enum cs_err
api_inbox_stream_audit(struct api_req *q, json_t *ids, int nstreams)
{
	json_t *d;

	if (json_array_size(ids) == 0) {
		json_decref(ids);
		return CS_OK;
	}
	d = json_pack("{s:o}", "advisories", ids);
	if (nstreams > 1)
		json_object_set_new(d, "streams", json_integer(nstreams));
	return api_audit(q, "inbox.stream", NULL, d, false);
}

/*
 * .visible of this file's :id routes: the advisory, the report (widening
 * requests on it) or the widening request (through its report) exists and
 * the caller reads it.
 */
static enum cs_err
adv_routes_visible(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	struct svc_report r;
	struct svc_adv x;
	struct svc_widening w;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if (strncmp(q->path, "/advisories/", 12) == 0) {
		if ((rc = svc_adv_load_visible(&c, q->ids[0], &x, e)) == CS_OK)
			svc_adv_fini(&x);
		return rc;
	}
	if (strncmp(q->path, "/widening-requests/", 19) == 0) {
		/* Seen as GET /widening-requests shows it, else absent. */
		if ((rc = svc_widening_load_visible(&c, q->ids[0], &w, e)) == CS_OK)
			svc_widening_fini(&w);
		return rc;
	}
	if ((rc = svc_report_load_visible(&c, q->ids[0], 0, &r, e)) == CS_OK)
		svc_report_fini(&r);
	return rc;
}

const struct api_route api_advisories_routes[] = {
	API_ROUTE("POST", "/advisories", ACT_ADV_ISSUE, .flags = API_BODY,
	    .body = API_KEYS("urgent", "related_reports", "form",
		"consented_sources", "drill"),
	    .fn = advisories_create),
	API_ROUTE("GET", "/advisories", ACT_ADV_LIST, .fn = advisories_list),
	API_ROUTE("GET", "/advisories/:id", ACT_ADV_READ, .fn = advisories_get),
	API_ROUTE("POST", "/advisories/:id/followups", ACT_ADV_FOLLOWUP,
	    .flags = API_BODY,
	    .body = API_KEYS("form", "related_reports", "consented_sources"),
	    .visible = adv_routes_visible, .fn = advisories_followup),
	API_ROUTE("POST", "/advisories/:id/approve", ACT_ADV_APPROVE,
	    .flags = API_OPTBODY, .visible = adv_routes_visible,
	    .fn = advisories_approve),
	API_ROUTE("POST", "/advisories/:id/relay", ACT_ADV_RELAY,
	    .flags = API_BODY, .body = API_KEYS("to", "comment"),
	    .visible = adv_routes_visible, .fn = advisories_relay),
	API_ROUTE("POST", "/advisories/:id/ack", ACT_ADV_ACK,
	    .flags = API_OPTBODY, .fn = advisories_ack),
	API_ROUTE("POST", "/advisories/:id/source-review", ACT_ADV_SOURCE_REVIEW,
	    .flags = API_BODY, .body = API_KEYS("decision", "comment"),
	    .visible = adv_routes_visible, .fn = advisories_source_review),
	API_ROUTE("GET", "/source-reviews", ACT_ADV_SOURCE_REVIEW,
	    .fn = source_reviews),
	API_ROUTE("GET", "/inbox", ACT_INBOX_READ, .flags = API_SNAPSHOT,
	    .fn = inbox),
	API_ROUTE("GET", "/inbox/stream", ACT_INBOX_READ, .flags = API_STREAM),
	API_ROUTE("GET", "/public/advisories", ACT_PUBLIC_READ,
	    .fn = public_advisories),
	API_ROUTE("POST", "/reports/:id/widening-requests", ACT_WIDEN_REQUEST,
	    .flags = API_BODY, .body = API_KEYS("tlp", "sectors", "reason"),
	    .visible = adv_routes_visible, .fn = widening_create),
	API_ROUTE("GET", "/widening-requests", ACT_WIDEN_LIST,
	    .fn = widening_list),
	API_ROUTE("POST", "/widening-requests/:id/approve", ACT_WIDEN_DECIDE,
	    .flags = API_OPTBODY, .visible = adv_routes_visible,
	    .fn = widening_approve),
	API_ROUTE("POST", "/widening-requests/:id/refuse", ACT_WIDEN_DECIDE,
	    .flags = API_OPTBODY, .visible = adv_routes_visible,
	    .fn = widening_refuse),
	/* issue 15: the approver's return (差戻し) and the reminder (督促) */
	API_ROUTE("POST", "/advisories/:id/return", ACT_ADV_RETURN,
	    .flags = API_BODY, .body = API_KEYS("comment"),
	    .visible = adv_routes_visible, .fn = advisories_return),
	API_ROUTE("POST", "/advisories/:id/remind", ACT_ADV_REMIND,
	    .flags = API_OPTBODY, .body = API_KEYS("orgs"),
	    .visible = adv_routes_visible, .fn = advisories_remind),
	API_ROUTES_END
};
