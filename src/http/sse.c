/*
 * sse.c: the live inbox (GET /api/v1/inbox/stream, server-sent events).
 * Each stream holds its caller's principal; a generation counter bumped
 * on every committed event (server.c) wakes it, and it sends the events
 * the caller may read after the last one sent, or a heartbeat.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http/http_int.h"

/* One /inbox/stream connection (server-sent events). */
struct sse {
	struct http_server	*srv;
	struct cs_principal	 who;
	struct store_user	 user;
	struct store_org	 org;
	int64_t			 last;		/* last event seq sent */
	struct cs_buf		 out;		/* bytes not yet handed to MHD */
	size_t			 off;
	uint64_t		 gen;
};

static const char *
sse_query(void *conn, const char *key)
{
	(void)conn;
	(void)key;
	return NULL;
}

/* Fetch events after s->last into s->out; returns how many. */
static int
sse_fetch(struct sse *s)
{
	struct api_req r;
	struct cs_error e;
	json_t *evs = NULL, *ev;
	int64_t last = s->last;
	size_t i;
	int n = 0;

	memset(&r, 0, sizeof(r));
	r.st = s->srv->st;
	r.cfg = s->srv->cfg;
	r.query = sse_query;
	r.now_us = cs_time_now_us();
	r.authed = true;
	r.who = s->who;
	r.user = s->user;
	r.org = s->org;
	if (store_begin_read(s->srv->st) != CS_OK)
		return 0;
	if (api_inbox_events(&r, s->last, 100, &evs, &last, &e) != CS_OK ||
	    store_commit(s->srv->st) != CS_OK) {
		store_rollback(s->srv->st);
		json_decref(evs);
		return 0;
	}
	json_array_foreach(evs, i, ev) {
		char *data = json_dumps(json_object_get(ev, "item"), JSON_COMPACT);

		cs_buf_printf(&s->out, "id: %lld\nevent: %s\ndata: %s\n\n",
		    (long long)json_integer_value(json_object_get(ev, "seq")),
		    json_string_value(json_object_get(ev, "kind")), data);
		free(data);
		n++;
	}
	json_decref(evs);
	s->last = last;
	return n;
}

static ssize_t
sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse *s = cls;
	struct http_server *srv = s->srv;
	struct timespec dl;
	size_t n;
	int rc;

	(void)pos;
	for (;;) {
		if (cs_buf_len(&s->out) > s->off) {
			n = cs_buf_len(&s->out) - s->off;
			if (n > max)
				n = max;
			memcpy(buf, cs_buf_str(&s->out) + s->off, n);
			s->off += n;
			if (s->off == cs_buf_len(&s->out)) {
				cs_buf_reset(&s->out);
				s->off = 0;
			}
			return (ssize_t)n;
		}
		pthread_mutex_lock(&srv->ev_lock);
		if (srv->stopping) {
			pthread_mutex_unlock(&srv->ev_lock);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		s->gen = srv->ev_gen;
		pthread_mutex_unlock(&srv->ev_lock);
		if (sse_fetch(s) > 0)
			continue;
		pthread_mutex_lock(&srv->ev_lock);
		clock_gettime(CLOCK_REALTIME, &dl);
		dl.tv_sec += srv->heartbeat_s;
		rc = 0;
		while (s->gen == srv->ev_gen && !srv->stopping && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&srv->ev_cond, &srv->ev_lock, &dl);
		pthread_mutex_unlock(&srv->ev_lock);
		if (rc == ETIMEDOUT)
			cs_buf_adds(&s->out, ": heartbeat\n\n");
	}
}

static void
sse_free(void *cls)
{
	struct sse *s = cls;

	http_metrics_sse(s->srv->metrics, -1);
	store_user_fini(&s->user);
	store_org_fini(&s->org);
	cs_buf_fini(&s->out);
	free(s);
}

/* GET /api/v1/inbox/stream: authenticate, then stream until the client leaves. */
enum MHD_Result
http_stream(struct http_server *srv, struct MHD_Connection *c,
    const struct api_route *route)
{
	struct api_req r;
	struct cs_error e;
	struct sse *s;
	struct MHD_Response *resp;
	const char *lei;
	int64_t last = 0;
	enum MHD_Result ret;
	enum cs_err rc;

	cs_error_clear(&e);
	memset(&r, 0, sizeof(r));
	r.st = srv->st;
	r.cfg = srv->cfg;
	r.now_us = cs_time_now_us();
	http_credential(c, &r);
	lei = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Last-Event-ID");
	if (lei == NULL)
		lei = http_query(c, "last_event_id");
	if (lei != NULL && cs_str_to_i64(lei, 0, INT64_MAX, &last) != CS_OK) {
		cs_fail(&e, CS_EINVAL, "Last-Event-ID", "must be an event id");
		return http_send_error(c, 400, &e);
	}
	if ((rc = store_begin(srv->st)) != CS_OK) {
		cs_fail(&e, rc, "", "store unavailable");
		return http_send_error(c, 500, &e);
	}
	rc = api_authenticate(&r, &e);
	if (rc == CS_OK)
		rc = http_route_admit(route, &r.who, srv->mode, &e);
	if (rc == CS_OK && lei == NULL)
		rc = store_event_last(srv->st, r.who.org_id, &last);
	if (rc != CS_OK || store_commit(srv->st) != CS_OK) {
		store_rollback(srv->st);
		api_req_fini(&r);
		if (e.code == CS_OK)
			cs_fail(&e, CS_ESTORE, "", "store error");
		return http_send_error(c, http_status_of(e.code), &e);
	}
	/* A stream is idle between events by design; heartbeats keep it alive. */
	MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned)0);
	s = xcalloc(1, sizeof(*s));
	s->srv = srv;
	http_metrics_sse(srv->metrics, 1);
	http_metrics_request(srv->metrics, route, false, 200, 0);
	s->who = r.who;
	s->user = r.user;
	s->org = r.org;
	r.authed = false;	/* ownership moved to s */
	s->last = last;
	cs_buf_init(&s->out, 4 * 1024 * 1024);
	/* The id line lets a client that reconnects before any event resume here. */
	cs_buf_printf(&s->out, "retry: 3000\nid: %lld\n: connected\n\n",
	    (long long)last);
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_read,
	    s, sse_free);
	MHD_add_response_header(resp, "Content-Type", "text/event-stream; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	http_security_headers(resp);
	ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	log_info("event=stream_open org_events_after=%lld", (long long)last);
	return ret;
}
