/*
 * fuzz_totp.c: what the TOTP second factor parses from a login
 * (src/core/totp.c): the "otp" or "code" member — a 6-digit code or a
 * recovery code — against the rules re-stated here: core_totp_is_code
 * is exactly six ASCII digits; core_totp_verify accepts only such a code,
 * only for a step within one of now's, and refuses a step not later than
 * the last accepted (replay); core_totp_recovery_hash accepts exactly ten
 * lower-cased letters or digits once spaces and hyphens are dropped, and
 * hashes every spelling of a code alike.
 *
 * Input: the code, then optionally a NUL and 8 bytes of "now".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "core/totp.h"

/* base32 of RFC 6238's SHA-1 key "12345678901234567890" */
static const char secret[] = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

static int
ref_is_code(const char *s)
{
	size_t n = strlen(s);

	if (n != 6)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* The recovery code's normal form in out (10 chars), or 0. */
static int
ref_recovery(const char *s, char out[11])
{
	size_t n = 0;

	if (strlen(s) > 32)
		return 0;
	for (; *s != '\0'; s++) {
		char c = *s;

		if (c == ' ' || c == '-')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			return 0;
		if (n == 10)
			return 0;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == 10;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *code, norm[11], h1[65], h2[65], want[7];
	uint64_t now = 1234567890;
	int64_t step = 0, step2 = 0;
	size_t n;
	int r;

	fuzz_keys_init();
	if (size > 256)
		return 0;
	code = fuzz_cstr(data, size);
	n = strlen(code);
	if (n + 1 + 8 <= size) {
		memcpy(&now, data + n + 1, 8);
		now %= 40000000000ULL;	/* up to the year 3237 */
	}
	FUZZ_CHECK(core_totp_is_code(code) == ref_is_code(code), "is_code(\"%s\")",
	    code);

	r = core_totp_verify(secret, code, (int64_t)now, 0, &step);
	FUZZ_CHECK(r == 0 || r == -1 || r == -2, "verify rc %d", r);
	if (r == 0) {
		FUZZ_CHECK(ref_is_code(code), "verify accepted \"%s\"", code);
		FUZZ_CHECK(step >= (int64_t)now / 30 - 1 && step <= (int64_t)now /
		    30 + 1, "step %lld outside the window of %llu",
		    (long long)step, (unsigned long long)now);
		/* that step's code, computed independently of the window */
		FUZZ_CHECK(core_totp_code((const unsigned char *)
		    "12345678901234567890", 20, step * 30, 6, CORE_TOTP_SHA1,
		    want) == 0 && strcmp(want, code) == 0, "\"%s\" is not step "
		    "%lld's code %s", code, (long long)step, want);
		/* the same code again: a replay */
		FUZZ_CHECK(core_totp_verify(secret, code, (int64_t)now, step,
		    &step2) != 0, "\"%s\" accepted twice", code);
	}

	r = core_totp_recovery_hash(code, h1);
	FUZZ_CHECK((r == 0) == ref_recovery(code, norm), "recovery_hash(\"%s\") "
	    "= %d", code, r);
	if (r == 0) {
		FUZZ_CHECK(strlen(h1) == 64, "hash length");
		FUZZ_CHECK(core_totp_recovery_hash(norm, h2) == 0 &&
		    strcmp(h1, h2) == 0, "\"%s\" and \"%s\" hash apart", code,
		    norm);
	}
	free(code);
	return 0;
}
