/*
 * st_info.c: the information shared, and all that hangs off it.  Reports
 * (情報連絡) with their path, shares and extra recipients, the candidates
 * behind report lists, the immutable versions, and the requests to widen
 * a report's TLP or sectors; advisories (情報提供) with their versions and
 * related reports, their deliveries along the relay, the inbox events
 * behind /inbox/stream, and the notifications sent about them: channels
 * (targets and secrets sealed at rest) and the outbox the worker sends from.
 * (The directory and the deployment's own records are st_dir.c.)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_REPORT_INSERT, Q_REPORT_UPDATE, Q_REPORT_SET_ANON, Q_REPORT_GET,
	Q_REPORT_PATH, Q_REPORT_SHARES, Q_REPORT_EXTRA,
	Q_CANDIDATES, Q_CANDIDATES_SECTOR, Q_CANDIDATES_ANON,
	Q_PATH_ADD, Q_SHARE_ADD, Q_EXTRA_ADD,
	Q_VERSION_INSERT, Q_VERSION_FIRST, Q_VERSION_LIST,
	Q_WIDEN_INSERT, Q_WIDEN_UPDATE, Q_WIDEN_GET, Q_WIDEN_LIST,
	Q_ADV_INSERT, Q_ADV_UPDATE, Q_ADV_GET, Q_ADV_GET_LATEST, Q_ADV_LIST,
	Q_ADV_VERSION_INSERT, Q_ADV_VERSION_LIST, Q_RELATED_ADD, Q_RELATED_LIST,
	Q_REPORT_ADVISORIES,
	Q_DELIVERY_ADD, Q_DELIVERY_ADD_MANY, Q_DELIVERY_LIST, Q_DELIVERY_GET,
	Q_DELIVERY_INBOX, Q_DELIVERY_READ, Q_DELIVERY_ACK, Q_DELIVERY_DUE,
	Q_DELIVERY_REMINDED,
	Q_REVIEW_INSERT, Q_REVIEW_DECIDE, Q_REVIEW_LIST, Q_REVIEW_BY_ORG,
	Q_EVENT_ADD, Q_EVENT_LIST, Q_EVENT_LAST,
	Q_CHAN_INSERT, Q_CHAN_GET, Q_CHAN_LIST, Q_CHAN_ACTIVE,
	Q_NOTIF_INSERT, Q_NOTIF_DUE, Q_NOTIF_UPDATE, Q_NOTIF_LIST,
	Q_DISCLOSE_INSERT, Q_DISCLOSE_GET, Q_DISCLOSE_LIST,
	Q__COUNT
};

#define REPORT_COLS	"r.id, r.route, r.legal_duty, r.tlp, r.sector, r.state," \
			" r.submitter_org, r.anonymised, r.anon_tag," \
			" r.sealed_identity, r.ceptoar_org, r.r_number," \
			" r.nversions, r.created_us, r.updated_us"

/*
 * The newest `limit` of each relation, merged: the newest `limit` of their
 * union are among them.  Each branch walks one index.
 */
#define CANDIDATES(cond)						\
	"SELECT id FROM ("						\
	" SELECT * FROM (SELECT id FROM reports"			\
	"  WHERE submitter_org = CAST(?2 AS bigint)" cond		\
	"  AND id < ?1 ORDER BY id DESC LIMIT ?3) a"			\
	" UNION SELECT * FROM (SELECT report FROM report_path"		\
	"  WHERE org = CAST(?2 AS bigint)" cond				\
	"  AND report < ?1 ORDER BY report DESC LIMIT ?3) b"		\
	" UNION SELECT * FROM (SELECT report FROM report_shares"	\
	"  WHERE org = CAST(?2 AS bigint)" cond				\
	"  AND report < ?1 ORDER BY report DESC LIMIT ?3) c) u"		\
	" ORDER BY id DESC LIMIT ?3"

#define DISCLOSE_COLS	"id, report, basis, reason, to_text, by_org, by_user, at_us"

#define WIDEN_COLS	"id, report, tlp, sectors, reason, state, by_user, by_org," \
			" created_us, decided_us, decided_by_org, decided_by_user"

#define ADV_COLS	"id, t_number, state, urgent, tlp, importance, sectors," \
			" nversions, created_by, approved_by, created_us," \
			" issued_us, updated_us"
#define DELIVERY_COLS	"id, advisory, org, parent_org, via, delivered_us," \
			" read_us, ack_us, ack_user, reminded_us, reminders"

#define REVIEW_COLS	"id, advisory, version, report, org, state, comment," \
			" decided_by_user, decided_us, created_us"

#define CHAN_COLS	"id, org, \"user\", kind, target_sealed, secret_sealed," \
			" active, created_us"
#define NOTIF_COLS(n)	n "id, " n "channel, " n "advisory, " n "event, "	\
			n "subject, " n "body, " n "attempts, " n "next_us, "	\
			n "state, " n "last_error, " n "created_us, " n "sent_us"

