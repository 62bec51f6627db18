/*
 * st_notify.c: notification channels (targets and secrets sealed at rest)
 * and the outbox the worker sends from.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_CHAN_INSERT, Q_CHAN_GET, Q_CHAN_LIST, Q_CHAN_ACTIVE,
	Q_NOTIF_INSERT, Q_NOTIF_DUE, Q_NOTIF_UPDATE, Q_NOTIF_LIST,
	Q__COUNT
};

#define CHAN_COLS	"id, org, \"user\", kind, target_sealed, secret_sealed," \
			" active, created_us"
#define NOTIF_COLS(n)	n "id, " n "channel, " n "advisory, " n "event, "	\
			n "subject, " n "body, " n "attempts, " n "next_us, "	\
			n "state, " n "last_error, " n "created_us, " n "sent_us"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_CHAN_INSERT] = { .nparm = 7, .sql =
	    "INSERT INTO channels(org, \"user\", kind, target_sealed,"
	    " secret_sealed, active, created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " RETURNING id" },
	[Q_CHAN_GET] = { .nparm = 1, .sql =
	    "SELECT " CHAN_COLS " FROM channels WHERE id = ?1" },
	[Q_CHAN_LIST] = { .nparm = 3, .sql =
	    "SELECT " CHAN_COLS " FROM channels"
	    " WHERE (CAST(?1 AS bigint) = 0 OR org = CAST(?1 AS bigint))"
	    " AND id > ?2 ORDER BY id LIMIT ?3" },
	[Q_CHAN_ACTIVE] = { .nparm = 2, .sql =
	    "UPDATE channels SET active = ?2 WHERE id = ?1" },
	[Q_NOTIF_INSERT] = { .nparm = 11, .sql =
	    "INSERT INTO notifications(channel, advisory, event, subject, body,"
	    " attempts, next_us, state, last_error, created_us, sent_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id" },
	/* ?3: the pending state. */
	[Q_NOTIF_DUE] = { .nparm = 3, .sql =
	    "SELECT " NOTIF_COLS("") " FROM notifications"
	    " WHERE state = ?3 AND next_us <= ?1 ORDER BY next_us, id LIMIT ?2" },
	[Q_NOTIF_UPDATE] = { .nparm = 6, .sql =
	    "UPDATE notifications SET attempts = ?2, next_us = ?3, state = ?4,"
	    " last_error = ?5, sent_us = ?6 WHERE id = ?1" },
	[Q_NOTIF_LIST] = { .nparm = 4, .sql =
	    "SELECT " NOTIF_COLS("n.") " FROM notifications n"
	    " JOIN channels c ON c.id = n.channel"
	    " WHERE (CAST(?1 AS bigint) = 0 OR c.org = CAST(?1 AS bigint))"
	    " AND (CAST(?2 AS integer) < 0 OR n.state = CAST(?2 AS integer))"
	    " AND n.id > ?3 ORDER BY n.id LIMIT ?4" },
};

struct store_area st_notify_area = { "notify", stmts, Q__COUNT, 0 };
#define A	(&st_notify_area)

#define CH(f, t)	COL(struct store_channel, f, t)
static const struct store_col channel_cols[] = {
	CH(id, CT_I64), CH(org, CT_I64), CH(user, CT_I64), CH(kind, CT_INT),
	CH(target, CT_SEALED_NN), CH(secret, CT_SEALED), CH(active, CT_BOOL),
	CH(created_us, CT_I64),
};
static const struct store_codec channel_codec = CODEC(struct store_channel,
    channel_cols);

#define NO(f, t)	COL(struct store_notification, f, t)
static const struct store_col notif_cols[] = {
	NO(id, CT_I64), NO(channel, CT_I64), NO(advisory, CT_I64),
	COL_STR(struct store_notification, event), NO(subject, CT_TEXT),
	NO(body, CT_TEXT), NO(attempts, CT_INT), NO(next_us, CT_I64),
	NO(state, CT_INT), NO(last_error, CT_TEXT), NO(created_us, CT_I64),
	NO(sent_us, CT_I64),
};
static const struct store_codec notif_codec = CODEC(struct store_notification,
    notif_cols);

/* ---- channels ---------------------------------------------------------------- */

enum cs_err
store_channel_insert(struct store *st, struct store_channel *c)
{
	struct store_parm p[] = {
		P_INT(c->org), P_ID(c->user), P_INT(c->kind), P_SEALED_NN(c->target),
		P_SEALED(c->secret), P_INT(c->active), P_INT(c->created_us),
	};

	return st_insert(st, A, Q_CHAN_INSERT, p, NPARM(p), &c->id);
}

enum cs_err
store_channel_get(struct store *st, int64_t id, struct store_channel *c)
{
	struct store_parm p[] = { P_INT(id) };

	return st_get(st, A, Q_CHAN_GET, p, NPARM(p), &channel_codec, c);
}

enum cs_err
store_channel_list(struct store *st, int64_t org, int64_t after, int limit,
    struct store_channel **v, size_t *n)
{
	struct store_parm p[] = { P_INT(org), P_INT(after), P_LIMIT(limit) };

	return st_list(st, A, Q_CHAN_LIST, p, NPARM(p), &channel_codec, v, n);
}

enum cs_err
store_channel_set_active(struct store *st, int64_t id, bool on)
{
	struct store_parm p[] = { P_INT(id), P_INT(on) };

	return st_run(st, A, Q_CHAN_ACTIVE, p, NPARM(p));
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

/* ---- the outbox --------------------------------------------------------------- */

enum cs_err
store_notif_insert(struct store *st, struct store_notification *x)
{
	struct store_parm p[] = {
		P_INT(x->channel), P_INT(x->advisory), P_TEXT(x->event),
		P_TEXT(x->subject), P_TEXT(x->body), P_INT(x->attempts),
		P_INT(x->next_us), P_INT(x->state), P_TEXT(x->last_error),
		P_INT(x->created_us), P_ID(x->sent_us),
	};

	return st_insert(st, A, Q_NOTIF_INSERT, p, NPARM(p), &x->id);
}

enum cs_err
store_notif_due(struct store *st, int64_t now_us, int limit,
    struct store_notification **v, size_t *n)
{
	struct store_parm p[] = {
		P_INT(now_us), P_LIMIT(limit), P_INT(NOTIF_PENDING),
	};

	return st_list(st, A, Q_NOTIF_DUE, p, NPARM(p), &notif_codec, v, n);
}

enum cs_err
store_notif_update(struct store *st, const struct store_notification *x)
{
	struct store_parm p[] = {
		P_INT(x->id), P_INT(x->attempts), P_INT(x->next_us), P_INT(x->state),
		P_TEXT(x->last_error), P_ID(x->sent_us),
	};

	return st_run(st, A, Q_NOTIF_UPDATE, p, NPARM(p));
}

enum cs_err
store_notif_list(struct store *st, int64_t org, int state, int64_t after,
    int limit, struct store_notification **v, size_t *n)
{
	struct store_parm p[] = {
		P_INT(org), P_INT(state), P_INT(after), P_LIMIT(limit),
	};

	return st_list(st, A, Q_NOTIF_LIST, p, NPARM(p), &notif_codec, v, n);
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
