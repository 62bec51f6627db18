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
/* `cishared routes`: method, pattern, action, who may, body members. */
void		 http_routes_print(FILE *);
/* The OpenAPI 3.1 description (openapi.c), indented, keys sorted. */
void		 http_openapi_print(FILE *);

#endif
