/*
 * cmd-export.c: cishare export --format csv|stix --what
 * reports|advisories|indicators [filters] [--since T] [-o FILE]
 * (docs/cli.md "export", docs/interop.md "CSV").
 *
 * csv: GET /reports.csv, /advisories.csv or /indicators.csv with the list
 * filters, written as it arrives.  stix: the items of the JSON list, then
 * each item's GET /{reports,advisories}/{id}/stix, their objects merged
 * into one bundle (each object once; for indicators the advisories'
 * bundles without their report objects).  On a terminal, standard error
 * shows the progress: bytes received, or items fetched of the total.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/client.h"

/* The list filters export passes on (their query names are in cmd.c). */
#define EXPORT_FILTERS	"since until sector event-type cause tlp importance q " \
	"anonymised unread unacknowledged"

struct progress {
	int		 tty;
	int64_t		 last_us;
	int		 shown;
};

static void
bytes_progress(void *arg, long long bytes)
{
	struct progress *p = arg;
	int64_t now = cs_time_now_us();

	if (!p->tty || now - p->last_us < 100000)
		return;
	p->last_us = now;
	p->shown = 1;
	fprintf(stderr, "\rcishare: export: %.1f MiB received ",
	    (double)bytes / (1024.0 * 1024.0));
}

static void
items_progress(struct progress *p, size_t done, size_t total)
{
	char bar[31];
	size_t fill = total ? done * 30 / total : 30;

	if (!p->tty)
		return;
	memset(bar, '#', fill);
	memset(bar + fill, '.', 30 - fill);
	bar[30] = '\0';
	p->shown = 1;
	fprintf(stderr, "\rcishare: export: [%s] %zu/%zu items ", bar, done,
	    total);
}

static void
progress_end(struct progress *p)
{
	if (p->shown)
		fputc('\n', stderr);
}

/* The given list filters as "?a=b&...". */
static void
add_filters(struct cmd_ctx *ctx, struct cs_buf *q, const char *list)
{
	const struct opt_spec *o;
	const char *val;
	size_t pos = 0;
	int req;

	while ((o = opt_next(list, &pos, &req)) != NULL) {
		if (o->param == NULL)
			continue;
		if (o->pvalue != NULL)
			val = args_has(ctx->args, opt_name(o)) ? o->pvalue : NULL;
		else
			val = args_get(ctx->args, opt_name(o));
		(void)client_query_add(ctx->client, q, o->param, val);
	}
}

static int
export_csv(struct cmd_ctx *ctx, const char *what, FILE *f,
    struct progress *p)
{
	struct client_error e;
	struct cs_buf q;
	char *path;
	int rc;

	cs_buf_init(&q, CLIENT_MAX_PATH);
	(void)cs_buf_printf(&q, "/%s.csv", what);
	add_filters(ctx, &q, EXPORT_FILTERS);
	if (args_has(ctx->args, "bom"))
		(void)client_query_add(ctx->client, &q, "bom", "1");
	if ((path = cs_buf_finish(&q)) == NULL) {
		fprintf(stderr, "cishare: query is too long\n");
		return EXIT_FAIL;
	}
	if (client_download(ctx->client, path, f, bytes_progress, p, &e) ==
	    CLIENT_OK)
		rc = 0;
	else
		rc = report_error(ctx, &e);
	progress_end(p);
	free(path);
	return rc;
}

