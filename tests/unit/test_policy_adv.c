/*
 * test_policy_adv.c: the advisory (情報提供) policy in src/core/policy.c,
 * cell by cell.
 *
 * Every expected answer comes from the oracle below.  It is written from the
 * decided rules (docs/policy.md "Advisories", shared/spec/tlp.json advisory
 * audiences) and never calls a policy function:
 *  - may_read: the platform organisation and org 0 never read; nda_contractor
 *    users never read RED or AMBER+STRICT; otherwise NISC reads every
 *    advisory (it is the issuer, pending drafts included) and everyone else
 *    reads one only once it is issued and delivered to its organisation,
 *    and while the organisation stays inside the ceiling (a narrowing
 *    follow-up narrows who reads) or is a ※1 party (cas_crisis_management,
 *    a pre-arranged agency).  Being in a recipient sector grants nothing.
 *  - in_ceiling (advisory audience): NISC always; RED: ci_ministry of a
 *    recipient sector; AMBER+STRICT and AMBER: ci_ministry, CEPTOAR
 *    secretariat and ci_operator of a recipient sector; GREEN: those three
 *    types in any sector (the form's label, open point 15); CLEAR: anything
 *    but the platform.  pre_arranged and the org's CEPTOAR change nothing.
 *  - may_relay: CS_ENOENT if the relayer may not read; CS_ECONFLICT while
 *    pending approval; a ci_ministry relays through a liaison to CEPTOAR
 *    secretariats and operators; a CEPTOAR secretariat relays through a PoC
 *    or org_admin to operators whose CEPTOAR it is, or that have no CEPTOAR
 *    and share a sector with it; NISC (analyst/approver) relays only to ※1
 *    parties, whatever the TLP; every other relayer gets CS_EPERM; and the
 *    target must lie inside the ceiling.  Refusals about the target name the
 *    field argument, refusals about the relayer name no field.
 *  - public: issued and TLP:CLEAR, nothing else.
 *  - may_see_sources: NISC only (org 0 never).
 *  - source scope (行動計画 別添 3.1): a RED/AMBER* report allows its one
 *    sector, a GREEN/CLEAR report every sector; a widening takes the wider
 *    TLP and the union of sectors, GREEN or wider meaning every sector.  The
 *    scope check answers 409 naming form.tlp when the advisory TLP is wider
 *    than a source allows, else form.recipients.N.sector for the first
 *    recipient sector a source does not allow, else CS_OK.  With several
 *    sources the first source (in order) that refuses decides which field
 *    is named; docs/policy.md does not fix this order, and
 *    test_scope_check_three counts the cells where a "TLP first, across all
 *    sources" order would name another field.
 *
 * Sectors used: SA and SC are the advisory's recipient sectors; the relayer
 * holds SA and SB; SD belongs to nobody concerned.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "fixtures.h"

/* Fixed identities. */
#define AID		2000	/* the advisory */
#define ME		501	/* the principal's organisation */
#define OTHER1		950	/* other organisations it was delivered to */
#define OTHER2		951
#define OTHER_CEP	960	/* a CEPTOAR secretariat other than ME */
#define TARGET_BASE	700	/* relay targets: 700 + index */
#define FIELD		"to.2"	/* the field passed to may_relay */

#define SA		1	/* finance: a recipient sector, the relayer's */
#define SB		5	/* electricity: the relayer's, not a recipient */
#define SC		9	/* a recipient sector, not the relayer's */
#define SD		12	/* nobody's */
#define BIT(s)		(1u << (s))
#define ADV_SECTORS	(BIT(SA) | BIT(SC))
#define RELAYER_SECTORS	(BIT(SA) | BIT(SB))

#define NELEM(a)	FX_NELEM(a)

static size_t total_cells;	/* every cell of every test */

/* ---- the oracle ------------------------------------------------------ */

/* Is sector s in the set, spelled out bit by bit over the valid sectors. */
static bool
in_set(uint32_t set, int s)
{
	for (int i = 0; i < CS_NSECTORS; i++)
		if (i == s && ((set >> i) & 1u) == 1u)
			return true;
	return false;
}

static bool
overlaps(uint32_t a, uint32_t b)
{
	for (int i = 0; i < CS_NSECTORS; i++)
		if (in_set(a, i) && in_set(b, i))
			return true;
	return false;
}

/*
 * The advisory TLP ceiling (tlp.json advisory audience, docs/policy.md
 * Advisories 2): the GREEN row here, the rows it shares with the report
 * audience in fixtures.c.  "Sector" is one of the recipient sectors.
 */
static const enum fx_ceiling green[ORG__COUNT] = {
	[ORG_NISC] = FX_IN, [ORG_CI_MINISTRY] = FX_IN,
	[ORG_CEPTOAR_SEC] = FX_IN, [ORG_CI_OPERATOR] = FX_IN,
};

static bool
oracle_in_ceiling(enum cs_tlp tlp, enum cs_org_type t, bool has_sector)
{
	return fx_in_ceiling(green, tlp, t, has_sector);
}

static bool
oracle_nda_refused(bool nda, enum cs_tlp tlp)
{
	return nda && (tlp == TLP_RED || tlp == TLP_AMBER_STRICT);
}

/* The role sets crossed: none, each alone, all, all but the relaying
 * roles (fixtures.c). */
#define NROLESETS	FX_NROLESETS

/* A reader cell. */
struct rcell {
	enum cs_org_type	type;
	size_t			roleset;
	bool			nda;
	bool			zero_id;	/* the principal's org_id is 0 */
	bool			delivered;	/* to the principal's org */
	enum cs_adv_state	state;
	enum cs_tlp		tlp;
	bool			overlap;	/* org holds a recipient sector */
};

static bool
oracle_read(const struct rcell *c)
{
	if (c->zero_id || c->type == ORG_PLATFORM)
		return false;
	if (oracle_nda_refused(c->nda, c->tlp))
		return false;
	if (c->type == ORG_NISC)
		return true;
	/* Delivered, and still inside the ceiling or a ※1 party. */
	return c->state == ADV_ISSUED && c->delivered &&
	    (oracle_in_ceiling(c->tlp, c->type, c->overlap) ||
	    c->type == ORG_CAS);
}

/* Where a relay target sits. */
enum tcep { TC_RELAYER = 0, TC_OTHER, TC_NONE, TC__COUNT };
static const char *const tcep_names[TC__COUNT] = { "relayer", "other", "none" };

