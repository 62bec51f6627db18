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
 * prepared once per connection (PQprepare) as cs_s<id> and sent with
 * PQsendQueryPrepared: numbers and text travel as text parameters, blobs
 * in binary.  Results are read in text format.
 *
 * Round trips: the connection runs in libpq's pipeline mode.  A statement
 * is sent at once, but its result is read only when someone needs it:
 *  - waited for (one round trip, with everything sent before it): a
 *    statement whose rows, count of changed rows or RETURNING key the
 *    caller asked for, a STMT_GUARDED one, COMMIT of a writer, and the
 *    release of a request's savepoint when the request deferred a write
 *    and others share its group (alone, it goes with the COMMIT:
 *    pg_unmark_last);
 *  - sent and read with the next one waited for: BEGIN, SET LOCAL, the
 *    advisory locks, SAVEPOINT, a RELEASE after nothing deferred, a
 *    reader's COMMIT (its sync goes out at once, so the server ends the
 *    snapshot; the result is read with the reader's next transaction),
 *    ROLLBACK and ROLLBACK TO SAVEPOINT (each after a sync, so the server
 *    runs them even after a failed segment), and statements flagged
 *    STMT_DEFER run without rows, count or key (inserts and updates that
 *    cannot meet a unique key: audit entries, path rows, a new report's
 *    first version, the full-text rows, the generation's move);
 *  - reads ahead (store_*_prefetch, engine .prefetch): a list's or inbox
 *    page's per-item statements, sent together; their results are kept
 *    for the transaction (keyed by statement and parameters) until it
 *    writes, and the exec() that asks the same takes them.
 * So a transaction's BEGIN goes with its first read, and a group's audit
 * entries, full-text rows and COMMIT go in one round trip.  A deferred
 * statement's failure shows at the next read, at the release of its
 * request (which then fails alone, CS_ESTORE, and is undone as before) or
 * at the commit of a group it is alone in; the statements after it in the
 * same segment were
 * skipped by the server.  At most PG_PIPE_MAX results are owed at a time.
 * pg_round_trips() counts the round trips waited for
 * (cishare_store_round_trips_total): on the quick bench set a POST /reports
 * alone takes about 4 (16 statements one by one before), a GET
 * /reports/{id} 1-2 (6), a list or inbox page of 50 about 3.5 (110-210).
 *
 * Concurrency: one connection per struct store, guarded by a mutex held
 * for each call; store.c serialises transactions within the daemon and
 * groups them (group commit).  Transactions run at READ COMMITTED; what
 * must stay correct with several cishared processes on one database is
 * made so with locks held to commit:
 *  - counters (R and T numbers, token ids) are one atomic upsert, which
 *    row-locks the counter: numbers are handed out in commit order without
 *    gaps or duplicates, and a rolled-back number is handed out again;
 *  - the audit chain's advisory lock (STORE_LOCK_AUDIT) is taken by
 *    st_audit_last() before it reads the last entry (sent before it, so
 *    the read, at READ COMMITTED, sees what the previous holder
 *    committed): store.c chains a group's entries just before its commit,
 *    so the lock is held only for the append and the commit;
 *  - a store_begin() transaction (reads, decides and writes what another
 *    daemon's may change: approvals, forwards, widening answers) takes the
 *    same lock as it joins its group, so it is serialised with every
 *    other daemon's store_begin() transaction and append, as before;
 *    store_begin_add() (POST /reports: it only adds rows, draws numbers
 *    and reads) and read groups do not: they run beside other daemons'
 *    transactions and wait only for their append.  The lock is always
 *    taken before the generation row's update (the commit's last write),
 *    so two groups never wait for each other's row and lock; a token's
 *    last use skips a row another transaction holds (SKIP LOCKED);
 *  - store_event_add() takes another advisory lock before it draws a
 *    seq, so inbox events become visible in seq order and a stream
 *    reading "seq > last" never skips one that committed late.
 * Two adding groups in two daemons may still wait for each other on a
 * unique key both insert (the same new observable); PostgreSQL ends such
 * a deadlock after deadlock_timeout by failing one group (its requests
 * get 500).  Lock waits give up after lock_timeout (10 s, like SQLite's
 * busy timeout), a transaction left idle for 60 s is ended by the
 * server, and connecting gives up after 10 s unless the URI sets
 * connect_timeout.
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
 * Connection loss: begin reads what the server sent while the connection
 * was idle (PQconsumeInput, no wait), and reconnects (PQreset) and
 * prepares the statements again when the server ended it since the last
 * transaction (a restart, pg_terminate_backend) or a round trip found it
 * gone or out of step.  A transaction that loses its connection fails; it
 * is not retried.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/store_int.h"
#include "store/pg/pg_int.h"

static const char sql_session[] =
    "SET lock_timeout = '10s'; SET idle_in_transaction_session_timeout = '60s'";
/* A group that writes only audit entries: its commit need not wait for the WAL. */
static const char sql_async[] = "SET LOCAL synchronous_commit = off";

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

/* ---- running statements: the pipeline ---------------------------------- */

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

/* Drops the reads ahead (the transaction's end, a write, a lost pipeline). */
static void
memo_clear(struct pg *q)
{
	for (int i = 0; i < q->nmemo; i++) {
		PQclear(q->memo[i].r);
		free(q->memo[i].key);
	}
	q->nmemo = 0;
	/* Those still to come are read and dropped. */
	for (int i = 0; i < q->npend; i++)
		q->pend[i].memo = -1;
}

/* A statement's parameters as one string (the reads ahead's key). */
static char *
memo_key(const struct params *p)
{
	size_t sz = 1, o = 0;
	char *k;

	for (int i = 0; i < p->n; i++)
		sz += 24 + (p->val[i] == NULL ? 0 : p->fmt[i] ? (size_t)p->len[i] :
		    strlen(p->val[i]));
	k = xmalloc(sz);
	for (int i = 0; i < p->n; i++) {
		size_t n = p->val[i] == NULL ? 0 : p->fmt[i] ?
		    (size_t)p->len[i] : strlen(p->val[i]);

		o += (size_t)snprintf(k + o, sz - o, "%c%zu:", p->val[i] == NULL ?
		    'n' : p->fmt[i] ? 'b' : 't', n);
		if (n > 0)
			memcpy(k + o, p->val[i], n);
		o += n;
	}
	k[o] = '\0';
	return k;
}

/* The pipeline is out of step with the server: nothing in it counts. */
static void
pipe_lost(struct pg *q, const char *why)
{
	char msg[160];

	result_msg(q, NULL, msg, sizeof(msg));
	log_warn("event=pg_connection_lost at=%s msg=\"%s\"", why, msg);
	memo_clear(q);
	q->npend = q->nseg = q->nunknown = 0;
	q->broken = true;
	if (q->in_tx)
		q->failed = true;
}

static enum cs_err	drain(struct pg *, PGresult **, bool *);

/* One entry more in the pipeline; false when the connection failed. */
static bool
pend_add(struct pg *q, const char *name)
{
	struct pg_pend *p = &q->pend[q->npend++];

	p->sync = name == NULL;
	p->memo = -1;
	if (name != NULL)
		(void)cs_strlcpy(p->name, name, sizeof(p->name));
	else
		p->name[0] = '\0';
	return true;
}

/*
 * Sends a prepared statement without waiting for it (pipeline mode is
 * entered on first use).  false: it could not be sent.
 */
static bool
send_name(struct pg *q, const char *name, const struct params *p)
{
	static const struct params none;

	if (q->broken || PQstatus(q->conn) != CONNECTION_OK)
		return false;
	/* Room for it and for the sync that ends its segment. */
	if (q->npend >= PG_PIPE_MAX - 2)
		(void)drain(q, NULL, NULL);
	if (q->broken)
		return false;
	if (p == NULL)
		p = &none;
	if (PQpipelineStatus(q->conn) == PQ_PIPELINE_OFF &&
	    PQenterPipelineMode(q->conn) != 1)
		return false;
	if (PQsendQueryPrepared(q->conn, name, p->n, p->val, p->len, p->fmt,
	    0) != 1)
		return false;
	q->nseg++;
	return pend_add(q, name);
}

/* Ends the segment: the server runs it and sends its results. */
static bool
send_sync(struct pg *q)
{
	if (q->nseg == 0)
		return true;
	if (PQpipelineSync(q->conn) != 1)
		return false;
	q->nseg = 0;
	return pend_add(q, NULL);
}

/*
 * Reads every result the pipeline owes (sending a sync first if a
 * segment is open): one round trip.  *last (may be NULL) gets the last
 * statement's result when it succeeded (the caller PQclear()s it).  A
 * failed statement fails the transaction (q->failed); the statements after
 * it in its segment were skipped by the server.  Returns the last
 * statement's code (CS_ESTORE if it was skipped), or CS_OK and the first
 * deferred failure's code through *earlier (may be NULL) when the failure
 * came before it.
 */
static enum cs_err
drain(struct pg *q, PGresult **last, bool *earlier)
{
	enum cs_err rc = CS_OK, e;
	int lastcmd = -1, n;
	PGresult *r, *z;
	ExecStatusType st;

	if (last != NULL)
		*last = NULL;
	if (earlier != NULL)
		*earlier = false;
	if (q->npend == 0)
		return CS_OK;
	if (!send_sync(q)) {
		pipe_lost(q, "sync");
		return CS_ESTORE;
	}
	q->trips++;
	for (int i = 0; i < q->npend; i++)
		if (!q->pend[i].sync)
			lastcmd = i;
	n = q->npend;
	for (int i = 0; i < n; i++) {
		const struct pg_pend *p = &q->pend[i];

		r = PQgetResult(q->conn);
		if (p->sync) {
			st = PQresultStatus(r);
			PQclear(r);
			if (r == NULL || st != PGRES_PIPELINE_SYNC) {
				if (last != NULL && *last != NULL) {
					PQclear(*last);
					*last = NULL;
				}
				pipe_lost(q, "sync result");
				return CS_ESTORE;
			}
			continue;
		}
		if (r == NULL || (z = PQgetResult(q->conn)) != NULL) {
			PQclear(r);
			if (r != NULL)
				PQclear(z);
			if (last != NULL && *last != NULL) {
				PQclear(*last);
				*last = NULL;
			}
			pipe_lost(q, p->name);
			return CS_ESTORE;
		}
		st = PQresultStatus(r);
		if (p->memo >= 0)
			q->memo[p->memo].pending = false;
		if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
			if (p->memo >= 0)
				q->memo[p->memo].r = r;
			else if (i == lastcmd && last != NULL)
				*last = r;
			else
				PQclear(r);
			continue;
		}
		/* Skipped: an earlier statement of its segment failed. */
		e = st == PGRES_PIPELINE_ABORTED ? CS_ESTORE :
		    result_error(q, r, p->name);
		PQclear(r);
		if (q->in_tx)
			q->failed = true;
		if (i == lastcmd)
			rc = e;
		else if (earlier != NULL && !*earlier &&
		    st != PGRES_PIPELINE_ABORTED)
			*earlier = true;
	}
	q->npend = 0;
	q->nunknown = 0;
	return rc;
}

