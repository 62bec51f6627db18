/*
 * pg.c: the PostgreSQL backend of the store (libpq), op for op the same
 * contract as sqlite.c: the same ordering, the same CS_ENOENT /
 * CS_ECONFLICT / CS_ESTORE codes, directory PII sealed at rest with
 * core_seal_text() and opened with core_open_text().
 *
 * The URL: store.c hands over the whole libpq connection URI,
 *	postgresql://cishare@db.example:5432/cishare?sslmode=verify-full
 * and every libpq parameter and PG* environment variable works as libpq
 * documents them.  The password is never part of it (--db is a command
 * line argument, readable in ps): libpq reads it from a password file
 * (PGPASSFILE, ~/.pgpass, or the passfile= parameter of the URI) or from
 * PGPASSWORD.  A URI that carries a password is refused.
 *
 * Schema: an ordered list of migrations; the table schema_version holds a
 * row per migration applied.  Each runs in its own transaction under an
 * advisory lock, so several `cishared init` at once apply each exactly
 * once.  Triggers (plpgsql) refuse UPDATE, DELETE and TRUNCATE on audit,
 * report_versions and advisory_versions.  64-bit ids are bigint/bigserial,
 * booleans are integers 0/1 (as in SQLite), blobs are bytea.
 *
 * Statements: all SQL sits in one table used by enum (the sqlbox model),
 * prepared once per connection (PQprepare) and run with PQexecPrepared:
 * numbers and text travel as text parameters, blobs in binary.  Results
 * are read in text format.
 *
 * Concurrency: one connection per struct store, guarded by a mutex held
 * from begin to commit/rollback, as in sqlite.c.  Transactions run at READ
 * COMMITTED; what must stay correct with several cishared processes on one
 * database is made so with locks held to commit:
 *  - counters (R and T numbers, token ids) are one atomic upsert, which
 *    row-locks the counter: numbers are handed out in commit order without
 *    gaps or duplicates, and a rolled-back number is handed out again;
 *  - audit_last takes a transaction-scoped advisory lock before it reads
 *    the last entry (in a statement of its own, so the read sees what the
 *    previous holder committed): appends to the hash chain are serialised;
 *  - event_add takes another advisory lock before it draws a seq, so inbox
 *    events become visible in seq order and a stream reading "seq > last"
 *    never skips one that committed late.
 * Lock waits give up after lock_timeout (10 s, like SQLite's busy timeout),
 * a transaction left idle for 60 s is ended by the server, and connecting
 * gives up after 10 s unless the URI sets connect_timeout.
 *
 * Errors: a unique violation on an INSERT is detected with ON CONFLICT DO
 * NOTHING and reported as CS_ECONFLICT with the transaction intact (what
 * SQLite does); INSERT OR IGNORE is ON CONFLICT DO NOTHING.  The updates
 * that can hit a unique key (r_number, t_number) run under a savepoint, so
 * they too fail alone.  Any other failed statement (a foreign key, say:
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

#include "store/store.h"

/* Advisory lock keys: (CS_PG_LOCK_NS, n); CS_PG_LOCK_NS is "cish". */
#define CS_PG_LOCK_NS	"1667855208"

static const char *migrations[] = {
	/* 1: directory, reports, audit */
	"CREATE FUNCTION cs_immutable() RETURNS trigger LANGUAGE plpgsql AS $$"
	" BEGIN RAISE EXCEPTION '%', TG_ARGV[0]"
	" USING ERRCODE = 'integrity_constraint_violation'; END $$;"
	"CREATE TABLE meta(key text PRIMARY KEY, value text NOT NULL);"
	"CREATE TABLE refdata(name text PRIMARY KEY, json text NOT NULL);"
	"CREATE TABLE counters(name text PRIMARY KEY, value bigint NOT NULL);"
	"CREATE TABLE orgs(id bigserial PRIMARY KEY, type integer NOT NULL,"
	" sectors bigint NOT NULL, ceptoar bigint, pre_arranged integer NOT NULL,"
	" name_sealed text NOT NULL, pk bytea, wrapped_sk text,"
	" created_us bigint NOT NULL);"
	"CREATE TABLE users(id bigserial PRIMARY KEY,"
	" org bigint NOT NULL REFERENCES orgs(id),"
	" login_hash bytea NOT NULL UNIQUE, login_sealed text NOT NULL,"
	" display_sealed text, email_sealed text, phone_sealed text,"
	" dept_sealed text, roles integer NOT NULL, nda integer NOT NULL,"
	" pw_hash text, created_us bigint NOT NULL);"
	"CREATE INDEX users_org ON users(org);"
	"CREATE TABLE tokens(id bigint PRIMARY KEY,"
	" \"user\" bigint NOT NULL REFERENCES users(id), hash bytea NOT NULL,"
	" label text, created_us bigint NOT NULL);"
	"CREATE TABLE reports(id bigserial PRIMARY KEY, route integer NOT NULL,"
	" legal_duty integer NOT NULL, tlp integer NOT NULL, sector integer NOT NULL,"
	" state integer NOT NULL, submitter_org bigint, anonymised integer NOT NULL,"
	" anon_tag bytea, sealed_identity text, ceptoar_org bigint,"
	" r_number bigint UNIQUE, nversions integer NOT NULL,"
	" created_us bigint NOT NULL, updated_us bigint NOT NULL);"
	"CREATE INDEX reports_submitter ON reports(submitter_org);"
	"CREATE INDEX reports_anon ON reports(anonymised, id);"
	/* ord: insertion order, SQLite's rowid in ORDER BY. */
	"CREATE TABLE report_path(report bigint NOT NULL REFERENCES reports(id),"
	" org bigint NOT NULL, org_type integer NOT NULL, joined_us bigint NOT NULL,"
	" ord bigserial, PRIMARY KEY(report, org));"
	"CREATE INDEX report_path_org ON report_path(org, report);"
	"CREATE TABLE report_shares(report bigint NOT NULL REFERENCES reports(id),"
	" org bigint NOT NULL, by_org bigint NOT NULL, at_us bigint NOT NULL,"
	" ord bigserial, PRIMARY KEY(report, org));"
	"CREATE INDEX report_shares_org ON report_shares(org, report);"
	"CREATE TABLE report_extra(report bigint NOT NULL REFERENCES reports(id),"
	" org bigint NOT NULL, PRIMARY KEY(report, org));"
	"CREATE TABLE report_versions(report bigint NOT NULL REFERENCES reports(id),"
	" version integer NOT NULL, hop integer NOT NULL, form text,"
	" sealed_form text, by_org bigint, by_user bigint,"
	" created_us bigint NOT NULL, PRIMARY KEY(report, version, hop));"
	"CREATE TRIGGER report_versions_ro BEFORE UPDATE OR DELETE ON report_versions"
	" FOR EACH ROW EXECUTE FUNCTION cs_immutable('report versions are immutable');"
	"CREATE TRIGGER report_versions_ro_t BEFORE TRUNCATE ON report_versions"
	" FOR EACH STATEMENT EXECUTE FUNCTION cs_immutable('report versions are immutable');"
	"CREATE TABLE audit(seq bigint PRIMARY KEY, at_us bigint NOT NULL,"
	" \"user\" bigint, org bigint, action text NOT NULL, item text,"
	" detail text, prev bytea NOT NULL, hash bytea NOT NULL);"
	"CREATE INDEX audit_at ON audit(at_us);"
	"CREATE TRIGGER audit_ro BEFORE UPDATE OR DELETE ON audit"
	" FOR EACH ROW EXECUTE FUNCTION cs_immutable('the audit log is append-only');"
	"CREATE TRIGGER audit_ro_t BEFORE TRUNCATE ON audit"
	" FOR EACH STATEMENT EXECUTE FUNCTION cs_immutable('the audit log is append-only');",
	/* 2: advisories, deliveries, inbox events, widening requests */
	"ALTER TABLE orgs ADD COLUMN identifiers_sealed text;"
	"CREATE TABLE advisories(id bigserial PRIMARY KEY, t_number bigint UNIQUE,"
	" state integer NOT NULL, urgent integer NOT NULL, tlp integer NOT NULL,"
	" importance integer NOT NULL, sectors bigint NOT NULL,"
	" nversions integer NOT NULL, created_by bigint NOT NULL,"
	" approved_by bigint, created_us bigint NOT NULL, issued_us bigint,"
	" updated_us bigint NOT NULL);"
	"CREATE TABLE advisory_versions(advisory bigint NOT NULL"
	" REFERENCES advisories(id), version integer NOT NULL, form text NOT NULL,"
	" by_user bigint, created_us bigint NOT NULL,"
	" PRIMARY KEY(advisory, version));"
	"CREATE TRIGGER advisory_versions_ro BEFORE UPDATE OR DELETE ON advisory_versions"
	" FOR EACH ROW EXECUTE FUNCTION cs_immutable('advisory versions are immutable');"
	"CREATE TRIGGER advisory_versions_ro_t BEFORE TRUNCATE ON advisory_versions"
	" FOR EACH STATEMENT EXECUTE FUNCTION cs_immutable('advisory versions are immutable');"
	"CREATE TABLE advisory_related(advisory bigint NOT NULL"
	" REFERENCES advisories(id), report bigint NOT NULL REFERENCES reports(id),"
	" consent_named integer NOT NULL, PRIMARY KEY(advisory, report));"
	"CREATE TABLE deliveries(id bigserial PRIMARY KEY, advisory bigint NOT NULL"
	" REFERENCES advisories(id), org bigint NOT NULL, parent_org bigint,"
	" via text NOT NULL, delivered_us bigint NOT NULL, read_us bigint,"
	" ack_us bigint, ack_user bigint, reminded_us bigint,"
	" reminders integer NOT NULL DEFAULT 0, UNIQUE(advisory, org));"
	"CREATE INDEX deliveries_org ON deliveries(org, id);"
	"CREATE TABLE inbox_events(seq bigserial PRIMARY KEY, org bigint NOT NULL,"
	" advisory bigint NOT NULL, kind text NOT NULL, at_us bigint NOT NULL);"
	"CREATE INDEX inbox_events_org ON inbox_events(org, seq);"
	"CREATE TABLE widening_requests(id bigserial PRIMARY KEY,"
	" report bigint NOT NULL REFERENCES reports(id), tlp integer NOT NULL,"
	" sectors bigint NOT NULL, reason text, state integer NOT NULL,"
	" by_user bigint NOT NULL, by_org bigint NOT NULL,"
	" created_us bigint NOT NULL, decided_us bigint, decided_by_org bigint,"
	" decided_by_user bigint);"
	"CREATE INDEX widening_report ON widening_requests(report);",
	/* 3: notification channels and the outbox */
	"CREATE TABLE channels(id bigserial PRIMARY KEY, org bigint NOT NULL"
	" REFERENCES orgs(id), \"user\" bigint, kind integer NOT NULL,"
	" target_sealed text NOT NULL, secret_sealed text, active integer NOT NULL,"
	" created_us bigint NOT NULL);"
	"CREATE INDEX channels_org ON channels(org);"
	"CREATE TABLE notifications(id bigserial PRIMARY KEY, channel bigint NOT NULL"
	" REFERENCES channels(id), advisory bigint NOT NULL, event text NOT NULL,"
	" subject text NOT NULL, body text NOT NULL, attempts integer NOT NULL,"
	" next_us bigint NOT NULL, state integer NOT NULL, last_error text,"
	" created_us bigint NOT NULL, sent_us bigint);"
	"CREATE INDEX notifications_due ON notifications(state, next_us);",
	/* 4: indexes the benchmarks asked for */
	"CREATE INDEX orgs_type ON orgs(type, id);"
	"CREATE INDEX deliveries_unacked ON deliveries(advisory, id)"
	" WHERE ack_us IS NULL;"
	"CREATE INDEX advisories_alerts ON advisories(importance, state);",
	/* 5: a report's (immutable) sector beside each relation, for lists */
	"ALTER TABLE report_path ADD COLUMN sector integer NOT NULL DEFAULT -1;"
	"UPDATE report_path p SET sector = r.sector FROM reports r"
	" WHERE r.id = p.report;"
	"CREATE INDEX report_path_sector ON report_path(org, sector, report);"
	"ALTER TABLE report_shares ADD COLUMN sector integer NOT NULL DEFAULT -1;"
	"UPDATE report_shares s SET sector = r.sector FROM reports r"
	" WHERE r.id = s.report;"
	"CREATE INDEX report_shares_sector ON report_shares(org, sector, report);"
	"CREATE INDEX reports_submitter_sector ON reports(submitter_org, sector, id);",
};
#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* Schema bookkeeping, run with PQexec before the statements are prepared. */
static const char sql_migrate_lock[] =
    "SELECT pg_advisory_xact_lock(" CS_PG_LOCK_NS ", 0)";
