/*
 * cmd-channel.c: notification channels (e-mail, webhook) and the
 * notifications queued and sent through them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The kinds POST /channels takes (the API's own, src/api/notify.c). */
static const struct vocab_item channel_kind[] = {
	{ "email", NULL, NULL, NULL, NULL, NULL },
	{ "webhook", NULL, NULL, NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};

int
cmd_channel_add(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = NULL, *res = NULL, *secret;
	json_int_t uid, oid;
	const char *kind = a->pos[0], *v;
	char *allowed;
	int rc = EXIT_USAGE;

	if (vocab_find(channel_kind, kind) == NULL) {
		allowed = vocab_allowed(channel_kind, 1);
		rc = usage_error(ctx->entry, "channel kind %s: allowed: %s",
		    kind, allowed);
		free(allowed);
		goto out;
	}
	body = json_object();
	(void)json_object_set_new(body, "kind", json_string(kind));
	(void)json_object_set_new(body, "target", json_string(a->pos[1]));
	if ((v = args_get(a, "user")) != NULL) {
		if (parse_id(ctx->entry, "--user id", v, &uid) == -1)
			goto out;
		(void)json_object_set_new(body, "user", json_integer(uid));
	}
	if ((v = args_get(a, "org")) != NULL) {
		if (parse_id(ctx->entry, "--org id", v, &oid) == -1)
			goto out;
		(void)json_object_set_new(body, "org", json_integer(oid));
	}
	if ((rc = send_json(ctx, "POST", "/notification-channels", body,
	    "channel {id}", NULL, &res)) != 0 || ctx->json)
		goto out;
	secret = json_object_get(res, "secret");
	if (json_is_string(secret))
		print_once("secret ", json_string_value(secret),
		    "the webhook signing secret");
out:
	json_decref(body);
	json_decref(res);
	return rc;
}
