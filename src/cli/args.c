/*
 * args.c: the command line, checked against each entry's declaration.
 *
 * An entry declares its positional arguments as a usage word list
 * ("ID [FILE.json]", "ID ORGID...") and its options as struct opt_spec
 * (name, value name, how the value is checked, allowed values, help).
 * From these alone the parser takes the number of positional arguments,
 * refuses unknown options and values outside a vocabulary (naming the
 * allowed ones), and the usage texts are printed: nothing here is written
 * twice, so the help cannot drift from what the parser accepts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* Usage lines are folded before this column. */
#define USAGE_COLS	78

static const struct opt_spec *opt_find(const char *, const char *, size_t);
static const char *entry_opts(const struct cmd_entry *, int);
static int	opt_check(const struct cmd_entry *, const struct opt_spec *,
		    const char **);
static int	check_item(const struct cmd_entry *, const struct opt_spec *,
		    const char *, const char **);
static void	pos_bounds(const char *, int *, int *);
static char	*opt_meta(const struct opt_spec *);
static void	usage_words(FILE *, const char *, size_t *);
static void	usage_line(FILE *, const struct cmd_entry *);
static void	usage_about(FILE *, const struct cmd_entry *);
static void	usage_opts(FILE *, const char *, int);
static void	fold(FILE *, const char *, const char *, const char *);
static int	add_id_list(const struct cmd_entry *, const char *,
		    const char *, json_t *);
static int	add_str_list(const char *, json_t *);

void
args_init(struct args *a, int argc)
{
	a->pos = xcalloc((size_t)argc + 1, sizeof(*a->pos));
	a->npos = 0;
	a->opts = xcalloc((size_t)argc + 1, sizeof(*a->opts));
	a->nopts = 0;
}

void
args_fini(struct args *a)
{
	free(a->pos);
	free(a->opts);
	a->pos = NULL;
	a->opts = NULL;
}

/* The option of a list of ids whose name is the len bytes at name. */
static const struct opt_spec *
opt_find(const char *list, const char *name, size_t len)
{
	const struct opt_spec *o;
	size_t pos = 0;
	int req;

	while ((o = opt_next(list, &pos, &req)) != NULL)
		if (strlen(opt_name(o)) == len &&
		    strncmp(opt_name(o), name, len) == 0)
			return o;
	return NULL;
}

/*
 * The option lists of e: 0 its own, 1 those of a list view (with the
 * paging options when it pages); NULL when there is none.
 */
static const char *
entry_opts(const struct cmd_entry *e, int which)
{
	if (e == NULL)
		return NULL;
	if (which == 0)
		return e->opts;
	if (which == 1 && e->view != NULL)
		return (e->view->flags & VIEW_ALL) ? LIST_OPTS : PAGE_OPTS;
	return NULL;
}

/*
 * Checks one item of an option's value; *canon receives the value to use
 * (a vocabulary's id for a name such as "AMBER+STRICT").
 */
static int
check_item(const struct cmd_entry *e, const struct opt_spec *o,
    const char *v, const char **canon)
{
	const struct vocab_item *it;
	int64_t n;
	char *allowed;

	*canon = v;
	switch (o->check) {
	case CHK_NONE:
		break;
	case CHK_VOCAB:
		if ((it = vocab_find(o->vocab, v)) != NULL) {
			*canon = it->id;
			break;
		}
		allowed = vocab_allowed(o->vocab, 0);
		(void)usage_error(e, "--%s %s: allowed: %s", opt_name(o), v,
		    allowed);
		free(allowed);
		return -1;
	case CHK_TIME:
		if (cs_time_parse(v, &n) != CS_OK) {
			(void)usage_error(e, "--%s: \"%s\" is not an RFC 3339"
			    " time with offset (2026-11-21T13:15:00+09:00)",
			    opt_name(o), v);
			return -1;
		}
		break;
	case CHK_LIMIT:
		if (cs_str_to_i64(v, 1, MAX_LIST_LIMIT, &n) != CS_OK) {
			(void)usage_error(e, "--%s: expected 1 to %d, not"
			    " \"%s\"", opt_name(o), MAX_LIST_LIMIT, v);
			return -1;
		}
		break;
	case CHK_ID:
		if (cs_str_to_i64(v, 1, INT64_MAX, &n) != CS_OK) {
			(void)usage_error(e, "invalid --%s id \"%s\": expected"
			    " a positive integer", opt_name(o), v);
			return -1;
		}
		break;
	}
	return 0;
}