static const struct store_stmt stmts[Q__COUNT] = {
	[Q_REPORT_INSERT] = { .returning = "id", .nparm = 14, .sql =
	    "INSERT INTO reports(route, legal_duty, tlp, sector, state,"
	    " submitter_org, anonymised, anon_tag, sealed_identity, ceptoar_org,"
	    " r_number, nversions, created_us, updated_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
	    " ON CONFLICT DO NOTHING" },
	/* r_number is unique: a clash fails alone. */
	[Q_REPORT_UPDATE] = { .nparm = 6, .flags = STMT_GUARDED, .sql =
	    "UPDATE reports SET state = ?2, tlp = ?3, r_number = ?4,"
	    " nversions = ?5, updated_us = ?6 WHERE id = ?1" },
	[Q_REPORT_SET_ANON] = { .nparm = 3, .sql =
	    "UPDATE reports SET anon_tag = ?2, sealed_identity = ?3 WHERE id = ?1" },
	/*
	 * A report with its path, shares and extra recipients in one round
	 * trip: each list as "a,b,c;a,b,c" (integers only), in list order
	 * (insertion order breaks ties: SQLite's rowid, PostgreSQL's ord).
	 */
	/*
	 * PostgreSQL: a report with its path, shares and extra recipients in
	 * one round trip, each list as "a,b,c;a,b,c" (integers only), in list
	 * order.  SQLite (no round trips) reads the lists with the three
	 * statements below, faster than building and parsing the strings.
	 */
	[Q_REPORT_GET] = { .nparm = 1, .sql =
	    "SELECT " REPORT_COLS " FROM reports r WHERE r.id = ?1", .pg =
	    "SELECT " REPORT_COLS ","
	    " (SELECT string_agg(p.org || ',' || p.org_type || ',' || p.joined_us,"
	    "  ';' ORDER BY p.joined_us, p.ord) FROM report_path p"
	    "  WHERE p.report = r.id),"
	    " (SELECT string_agg(s.org || ',' || s.by_org || ',' || s.at_us"
	    "  || ',' || COALESCE(s.disclosure, 0),"
	    "  ';' ORDER BY s.at_us, s.ord) FROM report_shares s"
	    "  WHERE s.report = r.id),"
	    " (SELECT string_agg(x.org::text, ';' ORDER BY x.org)"
	    "  FROM report_extra x WHERE x.report = r.id)"
	    " FROM reports r WHERE r.id = ?1" },
	/* In the order organisations joined (then were shared with): rowid breaks ties. */
	[Q_REPORT_PATH] = { .nparm = 1, .pg = STORE_NONE, .sql =
	    "SELECT org, org_type, joined_us FROM report_path WHERE report = ?1"
	    " ORDER BY joined_us, rowid" },
	[Q_REPORT_SHARES] = { .nparm = 1, .pg = STORE_NONE, .sql =
	    "SELECT org, by_org, at_us, disclosure FROM report_shares"
	    " WHERE report = ?1"
	    " ORDER BY at_us, rowid" },
	[Q_REPORT_EXTRA] = { .nparm = 1, .pg = STORE_NONE, .sql =
	    "SELECT org FROM report_extra WHERE report = ?1 ORDER BY org" },
	[Q_CANDIDATES] = { .nparm = 3, .sql = CANDIDATES("") },
	[Q_CANDIDATES_SECTOR] = { .nparm = 4, .sql =
	    CANDIDATES(" AND sector = CAST(?4 AS integer)") },
	[Q_CANDIDATES_ANON] = { .nparm = 3, .sql =
	    "SELECT id FROM reports WHERE anonymised = 1 AND id < ?1"
	    " AND (CAST(?3 AS integer) < 0 OR sector = CAST(?3 AS integer))"
	    " ORDER BY id DESC LIMIT ?2" },
	/* The report's (immutable) sector beside each relation, for lists. */
	[Q_PATH_ADD] = { .nparm = 4, .flags = STMT_DEFER, .sql =
	    "INSERT INTO report_path(report, org, org_type, joined_us, sector)"
	    " SELECT ?1, ?2, ?3, ?4, sector FROM reports WHERE id = ?1"
	    " ON CONFLICT DO NOTHING" },
	/* A share under a disclosure basis records it on an earlier share. */
	[Q_SHARE_ADD] = { .nparm = 5, .sql =
	    "INSERT INTO report_shares(report, org, by_org, at_us, sector,"
	    " disclosure) SELECT ?1, ?2, ?3, ?4, sector, ?5 FROM reports"
	    " WHERE id = ?1 ON CONFLICT (report, org) DO UPDATE"
	    " SET disclosure = excluded.disclosure"
	    " WHERE report_shares.disclosure IS NULL"
	    " AND excluded.disclosure IS NOT NULL" },
	[Q_EXTRA_ADD] = { .nparm = 2, .flags = STMT_DEFER, .sql =
	    "INSERT INTO report_extra(report, org) VALUES (?1, ?2)"
	    " ON CONFLICT DO NOTHING" },
	[Q_VERSION_INSERT] = { .nparm = 8, .sql =
	    "INSERT INTO report_versions(report, version, hop, form, sealed_form,"
	    " by_org, by_user, created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT DO NOTHING" },
	/* A new report's first version: no other can hold its key. */
	[Q_VERSION_FIRST] = { .nparm = 8, .flags = STMT_DEFER, .sql =
	    "INSERT INTO report_versions(report, version, hop, form, sealed_form,"
	    " by_org, by_user, created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)" },
	[Q_VERSION_LIST] = { .nparm = 1, .sql =
	    "SELECT report, version, hop, form, sealed_form, by_org, by_user,"
	    " created_us FROM report_versions WHERE report = ?1"
	    " ORDER BY version, hop" },
	[Q_WIDEN_INSERT] = { .returning = "id", .nparm = 8, .sql =
	    "INSERT INTO widening_requests(report, tlp, sectors, reason, state,"
	    " by_user, by_org, created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)" },
	[Q_WIDEN_UPDATE] = { .nparm = 5, .sql =
	    "UPDATE widening_requests SET state = ?2, decided_us = ?3,"
	    " decided_by_org = ?4, decided_by_user = ?5 WHERE id = ?1" },
	[Q_WIDEN_GET] = { .nparm = 1, .sql =
	    "SELECT " WIDEN_COLS " FROM widening_requests WHERE id = ?1" },
	[Q_WIDEN_LIST] = { .nparm = 3, .sql =
	    "SELECT " WIDEN_COLS " FROM widening_requests"
	    " WHERE (CAST(?1 AS bigint) = 0 OR report = CAST(?1 AS bigint))"
	    " AND id > ?2 ORDER BY id LIMIT ?3" },
	[Q_ADV_INSERT] = { .returning = "id", .nparm = 12, .sql =
	    "INSERT INTO advisories(t_number, state, urgent, tlp, importance,"
	    " sectors, nversions, created_by, approved_by, created_us, issued_us,"
	    " updated_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
	    " ?12) ON CONFLICT DO NOTHING" },
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
	[Q_ADV_VERSION_INSERT] = { .nparm = 5, .sql =
	    "INSERT INTO advisory_versions(advisory, version, form, by_user,"
	    " created_us) VALUES (?1, ?2, ?3, ?4, ?5)"
	    " ON CONFLICT DO NOTHING" },
	[Q_ADV_VERSION_LIST] = { .nparm = 1, .sql =
	    "SELECT advisory, version, form, by_user, created_us"
	    " FROM advisory_versions WHERE advisory = ?1 ORDER BY version" },
	[Q_REVIEW_INSERT] = { .returning = "id", .nparm = 6, .sql =
	    "INSERT INTO advisory_reviews(advisory, version, report, org, state,"
	    " created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING" },
	[Q_REVIEW_DECIDE] = { .nparm = 5, .sql =
	    "UPDATE advisory_reviews SET state = ?2, comment = ?3,"
	    " decided_by_user = ?4, decided_us = ?5 WHERE id = ?1" },
	[Q_REVIEW_LIST] = { .nparm = 1, .sql =
	    "SELECT " REVIEW_COLS " FROM advisory_reviews WHERE advisory = ?1"
	    " ORDER BY version, id" },
	[Q_REVIEW_BY_ORG] = { .nparm = 4, .sql =
	    "SELECT " REVIEW_COLS " FROM advisory_reviews WHERE org = ?1"
	    " AND state = ?2 AND id > ?3 ORDER BY id LIMIT ?4" },
	[Q_RELATED_ADD] = { .nparm = 3, .sql =
	    "INSERT INTO advisory_related(advisory, report, consent_named)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING" },
	[Q_RELATED_LIST] = { .nparm = 1, .sql =
	    "SELECT report, consent_named FROM advisory_related"
	    " WHERE advisory = ?1 ORDER BY report" },
	[Q_REPORT_ADVISORIES] = { .nparm = 1, .sql =
	    "SELECT a.id, a.issued_us FROM advisory_related r JOIN advisories a"
	    " ON a.id = r.advisory WHERE r.report = ?1 AND a.issued_us IS NOT NULL"
	    " ORDER BY a.issued_us, a.id LIMIT 64" },
	[Q_DELIVERY_ADD] = { .returning = "id", .nparm = 5, .sql =
	    "INSERT INTO deliveries(advisory, org, parent_org, via, delivered_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING" },
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
	[Q_EVENT_ADD] = { .returning = "seq", .nparm = 4, .sql =
	    "INSERT INTO inbox_events(org, advisory, kind, at_us)"
	    " VALUES (?1, ?2, ?3, ?4)" },
	[Q_EVENT_LIST] = { .nparm = 3, .sql =
	    "SELECT seq, org, advisory, kind, at_us FROM inbox_events"
	    " WHERE org = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3" },
	[Q_EVENT_LAST] = { .nparm = 1, .sql =
	    "SELECT COALESCE(max(seq), 0) FROM inbox_events WHERE org = ?1" },
	[Q_CHAN_INSERT] = { .returning = "id", .nparm = 7, .sql =
	    "INSERT INTO channels(org, \"user\", kind, target_sealed,"
	    " secret_sealed, active, created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)" },
	[Q_CHAN_GET] = { .nparm = 1, .sql =
	    "SELECT " CHAN_COLS " FROM channels WHERE id = ?1" },
	[Q_CHAN_LIST] = { .nparm = 3, .sql =
	    "SELECT " CHAN_COLS " FROM channels"
	    " WHERE (CAST(?1 AS bigint) = 0 OR org = CAST(?1 AS bigint))"
	    " AND id > ?2 ORDER BY id LIMIT ?3" },
	[Q_CHAN_ACTIVE] = { .nparm = 2, .sql =
	    "UPDATE channels SET active = ?2 WHERE id = ?1" },
	[Q_NOTIF_INSERT] = { .returning = "id", .nparm = 11, .sql =
	    "INSERT INTO notifications(channel, advisory, event, subject, body,"
	    " attempts, next_us, state, last_error, created_us, sent_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)" },
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
	[Q_DISCLOSE_INSERT] = { .returning = "id", .nparm = 7, .sql =
	    "INSERT INTO report_disclosures(report, basis, reason, to_text,"
	    " by_org, by_user, at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)" },
	[Q_DISCLOSE_GET] = { .nparm = 1, .sql =
	    "SELECT " DISCLOSE_COLS " FROM report_disclosures WHERE id = ?1" },
	[Q_DISCLOSE_LIST] = { .nparm = 1, .sql =
	    "SELECT " DISCLOSE_COLS " FROM report_disclosures WHERE report = ?1"
	    " ORDER BY id" },
};

