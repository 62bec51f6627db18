/*
 * totp.c: the TOTP second factor — GET/POST/DELETE /users/{id}/totp,
 * POST /users/{id}/totp/confirm (docs/api.md "Second factor"): parse →
 * svc_totp → render.  The code at login is POST /login's and POST
 * /session's "otp" (orgs.c, session.c through svc_password_check_new).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api_int.h"
#include "svc/svc_dir.h"
#include "svc/svc_totp.h"

/* "code": absent (NULL) or a string of at most 64 bytes. */
static enum cs_err
code_of(const struct api_req *q, bool required, const char **code,
    struct cs_error *e)
{
	json_t *v = q->body != NULL ? json_object_get(q->body, "code") : NULL;

	*code = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return cs_fail(e, CS_EINVAL, "code", "required field is "
			    "missing");
		return CS_OK;
	}
	if (!json_is_string(v) || json_string_length(v) > 64)
		return cs_fail(e, CS_EINVAL, "code", "must be a code of 6 digits "
		    "or a recovery code");
	*code = json_string_value(v);
	return CS_OK;
}

static enum cs_err
totp_get(struct api_req *q, struct cs_error *e)
{
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_totp_status(&c, q->ids[0], &q->out, e)) != CS_OK)
		return rc;
	q->status = 200;
	return CS_OK;
}

static enum cs_err
totp_enroll(struct api_req *q, struct cs_error *e)
{
	char *secret = NULL, *uri = NULL;
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_totp_enroll(&c, q->ids[0], &secret, &uri, e)) != CS_OK)
		return rc;
	q->out = json_pack("{s:s, s:s, s:i, s:i, s:s}", "secret", secret,
	    "uri", uri, "digits", 6, "period", 30, "algorithm", "SHA1");
	q->status = 201;
	sodium_memzero(secret, strlen(secret));
	sodium_memzero(uri, strlen(uri));
	free(secret);
	free(uri);
	return CS_OK;
}

static enum cs_err
totp_confirm(struct api_req *q, struct cs_error *e)
{
	const char *code;
	struct svc_ctx c;
	json_t *codes = NULL;
	enum cs_err rc;

	if ((rc = code_of(q, true, &code, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	rc = svc_totp_confirm(&c, q->ids[0], code, &codes, e);
	/* A wrong code is audited (totp.confirm_failed) and kept. */
	if (rc == CS_EINVAL)
		q->keep_on_error = true;
	if (rc != CS_OK)
		return rc;
	q->out = json_pack("{s:b, s:o}", "enabled", 1, "recovery_codes", codes);
	q->status = 200;
	return CS_OK;
}

static enum cs_err
totp_disable(struct api_req *q, struct cs_error *e)
{
	const char *code;
	struct svc_ctx c;
	enum cs_err rc;

	if ((rc = code_of(q, false, &code, e)) != CS_OK)
		return rc;
	api_svc_ctx(q, &c);
	rc = svc_totp_disable(&c, q->ids[0], code, e);
	if (rc == CS_EINVAL && strcmp(e->field, "code") == 0 && code != NULL)
		q->keep_on_error = true;
	if (rc != CS_OK)
		return rc;
	q->out = json_pack("{s:b}", "enabled", 0);
	q->status = 200;
	return CS_OK;
}

/* .visible: the user exists and the caller sees it (svc_user_load). */
static enum cs_err
totp_visible(struct api_req *q, struct cs_error *e)
{
	struct store_user u;
	struct svc_ctx c;
	enum cs_err rc;

	api_svc_ctx(q, &c);
	if ((rc = svc_user_load(&c, q->ids[0], &u, e)) == CS_OK)
		store_user_fini(&u);
	return rc;
}

const struct api_route api_totp_routes[] = {
	API_ROUTE("GET", "/users/:id/totp", ACT_TOTP_READ,
	    .visible = totp_visible, .fn = totp_get),
	API_ROUTE("POST", "/users/:id/totp", ACT_TOTP_MANAGE,
	    .flags = API_OPTBODY, .visible = totp_visible, .fn = totp_enroll),
	API_ROUTE("POST", "/users/:id/totp/confirm", ACT_TOTP_MANAGE,
	    .flags = API_BODY, .body = API_KEYS("code"),
	    .visible = totp_visible, .fn = totp_confirm),
	API_ROUTE("DELETE", "/users/:id/totp", ACT_TOTP_MANAGE,
	    .flags = API_OPTBODY, .body = API_KEYS("code"),
	    .visible = totp_visible, .fn = totp_disable),
	API_ROUTES_END
};
