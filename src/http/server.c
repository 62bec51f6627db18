/*
 * server.c: libmicrohttpd daemon, request accumulation with a hard body
 * cap, the router over api_tables, one transaction per request, JSON
 * rendering and the error table.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "http.h"

#define API_PREFIX "/api/v1"

struct http_server {
	struct MHD_Daemon	*mhd;
	struct store		*st;
	const struct api_config	*cfg;
};

struct conn {
	struct cs_buf	 body;
	int64_t		 start_us;
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
	case CS_ESTORE:
	case CS_EIO:
	case CS_EINTERNAL:	return 500;
	}
	return 500;
}

static enum MHD_Result
send_text(struct MHD_Connection *c, int status, char *text)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(strlen(text), text,
	    MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type",
	    "application/json; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
send_error(struct MHD_Connection *c, int status, const struct cs_error *e)
{
	json_t *j;
	char *text;

	j = json_pack("{s:{s:s, s:s, s:s}}", "error", "code",
	    status == 405 ? "method_not_allowed" : cs_err_name(e->code),
	    "field", e->field, "message", e->msg[0] ? e->msg : "error");
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return send_text(c, status, text);
}

static const char *
query_get(void *conn, const char *key)
{
	return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, key);
}

/* Match "/reports/:id/forward" against a path; fills ids.  1 on match. */
static int
match(const char *pattern, const char *path, int64_t ids[2])
{
	int nid = 0;

	while (*pattern != '\0' && *path != '\0') {
		if (pattern[0] == ':' ) {
			char num[24];
			size_t n = strcspn(path, "/");

			if (n == 0 || n >= sizeof(num) || nid >= 2)
				return 0;
			memcpy(num, path, n);
			num[n] = '\0';
			if (cs_str_to_i64(num, 1, INT64_MAX, &ids[nid]) != CS_OK)
				ids[nid] = -1;	/* a forged id: 404 from the handler */
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

static enum MHD_Result
dispatch(struct http_server *srv, struct MHD_Connection *c, const char *url,
    const char *method, struct conn *cs)
{
	const struct api_route *route = NULL;
	struct api_req r;
	struct cs_error e;
	json_error_t je;
	const char *auth, *path;
	bool path_matched = false;
	int64_t ids[2];
	enum cs_err rc;
	enum MHD_Result ret;
	char *text;
	int status;

	cs_error_clear(&e);
	memset(&r, 0, sizeof(r));
	if (strncmp(url, API_PREFIX, strlen(API_PREFIX)) != 0 ||
	    (url[strlen(API_PREFIX)] != '/' && url[strlen(API_PREFIX)] != '\0')) {
		cs_fail(&e, CS_ENOENT, "", "no such resource");
		return send_error(c, 404, &e);
	}
	path = url + strlen(API_PREFIX);
	for (const struct api_route *const *t = api_tables; *t != NULL && !route; t++)
		for (const struct api_route *x = *t; x->method != NULL; x++) {
			ids[0] = ids[1] = 0;
			if (!match(x->pattern, path, ids))
				continue;
			path_matched = true;
			if (strcmp(x->method, method) == 0) {
				route = x;
				r.ids[0] = ids[0];
				r.ids[1] = ids[1];
				break;
			}
		}
	if (route == NULL) {
		if (path_matched) {
			cs_fail(&e, CS_EINVAL, "", "method %s not allowed here", method);
			return send_error(c, 405, &e);
		}
		cs_fail(&e, CS_ENOENT, "", "no such resource");
		return send_error(c, 404, &e);
	}
	if (cs_buf_failed(&cs->body)) {
		cs_fail(&e, CS_ETOOBIG, "", "request body is larger than %d bytes",
		    CS_MAX_BODY);
		return send_error(c, 413, &e);
	}
	if (route->flags & (API_BODY | API_OPTBODY)) {
		if (cs_buf_len(&cs->body) == 0) {
			if (route->flags & API_BODY) {
				cs_fail(&e, CS_EINVAL, "", "a JSON object body is required");
				return send_error(c, 400, &e);
			}
			r.body = json_object();
		} else {
			r.body = json_loadb(cs_buf_str(&cs->body), cs_buf_len(&cs->body),
			    JSON_REJECT_DUPLICATES, &je);
			if (r.body == NULL) {
				cs_fail(&e, CS_EINVAL, "", "malformed JSON at line %d "
				    "column %d: %s", je.line, je.column, je.text);
				return send_error(c, 400, &e);
			}
			if (!json_is_object(r.body)) {
				json_decref(r.body);
				cs_fail(&e, CS_EINVAL, "", "the body must be a JSON object");
				return send_error(c, 400, &e);
			}
		}
	}
	r.st = srv->st;
	r.cfg = srv->cfg;
	r.method = method;
	r.path = path;
	r.query = query_get;
	r.conn = c;
	r.now_us = cs_time_now_us();
	auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	if (auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0)
		r.bearer = auth + 7;

	if ((rc = store_begin(srv->st)) != CS_OK) {
		cs_fail(&e, rc, "", "store unavailable");
		goto done;
	}
	if (route->flags & API_AUTH) {
		if ((rc = api_authenticate(&r, &e)) != CS_OK)
			goto rollback;
		if ((route->flags & API_ADMIN) && !(r.who.roles & ROLE_ADMIN)) {
			rc = cs_fail(&e, CS_EPERM, "", "admin only");
			goto rollback;
		}
	}
	if (r.ids[0] < 0 || r.ids[1] < 0) {
		rc = cs_fail(&e, CS_ENOENT, "", "no such item");
		goto rollback;
	}
	cs_error_clear(&e);
	rc = route->fn(&r, &e);
	if (rc != CS_OK) {
		if (e.code == CS_OK)
			cs_fail(&e, rc, "", "request failed");
		goto rollback;
	}
	if ((rc = store_commit(srv->st)) != CS_OK) {
		cs_fail(&e, rc, "", "commit failed");
		goto done;
	}
	goto done;
rollback:
	store_rollback(srv->st);
done:
	if (rc == CS_OK) {
		status = r.status ? r.status : 200;
		text = r.out ? json_dumps(r.out, JSON_COMPACT) : xstrdup("{}");
		ret = send_text(c, status, text);
	} else {
		status = http_status_of(e.code);
		ret = send_error(c, status, &e);
	}
	log_info("event=request id=%lld method=%s path=%s status=%d dur_us=%lld",
	    (long long)atomic_fetch_add(&req_seq, 1), method, path, status,
	    (long long)(cs_time_now_us() - cs->start_us));
	json_decref(r.body);
	api_req_fini(&r);
	return ret;
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
		cs_buf_init(&cs->body, CS_MAX_BODY);
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
http_start(const char *listen, struct store *st, const struct api_config *cfg,
    struct http_server **out, int *port, struct cs_error *e)
{
	struct http_server *srv;
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;
	enum cs_err rc;

	if ((rc = parse_listen(listen, &sa, e)) != CS_OK)
		return rc;
	srv = xcalloc(1, sizeof(*srv));
	srv->st = st;
	srv->cfg = cfg;
	srv->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, srv,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)4,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)4000,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
	    MHD_OPTION_END);
	if (srv->mhd == NULL) {
		free(srv);
		return cs_fail(e, CS_EIO, "listen", "cannot listen on %s", listen);
	}
	info = MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_BIND_PORT);
	*port = info != NULL ? info->port : ntohs(sa.sin_port);
	*out = srv;
	return CS_OK;
}

void
http_stop(struct http_server *srv)
{
	if (srv == NULL)
		return;
	MHD_stop_daemon(srv->mhd);
	free(srv);
}
