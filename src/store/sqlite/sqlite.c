/*
 * sqlite.c: the SQLite backend of the store (WAL, synchronous=FULL).
 *
 * All SQL sits in one table of statements used by enum (the sqlbox model),
 * prepared once at open.  Migrations are an ordered list; PRAGMA
 * user_version records how many have run.  One connection serves the
 * daemon; store.c serialises transactions and groups them (group commit).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/store.h"

static const char *migrations[] = {
	/* 1: directory, reports, audit */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE refdata(name TEXT PRIMARY KEY, json TEXT NOT NULL);"
	"CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
	"CREATE TABLE orgs(id INTEGER PRIMARY KEY, type INTEGER NOT NULL,"
	" sectors INTEGER NOT NULL, ceptoar INTEGER, pre_arranged INTEGER NOT NULL,"
	" name_sealed TEXT NOT NULL, pk BLOB, wrapped_sk TEXT,"
	" created_us INTEGER NOT NULL);"
	"CREATE TABLE users(id INTEGER PRIMARY KEY,"
	" org INTEGER NOT NULL REFERENCES orgs(id),"
	" login_hash BLOB NOT NULL UNIQUE, login_sealed TEXT NOT NULL,"
	" display_sealed TEXT, email_sealed TEXT, phone_sealed TEXT,"
	" dept_sealed TEXT, roles INTEGER NOT NULL, nda INTEGER NOT NULL,"
	" pw_hash TEXT, created_us INTEGER NOT NULL);"
	"CREATE INDEX users_org ON users(org);"
	"CREATE TABLE tokens(id INTEGER PRIMARY KEY,"
	" user INTEGER NOT NULL REFERENCES users(id), hash BLOB NOT NULL,"
	" label TEXT, created_us INTEGER NOT NULL);"
	"CREATE TABLE reports(id INTEGER PRIMARY KEY, route INTEGER NOT NULL,"
	" legal_duty INTEGER NOT NULL, tlp INTEGER NOT NULL, sector INTEGER NOT NULL,"
	" state INTEGER NOT NULL, submitter_org INTEGER, anonymised INTEGER NOT NULL,"
	" anon_tag BLOB, sealed_identity TEXT, ceptoar_org INTEGER,"
	" r_number INTEGER UNIQUE, nversions INTEGER NOT NULL,"
	" created_us INTEGER NOT NULL, updated_us INTEGER NOT NULL);"
	"CREATE INDEX reports_submitter ON reports(submitter_org);"
	"CREATE INDEX reports_anon ON reports(anonymised, id);"
	"CREATE TABLE report_path(report INTEGER NOT NULL REFERENCES reports(id),"
	" org INTEGER NOT NULL, org_type INTEGER NOT NULL, joined_us INTEGER NOT NULL,"
	" PRIMARY KEY(report, org));"
	"CREATE INDEX report_path_org ON report_path(org, report);"
	"CREATE TABLE report_shares(report INTEGER NOT NULL REFERENCES reports(id),"
	" org INTEGER NOT NULL, by_org INTEGER NOT NULL, at_us INTEGER NOT NULL,"
	" PRIMARY KEY(report, org));"
	"CREATE INDEX report_shares_org ON report_shares(org, report);"
	"CREATE TABLE report_extra(report INTEGER NOT NULL REFERENCES reports(id),"
	" org INTEGER NOT NULL, PRIMARY KEY(report, org));"
	"CREATE TABLE report_versions(report INTEGER NOT NULL REFERENCES reports(id),"
	" version INTEGER NOT NULL, hop INTEGER NOT NULL, form TEXT,"
	" sealed_form TEXT, by_org INTEGER, by_user INTEGER,"
	" created_us INTEGER NOT NULL, PRIMARY KEY(report, version, hop));"
	"CREATE TRIGGER report_versions_ro_u BEFORE UPDATE ON report_versions"
	" BEGIN SELECT RAISE(ABORT, 'report versions are immutable'); END;"
	"CREATE TRIGGER report_versions_ro_d BEFORE DELETE ON report_versions"
	" BEGIN SELECT RAISE(ABORT, 'report versions are immutable'); END;"
	"CREATE TABLE audit(seq INTEGER PRIMARY KEY, at_us INTEGER NOT NULL,"
	" user INTEGER, org INTEGER, action TEXT NOT NULL, item TEXT,"
	" detail TEXT, prev BLOB NOT NULL, hash BLOB NOT NULL);"
	"CREATE INDEX audit_at ON audit(at_us);"
	"CREATE TRIGGER audit_ro_u BEFORE UPDATE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_ro_d BEFORE DELETE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
	/* 2: advisories, deliveries, inbox events, widening requests */
	"ALTER TABLE orgs ADD COLUMN identifiers_sealed TEXT;"
	"CREATE TABLE advisories(id INTEGER PRIMARY KEY, t_number INTEGER UNIQUE,"
	" state INTEGER NOT NULL, urgent INTEGER NOT NULL, tlp INTEGER NOT NULL,"
	" importance INTEGER NOT NULL, sectors INTEGER NOT NULL,"
	" nversions INTEGER NOT NULL, created_by INTEGER NOT NULL,"
	" approved_by INTEGER, created_us INTEGER NOT NULL, issued_us INTEGER,"
	" updated_us INTEGER NOT NULL);"
	"CREATE TABLE advisory_versions(advisory INTEGER NOT NULL"
	" REFERENCES advisories(id), version INTEGER NOT NULL, form TEXT NOT NULL,"
	" by_user INTEGER, created_us INTEGER NOT NULL,"
	" PRIMARY KEY(advisory, version));"
	"CREATE TRIGGER advisory_versions_ro_u BEFORE UPDATE ON advisory_versions"
	" BEGIN SELECT RAISE(ABORT, 'advisory versions are immutable'); END;"
	"CREATE TRIGGER advisory_versions_ro_d BEFORE DELETE ON advisory_versions"
	" BEGIN SELECT RAISE(ABORT, 'advisory versions are immutable'); END;"
	"CREATE TABLE advisory_related(advisory INTEGER NOT NULL"
	" REFERENCES advisories(id), report INTEGER NOT NULL REFERENCES reports(id),"
	" consent_named INTEGER NOT NULL, PRIMARY KEY(advisory, report));"
	"CREATE TABLE deliveries(id INTEGER PRIMARY KEY, advisory INTEGER NOT NULL"
	" REFERENCES advisories(id), org INTEGER NOT NULL, parent_org INTEGER,"
	" via TEXT NOT NULL, delivered_us INTEGER NOT NULL, read_us INTEGER,"
	" ack_us INTEGER, ack_user INTEGER, reminded_us INTEGER,"
	" reminders INTEGER NOT NULL DEFAULT 0, UNIQUE(advisory, org));"
	"CREATE INDEX deliveries_org ON deliveries(org, id);"
	"CREATE TABLE inbox_events(seq INTEGER PRIMARY KEY, org INTEGER NOT NULL,"
	" advisory INTEGER NOT NULL, kind TEXT NOT NULL, at_us INTEGER NOT NULL);"
	"CREATE INDEX inbox_events_org ON inbox_events(org, seq);"
	"CREATE TABLE widening_requests(id INTEGER PRIMARY KEY,"
	" report INTEGER NOT NULL REFERENCES reports(id), tlp INTEGER NOT NULL,"
	" sectors INTEGER NOT NULL, reason TEXT, state INTEGER NOT NULL,"
	" by_user INTEGER NOT NULL, by_org INTEGER NOT NULL,"
	" created_us INTEGER NOT NULL, decided_us INTEGER, decided_by_org INTEGER,"
	" decided_by_user INTEGER);"
	"CREATE INDEX widening_report ON widening_requests(report);",
	/* 3: notification channels and the outbox */
	"CREATE TABLE channels(id INTEGER PRIMARY KEY, org INTEGER NOT NULL"
	" REFERENCES orgs(id), user INTEGER, kind INTEGER NOT NULL,"
	" target_sealed TEXT NOT NULL, secret_sealed TEXT, active INTEGER NOT NULL,"
	" created_us INTEGER NOT NULL);"
	"CREATE INDEX channels_org ON channels(org);"
	"CREATE TABLE notifications(id INTEGER PRIMARY KEY, channel INTEGER NOT NULL"
	" REFERENCES channels(id), advisory INTEGER NOT NULL, event TEXT NOT NULL,"
	" subject TEXT NOT NULL, body TEXT NOT NULL, attempts INTEGER NOT NULL,"
	" next_us INTEGER NOT NULL, state INTEGER NOT NULL, last_error TEXT,"
	" created_us INTEGER NOT NULL, sent_us INTEGER);"
	"CREATE INDEX notifications_due ON notifications(state, next_us);",
	/* 4: indexes the benchmarks asked for */
	"CREATE INDEX orgs_type ON orgs(type, id);"
	"CREATE INDEX deliveries_unacked ON deliveries(advisory, id)"
	" WHERE ack_us IS NULL;"
	"CREATE INDEX advisories_alerts ON advisories(importance, state);",
	/* 5: a report's (immutable) sector beside each relation, for lists */
	"ALTER TABLE report_path ADD COLUMN sector INTEGER NOT NULL DEFAULT -1;"
	"UPDATE report_path SET sector = (SELECT r.sector FROM reports r"
	" WHERE r.id = report_path.report);"
	"CREATE INDEX report_path_sector ON report_path(org, sector, report);"
	"ALTER TABLE report_shares ADD COLUMN sector INTEGER NOT NULL DEFAULT -1;"
	"UPDATE report_shares SET sector = (SELECT r.sector FROM reports r"
	" WHERE r.id = report_shares.report);"
	"CREATE INDEX report_shares_sector ON report_shares(org, sector, report);"
	"CREATE INDEX reports_submitter_sector ON reports(submitter_org, sector, id);",
};
#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

enum stmt {
	S_BEGIN, S_COMMIT, S_ROLLBACK, S_SYNC_NORMAL, S_SYNC_FULL,
	S_MARK, S_UNMARK, S_UNDO, S_BEGIN_SNAPSHOT,
	S_META_GET, S_META_SET, S_REF_PUT, S_REF_GET,
	S_COUNTER_GET, S_COUNTER_SET,
	S_ORG_INSERT, S_ORG_GET, S_ORG_LIST, S_ORG_FIND, S_ORG_UPDATE,
	S_USER_INSERT, S_USER_GET, S_USER_BY_LOGIN, S_USER_LIST,
	S_TOKEN_INSERT, S_TOKEN_GET, S_TOKEN_PRINCIPAL, S_TOKEN_DELETE, S_TOKEN_LIST, S_USER_UPDATE,
	S_REPORT_INSERT, S_REPORT_UPDATE, S_REPORT_SET_ANON, S_REPORT_GET,
	S_REPORT_PATH, S_REPORT_SHARES, S_REPORT_EXTRA, S_REPORT_CANDIDATES,
	S_REPORT_CANDIDATES_SECTOR, S_REPORT_CANDIDATES_ANON,
	S_PATH_ADD, S_SHARE_ADD, S_EXTRA_ADD,
	S_VERSION_INSERT, S_VERSION_LIST,
	S_AUDIT_LAST, S_AUDIT_INSERT, S_AUDIT_LIST,
	S_ADV_INSERT, S_ADV_UPDATE, S_ADV_GET, S_ADV_GET_LATEST, S_ADV_LIST,
	S_ADV_VERSION_INSERT, S_ADV_VERSION_LIST,
	S_ADV_RELATED_ADD, S_ADV_RELATED_LIST,
	S_DELIVERY_ADD, S_DELIVERY_LIST, S_DELIVERY_GET, S_DELIVERY_INBOX, S_DELIVERY_READ,
	S_DELIVERY_ACK, S_DELIVERY_DUE, S_DELIVERY_REMINDED,
	S_EVENT_ADD, S_EVENT_LIST, S_EVENT_LAST,
	S_WIDEN_INSERT, S_WIDEN_UPDATE, S_WIDEN_GET, S_WIDEN_LIST,
	S_CHAN_INSERT, S_CHAN_GET, S_CHAN_LIST, S_CHAN_ACTIVE,
	S_NOTIF_INSERT, S_NOTIF_DUE, S_NOTIF_UPDATE, S_NOTIF_LIST,
	S__COUNT
};

