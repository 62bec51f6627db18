/*
 * cishare: the command-line client of cishared.
 *
 * main() parses the global options, finds the command's entry in
 * cmd_table (cmd.c; the exec of each lives in the cmd-<group>.c file of
 * its group), parses the rest of the command line
 * against the entry's declaration (args.c), loads the configuration
 * (file < environment < flags, config.c) and calls exec, whose return
 * value is the exit status:
 *
 *	0	success
 *	1	the server refused the request, or a local input was unusable
 *	2	no usable answer from the server (network, TLS, timeout, size)
 *	64	usage or configuration error
 *
 * Everything the server sends is printed through safe_dup() (out.c),
 * which replaces control characters, so a report cannot drive the
 * terminal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "cli/cli.h"

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
	if (args_parse(&a, argc, argv, &i, entry, 0) == -1) {
		fprintf(stderr, "usage:\n");
		usage_entry(stderr, entry, 0);
		goto out;
	}
	if (args_has(&a, "help")) {
		printf("usage:\n");
		usage_entry(stdout, entry, 1);
		rc = 0;
		goto out;
	}
	/* the flag (no value), not a command's --version K */
	if (args_has(&a, "version") && args_get(&a, "version") == NULL) {
		rc = cmd_version(NULL);
		goto out;
	}
	if ((rc = args_check(&a, entry)) != 0)
		goto out;
	rc = EXIT_USAGE;

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
