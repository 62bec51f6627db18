/*
 * st_dir.c: the directory (organisations, users, API tokens), the
 * deployment's own records (meta, reference data, counters) and the rows
 * of the audit log.  Names, logins and contacts are sealed at rest
 * (P_SEALED / CT_SEALED: sealed and opened in codec.c); a login is found
 * by its keyed hash.  The audit chain itself (canonical text, hash, the
 * tail cached inside a batch, entries kept by a snapshot) is store.c's
 * store_audit_append(), the same for every engine.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_META_GET, Q_META_SET, Q_REF_PUT, Q_REF_GET, Q_COUNTER_NEXT,
	Q_ORG_INSERT, Q_ORG_GET, Q_ORG_LIST, Q_ORG_FIND, Q_ORG_FIND_IDS, Q_ORG_UPDATE,
	Q_USER_INSERT, Q_USER_GET, Q_USER_BY_LOGIN, Q_USER_LIST, Q_USER_UPDATE,
	Q_TOKEN_INSERT, Q_TOKEN_GET, Q_TOKEN_PRINCIPAL, Q_TOKEN_DELETE,
	Q_TOKEN_LIST, Q_TOKEN_TOUCH, Q_TOKEN_END_SESSIONS, Q_AUTH_GENERATION,
	Q_DATA_GENERATION_BUMP,
	Q_AUDIT_LAST, Q_AUDIT_INSERT, Q_AUDIT_INSERT_MANY, Q_AUDIT_LIST,
	Q_LOGIN_FAIL_ADD, Q_LOGIN_FAIL_COUNT, Q_LOGIN_FAIL_PRUNE,
	Q__COUNT
};

#define ORG_COLS	"id, type, sectors, ceptoar, pre_arranged, name_sealed," \
			" pk, wrapped_sk, created_us, identifiers_sealed"
#define USER_COLS	"id, org, login_hash, login_sealed, display_sealed," \
			" email_sealed, phone_sealed, dept_sealed, roles, nda," \
			" pw_hash, created_us, fax_sealed"
#define TOKEN_COLS	"id, \"user\", hash, label, created_us, expires_us," \
			" last_used_us, scope"

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
	[Q_ORG_INSERT] = { .returning = "id", .nparm = 9, .sql =
	    "INSERT INTO orgs(type, sectors, ceptoar, pre_arranged, name_sealed,"
	    " pk, wrapped_sk, created_us, identifiers_sealed)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)" },
	[Q_ORG_GET] = { .nparm = 1, .sql =
	    "SELECT " ORG_COLS " FROM orgs WHERE id = ?1" },
	[Q_ORG_LIST] = { .nparm = 2, .sql =
	    "SELECT " ORG_COLS " FROM orgs WHERE id > ?1 ORDER BY id LIMIT ?2" },
	/* One type: served by orgs_type. */
	[Q_ORG_FIND] = { .nparm = 3, .sql =
	    "SELECT " ORG_COLS " FROM orgs WHERE type = CAST(?1 AS integer)"
	    " AND (CAST(?2 AS bigint) = 0 OR (sectors & CAST(?2 AS bigint)) <> 0)"
	    " ORDER BY id LIMIT ?3" },
	/* The same, ids only (nothing to open). */
	[Q_ORG_FIND_IDS] = { .nparm = 3, .sql =
	    "SELECT id FROM orgs WHERE type = CAST(?1 AS integer)"
	    " AND (CAST(?2 AS bigint) = 0 OR (sectors & CAST(?2 AS bigint)) <> 0)"
	    " ORDER BY id LIMIT ?3" },
	[Q_ORG_UPDATE] = { .nparm = 6, .sql =
	    "UPDATE orgs SET name_sealed = ?2, sectors = ?3, ceptoar = ?4,"
	    " pre_arranged = ?5, identifiers_sealed = ?6 WHERE id = ?1" },
	[Q_USER_INSERT] = { .returning = "id", .nparm = 12, .sql =
	    "INSERT INTO users(org, login_hash, login_sealed, display_sealed,"
	    " email_sealed, phone_sealed, dept_sealed, roles, nda, pw_hash,"
	    " created_us, fax_sealed)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
	    " ON CONFLICT DO NOTHING" },
	[Q_USER_GET] = { .nparm = 1, .sql =
	    "SELECT " USER_COLS " FROM users WHERE id = ?1" },
	[Q_USER_BY_LOGIN] = { .nparm = 1, .sql =
	    "SELECT " USER_COLS " FROM users WHERE login_hash = ?1" },
	[Q_USER_LIST] = { .nparm = 3, .sql =
	    "SELECT " USER_COLS " FROM users"
	    " WHERE (CAST(?1 AS bigint) = 0 OR org = CAST(?1 AS bigint))"
	    " AND id > ?2 ORDER BY id LIMIT ?3" },
	[Q_USER_UPDATE] = { .nparm = 9, .sql =
	    "UPDATE users SET display_sealed = ?2, email_sealed = ?3,"
	    " phone_sealed = ?4, dept_sealed = ?5, roles = ?6, nda = ?7,"
	    " pw_hash = ?8, fax_sealed = ?9 WHERE id = ?1" },
	[Q_TOKEN_INSERT] = { .nparm = 7, .sql =
	    "INSERT INTO tokens(id, \"user\", hash, label, created_us,"
	    " expires_us, scope) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT DO NOTHING" },
	[Q_TOKEN_GET] = { .nparm = 1, .sql =
	    "SELECT " TOKEN_COLS " FROM tokens WHERE id = ?1" },
	/* A bearer's token, user and organisation in one query (every request). */
	[Q_TOKEN_PRINCIPAL] = { .nparm = 1, .sql =
	    "SELECT t.id, t.\"user\", t.hash, t.label, t.created_us,"
	    " t.expires_us, t.last_used_us, t.scope,"
	    " u.id, u.org, u.login_hash, u.login_sealed, u.display_sealed,"
	    " u.email_sealed, u.phone_sealed, u.dept_sealed, u.roles, u.nda,"
	    " u.pw_hash, u.created_us, u.fax_sealed,"
	    " o.id, o.type, o.sectors, o.ceptoar, o.pre_arranged, o.name_sealed,"
	    " o.pk, o.wrapped_sk, o.created_us, o.identifiers_sealed"
	    " FROM tokens t LEFT JOIN users u ON u.id = t.\"user\""
	    " LEFT JOIN orgs o ON o.id = u.org WHERE t.id = ?1" },
	[Q_TOKEN_DELETE] = { .nparm = 1, .sql =
	    "DELETE FROM tokens WHERE id = ?1" },
	[Q_TOKEN_LIST] = { .nparm = 1, .sql =
	    "SELECT " TOKEN_COLS " FROM tokens WHERE \"user\" = ?1 ORDER BY id" },
	/* Last use, coarse (the idle timeout of sessions; shown to the owner). */
	/*
	 * PostgreSQL: a token another daemon's open transaction is touching
	 * is left to it (its time is as good), so two groups that touch the
	 * same tokens in another order never wait for each other.
	 */
	[Q_TOKEN_TOUCH] = { .nparm = 2, .flags = STMT_NO_GEN | STMT_DEFER,
	    .sql = "UPDATE tokens SET last_used_us = ?2 WHERE id = ?1",
	    .pg = "UPDATE tokens SET last_used_us = ?2 WHERE id = (SELECT id"
	    " FROM tokens WHERE id = ?1 FOR UPDATE SKIP LOCKED)" },
	/* A password change ends every session of the user (ASVS 3.3.3). */
	[Q_TOKEN_END_SESSIONS] = { .nparm = 1, .sql =
	    "DELETE FROM tokens WHERE \"user\" = ?1 AND label = 'session'" },
	[Q_AUTH_GENERATION] = { .nparm = 0, .sql =
	    "SELECT auth, data FROM generation WHERE id = 1" },
	/*
	 * store.c, before a batch's commit (itself no change of data); a
	 * value that never comes back (migration 26).
	 */
	[Q_DATA_GENERATION_BUMP] = { .nparm = 0, .flags = STMT_NO_GEN | STMT_DEFER,
	    .sqlite = "UPDATE generation SET data = random() WHERE id = 1",
	    .pg = "UPDATE generation SET data = nextval('generations')"
	    " WHERE id = 1" },
	[Q_AUDIT_LAST] = { .nparm = 0, .sql =
	    "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1" },
	/*
	 * Under the chain's lock (store.c, before the commit): no seq can be
	 * taken already, and were it, the unique key fails the transaction.
	 */
	[Q_AUDIT_INSERT] = { .nparm = 9, .flags = STMT_NO_GEN | STMT_DEFER, .sql =
	    "INSERT INTO audit(seq, at_us, \"user\", org, action, item, detail,"
	    " prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)" },
	/*
	 * PostgreSQL: a group's entries in one statement, ?1 a JSON array of
	 * [seq, at_us, user, org, action, item, detail, prev, hash] (the
	 * hashes in hex).  SQLite inserts them one by one, in process.
	 */
	[Q_AUDIT_INSERT_MANY] = { .nparm = 1, .flags = STMT_NO_GEN | STMT_DEFER,
	    .sqlite = STORE_NONE,
	    .pg = "INSERT INTO audit(seq, at_us, \"user\", org, action, item,"
	    " detail, prev, hash) SELECT (e->>0)::bigint, (e->>1)::bigint,"
	    " (e->>2)::bigint, (e->>3)::bigint, e->>4, e->>5, e->>6,"
	    " decode(e->>7, 'hex'), decode(e->>8, 'hex')"
	    " FROM json_array_elements(CAST(?1 AS json)) AS e" },
	[Q_AUDIT_LIST] = { .nparm = 3, .sql =
	    "SELECT seq, at_us, \"user\", org, action, item, detail, prev, hash"
	    " FROM audit WHERE seq > ?1 AND at_us >= ?2 ORDER BY seq LIMIT ?3" },
	[Q_LOGIN_FAIL_ADD] = { .nparm = 2, .flags = STMT_NO_GEN, .sql =
	    "INSERT INTO login_failures(login_hash, at_us) VALUES (?1, ?2)" },
	[Q_LOGIN_FAIL_COUNT] = { .nparm = 2, .sql =
	    "SELECT COUNT(*), COALESCE(MAX(at_us), 0) FROM login_failures"
	    " WHERE login_hash = ?1 AND at_us >= ?2" },
	[Q_LOGIN_FAIL_PRUNE] = { .nparm = 1, .flags = STMT_NO_GEN, .sql =
	    "DELETE FROM login_failures WHERE at_us < ?1" },
};

