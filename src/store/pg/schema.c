/*
 * schema.c: the PostgreSQL schema.  An ordered list of migrations; the
 * table schema_version holds a row per migration applied.  Each runs in
 * its own transaction under an advisory lock, so several `cishared init`
 * at once apply each exactly once.  Triggers (plpgsql) refuse UPDATE,
 * DELETE and TRUNCATE on audit, report_versions and advisory_versions.
 * 64-bit ids are bigint/bigserial, booleans are integers 0/1 (as in
 * SQLite), blobs are bytea.  The tables and columns are SQLite's
 * (sqlite/sqlite.c), but for `ord`, which stands in for SQLite's rowid
 * (test_store compares the two).
 */
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/store_int.h"
#include "store/pg/pg_int.h"

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
	/* 6: failed logins, by the login's keyed hash (lockout) */
	"CREATE TABLE login_failures(login_hash bytea NOT NULL,"
	" at_us bigint NOT NULL);"
	"CREATE INDEX login_failures_hash ON login_failures(login_hash, at_us);",
	/* 7: a user's fax number (identity matching, the 様式's contact) */
	"ALTER TABLE users ADD COLUMN fax_sealed text;",
	/* 8: disclosure bases (issue 10 item 10); a share made under one */
	"CREATE TABLE report_disclosures(id bigserial PRIMARY KEY,"
	" report bigint NOT NULL REFERENCES reports(id), basis integer NOT NULL,"
	" reason text NOT NULL, to_text text NOT NULL, by_org bigint NOT NULL,"
	" by_user bigint NOT NULL, at_us bigint NOT NULL);"
	"CREATE INDEX report_disclosures_report ON report_disclosures(report, id);"
	"CREATE TRIGGER report_disclosures_ro BEFORE UPDATE OR DELETE"
	" ON report_disclosures FOR EACH ROW"
	" EXECUTE FUNCTION cs_immutable('disclosure records are immutable');"
	"CREATE TRIGGER report_disclosures_ro_t BEFORE TRUNCATE ON report_disclosures"
	" FOR EACH STATEMENT"
	" EXECUTE FUNCTION cs_immutable('disclosure records are immutable');"
	"ALTER TABLE report_shares ADD COLUMN disclosure bigint"
	" REFERENCES report_disclosures(id);",
	/*
	 * 9: source reviews of advisories related to an
	 * anonymised report, one per (advisory, version, report); the
	 * secretariat's decision and comment (no identity: hits are recomputed)
	 */
	"CREATE TABLE advisory_reviews(id bigserial PRIMARY KEY,"
	" advisory bigint NOT NULL REFERENCES advisories(id),"
	" version integer NOT NULL, report bigint NOT NULL REFERENCES reports(id),"
	" org bigint NOT NULL, state integer NOT NULL, comment text,"
	" decided_by_user bigint, decided_us bigint, created_us bigint NOT NULL,"
	" UNIQUE(advisory, version, report));"
	"CREATE INDEX advisory_reviews_org ON advisory_reviews(org, state, id);",
	/*
	 * 10: STIX objects contributed through TAXII (one generic table,
	 * LAYOUT.md), paged by (added_us, seq); the status resources of the
	 * POSTs that brought them
	 */
	"CREATE TABLE stix_objects(seq bigserial PRIMARY KEY,"
	" collection text NOT NULL, stix_id text NOT NULL, type text NOT NULL,"
	" spec_version text NOT NULL, modified text NOT NULL,"
	" added_us bigint NOT NULL, tlp integer NOT NULL, org bigint NOT NULL,"
	" status text NOT NULL, json text NOT NULL,"
	" UNIQUE(collection, stix_id, modified));"
	"CREATE INDEX stix_objects_page ON stix_objects(collection, added_us, seq);"
	"CREATE INDEX stix_objects_org ON stix_objects(collection, org, added_us, seq);"
	"CREATE TABLE taxii_status(id text PRIMARY KEY, org bigint NOT NULL,"
	" at_us bigint NOT NULL, total integer NOT NULL, detail text NOT NULL);",
	/*
	 * 11: the observable index (issue 12 item 2): each normalised
	 * observable once, and the item versions (report hops, advisory
	 * versions) that hold it, with the item's sector and time
	 */
	"CREATE TABLE observables(id bigserial PRIMARY KEY, kind integer NOT NULL,"
	" value_norm text NOT NULL, UNIQUE(value_norm, kind));"
	"CREATE TABLE item_observables(item_kind integer NOT NULL,"
	" item_id bigint NOT NULL, version integer NOT NULL, hop integer NOT NULL,"
	" observable bigint NOT NULL REFERENCES observables(id),"
	" sector integer NOT NULL, at_us bigint NOT NULL,"
	" PRIMARY KEY(item_kind, item_id, version, hop, observable));"
	"CREATE INDEX item_observables_obs ON item_observables(observable, at_us);"
	"CREATE INDEX item_observables_at ON item_observables(at_us, observable, sector);",
	/*
	 * 12: full-text search (issue 12 item 5): the folded text of every
	 * version stored in clear, as on SQLite, with a pg_trgm GIN index
	 * (a trusted extension: the database owner may create it)
	 */
	"CREATE EXTENSION IF NOT EXISTS pg_trgm;"
	"CREATE TABLE search_docs(key bigint PRIMARY KEY, kind integer NOT NULL,"
	" item bigint NOT NULL, version integer NOT NULL, hop integer NOT NULL,"
	" body text NOT NULL);"
	"CREATE INDEX search_docs_body ON search_docs USING gin (body gin_trgm_ops);"
	"INSERT INTO meta(key, value) VALUES ('search_backfill', 'pending')"
	" ON CONFLICT DO NOTHING;",
	/* 13: operating modes (別紙４－２) and the situation board's updates */
	"CREATE TABLE modes(id bigserial PRIMARY KEY, kind integer NOT NULL,"
	" cause integer NOT NULL, sectors bigint NOT NULL,"
	" declared_us bigint NOT NULL, declared_by_org bigint NOT NULL,"
	" declared_by_user bigint NOT NULL, ended_us bigint,"
	" ended_by_user bigint);"
	"CREATE TABLE situation(id bigserial PRIMARY KEY, mode bigint NOT NULL"
	" REFERENCES modes(id), sector integer NOT NULL, kind integer NOT NULL,"
	" text text NOT NULL, services_down text, restoration text,"
	" by_org bigint NOT NULL, by_user bigint NOT NULL,"
	" at_us bigint NOT NULL);"
	"CREATE INDEX situation_mode ON situation(mode, at_us);",
	/* 14: the CEPTOAR council space: members, posts, addressees, shares */
	"CREATE TABLE council_members(org bigint PRIMARY KEY REFERENCES orgs(id),"
	" since_us bigint NOT NULL);"
	"CREATE TABLE council_posts(id bigserial PRIMARY KEY, author_org bigint NOT NULL,"
	" author_user bigint NOT NULL, text text NOT NULL, tlp integer NOT NULL,"
	" to_all integer NOT NULL, created_us bigint NOT NULL);"
	"CREATE TABLE council_post_to(post bigint NOT NULL REFERENCES council_posts(id),"
	" org bigint NOT NULL, PRIMARY KEY(post, org));"
	"CREATE INDEX council_post_to_org ON council_post_to(org, post);"
	"CREATE TABLE council_post_shares(post bigint NOT NULL"
	" REFERENCES council_posts(id), org bigint NOT NULL, by_user bigint NOT NULL,"
	" at_us bigint NOT NULL, PRIMARY KEY(post, org));"
	"CREATE INDEX council_post_shares_org ON council_post_shares(org, post);",
	/* 15: CEPTOAR drills and the reports and advisories that belong to one */
	"CREATE TABLE drills(id bigserial PRIMARY KEY, name text NOT NULL, scenario text,"
	" targets text NOT NULL, starts_us bigint NOT NULL, by_org bigint NOT NULL,"
	" by_user bigint NOT NULL, created_us bigint NOT NULL);"
	"CREATE TABLE drill_items(drill bigint NOT NULL REFERENCES drills(id),"
	" kind integer NOT NULL, item bigint NOT NULL, PRIMARY KEY(kind, item));"
	"CREATE INDEX drill_items_drill ON drill_items(drill, kind, item);",
	/* 16: cross-sector exercises, their responses and logged issues */
	"CREATE TABLE exercises(id bigserial PRIMARY KEY, name text NOT NULL,"
	" participants text NOT NULL, injects text NOT NULL, speed integer NOT NULL,"
	" started_us bigint NOT NULL, by_org bigint NOT NULL, by_user bigint NOT NULL,"
	" created_us bigint NOT NULL);"
	"CREATE TABLE exercise_notes(id bigserial PRIMARY KEY, exercise bigint NOT NULL"
	" REFERENCES exercises(id), inject integer NOT NULL, org bigint NOT NULL,"
	" \"user\" bigint NOT NULL, text text NOT NULL, at_us bigint NOT NULL);"
	"CREATE INDEX exercise_notes_ex ON exercise_notes(exercise, inject, id);",
	/* 17: tokens expire, carry a scope and their last use (ASVS V3) */
	"ALTER TABLE tokens ADD COLUMN expires_us bigint,"
	" ADD COLUMN last_used_us bigint,"
	" ADD COLUMN scope integer NOT NULL DEFAULT 0;",
	/* 18: the yearly self-assessment survey (issue 14) */
	"CREATE TABLE surveys(id bigserial PRIMARY KEY, fiscal_year integer NOT NULL,"
	" sectors bigint NOT NULL, edition text NOT NULL, state integer NOT NULL,"
	" by_org bigint NOT NULL, by_user bigint NOT NULL, created_us bigint NOT NULL,"
	" closed_us bigint NOT NULL);"
	"CREATE TABLE survey_orgs(survey bigint NOT NULL REFERENCES surveys(id),"
	" org bigint NOT NULL, state integer NOT NULL, shared integer NOT NULL,"
	" updated_us bigint NOT NULL, submitted_us bigint NOT NULL,"
	" submitted_by bigint NOT NULL, PRIMARY KEY(survey, org));"
	"CREATE TABLE survey_answers(survey bigint NOT NULL REFERENCES surveys(id),"
	" org bigint NOT NULL, control text NOT NULL, status integer NOT NULL,"
	" note text NOT NULL, owner text NOT NULL, updated_us bigint NOT NULL,"
	" by_user bigint NOT NULL, PRIMARY KEY(survey, org, control));",
	/* 19: the risk-management workspace of an operator and its risk register */
	"CREATE TABLE risk_workspaces(org bigint PRIMARY KEY REFERENCES orgs(id),"
	" profile text NOT NULL, matrix text NOT NULL, checks text NOT NULL,"
	" shared text NOT NULL, updated_us bigint NOT NULL, by_user bigint NOT NULL);"
	"CREATE TABLE risks(id bigserial PRIMARY KEY, org bigint NOT NULL REFERENCES orgs(id),"
	" data text NOT NULL, score integer NOT NULL, archived integer NOT NULL,"
	" created_us bigint NOT NULL, updated_us bigint NOT NULL, by_user bigint NOT NULL);"
	"CREATE INDEX risks_org ON risks(org, archived, score);",
	/* 20: attachments (別紙) in chunks, sample requests (検体) */
	"CREATE TABLE attachments(id bigserial PRIMARY KEY, report bigint"
	" REFERENCES reports(id), advisory bigint REFERENCES advisories(id),"
	" version bigint NOT NULL, hop bigint NOT NULL, name text NOT NULL,"
	" content_type text NOT NULL, size bigint NOT NULL, sha256 bytea,"
	" sealed_meta text, sealed_key text, nchunks bigint NOT NULL,"
	" source bigint REFERENCES attachments(id), sample bigint,"
	" by_org bigint NOT NULL, by_user bigint NOT NULL,"
	" created_us bigint NOT NULL);"
	"CREATE INDEX attachments_report ON attachments(report, id);"
	"CREATE INDEX attachments_advisory ON attachments(advisory, id);"
	"CREATE TABLE attachment_chunks(id bigserial PRIMARY KEY, att bigint NOT NULL"
	" REFERENCES attachments(id), seq bigint NOT NULL, size bigint NOT NULL,"
	" data bytea NOT NULL, UNIQUE(att, seq));"
	"CREATE TABLE sample_requests(id bigserial PRIMARY KEY, report bigint NOT NULL"
	" REFERENCES reports(id), what text NOT NULL, reason text NOT NULL,"
	" by_org bigint NOT NULL, by_user bigint NOT NULL, at_us bigint NOT NULL,"
	" state bigint NOT NULL, attachment bigint REFERENCES attachments(id),"
	" decline text, answered_by_org bigint, answered_by_user bigint,"
	" answered_us bigint);"
	"CREATE INDEX sample_requests_report ON sample_requests(report, id);",
	/* 21: inquiries (問合せ) about advisories, operators' questions to their
	 * ministry, NISC's handling state (未処理/担当) of received reports */
	"CREATE TABLE inquiries(id bigserial PRIMARY KEY, advisory bigint NOT NULL"
	" REFERENCES advisories(id), org bigint NOT NULL, \"user\" bigint NOT NULL,"
	" text text NOT NULL, question bigint, created_us bigint NOT NULL,"
	" answer text, answered_by bigint, answered_us bigint);"
	"CREATE INDEX inquiries_adv ON inquiries(advisory, id);"
	"CREATE INDEX inquiries_open ON inquiries(answered_us, id);"
	"CREATE TABLE adv_questions(id bigserial PRIMARY KEY, advisory bigint NOT NULL"
	" REFERENCES advisories(id), org bigint NOT NULL, \"user\" bigint NOT NULL,"
	" ministry bigint NOT NULL, text text NOT NULL, created_us bigint NOT NULL,"
	" inquiry bigint, answer text, answered_by bigint, answered_us bigint);"
	"CREATE INDEX adv_questions_adv ON adv_questions(advisory, id);"
	"CREATE INDEX adv_questions_ministry ON adv_questions(ministry, id);"
	"CREATE TABLE report_triage(report bigint PRIMARY KEY REFERENCES reports(id),"
	" state integer NOT NULL, assignee bigint, by_user bigint NOT NULL,"
	" updated_us bigint NOT NULL);",
	/* 22: notes left by actions: relay and forward comments, returns (差戻し) */
	"CREATE TABLE item_notes(id bigserial PRIMARY KEY, kind integer NOT NULL,"
	" item bigint NOT NULL, org bigint NOT NULL, \"user\" bigint NOT NULL,"
	" text text NOT NULL, at_us bigint NOT NULL);"
	"CREATE INDEX item_notes_item ON item_notes(kind, item, id);",
	/*
	 * 23: federation peers (issue 11 item 4): the local organisation
	 * that stands for the remote node, what to poll there, the
	 * credential (sealed), the cursor and the last sync's outcome
	 */
	"CREATE TABLE peers(id bigserial PRIMARY KEY, name text NOT NULL UNIQUE,"
	" org bigint NOT NULL, url text, collection text NOT NULL,"
	" auth bigint NOT NULL, login text, secret text,"
	" interval_s bigint NOT NULL, enabled bigint NOT NULL, cursor text,"
	" last_try_us bigint NOT NULL, last_ok_us bigint NOT NULL,"
	" last_error text, failures bigint NOT NULL, next_us bigint NOT NULL,"
	" received bigint NOT NULL, created_us bigint NOT NULL);"
	"CREATE INDEX peers_org ON peers(org);",
	/*
	 * 24: the TOTP second factor (issue 16 item 3): the sealed secret,
	 * active once confirmed, the last step used, the recovery hashes
	 */
	"CREATE TABLE user_totp(\"user\" bigint PRIMARY KEY,"
	" secret text NOT NULL, active bigint NOT NULL,"
	" last_step bigint NOT NULL, recovery text NOT NULL,"
	" created_us bigint NOT NULL, confirmed_us bigint NOT NULL);",
	/*
	 * 25: retention (issue 16 item 6): legal holds on reports and
	 * advisories, a report's source erasure, and `purging`, the marks
	 * that let a purge (kind 0 report, 1 advisory) or a source erasure
	 * (kind 2: sealed_form to NULL only) through the immutability
	 * triggers inside its own transaction (the marks go before commit).
	 * cs_purgeable(message, purge kind, item column, erase kind or -1).
	 */
	"ALTER TABLE reports ADD COLUMN held_us bigint,"
	" ADD COLUMN held_by bigint, ADD COLUMN source_erased_us bigint;"
	"ALTER TABLE advisories ADD COLUMN held_us bigint,"
	" ADD COLUMN held_by bigint;"
	"CREATE TABLE purging(kind integer NOT NULL, item bigint NOT NULL,"
	" PRIMARY KEY(kind, item));"
	"CREATE FUNCTION cs_purgeable() RETURNS trigger LANGUAGE plpgsql AS $$"
	" DECLARE it bigint := (to_jsonb(OLD)->>TG_ARGV[2])::bigint; BEGIN"
	" IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM purging"
	" WHERE kind = TG_ARGV[1]::integer AND item = it) THEN RETURN OLD; END IF;"
	" IF TG_OP = 'UPDATE' AND TG_ARGV[3]::integer >= 0"
	" AND NEW.sealed_form IS NULL"
	" AND (to_jsonb(NEW) - 'sealed_form') = (to_jsonb(OLD) - 'sealed_form')"
	" AND EXISTS (SELECT 1 FROM purging WHERE kind = TG_ARGV[3]::integer"
	" AND item = it) THEN RETURN NEW; END IF;"
	" RAISE EXCEPTION '%', TG_ARGV[0]"
	" USING ERRCODE = 'integrity_constraint_violation'; END $$;"
	"DROP TRIGGER report_versions_ro ON report_versions;"
	"CREATE TRIGGER report_versions_ro BEFORE UPDATE OR DELETE ON report_versions"
	" FOR EACH ROW EXECUTE FUNCTION cs_purgeable("
	"'report versions are immutable', '0', 'report', '2');"
	"DROP TRIGGER advisory_versions_ro ON advisory_versions;"
	"CREATE TRIGGER advisory_versions_ro BEFORE UPDATE OR DELETE ON advisory_versions"
	" FOR EACH ROW EXECUTE FUNCTION cs_purgeable("
	"'advisory versions are immutable', '1', 'advisory', '-1');"
	"DROP TRIGGER report_disclosures_ro ON report_disclosures;"
	"CREATE TRIGGER report_disclosures_ro BEFORE UPDATE OR DELETE"
	" ON report_disclosures FOR EACH ROW EXECUTE FUNCTION cs_purgeable("
	"'disclosure records are immutable', '0', 'report', '-1');",
	/*
	 * 26: the generation of authentication facts (issue 17), as on
	 * SQLite: bumped by a statement trigger in the changing transaction;
	 * `data` by store.c (a batch that wrote).  A sequence (never rolled
	 * back) where SQLite takes random(): no value comes back.
	 */
	"CREATE TABLE generation(id integer PRIMARY KEY, auth bigint NOT NULL,"
	" data bigint NOT NULL);"
	"INSERT INTO generation(id, auth, data) VALUES (1, 0, 0);"
	"CREATE SEQUENCE generations;"
	"CREATE FUNCTION cs_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$"
	" BEGIN UPDATE generation SET auth = nextval('generations') WHERE id = 1;"
	" RETURN NULL; END $$;"
	"CREATE TRIGGER tokens_gen AFTER DELETE OR UPDATE OF \"user\", hash, label,"
	" created_us, expires_us, scope ON tokens"
	" FOR EACH STATEMENT EXECUTE FUNCTION cs_auth_changed();"
	"CREATE TRIGGER tokens_gen_back AFTER UPDATE OF last_used_us ON tokens"
	" FOR EACH ROW WHEN (NEW.last_used_us IS NULL"
	" OR NEW.last_used_us < OLD.last_used_us)"
	" EXECUTE FUNCTION cs_auth_changed();"
	"CREATE TRIGGER users_gen AFTER DELETE OR UPDATE ON users"
	" FOR EACH STATEMENT EXECUTE FUNCTION cs_auth_changed();"
	"CREATE TRIGGER orgs_gen AFTER DELETE OR UPDATE ON orgs"
	" FOR EACH STATEMENT EXECUTE FUNCTION cs_auth_changed();"
	"CREATE TRIGGER user_totp_gen AFTER INSERT OR DELETE OR UPDATE OF active"
	" ON user_totp FOR EACH STATEMENT EXECUTE FUNCTION cs_auth_changed();"
	"CREATE TRIGGER peers_gen AFTER INSERT OR DELETE OR UPDATE OF org ON peers"
	" FOR EACH STATEMENT EXECUTE FUNCTION cs_auth_changed();",
	/*
	 * 27: SQLite's trigram index written behind the requests (issue 17,
	 * search_pending there).  Nothing here: pg_trgm's GIN index keeps a
	 * pending list of its own (fastupdate), so the numbers stay those
	 * of SQLite's migrations.
	 */
	"SELECT 1",
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
int
pg_schema_latest(void)
{
	return NMIGRATIONS;
}

