/*
 * advisory.c: advisories (see svc_adv.h).
 *
 * Delivery is a tree: NISC issues to the addressee ministries (or, urgent,
 * straight to the CEPTOARs and operators of the recipient sectors with a
 * copy to the ministries); ministries and CEPTOARs relay.  Every hop is a
 * row in `deliveries` with delivered/read/acknowledged times and an event in
 * the org's inbox feed.  Who reads what is core's policy_advisory_*.
 *
 * An advisory related to an anonymised report waits for the source review
 * of the secretariat that anonymised it (policy.md "No oracle"): one row
 * per version and anonymised report in advisory_reviews; NISC learns the
 * decision and comment only, the secretariat sees the hits, recomputed from
 * the sealed identity whenever it reads (never stored).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/flow.h"
#include "core/ident.h"
#include "svc/svc_adv.h"
#include "svc/svc_drill.h"
#include "svc/svc_dir.h"
#include "svc/svc_obs.h"
#include "svc/svc_report.h"

static void	 review_count(const struct svc_adv *, int k, size_t *pending,
		    size_t *refused, size_t *all);

/* ---- loading ------------------------------------------------------------- */

void
svc_adv_fini(struct svc_adv *x)
{
	store_adv_versions_free(x->v, x->nv);
	free(x->d);
	free(x->orgs);
	store_adv_reviews_free(x->rv, x->nrv);
	free(x->revorgs);
	memset(x, 0, sizeof(*x));
}

/* x's source reviews and their secretariats (the policy's reviewers). */
static enum cs_err
load_reviews(struct svc_ctx *c, struct svc_adv *x)
{
	size_t n = 0;
	enum cs_err rc;

	if ((rc = store_adv_review_list(c->st, x->a.id, &x->rv, &x->nrv)) != CS_OK)
		return rc;
	x->revorgs = xcalloc(x->nrv + 1, sizeof(*x->revorgs));
	for (size_t i = 0; i < x->nrv; i++) {
		bool dup = false;

		for (size_t j = 0; j < n; j++)
			dup |= x->revorgs[j] == x->rv[i].org;
		if (!dup)
			x->revorgs[n++] = x->rv[i].org;
	}
	x->acl.reviewers = x->revorgs;
	x->acl.nreviewers = n;
	return CS_OK;
}

bool
svc_adv_version_held(const struct svc_adv *x, int k)
{
	size_t pending, refused, all;

	review_count(x, k, &pending, &refused, &all);
	return !flow_adv_version_released(pending, refused);
}

enum cs_adv_state
svc_adv_version_state(const struct svc_adv *x, int k)
{
	size_t pending, refused, all;

	review_count(x, k, &pending, &refused, &all);
	/* A follow-up of an issued advisory: held, returned, or out. */
	if (x->a.state == ADV_ISSUED && all > 0)
		return flow_adv_hold(pending, refused, false, true);
	return x->a.state;
}

/* Does the acting principal see held versions (NISC, a reviewer)? */
static bool
sees_held(const struct svc_ctx *c, const struct svc_adv *x)
{
	return (c->who.org_id != 0 && c->who.org_type == ORG_NISC) ||
	    policy_advisory_may_review(&c->who, &x->acl);
}

