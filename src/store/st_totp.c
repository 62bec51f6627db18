/*
 * st_totp.c: the TOTP second factor — one row per user: the secret
 * (sealed at rest), whether it is confirmed, the last step accepted and
 * the unused recovery codes' hashes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_GET, Q_DEL_PENDING, Q_INSERT, Q_ACTIVATE, Q_STEP, Q_RECOVERY,
	Q_DELETE,
	Q__COUNT
};

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_GET] = { .nparm = 1, .sql =
	    "SELECT \"user\", secret, active, last_step, recovery, created_us,"
	    " confirmed_us FROM user_totp WHERE \"user\" = ?1" },
	[Q_DEL_PENDING] = { .nparm = 1, .sql =
	    "DELETE FROM user_totp WHERE \"user\" = ?1 AND active = 0" },
	[Q_INSERT] = { .nparm = 3, .sql =
	    "INSERT INTO user_totp(\"user\", secret, active, last_step, recovery,"
	    " created_us, confirmed_us) VALUES (?1, ?2, 0, 0, '[]', ?3, 0)" },
	[Q_ACTIVATE] = { .nparm = 4, .sql =
	    "UPDATE user_totp SET active = 1, last_step = ?2, recovery = ?3,"
	    " confirmed_us = ?4 WHERE \"user\" = ?1 AND active = 0" },
	/* The replay guard: only a later step moves it. */
	[Q_STEP] = { .nparm = 2, .sql =
	    "UPDATE user_totp SET last_step = ?2 WHERE \"user\" = ?1"
	    " AND active = 1 AND last_step < ?2" },
	[Q_RECOVERY] = { .nparm = 3, .sql =
	    "UPDATE user_totp SET recovery = ?3 WHERE \"user\" = ?1"
	    " AND active = 1 AND recovery = ?2" },
	[Q_DELETE] = { .nparm = 1, .sql =
	    "DELETE FROM user_totp WHERE \"user\" = ?1" },
};

struct store_area st_totp_area = { "totp", stmts, Q__COUNT, 0 };
#define A	(&st_totp_area)

#define T_(f, t)	COL(struct store_totp, f, t)
static const struct store_col totp_cols[] = {
	T_(user, CT_I64), T_(secret, CT_SEALED_NN), T_(active, CT_BOOL),
	T_(last_step, CT_I64), T_(recovery, CT_TEXT_NN), T_(created_us, CT_I64),
	T_(confirmed_us, CT_I64),
};
static const struct store_codec totp_codec = CODEC(struct store_totp, totp_cols);

ST_DEFINE_GET(store_totp_get, struct store_totp, A, Q_GET, &totp_codec)
ST_DEFINE_FINI(store_totp_fini, struct store_totp, &totp_codec)

enum cs_err
store_totp_put(struct store *st, const struct store_totp *t)
{
	enum cs_err rc;

	if ((rc = st_run(st, A, Q_DEL_PENDING, PARMS(P_INT(t->user)))) != CS_OK)
		return rc;
	return st_insert(st, A, Q_INSERT, PARMS(P_INT(t->user),
	    P_SEALED(t->secret), P_INT(t->created_us)), NULL);
}

enum cs_err
store_totp_activate(struct store *st, int64_t user, int64_t step,
    const char *recovery, int64_t at)
{
	return st_update(st, A, Q_ACTIVATE, PARMS(P_INT(user), P_INT(step),
	    P_TEXT(recovery), P_INT(at)));
}

enum cs_err
store_totp_use_step(struct store *st, int64_t user, int64_t step)
{
	return st_update(st, A, Q_STEP, PARMS(P_INT(user), P_INT(step)));
}

enum cs_err
store_totp_set_recovery(struct store *st, int64_t user, const char *old,
    const char *recovery)
{
	return st_update(st, A, Q_RECOVERY, PARMS(P_INT(user), P_TEXT(old),
	    P_TEXT(recovery)));
}

enum cs_err
store_totp_delete(struct store *st, int64_t user)
{
	return st_run(st, A, Q_DELETE, PARMS(P_INT(user)));
}
