/*
 * advisory_json.c: how the API renders an advisory — the whole document,
 * its delivery record and a list or inbox item (API.md "Advisories").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "core/retention.h"
#include "svc/svc_attach.h"

json_t *
api_adv_ident_json(int64_t t, int k)
{
	char b[40];

	core_advisory_ident(t, k, b, sizeof(b));
	return b[0] ? json_string(b) : json_null();
}

static json_t *
lat(int64_t from, int64_t to)
{
	if (from <= 0 || to <= 0)
		return json_null();
	return json_real((double)(to - from) / 1e6);
}

/* Delivery record: every hop (or the caller's subtree), latencies, who has not acknowledged. */
json_t *
api_adv_delivery_json(struct api_req *q, const struct svc_adv *x)
{
	json_t *hops = json_array(), *unacked = json_array();
	bool *in = xcalloc(x->nd + 1, sizeof(*in));
	size_t nin = 0, nread = 0, nack = 0;
	bool nisc = q->who.org_type == ORG_NISC, grew = true;
	struct store_note *nt = NULL;
	size_t nnt = 0;

	/* The relays' comments: a hop shows the comment of its relay. */
	if (store_note_list(q->st, STORE_NOTE_RELAY, x->a.id, &nt, &nnt) != CS_OK)
		nnt = 0;
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
		{
			json_t *cm = json_null();

			for (size_t k = 0; k < nnt && strcmp(d->via, "relay") == 0; k++)
				if (nt[k].org == d->parent_org &&
				    nt[k].at_us == d->delivered_us) {
					json_decref(cm);
					cm = json_string(nt[k].text);
				}
			json_object_set_new(json_array_get(hops,
			    json_array_size(hops) - 1), "comment", cm);
		}
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
	store_notes_free(nt, nnt);
	return json_pack("{s:o, s:o, s:{s:I, s:I, s:I}}", "hops", hops,
	    "unacknowledged", unacked, "summary", "delivered", (json_int_t)nin,
	    "read", (json_int_t)nread, "acknowledged", (json_int_t)nack);
}

/* "drill": the drill an advisory belongs to, or null (API.md "Drills"). */
static json_t *
drill_json(struct store *st, int64_t adv)
{
	int64_t d = 0;

	return store_drill_of(st, DRILL_ITEM_ADVISORY, adv, &d) == CS_OK && d != 0 ?
	    json_integer(d) : json_null();
}

/* The approvers' returns (差戻し) of a draft: NISC's only. */
static json_t *
returns_json(struct api_req *q, const struct svc_adv *x)
{
	struct store_note *nt;
	size_t n;
	json_t *a = json_array();

	if (store_note_list(q->st, STORE_NOTE_RETURN, x->a.id, &nt, &n) != CS_OK)
		return a;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:I, s:o}", "comment",
		    nt[i].text, "by_user", (json_int_t)nt[i].user, "at",
		    api_time(nt[i].at_us)));
	store_notes_free(nt, n);
	return a;
}

json_t *
api_adv_json(struct api_req *q, const struct svc_adv *x, bool full)
{
	json_t *j, *versions, *form;
	const struct store_delivery *mine = svc_adv_delivery(x, q->who.org_id);

	form = x->nv ? json_loads(x->v[x->nv - 1].form, 0, NULL) : NULL;
	j = json_pack("{s:I, s:o, s:s, s:b, s:s, s:o, s:o, s:i, s:o, s:o, s:o}",
	    "id", (json_int_t)x->a.id,
	    "identification_number", api_adv_ident_json(x->a.t_number, x->a.nversions),
	    "state", core_adv_state_id(x->a.state),
	    "urgent", x->a.urgent,
	    "tlp", core_tlp_id(x->a.tlp),
	    "importance", x->a.importance ? json_string(core_importance_id(
	    x->a.importance)) : json_null(),
	    "sectors",
	    api_bits_json(x->a.sectors, CS_NSECTORS, core_sector_id),
	    "version", x->a.nversions,
	    "created_at", api_time(x->a.created_us),
	    "issued_at", api_time(x->a.issued_us),
	    "form", form ? form : json_null());
	json_object_set_new(j, "drill", drill_json(q->st, x->a.id));
	{
		/* a legal hold, for those who may place one (core/retention.c) */
		struct store_retention_state rs;

		if (retention_may_hold(&q->who, true) &&
		    store_retention_state(q->st, STORE_ITEM_ADVISORY, x->a.id,
		    &rs) == CS_OK)
			json_object_set_new(j, "held", json_boolean(rs.held_us != 0));
	}
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
		    api_adv_ident_json(x->a.t_number, x->v[i].version), "issued_at",
		    api_time(x->v[i].created_us), "form", f ? f : json_null()));
	}
	json_object_set_new(j, "versions", versions);
	{
		struct svc_ctx c;

		api_svc_ctx(q, &c);
		json_object_set_new(j, "attachments", svc_attach_adv_json(&c, x));
	}
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
		json_object_set_new(j, "returns", returns_json(q, x));
	}
	if (q->who.org_type == ORG_NISC || q->who.org_type == ORG_CI_MINISTRY ||
	    q->who.org_type == ORG_CEPTOAR_SEC)
		json_object_set_new(j, "delivery", api_adv_delivery_json(q, x));
	return j;
}

