/*
 * test_stix.c: the STIX 2.1 mapping (src/interop): UUIDv5 ids (known
 * vectors), the TLP 2.0 markings, the observable scanner (positives,
 * negatives, refanged forms), pattern escaping, an anonymised report's
 * bundle without its source's names, and a 第2報 as a new version of the
 * same objects.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "interop/stix.h"

static void
test_uuid5(void **state)
{
	char u[37], id[STIX_ID_MAX], id2[STIX_ID_MAX];

	(void)state;
	/* RFC 9562 / Python's uuid5(NAMESPACE_DNS, "python.org") */
	assert_int_equal(stix_uuid5("6ba7b810-9dad-11d1-80b4-00c04fd430c8",
	    "python.org", 10, u), CS_OK);
	assert_string_equal(u, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
	assert_int_equal(stix_uuid5("not a uuid", "x", 1, u), CS_EINVAL);
	stix_id("incident", "report:42", id, sizeof(id));
	assert_string_equal(id,
	    "incident--401358fd-a48c-5f4f-bd49-8f53eff3ab6e");
	stix_id("incident", "report:42", id2, sizeof(id2));
	assert_string_equal(id, id2);
	stix_id("incident", "report:43", id2, sizeof(id2));
	assert_string_not_equal(id, id2);
}

