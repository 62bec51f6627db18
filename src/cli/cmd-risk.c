/*
 * cmd-risk.c: the risk-management workspace — cishare risk list, add,
 * show, update, plan, export (docs/cli.md "risk", docs/api.md "Risk
 * workspace").
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/client.h"

/* "/risks<suffix>" with ?org= (a workspace shared with you) and more. */
static char *
risk_path(struct cmd_ctx *ctx, const char *suffix, bool archived, bool bom)
{
	struct cs_buf q;

	cs_buf_init(&q, CLIENT_MAX_PATH);
	(void)cs_buf_printf(&q, "/risks%s", suffix);
	(void)client_query_add(ctx->client, &q, "org", args_get(ctx->args,
	    "org"));
	if (archived)
		(void)client_query_add(ctx->client, &q, "archived", "1");
	if (bom)
		(void)client_query_add(ctx->client, &q, "bom", "1");
	return cs_buf_finish(&q);
}

/* risk list [--org ID] [--archived]: the register, highest score first. */
int
cmd_risk_list(struct cmd_ctx *ctx)
{
	static const char *const head[] = { "ID", "SCORE", "LEVEL", "LxI",
	    "TREATMENT", "OWNER", "REVIEW", "TITLE" };
	json_t *res = NULL, *x;
	struct table t;
	char *path;
	size_t i;
	int rc;

	if ((path = risk_path(ctx, "", args_has(ctx->args, "archived"),
	    false)) == NULL)
		return EXIT_USAGE;
	rc = request_text(ctx, "GET", path, NULL, &res);
	free(path);
	if (rc != 0 || res == NULL)
		return rc;
	table_init(&t, head, 8);
	json_array_foreach(json_object_get(res, "items"), i, x) {
		char **row = xcalloc(8, sizeof(*row));
		char *l = jfield(x, "likelihood"), *im = jfield(x, "impact");
		char *rv = jfield(x, "review_date");

		row[0] = jfield(x, "id");
		row[1] = jfield(x, "score");
		row[2] = json_is_true(json_object_get(x, "archived")) ?
		    xstrdup("archived") : jfield(x, "level");
		row[3] = xasprintf("%sx%s", l, im);
		row[4] = jfield(x, "treatment");
		row[5] = jfield(x, "owner");
		row[6] = json_is_true(json_object_get(x, "overdue")) ?
		    xasprintf("%s!", rv) : xstrdup(rv);
		row[7] = jfield(x, "title");
		free(l);
		free(im);
		free(rv);
		table_add(&t, row);
		free(row);
	}
	if (json_array_size(json_object_get(res, "items")) > 0)
		table_print(&t, stdout);
	table_fini(&t);
	json_decref(res);
	return 0;
}

/* risk add FILE: the file is the POST /risks body. */
int
cmd_risk_add(struct cmd_ctx *ctx)
{
	json_t *body = NULL;
	int rc;

	if ((rc = load_json_file(ctx->args->pos[0], &body)) != 0)
		return rc;
	rc = send_json(ctx, "POST", "/risks", body,
	    "risk {id} score {score} ({level})", NULL, NULL);
	json_decref(body);
	return rc;
}

/* risk show ID */
int
cmd_risk_show(struct cmd_ctx *ctx)
{
	json_t *res = NULL;
	char *path;
	int rc;

	if (id_path(ctx, "risk id", ctx->args->pos[0], "/risks/", "", &path) ==
	    -1)
		return EXIT_USAGE;
	rc = request_text(ctx, "GET", path, NULL, &res);
	free(path);
	if (rc != 0 || res == NULL)
		return rc;
	print_json(res);
	json_decref(res);
	return 0;
}

/* risk update ID FILE: the file's members replace the risk's (null removes). */
int
cmd_risk_update(struct cmd_ctx *ctx)
{
	json_t *body = NULL;
	char *path;
	int rc;

	if (id_path(ctx, "risk id", ctx->args->pos[0], "/risks/", "", &path) ==
	    -1)
		return EXIT_USAGE;
	if ((rc = load_json_file(ctx->args->pos[1], &body)) != 0) {
		free(path);
		return rc;
	}
	rc = send_json(ctx, "PATCH", path, body,
	    "risk {id} score {score} ({level})", NULL, NULL);
	json_decref(body);
	free(path);
	return rc;
}

/* risk plan [--org ID]: the improvement plan in its order. */
int
cmd_risk_plan(struct cmd_ctx *ctx)
{
	static const char *const head[] = { "RANK", "SCORE", "KIND", "ITEM",
	    "VIEWPOINT", "STATUS", "WHAT" };
	json_t *res = NULL, *x;
	struct table t;
	char *path;
	size_t i;
	int rc;

	if ((path = risk_path(ctx, "/plan", false, false)) == NULL)
		return EXIT_USAGE;
	rc = request_text(ctx, "GET", path, NULL, &res);
	free(path);
	if (rc != 0 || res == NULL)
		return rc;
	table_init(&t, head, 7);
	json_array_foreach(json_object_get(res, "items"), i, x) {
		char **row = xcalloc(7, sizeof(*row));
		bool risk = json_object_get(x, "risk") != NULL;

		row[0] = jfield(x, "rank");
		row[1] = jfield(x, "score");
		row[2] = jfield(x, "kind");
		row[3] = jfield(x, risk ? "risk" : "check");
		row[4] = jfield(x, "viewpoint");
		row[5] = risk ? (json_is_true(json_object_get(x, "overdue")) ?
		    xstrdup("overdue") : jfield(x, "treatment")) :
		    jfield(x, "status");
		row[6] = jfield(x, risk ? "title" : "ja");
		table_add(&t, row);
		free(row);
	}
	if (json_array_size(json_object_get(res, "items")) > 0)
		table_print(&t, stdout);
	table_fini(&t);
	json_decref(res);
	return 0;
}

/* risk export [--org ID] [--archived] [--bom] [--output FILE]: CSV. */
int
cmd_risk_export(struct cmd_ctx *ctx)
{
	const char *out = args_get(ctx->args, "output");
	struct client_error e;
	FILE *f = stdout;
	char *path;
	int rc;

	if ((path = risk_path(ctx, ".csv", args_has(ctx->args, "archived"),
	    args_has(ctx->args, "bom"))) == NULL)
		return EXIT_USAGE;
	if (out != NULL && (f = fopen(out, "wb")) == NULL) {
		fprintf(stderr, "cishare: %s: cannot write\n", out);
		free(path);
		return EXIT_FAIL;
	}
	if (client_download(ctx->client, path, f, NULL, NULL, &e) == CLIENT_OK)
		rc = 0;
	else
		rc = report_error(ctx, &e);
	if (f != stdout && fclose(f) != 0 && rc == 0) {
		fprintf(stderr, "cishare: %s: write failed\n", out);
		rc = EXIT_FAIL;
	}
	free(path);
	return rc;
}
