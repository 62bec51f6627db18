/*
 * pg.c: the PostgreSQL engine of the store (libpq, store_int.h), the same
 * contract as sqlite.c: the area statements run alike (the same ordering,
 * the same CS_ENOENT / CS_ECONFLICT / CS_ESTORE codes).  Sealing is not
 * here: codec.c seals and opens for every engine.
 *
 * The URL: store.c hands over the whole libpq connection URI,
 *	postgresql://cishare@db.example:5432/cishare?sslmode=verify-full
 * and every libpq parameter and PG* environment variable works as libpq
 * documents them.  The password is never part of it (--db is a command
 * line argument, readable in ps): libpq reads it from a password file
 * (PGPASSFILE, ~/.pgpass, or the passfile= parameter of the URI) or from
 * PGPASSWORD.  A URI that carries a password is refused.
 *
 * Schema: schema.c (migrations, schema_version).
 *
 * Statements: every statement of the registry (the areas' tables in
 * st_*.c, the transactions' in codec.c), its ?N rewritten to $N, is
 * prepared once per connection (PQprepare) as cs_s<id> and run with
 * PQexecPrepared: numbers and text travel as text parameters, blobs in
 * binary.  Results are read in text format.
 *
 * Concurrency: one connection per struct store, guarded by a mutex held
 * from begin to commit/rollback, as in sqlite.c.  Transactions run at READ
 * COMMITTED; what must stay correct with several cishared processes on one
 * database is made so with locks held to commit:
 *  - counters (R and T numbers, token ids) are one atomic upsert, which
 *    row-locks the counter: numbers are handed out in commit order without
 *    gaps or duplicates, and a rolled-back number is handed out again;
 *  - a writer's begin, and st_audit_last() in any case, take a
 *    transaction-scoped advisory lock (pg_lock) before the last entry is
 *    read (in a statement of its own, so the read sees what the previous
 *    holder committed): appends to the hash chain are serialised;
 *  - store_event_add() takes another advisory lock before it draws a
 *    seq, so inbox events become visible in seq order and a stream
 *    reading "seq > last" never skips one that committed late.
 * Lock waits give up after lock_timeout (10 s, like SQLite's busy timeout),
 * a transaction left idle for 60 s is ended by the server, and connecting
 * gives up after 10 s unless the URI sets connect_timeout.
 *
 * Errors: a unique violation on an INSERT is detected with ON CONFLICT DO
 * NOTHING and reported as CS_ECONFLICT with the transaction intact (what
 * SQLite does); INSERT OR IGNORE is ON CONFLICT DO NOTHING.  The updates
 * that can hit a unique key (r_number, t_number) run under a savepoint, so
 * they too fail alone (STMT_GUARDED).  Any other failed statement (a foreign key, say:
 * class 23 is CS_ECONFLICT, everything else CS_ESTORE) aborts the
 * PostgreSQL transaction: later operations in it fail with CS_ESTORE
 * without a round trip and commit rolls back and returns CS_ESTORE.
 *
 * Connection loss: begin reconnects (PQreset) and prepares the statements
 * again when the connection has dropped since the last transaction.  A
 * transaction that loses its connection fails; it is not retried.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/store_int.h"
#include "store/pg/pg_int.h"

static const char sql_session[] =
    "SET lock_timeout = '10s'; SET idle_in_transaction_session_timeout = '60s'";

/*
 * The advisory locks (see the top of this file); every other statement,
 * transactions' included, comes from the registry with its ?N rewritten to
 * $N.  Parameters travel as text (blobs in binary) with their types
 * inferred by the server; where it cannot infer one the statement carries
 * a CAST.  A NULL LIMIT is no limit (SQLite's LIMIT -1).
 */
static const char *const lock_sql[] = {
	[STORE_LOCK_AUDIT] = "SELECT pg_advisory_xact_lock(" CS_PG_LOCK_NS ", 1)",
	[STORE_LOCK_EVENTS] = "SELECT pg_advisory_xact_lock(" CS_PG_LOCK_NS ", 2)",
};
#define NLOCKS	((int)(sizeof(lock_sql) / sizeof(lock_sql[0])))