/* Target sector sets: which of (relayer, advisory) they overlap. */
static const struct {
	uint32_t	 sectors;
	const char	*name;
} tsec[] = {
	{ BIT(SA), "SA(relayer+recipient)" },
	{ BIT(SB), "SB(relayer only)" },
	{ BIT(SC), "SC(recipient only)" },
	{ BIT(SD), "SD(neither)" },
};
#define NTSEC	NELEM(tsec)

struct target {
	enum cs_org_type	type;
	enum tcep		cep;
	size_t			sec;	/* index into tsec */
};

/*
 * Expected may_relay result for a relayer cell (its org is ME, holding
 * RELAYER_SECTORS; the advisory's recipients are ADV_SECTORS).
 * *names_field: the refusal must name FIELD (else it must name no field).
 */
static enum cs_err
oracle_relay(const struct rcell *c, const struct target *t, bool *names_field)
{
	unsigned roles = fx_rolesets[c->roleset].roles;
	uint32_t ts = tsec[t->sec].sectors;

	*names_field = false;
	if (!oracle_read(c))
		return CS_ENOENT;
	if (c->state != ADV_ISSUED)
		return CS_ECONFLICT;
	switch (c->type) {
	case ORG_NISC:
		/* ※1: NISC relays only to cas_crisis_management / pre-arranged agencies. */
		if ((roles & (ROLE_ANALYST | ROLE_APPROVER)) == 0)
			return CS_EPERM;
		*names_field = true;
		return t->type == ORG_CAS ? CS_OK : CS_EPERM;
	case ORG_CI_MINISTRY:
		if ((roles & ROLE_LIAISON) == 0)
			return CS_EPERM;
		*names_field = true;
		if (t->type != ORG_CEPTOAR_SEC && t->type != ORG_CI_OPERATOR)
			return CS_EPERM;
		break;
	case ORG_CEPTOAR_SEC:
		if ((roles & ROLE_POC) == 0 && (roles & ROLE_ORG_ADMIN) == 0)
			return CS_EPERM;
		*names_field = true;
		if (t->type != ORG_CI_OPERATOR)
			return CS_EPERM;
		if (t->cep == TC_OTHER)
			return CS_EPERM;
		if (t->cep == TC_NONE && !overlaps(ts, RELAYER_SECTORS))
			return CS_EPERM;
		break;
	default:
		return CS_EPERM;
	}
	*names_field = true;
	if (!oracle_in_ceiling(c->tlp, t->type, overlaps(ts, ADV_SECTORS)))
		return CS_EPERM;
	return CS_OK;
}

/* ---- building the inputs ------------------------------------------------ */

struct fixture {
	struct cs_principal	p;
	struct cs_advisory_acl	a;
	int64_t			delivered[3];
};

static void
build(const struct rcell *c, uint32_t org_sectors, struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->p.user_id = 77;
	f->p.org_id = c->zero_id ? 0 : ME;
	f->p.org_type = c->type;
	f->p.org_sectors = org_sectors;
	f->p.roles = fx_rolesets[c->roleset].roles;
	f->p.nda_contractor = c->nda;
	f->p.org_pre_arranged = false;

	f->a.id = AID;
	f->a.state = c->state;
	f->a.tlp = c->tlp;
	f->a.sectors = ADV_SECTORS;
	f->delivered[0] = OTHER1;
	f->a.ndelivered = 1;
	if (c->delivered)
		f->delivered[f->a.ndelivered++] = f->p.org_id;
	f->delivered[f->a.ndelivered++] = OTHER2;
	f->a.delivered = f->delivered;
}

static void
build_target(const struct target *t, size_t i, struct cs_org_ref *o)
{
	memset(o, 0, sizeof(*o));
	o->id = TARGET_BASE + (int64_t)i;
	o->type = t->type;
	o->sectors = tsec[t->sec].sectors;
	o->pre_arranged = false;
	switch (t->cep) {
	case TC_RELAYER:
		o->ceptoar = ME;
		break;
	case TC_OTHER:
		o->ceptoar = OTHER_CEP;
		break;
	default:
		o->ceptoar = 0;
		break;
	}
}

static const char *
state_name(enum cs_adv_state s)
{
	return s == ADV_ISSUED ? "issued" : "pending_approval";
}

static const char *
describe(const struct rcell *c)
{
	static char buf[256];

	(void)snprintf(buf, sizeof(buf), "type=%s roles=%s nda=%d org0=%d "
	    "delivered=%d state=%s tlp=%s overlap=%d",
	    core_org_type_id(c->type), fx_rolesets[c->roleset].name, c->nda,
	    c->zero_id, c->delivered, state_name(c->state),
	    core_tlp_id(c->tlp), c->overlap);
	return buf;
}

/* ---- tally ---------------------------------------------------------------- */

/* Checks a refusal's error record: code as returned, the field, a message. */
static void
check_error(struct tally *t, const char *what, enum cs_err got,
    const struct cs_error *e, const char *want_field)
{
	t->checks++;
	if (e->code != got)
		mismatch(t, "%s: returned %s, e.code %s", what, cs_err_name(got),
		    cs_err_name(e->code));
	t->checks++;
	if (strcmp(e->field, want_field) != 0)
		mismatch(t, "%s: field \"%s\", expected \"%s\"", what, e->field,
		    want_field);
	t->checks++;
	if (e->msg[0] == '\0')
		mismatch(t, "%s: no message", what);
}

/* ---- oracle sanity ---------------------------------------------------------- */

/*
 * Facts written out by hand, so a slip in the oracle cannot agree silently.
 * Reads: a member of an organisation holding a recipient sector.
 */
