/*
 * test_policy.c: the report visibility policy (src/core/policy.c), cell by
 * cell.
 *
 * The matrix crosses organisation type (the 11 client-visible types and
 * ORG_PLATFORM) x role set x nda_contractor x the org's pre_arranged flag x
 * relation to the report x TLP x anonymised.  Every cell's expected answer
 * comes from the oracle below, written from the decided rules (API.md "Who
 * reads a report", shared/spec/tlp.json report audiences, the header comment
 * of policy.c) without calling any policy function:
 *  - relations: the submitting org (non-anonymised: submitter_org equals
 *    the principal's org; anonymised: anon_tag equals core_anon_tag(report,
 *    org)), path orgs (a path entry of type ceptoar_secretariat, ci_ministry
 *    or nisc), shared orgs; the platform org and org 0 never read;
 *  - submitter and path orgs read at every TLP; shared orgs read only inside
 *    the report TLP ceiling, or when listed in extra, or when they are a ※1
 *    party (cas_crisis_management; a cybersecurity_agency with
 *    pre_arranged);
 *  - unrelated orgs (same sector or not) never read, even CLEAR;
 *  - nda_contractor users never read RED or AMBER+STRICT.
 * Sharing, version visibility and identity visibility are checked on the
 * same cells (sharing against 96 targets each).
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
#define RID		1000	/* the report */
#define ME		501	/* the principal's organisation */
#define SRC_ORG		900	/* the submitter when it is not ME */
#define CEP_ORG		901	/* path: CEPTOAR secretariat */
#define MIN_ORG		902	/* path: ministry */
#define NISC_ORG	903	/* path: NISC */
#define SHARED_ORG	904	/* another org it was shared with */
#define EXTRA_ORG	905	/* another sender-added recipient */
#define TARGET_BASE	700	/* share targets: 700 + index */
#define FIELD		"to.3"	/* the field passed to may_share */

#define SEC		1	/* the report's sector: finance */
#define OSEC		5	/* another sector: electricity */

/* A path entry. */
#define PE(org, type, joined) \
	{ .org_id = (org), .org_type = (type), .joined_us = (joined) }

/* ---- the oracle ------------------------------------------------------ */

/*
 * The report TLP ceiling (tlp.json, report audience): the GREEN row here,
 * the rows it shares with the advisory audience in fixtures.c.  "Sector"
 * is the report's sector.
 */
static const enum fx_ceiling green[ORG__COUNT] = {
	[ORG_NISC] = FX_IN, [ORG_CI_MINISTRY] = FX_IN,
	[ORG_IR_MINISTRY] = FX_IN, [ORG_CS_MINISTRY] = FX_IN,
	[ORG_DM_MINISTRY] = FX_IN, [ORG_CS_AGENCY] = FX_IN,
	[ORG_CYBER_BUSINESS] = FX_IN, [ORG_CEPTOAR_SEC] = FX_IN,
	[ORG_CI_OPERATOR] = FX_IN,
};

static bool
oracle_in_ceiling(enum cs_tlp tlp, enum cs_org_type t, bool has_sector)
{
	return fx_in_ceiling(green, tlp, t, has_sector);
}

/* The ※1 parties. */
static bool
oracle_nisc_exception(enum cs_org_type t, bool pre_arranged)
{
	return t == ORG_CAS || (t == ORG_CS_AGENCY && pre_arranged);
}

/* How the principal's org stands to the report, as the test builds it. */
enum rel {
	R_SUBMITTER = 0,
	R_PATH_CEPTOAR,
	R_PATH_MINISTRY,
	R_PATH_NISC,
	R_SHARED_IN_SECTOR,	/* shared; the org has the report's sector */
	R_SHARED_OTHER_SECTOR,	/* shared; the org has another sector */
	R_SHARED_EXTRA,		/* shared, other sector, in extra */
	R_NOT_SHARED_SAME,	/* same sector, not shared */
	R_NOT_SHARED_OTHER,	/* other sector, not shared */
	R_EXTRA_ONLY,		/* listed in extra but never shared */
	R__COUNT
};
static const char *const rel_names[R__COUNT] = {
	"submitter", "path_ceptoar", "path_ministry", "path_nisc",
	"shared_in_sector", "shared_other_sector", "shared_extra",
	"not_shared_same_sector", "not_shared_other_sector", "extra_only"
};

/* The role sets crossed: none, each alone, all (fixtures.c). */
#define NROLESETS	FX_NROLESETS_REPORT

struct cell {
	enum cs_org_type	type;
	size_t			roleset;
	bool			nda;
	bool			pre;	/* the org's pre_arranged */
	enum rel		rel;
	enum cs_tlp		tlp;
	bool			anon;
};

static bool
cell_has_sector(const struct cell *c)
{
	return c->rel != R_SHARED_OTHER_SECTOR && c->rel != R_SHARED_EXTRA &&
	    c->rel != R_NOT_SHARED_OTHER;
}

static enum cs_relation
oracle_relation(const struct cell *c)
{
	if (c->type == ORG_PLATFORM)
		return REL_NONE;
	switch (c->rel) {
	case R_SUBMITTER:
		return REL_SUBMITTER;
	case R_PATH_CEPTOAR:
		return REL_CEPTOAR;
	case R_PATH_MINISTRY:
		return REL_MINISTRY;
	case R_PATH_NISC:
		return REL_NISC;
	case R_SHARED_IN_SECTOR:
	case R_SHARED_OTHER_SECTOR:
	case R_SHARED_EXTRA:
		return REL_SHARED;
	default:
		return REL_NONE;
	}
}

static bool
oracle_read(const struct cell *c)
{
	enum cs_relation rel = oracle_relation(c);

	if (rel == REL_NONE)
		return false;
	if (c->nda && (c->tlp == TLP_RED || c->tlp == TLP_AMBER_STRICT))
		return false;
	if (rel != REL_SHARED)
		return true;
	return oracle_in_ceiling(c->tlp, c->type, cell_has_sector(c)) ||
	    c->rel == R_SHARED_EXTRA || oracle_nisc_exception(c->type, c->pre);
}

