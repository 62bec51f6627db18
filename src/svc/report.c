/*
 * report.c: reports (see svc_report.h).
 *
 * A report is a series of immutable versions (第k報).  Each version is
 * stored once per hop that handled it: as the source sent it (sealed to the
 * CEPTOAR secretariat on the anonymised route), as the secretariat
 * forwarded it (anonymised), and as the ministry completed it for NISC.
 * What a principal sees of all that is decided by core's policy_report_*
 * functions only; how a report moves, by core's flow_*.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "analysis/obs.h"
#include "core/flow.h"
#include "core/ident.h"
#include "svc/svc_disclosure.h"
#include "svc/svc_obs.h"
#include "svc/svc_report.h"

/* ---- loading ------------------------------------------------------------- */

void
svc_report_fini(struct svc_report *x)
{
	store_report_fini(&x->r);
	free(x->shared);
	free(x->shared_reach);
	free(x->shared_disclosure);
	store_versions_free(x->v, x->nv);
	memset(x, 0, sizeof(*x));
}

enum cs_err
svc_report_load(struct svc_ctx *c, int64_t id, unsigned flags,
    struct svc_report *x, struct cs_error *e)
{
	struct store_org o;
	enum cs_err rc;

	memset(x, 0, sizeof(*x));
	if ((rc = store_report_get(c->st, id, &x->r)) != CS_OK)
		return svc_load_failed(rc, "report", e);
	x->shared = xcalloc(x->r.nshares + 1, sizeof(*x->shared));
	x->shared_reach = xcalloc(x->r.nshares + 1, sizeof(*x->shared_reach));
	x->shared_disclosure = xcalloc(x->r.nshares + 1,
	    sizeof(*x->shared_disclosure));
	for (size_t i = 0; i < x->r.nshares; i++) {
		x->shared_disclosure[i] = x->r.shares[i].disclosure;
		/* A share shows what had reached the sharer's hop. */
		x->shared_reach[i] = flow_share_reach(x->r.shares[i].by_org,
		    x->r.submitter_org, x->r.path, x->r.npath);
		if ((rc = store_org_get(c->st, x->r.shares[i].org, &o)) != CS_OK) {
			svc_report_fini(x);
			return cs_fail(e, CS_ESTORE, "", "dangling share");
		}
		svc_org_ref(&o, &x->shared[i]);
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
	x->acl.shared_disclosure = x->shared_disclosure;
	x->acl.extra = x->r.extra;
	x->acl.nextra = x->r.nextra;
	if ((flags & SVC_LOAD_VERSIONS) &&
	    (rc = store_version_list(c->st, id, &x->v, &x->nv)) != CS_OK) {
		svc_report_fini(x);
		return cs_fail(e, rc, "", "store error");
	}
	return CS_OK;
}

enum cs_err
svc_report_versions(struct svc_ctx *c, struct svc_report *x)
{
	if (x->v != NULL || x->nv > 0)
		return CS_OK;
	return store_version_list(c->st, x->r.id, &x->v, &x->nv);
}

/* Invisible is indistinguishable from absent. */
enum cs_err
svc_report_load_visible(struct svc_ctx *c, int64_t id, unsigned flags,
    struct svc_report *x, struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = svc_report_load(c, id, flags, x, e)) != CS_OK)
		return rc;
	if (!policy_report_may_read(&c->who, &x->acl)) {
		svc_report_fini(x);
		return cs_fail(e, CS_ENOENT, "", "no such report");
	}
	return CS_OK;
}

enum cs_state
svc_report_reached(const struct svc_report *x, int k)
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
	return flow_version_reached(x->r.route, any, ceptoar, ministry);
}

const struct store_version *
svc_report_hop_row(const struct svc_report *x, int k, enum cs_hop h)
{
	for (size_t i = 0; i < x->nv; i++)
		if (x->v[i].version == k && x->v[i].hop == h)
			return &x->v[i];
	return NULL;
}

char *
svc_report_open_sealed(struct svc_ctx *c, const struct svc_report *x,
    const char *sealed)
{
	struct store_org tmp, *o = c->sealer != NULL ? c->sealer : &tmp;
	char *plain = NULL;

	if (sealed == NULL || x->r.ceptoar_org == 0)
		return NULL;
	if (o == &tmp)
		memset(&tmp, 0, sizeof(tmp));
	/* A list opens many seals of one secretariat: load it once. */
	if (o->id != x->r.ceptoar_org) {
		store_org_fini(o);
		if (store_org_get(c->st, x->r.ceptoar_org, o) != CS_OK) {
			memset(o, 0, sizeof(*o));
			return NULL;
		}
	}
	if (o->has_pk && o->wrapped_sk != NULL)
		plain = core_open_sealed(o->pk, o->wrapped_sk, sealed);
	if (o == &tmp)
		store_org_fini(&tmp);
	return plain;
}

