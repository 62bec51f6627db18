/*
 * svc_retention: retention (issue 16 item 6; docs/internals/retention.md)
 * — legal holds on reports and advisories, the erasure of an anonymised
 * report's sealed source, the policy and what the next purge run would
 * remove, and one purge batch.  Each call runs inside the caller's
 * transaction and audits (svc_audit).  See svc.h.
 */
#ifndef CS_SVC_RETENTION_H
#define CS_SVC_RETENTION_H

#include "svc/svc.h"

#define SVC_PURGE_BATCH		100	/* items per purge transaction */

/*
 * Places (on) or lifts a legal hold on report or advisory id (kind:
 * STORE_ITEM_*): an admin on any item, NISC analysts on an item they read
 * (retention_may_hold); 404 for an item the caller may not see.  *out:
 * {"kind", "id", "held", "held_at"}.
 */
enum cs_err	 svc_retention_hold(struct svc_ctx *, int kind, int64_t id,
		    bool on, json_t **out, struct cs_error *) CS_WUR;
/* The item exists and the caller may hold it (else 404); *s its state. */
enum cs_err	 svc_retention_hold_check(struct svc_ctx *, int kind, int64_t id,
		    struct store_retention_state *s, struct cs_error *) CS_WUR;
/*
 * Destroys the sealed source of anonymised report id for good: the
 * source (REL_SUBMITTER) or its CEPTOAR secretariat; body {"confirm":
 * true}.  404 invisible, 409 not anonymised or already erased, 403
 * anyone else.  *out: {"id", "source_erased", "erased_at"}.
 */
enum cs_err	 svc_retention_erase_source(struct svc_ctx *, int64_t id,
		    json_t *body, json_t **out, struct cs_error *) CS_WUR;
/* GET /retention: the policy, the cut-offs, what is due now, the holds. */
enum cs_err	 svc_retention_plan(struct svc_ctx *, json_t **out,
		    struct cs_error *) CS_WUR;
/*
 * Purges up to `limit` due items of class cls (c->cfg->retention) with
 * every row that refers to them, audited as one "retention.purge"; *n
 * gets how many (fewer than limit: the class is done).
 */
enum cs_err	 svc_retention_purge(struct svc_ctx *, int cls, int limit,
		    int64_t *n, struct cs_error *) CS_WUR;

#endif
