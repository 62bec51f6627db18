/*
 * test_svc.c: the operations of src/svc called as a worker or an importer
 * would, with no HTTP request — each inside a transaction the test opens
 * and commits, on a fresh SQLite store in a temporary directory.
 *
 * Covered: an anonymised report filed, forwarded by its CEPTOAR
 * secretariat (anonymised) and by the ministry (R-numbered), and what NISC
 * then sees; the legal-duty rule; an alert advisory waiting for a second
 * approver, approved, relayed, acknowledged and reminded; the identity set
 * of an anonymised source and the preview of its forward; the lockout of a
 * login after five failures in fifteen minutes; existence (an invisible
 * report, widening request, user or organisation fails exactly as a
 * missing one) and the audit log as NISC may read it; a disclosure basis
 * recorded by NISC on an anonymised report, listed for its source, and a
 * share outside the TLP range refused without it and made under it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/obs.h"
#include "core/ident.h"
#include "svc/svc_adv.h"
#include "svc/svc_audit.h"
#include "svc/svc_dir.h"
#include "svc/svc_disclosure.h"
#include "svc/svc_login.h"
#include "svc/svc_report.h"
#include "svc/svc_widening.h"

static const unsigned char master[CS_KEY_BYTES] = {
	0x73, 0x76, 0x63, 0x2d, 0x74, 0x65, 0x73, 0x74, 0x2d, 0x6b, 0x65,
	0x79, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
	0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13
};

#define OK(x) do {							\
	enum cs_err ok_rc = (x);					\
	if (ok_rc != CS_OK)						\
		fail_msg("%s: %s", #x, cs_err_name(ok_rc));		\
} while (0)

/* Someone who acts: a user and its organisation. */
struct actor {
	struct store_org	o;
	struct store_user	u;
};

enum { NISC, MINISTRY, CEPTOAR, OPERATOR, APPROVER, NACTORS };

struct fx {
	char			 dir[64];
	char			*path;
	struct store		*st;
	struct svc_config	 cfg;
	struct actor		 a[NACTORS];
	struct store_org	 sealer;
	int64_t			 now;
};

static void
org_add(struct fx *f, struct actor *a, enum cs_org_type t, uint32_t sectors,
    const char *name, int64_t ceptoar)
{
	memset(&a->o, 0, sizeof(a->o));
	a->o.type = t;
	a->o.sectors = sectors;
	a->o.ceptoar = ceptoar;
	a->o.name = xstrdup(name);
	a->o.created_us = f->now;
	if (t == ORG_CEPTOAR_SEC) {
		core_org_keypair(a->o.pk, &a->o.wrapped_sk);
		a->o.has_pk = true;
	}
	OK(store_org_insert(f->st, &a->o));
}

static void
user_add(struct fx *f, struct actor *a, const char *login, unsigned roles)
{
	memset(&a->u, 0, sizeof(a->u));
	a->u.org = a->o.id;
	a->u.login = xstrdup(login);
	core_login_hash(login, a->u.login_hash);
	a->u.email = xasprintf("%s@example.jp", login);
	a->u.roles = roles;
	a->u.created_us = f->now;
	OK(store_user_insert(f->st, &a->u));
}

static int
setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	uint32_t fin = 1u << core_sector_parse("finance");
	struct cs_error e;

	core_keys_init(master);
	(void)cs_strlcpy(f->dir, "/tmp/cs-test-svc-XXXXXX", sizeof(f->dir));
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	f->path = xasprintf("%s/svc.db", f->dir);
	{
		char *url = xasprintf("sqlite:%s", f->path);

		if (store_open(url, true, &f->st, &e) != CS_OK)
			fail_msg("store_open: %s", e.msg);
		free(url);
	}
	f->now = cs_time_now_us();
	f->cfg.four_eyes_alert = 1;
	f->cfg.reminder_us = 1000000;
	OK(store_begin(f->st));
	org_add(f, &f->a[NISC], ORG_NISC, 0, "NISC", 0);
	user_add(f, &f->a[NISC], "nisc-analyst", ROLE_ANALYST);
	f->a[APPROVER].o = f->a[NISC].o;
	f->a[APPROVER].o.name = xstrdup("NISC");
	f->a[APPROVER].o.wrapped_sk = NULL;
	user_add(f, &f->a[APPROVER], "nisc-approver", ROLE_APPROVER);
	org_add(f, &f->a[MINISTRY], ORG_CI_MINISTRY, fin, "FSA", 0);
	user_add(f, &f->a[MINISTRY], "fsa-liaison", ROLE_LIAISON);
	org_add(f, &f->a[CEPTOAR], ORG_CEPTOAR_SEC, fin, "Bank CEPTOAR", 0);
	user_add(f, &f->a[CEPTOAR], "bank-ceptoar-poc", ROLE_POC);
	org_add(f, &f->a[OPERATOR], ORG_CI_OPERATOR, fin, "Alpha Bank",
	    f->a[CEPTOAR].o.id);
	user_add(f, &f->a[OPERATOR], "alpha-csirt", ROLE_MEMBER);
	OK(store_commit(f->st));
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };

	for (int i = 0; i < NACTORS; i++) {
		store_org_fini(&f->a[i].o);
		store_user_fini(&f->a[i].u);
	}
	store_org_fini(&f->sealer);
	store_close(f->st);
	for (size_t i = 0; i < 4; i++) {
		char *p = xasprintf("%s%s", f->path, sfx[i]);

		(void)unlink(p);
		free(p);
	}
	(void)rmdir(f->dir);
	free(f->path);
	free(f);
	return 0;
}

