/*
 * reports.c: 情報連絡 — POST /reports, /followups, /forward, /share,
 * GET one and list (API.md "Reports").
 *
 * Handlers parse the request, call svc (src/svc/report.c: the operations,
 * the one loader of a report's access facts, what a caller sees of its
 * versions) and render.  What a caller sees is decided by core's
 * policy_report_* functions only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/analysis.h"
#include "core/ident.h"
#include "api/api_int.h"
#include "core/retention.h"
#include "svc/svc_attach.h"
#include "svc/svc_adv.h"
#include "svc/svc_drill.h"
#include "svc/svc_report.h"
#include "svc/svc_search.h"

/* Candidates of a list read ahead at a time (store_report_prefetch). */
#define LIST_AHEAD	64

/*
 * What a list item shows of a stored form: event_type, importance,
 * cause_types and overview.event_summary, each as the JSON text stored,
 * found by the member scan without parsing the form (a list reads 50 of
 * them a page), and sent as it is (api_raw_slot); NULL: absent.  Parsed
 * only for a filter that compares one (list_field).
 */
enum { LF_EVENT, LF_IMPORTANCE, LF_CAUSES, LF_SUMMARY, LF_N };

struct list_fields {
	bool		 have;
	char		*raw[LF_N];
};

static void
list_fields(const char *text, struct list_fields *lf)
{
	static const char *const keys[] = { "event_type", "importance",
	    "cause_types" };
	const char *val, *sv;
	size_t vlen, svlen, n = strlen(text);

	lf->have = true;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (cs_json_pick(text, n, keys[i], &val, &vlen) == CS_OK)
			lf->raw[i] = xstrndup(val, vlen);
	if (cs_json_pick(text, n, "overview", &val, &vlen) == CS_OK &&
	    cs_json_pick(val, vlen, "event_summary", &sv, &svlen) == CS_OK)
		lf->raw[LF_SUMMARY] = xstrndup(sv, svlen);
}

static void
list_fields_fini(struct list_fields *lf)
{
	for (int i = 0; i < LF_N; i++)
		free(lf->raw[i]);
	memset(lf, 0, sizeof(*lf));
}

/* A member parsed, for a filter (new reference; NULL when absent). */
static json_t *
list_field(const struct list_fields *lf, int k)
{
	return lf->raw[k] == NULL ? NULL : json_loads(lf->raw[k],
	    JSON_DECODE_ANY, NULL);
}

/* A slot for lf's member k (its text moves to r), or `none` when absent. */
static json_t *
list_raw(struct api_raws *r, struct list_fields *lf, int k, json_t *none)
{
	char *t = lf->raw[k];

	if (t == NULL)
		return none;
	lf->raw[k] = NULL;
	json_decref(none);
	return api_raws_take(r, t);
}

static const char *
rel_id(enum cs_relation rel)
{
	switch (rel) {
	case REL_SUBMITTER:	return "submitter";
	case REL_CEPTOAR:	return "ceptoar";
	case REL_MINISTRY:	return "ministry";
	case REL_NISC:		return "nisc";
	case REL_SHARED:	return "shared";
	default:		return "none";
	}
}

static json_t *
ident_json(int64_t rnum, int k)
{
	char b[40];

	core_report_ident(rnum, k, b, sizeof(b));
	return b[0] ? json_string(b) : json_null();
}

/* Load the report of the path's :id for the caller (absent if invisible). */
static enum cs_err
load(struct api_req *q, struct svc_ctx *c, struct svc_report *x,
    struct cs_error *e)
{
	api_svc_ctx(q, c);
	return svc_report_load_visible(c, q->ids[0], SVC_LOAD_VERSIONS, x, e);
}

/* ---- POST /reports ------------------------------------------------------ */

/* What reports_prepare found, before the transaction. */
struct create_prep {
	enum cs_err		 rc;	/* of the checks, with e */
	struct cs_error		 e;
	struct svc_report_file_in in;
	int64_t			*extra;
	struct svc_report_prep	 parts;
};

static void
create_prep_free(void *arg)
{
	struct create_prep *p = arg;

	if (p == NULL)
		return;
	free(p->extra);
	svc_report_prep_fini(&p->parts);
	free(p);
}

/* The body's checks, in the order the API has always made them. */
static enum cs_err
create_args(struct api_req *q, struct svc_report_file_in *in, int64_t **extra,
    struct cs_error *e)
{
	json_t *v;
	enum cs_err rc;

