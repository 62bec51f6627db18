/*
 * fuzz_stix_pattern.c: the STIX patterning check (stix_pattern_check in
 * src/interop/stix_pattern.c) over any bytes.
 *
 * Invariants: it answers CS_OK or CS_EINVAL (never crashes, never recurses
 * without bound); a refusal names the field and an offset; the answer is
 * deterministic; a pattern accepted stays accepted with surrounding
 * whitespace.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "interop/stix.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_error e, e2;
	enum cs_err a, b, c;
	char *padded;

	if (size > 16 * 1024)
		return 0;
	cs_error_clear(&e);
	cs_error_clear(&e2);
	a = stix_pattern_check((const char *)data, size, "pattern", &e);
	b = stix_pattern_check((const char *)data, size, "pattern", &e2);
	FUZZ_CHECK(a == CS_OK || a == CS_EINVAL, "answer %d", (int)a);
	FUZZ_CHECK(a == b && strcmp(e.msg, e2.msg) == 0, "not deterministic");
	if (a != CS_OK)
		FUZZ_CHECK(strcmp(e.field, "pattern") == 0 &&
		    strstr(e.msg, "offset") != NULL, "refusal %s", e.msg);
	padded = xmalloc(size + 3);
	padded[0] = ' ';
	memcpy(padded + 1, data, size);
	padded[size + 1] = '\n';
	c = stix_pattern_check(padded, size + 2, "pattern", &e2);
	if (a == CS_OK)
		FUZZ_CHECK(c == CS_OK, "whitespace changed the answer: %s", e2.msg);
	free(padded);
	return 0;
}
