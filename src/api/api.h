/*
 * api: one file per resource.  Each exports a route table; src/http walks
 * the tables, parses the request into a `struct api_req`, opens the
 * request's transaction, calls the handler, and renders `out` or the error.
 * Handlers stay thin: parse -> core -> store -> render; visibility is
 * decided only by core's policy functions.
 */
#ifndef CS_API_H
#define CS_API_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/authz.h"
#include "core/core.h"
#include "store/store.h"

/* Deployment settings the handlers read. */
struct api_config {
	int		 four_eyes_alert;	/* approval required for alerts (default on) */
	int		 four_eyes_all;		/* approval required for every advisory */
	int64_t		 reminder_us;		/* re-notify unacknowledged alerts after */
	const char	*public_url;		/* links in notifications */
	double		 rate_limit;		/* requests/s per client address, 0 off */
};

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
	int64_t			 now_us;
	/* set by api_authenticate() */
	bool			 authed;
	struct cs_principal	 who;
	struct store_user	 user;
	struct store_org	 org;
	/* set by the handler */
	int			 status;
	json_t			*out;		/* new reference, rendered by http */
	bool			 events;	/* inbox events or notifications queued */
	char			*set_cookie;	/* Set-Cookie value to send (owned) */
	bool			 via_cookie;	/* the credential came from the session cookie */
	/* kept for the request: the CEPTOAR secretariat whose key opened a seal */
	struct store_org	 sealer;
};

enum api_flags {
	API_BODY = 1 << 1,	/* needs a JSON object body */
	API_OPTBODY = 1 << 3,	/* a JSON object body, {} when absent */
	API_SNAPSHOT = 1 << 4,	/* reads and audits only: may run beside the writer */
	API_STREAM = 1 << 5	/* server-sent events: src/http streams, no fn */
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
	enum cs_err		(*fn)(struct api_req *, struct cs_error *);
};

extern const struct api_route api_ref_routes[];
extern const struct api_route api_orgs_routes[];
extern const struct api_route api_reports_routes[];
extern const struct api_route api_audit_routes[];
extern const struct api_route api_advisories_routes[];
extern const struct api_route api_notify_routes[];
extern const struct api_route api_session_routes[];

#define API_SESSION_COOKIE	"cishare_session"
#define API_SESSION_TTL_US	(12LL * 3600 * 1000000)
/* NULL-terminated list of the tables above, for the router. */
extern const struct api_route *const api_tables[];

/*
 * Queue notifications of an inbox event (kind: delivered, updated, reminder)
 * for every channel of `org` and of its users, each holding no more than
 * that recipient may read.  Runs inside the caller's transaction.
 */
enum cs_err	 api_notify_enqueue(struct api_req *, int64_t advisory, int64_t org,
		    const char *kind) CS_WUR;
/* The same for many organisations (a fan-out): channels are looked up once. */
enum cs_err	 api_notify_enqueue_many(struct api_req *, int64_t advisory,
		    const int64_t *orgs, size_t n, const char *kind) CS_WUR;
enum cs_err	 api_notify_enqueue_st(struct store *, const struct api_config *,
		    int64_t now_us, int64_t advisory, int64_t org, const char *kind) CS_WUR;
/* Inbox events after `after` the caller may read (for /inbox/stream). */
enum cs_err	 api_inbox_events(struct api_req *, int64_t after, int limit,
		    json_t **out, int64_t *last, struct cs_error *) CS_WUR;
/* Build a principal for a user id (workers acting for a recipient). */
enum cs_err	 api_principal_of(struct store *, int64_t user, struct cs_principal *) CS_WUR;

/* Resolve req->bearer into req->who/user/org; CS_EAUTH if it fails. */
enum cs_err	 api_authenticate(struct api_req *, struct cs_error *) CS_WUR;
void		 api_req_fini(struct api_req *);

/* Append an audit entry for the caller (hidden identity when `anon`). */
enum cs_err	 api_audit(struct api_req *, const char *action, const char *item,
		    json_t *detail_take, bool anon) CS_WUR;

/*
 * The user a login and password name (POST /login, POST /session):
 * CS_EAUTH "wrong login or password" (field password) otherwise, after
 * the same argon2id cost whether or not the login exists.
 */
enum cs_err	 api_password_check(struct api_req *, const char *login,
		    const char *pw, int64_t *user, struct cs_error *) CS_WUR;

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
enum cs_err	 api_need_roles(struct api_req *, unsigned roles, struct cs_error *) CS_WUR;
enum cs_err	 api_list_limit(struct api_req *, int *limit, int64_t *cursor,
		    struct cs_error *) CS_WUR;
json_t		*api_time(int64_t us);
/*
 * Parses stored JSON text (a form as written by this daemon: immutable once
 * stored), through a small cache of parsed trees keyed by the text itself:
 * a new reference the caller may change, or NULL if it does not parse.
 * Only for text at rest in clear; never for what was opened from a seal.
 */
json_t		*api_json_stored(const char *text);
json_t		*api_org_json(const struct store_org *, bool full);
void		 api_org_ref(const struct store_org *, struct cs_org_ref *);
/* Strict unpack of an id array field; fills ids (caller frees). */
enum cs_err	 api_id_array(json_t *arr, const char *field, int64_t **ids,
		    size_t *n, struct cs_error *) CS_WUR;

/*
 * Bootstrap (cishared init): reference data, the platform org and its first
 * admin, and with demo a demo population.  Idempotent.  Fills `out` with
 * "admin_token" (first run only) and "demo_users" (first demo run only).
 */
enum cs_err	 api_bootstrap_run(struct store *, bool demo, json_t *out,
		    struct cs_error *) CS_WUR;
/* Does the installed master key open this database's canary? */
enum cs_err	 api_key_check(struct store *, struct cs_error *) CS_WUR;

#endif
