/*
 * store_int.h: the inside of src/store/ (SQLite's btreeInt.h), never
 * included above it (tests/unit/test_store.c excepted: it proves every
 * statement prepares on every engine).  docs/internals/store.md tells the
 * whole story; in short, three layers:
 *
 *  - areas (st_dir.c: the directory and the deployment's own records;
 *    st_info.c: reports, advisories and all that hangs off them): each
 *    holds its statement table once, with ?N placeholders (sqlbox's
 *    statement table), its row codecs once, and the public store_*()
 *    functions of store.h;
 *  - codec.c: typed parameters, row readers, the statement registry, and
 *    sealing as one column filter (P_SEALED parameters are sealed and
 *    CT_SEALED columns opened there, for every engine);
 *  - engines (sqlite/, pg/): a small vtable (curl's struct Curl_cftype):
 *    connection, transactions and savepoints, DDL and migrations, running
 *    a registered statement with typed parameters and a row callback,
 *    readers for snapshots, backup.
 *
 * store.c sits beside codec.c: open/close, group commit, snapshots and the
 * audit chain's tail cache.
 */
#ifndef CS_STORE_INT_H
#define CS_STORE_INT_H

#include <stddef.h>

#include "store/store.h"

#define NPARM(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- statements --------------------------------------------------------- */

enum store_dialect { STORE_SQLITE = 0, STORE_PG };

/* A dialect override meaning "this statement does not exist there". */
extern const char store_none[];
#define STORE_NONE	store_none

/* May fail alone (a unique key in an UPDATE): PostgreSQL runs it under a savepoint. */
#define STMT_GUARDED	0x01
/*
 * A write that changes no data a reader renders (an audit entry, a
 * token's last use, the full-text index): it does not move the data
 * generation (store_generations).  Every other statement whose text holds
 * INSERT, UPDATE or DELETE does, when it succeeds in a transaction.
 */
#define STMT_NO_GEN	0x02
/*
 * Its result may come later (PostgreSQL's pipeline, pg.c "Round trips"):
 * an INSERT or UPDATE that cannot meet a unique key, a foreign key it
 * does not already hold, or a CHECK, run through st_run() (no rows, no
 * count, no key).  Its failure still fails the request: it shows at the
 * request's end, CS_ESTORE, instead of at the call.
 */
#define STMT_DEFER	0x04

struct store_stmt {
	const char	*sql;		/* ?N placeholders; pg rewrites to $N at prepare */
	const char	*sqlite;	/* NULL: sql; STORE_NONE: absent */
	const char	*pg;		/* NULL: sql; STORE_NONE: absent */
	unsigned	 nparm;		/* checked against the engine (test_store) */
	unsigned	 flags;		/* STMT_* */
	/*
	 * An INSERT's generated key, handed back by st_insert(): PostgreSQL
	 * appends "RETURNING <it>" at prepare, SQLite reads its rowid (a
	 * RETURNING clause would cost SQLite three times the insert).
	 */
	const char	*returning;
};

/* One area's table; base is its first statement's id in the registry. */
struct store_area {
	const char		*name;
	const struct store_stmt	*stmt;
	size_t			 n;
	size_t			 base;
};

extern struct store_area st_dir_area, st_info_area, st_mode_area,
    st_council_area, st_drill_area, st_exercise_area;
extern struct store_area st_obj_area, st_obs_area;
extern struct store_area st_search_area;	/* st_search.c: the full-text index */
extern struct store_area st_survey_area;	/* st_survey.c: the yearly survey */
extern struct store_area st_risk_area;	/* st_risk.c: the risk workspace */
extern struct store_area st_attach_area;	/* st_attach.c: attachments, samples */
extern struct store_area st_inquiry_area;	/* st_inquiry.c */
extern struct store_area st_note_area;	/* st_note.c: relay/forward/return notes */
extern struct store_area st_peer_area;	/* st_peer.c: federation peers */
extern struct store_area st_totp_area;	/* st_totp.c: TOTP second factor */
extern struct store_area st_retention_area;	/* st_retention.c */

/*
 * The statements transactions are made of (codec.c), the first area of the
 * registry, so an engine runs TX_BEGIN etc. as registry ids 0, 1, ...
 * The engines keep the logic around them (reconnects, failed transactions,
 * synchronous), store.c the grouping (group commit, snapshots).
 */