/* ---- parameters and results ------------------------------------------- */

/* Parameters of one statement, in $1, $2, ... order. */
struct params {
	int		 n;
	const char	*val[STORE_MAXPARM];
	int		 len[STORE_MAXPARM];
	int		 fmt[STORE_MAXPARM];
	char		 num[STORE_MAXPARM][24];
};

/* Numbers and text as text, blobs in binary (bytea, no escaping). */
static void
params_set(struct params *q, const struct store_parm *p, size_t n)
{
	q->n = (int)n;
	for (size_t i = 0; i < n; i++) {
		q->val[i] = NULL;
		q->len[i] = 0;
		q->fmt[i] = 0;
		switch (p[i].t) {
		case SP_LIMIT:
			if (p[i].i < 0)
				break;		/* NULL: no limit */
			/* FALLTHROUGH */
		case SP_INT:
			cs_fmt(q->num[i], sizeof(q->num[0]), "%lld",
			    (long long)p[i].i);
			q->val[i] = q->num[i];
			break;
		case SP_TEXT:
			q->val[i] = p[i].p;
			break;
		case SP_BLOB:
			q->val[i] = p[i].p;
			q->len[i] = (int)p[i].n;
			q->fmt[i] = 1;
			break;
		case SP_NULL:
		case SP_SEALED:		/* sealed by codec.c before it comes here */
			break;
		}
	}
}

int64_t
pg_i64(const PGresult *r, int row, int col)
{
	int64_t v;

	if (PQgetisnull(r, row, col) || cs_str_to_i64(PQgetvalue(r, row, col),
	    INT64_MIN, INT64_MAX, &v) != CS_OK)
		return 0;
	return v;
}

/* ---- running statements ------------------------------------------------ */

/* Prepared statement names: cs_l<n> the locks, cs_s<id> the registry's. */
static void
lname(enum store_lock l, char buf[24])
{
	cs_fmt(buf, 24, "cs_l%d", (int)l);
}

static void
sname(size_t id, char buf[24])
{
	cs_fmt(buf, 24, "cs_s%zu", id);
}

/* The primary message of a failed result (or the connection's), one line. */
static void
result_msg(struct pg *q, const PGresult *r, char *buf, size_t sz)
{
	const char *m = r != NULL ?
	    PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	size_t n;

	if (m == NULL)
		m = PQerrorMessage(q->conn);
	(void)cs_strlcpy(buf, m != NULL ? m : "?", sz);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	for (char *c = buf; *c != '\0'; c++) {
		if (*c == '\n' || *c == '\t')
			*c = ' ';
		else if (*c == '"')
			*c = '\'';
	}
}

/* Integrity violations (class 23) are conflicts, as SQLITE_CONSTRAINT. */
static enum cs_err
result_error(struct pg *q, const PGresult *r, const char *name)
{
	const char *state = r != NULL ?
	    PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	char msg[160];

	if (state != NULL && strncmp(state, "23", 2) == 0)
		return CS_ECONFLICT;
	result_msg(q, r, msg, sizeof(msg));
	log_warn("event=pg_error stmt=%s sqlstate=%s msg=\"%s\"", name,
	    state != NULL ? state : "-", msg);
	return CS_ESTORE;
}

/*
 * Runs a prepared statement.  Returns the result (the caller PQclear()s
 * it) or NULL with *rc set; a failure inside a transaction marks it failed.
 */
static PGresult *
run_name(struct pg *q, const char *name, const struct params *p, enum cs_err *rc)
{
	static const struct params none;
	PGresult *r;
	ExecStatusType st;

	if (p == NULL)
		p = &none;
	pthread_mutex_lock(&q->lock);
	if (q->failed || !q->ready) {
		pthread_mutex_unlock(&q->lock);
		*rc = CS_ESTORE;
		return NULL;
	}
	r = PQexecPrepared(q->conn, name, p->n, p->val, p->len, p->fmt, 0);
	st = PQresultStatus(r);
	if (r != NULL && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)) {
		pthread_mutex_unlock(&q->lock);
		*rc = CS_OK;
		return r;
	}
	*rc = result_error(q, r, name);
	PQclear(r);
	if (q->in_tx)
		q->failed = true;
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/* A transaction statement of the registry (store_int.h TX_*). */
static PGresult *
run(struct pg *q, enum store_tx i, enum cs_err *rc)
{
	char name[24];

	sname((size_t)i, name);
	return run_name(q, name, NULL, rc);
}

