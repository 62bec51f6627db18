/*
 * openapi.c: the OpenAPI 3.1 description of the API, built from the route
 * tables the router dispatches on (so it cannot miss or invent a route):
 * every route with its path parameters, its body members, who may call it
 * (authz_describe), its security and its error shape.  Served at
 * GET /api/v1/openapi.json (no login), printed by `cishared openapi`, and
 * committed as docs/openapi.json (make lint fails when it is stale).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "http/http_int.h"

/* "/reports/:id/forward" → "/reports/{id}/forward"; ids numbered from the second. */
static void
oa_path(const char *pattern, char *out, size_t sz, int *nid, int *nstar)
{
	size_t o = 0;

	*nid = *nstar = 0;
	for (const char *p = pattern; *p != '\0' && o + 16 < sz; ) {
		if (p[0] == ':' && strncmp(p, ":id", 3) == 0) {
			(*nid)++;
			o += (size_t)snprintf(out + o, sz - o, *nid == 1 ? "{id}" :
			    "{id%d}", *nid);
			p += 3;
		} else if (p[0] == '*') {
			(*nstar)++;
			o += (size_t)snprintf(out + o, sz - o, "{p%d}", *nstar);
			p++;
		} else
			out[o++] = *p++;
	}
	out[o] = '\0';
}

/* An operationId: the method and the path's words, camel-cased. */
static void
oa_opid(const char *method, const char *pattern, char *out, size_t sz)
{
	size_t o = 0;
	bool up = true;

	for (const char *m = method; *m != '\0' && o + 1 < sz; m++)
		out[o++] = (char)tolower((unsigned char)*m);
	for (const char *p = pattern; *p != '\0' && o + 1 < sz; p++) {
		if (*p == '*' && o + 4 < sz) {
			memcpy(out + o, "Any", 3);
			o += 3;
			up = true;
		} else if (isalnum((unsigned char)*p)) {
			out[o++] = up ? (char)toupper((unsigned char)*p) : *p;
			up = false;
		} else
			up = true;
	}
	out[o] = '\0';
}

static json_t *
oa_error_ref(const char *what)
{
	return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", what,
	    "content", "application/json", "schema", "$ref",
	    "#/components/schemas/Error");
}

static json_t *
oa_operation(const struct api_route *x, const char *prefix, bool taxii,
    json_t *opids)
{
	char who[512], opid[160], path[200];
	json_t *op, *params = json_array(), *resp;
	int nid, nstar;

	oa_path(x->pattern, path, sizeof(path), &nid, &nstar);
	oa_opid(x->method, x->pattern, opid, sizeof(opid));
	if (taxii) {
		char t[160];

		cs_fmt(t, sizeof(t), "%sTaxii", opid);
		(void)cs_strlcpy(opid, t, sizeof(opid));
	}
	/* Unique: a numbered suffix when two patterns fold alike. */
	if (json_object_get(opids, opid) != NULL) {
		char base[160];

		(void)cs_strlcpy(base, opid, sizeof(base));
		for (int n = 2; json_object_get(opids, opid) != NULL; n++)
			cs_fmt(opid, sizeof(opid), "%s%d", base, n);
	}
	json_object_set_new(opids, opid, json_true());
	authz_describe(x->action, who, sizeof(who));
	op = json_pack("{s:s, s:s, s:s, s:[s], s:s}", "operationId", opid,
	    "summary", authz_action_id(x->action), "description", "",
	    "tags", taxii ? "taxii" : x->pattern[1] != '\0' ? x->pattern + 1 :
	    "root", "x-cishare-action", authz_action_id(x->action));
	{
		/* The tag: the first path segment. */
		const char *t = taxii ? "taxii" : x->pattern + 1;
		size_t len = strcspn(t, "/.");

		json_array_set_new(json_object_get(op, "tags"), 0,
		    json_stringn(t, len));
	}
	json_object_set_new(op, "description", json_sprintf("Who may call it: "
	    "%s.%s%s See docs/api.md for the fields and the errors.", who,
	    x->flags & API_STREAM ? " A server-sent event stream "
	    "(text/event-stream)." : "", x->visible != NULL ? " An item the "
	    "caller may not see answers the same 404 as a missing one." : ""));
	json_object_set_new(op, "x-cishare-who-may", json_string(who));
	for (int i = 1; i <= nid; i++) {
		char name[16];

		cs_fmt(name, sizeof(name), i == 1 ? "id" : "id%d", i);
		json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:{s:s, "
		    "s:i}}", "name", name, "in", "path", "required", 1, "schema",
		    "type", "integer", "minimum", 1));
	}
	for (int i = 1; i <= nstar; i++) {
		char name[16];

		cs_fmt(name, sizeof(name), "p%d", i);
		json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:{s:s}}",
		    "name", name, "in", "path", "required", 1, "schema", "type",
		    "string"));
	}
	if (json_array_size(params) > 0)
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);
	if (x->flags & (API_BODY | API_OPTBODY)) {
		json_t *props = json_object();

		if (x->body != NULL)
			for (const char *const *k = x->body->keys; *k != NULL; k++)
				json_object_set_new(props, *k, json_object());
		json_object_set_new(op, "requestBody", json_pack("{s:b, s:{s:{s:"
		    "{s:s, s:o, s:b}}}}", "required", (x->flags & API_BODY) != 0,
		    "content", taxii ? TAXII_MEDIA_TYPE : "application/json",
		    "schema", "type", "object", "properties", props,
		    "additionalProperties", x->body == NULL));
	}
	resp = json_object();
	json_object_set_new(resp, "2XX", json_pack("{s:s}", "description",
	    x->flags & API_STREAM ? "the event stream" : "success"));
	json_object_set_new(resp, "4XX", oa_error_ref("refused: 400 invalid "
	    "(the field named), 401, 403, 404 (absent or invisible), 409, 413, "
	    "429"));
	json_object_set_new(op, "responses", resp);
	if (authz_public(x->action))
		json_object_set_new(op, "security", json_array());
	(void)prefix;
	return op;
}

