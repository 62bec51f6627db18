/*
 * obj.c: import of contributed STIX objects and their TAXII status
 * resources (svc_obj.h).
 */
#include <stdlib.h>
#include <string.h>

#include "interop/stix.h"
#include "svc/svc_obj.h"

static json_t *
status_json(const struct store_taxii_status *s)
{
	json_t *d = json_loads(s->detail, 0, NULL), *j;
	char ts[40];

	if (d == NULL)
		d = json_pack("{s:[], s:[]}", "successes", "failures");
	stix_time(s->at_us, ts, sizeof(ts));
	j = json_pack("{s:s, s:s, s:s, s:i, s:I, s:O, s:i, s:O, s:i, s:[]}",
	    "id", s->id, "status", "complete", "request_timestamp", ts,
	    "total_count", s->total,
	    "success_count", (json_int_t)json_array_size(json_object_get(d,
	    "successes")), "successes", json_object_get(d, "successes"),
	    "failure_count", (int)json_array_size(json_object_get(d, "failures")),
	    "failures", json_object_get(d, "failures"),
	    "pending_count", 0, "pendings");
	json_decref(d);
	return j;
}

enum cs_err
svc_obj_import(struct svc_ctx *c, const json_t *body, json_t **status,
    struct cs_error *e)
{
	return svc_obj_import_as(c, "taxii.contribute", body, status, e);
}

enum cs_err
svc_obj_import_as(struct svc_ctx *c, const char *action, const json_t *body,
    json_t **status, struct cs_error *e)
{
	struct store_taxii_status s;
	json_t *objs, *o, *one, *succ, *detail;
	char name[64], sid[37], *text = NULL;
	int64_t n;
	size_t i;
	int ntlp[TLP_CLEAR + 1] = { 0 };
	enum cs_err rc;

	*status = NULL;
	if ((rc = stix_import_check(body, STIX_IMPORT_MAX, e)) != CS_OK)
		return rc;
	if ((rc = store_counter_next(c->st, "taxii_status", &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	cs_fmt(name, sizeof(name), "taxii-status:%lld", (long long)n);
	if (stix_uuid5(STIX_NS, name, strlen(name), sid) != CS_OK)
		return cs_fail(e, CS_EINTERNAL, "", "status id");
	objs = json_object_get(body, "objects");
	succ = json_array();
	json_array_foreach(objs, i, o) {
		struct store_obj r;
		const char *ver = stix_object_version(o);
		bool added;

		memset(&r, 0, sizeof(r));
		r.collection = (char *)SVC_OBJ_CONTRIBUTIONS;
		r.stix_id = (char *)json_string_value(json_object_get(o, "id"));
		r.type = (char *)json_string_value(json_object_get(o, "type"));
		r.spec_version = (char *)"2.1";
		r.modified = (char *)(ver != NULL ? ver : "");
		r.added_us = c->now_us;
		r.tlp = stix_object_tlp(o);
		r.org = c->who.org_id;
		r.status = sid;
		text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (text == NULL) {
			json_decref(succ);
			return cs_fail(e, CS_EINTERNAL, "", "cannot render an object");
		}
		r.json = text;
		rc = store_obj_add(c->st, &r, &added);
		free(text);
		if (rc != CS_OK) {
			json_decref(succ);
			return cs_fail(e, rc, "", "store error");
		}
		ntlp[r.tlp]++;
		one = json_pack("{s:s, s:s}", "id", r.stix_id, "message",
		    added ? "added" : "already held");
		if (*r.modified)
			json_object_set_new(one, "version", json_string(r.modified));
		json_array_append_new(succ, one);
	}
	detail = json_pack("{s:o, s:[]}", "successes", succ, "failures");
	text = json_dumps(detail, JSON_COMPACT);
	json_decref(detail);
	memset(&s, 0, sizeof(s));
	s.id = sid;
	s.org = c->who.org_id;
	s.at_us = c->now_us;
	s.total = (int)json_array_size(objs);
	s.detail = text;
	rc = store_taxii_status_add(c->st, &s);
	if (rc == CS_OK)
		*status = status_json(&s);
	free(text);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if ((rc = svc_audit(c, action, NULL, json_pack("{s:s, s:i, "
	    "s:{s:i, s:i, s:i, s:i, s:i}}", "status", sid, "objects", s.total,
	    "tlp", "red", ntlp[TLP_RED], "amber_strict", ntlp[TLP_AMBER_STRICT],
	    "amber", ntlp[TLP_AMBER], "green", ntlp[TLP_GREEN], "clear",
	    ntlp[TLP_CLEAR]), false)) != CS_OK) {
		json_decref(*status);
		*status = NULL;
		return cs_fail(e, rc, "", "audit failed");
	}
	return CS_OK;
}

enum cs_err
svc_obj_status(struct svc_ctx *c, const char *id, json_t **status,
    struct cs_error *e)
{
	struct store_taxii_status s;
	enum cs_err rc;

	*status = NULL;
	rc = store_taxii_status_get(c->st, id, &s);
	if (rc == CS_ENOENT)
		return cs_fail(e, CS_ENOENT, "", "no such status resource");
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if (!policy_contribution_may_read(&c->who, s.org, TLP_AMBER))
		rc = cs_fail(e, CS_ENOENT, "", "no such status resource");
	else
		*status = status_json(&s);
	store_taxii_status_fini(&s);
	return rc;
}
