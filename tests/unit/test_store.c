/*
 * test_store.c: the store's contract, written against store.h alone so the
 * same suite runs on every backend.  The store is named by the environment:
 *	CS_TEST_STORE_URL=sqlite:/path/x.db   or   a postgresql URI
 * (for PostgreSQL, tests/pg/start.sh DIR prints a throwaway one).
 * Without it each test gets a fresh SQLite file in its own temporary
 * directory, removed afterwards.  With it every test opens that URL; the
 * tests then tolerate rows left by earlier tests (unique names, checks
 * limited to the rows a test created), so a disposable database will do.
 *
 * Covered here: meta and reference data, counters, the directory (orgs,
 * users, tokens), reports with their path, shares and extra recipients,
 * immutable versions, the candidate filter behind report lists.
 * test_store_tx.c covers the rest of the contract (store_fx.h).

 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/ident.h"
#include "store/store.h"
#include "store_fx.h"


/* ---- meta, reference data, counters ------------------------------------- */

static void
test_meta_refdata(void **state)
{
	struct fx *f = *state;
	char *k = uniq("meta"), *r = uniq("ref"), *v = NULL, *big;
	size_t bigsz = 200 * 1024;

	OK(store_begin(f->st));
	EXPECT(CS_ENOENT, store_meta_get(f->st, k, &v));
	EXPECT(CS_ENOENT, store_ref_get(f->st, r, &v));
	OK(store_meta_set(f->st, k, "一"));
	OK(store_meta_get(f->st, k, &v));
	assert_string_equal(v, "一");
	free(v);
	OK(store_meta_set(f->st, k, ""));
	OK(store_meta_get(f->st, k, &v));
	assert_string_equal(v, "");
	free(v);
	OK(store_meta_set(f->st, k, "二番目の値"));
	OK(store_commit(f->st));

	/* Reference data: its own namespace, large JSON texts. */
	big = xmalloc(bigsz + 1);
	memset(big, ' ', bigsz);
	memcpy(big, "{\"sectors\": [\"ict\", \"電力\"]", 28);
	big[bigsz - 1] = '}';
	big[bigsz] = '\0';
	OK(store_begin(f->st));
	OK(store_ref_put(f->st, r, "{\"v\": 1}"));
	OK(store_ref_get(f->st, r, &v));
	assert_string_equal(v, "{\"v\": 1}");
	free(v);
	OK(store_ref_put(f->st, r, big));
	EXPECT(CS_ENOENT, store_ref_get(f->st, k, &v));
	EXPECT(CS_ENOENT, store_meta_get(f->st, r, &v));
	OK(store_commit(f->st));

	reopen(f);
	OK(store_begin(f->st));
	OK(store_meta_get(f->st, k, &v));
	assert_string_equal(v, "二番目の値");
	free(v);
	OK(store_ref_get(f->st, r, &v));
	assert_string_equal(v, big);
	free(v);
	OK(store_commit(f->st));
	free(big);
	free(k);
	free(r);
}

static void
test_counters(void **state)
{
	struct fx *f = *state;
	char *a = uniq("R"), *b = uniq("token");
	int64_t v;

	OK(store_begin(f->st));
	for (int64_t i = 1; i <= 3; i++) {
		OK(store_counter_next(f->st, a, &v));
		assert_int_equal(v, i);
	}
	OK(store_counter_next(f->st, b, &v));
	assert_int_equal(v, 1);
	OK(store_commit(f->st));

	/* A rolled-back number is handed out again. */
	OK(store_begin(f->st));
	OK(store_counter_next(f->st, a, &v));
	assert_int_equal(v, 4);
	OK(store_counter_next(f->st, a, &v));
	assert_int_equal(v, 5);
	store_rollback(f->st);
	OK(store_begin(f->st));
	OK(store_counter_next(f->st, a, &v));
	assert_int_equal(v, 4);
	OK(store_commit(f->st));

	/* And the sequence survives reopening. */
	reopen(f);
	OK(store_begin(f->st));
	OK(store_counter_next(f->st, a, &v));
	assert_int_equal(v, 5);
	OK(store_counter_next(f->st, b, &v));
	assert_int_equal(v, 2);
	OK(store_commit(f->st));
	free(a);
	free(b);
}

/* ---- directory --------------------------------------------------------- */

static void
check_org(const struct store_org *got, const struct store_org *want)
{
	assert_int_equal(got->id, want->id);
	assert_int_equal(got->type, want->type);
	assert_int_equal(got->sectors, want->sectors);
	assert_int_equal(got->ceptoar, want->ceptoar);
	assert_int_equal(got->pre_arranged, want->pre_arranged);
	assert_non_null(got->name);
	assert_string_equal(got->name, want->name ? want->name : "");
	assert_int_equal(got->has_pk, want->has_pk);
	if (want->has_pk)
		assert_memory_equal(got->pk, want->pk, 32);
	assert_true(str_eq_or_null(got->wrapped_sk, want->wrapped_sk));
	assert_int_equal(got->created_us, want->created_us);
}

/* Index of id in v[0..n), or -1. */
static long
org_index(const struct store_org *v, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].id == id)
			return (long)i;
	return -1;
}