struct store_area st_info_area = { "info", stmts, Q__COUNT, 0 };
#define A	(&st_info_area)

/* ---- reports ------------------------------------------------------------------ */

#define R_(f, t)	COL(struct store_report, f, t)
static const struct store_col report_cols[] = {
	R_(id, CT_I64), R_(route, CT_INT), R_(legal_duty, CT_BOOL), R_(tlp, CT_INT),
	R_(sector, CT_INT), R_(state, CT_INT), R_(submitter_org, CT_I64),
	R_(anonymised, CT_BOOL), R_(anon_tag, CT_BLOB32),
	R_(sealed_identity, CT_TEXT), R_(ceptoar_org, CT_I64),
	R_(r_number, CT_I64), R_(nversions, CT_INT), R_(created_us, CT_I64),
	R_(updated_us, CT_I64),
};
static const struct store_codec report_codec = CODEC(struct store_report,
    report_cols);

static const struct store_col path_cols[] = {
	COL(struct cs_path_entry, org_id, CT_I64),
	COL(struct cs_path_entry, org_type, CT_INT),
	COL(struct cs_path_entry, joined_us, CT_I64),
};
static const struct store_codec path_codec = CODEC(struct cs_path_entry, path_cols);

static const struct store_col share_cols[] = {
	COL(struct store_share, org, CT_I64), COL(struct store_share, by_org, CT_I64),
	COL(struct store_share, at_us, CT_I64),
	COL(struct store_share, disclosure, CT_I64),
};
static const struct store_codec share_codec = CODEC(struct store_share, share_cols);

