/*
 * store.c: the engine-neutral front of the store.  Picks the engine from
 * the URL; owns open and close, transactions (group commit), snapshots on
 * reader connections, and the audit chain arithmetic with its tail cache
 * (the same for every engine).  The statements are the areas' (st_*.c),
 * run through codec.c on the connection store_ctx() names.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define STORE_READERS	4	/* read-only connections for snapshots, at most */
/*
 * How long a snapshot waits for a busy reader before it reads in the
 * writer's group instead (where it waits for the store lock, and a cached
 * answer cannot serve it): a reader is back within a read's time.
 */
#define STORE_READER_WAIT_US	5000
/*
 * The same where the writer's group may itself wait on another
 * connection (PostgreSQL: the chain's lock, held by the audit queue's own
 * connection or another daemon): a reader is back sooner than that.
 */
#define STORE_READER_WAIT_RT_US	100000
/*
 * Queued audit entries appended per transaction (the lock is held
 * meanwhile): SQLite inserts them one by one, PostgreSQL in one statement
 * (st_audit_insert), where a chunk's cost is mostly its round trips.
 */
#define STORE_AUDIT_CHUNK	256
#define STORE_AUDIT_CHUNK_RT	1024
/* A snapshot waits this long at most for room in a full queue (second writer). */
#define STORE_AUDIT_WAIT_US	2000000
/* The flusher ends after this long without entries (aq_push starts it again). */
#define STORE_AUDIT_IDLE_US	1000000

/* One backend transaction shared by several requests (group commit). */
struct batch {
	bool		 durable;
	bool		 done;
	bool		 data;		/* wrote: move the data generation */
	bool		 last;		/* its one request's statements unchecked: commit now */
	enum cs_err	 rc;		/* the commit's result, once done */
	int		 members;	/* transactions that joined it */
	int		 refs;		/* of them, waiting for the commit */
	int64_t		 opened_us;
};

struct store {
	const struct store_engine *eng;
	void			*ctx;
	pthread_mutex_t		 lock;	/* held from begin to commit/rollback */
	pthread_cond_t		 cv;	/* a batch committed */
	atomic_int		 waiting;	/* threads blocked in begin */
	struct batch		*b;	/* the open batch, NULL if none */
	/* Idle readers (snapshots); nreaders opened in all, each in readers[]. */
	pthread_mutex_t		 rlock;
	pthread_cond_t		 rcv;	/* a reader went back to idle */
	void			*idle[STORE_READERS];
	void			*readers[STORE_READERS];
	int			 nidle;
	int			 nreaders;
	uint64_t		 nsnap;	/* snapshots begun */
	uint64_t		 ntx;	/* transactions begun */
	uint64_t		 ncommits;	/* backend commits */
	uint64_t		 serial;	/* store_serial() */
	bool			 req_data;	/* the current request wrote data */
	/*
	 * The batch's audit entries (copies), chained and written just before
	 * its commit (audit_write); nau_mark: as many as there were when the
	 * current request began (an undone request drops its own).
	 */
	struct store_audit	*au;
	size_t			 nau, au_cap, nau_mark;
	/*
	 * The batch's full-text rows (store_search_defer), written in one
	 * statement before its commit; ndocs_mark: as many as there were
	 * when the current request began (an undone request drops its own).
	 */
	struct store_search_doc	*docs;
	size_t			 ndocs, docs_cap, ndocs_mark;
	/*
	 * The audit queue: entries of committed snapshots, appended by the
	 * next transaction's begin (aq_drain) or by the flusher thread
	 * within STORE_AUDIT_FLUSH_US of the oldest (aq_first_us).  aq_lock
	 * is never held while st->lock is taken.
	 */
	pthread_mutex_t		 aq_lock;
	pthread_cond_t		 aq_cv;
	struct store_audit	*aq;
	size_t			 naq, aq_cap;
	atomic_size_t		 aq_n;		/* naq, read without the lock */
	int64_t			 aq_first_us;
	bool			 aq_running, aq_stop;	/* the flusher (detached) */
	/*
	 * Where the queue is appended when the engine has a second writer
	 * (aux_open: PostgreSQL): its own connection, so the appends never
	 * hold the store lock; aq_wlock serialises its users (it is held
	 * while the chain's lock is awaited: never take it with st->lock
	 * held), aq_olock its opening.  aq_aux_failed: it could not be
	 * opened (the writer's groups append then).
	 */
	pthread_mutex_t		 aq_wlock, aq_olock;
	void			*aq_aux;
	bool			 aq_aux_failed;
	/*
	 * The full-text indexer (store_search_indexer_start).  ix_lag is the
	 * pending list's length: counted by the indexer's transaction, moved
	 * by every committed batch's rows (batch_close), both under st->lock,
	 * so no batch's rows go unnoticed (a row written outside any
	 * transaction is added without it).  ix_lock is taken under st->lock,
	 * never the other way round.
	 */
	pthread_mutex_t		 ix_lock;
	pthread_cond_t		 ix_cv;
	pthread_t		 ix;
	bool			 ix_async;	/* the engine has the list */
	bool			 ix_on, ix_stop, ix_idle;
	atomic_int_fast64_t	 ix_lag;
	atomic_int_fast64_t	 ix_note_us;	/* when rows were last committed */
	/*
	 * The generations a snapshot last read, with the engine's stamp
	 * before its first statement and after that read (equal: the
	 * snapshot's state is the stamp's) and when (monotonic): what
	 * store_begin_cached() answers while the stamp stays.  A seqlock:
	 * gen_seq odd while gen_lock's holder writes; readers take no lock.
	 */
	pthread_mutex_t		 gen_lock;
	atomic_uint		 gen_seq;
	_Atomic uint64_t	 gen_stamp[STORE_STAMP_LEN / 8];
	atomic_llong		 gen_auth, gen_data, gen_at_us;
	atomic_ullong		 ncached;	/* cached snapshots begun */
};

