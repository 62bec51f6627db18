/*
 * cishare: the command-line client of cishared.
 *
 * Every command is one const struct cmd_entry in cmd_table (tmux's
 * cmd-*.c entries): a name and optional sub-command, its usage, the
 * options it accepts, how many positional arguments it takes and the
 * function that runs it.  main() parses the global options, finds the
 * entry, parses the rest of the command line against it, loads the
 * configuration (file < environment < flags) and calls exec, whose return
 * value is the exit status:
 *
 *	0	success
 *	1	the server refused the request, or a local input was unusable
 *	2	no usable answer from the server (network, TLS, timeout, size)
 *	64	usage or configuration error
 *
 * Everything the server sends is printed through safe_dup(), which
 * replaces control characters, so a report cannot drive the terminal.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "util/util.h"
#include "cli/client.h"
#include "cli/sse.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define EXIT_FAIL	1
#define EXIT_NET	2
#define EXIT_USAGE	64

#define DEFAULT_URL	"http://127.0.0.1:8080"
#define MAX_CONFIG_SIZE	(64 * 1024)
#define MAX_PAGES	100000
#define MAX_LIST_LIMIT	500
/*
 * inbox --follow: the reconnection delay unless the server sets one
 * ("retry:"), and how long a silent stream (no event, no heartbeat) is
 * trusted.
 */
#define FOLLOW_RETRY_MS	3000L
#define FOLLOW_RETRY_MIN_MS	500L
#define FOLLOW_RETRY_MAX_MS	60000L
#define FOLLOW_IDLE_S	60L

/* struct opt_spec flags. */
#define OPT_ARG		0x1	/* the option takes a value */

/* struct cmd_entry flags. */
#define CMD_LOCAL	0x1	/* needs neither configuration nor server */

struct opt_spec {
	const char	*name;
	int		 flags;
};

/* One option as given on the command line; value is NULL for a flag. */
struct arg_opt {
	const char	*name;
	const char	*value;
};

/* The parsed command line.  Strings are borrowed from argv. */
struct args {
	const char	**pos;
	size_t		  npos;
	struct arg_opt	 *opts;
	size_t		  nopts;
};

struct cmd_ctx;

struct cmd_entry {
	const char		*name;
	const char		*sub;		/* NULL: no sub-command */
	const char		*usage;		/* arguments after the name */
	const char		*about;
	const struct opt_spec	*opts;		/* NULL-terminated, or NULL */
	int			 lower;		/* positional arguments */
	int			 upper;		/* -1: no limit */
	int			 flags;
	int			(*exec)(struct cmd_ctx *);
};

struct cmd_ctx {
	const struct cmd_entry	*entry;
	struct args		*args;
	struct client		*client;
	int			 json;
};

struct config {
	char	*url;
	char	*token;
	char	*cacert;
};

/* A text table; cells[0..ncols) is the header row.  Cells are owned. */
struct table {
	size_t	  ncols;
	size_t	  nrows;
	size_t	  cap;
	char	**cells;
};

/* Organisation names by id, fetched once each (GET /orgs/{id}). */
struct org_cache {
	json_int_t	*ids;
	char		**names;	/* NULL: not known */
	size_t		 n;
};

/* State of one "advisory tree" printout. */
struct tree {
	struct cmd_ctx		*ctx;
	struct org_cache	 orgs;
	json_t			*hops;
	char			*done;	/* hops already printed */
};

/* State of "inbox --follow", shared with the stream callbacks. */
struct follow {
	struct cmd_ctx	*ctx;
	int64_t		 max_events;	/* 0: no limit */
	int64_t		 nevents;
	int64_t		 deadline_us;	/* 0: none */
	int		 timed_out;
	int		 write_failed;	/* errno of the failed write, or 0 */
};

/* Set by SIGINT/SIGTERM while "inbox --follow" runs. */
static volatile sig_atomic_t got_signal;

/* Command line. */
static void	args_init(struct args *, int);
static void	args_fini(struct args *);
static int	args_parse(struct args *, int, char **, int *,
		    const struct opt_spec *, int);
static const struct opt_spec *opt_find(const struct opt_spec *,
		    const char *, size_t);
static const char *args_get(const struct args *, const char *);
static int	args_has(const struct args *, const char *);
static const struct cmd_entry *cmd_find(int, char **, int *);
static int	help_requested(int, char **);
static void	usage_all(FILE *);
static void	usage_entry(FILE *, const struct cmd_entry *);
static void	usage_one(FILE *, const struct cmd_entry *);
static void	usage_group(FILE *, const char *);
static int	usage_error(const struct cmd_entry *, const char *, ...)
		    CS_PRINTF(2, 3);

/* Configuration. */
static void	config_fini(struct config *);
static void	config_set(char **, const char *);
static int	config_load(struct config *, const struct args *);
static int	config_load_file(struct config *, const char *, int);
static char	*trim(char *);

/* Input. */
static int	parse_id(const struct cmd_entry *, const char *, const char *,
		    json_int_t *);
static int	add_id_list(const struct cmd_entry *, const char *,
		    const char *, json_t *);
static int	add_str_list(const char *, json_t *);
static int	load_json_file(const char *, json_t **);
static json_t	*form_body(json_t *);
static int	read_secret_line(char **);
static int	check_time(const struct cmd_entry *, const char *,
		    const char *);
static int	check_limit(const struct cmd_entry *, const char *);

/* Requests. */
static int	request(struct cmd_ctx *, const char *, const char *,
		    json_t *, json_t **);
static int	request_ex(struct cmd_ctx *, const char *, const char *,
		    json_t *, json_t **, struct client_error *);
static int	report_error(struct cmd_ctx *, const struct client_error *);
static int	fetch_items(struct cmd_ctx *, const char *, const char *, int,
		    json_t *, char **);

/* Output. */
static size_t	utf8_next(const unsigned char *, size_t, uint32_t *);
static int	in_ranges(uint32_t, const uint32_t (*)[2], size_t);
static int	cp_width(uint32_t);
static size_t	str_width(const char *);
static char	*safe_dup(const char *, int);
static char	*json_text(json_t *);
static char	*jfield(json_t *, const char *);
static json_t	*jpath(json_t *, const char *);
static json_t	*jfirst(json_t *, const char *const *);
static void	print_json(json_t *);
static void	print_labelled(const char *, size_t, json_t *);
static void	table_init(struct table *, const char *const *, size_t);
static void	table_add(struct table *, char **);
static void	table_print(struct table *, FILE *);
static void	table_fini(struct table *);

/* Advisory output. */
static char	*importance_text(json_t *);
static char	*importance_cell(json_t *);
static char	*tlp_text(json_t *);
static char	*time_text(json_t *, int);
static char	*secs_text(json_t *);
static char	*first_line(json_t *, size_t);
static char	*ack_cell(json_t *);
static void	print_text_field(const char *, size_t, json_t *);
static int	collect_ids(struct cmd_ctx *, const char *, const char *,
		    json_t **);
static int	take_number(const char **, int64_t *);
static void	explain_field(json_t *, const struct client_error *);
static void	org_cache_fini(struct org_cache *);
static const char *org_name(struct cmd_ctx *, struct org_cache *,
		    json_int_t);
static char	*org_label(struct cmd_ctx *, struct org_cache *, json_t *);
static int	advisory_path(struct cmd_ctx *, const char *, const char *,
		    char **);
static void	tree_hop(struct tree *, const char *, const char *, json_t *);
static void	tree_children(struct tree *, json_int_t, const char *, int);
static int	tree_received(json_t *, json_int_t);
static void	tree_name_orgs(struct tree *, json_t *);

/* inbox --follow. */
static void	on_signal(int);
static int	follow_cancel(void *);
static int	follow_sleep(struct follow *, long);
static int	follow_event(const struct sse_event *, void *);
static int	inbox_follow(struct cmd_ctx *);

/* Commands. */
static int	cmd_help(struct cmd_ctx *);
static int	cmd_version(struct cmd_ctx *);
static int	cmd_report_submit(struct cmd_ctx *);
static int	cmd_report_followup(struct cmd_ctx *);
static int	cmd_report_forward(struct cmd_ctx *);
static int	cmd_report_share(struct cmd_ctx *);
static int	cmd_report_show(struct cmd_ctx *);
static int	cmd_report_list(struct cmd_ctx *);
static int	cmd_get_json(struct cmd_ctx *);
static int	cmd_org_create(struct cmd_ctx *);
static int	cmd_org_list(struct cmd_ctx *);
static int	cmd_org_show(struct cmd_ctx *);
static int	cmd_user_create(struct cmd_ctx *);
static int	cmd_token_create(struct cmd_ctx *);
static int	cmd_audit(struct cmd_ctx *);
static int	cmd_audit_verify(struct cmd_ctx *);
static int	cmd_advisory_create(struct cmd_ctx *);
static int	cmd_advisory_followup(struct cmd_ctx *);
static int	cmd_advisory_approve(struct cmd_ctx *);
static int	cmd_advisory_relay(struct cmd_ctx *);
static int	cmd_advisory_ack(struct cmd_ctx *);
static int	cmd_advisory_show(struct cmd_ctx *);
static int	cmd_advisory_list(struct cmd_ctx *);
static int	cmd_advisory_tree(struct cmd_ctx *);
static int	cmd_inbox(struct cmd_ctx *);
static int	cmd_widening_request(struct cmd_ctx *);
static int	cmd_widening_list(struct cmd_ctx *);
static int	cmd_widening_decide(struct cmd_ctx *);
static int	cmd_channel_add(struct cmd_ctx *);
static int	cmd_channel_list(struct cmd_ctx *);
static int	cmd_notifications(struct cmd_ctx *);

static const struct opt_spec global_opts[] = {
	{ "url",		OPT_ARG },
	{ "token",		OPT_ARG },
	{ "config",		OPT_ARG },
	{ "cacert",		OPT_ARG },
	{ "json",		0 },
	{ "help",		0 },
	{ "version",		0 },
	{ NULL,			0 }
};

static const struct opt_spec submit_opts[] = {
	{ "route",		OPT_ARG },
	{ "legal-duty",		0 },
	{ "no-legal-duty",	0 },
	{ "extra",		OPT_ARG },
	{ NULL,			0 }
};

static const struct opt_spec report_list_opts[] = {
	{ "sector",		OPT_ARG },
	{ "event-type",		OPT_ARG },
	{ "since",		OPT_ARG },
	{ "q",			OPT_ARG },
	{ "limit",		OPT_ARG },
	{ "cursor",		OPT_ARG },
	{ "all",		0 },
	{ "anonymised",		0 },
	{ NULL,			0 }
};

static const struct opt_spec page_opts[] = {
	{ "limit",		OPT_ARG },
	{ "cursor",		OPT_ARG },
	{ "all",		0 },
	{ NULL,			0 }
};

static const struct opt_spec org_create_opts[] = {
	{ "sector",		OPT_ARG },
	{ "ceptoar",		OPT_ARG },
	{ NULL,			0 }
};

static const struct opt_spec user_create_opts[] = {
	{ "role",		OPT_ARG },
	{ "name",		OPT_ARG },
	{ "password",		OPT_ARG },
	{ "nda",		0 },
	{ NULL,			0 }
};

static const struct opt_spec token_create_opts[] = {
	{ "label",		OPT_ARG },
	{ NULL,			0 }
};

static const struct opt_spec audit_opts[] = {
	{ "since",		OPT_ARG },
	{ "limit",		OPT_ARG },
	{ "cursor",		OPT_ARG },
	{ "all",		0 },
	{ NULL,			0 }
};

static const struct opt_spec advisory_create_opts[] = {
	{ "urgent",		0 },
	{ "related",		OPT_ARG },
	{ "consented",		OPT_ARG },
	{ NULL,			0 }
};

static const struct opt_spec inbox_opts[] = {
	{ "unread",		0 },
	{ "unacknowledged",	0 },
	{ "limit",		OPT_ARG },
	{ "cursor",		OPT_ARG },
	{ "all",		0 },
	{ "follow",		0 },
	{ "max-events",		OPT_ARG },
	{ "timeout",		OPT_ARG },
	{ "last-event-id",	OPT_ARG },
	{ NULL,			0 }
};

static const struct opt_spec widening_request_opts[] = {
	{ "tlp",		OPT_ARG },
	{ "sector",		OPT_ARG },
	{ "reason",		OPT_ARG },
	{ NULL,			0 }
};

static const struct opt_spec channel_add_opts[] = {
	{ "user",		OPT_ARG },
	{ "org",		OPT_ARG },
	{ NULL,			0 }
};

static const struct opt_spec notifications_opts[] = {
	{ "status",		OPT_ARG },
	{ "limit",		OPT_ARG },
	{ "cursor",		OPT_ARG },
	{ "all",		0 },
	{ NULL,			0 }
};

