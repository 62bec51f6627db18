/*
 * st_obj.c: STIX objects contributed through TAXII 2.1, one generic table
 * for every type (LAYOUT.md "STIX objects should go in one generic
 * table"), paged by (added_us, seq), and the status resources of the POSTs
 * that brought them.  The objects of reports and advisories are not kept
 * here: they are rendered from the items for each reader (api/taxii_*.c).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_OBJ_ADD, Q_OBJ_PAGE, Q_OBJ_VERSIONS, Q_STATUS_ADD, Q_STATUS_GET,
	Q_OBJ_PAGE_VERSIONS, Q__COUNT
};

#define OBJ_COLS "seq, collection, stix_id, type, spec_version, modified," \
	" added_us, tlp, org, status, json"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_OBJ_ADD] = { .nparm = 10, .sql =
	    "INSERT INTO stix_objects(collection, stix_id, type, spec_version,"
	    " modified, added_us, tlp, org, status, json)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
	    " ON CONFLICT DO NOTHING" },
	/*
	 * The cursor as a row value: PostgreSQL makes it an index condition
	 * of stix_objects_page; the equivalent OR was a filter over every row
	 * before the cursor, O(collection) a page (bench/README.md, TAXII).
	 */
	[Q_OBJ_PAGE] = { .nparm = 5, .sql =
	    "SELECT " OBJ_COLS " FROM stix_objects WHERE collection = ?1"
	    " AND (CAST(?2 AS bigint) = 0 OR org = CAST(?2 AS bigint))"
	    " AND (added_us, seq) > (CAST(?3 AS bigint), CAST(?4 AS bigint))"
	    " ORDER BY added_us, seq LIMIT ?5" },
	/*
	 * By the (collection, stix_id, modified) unique index: "added_us + 0"
	 * keeps SQLite from walking the whole collection in the page index's
	 * order to skip a sort of an id's few rows (bench/README.md, TAXII).
	 */
	[Q_OBJ_VERSIONS] = { .nparm = 3, .sql =
	    "SELECT " OBJ_COLS " FROM stix_objects WHERE collection = ?1"
	    " AND (CAST(?2 AS bigint) = 0 OR org = CAST(?2 AS bigint))"
	    " AND stix_id = ?3 ORDER BY added_us + 0, seq" },
	/* The version rows of the ids of Q_OBJ_PAGE's rows (same arguments). */
	[Q_OBJ_PAGE_VERSIONS] = { .nparm = 5, .sql =
	    "SELECT seq, collection, stix_id, type, spec_version, modified,"
	    " added_us, tlp, org, status, '' FROM stix_objects"
	    " WHERE collection = ?1"
	    " AND (CAST(?2 AS bigint) = 0 OR org = CAST(?2 AS bigint))"
	    " AND stix_id IN (SELECT stix_id FROM stix_objects"
	    " WHERE collection = ?1"
	    " AND (CAST(?2 AS bigint) = 0 OR org = CAST(?2 AS bigint))"
	    " AND (added_us, seq) > (CAST(?3 AS bigint), CAST(?4 AS bigint))"
	    " ORDER BY added_us, seq LIMIT ?5)" },
	[Q_STATUS_ADD] = { .nparm = 5, .sql =
	    "INSERT INTO taxii_status(id, org, at_us, total, detail)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)" },
	[Q_STATUS_GET] = { .nparm = 1, .sql =
	    "SELECT id, org, at_us, total, detail FROM taxii_status"
	    " WHERE id = ?1" },
};

struct store_area st_obj_area = { "obj", stmts, Q__COUNT, 0 };
#define A	(&st_obj_area)

#define B_(f, t)	COL(struct store_obj, f, t)
static const struct store_col obj_cols[] = {
	B_(seq, CT_I64), B_(collection, CT_TEXT_NN), B_(stix_id, CT_TEXT_NN),
	B_(type, CT_TEXT_NN), B_(spec_version, CT_TEXT_NN),
	B_(modified, CT_TEXT_NN), B_(added_us, CT_I64), B_(tlp, CT_INT),
	B_(org, CT_I64), B_(status, CT_TEXT_NN), B_(json, CT_TEXT_NN),
};
static const struct store_codec obj_codec = CODEC(struct store_obj, obj_cols);

#define S_(f, t)	COL(struct store_taxii_status, f, t)
static const struct store_col status_cols[] = {
	S_(id, CT_TEXT_NN), S_(org, CT_I64), S_(at_us, CT_I64),
	S_(total, CT_INT), S_(detail, CT_TEXT_NN),
};
static const struct store_codec status_codec = CODEC(struct store_taxii_status,
    status_cols);

enum cs_err
store_obj_add(struct store *st, const struct store_obj *o, bool *added)
{
	return st_add(st, A, Q_OBJ_ADD, PARMS(P_TEXT(o->collection),
	    P_TEXT(o->stix_id), P_TEXT(o->type), P_TEXT(o->spec_version),
	    P_TEXT(o->modified), P_INT(o->added_us), P_INT(o->tlp),
	    P_INT(o->org), P_TEXT(o->status), P_TEXT(o->json)), NULL, added);
}

enum cs_err
store_obj_page(struct store *st, const char *collection, int64_t org,
    int64_t after_us, int64_t after_seq, int limit, struct store_obj **v,
    size_t *n)
{
	return st_list(st, A, Q_OBJ_PAGE, PARMS(P_TEXT(collection), P_INT(org),
	    P_INT(after_us), P_INT(after_seq), P_LIMIT(limit)), &obj_codec, v, n);
}

enum cs_err
store_obj_versions(struct store *st, const char *collection, int64_t org,
    const char *stix_id, struct store_obj **v, size_t *n)
{
	return st_list(st, A, Q_OBJ_VERSIONS, PARMS(P_TEXT(collection),
	    P_INT(org), P_TEXT(stix_id)), &obj_codec, v, n);
}

enum cs_err
store_obj_page_versions(struct store *st, const char *collection, int64_t org,
    int64_t after_us, int64_t after_seq, int limit, struct store_obj **v,
    size_t *n)
{
	return st_list(st, A, Q_OBJ_PAGE_VERSIONS, PARMS(P_TEXT(collection),
	    P_INT(org), P_INT(after_us), P_INT(after_seq), P_LIMIT(limit)),
	    &obj_codec, v, n);
}

ST_DEFINE_FREE(store_objs_free, struct store_obj, &obj_codec)

enum cs_err
store_taxii_status_add(struct store *st, const struct store_taxii_status *s)
{
	return st_run(st, A, Q_STATUS_ADD, PARMS(P_TEXT(s->id), P_INT(s->org),
	    P_INT(s->at_us), P_INT(s->total), P_TEXT(s->detail)));
}

enum cs_err
store_taxii_status_get(struct store *st, const char *id,
    struct store_taxii_status *out)
{
	return st_get(st, A, Q_STATUS_GET, PARMS(P_TEXT(id)), &status_codec, out);
}

ST_DEFINE_FINI(store_taxii_status_fini, struct store_taxii_status, &status_codec)
