/*
 * cmd-dir.c: the directory — organisations, users and API tokens
 * (creating them is for admins).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"


int
cmd_org_create(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = NULL, *sectors;
	json_int_t cid;
	const char *ceptoar;
	int rc = EXIT_USAGE;

	body = json_object();
	(void)json_object_set_new(body, "name", json_string(a->pos[0]));
	(void)json_object_set_new(body, "type", json_string(a->pos[1]));
	sectors = json_array();
	(void)json_object_set_new(body, "sectors", sectors);
	if (collect_strs(ctx, "sector", sectors) == -1)
		goto out;
	if ((ceptoar = args_get(a, "ceptoar")) != NULL) {
		if (parse_id(ctx->entry, "--ceptoar organisation id", ceptoar,
		    &cid) == -1)
			goto out;
		(void)json_object_set_new(body, "ceptoar", json_integer(cid));
	} else
		(void)json_object_set_new(body, "ceptoar", json_null());

	rc = send_json(ctx, "POST", "/orgs", body, "org {id}", NULL, NULL);
out:
	json_decref(body);
	return rc;
}

int
cmd_org_show(struct cmd_ctx *ctx)
{
	char *path;
	int rc;

	if (id_path(ctx, "organisation id", ctx->args->pos[0], "/orgs/", "",
	    &path) == -1)
		return EXIT_USAGE;
	rc = send_json(ctx, "GET", path, NULL, NULL, NULL, NULL);
	free(path);
	return rc;
}

int
cmd_user_create(struct cmd_ctx *ctx)
{
	static const char *const contact[] = { "email", "phone", "fax",
	    "department" };
	struct args *a = ctx->args;
	json_t *body = NULL, *roles;
	json_int_t oid;
	const char *name, *pw;
	char *secret = NULL;
	int rc = EXIT_USAGE;

	if (parse_id(ctx->entry, "organisation id", a->pos[0], &oid) == -1)
		goto out;
	body = json_object();
	(void)json_object_set_new(body, "org", json_integer(oid));
	(void)json_object_set_new(body, "login", json_string(a->pos[1]));
	name = args_get(a, "name");
	(void)json_object_set_new(body, "display_name",
	    json_string(name != NULL ? name : a->pos[1]));
	roles = json_array();
	(void)json_object_set_new(body, "roles", roles);
	if (collect_strs(ctx, "role", roles) == -1)
		goto out;
	(void)json_object_set_new(body, "nda_contractor",
	    json_boolean(args_has(a, "nda")));
	for (size_t i = 0; i < sizeof(contact) / sizeof(contact[0]); i++)
		if (args_get(a, contact[i]) != NULL)
			(void)json_object_set_new(body, contact[i],
			    json_string(args_get(a, contact[i])));
	if ((pw = args_get(a, "password")) != NULL && strcmp(pw, "-") == 0) {
		if (read_secret_line(&secret) == -1) {
			rc = EXIT_FAIL;
			goto out;
		}
		pw = secret;
	}
	(void)json_object_set_new(body, "password",
	    pw != NULL ? json_string(pw) : json_null());

	rc = send_json(ctx, "POST", "/users", body, "user {id}", NULL, NULL);
out:
	if (secret != NULL) {
		memset(secret, 0, strlen(secret));
		free(secret);
	}
	json_decref(body);
	return rc;
}

int
cmd_token_create(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = NULL, *res = NULL, *tok;
	const char *label;
	char *path = NULL;
	int rc;

	if (id_path(ctx, "user id", a->pos[0], "/users/", "/tokens", &path) ==
	    -1)
		return EXIT_USAGE;
	label = args_get(a, "label");
	body = json_object();
	if (label != NULL)
		(void)json_object_set_new(body, "label", json_string(label));
	if ((rc = request_text(ctx, "POST", path, body, &res)) != 0 ||
	    res == NULL)
		goto out;
	tok = json_object_get(res, "token");
	if (!json_is_string(tok)) {
		fprintf(stderr, "cishare: error: answer has no token\n");
		rc = EXIT_FAIL;
		goto out;
	}
	/* Alone on stdout, so that TOKEN=$(cishare token create 3) works. */
	print_once("", json_string_value(tok), "the token");
out:
	free(path);
	json_decref(body);
	json_decref(res);
	return rc;
}