/* The context of actor `who`, one second later than the last. */
static void
ctx(struct fx *f, int who, struct svc_ctx *c)
{
	f->now += 1000000;
	svc_ctx_system(c, f->st, &f->cfg, f->now);
	svc_principal_fill(&f->a[who].u, &f->a[who].o, &c->who);
	c->user = &f->a[who].u;
	c->org = &f->a[who].o;
	c->sealer = &f->sealer;
}

/* ctx() and a transaction. */
static void
begin(struct fx *f, int who, struct svc_ctx *c)
{
	ctx(f, who, c);
	OK(store_begin(f->st));
}

static json_t *
report_form(void)
{
	return json_pack("{s:s, s:s, s:s, s:{s:s}}", "tlp", "amber",
	    "has_attachment", "no", "sector", "finance", "overview",
	    "event_summary", "Alpha Bank's online banking was down");
}

/* Forward report `id` as actor `who`; returns the state it leaves. */
static enum cs_state
forward(struct fx *f, int who, int64_t id, int64_t *rnum)
{
	struct svc_ctx c;
	struct svc_report x;
	struct svc_report_out out;
	struct cs_error e;

	begin(f, who, &c);
	OK(svc_report_load_visible(&c, id, SVC_LOAD_VERSIONS, &x, &e));
	{ struct svc_forward_in fin = { 0 }; OK(svc_report_forward(&c, &x, &fin, &out, &e)); }
	assert_int_equal(json_array_size(out.versions), 1);
	json_decref(out.versions);
	svc_report_fini(&x);
	OK(store_commit(f->st));
	*rnum = out.r_number;
	return out.state;
}

/*
 * An advisory on anonymised report `rep` (policy.md "No oracle"): held
 * whatever its text, NISC sees no hits, the secretariat does; its approval
 * delivers it.
 */
static void
source_review(struct fx *f, int64_t rep)
{
	struct svc_adv_in in;
	struct svc_adv_out out, o2;
	struct svc_adv_review_in rin = { true, "ok" };
	struct svc_adv x;
	struct svc_ctx c;
	struct cs_error e;
	json_t *hits;

	memset(&in, 0, sizeof(in));
	in.form = json_pack("{s:s, s:s, s:s, s:[{s:s}], s:{s:s, s:s}, s:s}",
	    "tlp", "amber", "has_attachment", "no", "importance", "caution",
	    "recipients", "sector", "finance", "threat_content", "summary",
	    "seen at ＡＬＰＨＡ ｂａｎｋ", "target", "banks", "countermeasures",
	    "patch");
	in.related = &rep;
	in.nrelated = 1;
	begin(f, NISC, &c);
	OK(svc_adv_issue(&c, &in, &out, &e));
	json_decref(in.form);
	OK(store_commit(f->st));
	assert_int_equal(out.state, ADV_PENDING_SOURCE_REVIEW);

	/* NISC: no hits; the ministry: nothing. */
	begin(f, NISC, &c);
	OK(svc_adv_load_visible(&c, out.id, &x, &e));
	OK(svc_adv_review_hits(&c, &x, &hits, &e));
	assert_int_equal(json_array_size(hits), 0);
	json_decref(hits);
	assert_int_equal(svc_adv_source_review(&c, &x, &rin, &o2, &e), CS_EPERM);
	svc_adv_fini(&x);
	store_rollback(f->st);
	begin(f, MINISTRY, &c);
	assert_int_equal(svc_adv_load_visible(&c, out.id, &x, &e), CS_ENOENT);
	store_rollback(f->st);

	/* The secretariat: the full-width name at 8-18. */
	begin(f, CEPTOAR, &c);
	OK(svc_adv_load_visible(&c, out.id, &x, &e));
	OK(svc_adv_review_hits(&c, &x, &hits, &e));
	/* (and the mail domain in nisc_contact: the fixtures share example.jp) */
	assert_int_equal(json_array_size(hits), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    hits, 0), "kind")), "org_name");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    hits, 0), "text")), "ＡＬＰＨＡ ｂａｎｋ");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    hits, 0), "start")), 8);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    hits, 0), "end")), 18);
	json_decref(hits);
	OK(svc_adv_source_review(&c, &x, &rin, &o2, &e));
	assert_int_equal(o2.state, ADV_ISSUED);
	assert_int_equal(svc_adv_source_review(&c, &x, &rin, &o2, &e),
	    CS_ECONFLICT);
	svc_adv_fini(&x);
	OK(store_commit(f->st));
	begin(f, MINISTRY, &c);
	OK(svc_adv_load_visible(&c, out.id, &x, &e));
	assert_non_null(svc_adv_delivery(&x, f->a[MINISTRY].o.id));
	/* Delivered from NISC, not from the secretariat that approved. */
	assert_int_equal(svc_adv_delivery(&x, f->a[MINISTRY].o.id)->parent_org,
	    f->a[NISC].o.id);
	svc_adv_fini(&x);
	store_rollback(f->st);
}

