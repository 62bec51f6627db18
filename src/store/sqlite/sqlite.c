/*
 * sqlite.c: the SQLite backend of the store (WAL, synchronous=FULL).
 *
 * The engine of store_int.h: connection, transactions and savepoints,
 * migrations (DDL), backup.  Every area statement of the registry is
 * prepared once at open (SQLITE_PREPARE_PERSISTENT) and run by id.
 * Migrations are an ordered list; PRAGMA user_version records how many
 * have run.  One connection serves the daemon; store.c serialises
 * transactions and groups them (group commit).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/store_int.h"

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
	/* 6: failed logins, by the login's keyed hash (lockout) */
	"CREATE TABLE login_failures(login_hash BLOB NOT NULL,"
	" at_us INTEGER NOT NULL);"
	"CREATE INDEX login_failures_hash ON login_failures(login_hash, at_us);",
	/* 7: a user's fax number (identity matching, the 様式's contact) */
	"ALTER TABLE users ADD COLUMN fax_sealed TEXT;",
	/* 8: disclosure bases (issue 10 item 10); a share made under one */
	"CREATE TABLE report_disclosures(id INTEGER PRIMARY KEY,"
	" report INTEGER NOT NULL REFERENCES reports(id), basis INTEGER NOT NULL,"
	" reason TEXT NOT NULL, to_text TEXT NOT NULL, by_org INTEGER NOT NULL,"
	" by_user INTEGER NOT NULL, at_us INTEGER NOT NULL);"
	"CREATE INDEX report_disclosures_report ON report_disclosures(report, id);"
	"CREATE TRIGGER report_disclosures_ro_u BEFORE UPDATE ON report_disclosures"
	" BEGIN SELECT RAISE(ABORT, 'disclosure records are immutable'); END;"
	"CREATE TRIGGER report_disclosures_ro_d BEFORE DELETE ON report_disclosures"
	" BEGIN SELECT RAISE(ABORT, 'disclosure records are immutable'); END;"
	"ALTER TABLE report_shares ADD COLUMN disclosure INTEGER"
	" REFERENCES report_disclosures(id);",
	/*
	 * 9: source reviews of advisories related to an
	 * anonymised report, one per (advisory, version, report); the
	 * secretariat's decision and comment (no identity: hits are recomputed)
	 */
	"CREATE TABLE advisory_reviews(id INTEGER PRIMARY KEY,"
	" advisory INTEGER NOT NULL REFERENCES advisories(id),"
	" version INTEGER NOT NULL, report INTEGER NOT NULL REFERENCES reports(id),"
	" org INTEGER NOT NULL, state INTEGER NOT NULL, comment TEXT,"
	" decided_by_user INTEGER, decided_us INTEGER, created_us INTEGER NOT NULL,"
	" UNIQUE(advisory, version, report));"
	"CREATE INDEX advisory_reviews_org ON advisory_reviews(org, state, id);",
	/*
	 * 10: STIX objects contributed through TAXII (one generic table,
	 * LAYOUT.md), paged by (added_us, seq); the status resources of the
	 * POSTs that brought them
	 */
	"CREATE TABLE stix_objects(seq INTEGER PRIMARY KEY,"
	" collection TEXT NOT NULL, stix_id TEXT NOT NULL, type TEXT NOT NULL,"
	" spec_version TEXT NOT NULL, modified TEXT NOT NULL,"
	" added_us INTEGER NOT NULL, tlp INTEGER NOT NULL, org INTEGER NOT NULL,"
	" status TEXT NOT NULL, json TEXT NOT NULL,"
	" UNIQUE(collection, stix_id, modified));"
	"CREATE INDEX stix_objects_page ON stix_objects(collection, added_us, seq);"
	"CREATE INDEX stix_objects_org ON stix_objects(collection, org, added_us, seq);"
	"CREATE TABLE taxii_status(id TEXT PRIMARY KEY, org INTEGER NOT NULL,"
	" at_us INTEGER NOT NULL, total INTEGER NOT NULL, detail TEXT NOT NULL);",
	/*
	 * 11: the observable index (issue 12 item 2): each normalised
	 * observable once, and the item versions (report hops, advisory
	 * versions) that hold it, with the item's sector and time
	 */
	"CREATE TABLE observables(id INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"
	" value_norm TEXT NOT NULL, UNIQUE(value_norm, kind));"
	"CREATE TABLE item_observables(item_kind INTEGER NOT NULL,"
	" item_id INTEGER NOT NULL, version INTEGER NOT NULL, hop INTEGER NOT NULL,"
	" observable INTEGER NOT NULL REFERENCES observables(id),"
	" sector INTEGER NOT NULL, at_us INTEGER NOT NULL,"
	" PRIMARY KEY(item_kind, item_id, version, hop, observable));"
	"CREATE INDEX item_observables_obs ON item_observables(observable, at_us);"
	"CREATE INDEX item_observables_at ON item_observables(at_us, observable, sector);",
	/*
	 * 12: full-text search (issue 12 item 5): the folded text of every
	 * version stored in clear (ident_fold_json), one row per report
	 * version and hop or advisory version, key = store_search_key(); its
	 * trigram index, fed by a trigger; the rows written before this
	 * migration are indexed at the next open (meta search_backfill)
	 */
	"CREATE TABLE search_docs(key INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"
	" item INTEGER NOT NULL, version INTEGER NOT NULL, hop INTEGER NOT NULL,"
	" body TEXT NOT NULL);"
	"CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_docs',"
	" content_rowid='key', tokenize='trigram');"
	"CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN"
	" INSERT INTO search_fts(rowid, body) VALUES (new.key, new.body); END;"
	"INSERT INTO meta(key, value) VALUES ('search_backfill', 'pending')"
	" ON CONFLICT DO NOTHING;",
	/* 13: operating modes (別紙４－２) and the situation board's updates */
	"CREATE TABLE modes(id INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"
	" cause INTEGER NOT NULL, sectors INTEGER NOT NULL,"
	" declared_us INTEGER NOT NULL, declared_by_org INTEGER NOT NULL,"
	" declared_by_user INTEGER NOT NULL, ended_us INTEGER,"
	" ended_by_user INTEGER);"
	"CREATE TABLE situation(id INTEGER PRIMARY KEY, mode INTEGER NOT NULL"
	" REFERENCES modes(id), sector INTEGER NOT NULL, kind INTEGER NOT NULL,"
	" text TEXT NOT NULL, services_down TEXT, restoration TEXT,"
	" by_org INTEGER NOT NULL, by_user INTEGER NOT NULL,"
	" at_us INTEGER NOT NULL);"
	"CREATE INDEX situation_mode ON situation(mode, at_us);",
	/* 14: the CEPTOAR council space: members, posts, addressees, shares */
	"CREATE TABLE council_members(org INTEGER PRIMARY KEY REFERENCES orgs(id),"
	" since_us INTEGER NOT NULL);"
	"CREATE TABLE council_posts(id INTEGER PRIMARY KEY, author_org INTEGER NOT NULL,"
	" author_user INTEGER NOT NULL, text TEXT NOT NULL, tlp INTEGER NOT NULL,"
	" to_all INTEGER NOT NULL, created_us INTEGER NOT NULL);"
	"CREATE TABLE council_post_to(post INTEGER NOT NULL REFERENCES council_posts(id),"
	" org INTEGER NOT NULL, PRIMARY KEY(post, org));"
	"CREATE INDEX council_post_to_org ON council_post_to(org, post);"
	"CREATE TABLE council_post_shares(post INTEGER NOT NULL"
	" REFERENCES council_posts(id), org INTEGER NOT NULL, by_user INTEGER NOT NULL,"
	" at_us INTEGER NOT NULL, PRIMARY KEY(post, org));"
	"CREATE INDEX council_post_shares_org ON council_post_shares(org, post);",
	/* 15: CEPTOAR drills and the reports and advisories that belong to one */
	"CREATE TABLE drills(id INTEGER PRIMARY KEY, name TEXT NOT NULL, scenario TEXT,"
	" targets TEXT NOT NULL, starts_us INTEGER NOT NULL, by_org INTEGER NOT NULL,"
	" by_user INTEGER NOT NULL, created_us INTEGER NOT NULL);"
	"CREATE TABLE drill_items(drill INTEGER NOT NULL REFERENCES drills(id),"
	" kind INTEGER NOT NULL, item INTEGER NOT NULL, PRIMARY KEY(kind, item));"
	"CREATE INDEX drill_items_drill ON drill_items(drill, kind, item);",
	/* 16: cross-sector exercises, their responses and logged issues */
	"CREATE TABLE exercises(id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	" participants TEXT NOT NULL, injects TEXT NOT NULL, speed INTEGER NOT NULL,"
	" started_us INTEGER NOT NULL, by_org INTEGER NOT NULL, by_user INTEGER NOT NULL,"
	" created_us INTEGER NOT NULL);"
	"CREATE TABLE exercise_notes(id INTEGER PRIMARY KEY, exercise INTEGER NOT NULL"
	" REFERENCES exercises(id), inject INTEGER NOT NULL, org INTEGER NOT NULL,"
	" \"user\" INTEGER NOT NULL, text TEXT NOT NULL, at_us INTEGER NOT NULL);"
	"CREATE INDEX exercise_notes_ex ON exercise_notes(exercise, inject, id);",
	/* 17: tokens expire, carry a scope and their last use (ASVS V3) */
	"ALTER TABLE tokens ADD COLUMN expires_us INTEGER;"
	"ALTER TABLE tokens ADD COLUMN last_used_us INTEGER;"
	"ALTER TABLE tokens ADD COLUMN scope INTEGER NOT NULL DEFAULT 0;",
	/* 18: the yearly self-assessment survey (issue 14) */
	"CREATE TABLE surveys(id INTEGER PRIMARY KEY, fiscal_year INTEGER NOT NULL,"
	" sectors INTEGER NOT NULL, edition TEXT NOT NULL, state INTEGER NOT NULL,"
	" by_org INTEGER NOT NULL, by_user INTEGER NOT NULL, created_us INTEGER NOT NULL,"
	" closed_us INTEGER NOT NULL);"
	"CREATE TABLE survey_orgs(survey INTEGER NOT NULL REFERENCES surveys(id),"
	" org INTEGER NOT NULL, state INTEGER NOT NULL, shared INTEGER NOT NULL,"
	" updated_us INTEGER NOT NULL, submitted_us INTEGER NOT NULL,"
	" submitted_by INTEGER NOT NULL, PRIMARY KEY(survey, org));"
	"CREATE TABLE survey_answers(survey INTEGER NOT NULL REFERENCES surveys(id),"
	" org INTEGER NOT NULL, control TEXT NOT NULL, status INTEGER NOT NULL,"
	" note TEXT NOT NULL, owner TEXT NOT NULL, updated_us INTEGER NOT NULL,"
	" by_user INTEGER NOT NULL, PRIMARY KEY(survey, org, control));",
	/* 19: the risk-management workspace of an operator and its risk register */
	"CREATE TABLE risk_workspaces(org INTEGER PRIMARY KEY REFERENCES orgs(id),"
	" profile TEXT NOT NULL, matrix TEXT NOT NULL, checks TEXT NOT NULL,"
	" shared TEXT NOT NULL, updated_us INTEGER NOT NULL, by_user INTEGER NOT NULL);"
	"CREATE TABLE risks(id INTEGER PRIMARY KEY, org INTEGER NOT NULL REFERENCES orgs(id),"
	" data TEXT NOT NULL, score INTEGER NOT NULL, archived INTEGER NOT NULL,"
	" created_us INTEGER NOT NULL, updated_us INTEGER NOT NULL, by_user INTEGER NOT NULL);"
	"CREATE INDEX risks_org ON risks(org, archived, score);",
	/* 20: attachments (別紙) in chunks, sample requests (検体) */
	"CREATE TABLE attachments(id INTEGER PRIMARY KEY, report INTEGER"
	" REFERENCES reports(id), advisory INTEGER REFERENCES advisories(id),"
	" version INTEGER NOT NULL, hop INTEGER NOT NULL, name TEXT NOT NULL,"
	" content_type TEXT NOT NULL, size INTEGER NOT NULL, sha256 BLOB,"
	" sealed_meta TEXT, sealed_key TEXT, nchunks INTEGER NOT NULL,"
	" source INTEGER REFERENCES attachments(id), sample INTEGER,"
	" by_org INTEGER NOT NULL, by_user INTEGER NOT NULL,"
	" created_us INTEGER NOT NULL);"
	"CREATE INDEX attachments_report ON attachments(report, id);"
	"CREATE INDEX attachments_advisory ON attachments(advisory, id);"
	"CREATE TABLE attachment_chunks(id INTEGER PRIMARY KEY, att INTEGER NOT NULL"
	" REFERENCES attachments(id), seq INTEGER NOT NULL, size INTEGER NOT NULL,"
	" data BLOB NOT NULL, UNIQUE(att, seq));"
	"CREATE TABLE sample_requests(id INTEGER PRIMARY KEY, report INTEGER NOT NULL"
	" REFERENCES reports(id), what TEXT NOT NULL, reason TEXT NOT NULL,"
	" by_org INTEGER NOT NULL, by_user INTEGER NOT NULL, at_us INTEGER NOT NULL,"
	" state INTEGER NOT NULL, attachment INTEGER REFERENCES attachments(id),"
	" decline TEXT, answered_by_org INTEGER, answered_by_user INTEGER,"
	" answered_us INTEGER);"
	"CREATE INDEX sample_requests_report ON sample_requests(report, id);",
	/* 21: inquiries (問合せ) about advisories, operators' questions to their
	 * ministry, NISC's handling state (未処理/担当) of received reports */
	"CREATE TABLE inquiries(id INTEGER PRIMARY KEY, advisory INTEGER NOT NULL"
	" REFERENCES advisories(id), org INTEGER NOT NULL, \"user\" INTEGER NOT NULL,"
	" text TEXT NOT NULL, question INTEGER, created_us INTEGER NOT NULL,"
	" answer TEXT, answered_by INTEGER, answered_us INTEGER);"
	"CREATE INDEX inquiries_adv ON inquiries(advisory, id);"
	"CREATE INDEX inquiries_open ON inquiries(answered_us, id);"
	"CREATE TABLE adv_questions(id INTEGER PRIMARY KEY, advisory INTEGER NOT NULL"
	" REFERENCES advisories(id), org INTEGER NOT NULL, \"user\" INTEGER NOT NULL,"
	" ministry INTEGER NOT NULL, text TEXT NOT NULL, created_us INTEGER NOT NULL,"
	" inquiry INTEGER, answer TEXT, answered_by INTEGER, answered_us INTEGER);"
	"CREATE INDEX adv_questions_adv ON adv_questions(advisory, id);"
	"CREATE INDEX adv_questions_ministry ON adv_questions(ministry, id);"
	"CREATE TABLE report_triage(report INTEGER PRIMARY KEY REFERENCES reports(id),"
	" state INTEGER NOT NULL, assignee INTEGER, by_user INTEGER NOT NULL,"
	" updated_us INTEGER NOT NULL);",
	/* 22: notes left by actions: relay and forward comments, returns (差戻し) */
	"CREATE TABLE item_notes(id INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"
	" item INTEGER NOT NULL, org INTEGER NOT NULL, \"user\" INTEGER NOT NULL,"
	" text TEXT NOT NULL, at_us INTEGER NOT NULL);"
	"CREATE INDEX item_notes_item ON item_notes(kind, item, id);",
	/*
	 * 23: federation peers (issue 11 item 4): the local organisation
	 * that stands for the remote node, what to poll there, the
	 * credential (sealed), the cursor and the last sync's outcome
	 */
	"CREATE TABLE peers(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" org INTEGER NOT NULL, url TEXT, collection TEXT NOT NULL,"
	" auth INTEGER NOT NULL, login TEXT, secret TEXT,"
	" interval_s INTEGER NOT NULL, enabled INTEGER NOT NULL, cursor TEXT,"
	" last_try_us INTEGER NOT NULL, last_ok_us INTEGER NOT NULL,"
	" last_error TEXT, failures INTEGER NOT NULL, next_us INTEGER NOT NULL,"
	" received INTEGER NOT NULL, created_us INTEGER NOT NULL);"
	"CREATE INDEX peers_org ON peers(org);",
	/*
	 * 24: the TOTP second factor (issue 16 item 3): the sealed secret,
	 * active once confirmed, the last step used, the recovery hashes
	 */
	"CREATE TABLE user_totp(\"user\" INTEGER PRIMARY KEY,"
	" secret TEXT NOT NULL, active INTEGER NOT NULL,"
	" last_step INTEGER NOT NULL, recovery TEXT NOT NULL,"
	" created_us INTEGER NOT NULL, confirmed_us INTEGER NOT NULL);",
	/*
	 * 25: retention (issue 16 item 6): legal holds on reports and
	 * advisories, a report's source erasure, and `purging`, the marks
	 * that let a purge (kind 0 report, 1 advisory) or a source erasure
	 * (kind 2: sealed_form to NULL only) through the immutability
	 * triggers inside its own transaction (the marks go before commit)
	 */
	"ALTER TABLE reports ADD COLUMN held_us INTEGER;"
	"ALTER TABLE reports ADD COLUMN held_by INTEGER;"
	"ALTER TABLE reports ADD COLUMN source_erased_us INTEGER;"
	"ALTER TABLE advisories ADD COLUMN held_us INTEGER;"
	"ALTER TABLE advisories ADD COLUMN held_by INTEGER;"
	"CREATE TABLE purging(kind INTEGER NOT NULL, item INTEGER NOT NULL,"
	" PRIMARY KEY(kind, item));"
	"DROP TRIGGER report_versions_ro_u;"
	"CREATE TRIGGER report_versions_ro_u BEFORE UPDATE ON report_versions"
	" WHEN NOT (new.sealed_form IS NULL AND new.form IS old.form"
	" AND new.report = old.report AND new.version = old.version"
	" AND new.hop = old.hop AND new.by_org IS old.by_org"
	" AND new.by_user IS old.by_user AND new.created_us = old.created_us"
	" AND EXISTS (SELECT 1 FROM purging WHERE kind = 2 AND item = old.report))"
	" BEGIN SELECT RAISE(ABORT, 'report versions are immutable'); END;"
	"DROP TRIGGER report_versions_ro_d;"
	"CREATE TRIGGER report_versions_ro_d BEFORE DELETE ON report_versions"
	" WHEN NOT EXISTS (SELECT 1 FROM purging WHERE kind = 0"
	" AND item = old.report)"
	" BEGIN SELECT RAISE(ABORT, 'report versions are immutable'); END;"
	"DROP TRIGGER advisory_versions_ro_d;"
	"CREATE TRIGGER advisory_versions_ro_d BEFORE DELETE ON advisory_versions"
	" WHEN NOT EXISTS (SELECT 1 FROM purging WHERE kind = 1"
	" AND item = old.advisory)"
	" BEGIN SELECT RAISE(ABORT, 'advisory versions are immutable'); END;"
	"DROP TRIGGER report_disclosures_ro_d;"
	"CREATE TRIGGER report_disclosures_ro_d BEFORE DELETE ON report_disclosures"
	" WHEN NOT EXISTS (SELECT 1 FROM purging WHERE kind = 0"
	" AND item = old.report)"
	" BEGIN SELECT RAISE(ABORT, 'disclosure records are immutable'); END;"
	"CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN"
	" INSERT INTO search_fts(search_fts, rowid, body)"
	" VALUES ('delete', old.key, old.body); END;",
	/*
	 * 26: the generation of authentication facts (issue 17): bumped,
	 * in the changing transaction, by every change to what a cached
	 * principal holds (api/common.c): a token's row but its last use,
	 * a user, an organisation, a second factor's activation, the peer
	 * registry.  A new token, user or organisation changes no cached
	 * principal (none holds it yet).  A last use only moves forward (a
	 * cached one is never newer than the stored one), unless set back
	 * by hand: that moves the generation too.  `data` is moved by
	 * store.c: once per committed batch that wrote anything but audit
	 * entries, last uses and the full-text index (the rendered-report
	 * cache of api/reports.c).  A generation moves to a random value, not
	 * the next one: a value an undone transaction made (seen by a later
	 * request of its group) never comes back.
	 */
	"CREATE TABLE generation(id INTEGER PRIMARY KEY, auth INTEGER NOT NULL,"
	" data INTEGER NOT NULL);"
	"INSERT INTO generation(id, auth, data) VALUES (1, 0, 0);"
	"CREATE TRIGGER tokens_gen_u AFTER UPDATE OF \"user\", hash, label,"
	" created_us, expires_us, scope ON tokens"
	" BEGIN UPDATE generation SET auth = random() WHERE id = 1; END;"
	"CREATE TRIGGER tokens_gen_back AFTER UPDATE OF last_used_us ON tokens"
	" WHEN new.last_used_us IS NULL OR new.last_used_us < old.last_used_us"
	" BEGIN UPDATE generation SET auth = random() WHERE id = 1; END;"
	"CREATE TRIGGER tokens_gen_d AFTER DELETE ON tokens"
	" BEGIN UPDATE generation SET auth = random() WHERE id = 1; END;"
	"CREATE TRIGGER users_gen_u AFTER UPDATE ON users"
	" BEGIN UPDATE generation SET auth = random() WHERE id = 1; END;"
	"CREATE TRIGGER users_gen_d AFTER DELETE ON users"
	" BEGIN UPDATE generation SET auth = random() WHERE id = 1; END;"
	"CREATE TRIGGER orgs_gen_u AFTER UPDATE ON orgs"
	" BEGIN UPDATE generation SET auth = random() WHERE id = 1; END;"
	"CREATE TRIGGER orgs_gen_d AFTER DELETE ON orgs"
	" BEGIN UPDATE generation SET auth = random() WHERE id = 1; END;"
	"CREATE TRIGGER user_totp_gen_i AFTER INSERT ON user_totp"
	" BEGIN UPDATE generation SET auth = random() WHERE id = 1; END;"
	"CREATE TRIGGER user_totp_gen_u AFTER UPDATE OF active ON user_totp"
	" BEGIN UPDATE generation SET auth = random() WHERE id = 1; END;"
	"CREATE TRIGGER user_totp_gen_d AFTER DELETE ON user_totp"
	" BEGIN UPDATE generation SET auth = random() WHERE id = 1; END;"
	"CREATE TRIGGER peers_gen_i AFTER INSERT ON peers"
	" BEGIN UPDATE generation SET auth = random() WHERE id = 1; END;"
	"CREATE TRIGGER peers_gen_u AFTER UPDATE OF org ON peers"
	" BEGIN UPDATE generation SET auth = random() WHERE id = 1; END;"
	"CREATE TRIGGER peers_gen_d AFTER DELETE ON peers"
	" BEGIN UPDATE generation SET auth = random() WHERE id = 1; END;",
	/*
	 * 27: the trigram index off the writing transaction (issue 17): a
	 * row of search_docs is committed with its key in search_pending,
	 * and the indexer (store.c) moves it into search_fts in transactions
	 * of its own; queries scan the pending rows' text (st_search.c).
	 * Every row written before is indexed already.  A row deleted while
	 * pending was never in search_fts, so it is not deleted from it
	 * (FTS5 calls a 'delete' of values it does not hold unpredictable).
	 */
	"CREATE TABLE search_pending(key INTEGER PRIMARY KEY);"
	"DROP TRIGGER search_docs_ai;"
	"CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN"
	" INSERT INTO search_pending(key) VALUES (new.key); END;"
	"DROP TRIGGER search_docs_ad;"
	"CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN"
	" INSERT INTO search_fts(search_fts, rowid, body)"
	" SELECT 'delete', old.key, old.body WHERE NOT EXISTS"
	" (SELECT 1 FROM search_pending WHERE key = old.key);"
	" DELETE FROM search_pending WHERE key = old.key; END;",
};
#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

