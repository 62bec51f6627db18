/*
 * test_attach.c: attachments (別紙) and samples (検体) in core (src/core/
 * attach.c and the policy functions of policy.c, issue 15 items 1-2): the
 * file name check, the served media type, Content-Disposition (RFC 6266
 * with RFC 8187 filename*), the sample bodies, the streamed sealing of an
 * anonymised source's file, and who attaches, reads and answers.
 * Expectations from API.md "Attachments (別紙) and samples (検体)".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/attach.h"

static void
name_ok(const char *n)
{
	struct cs_error e;

	cs_error_clear(&e);
	if (core_attach_name_check(n, &e) != CS_OK)
		fail_msg("'%s' refused: %s", n, e.msg);
}

static void
name_bad(const char *n)
{
	struct cs_error e;

	cs_error_clear(&e);
	if (core_attach_name_check(n, &e) != CS_EINVAL || strcmp(e.field,
	    "name") != 0)
		fail_msg("'%s' accepted (or not 400 name)", n ? n : "(null)");
}

static void
test_name(void **state)
{
	char long_name[CS_ATTACH_NAME_MAX + 2];

	(void)state;
	name_ok("report.pdf");
	name_ok("ログ 1.txt");
	name_ok("a..b");
	name_ok(".hidden");
	name_bad(NULL);
	name_bad("");
	name_bad(".");
	name_bad("..");
	name_bad("../etc/passwd");
	name_bad("a/b");
	name_bad("a\\b");
	name_bad("tab\there");
	name_bad("nl\n");
	name_bad("del\x7f");
	name_bad("c1\xc2\x85");
	name_bad("\xff\xfe");
	name_bad(" lead");
	name_bad("trail ");
	memset(long_name, 'x', sizeof(long_name));
	long_name[CS_ATTACH_NAME_MAX] = '\0';
	name_ok(long_name);
	long_name[CS_ATTACH_NAME_MAX] = 'x';
	long_name[CS_ATTACH_NAME_MAX + 1] = '\0';
	name_bad(long_name);
}

static void
type_is(const char *given, const char *want)
{
	char out[CS_ATTACH_TYPE_MAX + 1];

	core_attach_content_type(given, out, sizeof(out));
	if (strcmp(out, want) != 0)
		fail_msg("'%s' -> '%s', want '%s'", given ? given : "(null)", out,
		    want);
}

static void
test_content_type(void **state)
{
	(void)state;
	type_is("text/plain; charset=utf-8", "text/plain");
	type_is("Application/PDF", "application/pdf");
	type_is("image/png", "image/png");
	type_is("text/csv", "text/csv");
	type_is("text/html", "application/octet-stream");
	type_is("image/svg+xml", "application/octet-stream");
	type_is("application/javascript", "application/octet-stream");
	type_is("text/xml", "application/octet-stream");
	type_is("", "application/octet-stream");
	type_is(NULL, "application/octet-stream");
	type_is("text/plainx", "application/octet-stream");
}

static void
test_disposition(void **state)
{
	char *d;

	(void)state;
	d = core_attach_disposition("report.pdf");
	assert_string_equal(d, "attachment; filename=\"report.pdf\"");
	free(d);
	d = core_attach_disposition("ログ 1.txt");
	assert_string_equal(d, "attachment; filename=\"__ 1.txt\"; "
	    "filename*=UTF-8''%E3%83%AD%E3%82%B0%201.txt");
	free(d);
	d = core_attach_disposition("a\"b;c.txt");
	assert_string_equal(d, "attachment; filename=\"a_b;c.txt\"");
	free(d);
}

static void
answer(const char *json, int64_t want_att, const char *want_decline,
    const char *field)
{
	struct cs_error e;
	const char *decline;
	int64_t att;
	json_t *j = json_loads(json, 0, NULL);
	enum cs_err rc;

	assert_non_null(j);
	cs_error_clear(&e);
	rc = core_sample_answer_check(j, &att, &decline, &e);
	if (field != NULL) {
		if (rc != CS_EINVAL || strcmp(e.field, field) != 0)
			fail_msg("%s: rc %d field %s, want 400 %s", json, (int)rc,
			    e.field, field);
	} else {
		assert_int_equal(rc, CS_OK);
		assert_int_equal(att, want_att);
		if (want_decline == NULL)
			assert_null(decline);
		else
			assert_string_equal(decline, want_decline);
	}
	json_decref(j);
}

static void
test_sample_bodies(void **state)
{
	struct cs_sample_in in;
	struct cs_error e;
	json_t *j;

	(void)state;
	j = json_pack("{s:s, s:s}", "what", "検体 invoice.exe", "reason",
	    "解析のため\n至急");
	assert_int_equal(core_sample_check(j, &in, &e), CS_OK);
	assert_string_equal(in.what, "検体 invoice.exe");
	json_decref(j);
	j = json_pack("{s:s, s:s}", "what", "a\nb", "reason", "r");
	assert_int_equal(core_sample_check(j, &in, &e), CS_EINVAL);
	assert_string_equal(e.field, "what");
	json_decref(j);
	j = json_pack("{s:s}", "what", "w");
	assert_int_equal(core_sample_check(j, &in, &e), CS_EINVAL);
	assert_string_equal(e.field, "reason");
	json_decref(j);
	answer("{\"attachment\": 7}", 7, NULL, NULL);
	answer("{\"decline\": \"no\"}", 0, "no", NULL);
	answer("{\"decline\": \"no\", \"attachment\": null}", 0, "no", NULL);
	answer("{}", 0, NULL, "attachment");
	answer("{\"attachment\": 0}", 0, NULL, "attachment");
	answer("{\"attachment\": \"7\"}", 0, NULL, "attachment");
	answer("{\"attachment\": 7, \"decline\": \"x\"}", 0, NULL, "decline");
	answer("{\"decline\": \"  \"}", 0, NULL, "decline");
	answer("{\"decline\": \"a\\u0001\"}", 0, NULL, "decline");
	assert_string_equal(core_sample_state_id(SAMPLE_DECLINED), "declined");
}

/* ---- sealing ------------------------------------------------------------ */

