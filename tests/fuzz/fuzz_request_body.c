/*
 * fuzz_request_body.c: a request body for one endpoint, as the server
 * reads it before the handler's own work: the route (http_route_find over
 * the route tables, /api/v1 or /taxii2), the JSON load (http_body_load:
 * JSON_REJECT_DUPLICATES, jansson's depth limit, at most CS_MAX_BODY
 * bytes, an object, required or {}), the route's allow-list of members
 * (http_body_check), then the endpoint's pure validation where it has one:
 * the report form and its filing rules (svc_report_file_check), the
 * advisory form, id lists (api_id_array, api_to_list), sectors
 * (api_sectors_arg), the disclosure basis, sample requests and answers,
 * an exercise scenario, survey answers for both editions, the risk
 * matrix and a STIX bundle.
 *
 * The input is "METHOD PATH" (PATH below /api/v1, or from /taxii2), a
 * newline, then the body; a first line that names no route picks one of
 * the routes that take a body by its hash (so every input reaches one).
 *
 * Invariants:
 *  - a route without a JSON body gets none; an absent optional body is
 *    {}; a refused load is CS_EINVAL for the body as a whole (field "")
 *    and happens exactly when the body is required and absent, is not
 *    JSON for jansson with duplicates refused, or is not an object;
 *  - the allow-list refuses exactly the bodies holding an undeclared
 *    member, naming one such member; an accepted body has declared
 *    members only;
 *  - every validator answers CS_OK or CS_EINVAL (a STIX bundle also
 *    CS_ETOOBIG) with a field whose first component is a member the
 *    route declares, the same answer twice; a valid form stays valid
 *    dumped and loaded again;
 *  - nothing leaks (LeakSanitizer) or reads out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/risk.h"
#include "api/api_int.h"
#include "core/attach.h"
#include "core/exercise.h"
#include "core/survey.h"
#include "fuzz.h"
#include "http/http.h"
#include "interop/stix.h"
#include "svc/svc_report.h"

/* The request as the validators see it. */
static struct api_req req;

static enum cs_err
v_report_file(json_t *body, struct cs_error *e)
{
	struct svc_report_file_in in;
	int64_t *extra = NULL;
	json_t *v;
	enum cs_err rc;

	memset(&in, 0, sizeof(in));
	v = json_object_get(body, "route");
	if (v == NULL)
		return cs_fail(e, CS_EINVAL, "route", "required field is missing");
	if (!json_is_string(v) || core_route_parse(json_string_value(v),
	    &in.route) != 0)
		return cs_fail(e, CS_EINVAL, "route", "must be a route");
	if ((rc = api_bool_arg(body, "legal_duty", false, &in.legal_duty,
	    e)) != CS_OK)
		return rc;
	in.form = json_object_get(body, "form");
	if ((rc = svc_report_file_check(&in, e)) != CS_OK)
		return rc;
	v = json_object_get(body, "extra_recipients");
	if (v != NULL && !json_is_null(v) && (rc = api_id_array(v,
	    "extra_recipients", &extra, &in.nextra, e)) != CS_OK)
		return rc;
	free(extra);
	return CS_OK;
}

/* A valid form stays valid once stored (dumped) and read back. */
static void
form_roundtrip(json_t *form, bool advisory)
{
	struct cs_error e;
	char *text = json_dumps(form, JSON_COMPACT);
	json_t *back;

	FUZZ_CHECK(text != NULL, "a valid form does not dump");
	back = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	FUZZ_CHECK(back != NULL && json_equal(back, form), "form changed when "
	    "stored");
	FUZZ_CHECK((advisory ? core_advisory_form_validate(back, "form", &e) :
	    core_report_form_validate(back, "form", &e)) == CS_OK,
	    "a stored form is no longer valid: %s %s", e.field, e.msg);
	json_decref(back);
	free(text);
}

static enum cs_err
v_report_form(json_t *body, struct cs_error *e)
{
	json_t *form = json_object_get(body, "form");
	enum cs_err rc;

	if ((rc = core_report_form_validate(form, "form", e)) == CS_OK)
		form_roundtrip(form, false);
	return rc;
}

