/*
 * exercise.c: cross-sector exercises (see svc_exercise.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/exercise.h"
#include "svc/svc_exercise.h"

/* A loaded exercise with its parsed participants and injects. */
struct ex {
	struct store_exercise	 x;
	json_t			*parts, *injects;
};

static void
ex_fini(struct ex *e)
{
	store_exercise_fini(&e->x);
	json_decref(e->parts);
	json_decref(e->injects);
	memset(e, 0, sizeof(*e));
}

static enum cs_err
ex_load(struct svc_ctx *c, int64_t id, struct ex *x, struct cs_error *e)
{
	enum cs_err rc;

	memset(x, 0, sizeof(*x));
	if ((rc = store_exercise_get(c->st, id, &x->x)) != CS_OK)
		return rc == CS_ENOENT ? cs_fail(e, rc, "", "no such exercise") :
		    cs_fail(e, rc, "", "store error");
	x->parts = json_loads(x->x.participants, 0, NULL);
	x->injects = json_loads(x->x.injects, 0, NULL);
	if (!json_is_array(x->parts) || !json_is_array(x->injects)) {
		ex_fini(x);
		return cs_fail(e, CS_EINTERNAL, "", "a corrupt exercise");
	}
	return CS_OK;
}

static bool
participant(const struct ex *x, int64_t org)
{
	json_t *v;
	size_t i;

	json_array_foreach(x->parts, i, v)
		if (json_integer_value(v) == org)
			return true;
	return false;
}

/* A loaded exercise the caller sees: NISC, or a participant (else 404). */
static enum cs_err
ex_load_visible(struct svc_ctx *c, int64_t id, struct ex *x, struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = ex_load(c, id, x, e)) != CS_OK)
		return rc;
	if (c->who.org_type != ORG_NISC && !participant(x, c->who.org_id)) {
		ex_fini(x);
		return cs_fail(e, CS_ENOENT, "", "no such exercise");
	}
	return CS_OK;
}

/* When inject i is released: the start plus at_s at the exercise's speed. */
static int64_t
release_us(const struct ex *x, json_t *inj)
{
	if (x->x.started_us == 0 || x->x.speed <= 0)
		return 0;
	return x->x.started_us + json_integer_value(json_object_get(inj, "at_s")) *
	    1000000 / x->x.speed;
}

/* Is inject inj addressed to organisations of type t? */
static bool
addressed(json_t *inj, enum cs_org_type t)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(inj, "to"), i, v)
		if (cs_streq(json_string_value(v), core_org_type_id(t)))
			return true;
	return false;
}

static json_t *
inject_json(const struct ex *x, size_t i, json_t *inj, int64_t now_us)
{
	int64_t r = release_us(x, inj);

	return json_pack("{s:I, s:O, s:O, s:O, s:O, s:o, s:b}", "id",
	    (json_int_t)(i + 1), "at_s", json_object_get(inj, "at_s"), "to",
	    json_object_get(inj, "to"), "title", json_object_get(inj, "title"),
	    "text", json_object_get(inj, "text"), "released_at", r ?
	    svc_time(r) : json_null(), "released", r != 0 && now_us >= r);
}

enum cs_err
svc_exercise_create(struct svc_ctx *c, json_t *body, int64_t *id,
    struct cs_error *e)
{
	struct store_exercise x;
	json_t *parts = json_object_get(body, "participants");
	json_t *inj = json_object_get(body, "injects"), *v;
	char path[48];
	size_t i;
	enum cs_err rc;

	memset(&x, 0, sizeof(x));
	/* The shape first (core/exercise.c), then the participants exist. */
	if ((rc = core_exercise_check(body, e)) != CS_OK)
		return rc;
	json_array_foreach(parts, i, v) {
		struct store_org o;

		cs_fmt(path, sizeof(path), "participants.%zu", i);
		if (store_org_get(c->st, json_integer_value(v), &o) != CS_OK)
			return cs_fail(e, CS_EINVAL, path, "no such organisation");
		store_org_fini(&o);
	}
	x.name = (char *)json_string_value(json_object_get(body, "name"));
	x.participants = json_dumps(parts, JSON_COMPACT);
	x.injects = json_dumps(inj, JSON_COMPACT);
	x.by_org = c->who.org_id;
	x.by_user = c->who.user_id;
	x.created_us = c->now_us;
	rc = store_exercise_insert(c->st, &x);
	free(x.participants);
	free(x.injects);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*id = x.id;
	return svc_audit(c, "exercise.create", NULL, json_pack("{s:I}", "exercise",
	    (json_int_t)x.id), false) == CS_OK ? CS_OK :
	    cs_fail(e, CS_ESTORE, "", "audit failed");
}

