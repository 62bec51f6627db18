/*
 * reports.c: 情報連絡 — POST /reports, /followups, /forward, /share,
 * GET one and list (API.md "Reports").
 *
 * A report is a series of immutable versions (第k報).  Each version is
 * stored once per hop that handled it: as the source sent it (sealed to the
 * CEPTOAR secretariat on the anonymised route), as the secretariat
 * forwarded it (anonymised), and as the ministry completed it for NISC.
 * What a caller sees of all that is decided by core's policy_report_*
 * functions only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"

/* A loaded report with the facts the policy needs. */
struct rep {
	struct store_report	 r;
	struct cs_report_acl	 acl;
	struct cs_org_ref	*shared;
	enum cs_state		*shared_reach;
	struct store_version	*v;
	size_t			 nv;
};

static void
rep_fini(struct rep *x)
{
	store_report_fini(&x->r);
	free(x->shared);
	free(x->shared_reach);
	store_versions_free(x->v, x->nv);
	memset(x, 0, sizeof(*x));
}

static enum cs_err
rep_load(struct api_req *q, int64_t id, struct rep *x, struct cs_error *e)
{
	struct store_org o;
	enum cs_err rc;

	memset(x, 0, sizeof(*x));
	rc = store_report_get(q->st, id, &x->r);
	if (rc == CS_ENOENT)
		return cs_fail(e, CS_ENOENT, "", "no such report");
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	x->shared = xcalloc(x->r.nshares + 1, sizeof(*x->shared));
	x->shared_reach = xcalloc(x->r.nshares + 1, sizeof(*x->shared_reach));
	for (size_t i = 0; i < x->r.nshares; i++) {
		/* A share shows what had reached the sharer's hop. */
		x->shared_reach[i] = ST_AT_NISC;
		if (x->r.shares[i].by_org == x->r.submitter_org)
			x->shared_reach[i] = ST_AT_CEPTOAR;
		for (size_t k = 0; k < x->r.npath; k++)
			if (x->r.path[k].org_id == x->r.shares[i].by_org)
				x->shared_reach[i] =
				    x->r.path[k].org_type == ORG_CEPTOAR_SEC ?
				    ST_AT_CEPTOAR : x->r.path[k].org_type ==
				    ORG_CI_MINISTRY ? ST_AT_MINISTRY : ST_AT_NISC;
		if ((rc = store_org_get(q->st, x->r.shares[i].org, &o)) != CS_OK) {
			rep_fini(x);
			return cs_fail(e, CS_ESTORE, "", "dangling share");
		}
		api_org_ref(&o, &x->shared[i]);
		store_org_fini(&o);
	}
	x->acl.id = x->r.id;
	x->acl.route = x->r.route;
	x->acl.tlp = x->r.tlp;
	x->acl.sector = x->r.sector;
	x->acl.anonymised = x->r.anonymised;
	x->acl.submitter_org = x->r.submitter_org;
	memcpy(x->acl.anon_tag, x->r.anon_tag, 32);
	x->acl.path = x->r.path;
	x->acl.npath = x->r.npath;
	x->acl.shared = x->shared;
	x->acl.nshared = x->r.nshares;
	x->acl.shared_reach = x->shared_reach;
	x->acl.extra = x->r.extra;
	x->acl.nextra = x->r.nextra;
	if ((rc = store_version_list(q->st, id, &x->v, &x->nv)) != CS_OK) {
		rep_fini(x);
		return cs_fail(e, rc, "", "store error");
	}
	return CS_OK;
}

/* Load and require read access: invisible is indistinguishable from absent. */
static enum cs_err
rep_load_visible(struct api_req *q, struct rep *x, struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = rep_load(q, q->ids[0], x, e)) != CS_OK)
		return rc;
	if (!policy_report_may_read(&q->who, &x->acl)) {
		rep_fini(x);
		return cs_fail(e, CS_ENOENT, "", "no such report");
	}
	return CS_OK;
}

/* How far version `k` has travelled, from its hop rows. */
static enum cs_state
version_reached(const struct rep *x, int k)
{
	bool ceptoar = false, ministry = false, any = false;

	for (size_t i = 0; i < x->nv; i++) {
		if (x->v[i].version != k)
			continue;
		any = true;
		if (x->v[i].hop == HOP_CEPTOAR)
			ceptoar = true;
		if (x->v[i].hop == HOP_MINISTRY)
			ministry = true;
	}
	if (!any)
		return ST_AT_CEPTOAR;
	if (ministry || x->r.route == ROUTE_URGENT)
		return ST_AT_NISC;
	if (x->r.route == ROUTE_VIA_CEPTOAR && !ceptoar)
		return ST_AT_CEPTOAR;
	return ST_AT_MINISTRY;
}

static const struct store_version *
hop_row(const struct rep *x, int k, enum cs_hop h)
{
	for (size_t i = 0; i < x->nv; i++)
		if (x->v[i].version == k && x->v[i].hop == h)
			return &x->v[i];
	return NULL;
}

/* The secretariat's key, to open sealed parts for those allowed to see them. */
static char *
open_sealed(struct api_req *q, const struct rep *x, const char *sealed)
{
	struct store_org *o = &q->sealer;

	if (sealed == NULL || x->r.ceptoar_org == 0)
		return NULL;
	/* A list opens many seals of one secretariat: load it once. */
	if (o->id != x->r.ceptoar_org) {
		store_org_fini(o);
		if (store_org_get(q->st, x->r.ceptoar_org, o) != CS_OK) {
			memset(o, 0, sizeof(*o));
			return NULL;
		}
	}
	if (!o->has_pk || o->wrapped_sk == NULL)
		return NULL;
	return core_open_sealed(o->pk, o->wrapped_sk, sealed);
}

/*
 * The stored version row of version k the caller sees, or NULL; *plain
 * gets its form opened from the seal (heap) when it is sealed, else NULL.
 */
static const struct store_version *
visible_row(struct api_req *q, const struct rep *x, int k, char **plain,
    enum cs_hop *hop_out)
{
	const struct store_version *row;

