/*
 * adv_actions.c: what an approver, a relaying organisation or NISC does
 * around a delivered advisory besides issuing it (svc_adv.h): the return
 * for revision (差戻し) with a comment, the relay's comment and its
 * implied acknowledgement, and the reminder (督促) of unacknowledged
 * recipients.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/svc_adv.h"

/* A note on the advisory by the acting user and organisation. */
static enum cs_err
note_add(struct svc_ctx *c, enum store_note_kind kind, int64_t item,
    const char *text, int64_t at_us, struct cs_error *e)
{
	struct store_note nt;
	enum cs_err rc;

	memset(&nt, 0, sizeof(nt));
	nt.kind = kind;
	nt.item = item;
	nt.org = c->who.org_id;
	nt.user = c->who.user_id;
	nt.text = (char *)text;
	nt.at_us = at_us;
	if ((rc = store_note_add(c->st, &nt)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return CS_OK;
}

enum cs_err
svc_adv_return(struct svc_ctx *c, struct svc_adv *x, const char *comment,
    struct svc_adv_out *out, struct cs_error *e)
{
	struct store_user u;
	struct store_event ev;
	enum cs_err rc;

	memset(out, 0, sizeof(*out));
	if (x->a.state != ADV_PENDING_APPROVAL || x->a.approved_by != 0)
		return cs_fail(e, CS_ECONFLICT, "", "only an advisory awaiting "
		    "approval can be returned");
	if (x->a.created_by == c->who.user_id)
		return cs_fail(e, CS_EPERM, "", "four eyes: a second NISC user "
		    "returns what you drafted");
	x->a.state = ADV_RETURNED_FOR_REVISION;
	x->a.updated_us = c->now_us;
	if ((rc = store_adv_update(c->st, &x->a)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if ((rc = note_add(c, STORE_NOTE_RETURN, x->a.id, comment, c->now_us,
	    e)) != CS_OK)
		return rc;
	/* The drafter's organisation hears of it on its live feed. */
	if (store_user_get(c->st, x->a.created_by, &u) == CS_OK) {
		memset(&ev, 0, sizeof(ev));
		ev.org = u.org;
		ev.advisory = x->a.id;
		(void)cs_strlcpy(ev.kind, "returned", sizeof(ev.kind));
		ev.at_us = c->now_us;
		store_user_fini(&u);
		if ((rc = store_event_add(c->st, &ev)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
		c->events = true;
	}
	if ((rc = svc_audit_op(c, "advisory.return", "advisory", x->a.id,
	    json_pack("{s:i, s:s}", "version", x->a.nversions, "comment",
	    comment), false, e)) != CS_OK)
		return rc;
	out->id = x->a.id;
	out->t_number = x->a.t_number;
	out->version = x->a.nversions;
	out->state = x->a.state;
	return CS_OK;
}

enum cs_err
svc_adv_relay_after(struct svc_ctx *c, struct svc_adv *x, const char *comment,
    bool *acked, struct cs_error *e)
{
	const struct store_delivery *mine = svc_adv_delivery(x, c->who.org_id);
	enum cs_err rc;

	*acked = false;
	if (comment != NULL && (rc = note_add(c, STORE_NOTE_RELAY, x->a.id,
	    comment, c->now_us, e)) != CS_OK)
		return rc;
	/* Relaying it is acknowledging it (docs/policy.md). */
	if (mine == NULL || mine->ack_us != 0)
		return CS_OK;
	if ((rc = store_delivery_ack(c->st, x->a.id, c->who.org_id,
	    c->who.user_id, c->now_us)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*acked = true;
	return svc_audit_op(c, "advisory.ack", "advisory", x->a.id,
	    json_pack("{s:s}", "by", "relay"), false, e);
}

enum cs_err
svc_report_forward_note(struct svc_ctx *c, int64_t report, const char *text,
    struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = note_add(c, STORE_NOTE_FORWARD, report, text, c->now_us,
	    e)) != CS_OK)
		return rc;
	return svc_audit_op(c, "report.forward_comment", "report", report,
	    json_pack("{s:s}", "comment", text), false, e);
}

json_t *
svc_notes_json(struct svc_ctx *c, enum store_note_kind kind, int64_t item)
{
	struct store_note *nt;
	size_t n;
	json_t *a = json_array();

	if (store_note_list(c->st, kind, item, &nt, &n) != CS_OK)
		return a;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:o}", "org",
		    (json_int_t)nt[i].org, "comment", nt[i].text, "at",
		    svc_time(nt[i].at_us)));
	store_notes_free(nt, n);
	return a;
}

/* Is delivery d one the acting organisation may remind? */
static bool
may_remind(const struct svc_ctx *c, const struct store_delivery *d)
{
	if (c->who.org_type == ORG_NISC)
		return true;
	return d->parent_org == c->who.org_id && d->org != c->who.org_id;
}

enum cs_err
svc_adv_remind_some(struct svc_ctx *c, struct svc_adv *x, const int64_t *orgs,
    size_t norgs, int64_t **reminded, size_t *nrem, struct cs_error *e)
{
	struct svc_ctx sc;
	char field[32];
	enum cs_err rc;

	*reminded = xcalloc(x->nd + 1, sizeof(**reminded));
	*nrem = 0;
	if (x->a.state != ADV_ISSUED)
		return cs_fail(e, CS_ECONFLICT, "", "the advisory is not issued");
	for (size_t i = 0; i < norgs; i++) {
		const struct store_delivery *d = svc_adv_delivery(x, orgs[i]);

		if (d == NULL || !may_remind(c, d)) {
			cs_fmt(field, sizeof(field), "orgs.%zu", i);
			return cs_fail(e, CS_EINVAL, field, "organisation %lld is "
			    "not a recipient you delivered this advisory to",
			    (long long)orgs[i]);
		}
	}
	for (size_t i = 0; i < x->nd; i++) {
		const struct store_delivery *d = &x->d[i];
		bool want = norgs == 0;

		for (size_t j = 0; j < norgs; j++)
			want |= orgs[j] == d->org;
		if (!want || d->ack_us != 0 || !may_remind(c, d))
			continue;
		/* Composed as the worker's reminders are: for the recipient. */
		sc = *c;
		memset(&sc.who, 0, sizeof(sc.who));
		if ((rc = svc_adv_remind(&sc, d)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
		c->events = true;
		(*reminded)[(*nrem)++] = d->org;
	}
	return svc_audit_op(c, "advisory.remind", "advisory", x->a.id,
	    json_pack("{s:o}", "orgs", svc_ids_json(*reminded, *nrem)), false,
	    e);
}