/* POST /reports/{id}/forward: a form patch is optional, attachments ids. */
static enum cs_err
v_forward(json_t *body, struct cs_error *e)
{
	json_t *v = json_object_get(body, "attachments");
	int64_t *ids = NULL;
	size_t n;
	bool b;
	enum cs_err rc;

	if ((rc = api_bool_arg(body, "confirm_small_anonymity_set", false, &b,
	    e)) != CS_OK)
		return rc;
	if (v != NULL && !json_is_null(v) && (rc = api_id_array(v,
	    "attachments", &ids, &n, e)) != CS_OK)
		return rc;
	free(ids);
	return CS_OK;
}

static enum cs_err
v_to(json_t *body, struct cs_error *e)
{
	int64_t *to = NULL, d;
	size_t n;
	enum cs_err rc;

	req.body = body;
	if ((rc = api_to_list(&req, &to, &n, e)) != CS_OK)
		return rc;
	free(to);
	if (json_object_get(body, "disclosure") != NULL)
		return api_disclosure_arg(&req, &d, e);
	return CS_OK;
}

static enum cs_err
id_list(json_t *body, const char *key, struct cs_error *e)
{
	json_t *v = json_object_get(body, key);
	int64_t *ids = NULL;
	size_t n;
	enum cs_err rc;

	if (v == NULL || json_is_null(v))
		return CS_OK;
	rc = api_id_array(v, key, &ids, &n, e);
	free(ids);
	return rc;
}

static enum cs_err
v_adv_form(json_t *body, struct cs_error *e)
{
	json_t *form = json_object_get(body, "form");
	enum cs_err rc;

	if ((rc = core_advisory_form_validate(form, "form", e)) != CS_OK)
		return rc;
	form_roundtrip(form, true);
	if ((rc = id_list(body, "related_reports", e)) != CS_OK)
		return rc;
	return id_list(body, "consented_sources", e);
}

static enum cs_err
v_sectors(json_t *body, struct cs_error *e)
{
	json_t *v = json_object_get(body, "sectors");
	uint32_t set;

	if (v == NULL || json_is_null(v))
		return CS_OK;
	return api_sectors_arg(v, &set, e);
}

static enum cs_err
v_disclosure(json_t *body, struct cs_error *e)
{
	struct cs_disclosure_in in;

	return core_disclosure_check(body, &in, e);
}

static enum cs_err
v_sample(json_t *body, struct cs_error *e)
{
	struct cs_sample_in in;

	return core_sample_check(body, &in, e);
}

static enum cs_err
v_sample_answer(json_t *body, struct cs_error *e)
{
	const char *decline;
	int64_t att;
	enum cs_err rc;

	rc = core_sample_answer_check(body, &att, &decline, e);
	if (rc == CS_OK)
		FUZZ_CHECK((att > 0) != (decline != NULL), "a sample answer is "
		    "exactly one of an id and a decline");
	return rc;
}

static enum cs_err
v_exercise(json_t *body, struct cs_error *e)
{
	return core_exercise_check(body, e);
}

/* A campaign of either edition. */
static enum cs_err
v_survey2023(json_t *body, struct cs_error *e)
{
	return survey_answers_check("2023", json_object_get(body, "items"), e);
}

static enum cs_err
v_survey2015(json_t *body, struct cs_error *e)
{
	return survey_answers_check("2015", json_object_get(body, "items"), e);
}

static enum cs_err
v_matrix(json_t *body, struct cs_error *e)
{
	struct risk_matrix m;

	return risk_matrix_parse(body, &m, e);
}

static enum cs_err
v_stix(json_t *body, struct cs_error *e)
{
	return stix_import_check(body, STIX_IMPORT_MAX, e);
}

