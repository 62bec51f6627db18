/*
 * cmd-stats.c: cishare stats — GET /stats (or /public/stats) as a table,
 * CSV or JSON: counts of the reports you may read, grouped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/client.h"

/* A CSV field (RFC 4180; a leading = + - @ is quoted as text). */
static void
csv_field(const char *s, int last)
{
	int formula = *s != '\0' && strchr("=+-@", *s) != NULL;
	int quote = formula || strpbrk(s, ",\"\r\n") != NULL;

	if (formula)
		fputs("\"'", stdout);
	else if (quote)
		fputc('"', stdout);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', stdout);
		fputc(*s, stdout);
	}
	if (quote)
		fputc('"', stdout);
	fputs(last ? "\r\n" : ",", stdout);
}

int
cmd_stats(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	const char *group = args_get(a, "group");
	const char *pub = args_has(a, "public") ? "/public/stats" : "/stats";
	struct cs_buf b;
	struct table t;
	json_t *res = NULL, *cells, *cell, *dims;
	const char **head = NULL;
	size_t i, j, nd, ncol;
	int sources, rc;

	cs_buf_init(&b, 4096);
	cs_buf_adds(&b, pub);
	if (client_query_add(ctx->client, &b, "group", group != NULL ? group :
	    "sector") == -1 || client_query_add(ctx->client, &b, "since",
	    args_get(a, "since")) == -1 || client_query_add(ctx->client, &b,
	    "until", args_get(a, "until")) == -1) {
		cs_buf_fini(&b);
		fprintf(stderr, "cishare: stats: arguments too long\n");
		return EXIT_USAGE;
	}
	rc = request_text(ctx, "GET", cs_buf_str(&b), NULL, &res);
	cs_buf_fini(&b);
	if (rc != 0 || res == NULL)
		return rc;
	cells = json_object_get(res, "cells");
	/* The dimensions, in the server's order, from the first cell. */
	dims = json_array();
	{
		const char *k;
		json_t *v;

		json_object_foreach(json_object_get(json_array_get(cells, 0), "key"), k, v)
			json_array_append_new(dims, json_string(k));
	}
	nd = json_array_size(dims);
	sources = json_object_get(json_array_get(cells, 0), "sources") != NULL;
	ncol = nd + 1 + (size_t)sources;
	head = xcalloc(ncol, sizeof(*head));
	for (i = 0; i < nd; i++)
		head[i] = json_string_value(json_array_get(dims, i));
	head[nd] = "COUNT";
	if (sources)
		head[nd + 1] = "SOURCES";
	if (args_has(a, "csv")) {
		for (i = 0; i < ncol; i++)
			csv_field(head[i], i + 1 == ncol);
		json_array_foreach(cells, i, cell) {
			for (j = 0; j < nd; j++) {
				char *s = json_text(json_object_get(json_object_get(cell,
				    "key"), head[j]));

				csv_field(strcmp(s, "-") == 0 ? "" : s, 0);
				free(s);
			}
			printf("%lld%s", (long long)json_integer_value(
			    json_object_get(cell, "count")), sources ? "," : "\r\n");
			if (sources)
				printf("%lld\r\n", (long long)json_integer_value(
				    json_object_get(cell, "sources")));
		}
	} else {
		table_init(&t, head, ncol);
		json_array_foreach(cells, i, cell) {
			char **row = xcalloc(ncol, sizeof(*row));

			for (j = 0; j < nd; j++)
				row[j] = json_text(json_object_get(json_object_get(cell,
				    "key"), head[j]));
			row[nd] = json_text(json_object_get(cell, "count"));
			if (sources)
				row[nd + 1] = json_text(json_object_get(cell, "sources"));
			table_add(&t, row);
			free(row);
		}
		if (json_array_size(cells) > 0)
			table_print(&t, stdout);
		table_fini(&t);
		printf("total %lld", (long long)json_integer_value(
		    json_object_get(res, "total")));
		if (json_integer_value(json_object_get(res, "suppressed")) > 0)
			printf("; %lld group(s) suppressed (fewer than %lld "
			    "reporting organisations)", (long long)json_integer_value(
			    json_object_get(res, "suppressed")), (long long)
			    json_integer_value(json_object_get(res, "k")));
		fputc('\n', stdout);
	}
	free(head);
	json_decref(dims);
	json_decref(res);
	return 0;
}
