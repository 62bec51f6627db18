/*
 * router.c: the route tables of src/api as one surface.  Path matching,
 * the checks every route declares (action and modes against core's authz
 * table, the body's members), and the `cishared routes` listing.
 * docs/internals/routes.md.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "http/http.h"

#define API_PREFIX "/api/v1"

int
http_route_match(const char *pattern, const char *path, int64_t ids[2])
{
	int nid = 0;

	while (*pattern != '\0' && *path != '\0') {
		if (pattern[0] == ':') {
			char num[24];
			size_t n = strcspn(path, "/");

			if (n == 0 || n >= sizeof(num) || nid >= 2)
				return 0;
			memcpy(num, path, n);
			num[n] = '\0';
			if (cs_str_to_i64(num, 1, INT64_MAX, &ids[nid]) != CS_OK)
				ids[nid] = -1;	/* a forged id: 404 from the router */
			nid++;
			path += n;
			pattern += strcspn(pattern, "/");
			continue;
		}
		if (*pattern != *path)
			return 0;
		pattern++;
		path++;
	}
	return *pattern == '\0' && (*path == '\0' || (path[0] == '/' && path[1] == '\0'));
}

const struct api_route *
http_route_find(const struct api_route *const *tables, const char *method,
    const char *path, int64_t ids[2], bool *path_matched)
{
	int64_t got[2];

	*path_matched = false;
	ids[0] = ids[1] = 0;
	for (const struct api_route *const *t = tables; *t != NULL; t++)
		for (const struct api_route *x = *t; x->method != NULL; x++) {
			got[0] = got[1] = 0;
			if (!http_route_match(x->pattern, path, got))
				continue;
			*path_matched = true;
			if (strcmp(x->method, method) == 0) {
				ids[0] = got[0];
				ids[1] = got[1];
				return x;
			}
		}
	return NULL;
}

enum cs_err
http_route_admit(const struct api_route *route, const struct cs_principal *p,
    enum cs_mode mode, struct cs_error *e)
{
	if (route->modes != 0 && ((unsigned)mode >= MODE__COUNT ||
	    !(route->modes & CS_MODE_BIT(mode))))
		return cs_fail(e, CS_EPERM, "", "not available in the %s "
		    "operating mode", authz_mode_id(mode));
	return authz_require(route->action, p, mode, e);
}

enum cs_err
http_body_check(const struct api_route *route, json_t *body, struct cs_error *e)
{
	if (route->body == NULL || body == NULL)
		return CS_OK;
	return api_check_keys(body, route->body->keys, e);
}

void
http_routes_print(FILE *f)
{
	char who[512], full[160];

	fprintf(f, "%-7s %-48s %-18s %s\n", "METHOD", "PATTERN", "ACTION",
	    "WHO MAY");
	for (const struct api_route *const *t = api_tables; *t != NULL; t++)
		for (const struct api_route *x = *t; x->method != NULL; x++) {
			authz_describe(x->action, who, sizeof(who));
			cs_fmt(full, sizeof(full), "%s%s", API_PREFIX, x->pattern);
			fprintf(f, "%-7s %-48s %-18s %s", x->method, full,
			    authz_action_id(x->action), who);
			if (x->body != NULL) {
				fputs("  body:", f);
				for (const char *const *k = x->body->keys; *k; k++)
					fprintf(f, "%s%s", k == x->body->keys ?
					    " " : ",", *k);
			}
			if (x->flags & API_STREAM)
				fputs("  (event stream)", f);
			fputc('\n', f);
		}
}
