/*
 * fuzz_json_pick.c: cs_json_pick() (the report list's field scan over a
 * stored form) against jansson as the reference.  Whatever the input, the
 * scan never reads past it and a value it returns lies inside it.  When
 * jansson parses the input as an object without duplicate keys, the scan
 * must agree with it: for every member whose key is written without
 * escapes it finds the member, and the raw text it returns parses to a
 * value equal to jansson's; a key that is not there is CS_ENOENT.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz.h"

/* Is key written literally ("key") somewhere in text (no escapes)? */
static int
plain_key(const char *key)
{
	for (const char *p = key; *p; p++)
		if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *t = (const char *)data, *val, *key;
	static const char *const probes[] = { "event_type", "overview",
	    "event_summary", "cause_types", "importance", "", "a" };
	json_t *obj, *want, *got;
	json_error_t je;
	size_t vlen;
	enum cs_err rc;

	/* Never past the input; a value found lies inside it. */
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		rc = cs_json_pick(t, size, probes[i], &val, &vlen);
		FUZZ_CHECK(rc == CS_OK || rc == CS_ENOENT || rc == CS_EINVAL,
		    "unexpected result %d", (int)rc);
		if (rc == CS_OK)
			FUZZ_CHECK(val >= t && val + vlen <= t + size && vlen > 0,
			    "value outside the input");
	}

	obj = json_loadb(t, size, JSON_REJECT_DUPLICATES, &je);
	if (obj == NULL || !json_is_object(obj)) {
		json_decref(obj);
		return 0;
	}
	/* jansson stops at NUL; the scan must see the same text. */
	if (memchr(t, '\0', size) != NULL) {
		json_decref(obj);
		return 0;
	}
	json_object_foreach(obj, key, want) {
		if (!plain_key(key) || memchr(t, '\\', size) != NULL)
			continue;
		rc = cs_json_pick(t, size, key, &val, &vlen);
		FUZZ_CHECK(rc == CS_OK, "member \"%s\" not found (%d)", key, (int)rc);
		got = json_loadb(val, vlen, JSON_DECODE_ANY, &je);
		FUZZ_CHECK(got != NULL && json_equal(got, want),
		    "member \"%s\": raw value \"%.*s\" differs", key, (int)vlen, val);
		json_decref(got);
	}
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		if (json_object_get(obj, probes[i]) != NULL ||
		    memchr(t, '\\', size) != NULL)
			continue;
		rc = cs_json_pick(t, size, probes[i], &val, &vlen);
		FUZZ_CHECK(rc == CS_ENOENT, "absent \"%s\" gave %d", probes[i], (int)rc);
	}
	json_decref(obj);
	return 0;
}