struct sq {
	sqlite3		*db;
	sqlite3_stmt	**st;		/* the registry's, by id (NULL: not here) */
	size_t		 nst;
	int		 in_tx;
	int		 relaxed;	/* synchronous = NORMAL (a batch of reads) */
	bool		 reader;	/* a read-only connection beside the writer */
	/* The checkpointer: its own connection, outside the store lock. */
	pthread_t	 ckpt;
	bool		 ckpt_on;
	bool		 ckpt_stop;
	pthread_mutex_t	 ckpt_lock;
	pthread_cond_t	 ckpt_cv;
	int		 wal_frames;	/* the WAL's length after the last commit */
	atomic_int	 ckpt_done;	/* frames the checkpointer's last pass left copied */
	char		*path;
	/* The writer's: SQLite's mapping of the wal-index header (sq_stamp). */
	const volatile unsigned char *shm;
};

static enum cs_err
fail_db(struct sq *q, struct cs_error *e, const char *what)
{
	return cs_fail(e, CS_ESTORE, "", "%s: %s", what, sqlite3_errmsg(q->db));
}

/* A transaction statement of the registry (store_int.h TX_*). */
static sqlite3_stmt *
S(struct sq *q, enum store_tx i)
{
	sqlite3_stmt *s = q->st[i];

	sqlite3_reset(s);
	return s;
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
 * a commit.  SQLite restarts the WAL from its start only when a write
 * transaction begins on a fully checkpointed WAL, which under a steady
 * stream of group commits never happens (the checkpointer is always behind
 * by the last commits): the WAL grows by ~100 KB a report, each frame
 * written to a new block (which the kernel zeroes first: 17 % of intake's
 * CPU in session 6, with the checkpointer doing nothing at all).  So past CKPT_RESTART_FRAMES the checkpointer runs every
 * CKPT_FAST_MS, and once its last pass left no more than CKPT_TAIL_FRAMES
 * behind the writer's WAL (or the WAL is CKPT_HARD_FRAMES long), the
 * writer checkpoints the rest itself before its next BEGIN (sq_begin:
 * those frames and the database file's fsync, under the store lock) and
 * its next commit writes from the WAL's start.
 */
#define CKPT_PERIOD_MS	200
#define CKPT_FAST_MS	20
#define CKPT_RESTART_FRAMES	2048	/* 8 MiB of 4 KiB pages */
#define CKPT_TAIL_FRAMES	1024
#define CKPT_HARD_FRAMES	8192

/* sqlite3_wal_hook: the WAL's length after each commit (store lock held). */
static int
wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct sq *q = arg;

	(void)db;
	(void)name;
	q->wal_frames = frames;
	return SQLITE_OK;
}

static void *
ckpt_main(void *arg)
{
	struct sq *q = arg;
	sqlite3 *db = NULL;
	struct timespec ts;
	bool big = false;

	if (sqlite3_open_v2(q->path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		log_warn("event=sqlite_checkpointer_failed msg=\"%s\"",
		    db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 1000);
	/*
	 * A connection opens the WAL with its first read: until then a
	 * checkpoint on it does nothing and says so only by *log = -1 (this
	 * one did nothing from session 2 to 6, and the WAL grew until the
	 * daemon stopped).
	 */
	(void)sqlite3_exec(db, "PRAGMA schema_version", NULL, NULL, NULL);
	pthread_mutex_lock(&q->ckpt_lock);
	while (!q->ckpt_stop) {
		int log = 0, done = 0;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (big ? CKPT_FAST_MS : CKPT_PERIOD_MS) * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		(void)pthread_cond_timedwait(&q->ckpt_cv, &q->ckpt_lock, &ts);
		if (q->ckpt_stop)
			break;
		pthread_mutex_unlock(&q->ckpt_lock);
		if (sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE,
		    &log, &done) == SQLITE_OK) {
			atomic_store(&q->ckpt_done, done);
			big = log >= CKPT_RESTART_FRAMES;
		}
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
	/* No automatic checkpoint in a commit; the WAL's length noted instead. */
	sqlite3_wal_hook(q->db, wal_hook, q);
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

/* Every registry statement SQLite has (its transactions' too). */
/*
 * The commit stamp (store_engine.stamp).  In WAL mode every connection to
 * the database, in any process, shares the wal-index in the -shm file.  It
 * opens with two copies of the 48-byte WAL-index header
 * (https://www.sqlite.org/walformat.html): the change counter, mxFrame,
 * the page count, the salts and checksums.  A commit writes the second
 * copy, then the first, before it returns; a reader reads the first, then
 * the second, and trusts them only when they are equal (SQLite's own
 * walIndexTryHdr).  The change counter moves at every commit, the salts at
 * every restart of the WAL, so the header never comes back to an earlier
 * value.  The writer's connection maps it (SQLite, xShmMap) as long as it
 * is open: its address is taken once, at open.
 */
#define SHM_HDR		48
_Static_assert(SHM_HDR == STORE_STAMP_LEN, "the stamp is one header copy");

static void
shm_map(struct sq *q)
{
	sqlite3_file *f = NULL;
	volatile void *p = NULL;

	/*
	 * SQLite's own mapping of the wal-index's first region, through its
	 * VFS (xShmMap, no extension): opening the -shm file here and closing
	 * that descriptor would drop every POSIX lock this process holds on
	 * it, SQLite's too, and let another process (a backup, the CLI) take
	 * the file for its own and truncate it under our mappings (SIGBUS).
	 */
	if (q->path == NULL || sqlite3_file_control(q->db, "main",
	    SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || f == NULL ||
	    f->pMethods == NULL || f->pMethods->iVersion < 2 ||
	    f->pMethods->xShmMap == NULL)
		return;
	if (f->pMethods->xShmMap(f, 0, 32768, 0, &p) == SQLITE_OK && p != NULL)
		q->shm = p;
}

static bool
sq_stamp(void *ctx, unsigned char out[STORE_STAMP_LEN])
{
	const struct sq *q = ctx;
	unsigned char second[SHM_HDR];

	if (q->shm == NULL)
		return false;
	for (size_t i = 0; i < SHM_HDR; i++)
		out[i] = q->shm[i];
	atomic_thread_fence(memory_order_acquire);
	for (size_t i = 0; i < SHM_HDR; i++)
		second[i] = q->shm[SHM_HDR + i];
	/* byte 12: isInit (a header being recovered is not one) */
	return out[12] != 0 && memcmp(out, second, SHM_HDR) == 0;
}

static enum cs_err
prepare_all(struct sq *q, struct cs_error *e)
{
	const char *area, *sql;
	size_t idx;

	q->nst = store_nstmt();
	q->st = xcalloc(q->nst, sizeof(*q->st));
	for (size_t i = 0; i < q->nst; i++) {
		sql = store_stmt_sql(store_stmt_at(i, &area, &idx), STORE_SQLITE);
		if (sql == NULL)
			continue;
		if (sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
		    &q->st[i], NULL) != SQLITE_OK)
			return cs_fail(e, CS_ESTORE, "db", "prepare %s %zu: %s", area,
			    idx, sqlite3_errmsg(q->db));
	}
	return CS_OK;
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
	if ((rc = prepare_all(q, e)) != CS_OK)
		goto out;
	if (!reader) {
		const char *f = sqlite3_db_filename(q->db, "main");

		/* The file readers and the checkpointer open (none if temporary). */
		if (f != NULL && *f != '\0')
			q->path = xstrdup(f);
		ckpt_start(q);
		shm_map(q);
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
	for (size_t i = 0; i < q->nst; i++)
		sqlite3_finalize(q->st[i]);
	free(q->st);
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
		if ((rc = step_done(q, S(q, TX_BEGIN_SNAPSHOT))) != CS_OK)
			return rc;
		q->in_tx = 1;
		return CS_OK;
	}
	if (q->relaxed != !durable) {
		/*
		 * Not a prepared statement: SQLite sets synchronous when the
		 * pragma is compiled, so a prepared one re-stepped may leave
		 * the level as it was (durable commits then ran at NORMAL).
		 */
		if (sqlite3_exec(q->db, durable ? "PRAGMA synchronous = FULL" :
		    "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK) {
			log_warn("event=sqlite_error msg=\"%s\"",
			    sqlite3_errmsg(q->db));
			return CS_ESTORE;
		}
		q->relaxed = !durable;
	}
	if (q->wal_frames >= CKPT_HARD_FRAMES ||
	    (q->wal_frames >= CKPT_RESTART_FRAMES && q->wal_frames -
	    atomic_load(&q->ckpt_done) <= CKPT_TAIL_FRAMES)) {
		int log = 0, done = 0;

		/* Busy (the checkpointer is at it): the next BEGIN tries again. */
		if (sqlite3_wal_checkpoint_v2(q->db, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, &log, &done) == SQLITE_OK &&
		    done >= log)
			q->wal_frames = 0;
	}
	if ((rc = step_done(q, S(q, TX_BEGIN))) != CS_OK)
		return rc;
	q->in_tx = 1;
	return CS_OK;
}

static enum cs_err
sq_commit(void *ctx)
{
	struct sq *q = ctx;
	enum cs_err rc;

	rc = step_done(q, S(q, TX_COMMIT));
	if (rc != CS_OK)
		(void)step_done(q, S(q, TX_ROLLBACK));
	q->in_tx = 0;
	return rc;
}

static void
sq_rollback(void *ctx)
{
	struct sq *q = ctx;

	if (!q->in_tx)
		return;
	(void)step_done(q, S(q, TX_ROLLBACK));
	q->in_tx = 0;
}

static enum cs_err
sq_mark(void *ctx)
{
	struct sq *q = ctx;

	return step_done(q, S(q, TX_MARK));
}

/* keep: the request's changes join the batch; else they are undone. */
static enum cs_err
sq_unmark(void *ctx, bool keep)
{
	struct sq *q = ctx;
	enum cs_err rc = CS_OK;

	if (keep && (rc = step_done(q, S(q, TX_UNMARK))) == CS_OK)
		return CS_OK;
	if (step_done(q, S(q, TX_UNDO)) != CS_OK ||
	    step_done(q, S(q, TX_UNMARK)) != CS_OK)
		return CS_ESTORE;
	return keep ? CS_ESTORE : rc;
}

/* ---- statements ------------------------------------------------------------ */

static void
bind(sqlite3_stmt *s, int i, const struct store_parm *p)
{
	switch (p->t) {
	case SP_INT:
	case SP_LIMIT:		/* SQLite's LIMIT -1 is no limit */
		sqlite3_bind_int64(s, i, p->i);
		break;
	case SP_TEXT:
		if (p->p == NULL)
			sqlite3_bind_null(s, i);
		else
			sqlite3_bind_text(s, i, p->p, -1, SQLITE_TRANSIENT);
		break;
	case SP_BLOB:
		sqlite3_bind_blob(s, i, p->p, (int)p->n, SQLITE_TRANSIENT);
		break;
	case SP_NULL:
	case SP_SEALED:		/* sealed by codec.c before it comes here */
		sqlite3_bind_null(s, i);
		break;
	}
}

static enum cs_err
sq_exec(void *ctx, size_t id, const struct store_parm *p, size_t n,
    store_row_fn fn, void *arg, int64_t *changes, int64_t *key)
{
	struct sq *q = ctx;
	struct store_row row = { &store_sqlite_engine, NULL, 0 };
	sqlite3_stmt *s;
	int rc;

	if (id >= q->nst || (s = q->st[id]) == NULL)
		return CS_ESTORE;
	sqlite3_reset(s);
	for (size_t i = 0; i < n; i++)
		bind(s, (int)i + 1, &p[i]);
	row.h = s;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (fn != NULL)
			fn(&row, arg);
	}
	if (rc == SQLITE_DONE && !sqlite3_stmt_readonly(s)) {
		if (changes != NULL)
			*changes = sqlite3_changes(q->db);
		/* The rowid is the INTEGER PRIMARY KEY .returning names. */
		if (key != NULL && sqlite3_changes(q->db) > 0)
			*key = sqlite3_last_insert_rowid(q->db);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return CS_OK;
	if (rc == SQLITE_CONSTRAINT)
		return CS_ECONFLICT;
	log_warn("event=sqlite_error stmt=%zu msg=\"%s\"", id, sqlite3_errmsg(q->db));
	return CS_ESTORE;
}

static bool
sq_col_null(void *h, int row, int col)
{
	(void)row;
	return sqlite3_column_type(h, col) == SQLITE_NULL;
}

static int64_t
sq_col_i64(void *h, int row, int col)
{
	(void)row;
	return sqlite3_column_int64(h, col);
}

static const char *
sq_col_text(void *h, int row, int col)
{
	(void)row;
	return (const char *)sqlite3_column_text(h, col);
}

static bool
sq_col_blob32(void *h, int row, int col, unsigned char out[32])
{
	const void *b = sqlite3_column_blob(h, col);

	(void)row;
	if (b == NULL || sqlite3_column_bytes(h, col) != 32)
		return false;
	memcpy(out, b, 32);
	return true;
}

/* test_store: SQLite's count of a statement's parameters. */
static int
sq_nparams(void *ctx, size_t id)
{
	struct sq *q = ctx;

	if (id >= q->nst || q->st[id] == NULL)
		return -1;
	return sqlite3_bind_parameter_count(q->st[id]);
}

/* test_store: the connection's synchronous level, as SQLite reports it. */
static int
sq_sync_level(void *ctx)
{
	struct sq *q = ctx;
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(q->db, "PRAGMA synchronous", -1, &s, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* test_store: every table's columns, as PRAGMA table_info lists them. */
static enum cs_err
sq_columns(void *ctx, char ***out, size_t *n)
{
	struct sq *q = ctx;
	sqlite3_stmt *s;
	char **v = NULL;
	size_t cnt = 0;
	int rc;

	if (sqlite3_prepare_v2(q->db, "SELECT m.name || '.' || c.name FROM"
	    " sqlite_schema m, pragma_table_info(m.name) c WHERE m.type = 'table'"
	    " AND m.name NOT LIKE 'sqlite_%' ORDER BY 1", -1, &s, NULL) != SQLITE_OK)
		return CS_ESTORE;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		v[cnt++] = xstrdup((const char *)sqlite3_column_text(s, 0));
	}
	sqlite3_finalize(s);
	*out = v;
	*n = cnt;
	return rc == SQLITE_DONE ? CS_OK : CS_ESTORE;
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

/* Attachments' bytes: incremental blob I/O (st_attach.c). */
static enum cs_err
sq_blob_io(void *ctx, const char *table, const char *col, int64_t rowid,
    size_t off, void *p, size_t n, bool write)
{
	struct sq *q = ctx;
	sqlite3_blob *b = NULL;
	enum cs_err rc = CS_ESTORE;
	size_t done = 0, step;

	if (n > INT_MAX || off > INT_MAX - n)
		return CS_ETOOBIG;
	if (sqlite3_blob_open(q->db, "main", table, col, rowid, write ? 1 : 0,
	    &b) != SQLITE_OK) {
		log_warn("event=blob_open_failed table=%s error=%s", table,
		    sqlite3_errmsg(q->db));
		goto out;
	}
	if ((size_t)sqlite3_blob_bytes(b) < off + n)
		goto out;
	/* In pieces, as a file would be written or read. */
	while (done < n) {
		step = n - done > 65536 ? 65536 : n - done;
		if ((write ? sqlite3_blob_write(b, (char *)p + done, (int)step,
		    (int)(off + done)) : sqlite3_blob_read(b, (char *)p + done,
		    (int)step, (int)(off + done))) != SQLITE_OK)
			goto out;
		done += step;
	}
	rc = CS_OK;
out:
	if (b != NULL)
		sqlite3_blob_close(b);
	return rc;
}

static size_t
sq_col_bytes(void *h, int row, int col, void *out, size_t max)
{
	const void *b = sqlite3_column_blob(h, col);
	size_t n = (size_t)sqlite3_column_bytes(h, col);

	(void)row;
	if (b != NULL)
		memcpy(out, b, n < max ? n : max);
	return b != NULL ? n : 0;
}

const struct store_engine store_sqlite_engine = {
	.name = "sqlite",
	.dialect = STORE_SQLITE,
	.open = sq_open,
	.close = sq_close,
	.schema_version = sq_schema_version,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.mark = sq_mark,
	.unmark = sq_unmark,
	.lock = NULL,
	.reader_open = sq_reader_open,
	.reader_close = sq_close,
	.exec = sq_exec,
	.col_null = sq_col_null,
	.col_i64 = sq_col_i64,
	.col_text = sq_col_text,
	.col_blob32 = sq_col_blob32,
	.backup = sq_backup,
	.nparams = sq_nparams,
	.columns = sq_columns,
	.sync_level = sq_sync_level,
	.blob_io = sq_blob_io,
	.col_bytes = sq_col_bytes,
	.stamp = sq_stamp,
};
