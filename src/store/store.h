/*
 * store: persistence behind one engine-neutral interface.  Callers see an
 * opaque `struct store` and domain records.  Inside src/store/ (see
 * store_int.h and docs/internals/store.md) each area file holds its SQL
 * once and each engine (SQLite, PostgreSQL) supplies a small vtable, so a
 * new engine or a new table touches nothing above src/store/.
 *
 * Transactions: every operation runs inside store_begin()/store_commit()
 * (or store_rollback()).  A transaction is exclusive to the calling thread
 * until it ends; one request is one transaction (ARCHITECTURE.md inv. 5).
 * Group commit: transactions run one at a time, each as a savepoint of a
 * backend transaction that several of them share.  A transaction that ends
 * while others wait to begin leaves the commit to the last of them (within
 * STORE_BATCH_MAX transactions and STORE_BATCH_MAX_US); store_commit()
 * returns only once the shared commit has happened, with its result, so
 * its caller never answers with data that is not yet committed.  One fsync
 * covers the whole group.
 *
 * Ownership: records filled by the store belong to the caller and are
 * released with the matching *_fini(); strings inside them are heap copies.
 */
#ifndef CS_STORE_H
#define CS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/core.h"

struct store;

struct store_org {
	int64_t			 id;
	enum cs_org_type	 type;
	uint32_t		 sectors;
	int64_t			 ceptoar;	/* org id of its CEPTOAR secretariat, 0 if none */
	bool			 pre_arranged;
	char			*name;		/* clear text in memory, sealed at rest */
	unsigned char		 pk[32];	/* sealing public key (secretariats) */
	bool			 has_pk;
	char			*wrapped_sk;	/* secret key wrapped under the master key */
	char			*identifiers;	/* JSON array of identifying strings, sealed at rest */
	int64_t			 created_us;
};

struct store_user {
	int64_t		 id;
	int64_t		 org;
	char		*login;		/* clear in memory; at rest sealed + keyed hash */
	unsigned char	 login_hash[32];
	char		*display_name;
	char		*email;
	char		*phone;
	char		*department;
	char		*fax;
	unsigned	 roles;
	bool		 nda_contractor;
	char		*pw_hash;	/* argon2id string or NULL */
	int64_t		 created_us;
};

struct store_token {
	int64_t		 id;
	int64_t		 user;
	unsigned char	 hash[32];
	char		*label;
	int64_t		 created_us;
	int64_t		 expires_us;	/* 0: never */
	int64_t		 last_used_us;	/* 0: not yet (coarse: a minute) */
	int		 scope;		/* enum cs_token_scope */
};

/* What a token may do: everything its user may, or only read. */
enum cs_token_scope { TOKEN_SCOPE_WRITE = 0, TOKEN_SCOPE_READ = 1 };

struct store_share {
	int64_t		 org;
	int64_t		 by_org;
	int64_t		 at_us;
	int64_t		 disclosure;	/* the basis it was made under, 0: none */
};

struct store_report {
	int64_t			 id;
	enum cs_route		 route;
	bool			 legal_duty;
	enum cs_tlp		 tlp;
	int			 sector;
	enum cs_state		 state;
	int64_t			 submitter_org;	/* 0 when anonymised */
	bool			 anonymised;
	unsigned char		 anon_tag[32];
	char			*sealed_identity;	/* anonymised: who filed it, sealed */
	int64_t			 ceptoar_org;
	int64_t			 r_number;	/* 0 until NISC receives it */
	int			 nversions;
	int64_t			 created_us;
	int64_t			 updated_us;
	struct cs_path_entry	*path;
	size_t			 npath;
	struct store_share	*shares;
	size_t			 nshares;
	int64_t			*extra;
	size_t			 nextra;
};

struct store_version {
	int64_t		 report;
	int		 version;
	enum cs_hop	 hop;
	char		*form;		/* JSON text, NULL when sealed */
	char		*sealed_form;	/* sealed to the CEPTOAR secretariat */
	int64_t		 by_org;	/* 0 when that would identify the source */
	int64_t		 by_user;
	int64_t		 created_us;
};

struct store_audit {
	int64_t		 seq;
	int64_t		 at_us;
	int64_t		 user;		/* 0 when hidden (anonymous source) */
	int64_t		 org;
	char		*action;
	char		*item;
	char		*detail;	/* JSON text */
	unsigned char	 prev[32];
	unsigned char	 hash[32];
};

/*
 * Candidates for a report list: a superset of what the visibility policy
 * lets org read (policy_report_may_read() still decides every one).  A
 * relation is needed to read a report: org filed it (submitter_org), is on
 * its path, or it was shared with org.  An anonymised report's source is
 * not in any of those (it is recognised by the report's anon_tag only), so
 * with `anonymised` the candidates are instead every anonymised report.
 */
struct store_report_filter {
	int64_t		 org;
	bool		 anonymised;	/* every anonymised report, not org's relations */
	int		 sector;	/* -1: any sector */
	int64_t		 before_id;	/* 0 = from the newest; else id < before_id */
	int		 limit;
};

/* ---- lifecycle ------------------------------------------------------- */
/*
 * Opens (and with create, migrates) the store named by url: "sqlite:PATH" or
 * a path, or a libpq URI "postgresql://..." / "postgres://..." in builds
 * with CS_HAVE_PG (password from PGPASSFILE/PGPASSWORD, never in the URI).
 */
enum cs_err	 store_open(const char *url, bool create, struct store **,
		    struct cs_error *) CS_WUR;
void		 store_close(struct store *);
int		 store_schema_version(struct store *);

#define STORE_BATCH_MAX		256	/* transactions in one group commit */
#define STORE_BATCH_MAX_US	20000	/* age of a group before it commits anyway */
#define STORE_AUDIT_FLUSH_US	50000	/* a snapshot's audit entries appended within */
#define STORE_AUDIT_QUEUE_MAX	20000	/* queued entries before snapshots append their own */

/*
 * A durable transaction.  On PostgreSQL it is serialised with every other
 * daemon's store_begin() transaction and audit append (pg.c
 * "Concurrency"): it may read, decide and write.
 */
enum cs_err	 store_begin(struct store *) CS_WUR;
/*
 * A durable transaction that only adds rows, draws numbers (counters) and
 * reads: on PostgreSQL it runs beside other daemons' transactions and
 * waits for them only for its audit append, just before the commit.
 */
enum cs_err	 store_begin_add(struct store *) CS_WUR;
/*
 * A transaction that writes nothing but audit entries (a read): its commit
 * need not wait for the disk.  A crash may lose the last such entries,
 * never a report, advisory or any acknowledged write (which use
 * store_begin and commit durably).
 */
enum cs_err	 store_begin_read(struct store *) CS_WUR;
/*
 * A read beside the writer: on a backend with readers (a read-only
 * connection from a small pool: SQLite WAL, PostgreSQL REPEATABLE READ READ
 * ONLY) it runs without the store lock, in
 * parallel with writes and other snapshots, on the last committed state.
 * Only reads and store_audit_append() are allowed; the audit entries are
 * kept, and at store_commit() handed to the store's audit queue: the next
 * transaction to begin takes them into its group (before its own work,
 * outside its savepoint), and a flusher appends them within
 * STORE_AUDIT_FLUSH_US when none has — on a connection of its own where
 * the engine has one (PostgreSQL; then only the flusher appends them),
 * else through a read group.  So store_commit() of a snapshot does not
 * wait for the store: a crash may lose the audit entries of the reads of
 * that last interval, never a write's (a write's go with its group's
 * commit).  Over STORE_AUDIT_QUEUE_MAX queued entries a snapshot waits for
 * room (with the flusher's own connection, up to 2 s) or appends its own
 * at commit, as a read group, before it returns.  Falls back to
 * store_begin_read() when the backend has no readers or all stay busy.
 */
enum cs_err	 store_begin_snapshot(struct store *) CS_WUR;
/*
 * A snapshot that reads nothing (issue 17): when the backend can tell
 * (store_engine.stamp: SQLite's WAL-index header, which every commit by any
 * process moves) that nothing has been committed since a snapshot last
 * read the generations — no more than STORE_CACHED_MAX_US ago —, begins
 * one in which store_generations() answers those generations without a
 * statement.  What is kept per generation (principals, rendered answers)
 * can then answer; store_audit_append() queues as on a snapshot, and
 * store_commit() hands the entries to the audit queue.  Any statement
 * fails (CS_ESTORE) and marks it missed (store_cached_missed): the caller
 * rolls back and does the request again on a real snapshot.  CS_ENOENT:
 * not known (no stamp, a commit since, too old); nothing begun.
 */
