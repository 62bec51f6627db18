/*
 * fuzz_survey_answers.c: a PUT /surveys/{id}/answers body as src/http
 * parses it (json_loadb with JSON_REJECT_DUPLICATES, at most CS_MAX_BODY
 * bytes) through survey_answers_check() for both editions, then the
 * scoring and the gap ranking over what it accepted (src/core/survey.c).
 *
 * Invariants:
 *  - the check is deterministic, fails only with CS_EINVAL, and names
 *    "items" or a field under "items." (or "edition");
 *  - an accepted body holds 1..SURVEY_MAX_ITEMS answers, each a control
 *    of that edition found by vocab_control_find(), with a status of the
 *    enum, not_applicable only with a note;
 *  - the scores over it: every percent -1..100, the overall items the
 *    edition's count, the statuses summing to the items; the gaps exactly
 *    the items neither implemented nor not applicable, ranked 1..n;
 *  - nothing leaks or crashes on any input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/survey.h"
#include "fuzz.h"

static void
scored(const char *edition, json_t *items)
{
	static struct survey_answer a[SURVEY_MAX_ITEMS];
	static struct survey_gap g[256];
	struct survey_score sc[16];
	size_t n = 0, ns, ng, total = 0, want = 0;
	const char *key;
	json_t *v;

	json_object_foreach(items, key, v) {
		a[n].control = key;
		a[n].status = survey_status_parse(json_string_value(
		    json_object_get(v, "status")));
		FUZZ_CHECK(a[n].status > 0, "%s: an accepted bad status", key);
		FUZZ_CHECK(vocab_control_find(edition, key) != NULL, "%s", key);
		if (a[n].status == SURVEY_NOT_APPLICABLE)
			FUZZ_CHECK(json_string_length(json_object_get(v, "note")) > 0,
			    "%s: not applicable without a reason", key);
		n++;
	}
	FUZZ_CHECK(n >= 1 && n <= SURVEY_MAX_ITEMS, "%zu answers", n);
	for (size_t i = 0; i < vocab_controls_n; i++)
		total += strcmp(vocab_controls[i].edition, edition) == 0;
	ns = survey_scores(edition, a, n, sc, 16);
	FUZZ_CHECK(ns >= 2, "%zu scores", ns);
	FUZZ_CHECK((size_t)sc[0].items == total, "overall %d of %zu", sc[0].items,
	    total);
	for (size_t i = 0; i < ns; i++) {
		int sum = 0;

		FUZZ_CHECK(sc[i].percent >= -1 && sc[i].percent <= 100, "percent %d",
		    sc[i].percent);
		for (int s = 0; s < SURVEY__COUNT; s++)
			sum += sc[i].count[s];
		FUZZ_CHECK(sum == sc[i].items, "counts %d of %d", sum, sc[i].items);
	}
	want = total - (size_t)sc[0].count[SURVEY_IMPLEMENTED] -
	    (size_t)sc[0].count[SURVEY_NOT_APPLICABLE];
	ng = survey_gaps(edition, a, n, g, 256);
	FUZZ_CHECK(ng == want, "%zu gaps, %zu expected", ng, want);
	for (size_t i = 0; i < ng; i++)
		FUZZ_CHECK(g[i].rank == (int)i + 1 && g[i].status !=
		    SURVEY_IMPLEMENTED && g[i].status != SURVEY_NOT_APPLICABLE,
		    "gap %zu", i);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const editions[] = { "2023", "2015" };
	json_t *body;

	if (size > CS_MAX_BODY)
		return 0;
	body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (body == NULL)
		return 0;
	for (size_t k = 0; k < 2; k++) {
		json_t *items = json_object_get(body, "items");
		struct cs_error e1, e2;
		enum cs_err r1, r2;

		memset(&e1, 0, sizeof(e1));
		memset(&e2, 0, sizeof(e2));
		r1 = survey_answers_check(editions[k], items, &e1);
		r2 = survey_answers_check(editions[k], items, &e2);
		FUZZ_CHECK(r1 == r2 && strcmp(e1.field, e2.field) == 0,
		    "not deterministic");
		if (r1 != CS_OK) {
			FUZZ_CHECK(r1 == CS_EINVAL, "code %d", (int)r1);
			FUZZ_CHECK(strcmp(e1.field, "items") == 0 ||
			    strncmp(e1.field, "items.", 6) == 0, "field %s", e1.field);
			continue;
		}
		scored(editions[k], items);
	}
	json_decref(body);
	return 0;
}