	memset(in, 0, sizeof(*in));
	*extra = NULL;
	v = json_object_get(q->body, "route");
	if (v == NULL)
		return cs_fail(e, CS_EINVAL, "route", "required field is missing");
	if (!json_is_string(v) || core_route_parse(json_string_value(v), &in->route) != 0)
		return cs_fail(e, CS_EINVAL, "route", "must be direct, via_ceptoar "
		    "or urgent");
	if ((rc = api_bool_arg(q->body, "legal_duty", false, &in->legal_duty,
	    e)) != CS_OK)
		return rc;
	in->form = json_object_get(q->body, "form");
	if ((rc = svc_report_file_check(in, e)) != CS_OK)
		return rc;
	in->checked = true;
	v = json_object_get(q->body, "extra_recipients");
	if (v != NULL && !json_is_null(v) &&
	    (rc = api_id_array(v, "extra_recipients", extra, &in->nextra, e)) != CS_OK)
		return rc;
	in->extra = *extra;
	return CS_OK;
}

/*
 * .prepare: the checks, and what the stored form is made of (its search
 * text and observables, member by member), before the store lock; a
 * source form sealed to its CEPTOAR is neither indexed nor searched.
 */
static void
reports_prepare(struct api_req *q)
{
	struct create_prep *p = xcalloc(1, sizeof(*p));

	cs_error_clear(&p->e);
	p->rc = create_args(q, &p->in, &p->extra, &p->e);
	/* (not for a request without a credential: it goes no further) */
	if (p->rc == CS_OK && p->in.route != ROUTE_VIA_CEPTOAR &&
	    (q->bearer != NULL || q->has_basic)) {
		svc_report_prepare(p->in.form, &p->parts);
		p->in.prep = &p->parts;
	}
	q->prep = p;
	q->prep_free = create_prep_free;
}

/* The organisations the report's path joins, read ahead (svc_report_file). */
static void
reports_ahead(struct api_req *q)
{
	struct create_prep *p = q->prep;
	int sector;

	if (p == NULL || p->rc != CS_OK || p->in.route == ROUTE_VIA_CEPTOAR ||
	    (sector = core_report_form_sector(p->in.form)) < 0)
		return;
	store_org_find_ids_prefetch(q->st, ORG_CI_MINISTRY, 1u << sector);
	if (p->in.route == ROUTE_URGENT)
		store_org_find_ids_prefetch(q->st, ORG_NISC, 0);
}

static enum cs_err
reports_create(struct api_req *q, struct cs_error *e)
{
	struct create_prep *p = q->prep;
	struct svc_report_file_in in;
	struct svc_report_out out;
	struct svc_ctx c;
	int64_t *extra = NULL, drill = 0;
	enum cs_err rc;

	if (p != NULL) {
		if (p->rc != CS_OK) {
			*e = p->e;
			return p->rc;
		}
		in = p->in;
	} else if ((rc = create_args(q, &in, &extra, e)) != CS_OK) {
		free(extra);
		return rc;
	}
	api_svc_ctx(q, &c);
	if ((rc = svc_drill_arg(&c, q->body, &drill, e)) != CS_OK ||
	    (rc = svc_report_file(&c, &in, &out, e)) != CS_OK ||
	    (rc = svc_drill_mark(&c, drill, DRILL_ITEM_REPORT, out.id, e)) != CS_OK)
		goto out;
	api_svc_done(q, &c);
	q->status = 201;
	q->out = json_pack("{s:I, s:i, s:s, s:o}", "id", (json_int_t)out.id,
	    "version", 1, "state", core_state_id(out.state),
	    "identification_number", ident_json(out.r_number, 1));
out:
	free(extra);
	return rc;
}

/* ---- POST /reports/{id}/followups --------------------------------------- */

static enum cs_err
reports_followup(struct api_req *q, struct cs_error *e)
{
	struct svc_report x;
	struct svc_report_out out;
	struct svc_ctx c;
	enum cs_err rc;

	if ((rc = load(q, &c, &x, e)) != CS_OK)
		return rc;
	if ((rc = svc_report_followup(&c, &x, json_object_get(q->body, "form"),
	    &out, e)) != CS_OK)
		goto out;
	q->status = 201;
	q->out = json_pack("{s:I, s:i, s:s}", "id", (json_int_t)out.id,
	    "version", out.version, "state", core_state_id(out.state));
out:
	svc_report_fini(&x);
	return rc;
}

/* ---- POST /reports/{id}/forward ----------------------------------------- */

