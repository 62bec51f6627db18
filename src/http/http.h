/*
 * http: the libmicrohttpd glue.  Reads a request within the size limits,
 * matches it against the api route tables, runs the handler inside one
 * store transaction, renders JSON or the error.  Owns no domain rules.
 */
#ifndef CS_HTTP_H
#define CS_HTTP_H

#include "api/api.h"

struct http_server;

/* Starts serving on "HOST:PORT" (PORT 0 picks one, returned in *port). */
enum cs_err	 http_start(const char *listen, struct store *,
		    const struct api_config *, struct http_server **, int *port,
		    struct cs_error *) CS_WUR;
void		 http_stop(struct http_server *);
/* Wake live inbox streams: new events were committed outside a request. */
void		 http_events_notify(void *srv);

/* Maps an error code to its HTTP status (the table in STYLE.md §3.3). */
int		 http_status_of(enum cs_err);

#endif
