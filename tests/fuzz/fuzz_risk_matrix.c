/*
 * fuzz_risk_matrix.c: the risk workspace's matrix validation
 * (risk_matrix_parse, src/analysis/risk.c) over any bytes jansson parses,
 * against the rules re-stated here.  A matrix accepted has 2–10 levels on
 * each axis, 1–6 bands with well-formed ids and strictly ascending maxima
 * ending at nl×ni, and an appetite within the scores; then every cell
 * scores l×i, lies in exactly the first band whose max holds it, and
 * nothing outside scores.  A refusal of an object always names a member.  Dates:
 * risk_date_parse() of the first bytes agrees with the calendar.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analysis/risk.h"
#include "fuzz.h"

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static void
dates(const uint8_t *data, size_t size)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	char s[11];
	int d, y, m, dd;

	if (size < 10)
		return;
	memcpy(s, data, 10);
	s[10] = '\0';
	d = risk_date_parse(s);
	if (d == 0)
		return;
	y = d / 10000;
	m = d / 100 % 100;
	dd = d % 100;
	FUZZ_CHECK(y >= 1900 && m >= 1 && m <= 12 && dd >= 1 && dd <=
	    md[m - 1] + (m == 2 && leap(y)), "date %s -> %d", s, d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct risk_matrix m;
	struct cs_error e;
	json_t *j;

	dates(data, size);
	j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (j == NULL)
		return 0;
	memset(&e, 0, sizeof(e));
	if (risk_matrix_parse(j, &m, &e) != CS_OK) {
		FUZZ_CHECK(e.code == CS_EINVAL, "refused with code %d", (int)e.code);
		/* (an unknown member named "" is named as it is) */
		FUZZ_CHECK(!json_is_object(j) || e.field[0] != '\0' ||
		    json_object_get(j, "") != NULL,
		    "a refusal names no member: %s", e.msg);
		json_decref(j);
		return 0;
	}
	FUZZ_CHECK(m.nl >= 2 && m.nl <= 10 && m.ni >= 2 && m.ni <= 10,
	    "levels %dx%d", m.nl, m.ni);
	FUZZ_CHECK(m.nl == (int)json_array_size(json_object_get(j, "likelihood")) &&
	    m.ni == (int)json_array_size(json_object_get(j, "impact")), "axes");
	FUZZ_CHECK(m.nbands >= 1 && m.nbands <= RISK_BANDS_MAX, "bands %d",
	    m.nbands);
	for (int k = 0; k < m.nbands; k++) {
		FUZZ_CHECK(m.band_max[k] > (k ? m.band_max[k - 1] : 0), "ascending");
		FUZZ_CHECK(m.band_id[k][0] != '\0' && strspn(m.band_id[k],
		    "abcdefghijklmnopqrstuvwxyz0123456789_") ==
		    strlen(m.band_id[k]), "band id %s", m.band_id[k]);
	}
	FUZZ_CHECK(m.band_max[m.nbands - 1] == m.nl * m.ni, "last band");
	FUZZ_CHECK(m.appetite >= 0 && m.appetite <= m.nl * m.ni, "appetite");
	for (int l = -1; l <= m.nl + 1; l++)
		for (int i = -1; i <= m.ni + 1; i++) {
			int s = risk_score(&m, l, i), first = -1;
			const char *b;

			if (l < 1 || i < 1 || l > m.nl || i > m.ni) {
				FUZZ_CHECK(s == -1, "outside scores %d", s);
				continue;
			}
			FUZZ_CHECK(s == l * i, "score %d at %d,%d", s, l, i);
			for (int k = m.nbands - 1; k >= 0; k--)
				if (s <= m.band_max[k])
					first = k;
			b = risk_band(&m, s);
			FUZZ_CHECK(first >= 0 && b != NULL &&
			    strcmp(b, m.band_id[first]) == 0, "band of %d", s);
		}
	json_decref(j);
	return 0;
}
