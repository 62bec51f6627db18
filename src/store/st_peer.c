/*
 * st_peer.c: federation peers (docs/interop.md "Federation"): the
 * registry, its credentials sealed at rest (P_SEALED / CT_SEALED under
 * the master key), each peer's cursor and the outcome of its last poll;
 * and the newest objects received from peers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_PEER_INSERT, Q_PEER_GET, Q_PEER_LIST, Q_PEER_UPDATE, Q_PEER_DELETE,
	Q_PEER_DUE, Q_PEER_RECORD, Q_PEER_SCHEDULE, Q_PEER_ORG, Q_OBJ_PEERS,
	Q__COUNT
};

#define PEER_COLS	"id, name, org, url, collection, auth, login, secret," \
			" interval_s, enabled, cursor, last_try_us, last_ok_us," \
			" last_error, failures, next_us, received, created_us"
#define OBJ_COLS "seq, collection, stix_id, type, spec_version, modified," \
	" added_us, tlp, org, status, json"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_PEER_INSERT] = { .returning = "id", .nparm = 11, .sql =
	    "INSERT INTO peers(name, org, url, collection, auth, login, secret,"
	    " interval_s, enabled, cursor, last_try_us, last_ok_us, last_error,"
	    " failures, next_us, received, created_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, 0, 0, NULL, 0,"
	    " ?10, 0, ?11) ON CONFLICT DO NOTHING" },
	[Q_PEER_GET] = { .nparm = 1, .sql =
	    "SELECT " PEER_COLS " FROM peers WHERE id = ?1" },
	[Q_PEER_LIST] = { .nparm = 0, .sql =
	    "SELECT " PEER_COLS " FROM peers ORDER BY id" },
	/* ?11 = 1: another collection, so a new cursor (and due now, ?12). */
	[Q_PEER_UPDATE] = { .nparm = 12, .sql =
	    "UPDATE peers SET name = ?2, org = ?3, url = ?4, collection = ?5,"
	    " auth = ?6, login = ?7, secret = ?8, interval_s = ?9, enabled = ?10,"
	    " cursor = CASE WHEN ?11 = 1 THEN NULL ELSE cursor END,"
	    " failures = CASE WHEN ?11 = 1 THEN 0 ELSE failures END,"
	    " last_error = CASE WHEN ?11 = 1 THEN NULL ELSE last_error END,"
	    " next_us = CASE WHEN ?11 = 1 THEN ?12 ELSE next_us END"
	    " WHERE id = ?1" },
	[Q_PEER_DELETE] = { .nparm = 1, .sql = "DELETE FROM peers WHERE id = ?1" },
	[Q_PEER_DUE] = { .nparm = 2, .sql =
	    "SELECT " PEER_COLS " FROM peers WHERE enabled = 1 AND url IS NOT NULL"
	    " AND next_us <= ?1 ORDER BY next_us, id LIMIT ?2" },
	[Q_PEER_RECORD] = { .nparm = 8, .sql =
	    "UPDATE peers SET cursor = ?2, last_try_us = ?3, last_ok_us = ?4,"
	    " last_error = ?5, failures = ?6, next_us = ?7,"
	    " received = received + ?8 WHERE id = ?1" },
	[Q_PEER_SCHEDULE] = { .nparm = 2, .sql =
	    "UPDATE peers SET next_us = ?2 WHERE id = ?1" },
	[Q_PEER_ORG] = { .nparm = 1, .sql =
	    "SELECT id FROM peers WHERE org = ?1 LIMIT 1" },
	[Q_OBJ_PEERS] = { .nparm = 4, .sql =
	    "SELECT " OBJ_COLS " FROM stix_objects WHERE collection = ?1"
	    " AND type = ?2 AND (CAST(?3 AS bigint) = 0 OR seq < ?3)"
	    " AND org IN (SELECT org FROM peers)"
	    " ORDER BY seq DESC LIMIT ?4" },
};

struct store_area st_peer_area = { "peer", stmts, Q__COUNT, 0 };
#define A	(&st_peer_area)

#define P_(f, t)	COL(struct store_peer, f, t)
static const struct store_col peer_cols[] = {
	P_(id, CT_I64), P_(name, CT_TEXT_NN), P_(org, CT_I64), P_(url, CT_TEXT),
	P_(collection, CT_TEXT_NN), P_(auth, CT_INT), P_(login, CT_SEALED),
	P_(secret, CT_SEALED), P_(interval_s, CT_INT), P_(enabled, CT_BOOL),
	P_(cursor, CT_TEXT), P_(last_try_us, CT_I64), P_(last_ok_us, CT_I64),
	P_(last_error, CT_TEXT), P_(failures, CT_INT), P_(next_us, CT_I64),
	P_(received, CT_I64), P_(created_us, CT_I64),
};
static const struct store_codec peer_codec = CODEC(struct store_peer, peer_cols);

