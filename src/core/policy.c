/*
 * policy.c: the one visibility policy.  Who may read a report, who may share
 * it with whom, and which of its versions and hop forms a reader sees.
 *
 * The rules come from API.md "Who reads a report" and shared/spec/tlp.json
 * (report audience).  Decisions where the spec leaves room are listed in
 * docs/policy.md; in short:
 *  - the submitting organisation and each organisation on the handling path
 *    (CEPTOAR secretariat, ministry, NISC) always read what reached them: they
 *    are the senders and addressees of the form;
 *  - an organisation the report was shared with reads it only while it lies
 *    inside the report's TLP ceiling, or was added by the sender
 *    (extra_recipients), or is a ※1 party (cas_crisis_management, or a
 *    cybersecurity agency NISC marked pre-arranged);
 *  - inside every reading organisation, users the TLP does not admit are
 *    refused: nda_contractor users never read AMBER+STRICT (nor RED, the
 *    narrower level);
 *  - the platform's own organisation (the admins) is never on a path, so it
 *    reads nothing.
 */
#include <string.h>

#include <sodium.h>

#include "core/attach.h"
#include "core/core.h"

static bool
has_sector(uint32_t set, int sector)
{
	return sector >= 0 && sector < CS_NSECTORS && (set & (1u << sector));
}

bool
policy_report_in_ceiling(enum cs_tlp tlp, int sector, const struct cs_org_ref *o)
{
	switch (tlp) {
	case TLP_RED:
		/* NISC and the ministry concerned (tlp.json text_audience). */
		return o->type == ORG_NISC ||
		    (o->type == ORG_CI_MINISTRY && has_sector(o->sectors, sector));
	case TLP_AMBER_STRICT:
	case TLP_AMBER:
		if (o->type == ORG_NISC)
			return true;
		return (o->type == ORG_CI_MINISTRY || o->type == ORG_CEPTOAR_SEC ||
		    o->type == ORG_CI_OPERATOR) && has_sector(o->sectors, sector);
	case TLP_GREEN:
		switch (o->type) {
		case ORG_NISC:
		case ORG_CI_MINISTRY:
		case ORG_IR_MINISTRY:
		case ORG_CS_MINISTRY:
		case ORG_DM_MINISTRY:
		case ORG_CS_AGENCY:
		case ORG_CYBER_BUSINESS:
		case ORG_CEPTOAR_SEC:
		case ORG_CI_OPERATOR:
			return true;
		default:
			return false;
		}
	case TLP_CLEAR:
		return o->type != ORG_PLATFORM;
	}
	return false;
}

/* The ※1 exception: parties NISC may always share with. */
static bool
nisc_exception(const struct cs_org_ref *o)
{
	return o->type == ORG_CAS || (o->type == ORG_CS_AGENCY && o->pre_arranged);
}

/* Whether org is one of the n organisations in list. */
static bool
org_in(const int64_t *list, size_t n, int64_t org)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == org)
			return true;
	return false;
}

static bool
in_extra(const struct cs_report_acl *r, int64_t org)
{
	return org_in(r->extra, r->nextra, org);
}

/* Was the report shared with org under a disclosure basis? */
static bool
disclosed_to(const struct cs_report_acl *r, int64_t org)
{
	if (r->shared_disclosure == NULL)
		return false;
	for (size_t i = 0; i < r->nshared; i++)
		if (r->shared[i].id == org && r->shared_disclosure[i] != 0)
			return true;
	return false;
}

static bool
is_submitter(const struct cs_principal *p, const struct cs_report_acl *r)
{
	unsigned char tag[32];

	if (!r->anonymised)
		return r->submitter_org != 0 && r->submitter_org == p->org_id;
	if (!core_keys_ready())
		return false;
	core_anon_tag(r->id, p->org_id, tag);
	return sodium_memcmp(tag, r->anon_tag, sizeof(tag)) == 0;
}