static void
test_markings(void **state)
{
	static const struct {
		const char *tlp, *id, *name, *value;
	} want[] = {
		{ "clear", "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
		    "TLP:CLEAR", "clear" },
		{ "green", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
		    "TLP:GREEN", "green" },
		{ "amber", "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
		    "TLP:AMBER", "amber" },
		{ "amber_strict",
		    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
		    "TLP:AMBER+STRICT", "amber+strict" },
		{ "red", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
		    "TLP:RED", "red" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int t = stix_tlp_of(want[i].tlp);
		json_t *m, *x;

		assert_true(t >= 0);
		assert_string_equal(stix_marking_id((enum cs_tlp)t), want[i].id);
		m = stix_marking((enum cs_tlp)t);
		assert_non_null(m);
		assert_string_equal(json_string_value(json_object_get(m, "id")),
		    want[i].id);
		assert_string_equal(json_string_value(json_object_get(m,
		    "name")), want[i].name);
		assert_string_equal(json_string_value(json_object_get(m,
		    "created")), "2022-10-01T00:00:00.000Z");
		x = json_object_get(json_object_get(m, "extensions"),
		    STIX_TLP2_EXT);
		assert_string_equal(json_string_value(json_object_get(x,
		    "tlp_2_0")), want[i].value);
		assert_string_equal(json_string_value(json_object_get(x,
		    "extension_type")), "property-extension");
		json_decref(m);
	}
	assert_int_equal(stix_tlp_of("purple"), -1);
	assert_int_equal(stix_tlp_of(NULL), -1);
}

/* Does the scan of text find (type, value)? */
static bool
finds(const char *text, enum stix_obs_type t, const char *value)
{
	struct stix_obs *v = NULL;
	size_t n = 0;
	bool hit = false;

	stix_observables(text, strlen(text), &v, &n);
	for (size_t i = 0; i < n; i++)
		if (v[i].type == t && strcmp(v[i].value, value) == 0)
			hit = true;
	stix_obs_free(v, n);
	return hit;
}

static size_t
count(const char *text)
{
	struct stix_obs *v = NULL;
	size_t n = 0;

	stix_observables(text, strlen(text), &v, &n);
	stix_obs_free(v, n);
	return n;
}

static void
test_observables(void **state)
{
	(void)state;
	assert_true(finds("攻撃元198.51.100.7から", STIX_OBS_IPV4,
	    "198.51.100.7"));
	assert_true(finds("C2: 2001:DB8::1 port", STIX_OBS_IPV6, "2001:db8::1"));
	assert_true(finds("see evil.Example.com.", STIX_OBS_DOMAIN,
	    "evil.example.com"));
	assert_true(finds("get https://evil.example.com/a/b?x=1, then",
	    STIX_OBS_URL, "https://evil.example.com/a/b?x=1"));
	assert_true(finds("mail from attacker@evil.example.org", STIX_OBS_EMAIL,
	    "attacker@evil.example.org"));
	assert_true(finds("md5 d41d8cd98f00b204e9800998ecf8427e",
	    STIX_OBS_MD5, "d41d8cd98f00b204e9800998ecf8427e"));
	assert_true(finds("sha1 DA39A3EE5E6B4B0D3255BFEF95601890AFD80709",
	    STIX_OBS_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"));
	assert_true(finds("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca"
	    "495991b7852b855", STIX_OBS_SHA256, "e3b0c44298fc1c149afbf4c8996fb"
	    "92427ae41e4649b934ca495991b7852b855"));
	/* refanged */
	assert_true(finds("hxxp://evil[.]example[.]com/x", STIX_OBS_URL,
	    "http://evil.example.com/x"));
	assert_true(finds("hXXps[://]bad(.)example(dot)net/", STIX_OBS_URL,
	    "https://bad.example.net/"));
	assert_true(finds("203.0.113[.]5", STIX_OBS_IPV4, "203.0.113.5"));
	assert_true(finds("user[@]phish[.]example[.]jp", STIX_OBS_EMAIL,
	    "user@phish.example.jp"));
	/* host:port */
	assert_true(finds("evil.example.com:8443", STIX_OBS_DOMAIN,
	    "evil.example.com"));
	/* negatives */
	assert_int_equal(count("version 1.2.3.4.5 and 10.0.19041.1"), 0);
	assert_int_equal(count("256.1.1.1 01.2.3.4 1.2.3"), 0);
	assert_int_equal(count("open report.pdf and setup.exe, e.g. this"), 0);
	assert_int_equal(count("at 09:00:00 on 2026-11-21, 第2報"), 0);
	assert_int_equal(count("a@b @ x@@y.com"), 0);
	assert_int_equal(count("deadbeef 0123456789abcdef0123456789abcde"), 0);
	assert_int_equal(count("http:// https://-bad"), 0);
	assert_int_equal(count(""), 0);
	/* each once */
	assert_int_equal(count("198.51.100.7 198.51.100.7 198.51.100[.]7"), 1);
}

static void
test_patterns(void **state)
{
	struct stix_obs o = { STIX_OBS_IPV4, (char *)"198.51.100.7" };
	char *p, *q;
	json_t *sco;

	(void)state;
	p = stix_obs_pattern(&o);
	assert_string_equal(p, "[ipv4-addr:value = '198.51.100.7']");
	free(p);
	o.type = STIX_OBS_SHA256;
	o.value = (char *)"ab";
	p = stix_obs_pattern(&o);
	assert_string_equal(p, "[file:hashes.'SHA-256' = 'ab']");
	free(p);
	o.type = STIX_OBS_URL;
	o.value = (char *)"http://x.example/a'b\\c";
	p = stix_obs_pattern(&o);
	assert_string_equal(p, "[url:value = 'http://x.example/a\\'b\\\\c']");
	free(p);
	q = stix_pattern_quote("it's \\ ok");
	assert_string_equal(q, "it\\'s \\\\ ok");
	free(q);
	/* STIX 2.1 §2.9: the SCO id over {"value":…} in the SCO namespace */
	o.type = STIX_OBS_IPV4;
	o.value = (char *)"198.51.100.7";
	sco = stix_obs_sco(&o);
	assert_string_equal(json_string_value(json_object_get(sco, "id")),
	    "ipv4-addr--12592121-be4c-5a93-a813-5a5af16e50db");
	json_decref(sco);
}

static void
test_time(void **state)
{
	char b[32];

	(void)state;
	stix_time(stix_time_parse("2026-11-21T09:00:00+09:00"), b, sizeof(b));
	assert_string_equal(b, "2026-11-21T00:00:00.000Z");
	assert_int_equal(stix_time_parse("garbage"), 0);
}

static const char anon_report[] =
    "{\"id\": 7, \"tlp\": \"amber_strict\", \"anonymised\": true,"
    " \"route\": \"via_ceptoar\", \"legal_duty\": false, \"sector\": \"finance\","
    " \"created_at\": \"2026-11-21T09:00:00+09:00\","
    " \"path\": [{\"org\": 5, \"type\": \"ceptoar_secretariat\"},"
    "            {\"org\": 3, \"type\": \"ci_ministry\"}],"
    " \"submitter\": {\"org\": 9, \"org_name\": \"東都第一銀行\","
    "   \"login\": \"tanaka-opr\", \"display_name\": \"田中 太郎\","
    "   \"email\": \"tanaka@toto1.example.jp\"},"
    " \"versions\": [{\"version\": 1, \"state\": \"at_ceptoar\","
    "   \"identification_number\": null, \"shown_hop\": \"source\","
    "   \"submitted_at\": \"2026-11-21T09:00:00+09:00\","
    "   \"form\": {\"tlp\": \"amber_strict\", \"sector\": \"finance\","
    "     \"affected_operator_name\": \"東都第一銀行\","
    "     \"reporter\": {\"contact_person\": \"田中 太郎\"},"
    "     \"cause_types\": [], \"tlp_special_notes\": null,"
    "     \"overview\": {\"event_summary\": \"東都第一銀行のサーバで"
    "マルウェア感染。田中 太郎が確認 (tanaka@toto1.example.jp)\"}}}]}";

static void
test_report_anonymised(void **state)
{
	json_t *rep = json_loads(anon_report, 0, NULL), *orgs, *b, *inc, *x;
	struct cs_error e;
	char *text, iid[STIX_ID_MAX];

	(void)state;
	assert_non_null(rep);
	orgs = json_pack("{s:{s:s}, s:{s:s}}", "5", "name", "金融セプター事務局",
	    "3", "name", "金融庁");
	b = stix_report_bundle(rep, orgs, &e);
	assert_non_null(b);
	text = json_dumps(b, 0);
	assert_null(strstr(text, "東都第一銀行"));
	assert_null(strstr(text, "田中"));
	assert_null(strstr(text, "tanaka"));
	assert_null(strstr(text, "toto1"));
	assert_non_null(strstr(text, "匿名の報告元（金融セプター事務局）"));
	assert_non_null(strstr(text, "marking-definition--939a9414-2ddd-4d32-"
	    "a0cd-375ea402b003"));
	assert_null(strstr(text, ": null"));
	free(text);
	inc = json_array_get(json_object_get(b, "objects"), 0);
	assert_string_equal(json_string_value(json_object_get(inc, "type")),
	    "incident");
	stix_id("incident", "report:7", iid, sizeof(iid));
	assert_string_equal(json_string_value(json_object_get(inc, "id")), iid);
	x = json_object_iter_value(json_object_iter(json_object_get(inc,
	    "extensions")));
	assert_string_equal(json_string_value(json_object_get(x,
	    "extension_type")), "property-extension");
	assert_int_equal(json_integer_value(json_object_get(x, "report_id")), 7);
	assert_null(json_object_get(json_object_get(x, "form"),
	    "affected_operator_name"));
	assert_null(json_object_get(json_object_get(x, "form"), "cause_types"));
	json_decref(b);
	json_decref(rep);
	json_decref(orgs);
}

static void
test_report_versions(void **state)
{
	json_t *rep = json_loads(anon_report, 0, NULL), *v2, *b1, *b2, *i1, *i2;
	struct cs_error e;

	(void)state;
	json_object_set_new(rep, "anonymised", json_false());
	b1 = stix_report_bundle(rep, NULL, &e);
	v2 = json_deep_copy(json_array_get(json_object_get(rep, "versions"), 0));
	json_object_set_new(v2, "version", json_integer(2));
	json_object_set_new(v2, "submitted_at",
	    json_string("2026-11-22T10:30:00+09:00"));
	json_array_append_new(json_object_get(rep, "versions"), v2);
	b2 = stix_report_bundle(rep, NULL, &e);
	assert_non_null(b1);
	assert_non_null(b2);
	i1 = json_array_get(json_object_get(b1, "objects"), 0);
	i2 = json_array_get(json_object_get(b2, "objects"), 0);
	assert_string_equal(json_string_value(json_object_get(i1, "id")),
	    json_string_value(json_object_get(i2, "id")));
	assert_string_equal(json_string_value(json_object_get(i1, "created")),
	    json_string_value(json_object_get(i2, "created")));
	assert_string_equal(json_string_value(json_object_get(i1, "modified")),
	    "2026-11-21T00:00:00.000Z");
	assert_string_equal(json_string_value(json_object_get(i2, "modified")),
	    "2026-11-22T01:30:00.000Z");
	/* not anonymised: the submitting organisation names itself */
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(json_object_get(b2, "objects"), 1), "name")),
	    "organisation 9");
	json_decref(b1);
	json_decref(b2);
	/* same second: modified still moves on */
	json_object_set_new(v2, "submitted_at",
	    json_string("2026-11-21T09:00:00+09:00"));
	b2 = stix_report_bundle(rep, NULL, &e);
	i2 = json_array_get(json_object_get(b2, "objects"), 0);
	assert_string_equal(json_string_value(json_object_get(i2, "modified")),
	    "2026-11-21T00:00:00.001Z");
	json_decref(b2);
	json_decref(rep);
	assert_null(stix_report_bundle(NULL, NULL, &e));
	assert_int_equal(e.code, CS_EINVAL);
}

