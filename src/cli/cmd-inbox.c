/*
 * cmd-inbox.c: inbox — the advisories delivered to your organisation, as
 * a list or, with --follow, live (follow.c).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int	cmd_inbox(struct cmd_ctx *);

static const struct opt_spec inbox_opts[] = {
	{ "unread", 0, NULL, CHK_NONE, NULL, "only those not read yet" },
	{ "unacknowledged", 0, NULL, CHK_NONE, NULL,
	  "only those not acknowledged yet" },
	{ "follow", 0, NULL, CHK_NONE, NULL,
	  "print each new inbox event as it comes (--json: its data as one"
	  " JSON line); reconnects by itself; Ctrl-C ends it" },
	{ "max-events", OPT_ARG, "N", CHK_NONE, NULL,
	  "with --follow: stop after N events" },
	{ "timeout", OPT_ARG, "SECONDS", CHK_NONE, NULL,
	  "with --follow: stop after SECONDS" },
	{ "last-event-id", OPT_ARG, "ID", CHK_NONE, NULL,
	  "with --follow: resume after event ID" },
	{ NULL, 0, NULL, CHK_NONE, NULL, NULL }
};

static const struct list_filter inbox_filters[] = {
	{ "unread", "filter", "unread" },
	{ "unacknowledged", "filter", "unacknowledged" },
	{ NULL, NULL, NULL }
};

static const struct list_col inbox_cols[] = {
	{ "ID", "id", COL_TEXT, 0 },
	{ "IDENT", "identification_number", COL_TEXT, 0 },
	{ "重要度", NULL, COL_IMPORTANCE, 0 },
	{ "TLP", "tlp", COL_TLP, 0 },
	{ "DELIVERED", "delivered_at", COL_TIME, 0 },
	{ "READ", "read_at", COL_TIME, 0 },
	{ "ACK", NULL, COL_ACK, 0 },
	{ "SUMMARY", "summary", COL_LINE, 40 },
	{ NULL, NULL, COL_TEXT, 0 }
};

static const struct list_view inbox_view = {
	"/inbox", inbox_cols, inbox_filters, "advisories", 0
};

const struct cmd_entry cmd_inbox_entry = {
	"inbox", NULL, "",
	"List the advisories delivered to your organisation, or follow\n"
	"them as they come (--follow).",
	inbox_opts, 0, &inbox_view, cmd_inbox
};

static int
cmd_inbox(struct cmd_ctx *ctx)
{
	static const char *const follow_only[] = {
		"max-events", "timeout", "last-event-id"
	};
	struct args *a = ctx->args;
	size_t i;

	if (args_has(a, "unread") && args_has(a, "unacknowledged"))
		return usage_error(ctx->entry, "--unread and --unacknowledged"
		    " cannot be combined");
	if (args_has(a, "follow")) {
		if (args_has(a, "unread") || args_has(a, "unacknowledged") ||
		    args_has(a, "all") || args_has(a, "limit") ||
		    args_has(a, "cursor"))
			return usage_error(ctx->entry, "--follow shows new"
			    " events only: no filters or paging");
		return inbox_follow(ctx);
	}
	for (i = 0; i < nitems(follow_only); i++)
		if (args_has(a, follow_only[i]))
			return usage_error(ctx->entry, "--%s needs --follow",
			    follow_only[i]);
	return listview_run(ctx, &inbox_view);
}