static enum cs_err
exec_done(struct pg *q, enum store_tx i)
{
	enum cs_err rc;

	PQclear(run(q, i, &rc));
	return rc;
}

/*
 * A registry statement.  One flagged STMT_GUARDED may fail on its own (a
 * unique key in an UPDATE) without aborting the transaction: it runs under
 * a savepoint, as SQLite's statement-level rollback.
 */
static PGresult *
run_stmt(struct pg *q, size_t id, const struct params *p, enum cs_err *rc)
{
	const struct store_stmt *s = store_stmt_at(id, NULL, NULL);
	char name[24];
	PGresult *r;

	sname(id, name);
	if (s == NULL || !(s->flags & STMT_GUARDED))
		return run_name(q, name, p, rc);
	pthread_mutex_lock(&q->lock);
	if (!q->in_tx) {
		r = run_name(q, name, p, rc);
		goto out;
	}
	r = NULL;
	if ((*rc = exec_done(q, TX_GUARD)) != CS_OK)
		goto out;
	if ((r = run_name(q, name, p, rc)) != NULL) {
		if ((*rc = exec_done(q, TX_UNGUARD)) != CS_OK) {
			PQclear(r);
			r = NULL;
		}
		goto out;
	}
	q->failed = false;
	if (exec_done(q, TX_GUARD_UNDO) != CS_OK)
		q->failed = true;
out:
	pthread_mutex_unlock(&q->lock);
	return r;
}

static enum cs_err
pg_exec(void *ctx, size_t id, const struct store_parm *p, size_t n,
    store_row_fn fn, void *arg, int64_t *changes, int64_t *key)
{
	struct pg *q = ctx;
	struct store_row row = { &store_pg_engine, NULL, 0 };
	struct params par;
	enum cs_err rc;
	PGresult *r;

	if (n > STORE_MAXPARM)
		return CS_ESTORE;
	params_set(&par, p, n);
	if ((r = run_stmt(q, id, &par, &rc)) == NULL)
		return rc;
	row.h = r;
	/* The .returning key: the statement was prepared with RETURNING it. */
	if (key != NULL && PQntuples(r) > 0 && PQnfields(r) == 1)
		*key = pg_i64(r, 0, 0);
	if (fn != NULL) {
		int nt = PQntuples(r);

		for (row.i = 0; row.i < nt; row.i++)
			fn(&row, arg);
	}
	if (changes != NULL && *PQcmdTuples(r) != '\0' &&
	    cs_str_to_i64(PQcmdTuples(r), 0, INT64_MAX, changes) != CS_OK)
		*changes = 0;
	PQclear(r);
	return CS_OK;
}

static bool
pg_col_null(void *h, int row, int col)
{
	return PQgetisnull(h, row, col);
}

static int64_t
pg_col_i64(void *h, int row, int col)
{
	return pg_i64(h, row, col);
}

static const char *
pg_col_text(void *h, int row, int col)
{
	return PQgetisnull(h, row, col) ? NULL : PQgetvalue(h, row, col);
}

static bool
pg_col_blob32(void *h, int row, int col, unsigned char out[32])
{
	unsigned char *b = NULL;
	size_t n = 0;
	bool ok;

	if (!PQgetisnull(h, row, col))
		b = PQunescapeBytea((const unsigned char *)PQgetvalue(h, row, col),
		    &n);
	if ((ok = b != NULL && n == 32))
		memcpy(out, b, 32);
	if (b != NULL)
		PQfreemem(b);
	return ok;
}

/* ---- lifecycle ------------------------------------------------------- */

static void
notice_cb(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
	/* NOTICEs ("relation already exists, skipping") are not news. */
}

