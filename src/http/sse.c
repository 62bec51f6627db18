/*
 * sse.c: the live inbox (GET /api/v1/inbox/stream, server-sent events),
 * event-driven: no stream holds a thread.
 *
 * A stream is a small struct in the server's registry.  Its content
 * reader, run by one of libmicrohttpd's pool threads, hands out what is
 * queued on it and, when nothing is, suspends the connection
 * (MHD_suspend_connection) and returns 0: the connection then costs a
 * socket and a few hundred bytes until it is resumed.
 *
 * One thread of the server, the hub, does the rest.  Woken by a committed
 * event (the generation counter server.c bumps after every commit that
 * queued inbox events), it takes every stream, groups them by principal
 * and by the last event they were sent, and for each group, inside a
 * snapshot transaction, reads the events once with api_inbox_events()
 * (where the visibility policy answers for that principal, event by
 * event) and writes one audit entry.  After the commit it queues the
 * group's frames, one reference-counted message, on each of the group's
 * streams and resumes those that were suspended.  Once a second it queues
 * a heartbeat on streams that were sent nothing for the heartbeat
 * interval: the write is also how a client that went away is noticed, as
 * libmicrohttpd does not watch a suspended socket.  Once per heartbeat
 * interval every stream is read again whatever the generation, for the
 * events another daemon on the same database committed.  A new stream with a
 * Last-Event-ID (or one opened while an event committed) is marked dirty
 * and caught up by the next pass.
 *
 * Locking: srv->ev_lock guards the registry, every stream's queue and
 * flags and the generation.  It is taken before libmicrohttpd's own locks
 * (the reader suspends with it held, so a wake-up cannot fall between its
 * check and the suspension); MHD_resume_connection() is called without
 * it.  Only the hub (or http_sse_stop) frees a stream: the response's
 * free callback only marks it gone, so a pass may hold stream pointers
 * without the lock.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/http_int.h"

#define SSE_QMAX	16	/* messages queued on one stream */
#define SSE_BATCH	32	/* groups read in one snapshot transaction */
#define SSE_LIMIT	100	/* events read per group and pass */
#define SSE_TICK_US	1000000	/* heartbeat sweep */
#define SSE_RETRY_US	500000	/* after a failed pass */
#define SSE_TRIM_MIN	256	/* streams gone before the heap is trimmed */

/* Frames shared by the streams of a group (refs under srv->ev_lock). */
struct sse_msg {
	int		 refs;
	size_t		 len;
	char		 data[];
};

/* One /inbox/stream connection. */
struct sse {
	struct http_server	*srv;
	struct MHD_Connection	*conn;		/* NULL once gone */
	struct sse		*next;		/* the registry */
	struct cs_principal	 who;
	int64_t			 last;		/* last event seq queued (hub) */
	int64_t			 quiet_us;	/* when something was last queued */
	char			 head[64];	/* the greeting or a heartbeat */
	uint8_t			 nhead, ohead;
	uint8_t			 qh, qn;	/* q[qh] is the oldest */
	size_t			 qoff;		/* of q[qh], handed to MHD */
	struct sse_msg		*q[SSE_QMAX];
	bool			 suspended;
	bool			 gone;		/* the response was freed */
	bool			 ended;		/* too far behind: end it */
	bool			 dirty;		/* read its events at the next pass */
};

struct sse_hub {
	pthread_t		 thread;
	bool			 running;
	struct sse		*head;		/* the registry */
	size_t			 n;
	bool			 dirty;		/* some stream is */
	uint64_t		 seen;		/* the generation last passed */
	int64_t			 hold_until_us;	/* no pass before (after a failure) */
	int64_t			 full_us;	/* every stream read again at */
	size_t			 peak;		/* streams, most since the last trim */
};

/* One stream of a pass, and the group it falls in. */
struct work {
	struct cs_principal	 who;
	int64_t			 last;
	struct sse		*s;
};

struct group {
	size_t			 first, n;	/* in the work array */
	struct sse_msg		*msg;		/* NULL: nothing to send */
	int64_t			 last;
	bool			 more;
	bool			 ok;
};

static void
msg_unref(struct sse_msg *m)
{
	if (m != NULL && --m->refs == 0)
		free(m);
}

static const char *
no_query(void *conn, const char *key)
{
	(void)conn;
	(void)key;
	return NULL;
}

