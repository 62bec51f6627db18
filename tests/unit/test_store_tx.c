/*
 * test_store_tx.c: the store's contract, continued (test_store.c has the
 * records): open and migrate (idempotent), transactions, the audit hash
 * chain, group commit under concurrent transactions, snapshots (and cached
 * ones, which run no statement), misuse of
 * commit and rollback, that directory PII never reaches the SQLite file
 * in clear, and the statement tables against the engines: every statement
 * prepares with the parameter count its table declares, and (on
 * PostgreSQL, beside a SQLite store) both schemas have the same columns.
 * Run like test_store (CS_TEST_STORE_URL; tests/pg/check.sh).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_int.h"
#include "store_fx.h"


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

/* ---- audit ------------------------------------------------------------- */

/*
 * Inside a transaction an entry is chained at its group's commit: its
 * seq, prev and hash, read back (the newest entry of the same time,
 * action and item: a database kept from an earlier run may hold its
 * twin), into *a.
 */
static void
audit_find(struct store *st, struct store_audit *a)
{
	struct store_audit *v = NULL;
	size_t n = 0;
	bool found = false;

	OK(store_begin(st));
	OK(store_audit_list(st, 0, a->at_us, -1, &v, &n));
	for (size_t i = 0; i < n; i++)
		if (v[i].at_us == a->at_us && strcmp(v[i].action, a->action) == 0 &&
		    str_eq_or_null(v[i].item, a->item)) {
			found = true;	/* ascending: the last is the newest */
			a->seq = v[i].seq;
			memcpy(a->prev, v[i].prev, 32);
			memcpy(a->hash, v[i].hash, 32);
		}
	assert_true(found);
	store_audits_free(v, n);
	OK(store_commit(st));
}

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
	assert_int_equal(in[5].seq, 0);		/* chained at the commit */
	OK(store_commit(f->st));
	for (int i = 0; i < 7; i++)
		audit_find(f->st, &in[i]);

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
	store_rollback(f->st);
	extra.at_us++;
	OK(store_begin(f->st));
	OK(store_audit_append(f->st, &extra));
	OK(store_commit(f->st));
	audit_find(f->st, &extra);
	assert_int_equal(extra.seq, in[6].seq + 1);
	assert_memory_equal(extra.prev, in[6].hash, 32);
	extra.at_us--;
	OK(store_begin(f->st));
	OK(store_audit_list(f->st, in[6].seq, extra.at_us, -1, &v, &n));
	for (size_t i = 0; i < n; i++)	/* the rolled-back one is not there */
		assert_false(v[i].at_us == extra.at_us &&
		    strcmp(v[i].action, extra.action) == 0);
	store_audits_free(v, n);
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

/*
 * The canonical text is exactly printf's "%lld|%lld|%lld|%lld|%zu:%s|%zu:%s|%zu:%s"
 * (the chains already stored were hashed over it): extreme numbers, empty
 * and absent fields, multibyte text.
 */
