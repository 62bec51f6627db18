/*
 * http_int.h: what the files of src/http share and nothing outside them
 * sees (SQLite's btreeInt.h): the server's state, the response helpers,
 * the embedded web UI and the live inbox.
 */
#ifndef CS_HTTP_INT_H
#define CS_HTTP_INT_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>

#include <microhttpd.h>

#include "http/http.h"

#define API_PREFIX	"/api/v1"

struct rl_bucket;
struct http_metrics;
struct sse_hub;
struct http_acceptor;

/*
 * libmicrohttpd's memory per connection, of which it touches about all:
 * the main daemon's holds request headers up to some 14 KiB (nginx's
 * default is 8 KiB a line), and libmicrohttpd 0.9.75 zeroes the whole pool
 * between two requests of a connection (MHD_pool_reset): at 64 KiB that
 * was 6 % of a cached read's CPU; the streams daemon's (live inboxes,
 * accept.c) up to some 3 KiB, so that 10,000 open streams fit in about
 * 60 MB.
 */
#define HTTP_POOL_MAIN		(16 * 1024)
#define HTTP_POOL_STREAMS	(4 * 1024)

struct http_server {
	struct MHD_Daemon	*mhd;		/* every request but ... */
	struct MHD_Daemon	*mhd_sse;	/* ... live inboxes; NULL under TLS */
	struct http_acceptor	*acc;		/* feeds both; NULL under TLS */
	struct store		*st;
	const struct api_config	*cfg;
	/*
	 * live inbox: a generation counter bumped on every committed event;
	 * ev_lock also guards the streams (sse.c), ev_cond wakes their hub
	 */
	pthread_mutex_t		 ev_lock;
	pthread_cond_t		 ev_cond;
	uint64_t		 ev_gen;
	int			 stopping;
	int			 heartbeat_s;
	struct sse_hub		*hub;		/* sse.c */
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
 * check the route's action, then stream until the client leaves.  The
 * daemon must run with MHD_ALLOW_SUSPEND_RESUME: a stream with nothing to
 * send is suspended.  http_sse_start() starts the hub thread that reads
 * the events and wakes the streams; http_sse_quiesce() stops it and
 * resumes every stream so that they end (before MHD_stop_daemon());
 * http_sse_free() (after it) frees what is left.
 */
enum MHD_Result	 http_stream(struct http_server *, struct MHD_Connection *,
		    const struct api_route *);
enum cs_err	 http_sse_start(struct http_server *) CS_WUR;
void		 http_sse_quiesce(struct http_server *);
void		 http_sse_free(struct http_server *);

/*
 * accept.c: the listening socket (bound by http_acceptor_listen(), the
 * port chosen returned) and the thread that hands each connection to the
 * streams daemon or the main one by its request line.  _stop closes the
 * socket and every connection not yet handed over.
 */
enum cs_err	 http_acceptor_listen(const struct sockaddr_in *, int *fd,
		    int *port, struct cs_error *) CS_WUR;
enum cs_err	 http_acceptor_start(int fd, struct MHD_Daemon *main_d,
		    struct MHD_Daemon *streams, struct http_acceptor **) CS_WUR;
void		 http_acceptor_stop(struct http_acceptor *);

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
char		*http_metrics_text(struct http_metrics *, struct store *);
int		 http_ops_path(const char *url);
/* openapi.c: the OpenAPI 3.1 description built from the route tables. */
json_t		*http_openapi(void);
enum MHD_Result	 http_serve_ops(struct http_server *, struct MHD_Connection *,
		    int which, const char *method);

#endif