/* The summary line of an inbox/list item. */
json_t *
api_adv_item_json(struct api_req *q, const struct svc_adv *x,
    const struct store_delivery *d, struct api_raws *raws)
{
	const char *text = x->nv ? x->v[x->nv - 1].form : NULL, *tc, *sum;
	size_t tclen, sumlen;
	json_t *summary = NULL;
	json_t *j;

	/* Only threat_content.summary: taken without parsing the form. */
	if (text != NULL && cs_json_pick(text, strlen(text), "threat_content",
	    &tc, &tclen) == CS_OK && cs_json_pick(tc, tclen, "summary", &sum,
	    &sumlen) == CS_OK)
		summary = raws != NULL ? api_raws_take(raws, xstrndup(sum,
		    sumlen)) : json_loadb(sum, sumlen, JSON_DECODE_ANY, NULL);
	j = json_pack("{s:I, s:o, s:s, s:o, s:s, s:b, s:i, s:o}",
	    "id", (json_int_t)x->a.id,
	    "identification_number", api_adv_ident_json(x->a.t_number, x->a.nversions),
	    "tlp", core_tlp_id(x->a.tlp),
	    "importance", x->a.importance ? json_string(core_importance_id(
	    x->a.importance)) : json_null(),
	    "state", core_adv_state_id(x->a.state),
	    "urgent", x->a.urgent,
	    "version", x->a.nversions,
	    "issued_at", api_time(x->a.issued_us));

	json_object_set_new(j, "summary", summary ? summary : json_null());
	json_object_set_new(j, "drill", drill_json(q->st, x->a.id));
	if (d != NULL) {
		json_object_set_new(j, "delivered_at", api_time(d->delivered_us));
		json_object_set_new(j, "read_at", api_time(d->read_us));
		json_object_set_new(j, "acknowledged_at", api_time(d->ack_us));
	}
	return j;
}


static const char *const review_states[] = { "pending", "approved", "refused" };

json_t *
api_adv_review_row_json(struct api_req *q, const struct store_adv_review *r)
{
	struct store_report rep;
	char idb[40] = "";

	if (store_report_get(q->st, r->report, &rep) == CS_OK) {
		core_report_ident(rep.r_number, 1, idb, sizeof(idb));
		store_report_fini(&rep);
	}
	return json_pack("{s:I, s:I, s:o, s:I, s:i, s:s, s:o, s:o, s:o}",
	    "advisory", (json_int_t)r->advisory,
	    "report", (json_int_t)r->report, "report_identification_number",
	    idb[0] ? json_string(idb) : json_null(),
	    "org", (json_int_t)r->org, "version", r->version,
	    "decision", review_states[r->state],
	    "comment", r->comment ? json_string(r->comment) : json_null(),
	    "requested_at", api_time(r->created_us),
	    "decided_at", api_time(r->decided_us));
}

json_t *
api_adv_review_json(struct api_req *q, struct svc_ctx *c,
    const struct svc_adv *x)
{
	bool nisc = q->who.org_type == ORG_NISC;
	bool reviewer = policy_advisory_may_review(&q->who, &x->acl);
	json_t *j, *rows, *hits = NULL;
	const char *state = "approved";
	struct cs_error le;
	int k = 0;

	if (x->nrv == 0 || (!nisc && !reviewer))
		return NULL;
	rows = json_array();
	for (size_t i = 0; i < x->nrv; i++) {
		const struct store_adv_review *r = &x->rv[i];

		if (!nisc && r->org != q->who.org_id)
			continue;
		json_array_append_new(rows, api_adv_review_row_json(q, r));
		if (r->version > k)
			k = r->version;
	}
	/* The state of the newest version reviewed (of the caller's rows). */
	for (size_t i = 0; i < x->nrv; i++) {
		const struct store_adv_review *r = &x->rv[i];

		if (r->version != k || (!nisc && r->org != q->who.org_id))
			continue;
		if (r->state == REVIEW_REFUSED)
			state = "refused";
		else if (r->state == REVIEW_PENDING && strcmp(state, "refused") != 0)
			state = "pending";
	}
	j = json_pack("{s:s, s:i, s:o}", "state", state, "version", k,
	    "reviews", rows);
	if (reviewer) {
		if (svc_adv_review_hits(c, x, &hits, &le) != CS_OK || hits == NULL)
			hits = json_array();
		json_object_set_new(j, "hits", hits);
	}
	return j;
}
