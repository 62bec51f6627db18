/*
 * advisory.c: advisories (see svc_adv.h).
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

#include "core/flow.h"
#include "svc/svc_adv.h"
#include "svc/svc_report.h"

/* ---- loading ------------------------------------------------------------- */

void
svc_adv_fini(struct svc_adv *x)
{
	store_adv_versions_free(x->v, x->nv);
	free(x->d);
	free(x->orgs);
	memset(x, 0, sizeof(*x));
}

void
svc_adv_acl(const struct store_advisory *a, const int64_t *delivered,
    size_t ndelivered, struct cs_advisory_acl *acl)
{
	memset(acl, 0, sizeof(*acl));
	acl->id = a->id;
	acl->state = a->state;
	acl->tlp = a->tlp;
	acl->sectors = a->sectors;
	acl->delivered = delivered;
	acl->ndelivered = ndelivered;
}

enum cs_err
svc_adv_load(struct svc_ctx *c, int64_t id, struct svc_adv *x,
    struct cs_error *e)
{
	enum cs_err rc;

	memset(x, 0, sizeof(*x));
	if ((rc = store_adv_get(c->st, id, &x->a)) != CS_OK)
		return svc_load_failed(rc, "advisory", e);
	if ((rc = store_adv_version_list(c->st, id, &x->v, &x->nv)) != CS_OK ||
	    (rc = store_delivery_list(c->st, id, &x->d, &x->nd)) != CS_OK) {
		svc_adv_fini(x);
		return cs_fail(e, CS_ESTORE, "", "store error");
	}
	x->orgs = xcalloc(x->nd + 1, sizeof(*x->orgs));
	for (size_t i = 0; i < x->nd; i++)
		x->orgs[i] = x->d[i].org;
	svc_adv_acl(&x->a, x->orgs, x->nd, &x->acl);
	return CS_OK;
}

enum cs_err
svc_adv_load_for(struct svc_ctx *c, int64_t id, int64_t org,
    const struct store_delivery *known, struct svc_adv *x, struct cs_error *e)
{
	struct store_delivery d;
	enum cs_err rc;

	memset(x, 0, sizeof(*x));
	x->v = xcalloc(1, sizeof(*x->v));
	rc = store_adv_get_latest(c->st, id, &x->a, &x->v[0]);
	if (rc != CS_OK) {
		svc_adv_fini(x);
		return svc_load_failed(rc, "advisory", e);
	}
	x->nv = x->v[0].form != NULL ? 1 : 0;
	x->d = xcalloc(1, sizeof(*x->d));
	x->orgs = xcalloc(1, sizeof(*x->orgs));
	if (known != NULL) {
		d = *known;
		rc = CS_OK;
	} else
		rc = store_delivery_get(c->st, id, org, &d);
	if (rc == CS_OK) {
		x->d[0] = d;
		x->orgs[0] = org;
		x->nd = 1;
	} else if (rc != CS_ENOENT) {
		svc_adv_fini(x);
		return cs_fail(e, CS_ESTORE, "", "store error");
	}
	svc_adv_acl(&x->a, x->orgs, x->nd, &x->acl);
	return CS_OK;
}

enum cs_err
svc_adv_load_visible(struct svc_ctx *c, int64_t id, struct svc_adv *x,
    struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = svc_adv_load(c, id, x, e)) != CS_OK)
		return rc;
	if (!policy_advisory_may_read(&c->who, &x->acl)) {
		svc_adv_fini(x);
		return cs_fail(e, CS_ENOENT, "", "no such advisory");
	}
	return CS_OK;
}

const struct store_delivery *
svc_adv_delivery(const struct svc_adv *x, int64_t org)
{
	const struct store_delivery *mine = NULL;

	for (size_t i = 0; i < x->nd; i++)
		if (x->d[i].org == org)
			mine = &x->d[i];
	return mine;
}

/* ---- recipients, scope and de-identification ---------------------------- */

/* An advisory's form.recipients, resolved. */
struct recipients {
	int64_t		*orgs;		/* the addressee ministries, once each */
	size_t		 norgs;
	int		*rsec;		/* the sector of each row */
	size_t		 nr;
	uint32_t	 sectors;	/* all of them */
};

