/*
 * cmd-survey.c: the yearly self-assessment survey (issue 14) — cishare
 * survey controls, open, list, answer, submit, share, close, progress,
 * results, csv.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* "/surveys/ID<suffix>", or -1 (usage, said). */
static int
survey_path(struct cmd_ctx *ctx, const char *suffix, char **path)
{
	return id_path(ctx, "survey id", ctx->args->pos[0], "/surveys/", suffix,
	    path);
}

/* survey controls [--edition ED]: the catalogue of an edition. */
int
cmd_survey_controls(struct cmd_ctx *ctx)
{
	static const char *const head[] = { "ID", "CATEGORY", "LEVEL", "PDCA",
	    "TITLE" };
	const char *ed = args_get(ctx->args, "edition");
	json_t *res = NULL;
	struct cs_buf q;
	char *path;
	int rc;

	cs_buf_init(&q, CLIENT_MAX_PATH);
	(void)cs_buf_adds(&q, "/controls");
	(void)client_query_add(ctx->client, &q, "edition", ed);
	if ((path = cs_buf_finish(&q)) == NULL)
		return EXIT_FAIL;
	rc = request_text(ctx, "GET", path, NULL, &res);
	free(path);
	if (rc != 0 || res == NULL)
		return rc;
	table_print_items(json_object_get(res, "items"), head,
	    (const char *const []){ "id", "category", "requirement_level", "pdca_phase", "title_ja" }, 5, stdout);
	json_decref(res);
	return 0;
}

/* survey open FISCAL_YEAR --sector S... [--edition ED] (NISC) */
int
cmd_survey_open(struct cmd_ctx *ctx)
{
	const char *ed = args_get(ctx->args, "edition");
	json_t *body, *sectors = json_array();
	json_int_t fy;
	int rc;

	if (parse_id(ctx->entry, "fiscal year", ctx->args->pos[0], &fy) == -1) {
		json_decref(sectors);
		return EXIT_USAGE;
	}
	body = json_pack("{s:I, s:o}", "fiscal_year", fy, "sectors", sectors);
	if (collect_strs(ctx, "sector", sectors) == -1) {
		json_decref(body);
		return EXIT_USAGE;
	}
	if (ed != NULL)
		(void)json_object_set_new(body, "edition", json_string(ed));
	rc = send_json(ctx, "POST", "/surveys", body,
	    "survey {id} FY{fiscal_year} edition {edition} {state}", NULL, NULL);
	json_decref(body);
	return rc;
}

int
cmd_survey_list(struct cmd_ctx *ctx)
{
	static const char *const head[] = { "ID", "FY", "EDITION", "STATE",
	    "SECTORS", "MINE" };
	json_t *res = NULL, *x, *s;
	struct table t;
	size_t i, j;
	int rc;

	if ((rc = request_text(ctx, "GET", "/surveys", NULL, &res)) != 0 ||
	    res == NULL)
		return rc;
	table_init(&t, head, 6);
	json_array_foreach(json_object_get(res, "items"), i, x) {
		char **row = xcalloc(6, sizeof(*row));
		char *secs = xstrdup(""), *old;

		json_array_foreach(json_object_get(x, "sectors"), j, s) {
			old = secs;
			secs = xasprintf("%s%s%s", old, *old ? "," : "",
			    json_string_value(s));
			free(old);
		}
		row[0] = jfield(x, "id");
		row[1] = jfield(x, "fiscal_year");
		row[2] = jfield(x, "edition");
		row[3] = jfield(x, "state");
		row[4] = secs;
		row[5] = json_object_get(x, "mine") ? xasprintf("%s %lld/%lld",
		    json_string_value(json_object_get(json_object_get(x, "mine"),
		    "state")), (long long)json_integer_value(json_object_get(
		    json_object_get(x, "mine"), "answered")),
		    (long long)json_integer_value(json_object_get(x, "items"))) :
		    xstrdup("-");
		table_add(&t, row);
		free(row);
	}
	if (json_array_size(json_object_get(res, "items")) > 0)
		table_print(&t, stdout);
	table_fini(&t);
	json_decref(res);
	return 0;
}

/*
 * survey answer ID FILE: FILE is the PUT body {"items": {...}}, or just
 * the object of answers by control id; "-" reads standard input.
 */
