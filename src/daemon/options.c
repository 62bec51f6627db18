/*
 * options.c: the one table of cishared's options.  Each entry gives the
 * flag, its environment variable, its default, the subcommands that take
 * it and its help; parsing, `--help` and the Markdown table of
 * docs/operations.md (`cishared options --markdown`, compared by make lint)
 * all read it.  Precedence: default < environment < flag.
 *
 * To add an option: one entry here (and a field in struct opts if parsing
 * fills it), then `make docs-options` to rewrite the documentation table.
 * To add a subcommand: its dispatch line in main.c and a line in cmds[]
 * below (for the help); --db is required only by the commands named in
 * its entry.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "daemon/options.h"

enum okind {
	O_STR = 0,	/* const char * at off (the default kind) */
	O_BOOL,		/* bool at off, set by the bare flag */
	O_NUM,		/* int64_t at off: a whole number in [min, max] times unit */
	O_FOUR_EYES,	/* alert | all | off into four_eyes_alert/_all */
	O_ELSEWHERE	/* an environment variable read where it is used */
};

struct opt {
	const char	*flag;		/* "--db"; NULL: environment only */
	const char	*arg;		/* value name in the help; NULL: none */
	const char	*env;		/* NULL: no variable */
	const char	*def;		/* default as shown; NULL: none */
	bool		 apply;		/* def is parsed and applied here */
	const char	*cmds;		/* subcommands that use it */
	const char	*req;		/* subcommands that require it */
	enum okind	 kind;
	size_t		 off;
	int64_t		 min, max, unit;
	const char	*help;
};

#define OFF(f)	offsetof(struct opts, f)

/* the commands that open a database */
#define DB_CMDS	"init serve backup restore purge"