struct store_area st_dir_area = { "dir", stmts, Q__COUNT, 0 };
#define A	(&st_dir_area)

/* ---- meta, reference data, counters ------------------------------------------ */

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
	struct text1 t;
	enum cs_err rc;

	if ((rc = st_get(st, A, q, PARMS(P_TEXT(key)), &text1, &t)) == CS_OK)
		*val = t.v;
	return rc;
}

enum cs_err
store_meta_get(struct store *st, const char *k, char **v)
{
	return get_text(st, Q_META_GET, k, v);
}

enum cs_err
store_meta_set(struct store *st, const char *k, const char *v)
{
	return st_run(st, A, Q_META_SET, PARMS(P_TEXT(k), P_TEXT(v)));
}

enum cs_err
store_ref_put(struct store *st, const char *name, const char *json)
{
	return st_run(st, A, Q_REF_PUT, PARMS(P_TEXT(name), P_TEXT(json)));
}

enum cs_err
store_ref_get(struct store *st, const char *name, char **json)
{
	return get_text(st, Q_REF_GET, name, json);
}

/* No row back cannot happen (an upsert): that would be a store error. */
enum cs_err
store_counter_next(struct store *st, const char *name, int64_t *v)
{
	enum cs_err rc;

	if ((rc = st_get(st, A, Q_COUNTER_NEXT, PARMS(P_TEXT(name)),
	    &store_i64_codec, v)) == CS_ENOENT)
		rc = CS_ESTORE;
	return rc;
}

