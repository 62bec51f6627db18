/*
 * cmd-channel.c: notification channels (e-mail, webhook) and the
 * notifications queued and sent through them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static int	cmd_channel_add(struct cmd_ctx *);

static const struct opt_spec channel_add_opts[] = {
	{ "user", OPT_ARG, "ID", CHK_NONE, NULL, "the user it notifies" },
	{ "org", OPT_ARG, "ID", CHK_NONE, NULL,
	  "the organisation it notifies" },
	{ NULL, 0, NULL, CHK_NONE, NULL, NULL }
};

static const struct opt_spec notifications_opts[] = {
	{ "status", OPT_ARG, NULL, CHK_VOCAB, &vocab_notif_status,
	  "only notifications in this state" },
	{ NULL, 0, NULL, CHK_NONE, NULL, NULL }
};

static const struct list_col channel_cols[] = {
	{ "ID", "id", COL_TEXT, 0 },
	{ "ORG", "org", COL_TEXT, 0 },
	{ "USER", "user", COL_TEXT, 0 },
	{ "KIND", "kind", COL_TEXT, 0 },
	{ "TARGET", "target", COL_TEXT, 0 },
	{ "ACTIVE", "active", COL_TEXT, 0 },
	{ "CREATED", "created_at", COL_TIME, 0 },
	{ NULL, NULL, COL_TEXT, 0 }
};

static const struct list_view channel_view = {
	"/notification-channels", channel_cols, NULL, "channels", VIEW_ALL
};

static const struct list_filter notification_filters[] = {
	{ "status", "status", NULL },
	{ NULL, NULL, NULL }
};

static const struct list_col notification_cols[] = {
	{ "ID", "id", COL_TEXT, 0 },
	{ "CHANNEL", "channel", COL_TEXT, 0 },
	{ "ADVISORY", "advisory", COL_TEXT, 0 },
	{ "EVENT", "event", COL_TEXT, 0 },
	{ "STATUS", "status", COL_TEXT, 0 },
	{ "ATTEMPTS", "attempts", COL_TEXT, 0 },
	{ "CREATED", "created_at", COL_TIME, 0 },
	{ "SENT", "sent_at", COL_TIME, 0 },
	{ "NEXT", "next_attempt_at", COL_TIME, 0 },
	{ "ERROR", "last_error", COL_LINE, 50 },
	{ NULL, NULL, COL_TEXT, 0 }
};

static const struct list_view notification_view = {
	"/notifications", notification_cols, notification_filters,
	"notifications", 0
};

const struct cmd_entry cmd_channel_add_entry = {
	"channel", "add", "email|webhook TARGET",
	"Add a notification channel; a webhook's secret is printed once.",
	channel_add_opts, 0, NULL, cmd_channel_add
};

const struct cmd_entry cmd_channel_list_entry = {
	"channel", "list", "",
	"List the notification channels you manage.",
	NULL, 0, &channel_view, listview_exec
};

const struct cmd_entry cmd_notifications_entry = {
	"notifications", NULL, "",
	"List queued and sent notifications (org_admin, admin).",
	notifications_opts, 0, &notification_view, listview_exec
};

static int
cmd_channel_add(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = NULL, *res = NULL, *secret;
	json_int_t uid, oid;
	const char *kind = a->pos[0], *v;
	char *id = NULL, *allowed;
	int rc = EXIT_USAGE;

	if (vocab_find(&vocab_channel_kind, kind) == NULL) {
		allowed = vocab_allowed(&vocab_channel_kind, 1);
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
	if ((rc = request(ctx, "POST", "/notification-channels", body,
	    &res)) != 0)
		goto out;
	if (ctx->json) {
		print_json(res);
		goto out;
	}
	id = jfield(res, "id");
	printf("channel %s\n", id);
	secret = json_object_get(res, "secret");
	if (json_is_string(secret)) {
		printf("secret %s\n", json_string_value(secret));
		if (isatty(STDOUT_FILENO))
			fprintf(stderr, "cishare: the webhook signing secret"
			    " is shown only once; store it now\n");
	}
out:
	free(id);
	json_decref(body);
	json_decref(res);
	return rc;
}