const struct store_version *
svc_report_visible_row(struct svc_ctx *c, const struct svc_report *x, int k,
    char **plain, enum cs_hop *hop_out)
{
	const struct store_version *row;

	*plain = NULL;
	if (!policy_report_version_visible(&c->who, &x->acl,
	    svc_report_reached(x, k)))
		return NULL;
	for (int h = HOP_MINISTRY; h >= HOP_SOURCE; h--) {
		if ((row = svc_report_hop_row(x, k, (enum cs_hop)h)) == NULL)
			continue;
		if (!policy_report_hop_visible(&c->who, &x->acl, (enum cs_hop)h,
		    row->form == NULL))
			continue;
		if (row->form == NULL && (*plain = svc_report_open_sealed(c, x,
		    row->sealed_form)) == NULL)
			continue;
		if (hop_out != NULL)
			*hop_out = (enum cs_hop)h;
		return row;
	}
	return NULL;
}

char *
svc_report_visible_text(struct svc_ctx *c, const struct svc_report *x, int k,
    enum cs_hop *hop_out)
{
	const struct store_version *row;
	char *plain;

	if ((row = svc_report_visible_row(c, x, k, &plain, hop_out)) == NULL)
		return NULL;
	return plain != NULL ? plain : xstrdup(row->form);
}

json_t *
svc_report_visible_form(struct svc_ctx *c, const struct svc_report *x, int k,
    enum cs_hop *hop_out)
{
	const struct store_version *row;
	char *plain;
	json_t *form;

	if ((row = svc_report_visible_row(c, x, k, &plain, hop_out)) == NULL)
		return NULL;
	if (plain == NULL)
		return svc_json_stored(row->form);
	form = json_loads(plain, 0, NULL);
	free(plain);
	return form;
}

/* ---- helpers of the operations ------------------------------------------- */

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

/*
 * The form's 情報連絡元 group: the acting organisation's name, and the
 * contact details the sender filled in (`sent`, the client's group: 部局名,
 * 担当者名, 電話, FAX, メール, so that the next hop can call back), each
 * left blank taken from the acting user's directory entry.
 */
static json_t *
reporter_json(const struct svc_ctx *c, json_t *sent)
{
	static const char *const keys[] = { "department", "contact_person",
	    "phone", "fax", "email" };
	json_t *j = json_object();

	if (c->user->department)
		json_object_set_new(j, "department", json_string(c->user->department));
	svc_contact_add(j, c->user);
	if (c->user->fax && *c->user->fax)
		json_object_set_new(j, "fax", json_string(c->user->fax));
	for (size_t i = 0; json_is_object(sent) && i < sizeof(keys) /
	    sizeof(keys[0]); i++) {
		json_t *v = json_object_get(sent, keys[i]);

		if (json_is_string(v) && json_string_length(v) > 0)
			json_object_set(j, keys[i], v);
	}
	json_object_set_new(j, "ministry_name", json_string(c->org->name));
	return j;
}

