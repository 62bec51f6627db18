/*
 * orgs.c: organisations, users, tokens and /me (API.md "Organisations,
 * users, tokens"): parse -> svc (svc/svc_dir.h) -> render.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "svc/svc_council.h"
#include "svc/svc_dir.h"

static json_t *
roles_json(unsigned roles)
{
	return api_bits_json(roles, CS_NROLES, core_role_id);
}

static json_t *
user_json(const struct store_user *u)
{
	json_t *j = json_pack("{s:I, s:I, s:s, s:o, s:b}", "id", (json_int_t)u->id,
	    "org", (json_int_t)u->org, "login", u->login,
	    "roles", roles_json(u->roles), "nda_contractor", u->nda_contractor);

	json_object_set_new(j, "display_name", u->display_name ?
	    json_string(u->display_name) : json_null());
	json_object_set_new(j, "email", u->email ? json_string(u->email) : json_null());
	json_object_set_new(j, "phone", u->phone ? json_string(u->phone) : json_null());
	json_object_set_new(j, "fax", u->fax ? json_string(u->fax) : json_null());
	json_object_set_new(j, "department", u->department ?
	    json_string(u->department) : json_null());
	json_object_set_new(j, "created_at", api_time(u->created_us));
	return j;
}

static enum cs_err
opt_string(json_t *body, const char *key, size_t max, bool required,
    const char **out, struct cs_error *e)
{
	json_t *v = json_object_get(body, key);
	enum cs_err rc;

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return cs_fail(e, CS_EINVAL, key, "required field is missing");
		return CS_OK;
	}
	if ((rc = core_check_string(v, max, key, e)) != CS_OK)
		return rc;
	if (required && json_string_length(v) == 0)
		return cs_fail(e, CS_EINVAL, key, "must not be empty");
	*out = json_string_value(v);
	return CS_OK;
}

/* The answer of a create: 201 {"id"} when rc is CS_OK, else rc. */
static enum cs_err
created(struct api_req *r, enum cs_err rc, int64_t id)
{
	if (rc != CS_OK)
		return rc;
	r->status = 201;
	r->out = json_pack("{s:I}", "id", (json_int_t)id);
	return CS_OK;
}

/* POST /orgs */
static enum cs_err
orgs_create(struct api_req *r, struct cs_error *e)
{
	struct svc_org_in in;
	struct svc_ctx c;
	json_t *v;
	int64_t id;
	enum cs_err rc;

	memset(&in, 0, sizeof(in));
	api_svc_ctx(r, &c);
	if ((rc = opt_string(r->body, "name", CS_MAX_STRING, true, &in.name,
	    e)) != CS_OK)
		return rc;
	v = json_object_get(r->body, "type");
	if (v == NULL)
		return cs_fail(e, CS_EINVAL, "type", "required field is missing");
	if (!json_is_string(v) || core_org_type_parse(json_string_value(v),
	    &in.type) != 0)
		return cs_fail(e, CS_EINVAL, "type", "must be one of the actor "
		    "type ids of actors_and_flows.json");
	v = json_object_get(r->body, "sectors");
	if (v != NULL && !json_is_null(v) &&
	    (rc = api_sectors_arg(v, &in.sectors, e)) != CS_OK)
		return rc;
	if (in.sectors == 0 && svc_org_needs_sectors(in.type))
		return cs_fail(e, CS_EINVAL, "sectors", "a %s must list its "
		    "sector(s)", core_org_type_id(in.type));
	v = json_object_get(r->body, "ceptoar");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return cs_fail(e, CS_EINVAL, "ceptoar", "must be an "
			    "organisation id or null");
		in.ceptoar = json_integer_value(v);
		if ((rc = svc_org_ceptoar_check(&c, in.ceptoar, e)) != CS_OK)
			return rc;
	}
	v = json_object_get(r->body, "pre_arranged");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_boolean(v))
			return cs_fail(e, CS_EINVAL, "pre_arranged", "must be a boolean");
		if (json_is_true(v) && !svc_org_may_pre_arrange(in.type))
			return cs_fail(e, CS_EINVAL, "pre_arranged", "only a "
			    "cybersecurity_agency can be pre-arranged (※1)");
		in.pre_arranged = json_is_true(v);
	}
	in.identifiers = json_object_get(r->body, "identifiers");
	in.checked = true;
	rc = svc_org_create(&c, &in, &id, e);
	return created(r, rc, id);
}

