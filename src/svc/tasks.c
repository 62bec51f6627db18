/*
 * tasks.c: a user's to-do list (GET /tasks; issue 15 item 4) and NISC's
 * handling state of received reports (未処理/担当/処理済).
 *
 * The list is computed on each call from what already records the work:
 * reports at the caller's hop (a CEPTOAR secretariat or ministry forwards
 * them), NISC's received reports not done (unassigned or assigned to the
 * caller), widening requests the caller answers for, advisories waiting
 * for the caller's approval, source review, relay or acknowledgement
 * (overdue ones flagged), the inquiries NISC has not answered and the
 * questions a ministry has neither answered nor forwarded.  Each item is
 * something the caller may read and act on, with a link for the web UI;
 * labels are R-/T-numbers, never internal ids.  Drill items never appear.
 */
#include <stdlib.h>
#include <string.h>

#include "svc/svc_inquiry.h"
#include "svc/svc_widening.h"

#define TASKS_PER_KIND	100
#define DEFAULT_DUE_US	(24LL * 3600 * 1000000)	/* an ack is overdue after a day */

static bool
has(const struct svc_ctx *c, unsigned roles)
{
	return (c->who.roles & roles) != 0;
}

static void
add(json_t *items, const char *kind, const char *item, int64_t id,
    const char *label, const char *link, int64_t since_us)
{
	json_array_append_new(items, json_pack("{s:s, s:s, s:I, s:s, s:s, s:o}",
	    "kind", kind, "item", item, "id", (json_int_t)id, "label", label,
	    "link", link, "since", svc_time(since_us)));
}

static void
report_label(const struct store_report *r, char *out, size_t sz)
{
	/* "" before NISC numbers it: the UI says 未採番. */
	core_report_ident(r->r_number, 1, out, sz);
}

/* Reports at the caller's hop, waiting for its forward. */
static enum cs_err
forwards(struct svc_ctx *c, json_t *items, enum cs_state state)
{
	struct store_task_row *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	if ((rc = store_task_query(c->st, TASKQ_AT_HOP, c->who.org_id, state, 0,
	    TASKS_PER_KIND, &v, &n)) != CS_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct svc_report x;
		struct cs_error le;
		char label[40], link[48];

		if (svc_report_load_visible(c, v[i].a, 0, &x, &le) != CS_OK)
			continue;
		report_label(&x.r, label, sizeof(label));
		cs_fmt(link, sizeof(link), "/reports/%lld", (long long)x.r.id);
		add(items, "report_forward", "report", x.r.id, label, link,
		    x.r.updated_us);
		svc_report_fini(&x);
	}
	store_task_rows_free(v, n);
	return CS_OK;
}

/* NISC: received reports not done, unassigned or assigned to the caller. */
static enum cs_err
triage(struct svc_ctx *c, json_t *items)
{
	struct store_task_row *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	if ((rc = store_task_query(c->st, TASKQ_NISC_OPEN, ST_AT_NISC,
	    TRIAGE_DONE, 0, TASKS_PER_KIND, &v, &n)) != CS_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct svc_report x;
		struct cs_error le;
		char label[40], link[48];
		json_t *last;

		if (v[i].b == TRIAGE_ASSIGNED && v[i].c != c->who.user_id)
			continue;
		if (svc_report_load_visible(c, v[i].a, 0, &x, &le) != CS_OK)
			continue;
		report_label(&x.r, label, sizeof(label));
		cs_fmt(link, sizeof(link), "/reports/%lld", (long long)x.r.id);
		add(items, "report_triage", "report", x.r.id, label, link,
		    x.r.updated_us);
		last = json_array_get(items, json_array_size(items) - 1);
		json_object_set_new(last, "state",
		    json_string(core_triage_id((enum cs_triage)v[i].b)));
		svc_report_fini(&x);
	}
	store_task_rows_free(v, n);
	return CS_OK;
}