/*
 * A version is visible to a reader once the report had reached it: from the
 * start for its source and CEPTOAR, from the ministry on for the ministry
 * (and for shared orgs when anonymised), at NISC for NISC.
 */
static bool
oracle_version_visible(const struct cell *c, enum cs_state reached)
{
	static const enum cs_state seen_from[] = {
		[REL_SUBMITTER] = ST_AT_CEPTOAR,
		[REL_CEPTOAR] = ST_AT_CEPTOAR,
		[REL_MINISTRY] = ST_AT_MINISTRY,
		[REL_NISC] = ST_AT_NISC,
		[REL_SHARED] = ST_AT_CEPTOAR,
	};
	enum cs_relation rel = oracle_relation(c);

	if (!oracle_read(c) || rel == REL_NONE)
		return false;
	if (rel == REL_SHARED && c->anon)
		return reached >= ST_AT_MINISTRY;
	return reached >= seen_from[rel];
}

static bool
oracle_see_identity(const struct cell *c)
{
	enum cs_relation rel = oracle_relation(c);

	if (!oracle_read(c))
		return false;
	if (!c->anon)
		return true;
	return rel == REL_SUBMITTER || rel == REL_CEPTOAR;
}

struct target {
	enum cs_org_type	type;
	bool			has_sector;
	bool			pre;
	bool			in_extra;
};
#define NTARGETS	(ORG__COUNT * 2 * 2 * 2)

static struct target
target_at(size_t i)
{
	struct target t;

	t.type = (enum cs_org_type)(i / 8);
	t.has_sector = (i / 4) % 2 == 0;
	t.pre = (i / 2) % 2 == 1;
	t.in_extra = i % 2 == 1;
	return t;
}

/* Expected may_share result; *field_is_target when the refusal names FIELD. */
static enum cs_err
oracle_share(const struct cell *c, const struct target *t,
    bool *field_is_target)
{
	/* The roles that share, by relation; shared orgs do not re-share. */
	static const unsigned share_roles[] = {
		[REL_NONE] = 0,
		[REL_SUBMITTER] = ROLE_MEMBER | ROLE_POC | ROLE_ORG_ADMIN,
		[REL_CEPTOAR] = ROLE_POC | ROLE_MEMBER | ROLE_ORG_ADMIN,
		[REL_MINISTRY] = ROLE_LIAISON,
		[REL_NISC] = ROLE_ANALYST | ROLE_APPROVER,
		[REL_SHARED] = 0,
	};
	unsigned roles = fx_rolesets[c->roleset].roles;
	enum cs_relation rel = oracle_relation(c);

	*field_is_target = false;
	if (!oracle_read(c))
		return CS_ENOENT;
	/* An anonymised report is shared by its CEPTOAR, not its source. */
	if (rel == REL_SUBMITTER && c->anon)
		return CS_EPERM;
	if ((roles & share_roles[rel]) == 0)
		return CS_EPERM;
	*field_is_target = true;
	if (t->type == ORG_PLATFORM)
		return CS_EINVAL;	/* "no such organisation" */
	if (oracle_in_ceiling(c->tlp, t->type, t->has_sector) || t->in_extra)
		return CS_OK;
	if (rel == REL_NISC && oracle_nisc_exception(t->type, t->pre))
		return CS_OK;
	return CS_EPERM;
}

/* ---- building the inputs ---------------------------------------------- */

struct fixture {
	struct cs_principal	p;
	struct cs_report_acl	r;
	struct cs_path_entry	path[3];
	struct cs_org_ref	shared[2];
	int64_t			extra[3];
};

static void
build(const struct cell *c, struct fixture *f)
{
	uint32_t mysectors = 1u << (cell_has_sector(c) ? SEC : OSEC);
	int64_t submitter = c->rel == R_SUBMITTER ? ME : SRC_ORG;

	memset(f, 0, sizeof(*f));
	f->p.user_id = 77;
	f->p.org_id = ME;
	f->p.org_type = c->type;
	f->p.org_sectors = mysectors;
	f->p.roles = fx_rolesets[c->roleset].roles;
	f->p.nda_contractor = c->nda;
	f->p.org_pre_arranged = c->pre;

	f->r.id = RID;
	f->r.route = ROUTE_VIA_CEPTOAR;
	f->r.tlp = c->tlp;
	f->r.sector = SEC;
	f->r.anonymised = c->anon;
	if (c->anon) {
		f->r.submitter_org = 0;
		core_anon_tag(RID, submitter, f->r.anon_tag);
	} else
		f->r.submitter_org = submitter;

	f->path[0].org_id = c->rel == R_PATH_CEPTOAR ? ME : CEP_ORG;
	f->path[0].org_type = ORG_CEPTOAR_SEC;
	f->path[0].joined_us = 1;
	f->path[1].org_id = c->rel == R_PATH_MINISTRY ? ME : MIN_ORG;
	f->path[1].org_type = ORG_CI_MINISTRY;
	f->path[1].joined_us = 2;
	f->path[2].org_id = c->rel == R_PATH_NISC ? ME : NISC_ORG;
	f->path[2].org_type = ORG_NISC;
	f->path[2].joined_us = 3;
	f->r.path = f->path;
	f->r.npath = 3;

	f->shared[0].id = SHARED_ORG;
	f->shared[0].type = ORG_CI_OPERATOR;
	f->shared[0].sectors = 1u << SEC;
	f->r.shared = f->shared;
	f->r.nshared = 1;
	if (c->rel == R_SHARED_IN_SECTOR || c->rel == R_SHARED_OTHER_SECTOR ||
	    c->rel == R_SHARED_EXTRA) {
		f->shared[1].id = ME;
		f->shared[1].type = c->type;
		f->shared[1].sectors = mysectors;
		f->shared[1].pre_arranged = c->pre;
		f->r.nshared = 2;
	}

	f->extra[0] = EXTRA_ORG;
	f->r.extra = f->extra;
	f->r.nextra = 1;
	if (c->rel == R_SHARED_EXTRA || c->rel == R_EXTRA_ONLY)
		f->extra[f->r.nextra++] = ME;
}

