/*
 * svc_mode: the operating modes (API.md "Operating modes"): the large-scale
 * CI service failure system of 別紙４－２ — declared and ended by a NISC
 * approver, naming the cause and the affected sectors; while it is on,
 * 内閣官房（事態対処・危機管理担当） and the incident-response and
 * disaster-management ministries read what NISC received of those sectors
 * (core/policy.c) and, with NISC and the CI ministries, file damage and
 * response-status updates to the situation board.  See svc.h.
 */
#ifndef CS_SVC_MODE_H
#define CS_SVC_MODE_H

#include "core/authz.h"
#include "svc/svc.h"

/* The mode the deployment is in and its affected sectors (0 when normal). */
enum cs_err	 svc_mode_state(struct store *, enum cs_mode *,
		    uint32_t *sectors) CS_WUR;
/* GET /modes: {"large_scale": null | {...}, "history": [...]} */
enum cs_err	 svc_mode_get(struct svc_ctx *, json_t **out,
		    struct cs_error *) CS_WUR;
/*
 * Declare the large-scale mode (409 when it is on already): body {"cause",
 * "sectors": [...]} checked here (400 naming the member); audited
 * (mode.declare).  *out: the mode as GET /modes shows it.
 */
enum cs_err	 svc_mode_declare(struct svc_ctx *, json_t *body, json_t **out,
		    struct cs_error *) CS_WUR;
/* End it (409 when it is not on); audited (mode.end). */
enum cs_err	 svc_mode_end(struct svc_ctx *, json_t **out,
		    struct cs_error *) CS_WUR;
/*
 * A situation update {"sector", "kind": "damage"|"response", "text",
 * "services_down": [service ids of the sector], "restoration_estimate"}
 * while the mode is on (409 otherwise); the sector must be affected;
 * audited (situation.post).  *id the update's id.
 */
enum cs_err	 svc_situation_post(struct svc_ctx *, json_t *body, int64_t *id,
		    struct cs_error *) CS_WUR;
/*
 * The board of the mode that is on (or of mode `mode_id` when not 0): per
 * affected sector the services down, the latest restoration estimate, the
 * open reports and advisories the caller may read, the latest updates.
 */
enum cs_err	 svc_situation_board(struct svc_ctx *, int64_t mode_id,
		    json_t **out, struct cs_error *) CS_WUR;

#endif
