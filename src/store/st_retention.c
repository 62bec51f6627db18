/*
 * st_retention.c: retention (issue 16 item 6) — legal holds on reports and
 * advisories, the items a purge run finds due, the purge of one item with
 * every row that refers to it, and the erasure of an anonymised report's
 * sealed source.
 *
 * The immutable tables (report and advisory versions, disclosure records)
 * refuse deletes and updates by trigger; a purge or an erasure first marks
 * its item in `purging` (migration 24), which the triggers consult, and
 * removes the mark before its transaction ends, so outside a purge the
 * tables stay as immutable as before.  Every kind and state arrives as a
 * bound parameter (store knows records, not rules).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

enum {
	Q_REP_HOLD, Q_ADV_HOLD, Q_REP_STATE, Q_ADV_STATE,
	Q_DUE_REP, Q_DUE_ADV, Q_DUE_STIX, Q_DUE_NOTIF, Q_DUE_EX,
	Q_CNT_REP, Q_CNT_ADV, Q_CNT_STIX, Q_CNT_NOTIF, Q_CNT_EX,
	Q_HELD_REP, Q_HELD_ADV,
	Q_MARK, Q_UNMARK,
	/* a report: ?1 id, ?2 its item kind (notes: its note kind) */
	Q_R_OBS, Q_R_SEARCH, Q_R_DRILL, Q_R_NOTES, Q_R_SAMPLES, Q_R_CHUNKS,
	Q_R_UNSOURCE, Q_R_ATTACH, Q_R_TRIAGE, Q_R_REVIEWS, Q_R_RELATED,
	Q_R_WIDEN, Q_R_SHARES, Q_R_DISCL, Q_R_EXTRA, Q_R_PATH, Q_R_VERSIONS,
	Q_R_ROW,
	/* an advisory: ?1 id, ?2 its item kind (notes: ?2 ?3 its note kinds) */
	Q_A_OBS, Q_A_SEARCH, Q_A_DRILL, Q_A_NOTES, Q_A_NOTIF, Q_A_EVENTS,
	Q_A_DELIV, Q_A_QUESTIONS, Q_A_INQ, Q_A_REVIEWS, Q_A_RELATED,
	Q_A_CHUNKS, Q_A_UNSOURCE, Q_A_ATTACH, Q_A_VERSIONS, Q_A_ROW,
	Q_STIX_ROW, Q_NOTIF_ROW, Q_EX_NOTES, Q_EX_ROW,
	/* a source erasure: ?1 report */
	Q_E_VERSIONS, Q_E_ANSWERS, Q_E_SAMPLES, Q_E_CHUNKS, Q_E_UNSOURCE, Q_E_ATTACH,
	Q_E_ROW,
	Q__COUNT
};

#define SEALED_ATT	"SELECT id FROM attachments WHERE report = ?1" \
			" AND sealed_key IS NOT NULL"
#define EX_LAST		"COALESCE((SELECT max(n.at_us) FROM exercise_notes n" \
			" WHERE n.exercise = e.id), e.created_us)"