static const struct {
	struct rcell	 cell;	/* a member (roleset 1) of an org holding a
				 * recipient sector */
	bool		 reads;
	const char	*fact;
} spot_reads[] = {
	{ { .type = ORG_CI_OPERATOR, .state = ADV_ISSUED, .tlp = TLP_CLEAR },
	    false, "a CLEAR advisory not delivered to an operator of its sector" },
	{ { .type = ORG_CI_OPERATOR, .delivered = true, .state = ADV_ISSUED,
	    .tlp = TLP_CLEAR }, true, "... delivered to it" },
	{ { .type = ORG_CI_OPERATOR, .delivered = true,
	    .state = ADV_PENDING_APPROVAL, .tlp = TLP_CLEAR }, false,
	    "a delivered draft is not read by anyone but NISC" },
	{ { .type = ORG_NISC, .state = ADV_PENDING_APPROVAL, .tlp = TLP_CLEAR },
	    true, "NISC reads its draft" },
	{ { .type = ORG_NISC, .nda = true, .state = ADV_PENDING_APPROVAL,
	    .tlp = TLP_AMBER }, true, "NISC's contractor reads AMBER" },
	{ { .type = ORG_NISC, .nda = true, .state = ADV_PENDING_APPROVAL,
	    .tlp = TLP_AMBER_STRICT }, false,
	    "NISC's contractor does not read AMBER+STRICT" },
	{ { .type = ORG_NISC, .nda = true, .state = ADV_PENDING_APPROVAL,
	    .tlp = TLP_RED }, false, "NISC's contractor does not read RED" },
	{ { .type = ORG_PLATFORM, .delivered = true, .state = ADV_ISSUED,
	    .tlp = TLP_CLEAR }, false,
	    "the platform reads nothing, delivered and CLEAR" },
};

/* Ceilings. */
static const struct {
	enum cs_tlp		 tlp;
	enum cs_org_type	 type;
	bool			 has_sector;
	bool			 inside;
} spot_ceilings[] = {
	{ TLP_RED, ORG_NISC, false, true },
	{ TLP_RED, ORG_CI_MINISTRY, true, true },
	{ TLP_RED, ORG_CI_MINISTRY, false, false },
	{ TLP_RED, ORG_CEPTOAR_SEC, true, false },
	{ TLP_AMBER_STRICT, ORG_CI_OPERATOR, true, true },
	{ TLP_AMBER, ORG_CI_OPERATOR, false, false },
	{ TLP_GREEN, ORG_CEPTOAR_SEC, false, true },
	{ TLP_GREEN, ORG_CS_AGENCY, true, false },
	{ TLP_GREEN, ORG_CAS, true, false },
	{ TLP_CLEAR, ORG_CEPTOAR_COUNCIL, false, true },
	{ TLP_CLEAR, ORG_PLATFORM, true, false },
};

static void
test_oracle_spot_checks(void **state)
{
	struct rcell c;
	struct target t;
	bool nf;

	(void)state;
	for (size_t i = 0; i < NELEM(spot_reads); i++) {
		c = spot_reads[i].cell;
		c.roleset = 1;	/* member */
		c.overlap = true;
		if (oracle_read(&c) != spot_reads[i].reads)
			fail_msg("oracle_read: %s", spot_reads[i].fact);
	}
	for (size_t i = 0; i < NELEM(spot_ceilings); i++)
		if (oracle_in_ceiling(spot_ceilings[i].tlp,
		    spot_ceilings[i].type, spot_ceilings[i].has_sector) !=
		    spot_ceilings[i].inside)
			fail_msg("oracle_in_ceiling: row %zu", i);

	/* Relays, by an issued advisory delivered to the relayer. */
	memset(&c, 0, sizeof(c));
	c.state = ADV_ISSUED;
	c.delivered = true;
	c.overlap = true;
	/* A ministry liaison relays AMBER to an operator of a recipient
	 * sector, but not RED (RED stops at the ministry). */
	c.type = ORG_CI_MINISTRY;
	c.roleset = 3;	/* liaison */
	c.tlp = TLP_AMBER;
	t.type = ORG_CI_OPERATOR;
	t.cep = TC_OTHER;
	t.sec = 2;	/* SC */
	assert_int_equal(oracle_relay(&c, &t, &nf), CS_OK);
	c.tlp = TLP_RED;
	assert_int_equal(oracle_relay(&c, &t, &nf), CS_EPERM);
	assert_true(nf);
	/* A ministry member (no liaison) is refused without a field. */
	c.roleset = 1;
	c.tlp = TLP_AMBER;
	assert_int_equal(oracle_relay(&c, &t, &nf), CS_EPERM);
	assert_false(nf);
	/* A CEPTOAR PoC relays to its own operator; not to another CEPTOAR's;
	 * an unaffiliated operator only if it shares a sector with it. */
	c.type = ORG_CEPTOAR_SEC;
	c.roleset = 2;	/* poc */
	t.cep = TC_RELAYER;
	t.sec = 0;	/* SA */
	assert_int_equal(oracle_relay(&c, &t, &nf), CS_OK);
	t.cep = TC_OTHER;
	assert_int_equal(oracle_relay(&c, &t, &nf), CS_EPERM);
	t.cep = TC_NONE;
	assert_int_equal(oracle_relay(&c, &t, &nf), CS_OK);
	t.sec = 2;	/* SC: a recipient sector the CEPTOAR does not hold */
	assert_int_equal(oracle_relay(&c, &t, &nf), CS_EPERM);
	assert_true(nf);
	/* Its own operator at GREEN, any sector. */
	c.tlp = TLP_GREEN;
	t.cep = TC_RELAYER;
	t.sec = 3;	/* SD */
	assert_int_equal(oracle_relay(&c, &t, &nf), CS_OK);
	/* ...but at AMBER it must hold a recipient sector. */
	c.tlp = TLP_AMBER;
	assert_int_equal(oracle_relay(&c, &t, &nf), CS_EPERM);
	/* Not delivered: not found; pending: conflict. */
	c.delivered = false;
	assert_int_equal(oracle_relay(&c, &t, &nf), CS_ENOENT);
	c.type = ORG_NISC;
	c.state = ADV_PENDING_APPROVAL;
	assert_int_equal(oracle_relay(&c, &t, &nf), CS_ECONFLICT);
	/* NISC does not relay (it issues). */
	c.state = ADV_ISSUED;
	assert_int_equal(oracle_relay(&c, &t, &nf), CS_EPERM);
	assert_false(nf);
}

/* ---- policy_advisory_may_read ------------------------------------------------ */

static void
for_each_rcell(void (*fn)(const struct rcell *, struct tally *),
    struct tally *t)
{
	struct rcell c;

	for (int type = 0; type < ORG__COUNT; type++)
	for (size_t rs = 0; rs < NROLESETS; rs++)
	for (int nda = 0; nda < 2; nda++)
	for (int zero = 0; zero < 2; zero++)
	for (int del = 0; del < 2; del++)
	for (int st = ADV_PENDING_APPROVAL; st <= ADV_ISSUED; st++)
	for (int tlp = TLP_RED; tlp <= TLP_CLEAR; tlp++)
	for (int ov = 0; ov < 2; ov++) {
		c.type = (enum cs_org_type)type;
		c.roleset = rs;
		c.nda = nda;
		c.zero_id = zero;
		c.delivered = del;
		c.state = (enum cs_adv_state)st;
		c.tlp = (enum cs_tlp)tlp;
		c.overlap = ov;
		t->cells++;
		fn(&c, t);
	}
}