/* A simple-protocol command for schema work; fills e on failure. */
enum cs_err
pg_simple(struct pg *q, const char *cmd, const char *what, struct cs_error *e)
{
	PGresult *r = PQexec(q->conn, cmd);
	ExecStatusType st = PQresultStatus(r);
	char msg[160];

	if (r != NULL && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)) {
		PQclear(r);
		return CS_OK;
	}
	result_msg(q, r, msg, sizeof(msg));
	PQclear(r);
	return cs_fail(e, CS_ESTORE, "db", "%s: %s", what, msg);
}

/*
 * The registry's ?N placeholders as PostgreSQL's $N (no ? in literals),
 * and the key an INSERT hands back as RETURNING.
 */
static char *
dollar_params(const char *sql, const char *returning)
{
	char *t = returning == NULL ? xstrdup(sql) :
	    xasprintf("%s RETURNING %s", sql, returning);
	bool quoted = false;

	for (char *c = t; *c != '\0'; c++) {
		if (*c == '\'')
			quoted = !quoted;
		else if (!quoted && *c == '?' && c[1] >= '0' && c[1] <= '9')
			*c = '$';
	}
	return t;
}

static enum cs_err
prepare(struct pg *q, const char *name, const char *sql, struct cs_error *e)
{
	PGresult *r = PQprepare(q->conn, name, sql, 0, NULL);
	char msg[160];

	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		result_msg(q, r, msg, sizeof(msg));
		PQclear(r);
		return cs_fail(e, CS_ESTORE, "db", "prepare %s: %s", name, msg);
	}
	PQclear(r);
	return CS_OK;
}

/* Session settings and prepared statements for a fresh connection. */
static enum cs_err
session_setup(struct pg *q, struct cs_error *e)
{
	enum cs_err rc;
	char name[24];

	q->ready = false;
	if (PQsetClientEncoding(q->conn, "UTF8") != 0)
		return cs_fail(e, CS_ESTORE, "db", "cannot use UTF8: %s",
		    PQerrorMessage(q->conn));
	if ((rc = pg_simple(q, sql_session, "session settings", e)) != CS_OK)
		return rc;
	for (int i = 0; i < NLOCKS; i++) {
		lname((enum store_lock)i, name);
		if ((rc = prepare(q, name, lock_sql[i], e)) != CS_OK)
			return rc;
	}
	for (size_t i = 0; i < store_nstmt(); i++) {
		const char *sql = store_stmt_sql(store_stmt_at(i, NULL, NULL),
		    STORE_PG);
		char *text;

		if (sql == NULL)
			continue;
		sname(i, name);
		text = dollar_params(sql, store_stmt_at(i, NULL, NULL)->returning);
		rc = prepare(q, name, text, e);
		free(text);
		if (rc != CS_OK)
			return rc;
	}
	q->ready = true;
	return CS_OK;
}

/* Reconnects if the connection has dropped; CS_OK when usable. */
static enum cs_err
ensure_conn(struct pg *q)
{
	struct cs_error e;
	enum cs_err rc;

	if (PQstatus(q->conn) != CONNECTION_OK) {
		log_warn("event=pg_reconnect");
		PQreset(q->conn);
		q->ready = false;
		if (PQstatus(q->conn) != CONNECTION_OK) {
			char msg[160];

			result_msg(q, NULL, msg, sizeof(msg));
			log_warn("event=pg_reconnect_failed msg=\"%s\"", msg);
			return CS_ESTORE;
		}
	}
	if (q->ready)
		return CS_OK;
	cs_error_clear(&e);
	if ((rc = session_setup(q, &e)) != CS_OK)
		log_warn("event=pg_setup_failed msg=\"%s\"", e.msg);
	return rc;
}

/* Refuses URIs that carry a password (see the top of this file). */
static enum cs_err
check_conninfo(const char *url, struct cs_error *e)
{
	PQconninfoOption *opts, *o;
	char *err = NULL;
	enum cs_err rc = CS_OK;

	if ((opts = PQconninfoParse(url, &err)) == NULL) {
		char msg[160];

		(void)cs_strlcpy(msg, err != NULL ? err : "out of memory",
		    sizeof(msg));
		if (err != NULL)
			PQfreemem(err);
		msg[strcspn(msg, "\n")] = '\0';
		return cs_fail(e, CS_EINVAL, "db", "bad PostgreSQL URI: %s", msg);
	}
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL &&
		    o->val[0] != '\0')
			rc = cs_fail(e, CS_EINVAL, "db", "the PostgreSQL URI carries "
			    "a password: put it in a password file (PGPASSFILE or "
			    "passfile=) or in PGPASSWORD instead");
	PQconninfoFree(opts);
	return rc;
}