static void
test_orgs(void **state)
{
	struct fx *f = *state;
	struct store_org o[6], got, *v = NULL;
	size_t n = 0, k;
	char *sealed, *plain;
	int64_t first, last;

	memset(o, 0, sizeof(o));
	o[0].type = ORG_PLATFORM;
	o[0].name = (char *)"プラットフォーム運営";
	o[1].type = ORG_NISC;
	o[1].name = (char *)"内閣サイバーセキュリティセンター";
	o[2].type = ORG_CEPTOAR_SEC;
	o[2].sectors = 1u << 5;
	o[2].name = (char *)"電力CEPTOAR事務局";
	core_org_keypair(o[2].pk, &o[2].wrapped_sk);
	o[2].has_pk = true;
	o[3].type = ORG_CI_OPERATOR;
	o[3].sectors = 1u << 5 | 1u << 6;	/* electricity, gas */
	o[3].name = (char *)"東京電力パワーグリッド株式会社";
	o[4].type = ORG_CS_AGENCY;
	o[4].pre_arranged = true;
	o[4].name = (char *)"Cyber Agency 🛡 \"quoted\" 'name'";
	o[5].type = ORG_CI_OPERATOR;
	o[5].sectors = 1u << 1;		/* finance */
	o[5].name = (char *)"";
	for (int i = 0; i < 6; i++)
		o[i].created_us = 1700000000000000 + i;

	OK(store_begin(f->st));
	for (int i = 0; i < 6; i++) {
		if (i == 3)
			o[3].ceptoar = o[2].id;
		OK(store_org_insert(f->st, &o[i]));
		assert_true(o[i].id > 0);
		if (i > 0)
			assert_true(o[i].id > o[i - 1].id);
	}
	OK(store_commit(f->st));
	first = o[0].id;
	last = o[5].id;

	reopen(f);
	OK(store_begin(f->st));
	for (int i = 0; i < 6; i++) {
		memset(&got, 0xa5, sizeof(got));
		OK(store_org_get(f->st, o[i].id, &got));
		check_org(&got, &o[i]);
		store_org_fini(&got);
	}
	assert_int_equal(o[0].type, ORG_PLATFORM);
	EXPECT(CS_ENOENT, store_org_get(f->st, last + 1000, &got));

	/* The stored wrapped key still opens what is sealed to its pk. */
	OK(store_org_get(f->st, o[2].id, &got));
	sealed = core_seal_to(got.pk, "封緘テスト");
	plain = core_open_sealed(got.pk, got.wrapped_sk, sealed);
	assert_non_null(plain);
	assert_string_equal(plain, "封緘テスト");
	free(plain);
	free(sealed);
	store_org_fini(&got);

	/* List: ascending ids, names opened, paging by `after`. */
	OK(store_org_list(f->st, first - 1, 1000, &v, &n));
	k = 0;
	for (size_t i = 0; i < n && v[i].id <= last; i++) {
		if (i > 0)
			assert_true(v[i].id > v[i - 1].id);
		assert_int_equal(v[i].id, o[k].id);
		check_org(&v[i], &o[k]);
		k++;
	}
	assert_int_equal(k, 6);
	store_orgs_free(v, n);
	OK(store_org_list(f->st, first - 1, 2, &v, &n));
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, o[0].id);
	assert_int_equal(v[1].id, o[1].id);
	store_orgs_free(v, n);
	OK(store_org_list(f->st, o[1].id, 2, &v, &n));
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, o[2].id);
	assert_int_equal(v[1].id, o[3].id);
	store_orgs_free(v, n);

	/* Find: by type, sectors intersecting the mask (0 = any). */
	OK(store_org_find(f->st, ORG_CI_OPERATOR, 1u << 6, &v, &n));
	assert_true(org_index(v, n, o[3].id) >= 0);
	assert_true(org_index(v, n, o[5].id) < 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(v[i].type, ORG_CI_OPERATOR);
		assert_true(v[i].sectors & (1u << 6));
	}
	assert_string_equal(v[org_index(v, n, o[3].id)].name, o[3].name);
	store_orgs_free(v, n);
	OK(store_org_find(f->st, ORG_CI_OPERATOR, 1u << 1 | 1u << 9, &v, &n));
	assert_true(org_index(v, n, o[5].id) >= 0);
	assert_true(org_index(v, n, o[3].id) < 0);
	store_orgs_free(v, n);
	OK(store_org_find(f->st, ORG_CI_OPERATOR, 0, &v, &n));
	assert_true(org_index(v, n, o[3].id) >= 0);
	assert_true(org_index(v, n, o[5].id) >= 0);
	store_orgs_free(v, n);
	OK(store_org_find(f->st, ORG_CI_OPERATOR, 1u << 14, &v, &n));
	assert_true(org_index(v, n, o[3].id) < 0);
	assert_true(org_index(v, n, o[5].id) < 0);
	store_orgs_free(v, n);
	OK(store_org_find(f->st, ORG_PLATFORM, 0, &v, &n));
	assert_true(org_index(v, n, o[0].id) >= 0);
	assert_true(org_index(v, n, o[1].id) < 0);
	assert_string_equal(v[org_index(v, n, o[0].id)].name, o[0].name);
	store_orgs_free(v, n);
	OK(store_org_find(f->st, ORG_CEPTOAR_SEC, 1u << 5, &v, &n));
	assert_true(org_index(v, n, o[2].id) >= 0);
	assert_true(v[org_index(v, n, o[2].id)].has_pk);
	store_orgs_free(v, n);
	OK(store_commit(f->st));
	free(o[2].wrapped_sk);
}

static void
check_user(const struct store_user *got, const struct store_user *want)
{
	assert_int_equal(got->id, want->id);
	assert_int_equal(got->org, want->org);
	assert_string_equal(got->login, want->login);
	assert_memory_equal(got->login_hash, want->login_hash, 32);
	assert_true(str_eq_or_null(got->display_name, want->display_name));
	assert_true(str_eq_or_null(got->email, want->email));
	assert_true(str_eq_or_null(got->phone, want->phone));
	assert_true(str_eq_or_null(got->department, want->department));
	assert_int_equal(got->roles, want->roles);
	assert_int_equal(got->nda_contractor, want->nda_contractor);
	assert_true(str_eq_or_null(got->pw_hash, want->pw_hash));
	assert_int_equal(got->created_us, want->created_us);
}

static void
test_users(void **state)
{
	struct fx *f = *state;
	struct store_user u[2], dup, got, *v = NULL;
	char *login0 = uniq("yamada.taro"), *login1 = uniq("contractor-01");
	char *upper = xstrdup(login0);
	unsigned char h[32];
	size_t n = 0;
	int64_t org;

	memset(u, 0, sizeof(u));
	OK(store_begin(f->st));
	org = add_org(f->st, ORG_CI_OPERATOR, 1u << 5, "ユーザ試験電力");
	u[0].org = org;
	u[0].login = login0;
	core_login_hash(u[0].login, u[0].login_hash);
	u[0].display_name = (char *)"山田 太郎";
	u[0].email = (char *)"yamada@denryoku.example.jp";
	u[0].phone = (char *)"03-1234-5678";
	u[0].department = (char *)"情報システム部 セキュリティ課";
	u[0].roles = ROLE_MEMBER | ROLE_POC | ROLE_ORG_ADMIN;
	u[0].pw_hash = (char *)"$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$"
	    "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA";
	u[0].created_us = 1700000000000001;
	u[1].org = org;
	u[1].login = login1;
	core_login_hash(u[1].login, u[1].login_hash);
	u[1].roles = ROLE_MEMBER;
	u[1].nda_contractor = true;
	u[1].created_us = 1700000000000002;
	OK(store_user_insert(f->st, &u[0]));
	OK(store_user_insert(f->st, &u[1]));
	assert_true(u[0].id > 0 && u[1].id > u[0].id);
	OK(store_commit(f->st));

	reopen(f);
	OK(store_begin(f->st));
	for (int i = 0; i < 2; i++) {
		OK(store_user_get(f->st, u[i].id, &got));
		check_user(&got, &u[i]);
		store_user_fini(&got);
		/* By the keyed hash of the login, as at sign-in. */
		core_login_hash(u[i].login, h);
		OK(store_user_by_login(f->st, h, &got));
		check_user(&got, &u[i]);
		store_user_fini(&got);
	}
	upper[0] = 'Y';			/* logins are exact */
	core_login_hash(upper, h);
	EXPECT(CS_ENOENT, store_user_by_login(f->st, h, &got));
	EXPECT(CS_ENOENT, store_user_get(f->st, u[1].id + 1000, &got));
	OK(store_user_list(f->st, org, 0, 100, &v, &n));
	assert_int_equal(n, 2);
	check_user(&v[0], &u[0]);
	check_user(&v[1], &u[1]);
	store_users_free(v, n);
	OK(store_user_list(f->st, org, u[0].id, 100, &v, &n));
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, u[1].id);
	store_users_free(v, n);
	OK(store_user_list(f->st, org, 0, 1, &v, &n));
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, u[0].id);
	store_users_free(v, n);
	OK(store_commit(f->st));

	/* A login is unique: the same login hash again is a conflict. */
	dup = u[1];
	dup.id = 0;
	dup.login = login0;
	core_login_hash(dup.login, dup.login_hash);
	dup.display_name = (char *)"なりすまし";
	OK(store_begin(f->st));
	EXPECT(CS_ECONFLICT, store_user_insert(f->st, &dup));
	store_rollback(f->st);
	OK(store_begin(f->st));
	core_login_hash(login0, h);
	OK(store_user_by_login(f->st, h, &got));
	check_user(&got, &u[0]);
	store_user_fini(&got);
	OK(store_user_list(f->st, org, 0, 100, &v, &n));
	assert_int_equal(n, 2);
	store_users_free(v, n);
	OK(store_commit(f->st));
	free(login0);
	free(login1);
	free(upper);
}

