/*
 * cmd-import.c: cishare import FILE — contribute a STIX 2.1 bundle (or a
 * TAXII envelope) to the contributions collection (POST /stix/import,
 * the import of POST /taxii2/.../collections/contributions/objects/;
 * docs/interop.md "Import").  Prints the status resource; a refused
 * bundle names the object and property ("objects.3.pattern").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int
cmd_import(struct cmd_ctx *ctx)
{
	const char *file = ctx->args->pos[0];
	json_error_t je;
	json_t *body, *out = NULL;
	int rc;

	body = strcmp(file, "-") == 0 ? json_loadf(stdin, JSON_REJECT_DUPLICATES,
	    &je) : json_load_file(file, JSON_REJECT_DUPLICATES, &je);
	if (body == NULL) {
		fprintf(stderr, "cishare: %s: not JSON: %s (line %d)\n", file,
		    je.text, je.line);
		return EXIT_FAIL;
	}
	rc = request(ctx, "POST", "/stix/import", body, &out);
	if (rc == 0) {
		if (ctx->json)
			json_dumpf(out, stdout, JSON_INDENT(2));
		else
			printf("status %s: %s, %lld of %lld objects taken\n",
			    json_string_value(json_object_get(out, "id")),
			    json_string_value(json_object_get(out, "status")),
			    (long long)json_integer_value(json_object_get(out,
			    "success_count")),
			    (long long)json_integer_value(json_object_get(out,
			    "total_count")));
		if (ctx->json)
			fputc('\n', stdout);
	}
	json_decref(out);
	json_decref(body);
	return rc;
}