static const char sql_version_table[] =
    "CREATE TABLE IF NOT EXISTS schema_version(version integer PRIMARY KEY,"
    " applied_us bigint NOT NULL)";
static const char sql_version_get[] =
    "SELECT COALESCE(max(version), 0) FROM schema_version";
static const char sql_version_put[] =
    "INSERT INTO schema_version(version, applied_us) VALUES ($1::integer,"
    " (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)";
static const char sql_session[] =
    "SET lock_timeout = '10s'; SET idle_in_transaction_session_timeout = '60s'";

enum stmt {
	S_BEGIN, S_COMMIT, S_ROLLBACK,
	S_SAVEPOINT, S_RELEASE, S_ROLLBACK_TO, S_MARK, S_UNMARK, S_UNDO,
	S_META_GET, S_META_SET, S_REF_PUT, S_REF_GET,
	S_COUNTER_NEXT,
	S_ORG_INSERT, S_ORG_GET, S_ORG_LIST, S_ORG_FIND, S_ORG_UPDATE,
	S_USER_INSERT, S_USER_GET, S_USER_BY_LOGIN, S_USER_LIST,
	S_TOKEN_INSERT, S_TOKEN_GET, S_TOKEN_PRINCIPAL, S_TOKEN_DELETE, S_TOKEN_LIST, S_USER_UPDATE,
	S_REPORT_INSERT, S_REPORT_UPDATE, S_REPORT_SET_ANON, S_REPORT_GET,
	S_REPORT_CANDIDATES,
	S_REPORT_CANDIDATES_SECTOR, S_REPORT_CANDIDATES_ANON,
	S_PATH_ADD, S_SHARE_ADD, S_EXTRA_ADD,
	S_VERSION_INSERT, S_VERSION_LIST,
	S_AUDIT_LOCK, S_AUDIT_LAST, S_AUDIT_INSERT, S_AUDIT_LIST,
	S_ADV_INSERT, S_ADV_UPDATE, S_ADV_GET, S_ADV_GET_LATEST, S_ADV_LIST,
	S_ADV_VERSION_INSERT, S_ADV_VERSION_LIST,
	S_ADV_RELATED_ADD, S_ADV_RELATED_LIST,
	S_DELIVERY_ADD, S_DELIVERY_ADD_MANY, S_DELIVERY_LIST, S_DELIVERY_GET,
	S_DELIVERY_INBOX, S_DELIVERY_READ,
	S_DELIVERY_ACK, S_DELIVERY_DUE, S_DELIVERY_REMINDED,
	S_EVENT_LOCK, S_EVENT_ADD, S_EVENT_LIST, S_EVENT_LAST,
	S_WIDEN_INSERT, S_WIDEN_UPDATE, S_WIDEN_GET, S_WIDEN_LIST,
	S_CHAN_INSERT, S_CHAN_GET, S_CHAN_LIST, S_CHAN_ACTIVE,
	S_NOTIF_INSERT, S_NOTIF_DUE, S_NOTIF_UPDATE, S_NOTIF_LIST,
	S__COUNT
};

/*
 * $n is SQLite's ?n.  Parameters whose type PostgreSQL cannot infer from a
 * column carry a cast.  A NULL LIMIT is no limit (SQLite's LIMIT -1).
 * "ON CONFLICT DO NOTHING RETURNING" on a plain INSERT: no row back is a
 * unique conflict (CS_ECONFLICT) that leaves the transaction usable.
 */
