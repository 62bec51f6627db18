/*
 * server.c: libmicrohttpd daemon, request accumulation with a hard body
 * cap, rate limits, dispatch through the router (router.c) in the order
 * of checks of docs/internals/routes.md, one transaction per request,
 * JSON rendering and the error table.  The web UI is static.c, the live
 * inbox sse.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http/http_int.h"
#include "core/attach.h"
#include "svc/svc_mode.h"


#define RL_BUCKETS 4096

struct rl_bucket {
	uint32_t	addr;
	double		tokens;
	int64_t		at_us;
};

struct conn {
	struct cs_buf	 body;
	int64_t		 start_us;
	size_t		 max;		/* the body's cap: CS_MAX_BODY, or a file's */
	/* a kept answer's bytes, held until the request completes (send_kept) */
	void		(*release)(void *);
	void		*release_arg;
};

/* A kept answer's response, made once and queued for each answer of it. */
struct kept_resp {
	struct api_kept		 k;
	struct MHD_Response	*resp;
};

static atomic_llong req_seq;

int
http_status_of(enum cs_err code)
{
	switch (code) {
	case CS_OK:		return 200;
	case CS_EINVAL:		return 400;
	case CS_EAUTH:		return 401;
	case CS_EPERM:		return 403;
	case CS_ENOENT:		return 404;
	case CS_ECONFLICT:	return 409;
	case CS_ETOOBIG:	return 413;
	case CS_ELIMIT:		return 429;
	case CS_ESTORE:
	case CS_EIO:
	case CS_EINTERNAL:	return 500;
	}
	return 500;
}

/* Set once at start when the daemon serves TLS: every answer says HSTS. */
static atomic_bool serving_tls;

/* Headers every response carries: no sniffing, no framing, strict CSP. */
void
http_security_headers(struct MHD_Response *resp)
{
	if (atomic_load_explicit(&serving_tls, memory_order_relaxed))
		MHD_add_response_header(resp, "Strict-Transport-Security",
		    "max-age=31536000; includeSubDomains");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Content-Security-Policy",
	    "default-src 'self'; script-src 'self'; style-src 'self'; "
	    "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
	    "object-src 'none'; base-uri 'none'; form-action 'self'; "
	    "frame-ancestors 'none'");
}