static const struct opt opts[] = {
	{ .flag = "--db", .arg = "PATH|URL", .env = "CISHARED_DB",
	  .cmds = DB_CMDS " check-config", .req = DB_CMDS " check-config",
	  .kind = O_STR, .off = OFF(db),
	  .help = "SQLite file (or sqlite:PATH), or postgresql://... (libpq; "
	  "the password from PGPASSWORD/PGPASSFILE, never the URL)" },
	{ .flag = "--listen", .arg = "HOST:PORT", .env = "CISHARED_LISTEN",
	  .def = "127.0.0.1:8080", .apply = true, .cmds = "serve",
	  .kind = O_STR, .off = OFF(listen),
	  .help = "address to serve on; port 0 picks a free port and prints it" },
	{ .flag = "--log-format", .arg = "FORMAT", .env = "CISHARED_LOG_FORMAT",
	  .def = "json", .cmds = "init serve backup restore", .kind = O_STR,
	  .off = OFF(log_format),
	  .help = "json (one JSON object a line) or text (key=value); serve "
	  "writes the log from its own thread and never waits for stderr" },
	{ .flag = "--session-idle", .arg = "MINUTES", .env = "CISHARED_SESSION_IDLE",
	  .def = "30", .apply = true, .cmds = "serve", .kind = O_NUM,
	  .off = OFF(session_idle_us), .min = 1, .max = 720,
	  .unit = 60LL * 1000000,
	  .help = "a web session not used for this long ends (its absolute "
	  "limit is 12 hours)" },
	{ .flag = "--breached-passwords", .arg = "FILE",
	  .env = "CISHARED_BREACHED_PASSWORDS", .cmds = "serve", .kind = O_STR,
	  .off = OFF(breached),
	  .help = "refuse new passwords found in this list (one a line, as "
	  "published lists of breached passwords are)" },
	{ .flag = "--tls-cert", .arg = "FILE", .env = "CISHARED_TLS_CERT",
	  .cmds = "serve", .kind = O_STR, .off = OFF(tls_cert),
	  .help = "serve HTTPS (TLS 1.2 and 1.3 only, with HSTS): the "
	  "certificate chain, PEM; needs --tls-key" },
	{ .flag = "--tls-key", .arg = "FILE", .env = "CISHARED_TLS_KEY",
	  .cmds = "serve", .kind = O_STR, .off = OFF(tls_key),
	  .help = "the certificate's private key, PEM (unencrypted; keep the "
	  "file readable by the service user only)" },
	{ .flag = "--key-file", .arg = "FILE", .env = "CISHARED_KEY_FILE",
	  .def = "DB.key", .cmds = "init serve restore", .off = OFF(key_file),
	  .help = "deployment master key, never inside the database; required "
	  "for PostgreSQL" },
	{ .flag = "--four-eyes", .arg = "MODE", .def = "alert", .apply = true,
	  .cmds = "serve", .kind = O_FOUR_EYES,
	  .help = "alert, all or off: which advisories need a second NISC "
	  "approver" },
	{ .flag = "--public-url", .arg = "URL", .env = "CISHARED_PUBLIC_URL",
	  .def = "http://LISTEN", .cmds = "serve", .off = OFF(public_url),
	  .help = "base of links in notifications" },
	{ .flag = "--smtp", .arg = "URL", .env = "CISHARED_SMTP_URL",
	  .def = "none", .cmds = "serve", .off = OFF(smtp_url),
	  .help = "mail server, smtp://host:port; without it e-mail channels "
	  "fail (visibly)" },
	{ .flag = "--mail-from", .arg = "ADDR", .env = "CISHARED_MAIL_FROM",
	  .def = "cishare@localhost", .cmds = "serve", .off = OFF(mail_from),
	  .help = "sender of notification mail" },
	{ .flag = "--notify-backoff-ms", .arg = "N",
	  .env = "CISHARED_NOTIFY_BACKOFF_MS", .def = "30000", .apply = true,
	  .cmds = "serve", .kind = O_NUM, .off = OFF(backoff_us),
	  .min = 1, .max = 3600000, .unit = 1000,
	  .help = "first retry delay of a failed notification, doubling, "
	  "capped at 1 h, 6 attempts" },
	{ .flag = "--reminder-interval", .arg = "SECONDS",
	  .env = "CISHARED_REMINDER_INTERVAL", .def = "3600", .apply = true,
	  .cmds = "serve", .kind = O_NUM, .off = OFF(reminder_us),
	  .min = 0, .max = 366 * 86400, .unit = 1000000,
	  .help = "seconds before an unacknowledged 警報 (alert) is "
	  "re-notified (0: never)" },
	{ .flag = "--min-anonymity-set", .arg = "N",
	  .env = "CISHARED_MIN_ANONYMITY_SET", .def = "5", .apply = true,
	  .cmds = "serve", .kind = O_NUM, .off = OFF(min_anonymity_set),
	  .min = 0, .max = 100000, .unit = 1,
	  .help = "a CEPTOAR forwarding an anonymised report of a sector with "
	  "fewer member operators is warned and asked to confirm (0: never)" },
	{ .flag = "--stats-k", .arg = "N", .env = "CISHARED_STATS_K",
	  .def = "3", .apply = true, .cmds = "serve", .kind = O_NUM,
	  .off = OFF(stats_k), .min = 1, .max = 1000, .unit = 1,
	  .help = "statistics: a cell with fewer distinct source organisations "
	  "is suppressed for everyone but NISC; survey aggregates: a sector "
	  "with fewer respondents, for everyone" },
	{ .flag = "--max-attachment", .arg = "BYTES",
	  .env = "CISHARED_MAX_ATTACHMENT", .def = "20971520", .apply = true,
	  .cmds = "serve", .kind = O_NUM, .off = OFF(max_attachment),
	  .min = 1, .max = 1073741824, .unit = 1,
	  .help = "the largest attachment (別紙, 検体) accepted; a larger "
	  "upload is refused with 413" },
	{ .flag = "--http-threads", .arg = "N", .env = "CISHARED_HTTP_THREADS",
	  .def = "0", .apply = true, .cmds = "serve", .kind = O_NUM,
	  .off = OFF(http_threads), .min = 0, .max = 1024, .unit = 1,
	  .help = "threads that poll the connections (epoll) and run the "
	  "requests; they bound the requests in progress, not the "
	  "connections (0: four per core, 16 to 64); live inboxes get a "
	  "quarter as many more (at least 2)" },
	{ .flag = "--max-connections", .arg = "N",
	  .env = "CISHARED_MAX_CONNECTIONS", .def = "0", .apply = true,
	  .cmds = "serve", .kind = O_NUM, .off = OFF(max_connections),
	  .min = 0, .max = 1000000, .unit = 1,
	  .help = "connections open at once, live inbox streams included; "
	  "serve raises its file-descriptor limit to the hard limit at "
	  "start, and never takes more than that less 256 (0: that many)" },
	/* read by cmd_serve (main.c) and src/http/server.c */
	{ .env = "CISHARED_RATE_LIMIT", .def = "200", .cmds = "serve",
	  .kind = O_ELSEWHERE,
	  .help = "requests per second per client address (0: off)" },
	{ .env = "CISHARED_SSE_HEARTBEAT", .def = "15", .cmds = "serve",
	  .kind = O_ELSEWHERE,
	  .help = "seconds between heartbeats on live inboxes" },
	{ .flag = "--peers", .arg = "FILE", .env = "CISHARED_PEERS",
	  .def = "none", .cmds = "serve", .off = OFF(peers_file),
	  .help = "federation peers to register or update at start "
	  "(docs/interop.md Federation: the peers file)" },
	/* read by cmd_serve (main.c) for daemon/fedpoll.c */
	{ .env = "CISHARED_PEER_TIMEOUT", .def = "30", .cmds = "serve",
	  .kind = O_ELSEWHERE,
	  .help = "seconds a federation poll of one page may take (connect: at "
	  "most 10); docs/interop.md Federation" },
	{ .flag = "--allow-loopback-webhooks", .def = "off", .cmds = "serve",
	  .kind = O_BOOL, .off = OFF(allow_loopback_webhooks),
	  .help = "let webhooks go to http:// on loopback addresses (tests "
	  "only; otherwise https:// to public addresses only)" },
	{ .flag = "--quiet", .def = "off", .cmds = "serve", .kind = O_BOOL,
	  .off = OFF(quiet), .help = "log warnings only" },
	{ .flag = "--demo", .def = "off", .cmds = "init", .kind = O_BOOL,
	  .off = OFF(demo), .help = "also load a demo population" },
	{ .flag = "--out", .arg = "FILE", .cmds = "backup", .req = "backup",
	  .off = OFF(out),
	  .help = "where the copy goes (replaced atomically); works while "
	  "serve runs; SQLite only (PostgreSQL: pg_dump)" },
	{ .flag = "--in", .arg = "FILE", .cmds = "restore", .req = "restore",
	  .off = OFF(in), .help = "a file written by cishared backup" },
	{ .flag = "--force", .def = "off", .cmds = "restore", .kind = O_BOOL,
	  .off = OFF(force),
	  .help = "replace an existing database (not one a running cishared "
	  "has open)" },
	{ .flag = "--markdown", .def = "off", .cmds = "options",
	  .kind = O_BOOL, .off = OFF(markdown),
	  .help = "print the table as in docs/operations.md" },
	{ .flag = "--require-totp", .arg = "ROLES",
	  .env = "CISHARED_REQUIRE_TOTP", .def = "none", .cmds = "serve",
	  .off = OFF(require_totp),
	  .help = "comma-separated roles (e.g. admin,approver) whose users "
	  "must enroll a TOTP second factor: until they have, a password "
	  "login only lets them enroll (docs/security.md)" },
	{ .flag = "--retain-reports", .arg = "DAYS", .env = "CISHARED_RETAIN_REPORTS",
	  .def = "0", .apply = true, .cmds = "serve purge", .kind = O_NUM,
	  .off = OFF(retain_reports), .min = 0, .max = 36500, .unit = 1,
	  .help = "days a report is kept after its last change, with its versions, hops, shares, attachments and index rows; a held report is never purged (0: forever)" },
	{ .flag = "--retain-advisories", .arg = "DAYS", .env = "CISHARED_RETAIN_ADVISORIES",
	  .def = "0", .apply = true, .cmds = "serve purge", .kind = O_NUM,
	  .off = OFF(retain_advisories), .min = 0, .max = 36500, .unit = 1,
	  .help = "days an advisory is kept after its last change, with its versions, deliveries, inbox events, notifications and attachments; a held advisory is never purged (0: forever)" },
	{ .flag = "--retain-stix", .arg = "DAYS", .env = "CISHARED_RETAIN_STIX",
	  .def = "0", .apply = true, .cmds = "serve purge", .kind = O_NUM,
	  .off = OFF(retain_stix), .min = 0, .max = 36500, .unit = 1,
	  .help = "days a STIX object contributed through TAXII is kept after it was added (0: forever)" },
	{ .flag = "--retain-notifications", .arg = "DAYS", .env = "CISHARED_RETAIN_NOTIFICATIONS",
	  .def = "0", .apply = true, .cmds = "serve purge", .kind = O_NUM,
	  .off = OFF(retain_notifications), .min = 0, .max = 36500, .unit = 1,
	  .help = "days a sent or failed notification stays in the outbox (0: forever; pending ones are never purged)" },
	{ .flag = "--retain-exercises", .arg = "DAYS", .env = "CISHARED_RETAIN_EXERCISES",
	  .def = "0", .apply = true, .cmds = "serve purge", .kind = O_NUM,
	  .off = OFF(retain_exercises), .min = 0, .max = 36500, .unit = 1,
	  .help = "days a cross-sector exercise is kept after its last response or issue (0: forever)" },
	{ .flag = "--purge-interval", .arg = "SECONDS",
	  .env = "CISHARED_PURGE_INTERVAL", .def = "3600", .apply = true,
	  .cmds = "serve", .kind = O_NUM, .off = OFF(purge_interval_us),
	  .min = 1, .max = 366 * 86400, .unit = 1000000,
	  .help = "how often the worker purges what the --retain-* options "
	  "make due (docs/internals/retention.md)" },
	{ .flag = "--dry-run", .def = "off", .cmds = "purge", .kind = O_BOOL,
	  .off = OFF(dry_run),
	  .help = "print what a purge would remove, remove nothing" },
	{ .flag = "--now", .def = "off", .cmds = "purge", .kind = O_BOOL,
	  .off = OFF(purge_now),
	  .help = "purge what is due now, in batches of 100 items per "
	  "transaction" },
};