enum cs_err
svc_exercise_start(struct svc_ctx *c, int64_t id, json_t *body,
    struct cs_error *e)
{
	json_t *sp = json_object_get(body, "speed");
	struct ex x;
	int speed = 1;
	enum cs_err rc;

	if (sp != NULL && !json_is_null(sp)) {
		if (!json_is_integer(sp) || json_integer_value(sp) < 1 ||
		    json_integer_value(sp) > 60)
			return cs_fail(e, CS_EINVAL, "speed", "1 (real time) to 60");
		speed = (int)json_integer_value(sp);
	}
	if ((rc = ex_load(c, id, &x, e)) != CS_OK)
		return rc;
	ex_fini(&x);
	if ((rc = store_exercise_start(c->st, id, speed, c->now_us)) != CS_OK)
		return cs_fail(e, rc == CS_ENOENT ? CS_ECONFLICT : rc, "",
		    "the exercise runs already");
	return svc_audit(c, "exercise.start", NULL, json_pack("{s:I, s:i}",
	    "exercise", (json_int_t)id, "speed", speed), false) == CS_OK ? CS_OK :
	    cs_fail(e, CS_ESTORE, "", "audit failed");
}

static json_t *
ex_json(const struct ex *x)
{
	return json_pack("{s:I, s:s, s:O, s:i, s:o, s:I}", "id",
	    (json_int_t)x->x.id, "name", x->x.name != NULL ? x->x.name : "",
	    "participants", x->parts, "speed", x->x.speed, "started_at",
	    x->x.started_us ? svc_time(x->x.started_us) : json_null(),
	    "injects_total", (json_int_t)json_array_size(x->injects));
}

enum cs_err
svc_exercise_get(struct svc_ctx *c, int64_t id, json_t **out,
    struct cs_error *e)
{
	struct store_exercise_note *r = NULL;
	struct ex x;
	json_t *inj, *v;
	size_t i, nr = 0;
	enum cs_err rc;

	if ((rc = ex_load_visible(c, id, &x, e)) != CS_OK)
		return rc;
	*out = ex_json(&x);
	if (c->who.org_type == ORG_NISC) {
		/* The facilitator view: every inject, its release, who answered. */
		if (store_exercise_notes(c->st, id, false, &r, &nr) != CS_OK)
			nr = 0;
		inj = json_array();
		json_array_foreach(x.injects, i, v) {
			json_t *j = inject_json(&x, i, v, c->now_us), *ans = json_array();

			for (size_t k = 0; k < nr; k++)
				if (r[k].inject == (int)i + 1)
					json_array_append_new(ans, json_pack("{s:I, s:s, s:o}",
					    "org", (json_int_t)r[k].org, "text", r[k].text,
					    "at", svc_time(r[k].at_us)));
			json_object_set_new(j, "responses", ans);
			json_array_append_new(inj, j);
		}
		json_object_set_new(*out, "injects", inj);
		store_exercise_notes_free(r, nr);
	}
	ex_fini(&x);
	return CS_OK;
}