#define STORE_CACHED_MAX_US	1000000
enum cs_err	 store_begin_cached(struct store *) CS_WUR;
/* Did the calling thread's last cached snapshot need a statement? */
bool		 store_cached_missed(struct store *);
enum cs_err	 store_commit(struct store *) CS_WUR;
/* Undoes the calling thread's transaction; a no-op when it has none. */
void		 store_rollback(struct store *);
/* Transactions begun and backend commits made since open (group commit's yield). */
void		 store_stats(struct store *, uint64_t *tx, uint64_t *commits);
/*
 * Round trips to the database server waited for since open, on every
 * connection of the store (0 on SQLite: no server).
 */
uint64_t	 store_round_trips(struct store *);
/* A number no other store opened by this process has had (cache keys). */
uint64_t	 store_serial(struct store *);
/*
 * Is the calling thread's transaction a snapshot on a reader (the last
 * committed state), not the writer's group (store_begin_snapshot falls
 * back to it when the readers are busy)?  A cached one is.
 */
bool		 store_snapshot_active(struct store *);

/* ---- meta and reference data ---------------------------------------- */
enum cs_err	 store_meta_get(struct store *, const char *key, char **val) CS_WUR;
enum cs_err	 store_meta_set(struct store *, const char *key, const char *val) CS_WUR;
enum cs_err	 store_ref_put(struct store *, const char *name, const char *json) CS_WUR;
enum cs_err	 store_ref_get(struct store *, const char *name, char **json) CS_WUR;
enum cs_err	 store_counter_next(struct store *, const char *name, int64_t *) CS_WUR;

/*
 * Failed logins, by the login's keyed hash (core_login_hash), for the
 * lockout of API.md "Source protection": how many since since_us and when
 * the last was (0, 0 when none); prune drops those before before_us.
 */
enum cs_err	 store_login_failure_add(struct store *, const unsigned char hash[32],
		    int64_t at_us) CS_WUR;
enum cs_err	 store_login_failures(struct store *, const unsigned char hash[32],
		    int64_t since_us, int64_t *n, int64_t *last_us) CS_WUR;
enum cs_err	 store_login_failures_prune(struct store *, int64_t before_us) CS_WUR;

/* ---- directory -------------------------------------------------------- */
enum cs_err	 store_org_insert(struct store *, struct store_org *) CS_WUR;
enum cs_err	 store_org_get(struct store *, int64_t id, struct store_org *) CS_WUR;
/* Updates name, sectors, ceptoar, pre_arranged and identifiers (not type or keys). */
enum cs_err	 store_org_update(struct store *, const struct store_org *) CS_WUR;
enum cs_err	 store_org_list(struct store *, int64_t after, int limit,
		    struct store_org **, size_t *) CS_WUR;
/* Orgs of a type whose sectors intersect `sectors` (0 = any). */
enum cs_err	 store_org_find(struct store *, enum cs_org_type, uint32_t sectors,
		    struct store_org **, size_t *) CS_WUR;
/* Their ids only, ascending (heap; nothing sealed is opened). */
enum cs_err	 store_org_find_ids(struct store *, enum cs_org_type,
		    uint32_t sectors, int64_t **, size_t *) CS_WUR;
/* store_org_find_ids() read ahead (see store_report_prefetch). */
void		 store_org_find_ids_prefetch(struct store *, enum cs_org_type,
		    uint32_t sectors);
void		 store_org_fini(struct store_org *);
void		 store_orgs_free(struct store_org *, size_t);

enum cs_err	 store_user_insert(struct store *, struct store_user *) CS_WUR;
enum cs_err	 store_user_get(struct store *, int64_t id, struct store_user *) CS_WUR;
/* Updates display_name, email, phone, department, roles, nda_contractor, pw_hash. */
enum cs_err	 store_user_update(struct store *, const struct store_user *) CS_WUR;
enum cs_err	 store_user_by_login(struct store *, const unsigned char hash[32],
		    struct store_user *) CS_WUR;
enum cs_err	 store_user_list(struct store *, int64_t org, int64_t after, int limit,
		    struct store_user **, size_t *) CS_WUR;
void		 store_user_fini(struct store_user *);
void		 store_users_free(struct store_user *, size_t);

enum cs_err	 store_token_insert(struct store *, struct store_token *) CS_WUR;
enum cs_err	 store_token_get(struct store *, int64_t id, struct store_token *) CS_WUR;
enum cs_err	 store_token_delete(struct store *, int64_t id) CS_WUR;
enum cs_err	 store_token_touch(struct store *, int64_t id, int64_t at_us) CS_WUR;
/* Deletes every session token (label "session") of a user. */
enum cs_err	 store_token_end_sessions(struct store *, int64_t user) CS_WUR;
/*
 * A token with its user and the user's organisation, in one query (the
 * bearer check of every request).  CS_ENOENT: no such token; u->id or
 * o->id is 0 when the user or organisation no longer exists.
 */
enum cs_err	 store_token_principal(struct store *, int64_t id, struct store_token *,
		    struct store_user *, struct store_org *) CS_WUR;
/*
 * The generations (migration 26), read together.  auth: a number that
 * every committed change to a token (but its last use), a user, an
 * organisation, a second factor's activation or the peer registry moves,
 * in the changing transaction (triggers): a principal read at generation
 * g is still right while it reads g.  data: moved by every committed
 * batch that wrote anything (statements but the audit log's, a token's
 * last use and the full-text index), in that batch: anything read at
 * data generation g is still right while it reads g.
 */
enum cs_err	 store_generations(struct store *, int64_t *auth, int64_t *data) CS_WUR;
/* Snapshots begun on a reader, and cached ones (store_begin_cached). */
void		 store_snapshot_stats(struct store *, uint64_t *snapshots,
		    uint64_t *cached);
/* Deep copies (the destination is overwritten, not freed first). */
void		 store_user_copy(struct store_user *dst, const struct store_user *);
void		 store_org_copy(struct store_org *dst, const struct store_org *);
/* A user's tokens (hashes included; never shown), oldest first. */
enum cs_err	 store_token_list(struct store *, int64_t user, struct store_token **,
		    size_t *) CS_WUR;
void		 store_tokens_free(struct store_token *, size_t);
void		 store_token_fini(struct store_token *);

/* ---- reports ----------------------------------------------------------- */
enum cs_err	 store_report_insert(struct store *, struct store_report *) CS_WUR;
/* Updates state, tlp, r_number, nversions, updated_us. */
enum cs_err	 store_report_update(struct store *, const struct store_report *) CS_WUR;
/* Sets anon_tag and sealed_identity once the id is known. */
enum cs_err	 store_report_set_anon(struct store *, const struct store_report *) CS_WUR;
/*
 * Reads ahead (a list's items): on a store whose statements are round
 * trips (PostgreSQL) the store_report_get() (and, with versions,
 * store_version_list()) of each of ids[0..n) go to the server at once, and
 * those calls later in the same transaction find their rows there (unless
 * a write came between).  Nothing on SQLite.  store_adv_prefetch: the
 * same for store_adv_get_latest() and store_adv_review_list();
 * store_drill_prefetch for store_drill_of().
 */
void		 store_report_prefetch(struct store *, const int64_t *ids, size_t n,
		    bool versions);
void		 store_adv_prefetch(struct store *, const int64_t *ids, size_t n);
void		 store_drill_prefetch(struct store *, int kind, const int64_t *items,
		    size_t n);
enum cs_err	 store_report_get(struct store *, int64_t id, struct store_report *) CS_WUR;
enum cs_err	 store_report_candidates(struct store *, const struct store_report_filter *,
		    int64_t **ids, size_t *n) CS_WUR;
void		 store_report_fini(struct store_report *);
enum cs_err	 store_report_path_add(struct store *, int64_t report,
		    const struct cs_path_entry *) CS_WUR;
/*
 * Adds a share; when the organisation already has one, a share under a
 * disclosure basis (s->disclosure) records the basis on it.
 */
enum cs_err	 store_report_share_add(struct store *, int64_t report,
		    const struct store_share *) CS_WUR;
enum cs_err	 store_report_extra_add(struct store *, int64_t report, int64_t org) CS_WUR;

enum cs_err	 store_version_insert(struct store *, const struct store_version *) CS_WUR;
/*
 * The same with the form's search text already folded (ident_fold_json of
 * v->form, ident_fold_json_value of the form it was dumped from; the store
 * takes it): the form is not parsed again.  NULL: as store_version_insert.
 */
enum cs_err	 store_version_insert_folded(struct store *,
		    const struct store_version *, char *folded) CS_WUR;
/*
 * The same for the first version of a report inserted in this very
 * transaction (no other version can hold its key): on PostgreSQL it goes
 * with the next statement waited for, and a failure fails the request.
 */
