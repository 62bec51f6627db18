/*
 * fed.c: the pure part of federation (fed.h): the retry schedule, the
 * cursor, page URLs, and the checks on a page a peer sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "interop/fed.h"
#include "interop/stix.h"

int64_t
fed_delay_us(int interval_s, int failures)
{
	int64_t d = (int64_t)(interval_s > 0 ? interval_s : 1) * 1000000;

	if (d >= FED_BACKOFF_MAX_US)
		return d;
	for (int i = 0; i < failures && d < FED_BACKOFF_MAX_US; i++)
		d *= 2;
	return d < FED_BACKOFF_MAX_US ? d : FED_BACKOFF_MAX_US;
}

bool
fed_cursor_valid(const char *s)
{
	return s != NULL && strlen(s) <= FED_CURSOR_MAX &&
	    stix_timestamp_us(s) >= 0;
}

const char *
fed_cursor_max(const char *a, const char *b)
{
	if (!fed_cursor_valid(a))
		return fed_cursor_valid(b) ? b : NULL;
	if (!fed_cursor_valid(b))
		return a;
	return stix_timestamp_us(b) > stix_timestamp_us(a) ? b : a;
}

bool
fed_collection_valid(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return false;
	return strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

/* RFC 3986 unreserved bytes stay, every other is %XX. */
static void
pct(struct cs_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~') {
			cs_buf_add(b, (const char *)&c, 1);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			cs_buf_add(b, e, 3);
		}
	}
}

char *
fed_page_url(const char *root, const char *collection, const char *cursor,
    const char *next, int limit)
{
	struct cs_buf b;
	char lim[32];
	size_t n = strlen(root);

	cs_buf_init(&b, 16384);
	cs_buf_add(&b, root, n);
	if (n == 0 || root[n - 1] != '/')
		cs_buf_add(&b, "/", 1);
	cs_buf_add(&b, "collections/", 12);
	pct(&b, collection);
	cs_fmt(lim, sizeof(lim), "/objects/?limit=%d", limit);
	cs_buf_add(&b, lim, strlen(lim));
	if (cursor != NULL && *cursor) {
		cs_buf_add(&b, "&added_after=", 13);
		pct(&b, cursor);
	}
	if (next != NULL && *next) {
		cs_buf_add(&b, "&next=", 6);
		pct(&b, next);
	}
	return cs_buf_finish(&b);
}

static bool
token_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > FED_NEXT_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

static bool
labelled_drill(const json_t *o)
{
	const json_t *l, *v;
	size_t i;

	l = json_object_get(o, "labels");
	json_array_foreach(l, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), "drill") == 0)
			return true;
	return false;
}

/* Adds the string members of o's object_refs to set (as keys). */
static void
refs_into(const json_t *o, json_t *set)
{
	const json_t *v;
	size_t i;

	json_array_foreach(json_object_get(o, "object_refs"), i, v)
		if (json_is_string(v))
			json_object_set_new(set, json_string_value(v), json_true());
}

enum cs_err
fed_page_parse(const char *buf, size_t len, struct fed_page *p,
    struct cs_error *e)
{
	json_t *j, *objs, *v, *keep, *drill_refs, *kept_refs;
	json_error_t je;
	const char *k;
	size_t i;

	memset(p, 0, sizeof(*p));
	if (len > FED_BODY_MAX)
		return cs_fail(e, CS_ETOOBIG, "", "the page is over %d bytes",
		    FED_BODY_MAX);
	j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL)
		return cs_fail(e, CS_EINVAL, "", "not JSON: %s (offset %d)",
		    je.text, je.position);
	if (!json_is_object(j)) {
		json_decref(j);
		return cs_fail(e, CS_EINVAL, "", "not a TAXII envelope");
	}
	json_object_foreach(j, k, v) {
		if (strcmp(k, "more") == 0) {
			if (!json_is_boolean(v))
				goto bad_more;
			p->more = json_is_true(v);
		} else if (strcmp(k, "next") == 0) {
			if (!json_is_string(v) || !token_ok(json_string_value(v))) {
				json_decref(j);
				fed_page_fini(p);
				return cs_fail(e, CS_EINVAL, "next", "must be a "
				    "token of 1-%d printable characters",
				    FED_NEXT_MAX);
			}
			free(p->next);
			p->next = xstrdup(json_string_value(v));
		} else if (strcmp(k, "objects") == 0) {
			if (!json_is_array(v)) {
				json_decref(j);
				fed_page_fini(p);
				return cs_fail(e, CS_EINVAL, "objects", "must be a "
				    "list");
			}
		}
	}
	objs = json_object_get(j, "objects");
	if (json_array_size(objs) > STIX_IMPORT_MAX) {
		json_decref(j);
		fed_page_fini(p);
		return cs_fail(e, CS_ETOOBIG, "objects", "more than %d objects",
		    STIX_IMPORT_MAX);
	}
	/* What a drill object refers to, and what a kept object does. */
	drill_refs = json_object();
	kept_refs = json_object();
	json_array_foreach(objs, i, v) {
		if (!json_is_object(v)) {
			char f[32];

			json_decref(drill_refs);
			json_decref(kept_refs);
			json_decref(j);
			fed_page_fini(p);
			cs_fmt(f, sizeof(f), "objects.%zu", i);
			return cs_fail(e, CS_EINVAL, f, "must be an object");
		}
		if (labelled_drill(v))
			refs_into(v, drill_refs);
		else if (stix_object_tlp(v) != TLP_RED)
			refs_into(v, kept_refs);
	}
	keep = json_array();
	json_array_foreach(objs, i, v) {
		const char *id = json_string_value(json_object_get(v, "id"));

		p->total++;
		if (stix_object_tlp(v) == TLP_RED) {
			p->dropped_red++;
			continue;
		}
		if (labelled_drill(v) || (id != NULL &&
		    json_object_get(drill_refs, id) != NULL &&
		    json_object_get(kept_refs, id) == NULL)) {
			p->dropped_drill++;
			continue;
		}
		json_array_append(keep, v);
	}
	json_decref(drill_refs);
	json_decref(kept_refs);
	p->envelope = json_pack("{s:o}", "objects", keep);
	json_decref(j);
	return CS_OK;
bad_more:
	json_decref(j);
	fed_page_fini(p);
	return cs_fail(e, CS_EINVAL, "more", "must be a boolean");
}

void
fed_page_fini(struct fed_page *p)
{
	json_decref(p->envelope);
	free(p->next);
	memset(p, 0, sizeof(*p));
}