static void
recipients_fini(struct recipients *rp)
{
	free(rp->orgs);
	free(rp->rsec);
	memset(rp, 0, sizeof(*rp));
}

/* Resolves form.recipients to ministry orgs (rp is set even on failure). */
static enum cs_err
resolve_recipients(struct svc_ctx *c, json_t *form, struct recipients *rp,
    struct cs_error *e)
{
	json_t *rec = json_object_get(form, "recipients"), *row, *m;
	int64_t **orgs = &rp->orgs;
	size_t *norgs = &rp->norgs;
	char field[64];
	size_t i;
	enum cs_err rc;

	memset(rp, 0, sizeof(*rp));
	rp->nr = json_array_size(rec);
	rp->rsec = xcalloc(rp->nr + 1, sizeof(*rp->rsec));
	json_array_foreach(rec, i, row) {
		int sec = core_sector_parse(json_string_value(json_object_get(row,
		    "sector")));
		struct store_org *v = NULL;
		size_t n = 0;

		rp->rsec[i] = sec;
		rp->sectors |= 1u << sec;
		m = json_object_get(row, "ministry");
		if (json_is_integer(m)) {
			struct store_org o;

			cs_fmt(field, sizeof(field), "form.recipients.%zu.ministry", i);
			if (store_org_get(c->st, json_integer_value(m), &o) != CS_OK)
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
			if ((rc = store_org_find(c->st, ORG_CI_MINISTRY, 1u << sec,
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
source_needles(struct svc_ctx *c, const struct store_report *r, char ***out,
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
	    store_org_get(c->st, r->ceptoar_org, &cep) == CS_OK) {
		char *plain = cep.has_pk ? core_open_sealed(cep.pk, cep.wrapped_sk,
		    r->sealed_identity) : NULL;
		json_t *j = plain ? json_loads(plain, 0, NULL) : NULL;

		if (j != NULL)
			org = json_integer_value(json_object_get(j, "org"));
		json_decref(j);
		free(plain);
		store_org_fini(&cep);
	}
	if (org == 0 || store_org_get(c->st, org, &o) != CS_OK)
		return;
	ADD(o.name);
	ids = o.identifiers ? json_loads(o.identifiers, 0, NULL) : NULL;
	json_array_foreach(ids, i, x)
		ADD(json_string_value(x));
	json_decref(ids);
	store_org_fini(&o);
	if (store_user_list(c->st, org, 0, 1000, &u, &nu) == CS_OK) {
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

/* The advisory's text may not name a source that did not consent. */
static enum cs_err
check_naming(struct svc_ctx *c, json_t *form, const struct store_report *r,
    struct cs_error *e)
{
	char **needles, hit[96];
	size_t nn;
	long from = 0, to = 0;
	enum cs_err rc = CS_OK;

	source_needles(c, r, &needles, &nn);
	if (find_needle(form, "form", needles, nn, hit, sizeof(hit), &from, &to))
		rc = cs_fail(e, CS_ECONFLICT, hit, "characters %ld-%ld identify "
		    "the source of a related report; remove them or record the "
		    "source's consent (consented_sources)", from, to);
	for (size_t k = 0; k < nn; k++)
		free(needles[k]);
	free(needles);
	return rc;
}

/*
 * Checks the related reports: each must be one NISC holds; the advisory may
 * not be wider than its source allowed (widenings approved count); its text
 * may not name the source unless the source consented.
 */
static enum cs_err
check_sources(struct svc_ctx *c, json_t *form, const int64_t *rel, size_t nrel,
    const int64_t *consent, size_t ncons, const struct recipients *rp,
    struct cs_error *e)
{
	struct cs_source_scope *sc = xcalloc(nrel + 1, sizeof(*sc));
	enum cs_err rc = CS_OK;
	char field[48];

	for (size_t i = 0; i < nrel; i++) {
		struct svc_report x;
		struct store_widening *w = NULL;
		struct cs_error le;
		size_t nw = 0;
		bool consented = false;

		cs_fmt(field, sizeof(field), "related_reports.%zu", i);
		if (svc_report_load(c, rel[i], 0, &x, &le) != CS_OK) {
			rc = cs_fail(e, CS_EINVAL, field, "no such report");
			goto out;
		}
		if (!policy_report_may_read(&c->who, &x.acl) ||
		    policy_report_relation(&c->who, &x.acl) != REL_NISC) {
			svc_report_fini(&x);
			rc = cs_fail(e, CS_EINVAL, field, "no such report at NISC");
			goto out;
		}
		policy_source_scope(x.r.tlp, x.r.sector, &sc[i]);
		sc[i].report = x.r.id;
		if (store_widening_list(c->st, x.r.id, 0, 1000, &w, &nw) == CS_OK) {
			for (size_t k = 0; k < nw; k++)
				if (w[k].state == WIDEN_APPROVED)
					policy_source_scope_widen(&sc[i], w[k].tlp,
					    w[k].sectors);
			store_widenings_free(w, nw);
		}
		for (size_t k = 0; k < ncons; k++)
			consented |= consent[k] == x.r.id;
		if (!consented)
			rc = check_naming(c, form, &x.r, e);
		svc_report_fini(&x);
		if (rc != CS_OK)
			goto out;
	}
	rc = policy_advisory_scope_check(core_report_form_tlp(form), rp->rsec,
	    rp->nr, sc, nrel, e);
out:
	free(sc);
	return rc;
}

/* ---- delivery ------------------------------------------------------------ */

/* Deliver to each of orgs (once each), with inbox events and notifications. */
static enum cs_err
deliver_many(struct svc_ctx *c, int64_t adv, const int64_t *orgs, size_t n,
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
	d.delivered_us = c->now_us;
	if ((rc = store_delivery_add_many(c->st, &d, orgs, n, &added,
	    &nadded)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	rc = svc_notify_enqueue_many(c, adv, added, nadded, "delivered");
	free(added);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "could not queue notifications");
	if (nadded > 0)
		c->events = true;
	return CS_OK;
}

/* Issue: to the ministries, or urgent: to CEPTOARs/operators + copy. */
static enum cs_err
issue(struct svc_ctx *c, struct store_advisory *a, const int64_t *ministries,
    size_t nm, struct cs_error *e)
{
	static const enum cs_org_type types[] = { ORG_CEPTOAR_SEC,
	    ORG_CI_OPERATOR };
	enum cs_err rc;

	/* Issued first: notifications composed below must see what readers will. */
	a->state = ADV_ISSUED;
	a->issued_us = c->now_us;
	if ((rc = store_adv_update(c->st, a)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	for (size_t i = 0; i < nm; i++)
		if ((rc = deliver_many(c, a->id, &ministries[i], 1, c->who.org_id,
		    a->urgent ? "copy" : "issue", e)) != CS_OK)
			return rc;
	for (size_t t = 0; a->urgent && t < 2; t++) {
		struct store_org *v;
		int64_t *to;
		size_t n, nto = 0;

		if ((rc = store_org_find(c->st, types[t], a->sectors, &v, &n)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
		to = xcalloc(n + 1, sizeof(*to));
		for (size_t i = 0; i < n; i++) {
			struct cs_org_ref ref;

			svc_org_ref(&v[i], &ref);
			if (policy_advisory_in_ceiling(a->tlp, a->sectors, &ref))
				to[nto++] = v[i].id;
		}
		store_orgs_free(v, n);
		rc = deliver_many(c, a->id, to, nto, c->who.org_id, "urgent", e);
		free(to);
		if (rc != CS_OK)
			return rc;
	}
	return CS_OK;
}

/* Server-set fields of version k's form. */
static void
stamp(const struct svc_ctx *c, json_t *form, int64_t t, int k)
{
	char b[40];
	json_t *ct;

	core_advisory_ident(t, k, b, sizeof(b));
	json_object_set_new(form, "advisory_sequence_number", json_integer(k));
	json_object_set_new(form, "identification_number", json_string(b));
	if (json_object_get(form, "provided_at") == NULL)
		json_object_set_new(form, "provided_at", svc_time(c->now_us));
	if ((ct = json_object_get(form, "nisc_contact")) == NULL) {
		ct = json_object();
		svc_contact_add(ct, c->user);
		json_object_set_new(form, "nisc_contact", ct);
	}
}

/* Version k of the form, and the series' links to its source reports. */
static enum cs_err
write_version(struct svc_ctx *c, const struct store_advisory *a, int k,
    json_t *form, const int64_t *rel, size_t nrel, const int64_t *cons,
    size_t ncons, struct cs_error *e)
{
	struct store_adv_version ver;
	enum cs_err rc;

	memset(&ver, 0, sizeof(ver));
	ver.advisory = a->id;
	ver.version = k;
	ver.form = json_dumps(form, JSON_COMPACT);
	ver.by_user = c->who.user_id;
	ver.created_us = c->now_us;
	rc = store_adv_version_insert(c->st, &ver);
	free(ver.form);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	for (size_t i = 0; i < nrel; i++) {
		struct store_adv_related r = { rel[i], false };

		for (size_t j = 0; j < ncons; j++)
			r.consent_named |= cons[j] == rel[i];
		if ((rc = store_adv_related_add(c->st, a->id, &r)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
	}
	return CS_OK;
}

static void
out_fill(const struct store_advisory *a, int k, struct svc_adv_out *out)
{
	out->id = a->id;
	out->t_number = a->t_number;
	out->version = k;
	out->state = a->state;
}

enum cs_err
svc_adv_issue_check(const struct svc_adv_in *in, struct cs_error *e)
{
	json_t *v;
	enum cs_err rc;

	if ((rc = core_advisory_form_validate(in->form, "form", e)) != CS_OK)
		return rc;
	v = json_object_get(in->form, "identification_number");
	if (v != NULL && json_is_string(v) && json_string_length(v) > 0)
		return cs_fail(e, CS_EINVAL, "form.identification_number", "must "
		    "be blank: NISC's T-number is assigned on issue");
	return CS_OK;
}

enum cs_err
svc_adv_issue(struct svc_ctx *c, const struct svc_adv_in *in,
    struct svc_adv_out *out, struct cs_error *e)
{
	struct store_advisory a;
	struct recipients rp;
	json_t *form = NULL;
	enum cs_err rc;

	memset(&a, 0, sizeof(a));
	memset(&rp, 0, sizeof(rp));
	memset(out, 0, sizeof(*out));
	if (!in->checked && (rc = svc_adv_issue_check(in, e)) != CS_OK)
		return rc;
	a.urgent = in->urgent;
	form = json_deep_copy(in->form);
	if ((rc = resolve_recipients(c, form, &rp, e)) != CS_OK ||
	    (rc = check_sources(c, form, in->related, in->nrelated,
	    in->consented, in->nconsented, &rp, e)) != CS_OK)
		goto out;
	a.sectors = rp.sectors;
	a.tlp = core_report_form_tlp(form);
	a.importance = core_importance_parse(json_string_value(
	    json_object_get(form, "importance")));
	a.nversions = 1;
	a.created_by = c->who.user_id;
	a.created_us = a.updated_us = c->now_us;
	a.state = ADV_PENDING_APPROVAL;
	if ((rc = store_counter_next(c->st, "T", &a.t_number)) != CS_OK ||
	    (rc = store_adv_insert(c->st, &a)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	stamp(c, form, a.t_number, 1);
	if ((rc = write_version(c, &a, 1, form, in->related, in->nrelated,
	    in->consented, in->nconsented, e)) != CS_OK)
		goto out;
	if (!flow_adv_needs_approval(c->cfg->four_eyes_alert,
	    c->cfg->four_eyes_all, a.importance) &&
	    (rc = issue(c, &a, rp.orgs, rp.norgs, e)) != CS_OK)
		goto out;
	if ((rc = store_adv_update(c->st, &a)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	if ((rc = svc_audit_op(c, "advisory.create", "advisory", a.id,
	    json_pack("{s:s, s:s, s:b, s:o}", "state", core_adv_state_id(a.state),
	    "tlp", core_tlp_id(a.tlp), "urgent", a.urgent, "related_reports",
	    in->related != NULL ? svc_ids_json(in->related, in->nrelated) :
	    json_null()), false, e)) != CS_OK)
		goto out;
	out_fill(&a, 1, out);
	rc = CS_OK;
out:
	json_decref(form);
	recipients_fini(&rp);
	return rc;
}

enum cs_err
svc_adv_approve(struct svc_ctx *c, struct svc_adv *x, struct svc_adv_out *out,
    struct cs_error *e)
{
	struct recipients rp;
	json_t *form = NULL;
	enum cs_err rc;

	memset(out, 0, sizeof(*out));
	memset(&rp, 0, sizeof(rp));
	if (x->a.state != ADV_PENDING_APPROVAL)
		return cs_fail(e, CS_ECONFLICT, "", "the advisory is already issued");
	if (x->a.created_by == c->who.user_id)
		return cs_fail(e, CS_EPERM, "", "four eyes: a second NISC user must "
		    "approve what you drafted");
	form = json_loads(x->v[x->nv - 1].form, 0, NULL);
	if (form == NULL) {
		rc = cs_fail(e, CS_EINTERNAL, "", "corrupt advisory");
		goto out;
	}
	if ((rc = resolve_recipients(c, form, &rp, e)) != CS_OK)
		goto out;
	x->a.approved_by = c->who.user_id;
	x->a.updated_us = c->now_us;
	if ((rc = issue(c, &x->a, rp.orgs, rp.norgs, e)) != CS_OK)
		goto out;
	if ((rc = store_adv_update(c->st, &x->a)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	if ((rc = svc_audit_op(c, "advisory.approve", "advisory", x->a.id, NULL,
	    false, e)) != CS_OK)
		goto out;
	out_fill(&x->a, x->a.nversions, out);
	rc = CS_OK;
out:
	json_decref(form);
	recipients_fini(&rp);
	return rc;
}

/* Everyone who holds the series hears of the update. */
static enum cs_err
tell_holders(struct svc_ctx *c, const struct svc_adv *x, struct cs_error *e)
{
	enum cs_err rc;

	for (size_t i = 0; i < x->nd; i++) {
		struct store_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.org = x->d[i].org;
		ev.advisory = x->a.id;
		(void)cs_strlcpy(ev.kind, "updated", sizeof(ev.kind));
		ev.at_us = c->now_us;
		if ((rc = store_event_add(c->st, &ev)) != CS_OK ||
		    (rc = svc_notify_enqueue(c, x->a.id, x->d[i].org,
		    "updated")) != CS_OK)
			return cs_fail(e, rc, "", "store error");
		c->events = true;
	}
	return CS_OK;
}

enum cs_err
svc_adv_followup(struct svc_ctx *c, struct svc_adv *x,
    const struct svc_adv_in *in, struct svc_adv_out *out, struct cs_error *e)
{
	struct store_adv_related *rl = NULL;
	json_t *form = NULL, *idn;
	struct recipients rp;
	int64_t *rel = NULL, *cons = NULL;
	size_t nrel = in->nrelated, ncons = in->nconsented, nrl = 0;
	int k = x->a.nversions + 1;
	char want[40];
	enum cs_err rc;

	memset(out, 0, sizeof(*out));
	memset(&rp, 0, sizeof(rp));
	if (!in->checked &&
	    (rc = core_advisory_form_validate(in->form, "form", e)) != CS_OK)
		return rc;
	rel = xcalloc(nrel + 1, sizeof(*rel));
	if (nrel > 0)
		memcpy(rel, in->related, nrel * sizeof(*rel));
	cons = xcalloc(ncons + 1, sizeof(*cons));
	if (ncons > 0)
		memcpy(cons, in->consented, ncons * sizeof(*cons));
	form = json_deep_copy(in->form);
	idn = json_object_get(form, "identification_number");
	core_advisory_ident(x->a.t_number, k, want, sizeof(want));
	if (idn != NULL && json_is_string(idn) && json_string_length(idn) > 0 &&
	    strcmp(json_string_value(idn), want) != 0) {
		rc = cs_fail(e, CS_EINVAL, "form.identification_number",
		    "this follow-up is %s", want);
		goto out;
	}
	if ((rc = resolve_recipients(c, form, &rp, e)) != CS_OK)
		goto out;
	x->a.sectors = rp.sectors;
	/* The series' sources still bind the follow-up. */
	if ((rc = store_adv_related_list(c->st, x->a.id, &rl, &nrl)) != CS_OK) {
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
	if ((rc = check_sources(c, form, rel, nrel, cons, ncons, &rp, e)) != CS_OK)
		goto out;
	stamp(c, form, x->a.t_number, k);
	x->a.nversions = k;
	x->a.tlp = core_report_form_tlp(form);
	x->a.importance = core_importance_parse(json_string_value(
	    json_object_get(form, "importance")));
	x->a.updated_us = c->now_us;
	if ((rc = write_version(c, &x->a, k, form, rel, nrel, cons, ncons,
	    e)) != CS_OK)
		goto out;
	/* Saved first: notifications below are composed from the new TLP and number. */
	if ((rc = store_adv_update(c->st, &x->a)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	if (x->a.state == ADV_ISSUED) {
		if ((rc = tell_holders(c, x, e)) != CS_OK)
			goto out;
		/* ...and new addressee ministries receive it. */
		for (size_t i = 0; i < rp.norgs; i++)
			if ((rc = deliver_many(c, x->a.id, &rp.orgs[i], 1,
			    c->who.org_id, "issue", e)) != CS_OK)
				goto out;
	}
	if ((rc = store_adv_update(c->st, &x->a)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	if ((rc = svc_audit_op(c, "advisory.followup", "advisory", x->a.id,
	    json_pack("{s:i}", "version", k), false, e)) != CS_OK)
		goto out;
	out_fill(&x->a, k, out);
	rc = CS_OK;
out:
	json_decref(form);
	free(rel);
	free(cons);
	recipients_fini(&rp);
	free(rl);
	return rc;
}

enum cs_err
svc_adv_relay(struct svc_ctx *c, struct svc_adv *x, const int64_t *to,
    size_t nto, struct cs_error *e)
{
	enum cs_err rc;

	/* The issuer holds it; others hold what was delivered to them. */
	if (c->who.org_type != ORG_NISC &&
	    svc_adv_delivery(x, c->who.org_id) == NULL)
		return cs_fail(e, CS_EPERM, "", "only an organisation the advisory "
		    "was delivered to relays it");
	/* Every recipient checked: one delivery batch. */
	if ((rc = svc_targets_check(c, to, nto, NULL, &x->acl, e)) != CS_OK ||
	    (rc = deliver_many(c, x->a.id, to, nto, c->who.org_id, "relay",
	    e)) != CS_OK)
		return rc;
	return svc_audit_op(c, "advisory.relay", "advisory", x->a.id,
	    json_pack("{s:o}", "to", svc_ids_json(to, nto)), false, e);
}

enum cs_err
svc_adv_ack(struct svc_ctx *c, struct svc_adv *x, int64_t *at,
    struct cs_error *e)
{
	const struct store_delivery *mine = svc_adv_delivery(x, c->who.org_id);
	enum cs_err rc;

	*at = 0;
	if (mine == NULL)
		return cs_fail(e, CS_ECONFLICT, "", "the advisory was not delivered "
		    "to your organisation");
	if (mine->ack_us != 0) {
		*at = mine->ack_us;
		return CS_OK;
	}
	if ((rc = store_delivery_ack(c->st, x->a.id, c->who.org_id,
	    c->who.user_id, c->now_us)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if ((rc = svc_audit_op(c, "advisory.ack", "advisory", x->a.id, NULL,
	    false, e)) != CS_OK)
		return rc;
	*at = c->now_us;
	return CS_OK;
}

enum cs_err
svc_adv_read(struct svc_ctx *c, const struct svc_adv *x, struct cs_error *e)
{
	const struct store_delivery *mine = svc_adv_delivery(x, c->who.org_id);
	enum cs_err rc;

	if (mine != NULL && mine->read_us == 0 &&
	    (rc = store_delivery_mark_read(c->st, x->a.id, c->who.org_id,
	    c->now_us)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return svc_audit_op(c, "advisory.read", "advisory", x->a.id, NULL,
	    false, e);
}