static void pg_close(void *);
static enum cs_err pg_lock(void *, enum store_lock);

static enum cs_err
pg_open(const char *url, bool create, void **out, struct cs_error *e)
{
	/* Defaults first: what the URI says overrides them. */
	static const char *const keys[] = { "fallback_application_name",
	    "connect_timeout", "dbname", NULL };
	const char *vals[] = { "cishared", "10", url, NULL };
	pthread_mutexattr_t attr;
	struct pg *q;
	enum cs_err rc;
	int v;

	if ((rc = check_conninfo(url, e)) != CS_OK)
		return rc;
	q = xcalloc(1, sizeof(*q));
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&q->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	q->conn = PQconnectdbParams(keys, vals, 1);
	if (q->conn == NULL) {
		rc = cs_fail(e, CS_ESTORE, "db", "cannot connect: out of memory");
		goto out;
	}
	if (PQstatus(q->conn) != CONNECTION_OK) {
		char msg[160];

		result_msg(q, NULL, msg, sizeof(msg));
		rc = cs_fail(e, CS_ESTORE, "db", "cannot connect: %s", msg);
		goto out;
	}
	PQsetNoticeProcessor(q->conn, notice_cb, NULL);
	if (PQserverVersion(q->conn) < 110000) {
		rc = cs_fail(e, CS_ESTORE, "db", "PostgreSQL %d is too old: 11 or "
		    "later is needed", PQserverVersion(q->conn) / 10000);
		goto out;
	}
	if (PQsetClientEncoding(q->conn, "UTF8") != 0) {
		rc = cs_fail(e, CS_ESTORE, "db", "cannot use UTF8");
		goto out;
	}
	if (create) {
		if ((rc = pg_migrate(q, e)) != CS_OK)
			goto out;
	} else if ((v = pg_schema_applied(q, true)) != pg_schema_latest()) {
		rc = cs_fail(e, CS_ESTORE, "db", "database at schema %d, expected "
		    "%d: run 'cishared init' on it", v, pg_schema_latest());
		goto out;
	}
	if ((rc = session_setup(q, e)) != CS_OK)
		goto out;
	q->url = xstrdup(url);
	*out = q;
	q = NULL;
	rc = CS_OK;
out:
	if (q != NULL)
		pg_close(q);
	return rc;
}

/* A reader: its own connection, for read-only snapshot transactions. */
static enum cs_err
pg_reader_open(void *ctx, void **out)
{
	struct pg *q = ctx;
	struct cs_error e;
	enum cs_err rc;

	if ((rc = pg_open(q->url, false, out, &e)) != CS_OK) {
		log_warn("event=pg_reader_failed msg=\"%s\"", e.msg);
		return rc;
	}
	((struct pg *)*out)->reader = true;
	return CS_OK;
}

static void
pg_close(void *ctx)
{
	struct pg *q = ctx;

	if (q == NULL)
		return;
	if (q->conn != NULL)
		PQfinish(q->conn);
	pthread_mutex_destroy(&q->lock);
	free(q->url);
	free(q);
}

static int
pg_schema_version(void *ctx)
{
	(void)ctx;
	return pg_schema_latest();
}

/*
 * Transactions.  store.c serialises them and groups requests into one
 * PostgreSQL transaction (group commit); a request is a savepoint inside
 * it.  q->lock only guards the connection for the length of each call.
 */
static void
tx_end(struct pg *q)
{
	q->in_tx = 0;
	q->failed = false;
	q->audit_locked = false;
	q->events_locked = false;
}

