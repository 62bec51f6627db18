/*
 * fuzz_time.c: cs_time_parse() (form date-times, ?since=, CLI --since)
 * against a reference built on timegm(), and the round trip through
 * cs_time_format(): whatever parses must format to a string that parses
 * back to the same second.
 *
 * The reference grammar is cs_time_parse()'s documented one: RFC 3339
 *	YYYY-MM-DD(T|t)hh:mm:ss[.fraction](Z|z|(+|-)hh:mm)
 * at most 35 bytes, year 1900-9999, real calendar days, hh <= 23,
 * mm <= 59, ss <= 60 (a leap second reads as :59), offset up to 23:59,
 * the fraction truncated to microseconds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"

#define US	INT64_C(1000000)

static int
num(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* 1 and *us if s is a valid date-time, else 0. */
static int
ref_parse(const char *s, int64_t *us)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	size_t n = strlen(s), i = 19;
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0, dim;
	int64_t frac = 0, scale = 100000;
	struct tm tm;
	time_t t;

	if (n < 20 || n > 35)
		return 0;
	if (!num(s, 4, &y) || s[4] != '-' || !num(s + 5, 2, &mo) ||
	    s[7] != '-' || !num(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't') || !num(s + 11, 2, &h) ||
	    s[13] != ':' || !num(s + 14, 2, &mi) || s[16] != ':' ||
	    !num(s + 17, 2, &sec))
		return 0;
	if (s[i] == '.') {
		size_t start = ++i;

		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (i - start < 6) {
				frac += (s[i] - '0') * scale;
				scale /= 10;
			}
			i++;
		}
		if (i == start)
			return 0;
	}
	if (n - i == 1 && (s[i] == 'Z' || s[i] == 'z'))
		sign = 0;
	else if (n - i == 6 && (s[i] == '+' || s[i] == '-') &&
	    num(s + i + 1, 2, &oh) && s[i + 3] == ':' && num(s + i + 4, 2, &om))
		sign = s[i] == '-' ? -1 : 1;
	else
		return 0;
	if (y < 1900 || mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 60 ||
	    oh > 23 || om > 59)
		return 0;
	dim = mdays[mo - 1] + (mo == 2 && leap(y));
	if (d < 1 || d > dim)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec == 60 ? 59 : sec;
	t = timegm(&tm);
	*us = ((int64_t)t - sign * (oh * 3600 + om * 60)) * US + frac;
	/* Instants whose JST rendering has a 4-digit year >= 1900 only. */
	{
		struct tm lo, hi;

		memset(&lo, 0, sizeof(lo));
		lo.tm_mday = 1;
		memset(&hi, 0, sizeof(hi));
		hi.tm_year = 9999 - 1900;
		hi.tm_mon = 11;
		hi.tm_mday = 31;
		if (*us < (int64_t)timegm(&lo) * US || *us >= (int64_t)timegm(&hi) * US)
			return 0;
	}
	return 1;
}

static int64_t
floor_sec(int64_t us)
{
	int64_t s = us / US;

	if (us % US < 0)
		s--;
	return s * US;
}

/* Does out look like cs_time_format's output for a 4-digit year? */
static int
formatted_shape(const char *out)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:dd+09:00";

	if (strlen(out) != sizeof(pat) - 1)
		return 0;
	for (size_t i = 0; pat[i] != '\0'; i++)
		if (pat[i] == 'd' ? out[i] < '0' || out[i] > '9' :
		    out[i] != pat[i])
			return 0;
	return 1;
}

static void
round_trip(const char *in, int64_t us)
{
	char out[64], again[64];
	int64_t back = 0, want = floor_sec(us);
	enum cs_err rc;

	cs_time_format(us, out, sizeof(out));
	rc = cs_time_parse(out, &back);
	FUZZ_CHECK(rc == CS_OK, "\"%s\" formats as \"%s\", which does not "
	    "parse", in, out);
	FUZZ_CHECK(formatted_shape(out), "\"%s\" formats as \"%s\"", in, out);
	FUZZ_CHECK(back == want, "\"%s\" (%lld us) formats as \"%s\", which "
	    "parses as %lld us, want %lld", in, (long long)us, out,
	    (long long)back, (long long)want);
	/* Formatting is a fixed point from here on. */
	cs_time_format(back, again, sizeof(again));
	FUZZ_CHECK(strcmp(out, again) == 0, "\"%s\" then \"%s\"", out, again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t us = 0, ref = 0;
	enum cs_err rc;
	char *s;
	int ok;

	if (size > 256)
		return 0;
	s = fuzz_cstr(data, size);
	rc = cs_time_parse(s, &us);
	ok = ref_parse(s, &ref);
	FUZZ_CHECK(rc == CS_OK || rc == CS_EINVAL, "rc %d", (int)rc);
	FUZZ_CHECK((rc == CS_OK) == ok, "cs_time_parse(\"%s\") = %s, "
	    "reference says %s", s, cs_err_name(rc), ok ? "ok" : "invalid");
	if (rc == CS_OK) {
		FUZZ_CHECK(us == ref, "cs_time_parse(\"%s\") = %lld us, "
		    "reference %lld", s, (long long)us, (long long)ref);
		round_trip(s, us);
	}
	free(s);
	return 0;
}
