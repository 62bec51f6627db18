/*
 * main.c: cishared — `init` creates or migrates a database and prints the
 * first admin token once; `serve` serves the API; `backup` copies a live
 * SQLite database consistently; `restore` puts such a copy in place.
 *
 * The deployment master key lives in a file beside the database
 * (DB.key, mode 0600) or where --key-file says, never inside the database:
 * a dump of the database alone reveals no directory PII and cannot link an
 * anonymised report to its source.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "http/http.h"
#include "daemon/worker.h"

struct opts {
	const char	*cmd;
	const char	*db;
	const char	*listen;
	const char	*key_file;
	bool		 demo;
	bool		 quiet;
	int		 four_eyes_alert;
	int		 four_eyes_all;
	int64_t		 reminder_us;
	const char	*smtp_url;
	const char	*mail_from;
	int64_t		 backoff_us;
	const char	*public_url;
	const char	*out;
	const char	*in;
	bool		 force;
};

static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void __attribute__((noreturn))
usage(int code)
{
	FILE *f = code ? stderr : stdout;

	fprintf(f,
	    "usage: cishared init  --db PATH [--demo] [--key-file FILE]\n"
	    "       cishared serve --db PATH [--listen HOST:PORT] [--key-file FILE]\n"
	    "                      [--reminder-interval SECONDS] [--smtp URL]\n"
	    "                      [--mail-from ADDR] [--notify-backoff-ms N]\n"
	    "                      [--public-url URL] [--four-eyes alert|all|off]\n"
	    "                      [--quiet]\n"
	    "       cishared backup  --db PATH --out FILE\n"
	    "       cishared restore --in FILE --db PATH [--key-file FILE] [--force]\n"
	    "\n"
	    "  --db PATH|URL     SQLite file (or sqlite:PATH), or postgresql://... (libpq;\n"
	    "                    password from PGPASSWORD/PGPASSFILE, never the URL)\n"
	    "  --listen H:P      address to serve on (default 127.0.0.1:8080;\n"
	    "                    port 0 picks a free port and prints it)\n"
	    "  --key-file FILE   deployment master key (default PATH.key)\n"
	    "  --demo            also load a demo population (init)\n"
	    "  --quiet           log warnings only (serve)\n"
	    "  --reminder-interval SECONDS\n"
	    "                    re-notify unacknowledged alerts after (default\n"
	    "                    3600; 0 disables)\n"
	    "  --smtp URL        mail server, smtp://host:port (none: e-mail fails)\n"
	    "  --mail-from ADDR  sender address (default cishare@localhost)\n"
	    "  --notify-backoff-ms N\n"
	    "                    first retry delay of a failed notification,\n"
	    "                    doubling up to 1 h (default 30000)\n"
	    "  --public-url URL  base of links in notifications\n"
	    "                    (default http://LISTEN)\n"
	    "  --four-eyes MODE  approval before issue: alert (default), all, off\n"
	    "  --out FILE        backup: where the copy goes (replaced atomically);\n"
	    "                    works while serve runs; SQLite only (PostgreSQL:\n"
	    "                    pg_dump, see docs/operations.md)\n"
	    "  --in FILE         restore: a file written by cishared backup\n"
	    "  --force           restore: replace an existing database (not one a\n"
	    "                    running cishared has open)\n"
	    "The key file is never in a backup: keep the deployment's key file with\n"
	    "it (separately); restore checks a key file given or present at PATH.key.\n"
	    "Environment: CISHARED_DB, CISHARED_LISTEN, CISHARED_KEY_FILE,\n"
	    "CISHARED_REMINDER_INTERVAL, CISHARED_SMTP_URL, CISHARED_MAIL_FROM,\n"
	    "CISHARED_NOTIFY_BACKOFF_MS, CISHARED_PUBLIC_URL.\n");
	exit(code);
}

/* A whole number in [min, max] scaled by `unit`, or usage() naming `what`. */
static int64_t
parse_num(const char *s, int64_t min, int64_t max, int64_t unit,
    const char *what)
{
	int64_t v;

	if (cs_str_to_i64(s, min, max, &v) != CS_OK) {
		fprintf(stderr, "cishared: %s must be a number from %lld to %lld\n",
		    what, (long long)min, (long long)max);
		usage(64);
	}
	return v * unit;
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
		usage(64);
	}
}

