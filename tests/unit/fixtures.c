/*
 * fixtures.c: the shared fixtures of the core unit tests (fixtures.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fixtures.h"

const unsigned char fx_key_a[CS_KEY_BYTES] = {
	0x63, 0x69, 0x73, 0x68, 0x61, 0x72, 0x65, 0x2d, 0x74, 0x65, 0x73,
	0x74, 0x2d, 0x6b, 0x65, 0x79, 0x2d, 0x41, 0x01, 0x02, 0x03, 0x04,
	0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e
};
const unsigned char fx_key_b[CS_KEY_BYTES] = {
	0x63, 0x69, 0x73, 0x68, 0x61, 0x72, 0x65, 0x2d, 0x74, 0x65, 0x73,
	0x74, 0x2d, 0x6b, 0x65, 0x79, 0x2d, 0x42, 0x01, 0x02, 0x03, 0x04,
	0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e
};

int
fx_setup_keys(void **state)
{
	(void)state;
	core_keys_init(fx_key_a);
	return core_keys_ready() ? 0 : -1;
}

/* The rows both audiences share; GREEN comes from the caller. */
static const enum fx_ceiling common[5][ORG__COUNT] = {
	[TLP_RED] = {
		[ORG_NISC] = FX_IN, [ORG_CI_MINISTRY] = FX_IN_SECTOR,
	},
	[TLP_AMBER_STRICT] = {
		[ORG_NISC] = FX_IN, [ORG_CI_MINISTRY] = FX_IN_SECTOR,
		[ORG_CEPTOAR_SEC] = FX_IN_SECTOR, [ORG_CI_OPERATOR] = FX_IN_SECTOR,
	},
	[TLP_AMBER] = {
		[ORG_NISC] = FX_IN, [ORG_CI_MINISTRY] = FX_IN_SECTOR,
		[ORG_CEPTOAR_SEC] = FX_IN_SECTOR, [ORG_CI_OPERATOR] = FX_IN_SECTOR,
	},
	[TLP_CLEAR] = {
		[ORG_NISC] = FX_IN, [ORG_CAS] = FX_IN, [ORG_CI_MINISTRY] = FX_IN,
		[ORG_CS_MINISTRY] = FX_IN, [ORG_IR_MINISTRY] = FX_IN,
		[ORG_DM_MINISTRY] = FX_IN, [ORG_CS_AGENCY] = FX_IN,
		[ORG_CYBER_BUSINESS] = FX_IN, [ORG_CI_OPERATOR] = FX_IN,
		[ORG_CEPTOAR_SEC] = FX_IN, [ORG_CEPTOAR_COUNCIL] = FX_IN,
	},
};

enum fx_ceiling
fx_ceiling_of(const enum fx_ceiling green[ORG__COUNT], enum cs_tlp tlp,
    enum cs_org_type t)
{
	if (tlp == TLP_GREEN)
		return green[t];
	return common[tlp][t];
}

bool
fx_in_ceiling(const enum fx_ceiling green[ORG__COUNT], enum cs_tlp tlp,
    enum cs_org_type t, bool has_sector)
{
	switch (fx_ceiling_of(green, tlp, t)) {
	case FX_IN:
		return true;
	case FX_IN_SECTOR:
		return has_sector;
	default:
		return false;
	}
}

const struct fx_roleset fx_rolesets[FX_NROLESETS] = {
	{ 0, "none" },
	{ ROLE_MEMBER, "member" },
	{ ROLE_POC, "poc" },
	{ ROLE_LIAISON, "liaison" },
	{ ROLE_ANALYST, "analyst" },
	{ ROLE_APPROVER, "approver" },
	{ ROLE_ORG_ADMIN, "org_admin" },
	{ ROLE_ADMIN, "admin" },
	{ ROLE_MEMBER | ROLE_POC | ROLE_LIAISON | ROLE_ANALYST |
	    ROLE_APPROVER | ROLE_ORG_ADMIN | ROLE_ADMIN, "all" },
	{ ROLE_MEMBER | ROLE_ANALYST | ROLE_APPROVER | ROLE_ADMIN,
	    "all_but_relay_roles" },
};

void
fx_expect_answer(const char *what, enum cs_err got, const struct cs_error *e,
    enum cs_err want, const char *want_field)
{
	if (got != want)
		fail_msg("%s: got %s, expected %s (%s)", what, cs_err_name(got),
		    cs_err_name(want), e->msg);
	if (want != CS_OK && e->code != want)
		fail_msg("%s: e.code %s", what, cs_err_name(e->code));
	if (want != CS_OK && want_field != NULL &&
	    strcmp(e->field, want_field) != 0)
		fail_msg("%s: field \"%s\", expected \"%s\"", what, e->field,
		    want_field);
}

void
tally_check(struct tally *t, const char *what, const char *cell, int got,
    int want)
{
	t->checks++;
	if (got != want)
		mismatch(t, "%s %s: got %d, expected %d", what, cell, got, want);
}

void
mismatch(struct tally *t, const char *fmt, ...)
{
	va_list ap;
	char msg[640];

	if (t->mismatches++ < FX_MAX_REPORTED) {
		va_start(ap, fmt);
		(void)vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		print_error("MISMATCH %s\n", msg);
	}
}
