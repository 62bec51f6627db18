/*
 * fuzz_report_form.c: a request body as src/http parses it (json_loadb
 * with JSON_REJECT_DUPLICATES, at most CS_MAX_BODY bytes) through
 * core_report_form_validate(), then core_report_form_redact() over the
 * result as the CEPTOAR forward does when it anonymises a form, with an
 * identity set (core/ident.h) like a source's.
 *
 * Invariants:
 *  - validation is deterministic, fails only with CS_EINVAL, and names a
 *    field under the prefix;
 *  - a valid form has a parseable TLP and sector, and survives being
 *    stored: dumped and loaded again it is equal and still valid;
 *  - after redaction of a valid form no needle is left in any string, in
 *    any variant the matcher knows (NFKC, case, separators in digit
 *    runs: the same set finds nothing any more), the form is still
 *    well-formed JSON text, and still valid (the forward handler
 *    re-validates it, so an invalid result blocks the forward);
 *  - nothing leaks or crashes on any input, valid or not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "core/ident.h"
#include "fuzz.h"

/* What identity_from_json() would collect for a typical source. */
static const char *const needles[] = {
	"ACME電力",			/* org_name */
	"acme-denryoku",		/* login */
	"info",				/* another login (a shared mailbox) */
	"山田太郎",			/* display_name */
	"03-1234-5678",			/* phone */
	"soc@acme.example.jp",		/* email */
	"acme.example.jp",		/* its domain */
};
#define NNEEDLES (sizeof(needles) / sizeof(needles[0]))
#define REPLACEMENT "［匿名化］"

static struct ident_set *set;

/* Does the string v hold a needle (any variant)? */
static int
contains_id(json_t *v, const char **which)
{
	struct ident_hit *h = NULL;
	size_t n = 0;
	int hit;

	if (ident_find(set, json_string_value(v), &h, &n) != CS_OK)
		return 1;	/* not UTF-8: the redactor replaces it whole */
	hit = n > 0;
	if (hit)
		*which = needles[h[0].needle];
	free(h);
	return hit;
}

/* The first string anywhere in j holding a needle, or NULL. */
/* Enum fields hold fixed ids (event_information_leak…), never names. */
static int
is_enum_field(const char *key)
{
	static const char *const enums[] = { "importance", "tlp", "event_type",
	    "cause_types", "has_attachment", "sector", "system_operation_status",
	    "service_level_deviation", "spillover_possibility", "press_release",
	    "ppc_notification", "next_steps", NULL };

	for (size_t i = 0; enums[i] != NULL; i++)
		if (strcmp(enums[i], key) == 0)
			return 1;
	return 0;
}

static const char *
find_needle(json_t *j, const char **which)
{
	const char *key, *hit;
	json_t *v;
	size_t i;

	if (json_is_string(j)) {
		return contains_id(j, which) ? json_string_value(j) : NULL;
	}
	if (json_is_object(j)) {
		json_object_foreach(j, key, v)
			if (!is_enum_field(key) &&
			    (hit = find_needle(v, which)) != NULL)
				return hit;
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if ((hit = find_needle(v, which)) != NULL)
				return hit;
	}
	return NULL;
}

static void
check_valid_form(json_t *form)
{
	struct cs_error e;
	json_error_t je;
	const char *which = NULL, *hit;
	json_t *back, *red;
	enum cs_tlp tlp;
	char *text;
	int sector;

	/* The server reads these back from the stored form. */
	tlp = core_report_form_tlp(form);
	FUZZ_CHECK(core_tlp_parse(json_string_value(json_object_get(form,
	    "tlp")), &tlp) == 0, "valid form with an unparseable tlp");
	FUZZ_CHECK(strcmp(core_tlp_id(core_report_form_tlp(form)),
	    json_string_value(json_object_get(form, "tlp"))) == 0,
	    "core_report_form_tlp disagrees with the form");
	sector = core_report_form_sector(form);
	FUZZ_CHECK(sector >= 0 && sector < CS_NSECTORS, "valid form with "
	    "sector %d", sector);

	/* Stored as JSON text and loaded again: same form, still valid. */
	text = json_dumps(form, JSON_COMPACT);
	FUZZ_CHECK(text != NULL, "a valid form does not serialise");
	back = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	FUZZ_CHECK(back != NULL, "a valid form does not reload: %s", je.text);
	FUZZ_CHECK(json_equal(form, back), "reloaded form differs");
	cs_error_clear(&e);
	FUZZ_CHECK(core_report_form_validate(back, "form", &e) == CS_OK,
	    "reloaded form is invalid at %s: %s", e.field, e.msg);
	json_decref(back);
	free(text);

	/* Anonymised for the ministry: no identifying string survives. */
	red = json_deep_copy(form);
	FUZZ_CHECK(red != NULL, "json_deep_copy failed");
	json_object_del(red, "affected_operator_name");
	core_report_form_redact(red, set, REPLACEMENT);
	hit = find_needle(red, &which);
	FUZZ_CHECK(hit == NULL, "\"%s\" survived redaction in \"%.200s\"",
	    which, hit);
	text = json_dumps(red, JSON_COMPACT);
	FUZZ_CHECK(text != NULL, "a redacted form does not serialise");
	cs_error_clear(&e);
	if (core_report_form_validate(red, "form", &e) != CS_OK)
		FUZZ_CHECK(e.code == CS_OK, "redacted form %s is invalid at "
		    "%s: %s", text, e.field, e.msg);
	free(text);
	json_decref(red);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_error e1, e2;
	json_error_t je;
	enum cs_err rc1, rc2;
	json_t *j;

	fuzz_keys_init();
	if (set == NULL && ident_set_new(needles, NNEEDLES, &set) != CS_OK)
		abort();
	if (size > CS_MAX_BODY)	/* src/http refuses it with 413 */
		return 0;
	j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL)
		return 0;
	cs_error_clear(&e1);
	cs_error_clear(&e2);
	rc1 = core_report_form_validate(j, "form", &e1);
	rc2 = core_report_form_validate(j, "form", &e2);
	FUZZ_CHECK(rc1 == rc2 && strcmp(e1.field, e2.field) == 0,
	    "validation is not deterministic");
	if (rc1 != CS_OK) {
		FUZZ_CHECK(rc1 == CS_EINVAL && e1.code == rc1, "validation "
		    "failed with %s", cs_err_name(rc1));
		FUZZ_CHECK(strncmp(e1.field, "form", 4) == 0 &&
		    (e1.field[4] == '\0' || e1.field[4] == '.'),
		    "error field \"%s\" outside the prefix", e1.field);
		FUZZ_CHECK(e1.msg[0] != '\0', "error without a message");
	} else
		check_valid_form(j);
	/* Whatever the input, redaction and search must not crash or leak. */
	{
		json_t *hits = json_array();

		core_json_ident_find(j, "form", set, hits);
		json_decref(hits);
	}
	core_report_form_redact(j, set, REPLACEMENT);
	json_decref(j);
	return 0;
}