#define V_(f, t)	COL(struct store_version, f, t)
static const struct store_col version_cols[] = {
	V_(report, CT_I64), V_(version, CT_INT), V_(hop, CT_INT), V_(form, CT_TEXT),
	V_(sealed_form, CT_TEXT), V_(by_org, CT_I64), V_(by_user, CT_I64),
	V_(created_us, CT_I64),
};
static const struct store_codec version_codec = CODEC(struct store_version,
    version_cols);

enum cs_err
store_report_insert(struct store *st, struct store_report *r)
{
	return st_insert(st, A, Q_REPORT_INSERT, PARMS(P_INT(r->route),
	    P_INT(r->legal_duty), P_INT(r->tlp), P_INT(r->sector),
	    P_INT(r->state), P_ID(r->submitter_org), P_INT(r->anonymised),
	    r->anonymised ? P_BLOB32(r->anon_tag) : P_NULL,
	    P_TEXT(r->sealed_identity), P_ID(r->ceptoar_org), P_ID(r->r_number),
	    P_INT(r->nversions), P_INT(r->created_us), P_INT(r->updated_us)),
	    &r->id);
}

/* Updates state, tlp, r_number, nversions, updated_us. */
enum cs_err
store_report_update(struct store *st, const struct store_report *r)
{
	return st_run(st, A, Q_REPORT_UPDATE, PARMS(P_INT(r->id),
	    P_INT(r->state), P_INT(r->tlp), P_ID(r->r_number),
	    P_INT(r->nversions), P_INT(r->updated_us)));
}

enum cs_err
store_report_set_anon(struct store *st, const struct store_report *r)
{
	return st_run(st, A, Q_REPORT_SET_ANON, PARMS(P_INT(r->id),
	    P_BLOB32(r->anon_tag), P_TEXT(r->sealed_identity)));
}

/*
 * Splits an aggregated list ("a,b,c;a,b,c") of `width` integers per item
 * into a new array of n * width values; false if it is not one.
 */
static bool
int_list(const char *s, int width, int64_t **out, size_t *n)
{
	size_t items = 1, k = 0;
	int64_t *v;

	*out = NULL;
	*n = 0;
	if (s == NULL || *s == '\0')
		return true;
	for (const char *c = s; *c; c++)
		items += *c == ';';
	v = xcalloc(items * (size_t)width, sizeof(*v));
	for (size_t i = 0; i < items; i++) {
		for (int w = 0; w < width; w++) {
			char *end;
			long long x;

			errno = 0;
			x = strtoll(s, &end, 10);
			if (end == s || errno != 0 || *end != (w + 1 < width ?
			    ',' : i + 1 < items ? ';' : '\0')) {
				free(v);
				return false;
			}
			v[k++] = x;
			s = *end ? end + 1 : end;
		}
	}
	*out = v;
	*n = items;
	return true;
}

static void
put_path(void *rec, const int64_t *v)
{
	struct cs_path_entry *p = rec;

	p->org_id = v[0];
	p->org_type = (enum cs_org_type)v[1];
	p->joined_us = v[2];
}

static void
put_share(void *rec, const int64_t *v)
{
	struct store_share *s = rec;

	s->org = v[0];
	s->by_org = v[1];
	s->at_us = v[2];
	s->disclosure = v[3];
}

/*
 * An aggregated list of `width`-tuples in column col as n records (NULL if
 * none).
 */
static void *
tuples(const struct store_row *row, int col, int width, size_t size,
    void (*put)(void *, const int64_t *), size_t *n, bool *ok)
{
	char *recs = NULL;
	int64_t *v;

	*ok = *ok && int_list(row->eng->col_text(row->h, row->i, col), width,
	    &v, n);
	if (!*ok)
		return NULL;
	if (*n > 0)
		recs = xcalloc(*n, size);
	for (size_t i = 0; i < *n; i++)
		put(recs + i * size, &v[(size_t)width * i]);
	free(v);
	return recs;
}

struct report_get {
	struct store_report	*r;
	bool			 lists;		/* the lists came aggregated */
	bool			 ok;
};

static void
report_row(const struct store_row *row, void *arg)
{
	struct report_get *g = arg;
	struct store_report *r = g->r;

	row_fill(row, 0, &report_codec, r);
	if (!g->lists)
		return;
	r->path = tuples(row, 15, 3, sizeof(*r->path), put_path, &r->npath,
	    &g->ok);
	r->shares = tuples(row, 16, 4, sizeof(*r->shares), put_share,
	    &r->nshares, &g->ok);
	g->ok = g->ok && int_list(row->eng->col_text(row->h, row->i, 17), 1,
	    &r->extra, &r->nextra);
}

