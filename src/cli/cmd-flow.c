/*
 * cmd-flow.c: the steps around an advisory's approval and delivery, and
 * an account's recovery — cishare advisory return (差戻し), advisory
 * remind (督促) and user password-reset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* advisory return ID --comment TEXT: the approver sends a draft back. */
int
cmd_advisory_return(struct cmd_ctx *ctx)
{
	json_t *body;
	char *path = NULL;
	int rc = EXIT_USAGE;

	if (id_path(ctx, "advisory id", ctx->args->pos[0], "/advisories/",
	    "/return", &path) == -1)
		return rc;
	body = json_pack("{s:s}", "comment", args_get(ctx->args, "comment"));
	rc = send_json(ctx, "POST", path, body, "advisory {id} "
	    "{identification_number} state {state}", NULL, NULL);
	json_decref(body);
	free(path);
	return rc;
}

/* advisory remind ID [ORGID...]: remind the unacknowledged recipients. */
int
cmd_advisory_remind(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = json_object(), *orgs = json_array();
	char *path = NULL;
	int rc = EXIT_USAGE;

	if (id_path(ctx, "advisory id", a->pos[0], "/advisories/", "/remind",
	    &path) == -1)
		goto out;
	for (size_t i = 1; i < a->npos; i++) {
		int64_t id;

		if (cs_str_to_i64(a->pos[i], 1, INT64_MAX, &id) != CS_OK) {
			fprintf(stderr, "cishare: advisory remind: '%s' is not an "
			    "organisation id\n", a->pos[i]);
			goto out;
		}
		json_array_append_new(orgs, json_integer(id));
	}
	if (json_array_size(orgs) > 0)
		json_object_set(body, "orgs", orgs);
	rc = send_json(ctx, "POST", path, body, "advisory {id} reminded "
	    "{reminded}", NULL, NULL);
out:
	json_decref(orgs);
	json_decref(body);
	free(path);
	return rc;
}

/* user password-reset USERID: print the one-time temporary password. */
int
cmd_user_password_reset(struct cmd_ctx *ctx)
{
	char *path = NULL;
	int rc;

	if (id_path(ctx, "user id", ctx->args->pos[0], "/users/",
	    "/password-reset", &path) == -1)
		return EXIT_USAGE;
	rc = send_json(ctx, "POST", path, NULL, "user {id} temporary password "
	    "{temporary_password} (to be changed at the next login)", NULL,
	    NULL);
	free(path);
	return rc;
}
