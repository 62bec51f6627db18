/*
 * client.c: one JSON request at a time to cishared over libcurl.
 *
 * The answer is collected in a capped cs_buf (CLIENT_MAX_RESPONSE), decoded
 * with jansson and classified: a 2xx answer is handed back, a 4xx/5xx answer
 * has its {"error": {...}} object copied into struct client_error, and a
 * request that got no answer at all is CLIENT_ENET.  Redirects are never
 * followed, so the bearer token only ever goes to the configured server.
 *
 * client_stream() runs an event stream on a duplicate of the easy handle,
 * so the JSON requests' settings stay untouched: the body goes to the SSE
 * parser as it arrives, and a progress callback enforces the idle timeout
 * and the caller's cancel check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/client.h"

#define API_BASE_PATH	"/api/v1"
#define MAX_URL_LEN	2048
/* Largest error answer kept from a refused stream request. */
#define STREAM_MAX_ERROR	(64UL * 1024)

/* State of one client_stream() call, shared with its callbacks. */
struct stream_ctx {
	CURL			*h;
	struct client_stream	*s;
	struct cs_buf		 errbody;	/* a refused request's answer */
	int64_t			 last_rx_us;	/* when bytes last came */
	int			 checked;	/* status looked at */
	int			 is_stream;	/* 200 text/event-stream */
	int			 too_long;	/* the parser overflowed */
	int			 idle;		/* idle timeout hit */
};

static size_t	write_cb(char *, size_t, size_t, void *);
static int	token_ok(const char *);
static void	copy_str_member(json_t *, const char *, char *, size_t);
static void	set_error(struct client_error *, enum client_status,
		    const char *, ...) CS_PRINTF(3, 4);
static void	set_http_error(struct client_error *, long, json_t *);
static size_t	stream_write_cb(char *, size_t, size_t, void *);
static int	stream_progress_cb(void *, curl_off_t, curl_off_t,
		    curl_off_t, curl_off_t);
static struct curl_slist *stream_headers(const struct client *,
		    const char *);
static void	slist_free_wiped(struct curl_slist *);

static size_t
write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct client *c = arg;
	size_t n;

	/* libcurl documents size as always 1. */
	n = size * nmemb;
	if (cs_buf_add(&c->resp, ptr, n) == -1) {
		c->too_big = 1;
		return 0;
	}
	return n;
}

