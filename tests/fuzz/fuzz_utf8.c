/*
 * fuzz_utf8.c: cs_utf8_len() (every text field's length check) against a
 * reference written from the Unicode Standard's Table 3-7 "Well-Formed
 * UTF-8 Byte Sequences", which rejects overlongs, surrogates and code
 * points above U+10FFFF by byte ranges rather than by decoding.  Like
 * cs_utf8_len(), the reference also refuses U+0000.
 *
 * The input is checked whole, and also at every prefix length that the
 * reference says ends on a character boundary (so a string cut at a
 * boundary stays valid, and one cut inside a character does not).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* Length of the well-formed sequence at p (n bytes left), or 0. */
static size_t
ref_seq(const unsigned char *p, size_t n)
{
	unsigned char b0 = p[0], lo = 0x80, hi = 0xbf;
	size_t len;

	if (b0 == 0x00)
		return 0;
	if (b0 <= 0x7f)
		return 1;
	if (b0 >= 0xc2 && b0 <= 0xdf)
		len = 2;
	else if (b0 >= 0xe0 && b0 <= 0xef) {
		len = 3;
		if (b0 == 0xe0)
			lo = 0xa0;
		else if (b0 == 0xed)
			hi = 0x9f;
	} else if (b0 >= 0xf0 && b0 <= 0xf4) {
		len = 4;
		if (b0 == 0xf0)
			lo = 0x90;
		else if (b0 == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

/* Code points in p[0..n), or -1; fills boundary[] where a character ends. */
static long
ref_len(const unsigned char *p, size_t n, unsigned char *boundary)
{
	size_t i = 0, l;
	long count = 0;

	if (boundary != NULL)
		boundary[0] = 1;
	while (i < n) {
		if ((l = ref_seq(p + i, n - i)) == 0)
			return -1;
		i += l;
		count++;
		if (boundary != NULL)
			boundary[i] = 1;
	}
	return count;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *boundary;
	long got, want;
	char *s;

	if (size > 64 * 1024)
		return 0;
	/* An exact-size copy: cs_utf8_len must not read past n. */
	s = xmalloc(size > 0 ? size : 1);
	if (size > 0)
		memcpy(s, data, size);
	boundary = xcalloc(size + 1, 1);
	want = ref_len(data, size, boundary);
	got = cs_utf8_len(s, size);
	FUZZ_CHECK(got == want, "cs_utf8_len = %ld, reference %ld (%zu bytes)",
	    got, want, size);
	if (want >= 0) {
		FUZZ_CHECK((size_t)want <= size, "more characters than bytes");
		/* Every prefix: valid exactly when it ends on a boundary. */
		for (size_t k = 0; k < size && k < 512; k++) {
			got = cs_utf8_len(s, k);
			FUZZ_CHECK((got >= 0) == (boundary[k] != 0),
			    "prefix of %zu bytes: cs_utf8_len = %ld, "
			    "boundary %d", k, got, boundary[k]);
			if (got >= 0)
				FUZZ_CHECK(got == ref_len(data, k, NULL),
				    "prefix of %zu bytes: count %ld", k, got);
		}
	}
	free(boundary);
	free(s);
	return 0;
}