/* ---- the directory: row codecs in the order of ORG_COLS, USER_COLS, TOKEN_COLS */

#define O_(f, t)	COL(struct store_org, f, t)
static const struct store_col org_cols[] = {
	O_(id, CT_I64), O_(type, CT_INT), O_(sectors, CT_U32),
	O_(ceptoar, CT_I64), O_(pre_arranged, CT_BOOL), O_(name, CT_SEALED_NN),
	COL_BLOB_HAS(struct store_org, pk, has_pk), O_(wrapped_sk, CT_TEXT),
	O_(created_us, CT_I64), O_(identifiers, CT_SEALED),
};
static const struct store_codec org_codec = CODEC(struct store_org, org_cols);

#define U_(f, t)	COL(struct store_user, f, t)
static const struct store_col user_cols[] = {
	U_(id, CT_I64), U_(org, CT_I64), U_(login_hash, CT_BLOB32),
	U_(login, CT_SEALED_NN), U_(display_name, CT_SEALED), U_(email, CT_SEALED),
	U_(phone, CT_SEALED), U_(department, CT_SEALED), U_(roles, CT_INT),
	U_(nda_contractor, CT_BOOL), U_(pw_hash, CT_TEXT), U_(created_us, CT_I64),
	U_(fax, CT_SEALED),
};
static const struct store_codec user_codec = CODEC(struct store_user, user_cols);