static void	docs_drop(struct store *, size_t);
static void	ix_stop(struct store *);
static enum cs_err	tx_begin(struct store *, bool, bool);
static enum cs_err	aq_drain(struct store *);
static void	aq_stop(struct store *);
static bool	aq_has_aux(struct store *);
static enum cs_err	aq_write(struct store *);
static void	audit_free(struct store_audit *, size_t);
static void	audit_fini(struct store_audit *, size_t);
static void	audit_copy(struct store_audit *, const struct store_audit *);
static enum cs_err	audit_write(struct store *, struct store_audit *, size_t);

static atomic_uint_fast64_t serials;

/* The store whose transaction the calling thread is in, if any. */
static _Thread_local struct store *tx_of;

/* A snapshot of the calling thread (store_begin_snapshot). */
static _Thread_local struct store *snap_of;
static _Thread_local void *snap_ctx;
static _Thread_local struct store_audit *snap_audit;	/* kept for the commit */
static _Thread_local size_t snap_naudit;
/*
 * The snapshot's engine stamp before its first statement (snap_stamped:
 * read); a cached snapshot (snap_cached: no reader, snap_ctx NULL), its
 * generations, and whether a statement was wanted of it (snap_missed).
 */
static _Thread_local bool snap_stamped, snap_cached, snap_missed;
static _Thread_local uint64_t snap_stamp[STORE_STAMP_LEN / 8];
static _Thread_local int64_t snap_auth, snap_data;

/* The backend context the calling thread's operations go to. */
#define CTX(st)	(snap_of == (st) ? snap_ctx : (st)->ctx)

enum cs_err
store_open(const char *url, bool create, struct store **out, struct cs_error *e)
{
	const struct store_engine *eng = &store_sqlite_engine;
	const char *target = url;
	struct store *st;
	void *ctx = NULL;
	enum cs_err rc;

	if (strncmp(url, "sqlite:", 7) == 0)
		target = url + 7;
	else if (strncmp(url, "postgresql://", 13) == 0 ||
	    strncmp(url, "postgres://", 11) == 0) {
#ifdef CS_HAVE_PG
		/* The whole URI is libpq's connection string. */
		eng = &store_pg_engine;
#else
		return cs_fail(e, CS_EINVAL, "db", "this build has no PostgreSQL "
		    "backend");
#endif
	}
	if ((rc = eng->open(target, create, &ctx, e)) != CS_OK)
		return rc;
	st = xcalloc(1, sizeof(*st));
	st->serial = atomic_fetch_add(&serials, 1) + 1;
	st->eng = eng;
	st->ctx = ctx;
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->cv, NULL);
	pthread_mutex_init(&st->rlock, NULL);
	pthread_mutex_init(&st->gen_lock, NULL);
	pthread_mutex_init(&st->aq_lock, NULL);
	pthread_mutex_init(&st->ix_lock, NULL);
	pthread_mutex_init(&st->aq_wlock, NULL);
	pthread_mutex_init(&st->aq_olock, NULL);
	{
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&st->aq_cv, &ca);
		pthread_cond_init(&st->ix_cv, &ca);
		pthread_cond_init(&st->rcv, &ca);
		pthread_condattr_destroy(&ca);
	}
	st->ix_async = st_search_async(st);
	/* Migration 12: index the versions stored before the index. */
	if (create && (rc = store_search_backfill(st, e)) != CS_OK) {
		store_close(st);
		return rc;
	}
	*out = st;
	return CS_OK;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	/* The indexer's chunk ends; what it left stays pending. */
	ix_stop(st);
	/* The queued audit entries first (not from inside a transaction). */
	aq_stop(st);
	while (tx_of != st && snap_of != st && st->naq > 0) {
		size_t had = st->naq;

		if (aq_write(st) != CS_OK || st->naq >= had) {
			log_warn("event=store_close msg=audit_queue_not_written");
			break;
		}
	}
	audit_free(st->aq, st->naq);
	if (st->aq_aux != NULL)
		st->eng->close(st->aq_aux);
	pthread_mutex_destroy(&st->aq_wlock);
	pthread_mutex_destroy(&st->aq_olock);
	/* Closed inside this thread's transaction (an aborted test): undo it. */
	if (tx_of != st)
		pthread_mutex_lock(&st->lock);
	tx_of = NULL;
	if (st->b != NULL) {
		st->eng->rollback(st->ctx);
		free(st->b);
		st->b = NULL;
	}
	docs_drop(st, 0);
	free(st->docs);
	audit_free(st->au, st->nau);
	pthread_mutex_unlock(&st->lock);
	for (int i = 0; i < st->nidle; i++)
		st->eng->reader_close(st->idle[i]);
	pthread_mutex_destroy(&st->rlock);
	st->eng->close(st->ctx);
	pthread_cond_destroy(&st->cv);
	pthread_mutex_destroy(&st->lock);
	pthread_cond_destroy(&st->aq_cv);
	pthread_mutex_destroy(&st->aq_lock);
	pthread_mutex_destroy(&st->gen_lock);
	pthread_cond_destroy(&st->ix_cv);
	pthread_mutex_destroy(&st->ix_lock);
	pthread_cond_destroy(&st->rcv);
	free(st);
}

int
store_schema_version(struct store *st)
{
	return st->eng->schema_version(st->ctx);
}

/* ---- transactions: group commit ------------------------------------ */

/* Drops the kept full-text rows from index `from` on; st->lock held. */
static void
docs_drop(struct store *st, size_t from)
{
	for (size_t i = from; i < st->ndocs; i++)
		free(st->docs[i].body);
	if (from < st->ndocs)
		st->ndocs = from;
}

void
store_data_changed(struct store *st)
{
	/* The batch's, once the request is kept (store_commit). */
	if (tx_of == st && st->b != NULL)
		st->req_data = true;
	else if (tx_of != st && snap_of != st &&
	    st_data_generation_bump(st) != CS_OK)	/* outside a transaction */
		log_warn("event=store_error msg=\"data generation not moved\"");
}

bool
store_search_defer(struct store *st, const struct store_search_doc *d)
{
	if (tx_of != st)
		return false;
	if (st->ndocs == st->docs_cap) {
		st->docs_cap = st->docs_cap ? 2 * st->docs_cap : 64;
		st->docs = xreallocarray(st->docs, st->docs_cap,
		    sizeof(*st->docs));
	}
	st->docs[st->ndocs++] = *d;
	return true;
}