/* 12 org types x 10 role sets x 2 nda x 2 org id (ME, 0) x 2 delivered x
 * 2 states x 5 TLP x 2 sector overlap. */
#define READ_CELLS	(12 * 10 * 2 * 2 * 2 * 2 * 5 * 2)

static void
check_read_cell(const struct rcell *c, struct tally *t)
{
	struct fixture f;
	bool got, want;

	build(c, c->overlap ? BIT(SA) : BIT(SD), &f);
	got = policy_advisory_may_read(&f.p, &f.a);
	want = oracle_read(c);
	tally_check(t, "may_read", describe(c), got, want);
}

static void
test_matrix_read(void **state)
{
	struct tally t = { 0, 0, 0 };

	(void)state;
	assert_int_equal(ORG__COUNT, 12);
	assert_int_equal(NROLESETS, 10);
	for_each_rcell(check_read_cell, &t);
	print_message("may_read matrix: %zu cells, %zu checks, %zu mismatches\n",
	    t.cells, t.checks, t.mismatches);
	assert_int_equal(t.cells, READ_CELLS);
	assert_int_equal(t.cells, 19200);
	assert_int_equal(t.checks, READ_CELLS);
	assert_int_equal(t.mismatches, 0);
	total_cells += t.cells;
}

/* Edge cases of may_read outside the matrix. */
static void
test_read_edges(void **state)
{
	struct rcell c;
	struct fixture f;
	struct cs_error e;
	struct cs_org_ref o;
	size_t n = 0;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.state = ADV_ISSUED;
	c.delivered = true;
	c.overlap = true;	/* build() gives the org every sector */
	c.roleset = FX_ROLESET_ALL;
	for (int type = 0; type < ORG__COUNT; type++)
	for (int tlp = TLP_RED; tlp <= TLP_CLEAR; tlp++) {
		c.type = (enum cs_org_type)type;
		c.tlp = (enum cs_tlp)tlp;
		build(&c, CS_ALL_SECTORS, &f);
		/* No principal: nothing, not even CLEAR. */
		assert_false(policy_advisory_may_read(NULL, &f.a));
		memset(&o, 0, sizeof(o));
		o.id = TARGET_BASE;
		o.type = ORG_CI_OPERATOR;
		o.sectors = CS_ALL_SECTORS;
		cs_error_clear(&e);
		assert_int_equal(policy_advisory_may_relay(NULL, &f.a, &o, FIELD,
		    &e), CS_ENOENT);
		assert_string_equal(e.field, "");
		/* Delivered to nobody: only NISC reads. */
		f.a.ndelivered = 0;
		f.a.delivered = NULL;
		assert_int_equal(policy_advisory_may_read(&f.p, &f.a),
		    type == ORG_NISC);
		/* Delivered only to ME among many others (found anywhere in
		 * the list, not just the first or last slot). */
		{
			int64_t many[9] = { 1, 2, 3, 4, ME, 6, 7, 8, 9 };

			f.a.delivered = many;
			f.a.ndelivered = NELEM(many);
			assert_int_equal(policy_advisory_may_read(&f.p, &f.a),
			    oracle_read(&c));
			f.a.ndelivered = 4;	/* ME lies beyond the count */
			assert_int_equal(policy_advisory_may_read(&f.p, &f.a),
			    type == ORG_NISC);
		}
		/* ME alone, first, and last. */
		{
			int64_t lists[3][3] = { { ME }, { ME, OTHER1, OTHER2 },
			    { OTHER1, OTHER2, ME } };
			size_t lens[3] = { 1, 3, 3 };

			for (size_t k = 0; k < 3; k++) {
				f.a.delivered = lists[k];
				f.a.ndelivered = lens[k];
				assert_int_equal(policy_advisory_may_read(&f.p,
				    &f.a), oracle_read(&c));
			}
		}
		n += 7;
	}
	print_message("may_read edges: %zu cells\n", n);
	total_cells += n;
}

/* ---- policy_advisory_in_ceiling ------------------------------------------ */

static void
test_in_ceiling(void **state)
{
	static const uint32_t adv_sets[] = { 0, BIT(SA), ADV_SECTORS,
	    CS_ALL_SECTORS };
	static const uint32_t org_sets[] = { 0, BIT(SA), BIT(SB), BIT(SC),
	    BIT(SA) | BIT(SB), CS_ALL_SECTORS };
	static const int64_t ceps[] = { 0, ME };
	struct cs_org_ref o;
	struct tally t = { 0, 0, 0 };

	(void)state;
	for (int tlp = TLP_RED; tlp <= TLP_CLEAR; tlp++)
	for (int type = 0; type < ORG__COUNT; type++)
	for (size_t as = 0; as < NELEM(adv_sets); as++)
	for (size_t os = 0; os < NELEM(org_sets); os++)
	for (int pre = 0; pre < 2; pre++)
	for (size_t cp = 0; cp < NELEM(ceps); cp++) {
		bool want, got;

		memset(&o, 0, sizeof(o));
		o.id = TARGET_BASE;
		o.type = (enum cs_org_type)type;
		o.sectors = org_sets[os];
		o.pre_arranged = pre;
		o.ceptoar = ceps[cp];
		want = oracle_in_ceiling((enum cs_tlp)tlp, o.type,
		    overlaps(org_sets[os], adv_sets[as]));
		got = policy_advisory_in_ceiling((enum cs_tlp)tlp, adv_sets[as],
		    &o);
		t.cells++;
		t.checks++;
		if (got != want)
			mismatch(&t, "in_ceiling tlp=%s type=%s adv=%#x org=%#x "
			    "pre=%d ceptoar=%lld: got %d expected %d",
			    core_tlp_id((enum cs_tlp)tlp),
			    core_org_type_id(o.type), adv_sets[as],
			    org_sets[os], pre, (long long)ceps[cp], got, want);
	}
	print_message("in_ceiling: %zu cells, %zu mismatches\n", t.cells,
	    t.mismatches);
	assert_int_equal(t.cells, 5 * 12 * 4 * 6 * 2 * 2);
	assert_int_equal(t.mismatches, 0);
	total_cells += t.cells;
}

