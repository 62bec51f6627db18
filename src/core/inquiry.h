/*
 * inquiry: who asks, reads and answers inquiries (問合せ) about an
 * advisory, and the questions operators send their ministry first.  The
 * 情報提供様式 names NISC as the contact "for inquiries from CI ministries
 * only" (本件問合せ先（重要インフラ所管省庁からの問合せに限る。）): a ministry
 * liaison of an organisation the advisory was delivered to asks NISC; an
 * operator or CEPTOAR secretariat the advisory reached asks its ministry,
 * which answers it or forwards it to NISC as its own inquiry.  Pure: no
 * store, no I/O.  docs/policy.md "Inquiries".
 */
#ifndef CS_INQUIRY_H
#define CS_INQUIRY_H

#include <jansson.h>

#include "core/core.h"

#define CS_MAX_INQUIRY	4000	/* code points of an inquiry, question or answer */

/*
 * May the principal send NISC an inquiry about the advisory?  CS_ENOENT
 * ("no such advisory") unless it reads the advisory and it was delivered
 * to its organisation; CS_EPERM unless it is a ci_ministry liaison.
 */
enum cs_err	 policy_inquiry_may_send(const struct cs_principal *,
		    const struct cs_advisory_acl *, struct cs_error *) CS_WUR;
/* NISC reads every inquiry; a ministry those it sent. */
bool		 policy_inquiry_may_read(const struct cs_principal *,
		    int64_t inquiry_org);
/* NISC analysts answer. */
bool		 policy_inquiry_may_answer(const struct cs_principal *);
/*
 * May the principal ask its ministry about the advisory?  CS_ENOENT
 * unless the advisory was delivered to its organisation; CS_EPERM unless
 * it is a ci_operator or a CEPTOAR secretariat.
 */
enum cs_err	 policy_question_may_ask(const struct cs_principal *,
		    const struct cs_advisory_acl *, struct cs_error *) CS_WUR;
/* The asking organisation and the ministry it was addressed to. */
bool		 policy_question_may_read(const struct cs_principal *,
		    int64_t asker_org, int64_t ministry);
/* The addressed ministry's liaison forwards or answers. */
bool		 policy_question_may_handle(const struct cs_principal *,
		    int64_t ministry);
/*
 * The ministry a question of an organisation with `sectors` goes to:
 * among the delivered organisations that are ci_ministries (candidates,
 * with their sectors), the first responsible for one of the asker's
 * sectors; 0 when none received the advisory.
 */
int64_t		 core_question_ministry(uint32_t asker_sectors,
		    const struct cs_org_ref *ministries, size_t n);
/* body's `key`: a required string of 1..CS_MAX_INQUIRY code points. */
enum cs_err	 core_inquiry_text(json_t *body, const char *key,
		    const char **out, struct cs_error *) CS_WUR;

/* NISC's handling state of a received report (未処理/担当/処理済). */
enum cs_triage { TRIAGE_OPEN = 0, TRIAGE_ASSIGNED, TRIAGE_DONE };
const char	*core_triage_id(enum cs_triage);
int		 core_triage_parse(const char *, enum cs_triage *);

#endif