/*
 * The content reader (a pool thread): the head, then the queue; with
 * nothing queued, suspend the connection until the hub resumes it.
 */
static ssize_t
sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse *s = cls;
	struct http_server *srv = s->srv;
	size_t n = 0, k;

	(void)pos;
	pthread_mutex_lock(&srv->ev_lock);
	if (s->ohead < s->nhead) {
		k = (size_t)(s->nhead - s->ohead);
		if (k > max)
			k = max;
		memcpy(buf, s->head + s->ohead, k);
		s->ohead += (uint8_t)k;
		if (s->ohead == s->nhead)
			s->ohead = s->nhead = 0;
		n = k;
	}
	while (n < max && s->qn > 0) {
		struct sse_msg *m = s->q[s->qh];

		k = m->len - s->qoff;
		if (k > max - n)
			k = max - n;
		memcpy(buf + n, m->data + s->qoff, k);
		n += k;
		s->qoff += k;
		if (s->qoff == m->len) {
			s->q[s->qh] = NULL;
			s->qh = (uint8_t)((s->qh + 1) % SSE_QMAX);
			s->qn--;
			s->qoff = 0;
			msg_unref(m);
		}
	}
	if (n > 0) {
		pthread_mutex_unlock(&srv->ev_lock);
		return (ssize_t)n;
	}
	if (srv->stopping || s->ended) {
		pthread_mutex_unlock(&srv->ev_lock);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	s->suspended = true;
	MHD_suspend_connection(s->conn);
	pthread_mutex_unlock(&srv->ev_lock);
	return 0;
}

/* The response is done with (the client left, or the daemon stops). */
static void
sse_free(void *cls)
{
	struct sse *s = cls;
	struct http_server *srv = s->srv;

	pthread_mutex_lock(&srv->ev_lock);
	s->gone = true;
	s->conn = NULL;
	s->suspended = false;
	while (s->qn > 0) {
		msg_unref(s->q[s->qh]);
		s->q[s->qh] = NULL;
		s->qh = (uint8_t)((s->qh + 1) % SSE_QMAX);
		s->qn--;
	}
	pthread_mutex_unlock(&srv->ev_lock);
	http_metrics_sse(srv->metrics, -1);
}

/* ---- the hub ----------------------------------------------------------- */