enum cs_relation
policy_report_relation(const struct cs_principal *p, const struct cs_report_acl *r)
{
	if (p == NULL || p->org_type == ORG_PLATFORM || p->org_id == 0)
		return REL_NONE;
	if (is_submitter(p, r))
		return REL_SUBMITTER;
	for (size_t i = 0; i < r->npath; i++) {
		if (r->path[i].org_id != p->org_id)
			continue;
		switch (r->path[i].org_type) {
		case ORG_CEPTOAR_SEC:
			return REL_CEPTOAR;
		case ORG_CI_MINISTRY:
			return REL_MINISTRY;
		case ORG_NISC:
			return REL_NISC;
		default:
			break;
		}
	}
	for (size_t i = 0; i < r->nshared; i++)
		if (r->shared[i].id == p->org_id)
			return REL_SHARED;
	return REL_NONE;
}

/* Personnel restriction inside an admitted organisation. */
static bool
personnel_ok(const struct cs_principal *p, enum cs_tlp tlp)
{
	if (p->nda_contractor && tlp <= TLP_AMBER_STRICT)
		return false;
	return true;
}

static void
principal_org(const struct cs_principal *p, struct cs_org_ref *o)
{
	o->id = p->org_id;
	o->type = p->org_type;
	o->sectors = p->org_sectors;
	o->pre_arranged = p->org_pre_arranged;
}

/*
 * 別紙４－２: while the large-scale mode is on, 内閣官房（事態対処・危機管理担当）
 * and the incident-response and disaster-management ministries join NISC
 * for the affected sectors: they read what NISC received of them, below RED
 * (RED stays with NISC and the ministry concerned).
 */
static bool
large_scale_reader(const struct cs_principal *p, int sector, enum cs_tlp tlp)
{
	return p != NULL && (p->org_type == ORG_CAS ||
	    p->org_type == ORG_IR_MINISTRY || p->org_type == ORG_DM_MINISTRY) &&
	    sector >= 0 && sector < 32 && (p->ls_sectors & (1u << sector)) != 0 &&
	    tlp != TLP_RED && personnel_ok(p, tlp);
}

/* A ministry holds the report: a version left the anonymising hop. */
static bool
reached_ministry(const struct cs_report_acl *r)
{
	for (size_t i = 0; i < r->npath; i++)
		if (r->path[i].org_type == ORG_CI_MINISTRY)
			return true;
	return false;
}

bool
policy_report_may_read(const struct cs_principal *p, const struct cs_report_acl *r)
{
	struct cs_org_ref self;
	enum cs_relation rel;

	if (p != NULL && p->fed_peer && r->tlp == TLP_RED)
		return false;	/* RED never leaves the node */
	rel = policy_report_relation(p, r);
	if (rel == REL_NONE) {
		for (size_t i = 0; i < r->npath; i++)
			if (r->path[i].org_type == ORG_NISC)
				return large_scale_reader(p, r->sector, r->tlp);
		return false;
	}
	if (!personnel_ok(p, r->tlp))
		return false;
	if (rel != REL_SHARED)
		return true;
	/*
	 * Shared, anonymised: nothing is read before a version left the
	 * anonymising hop in clear (policy_report_version_visible); an empty
	 * report would tell that a member of the CEPTOAR filed, when and at
	 * which TLP (found by the property test, tests/prop).
	 */
	if (r->anonymised && !reached_ministry(r))
		return false;
	/* Shared: must still lie inside the ceiling (a follow-up may tighten it). */
	principal_org(p, &self);
	return policy_report_in_ceiling(r->tlp, r->sector, &self) ||
	    in_extra(r, p->org_id) || nisc_exception(&self) ||
	    disclosed_to(r, p->org_id);
}

/* Shares; `disclosed`: under a disclosure basis, past the ceiling. */
static enum cs_err
may_share(const struct cs_principal *p, const struct cs_report_acl *r,
    const struct cs_org_ref *t, const char *field, bool disclosed,
    struct cs_error *e)
{
	enum cs_relation rel;
	unsigned need;