/* A token goes into a header line: printable ASCII without spaces only. */
static int
token_ok(const char *t)
{
	const unsigned char *p;

	if (*t == '\0')
		return 0;
	for (p = (const unsigned char *)t; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return 0;
	return 1;
}

static void
copy_str_member(json_t *obj, const char *key, char *dst, size_t dstsz)
{
	json_t *v;

	dst[0] = '\0';
	v = json_object_get(obj, key);
	if (json_is_string(v))
		(void)cs_strlcpy(dst, json_string_value(v), dstsz);
}

static void
set_error(struct client_error *e, enum client_status status,
    const char *fmt, ...)
{
	va_list ap;

	e->status = status;
	e->code[0] = '\0';
	e->field[0] = '\0';
	va_start(ap, fmt);
	(void)vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
}

/* Fills e from a 4xx/5xx answer's {"error": {...}} object, if any. */
static void
set_http_error(struct client_error *e, long status, json_t *root)
{
	json_t *eo;

	eo = json_object_get(root, "error");
	if (json_is_object(eo)) {
		e->status = CLIENT_EHTTP;
		copy_str_member(eo, "code", e->code, sizeof(e->code));
		copy_str_member(eo, "field", e->field, sizeof(e->field));
		copy_str_member(eo, "message", e->message, sizeof(e->message));
		if (e->message[0] == '\0')
			(void)cs_strlcpy(e->message, e->code[0] != '\0' ?
			    e->code : "request failed", sizeof(e->message));
	} else
		set_error(e, CLIENT_EHTTP,
		    "server answered without error detail");
	e->http_status = status;
}

int
client_init(struct client *c, const char *url, const char *token,
    const char *cacert, char *err, size_t errsz)
{
	struct cs_buf b;
	char *hdr = NULL, *base = NULL;
	size_t len;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	cs_buf_init(&c->resp, CLIENT_MAX_RESPONSE);

	if (strncasecmp(url, "http://", 7) != 0 &&
	    strncasecmp(url, "https://", 8) != 0) {
		(void)snprintf(err, errsz,
		    "server URL must start with http:// or https://");
		goto out;
	}
	len = strlen(url);
	if (len > MAX_URL_LEN) {
		(void)snprintf(err, errsz, "server URL is too long");
		goto out;
	}
	while (len > 0 && url[len - 1] == '/')
		len--;
	cs_buf_init(&b, MAX_URL_LEN + sizeof(API_BASE_PATH));
	(void)cs_buf_add(&b, url, len);
	if (len < sizeof(API_BASE_PATH) - 1 || strcmp(url + len -
	    (sizeof(API_BASE_PATH) - 1), API_BASE_PATH) != 0)
		(void)cs_buf_adds(&b, API_BASE_PATH);
	if ((base = cs_buf_finish(&b)) == NULL) {
		(void)snprintf(err, errsz, "server URL is too long");
		goto out;
	}
	if (token != NULL && !token_ok(token)) {
		(void)snprintf(err, errsz,
		    "token contains spaces or control characters");
		goto out;
	}

	if ((c->curl = curl_easy_init()) == NULL) {
		(void)snprintf(err, errsz, "cannot initialise libcurl");
		goto out;
	}
	c->headers = curl_slist_append(c->headers,
	    "Accept: application/json");
	c->headers = curl_slist_append(c->headers,
	    "Content-Type: application/json; charset=utf-8");
	/* No "Expect: 100-continue" round trip for larger bodies. */
	c->headers = curl_slist_append(c->headers, "Expect:");
	if (token != NULL) {
		hdr = xasprintf("Authorization: Bearer %s", token);
		c->headers = curl_slist_append(c->headers, hdr);
		c->have_token = 1;
	}
	if (c->headers == NULL) {
		(void)snprintf(err, errsz, "cannot build request headers");
		goto out;
	}

	(void)curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, c->errbuf);
	(void)curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, write_cb);
	(void)curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
	(void)curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->headers);
	(void)curl_easy_setopt(c->curl, CURLOPT_USERAGENT,
	    "cishare/" CISHARE_VERSION);
	(void)curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
	(void)curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT, 10L);
	/* Give up on a stalled server: under 1 byte/s for 60 s. */
	(void)curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	(void)curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_TIME, 60L);
	(void)curl_easy_setopt(c->curl, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)CLIENT_MAX_RESPONSE);
	(void)curl_easy_setopt(c->curl, CURLOPT_ACCEPT_ENCODING, "");
#if LIBCURL_VERSION_NUM >= 0x075500
	(void)curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	(void)curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	if (cacert != NULL)
		(void)curl_easy_setopt(c->curl, CURLOPT_CAINFO, cacert);

	c->base = base;
	base = NULL;
	rc = 0;
out:
	if (hdr != NULL) {
		/* The header held the token: do not leave it in freed memory. */
		memset(hdr, 0, strlen(hdr));
		free(hdr);
	}
	free(base);
	if (rc != 0)
		client_fini(c);
	return rc;
}

void
client_fini(struct client *c)
{
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	c->curl = NULL;
	curl_slist_free_all(c->headers);
	c->headers = NULL;
	free(c->base);
	c->base = NULL;
	cs_buf_fini(&c->resp);
}

int
client_has_token(const struct client *c)
{
	return c->have_token;
}