static void
build_target(const struct target *t, size_t i, struct fixture *f,
    struct cs_org_ref *o)
{
	memset(o, 0, sizeof(*o));
	o->id = TARGET_BASE + (int64_t)i;
	o->type = t->type;
	o->sectors = 1u << (t->has_sector ? SEC : OSEC);
	o->pre_arranged = t->pre;
	if (t->in_extra)
		f->extra[f->r.nextra++] = o->id;
}

static const char *
describe(const struct cell *c)
{
	static char buf[256];

	(void)snprintf(buf, sizeof(buf), "type=%s roles=%s nda=%d pre=%d "
	    "rel=%s tlp=%s anon=%d", core_org_type_id(c->type),
	    fx_rolesets[c->roleset].name, c->nda, c->pre, rel_names[c->rel],
	    core_tlp_id(c->tlp), c->anon);
	return buf;
}

/* ---- the matrix -------------------------------------------------------- */

/* Calls fn for every cell of the matrix. */
static void
for_each_cell(void (*fn)(const struct cell *, struct tally *),
    struct tally *t)
{
	struct cell c;

	for (int type = 0; type < ORG__COUNT; type++)
	for (size_t rs = 0; rs < NROLESETS; rs++)
	for (int nda = 0; nda < 2; nda++)
	for (int pre = 0; pre < 2; pre++)
	for (int rel = 0; rel < R__COUNT; rel++)
	for (int tlp = TLP_RED; tlp <= TLP_CLEAR; tlp++)
	for (int anon = 0; anon < 2; anon++) {
		c.type = (enum cs_org_type)type;
		c.roleset = rs;
		c.nda = nda;
		c.pre = pre;
		c.rel = (enum rel)rel;
		c.tlp = (enum cs_tlp)tlp;
		c.anon = anon;
		t->cells++;
		fn(&c, t);
	}
}

/* 12 org types x 9 role sets x 2 nda x 2 pre_arranged x 10 relations x
 * 5 TLP x 2 anonymised. */
#define EXPECTED_CELLS	(12 * 9 * 2 * 2 * 10 * 5 * 2)

static void
check_read_cell(const struct cell *c, struct tally *t)
{
	struct fixture f;
	enum cs_relation rel, want_rel;
	bool got, want;

	build(c, &f);
	rel = policy_report_relation(&f.p, &f.r);
	want_rel = oracle_relation(c);
	tally_check(t, "relation", describe(c), (int)rel, (int)want_rel);
	got = policy_report_may_read(&f.p, &f.r);
	want = oracle_read(c);
	tally_check(t, "may_read", describe(c), got, want);
}

static void
test_matrix_read(void **state)
{
	struct tally t = { 0, 0, 0 };

	(void)state;
	assert_int_equal(ORG__COUNT, 12);
	assert_int_equal(NROLESETS, 9);
	for_each_cell(check_read_cell, &t);
	print_message("may_read matrix: %zu cells, %zu checks, "
	    "%zu mismatches\n", t.cells, t.checks, t.mismatches);
	assert_int_equal(t.cells, EXPECTED_CELLS);
	assert_int_equal(t.cells, 43200);
	assert_int_equal(t.checks, 2 * EXPECTED_CELLS);
	assert_int_equal(t.mismatches, 0);
}

static void
check_share_cell(const struct cell *c, struct tally *t)
{
	struct fixture f;
	struct cs_org_ref target;
	struct cs_error e;
	enum cs_err got, want;
	bool field_is_target;

	size_t base;

	build(c, &f);
	base = f.r.nextra;
	for (size_t i = 0; i < NTARGETS; i++) {
		struct target tg = target_at(i);

		f.r.nextra = base;
		build_target(&tg, i, &f, &target);
		want = oracle_share(c, &tg, &field_is_target);
		cs_error_clear(&e);
		got = policy_report_may_share(&f.p, &f.r, &target, FIELD, &e);
		t->checks++;
		if (got != want) {
			mismatch(t, "may_share %s -> target type=%s sector=%d "
			    "pre=%d extra=%d: got %s, expected %s (%s)",
			    describe(c), core_org_type_id(tg.type),
			    tg.has_sector, tg.pre, tg.in_extra,
			    cs_err_name(got), cs_err_name(want), e.msg);
			continue;
		}
		if (got != CS_OK && e.code != got)
			mismatch(t, "may_share %s: returned %s, e.code %s",
			    describe(c), cs_err_name(got), cs_err_name(e.code));
		if (got != CS_OK && field_is_target &&
		    strcmp(e.field, FIELD) != 0)
			mismatch(t, "may_share %s -> target type=%s: field "
			    "\"%s\", expected \"%s\"", describe(c),
			    core_org_type_id(tg.type), e.field, FIELD);
		if (got != CS_OK && e.msg[0] == '\0')
			mismatch(t, "may_share %s: no message", describe(c));
	}
}

static void
test_matrix_share(void **state)
{
	struct tally t = { 0, 0, 0 };

	(void)state;
	assert_int_equal(NTARGETS, 96);
	for_each_cell(check_share_cell, &t);
	print_message("may_share matrix: %zu cells x %d targets = %zu checks, "
	    "%zu mismatches\n", t.cells, (int)NTARGETS, t.checks,
	    t.mismatches);
	assert_int_equal(t.cells, EXPECTED_CELLS);
	assert_int_equal(t.checks, (size_t)EXPECTED_CELLS * NTARGETS);
	assert_int_equal(t.mismatches, 0);
}

static void
check_version_identity_cell(const struct cell *c, struct tally *t)
{
	struct fixture f;
	bool got, want;

	build(c, &f);
	for (int s = ST_AT_CEPTOAR; s <= ST_AT_NISC; s++) {
		got = policy_report_version_visible(&f.p, &f.r,
		    (enum cs_state)s);
		want = oracle_version_visible(c, (enum cs_state)s);
		t->checks++;
		if (got != want)
			mismatch(t, "version_visible %s reached=%s: got %d, "
			    "expected %d", describe(c),
			    core_state_id((enum cs_state)s), got, want);
	}
	got = policy_report_may_see_identity(&f.p, &f.r);
	want = oracle_see_identity(c);
	tally_check(t, "may_see_identity", describe(c), got, want);
}

