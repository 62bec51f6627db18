/*
 * stix_import.c: the check of a STIX 2.1 bundle (or TAXII envelope)
 * contributed through TAXII or `cishare import` (docs/interop.md
 * "Import").  Pure: the first fault found is the answer, naming the
 * object's index and property ("objects.3.pattern").  What it checks:
 * the envelope's members; each object's type and id syntax (the id's type
 * is the object's), spec_version 2.1, the common timestamps, the
 * properties each known type requires, reference syntax, indicator
 * patterns (stix_pattern.c), nesting depth.  Types it does not know are
 * kept as they are (inert: nothing is derived from them) once their
 * common properties pass.
 */
#include <ctype.h>
#include <string.h>

#include "interop/stix.h"

#define IMPORT_MAX_DEPTH	16

static const char *const sco_types[] = {
	"artifact", "autonomous-system", "directory", "domain-name",
	"email-addr", "email-message", "file", "ipv4-addr", "ipv6-addr",
	"mac-addr", "mutex", "network-traffic", "process", "software", "url",
	"user-account", "windows-registry-key", "x509-certificate", NULL
};

/* Required properties per known SDO/SRO type: kind letter then name. */
struct req {
	const char	*type;
	const char	*props;	/* "s:name t:published r+:object_refs b:is_family" */
};

static const struct req reqs[] = {
	{ "attack-pattern", "s:name" },
	{ "campaign", "s:name" },
	{ "course-of-action", "s:name" },
	{ "extension-definition", "s:name s:schema s:version a:extension_types r:created_by_ref" },
	{ "grouping", "s:context R:object_refs" },
	{ "identity", "s:name" },
	{ "incident", "s:name" },
	{ "indicator", "s:pattern s:pattern_type t:valid_from" },
	{ "infrastructure", "s:name" },
	{ "intrusion-set", "s:name" },
	{ "language-content", "r:object_ref t:object_modified o:contents" },
	{ "location", "" },
	{ "malware", "b:is_family" },
	{ "malware-analysis", "s:product" },
	{ "marking-definition", "" },
	{ "note", "s:content R:object_refs" },
	{ "observed-data", "t:first_observed t:last_observed i:number_observed" },
	{ "opinion", "s:opinion R:object_refs" },
	{ "relationship", "s:relationship_type r:source_ref r:target_ref" },
	{ "report", "s:name t:published R:object_refs" },
	{ "sighting", "r:sighting_of_ref" },
	{ "threat-actor", "s:name" },
	{ "tool", "s:name" },
	{ "vulnerability", "s:name" },
	{ NULL, NULL }
};

static const char *const time_props[] = {
	"created", "modified", "valid_from", "valid_until", "published",
	"first_seen", "last_seen", "first_observed", "last_observed", NULL
};

static bool
in_list(const char *const *l, const char *s)
{
	for (; *l != NULL; l++)
		if (strcmp(*l, s) == 0)
			return true;
	return false;
}

bool
stix_type_valid(const char *t)
{
	size_t n = strlen(t);

	if (n < 3 || n > 250 || t[0] == '-' || t[n - 1] == '-' ||
	    strstr(t, "--") != NULL)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' &&
		    t[i] <= '9') || t[i] == '-'))
			return false;
	return true;
}

bool
stix_id_valid(const char *id, const char *type)
{
	const char *sep = strstr(id, "--");
	char t[256];
	size_t n;

	if (sep == NULL || (n = (size_t)(sep - id)) >= sizeof(t))
		return false;
	memcpy(t, id, n);
	t[n] = '\0';
	if (!stix_type_valid(t) || (type != NULL && strcmp(t, type) != 0))
		return false;
	sep += 2;
	if (strlen(sep) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (sep[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)sep[i]))
			return false;
	}
	return true;
}