static const char *sql[S__COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_SYNC_NORMAL] = "PRAGMA synchronous = NORMAL",
	[S_SYNC_FULL] = "PRAGMA synchronous = FULL",
	[S_MARK] = "SAVEPOINT cs_req",
	[S_UNMARK] = "RELEASE cs_req",
	[S_UNDO] = "ROLLBACK TO cs_req",
	[S_BEGIN_SNAPSHOT] = "BEGIN",		/* a reader: no write lock */
	[S_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[S_META_SET] = "INSERT INTO meta(key, value) VALUES (?1, ?2)"
	    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[S_REF_PUT] = "INSERT INTO refdata(name, json) VALUES (?1, ?2)"
	    " ON CONFLICT(name) DO UPDATE SET json = excluded.json",
	[S_REF_GET] = "SELECT json FROM refdata WHERE name = ?1",
	[S_COUNTER_GET] = "SELECT value FROM counters WHERE name = ?1",
	[S_COUNTER_SET] = "INSERT INTO counters(name, value) VALUES (?1, ?2)"
	    " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
	[S_ORG_INSERT] = "INSERT INTO orgs(type, sectors, ceptoar, pre_arranged,"
	    " name_sealed, pk, wrapped_sk, created_us, identifiers_sealed)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[S_ORG_GET] = "SELECT id, type, sectors, ceptoar, pre_arranged, name_sealed,"
	    " pk, wrapped_sk, created_us, identifiers_sealed FROM orgs WHERE id = ?1",
	[S_ORG_LIST] = "SELECT id, type, sectors, ceptoar, pre_arranged, name_sealed,"
	    " pk, wrapped_sk, created_us, identifiers_sealed FROM orgs WHERE id > ?1"
	    " AND (?3 < 0 OR type = ?3) AND (?4 = 0 OR (sectors & ?4) != 0)"
	    " ORDER BY id LIMIT ?2",
	/* One type: served by orgs_type (the OR above defeats the index). */
	[S_ORG_FIND] = "SELECT id, type, sectors, ceptoar, pre_arranged, name_sealed,"
	    " pk, wrapped_sk, created_us, identifiers_sealed FROM orgs"
	    " WHERE type = ?3 AND id > ?1 AND (?4 = 0 OR (sectors & ?4) != 0)"
	    " ORDER BY id LIMIT ?2",
	[S_ORG_UPDATE] = "UPDATE orgs SET name_sealed = ?2, sectors = ?3,"
	    " ceptoar = ?4, pre_arranged = ?5, identifiers_sealed = ?6"
	    " WHERE id = ?1",
	[S_USER_INSERT] = "INSERT INTO users(org, login_hash, login_sealed,"
	    " display_sealed, email_sealed, phone_sealed, dept_sealed, roles, nda,"
	    " pw_hash, created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10, ?11)",
	[S_USER_GET] = "SELECT id, org, login_hash, login_sealed, display_sealed,"
	    " email_sealed, phone_sealed, dept_sealed, roles, nda, pw_hash,"
	    " created_us FROM users WHERE id = ?1",
	[S_USER_BY_LOGIN] = "SELECT id, org, login_hash, login_sealed,"
	    " display_sealed, email_sealed, phone_sealed, dept_sealed, roles, nda,"
	    " pw_hash, created_us FROM users WHERE login_hash = ?1",
	[S_USER_LIST] = "SELECT id, org, login_hash, login_sealed, display_sealed,"
	    " email_sealed, phone_sealed, dept_sealed, roles, nda, pw_hash,"
	    " created_us FROM users WHERE (?1 = 0 OR org = ?1) AND id > ?2"
	    " ORDER BY id LIMIT ?3",
	[S_TOKEN_INSERT] = "INSERT INTO tokens(id, user, hash, label, created_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_TOKEN_GET] = "SELECT id, user, hash, label, created_us FROM tokens"
	    " WHERE id = ?1",
	/* A bearer's token, user and organisation in one query (every request). */
	[S_TOKEN_PRINCIPAL] = "SELECT t.id, t.user, t.hash, t.label, t.created_us,"
	    " u.id, u.org, u.login_hash, u.login_sealed, u.display_sealed,"
	    " u.email_sealed, u.phone_sealed, u.dept_sealed, u.roles, u.nda,"
	    " u.pw_hash, u.created_us,"
	    " o.id, o.type, o.sectors, o.ceptoar, o.pre_arranged, o.name_sealed,"
	    " o.pk, o.wrapped_sk, o.created_us, o.identifiers_sealed"
	    " FROM tokens t LEFT JOIN users u ON u.id = t.user"
	    " LEFT JOIN orgs o ON o.id = u.org WHERE t.id = ?1",
	[S_TOKEN_DELETE] = "DELETE FROM tokens WHERE id = ?1",
	[S_TOKEN_LIST] = "SELECT id, user, hash, label, created_us FROM tokens"
	    " WHERE user = ?1 ORDER BY id",
	[S_USER_UPDATE] = "UPDATE users SET display_sealed = ?2, email_sealed = ?3,"
	    " phone_sealed = ?4, dept_sealed = ?5, roles = ?6, nda = ?7,"
	    " pw_hash = ?8 WHERE id = ?1",
	[S_REPORT_INSERT] = "INSERT INTO reports(route, legal_duty, tlp, sector,"
	    " state, submitter_org, anonymised, anon_tag, sealed_identity,"
	    " ceptoar_org, r_number, nversions, created_us, updated_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[S_REPORT_UPDATE] = "UPDATE reports SET state = ?2, tlp = ?3,"
	    " r_number = ?4, nversions = ?5, updated_us = ?6 WHERE id = ?1",
	[S_REPORT_SET_ANON] = "UPDATE reports SET anon_tag = ?2,"
	    " sealed_identity = ?3 WHERE id = ?1",
	[S_REPORT_GET] = "SELECT id, route, legal_duty, tlp, sector, state,"
	    " submitter_org, anonymised, anon_tag, sealed_identity, ceptoar_org,"
	    " r_number, nversions, created_us, updated_us FROM reports WHERE id = ?1",
	[S_REPORT_PATH] = "SELECT org, org_type, joined_us FROM report_path"
	    " WHERE report = ?1 ORDER BY joined_us, rowid",
	[S_REPORT_SHARES] = "SELECT org, by_org, at_us FROM report_shares"
	    " WHERE report = ?1 ORDER BY at_us, rowid",
	[S_REPORT_EXTRA] = "SELECT org FROM report_extra WHERE report = ?1"
	    " ORDER BY org",
	/*
	 * The newest `limit` of each relation, merged: the newest `limit` of
	 * their union are among them.  Each branch walks one index.
	 */
	[S_REPORT_CANDIDATES] = "SELECT id FROM ("
	    " SELECT * FROM (SELECT id FROM reports WHERE submitter_org = ?2"
	    "  AND id < ?1 ORDER BY id DESC LIMIT ?3)"
	    " UNION SELECT * FROM (SELECT report FROM report_path WHERE org = ?2"
	    "  AND report < ?1 ORDER BY report DESC LIMIT ?3)"
	    " UNION SELECT * FROM (SELECT report FROM report_shares WHERE org = ?2"
	    "  AND report < ?1 ORDER BY report DESC LIMIT ?3))"
	    " ORDER BY id DESC LIMIT ?3",
	[S_REPORT_CANDIDATES_SECTOR] = "SELECT id FROM ("
	    " SELECT * FROM (SELECT id FROM reports WHERE submitter_org = ?2"
	    "  AND sector = ?4 AND id < ?1 ORDER BY id DESC LIMIT ?3)"
	    " UNION SELECT * FROM (SELECT report FROM report_path WHERE org = ?2"
	    "  AND sector = ?4 AND report < ?1 ORDER BY report DESC LIMIT ?3)"
	    " UNION SELECT * FROM (SELECT report FROM report_shares WHERE org = ?2"
	    "  AND sector = ?4 AND report < ?1 ORDER BY report DESC LIMIT ?3))"
	    " ORDER BY id DESC LIMIT ?3",
	[S_REPORT_CANDIDATES_ANON] = "SELECT id FROM reports WHERE anonymised = 1"
	    " AND id < ?1 AND (?4 < 0 OR sector = ?4) ORDER BY id DESC LIMIT ?3",
	[S_PATH_ADD] = "INSERT OR IGNORE INTO report_path(report, org, org_type,"
	    " joined_us, sector) SELECT ?1, ?2, ?3, ?4, sector FROM reports"
	    " WHERE id = ?1",
	[S_SHARE_ADD] = "INSERT OR IGNORE INTO report_shares(report, org, by_org,"
	    " at_us, sector) SELECT ?1, ?2, ?3, ?4, sector FROM reports"
	    " WHERE id = ?1",
	[S_EXTRA_ADD] = "INSERT OR IGNORE INTO report_extra(report, org)"
	    " VALUES (?1, ?2)",
	[S_VERSION_INSERT] = "INSERT INTO report_versions(report, version, hop,"
	    " form, sealed_form, by_org, by_user, created_us)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_VERSION_LIST] = "SELECT report, version, hop, form, sealed_form,"
	    " by_org, by_user, created_us FROM report_versions WHERE report = ?1"
	    " ORDER BY version, hop",
	[S_AUDIT_LAST] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
	[S_AUDIT_INSERT] = "INSERT INTO audit(seq, at_us, user, org, action, item,"
	    " detail, prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[S_AUDIT_LIST] = "SELECT seq, at_us, user, org, action, item, detail, prev,"
	    " hash FROM audit WHERE seq > ?1 AND at_us >= ?2 ORDER BY seq LIMIT ?3",
	[S_ADV_INSERT] = "INSERT INTO advisories(t_number, state, urgent, tlp,"
	    " importance, sectors, nversions, created_by, approved_by, created_us,"
	    " issued_us, updated_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10, ?11, ?12)",
	[S_ADV_UPDATE] = "UPDATE advisories SET state = ?2, tlp = ?3,"
	    " importance = ?4, sectors = ?5, nversions = ?6, approved_by = ?7,"
	    " issued_us = ?8, updated_us = ?9, t_number = ?10 WHERE id = ?1",
	[S_ADV_GET] = "SELECT id, t_number, state, urgent, tlp, importance, sectors,"
	    " nversions, created_by, approved_by, created_us, issued_us, updated_us"
	    " FROM advisories WHERE id = ?1",
	[S_ADV_GET_LATEST] = "SELECT a.id, a.t_number, a.state, a.urgent, a.tlp,"
	    " a.importance, a.sectors, a.nversions, a.created_by, a.approved_by,"
	    " a.created_us, a.issued_us, a.updated_us, v.advisory, v.version,"
	    " v.form, v.by_user, v.created_us FROM advisories a"
	    " LEFT JOIN advisory_versions v ON v.advisory = a.id AND v.version ="
	    " (SELECT max(version) FROM advisory_versions WHERE advisory = a.id)"
	    " WHERE a.id = ?1",
	[S_ADV_LIST] = "SELECT id, t_number, state, urgent, tlp, importance, sectors,"
	    " nversions, created_by, approved_by, created_us, issued_us, updated_us"
	    " FROM advisories WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
	[S_ADV_VERSION_INSERT] = "INSERT INTO advisory_versions(advisory, version,"
	    " form, by_user, created_us) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_ADV_VERSION_LIST] = "SELECT advisory, version, form, by_user, created_us"
	    " FROM advisory_versions WHERE advisory = ?1 ORDER BY version",
	[S_ADV_RELATED_ADD] = "INSERT OR IGNORE INTO advisory_related(advisory,"
	    " report, consent_named) VALUES (?1, ?2, ?3)",
	[S_ADV_RELATED_LIST] = "SELECT report, consent_named FROM advisory_related"
	    " WHERE advisory = ?1 ORDER BY report",
	[S_DELIVERY_ADD] = "INSERT OR IGNORE INTO deliveries(advisory, org,"
	    " parent_org, via, delivered_us) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_DELIVERY_LIST] = "SELECT id, advisory, org, parent_org, via, delivered_us,"
	    " read_us, ack_us, ack_user, reminded_us, reminders FROM deliveries"
	    " WHERE advisory = ?1 ORDER BY id",
	[S_DELIVERY_GET] = "SELECT id, advisory, org, parent_org, via, delivered_us,"
	    " read_us, ack_us, ack_user, reminded_us, reminders FROM deliveries"
	    " WHERE advisory = ?1 AND org = ?2",
	[S_DELIVERY_INBOX] = "SELECT id, advisory, org, parent_org, via,"
	    " delivered_us, read_us, ack_us, ack_user, reminded_us, reminders"
	    " FROM deliveries WHERE org = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3",
	[S_DELIVERY_READ] = "UPDATE deliveries SET read_us = ?3 WHERE advisory = ?1"
	    " AND org = ?2 AND read_us IS NULL",
	[S_DELIVERY_ACK] = "UPDATE deliveries SET ack_us = ?3, ack_user = ?4,"
	    " read_us = COALESCE(read_us, ?3) WHERE advisory = ?1 AND org = ?2"
	    " AND ack_us IS NULL",
	[S_DELIVERY_DUE] = "SELECT d.id, d.advisory, d.org, d.parent_org, d.via,"
	    " d.delivered_us, d.read_us, d.ack_us, d.ack_user, d.reminded_us,"
	    " d.reminders FROM deliveries d JOIN advisories a ON a.id = d.advisory"
	    " WHERE a.state = 1 AND a.importance = 1 AND d.ack_us IS NULL"
	    " AND COALESCE(d.reminded_us, d.delivered_us) < ?1 ORDER BY d.id LIMIT ?2",
	[S_DELIVERY_REMINDED] = "UPDATE deliveries SET reminded_us = ?2,"
	    " reminders = reminders + 1 WHERE id = ?1",
	[S_EVENT_ADD] = "INSERT INTO inbox_events(org, advisory, kind, at_us)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[S_EVENT_LIST] = "SELECT seq, org, advisory, kind, at_us FROM inbox_events"
	    " WHERE org = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
	[S_EVENT_LAST] = "SELECT COALESCE(MAX(seq), 0) FROM inbox_events"
	    " WHERE org = ?1",
	[S_WIDEN_INSERT] = "INSERT INTO widening_requests(report, tlp, sectors,"
	    " reason, state, by_user, by_org, created_us) VALUES (?1, ?2, ?3, ?4,"
	    " ?5, ?6, ?7, ?8)",
	[S_WIDEN_UPDATE] = "UPDATE widening_requests SET state = ?2,"
	    " decided_us = ?3, decided_by_org = ?4, decided_by_user = ?5"
	    " WHERE id = ?1",
	[S_WIDEN_GET] = "SELECT id, report, tlp, sectors, reason, state, by_user,"
	    " by_org, created_us, decided_us, decided_by_org, decided_by_user"
	    " FROM widening_requests WHERE id = ?1",
	[S_WIDEN_LIST] = "SELECT id, report, tlp, sectors, reason, state, by_user,"
	    " by_org, created_us, decided_us, decided_by_org, decided_by_user"
	    " FROM widening_requests WHERE (?1 = 0 OR report = ?1) AND id > ?2"
	    " ORDER BY id LIMIT ?3",
	[S_CHAN_INSERT] = "INSERT INTO channels(org, user, kind, target_sealed,"
	    " secret_sealed, active, created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_CHAN_GET] = "SELECT id, org, user, kind, target_sealed, secret_sealed,"
	    " active, created_us FROM channels WHERE id = ?1",
	[S_CHAN_LIST] = "SELECT id, org, user, kind, target_sealed, secret_sealed,"
	    " active, created_us FROM channels WHERE (?1 = 0 OR org = ?1)"
	    " AND id > ?2 ORDER BY id LIMIT ?3",
	[S_CHAN_ACTIVE] = "UPDATE channels SET active = ?2 WHERE id = ?1",
	[S_NOTIF_INSERT] = "INSERT INTO notifications(channel, advisory, event,"
	    " subject, body, attempts, next_us, state, last_error, created_us,"
	    " sent_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[S_NOTIF_DUE] = "SELECT id, channel, advisory, event, subject, body,"
	    " attempts, next_us, state, last_error, created_us, sent_us"
	    " FROM notifications WHERE state = 0 AND next_us <= ?1"
	    " ORDER BY next_us, id LIMIT ?2",
	[S_NOTIF_UPDATE] = "UPDATE notifications SET attempts = ?2, next_us = ?3,"
	    " state = ?4, last_error = ?5, sent_us = ?6 WHERE id = ?1",
	[S_NOTIF_LIST] = "SELECT n.id, n.channel, n.advisory, n.event, n.subject,"
	    " n.body, n.attempts, n.next_us, n.state, n.last_error, n.created_us,"
	    " n.sent_us FROM notifications n JOIN channels c ON c.id = n.channel"
	    " WHERE (?1 = 0 OR c.org = ?1) AND (?2 < 0 OR n.state = ?2)"
	    " AND n.id > ?3 ORDER BY n.id LIMIT ?4",
};