static void
test_tokens(void **state)
{
	struct fx *f = *state;
	struct store_token t, t2, got;
	unsigned char h[32];
	int64_t user, id;
	char *tok;

	memset(&t, 0, sizeof(t));
	memset(&t2, 0, sizeof(t2));
	OK(store_begin(f->st));
	user = add_user(f->st, add_org(f->st, ORG_NISC, 0, "NISC"),
	    "token-owner");
	/* Ids come from the "token" counter, as in src/api. */
	OK(store_counter_next(f->st, "token", &t.id));
	OK(store_counter_next(f->st, "token", &t2.id));
	tok = core_token_new(t.id, t.hash);
	t.user = user;
	t.label = (char *)"CI パイプライン";
	t.created_us = 1700000000000000;
	OK(store_token_insert(f->st, &t));
	free(core_token_new(t2.id, t2.hash));
	t2.user = user;
	t2.created_us = 1700000000000001;
	OK(store_token_insert(f->st, &t2));
	OK(store_commit(f->st));

	reopen(f);
	OK(store_begin(f->st));
	assert_int_equal(core_token_parse(tok, &id, h), 0);
	OK(store_token_get(f->st, id, &got));
	assert_int_equal(got.id, t.id);
	assert_int_equal(got.user, user);
	assert_true(core_hash_eq(got.hash, h));
	assert_string_equal(got.label, "CI パイプライン");
	assert_int_equal(got.created_us, t.created_us);
	store_token_fini(&got);
	OK(store_token_get(f->st, t2.id, &got));
	assert_null(got.label);
	assert_memory_equal(got.hash, t2.hash, 32);
	assert_false(core_hash_eq(got.hash, h));
	store_token_fini(&got);
	EXPECT(CS_ENOENT, store_token_get(f->st, t2.id + 1, &got));
	/* The bearer check: token, user and organisation at once. */
	{
		struct store_user u;
		struct store_org o;

		OK(store_token_principal(f->st, id, &got, &u, &o));
		assert_int_equal(got.id, t.id);
		assert_true(core_hash_eq(got.hash, h));
		assert_string_equal(got.label, "CI パイプライン");
		assert_int_equal(u.id, user);
		assert_int_equal(strncmp(u.login, "token-owner", 11), 0);
		assert_int_equal(o.id, u.org);
		assert_int_equal(o.type, ORG_NISC);
		assert_string_equal(o.name, "NISC");
		store_token_fini(&got);
		store_user_fini(&u);
		store_org_fini(&o);
		EXPECT(CS_ENOENT, store_token_principal(f->st, t2.id + 1, &got,
		    &u, &o));
	}
	OK(store_commit(f->st));

	/* Token ids are unique. */
	OK(store_begin(f->st));
	EXPECT(CS_ECONFLICT, store_token_insert(f->st, &t2));
	store_rollback(f->st);
	free(tok);
}

/* ---- reports ----------------------------------------------------------- */

static void
test_reports(void **state)
{
	struct fx *f = *state;
	struct store_report r, a, got, upd;
	struct store_org cep;
	int64_t op, cep_id, rn;

	memset(&cep, 0, sizeof(cep));
	OK(store_begin(f->st));
	op = add_org(f->st, ORG_CI_OPERATOR, 1u << 5, "報告電力");
	cep.type = ORG_CEPTOAR_SEC;
	cep.sectors = 1u << 5;
	cep.name = (char *)"電力CEPTOAR";
	core_org_keypair(cep.pk, &cep.wrapped_sk);
	cep.has_pk = true;
	OK(store_org_insert(f->st, &cep));
	cep_id = cep.id;

	r = (struct store_report){ .route = ROUTE_VIA_CEPTOAR, .legal_duty = true,
	    .tlp = TLP_AMBER, .sector = 5, .state = ST_AT_CEPTOAR,
	    .submitter_org = op, .ceptoar_org = cep_id, .nversions = 1,
	    .created_us = 1700000000000000, .updated_us = 1700000000000000 };
	OK(store_report_insert(f->st, &r));
	assert_true(r.id > 0);

	/* Anonymised: no submitter; tag and sealed identity set once known. */
	a = r;
	a.legal_duty = false;
	a.tlp = TLP_AMBER_STRICT;
	a.submitter_org = 0;
	a.anonymised = true;
	a.created_us = a.updated_us = 1700000000000005;
	OK(store_report_insert(f->st, &a));
	assert_true(a.id > r.id);
	core_anon_tag(a.id, op, a.anon_tag);
	a.sealed_identity = core_seal_to(cep.pk, "{\"org\": 1, \"org_name\": "
	    "\"報告電力\"}");
	OK(store_report_set_anon(f->st, &a));
	OK(store_commit(f->st));

	reopen(f);
	OK(store_begin(f->st));
	OK(store_report_get(f->st, r.id, &got));
	assert_int_equal(got.id, r.id);
	assert_int_equal(got.route, ROUTE_VIA_CEPTOAR);
	assert_true(got.legal_duty);
	assert_int_equal(got.tlp, TLP_AMBER);
	assert_int_equal(got.sector, 5);
	assert_int_equal(got.state, ST_AT_CEPTOAR);
	assert_int_equal(got.submitter_org, op);
	assert_false(got.anonymised);
	assert_null(got.sealed_identity);
	assert_int_equal(got.ceptoar_org, cep_id);
	assert_int_equal(got.r_number, 0);
	assert_int_equal(got.nversions, 1);
	assert_int_equal(got.created_us, r.created_us);
	assert_int_equal(got.updated_us, r.updated_us);
	assert_int_equal(got.npath, 0);
	assert_int_equal(got.nshares, 0);
	assert_int_equal(got.nextra, 0);
	store_report_fini(&got);

	OK(store_report_get(f->st, a.id, &got));
	assert_true(got.anonymised);
	assert_int_equal(got.submitter_org, 0);
	assert_memory_equal(got.anon_tag, a.anon_tag, 32);
	assert_string_equal(got.sealed_identity, a.sealed_identity);
	assert_int_equal(got.tlp, TLP_AMBER_STRICT);
	store_report_fini(&got);
	EXPECT(CS_ENOENT, store_report_get(f->st, a.id + 1000, &got));

	/* Update: state, tlp, r_number, nversions, updated_us, nothing else. */
	OK(store_counter_next(f->st, "R", &rn));	/* as src/api does */
	upd = r;
	upd.state = ST_AT_NISC;
	upd.tlp = TLP_RED;
	upd.r_number = rn;
	upd.nversions = 2;
	upd.updated_us = r.updated_us + 60000000;
	upd.route = ROUTE_URGENT;	/* ignored */
	upd.sector = 9;			/* ignored */
	upd.submitter_org = cep_id;	/* ignored */
	upd.legal_duty = false;		/* ignored */
	upd.created_us = 1;		/* ignored */
	OK(store_report_update(f->st, &upd));
	OK(store_commit(f->st));
	OK(store_begin(f->st));
	OK(store_report_get(f->st, r.id, &got));
	assert_int_equal(got.state, ST_AT_NISC);
	assert_int_equal(got.tlp, TLP_RED);
	assert_int_equal(got.r_number, rn);
	assert_int_equal(got.nversions, 2);
	assert_int_equal(got.updated_us, upd.updated_us);
	assert_int_equal(got.route, ROUTE_VIA_CEPTOAR);
	assert_int_equal(got.sector, 5);
	assert_int_equal(got.submitter_org, op);
	assert_true(got.legal_duty);
	assert_int_equal(got.created_us, r.created_us);
	store_report_fini(&got);
	OK(store_commit(f->st));

	/* R numbers are unique. */
	upd = a;
	upd.r_number = rn;
	OK(store_begin(f->st));
	EXPECT(CS_ECONFLICT, store_report_update(f->st, &upd));
	store_rollback(f->st);
	free(a.sealed_identity);
	free(cep.wrapped_sk);
}