static const struct store_stmt stmts[Q__COUNT] = {
	/* ?2 held_us (NULL: lifted), ?3 by user */
	[Q_REP_HOLD] = { .nparm = 3, .sql =
	    "UPDATE reports SET held_us = ?2, held_by = ?3 WHERE id = ?1" },
	[Q_ADV_HOLD] = { .nparm = 3, .sql =
	    "UPDATE advisories SET held_us = ?2, held_by = ?3 WHERE id = ?1" },
	[Q_REP_STATE] = { .nparm = 1, .sql =
	    "SELECT held_us, held_by, source_erased_us FROM reports"
	    " WHERE id = ?1" },
	[Q_ADV_STATE] = { .nparm = 1, .sql =
	    "SELECT held_us, held_by, NULL FROM advisories WHERE id = ?1" },
	/* ?1 cut-off (last activity before it), ?2 limit */
	[Q_DUE_REP] = { .nparm = 2, .sql =
	    "SELECT id FROM reports WHERE held_us IS NULL AND updated_us < ?1"
	    " ORDER BY id LIMIT ?2" },
	[Q_DUE_ADV] = { .nparm = 2, .sql =
	    "SELECT id FROM advisories WHERE held_us IS NULL AND updated_us < ?1"
	    " ORDER BY id LIMIT ?2" },
	[Q_DUE_STIX] = { .nparm = 2, .sql =
	    "SELECT seq FROM stix_objects WHERE added_us < ?1"
	    " ORDER BY seq LIMIT ?2" },
	/* ?3 the pending state: a queued notification is never purged */
	[Q_DUE_NOTIF] = { .nparm = 3, .sql =
	    "SELECT id FROM notifications WHERE created_us < ?1"
	    " AND state <> ?3 ORDER BY id LIMIT ?2" },
	[Q_DUE_EX] = { .nparm = 2, .sql =
	    "SELECT e.id FROM exercises e WHERE " EX_LAST " < ?1"
	    " ORDER BY e.id LIMIT ?2" },
	[Q_CNT_REP] = { .nparm = 1, .sql =
	    "SELECT count(*) FROM reports WHERE held_us IS NULL"
	    " AND updated_us < ?1" },
	[Q_CNT_ADV] = { .nparm = 1, .sql =
	    "SELECT count(*) FROM advisories WHERE held_us IS NULL"
	    " AND updated_us < ?1" },
	[Q_CNT_STIX] = { .nparm = 1, .sql =
	    "SELECT count(*) FROM stix_objects WHERE added_us < ?1" },
	[Q_CNT_NOTIF] = { .nparm = 2, .sql =
	    "SELECT count(*) FROM notifications WHERE created_us < ?1"
	    " AND state <> ?2" },
	[Q_CNT_EX] = { .nparm = 1, .sql =
	    "SELECT count(*) FROM exercises e WHERE " EX_LAST " < ?1" },
	[Q_HELD_REP] = { .nparm = 0, .sql =
	    "SELECT count(*) FROM reports WHERE held_us IS NOT NULL" },
	[Q_HELD_ADV] = { .nparm = 0, .sql =
	    "SELECT count(*) FROM advisories WHERE held_us IS NOT NULL" },
	[Q_MARK] = { .nparm = 2, .sql =
	    "INSERT INTO purging(kind, item) VALUES (?1, ?2)" },
	[Q_UNMARK] = { .nparm = 2, .sql =
	    "DELETE FROM purging WHERE kind = ?1 AND item = ?2" },

	[Q_R_OBS] = { .nparm = 2, .sql =
	    "DELETE FROM item_observables WHERE item_kind = ?2 AND item_id = ?1" },
	[Q_R_SEARCH] = { .nparm = 2, .sql =
	    "DELETE FROM search_docs WHERE kind = ?2 AND item = ?1" },
	[Q_R_DRILL] = { .nparm = 2, .sql =
	    "DELETE FROM drill_items WHERE kind = ?2 AND item = ?1" },
	[Q_R_NOTES] = { .nparm = 2, .sql =
	    "DELETE FROM item_notes WHERE item = ?1 AND kind = ?2" },
	[Q_R_SAMPLES] = { .nparm = 1, .sql =
	    "DELETE FROM sample_requests WHERE report = ?1" },
	[Q_R_CHUNKS] = { .nparm = 1, .sql =
	    "DELETE FROM attachment_chunks WHERE att IN"
	    " (SELECT id FROM attachments WHERE report = ?1)" },
	[Q_R_UNSOURCE] = { .nparm = 1, .sql =
	    "UPDATE attachments SET source = NULL WHERE source IN"
	    " (SELECT id FROM attachments WHERE report = ?1)" },
	[Q_R_ATTACH] = { .nparm = 1, .sql =
	    "DELETE FROM attachments WHERE report = ?1" },
	[Q_R_TRIAGE] = { .nparm = 1, .sql =
	    "DELETE FROM report_triage WHERE report = ?1" },
	[Q_R_REVIEWS] = { .nparm = 1, .sql =
	    "DELETE FROM advisory_reviews WHERE report = ?1" },
	[Q_R_RELATED] = { .nparm = 1, .sql =
	    "DELETE FROM advisory_related WHERE report = ?1" },
	[Q_R_WIDEN] = { .nparm = 1, .sql =
	    "DELETE FROM widening_requests WHERE report = ?1" },
	[Q_R_SHARES] = { .nparm = 1, .sql =
	    "DELETE FROM report_shares WHERE report = ?1" },
	[Q_R_DISCL] = { .nparm = 1, .sql =
	    "DELETE FROM report_disclosures WHERE report = ?1" },
	[Q_R_EXTRA] = { .nparm = 1, .sql =
	    "DELETE FROM report_extra WHERE report = ?1" },
	[Q_R_PATH] = { .nparm = 1, .sql =
	    "DELETE FROM report_path WHERE report = ?1" },
	[Q_R_VERSIONS] = { .nparm = 1, .sql =
	    "DELETE FROM report_versions WHERE report = ?1" },
	[Q_R_ROW] = { .nparm = 1, .sql =
	    "DELETE FROM reports WHERE id = ?1" },

	[Q_A_OBS] = { .nparm = 2, .sql =
	    "DELETE FROM item_observables WHERE item_kind = ?2 AND item_id = ?1" },
	[Q_A_SEARCH] = { .nparm = 2, .sql =
	    "DELETE FROM search_docs WHERE kind = ?2 AND item = ?1" },
	[Q_A_DRILL] = { .nparm = 2, .sql =
	    "DELETE FROM drill_items WHERE kind = ?2 AND item = ?1" },
	[Q_A_NOTES] = { .nparm = 3, .sql =
	    "DELETE FROM item_notes WHERE item = ?1 AND kind IN (?2, ?3)" },
	[Q_A_NOTIF] = { .nparm = 1, .sql =
	    "DELETE FROM notifications WHERE advisory = ?1" },
	[Q_A_EVENTS] = { .nparm = 1, .sql =
	    "DELETE FROM inbox_events WHERE advisory = ?1" },
	[Q_A_DELIV] = { .nparm = 1, .sql =
	    "DELETE FROM deliveries WHERE advisory = ?1" },
	[Q_A_QUESTIONS] = { .nparm = 1, .sql =
	    "DELETE FROM adv_questions WHERE advisory = ?1" },
	[Q_A_INQ] = { .nparm = 1, .sql =
	    "DELETE FROM inquiries WHERE advisory = ?1" },
	[Q_A_REVIEWS] = { .nparm = 1, .sql =
	    "DELETE FROM advisory_reviews WHERE advisory = ?1" },
	[Q_A_RELATED] = { .nparm = 1, .sql =
	    "DELETE FROM advisory_related WHERE advisory = ?1" },
	[Q_A_CHUNKS] = { .nparm = 1, .sql =
	    "DELETE FROM attachment_chunks WHERE att IN"
	    " (SELECT id FROM attachments WHERE advisory = ?1)" },
	[Q_A_UNSOURCE] = { .nparm = 1, .sql =
	    "UPDATE attachments SET source = NULL WHERE source IN"
	    " (SELECT id FROM attachments WHERE advisory = ?1)" },
	[Q_A_ATTACH] = { .nparm = 1, .sql =
	    "DELETE FROM attachments WHERE advisory = ?1" },
	[Q_A_VERSIONS] = { .nparm = 1, .sql =
	    "DELETE FROM advisory_versions WHERE advisory = ?1" },
	[Q_A_ROW] = { .nparm = 1, .sql =
	    "DELETE FROM advisories WHERE id = ?1" },

	[Q_STIX_ROW] = { .nparm = 1, .sql =
	    "DELETE FROM stix_objects WHERE seq = ?1" },
	[Q_NOTIF_ROW] = { .nparm = 1, .sql =
	    "DELETE FROM notifications WHERE id = ?1" },
	[Q_EX_NOTES] = { .nparm = 1, .sql =
	    "DELETE FROM exercise_notes WHERE exercise = ?1" },
	[Q_EX_ROW] = { .nparm = 1, .sql =
	    "DELETE FROM exercises WHERE id = ?1" },

	[Q_E_VERSIONS] = { .nparm = 1, .sql =
	    "UPDATE report_versions SET sealed_form = NULL WHERE report = ?1"
	    " AND sealed_form IS NOT NULL" },
	/* who answered a sample request of the report: the source, maybe */
	[Q_E_ANSWERS] = { .nparm = 1, .sql =
	    "UPDATE sample_requests SET answered_by_org = NULL,"
	    " answered_by_user = NULL WHERE report = ?1" },
	[Q_E_SAMPLES] = { .nparm = 1, .sql =
	    "UPDATE sample_requests SET attachment = NULL WHERE attachment IN"
	    " (" SEALED_ATT ")" },
	[Q_E_CHUNKS] = { .nparm = 1, .sql =
	    "DELETE FROM attachment_chunks WHERE att IN (" SEALED_ATT ")" },
	[Q_E_UNSOURCE] = { .nparm = 1, .sql =
	    "UPDATE attachments SET source = NULL WHERE source IN"
	    " (" SEALED_ATT ")" },
	[Q_E_ATTACH] = { .nparm = 1, .sql =
	    "DELETE FROM attachments WHERE report = ?1"
	    " AND sealed_key IS NOT NULL" },
	/* ?2 a random tag in place of the source's, ?3 when */
	[Q_E_ROW] = { .nparm = 3, .sql =
	    "UPDATE reports SET sealed_identity = NULL, anon_tag = ?2,"
	    " source_erased_us = ?3 WHERE id = ?1 AND anonymised <> 0"
	    " AND source_erased_us IS NULL" },
};

