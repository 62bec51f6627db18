/*
 * svc_deps: the sector dependency graph (API.md "Analysis": GET/PUT
 * /dependencies) and the cascade of a report's outage (GET
 * /reports/{id}/cascade).  The graph starts as the seeds state it
 * (data/dependencies.json, vocab_dep_edges) and NISC edits it; an edit is
 * kept whole in the store's meta table and audited.  See svc.h.
 */
#ifndef CS_SVC_DEPS_H
#define CS_SVC_DEPS_H

#include "svc/svc.h"

struct svc_report;

/* At most this many edges (every ordered pair of sectors, and some). */
#define SVC_DEPS_MAX	256

/*
 * The graph: {"edges": [{"from", "to", "basis", "citation"|null}],
 * "edited": {"by_org", "at"}|null (null: the seeded default)}.
 */
enum cs_err	 svc_deps_get(struct svc_ctx *, json_t **out,
		    struct cs_error *) CS_WUR;
/*
 * Replace the graph with body {"edges": [...]} (NISC; the router checks
 * the role): sectors known, no self-loop or duplicate, a basis of 1 to
 * CS_MAX_TEXT characters, a citation of at most CS_MAX_STRING; 400 naming
 * edges.N.<member>.  Audited (dependencies.update with the edge count).
 */
enum cs_err	 svc_deps_put(struct svc_ctx *, json_t *body,
		    struct cs_error *) CS_WUR;
/*
 * The sectors at risk from x's outage, as the principal sees x: {"sector",
 * "outage": bool, "why": [...], "at_risk": [{"sector", "path": [...],
 * "basis", "citation"}]} — at_risk is empty when the version the
 * principal sees shows no outage (system stopped or partly running, an
 * ongoing service outage, or a breached service level).
 */
enum cs_err	 svc_report_cascade(struct svc_ctx *, struct svc_report *x,
		    json_t **out, struct cs_error *) CS_WUR;

#endif