static const char *sql[S__COUNT] = {
	[S_BEGIN] = "BEGIN ISOLATION LEVEL READ COMMITTED",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_SAVEPOINT] = "SAVEPOINT cs_stmt",
	[S_RELEASE] = "RELEASE SAVEPOINT cs_stmt",
	[S_ROLLBACK_TO] = "ROLLBACK TO SAVEPOINT cs_stmt",
	[S_MARK] = "SAVEPOINT cs_req",
	[S_UNMARK] = "RELEASE SAVEPOINT cs_req",
	[S_UNDO] = "ROLLBACK TO SAVEPOINT cs_req",
	[S_META_GET] = "SELECT value FROM meta WHERE key = $1",
	[S_META_SET] = "INSERT INTO meta(key, value) VALUES ($1, $2)"
	    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	[S_REF_PUT] = "INSERT INTO refdata(name, json) VALUES ($1, $2)"
	    " ON CONFLICT (name) DO UPDATE SET json = excluded.json",
	[S_REF_GET] = "SELECT json FROM refdata WHERE name = $1",
	[S_COUNTER_NEXT] = "INSERT INTO counters(name, value) VALUES ($1, 1)"
	    " ON CONFLICT (name) DO UPDATE SET value = counters.value + 1"
	    " RETURNING value",
	[S_ORG_INSERT] = "INSERT INTO orgs(type, sectors, ceptoar, pre_arranged,"
	    " name_sealed, pk, wrapped_sk, created_us, identifiers_sealed)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
	[S_ORG_GET] = "SELECT id, type, sectors, ceptoar, pre_arranged, name_sealed,"
	    " pk, wrapped_sk, created_us, identifiers_sealed FROM orgs WHERE id = $1",
	[S_ORG_LIST] = "SELECT id, type, sectors, ceptoar, pre_arranged, name_sealed,"
	    " pk, wrapped_sk, created_us, identifiers_sealed FROM orgs WHERE id > $1"
	    " AND ($3::integer < 0 OR type = $3::integer)"
	    " AND ($4::bigint = 0 OR (sectors & $4::bigint) <> 0)"
	    " ORDER BY id LIMIT $2",
	/* One type: served by orgs_type (the OR above defeats the index). */
	[S_ORG_FIND] = "SELECT id, type, sectors, ceptoar, pre_arranged, name_sealed,"
	    " pk, wrapped_sk, created_us, identifiers_sealed FROM orgs"
	    " WHERE type = $3::integer AND id > $1"
	    " AND ($4::bigint = 0 OR (sectors & $4::bigint) <> 0)"
	    " ORDER BY id LIMIT $2",
	[S_ORG_UPDATE] = "UPDATE orgs SET name_sealed = $2, sectors = $3,"
	    " ceptoar = $4, pre_arranged = $5, identifiers_sealed = $6"
	    " WHERE id = $1 RETURNING id",
	[S_USER_INSERT] = "INSERT INTO users(org, login_hash, login_sealed,"
	    " display_sealed, email_sealed, phone_sealed, dept_sealed, roles, nda,"
	    " pw_hash, created_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
	    " $10, $11) ON CONFLICT DO NOTHING RETURNING id",
	[S_USER_GET] = "SELECT id, org, login_hash, login_sealed, display_sealed,"
	    " email_sealed, phone_sealed, dept_sealed, roles, nda, pw_hash,"
	    " created_us FROM users WHERE id = $1",
	[S_USER_BY_LOGIN] = "SELECT id, org, login_hash, login_sealed,"
	    " display_sealed, email_sealed, phone_sealed, dept_sealed, roles, nda,"
	    " pw_hash, created_us FROM users WHERE login_hash = $1",
	[S_USER_LIST] = "SELECT id, org, login_hash, login_sealed, display_sealed,"
	    " email_sealed, phone_sealed, dept_sealed, roles, nda, pw_hash,"
	    " created_us FROM users WHERE ($1::bigint = 0 OR org = $1::bigint)"
	    " AND id > $2 ORDER BY id LIMIT $3",
	[S_TOKEN_INSERT] = "INSERT INTO tokens(id, \"user\", hash, label, created_us)"
	    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id",
	[S_TOKEN_GET] = "SELECT id, \"user\", hash, label, created_us FROM tokens"
	    " WHERE id = $1",
	/* A bearer's token, user and organisation in one round trip. */
	[S_TOKEN_PRINCIPAL] = "SELECT t.id, t.\"user\", t.hash, t.label, t.created_us,"
	    " u.id, u.org, u.login_hash, u.login_sealed, u.display_sealed,"
	    " u.email_sealed, u.phone_sealed, u.dept_sealed, u.roles, u.nda,"
	    " u.pw_hash, u.created_us,"
	    " o.id, o.type, o.sectors, o.ceptoar, o.pre_arranged, o.name_sealed,"
	    " o.pk, o.wrapped_sk, o.created_us, o.identifiers_sealed"
	    " FROM tokens t LEFT JOIN users u ON u.id = t.\"user\""
	    " LEFT JOIN orgs o ON o.id = u.org WHERE t.id = $1",
	[S_TOKEN_DELETE] = "DELETE FROM tokens WHERE id = $1",
	[S_TOKEN_LIST] = "SELECT id, \"user\", hash, label, created_us FROM tokens"
	    " WHERE \"user\" = $1 ORDER BY id",
	[S_USER_UPDATE] = "UPDATE users SET display_sealed = $2, email_sealed = $3,"
	    " phone_sealed = $4, dept_sealed = $5, roles = $6, nda = $7,"
	    " pw_hash = $8 WHERE id = $1 RETURNING id",
	[S_REPORT_INSERT] = "INSERT INTO reports(route, legal_duty, tlp, sector,"
	    " state, submitter_org, anonymised, anon_tag, sealed_identity,"
	    " ceptoar_org, r_number, nversions, created_us, updated_us)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
	    " ON CONFLICT DO NOTHING RETURNING id",
	[S_REPORT_UPDATE] = "UPDATE reports SET state = $2, tlp = $3,"
	    " r_number = $4, nversions = $5, updated_us = $6 WHERE id = $1",
	[S_REPORT_SET_ANON] = "UPDATE reports SET anon_tag = $2,"
	    " sealed_identity = $3 WHERE id = $1",
	/*
	 * A report with its path, shares and extra recipients in one round
	 * trip: each list as "a,b,c;a,b,c" (integers only), in list order.
	 */
	[S_REPORT_GET] = "SELECT r.id, r.route, r.legal_duty, r.tlp, r.sector,"
	    " r.state, r.submitter_org, r.anonymised, r.anon_tag,"
	    " r.sealed_identity, r.ceptoar_org, r.r_number, r.nversions,"
	    " r.created_us, r.updated_us,"
	    " (SELECT string_agg(p.org || ',' || p.org_type || ',' || p.joined_us,"
	    "  ';' ORDER BY p.joined_us, p.ord) FROM report_path p"
	    "  WHERE p.report = r.id),"
	    " (SELECT string_agg(s.org || ',' || s.by_org || ',' || s.at_us,"
	    "  ';' ORDER BY s.at_us, s.ord) FROM report_shares s"
	    "  WHERE s.report = r.id),"
	    " (SELECT string_agg(x.org::text, ';' ORDER BY x.org)"
	    "  FROM report_extra x WHERE x.report = r.id)"
	    " FROM reports r WHERE r.id = $1",
	/* As sqlite.c: the newest `limit` of each relation, merged. */
	[S_REPORT_CANDIDATES] = "SELECT id FROM ("
	    " (SELECT id FROM reports WHERE submitter_org = $2::bigint"
	    "  AND id < $1 ORDER BY id DESC LIMIT $3)"
	    " UNION (SELECT report FROM report_path WHERE org = $2::bigint"
	    "  AND report < $1 ORDER BY report DESC LIMIT $3)"
	    " UNION (SELECT report FROM report_shares WHERE org = $2::bigint"
	    "  AND report < $1 ORDER BY report DESC LIMIT $3)) c"
	    " ORDER BY id DESC LIMIT $3",
	[S_REPORT_CANDIDATES_SECTOR] = "SELECT id FROM ("
	    " (SELECT id FROM reports WHERE submitter_org = $2::bigint"
	    "  AND sector = $4::integer AND id < $1 ORDER BY id DESC LIMIT $3)"
	    " UNION (SELECT report FROM report_path WHERE org = $2::bigint"
	    "  AND sector = $4::integer AND report < $1"
	    "  ORDER BY report DESC LIMIT $3)"
	    " UNION (SELECT report FROM report_shares WHERE org = $2::bigint"
	    "  AND sector = $4::integer AND report < $1"
	    "  ORDER BY report DESC LIMIT $3)) c"
	    " ORDER BY id DESC LIMIT $3",
	[S_REPORT_CANDIDATES_ANON] = "SELECT id FROM reports WHERE anonymised = 1"
	    " AND id < $1 AND ($3::integer < 0 OR sector = $3::integer)"
	    " ORDER BY id DESC LIMIT $2",
	[S_PATH_ADD] = "INSERT INTO report_path(report, org, org_type, joined_us,"
	    " sector) SELECT $1, $2, $3, $4, sector FROM reports WHERE id = $1"
	    " ON CONFLICT DO NOTHING",
	[S_SHARE_ADD] = "INSERT INTO report_shares(report, org, by_org, at_us,"
	    " sector) SELECT $1, $2, $3, $4, sector FROM reports WHERE id = $1"
	    " ON CONFLICT DO NOTHING",
	[S_EXTRA_ADD] = "INSERT INTO report_extra(report, org) VALUES ($1, $2)"
	    " ON CONFLICT DO NOTHING",
	[S_VERSION_INSERT] = "INSERT INTO report_versions(report, version, hop,"
	    " form, sealed_form, by_org, by_user, created_us)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
	    " ON CONFLICT DO NOTHING RETURNING 1",
	[S_VERSION_LIST] = "SELECT report, version, hop, form, sealed_form,"
	    " by_org, by_user, created_us FROM report_versions WHERE report = $1"
	    " ORDER BY version, hop",
	[S_AUDIT_LOCK] = "SELECT pg_advisory_xact_lock(" CS_PG_LOCK_NS ", 1)",
	[S_AUDIT_LAST] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
	[S_AUDIT_INSERT] = "INSERT INTO audit(seq, at_us, \"user\", org, action,"
	    " item, detail, prev, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
	    " ON CONFLICT DO NOTHING RETURNING 1",
	[S_AUDIT_LIST] = "SELECT seq, at_us, \"user\", org, action, item, detail,"
	    " prev, hash FROM audit WHERE seq > $1 AND at_us >= $2 ORDER BY seq"
	    " LIMIT $3",
	[S_ADV_INSERT] = "INSERT INTO advisories(t_number, state, urgent, tlp,"
	    " importance, sectors, nversions, created_by, approved_by, created_us,"
	    " issued_us, updated_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
	    " $10, $11, $12) ON CONFLICT DO NOTHING RETURNING id",
	[S_ADV_UPDATE] = "UPDATE advisories SET state = $2, tlp = $3,"
	    " importance = $4, sectors = $5, nversions = $6, approved_by = $7,"
	    " issued_us = $8, updated_us = $9, t_number = $10 WHERE id = $1",
	[S_ADV_GET] = "SELECT id, t_number, state, urgent, tlp, importance, sectors,"
	    " nversions, created_by, approved_by, created_us, issued_us, updated_us"
	    " FROM advisories WHERE id = $1",
	[S_ADV_GET_LATEST] = "SELECT a.id, a.t_number, a.state, a.urgent, a.tlp,"
	    " a.importance, a.sectors, a.nversions, a.created_by, a.approved_by,"
	    " a.created_us, a.issued_us, a.updated_us, v.advisory, v.version,"
	    " v.form, v.by_user, v.created_us FROM advisories a"
	    " LEFT JOIN advisory_versions v ON v.advisory = a.id AND v.version ="
	    " (SELECT max(version) FROM advisory_versions WHERE advisory = a.id)"
	    " WHERE a.id = $1",
	[S_ADV_LIST] = "SELECT id, t_number, state, urgent, tlp, importance, sectors,"
	    " nversions, created_by, approved_by, created_us, issued_us, updated_us"
	    " FROM advisories WHERE id < $1 ORDER BY id DESC LIMIT $2",
	[S_ADV_VERSION_INSERT] = "INSERT INTO advisory_versions(advisory, version,"
	    " form, by_user, created_us) VALUES ($1, $2, $3, $4, $5)"
	    " ON CONFLICT DO NOTHING RETURNING 1",
	[S_ADV_VERSION_LIST] = "SELECT advisory, version, form, by_user, created_us"
	    " FROM advisory_versions WHERE advisory = $1 ORDER BY version",
	[S_ADV_RELATED_ADD] = "INSERT INTO advisory_related(advisory, report,"
	    " consent_named) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
	[S_ADV_RELATED_LIST] = "SELECT report, consent_named FROM advisory_related"
	    " WHERE advisory = $1 ORDER BY report",
	[S_DELIVERY_ADD] = "INSERT INTO deliveries(advisory, org, parent_org, via,"
	    " delivered_us) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"
	    " RETURNING id",
	/* Deliveries and their inbox events for an array of orgs, in order. */
	[S_DELIVERY_ADD_MANY] = "WITH ins AS (INSERT INTO deliveries(advisory,"
	    " org, parent_org, via, delivered_us) SELECT $1, u.o, $2::bigint, $3,"
	    " $4 FROM unnest($5::bigint[]) WITH ORDINALITY AS u(o, i) ORDER BY u.i"
	    " ON CONFLICT DO NOTHING RETURNING org),"
	    " ev AS (INSERT INTO inbox_events(org, advisory, kind, at_us)"
	    " SELECT org, $1, 'delivered', $4 FROM ins ORDER BY org RETURNING org)"
	    " SELECT org FROM ev ORDER BY org",
	[S_DELIVERY_LIST] = "SELECT id, advisory, org, parent_org, via, delivered_us,"
	    " read_us, ack_us, ack_user, reminded_us, reminders FROM deliveries"
	    " WHERE advisory = $1 ORDER BY id",
	[S_DELIVERY_GET] = "SELECT id, advisory, org, parent_org, via, delivered_us,"
	    " read_us, ack_us, ack_user, reminded_us, reminders FROM deliveries"
	    " WHERE advisory = $1 AND org = $2",
	[S_DELIVERY_INBOX] = "SELECT id, advisory, org, parent_org, via,"
	    " delivered_us, read_us, ack_us, ack_user, reminded_us, reminders"
	    " FROM deliveries WHERE org = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
	[S_DELIVERY_READ] = "UPDATE deliveries SET read_us = $3 WHERE advisory = $1"
	    " AND org = $2 AND read_us IS NULL",
	[S_DELIVERY_ACK] = "UPDATE deliveries SET ack_us = $3, ack_user = $4,"
	    " read_us = COALESCE(read_us, $3) WHERE advisory = $1 AND org = $2"
	    " AND ack_us IS NULL",
	[S_DELIVERY_DUE] = "SELECT d.id, d.advisory, d.org, d.parent_org, d.via,"
	    " d.delivered_us, d.read_us, d.ack_us, d.ack_user, d.reminded_us,"
	    " d.reminders FROM deliveries d JOIN advisories a ON a.id = d.advisory"
	    " WHERE a.state = 1 AND a.importance = 1 AND d.ack_us IS NULL"
	    " AND COALESCE(d.reminded_us, d.delivered_us) < $1 ORDER BY d.id LIMIT $2",
	[S_DELIVERY_REMINDED] = "UPDATE deliveries SET reminded_us = $2,"
	    " reminders = reminders + 1 WHERE id = $1",
	[S_EVENT_LOCK] = "SELECT pg_advisory_xact_lock(" CS_PG_LOCK_NS ", 2)",
	[S_EVENT_ADD] = "INSERT INTO inbox_events(org, advisory, kind, at_us)"
	    " VALUES ($1, $2, $3, $4) RETURNING seq",
	[S_EVENT_LIST] = "SELECT seq, org, advisory, kind, at_us FROM inbox_events"
	    " WHERE org = $1 AND seq > $2 ORDER BY seq LIMIT $3",
	[S_EVENT_LAST] = "SELECT COALESCE(max(seq), 0) FROM inbox_events"
	    " WHERE org = $1",
	[S_WIDEN_INSERT] = "INSERT INTO widening_requests(report, tlp, sectors,"
	    " reason, state, by_user, by_org, created_us) VALUES ($1, $2, $3, $4,"
	    " $5, $6, $7, $8) RETURNING id",
	[S_WIDEN_UPDATE] = "UPDATE widening_requests SET state = $2,"
	    " decided_us = $3, decided_by_org = $4, decided_by_user = $5"
	    " WHERE id = $1",
	[S_WIDEN_GET] = "SELECT id, report, tlp, sectors, reason, state, by_user,"
	    " by_org, created_us, decided_us, decided_by_org, decided_by_user"
	    " FROM widening_requests WHERE id = $1",
	[S_WIDEN_LIST] = "SELECT id, report, tlp, sectors, reason, state, by_user,"
	    " by_org, created_us, decided_us, decided_by_org, decided_by_user"
	    " FROM widening_requests WHERE ($1::bigint = 0 OR report = $1::bigint)"
	    " AND id > $2 ORDER BY id LIMIT $3",
	[S_CHAN_INSERT] = "INSERT INTO channels(org, \"user\", kind, target_sealed,"
	    " secret_sealed, active, created_us) VALUES ($1, $2, $3, $4, $5, $6, $7)"
	    " RETURNING id",
	[S_CHAN_GET] = "SELECT id, org, \"user\", kind, target_sealed, secret_sealed,"
	    " active, created_us FROM channels WHERE id = $1",
	[S_CHAN_LIST] = "SELECT id, org, \"user\", kind, target_sealed, secret_sealed,"
	    " active, created_us FROM channels WHERE ($1::bigint = 0 OR"
	    " org = $1::bigint) AND id > $2 ORDER BY id LIMIT $3",
	[S_CHAN_ACTIVE] = "UPDATE channels SET active = $2 WHERE id = $1",
	[S_NOTIF_INSERT] = "INSERT INTO notifications(channel, advisory, event,"
	    " subject, body, attempts, next_us, state, last_error, created_us,"
	    " sent_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
	    " RETURNING id",
	[S_NOTIF_DUE] = "SELECT id, channel, advisory, event, subject, body,"
	    " attempts, next_us, state, last_error, created_us, sent_us"
	    " FROM notifications WHERE state = 0 AND next_us <= $1"
	    " ORDER BY next_us, id LIMIT $2",
	[S_NOTIF_UPDATE] = "UPDATE notifications SET attempts = $2, next_us = $3,"
	    " state = $4, last_error = $5, sent_us = $6 WHERE id = $1",
	[S_NOTIF_LIST] = "SELECT n.id, n.channel, n.advisory, n.event, n.subject,"
	    " n.body, n.attempts, n.next_us, n.state, n.last_error, n.created_us,"
	    " n.sent_us FROM notifications n JOIN channels c ON c.id = n.channel"
	    " WHERE ($1::bigint = 0 OR c.org = $1::bigint)"
	    " AND ($2::integer < 0 OR n.state = $2::integer)"
	    " AND n.id > $3 ORDER BY n.id LIMIT $4",
};

