/*
 * st_audit.c: the audit log's rows.  The chain itself (the canonical text,
 * the hash, the tail cached inside a batch, entries kept by a snapshot) is
 * store.c's store_audit_append(), the same for every engine.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_LAST, Q_INSERT, Q_LIST,
	Q__COUNT
};

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_LAST] = { .nparm = 0, .sql =
	    "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1" },
	[Q_INSERT] = { .nparm = 9, .sql =
	    "INSERT INTO audit(seq, at_us, \"user\", org, action, item, detail,"
	    " prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	    " ON CONFLICT DO NOTHING RETURNING 1" },
	[Q_LIST] = { .nparm = 3, .sql =
	    "SELECT seq, at_us, \"user\", org, action, item, detail, prev, hash"
	    " FROM audit WHERE seq > ?1 AND at_us >= ?2 ORDER BY seq LIMIT ?3" },
};

struct store_area st_audit_area = { "audit", stmts, Q__COUNT, 0 };
#define A	(&st_audit_area)

#define AU(f, t)	COL(struct store_audit, f, t)
static const struct store_col audit_cols[] = {
	AU(seq, CT_I64), AU(at_us, CT_I64), AU(user, CT_I64), AU(org, CT_I64),
	AU(action, CT_TEXT), AU(item, CT_TEXT), AU(detail, CT_TEXT),
	AU(prev, CT_BLOB32), AU(hash, CT_BLOB32),
};
static const struct store_codec audit_codec = CODEC(struct store_audit, audit_cols);

struct tail {
	int64_t		 seq;
	unsigned char	 hash[32];
};

static const struct store_col tail_cols[] = {
	COL(struct tail, seq, CT_I64), COL(struct tail, hash, CT_BLOB32),
};
static const struct store_codec tail_codec = CODEC(struct tail, tail_cols);

/*
 * On PostgreSQL the chain lock first, in a statement of its own: at READ
 * COMMITTED the next statement's snapshot then sees every append
 * committed before the lock was granted.  Held until the transaction ends.
 */
enum cs_err
st_audit_last(struct store *st, int64_t *seq, unsigned char hash[32])
{
	struct tail t;
	enum cs_err rc;

	*seq = 0;
	memset(hash, 0, 32);
	if ((rc = st_lock(st, STORE_LOCK_AUDIT)) != CS_OK)
		return rc;
	rc = st_get(st, A, Q_LAST, NULL, 0, &tail_codec, &t);
	if (rc == CS_ENOENT)
		return CS_OK;
	if (rc == CS_OK) {
		*seq = t.seq;
		memcpy(hash, t.hash, 32);
	}
	return rc;
}

enum cs_err
st_audit_insert(struct store *st, const struct store_audit *a)
{
	struct store_parm p[] = {
		P_INT(a->seq), P_INT(a->at_us), P_ID(a->user), P_ID(a->org),
		P_TEXT(a->action), P_TEXT(a->item), P_TEXT(a->detail),
		P_BLOB32(a->prev), P_BLOB32(a->hash),
	};

	return st_insert(st, A, Q_INSERT, p, NPARM(p), NULL);
}

enum cs_err
store_audit_list(struct store *st, int64_t after, int64_t since, int limit,
    struct store_audit **v, size_t *n)
{
	struct store_parm p[] = { P_INT(after), P_INT(since), P_LIMIT(limit) };

	return st_list(st, A, Q_LIST, p, NPARM(p), &audit_codec, v, n);
}

void
store_audits_free(struct store_audit *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].action);
		free(v[i].item);
		free(v[i].detail);
	}
	free(v);
}