enum client_status
client_request(struct client *c, const char *method, const char *path,
    json_t *body, json_t **out, struct client_error *e)
{
	json_error_t jerr;
	json_t *root = NULL;
	char *url = NULL, *payload = NULL, *location = NULL;
	const char *text;
	enum client_status rc = CLIENT_ENET;
	CURLcode cc;
	long status = 0;
	size_t len;

	*out = NULL;
	memset(e, 0, sizeof(*e));
	cs_buf_reset(&c->resp);
	c->too_big = 0;
	c->errbuf[0] = '\0';

	url = xasprintf("%s%s", c->base, path);
	(void)curl_easy_setopt(c->curl, CURLOPT_URL, url);
	if (body != NULL &&
	    (payload = json_dumps(body, JSON_COMPACT)) == NULL) {
		set_error(e, CLIENT_EPROTO, "cannot encode request body");
		rc = CLIENT_EPROTO;
		goto out;
	}
	if (strcmp(method, "GET") == 0) {
		(void)curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
		(void)curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, NULL);
	} else {
		(void)curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
		(void)curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS,
		    payload != NULL ? payload : "");
		(void)curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(payload != NULL ? strlen(payload) : 0));
		(void)curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST,
		    strcmp(method, "POST") == 0 ? NULL : method);
	}

	cc = curl_easy_perform(c->curl);
	if (c->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		set_error(e, CLIENT_ENET,
		    "answer from %s is larger than %lu MiB", c->base,
		    CLIENT_MAX_RESPONSE / (1024 * 1024));
		goto out;
	}
	if (cc != CURLE_OK) {
		set_error(e, CLIENT_ENET, "cannot talk to server at %s: %s",
		    c->base, c->errbuf[0] != '\0' ? c->errbuf :
		    curl_easy_strerror(cc));
		goto out;
	}
	(void)curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	e->http_status = status;

	text = cs_buf_str(&c->resp);
	len = cs_buf_len(&c->resp);
	if (len > 0)
		root = json_loadb(text, len, 0, &jerr);

	if (status >= 300 && status < 400) {
		(void)curl_easy_getinfo(c->curl, CURLINFO_REDIRECT_URL,
		    &location);
		set_error(e, CLIENT_EHTTP,
		    "server redirected to %s; set the URL to the new address",
		    location != NULL ? location : "another address");
		e->http_status = status;
		rc = CLIENT_EHTTP;
		goto out;
	}
	if (status < 200 || status >= 300) {
		set_http_error(e, status, root);
		rc = CLIENT_EHTTP;
		goto out;
	}
	if (len > 0 && root == NULL) {
		set_error(e, CLIENT_EPROTO,
		    "server sent invalid JSON: %s (line %d, column %d)",
		    jerr.text, jerr.line, jerr.column);
		e->http_status = status;
		rc = CLIENT_EPROTO;
		goto out;
	}

	*out = root;
	root = NULL;
	e->status = CLIENT_OK;
	rc = CLIENT_OK;
out:
	json_decref(root);
	free(payload);
	free(url);
	/* Do not keep a large answer around between requests. */
	cs_buf_fini(&c->resp);
	return rc;
}

static size_t
stream_write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct stream_ctx *x = arg;
	char *ct = NULL;
	long status = 0;
	size_t n;

	n = size * nmemb;
	x->last_rx_us = cs_time_now_us();
	if (!x->checked) {
		x->checked = 1;
		(void)curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
		(void)curl_easy_getinfo(x->h, CURLINFO_CONTENT_TYPE, &ct);
		x->is_stream = status == 200 && ct != NULL &&
		    strncasecmp(ct, "text/event-stream", 17) == 0;
		x->s->connected = x->is_stream;
	}
	if (!x->is_stream)
		return cs_buf_add(&x->errbody, ptr, n) == -1 ? 0 : n;
	switch (sse_feed(x->s->parser, ptr, n)) {
	case SSE_OK:
		return n;
	case SSE_STOP:
		x->s->stopped = 1;
		return 0;
	case SSE_ETOOBIG:
		x->too_long = 1;
		return 0;
	}
	return 0;
}

/* Polled by libcurl, about once a second when idle. */
static int
stream_progress_cb(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct stream_ctx *x = arg;
	struct client_stream *s = x->s;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if (s->cancel != NULL && s->cancel(s->arg)) {
		s->cancelled = 1;
		return 1;
	}
	if (s->idle_timeout_s > 0 && cs_time_now_us() - x->last_rx_us >
	    (int64_t)s->idle_timeout_s * 1000000) {
		x->idle = 1;
		return 1;
	}
	return 0;
}