/* Commits the open batch and wakes its members; st->lock held. */
static enum cs_err
batch_close(struct store *st)
{
	struct batch *b = st->b;
	size_t ndocs = st->ndocs;
	enum cs_err rc;

	st->b = NULL;
	st->ncommits++;
	/*
	 * The batch's audit entries, chained under the chain's lock (taken
	 * here on PostgreSQL, so another daemon waits only for this append
	 * and commit), then its full-text rows: they go with it, or nothing
	 * does.
	 */
	rc = audit_write(st, st->au, st->nau);
	audit_free(st->au, st->nau);
	st->au = NULL;
	st->nau = st->au_cap = 0;
	if (rc == CS_OK)
		rc = st_search_write(st, st->docs, st->ndocs);
	docs_drop(st, 0);
	if (rc == CS_OK && b->data)
		rc = st_data_generation_bump(st);
	if (rc != CS_OK)
		st->eng->rollback(st->ctx);
	else
		rc = st->eng->commit(st->ctx);
	/* On SQLite they wait for the indexer now (store_search_index). */
	if (rc == CS_OK && ndocs > 0)
		store_search_noted(st, ndocs);
	b->rc = rc;
	b->done = true;
	if (b->refs > 0)
		pthread_cond_broadcast(&st->cv);
	else
		free(b);
	return rc;
}

/*
 * The calling thread's transaction is over (its savepoint released or
 * undone): commit the batch now, or, when others are about to join it,
 * leave the commit to them and (wait) sleep until it has happened.
 * Entered with st->lock held; returns with it released.
 */
static enum cs_err
settle(struct store *st, bool wait)
{
	struct batch *b = st->b;
	enum cs_err rc;

	tx_of = NULL;
	if (!b->last && atomic_load(&st->waiting) > 0 &&
	    b->members < STORE_BATCH_MAX &&
	    cs_time_mono_us() - b->opened_us < STORE_BATCH_MAX_US) {
		if (!wait) {
			pthread_mutex_unlock(&st->lock);
			return CS_OK;
		}
		b->refs++;
		while (!b->done)
			pthread_cond_wait(&st->cv, &st->lock);
		rc = b->rc;
		if (--b->refs == 0)
			free(b);
		pthread_mutex_unlock(&st->lock);
		return rc;
	}
	rc = batch_close(st);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/*
 * serial: the transaction reads, decides and writes what another daemon's
 * may change too (on PostgreSQL it takes the chain's lock as it joins the
 * batch: pg.c "Concurrency"); else it only adds rows, draws numbers and
 * reads.
 */
static enum cs_err
tx_begin(struct store *st, bool durable, bool serial)
{
	enum cs_err rc;

	if (tx_of == st || snap_of == st)
		return CS_ESTORE;	/* nested: a bug in the caller */
	atomic_fetch_add(&st->waiting, 1);
	pthread_mutex_lock(&st->lock);
	atomic_fetch_sub(&st->waiting, 1);
	/* A write does not join a batch that commits without the disk. */
	if (st->b != NULL && durable && !st->b->durable)
		(void)batch_close(st);
	if (st->b == NULL) {
		if ((rc = st->eng->begin(st->ctx, durable)) != CS_OK) {
			pthread_mutex_unlock(&st->lock);
			return rc;
		}
		st->b = xcalloc(1, sizeof(*st->b));
		st->b->durable = durable;
		st->b->opened_us = cs_time_mono_us();
	}
	st->b->members++;
	if (serial && st->eng->lock != NULL &&
	    (rc = st->eng->lock(st->ctx, STORE_LOCK_AUDIT)) != CS_OK) {
		(void)settle(st, false);
		return rc;
	}
	/*
	 * Queued snapshot audit entries go first, outside the request's
	 * savepoint (with a second writer, the flusher appends them there).
	 */
	if (atomic_load(&st->aq_n) > 0 && !aq_has_aux(st) && aq_drain(st) != CS_OK)
		log_warn("event=audit_queue msg=\"append failed; kept\"");
	if ((rc = st->eng->mark(st->ctx)) != CS_OK) {
		(void)settle(st, false);
		return rc;
	}
	st->nau_mark = st->nau;
	st->ndocs_mark = st->ndocs;
	st->req_data = false;
	st->ntx++;
	tx_of = st;
	return CS_OK;
}

uint64_t
store_serial(struct store *st)
{
	return st->serial;
}

bool
store_snapshot_active(struct store *st)
{
	return snap_of == st;
}

void
store_stats(struct store *st, uint64_t *tx, uint64_t *commits)
{
	pthread_mutex_lock(&st->lock);
	*tx = st->ntx;
	*commits = st->ncommits;
	pthread_mutex_unlock(&st->lock);
}

/* The request was undone: so were its audit entries and full-text rows. */
static void
tail_undo(struct store *st)
{
	if (st->nau > st->nau_mark) {
		audit_fini(st->au + st->nau_mark, st->nau - st->nau_mark);
		st->nau = st->nau_mark;
	}
	docs_drop(st, st->ndocs_mark);
}

enum cs_err
store_begin(struct store *st)
{
	return tx_begin(st, true, true);
}

enum cs_err
store_begin_add(struct store *st)
{
	return tx_begin(st, true, false);
}

enum cs_err
store_begin_read(struct store *st)
{
	return tx_begin(st, false, false);
}

uint64_t
store_round_trips(struct store *st)
{
	uint64_t n;

	if (st->eng->round_trips == NULL)
		return 0;
	n = st->eng->round_trips(st->ctx);
	pthread_mutex_lock(&st->rlock);
	for (int i = 0; i < st->nreaders; i++)
		if (st->readers[i] != NULL)
			n += st->eng->round_trips(st->readers[i]);
	pthread_mutex_unlock(&st->rlock);
	return n;
}

/* ---- snapshots: reads beside the writer ------------------------------- */

/* Frees the entries' strings (not the array). */
static void
audit_fini(struct store_audit *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].action);
		free(v[i].item);
		free(v[i].detail);
	}
}

static void
audit_free(struct store_audit *v, size_t n)
{
	audit_fini(v, n);
	free(v);
}