int
cmd_survey_answer(struct cmd_ctx *ctx)
{
	json_t *body = NULL;
	char *path;
	int rc;

	if (survey_path(ctx, "/answers", &path) == -1)
		return EXIT_USAGE;
	if ((rc = load_json_file(ctx->args->pos[1], &body)) != 0) {
		free(path);
		return rc;
	}
	if (json_object_get(body, "items") == NULL)
		body = json_pack("{s:o}", "items", body);
	rc = send_json(ctx, "PUT", path, body, "draft {answered}/{items} {state}",
	    NULL, NULL);
	json_decref(body);
	free(path);
	return rc;
}

static int
post_simple(struct cmd_ctx *ctx, const char *suffix, json_t *body,
    const char *fmt)
{
	char *path;
	int rc;

	if (survey_path(ctx, suffix, &path) == -1) {
		json_decref(body);
		return EXIT_USAGE;
	}
	rc = send_json(ctx, "POST", path, body, fmt, NULL, NULL);
	json_decref(body);
	free(path);
	return rc;
}

int
cmd_survey_submit(struct cmd_ctx *ctx)
{
	return post_simple(ctx, "/submit", NULL, "survey {id} submitted");
}

/* survey share ID [--unshare] */
int
cmd_survey_share(struct cmd_ctx *ctx)
{
	bool un = args_has(ctx->args, "unshare");

	return post_simple(ctx, "/share", json_pack("{s:b}", "shared", !un),
	    un ? "survey {id} not shared" : "survey {id} shared");
}

int
cmd_survey_close(struct cmd_ctx *ctx)
{
	return post_simple(ctx, "/close", NULL, "survey {id} {state}");
}

/* Who submitted, per sector and per operator (NISC, ministries). */
int
cmd_survey_progress(struct cmd_ctx *ctx)
{
	static const char *const head[] = { "ORG", "NAME", "STATE",
	    "SUBMITTED", "SHARED" };
	json_t *res = NULL, *x;
	char *path;
	size_t i;
	int rc;

	if (survey_path(ctx, "/progress", &path) == -1)
		return EXIT_USAGE;
	rc = request_text(ctx, "GET", path, NULL, &res);
	free(path);
	if (rc != 0 || res == NULL)
		return rc;
	json_array_foreach(json_object_get(res, "sectors"), i, x)
		printf("%s: %lld/%lld submitted, %lld drafts\n",
		    json_string_value(json_object_get(x, "sector")),
		    (long long)json_integer_value(json_object_get(x, "submitted")),
		    (long long)json_integer_value(json_object_get(x, "operators")),
		    (long long)json_integer_value(json_object_get(x, "draft")));
	table_print_items(json_object_get(res, "respondents"), head,
	    (const char *const []){ "org", "name", "state", "submitted_at", "shared" }, 5, stdout);
	json_decref(res);
	return 0;
}

static char *
pct(json_t *v)
{
	return json_is_integer(v) ? xasprintf("%lld%%",
	    (long long)json_integer_value(v)) : xstrdup("-");
}

static void
results_operator(json_t *res)
{
	static const char *const h1[] = { "CATEGORY", "SCORE", "LAST YEAR",
	    "TREND" };
	static const char *const h2[] = { "RANK", "CONTROL", "STATUS", "LEVEL",
	    "TITLE" };
	json_t *o = json_object_get(res, "overall"), *x;
	struct table t;
	size_t i;
	char *p = pct(json_object_get(o, "percent"));

	printf("overall %s", p);
	free(p);
	if (json_is_integer(json_object_get(o, "trend")))
		printf(" (%+lld since FY%lld)", (long long)json_integer_value(
		    json_object_get(o, "trend")), (long long)json_integer_value(
		    json_object_get(json_object_get(json_object_get(res,
		    "previous"), "survey"), "fiscal_year")));
	printf("\n");
	table_init(&t, h1, 4);
	json_array_foreach(json_object_get(res, "categories"), i, x) {
		char **row = xcalloc(4, sizeof(*row));

		row[0] = jfield(x, "category");
		row[1] = pct(json_object_get(x, "percent"));
		row[2] = pct(json_object_get(x, "previous_percent"));
		row[3] = json_is_integer(json_object_get(x, "trend")) ?
		    xasprintf("%+lld", (long long)json_integer_value(
		    json_object_get(x, "trend"))) : xstrdup("-");
		table_add(&t, row);
		free(row);
	}
	table_print(&t, stdout);
	table_fini(&t);
	printf("\ngaps, by priority:\n");
	table_print_items(json_object_get(res, "gaps"), h2,
	    (const char *const []){ "rank", "control", "status", "requirement_level", "title_ja" }, 5, stdout);
}

