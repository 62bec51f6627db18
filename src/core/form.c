/*
 * form.c: validation of the 情報連絡様式 (report_form in
 * shared/spec/forms.json), driven by one declarative field table so the
 * field set and order stay those of the form (手引書: 「欄外も含め変更しない
 * でください」).  The option lists are the generated vocabulary
 * (build/gen/vocab.h, from data/forms.json, tlp.json, taxonomy.json and
 * sectors.json).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "gen/vocab.h"

enum ftype {
	F_ENUM,		/* one of `values` (a vocabulary list) */
	F_ENUM_MULTI,	/* array of distinct `values` */
	F_TEXT,		/* free text up to CS_MAX_TEXT */
	F_STRING,	/* short text up to CS_MAX_STRING */
	F_INT,		/* integer >= 1 */
	F_DATETIME,	/* RFC 3339 with offset */
	F_GROUP,	/* object of `sub` */
	F_TABLE,	/* array of objects of `sub` */
	F_REF		/* an organisation: positive integer id or short string id */
};

struct field {
	const char		*id;
	enum ftype		 type;
	int			 required;	/* client must send it */
	const struct vocab_item	*values;	/* generated: build/gen/vocab.h */
	const struct field	*sub;
};

static const struct field f_reporter[] = {
	{ "ministry_name", F_STRING, 0, NULL, NULL },
	{ "department", F_STRING, 0, NULL, NULL },
	{ "contact_person", F_STRING, 0, NULL, NULL },
	{ "phone", F_STRING, 0, NULL, NULL },
	{ "fax", F_STRING, 0, NULL, NULL },
	{ "email", F_STRING, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct field f_overview[] = {
	{ "discovered_at", F_DATETIME, 0, NULL, NULL },
	{ "occurred_at", F_DATETIME, 0, NULL, NULL },
	{ "occurred_at_remark", F_STRING, 0, NULL, NULL },
	{ "affected_system_or_contractor", F_TEXT, 0, NULL, NULL },
	{ "event_summary", F_TEXT, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct field f_external[] = {
	{ "press_release", F_ENUM, 0, vocab_press_release, NULL },
	{ "press_release_detail", F_TEXT, 0, NULL, NULL },
	{ "ppc_notification", F_ENUM, 0, vocab_ppc_notification, NULL },
	{ "ppc_notification_detail", F_TEXT, 0, NULL, NULL },
	{ "other_contacts_besides_nisc", F_TEXT, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct field f_impact[] = {
	{ "system_operation_status", F_ENUM, 0, vocab_op_status, NULL },
	{ "service_level_deviation", F_ENUM, 0, vocab_yes_no, NULL },
	{ "spillover_possibility", F_ENUM, 0, vocab_yes_no, NULL },
	{ "external_response", F_GROUP, 0, NULL, f_external },
	{ "supplementary_info", F_TEXT, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct field f_timeline[] = {
	{ "at", F_STRING, 0, NULL, NULL },
	{ "description", F_TEXT, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct field f_report[] = {
	{ "importance", F_ENUM, 0, vocab_importance, NULL },
	{ "report_sequence_number", F_INT, 0, NULL, NULL },
	{ "identification_number", F_STRING, 0, NULL, NULL },
	{ "reported_at", F_DATETIME, 0, NULL, NULL },
	{ "reporter", F_GROUP, 0, NULL, f_reporter },
	{ "tlp", F_ENUM, 1, vocab_tlp, NULL },
	{ "tlp_special_notes", F_TEXT, 0, NULL, NULL },
	{ "event_type", F_ENUM, 0, vocab_event_type, NULL },
	{ "cause_types", F_ENUM_MULTI, 0, vocab_cause_type, NULL },
	{ "has_attachment", F_ENUM, 1, vocab_yes_no, NULL },
	{ "sector", F_ENUM, 1, vocab_sector, NULL },
	{ "affected_operator_name", F_TEXT, 0, NULL, NULL },
	{ "overview", F_GROUP, 0, NULL, f_overview },
	{ "impact", F_GROUP, 0, NULL, f_impact },
	{ "timeline", F_TABLE, 0, NULL, f_timeline },
	{ "next_steps", F_ENUM, 0, vocab_next_steps, NULL },
	{ "other_lessons_learned", F_TEXT, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct field f_recipient[] = {
	{ "ministry", F_REF, 0, NULL, NULL },
	{ "sector", F_ENUM, 1, vocab_sector, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct field f_nisc_contact[] = {
	{ "contact_person", F_STRING, 0, NULL, NULL },
	{ "phone", F_STRING, 0, NULL, NULL },
	{ "fax", F_STRING, 0, NULL, NULL },
	{ "email", F_STRING, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct field f_threat[] = {
	{ "summary", F_TEXT, 0, NULL, NULL },
	{ "target", F_TEXT, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

/* 情報提供様式 (advisory_form), in form order. */
static const struct field f_advisory[] = {
	{ "importance", F_ENUM, 0, vocab_importance, NULL },
	{ "advisory_sequence_number", F_INT, 0, NULL, NULL },
	{ "identification_number", F_STRING, 0, NULL, NULL },
	{ "provided_at", F_DATETIME, 0, NULL, NULL },
	{ "recipients", F_TABLE, 1, NULL, f_recipient },
	{ "tlp", F_ENUM, 1, vocab_tlp, NULL },
	{ "tlp_special_notes", F_TEXT, 0, NULL, NULL },
	{ "nisc_contact", F_GROUP, 0, NULL, f_nisc_contact },
	{ "has_attachment", F_ENUM, 1, vocab_yes_no, NULL },
	{ "threat_content", F_GROUP, 0, NULL, f_threat },
	{ "countermeasures", F_TEXT, 0, NULL, NULL },
	{ "other", F_TEXT, 0, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static enum cs_err validate_group(json_t *, const struct field *,
		    const char *, struct cs_error *);

static enum cs_err
check_string(json_t *v, size_t max, const char *path, struct cs_error *e)
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
validate_value(json_t *v, const struct field *f, const char *path,
    struct cs_error *e)
{
	char sub[96];
	enum cs_err rc;
	int64_t t;
	size_t i, j;
	json_t *x, *y;

	switch (f->type) {
	case F_ENUM:
		if (json_is_array(v) && strcmp(f->id, "event_type") == 0)
			return cs_fail(e, CS_EINVAL, path, "exactly one event type "
			    "may be chosen (the event detected first)");
		if (!json_is_string(v))
			return cs_fail(e, CS_EINVAL, path, "must be a string");
		if (vocab_index(f->values, json_string_value(v)) < 0)
			return cs_fail(e, CS_EINVAL, path, "'%.60s' is not an "
			    "allowed value", json_string_value(v));
		return CS_OK;
	case F_ENUM_MULTI:
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
	case F_TEXT:
		return check_string(v, CS_MAX_TEXT, path, e);
	case F_STRING:
		return check_string(v, CS_MAX_STRING, path, e);
	case F_INT:
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 100000)
			return cs_fail(e, CS_EINVAL, path, "must be an integer >= 1");
		return CS_OK;
	case F_DATETIME:
		if ((rc = check_string(v, 64, path, e)) != CS_OK)
			return rc;
		if (cs_time_parse(json_string_value(v), &t) != CS_OK)
			return cs_fail(e, CS_EINVAL, path, "must be an RFC 3339 "
			    "date-time with offset, e.g. 2026-11-21T13:15:00+09:00");
		return CS_OK;
	case F_REF:
		if (json_is_integer(v) && json_integer_value(v) >= 1)
			return CS_OK;
		if (json_is_string(v))
			return check_string(v, 64, path, e);
		return cs_fail(e, CS_EINVAL, path, "must be an organisation id");
	case F_GROUP:
		return validate_group(v, f->sub, path, e);
	case F_TABLE:
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
validate_group(json_t *obj, const struct field *fields, const char *path,
    struct cs_error *e)
{
	const struct field *f;
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

enum cs_err
core_report_form_validate(json_t *form, const char *prefix, struct cs_error *e)
{
	if (form == NULL)
		return cs_fail(e, CS_EINVAL, prefix, "required field is missing");
	return validate_group(form, f_report, prefix, e);
}

enum cs_err
core_advisory_form_validate(json_t *form, const char *prefix, struct cs_error *e)
{
	if (form == NULL)
		return cs_fail(e, CS_EINVAL, prefix, "required field is missing");
	return validate_group(form, f_advisory, prefix, e);
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

static void
redact_group(json_t *obj, const struct field *fields, const char *const *nd,
    size_t n, const char *rep)
{
	const struct field *f;
	json_t *v, *row;
	size_t i;

	if (!json_is_object(obj))
		return;
	for (f = fields; f->id != NULL; f++) {
		if ((v = json_object_get(obj, f->id)) == NULL)
			continue;
		switch (f->type) {
		case F_TEXT:
		case F_STRING:
			if (!json_is_string(v))
				break;
			core_redact_strings_in(obj, f->id, nd, n, rep);
			clip(obj, f->id, json_object_get(obj, f->id),
			    f->type == F_TEXT ? CS_MAX_TEXT : CS_MAX_STRING);
			break;
		case F_GROUP:
			redact_group(v, f->sub, nd, n, rep);
			break;
		case F_TABLE:
			json_array_foreach(v, i, row)
				redact_group(row, f->sub, nd, n, rep);
			break;
		default:
			break;	/* enums, numbers, datetimes carry no names */
		}
	}
}

void
core_report_form_redact(json_t *form, const char *const *needles, size_t n,
    const char *replacement)
{
	redact_group(form, f_report, needles, n, replacement);
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
