/*
 * svc_inquiry: inquiries (問合せ) about an advisory, the questions an
 * operator or CEPTOAR secretariat asks its ministry, a user's task list
 * and NISC's handling state of received reports (issue 15 items 3 and 4;
 * the rules are core's inquiry.c).  See svc.h for the context.
 */
#ifndef CS_SVC_INQUIRY_H
#define CS_SVC_INQUIRY_H

#include "core/inquiry.h"
#include "svc/svc_adv.h"

/* A ministry liaison asks NISC about a loaded advisory; sets *id. */
enum cs_err	 svc_inquiry_send(struct svc_ctx *, const struct svc_adv *,
		    const char *text, int64_t *id, struct cs_error *) CS_WUR;
/* The inquiries of a loaded advisory the principal reads (a new array). */
enum cs_err	 svc_inquiry_list(struct svc_ctx *, const struct svc_adv *,
		    json_t **out, struct cs_error *) CS_WUR;
/* Is inquiry id there for the principal (else CS_ENOENT)? */
enum cs_err	 svc_inquiry_visible(struct svc_ctx *, int64_t id,
		    struct cs_error *) CS_WUR;
/* NISC answers inquiry id once (CS_ECONFLICT: answered already). */
enum cs_err	 svc_inquiry_answer(struct svc_ctx *, int64_t id,
		    const char *text, json_t **out, struct cs_error *) CS_WUR;

/* An operator or CEPTOAR secretariat asks its ministry; sets *id. */
enum cs_err	 svc_question_ask(struct svc_ctx *, const struct svc_adv *,
		    const char *text, int64_t *id, struct cs_error *) CS_WUR;
enum cs_err	 svc_question_list(struct svc_ctx *, const struct svc_adv *,
		    json_t **out, struct cs_error *) CS_WUR;
enum cs_err	 svc_question_visible(struct svc_ctx *, int64_t id,
		    struct cs_error *) CS_WUR;
/*
 * The ministry forwards question id to NISC as its inquiry (text: the
 * wording NISC gets; NULL: the question's own); sets *inquiry.
 */
enum cs_err	 svc_question_forward(struct svc_ctx *, int64_t id,
		    const char *text, int64_t *inquiry, struct cs_error *) CS_WUR;
/* The ministry answers question id itself. */
enum cs_err	 svc_question_answer(struct svc_ctx *, int64_t id,
		    const char *text, json_t **out, struct cs_error *) CS_WUR;

/* The principal's to-do list: {"count", "items": [...]} (tasks.c). */
enum cs_err	 svc_tasks(struct svc_ctx *, json_t **out, struct cs_error *) CS_WUR;
/* NISC sets the handling state of a received report (tasks.c). */
enum cs_err	 svc_triage_set(struct svc_ctx *, int64_t report, enum cs_triage,
		    json_t **out, struct cs_error *) CS_WUR;
/* The handling state of the newest handled reports (NISC). */
enum cs_err	 svc_triage_list(struct svc_ctx *, json_t **out,
		    struct cs_error *) CS_WUR;

#endif
