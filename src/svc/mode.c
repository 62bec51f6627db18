/*
 * mode.c: the large-scale CI service failure mode and its situation board
 * (see svc_mode.h).
 */
#include <stdlib.h>
#include <string.h>

#include "gen/vocab.h"
#include "svc/svc_adv.h"
#include "svc/svc_mode.h"
#include "svc/svc_report.h"

#define BOARD_ITEMS	20	/* reports, advisories, updates per sector */

enum cs_err
svc_mode_state(struct store *st, enum cs_mode *mode, uint32_t *sectors)
{
	struct store_mode m;
	enum cs_err rc;

	*mode = MODE_NORMAL;
	*sectors = 0;
	rc = store_mode_current(st, MODE_KIND_LARGE_SCALE, &m);
	if (rc == CS_ENOENT)
		return CS_OK;
	if (rc != CS_OK)
		return rc;
	*mode = MODE_LARGE_SCALE;
	*sectors = m.sectors;
	return CS_OK;
}

static json_t *
sectors_json(uint32_t bits)
{
	json_t *a = json_array();

	for (int s = 0; s < CS_NSECTORS; s++)
		if (bits & (1u << s))
			json_array_append_new(a, json_string(core_sector_id(s)));
	return a;
}

static json_t *
mode_json(const struct store_mode *m)
{
	return json_pack("{s:I, s:o, s:s, s:o, s:I, s:o}", "id",
	    (json_int_t)m->id, "declared_at", svc_time(m->declared_us),
	    "cause", vocab_ls_cause[m->cause >= 0 && m->cause < VOCAB_LS_CAUSE_N ?
	    m->cause : VOCAB_LS_CAUSE_N - 1].id, "sectors", sectors_json(m->sectors),
	    "declared_by", (json_int_t)m->declared_by_org, "ended_at",
	    m->ended_us ? svc_time(m->ended_us) : json_null());
}

