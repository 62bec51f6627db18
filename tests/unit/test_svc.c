/*
 * test_svc.c: the operations of src/svc called as a worker or an importer
 * would, with no HTTP request — each inside a transaction the test opens
 * and commits, on a fresh SQLite store in a temporary directory.
 *
 * Covered: an anonymised report filed, forwarded by its CEPTOAR
 * secretariat (anonymised) and by the ministry (R-numbered), and what NISC
 * then sees; the legal-duty rule; an alert advisory waiting for a second
 * approver, approved, relayed, acknowledged and reminded; the lockout of a
 * login after five failures in fifteen minutes.
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

#include "svc/svc_adv.h"
#include "svc/svc_dir.h"
#include "svc/svc_login.h"
#include "svc/svc_report.h"

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
	OK(svc_token_create(&c, uid, "cli", &tok, &e));
	assert_non_null(tok);
	free(tok);
	OK(store_token_list(f->st, uid, &t, &n));
	assert_int_equal(n, 1);
	OK(store_commit(f->st));
	begin(f, OPERATOR, &c);
	assert_int_equal(svc_token_create(&c, uid, NULL, &tok, &e), CS_EPERM);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_report_anonymised, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_report_legal_duty, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_login_lockout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_advisory_four_eyes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_directory, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