struct pg {
	PGconn		*conn;
	pthread_mutex_t	 lock;		/* recursive: held from begin to end */
	int		 in_tx;
	bool		 ready;		/* session set up, statements prepared */
	bool		 failed;	/* a statement failed: the tx is aborted */
	bool		 audit_locked;	/* this tx holds the chain lock */
	bool		 events_locked;	/* this tx holds the inbox-event lock */
	bool		 reader;	/* a snapshot connection (read only) */
	char		*url;		/* to open readers with */
};

/* ---- parameters and results ------------------------------------------- */

#define PG_MAXPARAM 16

/* Parameters of one statement; fill in $1, $2, ... order. */
struct params {
	int		 n;
	const char	*val[PG_MAXPARAM];
	int		 len[PG_MAXPARAM];
	int		 fmt[PG_MAXPARAM];
	char		 num[PG_MAXPARAM][24];
};

static struct params *
p_next(struct params *p, const char *v, int len, int fmt)
{
	if (p->n >= PG_MAXPARAM)
		fatalx("pg: too many statement parameters");
	p->val[p->n] = v;
	p->len[p->n] = len;
	p->fmt[p->n] = fmt;
	p->n++;
	return p;
}

static void
p_null(struct params *p)
{
	(void)p_next(p, NULL, 0, 0);
}

static void
p_i64(struct params *p, int64_t v)
{
	if (p->n >= PG_MAXPARAM)
		fatalx("pg: too many statement parameters");
	cs_fmt(p->num[p->n], sizeof(p->num[0]), "%lld", (long long)v);
	(void)p_next(p, p->num[p->n], 0, 0);
}

/* An id or time where 0 means "none": NULL, as sqlite.c's bind_id. */
static void
p_id(struct params *p, int64_t v)
{
	if (v == 0)
		p_null(p);
	else
		p_i64(p, v);
}

static void
p_text(struct params *p, const char *v)
{
	(void)p_next(p, v, 0, 0);
}

/* Binary bytea: the bytes as they are, no escaping. */
static void
p_blob(struct params *p, const unsigned char *b, size_t n)
{
	(void)p_next(p, (const char *)b, (int)n, 1);
}

/* A negative limit is no limit, as in SQLite. */
static void
p_limit(struct params *p, int limit)
{
	if (limit < 0)
		p_null(p);
	else
		p_i64(p, limit);
}

static int64_t
g_i64(const PGresult *r, int row, int col)
{
	int64_t v;

	if (PQgetisnull(r, row, col) || cs_str_to_i64(PQgetvalue(r, row, col),
	    INT64_MIN, INT64_MAX, &v) != CS_OK)
		return 0;
	return v;
}

static int
g_int(const PGresult *r, int row, int col)
{
	return (int)g_i64(r, row, col);
}

static char *
g_text(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : xstrdup(PQgetvalue(r, row, col));
}

/* A sealed column opened (NULL if NULL or if it does not open). */
static char *
g_open(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL :
	    core_open_text(PQgetvalue(r, row, col));
}

static void
g_str(const PGresult *r, int row, int col, char *buf, size_t sz)
{
	(void)cs_strlcpy(buf, PQgetisnull(r, row, col) ? "" :
	    PQgetvalue(r, row, col), sz);
}

static void
g_blob32(const PGresult *r, int row, int col, unsigned char out[32], bool *has)
{
	unsigned char *b = NULL;
	size_t n = 0;

	if (!PQgetisnull(r, row, col))
		b = PQunescapeBytea((const unsigned char *)PQgetvalue(r, row, col),
		    &n);
	if (b != NULL && n == 32) {
		memcpy(out, b, 32);
		if (has != NULL)
			*has = true;
	} else {
		memset(out, 0, 32);
		if (has != NULL)
			*has = false;
	}
	if (b != NULL)
		PQfreemem(b);
}

/* Collect the rows of r into a new array through `row`; consumes r. */
#define COLLECT(r, T, row, out, n) do {					\
	int nt_ = PQntuples(r);						\
	T *v_ = nt_ > 0 ? xcalloc((size_t)nt_, sizeof(*v_)) : NULL;	\
	for (int i_ = 0; i_ < nt_; i_++)				\
		row((r), i_, &v_[i_]);					\
	PQclear(r);							\
	*(out) = v_;							\
	*(n) = (size_t)nt_;						\
} while (0)

/* ---- running statements ------------------------------------------------ */

