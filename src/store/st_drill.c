/*
 * st_drill.c: CEPTOAR drills — a drill (its scenario, targets and start)
 * and the reports and advisories that belong to it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_DRILL_INSERT, Q_DRILL_GET, Q_DRILL_LIST, Q_DRILL_ITEM_ADD, Q_DRILL_OF,
	Q_DRILL_ITEMS,
	Q__COUNT
};

#define DRILL_COLS	"id, name, scenario, targets, starts_us, by_org, by_user," \
			" created_us"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_DRILL_INSERT] = { .returning = "id", .nparm = 7, .sql =
	    "INSERT INTO drills(name, scenario, targets, starts_us, by_org,"
	    " by_user, created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)" },
	[Q_DRILL_GET] = { .nparm = 1, .sql =
	    "SELECT " DRILL_COLS " FROM drills WHERE id = ?1" },
	[Q_DRILL_LIST] = { .nparm = 1, .sql =
	    "SELECT " DRILL_COLS " FROM drills ORDER BY id DESC LIMIT ?1" },
	[Q_DRILL_ITEM_ADD] = { .nparm = 3, .sql =
	    "INSERT INTO drill_items(drill, kind, item) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT DO NOTHING" },
	[Q_DRILL_OF] = { .nparm = 2, .sql =
	    "SELECT drill FROM drill_items WHERE kind = ?1 AND item = ?2" },
	[Q_DRILL_ITEMS] = { .nparm = 2, .sql =
	    "SELECT item FROM drill_items WHERE drill = ?1 AND kind = ?2"
	    " ORDER BY item" },
};

struct store_area st_drill_area = { "drill", stmts, Q__COUNT, 0 };
#define A	(&st_drill_area)

#define D_(f, t)	COL(struct store_drill, f, t)
static const struct store_col drill_cols[] = {
	D_(id, CT_I64), D_(name, CT_TEXT), D_(scenario, CT_TEXT),
	D_(targets, CT_TEXT), D_(starts_us, CT_I64), D_(by_org, CT_I64),
	D_(by_user, CT_I64), D_(created_us, CT_I64),
};
static const struct store_codec drill_codec = CODEC(struct store_drill, drill_cols);

enum cs_err
store_drill_insert(struct store *st, struct store_drill *d)
{
	return st_insert(st, A, Q_DRILL_INSERT, PARMS(P_TEXT(d->name),
	    P_TEXT(d->scenario), P_TEXT(d->targets), P_INT(d->starts_us),
	    P_INT(d->by_org), P_INT(d->by_user), P_INT(d->created_us)), &d->id);
}

ST_DEFINE_GET(store_drill_get, struct store_drill, A, Q_DRILL_GET, &drill_codec)
ST_DEFINE_FINI(store_drill_fini, struct store_drill, &drill_codec)
ST_DEFINE_FREE(store_drills_free, struct store_drill, &drill_codec)

enum cs_err
store_drill_list(struct store *st, int limit, struct store_drill **v, size_t *n)
{
	return st_list(st, A, Q_DRILL_LIST, PARMS(P_LIMIT(limit)), &drill_codec,
	    v, n);
}

enum cs_err
store_drill_item_add(struct store *st, int64_t drill, int kind, int64_t item)
{
	return st_run(st, A, Q_DRILL_ITEM_ADD, PARMS(P_INT(drill), P_INT(kind),
	    P_INT(item)));
}

void
store_drill_prefetch(struct store *st, int kind, const int64_t *items,
    size_t n)
{
	for (size_t i = 0; i < n; i++)
		st_prefetch(st, A, Q_DRILL_OF, PARMS(P_INT(kind), P_INT(items[i])));
}

enum cs_err
store_drill_of(struct store *st, int kind, int64_t item, int64_t *drill)
{
	int64_t *v = NULL;
	size_t n = 0;
	enum cs_err rc;

	*drill = 0;
	if ((rc = st_list(st, A, Q_DRILL_OF, PARMS(P_INT(kind), P_INT(item)),
	    &store_i64_codec, &v, &n)) != CS_OK)
		return rc;
	if (n > 0)
		*drill = v[0];
	free(v);
	return CS_OK;
}

enum cs_err
store_drill_items(struct store *st, int64_t drill, int kind, int64_t **v,
    size_t *n)
{
	return st_list(st, A, Q_DRILL_ITEMS, PARMS(P_INT(drill), P_INT(kind)),
	    &store_i64_codec, v, n);
}