int64_t
stix_timestamp_us(const char *s)
{
	int y, mo, d, h, mi, se;
	int64_t frac = 0, scale = 1000000;
	size_t n = strlen(s), i;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int64_t days;

	if (n < 20 || s[n - 1] != 'Z' || s[4] != '-' || s[7] != '-' ||
	    s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return -1;
	for (i = 0; i < 19; i++)
		if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 &&
		    !isdigit((unsigned char)s[i]))
			return -1;
	if (n > 20) {
		if (s[19] != '.' || n == 21 || n > 30)
			return -1;
		for (i = 20; i < n - 1; i++) {
			if (!isdigit((unsigned char)s[i]))
				return -1;
			if (scale > 1) {
				scale /= 10;
				frac += (s[i] - '0') * scale;
			}
		}
	}
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + s[3] - '0';
	mo = (s[5] - '0') * 10 + s[6] - '0';
	d = (s[8] - '0') * 10 + s[9] - '0';
	h = (s[11] - '0') * 10 + s[12] - '0';
	mi = (s[14] - '0') * 10 + s[15] - '0';
	se = (s[17] - '0') * 10 + s[18] - '0';
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    h > 23 || mi > 59 || se > 60)
		return -1;
	if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -1;
	/* days from the civil date (Howard Hinnant's algorithm) */
	{
		int yy = mo <= 2 ? y - 1 : y;
		int era = (yy >= 0 ? yy : yy - 399) / 400;
		int yoe = yy - era * 400;
		int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		days = (int64_t)era * 146097 + doe - 719468;
	}
	return ((days * 86400 + h * 3600 + mi * 60 + se) * 1000000) + frac;
}

static int
depth_of(const json_t *v, int limit)
{
	const char *k;
	json_t *x;
	size_t i;
	int d = 0, c;

	if (limit < 0)
		return 1;
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, x)
			if ((c = depth_of(x, limit - 1)) > d)
				d = c;
		return d + 1;
	}
	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			if ((c = depth_of(x, limit - 1)) > d)
				d = c;
		return d + 1;
	}
	return 0;
}

static enum cs_err
prop_fault(struct cs_error *e, size_t i, const char *prop, const char *msg)
{
	char f[96];

	cs_fmt(f, sizeof(f), "objects.%zu%s%s", i, *prop ? "." : "", prop);
	return cs_fail(e, CS_EINVAL, f, "%s", msg);
}

static enum cs_err
check_ref(const json_t *v, size_t i, const char *prop, struct cs_error *e)
{
	if (!json_is_string(v) || !stix_id_valid(json_string_value(v), NULL))
		return prop_fault(e, i, prop, "must be a STIX identifier "
		    "(<type>--<uuid>)");
	return CS_OK;
}

static enum cs_err
check_refs(const json_t *v, size_t i, const char *prop, bool nonempty,
    struct cs_error *e)
{
	char p[80];
	json_t *x;
	size_t k;

	if (!json_is_array(v) || (nonempty && json_array_size(v) == 0))
		return prop_fault(e, i, prop, nonempty ? "must be a non-empty list "
		    "of STIX identifiers" : "must be a list of STIX identifiers");
	json_array_foreach(v, k, x) {
		cs_fmt(p, sizeof(p), "%s.%zu", prop, k);
		if (check_ref(x, i, p, e) != CS_OK)
			return e->code;
	}
	return CS_OK;
}

static enum cs_err
check_required(const json_t *o, size_t i, const char *props, struct cs_error *e)
{
	char kind[4], name[64];
	const char *p = props;

	for (;;) {
		size_t k, m;
		json_t *v;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		k = strcspn(p, ":");
		m = strcspn(p + k + 1, " ");
		if (p[k] != ':' || k >= sizeof(kind) || m >= sizeof(name))
			break;
		memcpy(kind, p, k);
		kind[k] = '\0';
		memcpy(name, p + k + 1, m);
		name[m] = '\0';
		p += k + 1 + m;
		v = json_object_get(o, name);
		if (v == NULL)
			return prop_fault(e, i, name, "required property is missing");
		switch (kind[0]) {
		case 's':
			if (!json_is_string(v) || json_string_length(v) == 0)
				return prop_fault(e, i, name, "must be a non-empty "
				    "string");
			break;
		case 't':
			if (!json_is_string(v) ||
			    stix_timestamp_us(json_string_value(v)) < 0)
				return prop_fault(e, i, name, "must be a STIX timestamp "
				    "(YYYY-MM-DDTHH:MM:SS[.s]Z)");
			break;
		case 'b':
			if (!json_is_boolean(v))
				return prop_fault(e, i, name, "must be a boolean");
			break;
		case 'i':
			if (!json_is_integer(v) || json_integer_value(v) < 1)
				return prop_fault(e, i, name, "must be a positive "
				    "integer");
			break;
		case 'a':
			if (!json_is_array(v) || json_array_size(v) == 0)
				return prop_fault(e, i, name, "must be a non-empty list");
			break;
		case 'o':
			if (!json_is_object(v))
				return prop_fault(e, i, name, "must be an object");
			break;
		case 'r':
			if (check_ref(v, i, name, e) != CS_OK)
				return e->code;
			break;
		case 'R':
			if (check_refs(v, i, name, true, e) != CS_OK)
				return e->code;
			break;
		}
	}
	return CS_OK;
}

