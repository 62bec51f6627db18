/*
 * stix_report.c: a report (情報連絡) as a STIX 2.1 incident, its 様式 fields
 * in the x-cishare-report property extension (docs/interop.md).
 */
#include <stdlib.h>
#include <string.h>

#include "core/ident.h"
#include "interop/stix.h"

/* What replaces a string of an anonymised source's identity. */
#define STIX_ANON_NAME	"匿名の報告元"

/* Drop what STIX forbids or the schemas refuse: null, [], {} (any depth). */
static void
clean(json_t *v)
{
	const char *key;
	json_t *child;
	void *tmp;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach_safe(v, tmp, key, child) {
			clean(child);
			if (json_is_null(child) ||
			    (json_is_array(child) && json_array_size(child) == 0) ||
			    (json_is_object(child) && json_object_size(child) == 0))
				json_object_del(v, key);
		}
	} else if (json_is_array(v)) {
		for (i = json_array_size(v); i-- > 0;) {
			child = json_array_get(v, i);
			clean(child);
			if (json_is_null(child) ||
			    (json_is_array(child) && json_array_size(child) == 0) ||
			    (json_is_object(child) && json_object_size(child) == 0))
				json_array_remove(v, i);
		}
	}
}

/* Every string of v (any depth), appended to needles. */
static void
strings_of(const json_t *v, const char ***needles, size_t *n)
{
	const char *key;
	json_t *child;
	size_t i;

	if (json_is_string(v)) {
		*needles = xreallocarray(*needles, *n + 1, sizeof(**needles));
		(*needles)[(*n)++] = json_string_value(v);
	} else if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, child)
			strings_of(child, needles, n);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child)
			strings_of(child, needles, n);
	}
}

/* Replace every hit of set in the strings of v (keys too are values here). */
static void
redact(json_t *v, const struct ident_set *set)
{
	const char *key;
	json_t *child;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, key, child) {
			if (json_is_string(child)) {
				char *r = ident_redact(set, json_string_value(child),
				    STIX_ANON_NAME);

				if (r != NULL)
					json_object_set_new(v, key, json_string(r));
				free(r);
			} else
				redact(child, set);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child) {
			if (json_is_string(child)) {
				char *r = ident_redact(set, json_string_value(child),
				    STIX_ANON_NAME);

				if (r != NULL)
					json_array_set_new(v, i, json_string(r));
				free(r);
			} else
				redact(child, set);
		}
	}
}

static const char *
org_name(const json_t *orgs, int64_t org)
{
	char key[24];

	cs_fmt(key, sizeof(key), "%lld", (long long)org);
	return json_string_value(json_object_get(json_object_get(orgs, key),
	    "name"));
}

/* The identity that created the report (never an anonymised source). */
static json_t *
creator(const json_t *rep, const json_t *orgs, bool anonymised)
{
	json_t *path = json_object_get(rep, "path"), *p;
	const char *name;
	char key[64], *nm;
	int64_t org = 0;
	json_t *j;
	size_t i;

	if (anonymised) {
		json_array_foreach(path, i, p)
			if (cs_streq(json_string_value(json_object_get(p, "type")),
			    "ceptoar_secretariat")) {
				org = json_integer_value(json_object_get(p, "org"));
				break;
			}
		name = org ? org_name(orgs, org) : NULL;
		cs_fmt(key, sizeof(key), "identity:anonymous:%lld",
		    (long long)org);
		nm = name ? xasprintf("%s（%s）", STIX_ANON_NAME, name) :
		    xstrdup(STIX_ANON_NAME);
		j = stix_org_identity(key, nm, "An operator that reported "
		    "through this CEPTOAR secretariat and whose name is "
		    "withheld (セプター経由の匿名化).", "2026-12-07T00:00:00.000Z");
		free(nm);
		return j;
	}
	org = json_integer_value(json_object_get(json_object_get(rep,
	    "submitter"), "org"));
	if (org == 0)
		org = json_integer_value(json_object_get(json_array_get(path, 0),
		    "org"));
	name = org_name(orgs, org);
	cs_fmt(key, sizeof(key), "identity:org:%lld", (long long)org);
	nm = name ? xstrdup(name) : xasprintf("organisation %lld",
	    (long long)org);
	j = stix_org_identity(key, nm, NULL, "2026-12-07T00:00:00.000Z");
	free(nm);
	return j;
}