/*
 * Runs a prepared statement and waits for it, with whatever was deferred
 * before it in the same round trip.  Returns the result (the caller
 * PQclear()s it) or NULL with *rc set; a failure inside a transaction
 * marks it failed, and so does a deferred statement's (*rc CS_ESTORE).
 */
static PGresult *
run_name(struct pg *q, const char *name, const struct params *p, enum cs_err *rc)
{
	PGresult *r = NULL;
	bool earlier;

	pthread_mutex_lock(&q->lock);
	if (q->failed || !q->ready) {
		pthread_mutex_unlock(&q->lock);
		*rc = CS_ESTORE;
		return NULL;
	}
	if (!send_name(q, name, p)) {
		pipe_lost(q, name);
		*rc = CS_ESTORE;
	} else if ((*rc = drain(q, &r, &earlier)) == CS_OK && earlier) {
		/* Its result came, but the transaction had failed before it. */
		PQclear(r);
		r = NULL;
		*rc = CS_ESTORE;
	}
	pthread_mutex_unlock(&q->lock);
	return r;
}

/* Sends a statement whose result is not needed now; CS_ESTORE: not sent. */
static enum cs_err
defer_name(struct pg *q, const char *name, const struct params *p)
{
	if (!send_name(q, name, p)) {
		pipe_lost(q, name);
		return CS_ESTORE;
	}
	return CS_OK;
}