static enum cs_err
reports_forward(struct api_req *q, struct cs_error *e)
{
	struct svc_forward_in in;
	struct svc_report x;
	struct svc_report_out out;
	struct svc_ctx c;
	const char *dry = q->query(q->conn, "dry_run");
	json_t *v, *kept = NULL;
	int64_t *keep = NULL;
	size_t nkeep = 0;
	const char *comment = NULL;
	long cl;
	enum cs_err rc;

	memset(&in, 0, sizeof(in));
	v = json_object_get(q->body, "comment");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v) || (cl = cs_utf8_len(json_string_value(v),
		    json_string_length(v))) < 0 || cl > CS_MAX_TEXT)
			return cs_fail(e, CS_EINVAL, "comment", "must be text of at "
			    "most %d characters", CS_MAX_TEXT);
		if (cl > 0)
			comment = json_string_value(v);
	}
	in.patch = json_object_get(q->body, "form");
	if (in.patch != NULL && !json_is_null(in.patch) &&
	    !json_is_object(in.patch))
		return cs_fail(e, CS_EINVAL, "form", "must be an object");
	v = json_object_get(q->body, "confirm_small_anonymity_set");
	if (v != NULL && !json_is_boolean(v))
		return cs_fail(e, CS_EINVAL, "confirm_small_anonymity_set",
		    "must be true or false");
	in.confirm_small_set = json_is_true(v);
	if (dry != NULL) {
		if (strcmp(dry, "1") != 0 && strcmp(dry, "true") != 0 &&
		    strcmp(dry, "0") != 0 && strcmp(dry, "false") != 0)
			return cs_fail(e, CS_EINVAL, "dry_run", "1 or 0");
		in.preview = strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0;
	}
	v = json_object_get(q->body, "attachments");
	if (v != NULL && !json_is_null(v) && (rc = api_id_array(v, "attachments",
	    &keep, &nkeep, e)) != CS_OK)
		return rc;
	if ((rc = load(q, &c, &x, e)) != CS_OK) {
		free(keep);
		return rc;
	}
	if ((rc = svc_report_forward(&c, &x, &in, &out, e)) != CS_OK ||
	    (comment != NULL && !in.preview &&
	    (rc = svc_report_forward_note(&c, x.r.id, comment, e)) != CS_OK))
		goto out;
	/* The secretariat's copies of the source's files it keeps (not on a dry run). */
	if (!in.preview && (rc = svc_attach_forward(&c, &x, keep, nkeep, &kept,
	    e)) != CS_OK) {
		json_decref(out.versions);
		json_decref(out.preview);
		goto out;
	}
	q->status = 200;
	q->out = json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)out.id,
	    "state", core_state_id(out.state), "identification_number",
	    ident_json(out.r_number, 1), "forwarded_versions", out.versions);
	json_object_set_new(q->out, "attachments", kept != NULL ? kept :
	    json_array());
	kept = NULL;
	if (out.anonymity_set >= 0)
		json_object_set_new(q->out, "anonymity_set", json_pack("{s:i, "
		    "s:i, s:b}", "members", out.anonymity_set, "minimum",
		    q->cfg->min_anonymity_set, "warning", out.small_set));
	if (in.preview) {
		json_t *last = json_array_get(out.preview,
		    json_array_size(out.preview) - 1);

		/* The newest version moved is the one the patch edits. */
		json_object_set(q->out, "form", json_object_get(last, "form"));
		json_object_set(q->out, "redactions", json_object_get(last,
		    "redactions"));
		json_object_set_new(q->out, "versions", out.preview);
		json_object_set_new(q->out, "dry_run", json_true());
		q->dry_run = true;
	}
out:
	json_decref(kept);
	free(keep);
	svc_report_fini(&x);
	return rc;
}

/* ---- POST /reports/{id}/share ------------------------------------------- */

static enum cs_err
reports_share(struct api_req *q, struct cs_error *e)
{
	struct svc_report x;
	struct svc_ctx c;
	int64_t *to = NULL, disclosure = 0;
	size_t nto = 0;
	enum cs_err rc;

	if ((rc = api_to_list(q, &to, &nto, e)) != CS_OK)
		return rc;
	if ((rc = api_disclosure_arg(q, &disclosure, e)) != CS_OK) {
		free(to);
		return rc;
	}
	if ((rc = load(q, &c, &x, e)) != CS_OK) {
		free(to);
		return rc;
	}
	if ((rc = svc_report_share(&c, &x, to, nto, disclosure, e)) != CS_OK)
		goto out;
	q->status = 200;
	q->out = json_pack("{s:I, s:o}", "id", (json_int_t)x.r.id, "shared_with",
	    svc_ids_json(to, nto));
out:
	free(to);
	svc_report_fini(&x);
	return rc;
}

/* ---- GET ---------------------------------------------------------------- */

/*
 * The forms of GET /reports/{id} as stored (api_send_spliced): text[i] is
 * the i-th version's form (a stored text, or owned[i] opened from a seal).
 */
struct raw_forms {
	const char	**text;
	char		**owned;
	size_t		  n;
};

static void
raw_forms_fini(struct raw_forms *rf)
{
	for (size_t i = 0; i < rf->n; i++)
		free(rf->owned[i]);
	free(rf->owned);
	free(rf->text);
	memset(rf, 0, sizeof(*rf));
}

