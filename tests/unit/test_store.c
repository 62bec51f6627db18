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
 * Covered: open and migrate (idempotent), transactions, meta and reference
 * data, counters, the directory (orgs, users, tokens), reports with their
 * path, shares and extra recipients, immutable versions, the candidate
 * filter behind report lists, the audit hash chain, group commit under
 * concurrent transactions, that directory PII never reaches the SQLite
 * file in clear, and the statement tables against the engines: every
 * statement prepares with the parameter count its table declares, and
 * (on PostgreSQL, beside a SQLite store) both schemas have the same columns.

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

#include "store/store.h"
#include "store/store_int.h"

static const unsigned char master[CS_KEY_BYTES] = {
	0x63, 0x69, 0x73, 0x68, 0x61, 0x72, 0x65, 0x2d, 0x73, 0x74, 0x6f,
	0x72, 0x65, 0x2d, 0x74, 0x65, 0x73, 0x74, 0x01, 0x02, 0x03, 0x04,
	0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e
};

/* One test's store. */
struct fx {
	struct store	*st;
	char		*url;
	char		*path;		/* SQLite file, or NULL */
	char		 dir[64];	/* our temporary directory, or "" */
};

static const char *const sqlite_suffixes[] = { "", "-wal", "-shm", "-journal" };

#define OK(x) do {							\
	enum cs_err ok_rc = (x);					\
	if (ok_rc != CS_OK)						\
		fail_msg("%s: %s", #x, cs_err_name(ok_rc));		\
} while (0)

#define EXPECT(code, x) do {						\
	enum cs_err ex_rc = (x);					\
	if (ex_rc != (code))						\
		fail_msg("%s: %s, expected %s", #x, cs_err_name(ex_rc),	\
		    cs_err_name(code));					\
} while (0)

/* A name no earlier run or test used (for stores shared between tests). */
static char *
uniq(const char *base)
{
	static unsigned long n;

	return xasprintf("%s-%ld-%lld-%lu", base, (long)getpid(),
	    (long long)cs_time_now_us(), n++);
}

static int
setup_keys(void **state)
{
	(void)state;
	core_keys_init(master);
	return 0;
}

static void
open_store(struct fx *f)
{
	struct cs_error e;
	enum cs_err rc;

	cs_error_clear(&e);
	rc = store_open(f->url, true, &f->st, &e);
	if (rc != CS_OK)
		fail_msg("store_open(%s): %s: %s", f->url, cs_err_name(rc),
		    e.msg);
}

static void
reopen(struct fx *f)
{
	store_close(f->st);
	f->st = NULL;
	open_store(f);
}

/* A fresh SQLite file in a temporary directory of its own. */
static int
fx_tmp(struct fx *f)
{
	(void)cs_strlcpy(f->dir, "/tmp/cs-test-store-XXXXXX", sizeof(f->dir));
	if (mkdtemp(f->dir) == NULL) {
		print_error("mkdtemp: %s\n", strerror(errno));
		return -1;
	}
	f->path = xasprintf("%s/store.db", f->dir);
	f->url = xasprintf("sqlite:%s", f->path);
	return 0;
}

static int
setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	const char *env = getenv("CS_TEST_STORE_URL");

	if (env != NULL && *env != '\0') {
		f->url = xstrdup(env);
		if (strncmp(env, "sqlite:", 7) == 0)
			f->path = xstrdup(env + 7);
		else if (strchr(env, ':') == NULL)	/* a bare path */
			f->path = xstrdup(env);
	} else if (fx_tmp(f) != 0) {
		free(f);
		return -1;
	}
	*state = f;
	open_store(f);
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	if (f == NULL)
		return 0;
	store_close(f->st);
	if (f->dir[0] != '\0') {
		for (size_t i = 0; i < 4; i++) {
			char *p = xasprintf("%s%s", f->path,
			    sqlite_suffixes[i]);

			(void)unlink(p);
			free(p);
		}
		(void)rmdir(f->dir);
	}
	free(f->url);
	free(f->path);
	free(f);
	return 0;
}

