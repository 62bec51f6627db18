/*
 * totp.c: the TOTP second factor (svc_totp.h).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/totp.h"
#include "svc/svc_dir.h"
#include "svc/svc_login.h"
#include "svc/svc_totp.h"

#define ISSUER	"cishare"

static int64_t
now_s(const struct svc_ctx *c)
{
	return c->now_us / 1000000;
}

/* The user, visible to the caller; self: the caller must be that user. */
static enum cs_err
load(struct svc_ctx *c, int64_t id, bool self, struct store_user *u,
    struct cs_error *e)
{
	enum cs_err rc;

	if ((rc = svc_user_load(c, id, u, e)) != CS_OK)
		return rc;
	if (self && c->who.user_id != u->id) {
		store_user_fini(u);
		return cs_fail(e, CS_EPERM, "", "only the user itself sets up "
		    "its second factor");
	}
	return CS_OK;
}

static enum cs_err
get(struct svc_ctx *c, int64_t user, struct store_totp *t, bool *has,
    struct cs_error *e)
{
	enum cs_err rc = store_totp_get(c->st, user, t);

	*has = rc == CS_OK;
	if (rc == CS_ENOENT)
		memset(t, 0, sizeof(*t));
	else if (rc != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return CS_OK;
}

enum cs_err
svc_totp_enroll_due(struct svc_ctx *c, const struct store_user *u, bool *due)
{
	struct store_totp t;
	enum cs_err rc;

	*due = false;
	if (c->cfg == NULL || (c->cfg->require_totp_roles & u->roles) == 0)
		return CS_OK;
	rc = store_totp_get(c->st, u->id, &t);
	if (rc == CS_ENOENT) {
		*due = true;
		return CS_OK;
	}
	if (rc != CS_OK)
		return rc;
	*due = !t.active;
	store_totp_fini(&t);
	return CS_OK;
}

enum cs_err
svc_totp_status(struct svc_ctx *c, int64_t id, json_t **out, struct cs_error *e)
{
	struct store_user u;
	struct store_totp t;
	json_t *rec;
	bool has, required;
	enum cs_err rc;

	*out = NULL;
	if ((rc = load(c, id, false, &u, e)) != CS_OK)
		return rc;
	if (c->who.user_id != u.id && !svc_user_manages(c, &u, false)) {
		store_user_fini(&u);
		return cs_fail(e, CS_ENOENT, "", "no such user");
	}
	required = c->cfg != NULL && (c->cfg->require_totp_roles & u.roles) != 0;
	store_user_fini(&u);
	if ((rc = get(c, id, &t, &has, e)) != CS_OK)
		return rc;
	rec = has && t.active ? json_loads(t.recovery, 0, NULL) : NULL;
	*out = json_pack("{s:b, s:b, s:b, s:I, s:o}",
	    "enabled", has && t.active, "pending", has && !t.active,
	    "required", required,
	    "recovery_left", (json_int_t)json_array_size(rec),
	    "confirmed_at", has && t.active ? svc_time(t.confirmed_us) :
	    json_null());
	json_decref(rec);
	store_totp_fini(&t);
	return svc_audit_op(c, "totp.read", "user", id, NULL, false, e);
}

enum cs_err
svc_totp_enroll(struct svc_ctx *c, int64_t id, char **secret, char **uri,
    struct cs_error *e)
{
	char b32[CORE_TOTP_B32_LEN + 1];
	struct store_user u;
	struct store_totp t;
	bool has;
	enum cs_err rc;

