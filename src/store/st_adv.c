/*
 * st_adv.c: advisories (情報提供) with their versions and related reports,
 * their deliveries along the relay, and the inbox events behind
 * /inbox/stream.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_ADV_INSERT, Q_ADV_UPDATE, Q_ADV_GET, Q_ADV_GET_LATEST, Q_ADV_LIST,
	Q_VERSION_INSERT, Q_VERSION_LIST, Q_RELATED_ADD, Q_RELATED_LIST,
	Q_DELIVERY_ADD, Q_DELIVERY_ADD_MANY, Q_DELIVERY_LIST, Q_DELIVERY_GET,
	Q_DELIVERY_INBOX, Q_DELIVERY_READ, Q_DELIVERY_ACK, Q_DELIVERY_DUE,
	Q_DELIVERY_REMINDED,
	Q_EVENT_ADD, Q_EVENT_LIST, Q_EVENT_LAST,
	Q__COUNT
};

#define ADV_COLS	"id, t_number, state, urgent, tlp, importance, sectors," \
			" nversions, created_by, approved_by, created_us," \
			" issued_us, updated_us"
#define DELIVERY_COLS	"id, advisory, org, parent_org, via, delivered_us," \
			" read_us, ack_us, ack_user, reminded_us, reminders"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_ADV_INSERT] = { .nparm = 12, .sql =
	    "INSERT INTO advisories(t_number, state, urgent, tlp, importance,"
	    " sectors, nversions, created_by, approved_by, created_us, issued_us,"
	    " updated_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
	    " ?12) ON CONFLICT DO NOTHING RETURNING id" },
	/* t_number is unique: a clash fails alone. */
	[Q_ADV_UPDATE] = { .nparm = 10, .flags = STMT_GUARDED, .sql =
	    "UPDATE advisories SET state = ?2, tlp = ?3, importance = ?4,"
	    " sectors = ?5, nversions = ?6, approved_by = ?7, issued_us = ?8,"
	    " updated_us = ?9, t_number = ?10 WHERE id = ?1" },
	[Q_ADV_GET] = { .nparm = 1, .sql =
	    "SELECT " ADV_COLS " FROM advisories WHERE id = ?1" },
	[Q_ADV_GET_LATEST] = { .nparm = 1, .sql =
	    "SELECT a.id, a.t_number, a.state, a.urgent, a.tlp, a.importance,"
	    " a.sectors, a.nversions, a.created_by, a.approved_by, a.created_us,"
	    " a.issued_us, a.updated_us, v.advisory, v.version, v.form, v.by_user,"
	    " v.created_us FROM advisories a"
	    " LEFT JOIN advisory_versions v ON v.advisory = a.id AND v.version ="
	    " (SELECT max(version) FROM advisory_versions WHERE advisory = a.id)"
	    " WHERE a.id = ?1" },
	[Q_ADV_LIST] = { .nparm = 2, .sql =
	    "SELECT " ADV_COLS " FROM advisories WHERE id < ?1"
	    " ORDER BY id DESC LIMIT ?2" },
	[Q_VERSION_INSERT] = { .nparm = 5, .sql =
	    "INSERT INTO advisory_versions(advisory, version, form, by_user,"
	    " created_us) VALUES (?1, ?2, ?3, ?4, ?5)"
	    " ON CONFLICT DO NOTHING RETURNING 1" },
	[Q_VERSION_LIST] = { .nparm = 1, .sql =
	    "SELECT advisory, version, form, by_user, created_us"
	    " FROM advisory_versions WHERE advisory = ?1 ORDER BY version" },
	[Q_RELATED_ADD] = { .nparm = 3, .sql =
	    "INSERT INTO advisory_related(advisory, report, consent_named)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING" },
	[Q_RELATED_LIST] = { .nparm = 1, .sql =
	    "SELECT report, consent_named FROM advisory_related"
	    " WHERE advisory = ?1 ORDER BY report" },
	[Q_DELIVERY_ADD] = { .nparm = 5, .sql =
	    "INSERT INTO deliveries(advisory, org, parent_org, via, delivered_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING RETURNING id" },
	/*
	 * Deliveries and their inbox events for an array of orgs, in order, in
	 * one round trip.  SQLite (no DML in WITH, no arrays) runs
	 * Q_DELIVERY_ADD and Q_EVENT_ADD per org instead: no round trips there.
	 */
	[Q_DELIVERY_ADD_MANY] = { .nparm = 6, .sqlite = STORE_NONE, .sql =
	    "WITH ins AS (INSERT INTO deliveries(advisory, org, parent_org, via,"
	    " delivered_us) SELECT ?1, u.o, CAST(?2 AS bigint), ?3, ?4"
	    " FROM unnest(CAST(?5 AS bigint[])) WITH ORDINALITY AS u(o, i)"
	    " ORDER BY u.i ON CONFLICT DO NOTHING RETURNING org),"
	    " ev AS (INSERT INTO inbox_events(org, advisory, kind, at_us)"
	    " SELECT org, ?1, ?6, ?4 FROM ins ORDER BY org RETURNING org)"
	    " SELECT org FROM ev ORDER BY org" },
	[Q_DELIVERY_LIST] = { .nparm = 1, .sql =
	    "SELECT " DELIVERY_COLS " FROM deliveries WHERE advisory = ?1"
	    " ORDER BY id" },
	[Q_DELIVERY_GET] = { .nparm = 2, .sql =
	    "SELECT " DELIVERY_COLS " FROM deliveries WHERE advisory = ?1"
	    " AND org = ?2" },
	[Q_DELIVERY_INBOX] = { .nparm = 3, .sql =
	    "SELECT " DELIVERY_COLS " FROM deliveries WHERE org = ?1 AND id < ?2"
	    " ORDER BY id DESC LIMIT ?3" },
	[Q_DELIVERY_READ] = { .nparm = 3, .sql =
	    "UPDATE deliveries SET read_us = ?3 WHERE advisory = ?1 AND org = ?2"
	    " AND read_us IS NULL" },
	[Q_DELIVERY_ACK] = { .nparm = 4, .sql =
	    "UPDATE deliveries SET ack_us = ?3, ack_user = ?4,"
	    " read_us = COALESCE(read_us, ?3) WHERE advisory = ?1 AND org = ?2"
	    " AND ack_us IS NULL" },
	/* ?3, ?4: the issued state and the alert importance (core's enums). */
	[Q_DELIVERY_DUE] = { .nparm = 4, .sql =
	    "SELECT d.id, d.advisory, d.org, d.parent_org, d.via, d.delivered_us,"
	    " d.read_us, d.ack_us, d.ack_user, d.reminded_us, d.reminders"
	    " FROM deliveries d JOIN advisories a ON a.id = d.advisory"
	    " WHERE a.state = ?3 AND a.importance = ?4 AND d.ack_us IS NULL"
	    " AND COALESCE(d.reminded_us, d.delivered_us) < ?1"
	    " ORDER BY d.id LIMIT ?2" },
	[Q_DELIVERY_REMINDED] = { .nparm = 2, .sql =
	    "UPDATE deliveries SET reminded_us = ?2, reminders = reminders + 1"
	    " WHERE id = ?1" },
	[Q_EVENT_ADD] = { .nparm = 4, .sql =
	    "INSERT INTO inbox_events(org, advisory, kind, at_us)"
	    " VALUES (?1, ?2, ?3, ?4) RETURNING seq" },
	[Q_EVENT_LIST] = { .nparm = 3, .sql =
	    "SELECT seq, org, advisory, kind, at_us FROM inbox_events"
	    " WHERE org = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3" },
	[Q_EVENT_LAST] = { .nparm = 1, .sql =
	    "SELECT COALESCE(max(seq), 0) FROM inbox_events WHERE org = ?1" },
};

