/*
 * http_int.h: what the files of src/http share and nothing outside them
 * sees (SQLite's btreeInt.h): the server's state, the response helpers,
 * the embedded web UI and the live inbox.
 */
#ifndef CS_HTTP_INT_H
#define CS_HTTP_INT_H

#include <pthread.h>
#include <stdint.h>

#include <microhttpd.h>

#include "http/http.h"

#define API_PREFIX	"/api/v1"

struct rl_bucket;
struct http_metrics;

struct http_server {
	struct MHD_Daemon	*mhd;
	struct store		*st;
	const struct api_config	*cfg;
	/* live inbox: a generation counter bumped on every committed event */
	pthread_mutex_t		 ev_lock;
	pthread_cond_t		 ev_cond;
	uint64_t		 ev_gen;
	int			 stopping;
	int			 heartbeat_s;
	/*
	 * The operating mode (svc_mode_state), cached: read again from the
	 * store at most every second, and at once after a request changed it.
	 */
	pthread_mutex_t		 mode_lock;
	enum cs_mode		 mode;
	uint32_t		 mode_sectors;
	int64_t			 mode_read_us;	/* 0: read it again */
	/* per-client-address token buckets (requests per second) */
	pthread_mutex_t		 rl_lock;
	double			 rl_rate;	/* 0: no limit */
	double			 rl_burst;
	struct rl_bucket	*rl;
	struct http_metrics	*metrics;	/* metrics.c */
};

/* server.c: headers every response carries; a JSON error response. */
void		 http_security_headers(struct MHD_Response *);
enum MHD_Result	 http_send_error(struct MHD_Connection *, int status,
		    const struct cs_error *);
enum MHD_Result	 http_send_error_after(struct MHD_Connection *, int status,
		    const struct cs_error *, int64_t retry_s);
/*
 * server.c: the request's credential (the bearer token, else the session
 * cookie), and a query value; a value holding a NUL or control character
 * comes back as a marker no parser accepts.
 */
void		 http_credential(struct MHD_Connection *, struct api_req *);
const char	*http_query(struct MHD_Connection *, const char *key);
/* static.c: the embedded web UI (GET and HEAD outside /api/v1). */
enum MHD_Result	 http_serve_web(struct MHD_Connection *, const char *url,
		    const char *method);
/*
 * sse.c: GET /api/v1/inbox/stream (a route with API_STREAM): authenticate,
 * check the route's action, then stream until the client leaves.
 */
enum MHD_Result	 http_stream(struct http_server *, struct MHD_Connection *,
		    const struct api_route *);

/*
 * body.c: send a streamed body (the handler's req->stream, taken): its
 * first part, then its next() parts as the client reads, chunked.
 */
enum MHD_Result	 http_send_stream(struct MHD_Connection *, int status,
		    struct api_stream *);

/*
 * metrics.c: GET /healthz and /metrics (also below /api/v1); the counters
 * the server feeds (relaxed atomics: a request never waits for them).
 */
struct http_metrics *http_metrics_new(void);
void		 http_metrics_free(struct http_metrics *);
void		 http_metrics_request(struct http_metrics *,
		    const struct api_route *, bool web, int status,
		    int64_t dur_us);
void		 http_metrics_commit(struct http_metrics *, int64_t dur_us,
		    unsigned fanout);
void		 http_metrics_sse(struct http_metrics *, int delta);
char		*http_metrics_text(struct http_metrics *);
int		 http_ops_path(const char *url);
/* openapi.c: the OpenAPI 3.1 description built from the route tables. */
json_t		*http_openapi(void);
enum MHD_Result	 http_serve_ops(struct http_server *, struct MHD_Connection *,
		    int which, const char *method);

#endif
