/*
 * pg_int.h: shared by the PostgreSQL engine's files only (pg.c, schema.c).
 */
#ifndef CS_STORE_PG_INT_H
#define CS_STORE_PG_INT_H

#include <pthread.h>

#include <libpq-fe.h>

/* Advisory lock keys: (CS_PG_LOCK_NS, n); CS_PG_LOCK_NS is "cish". */
#define CS_PG_LOCK_NS	"1667855208"

/*
 * The pipeline (pg.c "Round trips"): what was sent and whose results are
 * still to be read, in order; a sync ends a segment.  At most PG_PIPE_MAX
 * entries: a longer run of deferred statements is read halfway.
 */
#define PG_PIPE_MAX	256

struct pg_pend {
	bool		 sync;		/* a sync point, not a statement */
	int		 memo;		/* a read ahead: its slot in memo[], else -1 */
	char		 name[24];	/* the prepared statement's name */
};

/*
 * A read ahead (pg_prefetch): the statement, its parameters and, once
 * read, its result, taken by the pg_exec() that asks the same.
 */
#define PG_MEMO_MAX	192

struct pg_memo {
	size_t		 id;		/* registry id */
	char		*key;		/* the parameters, serialised */
	PGresult	*r;		/* NULL until read (or failed) */
	bool		 pending;	/* sent, not read yet */
};

struct pg {
	PGconn		*conn;
	pthread_mutex_t	 lock;		/* recursive: held from begin to end */
	int		 in_tx;
	bool		 ready;		/* session set up, statements prepared */
	bool		 failed;	/* a statement failed: the tx is aborted */
	bool		 broken;	/* the pipeline lost step: reconnect */
	bool		 audit_locked;	/* this tx holds the chain lock */
	bool		 events_locked;	/* this tx holds the inbox-event lock */
	bool		 reader;	/* a snapshot connection (read only) */
	char		*url;		/* to open readers with */
	struct pg_pend	 pend[PG_PIPE_MAX];
	int		 npend;		/* entries of pend[] */
	int		 nseg;		/* statements sent since the last sync */
	int		 nunknown;	/* deferred statements since the last read */
	uint64_t	 trips;		/* round trips waited for (pg_round_trips) */
	struct pg_memo	 memo[PG_MEMO_MAX];
	int		 nmemo;
};

/* pg.c */
enum cs_err	 pg_simple(struct pg *, const char *cmd, const char *what,
		    struct cs_error *);
void		 pg_pipe_off(struct pg *);
int64_t		 pg_i64(const PGresult *, int row, int col);

/* schema.c: the migrations this build knows, those applied (-1: error), applying them. */
int		 pg_schema_latest(void);
int		 pg_schema_applied(struct pg *, bool missing_ok);
enum cs_err	 pg_migrate(struct pg *, struct cs_error *);

#endif
