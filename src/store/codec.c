/*
 * codec.c: between the areas and the engines.  The statement registry
 * (every area's table numbered once, so an engine prepares them all at
 * open and finds each by id), typed parameters in, row codecs out, and
 * sealing as one column filter: a P_SEALED parameter is sealed here and a
 * CT_SEALED column opened here, whichever engine runs the statement.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/store_int.h"

const char store_none[] = "";

/* One copy of each, overrides where the dialects differ. */
static const struct store_stmt tx_stmts[TX__COUNT] = {
	[TX_BEGIN] = { .sql = NULL,
	    .sqlite = "BEGIN IMMEDIATE",		/* the write lock up front */
	    .pg = "BEGIN ISOLATION LEVEL READ COMMITTED" },
	/* A reader's snapshot: no write lock; one consistent view. */
	[TX_BEGIN_SNAPSHOT] = { .sql = NULL, .sqlite = "BEGIN",
	    .pg = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY" },
	[TX_COMMIT] = { .sql = "COMMIT" },
	[TX_ROLLBACK] = { .sql = "ROLLBACK" },
	[TX_MARK] = { .sql = "SAVEPOINT cs_req" },
	[TX_UNMARK] = { .sql = "RELEASE SAVEPOINT cs_req" },
	[TX_UNDO] = { .sql = "ROLLBACK TO SAVEPOINT cs_req" },
	[TX_GUARD] = { .sqlite = STORE_NONE, .sql = "SAVEPOINT cs_stmt" },
	[TX_UNGUARD] = { .sqlite = STORE_NONE, .sql = "RELEASE SAVEPOINT cs_stmt" },
	[TX_GUARD_UNDO] = { .sqlite = STORE_NONE,
	    .sql = "ROLLBACK TO SAVEPOINT cs_stmt" },
	/*
	 * No "PRAGMA synchronous" here: SQLite applies that pragma when it is
	 * *prepared*, and a prepared one stepped again later may not apply
	 * it, so the SQLite engine runs it with sqlite3_exec() each time.
	 */
};

struct store_area st_tx_area = { "tx", tx_stmts, TX__COUNT, 0 };

/* st_tx_area first: its ids are the TX_* values. */
static struct store_area *const areas[] = {
	&st_tx_area, &st_dir_area, &st_info_area, &st_mode_area, &st_council_area, &st_drill_area,
	&st_exercise_area, &st_obj_area, &st_obs_area, &st_search_area,
	&st_survey_area,
	&st_risk_area,
	&st_attach_area,
	&st_inquiry_area,
	&st_note_area,
	&st_peer_area,
	&st_totp_area,
	&st_retention_area,
};
#define NAREAS	(sizeof(areas) / sizeof(areas[0]))

static pthread_once_t areas_once = PTHREAD_ONCE_INIT;
static size_t nstmt;
/* By id: bit (1 << dialect) set when the statement moves the data generation. */
static unsigned char *moves_gen;

/* Does the text hold INSERT, UPDATE or DELETE as a word? */
static bool
sql_writes(const char *sql)
{
	static const char *const kw[] = { "insert", "update", "delete" };

	for (const char *s = sql; s != NULL && *s != '\0'; s++) {
		if (s > sql && (isalnum((unsigned char)s[-1]) || s[-1] == '_'))
			continue;
		for (size_t k = 0; k < sizeof(kw) / sizeof(kw[0]); k++)
			if (strncasecmp(s, kw[k], 6) == 0 &&
			    !isalnum((unsigned char)s[6]) && s[6] != '_')
				return true;
	}
	return false;
}

static void
areas_init(void)
{
	size_t base = 0;

	for (size_t i = 0; i < NAREAS; i++) {
		areas[i]->base = base;
		base += areas[i]->n;
	}
	nstmt = base;
	moves_gen = xcalloc(nstmt ? nstmt : 1, 1);
	for (size_t i = 0; i < NAREAS; i++)
		for (size_t k = 0; k < areas[i]->n; k++) {
			const struct store_stmt *s = &areas[i]->stmt[k];

			if (s->flags & STMT_NO_GEN)
				continue;
			for (int d = STORE_SQLITE; d <= STORE_PG; d++)
				if (sql_writes(store_stmt_sql(s,
				    (enum store_dialect)d)))
					moves_gen[areas[i]->base + k] |= 1u << d;
		}
}

size_t
store_nstmt(void)
{
	pthread_once(&areas_once, areas_init);
	return nstmt;
}

const struct store_stmt *
store_stmt_at(size_t id, const char **area, size_t *idx)
{
	pthread_once(&areas_once, areas_init);
	for (size_t i = 0; i < NAREAS; i++) {
		if (id < areas[i]->base + areas[i]->n) {
			if (area != NULL)
				*area = areas[i]->name;
			if (idx != NULL)
				*idx = id - areas[i]->base;
			return &areas[i]->stmt[id - areas[i]->base];
		}
	}
	return NULL;
}

const char *
store_stmt_sql(const struct store_stmt *s, enum store_dialect d)
{
	const char *o = d == STORE_PG ? s->pg : s->sqlite;

	if (o == STORE_NONE)
		return NULL;
	return o != NULL ? o : s->sql;
}

bool
st_has(struct store *st, const struct store_area *a, int q)
{
	return store_stmt_sql(&a->stmt[q], store_engine_of(st)->dialect) != NULL;
}

void
st_prefetch(struct store *st, const struct store_area *a, int q,
    const struct store_parm *p, size_t n)
{
	const struct store_engine *eng = store_engine_of(st);

	void *ctx;

	pthread_once(&areas_once, areas_init);
	/* NULL: a cached snapshot (store_begin_cached) runs no statement. */
	if (eng->prefetch != NULL && n == a->stmt[q].nparm &&
	    (ctx = store_ctx(st)) != NULL)
		eng->prefetch(ctx, a->base + (size_t)q, p, n);
}

enum cs_err
st_lock(struct store *st, enum store_lock l)
{
	const struct store_engine *eng = store_engine_of(st);

	void *ctx;

	if (eng->lock == NULL)
		return CS_OK;
	if ((ctx = store_ctx(st)) == NULL)
		return CS_ESTORE;	/* a cached snapshot (store_begin_cached) */
	return eng->lock(ctx, l);
}

/* ---- parameters in ---------------------------------------------------------- */

/* st_exec() with the key an INSERT generated. */
static enum cs_err
exec_key(struct store *st, const struct store_area *a, int q,
    const struct store_parm *p, size_t n, store_row_fn fn, void *arg,
    int64_t *changes, int64_t *key)
{
	const struct store_engine *eng = store_engine_of(st);
	struct store_parm v[STORE_MAXPARM];
	char *sealed[STORE_MAXPARM];
	size_t nsealed = 0;
	void *ctx;
	enum cs_err rc;

	pthread_once(&areas_once, areas_init);
	if (n != a->stmt[q].nparm || n > STORE_MAXPARM) {
		log_warn("event=store_bug area=%s stmt=%d nparm=%zu", a->name, q, n);
		return CS_ESTORE;
	}
	for (size_t i = 0; i < n; i++) {
		v[i] = p[i];
		if (p[i].t != SP_SEALED)
			continue;
		/* The one place clear text becomes sealed text. */
		if (p[i].p == NULL && p[i].n == 0) {
			v[i] = P_NULL;
			continue;
		}
		sealed[nsealed] = core_seal_text(p[i].p != NULL ? p[i].p : "");
		v[i] = P_TEXT(sealed[nsealed]);
		nsealed++;
	}
	if (changes != NULL)
		*changes = 0;
	if (key != NULL)
		*key = 0;
	/* NULL: a cached snapshot (store_begin_cached) runs no statement. */
	rc = (ctx = store_ctx(st)) == NULL ? CS_ESTORE : eng->exec(ctx,
	    a->base + (size_t)q, v, n, fn, arg, changes, key);
	for (size_t i = 0; i < nsealed; i++)
		free(sealed[i]);
	if (rc == CS_OK && (moves_gen[a->base + (size_t)q] & (1u << eng->dialect)))
		store_data_changed(st);
	return rc;
}

enum cs_err
st_exec(struct store *st, const struct store_area *a, int q,
    const struct store_parm *p, size_t n, store_row_fn fn, void *arg,
    int64_t *changes)
{
	return exec_key(st, a, q, p, n, fn, arg, changes, NULL);
}

enum cs_err
st_run(struct store *st, const struct store_area *a, int q,
    const struct store_parm *p, size_t n)
{
	return st_exec(st, a, q, p, n, NULL, NULL, NULL);
}

enum cs_err
st_update(struct store *st, const struct store_area *a, int q,
    const struct store_parm *p, size_t n)
{
	int64_t changed = 0;
	enum cs_err rc;

	if ((rc = st_exec(st, a, q, p, n, NULL, NULL, &changed)) == CS_OK &&
	    changed == 0)
		rc = CS_ENOENT;
	return rc;
}

/* A one-column int64_t record: ids, counts. */
static const struct store_col i64_cols[] = { { CT_I64, 0, 0 } };
const struct store_codec store_i64_codec = { i64_cols, 1, sizeof(int64_t) };

enum cs_err
st_add(struct store *st, const struct store_area *a, int q,
    const struct store_parm *p, size_t n, int64_t *id, bool *added)
{
	int64_t changed = 0, key = 0;
	enum cs_err rc;

	*added = false;
	if ((rc = exec_key(st, a, q, p, n, NULL, NULL, &changed, &key)) != CS_OK)
		return rc;
	if ((*added = changed > 0) && id != NULL)
		*id = key;
	return CS_OK;
}

enum cs_err
st_insert(struct store *st, const struct store_area *a, int q,
    const struct store_parm *p, size_t n, int64_t *id)
{
	bool added;
	enum cs_err rc;

	/* Nothing inserted: DO NOTHING met a unique key. */
	if ((rc = st_add(st, a, q, p, n, id, &added)) == CS_OK && !added)
		rc = CS_ECONFLICT;
	return rc;
}

/* ---- rows out --------------------------------------------------------------- */

bool
row_null(const struct store_row *r, int col)
{
	return r->eng->col_null(r->h, r->i, col);
}

int64_t
row_i64(const struct store_row *r, int col)
{
	return r->eng->col_i64(r->h, r->i, col);
}

char *
row_text(const struct store_row *r, int col)
{
	const char *t = r->eng->col_text(r->h, r->i, col);

	return t == NULL ? NULL : xstrdup(t);
}

_Static_assert(sizeof(enum cs_tlp) == sizeof(int), "enums are stored as int");

void
row_fill(const struct store_row *r, int base, const struct store_codec *c,
    void *rec)
{
	char *b = rec;

	for (size_t k = 0; k < c->n; k++) {
		const struct store_col *col = &c->col[k];
		int i = base + (int)k;
		void *f = b + col->off;
		const char *t;
		bool has;

		switch (col->type) {
		case CT_I64:
			*(int64_t *)f = row_i64(r, i);
			break;
		case CT_INT:
			*(int *)f = (int)row_i64(r, i);
			break;
		case CT_U32:
			*(uint32_t *)f = (uint32_t)row_i64(r, i);
			break;
		case CT_BOOL:
			*(bool *)f = row_i64(r, i) != 0;
			break;
		case CT_TEXT:
		case CT_TEXT_NN:
			*(char **)f = row_text(r, i);
			if (*(char **)f == NULL && col->type == CT_TEXT_NN)
				*(char **)f = xstrdup("");
			break;
		case CT_SEALED:
		case CT_SEALED_NN:
			/* The one place sealed text becomes clear text. */
			t = r->eng->col_text(r->h, r->i, i);
			*(char **)f = t == NULL ? NULL : core_open_text(t);
			if (*(char **)f == NULL && col->type == CT_SEALED_NN)
				*(char **)f = xstrdup("");
			break;
		case CT_BLOB32:
			has = r->eng->col_blob32(r->h, r->i, i, f);
			if (!has)
				memset(f, 0, 32);
			if (col->aux > 0)
				*(bool *)(b + col->aux - 1) = has;
			break;
		case CT_STR:
			t = r->eng->col_text(r->h, r->i, i);
			(void)cs_strlcpy(f, t != NULL ? t : "", col->aux);
			break;
		}
	}
}

struct first {
	store_row_fn	 fn;
	void		*arg;
	bool		 seen;
};

static void
first_row(const struct store_row *r, void *arg)
{
	struct first *f = arg;

	if (!f->seen)
		f->fn(r, f->arg);
	f->seen = true;
}

enum cs_err
st_first(struct store *st, const struct store_area *a, int q,
    const struct store_parm *p, size_t n, store_row_fn fn, void *arg)
{
	struct first f = { fn, arg, false };
	enum cs_err rc;

	if ((rc = st_exec(st, a, q, p, n, first_row, &f, NULL)) != CS_OK)
		return rc;
	return f.seen ? CS_OK : CS_ENOENT;
}

struct fill {
	const struct store_codec *c;
	void		*rec;
};

static void
fill_row(const struct store_row *r, void *arg)
{
	struct fill *f = arg;

	row_fill(r, 0, f->c, f->rec);
}

enum cs_err
st_get(struct store *st, const struct store_area *a, int q,
    const struct store_parm *p, size_t n, const struct store_codec *c, void *rec)
{
	struct fill f = { c, rec };

	memset(rec, 0, c->size);
	return st_first(st, a, q, p, n, fill_row, &f);
}

struct many {
	const struct store_codec *c;
	char		*v;
	size_t		 n, cap;
};

static void
many_row(const struct store_row *r, void *arg)
{
	struct many *m = arg;
	void *rec;

	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->v = xreallocarray(m->v, m->cap, m->c->size);
	}
	rec = m->v + m->n++ * m->c->size;
	memset(rec, 0, m->c->size);
	row_fill(r, 0, m->c, rec);
}