#define T_(f, t)	COL(struct store_token, f, t)
static const struct store_col token_cols[] = {
	T_(id, CT_I64), T_(user, CT_I64), T_(hash, CT_BLOB32), T_(label, CT_TEXT),
	T_(created_us, CT_I64), T_(expires_us, CT_I64), T_(last_used_us, CT_I64),
	T_(scope, CT_INT),
};
static const struct store_codec token_codec = CODEC(struct store_token, token_cols);

/* ---- organisations -------------------------------------------------------- */

enum cs_err
store_org_insert(struct store *st, struct store_org *o)
{
	return st_insert(st, A, Q_ORG_INSERT, PARMS(P_INT(o->type),
	    P_INT(o->sectors), P_ID(o->ceptoar), P_INT(o->pre_arranged),
	    P_SEALED_NN(o->name), o->has_pk ? P_BLOB32(o->pk) : P_NULL,
	    P_TEXT(o->wrapped_sk), P_INT(o->created_us),
	    P_SEALED(o->identifiers)), &o->id);
}

/* Updates name, sectors, ceptoar, pre_arranged and identifiers. */
enum cs_err
store_org_update(struct store *st, const struct store_org *o)
{
	return st_update(st, A, Q_ORG_UPDATE, PARMS(P_INT(o->id),
	    P_SEALED_NN(o->name), P_INT(o->sectors), P_ID(o->ceptoar),
	    P_INT(o->pre_arranged), P_SEALED(o->identifiers)));
}

enum cs_err
store_org_list(struct store *st, int64_t after, int limit, struct store_org **v,
    size_t *n)
{
	return st_list(st, A, Q_ORG_LIST, PARMS(P_INT(after), P_LIMIT(limit)),
	    &org_codec, v, n);
}

enum cs_err
store_org_find(struct store *st, enum cs_org_type t, uint32_t sectors,
    struct store_org **v, size_t *n)
{
	return st_list(st, A, Q_ORG_FIND, PARMS(P_INT(t), P_INT(sectors),
	    P_LIMIT(100000)), &org_codec, v, n);
}

enum cs_err
store_org_find_ids(struct store *st, enum cs_org_type t, uint32_t sectors,
    int64_t **v, size_t *n)
{
	return st_list(st, A, Q_ORG_FIND_IDS, PARMS(P_INT(t), P_INT(sectors),
	    P_LIMIT(100000)), &store_i64_codec, v, n);
}

void
store_org_find_ids_prefetch(struct store *st, enum cs_org_type t,
    uint32_t sectors)
{
	st_prefetch(st, A, Q_ORG_FIND_IDS, PARMS(P_INT(t), P_INT(sectors),
	    P_LIMIT(100000)));
}

ST_DEFINE_GET(store_org_get, struct store_org, A, Q_ORG_GET, &org_codec)
ST_DEFINE_FINI(store_org_fini, struct store_org, &org_codec)
ST_DEFINE_FREE(store_orgs_free, struct store_org, &org_codec)

/* ---- users ---------------------------------------------------------------- */

enum cs_err
store_user_insert(struct store *st, struct store_user *u)
{
	return st_insert(st, A, Q_USER_INSERT, PARMS(P_INT(u->org),
	    P_BLOB32(u->login_hash), P_SEALED_NN(u->login),
	    P_SEALED(u->display_name), P_SEALED(u->email), P_SEALED(u->phone),
	    P_SEALED(u->department), P_INT(u->roles), P_INT(u->nda_contractor),
	    P_TEXT(u->pw_hash), P_INT(u->created_us), P_SEALED(u->fax)), &u->id);
}

/* Updates display_name, email, phone, department, fax, roles, nda_contractor, pw_hash. */
enum cs_err
store_user_update(struct store *st, const struct store_user *u)
{
	return st_update(st, A, Q_USER_UPDATE, PARMS(P_INT(u->id),
	    P_SEALED(u->display_name), P_SEALED(u->email), P_SEALED(u->phone),
	    P_SEALED(u->department), P_INT(u->roles), P_INT(u->nda_contractor),
	    P_TEXT(u->pw_hash), P_SEALED(u->fax)));
}

enum cs_err
store_user_by_login(struct store *st, const unsigned char h[32],
    struct store_user *u)
{
	return st_get(st, A, Q_USER_BY_LOGIN, PARMS(P_BLOB32(h)), &user_codec, u);
}