/*
 * POST /reports works out a source form's search text and observables
 * member by member before the store lock (svc_report_prepare); with the
 * members the server stamps taken from the stamped form, they are exactly
 * what the whole stamped form gives (ident_fold_json_value,
 * obs_extract_json): stamped members present or not, a client "reporter"
 * (a contact group: no observables) and a "reporter" deeper down (one).
 */
static void
test_report_prepare(void **state)
{
	static const char *const forms[] = {
		"{\"tlp\": \"amber\", \"overview\": {\"event_summary\":"
		" \"C2 は 100.64.1.2 と evil-c2.example.com、CVE-2024-1234\"}}",
		"{\"identification_number\": \"\", \"reported_at\": null,"
		" \"report_sequence_number\": 1, \"a\": \"hxxp://x[.]example.org/p\","
		" \"reporter\": {\"email\": \"me@corp.example.net\","
		" \"phone\": \"03-1234-5678\"}, \"z\": [\"10.0.0.1\","
		" {\"reporter\": \"who@else.example.com\"}],"
		" \"o\": {\"reporter\": \"third@party.example.org\"}}",
		"{\"reported_at\": \"2026-11-20T09:12:00+09:00\", \"t\":"
		" \"ＡＢＣ 銀行 ｶﾞ 1.2.3.4 d41d8cd98f00b204e9800998ecf8427e\"}",
		"{}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		json_t *client = json_loads(forms[i], 0, NULL), *stamped;
		struct svc_report_prep p;
		struct obs *want = NULL, *got = NULL;
		size_t nwant = 0, ngot = 0;
		char *fwant, *fgot;

		assert_non_null(client);
		svc_report_prepare(client, &p);
		/* as stamp_form: these members set (in place, or appended) */
		stamped = json_deep_copy(client);
		json_object_set_new(stamped, "report_sequence_number",
		    json_integer(1));
		json_object_set_new(stamped, "identification_number",
		    json_string("R7-1"));
		if (json_object_get(stamped, "reported_at") == NULL ||
		    json_is_null(json_object_get(stamped, "reported_at")))
			json_object_set_new(stamped, "reported_at",
			    json_string("2026-12-07T10:00:00+09:00"));
		json_object_set_new(stamped, "reporter", json_pack("{s:s, s:s}",
		    "email", "liaison@ministry.example.jp", "ministry_name",
		    "金融庁 https://www.fsa.example.jp/"));
		fwant = ident_fold_json_value(stamped);
		obs_extract_json(stamped, &want, &nwant);
		svc_report_derive(stamped, &p, &fgot, &got, &ngot);
		assert_string_equal(fgot, fwant);
		assert_int_equal(ngot, nwant);
		for (size_t k = 0; k < nwant; k++) {
			assert_int_equal(got[k].kind, want[k].kind);
			assert_string_equal(got[k].value, want[k].value);
		}
		if (i == 0 || i == 1)
			assert_true(nwant > 0);
		free(fwant);
		free(fgot);
		obs_free(want, nwant);
		obs_free(got, ngot);
		svc_report_prep_fini(&p);
		json_decref(stamped);
		json_decref(client);
	}
}

static void
test_report_anonymised(void **state)
{
	struct fx *f = *state;
	struct svc_report_file_in in;
	struct svc_report_out out;
	struct svc_report x;
	struct svc_ctx c;
	struct cs_error e;
	enum cs_hop hop;
	json_t *form;
	char *text;
	int64_t rnum;

	memset(&in, 0, sizeof(in));
	in.route = ROUTE_VIA_CEPTOAR;
	in.form = report_form();
	begin(f, OPERATOR, &c);
	OK(svc_report_file(&c, &in, &out, &e));
	OK(store_commit(f->st));
	json_decref(in.form);
	assert_int_equal(out.state, ST_AT_CEPTOAR);
	assert_int_equal(out.r_number, 0);

	/* The ministry does not see it before the secretariat forwards it. */
	begin(f, MINISTRY, &c);
	assert_int_equal(svc_report_load_visible(&c, out.id, 0, &x, &e),
	    CS_ENOENT);
	store_rollback(f->st);

	assert_int_equal(forward(f, CEPTOAR, out.id, &rnum), ST_AT_MINISTRY);
	assert_int_equal(rnum, 0);
	assert_int_equal(forward(f, MINISTRY, out.id, &rnum), ST_AT_NISC);
	assert_true(rnum > 0);

	/* NISC reads the ministry's form: the source's name is gone. */
	begin(f, NISC, &c);
	OK(svc_report_load_visible(&c, out.id, SVC_LOAD_VERSIONS, &x, &e));
	assert_int_equal(policy_report_relation(&c.who, &x.acl), REL_NISC);
	assert_false(policy_report_may_see_identity(&c.who, &x.acl));
	form = svc_report_visible_form(&c, &x, 1, &hop);
	assert_non_null(form);
	assert_int_equal(hop, HOP_MINISTRY);
	text = json_dumps(form, JSON_COMPACT);
	assert_null(strstr(text, "Alpha Bank"));
	assert_non_null(strstr(text, "［匿名化］"));
	assert_non_null(strstr(text, "\"identification_number\":\"R"));
	free(text);
	json_decref(form);
	OK(svc_report_read(&c, &x, &e));
	svc_report_fini(&x);
	OK(store_commit(f->st));
	source_review(f, out.id);
}