/* A copy of an entry whose strings it owns. */
static void
audit_copy(struct store_audit *k, const struct store_audit *a)
{
	*k = *a;
	k->action = a->action ? xstrdup(a->action) : NULL;
	k->item = a->item ? xstrdup(a->item) : NULL;
	k->detail = a->detail ? xstrdup(a->detail) : NULL;
}

static void
snap_audit_free(void)
{
	audit_free(snap_audit, snap_naudit);
	snap_audit = NULL;
	snap_naudit = 0;
}

/* ---- the audit queue: snapshots' entries, appended later ------------- */

/*
 * The queue's oldest entries, at most chunk, taken out of it (*v: an array
 * whose first n entries are the caller's; the rest were moved back to the
 * queue, so only the array itself is freed with them).
 */
static size_t
aq_take(struct store *st, size_t chunk, struct store_audit **v)
{
	size_t n;

	pthread_mutex_lock(&st->aq_lock);
	*v = st->aq;
	n = st->naq;
	if (n > chunk) {
		/* The oldest chunk; the rest waits for the next round. */
		n = chunk;
		st->aq = xreallocarray(NULL, st->naq - n, sizeof(*st->aq));
		memcpy(st->aq, *v + n, (st->naq - n) * sizeof(*st->aq));
		st->naq -= n;
		st->aq_cap = st->naq;
	} else {
		st->aq = NULL;
		st->naq = st->aq_cap = 0;
		st->aq_first_us = 0;
	}
	atomic_store(&st->aq_n, st->naq);
	pthread_mutex_unlock(&st->aq_lock);
	return n;
}

/*
 * Moves the queued entries into the open batch (st->lock held, before the
 * request's savepoint): they are chained and written with its commit.
 */
static enum cs_err
aq_drain(struct store *st)
{
	struct store_audit *v;
	size_t n, chunk = st->eng->round_trips != NULL ? STORE_AUDIT_CHUNK_RT :
	    STORE_AUDIT_CHUNK;

	n = aq_take(st, chunk, &v);
	if (st->nau + n > st->au_cap) {
		st->au_cap = st->nau + n + 16;
		st->au = xreallocarray(st->au, st->au_cap, sizeof(*st->au));
	}
	/* The strings move with them. */
	memcpy(st->au + st->nau, v, n * sizeof(*v));
	st->nau += n;
	free(v);
	return CS_OK;
}

/* The flusher: appends what no transaction has within STORE_AUDIT_FLUSH_US. */
static void *
aq_main(void *arg)
{
	struct store *st = arg;
	struct timespec ts;
	int64_t due;
	bool ok;

	pthread_mutex_lock(&st->aq_lock);
	while (!st->aq_stop) {
		if (st->naq == 0) {
			/* Idle for a second: gone until the next entry (aq_push). */
			due = cs_time_mono_us() + STORE_AUDIT_IDLE_US;
			ts.tv_sec = (time_t)(due / 1000000);
			ts.tv_nsec = (long)(due % 1000000) * 1000;
			if (pthread_cond_timedwait(&st->aq_cv, &st->aq_lock,
			    &ts) != 0 && st->naq == 0)
				break;
			continue;
		}
		due = st->aq_first_us + STORE_AUDIT_FLUSH_US;
		if (cs_time_mono_us() < due) {
			ts.tv_sec = (time_t)(due / 1000000);
			ts.tv_nsec = (long)(due % 1000000) * 1000;
			(void)pthread_cond_timedwait(&st->aq_cv, &st->aq_lock, &ts);
			continue;
		}
		pthread_mutex_unlock(&st->aq_lock);
		/* A chunk; the next goes at once, in a transaction of its own. */
		if (!(ok = aq_write(st) == CS_OK))
			log_warn("event=audit_queue msg=append_failed");
		pthread_mutex_lock(&st->aq_lock);
		/* The store failed: try again in an interval. */
		if (!ok && st->naq > 0)
			st->aq_first_us = cs_time_mono_us();
	}
	st->aq_running = false;
	pthread_cond_broadcast(&st->aq_cv);
	pthread_mutex_unlock(&st->aq_lock);
	return NULL;
}

/* Is there a second writer for the queue (opened here the first time)? */
static bool
aq_has_aux(struct store *st)
{
	bool has;

	if (st->eng->aux_open == NULL)
		return false;
	pthread_mutex_lock(&st->aq_olock);
	if (st->aq_aux == NULL && !st->aq_aux_failed &&
	    st->eng->aux_open(st->ctx, &st->aq_aux) != CS_OK) {
		st->aq_aux = NULL;
		st->aq_aux_failed = true;
	}
	has = st->aq_aux != NULL;
	pthread_mutex_unlock(&st->aq_olock);
	return has;
}

/*
 * Appends the oldest chunk of the queue in a transaction of its own: on
 * the second writer when there is one (the store lock is not taken: reads
 * and writes go on meanwhile; the chain's lock orders it with the
 * writer's appends), else as a read group.  What fails goes back to the
 * queue's head.  Not from inside a transaction of the calling thread.
 */
static enum cs_err
aq_write(struct store *st)
{
	struct store_audit *v, *keep;
	size_t n;
	enum cs_err rc;

	if (!aq_has_aux(st)) {
		/* The begin takes a chunk into the group, its commit writes it. */
		if ((rc = tx_begin(st, false, false)) == CS_OK)
			rc = store_commit(st);
		return rc;
	}
	pthread_mutex_lock(&st->aq_wlock);
	n = aq_take(st, STORE_AUDIT_CHUNK_RT, &v);
	/* The second writer is the calling thread's store context meanwhile. */
	snap_of = st;
	snap_ctx = st->aq_aux;
	if ((rc = st->eng->begin(st->aq_aux, false)) == CS_OK) {
		if ((rc = audit_write(st, v, n)) == CS_OK)
			rc = st->eng->commit(st->aq_aux);
		else
			st->eng->rollback(st->aq_aux);
	}
	snap_of = NULL;
	snap_ctx = NULL;
	if (rc != CS_OK && n > 0) {
		pthread_mutex_lock(&st->aq_lock);
		keep = xreallocarray(NULL, n + st->naq, sizeof(*keep));
		memcpy(keep, v, n * sizeof(*keep));
		if (st->naq > 0)
			memcpy(keep + n, st->aq, st->naq * sizeof(*keep));
		free(st->aq);
		st->aq = keep;
		st->naq = st->aq_cap = n + st->naq;
		atomic_store(&st->aq_n, st->naq);
		st->aq_first_us = cs_time_mono_us();
		pthread_mutex_unlock(&st->aq_lock);
	} else
		audit_free(v, n);
	pthread_mutex_unlock(&st->aq_wlock);
	/* Room again: snapshots waiting for it go on (snap_commit). */
	pthread_mutex_lock(&st->aq_lock);
	pthread_cond_broadcast(&st->aq_cv);
	pthread_mutex_unlock(&st->aq_lock);
	return rc;
}

