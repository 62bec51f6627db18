/*
 * cmd-totp.c: logging in, with the TOTP second factor (docs/cli.md
 * "Logging in and the second factor") — cishare login, and cishare totp
 * status|enroll|confirm|disable.  USERID defaults to the caller (GET /me).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* login LOGIN [--otp CODE] [--label L]: the password on standard input. */
int
cmd_login(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	char *pw = NULL;
	const char *env = getenv("CISHARE_PASSWORD");
	json_t *body;
	int rc;

	if (env != NULL && *env != '\0')
		pw = xstrdup(env);
	else if (read_secret_line(&pw) == -1)
		return EXIT_FAIL;
	body = json_pack("{s:s, s:s}", "login", a->pos[0], "password", pw);
	memset(pw, 0, strlen(pw));
	free(pw);
	if (args_get(a, "otp") != NULL)
		(void)json_object_set_new(body, "otp",
		    json_string(args_get(a, "otp")));
	if (args_get(a, "label") != NULL)
		(void)json_object_set_new(body, "label",
		    json_string(args_get(a, "label")));
	rc = send_json(ctx, "POST", "/login", body, "{token}", NULL, NULL);
	json_decref(body);
	return rc;
}

/* "/users/<USERID or the caller's id>/totp<suffix>" in *path. */
static int
totp_path(struct cmd_ctx *ctx, const char *arg, const char *suffix,
    char **path)
{
	json_t *me = NULL;
	char *sfx;
	int rc;

	*path = NULL;
	if (arg != NULL) {
		sfx = xasprintf("/totp%s", suffix);
		rc = id_path(ctx, "user id", arg, "/users/", sfx, path);
		free(sfx);
		return rc == -1 ? EXIT_USAGE : 0;
	}
	if ((rc = request(ctx, "GET", "/me", NULL, &me)) != 0)
		return rc;
	*path = xasprintf("/users/%" JSON_INTEGER_FORMAT "/totp%s",
	    json_integer_value(json_object_get(me, "id")), suffix);
	json_decref(me);
	return 0;
}

static const char *
pos(const struct cmd_ctx *ctx, size_t i)
{
	return ctx->args->npos > i ? ctx->args->pos[i] : NULL;
}

/* totp status [USERID] */
int
cmd_totp_status(struct cmd_ctx *ctx)
{
	char *path;
	int rc;

	if ((rc = totp_path(ctx, pos(ctx, 0), "", &path)) != 0)
		return rc;
	rc = send_json(ctx, "GET", path, NULL, "enabled {enabled} pending "
	    "{pending} required {required} recovery codes left "
	    "{recovery_left}", NULL, NULL);
	free(path);
	return rc;
}

/* totp enroll: the secret and the otpauth:// URI for the authenticator. */
int
cmd_totp_enroll(struct cmd_ctx *ctx)
{
	char *path;
	int rc;

	if ((rc = totp_path(ctx, NULL, "", &path)) != 0)
		return rc;
	rc = send_json(ctx, "POST", path, NULL, "secret {secret}\nuri {uri}\n"
	    "confirm with: cishare totp confirm CODE", NULL, NULL);
	free(path);
	return rc;
}

/* totp confirm CODE: activates it; prints the recovery codes once. */
int
cmd_totp_confirm(struct cmd_ctx *ctx)
{
	json_t *body, *res = NULL, *v;
	char *path;
	size_t i;
	int rc;

	if ((rc = totp_path(ctx, NULL, "/confirm", &path)) != 0)
		return rc;
	body = json_pack("{s:s}", "code", ctx->args->pos[0]);
	rc = send_json(ctx, "POST", path, body, ctx->json ? NULL :
	    "second factor enabled; recovery codes (each works once, shown "
	    "only now):", NULL, &res);
	if (rc == 0 && !ctx->json)
		json_array_foreach(json_object_get(res, "recovery_codes"), i, v)
			printf("  %s\n", json_string_value(v));
	json_decref(res);
	json_decref(body);
	free(path);
	return rc;
}

/* totp disable [USERID] [--code CODE]: yours needs a code, a manager's not. */
int
cmd_totp_disable(struct cmd_ctx *ctx)
{
	json_t *body;
	char *path;
	int rc;

	if ((rc = totp_path(ctx, pos(ctx, 0), "", &path)) != 0)
		return rc;
	body = json_object();
	if (args_get(ctx->args, "code") != NULL)
		(void)json_object_set_new(body, "code",
		    json_string(args_get(ctx->args, "code")));
	rc = send_json(ctx, "DELETE", path, body, "second factor disabled",
	    NULL, NULL);
	json_decref(body);
	free(path);
	return rc;
}
