/*
 * svc: cishare's operations — filing, following up, forwarding and sharing
 * a report; issuing, following up, approving, relaying and acknowledging an
 * advisory; widening requests; notification enqueue.  Each operation is one
 * call that runs inside the caller's transaction (store_begin .. commit is
 * the caller's), with no HTTP request: the API handlers, the worker and the
 * benchmark generator all call it.  svc is the only layer that combines the
 * store with core's rules (policy, flow, form).
 *
 * This header: the deployment configuration, the context every operation
 * receives, the audit helper and notification enqueue.  The operations are
 * declared per area in svc_report.h, svc_adv.h, svc_widening.h and
 * svc_disclosure.h, so a caller includes only the area it uses
 * (docs/internals/svc.md).
 *
 * Dependencies: util, core, store, jansson.  Thread-safety: a context
 * belongs to one thread (it borrows the caller's store connection).
 */
#ifndef CS_SVC_H
#define CS_SVC_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/core.h"
#include "core/retention.h"
#include "store/store.h"

/* Deployment settings the operations read (api names it struct api_config). */
struct svc_config {
	int		 four_eyes_alert;	/* approval required for alerts (default on) */
	int		 four_eyes_all;		/* approval required for every advisory */
	int64_t		 reminder_us;		/* re-notify unacknowledged alerts after */
	const char	*public_url;		/* links in notifications */
	double		 rate_limit;		/* requests/s per client address, 0 off */
	bool		 allow_loopback_webhooks; /* tests: http:// to loopback */
	int		 min_anonymity_set;	/* members below which a forward warns */
	int		 stats_k;		/* statistics: fewest sources a cell shows */
	int64_t		 session_idle_us;	/* sessions end after this idle; 0: 30 min */
	const struct cs_breached *breached;	/* refused passwords; NULL: none */
	int64_t		 max_attachment;	/* bytes of an attachment (別紙); 0: default */
	unsigned	 require_totp_roles;	/* roles that must enroll a TOTP (enum cs_role bits) */
	struct cs_retention retention;		/* days kept per class (0: forever) */
};

/*
 * What an operation runs with.  The caller owns everything it points to and
 * keeps it alive for the call.  `who` is the acting principal (all zero for
 * the system: the worker, or an unauthenticated reader); `user` and `org`
 * are its directory rows (NULL for the system).  Operations that act for
 * someone (file, follow up, forward, issue, approve, relay, ack, widening)
 * need all three; loads, notifications and reminders do not.
 */
struct svc_ctx {
	struct store		*st;		/* inside the caller's transaction */
	const struct svc_config	*cfg;
	int64_t			 now_us;
	struct cs_principal	 who;
	const struct store_user	*user;
	const struct store_org	*org;
	/*
	 * The CEPTOAR secretariat whose key opened a seal, kept by the caller
	 * so one request opens many seals with one load; NULL: not kept.
	 */
	struct store_org	*sealer;
	bool			 events;	/* set when inbox events were queued */
	unsigned		 fanout;	/* advisory deliveries added */
};

/* A context for the system (no acting principal). */
void		 svc_ctx_system(struct svc_ctx *, struct store *,
		    const struct svc_config *, int64_t now_us);
/* The principal of a user and its organisation (rows as the store has them). */
void		 svc_principal_fill(const struct store_user *,
		    const struct store_org *, struct cs_principal *);
/* The principal of a user id (workers acting for a recipient). */
enum cs_err	 svc_principal_of(struct store *, int64_t user,
		    struct cs_principal *) CS_WUR;
/* An organisation as the policy needs it. */
void		 svc_org_ref(const struct store_org *, struct cs_org_ref *);

/*
 * Appends an audit entry for the acting principal (none when `anon`: the
 * detail then names an anonymous source).  Takes detail (may be NULL).
 */
enum cs_err	 svc_audit(struct svc_ctx *, const char *action, const char *item,
		    json_t *detail_take, bool anon) CS_WUR;
/*
 * svc_audit() of an operation on item "<kind>:<id>"; on failure fills e
 * ("audit failed").
 */
enum cs_err	 svc_audit_op(struct svc_ctx *, const char *action,
		    const char *kind, int64_t id, json_t *detail_take, bool anon,
		    struct cs_error *) CS_WUR;
/*
 * The targets of a share (report, racl) or a relay (advisory, aacl; racl
 * NULL): loads each organisation of `to` and asks the policy, in order; the
 * first refusal or unknown organisation (CS_EINVAL) names "to.N".
 */
enum cs_err	 svc_targets_check(struct svc_ctx *, const int64_t *to,
		    size_t nto, const struct cs_report_acl *racl,
		    const struct cs_advisory_acl *aacl, struct cs_error *) CS_WUR;
/*
 * The same for a report share under a disclosure basis: targets outside
 * the report's TLP ceiling are allowed (policy_report_may_share_disclosed).
 */
enum cs_err	 svc_targets_check_disclosed(struct svc_ctx *, const int64_t *to,
		    size_t nto, const struct cs_report_acl *racl,
		    struct cs_error *) CS_WUR;
/*
 * The error of a failed load of `what` ("report", ...): CS_ENOENT "no such
 * <what>", else a store error.
 */
enum cs_err	 svc_load_failed(enum cs_err, const char *what,
		    struct cs_error *) CS_WUR;
/* A JSON array of ids (new reference). */
json_t		*svc_ids_json(const int64_t *ids, size_t n);
/* An RFC 3339 time (new reference), null for 0. */
json_t		*svc_time(int64_t us);
/*
 * Adds a form's contact members for user u to j: contact_person (display
 * name, else login), then phone and email where known.
 */
void		 svc_contact_add(json_t *j, const struct store_user *u);
/*
 * Parses stored JSON text (a form as written by this daemon: immutable once
 * stored), through a small cache of parsed trees keyed by the text itself:
 * a new reference the caller may change, or NULL if it does not parse.
 * Only for text at rest in clear; never for what was opened from a seal.
 */
json_t		*svc_json_stored(const char *text);

/*
 * Reads the deployment's master key (64 hex characters) from the file at
 * path and installs it (core_keys_init); with create, a missing file is
 * first made with a fresh random key (mode 0600, synced).  CS_ENOENT: the
 * file cannot be opened; CS_EIO: it cannot be written; CS_EINVAL: it does
 * not hold a key.  The daemon and bench/gen share this one copy.
 */
enum cs_err	 svc_key_load(const char *path, bool create,
		    struct cs_error *) CS_WUR;

/*
 * Queues notifications of an inbox event (kind: delivered, updated,
 * reminder) for every channel of `org` and of its users, each holding no
 * more than that recipient may read.
 */
enum cs_err	 svc_notify_enqueue(struct svc_ctx *, int64_t advisory,
		    int64_t org, const char *kind) CS_WUR;
/* The same for many organisations (a fan-out): channels are looked up once. */
enum cs_err	 svc_notify_enqueue_many(struct svc_ctx *, int64_t advisory,
		    const int64_t *orgs, size_t n, const char *kind) CS_WUR;
/*
 * A reminder for one unacknowledged delivery: an inbox event, queued
 * notifications and the delivery's new reminded time (the worker's job).
 */
enum cs_err	 svc_adv_remind(struct svc_ctx *,
		    const struct store_delivery *) CS_WUR;

#endif