enum store_tx {
	TX_BEGIN, TX_BEGIN_SNAPSHOT, TX_COMMIT, TX_ROLLBACK,
	TX_MARK, TX_UNMARK, TX_UNDO,		/* one request: savepoint cs_req */
	TX_GUARD, TX_UNGUARD, TX_GUARD_UNDO,	/* one STMT_GUARDED statement (PostgreSQL) */
	TX__COUNT
};
extern struct store_area st_tx_area;

/* The registry: every area's statements, numbered 0 .. store_nstmt() - 1. */
size_t		 store_nstmt(void);
const struct store_stmt *store_stmt_at(size_t id, const char **area, size_t *idx);
/* The statement's text in a dialect, NULL when it has none there. */
const char	*store_stmt_sql(const struct store_stmt *, enum store_dialect);

/* ---- parameters ----------------------------------------------------------- */

enum store_ptype {
	SP_NULL,
	SP_INT,		/* i */
	SP_TEXT,	/* p (NUL-terminated; NULL is SQL NULL) */
	SP_BLOB,	/* p, n bytes */
	SP_LIMIT,	/* i; negative is no limit */
	SP_SEALED,	/* p: clear text, sealed by codec.c before the engine sees it */
};

struct store_parm {
	enum store_ptype t;
	int64_t		 i;
	const void	*p;
	size_t		 n;
};

#define P_INT(v)	((struct store_parm){ .t = SP_INT, .i = (int64_t)(v) })
/* An id or time where 0 means "none": NULL. */
#define P_ID(v)		((struct store_parm){ .t = (v) == 0 ? SP_NULL : SP_INT, \
			    .i = (int64_t)(v) })
#define P_TEXT(s)	((struct store_parm){ .t = SP_TEXT, .p = (s) })
#define P_BLOB(b, len)	((struct store_parm){ .t = SP_BLOB, .p = (b), .n = (len) })
#define P_BLOB32(b)	P_BLOB((b), 32)
#define P_LIMIT(v)	((struct store_parm){ .t = SP_LIMIT, .i = (v) })
#define P_NULL		((struct store_parm){ .t = SP_NULL })
/* Sealed at rest; NULL stays NULL (.n = 1: NULL is sealed as ""). */
#define P_SEALED(s)	((struct store_parm){ .t = SP_SEALED, .p = (s) })
#define P_SEALED_NN(s)	((struct store_parm){ .t = SP_SEALED, .p = (s), .n = 1 })

/* A parameter list in place: PARMS(P_INT(id), P_TEXT(name)) is "array, count". */
#define PARMS(...)	(const struct store_parm[]){ __VA_ARGS__ },	\
			NPARM(((const struct store_parm[]){ __VA_ARGS__ }))

#define STORE_MAXPARM	16

/* ---- rows ------------------------------------------------------------------ */

struct store_engine;

/* One result row: engine-specific handle h, row i of it. */
struct store_row {
	const struct store_engine *eng;
	void		*h;
	int		 i;
};

typedef void	(*store_row_fn)(const struct store_row *, void *arg);

/* Column types of a row codec (sqlbox_filt for CT_SEALED). */
enum store_ctype {
	CT_I64,		/* int64_t; NULL is 0 */
	CT_INT,		/* int, unsigned or an enum */
	CT_U32,		/* uint32_t */
	CT_BOOL,	/* bool */
	CT_TEXT,	/* char *, a heap copy; NULL stays NULL */
	CT_TEXT_NN,	/* char *, "" when NULL */
	CT_SEALED,	/* char *, opened from its sealed form */
	CT_SEALED_NN,	/* as CT_SEALED, "" when NULL */
	CT_BLOB32,	/* unsigned char[32]; aux: offset of a bool "has" + 1, or 0 */
	CT_STR,		/* char[aux], truncated */
};

struct store_col {
	enum store_ctype type;
	size_t		 off;
	size_t		 aux;
};

/* A row codec: columns in SELECT order into a record of `size` bytes. */
struct store_codec {
	const struct store_col	*col;
	size_t			 n;
	size_t			 size;
};