enum cs_err
svc_mode_get(struct svc_ctx *c, json_t **out, struct cs_error *e)
{
	struct store_mode *v = NULL;
	json_t *hist, *cur = json_null();
	size_t n = 0;
	enum cs_err rc;

	if ((rc = store_mode_list(c->st, 100, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	hist = json_array();
	for (size_t i = 0; i < n; i++) {
		if (v[i].ended_us == 0 && json_is_null(cur))
			cur = mode_json(&v[i]);
		json_array_append_new(hist, mode_json(&v[i]));
	}
	store_modes_free(v, n);
	*out = json_pack("{s:o, s:o}", "large_scale", cur, "history", hist);
	return CS_OK;
}

/* {"sectors": [...]} into bits (400 naming sectors.N). */
static enum cs_err
sectors_arg(json_t *v, uint32_t *bits, struct cs_error *e)
{
	json_t *x;
	size_t i;
	char path[32];

	*bits = 0;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return cs_fail(e, CS_EINVAL, "sectors", "name the affected sectors");
	json_array_foreach(v, i, x) {
		int s = core_sector_parse(json_string_value(x));

		cs_fmt(path, sizeof(path), "sectors.%zu", i);
		if (s < 0)
			return cs_fail(e, CS_EINVAL, path, "unknown sector id");
		*bits |= 1u << s;
	}
	return CS_OK;
}

enum cs_err
svc_mode_declare(struct svc_ctx *c, json_t *body, json_t **out,
    struct cs_error *e)
{
	struct store_mode m, cur;
	int cause = vocab_index(vocab_ls_cause, json_string_value(
	    json_object_get(body, "cause")));
	enum cs_err rc;

	memset(&m, 0, sizeof(m));
	if (cause < 0)
		return cs_fail(e, CS_EINVAL, "cause", "must be disaster, terror, "
		    "cyber or other");
	if ((rc = sectors_arg(json_object_get(body, "sectors"), &m.sectors,
	    e)) != CS_OK)
		return rc;
	if ((rc = store_mode_current(c->st, MODE_KIND_LARGE_SCALE, &cur)) == CS_OK)
		return cs_fail(e, CS_ECONFLICT, "", "the large-scale mode is on "
		    "already (declared %lld)", (long long)cur.id);
	if (rc != CS_ENOENT)
		return cs_fail(e, rc, "", "store error");
	m.kind = MODE_KIND_LARGE_SCALE;
	m.cause = cause;
	m.declared_us = c->now_us;
	m.declared_by_org = c->who.org_id;
	m.declared_by_user = c->who.user_id;
	if ((rc = store_mode_insert(c->st, &m)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if ((rc = svc_audit(c, "mode.declare", NULL, json_pack("{s:I, s:s, s:o}",
	    "mode", (json_int_t)m.id, "cause", vocab_ls_cause[cause].id,
	    "sectors", sectors_json(m.sectors)), false)) != CS_OK)
		return cs_fail(e, rc, "", "audit failed");
	*out = mode_json(&m);
	return CS_OK;
}

enum cs_err
svc_mode_end(struct svc_ctx *c, json_t **out, struct cs_error *e)
{
	struct store_mode m;
	enum cs_err rc;

	if ((rc = store_mode_current(c->st, MODE_KIND_LARGE_SCALE, &m)) == CS_ENOENT)
		return cs_fail(e, CS_ECONFLICT, "", "the large-scale mode is not on");
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if ((rc = store_mode_end(c->st, m.id, c->now_us, c->who.user_id)) != CS_OK)
		return cs_fail(e, rc == CS_ENOENT ? CS_ECONFLICT : rc, "",
		    "the large-scale mode is not on");
	m.ended_us = c->now_us;
	m.ended_by_user = c->who.user_id;
	if ((rc = svc_audit(c, "mode.end", NULL, json_pack("{s:I}", "mode",
	    (json_int_t)m.id), false)) != CS_OK)
		return cs_fail(e, rc, "", "audit failed");
	*out = mode_json(&m);
	return CS_OK;
}

enum cs_err
svc_situation_post(struct svc_ctx *c, json_t *body, int64_t *id,
    struct cs_error *e)
{
	static const char *const kinds[] = { "damage", "response" };
	struct store_situation s;
	struct store_mode m;
	const char *kind = json_string_value(json_object_get(body, "kind"));
	json_t *down = json_object_get(body, "services_down"), *x;
	json_t *est = json_object_get(body, "restoration_estimate");
	char path[40], *text = NULL;
	size_t i;
	enum cs_err rc;

	memset(&s, 0, sizeof(s));
	if ((rc = store_mode_current(c->st, MODE_KIND_LARGE_SCALE, &m)) == CS_ENOENT)
		return cs_fail(e, CS_ECONFLICT, "", "the large-scale mode is not on");
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	s.sector = core_sector_parse(json_string_value(json_object_get(body,
	    "sector")));
	if (s.sector < 0)
		return cs_fail(e, CS_EINVAL, "sector", "unknown sector id");
	if (!(m.sectors & (1u << s.sector)))
		return cs_fail(e, CS_EINVAL, "sector", "%s is not an affected "
		    "sector of the large-scale mode", core_sector_id(s.sector));
	s.kind = kind != NULL && strcmp(kind, kinds[1]) == 0 ? 1 : 0;
	if (kind == NULL || (strcmp(kind, kinds[0]) != 0 && s.kind == 0))
		return cs_fail(e, CS_EINVAL, "kind", "must be damage or response");
	if ((rc = core_check_string(json_object_get(body, "text"), CS_MAX_TEXT,
	    "text", e)) != CS_OK)
		return rc;
	if (json_string_length(json_object_get(body, "text")) == 0)
		return cs_fail(e, CS_EINVAL, "text", "required field is missing");
	if (down != NULL && !json_is_null(down)) {
		if (!json_is_array(down) || json_array_size(down) > 64)
			return cs_fail(e, CS_EINVAL, "services_down", "must be an "
			    "array of service ids");
		json_array_foreach(down, i, x) {
			int v = vocab_index(vocab_service, json_string_value(x));

			cs_fmt(path, sizeof(path), "services_down.%zu", i);
			if (v < 0 || !cs_streq(vocab_service[v].parent,
			    core_sector_id(s.sector)))
				return cs_fail(e, CS_EINVAL, path, "not a service of "
				    "sector %s", core_sector_id(s.sector));
		}
		text = json_dumps(down, JSON_COMPACT);
	}
	if (est != NULL && !json_is_null(est) &&
	    (rc = core_check_string(est, CS_MAX_STRING, "restoration_estimate",
	    e)) != CS_OK) {
		free(text);
		return rc;
	}
	s.mode = m.id;
	s.text = (char *)json_string_value(json_object_get(body, "text"));
	s.services_down = text;
	s.restoration = (char *)json_string_value(est);
	s.by_org = c->who.org_id;
	s.by_user = c->who.user_id;
	s.at_us = c->now_us;
	rc = store_situation_insert(c->st, &s);
	free(text);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*id = s.id;
	if ((rc = svc_audit(c, "situation.post", NULL, json_pack("{s:I, s:s, s:s}",
	    "update", (json_int_t)s.id, "sector", core_sector_id(s.sector),
	    "kind", kinds[s.kind]), false)) != CS_OK)
		return cs_fail(e, rc, "", "audit failed");
	return CS_OK;
}

/* The newest reports NISC holds of sector s that the caller may read. */
static json_t *
board_reports(struct svc_ctx *c, int s)
{
	json_t *out = json_array();
	int64_t *ids = NULL, before = 0;
	size_t n = 0;

	do {
		if (store_report_candidates_held(c->st, ORG_NISC, 1u << s, before,
		    200, &ids, &n) != CS_OK)
			break;
		for (size_t i = 0; i < n && json_array_size(out) < BOARD_ITEMS; i++) {
			struct svc_report x;
			struct cs_error le;

			before = ids[i];
			if (svc_report_load_visible(c, ids[i], 0, &x, &le) != CS_OK)
				continue;
			json_array_append_new(out, json_pack("{s:I, s:o, s:s, "
				    "s:s}", "id", (json_int_t)x.r.id,
				    "identification_number", x.r.r_number ?
				    json_sprintf("R%lld", (long long)x.r.r_number) :
				    json_null(), "state", core_state_id(x.r.state),
				    "tlp", core_tlp_id(x.r.tlp)));
			svc_report_fini(&x);
		}
		free(ids);
		ids = NULL;
	} while (n == 200 && json_array_size(out) < BOARD_ITEMS);
	return out;
}

/* The newest advisories for sector s that the caller may read. */
static json_t *
board_advisories(struct svc_ctx *c, int s)
{
	struct store_advisory *v = NULL;
	json_t *out = json_array();
	size_t n = 0;

	if (store_adv_list(c->st, 0, 500, &v, &n) != CS_OK)
		return out;
	for (size_t i = 0; i < n && json_array_size(out) < BOARD_ITEMS; i++) {
		struct svc_adv x;
		struct cs_error le;

		if (!(v[i].sectors & (1u << s)) ||
		    svc_adv_load(c, v[i].id, &x, &le) != CS_OK)
			continue;
		if (policy_advisory_may_read(&c->who, &x.acl))
			json_array_append_new(out, json_pack("{s:I, s:o, s:s, s:s, "
			    "s:b}", "id", (json_int_t)v[i].id,
			    "identification_number", v[i].t_number ? json_sprintf(
			    "T%lld", (long long)v[i].t_number) : json_null(),
			    "state", core_adv_state_id(v[i].state), "tlp",
			    core_tlp_id(v[i].tlp), "urgent", v[i].urgent));
		svc_adv_fini(&x);
	}
	free(v);
	return out;
}

enum cs_err
svc_situation_board(struct svc_ctx *c, int64_t mode_id, json_t **out,
    struct cs_error *e)
{
	struct store_mode *modes = NULL, *m = NULL;
	struct store_situation *u = NULL;
	json_t *secs;
	size_t nm = 0, nu = 0;
	enum cs_err rc;

	*out = NULL;
	if ((rc = store_mode_list(c->st, 1000, &modes, &nm)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	for (size_t i = 0; i < nm && m == NULL; i++)
		if (mode_id != 0 ? modes[i].id == mode_id : modes[i].ended_us == 0)
			m = &modes[i];
	if (m == NULL) {
		store_modes_free(modes, nm);
		if (mode_id != 0)
			return cs_fail(e, CS_ENOENT, "", "no such mode");
		*out = json_pack("{s:n, s:[]}", "mode", "sectors");
		return CS_OK;
	}
	if ((rc = store_situation_list(c->st, m->id, 10000, &u, &nu)) != CS_OK) {
		store_modes_free(modes, nm);
		return cs_fail(e, rc, "", "store error");
	}
	secs = json_array();
	for (int s = 0; s < CS_NSECTORS; s++) {
		json_t *ups, *down, *est;

		if (!(m->sectors & (1u << s)))
			continue;
		ups = json_array();
		down = json_null();
		est = json_null();
		/* u is newest first: the first of each kind is the latest. */
		for (size_t i = 0; i < nu; i++) {
			if (u[i].sector != s)
				continue;
			if (json_is_null(down) && u[i].services_down != NULL) {
				json_decref(down);
				down = json_pack("{s:o, s:o}", "services",
				    json_loads(u[i].services_down, 0, NULL),
				    "at", svc_time(u[i].at_us));
			}
			if (json_is_null(est) && u[i].restoration != NULL)
				est = json_pack("{s:s, s:o}", "text", u[i].restoration,
				    "at", svc_time(u[i].at_us));
			if (json_array_size(ups) < BOARD_ITEMS)
				json_array_append_new(ups, json_pack("{s:I, s:s, s:s, "
				    "s:I, s:o}", "id", (json_int_t)u[i].id, "kind",
				    u[i].kind ? "response" : "damage", "text", u[i].text,
				    "by_org", (json_int_t)u[i].by_org, "at",
				    svc_time(u[i].at_us)));
		}
		json_array_append_new(secs, json_pack("{s:s, s:o, s:o, s:o, s:o, "
		    "s:o}", "sector", core_sector_id(s), "services_down", down,
		    "restoration_estimate", est, "reports", board_reports(c, s),
		    "advisories", board_advisories(c, s), "updates", ups));
	}
	*out = json_pack("{s:o, s:o}", "mode", mode_json(m), "sectors", secs);
	store_situations_free(u, nu);
	store_modes_free(modes, nm);
	return CS_OK;
}