void
store_report_prefetch(struct store *st, const int64_t *ids, size_t n,
    bool versions)
{
	for (size_t i = 0; i < n; i++) {
		st_prefetch(st, A, Q_REPORT_GET, PARMS(P_INT(ids[i])));
		if (versions)
			st_prefetch(st, A, Q_VERSION_LIST, PARMS(P_INT(ids[i])));
	}
}

void
store_adv_prefetch(struct store *st, const int64_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		st_prefetch(st, A, Q_ADV_GET_LATEST, PARMS(P_INT(ids[i])));
		st_prefetch(st, A, Q_REVIEW_LIST, PARMS(P_INT(ids[i])));
	}
}

enum cs_err
store_report_get(struct store *st, int64_t id, struct store_report *r)
{
	struct report_get g = { r, !st_has(st, A, Q_REPORT_PATH), true };
	enum cs_err rc;

	memset(r, 0, sizeof(*r));
	rc = st_first(st, A, Q_REPORT_GET, PARMS(P_INT(id)), report_row, &g);
	if (rc == CS_OK && !g.ok) {
		log_warn("event=store_report_lists_malformed report=%lld",
		    (long long)id);
		rc = CS_ESTORE;
	}
	if (rc == CS_OK && !g.lists &&
	    ((rc = st_list(st, A, Q_REPORT_PATH, PARMS(P_INT(id)), &path_codec,
	    &r->path, &r->npath)) != CS_OK ||
	    (rc = st_list(st, A, Q_REPORT_SHARES, PARMS(P_INT(id)), &share_codec,
	    &r->shares, &r->nshares)) != CS_OK ||
	    (rc = st_list(st, A, Q_REPORT_EXTRA, PARMS(P_INT(id)),
	    &store_i64_codec, &r->extra, &r->nextra)) != CS_OK))
		rc = CS_ESTORE;
	if (rc != CS_OK)
		store_report_fini(r);
	return rc;
}

enum cs_err
store_report_candidates(struct store *st, const struct store_report_filter *f,
    int64_t **ids, size_t *n)
{
	int64_t before = f->before_id > 0 ? f->before_id : INT64_MAX;

	if (f->anonymised)
		return st_list(st, A, Q_CANDIDATES_ANON, PARMS(P_INT(before),
		    P_LIMIT(f->limit), P_INT(f->sector)), &store_i64_codec, ids, n);
	if (f->sector < 0)
		return st_list(st, A, Q_CANDIDATES, PARMS(P_INT(before),
		    P_INT(f->org), P_LIMIT(f->limit)), &store_i64_codec, ids, n);
	return st_list(st, A, Q_CANDIDATES_SECTOR, PARMS(P_INT(before),
	    P_INT(f->org), P_LIMIT(f->limit), P_INT(f->sector)), &store_i64_codec, ids, n);
}

void
store_report_fini(struct store_report *r)
{
	if (r == NULL)
		return;
	free(r->path);
	free(r->shares);
	free(r->extra);
	st_fini(r, &report_codec);
}

enum cs_err
store_report_path_add(struct store *st, int64_t id, const struct cs_path_entry *e)
{
	return st_run(st, A, Q_PATH_ADD, PARMS(P_INT(id), P_INT(e->org_id),
	    P_INT(e->org_type), P_INT(e->joined_us)));
}

enum cs_err
store_report_share_add(struct store *st, int64_t id, const struct store_share *s)
{
	return st_run(st, A, Q_SHARE_ADD, PARMS(P_INT(id), P_INT(s->org),
	    P_INT(s->by_org), P_INT(s->at_us), P_ID(s->disclosure)));
}

enum cs_err
store_report_extra_add(struct store *st, int64_t id, int64_t org)
{
	return st_run(st, A, Q_EXTRA_ADD, PARMS(P_INT(id), P_INT(org)));
}

enum cs_err
store_version_insert(struct store *st, const struct store_version *v)
{
	return store_version_insert_folded(st, v, NULL);
}

static enum cs_err
version_insert(struct store *st, const struct store_version *v, char *folded,
    bool first)
{
	enum cs_err rc;

	if (first)
		rc = st_run(st, A, Q_VERSION_FIRST, PARMS(P_INT(v->report),
		    P_INT(v->version), P_INT(v->hop), P_TEXT(v->form),
		    P_TEXT(v->sealed_form), P_ID(v->by_org), P_ID(v->by_user),
		    P_INT(v->created_us)));
	else
		rc = st_insert(st, A, Q_VERSION_INSERT, PARMS(P_INT(v->report),
		    P_INT(v->version), P_INT(v->hop), P_TEXT(v->form),
		    P_TEXT(v->sealed_form), P_ID(v->by_org), P_ID(v->by_user),
		    P_INT(v->created_us)), NULL);
	/* The full-text index: only what is stored in clear. */
	if (rc == CS_OK && v->form != NULL && folded != NULL) {
		rc = store_search_put_folded(st, STORE_SEARCH_REPORT, v->report,
		    v->version, (int)v->hop, folded);
		folded = NULL;
	} else if (rc == CS_OK)
		rc = store_search_put(st, STORE_SEARCH_REPORT, v->report,
		    v->version, (int)v->hop, v->form);
	free(folded);
	return rc;
}

enum cs_err
store_version_insert_folded(struct store *st, const struct store_version *v,
    char *folded)
{
	return version_insert(st, v, folded, false);
}