/*
 * The identity set of an anonymised report's source: the sealed snapshot
 * and every user of the organisation as it is now, each string with its
 * kind; the preview of the secretariat's forward holds none of them, in
 * any spelling, and marks where they were.
 */
static void
test_source_identity(void **state)
{
	struct fx *f = *state;
	struct svc_report_file_in in;
	struct svc_forward_in fin;
	struct svc_report_out out;
	struct svc_identity id;
	struct svc_report x;
	struct store_user u2;
	struct svc_ctx c;
	struct cs_error e;
	json_t *form, *red;
	const char *sum;
	bool phone = false, dept = false;

	/* A second user of the operator, with a phone and a department. */
	begin(f, OPERATOR, &c);
	memset(&u2, 0, sizeof(u2));
	u2.org = f->a[OPERATOR].o.id;
	u2.login = xstrdup("alpha-second");
	core_login_hash(u2.login, u2.login_hash);
	u2.phone = xstrdup("03-1234-5678");
	u2.department = xstrdup("Alpha IT Dept");
	u2.created_us = f->now;
	OK(store_user_insert(f->st, &u2));
	store_user_fini(&u2);
	memset(&in, 0, sizeof(in));
	in.route = ROUTE_VIA_CEPTOAR;
	in.form = report_form();
	json_object_set_new(json_object_get(in.form, "overview"),
	    "event_summary", json_string("ＡＬＰＨＡ　ＢＡＮＫ: call 0312345678"
	    " or alpha it dept"));
	OK(svc_report_file(&c, &in, &out, &e));
	json_decref(in.form);
	OK(store_commit(f->st));

	/* What the server knows of the source. */
	begin(f, CEPTOAR, &c);
	OK(svc_report_load_visible(&c, out.id, SVC_LOAD_VERSIONS, &x, &e));
	OK(svc_report_source_identity(&c, &x, &id, &e));
	assert_non_null(id.set);
	for (size_t i = 0; i < id.n; i++) {
		phone |= strcmp(id.kinds[i], "phone") == 0 &&
		    strcmp(id.needles[i], "03-1234-5678") == 0;
		dept |= strcmp(id.kinds[i], "department") == 0;
		/* Each string once. */
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(id.needles[i], id.needles[j]);
	}
	assert_true(phone && dept);
	svc_identity_fini(&id);

	/* The preview: the very forward, with its output kept for the caller. */
	memset(&fin, 0, sizeof(fin));
	fin.preview = true;
	OK(svc_report_forward(&c, &x, &fin, &out, &e));
	assert_int_equal(json_array_size(out.preview), 1);
	form = json_object_get(json_array_get(out.preview, 0), "form");
	red = json_object_get(json_array_get(out.preview, 0), "redactions");
	sum = json_string_value(json_object_get(json_object_get(form,
	    "overview"), "event_summary"));
	assert_string_equal(sum, "［匿名化］: call ［匿名化］ or ［匿名化］");
	assert_int_equal(json_array_size(red), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(red,
	    1), "field")), "form.overview.event_summary");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(red,
	    1), "start")), 12);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(red,
	    1), "end")), 17);
	/* One member operator; no threshold configured here: no warning. */
	assert_int_equal(out.anonymity_set, 1);
	assert_false(out.small_set);
	json_decref(out.preview);
	json_decref(out.versions);
	svc_report_fini(&x);
	store_rollback(f->st);
}

