/*
 * st_risk.c: the risk-management workspace of an operator (issue 14,
 * item 4) — one workspace row per organisation (profile, matrix,
 * checklist answers, the organisations it is shared with) and its risk
 * register, each risk a JSON record with its score kept beside it for the
 * order.  The rules are svc's and analysis/risk.c's; this file only keeps
 * records.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_WS_GET, Q_WS_PUT, Q_WS_LIST,
	Q_RISK_INSERT, Q_RISK_GET, Q_RISK_LIST, Q_RISK_UPDATE, Q_RISK_COUNT,
	Q__COUNT
};

#define WS_COLS		"org, profile, matrix, checks, shared, updated_us, by_user"
#define RISK_COLS	"id, org, data, score, archived, created_us, updated_us," \
			" by_user"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_WS_GET] = { .nparm = 1, .sql =
	    "SELECT " WS_COLS " FROM risk_workspaces WHERE org = ?1" },
	[Q_WS_PUT] = { .nparm = 7, .sql =
	    "INSERT INTO risk_workspaces(" WS_COLS ")"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(org) DO UPDATE SET"
	    " profile = excluded.profile, matrix = excluded.matrix,"
	    " checks = excluded.checks, shared = excluded.shared,"
	    " updated_us = excluded.updated_us, by_user = excluded.by_user" },
	[Q_WS_LIST] = { .nparm = 1, .sql =
	    "SELECT " WS_COLS " FROM risk_workspaces ORDER BY org LIMIT ?1" },
	[Q_RISK_INSERT] = { .returning = "id", .nparm = 6, .sql =
	    "INSERT INTO risks(org, data, score, archived, created_us,"
	    " updated_us, by_user) VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6)" },
	[Q_RISK_GET] = { .nparm = 1, .sql =
	    "SELECT " RISK_COLS " FROM risks WHERE id = ?1" },
	/* The register: highest score first, open before archived. */
	[Q_RISK_LIST] = { .nparm = 3, .sql =
	    "SELECT " RISK_COLS " FROM risks WHERE org = ?1 AND archived <= ?2"
	    " ORDER BY archived, score DESC, id LIMIT ?3" },
	[Q_RISK_UPDATE] = { .nparm = 6, .sql =
	    "UPDATE risks SET data = ?2, score = ?3, archived = ?4,"
	    " updated_us = ?5, by_user = ?6 WHERE id = ?1" },
	[Q_RISK_COUNT] = { .nparm = 1, .sql =
	    "SELECT COUNT(*) FROM risks WHERE org = ?1" },
};

struct store_area st_risk_area = { "risk", stmts, Q__COUNT, 0 };
#define A	(&st_risk_area)

#define W_(f, t)	COL(struct store_risk_ws, f, t)
static const struct store_col ws_cols[] = {
	W_(org, CT_I64), W_(profile, CT_TEXT), W_(matrix, CT_TEXT),
	W_(checks, CT_TEXT), W_(shared, CT_TEXT), W_(updated_us, CT_I64),
	W_(by_user, CT_I64),
};
static const struct store_codec ws_codec = CODEC(struct store_risk_ws, ws_cols);

#define R_(f, t)	COL(struct store_risk, f, t)
static const struct store_col risk_cols[] = {
	R_(id, CT_I64), R_(org, CT_I64), R_(data, CT_TEXT), R_(score, CT_INT),
	R_(archived, CT_BOOL), R_(created_us, CT_I64), R_(updated_us, CT_I64),
	R_(by_user, CT_I64),
};
static const struct store_codec risk_codec = CODEC(struct store_risk, risk_cols);

struct risk_count {
	int64_t		 n;
};
static const struct store_col count_cols[] = {
	COL(struct risk_count, n, CT_I64),
};
static const struct store_codec count_codec = CODEC(struct risk_count,
    count_cols);

enum cs_err
store_risk_ws_get(struct store *st, int64_t org, struct store_risk_ws *w)
{
	return st_get(st, A, Q_WS_GET, PARMS(P_INT(org)), &ws_codec, w);
}

enum cs_err
store_risk_ws_put(struct store *st, const struct store_risk_ws *w)
{
	return st_run(st, A, Q_WS_PUT, PARMS(P_INT(w->org), P_TEXT(w->profile),
	    P_TEXT(w->matrix), P_TEXT(w->checks), P_TEXT(w->shared),
	    P_INT(w->updated_us), P_INT(w->by_user)));
}

enum cs_err
store_risk_ws_list(struct store *st, int limit, struct store_risk_ws **v,
    size_t *n)
{
	return st_list(st, A, Q_WS_LIST, PARMS(P_LIMIT(limit)), &ws_codec, v, n);
}

ST_DEFINE_FINI(store_risk_ws_fini, struct store_risk_ws, &ws_codec)
ST_DEFINE_FREE(store_risk_wss_free, struct store_risk_ws, &ws_codec)

enum cs_err
store_risk_insert(struct store *st, struct store_risk *r)
{
	return st_insert(st, A, Q_RISK_INSERT, PARMS(P_INT(r->org),
	    P_TEXT(r->data), P_INT(r->score), P_INT(r->created_us),
	    P_INT(r->updated_us), P_INT(r->by_user)), &r->id);
}

ST_DEFINE_GET(store_risk_get, struct store_risk, A, Q_RISK_GET, &risk_codec)
ST_DEFINE_FINI(store_risk_fini, struct store_risk, &risk_codec)
ST_DEFINE_FREE(store_risks_free, struct store_risk, &risk_codec)

enum cs_err
store_risk_list(struct store *st, int64_t org, bool archived, int limit,
    struct store_risk **v, size_t *n)
{
	return st_list(st, A, Q_RISK_LIST, PARMS(P_INT(org), P_INT(archived ? 1 :
	    0), P_LIMIT(limit)), &risk_codec, v, n);
}

enum cs_err
store_risk_update(struct store *st, const struct store_risk *r)
{
	return st_update(st, A, Q_RISK_UPDATE, PARMS(P_INT(r->id), P_TEXT(r->data),
	    P_INT(r->score), P_INT(r->archived ? 1 : 0), P_INT(r->updated_us),
	    P_INT(r->by_user)));
}

enum cs_err
store_risk_count(struct store *st, int64_t org, int64_t *n)
{
	struct risk_count c;
	enum cs_err rc;

	*n = 0;
	if ((rc = st_get(st, A, Q_RISK_COUNT, PARMS(P_INT(org)), &count_codec,
	    &c)) != CS_OK)
		return rc == CS_ENOENT ? CS_OK : rc;
	*n = c.n;
	return CS_OK;
}