static enum cs_err
pg_begin(void *ctx, bool durable)
{
	struct pg *q = ctx;
	enum store_tx begin;
	enum cs_err rc;

	pthread_mutex_lock(&q->lock);
	if (q->in_tx) {
		/* Nested begin: an error, as in SQLite. */
		pthread_mutex_unlock(&q->lock);
		return CS_ESTORE;
	}
	/* A reader's snapshot: one consistent view, no locks, no writes. */
	begin = q->reader ? TX_BEGIN_SNAPSHOT : TX_BEGIN;
	q->failed = false;
	if ((rc = ensure_conn(q)) == CS_OK &&
	    (rc = exec_done(q, begin)) != CS_OK &&
	    PQstatus(q->conn) != CONNECTION_OK) {
		/* Dropped since the last transaction: once more, reconnected. */
		if ((rc = ensure_conn(q)) == CS_OK)
			rc = exec_done(q, begin);
	}
	if (rc != CS_OK) {
		pthread_mutex_unlock(&q->lock);
		return rc;
	}
	q->in_tx = 1;
	q->failed = false;
	q->audit_locked = false;
	q->events_locked = false;
	if (q->reader) {
		pthread_mutex_unlock(&q->lock);
		return CS_OK;
	}
	/*
	 * Serialise transactions across daemons, as store.c does within one:
	 * handlers read a state, decide, then write (approve, widening
	 * answers), and nearly every request appends to the audit chain
	 * anyway, whose lock this is.  A batch of reads (audit entries only)
	 * need not wait for the WAL flush.
	 */
	if ((rc = pg_lock(q, STORE_LOCK_AUDIT)) != CS_OK ||
	    (!durable && (rc = pg_simple(q, "SET LOCAL synchronous_commit = off",
	    "begin_read", NULL)) != CS_OK)) {
		/* A failed begin leaves no transaction and no lock behind. */
		q->failed = false;
		(void)exec_done(q, TX_ROLLBACK);
		tx_end(q);
		pthread_mutex_unlock(&q->lock);
		return rc;
	}
	q->audit_locked = true;
	pthread_mutex_unlock(&q->lock);
	return CS_OK;
}

static enum cs_err
pg_commit(void *ctx)
{
	struct pg *q = ctx;
	enum cs_err rc = CS_ESTORE;
	PGresult *r;

	pthread_mutex_lock(&q->lock);
	if (!q->in_tx) {
		pthread_mutex_unlock(&q->lock);
		return CS_ESTORE;
	}
	if (q->failed) {
		/* PostgreSQL has aborted it: COMMIT would only roll back. */
		log_warn("event=pg_commit_refused reason=failed_statement");
		q->failed = false;
		(void)exec_done(q, TX_ROLLBACK);
		tx_end(q);
		pthread_mutex_unlock(&q->lock);
		return CS_ESTORE;
	}
	r = run(q, TX_COMMIT, &rc);
	if (r != NULL && strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		log_warn("event=pg_commit_failed status=%s", PQcmdStatus(r));
		rc = CS_ESTORE;
	}
	PQclear(r);
	if (rc != CS_OK) {
		q->failed = false;
		(void)exec_done(q, TX_ROLLBACK);
	}
	tx_end(q);
	pthread_mutex_unlock(&q->lock);
	return rc;
}

static void
pg_rollback(void *ctx)
{
	struct pg *q = ctx;

	pthread_mutex_lock(&q->lock);
	if (q->in_tx) {
		q->failed = false;
		(void)exec_done(q, TX_ROLLBACK);
		tx_end(q);
	}
	pthread_mutex_unlock(&q->lock);
}

static enum cs_err
pg_mark(void *ctx)
{
	return exec_done(ctx, TX_MARK);
}

/*
 * keep: the request's changes join the batch; else (or when one of its
 * statements failed, which aborts the transaction) they are undone and
 * the batch goes on without them.
 */
static enum cs_err
pg_unmark(void *ctx, bool keep)
{
	struct pg *q = ctx;
	enum cs_err rc = CS_OK;

	pthread_mutex_lock(&q->lock);
	if (keep && !q->failed && (rc = exec_done(q, TX_UNMARK)) == CS_OK)
		goto out;
	if (keep)
		rc = CS_ESTORE;
	q->failed = false;
	if (exec_done(q, TX_UNDO) != CS_OK ||
	    exec_done(q, TX_UNMARK) != CS_OK)
		rc = CS_ESTORE;
out:
	pthread_mutex_unlock(&q->lock);
	return rc;
}