static enum MHD_Result
send_text_hdr(struct MHD_Connection *c, int status, char *text,
    const char *ctype, const char *set_cookie, int64_t retry_s)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char ra[24];

	resp = MHD_create_response_from_buffer(strlen(text), text,
	    MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type", ctype != NULL ? ctype :
	    "application/json; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	http_security_headers(resp);
	if (set_cookie != NULL)
		MHD_add_response_header(resp, "Set-Cookie", set_cookie);
	if (retry_s > 0) {
		cs_fmt(ra, sizeof(ra), "%lld", (long long)retry_s);
		MHD_add_response_header(resp, "Retry-After", ra);
	}
	ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* A JSON answer with the handler's extra headers (TAXII). */
static enum MHD_Result
send_text_extra(struct MHD_Connection *c, int status, char *text,
    const struct api_req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(strlen(text), text,
	    MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type", r->content_type != NULL ?
	    r->content_type : "application/json; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	http_security_headers(resp);
	for (int i = 0; i < r->nheaders && i < 2; i++)
		MHD_add_response_header(resp, r->headers[i].name,
		    r->headers[i].value);
	ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
send_text_cookie(struct MHD_Connection *c, int status, char *text,
    const char *ctype, const char *set_cookie)
{
	return send_text_hdr(c, status, text, ctype, set_cookie, 0);
}

/* Token bucket per client IPv4 address; false when the client is over its rate. */
static bool
rate_ok(struct http_server *srv, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr_in *sin;
	struct rl_bucket *b;
	int64_t now;
	uint32_t addr;
	bool ok;

	if (srv->rl_rate <= 0)
		return true;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL ||
	    ci->client_addr->sa_family != AF_INET)
		return true;
	sin = (const struct sockaddr_in *)(const void *)ci->client_addr;
	addr = sin->sin_addr.s_addr;
	now = cs_time_now_us();
	pthread_mutex_lock(&srv->rl_lock);
	b = &srv->rl[(addr * 2654435761u) % RL_BUCKETS];
	if (b->addr != addr || b->at_us == 0) {
		b->addr = addr;
		b->tokens = srv->rl_burst;
		b->at_us = now;
	}
	b->tokens += (double)(now - b->at_us) / 1e6 * srv->rl_rate;
	if (b->tokens > srv->rl_burst)
		b->tokens = srv->rl_burst;
	b->at_us = now;
	ok = b->tokens >= 1.0;
	if (ok)
		b->tokens -= 1.0;
	pthread_mutex_unlock(&srv->rl_lock);
	return ok;
}

enum MHD_Result
http_send_error(struct MHD_Connection *c, int status, const struct cs_error *e)
{
	return http_send_error_after(c, status, e, 0);
}

/* The same with Retry-After: SECONDS when retry_s > 0 (429, 503). */
enum MHD_Result
http_send_error_after(struct MHD_Connection *c, int status,
    const struct cs_error *e, int64_t retry_s)
{
	json_t *j;
	char *text;

	j = json_pack("{s:{s:s, s:s, s:s}}", "error", "code",
	    status == 405 ? "method_not_allowed" : cs_err_name(e->code),
	    "field", e->field, "message", e->msg[0] ? e->msg : "error");
	text = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (text == NULL)	/* never fail to answer, whatever the detail held */
		text = xasprintf("{\"error\":{\"code\":\"%s\",\"field\":\"\","
		    "\"message\":\"error\"}}", cs_err_name(e->code));
	return send_text_hdr(c, status, text, NULL, NULL, retry_s);
}

/*
 * A TAXII 2.1 error message (TAXII 2.1 §3.6.1) with the TAXII media type:
 * title, description (the field first, when there is one), http_status as
 * a string; a 401 names the Basic scheme.
 */
static enum MHD_Result
send_taxii_error(struct MHD_Connection *c, int status, const struct cs_error *e,
    int64_t retry_s)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	json_t *j;
	char st[8], ra[24], *text;

	cs_fmt(st, sizeof(st), "%d", status);
	j = json_pack("{s:s, s:s, s:s}", "title", status == 405 ?
	    "method_not_allowed" : status == 406 ? "not_acceptable" :
	    status == 415 ? "unsupported_media_type" : cs_err_name(e->code),
	    "description", e->msg[0] ? e->msg : "error", "http_status", st);
	if (j != NULL && e->field[0] != '\0') {
		json_object_set_new(j, "details", json_pack("{s:s}", "field",
		    e->field));
		json_object_set_new(j, "description", json_sprintf("%s: %s",
		    e->field, e->msg[0] ? e->msg : "error"));
	}
	text = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (text == NULL)
		text = xasprintf("{\"title\":\"error\",\"http_status\":\"%d\"}",
		    status);
	resp = MHD_create_response_from_buffer(strlen(text), text,
	    MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type", TAXII_MEDIA_TYPE);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	http_security_headers(resp);
	if (status == 401)
		MHD_add_response_header(resp, "WWW-Authenticate",
		    "Basic realm=\"cishare TAXII\", charset=\"UTF-8\"");
	if (retry_s > 0) {
		cs_fmt(ra, sizeof(ra), "%lld", (long long)retry_s);
		MHD_add_response_header(resp, "Retry-After", ra);
	}
	ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
send_error(struct MHD_Connection *c, int status, const struct cs_error *e,
    int64_t retry_s, bool taxii)
{
	if (taxii)
		return send_taxii_error(c, status, e, retry_s);
	return http_send_error_after(c, status, e, retry_s);
}

/*
 * A value that holds a NUL byte, a control character or a byte the
 * unescaper marked (http_unescape_str) is malformed: never a truncated
 * match (API.md "Source protection").  It reaches the handlers as
 * http_malformed, which every parser refuses.
 */
static bool
clean_value(const char *v, size_t n)
{
	return strlen(v) == n && http_value_clean(v, n);
}

/*
 * Did a header value end where its line ended?  libmicrohttpd 0.9.75 parses
 * the header lines in place and ends a value at an embedded NUL, reporting
 * the cut length, so "Bearer <token>\0x" reads as "Bearer <token>".  What
 * follows a value in its buffer is the line's terminator, overwritten with
 * NULs (CR LF: two), then the next header's name, or the blank line's two
 * NULs that end the header block.  Any other byte in that place means the
 * value went on past a NUL.  (A request with bare LF line ends and another
 * header after this one reads as cut too: senders must use CR LF.)
 */
struct hdr_walk {
	const char	*at;
	bool		 found;
};

static enum MHD_Result
name_at(void *cls, enum MHD_ValueKind kind, const char *key, size_t klen,
    const char *value, size_t vlen)
{
	struct hdr_walk *w = cls;

	(void)kind;
	(void)klen;
	(void)value;
	(void)vlen;
	w->found |= key == w->at;
	return MHD_YES;
}

static bool
header_whole(struct MHD_Connection *c, const char *v, size_t n)
{
	const char *p = v + n;
	struct hdr_walk w;
	size_t z = 0;

	while (z < 4 && p[z] == '\0')
		z++;
	if (z == 4)		/* the terminator and the blank line */
		return true;
	if (z < 2)
		return false;
	w.at = p + z;
	w.found = false;
	(void)MHD_get_connection_values_n(c, MHD_HEADER_KIND, name_at, &w);
	return w.found;
}

static const char *
query_get(void *conn, const char *key)
{
	const char *v = NULL;
	size_t n = 0;

	if (MHD_lookup_connection_value_n(conn, MHD_GET_ARGUMENT_KIND, key,
	    strlen(key), &v, &n) != MHD_YES || v == NULL)
		return NULL;
	return clean_value(v, n) ? v : http_malformed;
}

const char *
http_query(struct MHD_Connection *c, const char *key)
{
	return query_get(c, key);
}

/*
 * Percent-decoding of the URL and its query (MHD_OPTION_UNESCAPE_CALLBACK):
 * http_unescape_str(), so "/reports/2%00" is no longer "/reports/2".
 */
static size_t
http_unescape(void *cls, struct MHD_Connection *c, char *val)
{
	(void)cls;
	(void)c;
	return http_unescape_str(val);
}

void
http_credential(struct MHD_Connection *c, struct api_req *r)
{
	const char *v = NULL, *name;
	size_t n = 0;

	r->bearer = NULL;
	r->via_cookie = false;
	if (MHD_lookup_connection_value_n(c, MHD_HEADER_KIND, "Authorization",
	    13, &v, &n) == MHD_YES && v != NULL) {
		if (n >= 7 && strncasecmp(v, "Bearer ", 7) == 0) {
			/* "Bearer <token>\0x" must not authenticate as <token>. */
			r->bearer = clean_value(v, n) && header_whole(c, v, n) ?
			    v + 7 : http_malformed;
			return;
		}
		if (n >= 6 && strncasecmp(v, "Basic ", 6) == 0) {
			r->has_basic = clean_value(v, n) && header_whole(c, v, n) &&
			    http_basic_parse(v, n, r->basic, sizeof(r->basic)) == 0;
			if (!r->has_basic)
				r->bearer = http_malformed;
			return;
		}
	}
	/*
	 * The session cookie, read by http_cookie_find() from the Cookie
	 * header (not libmicrohttpd's cookie list, which takes the first of
	 * two cookies of one name): empty is absent; twice, cut at a NUL,
	 * holding a control byte or too long for r->cookie is malformed.
	 */
	v = NULL;
	if (MHD_lookup_connection_value_n(c, MHD_HEADER_KIND, "Cookie", 6, &v,
	    &n) == MHD_YES && v != NULL) {
		const char *cv;
		size_t cn;
		enum http_cookie k;

		name = api_session_cookie_name(r);
		k = http_cookie_find(v, n, name, &cv, &cn);
		if (k == HTTP_COOKIE_ABSENT || (k == HTTP_COOKIE_FOUND && cn == 0))
			return;
		r->via_cookie = true;
		r->bearer = http_malformed;
		if (k == HTTP_COOKIE_FOUND && cn < sizeof(r->cookie) &&
		    http_value_clean(cv, cn) && header_whole(c, v, n)) {
			memcpy(r->cookie, cv, cn);
			r->cookie[cn] = '\0';
			r->bearer = r->cookie;
		}
	}
}

static void
events_committed(struct http_server *srv)
{
	pthread_mutex_lock(&srv->ev_lock);
	srv->ev_gen++;
	pthread_cond_broadcast(&srv->ev_cond);
	pthread_mutex_unlock(&srv->ev_lock);
}

void
http_events_notify(void *srv)
{
	events_committed(srv);
}

/*
 * The operating mode for this request (inside its transaction): the cached
 * one, or read again when a second has passed or a request changed it.
 * A store error keeps the last known mode.
 */
static void
mode_current(struct http_server *srv, enum cs_mode *mode, uint32_t *sectors)
{
	int64_t now = cs_time_mono_us();

	pthread_mutex_lock(&srv->mode_lock);
	if (srv->mode_read_us == 0 || now - srv->mode_read_us > 1000000) {
		enum cs_mode m;
		uint32_t s;

		if (svc_mode_state(srv->st, &m, &s) == CS_OK) {
			srv->mode = m;
			srv->mode_sectors = s;
			srv->mode_read_us = now;
		}
	}
	*mode = srv->mode;
	*sectors = srv->mode_sectors;
	pthread_mutex_unlock(&srv->mode_lock);
}

/*
 * The :id, the route's admission (docs/internals/routes.md) and the body's
 * members, on the caller's transaction.  Invisible is absent: the item's
 * 404 goes before a refusal.
 */
static enum cs_err
admit(const struct api_route *route, struct api_req *r, enum cs_mode mode,
    struct cs_error *e)
{
	enum cs_err rc;

	if (r->ids[0] < 0 || r->ids[1] < 0)
		return cs_fail(e, CS_ENOENT, "", "no such item");
	if ((rc = http_route_admit(route, r->authed ? &r->who : NULL, mode,
	    e)) != CS_OK) {
		if (rc == CS_EPERM && route->visible != NULL) {
			struct cs_error ve;
			enum cs_err vrc;

			cs_error_clear(&ve);
			if ((vrc = route->visible(r, &ve)) != CS_OK) {
				if (ve.code == CS_OK)
					cs_fail(&ve, vrc, "", "no such item");
				*e = ve;
			}
		}
		return e->code;
	}
	return http_body_check(route, r->body, e);
}

/*
 * route->pre: the caller authenticated and admitted on a snapshot (so no
 * stranger makes the daemon resolve a name), then the work outside any
 * transaction.  The request's own transaction authenticates again.
 */
static enum cs_err
pre_phase(struct http_server *srv, const struct api_route *route,
    struct api_req *r, struct cs_error *e)
{
	struct store *st = r->st;
	bool snapshot = r->snapshot;
	enum cs_mode mode;
	uint32_t sectors;
	enum cs_err rc;

	if ((rc = store_begin_snapshot(st)) != CS_OK)
		return cs_fail(e, rc, "", "store unavailable");
	r->snapshot = true;		/* no write, not even the last use */
	mode_current(srv, &mode, &sectors);
	if (!authz_public(route->action))
		rc = api_authenticate(r, e);
	if (rc == CS_OK && r->authed && mode == MODE_LARGE_SCALE)
		r->who.ls_sectors = sectors;
	if (rc == CS_OK)
		rc = admit(route, r, mode, e);
	store_rollback(st);
	r->snapshot = snapshot;
	if (rc == CS_OK) {
		cs_error_clear(e);
		r->st = NULL;
		if ((rc = route->pre(r, e)) != CS_OK && e->code == CS_OK)
			cs_fail(e, rc, "", "request failed");
		r->st = st;
	}
	if (r->authed) {
		store_user_fini(&r->user);
		store_org_fini(&r->org);
		r->authed = false;
	}
	return rc;
}

static void
kept_free(struct api_kept *k)
{
	MHD_destroy_response(((struct kept_resp *)(void *)k)->resp);
	free(k);
}

/*
 * A kept answer (api_render_get): the response of its bytes, with its
 * headers, is made by the first answer and queued again by the next ones
 * (libmicrohttpd counts its uses); the bytes themselves stay until this
 * request completes (on_completed releases them).
 */
static enum MHD_Result
send_kept(struct MHD_Connection *c, struct conn *cs, int status,
    struct api_stream *s)
{
	struct api_kept *had = atomic_load(s->kept);
	struct kept_resp *k;
	enum MHD_Result ret;

	if (had == NULL) {
		k = xcalloc(1, sizeof(*k));
		k->k.free = kept_free;
		k->resp = MHD_create_response_from_buffer(s->nwhole,
		    (void *)(uintptr_t)s->whole, MHD_RESPMEM_PERSISTENT);
		if (k->resp == NULL) {
			free(k);
			api_stream_free(s);
			return MHD_NO;
		}
		MHD_add_response_header(k->resp, "Content-Type",
		    s->content_type != NULL ? s->content_type :
		    "application/octet-stream");
		MHD_add_response_header(k->resp, "Cache-Control", "no-store");
		http_security_headers(k->resp);
		if (atomic_compare_exchange_strong(s->kept, &had, &k->k))
			had = &k->k;
		else
			kept_free(&k->k);	/* another answer made it first */
	}
	k = (struct kept_resp *)(void *)had;
	ret = MHD_queue_response(c, (unsigned)status, k->resp);
	if (ret == MHD_YES) {
		cs->release = s->whole_free;
		cs->release_arg = s->whole_arg;
		s->whole_free = NULL;
	}
	api_stream_free(s);
	return ret;
}

/* A request answered before its transaction: counted, then ret. */
static enum MHD_Result
early(struct http_server *srv, const struct conn *cs,
    const struct api_route *route, int status, enum MHD_Result ret)
{
	http_metrics_request(srv->metrics, route, false, status,
	    cs_time_now_us() - cs->start_us);
	return ret;
}

static enum MHD_Result
dispatch(struct http_server *srv, struct MHD_Connection *c, const char *url,
    const char *method, struct conn *cs)
{
	const struct api_route *route = NULL;
	struct api_req r;
	struct cs_error e;
	const char *path;
	bool path_matched = false, taxii, cached;
	enum cs_err rc;
	enum cs_mode mode;
	uint32_t mode_sectors;
	enum MHD_Result ret;
	int64_t commit_us;
	char *text;
	int status;

	cs_error_clear(&e);
	memset(&r, 0, sizeof(r));
	/* Monitoring first: never rate-limited, never the web UI. */
	if ((status = http_ops_path(url)) != 0)
		return http_serve_ops(srv, c, status, method);
	if (!rate_ok(srv, c)) {
		struct MHD_Response *resp;
		char *msg = xstrdup("{\"error\":{\"code\":\"rate_limited\",\"field\":\"\","
		    "\"message\":\"too many requests; retry in a second\"}}");

		resp = MHD_create_response_from_buffer(strlen(msg), msg,
		    MHD_RESPMEM_MUST_FREE);
		MHD_add_response_header(resp, "Content-Type",
		    "application/json; charset=utf-8");
		MHD_add_response_header(resp, "Retry-After", "1");
		MHD_add_response_header(resp, "Cache-Control", "no-store");
		http_security_headers(resp);
		ret = MHD_queue_response(c, 429, resp);
		MHD_destroy_response(resp);
		return early(srv, cs, NULL, 429, ret);
	}
	taxii = strncmp(url, "/taxii2", 7) == 0 && (url[7] == '/' ||
	    url[7] == '\0');
	if (!taxii && (strncmp(url, API_PREFIX, strlen(API_PREFIX)) != 0 ||
	    (url[strlen(API_PREFIX)] != '/' && url[strlen(API_PREFIX)] != '\0'))) {
		ret = http_serve_web(c, url, method);
		http_metrics_request(srv->metrics, NULL, true, 200,
		    cs_time_now_us() - cs->start_us);
		return ret;
	}
	path = taxii ? url : url + strlen(API_PREFIX);
	route = http_route_find(taxii ? api_taxii_tables : api_tables, method,
	    path, r.ids, &path_matched);
	/* TAXII content negotiation (TAXII 2.1 §1.6.8): 406, then 415. */
	if (taxii && route != NULL && !http_taxii_accept_ok(
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept"))) {
		cs_fail(&e, CS_EINVAL, "Accept", "this server answers %s only",
		    TAXII_MEDIA_TYPE);
		return early(srv, cs, route, 406, send_error(c, 406, &e, 0, true));
	}
	if (taxii && route != NULL && (route->flags & API_BODY) &&
	    !http_taxii_type_ok(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "Content-Type"))) {
		cs_fail(&e, CS_EINVAL, "Content-Type", "send %s", TAXII_MEDIA_TYPE);
		return early(srv, cs, route, 415, send_error(c, 415, &e, 0, true));
	}
	if (route == NULL) {
		if (path_matched) {
			cs_fail(&e, CS_EINVAL, "", "method %s not allowed here", method);
			return early(srv, cs, route, 405, send_error(c, 405, &e, 0, taxii));
		}
		cs_fail(&e, CS_ENOENT, "", "no such resource");
		return early(srv, cs, route, 404, send_error(c, 404, &e, 0, taxii));
	}
	if (route->flags & API_STREAM)
		return http_stream(srv, c, route);
	if (cs_buf_failed(&cs->body)) {
		cs_fail(&e, CS_ETOOBIG, (route->flags & API_RAW) ? "body" : "",
		    "request body is larger than %zu bytes", cs->max);
		return early(srv, cs, route, 413, send_error(c, 413, &e, 0, taxii));
	}
	if (route->flags & API_RAW) {
		r.raw = cs_buf_str(&cs->body);
		r.nraw = cs_buf_len(&cs->body);
		r.raw_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    "Content-Type");
	}
	/* A JSON body says so (ASVS 13.1.5, 13.2.5); TAXII checked its own above. */
	if (!taxii && (route->flags & (API_BODY | API_OPTBODY)) &&
	    cs_buf_len(&cs->body) > 0 && !http_json_type_ok(
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type"))) {
		cs_fail(&e, CS_EINVAL, "Content-Type", "send application/json");
		return early(srv, cs, route, 415, send_error(c, 415, &e, 0, taxii));
	}
	if (http_body_load(route, cs_buf_str(&cs->body), cs_buf_len(&cs->body),
	    &r.body, &e) != CS_OK)
		return early(srv, cs, route, 400, send_error(c, 400, &e, 0, taxii));
	r.st = srv->st;
	r.cfg = srv->cfg;
	r.method = method;
	r.path = path;
	r.query = query_get;
	r.conn = c;
	r.now_us = cs_time_now_us();
	r.snapshot = (route->flags & API_SNAPSHOT) != 0;
	http_credential(c, &r);
	/* A cookie is sent by the browser on its own: state changes need the CSRF token. */
	if (r.via_cookie && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		const char *sent = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    "X-CSRF-Token");

		if (!http_csrf_ok(r.bearer, sent)) {
			json_decref(r.body);
			cs_fail(&e, CS_EPERM, "X-CSRF-Token", "missing or wrong "
			    "CSRF token");
			return early(srv, cs, route, 403, send_error(c, 403, &e, 0, taxii));
		}
	}

	/* What needs neither the store nor the caller: before the lock. */
	if (route->prepare != NULL)
		route->prepare(&r);
	/* What must not hold the store runs before the transaction. */
	if (route->pre != NULL && (rc = pre_phase(srv, route, &r, &e)) != CS_OK)
		goto done;
	/* The audit log holds every read's entry queued before it is read. */
	if ((route->flags & API_AUDIT_LOG) && store_audit_flush(srv->st) != CS_OK)
		log_warn("event=audit_queue msg=flush_failed");
	/*
	 * A GET writes only its audit entry: it need not wait for the disk;
	 * the pure reads run beside the writer on a snapshot.  A route whose
	 * answers are kept tries a snapshot that reads nothing first, while
	 * nothing was committed since the generations were read (issue 17):
	 * a cached principal and answer serve it; what needs a statement is
	 * done again on a real snapshot.
	 */
	cached = (route->flags & API_CACHED) && store_begin_cached(srv->st) ==
	    CS_OK;
again:
	if (cached)
		rc = CS_OK;
	else if (route->flags & API_SNAPSHOT)
		rc = store_begin_snapshot(srv->st);
	else if (strcmp(method, "GET") == 0)
		rc = store_begin_read(srv->st);
	else if (route->flags & API_ADD)
		rc = store_begin_add(srv->st);
	else
		rc = store_begin(srv->st);
	if (rc != CS_OK) {
		cs_fail(&e, rc, "", "store unavailable");
		goto done;
	}
	if (route->ahead != NULL)
		route->ahead(&r);
	mode_current(srv, &mode, &mode_sectors);
	/* The order of checks: docs/internals/routes.md. */
	if (!authz_public(route->action) &&
	    (rc = api_authenticate(&r, &e)) != CS_OK)
		goto rollback;
	if (r.authed && mode == MODE_LARGE_SCALE)
		r.who.ls_sectors = mode_sectors;
	if ((rc = admit(route, &r, mode, &e)) != CS_OK)
		goto rollback;
	cs_error_clear(&e);
	rc = route->fn(&r, &e);
	if (cached && store_cached_missed(srv->st))
		goto rollback;
	if (rc != CS_OK) {
		if (e.code == CS_OK)
			cs_fail(&e, rc, "", "request failed");
		/* A refusal that is itself recorded (a failed login) keeps it. */
		if (r.keep_on_error && store_commit(srv->st) == CS_OK)
			goto done;
		goto rollback;
	}
	/* A dry run answers what it would have done and keeps nothing. */
	if (r.dry_run)
		goto rollback;
	commit_us = cs_time_now_us();
	if ((rc = store_commit(srv->st)) != CS_OK) {
		cs_fail(&e, rc, "", "commit failed");
		goto done;
	}
	if (strcmp(method, "GET") != 0)
		http_metrics_commit(srv->metrics, cs_time_now_us() - commit_us,
		    r.fanout);
	if (r.events)
		events_committed(srv);
	if (r.mode_changed) {
		pthread_mutex_lock(&srv->mode_lock);
		srv->mode_read_us = 0;
		pthread_mutex_unlock(&srv->mode_lock);
	}
	goto done;
rollback:
	store_rollback(srv->st);
	if (cached && store_cached_missed(srv->st)) {
		api_req_undo(&r);
		cs_error_clear(&e);
		cached = false;
		goto again;
	}
done:
	if (rc == CS_OK && r.stream != NULL) {
		status = r.status ? r.status : 200;
		ret = r.stream->kept != NULL && r.stream->whole != NULL &&
		    r.stream->done && r.stream->next == NULL ?
		    send_kept(c, cs, status, r.stream) :
		    http_send_stream(c, status, r.stream);
		r.stream = NULL;
	} else if (rc == CS_OK) {
		status = r.status ? r.status : 200;
		text = r.out ? json_dumps(r.out, JSON_COMPACT) : NULL;
		if (text == NULL)
			text = xstrdup("{}");
		ret = r.nheaders > 0 ? send_text_extra(c, status, text, &r) :
		    send_text_cookie(c, status, text, r.content_type,
		    r.set_cookie);
	} else {
		status = http_status_of(e.code);
		ret = send_error(c, status, &e, r.retry_after_s, taxii);
	}
	http_metrics_request(srv->metrics, route, false, status,
	    cs_time_now_us() - cs->start_us);
	/*
	 * ASVS 7.2.2: whose request it was (0: none authenticated), so every
	 * refusal (401, 403, 404) can be traced to a user; never the token.
	 */
	log_info("event=request id=%lld method=%s path=%s status=%d dur_us=%lld "
	    "user=%lld", (long long)atomic_fetch_add(&req_seq, 1), method, path,
	    status, (long long)(cs_time_now_us() - cs->start_us),
	    (long long)(r.authed ? r.who.user_id : 0));
	json_decref(r.body);
	api_req_fini(&r);
	return ret;
}

/*
 * The cap of a request's body: a file (an API_RAW route: an attachment)
 * may be up to --max-attachment; every other body CS_MAX_BODY.
 */
static size_t
body_cap(const struct http_server *srv, const char *url, const char *method)
{
	const struct api_route *route;
	int64_t ids[2];
	bool matched;

	/* Files are POSTed: a GET (most requests) needs no route lookup here. */
	if (strcmp(method, "GET") == 0 ||
	    strncmp(url, API_PREFIX "/", strlen(API_PREFIX) + 1) != 0)
		return CS_MAX_BODY;
	route = http_route_find(api_tables, method, url + strlen(API_PREFIX),
	    ids, &matched);
	if (route == NULL || !(route->flags & API_RAW))
		return CS_MAX_BODY;
	return srv->cfg->max_attachment > 0 ? (size_t)srv->cfg->max_attachment :
	    (size_t)CS_ATTACH_DEFAULT_MAX;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct conn *cs = *con_cls;

	(void)version;
	if (cs == NULL) {
		cs = xcalloc(1, sizeof(*cs));
		cs->max = body_cap(srv, url, method);
		cs_buf_init(&cs->body, cs->max);
		cs->start_us = cs_time_now_us();
		*con_cls = cs;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		/* Over the cap: keep reading, but remember it (sticky error). */
		(void)cs_buf_add(&cs->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	return dispatch(srv, c, url, method, cs);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct conn *cs = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (cs == NULL)
		return;
	if (cs->release != NULL)
		cs->release(cs->release_arg);
	cs_buf_fini(&cs->body);
	free(cs);
	*con_cls = NULL;
}

static enum cs_err
parse_listen(const char *listen, struct sockaddr_in *sa, struct cs_error *e)
{
	const char *colon = strrchr(listen, ':');
	char host[64];
	int64_t port;
	size_t n;

	if (colon == NULL || (n = (size_t)(colon - listen)) == 0 || n >= sizeof(host))
		return cs_fail(e, CS_EINVAL, "listen", "expected HOST:PORT");
	memcpy(host, listen, n);
	host[n] = '\0';
	if (strcmp(host, "localhost") == 0)
		(void)cs_strlcpy(host, "127.0.0.1", sizeof(host));
	if (cs_str_to_i64(colon + 1, 0, 65535, &port) != CS_OK)
		return cs_fail(e, CS_EINVAL, "listen", "bad port");
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return cs_fail(e, CS_EINVAL, "listen", "bad IPv4 address %s", host);
	return CS_OK;
}

enum cs_err
http_listen_check(const char *listen, struct cs_error *e)
{
	struct sockaddr_in sa;

	return parse_listen(listen, &sa, e);
}

/*
 * One libmicrohttpd daemon of the server: listening on sa, or (NULL) fed
 * by the acceptor (accept.c); pool bytes per connection.
 */
static struct MHD_Daemon *
daemon_start(struct http_server *srv, struct MHD_OptionItem *tlsopts,
    const struct sockaddr_in *sa, unsigned threads, unsigned conns,
    size_t pool)
{
	return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ?
	    MHD_USE_EPOLL : MHD_USE_POLL) | MHD_ALLOW_SUSPEND_RESUME |
	    MHD_USE_ERROR_LOG | (sa == NULL ? MHD_USE_NO_LISTEN_SOCKET : 0) |
	    (tlsopts[0].option != MHD_OPTION_END ? MHD_USE_TLS : 0), 0,
	    NULL, NULL, on_request, srv,
	    MHD_OPTION_ARRAY, tlsopts,
	    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)sa,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_THREAD_STACK_SIZE, (size_t)(256 * 1024),
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
	    MHD_OPTION_CONNECTION_LIMIT, conns,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)4096,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
	    MHD_OPTION_UNESCAPE_CALLBACK, http_unescape, NULL,
	    MHD_OPTION_END);
}