enum cs_err	 store_version_insert_first(struct store *,
		    const struct store_version *, char *folded) CS_WUR;
enum cs_err	 store_version_list(struct store *, int64_t report,
		    struct store_version **, size_t *) CS_WUR;
void		 store_versions_free(struct store_version *, size_t);

/* ---- advisories -------------------------------------------------------- */
struct store_advisory {
	int64_t			 id;
	int64_t			 t_number;
	enum cs_adv_state	 state;
	bool			 urgent;
	enum cs_tlp		 tlp;
	enum cs_importance	 importance;
	uint32_t		 sectors;	/* recipient sectors */
	int			 nversions;
	int64_t			 created_by;	/* user */
	int64_t			 approved_by;	/* user, 0 if none */
	int64_t			 created_us;
	int64_t			 issued_us;
	int64_t			 updated_us;
};

struct store_adv_version {
	int64_t		 advisory;
	int		 version;
	char		*form;
	int64_t		 by_user;
	int64_t		 created_us;
};

struct store_adv_related {
	int64_t		 report;
	bool		 consent_named;	/* NISC recorded the source's consent to be named */
};

struct store_delivery {
	int64_t		 id;
	int64_t		 advisory;
	int64_t		 org;
	int64_t		 parent_org;	/* who delivered it (NISC for issue) */
	char		 via[16];	/* issue | urgent | copy | relay */
	int64_t		 delivered_us;
	int64_t		 read_us;
	int64_t		 ack_us;
	int64_t		 ack_user;
	int64_t		 reminded_us;
	int		 reminders;
};

/* One inbox event (the feed behind /inbox/stream). */
struct store_event {
	int64_t		 seq;
	int64_t		 org;
	int64_t		 advisory;
	char		 kind[16];	/* delivered | updated | reminder */
	int64_t		 at_us;
};

enum store_widening_state { WIDEN_PENDING = 0, WIDEN_APPROVED, WIDEN_REFUSED };

struct store_widening {
	int64_t			 id;
	int64_t			 report;
	enum cs_tlp		 tlp;
	uint32_t		 sectors;
	char			*reason;
	enum store_widening_state state;
	int64_t			 by_user;
	int64_t			 by_org;
	int64_t			 created_us;
	int64_t			 decided_us;
	int64_t			 decided_by_org;
	int64_t			 decided_by_user;
};

enum cs_err	 store_adv_insert(struct store *, struct store_advisory *) CS_WUR;
enum cs_err	 store_adv_update(struct store *, const struct store_advisory *) CS_WUR;
enum cs_err	 store_adv_get(struct store *, int64_t id, struct store_advisory *) CS_WUR;
/* An advisory and its newest version (v->form NULL if it has none), one query. */
enum cs_err	 store_adv_get_latest(struct store *, int64_t id, struct store_advisory *,
		    struct store_adv_version *v) CS_WUR;
/* Newest first, id < before (0 = from the newest). */
enum cs_err	 store_adv_list(struct store *, int64_t before, int limit,
		    struct store_advisory **, size_t *) CS_WUR;
enum cs_err	 store_adv_version_insert(struct store *, const struct store_adv_version *) CS_WUR;
/* As store_version_insert_folded. */
enum cs_err	 store_adv_version_insert_folded(struct store *,
		    const struct store_adv_version *, char *folded) CS_WUR;
enum cs_err	 store_adv_version_list(struct store *, int64_t adv,
		    struct store_adv_version **, size_t *) CS_WUR;
void		 store_adv_versions_free(struct store_adv_version *, size_t);
enum cs_err	 store_adv_related_add(struct store *, int64_t adv,
		    const struct store_adv_related *) CS_WUR;
enum cs_err	 store_adv_related_list(struct store *, int64_t adv,
		    struct store_adv_related **, size_t *) CS_WUR;
/* The issued advisories relating report `report`, earliest issued first. */
struct store_report_adv {
	int64_t		 advisory;
	int64_t		 issued_us;
};
enum cs_err	 store_report_advisories(struct store *, int64_t report,
		    struct store_report_adv **, size_t *) CS_WUR;
/* Records a delivery (and its inbox event); an org gets each advisory once. */
enum cs_err	 store_delivery_add(struct store *, struct store_delivery *, bool *added) CS_WUR;
/*
 * The same for each of orgs[0..n): advisory, parent_org, via and
 * delivered_us come from *tmpl.  *added (heap, caller frees) gets the orgs
 * that did not have it yet, each now with its "delivered" inbox event.  One
 * statement per table on PostgreSQL, whatever n (an all-sector fan-out).
 */
enum cs_err	 store_delivery_add_many(struct store *, const struct store_delivery *tmpl,
		    const int64_t *orgs, size_t n, int64_t **added, size_t *nadded) CS_WUR;
enum cs_err	 store_delivery_list(struct store *, int64_t adv,
		    struct store_delivery **, size_t *) CS_WUR;
/* One organisation's delivery of an advisory, CS_ENOENT if none. */
enum cs_err	 store_delivery_get(struct store *, int64_t adv, int64_t org,
		    struct store_delivery *) CS_WUR;
/* An org's deliveries, newest first, id < before. */
enum cs_err	 store_delivery_inbox(struct store *, int64_t org, int64_t before,
		    int limit, struct store_delivery **, size_t *) CS_WUR;
enum cs_err	 store_delivery_mark_read(struct store *, int64_t adv, int64_t org,
		    int64_t us) CS_WUR;
enum cs_err	 store_delivery_ack(struct store *, int64_t adv, int64_t org,
		    int64_t user, int64_t us) CS_WUR;
/* Deliveries of issued alerts unacknowledged and not reminded since `before_us`. */
enum cs_err	 store_delivery_due(struct store *, int64_t before_us, int limit,
		    struct store_delivery **, size_t *) CS_WUR;
enum cs_err	 store_delivery_reminded(struct store *, int64_t id, int64_t us) CS_WUR;
enum cs_err	 store_event_add(struct store *, struct store_event *) CS_WUR;
/* The newest event seq of an org (0 if none). */
enum cs_err	 store_event_last(struct store *, int64_t org, int64_t *seq) CS_WUR;
/* An org's events with seq > after, oldest first. */
enum cs_err	 store_event_list(struct store *, int64_t org, int64_t after,
		    int limit, struct store_event **, size_t *) CS_WUR;
/* A source review of one advisory version for one anonymised report. */
enum store_review_state { REVIEW_PENDING = 0, REVIEW_APPROVED, REVIEW_REFUSED };

struct store_adv_review {
	int64_t			 id;
	int64_t			 advisory;
	int			 version;
	int64_t			 report;
	int64_t			 org;		/* the reviewing CEPTOAR secretariat */
	enum store_review_state	 state;
	char			*comment;	/* the decision's comment, for NISC */
	int64_t			 decided_by_user;
	int64_t			 decided_us;
	int64_t			 created_us;
};

/* A new pending review (one per advisory, version and report: else CS_ECONFLICT). */
enum cs_err	 store_adv_review_insert(struct store *, struct store_adv_review *) CS_WUR;
/* Record r's state, comment, decided_by_user and decided_us. */
enum cs_err	 store_adv_review_decide(struct store *,
		    const struct store_adv_review *) CS_WUR;
/* An advisory's reviews, by version then id. */
enum cs_err	 store_adv_review_list(struct store *, int64_t adv,
		    struct store_adv_review **, size_t *) CS_WUR;
/* An organisation's reviews in `state`, id > after, oldest first. */
enum cs_err	 store_adv_review_by_org(struct store *, int64_t org,
		    enum store_review_state, int64_t after, int limit,
		    struct store_adv_review **, size_t *) CS_WUR;
void		 store_adv_reviews_free(struct store_adv_review *, size_t);
enum cs_err	 store_widening_insert(struct store *, struct store_widening *) CS_WUR;
enum cs_err	 store_widening_update(struct store *, const struct store_widening *) CS_WUR;
enum cs_err	 store_widening_get(struct store *, int64_t id, struct store_widening *) CS_WUR;
/* report > 0: that report's requests; else all, id > after. */
enum cs_err	 store_widening_list(struct store *, int64_t report, int64_t after,
		    int limit, struct store_widening **, size_t *) CS_WUR;
void		 store_widening_fini(struct store_widening *);
void		 store_widenings_free(struct store_widening *, size_t);

/* ---- disclosure bases (issue 10 item 10) ---------------------------------- */

/* Why, by whom and to whom a report's information was disclosed; immutable. */
struct store_disclosure {
	int64_t			 id;
	int64_t			 report;
	enum cs_disclosure_basis basis;
	char			*reason;
	char			*to;
	int64_t			 by_org;
	int64_t			 by_user;
	int64_t			 at_us;
};

