/*
 * svc_adv: advisories (情報提供) — the one loader of an advisory's access
 * facts, and the operations issue, follow up, approve, relay and acknowledge.
 * See svc.h for the context and transaction rules.
 */
#ifndef CS_SVC_ADV_H
#define CS_SVC_ADV_H

#include "svc/svc.h"

struct svc_adv {
	struct store_advisory	 a;
	struct store_adv_version *v;
	size_t			 nv;
	struct store_delivery	*d;
	size_t			 nd;
	int64_t			*orgs;		/* delivered orgs, for the policy */
	struct store_adv_review	*rv;		/* its source reviews, by version */
	size_t			 nrv;
	int64_t			*revorgs;	/* their secretariats, for the policy */
	struct cs_advisory_acl	 acl;
};

/* An advisory's access facts from its row and delivered organisations. */
void		 svc_adv_acl(const struct store_advisory *, const int64_t *delivered,
		    size_t ndelivered, struct cs_advisory_acl *);
/*
 * THE loader of an advisory with its access facts; CS_ENOENT if absent.
 * Versions held by a source review (pending or refused: policy.md "No
 * oracle") are left out unless the acting principal is NISC or one of the
 * reviewing secretariats; a.nversions is then the newest version shown.
 */
enum cs_err	 svc_adv_load(struct svc_ctx *, int64_t id, struct svc_adv *,
		    struct cs_error *) CS_WUR;
/* The same, and the acting principal must read it (else CS_ENOENT). */
enum cs_err	 svc_adv_load_visible(struct svc_ctx *, int64_t id,
		    struct svc_adv *, struct cs_error *) CS_WUR;
/*
 * As one organisation's inbox needs it: the newest version only and only
 * that organisation's delivery (`known`, when the caller has just read it).
 * The policy's answer for `org` is the same as with the whole list.
 */
enum cs_err	 svc_adv_load_for(struct svc_ctx *, int64_t id, int64_t org,
		    const struct store_delivery *known, struct svc_adv *,
		    struct cs_error *) CS_WUR;
void		 svc_adv_fini(struct svc_adv *);
/* The delivery to `org`, or NULL. */
const struct store_delivery *svc_adv_delivery(const struct svc_adv *,
		    int64_t org);

struct svc_adv_in {
	bool		 urgent;		/* issue only */
	json_t		*form;			/* borrowed */
	const int64_t	*related;		/* related reports */
	size_t		 nrelated;
	const int64_t	*consented;		/* sources that consented to be named */
	size_t		 nconsented;
	bool		 checked;		/* the check below already passed */
	int64_t		 drill;			/* issue: of this drill (0: none) */
};

struct svc_adv_out {
	int64_t			id;
	int64_t			t_number;
	int			version;
	enum cs_adv_state	state;
};

/* The form rules of a new advisory (valid, no T-number of its own). */
enum cs_err	 svc_adv_issue_check(const struct svc_adv_in *,
		    struct cs_error *) CS_WUR;
/* Create an advisory; issued at once unless it waits for approval. */
enum cs_err	 svc_adv_issue(struct svc_ctx *, const struct svc_adv_in *,
		    struct svc_adv_out *, struct cs_error *) CS_WUR;
/* Version k+1 of a loaded advisory; the holders hear of it. */
enum cs_err	 svc_adv_followup(struct svc_ctx *, struct svc_adv *,
		    const struct svc_adv_in *, struct svc_adv_out *,
		    struct cs_error *) CS_WUR;
/* The second pair of eyes: issue a pending advisory. */
enum cs_err	 svc_adv_approve(struct svc_ctx *, struct svc_adv *,
		    struct svc_adv_out *, struct cs_error *) CS_WUR;
/*
 * Record that the principal read a loaded advisory: its organisation's
 * delivery is marked read (x keeps the times it had), and the read audited.
 */
enum cs_err	 svc_adv_read(struct svc_ctx *, const struct svc_adv *,
		    struct cs_error *) CS_WUR;
