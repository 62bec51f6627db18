/*
 * api: one file per resource.  Each exports a route table; src/http walks
 * the tables, parses the request into a `struct api_req`, opens the
 * request's transaction, calls the handler, and renders `out` or the error.
 * Handlers stay thin: parse -> svc -> render (docs/internals/svc.md); the
 * operations and every rule live below, in svc and core.
 */
#ifndef CS_API_H
#define CS_API_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/authz.h"
#include "core/core.h"
#include "store/store.h"
#include "svc/svc.h"

/*
 * Deployment settings: svc's struct svc_config, under the name the http
 * and daemon layers have always used.
 */
#define api_config	svc_config

/* The media type of every TAXII 2.1 answer (docs/interop.md). */
#define TAXII_MEDIA_TYPE	"application/taxii+json;version=2.1"

/* The longest "login:password" of an HTTP Basic credential, decoded. */
#define CS_BASIC_MAX	512
/* The longest session cookie value kept (a token is 4 + 19 + 1 + 64 bytes). */
#define CS_COOKIE_MAX	128

struct api_req {
	/* set by src/http */
	struct store		*st;
	const struct api_config	*cfg;
	const char		*method;
	const char		*path;		/* below /api/v1 */
	json_t			*body;		/* parsed JSON body or NULL */
	int64_t			 ids[2];	/* :id path parameters */
	const char		*(*query)(void *conn, const char *key);
	void			*conn;
	const char		*bearer;	/* token from Authorization */
	/*
	 * HTTP Basic credentials (TAXII): "login\0password\0" when
	 * has_basic; the password is wiped by api_req_fini()
	 */
	bool			 has_basic;
	char			 basic[CS_BASIC_MAX];
	/* the session cookie's value when bearer points here (wiped by api_req_fini) */
	char			 cookie[CS_COOKIE_MAX];
	int64_t			 now_us;
	/* set by api_authenticate() */
	bool			 authed;
	int64_t			 data_gen;	/* store_generations(), this transaction */
	struct cs_principal	 who;
	struct store_user	 user;
	struct store_org	 org;
	/* set by the handler */
	int			 status;
	json_t			*out;		/* new reference, rendered by http */
	const char		*content_type;	/* of out; NULL: application/json */
	bool			 events;	/* inbox events or notifications queued */
	unsigned		 fanout;	/* advisory deliveries added (metrics) */
	bool			 snapshot;	/* the route reads a snapshot: no writes */
	int			 token_scope;	/* enum cs_token_scope, once authed */
	char			*set_cookie;	/* Set-Cookie value to send (owned) */
	int64_t			 retry_after_s;	/* Retry-After on an error answer, 0: none */
	bool			 keep_on_error;	/* commit even though it answers an error */
	bool			 via_cookie;	/* the credential came from the session cookie */
	bool			 dry_run;	/* answer as if done, keep nothing */
	bool			 want_out;	/* an internal caller (export) reads out: no spliced body */
	bool			 mode_changed;	/* reload the operating mode after commit */
	/* kept for the request: the CEPTOAR secretariat whose key opened a seal */
	struct store_org	 sealer;
	/* extra response headers a handler sets (TAXII's X-TAXII-Date-Added-*) */
	struct {
		const char	*name;
		char		 value[48];
	}			 headers[2];
	int			 nheaders;
	/* set by a handler whose body is streamed after the commit (owned) */
	struct api_stream	*stream;
	/* set by src/http for an API_RAW route: the body as sent, its type */
	const void		*raw;
	size_t			 nraw;
	const char		*raw_type;
	/* set by the route's .prepare; prep_free(prep) at api_req_fini */
	void			*prep;
	void			(*prep_free)(void *);
};

/*
 * A streamed body (docs/internals/routes.md "Streamed bodies"): the handler
 * checks the request and may put the first part in `first`; after the
 * commit, src/http sends it and then calls next() each time the client has
 * taken the previous part, until *done.  next() runs outside the request's
 * transaction (it opens its own); an error ends the body where it is.
 * free() releases state once the response is gone (sent or abandoned).
 */