/* Inserts d (all but id) and sets d->id. */
enum cs_err	 store_disclosure_insert(struct store *,
		    struct store_disclosure *d) CS_WUR;
enum cs_err	 store_disclosure_get(struct store *, int64_t id,
		    struct store_disclosure *) CS_WUR;
/* A report's disclosures, oldest first. */
enum cs_err	 store_disclosure_list(struct store *, int64_t report,
		    struct store_disclosure **, size_t *) CS_WUR;
void		 store_disclosure_fini(struct store_disclosure *);
void		 store_disclosures_free(struct store_disclosure *, size_t);

/* ---- notifications ------------------------------------------------------- */
enum store_channel_kind { CHAN_EMAIL = 0, CHAN_WEBHOOK };

struct store_channel {
	int64_t			 id;
	int64_t			 org;
	int64_t			 user;		/* 0: the whole organisation */
	enum store_channel_kind	 kind;
	char			*target;	/* mail address or https URL; sealed at rest */
	char			*secret;	/* webhook HMAC key; sealed at rest */
	bool			 active;
	int64_t			 created_us;
};

enum store_notif_state { NOTIF_PENDING = 0, NOTIF_SENT, NOTIF_FAILED };

struct store_notification {
	int64_t			 id;
	int64_t			 channel;
	int64_t			 advisory;
	char			 event[16];
	char			*subject;
	char			*body;		/* mail text or webhook JSON */
	int			 attempts;
	int64_t			 next_us;
	enum store_notif_state	 state;
	char			*last_error;
	int64_t			 created_us;
	int64_t			 sent_us;
};

enum cs_err	 store_channel_insert(struct store *, struct store_channel *) CS_WUR;
enum cs_err	 store_channel_get(struct store *, int64_t id, struct store_channel *) CS_WUR;
/* Active and inactive channels of an org (0: all), id > after. */
enum cs_err	 store_channel_list(struct store *, int64_t org, int64_t after, int limit,
		    struct store_channel **, size_t *) CS_WUR;
enum cs_err	 store_channel_set_active(struct store *, int64_t id, bool) CS_WUR;
void		 store_channel_fini(struct store_channel *);
void		 store_channels_free(struct store_channel *, size_t);
enum cs_err	 store_notif_insert(struct store *, struct store_notification *) CS_WUR;
/* Pending notifications with next_us <= now, oldest first. */
enum cs_err	 store_notif_due(struct store *, int64_t now_us, int limit,
		    struct store_notification **, size_t *) CS_WUR;
/* Updates attempts, next_us, state, last_error, sent_us. */
enum cs_err	 store_notif_update(struct store *, const struct store_notification *) CS_WUR;
/* Notifications of an org's channels (org 0: all), state < 0: any; id > after. */
enum cs_err	 store_notif_list(struct store *, int64_t org, int state, int64_t after,
		    int limit, struct store_notification **, size_t *) CS_WUR;
void		 store_notifs_free(struct store_notification *, size_t);

/* ---- audit ------------------------------------------------------------- */
/*
 * Writes the snapshots' queued audit entries now, in transactions of
 * their own (not inside the caller's: call it before one begins), so the
 * audit log read next holds every entry queued before.
 */
enum cs_err	 store_audit_flush(struct store *) CS_WUR;
/*
 * Appends with the chain hash computed from the last entry.  Inside a
 * transaction the entry is copied and chained when its group commits
 * (seq, prev and hash of *a are not filled); outside one it is written at
 * once and they are.
 */
enum cs_err	 store_audit_append(struct store *, struct store_audit *) CS_WUR;
enum cs_err	 store_audit_list(struct store *, int64_t after_seq, int64_t since_us,
		    int limit, struct store_audit **, size_t *) CS_WUR;
void		 store_audits_free(struct store_audit *, size_t);
/* Recompute an entry's chain hash from its fields and prev (verification). */
void		 store_audit_rehash(const struct store_audit *, unsigned char out[32]);

/* ---- observables (st_obs.c) ------------------------------------------ */
/*
 * The observable index (docs/analysis.md "Observables"): each normalised
 * observable once (kind is analysis' enum obs_kind), and one row per item
 * version (and, for a report, per hop row) that holds it, with the item's
 * sector (-1: an advisory) and the version's time.
 */
struct store_item_obs {
	int		 item_kind;	/* STORE_ITEM_* */
	int64_t		 item;
	int		 version;
	int		 hop;		/* a report's enum cs_hop; 0 for an advisory */
	int64_t		 observable;
	int		 kind;
	char		*value;
	int		 sector;
	int64_t		 at_us;
};

enum { STORE_ITEM_REPORT = 0, STORE_ITEM_ADVISORY = 1 };

/* A version text to index (backfill): form NULL when sealed. */
struct store_obs_src {
	int64_t		 item;
	int		 version;
	int		 hop;
	char		*form;
	int		 sector;
	int64_t		 at_us;
};

/* The observable's id; created when absent if create (else CS_ENOENT). */
enum cs_err	 store_obs_id(struct store *, int kind, const char *value,
		    bool create, int64_t *id) CS_WUR;
/* One (item version hop, observable) row; a row already there is kept. */
enum cs_err	 store_item_obs_add(struct store *, const struct store_item_obs *) CS_WUR;
/* Every row of an observable at or after since_us, newest first. */
enum cs_err	 store_obs_rows(struct store *, int64_t observable, int64_t since_us,
		    struct store_item_obs **, size_t *) CS_WUR;
/* Every row of an item (kind and value filled). */
enum cs_err	 store_item_obs_list(struct store *, int item_kind, int64_t item,
		    struct store_item_obs **, size_t *) CS_WUR;
/*
 * Candidates for the multi-sector queue: observables with rows at or after
 * since_us in at least min_sectors sectors, counting every row (the caller
 * recounts what its reader may read), most sectors first; at most limit.
 */
enum cs_err	 store_obs_multi_sector(struct store *, int64_t since_us,
		    int min_sectors, int limit, int64_t **ids, size_t *n) CS_WUR;
void		 store_item_obs_free(struct store_item_obs *, size_t);
/* Backfill: the version rows of reports (advisories) with ids in (lo, hi]. */
enum cs_err	 store_obs_report_src(struct store *, int64_t lo, int64_t hi,
		    struct store_obs_src **, size_t *) CS_WUR;
enum cs_err	 store_obs_adv_src(struct store *, int64_t lo, int64_t hi,
		    struct store_obs_src **, size_t *) CS_WUR;
/* The largest report (advisory) id, 0 when none. */
enum cs_err	 store_obs_max_ids(struct store *, int64_t *report, int64_t *adv) CS_WUR;
void		 store_obs_src_free(struct store_obs_src *, size_t);

/* ---- backup ------------------------------------------------------------ */
/*
 * Writes a consistent copy of the whole database to out_path, online:
 * writers carry on while it runs.  SQLite copies one read snapshot with the
 * online backup API into a temporary file beside out_path, checks the copy
 * with PRAGMA integrity_check, fsyncs it and renames it over out_path
 * (removing a stale out_path-wal/-shm first), then fsyncs the directory.
 * Errors, with out_path untouched: CS_EINVAL when out_path is the database
 * itself, and on PostgreSQL (the message points to pg_dump, see
 * docs/operations.md); CS_ECONFLICT when another process has out_path open
 * (a running cishared); CS_EIO or CS_ESTORE when the copy fails or is not
 * intact.  Runs outside any transaction, on its own connection.
 */
enum cs_err	 store_backup(struct store *, const char *out_path,
		    struct cs_error *) CS_WUR;

/* ---- operating modes (st_mode.c) ------------------------------------ */

enum store_mode_kind { MODE_KIND_LARGE_SCALE = 1 };

/* A declared operating mode; ended_us 0 while it is on. */
struct store_mode {
	int64_t		 id;
	int		 kind;		/* enum store_mode_kind */
	int		 cause;		/* index of vocab_ls_cause */
	uint32_t	 sectors;	/* the affected sectors, a bit each */
	int64_t		 declared_us;
	int64_t		 declared_by_org;
	int64_t		 declared_by_user;
	int64_t		 ended_us;
	int64_t		 ended_by_user;
};

/* A damage or response-status update of the situation board. */
struct store_situation {
	int64_t		 id;
	int64_t		 mode;
	int		 sector;
	int		 kind;		/* 0 damage, 1 response */
	char		*text;
	char		*services_down;	/* JSON array of service ids */
	char		*restoration;	/* the estimate, free text, or NULL */
	int64_t		 by_org;
	int64_t		 by_user;
	int64_t		 at_us;
};

