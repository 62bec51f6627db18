/*
 * cmd-deps.c: the sector dependency graph (cishare deps show, deps set)
 * and a report's impact forecast (cishare report cascade).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* A table of rows of cols (dotted paths) of the array at key of res. */
static void
print_rows(json_t *rows, const char *const *head, const char *const *cols,
    size_t n)
{
	struct table t;
	json_t *r;
	size_t i;

	table_init(&t, head, n);
	json_array_foreach(rows, i, r) {
		char **row = xcalloc(n, sizeof(*row));

		for (size_t j = 0; j < n; j++)
			row[j] = json_text(jpath(r, cols[j]));
		table_add(&t, row);
		free(row);
	}
	if (json_array_size(rows) > 0)
		table_print(&t, stdout);
	table_fini(&t);
}

int
cmd_deps_show(struct cmd_ctx *ctx)
{
	static const char *const head[] = { "FROM", "TO", "BASIS", "CITATION" };
	static const char *const cols[] = { "from", "to", "basis", "citation" };
	json_t *res = NULL;
	int rc;

	if ((rc = request_text(ctx, "GET", "/dependencies", NULL, &res)) != 0 ||
	    res == NULL)
		return rc;
	print_rows(json_object_get(res, "edges"), head, cols, 4);
	printf("%zu edge(s); %s\n", json_array_size(json_object_get(res,
	    "edges")), json_is_null(json_object_get(res, "edited")) ?
	    "as the seeds state them" : "edited by NISC");
	json_decref(res);
	return 0;
}

int
cmd_deps_set(struct cmd_ctx *ctx)
{
	json_t *body = NULL, *res = NULL;
	int rc;

	if ((rc = load_json_file(ctx->args->pos[0], &body)) != 0)
		return rc;
	rc = request_text(ctx, "PUT", "/dependencies", body, &res);
	json_decref(body);
	if (rc == 0 && res != NULL)
		printf("dependencies: %zu edge(s)\n", json_array_size(
		    json_object_get(res, "edges")));
	json_decref(res);
	return rc;
}

int
cmd_report_cascade(struct cmd_ctx *ctx)
{
	static const char *const head[] = { "SECTOR", "PATH", "BASIS" };
	static const char *const cols[] = { "sector", "path", "basis" };
	json_t *res = NULL;
	char *path;
	int rc;

	if (id_path(ctx, "report id", ctx->args->pos[0], "/reports/", "/cascade",
	    &path) == -1)
		return EXIT_USAGE;
	rc = request_text(ctx, "GET", path, NULL, &res);
	free(path);
	if (rc != 0 || res == NULL)
		return rc;
	if (!json_is_true(json_object_get(res, "outage")))
		printf("no outage reported: no sector at risk\n");
	else {
		print_rows(json_object_get(res, "at_risk"), head, cols, 3);
		printf("%zu sector(s) at risk\n", json_array_size(json_object_get(res,
		    "at_risk")));
	}
	json_decref(res);
	return 0;
}