struct api_stream {
	enum cs_err	(*next)(void *state, struct cs_buf *out, bool *done);
	void		(*free)(void *state);
	void		*state;
	struct cs_buf	 first;		/* sent before next() is asked */
	bool		 done;		/* first is the whole body */
	const char	*content_type;
	const char	*filename;	/* Content-Disposition: attachment */
	/* a whole Content-Disposition value (owned; wins over filename) */
	char		*disposition;
	int64_t		 length;	/* Content-Length when > 0; 0: unknown (chunked) */
	char		*repr_digest;	/* a Repr-Digest value (RFC 9530; owned) */
	/*
	 * The whole body, shared rather than copied (done; first empty):
	 * whole_free(whole_arg) once nothing sends it any more (src/http
	 * hands it to the response; else api_stream_free calls it).
	 */
	const char	*whole;
	size_t		 nwhole;
	void		(*whole_free)(void *);
	void		*whole_arg;
	/*
	 * Where src/http may keep what it made of `whole` (a response with
	 * its headers) for the next answers of the same bytes; NULL: nowhere.
	 * Set once (compare and swap); its free() runs when the bytes go.
	 */
	_Atomic(struct api_kept *) *kept;
};

/* What src/http keeps beside a kept answer's bytes (api_stream.kept). */
struct api_kept {
	void		(*free)(struct api_kept *);
};

enum api_flags {
	API_BODY = 1 << 1,	/* needs a JSON object body */
	API_OPTBODY = 1 << 3,	/* a JSON object body, {} when absent */
	API_SNAPSHOT = 1 << 4,	/* reads and audits only: may run beside the writer */
	API_STREAM = 1 << 5,	/* server-sent events: src/http streams, no fn */
	API_RAW = 1 << 6,	/* the body is a file (req->raw), up to --max-attachment */
	/* only adds rows and draws numbers: store_begin_add(), beside other daemons */
	API_ADD = 1 << 7,
	/* reads the audit log: the queued entries are written first (store_audit_flush) */
	API_AUDIT_LOG = 1 << 8,
	/*
	 * An API_SNAPSHOT route whose answers are kept per generation
	 * (api_render_get): tried first on a cached snapshot
	 * (store_begin_cached), which runs no statement, and done again on a
	 * real one when it needed the store (api_req_undo between).
	 */
	API_CACHED = 1 << 9
};

/* The JSON body a route accepts: its allowed top-level members. */
struct api_body {
	const char *const *keys;	/* NULL-terminated */
};

/* A body spec in a route entry: .body = API_KEYS("form", "to"). */
#define API_KEYS(...)	(&(const struct api_body){				.keys = (const char *const []){ __VA_ARGS__, NULL } })

/*
 * One entry per route, designated initialisers (docs/internals/routes.md).
 * The router matches method and pattern, reads the body, authenticates
 * unless the action is public, checks .action against core's authz table
 * in the current mode and .modes, checks the body's members against .body,
 * then runs .fn inside the request's transaction.
 */
struct api_route {
	const char		*method;
	const char		*pattern;	/* "/reports/:id/forward" */
	enum authz_action	 action;	/* who may attempt it (core/authz.h) */
	unsigned		 modes;		/* CS_MODE_BIT()s; 0: every mode */
	unsigned		 flags;		/* enum api_flags */
	const struct api_body	*body;		/* NULL: members not checked */
	/*
	 * For :id routes whose action not everyone may attempt: CS_OK when
	 * the :id item exists and the caller may see it, else its 404.  The
	 * router asks only before refusing, so a refusal never tells that an
	 * item the caller may not see exists (invisible = absent).
	 */
	enum cs_err		(*visible)(struct api_req *, struct cs_error *);
	/*
	 * Work that must not hold the store (a DNS lookup): run outside any
	 * transaction, once the caller was authenticated and admitted (on a
	 * snapshot: nobody else makes the daemon do it), before .fn's own
	 * transaction, which checks everything again.  It reads r->body,
	 * r->who and r->cfg, never r->st (NULL then).
	 */
	enum cs_err		(*pre)(struct api_req *, struct cs_error *);
	enum cs_err		(*fn)(struct api_req *, struct cs_error *);
	/*
	 * Optional: called by the router before the transaction begins
	 * (docs/internals/routes.md), so outside the store lock, without a
	 * principal: work on the body that needs neither (parsing, checks,
	 * what the stored form is made of) goes to req->prep for fn.  It
	 * answers nothing: an error it finds is kept there and fn reports
	 * it, so the order of checks stays the router's.
	 */
	void			(*prepare)(struct api_req *);
	/*
	 * Optional: called by the router once the transaction has begun,
	 * before the caller is authenticated: the reads fn will make, read
	 * ahead (store_*_prefetch), so on PostgreSQL they go with the
	 * transaction's first round trip.  Reads nothing itself.
	 */
	void			(*ahead)(struct api_req *);
};