static enum cs_err
check_object(const json_t *o, size_t i, struct cs_error *e)
{
	const char *type, *id, *key;
	const struct req *r;
	json_t *v;
	int64_t created = -1, modified = -1;
	bool sco;

	if (!json_is_object(o))
		return prop_fault(e, i, "", "must be a STIX object");
	if (depth_of(o, IMPORT_MAX_DEPTH) > IMPORT_MAX_DEPTH)
		return prop_fault(e, i, "", "nested more than 16 levels deep");
	v = json_object_get(o, "type");
	if (v == NULL)
		return prop_fault(e, i, "type", "required property is missing");
	if (!json_is_string(v) || !stix_type_valid(type = json_string_value(v)))
		return prop_fault(e, i, "type", "must be 3 to 250 characters of "
		    "a-z, 0-9 and single hyphens");
	if (strcmp(type, "bundle") == 0)
		return prop_fault(e, i, "type", "a bundle cannot be an object");
	v = json_object_get(o, "id");
	if (v == NULL)
		return prop_fault(e, i, "id", "required property is missing");
	if (!json_is_string(v) || !stix_id_valid(id = json_string_value(v), type))
		return prop_fault(e, i, "id", "must be <type>--<uuid> with the "
		    "object's type");
	(void)id;
	sco = in_list(sco_types, type);
	v = json_object_get(o, "spec_version");
	if (v == NULL && !sco)
		return prop_fault(e, i, "spec_version", "required property is "
		    "missing");
	if (v != NULL && (!json_is_string(v) ||
	    strcmp(json_string_value(v), "2.1") != 0))
		return prop_fault(e, i, "spec_version", "must be \"2.1\"");
	for (const char *const *t = time_props; *t != NULL; t++) {
		int64_t us;

		if ((v = json_object_get(o, *t)) == NULL)
			continue;
		if (!json_is_string(v) || (us = stix_timestamp_us(
		    json_string_value(v))) < 0)
			return prop_fault(e, i, *t, "must be a STIX timestamp "
			    "(YYYY-MM-DDTHH:MM:SS[.s]Z)");
		if (strcmp(*t, "created") == 0)
			created = us;
		else if (strcmp(*t, "modified") == 0)
			modified = us;
		/* STIX 2.1 §3.2: created and modified to the millisecond */
		if ((strcmp(*t, "created") == 0 || strcmp(*t, "modified") == 0) &&
		    (json_string_length(v) < 24 || json_string_value(v)[19] != '.'))
			return prop_fault(e, i, *t, "must be precise to the "
			    "millisecond (YYYY-MM-DDTHH:MM:SS.sssZ)");
	}
	if (!sco) {
		if (created < 0)
			return prop_fault(e, i, "created", "required property is "
			    "missing");
		if (modified < 0 && strcmp(type, "marking-definition") != 0)
			return prop_fault(e, i, "modified", "required property is "
			    "missing");
		if (modified >= 0 && modified < created)
			return prop_fault(e, i, "modified", "is earlier than "
			    "created");
	}
	if ((v = json_object_get(o, "created_by_ref")) != NULL &&
	    check_ref(v, i, "created_by_ref", e) != CS_OK)
		return e->code;
	if ((v = json_object_get(o, "object_marking_refs")) != NULL &&
	    check_refs(v, i, "object_marking_refs", false, e) != CS_OK)
		return e->code;
	json_object_foreach((json_t *)o, key, v) {
		if ((strlen(key) < 3 && strcmp(key, "id") != 0) ||
		    strlen(key) > 250)
			return prop_fault(e, i, "", "a property name must be 3 to "
			    "250 characters");
		if (json_is_null(v))
			return prop_fault(e, i, key, "must not be null (omit it)");
	}
	for (r = reqs; r->type != NULL; r++)
		if (strcmp(r->type, type) == 0)
			break;
	if (r->type != NULL && check_required(o, i, r->props, e) != CS_OK)
		return e->code;
	if (sco) {
		if (strcmp(type, "ipv4-addr") == 0 || strcmp(type, "ipv6-addr") == 0 ||
		    strcmp(type, "domain-name") == 0 || strcmp(type, "url") == 0 ||
		    strcmp(type, "email-addr") == 0 || strcmp(type, "mac-addr") == 0)
			return check_required(o, i, "s:value", e);
		if (strcmp(type, "mutex") == 0)
			return check_required(o, i, "s:name", e);
		if (strcmp(type, "file") == 0 && json_object_get(o, "hashes") == NULL &&
		    json_object_get(o, "name") == NULL)
			return prop_fault(e, i, "hashes", "a file needs hashes or "
			    "a name");
	}
	if (strcmp(type, "indicator") == 0 && strcmp(json_string_value(
	    json_object_get(o, "pattern_type")), "stix") == 0) {
		char f[48];

		v = json_object_get(o, "pattern");
		cs_fmt(f, sizeof(f), "objects.%zu.pattern", i);
		return stix_pattern_check(json_string_value(v),
		    json_string_length(v), f, e);
	}
	return CS_OK;
}

