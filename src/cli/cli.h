/*
 * cli.h: what the files of cishare share (internal to src/cli/).
 *
 * Every command is one struct cmd_entry of cmd_table[] (cmd.c); its exec
 * lives in the cmd-<group>.c file of its group.  An entry declares its
 * positional arguments ("ID [FILE.json]") and names its options, which
 * are declared once in cmd.c (name, value name, how the value is checked,
 * allowed values, query parameter, help); the parser (args.c) checks the
 * command line against them and every usage text is printed from them, so
 * no usage text is written by hand.  List commands are entries whose exec
 * is listview_exec and whose data is a struct list_view (listview.c).
 *
 * Exit status: 0 success, 1 the server refused or a local input was
 * unusable, 2 no usable answer from the server, 64 usage or configuration.
 */
#ifndef CS_CLI_H
#define CS_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "util/util.h"
#include "gen/vocab.h"
#include "cli/client.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define EXIT_FAIL	1
#define EXIT_NET	2
#define EXIT_USAGE	64

#define DEFAULT_URL	"http://127.0.0.1:8080"
#define MAX_LIST_LIMIT	500

/* ---- vocabulary (vocab.c) ------------------------------------------ */

/*
 * The lists are the generated ones (gen/vocab.h: struct vocab_item, each
 * list sentinel-terminated, and the 情報連絡様式's field table
 * vocab_report_form); these read them as the CLI's messages need.
 */
const char	*vocab_name(const struct vocab_item *,
		    const struct vocab_item *);
size_t		 vocab_len(const struct vocab_item *);
const struct vocab_item *vocab_find(const struct vocab_item *, const char *);
char		*vocab_allowed(const struct vocab_item *, int);

/* ---- command line (args.c) ----------------------------------------- */

/* struct opt_spec flags. */
#define OPT_ARG		0x01	/* takes a value */
#define OPT_MULTI	0x02	/* may be given more than once */
#define OPT_LIST	0x04	/* the value is a comma-separated list */

/* How an option's value is checked before the command runs. */
enum opt_check {
	CHK_NONE,
	CHK_VOCAB,	/* one of .vocab (each item for OPT_LIST) */
	CHK_TIME,	/* RFC 3339 with offset */
	CHK_LIMIT,	/* 1 .. MAX_LIST_LIMIT */
	CHK_ID		/* a positive integer */
};

/* One option of the table in cmd.c. */
struct opt_spec {
	const char		*id;		/* what entries list */
	const char		*name;		/* --name; NULL: the id */
	int			 flags;
	const char		*meta;		/* value name in the usage */
	enum opt_check		 check;
	const struct vocab_item	*vocab;		/* CHK_VOCAB */
	const char		*param;		/* query parameter in a list */
	const char		*pvalue;	/* a flag's parameter value */
	const char		*help;
};

/* The options every command takes, every list, and every paged list. */
#define GLOBAL_OPTS	"url token config cacert json help version"
#define LIST_OPTS	"columns"
#define PAGE_OPTS	"columns limit cursor all"

const struct opt_spec *opt_by_id(const char *, size_t);
const char	*opt_name(const struct opt_spec *);
const struct opt_spec *opt_next(const char *, size_t *, int *);

/* One option as given; value NULL for a flag, else canonical. */
struct arg_opt {
	const char	*name;
	const char	*value;
};

/* The parsed command line.  Strings are borrowed from argv or vocab. */
struct args {
	const char	**pos;
	size_t		  npos;
	struct arg_opt	 *opts;
	size_t		  nopts;
};

struct cmd_ctx;
struct list_view;

/* struct cmd_entry flags. */
#define CMD_LOCAL	0x1	/* needs neither configuration nor server */

struct cmd_entry {
	const char		*name;
	const char		*sub;		/* NULL: no sub-command */
	const char		*args;		/* positionals: "ID [FILE.json]" */
	const char		*about;
	const char		*opts;		/* option ids (cmd.c), or NULL */
	int			 flags;
	const struct list_view	*view;		/* listview_exec's data */
	int			(*exec)(struct cmd_ctx *);
};