static enum cs_err
defer_tx(struct pg *q, enum store_tx i)
{
	char name[24];

	sname((size_t)i, name);
	return defer_name(q, name, NULL);
}

/*
 * Sends a statement that must run even though the segment before it may
 * have failed (ROLLBACK, ROLLBACK TO SAVEPOINT): a sync first, so the
 * server is out of the failed segment when it comes.
 */
static enum cs_err
defer_recover(struct pg *q, enum store_tx i)
{
	if (!q->broken && !send_sync(q)) {
		pipe_lost(q, "sync");
		return CS_ESTORE;
	}
	return defer_tx(q, i);
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
	PGresult *r = NULL;
	bool earlier;

	sname(id, name);
	if (s == NULL || !(s->flags & STMT_GUARDED))
		return run_name(q, name, p, rc);
	pthread_mutex_lock(&q->lock);
	if (!q->in_tx) {
		r = run_name(q, name, p, rc);
		goto out;
	}
	if (q->failed || !q->ready) {
		*rc = CS_ESTORE;
		goto out;
	}
	/* The savepoint, the statement and its result: one round trip. */
	if ((*rc = defer_tx(q, TX_GUARD)) != CS_OK)
		goto out;
	if (!send_name(q, name, p)) {
		pipe_lost(q, name);
		*rc = CS_ESTORE;
		goto out;
	}
	*rc = drain(q, &r, &earlier);
	if (earlier || q->broken) {
		/* The transaction failed before the statement. */
		PQclear(r);
		r = NULL;
		*rc = CS_ESTORE;
		goto out;
	}
	if (*rc == CS_OK) {
		*rc = defer_tx(q, TX_UNGUARD);
		if (*rc != CS_OK) {
			PQclear(r);
			r = NULL;
		}
		goto out;
	}
	/* It failed alone: back to the savepoint (read with what comes next). */
	q->failed = false;
	if (defer_recover(q, TX_GUARD_UNDO) != CS_OK)
		q->failed = true;
out:
	pthread_mutex_unlock(&q->lock);
	return r;
}

