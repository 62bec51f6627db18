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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "../util/util.h"
#include "client.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define EXIT_FAIL	1
#define EXIT_NET	2
#define EXIT_USAGE	64

#define DEFAULT_URL	"http://127.0.0.1:8080"
#define MAX_CONFIG_SIZE	(64 * 1024)
#define MAX_PAGES	100000
#define MAX_LIST_LIMIT	500

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
	  " [--limit N] [--cursor C] [--all]",
	  "List the reports you may see; --all follows every page.",
	  report_list_opts, 0, 0, 0, cmd_report_list },
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

static void
usage_entry(FILE *f, const struct cmd_entry *e)
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
			usage_entry(f, &cmd_table[i]);
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
		usage_entry(f, &cmd_table[i]);
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
	char *msg = NULL, *field = NULL;
	int rc = 0;

	switch (client_request(ctx->client, method, path, body, out, &e)) {
	case CLIENT_OK:
		break;
	case CLIENT_ENET:
		msg = safe_dup(e.message, 1);
		fprintf(stderr, "cishare: %s\n", msg);
		rc = EXIT_NET;
		break;
	case CLIENT_EPROTO:
		msg = safe_dup(e.message, 1);
		fprintf(stderr, "cishare: error: %s (HTTP %ld)\n", msg,
		    e.http_status);
		rc = EXIT_FAIL;
		break;
	case CLIENT_EHTTP:
		msg = safe_dup(e.message, 1);
		if (e.field[0] != '\0') {
			field = safe_dup(e.field, 1);
			fprintf(stderr, "cishare: error: %s (field: %s, HTTP"
			    " %ld)\n", msg, field, e.http_status);
		} else
			fprintf(stderr, "cishare: error: %s (HTTP %ld)\n", msg,
			    e.http_status);
		if (e.http_status == 401 && !client_has_token(ctx->client))
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

/* Walks a dotted path of object keys ("form.overview.event_summary"). */
static json_t *
jpath(json_t *v, const char *path)
{
	const char *p, *dot;
	char *key;

	for (p = path; v != NULL; p = dot + 1) {
		dot = strchr(p, '.');
		key = dot != NULL ? xstrndup(p, (size_t)(dot - p)) :
		    xstrdup(p);
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