enum cs_err
stix_import_check(const json_t *body, size_t max_objects, struct cs_error *e)
{
	static const char *const members[] = { "type", "id", "objects",
		"spec_version", "more", "next", NULL };
	const char *key;
	json_t *v, *objs;
	size_t i;

	if (!json_is_object(body))
		return cs_fail(e, CS_EINVAL, "", "the body must be a STIX bundle or "
		    "a TAXII envelope (a JSON object)");
	json_object_foreach((json_t *)body, key, v)
		if (!in_list(members, key))
			return cs_fail(e, CS_EINVAL, key, "unknown member of a "
			    "bundle or envelope");
	if ((v = json_object_get(body, "type")) != NULL) {
		if (!json_is_string(v) || strcmp(json_string_value(v), "bundle") != 0)
			return cs_fail(e, CS_EINVAL, "type", "must be \"bundle\"");
		v = json_object_get(body, "id");
		if (!json_is_string(v) || !stix_id_valid(json_string_value(v),
		    "bundle"))
			return cs_fail(e, CS_EINVAL, "id", "a bundle's id must be "
			    "bundle--<uuid>");
	} else if (json_object_get(body, "id") != NULL)
		return cs_fail(e, CS_EINVAL, "id", "an envelope has no id");
	objs = json_object_get(body, "objects");
	if (objs == NULL)
		return cs_fail(e, CS_EINVAL, "objects", "required member is missing");
	if (!json_is_array(objs) || json_array_size(objs) == 0)
		return cs_fail(e, CS_EINVAL, "objects", "must be a non-empty list "
		    "of STIX objects");
	if (json_array_size(objs) > max_objects)
		return cs_fail(e, CS_ETOOBIG, "objects", "more than %zu objects",
		    max_objects);
	json_array_foreach(objs, i, v)
		if (check_object(v, i, e) != CS_OK)
			return e->code;
	return CS_OK;
}

int
stix_object_tlp(const json_t *o)
{
	json_t *refs = json_object_get(o, "object_marking_refs"), *r;
	int tlp = -1;
	size_t i;

	json_array_foreach(refs, i, r) {
		const char *id = json_string_value(r);

		for (int t = TLP_RED; id != NULL && t <= TLP_CLEAR; t++)
			if (strcmp(id, stix_marking_id((enum cs_tlp)t)) == 0 &&
			    (tlp < 0 || t < tlp))
				tlp = t;	/* the strictest marking wins */
	}
	return tlp < 0 ? TLP_AMBER : tlp;
}

const char *
stix_object_version(const json_t *o)
{
	const char *v = json_string_value(json_object_get(o, "modified"));

	if (v == NULL)
		v = json_string_value(json_object_get(o, "created"));
	return v;
}
