/*
 * enums.c: the C enums of core.h and their identifiers.  The identifiers
 * and labels are the generated vocabulary (build/gen/vocab.h, from data/
 * and tools/vocab-app.json by tools/gen-vocab); each enum value is an index
 * into its list, asserted below at compile time, so the enums, the data and
 * the web UI cannot drift.  tests/unit/test_core.c pins the ids.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "gen/vocab.h"

#define SAME(a, b)	_Static_assert((int)(a) == (int)(b), #a " != " #b)

SAME(ORG__COUNT, VOCAB_ORG_TYPE_N);
SAME(ORG_PLATFORM, VOCAB_ORG_TYPE_PLATFORM);
SAME(ORG_NISC, VOCAB_ORG_TYPE_NISC);
SAME(ORG_CAS, VOCAB_ORG_TYPE_CAS_CRISIS_MANAGEMENT);
SAME(ORG_CI_MINISTRY, VOCAB_ORG_TYPE_CI_MINISTRY);
SAME(ORG_CS_MINISTRY, VOCAB_ORG_TYPE_CYBERSECURITY_MINISTRY);
SAME(ORG_IR_MINISTRY, VOCAB_ORG_TYPE_INCIDENT_RESPONSE_MINISTRY);
SAME(ORG_DM_MINISTRY, VOCAB_ORG_TYPE_DISASTER_MANAGEMENT_MINISTRY);
SAME(ORG_CS_AGENCY, VOCAB_ORG_TYPE_CYBERSECURITY_AGENCY);
SAME(ORG_CYBER_BUSINESS, VOCAB_ORG_TYPE_CYBERSPACE_BUSINESS);
SAME(ORG_CI_OPERATOR, VOCAB_ORG_TYPE_CI_OPERATOR);
SAME(ORG_CEPTOAR_SEC, VOCAB_ORG_TYPE_CEPTOAR_SECRETARIAT);
SAME(ORG_CEPTOAR_COUNCIL, VOCAB_ORG_TYPE_CEPTOAR_COUNCIL);

SAME(CS_NSECTORS, VOCAB_SECTOR_N);

SAME(CS_NROLES, VOCAB_ROLE_N);
SAME(ROLE_MEMBER, 1u << VOCAB_ROLE_MEMBER);
SAME(ROLE_POC, 1u << VOCAB_ROLE_POC);
SAME(ROLE_LIAISON, 1u << VOCAB_ROLE_LIAISON);
SAME(ROLE_ANALYST, 1u << VOCAB_ROLE_ANALYST);
SAME(ROLE_APPROVER, 1u << VOCAB_ROLE_APPROVER);
SAME(ROLE_ORG_ADMIN, 1u << VOCAB_ROLE_ORG_ADMIN);
SAME(ROLE_ADMIN, 1u << VOCAB_ROLE_ADMIN);

SAME(TLP_RED, VOCAB_TLP_RED);
SAME(TLP_AMBER_STRICT, VOCAB_TLP_AMBER_STRICT);
SAME(TLP_AMBER, VOCAB_TLP_AMBER);
SAME(TLP_GREEN, VOCAB_TLP_GREEN);
SAME(TLP_CLEAR, VOCAB_TLP_CLEAR);
SAME(TLP_CLEAR + 1, VOCAB_TLP_N);

SAME(ROUTE_DIRECT, VOCAB_ROUTE_DIRECT);
SAME(ROUTE_VIA_CEPTOAR, VOCAB_ROUTE_VIA_CEPTOAR);
SAME(ROUTE_URGENT, VOCAB_ROUTE_URGENT);
SAME(ROUTE_URGENT + 1, VOCAB_ROUTE_N);

SAME(ST_AT_CEPTOAR, VOCAB_STATE_AT_CEPTOAR);
SAME(ST_AT_MINISTRY, VOCAB_STATE_AT_MINISTRY);
SAME(ST_AT_NISC, VOCAB_STATE_AT_NISC);
SAME(ST_AT_NISC + 1, VOCAB_STATE_N);

SAME(HOP_SOURCE, VOCAB_HOP_SOURCE);
SAME(HOP_CEPTOAR, VOCAB_HOP_CEPTOAR);
SAME(HOP_MINISTRY, VOCAB_HOP_MINISTRY);
SAME(HOP_MINISTRY + 1, VOCAB_HOP_N);

SAME(ADV_PENDING_APPROVAL, VOCAB_ADV_STATE_PENDING_APPROVAL);
SAME(ADV_ISSUED, VOCAB_ADV_STATE_ISSUED);
SAME(ADV_ISSUED + 1, VOCAB_ADV_STATE_N);

/* importance: 0 is "none", the levels follow */
SAME(IMP_ALERT, VOCAB_IMPORTANCE_ALERT + 1);
SAME(IMP_CAUTION, VOCAB_IMPORTANCE_CAUTION + 1);
SAME(IMP_REFERENCE, VOCAB_IMPORTANCE_REFERENCE + 1);
SAME(IMP_REFERENCE, VOCAB_IMPORTANCE_N);

