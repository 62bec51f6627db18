/*
 * stix_marking.c: the five TLP 2.0 marking-definitions of the OASIS TLP 2.0
 * extension (extension-definition--60a3c5c5-…), with their standard ids.
 */
#include <string.h>

#include "interop/stix.h"

static const struct {
	enum cs_tlp	 tlp;
	const char	*id;
	const char	*name;
	const char	*value;		/* the extension's tlp_2_0 */
} markings[] = {
	{ TLP_CLEAR, "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
	    "TLP:CLEAR", "clear" },
	{ TLP_GREEN, "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
	    "TLP:GREEN", "green" },
	{ TLP_AMBER, "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
	    "TLP:AMBER", "amber" },
	{ TLP_AMBER_STRICT,
	    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	    "TLP:AMBER+STRICT", "amber+strict" },
	{ TLP_RED, "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
	    "TLP:RED", "red" },
};
#define NMARKINGS	(sizeof(markings) / sizeof(markings[0]))

/* Unknown TLPs take RED's marking: the strictest (fail closed). */
static size_t
find(enum cs_tlp t)
{
	for (size_t i = 0; i < NMARKINGS; i++)
		if (markings[i].tlp == t)
			return i;
	return NMARKINGS - 1;
}

const char *
stix_marking_id(enum cs_tlp t)
{
	return markings[find(t)].id;
}

json_t *
stix_marking(enum cs_tlp t)
{
	size_t i = find(t);

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:{s:s, s:s}}}",
	    "type", "marking-definition",
	    "spec_version", "2.1",
	    "id", markings[i].id,
	    "created", "2022-10-01T00:00:00.000Z",
	    "name", markings[i].name,
	    "extensions", STIX_TLP2_EXT,
	    "extension_type", "property-extension",
	    "tlp_2_0", markings[i].value);
}

int
stix_tlp_of(const char *id)
{
	enum cs_tlp t;

	if (id == NULL || core_tlp_parse(id, &t) != 0)
		return -1;
	return (int)t;
}
