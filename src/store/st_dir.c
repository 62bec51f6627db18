/*
 * st_dir.c: the directory: organisations, users and API tokens.  Names,
 * logins and contacts are sealed at rest (P_SEALED / CT_SEALED, opened
 * and sealed in codec.c); a login is found by its keyed hash.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_ORG_INSERT, Q_ORG_GET, Q_ORG_LIST, Q_ORG_FIND, Q_ORG_UPDATE,
	Q_USER_INSERT, Q_USER_GET, Q_USER_BY_LOGIN, Q_USER_LIST, Q_USER_UPDATE,
	Q_TOKEN_INSERT, Q_TOKEN_GET, Q_TOKEN_PRINCIPAL, Q_TOKEN_DELETE,
	Q_TOKEN_LIST,
	Q__COUNT
};

#define ORG_COLS	"id, type, sectors, ceptoar, pre_arranged, name_sealed," \
			" pk, wrapped_sk, created_us, identifiers_sealed"
#define USER_COLS	"id, org, login_hash, login_sealed, display_sealed," \
			" email_sealed, phone_sealed, dept_sealed, roles, nda," \
			" pw_hash, created_us"
#define TOKEN_COLS	"id, \"user\", hash, label, created_us"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_ORG_INSERT] = { .nparm = 9, .sql =
	    "INSERT INTO orgs(type, sectors, ceptoar, pre_arranged, name_sealed,"
	    " pk, wrapped_sk, created_us, identifiers_sealed)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id" },
	[Q_ORG_GET] = { .nparm = 1, .sql =
	    "SELECT " ORG_COLS " FROM orgs WHERE id = ?1" },
	[Q_ORG_LIST] = { .nparm = 2, .sql =
	    "SELECT " ORG_COLS " FROM orgs WHERE id > ?1 ORDER BY id LIMIT ?2" },
	/* One type: served by orgs_type. */
	[Q_ORG_FIND] = { .nparm = 3, .sql =
	    "SELECT " ORG_COLS " FROM orgs WHERE type = CAST(?1 AS integer)"
	    " AND (CAST(?2 AS bigint) = 0 OR (sectors & CAST(?2 AS bigint)) <> 0)"
	    " ORDER BY id LIMIT ?3" },
	[Q_ORG_UPDATE] = { .nparm = 6, .sql =
	    "UPDATE orgs SET name_sealed = ?2, sectors = ?3, ceptoar = ?4,"
	    " pre_arranged = ?5, identifiers_sealed = ?6 WHERE id = ?1" },
	[Q_USER_INSERT] = { .nparm = 11, .sql =
	    "INSERT INTO users(org, login_hash, login_sealed, display_sealed,"
	    " email_sealed, phone_sealed, dept_sealed, roles, nda, pw_hash,"
	    " created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
	    " ON CONFLICT DO NOTHING RETURNING id" },
	[Q_USER_GET] = { .nparm = 1, .sql =
	    "SELECT " USER_COLS " FROM users WHERE id = ?1" },
	[Q_USER_BY_LOGIN] = { .nparm = 1, .sql =
	    "SELECT " USER_COLS " FROM users WHERE login_hash = ?1" },
	[Q_USER_LIST] = { .nparm = 3, .sql =
	    "SELECT " USER_COLS " FROM users"
	    " WHERE (CAST(?1 AS bigint) = 0 OR org = CAST(?1 AS bigint))"
	    " AND id > ?2 ORDER BY id LIMIT ?3" },
	[Q_USER_UPDATE] = { .nparm = 8, .sql =
	    "UPDATE users SET display_sealed = ?2, email_sealed = ?3,"
	    " phone_sealed = ?4, dept_sealed = ?5, roles = ?6, nda = ?7,"
	    " pw_hash = ?8 WHERE id = ?1" },
	[Q_TOKEN_INSERT] = { .nparm = 5, .sql =
	    "INSERT INTO tokens(id, \"user\", hash, label, created_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING RETURNING id" },
	[Q_TOKEN_GET] = { .nparm = 1, .sql =
	    "SELECT " TOKEN_COLS " FROM tokens WHERE id = ?1" },
	/* A bearer's token, user and organisation in one query (every request). */
	[Q_TOKEN_PRINCIPAL] = { .nparm = 1, .sql =
	    "SELECT t.id, t.\"user\", t.hash, t.label, t.created_us,"
	    " u.id, u.org, u.login_hash, u.login_sealed, u.display_sealed,"
	    " u.email_sealed, u.phone_sealed, u.dept_sealed, u.roles, u.nda,"
	    " u.pw_hash, u.created_us,"
	    " o.id, o.type, o.sectors, o.ceptoar, o.pre_arranged, o.name_sealed,"
	    " o.pk, o.wrapped_sk, o.created_us, o.identifiers_sealed"
	    " FROM tokens t LEFT JOIN users u ON u.id = t.\"user\""
	    " LEFT JOIN orgs o ON o.id = u.org WHERE t.id = ?1" },
	[Q_TOKEN_DELETE] = { .nparm = 1, .sql =
	    "DELETE FROM tokens WHERE id = ?1" },
	[Q_TOKEN_LIST] = { .nparm = 1, .sql =
	    "SELECT " TOKEN_COLS " FROM tokens WHERE \"user\" = ?1 ORDER BY id" },
};