static const struct cmd_entry cmd_table[] = {
	{ "report", "submit",
	  "FILE.json [--route direct|via_ceptoar|urgent] [--legal-duty]"
	  " [--extra ORGID,...]",
	  "Submit a first report (第1報).  FILE is the whole request body\n"
	  "or just the form; \"-\" reads standard input.",
	  submit_opts, 1, 1, 0, cmd_report_submit },
	{ "report", "followup", "ID FILE.json",
	  "Add a follow-up report (第k報) to report ID.",
	  NULL, 2, 2, 0, cmd_report_followup },
	{ "report", "forward", "ID [FILE.json]",
	  "Pass report ID on to the next hop, with an edited form if given.",
	  NULL, 1, 2, 0, cmd_report_forward },
	{ "report", "share", "ID ORGID [ORGID ...]",
	  "Share report ID with further organisations.",
	  NULL, 2, -1, 0, cmd_report_share },
	{ "report", "show", "ID",
	  "Show report ID with all its versions.",
	  NULL, 1, 1, 0, cmd_report_show },
	{ "report", "list",
	  "[--sector S] [--event-type E] [--since TIME] [--q TEXT]"
	  " [--limit N] [--cursor C] [--all] [--anonymised]",
	  "List the reports you may see; --all follows every page; "
	  "--anonymised lists the ones you filed through your CEPTOAR.",
	  report_list_opts, 0, 0, 0, cmd_report_list },
	{ "advisory", "create",
	  "FILE.json [--urgent] [--related ID,...] [--consented ID,...]",
	  "Issue an advisory (情報提供, NISC).  FILE is the whole request\n"
	  "body or just the form; \"-\" reads standard input.  --related\n"
	  "names the source reports, --consented those whose source agreed\n"
	  "to be named.",
	  advisory_create_opts, 1, 1, 0, cmd_advisory_create },
	{ "advisory", "followup", "ID FILE.json",
	  "Issue a follow-up (第k報) of advisory ID.",
	  NULL, 2, 2, 0, cmd_advisory_followup },
	{ "advisory", "approve", "ID",
	  "Approve a pending advisory (a second NISC approver).",
	  NULL, 1, 1, 0, cmd_advisory_approve },
	{ "advisory", "relay", "ID ORGID [ORGID ...]",
	  "Relay advisory ID on to further organisations.",
	  NULL, 2, -1, 0, cmd_advisory_relay },
	{ "advisory", "ack", "ID",
	  "Acknowledge receipt of advisory ID for your organisation.",
	  NULL, 1, 1, 0, cmd_advisory_ack },
	{ "advisory", "show", "ID",
	  "Show advisory ID (and mark it read for your organisation).",
	  NULL, 1, 1, 0, cmd_advisory_show },
	{ "advisory", "list", "[--limit N] [--cursor C] [--all]",
	  "List advisories: NISC sees all, others their inbox.",
	  page_opts, 0, 0, 0, cmd_advisory_list },
	{ "advisory", "tree", "ID",
	  "Show who received advisory ID from whom, when each hop read and\n"
	  "acknowledged it, and who has not acknowledged yet.",
	  NULL, 1, 1, 0, cmd_advisory_tree },
	{ "inbox", NULL,
	  "[--unread | --unacknowledged] [--limit N] [--cursor C] [--all]",
	  "List the advisories delivered to your organisation.",
	  inbox_opts, 0, 0, 0, cmd_inbox },
	{ "inbox", NULL,
	  "--follow [--max-events N] [--timeout SECONDS]"
	  " [--last-event-id ID]",
	  "Print each new inbox event as it comes (--json: its data as one\n"
	  "JSON line); reconnects by itself; Ctrl-C ends it.",
	  inbox_opts, 0, 0, 0, cmd_inbox },
	{ "widening", "request",
	  "REPORT --tlp T [--sector S]... [--reason TEXT]",
	  "Ask the source of report REPORT to allow a wider TLP or more\n"
	  "sectors (NISC).",
	  widening_request_opts, 1, 1, 0, cmd_widening_request },
	{ "widening", "list", "[--limit N] [--cursor C] [--all]",
	  "List the widening requests you may see.",
	  page_opts, 0, 0, 0, cmd_widening_list },
	{ "widening", "approve", "ID",
	  "Allow widening request ID (the report's source).",
	  NULL, 1, 1, 0, cmd_widening_decide },
	{ "widening", "refuse", "ID",
	  "Refuse widening request ID (the report's source).",
	  NULL, 1, 1, 0, cmd_widening_decide },
	{ "me", NULL, "",
	  "Show your user, organisation and roles.",
	  NULL, 0, 0, 0, cmd_get_json },
	{ "sectors", NULL, "",
	  "Show the sectors reference data.",
	  NULL, 0, 0, 0, cmd_get_json },
	{ "taxonomy", NULL, "",
	  "Show the event and cause taxonomy.",
	  NULL, 0, 0, 0, cmd_get_json },
	{ "org", "create", "NAME TYPE [--sector S]... [--ceptoar ORGID]",
	  "Create an organisation (admin); TYPE is an actor type id.",
	  org_create_opts, 2, 2, 0, cmd_org_create },
	{ "org", "list", "[--limit N] [--cursor C] [--all]",
	  "List organisations.",
	  page_opts, 0, 0, 0, cmd_org_list },
	{ "org", "show", "ORGID",
	  "Show one organisation.",
	  NULL, 1, 1, 0, cmd_org_show },
	{ "user", "create",
	  "ORGID LOGIN --role R[,R...] [--name NAME] [--password P|-] [--nda]",
	  "Create a user (admin).  --password - reads it from standard input.",
	  user_create_opts, 2, 2, 0, cmd_user_create },
	{ "token", "create", "USERID [--label L]",
	  "Create an API token for a user; it is printed once.",
	  token_create_opts, 1, 1, 0, cmd_token_create },
	{ "channel", "add", "email|webhook TARGET [--user ID] [--org ID]",
	  "Add a notification channel; a webhook's secret is printed once.",
	  channel_add_opts, 2, 2, 0, cmd_channel_add },
	{ "channel", "list", "",
	  "List the notification channels you manage.",
	  NULL, 0, 0, 0, cmd_channel_list },
	{ "notifications", NULL,
	  "[--status failed|pending|sent] [--limit N] [--cursor C] [--all]",
	  "List queued and sent notifications (org_admin, admin).",
	  notifications_opts, 0, 0, 0, cmd_notifications },
	{ "audit", NULL, "[--since TIME] [--limit N] [--cursor C] [--all]",
	  "Show the audit log (admin, NISC).",
	  audit_opts, 0, 0, 0, cmd_audit },
	{ "audit", "verify", "",
	  "Check the audit log's hash chain; exit 1 if it is broken.",
	  NULL, 0, 0, 0, cmd_audit_verify },
	{ "help", NULL, "[COMMAND [SUBCOMMAND]]",
	  "Show usage.",
	  NULL, 0, 2, CMD_LOCAL, cmd_help },
	{ "version", NULL, "",
	  "Show the version.",
	  NULL, 0, 0, CMD_LOCAL, cmd_version }
};

#define NCMDS	nitems(cmd_table)

/*
 * East Asian Wide and Fullwidth ranges (after Unicode's EastAsianWidth.txt,
 * coarsened), sorted: these take two terminal columns.
 */
static const uint32_t wide_ranges[][2] = {
	{ 0x1100, 0x115f },	/* Hangul Jamo initials */
	{ 0x231a, 0x231b },
	{ 0x2329, 0x232a },
	{ 0x2e80, 0x303e },	/* CJK radicals, symbols, punctuation */
	{ 0x3041, 0x33ff },	/* kana, Bopomofo, CJK compatibility */
	{ 0x3400, 0x4dbf },	/* CJK extension A */
	{ 0x4e00, 0x9fff },	/* CJK unified ideographs */
	{ 0xa000, 0xa4cf },	/* Yi */
	{ 0xa960, 0xa97f },
	{ 0xac00, 0xd7a3 },	/* Hangul syllables */
	{ 0xf900, 0xfaff },	/* CJK compatibility ideographs */
	{ 0xfe10, 0xfe19 },	/* vertical forms */
	{ 0xfe30, 0xfe6f },	/* CJK compatibility and small forms */
	{ 0xff00, 0xff60 },	/* fullwidth ASCII: Ｒ１ */
	{ 0xffe0, 0xffe6 },
	{ 0x1f300, 0x1f64f },	/* pictographs, emoticons */
	{ 0x1f900, 0x1f9ff },
	{ 0x20000, 0x2fffd },	/* CJK extensions B.. */
	{ 0x30000, 0x3fffd }
};

/* Combining and zero-width code points: no column of their own. */
static const uint32_t zero_ranges[][2] = {
	{ 0x0300, 0x036f },
	{ 0x1ab0, 0x1aff },
	{ 0x1dc0, 0x1dff },
	{ 0x200b, 0x200f },
	{ 0x20d0, 0x20ff },
	{ 0x3099, 0x309a },	/* combining (semi-)voiced marks */
	{ 0xfe00, 0xfe0f },	/* variation selectors */
	{ 0xfe20, 0xfe2f },
	{ 0xe0100, 0xe01ef }
};

/* ---- command line ------------------------------------------------- */

static void
args_init(struct args *a, int argc)
{
	a->pos = xcalloc((size_t)argc + 1, sizeof(*a->pos));
	a->npos = 0;
	a->opts = xcalloc((size_t)argc + 1, sizeof(*a->opts));
	a->nopts = 0;
}

static void
args_fini(struct args *a)
{
	free(a->pos);
	free(a->opts);
	a->pos = NULL;
	a->opts = NULL;
}

static const struct opt_spec *
opt_find(const struct opt_spec *specs, const char *name, size_t len)
{
	const struct opt_spec *o;

	if (specs == NULL)
		return NULL;
	for (o = specs; o->name != NULL; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

/*
 * Parses argv from *ip on: "--name", "--name=value", "--name value" and
 * "-h" against the global options and cmdopts; "--" ends the options.
 * With stop set, stops at the first positional argument (leaving *ip on
 * it); otherwise positional arguments are collected in order.  Prints the
 * reason and returns -1 on an unknown option or a missing value.
 */
static int
args_parse(struct args *a, int argc, char **argv, int *ip,
    const struct opt_spec *cmdopts, int stop)
{
	const struct opt_spec *o;
	const char *arg, *name, *eq, *value;
	size_t len;
	int i, rest = 0;

	for (i = *ip; i < argc; i++) {
		arg = argv[i];
		if (rest || arg[0] != '-' || arg[1] == '\0') {
			if (stop)
				break;
			a->pos[a->npos++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			if (stop) {
				i++;
				break;
			}
			rest = 1;
			continue;
		}
		if (strcmp(arg, "-h") == 0) {
			a->opts[a->nopts].name = "help";
			a->opts[a->nopts++].value = NULL;
			continue;
		}
		if (arg[1] != '-') {
			fprintf(stderr, "cishare: unknown option: %s\n", arg);
			return -1;
		}
		name = arg + 2;
		eq = strchr(name, '=');
		len = eq != NULL ? (size_t)(eq - name) : strlen(name);
		if ((o = opt_find(global_opts, name, len)) == NULL &&
		    (o = opt_find(cmdopts, name, len)) == NULL) {
			fprintf(stderr, "cishare: unknown option: --%.*s\n",
			    (int)len, name);
			return -1;
		}
		value = NULL;
		if (o->flags & OPT_ARG) {
			if (eq != NULL)
				value = eq + 1;
			else if (i + 1 < argc)
				value = argv[++i];
			else {
				fprintf(stderr,
				    "cishare: option --%s needs a value\n",
				    o->name);
				return -1;
			}
		} else if (eq != NULL) {
			fprintf(stderr, "cishare: option --%s takes no value\n",
			    o->name);
			return -1;
		}
		a->opts[a->nopts].name = o->name;
		a->opts[a->nopts++].value = value;
	}
	*ip = i;
	return 0;
}

/* The last value given for name, or NULL. */
static const char *
args_get(const struct args *a, const char *name)
{
	size_t i;

	for (i = a->nopts; i > 0; i--)
		if (strcmp(a->opts[i - 1].name, name) == 0)
			return a->opts[i - 1].value;
	return NULL;
}

static int
args_has(const struct args *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->nopts; i++)
		if (strcmp(a->opts[i].name, name) == 0)
			return 1;
	return 0;
}

/*
 * Finds the entry for the words in argv ("report list", "audit verify",
 * "me") and sets *used to the number of words it took.  Returns NULL and
 * sets *used to 0 if the first word is unknown, or to 1 if it names a
 * command group whose sub-command is missing or unknown.
 */
static const struct cmd_entry *
cmd_find(int argc, char **argv, int *used)
{
	const struct cmd_entry *plain = NULL;
	size_t i;
	int known = 0;

	*used = 0;
	for (i = 0; i < NCMDS; i++) {
		if (strcmp(cmd_table[i].name, argv[0]) != 0)
			continue;
		known = 1;
		if (cmd_table[i].sub == NULL)
			plain = &cmd_table[i];
		else if (argc > 1 && strcmp(cmd_table[i].sub, argv[1]) == 0) {
			*used = 2;
			return &cmd_table[i];
		}
	}
	if (plain != NULL) {
		*used = 1;
		return plain;
	}
	*used = known;
	return NULL;
}

static int
help_requested(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}

/* The usage of e and of any other form of the same command. */
static void
usage_entry(FILE *f, const struct cmd_entry *e)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (strcmp(cmd_table[i].name, e->name) == 0 &&
		    (cmd_table[i].sub == NULL ? e->sub == NULL :
		    e->sub != NULL && strcmp(cmd_table[i].sub, e->sub) == 0))
			usage_one(f, &cmd_table[i]);
}

static void
usage_one(FILE *f, const struct cmd_entry *e)
{
	const char *p, *nl;

	fprintf(f, "  cishare %s%s%s%s%s\n", e->name,
	    e->sub != NULL ? " " : "", e->sub != NULL ? e->sub : "",
	    *e->usage != '\0' ? " " : "", e->usage);
	for (p = e->about; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL) {
			fprintf(f, "      %s\n", p);
			break;
		}
		fprintf(f, "      %.*s\n", (int)(nl - p), p);
	}
}

static void
usage_group(FILE *f, const char *name)
{
	size_t i;

	fprintf(f, "usage:\n");
	for (i = 0; i < NCMDS; i++)
		if (strcmp(cmd_table[i].name, name) == 0)
			usage_one(f, &cmd_table[i]);
}

static void
usage_all(FILE *f)
{
	size_t i;

	fprintf(f,
	    "usage: cishare [--url URL] [--token TOKEN] [--config FILE]"
	    " [--cacert FILE] [--json]\n"
	    "               COMMAND [ARGS]\n"
	    "       cishare --help | --version\n"
	    "\n"
	    "The server URL and token come from the config file (--config,\n"
	    "$CISHARE_CONFIG or ~/.config/cishare/config: \"url = ...\",\n"
	    "\"token = ...\"), then $CISHARE_URL and $CISHARE_TOKEN, then\n"
	    "--url and --token; later ones win.  Default URL: "
	    DEFAULT_URL ".\n"
	    "--json prints the server's JSON instead of text.\n"
	    "\n"
	    "commands:\n");
	for (i = 0; i < NCMDS; i++)
		usage_one(f, &cmd_table[i]);
	fprintf(f,
	    "\n"
	    "Exit status: 0 success, 1 refused by the server or bad input,\n"
	    "2 no usable answer from the server, 64 usage or configuration "
	    "error.\n");
}

/* Prints "cishare: <reason>" and the entry's usage; returns EXIT_USAGE. */
static int
usage_error(const struct cmd_entry *e, const char *fmt, ...)
{
	va_list ap;

	fputs("cishare: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (e != NULL) {
		fprintf(stderr, "usage:\n");
		usage_entry(stderr, e);
	}
	return EXIT_USAGE;
}

/* ---- configuration ------------------------------------------------ */

static void
config_fini(struct config *cfg)
{
	free(cfg->url);
	if (cfg->token != NULL) {
		memset(cfg->token, 0, strlen(cfg->token));
		free(cfg->token);
	}
	free(cfg->cacert);
	memset(cfg, 0, sizeof(*cfg));
}

static void
config_set(char **slot, const char *value)
{
	if (*slot != NULL) {
		memset(*slot, 0, strlen(*slot));
		free(*slot);
	}
	*slot = xstrdup(value);
}

static char *
trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/*
 * Reads "key = value" lines (url, token, cacert) from path; '#' starts a
 * comment line, a value may be in double quotes.  A missing file is an
 * error only if it was named explicitly.  Returns 0 or -1 (printed).
 */
