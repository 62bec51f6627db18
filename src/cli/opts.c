/*
 * opts.c: every option cishare knows, declared once (tmux's
 * options-table.c): its name, whether it takes a value and what the value
 * is called, how the value is checked (with the vocabulary of allowed
 * values), the query parameter it becomes in a list command, and its
 * help.  A command names the options it takes in its entry's .opts, a
 * space-separated list of ids ("tlp!" marks one it requires); the parser,
 * the list views and the usage texts all read this one table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define ARG	OPT_ARG
#define MULTI	(OPT_ARG | OPT_MULTI | OPT_LIST)

/*
 * id, name (NULL: the id), flags, value name, check, vocabulary, query
 * parameter and a flag's value there, help.
 */
static const struct opt_spec table[] = {
	/* global */
	{ "url", NULL, ARG, "URL", CHK_NONE, NULL, NULL, NULL,
	  "the server (default " DEFAULT_URL ")" },
	{ "token", NULL, ARG, "TOKEN", CHK_NONE, NULL, NULL, NULL,
	  "your API token" },
	{ "config", NULL, ARG, "FILE", CHK_NONE, NULL, NULL, NULL,
	  "the config file (url, token, cacert)" },
	{ "cacert", NULL, ARG, "FILE", CHK_NONE, NULL, NULL, NULL,
	  "CA certificates to trust for https" },
	{ "json", NULL, 0, NULL, CHK_NONE, NULL, NULL, NULL,
	  "print the server's JSON instead of text" },
	{ "help", NULL, 0, NULL, CHK_NONE, NULL, NULL, NULL, "show usage" },
	{ "version", NULL, 0, NULL, CHK_NONE, NULL, NULL, NULL,
	  "show the version" },
	/* paging, added to every list command that pages */
	{ "limit", NULL, ARG, "N", CHK_LIMIT, NULL, "limit", NULL,
	  "at most N per page (1-500)" },
	{ "cursor", NULL, ARG, "C", CHK_NONE, NULL, NULL, NULL,
	  "start at the page a previous list named" },
	{ "all", NULL, 0, NULL, CHK_NONE, NULL, NULL, NULL,
	  "follow every page" },
	/* list filters */
	{ "sector", NULL, ARG, "SECTOR", CHK_VOCAB, &vocab_sector, "sector",
	  NULL, "only those of this sector" },
	{ "event-type", NULL, ARG, "TYPE", CHK_VOCAB, &vocab_event,
	  "event_type", NULL, "only those of this event type (①)" },
	{ "cause", NULL, ARG, "TYPE", CHK_VOCAB, &vocab_cause, "cause", NULL,
	  "only those naming this cause type (②)" },
	{ "tlp", NULL, ARG, "TLP", CHK_VOCAB, &vocab_tlp, "tlp", NULL,
	  "the TLP: only those at it, or the one asked for" },
	{ "importance", NULL, ARG, NULL, CHK_VOCAB, &vocab_importance,
	  "importance", NULL, "only those of this importance (重要度)" },
	{ "since", NULL, ARG, "TIME", CHK_TIME, NULL, "since", NULL,
	  "only those at or after TIME (RFC 3339, with offset)" },
	{ "until", NULL, ARG, "TIME", CHK_TIME, NULL, "until", NULL,
	  "only those at or before TIME (RFC 3339, with offset)" },
	{ "q", NULL, ARG, "TEXT", CHK_NONE, NULL, "q", NULL,
	  "only those whose form contains TEXT" },
	{ "anonymised", NULL, 0, NULL, CHK_NONE, NULL, "anonymised", "mine",
	  "the reports you filed anonymised through your CEPTOAR" },
	{ "unread", NULL, 0, NULL, CHK_NONE, NULL, "filter", "unread",
	  "only those not read yet" },
	{ "unacknowledged", NULL, 0, NULL, CHK_NONE, NULL, "filter",
	  "unacknowledged", "only those not acknowledged yet" },
	{ "status", NULL, ARG, NULL, CHK_VOCAB, &vocab_notif_status,
	  "status", NULL, "only notifications in this state" },
	{ "org", NULL, ARG, "ORGID", CHK_ID, NULL, "org", NULL,
	  "the organisation (id)" },
	/* report submit, template */
	{ "route", NULL, ARG, NULL, CHK_VOCAB, &vocab_route, NULL, NULL,
	  "the route (default: the file's, else direct)" },
	{ "legal-duty", NULL, 0, NULL, CHK_NONE, NULL, NULL, NULL,
	  "the event falls under a legal reporting duty" },
	{ "no-legal-duty", NULL, 0, NULL, CHK_NONE, NULL, NULL, NULL,
	  "it does not (the default unless the file says so)" },
	{ "extra", NULL, MULTI, "ORGID", CHK_NONE, NULL, NULL, NULL,
	  "further organisations to receive it" },
	{ "commented", NULL, 0, NULL, CHK_NONE, NULL, NULL, NULL,
	  "add // lines naming each field and its allowed values (submit"
	  " skips them)" },
	/* advisory create */
	{ "urgent", NULL, 0, NULL, CHK_NONE, NULL, NULL, NULL,
	  "deliver straight to the CEPTOARs and operators of the recipient"
	  " sectors, with a copy to the ministries" },
	{ "related", NULL, MULTI, "ID", CHK_NONE, NULL, NULL, NULL,
	  "the source reports" },
	{ "consented", NULL, MULTI, "ID", CHK_NONE, NULL, NULL, NULL,
	  "related reports whose source agreed to be named" },
	/* inbox --follow */
	{ "follow", NULL, 0, NULL, CHK_NONE, NULL, NULL, NULL,
	  "print each new inbox event as it comes (--json: its data as one"
	  " JSON line); reconnects by itself; Ctrl-C ends it" },
	{ "max-events", NULL, ARG, "N", CHK_NONE, NULL, NULL, NULL,
	  "with --follow: stop after N events" },
	{ "timeout", NULL, ARG, "SECONDS", CHK_NONE, NULL, NULL, NULL,
	  "with --follow: stop after SECONDS" },
	{ "last-event-id", NULL, ARG, "ID", CHK_NONE, NULL, NULL, NULL,
	  "with --follow: resume after event ID" },
	/* widening request, org create */
	{ "sectors", "sector", MULTI, "SECTOR", CHK_VOCAB, &vocab_sector,
	  NULL, NULL, "a sector (to add)" },
	{ "reason", NULL, ARG, "TEXT", CHK_NONE, NULL, NULL, NULL,
	  "why, for the report's source" },
	{ "ceptoar", NULL, ARG, "ORGID", CHK_NONE, NULL, NULL, NULL,
	  "the CEPTOAR secretariat an operator reports through" },
	/* user create, token create, channel add */
	{ "role", NULL, MULTI, "ROLE", CHK_NONE, NULL, NULL, NULL,
	  "member, poc, liaison, analyst, approver, org_admin, admin" },
	{ "name", NULL, ARG, "NAME", CHK_NONE, NULL, NULL, NULL,
	  "the display name (default: the login)" },
	{ "password", NULL, ARG, "P|-", CHK_NONE, NULL, NULL, NULL,
	  "a password for the web UI; - reads it from standard input" },
	{ "nda", NULL, 0, NULL, CHK_NONE, NULL, NULL, NULL,
	  "an NDA contractor (sees AMBER, not AMBER+STRICT)" },
	{ "label", NULL, ARG, "L", CHK_NONE, NULL, NULL, NULL,
	  "a label for the token" },
	{ "user", NULL, ARG, "ID", CHK_ID, NULL, NULL, NULL,
	  "the user it notifies" },
	{ NULL, NULL, 0, NULL, CHK_NONE, NULL, NULL, NULL, NULL }
};