json_t *
stix_report_bundle(const json_t *rep, const json_t *orgs, struct cs_error *e)
{
	json_t *versions, *last, *form = NULL, *ident, *inc = NULL, *ext,
	    *objs = NULL, *v, *out = NULL;
	const char *ino, *summary;
	char id[STIX_ID_MAX], extid[STIX_ID_MAX], name[64], created[32],
	    modified[32], *title = NULL;
	bool anonymised;
	int64_t rid, cus, mus;
	int k = 0, tlp;

	if (!json_is_object(rep) || !json_is_integer(json_object_get(rep, "id"))) {
		cs_fail(e, CS_EINVAL, "id", "not a report");
		return NULL;
	}
	rid = json_integer_value(json_object_get(rep, "id"));
	tlp = stix_tlp_of(json_string_value(json_object_get(rep, "tlp")));
	anonymised = json_is_true(json_object_get(rep, "anonymised"));
	versions = json_object_get(rep, "versions");
	last = json_array_get(versions, json_array_size(versions) - 1);
	if (last != NULL) {
		k = (int)json_integer_value(json_object_get(last, "version"));
		form = json_deep_copy(json_object_get(last, "form"));
	}
	if (!json_is_object(form)) {
		json_decref(form);
		form = json_object();
	}
	if (anonymised) {
		const char **needles = NULL;
		size_t n = 0;
		struct ident_set *set;

		strings_of(json_object_get(rep, "submitter"), &needles, &n);
		json_object_del(form, "affected_operator_name");
		if (cs_streq(json_string_value(json_object_get(last,
		    "shown_hop")), "source"))
			json_object_del(form, "reporter");
		if (ident_set_new(needles, n, &set) == CS_OK) {
			redact(form, set);
			ident_set_free(set);
		}
		free(needles);
	}
	clean(form);

	/* created: the report; modified: its newest version (docs/interop.md). */
	cus = stix_time_parse(json_string_value(json_object_get(rep,
	    "created_at")));
	mus = stix_time_parse(json_string_value(json_object_get(last,
	    "submitted_at")));
	if (k > 1 && mus < cus + (int64_t)(k - 1) * 1000)
		mus = cus + (int64_t)(k - 1) * 1000;
	if (mus < cus)
		mus = cus;
	stix_time(cus, created, sizeof(created));
	stix_time(mus, modified, sizeof(modified));

	ino = json_string_value(json_object_get(last, "identification_number"));
	summary = json_string_value(json_object_get(json_object_get(form,
	    "overview"), "event_summary"));
	if (ino != NULL)
		cs_strlcpy(name, ino, sizeof(name));
	else
		cs_fmt(name, sizeof(name), "情報連絡 #%lld", (long long)rid);
	title = k > 0 ? xasprintf("%s 第%d報", name, k) : xstrdup(name);

	if ((ident = creator(rep, orgs, anonymised)) == NULL)
		goto out;
	cs_fmt(id, sizeof(id), "report:%lld", (long long)rid);
	{
		char iid[STIX_ID_MAX];

		stix_id("incident", id, iid, sizeof(iid));
		inc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:[s]}",
		    "type", "incident", "spec_version", "2.1", "id", iid,
		    "created", created, "modified", modified, "name", title,
		    "created_by_ref", json_object_get(ident, "id"),
		    "object_marking_refs", stix_marking_id(tlp < 0 ? TLP_RED :
		    (enum cs_tlp)tlp));
	}
	if (inc == NULL) {
		json_decref(ident);
		goto out;
	}
	if (summary != NULL && *summary)
		json_object_set_new(inc, "description", json_string(summary));
	/* A drill's report says so to every tool it lands in (API.md "Drills"). */
	if (json_is_integer(json_object_get(rep, "drill")))
		json_object_set_new(inc, "labels", json_pack("[s]", "drill"));
	ext = json_pack("{s:s, s:I, s:b, s:b}", "extension_type",
	    "property-extension", "report_id", (json_int_t)rid, "anonymised",
	    anonymised, "legal_duty",
	    json_is_true(json_object_get(rep, "legal_duty")));
	if (k > 0)
		json_object_set_new(ext, "report_version", json_integer(k));
	if (ino != NULL)
		json_object_set_new(ext, "identification_number",
		    json_string(ino));
	if ((v = json_object_get(rep, "route")) != NULL && json_is_string(v))
		json_object_set(ext, "route", v);
	if ((v = json_object_get(rep, "sector")) != NULL && json_is_string(v))
		json_object_set(ext, "sector", v);
	if ((v = json_object_get(last, "state")) != NULL && json_is_string(v))
		json_object_set(ext, "state", v);
	if (json_object_size(form) > 0)
		json_object_set(ext, "form", form);
	stix_report_ext_id(extid, sizeof(extid));
	json_object_set_new(inc, "extensions", json_pack("{s:o}", extid, ext));

	objs = json_array();
	json_array_append_new(objs, inc);
	json_array_append_new(objs, ident);
	json_array_append_new(objs, stix_marking(tlp < 0 ? TLP_RED :
	    (enum cs_tlp)tlp));
	json_array_append_new(objs, stix_report_ext_definition());
	json_array_append_new(objs, stix_system_identity());
	cs_fmt(id, sizeof(id), "report:%lld:%d", (long long)rid, k);
	out = stix_bundle(id, objs);
out:
	if (out == NULL)
		cs_fail(e, CS_EINTERNAL, "", "cannot map the report to STIX");
	free(title);
	json_decref(form);
	return out;
}
