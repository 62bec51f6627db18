/*
 * test_util.c: unit tests of src/util: the capped buffer and its sticky
 * error, checked integer parsing, RFC 3339 time parsing and JST formatting,
 * UTF-8 validation and truncating string copies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* ---- cs_buf ------------------------------------------------------------ */

static void
test_buf_basic(void **state)
{
	struct cs_buf b;
	char *s;

	(void)state;
	cs_buf_init(&b, 1024);
	assert_string_equal(cs_buf_str(&b), "");
	assert_int_equal(cs_buf_len(&b), 0);
	assert_int_equal(cs_buf_adds(&b, "hello"), 0);
	assert_int_equal(cs_buf_add(&b, ", world", 7), 0);
	assert_int_equal(cs_buf_printf(&b, " %d-%s", 42, "x"), 0);
	assert_string_equal(cs_buf_str(&b), "hello, world 42-x");
	assert_int_equal(cs_buf_len(&b), strlen("hello, world 42-x"));
	assert_false(cs_buf_failed(&b));
	s = cs_buf_finish(&b);
	assert_non_null(s);
	assert_string_equal(s, "hello, world 42-x");
	free(s);
	/* After finish the buffer is empty and reusable. */
	assert_int_equal(cs_buf_len(&b), 0);
	assert_string_equal(cs_buf_str(&b), "");
	cs_buf_fini(&b);
}

static void
test_buf_empty_finish(void **state)
{
	struct cs_buf b;
	char *s;

	(void)state;
	cs_buf_init(&b, 16);
	s = cs_buf_finish(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void
test_buf_growth(void **state)
{
	struct cs_buf b;
	char chunk[37];
	char *s;
	size_t i;

	(void)state;
	/* Many appends across several reallocations keep every byte. */
	cs_buf_init(&b, 100000);
	for (i = 0; i < 1000; i++) {
		(void)snprintf(chunk, sizeof(chunk), "%04zu", i);
		assert_int_equal(cs_buf_adds(&b, chunk), 0);
	}
	assert_int_equal(cs_buf_len(&b), 4000);
	s = cs_buf_finish(&b);
	assert_non_null(s);
	assert_int_equal(strlen(s), 4000);
	for (i = 0; i < 1000; i++) {
		(void)snprintf(chunk, sizeof(chunk), "%04zu", i);
		assert_memory_equal(s + 4 * i, chunk, 4);
	}
	free(s);
}

static void
test_buf_cap_exact(void **state)
{
	struct cs_buf b;
	char *s;

	(void)state;
	/* The cap counts bytes of content: exactly `max` bytes fit. */
	cs_buf_init(&b, 10);
	assert_int_equal(cs_buf_adds(&b, "hello"), 0);
	assert_int_equal(cs_buf_adds(&b, "world"), 0);
	assert_int_equal(cs_buf_len(&b), 10);
	assert_false(cs_buf_failed(&b));
	/* Appending nothing at the cap is fine. */
	assert_int_equal(cs_buf_add(&b, "", 0), 0);
	assert_false(cs_buf_failed(&b));
	s = cs_buf_finish(&b);
	assert_string_equal(s, "helloworld");
	free(s);
}

static void
test_buf_cap_sticky(void **state)
{
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 10);
	assert_int_equal(cs_buf_adds(&b, "hello"), 0);
	assert_int_equal(cs_buf_adds(&b, "world!"), -1);	/* 11 > 10 */
	assert_true(cs_buf_failed(&b));
	/* The failed append left the content alone. */
	assert_string_equal(cs_buf_str(&b), "hello");
	assert_int_equal(cs_buf_len(&b), 5);
	/* Sticky: even appends that would fit are refused now. */
	assert_int_equal(cs_buf_adds(&b, "x"), -1);
	assert_int_equal(cs_buf_add(&b, "", 0), -1);
	assert_int_equal(cs_buf_printf(&b, "%d", 1), -1);
	assert_string_equal(cs_buf_str(&b), "hello");
	assert_true(cs_buf_failed(&b));
	/* finish() reports the failure as NULL (and frees). */
	assert_null(cs_buf_finish(&b));
	assert_int_equal(cs_buf_len(&b), 0);
}

static void
test_buf_cap_single_oversize(void **state)
{
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 4);
	assert_int_equal(cs_buf_add(&b, "abcde", 5), -1);
	assert_true(cs_buf_failed(&b));
	assert_int_equal(cs_buf_len(&b), 0);
	cs_buf_fini(&b);

	/* A zero cap admits only the empty string. */
	cs_buf_init(&b, 0);
	assert_int_equal(cs_buf_add(&b, "", 0), 0);
	assert_int_equal(cs_buf_add(&b, "a", 1), -1);
	assert_null(cs_buf_finish(&b));
}

