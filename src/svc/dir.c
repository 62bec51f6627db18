/*
 * dir.c: the directory — organisations, users, tokens and the password
 * check (see svc_dir.h).  Directory PII is encrypted at rest by the store;
 * here it is plain text in memory only.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "svc/svc_dir.h"
#include "svc/svc_login.h"
#include "svc/svc_totp.h"

/* An audit entry of a directory change (no item), "audit failed" on error. */
static enum cs_err
audit(struct svc_ctx *c, const char *action, json_t *detail, struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = svc_audit(c, action, NULL, detail, false)) != CS_OK)
		return cs_fail(e, rc, "", "audit failed");
	return CS_OK;
}

/* ---- organisations ------------------------------------------------------- */

bool
svc_org_needs_sectors(enum cs_org_type t)
{
	return t == ORG_CI_MINISTRY || t == ORG_CEPTOAR_SEC;
}

bool
svc_org_may_pre_arrange(enum cs_org_type t)
{
	return t == ORG_CS_AGENCY;
}

enum cs_err
svc_org_is_ceptoar(struct svc_ctx *c, int64_t id, bool *yes)
{
	struct store_org o;
	enum cs_err rc;

	*yes = false;
	if ((rc = store_org_get(c->st, id, &o)) != CS_OK)
		return rc;
	*yes = o.type == ORG_CEPTOAR_SEC;
	store_org_fini(&o);
	return CS_OK;
}

enum cs_err
svc_org_identifiers(json_t *v, char **out, struct cs_error *e)
{
	json_t *x;
	size_t i;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return CS_OK;
	if (!json_is_array(v) || json_array_size(v) > 32)
		return cs_fail(e, CS_EINVAL, "identifiers", "must be an array of at "
		    "most 32 strings");
	json_array_foreach(v, i, x) {
		char path[32];
		long n;

		cs_fmt(path, sizeof(path), "identifiers.%zu", i);
		if (!json_is_string(x))
			return cs_fail(e, CS_EINVAL, path, "must be a string");
		n = cs_utf8_len(json_string_value(x), json_string_length(x));
		if (n < 3 || n > 128)
			return cs_fail(e, CS_EINVAL, path, "3 to 128 characters of UTF-8");
	}
	*out = json_dumps(v, JSON_COMPACT);
	return CS_OK;
}

enum cs_err
svc_org_ceptoar_check(struct svc_ctx *c, int64_t id, struct cs_error *e)
{
	bool yes;
	enum cs_err rc;

	rc = svc_org_is_ceptoar(c, id, &yes);
	if (rc == CS_ENOENT)
		return cs_fail(e, CS_EINVAL, "ceptoar", "no such organisation");
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if (!yes)
		return cs_fail(e, CS_EINVAL, "ceptoar", "organisation %lld "
		    "is not a ceptoar_secretariat", (long long)id);
	return CS_OK;
}

/* The rules of a new organisation, in the order the API reports them. */
static enum cs_err
org_check(struct svc_ctx *c, const struct svc_org_in *in, struct cs_error *e)
{
	enum cs_err rc;

	if (in->name == NULL || *in->name == '\0')
		return cs_fail(e, CS_EINVAL, "name", "must not be empty");
	if (in->sectors == 0 && svc_org_needs_sectors(in->type))
		return cs_fail(e, CS_EINVAL, "sectors", "a %s must list its "
		    "sector(s)", core_org_type_id(in->type));
	if (in->ceptoar != 0 &&
	    (rc = svc_org_ceptoar_check(c, in->ceptoar, e)) != CS_OK)
		return rc;
	if (in->pre_arranged && !svc_org_may_pre_arrange(in->type))
		return cs_fail(e, CS_EINVAL, "pre_arranged", "only a "
		    "cybersecurity_agency can be pre-arranged (※1)");
	return CS_OK;
}

enum cs_err
svc_org_create(struct svc_ctx *c, const struct svc_org_in *in, int64_t *id,
    struct cs_error *e)
{
	struct store_org o;
	enum cs_err rc;