/* Checks an option's value (each item of a list); may replace *v. */
static int
opt_check(const struct cmd_entry *e, const struct opt_spec *o,
    const char **v)
{
	const char *p, *comma, *canon;
	char *one;
	int rc;

	if (o->check == CHK_NONE || *v == NULL)
		return 0;
	if (!(o->flags & OPT_LIST))
		return check_item(e, o, *v, v);
	for (p = *v;; p = comma + 1) {
		comma = strchr(p, ',');
		one = comma != NULL ? xstrndup(p, (size_t)(comma - p)) :
		    xstrdup(p);
		rc = *one == '\0' ? 0 : check_item(e, o, one, &canon);
		free(one);
		if (rc == -1)
			return -1;
		if (comma == NULL)
			return 0;
	}
}

/*
 * Parses argv from *ip on: "--name", "--name=value", "--name value" and
 * "-h" against the global options and those of entry (NULL: the global
 * ones only); "--" ends the options.  With stop set, stops at the first
 * positional argument (leaving *ip on it); otherwise positional arguments
 * are collected in order.  Prints the reason and returns -1 on an unknown
 * option, a missing value or a value the option's check refuses.
 */
int
args_parse(struct args *a, int argc, char **argv, int *ip,
    const struct cmd_entry *entry, int stop)
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
		if (strcmp(arg, "-o") == 0)	/* -o FILE: --output FILE */
			arg = "--output";
		if (arg[1] != '-') {
			fprintf(stderr, "cishare: unknown option: %s\n", arg);
			return -1;
		}
		name = arg + 2;
		eq = strchr(name, '=');
		len = eq != NULL ? (size_t)(eq - name) : strlen(name);
		/* A command's own option goes first (attach's --version K). */
		if ((o = opt_find(entry_opts(entry, 0), name, len)) == NULL &&
		    (o = opt_find(GLOBAL_OPTS, name, len)) == NULL &&
		    (o = opt_find(entry_opts(entry, 1), name, len)) == NULL) {
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
				    opt_name(o));
				return -1;
			}
		} else if (eq != NULL) {
			fprintf(stderr, "cishare: option --%s takes no value\n",
			    opt_name(o));
			return -1;
		}
		if (opt_check(NULL, o, &value) == -1)
			return -1;
		a->opts[a->nopts].name = opt_name(o);
		a->opts[a->nopts++].value = value;
	}
	*ip = i;
	return 0;
}

/*
 * The checks that need the whole command line: the number of positional
 * arguments and the required options.  Returns 0, or EXIT_USAGE after
 * printing the reason and the usage.
 */
int
args_check(const struct args *a, const struct cmd_entry *e)
{
	const struct opt_spec *o;
	size_t pos = 0;
	int lower, upper, req;

	pos_bounds(e->args, &lower, &upper);
	if ((int)a->npos < lower || (upper >= 0 && (int)a->npos > upper))
		return usage_error(e, "wrong number of arguments");
	while ((o = opt_next(e->opts, &pos, &req)) != NULL)
		if (req && !args_has(a, opt_name(o)))
			return usage_error(e, "--%s is required", opt_name(o));
	return 0;
}

/* The last value given for name, or NULL. */
const char *
args_get(const struct args *a, const char *name)
{
	size_t i;

	for (i = a->nopts; i > 0; i--)
		if (strcmp(a->opts[i - 1].name, name) == 0)
			return a->opts[i - 1].value;
	return NULL;
}

int
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
const struct cmd_entry *
cmd_find(int argc, char **argv, int *used)
{
	const struct cmd_entry *e, *plain = NULL;
	int known = 0;

	*used = 0;
	for (e = cmd_table; e->name != NULL; e++) {
		if (strcmp(e->name, argv[0]) != 0)
			continue;
		known = 1;
		if (e->sub == NULL)
			plain = e;
		else if (argc > 1 && strcmp(e->sub, argv[1]) == 0) {
			*used = 2;
			return e;
		}
	}
	if (plain != NULL) {
		*used = 1;
		return plain;
	}
	*used = known;
	return NULL;
}

int
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

/*
 * The bounds on positional arguments from a usage word list: a word
 * outside brackets is required, one inside is optional, "..." (alone or
 * ending a word) means any number more.
 */