ST_DEFINE_GET(store_user_get, struct store_user, A, Q_USER_GET, &user_codec)
ST_DEFINE_LIST_PAGE(store_user_list, struct store_user, A, Q_USER_LIST,
    &user_codec)
ST_DEFINE_FINI(store_user_fini, struct store_user, &user_codec)
ST_DEFINE_FREE(store_users_free, struct store_user, &user_codec)

/* ---- tokens --------------------------------------------------------------- */

enum cs_err
store_token_insert(struct store *st, struct store_token *t)
{
	return st_insert(st, A, Q_TOKEN_INSERT, PARMS(P_INT(t->id),
	    P_INT(t->user), P_BLOB32(t->hash), P_TEXT(t->label),
	    P_INT(t->created_us), P_ID(t->expires_us),
	    P_INT(t->scope)), NULL);
}

enum cs_err
store_token_touch(struct store *st, int64_t id, int64_t at_us)
{
	return st_run(st, A, Q_TOKEN_TOUCH, PARMS(P_INT(id), P_INT(at_us)));
}

enum cs_err
store_token_end_sessions(struct store *st, int64_t user)
{
	return st_run(st, A, Q_TOKEN_END_SESSIONS, PARMS(P_INT(user)));
}

enum cs_err
store_token_delete(struct store *st, int64_t id)
{
	return st_run(st, A, Q_TOKEN_DELETE, PARMS(P_INT(id)));
}

struct gens {
	int64_t		 auth;
	int64_t		 data;
};

static const struct store_col gens_cols[] = {
	COL(struct gens, auth, CT_I64), COL(struct gens, data, CT_I64),
};
static const struct store_codec gens_codec = CODEC(struct gens, gens_cols);

enum cs_err
st_generations_read(struct store *st, int64_t *auth, int64_t *data)
{
	struct gens g;
	enum cs_err rc;

	rc = st_get(st, A, Q_AUTH_GENERATION, NULL, 0, &gens_codec, &g);
	*auth = rc == CS_OK ? g.auth : 0;
	*data = rc == CS_OK ? g.data : 0;
	return rc;
}

enum cs_err
st_data_generation_bump(struct store *st)
{
	return st_run(st, A, Q_DATA_GENERATION_BUMP, NULL, 0);
}

void
store_user_copy(struct store_user *dst, const struct store_user *src)
{
	st_copy(dst, src, &user_codec);
}

void
store_org_copy(struct store_org *dst, const struct store_org *src)
{
	st_copy(dst, src, &org_codec);
}

struct principal {
	struct store_token	*t;
	struct store_user	*u;
	struct store_org	*o;
};

static void
principal_row(const struct store_row *r, void *arg)
{
	struct principal *x = arg;

	row_fill(r, 0, &token_codec, x->t);
	if (!row_null(r, 8))
		row_fill(r, 8, &user_codec, x->u);
	if (!row_null(r, 21))
		row_fill(r, 21, &org_codec, x->o);
}

/* The bearer check: CS_ENOENT no such token; u->id, o->id 0 when gone. */
enum cs_err
store_token_principal(struct store *st, int64_t id, struct store_token *t,
    struct store_user *u, struct store_org *o)
{
	struct principal x = { t, u, o };

	memset(t, 0, sizeof(*t));
	memset(u, 0, sizeof(*u));
	memset(o, 0, sizeof(*o));
	return st_first(st, A, Q_TOKEN_PRINCIPAL, PARMS(P_INT(id)), principal_row,
	    &x);
}

ST_DEFINE_GET(store_token_get, struct store_token, A, Q_TOKEN_GET, &token_codec)
/* A user's tokens (hashes included; never shown), oldest first. */
ST_DEFINE_LIST_BY(store_token_list, struct store_token, A, Q_TOKEN_LIST,
    &token_codec)
ST_DEFINE_FINI(store_token_fini, struct store_token, &token_codec)
ST_DEFINE_FREE(store_tokens_free, struct store_token, &token_codec)

/* ---- the audit log's rows -------------------------------------------------- */

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
	rc = st_get(st, A, Q_AUDIT_LAST, NULL, 0, &tail_codec, &t);
	if (rc == CS_ENOENT)
		return CS_OK;
	if (rc == CS_OK) {
		*seq = t.seq;
		memcpy(hash, t.hash, 32);
	}
	return rc;
}