struct cmd_ctx {
	const struct cmd_entry	*entry;
	struct args		*args;
	struct client		*client;
	int			 json;
};

extern const struct cmd_entry cmd_table[];

void		 args_init(struct args *, int);
void		 args_fini(struct args *);
int		 args_parse(struct args *, int, char **, int *,
		    const struct cmd_entry *, int);
int		 args_check(const struct args *, const struct cmd_entry *);
const char	*args_get(const struct args *, const char *);
int		 args_has(const struct args *, const char *);
const struct cmd_entry *cmd_find(int, char **, int *);
int		 help_requested(int, char **);
void		 usage_all(FILE *);
void		 usage_entry(FILE *, const struct cmd_entry *, int);
void		 usage_group(FILE *, const char *);
int		 usage_error(const struct cmd_entry *, const char *, ...)
		    CS_PRINTF(2, 3);
int		 parse_id(const struct cmd_entry *, const char *, const char *,
		    json_int_t *);
int		 collect_ids(struct cmd_ctx *, const char *, const char *,
		    json_t **);
int		 collect_strs(struct cmd_ctx *, const char *, json_t *);
int		 pos_ids(struct cmd_ctx *, size_t, json_t *);

/* ---- configuration (config.c) -------------------------------------- */

struct config {
	char	*url;
	char	*token;
	char	*cacert;
};

void		 config_fini(struct config *);
int		 config_load(struct config *, const struct args *);
int		 config_load_file(struct config *, const char *, int);

/* ---- requests and input (request.c) -------------------------------- */

int		 request(struct cmd_ctx *, const char *, const char *,
		    json_t *, json_t **);
int		 request_text(struct cmd_ctx *, const char *, const char *,
		    json_t *, json_t **);
int		 request_ex(struct cmd_ctx *, const char *, const char *,
		    json_t *, json_t **, struct client_error *);
int		 report_error(struct cmd_ctx *, const struct client_error *);
int		 fetch_items(struct cmd_ctx *, const char *, const char *, int,
		    json_t *, char **);
/* Says more about a refused body (the error names a field of it). */
typedef void	(*send_hint)(json_t *, const struct client_error *);

int		 send_json(struct cmd_ctx *, const char *, const char *,
		    json_t *, const char *, send_hint, json_t **);
int		 id_path(struct cmd_ctx *, const char *, const char *,
		    const char *, const char *, char **);
int		 send_form(struct cmd_ctx *, const char *, const char *,
		    const char *, const char *, const char *, send_hint);
int		 load_json_file(const char *, json_t **);
void		 strip_comments(char *, size_t);
json_t		*form_body(json_t *);
int		 read_secret_line(char **);

/* ---- output (out.c) ------------------------------------------------ */

/* A text table; cells[0..ncols) is the header row.  Cells are owned. */
struct table {
	size_t	  ncols;
	size_t	  nrows;
	size_t	  cap;
	char	**cells;
};

size_t		 utf8_next(const unsigned char *, size_t, uint32_t *);
int		 cp_width(uint32_t);
size_t		 str_width(const char *);
char		*safe_dup(const char *, int);
char		*json_text(json_t *);
char		*jfield(json_t *, const char *);
json_t		*jpath(json_t *, const char *);
json_t		*jfirst(json_t *, const char *const *);
json_t		*jalt(json_t *, const char *);
void		 print_json(json_t *);
void		 print_result(const struct cmd_ctx *, json_t *, const char *);
void		 print_once(const char *, const char *, const char *);
void		 print_labelled(const char *, size_t, json_t *);
void		 print_text_field(const char *, size_t, json_t *);
void		 table_init(struct table *, const char *const *, size_t);
void		 table_add(struct table *, char **);
void		 table_print(struct table *, FILE *);
void		 table_fini(struct table *);
void		 table_print_items(json_t *, const char *const *,
		    const char *const *, size_t, FILE *);