/* ---- policy_advisory_may_relay ------------------------------------------- */

#define NTARGETS	(ORG__COUNT * TC__COUNT * NTSEC)

static struct target
target_at(size_t i)
{
	struct target t;

	t.type = (enum cs_org_type)(i / (TC__COUNT * NTSEC));
	t.cep = (enum tcep)((i / NTSEC) % TC__COUNT);
	t.sec = i % NTSEC;
	return t;
}

static size_t relay_cells;	/* (relayer, target) pairs asserted */

static void
check_relay_cell(const struct rcell *c, struct tally *t)
{
	struct fixture f;
	struct cs_org_ref o;
	struct cs_error e;
	enum cs_err got, want;
	bool names_field;
	char what[512];

	/* The relayer is a real org (zero_id cells are covered by may_read);
	 * its sectors are fixed, so `overlap` is not a relay dimension. */
	if (c->zero_id || !c->overlap)
		return;
	build(c, RELAYER_SECTORS, &f);
	for (size_t i = 0; i < NTARGETS; i++) {
		struct target tg = target_at(i);

		build_target(&tg, i, &o);
		want = oracle_relay(c, &tg, &names_field);
		cs_error_clear(&e);
		got = policy_advisory_may_relay(&f.p, &f.a, &o, FIELD, &e);
		relay_cells++;
		t->checks++;
		(void)snprintf(what, sizeof(what), "may_relay %s -> target "
		    "type=%s ceptoar=%s sectors=%s", describe(c),
		    core_org_type_id(tg.type), tcep_names[tg.cep],
		    tsec[tg.sec].name);
		if (got != want) {
			mismatch(t, "%s: got %s, expected %s (%s)", what,
			    cs_err_name(got), cs_err_name(want), e.msg);
			continue;
		}
		if (got != CS_OK)
			check_error(t, what, got, &e, names_field ? FIELD : "");
	}
}

static void
test_matrix_relay(void **state)
{
	struct tally t = { 0, 0, 0 };
	size_t cells;

	(void)state;
	assert_int_equal(NTARGETS, 144);
	relay_cells = 0;
	for_each_rcell(check_relay_cell, &t);
	/* Relayer cells: 12 types x 10 role sets x 2 nda x 2 delivered x
	 * 2 states x 5 TLP; each against 144 targets (12 types x 3 CEPTOAR
	 * relations x 4 sector sets). */
	cells = (size_t)12 * 10 * 2 * 2 * 2 * 5 * NTARGETS;
	print_message("may_relay matrix: %zu cells, %zu checks, "
	    "%zu mismatches\n", cells, t.checks, t.mismatches);
	assert_int_equal(cells, 691200);
	assert_int_equal(relay_cells, cells);
	assert_int_equal(t.mismatches, 0);
	total_cells += cells;
}

/* A few relays written out in full, independent of the oracle. */
static void
expect_relay(const struct cs_principal *p, const struct cs_advisory_acl *a,
    const struct cs_org_ref *o, enum cs_err want, const char *want_field,
    const char *what)
{
	struct cs_error e;
	enum cs_err got;

	cs_error_clear(&e);
	got = policy_advisory_may_relay(p, a, o, "to.0", &e);
	fx_expect_answer(what, got, &e, want, want_field);
}

static void
test_relay_examples(void **state)
{
	const int64_t dlv[] = { 31, 32 };
	struct cs_advisory_acl a;
	struct cs_principal min, cep;
	struct cs_org_ref op = { .id = 41, .type = ORG_CI_OPERATOR,
	    .sectors = BIT(SA), .ceptoar = 32 };
	struct cs_org_ref op2 = { .id = 42, .type = ORG_CI_OPERATOR,
	    .sectors = BIT(SA), .ceptoar = 0 };
	struct cs_org_ref sec = { .id = 43, .type = ORG_CEPTOAR_SEC,
	    .sectors = BIT(SA) };
	struct cs_org_ref min2 = { .id = 44, .type = ORG_CI_MINISTRY,
	    .sectors = BIT(SA) };

	(void)state;
	memset(&a, 0, sizeof(a));
	a.id = AID;
	a.state = ADV_ISSUED;
	a.tlp = TLP_AMBER;
	a.sectors = BIT(SA);
	a.delivered = dlv;
	a.ndelivered = 2;
	memset(&min, 0, sizeof(min));
	min.org_id = 31;
	min.org_type = ORG_CI_MINISTRY;
	min.org_sectors = BIT(SA);
	min.roles = ROLE_LIAISON;
	memset(&cep, 0, sizeof(cep));
	cep.org_id = 32;
	cep.org_type = ORG_CEPTOAR_SEC;
	cep.org_sectors = BIT(SA);
	cep.roles = ROLE_POC;

	expect_relay(&min, &a, &sec, CS_OK, "", "ministry -> CEPTOAR");
	expect_relay(&min, &a, &op, CS_OK, "", "ministry -> operator");
	expect_relay(&min, &a, &min2, CS_EPERM, "to.0", "ministry -> ministry");
	expect_relay(&cep, &a, &op, CS_OK, "", "CEPTOAR -> member");
	expect_relay(&cep, &a, &op2, CS_OK, "", "CEPTOAR -> unaffiliated");
	expect_relay(&cep, &a, &sec, CS_EPERM, "to.0", "CEPTOAR -> CEPTOAR");
	op.sectors = BIT(SB);
	expect_relay(&cep, &a, &op, CS_EPERM, "to.0",
	    "CEPTOAR -> member outside the recipient sectors");
	a.tlp = TLP_GREEN;
	expect_relay(&cep, &a, &op, CS_OK, "",
	    "CEPTOAR -> member outside the recipient sectors, GREEN");
	a.tlp = TLP_RED;
	expect_relay(&min, &a, &sec, CS_EPERM, "to.0", "RED stops at ministry");
	a.tlp = TLP_AMBER;
	min.roles = ROLE_MEMBER | ROLE_ORG_ADMIN;
	expect_relay(&min, &a, &sec, CS_EPERM, "", "ministry without liaison");
	cep.roles = ROLE_MEMBER;
	expect_relay(&cep, &a, &op2, CS_EPERM, "", "CEPTOAR member");
	cep.roles = ROLE_ORG_ADMIN;
	expect_relay(&cep, &a, &op2, CS_OK, "", "CEPTOAR org_admin");
	a.ndelivered = 1;
	expect_relay(&cep, &a, &op2, CS_ENOENT, "", "not delivered");
	a.ndelivered = 2;
	a.state = ADV_PENDING_APPROVAL;
	expect_relay(&cep, &a, &op2, CS_ENOENT, "", "pending, not NISC");
	total_cells += 14;
}

