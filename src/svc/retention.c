/*
 * retention.c: legal holds, source erasure and purging (svc_retention.h).
 *
 * Erasure is cryptographic: the identity of an anonymised source exists
 * only as text sealed to its CEPTOAR secretariat's key (sealed_identity,
 * the sealed source forms, the sealed source attachments) plus the keyed
 * anonymity tag that lets the source recognise its own report.  Erasing
 * deletes every sealed copy and replaces the tag with random bytes, so
 * neither the secretariat's key nor the master key opens or recomputes
 * anything that names the source.  The audit entry of an erasure the
 * source asked for is anonymous, as its filing was.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "svc/svc_retention.h"
#include "svc/svc_report.h"
#include "svc/svc_adv.h"

static const char *
kind_id(int kind)
{
	return kind == STORE_ITEM_REPORT ? "report" : "advisory";
}

static json_t *
hold_json(int kind, int64_t id, const struct store_retention_state *s)
{
	return json_pack("{s:s, s:I, s:b, s:o}", "kind", kind_id(kind),
	    "id", (json_int_t)id, "held", s->held_us != 0, "held_at",
	    s->held_us != 0 ? svc_time(s->held_us) : json_null());
}

enum cs_err
svc_retention_hold_check(struct svc_ctx *c, int kind, int64_t id,
    struct store_retention_state *s, struct cs_error *e)
{
	struct store_retention_state tmp;
	bool readable;
	enum cs_err rc;

	if (s == NULL)
		s = &tmp;
	if (kind == STORE_ITEM_REPORT) {
		struct svc_report x;

		rc = svc_report_load_visible(c, id, 0, &x, e);
		if (rc == CS_OK)
			svc_report_fini(&x);
	} else {
		struct svc_adv x;

		rc = svc_adv_load_visible(c, id, &x, e);
		if (rc == CS_OK)
			svc_adv_fini(&x);
	}
	if (rc != CS_OK && rc != CS_ENOENT)
		return rc;
	readable = rc == CS_OK;
	cs_error_clear(e);
	/*
	 * Invisible and not the admin's to hold: the same 404 as absent.  A
	 * reader that may not hold gets its 403 from the action table or
	 * from svc_retention_hold.
	 */
	if ((!readable && !retention_may_hold(&c->who, false)) ||
	    (rc = store_retention_state(c->st, kind, id, s)) == CS_ENOENT)
		return cs_fail(e, CS_ENOENT, "", "no such %s", kind_id(kind));
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return CS_OK;
}