enum cs_err	 store_mode_insert(struct store *, struct store_mode *) CS_WUR;
/* CS_ENOENT when it is not on (already ended, or no such mode). */
enum cs_err	 store_mode_end(struct store *, int64_t id, int64_t at_us,
		    int64_t by_user) CS_WUR;
/* The mode of `kind` that is on: CS_ENOENT when none. */
enum cs_err	 store_mode_current(struct store *, int kind,
		    struct store_mode *) CS_WUR;
/* The newest first. */
enum cs_err	 store_mode_list(struct store *, int limit, struct store_mode **,
		    size_t *) CS_WUR;
void		 store_modes_free(struct store_mode *, size_t);
enum cs_err	 store_situation_insert(struct store *,
		    struct store_situation *) CS_WUR;
/* A mode's updates, the newest first. */
enum cs_err	 store_situation_list(struct store *, int64_t mode, int limit,
		    struct store_situation **, size_t *) CS_WUR;
void		 store_situations_free(struct store_situation *, size_t);
/*
 * Ids of the reports an organisation of type org_type (an enum
 * cs_org_type: NISC) holds in the sectors (a bit each), newest first,
 * below before_id (0: from the newest).
 */
enum cs_err	 store_report_candidates_held(struct store *, int org_type,
		    uint32_t sectors, int64_t before_id, int limit, int64_t **ids,
		    size_t *n) CS_WUR;

/* ---- the CEPTOAR council space (st_council.c) ------------------------- */

struct store_council_post {
	int64_t		 id;
	int64_t		 author_org;
	int64_t		 author_user;
	char		*text;
	enum cs_tlp	 tlp;
	bool		 to_all;	/* every council member */
	int64_t		 created_us;
};

enum cs_err	 store_council_member_set(struct store *, int64_t org,
		    bool member, int64_t at_us) CS_WUR;
enum cs_err	 store_council_member(struct store *, int64_t org,
		    bool *member) CS_WUR;
/* Every member's org id, ascending (free()). */
enum cs_err	 store_council_members(struct store *, int64_t **, size_t *)
		    CS_WUR;
enum cs_err	 store_council_post_insert(struct store *,
		    struct store_council_post *) CS_WUR;
enum cs_err	 store_council_post_to_add(struct store *, int64_t post,
		    int64_t org) CS_WUR;
enum cs_err	 store_council_post_share_add(struct store *, int64_t post,
		    int64_t org, int64_t by_user, int64_t at_us) CS_WUR;
enum cs_err	 store_council_post_get(struct store *, int64_t id,
		    struct store_council_post *) CS_WUR;
void		 store_council_post_fini(struct store_council_post *);
/* The post's addressees (shares false) or its shares (true), ascending. */
enum cs_err	 store_council_post_orgs(struct store *, int64_t post,
		    bool shares, int64_t **, size_t *) CS_WUR;
/* Posts that may concern org (authored, to all, addressed, shared), newest first. */
enum cs_err	 store_council_post_candidates(struct store *, int64_t org,
		    int64_t before, int limit, int64_t **, size_t *) CS_WUR;

/* ---- CEPTOAR drills (st_drill.c) -------------------------------------- */

enum store_drill_kind { DRILL_ITEM_REPORT = 0, DRILL_ITEM_ADVISORY = 1 };

struct store_drill {
	int64_t		 id;
	char		*name;
	char		*scenario;
	char		*targets;	/* JSON array of org ids */
	int64_t		 starts_us;
	int64_t		 by_org;
	int64_t		 by_user;
	int64_t		 created_us;
};

enum cs_err	 store_drill_insert(struct store *, struct store_drill *) CS_WUR;
enum cs_err	 store_drill_get(struct store *, int64_t id, struct store_drill *)
		    CS_WUR;
void		 store_drill_fini(struct store_drill *);
/* The newest first. */
enum cs_err	 store_drill_list(struct store *, int limit, struct store_drill **,
		    size_t *) CS_WUR;
void		 store_drills_free(struct store_drill *, size_t);
enum cs_err	 store_drill_item_add(struct store *, int64_t drill, int kind,
		    int64_t item) CS_WUR;
/* The drill an item belongs to (0: none). */
enum cs_err	 store_drill_of(struct store *, int kind, int64_t item,
		    int64_t *drill) CS_WUR;
/* A drill's items of one kind, ascending (free()). */
enum cs_err	 store_drill_items(struct store *, int64_t drill, int kind,
		    int64_t **, size_t *) CS_WUR;

/* ---- cross-sector exercises (st_exercise.c) --------------------------- */

struct store_exercise {
	int64_t		 id;
	char		*name;
	char		*participants;	/* JSON array of org ids */
	char		*injects;	/* JSON array of {at_s, to, title, text} */
	int		 speed;		/* 1..60 once started, 0 before */
	int64_t		 started_us;	/* 0: not started */
	int64_t		 by_org;
	int64_t		 by_user;
	int64_t		 created_us;
};

/* A response to inject n (1-based), or an issue (課題) when inject is 0. */
struct store_exercise_note {
	int64_t		 id;
	int64_t		 exercise;
	int		 inject;
	int64_t		 org;
	int64_t		 user;
	char		*text;
	int64_t		 at_us;
};

enum cs_err	 store_exercise_insert(struct store *, struct store_exercise *)
		    CS_WUR;
enum cs_err	 store_exercise_get(struct store *, int64_t id,
		    struct store_exercise *) CS_WUR;
void		 store_exercise_fini(struct store_exercise *);
enum cs_err	 store_exercise_list(struct store *, int limit,
		    struct store_exercise **, size_t *) CS_WUR;
void		 store_exercises_free(struct store_exercise *, size_t);
/* CS_ENOENT when it was started already (or does not exist). */
enum cs_err	 store_exercise_start(struct store *, int64_t id, int speed,
		    int64_t at_us) CS_WUR;
enum cs_err	 store_exercise_note_add(struct store *,
		    struct store_exercise_note *) CS_WUR;
/* The responses (issues false) or the issues, in order. */
enum cs_err	 store_exercise_notes(struct store *, int64_t exercise,
		    bool issues, struct store_exercise_note **, size_t *) CS_WUR;
void		 store_exercise_notes_free(struct store_exercise_note *, size_t);
/* ---- STIX objects and TAXII status resources (st_obj.c) -------------- */

/* A contributed STIX object as kept (docs/interop.md "TAXII 2.1"). */
struct store_obj {
	int64_t		 seq;
	char		*collection;
	char		*stix_id;
	char		*type;
	char		*spec_version;
	char		*modified;	/* STIX timestamp, "" when it has none */
	int64_t		 added_us;	/* TAXII date_added */
	int		 tlp;		/* enum cs_tlp */
	int64_t		 org;		/* the contributing organisation */
	char		*status;	/* the status resource of its POST */
	char		*json;		/* the object as contributed */
};

/*
 * Adds o (all but seq); *added false when the collection already holds
 * that id and version.
 */
enum cs_err	 store_obj_add(struct store *, const struct store_obj *,
		    bool *added) CS_WUR;
/*
 * A page of a collection in (added_us, seq) order after the cursor
 * (after_us, after_seq), only org's objects unless org is 0, at most
 * limit of them.
 */
enum cs_err	 store_obj_page(struct store *, const char *collection,
		    int64_t org, int64_t after_us, int64_t after_seq, int limit,
		    struct store_obj **, size_t *) CS_WUR;
/* Every version of one object in a collection, oldest added first. */
enum cs_err	 store_obj_versions(struct store *, const char *collection,
		    int64_t org, const char *stix_id, struct store_obj **,
		    size_t *) CS_WUR;
/*
 * The versions (json "") of every object among the page store_obj_page()
 * answers for the same arguments, in no particular order: one query for a
 * page's match[version] bounds instead of store_obj_versions() per object.
 */
enum cs_err	 store_obj_page_versions(struct store *, const char *collection,
		    int64_t org, int64_t after_us, int64_t after_seq, int limit,
		    struct store_obj **, size_t *) CS_WUR;
void		 store_objs_free(struct store_obj *, size_t);

struct store_taxii_status {
	char		*id;		/* a UUID */
	int64_t		 org;		/* whose POST */
	int64_t		 at_us;
	int		 total;
	char		*detail;	/* {"successes": [...], "failures": [...]} */
};

enum cs_err	 store_taxii_status_add(struct store *,
		    const struct store_taxii_status *) CS_WUR;
enum cs_err	 store_taxii_status_get(struct store *, const char *id,
		    struct store_taxii_status *) CS_WUR;
void		 store_taxii_status_fini(struct store_taxii_status *);
/* ---- full-text search (issue 12 item 5, st_search.c) ---------------------- */
/*
 * One row per version stored in clear: its text folded (core/ident.h
 * ident_fold_json).  store_version_insert() and store_adv_version_insert()
 * index what they write; a sealed form is never indexed.
 */
