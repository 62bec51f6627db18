/*
 * risk.h: the risk-management workspace's pure rules (issue 14, item 4;
 * 行動計画 IV 4.1, the risk-management 手引書 5–7): the likelihood × impact
 * matrix an organisation configures (with a 5×5 default), scoring and
 * banding on it, the two checklists (the five improvement viewpoints of
 * IV 4.1 (1) ②, and the contingency-plan / IT-BCP readiness of 手引書 7 and
 * its 【別紙】) and the order of the improvement plan.  No store, no I/O.
 * docs/analysis.md "Risk register".
 */
#ifndef CS_ANALYSIS_RISK_H
#define CS_ANALYSIS_RISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "util/util.h"

#define RISK_LEVELS_MIN		2
#define RISK_LEVELS_MAX		10
#define RISK_BANDS_MAX		6

/* The matrix as the scoring needs it; labels stay in its JSON. */
struct risk_matrix {
	int		 nl, ni;		/* likelihood and impact levels */
	int		 nbands;
	char		 band_id[RISK_BANDS_MAX][24];
	int		 band_max[RISK_BANDS_MAX];	/* ascending, last nl*ni */
	int		 appetite;		/* scores above it must be treated */
};

/*
 * The default matrix (new reference): 5 likelihood and 5 impact levels
 * (ja/en labels), bands low ≤4, medium ≤9, high ≤16, critical ≤25,
 * appetite 4.
 */
json_t		*risk_matrix_default(void);
/*
 * Validates a matrix {"likelihood": [{"ja","en"}, ...], "impact": [...],
 * "bands": [{"id", "max"}, ...], "appetite"} and fills m.  On error fills e
 * naming the member ("likelihood", "bands.2.max", ...).
 */
enum cs_err	 risk_matrix_parse(json_t *, struct risk_matrix *,
		    struct cs_error *) CS_WUR;
/* likelihood × impact, or -1 outside the matrix (both 1-based). */
int		 risk_score(const struct risk_matrix *, int l, int i);
/* The band of a score ("low", ...), or NULL for a score outside. */
const char	*risk_band(const struct risk_matrix *, int score);

/* ---- the checklists -------------------------------------------------- */

enum risk_list {
	RISK_LIST_VIEWPOINTS,	/* IV 4.1 (1) ② i–v */
	RISK_LIST_READINESS,	/* 手引書 7 and 【別紙】 */
	RISK_LIST__COUNT
};

struct risk_check_item {
	const char	*id;
	const char	*ja;
	const char	*en;
	const char	*viewpoint;	/* the viewpoint (i–v) it serves */
	const char	*cite;		/* "seed-file:line section" */
};

extern const struct risk_check_item risk_viewpoints[];	/* { NULL } ends */
extern const struct risk_check_item risk_readiness[];

const char	*risk_list_id(enum risk_list);	/* "viewpoints", "readiness" */
const struct risk_check_item *risk_list_items(enum risk_list);
const struct risk_check_item *risk_check_find(enum risk_list, const char *id);

/* A checklist answer's status. */
enum risk_check_status {
	RISK_CHECK_UNANSWERED = 0,
	RISK_CHECK_DONE,
	RISK_CHECK_PARTIAL,
	RISK_CHECK_GAP,
	RISK_CHECK_NA
};
/* "done", "partial", "gap", "not_applicable"; -1 for anything else. */
int		 risk_check_status_parse(const char *);
const char	*risk_check_status_id(enum risk_check_status);

/* The four treatments (手引書 6.3); -1 for anything else. */
enum risk_treatment {
	RISK_AVOID,
	RISK_REDUCE,
	RISK_TRANSFER,
	RISK_ACCEPT
};
int		 risk_treatment_parse(const char *);

/* ---- the improvement plan ---------------------------------------------- */

enum risk_plan_kind {
	RISK_PLAN_RISK,		/* a risk above the appetite, or not accepted */
	RISK_PLAN_VIEWPOINT,	/* a viewpoint checked gap or partial */
	RISK_PLAN_READINESS	/* a readiness item checked gap or partial */
};

struct risk_plan_item {
	enum risk_plan_kind	 kind;
	int64_t			 id;		/* the risk's id, 0 for a check */
	const char		*check;		/* the check's id, NULL for a risk */
	const char		*viewpoint;	/* i–v or NULL */
	int			 score;		/* risks: L×I; checks: filled in */
	int			 residual;	/* risks: residual L×I, else -1 */
	bool			 overdue;	/* review date passed */
	int			 review;	/* yyyymmdd, 0 none */
	enum risk_check_status	 status;	/* checks: gap or partial */
};

/*
 * Gives each check its score: the highest score of the plan's risks that
 * serve the same viewpoint (0 when none), then orders the plan:
 *   1. score, highest first;
 *   2. overdue review first, then the earlier review date (none last);
 *   3. residual score, highest first (a risk treatment leaves more);
 *   4. risks before viewpoint gaps before readiness gaps, a gap before a
 *      partial;
 *   5. risk id ascending, then the check's order in its list.
 * Stable and total: the same items give the same order.
 */
void		 risk_plan_order(struct risk_plan_item *, size_t n);

/*
 * Does the risk enter the plan?  Open (not archived) and either above the
 * appetite or with a treatment other than accept (or none yet).
 */
bool		 risk_plan_wants(const struct risk_matrix *, int score,
		    int treatment /* -1: none */);

/* Today in Japan (UTC+9) at now_us, as yyyymmdd. */
int		 risk_today(int64_t now_us);
/* A "YYYY-MM-DD" date as yyyymmdd, or 0 when it is not a valid date. */
int		 risk_date_parse(const char *);

#endif
