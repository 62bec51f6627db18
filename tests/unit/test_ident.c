/*
 * test_ident.c: identity matching for source protection (src/core/ident.c).
 * Each case is a way a reader would still recognise the source if the
 * match were exact only: width, case, separators in numbers, composed
 * half-width katakana; and the spans must cover exactly what was written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <uninorm.h>
#include <unictype.h>
#include <unistr.h>

#include "core/ident.h"

/*
 * What a reader of the redacted text sees: each case is a needle set, a
 * text and the text with every hit replaced by "[*]" ("" when nothing may
 * be hidden).
 */
static const struct redact_case {
	const char	*why;
	const char	*needles[3];
	const char	*text;
	const char	*want;
} cases[] = {
	{ "full width", { "ABC銀行", "abc-csirt" }, "ＡＢＣ銀行で障害", "[*]で障害" },
	{ "case", { "ABC銀行", "abc-csirt" }, "abc銀行で障害", "[*]で障害" },
	{ "width and case in a login", { "ABC銀行", "abc-csirt" },
	  "窓口はＡｂｃ－ＣＳＩＲＴです", "窓口は[*]です" },
	{ "another bank", { "ABC銀行", "abc-csirt" }, "XYZ銀行で障害", "" },
	{ "phone, no separators", { "03-1234-5678" }, "tel 0312345678 まで",
	  "tel [*] まで" },
	{ "phone, spaces", { "03-1234-5678" }, "tel 03 1234 5678 まで",
	  "tel [*] まで" },
	{ "phone, full width", { "03-1234-5678" },
	  "tel ０３－１２３４－５６７８ まで", "tel [*] まで" },
	{ "phone, dots", { "03-1234-5678" }, "tel 03.1234.5678", "tel [*]" },
	{ "phone, long vowel marks", { "03-1234-5678" }, "tel 03ー1234ー5678",
	  "tel [*]" },
	{ "another number", { "03-1234-5678" }, "tel 03-1234-5679", "" },
	{ "needle without separators", { "0312345678" }, "(03-1234-5678)",
	  "([*])" },
	{ "half-width katakana with its voiced mark", { "ガス東日本" },
	  "ｶﾞｽ東日本の設備", "[*]の設備" },
	{ "a space inside a name", { "ガス東日本" }, "ガス 東日本の設備",
	  "[*]の設備" },
	{ "e-mail, upper case", { "soc@bank-a.example.jp", "bank-a.example.jp" },
	  "SOC@BANK-A.EXAMPLE.JP から", "[*] から" },
	{ "mail domain in a URL", { "soc@bank-a.example.jp", "bank-a.example.jp" },
	  "https://www.bank-a.example.jp/", "https://www.[*]/" },
	{ "the longest needle wins", { "a", "abc", "abcdef" }, "xabcdefx",
	  "x[*]x" },
	{ "one-character needles are ignored", { "a", "abc", "abcdef" },
	  "xabcx a", "x[*]x a" },
};

static void
test_redact_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct redact_case *k = &cases[i];
		size_t n = 0;
		struct ident_set *set;
		char *got;

		while (n < 3 && k->needles[n] != NULL)
			n++;
		assert_int_equal(ident_set_new(k->needles, n, &set), CS_OK);
		got = ident_redact(set, k->text, "[*]");
		ident_set_free(set);
		if (strcmp(got != NULL ? got : "", k->want) != 0)
			fail_msg("%s: \"%s\" -> \"%s\", want \"%s\"", k->why,
			    k->text, got != NULL ? got : "", k->want);
		free(got);
	}
}

static void
test_spans(void **state)
{
	const char *nd[] = { "ＡＢＣ" };
	struct ident_set *set;
	struct ident_hit *h;
	size_t n;

	(void)state;
	assert_int_equal(ident_set_new(nd, 1, &set), CS_OK);
	assert_int_equal(ident_set_count(set), 1);
	/* "東abc西": the hit is bytes 3..6, code points 1..4. */
	assert_int_equal(ident_find(set, "東abc西", &h, &n), CS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].start, 3);
	assert_int_equal(h[0].end, 6);
	assert_int_equal(h[0].cstart, 1);
	assert_int_equal(h[0].cend, 4);
	assert_int_equal(h[0].needle, 0);
	free(h);
	/* Two hits. */
	assert_int_equal(ident_find(set, "abc and ABC", &h, &n), CS_OK);
	assert_int_equal(n, 2);
	assert_int_equal(h[1].start, 8);
	assert_int_equal(h[1].end, 11);
	free(h);
	/* Not UTF-8: refused by find, replaced whole by redact. */
	assert_int_equal(ident_find(set, "ab\xff", &h, &n), CS_EINVAL);
	{
		char *r = ident_redact(set, "ab\xff", "[*]");

		assert_string_equal(r, "[*]");
		free(r);
	}
	ident_set_free(set);
}