static void
add_path(struct store *st, int64_t rep, int64_t org, enum cs_org_type t,
    int64_t us)
{
	struct cs_path_entry p = { org, t, us };

	OK(store_report_path_add(st, rep, &p));
}

static void
add_share(struct store *st, int64_t rep, int64_t org, int64_t by, int64_t us)
{
	struct store_share sh = { org, by, us, 0 };

	OK(store_report_share_add(st, rep, &sh));
}

/* A path entry's or a share's three numbers, in order. */
static void
assert3(int64_t a, int64_t b, int64_t c, int64_t wa, int64_t wb, int64_t wc)
{
	assert_int_equal(a, wa);
	assert_int_equal(b, wb);
	assert_int_equal(c, wc);
}

static void
test_report_links(void **state)
{
	struct fx *f = *state;
	struct store_report got;
	int64_t rep, other, org[6];

	OK(store_begin(f->st));
	org[0] = add_org(f->st, ORG_CEPTOAR_SEC, 1u << 5, "CEPTOAR");
	org[1] = add_org(f->st, ORG_CI_MINISTRY, 1u << 5, "経済産業省");
	org[2] = add_org(f->st, ORG_NISC, 0, "NISC");
	org[3] = add_org(f->st, ORG_CS_AGENCY, 0, "共有先A");
	org[4] = add_org(f->st, ORG_CI_OPERATOR, 1u << 5, "共有先B");
	org[5] = add_org(f->st, ORG_CI_OPERATOR, 1u << 5, "追加先");
	rep = add_report(f->st, org[4], false);
	other = add_report(f->st, org[4], false);

	/* The path, in the order organisations joined; re-adding is a no-op. */
	add_path(f->st, rep, org[0], ORG_CEPTOAR_SEC, 100);
	add_path(f->st, rep, org[1], ORG_CI_MINISTRY, 200);
	add_path(f->st, rep, org[0], ORG_NISC, 250);
	add_path(f->st, rep, org[2], ORG_NISC, 300);

	add_share(f->st, rep, org[3], org[2], 400);
	add_share(f->st, rep, org[4], org[1], 500);
	add_share(f->st, rep, org[3], org[1], 600);

	OK(store_report_extra_add(f->st, rep, org[3]));
	OK(store_report_extra_add(f->st, rep, org[5]));
	OK(store_report_extra_add(f->st, rep, org[3]));
	OK(store_commit(f->st));

	reopen(f);
	OK(store_begin(f->st));
	OK(store_report_get(f->st, rep, &got));
	assert_int_equal(got.npath, 3);
	assert3(got.path[0].org_id, got.path[0].org_type, got.path[0].joined_us,
	    org[0], ORG_CEPTOAR_SEC, 100);
	assert3(got.path[1].org_id, got.path[1].org_type, got.path[1].joined_us,
	    org[1], ORG_CI_MINISTRY, 200);
	assert3(got.path[2].org_id, got.path[2].org_type, got.path[2].joined_us,
	    org[2], ORG_NISC, 300);
	assert_int_equal(got.nshares, 2);
	assert3(got.shares[0].org, got.shares[0].by_org, got.shares[0].at_us,
	    org[3], org[2], 400);
	assert3(got.shares[1].org, got.shares[1].by_org, got.shares[1].at_us,
	    org[4], org[1], 500);
	assert_int_equal(got.nextra, 2);
	assert_int_equal(got.extra[0], org[3]);
	assert_int_equal(got.extra[1], org[5]);
	store_report_fini(&got);

	/* Nothing bleeds into another report. */
	OK(store_report_get(f->st, other, &got));
	assert_int_equal(got.npath, 0);
	assert_int_equal(got.nshares, 0);
	assert_int_equal(got.nextra, 0);
	store_report_fini(&got);
	OK(store_commit(f->st));
}

static void
test_versions(void **state)
{
	struct fx *f = *state;
	struct store_version v[3], dup, *l = NULL;
	static const char form1[] = "{\"tlp\": \"amber\", \"has_attachment\": "
	    "\"no\", \"sector\": \"electricity\", \"overview\": "
	    "{\"event_summary\": \"不審メールによる感染\"}}";
	size_t n = 0;
	int64_t rep, other, org, user;

	memset(v, 0, sizeof(v));
	OK(store_begin(f->st));
	org = add_org(f->st, ORG_CI_OPERATOR, 1u << 5, "版管理電力");
	user = add_user(f->st, org, "version-writer");
	rep = add_report(f->st, org, false);
	other = add_report(f->st, org, false);
	v[0] = (struct store_version){ .report = rep, .version = 1,
	    .hop = HOP_SOURCE, .form = (char *)form1, .by_org = org,
	    .by_user = user, .created_us = 1700000000000001 };
	v[1] = (struct store_version){ .report = rep, .version = 1,
	    .hop = HOP_CEPTOAR, .form = (char *)"{\"tlp\": \"amber\"}",
	    .by_org = org, .created_us = 1700000000000002 };
	v[2] = (struct store_version){ .report = rep, .version = 2,
	    .hop = HOP_SOURCE, .sealed_form = (char *)"c2VhbGVkIGZvcm0=",
	    .created_us = 1700000000000003 };
	/* Inserted out of order; listed by (version, hop). */
	OK(store_version_insert(f->st, &v[2]));
	OK(store_version_insert(f->st, &v[1]));
	OK(store_version_insert(f->st, &v[0]));
	OK(store_commit(f->st));

	reopen(f);
	OK(store_begin(f->st));
	OK(store_version_list(f->st, rep, &l, &n));
	assert_int_equal(n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(l[i].report, rep);
		assert_int_equal(l[i].version, v[i].version);
		assert_int_equal(l[i].hop, v[i].hop);
		assert_true(str_eq_or_null(l[i].form, v[i].form));
		assert_true(str_eq_or_null(l[i].sealed_form, v[i].sealed_form));
		assert_int_equal(l[i].by_org, v[i].by_org);
		assert_int_equal(l[i].by_user, v[i].by_user);
		assert_int_equal(l[i].created_us, v[i].created_us);
	}
	store_versions_free(l, n);
	OK(store_version_list(f->st, other, &l, &n));
	assert_int_equal(n, 0);
	store_versions_free(l, n);
	OK(store_commit(f->st));

	/* Immutable: (report, version, hop) cannot be written twice. */
	dup = v[0];
	dup.form = (char *)"{\"tlp\": \"clear\"}";
	dup.by_user = 0;
	OK(store_begin(f->st));
	EXPECT(CS_ECONFLICT, store_version_insert(f->st, &dup));
	store_rollback(f->st);
	OK(store_begin(f->st));
	OK(store_version_list(f->st, rep, &l, &n));
	assert_int_equal(n, 3);
	assert_string_equal(l[0].form, form1);
	assert_int_equal(l[0].by_user, user);
	store_versions_free(l, n);
	OK(store_commit(f->st));
}

