/*
 * cmd-audit.c: the audit log (admin, NISC) and the check of its hash
 * chain.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"

static int	cmd_audit_verify(struct cmd_ctx *);

/* The entry's keys are not fixed by API.md: try the likely names. */
static const struct list_view audit_view = {
	"/audit", "SEQ=seq|id TIME=at|time|ts|created_at"
	" USER=user|actor|who|user_id ORG=org|org_id ACTION=action|what|event"
	" ITEM=item|target|object|item_id", "entries", 0
};

const struct cmd_entry cmd_audit_entry = {
	"audit", NULL, "",
	"Show the audit log (admin, NISC).",
	"since", 0, &audit_view, listview_exec
};

const struct cmd_entry cmd_audit_verify_entry = {
	"audit", "verify", "",
	"Check the audit log's hash chain; exit 1 if it is broken.",
	NULL, 0, NULL, cmd_audit_verify
};

static int
cmd_audit_verify(struct cmd_ctx *ctx)
{
	json_t *res = NULL;
	char *n = NULL, *detail = NULL;
	int rc;

	if ((rc = request(ctx, "GET", "/audit/verify", NULL, &res)) != 0)
		goto out;
	if (ctx->json)
		print_json(res);
	if (json_is_true(json_object_get(res, "ok"))) {
		n = jfield(res, "entries");
		if (!ctx->json)
			printf("audit log intact: %s entries\n", n);
		goto out;
	}
	if (!ctx->json) {
		detail = json_text(res);
		printf("audit log BROKEN: %s\n", detail);
	}
	rc = EXIT_FAIL;
out:
	free(n);
	free(detail);
	json_decref(res);
	return rc;
}