static void
test_buf_reset(void **state)
{
	struct cs_buf b;
	char *s;

	(void)state;
	cs_buf_init(&b, 8);
	assert_int_equal(cs_buf_adds(&b, "12345"), 0);
	assert_int_equal(cs_buf_adds(&b, "6789"), -1);
	assert_true(cs_buf_failed(&b));
	cs_buf_reset(&b);
	assert_false(cs_buf_failed(&b));
	assert_int_equal(cs_buf_len(&b), 0);
	assert_string_equal(cs_buf_str(&b), "");
	assert_int_equal(cs_buf_adds(&b, "abc"), 0);
	s = cs_buf_finish(&b);
	assert_string_equal(s, "abc");
	free(s);
}

static void
test_buf_printf_large(void **state)
{
	struct cs_buf b;
	char big[1001];
	char *s;

	(void)state;
	/* Longer than the 256-byte stack buffer inside cs_buf_printf. */
	memset(big, 'q', 1000);
	big[1000] = '\0';
	cs_buf_init(&b, 2000);
	assert_int_equal(cs_buf_printf(&b, "<%s>", big), 0);
	assert_int_equal(cs_buf_len(&b), 1002);
	s = cs_buf_finish(&b);
	assert_int_equal(s[0], '<');
	assert_int_equal(s[1001], '>');
	assert_int_equal(s[500], 'q');
	free(s);

	/* The same over the cap fails and sticks. */
	cs_buf_init(&b, 1001);
	assert_int_equal(cs_buf_printf(&b, "<%s>", big), -1);
	assert_true(cs_buf_failed(&b));
	assert_null(cs_buf_finish(&b));
}

/* ---- cs_str_to_i64 ----------------------------------------------------- */

static void
test_i64_valid(void **state)
{
	static const struct {
		const char	*s;
		int64_t		 v;
	} ok[] = {
		{ "0", 0 }, { "1", 1 }, { "-1", -1 }, { "42", 42 },
		{ "-0", 0 }, { "007", 7 },
		{ "9223372036854775807", INT64_MAX },
		{ "-9223372036854775808", INT64_MIN },
	};
	int64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = 12345;
		assert_int_equal(cs_str_to_i64(ok[i].s, INT64_MIN, INT64_MAX,
		    &v), CS_OK);
		assert_true(v == ok[i].v);
	}
}

static void
test_i64_invalid(void **state)
{
	static const char *const bad[] = {
		"", " ", "+1", " 1", "1 ", "1x", "x1", "0x10", "1e3", "1.0",
		"abc", "-", "--1", "- 1", "1-", "9223372036854775808",
		"-9223372036854775809", "99999999999999999999999",
	};
	int64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 777;
		if (cs_str_to_i64(bad[i], INT64_MIN, INT64_MAX, &v) !=
		    CS_EINVAL)
			fail_msg("cs_str_to_i64(\"%s\") was accepted", bad[i]);
		/* Output untouched on failure. */
		assert_true(v == 777);
	}
	v = 777;
	assert_int_equal(cs_str_to_i64(NULL, 0, 10, &v), CS_EINVAL);
	assert_true(v == 777);
}

static void
test_i64_range(void **state)
{
	int64_t v = 0;

	(void)state;
	/* Bounds are inclusive. */
	assert_int_equal(cs_str_to_i64("1", 1, 10, &v), CS_OK);
	assert_true(v == 1);
	assert_int_equal(cs_str_to_i64("10", 1, 10, &v), CS_OK);
	assert_true(v == 10);
	assert_int_equal(cs_str_to_i64("0", 1, 10, &v), CS_EINVAL);
	assert_int_equal(cs_str_to_i64("11", 1, 10, &v), CS_EINVAL);
	assert_int_equal(cs_str_to_i64("-1", 0, INT64_MAX, &v), CS_EINVAL);
	assert_int_equal(cs_str_to_i64("-5", -5, -5, &v), CS_OK);
	assert_true(v == -5);
	assert_int_equal(cs_str_to_i64("-4", -5, -5, &v), CS_EINVAL);
}