struct store_area st_adv_area = { "adv", stmts, Q__COUNT, 0 };
#define A	(&st_adv_area)

#define AD(f, t)	COL(struct store_advisory, f, t)
static const struct store_col adv_cols[] = {
	AD(id, CT_I64), AD(t_number, CT_I64), AD(state, CT_INT), AD(urgent, CT_BOOL),
	AD(tlp, CT_INT), AD(importance, CT_INT), AD(sectors, CT_U32),
	AD(nversions, CT_INT), AD(created_by, CT_I64), AD(approved_by, CT_I64),
	AD(created_us, CT_I64), AD(issued_us, CT_I64), AD(updated_us, CT_I64),
};
static const struct store_codec adv_codec = CODEC(struct store_advisory, adv_cols);

#define AV(f, t)	COL(struct store_adv_version, f, t)
static const struct store_col adv_version_cols[] = {
	AV(advisory, CT_I64), AV(version, CT_INT), AV(form, CT_TEXT),
	AV(by_user, CT_I64), AV(created_us, CT_I64),
};
static const struct store_codec adv_version_codec = CODEC(struct store_adv_version,
    adv_version_cols);

static const struct store_col related_cols[] = {
	COL(struct store_adv_related, report, CT_I64),
	COL(struct store_adv_related, consent_named, CT_BOOL),
};
static const struct store_codec related_codec = CODEC(struct store_adv_related,
    related_cols);

