/*
 * svc_stats: statistics of the reports a reader may read (API.md
 * "Analysis": GET /stats, GET /public/stats).  Every report counted passed
 * the same visibility policy as GET /reports/{id}; the public figures are
 * the TLP:CLEAR reports NISC received.  Cells of fewer than k distinct
 * source organisations are suppressed for everyone but NISC (the source of
 * an anonymised report is counted from its sealed identity, never shown).
 * See svc.h for the context.
 */
#ifndef CS_SVC_STATS_H
#define CS_SVC_STATS_H

#include "svc/svc.h"

struct svc_stats_in {
	unsigned	 dims;		/* 1 << enum stats_dim (analysis.h) */
	int64_t		 since_us;	/* filed at or after; 0: any */
	int64_t		 until_us;	/* filed at or before; 0: any */
	bool		 public_view;	/* GET /public/stats: no principal */
};

/*
 * The cells (analysis.h stats_json) for the principal (or the public),
 * audited as stats.read for a principal.  *out: a new reference.
 */
enum cs_err	 svc_stats(struct svc_ctx *, const struct svc_stats_in *,
		    json_t **out, struct cs_error *) CS_WUR;

#endif
