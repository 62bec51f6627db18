/*
 * request.c: one request and its error report, the paging loop of list
 * commands, and the JSON files the commands send.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define MAX_PAGES	100000
/* A JSON file given to submit, followup, create ... */
#define MAX_JSON_FILE	(16L * 1024 * 1024)


/*
 * Sends one request; on success *out holds the answer (may be NULL) and 0
 * is returned.  Otherwise prints the error and returns the exit status.
 */
int
request(struct cmd_ctx *ctx, const char *method, const char *path,
    json_t *body, json_t **out)
{
	struct client_error e;

	return request_ex(ctx, method, path, body, out, &e);
}

/*
 * request() for an answer the command prints as text: with --json it is
 * printed here instead and *res is left NULL.
 */
int
request_text(struct cmd_ctx *ctx, const char *method, const char *path,
    json_t *body, json_t **res)
{
	int rc;

	*res = NULL;
	if ((rc = request(ctx, method, path, body, res)) != 0 || !ctx->json)
		return rc;
	print_json(*res);
	json_decref(*res);
	*res = NULL;
	return 0;
}

/* request(), also handing back the error detail in *e. */
int
request_ex(struct cmd_ctx *ctx, const char *method, const char *path,
    json_t *body, json_t **out, struct client_error *e)
{
	if (client_request(ctx->client, method, path, body, out, e) ==
	    CLIENT_OK)
		return 0;
	return report_error(ctx, e);
}

/* Prints a failed request's error; returns the exit status for it. */
int
report_error(struct cmd_ctx *ctx, const struct client_error *e)
{
	char *msg = NULL, *field = NULL;
	int rc = 0;

	switch (e->status) {
	case CLIENT_OK:
		break;
	case CLIENT_ENET:
		msg = safe_dup(e->message, 1);
		fprintf(stderr, "cishare: %s\n", msg);
		rc = EXIT_NET;
		break;
	case CLIENT_EPROTO:
		msg = safe_dup(e->message, 1);
		fprintf(stderr, "cishare: error: %s (HTTP %ld)\n", msg,
		    e->http_status);
		rc = EXIT_FAIL;
		break;
	case CLIENT_EHTTP:
		msg = safe_dup(e->message, 1);
		if (e->field[0] != '\0') {
			field = safe_dup(e->field, 1);
			fprintf(stderr, "cishare: error: %s (field: %s, HTTP"
			    " %ld)\n", msg, field, e->http_status);
		} else
			fprintf(stderr, "cishare: error: %s (HTTP %ld)\n", msg,
			    e->http_status);
		if (e->http_status == 401 && !client_has_token(ctx->client))
			fprintf(stderr, "cishare: no token configured: set"
			    " CISHARE_TOKEN or \"token\" in the config file\n");
		rc = EXIT_FAIL;
		break;
	}
	free(msg);
	free(field);
	return rc;
}

/*
 * GETs path + query (query is "" or "?a=b&..."), starting at cursor if
 * not NULL, and appends the "items" of each page to items; with all set,
 * follows next_cursor to the end.  A bare JSON array answer is taken as
 * the complete list.  *next receives the unfollowed next_cursor (or NULL).
 * Returns 0 or the exit status (printed).
 */
int
fetch_items(struct cmd_ctx *ctx, const char *path, const char *cursor,
    int all, json_t *items, char **next)
{
	struct cs_buf url;
	json_t *res = NULL, *page, *nc;
	char *cur = NULL, *u;
	size_t pages = 0;
	int rc = EXIT_FAIL;

	*next = NULL;
	if (cursor != NULL)
		cur = xstrdup(cursor);
	for (;;) {
		cs_buf_init(&url, CLIENT_MAX_PATH);
		(void)cs_buf_adds(&url, path);
		(void)client_query_add(ctx->client, &url, "cursor", cur);
		if ((u = cs_buf_finish(&url)) == NULL) {
			fprintf(stderr, "cishare: query is too long\n");
			goto out;
		}
		rc = request(ctx, "GET", u, NULL, &res);
		free(u);
		if (rc != 0)
			goto out;
		rc = EXIT_FAIL;
		if (json_is_array(res)) {
			(void)json_array_extend(items, res);
			free(cur);
			cur = NULL;
			break;
		}
		page = json_object_get(res, "items");
		if (!json_is_array(page)) {
			fprintf(stderr, "cishare: error: answer has no"
			    " \"items\" list\n");
			goto out;
		}
		(void)json_array_extend(items, page);
		nc = json_object_get(res, "next_cursor");
		if (!json_is_string(nc) || json_string_length(nc) == 0) {
			free(cur);
			cur = NULL;
			break;
		}
		if (cur != NULL && strcmp(cur, json_string_value(nc)) == 0) {
			fprintf(stderr, "cishare: error: server repeated"
			    " cursor; stopping\n");
			goto out;
		}
		free(cur);
		cur = xstrdup(json_string_value(nc));
		json_decref(res);
		res = NULL;
		if (!all)
			break;
		if (++pages >= MAX_PAGES) {
			fprintf(stderr, "cishare: error: more than %d pages;"
			    " stopping\n", MAX_PAGES);
			goto out;
		}
	}
	*next = cur;
	cur = NULL;
	rc = 0;
out:
	json_decref(res);
	free(cur);
	return rc;
}


/*
 * Blanks every line of text whose first non-blank characters are "//"
 * (the comments "report template --commented" prints), keeping the line
 * breaks so that error positions still point into the file.  No line of
 * valid JSON starts so: a string cannot hold a raw line break.
 */
