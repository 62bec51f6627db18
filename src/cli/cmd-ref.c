/*
 * cmd-ref.c: who you are and the reference data: me, sectors, taxonomy
 * (GET /<name>, printed as JSON).
 */
#include <stdlib.h>

#include "cli/cli.h"

static int	cmd_get_json(struct cmd_ctx *);

const struct cmd_entry cmd_me_entry = {
	"me", NULL, "",
	"Show your user, organisation and roles.",
	NULL, 0, NULL, cmd_get_json
};

const struct cmd_entry cmd_sectors_entry = {
	"sectors", NULL, "",
	"Show the sectors reference data.",
	NULL, 0, NULL, cmd_get_json
};

const struct cmd_entry cmd_taxonomy_entry = {
	"taxonomy", NULL, "",
	"Show the event and cause taxonomy.",
	NULL, 0, NULL, cmd_get_json
};

/* me, sectors, taxonomy: GET /<name> and print the JSON. */
static int
cmd_get_json(struct cmd_ctx *ctx)
{
	char *path;
	int rc;

	path = xasprintf("/%s", ctx->entry->name);
	rc = send_json(ctx, "GET", path, NULL, NULL, NULL, NULL);
	free(path);
	return rc;
}