static void
parse(int argc, char *argv[], struct opts *o)
{
	const char *v;

	memset(o, 0, sizeof(*o));
	o->db = getenv("CISHARED_DB");
	o->listen = getenv("CISHARED_LISTEN");
	o->key_file = getenv("CISHARED_KEY_FILE");
	o->four_eyes_alert = 1;
	o->reminder_us = INT64_C(3600) * 1000000;
	if ((v = getenv("CISHARED_REMINDER_INTERVAL")) != NULL)
		o->reminder_us = parse_num(v, 0, 366 * 86400, 1000000,
		    "CISHARED_REMINDER_INTERVAL");
	o->smtp_url = getenv("CISHARED_SMTP_URL");
	o->mail_from = getenv("CISHARED_MAIL_FROM");
	o->backoff_us = INT64_C(30000) * 1000;
	if ((v = getenv("CISHARED_NOTIFY_BACKOFF_MS")) != NULL)
		o->backoff_us = parse_num(v, 1, 3600000, 1000,
		    "CISHARED_NOTIFY_BACKOFF_MS");
	o->public_url = getenv("CISHARED_PUBLIC_URL");
	if (argc < 2)
		usage(64);
	o->cmd = argv[1];
	if (strcmp(o->cmd, "-h") == 0 || strcmp(o->cmd, "--help") == 0)
		usage(0);
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];

#define ARG(name) (strcmp(a, name) == 0 && (i + 1 < argc || (usage(64), 0)))
		if (ARG("--db"))
			o->db = argv[++i];
		else if (ARG("--listen"))
			o->listen = argv[++i];
		else if (ARG("--key-file"))
			o->key_file = argv[++i];
		else if (ARG("--reminder-interval"))
			o->reminder_us = parse_num(argv[++i], 0, 366 * 86400,
			    1000000, "--reminder-interval");
		else if (ARG("--smtp"))
			o->smtp_url = argv[++i];
		else if (ARG("--mail-from"))
			o->mail_from = argv[++i];
		else if (ARG("--notify-backoff-ms"))
			o->backoff_us = parse_num(argv[++i], 1, 3600000, 1000,
			    "--notify-backoff-ms");
		else if (ARG("--public-url"))
			o->public_url = argv[++i];
		else if (ARG("--four-eyes"))
			parse_four_eyes(argv[++i], o);
		else if (ARG("--out"))
			o->out = argv[++i];
		else if (ARG("--in"))
			o->in = argv[++i];
		else if (strcmp(a, "--force") == 0)
			o->force = true;
		else if (strcmp(a, "--demo") == 0)
			o->demo = true;
		else if (strcmp(a, "--quiet") == 0)
			o->quiet = true;
		else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			usage(0);
		else {
			fprintf(stderr, "cishared: unknown argument %s\n", a);
			usage(64);
		}
#undef ARG
	}
	if (o->db == NULL) {
		fprintf(stderr, "cishared: --db is required\n");
		usage(64);
	}
	if (o->listen == NULL)
		o->listen = "127.0.0.1:8080";
}

static bool
is_pg_url(const char *db)
{
	return strncmp(db, "postgres://", 11) == 0 ||
	    strncmp(db, "postgresql://", 13) == 0;
}

static char *
key_path(const struct opts *o)
{
	const char *db = o->db;

	if (o->key_file != NULL)
		return xstrdup(o->key_file);
	if (is_pg_url(db))
		fatalx("a PostgreSQL database needs --key-file (or CISHARED_KEY_FILE): "
		    "the master key never lives in the database");
	if (strncmp(db, "sqlite:", 7) == 0)
		db += 7;
	return xasprintf("%s.key", db);
}

/* Reads, or with create makes, the 32-byte master key (64 hex chars). */
static void
load_key(const struct opts *o, bool create)
{
	unsigned char key[CS_KEY_BYTES];
	char hex[2 * CS_KEY_BYTES + 2];
	char *path = key_path(o);
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 && errno == ENOENT && create) {
		randombytes_buf(key, sizeof(key));
		core_hex(key, sizeof(key), hex);
		hex[2 * CS_KEY_BYTES] = '\n';
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0 || write(fd, hex, 2 * CS_KEY_BYTES + 1) !=
		    2 * CS_KEY_BYTES + 1 || fsync(fd) != 0)
			fatalx("cannot write key file %s: %s", path, strerror(errno));
		close(fd);
		fd = open(path, O_RDONLY);
	}
	if (fd < 0)
		fatalx("cannot open key file %s: %s (run cishared init)", path,
		    strerror(errno));
	n = read(fd, hex, sizeof(hex) - 1);
	close(fd);
	if (n < 2 * CS_KEY_BYTES)
		fatalx("key file %s is too short", path);
	hex[2 * CS_KEY_BYTES] = '\0';
	if (core_unhex(hex, key, sizeof(key)) != 0)
		fatalx("key file %s is not 64 hex characters", path);
	core_keys_init(key);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(hex, sizeof(hex));
	free(path);
}

