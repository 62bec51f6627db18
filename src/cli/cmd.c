/*
 * cmd.c: the command table (tmux's cmd.c): the global options, every
 * command's entry in the order "cishare help" lists them, and the two
 * local commands, help and version.
 */
#include <stdio.h>

#include <curl/curl.h>
#include <jansson.h>

#include "cli/cli.h"

static int	cmd_help(struct cmd_ctx *);
static int	cmd_version(struct cmd_ctx *);

static const struct cmd_entry cmd_help_entry = {
	"help", NULL, "[COMMAND [SUBCOMMAND]]",
	"Show usage; for one command, with its options.",
	NULL, CMD_LOCAL, NULL, cmd_help
};

const struct cmd_entry cmd_version_entry = {
	"version", NULL, "",
	"Show the version.",
	NULL, CMD_LOCAL, NULL, cmd_version
};

/* Every command, in the order "cishare help" lists them. */
const struct cmd_entry *const cmd_table[] = {
	&cmd_report_submit_entry,
	&cmd_report_template_entry,
	&cmd_report_followup_entry,
	&cmd_report_forward_entry,
	&cmd_report_share_entry,
	&cmd_report_show_entry,
	&cmd_report_list_entry,
	&cmd_advisory_create_entry,
	&cmd_advisory_followup_entry,
	&cmd_advisory_approve_entry,
	&cmd_advisory_relay_entry,
	&cmd_advisory_ack_entry,
	&cmd_advisory_show_entry,
	&cmd_advisory_list_entry,
	&cmd_advisory_tree_entry,
	&cmd_inbox_entry,
	&cmd_widening_request_entry,
	&cmd_widening_list_entry,
	&cmd_widening_approve_entry,
	&cmd_widening_refuse_entry,
	&cmd_me_entry,
	&cmd_sectors_entry,
	&cmd_taxonomy_entry,
	&cmd_org_create_entry,
	&cmd_org_list_entry,
	&cmd_org_show_entry,
	&cmd_user_create_entry,
	&cmd_user_list_entry,
	&cmd_token_create_entry,
	&cmd_channel_add_entry,
	&cmd_channel_list_entry,
	&cmd_notifications_entry,
	&cmd_audit_entry,
	&cmd_audit_verify_entry,
	&cmd_help_entry,
	&cmd_version_entry,
	NULL
};

static int
cmd_help(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	const struct cmd_entry *e;
	int used;

	if (a->npos == 0) {
		usage_all(stdout);
		return 0;
	}
	e = cmd_find((int)a->npos, (char **)a->pos, &used);
	if (e != NULL && (size_t)used == a->npos) {
		printf("usage:\n");
		usage_entry(stdout, e, 1);
		return 0;
	}
	if (used == 1 && a->npos == 1) {
		usage_group(stdout, a->pos[0]);
		return 0;
	}
	return usage_error(ctx->entry, "no such command: %s%s%s", a->pos[0],
	    a->npos > 1 ? " " : "", a->npos > 1 ? a->pos[1] : "");
}

static int
cmd_version(struct cmd_ctx *ctx)
{
	(void)ctx;
	printf("cishare %s (libcurl %s, jansson %s)\n", CISHARE_VERSION,
	    curl_version_info(CURLVERSION_NOW)->version,
	    jansson_version_str());
	return 0;
}
