/*
 * enums.c: the C enums of core.h and their identifiers.  The identifiers
 * and labels are the generated vocabulary (build/gen/vocab.h, from data/
 * and tools/vocab-app.json by tools/gen-vocab); each enum value is an index
 * into its list, so the enums, the data and the web UI cannot drift.
 */
#include "core/core.h"
#include "gen/vocab.h"

/*
 * Each enum is an index into its list: the counts and the last values must
 * agree (a list that grew or shrank stops the build here), and
 * tests/unit/test_core.c pins every id, so a reordered list fails there.
 */
_Static_assert(ORG__COUNT == VOCAB_ORG_TYPE_N && ORG_PLATFORM == 0 &&
    ORG_CEPTOAR_COUNCIL == VOCAB_ORG_TYPE_CEPTOAR_COUNCIL,
    "enum cs_org_type differs from vocab_org_type");
_Static_assert(CS_NSECTORS == VOCAB_SECTOR_N, "CS_NSECTORS != VOCAB_SECTOR_N");
_Static_assert(CS_NROLES == VOCAB_ROLE_N &&
    ROLE_ADMIN == 1u << VOCAB_ROLE_ADMIN, "enum cs_role differs from vocab_role");
_Static_assert(TLP_CLEAR + 1 == VOCAB_TLP_N && TLP_RED == VOCAB_TLP_RED,
    "enum cs_tlp differs from vocab_tlp");
_Static_assert(ROUTE_URGENT + 1 == VOCAB_ROUTE_N,
    "enum cs_route differs from vocab_route");
_Static_assert(ST_AT_NISC + 1 == VOCAB_STATE_N, "enum cs_state: vocab_state");
_Static_assert(HOP_MINISTRY + 1 == VOCAB_HOP_N, "enum cs_hop: vocab_hop");
_Static_assert(ADV_RETURNED_FOR_REVISION + 1 == VOCAB_ADV_STATE_N &&
    ADV_PENDING_APPROVAL == VOCAB_ADV_STATE_PENDING_APPROVAL &&
    ADV_ISSUED == VOCAB_ADV_STATE_ISSUED &&
    ADV_PENDING_SOURCE_REVIEW == VOCAB_ADV_STATE_PENDING_SOURCE_REVIEW &&
    ADV_RETURNED == VOCAB_ADV_STATE_RETURNED &&
    ADV_RETURNED_FOR_REVISION == VOCAB_ADV_STATE_RETURNED_FOR_REVISION,
    "enum cs_adv_state differs from vocab_adv_state");
/* importance: 0 is "none", the levels follow */
_Static_assert(IMP_REFERENCE == VOCAB_IMPORTANCE_N &&
    IMP_ALERT == VOCAB_IMPORTANCE_ALERT + 1 &&
    IMP_CAUTION == VOCAB_IMPORTANCE_CAUTION + 1 &&
    IMP_REFERENCE == VOCAB_IMPORTANCE_REFERENCE + 1,
    "enum cs_importance differs from vocab_importance");

/* The id at index i of a list of n items, or "unknown". */
static const char *
id_at(const struct vocab_item *list, size_t n, unsigned i)
{
	return i < n ? list[i].id : "unknown";
}

/* "R12", "R12-3", "T4" ...: letter, number and, past the first, version. */
static void
ident(char letter, int64_t n, int version, char *out, size_t sz)
{
	if (n <= 0)
		out[0] = '\0';
	else if (version <= 1)
		cs_fmt(out, sz, "%c%lld", letter, (long long)n);
	else
		cs_fmt(out, sz, "%c%lld-%d", letter, (long long)n, version);
}

const char *
core_org_type_id(enum cs_org_type t)
{
	return id_at(vocab_org_type, vocab_org_type_n, (unsigned)t);
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
	return id_at(vocab_sector, vocab_sector_n, (unsigned)i);
}

int
core_sector_parse(const char *s)
{
	return vocab_index(vocab_sector, s);
}

const char *
core_role_id(int bit)
{
	return id_at(vocab_role, vocab_role_n, (unsigned)bit);
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
	return id_at(vocab_tlp, vocab_tlp_n, (unsigned)t);
}

int
core_tlp_parse(const char *s, enum cs_tlp *out)
{
	int i = vocab_index(vocab_tlp, s);

	if (i >= 0)
		*out = (enum cs_tlp)i;
	return i < 0 ? -1 : 0;
}

const char *
core_route_id(enum cs_route r)
{
	return id_at(vocab_route, vocab_route_n, (unsigned)r);
}

int
core_route_parse(const char *s, enum cs_route *out)
{
	int i = vocab_index(vocab_route, s);

	if (i >= 0)
		*out = (enum cs_route)i;
	return i < 0 ? -1 : 0;
}

const char *
core_state_id(enum cs_state s)
{
	return id_at(vocab_state, vocab_state_n, (unsigned)s);
}

const char *
core_hop_id(enum cs_hop h)
{
	return id_at(vocab_hop, vocab_hop_n, (unsigned)h);
}

void
core_report_ident(int64_t r, int version, char *out, size_t sz)
{
	ident('R', r, version, out, sz);
}

const char *
core_adv_state_id(enum cs_adv_state s)
{
	return id_at(vocab_adv_state, vocab_adv_state_n, (unsigned)s);
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
	ident('T', t, version, out, sz);
}