struct sq {
	sqlite3		*db;
	sqlite3_stmt	*st[S__COUNT];
	int		 in_tx;
	int		 relaxed;	/* synchronous = NORMAL (a batch of reads) */
	bool		 reader;	/* a read-only connection beside the writer */
	/* The checkpointer: its own connection, outside the store lock. */
	pthread_t	 ckpt;
	bool		 ckpt_on;
	bool		 ckpt_stop;
	pthread_mutex_t	 ckpt_lock;
	pthread_cond_t	 ckpt_cv;
	char		*path;
};

static enum cs_err
fail_db(struct sq *q, struct cs_error *e, const char *what)
{
	return cs_fail(e, CS_ESTORE, "", "%s: %s", what, sqlite3_errmsg(q->db));
}

static sqlite3_stmt *
S(struct sq *q, enum stmt i)
{
	sqlite3_stmt *s = q->st[i];

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

static void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

static void
bind_id(sqlite3_stmt *s, int i, int64_t v)
{
	if (v == 0)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, v);
}

static char *
col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t == NULL ? NULL : xstrdup((const char *)t);
}

static void
col_blob32(sqlite3_stmt *s, int i, unsigned char out[32], bool *has)
{
	const void *b = sqlite3_column_blob(s, i);

	if (b != NULL && sqlite3_column_bytes(s, i) == 32) {
		memcpy(out, b, 32);
		if (has != NULL)
			*has = true;
	} else {
		memset(out, 0, 32);
		if (has != NULL)
			*has = false;
	}
}

static enum cs_err
step_done(struct sq *q, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return CS_OK;
	if (rc == SQLITE_CONSTRAINT)
		return CS_ECONFLICT;
	log_warn("event=sqlite_error msg=\"%s\"", sqlite3_errmsg(q->db));
	return CS_ESTORE;
}

/* ---- lifecycle ------------------------------------------------------- */