static void
test_disclosure(void **state)
{
	struct fx *f = *state;
	struct svc_report_file_in in;
	struct svc_report_out out;
	struct svc_report x;
	struct store_disclosure *v = NULL;
	struct store_org cb;
	struct cs_disclosure_in d = { DISC_LAW, "法令に基づく照会", "警察庁" };
	struct svc_ctx c;
	struct cs_error e;
	int64_t rnum, id = 0, to[1];
	size_t n = 0;

	memset(&in, 0, sizeof(in));
	in.route = ROUTE_VIA_CEPTOAR;
	in.form = report_form();
	begin(f, OPERATOR, &c);
	OK(svc_report_file(&c, &in, &out, &e));
	memset(&cb, 0, sizeof(cb));
	cb.type = ORG_CYBER_BUSINESS;
	cb.name = xstrdup("Cyber KK");
	cb.created_us = f->now;
	OK(store_org_insert(f->st, &cb));
	OK(store_commit(f->st));
	json_decref(in.form);
	(void)forward(f, CEPTOAR, out.id, &rnum);
	(void)forward(f, MINISTRY, out.id, &rnum);

	/* The secretariat on the path reads it but does not decide. */
	begin(f, CEPTOAR, &c);
	OK(svc_report_load_visible(&c, out.id, 0, &x, &e));
	assert_int_equal(svc_disclosure_record(&c, &x, &d, &id, &e), CS_EPERM);
	svc_report_fini(&x);
	store_rollback(f->st);

	begin(f, NISC, &c);
	OK(svc_report_load_visible(&c, out.id, 0, &x, &e));
	OK(svc_disclosure_record(&c, &x, &d, &id, &e));
	assert_true(id > 0);
	/* Outside AMBER: refused without the basis, shared under it. */
	to[0] = cb.id;
	assert_int_equal(svc_report_share(&c, &x, to, 1, 0, &e), CS_EPERM);
	assert_string_equal(e.field, "to.0");
	assert_int_equal(svc_report_share(&c, &x, to, 1, id + 1000, &e),
	    CS_EINVAL);
	assert_string_equal(e.field, "disclosure");
	OK(svc_report_share(&c, &x, to, 1, id, &e));
	svc_report_fini(&x);
	OK(store_commit(f->st));

	/* The anonymised source lists it; the deciding org is NISC. */
	begin(f, OPERATOR, &c);
	OK(svc_report_load_visible(&c, out.id, 0, &x, &e));
	OK(svc_disclosure_list(&c, &x, &v, &n, &e));
	assert_int_equal(n, 1);
	assert_int_equal(v[0].basis, DISC_LAW);
	assert_int_equal(v[0].by_org, f->a[NISC].o.id);
	assert_string_equal(v[0].to, "警察庁");
	store_disclosures_free(v, n);
	svc_report_fini(&x);
	store_rollback(f->st);

	/* The target reads it now. */
	begin(f, NISC, &c);
	memset(&c.who, 0, sizeof(c.who));
	c.who.org_id = cb.id;
	c.who.org_type = ORG_CYBER_BUSINESS;
	c.who.roles = ROLE_MEMBER;
	OK(svc_report_load_visible(&c, out.id, 0, &x, &e));
	assert_int_equal(policy_report_relation(&c.who, &x.acl), REL_SHARED);
	svc_report_fini(&x);
	store_rollback(f->st);
	store_org_fini(&cb);
}

static void
test_report_legal_duty(void **state)
{
	struct fx *f = *state;
	struct svc_report_file_in in;
	struct svc_report_out out;
	struct svc_ctx c;
	struct cs_error e;

	memset(&in, 0, sizeof(in));
	in.route = ROUTE_VIA_CEPTOAR;
	in.legal_duty = true;
	in.form = report_form();
	begin(f, OPERATOR, &c);
	assert_int_equal(svc_report_file(&c, &in, &out, &e), CS_EINVAL);
	assert_string_equal(e.field, "route");
	store_rollback(f->st);
	json_decref(in.form);
}

static void
test_advisory_four_eyes(void **state)
{
	struct fx *f = *state;
	struct svc_adv_in in;
	struct svc_adv_out out, no;
	struct svc_adv x;
	struct svc_ctx c;
	struct cs_error e;
	const struct store_delivery *d;
	int64_t to, at;

	memset(&in, 0, sizeof(in));
	in.form = json_pack("{s:s, s:s, s:s, s:[{s:s}], s:{s:s, s:s}, s:s}",
	    "tlp", "green", "has_attachment", "no", "importance", "alert",
	    "recipients", "sector", "finance", "threat_content", "summary",
	    "svc test", "target", "banks", "countermeasures", "patch");
	begin(f, NISC, &c);
	OK(svc_adv_issue(&c, &in, &out, &e));
	json_decref(in.form);
	OK(store_commit(f->st));
	assert_int_equal(out.state, ADV_PENDING_APPROVAL);
	assert_false(c.events);

	/* The drafter does not approve its own alert. */
	begin(f, NISC, &c);
	OK(svc_adv_load_visible(&c, out.id, &x, &e));
	assert_int_equal(svc_adv_approve(&c, &x, &no, &e), CS_EPERM);
	svc_adv_fini(&x);
	store_rollback(f->st);

	begin(f, APPROVER, &c);
	OK(svc_adv_load_visible(&c, out.id, &x, &e));
	OK(svc_adv_approve(&c, &x, &out, &e));
	svc_adv_fini(&x);
	OK(store_commit(f->st));
	assert_int_equal(out.state, ADV_ISSUED);
	assert_true(c.events);

	/* The ministry holds it, relays it to the secretariat. */
	to = f->a[CEPTOAR].o.id;
	begin(f, MINISTRY, &c);
	OK(svc_adv_load_visible(&c, out.id, &x, &e));
	OK(svc_adv_relay(&c, &x, &to, 1, &e));
	svc_adv_fini(&x);
	OK(store_commit(f->st));

	begin(f, CEPTOAR, &c);
	OK(svc_adv_load_visible(&c, out.id, &x, &e));
	OK(svc_adv_ack(&c, &x, &at, &e));
	assert_int_equal(at, c.now_us);
	svc_adv_fini(&x);
	OK(store_commit(f->st));

	/* The worker reminds the ministry, which has not acknowledged. */
	svc_ctx_system(&c, f->st, &f->cfg, f->now + 2000000);
	OK(store_begin(f->st));
	OK(svc_adv_load(&c, out.id, &x, &e));
	d = svc_adv_delivery(&x, f->a[MINISTRY].o.id);
	assert_non_null(d);
	assert_int_equal(d->ack_us, 0);
	OK(svc_adv_remind(&c, d));
	assert_true(c.events);
	svc_adv_fini(&x);
	OK(store_commit(f->st));
}