static void
test_advisory(void **state)
{
	json_t *adv = json_pack("{s:i, s:s, s:i, s:s, s:{s:s, s:{s:s, s:s}, "
	    "s:s}, s:[{s:i, s:s, s:s}]}",
	    "id", 11, "tlp", "green", "version", 1,
	    "identification_number", "T5-1",
	    "form", "tlp", "green", "threat_content", "summary",
	    "C2 203.0.113[.]9 and hxxp://bad[.]example[.]com/x",
	    "target", "VPN 1.2.3.4.5", "countermeasures", "block 'it'",
	    "versions", "version", 1, "identification_number", "T5-1",
	    "issued_at", "2026-11-21T09:00:00+09:00");
	json_t *b, *b2, *objs, *o;
	struct cs_error e;
	size_t i, nind = 0;
	char *t1, *t2;

	(void)state;
	b = stix_advisory_bundle(adv, &e);
	assert_non_null(b);
	objs = json_object_get(b, "objects");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    objs, 0), "type")), "report");
	json_array_foreach(objs, i, o)
		if (cs_streq(json_string_value(json_object_get(o, "type")),
		    "indicator")) {
			const char *p = json_string_value(json_object_get(o,
			    "pattern"));

			nind++;
			assert_true(strcmp(p, "[ipv4-addr:value = '203.0.113.9']")
			    == 0 || strcmp(p, "[url:value = "
			    "'http://bad.example.com/x']") == 0);
		}
	assert_int_equal(nind, 2);
	/* the same item, the same ids */
	b2 = stix_advisory_bundle(adv, &e);
	t1 = json_dumps(b, JSON_SORT_KEYS);
	t2 = json_dumps(b2, JSON_SORT_KEYS);
	assert_string_equal(t1, t2);
	free(t1);
	free(t2);
	json_decref(b);
	json_decref(b2);
	json_decref(adv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uuid5),
		cmocka_unit_test(test_markings),
		cmocka_unit_test(test_observables),
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_report_anonymised),
		cmocka_unit_test(test_report_versions),
		cmocka_unit_test(test_advisory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