static int
config_load_file(struct config *cfg, const char *path, int must_exist)
{
	struct stat st;
	FILE *f = NULL;
	char *line = NULL, *p, *key, *value, *eq;
	size_t cap = 0, n;
	ssize_t len;
	long lineno = 0;
	int rc = -1, has_token = 0;

	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT && !must_exist)
			rc = 0;
		else
			fprintf(stderr, "cishare: cannot open config %s: %s\n",
			    path, strerror(errno));
		goto out;
	}
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "cishare: config %s is not a regular file\n",
		    path);
		goto out;
	}
	if (st.st_size > MAX_CONFIG_SIZE) {
		fprintf(stderr, "cishare: config %s is larger than %d bytes\n",
		    path, MAX_CONFIG_SIZE);
		goto out;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (memchr(line, '\0', (size_t)len) != NULL) {
			fprintf(stderr, "cishare: %s:%ld: NUL byte\n", path,
			    lineno);
			goto out;
		}
		p = trim(line);
		if (*p == '\0' || *p == '#')
			continue;
		if ((eq = strchr(p, '=')) == NULL) {
			fprintf(stderr, "cishare: %s:%ld: expected"
			    " \"key = value\"\n", path, lineno);
			goto out;
		}
		*eq = '\0';
		key = trim(p);
		value = trim(eq + 1);
		n = strlen(value);
		if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
			value[n - 1] = '\0';
			value++;
		}
		if (strcmp(key, "url") == 0)
			config_set(&cfg->url, value);
		else if (strcmp(key, "token") == 0) {
			config_set(&cfg->token, value);
			has_token = 1;
		} else if (strcmp(key, "cacert") == 0)
			config_set(&cfg->cacert, value);
		else
			fprintf(stderr, "cishare: %s:%ld: warning: unknown key"
			    " \"%s\" ignored\n", path, lineno, key);
	}
	if (ferror(f)) {
		fprintf(stderr, "cishare: cannot read config %s\n", path);
		goto out;
	}
	if (has_token && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		fprintf(stderr, "cishare: warning: %s holds a token but is"
		    " readable by others; chmod 600 it\n", path);
	rc = 0;
out:
	if (line != NULL) {
		memset(line, 0, cap);
		free(line);
	}
	if (f != NULL)
		fclose(f);
	return rc;
}

/* Builds the effective configuration: file < environment < flags. */
static int
config_load(struct config *cfg, const struct args *a)
{
	const char *path, *v, *home;
	char *deflt = NULL;
	int rc = -1, must = 1;

	if ((path = args_get(a, "config")) == NULL &&
	    ((path = getenv("CISHARE_CONFIG")) == NULL || *path == '\0')) {
		must = 0;
		if ((v = getenv("XDG_CONFIG_HOME")) != NULL && *v == '/')
			deflt = xasprintf("%s/cishare/config", v);
		else if ((home = getenv("HOME")) != NULL && *home != '\0')
			deflt = xasprintf("%s/.config/cishare/config", home);
		path = deflt;
	}
	if (path != NULL && config_load_file(cfg, path, must) == -1)
		goto out;

	if ((v = getenv("CISHARE_URL")) != NULL && *v != '\0')
		config_set(&cfg->url, v);
	if ((v = getenv("CISHARE_TOKEN")) != NULL && *v != '\0')
		config_set(&cfg->token, v);
	if ((v = getenv("CISHARE_CACERT")) != NULL && *v != '\0')
		config_set(&cfg->cacert, v);

	if ((v = args_get(a, "url")) != NULL)
		config_set(&cfg->url, v);
	if ((v = args_get(a, "token")) != NULL)
		config_set(&cfg->token, v);
	if ((v = args_get(a, "cacert")) != NULL)
		config_set(&cfg->cacert, v);

	if (cfg->url == NULL)
		cfg->url = xstrdup(DEFAULT_URL);
	if (cfg->token != NULL && *cfg->token == '\0') {
		free(cfg->token);
		cfg->token = NULL;
	}
	rc = 0;
out:
	free(deflt);
	return rc;
}

/* ---- input -------------------------------------------------------- */

static int
parse_id(const struct cmd_entry *e, const char *what, const char *s,
    json_int_t *out)
{
	int64_t v;

	if (cs_str_to_i64(s, 1, INT64_MAX, &v) != CS_OK) {
		(void)usage_error(e, "invalid %s \"%s\": expected a positive"
		    " integer", what, s);
		return -1;
	}
	*out = (json_int_t)v;
	return 0;
}

/* Appends the integers of a comma-separated list to arr. */
static int
add_id_list(const struct cmd_entry *e, const char *what, const char *list,
    json_t *arr)
{
	const char *p, *comma;
	char *one;
	json_int_t id;
	int rc;

	for (p = list;; p = comma + 1) {
		comma = strchr(p, ',');
		one = comma != NULL ? xstrndup(p, (size_t)(comma - p)) :
		    xstrdup(p);
		rc = parse_id(e, what, one, &id);
		free(one);
		if (rc == -1)
			return -1;
		(void)json_array_append_new(arr, json_integer(id));
		if (comma == NULL)
			return 0;
	}
}

/* Appends the non-empty items of a comma-separated list to arr. */
static int
add_str_list(const char *list, json_t *arr)
{
	const char *p, *comma;
	size_t n;

	for (p = list;; p = comma + 1) {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (n == 0)
			return -1;
		(void)json_array_append_new(arr, json_stringn(p, n));
		if (comma == NULL)
			return 0;
	}
}

/*
 * Loads a JSON object from path ("-": standard input), rejecting duplicate
 * keys.  Returns 0 with a new reference in *out, or EXIT_FAIL (printed).
 */
static int
load_json_file(const char *path, json_t **out)
{
	json_error_t jerr;
	json_t *v;

	*out = NULL;
	if (strcmp(path, "-") == 0)
		v = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
	else
		v = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (v == NULL) {
		if (jerr.line > 0)
			fprintf(stderr, "cishare: %s:%d:%d: %s\n", path,
			    jerr.line, jerr.column, jerr.text);
		else
			fprintf(stderr, "cishare: %s: %s\n", path, jerr.text);
		return EXIT_FAIL;
	}
	if (!json_is_object(v)) {
		fprintf(stderr, "cishare: %s: expected a JSON object\n", path);
		json_decref(v);
		return EXIT_FAIL;
	}
	*out = v;
	return 0;
}

/*
 * Takes a loaded file that is either a request body with a "form" object
 * or the form itself, and returns the body (steals file).
 */
static json_t *
form_body(json_t *file)
{
	json_t *body;

	if (json_is_object(json_object_get(file, "form")))
		return file;
	body = json_object();
	(void)json_object_set_new(body, "form", file);
	return body;
}

/* Reads one line from standard input into *out (caller frees). */
static int
read_secret_line(char **out)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	*out = NULL;
	if ((len = getline(&line, &cap, stdin)) == -1) {
		free(line);
		fprintf(stderr, "cishare: no password on standard input\n");
		return -1;
	}
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	*out = line;
	return 0;
}

static int
check_time(const struct cmd_entry *e, const char *opt, const char *v)
{
	int64_t us;

	if (v != NULL && cs_time_parse(v, &us) != CS_OK) {
		(void)usage_error(e, "--%s: \"%s\" is not an RFC 3339 time"
		    " with offset (2026-11-21T13:15:00+09:00)", opt, v);
		return -1;
	}
	return 0;
}

static int
check_limit(const struct cmd_entry *e, const char *v)
{
	int64_t n;

	if (v != NULL && cs_str_to_i64(v, 1, MAX_LIST_LIMIT, &n) != CS_OK) {
		(void)usage_error(e, "--limit: expected 1 to %d, not \"%s\"",
		    MAX_LIST_LIMIT, v);
		return -1;
	}
	return 0;
}

/* ---- requests ----------------------------------------------------- */

/*
 * Sends one request; on success *out holds the answer (may be NULL) and 0
 * is returned.  Otherwise prints the error and returns the exit status.
 */
static int
request(struct cmd_ctx *ctx, const char *method, const char *path,
    json_t *body, json_t **out)
{
	struct client_error e;

	return request_ex(ctx, method, path, body, out, &e);
}

/* request(), also handing back the error detail in *e. */
static int
request_ex(struct cmd_ctx *ctx, const char *method, const char *path,
    json_t *body, json_t **out, struct client_error *e)
{
	if (client_request(ctx->client, method, path, body, out, e) ==
	    CLIENT_OK)
		return 0;
	return report_error(ctx, e);
}

/* Prints a failed request's error; returns the exit status for it. */
static int
report_error(struct cmd_ctx *ctx, const struct client_error *e)
{
	char *msg = NULL, *field = NULL;
	int rc = 0;

	switch (e->status) {
	case CLIENT_OK:
		break;
	case CLIENT_ENET:
		msg = safe_dup(e->message, 1);
		fprintf(stderr, "cishare: %s\n", msg);
		rc = EXIT_NET;
		break;
	case CLIENT_EPROTO:
		msg = safe_dup(e->message, 1);
		fprintf(stderr, "cishare: error: %s (HTTP %ld)\n", msg,
		    e->http_status);
		rc = EXIT_FAIL;
		break;
	case CLIENT_EHTTP:
		msg = safe_dup(e->message, 1);
		if (e->field[0] != '\0') {
			field = safe_dup(e->field, 1);
			fprintf(stderr, "cishare: error: %s (field: %s, HTTP"
			    " %ld)\n", msg, field, e->http_status);
		} else
			fprintf(stderr, "cishare: error: %s (HTTP %ld)\n", msg,
			    e->http_status);
		if (e->http_status == 401 && !client_has_token(ctx->client))
			fprintf(stderr, "cishare: no token configured: set"
			    " CISHARE_TOKEN or \"token\" in the config file\n");
		rc = EXIT_FAIL;
		break;
	}
	free(msg);
	free(field);
	return rc;
}

/*
 * GETs path + query (query is "" or "?a=b&..."), starting at cursor if
 * not NULL, and appends the "items" of each page to items; with all set,
 * follows next_cursor to the end.  A bare JSON array answer is taken as
 * the complete list.  *next receives the unfollowed next_cursor (or NULL).
 * Returns 0 or the exit status (printed).
 */
static int
fetch_items(struct cmd_ctx *ctx, const char *path, const char *cursor,
    int all, json_t *items, char **next)
{
	struct cs_buf url;
	json_t *res = NULL, *page, *nc;
	char *cur = NULL, *u;
	size_t pages = 0;
	int rc = EXIT_FAIL;

	*next = NULL;
	if (cursor != NULL)
		cur = xstrdup(cursor);
	for (;;) {
		cs_buf_init(&url, CLIENT_MAX_PATH);
		(void)cs_buf_adds(&url, path);
		(void)client_query_add(ctx->client, &url, "cursor", cur);
		if ((u = cs_buf_finish(&url)) == NULL) {
			fprintf(stderr, "cishare: query is too long\n");
			goto out;
		}
		rc = request(ctx, "GET", u, NULL, &res);
		free(u);
		if (rc != 0)
			goto out;
		rc = EXIT_FAIL;
		if (json_is_array(res)) {
			(void)json_array_extend(items, res);
			free(cur);
			cur = NULL;
			break;
		}
		page = json_object_get(res, "items");
		if (!json_is_array(page)) {
			fprintf(stderr, "cishare: error: answer has no"
			    " \"items\" list\n");
			goto out;
		}
		(void)json_array_extend(items, page);
		nc = json_object_get(res, "next_cursor");
		if (!json_is_string(nc) || json_string_length(nc) == 0) {
			free(cur);
			cur = NULL;
			break;
		}
		if (cur != NULL && strcmp(cur, json_string_value(nc)) == 0) {
			fprintf(stderr, "cishare: error: server repeated"
			    " cursor; stopping\n");
			goto out;
		}
		free(cur);
		cur = xstrdup(json_string_value(nc));
		json_decref(res);
		res = NULL;
		if (!all)
			break;
		if (++pages >= MAX_PAGES) {
			fprintf(stderr, "cishare: error: more than %d pages;"
			    " stopping\n", MAX_PAGES);
			goto out;
		}
	}
	*next = cur;
	cur = NULL;
	rc = 0;
out:
	json_decref(res);
	free(cur);
	return rc;
}

/* ---- output ------------------------------------------------------- */

/*
 * Decodes one UTF-8 sequence of at most n bytes at p into *cp and returns
 * its length; an invalid, overlong or surrogate sequence gives U+FFFD and
 * length 1.
 */
static size_t
utf8_next(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c, min;
	size_t len, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		c = p[0] & 0x1f;
		len = 2;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		c = p[0] & 0x0f;
		len = 3;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		c = p[0] & 0x07;
		len = 4;
		min = 0x10000;
	} else
		goto bad;
	if (len > n)
		goto bad;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return len;
bad:
	*cp = 0xfffd;
	return 1;
}

static int
in_ranges(uint32_t cp, const uint32_t (*r)[2], size_t n)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cp < r[mid][0])
			hi = mid;
		else if (cp > r[mid][1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* Terminal columns taken by cp (a small wcwidth(3) without locales). */
static int
cp_width(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	if (in_ranges(cp, zero_ranges, nitems(zero_ranges)))
		return 0;
	if (in_ranges(cp, wide_ranges, nitems(wide_ranges)))
		return 2;
	return 1;
}

static size_t
str_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), w = 0, len;
	uint32_t cp;

	while (n > 0) {
		len = utf8_next(p, n, &cp);
		w += (size_t)cp_width(cp);
		p += len;
		n -= len;
	}
	return w;
}

/*
 * Copies s for printing: control characters (C0, DEL, C1), bidirectional
 * overrides and invalid UTF-8 become '?'; tabs and carriage returns
 * become spaces, and so do newlines when oneline is set.
 */
static char *
safe_dup(const char *s, int oneline)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;
	char *out, *o;
	uint32_t cp;

	o = out = xmalloc(n + 1);
	while (n > 0) {
		len = utf8_next(p, n, &cp);
		if (cp == '\n' && !oneline)
			*o++ = '\n';
		else if (cp == '\t' || cp == '\r' || cp == '\n')
			*o++ = ' ';
		else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
		    (cp == 0xfffd && len == 1) || cp == 0x061c ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			*o++ = '?';
		else {
			memcpy(o, p, len);
			o += len;
		}
		p += len;
		n -= len;
	}
	*o = '\0';
	return out;
}

/*
 * A JSON value as one safe line: "-" for missing, null or "", numbers and
 * booleans as written, arrays joined with commas, objects as compact JSON.
 * The caller frees the result.
 */
static char *
json_text(json_t *v)
{
	struct cs_buf b;
	char *s, *t;
	size_t i;

	if (v == NULL)
		return xstrdup("-");
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (json_string_length(v) == 0)
			break;
		return safe_dup(json_string_value(v), 1);
	case JSON_INTEGER:
		return xasprintf("%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	case JSON_REAL:
		return xasprintf("%g", json_real_value(v));
	case JSON_TRUE:
		return xstrdup("true");
	case JSON_FALSE:
		return xstrdup("false");
	case JSON_ARRAY:
		if (json_array_size(v) == 0)
			break;
		cs_buf_init(&b, CLIENT_MAX_RESPONSE);
		for (i = 0; i < json_array_size(v); i++) {
			t = json_text(json_array_get(v, i));
			(void)cs_buf_printf(&b, "%s%s", i > 0 ? "," : "", t);
			free(t);
		}
		if ((s = cs_buf_finish(&b)) != NULL)
			return s;
		break;
	case JSON_OBJECT:
		if ((t = json_dumps(v, JSON_COMPACT)) == NULL)
			break;
		s = safe_dup(t, 1);
		free(t);
		return s;
	case JSON_NULL:
		break;
	}
	return xstrdup("-");
}

static char *
jfield(json_t *obj, const char *key)
{
	return json_text(json_object_get(obj, key));
}

/*
 * Walks a dotted path of object keys and array indices
 * ("form.overview.event_summary", "form.recipients.1.sector").
 */