static int64_t
add_org(struct store *st, enum cs_org_type type, uint32_t sectors,
    const char *name)
{
	struct store_org o;
	int64_t id;

	memset(&o, 0, sizeof(o));
	o.type = type;
	o.sectors = sectors;
	o.name = (char *)name;
	o.created_us = 1700000000000000;
	OK(store_org_insert(st, &o));
	assert_true(o.id > 0);
	id = o.id;
	return id;
}

/* A user whose login is `base` made unique (logins are unique per store). */
static int64_t
add_user(struct store *st, int64_t org, const char *base)
{
	struct store_user u;
	char *login = uniq(base);

	memset(&u, 0, sizeof(u));
	u.org = org;
	u.login = login;
	core_login_hash(login, u.login_hash);
	u.roles = ROLE_MEMBER;
	u.created_us = 1700000000000000;
	OK(store_user_insert(st, &u));
	free(login);
	assert_true(u.id > 0);
	return u.id;
}

static int64_t
add_report(struct store *st, int64_t submitter, bool anonymised)
{
	struct store_report r;

	memset(&r, 0, sizeof(r));
	r.route = ROUTE_DIRECT;
	r.tlp = TLP_GREEN;
	r.sector = 1;
	r.state = ST_AT_MINISTRY;
	r.submitter_org = anonymised ? 0 : submitter;
	r.anonymised = anonymised;
	r.nversions = 1;
	r.created_us = r.updated_us = 1700000000000000;
	OK(store_report_insert(st, &r));
	assert_true(r.id > 0);
	return r.id;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
str_eq_or_null(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* ---- lifecycle --------------------------------------------------------- */

static void
test_open_migrate_idempotent(void **state)
{
	struct fx *f = *state;
	struct store *second = NULL, *third = NULL;
	struct cs_error e;
	char *key = uniq("schema-probe"), *v = NULL;
	int version;

	version = store_schema_version(f->st);
	assert_true(version > 0);
	OK(store_begin(f->st));
	OK(store_meta_set(f->st, key, "kept"));
	OK(store_commit(f->st));

	/* Opening again with create migrates nothing and keeps the data. */
	reopen(f);
	assert_int_equal(store_schema_version(f->st), version);
	OK(store_begin(f->st));
	OK(store_meta_get(f->st, key, &v));
	OK(store_commit(f->st));
	assert_string_equal(v, "kept");
	free(v);
	v = NULL;

	/* A second handle with create while the first is open. */
	cs_error_clear(&e);
	OK(store_open(f->url, true, &second, &e));
	assert_int_equal(store_schema_version(second), version);
	OK(store_begin(second));
	OK(store_meta_get(second, key, &v));
	OK(store_commit(second));
	assert_string_equal(v, "kept");
	free(v);
	v = NULL;
	store_close(second);

	/* Without create, a migrated store opens as it is. */
	OK(store_open(f->url, false, &third, &e));
	assert_int_equal(store_schema_version(third), version);
	store_close(third);
	third = NULL;

	if (f->path != NULL) {
		char *url = xasprintf("sqlite:%s.missing", f->path);

		/* Without create, a missing file is an error, not a store. */
		cs_error_clear(&e);
		assert_int_not_equal(store_open(url, false, &third, &e), CS_OK);
		assert_int_not_equal(e.code, CS_OK);
		assert_null(third);
		assert_int_equal(access(url + 7, F_OK), -1);
		free(url);
		/* A directory that does not exist fails cleanly. */
		url = xasprintf("sqlite:%s.nodir/x/store.db", f->path);
		cs_error_clear(&e);
		assert_int_not_equal(store_open(url, true, &third, &e), CS_OK);
		assert_int_not_equal(e.code, CS_OK);
		assert_null(third);
		free(url);
	}
	free(key);
}

static void
test_tx_commit_rollback(void **state)
{
	struct fx *f = *state;
	struct store_org o;
	char *k = uniq("tx"), *v = NULL;
	int64_t org;

	/* Inside a transaction, its own writes are visible. */
	OK(store_begin(f->st));
	OK(store_meta_set(f->st, k, "in-flight"));
	OK(store_meta_get(f->st, k, &v));
	assert_string_equal(v, "in-flight");
	free(v);
	v = NULL;
	org = add_org(f->st, ORG_CI_OPERATOR, 1u << 5, "巻戻電力");
	store_rollback(f->st);

	/* Rolled back: neither the meta row nor the org exists. */
	OK(store_begin(f->st));
	EXPECT(CS_ENOENT, store_meta_get(f->st, k, &v));
	assert_null(v);
	memset(&o, 0, sizeof(o));
	EXPECT(CS_ENOENT, store_org_get(f->st, org, &o));
	OK(store_commit(f->st));

	/* Committed: survives closing the store. */
	OK(store_begin(f->st));
	OK(store_meta_set(f->st, k, "committed"));
	org = add_org(f->st, ORG_CI_OPERATOR, 1u << 5, "コミット電力");
	OK(store_commit(f->st));
	reopen(f);
	OK(store_begin(f->st));
	OK(store_meta_get(f->st, k, &v));
	OK(store_org_get(f->st, org, &o));
	OK(store_commit(f->st));
	assert_string_equal(v, "committed");
	assert_string_equal(o.name, "コミット電力");
	store_org_fini(&o);
	free(v);
	free(k);
}

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
	struct store_share sh = { org, by, us };

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

/* ---- audit ------------------------------------------------------------- */

static void
test_audit_chain(void **state)
{
	struct fx *f = *state;
	static const char *const actions[] = { "org.create", "user.create",
	    "report.submit", "report.forward", "report.share", "token.create",
	    "report.followup" };
	struct store_audit in[7], extra, *v = NULL, *prevv = NULL;
	unsigned char h[32], zero[32];
	size_t n = 0, pn = 0;
	int64_t first;

	memset(in, 0, sizeof(in));
	memset(zero, 0, sizeof(zero));
	for (int i = 0; i < 7; i++) {
		in[i].at_us = 1700000000000000 + i * 1000;
		in[i].user = i % 3 == 0 ? 0 : 10 + i;	/* 0: hidden source */
		in[i].org = 20 + i;
		in[i].action = (char *)actions[i];
		in[i].item = i == 2 ? NULL : (char *)"report:7";
		in[i].detail = (char *)"{\"tlp\": \"amber\", "
		    "\"note\": \"監査\"}";
	}
	OK(store_begin(f->st));
	for (int i = 0; i < 5; i++)
		OK(store_audit_append(f->st, &in[i]));
	OK(store_commit(f->st));
	OK(store_begin(f->st));
	for (int i = 5; i < 7; i++)
		OK(store_audit_append(f->st, &in[i]));
	OK(store_commit(f->st));

	first = in[0].seq;
	assert_true(first >= 1);
	for (int i = 1; i < 7; i++) {
		assert_int_equal(in[i].seq, first + i);
		assert_memory_equal(in[i].prev, in[i - 1].hash, 32);
	}
	/* The first entry chains to what came before it (zeros if nothing). */
	OK(store_begin(f->st));
	if (first == 1)
		assert_memory_equal(in[0].prev, zero, 32);
	else {
		OK(store_audit_list(f->st, first - 2, 0, 1, &prevv, &pn));
		assert_int_equal(pn, 1);
		assert_int_equal(prevv[0].seq, first - 1);
		assert_memory_equal(in[0].prev, prevv[0].hash, 32);
		store_audits_free(prevv, pn);
	}
	OK(store_commit(f->st));

	reopen(f);
	OK(store_begin(f->st));
	OK(store_audit_list(f->st, first - 1, 0, 100, &v, &n));
	assert_int_equal(n, 7);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(v[i].seq, first + (int64_t)i);
		assert_int_equal(v[i].at_us, in[i].at_us);
		assert_int_equal(v[i].user, in[i].user);
		assert_int_equal(v[i].org, in[i].org);
		assert_string_equal(v[i].action, in[i].action);
		assert_true(str_eq_or_null(v[i].item, in[i].item));
		assert_string_equal(v[i].detail, in[i].detail);
		assert_memory_equal(v[i].hash, in[i].hash, 32);
		if (i > 0)
			assert_memory_equal(v[i].prev, v[i - 1].hash, 32);
		store_audit_rehash(&v[i], h);
		assert_memory_equal(h, v[i].hash, 32);
	}
	/* Any change to an entry breaks its hash. */
	v[3].detail[2] ^= 1;
	store_audit_rehash(&v[3], h);
	assert_memory_not_equal(h, v[3].hash, 32);
	v[3].detail[2] ^= 1;
	v[3].at_us++;
	store_audit_rehash(&v[3], h);
	assert_memory_not_equal(h, v[3].hash, 32);
	store_audits_free(v, n);

	/* Filters: since (at_us >= since) and limit. */
	OK(store_audit_list(f->st, first - 1, in[4].at_us, 100, &v, &n));
	assert_true(n >= 3);
	assert_int_equal(v[0].seq, in[4].seq);
	store_audits_free(v, n);
	OK(store_audit_list(f->st, first - 1, 0, 2, &v, &n));
	assert_int_equal(n, 2);
	assert_int_equal(v[1].seq, in[1].seq);
	store_audits_free(v, n);
	OK(store_commit(f->st));

	/* A rolled-back append leaves no gap. */
	memset(&extra, 0, sizeof(extra));
	extra.at_us = 1700000000009000;
	extra.action = (char *)"report.read";
	OK(store_begin(f->st));
	OK(store_audit_append(f->st, &extra));
	assert_int_equal(extra.seq, in[6].seq + 1);
	store_rollback(f->st);
	memset(extra.prev, 0, 32);
	extra.seq = 0;
	OK(store_begin(f->st));
	OK(store_audit_append(f->st, &extra));
	assert_int_equal(extra.seq, in[6].seq + 1);
	assert_memory_equal(extra.prev, in[6].hash, 32);
	OK(store_commit(f->st));
}

static void
test_audit_canonical_unambiguous(void **state)
{
	struct store_audit x, y;
	unsigned char hx[32], hy[32];

	(void)state;
	memset(&x, 0, sizeof(x));
	x.seq = 5;
	x.at_us = 1700000000000000;
	x.user = 3;
	x.org = 4;
	y = x;
	/* "report.share|report:7|x|{...}" both ways. */
	x.action = (char *)"report.share";
	x.item = (char *)"report:7|x";
	x.detail = (char *)"{\"to\":[9]}";
	y.action = (char *)"report.share|report:7";
	y.item = (char *)"x";
	y.detail = (char *)"{\"to\":[9]}";
	store_audit_rehash(&x, hx);
	store_audit_rehash(&y, hy);
	assert_memory_not_equal(hx, hy, 32);
}

/* ---- encryption at rest ------------------------------------------------ */

static bool
file_contains(const char *path, const char *needle)
{
	size_t cap = 1 << 16, len = 0, got, nl = strlen(needle);
	unsigned char *buf;
	bool hit = false;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return false;
	buf = xmalloc(cap);
	while ((got = fread(buf + len, 1, cap - len, fp)) > 0) {
		len += got;
		if (len == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	fclose(fp);
	for (size_t i = 0; nl <= len && i <= len - nl && !hit; i++)
		hit = memcmp(buf + i, needle, nl) == 0;
	free(buf);
	return hit;
}

static void
test_pii_not_in_clear(void **state)
{
	struct fx *f = *state;
	static const char *const secrets[] = { "極秘銀行テスト",
	    "secret-login-xyz", "機密 花子", "hanako@secret-bank.example",
	    "03-9999-0000", "秘密監査室" };
	struct store_user u, got;
	struct store_org o;
	char *login;
	int64_t org;
	long size = 0;
	FILE *fp;

	if (f->path == NULL) {
		print_message("not a SQLite store: skipped\n");
		skip();
	}
	memset(&u, 0, sizeof(u));
	OK(store_begin(f->st));
	org = add_org(f->st, ORG_CI_OPERATOR, 1u << 1, secrets[0]);
	u.org = org;
	login = uniq(secrets[1]);	/* still contains the needle */
	u.login = login;
	core_login_hash(u.login, u.login_hash);
	u.display_name = (char *)secrets[2];
	u.email = (char *)secrets[3];
	u.phone = (char *)secrets[4];
	u.department = (char *)secrets[5];
	u.roles = ROLE_MEMBER;
	u.created_us = 1700000000000000;
	OK(store_user_insert(f->st, &u));
	OK(store_commit(f->st));

	/* Closed, so every page is in the file (and none only in the WAL). */
	store_close(f->st);
	f->st = NULL;
	fp = fopen(f->path, "rb");
	assert_non_null(fp);
	(void)fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	fclose(fp);
	assert_true(size > 0);
	for (size_t s = 0; s < sizeof(secrets) / sizeof(secrets[0]); s++)
		for (size_t i = 0; i < 4; i++) {
			char *p = xasprintf("%s%s", f->path,
			    sqlite_suffixes[i]);

			if (file_contains(p, secrets[s]))
				fail_msg("\"%s\" is stored in clear in %s",
				    secrets[s], p);
			free(p);
		}

	/* And it was stored: the store opens it again. */
	open_store(f);
	OK(store_begin(f->st));
	OK(store_org_get(f->st, org, &o));
	assert_string_equal(o.name, secrets[0]);
	store_org_fini(&o);
	OK(store_user_by_login(f->st, u.login_hash, &got));
	assert_string_equal(got.login, login);
	assert_string_equal(got.display_name, secrets[2]);
	assert_string_equal(got.email, secrets[3]);
	assert_string_equal(got.phone, secrets[4]);
	assert_string_equal(got.department, secrets[5]);
	store_user_fini(&got);
	OK(store_commit(f->st));
	free(login);
}

/* ---- group commit ------------------------------------------------------- */

#define GC_THREADS	8
#define GC_TX		40

struct gc_arg {
	struct store	*st;
	const char	*prefix;	/* unique per test run */
	const char	*counter;
	int		 t;
	int		 failures;	/* begin/op/commit errors (asserted in main) */
	int64_t		 seq[GC_TX];	/* audit seq of each committed tx, 0 if undone */
};

/* Every 5th transaction writes and is then rolled back; the rest commit. */
static void *
gc_thread(void *p)
{
	struct gc_arg *a = p;

	for (int i = 0; i < GC_TX; i++) {
		char key[96], val[32];
		struct store_audit au;
		int64_t n;

		memset(&au, 0, sizeof(au));
		(void)snprintf(key, sizeof(key), "%s:%d:%d", a->prefix, a->t, i);
		(void)snprintf(val, sizeof(val), "v%d.%d", a->t, i);
		au.at_us = 1700000000000000 + i;
		au.org = 1;
		au.action = (char *)"test.group_commit";
		au.item = key;
		au.detail = (char *)"{}";
		if (store_begin(a->st) != CS_OK) {
			a->failures++;
			continue;
		}
		if (store_meta_set(a->st, key, val) != CS_OK ||
		    store_counter_next(a->st, a->counter, &n) != CS_OK ||
		    store_audit_append(a->st, &au) != CS_OK) {
			a->failures++;
			store_rollback(a->st);
			continue;
		}
		if (i % 5 == 4) {
			store_rollback(a->st);
			continue;
		}
		if (store_commit(a->st) != CS_OK)
			a->failures++;
		else
			a->seq[i] = au.seq;
	}
	return NULL;
}

/*
 * Concurrent transactions share commits (store.c's group commit): every
 * committed one is there after a reopen, every rolled-back one left
 * nothing (not its meta row, not its counter step, not its audit entry,
 * though its group committed), and the audit chain has no gap.
 */
static void
test_group_commit(void **state)
{
	struct fx *f = *state;
	char *prefix = uniq("gc"), *counter = uniq("gc-counter");
	struct gc_arg args[GC_THREADS];
	pthread_t th[GC_THREADS];
	struct store_audit *v = NULL;
	int64_t lo = INT64_MAX, hi = 0, n;
	size_t nv = 0, committed = 0;

	uint64_t tx0, c0, tx1, c1;

	store_stats(f->st, &tx0, &c0);
	memset(args, 0, sizeof(args));
	for (int t = 0; t < GC_THREADS; t++) {
		args[t].st = f->st;
		args[t].prefix = prefix;
		args[t].counter = counter;
		args[t].t = t;
		assert_int_equal(pthread_create(&th[t], NULL, gc_thread, &args[t]), 0);
	}
	for (int t = 0; t < GC_THREADS; t++)
		assert_int_equal(pthread_join(th[t], NULL), 0);
	for (int t = 0; t < GC_THREADS; t++) {
		assert_int_equal(args[t].failures, 0);
		for (int i = 0; i < GC_TX; i++) {
			if (args[t].seq[i] == 0)
				continue;
			committed++;
			lo = args[t].seq[i] < lo ? args[t].seq[i] : lo;
			hi = args[t].seq[i] > hi ? args[t].seq[i] : hi;
		}
	}
	assert_int_equal(committed, GC_THREADS * GC_TX * 4 / 5);
	/* Transactions shared commits: fewer commits than transactions. */
	store_stats(f->st, &tx1, &c1);
	assert_int_equal(tx1 - tx0, GC_THREADS * GC_TX);
	print_message("group commit: %llu transactions, %llu commits\n",
	    (unsigned long long)(tx1 - tx0), (unsigned long long)(c1 - c0));
	assert_true(c1 - c0 < tx1 - tx0);

	reopen(f);
	OK(store_begin(f->st));
	for (int t = 0; t < GC_THREADS; t++) {
		for (int i = 0; i < GC_TX; i++) {
			char key[96], want[32], *got = NULL;

			(void)snprintf(key, sizeof(key), "%s:%d:%d", prefix, t, i);
			if (i % 5 == 4) {
				EXPECT(CS_ENOENT, store_meta_get(f->st, key, &got));
				continue;
			}
			(void)snprintf(want, sizeof(want), "v%d.%d", t, i);
			OK(store_meta_get(f->st, key, &got));
			assert_string_equal(got, want);
			free(got);
		}
	}
	/* The counter stepped once per committed transaction, no more. */
	OK(store_counter_next(f->st, counter, &n));
	assert_int_equal(n, (int64_t)committed + 1);
	/* The committed entries are consecutive and chained. */
	assert_int_equal(hi - lo + 1, (int64_t)committed);
	OK(store_audit_list(f->st, lo - 1, 0, (int)committed + 10, &v, &nv));
	assert_true(nv >= committed);
	for (size_t i = 0; i < committed; i++) {
		unsigned char h[32];

		assert_int_equal(v[i].seq, lo + (int64_t)i);
		assert_string_equal(v[i].action, "test.group_commit");
		store_audit_rehash(&v[i], h);
		assert_memory_equal(h, v[i].hash, 32);
		if (i > 0)
			assert_memory_equal(v[i].prev, v[i - 1].hash, 32);
	}
	store_audits_free(v, nv);
	store_rollback(f->st);
	free(prefix);
	free(counter);
}

/*
 * Snapshots (reads beside the writer): a snapshot sees what was committed,
 * its audit entries join the chain when it commits and vanish when it is
 * rolled back.  On a backend without readers it is a read transaction,
 * with the same answers.
 */
static void
test_snapshot(void **state)
{
	struct fx *f = *state;
	char *key = uniq("snap"), *got = NULL;
	struct store_audit a, *v = NULL;
	size_t n = 0;
	int64_t seq;

	OK(store_begin(f->st));
	OK(store_meta_set(f->st, key, "committed"));
	OK(store_commit(f->st));

	memset(&a, 0, sizeof(a));
	a.at_us = 1700000000000000;
	a.org = 1;
	a.action = (char *)"test.snapshot";
	a.item = key;
	a.detail = (char *)"{\"n\":1}";
	OK(store_begin_snapshot(f->st));
	EXPECT(CS_ESTORE, store_begin_snapshot(f->st));	/* nested */
	EXPECT(CS_ESTORE, store_begin(f->st));		/* a write inside it */
	OK(store_meta_get(f->st, key, &got));
	assert_string_equal(got, "committed");
	free(got);
	OK(store_audit_append(f->st, &a));
	OK(store_commit(f->st));

	/* Rolled back: its audit entry is not written. */
	a.detail = (char *)"{\"n\":2}";
	OK(store_begin_snapshot(f->st));
	OK(store_audit_append(f->st, &a));
	store_rollback(f->st);

	OK(store_begin(f->st));
	OK(store_audit_list(f->st, 0, 0, -1, &v, &n));
	seq = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].item != NULL && strcmp(v[i].item, key) == 0) {
			assert_int_equal(seq, 0);	/* exactly one */
			seq = v[i].seq;
			assert_string_equal(v[i].action, "test.snapshot");
			assert_string_equal(v[i].detail, "{\"n\":1}");
			if (i > 0)
				assert_memory_equal(v[i].prev, v[i - 1].hash, 32);
		}
	assert_true(seq > 0);
	store_audits_free(v, n);
	OK(store_commit(f->st));
	free(key);
}

/* A commit on a thread with no transaction is refused; a stray rollback is harmless. */
static void
test_tx_misuse(void **state)
{
	struct fx *f = *state;

	EXPECT(CS_ESTORE, store_commit(f->st));
	store_rollback(f->st);
	OK(store_begin(f->st));
	EXPECT(CS_ESTORE, store_begin(f->st));	/* nested */
	OK(store_commit(f->st));
	store_rollback(f->st);
}

/* ---- the statement tables against the engines ------------------------------ */

/*
 * Every registry statement is prepared when a store opens (or the open
 * fails); here each one's declared parameter count must be the engine's,
 * and a statement a dialect does without must be absent there.
 */
static void
check_statements(struct store *st)
{
	const struct store_engine *eng = store_engine_of(st);
	const struct store_stmt *s;
	const char *area;
	size_t idx;
	int n;

	assert_true(store_nstmt() > 50);
	for (size_t id = 0; id < store_nstmt(); id++) {
		s = store_stmt_at(id, &area, &idx);
		n = eng->nparams(store_ctx(st), id);
		if (store_stmt_sql(s, eng->dialect) == NULL)
			n = n == -1 ? (int)s->nparm : -2;
		if (n != (int)s->nparm)
			fail_msg("%s: statement %s %zu takes %d parameters, its table "
			    "says %u", eng->name, area, idx, n, s->nparm);
	}
}

static char **
columns(struct store *st, size_t *n)
{
	char **v = NULL;

	OK(store_engine_of(st)->columns(store_ctx(st), &v, n));
	qsort(v, *n, sizeof(*v), cmp_str);
	return v;
}

/*
 * On PostgreSQL (tests/pg/check.sh) a SQLite store beside it: every
 * statement prepares on both engines, and both schemas have the same
 * columns but for what stands in for SQLite's rowid and user_version.
 */
static void
test_statements_both_engines(void **state)
{
	static const char *const pg_only[] = { "report_path.ord",
	    "report_shares.ord", "schema_version.applied_us",
	    "schema_version.version" };
	struct fx *f = *state, *lite;
	char **a, **b;
	size_t na, nb, i = 0, j = 0;

	check_statements(f->st);
	if (store_engine_of(f->st)->dialect != STORE_PG)
		return;
	lite = xcalloc(1, sizeof(*lite));
	assert_int_equal(fx_tmp(lite), 0);
	open_store(lite);
	check_statements(lite->st);
	a = columns(f->st, &na);
	b = columns(lite->st, &nb);
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i], b[j]);

		if (c == 0) {
			i++;
			j++;
		} else if (c < 0 && bsearch(&a[i], pg_only, NPARM(pg_only),
		    sizeof(*pg_only), cmp_str) != NULL)
			i++;
		else
			fail_msg("column %s only on %s", c < 0 ? a[i] : b[j],
			    c < 0 ? "PostgreSQL" : "SQLite");
	}
	for (i = 0; i < na; i++)
		free(a[i]);
	for (j = 0; j < nb; j++)
		free(b[j]);
	free(a);
	free(b);
	(void)teardown((void **)&lite);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open_migrate_idempotent),
		T(test_tx_commit_rollback),
		T(test_meta_refdata),
		T(test_counters),
		T(test_orgs),
		T(test_users),
		T(test_tokens),
		T(test_reports),
		T(test_report_links),
		T(test_versions),
		T(test_report_candidates),
		T(test_audit_chain),
		T(test_group_commit),
		T(test_tx_misuse),
		T(test_snapshot),
		cmocka_unit_test(test_audit_canonical_unambiguous),
		T(test_pii_not_in_clear),
		T(test_statements_both_engines),
	};

	return cmocka_run_group_tests(tests, setup_keys, NULL);
}
