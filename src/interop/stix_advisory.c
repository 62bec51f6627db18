/*
 * stix_advisory.c: an advisory (情報提供) as a STIX 2.1 report object with
 * an indicator and an SCO per observable of its text (docs/interop.md).
 */
#include <stdlib.h>
#include <string.h>

#include "interop/stix.h"

/* The 様式's text fields scanned for observables, and shown as the description. */
static const struct {
	const char	*group;		/* NULL: top level */
	const char	*key;
	const char	*heading;
} texts[] = {
	{ "threat_content", "summary", "概要" },
	{ "threat_content", "target", "対象" },
	{ NULL, "countermeasures", "対処方針" },
	{ NULL, "other", "その他" },
	{ NULL, "tlp_special_notes", "特記事項" },
};

static const char *
text_of(const json_t *form, size_t i)
{
	const json_t *g = texts[i].group ? json_object_get(form,
	    texts[i].group) : form;

	return json_string_value(json_object_get(g, texts[i].key));
}

json_t *
stix_advisory_bundle(const json_t *adv, struct cs_error *e)
{
	json_t *form, *versions, *first, *last, *nisc = NULL, *objs = NULL,
	    *refs = NULL, *rep = NULL, *out = NULL, *sco, *ind;
	struct stix_obs *obs = NULL;
	struct cs_buf desc;
	const char *ino, *summary, *s;
	char key[64], rid[STIX_ID_MAX], created[32], modified[32], *name = NULL,
	    *d = NULL;
	const char *marking;
	size_t nobs = 0;
	int64_t aid, cus, mus;
	int k, tlp;

	if (!json_is_object(adv) || !json_is_integer(json_object_get(adv, "id"))) {
		cs_fail(e, CS_EINVAL, "id", "not an advisory");
		return NULL;
	}
	aid = json_integer_value(json_object_get(adv, "id"));
	tlp = stix_tlp_of(json_string_value(json_object_get(adv, "tlp")));
	marking = stix_marking_id(tlp < 0 ? TLP_RED : (enum cs_tlp)tlp);
	k = (int)json_integer_value(json_object_get(adv, "version"));
	form = json_object_get(adv, "form");
	versions = json_object_get(adv, "versions");
	first = json_array_get(versions, 0);
	last = json_array_get(versions, json_array_size(versions) - 1);

	/* created: the first issue; modified: the newest 第k報. */
	cus = stix_time_parse(json_string_value(json_object_get(first,
	    "issued_at")));
	if (cus == 0 && (cus = stix_time_parse(json_string_value(
	    json_object_get(adv, "issued_at")))) == 0)
		cus = stix_time_parse(json_string_value(json_object_get(adv,
		    "created_at")));
	mus = stix_time_parse(json_string_value(json_object_get(last,
	    "issued_at")));
	if (k > 1 && mus < cus + (int64_t)(k - 1) * 1000)
		mus = cus + (int64_t)(k - 1) * 1000;
	if (mus < cus)
		mus = cus;
	stix_time(cus, created, sizeof(created));
	stix_time(mus, modified, sizeof(modified));

	nisc = stix_org_identity("identity:nisc",
	    "内閣官房 内閣サイバーセキュリティセンター（NISC）",
	    "Issuer of the advisory (情報提供).", "2026-12-07T00:00:00.000Z");
	if (nisc == NULL)
		goto out;
	objs = json_array();
	refs = json_array();
	cs_buf_init(&desc, 1 << 24);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		if ((s = text_of(form, i)) == NULL || *s == '\0')
			continue;
		stix_observables(s, strlen(s), &obs, &nobs);
		cs_buf_printf(&desc, "%s【%s】%s", cs_buf_len(&desc) ? "\n\n" :
		    "", texts[i].heading, s);
	}
	d = cs_buf_finish(&desc);
	for (size_t i = 0; i < nobs; i++) {
		char *pat = stix_obs_pattern(&obs[i]), *iname, iid[STIX_ID_MAX];

		if (pat == NULL || (sco = stix_obs_sco(&obs[i])) == NULL) {
			free(pat);
			continue;
		}
		json_object_set_new(sco, "object_marking_refs",
		    json_pack("[s]", marking));
		cs_fmt(key, sizeof(key), "advisory:%lld:", (long long)aid);
		iname = xasprintf("%s%s", key, pat);
		stix_id("indicator", iname, iid, sizeof(iid));
		free(iname);
		iname = xasprintf("%s %s", stix_obs_sco_type(obs[i].type),
		    obs[i].value);
		ind = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:s, s:s, s:s, "
		    "s:s, s:s, s:[s]}",
		    "type", "indicator", "spec_version", "2.1", "id", iid,
		    "created", created, "modified", modified,
		    "created_by_ref", json_object_get(nisc, "id"),
		    "name", iname, "pattern", pat, "pattern_type", "stix",
		    "pattern_version", "2.1", "valid_from", created,
		    "object_marking_refs", marking);
		free(iname);
		free(pat);
		if (ind == NULL) {
			json_decref(sco);
			continue;
		}
		json_array_append(refs, json_object_get(ind, "id"));
		json_array_append(refs, json_object_get(sco, "id"));
		json_array_append_new(objs, ind);
		json_array_append_new(objs, sco);
	}
	json_array_append(refs, json_object_get(nisc, "id"));

	ino = json_string_value(json_object_get(last, "identification_number"));
	if (ino == NULL)
		ino = json_string_value(json_object_get(adv,
		    "identification_number"));
	summary = text_of(form, 0);
	if (ino != NULL)
		name = summary ? xasprintf("%s %s", ino, summary) : xstrdup(ino);
	else
		name = summary ? xasprintf("情報提供 #%lld %s", (long long)aid,
		    summary) : xasprintf("情報提供 #%lld", (long long)aid);
	cs_fmt(key, sizeof(key), "advisory:%lld", (long long)aid);
	stix_id("report", key, rid, sizeof(rid));
	rep = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:O, "
	    "s:O, s:[s]}",
	    "type", "report", "spec_version", "2.1", "id", rid,
	    "created", created, "modified", modified, "name", name,
	    "published", created, "report_types", "threat-report",
	    "created_by_ref", json_object_get(nisc, "id"),
	    "object_refs", refs,
	    "object_marking_refs", marking);
	if (rep == NULL)
		goto out;
	if (d != NULL && *d)
		json_object_set_new(rep, "description", json_string(d));
	if (k > 0)
		json_object_set_new(rep, "labels", json_pack("[s]",
		    k > 1 ? "update" : "initial"));
	/* A drill's advisory says so to every tool it lands in (API.md "Drills"). */
	if (json_is_integer(json_object_get(adv, "drill"))) {
		if (json_object_get(rep, "labels") == NULL)
			json_object_set_new(rep, "labels", json_array());
		json_array_append_new(json_object_get(rep, "labels"),
		    json_string("drill"));
	}
	json_array_insert_new(objs, 0, rep);
	json_array_append(objs, nisc);
	json_array_append_new(objs, stix_marking(tlp < 0 ? TLP_RED :
	    (enum cs_tlp)tlp));
	cs_fmt(key, sizeof(key), "advisory:%lld:%d", (long long)aid, k);
	out = stix_bundle(key, objs);
	objs = NULL;
out:
	if (out == NULL)
		cs_fail(e, CS_EINTERNAL, "", "cannot map the advisory to STIX");
	json_decref(objs);
	json_decref(refs);
	json_decref(nisc);
	stix_obs_free(obs, nobs);
	free(name);
	free(d);
	return out;
}