/*
 * The client's headers (Authorization among them) for an event stream:
 * its own Accept, no Content-Type, and Last-Event-ID when given.
 */
static struct curl_slist *
stream_headers(const struct client *c, const char *last_id)
{
	const struct curl_slist *h;
	struct curl_slist *list = NULL, *n;
	char *line;

	for (h = c->headers; h != NULL; h = h->next) {
		if (strncasecmp(h->data, "Accept:", 7) == 0 ||
		    strncasecmp(h->data, "Content-Type:", 13) == 0)
			continue;
		if ((n = curl_slist_append(list, h->data)) == NULL)
			goto fail;
		list = n;
	}
	if ((n = curl_slist_append(list, "Accept: text/event-stream")) ==
	    NULL)
		goto fail;
	list = n;
	if ((n = curl_slist_append(list, "Cache-Control: no-cache")) == NULL)
		goto fail;
	list = n;
	if (last_id != NULL && *last_id != '\0') {
		line = xasprintf("Last-Event-ID: %s", last_id);
		n = curl_slist_append(list, line);
		free(line);
		if (n == NULL)
			goto fail;
		list = n;
	}
	return list;
fail:
	slist_free_wiped(list);
	return NULL;
}

/* Frees a header list, first wiping the token it may hold. */
static void
slist_free_wiped(struct curl_slist *list)
{
	struct curl_slist *h;

	for (h = list; h != NULL; h = h->next)
		memset(h->data, 0, strlen(h->data));
	curl_slist_free_all(list);
}

enum client_status
client_stream(struct client *c, const char *path, struct client_stream *s,
    struct client_error *e)
{
	struct stream_ctx x;
	struct curl_slist *hdrs = NULL;
	json_error_t jerr;
	json_t *root = NULL;
	enum client_status rc = CLIENT_ENET;
	char *url = NULL, *ct = NULL;
	const char *lid;
	CURLcode cc;
	long status = 0;

	memset(e, 0, sizeof(*e));
	memset(&x, 0, sizeof(x));
	cs_buf_init(&x.errbody, STREAM_MAX_ERROR);
	s->connected = s->stopped = s->cancelled = 0;
	c->errbuf[0] = '\0';

