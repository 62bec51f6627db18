/*
 * test_obs.c: the observable extractor (src/analysis/obs_extract.c) —
 * full-width and defanged forms, CIDR blocks, IPv6 spellings, URLs as
 * curl_url normalises them, registrable domains (libpsl), CVE ids,
 * hashes, and text that holds none of them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "analysis/obs.h"

/* Does the scan of text find (kind, value)? */
static bool
finds(const char *text, enum obs_kind k, const char *value)
{
	struct obs *v = NULL;
	size_t n = 0;
	bool hit = false;

	obs_extract(text, strlen(text), &v, &n);
	for (size_t i = 0; i < n; i++)
		if (v[i].kind == k && strcmp(v[i].value, value) == 0)
			hit = true;
	obs_free(v, n);
	return hit;
}

static size_t
count(const char *text)
{
	struct obs *v = NULL;
	size_t n = 0;

	obs_extract(text, strlen(text), &v, &n);
	obs_free(v, n);
	return n;
}

static void
test_fullwidth_defanged(void **state)
{
	(void)state;
	/* Full-width digits and full stops (NFKC). */
	assert_true(finds("攻撃元ＩＰは１９８．５１．１００．７です", OBS_IPV4,
	    "198.51.100.7"));
	assert_true(finds("198[.]51[.]100[.]7", OBS_IPV4, "198.51.100.7"));
	assert_true(finds("198(.)51(.)100(.)7", OBS_IPV4, "198.51.100.7"));
	assert_true(finds("１９８［．］５１［．］１００［．］７", OBS_IPV4,
	    "198.51.100.7"));
	assert_true(finds("hxxps://evil[.]example[.]com/a", OBS_URL,
	    "https://evil.example.com/a"));
	assert_true(finds("ｈｘｘｐ：／／ｅｖｉｌ．ｅｘａｍｐｌｅ．ｃｏｍ", OBS_URL,
	    "http://evil.example.com/"));
	assert_true(finds("attacker[@]evil[.]example[.]org", OBS_EMAIL,
	    "attacker@evil.example.org"));
	assert_true(finds("ｅｖｉｌ．ｅｘａｍｐｌｅ．ｃｏ．ｊｐへ通信", OBS_DOMAIN,
	    "evil.example.co.jp"));
}

static void
test_addresses(void **state)
{
	(void)state;
	assert_true(finds("C2: 2001:DB8:0:0::1 port", OBS_IPV6, "2001:db8::1"));
	assert_true(finds("2001:0db8:0000:0000:0000:0000:0000:0001", OBS_IPV6,
	    "2001:db8::1"));
	assert_true(finds("::ffff:192.0.2.1 から", OBS_IPV6, "::ffff:192.0.2.1"));
	assert_true(finds("[2001:db8::5]:443", OBS_IPV6, "2001:db8::5"));
	/* CIDR: host bits cleared, the address alone not taken again. */
	assert_true(finds("範囲 198.51.100.7/24 を遮断", OBS_CIDR,
	    "198.51.100.0/24"));
	assert_false(finds("範囲 198.51.100.7/24 を遮断", OBS_IPV4,
	    "198.51.100.7"));
	assert_true(finds("2001:DB8::1/32", OBS_CIDR, "2001:db8::/32"));
	assert_true(finds("１０．０．０．０／８", OBS_CIDR, "10.0.0.0/8"));
	assert_false(finds("198.51.100.0/33", OBS_CIDR, "198.51.100.0/33"));
	assert_false(finds("1.2.3.4.5", OBS_IPV4, "1.2.3.4"));
	assert_int_equal(count("256.1.1.1 and 01.2.3.4 and ::"), 0);
	/* A date and a fraction are no blocks. */
	assert_int_equal(count("2026/11/21 3/4"), 0);
}

static void
test_urls(void **state)
{
	(void)state;
	/* curl_url: scheme and host lower-case, default port dropped, dot
	 * segments resolved, "/" for an empty path, no fragment. */
	assert_true(finds("HTTP://Evil.Example.COM:80/a/../b?x=1#frag", OBS_URL,
	    "http://evil.example.com/b?x=1"));
	assert_true(finds("https://evil.example.com:8443/p?q=1, then", OBS_URL,
	    "https://evil.example.com:8443/p?q=1"));
	assert_true(finds("see https://evil.example.com.", OBS_URL,
	    "https://evil.example.com/"));
	assert_true(finds("ftp://198.51.100.7/x", OBS_URL,
	    "ftp://198.51.100.7/x"));
	assert_true(finds("（https://evil.example.com/path）", OBS_URL,
	    "https://evil.example.com/path"));
	/* user:password@ is not taken. */
	assert_false(finds("http://u:p@evil.example.com/", OBS_URL,
	    "http://u:p@evil.example.com/"));
}

