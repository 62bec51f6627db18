/*
 * fuzz_csv.c: the RFC 4180 writer (src/interop/csv.c) over any bytes.
 *
 * The input is split at 0x1f into cells and written as one row.
 * Invariants: the row ends in CRLF; a reader following RFC 4180 (the
 * reference below, independent of the writer) reads back exactly the cells,
 * each with the formula guard's apostrophe where the cell began with
 * = + - @, a tab or CR, and nothing else changed; no unquoted cell holds a
 * comma, quote, CR or LF; a guarded cell never starts with = + - @ tab CR.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "interop/csv.h"

/* Parse the next cell of the row at *p; its bytes into out, *olen. */
static void
ref_cell(const char **p, const char *end, char *out, size_t *olen)
{
	const char *s = *p;
	size_t n = 0;

	if (s < end && *s == '"') {
		s++;
		for (;;) {
			FUZZ_CHECK(s < end, "unterminated quoted cell");
			if (*s == '"') {
				if (s + 1 < end && s[1] == '"') {
					out[n++] = '"';
					s += 2;
					continue;
				}
				s++;
				break;
			}
			out[n++] = *s++;
		}
	} else {
		while (s < end && *s != ',' && !(*s == '\r' && s + 1 < end &&
		    s[1] == '\n' && s + 2 == end)) {
			FUZZ_CHECK(*s != '"' && *s != '\n' && *s != '\r',
			    "unquoted special byte 0x%02x", (unsigned char)*s);
			out[n++] = *s++;
		}
	}
	*olen = n;
	*p = s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data, *p, *end, *cell;
	struct cs_buf b;
	size_t ncells = 0, clen, olen;
	char *out;

	if (size > 16 * 1024)
		return 0;
	cs_buf_init(&b, 1 << 20);
	for (size_t i = 0, start = 0; i <= size; i++) {
		if (i < size && data[i] != 0x1f)
			continue;
		FUZZ_CHECK(csv_cell(&b, in + start, i - start, ncells == 0) == 0,
		    "cell refused");
		ncells++;
		start = i + 1;
	}
	FUZZ_CHECK(csv_row_end(&b) == 0, "row end refused");
	p = cs_buf_str(&b);
	end = p + cs_buf_len(&b);
	FUZZ_CHECK(cs_buf_len(&b) >= 2 && end[-2] == '\r' && end[-1] == '\n',
	    "no CRLF");
	out = xmalloc(cs_buf_len(&b) + 1);
	cell = in;
	for (size_t k = 0; k < ncells; k++) {
		const char *sep = memchr(cell, 0x1f, size - (size_t)(cell - in));
		bool g;

		clen = sep ? (size_t)(sep - cell) : size - (size_t)(cell - in);
		g = csv_cell_guarded(cell, clen);
		ref_cell(&p, end - 2, out, &olen);
		FUZZ_CHECK(olen == clen + (g ? 1 : 0), "cell %zu length %zu, "
		    "want %zu", k, olen, clen + (g ? 1 : 0));
		FUZZ_CHECK(!g || out[0] == '\'', "cell %zu not guarded", k);
		FUZZ_CHECK(memcmp(out + (g ? 1 : 0), cell, clen) == 0,
		    "cell %zu changed", k);
		FUZZ_CHECK(!csv_cell_guarded(out, olen), "cell %zu still a "
		    "formula", k);
		if (k + 1 < ncells) {
			FUZZ_CHECK(p < end - 2 && *p == ',', "no comma after "
			    "cell %zu", k);
			p++;
		}
		cell = sep ? sep + 1 : cell + clen;
	}
	FUZZ_CHECK(p == end - 2, "bytes after the last cell");
	free(out);
	cs_buf_fini(&b);
	return 0;
}
