/*
 * client.c: one JSON request at a time to cishared over libcurl.
 *
 * The answer is collected in a capped cs_buf (CLIENT_MAX_RESPONSE), decoded
 * with jansson and classified: a 2xx answer is handed back, a 4xx/5xx answer
 * has its {"error": {...}} object copied into struct client_error, and a
 * request that got no answer at all is CLIENT_ENET.  Redirects are never
 * followed, so the bearer token only ever goes to the configured server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client.h"

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

const char *
client_base(const struct client *c)
{
	return c->base != NULL ? c->base : "";
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