	/* An id is sent back in a header: no control characters. */
	lid = s->last_event_id;
	if (lid != NULL && *lid != '\0' && !token_ok(lid)) {
		set_error(e, CLIENT_EPROTO, "unusable event id");
		rc = CLIENT_EPROTO;
		goto out;
	}
	if ((hdrs = stream_headers(c, lid)) == NULL ||
	    (x.h = curl_easy_duphandle(c->curl)) == NULL) {
		set_error(e, CLIENT_ENET, "cannot prepare the stream request");
		goto out;
	}
	url = xasprintf("%s%s", c->base, path);
	x.s = s;
	x.last_rx_us = cs_time_now_us();
	(void)curl_easy_setopt(x.h, CURLOPT_URL, url);
	(void)curl_easy_setopt(x.h, CURLOPT_HTTPGET, 1L);
	(void)curl_easy_setopt(x.h, CURLOPT_CUSTOMREQUEST, NULL);
	(void)curl_easy_setopt(x.h, CURLOPT_HTTPHEADER, hdrs);
	(void)curl_easy_setopt(x.h, CURLOPT_WRITEFUNCTION, stream_write_cb);
	(void)curl_easy_setopt(x.h, CURLOPT_WRITEDATA, &x);
	(void)curl_easy_setopt(x.h, CURLOPT_NOPROGRESS, 0L);
	(void)curl_easy_setopt(x.h, CURLOPT_XFERINFOFUNCTION,
	    stream_progress_cb);
	(void)curl_easy_setopt(x.h, CURLOPT_XFERINFODATA, &x);
	/* A stream is long and mostly idle: the idle timeout guards it. */
	(void)curl_easy_setopt(x.h, CURLOPT_LOW_SPEED_LIMIT, 0L);
	(void)curl_easy_setopt(x.h, CURLOPT_LOW_SPEED_TIME, 0L);
	(void)curl_easy_setopt(x.h, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)0);
	(void)curl_easy_setopt(x.h, CURLOPT_ACCEPT_ENCODING, NULL);
	(void)curl_easy_setopt(x.h, CURLOPT_TCP_KEEPALIVE, 1L);

	cc = curl_easy_perform(x.h);
	(void)curl_easy_getinfo(x.h, CURLINFO_RESPONSE_CODE, &status);
	e->http_status = status;
	if (s->stopped || s->cancelled) {
		rc = CLIENT_OK;
		goto out;
	}
	if (x.too_long) {
		set_error(e, CLIENT_EPROTO, "event stream line or event larger"
		    " than %lu MiB", SSE_MAX_LINE / (1024 * 1024));
		rc = CLIENT_EPROTO;
		goto out;
	}
	if (x.idle) {
		set_error(e, CLIENT_ENET, "nothing from %s for %ld s",
		    c->base, s->idle_timeout_s);
		goto out;
	}
	if (status != 0 && (status < 200 || status >= 300)) {
		if (cs_buf_len(&x.errbody) > 0)
			root = json_loadb(cs_buf_str(&x.errbody),
			    cs_buf_len(&x.errbody), 0, &jerr);
		set_http_error(e, status, root);
		rc = CLIENT_EHTTP;
		goto out;
	}
	if (status != 0 && x.checked && !x.is_stream) {
		(void)curl_easy_getinfo(x.h, CURLINFO_CONTENT_TYPE, &ct);
		set_error(e, CLIENT_EPROTO, "server did not answer with an"
		    " event stream (Content-Type: %s)",
		    ct != NULL ? ct : "none");
		rc = CLIENT_EPROTO;
		goto out;
	}
	if (cc != CURLE_OK) {
		set_error(e, CLIENT_ENET, "%s %s: %s", s->connected ?
		    "lost the stream from" : "cannot talk to server at",
		    c->base, c->errbuf[0] != '\0' ? c->errbuf :
		    curl_easy_strerror(cc));
		goto out;
	}
	/* The server ended the stream. */
	e->status = CLIENT_OK;
	rc = CLIENT_OK;
out:
	json_decref(root);
	if (x.h != NULL)
		curl_easy_cleanup(x.h);
	slist_free_wiped(hdrs);
	free(url);
	cs_buf_fini(&x.errbody);
	return rc;
}

int
client_query_add(struct client *c, struct cs_buf *b, const char *key,
    const char *value)
{
	char *k = NULL, *v = NULL;
	const char *cur;
	int rc = -1;

	if (value == NULL)
		return 0;
	if ((k = curl_easy_escape(c->curl, key, 0)) == NULL ||
	    (v = curl_easy_escape(c->curl, value, 0)) == NULL)
		goto out;
	cur = cs_buf_str(b);
	if (cs_buf_printf(b, "%c%s=%s", strchr(cur, '?') == NULL ? '?' : '&',
	    k, v) == -1)
		goto out;
	rc = 0;
out:
	curl_free(k);
	curl_free(v);
	return rc;
}

/* ---- client_download: a body to a file (cishare export) ------------------ */

struct dl_ctx {
	FILE				*out;
	struct cs_buf			 errbody;	/* the body of a refusal */
	long				 status;
	CURL				*h;
	int				 write_failed;
	curl_off_t			 bytes;
	void				(*progress)(void *, long long);
	void				*arg;
};

static size_t
dl_write_cb(char *p, size_t size, size_t n, void *arg)
{
	struct dl_ctx *x = arg;
	size_t len = size * n;

	if (x->status == 0)
		(void)curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &x->status);
	if (x->status < 200 || x->status >= 300) {
		(void)cs_buf_add(&x->errbody, p, len);
		return len;
	}
	if (fwrite(p, 1, len, x->out) != len) {
		x->write_failed = 1;
		return 0;
	}
	x->bytes += (curl_off_t)len;
	if (x->progress != NULL)
		x->progress(x->arg, (long long)x->bytes);
	return len;
}

