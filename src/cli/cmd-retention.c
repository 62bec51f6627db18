/*
 * cmd-retention.c: retention (docs/cli.md) — cishare hold report|advisory
 * ID, unhold report|advisory ID, erase-source ID --yes, retention.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int
hold(struct cmd_ctx *ctx, const char *method)
{
	bool adv = strcmp(ctx->entry->sub, "advisory") == 0;
	char *path;
	int rc;

	if (id_path(ctx, adv ? "advisory id" : "report id", ctx->args->pos[0],
	    adv ? "/advisories/" : "/reports/", "/hold", &path) == -1)
		return EXIT_USAGE;
	rc = send_json(ctx, method, path, NULL, "{kind} {id} held={held}",
	    NULL, NULL);
	free(path);
	return rc;
}

int
cmd_hold(struct cmd_ctx *ctx)
{
	return hold(ctx, "PUT");
}

int
cmd_unhold(struct cmd_ctx *ctx)
{
	return hold(ctx, "DELETE");
}

int
cmd_erase_source(struct cmd_ctx *ctx)
{
	json_t *body;
	char *path;
	int rc;

	if (!args_has(ctx->args, "yes")) {
		fprintf(stderr, "cishare: erase-source cannot be undone: nobody "
		    "will ever learn the source again; add --yes\n");
		return EXIT_USAGE;
	}
	if (id_path(ctx, "report id", ctx->args->pos[0], "/reports/",
	    "/erase-source", &path) == -1)
		return EXIT_USAGE;
	body = json_pack("{s:b}", "confirm", 1);
	rc = send_json(ctx, "POST", path, body,
	    "report {id}: source erased {erased_at}", NULL, NULL);
	json_decref(body);
	free(path);
	return rc;
}

int
cmd_retention(struct cmd_ctx *ctx)
{
	static const char *const head[] = { "CLASS", "DAYS", "CUTOFF", "DUE" };
	json_t *res = NULL, *x, *held;
	struct table t;
	size_t i;
	int rc;

	if ((rc = request_text(ctx, "GET", "/retention", NULL, &res)) != 0 ||
	    res == NULL)
		return rc;
	table_init(&t, head, 4);
	json_array_foreach(json_object_get(res, "classes"), i, x) {
		char **row = xcalloc(4, sizeof(*row));

		row[0] = jfield(x, "class");
		row[1] = jfield(x, "days");
		row[2] = json_is_string(json_object_get(x, "cutoff")) ?
		    jfield(x, "cutoff") : xstrdup("-");
		row[3] = jfield(x, "due");
		table_add(&t, row);
		free(row);
	}
	table_print(&t, stdout);
	table_fini(&t);
	held = json_object_get(res, "held");
	printf("held: %lld reports, %lld advisories (never purged); audit log: "
	    "%s\n", (long long)json_integer_value(json_object_get(held,
	    "reports")), (long long)json_integer_value(json_object_get(held,
	    "advisories")), json_string_value(json_object_get(res, "audit")));
	json_decref(res);
	return 0;
}