	*plain = NULL;
	if (!policy_report_version_visible(&q->who, &x->acl, version_reached(x, k)))
		return NULL;
	for (int h = HOP_MINISTRY; h >= HOP_SOURCE; h--) {
		if ((row = hop_row(x, k, (enum cs_hop)h)) == NULL)
			continue;
		if (!policy_report_hop_visible(&q->who, &x->acl, (enum cs_hop)h,
		    row->form == NULL))
			continue;
		if (row->form == NULL &&
		    (*plain = open_sealed(q, x, row->sealed_form)) == NULL)
			continue;
		if (hop_out != NULL)
			*hop_out = (enum cs_hop)h;
		return row;
	}
	return NULL;
}

/* The text of version k's form as the caller sees it (heap), or NULL. */
static char *
visible_form_text(struct api_req *q, const struct rep *x, int k,
    enum cs_hop *hop_out)
{
	const struct store_version *row;
	char *plain;

	if ((row = visible_row(q, x, k, &plain, hop_out)) == NULL)
		return NULL;
	return plain != NULL ? plain : xstrdup(row->form);
}

/* The form of version k the caller sees (new reference), or NULL. */
static json_t *
visible_form(struct api_req *q, const struct rep *x, int k, enum cs_hop *hop_out)
{
	const struct store_version *row;
	char *plain;
	json_t *form;

	if ((row = visible_row(q, x, k, &plain, hop_out)) == NULL)
		return NULL;
	if (plain == NULL)
		return api_json_stored(row->form);
	form = json_loads(plain, 0, NULL);
	free(plain);
	return form;
}

/*
 * What a list item shows of a stored form: event_type, importance,
 * cause_types and overview.event_summary, taken from the text without
 * parsing the whole form (a list parses 50 of them per page).
 */
