/*
 * parse.c: what src/http reads from a request's bytes without the
 * connection: the unescaping of the URL and its query, the clean-value
 * rule, the session cookie out of a Cookie header, the CSRF comparison
 * and the JSON body of a route.  server.c calls these with what
 * libmicrohttpd hands it; tests/fuzz drives them directly.
 */
#include <string.h>

#include "http/http.h"

const char http_malformed[] = "\xff";

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

size_t
http_unescape_str(char *val)
{
	char *w = val;
	const char *r = val;

	while (*r != '\0') {
		unsigned char b;
		int hi, lo;

		if (r[0] == '%' && (hi = hexval(r[1])) >= 0 &&
		    (lo = hexval(r[2])) >= 0) {
			b = (unsigned char)(hi << 4 | lo);
			r += 3;
		} else
			b = (unsigned char)*r++;
		*w++ = (char)(b < 0x20 || b == 0x7f ? 0xff : b);
	}
	*w = '\0';
	return (size_t)(w - val);
}

bool
http_value_clean(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)v[i];

		if (b < 0x20 || b == 0x7f || b == 0xff)
			return false;
	}
	return true;
}

static bool
ows(char c)
{
	return c == ' ' || c == '\t';
}

enum http_cookie
http_cookie_find(const char *hdr, size_t n, const char *name,
    const char **val, size_t *vlen)
{
	size_t nl = strlen(name), i = 0;
	enum http_cookie found = HTTP_COOKIE_ABSENT;

	*val = NULL;
	*vlen = 0;
	while (i < n) {
		size_t ps, pe, eq, vs, ve;

		/* one pair: [ps, pe) without the white space around it */
		for (ps = i; ps < n && hdr[ps] != ';' && ows(hdr[ps]); ps++)
			;
		for (pe = ps; pe < n && hdr[pe] != ';'; pe++)
			;
		i = pe + 1;
		while (pe > ps && ows(hdr[pe - 1]))
			pe--;
		for (eq = ps; eq < pe && hdr[eq] != '='; eq++)
			;
		if (eq == pe)
			continue;	/* no '=': not a named cookie */
		vs = eq + 1;
		while (eq > ps && ows(hdr[eq - 1]))
			eq--;
		if (eq - ps != nl || memcmp(hdr + ps, name, nl) != 0)
			continue;
		if (found != HTTP_COOKIE_ABSENT) {
			*val = NULL;
			*vlen = 0;
			return HTTP_COOKIE_AMBIGUOUS;
		}
		while (vs < pe && ows(hdr[vs]))
			vs++;
		ve = pe;
		if (ve - vs >= 2 && hdr[vs] == '"' && hdr[ve - 1] == '"') {
			vs++;
			ve--;
		}
		*val = hdr + vs;
		*vlen = ve - vs;
		found = HTTP_COOKIE_FOUND;
	}
	return found;
}

bool
http_csrf_ok(const char *session_token, const char *sent)
{
	char want[33];

	if (session_token == NULL || sent == NULL)
		return false;
	core_csrf_token(session_token, want);
	return core_str_eq_ct(sent, want);
}

enum cs_err
http_body_load(const struct api_route *route, const char *buf, size_t n,
    json_t **body, struct cs_error *e)
{
	json_error_t je;

	*body = NULL;
	if (!(route->flags & (API_BODY | API_OPTBODY)))
		return CS_OK;
	if (n == 0) {
		if (route->flags & API_BODY)
			return cs_fail(e, CS_EINVAL, "", "a JSON object body is "
			    "required");
		*body = json_object();
		return CS_OK;
	}
	*body = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &je);
	if (*body == NULL)
		return cs_fail(e, CS_EINVAL, "", "malformed JSON at line %d "
		    "column %d: %s", je.line, je.column, je.text);
	if (!json_is_object(*body)) {
		json_decref(*body);
		*body = NULL;
		return cs_fail(e, CS_EINVAL, "", "the body must be a JSON object");
	}
	return CS_OK;
}