static void
test_matrix_version_identity(void **state)
{
	struct tally t = { 0, 0, 0 };

	(void)state;
	for_each_cell(check_version_identity_cell, &t);
	print_message("version_visible/may_see_identity matrix: %zu cells, "
	    "%zu checks, %zu mismatches\n", t.cells, t.checks, t.mismatches);
	assert_int_equal(t.cells, EXPECTED_CELLS);
	assert_int_equal(t.checks, 4 * EXPECTED_CELLS);
	assert_int_equal(t.mismatches, 0);
}

/*
 * Sanity of the oracle itself against a few facts written out by hand, so
 * that a mistake in the table above cannot silently agree with policy.c.
 */
static const struct {
	struct cell	 cell;	/* a member (roleset 1) */
	bool		 reads;
	const char	*fact;
} spot_reads[] = {
	{ { .type = ORG_CI_OPERATOR, .rel = R_NOT_SHARED_SAME,
	    .tlp = TLP_CLEAR }, false,
	    "a bank's report is not seen by a bank it was not shared with" },
	{ { .type = ORG_CI_OPERATOR, .rel = R_SHARED_IN_SECTOR,
	    .tlp = TLP_RED }, false,
	    "RED shared with a same-sector operator: outside the ceiling" },
	{ { .type = ORG_CI_OPERATOR, .rel = R_SHARED_IN_SECTOR,
	    .tlp = TLP_AMBER }, true,
	    "AMBER shared with a same-sector operator: inside" },
	{ { .type = ORG_CI_OPERATOR, .rel = R_SHARED_IN_SECTOR,
	    .tlp = TLP_AMBER_STRICT }, true,
	    "AMBER+STRICT shared with a same-sector operator: inside" },
	{ { .type = ORG_CI_OPERATOR, .nda = true, .rel = R_SHARED_IN_SECTOR,
	    .tlp = TLP_AMBER_STRICT }, false,
	    "... but not for an NDA contractor" },
	{ { .type = ORG_CI_MINISTRY, .nda = true, .rel = R_PATH_MINISTRY,
	    .tlp = TLP_RED }, false,
	    "the contractor of the ministry on the path does not read RED" },
	{ { .type = ORG_CI_MINISTRY, .rel = R_PATH_MINISTRY, .tlp = TLP_RED },
	    true, "the ministry on the path reads RED" },
	{ { .type = ORG_CAS, .rel = R_SHARED_OTHER_SECTOR, .tlp = TLP_RED },
	    true, "CAS shared at RED reads (※1)" },
	{ { .type = ORG_CEPTOAR_COUNCIL, .rel = R_SHARED_OTHER_SECTOR,
	    .tlp = TLP_GREEN }, false,
	    "a council shared at GREEN does not read" },
	{ { .type = ORG_CEPTOAR_COUNCIL, .rel = R_SHARED_OTHER_SECTOR,
	    .tlp = TLP_CLEAR }, true,
	    "a council shared at CLEAR reads" },
	{ { .type = ORG_PLATFORM, .rel = R_SUBMITTER, .tlp = TLP_CLEAR },
	    false, "the platform reads nothing, even its own submission" },
};

static void
test_oracle_spot_checks(void **state)
{
	struct cell c;

	(void)state;
	for (size_t i = 0; i < sizeof(spot_reads) / sizeof(spot_reads[0]); i++) {
		c = spot_reads[i].cell;
		c.roleset = 1;	/* member */
		if (oracle_read(&c) != spot_reads[i].reads)
			fail_msg("oracle_read: %s", spot_reads[i].fact);
	}
}

/* ---- policy_report_in_ceiling ------------------------------------------ */

static void
test_in_ceiling(void **state)
{
	static const uint32_t sets[] = { 0, 1u << SEC, 1u << OSEC,
	    CS_ALL_SECTORS, (1u << SEC) | (1u << OSEC) };
	struct cs_org_ref o;
	size_t n = 0;

	(void)state;
	memset(&o, 0, sizeof(o));
	for (int tlp = TLP_RED; tlp <= TLP_CLEAR; tlp++)
	for (int type = 0; type < ORG__COUNT; type++)
	for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++)
	for (int pre = 0; pre < 2; pre++) {
		bool want, got;

		o.id = 42;
		o.type = (enum cs_org_type)type;
		o.sectors = sets[s];
		o.pre_arranged = pre;
		want = oracle_in_ceiling((enum cs_tlp)tlp, o.type,
		    (sets[s] & (1u << SEC)) != 0);
		got = policy_report_in_ceiling((enum cs_tlp)tlp, SEC, &o);
		if (got != want)
			fail_msg("in_ceiling tlp=%s type=%s sectors=%#x "
			    "pre=%d: got %d expected %d",
			    core_tlp_id((enum cs_tlp)tlp),
			    core_org_type_id(o.type), sets[s], pre, got, want);
		/* A report with no valid sector is inside only where no
		 * sector is needed. */
		want = fx_ceiling_of(green, (enum cs_tlp)tlp,
		    (enum cs_org_type)type) == FX_IN;
		got = policy_report_in_ceiling((enum cs_tlp)tlp, -1, &o);
		if (got != want)
			fail_msg("in_ceiling sector=-1 tlp=%s type=%s",
			    core_tlp_id((enum cs_tlp)tlp),
			    core_org_type_id(o.type));
		got = policy_report_in_ceiling((enum cs_tlp)tlp, CS_NSECTORS,
		    &o);
		if (got != want)
			fail_msg("in_ceiling sector=15 tlp=%s type=%s",
			    core_tlp_id((enum cs_tlp)tlp),
			    core_org_type_id(o.type));
		n++;
	}
	print_message("in_ceiling: %zu cells\n", n);
	assert_int_equal(n, 5 * 12 * 5 * 2);
}

/* ---- targeted cases ----------------------------------------------------- */

