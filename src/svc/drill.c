/*
 * drill.c: CEPTOAR drills (see svc_drill.h).
 */
#include <stdlib.h>
#include <string.h>

#include "svc/svc_drill.h"

#define DRILL_TARGETS_MAX	1000

static json_t *
drill_json(const struct store_drill *d)
{
	json_t *t = d->targets != NULL ? json_loads(d->targets, 0, NULL) : NULL;

	return json_pack("{s:I, s:s, s:s?, s:o, s:o, s:I, s:o}", "id",
	    (json_int_t)d->id, "name", d->name != NULL ? d->name : "",
	    "scenario", d->scenario, "targets", t != NULL ? t : json_array(),
	    "starts_at", svc_time(d->starts_us), "by_org", (json_int_t)d->by_org,
	    "created_at", svc_time(d->created_us));
}

enum cs_err
svc_drill_create(struct svc_ctx *c, json_t *body, int64_t *id,
    struct cs_error *e)
{
	struct store_drill d;
	json_t *t = json_object_get(body, "targets"), *x, *sa;
	char path[32];
	size_t i;
	enum cs_err rc;

	memset(&d, 0, sizeof(d));
	if ((rc = core_check_string(json_object_get(body, "name"), CS_MAX_STRING,
	    "name", e)) != CS_OK)
		return rc;
	if (json_string_length(json_object_get(body, "name")) == 0)
		return cs_fail(e, CS_EINVAL, "name", "required field is missing");
	x = json_object_get(body, "scenario");
	if (x != NULL && !json_is_null(x) &&
	    (rc = core_check_string(x, CS_MAX_TEXT, "scenario", e)) != CS_OK)
		return rc;
	if (!json_is_array(t) || json_array_size(t) == 0 ||
	    json_array_size(t) > DRILL_TARGETS_MAX)
		return cs_fail(e, CS_EINVAL, "targets", "a list of the "
		    "organisations the drill exercises");
	json_array_foreach(t, i, x) {
		struct store_org o;

		cs_fmt(path, sizeof(path), "targets.%zu", i);
		if (!json_is_integer(x) || store_org_get(c->st,
		    json_integer_value(x), &o) != CS_OK)
			return cs_fail(e, CS_EINVAL, path, "no such organisation");
		store_org_fini(&o);
	}
	d.starts_us = c->now_us;
	if ((sa = json_object_get(body, "starts_at")) != NULL &&
	    !json_is_null(sa) && cs_time_parse(json_string_value(sa),
	    &d.starts_us) != CS_OK)
		return cs_fail(e, CS_EINVAL, "starts_at", "must be an RFC 3339 "
		    "date-time");
	d.name = (char *)json_string_value(json_object_get(body, "name"));
	d.scenario = (char *)json_string_value(json_object_get(body, "scenario"));
	d.targets = json_dumps(t, JSON_COMPACT);
	d.by_org = c->who.org_id;
	d.by_user = c->who.user_id;
	d.created_us = c->now_us;
	rc = store_drill_insert(c->st, &d);
	free(d.targets);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*id = d.id;
	if ((rc = svc_audit(c, "drill.create", NULL, json_pack("{s:I, s:I}",
	    "drill", (json_int_t)d.id, "targets", (json_int_t)json_array_size(t)),
	    false)) != CS_OK)
		return cs_fail(e, rc, "", "audit failed");
	return CS_OK;
}

enum cs_err
svc_drill_get(struct svc_ctx *c, int64_t id, json_t **out, struct cs_error *e)
{
	struct store_drill d;
	int64_t *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	if ((rc = store_drill_get(c->st, id, &d)) != CS_OK)
		return rc == CS_ENOENT ? cs_fail(e, rc, "", "no such drill") :
		    cs_fail(e, rc, "", "store error");
	*out = drill_json(&d);
	store_drill_fini(&d);
	for (int k = DRILL_ITEM_REPORT; k <= DRILL_ITEM_ADVISORY; k++) {
		json_t *a = json_array();

		if (store_drill_items(c->st, id, k, &v, &n) == CS_OK)
			for (size_t i = 0; i < n; i++)
				json_array_append_new(a, json_integer(v[i]));
		free(v);
		v = NULL;
		json_object_set_new(*out, k == DRILL_ITEM_REPORT ? "reports" :
		    "advisories", a);
	}
	return CS_OK;
}

