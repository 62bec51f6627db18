// hints.js: which actions and targets to OFFER.  These mirror the server's
// rules (src/core/policy.c) only so the UI does not show buttons that cannot
// work; the server alone decides, and its refusal is shown if it disagrees.
import { TLPS } from './spec.js';

const has = (me, ...roles) => roles.some(r => (me.roles || []).includes(r));

export function reportActions(me, rep) {
	const rel = rep.relation;
	const states = rep.versions.map(v => v.state);
	return {
		followup: rel === 'submitter' && has(me, 'member', 'poc', 'org_admin'),
		forward: (rel === 'ceptoar' && has(me, 'poc', 'member', 'org_admin') && states.includes('at_ceptoar')) ||
		    (rel === 'ministry' && has(me, 'liaison') && states.includes('at_ministry')),
		share: (rel === 'nisc' && has(me, 'analyst', 'approver')) || (rel === 'ministry' && has(me, 'liaison')) ||
		    (rel === 'ceptoar' && has(me, 'poc', 'member', 'org_admin')) ||
		    (rel === 'submitter' && !rep.anonymised && has(me, 'member', 'poc', 'org_admin')),
		widen: rel === 'nisc' && has(me, 'analyst', 'approver'),
	};
}

const GREEN_TYPES = new Set(['nisc', 'ci_ministry', 'incident_response_ministry', 'cybersecurity_ministry',
	'disaster_management_ministry', 'cybersecurity_agency', 'cyberspace_business', 'ceptoar_secretariat', 'ci_operator']);

export function reportInCeiling(tlp, sector, o) {
	switch (tlp) {
	case 'red':
		return o.type === 'nisc' || (o.type === 'ci_ministry' && o.sectors.includes(sector));
	case 'amber_strict':
	case 'amber':
		return o.type === 'nisc' || (['ci_ministry', 'ceptoar_secretariat', 'ci_operator'].includes(o.type) && o.sectors.includes(sector));
	case 'green':
		return GREEN_TYPES.has(o.type);
	case 'clear':
		return o.type !== 'platform';
	default:
		return false;
	}
}

export function shareCandidates(me, rep, orgs) {
	const onPath = new Set(rep.path.map(p => p.org));
	const shared = new Set((rep.shared_with || []).map(s => s.org));
	const extra = new Set(rep.extra_recipients || []);
	return [...orgs.values()].filter(o => o.id !== me.org.id && !onPath.has(o.id) && !shared.has(o.id) && o.type !== 'platform' &&
	    (reportInCeiling(rep.tlp, rep.sector, o) || extra.has(o.id) ||
	     (rep.relation === 'nisc' && (o.type === 'cas_crisis_management' || (o.type === 'cybersecurity_agency' && o.pre_arranged)))));
}

export function advisoryInCeiling(tlp, sectors, o) {
	if (o.type === 'nisc')
		return true;
	const inSec = o.sectors.some(s => sectors.includes(s));
	switch (tlp) {
	case 'red':
		return o.type === 'ci_ministry' && inSec;
	case 'amber_strict':
	case 'amber':
		return ['ci_ministry', 'ceptoar_secretariat', 'ci_operator'].includes(o.type) && inSec;
	case 'green':
		return ['ci_ministry', 'ceptoar_secretariat', 'ci_operator'].includes(o.type);
	case 'clear':
		return o.type !== 'platform';
	default:
		return false;
	}
}

export function advisoryActions(me, adv) {
	const type = me.org?.type;
	const delivered = !!adv.my_delivery;
	return {
		ack: delivered && !adv.my_delivery.acknowledged_at,
		relay: adv.state === 'issued' && ((type === 'nisc' && has(me, 'analyst', 'approver')) || (delivered && adv.tlp !== 'red' &&
		    ((type === 'ci_ministry' && has(me, 'liaison')) || (type === 'ceptoar_secretariat' && has(me, 'poc', 'org_admin'))))),
		approve: type === 'nisc' && (adv.state === 'pending_approval' || (adv.state === 'pending_source_review' && !adv.approved_by)) && has(me, 'approver'),
		followup: type === 'nisc' && has(me, 'analyst', 'approver'),
		// 差戻し: a second NISC approver, before approval.
		returnDraft: type === 'nisc' && adv.state === 'pending_approval' && !adv.approved_by && has(me, 'approver') &&
		    adv.created_by !== me.id,
		// 督促: unacknowledged recipients the caller delivered to (NISC: all).
		remind: adv.state === 'issued' && remindTargets(me, adv).length > 0 &&
		    ((type === 'nisc' && has(me, 'analyst', 'approver')) || (type === 'ci_ministry' && has(me, 'liaison')) ||
		     (type === 'ceptoar_secretariat' && has(me, 'poc', 'org_admin'))),
	};
}

// The organisations a reminder from the caller would reach.
export function remindTargets(me, adv) {
	const hops = adv.delivery?.hops || [];
	return hops.filter(x => !x.acknowledged_at && x.org !== me.org?.id &&
	    (me.org?.type === 'nisc' || x.from_org === me.org?.id)).map(x => x.org);
}

export function relayCandidates(me, adv, orgs) {
	const have = new Set((adv.delivery?.hops || []).map(x => x.org));
	return [...orgs.values()].filter(o => {
		if (have.has(o.id) || o.id === me.org.id)
			return false;
		// ※1: NISC passes an advisory on only to the parties it may always share with.
		if (me.org.type === 'nisc')
			return o.type === 'cas_crisis_management' || (o.type === 'cybersecurity_agency' && o.pre_arranged);
		if (me.org.type === 'ci_ministry' && !['ceptoar_secretariat', 'ci_operator'].includes(o.type))
			return false;
		if (me.org.type === 'ceptoar_secretariat' && !(o.type === 'ci_operator' &&
		    (o.ceptoar === me.org.id || (o.ceptoar == null && o.sectors.some(s => me.org.sectors.includes(s))))))
			return false;
		return advisoryInCeiling(adv.tlp, adv.sectors, o);
	});
}

export function narrowerOrEqual(tlp, max) {
	return TLPS.indexOf(tlp) <= TLPS.indexOf(max);
}