enum store_search_kind { STORE_SEARCH_REPORT = 0, STORE_SEARCH_ADVISORY = 1 };
#define STORE_SEARCH_MAX_VERSION	8192	/* versions from here are not indexed */

/* The row's key: item, version, hop and kind in one integer. */
int64_t		 store_search_key(enum store_search_kind, int64_t item, int version,
		    int hop);
/* Indexes form (JSON text; NULL: nothing) of version `version` at hop. */
enum cs_err	 store_search_put(struct store *, enum store_search_kind,
		    int64_t item, int version, int hop, const char *form) CS_WUR;
/* The same with the text already folded (taken: the store frees it). */
enum cs_err	 store_search_put_folded(struct store *, enum store_search_kind,
		    int64_t item, int version, int hop, char *folded) CS_WUR;

struct store_search_hit {
	enum store_search_kind	 kind;
	int64_t			 item;
	int64_t			 key;
};

/*
 * Rows whose folded text holds `folded` (ident_fold() of the query, not
 * empty), of `kind` (-1: both), with keys below `before` (0: from the top),
 * the greatest key first, at most limit.  The same rows on every engine.
 */
enum cs_err	 store_search_find(struct store *, const char *folded, int kind,
		    int64_t before, int limit, struct store_search_hit **,
		    size_t *) CS_WUR;
/* Indexes the versions stored before migration 12 (once; store_open). */
enum cs_err	 store_search_backfill(struct store *, struct cs_error *) CS_WUR;
/*
 * SQLite's trigram index is written apart from the rows (migration 27): a
 * committed row waits in a pending list, which every query scans too, so
 * it is found the moment its transaction committed, indexed or not.
 * store_search_indexer_start() starts the background thread that indexes
 * the list (`cishared serve`; stopped by store_close), in transactions of
 * its own, STORE_SEARCH_CHUNK rows at a time (a few ms under the store
 * lock): at once when rows stopped
 * coming for a moment; during a burst of intake only once the list holds
 * STORE_SEARCH_LAG_MAX rows or has waited STORE_SEARCH_LAG_MAX_US (which
 * bounds the scan), and then, taking turns with the requests (they get
 * as long as each chunk took, less beyond the bound, at least 1 ms), until
 * the list is empty.  What a crash left pending is on the list, indexed after
 * the next start.  store_search_index() indexes up to max rows now (-1:
 * all; *n how many, may be NULL); store_search_lag() is the list's length
 * as the indexer knows it.  On PostgreSQL all three do nothing (pg_trgm's
 * GIN index takes rows into its own pending list as they are written).
 * Thread-safe.  Tests only: CISHARED_TEST_INDEX_DELAY_MS (1-3600000)
 * holds the indexer back that long after its start.
 */
#define STORE_SEARCH_CHUNK	32
#define STORE_SEARCH_LAG_MAX	8192
#define STORE_SEARCH_LAG_MAX_US	5000000
void		 store_search_indexer_start(struct store *);
enum cs_err	 store_search_index(struct store *, int64_t max, int64_t *n) CS_WUR;
int64_t		 store_search_lag(struct store *);

/* ---- the yearly self-assessment survey (issue 14, st_survey.c) ---------- */

/* A campaign: a fiscal year, its sectors, the catalogue edition it answers. */
struct store_survey {
	int64_t		 id;
	int		 fiscal_year;
	uint32_t	 sectors;	/* bit per sector index */
	char		*edition;	/* an id of vocab_editions */
	int		 state;		/* 0 open, 1 closed */
	int64_t		 by_org;
	int64_t		 by_user;
	int64_t		 created_us;
	int64_t		 closed_us;
};

/* An answering organisation's state in a campaign. */
struct store_survey_org {
	int64_t		 survey;
	int64_t		 org;
	int		 state;		/* 0 draft, 1 submitted */
	bool		 shared;	/* its answers shown to its ministries */
	int64_t		 updated_us;
	int64_t		 submitted_us;
	int64_t		 submitted_by;
};

/* One answer: a control id of the campaign's edition. */
struct store_survey_answer {
	int64_t		 survey;
	int64_t		 org;
	char		*control;
	int		 status;	/* enum core_survey_status */
	char		*note;		/* evidence note, or the reason (not applicable) */
	char		*owner;
	int64_t		 updated_us;
	int64_t		 by_user;
};

enum cs_err	 store_survey_insert(struct store *, struct store_survey *) CS_WUR;
enum cs_err	 store_survey_get(struct store *, int64_t id,
		    struct store_survey *) CS_WUR;
void		 store_survey_fini(struct store_survey *);
/* The newest fiscal year first. */
enum cs_err	 store_survey_list(struct store *, int limit,
		    struct store_survey **, size_t *) CS_WUR;
void		 store_surveys_free(struct store_survey *, size_t);
/* CS_ENOENT when it was closed already (or does not exist). */
enum cs_err	 store_survey_close(struct store *, int64_t id, int64_t at_us) CS_WUR;
/* The latest campaign before fiscal_year (not not_id) org submitted to. */
enum cs_err	 store_survey_prev(struct store *, int64_t org, int fiscal_year,
		    int64_t not_id, struct store_survey *) CS_WUR;
/* Creates org's row as a draft, or marks it updated. */
enum cs_err	 store_survey_org_touch(struct store *, int64_t survey, int64_t org,
		    int64_t at_us) CS_WUR;
enum cs_err	 store_survey_org_get(struct store *, int64_t survey, int64_t org,
		    struct store_survey_org *) CS_WUR;
enum cs_err	 store_survey_orgs(struct store *, int64_t survey,
		    struct store_survey_org **, size_t *) CS_WUR;
void		 store_survey_orgs_free(struct store_survey_org *, size_t);
/* CS_ENOENT when it is not a draft. */
enum cs_err	 store_survey_org_submit(struct store *, int64_t survey, int64_t org,
		    int64_t at_us, int64_t user) CS_WUR;
enum cs_err	 store_survey_org_share(struct store *, int64_t survey, int64_t org,
		    bool shared) CS_WUR;
/* Inserts or replaces (survey, org, control). */
enum cs_err	 store_survey_answer_put(struct store *,
		    const struct store_survey_answer *) CS_WUR;
/* org's answers; org 0: every submitted organisation's, by org. */
enum cs_err	 store_survey_answers(struct store *, int64_t survey, int64_t org,
		    struct store_survey_answer **, size_t *) CS_WUR;
void		 store_survey_answers_free(struct store_survey_answer *, size_t);

/* ---- the risk-management workspace (st_risk.c) ------------------------- */

/* An operator's workspace; the JSON texts are svc's (svc_risk.h). */
struct store_risk_ws {
	int64_t		 org;
	char		*profile;	/* {services, critical_systems, ...} */
	char		*matrix;	/* the likelihood × impact matrix */
	char		*checks;	/* {"viewpoints": {...}, "readiness": {...}} */
	char		*shared;	/* JSON array of org ids */
	int64_t		 updated_us;
	int64_t		 by_user;
};

struct store_risk {
	int64_t		 id;
	int64_t		 org;
	char		*data;		/* the risk as JSON */
	int		 score;		/* likelihood × impact */
	bool		 archived;
	int64_t		 created_us;
	int64_t		 updated_us;
	int64_t		 by_user;
};

/* CS_ENOENT: the organisation has no workspace yet. */
enum cs_err	 store_risk_ws_get(struct store *, int64_t org,
		    struct store_risk_ws *) CS_WUR;
/* Inserts or replaces the organisation's workspace. */
enum cs_err	 store_risk_ws_put(struct store *,
		    const struct store_risk_ws *) CS_WUR;
enum cs_err	 store_risk_ws_list(struct store *, int limit,
		    struct store_risk_ws **, size_t *) CS_WUR;
void		 store_risk_ws_fini(struct store_risk_ws *);
void		 store_risk_wss_free(struct store_risk_ws *, size_t);
enum cs_err	 store_risk_insert(struct store *, struct store_risk *) CS_WUR;
enum cs_err	 store_risk_get(struct store *, int64_t id,
		    struct store_risk *) CS_WUR;
void		 store_risk_fini(struct store_risk *);
/* The register, highest score first; archived too when asked. */
enum cs_err	 store_risk_list(struct store *, int64_t org, bool archived,
		    int limit, struct store_risk **, size_t *) CS_WUR;
void		 store_risks_free(struct store_risk *, size_t);
enum cs_err	 store_risk_update(struct store *,
		    const struct store_risk *) CS_WUR;