static void
test_i64_leading_whitespace(void **state)
{
	static const char *const bad[] = { "\t42", "\n42", "\r42", "\v42",
	    "\f42" };
	int64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 0;
		if (cs_str_to_i64(bad[i], 0, 100, &v) != CS_EINVAL)
			fail_msg("cs_str_to_i64 accepted leading whitespace "
			    "0x%02x", (unsigned char)bad[i][0]);
	}
}

/* ---- time -------------------------------------------------------------- */

static int64_t
parse_ok(const char *s)
{
	int64_t us = 0;

	if (cs_time_parse(s, &us) != CS_OK)
		fail_msg("cs_time_parse(\"%s\") was refused", s);
	return us;
}

static void
test_time_parse_valid(void **state)
{
	static const struct {
		const char	*s;
		int64_t		 sec;	/* Unix seconds */
		int64_t		 frac;	/* extra microseconds */
	} ok[] = {
		{ "1970-01-01T00:00:00Z", 0, 0 },
		{ "1970-01-01T09:00:00+09:00", 0, 0 },
		{ "1970-01-01t00:00:00z", 0, 0 },
		{ "2026-11-21T13:15:00+09:00", 1795234500, 0 },
		{ "2026-11-21T04:15:00Z", 1795234500, 0 },
		{ "2026-11-21T04:15:00+00:00", 1795234500, 0 },
		{ "2026-11-21T04:15:00-00:00", 1795234500, 0 },
		{ "2026-01-01T00:00:00-05:30", 1767245400, 0 },
		{ "2024-02-29T12:00:00Z", 1709208000, 0 },
		{ "2024-02-29T21:00:00+09:00", 1709208000, 0 },
		{ "2000-02-29T00:00:00Z", 951782400, 0 },
		{ "1900-01-01T00:00:00Z", -2208988800LL, 0 },
		{ "2026-12-31T15:00:00Z", 1798729200, 0 },
		{ "2026-11-21T13:15:00.5+09:00", 1795234500, 500000 },
		{ "2026-11-21T13:15:00.123456+09:00", 1795234500, 123456 },
		{ "2026-11-21T13:15:00.123456789+09:00", 1795234500, 123456 },
		{ "2026-11-21T13:15:00.000001Z", 1795266900, 1 },
		{ "2026-11-21T13:15:00+23:59",
		    1795234500 + 9 * 3600 - 23 * 3600 - 59 * 60, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int64_t us = parse_ok(ok[i].s);

		if (us != ok[i].sec * 1000000 + ok[i].frac)
			fail_msg("%s: got %lld us, expected %lld", ok[i].s,
			    (long long)us,
			    (long long)(ok[i].sec * 1000000 + ok[i].frac));
	}
}

static void
test_time_parse_leap(void **state)
{
	static const char *const bad[] = {
		"2023-02-29T00:00:00Z",	/* not a leap year */
		"1900-02-29T00:00:00Z",	/* century, not leap */
		"2100-02-29T00:00:00Z",
		"2024-02-30T00:00:00Z",
		"2024-04-31T00:00:00Z",
		"2024-06-31T00:00:00Z",
		"2024-09-31T00:00:00Z",
		"2024-11-31T00:00:00Z",
		"2024-01-32T00:00:00Z",
		"2024-01-00T00:00:00Z",
		"2024-00-10T00:00:00Z",
		"2024-13-01T00:00:00Z",
	};
	int64_t us;

	(void)state;
	/* Leap days that exist. */
	assert_true(parse_ok("2024-02-29T00:00:00+09:00") ==
	    parse_ok("2024-02-28T15:00:00Z"));
	assert_true(parse_ok("2000-02-29T23:59:59Z") + 1000000 ==
	    parse_ok("2000-03-01T00:00:00Z"));
	assert_true(parse_ok("2024-12-31T00:00:00Z") + 86400LL * 1000000 ==
	    parse_ok("2025-01-01T00:00:00Z"));
	/* Days that do not. */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cs_time_parse(bad[i], &us) != CS_EINVAL)
			fail_msg("cs_time_parse(\"%s\") was accepted", bad[i]);
	/* A leap second is folded onto :59. */
	assert_true(parse_ok("2016-12-31T23:59:60Z") ==
	    parse_ok("2016-12-31T23:59:59Z"));
}