/* Widening requests (scope consent) the caller answers for. */
static enum cs_err
consents(struct svc_ctx *c, json_t *items)
{
	struct store_task_row *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	if ((rc = store_task_query(c->st, TASKQ_WIDEN, WIDEN_PENDING, 0, 0, 500,
	    &v, &n)) != CS_OK)
		return rc;
	for (size_t i = 0, k = 0; i < n && k < TASKS_PER_KIND; i++) {
		struct svc_report x;
		struct cs_error le;
		char label[40];

		if (svc_report_load(c, v[i].b, 0, &x, &le) != CS_OK)
			continue;
		if (svc_widening_answers(c, &x.acl)) {
			report_label(&x.r, label, sizeof(label));
			add(items, "consent", "widening", v[i].a, label,
			    "/inbox", v[i].c);
			json_object_set_new(json_array_get(items,
			    json_array_size(items) - 1), "report",
			    json_integer(x.r.id));
			k++;
		}
		svc_report_fini(&x);
	}
	store_task_rows_free(v, n);
	return CS_OK;
}

static void
adv_item(json_t *items, const char *kind, const struct store_advisory *a,
    int64_t since)
{
	char label[40], link[48];

	core_advisory_ident(a->t_number, a->nversions, label, sizeof(label));
	cs_fmt(link, sizeof(link), "/advisories/%lld", (long long)a->id);
	add(items, kind, "advisory", a->id, label, link, since);
	json_object_set_new(json_array_get(items, json_array_size(items) - 1),
	    "importance", json_string(core_importance_id(a->importance)));
}

/* NISC approvers: advisories another user drafted, waiting for approval. */
static enum cs_err
approvals(struct svc_ctx *c, json_t *items)
{
	struct store_task_row *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	if ((rc = store_task_query(c->st, TASKQ_ADV_STATE, ADV_PENDING_APPROVAL,
	    0, 0, TASKS_PER_KIND, &v, &n)) != CS_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct store_advisory a;

		if (v[i].b == c->who.user_id ||
		    store_adv_get(c->st, v[i].a, &a) != CS_OK)
			continue;
		adv_item(items, "approval", &a, v[i].c);
	}
	store_task_rows_free(v, n);
	return CS_OK;
}

/* A CEPTOAR secretariat: source reviews pending for it. */
static enum cs_err
reviews(struct svc_ctx *c, json_t *items)
{
	struct store_task_row *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	if ((rc = store_task_query(c->st, TASKQ_REVIEWS, c->who.org_id,
	    REVIEW_PENDING, 0, TASKS_PER_KIND, &v, &n)) != CS_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct store_advisory a;

		if (store_adv_get(c->st, v[i].a, &a) != CS_OK)
			continue;
		adv_item(items, "source_review", &a, v[i].c);
	}
	store_task_rows_free(v, n);
	return CS_OK;
}

/* Deliveries to the caller's organisation: to relay, or to acknowledge. */
static enum cs_err
deliveries(struct svc_ctx *c, json_t *items, bool relay)
{
	struct store_task_row *v = NULL;
	size_t n = 0;
	int64_t due = c->cfg && c->cfg->reminder_us > 0 ? c->cfg->reminder_us :
	    DEFAULT_DUE_US;
	enum cs_err rc;

	rc = relay ? store_task_query(c->st, TASKQ_UNRELAYED, c->who.org_id,
	    ADV_ISSUED, TLP_RED, TASKS_PER_KIND, &v, &n) :
	    store_task_query(c->st, TASKQ_UNACKED, c->who.org_id, ADV_ISSUED, 0,
	    TASKS_PER_KIND, &v, &n);
	if (rc != CS_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct svc_adv x;
		struct cs_error le;
		const char *kind = relay ? "relay" : v[i].b < c->now_us - due ?
		    "ack_overdue" : "ack";

		if (svc_adv_load_for(c, v[i].a, c->who.org_id, NULL, &x,
		    &le) != CS_OK)
			continue;
		if (policy_advisory_may_read(&c->who, &x.acl))
			adv_item(items, kind, &x.a, v[i].b);
		svc_adv_fini(&x);
	}
	store_task_rows_free(v, n);
	return CS_OK;
}