/* Leave out the versions a source review holds, for everyone else. */
static void
hide_held(struct svc_ctx *c, struct svc_adv *x)
{
	size_t k = 0;

	if (x->nrv == 0 || sees_held(c, x))
		return;
	for (size_t i = 0; i < x->nv; i++) {
		if (!svc_adv_version_held(x, x->v[i].version)) {
			x->v[k++] = x->v[i];
			continue;
		}
		free(x->v[i].form);
		x->v[i].form = NULL;
	}
	x->nv = k;
	if (k > 0)
		x->a.nversions = x->v[k - 1].version;
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
	if (load_reviews(c, x) != CS_OK) {
		svc_adv_fini(x);
		return cs_fail(e, CS_ESTORE, "", "store error");
	}
	hide_held(c, x);
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
	if (load_reviews(c, x) != CS_OK) {
		svc_adv_fini(x);
		return cs_fail(e, CS_ESTORE, "", "store error");
	}
	/* The newest version held: the newest one shown instead. */
	if (x->nv == 1 && x->nrv > 0 && !sees_held(c, x) &&
	    svc_adv_version_held(x, x->v[0].version)) {
		struct store_adv_version *all = NULL;
		size_t nall = 0;

		if (store_adv_version_list(c->st, id, &all, &nall) != CS_OK) {
			svc_adv_fini(x);
			return cs_fail(e, CS_ESTORE, "", "store error");
		}
		store_adv_versions_free(x->v, x->nv);
		x->v = all;
		x->nv = nall;
		hide_held(c, x);
		/* Only the newest shown (its form is the one heap column). */
		if (x->nv > 1) {
			struct store_adv_version last = x->v[x->nv - 1];

			for (size_t i = 0; i + 1 < x->nv; i++)
				free(x->v[i].form);
			x->v[0] = last;
			x->nv = 1;
		}
	}
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

/*
 * The text of a NON-anonymised related report's advisory may not name its
 * source unless the source consented (NISC reads who the source is on the
 * report: no oracle).  The first hit, 409 with its span.
 */
static enum cs_err
check_named(struct svc_ctx *c, json_t *form, const struct svc_report *x,
    struct cs_error *e)
{
	struct svc_identity id;
	json_t *hits, *h;
	size_t i;
	enum cs_err rc;

	if ((rc = svc_report_source_identity(c, x, &id, e)) != CS_OK)
		return rc;
	hits = json_array();
	core_json_ident_find(form, "form", id.set, hits);
	rc = CS_OK;
	json_array_foreach(hits, i, h) {
		const char *f = json_string_value(json_object_get(h, "field"));

		/* Recipients are ministry and sector ids, never text. */
		if (f == NULL || strncmp(f, "form.recipients", 15) == 0)
			continue;
		rc = cs_fail(e, CS_ECONFLICT, f, "characters %lld-%lld identify "
		    "the source of a related report; remove them or record the "
		    "source's consent (consented_sources)",
		    (long long)json_integer_value(json_object_get(h, "start")),
		    (long long)json_integer_value(json_object_get(h, "end")));
		break;
	}
	json_decref(hits);
	svc_identity_fini(&id);
	return rc;
}

/* The anonymised related reports and their secretariats (the reviewers). */
struct anon_sources {
	int64_t		*report;
	int64_t		*org;
	size_t		 n;
};

static void
anon_sources_fini(struct anon_sources *as)
{
	free(as->report);
	free(as->org);
	memset(as, 0, sizeof(*as));
}

/*
 * Is `id` a report NISC holds?  One answer for missing and invisible ids
 * (policy.md "Existence").
 */
static enum cs_err
load_at_nisc(struct svc_ctx *c, int64_t id, const char *field,
    struct svc_report *x, struct cs_error *e)
{
	struct cs_error le;

	if (svc_report_load(c, id, 0, x, &le) != CS_OK)
		return cs_fail(e, CS_EINVAL, field, "no such report");
	if (!policy_report_may_read(&c->who, &x->acl) ||
	    policy_report_relation(&c->who, &x->acl) != REL_NISC) {
		svc_report_fini(x);
		return cs_fail(e, CS_EINVAL, field, "no such report");
	}
	return CS_OK;
}

/*
 * Checks the related reports: each must be one NISC holds; the advisory may
 * not be wider than its source allowed (widenings approved count).  An
 * anonymised source is never judged on the text here (that would be an
 * oracle): it goes to `as`, for its secretariat's review.  A named source's
 * text check stays (check_named).  consented_sources must be related
 * reports NISC holds.
 */
static enum cs_err
check_sources(struct svc_ctx *c, json_t *form, const int64_t *rel, size_t nrel,
    const int64_t *consent, size_t ncons, size_t nbody_cons,
    const struct recipients *rp, struct anon_sources *as, struct cs_error *e)
{
	struct cs_source_scope *sc = xcalloc(nrel + 1, sizeof(*sc));
	enum cs_err rc = CS_OK;
	char field[48];

	memset(as, 0, sizeof(*as));
	for (size_t k = 0; k < nbody_cons; k++) {
		struct svc_report x;
		bool related = false;

		cs_fmt(field, sizeof(field), "consented_sources.%zu", k);
		if ((rc = load_at_nisc(c, consent[k], field, &x, e)) != CS_OK)
			goto out;
		svc_report_fini(&x);
		for (size_t i = 0; i < nrel; i++)
			related |= rel[i] == consent[k];
		if (!related) {
			rc = cs_fail(e, CS_EINVAL, field, "must be one of the "
			    "related reports");
			goto out;
		}
	}
	for (size_t i = 0; i < nrel; i++) {
		struct svc_report x;
		struct store_widening *w = NULL;
		size_t nw = 0;
		bool consented = false, dup = false;

		cs_fmt(field, sizeof(field), "related_reports.%zu", i);
		if ((rc = load_at_nisc(c, rel[i], field, &x, e)) != CS_OK)
			goto out;
		policy_source_scope(x.r.tlp, x.r.sector, &sc[i]);
		sc[i].report = x.r.id;
		sc[i].r_number = x.r.r_number;
		if (store_widening_list(c->st, x.r.id, 0, 1000, &w, &nw) == CS_OK) {
			for (size_t k = 0; k < nw; k++)
				if (w[k].state == WIDEN_APPROVED)
					policy_source_scope_widen(&sc[i], w[k].tlp,
					    w[k].sectors);
			store_widenings_free(w, nw);
		}
		for (size_t k = 0; k < ncons; k++)
			consented |= consent[k] == x.r.id;
		for (size_t k = 0; k < as->n; k++)
			dup |= as->report[k] == x.r.id;
		if (x.r.anonymised && !dup) {
			as->report = xreallocarray(as->report, as->n + 1,
			    sizeof(*as->report));
			as->org = xreallocarray(as->org, as->n + 1, sizeof(*as->org));
			as->report[as->n] = x.r.id;
			as->org[as->n++] = x.r.ceptoar_org;
		} else if (!x.r.anonymised && !consented)
			rc = check_named(c, form, &x, e);
		svc_report_fini(&x);
		if (rc != CS_OK)
			goto out;
	}
	rc = policy_advisory_scope_check(core_report_form_tlp(form), rp->rsec,
	    rp->nr, sc, nrel, e);
out:
	if (rc != CS_OK)
		anon_sources_fini(as);
	free(sc);
	return rc;
}

/* Version k waits for each anonymised source's secretariat; they hear of it. */
static enum cs_err
open_reviews(struct svc_ctx *c, struct svc_adv *x, int k,
    const struct anon_sources *as, struct cs_error *e)
{
	enum cs_err rc;

	for (size_t i = 0; i < as->n; i++) {
		struct store_adv_review r;
		struct store_event ev;

		memset(&r, 0, sizeof(r));
		r.advisory = x->a.id;
		r.version = k;
		r.report = as->report[i];
		r.org = as->org[i];
		r.state = REVIEW_PENDING;
		r.created_us = c->now_us;
		if ((rc = store_adv_review_insert(c->st, &r)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
		x->rv = xreallocarray(x->rv, x->nrv + 1, sizeof(*x->rv));
		x->rv[x->nrv++] = r;
		memset(&ev, 0, sizeof(ev));
		ev.org = r.org;
		ev.advisory = x->a.id;
		(void)cs_strlcpy(ev.kind, "source_review", sizeof(ev.kind));
		ev.at_us = c->now_us;
		if ((rc = store_event_add(c->st, &ev)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
		c->events = true;
	}
	return CS_OK;
}

static void
review_count(const struct svc_adv *x, int k, size_t *pending, size_t *refused,
    size_t *all)
{
	*pending = *refused = *all = 0;
	for (size_t i = 0; i < x->nrv; i++) {
		if (x->rv[i].version != k)
			continue;
		(*all)++;
		*pending += x->rv[i].state == REVIEW_PENDING;
		*refused += x->rv[i].state == REVIEW_REFUSED;
	}
}

/* ---- delivery ------------------------------------------------------------ */

/*
 * c as the notification composer must load the advisory: as the system, so
 * that versions held by a source review never reach a message (NISC and
 * the reviewers would see them).
 */
static void
composer_ctx(const struct svc_ctx *c, struct svc_ctx *sc)
{
	*sc = *c;
	memset(&sc->who, 0, sizeof(sc->who));
}

/* Deliver to each of orgs (once each), with inbox events and notifications. */
static enum cs_err
deliver_many(struct svc_ctx *c, int64_t adv, const int64_t *orgs, size_t n,
    int64_t parent, const char *via, struct cs_error *e)
{
	struct store_delivery d;
	struct svc_ctx sc;
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
	composer_ctx(c, &sc);
	rc = svc_notify_enqueue_many(&sc, adv, added, nadded, "delivered");
	free(added);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "could not queue notifications");
	if (nadded > 0)
		c->events = true;
	c->fanout += (unsigned)nadded;
	return CS_OK;
}

/*
 * Issue from NISC's organisation `from`: to the ministries, or urgent: to
 * CEPTOARs/operators + copy.
 */
static enum cs_err
issue(struct svc_ctx *c, struct store_advisory *a, int64_t from,
    const int64_t *ministries, size_t nm, struct cs_error *e)
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
		if ((rc = deliver_many(c, a->id, &ministries[i], 1, from,
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
		rc = deliver_many(c, a->id, to, nto, from, "urgent", e);
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
	rc = store_adv_version_insert_folded(c->st, &ver,
	    ident_fold_json_value(form));
	if (rc == CS_OK)
		rc = svc_obs_index_json(c->st, STORE_ITEM_ADVISORY, a->id, k, 0,
		    -1, form, c->now_us);
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

/* The newest version's form of a loaded advisory (NULL: corrupt). */
static json_t *
version_form(const struct svc_adv *x, int k)
{
	for (size_t i = 0; i < x->nv; i++)
		if (x->v[i].version == k)
			return json_loads(x->v[i].form, 0, NULL);
	return NULL;
}

/* The organisation of the NISC user who drafted the advisory: its issuer. */
static enum cs_err
issuer_org(struct svc_ctx *c, const struct store_advisory *a, int64_t *org,
    struct cs_error *e)
{
	struct store_user u;

	if (c->who.org_type == ORG_NISC && c->who.org_id != 0) {
		*org = c->who.org_id;
		return CS_OK;
	}
	if (store_user_get(c->st, a->created_by, &u) != CS_OK)
		return cs_fail(e, CS_ESTORE, "", "store error");
	*org = u.org;
	store_user_fini(&u);
	return CS_OK;
}

/*
 * An advisory not yet issued, after its newest version's reviews or its
 * approval changed: returned, held, waiting for approval, or issued now.
 */
static enum cs_err
settle(struct svc_ctx *c, struct svc_adv *x, struct cs_error *e)
{
	struct recipients rp;
	size_t pending, refused, all;
	json_t *form = NULL;
	int64_t from;
	enum cs_adv_state next;
	enum cs_err rc;

	memset(&rp, 0, sizeof(rp));
	review_count(x, x->a.nversions, &pending, &refused, &all);
	next = flow_adv_hold(pending, refused, flow_adv_needs_approval(
	    c->cfg->four_eyes_alert, c->cfg->four_eyes_all, x->a.importance),
	    x->a.approved_by != 0);
	x->a.updated_us = c->now_us;
	if (next != ADV_ISSUED) {
		x->a.state = next;
		rc = CS_OK;
		goto save;
	}
	if ((form = version_form(x, x->a.nversions)) == NULL) {
		rc = cs_fail(e, CS_EINTERNAL, "", "corrupt advisory");
		goto out;
	}
	if ((rc = issuer_org(c, &x->a, &from, e)) != CS_OK ||
	    (rc = resolve_recipients(c, form, &rp, e)) != CS_OK ||
	    (rc = issue(c, &x->a, from, rp.orgs, rp.norgs, e)) != CS_OK)
		goto out;
save:
	if ((rc = store_adv_update(c->st, &x->a)) != CS_OK)
		rc = cs_fail(e, rc, "", "store error");
out:
	json_decref(form);
	recipients_fini(&rp);
	return rc;
}

enum cs_err
svc_adv_issue(struct svc_ctx *c, const struct svc_adv_in *in,
    struct svc_adv_out *out, struct cs_error *e)
{
	struct svc_adv x;
	struct recipients rp;
	struct anon_sources as;
	json_t *form = NULL;
	enum cs_err rc;

	memset(&x, 0, sizeof(x));
	memset(&rp, 0, sizeof(rp));
	memset(&as, 0, sizeof(as));
	memset(out, 0, sizeof(*out));
	if (!in->checked && (rc = svc_adv_issue_check(in, e)) != CS_OK)
		return rc;
	x.a.urgent = in->urgent;
	form = json_deep_copy(in->form);
	if ((rc = resolve_recipients(c, form, &rp, e)) != CS_OK ||
	    (rc = check_sources(c, form, in->related, in->nrelated,
	    in->consented, in->nconsented, in->nconsented, &rp, &as,
	    e)) != CS_OK)
		goto out;
	x.a.sectors = rp.sectors;
	x.a.tlp = core_report_form_tlp(form);
	x.a.importance = core_importance_parse(json_string_value(
	    json_object_get(form, "importance")));
	x.a.nversions = 1;
	x.a.created_by = c->who.user_id;
	x.a.created_us = x.a.updated_us = c->now_us;
	/* Held whatever its text when a source is anonymised: no oracle. */
	x.a.state = as.n > 0 ? ADV_PENDING_SOURCE_REVIEW : ADV_PENDING_APPROVAL;
	if ((rc = store_counter_next(c->st, "T", &x.a.t_number)) != CS_OK ||
	    (rc = store_adv_insert(c->st, &x.a)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	/* A drill's, before anything is delivered or notified. */
	if ((rc = svc_drill_mark(c, in->drill, DRILL_ITEM_ADVISORY, x.a.id,
	    e)) != CS_OK)
		goto out;
	stamp(c, form, x.a.t_number, 1);
	if ((rc = write_version(c, &x.a, 1, form, in->related, in->nrelated,
	    in->consented, in->nconsented, e)) != CS_OK ||
	    (rc = open_reviews(c, &x, 1, &as, e)) != CS_OK)
		goto out;
	if (as.n == 0 && !flow_adv_needs_approval(c->cfg->four_eyes_alert,
	    c->cfg->four_eyes_all, x.a.importance) &&
	    (rc = issue(c, &x.a, c->who.org_id, rp.orgs, rp.norgs, e)) != CS_OK)
		goto out;
	if ((rc = store_adv_update(c->st, &x.a)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	if ((rc = svc_audit_op(c, "advisory.create", "advisory", x.a.id,
	    json_pack("{s:s, s:s, s:b, s:o}", "state",
	    core_adv_state_id(x.a.state), "tlp", core_tlp_id(x.a.tlp), "urgent",
	    x.a.urgent, "related_reports", in->related != NULL ?
	    svc_ids_json(in->related, in->nrelated) : json_null()), false,
	    e)) != CS_OK)
		goto out;
	out_fill(&x.a, 1, out);
	rc = CS_OK;
out:
	json_decref(form);
	recipients_fini(&rp);
	anon_sources_fini(&as);
	svc_adv_fini(&x);
	return rc;
}

enum cs_err
svc_adv_approve(struct svc_ctx *c, struct svc_adv *x, struct svc_adv_out *out,
    struct cs_error *e)
{
	enum cs_err rc;

	memset(out, 0, sizeof(*out));
	if (!flow_adv_may_approve(x->a.state))
		return cs_fail(e, CS_ECONFLICT, "", x->a.state == ADV_RETURNED ?
		    "the advisory was returned by a source review: issue a "
		    "follow-up" : "the advisory is already issued");
	if (x->a.approved_by != 0)
		return cs_fail(e, CS_ECONFLICT, "", "the advisory is already "
		    "approved; it waits for its source review");
	if (x->a.created_by == c->who.user_id)
		return cs_fail(e, CS_EPERM, "", "four eyes: a second NISC user must "
		    "approve what you drafted");
	x->a.approved_by = c->who.user_id;
	/* Independent of the source review: delivered when both are done. */
	if ((rc = settle(c, x, e)) != CS_OK)
		return rc;
	if ((rc = svc_audit_op(c, "advisory.approve", "advisory", x->a.id, NULL,
	    false, e)) != CS_OK)
		return rc;
	out_fill(&x->a, x->a.nversions, out);
	return CS_OK;
}

/* Everyone who holds the series hears of the update. */
static enum cs_err
tell_holders(struct svc_ctx *c, const struct svc_adv *x, struct cs_error *e)
{
	struct svc_ctx sc;
	enum cs_err rc;

	composer_ctx(c, &sc);
	for (size_t i = 0; i < x->nd; i++) {
		struct store_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.org = x->d[i].org;
		ev.advisory = x->a.id;
		(void)cs_strlcpy(ev.kind, "updated", sizeof(ev.kind));
		ev.at_us = c->now_us;
		if ((rc = store_event_add(c->st, &ev)) != CS_OK ||
		    (rc = svc_notify_enqueue(&sc, x->a.id, x->d[i].org,
		    "updated")) != CS_OK)
			return cs_fail(e, rc, "", "store error");
		c->events = true;
	}
	return CS_OK;
}

/*
 * Version k of an issued advisory reaches the holders (not held, or its
 * review just ended): the series takes its TLP, importance and sectors
 * unless a newer version already reached them; the holders hear of it and
 * new addressee ministries receive it.
 */
static enum cs_err
release(struct svc_ctx *c, struct svc_adv *x, int k, int64_t from,
    struct cs_error *e)
{
	struct recipients rp;
	json_t *form = version_form(x, k);
	bool newest = true;
	enum cs_err rc;

	memset(&rp, 0, sizeof(rp));
	if (form == NULL)
		return cs_fail(e, CS_EINTERNAL, "", "corrupt advisory");
	for (size_t i = 0; i < x->nv; i++)
		if (x->v[i].version > k && !svc_adv_version_held(x,
		    x->v[i].version))
			newest = false;
	if ((rc = resolve_recipients(c, form, &rp, e)) != CS_OK)
		goto out;
	if (newest) {
		x->a.sectors = rp.sectors;
		x->a.tlp = core_report_form_tlp(form);
		x->a.importance = core_importance_parse(json_string_value(
		    json_object_get(form, "importance")));
	}
	x->a.updated_us = c->now_us;
	/* Saved first: notifications below are composed from the new TLP and number. */
	if ((rc = store_adv_update(c->st, &x->a)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	if ((rc = tell_holders(c, x, e)) != CS_OK)
		goto out;
	for (size_t i = 0; i < rp.norgs; i++)
		if ((rc = deliver_many(c, x->a.id, &rp.orgs[i], 1, from, "issue",
		    e)) != CS_OK)
			goto out;
	rc = CS_OK;
out:
	json_decref(form);
	recipients_fini(&rp);
	return rc;
}

enum cs_err
svc_adv_followup(struct svc_ctx *c, struct svc_adv *x,
    const struct svc_adv_in *in, struct svc_adv_out *out, struct cs_error *e)
{
	struct store_adv_related *rl = NULL;
	struct anon_sources as;
	json_t *form = NULL, *idn;
	struct recipients rp;
	struct store_adv_version nv;
	int64_t *rel = NULL, *cons = NULL;
	size_t nrel = in->nrelated, ncons = in->nconsented, nrl = 0;
	int k = x->a.nversions + 1;
	char want[40];
	bool held;
	enum cs_err rc;

	memset(out, 0, sizeof(*out));
	memset(&rp, 0, sizeof(rp));
	memset(&as, 0, sizeof(as));
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
	if ((rc = check_sources(c, form, rel, nrel, cons, ncons,
	    in->nconsented, &rp, &as, e)) != CS_OK)
		goto out;
	held = as.n > 0;
	stamp(c, form, x->a.t_number, k);
	x->a.nversions = k;
	/* A held follow-up of an issued advisory changes nothing holders see. */
	if (!(held && x->a.state == ADV_ISSUED)) {
		x->a.sectors = rp.sectors;
		x->a.tlp = core_report_form_tlp(form);
		x->a.importance = core_importance_parse(json_string_value(
		    json_object_get(form, "importance")));
	}
	x->a.updated_us = c->now_us;
	if ((rc = write_version(c, &x->a, k, form, rel, nrel, cons, ncons,
	    e)) != CS_OK ||
	    (rc = open_reviews(c, x, k, &as, e)) != CS_OK)
		goto out;
	/* x holds the new version too (settle and release read it). */
	memset(&nv, 0, sizeof(nv));
	nv.advisory = x->a.id;
	nv.version = k;
	nv.form = json_dumps(form, JSON_COMPACT);
	nv.by_user = c->who.user_id;
	nv.created_us = c->now_us;
	x->v = xreallocarray(x->v, x->nv + 1, sizeof(*x->v));
	x->v[x->nv++] = nv;
	if (x->a.state == ADV_ISSUED) {
		if (!held && (rc = release(c, x, k, c->who.org_id, e)) != CS_OK)
			goto out;
	} else if ((rc = settle(c, x, e)) != CS_OK)
		goto out;
	if ((rc = store_adv_update(c->st, &x->a)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	if ((rc = svc_audit_op(c, "advisory.followup", "advisory", x->a.id,
	    json_pack("{s:i}", "version", k), false, e)) != CS_OK)
		goto out;
	out_fill(&x->a, k, out);
	out->state = svc_adv_version_state(x, k);
	rc = CS_OK;
out:
	json_decref(form);
	free(rel);
	free(cons);
	recipients_fini(&rp);
	anon_sources_fini(&as);
	free(rl);
	return rc;
}

/* ---- source review --------------------------------------------------------- */

enum cs_err
svc_adv_source_review(struct svc_ctx *c, struct svc_adv *x,
    const struct svc_adv_review_in *in, struct svc_adv_out *out,
    struct cs_error *e)
{
	size_t mine = 0, decided = 0;
	int64_t from = 0;
	int *vers = xcalloc(x->nrv + 1, sizeof(*vers));
	enum cs_err rc;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < x->nrv; i++) {
		struct store_adv_review *r = &x->rv[i];

		if (r->org != c->who.org_id)
			continue;
		mine++;
		if (r->state != REVIEW_PENDING)
			continue;
		r->state = in->approve ? REVIEW_APPROVED : REVIEW_REFUSED;
		free(r->comment);
		r->comment = in->comment != NULL ? xstrdup(in->comment) : NULL;
		r->decided_by_user = c->who.user_id;
		r->decided_us = c->now_us;
		if ((rc = store_adv_review_decide(c->st, r)) != CS_OK) {
			rc = cs_fail(e, rc, "", "store error");
			goto out;
		}
		vers[decided++] = r->version;
	}
	if (mine == 0) {
		rc = cs_fail(e, CS_EPERM, "", "your organisation has no source "
		    "review of this advisory");
		goto out;
	}
	if (decided == 0) {
		rc = cs_fail(e, CS_ECONFLICT, "", "your organisation has already "
		    "decided its source review of this advisory");
		goto out;
	}
	if (x->a.state != ADV_ISSUED)
		rc = settle(c, x, e);
	else {
		/* Held follow-ups of an issued advisory reach the holders now. */
		rc = issuer_org(c, &x->a, &from, e);
		for (size_t i = 0; rc == CS_OK && i < decided; i++) {
			bool dup = false;

			for (size_t j = 0; j < i; j++)
				dup |= vers[j] == vers[i];
			if (!dup && !svc_adv_version_held(x, vers[i]))
				rc = release(c, x, vers[i], from, e);
		}
	}
	if (rc != CS_OK)
		goto out;
	if ((rc = svc_audit_op(c, "advisory.source_review", "advisory", x->a.id,
	    json_pack("{s:s, s:i, s:s}", "decision", in->approve ? "approve" :
	    "refuse", "version", vers[0], "state",
	    core_adv_state_id(svc_adv_version_state(x, x->a.nversions))), false,
	    e)) != CS_OK)
		goto out;
	out_fill(&x->a, x->a.nversions, out);
	out->state = svc_adv_version_state(x, x->a.nversions);
	rc = CS_OK;
out:
	free(vers);
	return rc;
}

/* The code points [from, to) of s, as a new string. */
static json_t *
code_points(const char *s, long long from, long long to)
{
	const char *p = s, *a = NULL, *b = NULL;
	long long i = 0;

	for (; ; p++) {
		if (*p == '\0' || ((unsigned char)*p & 0xC0) != 0x80) {
			if (i == from)
				a = p;
			if (i == to) {
				b = p;
				break;
			}
			if (*p == '\0')
				break;
			i++;
		}
	}
	if (a == NULL || b == NULL || b < a)
		return json_null();
	return json_stringn(a, (size_t)(b - a));
}

/* The string at a dotted path ("form.a.0.b") of form, or NULL. */
static const char *
at_path(json_t *form, const char *path)
{
	char tok[128];
	const char *p = strchr(path, '.'), *q;
	json_t *v = form;

	/* The first segment is "form" itself. */
	while (v != NULL && p != NULL) {
		p++;
		q = strchr(p, '.');
		if (q == NULL)
			q = p + strlen(p);
		if ((size_t)(q - p) >= sizeof(tok))
			return NULL;
		memcpy(tok, p, (size_t)(q - p));
		tok[q - p] = '\0';
		if (json_is_array(v)) {
			char *end;
			long n = strtol(tok, &end, 10);

			v = *end == '\0' && end != tok && n >= 0 ?
			    json_array_get(v, (size_t)n) : NULL;
		} else
			v = json_object_get(v, tok);
		p = *q == '.' ? q : NULL;
	}
	return json_string_value(v);
}

enum cs_err
svc_adv_review_hits(struct svc_ctx *c, const struct svc_adv *x, json_t **out,
    struct cs_error *e)
{
	json_t *form = NULL;
	int k = 0;
	bool pending = false;
	enum cs_err rc = CS_OK;

	*out = json_array();
	if (!policy_advisory_may_review(&c->who, &x->acl))
		return CS_OK;
	/*
	 * Every version the decision will cover (the caller's pending ones),
	 * else the newest it decided.
	 */
	for (size_t i = 0; i < x->nrv; i++)
		if (x->rv[i].org == c->who.org_id) {
			pending |= x->rv[i].state == REVIEW_PENDING;
			if (x->rv[i].version > k)
				k = x->rv[i].version;
		}
	for (size_t i = 0; i < x->nrv && rc == CS_OK; i++) {
		const struct store_adv_review *r = &x->rv[i];
		struct svc_report rep;
		struct svc_identity id;
		struct cs_error le;
		json_t *hits, *h;
		size_t j;

		if (r->org != c->who.org_id || (pending ?
		    r->state != REVIEW_PENDING : r->version != k))
			continue;
		json_decref(form);
		if ((form = version_form(x, r->version)) == NULL)
			continue;
		if (svc_report_load(c, r->report, 0, &rep, &le) != CS_OK)
			continue;
		rc = svc_report_source_identity(c, &rep, &id, e);
		svc_report_fini(&rep);
		if (rc != CS_OK)
			break;
		hits = json_array();
		core_json_ident_find(form, "form", id.set, hits);
		json_array_foreach(hits, j, h) {
			const char *f = json_string_value(json_object_get(h, "field"));
			json_int_t nd = json_integer_value(json_object_get(h,
			    "needle"));
			json_int_t st = json_integer_value(json_object_get(h, "start"));
			json_int_t en = json_integer_value(json_object_get(h, "end"));
			const char *s = f != NULL ? at_path(form, f) : NULL;

			json_array_append_new(*out, json_pack("{s:i, s:I, s:s, "
			    "s:I, s:I, s:s, s:o}", "version", r->version, "report",
			    (json_int_t)r->report, "field", f ? f : "", "start", st,
			    "end", en, "kind", nd >= 0 && (size_t)nd < id.n ?
			    id.kinds[nd] : "", "text", s != NULL ?
			    code_points(s, st, en) : json_null()));
		}
		json_decref(hits);
		svc_identity_fini(&id);
	}
	json_decref(form);
	if (rc != CS_OK) {
		json_decref(*out);
		*out = NULL;
	}
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