/* ---- policy_advisory_public / policy_advisory_may_see_sources ------------ */

static void
test_public(void **state)
{
	static const uint32_t sets[] = { 0, BIT(SA), CS_ALL_SECTORS };
	const int64_t dlv[] = { OTHER1 };
	struct cs_advisory_acl a;
	size_t n = 0;

	(void)state;
	for (int st = ADV_PENDING_APPROVAL; st <= ADV_ISSUED; st++)
	for (int tlp = TLP_RED; tlp <= TLP_CLEAR; tlp++)
	for (size_t s = 0; s < NELEM(sets); s++)
	for (size_t nd = 0; nd < 2; nd++) {
		bool want = st == ADV_ISSUED && tlp == TLP_CLEAR;

		memset(&a, 0, sizeof(a));
		a.id = AID;
		a.state = (enum cs_adv_state)st;
		a.tlp = (enum cs_tlp)tlp;
		a.sectors = sets[s];
		a.delivered = nd ? dlv : NULL;
		a.ndelivered = nd;
		if (policy_advisory_public(&a) != want)
			fail_msg("public state=%s tlp=%s sectors=%#x ndelivered="
			    "%zu: expected %d", state_name(a.state),
			    core_tlp_id(a.tlp), sets[s], nd, want);
		n++;
	}
	print_message("public: %zu cells\n", n);
	assert_int_equal(n, 2 * 5 * 3 * 2);
	total_cells += n;
}

/*
 * The secretariat of an anonymised source reads the advisory it reviews in
 * any state and at any TLP (its NDA personnel still kept from
 * AMBER+STRICT); no other organisation gains anything from being listed.
 */
static void
test_reviewer_reads(void **state)
{
	struct rcell c;
	struct fixture f;
	int64_t rev[2] = { OTHER1, ME };
	size_t n = 0;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.roleset = FX_ROLESET_ALL;
	for (int type = 0; type < ORG__COUNT; type++)
	for (int st = 0; st <= ADV_RETURNED; st++)
	for (int tlp = TLP_RED; tlp <= TLP_CLEAR; tlp++)
	for (int nda = 0; nda < 2; nda++) {
		bool want;

		c.type = (enum cs_org_type)type;
		c.state = (enum cs_adv_state)st;
		c.tlp = (enum cs_tlp)tlp;
		c.nda = nda;
		build(&c, CS_ALL_SECTORS, &f);
		assert_false(policy_advisory_may_review(&f.p, &f.a));
		f.a.reviewers = rev;
		f.a.nreviewers = 2;
		want = type == ORG_CEPTOAR_SEC ? !oracle_nda_refused(c.nda,
		    c.tlp) : oracle_read(&c);
		assert_int_equal(policy_advisory_may_read(&f.p, &f.a), want);
		assert_int_equal(policy_advisory_may_review(&f.p, &f.a),
		    type == ORG_CEPTOAR_SEC);
		f.a.nreviewers = 1;	/* ME lies beyond the count */
		assert_false(policy_advisory_may_review(&f.p, &f.a));
		assert_int_equal(policy_advisory_may_read(&f.p, &f.a),
		    oracle_read(&c));
		n += 5;
	}
	assert_false(policy_advisory_may_review(NULL, &f.a));
	print_message("reviewer reads: %zu cells\n", n);
	total_cells += n;
}

static void
test_may_see_sources(void **state)
{
	struct cs_principal p;
	size_t n = 0;

	(void)state;
	assert_false(policy_advisory_may_see_sources(NULL));
	n++;
	for (int type = 0; type < ORG__COUNT; type++)
	for (size_t rs = 0; rs < NROLESETS; rs++)
	for (int nda = 0; nda < 2; nda++) {
		memset(&p, 0, sizeof(p));
		p.user_id = 1;
		p.org_id = ME;
		p.org_type = (enum cs_org_type)type;
		p.org_sectors = CS_ALL_SECTORS;
		p.roles = fx_rolesets[rs].roles;
		p.nda_contractor = nda;
		if (policy_advisory_may_see_sources(&p) != (type == ORG_NISC))
			fail_msg("may_see_sources type=%s roles=%s nda=%d",
			    core_org_type_id(p.org_type), fx_rolesets[rs].name,
			    nda);
		n++;
	}
	print_message("may_see_sources: %zu cells\n", n);
	assert_int_equal(n, 1 + 12 * 10 * 2);
	total_cells += n;
}

/* ---- source scope ----------------------------------------------------------- */

/* The sectors a report allows, from the rule (not from the bit layout). */
static uint32_t
oracle_scope_sectors(enum cs_tlp tlp, int sector)
{
	uint32_t s = 0;

	for (int i = 0; i < CS_NSECTORS; i++)
		if (tlp == TLP_GREEN || tlp == TLP_CLEAR || i == sector)
			s |= 1u << i;
	return s;
}

static void
test_source_scope(void **state)
{
	struct cs_source_scope s;
	size_t n = 0;

	(void)state;
	assert_int_equal(CS_ALL_SECTORS, 0x7fff);
	for (int tlp = TLP_RED; tlp <= TLP_CLEAR; tlp++)
	for (int sector = -1; sector < CS_NSECTORS; sector++) {
		uint32_t want = oracle_scope_sectors((enum cs_tlp)tlp, sector);

		memset(&s, 0xa5, sizeof(s));
		policy_source_scope((enum cs_tlp)tlp, sector, &s);
		if (s.tlp != (enum cs_tlp)tlp || s.sectors != want)
			fail_msg("source_scope tlp=%s sector=%d: got tlp=%s "
			    "sectors=%#x, expected sectors=%#x",
			    core_tlp_id((enum cs_tlp)tlp), sector,
			    core_tlp_id(s.tlp), s.sectors, want);
		/* RED/AMBER*: exactly one sector (none for no sector). */
		if (tlp <= TLP_AMBER && sector >= 0)
			assert_true(in_set(s.sectors, sector) &&
			    (s.sectors & (s.sectors - 1)) == 0);
		n++;
	}
	print_message("source_scope: %zu cells\n", n);
	assert_int_equal(n, 5 * 16);
	total_cells += n;
}