	if (!policy_report_may_read(p, r))
		return cs_fail(e, CS_ENOENT, "", "no such report");
	rel = policy_report_relation(p, r);
	switch (rel) {
	case REL_NISC:
		need = ROLE_ANALYST | ROLE_APPROVER;
		break;
	case REL_MINISTRY:
		need = ROLE_LIAISON;
		break;
	case REL_CEPTOAR:
		need = ROLE_POC | ROLE_MEMBER | ROLE_ORG_ADMIN;
		break;
	case REL_SUBMITTER:
		if (r->anonymised)
			return cs_fail(e, CS_EPERM, "", "an anonymised report is "
			    "shared by its CEPTOAR secretariat, not by its source");
		need = ROLE_MEMBER | ROLE_POC | ROLE_ORG_ADMIN;
		break;
	default:
		return cs_fail(e, CS_EPERM, "", "only an organisation that holds "
		    "the report (its source, CEPTOAR secretariat, ministry or NISC) "
		    "may share it");
	}
	if ((p->roles & need) == 0)
		return cs_fail(e, CS_EPERM, "", "your roles do not allow sharing "
		    "this report");
	if (t->type == ORG_PLATFORM)
		return cs_fail(e, CS_EINVAL, field, "no such organisation");
	if (policy_report_in_ceiling(r->tlp, r->sector, t) || in_extra(r, t->id))
		return CS_OK;
	if (rel == REL_NISC && nisc_exception(t))
		return CS_OK;
	if (disclosed)
		return CS_OK;
	return cs_fail(e, CS_EPERM, field, "organisation %lld is outside the "
	    "report's TLP:%s sharing range; name a disclosure basis recorded "
	    "on the report to share it there", (long long)t->id,
	    core_tlp_id(r->tlp));
}

enum cs_err
policy_report_may_share(const struct cs_principal *p,
    const struct cs_report_acl *r, const struct cs_org_ref *t,
    const char *field, struct cs_error *e)
{
	return may_share(p, r, t, field, false, e);
}

enum cs_err
policy_report_may_share_disclosed(const struct cs_principal *p,
    const struct cs_report_acl *r, const struct cs_org_ref *t,
    const char *field, struct cs_error *e)
{
	return may_share(p, r, t, field, true, e);
}

bool
policy_report_may_see_identity(const struct cs_principal *p,
    const struct cs_report_acl *r)
{
	enum cs_relation rel;

	if (!policy_report_may_read(p, r))
		return false;
	if (!r->anonymised)
		return true;
	rel = policy_report_relation(p, r);
	return rel == REL_SUBMITTER || rel == REL_CEPTOAR;
}

bool
policy_report_version_visible(const struct cs_principal *p,
    const struct cs_report_acl *r, enum cs_state reached)
{
	if (!policy_report_may_read(p, r))
		return false;
	switch (policy_report_relation(p, r)) {
	case REL_SUBMITTER:
	case REL_CEPTOAR:
		return true;
	case REL_MINISTRY:
		return reached >= ST_AT_MINISTRY;
	case REL_NISC:
		return reached >= ST_AT_NISC;
	case REL_SHARED: {
		enum cs_state need = ST_AT_NISC;
		bool any = false;

		for (size_t i = 0; i < r->nshared; i++) {
			enum cs_state s;

			if (r->shared[i].id != p->org_id)
				continue;
			s = r->shared_reach != NULL ? r->shared_reach[i] : ST_AT_CEPTOAR;
			if (!any || s < need)
				need = s;
			any = true;
		}
		/* Only what left the anonymising hop in clear. */
		if (r->anonymised && need < ST_AT_MINISTRY)
			need = ST_AT_MINISTRY;
		return reached >= need;
	}
	case REL_NONE:
		/* 別紙４－２: an actor that joins reads what NISC received. */
		return reached >= ST_AT_NISC;
	default:
		return false;
	}
}

