/*
 * test_net.c: where a webhook may go (src/util/net.c).  Every address class
 * an attacker would aim a server-side request at from inside the
 * deployment is refused — private, loopback, link-local (cloud metadata at
 * 169.254.169.254), the IPv4 inside IPv6 forms, numeric shorthands the
 * resolver accepts — and public https targets pass.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include "util/net.h"

static enum net_class
cls(const char *text)
{
	uint8_t a6[16];
	struct in_addr a4;

	if (inet_pton(AF_INET, text, &a4) == 1)
		return net_class_v4(ntohl(a4.s_addr));
	assert_int_equal(inet_pton(AF_INET6, text, a6), 1);
	return net_class_v6(a6);
}

static void
test_classes(void **state)
{
	static const struct {
		const char	*addr;
		enum net_class	 cls;
	} t[] = {
		{ "8.8.8.8", NET_PUBLIC },
		{ "203.0.114.1", NET_PUBLIC },
		{ "172.32.0.1", NET_PUBLIC },
		{ "10.0.0.1", NET_PRIVATE },
		{ "172.16.5.4", NET_PRIVATE },
		{ "172.31.255.255", NET_PRIVATE },
		{ "192.168.1.1", NET_PRIVATE },
		{ "100.64.0.1", NET_PRIVATE },
		{ "127.0.0.1", NET_LOOPBACK },
		{ "127.255.0.9", NET_LOOPBACK },
		{ "169.254.169.254", NET_LINK_LOCAL },
		{ "224.0.0.1", NET_MULTICAST },
		{ "255.255.255.255", NET_RESERVED },
		{ "0.0.0.0", NET_UNSPECIFIED },
		{ "0.1.2.3", NET_RESERVED },
		{ "192.0.2.7", NET_RESERVED },
		{ "2001:4860:4860::8888", NET_PUBLIC },
		{ "::1", NET_LOOPBACK },
		{ "::", NET_UNSPECIFIED },
		{ "fe80::1", NET_LINK_LOCAL },
		{ "fd00::1", NET_PRIVATE },
		{ "fec0::1", NET_PRIVATE },
		{ "ff02::1", NET_MULTICAST },
		{ "2001:db8::1", NET_RESERVED },
		{ "::ffff:127.0.0.1", NET_LOOPBACK },
		{ "::ffff:169.254.169.254", NET_LINK_LOCAL },
		{ "::ffff:8.8.8.8", NET_PUBLIC },
		{ "64:ff9b::10.0.0.1", NET_PRIVATE },
		{ "2002:0a00:0001::1", NET_PRIVATE },	/* 6to4 of 10.0.0.1 */
		{ "::10.0.0.1", NET_RESERVED },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		enum net_class got = cls(t[i].addr);

		if (got != t[i].cls)
			fail_msg("%s: %s, want %s", t[i].addr, net_class_name(got),
			    net_class_name(t[i].cls));
	}
}

static void
test_url_parse(void **state)
{
	struct net_url u;
	struct cs_error e;

	(void)state;
	assert_int_equal(net_url_parse("https://hooks.example.jp/x?y", "url", &u, &e), CS_OK);
	assert_true(u.https);
	assert_string_equal(u.host, "hooks.example.jp");
	assert_int_equal(u.port, 443);
	assert_int_equal(net_url_parse("http://[::1]:8080/h", "url", &u, &e), CS_OK);
	assert_false(u.https);
	assert_string_equal(u.host, "::1");
	assert_int_equal(u.port, 8080);
	assert_int_equal(net_url_parse("https://h.example:65535", "url", &u, &e), CS_OK);
	assert_int_equal(u.port, 65535);
	static const char *bad[] = {
		"ftp://x.example/", "https://", "https:///x", "https://a@b.example/",
		"https://127.0.0.1@evil.example/", "https://h.example:0/",
		"https://h.example:65536/", "https://h.example:8x/", "https://h%2eexample/",
		"https://h example/", "https://h\\example/", "https://[::1/",
		"https://[::1]x/", "javascript:alert(1)", "https://h.example/\x01",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cs_error_clear(&e);
		if (net_url_parse(bad[i], "target", &u, &e) != CS_EINVAL)
			fail_msg("accepted %s", bad[i]);
		assert_string_equal(e.field, "target");
	}
}

static void
test_resolve_checked(void **state)
{
	static const char *refused[] = {
		"https://10.0.0.1/", "https://169.254.169.254/latest/meta-data/",
		"https://127.0.0.1/", "https://[::1]/", "https://[::ffff:127.0.0.1]/",
		"https://[fe80::1]/", "https://2130706433/", "https://0x7f.1/",
		"https://0.0.0.0/", "https://localhost/", "http://8.8.8.8/",
		"http://127.0.0.1:9/", "https://[::ffff:10.0.0.1]/",
	};
	struct net_url u;
	struct cs_error e;
	char addr[64];

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		cs_error_clear(&e);
		if (net_resolve_checked(refused[i], "url", false, &u, addr, &e) != CS_EINVAL)
			fail_msg("accepted %s", refused[i]);
		assert_string_equal(e.field, "url");
		assert_string_equal(addr, "");
	}
	/* A public literal passes and is pinned. */
	assert_int_equal(net_resolve_checked("https://8.8.8.8/hook", "url", false,
	    &u, addr, &e), CS_OK);
	assert_string_equal(addr, "8.8.8.8");
	/* Loopback only when the deployment allows it (tests), http included. */
	assert_int_equal(net_resolve_checked("http://127.0.0.1:8080/h", "url", true,
	    &u, addr, &e), CS_OK);
	assert_string_equal(addr, "127.0.0.1");
	/* ... but never a private address, nor plain http to a public one. */
	assert_int_equal(net_resolve_checked("https://192.168.0.1/", "url", true,
	    &u, addr, &e), CS_EINVAL);
	assert_int_equal(net_resolve_checked("http://8.8.8.8/", "url", true,
	    &u, addr, &e), CS_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_url_parse),
		cmocka_unit_test(test_resolve_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
