/*
 * st_widening.c: requests to widen a report's TLP or sectors, and their
 * answers.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_INSERT, Q_UPDATE, Q_GET, Q_LIST,
	Q__COUNT
};

#define WIDEN_COLS	"id, report, tlp, sectors, reason, state, by_user, by_org," \
			" created_us, decided_us, decided_by_org, decided_by_user"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_INSERT] = { .nparm = 8, .sql =
	    "INSERT INTO widening_requests(report, tlp, sectors, reason, state,"
	    " by_user, by_org, created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " RETURNING id" },
	[Q_UPDATE] = { .nparm = 5, .sql =
	    "UPDATE widening_requests SET state = ?2, decided_us = ?3,"
	    " decided_by_org = ?4, decided_by_user = ?5 WHERE id = ?1" },
	[Q_GET] = { .nparm = 1, .sql =
	    "SELECT " WIDEN_COLS " FROM widening_requests WHERE id = ?1" },
	[Q_LIST] = { .nparm = 3, .sql =
	    "SELECT " WIDEN_COLS " FROM widening_requests"
	    " WHERE (CAST(?1 AS bigint) = 0 OR report = CAST(?1 AS bigint))"
	    " AND id > ?2 ORDER BY id LIMIT ?3" },
};

struct store_area st_widening_area = { "widening", stmts, Q__COUNT, 0 };
#define A	(&st_widening_area)

#define W_(f, t)	COL(struct store_widening, f, t)
static const struct store_col widening_cols[] = {
	W_(id, CT_I64), W_(report, CT_I64), W_(tlp, CT_INT), W_(sectors, CT_U32),
	W_(reason, CT_TEXT), W_(state, CT_INT), W_(by_user, CT_I64),
	W_(by_org, CT_I64), W_(created_us, CT_I64), W_(decided_us, CT_I64),
	W_(decided_by_org, CT_I64), W_(decided_by_user, CT_I64),
};
static const struct store_codec widening_codec = CODEC(struct store_widening,
    widening_cols);

enum cs_err
store_widening_insert(struct store *st, struct store_widening *w)
{
	struct store_parm p[] = {
		P_INT(w->report), P_INT(w->tlp), P_INT(w->sectors), P_TEXT(w->reason),
		P_INT(w->state), P_INT(w->by_user), P_INT(w->by_org),
		P_INT(w->created_us),
	};

	return st_insert(st, A, Q_INSERT, p, NPARM(p), &w->id);
}

enum cs_err
store_widening_update(struct store *st, const struct store_widening *w)
{
	struct store_parm p[] = {
		P_INT(w->id), P_INT(w->state), P_ID(w->decided_us),
		P_ID(w->decided_by_org), P_ID(w->decided_by_user),
	};

	return st_run(st, A, Q_UPDATE, p, NPARM(p));
}

enum cs_err
store_widening_get(struct store *st, int64_t id, struct store_widening *w)
{
	struct store_parm p[] = { P_INT(id) };

	return st_get(st, A, Q_GET, p, NPARM(p), &widening_codec, w);
}

enum cs_err
store_widening_list(struct store *st, int64_t report, int64_t after, int limit,
    struct store_widening **v, size_t *n)
{
	struct store_parm p[] = { P_INT(report), P_INT(after), P_LIMIT(limit) };

	return st_list(st, A, Q_LIST, p, NPARM(p), &widening_codec, v, n);
}

void
store_widening_fini(struct store_widening *w)
{
	if (w == NULL)
		return;
	free(w->reason);
	memset(w, 0, sizeof(*w));
}

void
store_widenings_free(struct store_widening *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_widening_fini(&v[i]);
	free(v);
}
