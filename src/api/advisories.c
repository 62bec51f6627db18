/*
 * advisories.c: 情報提供 — POST /advisories, /followups, /approve, /relay,
 * /ack, GET one and list, the inbox, public CLEAR advisories, and the
 * scope-widening requests on reports (API.md "Advisories").
 *
 * Delivery is a tree: NISC issues to the addressee ministries (or, urgent,
 * straight to the CEPTOARs and operators of the recipient sectors with a
 * copy to the ministries); ministries and CEPTOARs relay.  Every hop is a
 * row in `deliveries` with delivered/read/acknowledged times and an event in
 * the org's inbox feed.  Who reads what is core's policy_advisory_*.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"

struct adv {
	struct store_advisory	 a;
	struct store_adv_version *v;
	size_t			 nv;
	struct store_delivery	*d;
	size_t			 nd;
	int64_t			*orgs;		/* delivered orgs, for the policy */
	struct cs_advisory_acl	 acl;
};

static void
adv_fini(struct adv *x)
{
	store_adv_versions_free(x->v, x->nv);
	free(x->d);
	free(x->orgs);
	memset(x, 0, sizeof(*x));
}

/* The policy's facts from a loaded advisory and its delivered organisations. */
static void
adv_acl_fill(struct adv *x)
{
	x->acl.id = x->a.id;
	x->acl.state = x->a.state;
	x->acl.tlp = x->a.tlp;
	x->acl.sectors = x->a.sectors;
	x->acl.delivered = x->orgs;
	x->acl.ndelivered = x->nd;
}

static enum cs_err
adv_load(struct api_req *q, int64_t id, struct adv *x, struct cs_error *e)
{
	enum cs_err rc;

	memset(x, 0, sizeof(*x));
	rc = store_adv_get(q->st, id, &x->a);
	if (rc == CS_ENOENT)
		return cs_fail(e, CS_ENOENT, "", "no such advisory");
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if ((rc = store_adv_version_list(q->st, id, &x->v, &x->nv)) != CS_OK ||
	    (rc = store_delivery_list(q->st, id, &x->d, &x->nd)) != CS_OK) {
		adv_fini(x);
		return cs_fail(e, CS_ESTORE, "", "store error");
	}
	x->orgs = xcalloc(x->nd + 1, sizeof(*x->orgs));
	for (size_t i = 0; i < x->nd; i++)
		x->orgs[i] = x->d[i].org;
	adv_acl_fill(x);
	return CS_OK;
}

/*
 * The advisory as one organisation's inbox needs it: its newest version
 * only (x->v has one element, or none) and only that organisation's
 * delivery (an all-sector advisory has thousands).
 * The policy reads `delivered` for the caller's org only, so the answer is
 * the same as with the whole list.  known: that delivery, when the caller
 * has just read it (the inbox), else NULL.
 */
static enum cs_err
adv_load_for(struct api_req *q, int64_t id, int64_t org,
    const struct store_delivery *known, struct adv *x, struct cs_error *e)
{
	struct store_delivery d;
	enum cs_err rc;

	memset(x, 0, sizeof(*x));
	x->v = xcalloc(1, sizeof(*x->v));
	rc = store_adv_get_latest(q->st, id, &x->a, &x->v[0]);
	if (rc != CS_OK) {
		adv_fini(x);
		if (rc == CS_ENOENT)
			return cs_fail(e, CS_ENOENT, "", "no such advisory");
		return cs_fail(e, rc, "", "store error");
	}
	x->nv = x->v[0].form != NULL ? 1 : 0;
	x->d = xcalloc(1, sizeof(*x->d));
	x->orgs = xcalloc(1, sizeof(*x->orgs));
	if (known != NULL) {
		d = *known;
		rc = CS_OK;
	} else
		rc = store_delivery_get(q->st, id, org, &d);
	if (rc == CS_OK) {
		x->d[0] = d;
		x->orgs[0] = org;
		x->nd = 1;
	} else if (rc != CS_ENOENT) {
		adv_fini(x);
		return cs_fail(e, CS_ESTORE, "", "store error");
	}
	adv_acl_fill(x);
	return CS_OK;
}

static enum cs_err
adv_load_visible(struct api_req *q, struct adv *x, struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = adv_load(q, q->ids[0], x, e)) != CS_OK)
		return rc;
	if (!policy_advisory_may_read(&q->who, &x->acl)) {
		adv_fini(x);
		return cs_fail(e, CS_ENOENT, "", "no such advisory");
	}
	return CS_OK;
}

static json_t *
ident_json(int64_t t, int k)
{
	char b[40];

	core_advisory_ident(t, k, b, sizeof(b));
	return b[0] ? json_string(b) : json_null();
}

static json_t *
sectors_json(uint32_t set)
{
	json_t *a = json_array();

	for (int i = 0; i < CS_NSECTORS; i++)
		if (set & (1u << i))
			json_array_append_new(a, json_string(core_sector_id(i)));
	return a;
}

/* ---- recipients, scope and de-identification ---------------------------- */

/* Resolves form.recipients to ministry orgs; fills sectors[] per row. */
static enum cs_err
resolve_recipients(struct api_req *q, json_t *form, int64_t **orgs, size_t *norgs,
    int **rsec, size_t *nr, uint32_t *all, struct cs_error *e)
{
	json_t *rec = json_object_get(form, "recipients"), *row, *m;
	char field[64];
	size_t i;
	enum cs_err rc;

	*orgs = NULL;
	*norgs = 0;
	*all = 0;
	*nr = json_array_size(rec);
	*rsec = xcalloc(*nr + 1, sizeof(**rsec));
	json_array_foreach(rec, i, row) {
		int sec = core_sector_parse(json_string_value(json_object_get(row,
		    "sector")));
		struct store_org *v = NULL;
		size_t n = 0;

		(*rsec)[i] = sec;
		*all |= 1u << sec;
		m = json_object_get(row, "ministry");
		if (json_is_integer(m)) {
			struct store_org o;

			cs_fmt(field, sizeof(field), "form.recipients.%zu.ministry", i);
			if (store_org_get(q->st, json_integer_value(m), &o) != CS_OK)
				return cs_fail(e, CS_EINVAL, field, "no such organisation");
			if (o.type != ORG_CI_MINISTRY || !(o.sectors & (1u << sec))) {
				store_org_fini(&o);
				return cs_fail(e, CS_EINVAL, field, "organisation %lld "
				    "is not the ministry responsible for %s",
				    (long long)json_integer_value(m), core_sector_id(sec));
			}
			v = xcalloc(1, sizeof(*v));
			v[0] = o;
			n = 1;
		} else {
			if ((rc = store_org_find(q->st, ORG_CI_MINISTRY, 1u << sec,
			    &v, &n)) != CS_OK)
				return cs_fail(e, rc, "", "store error");
			if (n == 0) {
				store_orgs_free(v, n);
				cs_fmt(field, sizeof(field), "form.recipients.%zu.sector", i);
				return cs_fail(e, CS_ECONFLICT, field, "no ministry is "
				    "registered for sector %s", core_sector_id(sec));
			}
		}
		for (size_t j = 0; j < n; j++) {
			bool dup = false;

			for (size_t k = 0; k < *norgs; k++)
				dup |= (*orgs)[k] == v[j].id;
			if (!dup) {
				*orgs = xreallocarray(*orgs, *norgs + 1, sizeof(**orgs));
				(*orgs)[(*norgs)++] = v[j].id;
			}
		}
		store_orgs_free(v, n);
	}
	return CS_OK;
}