static struct cs_principal
principal(int64_t org, enum cs_org_type type, uint32_t sectors,
    unsigned roles)
{
	struct cs_principal p;

	memset(&p, 0, sizeof(p));
	p.user_id = 1;
	p.org_id = org;
	p.org_type = type;
	p.org_sectors = sectors;
	p.roles = roles;
	return p;
}

static const struct cs_path_entry std_path[] = {
	PE(CEP_ORG, ORG_CEPTOAR_SEC, 1),
	PE(MIN_ORG, ORG_CI_MINISTRY, 2),
	PE(NISC_ORG, ORG_NISC, 3),
};

static struct cs_report_acl
report(enum cs_tlp tlp, bool anon)
{
	struct cs_report_acl r;

	memset(&r, 0, sizeof(r));
	r.id = RID;
	r.route = ROUTE_VIA_CEPTOAR;
	r.tlp = tlp;
	r.sector = SEC;
	r.anonymised = anon;
	if (anon)
		core_anon_tag(RID, SRC_ORG, r.anon_tag);
	else
		r.submitter_org = SRC_ORG;
	r.path = std_path;
	r.npath = 3;
	return r;
}

/* The report is shared with one organisation, o, filled in here. */
static void
share_with(struct cs_report_acl *r, struct cs_org_ref *o, int64_t id,
    enum cs_org_type type, uint32_t sectors, bool pre_arranged)
{
	o->id = id;
	o->type = type;
	o->sectors = sectors;
	o->pre_arranged = pre_arranged;
	r->shared = o;
	r->nshared = 1;
}

static void
test_org_zero_never_reads(void **state)
{
	static const struct cs_path_entry zpath[] = {
		PE(0, ORG_CEPTOAR_SEC, 1), PE(0, ORG_CI_MINISTRY, 2),
		PE(0, ORG_NISC, 3),
	};
	static const int64_t zextra[] = { 0 };
	struct cs_org_ref zshared[1];
	struct cs_principal p;
	struct cs_report_acl r;
	struct cs_error e;
	struct cs_org_ref t = { .id = 42, .type = ORG_NISC,
	    .sectors = CS_ALL_SECTORS, .pre_arranged = false };

	(void)state;
	memset(zshared, 0, sizeof(zshared));
	for (int type = 0; type < ORG__COUNT; type++)
	for (int tlp = TLP_RED; tlp <= TLP_CLEAR; tlp++)
	for (int anon = 0; anon < 2; anon++) {
		p = principal(0, (enum cs_org_type)type, CS_ALL_SECTORS,
		    ROLE_MEMBER | ROLE_POC | ROLE_LIAISON | ROLE_ANALYST);
		p.org_pre_arranged = true;
		r = report((enum cs_tlp)tlp, anon);
		/* Org 0 is everywhere: submitter, path, shared, extra. */
		r.submitter_org = 0;
		if (anon)
			core_anon_tag(RID, 0, r.anon_tag);
		r.path = zpath;
		r.npath = 3;
		share_with(&r, &zshared[0], 0, (enum cs_org_type)type,
		    CS_ALL_SECTORS, true);
		r.extra = zextra;
		r.nextra = 1;
		assert_int_equal(policy_report_relation(&p, &r), REL_NONE);
		assert_false(policy_report_may_read(&p, &r));
		assert_false(policy_report_may_see_identity(&p, &r));
		assert_false(policy_report_version_visible(&p, &r, ST_AT_NISC));
		assert_int_equal(policy_report_may_share(&p, &r, &t, FIELD, &e),
		    CS_ENOENT);
	}
}

static void
test_platform_never_reads(void **state)
{
	struct cs_path_entry path[3];
	struct cs_org_ref shared[1];
	int64_t extra[1] = { ME };
	struct cs_principal p;
	struct cs_report_acl r;
	struct cs_error e;
	struct cs_org_ref t = { .id = 42, .type = ORG_NISC,
	    .sectors = CS_ALL_SECTORS, .pre_arranged = false };

	(void)state;
	memset(shared, 0, sizeof(shared));
	/* The platform org holding the report in every way at once. */
	for (int tlp = TLP_RED; tlp <= TLP_CLEAR; tlp++)
	for (int anon = 0; anon < 2; anon++) {
		p = principal(ME, ORG_PLATFORM, CS_ALL_SECTORS,
		    ROLE_ADMIN | ROLE_ORG_ADMIN | ROLE_MEMBER | ROLE_ANALYST);
		p.org_pre_arranged = true;
		r = report((enum cs_tlp)tlp, anon);
		if (anon)
			core_anon_tag(RID, ME, r.anon_tag);
		else
			r.submitter_org = ME;
		for (int i = 0; i < 3; i++) {
			path[i] = std_path[i];
			path[i].org_id = ME;
		}
		r.path = path;
		share_with(&r, &shared[0], ME, ORG_PLATFORM, CS_ALL_SECTORS,
		    true);
		r.extra = extra;
		r.nextra = 1;
		assert_int_equal(policy_report_relation(&p, &r), REL_NONE);
		assert_false(policy_report_may_read(&p, &r));
		assert_false(policy_report_may_see_identity(&p, &r));
		assert_false(policy_report_version_visible(&p, &r,
		    ST_AT_CEPTOAR));
		assert_int_equal(policy_report_may_share(&p, &r, &t, FIELD, &e),
		    CS_ENOENT);
	}
}