/*
 * A report as the caller sees it.  raw NULL: each version's form parsed
 * into the JSON; else each form is an api_raw_slot and its stored text
 * goes to raw (sent as stored by api_send_spliced).
 */
static json_t *
report_json(struct api_req *q, struct svc_ctx *c, struct svc_report *x,
    struct raw_forms *raw)
{
	json_t *j, *versions, *path, *hops, *form;
	enum cs_relation rel = policy_report_relation(&q->who, &x->acl);
	bool holder = rel != REL_SHARED && rel != REL_NONE;
	enum cs_hop shown = HOP_SOURCE;
	struct sml_result sml;
	char idb[40];

	j = json_pack("{s:I, s:o, s:s, s:s, s:b, s:s, s:s, s:b, s:i, s:o, s:o}",
	    "id", (json_int_t)x->r.id,
	    "identification_number", ident_json(x->r.r_number, 1),
	    "state", core_state_id(x->r.state),
	    "route", core_route_id(x->r.route),
	    "legal_duty", x->r.legal_duty,
	    "tlp", core_tlp_id(x->r.tlp),
	    "sector", core_sector_id(x->r.sector),
	    "anonymised", x->r.anonymised,
	    "version_count", x->r.nversions,
	    "created_at", api_time(x->r.created_us),
	    "updated_at", api_time(x->r.updated_us));
	path = json_array();
	for (size_t i = 0; i < x->r.npath; i++)
		json_array_append_new(path, json_pack("{s:I, s:s, s:o}", "org",
		    (json_int_t)x->r.path[i].org_id, "type",
		    core_org_type_id(x->r.path[i].org_type), "joined_at",
		    api_time(x->r.path[i].joined_us)));
	json_object_set_new(j, "path", path);
	if (holder) {
		json_t *sh = json_array(), *ex = json_array();

		for (size_t i = 0; i < x->r.nshares; i++)
			json_array_append_new(sh, json_pack("{s:I, s:I, s:o}",
			    "org", (json_int_t)x->r.shares[i].org, "by",
			    (json_int_t)x->r.shares[i].by_org, "at",
			    api_time(x->r.shares[i].at_us)));
		for (size_t i = 0; i < x->r.nextra; i++)
			json_array_append_new(ex, json_integer(x->r.extra[i]));
		json_object_set_new(j, "shared_with", sh);
		json_object_set_new(j, "extra_recipients", ex);
	}
	if (policy_report_may_see_identity(&q->who, &x->acl)) {
		if (x->r.anonymised) {
			char *plain = svc_report_open_sealed(c, x,
			    x->r.sealed_identity);
			json_t *idj = plain ? json_loads(plain, 0, NULL) : NULL;

			free(plain);
			if (idj != NULL)
				json_object_set_new(j, "submitter", idj);
		} else
			json_object_set_new(j, "submitter", json_pack("{s:I}",
			    "org", (json_int_t)x->r.submitter_org));
	}
	json_object_set_new(j, "relation", json_string(rel_id(rel)));
	{
		/* a legal hold, an erased source (core/retention.c) */
		struct store_retention_state rs;

		if (store_retention_state(q->st, STORE_ITEM_REPORT, x->r.id,
		    &rs) == CS_OK) {
			/* a hold is for those who may place one */
			if (retention_may_hold(&q->who, true))
				json_object_set_new(j, "held",
				    json_boolean(rs.held_us != 0));
			if (x->r.anonymised)
				json_object_set_new(j, "source_erased",
				    json_boolean(rs.erased_us != 0));
		}
	}
	{
		int64_t d = svc_drill_of(c, DRILL_ITEM_REPORT, x->r.id);

		json_object_set_new(j, "drill", d ? json_integer(d) : json_null());
	}
	versions = json_array();
	if (raw != NULL) {
		raw->text = xcalloc((size_t)x->r.nversions + 1, sizeof(*raw->text));
		raw->owned = xcalloc((size_t)x->r.nversions + 1,
		    sizeof(*raw->owned));
	}
	for (int k = 1; k <= x->r.nversions; k++) {
		const struct store_version *src;
		enum cs_state reached = svc_report_reached(x, k);
		json_t *fields = NULL;

		if (raw != NULL) {
			const struct store_version *row;
			char *plain;

			if ((row = svc_report_visible_row(c, x, k, &plain,
			    &shown)) == NULL)
				continue;
			raw->owned[raw->n] = plain;
			raw->text[raw->n] = plain != NULL ? plain : row->form;
			fields = analysis_sml_form(raw->text[raw->n]);
			form = api_raw_slot(raw->n++);
		} else if ((form = svc_report_visible_form(c, x, k, &shown)) == NULL)
			continue;
		src = svc_report_hop_row(x, k, HOP_SOURCE);
		core_report_ident(reached == ST_AT_NISC ? x->r.r_number : 0, k,
		    idb, sizeof(idb));
		hops = json_array();
		for (int h = HOP_SOURCE; h <= HOP_MINISTRY; h++) {
			const struct store_version *row = svc_report_hop_row(x, k,
			    (enum cs_hop)h);

			if (row == NULL || !policy_report_hop_visible(&q->who,
			    &x->acl, (enum cs_hop)h, row->form == NULL))
				continue;
			json_array_append_new(hops, json_pack("{s:s, s:o, s:o}",
			    "hop", core_hop_id((enum cs_hop)h), "at",
			    api_time(row->created_us), "by_org", row->by_org ?
			    json_integer(row->by_org) : json_null()));
		}
		/* The level as the form this reader sees stood when it was filed. */
		analysis_sml_eval(fields != NULL ? fields : form,
		    src ? src->created_us : 0, &sml);
		json_decref(fields);
		json_array_append_new(versions, json_pack("{s:i, s:o, s:s, s:o, s:s, s:o, s:o, s:o}",
		    "version", k, "identification_number",
		    idb[0] ? json_string(idb) : json_null(),
		    "state", core_state_id(reached),
		    "submitted_at", api_time(src ? src->created_us : 0),
		    "shown_hop", core_hop_id(shown), "hops", hops, "form", form,
		    "service_level", analysis_sml_json(&sml)));
	}
	json_object_set_new(j, "versions", versions);
	json_object_set_new(j, "disclosures", api_disclosures_json(c, x));
	json_object_set_new(j, "attachments", svc_attach_report_json(c, x));
	json_object_set_new(j, "forward_comments", svc_notes_json(c,
	    STORE_NOTE_FORWARD, x->r.id));
	/* How many versions this reader sees, not how many exist. */
	json_object_set_new(j, "version_count", json_integer(
	    (json_int_t)json_array_size(versions)));
	return j;
}