static enum cs_err
migrate(struct sq *q, struct cs_error *e)
{
	sqlite3_stmt *s;
	int v = 0;
	char *err = NULL;

	if (sqlite3_prepare_v2(q->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return fail_db(q, e, "user_version");
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (v > NMIGRATIONS)
		return cs_fail(e, CS_ESTORE, "db", "database schema %d is newer "
		    "than this cishared (%d)", v, NMIGRATIONS);
	for (; v < NMIGRATIONS; v++) {
		char *bump = xasprintf("BEGIN IMMEDIATE; %s; PRAGMA user_version = %d;"
		    " COMMIT;", migrations[v], v + 1);
		int rc = sqlite3_exec(q->db, bump, NULL, NULL, &err);

		free(bump);
		if (rc != SQLITE_OK) {
			cs_fail(e, CS_ESTORE, "db", "migration %d: %s", v + 1,
			    err ? err : "?");
			sqlite3_free(err);
			sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
			return CS_ESTORE;
		}
	}
	return CS_OK;
}

static void sq_close(void *);

/*
 * WAL checkpoints on a second connection, every CKPT_PERIOD_MS: a PASSIVE
 * checkpoint copies committed pages into the database file beside the
 * writer, so the writer (which holds the store lock) never does it inside
 * a commit.  SQLite restarts the WAL from its start once it is fully
 * checkpointed, so it does not grow.
 */
#define CKPT_PERIOD_MS	200

static void *
ckpt_main(void *arg)
{
	struct sq *q = arg;
	sqlite3 *db = NULL;
	struct timespec ts;

	if (sqlite3_open_v2(q->path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		log_warn("event=sqlite_checkpointer_failed msg=\"%s\"",
		    db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 1000);
	pthread_mutex_lock(&q->ckpt_lock);
	while (!q->ckpt_stop) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += CKPT_PERIOD_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		(void)pthread_cond_timedwait(&q->ckpt_cv, &q->ckpt_lock, &ts);
		if (q->ckpt_stop)
			break;
		pthread_mutex_unlock(&q->ckpt_lock);
		(void)sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE,
		    NULL, NULL);
		pthread_mutex_lock(&q->ckpt_lock);
	}
	pthread_mutex_unlock(&q->ckpt_lock);
	sqlite3_close(db);
	return NULL;
}

static void
ckpt_start(struct sq *q)
{
	if (q->path == NULL)
		return;		/* a temporary database: nothing to share */
	pthread_mutex_init(&q->ckpt_lock, NULL);
	pthread_cond_init(&q->ckpt_cv, NULL);
	if (pthread_create(&q->ckpt, NULL, ckpt_main, q) != 0) {
		pthread_cond_destroy(&q->ckpt_cv);
		pthread_mutex_destroy(&q->ckpt_lock);
		return;
	}
	q->ckpt_on = true;
	sqlite3_wal_autocheckpoint(q->db, 0);
}

static void
ckpt_stop(struct sq *q)
{
	if (!q->ckpt_on)
		return;
	pthread_mutex_lock(&q->ckpt_lock);
	q->ckpt_stop = true;
	pthread_cond_signal(&q->ckpt_cv);
	pthread_mutex_unlock(&q->ckpt_lock);
	pthread_join(q->ckpt, NULL);
	pthread_cond_destroy(&q->ckpt_cv);
	pthread_mutex_destroy(&q->ckpt_lock);
	q->ckpt_on = false;
}

static enum cs_err
sq_open_conn(const char *path, bool create, bool reader, void **out,
    struct cs_error *e)
{
	struct sq *q = xcalloc(1, sizeof(*q));
	int flags = (reader ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
	    SQLITE_OPEN_FULLMUTEX;
	enum cs_err rc = CS_ESTORE;
	char *err = NULL;

	q->reader = reader;
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &q->db, flags, NULL) != SQLITE_OK) {
		rc = cs_fail(e, CS_ESTORE, "db", "cannot open %s: %s", path,
		    q->db ? sqlite3_errmsg(q->db) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(q->db, 10000);
	/* A 16 MiB page cache for the writer (4 MiB per reader). */
	if (sqlite3_exec(q->db, reader ? "PRAGMA cache_size = -4096;" :
	    "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
	    "PRAGMA cache_size = -16384;",
	    NULL, NULL, &err) != SQLITE_OK) {
		rc = cs_fail(e, CS_ESTORE, "db", "pragmas: %s", err ? err : "?");
		sqlite3_free(err);
		goto out;
	}
	if (create) {
		if ((rc = migrate(q, e)) != CS_OK)
			goto out;
	} else {
		sqlite3_stmt *s;
		int v = 0;

		if (sqlite3_prepare_v2(q->db, "PRAGMA user_version", -1, &s,
		    NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
		if (v != NMIGRATIONS) {
			rc = cs_fail(e, CS_ESTORE, "db", "database at schema %d, "
			    "expected %d: run 'cishared init --db %s'", v,
			    NMIGRATIONS, path);
			goto out;
		}
	}
	for (int i = 0; i < S__COUNT; i++) {
		if (sqlite3_prepare_v3(q->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		    &q->st[i], NULL) != SQLITE_OK) {
			rc = cs_fail(e, CS_ESTORE, "db", "prepare %d: %s", i,
			    sqlite3_errmsg(q->db));
			goto out;
		}
	}
	if (!reader) {
		const char *f = sqlite3_db_filename(q->db, "main");

		/* The file readers and the checkpointer open (none if temporary). */
		if (f != NULL && *f != '\0')
			q->path = xstrdup(f);
		ckpt_start(q);
	}
	*out = q;
	q = NULL;
	rc = CS_OK;
out:
	if (q != NULL)
		sq_close(q);
	return rc;
}

static enum cs_err
sq_open(const char *path, bool create, void **out, struct cs_error *e)
{
	return sq_open_conn(path, create, false, out, e);
}

/* A reader: its own read-only connection to the writer's file. */
static enum cs_err
sq_reader_open(void *ctx, void **out)
{
	struct sq *q = ctx;
	struct cs_error e;

	if (q->path == NULL)
		return CS_ENOENT;	/* a temporary database: no second connection */
	return sq_open_conn(q->path, false, true, out, &e);
}

static void
sq_close(void *ctx)
{
	struct sq *q = ctx;

	if (q == NULL)
		return;
	ckpt_stop(q);
	for (int i = 0; i < S__COUNT; i++)
		sqlite3_finalize(q->st[i]);
	sqlite3_close(q->db);
	free(q->path);
	free(q);
}

static int
sq_schema_version(void *ctx)
{
	(void)ctx;
	return NMIGRATIONS;
}

/*
 * Transactions.  store.c serialises them and groups requests into one
 * SQLite transaction (group commit); a request is a savepoint inside it.
 * synchronous can only change outside a transaction, so it is set here,
 * before BEGIN: FULL when the batch holds a write, NORMAL when it holds
 * only reads (WAL with NORMAL is consistent after a crash and may lose the
 * last reads' audit entries, never an acknowledged write).
 */
static enum cs_err
sq_begin(void *ctx, bool durable)
{
	struct sq *q = ctx;
	enum cs_err rc;

	if (q->reader) {
		/* A snapshot: deferred, it never takes the write lock. */
		if ((rc = step_done(q, S(q, S_BEGIN_SNAPSHOT))) != CS_OK)
			return rc;
		q->in_tx = 1;
		return CS_OK;
	}
	if (q->relaxed != !durable) {
		if ((rc = step_done(q, S(q, durable ? S_SYNC_FULL :
		    S_SYNC_NORMAL))) != CS_OK)
			return rc;
		q->relaxed = !durable;
	}
	if ((rc = step_done(q, S(q, S_BEGIN))) != CS_OK)
		return rc;
	q->in_tx = 1;
	return CS_OK;
}

static enum cs_err
sq_commit(void *ctx)
{
	struct sq *q = ctx;
	enum cs_err rc;

	rc = step_done(q, S(q, S_COMMIT));
	if (rc != CS_OK)
		(void)step_done(q, S(q, S_ROLLBACK));
	q->in_tx = 0;
	return rc;
}

static void
sq_rollback(void *ctx)
{
	struct sq *q = ctx;

	if (!q->in_tx)
		return;
	(void)step_done(q, S(q, S_ROLLBACK));
	q->in_tx = 0;
}

static enum cs_err
sq_mark(void *ctx)
{
	struct sq *q = ctx;

	return step_done(q, S(q, S_MARK));
}

/* keep: the request's changes join the batch; else they are undone. */
static enum cs_err
sq_unmark(void *ctx, bool keep)
{
	struct sq *q = ctx;
	enum cs_err rc = CS_OK;

	if (keep && (rc = step_done(q, S(q, S_UNMARK))) == CS_OK)
		return CS_OK;
	if (step_done(q, S(q, S_UNDO)) != CS_OK ||
	    step_done(q, S(q, S_UNMARK)) != CS_OK)
		return CS_ESTORE;
	return keep ? CS_ESTORE : rc;
}

/* ---- meta ------------------------------------------------------------- */

static enum cs_err
get_text1(struct sq *q, enum stmt i, const char *key, char **val)
{
	sqlite3_stmt *s = S(q, i);
	int rc;

	bind_text(s, 1, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*val = col_text(s, 0);
		sqlite3_reset(s);
		return CS_OK;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CS_ENOENT : CS_ESTORE;
}

static enum cs_err
sq_meta_get(void *ctx, const char *k, char **v)
{
	return get_text1(ctx, S_META_GET, k, v);
}

static enum cs_err
put_text2(struct sq *q, enum stmt i, const char *a, const char *b)
{
	sqlite3_stmt *s = S(q, i);

	bind_text(s, 1, a);
	bind_text(s, 2, b);
	return step_done(q, s);
}

static enum cs_err
sq_meta_set(void *ctx, const char *k, const char *v)
{
	return put_text2(ctx, S_META_SET, k, v);
}

static enum cs_err
sq_ref_put(void *ctx, const char *k, const char *v)
{
	return put_text2(ctx, S_REF_PUT, k, v);
}

static enum cs_err
sq_ref_get(void *ctx, const char *k, char **v)
{
	return get_text1(ctx, S_REF_GET, k, v);
}

static enum cs_err
sq_counter_next(void *ctx, const char *name, int64_t *out)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_COUNTER_GET);
	int64_t v = 0;
	int rc;

	bind_text(s, 1, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return CS_ESTORE;
	s = S(q, S_COUNTER_SET);
	bind_text(s, 1, name);
	sqlite3_bind_int64(s, 2, v + 1);
	if (step_done(q, s) != CS_OK)
		return CS_ESTORE;
	*out = v + 1;
	return CS_OK;
}

/* ---- directory -------------------------------------------------------- */

static char *
seal_or_null(const char *s)
{
	return s == NULL ? NULL : core_seal_text(s);
}

static char *
open_col(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t == NULL ? NULL : core_open_text((const char *)t);
}

static enum cs_err
sq_org_insert(void *ctx, struct store_org *o)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_ORG_INSERT);
	char *name = core_seal_text(o->name ? o->name : ""), *idents;
	enum cs_err rc;

	sqlite3_bind_int(s, 1, (int)o->type);
	sqlite3_bind_int64(s, 2, o->sectors);
	bind_id(s, 3, o->ceptoar);
	sqlite3_bind_int(s, 4, o->pre_arranged);
	bind_text(s, 5, name);
	if (o->has_pk)
		sqlite3_bind_blob(s, 6, o->pk, 32, SQLITE_TRANSIENT);
	bind_text(s, 7, o->wrapped_sk);
	sqlite3_bind_int64(s, 8, o->created_us);
	idents = seal_or_null(o->identifiers);
	bind_text(s, 9, idents);
	rc = step_done(q, s);
	free(idents);
	free(name);
	if (rc == CS_OK)
		o->id = sqlite3_last_insert_rowid(q->db);
	return rc;
}

static void
org_row_at(sqlite3_stmt *s, int b, struct store_org *o)
{
	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(s, b);
	o->type = (enum cs_org_type)sqlite3_column_int(s, b + 1);
	o->sectors = (uint32_t)sqlite3_column_int64(s, b + 2);
	o->ceptoar = sqlite3_column_int64(s, b + 3);
	o->pre_arranged = sqlite3_column_int(s, b + 4) != 0;
	o->name = open_col(s, b + 5);
	if (o->name == NULL)
		o->name = xstrdup("");
	col_blob32(s, b + 6, o->pk, &o->has_pk);
	o->wrapped_sk = col_text(s, b + 7);
	o->created_us = sqlite3_column_int64(s, b + 8);
	o->identifiers = open_col(s, b + 9);
}

static void
org_row(sqlite3_stmt *s, struct store_org *o)
{
	org_row_at(s, 0, o);
}

static enum cs_err
sq_org_get(void *ctx, int64_t id, struct store_org *o)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_ORG_GET);
	int rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		org_row(s, o);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CS_OK : rc == SQLITE_DONE ? CS_ENOENT : CS_ESTORE;
}

static enum cs_err
sq_org_update(void *ctx, const struct store_org *o)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_ORG_UPDATE);
	char *name = core_seal_text(o->name ? o->name : "");
	char *idents = seal_or_null(o->identifiers);
	enum cs_err rc;

	sqlite3_bind_int64(s, 1, o->id);
	bind_text(s, 2, name);
	sqlite3_bind_int64(s, 3, o->sectors);
	bind_id(s, 4, o->ceptoar);
	sqlite3_bind_int(s, 5, o->pre_arranged);
	bind_text(s, 6, idents);
	rc = step_done(q, s);
	free(name);
	free(idents);
	if (rc == CS_OK && sqlite3_changes(q->db) == 0)
		rc = CS_ENOENT;
	return rc;
}

static enum cs_err
sq_org_list(void *ctx, int64_t after, int limit, int type, uint32_t sectors,
    struct store_org **out, size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, type < 0 ? S_ORG_LIST : S_ORG_FIND);
	struct store_org *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int(s, 2, limit);
	sqlite3_bind_int(s, 3, type);
	sqlite3_bind_int64(s, 4, sectors);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		org_row(s, &v[cnt++]);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_orgs_free(v, cnt);
		return CS_ESTORE;
	}
	*out = v;
	*n = cnt;
	return CS_OK;
}

static enum cs_err
sq_user_insert(void *ctx, struct store_user *u)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_USER_INSERT);
	char *f[5];
	enum cs_err rc;

	f[0] = core_seal_text(u->login);
	f[1] = seal_or_null(u->display_name);
	f[2] = seal_or_null(u->email);
	f[3] = seal_or_null(u->phone);
	f[4] = seal_or_null(u->department);
	sqlite3_bind_int64(s, 1, u->org);
	sqlite3_bind_blob(s, 2, u->login_hash, 32, SQLITE_TRANSIENT);
	for (int i = 0; i < 5; i++)
		bind_text(s, 3 + i, f[i]);
	sqlite3_bind_int(s, 8, (int)u->roles);
	sqlite3_bind_int(s, 9, u->nda_contractor);
	bind_text(s, 10, u->pw_hash);
	sqlite3_bind_int64(s, 11, u->created_us);
	rc = step_done(q, s);
	for (int i = 0; i < 5; i++)
		free(f[i]);
	if (rc == CS_OK)
		u->id = sqlite3_last_insert_rowid(q->db);
	return rc;
}

