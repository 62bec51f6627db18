/*
 * st_obs.c: the observable index (migration 11): observables(id, kind,
 * value_norm), each normalised observable once, and item_observables, one
 * row per (item, version, hop, observable) with the item's sector and the
 * version's time; looked up by observable (and time) and by item.  What
 * is an observable, and who may see a row, is decided above (analysis/obs.h,
 * svc/obs.c): the rows here are every clear version text, never a sealed
 * source form.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_OBS_ADD, Q_OBS_FIND, Q_ITEM_OBS_ADD, Q_OBS_ROWS, Q_ITEM_OBS,
	Q_OBS_MULTI, Q_SRC_REPORTS, Q_SRC_ADVS, Q_MAX_REPORT, Q_MAX_ADV,
	Q__COUNT
};

#define IO_COLS	"io.item_kind, io.item_id, io.version, io.hop, io.observable," \
		" o.kind, o.value_norm, io.sector, io.at_us"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_OBS_ADD] = { .returning = "id", .nparm = 2, .sql =
	    "INSERT INTO observables(kind, value_norm) VALUES (?1, ?2)"
	    " ON CONFLICT (value_norm, kind) DO NOTHING" },
	[Q_OBS_FIND] = { .nparm = 2, .sql =
	    "SELECT id FROM observables WHERE value_norm = ?2 AND kind = ?1" },
	[Q_ITEM_OBS_ADD] = { .nparm = 7, .sql =
	    "INSERT INTO item_observables(item_kind, item_id, version, hop,"
	    " observable, sector, at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT (item_kind, item_id, version, hop, observable)"
	    " DO NOTHING" },
	/* By item_observables_obs. */
	[Q_OBS_ROWS] = { .nparm = 2, .sql =
	    "SELECT " IO_COLS " FROM item_observables io"
	    " JOIN observables o ON o.id = io.observable"
	    " WHERE io.observable = ?1 AND io.at_us >= ?2"
	    " ORDER BY io.at_us DESC, io.item_kind, io.item_id DESC,"
	    " io.version, io.hop" },
	[Q_ITEM_OBS] = { .nparm = 2, .sql =
	    "SELECT " IO_COLS " FROM item_observables io"
	    " JOIN observables o ON o.id = io.observable"
	    " WHERE io.item_kind = ?1 AND io.item_id = ?2"
	    " ORDER BY io.observable, io.version, io.hop" },
	/* By item_observables_at; sector -1 (an advisory) is no sector. */
	[Q_OBS_MULTI] = { .nparm = 3, .sql =
	    "SELECT observable FROM item_observables"
	    " WHERE at_us >= ?1 AND sector >= 0 GROUP BY observable"
	    " HAVING COUNT(DISTINCT sector) >= ?2"
	    " ORDER BY COUNT(DISTINCT sector) DESC, observable LIMIT ?3" },
	[Q_SRC_REPORTS] = { .nparm = 2, .sql =
	    "SELECT v.report, v.version, v.hop, v.form, r.sector, v.created_us"
	    " FROM report_versions v JOIN reports r ON r.id = v.report"
	    " WHERE v.report > ?1 AND v.report <= ?2 AND v.form IS NOT NULL"
	    " ORDER BY v.report, v.version, v.hop" },
	[Q_SRC_ADVS] = { .nparm = 2, .sql =
	    "SELECT advisory, version, 0, form, -1, created_us"
	    " FROM advisory_versions WHERE advisory > ?1 AND advisory <= ?2"
	    " ORDER BY advisory, version" },
	[Q_MAX_REPORT] = { .nparm = 0, .sql =
	    "SELECT COALESCE(MAX(id), 0) FROM reports" },
	[Q_MAX_ADV] = { .nparm = 0, .sql =
	    "SELECT COALESCE(MAX(id), 0) FROM advisories" },
};
struct store_area st_obs_area = { "obs", stmts, Q__COUNT, 0 };
#define A	(&st_obs_area)

