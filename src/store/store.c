/*
 * store.c: the backend-neutral front of the store.  Picks the backend from
 * the URL, forwards each call through the ops table, owns the record
 * destructors and the audit chain arithmetic (the same for every backend).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

#define STORE_READERS	4	/* read-only connections for snapshots, at most */

/* One backend transaction shared by several requests (group commit). */
struct batch {
	bool		 durable;
	bool		 done;
	enum cs_err	 rc;		/* the commit's result, once done */
	int		 members;	/* transactions that joined it */
	int		 refs;		/* of them, waiting for the commit */
	int64_t		 opened_us;
};

struct store {
	const struct store_ops	*ops;
	void			*ctx;
	pthread_mutex_t		 lock;	/* held from begin to commit/rollback */
	pthread_cond_t		 cv;	/* a batch committed */
	atomic_int		 waiting;	/* threads blocked in begin */
	struct batch		*b;	/* the open batch, NULL if none */
	/*
	 * The audit chain's last entry, known inside a batch (which holds the
	 * store, and on PostgreSQL the chain's lock, from begin to commit), and
	 * as it was when the current request began (restored if it is undone).
	 */
	/* Idle readers (snapshots); nreaders opened in all. */
	pthread_mutex_t		 rlock;
	void			*idle[STORE_READERS];
	int			 nidle;
	int			 nreaders;
	uint64_t		 nsnap;	/* snapshots begun */
	uint64_t		 ntx;	/* transactions begun */
	uint64_t		 ncommits;	/* backend commits */
	struct tail {
		bool		 ok;
		int64_t		 seq;
		unsigned char	 hash[32];
	}			 tail, mark;
};

/* The store whose transaction the calling thread is in, if any. */
static _Thread_local struct store *tx_of;

/* A snapshot of the calling thread (store_begin_snapshot). */
static _Thread_local struct store *snap_of;
static _Thread_local void *snap_ctx;
static _Thread_local struct store_audit *snap_audit;	/* kept for the commit */
static _Thread_local size_t snap_naudit;

/* The backend context the calling thread's operations go to. */
#define CTX(st)	(snap_of == (st) ? snap_ctx : (st)->ctx)

enum cs_err
store_open(const char *url, bool create, struct store **out, struct cs_error *e)
{
	const struct store_ops *ops = &store_sqlite_ops;
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
		ops = &store_pg_ops;
#else
		return cs_fail(e, CS_EINVAL, "db", "this build has no PostgreSQL "
		    "backend");
#endif
	}
	if ((rc = ops->open(target, create, &ctx, e)) != CS_OK)
		return rc;
	st = xcalloc(1, sizeof(*st));
	st->ops = ops;
	st->ctx = ctx;
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->cv, NULL);
	pthread_mutex_init(&st->rlock, NULL);
	*out = st;
	return CS_OK;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	/* Closed inside this thread's transaction (an aborted test): undo it. */
	if (tx_of != st)
		pthread_mutex_lock(&st->lock);
	tx_of = NULL;
	if (st->b != NULL) {
		st->ops->rollback(st->ctx);
		free(st->b);
		st->b = NULL;
	}
	pthread_mutex_unlock(&st->lock);
	for (int i = 0; i < st->nidle; i++)
		st->ops->reader_close(st->idle[i]);
	pthread_mutex_destroy(&st->rlock);
	st->ops->close(st->ctx);
	pthread_cond_destroy(&st->cv);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

int
store_schema_version(struct store *st)
{
	return st->ops->schema_version(st->ctx);
}

/* ---- transactions: group commit ------------------------------------ */

/* Commits the open batch and wakes its members; st->lock held. */
static enum cs_err
batch_close(struct store *st)
{
	struct batch *b = st->b;
	enum cs_err rc;

	st->b = NULL;
	st->tail.ok = false;
	st->ncommits++;
	rc = st->ops->commit(st->ctx);
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
	if (atomic_load(&st->waiting) > 0 && b->members < STORE_BATCH_MAX &&
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

static enum cs_err
tx_begin(struct store *st, bool durable)
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
		if ((rc = st->ops->begin(st->ctx, durable)) != CS_OK) {
			pthread_mutex_unlock(&st->lock);
			return rc;
		}
		st->b = xcalloc(1, sizeof(*st->b));
		st->b->durable = durable;
		st->b->opened_us = cs_time_mono_us();
		st->tail.ok = false;
	}
	st->b->members++;
	if ((rc = st->ops->mark(st->ctx)) != CS_OK) {
		(void)settle(st, false);
		return rc;
	}
	st->mark = st->tail;
	st->ntx++;
	tx_of = st;
	return CS_OK;
}

