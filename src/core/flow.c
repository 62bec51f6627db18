/*
 * flow.c: report and advisory life-cycle rules (see flow.h).  Pure.
 */
#include "core/flow.h"

enum cs_err
flow_report_route_check(enum cs_route route, bool legal_duty,
    struct cs_error *e)
{
	if (route == ROUTE_VIA_CEPTOAR && legal_duty)
		return cs_fail(e, CS_EINVAL, "route", "an event with a legal "
		    "reporting duty goes to the ministry, not through the "
		    "anonymised CEPTOAR route (行動計画 別添 2.2)");
	return CS_OK;
}

enum cs_state
flow_report_initial_state(enum cs_route route)
{
	switch (route) {
	case ROUTE_VIA_CEPTOAR:	return ST_AT_CEPTOAR;
	case ROUTE_URGENT:	return ST_AT_NISC;
	default:		return ST_AT_MINISTRY;
	}
}

bool
flow_report_numbered_at_source(enum cs_route route)
{
	return route == ROUTE_URGENT;
}

enum cs_state
flow_version_reached(enum cs_route route, bool any, bool ceptoar, bool ministry)
{
	if (!any)
		return ST_AT_CEPTOAR;
	if (ministry || route == ROUTE_URGENT)
		return ST_AT_NISC;
	if (route == ROUTE_VIA_CEPTOAR && !ceptoar)
		return ST_AT_CEPTOAR;
	return ST_AT_MINISTRY;
}

enum cs_state
flow_share_reach(int64_t by_org, int64_t submitter_org,
    const struct cs_path_entry *path, size_t npath)
{
	enum cs_state s = ST_AT_NISC;

	if (by_org == submitter_org)
		s = ST_AT_CEPTOAR;
	for (size_t k = 0; k < npath; k++)
		if (path[k].org_id == by_org)
			s = path[k].org_type == ORG_CEPTOAR_SEC ? ST_AT_CEPTOAR :
			    path[k].org_type == ORG_CI_MINISTRY ? ST_AT_MINISTRY :
			    ST_AT_NISC;
	return s;
}

enum cs_err
flow_forward_hop(enum cs_relation rel, enum cs_hop *hop, struct cs_error *e)
{
	*hop = HOP_SOURCE;
	if (rel == REL_CEPTOAR)
		*hop = HOP_CEPTOAR;
	else if (rel == REL_MINISTRY)
		*hop = HOP_MINISTRY;
	else
		return cs_fail(e, CS_EPERM, "", "only the CEPTOAR secretariat or "
		    "the ministry on the report's path forwards it");
	return CS_OK;
}

enum cs_err
flow_forward_plan(enum cs_hop hop, struct flow_version *v, int n, int *last,
    struct cs_error *e)
{
	int first = 0;

	*last = 0;
	for (int k = 1; k <= n; k++) {
		v[k - 1].moves = false;
		if (v[k - 1].at_hop)
			continue;
		if (hop == HOP_CEPTOAR && v[k - 1].reached != ST_AT_CEPTOAR)
			continue;
		if (hop == HOP_MINISTRY && v[k - 1].reached < ST_AT_MINISTRY)
			continue;
		if (first == 0)
			first = k;
		*last = k;
	}
	if (first == 0)
		return cs_fail(e, CS_ECONFLICT, "", "nothing to forward: every "
		    "version has already left your hop");
	/* Everything from the first to the last not yet at this hop moves. */
	for (int k = first; k <= *last; k++)
		v[k - 1].moves = !v[k - 1].at_hop;
	return CS_OK;
}

enum cs_state
flow_forward_state(enum cs_hop hop, enum cs_state now)
{
	if (hop == HOP_CEPTOAR)
		return now < ST_AT_MINISTRY ? ST_AT_MINISTRY : now;
	return ST_AT_NISC;
}

bool
flow_forward_numbers(enum cs_hop hop)
{
	return hop == HOP_MINISTRY;
}

enum cs_err
flow_tlp_check(enum cs_tlp before, enum cs_tlp form, bool hop,
    struct cs_error *e)
{
	if (form <= before)
		return CS_OK;
	return cs_fail(e, CS_EINVAL, "form.tlp", "a %s may narrow the sharing "
	    "range but not widen it (%s %s)", hop ? "hop" : "follow-up",
	    hop ? "received" : "now", core_tlp_id(before));
}

enum cs_tlp
flow_tlp_narrowed(enum cs_tlp series, enum cs_tlp form)
{
	return form < series ? form : series;
}

bool
flow_adv_needs_approval(bool four_eyes_alert, bool four_eyes_all,
    enum cs_importance imp)
{
	return (four_eyes_alert && imp == IMP_ALERT) || four_eyes_all;
}

enum cs_adv_state
flow_adv_hold(size_t pending, size_t refused, bool needs_approval,
    bool approved)
{
	if (refused > 0)
		return ADV_RETURNED;
	if (pending > 0)
		return ADV_PENDING_SOURCE_REVIEW;
	if (needs_approval && !approved)
		return ADV_PENDING_APPROVAL;
	return ADV_ISSUED;
}

bool
flow_adv_version_released(size_t pending, size_t refused)
{
	return pending == 0 && refused == 0;
}

bool
flow_adv_may_approve(enum cs_adv_state s)
{
	return s == ADV_PENDING_APPROVAL || s == ADV_PENDING_SOURCE_REVIEW;
}

bool
flow_widening_wider(enum cs_tlp want, uint32_t want_sectors,
    enum cs_tlp report_tlp, int report_sector)
{
	return !(want <= report_tlp &&
	    (want_sectors & ~(1u << report_sector)) == 0);
}