	*id = 0;
	if (!in->checked && (rc = org_check(c, in, e)) != CS_OK)
		return rc;
	memset(&o, 0, sizeof(o));
	if ((rc = svc_org_identifiers(in->identifiers, &o.identifiers, e)) != CS_OK)
		return rc;
	o.name = (char *)in->name;
	o.type = in->type;
	o.sectors = in->sectors;
	o.ceptoar = in->ceptoar;
	o.pre_arranged = in->pre_arranged;
	o.created_us = c->now_us;
	if (o.type == ORG_CEPTOAR_SEC) {
		core_org_keypair(o.pk, &o.wrapped_sk);
		o.has_pk = true;
	}
	rc = store_org_insert(c->st, &o);
	free(o.wrapped_sk);
	free(o.identifiers);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "could not store the organisation");
	*id = o.id;
	return audit(c, "org.create", json_pack("{s:I, s:s}", "org",
	    (json_int_t)o.id, "type", core_org_type_id(o.type)), e);
}

bool
svc_org_visible(const struct svc_ctx *c, const struct store_org *o)
{
	/* The directory is open, but for the platform's own organisation. */
	return o->type != ORG_PLATFORM || (c->who.roles & ROLE_ADMIN);
}

enum cs_err
svc_org_load(struct svc_ctx *c, int64_t id, struct store_org *o,
    struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = store_org_get(c->st, id, o)) != CS_OK)
		return svc_load_failed(rc, "organisation", e);
	if (!svc_org_visible(c, o)) {
		store_org_fini(o);
		return svc_load_failed(CS_ENOENT, "organisation", e);
	}
	return CS_OK;
}

enum cs_err
svc_org_may_update(struct svc_ctx *c, const struct store_org *o,
    struct cs_error *e)
{
	/* ACT_ORG_UPDATE admits admins and org_admins; the latter only here. */
	if (!(c->who.roles & ROLE_ADMIN) && c->who.org_id != o->id)
		return cs_fail(e, CS_EPERM, "", "admin, or the organisation's own "
		    "org_admin, only");
	return CS_OK;
}

enum cs_err
svc_org_update(struct svc_ctx *c, const struct store_org *o, json_t *fields,
    struct cs_error *e)
{
	json_t *names = json_array(), *v;
	const char *key;
	enum cs_err rc;

	if ((rc = store_org_update(c->st, o)) != CS_OK) {
		json_decref(names);
		return cs_fail(e, rc, "", "store error");
	}
	/* Which fields, never their values: names and identifiers are sealed. */
	json_object_foreach(fields, key, v)
		json_array_append_new(names, json_string(key));
	return audit(c, "org.update", json_pack("{s:I, s:o}", "org",
	    (json_int_t)o->id, "fields", names), e);
}

/* ---- identity sets -------------------------------------------------------- */

void
svc_identity_init(struct svc_identity *id)
{
	memset(id, 0, sizeof(*id));
}

void
svc_identity_fini(struct svc_identity *id)
{
	for (size_t i = 0; i < id->n; i++) {
		sodium_memzero(id->needles[i], strlen(id->needles[i]));
		free(id->needles[i]);
	}
	free(id->needles);
	free(id->kinds);
	ident_set_free(id->set);
	memset(id, 0, sizeof(*id));
}

void
svc_identity_add(struct svc_identity *id, const char *kind, const char *s)
{
	if (s == NULL || *s == '\0')
		return;
	for (size_t i = 0; i < id->n; i++)
		if (strcmp(id->needles[i], s) == 0)
			return;
	id->needles = xreallocarray(id->needles, id->n + 1, sizeof(*id->needles));
	id->kinds = xreallocarray(id->kinds, id->n + 1, sizeof(*id->kinds));
	id->needles[id->n] = xstrdup(s);
	id->kinds[id->n++] = kind;
}

/* The person-level strings of a user row or a snapshot. */
static void
identity_add_person(struct svc_identity *id, const char *login,
    const char *display, const char *dept, const char *email,
    const char *phone, const char *fax)
{
	svc_identity_add(id, "login", login);
	svc_identity_add(id, "display_name", display);
	svc_identity_add(id, "department", dept);
	svc_identity_add(id, "email", email);
	if (email != NULL && strchr(email, '@') != NULL)
		svc_identity_add(id, "mail_domain", strchr(email, '@') + 1);
	svc_identity_add(id, "phone", phone);
	svc_identity_add(id, "fax", fax);
}