/* Server-set fields of a version's form. */
static void
stamp_form(const struct svc_ctx *c, json_t *form, int k, const char *identnum)
{
	json_object_set_new(form, "report_sequence_number", json_integer(k));
	json_object_set_new(form, "identification_number", json_string(identnum));
	if (json_object_get(form, "reported_at") == NULL ||
	    json_is_null(json_object_get(form, "reported_at")))
		json_object_set_new(form, "reported_at", svc_time(c->now_us));
	json_object_set_new(form, "reporter", reporter_json(c,
	    json_object_get(form, "reporter")));
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

/* The organisations of type t a report of x's sector joins (*v: heap). */
static enum cs_err
path_orgs(struct svc_ctx *c, const struct svc_report *x, enum cs_org_type t,
    const char *field, int64_t **v, size_t *n, struct cs_error *e)
{
	enum cs_err rc;

	*v = NULL;
	*n = 0;
	if ((rc = store_org_find_ids(c->st, t, t == ORG_NISC ? 0 :
	    1u << x->r.sector, v, n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if (*n == 0)
		return cs_fail(e, CS_ECONFLICT, field, "no %s organisation is "
		    "registered for sector %s", core_org_type_id(t),
		    core_sector_id(x->r.sector));
	return CS_OK;
}

static enum cs_err
path_add(struct svc_ctx *c, struct svc_report *x, enum cs_org_type t,
    const int64_t *v, size_t n, struct cs_error *e)
{
	enum cs_err rc;

	for (size_t i = 0; i < n; i++) {
		struct cs_path_entry pe = { v[i], t, c->now_us };

		if ((rc = store_report_path_add(c->st, x->r.id, &pe)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
	}
	return CS_OK;
}

static enum cs_err
join_path(struct svc_ctx *c, struct svc_report *x, enum cs_org_type t,
    const char *field, struct cs_error *e)
{
	int64_t *v;
	size_t n;
	enum cs_err rc;

	if ((rc = path_orgs(c, x, t, field, &v, &n, e)) == CS_OK)
		rc = path_add(c, x, t, v, n, e);
	free(v);
	return rc;
}

/* NISC holds it now: the series gets its R-number (once). */
static enum cs_err
assign_r(struct svc_ctx *c, struct svc_report *x, struct cs_error *e)
{
	enum cs_err rc;

	if (x->r.r_number != 0)
		return CS_OK;
	if ((rc = store_counter_next(c->st, "R", &x->r.r_number)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return CS_OK;
}

/* What is sealed of the acting principal when it files anonymised. */
static char *
identity_of_caller(const struct svc_ctx *c)
{
	json_t *j = svc_identity_snapshot(c);
	char *text = json_dumps(j, JSON_COMPACT);

	json_decref(j);
	return text;
}

enum cs_err
svc_report_source_identity(struct svc_ctx *c, const struct svc_report *x,
    struct svc_identity *id, struct cs_error *e)
{
	int64_t org = x->r.submitter_org;
	enum cs_err rc;

	svc_identity_init(id);
	/* Erased (svc_retention_erase_source): nothing names the source. */
	if (x->r.anonymised && x->r.sealed_identity == NULL)
		return svc_identity_compile(id, e);
	if (x->r.anonymised) {
		char *plain = svc_report_open_sealed(c, x, x->r.sealed_identity);
		json_t *j = plain != NULL ? json_loads(plain, 0, NULL) : NULL;

		if (plain != NULL) {
			sodium_memzero(plain, strlen(plain));
			free(plain);
		}
		if (j == NULL)
			return cs_fail(e, CS_EINTERNAL, "", "cannot open the "
			    "sealed identity of this report");
		svc_identity_add_snapshot(id, j);
		org = json_integer_value(json_object_get(j, "org"));
		json_decref(j);
	}
	/* A source organisation deleted since: its snapshot still counts. */
	if (org != 0 && (rc = svc_identity_add_org(c, id, org, e)) != CS_OK &&
	    rc != CS_ENOENT) {
		svc_identity_fini(id);
		return rc;
	}
	if ((rc = svc_identity_compile(id, e)) != CS_OK) {
		svc_identity_fini(id);
		return rc;
	}
	return CS_OK;
}

enum cs_err
svc_report_seal_source(struct store *st, struct store_report *r,
    int64_t submitter_org, const char *identity, const unsigned char pk[32])
{
	enum cs_err rc;

	core_anon_tag(r->id, submitter_org, r->anon_tag);
	r->sealed_identity = core_seal_to(pk, identity);
	rc = store_report_set_anon(st, r);
	free(r->sealed_identity);
	r->sealed_identity = NULL;
	return rc;
}

/* ---- a source form's parts, before the store ----------------------------- */

/* The members stamp_form() sets: taken from the stamped form itself. */
static bool
stamped_key(const char *k)
{
	return strcmp(k, "report_sequence_number") == 0 ||
	    strcmp(k, "identification_number") == 0 ||
	    strcmp(k, "reported_at") == 0 || strcmp(k, "reporter") == 0;
}

void
svc_report_prepare(const json_t *form, struct svc_report_prep *p)
{
	const char *key;
	json_t *v;

	memset(p, 0, sizeof(*p));
	if (!json_is_object(form))
		return;
	p->v = xcalloc(json_object_size(form) + 1, sizeof(*p->v));
	json_object_foreach((json_t *)form, key, v) {
		struct svc_report_part *m = &p->v[p->n++];

		m->key = key;
		if (stamped_key(key))
			continue;
		m->folded = ident_fold_json_value(v);
		obs_extract_json_at(v, 1, &m->obs, &m->nobs);
	}
}

void
svc_report_prep_fini(struct svc_report_prep *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].folded);
		obs_free(p->v[i].obs, p->v[i].nobs);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static const struct svc_report_part *
prep_part(const struct svc_report_prep *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].folded != NULL && strcmp(p->v[i].key, key) == 0)
			return &p->v[i];
	return NULL;
}

void
svc_report_derive(const json_t *form, const struct svc_report_prep *p,
    char **folded, struct obs **obs, size_t *nobs)
{
	const struct svc_report_part *m;
	struct cs_buf b;
	const char *key;
	json_t *v;
	char *f;

	cs_buf_init(&b, SIZE_MAX / 2);
	*obs = NULL;
	*nobs = 0;
	json_object_foreach((json_t *)form, key, v) {
		if (!stamped_key(key) && (m = prep_part(p, key)) != NULL) {
			cs_buf_adds(&b, m->folded);
			for (size_t i = 0; i < m->nobs; i++)
				obs_add(obs, nobs, m->obs[i].kind, m->obs[i].value);
			continue;
		}
		f = ident_fold_json_value(v);
		cs_buf_adds(&b, f);
		free(f);
		/* obs_extract_json's walk skips the contact group at the top */
		if (strcmp(key, "reporter") != 0) {
			struct obs *o = NULL;
			size_t n = 0;

			obs_extract_json_at(v, 1, &o, &n);
			for (size_t i = 0; i < n; i++)
				obs_add(obs, nobs, o[i].kind, o[i].value);
			obs_free(o, n);
		}
	}
	if ((*folded = cs_buf_finish(&b)) == NULL)
		*folded = xstrdup("");
}

enum cs_err
svc_report_source_version(struct store *st, const struct store_report *r,
    int k, const char *form, const json_t *form_json,
    const struct svc_report_prep *prep, const unsigned char *pk,
    int64_t by_org, int64_t by_user, int64_t at_us)
{
	struct store_version v;
	struct obs *obs = NULL;
	char *folded = NULL;
	size_t nobs = 0;
	enum cs_err rc;

	memset(&v, 0, sizeof(v));
	v.report = r->id;
	v.version = k;
	v.hop = HOP_SOURCE;
	v.created_us = at_us;
	if (r->anonymised)
		v.sealed_form = core_seal_to(pk, form);
	else {
		v.form = (char *)form;
		v.by_org = by_org;
		v.by_user = by_user;
	}
	if (form_json != NULL && !r->anonymised && prep != NULL &&
	    json_is_object(form_json))
		svc_report_derive(form_json, prep, &folded, &obs, &nobs);
	else if (form_json != NULL && !r->anonymised)
		folded = ident_fold_json_value(form_json);
	/* The first version comes with its report: no conflict to wait for. */
	rc = k == 1 ? store_version_insert_first(st, &v, folded) :
	    store_version_insert_folded(st, &v, folded);
	free(v.sealed_form);
	/* The observable index: never from a sealed source form. */
	if (rc == CS_OK && !r->anonymised && form_json != NULL && prep != NULL &&
	    json_is_object(form_json))
		rc = svc_obs_index_list(st, STORE_ITEM_REPORT, r->id, k,
		    HOP_SOURCE, r->sector, obs, nobs, at_us);
	else if (rc == CS_OK && !r->anonymised && form_json != NULL)
		rc = svc_obs_index_json(st, STORE_ITEM_REPORT, r->id, k,
		    HOP_SOURCE, r->sector, form_json, at_us);
	else if (rc == CS_OK && !r->anonymised)
		rc = svc_obs_index(st, STORE_ITEM_REPORT, r->id, k, HOP_SOURCE,
		    r->sector, form, at_us);
	obs_free(obs, nobs);
	return rc;
}

/* Insert version k as the acting principal sent it (prep: may be NULL). */
static enum cs_err
insert_source_version(struct svc_ctx *c, struct svc_report *x, int k,
    json_t *form, const struct svc_report_prep *prep, const unsigned char *pk,
    struct cs_error *e)
{
	char *text = json_dumps(form, JSON_COMPACT);
	enum cs_err rc;

	rc = svc_report_source_version(c->st, &x->r, k, text, form, prep, pk,
	    c->who.org_id, c->who.user_id, c->now_us);
	free(text);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return CS_OK;
}

/* The secretariat an anonymised report of the acting org goes to. */
static enum cs_err
ceptoar_of(struct svc_ctx *c, int sector, struct store_org *out,
    struct cs_error *e)
{
	struct store_org *v;
	size_t n;
	enum cs_err rc;

	if (c->org->ceptoar != 0) {
		rc = store_org_get(c->st, c->org->ceptoar, out);
		if (rc != CS_OK)
			return cs_fail(e, CS_ECONFLICT, "route", "your CEPTOAR "
			    "secretariat no longer exists");
		return CS_OK;
	}
	if ((rc = store_org_find(c->st, ORG_CEPTOAR_SEC, sector >= 0 ?
	    1u << sector : 0, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
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

enum cs_err
svc_report_file_check(const struct svc_report_file_in *in, struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = core_report_form_validate(in->form, "form", e)) != CS_OK ||
	    (rc = check_client_numbers(in->form, 1, e)) != CS_OK)
		return rc;
	return flow_report_route_check(in->route, in->legal_duty, e);
}

/* What an operation tells of the report it changed (version k; 0: none made). */
static void
out_fill(const struct store_report *r, int k, struct svc_report_out *out)
{
	out->id = r->id;
	out->version = k;
	out->state = r->state;
	out->r_number = r->r_number;
}

enum cs_err
svc_report_file(struct svc_ctx *c, const struct svc_report_file_in *in,
    struct svc_report_out *out, struct cs_error *e)
{
	struct svc_report x;
	struct store_org cep, o;
	json_t *form = NULL;
	char *text, idb[40];
	int64_t *min = NULL, *nisc = NULL;
	size_t nmin = 0, nnisc = 0;
	enum cs_err rc;

	memset(&x, 0, sizeof(x));
	memset(&cep, 0, sizeof(cep));
	memset(out, 0, sizeof(*out));
	if (!in->checked && (rc = svc_report_file_check(in, e)) != CS_OK)
		return rc;
	for (size_t i = 0; i < in->nextra; i++) {
		enum cs_err grc = store_org_get(c->st, in->extra[i], &o);

		if (grc != CS_OK || o.type == ORG_PLATFORM) {
			char path[40];

			if (grc == CS_OK)
				store_org_fini(&o);
			cs_fmt(path, sizeof(path), "extra_recipients.%zu", i);
			return cs_fail(e, CS_EINVAL, path, "no such organisation");
		}
		store_org_fini(&o);
	}
	form = json_deep_copy(in->form);
	x.r.route = in->route;
	x.r.legal_duty = in->legal_duty;
	x.r.tlp = core_report_form_tlp(form);
	x.r.sector = core_report_form_sector(form);
	x.r.nversions = 1;
	x.r.created_us = x.r.updated_us = c->now_us;
	x.r.state = flow_report_initial_state(x.r.route);
	if (x.r.route == ROUTE_VIA_CEPTOAR) {
		if ((rc = ceptoar_of(c, x.r.sector, &cep, e)) != CS_OK)
			goto out;
		if (!cep.has_pk) {
			rc = cs_fail(e, CS_ECONFLICT, "route", "the CEPTOAR "
			    "secretariat has no sealing key");
			goto out;
		}
		x.r.anonymised = true;
		x.r.ceptoar_org = cep.id;
	} else {
		x.r.submitter_org = c->who.org_id;
		/*
		 * Its path's organisations, read before anything is written
		 * (POST /reports reads them ahead: reports_ahead).
		 */
		if ((rc = path_orgs(c, &x, ORG_CI_MINISTRY, "form.sector", &min,
		    &nmin, e)) != CS_OK || (x.r.route == ROUTE_URGENT &&
		    (rc = path_orgs(c, &x, ORG_NISC, "route", &nisc, &nnisc,
		    e)) != CS_OK))
			goto out;
	}
	/* An urgent report goes to NISC at once: its R-number is in the row and the form. */
	if (x.r.route == ROUTE_URGENT && (rc = assign_r(c, &x, e)) != CS_OK)
		goto out;
	if ((rc = store_report_insert(c->st, &x.r)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	if (x.r.route == ROUTE_VIA_CEPTOAR) {
		struct cs_path_entry pe = { cep.id, ORG_CEPTOAR_SEC, c->now_us };

		if ((rc = store_report_path_add(c->st, x.r.id, &pe)) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
	} else {
		if ((rc = path_add(c, &x, ORG_CI_MINISTRY, min, nmin, e)) != CS_OK)
			goto out;
		if (x.r.route == ROUTE_URGENT &&
		    (rc = path_add(c, &x, ORG_NISC, nisc, nnisc, e)) != CS_OK)
			goto out;
	}
	core_report_ident(x.r.r_number, 1, idb, sizeof(idb));
	stamp_form(c, form, 1, idb);
	if (x.r.anonymised) {
		text = identity_of_caller(c);
		rc = svc_report_seal_source(c->st, &x.r, c->who.org_id, text, cep.pk);
		free(text);
		if (rc != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
	}
	/* The row went in whole (state, TLP, R-number): no update. */
	if ((rc = insert_source_version(c, &x, 1, form, in->prep, cep.pk,
	    e)) != CS_OK)
		goto out;
	for (size_t i = 0; i < in->nextra; i++)
		if ((rc = store_report_extra_add(c->st, x.r.id, in->extra[i])) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
	if ((rc = svc_audit_op(c, "report.create", "report", x.r.id, json_pack(
	    "{s:i, s:s, s:s}", "version", 1, "route",
	    core_route_id(x.r.route), "tlp", core_tlp_id(x.r.tlp)),
	    x.r.anonymised, e)) != CS_OK)
		goto out;
	out_fill(&x.r, 1, out);
	rc = CS_OK;
out:
	free(min);
	free(nisc);
	json_decref(form);
	store_org_fini(&cep);
	return rc;
}

enum cs_err
svc_report_followup(struct svc_ctx *c, struct svc_report *x, json_t *form,
    struct svc_report_out *out, struct cs_error *e)
{
	struct store_org cep;
	enum cs_tlp tlp;
	enum cs_err rc;
	char idb[40];
	int k;

	memset(&cep, 0, sizeof(cep));
	memset(out, 0, sizeof(*out));
	if (policy_report_relation(&c->who, &x->acl) != REL_SUBMITTER)
		return cs_fail(e, CS_EPERM, "", "only the reporting organisation "
		    "files follow-up reports (続報)");
	k = x->r.nversions + 1;
	if ((rc = core_report_form_validate(form, "form", e)) != CS_OK ||
	    (rc = check_client_numbers(form, k, e)) != CS_OK)
		return rc;
	form = json_deep_copy(form);
	if (core_report_form_sector(form) != x->r.sector) {
		rc = cs_fail(e, CS_EINVAL, "form.sector", "a follow-up keeps the "
		    "series' sector (%s)", core_sector_id(x->r.sector));
		goto out;
	}
	tlp = core_report_form_tlp(form);
	if ((rc = flow_tlp_check(x->r.tlp, tlp, false, e)) != CS_OK)
		goto out;
	x->r.tlp = flow_tlp_narrowed(x->r.tlp, tlp);
	x->r.nversions = k;
	x->r.updated_us = c->now_us;
	if (flow_report_numbered_at_source(x->r.route))
		core_report_ident(x->r.r_number, k, idb, sizeof(idb));
	else
		idb[0] = '\0';
	stamp_form(c, form, k, idb);
	if (x->r.anonymised && store_org_get(c->st, x->r.ceptoar_org, &cep) != CS_OK) {
		rc = cs_fail(e, CS_ECONFLICT, "", "the CEPTOAR secretariat of this "
		    "report no longer exists");
		goto out;
	}
	if ((rc = insert_source_version(c, x, k, form, NULL, cep.pk, e)) != CS_OK)
		goto out;
	if ((rc = store_report_update(c->st, &x->r)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	if ((rc = svc_audit_op(c, "report.followup", "report", x->r.id,
	    json_pack("{s:i, s:s}", "version", k, "tlp", core_tlp_id(tlp)),
	    x->r.anonymised, e)) != CS_OK)
		goto out;
	out_fill(&x->r, k, out);
	rc = CS_OK;
out:
	json_decref(form);
	store_org_fini(&cep);
	return rc;
}

/* Anonymise one version's source form for the ministry. */
static enum cs_err
anonymise(struct svc_ctx *c, struct svc_report *x, json_t *form,
    struct cs_error *e)
{
	struct svc_identity id;
	enum cs_err rc;

	if ((rc = svc_report_source_identity(c, x, &id, e)) != CS_OK)
		return rc;
	json_object_del(form, "affected_operator_name");
	core_report_form_redact(form, id.set, SVC_REDACTED);
	svc_identity_fini(&id);
	return CS_OK;
}

/* Where the form holds SVC_REDACTED, as {field, start, end}. */
static json_t *
redaction_marks(json_t *form)
{
	static const char *const rep[] = { SVC_REDACTED };
	struct ident_set *set;
	json_t *hits = json_array(), *h;
	size_t i;

	if (ident_set_new(rep, 1, &set) != CS_OK)
		return hits;
	core_json_ident_find(form, "form", set, hits);
	ident_set_free(set);
	json_array_foreach(hits, i, h)
		json_object_del(h, "needle");
	return hits;
}

/* Version k as `hop` sends it on; form is the version it received. */
static enum cs_err
forward_one(struct svc_ctx *c, struct svc_report *x, enum cs_hop hop, int k,
    json_t *form, json_t *patch, json_t *preview, struct cs_error *e)
{
	struct store_version nv;
	enum cs_tlp in_tlp;
	char idb[40];
	enum cs_err rc;

	if (hop == HOP_CEPTOAR && (rc = anonymise(c, x, form, e)) != CS_OK)
		return rc;
	in_tlp = core_report_form_tlp(form);
	/* The identity goes again from whatever the patch brings (fail closed). */
	if (patch != NULL && json_is_object(patch)) {
		merge_patch(form, patch);
		if (hop == HOP_CEPTOAR && (rc = anonymise(c, x, form, e)) != CS_OK)
			return rc;
	}
	if (flow_forward_numbers(hop))
		core_report_ident(x->r.r_number, k, idb, sizeof(idb));
	else
		idb[0] = '\0';
	json_object_set_new(form, "reporter", reporter_json(c,
	    json_object_get(patch, "reporter")));
	json_object_set_new(form, "identification_number", json_string(idb));
	json_object_set_new(form, "report_sequence_number", json_integer(k));
	if ((rc = core_report_form_validate(form, "form", e)) != CS_OK)
		return rc;
	if (core_report_form_sector(form) != x->r.sector)
		return cs_fail(e, CS_EINVAL, "form.sector", "the sector of a "
		    "report series does not change");
	/* Each hop may narrow what it received, never widen it. */
	if ((rc = flow_tlp_check(in_tlp, core_report_form_tlp(form), true,
	    e)) != CS_OK)
		return rc;
	x->r.tlp = flow_tlp_narrowed(x->r.tlp, core_report_form_tlp(form));
	if (preview != NULL)
		json_array_append_new(preview, json_pack("{s:i, s:O, s:o}",
		    "version", k, "form", form, "redactions",
		    redaction_marks(form)));
	memset(&nv, 0, sizeof(nv));
	nv.report = x->r.id;
	nv.version = k;
	nv.hop = hop;
	nv.form = json_dumps(form, JSON_COMPACT);
	nv.by_org = c->who.org_id;
	nv.by_user = c->who.user_id;
	nv.created_us = c->now_us;
	rc = store_version_insert_folded(c->st, &nv,
	    ident_fold_json_value(form));
	if (rc == CS_OK)
		rc = svc_obs_index_json(c->st, STORE_ITEM_REPORT, x->r.id, k,
		    hop, x->r.sector, form, c->now_us);
	free(nv.form);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return CS_OK;
}

enum cs_err
svc_report_anonymity_set(struct svc_ctx *c, const struct svc_report *x,
    int *n, struct cs_error *e)
{
	struct store_org *v = NULL;
	size_t nv = 0;
	enum cs_err rc;

	*n = 0;
	if (x->r.sector < 0)
		return CS_OK;
	if ((rc = store_org_find(c->st, ORG_CI_OPERATOR, 1u << x->r.sector, &v,
	    &nv)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	for (size_t i = 0; i < nv; i++)
		*n += v[i].ceptoar == x->r.ceptoar_org || v[i].ceptoar == 0;
	store_orgs_free(v, nv);
	return CS_OK;
}

/* How many could have filed it: the clients warn below the minimum. */
static enum cs_err
anonymity_check(struct svc_ctx *c, const struct svc_report *x,
    struct svc_report_out *out, struct cs_error *e)
{
	enum cs_err rc;

	out->anonymity_set = -1;
	if (!x->r.anonymised)
		return CS_OK;
	if ((rc = svc_report_anonymity_set(c, x, &out->anonymity_set, e)) != CS_OK)
		return rc;
	out->small_set = c->cfg != NULL && c->cfg->min_anonymity_set > 0 &&
	    out->anonymity_set < c->cfg->min_anonymity_set;
	return CS_OK;
}

enum cs_err
svc_report_forward(struct svc_ctx *c, struct svc_report *x,
    const struct svc_forward_in *in, struct svc_report_out *out,
    struct cs_error *e)
{
	enum cs_hop hop, from = HOP_SOURCE;
	json_t *forwarded = NULL, *preview = NULL, *form, *detail;
	struct flow_version *v;
	int n = x->r.nversions, last = 0;
	enum cs_err rc;

	memset(out, 0, sizeof(*out));
	out->anonymity_set = -1;
	if ((rc = flow_forward_hop(policy_report_relation(&c->who, &x->acl),
	    &hop, e)) != CS_OK)
		return rc;
	if (hop == HOP_CEPTOAR && (rc = anonymity_check(c, x, out, e)) != CS_OK)
		return rc;
	v = xcalloc((size_t)n + 1, sizeof(*v));
	for (int k = 1; k <= n; k++) {
		v[k - 1].at_hop = svc_report_hop_row(x, k, hop) != NULL;
		v[k - 1].reached = svc_report_reached(x, k);
	}
	if ((rc = flow_forward_plan(hop, v, n, &last, e)) != CS_OK)
		goto out;
	if (flow_forward_numbers(hop) &&
	    ((rc = join_path(c, x, ORG_NISC, "", e)) != CS_OK ||
	    (rc = assign_r(c, x, e)) != CS_OK))
		goto out;
	forwarded = json_array();
	if (in->preview)
		preview = json_array();
	for (int k = 1; k <= n; k++) {
		if (!v[k - 1].moves)
			continue;
		if ((form = svc_report_visible_form(c, x, k, &from)) == NULL) {
			/* Its source erased (retention): no text is left to send. */
			rc = x->r.anonymised && x->r.sealed_identity == NULL ?
			    cs_fail(e, CS_ECONFLICT, "", "version %d cannot be "
			    "forwarded: the source of this report was erased", k) :
			    cs_fail(e, CS_EINTERNAL, "", "version %d unreadable", k);
			goto out;
		}
		rc = forward_one(c, x, hop, k, form, k == last ? in->patch : NULL,
		    preview, e);
		json_decref(form);
		if (rc != CS_OK)
			goto out;
		json_array_append_new(forwarded, json_integer(k));
	}
	if (hop == HOP_CEPTOAR &&
	    (rc = join_path(c, x, ORG_CI_MINISTRY, "", e)) != CS_OK)
		goto out;
	x->r.state = flow_forward_state(hop, x->r.state);
	x->r.updated_us = c->now_us;
	if ((rc = store_report_update(c->st, &x->r)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	detail = json_pack("{s:s, s:O}", "hop", core_hop_id(hop), "versions",
	    forwarded);
	if (out->small_set)
		json_object_set_new(detail, "small_anonymity_set", json_pack(
		    "{s:i, s:b}", "members", out->anonymity_set, "confirmed",
		    in->confirm_small_set));
	if ((rc = svc_audit_op(c, "report.forward", "report", x->r.id, detail,
	    false, e)) != CS_OK)
		goto out;
	out_fill(&x->r, 0, out);
	out->versions = forwarded;
	out->preview = preview;
	forwarded = preview = NULL;
	rc = CS_OK;
out:
	json_decref(forwarded);
	json_decref(preview);
	free(v);
	return rc;
}

enum cs_err
svc_report_share(struct svc_ctx *c, struct svc_report *x, const int64_t *to,
    size_t nto, int64_t disclosure, struct cs_error *e)
{
	struct store_disclosure d;
	json_t *detail;
	enum cs_err rc;

	memset(&d, 0, sizeof(d));
	/* Every target checked first: a refused one shares nothing. */
	if (disclosure != 0) {
		if ((rc = svc_disclosure_find(c, x, disclosure, &d, e)) != CS_OK)
			return rc;
		rc = svc_targets_check_disclosed(c, to, nto, &x->acl, e);
	} else
		rc = svc_targets_check(c, to, nto, &x->acl, NULL, e);
	if (rc != CS_OK)
		goto out;
	for (size_t i = 0; i < nto; i++) {
		struct store_share sh = { to[i], c->who.org_id, c->now_us,
		    disclosure };

		if ((rc = store_report_share_add(c->st, x->r.id, &sh)) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
	}
	detail = json_pack("{s:o}", "to", svc_ids_json(to, nto));
	if (disclosure != 0)
		json_object_update_new(detail, json_pack("{s:I, s:s}",
		    "disclosure", (json_int_t)d.id, "basis",
		    core_disclosure_basis_id(d.basis)));
	rc = svc_audit_op(c, "report.share", "report", x->r.id, detail, false, e);
out:
	store_disclosure_fini(&d);
	return rc;
}

enum cs_err
svc_report_read(struct svc_ctx *c, const struct svc_report *x,
    struct cs_error *e)
{
	return svc_report_read_audit(c, x->r.id, svc_report_read_anonymous(c, x),
	    e);
}

bool
svc_report_read_anonymous(const struct svc_ctx *c, const struct svc_report *x)
{
	return x->r.anonymised &&
	    policy_report_relation(&c->who, &x->acl) == REL_SUBMITTER;
}

enum cs_err
svc_report_read_audit(struct svc_ctx *c, int64_t id, bool anon,
    struct cs_error *e)
{
	return svc_audit_op(c, "report.read", "report", id,
	    anon ? json_object() : NULL, anon, e);
}

static int
id_desc(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

enum cs_err
svc_report_candidates(struct svc_ctx *c, const struct store_report_filter *f,
    int64_t **ids, size_t *n)
{
	const struct cs_principal *p = &c->who;
	uint32_t sectors = p->ls_sectors;
	int64_t *held, *all;
	size_t nheld, m = 0;
	enum cs_err rc;

	if ((rc = store_report_candidates(c->st, f, ids, n)) != CS_OK)
		return rc;
	if (sectors == 0 || f->anonymised || (p->org_type != ORG_CAS &&
	    p->org_type != ORG_IR_MINISTRY && p->org_type != ORG_DM_MINISTRY))
		return CS_OK;
	if (f->sector >= 0)
		sectors &= f->sector < 32 ? 1u << f->sector : 0;
	if (sectors == 0)
		return CS_OK;
	if ((rc = store_report_candidates_held(c->st, ORG_NISC, sectors,
	    f->before_id, f->limit, &held, &nheld)) != CS_OK) {
		free(*ids);
		*ids = NULL;
		return rc;
	}
	all = xcalloc(*n + nheld + 1, sizeof(*all));
	if (*n > 0)
		memcpy(all, *ids, *n * sizeof(*all));
	if (nheld > 0)
		memcpy(all + *n, held, nheld * sizeof(*all));
	qsort(all, *n + nheld, sizeof(*all), id_desc);
	for (size_t i = 0; i < *n + nheld; i++)
		if (m == 0 || all[m - 1] != all[i])
			all[m++] = all[i];
	if (f->limit > 0 && m > (size_t)f->limit)
		m = (size_t)f->limit;
	free(*ids);
	free(held);
	*ids = all;
	*n = m;
	return CS_OK;
}
