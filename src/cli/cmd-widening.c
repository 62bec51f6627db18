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

static const struct opt_spec widening_request_opts[] = {
	{ "tlp", OPT_ARG | OPT_REQ, "TLP", CHK_VOCAB, &vocab_tlp,
	  "the TLP asked for" },
	{ "sector", OPT_ARG | OPT_MULTI | OPT_LIST, "SECTOR", CHK_VOCAB,
	  &vocab_sector, "a sector to add" },
	{ "reason", OPT_ARG, "TEXT", CHK_NONE, NULL, "why, for the source" },
	{ NULL, 0, NULL, CHK_NONE, NULL, NULL }
};

static const struct list_col widening_cols[] = {
	{ "ID", "id", COL_TEXT, 0 },
	{ "REPORT", "report", COL_TEXT, 0 },
	{ "TLP", "tlp", COL_TLP, 0 },
	{ "SECTORS", "sectors", COL_TEXT, 0 },
	{ "STATE", "state", COL_TEXT, 0 },
	{ "BY_ORG", "requested_by_org", COL_TEXT, 0 },
	{ "CREATED", "created_at", COL_TIME, 0 },
	{ "DECIDED", "decided_at", COL_TIME, 0 },
	{ "REASON", "reason", COL_LINE, 40 },
	{ NULL, NULL, COL_TEXT, 0 }
};

static const struct list_view widening_view = {
	"/widening-requests", widening_cols, NULL, "requests", 0
};

const struct cmd_entry cmd_widening_request_entry = {
	"widening", "request", "REPORT",
	"Ask the source of report REPORT to allow a wider TLP or more\n"
	"sectors (NISC).",
	widening_request_opts, 0, NULL, cmd_widening_request
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
	json_t *body = NULL, *sectors, *res = NULL;
	json_int_t rid;
	const char *tlp, *reason;
	char *path = NULL, *id = NULL, *state = NULL;
	int rc = EXIT_USAGE;

	if (parse_id(ctx->entry, "report id", a->pos[0], &rid) == -1)
		goto out;
	tlp = args_get(a, "tlp");
	body = json_object();
	(void)json_object_set_new(body, "tlp", json_string(tlp));
	if (args_has(a, "sector")) {
		sectors = json_array();
		(void)json_object_set_new(body, "sectors", sectors);
		if (collect_strs(ctx, "sector", sectors) == -1)
			goto out;
	}
	if ((reason = args_get(a, "reason")) != NULL)
		(void)json_object_set_new(body, "reason", json_string(reason));
	path = xasprintf("/reports/%" JSON_INTEGER_FORMAT
	    "/widening-requests", rid);
	if ((rc = request(ctx, "POST", path, body, &res)) != 0)
		goto out;
	if (ctx->json) {
		print_json(res);
		goto out;
	}
	id = jfield(res, "id");
	state = jfield(res, "state");
	printf("widening request %s state %s\n", id, state);
out:
	free(path);
	free(id);
	free(state);
	json_decref(body);
	json_decref(res);
	return rc;
}

/* widening approve|refuse ID: the source's answer. */
static int
cmd_widening_decide(struct cmd_ctx *ctx)
{
	json_t *res = NULL;
	json_int_t wid;
	char *path = NULL, *id = NULL, *state = NULL, *rep = NULL;
	char *tlp = NULL, *sec = NULL;
	int rc;

	if (parse_id(ctx->entry, "widening request id", ctx->args->pos[0],
	    &wid) == -1)
		return EXIT_USAGE;
	path = xasprintf("/widening-requests/%" JSON_INTEGER_FORMAT "/%s",
	    wid, ctx->entry->sub);
	if ((rc = request(ctx, "POST", path, NULL, &res)) != 0)
		goto out;
	if (ctx->json) {
		print_json(res);
		goto out;
	}
	id = jfield(res, "id");
	state = jfield(res, "state");
	rep = jfield(res, "report");
	tlp = tlp_text(json_object_get(res, "tlp"));
	sec = jfield(res, "sectors");
	printf("widening request %s %s (report %s, TLP:%s, sectors %s)\n", id,
	    state, rep, tlp, sec);
out:
	free(path);
	free(id);
	free(state);
	free(rep);
	free(tlp);
	free(sec);
	json_decref(res);
	return rc;
}