/* GET /reports/{id} as JSON (also the input of its STIX form, api/stix.c). */
enum cs_err
api_report_get_json(struct api_req *q, json_t **out, struct cs_error *e)
{
	struct svc_report x;
	struct svc_ctx c;
	enum cs_err rc;

	if ((rc = load(q, &c, &x, e)) != CS_OK)
		return rc;
	if ((rc = svc_report_read(&c, &x, e)) == CS_OK)
		*out = report_json(q, &c, &x, NULL);
	svc_report_fini(&x);
	return rc;
}

enum cs_err
api_report_json_of(struct api_req *q, int64_t id, json_t **out,
    struct cs_error *e)
{
	struct svc_report x;
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_report_load_visible(&c, id, SVC_LOAD_VERSIONS, &x, e)) !=
	    CS_OK)
		return rc;
	*out = report_json(q, &c, &x, NULL);
	svc_report_fini(&x);
	return CS_OK;
}

/*
 * GET /reports/{id}: as api_report_get_json, the forms sent as stored; the
 * answer kept for the next read by the same principal at the same data
 * generation (api_render_get: audited as this read is, nothing else done).
 */
static enum cs_err
reports_get(struct api_req *q, struct cs_error *e)
{
	struct raw_forms raw;
	struct svc_report x;
	struct svc_ctx c;
	json_t *j;
	char *text;
	size_t len;
	int anon;
	enum cs_err rc;

	if (api_render_get(q, API_RENDER_REPORT, q->ids[0], &anon)) {
		api_svc_ctx(q, &c);
		return svc_report_read_audit(&c, q->ids[0], anon != 0, e);
	}
	memset(&raw, 0, sizeof(raw));
	if ((rc = load(q, &c, &x, e)) != CS_OK)
		return rc;
	anon = svc_report_read_anonymous(&c, &x);
	if ((rc = svc_report_read_audit(&c, x.r.id, anon != 0, e)) == CS_OK) {
		j = report_json(q, &c, &x, &raw);
		text = api_dump_spliced(j, raw.text, raw.n, &len);
		api_send_json_text(q, 200, text, len);
		api_render_put(q, API_RENDER_REPORT, x.r.id, text, len, anon);
		free(text);
		json_decref(j);
	}
	raw_forms_fini(&raw);
	svc_report_fini(&x);
	return rc;
}

/* Does any string in j contain needle (case-insensitive for ASCII)? */
static bool
json_contains(json_t *j, const char *needle)
{
	const char *key;
	json_t *v;
	size_t i, nl = strlen(needle);

	if (json_is_string(j)) {
		const char *s = json_string_value(j);

		for (; *s; s++)
			if (strncasecmp(s, needle, nl) == 0)
				return true;
		return false;
	}
	if (json_is_object(j)) {
		json_object_foreach(j, key, v)
			if (json_contains(v, needle))
				return true;
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (json_contains(v, needle))
				return true;
	}
	return false;
}