/* NISC: advisories some recipients have not acknowledged in time. */
static enum cs_err
overdue(struct svc_ctx *c, json_t *items)
{
	struct store_task_row *v = NULL;
	size_t n = 0;
	int64_t due = c->cfg && c->cfg->reminder_us > 0 ? c->cfg->reminder_us :
	    DEFAULT_DUE_US;
	enum cs_err rc;

	if ((rc = store_task_query(c->st, TASKQ_OVERDUE, c->now_us - due,
	    ADV_ISSUED, 0, TASKS_PER_KIND, &v, &n)) != CS_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct store_advisory a;

		if (store_adv_get(c->st, v[i].a, &a) != CS_OK)
			continue;
		adv_item(items, "acks_overdue", &a, v[i].c);
		json_object_set_new(json_array_get(items, json_array_size(items) -
		    1), "count", json_integer(v[i].b));
	}
	store_task_rows_free(v, n);
	return CS_OK;
}

/* NISC: inquiries without an answer. */
static enum cs_err
inquiries(struct svc_ctx *c, json_t *items)
{
	struct store_inquiry *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	if ((rc = store_inquiry_open(c->st, TASKS_PER_KIND, &v, &n)) != CS_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct store_advisory a;
		char label[40], link[48];

		if (store_adv_get(c->st, v[i].advisory, &a) != CS_OK)
			continue;
		core_advisory_ident(a.t_number, a.nversions, label, sizeof(label));
		cs_fmt(link, sizeof(link), "/advisories/%lld",
		    (long long)a.id);
		add(items, "inquiry", "inquiry", v[i].id, label, link,
		    v[i].created_us);
		json_object_set_new(json_array_get(items, json_array_size(items) -
		    1), "advisory", json_integer(a.id));
	}
	store_inquiries_free(v, n);
	return CS_OK;
}

/* A ministry: questions neither answered nor forwarded. */
static enum cs_err
questions(struct svc_ctx *c, json_t *items)
{
	struct store_question *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	if ((rc = store_question_open(c->st, c->who.org_id, TASKS_PER_KIND, &v,
	    &n)) != CS_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct store_advisory a;
		char label[40], link[48];

		if (store_adv_get(c->st, v[i].advisory, &a) != CS_OK)
			continue;
		core_advisory_ident(a.t_number, a.nversions, label, sizeof(label));
		cs_fmt(link, sizeof(link), "/advisories/%lld",
		    (long long)a.id);
		add(items, "question", "question", v[i].id, label, link,
		    v[i].created_us);
		json_object_set_new(json_array_get(items, json_array_size(items) -
		    1), "advisory", json_integer(a.id));
	}
	store_questions_free(v, n);
	return CS_OK;
}

