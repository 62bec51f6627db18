/*
 * passwords.c: POST /users/{id}/password-reset — an admin, or the user's
 * org_admin, gives the user a one-time temporary password that must be
 * replaced at the next login (POST /session or POST /login with
 * "new_password"; docs/api.md "Password reset"); POST /users/{id}/password
 * — the user changes its own password with its current one (ASVS 2.1.6).
 * parse → svc → render.
 */
#include <string.h>

#include <sodium.h>

#include "api/api_int.h"
#include "svc/svc_dir.h"

static enum cs_err
password_reset(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	char *tmp = NULL;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_password_reset(&c, q->ids[0], &tmp, e)) != CS_OK)
		return rc;
	q->status = 200;
	q->out = json_pack("{s:I, s:s, s:b}", "id", (json_int_t)q->ids[0],
	    "temporary_password", tmp, "must_change", 1);
	sodium_memzero(tmp, strlen(tmp));
	free(tmp);
	return CS_OK;
}

/* A required string of at most 1,024 bytes (a password). */
static enum cs_err
pw_field(json_t *body, const char *key, const char **out, struct cs_error *e)
{
	json_t *v = json_object_get(body, key);
	enum cs_err rc;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return cs_fail(e, CS_EINVAL, key, "required field is missing");
	if ((rc = core_check_string(v, 1024, key, e)) != CS_OK)
		return rc;
	*out = json_string_value(v);
	return CS_OK;
}

/* POST /users/{id}/password {current_password, new_password} */
static enum cs_err
password_change(struct api_req *q, struct cs_error *e)
{
	const char *cur, *npw;
	struct svc_ctx c;
	enum cs_err rc;

	if ((rc = pw_field(q->body, "current_password", &cur, e)) != CS_OK ||
	    (rc = pw_field(q->body, "new_password", &npw, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	rc = svc_password_change(&c, q->ids[0], cur, npw, &q->retry_after_s, e);
	if (rc == CS_EAUTH) {
		/* Recorded and audited as a failed login: kept, answered 400. */
		q->keep_on_error = true;
		return cs_fail(e, CS_EINVAL, "current_password", "wrong current "
		    "password");
	}
	if (rc != CS_OK)
		return rc;
	/* This session ended too: the browser drops its cookie. */
	if (q->via_cookie)
		q->set_cookie = api_session_cookie_expired(q);
	q->status = 200;
	q->out = json_pack("{s:I, s:b}", "id", (json_int_t)q->ids[0],
	    "sessions_ended", 1);
	return CS_OK;
}

/* .visible: the user exists and the caller may see it (else 404). */
static enum cs_err
user_visible(struct api_req *q, struct cs_error *e)
{
	struct store_user u;
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_user_load(&c, q->ids[0], &u, e)) == CS_OK)
		store_user_fini(&u);
	return rc;
}

const struct api_route api_password_routes[] = {
	API_ROUTE("POST", "/users/:id/password-reset", ACT_USER_PASSWORD_RESET,
	    .flags = API_OPTBODY, .visible = user_visible, .fn = password_reset),
	API_ROUTE("POST", "/users/:id/password", ACT_USER_PASSWORD_CHANGE,
	    .flags = API_BODY, .body = API_KEYS("current_password",
	    "new_password"), .visible = user_visible, .fn = password_change),
	API_ROUTES_END
};