	*secret = *uri = NULL;
	if ((rc = load(c, id, true, &u, e)) != CS_OK)
		return rc;
	if ((rc = get(c, id, &t, &has, e)) != CS_OK) {
		store_user_fini(&u);
		return rc;
	}
	if (has && t.active) {
		store_totp_fini(&t);
		store_user_fini(&u);
		return cs_fail(e, CS_ECONFLICT, "", "a second factor is already "
		    "active: disable it first");
	}
	store_totp_fini(&t);
	core_totp_secret_new(b32);
	memset(&t, 0, sizeof(t));
	t.user = id;
	t.secret = b32;
	t.created_us = c->now_us;
	if ((rc = store_totp_put(c->st, &t)) != CS_OK) {
		store_user_fini(&u);
		sodium_memzero(b32, sizeof(b32));
		return cs_fail(e, rc, "", "store error");
	}
	*uri = core_totp_uri(ISSUER, u.login, b32);
	*secret = xstrdup(b32);
	sodium_memzero(b32, sizeof(b32));
	store_user_fini(&u);
	return svc_audit_op(c, "totp.enroll", "user", id, NULL, false, e);
}

enum cs_err
svc_totp_confirm(struct svc_ctx *c, int64_t id, const char *code,
    json_t **codes, struct cs_error *e)
{
	char rc_code[CORE_TOTP_RECOVERY_LEN + 1], hex[65];
	struct store_user u;
	struct store_totp t;
	json_t *hashes;
	char *text;
	int64_t step;
	bool has;
	enum cs_err rc;

	*codes = NULL;
	if (!core_totp_is_code(code))
		return cs_fail(e, CS_EINVAL, "code", "a 6-digit code is required");
	if ((rc = load(c, id, true, &u, e)) != CS_OK)
		return rc;
	store_user_fini(&u);
	if ((rc = get(c, id, &t, &has, e)) != CS_OK)
		return rc;
	if (!has || t.active) {
		store_totp_fini(&t);
		return cs_fail(e, CS_ECONFLICT, "", "no second factor is waiting "
		    "for confirmation: enroll first");
	}
	if (core_totp_verify(t.secret, code, now_s(c), 0, &step) != 0) {
		store_totp_fini(&t);
		if ((rc = svc_audit_op(c, "totp.confirm_failed", "user", id,
		    NULL, false, e)) != CS_OK)
			return rc;
		return cs_fail(e, CS_EINVAL, "code", "wrong code: check the "
		    "authenticator's clock and try the current code");
	}
	store_totp_fini(&t);
	*codes = json_array();
	hashes = json_array();
	for (int i = 0; i < CORE_TOTP_RECOVERY_N; i++) {
		core_totp_recovery_new(rc_code);
		(void)core_totp_recovery_hash(rc_code, hex);
		json_array_append_new(*codes, json_string(rc_code));
		json_array_append_new(hashes, json_string(hex));
	}
	sodium_memzero(rc_code, sizeof(rc_code));
	text = json_dumps(hashes, JSON_COMPACT);
	json_decref(hashes);
	rc = store_totp_activate(c->st, id, step, text, c->now_us);
	free(text);
	if (rc != CS_OK) {
		json_decref(*codes);
		*codes = NULL;
		return cs_fail(e, rc == CS_ENOENT ? CS_ECONFLICT : rc, "",
		    "could not activate");
	}
	return svc_audit_op(c, "totp.confirm", "user", id, NULL, false, e);
}

/*
 * Is otp a valid code for active t: a TOTP code of an unused step within
 * the window (the step is then recorded), or an unused recovery code
 * (then spent; *recovery set).  -2: a replayed TOTP code.
 */
static int
check_code(struct svc_ctx *c, const struct store_totp *t, const char *otp,
    bool *recovery)
{
	char hex[65];
	json_t *a, *v;
	char *text;
	int64_t step;
	size_t i;
	int r, found = -1;

	*recovery = false;
	if (core_totp_is_code(otp)) {
		if ((r = core_totp_verify(t->secret, otp, now_s(c), t->last_step,
		    &step)) != 0)
			return r;
		/* Only a later step moves it: two requests cannot both win. */
		return store_totp_use_step(c->st, t->user, step) == CS_OK ? 0 : -2;
	}
	if (core_totp_recovery_hash(otp, hex) != 0 ||
	    (a = json_loads(t->recovery, 0, NULL)) == NULL)
		return -1;
	json_array_foreach(a, i, v)
		if (json_is_string(v) && json_string_length(v) == 64 &&
		    sodium_memcmp(json_string_value(v), hex, 64) == 0)
			found = (int)i;
	if (found < 0) {
		json_decref(a);
		return -1;
	}
	json_array_remove(a, (size_t)found);
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	r = store_totp_set_recovery(c->st, t->user, t->recovery, text) == CS_OK ?
	    0 : -1;
	free(text);
	*recovery = r == 0;
	return r;
}

enum cs_err
svc_totp_disable(struct svc_ctx *c, int64_t id, const char *code,
    struct cs_error *e)
{
	struct store_user u;
	struct store_totp t;
	bool has, manager, self, rec;
	enum cs_err rc;

	if ((rc = load(c, id, false, &u, e)) != CS_OK)
		return rc;
	self = c->who.user_id == u.id;
	manager = svc_user_manages(c, &u, false);
	store_user_fini(&u);
	if (!self && !manager)
		return cs_fail(e, CS_EPERM, "", "only the user, an admin or the "
		    "user's org_admin disables a second factor");
	if ((rc = get(c, id, &t, &has, e)) != CS_OK)
		return rc;
	if (!has)
		return cs_fail(e, CS_ECONFLICT, "", "no second factor is set up");
	/*
	 * The user proves it holds the factor (an admin disabling its own
	 * too: a stolen session must not remove it); a manager need not.
	 */
	if (self && t.active) {
		if (code == NULL || *code == '\0') {
			store_totp_fini(&t);
			return cs_fail(e, CS_EINVAL, "code", "a code from the "
			    "authenticator (or a recovery code) is required");
		}
		if (check_code(c, &t, code, &rec) != 0) {
			store_totp_fini(&t);
			if ((rc = svc_audit_op(c, "totp.disable_failed", "user",
			    id, NULL, false, e)) != CS_OK)
				return rc;
			return cs_fail(e, CS_EINVAL, "code", "wrong code");
		}
	}
	store_totp_fini(&t);
	if ((rc = store_totp_delete(c->st, id)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	return svc_audit_op(c, "totp.disable", "user", id, json_pack("{s:b}",
	    "by_manager", !self), false, e);
}

enum cs_err
svc_totp_login(struct svc_ctx *c, const unsigned char h[32], int64_t user,
    const char *otp, struct cs_error *e)
{
	struct store_totp t;
	const char *why;
	bool has, rec;
	enum cs_err rc;
	int r;

	if ((rc = get(c, user, &t, &has, e)) != CS_OK)
		return rc;
	if (!has || !t.active) {
		store_totp_fini(&t);
		return CS_OK;
	}
	if (otp == NULL || *otp == '\0') {
		r = -3;
		why = "a one-time code (otp) is required";
	} else {
		r = check_code(c, &t, otp, &rec);
		why = r == -2 ? "this code was already used: wait for the next "
		    "one" : "wrong one-time code";
	}
	store_totp_fini(&t);
	if (r == 0)
		return rec ? svc_audit_op(c, "totp.recovery_used", "user", user,
		    NULL, false, e) : CS_OK;
	if ((rc = svc_login_failed(c, h, user, e)) != CS_OK)
		return rc;
	if ((rc = svc_audit_op(c, "session.otp_failed", "user", user,
	    json_pack("{s:s}", "reason", r == -3 ? "missing" : r == -2 ?
	    "replay" : "wrong"), false, e)) != CS_OK)
		return rc;
	return cs_fail(e, CS_EAUTH, "otp", "%s", why);
}