static const unsigned char master[CS_KEY_BYTES] = { 7, 7, 7 };

static void
test_seal_roundtrip(void **state)
{
	struct cs_attach_seal s, o, o2;
	unsigned char pk[32], c1[100 + CS_ATTACH_SEAL_ABYTES],
	    c2[5 + CS_ATTACH_SEAL_ABYTES], p[100];
	char *wsk = NULL, *key;
	bool last;

	(void)state;
	core_keys_init(master);
	core_org_keypair(pk, &wsk);
	key = core_attach_seal_begin(&s, pk);
	assert_non_null(key);
	memset(p, 'A', sizeof(p));
	core_attach_seal_chunk(&s, p, 100, false, c1);
	core_attach_seal_chunk(&s, "tail!", 5, true, c2);
	for (size_t i = 0; i + 4 <= sizeof(c1); i++)
		assert_false(memcmp(c1 + i, "AAAA", 4) == 0);
	assert_int_equal(core_attach_open_begin(&o, pk, wsk, key), 0);
	assert_int_equal(core_attach_open_chunk(&o, c1, sizeof(c1), p, &last), 0);
	assert_false(last);
	assert_int_equal(p[0], 'A');
	assert_int_equal(core_attach_open_chunk(&o, c2, sizeof(c2), p, &last), 0);
	assert_true(last);
	assert_memory_equal(p, "tail!", 5);
	/* out of order, forged, or under another key: does not open */
	assert_int_equal(core_attach_open_begin(&o2, pk, wsk, key), 0);
	assert_int_equal(core_attach_open_chunk(&o2, c2, sizeof(c2), p, &last), -1);
	c1[3] ^= 1;
	assert_int_equal(core_attach_open_begin(&o2, pk, wsk, key), 0);
	assert_int_equal(core_attach_open_chunk(&o2, c1, sizeof(c1), p, &last), -1);
	assert_int_equal(core_attach_open_begin(&o2, pk, wsk, "AAAA"), -1);
	core_attach_seal_fini(&s);
	core_attach_seal_fini(&o);
	core_attach_seal_fini(&o2);
	free(key);
	free(wsk);
}

/* ---- the policy --------------------------------------------------------- */

#define SECTOR	5

static struct cs_principal
who(int64_t org, enum cs_org_type t, unsigned roles, bool nda)
{
	struct cs_principal p;

	memset(&p, 0, sizeof(p));
	p.user_id = 100 + org;
	p.org_id = org;
	p.org_type = t;
	p.roles = roles;
	p.org_sectors = 1u << SECTOR;
	p.nda_contractor = nda;
	return p;
}

/* Report 9 of operator 1 (CEPTOAR 4 when anonymised), ministry 2, NISC 3. */
struct fx {
	struct cs_path_entry	 path[3];
	struct cs_report_acl	 acl;
};

static void
fx_init(struct fx *f, bool anonymised, enum cs_tlp tlp, size_t npath)
{
	memset(f, 0, sizeof(*f));
	core_keys_init(master);
	if (anonymised) {
		f->path[0] = (struct cs_path_entry){ .org_id = 4,
		    .org_type = ORG_CEPTOAR_SEC };
		f->path[1] = (struct cs_path_entry){ .org_id = 2,
		    .org_type = ORG_CI_MINISTRY };
		f->path[2] = (struct cs_path_entry){ .org_id = 3,
		    .org_type = ORG_NISC };
		f->acl.route = ROUTE_VIA_CEPTOAR;
		f->acl.anonymised = true;
		core_anon_tag(9, 1, f->acl.anon_tag);
	} else {
		f->path[0] = (struct cs_path_entry){ .org_id = 2,
		    .org_type = ORG_CI_MINISTRY };
		f->path[1] = (struct cs_path_entry){ .org_id = 3,
		    .org_type = ORG_NISC };
		f->acl.route = ROUTE_DIRECT;
		f->acl.submitter_org = 1;
	}
	f->acl.id = 9;
	f->acl.tlp = tlp;
	f->acl.sector = SECTOR;
	f->acl.path = f->path;
	f->acl.npath = npath;
}