bool
policy_report_hop_visible(const struct cs_principal *p,
    const struct cs_report_acl *r, enum cs_hop hop, bool sealed)
{
	(void)hop;
	if (!policy_report_may_read(p, r))
		return false;
	if (sealed)
		return policy_report_may_see_identity(p, r) && r->anonymised;
	return true;
}

/* ---- advisories ---------------------------------------------------------- */

bool
policy_advisory_in_ceiling(enum cs_tlp tlp, uint32_t sectors,
    const struct cs_org_ref *o)
{
	if (o->type == ORG_NISC)
		return true;
	switch (tlp) {
	case TLP_RED:
		/* "情報提供先の重要インフラ所管省庁限り": the addressee ministries. */
		return o->type == ORG_CI_MINISTRY && (o->sectors & sectors) != 0;
	case TLP_AMBER_STRICT:
	case TLP_AMBER:
		return (o->type == ORG_CI_MINISTRY || o->type == ORG_CEPTOAR_SEC ||
		    o->type == ORG_CI_OPERATOR) && (o->sectors & sectors) != 0;
	case TLP_GREEN:
		/* The advisory form's label (open point 15: the narrower reading). */
		return o->type == ORG_CI_MINISTRY || o->type == ORG_CEPTOAR_SEC ||
		    o->type == ORG_CI_OPERATOR;
	case TLP_CLEAR:
		return o->type != ORG_PLATFORM;
	}
	return false;
}

bool
policy_advisory_public(const struct cs_advisory_acl *a)
{
	return a->state == ADV_ISSUED && a->tlp == TLP_CLEAR;
}

static bool
delivered_to(const struct cs_advisory_acl *a, int64_t org)
{
	return org_in(a->delivered, a->ndelivered, org);
}

bool
policy_advisory_may_read(const struct cs_principal *p,
    const struct cs_advisory_acl *a)
{
	struct cs_org_ref self;

	if (p == NULL || p->org_id == 0 || p->org_type == ORG_PLATFORM)
		return false;
	if (!personnel_ok(p, a->tlp))
		return false;
	if (p->fed_peer && a->tlp == TLP_RED)
		return false;	/* RED never leaves the node */
	if (p->org_type == ORG_NISC)
		return true;	/* the issuer, pending drafts included */
	/* An anonymised source's secretariat reads what it reviews, held or not. */
	if (policy_advisory_may_review(p, a))
		return true;
	if (a->state == ADV_ISSUED && !delivered_to(a, p->org_id)) {
		for (int s = 0; s < 32; s++)
			if ((a->sectors & (1u << s)) && large_scale_reader(p, s, a->tlp))
				return true;
		return false;
	}
	if (a->state != ADV_ISSUED)
		return false;
	/* Still inside the ceiling: a follow-up that narrows the TLP narrows who reads. */
	principal_org(p, &self);
	return policy_advisory_in_ceiling(a->tlp, a->sectors, &self) ||
	    nisc_exception(&self);
}

bool
policy_advisory_may_review(const struct cs_principal *p,
    const struct cs_advisory_acl *a)
{
	return p != NULL && p->org_id != 0 && p->org_type == ORG_CEPTOAR_SEC &&
	    org_in(a->reviewers, a->nreviewers, p->org_id);
}

bool
policy_advisory_may_see_sources(const struct cs_principal *p)
{
	return p != NULL && p->org_id != 0 && p->org_type == ORG_NISC;
}