static void
test_time_parse_invalid(void **state)
{
	static const char *const bad[] = {
		"",
		"2026-11-21",
		"2026-11-21T13:15:00",		/* no offset */
		"2026-11-21T13:15:00+09",	/* offset without minutes */
		"2026-11-21T13:15:00+0900",	/* offset without colon */
		"2026-11-21T13:15:00+9:00",
		"2026-11-21T13:15:00+09:0",
		"2026-11-21T13:15:00+24:00",	/* offset hour */
		"2026-11-21T13:15:00+09:60",	/* offset minute */
		"2026-11-21T13:15:00+09:00Z",
		"2026-11-21T13:15:00+09:00 ",
		"2026-11-21T13:15:00ZZ",
		"2026-11-21T13:15:00 Z",
		"2026-11-21T13:15:00*09:00",
		"2026-11-21T13:15:00.+09:00",	/* empty fraction */
		"2026-11-21T13:15:00.Z",
		"2026-11-21 13:15:00+09:00",	/* space separator */
		"2026-11-21T24:00:00+09:00",
		"2026-11-21T13:60:00+09:00",
		"2026-11-21T13:15:61+09:00",
		"2026/11/21T13:15:00+09:00",
		"26-11-21T13:15:00+09:00",
		"2026-11-21T1:15:00+09:00",
		"1899-12-31T23:59:59Z",		/* before 1900 */
		"2026-1a-21T13:15:00+09:00",
		"２０２６-11-21T13:15:00+09:00",	/* full width */
		"2026-11-21T13:15:00.1234567890123456+09:00", /* too long */
	};
	int64_t us;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		us = 99;
		if (cs_time_parse(bad[i], &us) != CS_EINVAL)
			fail_msg("cs_time_parse(\"%s\") was accepted", bad[i]);
		assert_true(us == 99);
	}
}

static void
test_time_format(void **state)
{
	static const struct {
		int64_t		 sec;
		const char	*jst;
	} cases[] = {
		{ 0, "1970-01-01T09:00:00+09:00" },
		{ 1795234500, "2026-11-21T13:15:00+09:00" },
		/* 15:00 UTC on New Year's Eve is already next year in Tokyo. */
		{ 1798729200, "2027-01-01T00:00:00+09:00" },
		{ 1798729199, "2026-12-31T23:59:59+09:00" },
		/* Leap day in JST. */
		{ 1709208000, "2024-02-29T21:00:00+09:00" },
		{ 1709218800 - 1, "2024-02-29T23:59:59+09:00" },
		{ 1709218800, "2024-03-01T00:00:00+09:00" },
		{ -2208988800LL, "1900-01-01T09:00:00+09:00" },
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cs_time_format(cases[i].sec * 1000000, out, sizeof(out));
		assert_string_equal(out, cases[i].jst);
		/* Round trip. */
		assert_true(parse_ok(out) == cases[i].sec * 1000000);
	}
	/* Sub-second precision is dropped, not rounded. */
	cs_time_format(1795234500LL * 1000000 + 999999, out, sizeof(out));
	assert_string_equal(out, "2026-11-21T13:15:00+09:00");
	/* The output always ends in the JST offset. */
	cs_time_format(cs_time_now_us(), out, sizeof(out));
	assert_int_equal(strlen(out), 25);
	assert_string_equal(out + 19, "+09:00");
	assert_true(parse_ok(out) != 0);
	/* Truncation keeps the string terminated. */
	cs_time_format(0, out, 11);
	assert_string_equal(out, "1970-01-01");
}

static void
test_time_format_before_epoch(void **state)
{
	char out[64];
	int64_t us;

	(void)state;
	assert_int_equal(cs_time_parse("1969-12-31T23:59:59.5Z", &us), CS_OK);
	assert_true(us == -500000);
	cs_time_format(us, out, sizeof(out));
	assert_string_equal(out, "1970-01-01T08:59:59+09:00");
}

