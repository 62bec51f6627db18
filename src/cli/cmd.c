/*
 * cmd.c: the CLI's surface, declared once: every option (tmux's
 * options-table.c): its name, whether it takes a value and what the value
 * is called, how the value is checked (with the vocabulary of allowed
 * values), the query parameter it becomes in a list command, and its
 * help; then every command's entry in the order "cishare help" lists
 * them, the list views, and the two local commands, help and version.  A
 * command names the options it takes in its entry's .opts, a
 * space-separated list of ids ("tlp!" marks one it requires); the parser,
 * the list views and the usage texts all read these tables.
 *
 * One table rather than tmux's entry beside each exec: the entries are
 * pure declarations (words, arguments, option ids, a view), so in one
 * place they read as the CLI's whole surface (what "cishare help" and
 * docs/cli.md show) and are not repeated, shape for shape, in every
 * cmd-<group>.c file; the exec functions stay in those files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "cli/cli.h"

/* ---- options -------------------------------------------------------- */

/*
 * The states GET /notifications?status= takes: the API's own words (the
 * notification queue's, src/api/notify.c), not the 様式's vocabulary.
 */
static const struct vocab_item notif_status[] = {
	{ "failed", NULL, NULL, NULL, NULL, NULL },
	{ "pending", NULL, NULL, NULL, NULL, NULL },
	{ "sent", NULL, NULL, NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};

/* What GET /search?type= takes (src/api/search.c). */
static const struct vocab_item search_types[] = {
	{ "advisory", NULL, NULL, NULL, NULL, NULL },
	{ "report", NULL, NULL, NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};

#define ARG	OPT_ARG
#define MULTI	(OPT_ARG | OPT_MULTI | OPT_LIST)

/*
 * An entry spells out id, name (NULL: the id), flags, value name, check,
 * vocabulary, query parameter and a flag's value there, and help.  Most
 * options are one of three plain shapes, named by the macros: a flag, an
 * option with an unchecked value (meta names it in the usage), and one
 * taking a comma-separated list that may be repeated; none of them is a
 * list filter.
 */
#define FLAG(id, help)							\
	{ id, NULL, 0, NULL, CHK_NONE, NULL, NULL, NULL, help }
#define VALUE(id, meta, help)						\
	{ id, NULL, ARG, meta, CHK_NONE, NULL, NULL, NULL, help }
#define VALUES(id, meta, help)						\
	{ id, NULL, MULTI, meta, CHK_NONE, NULL, NULL, NULL, help }

static const struct opt_spec opt_table[] = {
	/* global */
	VALUE("url", "URL", "the server (default " DEFAULT_URL ")"),
	VALUE("token", "TOKEN", "your API token"),
	VALUE("config", "FILE", "the config file (url, token, cacert)"),
	VALUE("cacert", "FILE", "CA certificates to trust for https"),
	FLAG("json", "print the server's JSON instead of text"),
	FLAG("help", "show usage"),
	FLAG("version", "show the version"),
	/* every list command; the paging ones for those that page */
	VALUE("columns", "SPEC",
	    "the table's columns instead of the usual ones: HEADER=PATH"
	    " [%time|%tlp|%lineN] ..., PATH a dotted JSON path of an item,"
	    " e.g. --columns 'ID=id WHEN=updated_at%time'"),
	{ "limit", NULL, ARG, "N", CHK_LIMIT, NULL, "limit", NULL,
	  "at most N per page (1-500)" },
	VALUE("cursor", "C", "start at the page a previous list named"),
	FLAG("all", "follow every page"),
	/* list filters */
	{ "sector", NULL, ARG, "SECTOR", CHK_VOCAB, vocab_sector, "sector",
	  NULL, "only those of this sector" },
	{ "event-type", NULL, ARG, "TYPE", CHK_VOCAB, vocab_event_type,
	  "event_type", NULL, "only those of this event type (①)" },
	{ "cause", NULL, ARG, "TYPE", CHK_VOCAB, vocab_cause_type, "cause",
	  NULL, "only those naming this cause type (②)" },
	{ "tlp", NULL, ARG, "TLP", CHK_VOCAB, vocab_tlp, "tlp", NULL,
	  "the TLP: only those at it, or the one asked for" },
	{ "importance", NULL, ARG, NULL, CHK_VOCAB, vocab_importance,
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
	{ "status", NULL, ARG, NULL, CHK_VOCAB, notif_status,
	  "status", NULL, "only notifications in this state" },
	{ "org", NULL, ARG, "ORGID", CHK_ID, NULL, "org", NULL,
	  "the organisation (id)" },
	/* report submit, template */
	{ "route", NULL, ARG, NULL, CHK_VOCAB, vocab_route, NULL, NULL,
	  "the route (default: the file's, else direct)" },
	FLAG("legal-duty", "the event falls under a legal reporting duty"),
	FLAG("no-legal-duty",
	    "it does not (the default unless the file says so)"),
	VALUES("extra", "ORGID", "further organisations to receive it"),
	FLAG("commented",
	    "add // lines naming each field and its allowed values (submit"
	    " skips them)"),
	/* drill create */
	VALUES("target", "ORGID", "an organisation the drill exercises"),
	VALUE("scenario", "TEXT", "what the drill rehearses"),
	/* exercise start */
	VALUE("speed", "N", "the exercise clock: 1 (real time) to 60 times"
	    " faster"),
	/* council post */
	VALUES("member", "ORGID", "a council member to address (default: every"
	    " member)"),
	/* situation post */
	VALUES("service", "ID", "a service that is down (a service id of the"
	    " sector)"),
	VALUE("estimate", "TEXT", "when service should be restored"),
	/* stats */
	VALUE("group", "DIMS",
	    "comma-separated: sector, event_type, cause, route, tlp, month,"
	    " quarter, fiscal_year (default sector)"),
	FLAG("public", "the public figures (TLP:CLEAR reports NISC received;"
	    " no token needed)"),
	FLAG("csv", "print CSV (RFC 4180) instead of a table"),
	/* correlations */
	VALUE("min-sectors", "N", "observables seen in at least N sectors"
	    " (default 2)"),
	VALUE("days", "D", "in the last D days (default 7)"),
	/* search */
	{ "type", NULL, ARG, NULL, CHK_VOCAB, search_types, NULL, NULL,
	  "only reports or only advisories" },
	/* report forward */
	FLAG("dry-run", "show what the next hop would receive; send nothing"),
	FLAG("confirm-small-set",
	    "forward although the sector has few member operators"),
	/* advisory create */
	FLAG("urgent",
	    "deliver straight to the CEPTOARs and operators of the recipient"
	    " sectors, with a copy to the ministries"),
	VALUES("related", "ID", "the source reports"),
	VALUES("consented", "ID",
	    "related reports whose source agreed to be named"),
	/* advisory review (the source review) */
	FLAG("approve", "approve the advisory for your anonymised source"),
	FLAG("refuse", "refuse it: NISC reads the decision and the comment"),
	VALUE("comment", "TEXT", "a comment: NISC reads it with a review decision;"
	    " a return's reason; a note on a relay or forward"),
	/* report stix, advisory stix */
	VALUE("output", "FILE", "write to FILE instead of standard output"
	    " (-o FILE)"),
	/* inbox --follow */
	FLAG("follow",
	    "print each new inbox event as it comes (--json: its data as one"
	    " JSON line); reconnects by itself; Ctrl-C ends it"),
	VALUE("max-events", "N", "with --follow: stop after N events"),
	VALUE("timeout", "SECONDS", "with --follow: stop after SECONDS"),
	VALUE("last-event-id", "ID", "with --follow: resume after event ID"),
	/* widening request, org create */
	{ "sectors", "sector", MULTI, "SECTOR", CHK_VOCAB, vocab_sector,
	  NULL, NULL, "a sector (to add)" },
	VALUE("reason", "TEXT", "why, for the report's source"),
	VALUE("ceptoar", "ORGID",
	    "the CEPTOAR secretariat an operator reports through"),
	/* report disclose; report share under a disclosure basis */
	{ "basis", NULL, ARG, NULL, CHK_VOCAB, vocab_disclosure_basis, NULL,
	  NULL, "why it may be disclosed: law (required by law), consent (the"
	  " reporter's consent) or public_interest (to protect life or"
	  " property)" },
	{ "disclose-reason", "reason", ARG, "TEXT", CHK_NONE, NULL, NULL, NULL,
	  "the grounds: the law, the consent given, the interest at stake" },
	VALUE("to", "TEXT", "to whom it is disclosed"),
	{ "disclosure", NULL, ARG, "ID", CHK_ID, NULL, NULL, NULL,
	  "share outside the report's TLP range under disclosure basis ID"
	  " recorded on it" },
	/* user create, token create, channel add */
	VALUES("role", "ROLE",
	    "member, poc, liaison, analyst, approver, org_admin, admin"),
	VALUE("name", "NAME", "the display name (default: the login)"),
	VALUE("password", "P|-",
	    "a password for the web UI; - reads it from standard input"),
	FLAG("nda", "an NDA contractor (sees AMBER, not AMBER+STRICT)"),
	VALUE("email", "ADDR", "the user's e-mail address"),
	VALUE("phone", "NUMBER", "the user's telephone number"),
	VALUE("fax", "NUMBER", "the user's fax number"),
	VALUE("department", "NAME", "the user's department (部局名)"),
	VALUE("label", "L", "a label for the token"),
	{ "user", NULL, ARG, "ID", CHK_ID, NULL, NULL, NULL,
	  "the user it notifies" },
	/* export */
	VALUE("format", "csv|stix", "csv (RFC 4180, UTF-8) or stix (one STIX"
	    " 2.1 bundle)"),
	VALUE("what", "KIND", "reports, advisories or indicators"),
	FLAG("bom", "csv: start with a UTF-8 BOM (for Excel)"),
	/* survey */
	VALUE("edition", "ED", "the control catalogue's edition (2023, 2015;"
	    " default: the current one)"),
	FLAG("unshare", "stop sharing your answers with NISC and your"
	    " ministries"),
	/* risk list, export */
	FLAG("archived", "also the archived risks"),
	/* attach report, sample request */
	{ "attach-version", "version", ARG, "K", CHK_ID, NULL, NULL, NULL,
	  "the version (第k報) the file belongs to (default: the newest)" },
	{ "sample-what", "what", ARG, "TEXT", CHK_NONE, NULL, NULL, NULL,
	  "what sample (検体) NISC asks for" },
	/* login, totp disable (the TOTP second factor) */
	VALUE("otp", "CODE", "the 6-digit code of your authenticator, or a"
	    " recovery code"),
	VALUE("code", "CODE", "a code of your authenticator, or a recovery"
	    " code (not needed when an admin or org_admin disables yours)"),
	/* erase-source */
	FLAG("yes", "confirm an irreversible action"),
	{ NULL, NULL, 0, NULL, CHK_NONE, NULL, NULL, NULL, NULL }
};

/* The option whose id is the len bytes at id, or NULL. */
const struct opt_spec *
opt_by_id(const char *id, size_t len)
{
	const struct opt_spec *o;

	for (o = opt_table; o->id != NULL; o++)
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

/* ---- commands ------------------------------------------------------- */

static const struct list_view report_view = {
	"/reports", "ID=id IDENT=identification_number STATE=state ROUTE=route"
	" TLP=tlp SECTOR=sector VER=version|latest_version UPDATED=updated_at",
	"reports", VIEW_CURSOR
};

static const struct list_view advisory_view = {
	"/advisories", "ID=id IDENT=identification_number STATE=state"
	" 重要度=@importance TLP=tlp%tlp ISSUED=issued_at%time ACK=@ack"
	" SUMMARY=summary%line40", "advisories", 0
};

static const struct list_view inbox_view = {
	"/inbox", "ID=id IDENT=identification_number 重要度=@importance"
	" TLP=tlp%tlp DELIVERED=delivered_at%time READ=read_at%time ACK=@ack"
	" SUMMARY=summary%line40", "advisories", 0
};

static const struct list_view widening_view = {
	"/widening-requests", "ID=id REPORT=report TLP=tlp%tlp SECTORS=sectors"
	" STATE=state BY_ORG=requested_by_org CREATED=created_at%time"
	" DECIDED=decided_at%time REASON=reason%line40", "requests", 0
};

static const struct list_view sample_view = {
	"/sample-requests", "ID=id REPORT=report IDENT=identification_number"
	" STATE=state WHAT=what%line40 REQUESTED=requested_at%time"
	" SAMPLE=attachment DECLINE=decline%line30", "requests", VIEW_CURSOR
};

static const struct list_view org_view = {
	"/orgs", "ID=id TYPE=type NAME=name SECTORS=sectors CEPTOAR=ceptoar",
	"organisations", 0
};

static const struct list_view user_view = {
	"/users", "ID=id ORG=org LOGIN=login NAME=display_name ROLES=roles"
	" NDA=nda_contractor CREATED=created_at%time", "users", 0
};

static const struct list_view channel_view = {
	"/notification-channels", "ID=id ORG=org USER=user KIND=kind"
	" TARGET=target ACTIVE=active CREATED=created_at%time", "channels",
	VIEW_ALL
};

static const struct list_view notification_view = {
	"/notifications", "ID=id CHANNEL=channel ADVISORY=advisory EVENT=event"
	" STATUS=status ATTEMPTS=attempts CREATED=created_at%time"
	" SENT=sent_at%time NEXT=next_attempt_at%time ERROR=last_error%line50",
	"notifications", 0
};

/* The audit entry's keys are not fixed by API.md: try the likely names. */
static const struct list_view audit_view = {
	"/audit", "SEQ=seq|id TIME=at|time|ts|created_at"
	" USER=user|actor|who|user_id ORG=org|org_id ACTION=action|what|event"
	" ITEM=item|target|object|item_id", "entries", 0
};

/*
 * Every command, in the order "cishare help" lists them: words, positional
 * arguments, what it does, option ids (cmd.c), flags, list view and exec.
 * The two common shapes have a macro: CMD, a command without options,
 * flags or view; LIST, a list command (no positionals, listview_exec on
 * its view).
 */
#define CMD(name, sub, args, about, exec)				\
	{ name, sub, args, about, NULL, 0, NULL, exec }
#define LIST(name, sub, about, opts, view)				\
	{ name, sub, "", about, opts, 0, view, listview_exec }

const struct cmd_entry cmd_table[] = {
	{ "report", "submit", "FILE.json",
	  "Submit a first report (第1報).  FILE is the whole request body\n"
	  "or just the form; \"-\" reads standard input.  Start from\n"
	  "\"cishare report template\".",
	  "route legal-duty no-legal-duty extra", 0, NULL, cmd_report_submit },
	{ "report", "template", "",
	  "Print a 第1報 skeleton for \"report submit\": every field of the\n"
	  "情報連絡様式 in its order, null where optional, the required choices\n"
	  "marked <choose: ...>.",
	  "commented", CMD_LOCAL, NULL, cmd_report_template },
	CMD("report", "followup", "ID FILE.json",
	    "Add a follow-up report (第k報) to report ID.",
	    cmd_report_followup),
	{ "report", "forward", "ID [FILE.json]",
	  "Pass report ID on to the next hop, with an edited form if given;\n"
	  "--dry-run shows what the next hop would receive (redactions\n"
	  "listed) and sends nothing.",
	  "dry-run confirm-small-set comment", 0, NULL, cmd_report_forward },
	{ "report", "share", "ID ORGID...",
	  "Share report ID with further organisations; outside its TLP\n"
	  "range only under a disclosure basis (--disclosure).",
	  "disclosure", 0, NULL, cmd_report_share },
	{ "report", "disclose", "ID",
	  "Record why report ID's information may be disclosed (NISC, or a\n"
	  "ministry on its path): required by law, the reporter's consent,\n"
	  "or the public interest (手引書 2.3).",
	  "basis! disclose-reason! to!", 0, NULL, cmd_report_disclose },
	CMD("report", "show", "ID",
	    "Show report ID with all its versions.", cmd_report_show),
	{ "report", "stix", "ID",
	  "Write report ID as a STIX 2.1 bundle (an incident; docs/interop.md)\n"
	  "to standard output or to --output FILE (-o FILE).",
	  "output", 0, NULL, cmd_stix },
	LIST("report", "list",
	    "List the reports you may see; --all follows every page; "
	    "--anonymised lists the ones you filed through your CEPTOAR.",
	    "sector event-type cause tlp importance since until q anonymised",
	    &report_view),
	{ "advisory", "create", "FILE.json",
	  "Issue an advisory (情報提供, NISC).  FILE is the whole request\n"
	  "body or just the form; \"-\" reads standard input.",
	  "urgent related consented", 0, NULL, cmd_advisory_create },
	CMD("advisory", "followup", "ID FILE.json",
	    "Issue a follow-up (第k報) of advisory ID.", cmd_advisory_followup),
	CMD("advisory", "approve", "ID",
	    "Approve a pending advisory (a second NISC approver).",
	    cmd_advisory_post),
	{ "advisory", "relay", "ID ORGID...",
	  "Relay advisory ID on to further organisations, with an optional\n"
	  "--comment shown on their delivery record; relaying acknowledges\n"
	  "it for your organisation.", "comment", 0, NULL, cmd_advisory_post },
	CMD("advisory", "ack", "ID",
	    "Acknowledge receipt of advisory ID for your organisation.",
	    cmd_advisory_post),
	{ "advisory", "review", "ID",
	  "Decide the source review of advisory ID (a CEPTOAR secretariat\n"
	  "whose anonymised report it is related to): exactly one of\n"
	  "--approve or --refuse; \"advisory show ID\" lists the hits.",
	  "approve refuse comment", 0, NULL, cmd_advisory_review },
	CMD("advisory", "show", "ID",
	    "Show advisory ID (and mark it read for your organisation).",
	    cmd_advisory_show),
	{ "advisory", "stix", "ID",
	  "Write advisory ID as a STIX 2.1 bundle (a report with indicators;\n"
	  "docs/interop.md) to standard output or to --output FILE (-o FILE).",
	  "output", 0, NULL, cmd_stix },
	LIST("advisory", "list",
	    "List advisories: NISC sees all, others their inbox.",
	    NULL, &advisory_view),
	CMD("advisory", "tree", "ID",
	    "Show who received advisory ID from whom, when each hop read and\n"
	    "acknowledged it, and who has not acknowledged yet.",
	    cmd_advisory_tree),
	{ "inbox", NULL, "",
	  "List the advisories delivered to your organisation, or follow\n"
	  "them as they come (--follow).",
	  "unread unacknowledged follow max-events timeout last-event-id", 0,
	  &inbox_view, cmd_inbox },
	{ "widening", "request", "REPORT",
	  "Ask the source of report REPORT to allow a wider TLP or more\n"
	  "sectors (NISC).",
	  "tlp! sectors reason", 0, NULL, cmd_widening_request },
	LIST("widening", "list",
	    "List the widening requests you may see.", NULL, &widening_view),
	CMD("widening", "approve", "ID",
	    "Allow widening request ID (the report's source).",
	    cmd_widening_decide),
	CMD("widening", "refuse", "ID",
	    "Refuse widening request ID (the report's source).",
	    cmd_widening_decide),
	CMD("me", NULL, "",
	    "Show your user, organisation and roles.", cmd_get_json),
	CMD("sectors", NULL, "",
	    "Show the sectors reference data.", cmd_get_json),
	CMD("taxonomy", NULL, "",
	    "Show the event and cause taxonomy.", cmd_get_json),
	{ "org", "create", "NAME TYPE",
	  "Create an organisation (admin); TYPE is an actor type id.",
	  "sectors ceptoar", 0, NULL, cmd_org_create },
	LIST("org", "list",
	    "List organisations.", NULL, &org_view),
	CMD("org", "show", "ORGID",
	    "Show one organisation.", cmd_org_show),
	{ "user", "create", "ORGID LOGIN",
	  "Create a user (admin).",
	  "role! name password nda email phone fax department", 0, NULL,
	  cmd_user_create },
	LIST("user", "list",
	    "List users (admin; org_admin: those of your organisation).",
	    "org", &user_view),
	{ "token", "create", "USERID",
	  "Create an API token for a user; it is printed once.",
	  "label", 0, NULL, cmd_token_create },
	{ "channel", "add", "email|webhook TARGET",
	  "Add a notification channel; a webhook's secret is printed once.",
	  "user org", 0, NULL, cmd_channel_add },
	LIST("channel", "list",
	    "List the notification channels you manage.", NULL, &channel_view),
	LIST("notifications", NULL,
	    "List queued and sent notifications (org_admin, admin).",
	    "status", &notification_view),
	CMD("mode", "show", "",
	    "Show whether the large-scale CI service failure mode (別紙４－２)\n"
	    "is on, and the declarations so far.", cmd_mode_show),
	{ "mode", "declare", "CAUSE",
	  "Declare the large-scale mode (a NISC approver): CAUSE is disaster,\n"
	  "terror, cyber or other; --sector names each affected sector.",
	  "sectors!", 0, NULL, cmd_mode_declare },
	CMD("mode", "end", "",
	    "End the large-scale mode (a NISC approver).", cmd_mode_end),
	CMD("situation", "show", "",
	    "Show the situation board of the large-scale mode: per sector the\n"
	    "services down, the restoration estimate and the updates.",
	    cmd_situation_show),
	{ "situation", "post", "SECTOR damage|response TEXT",
	  "File a damage or response-status update while the mode is on.",
	  "service estimate", 0, NULL, cmd_situation_post },
	{ "drill", "create", "NAME",
	  "Create a CEPTOAR drill (NISC) for the --target organisations.",
	  "target! scenario", 0, NULL, cmd_drill_create },
	CMD("drill", "list", "", "List the drills (NISC).", cmd_drill_list),
	CMD("drill", "report", "ID",
	    "Print a drill's report: every hop with its latency and\n"
	    "acknowledgement delay, then who never responded (NISC).",
	    cmd_drill_report),
	CMD("exercise", "create", "FILE",
	    "Create a cross-sector exercise (NISC) from a scenario file: name,\n"
	    "participants and timed injects (docs/api.md).", cmd_exercise_create),
	CMD("exercise", "list", "",
	    "List the exercises you facilitate or take part in.",
	    cmd_exercise_list),
	{ "exercise", "start", "ID",
	  "Start an exercise's clock (NISC), --speed 1 to 60 times real time.",
	  "speed", 0, NULL, cmd_exercise_start },
	CMD("exercise", "injects", "ID",
	    "Show the injects released to your organisation so far.",
	    cmd_exercise_injects),
	CMD("exercise", "respond", "ID N TEXT",
	    "Record your organisation's response to inject N.",
	    cmd_exercise_respond),
	CMD("exercise", "issue", "ID TEXT",
	    "Log an issue (課題) for the after-action review.",
	    cmd_exercise_issue),
	CMD("exercise", "after-action", "ID",
	    "Print the after-action report (NISC): per participant the\n"
	    "responses with their delay, the unanswered injects, the issues.",
	    cmd_exercise_after_action),
	CMD("council", "list", "",
	    "List the CEPTOAR council posts you may read.", cmd_council_list),
	{ "council", "post", "TEXT",
	  "Post to the CEPTOAR council (a member CEPTOAR): to every member, or\n"
	  "to those --member names; --tlp (default amber).",
	  "member tlp", 0, NULL, cmd_council_post },
	CMD("council", "share", "ID ORGID...",
	    "Share your council post ID with government organisations or\n"
	    "members.", cmd_council_share),
	CMD("import", NULL, "FILE.json",
	    "Contribute a STIX 2.1 bundle (or TAXII envelope) to the\n"
	    "contributions collection (cybersecurity agencies, cyberspace\n"
	    "businesses, NISC); \"-\" reads standard input.  Prints the\n"
	    "status; a refused bundle names the object and property.",
	    cmd_import),
	CMD("deps", "show", "",
	    "Show the sector dependency graph (an outage in FROM may reach TO).",
	    cmd_deps_show),
	CMD("deps", "set", "FILE.json",
	    "Replace the dependency graph (NISC): FILE is {\"edges\": [{\"from\",\n"
	    "\"to\", \"basis\", \"citation\"}]}; \"-\" reads standard input.",
	    cmd_deps_set),
	CMD("report", "cascade", "ID",
	    "Show the sectors report ID's outage may reach, with the path and\n"
	    "the reason (NISC: 影響予測).", cmd_report_cascade),
	CMD("observable", NULL, "VALUE",
	    "Look up an observable (NISC): an address, CIDR block, domain, URL,\n"
	    "e-mail address, hash or CVE id, defanged or full-width; the reports\n"
	    "and advisories holding it and their sectors.", cmd_observable),
	CMD("report", "correlations", "ID",
	    "Show the items you may read that share an observable with report ID.",
	    cmd_report_correlations),
	{ "correlations", NULL, "",
	  "Observables seen in several sectors (NISC's queue).",
	  "min-sectors days", 0, NULL, cmd_correlations },
	{ "search", NULL, "TEXT",
	  "Search every version of the reports and advisories you may read\n"
	  "(Japanese included; NFKC and case aside), ranked, with snippets\n"
	  "and the matches marked «like this».",
	  "type limit cursor all", 0, NULL, cmd_search },
	{ "stats", NULL, "",
	  "Count the reports you may read, grouped (--group); groups with\n"
	  "fewer than k reporting organisations are suppressed but for NISC.",
	  "group since until public csv", 0, NULL, cmd_stats },
	LIST("audit", NULL,
	    "Show the audit log (admin, NISC).", "since", &audit_view),
	CMD("audit", "verify", "",
	    "Check the audit log's hash chain; exit 1 if it is broken.",
	    cmd_audit_verify),
	{ "export", NULL, "",
	  "Export what you may read as CSV (GET /reports.csv, /advisories.csv,\n"
	  "/indicators.csv) or as one STIX 2.1 bundle, with the list filters;\n"
	  "to standard output or --output FILE; progress on a terminal.",
	  "format! what! output bom since until sector event-type cause tlp "
	  "importance q anonymised unread unacknowledged", 0, NULL, cmd_export },
	{ "survey", "controls", "",
	  "List the 指針 control catalogue of an --edition (default: current).",
	  "edition", 0, NULL, cmd_survey_controls },
	{ "survey", "open", "FISCAL_YEAR",
	  "Open the yearly self-assessment campaign (NISC) for the --sector\n"
	  "sectors on a catalogue --edition (default: the current one).",
	  "sectors! edition", 0, NULL, cmd_survey_open },
	CMD("survey", "list", "",
	    "List the survey campaigns you see, with your own draft's state.",
	    cmd_survey_list),
	CMD("survey", "answer", "ID FILE",
	    "Save answers to your draft (an operator): FILE is {\"items\":\n"
	    "{\"<control id>\": {\"status\", \"note\", \"owner\"}}} or just the\n"
	    "object of answers; \"-\" reads standard input.", cmd_survey_answer),
	CMD("survey", "submit", "ID",
	    "Submit your organisation's answers (its org_admin); every item\n"
	    "must be answered.", cmd_survey_submit),
	{ "survey", "share", "ID",
	  "Share your answers with NISC and your sectors' ministries (its\n"
	  "org_admin); --unshare stops it.",
	  "unshare", 0, NULL, cmd_survey_share },
	CMD("survey", "close", "ID",
	    "Close a campaign (NISC): no answer or submission after.",
	    cmd_survey_close),
	CMD("survey", "progress", "ID",
	    "Who has submitted in your sectors (NISC, ministries); never answers.",
	    cmd_survey_progress),
	CMD("survey", "results", "ID",
	    "Your scores per category, the trend and your gaps by priority (an\n"
	    "operator), or the sector aggregates (NISC, ministries; fewer than k\n"
	    "respondents suppressed).", cmd_survey_results),
	{ "survey", "csv", "ID",
	  "The results as CSV (GET /surveys/ID/results.csv), to standard\n"
	  "output or --output FILE.",
	  "output bom", 0, NULL, cmd_survey_csv },
	{ "risk", "list", "",
	  "List your risk register (or --org, a workspace shared with you),\n"
	  "highest score first; an overdue review is marked !.",
	  "org archived", 0, NULL, cmd_risk_list },
	CMD("risk", "add", "FILE",
	    "Add a risk to your register: FILE is the POST /risks body (title,\n"
	    "event, likelihood, impact, treatment, ...; docs/api.md); \"-\" reads\n"
	    "standard input.", cmd_risk_add),
	CMD("risk", "show", "ID",
	    "Show risk ID with its score, level and service-maintenance level.",
	    cmd_risk_show),
	CMD("risk", "update", "ID FILE",
	    "Change risk ID: FILE's members replace the risk's (null removes).",
	    cmd_risk_update),
	{ "risk", "plan", "",
	  "Show the improvement plan ordered by score: risks to treat, then\n"
	  "the viewpoint (IV 4.1) and CP/IT-BCP readiness gaps.",
	  "org", 0, NULL, cmd_risk_plan },
	{ "risk", "export", "",
	  "Export the risk register as CSV (GET /risks.csv) to standard output\n"
	  "or --output FILE.",
	  "org archived bom output", 0, NULL, cmd_risk_export },
	CMD("inquiry", "send", "ADVISORY TEXT",
	    "Send NISC an inquiry (問合せ) about an advisory (a CI ministry's\n"
	    "liaison whose organisation received it).", cmd_inquiry_send),
	CMD("inquiry", "list", "ADVISORY",
	    "List an advisory's inquiries with their answers (NISC: all; a\n"
	    "ministry: its own).", cmd_inquiry_list),
	CMD("inquiry", "answer", "INQUIRY TEXT",
	    "Answer an inquiry (NISC).", cmd_inquiry_answer),
	CMD("inquiry", "ask", "ADVISORY TEXT",
	    "Ask your ministry about an advisory you received (an operator or\n"
	    "CEPTOAR secretariat); it answers or forwards it to NISC.",
	    cmd_inquiry_ask),
	CMD("inquiry", "questions", "ADVISORY",
	    "List the questions about an advisory you asked, or that were\n"
	    "addressed to your ministry, with their answers.",
	    cmd_inquiry_questions),
	CMD("inquiry", "forward", "QUESTION [TEXT]",
	    "Forward a question to NISC as your ministry's inquiry, reworded\n"
	    "with TEXT if given (a ministry liaison).", cmd_inquiry_forward),
	CMD("inquiry", "reply", "QUESTION TEXT",
	    "Answer a question yourself (a ministry liaison).",
	    cmd_inquiry_reply),
	CMD("tasks", NULL, "",
	    "Show your to-do list: reports to forward, consents to decide,\n"
	    "advisories to approve, review, relay or acknowledge (overdue\n"
	    "flagged), inquiries and questions to answer.", cmd_tasks),
	CMD("peer", "list", "",
	    "List the federation peers (admin, NISC): last sync, cursor,\n"
	    "failures, objects received and the last error.", cmd_peer_list),
	CMD("peer", "add", "FILE.json",
	    "Register a federation peer (admin): FILE is the POST /peers body\n"
	    "(name, org, url, collection, auth, interval_s); \"-\" reads\n"
	    "standard input.  The secret is stored sealed, never shown.",
	    cmd_peer_add),
	CMD("peer", "sync", "ID",
	    "Poll peer ID now (admin).", cmd_peer_sync),
	CMD("peer", "remove", "ID",
	    "Remove peer ID from the registry (admin).", cmd_peer_remove),
	{ "help", NULL, "[COMMAND [SUBCOMMAND]]",
	  "Show usage; for one command, with its options.",
	  NULL, CMD_LOCAL, NULL, cmd_help },
	{ "version", NULL, "",
	  "Show the version.",
	  NULL, CMD_LOCAL, NULL, cmd_version },
	{ "attach", "report", "ID FILE",
	  "Attach FILE (別紙) to report ID as its source (or, anonymised, its\n"
	  "CEPTOAR secretariat); --version K (default the newest).  Prints\n"
	  "the id, SHA-256, size and name.", "attach-version", 0, NULL,
	  cmd_attach },
	CMD("attach", "advisory", "ID FILE",
	    "Attach FILE (別紙) to advisory ID (NISC).", cmd_attach),
	{ "attachment", "get", "ID",
	  "Download attachment ID to standard output or -o FILE; the SHA-256\n"
	  "the server sends (Repr-Digest) is checked first, nothing is\n"
	  "written if it does not match.", "output", 0, NULL,
	  cmd_attachment_get },
	{ "sample", "request", "REPORT",
	  "Ask the source of report REPORT for a sample (検体) (NISC).",
	  "sample-what! reason!", 0, NULL, cmd_sample_request },
	LIST("sample", "list",
	    "List the sample requests you may see (NISC; the source, or an\n"
	    "anonymised report's CEPTOAR secretariat).", NULL, &sample_view),
	CMD("sample", "answer", "ID ATTACHMENT",
	    "Answer sample request ID with ATTACHMENT, a file your organisation\n"
	    "attached to the report (cishare attach report).", cmd_sample_answer),
	CMD("sample", "decline", "ID REASON",
	    "Decline sample request ID, saying why.", cmd_sample_decline),
	/* issue 15: 差戻し, 督促, password reset */
	{ "advisory", "return", "ID",
	  "Return a draft awaiting approval to its drafter (差戻し, a NISC\n"
	  "approver) with --comment; the drafter edits it and resubmits it\n"
	  "as a follow-up.", "comment!", 0, NULL, cmd_advisory_return },
	CMD("advisory", "remind", "ID [ORGID...]",
	    "Remind (督促) the recipients you delivered advisory ID to that\n"
	    "have not acknowledged it (all of them, or the ORGIDs).",
	    cmd_advisory_remind),
	CMD("user", "password-reset", "USERID",
	    "Give a user a one-time temporary password (admin, the user's\n"
	    "org_admin); the next login must replace it.",
	    cmd_user_password_reset),
	/* issue 16: logging in, the TOTP second factor */
	{ "login", NULL, "LOGIN",
	  "Log in with LOGIN's password (one line on standard input, or\n"
	  "CISHARE_PASSWORD) and print a new API token; --otp CODE when the\n"
	  "user has a second factor.", "otp label", 0, NULL, cmd_login },
	CMD("totp", "status", "[USERID]",
	    "Show whether a user's (default: your) second factor is enabled.",
	    cmd_totp_status),
	CMD("totp", "enroll", "",
	    "Start your second factor: prints the secret and the otpauth://\n"
	    "URI to give your authenticator app.", cmd_totp_enroll),
	CMD("totp", "confirm", "CODE",
	    "Enable your second factor with its current code; prints the ten\n"
	    "one-time recovery codes (only now).", cmd_totp_confirm),
	{ "totp", "disable", "[USERID]",
	  "Disable a second factor: yours with --code, a user's you manage\n"
	  "(admin, org_admin) without.", "code", 0, NULL, cmd_totp_disable },
	CMD("hold", "report", "ID",
	    "Place a legal hold on report ID (NISC analysts, an admin): it is\n"
	    "never purged by the retention policy until the hold is lifted.",
	    cmd_hold),
	CMD("hold", "advisory", "ID",
	    "Place a legal hold on advisory ID (NISC analysts, an admin).",
	    cmd_hold),
	CMD("unhold", "report", "ID",
	    "Lift the legal hold on report ID.", cmd_unhold),
	CMD("unhold", "advisory", "ID",
	    "Lift the legal hold on advisory ID.", cmd_unhold),
	{ "erase-source", NULL, "ID",
	  "Destroy for good the sealed identity of anonymised report ID (its\n"
	  "source or the source's CEPTOAR secretariat): afterwards nobody,\n"
	  "not even the secretariat or an admin with the master key, can learn\n"
	  "who filed it; the report stays readable.  Needs --yes.",
	  "yes", 0, NULL, cmd_erase_source },
	CMD("retention", NULL, "",
	    "Show the retention policy, what the next purge would remove and\n"
	    "the legal holds (admin).", cmd_retention),
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL }
};

int
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

int
cmd_version(struct cmd_ctx *ctx)
{
	(void)ctx;
	printf("cishare %s (libcurl %s, jansson %s)\n", CISHARE_VERSION,
	    curl_version_info(CURLVERSION_NOW)->version,
	    jansson_version_str());
	return 0;
}
