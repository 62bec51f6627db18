/*
 * enums.c: the reference identifiers of the spec (actors_and_flows.json,
 * sectors.json, tlp.json) as C tables.  tests/unit/test_core.c checks them
 * against the data/ files so the two cannot drift.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

static const char *org_types[ORG__COUNT] = {
	"platform", "nisc", "cas_crisis_management", "ci_ministry",
	"cybersecurity_ministry", "incident_response_ministry",
	"disaster_management_ministry", "cybersecurity_agency",
	"cyberspace_business", "ci_operator", "ceptoar_secretariat",
	"ceptoar_council"
};

static const char *sectors[CS_NSECTORS] = {
	"ict", "finance", "aviation", "airport", "railway", "electricity", "gas",
	"government", "medical", "water", "logistics", "chemical", "credit",
	"petroleum", "port"
};

static const char *roles[CS_NROLES] = {
	"member", "poc", "liaison", "analyst", "approver", "org_admin", "admin"
};

static const char *tlps[] = { "red", "amber_strict", "amber", "green", "clear" };
static const char *routes[] = { "direct", "via_ceptoar", "urgent" };
static const char *states[] = { "at_ceptoar", "at_ministry", "at_nisc" };
static const char *hops[] = { "source", "ceptoar", "ministry" };

static int
lookup(const char *const *tab, int n, const char *s)
{
	if (s == NULL)
		return -1;
	for (int i = 0; i < n; i++)
		if (strcmp(tab[i], s) == 0)
			return i;
	return -1;
}

const char *
core_org_type_id(enum cs_org_type t)
{
	return (unsigned)t < ORG__COUNT ? org_types[t] : "unknown";
}

int
core_org_type_parse(const char *s, enum cs_org_type *out)
{
	int i = lookup(org_types, ORG__COUNT, s);

	if (i <= 0)		/* "platform" is not a type clients may name */
		return -1;
	*out = (enum cs_org_type)i;
	return 0;
}

const char *
core_sector_id(int i)
{
	return i >= 0 && i < CS_NSECTORS ? sectors[i] : "unknown";
}

int
core_sector_parse(const char *s)
{
	return lookup(sectors, CS_NSECTORS, s);
}

const char *
core_role_id(int bit)
{
	return bit >= 0 && bit < CS_NROLES ? roles[bit] : "unknown";
}

unsigned
core_role_parse(const char *s)
{
	int i = lookup(roles, CS_NROLES, s);

	return i < 0 ? 0 : 1u << i;
}

const char *
core_tlp_id(enum cs_tlp t)
{
	return (unsigned)t <= TLP_CLEAR ? tlps[t] : "unknown";
}

int
core_tlp_parse(const char *s, enum cs_tlp *out)
{
	int i = lookup(tlps, 5, s);

	if (i < 0)
		return -1;
	*out = (enum cs_tlp)i;
	return 0;
}

const char *
core_route_id(enum cs_route r)
{
	return (unsigned)r <= ROUTE_URGENT ? routes[r] : "unknown";
}

int
core_route_parse(const char *s, enum cs_route *out)
{
	int i = lookup(routes, 3, s);

	if (i < 0)
		return -1;
	*out = (enum cs_route)i;
	return 0;
}

const char *
core_state_id(enum cs_state s)
{
	return (unsigned)s <= ST_AT_NISC ? states[s] : "unknown";
}

const char *
core_hop_id(enum cs_hop h)
{
	return (unsigned)h <= HOP_MINISTRY ? hops[h] : "unknown";
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

static const char *adv_states[] = { "pending_approval", "issued" };
static const char *importances[] = { "", "alert", "caution", "reference" };

const char *
core_adv_state_id(enum cs_adv_state s)
{
	return (unsigned)s <= ADV_ISSUED ? adv_states[s] : "unknown";
}

const char *
core_importance_id(enum cs_importance i)
{
	return (unsigned)i <= IMP_REFERENCE ? importances[i] : "";
}

enum cs_importance
core_importance_parse(const char *s)
{
	int i = lookup(importances + 1, 3, s);

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