void
st_fini(void *rec, const struct store_codec *c)
{
	char *b = rec;

	if (rec == NULL)
		return;
	for (size_t k = 0; k < c->n; k++) {
		switch (c->col[k].type) {
		case CT_TEXT:
		case CT_TEXT_NN:
		case CT_SEALED:
		case CT_SEALED_NN:
			free(*(char **)(b + c->col[k].off));
			break;
		default:
			break;
		}
	}
	memset(rec, 0, c->size);
}

void
st_copy(void *dst, const void *src, const struct store_codec *c)
{
	char *b = dst;

	memcpy(dst, src, c->size);
	for (size_t k = 0; k < c->n; k++) {
		char **p = (char **)(b + c->col[k].off);

		switch (c->col[k].type) {
		case CT_TEXT:
		case CT_TEXT_NN:
		case CT_SEALED:
		case CT_SEALED_NN:
			if (*p != NULL)
				*p = xstrdup(*p);
			break;
		default:
			break;
		}
	}
}

void
st_free(void *v, size_t n, const struct store_codec *c)
{
	for (size_t i = 0; i < n; i++)
		st_fini((char *)v + i * c->size, c);
	free(v);
}

enum cs_err
st_list(struct store *st, const struct store_area *a, int q,
    const struct store_parm *p, size_t n, const struct store_codec *c, void *out,
    size_t *nout)
{
	struct many m = { c, NULL, 0, 0 };
	enum cs_err rc;

	if ((rc = st_exec(st, a, q, p, n, many_row, &m, NULL)) != CS_OK) {
		st_free(m.v, m.n, c);
		return rc;
	}
	*(void **)out = m.v;
	*nout = m.n;
	return CS_OK;
}
