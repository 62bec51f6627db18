/*
 * svc_widening: NISC asks a report's source to let an advisory built on it
 * reach a wider TLP or more sectors; the source (anonymised: its CEPTOAR
 * secretariat) approves or refuses.  See svc.h for the context.
 */
#ifndef CS_SVC_WIDENING_H
#define CS_SVC_WIDENING_H

#include "svc/svc_report.h"

/* A loaded widening request and its report (access facts only). */
struct svc_widening {
	struct store_widening	 w;
	struct svc_report	 rep;
};

/* Does the principal answer for the report's source? */
bool		 svc_widening_answers(const struct svc_ctx *,
		    const struct cs_report_acl *);
/*
 * Ask the source of a loaded report to widen to w->tlp / w->sectors
 * (w->reason may be set); fills w (id, state, ...).  Only NISC on its path.
 */
enum cs_err	 svc_widening_request(struct svc_ctx *, const struct svc_report *,
		    struct store_widening *w, struct cs_error *) CS_WUR;
/*
 * May the principal see a widening request on a report with these access
 * facts: it answers for the source, or it is NISC on the report's path
 * (the one rule of GET /widening-requests and of every :id answer).
 */
bool		 svc_widening_visible(const struct svc_ctx *,
		    const struct cs_report_acl *);
/*
 * Load a request the principal may see: CS_ENOENT "no such widening
 * request", the same for a missing id and an invisible one.
 */
enum cs_err	 svc_widening_load_visible(struct svc_ctx *, int64_t id,
		    struct svc_widening *, struct cs_error *) CS_WUR;
/*
 * Load a request the principal answers: CS_ENOENT as above, CS_EPERM when
 * it sees the request but does not answer for the source (NISC).
 */
enum cs_err	 svc_widening_load(struct svc_ctx *, int64_t id,
		    struct svc_widening *, struct cs_error *) CS_WUR;
enum cs_err	 svc_widening_decide(struct svc_ctx *, struct svc_widening *,
		    bool approve, struct cs_error *) CS_WUR;
void		 svc_widening_fini(struct svc_widening *);

#endif