static void
test_audit_canonical_format(void **state)
{
	static const int64_t nums[] = { 0, 1, 9, 10, -1, -10, 1700000000000000,
	    INT64_MAX, INT64_MIN, 999999999999999999 };
	static const char *strs[] = { NULL, "", "report.read", "報告:7|x",
	    "{\"to\":[9]}" };
	struct store_audit a;
	unsigned char got[32], want[32];
	char *text;

	(void)state;
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++) {
			const char *s1 = strs[k], *s2 = strs[(k + 1) % 5],
			    *s3 = strs[(k + 2) % 5];

			memset(&a, 0, sizeof(a));
			a.seq = nums[i];
			a.at_us = nums[(i + 3) % 10];
			a.user = nums[(i + 5) % 10];
			a.org = nums[(i + 7) % 10];
			a.action = (char *)s1;
			a.item = (char *)s2;
			a.detail = (char *)s3;
			memset(a.prev, (int)i, sizeof(a.prev));
			text = xasprintf("%lld|%lld|%lld|%lld|%zu:%s|%zu:%s|%zu:%s",
			    (long long)a.seq, (long long)a.at_us,
			    (long long)a.user, (long long)a.org,
			    strlen(s1 ? s1 : ""), s1 ? s1 : "", strlen(s2 ? s2 : ""),
			    s2 ? s2 : "", strlen(s3 ? s3 : ""), s3 ? s3 : "");
			core_audit_hash(a.prev, text, want);
			free(text);
			store_audit_rehash(&a, got);
			assert_memory_equal(got, want, 32);
		}
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
			a->seq[i] = -1;	/* its seq: read back below */
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
	store_stats(f->st, &tx1, &c1);
	/* Each committed transaction's entry, by its item. */
	OK(store_begin(f->st));
	OK(store_audit_list(f->st, 0, 1700000000000000, -1, &v, &nv));
	for (size_t k = 0; k < nv; k++) {
		char *p, *q;
		long t, i;

		if (v[k].item == NULL || strncmp(v[k].item, prefix,
		    strlen(prefix)) != 0 || v[k].item[strlen(prefix)] != ':')
			continue;
		p = v[k].item + strlen(prefix) + 1;
		t = strtol(p, &q, 10);
		assert_true(q != p && *q == ':');
		i = strtol(q + 1, &p, 10);
		assert_true(*p == '\0');
		assert_true(t >= 0 && t < GC_THREADS && i >= 0 && i < GC_TX);
		assert_int_equal(args[t].seq[i], -1);	/* committed, once */
		args[t].seq[i] = v[k].seq;
	}
	store_audits_free(v, nv);
	v = NULL;
	nv = 0;
	OK(store_commit(f->st));
	for (int t = 0; t < GC_THREADS; t++) {
		assert_int_equal(args[t].failures, 0);
		for (int i = 0; i < GC_TX; i++) {
			if (args[t].seq[i] == 0)
				continue;
			assert_true(args[t].seq[i] > 0);
			committed++;
			lo = args[t].seq[i] < lo ? args[t].seq[i] : lo;
			hi = args[t].seq[i] > hi ? args[t].seq[i] : hi;
		}
	}
	assert_int_equal(committed, GC_THREADS * GC_TX * 4 / 5);
	/* Transactions shared commits: fewer commits than transactions. */
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

	/* The queued entry, written now (as before GET /audit). */
	OK(store_audit_flush(f->st));
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

	/* What is still queued when the store closes is written then. */
	a.detail = (char *)"{\"n\":3}";
	OK(store_begin_snapshot(f->st));
	OK(store_audit_append(f->st, &a));
	OK(store_commit(f->st));
	reopen(f);
	OK(store_begin(f->st));
	OK(store_audit_list(f->st, seq, 0, -1, &v, &n));
	seq = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].item != NULL && strcmp(v[i].item, key) == 0 &&
		    strcmp(v[i].detail, "{\"n\":3}") == 0)
			seq = v[i].seq;
	assert_true(seq > 0);
	store_audits_free(v, n);
	OK(store_commit(f->st));
	free(key);
}

/*
 * Cached snapshots (store_begin_cached): once a snapshot has read the
 * generations, one that runs no statement answers them while nothing is
 * committed; a statement fails and marks it missed; its audit entries join
 * the chain as a snapshot's.  Any commit ends it until a snapshot reads
 * them again: this store's, and another connection's (a second store on
 * the same database stands for another daemon).  PostgreSQL has no commit
 * stamp: never.
 */
static void
test_cached_snapshot(void **state)
{
	struct fx *f = *state;
	struct store *other = NULL;
	struct store_audit a, *v = NULL;
	struct cs_error e;
	char *key = uniq("cached"), *got = NULL;
	int64_t a1, d1, a2, d2;
	size_t n = 0;
	bool found = false;

	OK(store_begin_snapshot(f->st));
	OK(store_generations(f->st, &a1, &d1));
	OK(store_commit(f->st));
	if (f->path == NULL) {
		EXPECT(CS_ENOENT, store_begin_cached(f->st));
		free(key);
		return;
	}
	OK(store_begin_cached(f->st));
	assert_true(store_snapshot_active(f->st));
	EXPECT(CS_ESTORE, store_begin_cached(f->st));	/* nested */
	EXPECT(CS_ESTORE, store_begin(f->st));
	OK(store_generations(f->st, &a2, &d2));
	assert_true(a1 == a2 && d1 == d2);
	assert_false(store_cached_missed(f->st));
	EXPECT(CS_ESTORE, store_meta_get(f->st, key, &got));
	assert_null(got);
	assert_true(store_cached_missed(f->st));
	store_rollback(f->st);
	assert_true(store_cached_missed(f->st));	/* until the next begin */

	/* Nothing committed: still known. */
	OK(store_begin_cached(f->st));
	assert_false(store_cached_missed(f->st));
	OK(store_commit(f->st));

	/* This store's commit ends it; a snapshot's read brings it back. */
	OK(store_begin(f->st));
	OK(store_meta_set(f->st, key, "one"));
	OK(store_commit(f->st));
	EXPECT(CS_ENOENT, store_begin_cached(f->st));
	OK(store_begin_snapshot(f->st));
	OK(store_generations(f->st, &a1, &d1));
	OK(store_commit(f->st));
	OK(store_begin_cached(f->st));
	OK(store_commit(f->st));

	/* Another connection's commit ends it too. */
	OK(store_open(f->url, false, &other, &e));
	OK(store_begin(other));
	OK(store_meta_set(other, key, "two"));
	OK(store_commit(other));
	EXPECT(CS_ENOENT, store_begin_cached(f->st));
	store_close(other);

	/* A cached read's audit entry is appended as a snapshot's. */
	OK(store_begin_snapshot(f->st));
	OK(store_generations(f->st, &a1, &d1));
	OK(store_commit(f->st));
	memset(&a, 0, sizeof(a));
	a.at_us = 1700000000000000;
	a.org = 1;
	a.action = (char *)"test.cached";
	a.item = key;
	OK(store_begin_cached(f->st));
	OK(store_audit_append(f->st, &a));
	OK(store_commit(f->st));
	OK(store_audit_flush(f->st));	/* what is queued, written */
	OK(store_begin(f->st));
	OK(store_audit_list(f->st, 0, 0, -1, &v, &n));
	for (size_t i = 0; i < n; i++)
		found |= v[i].item != NULL && strcmp(v[i].item, key) == 0 &&
		    strcmp(v[i].action, "test.cached") == 0;
	assert_true(found);
	store_audits_free(v, n);
	OK(store_commit(f->st));
	free(key);
}