struct store_area st_retention_area = { "retention", stmts, Q__COUNT, 0 };
#define A	(&st_retention_area)

enum cs_err
store_retention_hold(struct store *st, int kind, int64_t id, int64_t held_us,
    int64_t by_user)
{
	return st_update(st, A, kind == STORE_ITEM_REPORT ? Q_REP_HOLD :
	    Q_ADV_HOLD, PARMS(P_INT(id), held_us != 0 ? P_INT(held_us) : P_NULL,
	    held_us != 0 ? P_ID(by_user) : P_NULL));
}

static void
state_row(const struct store_row *r, void *arg)
{
	struct store_retention_state *s = arg;

	s->held_us = row_null(r, 0) ? 0 : row_i64(r, 0);
	s->held_by = row_null(r, 1) ? 0 : row_i64(r, 1);
	s->erased_us = row_null(r, 2) ? 0 : row_i64(r, 2);
}

enum cs_err
store_retention_state(struct store *st, int kind, int64_t id,
    struct store_retention_state *s)
{
	memset(s, 0, sizeof(*s));
	return st_first(st, A, kind == STORE_ITEM_REPORT ? Q_REP_STATE :
	    Q_ADV_STATE, PARMS(P_INT(id)), state_row, s);
}

struct ids {
	int64_t		*v;
	size_t		 n, cap;
};