enum cs_err
store_version_insert_first(struct store *st, const struct store_version *v,
    char *folded)
{
	return version_insert(st, v, folded, true);
}

ST_DEFINE_LIST_BY(store_version_list, struct store_version, A, Q_VERSION_LIST,
    &version_codec)
ST_DEFINE_FREE(store_versions_free, struct store_version, &version_codec)

/* ---- widening requests --------------------------------------------------------- */

#define W_(f, t)	COL(struct store_widening, f, t)
static const struct store_col widening_cols[] = {
	W_(id, CT_I64), W_(report, CT_I64), W_(tlp, CT_INT), W_(sectors, CT_U32),
	W_(reason, CT_TEXT), W_(state, CT_INT), W_(by_user, CT_I64),
	W_(by_org, CT_I64), W_(created_us, CT_I64), W_(decided_us, CT_I64),
	W_(decided_by_org, CT_I64), W_(decided_by_user, CT_I64),
};
static const struct store_codec widening_codec = CODEC(struct store_widening,
    widening_cols);

enum cs_err
store_widening_insert(struct store *st, struct store_widening *w)
{
	return st_insert(st, A, Q_WIDEN_INSERT, PARMS(P_INT(w->report), P_INT(w->tlp),
	    P_INT(w->sectors), P_TEXT(w->reason), P_INT(w->state),
	    P_INT(w->by_user), P_INT(w->by_org), P_INT(w->created_us)), &w->id);
}

enum cs_err
store_widening_update(struct store *st, const struct store_widening *w)
{
	return st_run(st, A, Q_WIDEN_UPDATE, PARMS(P_INT(w->id), P_INT(w->state),
	    P_ID(w->decided_us), P_ID(w->decided_by_org), P_ID(w->decided_by_user)));
}

/* report > 0: that report's requests; else all. */
ST_DEFINE_GET(store_widening_get, struct store_widening, A, Q_WIDEN_GET, &widening_codec)
ST_DEFINE_LIST_PAGE(store_widening_list, struct store_widening, A, Q_WIDEN_LIST,
    &widening_codec)
ST_DEFINE_FINI(store_widening_fini, struct store_widening, &widening_codec)
ST_DEFINE_FREE(store_widenings_free, struct store_widening, &widening_codec)

/* ---- disclosure bases ------------------------------------------------------ */

#define D_(f, t)	COL(struct store_disclosure, f, t)
static const struct store_col disclosure_cols[] = {
	D_(id, CT_I64), D_(report, CT_I64), D_(basis, CT_INT), D_(reason, CT_TEXT),
	D_(to, CT_TEXT), D_(by_org, CT_I64), D_(by_user, CT_I64), D_(at_us, CT_I64),
};
static const struct store_codec disclosure_codec = CODEC(struct store_disclosure,
    disclosure_cols);

enum cs_err
store_disclosure_insert(struct store *st, struct store_disclosure *d)
{
	return st_insert(st, A, Q_DISCLOSE_INSERT, PARMS(P_INT(d->report),
	    P_INT(d->basis), P_TEXT(d->reason), P_TEXT(d->to), P_INT(d->by_org),
	    P_INT(d->by_user), P_INT(d->at_us)), &d->id);
}

ST_DEFINE_GET(store_disclosure_get, struct store_disclosure, A, Q_DISCLOSE_GET,
    &disclosure_codec)
ST_DEFINE_LIST_BY(store_disclosure_list, struct store_disclosure, A,
    Q_DISCLOSE_LIST, &disclosure_codec)
ST_DEFINE_FINI(store_disclosure_fini, struct store_disclosure, &disclosure_codec)
ST_DEFINE_FREE(store_disclosures_free, struct store_disclosure, &disclosure_codec)

/* ---- advisories --------------------------------------------------------------- */

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

static const struct store_col report_adv_cols[] = {
	COL(struct store_report_adv, advisory, CT_I64),
	COL(struct store_report_adv, issued_us, CT_I64),
};
static const struct store_codec report_adv_codec = CODEC(struct store_report_adv,
    report_adv_cols);

#define RV(f, t)	COL(struct store_adv_review, f, t)
static const struct store_col review_cols[] = {
	RV(id, CT_I64), RV(advisory, CT_I64), RV(version, CT_INT),
	RV(report, CT_I64), RV(org, CT_I64), RV(state, CT_INT),
	RV(comment, CT_TEXT), RV(decided_by_user, CT_I64),
	RV(decided_us, CT_I64), RV(created_us, CT_I64),
};
static const struct store_codec review_codec = CODEC(struct store_adv_review,
    review_cols);

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

enum cs_err
store_adv_insert(struct store *st, struct store_advisory *a)
{
	return st_insert(st, A, Q_ADV_INSERT, PARMS(P_ID(a->t_number),
	    P_INT(a->state), P_INT(a->urgent), P_INT(a->tlp),
	    P_INT(a->importance), P_INT(a->sectors), P_INT(a->nversions),
	    P_INT(a->created_by), P_ID(a->approved_by), P_INT(a->created_us),
	    P_ID(a->issued_us), P_INT(a->updated_us)), &a->id);
}

enum cs_err
store_adv_update(struct store *st, const struct store_advisory *a)
{
	return st_run(st, A, Q_ADV_UPDATE, PARMS(P_INT(a->id), P_INT(a->state),
	    P_INT(a->tlp), P_INT(a->importance), P_INT(a->sectors),
	    P_INT(a->nversions), P_ID(a->approved_by), P_ID(a->issued_us),
	    P_INT(a->updated_us), P_ID(a->t_number)));
}

struct latest {
	struct store_advisory	*a;
	struct store_adv_version *v;
};