/* ---- locks and test hooks ---------------------------------------------- */

/*
 * Advisory locks held to the end of the transaction: the audit chain's
 * (appends serialised; taken in a statement of its own, so the next
 * statement's snapshot sees what the previous holder committed) and the
 * inbox events' (seqs become visible in order).
 */
static enum cs_err
pg_lock(void *ctx, enum store_lock l)
{
	struct pg *q = ctx;
	bool *held = l == STORE_LOCK_AUDIT ? &q->audit_locked : &q->events_locked;
	char name[24];
	enum cs_err rc;

	if (*held)
		return CS_OK;
	lname(l, name);
	PQclear(run_name(q, name, NULL, &rc));
	if (rc != CS_OK)
		return rc;
	*held = q->in_tx != 0;
	return CS_OK;
}

/* test_store: the server's count of a prepared statement's parameters. */
static int
pg_nparams(void *ctx, size_t id)
{
	struct pg *q = ctx;
	char name[24];
	PGresult *r;
	int n = -1;

	if (store_stmt_sql(store_stmt_at(id, NULL, NULL), STORE_PG) == NULL)
		return -1;
	sname(id, name);
	r = PQdescribePrepared(q->conn, name);
	if (PQresultStatus(r) == PGRES_COMMAND_OK)
		n = PQnparams(r);
	PQclear(r);
	return n;
}

/* test_store: every table's columns, from information_schema. */
static enum cs_err
pg_columns(void *ctx, char ***out, size_t *n)
{
	struct pg *q = ctx;
	PGresult *r = PQexec(q->conn, "SELECT table_name || '.' || column_name"
	    " FROM information_schema.columns WHERE table_schema = current_schema()"
	    " ORDER BY 1");
	char **v;
	int nt;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return CS_ESTORE;
	}
	nt = PQntuples(r);
	v = xcalloc((size_t)nt + 1, sizeof(*v));
	for (int i = 0; i < nt; i++)
		v[i] = xstrdup(PQgetvalue(r, i, 0));
	PQclear(r);
	*out = v;
	*n = (size_t)nt;
	return CS_OK;
}

/* ---- backup ------------------------------------------------------------ */

/* PostgreSQL has its own tools for a consistent online copy. */
static enum cs_err
pg_backup(void *ctx, const char *out_path, struct cs_error *e)
{
	(void)ctx;
	(void)out_path;
	return cs_fail(e, CS_EINVAL, "db", "cishared backup is for SQLite: back "
	    "up PostgreSQL with pg_dump --format=custom and restore with "
	    "pg_restore (docs/operations.md); back up the key file separately");
}

/* Attachments' bytes: a bytea column (st_attach.c). */
static size_t
pg_col_bytes(void *h, int row, int col, void *out, size_t max)
{
	unsigned char *b = NULL;
	size_t n = 0;

	if (PQgetisnull(h, row, col))
		return 0;
	if ((b = PQunescapeBytea((const unsigned char *)PQgetvalue(h, row, col),
	    &n)) == NULL)
		return 0;
	memcpy(out, b, n < max ? n : max);
	PQfreemem(b);
	return n;
}

const struct store_engine store_pg_engine = {
	.name = "postgresql",
	.dialect = STORE_PG,
	.open = pg_open,
	.close = pg_close,
	.schema_version = pg_schema_version,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.mark = pg_mark,
	.unmark = pg_unmark,
	.lock = pg_lock,
	.reader_open = pg_reader_open,
	.reader_close = pg_close,
	.exec = pg_exec,
	.col_null = pg_col_null,
	.col_i64 = pg_col_i64,
	.col_text = pg_col_text,
	.col_blob32 = pg_col_blob32,
	.backup = pg_backup,
	.nparams = pg_nparams,
	.columns = pg_columns,
	.col_bytes = pg_col_bytes,
};
