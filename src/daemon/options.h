/*
 * options.h: cishared's subcommands, command-line flags and environment
 * variables, as one table (tmux's options-table.c, redis's config.c).
 * `cishared --help`, `cishared CMD --help` and the option table of
 * docs/operations.md (`cishared options --markdown`, checked by make lint)
 * are all produced from it.  Internal to src/daemon/.
 */
#ifndef CS_DAEMON_OPTIONS_H
#define CS_DAEMON_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

/* The parsed command line; strings are borrowed from argv or environ. */
struct opts {
	const char	*cmd;
	bool		 demo;		/* init */
	bool		 quiet;		/* serve */
	bool		 force;		/* restore */
	bool		 markdown;	/* options */
	bool		 allow_loopback_webhooks;	/* serve (tests) */
	int		 four_eyes_alert;
	int		 four_eyes_all;
	int64_t		 reminder_us;
	int64_t		 backoff_us;
	int64_t		 min_anonymity_set;
	int64_t		 stats_k;
	int64_t		 max_attachment;
	int64_t		 http_threads;		/* serve: 0 = the default */
	int64_t		 max_connections;	/* serve: 0 = from the fd limit */
	const char	*db;
	const char	*listen;
	const char	*key_file;
	const char	*smtp_url;
	const char	*mail_from;
	const char	*public_url;
	const char	*log_format;	/* json (default) or text */
	const char	*breached;	/* serve: a breached-password list */
	int64_t		 session_idle_us;
	const char	*tls_cert;	/* serve: PEM files */
	const char	*tls_key;
	const char	*out;		/* backup */
	const char	*in;		/* restore */
	const char	*peers_file;	/* serve: federation peers */
	const char	*require_totp;	/* serve: roles that must enroll a TOTP */
	/* retention (serve, purge): days per class, 0 = forever */
	int64_t		 retain_reports;
	int64_t		 retain_advisories;
	int64_t		 retain_stix;
	int64_t		 retain_notifications;
	int64_t		 retain_exercises;
	int64_t		 purge_interval_us;	/* serve: the worker's purge period */
	bool		 dry_run;		/* purge */
	bool		 purge_now;		/* purge */
};

/*
 * Fill o from the environment, then from argv (flags win).  Prints the
 * help and exits 0 on -h/--help; prints what is wrong and the help, and
 * exits 64, on a bad command line.  init, serve, backup and restore need
 * --db (or CISHARED_DB).
 */
void	opts_parse(int argc, char *argv[], struct opts *o);

/* The help of cmd (NULL or unknown: every command) on stdout or, for a
 * non-zero code, stderr; then exit(code). */
void	opts_usage(const char *cmd, int code) __attribute__((noreturn));

/* `cishared options [--markdown]`: the option table, as text or as the
 * Markdown table of docs/operations.md. */
int	opts_print(bool markdown);

#endif