enum cs_err
policy_advisory_may_relay(const struct cs_principal *p,
    const struct cs_advisory_acl *a, const struct cs_org_ref *t,
    const char *field, struct cs_error *e)
{
	if (!policy_advisory_may_read(p, a))
		return cs_fail(e, CS_ENOENT, "", "no such advisory");
	if (a->state != ADV_ISSUED)
		return cs_fail(e, CS_ECONFLICT, "", "the advisory awaits approval");
	if (p->org_type == ORG_NISC) {
		/* ※1: NISC may pass an advisory to the parties it may always share with. */
		if (!(p->roles & (ROLE_ANALYST | ROLE_APPROVER)))
			return cs_fail(e, CS_EPERM, "", "NISC relays through its "
			    "analysts");
		if (nisc_exception(t))
			return CS_OK;
		return cs_fail(e, CS_EPERM, field, "NISC delivers to ministries by "
		    "issuing; it relays only to ※1 parties (cas_crisis_management, "
		    "pre-arranged cybersecurity agencies)");
	} else if (p->org_type == ORG_CI_MINISTRY) {
		if (!(p->roles & ROLE_LIAISON))
			return cs_fail(e, CS_EPERM, "", "a ministry relays through "
			    "its liaison");
		if (t->type != ORG_CEPTOAR_SEC && t->type != ORG_CI_OPERATOR)
			return cs_fail(e, CS_EPERM, field, "a ministry relays to "
			    "CEPTOAR secretariats or operators");
	} else if (p->org_type == ORG_CEPTOAR_SEC) {
		if (!(p->roles & (ROLE_POC | ROLE_ORG_ADMIN)))
			return cs_fail(e, CS_EPERM, "", "a CEPTOAR relays through "
			    "its PoC");
		if (t->type != ORG_CI_OPERATOR || !(t->ceptoar == p->org_id ||
		    (t->ceptoar == 0 && (t->sectors & p->org_sectors) != 0)))
			return cs_fail(e, CS_EPERM, field, "a CEPTOAR relays to its "
			    "member operators");
	} else
		return cs_fail(e, CS_EPERM, "", "only ministry liaisons and "
		    "CEPTOAR PoCs relay advisories");
	if (!policy_advisory_in_ceiling(a->tlp, a->sectors, t))
		return cs_fail(e, CS_EPERM, field, "organisation %lld is outside "
		    "the advisory's TLP:%s sharing range", (long long)t->id,
		    core_tlp_id(a->tlp));
	return CS_OK;
}

void
policy_source_scope(enum cs_tlp tlp, int sector, struct cs_source_scope *s)
{
	s->tlp = tlp;
	/* GREEN and CLEAR already reach every sector; narrower levels one. */
	s->sectors = tlp >= TLP_GREEN ? CS_ALL_SECTORS :
	    (sector >= 0 && sector < CS_NSECTORS ? 1u << sector : 0);
}

void
policy_source_scope_widen(struct cs_source_scope *s, enum cs_tlp tlp,
    uint32_t sectors)
{
	if (tlp > s->tlp)
		s->tlp = tlp;
	if (s->tlp >= TLP_GREEN)
		s->sectors = CS_ALL_SECTORS;
	s->sectors |= sectors;
}

enum cs_err
policy_advisory_scope_check(enum cs_tlp tlp, const int *rs, size_t nr,
    const struct cs_source_scope *src, size_t ns, struct cs_error *e)
{
	char field[48], rep[32];

	for (size_t i = 0; i < ns; i++) {
		/* Users know a report by its R-number (issue 15), not its id. */
		if (src[i].r_number > 0)
			cs_fmt(rep, sizeof(rep), "R%lld", (long long)src[i].r_number);
		else
			cs_fmt(rep, sizeof(rep), "%lld", (long long)src[i].report);
		if (tlp > src[i].tlp)
			return cs_fail(e, CS_ECONFLICT, "form.tlp", "TLP:%s is wider "
			    "than the source of report %s allowed (TLP:%s); ask "
			    "it to widen first", core_tlp_id(tlp), rep,
			    core_tlp_id(src[i].tlp));
		for (size_t j = 0; j < nr; j++) {
			if (rs[j] >= 0 && rs[j] < CS_NSECTORS &&
			    (src[i].sectors & (1u << rs[j])))
				continue;
			cs_fmt(field, sizeof(field), "form.recipients.%zu.sector", j);
			return cs_fail(e, CS_ECONFLICT, field, "sector %s lies "
			    "beyond what the source of report %s allowed; ask it "
			    "to widen first", core_sector_id(rs[j]), rep);
		}
	}
	return CS_OK;
}

