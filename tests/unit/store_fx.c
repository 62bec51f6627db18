/*
 * store_fx.c: the store tests' fixture (store_fx.h).
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
#include "store_fx.h"

const unsigned char store_fx_master[CS_KEY_BYTES] = {
	0x63, 0x69, 0x73, 0x68, 0x61, 0x72, 0x65, 0x2d, 0x73, 0x74, 0x6f,
	0x72, 0x65, 0x2d, 0x74, 0x65, 0x73, 0x74, 0x01, 0x02, 0x03, 0x04,
	0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e
};


const char *const sqlite_suffixes[4] = { "", "-wal", "-shm", "-journal" };


/* A name no earlier run or test used (for stores shared between tests). */
char *
uniq(const char *base)
{
	static unsigned long n;

	return xasprintf("%s-%ld-%lld-%lu", base, (long)getpid(),
	    (long long)cs_time_now_us(), n++);
}

int
setup_keys(void **state)
{
	(void)state;
	core_keys_init(store_fx_master);
	return 0;
}

void
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

void
reopen(struct fx *f)
{
	store_close(f->st);
	f->st = NULL;
	open_store(f);
}

/* A fresh SQLite file in a temporary directory of its own. */
int
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

int
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

int
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

int64_t
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
int64_t
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

int64_t
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

int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool
str_eq_or_null(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