static void
test_set_count(void **state)
{
	/* One-character and NULL needles are not kept. */
	const char *nd[] = { "a", NULL, "abc", "abcdef" };
	struct ident_set *set;

	(void)state;
	assert_int_equal(ident_set_new(nd, 4, &set), CS_OK);
	assert_int_equal(ident_set_count(set), 2);
	ident_set_free(set);
}

/* Full-text search: the query and the index folded alike (docs/analysis.md). */
static void
test_fold(void **state)
{
	char *f;

	(void)state;
	f = ident_fold("ﾗﾝｻﾑｳｪｱ ＶＰＮ");
	assert_string_equal(f, "ランサムウェアvpn");
	free(f);
	f = ident_fold("０３－１２３４");
	assert_string_equal(f, "031234");
	free(f);
	f = ident_fold("  ");
	assert_string_equal(f, "");
	free(f);
	assert_null(ident_fold("ab\xff"));
	/* Every string value, one a line; keys and numbers are not text. */
	f = ident_fold_json("{\"a\": \"ＡＢＣ 銀行\", \"n\": 3, \"l\": [\"x\", {\"k\": \"ｶﾞ\"}], \"e\": \"\"}");
	assert_string_equal(f, "abc銀行\nx\nガ\n");
	free(f);
	assert_null(ident_fold_json("not json"));
}

/* u8_casefold(NFKC) of n bytes, NUL-terminated (reference for test_fold_table). */
static char *
ref_fold(const uint8_t *s, size_t n)
{
	size_t l = 0;
	uint8_t *f = u8_casefold(s, n, NULL, UNINORM_NFKC, NULL, &l);
	char *out = malloc(l + 1);

	assert_non_null(f);
	memcpy(out, f, l);
	out[l] = '\0';
	free(f);
	return out;
}

/* What ident_fold keeps of one folded chunk: a lone white space goes. */
static const char *
kept(const char *f)
{
	ucs4_t c;
	int l = u8_mbtouc(&c, (const uint8_t *)f, strlen(f));

	if (l > 0 && (size_t)l == strlen(f) && (c == ' ' || c == '\t' ||
	    c == '\n' || c == '\r' || c == 0x3000 ||
	    uc_is_property_white_space(c)))
		return "";
	return f;
}

/* The leading canonical combining class, as ident.c computes it. */
static int
ref_ccc(ucs4_t c)
{
	ucs4_t d[UC_DECOMPOSITION_MAX_LENGTH];
	int tag;

	for (int depth = 0; depth < 8; depth++) {
		if (uc_decomposition(c, &tag, d) <= 0)
			break;
		c = d[0];
	}
	return uc_combining_class(c);
}

/*
 * ident.c folds a lone BMP code point from a table made once, and tells
 * starters from it: both agree with libunistring for every BMP code point
 * (alone, and after "a", where a non-starter joins the a's chunk).
 */
static void
test_fold_table(void **state)
{
	(void)state;
	for (ucs4_t c = 0x80; c < 0x10000; c++) {
		uint8_t s[8] = { 'a' };
		char *want, *got, *ref, *cat;
		int l;

		if (c >= 0xd800 && c <= 0xdfff)
			continue;
		l = u8_uctomb(s + 1, c, 6);
		assert_true(l > 0);
		s[1 + l] = '\0';
		ref = ref_fold(s + 1, (size_t)l);
		got = ident_fold((const char *)s + 1);
		if (strcmp(got, kept(ref)) != 0)
			fail_msg("U+%04X alone: got '%s', want '%s'", (unsigned)c,
			    got, kept(ref));
		free(got);
		if (ref_ccc(c) == 0) {
			cat = malloc(strlen(ref) + 2);
			cat[0] = 'a';
			memcpy(cat + 1, kept(ref), strlen(kept(ref)) + 1);
			want = cat;
		} else
			want = ref_fold(s, (size_t)l + 1);
		got = ident_fold((const char *)s);
		if (strcmp(got, want) != 0)
			fail_msg("a U+%04X: got '%s', want '%s'", (unsigned)c, got,
			    want);
		free(got);
		free(want);
		free(ref);
	}
}