enum client_status
client_download(struct client *c, const char *path, FILE *out,
    void (*progress)(void *, long long), void *arg, struct client_error *e)
{
	struct dl_ctx x;
	json_t *root = NULL;
	enum client_status rc = CLIENT_ENET;
	char *url;
	CURLcode cc;

	memset(e, 0, sizeof(*e));
	memset(&x, 0, sizeof(x));
	cs_buf_init(&x.errbody, STREAM_MAX_ERROR);
	x.out = out;
	x.progress = progress;
	x.arg = arg;
	c->errbuf[0] = '\0';
	if ((x.h = curl_easy_duphandle(c->curl)) == NULL) {
		set_error(e, CLIENT_ENET, "cannot prepare the request");
		goto out;
	}
	url = xasprintf("%s%s", c->base, path);
	(void)curl_easy_setopt(x.h, CURLOPT_URL, url);
	(void)curl_easy_setopt(x.h, CURLOPT_HTTPGET, 1L);
	(void)curl_easy_setopt(x.h, CURLOPT_CUSTOMREQUEST, NULL);
	(void)curl_easy_setopt(x.h, CURLOPT_WRITEFUNCTION, dl_write_cb);
	(void)curl_easy_setopt(x.h, CURLOPT_WRITEDATA, &x);
	/* An export has no size cap and may take long: no overall timeout. */
	(void)curl_easy_setopt(x.h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)0);
	(void)curl_easy_setopt(x.h, CURLOPT_TIMEOUT, 0L);
	cc = curl_easy_perform(x.h);
	free(url);
	(void)curl_easy_getinfo(x.h, CURLINFO_RESPONSE_CODE, &x.status);
	e->http_status = x.status;
	if (x.status != 0 && (x.status < 200 || x.status >= 300)) {
		json_error_t jerr;

		if (cs_buf_len(&x.errbody) > 0)
			root = json_loadb(cs_buf_str(&x.errbody),
			    cs_buf_len(&x.errbody), 0, &jerr);
		set_http_error(e, x.status, root);
		rc = CLIENT_EHTTP;
		goto out;
	}
	if (x.write_failed) {
		set_error(e, CLIENT_ENET, "cannot write the export");
		goto out;
	}
	if (cc != CURLE_OK) {
		set_error(e, CLIENT_ENET, "export from %s: %s", c->base,
		    c->errbuf[0] != '\0' ? c->errbuf : curl_easy_strerror(cc));
		goto out;
	}
	rc = CLIENT_OK;
out:
	json_decref(root);
	cs_buf_fini(&x.errbody);
	if (x.h != NULL)
		curl_easy_cleanup(x.h);
	return rc;
}

/* ---- raw uploads (cishare attach) ------------------------------------ */

struct up_ctx {
	FILE		*in;
	struct cs_buf	 resp;
};

static size_t
up_read_cb(char *p, size_t size, size_t n, void *arg)
{
	struct up_ctx *x = arg;

	return fread(p, 1, size * n, x->in);
}

static size_t
up_write_cb(char *p, size_t size, size_t n, void *arg)
{
	struct up_ctx *x = arg;

	(void)cs_buf_add(&x->resp, p, size * n);
	return size * n;
}