static void
results_sectors(json_t *res)
{
	static const char *const h[] = { "SECTOR", "RESPONDENTS", "MEAN",
	    "DISTRIBUTION" };
	json_t *x, *all = json_pack("[O]", json_object_get(res, "overall"));
	struct table t;
	size_t i;

	table_init(&t, h, 4);
	for (int pass = 0; pass < 2; pass++)
		json_array_foreach(json_object_get(res, "sectors") && pass == 0 ?
		    json_object_get(res, "sectors") : all, i, x) {
			char **row = xcalloc(4, sizeof(*row));
			json_t *d = json_object_get(x, "distribution");

			if (pass == 1 && i > 0)
				break;
			row[0] = pass ? xstrdup("all") : jfield(x, "sector");
			if (json_is_true(json_object_get(x, "suppressed"))) {
				row[1] = xasprintf("<%lld", (long long)
				    json_integer_value(json_object_get(res, "k")));
				row[2] = xstrdup("suppressed");
				row[3] = xstrdup("");
			} else {
				row[1] = jfield(x, "respondents");
				row[2] = pct(json_object_get(x, "mean_percent"));
				row[3] = xasprintf("%lld/%lld/%lld/%lld/%lld",
				    (long long)json_integer_value(json_array_get(d, 0)),
				    (long long)json_integer_value(json_array_get(d, 1)),
				    (long long)json_integer_value(json_array_get(d, 2)),
				    (long long)json_integer_value(json_array_get(d, 3)),
				    (long long)json_integer_value(json_array_get(d, 4)));
			}
			table_add(&t, row);
			free(row);
		}
	table_print(&t, stdout);
	table_fini(&t);
	json_decref(all);
	printf("\nmost often not implemented:\n");
	json_array_foreach(json_object_get(res, "top_not_implemented"), i, x)
		printf("%3lld  %s  %s\n", (long long)json_integer_value(
		    json_object_get(x, "not_implemented")),
		    json_string_value(json_object_get(x, "control")),
		    json_string_value(json_object_get(x, "title_ja")));
}

/* An operator's scores and gaps, or the sector aggregates. */
int
cmd_survey_results(struct cmd_ctx *ctx)
{
	json_t *res = NULL;
	char *path;
	int rc;

	if (survey_path(ctx, "/results", &path) == -1)
		return EXIT_USAGE;
	rc = request_text(ctx, "GET", path, NULL, &res);
	free(path);
	if (rc != 0 || res == NULL)
		return rc;
	if (strcmp(json_string_value(json_object_get(res, "view")) ?
	    json_string_value(json_object_get(res, "view")) : "", "operator") == 0)
		results_operator(res);
	else
		results_sectors(res);
	json_decref(res);
	return 0;
}

/* survey csv ID [-o FILE] [--bom]: GET /surveys/ID/results.csv */
int
cmd_survey_csv(struct cmd_ctx *ctx)
{
	const char *file = args_get(ctx->args, "output");
	struct client_error e;
	FILE *f = stdout;
	char *path;
	int rc = 0;

	if (survey_path(ctx, args_has(ctx->args, "bom") ? "/results.csv?bom=1" :
	    "/results.csv", &path) == -1)
		return EXIT_USAGE;
	if (file != NULL && strcmp(file, "-") != 0 &&
	    (f = fopen(file, "w")) == NULL) {
		fprintf(stderr, "cishare: %s: %s\n", file, strerror(errno));
		free(path);
		return EXIT_FAIL;
	}
	if (client_download(ctx->client, path, f, NULL, NULL, &e) != CLIENT_OK)
		rc = report_error(ctx, &e);
	free(path);
	if (f != stdout && fclose(f) != 0 && rc == 0) {
		fprintf(stderr, "cishare: %s: %s\n", file, strerror(errno));
		rc = EXIT_FAIL;
	}
	if (rc != 0 && f != stdout)
		(void)remove(file);
	return rc;
}