static void
hex32(struct cs_buf *b, const unsigned char h[32])
{
	static const char x[] = "0123456789abcdef";
	char s[66];

	s[0] = '"';
	for (int i = 0; i < 32; i++) {
		s[1 + 2 * i] = x[h[i] >> 4];
		s[2 + 2 * i] = x[h[i] & 15];
	}
	s[65] = '"';
	cs_buf_add(b, s, sizeof(s));
}

static void
json_str_or_null(struct cs_buf *b, const char *s)
{
	if (s == NULL)
		cs_buf_add(b, "null", 4);
	else
		st_json_str(b, s);
}

enum cs_err
st_audit_insert(struct store *st, const struct store_audit *v, size_t n)
{
	struct cs_buf b;
	enum cs_err rc = CS_OK;

	if (n > 1 && st_has(st, A, Q_AUDIT_INSERT_MANY)) {
		cs_buf_init(&b, SIZE_MAX / 2);
		cs_buf_add(&b, "[", 1);
		for (size_t i = 0; i < n; i++) {
			cs_buf_printf(&b, "%s[%lld,%lld,", i > 0 ? "," : "",
			    (long long)v[i].seq, (long long)v[i].at_us);
			if (v[i].user != 0)
				cs_buf_printf(&b, "%lld,", (long long)v[i].user);
			else
				cs_buf_add(&b, "null,", 5);
			if (v[i].org != 0)
				cs_buf_printf(&b, "%lld,", (long long)v[i].org);
			else
				cs_buf_add(&b, "null,", 5);
			json_str_or_null(&b, v[i].action);
			cs_buf_add(&b, ",", 1);
			json_str_or_null(&b, v[i].item);
			cs_buf_add(&b, ",", 1);
			json_str_or_null(&b, v[i].detail);
			cs_buf_add(&b, ",", 1);
			hex32(&b, v[i].prev);
			cs_buf_add(&b, ",", 1);
			hex32(&b, v[i].hash);
			cs_buf_add(&b, "]", 1);
		}
		cs_buf_add(&b, "]", 1);
		rc = cs_buf_failed(&b) ? CS_ESTORE : st_run(st, A,
		    Q_AUDIT_INSERT_MANY, PARMS(P_TEXT(cs_buf_str(&b))));
		cs_buf_fini(&b);
		return rc;
	}
	for (size_t i = 0; i < n && rc == CS_OK; i++)
		rc = st_run(st, A, Q_AUDIT_INSERT, PARMS(P_INT(v[i].seq),
		    P_INT(v[i].at_us), P_ID(v[i].user), P_ID(v[i].org),
		    P_TEXT(v[i].action), P_TEXT(v[i].item), P_TEXT(v[i].detail),
		    P_BLOB32(v[i].prev), P_BLOB32(v[i].hash)));
	return rc;
}

enum cs_err
store_audit_list(struct store *st, int64_t after, int64_t since, int limit,
    struct store_audit **v, size_t *n)
{
	return st_list(st, A, Q_AUDIT_LIST, PARMS(P_INT(after), P_INT(since),
	    P_LIMIT(limit)), &audit_codec, v, n);
}

ST_DEFINE_FREE(store_audits_free, struct store_audit, &audit_codec)

/* ---- failed logins (the lockout's window) -------------------------------------- */

struct login_fails {
	int64_t	 n;
	int64_t	 last_us;
};

static const struct store_col login_fails_cols[] = {
	COL(struct login_fails, n, CT_I64),
	COL(struct login_fails, last_us, CT_I64),
};
static const struct store_codec login_fails_codec =
    CODEC(struct login_fails, login_fails_cols);

enum cs_err
store_login_failure_add(struct store *st, const unsigned char hash[32],
    int64_t at_us)
{
	return st_run(st, A, Q_LOGIN_FAIL_ADD, PARMS(P_BLOB32(hash), P_INT(at_us)));
}

enum cs_err
store_login_failures(struct store *st, const unsigned char hash[32],
    int64_t since_us, int64_t *n, int64_t *last_us)
{
	struct login_fails f;
	enum cs_err rc;

	*n = 0;
	*last_us = 0;
	if ((rc = st_get(st, A, Q_LOGIN_FAIL_COUNT, PARMS(P_BLOB32(hash),
	    P_INT(since_us)), &login_fails_codec, &f)) != CS_OK)
		return rc == CS_ENOENT ? CS_OK : rc;
	*n = f.n;
	*last_us = f.last_us;
	return CS_OK;
}

enum cs_err
store_login_failures_prune(struct store *st, int64_t before_us)
{
	return st_run(st, A, Q_LOGIN_FAIL_PRUNE, PARMS(P_INT(before_us)));
}