static void
latest_row(const struct store_row *r, void *arg)
{
	struct latest *l = arg;

	row_fill(r, 0, &adv_codec, l->a);
	if (!row_null(r, 13))
		row_fill(r, 13, &adv_version_codec, l->v);
}

/* An advisory and its newest version (v->form NULL if it has none), one query. */
enum cs_err
store_adv_get_latest(struct store *st, int64_t id, struct store_advisory *a,
    struct store_adv_version *v)
{
	struct latest l = { a, v };

	memset(a, 0, sizeof(*a));
	memset(v, 0, sizeof(*v));
	return st_first(st, A, Q_ADV_GET_LATEST, PARMS(P_INT(id)), latest_row, &l);
}

/* Newest first, id < before (0 = from the newest). */
enum cs_err
store_adv_list(struct store *st, int64_t before, int limit,
    struct store_advisory **v, size_t *n)
{
	return st_list(st, A, Q_ADV_LIST, PARMS(P_INT(before > 0 ? before :
	    INT64_MAX), P_LIMIT(limit)), &adv_codec, v, n);
}

enum cs_err
store_adv_version_insert(struct store *st, const struct store_adv_version *v)
{
	return store_adv_version_insert_folded(st, v, NULL);
}

enum cs_err
store_adv_version_insert_folded(struct store *st,
    const struct store_adv_version *v, char *folded)
{
	enum cs_err rc;

	rc = st_insert(st, A, Q_ADV_VERSION_INSERT, PARMS(P_INT(v->advisory),
	    P_INT(v->version), P_TEXT(v->form), P_ID(v->by_user),
	    P_INT(v->created_us)), NULL);
	if (rc == CS_OK && v->form != NULL && folded != NULL) {
		rc = store_search_put_folded(st, STORE_SEARCH_ADVISORY,
		    v->advisory, v->version, 0, folded);
		folded = NULL;
	} else if (rc == CS_OK)
		rc = store_search_put(st, STORE_SEARCH_ADVISORY, v->advisory,
		    v->version, 0, v->form);
	free(folded);
	return rc;
}

enum cs_err
store_adv_related_add(struct store *st, int64_t adv,
    const struct store_adv_related *r)
{
	return st_run(st, A, Q_RELATED_ADD, PARMS(P_INT(adv), P_INT(r->report),
	    P_INT(r->consent_named)));
}

enum cs_err
store_adv_review_insert(struct store *st, struct store_adv_review *r)
{
	return st_insert(st, A, Q_REVIEW_INSERT, PARMS(P_INT(r->advisory),
	    P_INT(r->version), P_INT(r->report), P_INT(r->org), P_INT(r->state),
	    P_INT(r->created_us)), &r->id);
}

enum cs_err
store_adv_review_decide(struct store *st, const struct store_adv_review *r)
{
	return st_run(st, A, Q_REVIEW_DECIDE, PARMS(P_INT(r->id),
	    P_INT(r->state), P_TEXT(r->comment), P_ID(r->decided_by_user),
	    P_ID(r->decided_us)));
}

enum cs_err
store_adv_review_by_org(struct store *st, int64_t org,
    enum store_review_state state, int64_t after, int limit,
    struct store_adv_review **v, size_t *n)
{
	return st_list(st, A, Q_REVIEW_BY_ORG, PARMS(P_INT(org), P_INT(state),
	    P_INT(after), P_LIMIT(limit)), &review_codec, v, n);
}

ST_DEFINE_LIST_BY(store_adv_review_list, struct store_adv_review, A,
    Q_REVIEW_LIST, &review_codec)
ST_DEFINE_FREE(store_adv_reviews_free, struct store_adv_review, &review_codec)

ST_DEFINE_GET(store_adv_get, struct store_advisory, A, Q_ADV_GET, &adv_codec)
ST_DEFINE_LIST_BY(store_adv_version_list, struct store_adv_version, A,
    Q_ADV_VERSION_LIST, &adv_version_codec)
ST_DEFINE_FREE(store_adv_versions_free, struct store_adv_version,
    &adv_version_codec)
ST_DEFINE_LIST_BY(store_adv_related_list, struct store_adv_related, A,
    Q_RELATED_LIST, &related_codec)
ST_DEFINE_LIST_BY(store_report_advisories, struct store_report_adv, A,
    Q_REPORT_ADVISORIES, &report_adv_codec)

/* ---- deliveries ---------------------------------------------------------------- */