/* The risks of the organisation's register, archived ones included. */
enum cs_err	 store_risk_count(struct store *, int64_t org, int64_t *n) CS_WUR;
/* ---- attachments (別紙) and sample requests (検体), st_attach.c --------- */

/*
 * An attachment of a report version (report, version, hop) or of an
 * advisory (advisory, version).  An anonymised source's file is sealed:
 * name, content_type and sha256 then live in sealed_meta (JSON sealed to
 * the secretariat, opened by svc), the bytes are secretstream chunks whose
 * key is sealed_key.  source: the attachment a secretariat's forward
 * copied (0: none).  sample: the sample request it answered (0: none).
 */
struct store_attachment {
	int64_t		 id;
	int64_t		 report;		/* 0 for an advisory's */
	int64_t		 advisory;		/* 0 for a report's */
	int		 version;
	int		 hop;			/* enum cs_hop of a report's */
	char		*name;			/* "" when sealed */
	char		*content_type;
	int64_t		 size;			/* bytes of the file */
	unsigned char	 sha256[32];
	bool		 has_sha256;		/* false when sealed */
	char		*sealed_meta;		/* NULL: in clear */
	char		*sealed_key;
	int		 nchunks;
	int64_t		 source;
	int64_t		 sample;
	int64_t		 by_org;
	int64_t		 by_user;
	int64_t		 created_us;
};

/* Inserts the record (its bytes follow with store_attachment_chunk_put). */
enum cs_err	 store_attachment_insert(struct store *, struct store_attachment *)
		    CS_WUR;
enum cs_err	 store_attachment_get(struct store *, int64_t id,
		    struct store_attachment *) CS_WUR;
void		 store_attachment_fini(struct store_attachment *);
/* A report's (advisory false) or an advisory's attachments, oldest first. */
enum cs_err	 store_attachment_list(struct store *, bool advisory, int64_t item,
		    struct store_attachment **, size_t *) CS_WUR;
void		 store_attachments_free(struct store_attachment *, size_t);
/* Marks an attachment as the answer to sample request `sample`. */
enum cs_err	 store_attachment_set_sample(struct store *, int64_t id,
		    int64_t sample) CS_WUR;
/*
 * Chunk seq of an attachment's bytes (SQLite: a zeroblob written with
 * incremental blob I/O; PostgreSQL: a bytea), and read back: appended
 * to out; CS_ENOENT past the last.
 */
enum cs_err	 store_attachment_chunk_put(struct store *, int64_t att, int seq,
		    const void *, size_t) CS_WUR;
enum cs_err	 store_attachment_chunk_get(struct store *, int64_t att, int seq,
		    struct cs_buf *out) CS_WUR;

struct store_sample_request {
	int64_t		 id;
	int64_t		 report;
	char		*what;
	char		*reason;
	int64_t		 by_org;
	int64_t		 by_user;
	int64_t		 at_us;
	int		 state;			/* enum cs_sample_state */
	int64_t		 attachment;		/* the sample (0: none) */
	char		*decline;		/* the reason of a decline */
	int64_t		 answered_by_org;
	int64_t		 answered_by_user;
	int64_t		 answered_us;
};

enum cs_err	 store_sample_insert(struct store *, struct store_sample_request *)
		    CS_WUR;
enum cs_err	 store_sample_get(struct store *, int64_t id,
		    struct store_sample_request *) CS_WUR;
void		 store_sample_fini(struct store_sample_request *);
/* Newest first, ids below `before` (0: from the top), at most limit. */
enum cs_err	 store_sample_page(struct store *, int64_t before, int limit,
		    struct store_sample_request **, size_t *) CS_WUR;
/* A report's, oldest first. */
enum cs_err	 store_sample_list_by_report(struct store *, int64_t report,
		    struct store_sample_request **, size_t *) CS_WUR;
void		 store_samples_free(struct store_sample_request *, size_t);
/* Answers an open request (state `open`); CS_ENOENT when it is not open. */
enum cs_err	 store_sample_answer(struct store *,
		    const struct store_sample_request *, int open) CS_WUR;
/* ---- inquiries, questions, report handling, tasks (st_inquiry.c) ------ */

/* An inquiry (問合せ) of a ministry to NISC about an advisory. */
struct store_inquiry {
	int64_t		 id;
	int64_t		 advisory;
	int64_t		 org;		/* the asking ministry */
	int64_t		 user;
	char		*text;
	int64_t		 question;	/* the question it forwards, 0: none */
	int64_t		 created_us;
	char		*answer;	/* NULL until answered */
	int64_t		 answered_by;	/* NISC user */
	int64_t		 answered_us;	/* 0: open */
};

/* A question an operator or CEPTOAR secretariat asks its ministry. */
struct store_question {
	int64_t		 id;
	int64_t		 advisory;
	int64_t		 org;		/* the asking organisation */
	int64_t		 user;
	int64_t		 ministry;	/* the ministry it is addressed to */
	char		*text;
	int64_t		 created_us;
	int64_t		 inquiry;	/* forwarded as this inquiry, 0: not */
	char		*answer;	/* the ministry's own answer */
	int64_t		 answered_by;
	int64_t		 answered_us;
};

/* NISC's handling state of a received report: 0 open, 1 assigned, 2 done. */
struct store_triage {
	int64_t		 report;
	int		 state;
	int64_t		 assignee;	/* user, 0: none */
	int64_t		 by_user;
	int64_t		 updated_us;
};

enum cs_err	 store_inquiry_insert(struct store *, struct store_inquiry *) CS_WUR;
enum cs_err	 store_inquiry_get(struct store *, int64_t id,
		    struct store_inquiry *) CS_WUR;
/* An advisory's inquiries, oldest first. */
enum cs_err	 store_inquiry_list(struct store *, int64_t advisory,
		    struct store_inquiry **, size_t *) CS_WUR;
/* Unanswered inquiries, oldest first. */
enum cs_err	 store_inquiry_open(struct store *, int limit,
		    struct store_inquiry **, size_t *) CS_WUR;
/* CS_ENOENT when answered already (or absent). */
enum cs_err	 store_inquiry_answer(struct store *, int64_t id, const char *text,
		    int64_t by_user, int64_t at_us) CS_WUR;
void		 store_inquiry_fini(struct store_inquiry *);
void		 store_inquiries_free(struct store_inquiry *, size_t);

enum cs_err	 store_question_insert(struct store *, struct store_question *) CS_WUR;
enum cs_err	 store_question_get(struct store *, int64_t id,
		    struct store_question *) CS_WUR;
enum cs_err	 store_question_list(struct store *, int64_t advisory,
		    struct store_question **, size_t *) CS_WUR;
/* A ministry's questions neither forwarded nor answered, oldest first. */
enum cs_err	 store_question_open(struct store *, int64_t ministry, int limit,
		    struct store_question **, size_t *) CS_WUR;
/* The question an inquiry forwards; CS_ENOENT: none. */
enum cs_err	 store_question_of_inquiry(struct store *, int64_t inquiry,
		    struct store_question *) CS_WUR;
/* CS_ENOENT when forwarded or answered already. */
enum cs_err	 store_question_forwarded(struct store *, int64_t id,
		    int64_t inquiry) CS_WUR;
enum cs_err	 store_question_answer(struct store *, int64_t id,
		    const char *text, int64_t by_user, int64_t at_us) CS_WUR;
void		 store_question_fini(struct store_question *);
void		 store_questions_free(struct store_question *, size_t);

enum cs_err	 store_triage_set(struct store *, const struct store_triage *) CS_WUR;
enum cs_err	 store_triage_get(struct store *, int64_t report,
		    struct store_triage *) CS_WUR;
/* The newest `limit` handled reports. */
enum cs_err	 store_triage_list(struct store *, int limit,
		    struct store_triage **, size_t *) CS_WUR;
void		 store_triages_free(struct store_triage *, size_t);

/*
 * The queries behind GET /tasks, each row (a, b, c):
 *  AT_HOP(org, state): reports on org's path in that state (id, updated, route)
 *  NISC_OPEN(state, done): reports in state not handled to `done`
 *	(id, handling state, assignee)
 *  UNACKED(org, adv state): deliveries to org not acknowledged
 *	(advisory, delivered, importance)
 *  UNRELAYED(org, adv state, tlp): delivered to org, not passed on, TLP
 *	other than `tlp` (advisory, delivered, importance)
 *  OVERDUE(before, adv state): per advisory, deliveries unacknowledged
 *	since before `before` (advisory, count, oldest)
 *  ADV_STATE(state): advisories in it (id, created_by, created)
 *  WIDEN(state): widening requests in it (id, report, created)
 *  REVIEWS(org, review state): source reviews (advisory, report, created)
 * Drill items are left out.
 */