static void
test_anon_submitter_by_tag_only(void **state)
{
	struct cs_principal p;
	struct cs_report_acl r;

	(void)state;
	p = principal(ME, ORG_CI_OPERATOR, 1u << SEC, ROLE_MEMBER);

	/* The tag of this report and this org: the submitter. */
	r = report(TLP_RED, true);
	core_anon_tag(RID, ME, r.anon_tag);
	assert_int_equal(policy_report_relation(&p, &r), REL_SUBMITTER);
	assert_true(policy_report_may_read(&p, &r));
	assert_true(policy_report_may_see_identity(&p, &r));

	/* The tag of another report of the same org: not the submitter. */
	core_anon_tag(RID + 1, ME, r.anon_tag);
	assert_int_equal(policy_report_relation(&p, &r), REL_NONE);
	assert_false(policy_report_may_read(&p, &r));

	/* submitter_org is ignored once anonymised. */
	core_anon_tag(RID, SRC_ORG, r.anon_tag);
	r.submitter_org = ME;
	assert_int_equal(policy_report_relation(&p, &r), REL_NONE);
	assert_false(policy_report_may_read(&p, &r));

	/* An all-zero tag proves nothing. */
	memset(r.anon_tag, 0, sizeof(r.anon_tag));
	r.submitter_org = 0;
	assert_false(policy_report_may_read(&p, &r));

	/* Non-anonymised: the tag is ignored, submitter_org decides. */
	r = report(TLP_RED, false);
	core_anon_tag(RID, ME, r.anon_tag);
	assert_int_equal(policy_report_relation(&p, &r), REL_NONE);
	assert_false(policy_report_may_read(&p, &r));
	r.submitter_org = ME;
	assert_int_equal(policy_report_relation(&p, &r), REL_SUBMITTER);
	assert_true(policy_report_may_read(&p, &r));
}

static void
test_path_entry_types(void **state)
{
	struct cs_path_entry path[2];
	struct cs_org_ref shared[1];
	struct cs_principal p;
	struct cs_report_acl r;

	(void)state;
	memset(shared, 0, sizeof(shared));
	/* Only ceptoar_secretariat, ci_ministry and nisc entries relate. */
	for (int type = 0; type < ORG__COUNT; type++) {
		enum cs_relation want = REL_NONE;

		if (type == ORG_CEPTOAR_SEC)
			want = REL_CEPTOAR;
		else if (type == ORG_CI_MINISTRY)
			want = REL_MINISTRY;
		else if (type == ORG_NISC)
			want = REL_NISC;
		p = principal(ME, ORG_CI_OPERATOR, 1u << OSEC, ROLE_MEMBER);
		r = report(TLP_AMBER, false);
		path[0].org_id = ME;
		path[0].org_type = (enum cs_org_type)type;
		path[0].joined_us = 1;
		r.path = path;
		r.npath = 1;
		assert_int_equal(policy_report_relation(&p, &r), want);
		assert_int_equal(policy_report_may_read(&p, &r),
		    want != REL_NONE);
	}
	/* A source entry first does not hide a later CEPTOAR entry. */
	p = principal(ME, ORG_CEPTOAR_SEC, 1u << SEC, ROLE_POC);
	r = report(TLP_RED, true);
	path[0].org_id = ME;
	path[0].org_type = ORG_CI_OPERATOR;
	path[1].org_id = ME;
	path[1].org_type = ORG_CEPTOAR_SEC;
	r.path = path;
	r.npath = 2;
	assert_int_equal(policy_report_relation(&p, &r), REL_CEPTOAR);
	/* A non-holding path entry plus a share: the share decides. */
	p = principal(ME, ORG_CI_OPERATOR, 1u << OSEC, ROLE_MEMBER);
	r = report(TLP_AMBER, false);
	path[0].org_type = ORG_CI_OPERATOR;
	r.path = path;
	r.npath = 1;
	share_with(&r, &shared[0], ME, ORG_CI_OPERATOR, 1u << OSEC, false);
	assert_int_equal(policy_report_relation(&p, &r), REL_SHARED);
	assert_false(policy_report_may_read(&p, &r));	/* other sector */
	r.tlp = TLP_GREEN;
	assert_true(policy_report_may_read(&p, &r));
}

static void
test_relation_precedence(void **state)
{
	struct cs_org_ref shared[1];
	struct cs_path_entry path[1];
	struct cs_principal p;
	struct cs_report_acl r;

	(void)state;
	memset(shared, 0, sizeof(shared));
	/* A submitter also listed as shared outside the ceiling still reads. */
	p = principal(ME, ORG_CI_OPERATOR, 1u << OSEC, ROLE_MEMBER);
	r = report(TLP_RED, false);
	r.submitter_org = ME;
	share_with(&r, &shared[0], ME, ORG_CI_OPERATOR, 1u << OSEC, false);
	assert_int_equal(policy_report_relation(&p, &r), REL_SUBMITTER);
	assert_true(policy_report_may_read(&p, &r));

	/* A ministry on the path that was also shared with is the ministry. */
	p = principal(ME, ORG_CI_MINISTRY, 1u << OSEC, ROLE_LIAISON);
	r = report(TLP_RED, true);
	path[0].org_id = ME;
	path[0].org_type = ORG_CI_MINISTRY;
	path[0].joined_us = 1;
	r.path = path;
	r.npath = 1;
	shared[0].type = ORG_CI_MINISTRY;
	r.shared = shared;
	r.nshared = 1;
	assert_int_equal(policy_report_relation(&p, &r), REL_MINISTRY);
	assert_true(policy_report_may_read(&p, &r));
	assert_false(policy_report_version_visible(&p, &r, ST_AT_CEPTOAR));
	assert_true(policy_report_version_visible(&p, &r, ST_AT_MINISTRY));
}

static void
test_followup_tightens(void **state)
{
	struct cs_org_ref shared[1];
	struct cs_principal p;
	struct cs_report_acl r;

	(void)state;
	memset(shared, 0, sizeof(shared));
	/* Shared at GREEN with an operator of another sector ... */
	p = principal(ME, ORG_CI_OPERATOR, 1u << OSEC, ROLE_MEMBER);
	r = report(TLP_GREEN, false);
	share_with(&r, &shared[0], ME, ORG_CI_OPERATOR, 1u << OSEC, false);
	assert_true(policy_report_may_read(&p, &r));
	/* ... a follow-up tightens to AMBER: it no longer reads. */
	r.tlp = TLP_AMBER;
	assert_false(policy_report_may_read(&p, &r));
	/* Same sector operators still do, even at AMBER+STRICT ... */
	p.org_sectors = shared[0].sectors = 1u << SEC;
	r.tlp = TLP_AMBER_STRICT;
	assert_true(policy_report_may_read(&p, &r));
	/* ... but not their NDA contractors, nor anyone at RED. */
	p.nda_contractor = true;
	assert_false(policy_report_may_read(&p, &r));
	p.nda_contractor = false;
	r.tlp = TLP_RED;
	assert_false(policy_report_may_read(&p, &r));
}