/*
 * The read ahead of statement id with these parameters, read if it is
 * not yet (borrowed: it stays for the next to ask the same); NULL if
 * there is none.  A write drops them all: what they read may have changed.
 */
static PGresult *
memo_get(struct pg *q, size_t id, const struct store_stmt *s,
    const struct params *par)
{
	const char *sql = s != NULL ? store_stmt_sql(s, STORE_PG) : NULL;
	PGresult *r = NULL;
	char *key;

	pthread_mutex_lock(&q->lock);
	if (sql == NULL || strncmp(sql, "SELECT", 6) != 0) {
		memo_clear(q);
		goto out;
	}
	key = memo_key(par);
	for (int i = 0; i < q->nmemo; i++) {
		struct pg_memo *m = &q->memo[i];

		if (m->id != id || m->key == NULL || strcmp(m->key, key) != 0)
			continue;
		if (m->pending)
			(void)drain(q, NULL, NULL);
		if (!q->failed && q->nmemo > 0)
			r = m->r;
		break;
	}
	free(key);
out:
	pthread_mutex_unlock(&q->lock);
	return r;
}

/* Sends a read ahead (store_engine.prefetch). */
static void
pg_prefetch(void *ctx, size_t id, const struct store_parm *p, size_t n)
{
	struct pg *q = ctx;
	struct params par;
	char name[24];
	int slot = -1;

	if (n > STORE_MAXPARM)
		return;
	pthread_mutex_lock(&q->lock);
	if (!q->in_tx || q->failed || !q->ready)
		goto out;
	if (q->nmemo == PG_MEMO_MAX && q->npend == 0)
		memo_clear(q);		/* all read: the unused ones go */
	if (q->nmemo == PG_MEMO_MAX)
		goto out;
	params_set(&par, p, n);
	sname(id, name);
	if (!send_name(q, name, &par)) {
		pipe_lost(q, name);
		goto out;
	}
	slot = q->nmemo++;
	q->memo[slot].id = id;
	q->memo[slot].key = memo_key(&par);
	q->memo[slot].r = NULL;
	q->memo[slot].pending = true;
	q->pend[q->npend - 1].memo = slot;
out:
	pthread_mutex_unlock(&q->lock);
}

