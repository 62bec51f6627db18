/*
 * listview.c: the one list command.  A struct list_view declares the
 * resource's path, the options that become query parameters and the
 * table's columns (header, JSON path, formatter); listview_run fetches
 * one page or every page (--all), prints the items as a table or, with
 * --json, as {"items": [...], "next_cursor": ...}, and says on stderr
 * when there is more.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static char	*cell(json_t *, const struct list_col *);

/* The options every paged list takes after its own (args.c adds them). */
const struct opt_spec listview_page_opts[] = {
	{ "limit", OPT_ARG, "N", CHK_LIMIT, NULL, "at most N per page" },
	{ "cursor", OPT_ARG, "C", CHK_NONE, NULL,
	  "start at the page a previous list named" },
	{ "all", 0, NULL, CHK_NONE, NULL, "follow every page" },
	{ NULL, 0, NULL, CHK_NONE, NULL, NULL }
};

/* One cell of an item's row (owned by the caller). */
static char *
cell(json_t *it, const struct list_col *c)
{
	switch (c->fmt) {
	case COL_TEXT:
		return json_text(jalt(it, c->path));
	case COL_TIME:
		return time_text(jalt(it, c->path), 0);
	case COL_TLP:
		return tlp_text(jalt(it, c->path));
	case COL_LINE:
		return first_line(jalt(it, c->path), c->width);
	case COL_IMPORTANCE:
		return importance_cell(it);
	case COL_ACK:
		return ack_cell(it);
	}
	return xstrdup("-");
}

int
listview_exec(struct cmd_ctx *ctx)
{
	return listview_run(ctx, ctx->entry->view);
}

int
listview_run(struct cmd_ctx *ctx, const struct list_view *v)
{
	const struct list_filter *flt;
	const struct list_col *c;
	struct args *a = ctx->args;
	struct table t;
	struct cs_buf q;
	json_t *items = NULL, *it, *out = NULL;
	const char *val, **headers = NULL;
	char *path = NULL, *next = NULL, **row = NULL, *safe;
	size_t i, k, ncols = 0;
	int rc = EXIT_USAGE, all;

	cs_buf_init(&q, CLIENT_MAX_PATH);
	(void)cs_buf_adds(&q, v->path);
	for (flt = v->filters; flt != NULL && flt->opt != NULL; flt++) {
		if (flt->value != NULL)
			val = args_has(a, flt->opt) ? flt->value : NULL;
		else
			val = args_get(a, flt->opt);
		(void)client_query_add(ctx->client, &q, flt->param, val);
	}
	if (!(v->flags & VIEW_ALL))
		(void)client_query_add(ctx->client, &q, "limit",
		    args_get(a, "limit"));
	if ((path = cs_buf_finish(&q)) == NULL) {
		fprintf(stderr, "cishare: query is too long\n");
		goto out;
	}
	all = (v->flags & VIEW_ALL) || args_has(a, "all");
	items = json_array();
	if ((rc = fetch_items(ctx, path, (v->flags & VIEW_ALL) ? NULL :
	    args_get(a, "cursor"), all, items, &next)) != 0)
		goto out;
	if (ctx->json) {
		out = json_object();
		(void)json_object_set(out, "items", items);
		(void)json_object_set_new(out, "next_cursor",
		    next != NULL ? json_string(next) : json_null());
		print_json(out);
		goto out;
	}

	for (c = v->cols; c->header != NULL; c++)
		ncols++;
	headers = xcalloc(ncols, sizeof(*headers));
	row = xcalloc(ncols, sizeof(*row));
	for (k = 0; k < ncols; k++)
		headers[k] = v->cols[k].header;
	table_init(&t, headers, ncols);
	json_array_foreach(items, i, it) {
		for (k = 0; k < ncols; k++)
			row[k] = cell(it, &v->cols[k]);
		table_add(&t, row);
	}
	table_print(&t, stdout);
	table_fini(&t);
	if (next != NULL) {
		if (v->flags & VIEW_CURSOR) {
			safe = safe_dup(next, 1);
			fprintf(stderr, "cishare: more %s: use --all, or"
			    " --cursor %s\n", v->more, safe);
			free(safe);
		} else
			fprintf(stderr, "cishare: more %s: use --all\n",
			    v->more);
	}
out:
	free(headers);
	free(row);
	free(path);
	free(next);
	json_decref(items);
	json_decref(out);
	return rc;
}
