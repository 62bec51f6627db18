/*
 * inquiry.c: inquiries (問合せ) about an advisory and the questions that
 * reach NISC through a ministry (svc_inquiry.h; rules: core/inquiry.c).
 *
 * An inquiry is a ministry's, addressed to NISC; NISC reads them all, a
 * ministry its own.  A question is an operator's (or CEPTOAR
 * secretariat's), addressed to the ministry that received the advisory
 * for one of the asker's sectors; only the two of them read it.  The
 * ministry answers it or forwards it (reworded if it likes) as its own
 * inquiry, so NISC never learns who asked; NISC's answer is then shown on
 * the question too.  Each step is audited and notifies the other side
 * (an inbox event and the channels, kinds "inquiry" and "answer").
 */
#include <stdlib.h>
#include <string.h>

#include "svc/svc_inquiry.h"

/* An inbox event and notifications for org about advisory adv. */
static enum cs_err
tell(struct svc_ctx *c, int64_t org, int64_t adv, const char *kind,
    struct cs_error *e)
{
	struct store_event ev;
	enum cs_err rc;

	memset(&ev, 0, sizeof(ev));
	ev.org = org;
	ev.advisory = adv;
	(void)cs_strlcpy(ev.kind, kind, sizeof(ev.kind));
	ev.at_us = c->now_us;
	if ((rc = store_event_add(c->st, &ev)) != CS_OK ||
	    (rc = svc_notify_enqueue(c, adv, org, kind)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	c->events = true;
	return CS_OK;
}

/* Every NISC organisation hears of a new inquiry. */
static enum cs_err
tell_nisc(struct svc_ctx *c, int64_t adv, struct cs_error *e)
{
	struct store_org *o = NULL;
	size_t n = 0;
	enum cs_err rc;

	if ((rc = store_org_find(c->st, ORG_NISC, 0, &o, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	for (size_t i = 0; i < n && rc == CS_OK; i++)
		rc = tell(c, o[i].id, adv, "inquiry", e);
	store_orgs_free(o, n);
	return rc;
}

static json_t *
org_name(struct svc_ctx *c, int64_t id)
{
	struct store_org o;
	json_t *j;

	if (store_org_get(c->st, id, &o) != CS_OK)
		return json_null();
	j = json_string(o.name ? o.name : "");
	store_org_fini(&o);
	return j;
}

static json_t *
inquiry_json(struct svc_ctx *c, const struct store_inquiry *q)
{
	return json_pack("{s:I, s:I, s:I, s:o, s:s, s:o, s:o, s:o, s:o, s:s}",
	    "id", (json_int_t)q->id, "advisory", (json_int_t)q->advisory,
	    "org", (json_int_t)q->org, "org_name", org_name(c, q->org),
	    "text", q->text ? q->text : "",
	    "question", q->question ? json_integer(q->question) : json_null(),
	    "created_at", svc_time(q->created_us),
	    "answer", q->answer ? json_string(q->answer) : json_null(),
	    "answered_at", svc_time(q->answered_us),
	    "state", q->answered_us ? "answered" : "open");
}

static enum cs_err
load_inquiry(struct svc_ctx *c, int64_t id, struct store_inquiry *q,
    struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = store_inquiry_get(c->st, id, q)) != CS_OK)
		return svc_load_failed(rc, "inquiry", e);
	if (!policy_inquiry_may_read(&c->who, q->org)) {
		store_inquiry_fini(q);
		return cs_fail(e, CS_ENOENT, "", "no such inquiry");
	}
	return CS_OK;
}

static enum cs_err
inquiry_add(struct svc_ctx *c, int64_t adv, const char *text, int64_t question,
    int64_t *id, struct cs_error *e)
{
	struct store_inquiry q;
	enum cs_err rc;

	memset(&q, 0, sizeof(q));
	q.advisory = adv;
	q.org = c->who.org_id;
	q.user = c->who.user_id;
	q.text = (char *)text;	/* borrowed for the insert */
	q.question = question;
	q.created_us = c->now_us;
	if ((rc = store_inquiry_insert(c->st, &q)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*id = q.id;
	if ((rc = svc_audit_op(c, "inquiry.send", "advisory", adv,
	    json_pack("{s:I, s:o}", "inquiry", (json_int_t)q.id, "question",
	    question ? json_integer(question) : json_null()), false, e)) != CS_OK)
		return rc;
	return tell_nisc(c, adv, e);
}

enum cs_err
svc_inquiry_send(struct svc_ctx *c, const struct svc_adv *x, const char *text,
    int64_t *id, struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = policy_inquiry_may_send(&c->who, &x->acl, e)) != CS_OK)
		return rc;
	return inquiry_add(c, x->a.id, text, 0, id, e);
}

enum cs_err
svc_inquiry_list(struct svc_ctx *c, const struct svc_adv *x, json_t **out,
    struct cs_error *e)
{
	struct store_inquiry *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	*out = NULL;
	if ((rc = store_inquiry_list(c->st, x->a.id, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*out = json_array();
	for (size_t i = 0; i < n; i++)
		if (policy_inquiry_may_read(&c->who, v[i].org))
			json_array_append_new(*out, inquiry_json(c, &v[i]));
	store_inquiries_free(v, n);
	return svc_audit_op(c, "inquiry.list", "advisory", x->a.id,
	    json_pack("{s:I}", "shown", (json_int_t)json_array_size(*out)), false,
	    e);
}

enum cs_err
svc_inquiry_visible(struct svc_ctx *c, int64_t id, struct cs_error *e)
{
	struct store_inquiry q;
	enum cs_err rc;

	if ((rc = load_inquiry(c, id, &q, e)) == CS_OK)
		store_inquiry_fini(&q);
	return rc;
}

enum cs_err
svc_inquiry_answer(struct svc_ctx *c, int64_t id, const char *text,
    json_t **out, struct cs_error *e)
{
	struct store_inquiry q;
	struct store_question qs;
	enum cs_err rc;

	*out = NULL;
	if ((rc = load_inquiry(c, id, &q, e)) != CS_OK)
		return rc;
	if (!policy_inquiry_may_answer(&c->who)) {
		rc = cs_fail(e, CS_EPERM, "", "NISC analysts answer inquiries");
		goto out;
	}
	rc = store_inquiry_answer(c->st, id, text, c->who.user_id, c->now_us);
	if (rc == CS_ENOENT) {
		rc = cs_fail(e, CS_ECONFLICT, "", "the inquiry is answered already");
		goto out;
	}
	if (rc != CS_OK) {
		rc = cs_fail(e, rc, "", "store error");
		goto out;
	}
	if ((rc = svc_audit_op(c, "inquiry.answer", "advisory", q.advisory,
	    json_pack("{s:I}", "inquiry", (json_int_t)id), false, e)) != CS_OK ||
	    (rc = tell(c, q.org, q.advisory, "answer", e)) != CS_OK)
		goto out;
	/* A forwarded question's asker hears of the answer too. */
	if (q.question != 0 && store_question_get(c->st, q.question, &qs) == CS_OK) {
		rc = tell(c, qs.org, q.advisory, "answer", e);
		store_question_fini(&qs);
		if (rc != CS_OK)
			goto out;
	}
	store_inquiry_fini(&q);
	if ((rc = store_inquiry_get(c->st, id, &q)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*out = inquiry_json(c, &q);
out:
	store_inquiry_fini(&q);
	return rc;
}

/* ---- questions to a ministry ------------------------------------------------ */

static json_t *
question_json(struct svc_ctx *c, const struct store_question *q)
{
	struct store_inquiry iq;
	const char *state = "open", *by = NULL;
	json_t *answer = json_null(), *at = json_null(), *j;

	if (q->answered_us) {
		state = "answered";
		by = "ministry";
		json_decref(answer);
		json_decref(at);
		answer = json_string(q->answer ? q->answer : "");
		at = svc_time(q->answered_us);
	} else if (q->inquiry) {
		state = "forwarded";
		if (store_inquiry_get(c->st, q->inquiry, &iq) == CS_OK) {
			if (iq.answered_us) {
				state = "answered";
				by = "nisc";
				json_decref(answer);
				json_decref(at);
				answer = json_string(iq.answer ? iq.answer : "");
				at = svc_time(iq.answered_us);
			}
			store_inquiry_fini(&iq);
		}
	}
	j = json_pack("{s:I, s:I, s:I, s:o, s:I, s:o, s:s, s:o, s:s, s:o, s:o, s:o}",
	    "id", (json_int_t)q->id, "advisory", (json_int_t)q->advisory,
	    "org", (json_int_t)q->org, "org_name", org_name(c, q->org),
	    "ministry", (json_int_t)q->ministry,
	    "ministry_name", org_name(c, q->ministry),
	    "text", q->text ? q->text : "",
	    "created_at", svc_time(q->created_us), "state", state,
	    "inquiry", q->inquiry ? json_integer(q->inquiry) : json_null(),
	    "answer", answer, "answered_at", at);
	json_object_set_new(j, "answered_by", by ? json_string(by) : json_null());
	return j;
}

static enum cs_err
load_question(struct svc_ctx *c, int64_t id, struct store_question *q,
    struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = store_question_get(c->st, id, q)) != CS_OK)
		return svc_load_failed(rc, "question", e);
	if (!policy_question_may_read(&c->who, q->org, q->ministry)) {
		store_question_fini(q);
		return cs_fail(e, CS_ENOENT, "", "no such question");
	}
	return CS_OK;
}

enum cs_err
svc_question_ask(struct svc_ctx *c, const struct svc_adv *x, const char *text,
    int64_t *id, struct cs_error *e)
{
	struct cs_org_ref *m;
	struct store_question q;
	size_t nm = 0;
	int64_t ministry;
	enum cs_err rc;

	if ((rc = policy_question_may_ask(&c->who, &x->acl, e)) != CS_OK)
		return rc;
	/* The ministries that received it, in delivery order. */
	m = xcalloc(x->nd + 1, sizeof(*m));
	for (size_t i = 0; i < x->nd; i++) {
		struct store_org o;

		if (store_org_get(c->st, x->d[i].org, &o) != CS_OK)
			continue;
		if (o.type == ORG_CI_MINISTRY)
			svc_org_ref(&o, &m[nm++]);
		store_org_fini(&o);
	}
	ministry = core_question_ministry(c->who.org_sectors, m, nm);
	free(m);
	if (ministry == 0)
		return cs_fail(e, CS_ECONFLICT, "", "no ministry of your sectors "
		    "received this advisory");
	memset(&q, 0, sizeof(q));
	q.advisory = x->a.id;
	q.org = c->who.org_id;
	q.user = c->who.user_id;
	q.ministry = ministry;
	q.text = (char *)text;
	q.created_us = c->now_us;
	if ((rc = store_question_insert(c->st, &q)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*id = q.id;
	if ((rc = svc_audit_op(c, "question.ask", "advisory", x->a.id,
	    json_pack("{s:I, s:I}", "question", (json_int_t)q.id, "ministry",
	    (json_int_t)ministry), false, e)) != CS_OK)
		return rc;
	return tell(c, ministry, x->a.id, "inquiry", e);
}

enum cs_err
svc_question_list(struct svc_ctx *c, const struct svc_adv *x, json_t **out,
    struct cs_error *e)
{
	struct store_question *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	*out = NULL;
	if ((rc = store_question_list(c->st, x->a.id, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*out = json_array();
	for (size_t i = 0; i < n; i++)
		if (policy_question_may_read(&c->who, v[i].org, v[i].ministry))
			json_array_append_new(*out, question_json(c, &v[i]));
	store_questions_free(v, n);
	return svc_audit_op(c, "question.list", "advisory", x->a.id,
	    json_pack("{s:I}", "shown", (json_int_t)json_array_size(*out)), false,
	    e);
}

enum cs_err
svc_question_visible(struct svc_ctx *c, int64_t id, struct cs_error *e)
{
	struct store_question q;
	enum cs_err rc;

	if ((rc = load_question(c, id, &q, e)) == CS_OK)
		store_question_fini(&q);
	return rc;
}

/* Load question id for its ministry's liaison, still open. */
static enum cs_err
load_handled(struct svc_ctx *c, int64_t id, struct store_question *q,
    struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = load_question(c, id, q, e)) != CS_OK)
		return rc;
	if (!policy_question_may_handle(&c->who, q->ministry))
		rc = cs_fail(e, CS_EPERM, "", "a ministry's liaison answers or "
		    "forwards the questions addressed to it");
	else if (q->inquiry != 0 || q->answered_us != 0)
		rc = cs_fail(e, CS_ECONFLICT, "", "the question is answered or "
		    "forwarded already");
	if (rc != CS_OK)
		store_question_fini(q);
	return rc;
}

enum cs_err
svc_question_forward(struct svc_ctx *c, int64_t id, const char *text,
    int64_t *inquiry, struct cs_error *e)
{
	struct store_question q;
	struct svc_adv x;
	enum cs_err rc;

	if ((rc = load_handled(c, id, &q, e)) != CS_OK)
		return rc;
	if ((rc = svc_adv_load(c, q.advisory, &x, e)) != CS_OK)
		goto out;
	if ((rc = policy_inquiry_may_send(&c->who, &x.acl, e)) == CS_OK &&
	    (rc = inquiry_add(c, q.advisory, text ? text : q.text, q.id, inquiry,
	    e)) == CS_OK) {
		if ((rc = store_question_forwarded(c->st, q.id, *inquiry)) != CS_OK)
			rc = cs_fail(e, rc == CS_ENOENT ? CS_ECONFLICT : rc, "",
			    "the question is answered or forwarded already");
		else
			rc = svc_audit_op(c, "question.forward", "advisory",
			    q.advisory, json_pack("{s:I, s:I}", "question",
			    (json_int_t)q.id, "inquiry", (json_int_t)*inquiry),
			    false, e);
	}
	svc_adv_fini(&x);
out:
	store_question_fini(&q);
	return rc;
}

enum cs_err
svc_question_answer(struct svc_ctx *c, int64_t id, const char *text,
    json_t **out, struct cs_error *e)
{
	struct store_question q;
	enum cs_err rc;

	*out = NULL;
	if ((rc = load_handled(c, id, &q, e)) != CS_OK)
		return rc;
	rc = store_question_answer(c->st, id, text, c->who.user_id, c->now_us);
	if (rc != CS_OK)
		rc = cs_fail(e, rc == CS_ENOENT ? CS_ECONFLICT : rc, "",
		    "the question is answered or forwarded already");
	else if ((rc = svc_audit_op(c, "question.answer", "advisory", q.advisory,
	    json_pack("{s:I}", "question", (json_int_t)id), false, e)) == CS_OK &&
	    (rc = tell(c, q.org, q.advisory, "answer", e)) == CS_OK) {
		store_question_fini(&q);
		if ((rc = store_question_get(c->st, id, &q)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
		*out = question_json(c, &q);
	}
	store_question_fini(&q);
	return rc;
}
