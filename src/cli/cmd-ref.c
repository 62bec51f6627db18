/*
 * cmd-ref.c: who you are and the reference data: me, sectors, taxonomy
 * (GET /<name>, printed as JSON).
 */
#include <stdlib.h>

#include "cli/cli.h"


/* me, sectors, taxonomy: GET /<name> and print the JSON. */
int
cmd_get_json(struct cmd_ctx *ctx)
{
	char *path;
	int rc;

	path = xasprintf("/%s", ctx->entry->name);
	rc = send_json(ctx, "GET", path, NULL, NULL, NULL, NULL);
	free(path);
	return rc;
}
