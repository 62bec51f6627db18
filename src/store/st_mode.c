/*
 * st_mode.c: operating modes (the large-scale-incident system of 別紙４－２:
 * who declared it, why, for which sectors, when it ended) and the
 * situation board's updates filed while one is active.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_MODE_INSERT, Q_MODE_END, Q_MODE_CURRENT, Q_MODE_LIST,
	Q_SIT_INSERT, Q_SIT_LIST, Q_LS_CANDIDATES,
	Q__COUNT
};

#define MODE_COLS	"id, kind, cause, sectors, declared_us, declared_by_org," \
			" declared_by_user, ended_us, ended_by_user"
#define SIT_COLS	"id, mode, sector, kind, text, services_down," \
			" restoration, by_org, by_user, at_us"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_MODE_INSERT] = { .returning = "id", .nparm = 6, .sql =
	    "INSERT INTO modes(kind, cause, sectors, declared_us,"
	    " declared_by_org, declared_by_user)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },
	/* Ends it once: a second end changes no row. */
	[Q_MODE_END] = { .nparm = 3, .sql =
	    "UPDATE modes SET ended_us = ?2, ended_by_user = ?3"
	    " WHERE id = ?1 AND ended_us IS NULL" },
	[Q_MODE_CURRENT] = { .nparm = 1, .sql =
	    "SELECT " MODE_COLS " FROM modes WHERE kind = ?1"
	    " AND ended_us IS NULL ORDER BY id DESC LIMIT 1" },
	[Q_MODE_LIST] = { .nparm = 1, .sql =
	    "SELECT " MODE_COLS " FROM modes ORDER BY id DESC LIMIT ?1" },
	[Q_SIT_INSERT] = { .returning = "id", .nparm = 9, .sql =
	    "INSERT INTO situation(mode, sector, kind, text, services_down,"
	    " restoration, by_org, by_user, at_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)" },
	/* Reports an organisation of type ?3 (NISC) holds, in the sectors ?4. */
	[Q_LS_CANDIDATES] = { .nparm = 4, .sql =
	    "SELECT DISTINCT report FROM report_path WHERE org_type = ?3"
	    " AND report < ?1 AND ((CAST(?4 AS bigint) >> sector) & 1) = 1"
	    " ORDER BY report DESC LIMIT ?2" },
	[Q_SIT_LIST] = { .nparm = 2, .sql =
	    "SELECT " SIT_COLS " FROM situation WHERE mode = ?1"
	    " ORDER BY at_us DESC, id DESC LIMIT ?2" },
};

struct store_area st_mode_area = { "mode", stmts, Q__COUNT, 0 };
#define A	(&st_mode_area)

#define M_(f, t)	COL(struct store_mode, f, t)
static const struct store_col mode_cols[] = {
	M_(id, CT_I64), M_(kind, CT_INT), M_(cause, CT_INT), M_(sectors, CT_U32),
	M_(declared_us, CT_I64), M_(declared_by_org, CT_I64),
	M_(declared_by_user, CT_I64), M_(ended_us, CT_I64),
	M_(ended_by_user, CT_I64),
};
static const struct store_codec mode_codec = CODEC(struct store_mode, mode_cols);

#define S_(f, t)	COL(struct store_situation, f, t)
static const struct store_col sit_cols[] = {
	S_(id, CT_I64), S_(mode, CT_I64), S_(sector, CT_INT), S_(kind, CT_INT),
	S_(text, CT_TEXT), S_(services_down, CT_TEXT), S_(restoration, CT_TEXT),
	S_(by_org, CT_I64), S_(by_user, CT_I64), S_(at_us, CT_I64),
};
static const struct store_codec sit_codec = CODEC(struct store_situation, sit_cols);

enum cs_err
store_mode_insert(struct store *st, struct store_mode *m)
{
	return st_insert(st, A, Q_MODE_INSERT, PARMS(P_INT(m->kind),
	    P_INT(m->cause), P_INT(m->sectors), P_INT(m->declared_us),
	    P_INT(m->declared_by_org), P_INT(m->declared_by_user)), &m->id);
}

enum cs_err
store_mode_end(struct store *st, int64_t id, int64_t at_us, int64_t by_user)
{
	return st_update(st, A, Q_MODE_END, PARMS(P_INT(id), P_INT(at_us),
	    P_INT(by_user)));
}

enum cs_err
store_mode_current(struct store *st, int kind, struct store_mode *m)
{
	return st_get(st, A, Q_MODE_CURRENT, PARMS(P_INT(kind)), &mode_codec, m);
}

enum cs_err
store_mode_list(struct store *st, int limit, struct store_mode **v, size_t *n)
{
	return st_list(st, A, Q_MODE_LIST, PARMS(P_LIMIT(limit)), &mode_codec, v, n);
}

ST_DEFINE_FREE(store_modes_free, struct store_mode, &mode_codec)

enum cs_err
store_situation_insert(struct store *st, struct store_situation *s)
{
	return st_insert(st, A, Q_SIT_INSERT, PARMS(P_INT(s->mode),
	    P_INT(s->sector), P_INT(s->kind), P_TEXT(s->text),
	    P_TEXT(s->services_down), P_TEXT(s->restoration), P_INT(s->by_org),
	    P_INT(s->by_user), P_INT(s->at_us)), &s->id);
}

enum cs_err
store_situation_list(struct store *st, int64_t mode, int limit,
    struct store_situation **v, size_t *n)
{
	return st_list(st, A, Q_SIT_LIST, PARMS(P_INT(mode), P_LIMIT(limit)),
	    &sit_codec, v, n);
}

ST_DEFINE_FREE(store_situations_free, struct store_situation, &sit_codec)

enum cs_err
store_report_candidates_held(struct store *st, int org_type, uint32_t sectors,
    int64_t before_id, int limit, int64_t **ids, size_t *n)
{
	return st_list(st, A, Q_LS_CANDIDATES, PARMS(P_INT(before_id > 0 ?
	    before_id : INT64_MAX), P_LIMIT(limit), P_INT(org_type),
	    P_INT(sectors)), &store_i64_codec, ids, n);
}