static json_t *
jpath(json_t *v, const char *path)
{
	const char *p, *dot;
	char *key;
	int64_t idx;

	for (p = path; v != NULL; p = dot + 1) {
		dot = strchr(p, '.');
		key = dot != NULL ? xstrndup(p, (size_t)(dot - p)) :
		    xstrdup(p);
		if (json_is_array(v))
			v = cs_str_to_i64(key, 0, INT64_MAX, &idx) == CS_OK ?
			    json_array_get(v, (size_t)idx) : NULL;
		else
			v = json_object_get(v, key);
		free(key);
		if (dot == NULL)
			break;
	}
	return v;
}

/* The first present, non-null value among NULL-terminated key paths. */
static json_t *
jfirst(json_t *obj, const char *const *paths)
{
	json_t *v;

	for (; *paths != NULL; paths++)
		if ((v = jpath(obj, *paths)) != NULL && !json_is_null(v))
			return v;
	return NULL;
}

static void
print_json(json_t *v)
{
	if (v == NULL)
		return;
	(void)json_dumpf(v, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
}

/* Prints "label  value" with the value column at width. */
static void
print_labelled(const char *label, size_t width, json_t *v)
{
	char *s;

	s = json_text(v);
	printf("%-*s  %s\n", (int)width, label, s);
	free(s);
}

static void
table_init(struct table *t, const char *const *headers, size_t ncols)
{
	size_t i;

	t->ncols = ncols;
	t->nrows = 1;
	t->cap = 16;
	t->cells = xreallocarray(NULL, t->cap, ncols * sizeof(char *));
	for (i = 0; i < ncols; i++)
		t->cells[i] = xstrdup(headers[i]);
}

/* Adds a row of ncols strings, taking ownership of them. */
static void
table_add(struct table *t, char **row)
{
	size_t i;

	if (t->nrows == t->cap) {
		t->cap *= 2;
		t->cells = xreallocarray(t->cells, t->cap,
		    t->ncols * sizeof(char *));
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = row[i];
	t->nrows++;
}

/* Prints the table with each column as wide as its widest cell. */
static void
table_print(struct table *t, FILE *f)
{
	size_t *width, r, c, w;
	const char *cell;

	width = xcalloc(t->ncols, sizeof(*width));
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			w = str_width(t->cells[r * t->ncols + c]);
			if (w > width[c])
				width[c] = w;
		}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			cell = t->cells[r * t->ncols + c];
			fputs(cell, f);
			if (c + 1 == t->ncols)
				break;
			for (w = str_width(cell); w < width[c] + 2; w++)
				fputc(' ', f);
		}
		fputc('\n', f);
	}
	free(width);
}

static void
table_fini(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
}

/* ---- commands ----------------------------------------------------- */

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
		usage_entry(stdout, e);
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

static int
cmd_report_submit(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *file = NULL, *body = NULL, *res = NULL, *extra = NULL;
	const char *route;
	char *id = NULL, *ver = NULL, *state = NULL;
	size_t i;
	int rc;

	route = args_get(a, "route");
	if (route != NULL && strcmp(route, "direct") != 0 &&
	    strcmp(route, "via_ceptoar") != 0 && strcmp(route, "urgent") != 0) {
		rc = usage_error(ctx->entry, "--route must be direct,"
		    " via_ceptoar or urgent, not \"%s\"", route);
		goto out;
	}
	if (args_has(a, "legal-duty") && args_has(a, "no-legal-duty")) {
		rc = usage_error(ctx->entry, "--legal-duty and"
		    " --no-legal-duty contradict each other");
		goto out;
	}
	if (args_has(a, "extra")) {
		extra = json_array();
		for (i = 0; i < a->nopts; i++) {
			if (strcmp(a->opts[i].name, "extra") != 0)
				continue;
			if (add_id_list(ctx->entry, "--extra organisation id",
			    a->opts[i].value, extra) == -1) {
				rc = EXIT_USAGE;
				goto out;
			}
		}
	}
	if ((rc = load_json_file(a->pos[0], &file)) != 0)
		goto out;
	body = form_body(file);
	file = NULL;

	if (route != NULL)
		(void)json_object_set_new(body, "route", json_string(route));
	else if (json_object_get(body, "route") == NULL)
		(void)json_object_set_new(body, "route",
		    json_string("direct"));
	if (args_has(a, "legal-duty"))
		(void)json_object_set_new(body, "legal_duty", json_true());
	else if (args_has(a, "no-legal-duty") ||
	    json_object_get(body, "legal_duty") == NULL)
		(void)json_object_set_new(body, "legal_duty", json_false());
	if (extra != NULL) {
		(void)json_object_set_new(body, "extra_recipients", extra);
		extra = NULL;
	}

	if ((rc = request(ctx, "POST", "/reports", body, &res)) != 0)
		goto out;
	if (ctx->json)
		print_json(res);
	else {
		id = jfield(res, "id");
		ver = jfield(res, "version");
		state = jfield(res, "state");
		printf("report %s version %s state %s\n", id, ver, state);
	}
out:
	free(id);
	free(ver);
	free(state);
	json_decref(extra);
	json_decref(file);
	json_decref(body);
	json_decref(res);
	return rc;
}

static int
cmd_report_followup(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *file = NULL, *body = NULL, *res = NULL;
	json_int_t rid;
	char *path = NULL, *id = NULL, *ver = NULL;
	int rc;

	if (parse_id(ctx->entry, "report id", a->pos[0], &rid) == -1)
		return EXIT_USAGE;
	if ((rc = load_json_file(a->pos[1], &file)) != 0)
		goto out;
	body = form_body(file);
	file = NULL;
	path = xasprintf("/reports/%" JSON_INTEGER_FORMAT "/followups", rid);
	if ((rc = request(ctx, "POST", path, body, &res)) != 0)
		goto out;
	if (ctx->json)
		print_json(res);
	else {
		id = jfield(res, "id");
		ver = jfield(res, "version");
		printf("report %s version %s\n", id, ver);
	}
out:
	free(path);
	free(id);
	free(ver);
	json_decref(body);
	json_decref(res);
	return rc;
}

static int
cmd_report_forward(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *file = NULL, *body = NULL, *res = NULL;
	json_int_t rid;
	char *path = NULL, *id = NULL, *state = NULL, *ident = NULL;
	int rc;

	if (parse_id(ctx->entry, "report id", a->pos[0], &rid) == -1)
		return EXIT_USAGE;
	if (a->npos > 1) {
		if ((rc = load_json_file(a->pos[1], &file)) != 0)
			goto out;
		body = form_body(file);
		file = NULL;
	} else
		body = json_object();
	path = xasprintf("/reports/%" JSON_INTEGER_FORMAT "/forward", rid);
	if ((rc = request(ctx, "POST", path, body, &res)) != 0)
		goto out;
	if (ctx->json)
		print_json(res);
	else {
		id = jfield(res, "id");
		state = jfield(res, "state");
		ident = jfield(res, "identification_number");
		printf("report %s state %s identification_number %s\n", id,
		    state, ident);
	}
out:
	free(path);
	free(id);
	free(state);
	free(ident);
	json_decref(body);
	json_decref(res);
	return rc;
}

static int
cmd_report_share(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = NULL, *to, *res = NULL;
	json_int_t rid, oid;
	char *path = NULL, *list = NULL;
	size_t i;
	int rc;

	if (parse_id(ctx->entry, "report id", a->pos[0], &rid) == -1)
		return EXIT_USAGE;
	body = json_object();
	to = json_array();
	(void)json_object_set_new(body, "to", to);
	for (i = 1; i < a->npos; i++) {
		if (parse_id(ctx->entry, "organisation id", a->pos[i],
		    &oid) == -1) {
			rc = EXIT_USAGE;
			goto out;
		}
		(void)json_array_append_new(to, json_integer(oid));
	}
	path = xasprintf("/reports/%" JSON_INTEGER_FORMAT "/share", rid);
	if ((rc = request(ctx, "POST", path, body, &res)) != 0)
		goto out;
	if (ctx->json)
		print_json(res != NULL ? res : body);
	else {
		list = json_text(to);
		printf("report %" JSON_INTEGER_FORMAT " shared with %s\n", rid,
		    list);
	}
out:
	free(path);
	free(list);
	json_decref(body);
	json_decref(res);
	return rc;
}

static int
cmd_report_show(struct cmd_ctx *ctx)
{
	static const char *const summary_keys[] = {
		"form.overview.event_summary", "form.summary", "summary", NULL
	};
	static const char *const header[] = {
		"id", "identification_number", "state", "route", "tlp",
		"sector"
	};
	struct args *a = ctx->args;
	json_t *res = NULL, *versions, *last, *v, *ver, *val;
	json_int_t rid;
	char *path = NULL, *s, *text, *line, *nl;
	size_t i, h, width = strlen("identification_number");
	int rc;

	if (parse_id(ctx->entry, "report id", a->pos[0], &rid) == -1)
		return EXIT_USAGE;
	path = xasprintf("/reports/%" JSON_INTEGER_FORMAT, rid);
	if ((rc = request(ctx, "GET", path, NULL, &res)) != 0)
		goto out;
	if (ctx->json) {
		print_json(res);
		goto out;
	}

	versions = json_object_get(res, "versions");
	last = json_array_get(versions, json_array_size(versions) - 1);
	for (h = 0; h < nitems(header); h++) {
		val = json_object_get(res, header[h]);
		/* TLP and sector may live only in the latest form. */
		if ((val == NULL || json_is_null(val)) && last != NULL)
			val = json_object_get(json_object_get(last, "form"),
			    header[h]);
		print_labelled(header[h], width, val);
	}

	json_array_foreach(versions, i, ver) {
		fputc('\n', stdout);
		s = jfield(ver, "version");
		printf("version %s", s);
		free(s);
		s = jfield(ver, "identification_number");
		printf("  identification_number %s", s);
		free(s);
		s = jfield(ver, "submitted_at");
		printf("  submitted_at %s\n", s);
		free(s);

		s = json_text(jpath(ver, "form.event_type"));
		printf("  %-10s  %s\n", "event type", s);
		free(s);
		v = jfirst(ver, summary_keys);
		if (!json_is_string(v) || json_string_length(v) == 0) {
			printf("  %-10s  -\n", "summary");
			continue;
		}
		text = safe_dup(json_string_value(v), 0);
		for (line = text, h = 0; line != NULL; line = nl, h++) {
			if ((nl = strchr(line, '\n')) != NULL)
				*nl++ = '\0';
			printf("  %-10s  %s\n", h == 0 ? "summary" : "", line);
		}
		free(text);
	}
out:
	free(path);
	json_decref(res);
	return rc;
}