/* GET /orgs */
static enum cs_err
orgs_list(struct api_req *r, struct cs_error *e)
{
	struct store_org *v;
	struct api_page p;
	size_t n;
	enum cs_err rc;

	if ((rc = api_page_begin(r, &p, e)) != CS_OK)
		return rc;
	if ((rc = store_org_list(r->st, p.cursor, p.limit + 1, &v, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	/* A page is limit rows; the platform organisation only admins see. */
	for (size_t i = 0; i < n && i < (size_t)p.limit; i++) {
		if (v[i].type != ORG_PLATFORM || (r->who.roles & ROLE_ADMIN))
			api_page_add(&p, api_org_json(&v[i], true), v[i].id);
		p.last = v[i].id;
	}
	p.more = n > (size_t)p.limit;
	store_orgs_free(v, n);
	return api_page_end(r, &p);
}

/* GET /orgs/{id} */
static enum cs_err
orgs_get(struct api_req *r, struct cs_error *e)
{
	struct store_org o;
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(r, &c);
	if ((rc = svc_org_load(&c, r->ids[0], &o, e)) != CS_OK)
		return rc;
	r->out = api_org_json(&o, true);
	/* The identifying strings are shown to those who may change them. */
	if ((r->who.roles & ROLE_ADMIN) || ((r->who.roles & ROLE_ORG_ADMIN) &&
	    r->who.org_id == o.id)) {
		json_t *ids = o.identifiers ? json_loads(o.identifiers, 0, NULL) : NULL;

		json_object_set_new(r->out, "identifiers", ids ? ids : json_array());
	}
	store_org_fini(&o);
	r->status = 200;
	return CS_OK;
}

/*
 * PATCH /orgs/{id}: an admin changes name, sectors, ceptoar, pre_arranged
 * (※1), council_member (a CEPTOAR secretariat's membership of the CEPTOAR
 * council) and identifiers; an org_admin only its own organisation's
 * identifiers (the strings the de-identification check looks for).
 */
static enum cs_err
orgs_patch(struct api_req *r, struct cs_error *e)
{
	static const char *const own_keys[] = { "identifiers", NULL };
	struct store_org o;
	struct svc_ctx c;
	const char *name;
	char *idents = NULL;
	json_t *v;
	bool admin = (r->who.roles & ROLE_ADMIN) != 0, yes;
	enum cs_err rc;

	api_svc_ctx(r, &c);
	if ((rc = svc_org_load(&c, r->ids[0], &o, e)) != CS_OK)
		return rc;
	if ((rc = svc_org_may_update(&c, &o, e)) != CS_OK)
		goto out;
	/* An org_admin changes only its identifiers (the route allows the rest). */
	if (!admin && (rc = api_check_keys(r->body, own_keys, e)) != CS_OK)
		goto out;
	if ((rc = opt_string(r->body, "name", CS_MAX_STRING, false, &name, e)) != CS_OK)
		goto out;
	if (name != NULL) {
		if (*name == '\0') {
			rc = cs_fail(e, CS_EINVAL, "name", "must not be empty");
			goto out;
		}
		free(o.name);
		o.name = xstrdup(name);
	}
	v = json_object_get(r->body, "sectors");
	if (v != NULL) {
		uint32_t set;

		if ((rc = api_sectors_arg(v, &set, e)) != CS_OK)
			goto out;
		o.sectors = set;
	}
	v = json_object_get(r->body, "ceptoar");
	if (v != NULL) {
		if (json_is_null(v))
			o.ceptoar = 0;
		else if (!json_is_integer(v) || svc_org_is_ceptoar(&c,
		    json_integer_value(v), &yes) != CS_OK) {
			rc = cs_fail(e, CS_EINVAL, "ceptoar", "no such organisation");
			goto out;
		} else if (!yes) {
			rc = cs_fail(e, CS_EINVAL, "ceptoar", "not a "
			    "ceptoar_secretariat");
			goto out;
		} else
			o.ceptoar = json_integer_value(v);
	}
	v = json_object_get(r->body, "pre_arranged");
	if (v != NULL) {
		if (!json_is_boolean(v) || (json_is_true(v) &&
		    !svc_org_may_pre_arrange(o.type))) {
			rc = cs_fail(e, CS_EINVAL, "pre_arranged", "a boolean; only a "
			    "cybersecurity_agency can be pre-arranged (※1)");
			goto out;
		}
		o.pre_arranged = json_is_true(v);
	}
	if (svc_org_needs_sectors(o.type) && o.sectors == 0) {
		rc = cs_fail(e, CS_EINVAL, "sectors", "a %s must list its sector(s)",
		    core_org_type_id(o.type));
		goto out;
	}
	if ((v = json_object_get(r->body, "identifiers")) != NULL) {
		if ((rc = svc_org_identifiers(v, &idents, e)) != CS_OK)
			goto out;
		free(o.identifiers);
		o.identifiers = idents;
		idents = NULL;
	}
	v = json_object_get(r->body, "council_member");
	if (v != NULL && !json_is_boolean(v)) {
		rc = cs_fail(e, CS_EINVAL, "council_member", "must be true or false");
		goto out;
	}
	if (v != NULL && (rc = svc_council_member_set(&c, &o, json_is_true(v),
	    e)) != CS_OK)
		goto out;
	if ((rc = svc_org_update(&c, &o, r->body, e)) != CS_OK)
		goto out;
	r->status = 200;
	r->out = api_org_json(&o, true);
	if (svc_council_is_member(&c, o.id, &yes, e) == CS_OK)
		json_object_set_new(r->out, "council_member", json_boolean(yes));
out:
	free(idents);
	store_org_fini(&o);
	return rc;
}

/* A "roles" member: a non-empty array of role ids, as a set. */
static enum cs_err
roles_arg(json_t *v, unsigned *roles, struct cs_error *e)
{
	char path[32];
	json_t *x;
	size_t i;
	unsigned bit;

	*roles = 0;
	if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 16)
		return cs_fail(e, CS_EINVAL, "roles", "must be a non-empty array "
		    "of roles");
	json_array_foreach(v, i, x) {
		cs_fmt(path, sizeof(path), "roles.%zu", i);
		if (!json_is_string(x) ||
		    (bit = core_role_parse(json_string_value(x))) == 0)
			return cs_fail(e, CS_EINVAL, path, "unknown role");
		*roles |= bit;
	}
	return CS_OK;
}

/* POST /users */
static enum cs_err
users_create(struct api_req *r, struct cs_error *e)
{
	struct svc_user_in in;
	struct svc_ctx c;
	json_t *v;
	int64_t id;
	enum cs_err rc;

	memset(&in, 0, sizeof(in));
	api_svc_ctx(r, &c);
	v = json_object_get(r->body, "org");
	if (v == NULL)
		return cs_fail(e, CS_EINVAL, "org", "required field is missing");
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return cs_fail(e, CS_EINVAL, "org", "must be an organisation id");
	in.org = json_integer_value(v);
	if ((rc = svc_user_may_add(&c, in.org, e)) != CS_OK)
		return rc;
	if ((rc = opt_string(r->body, "login", 64, true, &in.login, e)) != CS_OK)
		return rc;
	if ((rc = svc_user_login_check(in.login, e)) != CS_OK)
		return rc;
	if ((rc = opt_string(r->body, "display_name", CS_MAX_STRING, false,
	    &in.display_name, e)) != CS_OK ||
	    (rc = opt_string(r->body, "email", CS_MAX_STRING, false, &in.email,
	    e)) != CS_OK ||
	    (rc = opt_string(r->body, "phone", 64, false, &in.phone, e)) != CS_OK ||
	    (rc = opt_string(r->body, "fax", 64, false, &in.fax, e)) != CS_OK ||
	    (rc = opt_string(r->body, "department", CS_MAX_STRING, false,
	    &in.department, e)) != CS_OK ||
	    (rc = opt_string(r->body, "password", 1024, false, &in.password,
	    e)) != CS_OK)
		return rc;
	if ((rc = svc_user_password_rule(r->cfg, in.login, in.password, e)) !=
	    CS_OK)
		return rc;
	v = json_object_get(r->body, "roles");
	if (v == NULL)
		return cs_fail(e, CS_EINVAL, "roles", "required field is missing");
	if ((rc = roles_arg(v, &in.roles, e)) != CS_OK ||
	    (rc = svc_user_roles_check(&c, in.roles, e)) != CS_OK)
		return rc;
	if ((rc = api_bool_arg(r->body, "nda_contractor", true,
	    &in.nda_contractor, e)) != CS_OK)
		return rc;
	in.checked = true;
	rc = svc_user_create(&c, &in, &id, e);
	return created(r, rc, id);
}

/* GET /users?org= */
static enum cs_err
users_list(struct api_req *r, struct cs_error *e)
{
	struct store_user *v;
	struct api_page p;
	size_t n;
	int64_t org = 0;
	const char *q = r->query(r->conn, "org");
	enum cs_err rc;

	if ((rc = api_page_begin(r, &p, e)) != CS_OK)
		return rc;
	if (q != NULL && cs_str_to_i64(q, 1, INT64_MAX, &org) != CS_OK)
		return cs_fail(e, CS_EINVAL, "org", "must be an organisation id");
	if (!(r->who.roles & ROLE_ADMIN)) {	/* an org_admin (ACT_USER_LIST) */
		if (org != 0 && org != r->who.org_id)
			return cs_fail(e, CS_EPERM, "org", "org_admin sees only "
			    "its own organisation");
		org = r->who.org_id;
	}
	if ((rc = store_user_list(r->st, org, p.cursor, p.limit + 1, &v,
	    &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	for (size_t i = 0; i < n && !api_page_full(&p); i++)
		api_page_add(&p, user_json(&v[i]), v[i].id);
	store_users_free(v, n);
	return api_page_end(r, &p);
}

/* POST /users/{id}/tokens */
static enum cs_err
tokens_create(struct api_req *r, struct cs_error *e)
{
	struct svc_ctx c;
	const char *label;
	char *tok = NULL;
	enum cs_err rc;

	const char *scope = NULL;
	json_t *days = json_object_get(r->body, "expires_in_days");
	int64_t expires_us = r->now_us + API_TOKEN_DEFAULT_US;

	if ((rc = opt_string(r->body, "label", 128, false, &label, e)) != CS_OK ||
	    (rc = opt_string(r->body, "scope", 16, false, &scope, e)) != CS_OK)
		return rc;
	if (scope != NULL && strcmp(scope, "read") != 0 &&
	    strcmp(scope, "write") != 0)
		return cs_fail(e, CS_EINVAL, "scope", "read or write");
	if (days != NULL && (!json_is_integer(days) ||
	    json_integer_value(days) < 1 || json_integer_value(days) > 3650))
		return cs_fail(e, CS_EINVAL, "expires_in_days", "1 to 3650");
	if (days != NULL)
		expires_us = r->now_us + json_integer_value(days) * 86400 *
		    1000000LL;
	api_svc_ctx(r, &c);
	if ((rc = svc_token_create(&c, r->ids[0], label, expires_us, scope !=
	    NULL && strcmp(scope, "read") == 0 ? TOKEN_SCOPE_READ :
	    TOKEN_SCOPE_WRITE, &tok, e)) != CS_OK) {
		free(tok);
		return rc;
	}
	r->status = 201;
	r->out = json_pack("{s:s, s:o, s:s}", "token", tok, "expires_at",
	    api_time(expires_us), "scope", scope != NULL ? scope : "write");
	sodium_memzero(tok, strlen(tok));
	free(tok);
	return CS_OK;
}

/* PATCH /users/{id} */
static enum cs_err
users_patch(struct api_req *r, struct cs_error *e)
{
	struct store_user u;
	struct svc_user_change ch;
	struct svc_ctx c;
	const char *sv;
	json_t *v;
	unsigned roles = 0;
	enum cs_err rc;

	memset(&ch, 0, sizeof(ch));
	api_svc_ctx(r, &c);
	if ((rc = svc_user_load(&c, r->ids[0], &u, e)) != CS_OK)
		return rc;
	if (!svc_user_manages(&c, &u, false)) {
		rc = cs_fail(e, CS_EPERM, "", "only an admin, or the user's org_admin, "
		    "changes a user");
		goto out;
	}
#define STR(key, max, field) do {						\
	if (json_object_get(r->body, key) != NULL) {				\
		if ((rc = opt_string(r->body, key, max, false, &sv, e)) != CS_OK) \
			goto out;						\
		free(u.field);							\
		u.field = sv != NULL && *sv != '\0' ? xstrdup(sv) : NULL;	\
	}									\
} while (0)
	STR("display_name", CS_MAX_STRING, display_name);
	STR("email", CS_MAX_STRING, email);
	STR("phone", 64, phone);
	STR("fax", 64, fax);
	STR("department", CS_MAX_STRING, department);
#undef STR
	if ((v = json_object_get(r->body, "roles")) != NULL) {
		if ((rc = roles_arg(v, &roles, e)) != CS_OK ||
		    (rc = svc_user_roles_check(&c, roles, e)) != CS_OK)
			goto out;
		u.roles = roles;
		ch.roles = true;
	}
	if ((v = json_object_get(r->body, "nda_contractor")) != NULL) {
		if (!json_is_boolean(v)) {
			rc = cs_fail(e, CS_EINVAL, "nda_contractor", "must be a boolean");
			goto out;
		}
		u.nda_contractor = json_is_true(v);
		ch.nda_contractor = true;
	}
	if ((v = json_object_get(r->body, "password")) != NULL) {
		/* ASVS 2.1.6: one's own password only with the current one. */
		if (u.id == c.who.user_id) {
			rc = cs_fail(e, CS_EINVAL, "password", "change your own "
			    "password with POST /users/%lld/password and the "
			    "current one", (long long)u.id);
			goto out;
		}
		if ((rc = opt_string(r->body, "password", 1024, false, &sv, e)) != CS_OK)
			goto out;
		ch.password = true;
		ch.new_password = sv;	/* NULL: password login disabled */
	}
	if ((rc = svc_user_update(&c, &u, &ch, e)) != CS_OK)
		goto out;
	r->status = 200;
	r->out = user_json(&u);
out:
	store_user_fini(&u);
	return rc;
}

/* GET /users/{id}/tokens: labels and dates, never the tokens. */
static enum cs_err
tokens_list(struct api_req *r, struct cs_error *e)
{
	struct store_user u;
	struct store_token *t = NULL;
	struct svc_ctx c;
	size_t n = 0;
	json_t *items;
	enum cs_err rc;

	api_svc_ctx(r, &c);
	if ((rc = svc_user_load(&c, r->ids[0], &u, e)) != CS_OK)
		return rc;
	if (!svc_user_manages(&c, &u, true)) {
		store_user_fini(&u);
		return cs_fail(e, CS_EPERM, "", "only an admin, the user's org_admin "
		    "or the user");
	}
	store_user_fini(&u);
	if ((rc = store_token_list(r->st, r->ids[0], &t, &n)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I, s:s?, s:o, s:o, "
		    "s:o, s:s}", "id", (json_int_t)t[i].id, "label", t[i].label,
		    "created_at", api_time(t[i].created_us), "expires_at",
		    t[i].expires_us != 0 ? api_time(t[i].expires_us) : json_null(),
		    "last_used_at", t[i].last_used_us != 0 ?
		    api_time(t[i].last_used_us) : json_null(), "scope",
		    t[i].scope == TOKEN_SCOPE_READ ? "read" : "write"));
	store_tokens_free(t, n);
	r->out = api_list_json(items, false, 0);
	r->status = 200;
	return CS_OK;
}

/* DELETE /tokens/{id}: revoke. */
static enum cs_err
tokens_delete(struct api_req *r, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(r, &c);
	if ((rc = svc_token_revoke(&c, r->ids[0], e)) != CS_OK)
		return rc;
	r->status = 200;
	r->out = json_pack("{s:b}", "ok", 1);
	return CS_OK;
}

enum cs_err
api_password_check(struct api_req *r, const char *login, const char *pw,
    int64_t *user, struct cs_error *e)
{
	return api_password_check_new(r, login, pw, NULL, user, e);
}

enum cs_err
api_password_check_new(struct api_req *r, const char *login, const char *pw,
    const char *new_pw, int64_t *user, struct cs_error *e)
{
	struct svc_ctx c;
	const char *otp;
	enum cs_err rc;

	/* The second factor (POST /login, POST /session); none over Basic. */
	otp = r->has_basic || r->body == NULL ? NULL :
	    json_string_value(json_object_get(r->body, "otp"));
	api_svc_ctx(r, &c);
	rc = svc_password_check_new(&c, login, pw, new_pw, otp, user,
	    &r->retry_after_s, e);
	/* A failure is recorded and audited, and kept although the answer is 401. */
	if (rc == CS_EAUTH)
		r->keep_on_error = true;
	return rc;
}

/* POST /login {login, password} -> a token (for people and the CLI). */
static enum cs_err
login(struct api_req *r, struct cs_error *e)
{
	const char *lg, *pw, *label, *npw, *otp;
	struct svc_ctx c;
	char *tok = NULL;
	int64_t user;
	enum cs_err rc;

	if ((rc = opt_string(r->body, "login", 64, true, &lg, e)) != CS_OK ||
	    (rc = opt_string(r->body, "password", 1024, true, &pw, e)) != CS_OK ||
	    (rc = opt_string(r->body, "label", 128, false, &label, e)) != CS_OK ||
	    (rc = opt_string(r->body, "new_password", 1024, false, &npw,
	    e)) != CS_OK ||
	    (rc = opt_string(r->body, "otp", 64, false, &otp, e)) != CS_OK ||
	    (rc = api_password_check_new(r, lg, pw, npw, &user, e)) != CS_OK)
		return rc;
	api_svc_ctx(r, &c);
	rc = svc_token_mint(&c, user, label ? label : "login", &tok, e);
	if (rc == CS_OK) {
		r->status = 201;
		r->out = json_pack("{s:s, s:I}", "token", tok, "user",
		    (json_int_t)user);
		sodium_memzero(tok, strlen(tok));
	}
	free(tok);
	return rc;
}

json_t *
api_me_json(const struct api_req *r)
{
	json_t *u = user_json(&r->user), *j;

	j = json_pack("{s:I, s:s, s:o, s:b, s:o, s:O}",
	    "id", (json_int_t)r->user.id, "login", r->user.login,
	    "roles", roles_json(r->user.roles),
	    "nda_contractor", r->user.nda_contractor,
	    "org", api_org_json(&r->org, false), "user", u);
	json_decref(u);
	return j;
}

/* GET /me */
static enum cs_err
me(struct api_req *r, struct cs_error *e)
{
	(void)e;
	r->out = api_me_json(r);
	r->status = 200;
	return CS_OK;
}

/*
 * .visible of PATCH /orgs/:id and /users/:id: the organisation or user
 * exists and the caller sees it (svc_org_load, svc_user_load).
 */
static enum cs_err
dir_visible(struct api_req *r, struct cs_error *e)
{
	struct store_org o;
	struct store_user u;
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(r, &c);
	if (strncmp(r->path, "/users/", 7) == 0) {
		if ((rc = svc_user_load(&c, r->ids[0], &u, e)) == CS_OK)
			store_user_fini(&u);
	} else if ((rc = svc_org_load(&c, r->ids[0], &o, e)) == CS_OK)
		store_org_fini(&o);
	return rc;
}

const struct api_route api_orgs_routes[] = {
	API_ROUTE("POST", "/orgs", ACT_ORG_CREATE, .flags = API_BODY,
	    .body = API_KEYS("name", "type", "sectors", "ceptoar",
		"pre_arranged", "identifiers"),
	    .fn = orgs_create),
	API_ROUTE("GET", "/orgs", ACT_ORG_LIST, .fn = orgs_list),
	API_ROUTE("GET", "/orgs/:id", ACT_ORG_READ, .fn = orgs_get),
	API_ROUTE("PATCH", "/orgs/:id", ACT_ORG_UPDATE, .flags = API_BODY,
	    .body = API_KEYS("name", "sectors", "ceptoar", "pre_arranged",
	    "council_member",
		"identifiers"),
	    .visible = dir_visible, .fn = orgs_patch),
	API_ROUTE("POST", "/users", ACT_USER_CREATE, .flags = API_BODY,
	    .body = API_KEYS("org", "login", "display_name", "roles",
		"nda_contractor", "password", "email", "phone", "department", "fax"),
	    .fn = users_create),
	API_ROUTE("GET", "/users", ACT_USER_LIST, .fn = users_list),
	API_ROUTE("POST", "/users/:id/tokens", ACT_TOKEN_CREATE,
	    .flags = API_BODY, .body = API_KEYS("label", "expires_in_days",
	    "scope"), .fn = tokens_create),
	API_ROUTE("GET", "/users/:id/tokens", ACT_TOKEN_LIST,
	    .fn = tokens_list),
	API_ROUTE("PATCH", "/users/:id", ACT_USER_UPDATE, .flags = API_BODY,
	    .body = API_KEYS("display_name", "email", "phone", "fax", "department",
		"roles", "nda_contractor", "password"),
	    .visible = dir_visible, .fn = users_patch),
	API_ROUTE("DELETE", "/tokens/:id", ACT_TOKEN_REVOKE,
	    .fn = tokens_delete),
	API_ROUTE("POST", "/login", ACT_LOGIN, .flags = API_BODY,
	    .body = API_KEYS("login", "password", "label", "new_password", "otp"),
	    .fn = login),
	API_ROUTE("GET", "/me", ACT_ME, .fn = me),
	API_ROUTES_END
};