static void
user_row_at(sqlite3_stmt *s, int b, struct store_user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(s, b);
	u->org = sqlite3_column_int64(s, b + 1);
	col_blob32(s, b + 2, u->login_hash, NULL);
	u->login = open_col(s, b + 3);
	if (u->login == NULL)
		u->login = xstrdup("");
	u->display_name = open_col(s, b + 4);
	u->email = open_col(s, b + 5);
	u->phone = open_col(s, b + 6);
	u->department = open_col(s, b + 7);
	u->roles = (unsigned)sqlite3_column_int(s, b + 8);
	u->nda_contractor = sqlite3_column_int(s, b + 9) != 0;
	u->pw_hash = col_text(s, b + 10);
	u->created_us = sqlite3_column_int64(s, b + 11);
}

static void
user_row(sqlite3_stmt *s, struct store_user *u)
{
	user_row_at(s, 0, u);
}

static enum cs_err
user_one(struct sq *q, sqlite3_stmt *s, struct store_user *u)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		user_row(s, u);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CS_OK : rc == SQLITE_DONE ? CS_ENOENT : CS_ESTORE;
	(void)q;
}

static enum cs_err
sq_user_get(void *ctx, int64_t id, struct store_user *u)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_USER_GET);

	sqlite3_bind_int64(s, 1, id);
	return user_one(q, s, u);
}

static enum cs_err
sq_user_by_login(void *ctx, const unsigned char *h, struct store_user *u)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_USER_BY_LOGIN);

	sqlite3_bind_blob(s, 1, h, 32, SQLITE_TRANSIENT);
	return user_one(q, s, u);
}

static enum cs_err
sq_user_list(void *ctx, int64_t org, int64_t after, int limit,
    struct store_user **out, size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_USER_LIST);
	struct store_user *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	sqlite3_bind_int64(s, 1, org);
	sqlite3_bind_int64(s, 2, after);
	sqlite3_bind_int(s, 3, limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		user_row(s, &v[cnt++]);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_users_free(v, cnt);
		return CS_ESTORE;
	}
	*out = v;
	*n = cnt;
	return CS_OK;
}

static enum cs_err
sq_token_insert(void *ctx, struct store_token *t)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_TOKEN_INSERT);

	sqlite3_bind_int64(s, 1, t->id);
	sqlite3_bind_int64(s, 2, t->user);
	sqlite3_bind_blob(s, 3, t->hash, 32, SQLITE_TRANSIENT);
	bind_text(s, 4, t->label);
	sqlite3_bind_int64(s, 5, t->created_us);
	return step_done(q, s);
}

static void
token_row_at(sqlite3_stmt *s, int b, struct store_token *t)
{
	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(s, b);
	t->user = sqlite3_column_int64(s, b + 1);
	col_blob32(s, b + 2, t->hash, NULL);
	t->label = col_text(s, b + 3);
	t->created_us = sqlite3_column_int64(s, b + 4);
}

static enum cs_err
sq_token_get(void *ctx, int64_t id, struct store_token *t)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_TOKEN_GET);
	int rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		token_row_at(s, 0, t);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CS_OK : rc == SQLITE_DONE ? CS_ENOENT : CS_ESTORE;
}


static void
token_row(sqlite3_stmt *s, struct store_token *t)
{
	token_row_at(s, 0, t);
}

static enum cs_err
sq_token_principal(void *ctx, int64_t id, struct store_token *t,
    struct store_user *u, struct store_org *o)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_TOKEN_PRINCIPAL);
	int rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		token_row_at(s, 0, t);
		memset(u, 0, sizeof(*u));
		memset(o, 0, sizeof(*o));
		if (sqlite3_column_type(s, 5) != SQLITE_NULL)
			user_row_at(s, 5, u);
		if (sqlite3_column_type(s, 17) != SQLITE_NULL)
			org_row_at(s, 17, o);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CS_OK : rc == SQLITE_DONE ? CS_ENOENT : CS_ESTORE;
}

static enum cs_err
sq_token_list(void *ctx, int64_t user, struct store_token **out, size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_TOKEN_LIST);
	struct store_token *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	sqlite3_bind_int64(s, 1, user);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 8;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		token_row(s, &v[cnt++]);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_tokens_free(v, cnt);
		return CS_ESTORE;
	}
	*out = v;
	*n = cnt;
	return CS_OK;
}

static enum cs_err
sq_user_update(void *ctx, const struct store_user *u)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_USER_UPDATE);
	char *f[4];
	enum cs_err rc;

	f[0] = seal_or_null(u->display_name);
	f[1] = seal_or_null(u->email);
	f[2] = seal_or_null(u->phone);
	f[3] = seal_or_null(u->department);
	sqlite3_bind_int64(s, 1, u->id);
	for (int i = 0; i < 4; i++)
		bind_text(s, 2 + i, f[i]);
	sqlite3_bind_int(s, 6, (int)u->roles);
	sqlite3_bind_int(s, 7, u->nda_contractor);
	bind_text(s, 8, u->pw_hash);
	rc = step_done(q, s);
	for (int i = 0; i < 4; i++)
		free(f[i]);
	if (rc == CS_OK && sqlite3_changes(q->db) == 0)
		rc = CS_ENOENT;
	return rc;
}

static enum cs_err
sq_token_delete(void *ctx, int64_t id)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_TOKEN_DELETE);

	sqlite3_bind_int64(s, 1, id);
	return step_done(q, s);
}

/* ---- reports ----------------------------------------------------------- */

static enum cs_err
sq_report_insert(void *ctx, struct store_report *r)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_REPORT_INSERT);
	enum cs_err rc;

	sqlite3_bind_int(s, 1, (int)r->route);
	sqlite3_bind_int(s, 2, r->legal_duty);
	sqlite3_bind_int(s, 3, (int)r->tlp);
	sqlite3_bind_int(s, 4, r->sector);
	sqlite3_bind_int(s, 5, (int)r->state);
	bind_id(s, 6, r->submitter_org);
	sqlite3_bind_int(s, 7, r->anonymised);
	if (r->anonymised)
		sqlite3_bind_blob(s, 8, r->anon_tag, 32, SQLITE_TRANSIENT);
	bind_text(s, 9, r->sealed_identity);
	bind_id(s, 10, r->ceptoar_org);
	bind_id(s, 11, r->r_number);
	sqlite3_bind_int(s, 12, r->nversions);
	sqlite3_bind_int64(s, 13, r->created_us);
	sqlite3_bind_int64(s, 14, r->updated_us);
	rc = step_done(q, s);
	if (rc == CS_OK)
		r->id = sqlite3_last_insert_rowid(q->db);
	return rc;
}

static enum cs_err
sq_report_update(void *ctx, const struct store_report *r)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_REPORT_UPDATE);

	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int(s, 2, (int)r->state);
	sqlite3_bind_int(s, 3, (int)r->tlp);
	bind_id(s, 4, r->r_number);
	sqlite3_bind_int(s, 5, r->nversions);
	sqlite3_bind_int64(s, 6, r->updated_us);
	return step_done(q, s);
}

static enum cs_err
sq_report_set_anon(void *ctx, const struct store_report *r)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_REPORT_SET_ANON);

	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_blob(s, 2, r->anon_tag, 32, SQLITE_TRANSIENT);
	bind_text(s, 3, r->sealed_identity);
	return step_done(q, s);
}

static enum cs_err
sq_report_get(void *ctx, int64_t id, struct store_report *r)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_REPORT_GET);
	size_t cap;
	int rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? CS_ENOENT : CS_ESTORE;
	}
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(s, 0);
	r->route = (enum cs_route)sqlite3_column_int(s, 1);
	r->legal_duty = sqlite3_column_int(s, 2) != 0;
	r->tlp = (enum cs_tlp)sqlite3_column_int(s, 3);
	r->sector = sqlite3_column_int(s, 4);
	r->state = (enum cs_state)sqlite3_column_int(s, 5);
	r->submitter_org = sqlite3_column_int64(s, 6);
	r->anonymised = sqlite3_column_int(s, 7) != 0;
	col_blob32(s, 8, r->anon_tag, NULL);
	r->sealed_identity = col_text(s, 9);
	r->ceptoar_org = sqlite3_column_int64(s, 10);
	r->r_number = sqlite3_column_int64(s, 11);
	r->nversions = sqlite3_column_int(s, 12);
	r->created_us = sqlite3_column_int64(s, 13);
	r->updated_us = sqlite3_column_int64(s, 14);
	sqlite3_reset(s);

	s = S(q, S_REPORT_PATH);
	sqlite3_bind_int64(s, 1, id);
	cap = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (r->npath == cap) {
			cap = cap ? cap * 2 : 4;
			r->path = xreallocarray(r->path, cap, sizeof(*r->path));
		}
		r->path[r->npath].org_id = sqlite3_column_int64(s, 0);
		r->path[r->npath].org_type = (enum cs_org_type)sqlite3_column_int(s, 1);
		r->path[r->npath].joined_us = sqlite3_column_int64(s, 2);
		r->npath++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto fail;
	s = S(q, S_REPORT_SHARES);
	sqlite3_bind_int64(s, 1, id);
	cap = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (r->nshares == cap) {
			cap = cap ? cap * 2 : 4;
			r->shares = xreallocarray(r->shares, cap, sizeof(*r->shares));
		}
		r->shares[r->nshares].org = sqlite3_column_int64(s, 0);
		r->shares[r->nshares].by_org = sqlite3_column_int64(s, 1);
		r->shares[r->nshares].at_us = sqlite3_column_int64(s, 2);
		r->nshares++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto fail;
	s = S(q, S_REPORT_EXTRA);
	sqlite3_bind_int64(s, 1, id);
	cap = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (r->nextra == cap) {
			cap = cap ? cap * 2 : 4;
			r->extra = xreallocarray(r->extra, cap, sizeof(*r->extra));
		}
		r->extra[r->nextra++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto fail;
	return CS_OK;
fail:
	store_report_fini(r);
	return CS_ESTORE;
}

static enum cs_err
sq_report_candidates(void *ctx, const struct store_report_filter *f,
    int64_t **out, size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, f->anonymised ? S_REPORT_CANDIDATES_ANON :
	    f->sector >= 0 ? S_REPORT_CANDIDATES_SECTOR : S_REPORT_CANDIDATES);
	int64_t *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	sqlite3_bind_int64(s, 1, f->before_id > 0 ? f->before_id : INT64_MAX);
	if (!f->anonymised)
		sqlite3_bind_int64(s, 2, f->org);
	sqlite3_bind_int(s, 3, f->limit);
	if (f->anonymised || f->sector >= 0)
		sqlite3_bind_int(s, 4, f->sector);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 32;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[cnt++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(v);
		return CS_ESTORE;
	}
	*out = v;
	*n = cnt;
	return CS_OK;
}

static enum cs_err
sq_path_add(void *ctx, int64_t report, const struct cs_path_entry *p)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_PATH_ADD);

	sqlite3_bind_int64(s, 1, report);
	sqlite3_bind_int64(s, 2, p->org_id);
	sqlite3_bind_int(s, 3, (int)p->org_type);
	sqlite3_bind_int64(s, 4, p->joined_us);
	return step_done(q, s);
}

