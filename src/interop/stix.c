/*
 * stix.c: the objects the mappings share — cishare's own identity, the
 * x-cishare-report extension-definition, organisation identities and the
 * bundle.
 */
#include <string.h>

#include "interop/stix.h"

/* When the extension (and cishare's identity) were first defined. */
#define STIX_DEFINED	"2026-12-07T00:00:00.000Z"

json_t *
stix_system_identity(void)
{
	char id[STIX_ID_MAX];

	stix_id("identity", "identity:cishare", id, sizeof(id));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "type", "identity", "spec_version", "2.1", "id", id,
	    "created", STIX_DEFINED, "modified", STIX_DEFINED,
	    "name", "cishare", "identity_class", "system",
	    "description", "The cishare information-sharing platform "
	    "(重要インフラの情報共有基盤); creator of the x-cishare-report "
	    "extension.");
}

void
stix_report_ext_id(char *out, size_t outsz)
{
	stix_id("extension-definition", "extension:x-cishare-report", out,
	    outsz);
}

json_t *
stix_report_ext_definition(void)
{
	char id[STIX_ID_MAX], by[STIX_ID_MAX];

	stix_report_ext_id(id, sizeof(id));
	stix_id("identity", "identity:cishare", by, sizeof(by));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:[s]}",
	    "type", "extension-definition", "spec_version", "2.1", "id", id,
	    "created_by_ref", by,
	    "created", STIX_DEFINED, "modified", STIX_DEFINED,
	    "name", "x-cishare-report",
	    "description", "The fields of the 情報連絡様式 (report form of the "
	    "重要インフラのサイバーセキュリティに係る行動計画) and the "
	    "report's place in cishare, on an incident.",
	    "schema", "Property extension on incident.  Properties: report_id "
	    "(integer, cishare's report id), identification_number (string, "
	    "R<n>-<k> once numbered at NISC), report_version (integer k of "
	    "第k報), route (direct|via_ceptoar|urgent), legal_duty (boolean), "
	    "sector (sector id), state (the state the version reached), "
	    "anonymised (boolean), form (object: the 情報連絡様式 fields as "
	    "cishare's API renders them, data/forms.json report_form; null "
	    "and empty values omitted).  See cishare docs/interop.md.",
	    "version", "1.0.0",
	    "extension_types", "property-extension");
}

json_t *
stix_org_identity(const char *key, const char *name, const char *description,
    const char *created)
{
	char id[STIX_ID_MAX];
	json_t *j;

	stix_id("identity", key, id, sizeof(id));
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "type", "identity", "spec_version", "2.1", "id", id,
	    "created", created, "modified", created,
	    "name", name, "identity_class", "organization");
	if (j != NULL && description != NULL)
		json_object_set_new(j, "description", json_string(description));
	return j;
}

json_t *
stix_bundle(const char *name, json_t *objs)
{
	char id[STIX_ID_MAX];

	stix_id("bundle", name, id, sizeof(id));
	return json_pack("{s:s, s:s, s:o}", "type", "bundle", "id", id,
	    "objects", objs);
}