/* Identifying strings of a report's source organisation. */
static void
source_needles(struct api_req *q, const struct store_report *r, char ***out,
    size_t *n)
{
	struct store_org o, cep;
	struct store_user *u = NULL;
	size_t nu = 0;
	int64_t org = r->submitter_org;
	json_t *ids, *x;
	size_t i;

	*out = NULL;
	*n = 0;
#define ADD(str) do { if ((str) != NULL && strlen(str) >= 3) {		\
	*out = xreallocarray(*out, *n + 1, sizeof(**out));		\
	(*out)[(*n)++] = xstrdup(str); } } while (0)
	if (r->anonymised && r->sealed_identity != NULL &&
	    store_org_get(q->st, r->ceptoar_org, &cep) == CS_OK) {
		char *plain = cep.has_pk ? core_open_sealed(cep.pk, cep.wrapped_sk,
		    r->sealed_identity) : NULL;
		json_t *j = plain ? json_loads(plain, 0, NULL) : NULL;

		if (j != NULL)
			org = json_integer_value(json_object_get(j, "org"));
		json_decref(j);
		free(plain);
		store_org_fini(&cep);
	}
	if (org == 0 || store_org_get(q->st, org, &o) != CS_OK)
		return;
	ADD(o.name);
	ids = o.identifiers ? json_loads(o.identifiers, 0, NULL) : NULL;
	json_array_foreach(ids, i, x)
		ADD(json_string_value(x));
	json_decref(ids);
	store_org_fini(&o);
	if (store_user_list(q->st, org, 0, 1000, &u, &nu) == CS_OK) {
		for (i = 0; i < nu; i++) {
			ADD(u[i].login);
			ADD(u[i].email);
			if (u[i].email && strchr(u[i].email, '@'))
				ADD(strchr(u[i].email, '@') + 1);
		}
		store_users_free(u, nu);
	}
#undef ADD
}

/* First hit of any needle in the strings of j; path and span out. */
static bool
find_needle(json_t *j, const char *path, char *const *needles, size_t nn,
    char *hitpath, size_t hpsz, long *from, long *to)
{
	const char *key;
	json_t *v;
	size_t i;
	char sub[96];

	if (json_is_string(j)) {
		const char *s = json_string_value(j);

		for (const char *p = s; *p; p++)
			for (size_t k = 0; k < nn; k++)
				if (strncasecmp(p, needles[k], strlen(needles[k])) == 0) {
					cs_fmt(hitpath, hpsz, "%s", path);
					*from = cs_utf8_len(s, (size_t)(p - s));
					*to = *from + cs_utf8_len(needles[k],
					    strlen(needles[k]));
					return true;
				}
		return false;
	}
	if (json_is_object(j)) {
		json_object_foreach(j, key, v) {
			if (strcmp(key, "recipients") == 0)
				continue;
			cs_fmt(sub, sizeof(sub), "%s.%s", path, key);
			if (find_needle(v, sub, needles, nn, hitpath, hpsz, from, to))
				return true;
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v) {
			cs_fmt(sub, sizeof(sub), "%s.%zu", path, i);
			if (find_needle(v, sub, needles, nn, hitpath, hpsz, from, to))
				return true;
		}
	}
	return false;
}

static enum cs_err report_acl(struct api_req *, int64_t, struct store_report *,
		    struct cs_report_acl *, struct cs_org_ref **, struct cs_error *);

/*
 * Checks the related reports: each must be one NISC holds; the advisory may
 * not be wider than its source allowed (widenings approved count); its text
 * may not name the source unless the source consented.
 */
static enum cs_err
check_sources(struct api_req *q, json_t *form, const int64_t *rel, size_t nrel,
    const int64_t *consent, size_t ncons, const int *rsec, size_t nr,
    struct cs_error *e)
{
	struct cs_source_scope *sc = xcalloc(nrel + 1, sizeof(*sc));
	enum cs_err rc = CS_OK;
	char field[48];

	for (size_t i = 0; i < nrel; i++) {
		struct store_report r;
		struct store_widening *w = NULL;
		size_t nw = 0;
		bool consented = false;

		cs_fmt(field, sizeof(field), "related_reports.%zu", i);
		{
			struct cs_report_acl acl;
			struct cs_org_ref *sh = NULL;
			struct cs_error le;

			if (report_acl(q, rel[i], &r, &acl, &sh, &le) != CS_OK) {
				rc = cs_fail(e, CS_EINVAL, field, "no such report");
				goto out;
			}
			if (!policy_report_may_read(&q->who, &acl) ||
			    policy_report_relation(&q->who, &acl) != REL_NISC) {
				free(sh);
				store_report_fini(&r);
				rc = cs_fail(e, CS_EINVAL, field, "no such report at NISC");
				goto out;
			}
			free(sh);
		}
		policy_source_scope(r.tlp, r.sector, &sc[i]);
		sc[i].report = r.id;
		if (store_widening_list(q->st, r.id, 0, 1000, &w, &nw) == CS_OK) {
			for (size_t k = 0; k < nw; k++)
				if (w[k].state == WIDEN_APPROVED)
					policy_source_scope_widen(&sc[i], w[k].tlp,
					    w[k].sectors);
			store_widenings_free(w, nw);
		}
		for (size_t k = 0; k < ncons; k++)
			consented |= consent[k] == r.id;
		if (!consented) {
			char **needles;
			size_t nn;
			char hit[96];
			long from = 0, to = 0;

			source_needles(q, &r, &needles, &nn);
			if (find_needle(form, "form", needles, nn, hit, sizeof(hit),
			    &from, &to))
				rc = cs_fail(e, CS_ECONFLICT, hit, "characters %ld-%ld "
				    "identify the source of a related report; remove "
				    "them or record the source's consent "
				    "(consented_sources)", from, to);
			for (size_t k = 0; k < nn; k++)
				free(needles[k]);
			free(needles);
		}
		store_report_fini(&r);
		if (rc != CS_OK)
			goto out;
	}
	rc = policy_advisory_scope_check(core_report_form_tlp(form), rsec, nr,
	    sc, nrel, e);
out:
	free(sc);
	return rc;
}

/* ---- delivery ------------------------------------------------------------ */

