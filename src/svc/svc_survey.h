/*
 * svc_survey: the yearly self-assessment survey (安全基準等の浸透状況調査;
 * API.md "Survey and risk", issue 14, docs/survey.md).  NISC opens a
 * fiscal-year campaign for chosen sectors on one catalogue edition; each
 * CI operator of those sectors drafts its answers (one per control of the
 * edition) and its org_admin — the responsible person — submits them;
 * NISC and the ministries see who submitted in their sectors and the
 * sector aggregates (cells of fewer than k respondents suppressed, k =
 * --stats-k), never an operator's answers unless it shared them.  Who sees
 * what: core/policy.c (policy_survey_*).  Every operation is one call in
 * the caller's transaction and audited.
 */
#ifndef CS_SVC_SURVEY_H
#define CS_SVC_SURVEY_H

#include "svc/svc.h"

/* {"fiscal_year", "sectors": [...], "edition"}: NISC opens a campaign. */
enum cs_err	 svc_survey_open(struct svc_ctx *, json_t *body, int64_t *id,
		    struct cs_error *) CS_WUR;
/* NISC closes it: no answer or submission after (409). */
enum cs_err	 svc_survey_close(struct svc_ctx *, int64_t id,
		    struct cs_error *) CS_WUR;
/* The campaigns the caller sees (an operator: with its own state). */
enum cs_err	 svc_survey_list(struct svc_ctx *, json_t **items,
		    struct cs_error *) CS_WUR;
/* One campaign; an operator also gets its own answers ("mine"). */
enum cs_err	 svc_survey_get(struct svc_ctx *, int64_t id, json_t **out,
		    struct cs_error *) CS_WUR;
/*
 * {"items": {"<control id>": {"status", "note", "owner"}}}: an operator
 * of the campaign's sectors saves these answers to its draft (others
 * kept); all checked before anything is written.
 */
enum cs_err	 svc_survey_answer(struct svc_ctx *, int64_t id, json_t *body,
		    json_t **out, struct cs_error *) CS_WUR;
/* The org_admin submits the draft: every item answered, once. */
enum cs_err	 svc_survey_submit(struct svc_ctx *, int64_t id,
		    struct cs_error *) CS_WUR;
/* {"shared": bool}: the org_admin shows its answers to NISC and its ministries. */
enum cs_err	 svc_survey_share(struct svc_ctx *, int64_t id, json_t *body,
		    struct cs_error *) CS_WUR;
/* NISC, a ministry: who submitted in its sectors (never answers). */
enum cs_err	 svc_survey_progress(struct svc_ctx *, int64_t id, json_t **out,
		    struct cs_error *) CS_WUR;
/*
 * An operator: its scores per category, ranked gaps, last campaign's;
 * NISC, a ministry: sector aggregates with k suppression.
 */
enum cs_err	 svc_survey_results(struct svc_ctx *, int64_t id, json_t **out,
		    struct cs_error *) CS_WUR;
/* One respondent's answers: itself, or NISC/its ministries when shared. */
enum cs_err	 svc_survey_respondent(struct svc_ctx *, int64_t id, int64_t org,
		    json_t **out, struct cs_error *) CS_WUR;

#endif