static void
test_source_scope_widen(void **state)
{
	static const uint32_t wsets[] = { 0, BIT(SA), BIT(SB),
	    BIT(SB) | BIT(SC), CS_ALL_SECTORS };
	struct cs_source_scope s;
	size_t n = 0;

	(void)state;
	for (int tlp = TLP_RED; tlp <= TLP_CLEAR; tlp++)
	for (int sector = -1; sector < CS_NSECTORS; sector++)
	for (int w1 = TLP_RED; w1 <= TLP_CLEAR; w1++)
	for (size_t s1 = 0; s1 < NELEM(wsets); s1++)
	for (int w2 = TLP_RED; w2 <= TLP_CLEAR; w2++)
	for (size_t s2 = 0; s2 < NELEM(wsets); s2++) {
		int wt[2] = { w1, w2 };
		uint32_t ws[2] = { wsets[s1], wsets[s2] };
		int want_tlp = tlp;
		uint32_t want = oracle_scope_sectors((enum cs_tlp)tlp, sector);

		policy_source_scope((enum cs_tlp)tlp, sector, &s);
		s.report = 4242;
		for (int k = 0; k < 2; k++) {
			/* The wider TLP wins; sectors add up; GREEN or
			 * wider reaches every sector. */
			if (wt[k] > want_tlp)
				want_tlp = wt[k];
			for (int i = 0; i < CS_NSECTORS; i++)
				if (in_set(ws[k], i) || want_tlp == TLP_GREEN ||
				    want_tlp == TLP_CLEAR)
					want |= 1u << i;
			policy_source_scope_widen(&s, (enum cs_tlp)wt[k], ws[k]);
			if ((int)s.tlp != want_tlp || s.sectors != want ||
			    s.report != 4242)
				fail_msg("widen from tlp=%s sector=%d, step %d "
				    "(tlp=%s sectors=%#x): got tlp=%s sectors="
				    "%#x report=%lld, expected tlp=%s "
				    "sectors=%#x", core_tlp_id((enum cs_tlp)tlp),
				    sector, k, core_tlp_id((enum cs_tlp)wt[k]),
				    ws[k], core_tlp_id(s.tlp), s.sectors,
				    (long long)s.report,
				    core_tlp_id((enum cs_tlp)want_tlp), want);
			n++;
		}
	}
	print_message("source_scope_widen: %zu cells\n", n);
	assert_int_equal(n, (size_t)5 * 16 * 5 * 5 * 5 * 5 * 2);
	total_cells += n;
}

/* ---- policy_advisory_scope_check ------------------------------------------- */

/* Recipient lists (form.recipients[].sector), -1 and 15 are no sector. */
static const struct {
	int	 s[3];
	size_t	 n;
} rlists[] = {
	{ { 0 }, 0 },
	{ { SA }, 1 },
	{ { SB }, 1 },
	{ { SC }, 1 },
	{ { SA, SB }, 2 },
	{ { SB, SA }, 2 },
	{ { SA, SC }, 2 },
	{ { SC, SA, SB }, 3 },
	{ { SA, SA, SB }, 3 },
	{ { SA, -1 }, 2 },
	{ { CS_NSECTORS }, 1 },
};
#define NRLISTS	NELEM(rlists)

/* Source sector sets. */
static const uint32_t ssets[] = { 0, BIT(SA), BIT(SB), BIT(SA) | BIT(SB),
    BIT(SA) | BIT(SC), CS_ALL_SECTORS };
#define NSSETS	NELEM(ssets)

/*
 * Expected scope check; *field receives the field of a 409.  Sources are
 * taken in order: the first source that does not allow the advisory decides,
 * naming form.tlp if its TLP is narrower than the advisory's, else the first
 * recipient sector it does not allow.
 */
static enum cs_err
oracle_scope_check(enum cs_tlp adv, const int *rs, size_t nr,
    const struct cs_source_scope *src, size_t ns, char *field, size_t fsz)
{
	field[0] = '\0';
	for (size_t i = 0; i < ns; i++) {
		if (adv > src[i].tlp) {
			(void)snprintf(field, fsz, "form.tlp");
			return CS_ECONFLICT;
		}
		for (size_t j = 0; j < nr; j++)
			if (!in_set(src[i].sectors, rs[j])) {
				(void)snprintf(field, fsz,
				    "form.recipients.%zu.sector", j);
				return CS_ECONFLICT;
			}
	}
	return CS_OK;
}

/* The brief's ordering: TLP over all sources first, then the lowest
 * recipient index any source refuses.  Used to count where it differs. */
static enum cs_err
oracle_scope_check_global(enum cs_tlp adv, const int *rs, size_t nr,
    const struct cs_source_scope *src, size_t ns, char *field, size_t fsz)
{
	field[0] = '\0';
	for (size_t i = 0; i < ns; i++)
		if (adv > src[i].tlp) {
			(void)snprintf(field, fsz, "form.tlp");
			return CS_ECONFLICT;
		}
	for (size_t j = 0; j < nr; j++)
		for (size_t i = 0; i < ns; i++)
			if (!in_set(src[i].sectors, rs[j])) {
				(void)snprintf(field, fsz,
				    "form.recipients.%zu.sector", j);
				return CS_ECONFLICT;
			}
	return CS_OK;
}

static size_t order_differs;	/* cells where the two orderings differ */

static void
check_scope_cell(struct tally *t, enum cs_tlp adv, size_t rl,
    const struct cs_source_scope *src, size_t ns)
{
	struct cs_error e;
	enum cs_err got, want, want_g;
	char field[64], field_g[64];

	want = oracle_scope_check(adv, rlists[rl].s, rlists[rl].n, src, ns,
	    field, sizeof(field));
	want_g = oracle_scope_check_global(adv, rlists[rl].s, rlists[rl].n, src,
	    ns, field_g, sizeof(field_g));
	/* Both orderings agree on whether the advisory is refused. */
	if (want != want_g)
		fail_msg("oracle orderings disagree on the code");
	if (strcmp(field, field_g) != 0)
		order_differs++;
	cs_error_clear(&e);
	got = policy_advisory_scope_check(adv, rlists[rl].s, rlists[rl].n, src,
	    ns, &e);
	t->cells++;
	t->checks++;
	if (got != want) {
		mismatch(t, "scope_check adv=%s rl=%zu ns=%zu: got %s (%s), "
		    "expected %s", core_tlp_id(adv), rl, ns, cs_err_name(got),
		    e.field, cs_err_name(want));
		return;
	}
	if (got != CS_OK)
		check_error(t, "scope_check", got, &e, field);
}

