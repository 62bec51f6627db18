/*
 * cmd-inquiry.c: inquiries (問合せ) about an advisory and a user's to-do
 * list — cishare inquiry send|list|answer|ask|questions|forward|reply and
 * cishare tasks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* POST PREFIX<ID>SUFFIX {"text": TEXT}, printing FMT. */
static int
post_text(struct cmd_ctx *ctx, const char *what, const char *prefix,
    const char *suffix, const char *text, const char *fmt)
{
	json_t *body;
	char *path;
	int rc;

	if (id_path(ctx, what, ctx->args->pos[0], prefix, suffix, &path) == -1)
		return EXIT_USAGE;
	body = text != NULL ? json_pack("{s:s}", "text", text) : json_object();
	rc = send_json(ctx, "POST", path, body, fmt, NULL, NULL);
	json_decref(body);
	free(path);
	return rc;
}

/* inquiry send ADVISORY TEXT (a ministry liaison to NISC) */
int
cmd_inquiry_send(struct cmd_ctx *ctx)
{
	return post_text(ctx, "advisory id", "/advisories/", "/inquiries",
	    ctx->args->pos[1], "inquiry {id}");
}

/* inquiry answer INQUIRY TEXT (NISC) */
int
cmd_inquiry_answer(struct cmd_ctx *ctx)
{
	return post_text(ctx, "inquiry id", "/inquiries/", "/answer",
	    ctx->args->pos[1], "inquiry {id} answered");
}

/* inquiry ask ADVISORY TEXT (an operator or CEPTOAR to its ministry) */
int
cmd_inquiry_ask(struct cmd_ctx *ctx)
{
	return post_text(ctx, "advisory id", "/advisories/", "/questions",
	    ctx->args->pos[1], "question {id}");
}

/* inquiry forward QUESTION [TEXT] (the ministry to NISC) */
int
cmd_inquiry_forward(struct cmd_ctx *ctx)
{
	return post_text(ctx, "question id", "/questions/", "/forward",
	    ctx->args->npos > 1 ? ctx->args->pos[1] : NULL, "inquiry {inquiry}");
}

/* inquiry reply QUESTION TEXT (the ministry answers itself) */
int
cmd_inquiry_reply(struct cmd_ctx *ctx)
{
	return post_text(ctx, "question id", "/questions/", "/answer",
	    ctx->args->pos[1], "question {id} answered");
}

/* The inquiries or questions of an advisory, one a line with its answer. */
static int
thread(struct cmd_ctx *ctx, const char *suffix, const char *who)
{
	json_t *res = NULL, *x;
	char *path;
	size_t i;
	int rc;

	if (id_path(ctx, "advisory id", ctx->args->pos[0], "/advisories/",
	    suffix, &path) == -1)
		return EXIT_USAGE;
	rc = request_text(ctx, "GET", path, NULL, &res);
	free(path);
	if (rc != 0 || res == NULL)
		return rc;
	json_array_foreach(json_object_get(res, "items"), i, x) {
		char *id = jfield(x, "id"), *org = jfield(x, who),
		    *st = jfield(x, "state"), *at = jfield(x, "created_at"),
		    *text = jfield(x, "text"), *ans = jfield(x, "answer");

		printf("%s %s %s %s %s\n", id, at, org, st, text);
		if (json_is_string(json_object_get(x, "answer")))
			printf("  -> %s\n", ans);
		free(id);
		free(org);
		free(st);
		free(at);
		free(text);
		free(ans);
	}
	json_decref(res);
	return 0;
}

int
cmd_inquiry_list(struct cmd_ctx *ctx)
{
	return thread(ctx, "/inquiries", "org_name");
}

int
cmd_inquiry_questions(struct cmd_ctx *ctx)
{
	return thread(ctx, "/questions", "org_name");
}

/* tasks: the caller's to-do list, one a line: KIND LABEL LINK SINCE. */
int
cmd_tasks(struct cmd_ctx *ctx)
{
	static const char *const head[] = { "KIND", "ITEM", "LABEL", "SINCE" };
	json_t *res = NULL, *x;
	struct table t;
	size_t i;
	int rc;

	if ((rc = request_text(ctx, "GET", "/tasks", NULL, &res)) != 0 ||
	    res == NULL)
		return rc;
	printf("%lld tasks\n", (long long)json_integer_value(json_object_get(res,
	    "count")));
	table_init(&t, head, 4);
	json_array_foreach(json_object_get(res, "items"), i, x) {
		char **row = xcalloc(4, sizeof(*row));
		char *item = jfield(x, "item"), *id = jfield(x, "id");
		const char *label = json_string_value(json_object_get(x, "label"));

		row[0] = jfield(x, "kind");
		row[1] = xasprintf("%s:%s", item, id);
		row[2] = xstrdup(label != NULL && *label ? label : "-");
		row[3] = jfield(x, "since");
		free(item);
		free(id);
		table_add(&t, row);
		free(row);
	}
	if (json_array_size(json_object_get(res, "items")) > 0)
		table_print(&t, stdout);
	table_fini(&t);
	json_decref(res);
	return 0;
}
