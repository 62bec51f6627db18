/*
 * test_totp.c: the TOTP second factor's pure part (src/core/totp.c):
 * RFC 6238 Appendix B's test vectors for SHA-1, SHA-256 and SHA-512, the
 * check of a 6-digit code with its window of one step either side and
 * its replay guard, recovery codes and the otpauth:// URI.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/totp.h"

static const char k20[] = "12345678901234567890";
static const char k32[] = "12345678901234567890123456789012";
static const char k64[] = "1234567890123456789012345678901234567890"
    "123456789012345678901234";
/* base32 of k20 */
static const char b32[] = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/* RFC 6238, Appendix B: 8 digits, T0 = 0, X = 30. */
static void
test_rfc6238_vectors(void **state)
{
	static const struct {
		int64_t		 t;
		const char	*sha1, *sha256, *sha512;
	} v[] = {
		{ 59, "94287082", "46119246", "90693936" },
		{ 1111111109, "07081804", "68084774", "25091201" },
		{ 1111111111, "14050471", "67062674", "99943326" },
		{ 1234567890, "89005924", "91819424", "93441116" },
		{ 2000000000, "69279037", "90698825", "38618901" },
		{ 20000000000LL, "65353130", "77737706", "47863826" },
	};
	char out[9];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(core_totp_code((const unsigned char *)k20, 20,
		    v[i].t, 8, CORE_TOTP_SHA1, out), 0);
		assert_string_equal(out, v[i].sha1);
		assert_int_equal(core_totp_code((const unsigned char *)k32, 32,
		    v[i].t, 8, CORE_TOTP_SHA256, out), 0);
		assert_string_equal(out, v[i].sha256);
		assert_int_equal(core_totp_code((const unsigned char *)k64, 64,
		    v[i].t, 8, CORE_TOTP_SHA512, out), 0);
		assert_string_equal(out, v[i].sha512);
	}
	/* six digits are the last six of eight */
	assert_int_equal(core_totp_code((const unsigned char *)k20, 20, 59, 6,
	    CORE_TOTP_SHA1, out), 0);
	assert_string_equal(out, "287082");
	assert_int_equal(core_totp_code((const unsigned char *)k20, 20, 59, 5,
	    CORE_TOTP_SHA1, out), -1);
	assert_int_equal(core_totp_code(NULL, 0, 59, 6, CORE_TOTP_SHA1, out), -1);
}

static void
test_verify_window_replay(void **state)
{
	int64_t step;

	(void)state;
	/* 287082 is step 1's (t 30..59) code */
	assert_int_equal(core_totp_verify(b32, "287082", 59, 0, &step), 0);
	assert_int_equal(step, 1);
	assert_int_equal(core_totp_verify(b32, "287082", 30, 0, &step), 0);
	/* one step either side */
	assert_int_equal(core_totp_verify(b32, "287082", 89, 0, &step), 0);
	assert_int_equal(step, 1);
	assert_int_equal(core_totp_verify(b32, "287082", 0, 0, &step), 0);
	assert_int_equal(step, 1);
	/* two steps: outside */
	assert_int_equal(core_totp_verify(b32, "287082", 90, 0, &step), -1);
	/* used once: the step must be later than the last accepted one */
	assert_int_equal(core_totp_verify(b32, "287082", 59, 1, &step), -2);
	assert_int_equal(core_totp_verify(b32, "287082", 59, 5, &step), -2);
	/* wrong and malformed */
	assert_int_equal(core_totp_verify(b32, "287083", 59, 0, &step), -1);
	assert_int_equal(core_totp_verify(b32, "28708", 59, 0, &step), -1);
	assert_int_equal(core_totp_verify(b32, "2870822", 59, 0, &step), -1);
	assert_int_equal(core_totp_verify(b32, "28708a", 59, 0, &step), -1);
	assert_int_equal(core_totp_verify(b32, " 87082", 59, 0, &step), -1);
	assert_int_equal(core_totp_verify(b32, NULL, 59, 0, &step), -1);
	assert_int_equal(core_totp_verify("!!!", "287082", 59, 0, &step), -1);
	assert_int_equal(core_totp_verify(NULL, "287082", 59, 0, &step), -1);
	assert_true(core_totp_is_code("000000"));
	assert_false(core_totp_is_code("00000０"));
}

static void
test_secret_and_uri(void **state)
{
	char s1[CORE_TOTP_B32_LEN + 1], s2[CORE_TOTP_B32_LEN + 1];
	char *u;

	(void)state;
	core_totp_secret_new(s1);
	core_totp_secret_new(s2);
	assert_int_equal(strlen(s1), 32);
	assert_int_equal(strspn(s1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 32);
	assert_string_not_equal(s1, s2);
	u = core_totp_uri("cishare", "a.b@例 x", b32);
	assert_string_equal(u, "otpauth://totp/cishare:a.b%40%E4%BE%8B%20x?"
	    "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=cishare"
	    "&algorithm=SHA1&digits=6&period=30");
	free(u);
}

static void
test_recovery(void **state)
{
	char c1[CORE_TOTP_RECOVERY_LEN + 1], c2[CORE_TOTP_RECOVERY_LEN + 1];
	char h1[65], h2[65];

	(void)state;
	core_totp_recovery_new(c1);
	core_totp_recovery_new(c2);
	assert_int_equal(strlen(c1), 11);
	assert_int_equal(c1[5], '-');
	assert_string_not_equal(c1, c2);
	assert_int_equal(core_totp_recovery_hash(c1, h1), 0);
	assert_int_equal(strlen(h1), 64);
	assert_int_equal(core_totp_recovery_hash(c2, h2), 0);
	assert_string_not_equal(h1, h2);
	/* capitals, spaces and hyphens do not matter */
	assert_int_equal(core_totp_recovery_hash("abcde-fghjk", h1), 0);
	assert_int_equal(core_totp_recovery_hash("ABCDE FGHJK", h2), 0);
	assert_string_equal(h1, h2);
	assert_int_equal(core_totp_recovery_hash("abcdefghjk", h2), 0);
	assert_string_equal(h1, h2);
	/* not a recovery code's shape */
	assert_int_equal(core_totp_recovery_hash("abcde-fghj", h1), -1);
	assert_int_equal(core_totp_recovery_hash("abcde-fghjkl", h1), -1);
	assert_int_equal(core_totp_recovery_hash("abcde_fghjk", h1), -1);
	assert_int_equal(core_totp_recovery_hash("", h1), -1);
	assert_int_equal(core_totp_recovery_hash(NULL, h1), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6238_vectors),
		cmocka_unit_test(test_verify_window_replay),
		cmocka_unit_test(test_secret_and_uri),
		cmocka_unit_test(test_recovery),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
