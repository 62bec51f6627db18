/*
 * cmd-audit.c: the audit log (admin, NISC) and the check of its hash
 * chain.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"


int
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