static void
id_row(const struct store_row *r, void *arg)
{
	struct ids *x = arg;

	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 16;
		x->v = xreallocarray(x->v, x->cap, sizeof(*x->v));
	}
	x->v[x->n++] = row_i64(r, 0);
}

enum cs_err
store_retention_due(struct store *st, int cls, int64_t cutoff, int limit,
    int pending_state, int64_t **v, size_t *n)
{
	static const int q[STORE_RET__COUNT] = { Q_DUE_REP, Q_DUE_ADV,
	    Q_DUE_STIX, Q_DUE_NOTIF, Q_DUE_EX };
	struct ids x = { NULL, 0, 0 };
	enum cs_err rc;

	*v = NULL;
	*n = 0;
	if (cls < 0 || cls >= STORE_RET__COUNT)
		return CS_EINVAL;
	if (q[cls] == Q_DUE_NOTIF)
		rc = st_exec(st, A, q[cls], PARMS(P_INT(cutoff), P_LIMIT(limit),
		    P_INT(pending_state)), id_row, &x, NULL);
	else
		rc = st_exec(st, A, q[cls], PARMS(P_INT(cutoff), P_LIMIT(limit)),
		    id_row, &x, NULL);
	if (rc != CS_OK) {
		free(x.v);
		return rc;
	}
	*v = x.v;
	*n = x.n;
	return CS_OK;
}

static void
count_row(const struct store_row *r, void *arg)
{
	*(int64_t *)arg = row_i64(r, 0);
}

enum cs_err
store_retention_count(struct store *st, int cls, int64_t cutoff,
    int pending_state, int64_t *count)
{
	static const int q[STORE_RET__COUNT] = { Q_CNT_REP, Q_CNT_ADV,
	    Q_CNT_STIX, Q_CNT_NOTIF, Q_CNT_EX };

	*count = 0;
	if (cls < 0 || cls >= STORE_RET__COUNT)
		return CS_EINVAL;
	if (q[cls] == Q_CNT_NOTIF)
		return st_first(st, A, q[cls], PARMS(P_INT(cutoff),
		    P_INT(pending_state)), count_row, count);
	return st_first(st, A, q[cls], PARMS(P_INT(cutoff)), count_row, count);
}