#define COL(T, f, ty)	{ (ty), offsetof(T, f), 0 }
#define COL_STR(T, f)	{ CT_STR, offsetof(T, f), sizeof(((T *)0)->f) }
#define COL_BLOB_HAS(T, f, has) { CT_BLOB32, offsetof(T, f), offsetof(T, has) + 1 }
#define CODEC(T, cols)	{ (cols), NPARM(cols), sizeof(T) }

/* A record of one int64_t (an id, a count) from column 0. */
extern const struct store_codec store_i64_codec;

/* Frees a record's heap columns (and zeroes it); a list of n of them and the list. */
void		 st_fini(void *rec, const struct store_codec *);
/* A deep copy of a record: dst is overwritten (not freed first). */
void		 st_copy(void *dst, const void *src, const struct store_codec *);
void		 st_free(void *v, size_t n, const struct store_codec *);

/*
 * The public functions that are nothing but a statement and a codec, one
 * line each in the areas: a get by id, a list by one key, a page of a list
 * by one key (0: any), an id to start after and a limit, a record's
 * destructor and a list's.
 */
#define ST_DEFINE_GET(fn, T, area, q, codec)				\
enum cs_err								\
fn(struct store *st, int64_t id, T *out)				\
{									\
	return st_get(st, (area), (q), PARMS(P_INT(id)), (codec), out);	\
}
#define ST_DEFINE_LIST_BY(fn, T, area, q, codec)			\
enum cs_err								\
fn(struct store *st, int64_t key, T **v, size_t *n)			\
{									\
	return st_list(st, (area), (q), PARMS(P_INT(key)), (codec), v, n); \
}
#define ST_DEFINE_LIST_PAGE(fn, T, area, q, codec)			\
enum cs_err								\
fn(struct store *st, int64_t key, int64_t after, int limit, T **v,	\
    size_t *n)								\
{									\
	return st_list(st, (area), (q), PARMS(P_INT(key), P_INT(after),	\
	    P_LIMIT(limit)), (codec), v, n);				\
}
#define ST_DEFINE_FINI(fn, T, codec)					\
void									\
fn(T *rec)								\
{									\
	st_fini(rec, (codec));						\
}
#define ST_DEFINE_FREE(fn, T, codec)					\
void									\
fn(T *v, size_t n)							\
{									\
	st_free(v, n, (codec));						\
}

bool		 row_null(const struct store_row *, int col);
int64_t		 row_i64(const struct store_row *, int col);
char		*row_text(const struct store_row *, int col);
/* Columns base .. base + c->n - 1 into rec (not cleared first). */
void		 row_fill(const struct store_row *, int base, const struct store_codec *,
		    void *rec);

/* ---- running statements (codec.c) ------------------------------------------ */

/*
 * Runs area statement q with p[0..n) on the calling thread's connection;
 * each row goes to fn (may be NULL); *changes (may be NULL) gets the rows an
 * INSERT/UPDATE/DELETE changed.
 */
enum cs_err	 st_exec(struct store *, const struct store_area *, int q,
		    const struct store_parm *, size_t n, store_row_fn fn, void *arg,
		    int64_t *changes) CS_WUR;
enum cs_err	 st_run(struct store *, const struct store_area *, int q,
		    const struct store_parm *, size_t) CS_WUR;
/* An UPDATE: CS_ENOENT when it changed no row. */
enum cs_err	 st_update(struct store *, const struct store_area *, int q,
		    const struct store_parm *, size_t) CS_WUR;
/*
 * An INSERT (ON CONFLICT DO NOTHING where a key may clash): *added false
 * when it inserted nothing; *id (may be NULL) gets the key .returning names.
 */
enum cs_err	 st_add(struct store *, const struct store_area *, int q,
		    const struct store_parm *, size_t, int64_t *id, bool *added) CS_WUR;
/* The same, inserting nothing being a unique conflict (CS_ECONFLICT). */
enum cs_err	 st_insert(struct store *, const struct store_area *, int q,
		    const struct store_parm *, size_t, int64_t *id) CS_WUR;
/* The first row (only) to fn; CS_ENOENT when there is none. */
enum cs_err	 st_first(struct store *, const struct store_area *, int q,
		    const struct store_parm *, size_t, store_row_fn fn, void *arg) CS_WUR;