char		*importance_text(json_t *);
char		*importance_cell(json_t *);
char		*tlp_text(json_t *);
char		*time_text(json_t *, int);
char		*secs_text(json_t *);
char		*first_line(json_t *, size_t);
char		*ack_cell(json_t *);

/* ---- list commands (listview.c) ------------------------------------ */

/* struct list_view flags. */
#define VIEW_ALL	0x1	/* always fetch every page; no paging options */
#define VIEW_CURSOR	0x2	/* the "more" hint names the next cursor */

/*
 * A list command: the resource, its table's columns and what the hint
 * about more pages calls the items.  The options of the entry that have a
 * query parameter (cmd.c) are the filters.  cols is a list of columns
 * "HEADER=PATH[%FORMAT]": PATH a dotted JSON path or alternatives "a|b",
 * "@importance" or "@ack" for the composite cells; FORMAT "time", "tlp"
 * or "lineN" (the first line, cut to N columns).
 */
struct list_view {
	const char	*path;
	const char	*cols;
	const char	*more;		/* "reports" in "more reports" */
	int		 flags;
};

int		 listview_exec(struct cmd_ctx *);
int		 listview_run(struct cmd_ctx *, const struct list_view *);

/* ---- inbox --follow (follow.c) ------------------------------------- */

int		 inbox_follow(struct cmd_ctx *);

/* ---- the commands: the exec of each entry (cmd.c, cmd-*.c) -------- */

int		 cmd_report_submit(struct cmd_ctx *);
int		 cmd_report_template(struct cmd_ctx *);
int		 cmd_report_followup(struct cmd_ctx *);
int		 cmd_report_forward(struct cmd_ctx *);
int		 cmd_stats(struct cmd_ctx *);
int		 cmd_drill_create(struct cmd_ctx *);
int		 cmd_drill_list(struct cmd_ctx *);
int		 cmd_drill_report(struct cmd_ctx *);
int		 cmd_exercise_create(struct cmd_ctx *);
int		 cmd_exercise_list(struct cmd_ctx *);
int		 cmd_exercise_start(struct cmd_ctx *);
int		 cmd_exercise_injects(struct cmd_ctx *);
int		 cmd_exercise_respond(struct cmd_ctx *);
int		 cmd_exercise_issue(struct cmd_ctx *);
int		 cmd_exercise_after_action(struct cmd_ctx *);
int		 cmd_risk_list(struct cmd_ctx *);
int		 cmd_risk_add(struct cmd_ctx *);
int		 cmd_risk_show(struct cmd_ctx *);
int		 cmd_risk_update(struct cmd_ctx *);
int		 cmd_risk_plan(struct cmd_ctx *);
int		 cmd_risk_export(struct cmd_ctx *);
int		 cmd_council_list(struct cmd_ctx *);
int		 cmd_council_post(struct cmd_ctx *);
int		 cmd_council_share(struct cmd_ctx *);
int		 cmd_mode_show(struct cmd_ctx *);
int		 cmd_mode_declare(struct cmd_ctx *);
int		 cmd_mode_end(struct cmd_ctx *);
int		 cmd_situation_show(struct cmd_ctx *);
int		 cmd_situation_post(struct cmd_ctx *);
int		 cmd_deps_show(struct cmd_ctx *);
int		 cmd_deps_set(struct cmd_ctx *);
int		 cmd_search(struct cmd_ctx *);
int		 cmd_report_cascade(struct cmd_ctx *);
int		 cmd_observable(struct cmd_ctx *);
int		 cmd_report_correlations(struct cmd_ctx *);
int		 cmd_correlations(struct cmd_ctx *);
int		 cmd_report_share(struct cmd_ctx *);
int		 cmd_report_disclose(struct cmd_ctx *);
int		 cmd_report_show(struct cmd_ctx *);
int		 cmd_advisory_create(struct cmd_ctx *);
int		 cmd_advisory_followup(struct cmd_ctx *);
int		 cmd_advisory_post(struct cmd_ctx *);
int		 cmd_advisory_show(struct cmd_ctx *);
int		 cmd_advisory_review(struct cmd_ctx *);
int		 cmd_advisory_tree(struct cmd_ctx *);
int		 cmd_stix(struct cmd_ctx *);
int		 cmd_export(struct cmd_ctx *);
int		 cmd_inbox(struct cmd_ctx *);
int		 cmd_import(struct cmd_ctx *);
int		 cmd_widening_request(struct cmd_ctx *);
int		 cmd_widening_decide(struct cmd_ctx *);
int		 cmd_get_json(struct cmd_ctx *);
int		 cmd_org_create(struct cmd_ctx *);
int		 cmd_org_show(struct cmd_ctx *);
int		 cmd_user_create(struct cmd_ctx *);
int		 cmd_token_create(struct cmd_ctx *);
int		 cmd_channel_add(struct cmd_ctx *);
int		 cmd_audit_verify(struct cmd_ctx *);
int		 cmd_help(struct cmd_ctx *);
int		 cmd_version(struct cmd_ctx *);
int		 cmd_attach(struct cmd_ctx *);
int		 cmd_attachment_get(struct cmd_ctx *);
int		 cmd_sample_request(struct cmd_ctx *);
int		 cmd_sample_answer(struct cmd_ctx *);
int		 cmd_sample_decline(struct cmd_ctx *);

