/*
 * cmd-obs.c: observables and correlation (cishare observable VALUE,
 * cishare report correlations ID, cishare correlations).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* "a,b,c" of an array of strings (heap). */
static char *
joined(json_t *a)
{
	struct cs_buf b;
	json_t *v;
	size_t i;

	cs_buf_init(&b, 64);
	json_array_foreach(a, i, v) {
		if (i > 0)
			cs_buf_adds(&b, ",");
		cs_buf_adds(&b, json_is_string(v) ? json_string_value(v) : "-");
	}
	return cs_buf_finish(&b);
}

/* "report 12 v1,2" of an item. */
static char *
item_text(json_t *it)
{
	json_t *vs = json_object_get(it, "versions"), *v;
	struct cs_buf b;
	size_t i;
	char n[32];

	cs_buf_init(&b, 64);
	cs_buf_adds(&b, json_string_value(json_object_get(it, "type")));
	cs_fmt(n, sizeof(n), " %lld", (long long)json_integer_value(
	    json_object_get(it, "id")));
	cs_buf_adds(&b, n);
	json_array_foreach(vs, i, v) {
		cs_fmt(n, sizeof(n), "%s%lld", i == 0 ? " 第" : ",",
		    (long long)json_integer_value(v));
		cs_buf_adds(&b, n);
	}
	if (json_array_size(vs) > 0)
		cs_buf_adds(&b, "報");
	return cs_buf_finish(&b);
}

/* The items of res (key) as a table: ITEM SECTOR LAST SEEN [SHARED]. */
static void
print_items(json_t *items, bool shared)
{
	static const char *const head[] = { "ITEM", "SECTOR", "LAST SEEN",
	    "SHARED" };
	struct table t;
	json_t *it;
	size_t i;

	table_init(&t, head, shared ? 4 : 3);
	json_array_foreach(items, i, it) {
		char *row[4] = { NULL, NULL, NULL, NULL };
		json_t *sh = json_object_get(it, "shared"), *o;
		size_t k;

		row[0] = item_text(it);
		row[1] = json_text(json_object_get(it, "sector"));
		row[2] = json_text(json_object_get(it, "last_seen"));
		if (shared) {
			struct cs_buf b;

			cs_buf_init(&b, 64);
			json_array_foreach(sh, k, o) {
				if (k > 0)
					cs_buf_adds(&b, " ");
				cs_buf_adds(&b, json_string_value(json_object_get(o,
				    "value")));
			}
			row[3] = cs_buf_finish(&b);
		}
		table_add(&t, row);	/* the table owns the cells */
	}
	if (json_array_size(items) > 0)
		table_print(&t, stdout);
	table_fini(&t);
}

int
cmd_observable(struct cmd_ctx *ctx)
{
	struct cs_buf b;
	json_t *res = NULL;
	char *s;
	int rc;

	cs_buf_init(&b, 256);
	cs_buf_adds(&b, "/observables");
	if (client_query_add(ctx->client, &b, "value", ctx->args->pos[0]) == -1) {
		cs_buf_fini(&b);
		fprintf(stderr, "cishare: observable: value too long\n");
		return EXIT_USAGE;
	}
	rc = request_text(ctx, "GET", cs_buf_str(&b), NULL, &res);
	cs_buf_fini(&b);
	if (rc != 0 || res == NULL)
		return rc;
	printf("%s %s", json_string_value(json_object_get(res, "kind")),
	    json_string_value(json_object_get(res, "value")));
	if (json_is_string(json_object_get(res, "registrable_domain")))
		printf(" (registrable domain %s)", json_string_value(
		    json_object_get(res, "registrable_domain")));
	printf("\n");
	print_items(json_object_get(res, "items"), false);
	s = joined(json_object_get(res, "sectors"));
	printf("%zu item(s) in %zu sector(s)%s%s\n", json_array_size(
	    json_object_get(res, "items")), json_array_size(json_object_get(res,
	    "sectors")), *s != '\0' ? ": " : "", s);
	free(s);
	json_decref(res);
	return 0;
}

int
cmd_report_correlations(struct cmd_ctx *ctx)
{
	json_t *res = NULL, *o;
	char *path;
	size_t i;
	int rc;

	if (id_path(ctx, "report id", ctx->args->pos[0], "/reports/",
	    "/correlations", &path) == -1)
		return EXIT_USAGE;
	rc = request_text(ctx, "GET", path, NULL, &res);
	free(path);
	if (rc != 0 || res == NULL)
		return rc;
	printf("observables:");
	json_array_foreach(json_object_get(res, "observables"), i, o)
		printf(" %s", json_string_value(json_object_get(o, "value")));
	printf("\n");
	print_items(json_object_get(res, "items"), true);
	printf("%zu correlated item(s) you may read\n", json_array_size(
	    json_object_get(res, "items")));
	json_decref(res);
	return 0;
}

int
cmd_correlations(struct cmd_ctx *ctx)
{
	static const char *const head[] = { "KIND", "VALUE", "SECTORS", "ITEMS",
	    "LAST SEEN" };
	struct args *a = ctx->args;
	struct table t;
	struct cs_buf b;
	json_t *res = NULL, *o;
	size_t i;
	int rc;

	cs_buf_init(&b, 256);
	cs_buf_adds(&b, "/correlations");
	if (client_query_add(ctx->client, &b, "min_sectors",
	    args_get(a, "min-sectors")) == -1 || client_query_add(ctx->client,
	    &b, "days", args_get(a, "days")) == -1) {
		cs_buf_fini(&b);
		fprintf(stderr, "cishare: correlations: arguments too long\n");
		return EXIT_USAGE;
	}
	rc = request_text(ctx, "GET", cs_buf_str(&b), NULL, &res);
	cs_buf_fini(&b);
	if (rc != 0 || res == NULL)
		return rc;
	table_init(&t, head, 5);
	json_array_foreach(json_object_get(res, "observables"), i, o) {
		char *row[5], n[24];

		cs_fmt(n, sizeof(n), "%zu", json_array_size(json_object_get(o,
		    "items")));
		row[0] = json_text(json_object_get(o, "kind"));
		row[1] = json_text(json_object_get(o, "value"));
		row[2] = joined(json_object_get(o, "sectors"));
		row[3] = xstrdup(n);
		row[4] = json_text(json_object_get(o, "last_seen"));
		table_add(&t, row);
	}
	if (json_array_size(json_object_get(res, "observables")) > 0)
		table_print(&t, stdout);
	table_fini(&t);
	printf("%zu observable(s) seen in %lld or more sectors in %lld day(s)\n",
	    json_array_size(json_object_get(res, "observables")),
	    (long long)json_integer_value(json_object_get(res, "min_sectors")),
	    (long long)json_integer_value(json_object_get(res, "days")));
	json_decref(res);
	return 0;
}