enum cs_err
store_retention_held_count(struct store *st, int kind, int64_t *count)
{
	*count = 0;
	return st_first(st, A, kind == STORE_ITEM_REPORT ? Q_HELD_REP :
	    Q_HELD_ADV, NULL, 0, count_row, count);
}

/* Runs statements first..last (inclusive) with the first n of p each. */
static enum cs_err
run_steps(struct store *st, int first, int last, const struct store_parm *p)
{
	enum cs_err rc;

	for (int q = first; q <= last; q++)
		if ((rc = st_exec(st, A, q, p, stmts[q].nparm, NULL, NULL,
		    NULL)) != CS_OK)
			return rc;
	return CS_OK;
}

enum cs_err
store_retention_purge_report(struct store *st, int64_t id, int item_kind,
    int note_kind)
{
	const struct store_parm p[] = { P_INT(id), P_INT(item_kind) };
	enum cs_err rc;

	if ((rc = st_run(st, A, Q_MARK, PARMS(P_INT(STORE_PURGE_REPORT),
	    P_INT(id)))) != CS_OK)
		return rc;
	if ((rc = run_steps(st, Q_R_OBS, Q_R_DRILL, p)) != CS_OK ||
	    (rc = st_run(st, A, Q_R_NOTES, PARMS(P_INT(id),
	    P_INT(note_kind)))) != CS_OK ||
	    (rc = run_steps(st, Q_R_SAMPLES, Q_R_VERSIONS, p)) != CS_OK)
		return rc;
	if ((rc = st_update(st, A, Q_R_ROW, PARMS(P_INT(id)))) != CS_OK)
		return rc;
	return st_run(st, A, Q_UNMARK, PARMS(P_INT(STORE_PURGE_REPORT),
	    P_INT(id)));
}

enum cs_err
store_retention_purge_advisory(struct store *st, int64_t id, int item_kind,
    int note_kind1, int note_kind2)
{
	const struct store_parm p[] = { P_INT(id), P_INT(item_kind) };
	enum cs_err rc;

	if ((rc = st_run(st, A, Q_MARK, PARMS(P_INT(STORE_PURGE_ADVISORY),
	    P_INT(id)))) != CS_OK)
		return rc;
	if ((rc = run_steps(st, Q_A_OBS, Q_A_DRILL, p)) != CS_OK ||
	    (rc = st_run(st, A, Q_A_NOTES, PARMS(P_INT(id),
	    P_INT(note_kind1), P_INT(note_kind2)))) != CS_OK ||
	    (rc = run_steps(st, Q_A_NOTIF, Q_A_VERSIONS, p)) != CS_OK)
		return rc;
	if ((rc = st_update(st, A, Q_A_ROW, PARMS(P_INT(id)))) != CS_OK)
		return rc;
	return st_run(st, A, Q_UNMARK, PARMS(P_INT(STORE_PURGE_ADVISORY),
	    P_INT(id)));
}

enum cs_err
store_retention_purge_row(struct store *st, int cls, int64_t id)
{
	enum cs_err rc;

	switch (cls) {
	case STORE_RET_STIX:
		return st_update(st, A, Q_STIX_ROW, PARMS(P_INT(id)));
	case STORE_RET_NOTIFICATIONS:
		return st_update(st, A, Q_NOTIF_ROW, PARMS(P_INT(id)));
	case STORE_RET_EXERCISES:
		if ((rc = st_run(st, A, Q_EX_NOTES, PARMS(P_INT(id)))) != CS_OK)
			return rc;
		return st_update(st, A, Q_EX_ROW, PARMS(P_INT(id)));
	default:
		return CS_EINVAL;
	}
}

enum cs_err
store_report_erase_source(struct store *st, int64_t id,
    const unsigned char tag[32], int64_t at_us)
{
	const struct store_parm p[] = { P_INT(id) };
	enum cs_err rc;

	if ((rc = st_run(st, A, Q_MARK, PARMS(P_INT(STORE_PURGE_ERASE),
	    P_INT(id)))) != CS_OK)
		return rc;
	if ((rc = run_steps(st, Q_E_VERSIONS, Q_E_ATTACH, p)) != CS_OK)
		return rc;
	if ((rc = st_update(st, A, Q_E_ROW, PARMS(P_INT(id), P_BLOB32(tag),
	    P_INT(at_us)))) != CS_OK)
		return rc;
	return st_run(st, A, Q_UNMARK, PARMS(P_INT(STORE_PURGE_ERASE),
	    P_INT(id)));
}