/*
 * An anonymised report the CEPTOAR secretariat shares before forwarding it:
 * the shared organisation reads nothing until a version left the
 * anonymising hop (not even an empty report: the property test's finding).
 */
static void
test_anon_shared_before_forward(void **state)
{
	static const struct cs_path_entry at_cep[] = {
		PE(CEP_ORG, ORG_CEPTOAR_SEC, 1),
	};
	struct cs_org_ref shared[1];
	struct cs_principal p, cep;
	struct cs_report_acl r;

	(void)state;
	memset(shared, 0, sizeof(shared));
	p = principal(ME, ORG_CYBER_BUSINESS, 0, ROLE_MEMBER);
	cep = principal(CEP_ORG, ORG_CEPTOAR_SEC, 1u << SEC, ROLE_POC);
	r = report(TLP_CLEAR, true);
	r.path = at_cep;
	r.npath = 1;
	share_with(&r, &shared[0], ME, ORG_CYBER_BUSINESS, 0, false);
	assert_false(policy_report_may_read(&p, &r));
	assert_true(policy_report_may_read(&cep, &r));
	/* not anonymised: the share reads at once */
	r.anonymised = false;
	r.submitter_org = SRC_ORG;
	assert_true(policy_report_may_read(&p, &r));
	/* forwarded to the ministry: the shared organisation reads */
	r = report(TLP_CLEAR, true);
	share_with(&r, &shared[0], ME, ORG_CYBER_BUSINESS, 0, false);
	assert_true(policy_report_may_read(&p, &r));
}

static void
expect_share(const struct cs_principal *p, const struct cs_report_acl *r,
    const struct cs_org_ref *t, enum cs_err want, const char *want_field,
    const char *what)
{
	struct cs_error e;
	enum cs_err got;

	cs_error_clear(&e);
	got = policy_report_may_share(p, r, t, "to.0", &e);
	fx_expect_answer(what, got, &e, want, want_field);
}

