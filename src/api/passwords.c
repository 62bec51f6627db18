/*
 * passwords.c: POST /users/{id}/password-reset — an admin, or the user's
 * org_admin, gives the user a one-time temporary password that must be
 * replaced at the next login (POST /session or POST /login with
 * "new_password"; docs/api.md "Password reset").  parse → svc → render.
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
	API_ROUTES_END
};