#define DE(f, t)	COL(struct store_delivery, f, t)
static const struct store_col delivery_cols[] = {
	DE(id, CT_I64), DE(advisory, CT_I64), DE(org, CT_I64), DE(parent_org, CT_I64),
	COL_STR(struct store_delivery, via), DE(delivered_us, CT_I64),
	DE(read_us, CT_I64), DE(ack_us, CT_I64), DE(ack_user, CT_I64),
	DE(reminded_us, CT_I64), DE(reminders, CT_INT),
};
static const struct store_codec delivery_codec = CODEC(struct store_delivery,
    delivery_cols);

#define EV(f, t)	COL(struct store_event, f, t)
static const struct store_col event_cols[] = {
	EV(seq, CT_I64), EV(org, CT_I64), EV(advisory, CT_I64),
	COL_STR(struct store_event, kind), EV(at_us, CT_I64),
};
static const struct store_codec event_codec = CODEC(struct store_event, event_cols);

static const struct store_col id_cols[] = { { CT_I64, 0, 0 } };
static const struct store_codec id_codec = { id_cols, 1, sizeof(int64_t) };

/* ---- advisories ------------------------------------------------------------- */

enum cs_err
store_adv_insert(struct store *st, struct store_advisory *a)
{
	struct store_parm p[] = {
		P_ID(a->t_number), P_INT(a->state), P_INT(a->urgent), P_INT(a->tlp),
		P_INT(a->importance), P_INT(a->sectors), P_INT(a->nversions),
		P_INT(a->created_by), P_ID(a->approved_by), P_INT(a->created_us),
		P_ID(a->issued_us), P_INT(a->updated_us),
	};

	return st_insert(st, A, Q_ADV_INSERT, p, NPARM(p), &a->id);
}

enum cs_err
store_adv_update(struct store *st, const struct store_advisory *a)
{
	struct store_parm p[] = {
		P_INT(a->id), P_INT(a->state), P_INT(a->tlp), P_INT(a->importance),
		P_INT(a->sectors), P_INT(a->nversions), P_ID(a->approved_by),
		P_ID(a->issued_us), P_INT(a->updated_us), P_ID(a->t_number),
	};

	return st_run(st, A, Q_ADV_UPDATE, p, NPARM(p));
}

enum cs_err
store_adv_get(struct store *st, int64_t id, struct store_advisory *a)
{
	struct store_parm p[] = { P_INT(id) };

	return st_get(st, A, Q_ADV_GET, p, NPARM(p), &adv_codec, a);
}

struct latest {
	struct store_advisory	*a;
	struct store_adv_version *v;
	bool			 seen;
};

static void
latest_row(const struct store_row *r, void *arg)
{
	struct latest *l = arg;

	if (l->seen)
		return;
	l->seen = true;
	row_fill(r, 0, &adv_codec, l->a);
	if (!row_null(r, 13))
		row_fill(r, 13, &adv_version_codec, l->v);
}

enum cs_err
store_adv_get_latest(struct store *st, int64_t id, struct store_advisory *a,
    struct store_adv_version *v)
{
	struct store_parm p[] = { P_INT(id) };
	struct latest l = { a, v, false };
	enum cs_err rc;

	memset(a, 0, sizeof(*a));
	memset(v, 0, sizeof(*v));
	if ((rc = st_exec(st, A, Q_ADV_GET_LATEST, p, NPARM(p), latest_row, &l,
	    NULL)) != CS_OK) {
		free(v->form);
		v->form = NULL;
		return rc;
	}
	return l.seen ? CS_OK : CS_ENOENT;
}

enum cs_err
store_adv_list(struct store *st, int64_t before, int limit,
    struct store_advisory **v, size_t *n)
{
	struct store_parm p[] = {
		P_INT(before > 0 ? before : INT64_MAX), P_LIMIT(limit),
	};