enum store_task_q {
	TASKQ_AT_HOP, TASKQ_NISC_OPEN, TASKQ_UNACKED, TASKQ_UNRELAYED,
	TASKQ_OVERDUE, TASKQ_ADV_STATE, TASKQ_WIDEN, TASKQ_REVIEWS
};
struct store_task_row {
	int64_t		 a, b, c;
};
enum cs_err	 store_task_query(struct store *, enum store_task_q, int64_t k1,
		    int64_t k2, int64_t k3, int limit, struct store_task_row **,
		    size_t *) CS_WUR;
void		 store_task_rows_free(struct store_task_row *, size_t);
/* ---- notes (st_note.c) ---------------------------------------------------- */

/*
 * A short note an action leaves on an item: a relay's comment (item: the
 * advisory, org: the relaying organisation, at_us: the relay's delivery
 * time), a forward's comment (item: the report), an approver's return
 * (差戻し) of an advisory (item: the advisory).  Append-only.
 */
enum store_note_kind {
	STORE_NOTE_RELAY = 1, STORE_NOTE_FORWARD = 2, STORE_NOTE_RETURN = 3
};

struct store_note {
	int64_t		 id;
	int		 kind;		/* enum store_note_kind */
	int64_t		 item;
	int64_t		 org;
	int64_t		 user;
	char		*text;
	int64_t		 at_us;
};

enum cs_err	 store_note_add(struct store *, struct store_note *) CS_WUR;
/* An item's notes of one kind, oldest first. */
enum cs_err	 store_note_list(struct store *, enum store_note_kind,
		    int64_t item, struct store_note **, size_t *) CS_WUR;
void		 store_notes_free(struct store_note *, size_t);

/* ---- federation peers (st_peer.c; docs/interop.md "Federation") ------- */

enum store_peer_auth { PEER_AUTH_NONE = 0, PEER_AUTH_BEARER, PEER_AUTH_BASIC };

/*
 * A peer node: `org` is the local organisation that stands for it (its
 * account here, and the provenance of what is fetched from it); `url` the
 * TAXII 2.1 API root polled there (NULL: it only polls us).
 */
struct store_peer {
	int64_t		 id;
	char		*name;
	int64_t		 org;
	char		*url;
	char		*collection;
	int		 auth;		/* enum store_peer_auth */
	char		*login;		/* basic: the login (sealed at rest) */
	char		*secret;	/* token or password (sealed at rest) */
	int		 interval_s;
	bool		 enabled;
	char		*cursor;	/* added_after of the next poll; NULL: none */
	int64_t		 last_try_us;
	int64_t		 last_ok_us;
	char		*last_error;
	int		 failures;	/* consecutive */
	int64_t		 next_us;
	int64_t		 received;	/* objects stored so far */
	int64_t		 created_us;
};

enum cs_err	 store_peer_insert(struct store *, struct store_peer *) CS_WUR;
enum cs_err	 store_peer_get(struct store *, int64_t id, struct store_peer *) CS_WUR;
enum cs_err	 store_peer_list(struct store *, struct store_peer **, size_t *) CS_WUR;
/*
 * Name, org, url, collection, auth, login, secret, interval, enabled; with
 * reset (another url or collection) also a new cursor, no failures, due at now.
 */
enum cs_err	 store_peer_update(struct store *, const struct store_peer *,
		    bool reset, int64_t now) CS_WUR;
enum cs_err	 store_peer_delete(struct store *, int64_t id) CS_WUR;
/* Enabled peers with a url whose next_us <= now, the most overdue first. */
enum cs_err	 store_peer_due(struct store *, int64_t now, int limit,
		    struct store_peer **, size_t *) CS_WUR;
/* The outcome of a poll: cursor .. received (added to) from p. */
enum cs_err	 store_peer_record(struct store *, const struct store_peer *p,
		    int64_t received) CS_WUR;
/* Due at `at` (POST /peers/{id}/sync). */
enum cs_err	 store_peer_schedule(struct store *, int64_t id, int64_t at) CS_WUR;
/* Does a peer stand for organisation org? */
enum cs_err	 store_peer_org_is(struct store *, int64_t org, bool *) CS_WUR;
void		 store_peer_fini(struct store_peer *);
void		 store_peers_free(struct store_peer *, size_t);
/*
 * STIX objects of `collection` of one type that a peer's organisation
 * brought, newest first, seq below before (0: from the top).
 */
enum cs_err	 store_obj_from_peers(struct store *, const char *collection,
		    const char *type, int64_t before, int limit,
		    struct store_obj **, size_t *) CS_WUR;

/* ---- the TOTP second factor (st_totp.c; docs/security.md) ----------- */

/*
 * A user's TOTP: the secret (base32, sealed at rest), active once
 * confirmed with a code, the last step accepted (a code is usable once)
 * and the unused recovery codes (a JSON array of their keyed hashes).
 */
struct store_totp {
	int64_t		 user;
	char		*secret;
	bool		 active;
	int64_t		 last_step;
	char		*recovery;
	int64_t		 created_us;
	int64_t		 confirmed_us;
};

/* CS_ENOENT when the user has none. */
enum cs_err	 store_totp_get(struct store *, int64_t user,
		    struct store_totp *) CS_WUR;
/* A new pending (inactive) secret, replacing a pending one. */
enum cs_err	 store_totp_put(struct store *, const struct store_totp *) CS_WUR;
/* Pending -> active with its recovery codes; CS_ENOENT if not pending. */
enum cs_err	 store_totp_activate(struct store *, int64_t user, int64_t step,
		    const char *recovery, int64_t at) CS_WUR;
/* Records step as used; CS_ENOENT when it is not later than the last (replay). */
enum cs_err	 store_totp_use_step(struct store *, int64_t user,
		    int64_t step) CS_WUR;
/* Replaces the recovery list when it still is `old` (CS_ENOENT otherwise). */
enum cs_err	 store_totp_set_recovery(struct store *, int64_t user,
		    const char *old, const char *recovery) CS_WUR;
enum cs_err	 store_totp_delete(struct store *, int64_t user) CS_WUR;
void		 store_totp_fini(struct store_totp *);
/* ---- retention (st_retention.c; issue 16 item 6) ------------------------ */

/* The classes a purge removes, as core/retention.h's enum cs_ret_class. */
enum {
	STORE_RET_REPORTS = 0, STORE_RET_ADVISORIES, STORE_RET_STIX,
	STORE_RET_NOTIFICATIONS, STORE_RET_EXERCISES, STORE_RET__COUNT
};
/* What a `purging` mark lets through the immutability triggers. */
enum { STORE_PURGE_REPORT = 0, STORE_PURGE_ADVISORY = 1, STORE_PURGE_ERASE = 2 };

struct store_retention_state {
	int64_t		 held_us;	/* 0: not held */
	int64_t		 held_by;	/* the user who placed the hold */
	int64_t		 erased_us;	/* a report's source erased (0: not) */
};

/* Places (held_us != 0) or lifts a hold on a STORE_ITEM_*; CS_ENOENT: none. */
enum cs_err	 store_retention_hold(struct store *, int kind, int64_t id,
		    int64_t held_us, int64_t by_user) CS_WUR;
enum cs_err	 store_retention_state(struct store *, int kind, int64_t id,
		    struct store_retention_state *) CS_WUR;
/* Ids of class cls last active before cutoff, unheld, at most limit. */
enum cs_err	 store_retention_due(struct store *, int cls, int64_t cutoff,
		    int limit, int pending_state, int64_t **, size_t *) CS_WUR;
enum cs_err	 store_retention_count(struct store *, int cls, int64_t cutoff,
		    int pending_state, int64_t *count) CS_WUR;
enum cs_err	 store_retention_held_count(struct store *, int kind,
		    int64_t *count) CS_WUR;
/* Removes one item and every row that refers to it (the caller's tx). */
enum cs_err	 store_retention_purge_report(struct store *, int64_t id,
		    int item_kind, int note_kind) CS_WUR;
enum cs_err	 store_retention_purge_advisory(struct store *, int64_t id,
		    int item_kind, int note_kind1, int note_kind2) CS_WUR;
/* A STIX object (seq), a notification or an exercise with its notes. */
enum cs_err	 store_retention_purge_row(struct store *, int cls,
		    int64_t id) CS_WUR;
/*
 * Destroys report id's sealed source: the sealed identity, the sealed
 * source forms, the sealed source attachments; the anonymity tag becomes
 * `tag` (random).  CS_ENOENT: not anonymised or already erased.
 */
enum cs_err	 store_report_erase_source(struct store *, int64_t id,
		    const unsigned char tag[32], int64_t at_us) CS_WUR;

#endif
