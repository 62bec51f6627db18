/*
 * cmd-stix.c: report stix and advisory stix — the item as a STIX 2.1
 * bundle (GET /reports/{id}/stix, GET /advisories/{id}/stix;
 * docs/interop.md), written to standard output or to the --output file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int
cmd_stix(struct cmd_ctx *ctx)
{
	const char *file = args_get(ctx->args, "output");
	const char *kind = strcmp(ctx->entry->name, "report") == 0 ?
	    "/reports/" : "/advisories/";
	json_t *bundle = NULL;
	char *path = NULL, *what;
	FILE *f = stdout;
	int rc;

	what = xasprintf("%s id", ctx->entry->name);
	rc = id_path(ctx, what, ctx->args->pos[0], kind, "/stix", &path);
	free(what);
	if (rc == -1)
		return EXIT_USAGE;
	if ((rc = request(ctx, "GET", path, NULL, &bundle)) != 0)
		goto out;
	if (file != NULL && strcmp(file, "-") != 0 &&
	    (f = fopen(file, "w")) == NULL) {
		fprintf(stderr, "cishare: %s: %s\n", file, strerror(errno));
		rc = EXIT_FAIL;
		goto out;
	}
	if (json_dumpf(bundle, f, JSON_INDENT(2)) != 0 || fputc('\n', f) == EOF)
		rc = EXIT_FAIL;
	if (f != stdout && fclose(f) != 0)
		rc = EXIT_FAIL;
	if (rc != 0)
		fprintf(stderr, "cishare: %s: cannot write the bundle\n",
		    file != NULL ? file : "standard output");
	else if (f != stdout)
		fprintf(stderr, "cishare: wrote %s (%zu STIX objects)\n", file,
		    json_array_size(json_object_get(bundle, "objects")));
out:
	json_decref(bundle);
	free(path);
	return rc;
}