/*
 * The pool's threads and the connection limit: lim's, or the defaults of
 * http.h; never more connections than the file-descriptor limit leaves
 * room for (the store, the log and the worker keep some).
 */
static void
pool_size(const struct http_limits *lim, unsigned *threads, unsigned *conns,
    rlim_t *fdmax)
{
	struct rlimit rl;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	rlim_t room;

	*threads = lim != NULL ? lim->threads : 0;
	if (*threads == 0) {
		*threads = cores > 0 ? 4 * (unsigned)cores : 16;
		if (*threads < HTTP_THREADS_MIN)
			*threads = HTTP_THREADS_MIN;
		if (*threads > HTTP_THREADS_MAX)
			*threads = HTTP_THREADS_MAX;
	}
	*fdmax = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024;
	room = *fdmax > HTTP_FD_RESERVE + 64 ? *fdmax - HTTP_FD_RESERVE : 64;
	if (room > UINT_MAX)
		room = UINT_MAX;
	*conns = lim != NULL ? lim->connections : 0;
	if (*conns == 0 || *conns > room)
		*conns = (unsigned)room;
}

enum cs_err
http_start(const char *listen, struct store *st, const struct api_config *cfg,
    const struct http_tls *tls, const struct http_limits *lim,
    struct http_server **out, int *port, struct cs_error *e)
{
	unsigned threads, conns;
	rlim_t fdmax;
	int lfd = -1;
	struct http_server *srv;
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;
	struct MHD_OptionItem tlsopts[] = {
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, NULL },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, NULL },
		{ MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)(uintptr_t)
		  "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:%SERVER_PRECEDENCE" },
		{ MHD_OPTION_END, 0, NULL },
	};
	enum cs_err rc;

	if ((rc = parse_listen(listen, &sa, e)) != CS_OK)
		return rc;
	srv = xcalloc(1, sizeof(*srv));
	srv->st = st;
	srv->cfg = cfg;
	pthread_mutex_init(&srv->ev_lock, NULL);
	pthread_cond_init(&srv->ev_cond, NULL);
	pthread_mutex_init(&srv->rl_lock, NULL);
	srv->rl = xcalloc(RL_BUCKETS, sizeof(*srv->rl));
	srv->rl_rate = cfg->rate_limit;
	srv->rl_burst = cfg->rate_limit * 2 > 20 ? cfg->rate_limit * 2 : 20;
	srv->heartbeat_s = 15;
	srv->metrics = http_metrics_new();
	srv->mode = MODE_NORMAL;
	pthread_mutex_init(&srv->mode_lock, NULL);
	if (getenv("CISHARED_SSE_HEARTBEAT") != NULL) {
		int64_t hb;

		if (cs_str_to_i64(getenv("CISHARED_SSE_HEARTBEAT"), 1, 3600, &hb) == CS_OK)
			srv->heartbeat_s = (int)hb;
	}
	if (tls != NULL && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		http_metrics_free(srv->metrics);
		free(srv->rl);
		free(srv);
		return cs_fail(e, CS_EINVAL, "tls-cert", "this libmicrohttpd has no "
		    "TLS support");
	}
	atomic_store(&serving_tls, tls != NULL);
	if (tls != NULL) {
		tlsopts[0].ptr_value = (void *)(uintptr_t)tls->cert_pem;
		tlsopts[1].ptr_value = (void *)(uintptr_t)tls->key_pem;
	}
	pool_size(lim, &threads, &conns, &fdmax);
	/* Plain HTTP: our own listening socket, live inboxes to their daemon. */
	if (tls == NULL && (rc = http_acceptor_listen(&sa, &lfd, port, e)) != CS_OK)
		goto fail;
	if (http_sse_start(srv) != CS_OK) {
		rc = cs_fail(e, CS_EINTERNAL, "", "cannot start the live inbox");
		goto fail;
	}
	/*
	 * Event-driven: pools of threads, each polling its share of the
	 * connections with epoll, so an idle keep-alive connection or a live
	 * inbox (suspended between events, sse.c) holds no thread.  A
	 * request's handler runs on its pool thread from begin to commit: the
	 * pool bounds the requests in progress.  TLS 1.2 and 1.3 only (GnuTLS
	 * priorities), the server's cipher order; MHD ignores the HTTPS
	 * options without MHD_USE_TLS.
	 */
	srv->mhd = daemon_start(srv, tls != NULL ? tlsopts : tlsopts + 3,
	    tls != NULL ? &sa : NULL, threads, conns, HTTP_POOL_MAIN);
	if (srv->mhd != NULL && tls == NULL)
		srv->mhd_sse = daemon_start(srv, tlsopts + 3, NULL,
		    threads / 4 > 2 ? threads / 4 : 2, conns, HTTP_POOL_STREAMS);
	if (srv->mhd == NULL || (tls == NULL && (srv->mhd_sse == NULL ||
	    http_acceptor_start(lfd, srv->mhd, srv->mhd_sse, &srv->acc) != CS_OK))) {
		rc = cs_fail(e, CS_EIO, "listen", "cannot listen on %s", listen);
		goto fail;
	}
	log_info("event=http_start threads=%u stream_threads=%u connections=%u "
	    "fd_limit=%llu", threads, srv->mhd_sse != NULL ? (threads / 4 > 2 ?
	    threads / 4 : 2) : 0, conns, (unsigned long long)fdmax);
	if (tls != NULL) {
		info = MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_BIND_PORT);
		*port = info != NULL ? info->port : ntohs(sa.sin_port);
	}
	*out = srv;
	return CS_OK;
fail:
	http_sse_quiesce(srv);
	if (srv->mhd_sse != NULL)
		MHD_stop_daemon(srv->mhd_sse);
	if (srv->mhd != NULL)
		MHD_stop_daemon(srv->mhd);
	if (srv->acc == NULL && lfd >= 0)
		close(lfd);
	http_sse_free(srv);
	http_metrics_free(srv->metrics);
	free(srv->rl);
	free(srv);
	return rc;
}

void
http_stop(struct http_server *srv)
{
	if (srv == NULL)
		return;
	/* No new connection; streams end: none may stay suspended through
	 * MHD_stop_daemon(). */
	http_acceptor_stop(srv->acc);
	http_sse_quiesce(srv);
	if (srv->mhd_sse != NULL)
		MHD_stop_daemon(srv->mhd_sse);
	MHD_stop_daemon(srv->mhd);
	http_sse_free(srv);
	pthread_cond_destroy(&srv->ev_cond);
	pthread_mutex_destroy(&srv->ev_lock);
	pthread_mutex_destroy(&srv->rl_lock);
	free(srv->rl);
	http_metrics_free(srv->metrics);
	free(srv);
}
