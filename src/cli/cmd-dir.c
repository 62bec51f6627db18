/*
 * cmd-dir.c: the directory — organisations, users and API tokens
 * (creating them is for admins).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static int	cmd_org_create(struct cmd_ctx *);
static int	cmd_org_show(struct cmd_ctx *);
static int	cmd_user_create(struct cmd_ctx *);
static int	cmd_token_create(struct cmd_ctx *);

static const struct opt_spec org_create_opts[] = {
	{ "sector", OPT_ARG | OPT_MULTI | OPT_LIST, "SECTOR", CHK_VOCAB,
	  &vocab_sector, "a sector of the organisation" },
	{ "ceptoar", OPT_ARG, "ORGID", CHK_NONE, NULL,
	  "the CEPTOAR secretariat an operator reports through" },
	{ NULL, 0, NULL, CHK_NONE, NULL, NULL }
};

static const struct opt_spec user_create_opts[] = {
	{ "role", OPT_ARG | OPT_REQ | OPT_MULTI | OPT_LIST, "ROLE", CHK_NONE,
	  NULL, "member, poc, liaison, analyst, approver, org_admin, admin" },
	{ "name", OPT_ARG, "NAME", CHK_NONE, NULL,
	  "the display name (default: the login)" },
	{ "password", OPT_ARG, "P|-", CHK_NONE, NULL,
	  "a password for the web UI; - reads it from standard input" },
	{ "nda", 0, NULL, CHK_NONE, NULL, "an NDA contractor" },
	{ NULL, 0, NULL, CHK_NONE, NULL, NULL }
};

static const struct opt_spec user_list_opts[] = {
	{ "org", OPT_ARG, "ORGID", CHK_ID, NULL,
	  "only the users of this organisation" },
	{ NULL, 0, NULL, CHK_NONE, NULL, NULL }
};

static const struct opt_spec token_create_opts[] = {
	{ "label", OPT_ARG, "L", CHK_NONE, NULL, "a label for the token" },
	{ NULL, 0, NULL, CHK_NONE, NULL, NULL }
};

static const struct list_col org_cols[] = {
	{ "ID", "id", COL_TEXT, 0 },
	{ "TYPE", "type", COL_TEXT, 0 },
	{ "NAME", "name", COL_TEXT, 0 },
	{ "SECTORS", "sectors", COL_TEXT, 0 },
	{ "CEPTOAR", "ceptoar", COL_TEXT, 0 },
	{ NULL, NULL, COL_TEXT, 0 }
};

static const struct list_view org_view = {
	"/orgs", org_cols, NULL, "organisations", 0
};

static const struct list_filter user_filters[] = {
	{ "org", "org", NULL },
	{ NULL, NULL, NULL }
};

static const struct list_col user_cols[] = {
	{ "ID", "id", COL_TEXT, 0 },
	{ "ORG", "org", COL_TEXT, 0 },
	{ "LOGIN", "login", COL_TEXT, 0 },
	{ "NAME", "display_name", COL_TEXT, 0 },
	{ "ROLES", "roles", COL_TEXT, 0 },
	{ "NDA", "nda_contractor", COL_TEXT, 0 },
	{ "CREATED", "created_at", COL_TIME, 0 },
	{ NULL, NULL, COL_TEXT, 0 }
};

static const struct list_view user_view = {
	"/users", user_cols, user_filters, "users", 0
};

const struct cmd_entry cmd_org_create_entry = {
	"org", "create", "NAME TYPE",
	"Create an organisation (admin); TYPE is an actor type id.",
	org_create_opts, 0, NULL, cmd_org_create
};

const struct cmd_entry cmd_org_list_entry = {
	"org", "list", "",
	"List organisations.",
	NULL, 0, &org_view, listview_exec
};

const struct cmd_entry cmd_org_show_entry = {
	"org", "show", "ORGID",
	"Show one organisation.",
	NULL, 0, NULL, cmd_org_show
};

const struct cmd_entry cmd_user_create_entry = {
	"user", "create", "ORGID LOGIN",
	"Create a user (admin).",
	user_create_opts, 0, NULL, cmd_user_create
};

const struct cmd_entry cmd_user_list_entry = {
	"user", "list", "",
	"List users (admin; org_admin: those of your organisation).",
	user_list_opts, 0, &user_view, listview_exec
};

const struct cmd_entry cmd_token_create_entry = {
	"token", "create", "USERID",
	"Create an API token for a user; it is printed once.",
	token_create_opts, 0, NULL, cmd_token_create
};

static int
cmd_org_create(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = NULL, *sectors, *res = NULL;
	json_int_t cid;
	const char *ceptoar;
	char *id = NULL;
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

	if ((rc = request(ctx, "POST", "/orgs", body, &res)) != 0)
		goto out;
	if (ctx->json)
		print_json(res);
	else {
		id = jfield(res, "id");
		printf("org %s\n", id);
	}
out:
	free(id);
	json_decref(body);
	json_decref(res);
	return rc;
}

static int
cmd_org_show(struct cmd_ctx *ctx)
{
	json_t *res = NULL;
	json_int_t oid;
	char *path;
	int rc;

	if (parse_id(ctx->entry, "organisation id", ctx->args->pos[0],
	    &oid) == -1)
		return EXIT_USAGE;
	path = xasprintf("/orgs/%" JSON_INTEGER_FORMAT, oid);
	if ((rc = request(ctx, "GET", path, NULL, &res)) == 0)
		print_json(res);
	free(path);
	json_decref(res);
	return rc;
}

static int
cmd_user_create(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = NULL, *roles, *res = NULL;
	json_int_t oid;
	const char *name, *pw;
	char *secret = NULL, *id = NULL;
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
	if ((pw = args_get(a, "password")) != NULL && strcmp(pw, "-") == 0) {
		if (read_secret_line(&secret) == -1) {
			rc = EXIT_FAIL;
			goto out;
		}
		pw = secret;
	}
	(void)json_object_set_new(body, "password",
	    pw != NULL ? json_string(pw) : json_null());

	if ((rc = request(ctx, "POST", "/users", body, &res)) != 0)
		goto out;
	if (ctx->json)
		print_json(res);
	else {
		id = jfield(res, "id");
		printf("user %s\n", id);
	}
out:
	if (secret != NULL) {
		memset(secret, 0, strlen(secret));
		free(secret);
	}
	free(id);
	json_decref(body);
	json_decref(res);
	return rc;
}

static int
cmd_token_create(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = NULL, *res = NULL, *tok;
	json_int_t uid;
	const char *label;
	char *path = NULL;
	int rc;

	if (parse_id(ctx->entry, "user id", a->pos[0], &uid) == -1)
		return EXIT_USAGE;
	label = args_get(a, "label");
	body = json_object();
	if (label != NULL)
		(void)json_object_set_new(body, "label", json_string(label));
	path = xasprintf("/users/%" JSON_INTEGER_FORMAT "/tokens", uid);
	if ((rc = request(ctx, "POST", path, body, &res)) != 0)
		goto out;
	if (ctx->json) {
		print_json(res);
		goto out;
	}
	tok = json_object_get(res, "token");
	if (!json_is_string(tok)) {
		fprintf(stderr, "cishare: error: answer has no token\n");
		rc = EXIT_FAIL;
		goto out;
	}
	/* Alone on stdout, so that TOKEN=$(cishare token create 3) works. */
	printf("%s\n", json_string_value(tok));
	if (isatty(STDOUT_FILENO))
		fprintf(stderr, "cishare: the token is shown only once;"
		    " store it now\n");
out:
	free(path);
	json_decref(body);
	json_decref(res);
	return rc;
}