#define IO_(f, t)	COL(struct store_item_obs, f, t)
static const struct store_col io_cols[] = {
	IO_(item_kind, CT_INT), IO_(item, CT_I64), IO_(version, CT_INT),
	IO_(hop, CT_INT), IO_(observable, CT_I64), IO_(kind, CT_INT),
	IO_(value, CT_TEXT_NN), IO_(sector, CT_INT), IO_(at_us, CT_I64),
};
static const struct store_codec io_codec = CODEC(struct store_item_obs, io_cols);

#define SRC_(f, t)	COL(struct store_obs_src, f, t)
static const struct store_col src_cols[] = {
	SRC_(item, CT_I64), SRC_(version, CT_INT), SRC_(hop, CT_INT),
	SRC_(form, CT_TEXT), SRC_(sector, CT_INT), SRC_(at_us, CT_I64),
};
static const struct store_codec src_codec = CODEC(struct store_obs_src, src_cols);

enum cs_err
store_obs_id(struct store *st, int kind, const char *value, bool create,
    int64_t *id)
{
	enum cs_err rc;
	bool added = false;

	rc = st_get(st, A, Q_OBS_FIND, PARMS(P_INT(kind), P_TEXT(value)),
	    &store_i64_codec, id);
	if (rc != CS_ENOENT || !create)
		return rc;
	if ((rc = st_add(st, A, Q_OBS_ADD, PARMS(P_INT(kind), P_TEXT(value)),
	    id, &added)) != CS_OK || added)
		return rc;
	return st_get(st, A, Q_OBS_FIND, PARMS(P_INT(kind), P_TEXT(value)),
	    &store_i64_codec, id);
}

enum cs_err
store_item_obs_add(struct store *st, const struct store_item_obs *r)
{
	bool added;

	return st_add(st, A, Q_ITEM_OBS_ADD, PARMS(P_INT(r->item_kind),
	    P_INT(r->item), P_INT(r->version), P_INT(r->hop),
	    P_INT(r->observable), P_INT(r->sector), P_INT(r->at_us)), NULL,
	    &added);
}

enum cs_err
store_obs_rows(struct store *st, int64_t observable, int64_t since_us,
    struct store_item_obs **v, size_t *n)
{
	return st_list(st, A, Q_OBS_ROWS, PARMS(P_INT(observable),
	    P_INT(since_us)), &io_codec, v, n);
}

enum cs_err
store_item_obs_list(struct store *st, int item_kind, int64_t item,
    struct store_item_obs **v, size_t *n)
{
	return st_list(st, A, Q_ITEM_OBS, PARMS(P_INT(item_kind), P_INT(item)),
	    &io_codec, v, n);
}

enum cs_err
store_obs_multi_sector(struct store *st, int64_t since_us, int min_sectors,
    int limit, int64_t **ids, size_t *n)
{
	return st_list(st, A, Q_OBS_MULTI, PARMS(P_INT(since_us),
	    P_INT(min_sectors), P_LIMIT(limit)), &store_i64_codec, ids, n);
}

ST_DEFINE_FREE(store_item_obs_free, struct store_item_obs, &io_codec)
ST_DEFINE_FREE(store_obs_src_free, struct store_obs_src, &src_codec)

enum cs_err
store_obs_report_src(struct store *st, int64_t lo, int64_t hi,
    struct store_obs_src **v, size_t *n)
{
	return st_list(st, A, Q_SRC_REPORTS, PARMS(P_INT(lo), P_INT(hi)),
	    &src_codec, v, n);
}

enum cs_err
store_obs_adv_src(struct store *st, int64_t lo, int64_t hi,
    struct store_obs_src **v, size_t *n)
{
	return st_list(st, A, Q_SRC_ADVS, PARMS(P_INT(lo), P_INT(hi)),
	    &src_codec, v, n);
}

enum cs_err
store_obs_max_ids(struct store *st, int64_t *report, int64_t *adv)
{
	enum cs_err rc;

	if ((rc = st_get(st, A, Q_MAX_REPORT, NULL, 0, &store_i64_codec,
	    report)) != CS_OK)
		return rc;
	return st_get(st, A, Q_MAX_ADV, NULL, 0, &store_i64_codec, adv);
}
