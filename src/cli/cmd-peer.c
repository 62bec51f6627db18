/*
 * cmd-peer.c: federation peers (docs/interop.md "Federation") — cishare
 * peer list, add, sync, remove.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int
cmd_peer_list(struct cmd_ctx *ctx)
{
	static const char *const head[] = { "ID", "NAME", "ORG", "URL",
	    "LAST SYNC", "CURSOR", "FAILURES", "RECEIVED", "LAST ERROR" };
	json_t *res = NULL, *x;
	struct table t;
	size_t i;
	int rc;

	if ((rc = request_text(ctx, "GET", "/peers", NULL, &res)) != 0 ||
	    res == NULL)
		return rc;
	table_init(&t, head, 9);
	json_array_foreach(json_object_get(res, "items"), i, x) {
		char **row = xcalloc(9, sizeof(*row));

		row[0] = jfield(x, "id");
		row[1] = jfield(x, "name");
		row[2] = jfield(x, "org");
		row[3] = jfield(x, "url");
		row[4] = jfield(x, "last_ok_at");
		row[5] = jfield(x, "cursor");
		row[6] = jfield(x, "failures");
		row[7] = jfield(x, "received");
		row[8] = jfield(x, "last_error");
		table_add(&t, row);
		free(row);
	}
	if (json_array_size(json_object_get(res, "items")) > 0)
		table_print(&t, stdout);
	table_fini(&t);
	json_decref(res);
	return 0;
}

/* peer add FILE: the file is the POST /peers body (its secret included). */
int
cmd_peer_add(struct cmd_ctx *ctx)
{
	json_t *body = NULL;
	int rc;

	if ((rc = load_json_file(ctx->args->pos[0], &body)) != 0)
		return rc;
	rc = send_json(ctx, "POST", "/peers", body, "peer {id}", NULL, NULL);
	json_decref(body);
	return rc;
}

int
cmd_peer_sync(struct cmd_ctx *ctx)
{
	char *path;
	int rc;

	if (id_path(ctx, "peer id", ctx->args->pos[0], "/peers/", "/sync",
	    &path) == -1)
		return EXIT_USAGE;
	rc = send_json(ctx, "POST", path, NULL, "peer {id}: sync requested",
	    NULL, NULL);
	free(path);
	return rc;
}

int
cmd_peer_remove(struct cmd_ctx *ctx)
{
	char *path;
	int rc;

	if (id_path(ctx, "peer id", ctx->args->pos[0], "/peers/", "", &path) ==
	    -1)
		return EXIT_USAGE;
	rc = send_json(ctx, "DELETE", path, NULL, "peer removed", NULL, NULL);
	free(path);
	return rc;
}
