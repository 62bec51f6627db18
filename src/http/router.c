/*
 * router.c: the route tables of src/api as one surface.  Path matching,
 * the checks every route declares (action and modes against core's authz
 * table, the body's members), and the `cishared routes` listing.
 * docs/internals/routes.md.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "http/http.h"

#define API_PREFIX "/api/v1"

int
http_route_match(const char *pattern, const char *path, int64_t ids[2])
{
	int nid = 0;

	while (*pattern != '\0' && *path != '\0') {
		if (pattern[0] == '*') {	/* one non-empty segment (TAXII) */
			size_t n = strcspn(path, "/");

			if (n == 0)
				return 0;
			path += n;
			pattern++;
			continue;
		}
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
	for (const struct api_route *const *t = api_taxii_tables; *t != NULL; t++)
		for (const struct api_route *x = *t; x->method != NULL; x++) {
			authz_describe(x->action, who, sizeof(who));
			fprintf(f, "%-7s %-48s %-18s %s\n", x->method, x->pattern,
			    authz_action_id(x->action), who);
		}
}

int
http_basic_parse(const char *v, size_t n, char *out, size_t outsz)
{
	size_t len = 0, i;
	char *colon;

	if (n < 6 || strncasecmp(v, "Basic ", 6) != 0)
		return -1;
	v += 6;
	n -= 6;
	while (n > 0 && *v == ' ') {
		v++;
		n--;
	}
	if (n == 0 || outsz < 3)
		return -1;
	/* A decoding that fails half-way has written some bytes: wipe them. */
	if (sodium_base642bin((unsigned char *)out, outsz - 2, v, n, NULL, &len,
	    NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		goto bad;
	for (i = 0; i < len; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			goto bad;
	out[len] = '\0';
	out[len + 1] = '\0';
	if ((colon = strchr(out, ':')) == NULL || colon == out)
		goto bad;
	*colon = '\0';
	return 0;
bad:
	sodium_memzero(out, outsz);
	return -1;
}

/* Does one comma-separated media range of h accept TAXII 2.1? */
static bool
range_ok(const char *s, size_t n)
{
	char m[96];
	size_t k = 0;

	if (n >= sizeof(m))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			m[k++] = (char)tolower((unsigned char)s[i]);
	m[k] = '\0';
	/* a q=0 range refuses */
	if (strstr(m, ";q=0") != NULL && strstr(m, ";q=0.") == NULL)
		return false;
	{
		char *q = strstr(m, ";q=");

		if (q != NULL)
			*q = '\0';
	}
	return strcmp(m, "*/*") == 0 || strcmp(m, "application/*") == 0 ||
	    strcmp(m, "application/taxii+json") == 0 ||
	    strcmp(m, "application/taxii+json;version=2.1") == 0;
}

bool
http_taxii_accept_ok(const char *h)
{
	if (h == NULL || *h == '\0')
		return true;
	while (*h != '\0') {
		size_t n = strcspn(h, ",");

		if (range_ok(h, n))
			return true;
		h += n;
		if (*h == ',')
			h++;
	}
	return false;
}

bool
http_taxii_type_ok(const char *t)
{
	char m[96];
	size_t k = 0;

	if (t == NULL || strlen(t) >= sizeof(m))
		return false;
	for (; *t; t++)
		if (*t != ' ' && *t != '\t')
			m[k++] = (char)tolower((unsigned char)*t);
	m[k] = '\0';
	return strcmp(m, "application/taxii+json;version=2.1") == 0 ||
	    strcmp(m, "application/taxii+json") == 0 ||
	    strcmp(m, "application/stix+json;version=2.1") == 0;
}

bool
http_json_type_ok(const char *t)
{
	static const char *const ok[] = {
		"application/json", "application/json;charset=utf-8",
		/* curl -d's and fetch()'s defaults: the body must still parse */
		"application/x-www-form-urlencoded", "text/plain",
		"text/plain;charset=utf-8",
	};
	char m[64];
	size_t k = 0, n;

	if (t == NULL)
		return true;		/* the body must still parse as JSON */
	if (strlen(t) >= sizeof(m))
		return false;
	for (; *t; t++)
		if (*t != ' ' && *t != '\t')
			m[k++] = (char)tolower((unsigned char)*t);
	m[k] = '\0';
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(m, ok[i]) == 0)
			return true;
	/* application/<x>+json, optionally ;charset=utf-8 */
	if (strncmp(m, "application/", 12) == 0 && (n = strcspn(m, ";")) > 17 &&
	    memcmp(m + n - 5, "+json", 5) == 0)
		return m[n] == '\0' || strcmp(m + n, ";charset=utf-8") == 0;
	return false;
}
