/*
 * http: the libmicrohttpd glue.  Reads a request within the size limits,
 * matches it against the api route tables, runs the handler inside one
 * store transaction, renders JSON or the error.  Owns no domain rules.
 */
#ifndef CS_HTTP_H
#define CS_HTTP_H

#include <stdio.h>

#include "api/api.h"

struct http_server;

/* TLS: the certificate chain and the private key, PEM (docs/operations.md). */
struct http_tls {
	const char	*cert_pem;
	const char	*key_pem;
};

/*
 * Connection handling (docs/operations.md "Connections"); 0 (or a NULL
 * struct) picks the default.  threads: the pool that polls the connections
 * (epoll) and runs the requests, by default four per core, at least
 * HTTP_THREADS_MIN and at most HTTP_THREADS_MAX.  connections: open at once
 * at most, by default and at most the file-descriptor limit less
 * HTTP_FD_RESERVE.
 */
struct http_limits {
	unsigned	 threads;
	unsigned	 connections;
};

#define HTTP_THREADS_MIN	16
#define HTTP_THREADS_MAX	64
#define HTTP_FD_RESERVE		256	/* descriptors kept for all but clients */

/*
 * Starts serving on "HOST:PORT" (PORT 0 picks one, returned in *port); over
 * TLS 1.2 or 1.3 only, with HSTS, when tls is not NULL.
 */
enum cs_err	 http_start(const char *listen, struct store *,
		    const struct api_config *, const struct http_tls *,
		    const struct http_limits *, struct http_server **,
		    int *port, struct cs_error *) CS_WUR;
void		 http_stop(struct http_server *);
/* Is listen a HOST:PORT http_start() takes (cishared check-config)? */
enum cs_err	 http_listen_check(const char *listen, struct cs_error *) CS_WUR;
/* Wake live inbox streams: new events were committed outside a request. */
void		 http_events_notify(void *srv);

/* Maps an error code to its HTTP status (the table in STYLE.md §3.3). */
int		 http_status_of(enum cs_err);

/* ---- router.c: the route tables as one surface ---------------------- */

/*
 * Match "/reports/:id/forward" against a path (below /api/v1; one trailing
 * slash allowed); fills ids, -1 for an :id that is not a positive integer.
 * 1 on match.
 */
int		 http_route_match(const char *pattern, const char *path,
		    int64_t ids[2]);
/*
 * The first route of the NULL-terminated tables matching method and path;
 * NULL if none (*path_matched then tells 405 from 404).
 */
const struct api_route *http_route_find(const struct api_route *const *tables,
		    const char *method, const char *path, int64_t ids[2],
		    bool *path_matched);
/* The route's .modes and .action (core/authz.h) for p (NULL: no credential). */
enum cs_err	 http_route_admit(const struct api_route *,
		    const struct cs_principal *p, enum cs_mode,
		    struct cs_error *) CS_WUR;
/* 400 naming the first member of body the route's .body does not allow. */
enum cs_err	 http_body_check(const struct api_route *, json_t *body,
		    struct cs_error *) CS_WUR;
/*
 * The credential of "Authorization: Basic <base64(login:password)>" (the
 * header's value, n bytes, scheme included) into out as
 * "login\0password\0"; -1 when it is not a Basic credential, is
 * malformed, longer than outsz, has no ':' or an empty login, or holds a
 * NUL or control byte.
 */
int		 http_basic_parse(const char *v, size_t n, char *out,
		    size_t outsz);
/*
 * TAXII content negotiation: may a response of TAXII_MEDIA_TYPE answer
 * this Accept header (NULL: absent)?  Is this Content-Type a TAXII one?
 */
bool		 http_taxii_accept_ok(const char *accept);
bool		 http_taxii_type_ok(const char *content_type);
/*
 * A JSON body's Content-Type (ASVS 13.1.5, 13.2.5): none, application/json
 * or application/x+json (optionally ;charset=utf-8), or the defaults of
 * curl -d and fetch() (application/x-www-form-urlencoded, text/plain),
 * case and blanks aside; anything else (multipart, XML, another charset)
 * is 415.  The body must then be a JSON object in every case.
 */
bool		 http_json_type_ok(const char *content_type);
/* ---- parse.c: a request's bytes, without the connection ------------ */

/*
 * What a query value or credential holding a NUL, a control character or
 * a byte http_unescape_str() marked becomes: "\xff", which is not UTF-8,
 * so every parser (ids, numbers, enums, times, text) refuses it.
 */
extern const char http_malformed[];
/*
 * Percent-decodes val in place (as libmicrohttpd's own unescaper), except
 * that a decoded NUL or control character (U+0000-U+001F, U+007F) becomes
 * 0xff; returns the new length.  "%" not followed by two hex digits stays.
 */
size_t		 http_unescape_str(char *val);
/* Are the n bytes of v free of NUL, control characters and 0xff? */
bool		 http_value_clean(const char *v, size_t n);
/*
 * The value of cookie `name` in a Cookie header's value (hdr, n bytes;
 * RFC 6265 section 5.4): pairs separated by ';', white space (SP, HTAB)
 * around a pair, its name and its value ignored, a piece without '='
 * skipped, the name compared byte for byte; a value in double quotes
 * loses them.  FOUND: *val points into hdr (*vlen bytes, maybe 0);
 * AMBIGUOUS: the name comes more than once (a cookie set for another path
 * or a parent domain beside ours: which one the browser meant cannot be
 * told, so neither is used); ABSENT: not there.  Reads only hdr[0..n).
 */
enum http_cookie {
	HTTP_COOKIE_ABSENT,
	HTTP_COOKIE_FOUND,
	HTTP_COOKIE_AMBIGUOUS
};
enum http_cookie http_cookie_find(const char *hdr, size_t n, const char *name,
		    const char **val, size_t *vlen);
/*
 * Is sent (the X-CSRF-Token header, NULL: absent) exactly the CSRF token
 * of the session token (core_csrf_token)?  Compared in constant time.
 */
bool		 http_csrf_ok(const char *session_token, const char *sent);
/*
 * A route's JSON body from the n bytes sent (capped by the caller): NULL
 * for a route without API_BODY or API_OPTBODY, {} for an absent optional
 * one; else json_loadb() with JSON_REJECT_DUPLICATES (jansson's depth
 * limit), and it must be an object.  CS_EINVAL (field "": the body as a
 * whole) when it is required and absent, not JSON or not an object.
 * *body is the caller's (json_decref).
 */
enum cs_err	 http_body_load(const struct api_route *, const char *buf,
		    size_t n, json_t **body, struct cs_error *) CS_WUR;
/* `cishared routes`: method, pattern, action, who may, body members. */
void		 http_routes_print(FILE *);
/* The OpenAPI 3.1 description (openapi.c), indented, keys sorted. */
void		 http_openapi_print(FILE *);

#endif
