/*
 * survey: the yearly self-assessment survey's pure rules (issue 14;
 * docs/survey.md): the answer statuses, a respondent's scores per catalogue
 * category and its gaps ranked by priority, the distribution buckets of
 * the aggregates.  No store, no I/O; the catalogue is gen/vocab.h's
 * vocab_controls (one edition at a time).
 */
#ifndef CS_CORE_SURVEY_H
#define CS_CORE_SURVEY_H

#include <stdbool.h>
#include <stddef.h>

#include "gen/vocab.h"

/* An answer's status (stored: do not renumber); 0 = not answered. */
enum survey_status {
	SURVEY_UNANSWERED = 0,
	SURVEY_IMPLEMENTED,
	SURVEY_PARTIAL,
	SURVEY_PLANNED,
	SURVEY_NOT_APPLICABLE,
	SURVEY_NOT_IMPLEMENTED,
	SURVEY__COUNT
};

/* "implemented" ...; "" for SURVEY_UNANSWERED. */
const char	*survey_status_id(int);
/* The status named id, or -1 (SURVEY_UNANSWERED is not a valid answer). */
int		 survey_status_parse(const char *id);

/* One answer as the rules see it. */
struct survey_answer {
	const char	*control;	/* a control id of the edition */
	int		 status;	/* enum survey_status */
};

/*
 * Score of a category: implemented counts 2 half-points, partial 1,
 * planned, not implemented and unanswered 0; not applicable is left out
 * of `applicable`.  percent = round(100 * points / (2 * applicable)), -1
 * when nothing applies.
 */
struct survey_score {
	const char	*category;	/* vocab_control_category id; NULL: overall */
	int		 items;
	int		 applicable;
	int		 points;	/* half-points */
	int		 percent;
	int		 count[SURVEY__COUNT];	/* items by status */
};

/*
 * Scores of the edition's items given answers a[0..n) (answers to other
 * editions' ids are ignored): out[0] overall, then one per category in
 * vocab_control_category order that has items in the edition.  Returns
 * the number written (at most 1 + vocab_control_category_n).
 */
size_t		 survey_scores(const char *edition, const struct survey_answer *a,
		    size_t n, struct survey_score *out, size_t max);

/* A gap: an item implemented partially, planned, not implemented or unanswered. */
struct survey_gap {
	const struct vocab_control *c;
	int		 status;
	int		 rank;		/* 1 = first to close */
};

/*
 * The edition's gaps given a[0..n), ranked by the priority logic of
 * docs/survey.md ("Gap priority"): 手引書 6.2 (prioritise by the
 * organisation's policy, risk and cost-effectiveness) with 指針 1.3
 * (mandatory-phrased items first, those with recommended parts after) and
 * 手引書 6.1 (prevention and detection before response: PDCA Plan, Do,
 * then Check and Act); then the larger gap first (not implemented or
 * unanswered, planned, partial); then more mandatory requirements; then
 * catalogue order.  Returns the count written to out (at most max).
 */
size_t		 survey_gaps(const char *edition, const struct survey_answer *a,
		    size_t n, struct survey_gap *out, size_t max);

/* The distribution bucket of a percent (0: 0-19 ... 4: 80-100). */
#define SURVEY_BUCKETS	5
int		 survey_bucket(int percent);

#endif