/* A random bundle id (the merged bundle is made here, not by the server). */
static char *
bundle_id(void)
{
	unsigned char u[16] = { 0 };
	FILE *r = fopen("/dev/urandom", "rb");

	if (r != NULL) {
		if (fread(u, 1, sizeof(u), r) != sizeof(u))
			memset(u, 0x5a, sizeof(u));
		fclose(r);
	}
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	return xasprintf("bundle--%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5],
	    u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

static int
export_stix(struct cmd_ctx *ctx, const char *what, FILE *f,
    struct progress *p)
{
	bool reports = strcmp(what, "reports") == 0;
	bool indicators = strcmp(what, "indicators") == 0;
	const char *since = args_get(ctx->args, "since");
	json_t *items = json_array(), *objs = json_array(), *seen = json_object();
	json_t *it, *bundle = NULL, *o;
	int64_t since_us = 0;
	struct cs_buf q;
	char *path, *next = NULL, *bid;
	size_t i, j;
	int rc;

	if (since != NULL && cs_time_parse(since, &since_us) != CS_OK)
		since_us = 0;	/* checked as a TIME by the option table */
	cs_buf_init(&q, CLIENT_MAX_PATH);
	(void)cs_buf_adds(&q, reports ? "/reports" : "/advisories");
	add_filters(ctx, &q, EXPORT_FILTERS);
	(void)client_query_add(ctx->client, &q, "limit", "500");
	if ((path = cs_buf_finish(&q)) == NULL) {
		fprintf(stderr, "cishare: query is too long\n");
		rc = EXIT_FAIL;
		goto out;
	}
	rc = fetch_items(ctx, path, NULL, 1, items, &next);
	free(path);
	free(next);
	if (rc != 0)
		goto out;
	json_array_foreach(items, i, it) {
		int64_t at;
		json_t *b = NULL;
		char *ip;

		items_progress(p, i, json_array_size(items));
		/* advisories: the list has no since; issued at or after */
		if (!reports && since_us > 0 && (cs_time_parse(json_string_value(
		    json_object_get(it, "issued_at")), &at) != CS_OK ||
		    at < since_us))
			continue;
		ip = xasprintf("/%s/%lld/stix", reports ? "reports" :
		    "advisories", (long long)json_integer_value(
		    json_object_get(it, "id")));
		rc = request(ctx, "GET", ip, NULL, &b);
		free(ip);
		if (rc != 0)
			goto out;
		json_array_foreach(json_object_get(b, "objects"), j, o) {
			const char *type = json_string_value(json_object_get(o,
			    "type"));
			char *key;

			if (indicators && cs_streq(type, "report"))
				continue;
			key = xasprintf("%s %s", json_string_value(
			    json_object_get(o, "id")), json_string_value(
			    json_object_get(o, "modified")) ?
			    json_string_value(json_object_get(o, "modified")) : "");
			if (json_object_get(seen, key) == NULL) {
				json_object_set_new(seen, key, json_true());
				json_array_append(objs, o);
			}
			free(key);
		}
		json_decref(b);
	}
	items_progress(p, json_array_size(items), json_array_size(items));
	progress_end(p);
	bid = bundle_id();
	bundle = json_pack("{s:s, s:s, s:O}", "type", "bundle", "id", bid,
	    "objects", objs);
	free(bid);
	if (json_dumpf(bundle, f, JSON_INDENT(2)) != 0 || fputc('\n', f) == EOF) {
		fprintf(stderr, "cishare: cannot write the bundle\n");
		rc = EXIT_FAIL;
	}
out:
	json_decref(bundle);
	json_decref(items);
	json_decref(objs);
	json_decref(seen);
	return rc;
}

int
cmd_export(struct cmd_ctx *ctx)
{
	const char *format = args_get(ctx->args, "format");
	const char *what = args_get(ctx->args, "what");
	const char *file = args_get(ctx->args, "output");
	struct progress p = { .tty = isatty(2) };
	FILE *f = stdout;
	int rc;

	if (format == NULL || (strcmp(format, "csv") != 0 &&
	    strcmp(format, "stix") != 0))
		return usage_error(ctx->entry, "--format must be csv or stix");
	if (what == NULL || (strcmp(what, "reports") != 0 &&
	    strcmp(what, "advisories") != 0 && strcmp(what, "indicators") != 0))
		return usage_error(ctx->entry, "--what must be reports, "
		    "advisories or indicators");
	if (file != NULL && strcmp(file, "-") != 0 &&
	    (f = fopen(file, "w")) == NULL) {
		fprintf(stderr, "cishare: %s: %s\n", file, strerror(errno));
		return EXIT_FAIL;
	}
	if (strcmp(format, "csv") == 0)
		rc = export_csv(ctx, what, f, &p);
	else
		rc = export_stix(ctx, what, f, &p);
	if (f != stdout && fclose(f) != 0 && rc == 0) {
		fprintf(stderr, "cishare: %s: %s\n", file, strerror(errno));
		rc = EXIT_FAIL;
	}
	if (rc != 0 && f != stdout)
		(void)remove(file);
	return rc;
}