static int
cmd_init(const struct opts *o)
{
	struct store *st;
	struct cs_error e;
	json_t *out = json_object(), *people;
	size_t i;
	json_t *p;

	cs_error_clear(&e);
	load_key(o, true);
	if (store_open(o->db, true, &st, &e) != CS_OK)
		fatalx("%s", e.msg);
	if (api_bootstrap_run(st, o->demo, out, &e) != CS_OK)
		fatalx("init failed: %s %s", e.field, e.msg);
	store_close(st);
	if (json_object_get(out, "admin_token"))
		printf("admin-token: %s\n",
		    json_string_value(json_object_get(out, "admin_token")));
	people = json_object_get(out, "demo_users");
	json_array_foreach(people, i, p)
		printf("demo-user: login=%s password=%s token=%s org=%lld\n",
		    json_string_value(json_object_get(p, "login")),
		    json_string_value(json_object_get(p, "password")),
		    json_string_value(json_object_get(p, "token")),
		    (long long)json_integer_value(json_object_get(p, "org")));
	json_decref(out);
	fflush(stdout);
	return 0;
}

static int
cmd_serve(const struct opts *o)
{
	struct api_config cfg;
	struct worker_config wc;
	struct http_server *srv;
	struct store *st;
	struct cs_error e;
	struct sigaction sa;
	sigset_t block, old;
	char *pub, *pub_port = NULL;
	size_t publen;
	int port;

	cs_error_clear(&e);
	if (o->quiet)
		log_set_level(CS_LOG_WARN);
	load_key(o, false);
	if (store_open(o->db, false, &st, &e) != CS_OK)
		fatalx("%s", e.msg);
	if (api_key_check(st, &e) != CS_OK)
		fatalx("%s", e.msg);
	memset(&cfg, 0, sizeof(cfg));
	cfg.four_eyes_alert = o->four_eyes_alert;
	cfg.four_eyes_all = o->four_eyes_all;
	cfg.reminder_us = o->reminder_us;
	/* Links are "<public_url>/advisories/ID": no trailing slash. */
	pub = o->public_url != NULL ? xstrdup(o->public_url) :
	    xasprintf("http://%s", o->listen);
	publen = strlen(pub);
	while (publen > 0 && pub[publen - 1] == '/')
		pub[--publen] = '\0';
	cfg.public_url = pub;
	cfg.rate_limit = 200;
	if (getenv("CISHARED_RATE_LIMIT") != NULL) {
		int64_t rl;

		if (cs_str_to_i64(getenv("CISHARED_RATE_LIMIT"), 0, 1000000, &rl) != CS_OK)
			fatalx("CISHARED_RATE_LIMIT must be requests per second (0: off)");
		cfg.rate_limit = (double)rl;
	}
	if (http_start(o->listen, st, &cfg, &srv, &port, &e) != CS_OK)
		fatalx("%s", e.msg);
	if (o->public_url == NULL && publen >= 2 &&
	    strcmp(pub + publen - 2, ":0") == 0) {
		/* Port 0: nobody can connect before the port is printed below. */
		pub_port = xasprintf("%.*s%d", (int)(publen - 1), pub, port);
		cfg.public_url = pub_port;
	}
	memset(&wc, 0, sizeof(wc));
	wc.smtp_url = o->smtp_url;
	wc.mail_from = o->mail_from;
	wc.backoff_base_us = o->backoff_us;
	wc.events_cb = http_events_notify;	/* reminders reach live inboxes at once */
	wc.events_arg = srv;
	if (worker_start(st, &cfg, &wc) != CS_OK)
		fatalx("cannot start the worker (is --mail-from a plain address?)");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	/* Blocked until sigsuspend, so a signal cannot slip past the check. */
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	{
		char host[64];
		const char *colon = strrchr(o->listen, ':');
		size_t n = (size_t)(colon - o->listen);

		if (n >= sizeof(host))
			n = sizeof(host) - 1;
		memcpy(host, o->listen, n);
		host[n] = '\0';
		printf("listening on %s:%d\n", host, port);
		fflush(stdout);
	}
	log_info("event=start port=%d schema=%d", port, store_schema_version(st));
	while (!stop_requested)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	worker_stop();
	http_stop(srv);
	{
		uint64_t tx, commits;

		/* What group commit saved: transactions per backend commit. */
		store_stats(st, &tx, &commits);
		log_info("event=stop transactions=%llu commits=%llu",
		    (unsigned long long)tx, (unsigned long long)commits);
	}
	store_close(st);
	free(pub);
	free(pub_port);
	return 0;
}