void
store_stats(struct store *st, uint64_t *tx, uint64_t *commits)
{
	pthread_mutex_lock(&st->lock);
	*tx = st->ntx;
	*commits = st->ncommits;
	pthread_mutex_unlock(&st->lock);
}

/* The request's changes were undone: so were its audit entries. */
static void
tail_undo(struct store *st)
{
	st->tail = st->mark;
}

enum cs_err
store_begin(struct store *st)
{
	return tx_begin(st, true);
}

enum cs_err
store_begin_read(struct store *st)
{
	return tx_begin(st, false);
}

/* ---- snapshots: reads beside the writer ------------------------------- */

static void
snap_audit_free(void)
{
	for (size_t i = 0; i < snap_naudit; i++) {
		free(snap_audit[i].action);
		free(snap_audit[i].item);
		free(snap_audit[i].detail);
	}
	free(snap_audit);
	snap_audit = NULL;
	snap_naudit = 0;
}

/* Ends the thread's snapshot and gives its reader back. */
static void
snap_end(struct store *st, bool commit)
{
	if (commit)
		(void)st->ops->commit(snap_ctx);
	else
		st->ops->rollback(snap_ctx);
	pthread_mutex_lock(&st->rlock);
	st->idle[st->nidle++] = snap_ctx;
	pthread_mutex_unlock(&st->rlock);
	snap_of = NULL;
	snap_ctx = NULL;
}

enum cs_err
store_begin_snapshot(struct store *st)
{
	void *r = NULL;

	if (tx_of == st || snap_of == st)
		return CS_ESTORE;	/* nested: a bug in the caller */
	if (st->ops->reader_open == NULL)
		return tx_begin(st, false);
	pthread_mutex_lock(&st->rlock);
	if (st->nidle > 0)
		r = st->idle[--st->nidle];
	else if (st->nreaders < STORE_READERS) {
		st->nreaders++;
		pthread_mutex_unlock(&st->rlock);
		if (st->ops->reader_open(st->ctx, &r) != CS_OK) {
			r = NULL;
			pthread_mutex_lock(&st->rlock);
			st->nreaders--;
			pthread_mutex_unlock(&st->rlock);
		}
		pthread_mutex_lock(&st->rlock);
	}
	if (r != NULL)
		st->nsnap++;
	pthread_mutex_unlock(&st->rlock);
	if (r == NULL)
		return tx_begin(st, false);	/* all busy (or none): the read path */
	if (st->ops->begin(r, false) != CS_OK) {
		pthread_mutex_lock(&st->rlock);
		st->idle[st->nidle++] = r;
		pthread_mutex_unlock(&st->rlock);
		return tx_begin(st, false);
	}
	snap_of = st;
	snap_ctx = r;
	return CS_OK;
}