struct store_area st_dir_area = { "dir", stmts, Q__COUNT, 0 };
#define A	(&st_dir_area)

/* ---- row codecs (in the column order of ORG_COLS, USER_COLS, TOKEN_COLS) ---- */

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
};
static const struct store_codec user_codec = CODEC(struct store_user, user_cols);

#define T_(f, t)	COL(struct store_token, f, t)
static const struct store_col token_cols[] = {
	T_(id, CT_I64), T_(user, CT_I64), T_(hash, CT_BLOB32), T_(label, CT_TEXT),
	T_(created_us, CT_I64),
};
static const struct store_codec token_codec = CODEC(struct store_token, token_cols);

/* ---- organisations -------------------------------------------------------- */

enum cs_err
store_org_insert(struct store *st, struct store_org *o)
{
	struct store_parm p[] = {
		P_INT(o->type), P_INT(o->sectors), P_ID(o->ceptoar),
		P_INT(o->pre_arranged), P_SEALED_NN(o->name),
		o->has_pk ? P_BLOB32(o->pk) : P_NULL, P_TEXT(o->wrapped_sk),
		P_INT(o->created_us), P_SEALED(o->identifiers),
	};

	return st_insert(st, A, Q_ORG_INSERT, p, NPARM(p), &o->id);
}

enum cs_err
store_org_get(struct store *st, int64_t id, struct store_org *o)
{
	struct store_parm p[] = { P_INT(id) };

	return st_get(st, A, Q_ORG_GET, p, NPARM(p), &org_codec, o);
}

enum cs_err
store_org_update(struct store *st, const struct store_org *o)
{
	struct store_parm p[] = {
		P_INT(o->id), P_SEALED_NN(o->name), P_INT(o->sectors),
		P_ID(o->ceptoar), P_INT(o->pre_arranged), P_SEALED(o->identifiers),
	};

	return st_update(st, A, Q_ORG_UPDATE, p, NPARM(p));
}

enum cs_err
store_org_list(struct store *st, int64_t after, int limit, struct store_org **v,
    size_t *n)
{
	struct store_parm p[] = { P_INT(after), P_LIMIT(limit) };

	return st_list(st, A, Q_ORG_LIST, p, NPARM(p), &org_codec, v, n);
}

enum cs_err
store_org_find(struct store *st, enum cs_org_type t, uint32_t sectors,
    struct store_org **v, size_t *n)
{
	struct store_parm p[] = { P_INT(t), P_INT(sectors), P_LIMIT(100000) };

	return st_list(st, A, Q_ORG_FIND, p, NPARM(p), &org_codec, v, n);
}

void
store_org_fini(struct store_org *o)
{
	if (o == NULL)
		return;
	free(o->name);
	free(o->wrapped_sk);
	free(o->identifiers);
	memset(o, 0, sizeof(*o));
}

void
store_orgs_free(struct store_org *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_org_fini(&v[i]);
	free(v);
}

/* ---- users ---------------------------------------------------------------- */

enum cs_err
store_user_insert(struct store *st, struct store_user *u)
{
	struct store_parm p[] = {
		P_INT(u->org), P_BLOB32(u->login_hash), P_SEALED_NN(u->login),
		P_SEALED(u->display_name), P_SEALED(u->email), P_SEALED(u->phone),
		P_SEALED(u->department), P_INT(u->roles), P_INT(u->nda_contractor),
		P_TEXT(u->pw_hash), P_INT(u->created_us),
	};

	return st_insert(st, A, Q_USER_INSERT, p, NPARM(p), &u->id);
}