/* Five failures lock a login (right or wrong password alike) for 15 minutes. */
static void
test_login_lockout(void **state)
{
	struct fx *f = *state;
	unsigned char h[32], other[32];
	struct svc_ctx c;
	struct cs_error e;
	int64_t retry, locked_at;

	core_login_hash("alpha-csirt", h);
	core_login_hash("nobody-such", other);
	for (int i = 0; i < SVC_LOGIN_MAX_FAILS; i++) {
		begin(f, NISC, &c);
		OK(svc_login_admit(&c, h, &retry, &e));
		assert_int_equal(retry, 0);
		OK(svc_login_failed(&c, h, f->a[OPERATOR].u.id, &e));
		OK(store_commit(f->st));
	}
	locked_at = f->now;
	begin(f, NISC, &c);
	assert_int_equal(svc_login_admit(&c, h, &retry, &e), CS_ELIMIT);
	assert_string_equal(e.field, "login");
	/* one second after the fifth failure: 899 s left */
	assert_int_equal(retry, SVC_LOGIN_WINDOW_US / 1000000 - 1);
	/* another login is not affected */
	OK(svc_login_admit(&c, other, &retry, &e));
	store_rollback(f->st);
	/* just before the window ends: still locked; after it: admitted */
	f->now = locked_at + SVC_LOGIN_WINDOW_US - 2000000;
	begin(f, NISC, &c);
	assert_int_equal(svc_login_admit(&c, h, &retry, &e), CS_ELIMIT);
	assert_int_equal(retry, 1);
	store_rollback(f->st);
	f->now = locked_at + SVC_LOGIN_WINDOW_US;
	begin(f, NISC, &c);
	OK(svc_login_admit(&c, h, &retry, &e));
	store_rollback(f->st);
}

/*
 * The directory without HTTP: an admin creates a CEPTOAR secretariat (its
 * key pair) and an operator under it, a user with a password; the password
 * names the user; a token is minted, refused to a stranger, and revoked.
 */
static void
test_directory(void **state)
{
	struct fx *f = *state;
	uint32_t fin = 1u << core_sector_parse("finance");
	struct svc_org_in oin;
	struct svc_user_in uin;
	struct store_org o;
	struct store_token *t;
	struct svc_ctx c;
	struct cs_error e;
	int64_t cep, op, uid, user, retry = 0;
	char *tok = NULL;
	size_t n;

	begin(f, NISC, &c);
	c.who.roles |= ROLE_ADMIN;
	memset(&oin, 0, sizeof(oin));
	oin.name = "Shinkin CEPTOAR";
	oin.type = ORG_CEPTOAR_SEC;
	assert_int_equal(svc_org_create(&c, &oin, &cep, &e), CS_EINVAL);
	assert_string_equal(e.field, "sectors");
	oin.sectors = fin;
	OK(svc_org_create(&c, &oin, &cep, &e));
	OK(store_org_get(f->st, cep, &o));
	assert_true(o.has_pk);
	assert_non_null(o.wrapped_sk);
	store_org_fini(&o);
	memset(&oin, 0, sizeof(oin));
	oin.name = "Beta Shinkin";
	oin.type = ORG_CI_OPERATOR;
	oin.sectors = fin;
	oin.ceptoar = f->a[NISC].o.id;
	assert_int_equal(svc_org_create(&c, &oin, &op, &e), CS_EINVAL);
	assert_string_equal(e.field, "ceptoar");
	oin.ceptoar = cep;
	oin.pre_arranged = true;
	assert_int_equal(svc_org_create(&c, &oin, &op, &e), CS_EINVAL);
	assert_string_equal(e.field, "pre_arranged");
	oin.pre_arranged = false;
	oin.identifiers = json_pack("[s]", "Beta Shinkin Bank");
	OK(svc_org_create(&c, &oin, &op, &e));
	json_decref(oin.identifiers);
	OK(store_org_get(f->st, op, &o));
	assert_int_equal(o.ceptoar, cep);
	assert_string_equal(o.identifiers, "[\"Beta Shinkin Bank\"]");
	store_org_fini(&o);

	memset(&uin, 0, sizeof(uin));
	uin.org = op;
	uin.login = "beta-csirt";
	uin.password = "short";
	uin.roles = ROLE_MEMBER | ROLE_ORG_ADMIN;
	assert_int_equal(svc_user_create(&c, &uin, &uid, &e), CS_EINVAL);
	assert_string_equal(e.field, "password");
	/* ASVS 2.1: 12 characters (not bytes), never the login inside */
	uin.password = "elevenchars";
	assert_int_equal(svc_user_create(&c, &uin, &uid, &e), CS_EINVAL);
	uin.password = "パスワードは十一文字だよ";	/* 12 characters, 36 bytes */
	OK(svc_user_password_rule(&f->cfg, uin.login, uin.password, &e));
	uin.password = "my BETA-CSIRT password";
	assert_int_equal(svc_user_create(&c, &uin, &uid, &e), CS_EINVAL);
	assert_string_equal(e.field, "password");
	uin.password = "correct horse battery";
	OK(svc_user_create(&c, &uin, &uid, &e));
	assert_int_equal(svc_user_create(&c, &uin, &user, &e), CS_ECONFLICT);
	OK(store_commit(f->st));

	/* an operator's member adds no one elsewhere, and grants no admin */
	begin(f, OPERATOR, &c);
	assert_int_equal(svc_user_create(&c, &uin, &user, &e), CS_EPERM);
	assert_string_equal(e.field, "org");
	assert_int_equal(svc_user_roles_check(&c, ROLE_ADMIN, &e), CS_EPERM);
	store_rollback(f->st);

	/* the password names the user; a wrong one is refused (and kept) */
	begin(f, NISC, &c);
	svc_ctx_system(&c, f->st, &f->cfg, f->now);
	OK(svc_password_check(&c, "beta-csirt", "correct horse battery",
	    &user, &retry, &e));
	assert_int_equal(user, uid);
	assert_int_equal(svc_password_check(&c, "beta-csirt", "wrong horse",
	    &user, &retry, &e), CS_EAUTH);
	assert_string_equal(e.field, "password");
	assert_int_equal(user, 0);
	OK(store_commit(f->st));

	/* a token minted for the user; a stranger cannot see it to revoke it */
	begin(f, NISC, &c);
	c.who.roles |= ROLE_ADMIN;
	OK(svc_token_create(&c, uid, "cli", 0, TOKEN_SCOPE_WRITE, &tok, &e));
	assert_non_null(tok);
	free(tok);
	OK(store_token_list(f->st, uid, &t, &n));
	assert_int_equal(n, 1);
	OK(store_commit(f->st));
	begin(f, OPERATOR, &c);
	/* issue 10: a user the caller may not see is absent, not refused */
	assert_int_equal(svc_token_create(&c, uid, NULL, 0, TOKEN_SCOPE_READ,
	    &tok, &e), CS_ENOENT);
	assert_int_equal(svc_token_revoke(&c, t[0].id, &e), CS_ENOENT);
	store_rollback(f->st);
	begin(f, NISC, &c);
	c.who.roles |= ROLE_ADMIN;
	OK(svc_token_revoke(&c, t[0].id, &e));
	assert_int_equal(svc_token_revoke(&c, t[0].id, &e), CS_ENOENT);
	OK(store_commit(f->st));
	store_tokens_free(t, n);
	OK(store_token_list(f->st, uid, &t, &n));
	assert_int_equal(n, 0);
	store_tokens_free(t, n);
}

