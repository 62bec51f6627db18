/*
 * main.c: cishared — `init` creates or migrates a database and prints the
 * first admin token once; `serve` serves the API; `backup` copies a live
 * SQLite database consistently; `restore` puts such a copy in place;
 * `options` prints the option table.  The flags, environment variables
 * and defaults are the table in options.c.
 *
 * The deployment master key lives in a file beside the database
 * (DB.key, mode 0600) or where --key-file says, never inside the database:
 * a dump of the database alone reveals no directory PII and cannot link an
 * anonymised report to its source.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "http/http.h"
#include "daemon/options.h"
#include "daemon/fedpoll.h"
#include "daemon/worker.h"
#include "daemon/purge.h"
#include "svc/svc_boot.h"
#include "svc/svc_peer.h"

static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
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
	struct cs_error e;
	char *path = key_path(o);

	if (svc_key_load(path, create, &e) != CS_OK)
		fatalx("%s%s", e.msg, e.code == CS_ENOENT ?
		    " (run cishared init)" : "");
	free(path);
}

/* A PEM file for TLS, whole, at most 1 MiB; exits on failure. */
static char *
read_pem(const char *path, const char *what)
{
	struct cs_buf b;
	char chunk[4096];
	size_t n;
	FILE *f;
	char *out;

	if ((f = fopen(path, "r")) == NULL)
		fatalx("%s %s: %s", what, path, strerror(errno));
	cs_buf_init(&b, 1 << 20);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (cs_buf_add(&b, chunk, n) != 0)
			fatalx("%s %s: larger than 1 MiB", what, path);
	if (ferror(f))
		fatalx("%s %s: %s", what, path, strerror(errno));
	fclose(f);
	if (strstr(cs_buf_str(&b), "-----BEGIN ") == NULL)
		fatalx("%s %s: not PEM", what, path);
	out = xstrdup(cs_buf_str(&b));
	sodium_memzero(chunk, sizeof(chunk));
	cs_buf_fini(&b);
	return out;
}

/* One line of check-config: "ok   what" or "FAIL what: why". */
static int
check_line(bool good, const char *what, const char *why)
{
	printf("%s %s%s%s\n", good ? "ok  " : "FAIL", what, good ? "" : ": ",
	    good ? "" : why);
	return good ? 0 : 1;
}

/* A URL libcurl parses, with one of the schemes (NULL: any). */
static bool
url_ok(const char *url, const char *const *schemes)
{
	CURLU *u = curl_url();
	char *scheme = NULL;
	bool good;

	good = u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK;
	if (good && schemes != NULL) {
		good = false;
		for (const char *const *s = schemes; *s != NULL; s++)
			good = good || strcmp(scheme, *s) == 0;
	}
	curl_free(scheme);
	curl_url_cleanup(u);
	return good;
}

/* A readable PEM file of at most 1 MiB holding `label`. */
static bool
pem_ok(const char *path, const char *label, char *why, size_t sz)
{
	char buf[4096], begin[64];
	size_t n, total = 0;
	bool found = false;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		cs_fmt(why, sz, "%s: %s", path, strerror(errno));
		return false;
	}
	cs_fmt(begin, sizeof(begin), "-----BEGIN %s", label);
	while ((n = fread(buf, 1, sizeof(buf) - 1, f)) > 0 && total < (1 << 20)) {
		buf[n] = '\0';
		total += n;
		found = found || strstr(buf, begin) != NULL;
	}
	fclose(f);
	sodium_memzero(buf, sizeof(buf));
	if (!found)
		cs_fmt(why, sz, "%s: no \"%s\" block", path, begin + 5);
	return found;
}

