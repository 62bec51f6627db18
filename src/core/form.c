/*
 * form.c: validation and redaction of the 情報連絡様式 and 情報提供様式,
 * driven by their field tables, so the field set and order stay those of
 * the forms (手引書: 「欄外も含め変更しないでください」).  The tables and
 * their option lists are generated from data/forms.json (and
 * tools/vocab-app.json "forms": what the client must send, cishare's own
 * detail fields) into build/gen/vocab.c: vocab_report_form and
 * vocab_advisory_form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/ident.h"
#include "gen/vocab.h"

static enum cs_err validate_group(json_t *, const struct vocab_field *,
		    const char *, struct cs_error *);

enum cs_err
core_check_string(json_t *v, size_t max, const char *path, struct cs_error *e)
{
	long n;

	if (!json_is_string(v))
		return cs_fail(e, CS_EINVAL, path, "must be a string");
	n = cs_utf8_len(json_string_value(v), json_string_length(v));
	if (n < 0)
		return cs_fail(e, CS_EINVAL, path, "must be valid UTF-8 without NUL");
	if ((size_t)n > max)
		return cs_fail(e, CS_EINVAL, path, "longer than %zu characters", max);
	return CS_OK;
}

static enum cs_err
validate_value(json_t *v, const struct vocab_field *f, const char *path,
    struct cs_error *e)
{
	char sub[96];
	enum cs_err rc;
	int64_t t;
	size_t i, j;
	json_t *x, *y;

	switch (f->type) {
	case VOCAB_F_ENUM:
		if (json_is_array(v) && strcmp(f->id, "event_type") == 0)
			return cs_fail(e, CS_EINVAL, path, "exactly one event type "
			    "may be chosen (the event detected first)");
		if (!json_is_string(v))
			return cs_fail(e, CS_EINVAL, path, "must be a string");
		if (vocab_index(f->values, json_string_value(v)) < 0)
			return cs_fail(e, CS_EINVAL, path, "'%.60s' is not an "
			    "allowed value", json_string_value(v));
		return CS_OK;
	case VOCAB_F_ENUM_MULTI:
		if (!json_is_array(v))
			return cs_fail(e, CS_EINVAL, path, "must be an array");
		if (json_array_size(v) > CS_MAX_LIST)
			return cs_fail(e, CS_EINVAL, path, "too many values");
		json_array_foreach(v, i, x) {
			cs_fmt(sub, sizeof(sub), "%s.%zu", path, i);
			if (!json_is_string(x))
				return cs_fail(e, CS_EINVAL, sub, "must be a string");
			if (vocab_index(f->values, json_string_value(x)) < 0)
				return cs_fail(e, CS_EINVAL, sub, "'%.60s' is not an "
				    "allowed value", json_string_value(x));
			for (j = 0; j < i; j++) {
				y = json_array_get(v, j);
				if (json_equal(x, y))
					return cs_fail(e, CS_EINVAL, sub,
					    "'%.60s' is listed twice",
					    json_string_value(x));
			}
		}
		return CS_OK;
	case VOCAB_F_TEXT:
		return core_check_string(v, CS_MAX_TEXT, path, e);
	case VOCAB_F_STRING:
		return core_check_string(v, CS_MAX_STRING, path, e);
	case VOCAB_F_INT:
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 100000)
			return cs_fail(e, CS_EINVAL, path, "must be an integer >= 1");
		return CS_OK;
	case VOCAB_F_COUNT:
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > CS_MAX_COUNT)
			return cs_fail(e, CS_EINVAL, path, "must be an integer "
			    "from 0 to %lld", (long long)CS_MAX_COUNT);
		return CS_OK;
	case VOCAB_F_BOOL:
		if (!json_is_boolean(v))
			return cs_fail(e, CS_EINVAL, path, "must be true or false");
		return CS_OK;
	case VOCAB_F_DATETIME:
		if ((rc = core_check_string(v, 64, path, e)) != CS_OK)
			return rc;
		if (cs_time_parse(json_string_value(v), &t) != CS_OK)
			return cs_fail(e, CS_EINVAL, path, "must be an RFC 3339 "
			    "date-time with offset, e.g. 2026-11-21T13:15:00+09:00");
		return CS_OK;
	case VOCAB_F_REF:
		if (json_is_integer(v) && json_integer_value(v) >= 1)
			return CS_OK;
		if (json_is_string(v))
			return core_check_string(v, 64, path, e);
		return cs_fail(e, CS_EINVAL, path, "must be an organisation id");
	case VOCAB_F_GROUP:
		return validate_group(v, f->sub, path, e);
	case VOCAB_F_TABLE:
		if (!json_is_array(v))
			return cs_fail(e, CS_EINVAL, path, "must be an array");
		if (f->required && json_array_size(v) == 0)
			return cs_fail(e, CS_EINVAL, path, "must have at least one row");
		if (json_array_size(v) > CS_MAX_TIMELINE)
			return cs_fail(e, CS_EINVAL, path, "more than %d rows",
			    CS_MAX_TIMELINE);
		json_array_foreach(v, i, x) {
			cs_fmt(sub, sizeof(sub), "%s.%zu", path, i);
			if ((rc = validate_group(x, f->sub, sub, e)) != CS_OK)
				return rc;
		}
		return CS_OK;
	}
	return cs_fail(e, CS_EINTERNAL, path, "bad field table");
}

static enum cs_err
validate_group(json_t *obj, const struct vocab_field *fields, const char *path,
    struct cs_error *e)
{
	const struct vocab_field *f;
	const char *key;
	char sub[96];
	json_t *v;
	enum cs_err rc;

	if (!json_is_object(obj))
		return cs_fail(e, CS_EINVAL, path, "must be an object");
	json_object_foreach(obj, key, v) {
		for (f = fields; f->id != NULL; f++)
			if (strcmp(f->id, key) == 0)
				break;
		cs_fmt(sub, sizeof(sub), "%s.%s", path, key);
		if (f->id == NULL)
			return cs_fail(e, CS_EINVAL, sub, "unknown field");
		if (json_is_null(v) && !f->required)
			continue;
		if ((rc = validate_value(v, f, sub, e)) != CS_OK)
			return rc;
	}
	for (f = fields; f->id != NULL; f++) {
		if (!f->required)
			continue;
		v = json_object_get(obj, f->id);
		if (v == NULL || json_is_null(v)) {
			cs_fmt(sub, sizeof(sub), "%s.%s", path, f->id);
			return cs_fail(e, CS_EINVAL, sub, "required field is missing");
		}
	}
	return CS_OK;
}

/*
 * ⑥'s structured impact: the service is one of the report's sector, the
 * outage ends after it starts, and an ongoing outage has no end.
 */
