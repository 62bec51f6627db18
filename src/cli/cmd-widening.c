/*
 * cmd-widening.c: widening requests — NISC asks a report's source to
 * allow a wider TLP or more sectors; the source approves or refuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"


int
cmd_widening_request(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body, *sectors;
	const char *reason;
	char *path = NULL;
	int rc = EXIT_USAGE;

	body = json_object();
	if (id_path(ctx, "report id", a->pos[0], "/reports/",
	    "/widening-requests", &path) == -1)
		goto out;
	(void)json_object_set_new(body, "tlp", json_string(args_get(a,
	    "tlp")));
	if (args_has(a, "sector")) {
		sectors = json_array();
		(void)json_object_set_new(body, "sectors", sectors);
		if (collect_strs(ctx, "sector", sectors) == -1)
			goto out;
	}
	if ((reason = args_get(a, "reason")) != NULL)
		(void)json_object_set_new(body, "reason", json_string(reason));
	rc = send_json(ctx, "POST", path, body,
	    "widening request {id} state {state}", NULL, NULL);
out:
	free(path);
	json_decref(body);
	return rc;
}

/* widening approve|refuse ID: the source's answer. */
int
cmd_widening_decide(struct cmd_ctx *ctx)
{
	char *path = NULL, *suffix;
	int rc = EXIT_USAGE;

	suffix = xasprintf("/%s", ctx->entry->sub);
	if (id_path(ctx, "widening request id", ctx->args->pos[0],
	    "/widening-requests/", suffix, &path) == 0)
		rc = send_json(ctx, "POST", path, NULL, "widening request {id}"
		    " {state} (report {report}, TLP:{tlp%tlp}, sectors"
		    " {sectors})", NULL, NULL);
	free(suffix);
	free(path);
	return rc;
}