enum cs_err
store_audit_flush(struct store *st)
{
	enum cs_err rc = CS_OK;
	size_t had;

	if (tx_of == st || snap_of == st)
		return CS_ESTORE;	/* inside a transaction: a bug in the caller */
	while (rc == CS_OK && (had = atomic_load(&st->aq_n)) > 0)
		if ((rc = aq_write(st)) == CS_OK && atomic_load(&st->aq_n) >= had)
			break;		/* nothing taken: the queue is someone else's now */
	return rc;
}

/* Takes the calling thread's snapshot entries into the queue. */
static void
aq_push(struct store *st)
{
	pthread_mutex_lock(&st->aq_lock);
	if (st->naq + snap_naudit > st->aq_cap) {
		st->aq_cap = st->naq + snap_naudit + (st->aq_cap > 64 ?
		    st->aq_cap : 64);
		st->aq = xreallocarray(st->aq, st->aq_cap, sizeof(*st->aq));
	}
	memcpy(st->aq + st->naq, snap_audit, snap_naudit * sizeof(*st->aq));
	if (st->naq == 0) {
		st->aq_first_us = cs_time_mono_us();
		/* The flusher sleeps until a queue is there, then until it is due. */
		pthread_cond_signal(&st->aq_cv);
	}
	st->naq += snap_naudit;
	atomic_store(&st->aq_n, st->naq);
	if (!st->aq_running && !st->aq_stop) {
		pthread_t t;
		pthread_attr_t a;

		pthread_attr_init(&a);
		pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&t, &a, aq_main, st) == 0)
			st->aq_running = true;
		pthread_attr_destroy(&a);
	}
	pthread_mutex_unlock(&st->aq_lock);
	free(snap_audit);
	snap_audit = NULL;
	snap_naudit = 0;
}

/* Stops the flusher (what it left stays queued). */
static void
aq_stop(struct store *st)
{
	pthread_mutex_lock(&st->aq_lock);
	st->aq_stop = true;
	pthread_cond_broadcast(&st->aq_cv);
	while (st->aq_running)
		pthread_cond_wait(&st->aq_cv, &st->aq_lock);
	pthread_mutex_unlock(&st->aq_lock);
}

/* Ends the thread's snapshot and gives its reader back (a cached one has none). */
static void
snap_end(struct store *st, bool commit)
{
	if (!snap_cached) {
		if (commit)
			(void)st->eng->commit(snap_ctx);
		else
			st->eng->rollback(snap_ctx);
		pthread_mutex_lock(&st->rlock);
		st->idle[st->nidle++] = snap_ctx;
		pthread_cond_signal(&st->rcv);
		pthread_mutex_unlock(&st->rlock);
	}
	snap_of = NULL;
	snap_ctx = NULL;
	snap_cached = false;
	snap_stamped = false;
}

/* ---- generations, and snapshots that read nothing -------------------- */

/* The engine's stamp now (false: none, or being written). */
static bool
stamp_now(struct store *st, uint64_t out[STORE_STAMP_LEN / 8])
{
	return st->eng->stamp != NULL &&
	    st->eng->stamp(st->ctx, (unsigned char *)out);
}