/*
 * Does the form hold the search text?  After NFKC and case folding, white
 * space aside (core/ident.h: 「ﾗﾝｻﾑｳｪｱ」 finds 「ランサムウェア」, 「ＶＰＮ」
 * finds 「vpn」), one character as well; a search of white space alone
 * compares bytes.
 */
static bool
text_matches(const struct ident_set *qset, json_t *form, const char *text)
{
	json_t *hits;
	bool yes;

	if (qset == NULL || ident_set_count(qset) == 0)
		return json_contains(form, text);
	hits = json_array();
	core_json_ident_find(form, "form", qset, hits);
	yes = json_array_size(hits) > 0;
	json_decref(hits);
	return yes;
}

/*
 * Does the 様式 allow `value` (taken) as member `key`?  Asked of a minimal
 * form holding it, so a list filter accepts exactly what a form may hold.
 */
static bool
form_accepts(const char *key, json_t *value)
{
	json_t *probe = json_pack("{s:s, s:s, s:s, s:o}", "tlp", "red",
	    "has_attachment", "no", "sector", "ict", key, value);
	struct cs_error pe;
	enum cs_err rc;

	rc = core_report_form_validate(probe, "form", &pe);
	json_decref(probe);
	return rc == CS_OK;
}

enum cs_err
api_report_query(struct api_req *q, struct api_report_query *rq,
    struct cs_error *e)
{
	const char *sector = q->query(q->conn, "sector");
	const char *event = q->query(q->conn, "event_type");
	const char *since = q->query(q->conn, "since");
	const char *text = q->query(q->conn, "q");
	const char *anon = q->query(q->conn, "anonymised");
	const char *cause = q->query(q->conn, "cause");
	const char *tlp_q = q->query(q->conn, "tlp");
	const char *imp_q = q->query(q->conn, "importance");
	const char *until = q->query(q->conn, "until");
	enum cs_err rc;

	memset(rq, 0, sizeof(*rq));
	rq->sector = -1;
	rq->tlp = TLP_RED;
	if ((rc = api_list_limit(q, &rq->limit, &rq->cursor, e)) != CS_OK)
		return rc;
	if (sector != NULL && (rq->sector = core_sector_parse(sector)) < 0)
		return cs_fail(e, CS_EINVAL, "sector", "unknown sector id");
	if (event != NULL && strncmp(event, "event_", 6) != 0)
		return cs_fail(e, CS_EINVAL, "event_type", "unknown event type");
	if (event != NULL && !form_accepts("event_type", json_string(event)))
		return cs_fail(e, CS_EINVAL, "event_type", "unknown event type");
	if (since != NULL && cs_time_parse(since, &rq->since_us) != CS_OK)
		return cs_fail(e, CS_EINVAL, "since", "must be an RFC 3339 date-time");
	if (until != NULL && cs_time_parse(until, &rq->until_us) != CS_OK)
		return cs_fail(e, CS_EINVAL, "until", "must be an RFC 3339 date-time");
	if (tlp_q != NULL && core_tlp_parse(tlp_q, &rq->tlp) != 0)
		return cs_fail(e, CS_EINVAL, "tlp", "unknown TLP level");
	if (imp_q != NULL && core_importance_parse(imp_q) == IMP_NONE)
		return cs_fail(e, CS_EINVAL, "importance", "must be alert, caution "
		    "or reference");
	if (cause != NULL && !form_accepts("cause_types", json_pack("[s]", cause)))
		return cs_fail(e, CS_EINVAL, "cause", "unknown cause type");
	/*
	 * A source's own anonymised reports are listed apart (?anonymised=mine),
	 * so no request's audit trail puts them beside its identified reads.
	 */
	if (anon != NULL) {
		if (strcmp(anon, "mine") != 0)
			return cs_fail(e, CS_EINVAL, "anonymised", "the only value is "
			    "'mine'");
		rq->mine_anon = true;
	}
	if (text != NULL && (strlen(text) > 256 || cs_utf8_len(text, strlen(text)) < 0))
		return cs_fail(e, CS_EINVAL, "q", "at most 256 characters of UTF-8");
	rq->has_since = since != NULL;
	rq->has_until = until != NULL;
	rq->has_tlp = tlp_q != NULL;
	rq->event_type = event;
	rq->importance = imp_q;
	rq->cause = cause;
	rq->q = text;
	return CS_OK;
}