static json_t *
form_list_fields(const char *text)
{
	static const char *const keys[] = { "event_type", "importance",
	    "cause_types" };
	json_t *out = json_object(), *v;
	const char *val, *sv;
	size_t vlen, svlen, n = strlen(text);

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (cs_json_pick(text, n, keys[i], &val, &vlen) == CS_OK &&
		    (v = json_loadb(val, vlen, JSON_DECODE_ANY, NULL)) != NULL)
			json_object_set_new(out, keys[i], v);
	if (cs_json_pick(text, n, "overview", &val, &vlen) == CS_OK &&
	    cs_json_pick(val, vlen, "event_summary", &sv, &svlen) == CS_OK &&
	    (v = json_loadb(sv, svlen, JSON_DECODE_ANY, NULL)) != NULL)
		json_object_set_new(out, "overview", json_pack("{s:o}",
		    "event_summary", v));
	return out;
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

static void
ident(const struct rep *x, int k, char *buf, size_t sz)
{
	core_report_ident(x->r.r_number, k, buf, sz);
}

static json_t *
ident_json(int64_t rnum, int k)
{
	char b[40];

	core_report_ident(rnum, k, b, sizeof(b));
	return b[0] ? json_string(b) : json_null();
}

/* ---- input helpers ------------------------------------------------------ */

/* RFC 7386 JSON merge patch, in place. */
static void
merge_patch(json_t *target, json_t *patch)
{
	const char *key;
	json_t *v, *t;

	json_object_foreach(patch, key, v) {
		if (json_is_null(v))
			json_object_del(target, key);
		else if (json_is_object(v) && json_is_object(t = json_object_get(target, key)))
			merge_patch(t, v);
		else
			json_object_set(target, key, v);
	}
}

/* The caller's contact details as the form's 情報連絡元 group. */
static json_t *
reporter_json(const struct api_req *q)
{
	json_t *j = json_object();

	json_object_set_new(j, "ministry_name", json_string(q->org.name));
	if (q->user.department)
		json_object_set_new(j, "department", json_string(q->user.department));
	json_object_set_new(j, "contact_person", json_string(
	    q->user.display_name ? q->user.display_name : q->user.login));
	if (q->user.phone)
		json_object_set_new(j, "phone", json_string(q->user.phone));
	if (q->user.email)
		json_object_set_new(j, "email", json_string(q->user.email));
	return j;
}

/* Server-set fields of a version's form. */
static void
stamp_form(struct api_req *q, json_t *form, int k, const char *identnum)
{
	json_object_set_new(form, "report_sequence_number", json_integer(k));
	json_object_set_new(form, "identification_number", json_string(identnum));
	if (json_object_get(form, "reported_at") == NULL ||
	    json_is_null(json_object_get(form, "reported_at")))
		json_object_set_new(form, "reported_at", api_time(q->now_us));
	json_object_set_new(form, "reporter", reporter_json(q));
}

/* Client-sent server-set fields must agree with what the server will set. */
static enum cs_err
check_client_numbers(json_t *form, int k, struct cs_error *e)
{
	json_t *v;

	v = json_object_get(form, "report_sequence_number");
	if (v != NULL && !json_is_null(v) && json_integer_value(v) != k)
		return cs_fail(e, CS_EINVAL, "form.report_sequence_number",
		    "this is report %d of the series (第%d報)", k, k);
	v = json_object_get(form, "identification_number");
	if (k == 1 && v != NULL && json_is_string(v) && json_string_length(v) > 0)
		return cs_fail(e, CS_EINVAL, "form.identification_number",
		    "must be blank on the first report: NISC assigns it");
	return CS_OK;
}

static char *
dump(json_t *j)
{
	return json_dumps(j, JSON_COMPACT);
}

static enum cs_err
find_orgs(struct api_req *q, enum cs_org_type t, int sector,
    struct store_org **v, size_t *n, struct cs_error *e)
{
	enum cs_err rc = store_org_find(q->st, t, sector >= 0 ?
	    1u << sector : 0, v, n);

	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return CS_OK;
}

static enum cs_err
join_path(struct api_req *q, struct rep *x, enum cs_org_type t,
    const char *field, struct cs_error *e)
{
	struct store_org *v;
	size_t n;
	enum cs_err rc;

	if ((rc = find_orgs(q, t, t == ORG_NISC ? -1 : x->r.sector, &v, &n, e)) != CS_OK)
		return rc;
	if (n == 0) {
		store_orgs_free(v, 0);
		return cs_fail(e, CS_ECONFLICT, field, "no %s organisation is "
		    "registered for sector %s", core_org_type_id(t),
		    core_sector_id(x->r.sector));
	}
	for (size_t i = 0; i < n; i++) {
		struct cs_path_entry pe = { v[i].id, v[i].type, q->now_us };

		if ((rc = store_report_path_add(q->st, x->r.id, &pe)) != CS_OK) {
			store_orgs_free(v, n);
			return cs_fail(e, rc, "", "store error");
		}
	}
	store_orgs_free(v, n);
	return CS_OK;
}

static enum cs_err
assign_r(struct api_req *q, struct rep *x, struct cs_error *e)
{
	enum cs_err rc;

	if (x->r.r_number != 0)
		return CS_OK;
	if ((rc = store_counter_next(q->st, "R", &x->r.r_number)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return CS_OK;
}

/* Strings that would identify an anonymised report's source. */
struct identity {
	json_t	*j;		/* what is sealed */
	char	*needles[8];
	size_t	 n;
};

static void
identity_fini(struct identity *id)
{
	json_decref(id->j);
	for (size_t i = 0; i < id->n; i++)
		free(id->needles[i]);
	memset(id, 0, sizeof(*id));
}

static void
identity_add(struct identity *id, const char *s)
{
	if (s != NULL && strlen(s) >= 2 && id->n < 8)
		id->needles[id->n++] = xstrdup(s);
}

static void
identity_from_json(struct identity *id, json_t *j)
{
	const char *email;

	id->j = j;
	identity_add(id, json_string_value(json_object_get(j, "org_name")));
	identity_add(id, json_string_value(json_object_get(j, "login")));
	identity_add(id, json_string_value(json_object_get(j, "display_name")));
	identity_add(id, json_string_value(json_object_get(j, "phone")));
	email = json_string_value(json_object_get(j, "email"));
	identity_add(id, email);
	if (email != NULL && strchr(email, '@') != NULL)
		identity_add(id, strchr(email, '@') + 1);
}

static json_t *
identity_of_caller(const struct api_req *q)
{
	json_t *j = json_pack("{s:I, s:s, s:I, s:s}", "org", (json_int_t)q->org.id,
	    "org_name", q->org.name, "user", (json_int_t)q->user.id,
	    "login", q->user.login);

	if (q->user.display_name)
		json_object_set_new(j, "display_name", json_string(q->user.display_name));
	if (q->user.email)
		json_object_set_new(j, "email", json_string(q->user.email));
	if (q->user.phone)
		json_object_set_new(j, "phone", json_string(q->user.phone));
	return j;
}

/* Insert version k as the source sent it (sealed on the anonymised route). */
static enum cs_err
insert_source_version(struct api_req *q, struct rep *x, int k, json_t *form,
    const unsigned char *pk, struct cs_error *e)
{
	struct store_version v;
	char *text = dump(form);
	enum cs_err rc;

	memset(&v, 0, sizeof(v));
	v.report = x->r.id;
	v.version = k;
	v.hop = HOP_SOURCE;
	v.created_us = q->now_us;
	if (x->r.anonymised) {
		v.sealed_form = core_seal_to(pk, text);
	} else {
		v.form = text;
		v.by_org = q->who.org_id;
		v.by_user = q->who.user_id;
	}
	rc = store_version_insert(q->st, &v);
	free(v.sealed_form);
	free(text);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return CS_OK;
}

static enum cs_err
ceptoar_of(struct api_req *q, int sector, struct store_org *out,
    struct cs_error *e)
{
	struct store_org *v;
	size_t n;
	enum cs_err rc;

	if (q->org.ceptoar != 0) {
		rc = store_org_get(q->st, q->org.ceptoar, out);
		if (rc != CS_OK)
			return cs_fail(e, CS_ECONFLICT, "route", "your CEPTOAR "
			    "secretariat no longer exists");
		return CS_OK;
	}
	if ((rc = find_orgs(q, ORG_CEPTOAR_SEC, sector, &v, &n, e)) != CS_OK)
		return rc;
	if (n == 0) {
		store_orgs_free(v, 0);
		return cs_fail(e, CS_ECONFLICT, "route", "no CEPTOAR secretariat "
		    "is registered for sector %s", core_sector_id(sector));
	}
	*out = v[0];
	memset(&v[0], 0, sizeof(v[0]));
	store_orgs_free(v, n);
	return CS_OK;
}

/* ---- POST /reports ------------------------------------------------------ */

static enum cs_err
reports_create(struct api_req *q, struct cs_error *e)
{
	static const char *const keys[] = { "route", "legal_duty", "form",
	    "extra_recipients", NULL };
	struct rep x;
	struct store_org cep, o;
	struct identity idn;
	json_t *form, *v;
	int64_t *extra = NULL;
	size_t nextra = 0;
	char *text;
	enum cs_err rc;

	memset(&x, 0, sizeof(x));
	memset(&cep, 0, sizeof(cep));
	memset(&idn, 0, sizeof(idn));
	if ((rc = api_check_keys(q->body, keys, e)) != CS_OK)
		return rc;
	v = json_object_get(q->body, "route");
	if (v == NULL)
		return cs_fail(e, CS_EINVAL, "route", "required field is missing");
	if (!json_is_string(v) || core_route_parse(json_string_value(v), &x.r.route) != 0)
		return cs_fail(e, CS_EINVAL, "route", "must be direct, via_ceptoar "
		    "or urgent");
	v = json_object_get(q->body, "legal_duty");
	if (v != NULL && !json_is_boolean(v))
		return cs_fail(e, CS_EINVAL, "legal_duty", "must be a boolean");
	x.r.legal_duty = v != NULL && json_is_true(v);
	form = json_object_get(q->body, "form");
	if ((rc = core_report_form_validate(form, "form", e)) != CS_OK)
		return rc;
	if ((rc = check_client_numbers(form, 1, e)) != CS_OK)
		return rc;
	if (x.r.route == ROUTE_VIA_CEPTOAR && x.r.legal_duty)
		return cs_fail(e, CS_EINVAL, "route", "an event with a legal "
		    "reporting duty goes to the ministry, not through the "
		    "anonymised CEPTOAR route (行動計画 別添 2.2)");
	v = json_object_get(q->body, "extra_recipients");
	if (v != NULL && !json_is_null(v) &&
	    (rc = api_id_array(v, "extra_recipients", &extra, &nextra, e)) != CS_OK)
		return rc;
	if (q->who.org_type != ORG_CI_OPERATOR) {
		free(extra);
		return cs_fail(e, CS_EPERM, "", "reports are filed by critical-"
		    "infrastructure operators (ci_operator)");
	}
	if ((rc = api_need_roles(q, ROLE_MEMBER | ROLE_POC | ROLE_ORG_ADMIN, e)) != CS_OK) {
		free(extra);
		return rc;
	}
	for (size_t i = 0; i < nextra; i++) {
		enum cs_err grc = store_org_get(q->st, extra[i], &o);

		if (grc != CS_OK || o.type == ORG_PLATFORM) {
			char path[40];

			if (grc == CS_OK)
				store_org_fini(&o);
			free(extra);
			cs_fmt(path, sizeof(path), "extra_recipients.%zu", i);
			return cs_fail(e, CS_EINVAL, path, "no such organisation");
		}
		store_org_fini(&o);
	}

	form = json_deep_copy(form);
	x.r.tlp = core_report_form_tlp(form);
	x.r.sector = core_report_form_sector(form);
	x.r.nversions = 1;
	x.r.created_us = x.r.updated_us = q->now_us;
	if (x.r.route == ROUTE_VIA_CEPTOAR) {
		if ((rc = ceptoar_of(q, x.r.sector, &cep, e)) != CS_OK)
			goto out;
		if (!cep.has_pk) {
			rc = cs_fail(e, CS_ECONFLICT, "route", "the CEPTOAR "
			    "secretariat has no sealing key");
			goto out;
		}
		x.r.anonymised = true;
		x.r.ceptoar_org = cep.id;
		x.r.state = ST_AT_CEPTOAR;
	} else {
		x.r.submitter_org = q->who.org_id;
		x.r.state = x.r.route == ROUTE_URGENT ? ST_AT_NISC : ST_AT_MINISTRY;
	}
	if ((rc = store_report_insert(q->st, &x.r)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	/* Path first: an urgent report needs its R-number in the form. */
	if (x.r.route == ROUTE_VIA_CEPTOAR) {
		struct cs_path_entry pe = { cep.id, ORG_CEPTOAR_SEC, q->now_us };

		if ((rc = store_report_path_add(q->st, x.r.id, &pe)) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
	} else {
		if ((rc = join_path(q, &x, ORG_CI_MINISTRY, "form.sector", e)) != CS_OK)
			goto out;
		if (x.r.route == ROUTE_URGENT) {
			if ((rc = join_path(q, &x, ORG_NISC, "route", e)) != CS_OK ||
			    (rc = assign_r(q, &x, e)) != CS_OK)
				goto out;
		}
	}
	{
		char idb[40];

		ident(&x, 1, idb, sizeof(idb));
		stamp_form(q, form, 1, idb);
	}
	if (x.r.anonymised) {
		core_anon_tag(x.r.id, q->who.org_id, x.r.anon_tag);
		identity_from_json(&idn, identity_of_caller(q));
		text = dump(idn.j);
		x.r.sealed_identity = core_seal_to(cep.pk, text);
		free(text);
		if ((rc = store_report_set_anon(q->st, &x.r)) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
	}
	if ((rc = store_report_update(q->st, &x.r)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	if ((rc = insert_source_version(q, &x, 1, form, cep.pk, e)) != CS_OK)
		goto out;
	for (size_t i = 0; i < nextra; i++)
		if ((rc = store_report_extra_add(q->st, x.r.id, extra[i])) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
	{
		char item[32];

		cs_fmt(item, sizeof(item), "report:%lld", (long long)x.r.id);
		if ((rc = api_audit(q, "report.create", item, json_pack(
		    "{s:i, s:s, s:s}", "version", 1, "route",
		    core_route_id(x.r.route), "tlp", core_tlp_id(x.r.tlp)),
		    x.r.anonymised)) != CS_OK) {
			rc = cs_fail(e, rc, "", "audit failed");
			goto out;
		}
	}
	q->status = 201;
	q->out = json_pack("{s:I, s:i, s:s, s:o}", "id", (json_int_t)x.r.id,
	    "version", 1, "state", core_state_id(x.r.state),
	    "identification_number", ident_json(x.r.r_number, 1));
	rc = CS_OK;
out:
	json_decref(form);
	free(extra);
	identity_fini(&idn);
	store_org_fini(&cep);
	free(x.r.sealed_identity);
	x.r.sealed_identity = NULL;
	return rc;
}

/* ---- POST /reports/{id}/followups --------------------------------------- */

static enum cs_err
reports_followup(struct api_req *q, struct cs_error *e)
{
	static const char *const keys[] = { "form", NULL };
	struct rep x;
	struct store_org cep;
	json_t *form = NULL;
	enum cs_tlp tlp;
	enum cs_err rc;
	char item[32], idb[40];
	int k;

	memset(&cep, 0, sizeof(cep));
	if ((rc = api_check_keys(q->body, keys, e)) != CS_OK)
		return rc;
	if ((rc = rep_load_visible(q, &x, e)) != CS_OK)
		return rc;
	if (policy_report_relation(&q->who, &x.acl) != REL_SUBMITTER) {
		rc = cs_fail(e, CS_EPERM, "", "only the reporting organisation "
		    "files follow-up reports (続報)");
		goto out;
	}
	if ((rc = api_need_roles(q, ROLE_MEMBER | ROLE_POC | ROLE_ORG_ADMIN, e)) != CS_OK)
		goto out;
	k = x.r.nversions + 1;
	form = json_object_get(q->body, "form");
	if ((rc = core_report_form_validate(form, "form", e)) != CS_OK ||
	    (rc = check_client_numbers(form, k, e)) != CS_OK)
		goto out;
	form = json_deep_copy(form);
	if (core_report_form_sector(form) != x.r.sector) {
		rc = cs_fail(e, CS_EINVAL, "form.sector", "a follow-up keeps the "
		    "series' sector (%s)", core_sector_id(x.r.sector));
		goto out;
	}
	tlp = core_report_form_tlp(form);
	if (tlp > x.r.tlp) {
		rc = cs_fail(e, CS_EINVAL, "form.tlp", "a follow-up may narrow "
		    "the sharing range but not widen it (now %s)",
		    core_tlp_id(x.r.tlp));
		goto out;
	}
	x.r.tlp = tlp;
	x.r.nversions = k;
	x.r.updated_us = q->now_us;
	if (x.r.route == ROUTE_URGENT)
		ident(&x, k, idb, sizeof(idb));
	else
		idb[0] = '\0';
	stamp_form(q, form, k, idb);
	if (x.r.anonymised && store_org_get(q->st, x.r.ceptoar_org, &cep) != CS_OK) {
		rc = cs_fail(e, CS_ECONFLICT, "", "the CEPTOAR secretariat of this "
		    "report no longer exists");
		goto out;
	}
	if ((rc = insert_source_version(q, &x, k, form, cep.pk, e)) != CS_OK)
		goto out;
	if ((rc = store_report_update(q->st, &x.r)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	cs_fmt(item, sizeof(item), "report:%lld", (long long)x.r.id);
	if ((rc = api_audit(q, "report.followup", item, json_pack("{s:i, s:s}",
	    "version", k, "tlp", core_tlp_id(tlp)), x.r.anonymised)) != CS_OK) {
		rc = cs_fail(e, rc, "", "audit failed");
		goto out;
	}
	q->status = 201;
	q->out = json_pack("{s:I, s:i, s:s}", "id", (json_int_t)x.r.id,
	    "version", k, "state", core_state_id(x.r.state));
	rc = CS_OK;
out:
	json_decref(form);
	store_org_fini(&cep);
	rep_fini(&x);
	return rc;
}

/* ---- POST /reports/{id}/forward ----------------------------------------- */

/* Anonymise one version's source form for the ministry. */
static enum cs_err
anonymise(struct api_req *q, struct rep *x, json_t *form, struct cs_error *e)
{
	struct identity idn;
	char *plain;
	json_t *j;

	memset(&idn, 0, sizeof(idn));
	plain = open_sealed(q, x, x->r.sealed_identity);
	if (plain == NULL)
		return cs_fail(e, CS_EINTERNAL, "", "cannot open the sealed "
		    "identity of this report");
	j = json_loads(plain, 0, NULL);
	free(plain);
	if (j == NULL)
		return cs_fail(e, CS_EINTERNAL, "", "corrupt sealed identity");
	identity_from_json(&idn, j);
	json_object_del(form, "affected_operator_name");
	core_report_form_redact(form, (const char *const *)idn.needles, idn.n,
	    "［匿名化］");
	identity_fini(&idn);
	return CS_OK;
}

static enum cs_err
reports_forward(struct api_req *q, struct cs_error *e)
{
	static const char *const keys[] = { "form", NULL };
	struct rep x;
	struct store_version nv;
	enum cs_relation rel;
	enum cs_hop myhop = HOP_SOURCE, from = HOP_SOURCE;
	enum cs_tlp in_tlp;
	json_t *patch, *forwarded, *form = NULL;
	int k, first = 0, last = 0;
	char item[32], idb[40];
	enum cs_err rc;

	if ((rc = api_check_keys(q->body, keys, e)) != CS_OK)
		return rc;
	patch = json_object_get(q->body, "form");
	if (patch != NULL && !json_is_null(patch) && !json_is_object(patch))
		return cs_fail(e, CS_EINVAL, "form", "must be an object");
	if ((rc = rep_load_visible(q, &x, e)) != CS_OK)
		return rc;
	rel = policy_report_relation(&q->who, &x.acl);
	if (rel == REL_CEPTOAR) {
		myhop = HOP_CEPTOAR;
		rc = api_need_roles(q, ROLE_POC | ROLE_MEMBER | ROLE_ORG_ADMIN, e);
	} else if (rel == REL_MINISTRY) {
		myhop = HOP_MINISTRY;
		rc = api_need_roles(q, ROLE_LIAISON, e);
	} else {
		rc = cs_fail(e, CS_EPERM, "", "only the CEPTOAR secretariat or the "
		    "ministry on the report's path forwards it");
	}
	if (rc != CS_OK)
		goto out;
	forwarded = json_array();
	for (k = 1; k <= x.r.nversions; k++) {
		enum cs_state reached = version_reached(&x, k);

		if (hop_row(&x, k, myhop) != NULL)
			continue;
		if (myhop == HOP_CEPTOAR && reached != ST_AT_CEPTOAR)
			continue;
		if (myhop == HOP_MINISTRY && reached < ST_AT_MINISTRY)
			continue;
		if (first == 0)
			first = k;
		last = k;
	}
	if (first == 0) {
		json_decref(forwarded);
		rc = cs_fail(e, CS_ECONFLICT, "", "nothing to forward: every "
		    "version has already left your hop");
		goto out;
	}
	if (myhop == HOP_MINISTRY) {
		if ((rc = join_path(q, &x, ORG_NISC, "", e)) != CS_OK ||
		    (rc = assign_r(q, &x, e)) != CS_OK) {
			json_decref(forwarded);
			goto out;
		}
	}
	for (k = first; k <= last; k++) {
		if (hop_row(&x, k, myhop) != NULL)
			continue;
		form = visible_form(q, &x, k, &from);
		if (form == NULL) {
			json_decref(forwarded);
			rc = cs_fail(e, CS_EINTERNAL, "", "version %d unreadable", k);
			goto out;
		}
		if (myhop == HOP_CEPTOAR && (rc = anonymise(q, &x, form, e)) != CS_OK) {
			json_decref(forwarded);
			goto out;
		}
		in_tlp = core_report_form_tlp(form);
		if (k == last && patch != NULL && json_is_object(patch)) {
			merge_patch(form, patch);
			if (myhop == HOP_CEPTOAR &&
			    (rc = anonymise(q, &x, form, e)) != CS_OK) {
				json_decref(forwarded);
				goto out;
			}
		}
		if (myhop == HOP_MINISTRY)
			ident(&x, k, idb, sizeof(idb));
		else
			idb[0] = '\0';
		json_object_set_new(form, "reporter", reporter_json(q));
		json_object_set_new(form, "identification_number", json_string(idb));
		json_object_set_new(form, "report_sequence_number", json_integer(k));
		if ((rc = core_report_form_validate(form, "form", e)) != CS_OK) {
			json_decref(forwarded);
			goto out;
		}
		if (core_report_form_sector(form) != x.r.sector) {
			json_decref(forwarded);
			rc = cs_fail(e, CS_EINVAL, "form.sector", "the sector of a "
			    "report series does not change");
			goto out;
		}
		/* Each hop may narrow what it received, never widen it. */
		if (core_report_form_tlp(form) > in_tlp) {
			json_decref(forwarded);
			rc = cs_fail(e, CS_EINVAL, "form.tlp", "a hop may narrow the "
			    "sharing range but not widen it (received %s)",
			    core_tlp_id(in_tlp));
			goto out;
		}
		if (core_report_form_tlp(form) < x.r.tlp)
			x.r.tlp = core_report_form_tlp(form);
		memset(&nv, 0, sizeof(nv));
		nv.report = x.r.id;
		nv.version = k;
		nv.hop = myhop;
		nv.form = dump(form);
		nv.by_org = q->who.org_id;
		nv.by_user = q->who.user_id;
		nv.created_us = q->now_us;
		rc = store_version_insert(q->st, &nv);
		free(nv.form);
		json_decref(form);
		form = NULL;
		if (rc != CS_OK) {
			json_decref(forwarded);
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
		json_array_append_new(forwarded, json_integer(k));
	}
	if (myhop == HOP_CEPTOAR) {
		if ((rc = join_path(q, &x, ORG_CI_MINISTRY, "", e)) != CS_OK) {
			json_decref(forwarded);
			goto out;
		}
		if (x.r.state < ST_AT_MINISTRY)
			x.r.state = ST_AT_MINISTRY;
	} else
		x.r.state = ST_AT_NISC;
	x.r.updated_us = q->now_us;
	if ((rc = store_report_update(q->st, &x.r)) != CS_OK) {
		json_decref(forwarded);
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	cs_fmt(item, sizeof(item), "report:%lld", (long long)x.r.id);
	if ((rc = api_audit(q, "report.forward", item, json_pack("{s:s, s:O}",
	    "hop", core_hop_id(myhop), "versions", forwarded), false)) != CS_OK) {
		json_decref(forwarded);
		rc = cs_fail(e, rc, "", "audit failed");
		goto out;
	}
	q->status = 200;
	q->out = json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)x.r.id,
	    "state", core_state_id(x.r.state), "identification_number",
	    ident_json(x.r.r_number, 1), "forwarded_versions", forwarded);
	rc = CS_OK;
out:
	json_decref(form);
	rep_fini(&x);
	return rc;
}

/* ---- POST /reports/{id}/share ------------------------------------------- */

static enum cs_err
reports_share(struct api_req *q, struct cs_error *e)
{
	static const char *const keys[] = { "to", NULL };
	struct rep x;
	struct store_org o;
	struct cs_org_ref ref;
	int64_t *to = NULL;
	size_t nto = 0;
	json_t *v, *done;
	char path[32], item[32];
	enum cs_err rc;

	if ((rc = api_check_keys(q->body, keys, e)) != CS_OK)
		return rc;
	v = json_object_get(q->body, "to");
	if (v == NULL)
		return cs_fail(e, CS_EINVAL, "to", "required field is missing");
	if ((rc = api_id_array(v, "to", &to, &nto, e)) != CS_OK)
		return rc;
	if (nto == 0) {
		free(to);
		return cs_fail(e, CS_EINVAL, "to", "name at least one organisation");
	}
	if ((rc = rep_load_visible(q, &x, e)) != CS_OK) {
		free(to);
		return rc;
	}
	done = json_array();
	for (size_t i = 0; i < nto; i++) {
		cs_fmt(path, sizeof(path), "to.%zu", i);
		rc = store_org_get(q->st, to[i], &o);
		if (rc != CS_OK) {
			rc = cs_fail(e, rc == CS_ENOENT ? CS_EINVAL : rc, path,
			    "no such organisation");
			goto out;
		}
		api_org_ref(&o, &ref);
		store_org_fini(&o);
		if ((rc = policy_report_may_share(&q->who, &x.acl, &ref, path, e)) != CS_OK)
			goto out;
		{
			struct store_share sh = { to[i], q->who.org_id, q->now_us };

			if ((rc = store_report_share_add(q->st, x.r.id, &sh)) != CS_OK) {
				rc = cs_fail(e, rc, "", "store error");
				goto out;
			}
		}
		json_array_append_new(done, json_integer(to[i]));
	}
	cs_fmt(item, sizeof(item), "report:%lld", (long long)x.r.id);
	if ((rc = api_audit(q, "report.share", item, json_pack("{s:O}", "to",
	    done), false)) != CS_OK) {
		rc = cs_fail(e, rc, "", "audit failed");
		goto out;
	}
	q->status = 200;
	q->out = json_pack("{s:I, s:O}", "id", (json_int_t)x.r.id, "shared_with", done);
	rc = CS_OK;
out:
	json_decref(done);
	free(to);
	rep_fini(&x);
	return rc;
}

/* ---- GET ---------------------------------------------------------------- */

static json_t *
report_json(struct api_req *q, struct rep *x)
{
	json_t *j, *versions, *path, *hops, *form;
	enum cs_relation rel = policy_report_relation(&q->who, &x->acl);
	bool holder = rel != REL_SHARED && rel != REL_NONE;
	enum cs_hop shown = HOP_SOURCE;
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
			char *plain = open_sealed(q, x, x->r.sealed_identity);
			json_t *idj = plain ? json_loads(plain, 0, NULL) : NULL;

			free(plain);
			if (idj != NULL)
				json_object_set_new(j, "submitter", idj);
		} else
			json_object_set_new(j, "submitter", json_pack("{s:I}",
			    "org", (json_int_t)x->r.submitter_org));
	}
	json_object_set_new(j, "relation", json_string(rel_id(rel)));
	versions = json_array();
	for (int k = 1; k <= x->r.nversions; k++) {
		const struct store_version *src;
		enum cs_state reached = version_reached(x, k);

		if ((form = visible_form(q, x, k, &shown)) == NULL)
			continue;
		src = hop_row(x, k, HOP_SOURCE);
		core_report_ident(reached == ST_AT_NISC ? x->r.r_number : 0, k,
		    idb, sizeof(idb));
		hops = json_array();
		for (int h = HOP_SOURCE; h <= HOP_MINISTRY; h++) {
			const struct store_version *row = hop_row(x, k, (enum cs_hop)h);

			if (row == NULL || !policy_report_hop_visible(&q->who,
			    &x->acl, (enum cs_hop)h, row->form == NULL))
				continue;
			json_array_append_new(hops, json_pack("{s:s, s:o, s:o}",
			    "hop", core_hop_id((enum cs_hop)h), "at",
			    api_time(row->created_us), "by_org", row->by_org ?
			    json_integer(row->by_org) : json_null()));
		}
		json_array_append_new(versions, json_pack("{s:i, s:o, s:s, s:o, s:s, s:o, s:o}",
		    "version", k, "identification_number",
		    idb[0] ? json_string(idb) : json_null(),
		    "state", core_state_id(reached),
		    "submitted_at", api_time(src ? src->created_us : 0),
		    "shown_hop", core_hop_id(shown), "hops", hops, "form", form));
	}
	json_object_set_new(j, "versions", versions);
	/* How many versions this reader sees, not how many exist. */
	json_object_set_new(j, "version_count", json_integer(
	    (json_int_t)json_array_size(versions)));
	return j;
}

static enum cs_err
reports_get(struct api_req *q, struct cs_error *e)
{
	struct rep x;
	char item[32];
	bool anon;
	enum cs_err rc;

	if ((rc = rep_load_visible(q, &x, e)) != CS_OK)
		return rc;
	q->out = report_json(q, &x);
	cs_fmt(item, sizeof(item), "report:%lld", (long long)x.r.id);
	/* A source reading its own anonymised report is audited without its name. */
	anon = x.r.anonymised &&
	    policy_report_relation(&q->who, &x.acl) == REL_SUBMITTER;
	rc = api_audit(q, "report.read", item, anon ? json_object() : NULL, anon);
	rep_fini(&x);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "audit failed");
	q->status = 200;
	return CS_OK;
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

static enum cs_err
reports_list(struct api_req *q, struct cs_error *e)
{
	struct store_report_filter f;
	const char *sector = q->query(q->conn, "sector");
	const char *event = q->query(q->conn, "event_type");
	const char *since = q->query(q->conn, "since");
	const char *text = q->query(q->conn, "q");
	const char *anon = q->query(q->conn, "anonymised");
	const char *cause = q->query(q->conn, "cause");
	const char *tlp_q = q->query(q->conn, "tlp");
	const char *imp_q = q->query(q->conn, "importance");
	const char *until = q->query(q->conn, "until");
	int64_t until_us = 0;
	enum cs_tlp want_tlp = TLP_RED;
	int limit, want_sector = -1, scanned = 0;
	bool mine_anon = false;
	int64_t cursor, since_us = 0, *ids = NULL, last = 0;
	size_t n;
	json_t *items, *listed, *listed_anon;
	bool more = false;
	enum cs_err rc;

	if ((rc = api_list_limit(q, &limit, &cursor, e)) != CS_OK)
		return rc;
	if (sector != NULL && (want_sector = core_sector_parse(sector)) < 0)
		return cs_fail(e, CS_EINVAL, "sector", "unknown sector id");
	if (event != NULL && strncmp(event, "event_", 6) != 0)
		return cs_fail(e, CS_EINVAL, "event_type", "unknown event type");
	if (event != NULL) {
		json_t *probe = json_pack("{s:s, s:s, s:s, s:s}", "tlp", "red",
		    "has_attachment", "no", "sector", "ict", "event_type", event);
		struct cs_error pe;

		rc = core_report_form_validate(probe, "form", &pe);
		json_decref(probe);
		if (rc != CS_OK)
			return cs_fail(e, CS_EINVAL, "event_type", "unknown event type");
	}
	if (since != NULL && cs_time_parse(since, &since_us) != CS_OK)
		return cs_fail(e, CS_EINVAL, "since", "must be an RFC 3339 date-time");
	if (until != NULL && cs_time_parse(until, &until_us) != CS_OK)
		return cs_fail(e, CS_EINVAL, "until", "must be an RFC 3339 date-time");
	if (tlp_q != NULL && core_tlp_parse(tlp_q, &want_tlp) != 0)
		return cs_fail(e, CS_EINVAL, "tlp", "unknown TLP level");
	if (imp_q != NULL && core_importance_parse(imp_q) == IMP_NONE)
		return cs_fail(e, CS_EINVAL, "importance", "must be alert, caution "
		    "or reference");
	if (cause != NULL) {
		json_t *probe = json_pack("{s:s, s:s, s:s, s:[s]}", "tlp", "red",
		    "has_attachment", "no", "sector", "ict", "cause_types", cause);
		struct cs_error pe;

		rc = core_report_form_validate(probe, "form", &pe);
		json_decref(probe);
		if (rc != CS_OK)
			return cs_fail(e, CS_EINVAL, "cause", "unknown cause type");
	}
	/*
	 * A source's own anonymised reports are listed apart (?anonymised=mine),
	 * so no request's audit trail puts them beside its identified reads.
	 */
	if (anon != NULL) {
		if (strcmp(anon, "mine") != 0)
			return cs_fail(e, CS_EINVAL, "anonymised", "the only value is "
			    "'mine'");
		mine_anon = true;
	}
	if (text != NULL && (strlen(text) > 256 || cs_utf8_len(text, strlen(text)) < 0))
		return cs_fail(e, CS_EINVAL, "q", "at most 256 characters of UTF-8");
	items = json_array();
	listed = json_array();
	listed_anon = json_array();
	f.org = q->who.org_id;
	f.anonymised = mine_anon;
	f.sector = want_sector;
	f.before_id = cursor;
	f.limit = 200;
	while ((int)json_array_size(items) < limit) {
		if ((rc = store_report_candidates(q->st, &f, &ids, &n)) != CS_OK) {
			json_decref(items);
			json_decref(listed);
			json_decref(listed_anon);
			return cs_fail(e, rc, "", "store error");
		}
		for (size_t i = 0; i < n; i++) {
			struct rep x;
			struct cs_error le;
			json_t *form = NULL;
			int k;

			f.before_id = ids[i];
			if ((int)json_array_size(items) >= limit) {
				more = true;
				break;
			}
			scanned++;
			if (rep_load(q, ids[i], &x, &le) != CS_OK)
				continue;
			if (!policy_report_may_read(&q->who, &x.acl))
				goto next;
			if (mine_anon != (x.r.anonymised && policy_report_relation(
			    &q->who, &x.acl) == REL_SUBMITTER))
				goto next;
			if (want_sector >= 0 && x.r.sector != want_sector)
				goto next;
			if (since_us && x.r.updated_us < since_us)
				goto next;
			if (until_us && x.r.updated_us > until_us)
				goto next;
			if (tlp_q != NULL && x.r.tlp != want_tlp)
				goto next;
			for (k = x.r.nversions; k >= 1; k--) {
				char *ft = visible_form_text(q, &x, k, NULL);

				if (ft == NULL)
					continue;
				/* A text search needs the whole form. */
				form = text != NULL && *text ? json_loads(ft, 0,
				    NULL) : form_list_fields(ft);
				free(ft);
				break;
			}
			if (form == NULL)
				goto next;
			if (event != NULL && !cs_streq(json_string_value(
			    json_object_get(form, "event_type")), event))
				goto next;
			if (text != NULL && *text && !json_contains(form, text))
				goto next;
			if (imp_q != NULL && !cs_streq(json_string_value(
			    json_object_get(form, "importance")), imp_q))
				goto next;
			if (cause != NULL) {
				json_t *c;
				size_t ci;
				bool hit = false;

				json_array_foreach(json_object_get(form, "cause_types"), ci, c)
					hit |= cs_streq(json_string_value(c), cause);
				if (!hit)
					goto next;
			}
			{
				json_t *ov = json_object_get(form, "overview");
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

				json_object_set(it, "event_type", json_object_get(form,
				    "event_type") ? json_object_get(form, "event_type") :
				    json_null());
				json_object_set(it, "importance", json_object_get(form,
				    "importance") ? json_object_get(form, "importance") :
				    json_null());
				{
					json_t *ct = json_object_get(form, "cause_types");

					json_object_set_new(it, "cause_types", ct ?
					    json_incref(ct) : json_array());
				}
				json_object_set_new(it, "relation", json_string(rel_id(
				    policy_report_relation(&q->who, &x.acl))));
				json_object_set(it, "summary", ov && json_object_get(ov,
				    "event_summary") ? json_object_get(ov, "event_summary") :
				    json_null());
				json_array_append_new(items, it);
				json_array_append_new(mine_anon ? listed_anon :
				    listed, json_integer(x.r.id));
				last = x.r.id;
			}
next:
			json_decref(form);
			rep_fini(&x);
		}
		free(ids);
		ids = NULL;
		if (more || n < (size_t)f.limit)
			break;
	}
	if ((int)json_array_size(items) >= limit && !more && n == (size_t)f.limit)
		more = true;
	if ((json_array_size(listed) > 0 && (rc = api_audit(q, "report.list",
	    NULL, json_pack("{s:O}", "reports", listed), false)) != CS_OK) ||
	    (json_array_size(listed_anon) > 0 && (rc = api_audit(q, "report.list",
	    NULL, json_pack("{s:O}", "reports", listed_anon), true)) != CS_OK)) {
		json_decref(items);
		json_decref(listed);
		json_decref(listed_anon);
		return cs_fail(e, rc, "", "audit failed");
	}
	json_decref(listed);
	json_decref(listed_anon);
	q->out = api_list_json(items, more, last);
	(void)scanned;
	q->status = 200;
	return CS_OK;
}

/* .visible of the report routes: the report exists and the caller reads it. */
static enum cs_err
report_visible(struct api_req *q, struct cs_error *e)
{
	struct rep x;
	enum cs_err rc;

	if ((rc = rep_load_visible(q, &x, e)) == CS_OK)
		rep_fini(&x);
	return rc;
}

const struct api_route api_reports_routes[] = {
	{ .method = "POST", .pattern = "/reports",
	  .action = ACT_REPORT_FILE, .flags = API_BODY,
	  .body = API_KEYS("route", "legal_duty", "form", "extra_recipients"),
	  .fn = reports_create },
	{ .method = "GET", .pattern = "/reports",
	  .action = ACT_REPORT_LIST, .flags = API_SNAPSHOT,
	  .fn = reports_list },
	{ .method = "GET", .pattern = "/reports/:id",
	  .action = ACT_REPORT_READ, .flags = API_SNAPSHOT,
	  .fn = reports_get },
	{ .method = "POST", .pattern = "/reports/:id/followups",
	  .action = ACT_REPORT_FOLLOWUP, .flags = API_BODY,
	  .body = API_KEYS("form"), .visible = report_visible,
	  .fn = reports_followup },
	{ .method = "POST", .pattern = "/reports/:id/forward",
	  .action = ACT_REPORT_FORWARD, .flags = API_OPTBODY,
	  .body = API_KEYS("form"), .visible = report_visible,
	  .fn = reports_forward },
	{ .method = "POST", .pattern = "/reports/:id/share",
	  .action = ACT_REPORT_SHARE, .flags = API_BODY,
	  .body = API_KEYS("to"), .visible = report_visible,
	  .fn = reports_share },
	{ .method = NULL }
};
