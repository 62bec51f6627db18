/*
 * cmd-widening.c: widening requests — NISC asks a report's source to
 * allow a wider TLP or more sectors; the source approves or refuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int	cmd_widening_request(struct cmd_ctx *);
static int	cmd_widening_decide(struct cmd_ctx *);

static const struct list_view widening_view = {
	"/widening-requests", "ID=id REPORT=report TLP=tlp%tlp SECTORS=sectors"
	" STATE=state BY_ORG=requested_by_org CREATED=created_at%time"
	" DECIDED=decided_at%time REASON=reason%line40", "requests", 0
};

const struct cmd_entry cmd_widening_request_entry = {
	"widening", "request", "REPORT",
	"Ask the source of report REPORT to allow a wider TLP or more\n"
	"sectors (NISC).",
	"tlp! sectors reason", 0, NULL, cmd_widening_request
};

const struct cmd_entry cmd_widening_list_entry = {
	"widening", "list", "",
	"List the widening requests you may see.",
	NULL, 0, &widening_view, listview_exec
};

const struct cmd_entry cmd_widening_approve_entry = {
	"widening", "approve", "ID",
	"Allow widening request ID (the report's source).",
	NULL, 0, NULL, cmd_widening_decide
};

const struct cmd_entry cmd_widening_refuse_entry = {
	"widening", "refuse", "ID",
	"Refuse widening request ID (the report's source).",
	NULL, 0, NULL, cmd_widening_decide
};

static int
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
static int
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