/* Keeps generations a snapshot read at stamp s (gen_lock's seqlock). */
static void
gen_record(struct store *st, const uint64_t s[STORE_STAMP_LEN / 8],
    int64_t auth, int64_t data)
{
	pthread_mutex_lock(&st->gen_lock);
	atomic_fetch_add_explicit(&st->gen_seq, 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	for (size_t i = 0; i < STORE_STAMP_LEN / 8; i++)
		atomic_store_explicit(&st->gen_stamp[i], s[i],
		    memory_order_relaxed);
	atomic_store_explicit(&st->gen_auth, auth, memory_order_relaxed);
	atomic_store_explicit(&st->gen_data, data, memory_order_relaxed);
	atomic_store_explicit(&st->gen_at_us, cs_time_mono_us(),
	    memory_order_relaxed);
	atomic_fetch_add_explicit(&st->gen_seq, 1, memory_order_release);
	pthread_mutex_unlock(&st->gen_lock);
}

/* The kept generations, if kept at stamp `now` within STORE_CACHED_MAX_US. */
static bool
gen_lookup(struct store *st, const uint64_t now[STORE_STAMP_LEN / 8],
    int64_t *auth, int64_t *data)
{
	unsigned seq = atomic_load_explicit(&st->gen_seq, memory_order_acquire);
	bool same = true;
	int64_t at;

	if (seq & 1)
		return false;
	for (size_t i = 0; i < STORE_STAMP_LEN / 8; i++)
		same &= atomic_load_explicit(&st->gen_stamp[i],
		    memory_order_relaxed) == now[i];
	*auth = atomic_load_explicit(&st->gen_auth, memory_order_relaxed);
	*data = atomic_load_explicit(&st->gen_data, memory_order_relaxed);
	at = atomic_load_explicit(&st->gen_at_us, memory_order_relaxed);
	atomic_thread_fence(memory_order_acquire);
	return same && at != 0 &&
	    atomic_load_explicit(&st->gen_seq, memory_order_relaxed) == seq &&
	    cs_time_mono_us() - at < STORE_CACHED_MAX_US;
}

enum cs_err
store_generations(struct store *st, int64_t *auth, int64_t *data)
{
	uint64_t after[STORE_STAMP_LEN / 8];
	enum cs_err rc;

	if (snap_of == st && snap_cached) {
		*auth = snap_auth;
		*data = snap_data;
		return CS_OK;
	}
	rc = st_generations_read(st, auth, data);
	/*
	 * A snapshot whose stamp is the same after this read as before its
	 * first statement read the state of that stamp: nothing was committed
	 * in between, and the header never comes back to a value it had.
	 */
	if (rc == CS_OK && snap_of == st && snap_stamped &&
	    stamp_now(st, after) &&
	    memcmp(after, snap_stamp, sizeof(after)) == 0)
		gen_record(st, after, *auth, *data);
	return rc;
}

enum cs_err
store_begin_cached(struct store *st)
{
	uint64_t now[STORE_STAMP_LEN / 8];
	int64_t auth, data;

	snap_missed = false;
	if (tx_of == st || snap_of == st)
		return CS_ESTORE;	/* nested: a bug in the caller */
	if (!stamp_now(st, now) || !gen_lookup(st, now, &auth, &data))
		return CS_ENOENT;
	snap_of = st;
	snap_ctx = NULL;
	snap_cached = true;
	snap_auth = auth;
	snap_data = data;
	atomic_fetch_add_explicit(&st->ncached, 1, memory_order_relaxed);
	return CS_OK;
}

bool
store_cached_missed(struct store *st)
{
	(void)st;
	return snap_missed;
}

void
store_snapshot_stats(struct store *st, uint64_t *snapshots, uint64_t *cached)
{
	pthread_mutex_lock(&st->rlock);
	*snapshots = st->nsnap;
	pthread_mutex_unlock(&st->rlock);
	*cached = atomic_load(&st->ncached);
}

enum cs_err
store_begin_snapshot(struct store *st)
{
	void *r = NULL;

	if (tx_of == st || snap_of == st)
		return CS_ESTORE;	/* nested: a bug in the caller */
	if (st->eng->reader_open == NULL)
		return tx_begin(st, false, false);
	pthread_mutex_lock(&st->rlock);
	if (st->nidle > 0)
		r = st->idle[--st->nidle];
	else if (st->nreaders < STORE_READERS) {
		st->nreaders++;
		pthread_mutex_unlock(&st->rlock);
		if (st->eng->reader_open(st->ctx, &r) != CS_OK) {
			r = NULL;
			pthread_mutex_lock(&st->rlock);
			st->nreaders--;
			pthread_mutex_unlock(&st->rlock);
		}
		pthread_mutex_lock(&st->rlock);
		for (int i = 0; r != NULL && i < STORE_READERS; i++)
			if (st->readers[i] == NULL) {
				st->readers[i] = r;
				break;
			}
	} else if (st->nreaders > 0) {
		/* All busy: one is back in a moment. */
		int64_t until = cs_time_mono_us() + (st->eng->aux_open != NULL ?
		    STORE_READER_WAIT_RT_US : STORE_READER_WAIT_US);
		struct timespec ts = { (time_t)(until / 1000000),
		    (long)(until % 1000000) * 1000 };

		while (st->nidle == 0 && pthread_cond_timedwait(&st->rcv,
		    &st->rlock, &ts) == 0)
			;
		if (st->nidle > 0)
			r = st->idle[--st->nidle];
	}
	if (r != NULL)
		st->nsnap++;
	pthread_mutex_unlock(&st->rlock);
	if (r == NULL)
		return tx_begin(st, false, false);	/* all busy (or none): the read path */
	if (st->eng->begin(r, false) != CS_OK) {
		pthread_mutex_lock(&st->rlock);
		st->idle[st->nidle++] = r;
		pthread_mutex_unlock(&st->rlock);
		return tx_begin(st, false, false);
	}
	snap_of = st;
	snap_ctx = r;
	/* Begun, not yet read (a deferred begin): the stamp before its first read. */
	snap_stamped = stamp_now(st, snap_stamp);
	return CS_OK;
}

/*
 * The snapshot's audit entries go to the queue; over its bound, they are
 * appended here through a read group (which drains the queue too).
 */
static enum cs_err
snap_commit(struct store *st)
{
	enum cs_err rc = CS_OK;

	snap_end(st, true);
	if (snap_naudit == 0)
		return CS_OK;
	if (atomic_load(&st->aq_n) < STORE_AUDIT_QUEUE_MAX) {
		aq_push(st);
		return CS_OK;
	}
	{
		/* Reads outrun the flusher: said once a second at most. */
		static _Atomic int64_t said_us;
		int64_t now = cs_time_mono_us(), was = atomic_load(&said_us);

		if (now - was > 1000000 &&
		    atomic_compare_exchange_strong(&said_us, &was, now))
			log_warn("event=audit_queue_full queued=%zu",
			    atomic_load(&st->aq_n));
	}
	/*
	 * With a second writer the flusher makes room without the store
	 * lock: wait for it (each read a little, as they come), up to
	 * STORE_AUDIT_WAIT_US, rather than queue behind the writer.
	 */
	if (aq_has_aux(st)) {
		int64_t until = cs_time_mono_us() + STORE_AUDIT_WAIT_US;
		struct timespec ts = { (time_t)(until / 1000000),
		    (long)(until % 1000000) * 1000 };

		pthread_mutex_lock(&st->aq_lock);
		while (st->naq >= STORE_AUDIT_QUEUE_MAX && st->aq_running &&
		    pthread_cond_timedwait(&st->aq_cv, &st->aq_lock, &ts) == 0)
			;
		pthread_mutex_unlock(&st->aq_lock);
		if (atomic_load(&st->aq_n) < STORE_AUDIT_QUEUE_MAX) {
			aq_push(st);
			return CS_OK;
		}
	}
	if ((rc = tx_begin(st, false, false)) == CS_OK) {
		for (size_t i = 0; i < snap_naudit && rc == CS_OK; i++)
			rc = store_audit_append(st, &snap_audit[i]);
		if (rc == CS_OK)
			rc = store_commit(st);
		else
			store_rollback(st);
	}
	snap_audit_free();
	return rc;
}

enum cs_err
store_commit(struct store *st)
{
	enum cs_err rc;
	bool last;

	if (snap_of == st)
		return snap_commit(st);
	if (tx_of != st)
		return CS_ESTORE;
	/*
	 * Alone in its batch and nobody waiting: it commits now, alone, so
	 * its statements may be checked by the commit itself.
	 */
	last = st->b->members == 1 && atomic_load(&st->waiting) == 0 &&
	    st->eng->unmark_last != NULL;
	if ((rc = last ? st->eng->unmark_last(st->ctx) :
	    st->eng->unmark(st->ctx, true)) != CS_OK) {
		tail_undo(st);
		(void)settle(st, false);
		return rc;
	}
	if (st->req_data)
		st->b->data = true;
	st->b->last = last;
	return settle(st, true);
}

void
store_rollback(struct store *st)
{
	if (snap_of == st) {
		snap_end(st, false);
		snap_audit_free();
		return;
	}
	if (tx_of != st)
		return;
	(void)st->eng->unmark(st->ctx, false);
	tail_undo(st);
	(void)settle(st, false);
}

/*
 * The chain: hash_n = H(hash_{n-1} || canonical text of entry n).  The
 * canonical text is built here, once, so every backend chains alike:
 * "SEQ|AT_US|USER|ORG|LEN:ACTION|LEN:ITEM|LEN:DETAIL", decimal numbers,
 * byte lengths (printf's "%lld|%lld|%lld|%lld|%zu:%s|%zu:%s|%zu:%s",
 * written without printf: every read appends one).
 */
static char *
canon_i64(char *p, int64_t v)
{
	char t[24];
	size_t n = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		t[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*p++ = '-';
	while (n > 0)
		*p++ = t[--n];
	return p;
}

static char *
canon_str(char *p, const char *s, size_t n)
{
	p = canon_i64(p, (int64_t)n);
	*p++ = ':';
	memcpy(p, s, n);
	return p + n;
}

static char *
audit_canonical(const struct store_audit *a)
{
	const char *action = a->action ? a->action : "";
	const char *item = a->item ? a->item : "";
	const char *detail = a->detail ? a->detail : "";
	size_t na = strlen(action), ni = strlen(item), nd = strlen(detail);
	char *out, *p;

	/* Length-prefixed, so no field can borrow bytes from its neighbour. */
	out = p = xmalloc(7 * 21 + 7 + na + ni + nd + 1);
	p = canon_i64(p, a->seq);
	*p++ = '|';
	p = canon_i64(p, a->at_us);
	*p++ = '|';
	p = canon_i64(p, a->user);
	*p++ = '|';
	p = canon_i64(p, a->org);
	*p++ = '|';
	p = canon_str(p, action, na);
	*p++ = '|';
	p = canon_str(p, item, ni);
	*p++ = '|';
	p = canon_str(p, detail, nd);
	*p = '\0';
	return out;
}

/*
 * Chains entries v[0..n) after the last one stored and writes them: on
 * PostgreSQL under the chain's lock, taken here (if the transaction has
 * not) and held to its end.  Fills each entry's seq, prev and hash.
 */
static enum cs_err
audit_write(struct store *st, struct store_audit *v, size_t n)
{
	enum cs_err rc;
	int64_t seq;
	char *canon;

	if (n == 0)
		return CS_OK;
	if ((rc = st_audit_last(st, &seq, v[0].prev)) != CS_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			memcpy(v[i].prev, v[i - 1].hash, 32);
		v[i].seq = seq + 1 + (int64_t)i;
		canon = audit_canonical(&v[i]);
		core_audit_hash(v[i].prev, canon, v[i].hash);
		free(canon);
	}
	return st_audit_insert(st, v, n);
}

enum cs_err
store_audit_append(struct store *st, struct store_audit *a)
{
	if (snap_of == st) {
		/* Kept, and appended when the snapshot commits. */
		snap_audit = xreallocarray(snap_audit, snap_naudit + 1,
		    sizeof(*snap_audit));
		audit_copy(&snap_audit[snap_naudit++], a);
		return CS_OK;
	}
	if (tx_of == st) {
		/* Kept, and chained just before the batch commits. */
		if (st->nau == st->au_cap) {
			st->au_cap = st->au_cap ? 2 * st->au_cap : 16;
			st->au = xreallocarray(st->au, st->au_cap,
			    sizeof(*st->au));
		}
		audit_copy(&st->au[st->nau++], a);
		return CS_OK;
	}
	/* Outside a transaction: a statement of its own. */
	return audit_write(st, a, 1);
}

void
store_audit_rehash(const struct store_audit *a, unsigned char out[32])
{
	char *canon = audit_canonical(a);

	core_audit_hash(a->prev, canon, out);
	free(canon);
}

const struct store_engine *
store_engine_of(struct store *st)
{
	return st->eng;
}

void *
store_ctx(struct store *st)
{
	if (snap_of == st && snap_cached) {
		snap_missed = true;	/* a statement: not answerable so */
		return NULL;
	}
	return CTX(st);
}

enum cs_err
store_backup(struct store *st, const char *out_path, struct cs_error *e)
{
	return st->eng->backup(st->ctx, out_path, e);
}

/* ---- the full-text indexer (SQLite; store.h) ------------------------------ */

/* Rows committed this recently: intake is going on (ix_main waits). */
#define IX_QUIET_US	20000
/* The least time the requests get between two chunks while they wait. */
#define IX_TURN_US	1000
/* After a failed chunk (the store is failing), before the next. */
#define IX_RETRY_US	1000000

void
store_search_noted(struct store *st, size_t n)
{
	if (!st->ix_async)
		return;
	atomic_fetch_add(&st->ix_lag, (int_fast64_t)n);
	atomic_store(&st->ix_note_us, cs_time_mono_us());
	pthread_mutex_lock(&st->ix_lock);
	if (st->ix_idle)
		pthread_cond_signal(&st->ix_cv);
	pthread_mutex_unlock(&st->ix_lock);
}

int64_t
store_search_lag(struct store *st)
{
	return atomic_load(&st->ix_lag);
}

/* One chunk in a group of its own (a read group: it joins what is open). */
static enum cs_err
ix_chunk(struct store *st, int max, int64_t *n)
{
	int64_t left = 0;
	enum cs_err rc;

	*n = 0;
	if ((rc = tx_begin(st, false, false)) != CS_OK)
		return rc;
	if ((rc = st_search_index(st, max, n)) != CS_OK ||
	    (rc = st_search_pending(st, &left)) != CS_OK) {
		store_rollback(st);
		atomic_store(&st->ix_lag, 1);	/* unknown: look again */
		return rc;
	}
	/* Counted under st->lock: a later batch's rows are added after. */
	atomic_store(&st->ix_lag, left);
	if ((rc = store_commit(st)) != CS_OK)
		atomic_store(&st->ix_lag, 1);
	return rc;
}

enum cs_err
store_search_index(struct store *st, int64_t max, int64_t *n)
{
	int64_t done = 0, k;
	enum cs_err rc = CS_OK;

	while (st->ix_async && (max < 0 || done < max)) {
		int chunk = STORE_SEARCH_CHUNK;

		if (max >= 0 && max - done < chunk)
			chunk = (int)(max - done);
		if ((rc = ix_chunk(st, chunk, &k)) != CS_OK)
			break;
		done += k;
		if (k < chunk)
			break;
	}
	if (n != NULL)
		*n = done;
	return rc;
}

/* Sleeps on ix_cv until mono time `until` or a signal; ix_lock held. */
static void
ix_wait(struct store *st, int64_t until)
{
	struct timespec ts = { (time_t)(until / 1000000),
	    (long)(until % 1000000) * 1000 };

	(void)pthread_cond_timedwait(&st->ix_cv, &st->ix_lock, &ts);
}

/* Tests only: CISHARED_TEST_INDEX_DELAY_MS (store.h). */
static int64_t
ix_test_delay_us(void)
{
	const char *v = getenv("CISHARED_TEST_INDEX_DELAY_MS");
	int64_t ms = 0;

	if (v == NULL || cs_str_to_i64(v, 1, 3600000, &ms) != CS_OK)
		return 0;
	return ms * 1000;
}

static void *
ix_main(void *arg)
{
	struct store *st = arg;
	int64_t lag, n, now, until, since;
	bool catch_up = false;

	pthread_mutex_lock(&st->ix_lock);
	until = cs_time_mono_us() + ix_test_delay_us();
	while (!st->ix_stop && cs_time_mono_us() < until)
		ix_wait(st, until);
	since = cs_time_mono_us();
	while (!st->ix_stop) {
		lag = atomic_load(&st->ix_lag);
		now = cs_time_mono_us();
		if (lag <= 0) {
			/* Woken by the next batch that commits rows (noted). */
			catch_up = false;
			st->ix_idle = true;
			ix_wait(st, now + 1000000);
			st->ix_idle = false;
			since = cs_time_mono_us();
			continue;
		}
		/*
		 * While rows keep coming (a burst of intake), the requests go
		 * first, until the list is STORE_SEARCH_LAG_MAX long or its
		 * rows have waited STORE_SEARCH_LAG_MAX_US: then chunks take
		 * turns with the requests until the list is empty.
		 */
		if (lag >= STORE_SEARCH_LAG_MAX ||
		    now - since >= STORE_SEARCH_LAG_MAX_US)
			catch_up = true;
		until = atomic_load(&st->ix_note_us) + IX_QUIET_US;
		if (!catch_up && now < until) {
			ix_wait(st, until);
			continue;
		}
		pthread_mutex_unlock(&st->ix_lock);
		if (ix_chunk(st, STORE_SEARCH_CHUNK, &n) != CS_OK) {
			log_warn("event=search_index msg=\"chunk failed; "
			    "kept pending\"");
			pthread_mutex_lock(&st->ix_lock);
			if (!st->ix_stop)
				ix_wait(st, cs_time_mono_us() + IX_RETRY_US);
			continue;
		}
		pthread_mutex_lock(&st->ix_lock);
		/*
		 * Turns: the store lock is no queue, and the indexer, running
		 * already, would take it again before the woken requests do
		 * (a 2.5 s stall of intake at the start of a catch-up).  So
		 * while requests wait, they get as long as the chunk took up to
		 * the bound, less and less beyond it, and at least IX_TURN_US
		 * (a group of them) even at twice the bound.
		 */
		if (!st->ix_stop && atomic_load(&st->waiting) > 0) {
			int64_t took = cs_time_mono_us() - now, turn;

			lag = atomic_load(&st->ix_lag);
			turn = lag <= STORE_SEARCH_LAG_MAX ? took :
			    lag >= 2 * STORE_SEARCH_LAG_MAX ? 0 :
			    took * (2 * STORE_SEARCH_LAG_MAX - lag) /
			    STORE_SEARCH_LAG_MAX;
			ix_wait(st, cs_time_mono_us() + (turn > IX_TURN_US ?
			    turn : IX_TURN_US));
		}
	}
	pthread_mutex_unlock(&st->ix_lock);
	return NULL;
}

void
store_search_indexer_start(struct store *st)
{
	pthread_mutex_lock(&st->ix_lock);
	/* Nothing to do on an engine without the list. */
	if (!st->ix_on && st->ix_async) {
		/* Unknown: the first chunk counts what a crash left. */
		atomic_store(&st->ix_lag, 1);
		st->ix_stop = false;
		st->ix_on = pthread_create(&st->ix, NULL, ix_main, st) == 0;
		if (!st->ix_on)
			log_warn("event=search_index msg=\"no indexer thread; "
			    "rows indexed by the next start\"");
	}
	pthread_mutex_unlock(&st->ix_lock);
}

/* Stops the indexer at the end of its chunk (what is left stays pending). */
static void
ix_stop(struct store *st)
{
	bool on;

	pthread_mutex_lock(&st->ix_lock);
	st->ix_stop = true;
	on = st->ix_on;
	st->ix_on = false;
	pthread_cond_broadcast(&st->ix_cv);
	pthread_mutex_unlock(&st->ix_lock);
	if (on)
		pthread_join(st->ix, NULL);
}