static int
cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* The whole principal (the policy's only input), then the position. */
static int
work_cmp(const void *va, const void *vb)
{
	const struct work *a = va, *b = vb;
	const struct cs_principal *p = &a->who, *q = &b->who;
	int c;

	if ((c = cmp_i64(p->org_id, q->org_id)) != 0 ||
	    (c = cmp_i64(p->user_id, q->user_id)) != 0 ||
	    (c = cmp_i64(p->org_type, q->org_type)) != 0 ||
	    (c = cmp_i64(p->org_sectors, q->org_sectors)) != 0 ||
	    (c = cmp_i64(p->roles, q->roles)) != 0 ||
	    (c = cmp_i64(p->nda_contractor, q->nda_contractor)) != 0 ||
	    (c = cmp_i64(p->org_pre_arranged, q->org_pre_arranged)) != 0 ||
	    (c = cmp_i64(p->ls_sectors, q->ls_sectors)) != 0 ||
	    (c = cmp_i64(p->fed_peer, q->fed_peer)) != 0)
		return c;
	return cmp_i64(a->last, b->last);
}

/* The events of group g for its principal, as one message; false: failed. */
static bool
group_read(struct http_server *srv, struct work *w, struct group *g)
{
	struct api_req r;
	struct cs_error e;
	struct cs_buf b;
	json_t *evs = NULL, *ids = NULL, *ev;
	size_t i;
	bool ok = false;

	memset(&r, 0, sizeof(r));
	r.st = srv->st;
	r.cfg = srv->cfg;
	r.query = no_query;
	r.now_us = cs_time_now_us();
	r.authed = true;
	r.who = w[g->first].who;
	g->last = w[g->first].last;
	cs_error_clear(&e);
	if (api_inbox_events(&r, g->last, SSE_LIMIT, &evs, &g->last, &g->more,
	    &ids, &e) != CS_OK)
		goto out;
	if (json_array_size(evs) > 0) {
		cs_buf_init(&b, CS_MAX_BODY * 4);
		json_array_foreach(evs, i, ev) {
			char *data = json_dumps(json_object_get(ev, "item"),
			    JSON_COMPACT);

			cs_buf_printf(&b, "id: %lld\nevent: %s\ndata: %s\n\n",
			    (long long)json_integer_value(json_object_get(ev,
			    "seq")), json_string_value(json_object_get(ev,
			    "kind")), data != NULL ? data : "null");
			free(data);
		}
		if (cs_buf_failed(&b)) {
			cs_buf_fini(&b);
			json_decref(ids);
			goto out;
		}
		g->msg = xmalloc(sizeof(*g->msg) + cs_buf_len(&b));
		g->msg->refs = 1;
		g->msg->len = cs_buf_len(&b);
		memcpy(g->msg->data, cs_buf_str(&b), cs_buf_len(&b));
		cs_buf_fini(&b);
	}
	/* Audited before anything is sent: inside the transaction. */
	if (api_inbox_stream_audit(&r, ids, (int)g->n) != CS_OK) {
		msg_unref(g->msg);
		g->msg = NULL;
		goto out;
	}
	ok = true;
out:
	json_decref(evs);
	api_req_fini(&r);
	return ok;
}

static void
resume_all(struct MHD_Connection **rs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		MHD_resume_connection(rs[i]);
}

/*
 * Queue each group's message on its streams, move them on, resume the
 * suspended ones.  A failed group's streams are read again later.
 */
static void
deliver(struct http_server *srv, struct work *w, struct group *gs, size_t ng)
{
	struct sse_hub *h = srv->hub;
	struct MHD_Connection **rs;
	size_t nr = 0, total = 0;
	int64_t now = cs_time_mono_us();

	for (size_t j = 0; j < ng; j++)
		total += gs[j].n;
	rs = xcalloc(total + 1, sizeof(*rs));
	pthread_mutex_lock(&srv->ev_lock);
	for (size_t j = 0; j < ng; j++) {
		struct group *g = &gs[j];

		for (size_t i = g->first; i < g->first + g->n; i++) {
			struct sse *s = w[i].s;
			bool woke = false;

			if (s->gone || s->ended)
				continue;
			if (!g->ok) {
				s->dirty = h->dirty = true;
				continue;
			}
			s->last = g->last;
			if (g->more)
				s->dirty = h->dirty = true;
			if (g->msg != NULL) {
				if (s->qn == SSE_QMAX)
					s->ended = true;	/* it resumes by id */
				else {
					g->msg->refs++;
					s->q[(s->qh + s->qn) % SSE_QMAX] = g->msg;
					s->qn++;
					s->quiet_us = now;
				}
				woke = true;
			}
			if (woke && s->suspended) {
				s->suspended = false;
				rs[nr++] = s->conn;
			}
		}
		msg_unref(g->msg);	/* the group's own reference */
		g->msg = NULL;
	}
	pthread_mutex_unlock(&srv->ev_lock);
	resume_all(rs, nr);
	free(rs);
}

/* One pass over the streams taken (w, n): read, audit, commit, deliver. */
static void
pass(struct http_server *srv, struct work *w, size_t n)
{
	struct group *gs;
	size_t ng = 0, done = 0, sent = 0;
	int64_t t0 = cs_time_mono_us();
	bool failed = false;

	qsort(w, n, sizeof(*w), work_cmp);
	gs = xcalloc(n, sizeof(*gs));
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || work_cmp(&w[i - 1], &w[i]) != 0) {
			gs[ng].first = i;
			ng++;
		}
		gs[ng - 1].n++;
	}
	while (done < ng) {
		size_t k = ng - done < SSE_BATCH ? ng - done : SSE_BATCH;
		struct group *g = gs + done;

		if (store_begin_snapshot(srv->st) != CS_OK) {
			failed = true;
			for (size_t j = 0; j < k; j++)
				g[j].ok = false;
		} else {
			bool all = true;

			for (size_t j = 0; j < k; j++)
				all &= (g[j].ok = group_read(srv, w, &g[j]));
			if (store_commit(srv->st) != CS_OK) {
				all = false;
				for (size_t j = 0; j < k; j++)
					g[j].ok = false;
			}
			failed |= !all;
		}
		for (size_t j = 0; j < k; j++)
			if (g[j].ok && g[j].msg != NULL)
				sent += g[j].n;
		deliver(srv, w, g, k);
		done += k;
	}
	free(gs);
	if (sent > 0)
		log_info("event=stream_fanout streams=%zu groups=%zu sent=%zu "
		    "dur_us=%lld", n, ng, sent, (long long)(cs_time_mono_us() - t0));
	if (failed) {
		log_warn("event=stream_fanout_failed streams=%zu", n);
		pthread_mutex_lock(&srv->ev_lock);
		srv->hub->hold_until_us = cs_time_mono_us() + SSE_RETRY_US;
		pthread_mutex_unlock(&srv->ev_lock);
	}
}