/*
 * A route entry: method, pattern and action, then the other members by
 * name (.fn always but for API_STREAM):
 *	API_ROUTE("POST", "/reports/:id/share", ACT_REPORT_SHARE,
 *	    .flags = API_BODY, .body = API_KEYS("to"), .fn = reports_share),
 * and API_ROUTES_END closes a table.
 */
#define API_ROUTE(m, p, act, ...)					\
	{ .method = (m), .pattern = (p), .action = (act), __VA_ARGS__ }
#define API_ROUTES_END	{ .method = NULL }

extern const struct api_route api_ref_routes[];
extern const struct api_route api_orgs_routes[];
extern const struct api_route api_reports_routes[];
extern const struct api_route api_audit_routes[];
extern const struct api_route api_advisories_routes[];
extern const struct api_route api_notify_routes[];
extern const struct api_route api_session_routes[];
extern const struct api_route api_disclosures_routes[];
extern const struct api_route api_stats_routes[];
extern const struct api_route api_deps_routes[];
extern const struct api_route api_modes_routes[];
extern const struct api_route api_council_routes[];
extern const struct api_route api_drills_routes[];
extern const struct api_route api_exercises_routes[];
extern const struct api_route api_password_routes[];	/* passwords.c */
extern const struct api_route api_peers_routes[];
extern const struct api_route api_totp_routes[];
extern const struct api_route api_obs_routes[];
extern const struct api_route api_stix_routes[];
extern const struct api_route api_import_routes[];
/* TAXII 2.1 (taxii_*.c): patterns are full paths below /taxii2. */
extern const struct api_route api_taxii_routes[];
extern const struct api_route *const api_taxii_tables[];
extern const struct api_route api_search_routes[];
extern const struct api_route api_export_routes[];
extern const struct api_route api_surveys_routes[];	/* surveys.c: issue 14 */
extern const struct api_route api_risks_routes[];
extern const struct api_route api_attachments_routes[];
extern const struct api_route api_inquiries_routes[];	/* inquiries.c */
extern const struct api_route api_retention_routes[];	/* retention.c */

#define API_SESSION_COOKIE	"cishare_session"
/*
 * Over TLS (an https public URL) the cookie is named with the __Host-
 * prefix (ASVS 3.4.4): browsers then keep it only if it is Secure, has
 * Path=/ and no Domain, so no other host can set or shadow it.  The
 * daemon reads only the name it sets (api_session_cookie_name).
 */
#define API_SESSION_COOKIE_HOST	"__Host-" API_SESSION_COOKIE
#define API_SESSION_TTL_US	(12LL * 3600 * 1000000)	/* absolute */
#define API_SESSION_IDLE_US	(30LL * 60 * 1000000)	/* default idle limit */
#define TOKEN_TOUCH_US		(60LL * 1000000)	/* last use, to the minute */
/* An API token expires after a year unless its creator says otherwise. */
#define API_TOKEN_DEFAULT_US	(365LL * 86400 * 1000000)
/* The session cookie's name for this deployment (session.c). */
const char	*api_session_cookie_name(const struct api_req *);
/* A Set-Cookie value that removes the session cookie (malloc'd). */
char		*api_session_cookie_expired(const struct api_req *);
/* NULL-terminated list of the tables above, for the router. */
extern const struct api_route *const api_tables[];

/*
 * Inbox events after `after` the caller may read (for /inbox/stream): out
 * (new) holds {"seq", "kind", "item"} objects, ids (new) their advisory
 * ids; *last is the last event looked at, read or not, and *more says
 * that `limit` events were looked at (there may be more).  Writes nothing:
 * the caller audits what it sends with api_inbox_stream_audit().
 */
enum cs_err	 api_inbox_events(struct api_req *, int64_t after, int limit,
		    json_t **out, int64_t *last, bool *more, json_t **ids,
		    struct cs_error *) CS_WUR;
/*
 * The audit entry `inbox.stream` of the advisories ids (taken) sent to the
 * caller on nstreams of its live inbox streams at once; none when ids is
 * empty.
 */
enum cs_err	 api_inbox_stream_audit(struct api_req *, json_t *ids,
		    int nstreams) CS_WUR;

/* Resolve req->bearer into req->who/user/org; CS_EAUTH if it fails. */
enum cs_err	 api_authenticate(struct api_req *, struct cs_error *) CS_WUR;
void		 api_req_fini(struct api_req *);
/* Release a streamed body (NULL-safe). */
void		 api_stream_free(struct api_stream *);

