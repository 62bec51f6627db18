/*
 * test_stix_pattern.c: the STIX patterning check (interop/stix_pattern.c):
 * the spec's examples are accepted, malformed patterns are refused with
 * the field and the offset, nesting is bounded, and every pattern the
 * observable mapping writes parses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "interop/stix.h"

static enum cs_err
chk(const char *s, struct cs_error *e)
{
	cs_error_clear(e);
	return stix_pattern_check(s, strlen(s), "objects.3.pattern", e);
}

static void
test_good(void **state)
{
	static const char *const good[] = {
		"[ipv4-addr:value = '198.51.100.7']",
		"[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
		"[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
		"[url:value = 'http://x.example/it\\'s']",
		"[domain-name:value = 'evil.example.com' OR domain-name:value = 'b.example']",
		"[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_port >= 443]",
		"[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
		"[email-message:from_ref.value MATCHES '.+@example\\\\.com$']",
		"[file:name LIKE 'bad%.exe'] AND [file:size > 1024.5]",
		"[process:command_line NOT LIKE '%x%']",
		"([ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [domain-name:value = 'a.example']) WITHIN 300 SECONDS",
		"[file:name = 'x'] REPEATS 5 TIMES",
		"[file:created > t'2016-01-01T00:00:00Z'] START t'2016-01-01T00:00:00Z' STOP t'2016-02-01T00:00:00.123Z'",
		"[windows-registry-key:values[*].name = 'x']",
		"[email-message:body_multipart[0].body_raw_ref.name = 'y']",
		"[ipv4-addr:value IN ('1.2.3.4', '5.6.7.8')]",
		"[artifact:payload_bin = b'aGVsbG8=' OR artifact:payload_bin = h'00ff']",
		"[x-custom-obj:flag = true]",
		"[(file:name = 'a' OR file:name = 'b') AND file:size = 3]",
		"[EXISTS file:name]",
	};
	struct cs_error e;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (chk(good[i], &e) != CS_OK)
			fail_msg("%s: %s", good[i], e.msg);
	}
}

static void
test_bad(void **state)
{
	static const char *const bad[] = {
		"", "ipv4-addr:value = '1'", "[ipv4-addr:value = '1'",
		"[ipv4-addr:value = 1.2.3.4]", "[ipv4-addr:value == '1']",
		"[ipv4-addr:value = 'unterminated]", "[ipv4-addr = '1']",
		"[:value = '1']", "[ipv4-addr:value = '1'] AND",
		"[ipv4-addr:value = '1'] junk", "[a:b = 'x\\q']",
		"[file:created > t'2016-01-01']", "[a:b = h'0']",
		"[a:b = b'abc']", "[a:b[x] = 1]", "[file:name = 'x'] WITHIN SECONDS",
		"[file:name = 'x'] REPEATS 1.5 TIMES", "[a:b IN 1]",
		"[file:name = 'x'] START t'2016-01-01T00:00:00Z'",
		"[x:y = z'1']", "[]", "[file:name ='a' AND]",
	};
	struct cs_error e;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (chk(bad[i], &e) != CS_EINVAL)
			fail_msg("accepted: %s", bad[i]);
		assert_string_equal(e.field, "objects.3.pattern");
		assert_non_null(strstr(e.msg, "offset"));
	}
	assert_int_equal(stix_pattern_check("[a:b = '1']\0", 12, "p", &e),
	    CS_EINVAL);
}

static void
test_depth(void **state)
{
	char s[4096];
	size_t n = 0;
	struct cs_error e;

	(void)state;
	for (int i = 0; i < 1000; i++)
		s[n++] = '(';
	memcpy(s + n, "[a:b = 1]", 9);
	n += 9;
	for (int i = 0; i < 1000; i++)
		s[n++] = ')';
	s[n] = '\0';
	assert_int_equal(chk(s, &e), CS_EINVAL);
	assert_non_null(strstr(e.msg, "deeply"));
	s[0] = '[';
	memset(s + 1, '(', 1000);
	s[1001] = '\0';
	assert_int_equal(chk(s, &e), CS_EINVAL);
}

/* Every pattern the advisory mapping writes is a valid pattern. */
static void
test_mapping_patterns(void **state)
{
	const char *text = "hxxp://bad[.]example.com/a?b='c' 198.51.100.7 "
	    "2001:db8::1 x@bad.example.org d41d8cd98f00b204e9800998ecf8427e "
	    "da39a3ee5e6b4b0d3255bfef95601890afd80709 evil.example.net";
	struct stix_obs *v = NULL;
	struct cs_error e;
	size_t n = 0;

	(void)state;
	stix_observables(text, strlen(text), &v, &n);
	assert_true(n >= 6);
	for (size_t i = 0; i < n; i++) {
		char *p = stix_obs_pattern(&v[i]);

		if (chk(p, &e) != CS_OK)
			fail_msg("%s: %s", p, e.msg);
		free(p);
	}
	stix_obs_free(v, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_mapping_patterns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