/* ---- the CEPTOAR council space ------------------------------------------------ */

bool
policy_council_may_read(const struct cs_principal *p,
    const struct cs_council_acl *a, bool reader_member)
{
	if (p == NULL || p->org_id == 0 || p->org_type == ORG_PLATFORM ||
	    !personnel_ok(p, a->tlp))
		return false;
	if (p->org_id == a->author_org)
		return true;
	if (org_in(a->shared, a->nshared, p->org_id))
		return true;
	return reader_member && p->org_type == ORG_CEPTOAR_SEC &&
	    (a->to_all || org_in(a->to, a->nto, p->org_id));
}

/* ---- TAXII 2.1 (docs/interop.md) ------------------------------------------ */

static bool
taxii_contributor(enum cs_org_type t)
{
	return t == ORG_NISC || t == ORG_CS_AGENCY || t == ORG_CYBER_BUSINESS;
}

bool
policy_taxii_collection_may_read(const struct cs_principal *p,
    enum cs_taxii_coll c)
{
	if (p == NULL)
		return false;
	switch (c) {
	case TAXII_ADVISORIES:
	case TAXII_INDICATORS:
		return true;
	case TAXII_REPORTS:
		return p->org_type == ORG_NISC || p->org_type == ORG_CI_MINISTRY ||
		    p->org_type == ORG_CS_MINISTRY ||
		    p->org_type == ORG_IR_MINISTRY ||
		    p->org_type == ORG_DM_MINISTRY;
	case TAXII_CONTRIBUTIONS:
		return taxii_contributor(p->org_type);
	case TAXII__COUNT:
		break;
	}
	return false;
}

bool
policy_contribution_may_read(const struct cs_principal *p, int64_t source_org,
    enum cs_tlp tlp)
{
	/* Only NISC and the source read any: RED included, but for a peer node. */
	if (p == NULL || !taxii_contributor(p->org_type) ||
	    (p->fed_peer && tlp == TLP_RED))
		return false;
	return p->org_type == ORG_NISC || p->org_id == source_org;
}

int64_t
policy_contribution_scope(const struct cs_principal *p)
{
	return p->org_type == ORG_NISC ? 0 : p->org_id;
}

/* ---- the yearly self-assessment survey (issue 14) ----------------------------- */

bool
policy_survey_may_see(const struct cs_principal *p, uint32_t sectors)
{
	if (p == NULL || p->org_id == 0)
		return false;
	if (p->org_type == ORG_NISC)
		return true;
	return (p->org_type == ORG_CI_MINISTRY ||
	    p->org_type == ORG_CI_OPERATOR) && (p->org_sectors & sectors) != 0;
}

bool
policy_survey_may_answer(const struct cs_principal *p, uint32_t sectors)
{
	return p != NULL && p->org_id != 0 && p->org_type == ORG_CI_OPERATOR &&
	    (p->org_sectors & sectors) != 0;
}

uint32_t
policy_survey_oversight(const struct cs_principal *p, uint32_t sectors)
{
	if (p == NULL || p->org_id == 0)
		return 0;
	if (p->org_type == ORG_NISC)
		return sectors;
	if (p->org_type == ORG_CI_MINISTRY)
		return p->org_sectors & sectors;
	return 0;
}

bool
policy_survey_answers_may_read(const struct cs_principal *p, int64_t org,
    uint32_t org_sectors, bool shared)
{
	if (p == NULL || p->org_id == 0)
		return false;
	if (p->org_id == org)
		return true;
	if (!shared)
		return false;
	return p->org_type == ORG_NISC || (p->org_type == ORG_CI_MINISTRY &&
	    (p->org_sectors & org_sectors) != 0);
}