const char *
core_org_type_id(enum cs_org_type t)
{
	return (unsigned)t < ORG__COUNT ? vocab_org_type[t].id : "unknown";
}

int
core_org_type_parse(const char *s, enum cs_org_type *out)
{
	int i = vocab_index(vocab_org_type, s);

	if (i <= 0)		/* "platform" is not a type clients may name */
		return -1;
	*out = (enum cs_org_type)i;
	return 0;
}

const char *
core_sector_id(int i)
{
	return i >= 0 && i < CS_NSECTORS ? vocab_sector[i].id : "unknown";
}

int
core_sector_parse(const char *s)
{
	return vocab_index(vocab_sector, s);
}

const char *
core_role_id(int bit)
{
	return bit >= 0 && bit < CS_NROLES ? vocab_role[bit].id : "unknown";
}

unsigned
core_role_parse(const char *s)
{
	int i = vocab_index(vocab_role, s);

	return i < 0 ? 0 : 1u << i;
}

const char *
core_tlp_id(enum cs_tlp t)
{
	return (unsigned)t <= TLP_CLEAR ? vocab_tlp[t].id : "unknown";
}

int
core_tlp_parse(const char *s, enum cs_tlp *out)
{
	int i = vocab_index(vocab_tlp, s);

	if (i < 0)
		return -1;
	*out = (enum cs_tlp)i;
	return 0;
}

const char *
core_route_id(enum cs_route r)
{
	return (unsigned)r <= ROUTE_URGENT ? vocab_route[r].id : "unknown";
}

int
core_route_parse(const char *s, enum cs_route *out)
{
	int i = vocab_index(vocab_route, s);

	if (i < 0)
		return -1;
	*out = (enum cs_route)i;
	return 0;
}

const char *
core_state_id(enum cs_state s)
{
	return (unsigned)s <= ST_AT_NISC ? vocab_state[s].id : "unknown";
}

const char *
core_hop_id(enum cs_hop h)
{
	return (unsigned)h <= HOP_MINISTRY ? vocab_hop[h].id : "unknown";
}

void
core_report_ident(int64_t r, int version, char *out, size_t sz)
{
	if (r <= 0)
		out[0] = '\0';
	else if (version <= 1)
		cs_fmt(out, sz, "R%lld", (long long)r);
	else
		cs_fmt(out, sz, "R%lld-%d", (long long)r, version);
}

const char *
core_adv_state_id(enum cs_adv_state s)
{
	return (unsigned)s <= ADV_ISSUED ? vocab_adv_state[s].id : "unknown";
}

const char *
core_importance_id(enum cs_importance i)
{
	if (i == IMP_NONE || (unsigned)i > IMP_REFERENCE)
		return "";
	return vocab_importance[i - 1].id;
}

enum cs_importance
core_importance_parse(const char *s)
{
	int i = vocab_index(vocab_importance, s);

	return i < 0 ? IMP_NONE : (enum cs_importance)(i + 1);
}

void
core_advisory_ident(int64_t t, int version, char *out, size_t sz)
{
	if (t <= 0)
		out[0] = '\0';
	else if (version <= 1)
		(void)snprintf(out, sz, "T%lld", (long long)t);
	else
		(void)snprintf(out, sz, "T%lld-%d", (long long)t, version);
}
