/*
 * listview.c: the one list command.  A struct list_view declares the
 * resource's path and the table's columns (header, JSON path, format;
 * --columns replaces them, as tmux's -F does); the entry's options that
 * have a query parameter are the filters.  listview_run fetches one page
 * or every page (--all), prints the items as a table or, with --json, as
 * {"items": [...], "next_cursor": ...}, and says on stderr when there is
 * more.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* One column of a view, parsed from its "HEADER=PATH[%FORMAT]". */
struct col {
	char	*header;
	char	*path;
	char	*fmt;		/* "" for plain text */
};

static size_t	cols_parse(const char *, struct col **);
static void	cols_free(struct col *, size_t);
static char	*cell(json_t *, const struct col *);
static void	add_filters(struct cmd_ctx *, struct cs_buf *, const char *);

/* Splits a view's column list; returns how many there are. */
static size_t
cols_parse(const char *spec, struct col **out)
{
	struct col *c = NULL;
	const char *p = spec, *eq, *pct;
	size_t n = 0, len;

	while (*(p += strspn(p, " ")) != '\0') {
		len = strcspn(p, " ");
		c = xreallocarray(c, n + 1, sizeof(*c));
		eq = memchr(p, '=', len);
		pct = eq != NULL ? memchr(eq, '%', len - (size_t)(eq - p)) :
		    NULL;
		if (eq == NULL)
			eq = p + len;
		c[n].header = xstrndup(p, (size_t)(eq - p));
		c[n].path = eq < p + len ? xstrndup(eq + 1, (size_t)((pct !=
		    NULL ? pct : p + len) - eq - 1)) : xstrdup("");
		c[n].fmt = pct != NULL ? xstrndup(pct + 1, (size_t)(p + len -
		    pct - 1)) : xstrdup("");
		n++;
		p += len;
	}
	*out = c;
	return n;
}

static void
cols_free(struct col *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(c[i].header);
		free(c[i].path);
		free(c[i].fmt);
	}
	free(c);
}

/* One cell of an item's row (owned by the caller). */
static char *
cell(json_t *it, const struct col *c)
{
	int64_t w;

	if (strcmp(c->path, "@importance") == 0)
		return importance_cell(it);
	if (strcmp(c->path, "@ack") == 0)
		return ack_cell(it);
	if (strcmp(c->fmt, "time") == 0)
		return time_text(jalt(it, c->path), 0);
	if (strcmp(c->fmt, "tlp") == 0)
		return tlp_text(jalt(it, c->path));
	if (strncmp(c->fmt, "line", 4) == 0 &&
	    cs_str_to_i64(c->fmt + 4, 4, 1000, &w) == CS_OK)
		return first_line(jalt(it, c->path), (size_t)w);
	return json_text(jalt(it, c->path));
}

/*
 * Adds a query parameter for each option of list that has one (cmd.c)
 * and was given: its value, or for a flag the parameter's fixed value.
 */
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
			val = args_has(ctx->args, opt_name(o)) ? o->pvalue :
			    NULL;
		else
			val = args_get(ctx->args, opt_name(o));
		(void)client_query_add(ctx->client, q, o->param, val);
	}
}

int
listview_exec(struct cmd_ctx *ctx)
{
	return listview_run(ctx, ctx->entry->view);
}

int
listview_run(struct cmd_ctx *ctx, const struct list_view *v)
{
	struct args *a = ctx->args;
	struct col *cols = NULL;
	struct table t;
	struct cs_buf q;
	json_t *items = NULL, *it, *out = NULL;
	const char **headers = NULL, *spec;
	char *path = NULL, *next = NULL, **row = NULL, *safe;
	size_t i, k, ncols = 0;
	int rc = EXIT_USAGE, all;

	if ((spec = args_get(a, "columns")) == NULL)
		spec = v->cols;
	if ((ncols = cols_parse(spec, &cols)) == 0)
		return usage_error(ctx->entry, "--columns: no column in \"%s\"",
		    spec);
	all = (v->flags & VIEW_ALL) || args_has(a, "all");
	cs_buf_init(&q, CLIENT_MAX_PATH);
	(void)cs_buf_adds(&q, v->path);
	add_filters(ctx, &q, ctx->entry->opts);
	if (!(v->flags & VIEW_ALL))
		add_filters(ctx, &q, PAGE_OPTS);
	if ((path = cs_buf_finish(&q)) == NULL) {
		fprintf(stderr, "cishare: query is too long\n");
		goto out;
	}
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

	headers = xcalloc(ncols, sizeof(*headers));
	row = xcalloc(ncols, sizeof(*row));
	for (k = 0; k < ncols; k++)
		headers[k] = cols[k].header;
	table_init(&t, headers, ncols);
	json_array_foreach(items, i, it) {
		for (k = 0; k < ncols; k++)
			row[k] = cell(it, &cols[k]);
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
	cols_free(cols, ncols);
	free(headers);
	free(row);
	free(path);
	free(next);
	json_decref(items);
	json_decref(out);
	return rc;
}
