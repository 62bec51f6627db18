/*
 * fuzz_ident.c: identity matching (src/core/ident.c) on untrusted text.
 * The input is needles separated by '|' up to the first newline, then the
 * text.  Checked: hits lie inside the text, in order, do not overlap,
 * start and end on character boundaries, their code point offsets agree
 * with their byte offsets, and the redacted text is the text with exactly
 * those spans replaced.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ident.h"
#include "fuzz.h"

static int
is_boundary(const char *s, size_t len, size_t at)
{
	return at == 0 || at == len || ((unsigned char)s[at] & 0xc0) != 0x80;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *text, *nl, *p;
	const char *needles[16];
	size_t nn = 0, n, tl;
	struct ident_set *set;
	struct ident_hit *h;
	char *r;

	if (size > 16 * 1024)
		return 0;
	buf = xmalloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (strlen(buf) != size || (nl = strchr(buf, '\n')) == NULL) {
		free(buf);
		return 0;
	}
	*nl = '\0';
	text = nl + 1;
	for (p = buf; nn < 16; ) {
		char *bar = strchr(p, '|');

		needles[nn++] = p;
		if (bar == NULL)
			break;
		*bar = '\0';
		p = bar + 1;
	}
	FUZZ_CHECK(ident_set_new(needles, nn, &set) == CS_OK, "set");
	tl = strlen(text);
	if (ident_find(set, text, &h, &n) == CS_OK) {
		size_t prev = 0, cp = 0, at = 0;

		for (size_t i = 0; i < n; i++) {
			FUZZ_CHECK(h[i].start >= prev && h[i].start < h[i].end &&
			    h[i].end <= tl, "hit %zu out of order or bounds", i);
			FUZZ_CHECK(is_boundary(text, tl, h[i].start) &&
			    is_boundary(text, tl, h[i].end), "hit %zu inside a character", i);
			FUZZ_CHECK(h[i].needle < nn, "needle index");
			/* Code points up to start and end. */
			for (; at < h[i].start; at++)
				if (((unsigned char)text[at] & 0xc0) != 0x80)
					cp++;
			FUZZ_CHECK(cp == h[i].cstart, "cstart %zu != %zu", h[i].cstart, cp);
			for (; at < h[i].end; at++)
				if (((unsigned char)text[at] & 0xc0) != 0x80)
					cp++;
			FUZZ_CHECK(cp == h[i].cend, "cend %zu != %zu", h[i].cend, cp);
			prev = h[i].end;
		}
		r = ident_redact(set, text, "#");
		FUZZ_CHECK((r == NULL) == (n == 0), "redact and find disagree");
		if (r != NULL) {
			size_t want = tl + n;

			for (size_t i = 0; i < n; i++)
				want -= h[i].end - h[i].start;
			FUZZ_CHECK(strlen(r) == want, "redacted length %zu, want %zu",
			    strlen(r), want);
			free(r);
		}
		free(h);
	} else {
		r = ident_redact(set, text, "#");
		FUZZ_CHECK(r != NULL && strcmp(r, "#") == 0, "invalid text not replaced whole");
		free(r);
	}
	ident_set_free(set);
	free(buf);
	return 0;
}
