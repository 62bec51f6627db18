/*
 * store_fx.h: what the store's unit tests share (test_store.c: records;
 * test_store_tx.c: transactions, the audit chain, encryption at rest, the
 * statement tables): one store per test, named by CS_TEST_STORE_URL or a
 * fresh SQLite file, and small builders of rows.
 */
#ifndef CS_TEST_STORE_FX_H
#define CS_TEST_STORE_FX_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

extern const unsigned char store_fx_master[CS_KEY_BYTES];
/* The files of a SQLite database: the main file, WAL, shared memory, journal. */
extern const char *const sqlite_suffixes[4];

/* One test's store. */
struct fx {
	struct store	*st;
	char		*url;
	char		*path;		/* SQLite file, or NULL */
	char		 dir[64];	/* our temporary directory, or "" */
};

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
char	*uniq(const char *base);
int	 setup_keys(void **state);
void	 open_store(struct fx *);
void	 reopen(struct fx *);
/* A fresh SQLite file in a temporary directory of its own. */
int	 fx_tmp(struct fx *);
int	 setup(void **state);
int	 teardown(void **state);
int64_t	 add_org(struct store *, enum cs_org_type, uint32_t sectors, const char *name);
/* A user whose login is `base` made unique (logins are unique per store). */
int64_t	 add_user(struct store *, int64_t org, const char *base);
int64_t	 add_report(struct store *, int64_t submitter, bool anonymised);
int	 cmp_str(const void *, const void *);
bool	 str_eq_or_null(const char *, const char *);

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

#endif
