/*
 * fuzz_str_i64.c: cs_str_to_i64() (query parameters, path ids, ports, CLI
 * numbers) against a reference parser, for several ranges callers use.
 *
 * The reference accepts exactly: an optional '-', then one or more ASCII
 * digits, nothing else, the value within [min, max].  Leading zeros are
 * allowed ("007" is 7, as strtoll reads it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

struct range {
	int64_t	min, max;
};

/* The ranges of real callers, plus the edges. */
static const struct range ranges[] = {
	{ INT64_MIN, INT64_MAX },
	{ 1, INT64_MAX },	/* path ids, cursors, tokens */
	{ 0, 65535 },		/* ports */
	{ 1, 500 },		/* list limits */
	{ 0, 0 },
	{ -5, 5 },
	{ INT64_MIN, INT64_MIN },
	{ INT64_MAX, INT64_MAX },
	{ 10, 1 },		/* empty range: never succeeds */
};

/* 1 and *out on success; 0 if not a decimal integer in int64_t. */
static int
ref_parse(const char *s, int64_t *out)
{
	uint64_t mag = 0, lim;
	int neg = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (*s == '\0')
		return 0;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *s != '\0'; s++) {
		unsigned d;

		if (*s < '0' || *s > '9')
			return 0;
		d = (unsigned)(*s - '0');
		if (mag > (lim - d) / 10)
			return 0;
		mag = mag * 10 + d;
	}
	if (!neg)
		*out = (int64_t)mag;
	else if (mag == (uint64_t)INT64_MAX + 1)
		*out = INT64_MIN;
	else
		*out = -(int64_t)mag;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	int64_t ref = 0, got;
	int ref_ok;
	enum cs_err rc;

	if (size > 4096)
		return 0;
	s = fuzz_cstr(data, size);
	ref_ok = ref_parse(s, &ref);
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		const struct range *r = &ranges[i];
		int want = ref_ok && ref >= r->min && ref <= r->max;

		got = 0;
		rc = cs_str_to_i64(s, r->min, r->max, &got);
		FUZZ_CHECK(rc == CS_OK || rc == CS_EINVAL, "rc %d", (int)rc);
		FUZZ_CHECK((rc == CS_OK) == want, "cs_str_to_i64(\"%s\", "
		    "%lld, %lld) = %s, reference says %s", s,
		    (long long)r->min, (long long)r->max, cs_err_name(rc),
		    want ? "ok" : "invalid");
		if (rc == CS_OK)
			FUZZ_CHECK(got == ref, "\"%s\" parsed as %lld, "
			    "reference %lld", s, (long long)got,
			    (long long)ref);
	}
	free(s);
	return 0;
}