/* The number of migrations applied (0 when there is no schema yet); -1 on error. */
int
pg_schema_applied(struct pg *q, bool missing_ok)
{
	PGresult *r = PQexec(q->conn, sql_version_get);
	const char *state;
	int64_t v = -1;

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = pg_i64(r, 0, 0);
	else if (missing_ok && r != NULL &&
	    (state = PQresultErrorField(r, PG_DIAG_SQLSTATE)) != NULL &&
	    strcmp(state, "42P01") == 0)
		v = 0;
	PQclear(r);
	return v < 0 || v > 1000000 ? -1 : (int)v;
}

/* Applies the missing migrations, each in its own transaction, in order. */
enum cs_err
pg_migrate(struct pg *q, struct cs_error *e)
{
	enum cs_err rc;
	char what[32];
	int v;

	for (;;) {
		if ((rc = pg_simple(q, "BEGIN", "migrate", e)) != CS_OK)
			return rc;
		if ((rc = pg_simple(q, sql_migrate_lock, "migration lock", e)) != CS_OK ||
		    (rc = pg_simple(q, sql_version_table, "schema_version", e)) != CS_OK)
			goto fail;
		if ((v = pg_schema_applied(q, false)) < 0) {
			rc = cs_fail(e, CS_ESTORE, "db", "cannot read schema_version");
			goto fail;
		}
		if (v > NMIGRATIONS) {
			rc = cs_fail(e, CS_ESTORE, "db", "database schema %d is newer "
			    "than this cishared (%d)", v, NMIGRATIONS);
			goto fail;
		}
		if (v == NMIGRATIONS)
			return pg_simple(q, "COMMIT", "migrate", e);
		cs_fmt(what, sizeof(what), "migration %d", v + 1);
		if ((rc = pg_simple(q, migrations[v], what, e)) != CS_OK)
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
		if ((rc = pg_simple(q, "COMMIT", what, e)) != CS_OK)
			return rc;
	}
fail:
	PQclear(PQexec(q->conn, "ROLLBACK"));
	return rc;
}