void
strip_comments(char *text, size_t len)
{
	size_t i = 0, j;

	while (i < len) {
		j = i;
		while (j < len && (text[j] == ' ' || text[j] == '\t'))
			j++;
		if (j + 1 < len && text[j] == '/' && text[j + 1] == '/')
			for (; j < len && text[j] != '\n'; j++)
				text[j] = ' ';
		while (j < len && text[j] != '\n')
			j++;
		i = j + 1;
	}
}

/*
 * Loads a JSON object from path ("-": standard input), rejecting duplicate
 * keys; "//" comment lines are ignored.  Returns 0 with a new reference in
 * *out, or EXIT_FAIL (printed).
 */
int
load_json_file(const char *path, json_t **out)
{
	json_error_t jerr;
	json_t *v = NULL;
	FILE *f;
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	int rc = EXIT_FAIL, saved;

	*out = NULL;
	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "cishare: %s: unable to open %s: %s\n", path,
		    path, strerror(errno));
		return EXIT_FAIL;
	}
	for (;;) {
		if (len == cap) {
			if (cap >= MAX_JSON_FILE) {
				fprintf(stderr, "cishare: %s: larger than %ld"
				    " bytes\n", path, MAX_JSON_FILE);
				goto out;
			}
			cap = cap == 0 ? 8192 : cap * 2;
			text = xrealloc(text, cap);
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		saved = errno;
		fprintf(stderr, "cishare: %s: cannot read: %s\n", path,
		    strerror(saved));
		goto out;
	}
	strip_comments(text, len);
	v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (v == NULL) {
		if (jerr.line > 0)
			fprintf(stderr, "cishare: %s:%d:%d: %s\n", path,
			    jerr.line, jerr.column, jerr.text);
		else
			fprintf(stderr, "cishare: %s: %s\n", path, jerr.text);
		goto out;
	}
	if (!json_is_object(v)) {
		fprintf(stderr, "cishare: %s: expected a JSON object\n", path);
		goto out;
	}
	*out = v;
	v = NULL;
	rc = 0;
out:
	json_decref(v);
	free(text);
	if (f != stdin)
		fclose(f);
	return rc;
}

/*
 * Takes a loaded file that is either a request body with a "form" object
 * or the form itself, and returns the body (steals file).
 */
json_t *
form_body(json_t *file)
{
	json_t *body;

	if (json_is_object(json_object_get(file, "form")))
		return file;
	body = json_object();
	(void)json_object_set_new(body, "form", file);
	return body;
}

/* Reads one line from standard input into *out (caller frees). */
int
read_secret_line(char **out)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	*out = NULL;
	if ((len = getline(&line, &cap, stdin)) == -1) {
		free(line);
		fprintf(stderr, "cishare: no password on standard input\n");
		return -1;
	}
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	*out = line;
	return 0;
}


/*
 * Sends body (NULL: none) to path and prints the answer through
 * print_result(fmt; NULL: always the JSON).  After a refused request,
 * hint (if not NULL) may say more about the body.  *res (if not NULL)
 * receives the answer.  Returns 0 or the exit status (printed).
 */
int
send_json(struct cmd_ctx *ctx, const char *method, const char *path,
    json_t *body, const char *fmt, send_hint hint, json_t **res)
{
	struct client_error ce;
	json_t *ans = NULL;
	int rc;

	if ((rc = request_ex(ctx, method, path, body, &ans, &ce)) != 0) {
		if (hint != NULL)
			hint(body, &ce);
	} else
		print_result(ctx, ans, fmt);
	if (res != NULL)
		*res = ans;
	else
		json_decref(ans);
	return rc;
}

/*
 * "<prefix><id><suffix>" from a command-line id in *path, or -1 after a
 * usage message naming what the id is.
 */
int
id_path(struct cmd_ctx *ctx, const char *what, const char *arg,
    const char *prefix, const char *suffix, char **path)
{
	json_int_t id;

	*path = NULL;
	if (parse_id(ctx->entry, what, arg, &id) == -1)
		return -1;
	*path = xasprintf("%s%" JSON_INTEGER_FORMAT "%s", prefix, id, suffix);
	return 0;
}

/*
 * POST <prefix>ID<suffix>, ID the first argument, with the body from the
 * second argument's file (the form or {"form": ...}; {} without a file),
 * less the key drop (if not NULL: set at the first issue only; dropped
 * with a warning), and prints the answer through print_result(fmt).
 */
int
send_form(struct cmd_ctx *ctx, const char *what, const char *prefix,
    const char *suffix, const char *drop, const char *fmt, send_hint hint)
{
	struct args *a = ctx->args;
	json_t *file = NULL, *body = NULL;
	char *path = NULL;
	int rc;

	if (id_path(ctx, what, a->pos[0], prefix, suffix, &path) == -1)
		return EXIT_USAGE;
	if (a->npos > 1) {
		if ((rc = load_json_file(a->pos[1], &file)) != 0)
			goto out;
		body = form_body(file);
	} else
		body = json_object();
	if (drop != NULL && json_object_get(body, drop) != NULL) {
		(void)json_object_del(body, drop);
		fprintf(stderr, "cishare: warning: %s: \"%s\" is set at the"
		    " first issue only; ignored\n", a->pos[1], drop);
	}
	rc = send_json(ctx, "POST", path, body, fmt, hint, NULL);
out:
	free(path);
	json_decref(body);
	return rc;
}