/* The snapshot's audit entries, appended through a read group. */
static enum cs_err
snap_commit(struct store *st)
{
	enum cs_err rc = CS_OK;

	snap_end(st, true);
	if (snap_naudit == 0)
		return CS_OK;
	if ((rc = tx_begin(st, false)) == CS_OK) {
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

	if (snap_of == st)
		return snap_commit(st);
	if (tx_of != st)
		return CS_ESTORE;
	if ((rc = st->ops->unmark(st->ctx, true)) != CS_OK) {
		tail_undo(st);
		(void)settle(st, false);
		return rc;
	}
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
	(void)st->ops->unmark(st->ctx, false);
	tail_undo(st);
	(void)settle(st, false);
}

enum cs_err
store_meta_get(struct store *st, const char *k, char **v)
{
	return st->ops->meta_get(CTX(st), k, v);
}

enum cs_err
store_meta_set(struct store *st, const char *k, const char *v)
{
	return st->ops->meta_set(CTX(st), k, v);
}

enum cs_err
store_ref_put(struct store *st, const char *name, const char *json)
{
	return st->ops->ref_put(CTX(st), name, json);
}

enum cs_err
store_ref_get(struct store *st, const char *name, char **json)
{
	return st->ops->ref_get(CTX(st), name, json);
}

enum cs_err
store_counter_next(struct store *st, const char *name, int64_t *v)
{
	return st->ops->counter_next(CTX(st), name, v);
}

enum cs_err
store_org_insert(struct store *st, struct store_org *o)
{
	return st->ops->org_insert(CTX(st), o);
}

enum cs_err
store_org_get(struct store *st, int64_t id, struct store_org *o)
{
	return st->ops->org_get(CTX(st), id, o);
}

enum cs_err
store_org_update(struct store *st, const struct store_org *o)
{
	return st->ops->org_update(CTX(st), o);
}

enum cs_err
store_org_list(struct store *st, int64_t after, int limit, struct store_org **v,
    size_t *n)
{
	return st->ops->org_list(CTX(st), after, limit, -1, 0, v, n);
}

enum cs_err
store_org_find(struct store *st, enum cs_org_type t, uint32_t sectors,
    struct store_org **v, size_t *n)
{
	return st->ops->org_list(CTX(st), 0, 100000, (int)t, sectors, v, n);
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

enum cs_err
store_user_insert(struct store *st, struct store_user *u)
{
	return st->ops->user_insert(CTX(st), u);
}

enum cs_err
store_user_get(struct store *st, int64_t id, struct store_user *u)
{
	return st->ops->user_get(CTX(st), id, u);
}

enum cs_err
store_user_by_login(struct store *st, const unsigned char h[32],
    struct store_user *u)
{
	return st->ops->user_by_login(CTX(st), h, u);
}

enum cs_err
store_user_list(struct store *st, int64_t org, int64_t after, int limit,
    struct store_user **v, size_t *n)
{
	return st->ops->user_list(CTX(st), org, after, limit, v, n);
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

enum cs_err
store_token_insert(struct store *st, struct store_token *t)
{
	return st->ops->token_insert(CTX(st), t);
}

enum cs_err
store_token_get(struct store *st, int64_t id, struct store_token *t)
{
	return st->ops->token_get(CTX(st), id, t);
}

enum cs_err
store_token_delete(struct store *st, int64_t id)
{
	return st->ops->token_delete(CTX(st), id);
}

enum cs_err
store_token_principal(struct store *st, int64_t id, struct store_token *t,
    struct store_user *u, struct store_org *o)
{
	return st->ops->token_principal(CTX(st), id, t, u, o);
}

enum cs_err
store_token_list(struct store *st, int64_t user, struct store_token **v, size_t *n)
{
	return st->ops->token_list(CTX(st), user, v, n);
}

void
store_tokens_free(struct store_token *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_token_fini(&v[i]);
	free(v);
}

enum cs_err
store_user_update(struct store *st, const struct store_user *u)
{
	return st->ops->user_update(CTX(st), u);
}

void
store_token_fini(struct store_token *t)
{
	if (t == NULL)
		return;
	free(t->label);
	memset(t, 0, sizeof(*t));
}

enum cs_err
store_report_insert(struct store *st, struct store_report *r)
{
	return st->ops->report_insert(CTX(st), r);
}

enum cs_err
store_report_update(struct store *st, const struct store_report *r)
{
	return st->ops->report_update(CTX(st), r);
}

enum cs_err
store_report_set_anon(struct store *st, const struct store_report *r)
{
	return st->ops->report_set_anon(CTX(st), r);
}

enum cs_err
store_report_get(struct store *st, int64_t id, struct store_report *r)
{
	return st->ops->report_get(CTX(st), id, r);
}

enum cs_err
store_report_candidates(struct store *st, const struct store_report_filter *f,
    int64_t **ids, size_t *n)
{
	return st->ops->report_candidates(CTX(st), f, ids, n);
}

void
store_report_fini(struct store_report *r)
{
	if (r == NULL)
		return;
	free(r->sealed_identity);
	free(r->path);
	free(r->shares);
	free(r->extra);
	memset(r, 0, sizeof(*r));
}

enum cs_err
store_report_path_add(struct store *st, int64_t id, const struct cs_path_entry *p)
{
	return st->ops->path_add(CTX(st), id, p);
}

enum cs_err
store_report_share_add(struct store *st, int64_t id, const struct store_share *s)
{
	return st->ops->share_add(CTX(st), id, s);
}

enum cs_err
store_report_extra_add(struct store *st, int64_t id, int64_t org)
{
	return st->ops->extra_add(CTX(st), id, org);
}

enum cs_err
store_version_insert(struct store *st, const struct store_version *v)
{
	return st->ops->version_insert(CTX(st), v);
}

enum cs_err
store_version_list(struct store *st, int64_t report, struct store_version **v,
    size_t *n)
{
	return st->ops->version_list(CTX(st), report, v, n);
}

void
store_versions_free(struct store_version *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].form);
		free(v[i].sealed_form);
	}
	free(v);
}

enum cs_err
store_adv_insert(struct store *st, struct store_advisory *a)
{
	return st->ops->adv_insert(CTX(st), a);
}

enum cs_err
store_adv_update(struct store *st, const struct store_advisory *a)
{
	return st->ops->adv_update(CTX(st), a);
}

enum cs_err
store_adv_get(struct store *st, int64_t id, struct store_advisory *a)
{
	return st->ops->adv_get(CTX(st), id, a);
}

