/*
 * session.c: the web UI's login.  POST /session checks the password
 * (argon2id) and sets an HttpOnly, SameSite=Strict cookie holding a
 * session token (a token like any other, labelled "session", valid 12 h);
 * the response carries the CSRF token that every state-changing request
 * made with the cookie must echo in X-CSRF-Token (checked in src/http).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"

/*
 * Secure, and named __Host-, when users reach cishare over TLS (its public
 * URL is https); over plain HTTP (a loopback test) browsers would drop a
 * __Host- cookie, so it keeps the plain name there.
 */
const char *
api_session_cookie_name(const struct api_req *q)
{
	bool tls = q->cfg != NULL && q->cfg->public_url != NULL &&
	    strncmp(q->cfg->public_url, "https://", 8) == 0;

	return tls ? API_SESSION_COOKIE_HOST : API_SESSION_COOKIE;
}

static char *
cookie(const struct api_req *q, const char *value, int64_t max_age_s)
{
	const char *name = api_session_cookie_name(q);
	bool tls = name[0] == '_';

	return xasprintf("%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
	    name, value, (long long)max_age_s, tls ? "; Secure" : "");
}

char *
api_session_cookie_expired(const struct api_req *q)
{
	return cookie(q, "", 0);
}

/* POST /session {login, password} */
static enum cs_err
session_create(struct api_req *q, struct cs_error *e)
{
	const char *lg, *pw, *npw;
	struct store_token t;
	json_t *otp;
	char csrf[33], *tok = NULL;
	int64_t user;
	enum cs_err rc;

	lg = json_string_value(json_object_get(q->body, "login"));
	pw = json_string_value(json_object_get(q->body, "password"));
	if (lg == NULL || *lg == '\0' || strlen(lg) > 64)
		return cs_fail(e, CS_EINVAL, "login", "required field is missing");
	if (pw == NULL || strlen(pw) > 1024)
		return cs_fail(e, CS_EINVAL, "password", "required field is missing");
	npw = json_string_value(json_object_get(q->body, "new_password"));
	if (npw != NULL && strlen(npw) > 1024)
		return cs_fail(e, CS_EINVAL, "new_password", "too long");
	otp = json_object_get(q->body, "otp");
	if (otp != NULL && (!json_is_string(otp) || json_string_length(otp) > 64))
		return cs_fail(e, CS_EINVAL, "otp", "must be a code of 6 digits "
		    "or a recovery code");
	if ((rc = api_password_check_new(q, lg, pw, npw, &user, e)) != CS_OK)
		return rc;
	memset(&t, 0, sizeof(t));
	if ((rc = store_counter_next(q->st, "token", &t.id)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	tok = core_token_new(t.id, t.hash);
	t.user = user;
	t.label = (char *)"session";
	t.created_us = q->now_us;
	if ((rc = store_token_insert(q->st, &t)) != CS_OK) {
		free(tok);
		return cs_fail(e, rc, "", "store error");
	}
	/* Authenticate as that session so /me renders and the audit names the user. */
	q->bearer = tok;
	rc = api_authenticate(q, e);
	if (rc == CS_OK)
		rc = api_audit(q, "session.create", NULL, NULL, false);
	if (rc != CS_OK) {
		q->bearer = NULL;
		sodium_memzero(tok, strlen(tok));
		free(tok);
		return rc;
	}
	core_csrf_token(tok, csrf);
	q->set_cookie = cookie(q, tok, API_SESSION_TTL_US / 1000000);
	q->out = json_pack("{s:s, s:o, s:o}", "csrf", csrf, "me", api_me_json(q),
	    "expires_at", api_time(q->now_us + API_SESSION_TTL_US));
	q->status = 201;
	q->bearer = NULL;
	sodium_memzero(tok, strlen(tok));
	free(tok);
	return CS_OK;
}

/* GET /session: the CSRF token and the user, for a page reload. */
static enum cs_err
session_get(struct api_req *q, struct cs_error *e)
{
	char csrf[33];

	(void)e;
	core_csrf_token(q->bearer, csrf);
	q->out = json_pack("{s:s, s:o}", "csrf", csrf, "me", api_me_json(q));
	q->status = 200;
	return CS_OK;
}

/* DELETE /session: log out (the session token is deleted). */
static enum cs_err
session_delete(struct api_req *q, struct cs_error *e)
{
	unsigned char h[32];
	int64_t id;
	enum cs_err rc;

	if (core_token_parse(q->bearer, &id, h) != 0)
		return cs_fail(e, CS_EAUTH, "", "malformed token");
	if ((rc = store_token_delete(q->st, id)) != CS_OK)
		return cs_fail(e, rc, "", "store error");
	if ((rc = api_changed(q, "session.delete", NULL, 200,
	    json_pack("{s:b}", "ok", 1), e)) == CS_OK)
		q->set_cookie = cookie(q, "", 0);
	return rc;
}

const struct api_route api_session_routes[] = {
	API_ROUTE("POST", "/session", ACT_SESSION_CREATE, .flags = API_BODY,
	    .body = API_KEYS("login", "password", "new_password", "otp"),
	    .fn = session_create),
	API_ROUTE("GET", "/session", ACT_SESSION_READ, .fn = session_get),
	API_ROUTE("DELETE", "/session", ACT_SESSION_DELETE,
	    .fn = session_delete),
	API_ROUTES_END
};