/* Another daemon's writer: a transaction of kind `serial` on its own store. */
struct other {
	struct store	*st;
	bool		 serial;
	const char	*key;
	int64_t		 at_us;
	enum cs_err	 rc;
	atomic_bool	 done;
};

static void *
other_tx(void *p)
{
	struct other *o = p;
	struct store_audit a;

	memset(&a, 0, sizeof(a));
	a.at_us = o->at_us;
	a.org = 1;
	a.action = (char *)"test.other";
	a.item = (char *)o->key;
	if ((o->rc = o->serial ? store_begin(o->st) :
	    store_begin_add(o->st)) == CS_OK) {
		if ((o->rc = store_meta_set(o->st, o->key, "other")) == CS_OK &&
		    (o->rc = store_audit_append(o->st, &a)) == CS_OK)
			o->rc = store_commit(o->st);
		else
			store_rollback(o->st);
	}
	atomic_store(&o->done, true);
	return NULL;
}

/* Has o finished within ms milliseconds? */
static bool
other_done_within(struct other *o, int ms)
{
	for (int i = 0; i < ms / 10 && !atomic_load(&o->done); i++)
		usleep(10000);
	return atomic_load(&o->done);
}

/*
 * Two daemons on one PostgreSQL database (two stores here): a
 * store_begin_add() transaction runs beside the other's open transaction
 * and waits only for its audit append (the chain's lock, taken just
 * before the commit); a store_begin() transaction holds that lock from its
 * start, so the other's append waits for its commit.  The chain stays
 * whole either way.  SQLite has one writer at a time: skipped.
 */