enum cs_err
store_adv_get_latest(struct store *st, int64_t id, struct store_advisory *a,
    struct store_adv_version *v)
{
	memset(v, 0, sizeof(*v));
	return st->ops->adv_get_latest(CTX(st), id, a, v);
}

enum cs_err
store_adv_list(struct store *st, int64_t before, int limit, struct store_advisory **v, size_t *n)
{
	return st->ops->adv_list(CTX(st), before, limit, v, n);
}

enum cs_err
store_adv_version_insert(struct store *st, const struct store_adv_version *v)
{
	return st->ops->adv_version_insert(CTX(st), v);
}

enum cs_err
store_adv_version_list(struct store *st, int64_t adv, struct store_adv_version **v, size_t *n)
{
	return st->ops->adv_version_list(CTX(st), adv, v, n);
}

enum cs_err
store_adv_related_add(struct store *st, int64_t adv, const struct store_adv_related *r)
{
	return st->ops->adv_related_add(CTX(st), adv, r);
}

enum cs_err
store_adv_related_list(struct store *st, int64_t adv, struct store_adv_related **v, size_t *n)
{
	return st->ops->adv_related_list(CTX(st), adv, v, n);
}

enum cs_err
store_delivery_add(struct store *st, struct store_delivery *d, bool *added)
{
	return st->ops->delivery_add(CTX(st), d, added);
}

enum cs_err
store_delivery_add_many(struct store *st, const struct store_delivery *tmpl,
    const int64_t *orgs, size_t n, int64_t **added, size_t *nadded)
{
	*added = NULL;
	*nadded = 0;
	if (n == 0)
		return CS_OK;
	return st->ops->delivery_add_many(CTX(st), tmpl, orgs, n, added, nadded);
}

enum cs_err
store_delivery_list(struct store *st, int64_t adv, struct store_delivery **v, size_t *n)
{
	return st->ops->delivery_list(CTX(st), adv, v, n);
}

enum cs_err
store_delivery_inbox(struct store *st, int64_t org, int64_t before, int limit, struct store_delivery **v, size_t *n)
{
	return st->ops->delivery_inbox(CTX(st), org, before, limit, v, n);
}

enum cs_err
store_delivery_mark_read(struct store *st, int64_t adv, int64_t org, int64_t us)
{
	return st->ops->delivery_mark_read(CTX(st), adv, org, us);
}

enum cs_err
store_delivery_ack(struct store *st, int64_t adv, int64_t org, int64_t user, int64_t us)
{
	return st->ops->delivery_ack(CTX(st), adv, org, user, us);
}

enum cs_err
store_delivery_due(struct store *st, int64_t before_us, int limit, struct store_delivery **v, size_t *n)
{
	return st->ops->delivery_due(CTX(st), before_us, limit, v, n);
}

enum cs_err
store_delivery_reminded(struct store *st, int64_t id, int64_t us)
{
	return st->ops->delivery_reminded(CTX(st), id, us);
}

enum cs_err
store_event_add(struct store *st, struct store_event *ev)
{
	return st->ops->event_add(CTX(st), ev);
}

enum cs_err
store_event_list(struct store *st, int64_t org, int64_t after, int limit, struct store_event **v, size_t *n)
{
	return st->ops->event_list(CTX(st), org, after, limit, v, n);
}

enum cs_err
store_widening_insert(struct store *st, struct store_widening *w)
{
	return st->ops->widening_insert(CTX(st), w);
}

enum cs_err
store_widening_update(struct store *st, const struct store_widening *w)
{
	return st->ops->widening_update(CTX(st), w);
}

enum cs_err
store_widening_get(struct store *st, int64_t id, struct store_widening *w)
{
	return st->ops->widening_get(CTX(st), id, w);
}

enum cs_err
store_widening_list(struct store *st, int64_t report, int64_t after, int limit, struct store_widening **v, size_t *n)
{
	return st->ops->widening_list(CTX(st), report, after, limit, v, n);
}

void
store_adv_versions_free(struct store_adv_version *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].form);
	free(v);
}

void
store_widening_fini(struct store_widening *w)
{
	if (w == NULL)
		return;
	free(w->reason);
	memset(w, 0, sizeof(*w));
}

void
store_widenings_free(struct store_widening *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_widening_fini(&v[i]);
	free(v);
}

enum cs_err
store_channel_insert(struct store *st, struct store_channel *c)
{
	return st->ops->channel_insert(CTX(st), c);
}

enum cs_err
store_channel_get(struct store *st, int64_t id, struct store_channel *c)
{
	return st->ops->channel_get(CTX(st), id, c);
}