static enum cs_err
sq_share_add(void *ctx, int64_t report, const struct store_share *sh)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_SHARE_ADD);

	sqlite3_bind_int64(s, 1, report);
	sqlite3_bind_int64(s, 2, sh->org);
	sqlite3_bind_int64(s, 3, sh->by_org);
	sqlite3_bind_int64(s, 4, sh->at_us);
	return step_done(q, s);
}

static enum cs_err
sq_extra_add(void *ctx, int64_t report, int64_t org)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_EXTRA_ADD);

	sqlite3_bind_int64(s, 1, report);
	sqlite3_bind_int64(s, 2, org);
	return step_done(q, s);
}

static enum cs_err
sq_version_insert(void *ctx, const struct store_version *v)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_VERSION_INSERT);

	sqlite3_bind_int64(s, 1, v->report);
	sqlite3_bind_int(s, 2, v->version);
	sqlite3_bind_int(s, 3, (int)v->hop);
	bind_text(s, 4, v->form);
	bind_text(s, 5, v->sealed_form);
	bind_id(s, 6, v->by_org);
	bind_id(s, 7, v->by_user);
	sqlite3_bind_int64(s, 8, v->created_us);
	return step_done(q, s);
}

static enum cs_err
sq_version_list(void *ctx, int64_t report, struct store_version **out, size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_VERSION_LIST);
	struct store_version *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	sqlite3_bind_int64(s, 1, report);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 8;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[cnt].report = sqlite3_column_int64(s, 0);
		v[cnt].version = sqlite3_column_int(s, 1);
		v[cnt].hop = (enum cs_hop)sqlite3_column_int(s, 2);
		v[cnt].form = col_text(s, 3);
		v[cnt].sealed_form = col_text(s, 4);
		v[cnt].by_org = sqlite3_column_int64(s, 5);
		v[cnt].by_user = sqlite3_column_int64(s, 6);
		v[cnt].created_us = sqlite3_column_int64(s, 7);
		cnt++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_versions_free(v, cnt);
		return CS_ESTORE;
	}
	*out = v;
	*n = cnt;
	return CS_OK;
}

/* ---- audit ------------------------------------------------------------- */

static enum cs_err
sq_audit_last(void *ctx, int64_t *seq, unsigned char hash[32])
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_AUDIT_LAST);
	int rc = sqlite3_step(s);

	*seq = 0;
	memset(hash, 0, 32);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(s, 0);
		col_blob32(s, 1, hash, NULL);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CS_OK : CS_ESTORE;
}

static enum cs_err
sq_audit_insert(void *ctx, const struct store_audit *a)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_AUDIT_INSERT);

	sqlite3_bind_int64(s, 1, a->seq);
	sqlite3_bind_int64(s, 2, a->at_us);
	bind_id(s, 3, a->user);
	bind_id(s, 4, a->org);
	bind_text(s, 5, a->action);
	bind_text(s, 6, a->item);
	bind_text(s, 7, a->detail);
	sqlite3_bind_blob(s, 8, a->prev, 32, SQLITE_TRANSIENT);
	sqlite3_bind_blob(s, 9, a->hash, 32, SQLITE_TRANSIENT);
	return step_done(q, s);
}

static enum cs_err
sq_audit_list(void *ctx, int64_t after, int64_t since, int limit,
    struct store_audit **out, size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_AUDIT_LIST);
	struct store_audit *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int64(s, 2, since);
	sqlite3_bind_int(s, 3, limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[cnt].seq = sqlite3_column_int64(s, 0);
		v[cnt].at_us = sqlite3_column_int64(s, 1);
		v[cnt].user = sqlite3_column_int64(s, 2);
		v[cnt].org = sqlite3_column_int64(s, 3);
		v[cnt].action = col_text(s, 4);
		v[cnt].item = col_text(s, 5);
		v[cnt].detail = col_text(s, 6);
		col_blob32(s, 7, v[cnt].prev, NULL);
		col_blob32(s, 8, v[cnt].hash, NULL);
		cnt++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_audits_free(v, cnt);
		return CS_ESTORE;
	}
	*out = v;
	*n = cnt;
	return CS_OK;
}

/* ---- advisories --------------------------------------------------------- */

static enum cs_err
sq_adv_insert(void *ctx, struct store_advisory *a)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_ADV_INSERT);
	enum cs_err rc;

	bind_id(s, 1, a->t_number);
	sqlite3_bind_int(s, 2, (int)a->state);
	sqlite3_bind_int(s, 3, a->urgent);
	sqlite3_bind_int(s, 4, (int)a->tlp);
	sqlite3_bind_int(s, 5, (int)a->importance);
	sqlite3_bind_int64(s, 6, a->sectors);
	sqlite3_bind_int(s, 7, a->nversions);
	sqlite3_bind_int64(s, 8, a->created_by);
	bind_id(s, 9, a->approved_by);
	sqlite3_bind_int64(s, 10, a->created_us);
	bind_id(s, 11, a->issued_us);
	sqlite3_bind_int64(s, 12, a->updated_us);
	rc = step_done(q, s);
	if (rc == CS_OK)
		a->id = sqlite3_last_insert_rowid(q->db);
	return rc;
}

static enum cs_err
sq_adv_update(void *ctx, const struct store_advisory *a)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_ADV_UPDATE);

	sqlite3_bind_int64(s, 1, a->id);
	sqlite3_bind_int(s, 2, (int)a->state);
	sqlite3_bind_int(s, 3, (int)a->tlp);
	sqlite3_bind_int(s, 4, (int)a->importance);
	sqlite3_bind_int64(s, 5, a->sectors);
	sqlite3_bind_int(s, 6, a->nversions);
	bind_id(s, 7, a->approved_by);
	bind_id(s, 8, a->issued_us);
	sqlite3_bind_int64(s, 9, a->updated_us);
	bind_id(s, 10, a->t_number);
	return step_done(q, s);
}

static void
adv_row(sqlite3_stmt *s, struct store_advisory *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(s, 0);
	a->t_number = sqlite3_column_int64(s, 1);
	a->state = (enum cs_adv_state)sqlite3_column_int(s, 2);
	a->urgent = sqlite3_column_int(s, 3) != 0;
	a->tlp = (enum cs_tlp)sqlite3_column_int(s, 4);
	a->importance = (enum cs_importance)sqlite3_column_int(s, 5);
	a->sectors = (uint32_t)sqlite3_column_int64(s, 6);
	a->nversions = sqlite3_column_int(s, 7);
	a->created_by = sqlite3_column_int64(s, 8);
	a->approved_by = sqlite3_column_int64(s, 9);
	a->created_us = sqlite3_column_int64(s, 10);
	a->issued_us = sqlite3_column_int64(s, 11);
	a->updated_us = sqlite3_column_int64(s, 12);
}

static enum cs_err
sq_adv_get(void *ctx, int64_t id, struct store_advisory *a)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_ADV_GET);
	int rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		adv_row(s, a);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CS_OK : rc == SQLITE_DONE ? CS_ENOENT : CS_ESTORE;
}

static enum cs_err
sq_adv_get_latest(void *ctx, int64_t id, struct store_advisory *a,
    struct store_adv_version *v)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_ADV_GET_LATEST);
	int rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		adv_row(s, a);
		if (sqlite3_column_type(s, 13) != SQLITE_NULL) {
			v->advisory = sqlite3_column_int64(s, 13);
			v->version = sqlite3_column_int(s, 14);
			v->form = col_text(s, 15);
			v->by_user = sqlite3_column_int64(s, 16);
			v->created_us = sqlite3_column_int64(s, 17);
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CS_OK : rc == SQLITE_DONE ? CS_ENOENT : CS_ESTORE;
}

/* Collect rows of a statement into a growing array through `row`. */
#define COLLECT(q, s, T, row, out, n) do {				\
	T *v_ = NULL;							\
	size_t cnt_ = 0, cap_ = 0;					\
	int rc_;							\
	while ((rc_ = sqlite3_step(s)) == SQLITE_ROW) {			\
		if (cnt_ == cap_) {					\
			cap_ = cap_ ? cap_ * 2 : 16;			\
			v_ = xreallocarray(v_, cap_, sizeof(*v_));	\
		}							\
		row(s, &v_[cnt_++]);					\
	}								\
	sqlite3_reset(s);						\
	if (rc_ != SQLITE_DONE) {					\
		free(v_);						\
		return CS_ESTORE;					\
	}								\
	*(out) = v_;							\
	*(n) = cnt_;							\
	return CS_OK;							\
} while (0)

static enum cs_err
sq_adv_list(void *ctx, int64_t before, int limit, struct store_advisory **out,
    size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_ADV_LIST);

	sqlite3_bind_int64(s, 1, before > 0 ? before : INT64_MAX);
	sqlite3_bind_int(s, 2, limit);
	COLLECT(q, s, struct store_advisory, adv_row, out, n);
}

static enum cs_err
sq_adv_version_insert(void *ctx, const struct store_adv_version *v)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_ADV_VERSION_INSERT);

	sqlite3_bind_int64(s, 1, v->advisory);
	sqlite3_bind_int(s, 2, v->version);
	bind_text(s, 3, v->form);
	bind_id(s, 4, v->by_user);
	sqlite3_bind_int64(s, 5, v->created_us);
	return step_done(q, s);
}

static void
adv_version_row(sqlite3_stmt *s, struct store_adv_version *v)
{
	v->advisory = sqlite3_column_int64(s, 0);
	v->version = sqlite3_column_int(s, 1);
	v->form = col_text(s, 2);
	v->by_user = sqlite3_column_int64(s, 3);
	v->created_us = sqlite3_column_int64(s, 4);
}

static enum cs_err
sq_adv_version_list(void *ctx, int64_t adv, struct store_adv_version **out,
    size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_ADV_VERSION_LIST);

	sqlite3_bind_int64(s, 1, adv);
	COLLECT(q, s, struct store_adv_version, adv_version_row, out, n);
}

static enum cs_err
sq_adv_related_add(void *ctx, int64_t adv, const struct store_adv_related *r)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_ADV_RELATED_ADD);

	sqlite3_bind_int64(s, 1, adv);
	sqlite3_bind_int64(s, 2, r->report);
	sqlite3_bind_int(s, 3, r->consent_named);
	return step_done(q, s);
}

static void
related_row(sqlite3_stmt *s, struct store_adv_related *r)
{
	r->report = sqlite3_column_int64(s, 0);
	r->consent_named = sqlite3_column_int(s, 1) != 0;
}

static enum cs_err
sq_adv_related_list(void *ctx, int64_t adv, struct store_adv_related **out,
    size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_ADV_RELATED_LIST);

	sqlite3_bind_int64(s, 1, adv);
	COLLECT(q, s, struct store_adv_related, related_row, out, n);
}

static enum cs_err
sq_delivery_add(void *ctx, struct store_delivery *d, bool *added)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_DELIVERY_ADD);
	enum cs_err rc;

	sqlite3_bind_int64(s, 1, d->advisory);
	sqlite3_bind_int64(s, 2, d->org);
	bind_id(s, 3, d->parent_org);
	bind_text(s, 4, d->via);
	sqlite3_bind_int64(s, 5, d->delivered_us);
	rc = step_done(q, s);
	*added = rc == CS_OK && sqlite3_changes(q->db) > 0;
	if (*added)
		d->id = sqlite3_last_insert_rowid(q->db);
	return rc;
}