static enum cs_err
validate_impact(json_t *form, const char *prefix, struct cs_error *e)
{
	json_t *im = json_object_get(form, "impact");
	const char *svc = json_string_value(json_object_get(im, "service"));
	const char *from = json_string_value(json_object_get(im, "started_at"));
	const char *to = json_string_value(json_object_get(im, "ended_at"));
	int64_t a, b;
	char path[96];
	int i;

	if (svc != NULL && (i = vocab_index(vocab_service, svc)) >= 0 &&
	    !cs_streq(vocab_service[i].parent, json_string_value(
	    json_object_get(form, "sector")))) {
		cs_fmt(path, sizeof(path), "%s.impact.service", prefix);
		return cs_fail(e, CS_EINVAL, path, "%s is not a service of the "
		    "report's sector", svc);
	}
	if (from != NULL && to != NULL && cs_time_parse(from, &a) == CS_OK &&
	    cs_time_parse(to, &b) == CS_OK && b < a) {
		cs_fmt(path, sizeof(path), "%s.impact.ended_at", prefix);
		return cs_fail(e, CS_EINVAL, path, "ends before it started");
	}
	if (to != NULL && json_is_true(json_object_get(im, "ongoing"))) {
		cs_fmt(path, sizeof(path), "%s.impact.ongoing", prefix);
		return cs_fail(e, CS_EINVAL, path, "an outage with an end is not "
		    "ongoing");
	}
	return CS_OK;
}

enum cs_err
core_report_form_validate(json_t *form, const char *prefix, struct cs_error *e)
{
	enum cs_err rc;

	if (form == NULL)
		return cs_fail(e, CS_EINVAL, prefix, "required field is missing");
	if ((rc = validate_group(form, vocab_report_form, prefix, e)) != CS_OK)
		return rc;
	return validate_impact(form, prefix, e);
}

/* Equal JSON values, two absent or null ones included. */
static bool
same_value(json_t *a, json_t *b)
{
	if ((a == NULL || json_is_null(a)) && (b == NULL || json_is_null(b)))
		return true;
	return a != NULL && b != NULL && json_equal(a, b);
}

