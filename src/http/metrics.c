/*
 * metrics.c: GET /healthz and GET /metrics (API.md "Operations").
 *
 * /healthz answers "ok" when the store answers a read, 503 otherwise; no
 * login.  /metrics is the Prometheus text exposition (format 0.0.4) for
 * the loopback or an admin's token: requests by route and status, a
 * latency histogram per route, intake and fan-out counters, live inbox
 * clients and the store's commit times.  Every counter is a relaxed
 * atomic: a request never waits for the metrics.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "http/http_int.h"

/* Histogram bounds in microseconds (the exposition says seconds). */
static const int64_t bounds_us[] = {
	500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000, 10000000,
};
#define NBOUNDS	((int)(sizeof(bounds_us) / sizeof(bounds_us[0])))

/* The statuses counted one by one; any other is counted as its class. */
static const int statuses[] = {
	200, 201, 202, 204, 304, 400, 401, 403, 404, 405, 406, 409, 413, 415,
	429, 500, 503,
};
#define NSTATUS	((int)(sizeof(statuses) / sizeof(statuses[0])))
#define NSLOT	(NSTATUS + 5)	/* + 1xx..5xx others */

struct hist {
	atomic_uint_fast64_t	 le[NBOUNDS + 1];	/* the last: +Inf */
	atomic_uint_fast64_t	 sum_us;
	atomic_uint_fast64_t	 count;
};

struct route_m {
	const struct api_route	*route;		/* NULL: the other slots */
	const char		*label;
	atomic_uint_fast64_t	 by_status[NSLOT];
	struct hist		 lat;
};

struct http_metrics {
	struct route_m		*r;		/* sorted by route pointer */
	size_t			 n;
	struct route_m		 web, none;	/* the web UI; no route matched */
	struct hist		 commit;
	atomic_uint_fast64_t	 intake_reports, intake_followups;
	atomic_uint_fast64_t	 advisories, fanout;
	atomic_int_fast64_t	 sse_clients;
	int64_t			 started_us;
};

static int
route_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct route_m *)a)->route;
	uintptr_t y = (uintptr_t)((const struct route_m *)b)->route;

	return (x > y) - (x < y);
}

static void
add_tables(struct http_metrics *m, const struct api_route *const *tables,
    const char *prefix)
{
	for (size_t t = 0; tables[t] != NULL; t++)
		for (const struct api_route *r = tables[t]; r->method != NULL;
		    r++) {
			char label[256];

			cs_fmt(label, sizeof(label), "%s %s%s", r->method, prefix,
			    r->pattern);
			m->r = xreallocarray(m->r, m->n + 1, sizeof(*m->r));
			memset(&m->r[m->n], 0, sizeof(m->r[m->n]));
			m->r[m->n].route = r;
			m->r[m->n].label = xstrdup(label);
			m->n++;
		}
}

struct http_metrics *
http_metrics_new(void)
{
	struct http_metrics *m = xcalloc(1, sizeof(*m));

	add_tables(m, api_tables, API_PREFIX);
	add_tables(m, api_taxii_tables, "");
	qsort(m->r, m->n, sizeof(*m->r), route_cmp);
	m->web.label = "web";
	m->none.label = "unmatched";
	m->started_us = cs_time_now_us();
	return m;
}

void
http_metrics_free(struct http_metrics *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n; i++)
		free((char *)m->r[i].label);
	free(m->r);
	free(m);
}

static struct route_m *
route_slot(struct http_metrics *m, const struct api_route *route, bool web)
{
	struct route_m key;
	struct route_m *r;

	if (web)
		return &m->web;
	if (route == NULL)
		return &m->none;
	key.route = route;
	r = bsearch(&key, m->r, m->n, sizeof(*m->r), route_cmp);
	return r != NULL ? r : &m->none;
}