enum cs_err
svc_retention_hold(struct svc_ctx *c, int kind, int64_t id, bool on,
    json_t **out, struct cs_error *e)
{
	struct store_retention_state s;
	const char *what = kind_id(kind);
	enum cs_err rc;

	*out = NULL;
	if ((rc = svc_retention_hold_check(c, kind, id, &s, e)) != CS_OK)
		return rc;
	/* Past the check: an admin, or a reader of the item. */
	if (!retention_may_hold(&c->who, true))
		return cs_fail(e, CS_EPERM, "", "a legal hold is placed or "
		    "lifted by NISC analysts or an admin");
	if (on != (s.held_us != 0)) {
		s.held_us = on ? c->now_us : 0;
		s.held_by = on ? c->who.user_id : 0;
		if ((rc = store_retention_hold(c->st, kind, id, s.held_us,
		    s.held_by)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
		if ((rc = svc_audit_op(c, on ? "retention.hold" :
		    "retention.unhold", what, id, json_pack("{s:b}", "held", on),
		    false, e)) != CS_OK)
			return rc;
	}
	*out = hold_json(kind, id, &s);
	return CS_OK;
}

enum cs_err
svc_retention_erase_source(struct svc_ctx *c, int64_t id, json_t *body,
    json_t **out, struct cs_error *e)
{
	struct svc_report x;
	struct store_retention_state s;
	unsigned char tag[32];
	json_t *confirm = body != NULL ? json_object_get(body, "confirm") : NULL;
	bool by_source;
	enum cs_err rc;

	*out = NULL;
	if (!json_is_true(confirm))
		return cs_fail(e, CS_EINVAL, "confirm", "erasing the source is "
		    "irreversible: send {\"confirm\": true}");
	if ((rc = svc_report_load_visible(c, id, 0, &x, e)) != CS_OK)
		return rc;
	if (!x.r.anonymised) {
		rc = cs_fail(e, CS_ECONFLICT, "", "this report is not "
		    "anonymised: it has no sealed source to erase");
		goto out;
	}
	if ((rc = store_retention_state(c->st, STORE_ITEM_REPORT, id, &s)) !=
	    CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	if (s.erased_us != 0) {
		rc = cs_fail(e, CS_ECONFLICT, "", "the source of this report "
		    "was erased already");
		goto out;
	}
	if (!retention_may_erase_source(&c->who, &x.acl)) {
		rc = cs_fail(e, CS_EPERM, "", "only the source of an anonymised "
		    "report or its CEPTOAR secretariat erases its source");
		goto out;
	}
	by_source = policy_report_relation(&c->who, &x.acl) == REL_SUBMITTER;
	randombytes_buf(tag, sizeof(tag));
	if ((rc = store_report_erase_source(c->st, id, tag, c->now_us)) != CS_OK) {
		rc = cs_fail(e, rc == CS_ENOENT ? CS_ECONFLICT : rc, "",
		    rc == CS_ENOENT ? "the source of this report was erased "
		    "already" : "store error");
		goto out;
	}
	sodium_memzero(tag, sizeof(tag));
	/* The source asking stays as anonymous as its filing. */
	if ((rc = svc_audit_op(c, "report.erase_source", "report", id,
	    json_pack("{s:s}", "requested_by", by_source ? "source" :
	    "ceptoar"), by_source, e)) != CS_OK)
		goto out;
	*out = json_pack("{s:I, s:b, s:o}", "id", (json_int_t)id,
	    "source_erased", 1, "erased_at", svc_time(c->now_us));
out:
	svc_report_fini(&x);
	return rc;
}

enum cs_err
svc_retention_plan(struct svc_ctx *c, json_t **out, struct cs_error *e)
{
	const struct cs_retention *pol = &c->cfg->retention;
	json_t *classes = json_array(), *days = json_object();
	int64_t held_r = 0, held_a = 0;
	enum cs_err rc = CS_OK;

	*out = NULL;
	for (int k = 0; k < RET__COUNT; k++) {
		int64_t cut = retention_cutoff(pol, (enum cs_ret_class)k,
		    c->now_us), due = 0;

		if (cut != 0 && (rc = store_retention_count(c->st, k, cut,
		    NOTIF_PENDING, &due)) != CS_OK)
			break;
		json_object_set_new(days, retention_class_id(k),
		    json_integer(pol->days[k]));
		json_array_append_new(classes, json_pack("{s:s, s:I, s:o, s:I}",
		    "class", retention_class_id(k), "days",
		    (json_int_t)pol->days[k], "cutoff", cut != 0 ?
		    svc_time(cut) : json_null(), "due", (json_int_t)due));
	}
	if (rc == CS_OK &&
	    (rc = store_retention_held_count(c->st, STORE_ITEM_REPORT,
	    &held_r)) == CS_OK)
		rc = store_retention_held_count(c->st, STORE_ITEM_ADVISORY,
		    &held_a);
	if (rc != CS_OK) {
		json_decref(classes);
		json_decref(days);
		return cs_fail(e, rc, "", "store error");
	}
	*out = json_pack("{s:o, s:o, s:{s:I, s:I}, s:s, s:i}", "policy", days,
	    "classes", classes, "held", "reports", (json_int_t)held_r,
	    "advisories", (json_int_t)held_a, "audit", "kept",
	    "batch", SVC_PURGE_BATCH);
	return svc_audit(c, "retention.read", NULL, NULL, false) == CS_OK ?
	    CS_OK : cs_fail(e, CS_ESTORE, "", "audit failed");
}

enum cs_err
svc_retention_purge(struct svc_ctx *c, int cls, int limit, int64_t *n,
    struct cs_error *e)
{
	int64_t cut, *ids = NULL;
	size_t nids = 0;
	json_t *list;
	enum cs_err rc;

	*n = 0;
	if (cls < 0 || cls >= RET__COUNT)
		return cs_fail(e, CS_EINVAL, "class", "no such class");
	if ((cut = retention_cutoff(&c->cfg->retention, (enum cs_ret_class)cls,
	    c->now_us)) == 0)
		return CS_OK;
	if ((rc = store_retention_due(c->st, cls, cut, limit, NOTIF_PENDING,
	    &ids, &nids)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	list = json_array();
	for (size_t i = 0; i < nids; i++) {
		switch (cls) {
		case RET_REPORTS:
			rc = store_retention_purge_report(c->st, ids[i],
			    STORE_ITEM_REPORT, STORE_NOTE_FORWARD);
			break;
		case RET_ADVISORIES:
			rc = store_retention_purge_advisory(c->st, ids[i],
			    STORE_ITEM_ADVISORY, STORE_NOTE_RELAY,
			    STORE_NOTE_RETURN);
			break;
		default:
			rc = store_retention_purge_row(c->st, cls, ids[i]);
			break;
		}
		if (rc != CS_OK)
			break;
		json_array_append_new(list, json_integer(ids[i]));
	}
	free(ids);
	if (rc != CS_OK) {
		json_decref(list);
		return cs_fail(e, rc, "", "purge failed");
	}
	*n = (int64_t)nids;
	if (nids == 0) {
		json_decref(list);
		return CS_OK;
	}
	return svc_audit(c, "retention.purge", retention_class_id(cls),
	    json_pack("{s:s, s:o, s:I, s:o}", "class", retention_class_id(cls),
	    "ids", list, "days", (json_int_t)c->cfg->retention.days[cls],
	    "cutoff", svc_time(cut)), false) == CS_OK ? CS_OK :
	    cs_fail(e, CS_ESTORE, "", "audit failed");
}