/*
 * Stored JSON served as it is stored (issue 17): a handler puts
 * api_raw_slot(i) where the i-th stored text goes, then api_send_spliced()
 * sends j dumped with each slot replaced by raw[i] (JSON text the server
 * wrote, sent unparsed), as the whole body (req->stream, done).  A slot is
 * a string holding a per-process random nonce: no client-sent string can
 * match it.
 */
json_t		*api_raw_slot(size_t i);
/* j dumped so (heap; *len its length). */
char		*api_dump_spliced(const json_t *j, const char *const *raw,
		    size_t n, size_t *len);
/*
 * The stored texts of an answer being built, spliced in at the end: a
 * slot per text (api_raws_take: the text is taken), then
 * api_raws_send() sends j (taken) dumped with each slot replaced, as the
 * whole 200 body, and empties r.  api_raws_fini drops an unsent one.
 */
struct api_raws {
	char		**v;
	size_t		  n, cap;
};
json_t		*api_raws_take(struct api_raws *, char *text_take);
void		 api_raws_send(struct api_req *, json_t *j_take, struct api_raws *);
void		 api_raws_fini(struct api_raws *);
/* text, JSON, as the whole body (copied into req->stream). */
void		 api_send_json_text(struct api_req *, int status, const char *text,
		    size_t len);

/*
 * Undoes what authentication and the handler set in a request (a try on a
 * cached snapshot that needed the store), leaving what src/http set: the
 * request can be run again.
 */
void		 api_req_undo(struct api_req *);

/*
 * Rendered answers (issue 17): the 200 body of a read of item `id` (of a
 * `kind`, API_RENDER_*) as rendered for a principal, kept with the data
 * generation it was read at (req->data_gen, store_generations: any
 * committed write but an audit entry, a last use or the full-text index
 * moves it, on any daemon).  api_render_get() answers req with the body
 * rendered for the same principal (every field of req->who equal) at the
 * same generation, and hands back the aux the render stored (what its
 * audit entry needs); false: render it (through the loaders and the
 * policy, as always) and api_render_put() it.  The policy decided the
 * kept answer for that principal on that data; neither has changed since.
 * Only on a snapshot (store_snapshot_active): the writer's group may hold
 * changes its generation does not show yet.
 * Entries live at most API_RENDER_TTL_US; bodies over API_RENDER_MAX are
 * not kept.
 */
enum { API_RENDER_REPORT = 1 };
#define API_RENDER_TTL_US	(30LL * 1000000)
#define API_RENDER_MAX		(64 * 1024)
bool		 api_render_get(struct api_req *, int kind, int64_t id, int *aux);
void		 api_render_put(struct api_req *, int kind, int64_t id,
		    const char *text, size_t len, int aux);

/*
 * The svc context of a request (the caller acts; the sealer is kept in the
 * request).  After the operation, the handler passes c->events on with
 * api_svc_done().
 */
void		 api_svc_ctx(struct api_req *, struct svc_ctx *);
void		 api_svc_done(struct api_req *, const struct svc_ctx *);

/* Append an audit entry for the caller (hidden identity when `anon`). */
enum cs_err	 api_audit(struct api_req *, const char *action, const char *item,
		    json_t *detail_take, bool anon) CS_WUR;
/*
 * The answer to a change the handler made: the audit entry `action` with
 * detail (taken; "audit failed" if it cannot be written, and out is
 * dropped), then `status` with out (taken).
 */
enum cs_err	 api_changed(struct api_req *, const char *action,
		    json_t *detail_take, int status, json_t *out_take,
		    struct cs_error *) CS_WUR;
/* api_changed() of a POST that made item `id`: 201 {"id": id}. */
enum cs_err	 api_created(struct api_req *, const char *action,
		    json_t *detail_take, int64_t id, struct cs_error *) CS_WUR;

/*
 * svc_password_check() for a request (POST /login, POST /session): sets
 * the Retry-After of a locked login and keeps a recorded failure
 * (CS_EAUTH) although the answer is an error.
 */
enum cs_err	 api_password_check(struct api_req *, const char *login,
		    const char *pw, int64_t *user, struct cs_error *) CS_WUR;
/* The same with the new password a reset one must be replaced by (or NULL). */
enum cs_err	 api_password_check_new(struct api_req *, const char *login,
		    const char *pw, const char *new_pw, int64_t *user,
		    struct cs_error *) CS_WUR;

/* The /me document of the authenticated caller. */
json_t		*api_me_json(const struct api_req *);

/* Helpers for handlers. */
/*
 * 400 naming the first member of body not in the NULL-terminated allowed
 * list; the router applies a route's .body with it.
 */
