/*
 * cmd-exercise.c: cross-sector exercises — cishare exercise create,
 * list, start, injects, respond, issue, after-action.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* exercise create FILE: the scenario file is the POST /exercises body. */
int
cmd_exercise_create(struct cmd_ctx *ctx)
{
	json_t *body = NULL;
	int rc;

	if ((rc = load_json_file(ctx->args->pos[0], &body)) != 0)
		return rc;
	rc = send_json(ctx, "POST", "/exercises", body, "exercise {id}", NULL,
	    NULL);
	json_decref(body);
	return rc;
}

int
cmd_exercise_list(struct cmd_ctx *ctx)
{
	static const char *const head[] = { "ID", "NAME", "STARTED", "SPEED",
	    "PARTICIPANTS" };
	json_t *res = NULL, *x;
	struct table t;
	size_t i;
	int rc;

	if ((rc = request_text(ctx, "GET", "/exercises", NULL, &res)) != 0 ||
	    res == NULL)
		return rc;
	table_init(&t, head, 5);
	json_array_foreach(json_object_get(res, "items"), i, x) {
		char **row = xcalloc(5, sizeof(*row));

		row[0] = jfield(x, "id");
		row[1] = jfield(x, "name");
		row[2] = jfield(x, "started_at");
		row[3] = jfield(x, "speed");
		row[4] = xasprintf("%zu", json_array_size(json_object_get(x,
		    "participants")));
		table_add(&t, row);
		free(row);
	}
	if (json_array_size(json_object_get(res, "items")) > 0)
		table_print(&t, stdout);
	table_fini(&t);
	json_decref(res);
	return 0;
}

/* exercise start ID [--speed N] */
int
cmd_exercise_start(struct cmd_ctx *ctx)
{
	const char *speed = args_get(ctx->args, "speed");
	json_t *body = json_object();
	char *path, *end;
	long n;
	int rc;

	if (speed != NULL) {
		n = strtol(speed, &end, 10);
		if (*speed == '\0' || *end != '\0' || n < 1 || n > 60) {
			fprintf(stderr, "cishare: --speed: a whole number from"
			    " 1 to 60\n");
			json_decref(body);
			return EXIT_USAGE;
		}
		(void)json_object_set_new(body, "speed", json_integer(n));
	}
	if (id_path(ctx, "exercise id", ctx->args->pos[0], "/exercises/",
	    "/start", &path) == -1) {
		json_decref(body);
		return EXIT_USAGE;
	}
	rc = send_json(ctx, "POST", path, body,
	    "exercise {id} started {started_at} speed {speed}", NULL, NULL);
	free(path);
	json_decref(body);
	return rc;
}

/* The injects released to the caller so far. */
int
cmd_exercise_injects(struct cmd_ctx *ctx)
{
	json_t *res = NULL, *x;
	char *path;
	size_t i;
	int rc;

	if (id_path(ctx, "exercise id", ctx->args->pos[0], "/exercises/",
	    "/injects", &path) == -1)
		return EXIT_USAGE;
	rc = request_text(ctx, "GET", path, NULL, &res);
	free(path);
	if (rc != 0 || res == NULL)
		return rc;
	json_array_foreach(json_object_get(res, "injects"), i, x) {
		char *id = jfield(x, "id"), *at = jfield(x, "released_at"),
		    *title = jfield(x, "title"), *text = jfield(x, "text");

		printf("#%s %s %s\n  %s\n", id, at, title, text);
		free(id);
		free(at);
		free(title);
		free(text);
	}
	json_decref(res);
	return 0;
}

/* exercise respond ID N TEXT */
int
cmd_exercise_respond(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_int_t n;
	json_t *body;
	char *path, *p;
	int rc;

	if (id_path(ctx, "exercise id", a->pos[0], "/exercises/", "",
	    &path) == -1 || parse_id(ctx->entry, "inject number", a->pos[1],
	    &n) == -1) {
		free(path);
		return EXIT_USAGE;
	}
	p = xasprintf("%s/injects/%" JSON_INTEGER_FORMAT "/responses", path, n);
	free(path);
	body = json_pack("{s:s}", "text", a->pos[2]);
	rc = send_json(ctx, "POST", p, body, "response {id}", NULL, NULL);
	json_decref(body);
	free(p);
	return rc;
}

/* exercise issue ID TEXT: an issue (課題) for the after-action review. */
int
cmd_exercise_issue(struct cmd_ctx *ctx)
{
	json_t *body;
	char *path;
	int rc;

	if (id_path(ctx, "exercise id", ctx->args->pos[0], "/exercises/",
	    "/issues", &path) == -1)
		return EXIT_USAGE;
	body = json_pack("{s:s}", "text", ctx->args->pos[1]);
	rc = send_json(ctx, "POST", path, body, "issue {id}", NULL, NULL);
	json_decref(body);
	free(path);
	return rc;
}

/* Per participant: responses with their delay, unanswered injects, issues. */
int
cmd_exercise_after_action(struct cmd_ctx *ctx)
{
	static const char *const head[] = { "ORG", "ANSWERED", "UNANSWERED",
	    "ISSUES" };
	json_t *res = NULL, *p, *x;
	struct table t;
	char *path;
	size_t i, j;
	int rc;

	if (id_path(ctx, "exercise id", ctx->args->pos[0], "/exercises/",
	    "/after-action", &path) == -1)
		return EXIT_USAGE;
	rc = request_text(ctx, "GET", path, NULL, &res);
	free(path);
	if (rc != 0 || res == NULL)
		return rc;
	table_init(&t, head, 4);
	json_array_foreach(json_object_get(res, "participants"), i, p) {
		char **row = xcalloc(4, sizeof(*row));
		char *ans = xstrdup(""), *un = xstrdup(""), *old;

		json_array_foreach(json_object_get(p, "responses"), j, x) {
			char *n = jfield(x, "inject"), *d = jfield(x, "delay_s");

			old = ans;
			ans = xasprintf("%s%s#%s(%ss)", old, *old ? " " : "", n,
			    d);
			free(old);
			free(n);
			free(d);
		}
		json_array_foreach(json_object_get(p, "unanswered"), j, x) {
			old = un;
			un = xasprintf("%s%s#%lld", old, *old ? " " : "",
			    (long long)json_integer_value(x));
			free(old);
		}
		row[0] = jfield(p, "org");
		row[1] = ans;
		row[2] = un;
		row[3] = xasprintf("%zu", json_array_size(json_object_get(p,
		    "issues")));
		table_add(&t, row);
		free(row);
	}
	table_print(&t, stdout);
	table_fini(&t);
	json_decref(res);
	return 0;
}
