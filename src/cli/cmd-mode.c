/*
 * cmd-mode.c: the large-scale CI service failure mode (cishare mode show,
 * mode declare, mode end) and its situation board (cishare situation
 * show, situation post).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* "large_scale: cyber, electricity,ict, declared ..." or "normal". */
int
cmd_mode_show(struct cmd_ctx *ctx)
{
	json_t *res = NULL, *m, *h;
	size_t i;
	int rc;

	if ((rc = request_text(ctx, "GET", "/modes", NULL, &res)) != 0 ||
	    res == NULL)
		return rc;
	m = json_object_get(res, "large_scale");
	if (json_is_object(m)) {
		char *c = jfield(m, "cause"), *s = json_text(json_object_get(m,
		    "sectors")), *at = jfield(m, "declared_at");

		printf("large_scale %s sectors %s declared %s\n", c, s, at);
		free(c);
		free(s);
		free(at);
	} else
		printf("normal\n");
	json_array_foreach(json_object_get(res, "history"), i, h) {
		char *id = jfield(h, "id"), *c = jfield(h, "cause");
		char *at = jfield(h, "declared_at"), *end = jfield(h, "ended_at");

		printf("  mode %s %s declared %s ended %s\n", id, c, at, end);
		free(id);
		free(c);
		free(at);
		free(end);
	}
	json_decref(res);
	return 0;
}

int
cmd_mode_declare(struct cmd_ctx *ctx)
{
	json_t *body = json_object(), *sectors = json_array();
	int rc;

	(void)json_object_set_new(body, "cause",
	    json_string(ctx->args->pos[0]));
	(void)json_object_set_new(body, "sectors", sectors);
	if (collect_strs(ctx, "sector", sectors) == -1) {
		json_decref(body);
		return EXIT_USAGE;
	}
	rc = send_json(ctx, "POST", "/modes/large-scale", body,
	    "large_scale mode {id} declared", NULL, NULL);
	json_decref(body);
	return rc;
}

int
cmd_mode_end(struct cmd_ctx *ctx)
{
	json_t *body = json_object();
	int rc;

	rc = send_json(ctx, "POST", "/modes/large-scale/end", body,
	    "large_scale mode {id} ended", NULL, NULL);
	json_decref(body);
	return rc;
}

int
cmd_situation_show(struct cmd_ctx *ctx)
{
	json_t *res = NULL, *s, *u;
	size_t i, j;
	int rc;

	if ((rc = request_text(ctx, "GET", "/situation", NULL, &res)) != 0 ||
	    res == NULL)
		return rc;
	if (!json_is_object(json_object_get(res, "mode")))
		printf("no large-scale mode is on\n");
	json_array_foreach(json_object_get(res, "sectors"), i, s) {
		char *sec = jfield(s, "sector");
		char *down = json_text(jpath(s, "services_down.services"));
		char *est = json_text(jpath(s, "restoration_estimate.text"));

		printf("%s\n  services down  %s\n  restoration    %s\n", sec, down,
		    est);
		json_array_foreach(json_object_get(s, "updates"), j, u) {
			char *at = jfield(u, "at"), *k = jfield(u, "kind");
			char *text = safe_dup(json_string_value(json_object_get(u,
			    "text")), 1);

			printf("  %s %-8s %s\n", at, k, text);
			free(at);
			free(k);
			free(text);
		}
		free(sec);
		free(down);
		free(est);
	}
	json_decref(res);
	return 0;
}

int
cmd_situation_post(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = json_object(), *down = json_array();
	int rc;

	(void)json_object_set_new(body, "sector", json_string(a->pos[0]));
	(void)json_object_set_new(body, "kind", json_string(a->pos[1]));
	(void)json_object_set_new(body, "text", json_string(a->pos[2]));
	if (collect_strs(ctx, "service", down) == -1) {
		json_decref(down);
		json_decref(body);
		return EXIT_USAGE;
	}
	if (json_array_size(down) > 0)
		(void)json_object_set_new(body, "services_down", down);
	else
		json_decref(down);
	if (args_get(a, "estimate") != NULL)
		(void)json_object_set_new(body, "restoration_estimate",
		    json_string(args_get(a, "estimate")));
	rc = send_json(ctx, "POST", "/situation", body, "update {id}", NULL,
	    NULL);
	json_decref(body);
	return rc;
}
