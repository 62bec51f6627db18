/*
 * client: the cishare command-line client's HTTP layer.  One struct client
 * holds a libcurl easy handle, the API base URL (the server URL with
 * /api/v1 appended) and the bearer token; client_request() sends one JSON
 * request and hands back the decoded JSON answer or a classified error,
 * and client_stream() follows a server-sent event stream.
 *
 * Dependencies: util, libcurl, jansson.  Not thread-safe: one client per
 * thread.  curl_global_init() must have run before client_init().
 */
#ifndef CS_CLI_CLIENT_H
#define CS_CLI_CLIENT_H

#include <curl/curl.h>
#include <jansson.h>

#include "util/util.h"
#include "cli/sse.h"

#ifndef CISHARE_VERSION
#define CISHARE_VERSION		"0.1.0-dev"
#endif

/* Largest response body accepted from the server. */
#define CLIENT_MAX_RESPONSE	(64UL * 1024 * 1024)
/* Largest request path plus query string we build. */
#define CLIENT_MAX_PATH		(64UL * 1024)

enum client_status {
	CLIENT_OK = 0,
	CLIENT_EHTTP,		/* the server answered 4xx/5xx */
	CLIENT_EPROTO,		/* the answer was not usable JSON */
	CLIENT_ENET		/* no answer: connect, TLS, timeout, size */
};

/*
 * Error detail filled by client_request(), owned by the caller.  For
 * CLIENT_EHTTP, code/field/message come from the server's
 * {"error": {...}} object when it sent one (empty strings otherwise).
 */
struct client_error {
	enum client_status	status;
	long			http_status;
	char			code[64];
	char			field[96];
	char			message[512];
};

/* Fields are private to client.c. */
struct client {
	CURL			*curl;
	struct curl_slist	*headers;
	char			*base;		/* ".../api/v1", no trailing / */
	int			 have_token;
	int			 too_big;	/* the answer hit the cap */
	struct cs_buf		 resp;
	char			 errbuf[CURL_ERROR_SIZE];
};

/*
 * Prepares c for requests to url (http or https; "/api/v1" is appended
 * unless url already ends with it).  token may be NULL (no Authorization
 * header); cacert may be NULL (system CA store).  Returns 0, or -1 with a
 * message in err (errsz bytes) if url or token is unusable.  On success
 * the caller must call client_fini().
 */
int		 client_init(struct client *c, const char *url, const char *token,
		    const char *cacert, char *err, size_t errsz);
void		 client_fini(struct client *c);
/* Did client_init() get a token? */
int		 client_has_token(const struct client *c);

/*
 * Sends method (GET, POST, ...) to base + path.  path starts with '/' and
 * may carry a query string built with client_query_add().  body, when not
 * NULL, is sent as JSON (borrowed).  e is always filled: e->http_status
 * holds the status (0 without an answer).  On CLIENT_OK, *out holds the
 * decoded answer (a new reference, or NULL for an empty body); otherwise
 * *out is NULL and e says what went wrong.
 */
enum client_status client_request(struct client *c, const char *method,
		    const char *path, json_t *body, json_t **out,
		    struct client_error *e) CS_WUR;

/*
 * One event-stream request (client_stream()).  The caller fills the
 * first group; client_stream() fills the second.
 */
struct client_stream {
	struct sse_parser	*parser;	/* receives the body */
	const char		*last_event_id;	/* NULL: send none */
	long			 idle_timeout_s; /* 0: none */
	/* Polled about once a second; nonzero aborts the stream. */
	int			(*cancel)(void *);
	void			*arg;

	int			 connected;	/* a 200 event stream began */
	int			 stopped;	/* its handler stopped it */
	int			 cancelled;	/* cancel() stopped it */
};

/*
 * GETs base + path as a server-sent event stream ("Accept:
 * text/event-stream", plus "Last-Event-ID" when s->last_event_id is set)
 * and feeds the body to s->parser as it arrives, until the server ends the
 * stream, the parser's handler stops it, s->cancel() returns nonzero, or
 * nothing (not even a heartbeat) arrives for s->idle_timeout_s seconds.
 * There is no size cap and no overall timeout here.
 *
 * Returns CLIENT_OK when the stream ended, stopped or was cancelled (see
 * the flags in s); CLIENT_EHTTP when the server refused it (e is filled as
 * by client_request()); CLIENT_EPROTO when the answer was not an event
 * stream or held a line over SSE_MAX_LINE; CLIENT_ENET when there was no
 * answer, the connection dropped or went idle.  s is borrowed.
 */
enum client_status client_stream(struct client *c, const char *path,
		    struct client_stream *s, struct client_error *e) CS_WUR;

/*
 * GETs base + path and writes the body to out as it arrives, calling
 * progress(arg, bytes so far) after each piece (may be NULL); no size cap
 * and no overall timeout.  CLIENT_EHTTP with e filled when the server
 * refused (nothing written to out), CLIENT_ENET when the transfer or a
 * write failed.
 */
enum client_status client_download(struct client *c, const char *path,
		    FILE *out, void (*progress)(void *, long long), void *arg,
		    struct client_error *e) CS_WUR;

/*
 * Appends "?key=value" or "&key=value" to b, URL-escaping both, and does
 * nothing when value is NULL.  Returns 0, or -1 if b is over its cap.
 */
int		 client_query_add(struct client *c, struct cs_buf *b,
		    const char *key, const char *value);

/*
 * POSTs size bytes of in to base + path as the raw body with Content-Type
 * ctype (an attachment); *out gets the JSON answer.  As client_request().
 */
enum client_status client_upload(struct client *c, const char *path,
		    const char *ctype, FILE *in, long long size, json_t **out,
		    struct client_error *e) CS_WUR;

/*
 * client_download() that also copies the value of response header hname
 * into hval (hvalsz bytes, "" when absent).
 */
enum client_status client_download_hdr(struct client *c, const char *path,
		    FILE *out, const char *hname, char *hval, size_t hvalsz,
		    struct client_error *e) CS_WUR;

#endif