enum cs_err	 api_check_keys(json_t *body, const char *const *allowed,
		    struct cs_error *) CS_WUR;
/* {"items": items, "next_cursor": "c<last>" when more, else null}; steals items. */
json_t		*api_list_json(json_t *items_take, bool more, int64_t last);
enum cs_err	 api_list_limit(struct api_req *, int *limit, int64_t *cursor,
		    struct cs_error *) CS_WUR;
/*
 * A list page being filled: api_page_begin reads ?limit= and ?cursor=;
 * a scan adds items (with the cursor key of each) until api_page_full,
 * which then marks that there is more; api_page_end renders
 * api_list_json() of them, 200.  api_page_fini drops an unfinished page.
 */
struct api_page {
	json_t		*items;		/* NULL until the first item */
	int		 limit;
	int64_t		 cursor;	/* the request's; a scan moves it on */
	int64_t		 last;		/* key of the last item added */
	bool		 more;
};
enum cs_err	 api_page_begin(struct api_req *, struct api_page *,
		    struct cs_error *) CS_WUR;
bool		 api_page_full(struct api_page *);
void		 api_page_add(struct api_page *, json_t *item_take, int64_t key);
enum cs_err	 api_page_end(struct api_req *, struct api_page *);
/* api_page_end() of a page whose items hold raw slots (api_raws_send). */
enum cs_err	 api_page_end_raws(struct api_req *, struct api_page *,
		    struct api_raws *);
void		 api_page_fini(struct api_page *);
/*
 * The query parsers of the list endpoints (pure: they read the request's
 * query and nothing else; tests/fuzz/fuzz_query.c).  CS_EINVAL names the
 * parameter refused, the first in the order each checks them; a value
 * src/http marked malformed (http_malformed) is refused by every one.
 *
 * GET /reports: ?limit= ?cursor= (api_list_limit), then sector,
 * event_type, since, until, tlp, importance, cause, anonymised=mine, q
 * (at most 256 bytes of UTF-8).  The strings point into the query.
 */
struct api_report_query {
	int		 limit;
	int64_t		 cursor;
	int		 sector;		/* -1: any */
	const char	*event_type;		/* NULL: any (each a form's value) */
	const char	*importance;
	const char	*cause;
	const char	*q;			/* NULL: no text search */
	bool		 has_tlp;
	enum cs_tlp	 tlp;
	bool		 has_since;
	bool		 has_until;
	int64_t		 since_us;
	int64_t		 until_us;
	bool		 mine_anon;		/* anonymised=mine */
};
enum cs_err	 api_report_query(struct api_req *, struct api_report_query *,
		    struct cs_error *) CS_WUR;
/* GET /audit: limit, cursor, since, action (a prefix), org, item. */
struct api_audit_query {
	int		 limit;
	int64_t		 cursor;
	int64_t		 since_us;		/* 0: from the start */
	const char	*action;		/* NULL: any */
	int64_t		 org;			/* 0: any */
	const char	*item;			/* NULL: any */
};
enum cs_err	 api_audit_query(struct api_req *, struct api_audit_query *,
		    struct cs_error *) CS_WUR;
/* GET /stats and /public/stats: group (the dimensions), since, until. */
struct svc_stats_in;
enum cs_err	 api_stats_query(struct api_req *, struct svc_stats_in *,
		    struct cs_error *) CS_WUR;
/*
 * GET /search: type, limit, q (present); the cursor is svc_search's to
 * read (svc_search_cursor_parse).
 */
struct svc_search_in;
enum cs_err	 api_search_query(struct api_req *, struct svc_search_in *,
		    struct cs_error *) CS_WUR;
json_t		*api_time(int64_t us);
json_t		*api_org_json(const struct store_org *, bool full);
/* The ids of the bits of `set` below n (sectors, roles), as a JSON array. */
json_t		*api_bits_json(uint32_t set, int n, const char *(*id)(int));
/*
 * An optional boolean member: *out is its value, false when absent (and,
 * with null_ok, when null); anything else is 400 "must be a boolean".
 */
enum cs_err	 api_bool_arg(json_t *body, const char *key, bool null_ok,
		    bool *out, struct cs_error *) CS_WUR;
/* A "sectors" member: an array of sector ids, as a set. */
enum cs_err	 api_sectors_arg(json_t *, uint32_t *set, struct cs_error *)
		    CS_WUR;
/* Strict unpack of an id array field; fills ids (caller frees). */
enum cs_err	 api_id_array(json_t *arr, const char *field, int64_t **ids,
		    size_t *n, struct cs_error *) CS_WUR;

#endif