enum cs_err
svc_tasks(struct svc_ctx *c, json_t **out, struct cs_error *e)
{
	json_t *items = json_array();
	enum cs_org_type t = c->who.org_type;
	enum cs_err rc = CS_OK;

	*out = NULL;
	if (t == ORG_CEPTOAR_SEC && has(c, ROLE_MEMBER | ROLE_POC |
	    ROLE_ORG_ADMIN | ROLE_LIAISON)) {
		if ((rc = forwards(c, items, ST_AT_CEPTOAR)) == CS_OK &&
		    (rc = consents(c, items)) == CS_OK &&
		    (rc = reviews(c, items)) == CS_OK && has(c, ROLE_POC |
		    ROLE_ORG_ADMIN))
			rc = deliveries(c, items, true);
	} else if (t == ORG_CI_MINISTRY && has(c, ROLE_LIAISON)) {
		if ((rc = forwards(c, items, ST_AT_MINISTRY)) == CS_OK &&
		    (rc = questions(c, items)) == CS_OK)
			rc = deliveries(c, items, true);
	} else if (t == ORG_CI_OPERATOR && has(c, ROLE_MEMBER | ROLE_POC |
	    ROLE_ORG_ADMIN | ROLE_LIAISON)) {
		rc = consents(c, items);
	} else if (t == ORG_NISC && has(c, ROLE_ANALYST | ROLE_APPROVER)) {
		if ((rc = triage(c, items)) == CS_OK &&
		    (rc = inquiries(c, items)) == CS_OK &&
		    (rc = overdue(c, items)) == CS_OK && has(c, ROLE_APPROVER))
			rc = approvals(c, items);
	}
	if (rc == CS_OK && t != ORG_NISC && t != ORG_PLATFORM && c->who.org_id)
		rc = deliveries(c, items, false);
	if (rc != CS_OK) {
		json_decref(items);
		return cs_fail(e, rc, "", "store error");
	}
	*out = json_pack("{s:I, s:o}", "count", (json_int_t)json_array_size(items),
	    "items", items);
	/* The list names items the caller reads: audited as a read, by count. */
	if (svc_audit(c, "tasks.read", NULL, json_pack("{s:I}", "count",
	    (json_int_t)json_array_size(items)), false) != CS_OK) {
		json_decref(*out);
		*out = NULL;
		return cs_fail(e, CS_ESTORE, "", "audit failed");
	}
	return CS_OK;
}

/* ---- NISC's handling state ----------------------------------------------- */

static json_t *
triage_json(struct svc_ctx *c, const struct store_triage *t, int64_t r_number)
{
	struct store_user u;
	char label[40];
	json_t *name = json_null();

	if (t->assignee && store_user_get(c->st, t->assignee, &u) == CS_OK) {
		json_decref(name);
		name = json_string(u.display_name && u.display_name[0] ?
		    u.display_name : u.login ? u.login : "");
		store_user_fini(&u);
	}
	core_report_ident(r_number, 1, label, sizeof(label));
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o}",
	    "report", (json_int_t)t->report, "identification_number", label,
	    "state", core_triage_id((enum cs_triage)t->state),
	    "assignee", t->assignee ? json_integer(t->assignee) : json_null(),
	    "assignee_name", name, "updated_at", svc_time(t->updated_us));
}

enum cs_err
svc_triage_set(struct svc_ctx *c, int64_t report, enum cs_triage st,
    json_t **out, struct cs_error *e)
{
	struct svc_report x;
	struct store_triage t;
	enum cs_err rc;

	*out = NULL;
	if ((rc = svc_report_load_visible(c, report, 0, &x, e)) != CS_OK)
		return rc;
	if (x.r.state != ST_AT_NISC) {
		rc = cs_fail(e, CS_ECONFLICT, "", "the report has not reached NISC");
		goto out;
	}
	memset(&t, 0, sizeof(t));
	t.report = report;
	t.state = st;
	t.assignee = st == TRIAGE_OPEN ? 0 : c->who.user_id;
	t.by_user = c->who.user_id;
	t.updated_us = c->now_us;
	if ((rc = store_triage_set(c->st, &t)) != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	if ((rc = svc_audit_op(c, "report.triage", "report", report,
	    json_pack("{s:s}", "state", core_triage_id(st)), false, e)) != CS_OK)
		goto out;
	*out = triage_json(c, &t, x.r.r_number);
out:
	svc_report_fini(&x);
	return rc;
}

enum cs_err
svc_triage_list(struct svc_ctx *c, json_t **out, struct cs_error *e)
{
	struct store_triage *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	*out = NULL;
	if ((rc = store_triage_list(c->st, 500, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*out = json_array();
	for (size_t i = 0; i < n; i++) {
		struct svc_report x;
		struct cs_error le;

		if (svc_report_load_visible(c, v[i].report, 0, &x, &le) != CS_OK)
			continue;
		json_array_append_new(*out, triage_json(c, &v[i], x.r.r_number));
		svc_report_fini(&x);
	}
	store_triages_free(v, n);
	return CS_OK;
}
