/*
 * svc_risk: the risk-management workspace of an operator (issue 14,
 * item 4; API.md "Survey and risk"; 行動計画 IV 4.1; the risk-management
 * 手引書 5–7): its profile (services, critical systems, dependencies
 * including supply chain and cloud, As-Is and To-Be), its risk register
 * scored on the organisation's likelihood × impact matrix, the checklists
 * of the five improvement viewpoints and of contingency-plan / IT-BCP
 * readiness, and the improvement plan they give.  Private to the
 * organisation unless it shares the workspace with its ministry or NISC
 * (policy_risk_may_read); every read and write is audited.  Only the
 * operator's own staff change it.  docs/api.md "Risk workspace".
 */
#ifndef CS_SVC_RISK_H
#define CS_SVC_RISK_H

#include "svc/svc.h"

#define SVC_RISK_MAX		2000	/* risks in one register */
#define SVC_RISK_LINKS		100	/* reports or controls of one risk */

/*
 * Validates a control id of the 指針 catalogue (a survey-gap link); the
 * survey's catalogue when it is there (svc_risk_control_known).
 */
bool		 svc_risk_control_known(const char *id);

/*
 * The workspace of org (0: the caller's own) as the caller may read it:
 * {org, org_name, profile, matrix, viewpoints, readiness, shared_with,
 * heatmap, counts, may_write, updated_at}.  CS_ENOENT when it may not.
 */
enum cs_err	 svc_risk_workspace(struct svc_ctx *, int64_t org, json_t **out,
		    struct cs_error *) CS_WUR;
/* The workspaces shared with the caller's organisation: [{org, name}]. */
enum cs_err	 svc_risk_shared_list(struct svc_ctx *, json_t **items,
		    struct cs_error *) CS_WUR;
/* PUT /risks/profile, /risks/matrix, /risks/checklists, /risks/sharing. */
enum cs_err	 svc_risk_profile_put(struct svc_ctx *, json_t *body,
		    struct cs_error *) CS_WUR;
enum cs_err	 svc_risk_matrix_put(struct svc_ctx *, json_t *body,
		    struct cs_error *) CS_WUR;
enum cs_err	 svc_risk_checks_put(struct svc_ctx *, json_t *body,
		    struct cs_error *) CS_WUR;
enum cs_err	 svc_risk_share(struct svc_ctx *, json_t *body,
		    struct cs_error *) CS_WUR;

/* The register of org (0: own), highest score first. */
enum cs_err	 svc_risk_list(struct svc_ctx *, int64_t org, bool archived,
		    json_t **items, struct cs_error *) CS_WUR;
enum cs_err	 svc_risk_create(struct svc_ctx *, json_t *body, int64_t *id,
		    struct cs_error *) CS_WUR;
enum cs_err	 svc_risk_get(struct svc_ctx *, int64_t id, json_t **out,
		    struct cs_error *) CS_WUR;
/* Members given replace, null removes an optional one. */
enum cs_err	 svc_risk_patch(struct svc_ctx *, int64_t id, json_t *body,
		    struct cs_error *) CS_WUR;
/* Archives (DELETE): it leaves the register and the plan, stays readable. */
enum cs_err	 svc_risk_archive(struct svc_ctx *, int64_t id,
		    struct cs_error *) CS_WUR;
/* The improvement plan of org (0: own): {"items": [...], "ordering"}. */
enum cs_err	 svc_risk_plan(struct svc_ctx *, int64_t org, json_t **out,
		    struct cs_error *) CS_WUR;

#endif