/* rc and e of a load are those of the missing id's load. */
static void
same_error(enum cs_err rc, const struct cs_error *e, enum cs_err mrc,
    const struct cs_error *me)
{
	assert_int_equal(rc, CS_ENOENT);
	assert_int_equal(mrc, CS_ENOENT);
	assert_string_equal(e->field, me->field);
	assert_string_equal(e->msg, me->msg);
}

/* Is an entry about `item` in the log as the context's principal reads it? */
static bool
audit_shows(struct svc_ctx *c, const char *action, const char *item,
    int limit)
{
	struct store_audit *v;
	size_t n;
	int64_t after = 0;
	bool more = true, found = false;

	while (more) {
		OK(svc_audit_list(c, after, 0, limit, &v, &n, &after, &more,
		    &(struct cs_error){ 0 }));
		for (size_t i = 0; i < n; i++)
			if (v[i].item != NULL && strcmp(v[i].item, item) == 0 &&
			    strcmp(v[i].action, action) == 0)
				found = true;
		store_audits_free(v, n);
	}
	return found;
}

static void
test_existence(void **state)
{
	struct fx *f = *state;
	struct svc_report_file_in in;
	struct svc_report_out out;
	struct svc_report x;
	struct svc_widening w;
	struct store_widening req;
	struct store_org o;
	struct store_user u;
	struct actor plat;
	struct svc_ctx c;
	struct cs_error e, me;
	enum cs_err rc, mrc;
	char item[48];
	int64_t rnum;

	memset(&in, 0, sizeof(in));
	in.route = ROUTE_DIRECT;
	in.form = report_form();
	begin(f, OPERATOR, &c);
	OK(svc_report_file(&c, &in, &out, &e));
	OK(store_commit(f->st));
	json_decref(in.form);
	cs_fmt(item, sizeof(item), "report:%lld", (long long)out.id);

	/* NISC: a direct report still at the ministry is a missing report */
	begin(f, NISC, &c);
	rc = svc_report_load_visible(&c, out.id, 0, &x, &e);
	mrc = svc_report_load_visible(&c, 999999, 0, &x, &me);
	same_error(rc, &e, mrc, &me);
	assert_false(audit_shows(&c, "report.create", item, 500));
	c.who.roles |= ROLE_ADMIN;
	assert_true(audit_shows(&c, "report.create", item, 500));
	store_rollback(f->st);

	/* at NISC: the entry shows, on a page of one as on a page of 500 */
	assert_int_equal(forward(f, MINISTRY, out.id, &rnum), ST_AT_NISC);
	begin(f, NISC, &c);
	assert_true(audit_shows(&c, "report.create", item, 1));
	assert_true(audit_shows(&c, "report.forward", item, 500));
	OK(svc_report_load_visible(&c, out.id, 0, &x, &e));
	memset(&req, 0, sizeof(req));
	req.tlp = TLP_AMBER;
	req.sectors = 1u << core_sector_parse("electricity");
	OK(svc_widening_request(&c, &x, &req, &e));
	svc_report_fini(&x);
	OK(store_commit(f->st));

	/* the ministry reads the report, not the request: absent */
	begin(f, MINISTRY, &c);
	rc = svc_widening_load_visible(&c, req.id, &w, &e);
	mrc = svc_widening_load_visible(&c, 999999, &w, &me);
	same_error(rc, &e, mrc, &me);
	rc = svc_widening_load(&c, req.id, &w, &e);
	same_error(rc, &e, mrc, &me);
	assert_false(audit_shows(&c, "widening.request", item, 500));
	store_rollback(f->st);
	/* NISC sees its request but does not answer it; the source does */
	begin(f, NISC, &c);
	assert_int_equal(svc_widening_load(&c, req.id, &w, &e), CS_EPERM);
	assert_true(audit_shows(&c, "widening.request", item, 500));
	store_rollback(f->st);
	begin(f, OPERATOR, &c);
	OK(svc_widening_load(&c, req.id, &w, &e));
	svc_widening_fini(&w);
	store_rollback(f->st);

	/* users: another organisation's user is a missing user */
	begin(f, OPERATOR, &c);
	rc = svc_user_load(&c, f->a[NISC].u.id, &u, &e);
	mrc = svc_user_load(&c, 999999, &u, &me);
	same_error(rc, &e, mrc, &me);
	OK(svc_user_load(&c, f->a[OPERATOR].u.id, &u, &e));
	store_user_fini(&u);
	/* the platform's organisation is absent to all but admins */
	org_add(f, &plat, ORG_PLATFORM, 0, "platform", 0);
	rc = svc_org_load(&c, plat.o.id, &o, &e);
	mrc = svc_org_load(&c, 999999, &o, &me);
	same_error(rc, &e, mrc, &me);
	OK(svc_org_load(&c, f->a[NISC].o.id, &o, &e));
	store_org_fini(&o);
	c.who.roles |= ROLE_ADMIN;
	OK(svc_org_load(&c, plat.o.id, &o, &e));
	store_org_fini(&o);
	store_org_fini(&plat.o);
	store_rollback(f->st);

	/* entries about no item: only the reader's own organisation's */
	begin(f, OPERATOR, &c);
	OK(svc_audit(&c, "session.create", NULL, NULL, false));
	OK(store_commit(f->st));
	begin(f, NISC, &c);
	OK(svc_audit(&c, "session.create", NULL, NULL, false));
	/* (an entry is chained and written when its group commits) */
	OK(store_commit(f->st));
	begin(f, NISC, &c);
	{
		struct svc_audit_view v;
		struct store_audit *a;
		size_t n;
		int64_t last;
		bool more;
		int own = 0;

		OK(svc_audit_list(&c, 0, 0, 500, &a, &n, &last, &more, &e));
		assert_false(more);
		for (size_t i = 0; i < n; i++) {
			if (a[i].item == NULL)
				assert_int_equal(a[i].org, f->a[NISC].o.id);
			own += a[i].item == NULL;
		}
		assert_int_equal(own, 1);
		svc_audit_view_init(&v, &c);
		c.who.org_id = f->a[OPERATOR].o.id;
		assert_false(svc_audit_visible(&v, &a[n - 1]));
		svc_audit_view_fini(&v);
		store_audits_free(a, n);
	}
	OK(store_commit(f->st));

	/* a long run of entries NISC may not read: short pages, a cursor on */
	begin(f, NISC, &c);
	{
		struct store_audit *a;
		size_t n;
		int64_t start, last;
		bool more;

		OK(svc_audit_list(&c, 0, 0, 500, &a, &n, &start, &more, &e));
		store_audits_free(a, n);
		store_rollback(f->st);
		begin(f, OPERATOR, &c);
		for (int i = 0; i < SVC_AUDIT_SCAN + 5; i++)
			OK(svc_audit(&c, "session.create", NULL, NULL, false));
		OK(store_commit(f->st));
		begin(f, NISC, &c);
		OK(svc_audit(&c, "session.create", NULL, NULL, false));
		OK(store_commit(f->st));
		begin(f, NISC, &c);
		OK(svc_audit_list(&c, start, 0, 10, &a, &n, &last, &more, &e));
		assert_int_equal(n, 0);
		assert_true(more);
		assert_true(last > start);
		store_audits_free(a, n);
		OK(svc_audit_list(&c, last, 0, 10, &a, &n, &last, &more, &e));
		assert_int_equal(n, 1);
		assert_false(more);
		assert_string_equal(a[0].action, "session.create");
		assert_int_equal(a[0].org, f->a[NISC].o.id);
		store_audits_free(a, n);
		OK(store_commit(f->st));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_prepare),
		cmocka_unit_test_setup_teardown(test_report_anonymised, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_source_identity, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_disclosure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_legal_duty, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_login_lockout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_advisory_four_eyes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_existence, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