static void
hist_add(struct hist *h, int64_t us)
{
	int i;

	if (us < 0)
		us = 0;
	for (i = 0; i < NBOUNDS && us > bounds_us[i]; i++)
		;
	atomic_fetch_add_explicit(&h->le[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->sum_us, (uint_fast64_t)us,
	    memory_order_relaxed);
	atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
}

static int
status_slot(int status)
{
	for (int i = 0; i < NSTATUS; i++)
		if (statuses[i] == status)
			return i;
	return status >= 100 && status < 600 ? NSTATUS + status / 100 - 1 :
	    NSTATUS + 4;
}

void
http_metrics_request(struct http_metrics *m, const struct api_route *route,
    bool web, int status, int64_t dur_us)
{
	struct route_m *r;

	if (m == NULL)
		return;
	r = route_slot(m, route, web);
	atomic_fetch_add_explicit(&r->by_status[status_slot(status)], 1,
	    memory_order_relaxed);
	hist_add(&r->lat, dur_us);
	if (route == NULL || status != 201 || strcmp(route->method, "POST") != 0)
		return;
	if (strcmp(route->pattern, "/reports") == 0)
		atomic_fetch_add_explicit(&m->intake_reports, 1,
		    memory_order_relaxed);
	else if (strcmp(route->pattern, "/reports/:id/followups") == 0)
		atomic_fetch_add_explicit(&m->intake_followups, 1,
		    memory_order_relaxed);
	else if (strcmp(route->pattern, "/advisories") == 0)
		atomic_fetch_add_explicit(&m->advisories, 1,
		    memory_order_relaxed);
}

void
http_metrics_commit(struct http_metrics *m, int64_t dur_us, unsigned fanout)
{
	if (m == NULL)
		return;
	hist_add(&m->commit, dur_us);
	if (fanout > 0)
		atomic_fetch_add_explicit(&m->fanout, fanout,
		    memory_order_relaxed);
}

void
http_metrics_sse(struct http_metrics *m, int delta)
{
	if (m != NULL)
		atomic_fetch_add_explicit(&m->sse_clients, delta,
		    memory_order_relaxed);
}

/* ---- the exposition ----------------------------------------------------- */

static void
status_label(int slot, char *buf, size_t sz)
{
	if (slot < NSTATUS)
		cs_fmt(buf, sz, "%d", statuses[slot]);
	else
		cs_fmt(buf, sz, "%dxx", slot - NSTATUS + 1);
}

/* A label value: backslash, quote and newline escaped. */
static void
label_value(struct cs_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			(void)cs_buf_add(b, "\\", 1);
		if (*s == '\n')
			(void)cs_buf_add(b, "\\n", 2);
		else
			(void)cs_buf_add(b, s, 1);
	}
}

static void
hist_text(struct cs_buf *b, const char *name, const char *route,
    const struct hist *h)
{
	uint64_t cum = 0;

	for (int i = 0; i <= NBOUNDS; i++) {
		char le[32];

		cum += atomic_load_explicit(&h->le[i], memory_order_relaxed);
		if (i < NBOUNDS)
			cs_fmt(le, sizeof(le), "%g", (double)bounds_us[i] / 1e6);
		else
			cs_fmt(le, sizeof(le), "+Inf");
		cs_buf_printf(b, "%s_bucket{", name);
		if (route != NULL) {
			cs_buf_printf(b, "route=\"");
			label_value(b, route);
			cs_buf_printf(b, "\",");
		}
		cs_buf_printf(b, "le=\"%s\"} %llu\n", le, (unsigned long long)cum);
	}
	cs_buf_printf(b, "%s_sum", name);
	if (route != NULL) {
		cs_buf_printf(b, "{route=\"");
		label_value(b, route);
		cs_buf_printf(b, "\"}");
	}
	cs_buf_printf(b, " %.6f\n", (double)atomic_load_explicit(&h->sum_us,
	    memory_order_relaxed) / 1e6);
	cs_buf_printf(b, "%s_count", name);
	if (route != NULL) {
		cs_buf_printf(b, "{route=\"");
		label_value(b, route);
		cs_buf_printf(b, "\"}");
	}
	cs_buf_printf(b, " %llu\n", (unsigned long long)atomic_load_explicit(
	    &h->count, memory_order_relaxed));
}

static void
route_text(struct cs_buf *b, const struct route_m *r, bool counts)
{
	if (atomic_load_explicit(&r->lat.count, memory_order_relaxed) == 0)
		return;
	if (!counts) {
		hist_text(b, "cishare_http_request_duration_seconds", r->label,
		    &r->lat);
		return;
	}
	for (int s = 0; s < NSLOT; s++) {
		uint64_t v = atomic_load_explicit(&r->by_status[s],
		    memory_order_relaxed);
		char st[16];

		if (v == 0)
			continue;
		status_label(s, st, sizeof(st));
		cs_buf_printf(b, "cishare_http_requests_total{route=\"");
		label_value(b, r->label);
		cs_buf_printf(b, "\",status=\"%s\"} %llu\n", st,
		    (unsigned long long)v);
	}
}

static void
counter(struct cs_buf *b, const char *name, const char *help,
    uint64_t v)
{
	cs_buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name,
	    help, name, name, (unsigned long long)v);
}