/* Relay to each of `to` (errors name "to.N"), one delivery batch. */
enum cs_err	 svc_adv_relay(struct svc_ctx *, struct svc_adv *,
		    const int64_t *to, size_t nto, struct cs_error *) CS_WUR;
/*
 * The source review (policy.md "No oracle"): the acting CEPTOAR secretariat
 * decides every review of the advisory pending for it (CS_EPERM: none of
 * its own; CS_ECONFLICT: all decided).  A refusal returns the advisory
 * (or leaves a held follow-up undelivered); the last approval delivers it
 * once four-eyes approval, if needed, is done.
 */
struct svc_adv_review_in {
	bool		 approve;
	const char	*comment;		/* for NISC; may be NULL */
};
enum cs_err	 svc_adv_source_review(struct svc_ctx *, struct svc_adv *,
		    const struct svc_adv_review_in *, struct svc_adv_out *,
		    struct cs_error *) CS_WUR;
/*
 * The de-identification hits of every version the acting secretariat's
 * decision would cover (its pending reviews; none pending: the newest it
 * decided), recomputed (never stored): [{"version", "report", "field",
 * "start", "end", "kind", "text"}] (code point spans of the advisory's
 * text).  An empty array for anyone but a reviewer.
 */
enum cs_err	 svc_adv_review_hits(struct svc_ctx *, const struct svc_adv *,
		    json_t **hits, struct cs_error *) CS_WUR;
/* Is version k held (a review of it pending or refused)? */
bool		 svc_adv_version_held(const struct svc_adv *, int k);
/*
 * The state of version k as NISC is told: for a reviewed follow-up of an
 * issued advisory pending_source_review, returned or issued; else the
 * advisory's state.
 */
enum cs_adv_state svc_adv_version_state(const struct svc_adv *, int k);
/* Acknowledge for the principal's organisation; *at: when (first ack). */
enum cs_err	 svc_adv_ack(struct svc_ctx *, struct svc_adv *, int64_t *at,
		    struct cs_error *) CS_WUR;

/*
 * The approver's return for revision (差戻し, adv_actions.c): a pending
 * advisory not yet approved becomes returned_for_revision with the comment
 * (not NULL) kept as a note; the drafter's organisation gets an inbox
 * event; a follow-up (the revised draft) puts it back to approval.
 * CS_ECONFLICT: not awaiting approval; CS_EPERM: the drafter itself.
 */
enum cs_err	 svc_adv_return(struct svc_ctx *, struct svc_adv *,
		    const char *comment, struct svc_adv_out *,
		    struct cs_error *) CS_WUR;
/*
 * After svc_adv_relay: the relay's comment (may be NULL) as a note, and
 * the relaying organisation's own delivery acknowledged (*acked: now).
 */
enum cs_err	 svc_adv_relay_after(struct svc_ctx *, struct svc_adv *,
		    const char *comment, bool *acked, struct cs_error *) CS_WUR;
/*
 * 督促: remind the unacknowledged recipients among orgs (n 0: all) that
 * the acting organisation delivered to (NISC: every recipient); an org
 * that is not one of them is CS_EINVAL "orgs.N".  *reminded (free): the
 * organisations reminded.
 */
enum cs_err	 svc_adv_remind_some(struct svc_ctx *, struct svc_adv *,
		    const int64_t *orgs, size_t n, int64_t **reminded,
		    size_t *nreminded, struct cs_error *) CS_WUR;
/*
 * The comment of a forward of report `report` by the acting organisation
 * (a note; audited as report.forward_comment).
 */
enum cs_err	 svc_report_forward_note(struct svc_ctx *, int64_t report,
		    const char *text, struct cs_error *) CS_WUR;
/* An item's notes of one kind as [{"org", "comment", "at"}]. */
json_t		*svc_notes_json(struct svc_ctx *, enum store_note_kind,
		    int64_t item);

#endif