static void
test_domains(void **state)
{
	struct obs o;
	char *r;

	(void)state;
	assert_true(finds("see evil.Example.com.", OBS_DOMAIN,
	    "evil.example.com"));
	/* File names and unknown top-level domains are no domains. */
	assert_int_equal(count("report.pdf setup.exe host.zz a.invalidtld"), 0);
	assert_true(obs_normalise("a.b.Example.co.jp", &o));
	assert_int_equal(o.kind, OBS_DOMAIN);
	r = obs_registrable(&o);
	assert_string_equal(r, "example.co.jp");
	free(r);
	free(o.value);
	assert_true(obs_normalise("hxxps://x.y.github[.]io/a", &o));
	assert_int_equal(o.kind, OBS_URL);
	r = obs_registrable(&o);
	assert_string_equal(r, "y.github.io");	/* github.io is a suffix */
	free(r);
	free(o.value);
	assert_true(obs_normalise("a@mail.example.com", &o));
	r = obs_registrable(&o);
	assert_string_equal(r, "example.com");
	free(r);
	free(o.value);
	assert_true(obs_normalise("198.51.100.7", &o));
	assert_null(obs_registrable(&o));
	free(o.value);
	assert_false(obs_normalise("198.51.100.7 and 198.51.100.8", &o));
	assert_false(obs_normalise("なし", &o));
}

static void
test_cve_hashes(void **state)
{
	(void)state;
	assert_true(finds("脆弱性cve-2024-3400を悪用", OBS_CVE, "CVE-2024-3400"));
	assert_true(finds("ＣＶＥ－２０２３－４４４８７", OBS_CVE,
	    "CVE-2023-44487"));
	assert_true(finds("CVE-2021-1234567.", OBS_CVE, "CVE-2021-1234567"));
	assert_int_equal(count("CVE-2024-123 CVE-24-1234 CVE-2024-12a4"), 0);
	assert_true(finds("md5 d41d8cd98f00b204e9800998ecf8427e", OBS_MD5,
	    "d41d8cd98f00b204e9800998ecf8427e"));
	assert_true(finds("sha1 DA39A3EE5E6B4B0D3255BFEF95601890AFD80709",
	    OBS_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"));
	assert_true(finds("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca"
	    "495991b7852b855", OBS_SHA256, "e3b0c44298fc1c149afbf4c8996fb9242"
	    "7ae41e4649b934ca495991b7852b855"));
	/* 31 and 33 hex digits are nothing. */
	assert_int_equal(count("d41d8cd98f00b204e9800998ecf8427 "
	    "d41d8cd98f00b204e9800998ecf8427ee"), 0);
	/* Each (kind, value) once; kinds named. */
	assert_int_equal(count("1.2.3.4 1.2.3.4 １．２．３．４"), 1);
	assert_string_equal(obs_kind_id(OBS_CIDR), "cidr");
	assert_string_equal(obs_kind_id(OBS__COUNT), "");
	/* Invalid UTF-8 is scanned as bytes. */
	assert_true(finds("\xff\xfe 198.51.100.9 \xc3", OBS_IPV4, "198.51.100.9"));
}

static void
test_json(void **state)
{
	json_t *form = json_pack("{s:s, s:{s:s}, s:{s:s, s:s}, s:[s]}",
	    "tlp", "amber", "overview", "event_summary", "C2 203.0.113.50",
	    "reporter", "email", "csirt@minato.example.jp", "phone", "03-1234",
	    "causes", "CVE-2024-3400");
	struct obs *v = NULL;
	size_t n = 0;

	(void)state;
	obs_extract_json(form, &v, &n);
	/* Each field on its own; the reporter's contact is no indicator. */
	assert_int_equal(n, 2);
	assert_int_equal(v[0].kind == OBS_IPV4 || v[1].kind == OBS_IPV4, 1);
	assert_int_equal(v[0].kind == OBS_CVE || v[1].kind == OBS_CVE, 1);
	obs_free(v, n);
	json_decref(form);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fullwidth_defanged),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_domains),
		cmocka_unit_test(test_cve_hashes),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