	return st_list(st, A, Q_ADV_LIST, p, NPARM(p), &adv_codec, v, n);
}

enum cs_err
store_adv_version_insert(struct store *st, const struct store_adv_version *v)
{
	struct store_parm p[] = {
		P_INT(v->advisory), P_INT(v->version), P_TEXT(v->form),
		P_ID(v->by_user), P_INT(v->created_us),
	};

	return st_insert(st, A, Q_VERSION_INSERT, p, NPARM(p), NULL);
}

enum cs_err
store_adv_version_list(struct store *st, int64_t adv, struct store_adv_version **v,
    size_t *n)
{
	struct store_parm p[] = { P_INT(adv) };

	return st_list(st, A, Q_VERSION_LIST, p, NPARM(p), &adv_version_codec, v, n);
}

void
store_adv_versions_free(struct store_adv_version *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].form);
	free(v);
}

enum cs_err
store_adv_related_add(struct store *st, int64_t adv,
    const struct store_adv_related *r)
{
	struct store_parm p[] = {
		P_INT(adv), P_INT(r->report), P_INT(r->consent_named),
	};

	return st_run(st, A, Q_RELATED_ADD, p, NPARM(p));
}

enum cs_err
store_adv_related_list(struct store *st, int64_t adv,
    struct store_adv_related **v, size_t *n)
{
	struct store_parm p[] = { P_INT(adv) };

	return st_list(st, A, Q_RELATED_LIST, p, NPARM(p), &related_codec, v, n);
}

/* ---- deliveries ---------------------------------------------------------------- */

static void
first_id(const struct store_row *r, void *arg)
{
	int64_t *id = arg;

	if (*id == 0)
		*id = row_i64(r, 0);
}

enum cs_err
store_delivery_add(struct store *st, struct store_delivery *d, bool *added)
{
	struct store_parm p[] = {
		P_INT(d->advisory), P_INT(d->org), P_ID(d->parent_org),
		P_TEXT(d->via), P_INT(d->delivered_us),
	};
	int64_t id = 0;
	enum cs_err rc;

	*added = false;
	if ((rc = st_exec(st, A, Q_DELIVERY_ADD, p, NPARM(p), first_id, &id,
	    NULL)) != CS_OK)
		return rc;
	if (id != 0) {
		*added = true;
		d->id = id;
	}
	return CS_OK;
}

/* One statement for all orgs where the dialect has it (PostgreSQL). */
static enum cs_err
delivery_add_array(struct store *st, const struct store_delivery *tmpl,
    const int64_t *orgs, size_t n, int64_t **added, size_t *nadded)
{
	struct cs_buf arr;
	enum cs_err rc;

	/* Inbox events are numbered under their lock, as store_event_add(). */
	if ((rc = st_lock(st, STORE_LOCK_EVENTS)) != CS_OK)
		return rc;
	cs_buf_init(&arr, SIZE_MAX / 2);
	(void)cs_buf_adds(&arr, "{");
	for (size_t i = 0; i < n; i++)
		(void)cs_buf_printf(&arr, "%s%lld", i ? "," : "", (long long)orgs[i]);
	(void)cs_buf_adds(&arr, "}");
	{
		struct store_parm p[] = {
			P_INT(tmpl->advisory), P_ID(tmpl->parent_org),
			P_TEXT(tmpl->via), P_INT(tmpl->delivered_us),
			P_TEXT(cs_buf_str(&arr)), P_TEXT("delivered"),
		};

		rc = st_list(st, A, Q_DELIVERY_ADD_MANY, p, NPARM(p), &id_codec,
		    added, nadded);
	}
	cs_buf_fini(&arr);
	return rc;
}

enum cs_err
store_delivery_add_many(struct store *st, const struct store_delivery *tmpl,
    const int64_t *orgs, size_t n, int64_t **added, size_t *nadded)
{
	int64_t *v;
	size_t cnt = 0;
	enum cs_err rc = CS_OK;

	*added = NULL;
	*nadded = 0;
	if (n == 0)
		return CS_OK;
	if (st_has(st, A, Q_DELIVERY_ADD_MANY))
		return delivery_add_array(st, tmpl, orgs, n, added, nadded);
	v = xcalloc(n, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		struct store_delivery d = *tmpl;
		struct store_event ev;
		bool ok;

		d.org = orgs[i];
		if ((rc = store_delivery_add(st, &d, &ok)) != CS_OK)
			break;
		if (!ok)
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.org = orgs[i];
		ev.advisory = tmpl->advisory;
		(void)cs_strlcpy(ev.kind, "delivered", sizeof(ev.kind));
		ev.at_us = tmpl->delivered_us;
		if ((rc = store_event_add(st, &ev)) != CS_OK)
			break;
		v[cnt++] = orgs[i];
	}
	if (rc != CS_OK) {
		free(v);
		return rc;
	}
	*added = v;
	*nadded = cnt;
	return CS_OK;
}

