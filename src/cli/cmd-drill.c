/*
 * cmd-drill.c: CEPTOAR drills — cishare drill create, drill list,
 * drill report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* drill create NAME --target ORGID,... [--scenario TEXT] */
int
cmd_drill_create(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = json_object(), *targets = NULL;
	int rc;

	(void)json_object_set_new(body, "name", json_string(a->pos[0]));
	if (args_get(a, "scenario") != NULL)
		(void)json_object_set_new(body, "scenario",
		    json_string(args_get(a, "scenario")));
	if (collect_ids(ctx, "target", "--target organisation id", &targets) == -1) {
		json_decref(body);
		return EXIT_USAGE;
	}
	(void)json_object_set_new(body, "targets", targets != NULL ? targets :
	    json_array());
	rc = send_json(ctx, "POST", "/drills", body, "drill {id}", NULL, NULL);
	json_decref(body);
	return rc;
}

int
cmd_drill_list(struct cmd_ctx *ctx)
{
	static const char *const head[] = { "ID", "NAME", "STARTS", "TARGETS" };
	json_t *res = NULL, *d;
	struct table t;
	size_t i;
	int rc;

	if ((rc = request_text(ctx, "GET", "/drills", NULL, &res)) != 0 ||
	    res == NULL)
		return rc;
	table_init(&t, head, 4);
	json_array_foreach(json_object_get(res, "items"), i, d) {
		char **row = xcalloc(4, sizeof(*row));

		row[0] = jfield(d, "id");
		row[1] = jfield(d, "name");
		row[2] = jfield(d, "starts_at");
		row[3] = xasprintf("%zu", json_array_size(json_object_get(d,
		    "targets")));
		table_add(&t, row);
		free(row);
	}
	if (json_array_size(json_object_get(res, "items")) > 0)
		table_print(&t, stdout);
	table_fini(&t);
	json_decref(res);
	return 0;
}

/* Every hop of every drill advisory, then who never responded. */
int
cmd_drill_report(struct cmd_ctx *ctx)
{
	static const char *const head[] = { "ADVISORY", "ORG", "FROM", "VIA",
	    "HOP_S", "ACK_S" };
	json_t *res = NULL, *a, *d, *x;
	struct table t;
	char *path;
	size_t i, j;
	int rc;

	if (id_path(ctx, "drill id", ctx->args->pos[0], "/drills/", "/report",
	    &path) == -1)
		return EXIT_USAGE;
	rc = request_text(ctx, "GET", path, NULL, &res);
	free(path);
	if (rc != 0 || res == NULL)
		return rc;
	table_init(&t, head, 6);
	json_array_foreach(json_object_get(res, "advisories"), i, a)
		json_array_foreach(json_object_get(a, "deliveries"), j, d) {
			char **row = xcalloc(6, sizeof(*row));

			row[0] = jfield(a, "advisory");
			row[1] = jfield(d, "org");
			row[2] = jfield(d, "from");
			row[3] = jfield(d, "via");
			row[4] = jfield(d, "hop_latency_s");
			row[5] = jfield(d, "ack_latency_s");
			table_add(&t, row);
			free(row);
		}
	table_print(&t, stdout);
	table_fini(&t);
	printf("no response:");
	json_array_foreach(json_object_get(res, "no_response"), i, x)
		printf(" %lld", (long long)json_integer_value(x));
	printf("\n");
	json_decref(res);
	return 0;
}
