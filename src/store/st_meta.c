/*
 * st_meta.c: meta, reference data and counters.
 */
#include <stdlib.h>

#include "store/store_int.h"

enum {
	Q_META_GET, Q_META_SET, Q_REF_PUT, Q_REF_GET, Q_COUNTER_NEXT,
	Q__COUNT
};

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_META_GET] = { .nparm = 1, .sql =
	    "SELECT value FROM meta WHERE key = ?1" },
	[Q_META_SET] = { .nparm = 2, .sql =
	    "INSERT INTO meta(key, value) VALUES (?1, ?2)"
	    " ON CONFLICT (key) DO UPDATE SET value = excluded.value" },
	[Q_REF_PUT] = { .nparm = 2, .sql =
	    "INSERT INTO refdata(name, json) VALUES (?1, ?2)"
	    " ON CONFLICT (name) DO UPDATE SET json = excluded.json" },
	[Q_REF_GET] = { .nparm = 1, .sql =
	    "SELECT json FROM refdata WHERE name = ?1" },
	/*
	 * One atomic upsert: on PostgreSQL the row lock it takes is held to
	 * commit, so numbers are handed out in commit order without gaps.
	 */
	[Q_COUNTER_NEXT] = { .nparm = 1, .sql =
	    "INSERT INTO counters(name, value) VALUES (?1, 1)"
	    " ON CONFLICT (name) DO UPDATE SET value = counters.value + 1"
	    " RETURNING value" },
};

struct store_area st_meta_area = { "meta", stmts, Q__COUNT, 0 };
#define A	(&st_meta_area)

struct text1 {
	char	*v;
};

static const struct store_col text1_cols[] = {
	COL(struct text1, v, CT_TEXT),
};
static const struct store_codec text1 = CODEC(struct text1, text1_cols);

static enum cs_err
get_text(struct store *st, int q, const char *key, char **val)
{
	struct store_parm p[] = { P_TEXT(key) };
	struct text1 t;
	enum cs_err rc;

	if ((rc = st_get(st, A, q, p, NPARM(p), &text1, &t)) == CS_OK)
		*val = t.v;
	return rc;
}

static enum cs_err
put_text(struct store *st, int q, const char *a, const char *b)
{
	struct store_parm p[] = { P_TEXT(a), P_TEXT(b) };

	return st_run(st, A, q, p, NPARM(p));
}

enum cs_err
store_meta_get(struct store *st, const char *k, char **v)
{
	return get_text(st, Q_META_GET, k, v);
}

enum cs_err
store_meta_set(struct store *st, const char *k, const char *v)
{
	return put_text(st, Q_META_SET, k, v);
}

enum cs_err
store_ref_put(struct store *st, const char *name, const char *json)
{
	return put_text(st, Q_REF_PUT, name, json);
}

enum cs_err
store_ref_get(struct store *st, const char *name, char **json)
{
	return get_text(st, Q_REF_GET, name, json);
}

enum cs_err
store_counter_next(struct store *st, const char *name, int64_t *v)
{
	struct store_parm p[] = { P_TEXT(name) };
	enum cs_err rc;

	/* No row back cannot happen (an upsert): that would be a store error. */
	if ((rc = st_insert(st, A, Q_COUNTER_NEXT, p, NPARM(p), v)) == CS_ECONFLICT)
		rc = CS_ESTORE;
	return rc;
}