enum cs_err
store_delivery_list(struct store *st, int64_t adv, struct store_delivery **v,
    size_t *n)
{
	struct store_parm p[] = { P_INT(adv) };

	return st_list(st, A, Q_DELIVERY_LIST, p, NPARM(p), &delivery_codec, v, n);
}

enum cs_err
store_delivery_get(struct store *st, int64_t adv, int64_t org,
    struct store_delivery *d)
{
	struct store_parm p[] = { P_INT(adv), P_INT(org) };

	return st_get(st, A, Q_DELIVERY_GET, p, NPARM(p), &delivery_codec, d);
}

enum cs_err
store_delivery_inbox(struct store *st, int64_t org, int64_t before, int limit,
    struct store_delivery **v, size_t *n)
{
	struct store_parm p[] = {
		P_INT(org), P_INT(before > 0 ? before : INT64_MAX), P_LIMIT(limit),
	};

	return st_list(st, A, Q_DELIVERY_INBOX, p, NPARM(p), &delivery_codec, v, n);
}

enum cs_err
store_delivery_mark_read(struct store *st, int64_t adv, int64_t org, int64_t us)
{
	struct store_parm p[] = { P_INT(adv), P_INT(org), P_INT(us) };

	return st_run(st, A, Q_DELIVERY_READ, p, NPARM(p));
}

enum cs_err
store_delivery_ack(struct store *st, int64_t adv, int64_t org, int64_t user,
    int64_t us)
{
	struct store_parm p[] = { P_INT(adv), P_INT(org), P_INT(us), P_INT(user) };

	return st_run(st, A, Q_DELIVERY_ACK, p, NPARM(p));
}

enum cs_err
store_delivery_due(struct store *st, int64_t before_us, int limit,
    struct store_delivery **v, size_t *n)
{
	struct store_parm p[] = {
		P_INT(before_us), P_LIMIT(limit), P_INT(ADV_ISSUED), P_INT(IMP_ALERT),
	};

	return st_list(st, A, Q_DELIVERY_DUE, p, NPARM(p), &delivery_codec, v, n);
}

enum cs_err
store_delivery_reminded(struct store *st, int64_t id, int64_t us)
{
	struct store_parm p[] = { P_INT(id), P_INT(us) };

	return st_run(st, A, Q_DELIVERY_REMINDED, p, NPARM(p));
}

/* ---- inbox events ------------------------------------------------------------- */

/*
 * Events are read as "seq > last": on PostgreSQL the events lock makes
 * seqs commit in order across processes, so a reader never sees seq n+1
 * before seq n.
 */
enum cs_err
store_event_add(struct store *st, struct store_event *ev)
{
	struct store_parm p[] = {
		P_INT(ev->org), P_INT(ev->advisory), P_TEXT(ev->kind), P_INT(ev->at_us),
	};
	enum cs_err rc;

	if ((rc = st_lock(st, STORE_LOCK_EVENTS)) != CS_OK)
		return rc;
	return st_insert(st, A, Q_EVENT_ADD, p, NPARM(p), &ev->seq);
}

enum cs_err
store_event_list(struct store *st, int64_t org, int64_t after, int limit,
    struct store_event **v, size_t *n)
{
	struct store_parm p[] = { P_INT(org), P_INT(after), P_LIMIT(limit) };

	return st_list(st, A, Q_EVENT_LIST, p, NPARM(p), &event_codec, v, n);
}

enum cs_err
store_event_last(struct store *st, int64_t org, int64_t *seq)
{
	struct store_parm p[] = { P_INT(org) };
	enum cs_err rc;

	*seq = 0;
	if ((rc = st_get(st, A, Q_EVENT_LAST, p, NPARM(p), &id_codec, seq)) ==
	    CS_ENOENT)
		rc = CS_ESTORE;
	return rc;
}