static enum cs_err
reports_list(struct api_req *q, struct cs_error *e)
{
	struct store_report_filter f;
	struct svc_ctx c;
	struct api_report_query rq;
	struct api_raws raws = { NULL, 0, 0 };
	const char *event, *text, *cause, *imp_q;
	int limit, want_sector, scanned = 0;
	bool mine_anon;
	int64_t cursor, *ids = NULL, last = 0;
	size_t n;
	json_t *items, *listed, *listed_anon;
	struct ident_set *qset = NULL;
	char *folded = NULL;
	bool more = false, found;
	enum cs_err rc;

	if ((rc = api_report_query(q, &rq, e)) != CS_OK)
		return rc;
	limit = rq.limit;
	cursor = rq.cursor;
	want_sector = rq.sector;
	event = rq.event_type;
	text = rq.q;
	cause = rq.cause;
	imp_q = rq.importance;
	mine_anon = rq.mine_anon;
	api_svc_ctx(q, &c);
	if (text != NULL && *text != '\0' &&
	    ident_set_new_min(&text, 1, 1, &qset) != CS_OK)
		return cs_fail(e, CS_EINVAL, "q", "at most 256 characters of UTF-8");
	/*
	 * Candidates from the full-text index (svc_search.h), but for the
	 * readers of sealed source text, never indexed: the source (its own
	 * anonymised reports) and the CEPTOAR secretariat scan as before.
	 */
	if (qset != NULL && ident_set_count(qset) > 0 && !mine_anon &&
	    q->who.org_type != ORG_CEPTOAR_SEC)
		folded = ident_fold(text);
	items = json_array();
	listed = json_array();
	listed_anon = json_array();
	f.org = q->who.org_id;
	f.anonymised = mine_anon;
	f.sector = want_sector;
	f.before_id = cursor;
	f.limit = 200;
	while ((int)json_array_size(items) < limit) {
		/*
		 * 別紙４－２: an actor that joins in the large-scale mode also
		 * gets what NISC holds of the affected sectors as candidates
		 * (the policy still decides each one).
		 */
		if (q->who.ls_sectors != 0 && !mine_anon &&
		    (q->who.org_type == ORG_CAS || q->who.org_type == ORG_IR_MINISTRY ||
		    q->who.org_type == ORG_DM_MINISTRY))
			rc = svc_report_candidates(&c, &f, &ids, &n);
		else if (folded != NULL)
			rc = svc_search_report_ids(&c, folded, f.before_id, f.limit,
			    &ids, &n);
		else
			rc = store_report_candidates(q->st, &f, &ids, &n);
		if (rc != CS_OK) {
			free(folded);
			json_decref(items);
			json_decref(listed);
			json_decref(listed_anon);
			ident_set_free(qset);
			api_raws_fini(&raws);
			return cs_fail(e, rc, "", "store error");
		}
		for (size_t i = 0; i < n; i++) {
			struct svc_report x;
			struct cs_error le;
			struct list_fields lf = { .have = false };
			int k;

			f.before_id = ids[i];
			if ((int)json_array_size(items) >= limit) {
				more = true;
				break;
			}
			/* The next candidates' rows in one round trip (PostgreSQL). */
			if (i % LIST_AHEAD == 0)
				store_report_prefetch(q->st, ids + i, n - i < LIST_AHEAD ?
				    n - i : LIST_AHEAD, true);
			scanned++;
			/* The versions (the forms) only of what the filters keep. */
			if (svc_report_load(&c, ids[i], 0, &x, &le) != CS_OK)
				continue;
			if (!policy_report_may_read(&q->who, &x.acl))
				goto next;
			if (mine_anon != (x.r.anonymised && policy_report_relation(
			    &q->who, &x.acl) == REL_SUBMITTER))
				goto next;
			if (want_sector >= 0 && x.r.sector != want_sector)
				goto next;
			if (rq.has_since && x.r.updated_us < rq.since_us)
				goto next;
			if (rq.has_until && x.r.updated_us > rq.until_us)
				goto next;
			if (rq.has_tlp && x.r.tlp != rq.tlp)
				goto next;
			if (svc_report_versions(&c, &x) != CS_OK)
				goto next;
			/*
			 * The newest version the reader sees is the item; a text
			 * search looks at every version it sees (a word of the
			 * 第1報 still finds the series once a 第2報 exists).
			 */
			found = text == NULL || *text == '\0';
			for (k = x.r.nversions; k >= 1; k--) {
				char *ft = svc_report_visible_text(&c, &x, k,
				    NULL);
				json_t *whole;

				if (ft == NULL)
					continue;
				if (!found && (whole = json_loads(ft, 0, NULL)) !=
				    NULL) {
					found = text_matches(qset, whole, text);
					json_decref(whole);
				}
				if (!lf.have)
					list_fields(ft, &lf);
				free(ft);
				if (found)
					break;
			}
			if (!lf.have || !found)
				goto next;
			if (event != NULL || imp_q != NULL || cause != NULL) {
				json_t *ev = list_field(&lf, LF_EVENT);
				json_t *im = list_field(&lf, LF_IMPORTANCE);
				json_t *ct = list_field(&lf, LF_CAUSES), *cv;
				size_t ci;
				bool hit = cause == NULL;

				json_array_foreach(ct, ci, cv)
					hit |= cs_streq(json_string_value(cv), cause);
				hit &= (event == NULL || cs_streq(json_string_value(ev),
				    event)) && (imp_q == NULL || cs_streq(
				    json_string_value(im), imp_q));
				json_decref(ev);
				json_decref(im);
				json_decref(ct);
				if (!hit)
					goto next;
			}
			{
				json_t *it = json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:i, s:b, s:o, s:o}",
				    "id", (json_int_t)x.r.id,
				    "identification_number", ident_json(x.r.r_number, 1),
				    "state", core_state_id(x.r.state),
				    "route", core_route_id(x.r.route),
				    "tlp", core_tlp_id(x.r.tlp),
				    "sector", core_sector_id(x.r.sector),
				    "version", k, "anonymised", x.r.anonymised,
				    "created_at", api_time(x.r.created_us),
				    "updated_at", api_time(x.r.updated_us));

				json_object_set_new(it, "event_type", list_raw(&raws,
				    &lf, LF_EVENT, json_null()));
				json_object_set_new(it, "importance", list_raw(&raws,
				    &lf, LF_IMPORTANCE, json_null()));
				json_object_set_new(it, "cause_types", list_raw(&raws,
				    &lf, LF_CAUSES, json_array()));
				json_object_set_new(it, "relation", json_string(rel_id(
				    policy_report_relation(&q->who, &x.acl))));
				json_object_set_new(it, "summary", list_raw(&raws, &lf,
				    LF_SUMMARY, json_null()));
				json_array_append_new(items, it);
				json_array_append_new(mine_anon ? listed_anon :
				    listed, json_integer(x.r.id));
				last = x.r.id;
			}
next:
			list_fields_fini(&lf);
			svc_report_fini(&x);
		}
		free(ids);
		ids = NULL;
		if (more || n < (size_t)f.limit)
			break;
	}
	if ((int)json_array_size(items) >= limit && !more && n == (size_t)f.limit)
		more = true;
	ident_set_free(qset);
	free(folded);
	if ((json_array_size(listed) > 0 && (rc = api_audit(q, "report.list",
	    NULL, json_pack("{s:O}", "reports", listed), false)) != CS_OK) ||
	    (json_array_size(listed_anon) > 0 && (rc = api_audit(q, "report.list",
	    NULL, json_pack("{s:O}", "reports", listed_anon), true)) != CS_OK)) {
		json_decref(items);
		json_decref(listed);
		json_decref(listed_anon);
		api_raws_fini(&raws);
		return cs_fail(e, rc, "", "audit failed");
	}
	json_decref(listed);
	json_decref(listed_anon);
	/* The stored members' texts go into the answer as they are. */
	api_raws_send(q, api_list_json(items, more, last), &raws);
	(void)scanned;
	return CS_OK;
}