enum cs_err
svc_exercise_list(struct svc_ctx *c, json_t **items, struct cs_error *e)
{
	struct store_exercise *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	if ((rc = store_exercise_list(c->st, 500, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*items = json_array();
	for (size_t i = 0; i < n; i++) {
		struct ex x;

		memset(&x, 0, sizeof(x));
		x.x = v[i];
		x.parts = json_loads(v[i].participants, 0, NULL);
		x.injects = json_loads(v[i].injects, 0, NULL);
		if (json_is_array(x.parts) && json_is_array(x.injects) &&
		    (c->who.org_type == ORG_NISC || participant(&x, c->who.org_id)))
			json_array_append_new(*items, ex_json(&x));
		json_decref(x.parts);
		json_decref(x.injects);
	}
	store_exercises_free(v, n);
	return CS_OK;
}

enum cs_err
svc_exercise_injects(struct svc_ctx *c, int64_t id, json_t **out,
    struct cs_error *e)
{
	struct ex x;
	json_t *v;
	size_t i;
	enum cs_err rc;

	if ((rc = ex_load_visible(c, id, &x, e)) != CS_OK)
		return rc;
	*out = json_pack("{s:o, s:[]}", "exercise", ex_json(&x), "injects");
	json_array_foreach(x.injects, i, v) {
		int64_t r = release_us(&x, v);

		if (r == 0 || c->now_us < r || (c->who.org_type != ORG_NISC &&
		    !addressed(v, c->who.org_type)))
			continue;
		json_array_append_new(json_object_get(*out, "injects"),
		    inject_json(&x, i, v, c->now_us));
	}
	ex_fini(&x);
	return CS_OK;
}

enum cs_err
svc_exercise_note(struct svc_ctx *c, int64_t id, int n, json_t *body,
    int64_t *note, struct cs_error *e)
{
	struct store_exercise_note nt;
	struct ex x;
	json_t *inj;
	enum cs_err rc;

	if ((rc = ex_load_visible(c, id, &x, e)) != CS_OK)
		return rc;
	if (!participant(&x, c->who.org_id)) {
		ex_fini(&x);
		return cs_fail(e, CS_EPERM, "", "only participants answer");
	}
	if (n > 0) {
		inj = json_array_get(x.injects, (size_t)n - 1);
		if (inj == NULL || !addressed(inj, c->who.org_type)) {
			ex_fini(&x);
			return cs_fail(e, CS_ENOENT, "", "no such inject");
		}
		if (release_us(&x, inj) == 0 || c->now_us < release_us(&x, inj)) {
			ex_fini(&x);
			return cs_fail(e, CS_ECONFLICT, "", "the inject is not "
			    "released yet");
		}
	}
	ex_fini(&x);
	if ((rc = core_check_string(json_object_get(body, "text"), CS_MAX_TEXT,
	    "text", e)) != CS_OK)
		return rc;
	if (json_string_length(json_object_get(body, "text")) == 0)
		return cs_fail(e, CS_EINVAL, "text", "required field is missing");
	memset(&nt, 0, sizeof(nt));
	nt.exercise = id;
	nt.inject = n;
	nt.org = c->who.org_id;
	nt.user = c->who.user_id;
	nt.text = (char *)json_string_value(json_object_get(body, "text"));
	nt.at_us = c->now_us;
	if ((rc = store_exercise_note_add(c->st, &nt)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*note = nt.id;
	return svc_audit(c, n > 0 ? "exercise.respond" : "exercise.issue", NULL,
	    json_pack("{s:I, s:i}", "exercise", (json_int_t)id, "inject", n),
	    false) == CS_OK ? CS_OK : cs_fail(e, CS_ESTORE, "", "audit failed");
}

enum cs_err
svc_exercise_after_action(struct svc_ctx *c, int64_t id, json_t **out,
    struct cs_error *e)
{
	struct store_exercise_note *r = NULL, *is = NULL;
	size_t nr = 0, ni = 0, i;
	struct ex x;
	json_t *per, *p, *inj;
	enum cs_err rc;

	if ((rc = ex_load(c, id, &x, e)) != CS_OK)
		return rc;
	if ((rc = store_exercise_notes(c->st, id, false, &r, &nr)) != CS_OK ||
	    (rc = store_exercise_notes(c->st, id, true, &is, &ni)) != CS_OK) {
		store_exercise_notes_free(r, nr);
		ex_fini(&x);
		return cs_fail(e, rc, "", "store error");
	}
	per = json_array();
	json_array_foreach(x.parts, i, p) {
		int64_t org = json_integer_value(p);
		struct store_org o;
		enum cs_org_type t = ORG_PLATFORM;
		json_t *resp = json_array(), *open = json_array(), *iss = json_array();
		size_t k;

		if (store_org_get(c->st, org, &o) == CS_OK) {
			t = o.type;
			store_org_fini(&o);
		}
		json_array_foreach(x.injects, k, inj) {
			int64_t rel = release_us(&x, inj);
			bool answered = false;

			if (!addressed(inj, t))
				continue;
			for (size_t m = 0; m < nr; m++) {
				if (r[m].org != org || r[m].inject != (int)k + 1)
					continue;
				answered = true;
				json_array_append_new(resp, json_pack("{s:I, s:s, s:o, "
				    "s:o}", "inject", (json_int_t)(k + 1), "text",
				    r[m].text, "at", svc_time(r[m].at_us), "delay_s",
				    rel ? json_integer((r[m].at_us - rel) / 1000000) :
				    json_null()));
			}
			if (!answered && rel != 0 && c->now_us >= rel)
				json_array_append_new(open, json_integer((json_int_t)k + 1));
		}
		for (size_t m = 0; m < ni; m++)
			if (is[m].org == org)
				json_array_append_new(iss, json_pack("{s:s, s:o}", "text",
				    is[m].text, "at", svc_time(is[m].at_us)));
		json_array_append_new(per, json_pack("{s:I, s:o, s:o, s:o}", "org",
		    (json_int_t)org, "responses", resp, "unanswered", open,
		    "issues", iss));
	}
	*out = json_pack("{s:o, s:o}", "exercise", ex_json(&x), "participants",
	    per);
	store_exercise_notes_free(r, nr);
	store_exercise_notes_free(is, ni);
	ex_fini(&x);
	return CS_OK;
}