static void
pos_bounds(const char *words, int *lower, int *upper)
{
	const char *p = words;
	int depth = 0, unlimited = 0;
	size_t n;

	*lower = *upper = 0;
	while (p != NULL && *p != '\0') {
		if (*p == '[') {
			depth++;
			p++;
		} else if (*p == ']') {
			depth--;
			p++;
		} else if (*p == ' ')
			p++;
		else {
			n = strcspn(p, " []");
			if (n >= 3 && strncmp(p + n - 3, "...", 3) == 0)
				unlimited = 1;
			if (strncmp(p, "...", 3) != 0) {
				if (depth == 0)
					(*lower)++;
				(*upper)++;
			}
			p += n;
		}
	}
	if (unlimited)
		*upper = -1;
}

/* The value name of an option: its meta, or its few allowed values. */
static char *
opt_meta(const struct opt_spec *o)
{
	struct cs_buf b;
	size_t i;
	char *s;

	if (o->flags & OPT_LIST)
		return xasprintf("%s,...", o->meta != NULL ? o->meta : "VALUE");
	if (o->meta != NULL || o->check != CHK_VOCAB ||
	    vocab_len(o->vocab) > 4)
		return xstrdup(o->meta != NULL ? o->meta : "VALUE");
	cs_buf_init(&b, 1024);
	for (i = 0; o->vocab[i].id != NULL; i++)
		(void)cs_buf_printf(&b, "%s%s", i > 0 ? "|" : "",
		    o->vocab[i].id);
	if ((s = cs_buf_finish(&b)) == NULL)
		s = xstrdup("VALUE");
	return s;
}

/* Appends the options of list to a usage line at column *col. */
static void
usage_words(FILE *f, const char *list, size_t *col)
{
	const struct opt_spec *o;
	char *word, *meta;
	size_t pos = 0;
	int req;

	while ((o = opt_next(list, &pos, &req)) != NULL) {
		meta = (o->flags & OPT_ARG) ? opt_meta(o) : NULL;
		word = xasprintf("%s--%s%s%s%s%s", req ? "" : "[",
		    opt_name(o), meta != NULL ? " " : "",
		    meta != NULL ? meta : "", req ? "" : "]",
		    (o->flags & (OPT_MULTI | OPT_LIST)) == OPT_MULTI ? "..." :
		    "");
		if (*col + 1 + strlen(word) > USAGE_COLS) {
			fputs("\n         ", f);
			*col = 9;
		} else {
			fputc(' ', f);
			(*col)++;
		}
		fputs(word, f);
		*col += strlen(word);
		free(word);
		free(meta);
	}
}

/* "  cishare report list [--sector S] ...", folded at USAGE_COLS. */
static void
usage_line(FILE *f, const struct cmd_entry *e)
{
	size_t col;

	col = (size_t)fprintf(f, "  cishare %s%s%s%s%s", e->name,
	    e->sub != NULL ? " " : "", e->sub != NULL ? e->sub : "",
	    *e->args != '\0' ? " " : "", e->args);
	usage_words(f, entry_opts(e, 0), &col);
	usage_words(f, entry_opts(e, 1), &col);
	fputc('\n', f);
}

static void
usage_about(FILE *f, const struct cmd_entry *e)
{
	fold(f, "      ", "", e->about);
}

/*
 * Prints prefix and text folded at USAGE_COLS terminal columns, each line
 * indented; a newline in text starts a new line.
 */
static void
fold(FILE *f, const char *indent, const char *prefix, const char *text)
{
	const char *p = text;
	char *word;
	size_t col, n, w;
	int blank = 0;		/* a space comes before the next word */

	col = (size_t)fprintf(f, "%s%s", indent, prefix);
	for (; *p != '\0'; p += n) {
		if ((n = strspn(p, " ")) > 0) {
			blank = 1;
			continue;
		}
		if (*p == '\n') {
			col = (size_t)fprintf(f, "\n%s", indent);
			blank = 0;
			n = 1;
			continue;
		}
		n = strcspn(p, " \n");
		word = xstrndup(p, n);
		w = str_width(word);
		if (blank && col + 1 + w > USAGE_COLS)
			col = (size_t)fprintf(f, "\n%s", indent);
		else if (blank) {
			fputc(' ', f);
			col++;
		}
		fputs(word, f);
		col += w;
		blank = 0;
		free(word);
	}
	fputc('\n', f);
}

