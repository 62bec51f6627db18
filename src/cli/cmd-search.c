/*
 * cmd-search.c: cishare search TEXT [--type report|advisory] — GET /search:
 * full-text search over every version you may read, ranked, each item with
 * its snippets and the matches marked «like this».
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/client.h"

/* The snippet's text with «» around each highlight (code point spans). */
static char *
marked(json_t *snippet)
{
	const char *t = json_string_value(json_object_get(snippet, "text"));
	json_t *hl = json_object_get(snippet, "highlights");
	const unsigned char *p;
	struct cs_buf b;
	size_t n, cp = 0, h = 0;
	uint32_t c;
	char *out;

	if (t == NULL)
		return xstrdup("");
	cs_buf_init(&b, 256);
	p = (const unsigned char *)t;
	n = strlen(t);
	for (;;) {
		/* Close, then open, the highlights at this code point. */
		json_t *cur = json_array_get(hl, h);

		if (cur != NULL && (size_t)json_integer_value(json_object_get(cur,
		    "end")) == cp) {
			cs_buf_adds(&b, "»");
			cur = json_array_get(hl, ++h);
		}
		if (cur != NULL && (size_t)json_integer_value(json_object_get(cur,
		    "start")) == cp)
			cs_buf_adds(&b, "«");
		if (n == 0)
			break;
		size_t len = utf8_next(p, n, &c);

		cs_buf_add(&b, p, len);
		p += len;
		n -= len;
		cp++;
	}
	out = safe_dup(cs_buf_str(&b), 1);
	cs_buf_fini(&b);
	return out;
}

static void
print_item(json_t *it)
{
	json_t *s;
	size_t i;
	char *ident = json_text(json_object_get(it, "identification_number"));
	char *sum = json_text(json_object_get(it, "summary"));
	char *where = json_text(json_object_get(it, json_object_get(it,
	    "sector") ? "sector" : "sectors"));
	char *safe = safe_dup(sum, 1);

	printf("%s %lld %s TLP:%s %s rank %lld  %s\n",
	    json_string_value(json_object_get(it, "type")),
	    (long long)json_integer_value(json_object_get(it, "id")),
	    *ident ? ident : "-",
	    json_string_value(json_object_get(it, "tlp")), where,
	    (long long)json_integer_value(json_object_get(it, "rank")), safe);
	json_array_foreach(json_object_get(it, "snippets"), i, s) {
		char *m = marked(s);
		char *field = safe_dup(json_string_value(json_object_get(s,
		    "field")) ? json_string_value(json_object_get(s, "field")) :
		    "", 1);

		printf("  v%lld %s: %s\n", (long long)json_integer_value(
		    json_object_get(s, "version")), field, m);
		free(field);
		free(m);
	}
	free(ident);
	free(sum);
	free(where);
	free(safe);
}

int
cmd_search(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	const char *cursor = args_get(a, "cursor");
	char *next = NULL;
	size_t total = 0;
	int rc = 0;

	do {
		struct cs_buf b;
		json_t *res = NULL, *it;
		size_t i;

		cs_buf_init(&b, 1024);
		cs_buf_adds(&b, "/search");
		if (client_query_add(ctx->client, &b, "q", a->pos[0]) == -1 ||
		    client_query_add(ctx->client, &b, "type", args_get(a,
		    "type")) == -1 || client_query_add(ctx->client, &b, "limit",
		    args_get(a, "limit")) == -1 || client_query_add(ctx->client,
		    &b, "cursor", cursor) == -1) {
			cs_buf_fini(&b);
			fprintf(stderr, "cishare: search: arguments too long\n");
			free(next);
			return EXIT_USAGE;
		}
		rc = request_text(ctx, "GET", cs_buf_str(&b), NULL, &res);
		cs_buf_fini(&b);
		if (rc != 0 || res == NULL)
			break;
		json_array_foreach(json_object_get(res, "items"), i, it)
			print_item(it);
		total += json_array_size(json_object_get(res, "items"));
		free(next);
		next = json_is_string(json_object_get(res, "next_cursor")) ?
		    xstrdup(json_string_value(json_object_get(res,
		    "next_cursor"))) : NULL;
		cursor = next;
		json_decref(res);
	} while (next != NULL && args_has(a, "all"));
	if (rc == 0 && !ctx->json) {
		printf("%zu result(s)", total);
		if (next != NULL)
			printf("; more with --cursor %s (or --all)", next);
		printf("\n");
	}
	free(next);
	return rc;
}
