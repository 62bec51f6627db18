/*
 * fixtures.h: what the unit tests of src/core share (test_core.c and the
 * two policy matrices, test_policy.c and test_policy_adv.c): the test
 * master keys, the TLP ceilings both audiences have in common, the role
 * sets the matrices cross, and the mismatch tally.  Linked into those three
 * tests only (Makefile); it uses core and cmocka, nothing else.
 */
#ifndef CS_TESTS_FIXTURES_H
#define CS_TESTS_FIXTURES_H

#include "core/core.h"

#define FX_NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- keys ----------------------------------------------------------------- */

/* Two distinct deployment master keys ("cishare-test-key-A" and "-B"). */
extern const unsigned char fx_key_a[CS_KEY_BYTES];
extern const unsigned char fx_key_b[CS_KEY_BYTES];

/* cmocka group setup: core_keys_init(fx_key_a); fails if the keys are not ready. */
int		 fx_setup_keys(void **);

/* ---- the TLP ceilings (tlp.json audiences) ------------------------------- */

/*
 * Where an organisation type stands to a TLP's audience: outside, inside,
 * or inside when the organisation has the item's sector (a report's
 * sector, or one of an advisory's recipient sectors).
 */
enum fx_ceiling { FX_OUT = 0, FX_IN = 1, FX_IN_SECTOR = 2 };

/*
 * The ceiling of TLP tlp for organisation type t.  The report and the
 * advisory audiences agree on RED, AMBER+STRICT, AMBER and CLEAR (written
 * out once in fixtures.c); they differ on GREEN, so each caller passes its
 * own GREEN row.
 */
enum fx_ceiling	 fx_ceiling_of(const enum fx_ceiling green[ORG__COUNT],
		    enum cs_tlp tlp, enum cs_org_type t);
/* Inside: FX_IN, or FX_IN_SECTOR and has_sector. */
bool		 fx_in_ceiling(const enum fx_ceiling green[ORG__COUNT],
		    enum cs_tlp tlp, enum cs_org_type t, bool has_sector);

/* ---- role sets -------------------------------------------------------------- */

struct fx_roleset {
	unsigned	 roles;
	const char	*name;
};
/*
 * No role, each role alone, all roles, and all but the roles that relay
 * (the advisory matrix only: the report matrix crosses the first
 * FX_NROLESETS_REPORT).
 */
extern const struct fx_roleset fx_rolesets[];
#define FX_NROLESETS		10
#define FX_NROLESETS_REPORT	9
#define FX_ROLESET_ALL		8	/* every role */

/* ---- tally ------------------------------------------------------------------ */

#define FX_MAX_REPORTED	15	/* mismatches printed; the rest only counted */

struct tally {
	size_t	cells;
	size_t	checks;
	size_t	mismatches;
};

/* Counts a mismatch and prints the first FX_MAX_REPORTED of them. */
void		 mismatch(struct tally *, const char *, ...) CS_PRINTF(2, 3);
/* One check of an answer (a bool or an enum value): counted, and a mismatch
 * "WHAT CELL: got G, expected W" unless got is want. */
void		 tally_check(struct tally *, const char *what, const char *cell,
		    int got, int want);

/*
 * Checks the answer of a may_share or may_relay call: got is want, and a
 * refusal's error has that code and, when want_field is not NULL, that
 * field.  what names the case in the failure message.
 */
void		 fx_expect_answer(const char *what, enum cs_err got,
		    const struct cs_error *e, enum cs_err want,
		    const char *want_field);

#endif