/* The endpoints whose body has a pure validator, by method and pattern. */
static const struct {
	const char	*method;
	const char	*pattern;
	enum cs_err	(*check)(json_t *, struct cs_error *);
} validators[] = {
	{ "POST", "/reports", v_report_file },
	{ "POST", "/reports/:id/followups", v_report_form },
	{ "POST", "/reports/:id/forward", v_forward },
	{ "POST", "/reports/:id/share", v_to },
	{ "POST", "/reports/:id/disclosures", v_disclosure },
	{ "POST", "/reports/:id/widening-requests", v_sectors },
	{ "POST", "/reports/:id/sample-requests", v_sample },
	{ "POST", "/sample-requests/:id/answer", v_sample_answer },
	{ "POST", "/advisories", v_adv_form },
	{ "POST", "/advisories/:id/followups", v_adv_form },
	{ "POST", "/advisories/:id/relay", v_to },
	{ "POST", "/modes/large-scale", v_sectors },
	{ "POST", "/orgs", v_sectors },
	{ "PATCH", "/orgs/:id", v_sectors },
	{ "POST", "/exercises", v_exercise },
	{ "PUT", "/surveys/:id/answers", v_survey2023 },
	{ "PUT", "/surveys/:id/answers", v_survey2015 },
	{ "PUT", "/risks/matrix", v_matrix },
	{ "POST", "/stix/import", v_stix },
	{ "POST", "/taxii2/cishare/collections/*/objects", v_stix },
};

/* Does the route declare key (a body without an allow-list takes any)? */
static bool
declared(const struct api_route *r, const char *key, size_t n)
{
	if (r->body == NULL)
		return true;
	for (const char *const *k = r->body->keys; *k != NULL; k++)
		if (strlen(*k) == n && memcmp(*k, key, n) == 0)
			return true;
	return false;
}

static const struct api_route *
nth_body_route(size_t h)
{
	const struct api_route *const *sets[] = { api_tables, api_taxii_tables };
	size_t n = 0, k;

	for (int pass = 0; pass < 2; pass++) {
		k = 0;
		for (size_t s = 0; s < 2; s++)
			for (const struct api_route *const *t = sets[s]; *t; t++)
				for (const struct api_route *x = *t; x->method; x++) {
					if (!(x->flags & (API_BODY | API_OPTBODY)))
						continue;
					if (pass == 1 && k == h % n)
						return x;
					k++;
				}
		n = k;
	}
	return NULL;
}