static void
test_policy(void **state)
{
	struct cs_principal op = who(1, ORG_CI_OPERATOR, ROLE_MEMBER, false);
	struct cs_principal other = who(7, ORG_CI_OPERATOR, ROLE_MEMBER, false);
	struct cs_principal min = who(2, ORG_CI_MINISTRY, ROLE_LIAISON, false);
	struct cs_principal nisc = who(3, ORG_NISC, ROLE_ANALYST, false);
	struct cs_principal nda = who(3, ORG_NISC, ROLE_ANALYST, true);
	struct cs_principal cep = who(4, ORG_CEPTOAR_SEC, ROLE_POC, false);
	struct cs_error e;
	enum cs_hop hop;
	struct fx f;

	(void)state;
	/* direct, at NISC */
	fx_init(&f, false, TLP_AMBER_STRICT, 2);
	assert_int_equal(policy_report_may_attach(&op, &f.acl, &hop, &e), CS_OK);
	assert_int_equal(hop, HOP_SOURCE);
	assert_int_equal(policy_report_may_attach(&min, &f.acl, &hop, &e),
	    CS_EPERM);
	assert_int_equal(policy_report_may_attach(&other, &f.acl, &hop, &e),
	    CS_ENOENT);
	assert_true(policy_report_attachment_visible(&nisc, &f.acl, ST_AT_NISC,
	    HOP_SOURCE, false));
	assert_false(policy_report_attachment_visible(&nisc, &f.acl,
	    ST_AT_MINISTRY, HOP_SOURCE, false));
	assert_true(policy_report_attachment_visible(&min, &f.acl,
	    ST_AT_MINISTRY, HOP_SOURCE, false));
	assert_false(policy_report_attachment_visible(&nda, &f.acl, ST_AT_NISC,
	    HOP_SOURCE, false));
	assert_false(policy_report_attachment_visible(&other, &f.acl,
	    ST_AT_NISC, HOP_SOURCE, false));
	assert_true(policy_sample_may_answer(&op, &f.acl));
	assert_false(policy_sample_may_answer(&nisc, &f.acl));
	assert_true(policy_sample_may_read(&nisc, &f.acl));
	assert_true(policy_sample_may_read(&op, &f.acl));
	assert_true(policy_sample_may_read(&min, &f.acl));
	assert_false(policy_sample_may_answer(&min, &f.acl));
	assert_false(policy_sample_may_read(&other, &f.acl));

	/* anonymised, at NISC */
	fx_init(&f, true, TLP_AMBER, 3);
	assert_int_equal(policy_report_may_attach(&op, &f.acl, &hop, &e), CS_OK);
	assert_int_equal(hop, HOP_SOURCE);
	assert_int_equal(policy_report_may_attach(&cep, &f.acl, &hop, &e), CS_OK);
	assert_int_equal(hop, HOP_CEPTOAR);
	/* the sealed original: the source and the secretariat only */
	assert_true(policy_report_attachment_visible(&cep, &f.acl, ST_AT_NISC,
	    HOP_SOURCE, true));
	assert_true(policy_report_attachment_visible(&op, &f.acl, ST_AT_NISC,
	    HOP_SOURCE, true));
	assert_false(policy_report_attachment_visible(&min, &f.acl, ST_AT_NISC,
	    HOP_SOURCE, true));
	assert_false(policy_report_attachment_visible(&nisc, &f.acl,
	    ST_AT_NISC, HOP_SOURCE, true));
	/* the secretariat's copy: the path */
	assert_true(policy_report_attachment_visible(&min, &f.acl,
	    ST_AT_MINISTRY, HOP_CEPTOAR, false));
	assert_true(policy_report_attachment_visible(&nisc, &f.acl, ST_AT_NISC,
	    HOP_CEPTOAR, false));
	/* the secretariat answers, never the anonymised source */
	assert_true(policy_sample_may_answer(&cep, &f.acl));
	assert_false(policy_sample_may_answer(&op, &f.acl));
	assert_false(policy_sample_may_read(&op, &f.acl));
	assert_true(policy_sample_may_read(&nisc, &f.acl));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_content_type),
		cmocka_unit_test(test_disposition),
		cmocka_unit_test(test_sample_bodies),
		cmocka_unit_test(test_seal_roundtrip),
		cmocka_unit_test(test_policy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