static void
oa_add(json_t *paths, const struct api_route *x, const char *prefix,
    bool taxii, json_t *opids)
{
	char path[200], key[240], method[16];
	int nid, nstar;
	json_t *item;
	size_t i;

	oa_path(x->pattern, path, sizeof(path), &nid, &nstar);
	cs_fmt(key, sizeof(key), "%s%s", prefix, path);
	if ((item = json_object_get(paths, key)) == NULL) {
		item = json_object();
		json_object_set_new(paths, key, item);
	}
	for (i = 0; x->method[i] != '\0' && i + 1 < sizeof(method); i++)
		method[i] = (char)tolower((unsigned char)x->method[i]);
	method[i] = '\0';
	json_object_set_new(item, method, oa_operation(x, prefix, taxii, opids));
}

/* The monitoring endpoints served beside the route tables (metrics.c). */
static void
oa_ops(json_t *paths)
{
	json_object_set_new(paths, "/api/v1/healthz", json_pack("{s:{s:s, s:s, "
	    "s:[s], s:[], s:{s:{s:s}, s:{s:s}}}}", "get", "operationId",
	    "getHealthz", "summary", "health: 200 ok while the store answers",
	    "tags", "operations", "security", "responses", "200",
	    "description", "ok", "503", "description", "store unavailable"));
	json_object_set_new(paths, "/api/v1/metrics", json_pack("{s:{s:s, s:s, "
	    "s:[s], s:{s:{s:s}, s:o, s:o}}}", "get", "operationId",
	    "getMetrics", "summary", "Prometheus text (loopback or an admin "
	    "token)", "tags", "operations", "responses", "200", "description",
	    "text/plain; version=0.0.4", "401", oa_error_ref("no token"), "403",
	    oa_error_ref("not an admin")));
	json_object_set_new(paths, "/api/v1/openapi.json", json_pack("{s:{s:s, "
	    "s:s, s:[s], s:[], s:{s:{s:s}}}}", "get", "operationId",
	    "getOpenapi", "summary", "this description", "tags", "operations",
	    "security", "responses", "200", "description", "OpenAPI 3.1"));
}

json_t *
http_openapi(void)
{
	json_t *doc, *paths = json_object(), *opids = json_object();

	for (const struct api_route *const *t = api_tables; *t != NULL; t++)
		for (const struct api_route *x = *t; x->method != NULL; x++)
			oa_add(paths, x, API_PREFIX, false, opids);
	for (const struct api_route *const *t = api_taxii_tables; *t != NULL;
	    t++)
		for (const struct api_route *x = *t; x->method != NULL; x++)
			oa_add(paths, x, "", true, opids);
	oa_ops(paths);
	json_decref(opids);
	doc = json_pack("{s:s, s:{s:s, s:s, s:s, s:{s:s, s:s}}, s:[{s:s}], "
	    "s:o, s:[{s:[]}, {s:[]}], s:{s:{s:{s:s, s:s}, s:{s:s, s:s}, "
	    "s:{s:s, s:s, s:s}}, s:{s:{s:s, s:[s], s:{s:{s:s, s:[s, s, s], "
	    "s:{s:{s:s}, s:{s:s}, s:{s:s}}}}}}}}",
	    "openapi", "3.1.0",
	    "info", "title", "cishare API", "version", "1",
	    "description", "The HTTP API of cishared: 情報連絡 (reports), 情報提供 "
	    "(advisories), TLP 2.0, operating modes, analysis, STIX/TAXII. "
	    "Generated from the router's route tables; the contract is "
	    "docs/api.md.", "license", "name", "See the repository",
	    "identifier", "LicenseRef-cishare",
	    "servers", "url", "/",
	    "paths", paths,
	    "security", "bearer", "session",
	    "components", "securitySchemes",
	    "bearer", "type", "http", "scheme", "bearer",
	    "basic", "type", "http", "scheme", "basic",
	    "session", "type", "apiKey", "in", "cookie", "name", API_SESSION_COOKIE,
	    "schemas", "Error", "type", "object", "required", "error",
	    "properties", "error", "type", "object", "required", "code",
	    "field", "message", "properties", "code", "type", "string", "field",
	    "type", "string", "message", "type", "string");
	return doc;
}

void
http_openapi_print(FILE *f)
{
	json_t *doc = http_openapi();

	(void)json_dumpf(doc, f, JSON_INDENT(1) | JSON_SORT_KEYS);
	fputc('\n', f);
	json_decref(doc);
}