/* Each option with its help and, for a vocabulary, the allowed values. */
static void
usage_opts(FILE *f, const char *list, int title)
{
	const struct opt_spec *o;
	char *meta, *allowed;
	size_t pos = 0;
	int req;

	while ((o = opt_next(list, &pos, &req)) != NULL) {
		if (title)
			fprintf(f, "      options:\n");
		title = 0;
		meta = (o->flags & OPT_ARG) ? opt_meta(o) : NULL;
		fprintf(f, "        --%s%s%s\n", opt_name(o), meta != NULL ? " " :
		    "", meta != NULL ? meta : "");
		fold(f, "            ", "", o->help);
		if (o->check == CHK_VOCAB) {
			allowed = vocab_allowed(o->vocab, 0);
			fold(f, "            ", "allowed: ", allowed);
			free(allowed);
		}
		free(meta);
	}
}

/* The usage of e; verbose adds its options, one per line. */
void
usage_entry(FILE *f, const struct cmd_entry *e, int verbose)
{
	usage_line(f, e);
	usage_about(f, e);
	if (verbose) {
		usage_opts(f, e->opts, 1);
		usage_opts(f, entry_opts(e, 1), e->opts == NULL ||
		    *e->opts == '\0');
	}
}

void
usage_group(FILE *f, const char *name)
{
	const struct cmd_entry *e;

	fprintf(f, "usage:\n");
	for (e = cmd_table; e->name != NULL; e++)
		if (strcmp(e->name, name) == 0)
			usage_entry(f, e, 0);
}

void
usage_all(FILE *f)
{
	const struct cmd_entry *e;
	const struct opt_spec *o;
	size_t pos = 0;
	int req;

	fprintf(f, "usage: cishare");
	while ((o = opt_next(GLOBAL_OPTS, &pos, &req)) != NULL)
		if (strcmp(o->id, "help") != 0 && strcmp(o->id, "version") != 0)
			fprintf(f, " [--%s%s%s]", opt_name(o),
			    o->meta != NULL ? " " : "",
			    o->meta != NULL ? o->meta : "");
	fprintf(f, "\n"
	    "               COMMAND [ARGS]\n"
	    "       cishare --help | --version\n"
	    "\n"
	    "The server URL and token come from the config file (--config,\n"
	    "$CISHARE_CONFIG or ~/.config/cishare/config: \"url = ...\",\n"
	    "\"token = ...\"), then $CISHARE_URL and $CISHARE_TOKEN, then\n"
	    "--url and --token; later ones win.  Default URL: "
	    DEFAULT_URL ".\n"
	    "\n"
	    "global options:\n");
	usage_opts(f, GLOBAL_OPTS, 0);
	fprintf(f, "\ncommands (cishare help COMMAND [SUBCOMMAND] for their"
	    " options):\n");
	for (e = cmd_table; e->name != NULL; e++)
		usage_entry(f, e, 0);
	fprintf(f,
	    "\n"
	    "Exit status: 0 success, 1 refused by the server or bad input,\n"
	    "2 no usable answer from the server, 64 usage or configuration "
	    "error.\n");
}

/* Prints "cishare: <reason>" and the entry's usage; returns EXIT_USAGE. */
int
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
		usage_entry(stderr, e, 0);
	}
	return EXIT_USAGE;
}

/* ---- values -------------------------------------------------------- */

int
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
 * Collects the ids of every --opt given (each a comma-separated list)
 * into a new array in *out, or leaves *out NULL when the option is
 * absent.  Returns 0, or -1 after a usage message.
 */
int
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

/*
 * Appends the items of every --opt given (each a comma-separated list)
 * to arr.  Returns 0, or -1 after a usage message naming an empty item.
 */
int
collect_strs(struct cmd_ctx *ctx, const char *opt, json_t *arr)
{
	struct args *a = ctx->args;
	size_t i;

	for (i = 0; i < a->nopts; i++) {
		if (strcmp(a->opts[i].name, opt) != 0)
			continue;
		if (add_str_list(a->opts[i].value, arr) == -1) {
			(void)usage_error(ctx->entry, "--%s: empty %s in"
			    " \"%s\"", opt, opt, a->opts[i].value);
			return -1;
		}
	}
	return 0;
}

/*
 * Sets "to" in body to the organisation ids given as positional
 * arguments from the from-th on.  Returns 0, or -1 after a usage message.
 */
int
pos_ids(struct cmd_ctx *ctx, size_t from, json_t *body)
{
	json_t *to;
	json_int_t id;
	size_t i;

	to = json_array();
	(void)json_object_set_new(body, "to", to);
	for (i = from; i < ctx->args->npos; i++) {
		if (parse_id(ctx->entry, "organisation id", ctx->args->pos[i],
		    &id) == -1)
			return -1;
		(void)json_array_append_new(to, json_integer(id));
	}
	return 0;
}