static enum cs_err sq_event_add(void *, struct store_event *);

static enum cs_err
sq_delivery_add_many(void *ctx, const struct store_delivery *tmpl,
    const int64_t *orgs, size_t n, int64_t **out, size_t *nout)
{
	int64_t *v = xcalloc(n, sizeof(*v));
	size_t cnt = 0;
	enum cs_err rc = CS_OK;

	for (size_t i = 0; i < n; i++) {
		struct store_delivery d = *tmpl;
		struct store_event ev;
		bool added;

		d.org = orgs[i];
		if ((rc = sq_delivery_add(ctx, &d, &added)) != CS_OK)
			break;
		if (!added)
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.org = orgs[i];
		ev.advisory = tmpl->advisory;
		(void)cs_strlcpy(ev.kind, "delivered", sizeof(ev.kind));
		ev.at_us = tmpl->delivered_us;
		if ((rc = sq_event_add(ctx, &ev)) != CS_OK)
			break;
		v[cnt++] = orgs[i];
	}
	if (rc != CS_OK) {
		free(v);
		return rc;
	}
	*out = v;
	*nout = cnt;
	return CS_OK;
}

static void
delivery_row(sqlite3_stmt *s, struct store_delivery *d)
{
	const unsigned char *via;

	memset(d, 0, sizeof(*d));
	d->id = sqlite3_column_int64(s, 0);
	d->advisory = sqlite3_column_int64(s, 1);
	d->org = sqlite3_column_int64(s, 2);
	d->parent_org = sqlite3_column_int64(s, 3);
	via = sqlite3_column_text(s, 4);
	(void)cs_strlcpy(d->via, via ? (const char *)via : "", sizeof(d->via));
	d->delivered_us = sqlite3_column_int64(s, 5);
	d->read_us = sqlite3_column_int64(s, 6);
	d->ack_us = sqlite3_column_int64(s, 7);
	d->ack_user = sqlite3_column_int64(s, 8);
	d->reminded_us = sqlite3_column_int64(s, 9);
	d->reminders = sqlite3_column_int(s, 10);
}

static enum cs_err
sq_delivery_list(void *ctx, int64_t adv, struct store_delivery **out, size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_DELIVERY_LIST);

	sqlite3_bind_int64(s, 1, adv);
	COLLECT(q, s, struct store_delivery, delivery_row, out, n);
}

static enum cs_err
sq_delivery_get(void *ctx, int64_t adv, int64_t org, struct store_delivery *d)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_DELIVERY_GET);
	int rc;

	sqlite3_bind_int64(s, 1, adv);
	sqlite3_bind_int64(s, 2, org);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		delivery_row(s, d);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CS_OK : rc == SQLITE_DONE ? CS_ENOENT : CS_ESTORE;
}

static enum cs_err
sq_delivery_inbox(void *ctx, int64_t org, int64_t before, int limit,
    struct store_delivery **out, size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_DELIVERY_INBOX);

	sqlite3_bind_int64(s, 1, org);
	sqlite3_bind_int64(s, 2, before > 0 ? before : INT64_MAX);
	sqlite3_bind_int(s, 3, limit);
	COLLECT(q, s, struct store_delivery, delivery_row, out, n);
}

static enum cs_err
sq_delivery_mark_read(void *ctx, int64_t adv, int64_t org, int64_t us)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_DELIVERY_READ);

	sqlite3_bind_int64(s, 1, adv);
	sqlite3_bind_int64(s, 2, org);
	sqlite3_bind_int64(s, 3, us);
	return step_done(q, s);
}

static enum cs_err
sq_delivery_ack(void *ctx, int64_t adv, int64_t org, int64_t user, int64_t us)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_DELIVERY_ACK);

	sqlite3_bind_int64(s, 1, adv);
	sqlite3_bind_int64(s, 2, org);
	sqlite3_bind_int64(s, 3, us);
	sqlite3_bind_int64(s, 4, user);
	return step_done(q, s);
}

static enum cs_err
sq_delivery_due(void *ctx, int64_t before_us, int limit,
    struct store_delivery **out, size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_DELIVERY_DUE);

	sqlite3_bind_int64(s, 1, before_us);
	sqlite3_bind_int(s, 2, limit);
	COLLECT(q, s, struct store_delivery, delivery_row, out, n);
}

static enum cs_err
sq_delivery_reminded(void *ctx, int64_t id, int64_t us)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_DELIVERY_REMINDED);

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, us);
	return step_done(q, s);
}

static enum cs_err
sq_event_add(void *ctx, struct store_event *ev)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_EVENT_ADD);
	enum cs_err rc;

	sqlite3_bind_int64(s, 1, ev->org);
	sqlite3_bind_int64(s, 2, ev->advisory);
	bind_text(s, 3, ev->kind);
	sqlite3_bind_int64(s, 4, ev->at_us);
	rc = step_done(q, s);
	if (rc == CS_OK)
		ev->seq = sqlite3_last_insert_rowid(q->db);
	return rc;
}

static void
event_row(sqlite3_stmt *s, struct store_event *ev)
{
	const unsigned char *k;

	memset(ev, 0, sizeof(*ev));
	ev->seq = sqlite3_column_int64(s, 0);
	ev->org = sqlite3_column_int64(s, 1);
	ev->advisory = sqlite3_column_int64(s, 2);
	k = sqlite3_column_text(s, 3);
	(void)cs_strlcpy(ev->kind, k ? (const char *)k : "", sizeof(ev->kind));
	ev->at_us = sqlite3_column_int64(s, 4);
}

static enum cs_err
sq_event_list(void *ctx, int64_t org, int64_t after, int limit,
    struct store_event **out, size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_EVENT_LIST);

	sqlite3_bind_int64(s, 1, org);
	sqlite3_bind_int64(s, 2, after);
	sqlite3_bind_int(s, 3, limit);
	COLLECT(q, s, struct store_event, event_row, out, n);
}

static enum cs_err
sq_event_last(void *ctx, int64_t org, int64_t *seq)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_EVENT_LAST);
	int rc;

	sqlite3_bind_int64(s, 1, org);
	rc = sqlite3_step(s);
	*seq = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CS_OK : CS_ESTORE;
}

static enum cs_err
sq_widening_insert(void *ctx, struct store_widening *w)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_WIDEN_INSERT);
	enum cs_err rc;

	sqlite3_bind_int64(s, 1, w->report);
	sqlite3_bind_int(s, 2, (int)w->tlp);
	sqlite3_bind_int64(s, 3, w->sectors);
	bind_text(s, 4, w->reason);
	sqlite3_bind_int(s, 5, (int)w->state);
	sqlite3_bind_int64(s, 6, w->by_user);
	sqlite3_bind_int64(s, 7, w->by_org);
	sqlite3_bind_int64(s, 8, w->created_us);
	rc = step_done(q, s);
	if (rc == CS_OK)
		w->id = sqlite3_last_insert_rowid(q->db);
	return rc;
}

static enum cs_err
sq_widening_update(void *ctx, const struct store_widening *w)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_WIDEN_UPDATE);

	sqlite3_bind_int64(s, 1, w->id);
	sqlite3_bind_int(s, 2, (int)w->state);
	bind_id(s, 3, w->decided_us);
	bind_id(s, 4, w->decided_by_org);
	bind_id(s, 5, w->decided_by_user);
	return step_done(q, s);
}

static void
widening_row(sqlite3_stmt *s, struct store_widening *w)
{
	memset(w, 0, sizeof(*w));
	w->id = sqlite3_column_int64(s, 0);
	w->report = sqlite3_column_int64(s, 1);
	w->tlp = (enum cs_tlp)sqlite3_column_int(s, 2);
	w->sectors = (uint32_t)sqlite3_column_int64(s, 3);
	w->reason = col_text(s, 4);
	w->state = (enum store_widening_state)sqlite3_column_int(s, 5);
	w->by_user = sqlite3_column_int64(s, 6);
	w->by_org = sqlite3_column_int64(s, 7);
	w->created_us = sqlite3_column_int64(s, 8);
	w->decided_us = sqlite3_column_int64(s, 9);
	w->decided_by_org = sqlite3_column_int64(s, 10);
	w->decided_by_user = sqlite3_column_int64(s, 11);
}

static enum cs_err
sq_widening_get(void *ctx, int64_t id, struct store_widening *w)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_WIDEN_GET);
	int rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		widening_row(s, w);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CS_OK : rc == SQLITE_DONE ? CS_ENOENT : CS_ESTORE;
}

static enum cs_err
sq_widening_list(void *ctx, int64_t report, int64_t after, int limit,
    struct store_widening **out, size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_WIDEN_LIST);

	sqlite3_bind_int64(s, 1, report);
	sqlite3_bind_int64(s, 2, after);
	sqlite3_bind_int(s, 3, limit);
	COLLECT(q, s, struct store_widening, widening_row, out, n);
}

/* ---- notifications ------------------------------------------------------- */

static enum cs_err
sq_channel_insert(void *ctx, struct store_channel *c)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_CHAN_INSERT);
	char *t = core_seal_text(c->target), *k = seal_or_null(c->secret);
	enum cs_err rc;

	sqlite3_bind_int64(s, 1, c->org);
	bind_id(s, 2, c->user);
	sqlite3_bind_int(s, 3, (int)c->kind);
	bind_text(s, 4, t);
	bind_text(s, 5, k);
	sqlite3_bind_int(s, 6, c->active);
	sqlite3_bind_int64(s, 7, c->created_us);
	rc = step_done(q, s);
	free(t);
	free(k);
	if (rc == CS_OK)
		c->id = sqlite3_last_insert_rowid(q->db);
	return rc;
}

static void
channel_row(sqlite3_stmt *s, struct store_channel *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(s, 0);
	c->org = sqlite3_column_int64(s, 1);
	c->user = sqlite3_column_int64(s, 2);
	c->kind = (enum store_channel_kind)sqlite3_column_int(s, 3);
	c->target = open_col(s, 4);
	if (c->target == NULL)
		c->target = xstrdup("");
	c->secret = open_col(s, 5);
	c->active = sqlite3_column_int(s, 6) != 0;
	c->created_us = sqlite3_column_int64(s, 7);
}

static enum cs_err
sq_channel_get(void *ctx, int64_t id, struct store_channel *c)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_CHAN_GET);
	int rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		channel_row(s, c);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CS_OK : rc == SQLITE_DONE ? CS_ENOENT : CS_ESTORE;
}

static enum cs_err
sq_channel_list(void *ctx, int64_t org, int64_t after, int limit,
    struct store_channel **out, size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_CHAN_LIST);

	sqlite3_bind_int64(s, 1, org);
	sqlite3_bind_int64(s, 2, after);
	sqlite3_bind_int(s, 3, limit);
	COLLECT(q, s, struct store_channel, channel_row, out, n);
}

static enum cs_err
sq_channel_set_active(void *ctx, int64_t id, bool on)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_CHAN_ACTIVE);

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, on);
	return step_done(q, s);
}

static enum cs_err
sq_notif_insert(void *ctx, struct store_notification *x)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_NOTIF_INSERT);
	enum cs_err rc;

	sqlite3_bind_int64(s, 1, x->channel);
	sqlite3_bind_int64(s, 2, x->advisory);
	bind_text(s, 3, x->event);
	bind_text(s, 4, x->subject);
	bind_text(s, 5, x->body);
	sqlite3_bind_int(s, 6, x->attempts);
	sqlite3_bind_int64(s, 7, x->next_us);
	sqlite3_bind_int(s, 8, (int)x->state);
	bind_text(s, 9, x->last_error);
	sqlite3_bind_int64(s, 10, x->created_us);
	bind_id(s, 11, x->sent_us);
	rc = step_done(q, s);
	if (rc == CS_OK)
		x->id = sqlite3_last_insert_rowid(q->db);
	return rc;
}