static void
stmt_name(enum stmt i, char buf[16])
{
	cs_fmt(buf, 16, "cs_s%d", (int)i);
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
result_error(struct pg *q, const PGresult *r, enum stmt i)
{
	const char *state = r != NULL ?
	    PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	char msg[160];

	if (state != NULL && strncmp(state, "23", 2) == 0)
		return CS_ECONFLICT;
	result_msg(q, r, msg, sizeof(msg));
	log_warn("event=pg_error stmt=%d sqlstate=%s msg=\"%s\"", (int)i,
	    state != NULL ? state : "-", msg);
	return CS_ESTORE;
}

/*
 * Runs prepared statement i.  Returns the result (the caller PQclear()s it)
 * or NULL with *rc set; a failure inside a transaction marks it failed.
 */
static PGresult *
run(struct pg *q, enum stmt i, const struct params *p, enum cs_err *rc)
{
	static const struct params none;
	PGresult *r;
	char name[16];
	ExecStatusType st;

	if (p == NULL)
		p = &none;
	pthread_mutex_lock(&q->lock);
	if (q->failed || !q->ready) {
		pthread_mutex_unlock(&q->lock);
		*rc = CS_ESTORE;
		return NULL;
	}
	stmt_name(i, name);
	r = PQexecPrepared(q->conn, name, p->n, p->val, p->len, p->fmt, 0);
	st = PQresultStatus(r);
	if (r != NULL && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)) {
		pthread_mutex_unlock(&q->lock);
		*rc = CS_OK;
		return r;
	}
	*rc = result_error(q, r, i);
	PQclear(r);
	if (q->in_tx)
		q->failed = true;
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/* A statement whose rows, if any, do not matter. */
static enum cs_err
exec_done(struct pg *q, enum stmt i, const struct params *p)
{
	enum cs_err rc;

	PQclear(run(q, i, p, &rc));
	return rc;
}

/*
 * An INSERT ... ON CONFLICT DO NOTHING RETURNING standing for a plain
 * INSERT: no row back is a unique conflict.  *id gets the returned value.
 */
static enum cs_err
exec_insert(struct pg *q, enum stmt i, const struct params *p, int64_t *id)
{
	enum cs_err rc;
	PGresult *r = run(q, i, p, &rc);

	if (r == NULL)
		return rc;
	if (PQntuples(r) == 0)
		rc = CS_ECONFLICT;
	else if (id != NULL)
		*id = g_i64(r, 0, 0);
	PQclear(r);
	return rc;
}

/*
 * A statement that may fail on its own (a unique key in an UPDATE) without
 * aborting the transaction: under a savepoint, as SQLite's statement-level
 * rollback.
 */
static enum cs_err
exec_guarded(struct pg *q, enum stmt i, const struct params *p)
{
	enum cs_err rc;

	pthread_mutex_lock(&q->lock);
	if (!q->in_tx) {
		rc = exec_done(q, i, p);
		goto out;
	}
	if ((rc = exec_done(q, S_SAVEPOINT, NULL)) != CS_OK)
		goto out;
	if ((rc = exec_done(q, i, p)) == CS_OK) {
		rc = exec_done(q, S_RELEASE, NULL);
		goto out;
	}
	q->failed = false;
	if (exec_done(q, S_ROLLBACK_TO, NULL) != CS_OK)
		q->failed = true;
out:
	pthread_mutex_unlock(&q->lock);
	return rc;
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
static enum cs_err
simple(struct pg *q, const char *cmd, const char *what, struct cs_error *e)
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

/* The number of migrations applied (0 when there is no schema yet); -1 on error. */
static int
schema_applied(struct pg *q, bool missing_ok)
{
	PGresult *r = PQexec(q->conn, sql_version_get);
	const char *state;
	int64_t v = -1;

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = g_i64(r, 0, 0);
	else if (missing_ok && r != NULL &&
	    (state = PQresultErrorField(r, PG_DIAG_SQLSTATE)) != NULL &&
	    strcmp(state, "42P01") == 0)
		v = 0;
	PQclear(r);
	return v < 0 || v > 1000000 ? -1 : (int)v;
}

/* Applies the missing migrations, each in its own transaction, in order. */
static enum cs_err
migrate(struct pg *q, struct cs_error *e)
{
	enum cs_err rc;
	char what[32];
	int v;

	for (;;) {
		if ((rc = simple(q, "BEGIN", "migrate", e)) != CS_OK)
			return rc;
		if ((rc = simple(q, sql_migrate_lock, "migration lock", e)) != CS_OK ||
		    (rc = simple(q, sql_version_table, "schema_version", e)) != CS_OK)
			goto fail;
		if ((v = schema_applied(q, false)) < 0) {
			rc = cs_fail(e, CS_ESTORE, "db", "cannot read schema_version");
			goto fail;
		}
		if (v > NMIGRATIONS) {
			rc = cs_fail(e, CS_ESTORE, "db", "database schema %d is newer "
			    "than this cishared (%d)", v, NMIGRATIONS);
			goto fail;
		}
		if (v == NMIGRATIONS)
			return simple(q, "COMMIT", "migrate", e);
		cs_fmt(what, sizeof(what), "migration %d", v + 1);
		if ((rc = simple(q, migrations[v], what, e)) != CS_OK)
			goto fail;
		{
			char num[16];
			const char *vals[1] = { num };
			PGresult *r;

			cs_fmt(num, sizeof(num), "%d", v + 1);
			r = PQexecParams(q->conn, sql_version_put, 1, NULL, vals,
			    NULL, NULL, 0);
			if (PQresultStatus(r) != PGRES_COMMAND_OK) {
				PQclear(r);
				rc = cs_fail(e, CS_ESTORE, "db", "%s: cannot record "
				    "it", what);
				goto fail;
			}
			PQclear(r);
		}
		if ((rc = simple(q, "COMMIT", what, e)) != CS_OK)
			return rc;
	}
fail:
	PQclear(PQexec(q->conn, "ROLLBACK"));
	return rc;
}

/* Session settings and prepared statements for a fresh connection. */
static enum cs_err
session_setup(struct pg *q, struct cs_error *e)
{
	enum cs_err rc;
	char name[16];

	q->ready = false;
	if (PQsetClientEncoding(q->conn, "UTF8") != 0)
		return cs_fail(e, CS_ESTORE, "db", "cannot use UTF8: %s",
		    PQerrorMessage(q->conn));
	if ((rc = simple(q, sql_session, "session settings", e)) != CS_OK)
		return rc;
	for (int i = 0; i < S__COUNT; i++) {
		PGresult *r;
		char msg[160];

		stmt_name((enum stmt)i, name);
		r = PQprepare(q->conn, name, sql[i], 0, NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			result_msg(q, r, msg, sizeof(msg));
			PQclear(r);
			return cs_fail(e, CS_ESTORE, "db", "prepare %d: %s", i, msg);
		}
		PQclear(r);
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
		if ((rc = migrate(q, e)) != CS_OK)
			goto out;
	} else if ((v = schema_applied(q, true)) != NMIGRATIONS) {
		rc = cs_fail(e, CS_ESTORE, "db", "database at schema %d, expected "
		    "%d: run 'cishared init' on it", v, NMIGRATIONS);
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
	return NMIGRATIONS;
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
	enum cs_err rc;

	pthread_mutex_lock(&q->lock);
	if (q->in_tx) {
		/* Nested begin: an error, as in SQLite. */
		pthread_mutex_unlock(&q->lock);
		return CS_ESTORE;
	}
	q->failed = false;
	if ((rc = ensure_conn(q)) == CS_OK &&
	    (rc = exec_done(q, S_BEGIN, NULL)) != CS_OK &&
	    PQstatus(q->conn) != CONNECTION_OK) {
		/* Dropped since the last transaction: once more, reconnected. */
		if ((rc = ensure_conn(q)) == CS_OK)
			rc = exec_done(q, S_BEGIN, NULL);
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
		/* A snapshot: one consistent view, no locks, no writes. */
		if ((rc = simple(q, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ,"
		    " READ ONLY", "begin_snapshot", NULL)) != CS_OK) {
			(void)exec_done(q, S_ROLLBACK, NULL);
			tx_end(q);
		}
		pthread_mutex_unlock(&q->lock);
		return rc;
	}
	/*
	 * Serialise transactions across daemons, as store.c does within one:
	 * handlers read a state, decide, then write (approve, widening
	 * answers), and nearly every request appends to the audit chain
	 * anyway, whose lock this is.  A batch of reads (audit entries only)
	 * need not wait for the WAL flush.
	 */
	if ((rc = exec_done(q, S_AUDIT_LOCK, NULL)) != CS_OK ||
	    (!durable && (rc = simple(q, "SET LOCAL synchronous_commit = off",
	    "begin_read", NULL)) != CS_OK)) {
		/* A failed begin leaves no transaction and no lock behind. */
		q->failed = false;
		(void)exec_done(q, S_ROLLBACK, NULL);
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
		(void)exec_done(q, S_ROLLBACK, NULL);
		tx_end(q);
		pthread_mutex_unlock(&q->lock);
		return CS_ESTORE;
	}
	r = run(q, S_COMMIT, NULL, &rc);
	if (r != NULL && strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		log_warn("event=pg_commit_failed status=%s", PQcmdStatus(r));
		rc = CS_ESTORE;
	}
	PQclear(r);
	if (rc != CS_OK) {
		q->failed = false;
		(void)exec_done(q, S_ROLLBACK, NULL);
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
		(void)exec_done(q, S_ROLLBACK, NULL);
		tx_end(q);
	}
	pthread_mutex_unlock(&q->lock);
}

static enum cs_err
pg_mark(void *ctx)
{
	return exec_done(ctx, S_MARK, NULL);
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
	if (keep && !q->failed && (rc = exec_done(q, S_UNMARK, NULL)) == CS_OK)
		goto out;
	if (keep)
		rc = CS_ESTORE;
	q->failed = false;
	if (exec_done(q, S_UNDO, NULL) != CS_OK ||
	    exec_done(q, S_UNMARK, NULL) != CS_OK)
		rc = CS_ESTORE;
out:
	pthread_mutex_unlock(&q->lock);
	return rc;
}

/* ---- meta ------------------------------------------------------------- */

static enum cs_err
get_text1(struct pg *q, enum stmt i, const char *key, char **val)
{
	struct params p = { 0 };
	enum cs_err rc;
	PGresult *r;

	p_text(&p, key);
	if ((r = run(q, i, &p, &rc)) == NULL)
		return rc;
	if (PQntuples(r) > 0)
		*val = g_text(r, 0, 0);
	else
		rc = CS_ENOENT;
	PQclear(r);
	return rc;
}

static enum cs_err
put_text2(struct pg *q, enum stmt i, const char *a, const char *b)
{
	struct params p = { 0 };

	p_text(&p, a);
	p_text(&p, b);
	return exec_done(q, i, &p);
}

static enum cs_err
pg_meta_get(void *ctx, const char *k, char **v)
{
	return get_text1(ctx, S_META_GET, k, v);
}

static enum cs_err
pg_meta_set(void *ctx, const char *k, const char *v)
{
	return put_text2(ctx, S_META_SET, k, v);
}

static enum cs_err
pg_ref_put(void *ctx, const char *k, const char *v)
{
	return put_text2(ctx, S_REF_PUT, k, v);
}

static enum cs_err
pg_ref_get(void *ctx, const char *k, char **v)
{
	return get_text1(ctx, S_REF_GET, k, v);
}

/* One atomic upsert: the row lock it takes is held to commit. */
static enum cs_err
pg_counter_next(void *ctx, const char *name, int64_t *out)
{
	struct params p = { 0 };
	enum cs_err rc;
	PGresult *r;

	p_text(&p, name);
	if ((r = run(ctx, S_COUNTER_NEXT, &p, &rc)) == NULL)
		return CS_ESTORE;
	if (PQntuples(r) == 1)
		*out = g_i64(r, 0, 0);
	else
		rc = CS_ESTORE;
	PQclear(r);
	return rc;
}

/* ---- directory -------------------------------------------------------- */

static char *
seal_or_null(const char *s)
{
	return s == NULL ? NULL : core_seal_text(s);
}

static enum cs_err
pg_org_insert(void *ctx, struct store_org *o)
{
	struct params p = { 0 };
	char *name = core_seal_text(o->name ? o->name : "");
	char *idents = seal_or_null(o->identifiers);
	int64_t id = 0;
	enum cs_err rc;

	p_i64(&p, (int64_t)o->type);
	p_i64(&p, o->sectors);
	p_id(&p, o->ceptoar);
	p_i64(&p, o->pre_arranged);
	p_text(&p, name);
	if (o->has_pk)
		p_blob(&p, o->pk, 32);
	else
		p_null(&p);
	p_text(&p, o->wrapped_sk);
	p_i64(&p, o->created_us);
	p_text(&p, idents);
	rc = exec_insert(ctx, S_ORG_INSERT, &p, &id);
	free(idents);
	free(name);
	if (rc == CS_OK)
		o->id = id;
	return rc;
}

static void
org_row_at(const PGresult *r, int i, int b, struct store_org *o)
{
	memset(o, 0, sizeof(*o));
	o->id = g_i64(r, i, b);
	o->type = (enum cs_org_type)g_int(r, i, b + 1);
	o->sectors = (uint32_t)g_i64(r, i, b + 2);
	o->ceptoar = g_i64(r, i, b + 3);
	o->pre_arranged = g_int(r, i, b + 4) != 0;
	o->name = g_open(r, i, b + 5);
	if (o->name == NULL)
		o->name = xstrdup("");
	g_blob32(r, i, b + 6, o->pk, &o->has_pk);
	o->wrapped_sk = g_text(r, i, b + 7);
	o->created_us = g_i64(r, i, b + 8);
	o->identifiers = g_open(r, i, b + 9);
}

static void
org_row(const PGresult *r, int i, struct store_org *o)
{
	org_row_at(r, i, 0, o);
}

/* The first row of a by-id lookup through `row`; CS_ENOENT when none. */
#define GET_ONE(q, stmt, params, row, out) do {				\
	enum cs_err rc_;						\
	PGresult *r_ = run((q), (stmt), (params), &rc_);		\
	if (r_ == NULL)							\
		return rc_;						\
	if (PQntuples(r_) > 0)						\
		row(r_, 0, (out));					\
	else								\
		rc_ = CS_ENOENT;					\
	PQclear(r_);							\
	return rc_;							\
} while (0)

/* All rows of a list statement through `row`. */
#define GET_ALL(q, stmt, params, T, row, out, n) do {			\
	enum cs_err rc_;						\
	PGresult *r_ = run((q), (stmt), (params), &rc_);		\
	if (r_ == NULL)							\
		return rc_;						\
	COLLECT(r_, T, row, out, n);					\
	return CS_OK;							\
} while (0)

static enum cs_err
pg_org_get(void *ctx, int64_t id, struct store_org *o)
{
	struct params p = { 0 };

	p_i64(&p, id);
	GET_ONE(ctx, S_ORG_GET, &p, org_row, o);
}

/* Name, sectors, ceptoar, pre_arranged, identifiers; CS_ENOENT if no such org. */
static enum cs_err
pg_org_update(void *ctx, const struct store_org *o)
{
	struct params p = { 0 };
	char *name = core_seal_text(o->name ? o->name : "");
	char *idents = seal_or_null(o->identifiers);
	enum cs_err rc;
	PGresult *r;

	p_i64(&p, o->id);
	p_text(&p, name);
	p_i64(&p, o->sectors);
	p_id(&p, o->ceptoar);
	p_i64(&p, o->pre_arranged);
	p_text(&p, idents);
	if ((r = run(ctx, S_ORG_UPDATE, &p, &rc)) != NULL) {
		if (PQntuples(r) == 0)
			rc = CS_ENOENT;
		PQclear(r);
	}
	free(name);
	free(idents);
	return rc;
}

static enum cs_err
pg_org_list(void *ctx, int64_t after, int limit, int type, uint32_t sectors,
    struct store_org **out, size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, after);
	p_limit(&p, limit);
	p_i64(&p, type);
	p_i64(&p, sectors);
	GET_ALL(ctx, type < 0 ? S_ORG_LIST : S_ORG_FIND, &p, struct store_org,
	    org_row, out, n);
}

static enum cs_err
pg_user_insert(void *ctx, struct store_user *u)
{
	struct params p = { 0 };
	char *f[5];
	int64_t id = 0;
	enum cs_err rc;

	f[0] = core_seal_text(u->login);
	f[1] = seal_or_null(u->display_name);
	f[2] = seal_or_null(u->email);
	f[3] = seal_or_null(u->phone);
	f[4] = seal_or_null(u->department);
	p_i64(&p, u->org);
	p_blob(&p, u->login_hash, 32);
	for (int i = 0; i < 5; i++)
		p_text(&p, f[i]);
	p_i64(&p, u->roles);
	p_i64(&p, u->nda_contractor);
	p_text(&p, u->pw_hash);
	p_i64(&p, u->created_us);
	rc = exec_insert(ctx, S_USER_INSERT, &p, &id);
	for (int i = 0; i < 5; i++)
		free(f[i]);
	if (rc == CS_OK)
		u->id = id;
	return rc;
}

static void
user_row_at(const PGresult *r, int i, int b, struct store_user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = g_i64(r, i, b);
	u->org = g_i64(r, i, b + 1);
	g_blob32(r, i, b + 2, u->login_hash, NULL);
	u->login = g_open(r, i, b + 3);
	if (u->login == NULL)
		u->login = xstrdup("");
	u->display_name = g_open(r, i, b + 4);
	u->email = g_open(r, i, b + 5);
	u->phone = g_open(r, i, b + 6);
	u->department = g_open(r, i, b + 7);
	u->roles = (unsigned)g_int(r, i, b + 8);
	u->nda_contractor = g_int(r, i, b + 9) != 0;
	u->pw_hash = g_text(r, i, b + 10);
	u->created_us = g_i64(r, i, b + 11);
}

static void
user_row(const PGresult *r, int i, struct store_user *u)
{
	user_row_at(r, i, 0, u);
}

static enum cs_err
pg_user_get(void *ctx, int64_t id, struct store_user *u)
{
	struct params p = { 0 };

	p_i64(&p, id);
	GET_ONE(ctx, S_USER_GET, &p, user_row, u);
}

static enum cs_err
pg_user_by_login(void *ctx, const unsigned char *h, struct store_user *u)
{
	struct params p = { 0 };

	p_blob(&p, h, 32);
	GET_ONE(ctx, S_USER_BY_LOGIN, &p, user_row, u);
}

static enum cs_err
pg_user_list(void *ctx, int64_t org, int64_t after, int limit,
    struct store_user **out, size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, org);
	p_i64(&p, after);
	p_limit(&p, limit);
	GET_ALL(ctx, S_USER_LIST, &p, struct store_user, user_row, out, n);
}

static enum cs_err
pg_token_insert(void *ctx, struct store_token *t)
{
	struct params p = { 0 };

	p_i64(&p, t->id);
	p_i64(&p, t->user);
	p_blob(&p, t->hash, 32);
	p_text(&p, t->label);
	p_i64(&p, t->created_us);
	return exec_insert(ctx, S_TOKEN_INSERT, &p, NULL);
}

