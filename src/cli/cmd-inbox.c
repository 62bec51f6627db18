/*
 * cmd-inbox.c: inbox — the advisories delivered to your organisation, as
 * a list or, with --follow, live (follow.c).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int	cmd_inbox(struct cmd_ctx *);

static const struct list_view inbox_view = {
	"/inbox", "ID=id IDENT=identification_number 重要度=@importance"
	" TLP=tlp%tlp DELIVERED=delivered_at%time READ=read_at%time ACK=@ack"
	" SUMMARY=summary%line40", "advisories", 0
};

const struct cmd_entry cmd_inbox_entry = {
	"inbox", NULL, "",
	"List the advisories delivered to your organisation, or follow\n"
	"them as they come (--follow).",
	"unread unacknowledged follow max-events timeout last-event-id", 0,
	&inbox_view, cmd_inbox
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