/* Candidates for org, limited to ids >= lo; newest first. */
static size_t
candidates_f(struct store *st, int64_t org, bool anon, int sector,
    int64_t before, int limit, int64_t lo, int64_t *out, size_t max)
{
	struct store_report_filter flt;
	int64_t *ids = NULL;
	size_t n = 0, k = 0;

	flt.org = org;
	flt.anonymised = anon;
	flt.sector = sector;
	flt.before_id = before;
	flt.limit = limit;
	OK(store_report_candidates(st, &flt, &ids, &n));
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && ids[i] >= ids[i - 1])
			fail_msg("candidates not in descending id order");
		if (ids[i] >= lo && k < max)
			out[k++] = ids[i];
	}
	free(ids);
	return k;
}

static size_t
candidates(struct store *st, int64_t org, int64_t before, int limit,
    int64_t lo, int64_t *out, size_t max)
{
	return candidates_f(st, org, false, -1, before, limit, lo, out, max);
}

static void
test_report_candidates(void **state)
{
	struct fx *f = *state;
	struct cs_path_entry p;
	struct store_share s;
	int64_t a, b, c, d, e, r[6], got[8];
	size_t n;

	memset(&s, 0, sizeof(s));

	OK(store_begin(f->st));
	a = add_org(f->st, ORG_CI_OPERATOR, 1u << 5, "提出者A");
	b = add_org(f->st, ORG_CEPTOAR_SEC, 1u << 5, "経路B");
	c = add_org(f->st, ORG_CS_AGENCY, 0, "共有先C");
	d = add_org(f->st, ORG_CI_OPERATOR, 1u << 5, "提出者D");
	e = add_org(f->st, ORG_CI_OPERATOR, 1u << 1, "無関係E");
	r[1] = add_report(f->st, a, false);	/* submitted by A */
	r[2] = add_report(f->st, d, false);	/* B on its path */
	r[3] = add_report(f->st, d, false);	/* shared with C */
	r[4] = add_report(f->st, a, true);	/* anonymised */
	r[5] = add_report(f->st, d, false);	/* D's own, nobody else */
	p.org_id = b;
	p.org_type = ORG_CEPTOAR_SEC;
	p.joined_us = 1;
	OK(store_report_path_add(f->st, r[2], &p));
	s.org = c;
	s.by_org = b;
	s.at_us = 2;
	OK(store_report_share_add(f->st, r[3], &s));
	/* Both on the path and shared: still listed once. */
	s.org = b;
	OK(store_report_share_add(f->st, r[2], &s));
	/* An extra recipient alone is not a relation (needs a share). */
	OK(store_report_extra_add(f->st, r[5], e));
	OK(store_commit(f->st));

	/*
	 * A relation is needed: filed by (submitter_org), on the path, shared
	 * with.  The anonymised r[4] is nobody's relation: its source finds it
	 * by asking for anonymised reports (the policy then checks its tag).
	 */
	OK(store_begin(f->st));
	n = candidates(f->st, a, r[5] + 1, 100, r[1], got, 8);
	assert_int_equal(n, 1);
	assert_int_equal(got[0], r[1]);
	n = candidates(f->st, b, r[5] + 1, 100, r[1], got, 8);
	assert_int_equal(n, 1);
	assert_int_equal(got[0], r[2]);
	n = candidates(f->st, c, r[5] + 1, 100, r[1], got, 8);
	assert_int_equal(n, 1);
	assert_int_equal(got[0], r[3]);
	n = candidates(f->st, e, r[5] + 1, 100, r[1], got, 8);
	assert_int_equal(n, 0);
	n = candidates(f->st, d, r[5] + 1, 100, r[1], got, 8);
	assert_int_equal(n, 3);
	assert_int_equal(got[0], r[5]);
	assert_int_equal(got[1], r[3]);
	assert_int_equal(got[2], r[2]);
	n = candidates_f(f->st, a, true, -1, r[5] + 1, 100, r[1], got, 8);
	assert_int_equal(n, 1);
	assert_int_equal(got[0], r[4]);
	n = candidates_f(f->st, e, true, -1, r[5] + 1, 100, r[1], got, 8);
	assert_int_equal(n, 1);
	assert_int_equal(got[0], r[4]);

	/* A sector filter (every report here is in sector 1). */
	n = candidates_f(f->st, d, false, 1, r[5] + 1, 100, r[1], got, 8);
	assert_int_equal(n, 3);
	n = candidates_f(f->st, d, false, 2, r[5] + 1, 100, r[1], got, 8);
	assert_int_equal(n, 0);
	n = candidates_f(f->st, a, true, 2, r[5] + 1, 100, r[1], got, 8);
	assert_int_equal(n, 0);

	/* Paging: limit, then before_id = the last id seen. */
	n = candidates(f->st, d, r[5] + 1, 2, r[1], got, 8);
	assert_int_equal(n, 2);
	assert_int_equal(got[0], r[5]);
	assert_int_equal(got[1], r[3]);
	n = candidates(f->st, d, r[3], 2, r[1], got, 8);
	assert_int_equal(n, 1);
	assert_int_equal(got[0], r[2]);
	n = candidates(f->st, d, r[2], 2, r[1], got, 8);
	assert_int_equal(n, 0);
	n = candidates(f->st, a, r[4], 100, r[1], got, 8);
	assert_int_equal(n, 1);
	assert_int_equal(got[0], r[1]);
	OK(store_commit(f->st));
}

/* ---- failed logins --------------------------------------------------------- */

static void
test_login_failures(void **state)
{
	struct fx *f = *state;
	unsigned char a[32], b[32];
	char *la = uniq("fail-a"), *lb = uniq("fail-b");
	int64_t n, last, t = cs_time_now_us();

	core_login_hash(la, a);
	core_login_hash(lb, b);
	OK(store_begin(f->st));
	OK(store_login_failures(f->st, a, 0, &n, &last));
	assert_int_equal(n, 0);
	assert_int_equal(last, 0);
	for (int i = 0; i < 3; i++)
		OK(store_login_failure_add(f->st, a, t + i));
	OK(store_login_failure_add(f->st, b, t));
	OK(store_login_failures(f->st, a, t, &n, &last));
	assert_int_equal(n, 3);
	assert_int_equal(last, t + 2);
	/* only those inside the window */
	OK(store_login_failures(f->st, a, t + 2, &n, &last));
	assert_int_equal(n, 1);
	OK(store_login_failures(f->st, b, t, &n, &last));
	assert_int_equal(n, 1);
	OK(store_login_failures_prune(f->st, t + 1));
	OK(store_login_failures(f->st, a, 0, &n, &last));
	assert_int_equal(n, 2);
	OK(store_commit(f->st));
	free(la);
	free(lb);
}

/*
 * Disclosure bases (migration 8): insert, get, list per report in order;
 * a share under one records it, also on an earlier share of the same
 * organisation, and never replaces a recorded one.
 */