/* The first row through c into rec (cleared first); CS_ENOENT when none. */
enum cs_err	 st_get(struct store *, const struct store_area *, int q,
		    const struct store_parm *, size_t, const struct store_codec *c,
		    void *rec) CS_WUR;
/* Every row through c into a new array *(void **)out of *nout records. */
enum cs_err	 st_list(struct store *, const struct store_area *, int q,
		    const struct store_parm *, size_t, const struct store_codec *c,
		    void *out, size_t *nout) CS_WUR;
/* A read ahead of statement q (engine prefetch); nothing on SQLite. */
void		 st_prefetch(struct store *, const struct store_area *, int q,
		    const struct store_parm *, size_t);
/* Is q there in this store's dialect? */
bool		 st_has(struct store *, const struct store_area *, int q);

/*
 * A full-text row kept for its batch's commit: store_search_put() inside a
 * transaction hands it to store_search_defer() (store.c), which keeps it
 * (taking body) with the request's changes, drops it if the request is
 * undone, and writes the batch's rows with st_search_write() (st_search.c,
 * one statement) just before the commit.  false: no transaction, write it
 * now.
 */
struct store_search_doc {
	int64_t		 key;
	int		 kind;
	int64_t		 item;
	int		 version;
	int		 hop;
	char		*body;		/* folded */
};
bool		 store_search_defer(struct store *, const struct store_search_doc *);
/* n rows committed to the list (store.c: wakes the indexer). */
void		 store_search_noted(struct store *, size_t n);
/* codec.c: a statement that moves the data generation ran (store.c). */
void		 store_data_changed(struct store *);
/* st_dir.c: the generations' statement (store_generations in store.c). */
enum cs_err	 st_generations_read(struct store *, int64_t *auth, int64_t *data) CS_WUR;
/* st_dir.c: moves the data generation (store.c, before a commit). */
enum cs_err	 st_data_generation_bump(struct store *) CS_WUR;
enum cs_err	 st_search_write(struct store *, const struct store_search_doc *,
		    size_t) CS_WUR;
/*
 * SQLite's asynchronous indexer (st_search.c): is there one (false on
 * PostgreSQL); the rows committed but not in the trigram index yet (0
 * without one); the max oldest of them into it (*n: how many), in the
 * caller's transaction.
 */
bool		 st_search_async(struct store *);
enum cs_err	 st_search_pending(struct store *, int64_t *n) CS_WUR;
enum cs_err	 st_search_index(struct store *, int max, int64_t *n) CS_WUR;

/* Engine locks held to the end of the transaction (PostgreSQL advisory locks). */
enum store_lock { STORE_LOCK_AUDIT = 0, STORE_LOCK_EVENTS };
enum cs_err	 st_lock(struct store *, enum store_lock) CS_WUR;

/* ---- the engine seam --------------------------------------------------------- */

/* The bytes of an engine's commit stamp (store_engine.stamp). */
#define STORE_STAMP_LEN	48