static int
cmd_check_config(const struct opts *o)
{
	static const char *const web[] = { "http", "https", NULL };
	static const char *const mail[] = { "smtp", "smtps", NULL };
	struct store *st = NULL;
	struct cs_error e;
	char why[512], *path;
	int bad = 0;

	cs_error_clear(&e);
	bad += check_line(http_listen_check(o->listen, &e) == CS_OK,
	    "--listen", e.msg);
	path = key_path(o);
	cs_error_clear(&e);
	bad += check_line(svc_key_load(path, false, &e) == CS_OK, "--key-file",
	    e.msg);
	free(path);
	cs_error_clear(&e);
	if (store_open(o->db, false, &st, &e) != CS_OK)
		bad += check_line(false, "--db", e.msg);
	else {
		cs_fmt(why, sizeof(why), "schema %d", store_schema_version(st));
		bad += check_line(true, "--db", "");
		printf("     %s\n", why);
		cs_error_clear(&e);
		bad += check_line(svc_key_check(st, &e) == CS_OK,
		    "the key file opens this database's seals", e.msg);
		store_close(st);
	}
	if (o->tls_cert != NULL || o->tls_key != NULL) {
		bad += check_line(o->tls_cert != NULL && o->tls_key != NULL,
		    "--tls-cert and --tls-key", "give both or neither");
		if (o->tls_cert != NULL)
			bad += check_line(pem_ok(o->tls_cert, "CERTIFICATE", why,
			    sizeof(why)), "--tls-cert", why);
		if (o->tls_key != NULL)
			bad += check_line(pem_ok(o->tls_key, "", why, sizeof(why)),
			    "--tls-key", why);
	}
	if (o->public_url != NULL)
		bad += check_line(url_ok(o->public_url, web), "--public-url",
		    "not an http(s) URL");
	if (o->smtp_url != NULL && strcmp(o->smtp_url, "none") != 0)
		bad += check_line(url_ok(o->smtp_url, mail), "--smtp",
		    "not an smtp(s) URL");
	if (o->mail_from != NULL)
		bad += check_line(strchr(o->mail_from, '@') != NULL &&
		    strpbrk(o->mail_from, " <>\r\n") == NULL, "--mail-from",
		    "a plain address (user@host)");
	if (bad == 0)
		printf("config ok\n");
	else
		printf("config has %d problem(s)\n", bad);
	return bad == 0 ? 0 : 1;
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
	if (svc_boot_run(st, o->demo, out, &e) != CS_OK)
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

/*
 * --peers FILE: registers or updates the federation peers it names, in
 * one transaction, before serving (docs/interop.md "Federation").
 */
static void
peers_file(struct store *st, const char *path)
{
	struct svc_config scfg;
	struct svc_ctx c;
	struct cs_error e;
	struct stat sb;
	json_error_t je;
	json_t *j;
	int created, updated;

	if ((j = json_load_file(path, JSON_REJECT_DUPLICATES, &je)) == NULL)
		fatalx("%s: line %d: %s", path, je.line, je.text);
	if (stat(path, &sb) == 0 && (sb.st_mode & 077) != 0)
		log_warn("event=peers_file_readable file=%s mode=%03o "
		    "hint=\"it holds credentials: chmod 600\"", path,
		    (unsigned)(sb.st_mode & 0777));
	cs_error_clear(&e);
	memset(&scfg, 0, sizeof(scfg));
	if (store_begin(st) != CS_OK)
		fatalx("%s: the store is unavailable", path);
	svc_ctx_system(&c, st, &scfg, cs_time_now_us());
	if (svc_peer_configure(&c, j, &created, &updated, &e) != CS_OK) {
		store_rollback(st);
		fatalx("%s: %s: %s", path, e.field, e.msg);
	}
	if (store_commit(st) != CS_OK)
		fatalx("%s: the peers could not be stored", path);
	json_decref(j);
	log_info("event=peers_file file=%s created=%d updated=%d", path, created,
	    updated);
}

/* --require-totp admin,approver: role bits (enum cs_role); "none": 0. */
static enum cs_err
require_totp_parse(const char *s, unsigned *roles, struct cs_error *e)
{
	char *copy, *tok, *save = NULL;
	enum cs_err rc = CS_OK;
	int i;

	*roles = 0;
	if (s == NULL || strcmp(s, "none") == 0 || *s == '\0')
		return CS_OK;
	copy = xstrdup(s);
	for (tok = strtok_r(copy, ",", &save); tok != NULL && rc == CS_OK;
	    tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < CS_NROLES; i++)
			if (strcmp(core_role_id(i), tok) == 0)
				break;
		if (i == CS_NROLES)
			rc = cs_fail(e, CS_EINVAL, "require_totp", "unknown role "
			    "\"%s\"", tok);
		else
			*roles |= 1u << i;
	}
	free(copy);
	return rc;
}