static void
test_disclosures(void **state)
{
	struct fx *f = *state;
	struct store_disclosure d, got, *v = NULL;
	struct store_report r;
	struct store_share sh;
	int64_t rep, other, nisc, min, police, cb, id1, id2;
	size_t n = 0;

	OK(store_begin(f->st));
	nisc = add_org(f->st, ORG_NISC, 0, "NISC");
	min = add_org(f->st, ORG_CI_MINISTRY, 1u << 5, "所管省庁");
	police = add_org(f->st, ORG_CS_AGENCY, 0, "警察");
	cb = add_org(f->st, ORG_CYBER_BUSINESS, 0, "事業者");
	rep = add_report(f->st, min, false);
	other = add_report(f->st, min, false);
	memset(&d, 0, sizeof(d));
	d.report = rep;
	d.basis = DISC_LAW;
	d.reason = "不正アクセス禁止法に基づく捜査関係事項照会\n（第2項）";
	d.to = "警察庁 サイバー警察局";
	d.by_org = nisc;
	d.by_user = 7;
	d.at_us = 1000;
	OK(store_disclosure_insert(f->st, &d));
	id1 = d.id;
	assert_true(id1 > 0);
	d.basis = DISC_PUBLIC_INTEREST;
	d.reason = "人の生命、財産を保護するため";
	d.to = "一般";
	d.by_org = min;
	d.at_us = 2000;
	OK(store_disclosure_insert(f->st, &d));
	id2 = d.id;
	assert_true(id2 > id1);
	/* A plain share, then the same organisation under a basis. */
	memset(&sh, 0, sizeof(sh));
	sh.org = police;
	sh.by_org = nisc;
	sh.at_us = 3000;
	OK(store_report_share_add(f->st, rep, &sh));
	sh.disclosure = id1;
	sh.at_us = 3500;
	OK(store_report_share_add(f->st, rep, &sh));
	sh.disclosure = id2;
	OK(store_report_share_add(f->st, rep, &sh));
	sh.org = cb;
	sh.disclosure = id2;
	sh.at_us = 4000;
	OK(store_report_share_add(f->st, rep, &sh));
	OK(store_commit(f->st));

	reopen(f);
	OK(store_begin(f->st));
	OK(store_disclosure_get(f->st, id1, &got));
	assert_int_equal(got.report, rep);
	assert_int_equal(got.basis, DISC_LAW);
	assert_string_equal(got.reason,
	    "不正アクセス禁止法に基づく捜査関係事項照会\n（第2項）");
	assert_string_equal(got.to, "警察庁 サイバー警察局");
	assert_int_equal(got.by_org, nisc);
	assert_int_equal(got.by_user, 7);
	assert_int_equal(got.at_us, 1000);
	store_disclosure_fini(&got);
	assert_int_equal(store_disclosure_get(f->st, id2 + 1000, &got), CS_ENOENT);
	OK(store_disclosure_list(f->st, rep, &v, &n));
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, id1);
	assert_int_equal(v[1].id, id2);
	assert_int_equal(v[1].basis, DISC_PUBLIC_INTEREST);
	assert_string_equal(v[1].to, "一般");
	store_disclosures_free(v, n);
	OK(store_disclosure_list(f->st, other, &v, &n));
	assert_int_equal(n, 0);
	store_disclosures_free(v, n);
	/* The shares carry their basis (SQLite: a statement; PostgreSQL: aggregated). */
	OK(store_report_get(f->st, rep, &r));
	assert_int_equal(r.nshares, 2);
	assert3(r.shares[0].org, r.shares[0].at_us, r.shares[0].disclosure,
	    police, 3000, id1);
	assert3(r.shares[1].org, r.shares[1].at_us, r.shares[1].disclosure,
	    cb, 4000, id2);
	store_report_fini(&r);
	OK(store_report_get(f->st, other, &r));
	assert_int_equal(r.nshares, 0);
	store_report_fini(&r);
	OK(store_commit(f->st));
}

/* ---- source reviews of advisories ------------------------------------------ */

static void
test_adv_reviews(void **state)
{
	struct fx *f = *state;
	struct store_advisory a;
	struct store_report r;
	struct store_adv_review rv, *v = NULL;
	size_t n = 0;
	int64_t cep, t = cs_time_now_us();

	OK(store_begin(f->st));
	cep = add_org(f->st, ORG_CEPTOAR_SEC, 1u << 5, "審査CEPTOAR");
	r = (struct store_report){ .route = ROUTE_VIA_CEPTOAR, .tlp = TLP_AMBER,
	    .sector = 5, .state = ST_AT_NISC, .anonymised = true,
	    .ceptoar_org = cep, .nversions = 1, .created_us = t,
	    .updated_us = t };
	OK(store_report_insert(f->st, &r));
	a = (struct store_advisory){ .state = ADV_PENDING_SOURCE_REVIEW,
	    .tlp = TLP_AMBER, .sectors = 1u << 5, .nversions = 1,
	    .created_by = 1, .created_us = t, .updated_us = t };
	OK(store_adv_insert(f->st, &a));
	rv = (struct store_adv_review){ .advisory = a.id, .version = 1,
	    .report = r.id, .org = cep, .state = REVIEW_PENDING,
	    .created_us = t };
	OK(store_adv_review_insert(f->st, &rv));
	assert_true(rv.id > 0);
	/* One per (advisory, version, report). */
	assert_int_equal(store_adv_review_insert(f->st, &rv), CS_ECONFLICT);
	rv.version = 2;
	OK(store_adv_review_insert(f->st, &rv));
	OK(store_adv_review_by_org(f->st, cep, REVIEW_PENDING, 0, 10, &v, &n));
	assert_int_equal(n, 2);
	assert_int_equal(v[0].version, 1);
	assert_null(v[0].comment);
	rv = v[0];
	rv.comment = NULL;
	store_adv_reviews_free(v, n);
	rv.state = REVIEW_REFUSED;
	rv.comment = (char *)"部署名が残っています";
	rv.decided_by_user = 7;
	rv.decided_us = t + 1;
	OK(store_adv_review_decide(f->st, &rv));
	OK(store_adv_review_by_org(f->st, cep, REVIEW_PENDING, 0, 10, &v, &n));
	assert_int_equal(n, 1);
	assert_int_equal(v[0].version, 2);
	store_adv_reviews_free(v, n);
	OK(store_adv_review_list(f->st, a.id, &v, &n));
	assert_int_equal(n, 2);
	assert_int_equal(v[0].state, REVIEW_REFUSED);
	assert_string_equal(v[0].comment, "部署名が残っています");
	assert_int_equal(v[0].decided_by_user, 7);
	assert_int_equal(v[0].decided_us, t + 1);
	assert_int_equal(v[0].report, r.id);
	assert_int_equal(v[0].org, cep);
	assert_int_equal(v[1].state, REVIEW_PENDING);
	assert_int_equal(v[1].decided_us, 0);
	store_adv_reviews_free(v, n);
	OK(store_commit(f->st));
}

