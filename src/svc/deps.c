/*
 * deps.c: the sector dependency graph and a report's cascade (see
 * svc_deps.h; the walk itself is src/analysis/cascade.c).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "svc/svc_deps.h"
#include "svc/svc_report.h"

#define META_KEY	"dependencies"

/* The seeded default, as JSON. */
static json_t *
default_graph(void)
{
	json_t *edges = json_array();

	for (const struct vocab_dep_edge *d = vocab_dep_edges; d->from != NULL; d++)
		json_array_append_new(edges, json_pack("{s:s, s:s, s:s, s:s?}",
		    "from", d->from, "to", d->to, "basis", d->basis, "citation",
		    d->cite));
	return json_pack("{s:o, s:n}", "edges", edges, "edited");
}

enum cs_err
svc_deps_get(struct svc_ctx *c, json_t **out, struct cs_error *e)
{
	char *text = NULL;
	enum cs_err rc;

	*out = NULL;
	rc = store_meta_get(c->st, META_KEY, &text);
	if (rc == CS_ENOENT || (rc == CS_OK && text == NULL)) {
		*out = default_graph();
		return CS_OK;
	}
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*out = json_loads(text, 0, NULL);
	free(text);
	if (*out == NULL)
		return cs_fail(e, CS_EINTERNAL, "", "the stored dependency graph "
		    "is corrupt");
	return CS_OK;
}

/* One edge of a PUT body, checked; into e_out (strings borrowed). */
static enum cs_err
edge_check(json_t *x, size_t i, json_t *all, struct cs_error *e)
{
	static const char *const keys[] = { "from", "to", "basis", "citation" };
	const char *from, *to, *key;
	char path[64];
	json_t *v, *y;
	size_t j;
	enum cs_err rc;

	cs_fmt(path, sizeof(path), "edges.%zu", i);
	if (!json_is_object(x))
		return cs_fail(e, CS_EINVAL, path, "must be an object");
	json_object_foreach(x, key, v) {
		bool known = false;

		for (j = 0; j < sizeof(keys) / sizeof(keys[0]); j++)
			known |= strcmp(key, keys[j]) == 0;
		if (!known) {
			cs_fmt(path, sizeof(path), "edges.%zu.%s", i, key);
			return cs_fail(e, CS_EINVAL, path, "unknown field");
		}
	}
	from = json_string_value(json_object_get(x, "from"));
	to = json_string_value(json_object_get(x, "to"));
	cs_fmt(path, sizeof(path), "edges.%zu.from", i);
	if (core_sector_parse(from) < 0)
		return cs_fail(e, CS_EINVAL, path, "must be a sector id");
	cs_fmt(path, sizeof(path), "edges.%zu.to", i);
	if (core_sector_parse(to) < 0)
		return cs_fail(e, CS_EINVAL, path, "must be a sector id");
	if (strcmp(from, to) == 0)
		return cs_fail(e, CS_EINVAL, path, "an edge joins two sectors");
	json_array_foreach(all, j, y) {
		if (j >= i)
			break;
		if (cs_streq(json_string_value(json_object_get(y, "from")), from) &&
		    cs_streq(json_string_value(json_object_get(y, "to")), to))
			return cs_fail(e, CS_EINVAL, path, "the edge %s -> %s is "
			    "already listed (edges.%zu)", from, to, j);
	}
	cs_fmt(path, sizeof(path), "edges.%zu.basis", i);
	if ((rc = core_check_string(json_object_get(x, "basis"), CS_MAX_TEXT,
	    path, e)) != CS_OK)
		return rc;
	if (json_string_length(json_object_get(x, "basis")) == 0)
		return cs_fail(e, CS_EINVAL, path, "say why the outage may spread");
	v = json_object_get(x, "citation");
	cs_fmt(path, sizeof(path), "edges.%zu.citation", i);
	if (v != NULL && !json_is_null(v) &&
	    (rc = core_check_string(v, CS_MAX_STRING, path, e)) != CS_OK)
		return rc;
	return CS_OK;
}

