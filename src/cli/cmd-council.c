/*
 * cmd-council.c: the CEPTOAR council space — cishare council list, council
 * post, council share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int
cmd_council_list(struct cmd_ctx *ctx)
{
	static const char *const head[] = { "ID", "AUTHOR", "TLP", "TO", "AT",
	    "TEXT" };
	json_t *res = NULL, *p;
	struct table t;
	size_t i;
	int rc;

	if ((rc = request_text(ctx, "GET", "/council/posts?limit=500", NULL,
	    &res)) != 0 || res == NULL)
		return rc;
	table_init(&t, head, 6);
	json_array_foreach(json_object_get(res, "items"), i, p) {
		char **row = xcalloc(6, sizeof(*row));

		row[0] = jfield(p, "id");
		row[1] = jfield(p, "author_org");
		row[2] = jfield(p, "tlp");
		row[3] = json_text(json_object_get(p, "to"));
		row[4] = jfield(p, "created_at");
		row[5] = first_line(json_object_get(p, "text"), 60);
		table_add(&t, row);
		free(row);
	}
	if (json_array_size(json_object_get(res, "items")) > 0)
		table_print(&t, stdout);
	else
		printf("no council posts to read\n");
	table_fini(&t);
	json_decref(res);
	return 0;
}

/* council post TEXT [--tlp T] [--member ORGID,...] (default: every member) */
int
cmd_council_post(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = json_object(), *to = NULL;
	const char *tlp = args_get(a, "tlp");
	int rc;

	(void)json_object_set_new(body, "text", json_string(a->pos[0]));
	(void)json_object_set_new(body, "tlp", json_string(tlp != NULL ? tlp :
	    "amber"));
	if (collect_ids(ctx, "member", "--member organisation id", &to) == -1) {
		json_decref(body);
		return EXIT_USAGE;
	}
	if (to == NULL || json_array_size(to) == 0) {
		json_decref(to);
		(void)json_object_set_new(body, "to", json_string("all"));
	} else
		(void)json_object_set_new(body, "to", to);
	rc = send_json(ctx, "POST", "/council/posts", body, "post {id}", NULL,
	    NULL);
	json_decref(body);
	return rc;
}

/* council share ID ORGID... */
int
cmd_council_share(struct cmd_ctx *ctx)
{
	json_t *body = json_object();
	char *path = NULL;
	int rc = EXIT_USAGE;

	if (id_path(ctx, "post id", ctx->args->pos[0], "/council/posts/",
	    "/share", &path) == -1 || pos_ids(ctx, 1, body) == -1)
		goto out;
	rc = send_json(ctx, "POST", path, body, "post {id} shared", NULL, NULL);
out:
	free(path);
	json_decref(body);
	return rc;
}