static void
token_row_at(const PGresult *r, int i, int b, struct store_token *t)
{
	memset(t, 0, sizeof(*t));
	t->id = g_i64(r, i, b);
	t->user = g_i64(r, i, b + 1);
	g_blob32(r, i, b + 2, t->hash, NULL);
	t->label = g_text(r, i, b + 3);
	t->created_us = g_i64(r, i, b + 4);
}

static void
token_row(const PGresult *r, int i, struct store_token *t)
{
	token_row_at(r, i, 0, t);
}

static enum cs_err
pg_token_get(void *ctx, int64_t id, struct store_token *t)
{
	struct params p = { 0 };

	p_i64(&p, id);
	GET_ONE(ctx, S_TOKEN_GET, &p, token_row, t);
}

static enum cs_err
pg_token_principal(void *ctx, int64_t id, struct store_token *t,
    struct store_user *u, struct store_org *o)
{
	struct params p = { 0 };
	enum cs_err rc;
	PGresult *r;

	p_i64(&p, id);
	if ((r = run(ctx, S_TOKEN_PRINCIPAL, &p, &rc)) == NULL)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return CS_ENOENT;
	}
	token_row_at(r, 0, 0, t);
	memset(u, 0, sizeof(*u));
	memset(o, 0, sizeof(*o));
	if (!PQgetisnull(r, 0, 5))
		user_row_at(r, 0, 5, u);
	if (!PQgetisnull(r, 0, 17))
		org_row_at(r, 0, 17, o);
	PQclear(r);
	return CS_OK;
}

static enum cs_err
pg_token_list(void *ctx, int64_t user, struct store_token **out, size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, user);
	GET_ALL(ctx, S_TOKEN_LIST, &p, struct store_token, token_row, out, n);
}

static enum cs_err
pg_user_update(void *ctx, const struct store_user *u)
{
	struct params p = { 0 };
	char *f[4];
	enum cs_err rc;
	PGresult *r;

	f[0] = seal_or_null(u->display_name);
	f[1] = seal_or_null(u->email);
	f[2] = seal_or_null(u->phone);
	f[3] = seal_or_null(u->department);
	p_i64(&p, u->id);
	for (int i = 0; i < 4; i++)
		p_text(&p, f[i]);
	p_i64(&p, u->roles);
	p_i64(&p, u->nda_contractor);
	p_text(&p, u->pw_hash);
	if ((r = run(ctx, S_USER_UPDATE, &p, &rc)) != NULL) {
		if (PQntuples(r) == 0)
			rc = CS_ENOENT;
		PQclear(r);
	}
	for (int i = 0; i < 4; i++)
		free(f[i]);
	return rc;
}

static enum cs_err
pg_token_delete(void *ctx, int64_t id)
{
	struct params p = { 0 };

	p_i64(&p, id);
	return exec_done(ctx, S_TOKEN_DELETE, &p);
}

/* ---- reports ----------------------------------------------------------- */

static enum cs_err
pg_report_insert(void *ctx, struct store_report *r)
{
	struct params p = { 0 };
	int64_t id = 0;
	enum cs_err rc;

	p_i64(&p, (int64_t)r->route);
	p_i64(&p, r->legal_duty);
	p_i64(&p, (int64_t)r->tlp);
	p_i64(&p, r->sector);
	p_i64(&p, (int64_t)r->state);
	p_id(&p, r->submitter_org);
	p_i64(&p, r->anonymised);
	if (r->anonymised)
		p_blob(&p, r->anon_tag, 32);
	else
		p_null(&p);
	p_text(&p, r->sealed_identity);
	p_id(&p, r->ceptoar_org);
	p_id(&p, r->r_number);
	p_i64(&p, r->nversions);
	p_i64(&p, r->created_us);
	p_i64(&p, r->updated_us);
	rc = exec_insert(ctx, S_REPORT_INSERT, &p, &id);
	if (rc == CS_OK)
		r->id = id;
	return rc;
}

static enum cs_err
pg_report_update(void *ctx, const struct store_report *r)
{
	struct params p = { 0 };

	p_i64(&p, r->id);
	p_i64(&p, (int64_t)r->state);
	p_i64(&p, (int64_t)r->tlp);
	p_id(&p, r->r_number);
	p_i64(&p, r->nversions);
	p_i64(&p, r->updated_us);
	return exec_guarded(ctx, S_REPORT_UPDATE, &p);
}

static enum cs_err
pg_report_set_anon(void *ctx, const struct store_report *r)
{
	struct params p = { 0 };

	p_i64(&p, r->id);
	p_blob(&p, r->anon_tag, 32);
	p_text(&p, r->sealed_identity);
	return exec_done(ctx, S_REPORT_SET_ANON, &p);
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

static enum cs_err
pg_report_get(void *ctx, int64_t id, struct store_report *out)
{
	struct pg *q = ctx;
	struct params p = { 0 };
	enum cs_err rc;
	PGresult *r;
	int64_t *v;
	size_t n;
	bool ok;

	p_i64(&p, id);
	if ((r = run(q, S_REPORT_GET, &p, &rc)) == NULL)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return CS_ENOENT;
	}
	memset(out, 0, sizeof(*out));
	out->id = g_i64(r, 0, 0);
	out->route = (enum cs_route)g_int(r, 0, 1);
	out->legal_duty = g_int(r, 0, 2) != 0;
	out->tlp = (enum cs_tlp)g_int(r, 0, 3);
	out->sector = g_int(r, 0, 4);
	out->state = (enum cs_state)g_int(r, 0, 5);
	out->submitter_org = g_i64(r, 0, 6);
	out->anonymised = g_int(r, 0, 7) != 0;
	g_blob32(r, 0, 8, out->anon_tag, NULL);
	out->sealed_identity = g_text(r, 0, 9);
	out->ceptoar_org = g_i64(r, 0, 10);
	out->r_number = g_i64(r, 0, 11);
	out->nversions = g_int(r, 0, 12);
	out->created_us = g_i64(r, 0, 13);
	out->updated_us = g_i64(r, 0, 14);
	ok = int_list(PQgetisnull(r, 0, 15) ? NULL : PQgetvalue(r, 0, 15), 3, &v, &n);
	if (ok && n > 0) {
		out->path = xcalloc(n, sizeof(*out->path));
		for (size_t i = 0; i < n; i++) {
			out->path[i].org_id = v[3 * i];
			out->path[i].org_type = (enum cs_org_type)v[3 * i + 1];
			out->path[i].joined_us = v[3 * i + 2];
		}
		out->npath = n;
	}
	free(v);
	ok = ok && int_list(PQgetisnull(r, 0, 16) ? NULL : PQgetvalue(r, 0, 16),
	    3, &v, &n);
	if (ok && n > 0) {
		out->shares = xcalloc(n, sizeof(*out->shares));
		for (size_t i = 0; i < n; i++) {
			out->shares[i].org = v[3 * i];
			out->shares[i].by_org = v[3 * i + 1];
			out->shares[i].at_us = v[3 * i + 2];
		}
		out->nshares = n;
	}
	if (ok)
		free(v);
	ok = ok && int_list(PQgetisnull(r, 0, 17) ? NULL : PQgetvalue(r, 0, 17),
	    1, &out->extra, &out->nextra);
	PQclear(r);
	if (!ok) {
		log_warn("event=pg_report_lists_malformed report=%lld", (long long)id);
		store_report_fini(out);
		return CS_ESTORE;
	}
	return CS_OK;
}

static void
id_row(const PGresult *r, int i, int64_t *org)
{
	*org = g_i64(r, i, 0);
}

static enum cs_err
pg_report_candidates(void *ctx, const struct store_report_filter *f,
    int64_t **out, size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, f->before_id > 0 ? f->before_id : INT64_MAX);
	if (f->anonymised) {
		p_limit(&p, f->limit);
		p_i64(&p, f->sector);
		GET_ALL(ctx, S_REPORT_CANDIDATES_ANON, &p, int64_t, id_row, out, n);
	}
	p_i64(&p, f->org);
	p_limit(&p, f->limit);
	if (f->sector < 0)
		GET_ALL(ctx, S_REPORT_CANDIDATES, &p, int64_t, id_row, out, n);
	p_i64(&p, f->sector);
	GET_ALL(ctx, S_REPORT_CANDIDATES_SECTOR, &p, int64_t, id_row, out, n);
}

static enum cs_err
pg_path_add(void *ctx, int64_t report, const struct cs_path_entry *pe)
{
	struct params p = { 0 };

	p_i64(&p, report);
	p_i64(&p, pe->org_id);
	p_i64(&p, (int64_t)pe->org_type);
	p_i64(&p, pe->joined_us);
	return exec_done(ctx, S_PATH_ADD, &p);
}

static enum cs_err
pg_share_add(void *ctx, int64_t report, const struct store_share *sh)
{
	struct params p = { 0 };

	p_i64(&p, report);
	p_i64(&p, sh->org);
	p_i64(&p, sh->by_org);
	p_i64(&p, sh->at_us);
	return exec_done(ctx, S_SHARE_ADD, &p);
}

static enum cs_err
pg_extra_add(void *ctx, int64_t report, int64_t org)
{
	struct params p = { 0 };

	p_i64(&p, report);
	p_i64(&p, org);
	return exec_done(ctx, S_EXTRA_ADD, &p);
}

static enum cs_err
pg_version_insert(void *ctx, const struct store_version *v)
{
	struct params p = { 0 };

	p_i64(&p, v->report);
	p_i64(&p, v->version);
	p_i64(&p, (int64_t)v->hop);
	p_text(&p, v->form);
	p_text(&p, v->sealed_form);
	p_id(&p, v->by_org);
	p_id(&p, v->by_user);
	p_i64(&p, v->created_us);
	return exec_insert(ctx, S_VERSION_INSERT, &p, NULL);
}

static void
version_row(const PGresult *r, int i, struct store_version *v)
{
	v->report = g_i64(r, i, 0);
	v->version = g_int(r, i, 1);
	v->hop = (enum cs_hop)g_int(r, i, 2);
	v->form = g_text(r, i, 3);
	v->sealed_form = g_text(r, i, 4);
	v->by_org = g_i64(r, i, 5);
	v->by_user = g_i64(r, i, 6);
	v->created_us = g_i64(r, i, 7);
}

static enum cs_err
pg_version_list(void *ctx, int64_t report, struct store_version **out, size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, report);
	GET_ALL(ctx, S_VERSION_LIST, &p, struct store_version, version_row, out, n);
}

/* ---- audit ------------------------------------------------------------- */

/*
 * The chain lock first, in a statement of its own: at READ COMMITTED the
 * next statement's snapshot then sees every append committed before the
 * lock was granted.  Held until this transaction ends.
 */
static enum cs_err
pg_audit_last(void *ctx, int64_t *seq, unsigned char hash[32])
{
	struct pg *q = ctx;
	enum cs_err rc;
	PGresult *r;

	*seq = 0;
	memset(hash, 0, 32);
	if (!q->audit_locked) {
		if ((rc = exec_done(q, S_AUDIT_LOCK, NULL)) != CS_OK)
			return rc;
		q->audit_locked = q->in_tx != 0;
	}
	if ((r = run(q, S_AUDIT_LAST, NULL, &rc)) == NULL)
		return rc;
	if (PQntuples(r) > 0) {
		*seq = g_i64(r, 0, 0);
		g_blob32(r, 0, 1, hash, NULL);
	}
	PQclear(r);
	return CS_OK;
}

static enum cs_err
pg_audit_insert(void *ctx, const struct store_audit *a)
{
	struct params p = { 0 };

	p_i64(&p, a->seq);
	p_i64(&p, a->at_us);
	p_id(&p, a->user);
	p_id(&p, a->org);
	p_text(&p, a->action);
	p_text(&p, a->item);
	p_text(&p, a->detail);
	p_blob(&p, a->prev, 32);
	p_blob(&p, a->hash, 32);
	return exec_insert(ctx, S_AUDIT_INSERT, &p, NULL);
}