#define O_(f, t)	COL(struct store_obj, f, t)
static const struct store_col obj_cols[] = {
	O_(seq, CT_I64), O_(collection, CT_TEXT_NN), O_(stix_id, CT_TEXT_NN),
	O_(type, CT_TEXT_NN), O_(spec_version, CT_TEXT_NN),
	O_(modified, CT_TEXT_NN), O_(added_us, CT_I64), O_(tlp, CT_INT),
	O_(org, CT_I64), O_(status, CT_TEXT_NN), O_(json, CT_TEXT_NN),
};
static const struct store_codec obj_codec = CODEC(struct store_obj, obj_cols);

static struct store_parm
opt_text(const char *s)
{
	return s != NULL ? P_TEXT(s) : P_NULL;
}

static struct store_parm
opt_sealed(const char *s)
{
	return s != NULL ? P_SEALED(s) : P_NULL;
}

enum cs_err
store_peer_insert(struct store *st, struct store_peer *p)
{
	return st_insert(st, A, Q_PEER_INSERT, PARMS(P_TEXT(p->name),
	    P_INT(p->org), opt_text(p->url), P_TEXT(p->collection),
	    P_INT(p->auth), opt_sealed(p->login), opt_sealed(p->secret),
	    P_INT(p->interval_s), P_INT(p->enabled ? 1 : 0), P_INT(p->next_us),
	    P_INT(p->created_us)), &p->id);
}

ST_DEFINE_GET(store_peer_get, struct store_peer, A, Q_PEER_GET, &peer_codec)
ST_DEFINE_FINI(store_peer_fini, struct store_peer, &peer_codec)
ST_DEFINE_FREE(store_peers_free, struct store_peer, &peer_codec)

enum cs_err
store_peer_list(struct store *st, struct store_peer **v, size_t *n)
{
	return st_list(st, A, Q_PEER_LIST, NULL, 0, &peer_codec, v, n);
}

enum cs_err
store_peer_update(struct store *st, const struct store_peer *p, bool reset,
    int64_t now)
{
	return st_update(st, A, Q_PEER_UPDATE, PARMS(P_INT(p->id),
	    P_TEXT(p->name), P_INT(p->org), opt_text(p->url),
	    P_TEXT(p->collection), P_INT(p->auth), opt_sealed(p->login),
	    opt_sealed(p->secret), P_INT(p->interval_s),
	    P_INT(p->enabled ? 1 : 0), P_INT(reset ? 1 : 0), P_INT(now)));
}

enum cs_err
store_peer_delete(struct store *st, int64_t id)
{
	return st_update(st, A, Q_PEER_DELETE, PARMS(P_INT(id)));
}

enum cs_err
store_peer_due(struct store *st, int64_t now, int limit, struct store_peer **v,
    size_t *n)
{
	return st_list(st, A, Q_PEER_DUE, PARMS(P_INT(now), P_LIMIT(limit)),
	    &peer_codec, v, n);
}

enum cs_err
store_peer_record(struct store *st, const struct store_peer *p,
    int64_t received)
{
	return st_update(st, A, Q_PEER_RECORD, PARMS(P_INT(p->id),
	    opt_text(p->cursor), P_INT(p->last_try_us), P_INT(p->last_ok_us),
	    opt_text(p->last_error), P_INT(p->failures), P_INT(p->next_us),
	    P_INT(received)));
}

enum cs_err
store_peer_schedule(struct store *st, int64_t id, int64_t at)
{
	return st_update(st, A, Q_PEER_SCHEDULE, PARMS(P_INT(id), P_INT(at)));
}

static void
found(const struct store_row *r, void *arg)
{
	(void)r;
	*(bool *)arg = true;
}

enum cs_err
store_peer_org_is(struct store *st, int64_t org, bool *is)
{
	enum cs_err rc;

	*is = false;
	rc = st_first(st, A, Q_PEER_ORG, PARMS(P_INT(org)), found, is);
	return rc == CS_ENOENT ? CS_OK : rc;
}

enum cs_err
store_obj_from_peers(struct store *st, const char *collection, const char *type,
    int64_t before, int limit, struct store_obj **v, size_t *n)
{
	return st_list(st, A, Q_OBJ_PEERS, PARMS(P_TEXT(collection),
	    P_TEXT(type), P_INT(before), P_LIMIT(limit)), &obj_codec, v, n);
}
