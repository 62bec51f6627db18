/*
 * flow: the life cycles of reports and advisories as pure rules: which
 * route a report may take, the state each step leaves it in, how far a
 * version has travelled, which versions a hop forwards, how TLP may narrow,
 * and when an advisory needs a second pair of eyes.  No store, no I/O:
 * src/svc combines these with the store inside a transaction.
 *
 * Dependencies: core.h (enums, cs_error).  Thread-safety: reentrant.
 */
#ifndef CS_FLOW_H
#define CS_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/*
 * A report with a legal reporting duty goes to the ministry, never through
 * the anonymised CEPTOAR route (行動計画 別添 2.2): CS_EINVAL naming "route".
 */
enum cs_err	 flow_report_route_check(enum cs_route, bool legal_duty,
		    struct cs_error *) CS_WUR;
/* The state a newly filed report starts in. */
enum cs_state	 flow_report_initial_state(enum cs_route);
/* Is version k numbered (R<n>-k) as the source files it?  Urgent only. */
bool		 flow_report_numbered_at_source(enum cs_route);

/*
 * How far a version has travelled, from which hop rows it has: any (at
 * least one row), ceptoar (a HOP_CEPTOAR row), ministry (a HOP_MINISTRY row).
 */
enum cs_state	 flow_version_reached(enum cs_route, bool any, bool ceptoar,
		    bool ministry);
/*
 * How far a version must have travelled before a share made by `by_org`
 * shows it: the sharer's own hop (a share never shows what the sharer has
 * not received).
 */
enum cs_state	 flow_share_reach(int64_t by_org, int64_t submitter_org,
		    const struct cs_path_entry *path, size_t npath);

/*
 * The hop an organisation forwards from, by its relation to the report:
 * HOP_CEPTOAR or HOP_MINISTRY; CS_EPERM for any other relation.
 */
enum cs_err	 flow_forward_hop(enum cs_relation, enum cs_hop *,
		    struct cs_error *) CS_WUR;
/* What a forward needs to know of version k (v[k - 1]). */
struct flow_version {
	bool		 at_hop;	/* it already has a row at the forwarding hop */
	enum cs_state	 reached;	/* how far it has travelled */
	bool		 moves;		/* set by flow_forward_plan() */
};

/*
 * Which of versions 1..n a forward from `hop` moves: sets v[k - 1].moves
 * and *last (the version a form patch applies to); CS_ECONFLICT when
 * nothing moves.
 */
enum cs_err	 flow_forward_plan(enum cs_hop hop, struct flow_version *v, int n,
		    int *last, struct cs_error *) CS_WUR;
/* The report's state after a forward from `hop`. */
enum cs_state	 flow_forward_state(enum cs_hop hop, enum cs_state now);
/* Does a forward from `hop` join NISC, assign the R-number, number versions? */
bool		 flow_forward_numbers(enum cs_hop hop);

/*
 * TLP only narrows: a follow-up (hop false) against the series' TLP, a
 * forwarding hop against the version it received.  CS_EINVAL "form.tlp".
 */
enum cs_err	 flow_tlp_check(enum cs_tlp before, enum cs_tlp form, bool hop,
		    struct cs_error *) CS_WUR;
/* The series' effective TLP after a version at `form`: the strictest. */
enum cs_tlp	 flow_tlp_narrowed(enum cs_tlp series, enum cs_tlp form);

/* Does an advisory of this importance wait for a second NISC approver? */
bool		 flow_adv_needs_approval(bool four_eyes_alert, bool four_eyes_all,
		    enum cs_importance);
/*
 * Where an advisory not yet issued stands after the source reviews of its
 * newest version (policy.md "No oracle"): a refusal returns it, a pending
 * review holds it, then a missing four-eyes approval; else it is issued
 * (ADV_ISSUED: the caller delivers).  Review and approval are independent:
 * the approver may approve while the reviews are pending.
 */
enum cs_adv_state flow_adv_hold(size_t pending, size_t refused,
		    bool needs_approval, bool approved);
/* Does a version reach the holders (no review of it pending or refused)? */
bool		 flow_adv_version_released(size_t pending, size_t refused);
/* May an advisory in this state take its four-eyes approval? */
bool		 flow_adv_may_approve(enum cs_adv_state);
/* Is a widening request (tlp, sectors) wider than the report's own scope? */
bool		 flow_widening_wider(enum cs_tlp want, uint32_t want_sectors,
		    enum cs_tlp report_tlp, int report_sector);

#endif