enum cs_err
core_advisory_form_validate(json_t *form, const char *prefix, struct cs_error *e)
{
	json_t *rs;
	enum cs_err rc;

	if (form == NULL)
		return cs_fail(e, CS_EINVAL, prefix, "required field is missing");
	if ((rc = validate_group(form, vocab_advisory_form, prefix, e)) != CS_OK)
		return rc;
	/* One row per addressee: a repeated ministry and sector is an error. */
	rs = json_object_get(form, "recipients");
	for (size_t i = 1; json_is_array(rs) && i < json_array_size(rs); i++) {
		json_t *a = json_array_get(rs, i);

		for (size_t j = 0; j < i; j++) {
			json_t *b = json_array_get(rs, j);

			if (same_value(json_object_get(a, "ministry"),
			    json_object_get(b, "ministry")) &&
			    same_value(json_object_get(a, "sector"),
			    json_object_get(b, "sector"))) {
				char f[64];

				cs_fmt(f, sizeof(f), "%s.recipients.%zu", prefix, i);
				return cs_fail(e, CS_EINVAL, f, "duplicate recipient: "
				    "the same ministry and sector as row %zu", j);
			}
		}
	}
	return CS_OK;
}

/* Cut a string to at most max code points (at a code point boundary). */
static void
clip(json_t *obj, const char *key, json_t *v, size_t max)
{
	const char *s = json_string_value(v);
	size_t i = 0, cps = 0;

	while (s[i] != '\0' && cps < max) {
		unsigned char c = (unsigned char)s[i];

		i += c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
		cps++;
	}
	if (s[i] != '\0') {
		char *cut = xstrndup(s, i);

		json_object_set_new(obj, key, json_string(cut));
		free(cut);
	}
}

/* Replace the identity hits of string member `key` of obj (core/ident.h). */
static void
redact_member(json_t *obj, const char *key, const struct ident_set *set,
    const char *rep)
{
	char *r = ident_redact(set, json_string_value(json_object_get(obj, key)),
	    rep);

	if (r != NULL)
		json_object_set_new(obj, key, json_string(r));
	free(r);
}

static void
redact_group(json_t *obj, const struct vocab_field *fields,
    const struct ident_set *set, const char *rep)
{
	const struct vocab_field *f;
	json_t *v, *row;
	size_t i;

	if (!json_is_object(obj))
		return;
	for (f = fields; f->id != NULL; f++) {
		if ((v = json_object_get(obj, f->id)) == NULL)
			continue;
		switch (f->type) {
		case VOCAB_F_TEXT:
		case VOCAB_F_STRING:
			if (!json_is_string(v))
				break;
			redact_member(obj, f->id, set, rep);
			clip(obj, f->id, json_object_get(obj, f->id),
			    f->type == VOCAB_F_TEXT ? CS_MAX_TEXT : CS_MAX_STRING);
			break;
		case VOCAB_F_GROUP:
			redact_group(v, f->sub, set, rep);
			break;
		case VOCAB_F_TABLE:
			json_array_foreach(v, i, row)
				redact_group(row, f->sub, set, rep);
			break;
		default:
			break;	/* enums, numbers, datetimes carry no names */
		}
	}
}

void
core_report_form_redact(json_t *form, const struct ident_set *set,
    const char *replacement)
{
	redact_group(form, vocab_report_form, set, replacement);
}

void
core_json_ident_find(json_t *v, const char *path, const struct ident_set *set,
    json_t *hits)
{
	const char *key;
	json_t *child;
	size_t i;
	char sub[160];

	if (json_is_string(v)) {
		struct ident_hit *h = NULL;
		size_t n = 0;

		if (ident_find(set, json_string_value(v), &h, &n) != CS_OK)
			return;
		for (i = 0; i < n; i++)
			json_array_append_new(hits, json_pack("{s:s, s:I, s:I, "
			    "s:I}", "field", path, "start", (json_int_t)h[i].cstart,
			    "end", (json_int_t)h[i].cend, "needle",
			    (json_int_t)h[i].needle));
		free(h);
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, child) {
			cs_fmt(sub, sizeof(sub), "%s.%s", path, key);
			core_json_ident_find(child, sub, set, hits);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child) {
			cs_fmt(sub, sizeof(sub), "%s.%zu", path, i);
			core_json_ident_find(child, sub, set, hits);
		}
	}
}

enum cs_tlp
core_report_form_tlp(json_t *form)
{
	enum cs_tlp t = TLP_RED;

	(void)core_tlp_parse(json_string_value(json_object_get(form, "tlp")), &t);
	return t;
}

int
core_report_form_sector(json_t *form)
{
	return core_sector_parse(json_string_value(json_object_get(form, "sector")));
}
