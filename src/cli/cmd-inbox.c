/*
 * cmd-inbox.c: inbox — the advisories delivered to your organisation, as
 * a list or, with --follow, live (follow.c).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"


int
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
	return listview_exec(ctx);
}