enum cs_err
svc_identity_add_org(struct svc_ctx *c, struct svc_identity *id, int64_t org,
    struct cs_error *e)
{
	struct store_org o;
	struct store_user *u = NULL;
	json_t *ids, *x;
	size_t i, nu = 0;
	int64_t after = 0;
	enum cs_err rc;

	if ((rc = store_org_get(c->st, org, &o)) != CS_OK)
		return cs_fail(e, rc, "", rc == CS_ENOENT ? "no such "
		    "organisation" : "store error");
	svc_identity_add(id, "org_name", o.name);
	ids = o.identifiers ? json_loads(o.identifiers, 0, NULL) : NULL;
	json_array_foreach(ids, i, x)
		svc_identity_add(id, "identifier", json_string_value(x));
	json_decref(ids);
	store_org_fini(&o);
	do {
		if ((rc = store_user_list(c->st, org, after, 500, &u, &nu)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
		for (i = 0; i < nu; i++)
			identity_add_person(id, u[i].login, u[i].display_name,
			    u[i].department, u[i].email, u[i].phone, u[i].fax);
		if (nu > 0)
			after = u[nu - 1].id;
		store_users_free(u, nu);
	} while (nu == 500);
	return CS_OK;
}

static const char *
snap_str(json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

void
svc_identity_add_snapshot(struct svc_identity *id, json_t *j)
{
	svc_identity_add(id, "org_name", snap_str(j, "org_name"));
	identity_add_person(id, snap_str(j, "login"), snap_str(j,
	    "display_name"), snap_str(j, "department"), snap_str(j, "email"),
	    snap_str(j, "phone"), snap_str(j, "fax"));
}

json_t *
svc_identity_snapshot(const struct svc_ctx *c)
{
	json_t *j = json_pack("{s:I, s:s, s:I, s:s}", "org",
	    (json_int_t)c->org->id, "org_name", c->org->name, "user",
	    (json_int_t)c->user->id, "login", c->user->login);
	const struct { const char *key, *val; } f[] = {
		{ "display_name", c->user->display_name },
		{ "department", c->user->department },
		{ "email", c->user->email },
		{ "phone", c->user->phone },
		{ "fax", c->user->fax },
		
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].val != NULL)
			json_object_set_new(j, f[i].key, json_string(f[i].val));
	return j;
}

enum cs_err
svc_identity_compile(struct svc_identity *id, struct cs_error *e)
{
	ident_set_free(id->set);
	id->set = NULL;
	if (ident_set_new((const char *const *)id->needles, id->n,
	    &id->set) != CS_OK)
		return cs_fail(e, CS_EINTERNAL, "", "identity set");
	return CS_OK;
}

/* ---- users --------------------------------------------------------------- */

enum cs_err
svc_user_may_add(struct svc_ctx *c, int64_t org, struct cs_error *e)
{
	struct store_org o;
	enum cs_err rc;

	/* ACT_USER_CREATE admits admins and org_admins; the latter only here. */
	if (!(c->who.roles & ROLE_ADMIN) && c->who.org_id != org)
		return cs_fail(e, CS_EPERM, "org", "only an admin, or the org_admin "
		    "of that organisation, may add users to it");
	rc = store_org_get(c->st, org, &o);
	if (rc == CS_ENOENT)
		return cs_fail(e, CS_EINVAL, "org", "no such organisation");
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	store_org_fini(&o);
	return CS_OK;
}

enum cs_err
svc_user_login_check(const char *s, struct cs_error *e)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n < 1 || n > 64)
		goto bad;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && strchr("._@-+", *s) == NULL)
			goto bad;
	return CS_OK;
bad:
	return cs_fail(e, CS_EINVAL, "login", "1-64 characters of "
	    "A-Z a-z 0-9 . _ @ - +");
}

/* Does s hold w, ASCII letters compared without case? */
static bool
has_ci(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (; *s != '\0'; s++)
		if (strncasecmp(s, w, n) == 0)
			return true;
	return false;
}