static void
scope_at(size_t k, int64_t report, struct cs_source_scope *s)
{
	s->report = report;
	s->tlp = (enum cs_tlp)(k / NSSETS);
	s->sectors = ssets[k % NSSETS];
}

static void
test_scope_check_none_one(void **state)
{
	struct cs_source_scope src[1];
	struct tally t = { 0, 0, 0 };

	(void)state;
	/* No source: nothing limits the advisory. */
	for (int adv = TLP_RED; adv <= TLP_CLEAR; adv++)
	for (size_t rl = 0; rl < NRLISTS; rl++) {
		check_scope_cell(&t, (enum cs_tlp)adv, rl, NULL, 0);
		check_scope_cell(&t, (enum cs_tlp)adv, rl, src, 0);
	}
	assert_int_equal(t.cells, 2 * 5 * NRLISTS);
	for (int adv = TLP_RED; adv <= TLP_CLEAR; adv++)
	for (size_t rl = 0; rl < NRLISTS; rl++)
	for (size_t k = 0; k < 5 * NSSETS; k++) {
		scope_at(k, 1001, &src[0]);
		check_scope_cell(&t, (enum cs_tlp)adv, rl, src, 1);
	}
	print_message("scope_check, 0 and 1 source: %zu cells, %zu checks, "
	    "%zu mismatches\n", t.cells, t.checks, t.mismatches);
	assert_int_equal(t.cells, 2 * 5 * NRLISTS + 5 * NRLISTS * 5 * NSSETS);
	assert_int_equal(t.mismatches, 0);
	total_cells += t.cells;
}

static void
test_scope_check_three(void **state)
{
	struct cs_source_scope src[3];
	struct tally t = { 0, 0, 0 };
	const size_t nk = 5 * NSSETS;

	(void)state;
	order_differs = 0;
	for (int adv = TLP_RED; adv <= TLP_CLEAR; adv++)
	for (size_t rl = 0; rl < NRLISTS; rl++)
	for (size_t k0 = 0; k0 < nk; k0++)
	for (size_t k1 = 0; k1 < nk; k1++)
	for (size_t k2 = 0; k2 < nk; k2++) {
		scope_at(k0, 1001, &src[0]);
		scope_at(k1, 1002, &src[1]);
		scope_at(k2, 1003, &src[2]);
		check_scope_cell(&t, (enum cs_tlp)adv, rl, src, 3);
	}
	print_message("scope_check, 3 sources: %zu cells, %zu checks, "
	    "%zu mismatches; the refusal's field depends on the ordering "
	    "(per source vs TLP first) in %zu cells\n", t.cells, t.checks,
	    t.mismatches, order_differs);
	assert_int_equal(t.cells, 5 * NRLISTS * nk * nk * nk);
	assert_int_equal(t.mismatches, 0);
	total_cells += t.cells;
}

/* Hand-written scope cases, from 行動計画 別添 3.1 read literally. */
static void
test_scope_examples(void **state)
{
	struct cs_source_scope src[3];
	struct cs_error e;
	int r1[] = { SA };
	int r2[] = { SA, SB };

	(void)state;
	/* An AMBER finance report allows an AMBER finance advisory... */
	policy_source_scope(TLP_AMBER, SA, &src[0]);
	src[0].report = 1;
	assert_int_equal(policy_advisory_scope_check(TLP_AMBER, r1, 1, src, 1,
	    &e), CS_OK);
	assert_int_equal(policy_advisory_scope_check(TLP_RED, r1, 1, src, 1,
	    &e), CS_OK);
	/* ...not a GREEN one, and not to electricity too. */
	cs_error_clear(&e);
	assert_int_equal(policy_advisory_scope_check(TLP_GREEN, r1, 1, src, 1,
	    &e), CS_ECONFLICT);
	assert_string_equal(e.field, "form.tlp");
	cs_error_clear(&e);
	assert_int_equal(policy_advisory_scope_check(TLP_AMBER, r2, 2, src, 1,
	    &e), CS_ECONFLICT);
	assert_string_equal(e.field, "form.recipients.1.sector");
	/* The source approves electricity: now allowed. */
	policy_source_scope_widen(&src[0], TLP_AMBER, BIT(SB));
	assert_int_equal(policy_advisory_scope_check(TLP_AMBER, r2, 2, src, 1,
	    &e), CS_OK);
	/* It approves GREEN: every sector, GREEN allowed. */
	policy_source_scope_widen(&src[0], TLP_GREEN, 0);
	assert_int_equal(policy_advisory_scope_check(TLP_GREEN, r2, 2, src, 1,
	    &e), CS_OK);
	/* A second, RED electricity report narrows the whole advisory. */
	policy_source_scope(TLP_RED, SB, &src[1]);
	src[1].report = 2;
	cs_error_clear(&e);
	assert_int_equal(policy_advisory_scope_check(TLP_RED, r2, 2, src, 2,
	    &e), CS_ECONFLICT);
	assert_string_equal(e.field, "form.recipients.0.sector");
	/* A third, CLEAR report changes nothing. */
	policy_source_scope(TLP_CLEAR, SD, &src[2]);
	src[2].report = 3;
	cs_error_clear(&e);
	assert_int_equal(policy_advisory_scope_check(TLP_AMBER, r2, 2, src, 3,
	    &e), CS_ECONFLICT);
	assert_string_equal(e.field, "form.tlp");
	total_cells += 9;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oracle_spot_checks),
		cmocka_unit_test(test_matrix_read),
		cmocka_unit_test(test_read_edges),
		cmocka_unit_test(test_in_ceiling),
		cmocka_unit_test(test_matrix_relay),
		cmocka_unit_test(test_relay_examples),
		cmocka_unit_test(test_public),
		cmocka_unit_test(test_reviewer_reads),
		cmocka_unit_test(test_may_see_sources),
		cmocka_unit_test(test_source_scope),
		cmocka_unit_test(test_source_scope_widen),
		cmocka_unit_test(test_scope_check_none_one),
		cmocka_unit_test(test_scope_check_three),
		cmocka_unit_test(test_scope_examples),
	};
	int rc;

	rc = cmocka_run_group_tests(tests, NULL, NULL);
	print_message("advisory policy: %zu cells asserted\n", total_cells);
	return rc;
}