/*
 * Online backup: the store copies one consistent snapshot while serve may
 * keep writing.  The copy holds no key; nothing needs the key file here.
 */
static int
cmd_backup(const struct opts *o)
{
	struct store *st;
	struct cs_error e;
	struct stat sb;
	enum cs_err rc;

	if (o->out == NULL) {
		fprintf(stderr, "cishared: backup needs --out FILE\n");
		usage(64);
	}
	cs_error_clear(&e);
	if (store_open(o->db, false, &st, &e) != CS_OK)
		fatalx("%s", e.msg);
	rc = store_backup(st, o->out, &e);
	store_close(st);
	if (rc != CS_OK)
		fatalx("backup failed: %s", e.msg);
	if (stat(o->out, &sb) != 0)
		fatalx("backup: cannot stat %s: %s", o->out, strerror(errno));
	printf("backup: %s (%lld bytes, integrity ok)\n", o->out,
	    (long long)sb.st_size);
	fflush(stdout);
	return 0;
}

/*
 * Restore: the backup is opened as a store (which checks its schema
 * version), checked against the key file when one is given or present, and
 * copied into place by the same store operation as a backup (integrity
 * check, temporary file, fsync, rename).  An existing database is replaced
 * only with --force, and never one a running cishared has open.
 */
static int
cmd_restore(const struct opts *o)
{
	const char *dest = o->db;
	struct store *st;
	struct cs_error e;
	struct stat sb;
	char *url, *kpath, *wal;
	bool have_key, exists;
	enum cs_err rc;

	if (o->in == NULL) {
		fprintf(stderr, "cishared: restore needs --in FILE\n");
		usage(64);
	}
	if (is_pg_url(dest))
		fatalx("cishared restore is for SQLite: restore a PostgreSQL dump "
		    "with pg_restore (docs/operations.md)");
	if (strncmp(dest, "sqlite:", 7) == 0)
		dest += 7;
	cs_error_clear(&e);
	wal = xasprintf("%s-wal", dest);
	exists = stat(dest, &sb) == 0 || stat(wal, &sb) == 0;
	free(wal);
	if (exists && !o->force)
		fatalx("%s exists: restore replaces a database only with --force",
		    dest);
	kpath = key_path(o);
	have_key = o->key_file != NULL || access(kpath, F_OK) == 0;
	if (have_key)
		load_key(o, false);
	url = xasprintf("sqlite:%s", o->in);
	rc = store_open(url, false, &st, &e);
	free(url);
	if (rc != CS_OK)
		fatalx("cannot use %s as a backup: %s", o->in, e.msg);
	if (have_key && api_key_check(st, &e) != CS_OK) {
		store_close(st);
		fatalx("%s: %s (it must be the key file of the deployment the "
		    "backup was taken from)", kpath, e.msg);
	}
	rc = store_backup(st, dest, &e);
	store_close(st);
	if (rc != CS_OK)
		fatalx("restore failed: %s", e.msg);
	if (stat(dest, &sb) != 0)
		fatalx("restore: cannot stat %s: %s", dest, strerror(errno));
	printf("restore: %s -> %s (%lld bytes, integrity ok)\n", o->in, dest,
	    (long long)sb.st_size);
	if (have_key)
		printf("key file: %s belongs to this database\n", kpath);
	else
		printf("key file: none at %s: put the key file of the deployment "
		    "the backup was taken from there (or pass --key-file to serve); "
		    "serve refuses any other key\n", kpath);
	fflush(stdout);
	free(kpath);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	int rc;

	if (sodium_init() < 0)
		fatalx("libsodium failed to initialise");
	if (argc == 2 && strcmp(argv[1], "routes") == 0) {	/* http/router.c */
		http_routes_print(stdout);
		return 0;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("libcurl failed to initialise");
	parse(argc, argv, &o);
	if (strcmp(o.cmd, "init") == 0)
		rc = cmd_init(&o);
	else if (strcmp(o.cmd, "serve") == 0)
		rc = cmd_serve(&o);
	else if (strcmp(o.cmd, "backup") == 0)
		rc = cmd_backup(&o);
	else if (strcmp(o.cmd, "restore") == 0)
		rc = cmd_restore(&o);
	else {
		fprintf(stderr, "cishared: unknown command %s\n", o.cmd);
		usage(64);
	}
	curl_global_cleanup();
	return rc;
}
