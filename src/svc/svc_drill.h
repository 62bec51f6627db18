/*
 * svc_drill: CEPTOAR drills (API.md "Operating modes", Drills): NISC
 * creates a drill (scenario, targets, start); the advisories and reports
 * created with "drill": id belong to it, are marked as such wherever they
 * are shown, and are kept out of statistics and production inboxes; the
 * drill report gives, per hop and per organisation, delivery, read and
 * acknowledgement times with latencies, who never responded, and each
 * CEPTOAR's completion over time.  See svc.h.
 */
#ifndef CS_SVC_DRILL_H
#define CS_SVC_DRILL_H

#include "svc/svc.h"

/* {"name", "scenario", "targets": [org ids], "starts_at"} (400 naming the member). */
enum cs_err	 svc_drill_create(struct svc_ctx *, json_t *body, int64_t *id,
		    struct cs_error *) CS_WUR;
enum cs_err	 svc_drill_get(struct svc_ctx *, int64_t id, json_t **out,
		    struct cs_error *) CS_WUR;
enum cs_err	 svc_drill_list(struct svc_ctx *, json_t **items,
		    struct cs_error *) CS_WUR;
/*
 * The "drill" member of a create body: 0 when absent or null, else the id
 * of an existing drill (400 drill otherwise).
 */
enum cs_err	 svc_drill_arg(struct svc_ctx *, json_t *body, int64_t *drill,
		    struct cs_error *) CS_WUR;
/* Mark item (DRILL_ITEM_REPORT or _ADVISORY) as part of drill. */
enum cs_err	 svc_drill_mark(struct svc_ctx *, int64_t drill, int kind,
		    int64_t item, struct cs_error *) CS_WUR;
/* The drill an item belongs to (0: a production item; a store error: 0). */
int64_t		 svc_drill_of(struct svc_ctx *, int kind, int64_t item);
/* GET /drills/{id}/report (see above). */
enum cs_err	 svc_drill_report(struct svc_ctx *, int64_t id, json_t **out,
		    struct cs_error *) CS_WUR;

#endif