/*
 * Every client connection, live inbox streams included, is a descriptor:
 * the soft limit goes up to the hard one (ulimit -Hn, systemd's
 * LimitNOFILE=), which the connection limit then follows (http.h).
 */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rlim_t was = rl.rlim_cur;

		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			log_warn("event=nofile_raise from=%llu",
			    (unsigned long long)was);
	}
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
	char *pub, *pub_port = NULL, *tls_cert = NULL, *tls_key = NULL;
	struct cs_breached *breached = NULL;
	struct http_tls tls;
	struct http_limits lim;
	size_t publen;
	int port;

	cs_error_clear(&e);
	if (o->quiet)
		log_set_level(CS_LOG_WARN);
	raise_nofile();
#ifdef __GLIBC__
	/*
	 * A thread pool: glibc gives threads up to 8 malloc arenas
	 * a core, each keeping what it freed.  One a core is enough for what
	 * the cores run at once (MALLOC_ARENA_MAX in the environment wins).
	 */
	if (getenv("MALLOC_ARENA_MAX") == NULL) {
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

		(void)mallopt(M_ARENA_MAX, ncpu > 1 ? (int)ncpu : 1);
	}
#endif
	/* A stuck stderr or log pipe must never stall a request thread. */
	log_async_start();
	load_key(o, false);
	if (store_open(o->db, false, &st, &e) != CS_OK)
		fatalx("%s", e.msg);
	if (svc_key_check(st, &e) != CS_OK)
		fatalx("%s", e.msg);
	if (o->peers_file != NULL)
		peers_file(st, o->peers_file);
	/* SQLite's trigram index, behind the requests (what a crash left first). */
	store_search_indexer_start(st);
	memset(&cfg, 0, sizeof(cfg));
	cfg.four_eyes_alert = o->four_eyes_alert;
	cfg.four_eyes_all = o->four_eyes_all;
	cfg.reminder_us = o->reminder_us;
	cfg.allow_loopback_webhooks = o->allow_loopback_webhooks;
	cfg.min_anonymity_set = (int)o->min_anonymity_set;
	cfg.stats_k = (int)o->stats_k;
	cfg.session_idle_us = o->session_idle_us;
	if (o->breached != NULL) {
		if ((breached = core_breached_load(o->breached, &e)) == NULL)
			fatalx("%s", e.msg);
		cfg.breached = breached;
		log_info("event=breached_passwords count=%zu",
		    core_breached_count(breached));
	}
	cfg.max_attachment = o->max_attachment;
	if (require_totp_parse(o->require_totp, &cfg.require_totp_roles,
	    &e) != CS_OK)
		fatalx("--require-totp: %s", e.msg);
	purge_config(o, &cfg);
	/* Links are "<public_url>/advisories/ID": no trailing slash. */
	pub = o->public_url != NULL ? xstrdup(o->public_url) :
	    xasprintf("%s://%s", o->tls_cert != NULL ? "https" : "http",
	    o->listen);
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
	if ((o->tls_cert != NULL) != (o->tls_key != NULL))
		fatalx("--tls-cert and --tls-key go together");
	if (o->tls_cert != NULL) {
		tls.cert_pem = tls_cert = read_pem(o->tls_cert, "--tls-cert");
		tls.key_pem = tls_key = read_pem(o->tls_key, "--tls-key");
	}
	lim.threads = (unsigned)o->http_threads;
	lim.connections = (unsigned)o->max_connections;
	if (http_start(o->listen, st, &cfg, o->tls_cert != NULL ? &tls : NULL,
	    &lim, &srv, &port, &e) != CS_OK)
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
	wc.purge_every_us = o->purge_interval_us;
	wc.events_cb = http_events_notify;	/* reminders reach live inboxes at once */
	wc.events_arg = srv;
	if (worker_start(st, &cfg, &wc) != CS_OK)
		fatalx("cannot start the worker (is --mail-from a plain address?)");
	{
		/* The federation poller (docs/interop.md "Federation"). */
		struct fedpoll_config fc;
		int64_t v;

		memset(&fc, 0, sizeof(fc));
		if (getenv("CISHARED_PEER_TIMEOUT") != NULL) {
			if (cs_str_to_i64(getenv("CISHARED_PEER_TIMEOUT"), 1,
			    3600, &v) != CS_OK)
				fatalx("CISHARED_PEER_TIMEOUT must be seconds "
				    "(1-3600)");
			fc.timeout_s = (long)v;
			fc.connect_timeout_s = v < 10 ? (long)v : 10;
		}
		if (fedpoll_start(st, &cfg, &fc) != CS_OK)
			fatalx("cannot start the federation poller");
	}
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
	fedpoll_stop();
	worker_stop();
	http_stop(srv);
	{
		uint64_t tx, commits, snaps, cached;

		/*
		 * What group commit saved: transactions per backend commit;
		 * reads on a reader, and those answered from what is kept
		 * per generation without one (store_begin_cached).
		 */
		store_stats(st, &tx, &commits);
		store_snapshot_stats(st, &snaps, &cached);
		log_info("event=stop transactions=%llu commits=%llu "
		    "snapshots=%llu cached=%llu", (unsigned long long)tx,
		    (unsigned long long)commits, (unsigned long long)snaps,
		    (unsigned long long)cached);
	}
	store_close(st);
	core_breached_free(breached);
	log_flush(2000000);
	free(pub);
	free(pub_port);
	free(tls_cert);
	if (tls_key != NULL) {
		sodium_memzero(tls_key, strlen(tls_key));
		free(tls_key);
	}
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
		opts_usage(o->cmd, 64);
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
		opts_usage(o->cmd, 64);
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
	if (have_key && svc_key_check(st, &e) != CS_OK) {
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
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("libcurl failed to initialise");
	opts_parse(argc, argv, &o);
	if (o.log_format != NULL && strcmp(o.log_format, "json") != 0 &&
	    strcmp(o.log_format, "text") != 0)
		fatalx("--log-format: json or text");
	log_set_json(o.log_format == NULL || strcmp(o.log_format, "json") == 0);
	if (strcmp(o.cmd, "options") == 0)
		rc = opts_print(o.markdown);
	else if (strcmp(o.cmd, "routes") == 0) {	/* http/router.c */
		http_routes_print(stdout);
		rc = 0;
	}
	else if (strcmp(o.cmd, "openapi") == 0) {	/* http/openapi.c */
		http_openapi_print(stdout);
		rc = 0;
	}
	else if (strcmp(o.cmd, "check-config") == 0)
		rc = cmd_check_config(&o);
	else if (strcmp(o.cmd, "init") == 0)
		rc = cmd_init(&o);
	else if (strcmp(o.cmd, "serve") == 0)
		rc = cmd_serve(&o);
	else if (strcmp(o.cmd, "backup") == 0)
		rc = cmd_backup(&o);
	else if (strcmp(o.cmd, "restore") == 0)
		rc = cmd_restore(&o);
	else if (strcmp(o.cmd, "purge") == 0)
		rc = purge_cmd(&o);
	else {
		fprintf(stderr, "cishared: unknown command %s\n", o.cmd);
		opts_usage(NULL, 64);
	}
	curl_global_cleanup();
	return rc;
}
