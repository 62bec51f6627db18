/*
 * stats.c: the facts of every report a reader may read, fed to the pure
 * aggregator of src/analysis/stats.c (see svc_stats.h).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "svc/svc_adv.h"
#include "svc/svc_drill.h"
#include "svc/svc_report.h"
#include "svc/svc_stats.h"

#define PAGE	500

/* The organisation that filed x, for counting distinct sources only. */
static int64_t
source_of(struct svc_ctx *c, const struct svc_report *x)
{
	char *plain;
	json_t *j;
	int64_t org;

	if (!x->r.anonymised)
		return x->r.submitter_org;
	/* Unreadable: count it as a source of its own (the stricter choice). */
	if ((plain = svc_report_open_sealed(c, x, x->r.sealed_identity)) == NULL)
		return -x->r.id;
	j = json_loads(plain, 0, NULL);
	free(plain);
	org = json_integer_value(json_object_get(j, "org"));
	json_decref(j);
	return org != 0 ? org : -x->r.id;
}

/* From filing to NISC's receipt (the R-number), or -1 when not yet. */
static int64_t
to_r_number(const struct svc_report *x)
{
	for (size_t i = 0; i < x->acl.npath; i++)
		if (x->acl.path[i].org_type == ORG_NISC && x->r.r_number != 0)
			return x->acl.path[i].joined_us - x->r.created_us;
	return -1;
}

/*
 * From filing to the first issued advisory relating it that the reader may
 * read (an advisory it may not read changes nothing), or -1.
 */
static int64_t
to_advisory(struct svc_ctx *c, const struct svc_report *x)
{
	struct store_report_adv *v = NULL;
	int64_t d = -1;
	size_t n = 0;

	if (store_report_advisories(c->st, x->r.id, &v, &n) != CS_OK)
		return -1;
	for (size_t i = 0; i < n && d < 0; i++) {
		struct svc_adv a;
		struct cs_error le;

		if (svc_adv_load_visible(c, v[i].advisory, &a, &le) != CS_OK)
			continue;
		svc_adv_fini(&a);
		d = v[i].issued_us >= x->r.created_us ? v[i].issued_us -
		    x->r.created_us : 0;
	}
	free(v);
	return d;
}

/* The facets of the newest version `who` sees, into the accumulator. */
static void
add_report(struct svc_ctx *c, struct svc_report *x, struct stats_acc *acc)
{
	const char *causes[32];
	struct stats_fact f;
	json_t *form = NULL, *cv;
	size_t i;

	for (int k = x->r.nversions; k >= 1 && form == NULL; k--) {
		char *text = svc_report_visible_text(c, x, k, NULL);

		if (text != NULL)
			form = json_loads(text, 0, NULL);
		free(text);
	}
	if (form == NULL)
		return;
	memset(&f, 0, sizeof(f));
	f.sector = core_sector_id(x->r.sector);
	f.event_type = json_string_value(json_object_get(form, "event_type"));
	json_array_foreach(json_object_get(form, "cause_types"), i, cv)
		if (f.ncauses < sizeof(causes) / sizeof(causes[0]) &&
		    json_is_string(cv))
			causes[f.ncauses++] = json_string_value(cv);
	f.causes = causes;
	f.route = core_route_id(x->r.route);
	f.tlp = core_tlp_id(x->r.tlp);
	f.at_us = x->r.created_us;
	f.source = source_of(c, x);
	f.to_r_us = to_r_number(x);
	f.to_adv_us = to_advisory(c, x);
	stats_add(acc, &f);
	json_decref(form);
}

/* NISC's organisation (the public figures are what it received). */
static enum cs_err
nisc_principal(struct svc_ctx *c, struct cs_principal *p, struct cs_error *e)
{
	struct store_org *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	memset(p, 0, sizeof(*p));
	if ((rc = store_org_find(c->st, ORG_NISC, 0, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if (n > 0) {
		p->org_id = v[0].id;
		p->org_type = ORG_NISC;
		p->roles = ROLE_ANALYST;
	}
	store_orgs_free(v, n);
	return CS_OK;
}

enum cs_err
svc_stats(struct svc_ctx *c, const struct svc_stats_in *in, json_t **out,
    struct cs_error *e)
{
	struct store_report_filter f;
	struct svc_ctx rc_ctx = *c;
	struct stats_acc *acc;
	int64_t *ids = NULL;
	size_t n = 0;
	bool nisc;
	int k = c->cfg != NULL && c->cfg->stats_k > 0 ? c->cfg->stats_k : 3;
	enum cs_err rc;

	*out = NULL;
	/* The public reads as NISC reads, then keeps the TLP:CLEAR reports. */
	if (in->public_view &&
	    (rc = nisc_principal(c, &rc_ctx.who, e)) != CS_OK)
		return rc;
	nisc = !in->public_view && c->who.org_type == ORG_NISC;
	acc = stats_new(in->dims);
	memset(&f, 0, sizeof(f));
	f.org = rc_ctx.who.org_id;
	f.sector = -1;
	f.limit = PAGE;
	do {
		if (f.org == 0)
			break;
		if ((rc = store_report_candidates(c->st, &f, &ids, &n)) != CS_OK) {
			stats_free(acc);
			return cs_fail(e, rc, "", "store error");
		}
		for (size_t i = 0; i < n; i++) {
			struct svc_report x;
			struct cs_error le;

			f.before_id = ids[i];
			if (svc_report_load(&rc_ctx, ids[i], SVC_LOAD_VERSIONS, &x,
			    &le) != CS_OK)
				continue;
			/* Drill traffic never counts (API.md "Drills"). */
			if (svc_drill_of(c, DRILL_ITEM_REPORT, x.r.id) == 0 &&
			    policy_report_may_read(&rc_ctx.who, &x.acl) &&
			    (!in->public_view || (x.r.tlp == TLP_CLEAR &&
			    x.r.state == ST_AT_NISC)) &&
			    (in->since_us == 0 || x.r.created_us >= in->since_us) &&
			    (in->until_us == 0 || x.r.created_us <= in->until_us))
				add_report(&rc_ctx, &x, acc);
			svc_report_fini(&x);
		}
		free(ids);
		ids = NULL;
	} while (n == PAGE);
	*out = stats_json(acc, k, !nisc, nisc);
	stats_free(acc);
	if (in->public_view)
		return CS_OK;
	{
		json_t *dims = json_array();

		for (int d = 0; d < STATS__COUNT; d++)
			if (in->dims & (1u << d))
				json_array_append_new(dims, json_string(stats_dim_id(
				    (enum stats_dim)d)));
		if ((rc = svc_audit(c, "stats.read", NULL, json_pack("{s:o}",
		    "group", dims), false)) != CS_OK) {
			json_decref(*out);
			*out = NULL;
			return cs_fail(e, rc, "", "audit failed");
		}
	}
	return CS_OK;
}