enum cs_err
store_channel_list(struct store *st, int64_t org, int64_t after, int limit, struct store_channel **v, size_t *n)
{
	return st->ops->channel_list(CTX(st), org, after, limit, v, n);
}

enum cs_err
store_channel_set_active(struct store *st, int64_t id, bool on)
{
	return st->ops->channel_set_active(CTX(st), id, on);
}

enum cs_err
store_notif_insert(struct store *st, struct store_notification *x)
{
	return st->ops->notif_insert(CTX(st), x);
}

enum cs_err
store_notif_due(struct store *st, int64_t now_us, int limit, struct store_notification **v, size_t *n)
{
	return st->ops->notif_due(CTX(st), now_us, limit, v, n);
}

enum cs_err
store_notif_update(struct store *st, const struct store_notification *x)
{
	return st->ops->notif_update(CTX(st), x);
}

enum cs_err
store_notif_list(struct store *st, int64_t org, int state, int64_t after, int limit, struct store_notification **v, size_t *n)
{
	return st->ops->notif_list(CTX(st), org, state, after, limit, v, n);
}

void
store_channel_fini(struct store_channel *c)
{
	if (c == NULL)
		return;
	free(c->target);
	free(c->secret);
	memset(c, 0, sizeof(*c));
}

void
store_channels_free(struct store_channel *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_channel_fini(&v[i]);
	free(v);
}

void
store_notifs_free(struct store_notification *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].subject);
		free(v[i].body);
		free(v[i].last_error);
	}
	free(v);
}

enum cs_err
store_delivery_get(struct store *st, int64_t adv, int64_t org,
    struct store_delivery *d)
{
	return st->ops->delivery_get(CTX(st), adv, org, d);
}

enum cs_err
store_event_last(struct store *st, int64_t org, int64_t *seq)
{
	return st->ops->event_last(CTX(st), org, seq);
}

/*
 * The chain: hash_n = H(hash_{n-1} || canonical text of entry n).  The
 * canonical text is built here, once, so every backend chains alike.
 */
static char *
audit_canonical(const struct store_audit *a)
{
	const char *action = a->action ? a->action : "";
	const char *item = a->item ? a->item : "";
	const char *detail = a->detail ? a->detail : "";

	/* Length-prefixed, so no field can borrow bytes from its neighbour. */
	return xasprintf("%lld|%lld|%lld|%lld|%zu:%s|%zu:%s|%zu:%s",
	    (long long)a->seq, (long long)a->at_us, (long long)a->user,
	    (long long)a->org, strlen(action), action, strlen(item), item,
	    strlen(detail), detail);
}

enum cs_err
store_audit_append(struct store *st, struct store_audit *a)
{
	enum cs_err rc;
	int64_t seq;
	char *canon;

	bool in_tx = tx_of == st;

	if (snap_of == st) {
		/* Kept, and appended when the snapshot commits. */
		struct store_audit *k;

		snap_audit = xreallocarray(snap_audit, snap_naudit + 1,
		    sizeof(*snap_audit));
		k = &snap_audit[snap_naudit++];
		*k = *a;
		k->action = a->action ? xstrdup(a->action) : NULL;
		k->item = a->item ? xstrdup(a->item) : NULL;
		k->detail = a->detail ? xstrdup(a->detail) : NULL;
		return CS_OK;
	}
	if (in_tx && st->tail.ok) {
		seq = st->tail.seq;
		memcpy(a->prev, st->tail.hash, 32);
	} else if ((rc = st->ops->audit_last(CTX(st), &seq, a->prev)) != CS_OK)
		return rc;
	a->seq = seq + 1;
	canon = audit_canonical(a);
	core_audit_hash(a->prev, canon, a->hash);
	free(canon);
	if ((rc = st->ops->audit_insert(CTX(st), a)) != CS_OK)
		return rc;
	if (in_tx) {
		st->tail.ok = true;
		st->tail.seq = a->seq;
		memcpy(st->tail.hash, a->hash, 32);
	}
	return CS_OK;
}

enum cs_err
store_audit_list(struct store *st, int64_t after, int64_t since, int limit,
    struct store_audit **v, size_t *n)
{
	return st->ops->audit_list(CTX(st), after, since, limit, v, n);
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

void
store_audit_rehash(const struct store_audit *a, unsigned char out[32])
{
	char *canon = audit_canonical(a);

	core_audit_hash(a->prev, canon, out);
	free(canon);
}

enum cs_err
store_backup(struct store *st, const char *out_path, struct cs_error *e)
{
	return st->ops->backup(st->ctx, out_path, e);
}