enum cs_err
svc_deps_put(struct svc_ctx *c, json_t *body, struct cs_error *e)
{
	json_t *edges = json_object_get(body, "edges"), *x, *g, *clean;
	char *text;
	size_t i;
	enum cs_err rc;

	if (!json_is_array(edges))
		return cs_fail(e, CS_EINVAL, "edges", "must be an array of edges");
	if (json_array_size(edges) > SVC_DEPS_MAX)
		return cs_fail(e, CS_EINVAL, "edges", "at most %d edges",
		    SVC_DEPS_MAX);
	clean = json_array();
	json_array_foreach(edges, i, x) {
		json_t *cit;

		if ((rc = edge_check(x, i, edges, e)) != CS_OK) {
			json_decref(clean);
			return rc;
		}
		cit = json_object_get(x, "citation");
		json_array_append_new(clean, json_pack("{s:O, s:O, s:O, s:O}",
		    "from", json_object_get(x, "from"), "to", json_object_get(x,
		    "to"), "basis", json_object_get(x, "basis"), "citation",
		    cit != NULL ? cit : json_null()));
	}
	g = json_pack("{s:o, s:{s:I, s:I}}", "edges", clean, "edited",
	    "by_org", (json_int_t)c->who.org_id, "at_us", (json_int_t)c->now_us);
	text = json_dumps(g, JSON_COMPACT);
	json_decref(g);
	rc = store_meta_set(c->st, META_KEY, text);
	free(text);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if ((rc = svc_audit(c, "dependencies.update", NULL, json_pack("{s:I}",
	    "edges", (json_int_t)json_array_size(edges)), false)) != CS_OK)
		return cs_fail(e, rc, "", "audit failed");
	return CS_OK;
}

/* Does the form show an outage?  Each reason into why. */
static bool
outage(json_t *form, int64_t at_us, json_t *why)
{
	json_t *im = json_object_get(form, "impact");
	const char *st = json_string_value(json_object_get(im,
	    "system_operation_status"));
	struct sml_result sml;

	if (cs_streq(st, "stopped") || cs_streq(st, "partially_operating"))
		json_array_append_new(why, json_pack("{s:s, s:s}", "reason",
		    "system_operation_status", "value", st));
	if (json_is_true(json_object_get(im, "ongoing")))
		json_array_append_new(why, json_pack("{s:s}", "reason",
		    "ongoing"));
	analysis_sml_eval(form, at_us, &sml);
	if (sml.eval == SML_DEVIATION)
		json_array_append_new(why, json_pack("{s:s, s:s?}", "reason",
		    "service_level", "rule", sml.rule != NULL ? sml.rule->id : NULL));
	return json_array_size(why) > 0;
}

enum cs_err
svc_report_cascade(struct svc_ctx *c, struct svc_report *x, json_t **out,
    struct cs_error *e)
{
	struct cascade_hit hits[VOCAB_SECTOR_N];
	struct dep_edge *edges = NULL;
	json_t *g = NULL, *form = NULL, *why = json_array(), *risk = json_array();
	json_t *ge, *v;
	size_t i, ne = 0, nh = 0;
	int64_t at_us = 0;
	enum cs_err rc;

	*out = NULL;
	for (int k = x->r.nversions; k >= 1 && form == NULL; k--) {
		const struct store_version *src = svc_report_hop_row(x, k,
		    HOP_SOURCE);

		if ((form = svc_report_visible_form(c, x, k, NULL)) != NULL)
			at_us = src != NULL ? src->created_us : x->r.updated_us;
	}
	if ((rc = svc_deps_get(c, &g, e)) != CS_OK)
		goto out;
	ge = json_object_get(g, "edges");
	edges = xcalloc(json_array_size(ge) + 1, sizeof(*edges));
	json_array_foreach(ge, i, v) {
		edges[ne].from = core_sector_parse(json_string_value(
		    json_object_get(v, "from")));
		edges[ne].to = core_sector_parse(json_string_value(
		    json_object_get(v, "to")));
		edges[ne].basis = json_string_value(json_object_get(v, "basis"));
		edges[ne].cite = json_string_value(json_object_get(v, "citation"));
		ne++;
	}
	if (form != NULL && outage(form, at_us, why))
		nh = analysis_cascade(edges, ne, x->r.sector, hits,
		    sizeof(hits) / sizeof(hits[0]));
	for (i = 0; i < nh; i++) {
		json_t *path = json_array();

		for (int p = 0; p < hits[i].npath; p++)
			json_array_append_new(path, json_string(core_sector_id(
			    hits[i].path[p])));
		json_array_append_new(risk, json_pack("{s:s, s:o, s:s?, s:s?}",
		    "sector", core_sector_id(hits[i].sector), "path", path,
		    "basis", hits[i].via->basis, "citation", hits[i].via->cite));
	}
	*out = json_pack("{s:s, s:b, s:O, s:O}", "sector",
	    core_sector_id(x->r.sector), "outage", json_array_size(why) > 0,
	    "why", why, "at_risk", risk);
	rc = CS_OK;
out:
	free(edges);
	json_decref(g);
	json_decref(form);
	json_decref(why);
	json_decref(risk);
	return rc;
}
