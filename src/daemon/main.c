/*
 * main.c: cishared — `init` creates or migrates a database and prints the
 * first admin token once; `serve` serves the API.
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

#include <sodium.h>

#include "../http/http.h"

struct opts {
	const char	*cmd;
	const char	*db;
	const char	*listen;
	const char	*key_file;
	bool		 demo;
	bool		 quiet;
	int		 four_eyes_alert;
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
	    "                      [--quiet]\n"
	    "\n"
	    "  --db PATH         SQLite database file (or sqlite:PATH)\n"
	    "  --listen H:P      address to serve on (default 127.0.0.1:8080;\n"
	    "                    port 0 picks a free port and prints it)\n"
	    "  --key-file FILE   deployment master key (default PATH.key)\n"
	    "  --demo            also load a demo population (init)\n"
	    "  --quiet           log warnings only (serve)\n"
	    "Environment: CISHARED_DB, CISHARED_LISTEN, CISHARED_KEY_FILE.\n");
	exit(code);
}

static void
parse(int argc, char *argv[], struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->db = getenv("CISHARED_DB");
	o->listen = getenv("CISHARED_LISTEN");
	o->key_file = getenv("CISHARED_KEY_FILE");
	o->four_eyes_alert = 1;
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

static char *
key_path(const struct opts *o)
{
	const char *db = o->db;

	if (o->key_file != NULL)
		return xstrdup(o->key_file);
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
	struct http_server *srv;
	struct store *st;
	struct cs_error e;
	struct sigaction sa;
	int port;

	cs_error_clear(&e);
	if (o->quiet)
		log_set_level(CS_LOG_WARN);
	load_key(o, false);
	if (store_open(o->db, false, &st, &e) != CS_OK)
		fatalx("%s", e.msg);
	memset(&cfg, 0, sizeof(cfg));
	cfg.four_eyes_alert = o->four_eyes_alert;
	cfg.rate_limit = 200;
	if (getenv("CISHARED_RATE_LIMIT") != NULL) {
		int64_t rl;

		if (cs_str_to_i64(getenv("CISHARED_RATE_LIMIT"), 0, 1000000, &rl) != CS_OK)
			fatalx("CISHARED_RATE_LIMIT must be requests per second (0: off)");
		cfg.rate_limit = (double)rl;
	}
	if (http_start(o->listen, st, &cfg, &srv, &port, &e) != CS_OK)
		fatalx("%s", e.msg);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
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
		pause();
	log_info("event=stop");
	http_stop(srv);
	store_close(st);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct opts o;

	if (sodium_init() < 0)
		fatalx("libsodium failed to initialise");
	parse(argc, argv, &o);
	if (strcmp(o.cmd, "init") == 0)
		return cmd_init(&o);
	if (strcmp(o.cmd, "serve") == 0)
		return cmd_serve(&o);
	fprintf(stderr, "cishared: unknown command %s\n", o.cmd);
	usage(64);
}