/* ---- UTF-8 -------------------------------------------------------------- */

static long
u8(const char *s)
{
	return cs_utf8_len(s, strlen(s));
}

static void
test_utf8_valid(void **state)
{
	(void)state;
	assert_int_equal(cs_utf8_len("", 0), 0);
	assert_int_equal(u8("abc"), 3);
	assert_int_equal(u8("\xc3\xa9"), 1);			/* é */
	assert_int_equal(u8("\xc2\x80"), 1);			/* U+0080 */
	assert_int_equal(u8("\xdf\xbf"), 1);			/* U+07FF */
	assert_int_equal(u8("\xe0\xa0\x80"), 1);		/* U+0800 */
	assert_int_equal(u8("日本語"), 3);
	assert_int_equal(u8("情報連絡様式 R12-2"), 12);
	assert_int_equal(u8("\xed\x9f\xbf"), 1);		/* U+D7FF */
	assert_int_equal(u8("\xee\x80\x80"), 1);		/* U+E000 */
	assert_int_equal(u8("\xef\xbf\xbf"), 1);		/* U+FFFF */
	assert_int_equal(u8("\xf0\x90\x80\x80"), 1);	/* U+10000 */
	assert_int_equal(u8("\xf0\x9f\x98\x80"), 1);		/* 😀 */
	assert_int_equal(u8("\xf4\x8f\xbf\xbf"), 1);	/* U+10FFFF */
	assert_int_equal(u8("a\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80z"), 5);
	/* Only n bytes are looked at. */
	assert_int_equal(cs_utf8_len("abcdef", 3), 3);
	assert_int_equal(cs_utf8_len("日本語", 6), 2);
}