static void
test_share_examples(void **state)
{
	static const struct cs_path_entry me_nisc[] = {
		PE(CEP_ORG, ORG_CEPTOAR_SEC, 1),
		PE(MIN_ORG, ORG_CI_MINISTRY, 2),
		PE(ME, ORG_NISC, 3),
	};
	static const struct cs_path_entry me_ministry[] = {
		PE(CEP_ORG, ORG_CEPTOAR_SEC, 1), PE(ME, ORG_CI_MINISTRY, 2),
	};
	static const struct cs_path_entry me_ceptoar[] = {
		PE(ME, ORG_CEPTOAR_SEC, 1),
	};
	static const int64_t extra[] = { 650 };
	const struct cs_org_ref min_in = { .id = 601,
	    .type = ORG_CI_MINISTRY, .sectors = 1u << SEC,
	    .pre_arranged = false };
	const struct cs_org_ref min_out = { .id = 602,
	    .type = ORG_CI_MINISTRY, .sectors = 1u << OSEC,
	    .pre_arranged = false };
	const struct cs_org_ref op_in = { .id = 603,
	    .type = ORG_CI_OPERATOR, .sectors = 1u << SEC,
	    .pre_arranged = false };
	const struct cs_org_ref op_out = { .id = 604,
	    .type = ORG_CI_OPERATOR, .sectors = 1u << OSEC,
	    .pre_arranged = false };
	const struct cs_org_ref cas = { .id = 605,
	    .type = ORG_CAS, .sectors = 0,
	    .pre_arranged = false };
	const struct cs_org_ref agency_pre = { .id = 606,
	    .type = ORG_CS_AGENCY, .sectors = 0,
	    .pre_arranged = true };
	const struct cs_org_ref agency = { .id = 607,
	    .type = ORG_CS_AGENCY, .sectors = 0,
	    .pre_arranged = false };
	const struct cs_org_ref council = { .id = 608,
	    .type = ORG_CEPTOAR_COUNCIL, .sectors = 0,
	    .pre_arranged = false };
	const struct cs_org_ref platform = { .id = 609,
	    .type = ORG_PLATFORM, .sectors = CS_ALL_SECTORS,
	    .pre_arranged = true };
	const struct cs_org_ref listed = { .id = 650,
	    .type = ORG_CI_OPERATOR, .sectors = 1u << OSEC,
	    .pre_arranged = false };
	struct cs_principal p;
	struct cs_report_acl r;

	(void)state;
	/* NISC analyst, RED report. */
	p = principal(ME, ORG_NISC, 0, ROLE_ANALYST);
	r = report(TLP_RED, true);
	r.path = me_nisc;
	r.npath = 3;
	r.extra = extra;
	r.nextra = 1;
	expect_share(&p, &r, &min_in, CS_OK, NULL, "NISC RED -> ministry");
	expect_share(&p, &r, &min_out, CS_EPERM, "to.0",
	    "NISC RED -> other ministry");
	expect_share(&p, &r, &op_in, CS_EPERM, "to.0", "NISC RED -> operator");
	expect_share(&p, &r, &cas, CS_OK, NULL, "NISC RED -> CAS (※1)");
	expect_share(&p, &r, &agency_pre, CS_OK, NULL,
	    "NISC RED -> pre-arranged agency (※1)");
	expect_share(&p, &r, &agency, CS_EPERM, "to.0", "NISC RED -> agency");
	expect_share(&p, &r, &listed, CS_OK, NULL, "NISC RED -> extra");
	expect_share(&p, &r, &platform, CS_EINVAL, "to.0",
	    "NISC RED -> platform");
	p.roles = ROLE_APPROVER;
	expect_share(&p, &r, &min_in, CS_OK, NULL, "NISC approver");
	p.roles = ROLE_MEMBER | ROLE_POC | ROLE_LIAISON | ROLE_ORG_ADMIN |
	    ROLE_ADMIN;
	expect_share(&p, &r, &min_in, CS_EPERM, NULL, "NISC non-analyst");
	/* Its NDA contractor cannot even read RED. */
	p.roles = ROLE_ANALYST;
	p.nda_contractor = true;
	expect_share(&p, &r, &min_in, CS_ENOENT, NULL, "NISC contractor RED");
	r.tlp = TLP_AMBER;
	expect_share(&p, &r, &op_in, CS_OK, NULL, "NISC contractor AMBER");
	p.nda_contractor = false;
	expect_share(&p, &r, &op_out, CS_EPERM, "to.0",
	    "NISC AMBER -> other-sector operator");
	expect_share(&p, &r, &council, CS_EPERM, "to.0",
	    "NISC AMBER -> council");
	r.tlp = TLP_GREEN;
	expect_share(&p, &r, &op_out, CS_OK, NULL,
	    "NISC GREEN -> other-sector operator");
	expect_share(&p, &r, &agency, CS_OK, NULL, "NISC GREEN -> agency");
	expect_share(&p, &r, &council, CS_EPERM, "to.0",
	    "NISC GREEN -> council");
	r.tlp = TLP_CLEAR;
	expect_share(&p, &r, &council, CS_OK, NULL, "NISC CLEAR -> council");
	expect_share(&p, &r, &platform, CS_EINVAL, "to.0",
	    "NISC CLEAR -> platform");

	/* Ministry liaison: no ※1 exception. */
	p = principal(ME, ORG_CI_MINISTRY, 1u << SEC, ROLE_LIAISON);
	r = report(TLP_RED, false);
	r.path = me_ministry;
	r.npath = 2;
	expect_share(&p, &r, &cas, CS_EPERM, "to.0", "ministry RED -> CAS");
	expect_share(&p, &r, &agency_pre, CS_EPERM, "to.0",
	    "ministry RED -> pre-arranged agency");
	expect_share(&p, &r, &min_in, CS_OK, NULL, "ministry RED -> ministry");
	/* Inside the ceiling the ※1 parties are ordinary targets. */
	r.tlp = TLP_GREEN;
	expect_share(&p, &r, &agency, CS_OK, NULL, "ministry GREEN -> agency");
	expect_share(&p, &r, &cas, CS_EPERM, "to.0", "ministry GREEN -> CAS");
	r.tlp = TLP_CLEAR;
	expect_share(&p, &r, &cas, CS_OK, NULL, "ministry CLEAR -> CAS");
	r.tlp = TLP_RED;
	p.roles = ROLE_MEMBER | ROLE_ANALYST | ROLE_POC;
	expect_share(&p, &r, &min_in, CS_EPERM, NULL, "ministry non-liaison");

	/* CEPTOAR secretariat, anonymised report. */
	p = principal(ME, ORG_CEPTOAR_SEC, 1u << SEC, ROLE_POC);
	r = report(TLP_AMBER_STRICT, true);
	r.path = me_ceptoar;
	r.npath = 1;
	expect_share(&p, &r, &op_in, CS_OK, NULL, "CEPTOAR A+S -> operator");
	expect_share(&p, &r, &op_out, CS_EPERM, "to.0",
	    "CEPTOAR A+S -> other sector");
	p.roles = ROLE_LIAISON | ROLE_ANALYST;
	expect_share(&p, &r, &op_in, CS_EPERM, NULL, "CEPTOAR analyst");

	/* The submitter: allowed in clear, refused when anonymised. */
	p = principal(ME, ORG_CI_OPERATOR, 1u << SEC, ROLE_MEMBER);
	r = report(TLP_AMBER, false);
	r.submitter_org = ME;
	expect_share(&p, &r, &op_in, CS_OK, NULL, "submitter -> operator");
	p.roles = ROLE_LIAISON;
	expect_share(&p, &r, &op_in, CS_EPERM, NULL, "submitter liaison");
	p.roles = ROLE_MEMBER;
	r = report(TLP_AMBER, true);
	core_anon_tag(RID, ME, r.anon_tag);
	expect_share(&p, &r, &op_in, CS_EPERM, NULL,
	    "anonymised submitter");
	p.roles = ROLE_ORG_ADMIN | ROLE_POC | ROLE_MEMBER;
	expect_share(&p, &r, &op_in, CS_EPERM, NULL,
	    "anonymised submitter, all roles");

	/* Shared orgs read but do not re-share. */
	{
		struct cs_org_ref me_shared[1] = { { .id = ME,
		    .type = ORG_CI_OPERATOR, .sectors = 1u << SEC } };

		p = principal(ME, ORG_CI_OPERATOR, 1u << SEC, ROLE_MEMBER |
		    ROLE_POC | ROLE_ORG_ADMIN | ROLE_ANALYST | ROLE_LIAISON);
		r = report(TLP_GREEN, false);
		r.shared = me_shared;
		r.nshared = 1;
		assert_true(policy_report_may_read(&p, &r));
		expect_share(&p, &r, &op_in, CS_EPERM, NULL, "shared org");
	}

	/* Not readable: CS_ENOENT, not a hint that it exists. */
	p = principal(ME, ORG_CI_OPERATOR, 1u << SEC, ROLE_MEMBER);
	r = report(TLP_CLEAR, false);
	expect_share(&p, &r, &op_in, CS_ENOENT, NULL, "unrelated");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oracle_spot_checks),
		cmocka_unit_test(test_in_ceiling),
		cmocka_unit_test(test_matrix_read),
		cmocka_unit_test(test_matrix_share),
		cmocka_unit_test(test_matrix_version_identity),
		cmocka_unit_test(test_org_zero_never_reads),
		cmocka_unit_test(test_platform_never_reads),
		cmocka_unit_test(test_anon_submitter_by_tag_only),
		cmocka_unit_test(test_path_entry_types),
		cmocka_unit_test(test_relation_precedence),
		cmocka_unit_test(test_followup_tightens),
		cmocka_unit_test(test_share_examples),
		cmocka_unit_test(test_anon_shared_before_forward),
	};

	return cmocka_run_group_tests(tests, fx_setup_keys, NULL);
}
