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

#include <stdlib.h>
#include <string.h>

#include "core/ident.h"

/* The text with every needle's hits replaced by "[*]", or "" when none. */
static char *
redact(const char *const *needles, size_t n, const char *text)
{
	struct ident_set *set;
	char *r;

	assert_int_equal(ident_set_new(needles, n, &set), CS_OK);
	r = ident_redact(set, text, "[*]");
	ident_set_free(set);
	return r != NULL ? r : strdup("");
}

static void
expect(const char *const *needles, size_t n, const char *text, const char *want)
{
	char *got = redact(needles, n, text);

	assert_string_equal(got, want);
	free(got);
}

static void
test_width_and_case(void **state)
{
	const char *nd[] = { "ABC銀行", "abc-csirt" };

	(void)state;
	expect(nd, 2, "ＡＢＣ銀行で障害", "[*]で障害");
	expect(nd, 2, "abc銀行で障害", "[*]で障害");
	expect(nd, 2, "窓口はＡｂｃ－ＣＳＩＲＴです", "窓口は[*]です");
	expect(nd, 2, "XYZ銀行で障害", "");
}

static void
test_phone_variants(void **state)
{
	const char *nd[] = { "03-1234-5678" };

	(void)state;
	expect(nd, 1, "tel 0312345678 まで", "tel [*] まで");
	expect(nd, 1, "tel 03 1234 5678 まで", "tel [*] まで");
	expect(nd, 1, "tel ０３－１２３４－５６７８ まで", "tel [*] まで");
	expect(nd, 1, "tel 03.1234.5678", "tel [*]");
	expect(nd, 1, "tel 03ー1234ー5678", "tel [*]");
	/* A different number is not hidden. */
	expect(nd, 1, "tel 03-1234-5679", "");
}

static void
test_digits_needle_in_text(void **state)
{
	/* The needle written without separators meets the text with them. */
	const char *nd[] = { "0312345678" };

	(void)state;
	expect(nd, 1, "(03-1234-5678)", "([*])");
}

static void
test_halfwidth_katakana(void **state)
{
	/* ｶﾞ (two half-width code points) is ガ after NFKC. */
	const char *nd[] = { "ガス東日本" };

	(void)state;
	expect(nd, 1, "ｶﾞｽ東日本の設備", "[*]の設備");
	expect(nd, 1, "ガス 東日本の設備", "[*]の設備");
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
test_longest_and_short(void **state)
{
	/* One-character and NULL needles are ignored; the longest wins. */
	const char *nd[] = { "a", NULL, "abc", "abcdef" };
	struct ident_set *set;

	(void)state;
	assert_int_equal(ident_set_new(nd, 4, &set), CS_OK);
	assert_int_equal(ident_set_count(set), 2);
	ident_set_free(set);
	expect(nd, 4, "xabcdefx", "x[*]x");
	expect(nd, 4, "xabcx a", "x[*]x a");
}

static void
test_email_domain(void **state)
{
	const char *nd[] = { "soc@bank-a.example.jp", "bank-a.example.jp" };

	(void)state;
	expect(nd, 2, "SOC@BANK-A.EXAMPLE.JP から", "[*] から");
	expect(nd, 2, "https://www.bank-a.example.jp/", "https://www.[*]/");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_and_case),
		cmocka_unit_test(test_phone_variants),
		cmocka_unit_test(test_digits_needle_in_text),
		cmocka_unit_test(test_halfwidth_katakana),
		cmocka_unit_test(test_spans),
		cmocka_unit_test(test_longest_and_short),
		cmocka_unit_test(test_email_domain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