enum cs_err
svc_user_password_rule(const struct svc_config *cfg, const char *login,
    const char *pw, struct cs_error *e)
{
	size_t n = 0;

	if (pw == NULL)
		return CS_OK;
	/* ASVS 2.1.1-2.1.3: length in characters, nothing else composed. */
	for (const unsigned char *p = (const unsigned char *)pw; *p; p++)
		n += (*p & 0xc0) != 0x80;
	if (n < SVC_PASSWORD_MIN)
		return cs_fail(e, CS_EINVAL, "password", "at least %d characters",
		    SVC_PASSWORD_MIN);
	if (n > SVC_PASSWORD_MAX)
		return cs_fail(e, CS_EINVAL, "password", "at most %d characters",
		    SVC_PASSWORD_MAX);
	if (login != NULL && strlen(login) >= 4 && has_ci(pw, login))
		return cs_fail(e, CS_EINVAL, "password", "must not contain the "
		    "login");
	/* ASVS 2.1.7: not a password known from breaches (--breached-passwords). */
	if (cfg != NULL && core_breached_has(cfg->breached, pw))
		return cs_fail(e, CS_EINVAL, "password", "appears in a list of "
		    "breached passwords; choose another");
	return CS_OK;
}

enum cs_err
svc_user_roles_check(struct svc_ctx *c, unsigned roles, struct cs_error *e)
{
	if ((roles & ROLE_ADMIN) && !(c->who.roles & ROLE_ADMIN))
		return cs_fail(e, CS_EPERM, "roles", "only an admin may grant admin");
	return CS_OK;
}

bool
svc_user_manages(const struct svc_ctx *c, const struct store_user *u,
    bool self_ok)
{
	if (c->who.roles & ROLE_ADMIN)
		return true;
	if (self_ok && c->who.user_id == u->id)
		return true;
	return (c->who.roles & ROLE_ORG_ADMIN) && c->who.org_id == u->org &&
	    !(u->roles & ROLE_ADMIN);
}

bool
svc_user_visible(const struct svc_ctx *c, const struct store_user *u)
{
	if ((c->who.roles & ROLE_ADMIN) || c->who.user_id == u->id)
		return true;
	/* What GET /users shows an org_admin: its organisation's users. */
	return (c->who.roles & ROLE_ORG_ADMIN) && c->who.org_id == u->org;
}

enum cs_err
svc_user_load(struct svc_ctx *c, int64_t id, struct store_user *u,
    struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = store_user_get(c->st, id, u)) != CS_OK)
		return svc_load_failed(rc, "user", e);
	if (!svc_user_visible(c, u)) {
		store_user_fini(u);
		return svc_load_failed(CS_ENOENT, "user", e);
	}
	return CS_OK;
}

enum cs_err
svc_user_create(struct svc_ctx *c, const struct svc_user_in *in, int64_t *id,
    struct cs_error *e)
{
	struct store_user u, dup;
	enum cs_err rc;

	*id = 0;
	if (!in->checked && ((rc = svc_user_may_add(c, in->org, e)) != CS_OK ||
	    (rc = svc_user_login_check(in->login, e)) != CS_OK ||
	    (rc = svc_user_password_rule(c->cfg, in->login, in->password,
	    e)) != CS_OK ||
	    (rc = svc_user_roles_check(c, in->roles, e)) != CS_OK))
		return rc;
	memset(&u, 0, sizeof(u));
	core_login_hash(in->login, u.login_hash);
	if (store_user_by_login(c->st, u.login_hash, &dup) == CS_OK) {
		store_user_fini(&dup);
		return cs_fail(e, CS_ECONFLICT, "login", "login already taken");
	}
	if (in->password != NULL &&
	    (u.pw_hash = core_password_hash(in->password)) == NULL)
		return cs_fail(e, CS_EINTERNAL, "password", "could not hash the password");
	u.org = in->org;
	u.login = (char *)in->login;
	u.display_name = (char *)in->display_name;
	u.email = (char *)in->email;
	u.phone = (char *)in->phone;
	u.department = (char *)in->department;
	u.fax = (char *)in->fax;
	u.roles = in->roles;
	u.nda_contractor = in->nda_contractor;
	u.created_us = c->now_us;
	rc = store_user_insert(c->st, &u);
	free(u.pw_hash);
	if (rc != CS_OK)
		return cs_fail(e, rc, rc == CS_ECONFLICT ? "login" : "",
		    "could not store the user");
	*id = u.id;
	return audit(c, "user.create", json_pack("{s:I, s:I}", "user",
	    (json_int_t)u.id, "org", (json_int_t)u.org), e);
}