static void
audit_row(const PGresult *r, int i, struct store_audit *a)
{
	a->seq = g_i64(r, i, 0);
	a->at_us = g_i64(r, i, 1);
	a->user = g_i64(r, i, 2);
	a->org = g_i64(r, i, 3);
	a->action = g_text(r, i, 4);
	a->item = g_text(r, i, 5);
	a->detail = g_text(r, i, 6);
	g_blob32(r, i, 7, a->prev, NULL);
	g_blob32(r, i, 8, a->hash, NULL);
}

static enum cs_err
pg_audit_list(void *ctx, int64_t after, int64_t since, int limit,
    struct store_audit **out, size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, after);
	p_i64(&p, since);
	p_limit(&p, limit);
	GET_ALL(ctx, S_AUDIT_LIST, &p, struct store_audit, audit_row, out, n);
}

/* ---- advisories --------------------------------------------------------- */

static enum cs_err
pg_adv_insert(void *ctx, struct store_advisory *a)
{
	struct params p = { 0 };
	int64_t id = 0;
	enum cs_err rc;

	p_id(&p, a->t_number);
	p_i64(&p, (int64_t)a->state);
	p_i64(&p, a->urgent);
	p_i64(&p, (int64_t)a->tlp);
	p_i64(&p, (int64_t)a->importance);
	p_i64(&p, a->sectors);
	p_i64(&p, a->nversions);
	p_i64(&p, a->created_by);
	p_id(&p, a->approved_by);
	p_i64(&p, a->created_us);
	p_id(&p, a->issued_us);
	p_i64(&p, a->updated_us);
	rc = exec_insert(ctx, S_ADV_INSERT, &p, &id);
	if (rc == CS_OK)
		a->id = id;
	return rc;
}

static enum cs_err
pg_adv_update(void *ctx, const struct store_advisory *a)
{
	struct params p = { 0 };

	p_i64(&p, a->id);
	p_i64(&p, (int64_t)a->state);
	p_i64(&p, (int64_t)a->tlp);
	p_i64(&p, (int64_t)a->importance);
	p_i64(&p, a->sectors);
	p_i64(&p, a->nversions);
	p_id(&p, a->approved_by);
	p_id(&p, a->issued_us);
	p_i64(&p, a->updated_us);
	p_id(&p, a->t_number);
	return exec_guarded(ctx, S_ADV_UPDATE, &p);
}

static void
adv_row(const PGresult *r, int i, struct store_advisory *a)
{
	memset(a, 0, sizeof(*a));
	a->id = g_i64(r, i, 0);
	a->t_number = g_i64(r, i, 1);
	a->state = (enum cs_adv_state)g_int(r, i, 2);
	a->urgent = g_int(r, i, 3) != 0;
	a->tlp = (enum cs_tlp)g_int(r, i, 4);
	a->importance = (enum cs_importance)g_int(r, i, 5);
	a->sectors = (uint32_t)g_i64(r, i, 6);
	a->nversions = g_int(r, i, 7);
	a->created_by = g_i64(r, i, 8);
	a->approved_by = g_i64(r, i, 9);
	a->created_us = g_i64(r, i, 10);
	a->issued_us = g_i64(r, i, 11);
	a->updated_us = g_i64(r, i, 12);
}

static enum cs_err
pg_adv_get(void *ctx, int64_t id, struct store_advisory *a)
{
	struct params p = { 0 };

	p_i64(&p, id);
	GET_ONE(ctx, S_ADV_GET, &p, adv_row, a);
}

static enum cs_err
pg_adv_get_latest(void *ctx, int64_t id, struct store_advisory *a,
    struct store_adv_version *v)
{
	struct params p = { 0 };
	enum cs_err rc;
	PGresult *r;

	p_i64(&p, id);
	if ((r = run(ctx, S_ADV_GET_LATEST, &p, &rc)) == NULL)
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return CS_ENOENT;
	}
	adv_row(r, 0, a);
	if (!PQgetisnull(r, 0, 13)) {
		v->advisory = g_i64(r, 0, 13);
		v->version = g_int(r, 0, 14);
		v->form = g_text(r, 0, 15);
		v->by_user = g_i64(r, 0, 16);
		v->created_us = g_i64(r, 0, 17);
	}
	PQclear(r);
	return CS_OK;
}

static enum cs_err
pg_adv_list(void *ctx, int64_t before, int limit, struct store_advisory **out,
    size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, before > 0 ? before : INT64_MAX);
	p_limit(&p, limit);
	GET_ALL(ctx, S_ADV_LIST, &p, struct store_advisory, adv_row, out, n);
}

static enum cs_err
pg_adv_version_insert(void *ctx, const struct store_adv_version *v)
{
	struct params p = { 0 };

	p_i64(&p, v->advisory);
	p_i64(&p, v->version);
	p_text(&p, v->form);
	p_id(&p, v->by_user);
	p_i64(&p, v->created_us);
	return exec_insert(ctx, S_ADV_VERSION_INSERT, &p, NULL);
}

static void
adv_version_row(const PGresult *r, int i, struct store_adv_version *v)
{
	v->advisory = g_i64(r, i, 0);
	v->version = g_int(r, i, 1);
	v->form = g_text(r, i, 2);
	v->by_user = g_i64(r, i, 3);
	v->created_us = g_i64(r, i, 4);
}

static enum cs_err
pg_adv_version_list(void *ctx, int64_t adv, struct store_adv_version **out,
    size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, adv);
	GET_ALL(ctx, S_ADV_VERSION_LIST, &p, struct store_adv_version,
	    adv_version_row, out, n);
}

static enum cs_err
pg_adv_related_add(void *ctx, int64_t adv, const struct store_adv_related *rel)
{
	struct params p = { 0 };

	p_i64(&p, adv);
	p_i64(&p, rel->report);
	p_i64(&p, rel->consent_named);
	return exec_done(ctx, S_ADV_RELATED_ADD, &p);
}

static void
related_row(const PGresult *r, int i, struct store_adv_related *rel)
{
	rel->report = g_i64(r, i, 0);
	rel->consent_named = g_int(r, i, 1) != 0;
}

static enum cs_err
pg_adv_related_list(void *ctx, int64_t adv, struct store_adv_related **out,
    size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, adv);
	GET_ALL(ctx, S_ADV_RELATED_LIST, &p, struct store_adv_related,
	    related_row, out, n);
}

static enum cs_err
pg_delivery_add(void *ctx, struct store_delivery *d, bool *added)
{
	struct params p = { 0 };
	enum cs_err rc;
	PGresult *r;

	*added = false;
	p_i64(&p, d->advisory);
	p_i64(&p, d->org);
	p_id(&p, d->parent_org);
	p_text(&p, d->via);
	p_i64(&p, d->delivered_us);
	if ((r = run(ctx, S_DELIVERY_ADD, &p, &rc)) == NULL)
		return rc;
	if (PQntuples(r) > 0) {
		*added = true;
		d->id = g_i64(r, 0, 0);
	}
	PQclear(r);
	return CS_OK;
}

static enum cs_err
pg_delivery_add_many(void *ctx, const struct store_delivery *tmpl,
    const int64_t *orgs, size_t n, int64_t **out, size_t *nout)
{
	struct pg *q = ctx;
	struct params p = { 0 };
	struct cs_buf arr;
	enum cs_err rc;
	PGresult *r;
	int rows;

	/* Inbox events are numbered under their lock, as pg_event_add. */
	if (!q->events_locked) {
		if ((rc = exec_done(q, S_EVENT_LOCK, NULL)) != CS_OK)
			return rc;
		q->events_locked = q->in_tx != 0;
	}
	cs_buf_init(&arr, SIZE_MAX / 2);
	(void)cs_buf_adds(&arr, "{");
	for (size_t i = 0; i < n; i++)
		(void)cs_buf_printf(&arr, "%s%lld", i ? "," : "", (long long)orgs[i]);
	(void)cs_buf_adds(&arr, "}");
	p_i64(&p, tmpl->advisory);
	p_id(&p, tmpl->parent_org);
	p_text(&p, tmpl->via);
	p_i64(&p, tmpl->delivered_us);
	p_text(&p, cs_buf_str(&arr));
	r = run(q, S_DELIVERY_ADD_MANY, &p, &rc);
	cs_buf_fini(&arr);
	if (r == NULL)
		return rc;
	rows = PQntuples(r);
	*out = xcalloc((size_t)rows + 1, sizeof(**out));
	for (int i = 0; i < rows; i++)
		(*out)[i] = g_i64(r, i, 0);
	*nout = (size_t)rows;
	PQclear(r);
	return CS_OK;
}

static void
delivery_row(const PGresult *r, int i, struct store_delivery *d)
{
	memset(d, 0, sizeof(*d));
	d->id = g_i64(r, i, 0);
	d->advisory = g_i64(r, i, 1);
	d->org = g_i64(r, i, 2);
	d->parent_org = g_i64(r, i, 3);
	g_str(r, i, 4, d->via, sizeof(d->via));
	d->delivered_us = g_i64(r, i, 5);
	d->read_us = g_i64(r, i, 6);
	d->ack_us = g_i64(r, i, 7);
	d->ack_user = g_i64(r, i, 8);
	d->reminded_us = g_i64(r, i, 9);
	d->reminders = g_int(r, i, 10);
}

static enum cs_err
pg_delivery_list(void *ctx, int64_t adv, struct store_delivery **out, size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, adv);
	GET_ALL(ctx, S_DELIVERY_LIST, &p, struct store_delivery, delivery_row,
	    out, n);
}

static enum cs_err
pg_delivery_get(void *ctx, int64_t adv, int64_t org, struct store_delivery *d)
{
	struct params p = { 0 };

	p_i64(&p, adv);
	p_i64(&p, org);
	GET_ONE(ctx, S_DELIVERY_GET, &p, delivery_row, d);
}

static enum cs_err
pg_delivery_inbox(void *ctx, int64_t org, int64_t before, int limit,
    struct store_delivery **out, size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, org);
	p_i64(&p, before > 0 ? before : INT64_MAX);
	p_limit(&p, limit);
	GET_ALL(ctx, S_DELIVERY_INBOX, &p, struct store_delivery, delivery_row,
	    out, n);
}

static enum cs_err
pg_delivery_mark_read(void *ctx, int64_t adv, int64_t org, int64_t us)
{
	struct params p = { 0 };

	p_i64(&p, adv);
	p_i64(&p, org);
	p_i64(&p, us);
	return exec_done(ctx, S_DELIVERY_READ, &p);
}

static enum cs_err
pg_delivery_ack(void *ctx, int64_t adv, int64_t org, int64_t user, int64_t us)
{
	struct params p = { 0 };

	p_i64(&p, adv);
	p_i64(&p, org);
	p_i64(&p, us);
	p_i64(&p, user);
	return exec_done(ctx, S_DELIVERY_ACK, &p);
}

static enum cs_err
pg_delivery_due(void *ctx, int64_t before_us, int limit,
    struct store_delivery **out, size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, before_us);
	p_limit(&p, limit);
	GET_ALL(ctx, S_DELIVERY_DUE, &p, struct store_delivery, delivery_row,
	    out, n);
}

static enum cs_err
pg_delivery_reminded(void *ctx, int64_t id, int64_t us)
{
	struct params p = { 0 };

	p_i64(&p, id);
	p_i64(&p, us);
	return exec_done(ctx, S_DELIVERY_REMINDED, &p);
}

/*
 * Events are read as "seq > last": the lock makes seqs commit in order
 * across processes, so a reader never sees seq n+1 before seq n.
 */