enum client_status
client_upload(struct client *c, const char *path, const char *ctype,
    FILE *in, long long size, json_t **out, struct client_error *e)
{
	struct curl_slist *hdr = NULL, *n;
	const struct curl_slist *h;
	struct up_ctx x;
	json_error_t jerr;
	json_t *root = NULL;
	enum client_status rc = CLIENT_ENET;
	long status = 0;
	CURL *k = NULL;
	char *url = NULL, *line;
	CURLcode cc;

	*out = NULL;
	memset(e, 0, sizeof(*e));
	memset(&x, 0, sizeof(x));
	x.in = in;
	cs_buf_init(&x.resp, CLIENT_MAX_RESPONSE);
	c->errbuf[0] = '\0';
	for (h = c->headers; h != NULL; h = h->next) {
		if (strncasecmp(h->data, "Content-Type:", 13) == 0)
			continue;
		if ((n = curl_slist_append(hdr, h->data)) == NULL)
			goto out;
		hdr = n;
	}
	line = xasprintf("Content-Type: %s", ctype);
	n = curl_slist_append(hdr, line);
	free(line);
	if (n == NULL)
		goto out;
	hdr = n;
	if ((k = curl_easy_duphandle(c->curl)) == NULL) {
		set_error(e, CLIENT_ENET, "cannot prepare the request");
		goto out;
	}
	url = xasprintf("%s%s", c->base, path);
	(void)curl_easy_setopt(k, CURLOPT_URL, url);
	(void)curl_easy_setopt(k, CURLOPT_HTTPHEADER, hdr);
	(void)curl_easy_setopt(k, CURLOPT_POST, 1L);
	(void)curl_easy_setopt(k, CURLOPT_POSTFIELDS, NULL);
	(void)curl_easy_setopt(k, CURLOPT_READFUNCTION, up_read_cb);
	(void)curl_easy_setopt(k, CURLOPT_READDATA, &x);
	(void)curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)size);
	(void)curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, up_write_cb);
	(void)curl_easy_setopt(k, CURLOPT_WRITEDATA, &x);
	(void)curl_easy_setopt(k, CURLOPT_TIMEOUT, 0L);
	cc = curl_easy_perform(k);
	(void)curl_easy_getinfo(k, CURLINFO_RESPONSE_CODE, &status);
	e->http_status = status;
	if (cs_buf_len(&x.resp) > 0)
		root = json_loadb(cs_buf_str(&x.resp), cs_buf_len(&x.resp), 0,
		    &jerr);
	if (status != 0 && (status < 200 || status >= 300)) {
		set_http_error(e, status, root);
		rc = CLIENT_EHTTP;
		goto out;
	}
	if (cc != CURLE_OK) {
		set_error(e, CLIENT_ENET, "cannot talk to server at %s: %s",
		    c->base, c->errbuf[0] != '\0' ? c->errbuf :
		    curl_easy_strerror(cc));
		goto out;
	}
	if (root == NULL) {
		set_error(e, CLIENT_EPROTO, "server sent no JSON answer");
		rc = CLIENT_EPROTO;
		goto out;
	}
	*out = root;
	root = NULL;
	e->status = CLIENT_OK;
	rc = CLIENT_OK;
out:
	json_decref(root);
	free(url);
	cs_buf_fini(&x.resp);
	if (k != NULL)
		curl_easy_cleanup(k);
	slist_free_wiped(hdr);
	return rc;
}

/* ---- a download with one of its headers (cishare attachment get) ---- */

struct hdr_ctx {
	const char	*name;
	char		*val;
	size_t		 valsz;
};

static size_t
hdr_cb(char *p, size_t size, size_t n, void *arg)
{
	struct hdr_ctx *x = arg;
	size_t len = size * n, nl = strlen(x->name), k;

	if (len > nl + 1 && strncasecmp(p, x->name, nl) == 0 && p[nl] == ':') {
		p += nl + 1;
		len -= nl + 1;
		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == '\n'))
			len--;
		k = len < x->valsz - 1 ? len : x->valsz - 1;
		memcpy(x->val, p, k);
		x->val[k] = '\0';
	}
	return size * n;
}

enum client_status
client_download_hdr(struct client *c, const char *path, FILE *out,
    const char *hname, char *hval, size_t hvalsz, struct client_error *e)
{
	struct hdr_ctx hx = { hname, hval, hvalsz };
	enum client_status rc;

	hval[0] = '\0';
	(void)curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, hdr_cb);
	(void)curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, &hx);
	/* client_download works on a copy of the handle: it takes these. */
	rc = client_download(c, path, out, NULL, NULL, e);
	(void)curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, NULL);
	(void)curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, NULL);
	return rc;
}