/* cmd-survey.c: the yearly self-assessment survey (issue 14) */
int		 cmd_survey_controls(struct cmd_ctx *);
int		 cmd_survey_open(struct cmd_ctx *);
int		 cmd_survey_list(struct cmd_ctx *);
int		 cmd_survey_answer(struct cmd_ctx *);
int		 cmd_survey_submit(struct cmd_ctx *);
int		 cmd_survey_share(struct cmd_ctx *);
int		 cmd_survey_close(struct cmd_ctx *);
int		 cmd_survey_progress(struct cmd_ctx *);
int		 cmd_survey_results(struct cmd_ctx *);
int		 cmd_survey_csv(struct cmd_ctx *);
int		 cmd_inquiry_send(struct cmd_ctx *);
int		 cmd_inquiry_list(struct cmd_ctx *);
int		 cmd_inquiry_answer(struct cmd_ctx *);
int		 cmd_inquiry_ask(struct cmd_ctx *);
int		 cmd_inquiry_questions(struct cmd_ctx *);
int		 cmd_inquiry_forward(struct cmd_ctx *);
int		 cmd_inquiry_reply(struct cmd_ctx *);
int		 cmd_tasks(struct cmd_ctx *);
/* cmd-flow.c (issue 15) */
int		 cmd_advisory_return(struct cmd_ctx *);
int		 cmd_advisory_remind(struct cmd_ctx *);
int		 cmd_user_password_reset(struct cmd_ctx *);
int		 cmd_hold(struct cmd_ctx *);		/* cmd-retention.c */
int		 cmd_unhold(struct cmd_ctx *);
int		 cmd_erase_source(struct cmd_ctx *);
int		 cmd_retention(struct cmd_ctx *);
int		 cmd_peer_list(struct cmd_ctx *);
int		 cmd_peer_add(struct cmd_ctx *);
int		 cmd_peer_sync(struct cmd_ctx *);
int		 cmd_peer_remove(struct cmd_ctx *);
/* cmd-totp.c: login and the TOTP second factor (issue 16) */
int		 cmd_login(struct cmd_ctx *);
int		 cmd_totp_status(struct cmd_ctx *);
int		 cmd_totp_enroll(struct cmd_ctx *);
int		 cmd_totp_confirm(struct cmd_ctx *);
int		 cmd_totp_disable(struct cmd_ctx *);

#endif