static enum cs_err
pg_exec(void *ctx, size_t id, const struct store_parm *p, size_t n,
    store_row_fn fn, void *arg, int64_t *changes, int64_t *key)
{
	struct pg *q = ctx;
	const struct store_stmt *s = store_stmt_at(id, NULL, NULL);
	struct store_row row = { &store_pg_engine, NULL, 0 };
	struct params par;
	enum cs_err rc;
	PGresult *r;
	bool borrowed = false;

	if (n > STORE_MAXPARM)
		return CS_ESTORE;
	params_set(&par, p, n);
	if (q->nmemo > 0 && (r = memo_get(q, id, s, &par)) != NULL) {
		borrowed = true;
		goto rows;
	}
	/*
	 * Deferred: in a transaction, a statement flagged STMT_DEFER whose
	 * rows, count and key nobody asked for goes out with the next one
	 * that is waited for (pg.c "Round trips").
	 */
	if (s != NULL && (s->flags & STMT_DEFER) && fn == NULL &&
	    changes == NULL && key == NULL) {
		char name[24];

		pthread_mutex_lock(&q->lock);
		if (q->in_tx && !q->reader) {
			if (q->failed || !q->ready)
				rc = CS_ESTORE;
			else {
				sname(id, name);
				if ((rc = defer_name(q, name, &par)) == CS_OK)
					q->nunknown++;
			}
			pthread_mutex_unlock(&q->lock);
			return rc;
		}
		pthread_mutex_unlock(&q->lock);
	}
	if ((r = run_stmt(q, id, &par, &rc)) == NULL)
		return rc;
rows:
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
	if (!borrowed)
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

/*
 * Out of pipeline mode, for PQexec and PQdescribePrepared: what is owed is
 * read first (outside a transaction only: a reader's last COMMIT).
 */
void
pg_pipe_off(struct pg *q)
{
	if (PQpipelineStatus(q->conn) == PQ_PIPELINE_OFF)
		return;
	(void)drain(q, NULL, NULL);
	if (PQexitPipelineMode(q->conn) != 1)
		pipe_lost(q, "pipeline exit");
}

/* A simple-protocol command for schema work; fills e on failure. */
enum cs_err
pg_simple(struct pg *q, const char *cmd, const char *what, struct cs_error *e)
{
	PGresult *r;
	ExecStatusType st;
	char msg[160];

	pg_pipe_off(q);
	r = PQexec(q->conn, cmd);
	st = PQresultStatus(r);

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
	if ((rc = prepare(q, "cs_async", sql_async, e)) != CS_OK)
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

	/*
	 * A connection the server ended (a restart, pg_terminate_backend) has
	 * said so: read it without waiting, so the transaction's first round
	 * trip does not find out (the pipeline sends BEGIN with it).
	 */
	if (q->npend == 0 && PQstatus(q->conn) == CONNECTION_OK)
		(void)PQconsumeInput(q->conn);
	if (q->broken || PQstatus(q->conn) != CONNECTION_OK) {
		log_warn("event=pg_reconnect");
		PQreset(q->conn);
		q->npend = q->nseg = q->nunknown = 0;
		q->broken = false;
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

/* A second writer: its own connection, for the audit queue (store.c). */
static enum cs_err
pg_aux_open(void *ctx, void **out)
{
	struct pg *q = ctx;
	struct cs_error e;
	enum cs_err rc;

	if ((rc = pg_open(q->url, false, out, &e)) != CS_OK)
		log_warn("event=pg_aux_failed msg=\"%s\"", e.msg);
	return rc;
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
	memo_clear(q);
	q->in_tx = 0;
	q->failed = false;
	q->audit_locked = false;
	q->events_locked = false;
}

/*
 * BEGIN is sent, not waited for: it goes with the transaction's first
 * statement that is (pg.c "Round trips").  The chain's lock is not taken
 * here: store.c asks for it (pg_lock) where the transaction needs it.
 */
static enum cs_err
pg_begin(void *ctx, bool durable)
{
	struct pg *q = ctx;
	enum store_tx begin;
	enum cs_err rc;
	char name[24];

	pthread_mutex_lock(&q->lock);
	if (q->in_tx) {
		/* Nested begin: an error, as in SQLite. */
		pthread_mutex_unlock(&q->lock);
		return CS_ESTORE;
	}
	/* A reader's snapshot: one consistent view, no locks, no writes. */
	begin = q->reader ? TX_BEGIN_SNAPSHOT : TX_BEGIN;
	q->failed = false;
	if ((rc = ensure_conn(q)) != CS_OK) {
		pthread_mutex_unlock(&q->lock);
		return rc;
	}
	sname((size_t)begin, name);
	if (!send_name(q, name, NULL) || (!durable && !q->reader &&
	    !send_name(q, "cs_async", NULL))) {
		/* Not even sent: the connection is gone; reconnect and again. */
		pipe_lost(q, "begin");
		if ((rc = ensure_conn(q)) != CS_OK || !send_name(q, name, NULL) ||
		    (!durable && !q->reader && !send_name(q, "cs_async", NULL))) {
			if (rc == CS_OK)
				pipe_lost(q, "begin");
			pthread_mutex_unlock(&q->lock);
			return CS_ESTORE;
		}
	}
	q->in_tx = 1;
	q->failed = false;
	q->audit_locked = false;
	q->events_locked = false;
	pthread_mutex_unlock(&q->lock);
	return CS_OK;
}

/*
 * Ends a failed or abandoned transaction: ROLLBACK is sent, and read with
 * the next round trip.
 */
static void
tx_abort(struct pg *q)
{
	q->failed = false;
	if (defer_recover(q, TX_ROLLBACK) != CS_OK || !send_sync(q))
		pipe_lost(q, "rollback");
	tx_end(q);
}

static enum cs_err
pg_commit(void *ctx)
{
	struct pg *q = ctx;
	enum cs_err rc = CS_ESTORE;
	PGresult *r = NULL;

	pthread_mutex_lock(&q->lock);
	if (!q->in_tx) {
		pthread_mutex_unlock(&q->lock);
		return CS_ESTORE;
	}
	if (q->failed) {
		/* PostgreSQL has aborted it: COMMIT would only roll back. */
		log_warn("event=pg_commit_refused reason=failed_statement");
		tx_abort(q);
		pthread_mutex_unlock(&q->lock);
		return CS_ESTORE;
	}
	if (q->reader) {
		/*
		 * A snapshot wrote nothing: its COMMIT goes out now (the server
		 * ends the snapshot at once) and its result is read with the
		 * next round trip on this connection.
		 */
		if (defer_tx(q, TX_COMMIT) != CS_OK || !send_sync(q))
			pipe_lost(q, "commit");
		tx_end(q);
		pthread_mutex_unlock(&q->lock);
		return CS_OK;
	}
	/* With every deferred statement: one round trip. */
	if ((rc = defer_tx(q, TX_COMMIT)) == CS_OK) {
		bool earlier;

		if ((rc = drain(q, &r, &earlier)) == CS_OK && earlier)
			rc = CS_ESTORE;
	}
	if (r != NULL && strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		log_warn("event=pg_commit_failed status=%s", PQcmdStatus(r));
		rc = CS_ESTORE;
	}
	PQclear(r);
	if (rc != CS_OK)
		tx_abort(q);
	else
		tx_end(q);
	pthread_mutex_unlock(&q->lock);
	return rc;
}

static void
pg_rollback(void *ctx)
{
	struct pg *q = ctx;

	pthread_mutex_lock(&q->lock);
	if (q->in_tx)
		tx_abort(q);
	pthread_mutex_unlock(&q->lock);
}

/* The request's savepoint: sent with what comes next. */
static enum cs_err
pg_mark(void *ctx)
{
	struct pg *q = ctx;
	enum cs_err rc;

	pthread_mutex_lock(&q->lock);
	rc = q->failed ? CS_ESTORE : defer_tx(q, TX_MARK);
	q->nunknown = 0;
	pthread_mutex_unlock(&q->lock);
	return rc;
}

/*
 * keep: the request's changes join the batch; else (or when one of its
 * statements failed, which aborts the transaction) they are undone and
 * the batch goes on without them.  Its deferred statements are waited for
 * here (with the RELEASE), so a failure among them fails this request and
 * not the batch; when it deferred none, the RELEASE goes with the next.
 */
static enum cs_err
pg_unmark(void *ctx, bool keep)
{
	struct pg *q = ctx;
	enum cs_err rc = CS_OK;
	bool earlier;

	pthread_mutex_lock(&q->lock);
	if (keep && !q->failed && (rc = defer_tx(q, TX_UNMARK)) == CS_OK) {
		if (q->nunknown == 0)
			goto out;
		if ((rc = drain(q, NULL, &earlier)) == CS_OK && !earlier)
			goto out;
	}
	if (keep)
		rc = CS_ESTORE;
	q->failed = false;
	if (defer_recover(q, TX_UNDO) != CS_OK || defer_tx(q, TX_UNMARK) != CS_OK ||
	    drain(q, NULL, &earlier) != CS_OK || earlier)
		rc = CS_ESTORE;
out:
	pthread_mutex_unlock(&q->lock);
	return rc;
}

/*
 * The one request of a batch that commits right after: its RELEASE and
 * whatever it deferred go with the COMMIT, whose failure is its alone.
 */
static enum cs_err
pg_unmark_last(void *ctx)
{
	struct pg *q = ctx;
	enum cs_err rc;

	pthread_mutex_lock(&q->lock);
	if (q->failed || defer_tx(q, TX_UNMARK) != CS_OK)
		rc = pg_unmark(ctx, true);
	else
		rc = CS_OK;
	pthread_mutex_unlock(&q->lock);
	return rc;
}

/* ---- locks and test hooks ---------------------------------------------- */

/*
 * Advisory locks held to the end of the transaction: the audit chain's
 * (appends serialised, and the transactions store.c serialises; sent
 * alone, so the statements after it, at READ COMMITTED, see what the
 * previous holder committed) and the inbox events' (seqs become visible in
 * order).  Sent with what comes next: a wait beyond lock_timeout fails
 * the transaction there.
 */
static enum cs_err
pg_lock(void *ctx, enum store_lock l)
{
	struct pg *q = ctx;
	bool *held = l == STORE_LOCK_AUDIT ? &q->audit_locked : &q->events_locked;
	char name[24];
	enum cs_err rc;

	pthread_mutex_lock(&q->lock);
	if (*held) {
		pthread_mutex_unlock(&q->lock);
		return CS_OK;
	}
	lname(l, name);
	if (!q->in_tx)
		PQclear(run_name(q, name, NULL, &rc));
	else if (q->failed)
		rc = CS_ESTORE;
	else if ((rc = defer_name(q, name, NULL)) == CS_OK)
		*held = true;
	pthread_mutex_unlock(&q->lock);
	return rc;
}

/* store_round_trips(): the round trips this connection waited for. */
static uint64_t
pg_round_trips(void *ctx)
{
	struct pg *q = ctx;
	uint64_t n;

	pthread_mutex_lock(&q->lock);
	n = q->trips;
	pthread_mutex_unlock(&q->lock);
	return n;
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
	pg_pipe_off(q);
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
	PGresult *r;
	char **v;
	int nt;

	pg_pipe_off(q);
	r = PQexec(q->conn, "SELECT table_name || '.' || column_name"
	    " FROM information_schema.columns WHERE table_schema = current_schema()"
	    " ORDER BY 1");
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
	.unmark_last = pg_unmark_last,
	.lock = pg_lock,
	.round_trips = pg_round_trips,
	.prefetch = pg_prefetch,
	.reader_open = pg_reader_open,
	.reader_close = pg_close,
	.aux_open = pg_aux_open,
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