#define NOPTS	(sizeof(opts) / sizeof(opts[0]))

static const struct {
	const char	*name;
	const char	*help;
} cmds[] = {
	{ "init", "Create or migrate a database and print the first admin "
	  "token once." },
	{ "serve", "Serve the API and the web UI." },
	{ "backup", "Copy a live SQLite database consistently.  The key file "
	  "is never in a backup: keep the deployment's key file with it "
	  "(separately)." },
	{ "restore", "Put a copy written by backup in place; checks a key "
	  "file given or present at PATH.key." },
	{ "check-config", "Check the serve options and environment without "
	  "serving: the listen address, the database (reachable, schema "
	  "current), the key file (matches the database), the TLS files, the "
	  "URLs.  Prints a line per check; exits 1 if any fails." },
	{ "options", "Print the option table (docs/operations.md)." },
	{ "purge", "Apply the retention policy (--retain-*) once: --dry-run "
	  "prints what is due per class, --now removes it with every row that "
	  "refers to it; held items are kept.  Works while serve runs." },
	{ "routes", "Print every API route with its action, who may call it "
	  "and its body keys (docs/internals/routes.md)." },
	{ "openapi", "Print the OpenAPI 3.1 description of the API, built from "
	  "the route tables (docs/openapi.json; served at "
	  "/api/v1/openapi.json)." },
};