/* Heartbeats on quiet streams; ev_lock held, resumptions into rs. */
static size_t
heartbeats(struct http_server *srv, int64_t now, struct MHD_Connection **rs)
{
	size_t nr = 0;
	int64_t every = (int64_t)srv->heartbeat_s * 1000000;

	for (struct sse *s = srv->hub->head; s != NULL; s = s->next) {
		if (s->gone || s->ended || s->qn > 0 || s->nhead > 0 ||
		    now - s->quiet_us < every)
			continue;
		memcpy(s->head, ": heartbeat\n\n", 13);
		s->nhead = 13;
		s->ohead = 0;
		s->quiet_us = now;
		if (s->suspended) {
			s->suspended = false;
			rs[nr++] = s->conn;
		}
	}
	return nr;
}

/*
 * Free the streams whose responses are gone; ev_lock held.  When the
 * crowd has at least halved, give the heap's free pages back to the
 * system (glibc's malloc_trim): the connections' buffers were spread over
 * the pool threads' arenas, between allocations that stay, and RSS would
 * otherwise stay at its peak.
 */
static void
reap(struct sse_hub *h)
{
	struct sse **pp = &h->head, *s;

	while ((s = *pp) != NULL) {
		if (!s->gone) {
			pp = &s->next;
			continue;
		}
		*pp = s->next;
		h->n--;
		free(s);
	}
	if (h->n > h->peak)
		h->peak = h->n;
	if (h->peak >= SSE_TRIM_MIN && h->n <= h->peak / 2) {
		h->peak = h->n;
		(void)malloc_trim(0);
	}
}

static void *
hub_main(void *arg)
{
	struct http_server *srv = arg;
	struct sse_hub *h = srv->hub;
	struct work *w = NULL;
	size_t wcap = 0;
	int64_t tick = cs_time_mono_us() + SSE_TICK_US;

	pthread_mutex_lock(&srv->ev_lock);
	for (;;) {
		struct timespec dl;
		int64_t now = cs_time_mono_us();
		bool held = now < h->hold_until_us;
		bool all;
		size_t n = 0;

		if (srv->stopping)
			break;
		if (now < tick && (held || (srv->ev_gen == h->seen && !h->dirty &&
		    now < h->full_us))) {
			int64_t until = held && h->hold_until_us < tick ?
			    h->hold_until_us : tick;

			/* ev_cond waits on CLOCK_REALTIME: a relative deadline. */
			clock_gettime(CLOCK_REALTIME, &dl);
			dl.tv_sec += (until - now) / 1000000;
			dl.tv_nsec += (long)((until - now) % 1000000) * 1000;
			if (dl.tv_nsec >= 1000000000) {
				dl.tv_sec++;
				dl.tv_nsec -= 1000000000;
			}
			(void)pthread_cond_timedwait(&srv->ev_cond, &srv->ev_lock, &dl);
			continue;
		}
		reap(h);
		if (now >= tick) {
			struct MHD_Connection **rs = xcalloc(h->n + 1, sizeof(*rs));
			size_t nr = heartbeats(srv, now, rs);

			tick = now + SSE_TICK_US;
			pthread_mutex_unlock(&srv->ev_lock);
			resume_all(rs, nr);
			free(rs);
			pthread_mutex_lock(&srv->ev_lock);
			continue;
		}
		/*
		 * Every heartbeat interval all streams are read again: events
		 * another daemon committed (docs/operations.md) reach them so.
		 */
		all = srv->ev_gen != h->seen || now >= h->full_us;
		if (all)
			h->full_us = now + (int64_t)srv->heartbeat_s * 1000000;
		h->seen = srv->ev_gen;
		h->dirty = false;
		if (wcap < h->n) {
			wcap = h->n + h->n / 2 + 16;
			w = xreallocarray(w, wcap, sizeof(*w));
		}
		for (struct sse *s = h->head; s != NULL; s = s->next) {
			if (s->gone || s->ended || !(all || s->dirty))
				continue;
			s->dirty = false;
			w[n].who = s->who;
			w[n].last = s->last;
			w[n].s = s;
			n++;
		}
		pthread_mutex_unlock(&srv->ev_lock);
		if (n > 0)
			pass(srv, w, n);
		pthread_mutex_lock(&srv->ev_lock);
		if (wcap > 1024 && h->n < wcap / 4) {	/* the crowd left */
			free(w);
			w = NULL;
			wcap = 0;
		}
	}
	pthread_mutex_unlock(&srv->ev_lock);
	free(w);
	return NULL;
}