static int
cmd_report_list(struct cmd_ctx *ctx)
{
	static const char *const headers[] = {
		"ID", "IDENT", "STATE", "ROUTE", "TLP", "SECTOR", "VER",
		"UPDATED"
	};
	static const char *const keys[] = {
		"id", "identification_number", "state", "route", "tlp",
		"sector", "version", "updated_at"
	};
	struct args *a = ctx->args;
	struct table t;
	struct cs_buf q;
	json_t *items = NULL, *it, *out = NULL;
	char *path = NULL, *next = NULL, *row[nitems(keys)], *safe;
	size_t i, k;
	int rc = EXIT_USAGE, all = args_has(a, "all");

	if (check_time(ctx->entry, "since", args_get(a, "since")) == -1 ||
	    check_limit(ctx->entry, args_get(a, "limit")) == -1)
		return EXIT_USAGE;
	cs_buf_init(&q, CLIENT_MAX_PATH);
	(void)cs_buf_adds(&q, "/reports");
	(void)client_query_add(ctx->client, &q, "sector",
	    args_get(a, "sector"));
	(void)client_query_add(ctx->client, &q, "event_type",
	    args_get(a, "event-type"));
	(void)client_query_add(ctx->client, &q, "since",
	    args_get(a, "since"));
	(void)client_query_add(ctx->client, &q, "q", args_get(a, "q"));
	(void)client_query_add(ctx->client, &q, "limit",
	    args_get(a, "limit"));
	if (args_has(a, "anonymised"))
		(void)client_query_add(ctx->client, &q, "anonymised", "mine");
	if ((path = cs_buf_finish(&q)) == NULL) {
		fprintf(stderr, "cishare: query is too long\n");
		goto out;
	}

	items = json_array();
	if ((rc = fetch_items(ctx, path, args_get(a, "cursor"), all, items,
	    &next)) != 0)
		goto out;
	if (ctx->json) {
		out = json_object();
		(void)json_object_set(out, "items", items);
		(void)json_object_set_new(out, "next_cursor",
		    next != NULL ? json_string(next) : json_null());
		print_json(out);
		goto out;
	}
	table_init(&t, headers, nitems(headers));
	json_array_foreach(items, i, it) {
		for (k = 0; k < nitems(keys); k++)
			row[k] = jfield(it, keys[k]);
		/* Fall back on a "latest_version" key for VER. */
		if (strcmp(row[6], "-") == 0) {
			free(row[6]);
			row[6] = jfield(it, "latest_version");
		}
		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_fini(&t);
	if (next != NULL) {
		safe = safe_dup(next, 1);
		fprintf(stderr, "cishare: more reports: use --all, or"
		    " --cursor %s\n", safe);
		free(safe);
	}
out:
	free(path);
	free(next);
	json_decref(items);
	json_decref(out);
	return rc;
}

/* me, sectors, taxonomy: GET /<name> and print the JSON. */
static int
cmd_get_json(struct cmd_ctx *ctx)
{
	json_t *res = NULL;
	char *path;
	int rc;

	path = xasprintf("/%s", ctx->entry->name);
	if ((rc = request(ctx, "GET", path, NULL, &res)) == 0)
		print_json(res);
	free(path);
	json_decref(res);
	return rc;
}

static int
cmd_org_create(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = NULL, *sectors, *res = NULL;
	json_int_t cid;
	const char *ceptoar;
	char *id = NULL;
	size_t i;
	int rc = EXIT_USAGE;

	body = json_object();
	(void)json_object_set_new(body, "name", json_string(a->pos[0]));
	(void)json_object_set_new(body, "type", json_string(a->pos[1]));
	sectors = json_array();
	(void)json_object_set_new(body, "sectors", sectors);
	for (i = 0; i < a->nopts; i++) {
		if (strcmp(a->opts[i].name, "sector") != 0)
			continue;
		if (add_str_list(a->opts[i].value, sectors) == -1) {
			rc = usage_error(ctx->entry, "--sector: empty sector"
			    " in \"%s\"", a->opts[i].value);
			goto out;
		}
	}
	if ((ceptoar = args_get(a, "ceptoar")) != NULL) {
		if (parse_id(ctx->entry, "--ceptoar organisation id", ceptoar,
		    &cid) == -1)
			goto out;
		(void)json_object_set_new(body, "ceptoar", json_integer(cid));
	} else
		(void)json_object_set_new(body, "ceptoar", json_null());

	if ((rc = request(ctx, "POST", "/orgs", body, &res)) != 0)
		goto out;
	if (ctx->json)
		print_json(res);
	else {
		id = jfield(res, "id");
		printf("org %s\n", id);
	}
out:
	free(id);
	json_decref(body);
	json_decref(res);
	return rc;
}

static int
cmd_org_list(struct cmd_ctx *ctx)
{
	static const char *const headers[] = {
		"ID", "TYPE", "NAME", "SECTORS", "CEPTOAR"
	};
	static const char *const keys[] = {
		"id", "type", "name", "sectors", "ceptoar"
	};
	struct args *a = ctx->args;
	struct table t;
	struct cs_buf q;
	json_t *items = NULL, *it, *out = NULL;
	char *path = NULL, *next = NULL, *row[nitems(keys)];
	size_t i, k;
	int rc = EXIT_USAGE;

	if (check_limit(ctx->entry, args_get(a, "limit")) == -1)
		return EXIT_USAGE;
	cs_buf_init(&q, CLIENT_MAX_PATH);
	(void)cs_buf_adds(&q, "/orgs");
	(void)client_query_add(ctx->client, &q, "limit",
	    args_get(a, "limit"));
	if ((path = cs_buf_finish(&q)) == NULL)
		goto out;
	items = json_array();
	if ((rc = fetch_items(ctx, path, args_get(a, "cursor"),
	    args_has(a, "all"), items, &next)) != 0)
		goto out;
	if (ctx->json) {
		out = json_object();
		(void)json_object_set(out, "items", items);
		(void)json_object_set_new(out, "next_cursor",
		    next != NULL ? json_string(next) : json_null());
		print_json(out);
		goto out;
	}
	table_init(&t, headers, nitems(headers));
	json_array_foreach(items, i, it) {
		for (k = 0; k < nitems(keys); k++)
			row[k] = jfield(it, keys[k]);
		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_fini(&t);
	if (next != NULL)
		fprintf(stderr, "cishare: more organisations: use --all\n");
out:
	free(path);
	free(next);
	json_decref(items);
	json_decref(out);
	return rc;
}

static int
cmd_org_show(struct cmd_ctx *ctx)
{
	json_t *res = NULL;
	json_int_t oid;
	char *path;
	int rc;

	if (parse_id(ctx->entry, "organisation id", ctx->args->pos[0],
	    &oid) == -1)
		return EXIT_USAGE;
	path = xasprintf("/orgs/%" JSON_INTEGER_FORMAT, oid);
	if ((rc = request(ctx, "GET", path, NULL, &res)) == 0)
		print_json(res);
	free(path);
	json_decref(res);
	return rc;
}

static int
cmd_user_create(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = NULL, *roles, *res = NULL;
	json_int_t oid;
	const char *name, *pw;
	char *secret = NULL, *id = NULL;
	size_t i;
	int rc = EXIT_USAGE;

	if (parse_id(ctx->entry, "organisation id", a->pos[0], &oid) == -1)
		goto out;
	if (!args_has(a, "role")) {
		rc = usage_error(ctx->entry, "--role is required");
		goto out;
	}
	body = json_object();
	(void)json_object_set_new(body, "org", json_integer(oid));
	(void)json_object_set_new(body, "login", json_string(a->pos[1]));
	name = args_get(a, "name");
	(void)json_object_set_new(body, "display_name",
	    json_string(name != NULL ? name : a->pos[1]));
	roles = json_array();
	(void)json_object_set_new(body, "roles", roles);
	for (i = 0; i < a->nopts; i++) {
		if (strcmp(a->opts[i].name, "role") != 0)
			continue;
		if (add_str_list(a->opts[i].value, roles) == -1) {
			rc = usage_error(ctx->entry, "--role: empty role in"
			    " \"%s\"", a->opts[i].value);
			goto out;
		}
	}
	(void)json_object_set_new(body, "nda_contractor",
	    json_boolean(args_has(a, "nda")));
	if ((pw = args_get(a, "password")) != NULL && strcmp(pw, "-") == 0) {
		if (read_secret_line(&secret) == -1) {
			rc = EXIT_FAIL;
			goto out;
		}
		pw = secret;
	}
	(void)json_object_set_new(body, "password",
	    pw != NULL ? json_string(pw) : json_null());

	if ((rc = request(ctx, "POST", "/users", body, &res)) != 0)
		goto out;
	if (ctx->json)
		print_json(res);
	else {
		id = jfield(res, "id");
		printf("user %s\n", id);
	}
out:
	if (secret != NULL) {
		memset(secret, 0, strlen(secret));
		free(secret);
	}
	free(id);
	json_decref(body);
	json_decref(res);
	return rc;
}

static int
cmd_token_create(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = NULL, *res = NULL, *tok;
	json_int_t uid;
	const char *label;
	char *path = NULL;
	int rc;

	if (parse_id(ctx->entry, "user id", a->pos[0], &uid) == -1)
		return EXIT_USAGE;
	label = args_get(a, "label");
	body = json_object();
	if (label != NULL)
		(void)json_object_set_new(body, "label", json_string(label));
	path = xasprintf("/users/%" JSON_INTEGER_FORMAT "/tokens", uid);
	if ((rc = request(ctx, "POST", path, body, &res)) != 0)
		goto out;
	if (ctx->json) {
		print_json(res);
		goto out;
	}
	tok = json_object_get(res, "token");
	if (!json_is_string(tok)) {
		fprintf(stderr, "cishare: error: answer has no token\n");
		rc = EXIT_FAIL;
		goto out;
	}
	/* Alone on stdout, so that TOKEN=$(cishare token create 3) works. */
	printf("%s\n", json_string_value(tok));
	if (isatty(STDOUT_FILENO))
		fprintf(stderr, "cishare: the token is shown only once;"
		    " store it now\n");
out:
	free(path);
	json_decref(body);
	json_decref(res);
	return rc;
}

static int
cmd_audit(struct cmd_ctx *ctx)
{
	static const char *const headers[] = {
		"SEQ", "TIME", "USER", "ORG", "ACTION", "ITEM"
	};
	/* The entry's keys are not fixed by API.md: try the likely names. */
	static const char *const seq_keys[] = { "seq", "id", NULL };
	static const char *const time_keys[] = {
		"at", "time", "ts", "created_at", NULL
	};
	static const char *const user_keys[] = {
		"user", "actor", "who", "user_id", NULL
	};
	static const char *const org_keys[] = { "org", "org_id", NULL };
	static const char *const action_keys[] = {
		"action", "what", "event", NULL
	};
	static const char *const item_keys[] = {
		"item", "target", "object", "item_id", NULL
	};
	static const char *const *const cols[] = {
		seq_keys, time_keys, user_keys, org_keys, action_keys, item_keys
	};
	struct args *a = ctx->args;
	struct table t;
	struct cs_buf q;
	json_t *items = NULL, *it, *out = NULL;
	char *path = NULL, *next = NULL, *row[nitems(cols)];
	size_t i, k;
	int rc = EXIT_USAGE;

	if (check_time(ctx->entry, "since", args_get(a, "since")) == -1 ||
	    check_limit(ctx->entry, args_get(a, "limit")) == -1)
		return EXIT_USAGE;
	cs_buf_init(&q, CLIENT_MAX_PATH);
	(void)cs_buf_adds(&q, "/audit");
	(void)client_query_add(ctx->client, &q, "since",
	    args_get(a, "since"));
	(void)client_query_add(ctx->client, &q, "limit",
	    args_get(a, "limit"));
	if ((path = cs_buf_finish(&q)) == NULL)
		goto out;
	items = json_array();
	if ((rc = fetch_items(ctx, path, args_get(a, "cursor"),
	    args_has(a, "all"), items, &next)) != 0)
		goto out;
	if (ctx->json) {
		out = json_object();
		(void)json_object_set(out, "items", items);
		(void)json_object_set_new(out, "next_cursor",
		    next != NULL ? json_string(next) : json_null());
		print_json(out);
		goto out;
	}
	table_init(&t, headers, nitems(headers));
	json_array_foreach(items, i, it) {
		for (k = 0; k < nitems(cols); k++)
			row[k] = json_text(jfirst(it, cols[k]));
		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_fini(&t);
	if (next != NULL)
		fprintf(stderr, "cishare: more entries: use --all\n");
out:
	free(path);
	free(next);
	json_decref(items);
	json_decref(out);
	return rc;
}

static int
cmd_audit_verify(struct cmd_ctx *ctx)
{
	json_t *res = NULL;
	char *n = NULL, *detail = NULL;
	int rc;

	if ((rc = request(ctx, "GET", "/audit/verify", NULL, &res)) != 0)
		goto out;
	if (ctx->json)
		print_json(res);
	if (json_is_true(json_object_get(res, "ok"))) {
		n = jfield(res, "entries");
		if (!ctx->json)
			printf("audit log intact: %s entries\n", n);
		goto out;
	}
	if (!ctx->json) {
		detail = json_text(res);
		printf("audit log BROKEN: %s\n", detail);
	}
	rc = EXIT_FAIL;
out:
	free(n);
	free(detail);
	json_decref(res);
	return rc;
}

/* ---- advisory helpers --------------------------------------------- */

/* The 様式's words for an importance id; "-" when there is none. */
static char *
importance_text(json_t *v)
{
	static const char *const names[][2] = {
		{ "alert", "警報" },
		{ "caution", "注意喚起" },
		{ "reference", "参考情報" }
	};
	size_t i;

	if (json_is_string(v))
		for (i = 0; i < nitems(names); i++)
			if (strcmp(json_string_value(v), names[i][0]) == 0)
				return xstrdup(names[i][1]);
	return json_text(v);
}

/* A TLP id as TLP 2.0 writes it ("amber_strict" is "AMBER+STRICT"). */
static char *
tlp_text(json_t *v)
{
	static const char *const names[][2] = {
		{ "red", "RED" },
		{ "amber_strict", "AMBER+STRICT" },
		{ "amber", "AMBER" },
		{ "green", "GREEN" },
		{ "clear", "CLEAR" }
	};
	size_t i;

	if (json_is_string(v))
		for (i = 0; i < nitems(names); i++)
			if (strcmp(json_string_value(v), names[i][0]) == 0)
				return xstrdup(names[i][1]);
	return json_text(v);
}

/*
 * A server time ("2026-11-22T09:18:55+09:00", always JST) shortened to
 * "2026-11-22 09:18:55", or "2026-11-22 09:18" without secs.  Any other
 * shape is shown as it is; a missing time is "-".
 */
static char *
time_text(json_t *v, int secs)
{
	const char *s;

	if (!json_is_string(v) || json_string_length(v) == 0)
		return xstrdup("-");
	s = json_string_value(v);
	if (strlen(s) == 25 && s[10] == 'T' && s[13] == ':' &&
	    strcmp(s + 19, "+09:00") == 0)
		return xasprintf("%.10s %.*s", s, secs ? 8 : 5, s + 11);
	return safe_dup(s, 1);
}

/* A span of seconds for people: "0.02 s", "42.0 s", "3725 s (1h02m)". */
static char *
secs_text(json_t *v)
{
	double d;
	long long t;

	if (!json_is_number(v))
		return xstrdup("-");
	d = json_number_value(v);
	if (d < 10)
		return xasprintf("%.2f s", d);
	if (d < 60)
		return xasprintf("%.1f s", d);
	t = (long long)(d + 0.5);
	if (t < 3600)
		return xasprintf("%lld s (%lldm%02llds)", t, t / 60, t % 60);
	if (t < 86400)
		return xasprintf("%lld s (%lldh%02lldm)", t, t / 3600,
		    t / 60 % 60);
	return xasprintf("%lld s (%lldd%02lldh)", t, t / 86400,
	    t / 3600 % 24);
}

/*
 * The first line of a text, made safe and cut to at most maxw terminal
 * columns ("..." marks a cut).  The caller frees the result.
 */
static char *
first_line(json_t *v, size_t maxw)
{
	const unsigned char *p;
	char *s, *nl;
	size_t n, w = 0, len, keep = 0, limit, cw;
	uint32_t cp;
	int cut = 0;

	if (!json_is_string(v) || json_string_length(v) == 0)
		return xstrdup("-");
	s = safe_dup(json_string_value(v), 0);
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		cut = nl[1] != '\0';
	}
	limit = str_width(s);
	if (limit > maxw) {
		limit = maxw > 3 ? maxw - 3 : 0;
		cut = 1;
	}
	p = (const unsigned char *)s;
	n = strlen(s);
	while (keep < n) {
		len = utf8_next(p + keep, n - keep, &cp);
		cw = (size_t)cp_width(cp);
		if (w + cw > limit)
			break;
		w += cw;
		keep += len;
	}
	s[keep] = '\0';
	if (cut) {
		nl = xasprintf("%s...", s);
		free(s);
		s = nl;
	}
	return s;
}

/* Prints label padded to width columns, then a text (several lines). */
static void
print_text_field(const char *label, size_t width, json_t *v)
{
	char *text, *line, *nl;
	size_t w;
	int first = 1;

	if (!json_is_string(v) || json_string_length(v) == 0)
		text = xstrdup("-");
	else
		text = safe_dup(json_string_value(v), 0);
	for (line = text; line != NULL; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		fputs(first ? label : "", stdout);
		for (w = first ? str_width(label) : 0; w < width + 2; w++)
			fputc(' ', stdout);
		printf("%s\n", line);
		first = 0;
	}
	free(text);
}

/*
 * Collects the ids of every --opt given (each a comma-separated list)
 * into a new array in *out, or leaves *out NULL when the option is
 * absent.  Returns 0, or -1 after a usage message.
 */
static int
collect_ids(struct cmd_ctx *ctx, const char *opt, const char *what,
    json_t **out)
{
	struct args *a = ctx->args;
	size_t i;

	*out = NULL;
	if (!args_has(a, opt))
		return 0;
	*out = json_array();
	for (i = 0; i < a->nopts; i++) {
		if (strcmp(a->opts[i].name, opt) != 0)
			continue;
		if (add_id_list(ctx->entry, what, a->opts[i].value, *out) ==
		    -1) {
			json_decref(*out);
			*out = NULL;
			return -1;
		}
	}
	return 0;
}

/* Reads the digits at *p into *out and moves *p past them. */
static int
take_number(const char **p, int64_t *out)
{
	char num[20];
	size_t n;

	n = strspn(*p, "0123456789");
	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, *p, n);
	num[n] = '\0';
	*p += n;
	return cs_str_to_i64(num, 0, INT64_MAX, out) == CS_OK ? 0 : -1;
}

/*
 * After a refused request whose error names a text field of the body we
 * sent ("form.threat_content.summary") and a span of it ("characters
 * 12-17", counted in code points as the server does: a de-identification
 * hit), shows that part of the text on stderr, marked [[like this]].
 */
static void
explain_field(json_t *body, const struct client_error *e)
{
	const unsigned char *p;
	const char *m;
	struct cs_buf b;
	json_t *v;
	int64_t from, to, k, lo, hi;
	size_t n, len;
	uint32_t cp;
	char *text, *safe, *field;

	if (e->status != CLIENT_EHTTP || e->field[0] == '\0')
		return;
	v = jpath(body, e->field);
	if (!json_is_string(v))
		return;
	/* Other errors quote the value themselves. */
	if ((m = strstr(e->message, "characters ")) == NULL)
		return;
	m += strlen("characters ");
	if (take_number(&m, &from) == -1 || *m++ != '-' ||
	    take_number(&m, &to) == -1 || to <= from)
		return;
	lo = from > 30 ? from - 30 : 0;
	hi = to + 30;
	cs_buf_init(&b, 64 * 1024);
	p = (const unsigned char *)json_string_value(v);
	n = json_string_length(v);
	if (lo > 0)
		(void)cs_buf_adds(&b, "...");
	for (k = 0; n > 0 && k < hi; k++) {
		len = utf8_next(p, n, &cp);
		if (k == from)
			(void)cs_buf_adds(&b, "[[");
		if (k >= lo)
			(void)cs_buf_add(&b, p, len);
		if (k + 1 == to)
			(void)cs_buf_adds(&b, "]]");
		p += len;
		n -= len;
	}
	if (n > 0)
		(void)cs_buf_adds(&b, "...");
	if ((text = cs_buf_finish(&b)) == NULL)
		return;
	safe = safe_dup(text, 1);
	field = safe_dup(e->field, 1);
	fprintf(stderr, "cishare: %s: \"%s\"\n", field, safe);
	free(field);
	free(safe);
	free(text);
}

static void
org_cache_fini(struct org_cache *oc)
{
	size_t i;

	for (i = 0; i < oc->n; i++)
		free(oc->names[i]);
	free(oc->names);
	free(oc->ids);
	memset(oc, 0, sizeof(*oc));
}

/*
 * The name of organisation id, safe for printing, or NULL if it cannot be
 * looked up (no error is printed).  Borrowed from the cache.
 */
static const char *
org_name(struct cmd_ctx *ctx, struct org_cache *oc, json_int_t id)
{
	struct client_error e;
	json_t *res = NULL, *name;
	char *path;
	size_t i;

	for (i = 0; i < oc->n; i++)
		if (oc->ids[i] == id)
			return oc->names[i];
	path = xasprintf("/orgs/%" JSON_INTEGER_FORMAT, id);
	if (client_request(ctx->client, "GET", path, NULL, &res, &e) !=
	    CLIENT_OK)
		res = NULL;
	free(path);
	oc->ids = xreallocarray(oc->ids, oc->n + 1, sizeof(*oc->ids));
	oc->names = xreallocarray(oc->names, oc->n + 1,
	    sizeof(*oc->names));
	name = json_object_get(res, "name");
	oc->ids[oc->n] = id;
	oc->names[oc->n] = json_is_string(name) ?
	    safe_dup(json_string_value(name), 1) : NULL;
	json_decref(res);
	return oc->names[oc->n++];
}

/* "12 さくら信用金庫", or "12" when the name is not known. */
static char *
org_label(struct cmd_ctx *ctx, struct org_cache *oc, json_t *idv)
{
	const char *name;

	if (!json_is_integer(idv))
		return json_text(idv);
	name = org_name(ctx, oc, json_integer_value(idv));
	if (name == NULL)
		return xasprintf("%" JSON_INTEGER_FORMAT,
		    json_integer_value(idv));
	return xasprintf("%" JSON_INTEGER_FORMAT " %s",
	    json_integer_value(idv), name);
}

/* Builds "/advisories/ID<suffix>" from a command-line id. */
static int
advisory_path(struct cmd_ctx *ctx, const char *arg, const char *suffix,
    char **path)
{
	json_int_t aid;

	*path = NULL;
	if (parse_id(ctx->entry, "advisory id", arg, &aid) == -1)
		return -1;
	*path = xasprintf("/advisories/%" JSON_INTEGER_FORMAT "%s", aid,
	    suffix);
	return 0;
}

/* ---- advisories (情報提供) ----------------------------------------- */

static int
cmd_advisory_create(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	struct client_error ce;
	json_t *file = NULL, *body = NULL, *res = NULL, *related = NULL;
	json_t *consented = NULL;
	char *id = NULL, *ident = NULL, *state = NULL, *ver = NULL;
	int rc = EXIT_USAGE;

	if (collect_ids(ctx, "related", "--related report id", &related) ==
	    -1 || collect_ids(ctx, "consented", "--consented report id",
	    &consented) == -1)
		goto out;
	if ((rc = load_json_file(a->pos[0], &file)) != 0)
		goto out;
	body = form_body(file);
	file = NULL;
	if (args_has(a, "urgent"))
		(void)json_object_set_new(body, "urgent", json_true());
	if (related != NULL) {
		(void)json_object_set_new(body, "related_reports", related);
		related = NULL;
	}
	if (consented != NULL) {
		(void)json_object_set_new(body, "consented_sources",
		    consented);
		consented = NULL;
	}

	if ((rc = request_ex(ctx, "POST", "/advisories", body, &res,
	    &ce)) != 0) {
		explain_field(body, &ce);
		goto out;
	}
	if (ctx->json) {
		print_json(res);
		goto out;
	}
	id = jfield(res, "id");
	ident = jfield(res, "identification_number");
	state = jfield(res, "state");
	ver = jfield(res, "version");
	printf("advisory %s %s version %s state %s\n", id, ident, ver, state);
	if (strcmp(state, "pending_approval") == 0)
		fprintf(stderr, "cishare: advisory %s waits for a second NISC"
		    " approver: cishare advisory approve %s\n", id, id);
out:
	free(id);
	free(ident);
	free(state);
	free(ver);
	json_decref(related);
	json_decref(consented);
	json_decref(file);
	json_decref(body);
	json_decref(res);
	return rc;
}

static int
cmd_advisory_followup(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	struct client_error ce;
	json_t *file = NULL, *body = NULL, *res = NULL;
	char *path = NULL, *id = NULL, *ident = NULL, *state = NULL;
	char *ver = NULL;
	int rc;

	if (advisory_path(ctx, a->pos[0], "/followups", &path) == -1)
		return EXIT_USAGE;
	if ((rc = load_json_file(a->pos[1], &file)) != 0)
		goto out;
	body = form_body(file);
	file = NULL;
	/* A create body reused as is: urgency is fixed at the first issue. */
	if (json_object_get(body, "urgent") != NULL) {
		(void)json_object_del(body, "urgent");
		fprintf(stderr, "cishare: warning: %s: \"urgent\" is set at"
		    " the first issue only; ignored\n", a->pos[1]);
	}
	if ((rc = request_ex(ctx, "POST", path, body, &res, &ce)) != 0) {
		explain_field(body, &ce);
		goto out;
	}
	if (ctx->json) {
		print_json(res);
		goto out;
	}
	id = jfield(res, "id");
	ident = jfield(res, "identification_number");
	state = jfield(res, "state");
	ver = jfield(res, "version");
	printf("advisory %s %s version %s state %s\n", id, ident, ver, state);
out:
	free(path);
	free(id);
	free(ident);
	free(state);
	free(ver);
	json_decref(body);
	json_decref(res);
	return rc;
}

static int
cmd_advisory_approve(struct cmd_ctx *ctx)
{
	json_t *res = NULL;
	char *path = NULL, *id = NULL, *ident = NULL, *state = NULL;
	int rc;

	if (advisory_path(ctx, ctx->args->pos[0], "/approve", &path) == -1)
		return EXIT_USAGE;
	if ((rc = request(ctx, "POST", path, NULL, &res)) != 0)
		goto out;
	if (ctx->json) {
		print_json(res);
		goto out;
	}
	id = jfield(res, "id");
	ident = jfield(res, "identification_number");
	state = jfield(res, "state");
	printf("advisory %s %s state %s\n", id, ident, state);
out:
	free(path);
	free(id);
	free(ident);
	free(state);
	json_decref(res);
	return rc;
}

static int
cmd_advisory_relay(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = NULL, *to, *res = NULL;
	json_int_t oid;
	char *path = NULL, *list = NULL, *id = NULL;
	size_t i;
	int rc = EXIT_USAGE;

	if (advisory_path(ctx, a->pos[0], "/relay", &path) == -1)
		goto out;
	body = json_object();
	to = json_array();
	(void)json_object_set_new(body, "to", to);
	for (i = 1; i < a->npos; i++) {
		if (parse_id(ctx->entry, "organisation id", a->pos[i],
		    &oid) == -1)
			goto out;
		(void)json_array_append_new(to, json_integer(oid));
	}
	if ((rc = request(ctx, "POST", path, body, &res)) != 0)
		goto out;
	if (ctx->json) {
		print_json(res);
		goto out;
	}
	id = jfield(res, "id");
	list = jfield(res, "delivered_to");
	printf("advisory %s relayed to %s\n", id, list);
out:
	free(path);
	free(list);
	free(id);
	json_decref(body);
	json_decref(res);
	return rc;
}

static int
cmd_advisory_ack(struct cmd_ctx *ctx)
{
	json_t *res = NULL;
	char *path = NULL, *id = NULL, *org = NULL, *at = NULL;
	int rc;

	if (advisory_path(ctx, ctx->args->pos[0], "/ack", &path) == -1)
		return EXIT_USAGE;
	if ((rc = request(ctx, "POST", path, NULL, &res)) != 0)
		goto out;
	if (ctx->json) {
		print_json(res);
		goto out;
	}
	id = jfield(res, "id");
	org = jfield(res, "org");
	at = jfield(res, "acknowledged_at");
	printf("advisory %s acknowledged by org %s at %s\n", id, org, at);
out:
	free(path);
	free(id);
	free(org);
	free(at);
	json_decref(res);
	return rc;
}

static int
cmd_advisory_show(struct cmd_ctx *ctx)
{
	static const char *const header[] = {
		"id", "identification_number", "state", "urgent", "tlp",
		"importance", "sectors", "version", "created_at", "issued_at"
	};
	json_t *res = NULL, *form, *mine, *v, *ver, *del;
	char *path = NULL, *s, *t, *u;
	size_t i, width = strlen("identification_number"), fw;
	int rc;

	if (advisory_path(ctx, ctx->args->pos[0], "", &path) == -1)
		return EXIT_USAGE;
	if ((rc = request(ctx, "GET", path, NULL, &res)) != 0)
		goto out;
	if (ctx->json) {
		print_json(res);
		goto out;
	}

	for (i = 0; i < nitems(header); i++)
		print_labelled(header[i], width, json_object_get(res,
		    header[i]));
	if ((v = json_object_get(res, "related_reports")) != NULL)
		print_labelled("related_reports", width, v);
	mine = json_object_get(res, "my_delivery");
	if (json_is_object(mine)) {
		print_labelled("delivered_to_you", width,
		    json_object_get(mine, "delivered_at"));
		v = json_object_get(mine, "acknowledged_at");
		if (json_is_string(v))
			print_labelled("acknowledged", width, v);
		else {
			s = jfield(res, "id");
			printf("%-*s  未確認 (not acknowledged): cishare"
			    " advisory ack %s\n", (int)width, "acknowledged",
			    s);
			free(s);
		}
	}
	del = json_object_get(json_object_get(res, "delivery"), "summary");
	if (json_is_object(del)) {
		s = jfield(del, "delivered");
		t = jfield(del, "read");
		u = jfield(del, "acknowledged");
		printf("%-*s  %s delivered, %s read, %s acknowledged\n",
		    (int)width, "delivery", s, t, u);
		free(s);
		free(t);
		free(u);
	}

	/* The 様式's own words for the form's main items. */
	form = json_object_get(res, "form");
	fw = str_width("③対処方針");
	fputc('\n', stdout);
	s = importance_text(json_object_get(form, "importance"));
	t = tlp_text(json_object_get(form, "tlp"));
	printf("%s", "重要度");
	for (i = str_width("重要度"); i < fw + 2; i++)
		fputc(' ', stdout);
	printf("%s\nTLP", s);
	for (i = str_width("TLP"); i < fw + 2; i++)
		fputc(' ', stdout);
	printf("TLP:%s\n", t);
	free(s);
	free(t);
	if ((v = json_object_get(form, "tlp_special_notes")) != NULL &&
	    json_is_string(v) && json_string_length(v) > 0)
		print_text_field("特記事項", fw, v);
	print_text_field("①概要", fw, jpath(form, "threat_content.summary"));
	if ((v = jpath(form, "threat_content.target")) != NULL &&
	    json_is_string(v) && json_string_length(v) > 0)
		print_text_field("②対象", fw, v);
	print_text_field("③対処方針", fw, json_object_get(form,
	    "countermeasures"));
	if ((v = json_object_get(form, "other")) != NULL &&
	    json_is_string(v) && json_string_length(v) > 0)
		print_text_field("④その他", fw, v);

	v = json_object_get(res, "versions");
	if (json_array_size(v) > 0)
		fputc('\n', stdout);
	json_array_foreach(v, i, ver) {
		s = jfield(ver, "version");
		t = jfield(ver, "identification_number");
		u = jfield(ver, "issued_at");
		printf("version %s  %s  issued_at %s\n", s, t, u);
		free(s);
		free(t);
		free(u);
	}
out:
	free(path);
	json_decref(res);
	return rc;
}

/* The ACK cell of a list row: "acked/delivered" for NISC, else a time. */
static char *
ack_cell(json_t *it)
{
	json_t *sum, *ack;
	char *a, *d, *s;

	sum = json_object_get(it, "delivery_summary");
	if (json_is_object(sum)) {
		a = jfield(sum, "acknowledged");
		d = jfield(sum, "delivered");
		s = xasprintf("%s/%s", a, d);
		free(a);
		free(d);
		return s;
	}
	ack = json_object_get(it, "acknowledged_at");
	if (json_is_string(ack))
		return time_text(ack, 0);
	if (json_is_string(json_object_get(it, "delivered_at")))
		return xstrdup("未確認");
	return xstrdup("-");
}

/* The importance cell: 重要度, marked when the advisory is urgent. */
static char *
importance_cell(json_t *it)
{
	char *s, *t;

	s = importance_text(json_object_get(it, "importance"));
	if (!json_is_true(json_object_get(it, "urgent")))
		return s;
	t = xasprintf("%s (urgent)", s);
	free(s);
	return t;
}

static int
cmd_advisory_list(struct cmd_ctx *ctx)
{
	static const char *const headers[] = {
		"ID", "IDENT", "STATE", "重要度", "TLP", "ISSUED", "ACK",
		"SUMMARY"
	};
	struct args *a = ctx->args;
	struct table t;
	struct cs_buf q;
	json_t *items = NULL, *it, *out = NULL;
	char *path = NULL, *next = NULL, *row[nitems(headers)];
	size_t i;
	int rc = EXIT_USAGE;

	if (check_limit(ctx->entry, args_get(a, "limit")) == -1)
		return EXIT_USAGE;
	cs_buf_init(&q, CLIENT_MAX_PATH);
	(void)cs_buf_adds(&q, "/advisories");
	(void)client_query_add(ctx->client, &q, "limit",
	    args_get(a, "limit"));
	if ((path = cs_buf_finish(&q)) == NULL)
		goto out;
	items = json_array();
	if ((rc = fetch_items(ctx, path, args_get(a, "cursor"),
	    args_has(a, "all"), items, &next)) != 0)
		goto out;
	if (ctx->json) {
		out = json_object();
		(void)json_object_set(out, "items", items);
		(void)json_object_set_new(out, "next_cursor",
		    next != NULL ? json_string(next) : json_null());
		print_json(out);
		goto out;
	}
	table_init(&t, headers, nitems(headers));
	json_array_foreach(items, i, it) {
		row[0] = jfield(it, "id");
		row[1] = jfield(it, "identification_number");
		row[2] = jfield(it, "state");
		row[3] = importance_cell(it);
		row[4] = tlp_text(json_object_get(it, "tlp"));
		row[5] = time_text(json_object_get(it, "issued_at"), 0);
		row[6] = ack_cell(it);
		row[7] = first_line(json_object_get(it, "summary"), 40);
		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_fini(&t);
	if (next != NULL)
		fprintf(stderr, "cishare: more advisories: use --all\n");
out:
	free(path);
	free(next);
	json_decref(items);
	json_decref(out);
	return rc;
}

/* One hop: org, via, when delivered, read, acknowledged, how long. */
static void
tree_hop(struct tree *tr, const char *prefix, const char *branch,
    json_t *hop)
{
	json_t *ack, *rem;
	char *org, *via, *del, *rd, *ak = NULL, *lat, *ackl = NULL;

	org = org_label(tr->ctx, &tr->orgs, json_object_get(hop, "org"));
	via = jfield(hop, "via");
	del = time_text(json_object_get(hop, "delivered_at"), 1);
	rd = time_text(json_object_get(hop, "read_at"), 1);
	lat = secs_text(json_object_get(hop, "hop_latency_s"));
	ack = json_object_get(hop, "acknowledged_at");
	if (json_is_string(ack)) {
		ak = time_text(ack, 1);
		ackl = secs_text(json_object_get(hop, "ack_latency_s"));
	}
	printf("%s%s%s  via %s  delivered %s  read %s  ", prefix, branch, org,
	    via, del, rd);
	if (ak != NULL)
		printf("acknowledged %s after %s", ak, ackl);
	else
		printf("未確認 (not acknowledged)");
	printf("  hop %s", lat);
	rem = json_object_get(hop, "reminders");
	if (json_is_integer(rem) && json_integer_value(rem) > 0)
		printf("  reminders %" JSON_INTEGER_FORMAT,
		    json_integer_value(rem));
	fputc('\n', stdout);
	free(org);
	free(via);
	free(del);
	free(rd);
	free(ak);
	free(lat);
	free(ackl);
}

/* Prints the hops relayed by org parent, and theirs, below prefix. */
static void
tree_children(struct tree *tr, json_int_t parent, const char *prefix,
    int depth)
{
	json_t *hop;
	size_t i, last = 0, n = 0;
	char *sub;

	json_array_foreach(tr->hops, i, hop)
		if (!tr->done[i] && json_integer_value(json_object_get(hop,
		    "from_org")) == parent) {
			last = i;
			n++;
		}
	if (n == 0)
		return;
	json_array_foreach(tr->hops, i, hop) {
		if (tr->done[i] || json_integer_value(json_object_get(hop,
		    "from_org")) != parent)
			continue;
		tr->done[i] = 1;
		tree_hop(tr, prefix, i == last ? "`-- " : "|-- ", hop);
		if (depth >= 64)
			continue;
		sub = xasprintf("%s%s", prefix, i == last ? "    " : "|   ");
		tree_children(tr, json_integer_value(json_object_get(hop,
		    "org")), sub, depth + 1);
		free(sub);
	}
}

/* Is org id the receiver of some hop? */
static int
tree_received(json_t *hops, json_int_t id)
{
	json_t *hop;
	size_t i;

	json_array_foreach(hops, i, hop)
		if (json_integer_value(json_object_get(hop, "org")) == id)
			return 1;
	return 0;
}

/* Adds "org_name" to each object of arr that has an "org". */
static void
tree_name_orgs(struct tree *tr, json_t *arr)
{
	const char *name;
	json_t *o, *id;
	size_t i;

	json_array_foreach(arr, i, o) {
		id = json_object_get(o, "org");
		if (!json_is_integer(id))
			continue;
		name = org_name(tr->ctx, &tr->orgs, json_integer_value(id));
		(void)json_object_set_new(o, "org_name", name != NULL ?
		    json_string(name) : json_null());
	}
}

static int
cmd_advisory_tree(struct cmd_ctx *ctx)
{
	struct tree tr;
	json_t *res = NULL, *del, *hop, *un, *u, *out = NULL, *roots;
	json_int_t from;
	int64_t now, at;
	char *path = NULL, *s, *t, *w, *x, *org;
	size_t i, k;
	int rc;

	memset(&tr, 0, sizeof(tr));
	tr.ctx = ctx;
	roots = json_array();
	if (advisory_path(ctx, ctx->args->pos[0], "", &path) == -1) {
		rc = EXIT_USAGE;
		goto out;
	}
	if ((rc = request(ctx, "GET", path, NULL, &res)) != 0)
		goto out;
	del = json_object_get(res, "delivery");
	tr.hops = json_object_get(del, "hops");
	un = json_object_get(del, "unacknowledged");
	if (!json_is_object(del) || !json_is_array(tr.hops)) {
		fprintf(stderr, "cishare: error: no delivery record for you:"
		    " NISC, and ministries and CEPTOARs that relayed it, see"
		    " one\n");
		rc = EXIT_FAIL;
		goto out;
	}
	if (ctx->json) {
		tree_name_orgs(&tr, tr.hops);
		tree_name_orgs(&tr, un);
		out = json_pack("{s:O?, s:O?, s:O}", "id",
		    json_object_get(res, "id"), "identification_number",
		    json_object_get(res, "identification_number"),
		    "delivery", del);
		print_json(out);
		goto out;
	}

	s = jfield(res, "identification_number");
	t = jfield(res, "id");
	w = tlp_text(json_object_get(res, "tlp"));
	x = importance_text(json_object_get(res, "importance"));
	printf("%s (advisory %s)  TLP:%s  %s  ", s, t, w, x);
	free(s);
	free(t);
	free(w);
	free(x);
	s = jfield(res, "state");
	t = time_text(json_object_get(res, "issued_at"), 1);
	printf("state %s  issued at %s\n", s, t);
	free(s);
	free(t);

	/* Roots: senders that received nothing themselves (NISC). */
	json_array_foreach(tr.hops, i, hop) {
		from = json_integer_value(json_object_get(hop, "from_org"));
		if (tree_received(tr.hops, from))
			continue;
		for (k = 0; k < json_array_size(roots); k++)
			if (json_integer_value(json_array_get(roots, k)) ==
			    from)
				break;
		if (k == json_array_size(roots))
			(void)json_array_append_new(roots,
			    json_integer(from));
	}
	tr.done = xcalloc(json_array_size(tr.hops) + 1, 1);
	json_array_foreach(roots, i, u) {
		org = org_label(ctx, &tr.orgs, u);
		printf("%s\n", org);
		free(org);
		tree_children(&tr, json_integer_value(u), "", 0);
	}
	/* Whatever no root leads to (should not happen) still shows. */
	json_array_foreach(tr.hops, i, hop)
		if (!tr.done[i]) {
			tr.done[i] = 1;
			tree_hop(&tr, "", "(unattached) ", hop);
			tree_children(&tr, json_integer_value(
			    json_object_get(hop, "org")), "    ", 1);
		}

	s = jfield(json_object_get(del, "summary"), "delivered");
	t = jfield(json_object_get(del, "summary"), "read");
	w = jfield(json_object_get(del, "summary"), "acknowledged");
	printf("\n%s delivered, %s read, %s acknowledged\n", s, t, w);
	free(s);
	free(t);
	free(w);
	if (json_array_size(un) == 0) {
		printf("all acknowledged.\n");
		goto out;
	}
	printf("not yet acknowledged:\n");
	now = cs_time_now_us();
	json_array_foreach(un, i, u) {
		org = org_label(ctx, &tr.orgs, json_object_get(u, "org"));
		s = time_text(json_object_get(u, "delivered_at"), 1);
		w = NULL;
		if (json_is_string(json_object_get(u, "delivered_at")) &&
		    cs_time_parse(json_string_value(json_object_get(u,
		    "delivered_at")), &at) == CS_OK) {
			hop = json_real(now > at ? (double)(now - at) / 1e6 :
			    0);
			w = secs_text(hop);
			json_decref(hop);
		}
		printf("  %s %s  delivered %s  waiting %s%s\n",
		    json_is_true(json_object_get(u, "overdue")) ? "!" : "-",
		    org, s, w != NULL ? w : "-",
		    json_is_true(json_object_get(u, "overdue")) ?
		    "  期限超過 (overdue)" : "");
		free(org);
		free(s);
		free(w);
	}
out:
	org_cache_fini(&tr.orgs);
	free(tr.done);
	free(path);
	json_decref(roots);
	json_decref(out);
	json_decref(res);
	return rc;
}

/* ---- inbox ---------------------------------------------------------- */

static void
on_signal(int sig)
{
	(void)sig;
	got_signal = 1;
}

/* Stop on a signal or at the deadline (polled by client_stream()). */
static int
follow_cancel(void *arg)
{
	struct follow *f = arg;

	if (got_signal)
		return 1;
	if (f->deadline_us > 0 && cs_time_now_us() >= f->deadline_us) {
		f->timed_out = 1;
		return 1;
	}
	return 0;
}

/* Sleeps ms milliseconds unless follow_cancel() says stop; returns it. */
static int
follow_sleep(struct follow *f, long ms)
{
	struct timespec ts;
	long step;

	while (ms > 0) {
		if (follow_cancel(f))
			return 1;
		step = ms < 200 ? ms : 200;
		ts.tv_sec = 0;
		ts.tv_nsec = step * 1000000L;
		(void)nanosleep(&ts, NULL);
		ms -= step;
	}
	return follow_cancel(f);
}

/* One event: a line of text, or its data as one JSON line (--json). */
static int
follow_event(const struct sse_event *ev, void *arg)
{
	struct follow *f = arg;
	json_error_t jerr;
	json_t *item;
	char when[40], *kind, *ident, *id, *imp, *tlp, *sum;

	item = json_loadb(ev->data, ev->datalen, 0, &jerr);
	if (!json_is_object(item)) {
		kind = safe_dup(ev->type, 1);
		id = safe_dup(ev->id, 1);
		fprintf(stderr, "cishare: warning: %s event %s: data is not"
		    " a JSON object; skipped\n", kind, id);
		free(kind);
		free(id);
		json_decref(item);
		return 0;
	}
	if (f->ctx->json) {
		(void)json_dumpf(item, stdout, JSON_COMPACT);
		fputc('\n', stdout);
	} else {
		cs_time_format(cs_time_now_us(), when, sizeof(when));
		kind = safe_dup(ev->type, 1);
		ident = jfield(item, "identification_number");
		id = jfield(item, "id");
		imp = importance_cell(item);
		tlp = tlp_text(json_object_get(item, "tlp"));
		sum = first_line(json_object_get(item, "summary"), 60);
		printf("%s  %s  %s (advisory %s)  %s  TLP:%s  %s\n", when, kind,
		    ident, id, imp, tlp, sum);
		free(kind);
		free(ident);
		free(id);
		free(imp);
		free(tlp);
		free(sum);
	}
	json_decref(item);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		f->write_failed = errno != 0 ? errno : EIO;
		return 1;
	}
	f->nevents++;
	return f->max_events > 0 && f->nevents >= f->max_events;
}

/*
 * inbox --follow: GET /inbox/stream, printing each event, reconnecting
 * with Last-Event-ID after the retry time (3 s unless the server says
 * otherwise) when the stream ends or drops.  A first connection that fails
 * is an error; so is a 4xx answer at any time.
 */
static int
inbox_follow(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	struct sigaction sa, old_int, old_term;
	struct sse_parser p;
	struct client_stream s;
	struct client_error ce;
	struct follow f;
	enum client_status st;
	const char *v;
	char *msg;
	int64_t n;
	long delay;
	int rc = EXIT_USAGE, ever = 0, parser_ready = 0, handlers = 0;

	memset(&f, 0, sizeof(f));
	f.ctx = ctx;
	if ((v = args_get(a, "max-events")) != NULL) {
		if (cs_str_to_i64(v, 1, INT64_MAX, &n) != CS_OK) {
			rc = usage_error(ctx->entry, "--max-events: expected a"
			    " positive integer, not \"%s\"", v);
			goto out;
		}
		f.max_events = n;
	}
	if ((v = args_get(a, "timeout")) != NULL) {
		if (cs_str_to_i64(v, 1, 31L * 86400, &n) != CS_OK) {
			rc = usage_error(ctx->entry, "--timeout: expected 1 to"
			    " %ld seconds, not \"%s\"", 31L * 86400, v);
			goto out;
		}
		f.deadline_us = cs_time_now_us() + n * 1000000;
	}
	sse_init(&p, follow_event, &f);
	parser_ready = 1;
	if ((v = args_get(a, "last-event-id")) != NULL) {
		if (cs_str_to_i64(v, 0, INT64_MAX, &n) != CS_OK) {
			rc = usage_error(ctx->entry, "--last-event-id: expected"
			    " an event id, not \"%s\"", v);
			goto out;
		}
		sse_set_last_id(&p, v);
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	(void)sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: interrupt the waits */
	got_signal = 0;
	if (sigaction(SIGINT, &sa, &old_int) == 0) {
		if (sigaction(SIGTERM, &sa, &old_term) == 0)
			handlers = 2;
		else
			handlers = 1;
	}

	for (;;) {
		memset(&s, 0, sizeof(s));
		s.parser = &p;
		s.last_event_id = *sse_last_id(&p) != '\0' ? sse_last_id(&p) :
		    NULL;
		s.idle_timeout_s = FOLLOW_IDLE_S;
		s.cancel = follow_cancel;
		s.arg = &f;
		st = client_stream(ctx->client, "/inbox/stream", &s, &ce);
		ever |= s.connected;
		if (f.write_failed) {
			fprintf(stderr, "cishare: cannot write output: %s\n",
			    strerror(f.write_failed));
			rc = EXIT_FAIL;
			break;
		}
		if (s.stopped) {
			rc = 0;
			break;
		}
		if (s.cancelled)
			goto cancelled;
		if (st == CLIENT_EPROTO || (st == CLIENT_EHTTP &&
		    (ce.http_status < 500 || !ever)) ||
		    (st == CLIENT_ENET && !ever)) {
			rc = report_error(ctx, &ce);
			break;
		}
		delay = sse_retry_ms(&p) >= 0 ? sse_retry_ms(&p) :
		    FOLLOW_RETRY_MS;
		/* Neither a busy loop nor a day's wait, whatever it says. */
		if (delay < FOLLOW_RETRY_MIN_MS)
			delay = FOLLOW_RETRY_MIN_MS;
		if (delay > FOLLOW_RETRY_MAX_MS)
			delay = FOLLOW_RETRY_MAX_MS;
		if (st == CLIENT_OK)
			fprintf(stderr, "cishare: the server ended the stream;"
			    " reconnecting in %ld ms\n", delay);
		else {
			msg = safe_dup(ce.message, 1);
			if (st == CLIENT_EHTTP)
				fprintf(stderr, "cishare: error: %s (HTTP %ld);"
				    " reconnecting in %ld ms\n", msg,
				    ce.http_status, delay);
			else
				fprintf(stderr, "cishare: %s; reconnecting in"
				    " %ld ms\n", msg, delay);
			free(msg);
		}
		sse_restart(&p);
		if (follow_sleep(&f, delay))
			goto cancelled;
	}
	goto out;
cancelled:
	/*
	 * A signal ends --follow normally; so does --timeout, unless
	 * --max-events asked for more events than came.
	 */
	rc = f.timed_out && f.max_events > 0 ? EXIT_NET : 0;
	if (rc != 0)
		fprintf(stderr, "cishare: timed out after %" PRId64 " of %"
		    PRId64 " events\n", f.nevents, f.max_events);
out:
	if (handlers >= 1)
		(void)sigaction(SIGINT, &old_int, NULL);
	if (handlers == 2)
		(void)sigaction(SIGTERM, &old_term, NULL);
	if (parser_ready)
		sse_fini(&p);
	return rc;
}

static int
cmd_inbox(struct cmd_ctx *ctx)
{
	static const char *const headers[] = {
		"ID", "IDENT", "重要度", "TLP", "DELIVERED", "READ", "ACK",
		"SUMMARY"
	};
	static const char *const follow_only[] = {
		"max-events", "timeout", "last-event-id"
	};
	struct args *a = ctx->args;
	struct table t;
	struct cs_buf q;
	json_t *items = NULL, *it, *out = NULL;
	const char *filter = NULL;
	char *path = NULL, *next = NULL, *row[nitems(headers)];
	size_t i;
	int rc = EXIT_USAGE;

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
	if (check_limit(ctx->entry, args_get(a, "limit")) == -1)
		return EXIT_USAGE;
	if (args_has(a, "unread"))
		filter = "unread";
	else if (args_has(a, "unacknowledged"))
		filter = "unacknowledged";
	cs_buf_init(&q, CLIENT_MAX_PATH);
	(void)cs_buf_adds(&q, "/inbox");
	(void)client_query_add(ctx->client, &q, "filter", filter);
	(void)client_query_add(ctx->client, &q, "limit",
	    args_get(a, "limit"));
	if ((path = cs_buf_finish(&q)) == NULL)
		goto out;
	items = json_array();
	if ((rc = fetch_items(ctx, path, args_get(a, "cursor"),
	    args_has(a, "all"), items, &next)) != 0)
		goto out;
	if (ctx->json) {
		out = json_object();
		(void)json_object_set(out, "items", items);
		(void)json_object_set_new(out, "next_cursor",
		    next != NULL ? json_string(next) : json_null());
		print_json(out);
		goto out;
	}
	table_init(&t, headers, nitems(headers));
	json_array_foreach(items, i, it) {
		row[0] = jfield(it, "id");
		row[1] = jfield(it, "identification_number");
		row[2] = importance_cell(it);
		row[3] = tlp_text(json_object_get(it, "tlp"));
		row[4] = time_text(json_object_get(it, "delivered_at"), 0);
		row[5] = time_text(json_object_get(it, "read_at"), 0);
		row[6] = ack_cell(it);
		row[7] = first_line(json_object_get(it, "summary"), 40);
		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_fini(&t);
	if (next != NULL)
		fprintf(stderr, "cishare: more advisories: use --all\n");
out:
	free(path);
	free(next);
	json_decref(items);
	json_decref(out);
	return rc;
}

/* ---- widening requests ------------------------------------------------ */

static int
cmd_widening_request(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = NULL, *sectors, *res = NULL;
	json_int_t rid;
	const char *tlp, *reason;
	char *path = NULL, *id = NULL, *state = NULL;
	size_t i;
	int rc = EXIT_USAGE;

	if (parse_id(ctx->entry, "report id", a->pos[0], &rid) == -1)
		goto out;
	if ((tlp = args_get(a, "tlp")) == NULL) {
		rc = usage_error(ctx->entry, "--tlp is required");
		goto out;
	}
	body = json_object();
	(void)json_object_set_new(body, "tlp", json_string(tlp));
	if (args_has(a, "sector")) {
		sectors = json_array();
		(void)json_object_set_new(body, "sectors", sectors);
		for (i = 0; i < a->nopts; i++) {
			if (strcmp(a->opts[i].name, "sector") != 0)
				continue;
			if (add_str_list(a->opts[i].value, sectors) == -1) {
				rc = usage_error(ctx->entry, "--sector: empty"
				    " sector in \"%s\"", a->opts[i].value);
				goto out;
			}
		}
	}
	if ((reason = args_get(a, "reason")) != NULL)
		(void)json_object_set_new(body, "reason", json_string(reason));
	path = xasprintf("/reports/%" JSON_INTEGER_FORMAT
	    "/widening-requests", rid);
	if ((rc = request(ctx, "POST", path, body, &res)) != 0)
		goto out;
	if (ctx->json) {
		print_json(res);
		goto out;
	}
	id = jfield(res, "id");
	state = jfield(res, "state");
	printf("widening request %s state %s\n", id, state);
out:
	free(path);
	free(id);
	free(state);
	json_decref(body);
	json_decref(res);
	return rc;
}

static int
cmd_widening_list(struct cmd_ctx *ctx)
{
	static const char *const headers[] = {
		"ID", "REPORT", "TLP", "SECTORS", "STATE", "BY_ORG", "CREATED",
		"DECIDED", "REASON"
	};
	struct args *a = ctx->args;
	struct table t;
	struct cs_buf q;
	json_t *items = NULL, *it, *out = NULL;
	char *path = NULL, *next = NULL, *row[nitems(headers)];
	size_t i;
	int rc = EXIT_USAGE;

	if (check_limit(ctx->entry, args_get(a, "limit")) == -1)
		return EXIT_USAGE;
	cs_buf_init(&q, CLIENT_MAX_PATH);
	(void)cs_buf_adds(&q, "/widening-requests");
	(void)client_query_add(ctx->client, &q, "limit",
	    args_get(a, "limit"));
	if ((path = cs_buf_finish(&q)) == NULL)
		goto out;
	items = json_array();
	if ((rc = fetch_items(ctx, path, args_get(a, "cursor"),
	    args_has(a, "all"), items, &next)) != 0)
		goto out;
	if (ctx->json) {
		out = json_object();
		(void)json_object_set(out, "items", items);
		(void)json_object_set_new(out, "next_cursor",
		    next != NULL ? json_string(next) : json_null());
		print_json(out);
		goto out;
	}
	table_init(&t, headers, nitems(headers));
	json_array_foreach(items, i, it) {
		row[0] = jfield(it, "id");
		row[1] = jfield(it, "report");
		row[2] = tlp_text(json_object_get(it, "tlp"));
		row[3] = jfield(it, "sectors");
		row[4] = jfield(it, "state");
		row[5] = jfield(it, "requested_by_org");
		row[6] = time_text(json_object_get(it, "created_at"), 0);
		row[7] = time_text(json_object_get(it, "decided_at"), 0);
		row[8] = first_line(json_object_get(it, "reason"), 40);
		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_fini(&t);
	if (next != NULL)
		fprintf(stderr, "cishare: more requests: use --all\n");
out:
	free(path);
	free(next);
	json_decref(items);
	json_decref(out);
	return rc;
}

/* widening approve|refuse ID: the source's answer. */
static int
cmd_widening_decide(struct cmd_ctx *ctx)
{
	json_t *res = NULL;
	json_int_t wid;
	char *path = NULL, *id = NULL, *state = NULL, *rep = NULL;
	char *tlp = NULL, *sec = NULL;
	int rc;

	if (parse_id(ctx->entry, "widening request id", ctx->args->pos[0],
	    &wid) == -1)
		return EXIT_USAGE;
	path = xasprintf("/widening-requests/%" JSON_INTEGER_FORMAT "/%s",
	    wid, ctx->entry->sub);
	if ((rc = request(ctx, "POST", path, NULL, &res)) != 0)
		goto out;
	if (ctx->json) {
		print_json(res);
		goto out;
	}
	id = jfield(res, "id");
	state = jfield(res, "state");
	rep = jfield(res, "report");
	tlp = tlp_text(json_object_get(res, "tlp"));
	sec = jfield(res, "sectors");
	printf("widening request %s %s (report %s, TLP:%s, sectors %s)\n", id,
	    state, rep, tlp, sec);
out:
	free(path);
	free(id);
	free(state);
	free(rep);
	free(tlp);
	free(sec);
	json_decref(res);
	return rc;
}

/* ---- notification channels --------------------------------------------- */

static int
cmd_channel_add(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	json_t *body = NULL, *res = NULL, *secret;
	json_int_t uid, oid;
	const char *kind = a->pos[0], *v;
	char *id = NULL;
	int rc = EXIT_USAGE;

	if (strcmp(kind, "email") != 0 && strcmp(kind, "webhook") != 0) {
		rc = usage_error(ctx->entry, "channel kind must be email or"
		    " webhook, not \"%s\"", kind);
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

static int
cmd_channel_list(struct cmd_ctx *ctx)
{
	static const char *const headers[] = {
		"ID", "ORG", "USER", "KIND", "TARGET", "ACTIVE", "CREATED"
	};
	static const char *const keys[] = {
		"id", "org", "user", "kind", "target", "active", "created_at"
	};
	struct table t;
	json_t *items = NULL, *it, *out = NULL;
	char *next = NULL, *row[nitems(keys)];
	size_t i, k;
	int rc;

	items = json_array();
	if ((rc = fetch_items(ctx, "/notification-channels", NULL, 1, items,
	    &next)) != 0)
		goto out;
	if (ctx->json) {
		out = json_pack("{s:O, s:n}", "items", items, "next_cursor");
		print_json(out);
		goto out;
	}
	table_init(&t, headers, nitems(headers));
	json_array_foreach(items, i, it) {
		for (k = 0; k < nitems(keys); k++)
			row[k] = k == 6 ? time_text(json_object_get(it,
			    keys[k]), 0) : jfield(it, keys[k]);
		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_fini(&t);
out:
	free(next);
	json_decref(items);
	json_decref(out);
	return rc;
}

static int
cmd_notifications(struct cmd_ctx *ctx)
{
	static const char *const headers[] = {
		"ID", "CHANNEL", "ADVISORY", "EVENT", "STATUS", "ATTEMPTS",
		"CREATED", "SENT", "NEXT", "ERROR"
	};
	struct args *a = ctx->args;
	struct table t;
	struct cs_buf q;
	json_t *items = NULL, *it, *out = NULL;
	const char *status;
	char *path = NULL, *next = NULL, *row[nitems(headers)];
	size_t i;
	int rc = EXIT_USAGE;

	status = args_get(a, "status");
	if (status != NULL && strcmp(status, "failed") != 0 &&
	    strcmp(status, "pending") != 0 && strcmp(status, "sent") != 0)
		return usage_error(ctx->entry, "--status must be failed,"
		    " pending or sent, not \"%s\"", status);
	if (check_limit(ctx->entry, args_get(a, "limit")) == -1)
		return EXIT_USAGE;
	cs_buf_init(&q, CLIENT_MAX_PATH);
	(void)cs_buf_adds(&q, "/notifications");
	(void)client_query_add(ctx->client, &q, "status", status);
	(void)client_query_add(ctx->client, &q, "limit",
	    args_get(a, "limit"));
	if ((path = cs_buf_finish(&q)) == NULL)
		goto out;
	items = json_array();
	if ((rc = fetch_items(ctx, path, args_get(a, "cursor"),
	    args_has(a, "all"), items, &next)) != 0)
		goto out;
	if (ctx->json) {
		out = json_object();
		(void)json_object_set(out, "items", items);
		(void)json_object_set_new(out, "next_cursor",
		    next != NULL ? json_string(next) : json_null());
		print_json(out);
		goto out;
	}
	table_init(&t, headers, nitems(headers));
	json_array_foreach(items, i, it) {
		row[0] = jfield(it, "id");
		row[1] = jfield(it, "channel");
		row[2] = jfield(it, "advisory");
		row[3] = jfield(it, "event");
		row[4] = jfield(it, "status");
		row[5] = jfield(it, "attempts");
		row[6] = time_text(json_object_get(it, "created_at"), 0);
		row[7] = time_text(json_object_get(it, "sent_at"), 0);
		row[8] = time_text(json_object_get(it, "next_attempt_at"), 0);
		row[9] = first_line(json_object_get(it, "last_error"), 50);
		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_fini(&t);
	if (next != NULL)
		fprintf(stderr, "cishare: more notifications: use --all\n");
out:
	free(path);
	free(next);
	json_decref(items);
	json_decref(out);
	return rc;
}

/* ---- main --------------------------------------------------------- */

int
main(int argc, char **argv)
{
	const struct cmd_entry *entry = NULL;
	struct args a;
	struct config cfg;
	struct client cl;
	struct cmd_ctx ctx;
	char err[256];
	int rc = EXIT_USAGE, i = 1, used, curl_ready = 0, client_ready = 0;

	memset(&cfg, 0, sizeof(cfg));
	args_init(&a, argc);

	/* Global options before the command. */
	if (args_parse(&a, argc, argv, &i, NULL, 1) == -1) {
		fprintf(stderr, "Try 'cishare --help'.\n");
		goto out;
	}
	if (args_has(&a, "version")) {
		rc = cmd_version(NULL);
		goto out;
	}
	if (i >= argc) {
		if (args_has(&a, "help")) {
			usage_all(stdout);
			rc = 0;
		} else
			fprintf(stderr, "usage: cishare [OPTIONS] COMMAND"
			    " [ARGS]\nTry 'cishare --help'.\n");
		goto out;
	}
	if ((entry = cmd_find(argc - i, argv + i, &used)) == NULL) {
		if (used == 0)
			fprintf(stderr, "cishare: unknown command: %s\n"
			    "Try 'cishare --help'.\n", argv[i]);
		else if (help_requested(argc - i, argv + i)) {
			usage_group(stdout, argv[i]);
			rc = 0;
		} else {
			if (i + 1 < argc)
				fprintf(stderr, "cishare: unknown %s command:"
				    " %s\n", argv[i], argv[i + 1]);
			else
				fprintf(stderr, "cishare: %s needs a"
				    " sub-command\n", argv[i]);
			usage_group(stderr, argv[i]);
		}
		goto out;
	}
	i += used;

	/* The rest: options anywhere, then positional arguments. */
	if (args_parse(&a, argc, argv, &i, entry->opts, 0) == -1) {
		fprintf(stderr, "usage:\n");
		usage_entry(stderr, entry);
		goto out;
	}
	if (args_has(&a, "help")) {
		printf("usage:\n");
		usage_entry(stdout, entry);
		rc = 0;
		goto out;
	}
	if (args_has(&a, "version")) {
		rc = cmd_version(NULL);
		goto out;
	}
	if ((int)a.npos < entry->lower ||
	    (entry->upper >= 0 && (int)a.npos > entry->upper)) {
		rc = usage_error(entry, "wrong number of arguments");
		goto out;
	}

	memset(&ctx, 0, sizeof(ctx));
	ctx.entry = entry;
	ctx.args = &a;
	ctx.json = args_has(&a, "json");
	if (entry->flags & CMD_LOCAL) {
		rc = entry->exec(&ctx);
		goto out;
	}

	if (config_load(&cfg, &a) == -1)
		goto out;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "cishare: cannot initialise libcurl\n");
		rc = EXIT_NET;
		goto out;
	}
	curl_ready = 1;
	if (client_init(&cl, cfg.url, cfg.token, cfg.cacert, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "cishare: %s\n", err);
		goto out;
	}
	client_ready = 1;
	ctx.client = &cl;
	rc = entry->exec(&ctx);
out:
	if (client_ready)
		client_fini(&cl);
	if (curl_ready)
		curl_global_cleanup();
	config_fini(&cfg);
	args_fini(&a);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "cishare: cannot write output: %s\n",
		    strerror(errno));
		if (rc == 0)
			rc = EXIT_FAIL;
	}
	return rc;
}