#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

static int	 has_word(const char *, const char *);

/* check-config takes what serve takes. */
static const char *
as_cmd(const char *name)
{
	return strcmp(name, "check-config") == 0 ? "serve" : name;
}
static void	 wrap(FILE *, const char *, size_t, size_t);
static void	 synopsis(FILE *, size_t);
static void	 option_help(FILE *, const struct opt *);
static int64_t	 parse_num(const struct opt *, const char *, const char *);
static void	 parse_four_eyes(const char *, struct opts *);
static void	 set(const struct opt *, const char *, const char *, struct opts *);

/* Whether the space-separated list has word w. */
static int
has_word(const char *list, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	if (list == NULL)
		return 0;
	for (p = list; (p = strstr(p, w)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/* Text wrapped at 79 columns; the first line continues at column `at`,
 * the others start at `indent`. */
static void
wrap(FILE *f, const char *s, size_t at, size_t indent)
{
	size_t col = at, n;
	bool first = true;

	for (;;) {
		while (*s == ' ')
			s++;
		if ((n = strcspn(s, " ")) == 0)
			break;
		if (!first && col + 1 + n > 79) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)n, s);
		col += n;
		s += n;
		first = false;
	}
	fputc('\n', f);
}

static void
synopsis(FILE *f, size_t c)
{
	char buf[1024];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < NOPTS && len < sizeof(buf); i++) {
		const struct opt *o = &opts[i];
		bool req = has_word(o->req, cmds[c].name);

		if (o->flag == NULL || !has_word(o->cmds, as_cmd(cmds[c].name)))
			continue;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, " %s%s%s%s%s",
		    req ? "" : "[", o->flag, o->arg != NULL ? " " : "",
		    o->arg != NULL ? o->arg : "", req ? "" : "]");
	}
	fprintf(f, "  cishared %-12s ", cmds[c].name);
	wrap(f, buf, 24, 24);
}