enum cs_err
http_sse_start(struct http_server *srv)
{
	struct sse_hub *h = xcalloc(1, sizeof(*h));

	srv->hub = h;
	h->seen = srv->ev_gen;
	h->full_us = cs_time_mono_us() + (int64_t)srv->heartbeat_s * 1000000;
	if (pthread_create(&h->thread, NULL, hub_main, srv) != 0) {
		srv->hub = NULL;
		free(h);
		return CS_EINTERNAL;
	}
	h->running = true;
	return CS_OK;
}

void
http_sse_quiesce(struct http_server *srv)
{
	struct sse_hub *h = srv->hub;
	struct MHD_Connection **rs;
	size_t nr = 0;

	if (h == NULL)
		return;
	pthread_mutex_lock(&srv->ev_lock);
	srv->stopping = 1;
	pthread_cond_broadcast(&srv->ev_cond);
	pthread_mutex_unlock(&srv->ev_lock);
	if (h->running)
		pthread_join(h->thread, NULL);
	h->running = false;
	/* A suspended connection left behind would make MHD_stop_daemon panic. */
	pthread_mutex_lock(&srv->ev_lock);
	rs = xcalloc(h->n + 1, sizeof(*rs));
	for (struct sse *s = h->head; s != NULL; s = s->next)
		if (s->suspended) {
			s->suspended = false;
			rs[nr++] = s->conn;
		}
	pthread_mutex_unlock(&srv->ev_lock);
	resume_all(rs, nr);
	free(rs);
}

void
http_sse_free(struct http_server *srv)
{
	struct sse_hub *h = srv->hub;
	struct sse *s, *next;

	if (h == NULL)
		return;
	for (s = h->head; s != NULL; s = next) {
		next = s->next;
		free(s);
	}
	free(h);
	srv->hub = NULL;
}

/* GET /api/v1/inbox/stream: authenticate, then register the stream. */
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
	uint64_t gen0;
	enum MHD_Result ret;
	enum cs_err rc;
	int len;

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
	pthread_mutex_lock(&srv->ev_lock);
	gen0 = srv->ev_gen;
	pthread_mutex_unlock(&srv->ev_lock);
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
	s->conn = c;
	s->who = r.who;		/* all the policy needs; user and org go */
	api_req_fini(&r);
	s->last = last;
	/* The id line lets a client that reconnects before any event resume here. */
	len = snprintf(s->head, sizeof(s->head),
	    "retry: 3000\nid: %lld\n: connected\n\n", (long long)last);
	s->nhead = (uint8_t)(len > 0 && (size_t)len < sizeof(s->head) ? len : 0);
	s->quiet_us = cs_time_mono_us();
	http_metrics_sse(srv->metrics, 1);
	http_metrics_request(srv->metrics, route, false, 200, 0);
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 256,
	    sse_read, s, sse_free);
	if (resp == NULL) {
		http_metrics_sse(srv->metrics, -1);
		free(s);
		return MHD_NO;
	}
	pthread_mutex_lock(&srv->ev_lock);
	/* A Last-Event-ID, or an event committed since `last` was read: catch up. */
	s->dirty = lei != NULL || srv->ev_gen != gen0;
	srv->hub->dirty |= s->dirty;
	s->next = srv->hub->head;
	srv->hub->head = s;
	srv->hub->n++;
	if (s->dirty)
		pthread_cond_broadcast(&srv->ev_cond);
	pthread_mutex_unlock(&srv->ev_lock);
	MHD_add_response_header(resp, "Content-Type", "text/event-stream; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	http_security_headers(resp);
	ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	log_info("event=stream_open org_events_after=%lld", (long long)last);
	return ret;
}