enum cs_err
svc_drill_list(struct svc_ctx *c, json_t **items, struct cs_error *e)
{
	struct store_drill *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	if ((rc = store_drill_list(c->st, 500, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(*items, drill_json(&v[i]));
	store_drills_free(v, n);
	return CS_OK;
}

enum cs_err
svc_drill_arg(struct svc_ctx *c, json_t *body, int64_t *drill,
    struct cs_error *e)
{
	json_t *v = json_object_get(body, "drill");
	struct store_drill d;

	*drill = 0;
	if (v == NULL || json_is_null(v))
		return CS_OK;
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    store_drill_get(c->st, json_integer_value(v), &d) != CS_OK)
		return cs_fail(e, CS_EINVAL, "drill", "no such drill");
	store_drill_fini(&d);
	*drill = json_integer_value(v);
	return CS_OK;
}

enum cs_err
svc_drill_mark(struct svc_ctx *c, int64_t drill, int kind, int64_t item,
    struct cs_error *e)
{
	enum cs_err rc;

	if (drill == 0)
		return CS_OK;
	if ((rc = store_drill_item_add(c->st, drill, kind, item)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return CS_OK;
}

int64_t
svc_drill_of(struct svc_ctx *c, int kind, int64_t item)
{
	int64_t d = 0;

	if (store_drill_of(c->st, kind, item, &d) != CS_OK)
		return 0;
	return d;
}

/* The delivery of the same advisory to org, or NULL. */
static const struct store_delivery *
delivery_to(const struct store_delivery *v, size_t n, int64_t org)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].org == org)
			return &v[i];
	return NULL;
}

static json_t *
secs(int64_t from_us, int64_t to_us)
{
	return from_us > 0 && to_us > 0 ? json_integer((to_us - from_us) / 1000000) :
	    json_null();
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* One advisory of the drill: its deliveries, the hops, the CEPTOARs. */
static json_t *
advisory_report(struct svc_ctx *c, int64_t adv, json_t *silent)
{
	struct store_advisory a;
	struct store_delivery *d = NULL;
	json_t *rows = json_array(), *ceptoars = json_array();
	size_t n = 0;

	if (store_adv_get(c->st, adv, &a) != CS_OK ||
	    store_delivery_list(c->st, adv, &d, &n) != CS_OK)
		return json_pack("{s:I, s:o, s:o}", "advisory", (json_int_t)adv,
		    "deliveries", rows, "ceptoars", ceptoars);
	for (size_t i = 0; i < n; i++) {
		const struct store_delivery *p = delivery_to(d, n, d[i].parent_org);
		struct store_org o;
		int type = -1;

		if (store_org_get(c->st, d[i].org, &o) == CS_OK) {
			type = o.type;
			store_org_fini(&o);
		}
		json_array_append_new(rows, json_pack("{s:I, s:s, s:I, s:s, s:o, "
		    "s:o, s:o, s:o, s:o, s:o}", "org", (json_int_t)d[i].org,
		    "org_type", type >= 0 ? core_org_type_id(type) : "",
		    "from", (json_int_t)d[i].parent_org, "via", d[i].via,
		    "delivered_at", svc_time(d[i].delivered_us), "read_at",
		    d[i].read_us ? svc_time(d[i].read_us) : json_null(),
		    "acknowledged_at", d[i].ack_us ? svc_time(d[i].ack_us) :
		    json_null(),
		    /* this hop: from the sender's own receipt (or the issue) */
		    "hop_latency_s", secs(p != NULL ? p->delivered_us :
		    a.issued_us, d[i].delivered_us),
		    "read_latency_s", secs(d[i].delivered_us, d[i].read_us),
		    "ack_latency_s", secs(d[i].delivered_us, d[i].ack_us)));
		if (d[i].ack_us == 0)
			json_array_append_new(silent, json_integer(d[i].org));
		if (type == ORG_CEPTOAR_SEC) {
			/* Its members: the deliveries it made, acknowledged over time. */
			int64_t *lat = xcalloc(n + 1, sizeof(*lat));
			size_t m = 0, acked = 0;
			json_t *curve = json_array();

			for (size_t k = 0; k < n; k++) {
				if (d[k].parent_org != d[i].org)
					continue;
				m++;
				if (d[k].ack_us)
					lat[acked++] = (d[k].ack_us - d[i].delivered_us) /
					    1000000;
			}
			qsort(lat, acked, sizeof(*lat), cmp_i64);
			for (size_t k = 0; k < acked; k++)
				json_array_append_new(curve, json_pack("{s:I, s:f}",
				    "after_s", (json_int_t)lat[k], "completion",
				    (double)(k + 1) / (double)m));
			json_array_append_new(ceptoars, json_pack("{s:I, s:I, s:I, s:f, "
			    "s:o}", "ceptoar", (json_int_t)d[i].org, "members",
			    (json_int_t)m, "acknowledged", (json_int_t)acked,
			    "completion", m ? (double)acked / (double)m : 0.0,
			    "curve", curve));
			free(lat);
		}
	}
	free(d);
	return json_pack("{s:I, s:o, s:o, s:o, s:o}", "advisory", (json_int_t)adv,
	    "identification_number", a.t_number ? json_sprintf("T%lld",
	    (long long)a.t_number) : json_null(),
	    "issued_at", a.issued_us ? svc_time(a.issued_us) : json_null(),
	    "deliveries", rows, "ceptoars", ceptoars);
}

enum cs_err
svc_drill_report(struct svc_ctx *c, int64_t id, json_t **out,
    struct cs_error *e)
{
	json_t *drill = NULL, *advs, *silent = json_array(), *uniq = json_array();
	json_t *x, *targets, *unreached = json_array();
	size_t i, j;
	enum cs_err rc;

	if ((rc = svc_drill_get(c, id, &drill, e)) != CS_OK) {
		json_decref(silent);
		json_decref(uniq);
		json_decref(unreached);
		return rc;
	}
	advs = json_array();
	json_array_foreach(json_object_get(drill, "advisories"), i, x)
		json_array_append_new(advs, advisory_report(c, json_integer_value(x),
		    silent));
	/* No response: delivered but never acknowledged, each org once. */
	json_array_foreach(silent, i, x) {
		bool dup = false;
		json_t *y;

		json_array_foreach(uniq, j, y)
			dup |= json_integer_value(y) == json_integer_value(x);
		if (!dup)
			json_array_append(uniq, x);
	}
	/* Targets no advisory of the drill reached. */
	targets = json_object_get(drill, "targets");
	json_array_foreach(targets, i, x) {
		bool reached = false;
		json_t *ad, *dl;
		size_t k, l;

		json_array_foreach(advs, k, ad)
			json_array_foreach(json_object_get(ad, "deliveries"), l, dl)
				reached |= json_integer_value(json_object_get(dl,
				    "org")) == json_integer_value(x);
		if (!reached)
			json_array_append(unreached, x);
	}
	*out = json_pack("{s:o, s:o, s:o, s:o}", "drill", drill, "advisories",
	    advs, "no_response", uniq, "not_reached", unreached);
	json_decref(silent);
	return CS_OK;
}