/* Deliver to each of orgs (once each), with inbox events and notifications. */
static enum cs_err
deliver_many(struct api_req *q, int64_t adv, const int64_t *orgs, size_t n,
    int64_t parent, const char *via, struct cs_error *e)
{
	struct store_delivery d;
	int64_t *added = NULL;
	size_t nadded = 0;
	enum cs_err rc;

	memset(&d, 0, sizeof(d));
	d.advisory = adv;
	d.parent_org = parent;
	(void)cs_strlcpy(d.via, via, sizeof(d.via));
	d.delivered_us = q->now_us;
	if ((rc = store_delivery_add_many(q->st, &d, orgs, n, &added,
	    &nadded)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	rc = api_notify_enqueue_many(q, adv, added, nadded, "delivered");
	free(added);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "could not queue notifications");
	if (nadded > 0)
		q->events = true;
	return CS_OK;
}

static enum cs_err
deliver(struct api_req *q, int64_t adv, int64_t org, int64_t parent,
    const char *via, struct cs_error *e)
{
	return deliver_many(q, adv, &org, 1, parent, via, e);
}

/* Issue: to the ministries, or urgent: to CEPTOARs/operators + copy. */
static enum cs_err
issue(struct api_req *q, struct store_advisory *a, const int64_t *ministries,
    size_t nm, struct cs_error *e)
{
	enum cs_err rc;

	/* Issued first: notifications composed below must see what readers will. */
	a->state = ADV_ISSUED;
	a->issued_us = q->now_us;
	if ((rc = store_adv_update(q->st, a)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	for (size_t i = 0; i < nm; i++)
		if ((rc = deliver(q, a->id, ministries[i], q->who.org_id,
		    a->urgent ? "copy" : "issue", e)) != CS_OK)
			return rc;
	if (a->urgent) {
		static const enum cs_org_type types[] = { ORG_CEPTOAR_SEC,
		    ORG_CI_OPERATOR };

		for (size_t t = 0; t < 2; t++) {
			struct store_org *v;
			size_t n;

			int64_t *to;
			size_t nto = 0;

			if ((rc = store_org_find(q->st, types[t], a->sectors, &v, &n)) != CS_OK)
				return cs_fail(e, rc, "", "store error");
			to = xcalloc(n + 1, sizeof(*to));
			for (size_t i = 0; i < n; i++) {
				struct cs_org_ref ref;

				api_org_ref(&v[i], &ref);
				if (policy_advisory_in_ceiling(a->tlp, a->sectors, &ref))
					to[nto++] = v[i].id;
			}
			store_orgs_free(v, n);
			rc = deliver_many(q, a->id, to, nto, q->who.org_id, "urgent", e);
			free(to);
			if (rc != CS_OK)
				return rc;
		}
	}
	return CS_OK;
}

static void
stamp(struct api_req *q, json_t *form, int64_t t, int k)
{
	char b[40];
	json_t *c;

	core_advisory_ident(t, k, b, sizeof(b));
	json_object_set_new(form, "advisory_sequence_number", json_integer(k));
	json_object_set_new(form, "identification_number", json_string(b));
	if (json_object_get(form, "provided_at") == NULL)
		json_object_set_new(form, "provided_at", api_time(q->now_us));
	if ((c = json_object_get(form, "nisc_contact")) == NULL) {
		c = json_object();
		json_object_set_new(c, "contact_person", json_string(
		    q->user.display_name ? q->user.display_name : q->user.login));
		if (q->user.phone)
			json_object_set_new(c, "phone", json_string(q->user.phone));
		if (q->user.email)
			json_object_set_new(c, "email", json_string(q->user.email));
		json_object_set_new(form, "nisc_contact", c);
	}
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

/* ---- POST /advisories ----------------------------------------------------- */

static enum cs_err
advisories_create(struct api_req *q, struct cs_error *e)
{
	static const char *const keys[] = { "urgent", "related_reports", "form",
	    "consented_sources", NULL };
	struct store_advisory a;
	struct store_adv_version ver;
	json_t *form = NULL, *v;
	int64_t *rel = NULL, *cons = NULL, *mins = NULL;
	size_t nrel = 0, ncons = 0, nmins = 0, nr = 0;
	int *rsec = NULL;
	char item[32];
	enum cs_err rc;

	memset(&a, 0, sizeof(a));
	if ((rc = api_check_keys(q->body, keys, e)) != CS_OK)
		return rc;
	if (q->who.org_type != ORG_NISC)
		return cs_fail(e, CS_EPERM, "", "advisories are issued by NISC");
	if ((rc = api_need_roles(q, ROLE_ANALYST | ROLE_APPROVER, e)) != CS_OK)
		return rc;
	v = json_object_get(q->body, "urgent");
	if (v != NULL && !json_is_boolean(v))
		return cs_fail(e, CS_EINVAL, "urgent", "must be a boolean");
	a.urgent = v != NULL && json_is_true(v);
	form = json_object_get(q->body, "form");
	if ((rc = core_advisory_form_validate(form, "form", e)) != CS_OK)
		return rc;
	v = json_object_get(form, "identification_number");
	if (v != NULL && json_is_string(v) && json_string_length(v) > 0)
		return cs_fail(e, CS_EINVAL, "form.identification_number", "must "
		    "be blank: NISC's T-number is assigned on issue");
	if ((rc = id_list(q->body, "related_reports", &rel, &nrel, e)) != CS_OK ||
	    (rc = id_list(q->body, "consented_sources", &cons, &ncons, e)) != CS_OK)
		goto out;
	form = json_deep_copy(form);
	if ((rc = resolve_recipients(q, form, &mins, &nmins, &rsec, &nr,
	    &a.sectors, e)) != CS_OK)
		goto out;
	if ((rc = check_sources(q, form, rel, nrel, cons, ncons, rsec, nr, e)) != CS_OK)
		goto out;
	a.tlp = core_report_form_tlp(form);
	a.importance = core_importance_parse(json_string_value(
	    json_object_get(form, "importance")));
	a.nversions = 1;
	a.created_by = q->who.user_id;
	a.created_us = a.updated_us = q->now_us;
	a.state = ADV_PENDING_APPROVAL;
	if ((rc = store_counter_next(q->st, "T", &a.t_number)) != CS_OK ||
	    (rc = store_adv_insert(q->st, &a)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	stamp(q, form, a.t_number, 1);
	memset(&ver, 0, sizeof(ver));
	ver.advisory = a.id;
	ver.version = 1;
	ver.form = json_dumps(form, JSON_COMPACT);
	ver.by_user = q->who.user_id;
	ver.created_us = q->now_us;
	rc = store_adv_version_insert(q->st, &ver);
	free(ver.form);
	if (rc != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	for (size_t i = 0; i < nrel; i++) {
		struct store_adv_related r = { rel[i], false };

		for (size_t k = 0; k < ncons; k++)
			r.consent_named |= cons[k] == rel[i];
		if ((rc = store_adv_related_add(q->st, a.id, &r)) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
	}
	if (!(q->cfg->four_eyes_alert && a.importance == IMP_ALERT) &&
	    !(q->cfg->four_eyes_all)) {
		if ((rc = issue(q, &a, mins, nmins, e)) != CS_OK)
			goto out;
	}
	if ((rc = store_adv_update(q->st, &a)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	cs_fmt(item, sizeof(item), "advisory:%lld", (long long)a.id);
	if ((rc = api_audit(q, "advisory.create", item, json_pack("{s:s, s:s, s:b, s:O}",
	    "state", core_adv_state_id(a.state), "tlp", core_tlp_id(a.tlp),
	    "urgent", a.urgent, "related_reports", json_object_get(q->body,
	    "related_reports") ? json_object_get(q->body, "related_reports") :
	    json_null()), false)) != CS_OK) {
		rc = cs_fail(e, rc, "", "audit failed");
		goto out;
	}
	q->status = 201;
	q->out = json_pack("{s:I, s:o, s:s, s:i}", "id", (json_int_t)a.id,
	    "identification_number", ident_json(a.t_number, 1),
	    "state", core_adv_state_id(a.state), "version", 1);
	rc = CS_OK;
out:
	json_decref(form);
	free(rel);
	free(cons);
	free(mins);
	free(rsec);
	return rc;
}

/* ---- POST /advisories/{id}/approve -------------------------------------- */

static enum cs_err
advisories_approve(struct api_req *q, struct cs_error *e)
{
	struct adv x;
	json_t *form = NULL;
	int64_t *mins = NULL;
	size_t nmins = 0, nr = 0;
	int *rsec = NULL;
	uint32_t secs;
	char item[32];
	enum cs_err rc;

	if ((rc = adv_load_visible(q, &x, e)) != CS_OK)
		return rc;
	if (q->who.org_type != ORG_NISC || !(q->who.roles & ROLE_APPROVER)) {
		rc = cs_fail(e, CS_EPERM, "", "approval needs a NISC user with the "
		    "approver role");
		goto out;
	}
	if (x.a.state != ADV_PENDING_APPROVAL) {
		rc = cs_fail(e, CS_ECONFLICT, "", "the advisory is already issued");
		goto out;
	}
	if (x.a.created_by == q->who.user_id) {
		rc = cs_fail(e, CS_EPERM, "", "four eyes: a second NISC user must "
		    "approve what you drafted");
		goto out;
	}
	form = json_loads(x.v[x.nv - 1].form, 0, NULL);
	if (form == NULL || (rc = resolve_recipients(q, form, &mins, &nmins,
	    &rsec, &nr, &secs, e)) != CS_OK) {
		if (form == NULL)
			rc = cs_fail(e, CS_EINTERNAL, "", "corrupt advisory");
		goto out;
	}
	x.a.approved_by = q->who.user_id;
	x.a.updated_us = q->now_us;
	if ((rc = issue(q, &x.a, mins, nmins, e)) != CS_OK)
		goto out;
	if ((rc = store_adv_update(q->st, &x.a)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	cs_fmt(item, sizeof(item), "advisory:%lld", (long long)x.a.id);
	if ((rc = api_audit(q, "advisory.approve", item, NULL, false)) != CS_OK) {
		rc = cs_fail(e, rc, "", "audit failed");
		goto out;
	}
	q->status = 200;
	q->out = json_pack("{s:I, s:s, s:o}", "id", (json_int_t)x.a.id, "state",
	    core_adv_state_id(x.a.state), "identification_number",
	    ident_json(x.a.t_number, x.a.nversions));
	rc = CS_OK;
out:
	json_decref(form);
	free(mins);
	free(rsec);
	adv_fini(&x);
	return rc;
}

/* ---- POST /advisories/{id}/followups ------------------------------------ */

static enum cs_err
advisories_followup(struct api_req *q, struct cs_error *e)
{
	static const char *const keys[] = { "form", "related_reports",
	    "consented_sources", NULL };
	struct adv x;
	struct store_adv_version ver;
	struct store_adv_related *rl = NULL;
	json_t *form = NULL;
	int64_t *rel = NULL, *cons = NULL, *mins = NULL;
	size_t nrel = 0, ncons = 0, nmins = 0, nr = 0, nrl = 0;
	int *rsec = NULL;
	int k;
	char item[32];
	enum cs_err rc;

	if ((rc = api_check_keys(q->body, keys, e)) != CS_OK)
		return rc;
	if ((rc = adv_load_visible(q, &x, e)) != CS_OK)
		return rc;
	if (q->who.org_type != ORG_NISC ||
	    !(q->who.roles & (ROLE_ANALYST | ROLE_APPROVER))) {
		rc = cs_fail(e, CS_EPERM, "", "follow-ups are issued by NISC analysts");
		goto out;
	}
	form = json_object_get(q->body, "form");
	if ((rc = core_advisory_form_validate(form, "form", e)) != CS_OK)
		goto out;
	if ((rc = id_list(q->body, "related_reports", &rel, &nrel, e)) != CS_OK ||
	    (rc = id_list(q->body, "consented_sources", &cons, &ncons, e)) != CS_OK)
		goto out;
	form = json_deep_copy(form);
	{
		json_t *idn = json_object_get(form, "identification_number");
		char want[40];

		core_advisory_ident(x.a.t_number, x.a.nversions + 1, want,
		    sizeof(want));
		if (idn != NULL && json_is_string(idn) && json_string_length(idn) > 0 &&
		    strcmp(json_string_value(idn), want) != 0) {
			rc = cs_fail(e, CS_EINVAL, "form.identification_number",
			    "this follow-up is %s", want);
			goto out;
		}
	}
	if ((rc = resolve_recipients(q, form, &mins, &nmins, &rsec, &nr,
	    &x.a.sectors, e)) != CS_OK)
		goto out;
	/* The series' sources still bind the follow-up. */
	if ((rc = store_adv_related_list(q->st, x.a.id, &rl, &nrl)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	for (size_t i = 0; i < nrl; i++) {
		rel = xreallocarray(rel, nrel + 1, sizeof(*rel));
		rel[nrel++] = rl[i].report;
		if (rl[i].consent_named) {
			cons = xreallocarray(cons, ncons + 1, sizeof(*cons));
			cons[ncons++] = rl[i].report;
		}
	}
	if ((rc = check_sources(q, form, rel, nrel, cons, ncons, rsec, nr, e)) != CS_OK)
		goto out;
	k = x.a.nversions + 1;
	stamp(q, form, x.a.t_number, k);
	x.a.nversions = k;
	x.a.tlp = core_report_form_tlp(form);
	x.a.importance = core_importance_parse(json_string_value(
	    json_object_get(form, "importance")));
	x.a.updated_us = q->now_us;
	memset(&ver, 0, sizeof(ver));
	ver.advisory = x.a.id;
	ver.version = k;
	ver.form = json_dumps(form, JSON_COMPACT);
	ver.by_user = q->who.user_id;
	ver.created_us = q->now_us;
	rc = store_adv_version_insert(q->st, &ver);
	free(ver.form);
	if (rc != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	for (size_t i = 0; i < nrel; i++) {
		struct store_adv_related r = { rel[i], false };

		for (size_t c = 0; c < ncons; c++)
			r.consent_named |= cons[c] == rel[i];
		if ((rc = store_adv_related_add(q->st, x.a.id, &r)) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
	}
	/* Saved first: notifications below are composed from the new TLP and number. */
	if ((rc = store_adv_update(q->st, &x.a)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	if (x.a.state == ADV_ISSUED) {
		/* Everyone who holds the series hears of the update... */
		for (size_t i = 0; i < x.nd; i++) {
			struct store_event ev;

			memset(&ev, 0, sizeof(ev));
			ev.org = x.d[i].org;
			ev.advisory = x.a.id;
			(void)cs_strlcpy(ev.kind, "updated", sizeof(ev.kind));
			ev.at_us = q->now_us;
			if ((rc = store_event_add(q->st, &ev)) != CS_OK ||
			    (rc = api_notify_enqueue(q, x.a.id, x.d[i].org,
			    "updated")) != CS_OK) {
				rc = cs_fail(e, rc, "", "store error");
				goto out;
			}
			q->events = true;
		}
		/* ...and new addressee ministries receive it. */
		for (size_t i = 0; i < nmins; i++)
			if ((rc = deliver(q, x.a.id, mins[i], q->who.org_id,
			    "issue", e)) != CS_OK)
				goto out;
	}
	if ((rc = store_adv_update(q->st, &x.a)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	cs_fmt(item, sizeof(item), "advisory:%lld", (long long)x.a.id);
	if ((rc = api_audit(q, "advisory.followup", item, json_pack("{s:i}",
	    "version", k), false)) != CS_OK) {
		rc = cs_fail(e, rc, "", "audit failed");
		goto out;
	}
	q->status = 201;
	q->out = json_pack("{s:I, s:i, s:o, s:s}", "id", (json_int_t)x.a.id,
	    "version", k, "identification_number", ident_json(x.a.t_number, k),
	    "state", core_adv_state_id(x.a.state));
	rc = CS_OK;
out:
	json_decref(form);
	free(rel);
	free(cons);
	free(mins);
	free(rsec);
	free(rl);
	adv_fini(&x);
	return rc;
}

/* ---- POST /advisories/{id}/relay ---------------------------------------- */

static enum cs_err
advisories_relay(struct api_req *q, struct cs_error *e)
{
	static const char *const keys[] = { "to", NULL };
	struct adv x;
	int64_t *to = NULL;
	size_t nto = 0;
	json_t *v, *done = NULL;
	char path[32], item[32];
	bool mine = false;
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
	if ((rc = adv_load_visible(q, &x, e)) != CS_OK) {
		free(to);
		return rc;
	}
	mine = q->who.org_type == ORG_NISC;	/* the issuer holds it */
	for (size_t i = 0; i < x.nd; i++)
		mine |= x.d[i].org == q->who.org_id;
	if (!mine) {
		rc = cs_fail(e, CS_EPERM, "", "only an organisation the advisory "
		    "was delivered to relays it");
		goto out;
	}
	done = json_array();
	for (size_t i = 0; i < nto; i++) {
		struct store_org o;
		struct cs_org_ref ref;

		cs_fmt(path, sizeof(path), "to.%zu", i);
		if ((rc = store_org_get(q->st, to[i], &o)) != CS_OK) {
			rc = cs_fail(e, rc == CS_ENOENT ? CS_EINVAL : rc, path,
			    "no such organisation");
			goto out;
		}
		api_org_ref(&o, &ref);
		store_org_fini(&o);
		if ((rc = policy_advisory_may_relay(&q->who, &x.acl, &ref, path, e)) != CS_OK)
			goto out;
		json_array_append_new(done, json_integer(to[i]));
	}
	/* Every recipient checked: one delivery batch. */
	if ((rc = deliver_many(q, x.a.id, to, nto, q->who.org_id, "relay",
	    e)) != CS_OK)
		goto out;
	cs_fmt(item, sizeof(item), "advisory:%lld", (long long)x.a.id);
	if ((rc = api_audit(q, "advisory.relay", item, json_pack("{s:O}", "to",
	    done), false)) != CS_OK) {
		rc = cs_fail(e, rc, "", "audit failed");
		goto out;
	}
	q->status = 200;
	q->out = json_pack("{s:I, s:O}", "id", (json_int_t)x.a.id, "delivered_to",
	    done);
	rc = CS_OK;
out:
	json_decref(done);
	free(to);
	adv_fini(&x);
	return rc;
}

/* ---- POST /advisories/{id}/ack ------------------------------------------ */

static enum cs_err
advisories_ack(struct api_req *q, struct cs_error *e)
{
	struct adv x;
	const struct store_delivery *mine = NULL;
	char item[32];
	enum cs_err rc;

	if ((rc = adv_load_visible(q, &x, e)) != CS_OK)
		return rc;
	for (size_t i = 0; i < x.nd; i++)
		if (x.d[i].org == q->who.org_id)
			mine = &x.d[i];
	if (mine == NULL) {
		rc = cs_fail(e, CS_ECONFLICT, "", "the advisory was not delivered "
		    "to your organisation");
		goto out;
	}
	if (mine->ack_us == 0) {
		if ((rc = store_delivery_ack(q->st, x.a.id, q->who.org_id,
		    q->who.user_id, q->now_us)) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
		cs_fmt(item, sizeof(item), "advisory:%lld", (long long)x.a.id);
		if ((rc = api_audit(q, "advisory.ack", item, NULL, false)) != CS_OK) {
			rc = cs_fail(e, rc, "", "audit failed");
			goto out;
		}
	}
	q->status = 200;
	q->out = json_pack("{s:I, s:I, s:o}", "id", (json_int_t)x.a.id, "org",
	    (json_int_t)q->who.org_id, "acknowledged_at",
	    api_time(mine->ack_us ? mine->ack_us : q->now_us));
	rc = CS_OK;
out:
	adv_fini(&x);
	return rc;
}

/* ---- GET ------------------------------------------------------------------ */

static json_t *
lat(int64_t from, int64_t to)
{
	if (from <= 0 || to <= 0)
		return json_null();
	return json_real((double)(to - from) / 1e6);
}

/* Delivery record: every hop (or the caller's subtree), latencies, who has not acknowledged. */
static json_t *
delivery_json(struct api_req *q, const struct adv *x)
{
	json_t *hops = json_array(), *unacked = json_array();
	bool *in = xcalloc(x->nd + 1, sizeof(*in));
	size_t nin = 0, nread = 0, nack = 0;
	bool nisc = q->who.org_type == ORG_NISC, grew = true;

	/* Subtree: hops delivered by the caller's org, transitively. */
	for (size_t i = 0; i < x->nd; i++)
		in[i] = nisc || x->d[i].parent_org == q->who.org_id;
	while (!nisc && grew) {
		grew = false;
		for (size_t i = 0; i < x->nd; i++) {
			if (in[i])
				continue;
			for (size_t j = 0; j < x->nd; j++)
				if (in[j] && x->d[j].org == x->d[i].parent_org &&
				    strcmp(x->d[i].via, "relay") == 0) {
					in[i] = grew = true;
					break;
				}
		}
	}
	for (size_t i = 0; i < x->nd; i++) {
		const struct store_delivery *d = &x->d[i];
		int64_t parent_at = x->a.issued_us;

		if (!in[i])
			continue;
		for (size_t j = 0; j < x->nd; j++)
			if (x->d[j].org == d->parent_org)
				parent_at = x->d[j].delivered_us;
		nin++;
		nread += d->read_us != 0;
		nack += d->ack_us != 0;
		json_array_append_new(hops, json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:i}",
		    "org", (json_int_t)d->org, "from_org", (json_int_t)d->parent_org,
		    "via", d->via, "delivered_at", api_time(d->delivered_us),
		    "read_at", api_time(d->read_us),
		    "acknowledged_at", api_time(d->ack_us),
		    "hop_latency_s", lat(parent_at, d->delivered_us),
		    "read_latency_s", lat(d->delivered_us, d->read_us),
		    "ack_latency_s", lat(d->delivered_us, d->ack_us),
		    "reminders", d->reminders));
		if (d->ack_us == 0) {
			json_t *u = json_pack("{s:I, s:o}", "org", (json_int_t)d->org,
			    "delivered_at", api_time(d->delivered_us));

			json_object_set_new(u, "overdue", json_boolean(
			    x->a.importance == IMP_ALERT && q->cfg->reminder_us > 0 &&
			    q->now_us - d->delivered_us > q->cfg->reminder_us));
			json_array_append_new(unacked, u);
		}
	}
	free(in);
	return json_pack("{s:o, s:o, s:{s:I, s:I, s:I}}", "hops", hops,
	    "unacknowledged", unacked, "summary", "delivered", (json_int_t)nin,
	    "read", (json_int_t)nread, "acknowledged", (json_int_t)nack);
}

static json_t *
advisory_json(struct api_req *q, const struct adv *x, bool full)
{
	json_t *j, *versions, *form;
	const struct store_delivery *mine = NULL;

	form = x->nv ? json_loads(x->v[x->nv - 1].form, 0, NULL) : NULL;
	j = json_pack("{s:I, s:o, s:s, s:b, s:s, s:o, s:o, s:i, s:o, s:o, s:o}",
	    "id", (json_int_t)x->a.id,
	    "identification_number", ident_json(x->a.t_number, x->a.nversions),
	    "state", core_adv_state_id(x->a.state),
	    "urgent", x->a.urgent,
	    "tlp", core_tlp_id(x->a.tlp),
	    "importance", x->a.importance ? json_string(core_importance_id(
	    x->a.importance)) : json_null(),
	    "sectors", sectors_json(x->a.sectors),
	    "version", x->a.nversions,
	    "created_at", api_time(x->a.created_us),
	    "issued_at", api_time(x->a.issued_us),
	    "form", form ? form : json_null());
	for (size_t i = 0; i < x->nd; i++)
		if (x->d[i].org == q->who.org_id)
			mine = &x->d[i];
	if (mine != NULL)
		json_object_set_new(j, "my_delivery", json_pack("{s:o, s:o, s:o}",
		    "delivered_at", api_time(mine->delivered_us), "read_at",
		    api_time(mine->read_us ? mine->read_us : q->now_us),
		    "acknowledged_at", api_time(mine->ack_us)));
	if (!full)
		return j;
	versions = json_array();
	for (size_t i = 0; i < x->nv; i++) {
		json_t *f = json_loads(x->v[i].form, 0, NULL);

		json_array_append_new(versions, json_pack("{s:i, s:o, s:o, s:o}",
		    "version", x->v[i].version, "identification_number",
		    ident_json(x->a.t_number, x->v[i].version), "issued_at",
		    api_time(x->v[i].created_us), "form", f ? f : json_null()));
	}
	json_object_set_new(j, "versions", versions);
	if (policy_advisory_may_see_sources(&q->who)) {
		struct store_adv_related *rl;
		size_t n;

		if (store_adv_related_list(q->st, x->a.id, &rl, &n) == CS_OK) {
			json_t *a = json_array();

			for (size_t i = 0; i < n; i++)
				json_array_append_new(a, json_integer(rl[i].report));
			json_object_set_new(j, "related_reports", a);
			free(rl);
		}
		json_object_set_new(j, "approved_by", x->a.approved_by ?
		    json_integer(x->a.approved_by) : json_null());
		json_object_set_new(j, "created_by", json_integer(x->a.created_by));
	}
	if (q->who.org_type == ORG_NISC || q->who.org_type == ORG_CI_MINISTRY ||
	    q->who.org_type == ORG_CEPTOAR_SEC)
		json_object_set_new(j, "delivery", delivery_json(q, x));
	return j;
}

static enum cs_err
advisories_get(struct api_req *q, struct cs_error *e)
{
	struct adv x;
	char item[32];
	enum cs_err rc;
	bool mine = false;

	if ((rc = adv_load_visible(q, &x, e)) != CS_OK)
		return rc;
	for (size_t i = 0; i < x.nd; i++)
		mine |= x.d[i].org == q->who.org_id && x.d[i].read_us == 0;
	if (mine && (rc = store_delivery_mark_read(q->st, x.a.id, q->who.org_id,
	    q->now_us)) != CS_OK) {
		adv_fini(&x);
		return cs_fail(e, rc, "", "store error");
	}
	q->out = advisory_json(q, &x, true);
	cs_fmt(item, sizeof(item), "advisory:%lld", (long long)x.a.id);
	rc = api_audit(q, "advisory.read", item, NULL, false);
	adv_fini(&x);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "audit failed");
	q->status = 200;
	return CS_OK;
}

/* The summary line of an inbox/list item. */
static json_t *
item_json(struct api_req *q, const struct adv *x, const struct store_delivery *d)
{
	const char *text = x->nv ? x->v[x->nv - 1].form : NULL, *tc, *sum;
	size_t tclen, sumlen;
	json_t *summary = NULL;
	json_t *j;

	/* Only threat_content.summary: taken without parsing the form. */
	if (text != NULL && cs_json_pick(text, strlen(text), "threat_content",
	    &tc, &tclen) == CS_OK && cs_json_pick(tc, tclen, "summary", &sum,
	    &sumlen) == CS_OK)
		summary = json_loadb(sum, sumlen, JSON_DECODE_ANY, NULL);
	j = json_pack("{s:I, s:o, s:s, s:o, s:s, s:b, s:i, s:o}",
	    "id", (json_int_t)x->a.id,
	    "identification_number", ident_json(x->a.t_number, x->a.nversions),
	    "tlp", core_tlp_id(x->a.tlp),
	    "importance", x->a.importance ? json_string(core_importance_id(
	    x->a.importance)) : json_null(),
	    "state", core_adv_state_id(x->a.state),
	    "urgent", x->a.urgent,
	    "version", x->a.nversions,
	    "issued_at", api_time(x->a.issued_us));

	json_object_set_new(j, "summary", summary ? summary : json_null());
	if (d != NULL) {
		json_object_set_new(j, "delivered_at", api_time(d->delivered_us));
		json_object_set_new(j, "read_at", api_time(d->read_us));
		json_object_set_new(j, "acknowledged_at", api_time(d->ack_us));
	}
	(void)q;
	return j;
}

/* GET /inbox?filter=unread|unacknowledged */
static enum cs_err
inbox(struct api_req *q, struct cs_error *e)
{
	const char *filter = q->query(q->conn, "filter");
	struct store_delivery *d = NULL;
	size_t n = 0;
	int limit;
	int64_t cursor, last = 0;
	json_t *items = json_array(), *seen = json_array();
	bool more = false;
	enum cs_err rc;

	if ((rc = api_list_limit(q, &limit, &cursor, e)) != CS_OK) {
		json_decref(items);
		json_decref(seen);
		return rc;
	}
	if (filter != NULL && strcmp(filter, "unread") != 0 &&
	    strcmp(filter, "unacknowledged") != 0) {
		json_decref(items);
		json_decref(seen);
		return cs_fail(e, CS_EINVAL, "filter", "must be unread or "
		    "unacknowledged");
	}
	for (;;) {
		/* A page and one more (to know whether there is more). */
		if ((rc = store_delivery_inbox(q->st, q->who.org_id, cursor,
		    limit + 1, &d, &n)) != CS_OK) {
			json_decref(items);
			json_decref(seen);
			return cs_fail(e, rc, "", "store error");
		}
		for (size_t i = 0; i < n; i++) {
			struct adv x;
			struct cs_error le;

			cursor = d[i].id;
			if ((int)json_array_size(items) >= limit) {
				more = true;
				break;
			}
			if ((filter && strcmp(filter, "unread") == 0 && d[i].read_us) ||
			    (filter && strcmp(filter, "unacknowledged") == 0 &&
			    d[i].ack_us))
				continue;
			if (adv_load_for(q, d[i].advisory, q->who.org_id, &d[i],
			    &x, &le) != CS_OK)
				continue;
			if (policy_advisory_may_read(&q->who, &x.acl)) {
				json_array_append_new(items, item_json(q, &x, &d[i]));
				json_array_append_new(seen, json_integer(x.a.id));
				last = d[i].id;
			}
			adv_fini(&x);
		}
		free(d);
		if (more || n < (size_t)limit + 1)
			break;
	}
	if (json_array_size(seen) > 0 && (rc = api_audit(q, "inbox.read", NULL,
	    json_pack("{s:O}", "advisories", seen), false)) != CS_OK) {
		json_decref(items);
		json_decref(seen);
		return cs_fail(e, rc, "", "audit failed");
	}
	json_decref(seen);
	q->out = api_list_json(items, more, last);
	q->status = 200;
	return CS_OK;
}

/* GET /advisories: NISC sees every advisory; others what was delivered to them. */
static enum cs_err
advisories_list(struct api_req *q, struct cs_error *e)
{
	struct store_advisory *v;
	size_t n;
	int limit;
	int64_t cursor, last = 0;
	json_t *items;
	bool more = false;
	enum cs_err rc;

	if (q->who.org_type != ORG_NISC)
		return inbox(q, e);
	if ((rc = api_list_limit(q, &limit, &cursor, e)) != CS_OK)
		return rc;
	if ((rc = store_adv_list(q->st, cursor, limit + 1, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		struct adv x;
		struct cs_error le;

		if ((int)json_array_size(items) >= limit) {
			more = true;
			break;
		}
		if (adv_load(q, v[i].id, &x, &le) != CS_OK)
			continue;
		if (policy_advisory_may_read(&q->who, &x.acl)) {
			json_t *it = item_json(q, &x, NULL);
			json_t *dj = delivery_json(q, &x);

			json_object_set(it, "delivery_summary", json_object_get(dj,
			    "summary"));
			json_decref(dj);
			json_array_append_new(items, it);
			last = v[i].id;
		}
		adv_fini(&x);
	}
	free(v);
	q->out = api_list_json(items, more, last);
	q->status = 200;
	return CS_OK;
}

/* GET /public/advisories: issued TLP:CLEAR advisories, no login. */
static enum cs_err
public_advisories(struct api_req *q, struct cs_error *e)
{
	struct store_advisory *v;
	size_t n;
	int limit;
	int64_t cursor = 0, last = 0;
	json_t *items = json_array();
	bool more = false;
	enum cs_err rc;

	if ((rc = api_list_limit(q, &limit, &cursor, e)) != CS_OK) {
		json_decref(items);
		return rc;
	}
	for (;;) {
		if ((rc = store_adv_list(q->st, cursor, 200, &v, &n)) != CS_OK) {
			json_decref(items);
			return cs_fail(e, rc, "", "store error");
		}
		for (size_t i = 0; i < n; i++) {
			struct cs_advisory_acl acl;

			cursor = v[i].id;
			if ((int)json_array_size(items) >= limit) {
				more = true;
				break;
			}
			memset(&acl, 0, sizeof(acl));
			acl.id = v[i].id;
			acl.state = v[i].state;
			acl.tlp = v[i].tlp;
			acl.sectors = v[i].sectors;
			if (!policy_advisory_public(&acl))
				continue;
			{
				struct adv x;
				struct cs_error le;

				if (adv_load(q, v[i].id, &x, &le) != CS_OK)
					continue;
				json_array_append_new(items, json_pack("{s:I, s:o, s:s, s:o, s:o, s:o}",
				    "id", (json_int_t)x.a.id, "identification_number",
				    ident_json(x.a.t_number, x.a.nversions), "tlp", "clear",
				    "importance", x.a.importance ? json_string(
				    core_importance_id(x.a.importance)) : json_null(),
				    "issued_at", api_time(x.a.issued_us), "form",
				    json_loads(x.v[x.nv - 1].form, 0, NULL)));
				last = x.a.id;
				adv_fini(&x);
			}
		}
		free(v);
		if (more || n < 200)
			break;
	}
	q->out = api_list_json(items, more, last);
	q->status = 200;
	return CS_OK;
}

/* ---- widening requests --------------------------------------------------- */

/* Loads a report's acl facts (path, shares) for the policy. */
static enum cs_err
report_acl(struct api_req *q, int64_t id, struct store_report *r,
    struct cs_report_acl *acl, struct cs_org_ref **sh, struct cs_error *e)
{
	enum cs_err rc = store_report_get(q->st, id, r);

	if (rc == CS_ENOENT)
		return cs_fail(e, CS_ENOENT, "", "no such report");
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*sh = xcalloc(r->nshares + 1, sizeof(**sh));
	for (size_t k = 0; k < r->nshares; k++) {
		struct store_org so;

		if (store_org_get(q->st, r->shares[k].org, &so) == CS_OK) {
			api_org_ref(&so, &(*sh)[k]);
			store_org_fini(&so);
		}
	}
	memset(acl, 0, sizeof(*acl));
	acl->id = r->id;
	acl->route = r->route;
	acl->tlp = r->tlp;
	acl->sector = r->sector;
	acl->anonymised = r->anonymised;
	acl->submitter_org = r->submitter_org;
	memcpy(acl->anon_tag, r->anon_tag, 32);
	acl->path = r->path;
	acl->npath = r->npath;
	acl->shared = *sh;
	acl->nshared = r->nshares;
	acl->extra = r->extra;
	acl->nextra = r->nextra;
	return CS_OK;
}

/* Who answers for the source: the submitter, or the secretariat if anonymised. */
static bool
answers_for_source(const struct api_req *q, const struct cs_report_acl *acl)
{
	enum cs_relation rel = policy_report_relation(&q->who, acl);

	if (!policy_report_may_read(&q->who, acl))
		return false;
	if (acl->anonymised)
		return rel == REL_CEPTOAR;
	return rel == REL_SUBMITTER;
}

static json_t *
widening_json(const struct store_widening *w)
{
	static const char *states[] = { "pending", "approved", "refused" };

	return json_pack("{s:I, s:I, s:s, s:o, s:s?, s:s, s:o, s:o, s:I}",
	    "id", (json_int_t)w->id, "report", (json_int_t)w->report,
	    "tlp", core_tlp_id(w->tlp), "sectors", sectors_json(w->sectors),
	    "reason", w->reason, "state", states[w->state],
	    "created_at", api_time(w->created_us),
	    "decided_at", api_time(w->decided_us),
	    "requested_by_org", (json_int_t)w->by_org);
}

static enum cs_err
widening_create(struct api_req *q, struct cs_error *e)
{
	static const char *const keys[] = { "tlp", "sectors", "reason", NULL };
	struct store_report r;
	struct cs_report_acl acl;
	struct cs_org_ref *sh = NULL;
	struct store_widening w;
	json_t *v, *s;
	size_t i;
	char item[32];
	enum cs_err rc;

	memset(&w, 0, sizeof(w));
	if ((rc = api_check_keys(q->body, keys, e)) != CS_OK)
		return rc;
	v = json_object_get(q->body, "tlp");
	if (v == NULL)
		return cs_fail(e, CS_EINVAL, "tlp", "required field is missing");
	if (!json_is_string(v) || core_tlp_parse(json_string_value(v), &w.tlp) != 0)
		return cs_fail(e, CS_EINVAL, "tlp", "must be a TLP level id");
	v = json_object_get(q->body, "sectors");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_array(v) || json_array_size(v) > CS_NSECTORS)
			return cs_fail(e, CS_EINVAL, "sectors", "must be an array of "
			    "sector ids");
		json_array_foreach(v, i, s) {
			char path[32];
			int sec;

			cs_fmt(path, sizeof(path), "sectors.%zu", i);
			if (!json_is_string(s) ||
			    (sec = core_sector_parse(json_string_value(s))) < 0)
				return cs_fail(e, CS_EINVAL, path, "unknown sector id");
			w.sectors |= 1u << sec;
		}
	}
	v = json_object_get(q->body, "reason");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v) || cs_utf8_len(json_string_value(v),
		    json_string_length(v)) < 0 || json_string_length(v) > 3 * CS_MAX_TEXT)
			return cs_fail(e, CS_EINVAL, "reason", "must be text");
		w.reason = (char *)json_string_value(v);
	}
	if ((rc = report_acl(q, q->ids[0], &r, &acl, &sh, e)) != CS_OK)
		return rc;
	if (!policy_report_may_read(&q->who, &acl)) {
		rc = cs_fail(e, CS_ENOENT, "", "no such report");
		goto out;
	}
	if (policy_report_relation(&q->who, &acl) != REL_NISC ||
	    !(q->who.roles & (ROLE_ANALYST | ROLE_APPROVER))) {
		rc = cs_fail(e, CS_EPERM, "", "NISC analysts ask a source to widen");
		goto out;
	}
	if (w.tlp <= r.tlp && (w.sectors & ~(1u << r.sector)) == 0) {
		rc = cs_fail(e, CS_EINVAL, "tlp", "that is not wider than what the "
		    "source already allowed");
		goto out;
	}
	w.report = r.id;
	w.state = WIDEN_PENDING;
	w.by_user = q->who.user_id;
	w.by_org = q->who.org_id;
	w.created_us = q->now_us;
	if ((rc = store_widening_insert(q->st, &w)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	cs_fmt(item, sizeof(item), "report:%lld", (long long)r.id);
	if ((rc = api_audit(q, "widening.request", item, json_pack("{s:I, s:s}",
	    "request", (json_int_t)w.id, "tlp", core_tlp_id(w.tlp)), false)) != CS_OK) {
		rc = cs_fail(e, rc, "", "audit failed");
		goto out;
	}
	q->status = 201;
	q->out = json_pack("{s:I, s:s}", "id", (json_int_t)w.id, "state", "pending");
	rc = CS_OK;
out:
	free(sh);
	store_report_fini(&r);
	return rc;
}

static enum cs_err
widening_decide(struct api_req *q, struct cs_error *e, bool approve)
{
	struct store_widening w;
	struct store_report r;
	struct cs_report_acl acl;
	struct cs_org_ref *sh = NULL;
	char item[32];
	enum cs_err rc;

	rc = store_widening_get(q->st, q->ids[0], &w);
	if (rc == CS_ENOENT)
		return cs_fail(e, CS_ENOENT, "", "no such widening request");
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if ((rc = report_acl(q, w.report, &r, &acl, &sh, e)) != CS_OK) {
		store_widening_fini(&w);
		return rc;
	}
	if (!answers_for_source(q, &acl)) {
		rc = policy_report_may_read(&q->who, &acl) ?
		    cs_fail(e, CS_EPERM, "", "only the source (or, anonymised, its "
		    "CEPTOAR secretariat) answers a widening request") :
		    cs_fail(e, CS_ENOENT, "", "no such widening request");
		goto out;
	}
	if ((rc = api_need_roles(q, ROLE_MEMBER | ROLE_POC | ROLE_ORG_ADMIN |
	    ROLE_LIAISON, e)) != CS_OK)
		goto out;
	if (w.state != WIDEN_PENDING) {
		rc = cs_fail(e, CS_ECONFLICT, "", "already answered");
		goto out;
	}
	w.state = approve ? WIDEN_APPROVED : WIDEN_REFUSED;
	w.decided_us = q->now_us;
	/* The anonymised source's secretariat answers in its own name. */
	w.decided_by_org = q->who.org_id;
	w.decided_by_user = q->who.user_id;
	if (acl.anonymised && policy_report_relation(&q->who, &acl) == REL_SUBMITTER) {
		w.decided_by_org = 0;
		w.decided_by_user = 0;
	}
	if ((rc = store_widening_update(q->st, &w)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	cs_fmt(item, sizeof(item), "report:%lld", (long long)w.report);
	if ((rc = api_audit(q, approve ? "widening.approve" : "widening.refuse",
	    item, json_pack("{s:I}", "request", (json_int_t)w.id), false)) != CS_OK) {
		rc = cs_fail(e, rc, "", "audit failed");
		goto out;
	}
	q->status = 200;
	q->out = widening_json(&w);
	rc = CS_OK;
out:
	free(sh);
	store_report_fini(&r);
	store_widening_fini(&w);
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
	size_t n;
	int limit;
	int64_t cursor, last = 0;
	json_t *items = json_array();
	bool more = false;
	enum cs_err rc;

	if ((rc = api_list_limit(q, &limit, &cursor, e)) != CS_OK) {
		json_decref(items);
		return rc;
	}
	for (;;) {
		if ((rc = store_widening_list(q->st, 0, cursor, 200, &w, &n)) != CS_OK) {
			json_decref(items);
			return cs_fail(e, rc, "", "store error");
		}
		for (size_t i = 0; i < n; i++) {
			struct store_report r;
			struct cs_report_acl acl;
			struct cs_org_ref *sh = NULL;
			struct cs_error le;
			bool show;

			cursor = w[i].id;
			if ((int)json_array_size(items) >= limit) {
				more = true;
				break;
			}
			if (report_acl(q, w[i].report, &r, &acl, &sh, &le) != CS_OK)
				continue;
			show = (policy_report_may_read(&q->who, &acl) &&
			    policy_report_relation(&q->who, &acl) == REL_NISC) ||
			    answers_for_source(q, &acl);
			if (show) {
				json_t *wj = widening_json(&w[i]);
				char idb[40];

				core_report_ident(r.r_number, 1, idb, sizeof(idb));
				json_object_set_new(wj, "report_identification_number",
				    idb[0] ? json_string(idb) : json_null());
				json_array_append_new(items, wj);
				last = w[i].id;
			}
			free(sh);
			store_report_fini(&r);
		}
		store_widenings_free(w, n);
		if (more || n < 200)
			break;
	}
	q->out = api_list_json(items, more, last);
	q->status = 200;
	return CS_OK;
}

/*
 * Inbox events after `after` visible to the caller, as SSE-ready JSON
 * objects {"seq", "kind", "item"}; used by the stream in src/http.
 */
enum cs_err
api_inbox_events(struct api_req *q, int64_t after, int limit, json_t **out,
    int64_t *last, struct cs_error *e)
{
	struct store_event *ev;
	size_t n;
	json_t *ids = json_array();
	enum cs_err rc;

	*out = json_array();
	*last = after;
	if ((rc = store_event_list(q->st, q->who.org_id, after, limit, &ev, &n)) != CS_OK) {
		json_decref(*out);
		json_decref(ids);
		*out = NULL;
		return cs_fail(e, rc, "", "store error");
	}
	for (size_t i = 0; i < n; i++) {
		struct adv x;
		struct cs_error le;
		const struct store_delivery *d = NULL;

		*last = ev[i].seq;
		if (adv_load_for(q, ev[i].advisory, q->who.org_id, NULL, &x,
		    &le) != CS_OK)
			continue;
		for (size_t k = 0; k < x.nd; k++)
			if (x.d[k].org == q->who.org_id)
				d = &x.d[k];
		if (policy_advisory_may_read(&q->who, &x.acl)) {
			json_array_append_new(*out, json_pack("{s:I, s:s, s:o}",
			    "seq", (json_int_t)ev[i].seq, "kind", ev[i].kind,
			    "item", item_json(q, &x, d)));
			json_array_append_new(ids, json_integer(x.a.id));
		}
		adv_fini(&x);
	}
	free(ev);
	if (json_array_size(ids) > 0 && (rc = api_audit(q, "inbox.stream", NULL,
	    json_pack("{s:O}", "advisories", ids), false)) != CS_OK) {
		json_decref(ids);
		json_decref(*out);
		*out = NULL;
		return cs_fail(e, rc, "", "audit failed");
	}
	json_decref(ids);
	return CS_OK;
}

/*
 * .visible of this file's :id routes: the advisory, the report (widening
 * requests on it) or the widening request (through its report) exists and
 * the caller reads it.
 */
static enum cs_err
adv_routes_visible(struct api_req *q, struct cs_error *e)
{
	struct store_report r;
	struct cs_report_acl acl;
	struct cs_org_ref *sh = NULL;
	struct store_widening w;
	struct adv x;
	int64_t report = q->ids[0];
	bool wid = strncmp(q->path, "/widening-requests/", 19) == 0;
	enum cs_err rc;

	if (strncmp(q->path, "/advisories/", 12) == 0) {
		if ((rc = adv_load_visible(q, &x, e)) == CS_OK)
			adv_fini(&x);
		return rc;
	}
	if (wid) {
		if ((rc = store_widening_get(q->st, q->ids[0], &w)) != CS_OK)
			return cs_fail(e, rc, "", rc == CS_ENOENT ?
			    "no such widening request" : "store error");
		report = w.report;
		store_widening_fini(&w);
	}
	if ((rc = report_acl(q, report, &r, &acl, &sh, e)) != CS_OK)
		return rc;
	if (!policy_report_may_read(&q->who, &acl))
		rc = cs_fail(e, CS_ENOENT, "", wid ? "no such widening request" :
		    "no such report");
	free(sh);
	store_report_fini(&r);
	return rc;
}

const struct api_route api_advisories_routes[] = {
	{ .method = "POST", .pattern = "/advisories",
	  .action = ACT_ADV_ISSUE, .flags = API_BODY,
	  .body = API_KEYS("urgent", "related_reports", "form",
	    "consented_sources"),
	  .fn = advisories_create },
	{ .method = "GET", .pattern = "/advisories",
	  .action = ACT_ADV_LIST, .fn = advisories_list },
	{ .method = "GET", .pattern = "/advisories/:id",
	  .action = ACT_ADV_READ, .fn = advisories_get },
	{ .method = "POST", .pattern = "/advisories/:id/followups",
	  .action = ACT_ADV_FOLLOWUP, .flags = API_BODY,
	  .body = API_KEYS("form", "related_reports", "consented_sources"),
	  .visible = adv_routes_visible,
	  .fn = advisories_followup },
	{ .method = "POST", .pattern = "/advisories/:id/approve",
	  .action = ACT_ADV_APPROVE, .flags = API_OPTBODY,
	  .visible = adv_routes_visible,
	  .fn = advisories_approve },
	{ .method = "POST", .pattern = "/advisories/:id/relay",
	  .action = ACT_ADV_RELAY, .flags = API_BODY,
	  .body = API_KEYS("to"), .visible = adv_routes_visible,
	  .fn = advisories_relay },
	{ .method = "POST", .pattern = "/advisories/:id/ack",
	  .action = ACT_ADV_ACK, .flags = API_OPTBODY,
	  .fn = advisories_ack },
	{ .method = "GET", .pattern = "/inbox",
	  .action = ACT_INBOX_READ, .flags = API_SNAPSHOT, .fn = inbox },
	{ .method = "GET", .pattern = "/inbox/stream",
	  .action = ACT_INBOX_READ, .flags = API_STREAM },
	{ .method = "GET", .pattern = "/public/advisories",
	  .action = ACT_PUBLIC_READ, .fn = public_advisories },
	{ .method = "POST", .pattern = "/reports/:id/widening-requests",
	  .action = ACT_WIDEN_REQUEST, .flags = API_BODY,
	  .body = API_KEYS("tlp", "sectors", "reason"),
	  .visible = adv_routes_visible,
	  .fn = widening_create },
	{ .method = "GET", .pattern = "/widening-requests",
	  .action = ACT_WIDEN_LIST, .fn = widening_list },
	{ .method = "POST", .pattern = "/widening-requests/:id/approve",
	  .action = ACT_WIDEN_DECIDE, .flags = API_OPTBODY,
	  .visible = adv_routes_visible,
	  .fn = widening_approve },
	{ .method = "POST", .pattern = "/widening-requests/:id/refuse",
	  .action = ACT_WIDEN_DECIDE, .flags = API_OPTBODY,
	  .visible = adv_routes_visible,
	  .fn = widening_refuse },
	{ .method = NULL }
};