/* ---- the risk-management workspace ---------------------------------------- */

bool
policy_risk_may_read(const struct cs_principal *p, int64_t owner_org,
    const int64_t *shared, size_t nshared)
{
	if (p == NULL || p->org_id == 0 || p->org_type == ORG_PLATFORM)
		return false;
	return p->org_id == owner_org || org_in(shared, nshared, p->org_id);
}

bool
policy_risk_may_write(const struct cs_principal *p, int64_t owner_org)
{
	return p != NULL && p->org_id != 0 && p->org_type == ORG_CI_OPERATOR &&
	    p->org_id == owner_org;
}

bool
policy_risk_may_share_to(const struct cs_principal *owner,
    const struct cs_org_ref *t)
{
	if (owner == NULL || t == NULL || t->id == owner->org_id)
		return false;
	return t->type == ORG_NISC || (t->type == ORG_CI_MINISTRY &&
	    (t->sectors & owner->org_sectors) != 0);
}

/* ---- attachments (別紙) and samples (検体), core/attach.h ---------------- */

enum cs_err
policy_report_may_attach(const struct cs_principal *p,
    const struct cs_report_acl *r, enum cs_hop *hop, struct cs_error *e)
{
	if (!policy_report_may_read(p, r))
		return cs_fail(e, CS_ENOENT, "", "no such report");
	switch (policy_report_relation(p, r)) {
	case REL_SUBMITTER:
		*hop = HOP_SOURCE;
		return CS_OK;
	case REL_CEPTOAR:
		/* The secretariat of an anonymised report (a sample for NISC). */
		if (r->anonymised) {
			*hop = HOP_CEPTOAR;
			return CS_OK;
		}
		break;
	default:
		break;
	}
	return cs_fail(e, CS_EPERM, "", "only the organisation that filed the "
	    "report (for an anonymised report, its CEPTOAR secretariat) adds "
	    "attachments to it");
}

bool
policy_report_attachment_visible(const struct cs_principal *p,
    const struct cs_report_acl *r, enum cs_state reached, enum cs_hop hop,
    bool sealed)
{
	return policy_report_version_visible(p, r, reached) &&
	    policy_report_hop_visible(p, r, hop, sealed);
}

bool
policy_sample_may_answer(const struct cs_principal *p,
    const struct cs_report_acl *r)
{
	enum cs_relation rel;

	if (!policy_report_may_read(p, r))
		return false;
	rel = policy_report_relation(p, r);
	return r->anonymised ? rel == REL_CEPTOAR : rel == REL_SUBMITTER;
}

bool
policy_sample_may_read(const struct cs_principal *p,
    const struct cs_report_acl *r)
{
	enum cs_relation rel;

	if (!policy_report_may_read(p, r))
		return false;
	/*
	 * NISC asks "重要インフラ所管省庁及び重要インフラ事業者等と調整の上"
	 * (手引書 2.3, seed 001): the ministry on the path reads the request
	 * and its answer (it does not answer).
	 */
	rel = policy_report_relation(p, r);
	return rel == REL_NISC || rel == REL_MINISTRY ||
	    policy_sample_may_answer(p, r);
}

/* ---- federation (docs/interop.md "Federation") -------------------------------- */

bool
policy_federation_may_send(const struct cs_principal *p, enum cs_tlp tlp,
    bool drill)
{
	if (p == NULL)
		return false;
	if (!p->fed_peer)
		return true;
	return tlp != TLP_RED && !drill;
}

bool
policy_federated_may_read(const struct cs_principal *p, enum cs_tlp tlp)
{
	return p != NULL && p->org_id != 0 && p->org_type == ORG_NISC &&
	    personnel_ok(p, tlp);
}