static void
test_min_one(void **state)
{
	const char *nd[] = { "停" };
	struct ident_set *set;
	struct ident_hit *h;
	size_t n;

	(void)state;
	assert_int_equal(ident_set_new_min(nd, 1, 1, &set), CS_OK);
	assert_int_equal(ident_set_count(set), 1);
	assert_int_equal(ident_find(set, "装置が停止", &h, &n), CS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].cstart, 3);
	assert_int_equal(h[0].cend, 4);
	free(h);
	ident_set_free(set);
	/* White space alone folds to nothing: no needle. */
	nd[0] = " 　";
	assert_int_equal(ident_set_new_min(nd, 1, 1, &set), CS_OK);
	assert_int_equal(ident_set_count(set), 0);
	ident_set_free(set);
}

/* snip TEXT QUERY CONTEXT: the snippet as "text|s-e,s-e". */
static char *
snip(const char *text, const char *q, size_t context)
{
	const char *nd[] = { q };
	struct ident_set *set;
	struct ident_hit *h;
	size_t n, i;
	json_t *j, *v;
	char *out = malloc(1024);

	assert_int_equal(ident_set_new_min(nd, 1, 1, &set), CS_OK);
	assert_int_equal(ident_find(set, text, &h, &n), CS_OK);
	j = ident_snippet(text, h, n, context);
	snprintf(out, 1024, "%s|", json_string_value(json_object_get(j, "text")));
	json_array_foreach(json_object_get(j, "highlights"), i, v)
		snprintf(out + strlen(out), 1024 - strlen(out), "%s%lld-%lld",
		    i ? "," : "", (long long)json_integer_value(json_object_get(v,
		    "start")), (long long)json_integer_value(json_object_get(v,
		    "end")));
	json_decref(j);
	free(h);
	ident_set_free(set);
	return out;
}

static void
test_snippet(void **state)
{
	static const struct {
		const char *text, *q;
		size_t context;
		const char *want;
	} c[] = {
		/* whole text, hit at the start, spans of the original */
		{ "ランサムウェアによりＶＰＮ装置が停止", "ﾗﾝｻﾑｳｪｱ", 20,
		  "ランサムウェアによりＶＰＮ装置が停止|0-7" },
		{ "ランサムウェアによりＶＰＮ装置が停止", "vpn", 20,
		  "ランサムウェアによりＶＰＮ装置が停止|10-13" },
		/* cut before: "…" is one code point and shifts the span */
		{ "0123456789abcXYZ", "xyz", 3, "…abcXYZ|4-7" },
		/* cut after: 4 x context from the window's start */
		{ "XYZ0123456789", "xyz", 2, "XYZ01234…|0-3" },
		/* cut at both ends; every hit inside the window */
		{ "aaaaaXYbXYccccccccc", "xy", 2, "…aaXYbXYc…|3-5,6-8" },
		/* a hit running past the window is cut to it */
		{ "ab停止停止停止", "停止", 1, "…b停止停…|2-4,4-5" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char *got = snip(c[i].text, c[i].q, c[i].context);

		if (strcmp(got, c[i].want) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, got, c[i].want);
		free(got);
	}
}

/* The redaction table, the spans it reports, the needles it keeps. */
int
main(void)
{
	static const struct CMUnitTest ident_tests[] = {
		cmocka_unit_test(test_redact_cases), cmocka_unit_test(test_spans),
		cmocka_unit_test(test_set_count), cmocka_unit_test(test_fold),
		cmocka_unit_test(test_min_one), cmocka_unit_test(test_snippet),
		cmocka_unit_test(test_fold_table),
	};

	return cmocka_run_group_tests_name("ident", ident_tests, NULL, NULL);
}