static void
test_parallel_writers(void **state)
{
	struct fx *f = *state;
	struct store *two = NULL;
	struct store_audit a, *v = NULL;
	struct other o;
	struct cs_error e;
	pthread_t th;
	char *key = uniq("par"), *k1 = uniq("par-other"), *k2 = uniq("par-serial");
	char *got = NULL;
	size_t n = 0;
	int found = 0;

	if (f->path != NULL) {
		print_message("a SQLite store (one writer): skipped\n");
		free(key);
		free(k1);
		free(k2);
		skip();
	}
	cs_error_clear(&e);
	OK(store_open(f->url, false, &two, &e));
	memset(&a, 0, sizeof(a));
	a.at_us = 1700000000000000;
	a.org = 1;
	a.action = (char *)"test.parallel";
	a.item = key;

	/* 1. Ours adds and is still open: theirs (adding) commits meanwhile. */
	OK(store_begin_add(f->st));
	OK(store_meta_set(f->st, key, "ours"));
	OK(store_meta_get(f->st, key, &got));	/* sent and run */
	free(got);
	OK(store_audit_append(f->st, &a));
	memset(&o, 0, sizeof(o));
	o.st = two;
	o.key = k1;
	o.at_us = a.at_us + 1;
	assert_int_equal(pthread_create(&th, NULL, other_tx, &o), 0);
	assert_true(other_done_within(&o, 5000));
	assert_int_equal(pthread_join(th, NULL), 0);
	OK(o.rc);
	OK(store_commit(f->st));

	/* 2. Ours is serial (reads, decides, writes): theirs waits for it. */
	OK(store_begin(f->st));
	OK(store_meta_get(f->st, key, &got));	/* the lock is taken */
	free(got);
	memset(&o, 0, sizeof(o));
	o.st = two;
	o.key = k2;
	o.at_us = a.at_us + 2;
	assert_int_equal(pthread_create(&th, NULL, other_tx, &o), 0);
	assert_false(other_done_within(&o, 500));
	OK(store_meta_set(f->st, key, "ours again"));
	OK(store_commit(f->st));
	assert_int_equal(pthread_join(th, NULL), 0);
	OK(o.rc);

	/* The chain holds all three, consecutive and chained. */
	OK(store_begin(f->st));
	OK(store_audit_list(f->st, 0, a.at_us, -1, &v, &n));
	for (size_t i = 0; i < n; i++) {
		unsigned char h[32];

		if (v[i].item == NULL || (strcmp(v[i].item, key) != 0 &&
		    strcmp(v[i].item, k1) != 0 && strcmp(v[i].item, k2) != 0))
			continue;
		found++;
		store_audit_rehash(&v[i], h);
		assert_memory_equal(h, v[i].hash, 32);
		if (i > 0) {
			assert_int_equal(v[i].seq, v[i - 1].seq + 1);
			assert_memory_equal(v[i].prev, v[i - 1].hash, 32);
		}
	}
	assert_int_equal(found, 3);
	store_audits_free(v, n);
	OK(store_commit(f->st));
	store_close(two);
	free(key);
	free(k1);
	free(k2);
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
 * columns but for what stands in for SQLite's rowid and user_version
 * (and SQLite's FTS5 index, search_fts, with its indexer's list,
 * search_pending: PostgreSQL's is pg_trgm's, with GIN's own list).
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
		else if (c > 0 && (strncmp(b[j], "search_fts", 10) == 0 ||
		    strncmp(b[j], "search_pending.", 15) == 0))
			j++;	/* SQLite's FTS5 index, its shadow tables, its list */
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

/*
 * A durable transaction commits with synchronous = FULL, a read batch with
 * NORMAL, and a durable one after it with FULL again (the level once stayed
 * NORMAL: SQLite applies that pragma when it is prepared, not when a
 * prepared one is stepped again).
 */
static void
test_durability_level(void **state)
{
	struct fx *f = *state;
	const struct store_engine *eng = store_engine_of(f->st);
	char *key;

	if (eng->sync_level == NULL)
		skip();		/* PostgreSQL: every commit is durable */
	key = uniq("sync");
	for (int round = 0; round < 3; round++) {
		OK(store_begin(f->st));
		assert_int_equal(eng->sync_level(store_ctx(f->st)), 2);
		OK(store_meta_set(f->st, key, "durable"));
		OK(store_commit(f->st));
		OK(store_begin_read(f->st));
		assert_int_equal(eng->sync_level(store_ctx(f->st)), 1);
		OK(store_commit(f->st));
	}
	free(key);
}

/*
 * SQLite: the WAL stays bounded under back-to-back write transactions
 * (the checkpointer beside the writer is always behind its last commits,
 * so SQLite never restarted the WAL: it grew by every frame written, ~1 GB
 * in a 10 s intake run).  ~60 MiB through the WAL: it ends below 36 MiB
 * (at most 8192 frames of 4 KiB and a transaction's own).
 */
static void
test_wal_bounded(void **state)
{
	struct fx *f = *state;
	char *val, key[64], *wal;
	struct stat sb;

	if (f->path == NULL)
		skip();
	val = xmalloc(8193);
	memset(val, 'w', 8192);
	val[8192] = '\0';
	for (int t = 0; t < 150; t++) {
		OK(store_begin(f->st));
		for (int i = 0; i < 50; i++) {
			cs_fmt(key, sizeof(key), "wal-%d-%d", t, i);
			OK(store_meta_set(f->st, key, val));
		}
		OK(store_commit(f->st));
	}
	wal = xasprintf("%s-wal", f->path);
	assert_int_equal(stat(wal, &sb), 0);
	if (sb.st_size >= 36 << 20)
		fail_msg("WAL %lld bytes after 150 transactions", (long long)sb.st_size);
	free(wal);
	free(val);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open_migrate_idempotent),
		T(test_tx_commit_rollback),
		T(test_audit_chain),
		T(test_group_commit),
		T(test_tx_misuse),
		T(test_snapshot),
		T(test_cached_snapshot),
		T(test_parallel_writers),
		T(test_durability_level),
		T(test_wal_bounded),
		cmocka_unit_test(test_audit_canonical_unambiguous),
		cmocka_unit_test(test_audit_canonical_format),
		T(test_pii_not_in_clear),
		T(test_statements_both_engines),
	};

	return cmocka_run_group_tests(tests, setup_keys, NULL);
}