enum cs_err
svc_user_update(struct svc_ctx *c, struct store_user *u,
    const struct svc_user_change *ch, struct cs_error *e)
{
	char *pw = NULL;
	enum cs_err rc;

	if (ch->password) {
		if ((rc = svc_user_password_rule(c->cfg, u->login,
		    ch->new_password, e)) != CS_OK)
			return rc;
		if (ch->new_password != NULL &&
		    (pw = core_password_hash(ch->new_password)) == NULL)
			return cs_fail(e, CS_EINTERNAL, "password", "could not hash");
		free(u->pw_hash);
		u->pw_hash = pw;	/* NULL: password login disabled */
		/* ASVS 3.3.3: a new password ends every session of the user. */
		if ((rc = store_token_end_sessions(c->st, u->id)) != CS_OK)
			return cs_fail(e, rc, "", "store error");
	}
	if ((rc = store_user_update(c->st, u)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return audit(c, "user.update", json_pack("{s:I, s:o}", "user",
	    (json_int_t)u->id, "fields", json_pack("{s:b, s:b, s:b}", "roles",
	    ch->roles, "nda_contractor", ch->nda_contractor, "password",
	    ch->password)), e);
}

/* ---- tokens and passwords ------------------------------------------------ */

enum cs_err
svc_token_mint(struct svc_ctx *c, int64_t user, const char *label,
    char **tok, struct cs_error *e)
{
	/* A login's token (the CLI's): 90 days; a session ends sooner. */
	return svc_token_mint_ex(c, user, label, c->now_us + SVC_LOGIN_TOKEN_US,
	    TOKEN_SCOPE_WRITE, tok, e);
}

enum cs_err
svc_token_mint_ex(struct svc_ctx *c, int64_t user, const char *label,
    int64_t expires_us, int scope, char **tok, struct cs_error *e)
{
	struct store_token t;
	enum cs_err rc;

	*tok = NULL;
	memset(&t, 0, sizeof(t));
	t.expires_us = expires_us;
	t.scope = scope;
	if ((rc = store_counter_next(c->st, "token", &t.id)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	*tok = core_token_new(t.id, t.hash);
	t.user = user;
	t.label = (char *)label;
	t.created_us = c->now_us;
	if ((rc = store_token_insert(c->st, &t)) != CS_OK) {
		sodium_memzero(*tok, strlen(*tok));
		free(*tok);
		*tok = NULL;
		return cs_fail(e, rc, "", "could not store the token");
	}
	return svc_audit(c, "token.create", NULL, json_pack("{s:I, s:I, s:s, "
	    "s:o}", "user", (json_int_t)user, "token", (json_int_t)t.id, "scope",
	    scope == TOKEN_SCOPE_READ ? "read" : "write", "expires_at",
	    expires_us != 0 ? svc_time(expires_us) : json_null()), false);
}

enum cs_err
svc_token_create(struct svc_ctx *c, int64_t user, const char *label,
    int64_t expires_us, int scope, char **tok, struct cs_error *e)
{
	struct store_user u;
	bool ok;
	enum cs_err rc;

	*tok = NULL;
	if ((rc = svc_user_load(c, user, &u, e)) != CS_OK)
		return rc;
	ok = (c->who.roles & ROLE_ADMIN) || c->who.user_id == u.id ||
	    ((c->who.roles & ROLE_ORG_ADMIN) && c->who.org_id == u.org);
	store_user_fini(&u);
	if (!ok)
		return cs_fail(e, CS_EPERM, "", "only an admin, the user's "
		    "org_admin or the user may create its tokens");
	return svc_token_mint_ex(c, user, label, expires_us, scope, tok, e);
}

enum cs_err
svc_token_revoke(struct svc_ctx *c, int64_t id, struct cs_error *e)
{
	struct store_token t;
	struct store_user u;
	enum cs_err rc;
	bool ok;

	if (store_token_get(c->st, id, &t) != CS_OK)
		return cs_fail(e, CS_ENOENT, "", "no such token");
	rc = store_user_get(c->st, t.user, &u);
	store_token_fini(&t);
	if (rc != CS_OK)
		return cs_fail(e, CS_ENOENT, "", "no such token");
	ok = svc_user_manages(c, &u, true);
	store_user_fini(&u);
	if (!ok)
		return cs_fail(e, CS_ENOENT, "", "no such token");
	if ((rc = store_token_delete(c->st, id)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return audit(c, "token.revoke", json_pack("{s:I}", "token",
	    (json_int_t)id), e);
}

/*
 * A temporary password (reset by an administrator) is stored as its hash
 * behind this mark: the login that uses it must set a new one.
 */
#define PW_TEMPORARY	"temporary$"

/* The argon2id string of a stored hash; *temp: it is a temporary one. */
static const char *
pw_stored(const char *h, bool *temp)
{
	bool t = strncmp(h, PW_TEMPORARY, strlen(PW_TEMPORARY)) == 0;

	if (temp != NULL)
		*temp = t;
	return t ? h + strlen(PW_TEMPORARY) : h;
}

enum cs_err
svc_password_check_new(struct svc_ctx *c, const char *login, const char *pw,
    const char *new_pw, const char *otp, int64_t *user, int64_t *retry_s,
    struct cs_error *e)
{
	struct store_user u;
	unsigned char h[32];
	bool temp = false, breached;
	enum cs_err rc;

	if ((rc = svc_password_check(c, login, pw, user, retry_s, e)) != CS_OK)
		return rc;
	/* The second factor before anything the login may change. */
	core_login_hash(login, h);
	if ((rc = svc_totp_login(c, h, *user, otp, e)) != CS_OK) {
		*user = 0;
		return rc;
	}
	if ((rc = store_user_get(c->st, *user, &u)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if (u.pw_hash != NULL)
		(void)pw_stored(u.pw_hash, &temp);
	/* ASVS 2.1.7: a password found breached since it was set is replaced. */
	breached = !temp && c->cfg != NULL && core_breached_has(c->cfg->breached,
	    pw);
	if (!temp && !breached) {
		store_user_fini(&u);
		return CS_OK;
	}
	if (new_pw == NULL) {
		store_user_fini(&u);
		*user = 0;
		if (breached)
			return cs_fail(e, CS_ECONFLICT, "new_password", "the "
			    "password appears in a list of breached passwords: "
			    "choose a new one (new_password)");
		return cs_fail(e, CS_ECONFLICT, "new_password", "the password was "
		    "reset: choose a new one (new_password)");
	}
	if ((rc = svc_user_password_rule(c->cfg, login, new_pw, e)) != CS_OK) {
		char m[sizeof(e->msg)];

		store_user_fini(&u);
		*user = 0;
		/* Not e->msg itself: vsnprintf's source and target must not overlap. */
		(void)cs_strlcpy(m, e->msg, sizeof(m));
		return cs_fail(e, rc, "new_password", "%s", m);
	}
	if (strcmp(new_pw, pw) == 0) {
		store_user_fini(&u);
		*user = 0;
		return cs_fail(e, CS_EINVAL, "new_password", "must differ from the "
		    "%s password", breached ? "current" : "temporary");
	}
	free(u.pw_hash);
	if ((u.pw_hash = core_password_hash(new_pw)) == NULL)
		rc = cs_fail(e, CS_EINTERNAL, "new_password", "could not hash");
	else if ((rc = store_user_update(c->st, &u)) != CS_OK)
		rc = cs_fail(e, rc, "", "store error");
	else
		rc = svc_audit_op(c, "user.password_change", "user", u.id, NULL,
		    false, e);
	store_user_fini(&u);
	return rc;
}

enum cs_err
svc_password_reset(struct svc_ctx *c, int64_t id, char **tmp,
    struct cs_error *e)
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
	struct store_user u;
	char pw[17], *h;
	enum cs_err rc;

	*tmp = NULL;
	if ((rc = svc_user_load(c, id, &u, e)) != CS_OK)
		return rc;
	if (!svc_user_manages(c, &u, false)) {
		store_user_fini(&u);
		return cs_fail(e, CS_EPERM, "", "only an admin, or the user's "
		    "org_admin, resets a password");
	}
	for (size_t i = 0; i + 1 < sizeof(pw); i++)
		pw[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	pw[sizeof(pw) - 1] = '\0';
	if ((h = core_password_hash(pw)) == NULL) {
		store_user_fini(&u);
		return cs_fail(e, CS_EINTERNAL, "", "could not hash");
	}
	free(u.pw_hash);
	u.pw_hash = xasprintf("%s%s", PW_TEMPORARY, h);
	free(h);
	rc = store_user_update(c->st, &u);
	/* ASVS 3.3.3: a reset ends every session the old password opened. */
	if (rc == CS_OK)
		rc = store_token_end_sessions(c->st, u.id);
	store_user_fini(&u);
	if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if ((rc = svc_audit_op(c, "user.password_reset", "user", id, NULL, false,
	    e)) != CS_OK)
		return rc;
	*tmp = xstrdup(pw);
	return CS_OK;
}

enum cs_err
svc_password_change(struct svc_ctx *c, int64_t id, const char *current,
    const char *new_pw, int64_t *retry_s, struct cs_error *e)
{
	struct store_user u;
	int64_t who = 0;
	char *login;
	enum cs_err rc;

	*retry_s = 0;
	if ((rc = svc_user_load(c, id, &u, e)) != CS_OK)
		return rc;
	if (c->who.user_id != u.id) {
		store_user_fini(&u);
		return cs_fail(e, CS_EPERM, "", "only the user changes its own "
		    "password (an admin or org_admin resets it: "
		    "POST /users/{id}/password-reset)");
	}
	if (u.pw_hash == NULL) {
		store_user_fini(&u);
		return cs_fail(e, CS_ECONFLICT, "current_password", "this user has "
		    "no password login");
	}
	login = xstrdup(u.login);
	store_user_fini(&u);
	/* ASVS 2.1.6: the current password, under the login lockout. */
	rc = svc_password_check(c, login, current, &who, retry_s, e);
	if (rc == CS_OK && who != id)
		rc = cs_fail(e, CS_EAUTH, "current_password", "wrong current "
		    "password");
	if (rc == CS_EAUTH)
		(void)cs_fail(e, CS_EAUTH, "current_password", "wrong current "
		    "password");
	if (rc == CS_OK && (rc = svc_user_password_rule(c->cfg, login, new_pw,
	    e)) != CS_OK) {
		char m[sizeof(e->msg)];

		(void)cs_strlcpy(m, e->msg, sizeof(m));
		(void)cs_fail(e, rc, "new_password", "%s", m);
	} else if (rc == CS_OK && strcmp(current, new_pw) == 0)
		rc = cs_fail(e, CS_EINVAL, "new_password", "must differ from the "
		    "current password");
	free(login);
	if (rc != CS_OK)
		return rc;
	if ((rc = store_user_get(c->st, id, &u)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	free(u.pw_hash);
	if ((u.pw_hash = core_password_hash(new_pw)) == NULL)
		rc = cs_fail(e, CS_EINTERNAL, "new_password", "could not hash");
	else if ((rc = store_user_update(c->st, &u)) != CS_OK)
		rc = cs_fail(e, rc, "", "store error");
	/* ASVS 3.3.3: every session of the user ends, this one too. */
	else if ((rc = store_token_end_sessions(c->st, id)) != CS_OK)
		rc = cs_fail(e, rc, "", "store error");
	else
		rc = svc_audit_op(c, "user.password_change", "user", id, NULL,
		    false, e);
	store_user_fini(&u);
	return rc;
}

enum cs_err
svc_password_check(struct svc_ctx *c, const char *login, const char *pw,
    int64_t *user, int64_t *retry_s, struct cs_error *e)
{
	unsigned char h[32];
	struct store_user u;
	enum cs_err rc;
	int ok;

	*user = 0;
	core_login_hash(login, h);
	/* A locked login is refused before any password work (429). */
	if ((rc = svc_login_admit(c, h, retry_s, e)) != CS_OK)
		return rc;
	rc = store_user_by_login(c->st, h, &u);
	if (rc != CS_OK && rc != CS_ENOENT)
		return cs_fail(e, rc, "", "store error");
	if (rc == CS_OK && u.pw_hash != NULL)
		ok = core_password_verify(pw_stored(u.pw_hash, NULL), pw);
	else {
		/* Spend the same argon2id cost so timing does not reveal logins. */
		free(core_password_hash(pw));
		ok = 0;
	}
	if (rc == CS_OK) {
		*user = u.id;
		store_user_fini(&u);
	}
	if (!ok) {
		/* Recorded and audited, and kept although the answer is 401. */
		if ((rc = svc_login_failed(c, h, *user, e)) != CS_OK)
			return rc;
		*user = 0;
		return cs_fail(e, CS_EAUTH, "password", "wrong login or password");
	}
	return CS_OK;
}