/* An org gets each advisory once: *added false when it had it already. */
enum cs_err
store_delivery_add(struct store *st, struct store_delivery *d, bool *added)
{
	return st_add(st, A, Q_DELIVERY_ADD, PARMS(P_INT(d->advisory),
	    P_INT(d->org), P_ID(d->parent_org), P_TEXT(d->via),
	    P_INT(d->delivered_us)), &d->id, added);
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
	rc = st_list(st, A, Q_DELIVERY_ADD_MANY, PARMS(P_INT(tmpl->advisory),
	    P_ID(tmpl->parent_org), P_TEXT(tmpl->via), P_INT(tmpl->delivered_us),
	    P_TEXT(cs_buf_str(&arr)), P_TEXT("delivered")), &store_i64_codec, added,
	    nadded);
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
store_delivery_get(struct store *st, int64_t adv, int64_t org,
    struct store_delivery *d)
{
	return st_get(st, A, Q_DELIVERY_GET, PARMS(P_INT(adv), P_INT(org)),
	    &delivery_codec, d);
}

/* An org's deliveries, newest first, id < before. */
enum cs_err
store_delivery_inbox(struct store *st, int64_t org, int64_t before, int limit,
    struct store_delivery **v, size_t *n)
{
	return st_list(st, A, Q_DELIVERY_INBOX, PARMS(P_INT(org),
	    P_INT(before > 0 ? before : INT64_MAX), P_LIMIT(limit)),
	    &delivery_codec, v, n);
}

enum cs_err
store_delivery_mark_read(struct store *st, int64_t adv, int64_t org, int64_t us)
{
	return st_run(st, A, Q_DELIVERY_READ, PARMS(P_INT(adv), P_INT(org),
	    P_INT(us)));
}

enum cs_err
store_delivery_ack(struct store *st, int64_t adv, int64_t org, int64_t user,
    int64_t us)
{
	return st_run(st, A, Q_DELIVERY_ACK, PARMS(P_INT(adv), P_INT(org),
	    P_INT(us), P_INT(user)));
}

/* Deliveries of issued alerts: the state and importance are core's enums. */
enum cs_err
store_delivery_due(struct store *st, int64_t before_us, int limit,
    struct store_delivery **v, size_t *n)
{
	return st_list(st, A, Q_DELIVERY_DUE, PARMS(P_INT(before_us),
	    P_LIMIT(limit), P_INT(ADV_ISSUED), P_INT(IMP_ALERT)),
	    &delivery_codec, v, n);
}

enum cs_err
store_delivery_reminded(struct store *st, int64_t id, int64_t us)
{
	return st_run(st, A, Q_DELIVERY_REMINDED, PARMS(P_INT(id), P_INT(us)));
}

ST_DEFINE_LIST_BY(store_delivery_list, struct store_delivery, A,
    Q_DELIVERY_LIST, &delivery_codec)

/* ---- inbox events ------------------------------------------------------------- */

/*
 * Events are read as "seq > last": on PostgreSQL the events lock makes
 * seqs commit in order across processes, so a reader never sees seq n+1
 * before seq n.
 */
enum cs_err
store_event_add(struct store *st, struct store_event *ev)
{
	enum cs_err rc;

	if ((rc = st_lock(st, STORE_LOCK_EVENTS)) != CS_OK)
		return rc;
	return st_insert(st, A, Q_EVENT_ADD, PARMS(P_INT(ev->org),
	    P_INT(ev->advisory), P_TEXT(ev->kind), P_INT(ev->at_us)), &ev->seq);
}

/* The newest event seq of an org (0 if none): always one row. */
enum cs_err
store_event_last(struct store *st, int64_t org, int64_t *seq)
{
	enum cs_err rc;

	*seq = 0;
	if ((rc = st_get(st, A, Q_EVENT_LAST, PARMS(P_INT(org)), &store_i64_codec,
	    seq)) == CS_ENOENT)
		rc = CS_ESTORE;
	return rc;
}

/* An org's events with seq > after, oldest first. */
ST_DEFINE_LIST_PAGE(store_event_list, struct store_event, A, Q_EVENT_LIST,
    &event_codec)

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
	return st_insert(st, A, Q_CHAN_INSERT, PARMS(P_INT(c->org),
	    P_ID(c->user), P_INT(c->kind), P_SEALED_NN(c->target),
	    P_SEALED(c->secret), P_INT(c->active), P_INT(c->created_us)), &c->id);
}

enum cs_err
store_channel_set_active(struct store *st, int64_t id, bool on)
{
	return st_run(st, A, Q_CHAN_ACTIVE, PARMS(P_INT(id), P_INT(on)));
}

ST_DEFINE_GET(store_channel_get, struct store_channel, A, Q_CHAN_GET,
    &channel_codec)
/* An org's channels (0: all), active or not. */
ST_DEFINE_LIST_PAGE(store_channel_list, struct store_channel, A, Q_CHAN_LIST,
    &channel_codec)
ST_DEFINE_FINI(store_channel_fini, struct store_channel, &channel_codec)
ST_DEFINE_FREE(store_channels_free, struct store_channel, &channel_codec)

/* ---- the outbox --------------------------------------------------------------- */

enum cs_err
store_notif_insert(struct store *st, struct store_notification *x)
{
	return st_insert(st, A, Q_NOTIF_INSERT, PARMS(P_INT(x->channel),
	    P_INT(x->advisory), P_TEXT(x->event), P_TEXT(x->subject),
	    P_TEXT(x->body), P_INT(x->attempts), P_INT(x->next_us),
	    P_INT(x->state), P_TEXT(x->last_error), P_INT(x->created_us),
	    P_ID(x->sent_us)), &x->id);
}

/* Pending notifications with next_us <= now, oldest first. */
enum cs_err
store_notif_due(struct store *st, int64_t now_us, int limit,
    struct store_notification **v, size_t *n)
{
	return st_list(st, A, Q_NOTIF_DUE, PARMS(P_INT(now_us), P_LIMIT(limit),
	    P_INT(NOTIF_PENDING)), &notif_codec, v, n);
}

/* Updates attempts, next_us, state, last_error, sent_us. */
enum cs_err
store_notif_update(struct store *st, const struct store_notification *x)
{
	return st_run(st, A, Q_NOTIF_UPDATE, PARMS(P_INT(x->id),
	    P_INT(x->attempts), P_INT(x->next_us), P_INT(x->state),
	    P_TEXT(x->last_error), P_ID(x->sent_us)));
}

/* Of an org's channels (org 0: all), state < 0: any; id > after. */
enum cs_err
store_notif_list(struct store *st, int64_t org, int state, int64_t after,
    int limit, struct store_notification **v, size_t *n)
{
	return st_list(st, A, Q_NOTIF_LIST, PARMS(P_INT(org), P_INT(state),
	    P_INT(after), P_LIMIT(limit)), &notif_codec, v, n);
}

ST_DEFINE_FREE(store_notifs_free, struct store_notification, &notif_codec)