/* The observable index (st_obs.c): ids once, rows once, by observable and time. */
static void
test_observables(void **state)
{
	struct fx *f = *state;
	struct store_item_obs r, *v = NULL;
	int64_t ip, ip2, url, *ids = NULL, maxr, maxa;
	size_t n = 0;

	OK(store_begin(f->st));
	assert_int_equal(store_obs_id(f->st, 0, "203.0.113.50", false, &ip),
	    CS_ENOENT);
	OK(store_obs_id(f->st, 0, "203.0.113.50", true, &ip));
	OK(store_obs_id(f->st, 0, "203.0.113.50", true, &ip2));
	assert_int_equal(ip, ip2);
	OK(store_obs_id(f->st, 3, "https://evil.example.com/", true, &url));
	assert_true(url != ip);
	/* The same value of another kind is another observable. */
	OK(store_obs_id(f->st, 2, "203.0.113.50", true, &ip2));
	assert_true(ip2 != ip);
	memset(&r, 0, sizeof(r));
	r.item_kind = STORE_ITEM_REPORT;
	r.observable = ip;
	for (int i = 0; i < 3; i++) {
		r.item = 10 + i;
		r.version = 1;
		r.sector = i == 2 ? 4 : 1;
		r.at_us = 1000 * (i + 1);
		OK(store_item_obs_add(f->st, &r));
		OK(store_item_obs_add(f->st, &r));	/* kept once */
	}
	r.item_kind = STORE_ITEM_ADVISORY;
	r.item = 10;
	r.sector = -1;
	r.at_us = 5000;
	OK(store_item_obs_add(f->st, &r));
	r.item_kind = STORE_ITEM_REPORT;
	r.observable = url;
	r.sector = 1;
	OK(store_item_obs_add(f->st, &r));
	OK(store_obs_rows(f->st, ip, 0, &v, &n));
	assert_int_equal(n, 4);
	/* Newest first, with the observable's kind and value. */
	assert_int_equal(v[0].item_kind, STORE_ITEM_ADVISORY);
	assert_int_equal(v[1].item, 12);
	assert_int_equal(v[1].sector, 4);
	assert_string_equal(v[1].value, "203.0.113.50");
	assert_int_equal(v[1].kind, 0);
	store_item_obs_free(v, n);
	OK(store_obs_rows(f->st, ip, 2000, &v, &n));
	assert_int_equal(n, 3);
	store_item_obs_free(v, n);
	OK(store_item_obs_list(f->st, STORE_ITEM_REPORT, 10, &v, &n));
	assert_int_equal(n, 2);
	store_item_obs_free(v, n);
	/* Two sectors (an advisory's -1 is none), then none at three. */
	OK(store_obs_multi_sector(f->st, 0, 2, -1, &ids, &n));
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], ip);
	free(ids);
	OK(store_obs_multi_sector(f->st, 0, 3, -1, &ids, &n));
	assert_int_equal(n, 0);
	free(ids);
	OK(store_obs_multi_sector(f->st, 3000, 2, -1, &ids, &n));
	assert_int_equal(n, 0);
	free(ids);
	OK(store_obs_max_ids(f->st, &maxr, &maxa));
	assert_true(maxr >= 0 && maxa >= 0);
	OK(store_commit(f->st));
}

/* Rows of a folded query: "item:version:hop,..." (greatest key first). */
static char *
search_rows(struct store *st, const char *q, int kind, int64_t before)
{
	struct store_search_hit *h;
	size_t n;
	char *folded = ident_fold(q), *out = calloc(1, 512);

	OK(store_search_find(st, folded, kind, before, 100, &h, &n));
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), 512 - strlen(out), "%s%lld:%lld:%lld",
		    i ? "," : "", (long long)h[i].item,
		    (long long)((h[i].key >> 3) & 0x1fff),
		    (long long)((h[i].key >> 1) & 3));
	free(h);
	free(folded);
	return out;
}

#define ROWS(want, ...) do {						\
	char *got_ = search_rows(__VA_ARGS__);				\
	if (strcmp(got_, (want)) != 0)					\
		fail_msg("search: got '%s', want '%s'", got_, (want));	\
	free(got_);							\
} while (0)

/*
 * The full-text index (issue 12 item 5), on both engines: what a version
 * insert stores in clear is found after folding (FTS5 trigram or pg_trgm
 * for three characters and more, a scan below), a sealed form never;
 * LIKE's wildcards are literal; the backfill runs once.
 */
static void
test_search(void **state)
{
	struct fx *f = *state;
	struct store_version v;
	char buf[64];
	char *st = NULL;
	int64_t org, rep, rep2;

	OK(store_begin(f->st));
	org = add_org(f->st, ORG_CI_OPERATOR, 1u << 5, "検索電力");
	rep = add_report(f->st, org, false);
	rep2 = add_report(f->st, org, false);
	v = (struct store_version){ .report = rep, .version = 1, .hop = HOP_SOURCE,
	    .form = (char *)"{\"overview\": {\"event_summary\": \"ランサムウェアで停止\"},"
	    " \"n\": \"100%_done\"}", .created_us = 1 };
	OK(store_version_insert(f->st, &v));
	v = (struct store_version){ .report = rep, .version = 1, .hop = HOP_CEPTOAR,
	    .form = (char *)"{\"x\": \"ＶＰＮ 障害\"}", .created_us = 2 };
	OK(store_version_insert(f->st, &v));
	v = (struct store_version){ .report = rep, .version = 2, .hop = HOP_SOURCE,
	    .sealed_form = (char *)"秘密の原文", .created_us = 3 };
	OK(store_version_insert(f->st, &v));
	v = (struct store_version){ .report = rep2, .version = 1, .hop = HOP_SOURCE,
	    .form = (char *)"{\"s\": \"別件のランサムウェア\"}", .created_us = 4 };
	OK(store_version_insert(f->st, &v));
	OK(store_commit(f->st));

	OK(store_begin(f->st));
	cs_fmt(buf, sizeof(buf), "%lld:1:0", (long long)rep);
	ROWS(buf, f->st, "ﾗﾝｻﾑｳｪｱで", -1, 0);
	{
		char both[64];

		cs_fmt(both, sizeof(both), "%lld:1:0,%s", (long long)rep2, buf);
		ROWS(both, f->st, "ランサムウェア", -1, 0);
		/* Keys below the second report's: the first report only. */
		ROWS(buf, f->st, "ランサムウェア", -1,
		    store_search_key(STORE_SEARCH_REPORT, rep2, 0, 0));
	}
	cs_fmt(buf, sizeof(buf), "%lld:1:1", (long long)rep);
	ROWS(buf, f->st, "vpn障害", STORE_SEARCH_REPORT, 0);
	ROWS(buf, f->st, "障害", -1, 0);		/* two characters: a scan */
	ROWS(buf, f->st, "障", -1, 0);		/* one */
	ROWS("", f->st, "vpn", STORE_SEARCH_ADVISORY, 0);
	ROWS("", f->st, "秘密", -1, 0);		/* sealed: never indexed */
	ROWS("", f->st, "原文", -1, 0);
	cs_fmt(buf, sizeof(buf), "%lld:1:0", (long long)rep);
	ROWS(buf, f->st, "0%_d", -1, 0);		/* literal % and _ */
	ROWS("", f->st, "1_0", -1, 0);
	ROWS("", f->st, "1%d", -1, 0);
	OK(store_commit(f->st));

	/* The backfill: once, idempotent (the rows are there already). */
	OK(store_begin(f->st));
	OK(store_meta_set(f->st, "search_backfill", "pending"));
	OK(store_commit(f->st));
	{
		struct cs_error e;

		OK(store_search_backfill(f->st, &e));
	}
	OK(store_begin(f->st));
	OK(store_meta_get(f->st, "search_backfill", &st));
	assert_string_equal(st, "done");
	free(st);
	cs_fmt(buf, sizeof(buf), "%lld:1:0", (long long)rep);
	ROWS(buf, f->st, "ﾗﾝｻﾑｳｪｱで", -1, 0);
	OK(store_commit(f->st));
}