static enum cs_err
pg_event_add(void *ctx, struct store_event *ev)
{
	struct pg *q = ctx;
	struct params p = { 0 };
	int64_t seq = 0;
	enum cs_err rc;

	if (!q->events_locked) {
		if ((rc = exec_done(q, S_EVENT_LOCK, NULL)) != CS_OK)
			return rc;
		q->events_locked = q->in_tx != 0;
	}
	p_i64(&p, ev->org);
	p_i64(&p, ev->advisory);
	p_text(&p, ev->kind);
	p_i64(&p, ev->at_us);
	if ((rc = exec_insert(q, S_EVENT_ADD, &p, &seq)) == CS_OK)
		ev->seq = seq;
	return rc;
}

static void
event_row(const PGresult *r, int i, struct store_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->seq = g_i64(r, i, 0);
	ev->org = g_i64(r, i, 1);
	ev->advisory = g_i64(r, i, 2);
	g_str(r, i, 3, ev->kind, sizeof(ev->kind));
	ev->at_us = g_i64(r, i, 4);
}

static enum cs_err
pg_event_list(void *ctx, int64_t org, int64_t after, int limit,
    struct store_event **out, size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, org);
	p_i64(&p, after);
	p_limit(&p, limit);
	GET_ALL(ctx, S_EVENT_LIST, &p, struct store_event, event_row, out, n);
}

static enum cs_err
pg_event_last(void *ctx, int64_t org, int64_t *seq)
{
	struct params p = { 0 };
	enum cs_err rc;
	PGresult *r;

	*seq = 0;
	p_i64(&p, org);
	if ((r = run(ctx, S_EVENT_LAST, &p, &rc)) == NULL)
		return rc;
	if (PQntuples(r) > 0)
		*seq = g_i64(r, 0, 0);
	else
		rc = CS_ESTORE;
	PQclear(r);
	return rc;
}

static enum cs_err
pg_widening_insert(void *ctx, struct store_widening *w)
{
	struct params p = { 0 };
	int64_t id = 0;
	enum cs_err rc;

	p_i64(&p, w->report);
	p_i64(&p, (int64_t)w->tlp);
	p_i64(&p, w->sectors);
	p_text(&p, w->reason);
	p_i64(&p, (int64_t)w->state);
	p_i64(&p, w->by_user);
	p_i64(&p, w->by_org);
	p_i64(&p, w->created_us);
	if ((rc = exec_insert(ctx, S_WIDEN_INSERT, &p, &id)) == CS_OK)
		w->id = id;
	return rc;
}

static enum cs_err
pg_widening_update(void *ctx, const struct store_widening *w)
{
	struct params p = { 0 };

	p_i64(&p, w->id);
	p_i64(&p, (int64_t)w->state);
	p_id(&p, w->decided_us);
	p_id(&p, w->decided_by_org);
	p_id(&p, w->decided_by_user);
	return exec_done(ctx, S_WIDEN_UPDATE, &p);
}

static void
widening_row(const PGresult *r, int i, struct store_widening *w)
{
	memset(w, 0, sizeof(*w));
	w->id = g_i64(r, i, 0);
	w->report = g_i64(r, i, 1);
	w->tlp = (enum cs_tlp)g_int(r, i, 2);
	w->sectors = (uint32_t)g_i64(r, i, 3);
	w->reason = g_text(r, i, 4);
	w->state = (enum store_widening_state)g_int(r, i, 5);
	w->by_user = g_i64(r, i, 6);
	w->by_org = g_i64(r, i, 7);
	w->created_us = g_i64(r, i, 8);
	w->decided_us = g_i64(r, i, 9);
	w->decided_by_org = g_i64(r, i, 10);
	w->decided_by_user = g_i64(r, i, 11);
}

static enum cs_err
pg_widening_get(void *ctx, int64_t id, struct store_widening *w)
{
	struct params p = { 0 };

	p_i64(&p, id);
	GET_ONE(ctx, S_WIDEN_GET, &p, widening_row, w);
}

static enum cs_err
pg_widening_list(void *ctx, int64_t report, int64_t after, int limit,
    struct store_widening **out, size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, report);
	p_i64(&p, after);
	p_limit(&p, limit);
	GET_ALL(ctx, S_WIDEN_LIST, &p, struct store_widening, widening_row, out, n);
}

/* ---- notifications ------------------------------------------------------- */

static enum cs_err
pg_channel_insert(void *ctx, struct store_channel *c)
{
	struct params p = { 0 };
	char *t = core_seal_text(c->target), *k = seal_or_null(c->secret);
	int64_t id = 0;
	enum cs_err rc;

	p_i64(&p, c->org);
	p_id(&p, c->user);
	p_i64(&p, (int64_t)c->kind);
	p_text(&p, t);
	p_text(&p, k);
	p_i64(&p, c->active);
	p_i64(&p, c->created_us);
	rc = exec_insert(ctx, S_CHAN_INSERT, &p, &id);
	free(t);
	free(k);
	if (rc == CS_OK)
		c->id = id;
	return rc;
}

static void
channel_row(const PGresult *r, int i, struct store_channel *c)
{
	memset(c, 0, sizeof(*c));
	c->id = g_i64(r, i, 0);
	c->org = g_i64(r, i, 1);
	c->user = g_i64(r, i, 2);
	c->kind = (enum store_channel_kind)g_int(r, i, 3);
	c->target = g_open(r, i, 4);
	if (c->target == NULL)
		c->target = xstrdup("");
	c->secret = g_open(r, i, 5);
	c->active = g_int(r, i, 6) != 0;
	c->created_us = g_i64(r, i, 7);
}

static enum cs_err
pg_channel_get(void *ctx, int64_t id, struct store_channel *c)
{
	struct params p = { 0 };

	p_i64(&p, id);
	GET_ONE(ctx, S_CHAN_GET, &p, channel_row, c);
}

static enum cs_err
pg_channel_list(void *ctx, int64_t org, int64_t after, int limit,
    struct store_channel **out, size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, org);
	p_i64(&p, after);
	p_limit(&p, limit);
	GET_ALL(ctx, S_CHAN_LIST, &p, struct store_channel, channel_row, out, n);
}

static enum cs_err
pg_channel_set_active(void *ctx, int64_t id, bool on)
{
	struct params p = { 0 };

	p_i64(&p, id);
	p_i64(&p, on);
	return exec_done(ctx, S_CHAN_ACTIVE, &p);
}

static enum cs_err
pg_notif_insert(void *ctx, struct store_notification *x)
{
	struct params p = { 0 };
	int64_t id = 0;
	enum cs_err rc;

	p_i64(&p, x->channel);
	p_i64(&p, x->advisory);
	p_text(&p, x->event);
	p_text(&p, x->subject);
	p_text(&p, x->body);
	p_i64(&p, x->attempts);
	p_i64(&p, x->next_us);
	p_i64(&p, (int64_t)x->state);
	p_text(&p, x->last_error);
	p_i64(&p, x->created_us);
	p_id(&p, x->sent_us);
	if ((rc = exec_insert(ctx, S_NOTIF_INSERT, &p, &id)) == CS_OK)
		x->id = id;
	return rc;
}

static void
notif_row(const PGresult *r, int i, struct store_notification *x)
{
	memset(x, 0, sizeof(*x));
	x->id = g_i64(r, i, 0);
	x->channel = g_i64(r, i, 1);
	x->advisory = g_i64(r, i, 2);
	g_str(r, i, 3, x->event, sizeof(x->event));
	x->subject = g_text(r, i, 4);
	x->body = g_text(r, i, 5);
	x->attempts = g_int(r, i, 6);
	x->next_us = g_i64(r, i, 7);
	x->state = (enum store_notif_state)g_int(r, i, 8);
	x->last_error = g_text(r, i, 9);
	x->created_us = g_i64(r, i, 10);
	x->sent_us = g_i64(r, i, 11);
}

static enum cs_err
pg_notif_due(void *ctx, int64_t now, int limit, struct store_notification **out,
    size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, now);
	p_limit(&p, limit);
	GET_ALL(ctx, S_NOTIF_DUE, &p, struct store_notification, notif_row, out, n);
}

static enum cs_err
pg_notif_update(void *ctx, const struct store_notification *x)
{
	struct params p = { 0 };

	p_i64(&p, x->id);
	p_i64(&p, x->attempts);
	p_i64(&p, x->next_us);
	p_i64(&p, (int64_t)x->state);
	p_text(&p, x->last_error);
	p_id(&p, x->sent_us);
	return exec_done(ctx, S_NOTIF_UPDATE, &p);
}

static enum cs_err
pg_notif_list(void *ctx, int64_t org, int state, int64_t after, int limit,
    struct store_notification **out, size_t *n)
{
	struct params p = { 0 };

	p_i64(&p, org);
	p_i64(&p, state);
	p_i64(&p, after);
	p_limit(&p, limit);
	GET_ALL(ctx, S_NOTIF_LIST, &p, struct store_notification, notif_row, out, n);
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

const struct store_ops store_pg_ops = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.schema_version = pg_schema_version,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.mark = pg_mark,
	.unmark = pg_unmark,
	.reader_open = pg_reader_open,
	.reader_close = pg_close,
	.meta_get = pg_meta_get,
	.meta_set = pg_meta_set,
	.ref_put = pg_ref_put,
	.ref_get = pg_ref_get,
	.counter_next = pg_counter_next,
	.org_insert = pg_org_insert,
	.org_get = pg_org_get,
	.org_update = pg_org_update,
	.org_list = pg_org_list,
	.user_insert = pg_user_insert,
	.user_get = pg_user_get,
	.user_by_login = pg_user_by_login,
	.user_list = pg_user_list,
	.token_insert = pg_token_insert,
	.token_get = pg_token_get,
	.token_principal = pg_token_principal,
	.token_delete = pg_token_delete,
	.token_list = pg_token_list,
	.user_update = pg_user_update,
	.report_insert = pg_report_insert,
	.report_update = pg_report_update,
	.report_set_anon = pg_report_set_anon,
	.report_get = pg_report_get,
	.report_candidates = pg_report_candidates,
	.path_add = pg_path_add,
	.share_add = pg_share_add,
	.extra_add = pg_extra_add,
	.version_insert = pg_version_insert,
	.version_list = pg_version_list,
	.adv_insert = pg_adv_insert,
	.adv_update = pg_adv_update,
	.adv_get = pg_adv_get,
	.adv_get_latest = pg_adv_get_latest,
	.adv_list = pg_adv_list,
	.adv_version_insert = pg_adv_version_insert,
	.adv_version_list = pg_adv_version_list,
	.adv_related_add = pg_adv_related_add,
	.adv_related_list = pg_adv_related_list,
	.delivery_add = pg_delivery_add,
	.delivery_add_many = pg_delivery_add_many,
	.delivery_list = pg_delivery_list,
	.delivery_get = pg_delivery_get,
	.delivery_inbox = pg_delivery_inbox,
	.delivery_mark_read = pg_delivery_mark_read,
	.delivery_ack = pg_delivery_ack,
	.delivery_due = pg_delivery_due,
	.delivery_reminded = pg_delivery_reminded,
	.event_add = pg_event_add,
	.event_list = pg_event_list,
	.event_last = pg_event_last,
	.widening_insert = pg_widening_insert,
	.widening_update = pg_widening_update,
	.widening_get = pg_widening_get,
	.widening_list = pg_widening_list,
	.channel_insert = pg_channel_insert,
	.channel_get = pg_channel_get,
	.channel_list = pg_channel_list,
	.channel_set_active = pg_channel_set_active,
	.notif_insert = pg_notif_insert,
	.notif_due = pg_notif_due,
	.notif_update = pg_notif_update,
	.notif_list = pg_notif_list,
	.audit_last = pg_audit_last,
	.audit_insert = pg_audit_insert,
	.audit_list = pg_audit_list,
	.backup = pg_backup,
};
