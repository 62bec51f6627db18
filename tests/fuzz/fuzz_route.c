/*
 * fuzz_route.c: the router's path matching (src/http/router.c) against a
 * reference written segment by segment.  The input is "METHOD\nPATH" (no
 * newline: GET and the whole input as the path).  For every pattern of
 * every route table, http_route_match() must agree with the reference:
 * the path, less one trailing slash, splits on '/' into as many segments
 * as the pattern; literal segments are equal; an :id segment is 1 to 23
 * bytes and yields its value when it is an integer from 1 up, else -1.
 * http_route_find() must return the first route the reference matches for
 * the method, and say whether any pattern matched the path (405 vs 404).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

#include "fuzz.h"

#define MAXSEG	64

/* Splits s in place on '/' into at most MAXSEG segments; -1 if more. */
static int
split(char *s, char *seg[MAXSEG])
{
	int n = 0;

	for (;;) {
		if (n == MAXSEG)
			return -1;
		seg[n++] = s;
		if ((s = strchr(s, '/')) == NULL)
			return n;
		*s++ = '\0';
	}
}

static int
ref_match(const char *pattern, const char *path, int64_t ids[2])
{
	char *p = xstrdup(pattern), *q = xstrdup(path), *ps[MAXSEG], *qs[MAXSEG];
	size_t ql = strlen(q);
	int np, nq, nid = 0, ok = 0;

	if (ql > 1 && q[ql - 1] == '/')
		q[ql - 1] = '\0';
	np = split(p, ps);
	nq = split(q, qs);
	if (np < 0 || nq < 0 || np != nq)
		goto out;
	for (int i = 0; i < np; i++) {
		if (ps[i][0] != ':') {
			if (strcmp(ps[i], qs[i]) != 0)
				goto out;
			continue;
		}
		if (qs[i][0] == '\0' || strlen(qs[i]) >= 24 || nid >= 2)
			goto out;
		if (cs_str_to_i64(qs[i], 1, INT64_MAX, &ids[nid]) != CS_OK)
			ids[nid] = -1;
		nid++;
	}
	ok = 1;
out:
	free(p);
	free(q);
	return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_cstr(data, size), *nl, *method = "GET", *path = in;
	const struct api_route *want = NULL, *got;
	bool any = false, matched;
	int64_t ids[2], rids[2], wids[2] = { 0, 0 };

	if ((nl = strchr(in, '\n')) != NULL) {
		*nl = '\0';
		method = in;
		path = nl + 1;
	}
	for (const struct api_route *const *t = api_tables; *t != NULL; t++)
		for (const struct api_route *x = *t; x->method != NULL; x++) {
			int m, r;

			ids[0] = ids[1] = rids[0] = rids[1] = 0;
			m = http_route_match(x->pattern, path, ids);
			r = ref_match(x->pattern, path, rids);
			FUZZ_CHECK(m == r, "%s vs \"%s\": router %d, reference %d",
			    x->pattern, path, m, r);
			if (!m)
				continue;
			FUZZ_CHECK(ids[0] == rids[0] && ids[1] == rids[1],
			    "%s vs \"%s\": ids %lld/%lld, reference %lld/%lld",
			    x->pattern, path, (long long)ids[0], (long long)ids[1],
			    (long long)rids[0], (long long)rids[1]);
			for (int i = 0; i < 2; i++)
				FUZZ_CHECK(ids[i] == -1 || ids[i] >= 0,
				    "id %lld", (long long)ids[i]);
			any = true;
			if (want == NULL && strcmp(x->method, method) == 0) {
				want = x;
				wids[0] = ids[0];
				wids[1] = ids[1];
			}
		}
	got = http_route_find(api_tables, method, path, ids, &matched);
	FUZZ_CHECK(got == want, "\"%s %s\": found %s, reference %s", method,
	    path, got ? got->pattern : "none", want ? want->pattern : "none");
	FUZZ_CHECK(matched == any, "\"%s\": path_matched %d, reference %d",
	    path, matched, any);
	if (got != NULL) {
		FUZZ_CHECK(ids[0] == wids[0] && ids[1] == wids[1], "find ids");
		FUZZ_CHECK(got->action != ACT_NONE, "%s declares no action",
		    got->pattern);
	}
	free(in);
	return 0;
}