static void
option_help(FILE *f, const struct opt *o)
{
	char head[64], tail[160];
	int n;

	if (o->flag != NULL)
		n = snprintf(head, sizeof(head), "  %s%s%s", o->flag,
		    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
	else
		n = snprintf(head, sizeof(head), "  %s", o->env);
	if (n < 0)
		n = 0;
	fputs(head, f);
	if ((size_t)n + 1 >= 24) {
		fprintf(f, "\n%24s", "");
		n = 24;
	} else
		fprintf(f, "%*s", 24 - n, "");
	wrap(f, o->help, 24, 24);
	tail[0] = '\0';
	if (o->env != NULL && o->flag != NULL)
		cs_fmt(tail, sizeof(tail), "environment %s", o->env);
	if (o->def != NULL && o->kind != O_BOOL)
		cs_fmt(tail + strlen(tail), sizeof(tail) - strlen(tail), "%sdefault %s",
		    tail[0] != '\0' ? "; " : "", o->def);
	if (tail[0] != '\0') {
		fprintf(f, "%24s(", "");
		fprintf(f, "%s)\n", tail);
	}
}

void
opts_usage(const char *cmd, int code)
{
	FILE *f = code ? stderr : stdout;
	size_t c, i;

	for (c = 0; c < NCMDS; c++)
		if (cmd != NULL && strcmp(cmds[c].name, cmd) == 0)
			break;
	fputs("usage:\n", f);
	for (i = 0; i < NCMDS; i++)
		if (c == NCMDS || i == c)
			synopsis(f, i);
	if (c < NCMDS) {
		fputc('\n', f);
		wrap(f, cmds[c].help, 0, 0);
	} else {
		fputc('\n', f);
		for (i = 0; i < NCMDS; i++) {
			fprintf(f, "  %-13s", cmds[i].name);
			wrap(f, cmds[i].help, 15, 15);
		}
	}
	fputc('\n', f);
	for (i = 0; i < NOPTS; i++)
		if (c == NCMDS || has_word(opts[i].cmds, as_cmd(cmds[c].name)))
			option_help(f, &opts[i]);
	exit(code);
}

/* Markdown cell text: `|` would end the cell. */
static void
cell(const char *s, bool code)
{
	if (s == NULL) {
		fputs(" — |", stdout);
		return;
	}
	fputs(code ? " `" : " ", stdout);
	for (; *s != '\0'; s++) {
		if (*s == '|')
			fputc('\\', stdout);
		fputc(*s, stdout);
	}
	fputs(code ? "` |" : " |", stdout);
}

int
opts_print(bool markdown)
{
	size_t i;

	if (!markdown)
		opts_usage(NULL, 0);
	printf("| option | environment | default | commands | what |\n");
	printf("|---|---|---|---|---|\n");
	for (i = 0; i < NOPTS; i++) {
		const struct opt *o = &opts[i];
		char cmdlist[128];
		size_t j, k;

		fputs("|", stdout);
		cell(o->flag, true);
		cell(o->env, true);
		cell(o->def, o->def != NULL && strcmp(o->def, "none") != 0 &&
		    strcmp(o->def, "off") != 0);
		for (j = 0, k = 0; o->cmds[j] != '\0' && k + 2 < sizeof(cmdlist); j++) {
			cmdlist[k++] = o->cmds[j] == ' ' ? ',' : o->cmds[j];
			if (o->cmds[j] == ' ')
				cmdlist[k++] = ' ';
		}
		cmdlist[k] = '\0';
		cell(cmdlist, false);
		cell(o->help, false);
		fputc('\n', stdout);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

/* A whole number in [min, max] scaled by the unit, or the usage. */
static int64_t
parse_num(const struct opt *o, const char *s, const char *what)
{
	int64_t v;

	if (cs_str_to_i64(s, o->min, o->max, &v) != CS_OK) {
		fprintf(stderr, "cishared: %s must be a number from %lld to %lld\n",
		    what, (long long)o->min, (long long)o->max);
		opts_usage(NULL, 64);
	}
	return v * o->unit;
}

static void
parse_four_eyes(const char *s, struct opts *o)
{
	if (strcmp(s, "alert") == 0) {
		o->four_eyes_alert = 1;
		o->four_eyes_all = 0;
	} else if (strcmp(s, "all") == 0) {
		o->four_eyes_alert = 1;
		o->four_eyes_all = 1;
	} else if (strcmp(s, "off") == 0) {
		o->four_eyes_alert = 0;
		o->four_eyes_all = 0;
	} else {
		fprintf(stderr, "cishared: --four-eyes must be alert, all or off\n");
		opts_usage("serve", 64);
	}
}

/* Store value v of option o (from `what`: a flag or a variable name). */
static void
set(const struct opt *o, const char *v, const char *what, struct opts *out)
{
	char *base = (char *)out;

	switch (o->kind) {
	case O_STR:
		*(const char **)(void *)(base + o->off) = v;
		break;
	case O_BOOL:
		*(bool *)(void *)(base + o->off) = true;
		break;
	case O_NUM:
		*(int64_t *)(void *)(base + o->off) = parse_num(o, v, what);
		break;
	case O_FOUR_EYES:
		parse_four_eyes(v, out);
		break;
	case O_ELSEWHERE:
		break;
	}
}

void
opts_parse(int argc, char *argv[], struct opts *o)
{
	const struct opt *p;
	const char *v;
	size_t i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < NOPTS; i++) {
		p = &opts[i];
		if (p->apply && p->kind != O_STR)
			set(p, p->def, p->flag, o);
		if (p->env != NULL && p->kind != O_ELSEWHERE &&
		    (v = getenv(p->env)) != NULL)
			set(p, v, p->env, o);
	}
	if (argc < 2)
		opts_usage(NULL, 64);
	o->cmd = argv[1];
	if (strcmp(o->cmd, "-h") == 0 || strcmp(o->cmd, "--help") == 0)
		opts_usage(NULL, 0);
	for (int a = 2; a < argc; a++) {
		if (strcmp(argv[a], "-h") == 0 || strcmp(argv[a], "--help") == 0)
			opts_usage(o->cmd, 0);
		for (i = 0; i < NOPTS; i++)
			if (opts[i].flag != NULL && strcmp(opts[i].flag, argv[a]) == 0)
				break;
		if (i == NOPTS) {
			fprintf(stderr, "cishared: unknown argument %s\n", argv[a]);
			opts_usage(o->cmd, 64);
		}
		p = &opts[i];
		if (p->arg == NULL) {
			set(p, NULL, p->flag, o);
			continue;
		}
		if (a + 1 >= argc)
			opts_usage(o->cmd, 64);
		set(p, argv[++a], p->flag, o);
	}
	/* opts[0] is --db: required by the commands its entry names */
	if (o->db == NULL && has_word(opts[0].req, o->cmd)) {
		fprintf(stderr, "cishared: --db is required\n");
		opts_usage(o->cmd, 64);
	}
	for (i = 0; i < NOPTS; i++)
		if (opts[i].apply && opts[i].kind == O_STR &&
		    *(const char **)(void *)((char *)o + opts[i].off) == NULL)
			set(&opts[i], opts[i].def, opts[i].flag, o);
}