char *
http_metrics_text(struct http_metrics *m, struct store *st)
{
	struct cs_buf b;
	char *out;

	cs_buf_init(&b, 64 << 20);
	cs_buf_printf(&b, "# HELP cishare_up Whether the daemon serves.\n"
	    "# TYPE cishare_up gauge\ncishare_up 1\n");
	cs_buf_printf(&b, "# HELP cishare_start_time_seconds When the daemon "
	    "started (Unix time).\n# TYPE cishare_start_time_seconds gauge\n"
	    "cishare_start_time_seconds %lld\n",
	    (long long)(m->started_us / 1000000));
	cs_buf_printf(&b, "# HELP cishare_http_requests_total Requests "
	    "answered, by route and status.\n"
	    "# TYPE cishare_http_requests_total counter\n");
	for (size_t i = 0; i < m->n; i++)
		route_text(&b, &m->r[i], true);
	route_text(&b, &m->web, true);
	route_text(&b, &m->none, true);
	cs_buf_printf(&b, "# HELP cishare_http_request_duration_seconds Time "
	    "from the request's arrival to its answer being queued.\n"
	    "# TYPE cishare_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < m->n; i++)
		route_text(&b, &m->r[i], false);
	route_text(&b, &m->web, false);
	route_text(&b, &m->none, false);
	counter(&b, "cishare_intake_reports_total", "Reports (第1報) filed.",
	    atomic_load_explicit(&m->intake_reports, memory_order_relaxed));
	counter(&b, "cishare_intake_followups_total", "Follow-ups (第k報) "
	    "filed.", atomic_load_explicit(&m->intake_followups,
	    memory_order_relaxed));
	counter(&b, "cishare_advisories_created_total", "Advisories (情報提供) "
	    "created.", atomic_load_explicit(&m->advisories,
	    memory_order_relaxed));
	counter(&b, "cishare_fanout_deliveries_total", "Advisory deliveries "
	    "committed (one per receiving organisation).",
	    atomic_load_explicit(&m->fanout, memory_order_relaxed));
	cs_buf_printf(&b, "# HELP cishare_sse_clients Live inbox streams open."
	    "\n# TYPE cishare_sse_clients gauge\ncishare_sse_clients %lld\n",
	    (long long)atomic_load_explicit(&m->sse_clients,
	    memory_order_relaxed));
	cs_buf_printf(&b, "# HELP cishare_store_commit_seconds Time of each "
	    "committed write transaction.\n"
	    "# TYPE cishare_store_commit_seconds histogram\n");
	hist_text(&b, "cishare_store_commit_seconds", NULL, &m->commit);
	counter(&b, "cishare_store_round_trips_total", "Round trips to the "
	    "database server waited for (PostgreSQL; 0 on SQLite).",
	    store_round_trips(st));
	out = xstrdup(cs_buf_str(&b));
	cs_buf_fini(&b);
	return out;
}

/* ---- the two endpoints --------------------------------------------------- */

static enum MHD_Result
send_plain(struct MHD_Connection *c, int status, char *text,
    const char *type)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(strlen(text), text,
	    MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	http_security_headers(resp);
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static bool
loopback(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL)
		return false;
	sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)(const void *)sa)->
		    sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr);
	return false;
}

/*
 * "/healthz" (1), "/metrics" (2), or the same below /api/v1; "/openapi.json"
 * (3) there too; else 0.
 */
int
http_ops_path(const char *url)
{
	const size_t n = strlen(API_PREFIX);

	if (strncmp(url, API_PREFIX, n) == 0)
		url += n;
	if (strcmp(url, "/healthz") == 0)
		return 1;
	if (strcmp(url, "/metrics") == 0)
		return 2;
	if (strcmp(url, "/openapi.json") == 0)
		return 3;
	return 0;
}

enum MHD_Result
http_serve_ops(struct http_server *srv, struct MHD_Connection *c, int which,
    const char *method)
{
	struct cs_error e;
	struct api_req r;
	char *v = NULL;
	enum cs_err rc;
	bool admin;

	cs_error_clear(&e);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		cs_fail(&e, CS_EINVAL, "", "method %s not allowed here", method);
		return http_send_error(c, 405, &e);
	}
	if (which == 3) {
		json_t *doc = http_openapi();
		char *text = json_dumps(doc, JSON_INDENT(1) | JSON_SORT_KEYS);

		json_decref(doc);
		return send_plain(c, 200, text, "application/json; charset=utf-8");
	}
	if (which == 1) {
		/* The store answers a read: a meta key, present or not. */
		if ((rc = store_begin_read(srv->st)) == CS_OK) {
			rc = store_meta_get(srv->st, "healthz", &v);
			free(v);
			store_rollback(srv->st);
			if (rc == CS_ENOENT)
				rc = CS_OK;
		}
		return rc == CS_OK ? send_plain(c, 200, xstrdup("ok\n"),
		    "text/plain; charset=utf-8") : send_plain(c, 503,
		    xstrdup("store unavailable\n"), "text/plain; charset=utf-8");
	}
	if (!loopback(c)) {
		memset(&r, 0, sizeof(r));
		r.st = srv->st;
		r.cfg = srv->cfg;
		r.conn = c;
		r.now_us = cs_time_now_us();
		http_credential(c, &r);
		if (store_begin_read(srv->st) != CS_OK) {
			api_req_fini(&r);
			cs_fail(&e, CS_ESTORE, "", "store unavailable");
			return http_send_error(c, 503, &e);
		}
		rc = api_authenticate(&r, &e);
		store_rollback(srv->st);
		admin = rc == CS_OK && (r.who.roles & ROLE_ADMIN) != 0;
		api_req_fini(&r);
		if (rc != CS_OK)
			return http_send_error(c, 401, &e);
		if (!admin) {
			cs_fail(&e, CS_EPERM, "", "the metrics are for admins "
			    "(or the loopback)");
			return http_send_error(c, 403, &e);
		}
	}
	return send_plain(c, 200, http_metrics_text(srv->metrics, srv->st),
	    "text/plain; version=0.0.4; charset=utf-8");
}