static void
check_validator(const struct api_route *r, json_t *body)
{
	for (size_t i = 0; i < sizeof(validators) / sizeof(validators[0]); i++) {
		struct cs_error e, e2;
		enum cs_err a, b;
		size_t fl;

		if (strcmp(validators[i].method, r->method) != 0 ||
		    strcmp(validators[i].pattern, r->pattern) != 0)
			continue;
		cs_error_clear(&e);
		cs_error_clear(&e2);
		a = validators[i].check(body, &e);
		b = validators[i].check(body, &e2);
		if (getenv("FUZZ_TRACE") != NULL)
			fprintf(stderr, "%s %s: validator %d %s %s\n", r->method,
			    r->pattern, (int)a, e.field, e.msg);
		FUZZ_CHECK(a == b && strcmp(e.field, e2.field) == 0,
		    "%s %s: not deterministic", r->method, r->pattern);
		if (a == CS_OK)
			continue;
		FUZZ_CHECK(a == CS_EINVAL || (a == CS_ETOOBIG &&
		    validators[i].check == v_stix), "%s %s: answer %d (%s)",
		    r->method, r->pattern, (int)a, e.field);
		/* (a member named "" is named "") */
		FUZZ_CHECK(e.code == a && (e.field[0] != '\0' ||
		    json_object_get(body, "") != NULL), "%s %s: a refusal "
		    "names no field", r->method, r->pattern);
		fl = strcspn(e.field, ".");
		FUZZ_CHECK(declared(r, e.field, fl), "%s %s: refusal names %s, "
		    "not a member of the body", r->method, r->pattern, e.field);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct api_route *r;
	struct cs_error e;
	json_error_t je;
	const char *nl, *body;
	char *line, *sp;
	size_t n;
	int64_t ids[2];
	bool matched;
	json_t *j = NULL, *ref;
	enum cs_err rc;

	if (size > CS_MAX_BODY + 256)
		return 0;
	if ((nl = memchr(data, '\n', size)) == NULL)
		nl = (const char *)data + size;
	line = fuzz_cstr(data, (size_t)(nl - (const char *)data));
	body = nl < (const char *)data + size ? nl + 1 : nl;
	n = size - (size_t)(body - (const char *)data);
	r = NULL;
	if ((sp = strchr(line, ' ')) != NULL) {
		*sp = '\0';
		r = http_route_find(strncmp(sp + 1, "/taxii2", 7) == 0 ?
		    api_taxii_tables : api_tables, line, sp + 1, ids, &matched);
	}
	if (r == NULL) {
		size_t h = 5381;

		for (const char *p = line; *p; p++)
			h = h * 33 + (unsigned char)*p;
		if (sp != NULL)
			for (const char *p = sp + 1; *p; p++)
				h = h * 33 + (unsigned char)*p;
		r = nth_body_route(h);
	}
	free(line);
	FUZZ_CHECK(r != NULL, "no route");
	if (n > CS_MAX_BODY)
		return 0;	/* the server answers 413 before reading it */

	/* The load, against jansson with duplicates refused. */
	cs_error_clear(&e);
	rc = http_body_load(r, body, n, &j, &e);
	if (!(r->flags & (API_BODY | API_OPTBODY))) {
		FUZZ_CHECK(rc == CS_OK && j == NULL, "a body for %s %s",
		    r->method, r->pattern);
		return 0;
	}
	ref = n > 0 ? json_loadb(body, n, JSON_REJECT_DUPLICATES, &je) : NULL;
	if (rc != CS_OK) {
		FUZZ_CHECK(rc == CS_EINVAL && e.code == CS_EINVAL &&
		    e.field[0] == '\0' && e.msg[0] != '\0' && j == NULL,
		    "load refusal %d field '%s'", (int)rc, e.field);
		FUZZ_CHECK((n == 0 && (r->flags & API_BODY)) || (n > 0 &&
		    !json_is_object(ref)), "%s %s: a JSON object refused",
		    r->method, r->pattern);
		json_decref(ref);
		return 0;
	}
	FUZZ_CHECK(json_is_object(j), "loaded body not an object");
	if (n == 0)
		FUZZ_CHECK((r->flags & API_OPTBODY) && json_object_size(j) == 0,
		    "absent optional body not {}");
	else
		FUZZ_CHECK(json_equal(j, ref), "load differs from jansson");
	json_decref(ref);

	/* The allow-list. */
	{
		const char *key;
		json_t *v;
		bool undeclared = false;

		json_object_foreach(j, key, v)
			undeclared |= !declared(r, key, strlen(key));
		cs_error_clear(&e);
		rc = http_body_check(r, j, &e);
		if (getenv("FUZZ_TRACE") != NULL)
			fprintf(stderr, "%s %s: allow-list %d %s\n", r->method,
			    r->pattern, (int)rc, e.field);
		FUZZ_CHECK((rc == CS_OK) == !undeclared, "%s %s: allow-list %d, "
		    "undeclared %d", r->method, r->pattern, (int)rc, undeclared);
		if (rc != CS_OK) {
			bool named = false;
			size_t fl = strlen(e.field);

			/*
			 * (a long key is named by its first whole characters
			 * that fit: 92 to 95 bytes)
			 */
			json_object_foreach(j, key, v)
				named |= !declared(r, key, strlen(key)) &&
				    strncmp(key, e.field, fl) == 0 &&
				    (key[fl] == '\0' || (fl + 4 >= sizeof(e.field) &&
				    ((unsigned char)key[fl] & 0xc0) != 0x80));
			FUZZ_CHECK(rc == CS_EINVAL && named, "%s %s: refusal names "
			    "%s", r->method, r->pattern, e.field);
			json_decref(j);
			return 0;
		}
	}
	check_validator(r, j);
	json_decref(j);
	return 0;
}