enum cs_err
store_user_get(struct store *st, int64_t id, struct store_user *u)
{
	struct store_parm p[] = { P_INT(id) };

	return st_get(st, A, Q_USER_GET, p, NPARM(p), &user_codec, u);
}

enum cs_err
store_user_by_login(struct store *st, const unsigned char h[32],
    struct store_user *u)
{
	struct store_parm p[] = { P_BLOB32(h) };

	return st_get(st, A, Q_USER_BY_LOGIN, p, NPARM(p), &user_codec, u);
}

enum cs_err
store_user_list(struct store *st, int64_t org, int64_t after, int limit,
    struct store_user **v, size_t *n)
{
	struct store_parm p[] = { P_INT(org), P_INT(after), P_LIMIT(limit) };

	return st_list(st, A, Q_USER_LIST, p, NPARM(p), &user_codec, v, n);
}

enum cs_err
store_user_update(struct store *st, const struct store_user *u)
{
	struct store_parm p[] = {
		P_INT(u->id), P_SEALED(u->display_name), P_SEALED(u->email),
		P_SEALED(u->phone), P_SEALED(u->department), P_INT(u->roles),
		P_INT(u->nda_contractor), P_TEXT(u->pw_hash),
	};

	return st_update(st, A, Q_USER_UPDATE, p, NPARM(p));
}

void
store_user_fini(struct store_user *u)
{
	if (u == NULL)
		return;
	free(u->login);
	free(u->display_name);
	free(u->email);
	free(u->phone);
	free(u->department);
	free(u->pw_hash);
	memset(u, 0, sizeof(*u));
}

void
store_users_free(struct store_user *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_user_fini(&v[i]);
	free(v);
}

/* ---- tokens --------------------------------------------------------------- */

enum cs_err
store_token_insert(struct store *st, struct store_token *t)
{
	struct store_parm p[] = {
		P_INT(t->id), P_INT(t->user), P_BLOB32(t->hash), P_TEXT(t->label),
		P_INT(t->created_us),
	};

	return st_insert(st, A, Q_TOKEN_INSERT, p, NPARM(p), NULL);
}

enum cs_err
store_token_get(struct store *st, int64_t id, struct store_token *t)
{
	struct store_parm p[] = { P_INT(id) };

	return st_get(st, A, Q_TOKEN_GET, p, NPARM(p), &token_codec, t);
}

enum cs_err
store_token_delete(struct store *st, int64_t id)
{
	struct store_parm p[] = { P_INT(id) };

	return st_run(st, A, Q_TOKEN_DELETE, p, NPARM(p));
}

struct principal {
	struct store_token	*t;
	struct store_user	*u;
	struct store_org	*o;
	bool			 seen;
};

static void
principal_row(const struct store_row *r, void *arg)
{
	struct principal *x = arg;

	if (x->seen)
		return;
	x->seen = true;
	row_fill(r, 0, &token_codec, x->t);
	if (!row_null(r, 5))
		row_fill(r, 5, &user_codec, x->u);
	if (!row_null(r, 17))
		row_fill(r, 17, &org_codec, x->o);
}

enum cs_err
store_token_principal(struct store *st, int64_t id, struct store_token *t,
    struct store_user *u, struct store_org *o)
{
	struct store_parm p[] = { P_INT(id) };
	struct principal x = { t, u, o, false };
	enum cs_err rc;

	memset(t, 0, sizeof(*t));
	memset(u, 0, sizeof(*u));
	memset(o, 0, sizeof(*o));
	if ((rc = st_exec(st, A, Q_TOKEN_PRINCIPAL, p, NPARM(p), principal_row,
	    &x, NULL)) != CS_OK) {
		store_token_fini(t);
		store_user_fini(u);
		store_org_fini(o);
		return rc;
	}
	return x.seen ? CS_OK : CS_ENOENT;
}

enum cs_err
store_token_list(struct store *st, int64_t user, struct store_token **v, size_t *n)
{
	struct store_parm p[] = { P_INT(user) };

	return st_list(st, A, Q_TOKEN_LIST, p, NPARM(p), &token_codec, v, n);
}

void
store_token_fini(struct store_token *t)
{
	if (t == NULL)
		return;
	free(t->label);
	memset(t, 0, sizeof(*t));
}

void
store_tokens_free(struct store_token *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_token_fini(&v[i]);
	free(v);
}