static void
notif_row(sqlite3_stmt *s, struct store_notification *x)
{
	const unsigned char *ev;

	memset(x, 0, sizeof(*x));
	x->id = sqlite3_column_int64(s, 0);
	x->channel = sqlite3_column_int64(s, 1);
	x->advisory = sqlite3_column_int64(s, 2);
	ev = sqlite3_column_text(s, 3);
	(void)cs_strlcpy(x->event, ev ? (const char *)ev : "", sizeof(x->event));
	x->subject = col_text(s, 4);
	x->body = col_text(s, 5);
	x->attempts = sqlite3_column_int(s, 6);
	x->next_us = sqlite3_column_int64(s, 7);
	x->state = (enum store_notif_state)sqlite3_column_int(s, 8);
	x->last_error = col_text(s, 9);
	x->created_us = sqlite3_column_int64(s, 10);
	x->sent_us = sqlite3_column_int64(s, 11);
}

static enum cs_err
sq_notif_due(void *ctx, int64_t now, int limit, struct store_notification **out,
    size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_NOTIF_DUE);

	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int(s, 2, limit);
	COLLECT(q, s, struct store_notification, notif_row, out, n);
}

static enum cs_err
sq_notif_update(void *ctx, const struct store_notification *x)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_NOTIF_UPDATE);

	sqlite3_bind_int64(s, 1, x->id);
	sqlite3_bind_int(s, 2, x->attempts);
	sqlite3_bind_int64(s, 3, x->next_us);
	sqlite3_bind_int(s, 4, (int)x->state);
	bind_text(s, 5, x->last_error);
	bind_id(s, 6, x->sent_us);
	return step_done(q, s);
}

static enum cs_err
sq_notif_list(void *ctx, int64_t org, int state, int64_t after, int limit,
    struct store_notification **out, size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s = S(q, S_NOTIF_LIST);

	sqlite3_bind_int64(s, 1, org);
	sqlite3_bind_int(s, 2, state);
	sqlite3_bind_int64(s, 3, after);
	sqlite3_bind_int(s, 4, limit);
	COLLECT(q, s, struct store_notification, notif_row, out, n);
}

/* ---- backup ------------------------------------------------------------ */

/*
 * Pages per sqlite3_backup_step().  The whole copy runs inside one read
 * transaction of its own connection: in WAL mode that snapshot blocks no
 * writer (they append to the WAL; only a checkpoint stops at the snapshot),
 * and the copy never restarts because of them.  The step only bounds the
 * work per call.
 */
#define BACKUP_STEP_PAGES	1024

static const char *const backup_sidecars[] = { "-journal", "-wal", "-shm" };

/*
 * Does another process have the SQLite database at path open?  The unix VFS
 * takes a read lock on the SHARED range (from 0x40000002) and keeps it for as
 * long as a WAL-mode connection is open; PENDING and RESERVED (0x40000000,
 * 0x40000001) are taken while writing.  F_GETLK ignores this process's own
 * locks.  Note: closing any descriptor of a file drops this process's POSIX
 * locks on it, so never call this on a file this process has open.
 */
static int
file_in_use(const char *path)
{
	struct flock fl;
	int fd, used = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 0x40000000;
	fl.l_len = 2 + 510;
	if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
		used = 1;
	close(fd);
	return used;
}

static int
fsync_path(const char *path, int flags)
{
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | flags)) < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Removes path's -journal, -wal and -shm (absent ones are fine). */
static void
unlink_sidecars(const char *path)
{
	for (size_t i = 0; i < sizeof(backup_sidecars) / sizeof(*backup_sidecars); i++) {
		char *p = xasprintf("%s%s", path, backup_sidecars[i]);

		(void)unlink(p);
		free(p);
	}
}

/* The first row of PRAGMA integrity_check on db: "ok" when intact. */
static char *
integrity_check(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	char *res;

	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) !=
	    SQLITE_OK)
		return xstrdup(sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != NULL)
		res = xstrdup((const char *)sqlite3_column_text(s, 0));
	else
		res = xstrdup(sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return res;
}

static enum cs_err
sq_backup(void *ctx, const char *out, struct cs_error *e)
{
	struct sq *q = ctx;
	const char *src_path = sqlite3_db_filename(q->db, "main");
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *b = NULL;
	struct stat sa, sb;
	char *tmp = NULL, *dir = NULL, *check = NULL, *slash;
	enum cs_err rc = CS_ESTORE;
	int fd, r, busy = 0;

	if (src_path == NULL || *src_path == '\0')
		return cs_fail(e, CS_EINVAL, "db", "a temporary database has no backup");
	if (stat(out, &sb) == 0) {
		if (stat(src_path, &sa) == 0 && sa.st_dev == sb.st_dev &&
		    sa.st_ino == sb.st_ino)
			return cs_fail(e, CS_EINVAL, "out", "%s is the database itself",
			    out);
		if (file_in_use(out))
			return cs_fail(e, CS_ECONFLICT, "out", "%s is open in another "
			    "process (a running cishared?)", out);
	}
	tmp = xasprintf("%s.tmp-XXXXXX", out);
	if ((fd = mkstemp(tmp)) < 0) {
		rc = cs_fail(e, CS_EIO, "out", "cannot create %s: %s", tmp,
		    strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	close(fd);

	/* The source: a read snapshot on a connection of its own. */
	if (sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		rc = cs_fail(e, CS_ESTORE, "db", "cannot open %s: %s", src_path,
		    src ? sqlite3_errmsg(src) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(src, 10000);
	if (sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_master;",
	    NULL, NULL, NULL) != SQLITE_OK) {
		rc = cs_fail(e, CS_ESTORE, "db", "cannot read %s: %s", src_path,
		    sqlite3_errmsg(src));
		goto out;
	}

	/* The copy: no journal and no syncs of its own; fsync'd once below. */
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(dst, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;",
	    NULL, NULL, NULL) != SQLITE_OK) {
		rc = cs_fail(e, CS_EIO, "out", "cannot open %s: %s", tmp,
		    dst ? sqlite3_errmsg(dst) : "out of memory");
		goto out;
	}
	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		rc = cs_fail(e, CS_ESTORE, "db", "backup: %s", sqlite3_errmsg(dst));
		goto out;
	}
	for (;;) {
		r = sqlite3_backup_step(b, BACKUP_STEP_PAGES);
		if (r == SQLITE_OK)
			continue;
		if ((r == SQLITE_BUSY || r == SQLITE_LOCKED) && busy++ < 1000) {
			sqlite3_sleep(10);
			continue;
		}
		break;
	}
	r = sqlite3_backup_finish(b);
	b = NULL;
	if (r != SQLITE_OK) {
		rc = cs_fail(e, CS_EIO, "out", "backup: %s", sqlite3_errstr(r));
		goto out;
	}
	(void)sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(src);
	src = NULL;

	check = integrity_check(dst);
	if (strcmp(check, "ok") != 0) {
		rc = cs_fail(e, CS_ESTORE, "out", "the copy fails integrity_check: %s",
		    check);
		goto out;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		rc = cs_fail(e, CS_EIO, "out", "cannot close %s", tmp);
		goto out;
	}
	dst = NULL;

	/* Durable first, then in place: out_path is either old or whole. */
	dir = xstrdup(out);
	if ((slash = strrchr(dir, '/')) == NULL) {
		free(dir);
		dir = xstrdup(".");
	} else
		slash[slash == dir ? 1 : 0] = '\0';
	if (fsync_path(tmp, 0) != 0) {
		rc = cs_fail(e, CS_EIO, "out", "cannot fsync %s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	unlink_sidecars(out);
	if (rename(tmp, out) != 0) {
		rc = cs_fail(e, CS_EIO, "out", "cannot rename %s to %s: %s", tmp, out,
		    strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	if (fsync_path(dir, O_DIRECTORY) != 0) {
		rc = cs_fail(e, CS_EIO, "out", "cannot fsync %s: %s", dir,
		    strerror(errno));
		goto out;
	}
	rc = CS_OK;
out:
	if (b != NULL)
		(void)sqlite3_backup_finish(b);
	if (src != NULL)
		sqlite3_close(src);
	if (dst != NULL)
		sqlite3_close(dst);
	if (tmp != NULL) {
		(void)unlink(tmp);
		unlink_sidecars(tmp);
	}
	free(tmp);
	free(dir);
	free(check);
	return rc;
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.schema_version = sq_schema_version,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.mark = sq_mark,
	.unmark = sq_unmark,
	.reader_open = sq_reader_open,
	.reader_close = sq_close,
	.meta_get = sq_meta_get,
	.meta_set = sq_meta_set,
	.ref_put = sq_ref_put,
	.ref_get = sq_ref_get,
	.counter_next = sq_counter_next,
	.org_insert = sq_org_insert,
	.org_get = sq_org_get,
	.org_update = sq_org_update,
	.org_list = sq_org_list,
	.user_insert = sq_user_insert,
	.user_get = sq_user_get,
	.user_by_login = sq_user_by_login,
	.user_list = sq_user_list,
	.token_insert = sq_token_insert,
	.token_get = sq_token_get,
	.token_principal = sq_token_principal,
	.token_delete = sq_token_delete,
	.token_list = sq_token_list,
	.user_update = sq_user_update,
	.report_insert = sq_report_insert,
	.report_update = sq_report_update,
	.report_set_anon = sq_report_set_anon,
	.report_get = sq_report_get,
	.report_candidates = sq_report_candidates,
	.path_add = sq_path_add,
	.share_add = sq_share_add,
	.extra_add = sq_extra_add,
	.version_insert = sq_version_insert,
	.version_list = sq_version_list,
	.adv_insert = sq_adv_insert,
	.adv_update = sq_adv_update,
	.adv_get = sq_adv_get,
	.adv_get_latest = sq_adv_get_latest,
	.adv_list = sq_adv_list,
	.adv_version_insert = sq_adv_version_insert,
	.adv_version_list = sq_adv_version_list,
	.adv_related_add = sq_adv_related_add,
	.adv_related_list = sq_adv_related_list,
	.delivery_add = sq_delivery_add,
	.delivery_add_many = sq_delivery_add_many,
	.delivery_list = sq_delivery_list,
	.delivery_get = sq_delivery_get,
	.delivery_inbox = sq_delivery_inbox,
	.delivery_mark_read = sq_delivery_mark_read,
	.delivery_ack = sq_delivery_ack,
	.delivery_due = sq_delivery_due,
	.delivery_reminded = sq_delivery_reminded,
	.event_add = sq_event_add,
	.event_list = sq_event_list,
	.event_last = sq_event_last,
	.widening_insert = sq_widening_insert,
	.widening_update = sq_widening_update,
	.widening_get = sq_widening_get,
	.widening_list = sq_widening_list,
	.channel_insert = sq_channel_insert,
	.channel_get = sq_channel_get,
	.channel_list = sq_channel_list,
	.channel_set_active = sq_channel_set_active,
	.notif_insert = sq_notif_insert,
	.notif_due = sq_notif_due,
	.notif_update = sq_notif_update,
	.notif_list = sq_notif_list,
	.audit_last = sq_audit_last,
	.audit_insert = sq_audit_insert,
	.audit_list = sq_audit_list,
	.backup = sq_backup,
};