struct store_engine {
	const char	*name;
	enum store_dialect dialect;
	/* Opens (create: migrates) and prepares every registered statement. */
	enum cs_err	(*open)(const char *target, bool create, void **ctx,
			    struct cs_error *);
	void		(*close)(void *ctx);
	int		(*schema_version)(void *ctx);
	/*
	 * A backend transaction, opened and ended by store.c under its lock
	 * (not necessarily on the same thread); durable: its commit waits for
	 * the disk.  mark/unmark bracket one request inside it (a savepoint);
	 * unmark(keep=false) undoes the request's changes, unmark(keep=true)
	 * fails, undoing them, if the request's statements cannot be kept.
	 */
	enum cs_err	(*begin)(void *ctx, bool durable);
	enum cs_err	(*commit)(void *ctx);
	void		(*rollback)(void *ctx);
	enum cs_err	(*mark)(void *ctx);
	enum cs_err	(*unmark)(void *ctx, bool keep);
	/*
	 * Optional (NULL: unmark(ctx, true)): unmark(keep) of the one
	 * request of a batch that commits right after it, nothing joining:
	 * what the request left unchecked may be checked by the commit (whose
	 * failure is then the request's alone).
	 */
	enum cs_err	(*unmark_last)(void *ctx);
	/* Optional (NULL: none); SQLite: nothing to do. */
	enum cs_err	(*lock)(void *ctx, enum store_lock);
	/* Optional (NULL: none): round trips to the server waited for so far. */
	uint64_t	(*round_trips)(void *ctx);
	/*
	 * Optional (NULL: none): a read ahead in the current transaction.
	 * Registry statement id (a SELECT) with these parameters is sent now;
	 * an exec() of the same statement with the same parameters later in
	 * the transaction takes its rows without a round trip, unless a write
	 * came between.
	 */
	void		(*prefetch)(void *ctx, size_t id, const struct store_parm *,
			    size_t n);
	/*
	 * Optional (NULL: none): a second, read-only context on the same
	 * database whose begin(ctx, false) starts a snapshot; every read
	 * statement works on it.  Closed with reader_close.
	 */
	enum cs_err	(*reader_open)(void *ctx, void **reader);
	void		(*reader_close)(void *reader);
	/*
	 * Optional (NULL: none): a second read-write context on the same
	 * database, for the audit queue's appends beside the writer (store.c
	 * aq_write); closed with close.
	 */
	enum cs_err	(*aux_open)(void *ctx, void **aux);
	/*
	 * Registered statement id; parameters already sealed (no SP_SEALED).
	 * *changes: the rows an INSERT/UPDATE/DELETE changed; *key: the
	 * .returning key of the row an INSERT added.  Either may be NULL.
	 */
	enum cs_err	(*exec)(void *ctx, size_t id, const struct store_parm *,
			    size_t n, store_row_fn, void *arg, int64_t *changes,
			    int64_t *key);
	/* Column readers for struct store_row. */
	bool		(*col_null)(void *h, int row, int col);
	int64_t		(*col_i64)(void *h, int row, int col);
	const char	*(*col_text)(void *h, int row, int col);	/* borrowed */
	bool		(*col_blob32)(void *h, int row, int col, unsigned char out[32]);
	enum cs_err	(*backup)(void *, const char *out_path, struct cs_error *);
	/* For test_store: the engine's parameter count of a prepared statement (-1: absent). */
	int		(*nparams)(void *ctx, size_t id);
	/* For test_store: "table.column" of every table, sorted (caller frees). */
	enum cs_err	(*columns)(void *ctx, char ***v, size_t *n);
	/*
	 * For test_store (optional): how durable a commit of the current
	 * transaction is — SQLite's synchronous level (2 FULL, 1 NORMAL).
	 */
	int		(*sync_level)(void *ctx);
	/*
	 * Attachments' bytes (st_attach.c).  blob_io (optional; NULL: the
	 * bytes travel as parameters and columns): incremental blob I/O (SQLite
	 * sqlite3_blob_*) of n bytes at off of column col of row rowid of
	 * table, written (write) or read into p.  col_bytes: copies up to max
	 * bytes of a blob column into out; returns its length.
	 */
	enum cs_err	(*blob_io)(void *ctx, const char *table, const char *col,
			    int64_t rowid, size_t off, void *p, size_t n, bool write);
	size_t		(*col_bytes)(void *h, int row, int col, void *out,
			    size_t max);
	/*
	 * Optional (NULL: none): a value that every commit to the database,
	 * by any process, changes before the committing call returns, read
	 * without a transaction (SQLite: the WAL-index header of the -shm
	 * file every connection maps).  false: it could not be read (being
	 * written, or no such file).  Called on the writer's context from
	 * any thread.
	 */
	bool		(*stamp)(void *ctx, unsigned char out[STORE_STAMP_LEN]);
};

extern const struct store_engine store_sqlite_engine;
#ifdef CS_HAVE_PG
extern const struct store_engine store_pg_engine;
#endif

/* store.c: the engine and the connection the calling thread works on. */
const struct store_engine *store_engine_of(struct store *);
void		*store_ctx(struct store *);

/* st_dir.c, for store_audit_append() in store.c: v[0..n), chained already. */
enum cs_err	 st_audit_last(struct store *, int64_t *seq, unsigned char hash[32]) CS_WUR;
enum cs_err	 st_audit_insert(struct store *, const struct store_audit *v, size_t n) CS_WUR;
/* st_search.c: s as a JSON string (quoted, escaped) onto b. */
void		 st_json_str(struct cs_buf *, const char *s);

#endif