/* .visible of the report routes: the report exists and the caller reads it. */
enum cs_err
api_report_visible(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	struct svc_report x;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_report_load_visible(&c, q->ids[0], 0, &x, e)) == CS_OK)
		svc_report_fini(&x);
	return rc;
}

const struct api_route api_reports_routes[] = {
	API_ROUTE("POST", "/reports", ACT_REPORT_FILE, .flags = API_BODY | API_ADD,
	    .body = API_KEYS("route", "legal_duty", "form", "extra_recipients",
	    "drill"),
	    .prepare = reports_prepare, .ahead = reports_ahead,
	    .fn = reports_create),
	API_ROUTE("GET", "/reports", ACT_REPORT_LIST, .flags = API_SNAPSHOT,
	    .fn = reports_list),
	API_ROUTE("GET", "/reports/:id", ACT_REPORT_READ, .flags = API_SNAPSHOT |
	    API_CACHED,
	    .fn = reports_get),
	API_ROUTE("POST", "/reports/:id/followups", ACT_REPORT_FOLLOWUP,
	    .flags = API_BODY, .body = API_KEYS("form"),
	    .visible = api_report_visible, .fn = reports_followup),
	API_ROUTE("POST", "/reports/:id/forward", ACT_REPORT_FORWARD,
	    .flags = API_OPTBODY, .body = API_KEYS("form",
	    "confirm_small_anonymity_set", "attachments", "comment"),
	    .visible = api_report_visible, .fn = reports_forward),
	API_ROUTE("POST", "/reports/:id/share", ACT_REPORT_SHARE,
	    .flags = API_BODY, .body = API_KEYS("to", "disclosure"),
	    .visible = api_report_visible, .fn = reports_share),
	API_ROUTES_END
};