static void
test_utf8_invalid(void **state)
{
	static const struct {
		const char	*s;
		size_t		 n;
		const char	*why;
	} bad[] = {
		{ "\xc0\x80", 2, "overlong NUL" },
		{ "\xc0\xaf", 2, "overlong '/'" },
		{ "\xc1\xbf", 2, "overlong 2-byte" },
		{ "\xe0\x80\x80", 3, "overlong 3-byte NUL" },
		{ "\xe0\x9f\xbf", 3, "overlong U+07FF in 3 bytes" },
		{ "\xf0\x80\x80\x80", 4, "overlong 4-byte NUL" },
		{ "\xf0\x8f\xbf\xbf", 4, "overlong U+FFFF in 4 bytes" },
		{ "\xed\xa0\x80", 3, "high surrogate U+D800" },
		{ "\xed\xad\xbf", 3, "surrogate U+DB7F" },
		{ "\xed\xb0\x80", 3, "low surrogate U+DC00" },
		{ "\xed\xbf\xbf", 3, "surrogate U+DFFF" },
		{ "\xed\xa0\xbd\xed\xb8\x80", 6, "CESU-8 surrogate pair" },
		{ "\xf4\x90\x80\x80", 4, "above U+10FFFF" },
		{ "\xf7\xbf\xbf\xbf", 4, "F7 lead" },
		{ "\xf8\x88\x80\x80\x80", 5, "5-byte form" },
		{ "\xfc\x84\x80\x80\x80\x80", 6, "6-byte form" },
		{ "\xfe", 1, "FE" },
		{ "\xff", 1, "FF" },
		{ "\x80", 1, "lone continuation" },
		{ "a\xbf" "b", 3, "continuation between ASCII" },
		{ "\xc3", 1, "truncated 2-byte" },
		{ "\xe6\x97", 2, "truncated 3-byte" },
		{ "\xe6", 1, "3-byte lead only" },
		{ "\xf0\x9f\x98", 3, "truncated 4-byte" },
		{ "\xf0\x9f", 2, "4-byte, two bytes" },
		{ "abc\xe6\x97", 5, "truncated at the end" },
		{ "\xe6\x97\xa5", 2, "n cuts a character" },
		{ "\xc3\x28", 2, "bad continuation" },
		{ "\xe6\x28\xa5", 3, "bad second of three" },
		{ "\xe6\x97\x28", 3, "bad third of three" },
		{ "\xf0\x9f\x98\x28", 4, "bad fourth of four" },
		{ "\xc3\xc3\xa9", 3, "lead where continuation expected" },
		{ "a\0b", 3, "embedded NUL" },
		{ "\0", 1, "lone NUL" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cs_utf8_len(bad[i].s, bad[i].n) != -1)
			fail_msg("cs_utf8_len accepted %s", bad[i].why);
}

/* ---- strings ----------------------------------------------------------- */

static void
test_strlcpy(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(cs_strlcpy(buf, "abc", sizeof(buf)), 0);
	assert_string_equal(buf, "abc");

	/* Exactly fits: 7 characters and the NUL. */
	assert_int_equal(cs_strlcpy(buf, "1234567", sizeof(buf)), 0);
	assert_string_equal(buf, "1234567");

	/* One too many: truncated, terminated, reported. */
	assert_int_equal(cs_strlcpy(buf, "12345678", sizeof(buf)), -1);
	assert_string_equal(buf, "1234567");
	assert_int_equal(cs_strlcpy(buf, "a much longer string", sizeof(buf)),
	    -1);
	assert_string_equal(buf, "a much ");

	assert_int_equal(cs_strlcpy(buf, "", sizeof(buf)), 0);
	assert_string_equal(buf, "");

	/* Size 1 holds only the empty string. */
	assert_int_equal(cs_strlcpy(buf, "x", 1), -1);
	assert_string_equal(buf, "");
	assert_int_equal(cs_strlcpy(buf, "", 1), 0);

	/* Size 0 writes nothing. */
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(cs_strlcpy(buf, "x", 0), -1);
	assert_int_equal(buf[0], 'X');
}

static void
test_streq(void **state)
{
	(void)state;
	assert_true(cs_streq("a", "a"));
	assert_false(cs_streq("a", "b"));
	assert_false(cs_streq("a", "A"));
	assert_false(cs_streq(NULL, "a"));
	assert_false(cs_streq("a", NULL));
	assert_false(cs_streq(NULL, NULL));
}

static void
test_error(void **state)
{
	struct cs_error e;
	char longfield[200];

	(void)state;
	assert_int_equal(cs_fail(&e, CS_EINVAL, "form.tlp", "bad %s %d", "x",
	    3), CS_EINVAL);
	assert_int_equal(e.code, CS_EINVAL);
	assert_string_equal(e.field, "form.tlp");
	assert_string_equal(e.msg, "bad x 3");
	cs_error_clear(&e);
	assert_int_equal(e.code, CS_OK);
	assert_string_equal(e.field, "");
	assert_string_equal(e.msg, "");
	/* NULL field becomes "", NULL e only returns the code. */
	assert_int_equal(cs_fail(&e, CS_EPERM, NULL, "no"), CS_EPERM);
	assert_string_equal(e.field, "");
	assert_int_equal(cs_fail(NULL, CS_ENOENT, "x", "y"), CS_ENOENT);
	/* Over-long fields are truncated, not overflowed. */
	memset(longfield, 'f', sizeof(longfield) - 1);
	longfield[sizeof(longfield) - 1] = '\0';
	(void)cs_fail(&e, CS_EINVAL, longfield, "m");
	assert_int_equal(strlen(e.field), sizeof(e.field) - 1);
	/* ... before a character the cut would split, never with "?"s. */
	memset(longfield, 'f', sizeof(longfield) - 1);
	memcpy(longfield + 94, "\xe6\xa4\x9c\xe6\xa4\x9c", 6);	/* 検検 */
	(void)cs_fail(&e, CS_EINVAL, longfield, "%s", longfield);
	assert_int_equal(strlen(e.field), 94);
	assert_null(strchr(e.field, '?'));
	assert_int_equal(strncmp(e.field, longfield, 94), 0);
	memcpy(longfield + 92, "\xe6\xa4\x9c", 3);	/* fits whole: bytes 92..94 */
	(void)cs_fail(&e, CS_EINVAL, longfield, "m");
	assert_int_equal(strlen(e.field), 95);
	assert_int_equal(cs_utf8_len(e.field, strlen(e.field)), 95 - 2);

	assert_string_equal(cs_err_name(CS_OK), "ok");
	assert_string_equal(cs_err_name(CS_EINVAL), "invalid_field");
	assert_string_equal(cs_err_name(CS_EPERM), "forbidden");
	assert_string_equal(cs_err_name(CS_ENOENT), "not_found");
	assert_string_equal(cs_err_name(CS_EAUTH), "unauthenticated");
}

static void
test_alloc(void **state)
{
	char *s;

	(void)state;
	s = xasprintf("%s-%d-%05.1f", "R", 12, 2.5);
	assert_string_equal(s, "R-12-002.5");
	free(s);
	s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = xstrdup("");
	assert_string_equal(s, "");
	free(s);
}

/* cs_json_pick: a member's raw text without parsing (report list fields). */
static void
test_json_pick(void **state)
{
	const char *form = " {\"a\": {\"event_type\": \"x\"}, \"event_type\" : "
	    "\"event_dos\", \"cause_types\":[\"c1\",\"c2 ]}\"],"
	    "\"overview\":{\"event_summary\":\"DDoS \\\"攻撃\\\"\",\"n\":-1.5e3},"
	    "\"t\":true,\"z\":null} ";
	const char *v, *w;
	size_t n, m;

	(void)state;
	/* A nested key of the same name is not a top-level member. */
	assert_int_equal(cs_json_pick(form, strlen(form), "event_type", &v, &n), CS_OK);
	assert_int_equal(n, strlen("\"event_dos\""));
	assert_memory_equal(v, "\"event_dos\"", n);
	/* Brackets inside strings do not end the array. */
	assert_int_equal(cs_json_pick(form, strlen(form), "cause_types", &v, &n), CS_OK);
	assert_memory_equal(v, "[\"c1\",\"c2 ]}\"]", n);
	assert_int_equal(cs_json_pick(form, strlen(form), "overview", &v, &n), CS_OK);
	assert_int_equal(cs_json_pick(v, n, "event_summary", &w, &m), CS_OK);
	assert_memory_equal(w, "\"DDoS \\\"攻撃\\\"\"", m);
	assert_int_equal(cs_json_pick(v, n, "n", &w, &m), CS_OK);
	assert_memory_equal(w, "-1.5e3", m);
	assert_int_equal(cs_json_pick(form, strlen(form), "t", &v, &n), CS_OK);
	assert_memory_equal(v, "true", n);
	assert_int_equal(cs_json_pick(form, strlen(form), "z", &v, &n), CS_OK);
	assert_memory_equal(v, "null", n);
	assert_int_equal(cs_json_pick(form, strlen(form), "importance", &v, &n),
	    CS_ENOENT);
	assert_int_equal(cs_json_pick("{}", 2, "a", &v, &n), CS_ENOENT);
	/* Not an object, or cut short: never read past the end. */
	assert_int_equal(cs_json_pick("[1]", 3, "a", &v, &n), CS_EINVAL);
	assert_int_equal(cs_json_pick("", 0, "a", &v, &n), CS_EINVAL);
	assert_int_equal(cs_json_pick("{\"a\":\"x", 6, "a", &v, &n), CS_EINVAL);
	assert_int_equal(cs_json_pick("{\"b\":1,\"a\":[1,", 14, "a", &v, &n),
	    CS_EINVAL);
	assert_int_equal(cs_json_pick("{\"a\" 1}", 7, "a", &v, &n), CS_EINVAL);
	/* The length given is the end, whatever follows in memory. */
	assert_int_equal(cs_json_pick("{\"a\":1}", 5, "a", &v, &n), CS_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_basic),
		cmocka_unit_test(test_buf_empty_finish),
		cmocka_unit_test(test_buf_growth),
		cmocka_unit_test(test_buf_cap_exact),
		cmocka_unit_test(test_buf_cap_sticky),
		cmocka_unit_test(test_buf_cap_single_oversize),
		cmocka_unit_test(test_buf_reset),
		cmocka_unit_test(test_buf_printf_large),
		cmocka_unit_test(test_i64_valid),
		cmocka_unit_test(test_i64_invalid),
		cmocka_unit_test(test_i64_range),
		cmocka_unit_test(test_i64_leading_whitespace),
		cmocka_unit_test(test_time_parse_valid),
		cmocka_unit_test(test_time_parse_leap),
		cmocka_unit_test(test_time_parse_invalid),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_time_format_before_epoch),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_strlcpy),
		cmocka_unit_test(test_streq),
		cmocka_unit_test(test_error),
		cmocka_unit_test(test_alloc),
		cmocka_unit_test(test_json_pick),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