/* SQLite: one statement on a connection of its own; the first column's value. */
static int64_t
lite_sql(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int64_t v = -1;
	int rc;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
	    SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	if (rc != SQLITE_DONE)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/*
 * The trigram index agrees with its rows (FTS5's integrity-check compares
 * it with search_docs, so only with nothing pending).
 */
static void
lite_fts_ok(const char *path)
{
	(void)lite_sql(path, "INSERT INTO search_fts(search_fts)"
	    " VALUES ('integrity-check')");
}

/*
 * SQLite's asynchronous indexer (migration 27), and the same answers on
 * PostgreSQL (nothing pending there): committed rows are found before any
 * chunk, part-way and after; store_search_index() takes the oldest rows
 * first and the lag follows; a row deleted while pending and one deleted
 * once indexed leave the trigram index whole (FTS5's integrity-check once
 * the rest is indexed); rows pending
 * when the store closed (a crash leaves the same) are found after the
 * reopen, and the indexer thread indexes them.
 */
static void
test_search_indexer(void **state)
{
	struct fx *f = *state;
	struct store_version v;
	bool lite = f->path != NULL;
	char *word = uniq("zqix"), form[128], want[512] = "", part[512] = "";
	int64_t org, rep[12], n = -1;
	int i;

	OK(store_begin(f->st));
	org = add_org(f->st, ORG_CI_OPERATOR, 1u << 5, "索引電力");
	for (i = 0; i < 12; i++) {
		rep[i] = add_report(f->st, org, false);
		cs_fmt(form, sizeof(form), "{\"s\": \"%s %d\"}", word, i);
		v = (struct store_version){ .report = rep[i], .version = 1,
		    .hop = HOP_SOURCE, .form = form, .created_us = 1 };
		OK(store_version_insert(f->st, &v));
	}
	OK(store_commit(f->st));
	for (i = 11; i >= 0; i--)
		cs_fmt(want + strlen(want), sizeof(want) - strlen(want), "%s%lld:1:0",
		    i < 11 ? "," : "", (long long)rep[i]);
	assert_int_equal(store_search_lag(f->st), lite ? 12 : 0);
	ROWS(want, f->st, word, -1, 0);			/* none indexed yet */
	if (lite)
		assert_int_equal(lite_sql(f->path, "SELECT count(*) FROM"
		    " search_pending"), 12);

	/* Five chunks' worth of the oldest: the rest still found by the scan. */
	OK(store_search_index(f->st, 5, &n));
	assert_int_equal(n, lite ? 5 : 0);
	assert_int_equal(store_search_lag(f->st), lite ? 7 : 0);
	ROWS(want, f->st, word, -1, 0);
	ROWS(want, f->st, word, STORE_SEARCH_REPORT, 0);
	/* Keys below the 8th report's: the indexed and the pending ones meet. */
	for (i = 6; i >= 0; i--)
		cs_fmt(part + strlen(part), sizeof(part) - strlen(part), "%s%lld:1:0",
		    i < 6 ? "," : "", (long long)rep[i]);
	ROWS(part, f->st, word, -1, store_search_key(STORE_SEARCH_REPORT,
	    rep[7], 0, 0));
	if (lite) {
		char sql[160];

		cs_fmt(sql, sizeof(sql), "SELECT count(*) FROM search_pending"
		    " WHERE key < %lld", (long long)store_search_key(
		    STORE_SEARCH_REPORT, rep[5], 0, 0));
		assert_int_equal(lite_sql(f->path, sql), 0);	/* oldest first */
		/* Deleted pending (rep[11]) and deleted indexed (rep[0]). */
		cs_fmt(sql, sizeof(sql), "DELETE FROM search_docs WHERE item IN"
		    " (%lld, %lld)", (long long)rep[11], (long long)rep[0]);
		(void)lite_sql(f->path, sql);
		assert_int_equal(lite_sql(f->path, "SELECT count(*) FROM"
		    " search_pending"), 6);
		memmove(want, strchr(want, ',') + 1, strlen(strchr(want, ',')));
		*strrchr(want, ',') = '\0';
	}
	ROWS(want, f->st, word, -1, 0);

	/* Closed with rows pending: found after the reopen, then indexed. */
	reopen(f);
	ROWS(want, f->st, word, -1, 0);
	store_search_indexer_start(f->st);
	for (i = 0; i < 1000 && lite && lite_sql(f->path, "SELECT count(*)"
	    " FROM search_pending") > 0; i++)
		usleep(10000);
	if (lite) {
		assert_int_equal(lite_sql(f->path, "SELECT count(*) FROM"
		    " search_pending"), 0);
		assert_int_equal(store_search_lag(f->st), 0);
		lite_fts_ok(f->path);
	}
	ROWS(want, f->st, word, -1, 0);
	OK(store_search_index(f->st, -1, &n));
	assert_int_equal(n, 0);
	free(word);
}

/*
 * The risk workspace (migration 19): the workspace row is inserted, then
 * replaced in place; the register lists the highest score first, open
 * before archived, archived only when asked; the count holds archived
 * ones; an update that finds no row is CS_ENOENT.
 */
static void
test_risks(void **state)
{
	struct fx *f = *state;
	struct store_risk_ws w, got;
	struct store_risk r[3], one, *v = NULL;
	int64_t org, other, n;
	size_t nv = 0;
	char *name = uniq("risk-bank");

	OK(store_begin(f->st));
	org = add_org(f->st, ORG_CI_OPERATOR, 1u << 1, name);
	other = add_org(f->st, ORG_CI_OPERATOR, 1u << 1, "other");
	EXPECT(CS_ENOENT, store_risk_ws_get(f->st, org, &got));
	memset(&w, 0, sizeof(w));
	w.org = org;
	w.profile = (char *)"{}";
	w.matrix = (char *)"{\"appetite\":4}";
	w.checks = (char *)"{}";
	w.shared = (char *)"[]";
	w.updated_us = 1;
	OK(store_risk_ws_put(f->st, &w));
	w.shared = (char *)"[7]";
	w.updated_us = 2;
	OK(store_risk_ws_put(f->st, &w));
	OK(store_risk_ws_get(f->st, org, &got));
	assert_string_equal(got.shared, "[7]");
	assert_int_equal(got.updated_us, 2);
	store_risk_ws_fini(&got);
	for (int i = 0; i < 3; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].org = org;
		r[i].data = (char *)"{\"title\":\"t\"}";
		r[i].score = (int[]){ 6, 20, 6 }[i];
		r[i].created_us = r[i].updated_us = 10 + i;
		r[i].by_user = 1;
		OK(store_risk_insert(f->st, &r[i]));
	}
	one = r[1];
	one.org = other;
	OK(store_risk_insert(f->st, &one));
	r[0].archived = true;
	r[0].score = 25;
	OK(store_risk_update(f->st, &r[0]));
	OK(store_risk_list(f->st, org, false, 50, &v, &nv));
	assert_int_equal(nv, 2);
	assert_int_equal(v[0].id, r[1].id);	/* 20 before 6 */
	assert_int_equal(v[1].id, r[2].id);
	store_risks_free(v, nv);
	OK(store_risk_list(f->st, org, true, 50, &v, &nv));
	assert_int_equal(nv, 3);
	assert_int_equal(v[2].id, r[0].id);	/* archived last, whatever its score */
	assert_true(v[2].archived);
	store_risks_free(v, nv);
	OK(store_risk_count(f->st, org, &n));
	assert_int_equal(n, 3);
	OK(store_risk_get(f->st, r[0].id, &one));
	assert_int_equal(one.score, 25);
	assert_string_equal(one.data, "{\"title\":\"t\"}");
	store_risk_fini(&one);
	r[0].id = 987654321;
	EXPECT(CS_ENOENT, store_risk_update(f->st, &r[0]));
	OK(store_commit(f->st));
	free(name);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_meta_refdata),
		T(test_counters),
		T(test_orgs),
		T(test_users),
		T(test_tokens),
		T(test_reports),
		T(test_report_links),
		T(test_versions),
		T(test_report_candidates),
		T(test_login_failures),
		T(test_disclosures),
		T(test_adv_reviews),
		T(test_observables),
		T(test_search),
		T(test_search_indexer),
		T(test_risks),
	};

	return cmocka_run_group_tests(tests, setup_keys, NULL);
}