/* The option whose id is the len bytes at id, or NULL. */
const struct opt_spec *
opt_by_id(const char *id, size_t len)
{
	const struct opt_spec *o;

	for (o = table; o->id != NULL; o++)
		if (strlen(o->id) == len && strncmp(o->id, id, len) == 0)
			return o;
	return NULL;
}

/* The name on the command line: --<name>. */
const char *
opt_name(const struct opt_spec *o)
{
	return o->name != NULL ? o->name : o->id;
}

/*
 * Walks a list of option ids ("tlp! sectors reason"): *pos is the cursor
 * (start at 0).  Returns the next option, with *required set for a "!",
 * or NULL at the end of the list.  An id missing from the table is a bug
 * in an entry: it aborts, so that any run of "cishare help" shows it.
 */
const struct opt_spec *
opt_next(const char *list, size_t *pos, int *required)
{
	const struct opt_spec *o;
	size_t n;

	if (list == NULL)
		return NULL;
	*pos += strspn(list + *pos, " ");
	if (list[*pos] == '\0')
		return NULL;
	n = strcspn(list + *pos, " ");
	*required = list[*pos + n - 1] == '!';
	o = opt_by_id(list + *pos, n - (size_t)*required);
	if (o == NULL) {
		fprintf(stderr, "cishare: internal error: no option \"%.*s\"\n",
		    (int)n, list + *pos);
		abort();
	}
	*pos += n;
	return o;
}
